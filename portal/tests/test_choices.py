"""get_FOO_display() from ChoiceLabelsMixin answers exactly what Django's own implementation answers."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from portal.choices import ChoiceLabelsMixin

MIXED_MODELS = [m for m in apps.get_models() if issubclass(m, ChoiceLabelsMixin)]


def test_the_shared_and_participant_models_use_the_mixin():
    names = {m.__name__ for m in MIXED_MODELS}
    assert {"Document", "Item", "Event", "Participant", "Agency", "Group"} <= names


@pytest.mark.parametrize("model", MIXED_MODELS, ids=lambda m: m._meta.label)
def test_every_choice_and_an_unknown_value_read_as_django_reads_them(model):
    fields = [f for f in model._meta.concrete_fields if f.choices]
    assert fields, f"{model.__name__} has no choice field to check"
    for field in fields:
        for value in [value for value, _label in field.flatchoices] + ["not-a-choice"]:
            obj = model(**{field.attname: value})
            ours = getattr(obj, f"get_{field.name}_display")()
            assert ours == models.Model._get_FIELD_display(obj, field)


def test_labels_are_kept_per_language(monkeypatch):
    from documents.models import Document

    seen = []
    original = translation.get_language

    def recording_language():
        seen.append(original())
        return original()

    monkeypatch.setattr("portal.choices.get_language", recording_language)
    with translation.override("fr"):
        Document(tlp="red").get_tlp_display()
    assert seen == ["fr"]
