"""Make the signed-in user the audit actor for the rest of the request."""

from audit.context import in_request


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with in_request(request):
            return self.get_response(request)
