"""Plain forms; validation of the figures themselves lives in validation.py (one path for every input)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from regionaldata.models import DIMENSION_LABELS, DIMENSIONS, Audience, DataSet

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File of figures"),
        help_text=_("The CSV or Excel template, or SDMX-CSV or JSON. All rows are stored, or none."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 MB; split it by year."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".json")):
            raise forms.ValidationError(_("Upload a .csv, .xlsx or .json file."))
        return upload


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What should the participant fix?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AudienceForm(forms.Form):
    audience = forms.ChoiceField(label=_("Who sees published figures"), choices=Audience.choices)


class QualityNoteForm(forms.Form):
    text = forms.CharField(label=_("Data-quality note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    period = forms.CharField(
        label=_("Period it concerns (optional)"),
        help_text=_("As the data set reports: a month 2025-03, a quarter 2025-Q1 or a year 2025."),
        required=False,
        max_length=10,
    )


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    definition = forms.CharField(label=_("Definition"), widget=forms.Textarea(attrs={"rows": 4}))
    unit = forms.CharField(label=_("Unit"), max_length=60)
    dimensions = forms.MultipleChoiceField(
        label=_("Allowed breakdowns"),
        choices=[(name, DIMENSION_LABELS[name]) for name in DIMENSIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(label=_("What changed and why"), max_length=300)


class DashboardForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    start = forms.CharField(
        label=_("From"), help_text=_("A month 2025-03, a quarter 2025-Q1 or a year 2025."), required=False, max_length=7
    )
    end = forms.CharField(
        label=_("To"),
        help_text=_("A month, a quarter or a year; the window ends with it."),
        required=False,
        max_length=7,
    )

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(item.code, item.name) for item in indicators]


class PivotForm(DashboardForm):
    PIVOT_AXES = [
        ("period", _("period")),
        ("participant", _("participant")),
        *[(n, DIMENSION_LABELS[n]) for n in DIMENSIONS],
    ]
    rows = forms.ChoiceField(label=_("Rows"), choices=PIVOT_AXES, required=False)
    columns = forms.ChoiceField(label=_("Columns"), choices=PIVOT_AXES, required=False)
    period_type = forms.ChoiceField(
        label=_("Reporting period"),
        choices=[("", _("Every period type")), *DataSet.PeriodType.choices],
        required=False,
        help_text=_("Periods are shown as 2025-05 (month), 2025-Q2 (quarter) or 2025 (year)."),
    )
    citizenship = forms.CharField(label=_("Only citizenship (code)"), required=False, max_length=3)
    border_type = forms.CharField(label=_("Only border type (code)"), required=False, max_length=10)


class DataSetForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Reporting participant"), queryset=None)
    agency = forms.ModelChoiceField(label=_("Reporting agency"), queryset=None)
    indicator_set = forms.ModelChoiceField(label=_("Indicator set"), queryset=None)
    code = forms.SlugField(
        label=_("Short code"), max_length=60, help_text=_("Letters, digits and hyphens, e.g. idn-monthly.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    audience = forms.ChoiceField(label=_("Who sees published figures"), choices=Audience.choices)
    period_type = forms.ChoiceField(
        label=_("Reporting period"),
        choices=DataSet.PeriodType.choices,
        initial=DataSet.PeriodType.MONTHLY,
        required=False,
        help_text=_("Monthly unless the participant reports per quarter or per year."),
    )
    first_period = forms.DateField(
        label=_("First period reported"),
        help_text=_("Its first day, e.g. 2025-01-01 (a month, a quarter or a year starting on that day)."),
    )
    due_days = forms.IntegerField(
        label=_("Days after the end of a period when its figures are due"),
        min_value=0,
        max_value=366,
        initial=30,
        required=False,
    )

    def clean_period_type(self) -> str:
        return self.cleaned_data["period_type"] or DataSet.PeriodType.MONTHLY

    def clean_due_days(self) -> int:
        value = self.cleaned_data["due_days"]
        return 30 if value is None else value

    def __init__(self, *args, **kwargs):
        from participants.models import Agency, Participant
        from regionaldata.models import IndicatorSet

        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.exclude(kind=Participant.Kind.REGIONAL_OFFICE)
        self.fields["agency"].queryset = Agency.objects.select_related("participant")
        self.fields["indicator_set"].queryset = IndicatorSet.objects.all()
