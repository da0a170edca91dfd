"""Requests whose query string holds a NUL character are refused with 400 before any view.

No field of the portal can hold NUL (PostgreSQL text refuses it, and it has no place in a name, a search or
an identifier), and a view that passes a query parameter to a filter would otherwise answer 500 on
PostgreSQL. Django's form fields and DRF's serializer fields already refuse NUL in bodies (and bodies are
left unread here, so upload handlers and DRF's parsers still see the untouched stream); this covers the query
parameters views read directly.
"""

from django.http import HttpResponseBadRequest

from portal.api_base import holds_nul


def _parameter_with_nul(query_dict) -> str | None:
    for key, values in query_dict.lists():
        if holds_nul([key, *values]):
            return key.replace("\x00", "")
    return None


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = _parameter_with_nul(request.GET)
        if field is not None:
            return HttpResponseBadRequest(
                f"The field {field!r} holds a NUL character, which no field accepts.", content_type="text/plain"
            )
        return self.get_response(request)
