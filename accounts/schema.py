"""OpenAPI descriptions of the portal's API authenticators (drf-spectacular extensions)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api_auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A personal API token: `Bearer bpp_…`."}


class MfaSessionScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api_auth.MfaSessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "__Host-portal-session",
            "description": "A browser session that completed sign-in with its second factor (CSRF token required).",
        }
