"""Plain forms for the meetings pages; every field labelled, errors name the field."""

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.forms import DocumentForm
from documents.models import Document
from meetings.models import Action, Contribution, Event, EventDocument, Priority
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


class EventUploadForm(DocumentForm):
    """Upload a new document to attach: the documents app's own form (validation, markings) plus its role."""

    role = forms.ChoiceField(label=_("Role at the meeting"), choices=EventDocument.Role.choices)
    field_order = ["role"]

    def document_fields(self) -> dict:
        data = self.cleaned_data
        expires = data["expires_at"]
        return {
            "title": data["title"],
            "description": data["description"],
            "language": data["language"],
            "upload": self.upload,
            "group": data["group"],
            "distribution": data["distribution"],
            "tlp": data["tlp"],
            "handling": data["handling"],
            "expires_at": datetime.combine(expires, time.max, tzinfo=timezone.get_current_timezone())
            if expires
            else None,
            "anonymous": data["anonymous"],
            "anonymous_group": data["anonymous_group"],
            "recipient_keys": data["recipients"],
            "publish": data["publish"],
        }


class EventLinkForm(forms.Form):
    """Link an existing document the user may see."""

    document = forms.ModelChoiceField(label=_("Document"), queryset=Document.objects.none(), to_field_name="uuid")
    role = forms.ChoiceField(label=_("Role at the meeting"), choices=EventDocument.Role.choices)

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents if documents is not None else Document.objects.none()
        self.fields["document"].error_messages["invalid_choice"] = _("Choose a document you can see.")


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["code", "letter", "title", "description", "mandate", "period_from", "period_to"]
        widgets = {"period_from": DateInput(), "period_to": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"].queryset = Event.objects.filter(kind=Event.Kind.MINISTERIAL).order_by("start_date")
        self.fields["mandate"].label = _("Mandate (ministerial conference)")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The end of the period is before its start."))
        return cleaned

    def _post_clean(self):
        # Model validation runs in the service (full_clean there).
        pass


class ContributionForm(forms.ModelForm):
    class Meta:
        model = Contribution
        fields = ["donor", "kind", "amount", "currency", "purpose", "received_on", "precision", "event"]
        widgets = {"received_on": DateInput()}
        labels = {"donor": _("Donor"), "precision": _("Date known to the"), "event": _("Event (optional)")}

    def __init__(self, *args, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events if events is not None else Event.objects.none()
        self.fields["currency"].help_text = _("ISO 4217 code, e.g. USD; required with an amount.")

    def clean(self):
        cleaned = super().clean()
        amount, currency = cleaned.get("amount"), (cleaned.get("currency") or "").strip().upper()
        if amount is not None and amount < 0:
            self.add_error("amount", _("The amount cannot be negative."))
        if amount is not None and not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
            self.add_error("currency", _("Give the ISO 4217 currency code of the amount, e.g. USD."))
        cleaned["currency"] = currency
        return cleaned

    def _post_clean(self):
        pass
