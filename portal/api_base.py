"""Shared pieces of the REST API: strict input (unknown fields are an error, NUL characters too)."""

from rest_framework import exceptions, parsers, serializers


def holds_nul(value) -> bool:
    """True when a string, or any key or item of a dict, list or tuple, holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return any(holds_nul(item) for item in value)
    return False


class StrictSerializerMixin:
    """Reject fields the serializer does not declare as writable (no mass assignment, no silent drops), and
    NUL characters in any value: related-field lookups (slugs, uuids) would pass them to the database, where
    PostgreSQL refuses them with an error instead of a 400."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError({name: ["This field is not accepted here."] for name in unknown})
            values = data.lists() if hasattr(data, "lists") else data.items()
            with_nul = sorted(name for name, value in values if holds_nul(value))
            if with_nul:
                raise serializers.ValidationError({name: ["NUL characters are not allowed."] for name in with_nul})
        return super().to_internal_value(data)


class StrictSerializer(StrictSerializerMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    pass


class JSONParser(parsers.JSONParser):
    """JSON bodies whose strings hold a NUL character are a 400 before any view reads them (PostgreSQL refuses
    NUL in text; views that look a value up would otherwise answer 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if holds_nul(data):
            raise exceptions.ParseError("JSON strings must not hold NUL characters.")
        return data


def _refuse_nul_fields(fields) -> None:
    if holds_nul(dict(fields.lists())):
        raise exceptions.ParseError("Form fields must not hold NUL characters.")


class MultiPartParser(parsers.MultiPartParser):
    """Multipart form fields (not file contents) holding a NUL character are a 400, as in JSON bodies."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_nul_fields(parsed.data)
        return parsed


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse_nul_fields(data)
        return data
