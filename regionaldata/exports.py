"""Files out: templates to fill in, and exports (CSV, XLSX, SDMX-CSV 2.0 with its SDMX-ML structure).

Exports are built from a queryset the caller got from queries.py (visible to an audience), and carry
the data-quality notes of the data sets they use: a data set's general notes on every row of it, a note
on one period only on that period's rows. Periods are written as their key (2025-05, 2025-Q2, 2025) with
the period type (SDMX: FREQ M, Q or A) beside them.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from django.utils.translation import gettext as _

from regionaldata import periods
from regionaldata.models import DIMENSION_LABELS, DIMENSIONS, DataSet, QualityNote
from regionaldata.validation import COLUMNS

SDMX_AGENCY = "BP_RSO"
DATAFLOW_ID = "DF_IRREGULAR_MIGRATION"
DSD_ID = "DSD_IRREGULAR_MIGRATION"
SDMX_VERSION = "1.0"
SDMX_DIMENSIONS = ("FREQ", "REPORTING", "INDICATOR", *[name.upper() for name in DIMENSIONS])
EXPORT_FIELDS = (
    "submission__dataset__code",
    "submission__dataset__participant__code",
    "submission__period",
    "submission__dataset__period_type",
    "indicator",
    *DIMENSIONS,
    "value",
)
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """Stop spreadsheet formula injection: prefix risky text cells with an apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(DANGEROUS_PREFIXES) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class ExportRow(NamedTuple):
    dataset: str
    participant: str
    period: str  # the key: 2025-05, 2025-Q2 or 2025
    period_type: str
    start: date
    indicator: str
    dimensions: tuple
    value: int


class Notes:
    """The quality notes of some data sets: general ones and per-period ones, joined per export row."""

    def __init__(self, dataset_codes) -> None:
        self.general: dict[str, list[str]] = defaultdict(list)
        self.on_period: dict[tuple[str, date], list[str]] = defaultdict(list)
        self.listed: list[tuple[str, str, str]] = []  # (data set, period key or "", text) for notes sheets
        notes = QualityNote.objects.filter(dataset__code__in=set(dataset_codes)).select_related("dataset")
        for note in notes.order_by("dataset__code", "period", "pk"):
            if note.period is None:
                self.general[note.dataset.code].append(note.text)
                self.listed.append((note.dataset.code, "", note.text))
            else:
                key = periods.key(note.period, note.dataset.period_type)
                self.on_period[(note.dataset.code, note.period)].append(f"{key}: {note.text}")
                self.listed.append((note.dataset.code, key, note.text))

    def text(self, row: ExportRow) -> str:
        return " | ".join(self.general.get(row.dataset, []) + self.on_period.get((row.dataset, row.start), []))


def export_rows(observations) -> Iterator[ExportRow]:
    """One ExportRow per visible observation, by period, indicator and insertion order."""
    for row in (
        observations.values_list(*EXPORT_FIELDS)
        .order_by("submission__period", "indicator", "pk")
        .iterator(chunk_size=5000)
    ):
        dataset, participant, start, period_type, indicator, *rest = row
        *dims, value = rest
        yield ExportRow(
            dataset, participant, periods.key(start, period_type), period_type, start, indicator, tuple(dims), value
        )


def to_csv(observations) -> tuple[str, int]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["participant", "dataset", "period", "period_type", "indicator", *DIMENSIONS, "value", "quality_notes"]
    )
    rows = list(export_rows(observations))
    notes = Notes({row.dataset for row in rows})
    for row in rows:
        cells = [row.participant, row.dataset, row.period, row.period_type, row.indicator, *row.dimensions]
        writer.writerow([neutralise(cell) for cell in cells] + [row.value, neutralise(notes.text(row))])
    return buffer.getvalue(), len(rows)


def to_xlsx(observations) -> tuple[bytes, int]:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Figures"))
    sheet.append(["participant", "dataset", "period", "period_type", "indicator", *DIMENSIONS, "value"])
    rows = list(export_rows(observations))
    for row in rows:
        cells = [row.participant, row.dataset, row.period, row.period_type, row.indicator, *row.dimensions]
        sheet.append([neutralise(cell) for cell in cells] + [row.value])
    notes_sheet = workbook.create_sheet(_("Data quality notes"))
    notes_sheet.append(["dataset", "period", "note"])
    for dataset, period, text in Notes({row.dataset for row in rows}).listed:
        notes_sheet.append([dataset, period, neutralise(text)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), len(rows)


def to_sdmx_csv(observations) -> tuple[str, int]:
    """SDMX-CSV 2.0 (STRUCTURE, STRUCTURE_ID, ACTION, FREQ, dimensions, TIME_PERIOD, OBS_VALUE, QUALITY_NOTE)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["STRUCTURE", "STRUCTURE_ID", "ACTION", *SDMX_DIMENSIONS, "TIME_PERIOD", "OBS_VALUE", "QUALITY_NOTE"]
    )
    structure_id = f"{SDMX_AGENCY}:{DATAFLOW_ID}({SDMX_VERSION})"
    rows = list(export_rows(observations))
    notes = Notes({row.dataset for row in rows})
    for row in rows:
        writer.writerow(
            [
                "dataflow",
                structure_id,
                "I",
                periods.FREQ[row.period_type],
                row.participant,
                row.indicator,
                *row.dimensions,
                row.period,
                row.value,
                notes.text(row),
            ]
        )
    return buffer.getvalue(), len(rows)


def structure_message():
    """The SDMX structure: code lists, concept scheme, data structure definition and data flow."""
    import sdmx
    from sdmx.model import common, v21

    from participants.models import Participant
    from regionaldata.models import CodeListItem, Indicator

    agency = common.Agency(id=SDMX_AGENCY, name="Bali Process Regional Support Office")
    message = sdmx.message.StructureMessage()
    concepts = common.ConceptScheme(id="CS_IRREGULAR_MIGRATION", maintainer=agency, version=SDMX_VERSION)

    def codelist(cl_id: str, items, *, total: bool = True, version: str = SDMX_VERSION) -> common.Codelist:
        codes = common.Codelist(id=cl_id, maintainer=agency, version=version)
        if total:
            codes.append(common.Code(id="_T", name="Total"))
        for code, label in items:
            codes.append(common.Code(id=code, name=label))
        message.add(codes)
        return codes

    lists = {
        "FREQ": codelist("CL_FREQ", periods.FREQ_NAMES.items(), total=False),
        "REPORTING": codelist("CL_REPORTING", Participant.objects.exclude(code="").values_list("code", "name")),
        "INDICATOR": codelist("CL_INDICATOR", Indicator.objects.filter(is_current=True).values_list("code", "name")),
    }
    for name in DIMENSIONS:
        # The current version of each code list (catalogue.CODE_LIST_ADDITIONS): 1.0, 2.0...
        items = CodeListItem.objects.filter(dimension=name)
        version = max(items.values_list("version", flat=True), default=1)
        lists[name.upper()] = codelist(f"CL_{name.upper()}", items.values_list("code", "label"), version=f"{version}.0")
    dsd = v21.DataStructureDefinition(id=DSD_ID, maintainer=agency, version=SDMX_VERSION, name="Irregular migration")
    for order, dim in enumerate(SDMX_DIMENSIONS):
        name = "Frequency" if dim == "FREQ" else str(DIMENSION_LABELS.get(dim.lower(), dim.title()))
        concept = common.Concept(id=dim, name=name)
        concepts.append(concept)
        dsd.dimensions.append(
            v21.Dimension(
                id=dim,
                concept_identity=concept,
                local_representation=common.Representation(enumerated=lists[dim]),
                order=order,
            )
        )
    time = common.Concept(id="TIME_PERIOD", name="Time period (2025-05, 2025-Q2 or 2025, as FREQ says)")
    concepts.append(time)
    dsd.dimensions.append(v21.TimeDimension(id="TIME_PERIOD", concept_identity=time, order=len(SDMX_DIMENSIONS)))
    measure = common.Concept(id="OBS_VALUE", name="Value")
    concepts.append(measure)
    dsd.measures.append(v21.PrimaryMeasure(id="OBS_VALUE", concept_identity=measure))
    note = common.Concept(id="QUALITY_NOTE", name="Data-quality note")
    concepts.append(note)
    dsd.attributes.append(
        v21.DataAttribute(
            id="QUALITY_NOTE",
            concept_identity=note,
            related_to=v21.PrimaryMeasureRelationship(),
            usage_status=common.UsageStatus.conditional,
        )
    )
    flow = v21.DataflowDefinition(id=DATAFLOW_ID, maintainer=agency, version=SDMX_VERSION, structure=dsd)
    message.add(concepts)
    message.add(dsd)
    message.add(flow)
    return message


def structure_xml() -> bytes:
    import sdmx

    return sdmx.to_xml(structure_message(), pretty_print=True)


# --- templates ---------------------------------------------------------------------------------


def template_columns(dataset: DataSet) -> list[str]:
    return list(COLUMNS)


def template_csv(dataset: DataSet) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(template_columns(dataset))
    return buffer.getvalue()


def template_xlsx(dataset: DataSet) -> bytes:
    """Workbook: a 'Figures' sheet with the columns, a 'How to fill' sheet and the code lists."""
    from openpyxl import Workbook

    from regionaldata.models import CodeListItem, Indicator

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    sheet.append(template_columns(dataset))
    guide = workbook.create_sheet("How to fill")
    period_example = {
        periods.MONTHLY: _("'period' is the month as YYYY-MM, e.g. 2025-03"),
        periods.QUARTERLY: _("'period' is the quarter as YYYY-Qn, e.g. 2025-Q1"),
        periods.ANNUAL: _("'period' is the year as YYYY, e.g. 2024"),
    }[dataset.period_type]
    for line in (
        _("This data set is %(type)s: one set of figures per %(noun)s.")
        % {"type": dataset.get_period_type_display().lower(), "noun": periods.NOUN[dataset.period_type]},
        _("One row per number. %(period)s; 'value' is a whole number, zero or more.") % {"period": period_example},
        _("Leave a breakdown column empty for 'all' (a total). Totals must equal the sum of their breakdowns."),
        _("Only the breakdowns listed for each indicator are allowed. Codes are on the 'Code lists' sheet."),
    ):
        guide.append([line])
    guide.append([])
    guide.append(["indicator", "name", "breakdowns allowed", "definition"])
    for indicator in Indicator.objects.filter(is_current=True, code__in=dataset.indicator_set.indicator_codes):
        guide.append([indicator.code, indicator.name, ", ".join(indicator.dimensions), indicator.definition])
    codes = workbook.create_sheet("Code lists")
    codes.append(["column", "code", "meaning"])
    for dimension, code, label in CodeListItem.objects.values_list("dimension", "code", "label"):
        codes.append([dimension, code, label])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
