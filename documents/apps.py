from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from documents import registration
        from portal.nav import NavEntry, register_nav

        register_nav(NavEntry(_("Documents"), "documents:list", order=30))
        registration.register()
