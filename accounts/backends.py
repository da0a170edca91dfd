"""Password authentication: usernames are matched after NFKC normalisation, trimming and case-folding."""

from django.contrib.auth.backends import ModelBackend

from accounts.models import normalize_username


class ThrottledModelBackend(ModelBackend):
    """Throttling happens in the sign-in forms (accounts.forms), which know the client and the method."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            username = normalize_username(username)
        return super().authenticate(request, username=username, password=password, **kwargs)
