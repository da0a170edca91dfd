"""The kinds of item and the structured fields each carries (on top of title, summary and body).

Each field is described once here; forms, the API and validation read the same description, so a
trend report cannot carry a fee and a document fraud alert must name its fraud type.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ISO3_RE = re.compile(r"^[A-Z]{3}$")
IATA_AIRPORT_RE = re.compile(r"^[A-Z]{3}$")
IATA_CARRIER_RE = re.compile(r"^[A-Z0-9]{2}$")
PERIOD_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class Kind(models.TextChoices):
    TREND_REPORT = "trend_report", gettext_lazy("Trend report")
    MODUS_OPERANDI = "modus_operandi", gettext_lazy("Modus operandi report")
    DOCUMENT_FRAUD_ALERT = "document_fraud_alert", gettext_lazy("Document fraud alert")
    IRREGULAR_MOVEMENT_ALERT = "irregular_movement_alert", gettext_lazy("Irregular movement alert")
    VULNERABILITY_NOTICE = "vulnerability_notice", gettext_lazy("Vulnerability notice")
    TRAINING_OPPORTUNITY = "training_opportunity", gettext_lazy("Training or capacity opportunity")


class FraudType(models.TextChoices):
    COUNTERFEIT = "counterfeit", gettext_lazy("Counterfeit")
    FORGED = "forged", gettext_lazy("Forged")
    FRAUDULENTLY_OBTAINED = "fraudulently_obtained", gettext_lazy("Fraudulently obtained")
    IMPOSTOR = "impostor", gettext_lazy("Impostor")
    STOLEN_BLANK = "stolen_blank", gettext_lazy("Stolen blank")


@dataclass(frozen=True)
class DetailField:
    name: str
    label: object
    many: bool = False  # a list of values (entered one per line or comma-separated)
    pattern: re.Pattern | None = None
    pattern_hint: object = ""
    choices: tuple = ()
    required: bool = False
    long: bool = False  # shown as a text area


_T = gettext_lazy
COUNTRY = {"pattern": ISO3_RE, "pattern_hint": _T("ISO 3166-1 alpha-3 codes such as LKA, MYS")}

DETAIL_FIELDS: dict[str, tuple[DetailField, ...]] = {
    Kind.TREND_REPORT: (
        DetailField("period_from", _T("Period from (YYYY-MM)"), pattern=PERIOD_RE, pattern_hint=_T("YYYY-MM")),
        DetailField("period_to", _T("Period to (YYYY-MM)"), pattern=PERIOD_RE, pattern_hint=_T("YYYY-MM")),
        DetailField(
            "airports",
            _T("Airports (IATA codes)"),
            many=True,
            pattern=IATA_AIRPORT_RE,
            pattern_hint=_T("three-letter IATA codes such as CMB, KUL"),
        ),
        DetailField(
            "carriers",
            _T("Carriers (IATA codes)"),
            many=True,
            pattern=IATA_CARRIER_RE,
            pattern_hint=_T("two-character IATA airline codes such as UL, MH"),
        ),
    ),
    Kind.MODUS_OPERANDI: (
        DetailField("method", _T("Method"), required=True, long=True),
        DetailField("facilitator_profile", _T("Facilitator profile"), long=True),
        DetailField("fees", _T("Fees paid")),
        DetailField("transport", _T("Means of transport"), many=True),
        DetailField("document_abuse", _T("Document abuse"), long=True),
    ),
    Kind.DOCUMENT_FRAUD_ALERT: (
        DetailField("document_type", _T("Document type"), required=True),
        DetailField("issuing_country", _T("Issuing country (ISO alpha-3)"), required=True, **COUNTRY),
        DetailField("number_ranges", _T("Series or number ranges"), many=True),
        DetailField("fraud_type", _T("Fraud type"), choices=tuple(FraudType.choices), required=True),
        DetailField("detection_features", _T("Detection features"), long=True),
    ),
    Kind.IRREGULAR_MOVEMENT_ALERT: (
        DetailField("transit_points", _T("Transit points (IATA codes)"), many=True, pattern=IATA_AIRPORT_RE),
        DetailField("expected_timing", _T("Expected timing")),
    ),
    Kind.VULNERABILITY_NOTICE: (
        DetailField("location", _T("Airport or location concerned"), required=True),
        DetailField("vulnerability", _T("What the vulnerability is"), long=True, required=True),
        DetailField("mitigation", _T("Suggested mitigation"), long=True),
    ),
    Kind.TRAINING_OPPORTUNITY: (
        DetailField("provider", _T("Provider"), required=True),
        DetailField("starts_on", _T("Starts on (YYYY-MM-DD)"), pattern=re.compile(r"^\d{4}-\d{2}-\d{2}$")),
        DetailField("location", _T("Location")),
        DetailField("eligibility", _T("Who may apply"), long=True),
        DetailField("how_to_apply", _T("How to apply"), long=True),
    ),
}

# Kinds whose content is never shared beyond named recipients.
RESTRICTED_KINDS = frozenset({Kind.VULNERABILITY_NOTICE})


def split_values(raw) -> list[str]:
    """A list from a list, or from text with one value per line or separated by commas."""
    if raw is None:
        return []
    values = [str(v) for v in raw] if isinstance(raw, list | tuple) else re.split(r"[\n,;]+", str(raw))
    return [v.strip() for v in values if v and v.strip()]


def clean_details(kind: str, details: dict | None) -> dict:
    """Validate and normalise the structured fields of one kind; unknown fields are an error."""
    details = dict(details or {})
    fields = {f.name: f for f in DETAIL_FIELDS.get(kind, ())}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(details) - set(fields))
    for name in unknown:
        errors.setdefault("details", []).append(_("'%(field)s' is not a field of this kind of item.") % {"field": name})
    clean: dict = {}
    for name, spec in fields.items():
        raw = details.get(name)
        if spec.many:
            values = split_values(raw)
            if spec.pattern is not None:
                values = [v.upper() for v in values]
                bad = [v for v in values if not spec.pattern.match(v)]
                if bad:
                    errors.setdefault("details", []).append(
                        _("%(label)s: %(bad)s (expected %(hint)s).")
                        % {"label": spec.label, "bad": ", ".join(bad), "hint": spec.pattern_hint}
                    )
            if values:
                clean[name] = values
            elif spec.required:
                errors.setdefault("details", []).append(_("%(label)s is required.") % {"label": spec.label})
            continue
        value = "" if raw is None else str(raw).strip()
        if not value:
            if spec.required:
                errors.setdefault("details", []).append(_("%(label)s is required.") % {"label": spec.label})
            continue
        if spec.pattern is not None:
            if spec.pattern in (ISO3_RE, IATA_AIRPORT_RE):
                value = value.upper()
            if not spec.pattern.match(value):
                errors.setdefault("details", []).append(
                    _("%(label)s: '%(value)s' is not valid (expected %(hint)s).")
                    % {"label": spec.label, "value": value, "hint": spec.pattern_hint}
                )
        if spec.choices and value not in {c[0] for c in spec.choices}:
            errors.setdefault("details", []).append(
                _("%(label)s: choose one of %(list)s.")
                % {"label": spec.label, "list": ", ".join(c[0] for c in spec.choices)}
            )
        clean[name] = value
    if errors:
        raise ValidationError(errors)
    return clean


def details_for_display(kind: str, details: dict) -> list[tuple[object, str]]:
    """(label, text) pairs in the order the kind declares them."""
    rows = []
    for spec in DETAIL_FIELDS.get(kind, ()):
        value = details.get(spec.name)
        if not value:
            continue
        if spec.choices:
            value = dict(spec.choices).get(value, value)
        rows.append((spec.label, ", ".join(value) if isinstance(value, list) else str(value)))
    return rows


def clean_codes(values, *, field: str, pattern: re.Pattern = ISO3_RE, hint: object = "") -> list[str]:
    """Upper-cased, de-duplicated codes; an invalid one is an error naming the field."""
    codes = []
    for value in split_values(values):
        code = value.upper()
        if not pattern.match(code):
            raise ValidationError(
                {field: _("'%(value)s' is not valid (expected %(hint)s).") % {"value": value, "hint": hint}}
            )
        if code not in codes:
            codes.append(code)
    return codes
