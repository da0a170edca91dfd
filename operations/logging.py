"""Structured JSON logs carry the request id."""

import logging

from audit.context import current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current_request_id()
        if not request_id:
            # django.request logs after the middleware chain has returned: read the id off the request.
            request_id = getattr(getattr(record, "request", None), "request_id", "")
        record.request_id = request_id
        return True
