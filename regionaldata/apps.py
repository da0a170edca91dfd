from django.apps import AppConfig


class RegionaldataConfig(AppConfig):
    name = "regionaldata"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from regionaldata import registration

        registration.register()
