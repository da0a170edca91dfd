"""A request id on every request and response, for logs and the audit chain; access log and metrics."""

import logging
import re
import time
import uuid

from audit.context import reset_request_id, set_request_id
from operations import metrics

_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Path segments that carry secrets (password-reset keys, e-mail confirmation keys, invitation tokens).
_SECRET_PATH = re.compile(r"(/(?:key|confirm-email|invitations?|token)/)[^/]+", re.IGNORECASE)


def loggable_path(path: str) -> str:
    return _SECRET_PATH.sub(r"\1[redacted]", path)[:300]


access_log = logging.getLogger("portal.access")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = set_request_id(request_id)
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-Id"] = request_id
            return response
        finally:
            seconds = time.perf_counter() - started
            metrics.observe(method=request.method, path=request.path, status=status, seconds=seconds)
            # The path only: query strings may carry tokens; bodies (passwords) are never logged.
            access_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": loggable_path(request.path),
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
            reset_request_id(token)
