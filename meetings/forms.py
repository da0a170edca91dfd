"""Plain forms for the meetings pages; every field labelled, errors name the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import Action, Event, Priority
from meetings.report import FORMATS
from participants.models import Group, Participant
from sharing.models import TLP, Distribution


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


SHARE_CHOICES = [
    (Distribution.MEMBERS.value, _("All members")),
    (Distribution.PUBLIC.value, _("Public")),
    (Distribution.ORIGINATOR.value, _("My participant only")),
    ("group", _("Only the group chosen below (e.g. one RILON)")),
]


class SharingFields(forms.Form):
    share_with = forms.ChoiceField(label=_("Who sees it"), choices=SHARE_CHOICES, initial=Distribution.MEMBERS)
    restrict_to = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.all(), required=False, help_text=_("Used with 'Only the group'.")
    )
    tlp = forms.ChoiceField(label=_("TLP"), choices=TLP.choices, initial=TLP.GREEN)

    def sharing(self) -> tuple[str, list[str]]:
        choice = self.cleaned_data["share_with"]
        if choice == "group":
            return Distribution.RECIPIENTS, [f"group:{self.cleaned_data['restrict_to'].pk}"]
        return choice, []

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("share_with") == "group" and not cleaned.get("restrict_to"):
            self.add_error("restrict_to", _("Choose the group that may see it."))
        return cleaned


class EventForm(SharingFields, forms.ModelForm):
    hosts = forms.ModelMultipleChoiceField(
        label=_("Hosts"), queryset=Participant.objects.all(), required=False, widget=forms.SelectMultiple
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attending participants"), queryset=Participant.objects.all(), required=False
    )
    priorities = forms.ModelMultipleChoiceField(
        label=_("Priorities served"), queryset=Priority.objects.all(), required=False
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "also_rilon_meeting",
            "ordinal",
            "start_date",
            "end_date",
            "date_precision",
            "city",
            "country",
            "hosts",
            "in_kind_host",
            "organising_group",
            "attendees",
            "delegates",
            "agenda",
            "outcome",
            "state",
            "priorities",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("share_with", "restrict_to", "tlp"):
                del self.fields[name]

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").upper()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned

    def sharing(self):
        return SharingFields.sharing(self)

    def event_fields(self) -> dict:
        skip = {"hosts", "attendees", "priorities"}
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name not in skip}

    def _post_clean(self):
        # Model validation runs in the service (full_clean there); here only the form's own checks.
        pass


class ActionForm(SharingFields, forms.Form):
    text = forms.CharField(label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 3}))
    event = forms.ModelChoiceField(label=_("Agreed at"), queryset=Event.objects.none(), required=False)
    responsible = forms.ModelMultipleChoiceField(
        label=_("Responsible participants"), queryset=Participant.objects.all()
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    state = forms.ChoiceField(label=_("State"), choices=Action.State.choices, initial=Action.State.AGREED)
    priorities = forms.ModelMultipleChoiceField(
        label=_("Priorities served"), queryset=Priority.objects.all(), required=False
    )

    def __init__(self, *args, events=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events if events is not None else Event.objects.none()
        if editing:
            for name in ("share_with", "restrict_to", "tlp"):
                del self.fields[name]


class ProgressForm(forms.Form):
    on = forms.DateField(label=_("Date of the progress"), widget=DateInput())
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    state_after = forms.ChoiceField(
        label=_("State after this update"), choices=[("", _("Unchanged")), *Action.State.choices], required=False
    )
    reported_at = forms.ModelChoiceField(label=_("Reported at"), queryset=Event.objects.none(), required=False)

    def __init__(self, *args, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_at"].queryset = events if events is not None else Event.objects.none()


class TrackerFilterForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Responsible"), queryset=Participant.objects.all(), required=False)
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.all(), required=False)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("Any")), *Action.State.choices], required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class ReportForm(forms.Form):
    period_from = forms.DateField(label=_("From"), widget=DateInput())
    period_to = forms.DateField(label=_("To"), widget=DateInput())
    fmt = forms.ChoiceField(label=_("Format"), choices=[(f, f.upper()) for f in FORMATS], initial="pdf")
    audience = forms.ChoiceField(
        label=_("Produce it as"),
        choices=[("members", _("All members")), ("me", _("My own view"))],
        initial="members",
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The end of the period is before its start."))
        return cleaned


class NarrativeForm(forms.Form):
    period_from = forms.DateField(label=_("From"), widget=DateInput())
    period_to = forms.DateField(label=_("To"), widget=DateInput())
    introduction = forms.CharField(label=_("Introduction"), widget=forms.Textarea, required=False)
    future = forms.CharField(label=_("The future for the AHG"), widget=forms.Textarea, required=False)
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea, required=False)


class PublishForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Publish to"), choices=[(Distribution.MEMBERS.value, _("All members")), ("public", _("Public"))]
    )
