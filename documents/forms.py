"""Forms of the document library: plain HTML forms that work without JavaScript."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from documents import uploads
from documents.queries import STATUS_FILTERS, groups_of
from participants.models import Agency, Group, Participant
from sharing.models import TLP, Distribution, Handling, Status

LANGUAGES = [
    ("en", _("English")),
    ("id", _("Indonesian")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("th", _("Thai")),
    ("ms", _("Malay")),
    ("vi", _("Vietnamese")),
    ("other", _("Other")),
]


def recipient_choices() -> list:
    """Grouped choices for the recipients picker: groups, participants, agencies, people."""
    from accounts.models import User

    return [
        (_("Groups"), [(f"group:{g.pk}", g.name) for g in Group.objects.order_by("name")]),
        (
            _("Participants"),
            [(f"participant:{p.pk}", p.name) for p in Participant.objects.exclude(status__in=["former"])],
        ),
        (
            _("Agencies"),
            [(f"agency:{a.pk}", str(a)) for a in Agency.objects.filter(is_active=True).select_related("participant")],
        ),
        (
            _("People"),
            [
                (f"user:{u.pk}", f"{u} ({u.agency})")
                for u in User.objects.filter(is_active=True, agency__isnull=False).select_related("agency__participant")
            ],
        ),
    ]


class RecipientsField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Recipients"))
        kwargs.setdefault(
            "help_text",
            _(
                "Only with the 'Named recipients' distribution. "
                "TLP:RED goes to people only; AMBER+STRICT to participants or agencies only."
            ),
        )
        super().__init__(choices=recipient_choices, widget=forms.SelectMultiple(attrs={"size": 10}), **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"


class MarkingMixin:
    def clean_marking(self, cleaned: dict) -> None:
        from sharing.rules import validate_marking

        if "distribution" in cleaned and "tlp" in cleaned:
            try:
                validate_marking(
                    distribution=cleaned["distribution"],
                    tlp=cleaned["tlp"],
                    recipient_keys=set(cleaned.get("recipients") or []),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)


class DocumentForm(MarkingMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, initial="en")
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, PNG, JPEG, CSV or plain text; up to the size limit."),
    )
    group = forms.ModelChoiceField(
        label=_("Workspace"),
        queryset=Group.objects.none(),
        required=False,
        help_text=_("The group library this document belongs to (optional)."),
    )
    distribution = forms.ChoiceField(label=_("Distribution"), choices=Distribution.choices)
    tlp = forms.ChoiceField(label=_("TLP marking"), choices=TLP.choices, initial=TLP.AMBER)
    handling = forms.ChoiceField(label=_("Handling code"), choices=Handling.choices, initial=Handling.H0)
    expires_at = forms.DateField(label=_("Valid until"), required=False, widget=DateInput)
    recipients = RecipientsField()
    anonymous = forms.BooleanField(label=_("Hide my agency from recipients"), required=False)
    anonymous_group = forms.ModelChoiceField(
        label=_("Show me as a member of"), queryset=Group.objects.none(), required=False
    )
    publish = forms.BooleanField(
        label=_("Publish now"), required=False, help_text=_("Leave unticked to keep it as a draft.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["group"].queryset = groups_of(user)
        self.fields["anonymous_group"].queryset = groups_of(user)
        self.upload: uploads.ValidatedUpload | None = None

    def clean_file(self):
        file = self.cleaned_data["file"]
        self.upload = uploads.validate_upload(file, prefix="documents")
        return file

    def clean(self):
        cleaned = super().clean()
        self.clean_marking(cleaned)
        if cleaned.get("anonymous") and not cleaned.get("anonymous_group"):
            self.add_error("anonymous_group", _("Choose the group recipients will see you as a member of."))
        return cleaned


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    handling = forms.ChoiceField(label=_("Handling code"), choices=Handling.choices)
    expires_at = forms.DateField(label=_("Valid until"), required=False, widget=DateInput)
    file = forms.FileField(label=_("Replace the file"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload: uploads.ValidatedUpload | None = None

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file:
            self.upload = uploads.validate_upload(file, prefix="documents")
        return file


class ShareForm(MarkingMixin, forms.Form):
    distribution = forms.ChoiceField(label=_("Distribution"), choices=Distribution.choices)
    tlp = forms.ChoiceField(label=_("TLP marking"), choices=TLP.choices)
    recipients = RecipientsField()

    def clean(self):
        cleaned = super().clean()
        self.clean_marking(cleaned)
        return cleaned


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is it withdrawn?"), max_length=500, required=False)


class ReleaseRequestForm(forms.Form):
    recipients = RecipientsField(required=True, label=_("Who should also receive it"), help_text="")
    reason = forms.CharField(label=_("Why they need it"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("refuse", _("Refuse"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note to the requester"), max_length=500, required=False)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search in titles"), required=False, max_length=200)
    group = forms.ChoiceField(label=_("Workspace"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[("", _("Any")), *LANGUAGES])
    tlp = forms.ChoiceField(label=_("TLP"), required=False, choices=[("", _("Any")), *TLP.choices])
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Current")),
            *[(s, Status(s).label if s != "archived" else _("Archived")) for s in STATUS_FILTERS],
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("Any"))] + [(g.slug, g.name) for g in groups_of(user)]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
