"""Plain forms for the exchange pages; each field has a label and errors name the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from exchange.kinds import DETAIL_FIELDS, Kind
from exchange.models import InformationAccuracy, SourceReliability, Subscription
from participants.models import Agency, Group, Participant
from sharing.models import TLP, Distribution, Handling

DETAIL_PREFIX = "d_"


class RecipientsMixin(forms.Form):
    """Several groups, participants, agencies and individuals at once."""

    groups = forms.ModelMultipleChoiceField(label=_("Groups"), queryset=Group.objects.order_by("name"), required=False)
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=Participant.objects.filter(status__in=Participant.ACTIVE_STATUSES).order_by("name"),
        required=False,
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies"),
        queryset=Agency.objects.filter(is_active=True).select_related("participant"),
        required=False,
    )
    usernames = forms.CharField(
        label=_("Individual users (user names, separated by commas)"), required=False, max_length=1000
    )

    def clean_usernames(self) -> list[User]:
        names = [n.strip() for n in self.cleaned_data.get("usernames", "").replace("\n", ",").split(",") if n.strip()]
        users = []
        for name in names:
            user = User.objects.filter(username__iexact=name, is_active=True).first()
            if user is None:
                raise forms.ValidationError(_("There is no active user '%(name)s'.") % {"name": name})
            users.append(user)
        return users

    def recipient_keys(self) -> list[str]:
        data = self.cleaned_data
        keys = [f"group:{g.pk}" for g in data.get("groups") or []]
        keys += [f"participant:{p.pk}" for p in data.get("participants") or []]
        keys += [f"agency:{a.pk}" for a in data.get("agencies") or []]
        keys += [f"user:{u.pk}" for u in data.get("usernames") or []]
        return keys


class MarkingMixin(forms.Form):
    distribution = forms.ChoiceField(
        label=_("Who may see it"), choices=Distribution.choices, initial=Distribution.RECIPIENTS
    )
    tlp = forms.ChoiceField(label=_("TLP marking"), choices=TLP.choices, initial=TLP.AMBER)


class ItemContentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    body = forms.CharField(
        label=_("Body"),
        help_text=_("Markdown: **bold**, lists, tables, links."),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
    )
    tags = forms.CharField(label=_("Tags (separated by commas)"), required=False, max_length=1000)
    countries = forms.CharField(label=_("Countries concerned (ISO alpha-3, comma-separated)"), required=False)
    nationalities = forms.CharField(label=_("Nationalities (ISO alpha-3, comma-separated)"), required=False)
    routes = forms.CharField(
        label=_("Routes"),
        help_text=_("Codes joined by hyphens, one route per line, e.g. CMB-KUL-PER."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    source_reliability = forms.ChoiceField(
        label=_("Source reliability"), choices=SourceReliability.choices, initial="X"
    )
    information_accuracy = forms.ChoiceField(
        label=_("Information accuracy"), choices=InformationAccuracy.choices, initial="4"
    )
    handling = forms.ChoiceField(label=_("Handling code"), choices=Handling.choices, initial="H0")
    handling_note = forms.CharField(label=_("H3: the other restrictions"), required=False, max_length=500)
    expires_at = forms.DateTimeField(
        label=_("Valid until (YYYY-MM-DD)"), required=False, help_text=_("After this date the item is archived.")
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for spec in DETAIL_FIELDS.get(kind, ()):
            name = DETAIL_PREFIX + spec.name
            if spec.choices:
                self.fields[name] = forms.ChoiceField(
                    label=spec.label, choices=[("", "—"), *spec.choices], required=spec.required
                )
            else:
                widget = forms.Textarea(attrs={"rows": 3}) if spec.long or spec.many else forms.TextInput()
                self.fields[name] = forms.CharField(
                    label=spec.label,
                    required=spec.required,
                    widget=widget,
                    help_text=spec.pattern_hint or (_("One per line.") if spec.many else ""),
                )

    def details(self) -> dict:
        return {
            spec.name: self.cleaned_data.get(DETAIL_PREFIX + spec.name)
            for spec in DETAIL_FIELDS.get(self.kind, ())
            if self.cleaned_data.get(DETAIL_PREFIX + spec.name)
        }

    def content(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "body": data["body"],
            "tags": data["tags"],
            "details": self.details(),
            "countries": data["countries"],
            "nationalities": data["nationalities"],
            "routes": data["routes"],
            "source_reliability": data["source_reliability"],
            "information_accuracy": data["information_accuracy"],
            "handling": data["handling"],
            "handling_note": data["handling_note"],
            "expires_at": data["expires_at"],
        }


class ItemCreateForm(ItemContentForm, MarkingMixin, RecipientsMixin):
    anonymous = forms.BooleanField(label=_("Hide my agency from recipients"), required=False)
    anonymous_group = forms.ModelChoiceField(
        label=_("Recipients see me as 'a member of'"), queryset=Group.objects.order_by("name"), required=False
    )


class ShareForm(MarkingMixin, RecipientsMixin):
    pass


class ReleaseRequestForm(RecipientsMixin):
    reason = forms.CharField(label=_("Why the wider audience needs it"), widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=500, required=False)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000)
    is_follow_up = forms.BooleanField(label=_("This is a follow-up with new facts"), required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, PNG, JPEG, Office document or CSV)"))
    is_specimen = forms.BooleanField(label=_("This is a specimen image"), required=False)


class LinkForm(forms.Form):
    to_item = forms.UUIDField(label=_("Related item (its identifier, from its page address)"))
    note = forms.CharField(label=_("Why they are related"), max_length=300, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class RfiForm(MarkingMixin, RecipientsMixin):
    title = forms.CharField(label=_("Question, in one line"), max_length=300)
    body = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    due_on = forms.DateField(label=_("Answer wanted by (YYYY-MM-DD)"))
    handling = forms.ChoiceField(label=_("Handling code"), choices=Handling.choices, initial="H0")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["distribution"]
        del self.fields["usernames"]


class AnswerForm(forms.Form):
    body = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}))
    audience = forms.ChoiceField(
        label=_("Who sees the answer"),
        choices=[("requester", _("The requester's agency only")), ("all", _("Everyone the request was sent to"))],
    )
    tlp = forms.ChoiceField(label=_("TLP marking"), choices=TLP.choices, initial=TLP.AMBER)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), max_length=1000, required=False)


class SubscriptionForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any kind")), *Kind.choices], required=False)

    class Meta:
        model = Subscription
        fields = ["name", "kind", "group", "country", "nationality", "route", "query", "frequency"]

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").upper()

    def clean_nationality(self):
        return (self.cleaned_data.get("nationality") or "").upper()

    def clean_route(self):
        return (self.cleaned_data.get("route") or "").upper().replace(" ", "")
