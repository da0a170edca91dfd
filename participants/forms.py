"""Forms for the directory filters and the secretariat's management of reference data."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participants.models import Agency, DatePrecision, Group, GroupMembership, Participant

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DirectoryFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *Participant.Kind.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Participant.Status.choices]
    )
    ahg = forms.ChoiceField(
        label=_("Ad Hoc Group"),
        required=False,
        choices=[("", _("Members and non-members")), ("yes", _("Ad Hoc Group members")), ("no", _("Not in the AHG"))],
    )


class JoinedFilterForm(forms.Form):
    joined_from = forms.DateField(label=_("Joined from"), required=False, widget=DATE_WIDGET)
    joined_to = forms.DateField(label=_("Joined until"), required=False, widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        start, end = data.get("joined_from"), data.get("joined_to")
        if start and end and end < start:
            self.add_error("joined_to", _("The end of the period is before its start."))
        return data


class ParticipantForm(forms.ModelForm):
    source_url = forms.URLField(label=_("Source"), required=False, assume_scheme="https")

    class Meta:
        model = Participant
        fields = ["name", "short_name", "code", "kind", "iso3", "four_eyes", "notes", "source_url"]


class ParticipantCreateForm(ParticipantForm):
    status = forms.ChoiceField(label=_("Status"), choices=Participant.Status.choices)
    status_since = forms.DateField(label=_("Status since"), widget=DATE_WIDGET)
    status_precision = forms.ChoiceField(
        label=_("Date known to the"), choices=DatePrecision.choices, initial=DatePrecision.DAY
    )


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Participant.Status.choices)
    effective_on = forms.DateField(
        label=_("Effective on"),
        widget=DATE_WIDGET,
        help_text=_("For a date known only to the month or year, give its first day and choose the precision."),
    )
    precision = forms.ChoiceField(
        label=_("Date known to the"), choices=DatePrecision.choices, initial=DatePrecision.DAY
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "kind", "located_in", "city", "is_active"]

    def clean_located_in(self):
        value = (self.cleaned_data.get("located_in") or "").strip().upper()
        if value and (len(value) != 3 or not value.isalpha()):
            raise forms.ValidationError(_("Give a three-letter ISO 3166-1 alpha-3 code, for example LKA."))
        return value


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = [
            "name",
            "slug",
            "kind",
            "purpose",
            "city",
            "hidden_membership",
            "established_on",
            "established_precision",
        ]
        widgets = {"established_on": DATE_WIDGET}
        labels = {"established_on": _("Established on"), "established_precision": _("Date known to the")}


class MembershipAddForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        required=False,
        queryset=Agency.objects.select_related("participant").order_by("participant__name", "name"),
        help_text=_("Choose an agency, or a whole participant below: not both."),
    )
    participant = forms.ModelChoiceField(
        label=_("Whole participant"), required=False, queryset=Participant.objects.all()
    )
    role = forms.ChoiceField(label=_("Role"), choices=GroupMembership.Role.choices, initial=GroupMembership.Role.MEMBER)
    since = forms.DateField(label=_("Member since"), widget=DATE_WIDGET)
    since_precision = forms.ChoiceField(
        label=_("Date known to the"), choices=DatePrecision.choices, initial=DatePrecision.DAY
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if bool(data.get("agency")) == bool(data.get("participant")):
            self.add_error("agency", _("Choose exactly one: an agency or a whole participant."))
        return data


class MembershipEndForm(forms.Form):
    until = forms.DateField(label=_("Member until"), widget=DATE_WIDGET)
    until_precision = forms.ChoiceField(
        label=_("Date known to the"), choices=DatePrecision.choices, initial=DatePrecision.DAY
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
