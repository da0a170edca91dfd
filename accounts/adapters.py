"""django-allauth adapters: no self sign-up, the portal's client IP rule, field-encrypted MFA secrets."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from accounts import throttle
from operations.crypto import decrypt_value, encrypt_value


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are created by invitation only.
        return False

    def get_client_ip(self, request) -> str:
        return throttle.client_ip(request)


class PortalMFAAdapter(DefaultMFAAdapter):
    # allauth keeps the TOTP secret (and, before accounts/recovery_codes.py, a recovery-code seed) in
    # Authenticator.data; by default in clear.
    # We encrypt them with the field-encryption keys (AES-GCM), like every other secret at rest.
    def encrypt(self, text: str) -> str:
        return encrypt_value(text)

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith("enc1:"):
            return encrypted_text  # written before encryption was configured
        return decrypt_value(encrypted_text)
