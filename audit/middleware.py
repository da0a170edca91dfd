"""Make the signed-in user the audit actor for the rest of the request."""

from audit.context import acting_as, actor_for_user


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(actor_for_user(getattr(request, "user", None))):
            return self.get_response(request)
