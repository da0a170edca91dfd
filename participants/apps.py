from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.nav import NavEntry, register_nav

        register_nav(NavEntry(_("Participants"), "participants:directory", order=10))
        register_nav(NavEntry(_("Groups"), "participants:group_list", order=20))
