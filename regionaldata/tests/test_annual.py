"""Annual data sets end to end: reciprocity, completeness and reminders, exports (SDMX FREQ=A read by sdmx1),
dashboards, pivot, API, web grid and the quarterly feedback report. Today is 15 July 2025 (conftest).
"""

import csv
import io
from datetime import date

import pytest
import sdmx

from operations.models import OutboxMessage
from regionaldata import exports, queries, services
from regionaldata.models import Observation
from regionaldata.tests.conftest import make_dataset
from regionaldata.tests.helpers import login, month_rows, publish_month
from sharing.principals import principals_of


def fresh(user):
    """A new user object, as in a new request: principals are computed once per request."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def annual(stats):
    """Alphaland and Betaland report once a year (reciprocal audience); Gammaland reports nothing."""
    p = stats.personas
    alpha = make_dataset(p.alpha, p.alpha_agency, period_type="annual", first_period=date(2023, 1, 1))
    beta = make_dataset(p.beta, p.beta_agency, period_type="annual", first_period=date(2023, 1, 1))
    return alpha, beta


@pytest.fixture
def years(stats, annual):
    p = stats.personas
    alpha, beta = annual
    alpha_2024 = publish_month(stats, alpha, contributor=p.alan_analyst, focal=p.alice_focal, period="2024")
    beta_2024 = publish_month(
        stats, beta, contributor=p.bea_analyst, focal=p.bob_focal, period="2024", rows=month_rows("2024", afg=300)
    )
    beta_2023 = publish_month(stats, beta, contributor=p.bea_analyst, focal=p.bob_focal, period="2023")
    return alpha_2024, beta_2024, beta_2023


# --- reciprocity -------------------------------------------------------------------------------


def test_reporting_a_year_grants_the_year_principal_and_only_that_year(stats, years):
    _alpha_2024, beta_2024, beta_2023 = years
    keys = principals_of(fresh(stats.personas.avery_viewer)).keys
    assert "reported:irregular-migration:2024" in keys
    assert "reported:irregular-migration:2023" not in keys
    assert not any(key.startswith("reported:irregular-migration:2024-") for key in keys)  # no month of it
    visible = set(queries.visible_submissions(fresh(stats.personas.alan_analyst)))
    assert beta_2024 in visible and beta_2023 not in visible
    assert list(queries.visible_submissions(fresh(stats.personas.gus_outsider))) == []


def test_reporting_every_month_of_a_year_counts_as_reporting_the_year(stats, years):
    _alpha_2024, beta_2024, _beta_2023 = years
    p = stats.personas
    gamma_monthly = stats.gamma_set
    focal = type(p.bob_focal).objects.create(
        username="gwen", agency=p.gamma_agency, role=p.bob_focal.role, email="gwen@example.org"
    )
    contributor = type(p.bea_analyst).objects.create(
        username="gary", agency=p.gamma_agency, role=p.bea_analyst.role, email="gary@example.org"
    )
    for month in range(1, 12):
        publish_month(stats, gamma_monthly, contributor=contributor, focal=focal, period=f"2024-{month:02d}")
    keys = principals_of(fresh(p.gus_outsider)).keys
    assert "reported:irregular-migration:2024-Q3" in keys and "reported:irregular-migration:2024-Q4" not in keys
    assert "reported:irregular-migration:2024" not in keys  # eleven months are not the year
    assert beta_2024 not in queries.visible_submissions(fresh(p.gus_outsider))
    publish_month(stats, gamma_monthly, contributor=contributor, focal=focal, period="2024-12")
    assert "reported:irregular-migration:2024" in principals_of(fresh(p.gus_outsider)).keys
    assert beta_2024 in queries.visible_submissions(fresh(p.gus_outsider))


def test_a_published_year_carries_the_year_principal(stats, years):
    from django.contrib.contenttypes.models import ContentType

    from sharing.models import Recipient

    _alpha_2024, beta_2024, _beta_2023 = years
    keys = Recipient.objects.filter(
        content_type=ContentType.objects.get_for_model(beta_2024), object_id=beta_2024.pk
    ).values_list("principal_key", flat=True)
    assert list(keys) == ["reported:irregular-migration:2024"]


# --- completeness and reminders ----------------------------------------------------------------


def test_an_annual_data_set_is_expected_once_a_year_and_due_after_year_end(stats, annual):
    alpha, _beta = annual
    assert services.expected_periods(alpha, today=date(2025, 7, 15)) == [date(2023, 1, 1), date(2024, 1, 1)]
    assert services.due_date(alpha, date(2024, 1, 1)) == date(2025, 1, 30)  # 30 days after 31 December
    assert services.expected_periods(alpha, today=date(2024, 12, 31)) == [date(2023, 1, 1)]


def test_the_completeness_page_shows_years_for_annual_data_sets(client, stats, years):
    login(client, stats.personas.alan_analyst)
    body = client.get("/statistics/completeness/").content.decode()
    assert "Annual data sets" in body and "Monthly data sets" in body
    assert '<time datetime="2023">2023</time>' in body and '<time datetime="2024">2024</time>' in body
    assert '<time datetime="2025">' not in body  # 2025 has not ended
    sections = {section["period_type"]: section for section in queries.completeness(stats.personas.alan_analyst)}
    alpha_row = next(row for row in sections["annual"]["rows"] if row["dataset"].participant == stats.personas.alpha)
    # 2023 not sent and past its due date (30 January 2024): overdue; 2024 published.
    assert [(cell["state"], cell["overdue"]) for cell in alpha_row["cells"]] == [(None, True), ("published", False)]


def test_overdue_years_are_reminded_once_with_the_year_in_words(stats, annual):
    alpha, _beta = annual
    alice = stats.personas.alice_focal
    assert services.send_overdue_reminders(today=date(2024, 1, 29)) >= 0
    assert not OutboxMessage.objects.filter(recipient=alice, dedup_key__contains=f":{alpha.pk}:2023:").exists()
    services.send_overdue_reminders(today=date(2025, 2, 1))
    again = services.send_overdue_reminders(today=date(2025, 2, 1))
    reminders = OutboxMessage.objects.filter(recipient=alice, dedup_key__startswith=f"regionaldata:overdue:{alpha.pk}:")
    assert sorted(reminders.values_list("dedup_key", flat=True)) == [
        f"regionaldata:overdue:{alpha.pk}:2023:{alice.pk}",
        f"regionaldata:overdue:{alpha.pk}:2024:{alice.pk}",
    ]
    assert again == 0
    message = reminders.get(dedup_key__contains=":2024:")
    assert "Figures for 2024 are overdue" in message.subject
    assert "The annual figures of" in message.body and "30 January 2025" in message.body


# --- exports -----------------------------------------------------------------------------------


def test_sdmx_csv_with_freq_a_is_read_by_sdmx1_with_the_same_numbers(client, stats, years):
    structure = sdmx.read_sdmx(io.BytesIO(client.get("/statistics/sdmx/structure.xml").content))
    flow = structure.dataflow[exports.DATAFLOW_ID]
    assert {code.id for code in structure.codelist["CL_FREQ"]} == {"A", "Q", "M"}
    login(client, stats.personas.alan_analyst)
    response = client.get("/statistics/export/sdmx-csv/?period_type=annual")
    message = sdmx.read_sdmx(io.BytesIO(response.content), format="CSV", structure=flow)
    read = {
        (
            obs.dimension["REPORTING"].value,
            str(obs.dimension["TIME_PERIOD"].value),
            obs.dimension["FREQ"].value,
            obs.dimension["INDICATOR"].value,
            obs.dimension["CITIZENSHIP"].value,
        ): float(obs.value)
        for data_set in message.data
        for obs in data_set.obs
    }
    stored = {
        (o.submission.dataset.participant.code, o.submission.period_key, "A", o.indicator, o.citizenship): float(
            o.value
        )
        for o in queries.observations(fresh(stats.personas.alan_analyst)).select_related(
            "submission__dataset__participant"
        )
    }
    assert read == stored
    assert {key[1] for key in read} == {"2024"} and ("bet", "2024", "A", "ibc", "AFG") in read


def test_an_annual_sdmx_export_goes_back_into_an_annual_data_set_only(client, stats, years):
    alpha_2024, _beta_2024, _beta_2023 = years
    p = stats.personas
    login(client, p.alan_analyst)
    exported = client.get("/statistics/export/sdmx-csv/?dataset=alp-annual").content
    services.submission_reopen(actor=p.alice_focal, submission=alpha_2024, reason="round trip")
    back = services.import_file(actor=p.alan_analyst, dataset=alpha_2024.dataset, content=exported, filename="b.csv")
    assert back.report.ok, back.report.errors
    assert [s.period_key for s in back.submissions] == ["2024"]
    monthly = services.import_file(actor=p.alan_analyst, dataset=stats.alpha_set, content=exported, filename="m.csv")
    assert {(e.column, e.message) for e in monthly.report.errors} >= {
        ("freq", "FREQ 'A' is not this data set's: it is monthly (FREQ M)."),
        ("period", "'2024' is not a month; write it as YYYY-MM, e.g. 2025-03."),
    }


def test_csv_and_xlsx_exports_write_the_year_and_the_period_type(client, stats, years):
    from openpyxl import load_workbook

    p = stats.personas
    publish_month(stats, stats.alpha_set, contributor=p.alan_analyst, focal=p.alice_focal, period="2025-01")
    login(client, p.alan_analyst)
    rows = list(csv.DictReader(io.StringIO(client.get("/statistics/export/csv/").content.decode())))
    assert {(row["period"], row["period_type"]) for row in rows} == {("2024", "annual"), ("2025-01", "monthly")}
    assert {row["dataset"] for row in rows} == {"alp-annual", "bet-annual", "alp-monthly"}
    sheet = load_workbook(io.BytesIO(client.get("/statistics/export/xlsx/").content))["Figures"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["participant", "dataset", "period", "period_type"]
    assert {(row[2], row[3]) for row in sheet.iter_rows(min_row=2, values_only=True)} == {
        ("2024", "annual"),
        ("2025-01", "monthly"),
    }


# --- dashboards, pivot, API, grid, feedback ----------------------------------------------------


def test_annual_figures_are_a_yearly_series_never_a_january(client, stats, years):
    p = stats.personas
    publish_month(stats, stats.alpha_set, contributor=p.alan_analyst, focal=p.alice_focal, period="2025-01")
    alan = fresh(p.alan_analyst)
    assert queries.monthly_totals(alan, indicator="ibc") == [(date(2025, 1, 1), 20)]
    assert queries.annual_totals(alan, indicator="ibc") == [(2024, 20 + 308, None)]
    login(client, alan)
    body = client.get("/statistics/dashboard/?indicator=ibc").content.decode()
    assert "Regional total by year (annual data sets)" in body
    assert '<time datetime="2024">2024</time></td><td>328</td>' in body
    assert '<time datetime="2024-01">' not in body
    download = client.get("/statistics/dashboard/?indicator=ibc&download=annual").content.decode()
    assert download.splitlines()[:2] == ["year,value,change_percent", "2024,328,"]


def test_breakdowns_count_a_year_only_when_the_window_holds_all_of_it(stats, years):
    alan = fresh(stats.personas.alan_analyst)
    whole = dict(queries.breakdown(alan, indicator="ibc", dimension="citizenship", start=date(2024, 1, 1)))
    assert whole["AFG"] == 12 + 300
    part = queries.breakdown(
        alan, indicator="ibc", dimension="citizenship", start=date(2024, 1, 1), end=date(2024, 6, 1)
    )
    assert part == []  # half of 2024 is not 2024
    late = queries.breakdown(alan, indicator="ibc", dimension="citizenship", start=date(2024, 2, 1))
    assert late == []


def test_the_pivot_shows_years_as_years(client, stats, years):
    login(client, stats.personas.alan_analyst)
    body = client.get(
        "/statistics/explorer/?indicator=ibc&rows=citizenship&columns=period&period_type=annual"
    ).content.decode()
    assert '<th scope="col">2024</th>' in body and '<th scope="row">AFG</th><td>312</td>' in body


def test_the_api_writes_years_and_filters_by_period(client, stats, years):
    login(client, stats.personas.alan_analyst)
    submissions = client.get("/api/v1/statistics/submissions/").json()["results"]
    assert {(row["period"], row["period_type"]) for row in submissions} == {("2024", "annual")}
    rows = client.get("/api/v1/statistics/observations/?indicator=ibc&start=2024&end=2024&citizenship=AFG").json()
    assert sorted((row["participant"], row["period"], row["value"]) for row in rows["results"]) == [
        ("alp", "2024", 12),
        ("bet", "2024", 300),
    ]
    assert client.get("/api/v1/statistics/observations/?start=2024-H1").status_code == 400
    assert client.get("/api/v1/statistics/observations/?period_type=weekly").status_code == 400
    assert client.get("/api/v1/statistics/observations/?period_type=monthly").json()["results"] == []


def test_the_api_takes_an_annual_json_submission(client, stats, annual):
    login(client, stats.personas.alan_analyst)
    response = client.post(
        "/api/v1/statistics/submissions/",
        {"dataset": "alp-annual", "observations": [{"indicator": "ibc", "period": "2024", "value": 7}]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["submissions"][0]["period"] == "2024"
    response = client.post(
        "/api/v1/statistics/submissions/",
        {"dataset": "alp-annual", "observations": [{"indicator": "ibc", "period": "2024-06", "value": 7}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["column"] == "period"


def test_the_web_grid_and_template_of_an_annual_data_set(client, stats, annual):
    from openpyxl import load_workbook

    login(client, stats.personas.alan_analyst)
    page = client.get("/statistics/datasets/alp-annual/").content.decode()
    assert "/statistics/datasets/alp-annual/grid/2025/" in page
    assert client.get("/statistics/datasets/alp-annual/grid/2024-05/").status_code == 404
    body = client.get("/statistics/datasets/alp-annual/grid/2024/").content.decode()
    assert '<time datetime="2024">2024</time>' in body
    response = client.post(
        "/statistics/datasets/alp-annual/grid/2024/", {"row_count": 1, "r0-indicator": "ibc", "r0-value": "9"}
    )
    assert response.status_code == 302
    assert Observation.objects.get(submission__dataset__code="alp-annual").submission.period == date(2024, 1, 1)
    workbook = load_workbook(io.BytesIO(client.get("/statistics/datasets/alp-annual/template.xlsx").content))
    guide = [row[0] for row in workbook["How to fill"].iter_rows(values_only=True) if row and row[0]]
    assert "'period' is the year as YYYY, e.g. 2024" in " ".join(guide)


def test_the_quarterly_feedback_shows_annual_data_as_the_year(stats, years):
    from regionaldata.reports import feedback_context

    p = stats.personas
    publish_month(stats, stats.alpha_set, contributor=p.alan_analyst, focal=p.alice_focal, period="2024-11")
    context = feedback_context(fresh(p.alice_focal), participant_code="alp", year=2024, quarter=4)
    sent = [(row["dataset"].code, row["period"], row["state"]) for row in context["sent"]]
    assert ("alp-annual", "2024", "published") in sent
    assert ("alp-monthly", "November 2024", "published") in sent
    assert ("alp-monthly", "October 2024", None) in sent
    assert ("Detections of irregular border crossing", 2024, 328, None) in context["annual"]
    assert all(month.month in (10, 11, 12) for month, _value in context["regional"])


def test_the_secretariat_sets_up_an_annual_data_set(client, stats):
    from regionaldata.models import DataSet, IndicatorSet

    p = stats.personas
    login(client, stats.secretariat)
    response = client.post(
        "/statistics/datasets/new/",
        {
            "participant": p.gamma.pk,
            "agency": p.gamma_agency.pk,
            "indicator_set": IndicatorSet.objects.get().pk,
            "code": "gam-annual",
            "name": "Gammaland annual return",
            "audience": "members",
            "period_type": "annual",
            "first_period": "2024-05-01",
            "due_days": 90,
        },
    )
    assert response.status_code == 302
    dataset = DataSet.objects.get(code="gam-annual")
    assert (dataset.period_type, dataset.first_period, dataset.due_days) == ("annual", date(2024, 1, 1), 90)


def test_a_quarterly_data_set_is_its_own_series_expected_each_quarter(client, stats):
    p = stats.personas
    quarterly = make_dataset(p.alpha, p.alpha_agency, period_type="quarterly", first_period=date(2025, 1, 1))
    submission = publish_month(stats, quarterly, contributor=p.alan_analyst, focal=p.alice_focal, period="2025-Q1")
    assert str(submission).endswith("· 2025-Q1")
    assert services.expected_periods(quarterly, today=date(2025, 7, 15)) == [date(2025, 1, 1), date(2025, 4, 1)]
    assert services.due_date(quarterly, date(2025, 4, 1)) == date(2025, 7, 30)
    alan = fresh(p.alan_analyst)
    assert queries.period_totals(alan, indicator="ibc", period_type="quarterly") == [(date(2025, 1, 1), 20)]
    assert queries.monthly_totals(alan, indicator="ibc") == []
    login(client, alan)
    body = client.get("/statistics/dashboard/?indicator=ibc").content.decode()
    assert "Regional total by quarter (quarterly data sets)" in body and "<td>2025-Q1</td><td>20</td>" in body
    rows = client.get("/api/v1/statistics/observations/?indicator=ibc&start=2025-Q1&end=2025-03").json()["results"]
    assert {row["period"] for row in rows} == {"2025-Q1"}


def test_the_feedback_pdf_renders_annual_figures(client, stats, years):
    from regionaldata.reports import feedback_html

    html = feedback_html(fresh(stats.personas.alice_focal), participant_code="alp", year=2024, quarter=4)
    assert "Annual figures (data sets reporting once a year)" in html and "<td>2024</td>" in html
    login(client, stats.personas.alice_focal)
    response = client.get("/statistics/feedback/alp/2024-Q4.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
