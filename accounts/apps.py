from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts import recovery_codes, schema, signals, totp_replay  # noqa: F401

        totp_replay.install()
        recovery_codes.install()
        _guard_admin()
        from django.utils.translation import gettext_lazy as _

        from accounts.permissions import manages_users
        from portal.nav import NavEntry, register_nav

        register_nav(NavEntry(label=_("Users"), url_name="accounts:users", order=900, visible_for=manages_users))


def _guard_admin() -> None:
    """The Django admin is for system administrators who signed in through the portal with their second factor."""
    from django.contrib import admin

    from accounts.mfa import has_required_factors, session_passed_second_factor
    from accounts.views import admin_login

    def has_permission(request) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_authenticated
            and user.is_system_admin
            and has_required_factors(user)
            and session_passed_second_factor(request)
        )

    admin.site.login = admin_login
    admin.site.has_permission = has_permission
