"""Password authentication: usernames are matched after NFKC normalisation, trimming and case-folding."""

from django.contrib.auth.backends import ModelBackend

from accounts.models import normalize_username


class ThrottledModelBackend(ModelBackend):
    """Throttling happens in the sign-in forms (accounts.forms), which know the client and the method."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            username = normalize_username(username)
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The signed-in user of each request, with the agency and participant the sharing rules read next."""
        user = self._user_with_organisation(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _user_with_organisation(user_id):
        from accounts.models import User

        return User._default_manager.select_related("agency__participant").filter(pk=user_id).first()
