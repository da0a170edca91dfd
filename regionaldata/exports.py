"""Files out: templates to fill in, and exports (CSV, XLSX, SDMX-CSV 2.0 with its SDMX-ML structure).

Exports are built from a queryset the caller got from queries.py (visible to an audience), and carry
the data-quality notes of the data sets they use.
"""

import csv
import io

from django.utils.translation import gettext as _

from regionaldata.models import DIMENSION_LABELS, DIMENSIONS, DataSet, QualityNote
from regionaldata.validation import COLUMNS

SDMX_AGENCY = "BP_RSO"
DATAFLOW_ID = "DF_IRREGULAR_MIGRATION"
DSD_ID = "DSD_IRREGULAR_MIGRATION"
SDMX_VERSION = "1.0"
SDMX_DIMENSIONS = ("REPORTING", "INDICATOR", *[name.upper() for name in DIMENSIONS])
EXPORT_FIELDS = ("submission__dataset__participant__code", "submission__period", "indicator", *DIMENSIONS, "value")
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


def notes_by_dataset(dataset_codes) -> dict[str, list[str]]:
    notes: dict[str, list[str]] = {}
    for note in QualityNote.objects.filter(dataset__participant__code__in=set(dataset_codes)).select_related("dataset"):
        prefix = f"{note.period:%Y-%m}: " if note.period else ""
        notes.setdefault(note.dataset.participant.code, []).append(prefix + note.text)
    return notes


def export_rows(observations):
    """(participant, YYYY-MM, indicator, dims..., value) tuples from a visible observations queryset."""
    for row in (
        observations.values_list(*EXPORT_FIELDS)
        .order_by("submission__period", "indicator", "pk")
        .iterator(chunk_size=5000)
    ):
        participant, period, *rest = row
        yield (participant, f"{period:%Y-%m}", *rest)


def to_csv(observations) -> tuple[str, int]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["participant", "period", "indicator", *DIMENSIONS, "value", "quality_notes"])
    rows = list(export_rows(observations))
    notes = notes_by_dataset({row[0] for row in rows})
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row] + [neutralise(" | ".join(notes.get(row[0], [])))])
    return buffer.getvalue(), len(rows)


def to_xlsx(observations) -> tuple[bytes, int]:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Figures"))
    sheet.append(["participant", "period", "indicator", *DIMENSIONS, "value"])
    rows = list(export_rows(observations))
    for row in rows:
        sheet.append([neutralise(cell) if isinstance(cell, str) else cell for cell in row])
    notes_sheet = workbook.create_sheet(_("Data quality notes"))
    notes_sheet.append(["participant", "note"])
    for participant, texts in notes_by_dataset({row[0] for row in rows}).items():
        for text in texts:
            notes_sheet.append([participant, neutralise(text)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), len(rows)


def to_sdmx_csv(observations) -> tuple[str, int]:
    """SDMX-CSV 2.0 (STRUCTURE, STRUCTURE_ID, ACTION, dimensions, TIME_PERIOD, OBS_VALUE, QUALITY_NOTE)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["STRUCTURE", "STRUCTURE_ID", "ACTION", *SDMX_DIMENSIONS, "TIME_PERIOD", "OBS_VALUE", "QUALITY_NOTE"]
    )
    structure_id = f"{SDMX_AGENCY}:{DATAFLOW_ID}({SDMX_VERSION})"
    rows = list(export_rows(observations))
    notes = notes_by_dataset({row[0] for row in rows})
    for participant, period, indicator, *rest in rows:
        *dims, value = rest
        writer.writerow(
            [
                "dataflow",
                structure_id,
                "I",
                participant,
                indicator,
                *dims,
                period,
                value,
                " | ".join(notes.get(participant, [])),
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

    def codelist(cl_id: str, items) -> common.Codelist:
        codes = common.Codelist(id=cl_id, maintainer=agency, version=SDMX_VERSION)
        codes.append(common.Code(id="_T", name="Total"))
        for code, label in items:
            codes.append(common.Code(id=code, name=label))
        message.add(codes)
        return codes

    lists = {
        "REPORTING": codelist("CL_REPORTING", Participant.objects.exclude(code="").values_list("code", "name")),
        "INDICATOR": codelist("CL_INDICATOR", Indicator.objects.filter(is_current=True).values_list("code", "name")),
    }
    for name in DIMENSIONS:
        lists[name.upper()] = codelist(
            f"CL_{name.upper()}", CodeListItem.objects.filter(dimension=name).values_list("code", "label")
        )
    dsd = v21.DataStructureDefinition(id=DSD_ID, maintainer=agency, version=SDMX_VERSION, name="Irregular migration")
    for order, dim in enumerate(SDMX_DIMENSIONS):
        concept = common.Concept(id=dim, name=str(DIMENSION_LABELS.get(dim.lower(), dim.title())))
        concepts.append(concept)
        dsd.dimensions.append(
            v21.Dimension(
                id=dim,
                concept_identity=concept,
                local_representation=common.Representation(enumerated=lists[dim]),
                order=order,
            )
        )
    time = common.Concept(id="TIME_PERIOD", name="Month")
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
    for line in (
        _("One row per number. 'period' is the month as YYYY-MM; 'value' is a whole number, zero or more."),
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
