"""`get_FOO_display()` without translating every choice label of the field on every call.

Django builds `dict(make_hashable(field.flatchoices))` per call; hashing each lazy label translates it, so a list
of 50 documents with three marked fields spent ~8 ms translating the same labels again and again. The labels
are translated once per field and language here.
"""

from functools import lru_cache

from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import get_language


@lru_cache(maxsize=2048)
def _labels(field: models.Field, language: str | None) -> dict:
    return {value: str(label) for value, label in field.flatchoices}


class ChoiceLabelsMixin:
    """Put before models.Model in the bases (or in an abstract base) of models whose choice fields are shown."""

    def _get_FIELD_display(self, field: models.Field):
        value = getattr(self, field.attname)
        try:
            label = _labels(field, get_language()).get(value, value)
        except TypeError:  # an unhashable value: Django's own lookup knows what to do with it
            return models.Model._get_FIELD_display(self, field)
        return force_str(label, strings_only=True)
