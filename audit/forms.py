from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from audit.queries import TrailFilters
from participants.models import Participant


def target_type_choices() -> list[tuple[str, str]]:
    choices = [
        (model._meta.label_lower, f"{model._meta.verbose_name} ({model._meta.label_lower})")
        for model in apps.get_models()
    ]
    return [("", _("Any")), *sorted(choices, key=lambda choice: choice[1].lower())]


class TrailFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor (username)"), required=False, max_length=200)
    verb = forms.CharField(
        label=_("Action"), required=False, max_length=100, help_text=_("Start of the action, e.g. documents.document")
    )
    target_type = forms.ChoiceField(label=_("Object type"), required=False, choices=())
    target_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    participant = forms.ModelChoiceField(
        label=_("Participant"), required=False, queryset=Participant.objects.order_by("name"), empty_label=_("Any")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_type"].choices = target_type_choices()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return cleaned

    def filters(self) -> TrailFilters:
        data = self.cleaned_data
        return TrailFilters(
            actor=data.get("actor") or "",
            verb=data.get("verb") or "",
            target_type=data.get("target_type") or "",
            target_id=data.get("target_id") or "",
            participant_id=data["participant"].pk if data.get("participant") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
