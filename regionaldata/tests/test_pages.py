"""Pages: dashboards with charts and tables, completeness and reminders, explorer, catalogue versions, PDF."""

from datetime import date

import pytest

from operations.models import OutboxMessage
from regionaldata import services
from regionaldata.importers import import_frontex
from regionaldata.models import Indicator, Submission
from regionaldata.tests.helpers import csv_bytes, login, month_rows, publish_month


@pytest.fixture
def published(stats):
    p = stats.personas
    return publish_month(stats, stats.alpha_set, contributor=p.alan_analyst, focal=p.alice_focal, period="2025-03")


def test_the_dashboard_draws_each_chart_with_its_table_and_download(client, stats, published):
    import_frontex(start=date(2025, 1, 1), end=date(2025, 2, 1))
    login(client, stats.personas.alan_analyst)
    response = client.get("/statistics/dashboard/?indicator=ibc")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") >= 5  # monthly, citizenships, map, routes, border types, participants
    assert "Afghanistan" in body and '<time datetime="2025-03">March 2025</time>' in body
    assert "Frontex counts detections, not persons" in body  # the data-quality note travels with the charts
    download = client.get("/statistics/dashboard/?indicator=ibc&download=monthly")
    assert download["Content-Disposition"] == 'attachment; filename="monthly.csv"'
    assert "2025-03,20" in download.content.decode()


def test_an_empty_dashboard_says_what_to_do(client, stats):
    login(client, stats.personas.gus_outsider)
    assert "No published figures you can see yet." in client.get("/statistics/dashboard/").content.decode()


def test_exports_neutralise_formulas_and_are_audited(client, stats, published):
    from audit.models import AuditEntry

    services.quality_note_add(actor=stats.personas.alan_analyst, dataset=stats.alpha_set, text="=HYPERLINK(evil)")
    login(client, stats.personas.alan_analyst)
    body = client.get("/statistics/export/csv/").content.decode()
    assert "'=HYPERLINK(evil)" in body
    assert client.get("/statistics/export/xlsx/").status_code == 200
    assert AuditEntry.objects.filter(verb__startswith="regionaldata.export.").count() == 2


def test_completeness_shows_overdue_months_and_reminders_are_sent_once(client, stats, published):
    login(client, stats.personas.alan_analyst)
    body = client.get("/statistics/completeness/").content.decode()
    assert "overdue" in body and "published" in body
    login(client, stats.personas.gus_outsider)  # reported nothing: sees no other participant's months
    body = client.get("/statistics/completeness/").content.decode()
    assert "published" not in body
    first = services.send_overdue_reminders(today=date(2025, 7, 15))
    again = services.send_overdue_reminders(today=date(2025, 7, 15))
    # Alphaland: Jan, Feb, Apr, May overdue (March published, June not yet due) to its focal point.
    alice = OutboxMessage.objects.filter(recipient=stats.personas.alice_focal)
    assert alice.count() == 4
    assert first >= 4 and again == 0
    assert "2025-01" in alice.order_by("dedup_key").first().dedup_key


def test_only_the_secretariat_sends_reminders(client, stats):
    login(client, stats.personas.alice_focal)
    assert client.post("/statistics/completeness/remind/").status_code == 403


def test_the_explorer_pivots_published_figures(client, stats, published):
    login(client, stats.personas.alan_analyst)
    body = client.get("/statistics/explorer/?indicator=ibc&rows=citizenship&columns=period").content.decode()
    assert '<th scope="row">AFG</th><td>12</td>' in body


def test_editing_an_indicator_keeps_the_old_version(client, stats):
    login(client, stats.secretariat)
    response = client.post(
        "/statistics/catalogue/facilitators/edit/",
        {
            "name": "Facilitators detected",
            "definition": "Now including organisers.",
            "unit": "persons",
            "dimensions": ["citizenship", "border_type", "sex"],
            "note": "Add sex breakdown",
        },
    )
    assert response.status_code == 302
    versions = Indicator.objects.filter(code="facilitators").order_by("version")
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert "sex" in versions.last().dimensions
    login(client, stats.personas.alice_focal)
    assert client.post("/statistics/catalogue/facilitators/edit/", {}).status_code == 403


def test_the_web_grid_goes_through_the_same_validation(client, stats):
    login(client, stats.personas.alan_analyst)
    assert client.get("/statistics/datasets/alp-monthly/grid/2025-03/").status_code == 200
    data = {
        "row_count": 3,
        "r0-indicator": "ibc",
        "r0-citizenship": "AFG",
        "r0-value": "4",
        "r1-indicator": "ibc",
        "r1-value": "5",
    }
    response = client.post("/statistics/datasets/alp-monthly/grid/2025-03/", data)
    assert response.status_code == 422
    assert "The total 5 is not the sum of its breakdown by citizenship (4)." in response.content.decode()
    data["r1-value"] = "4"
    response = client.post("/statistics/datasets/alp-monthly/grid/2025-03/", data)
    assert response.status_code == 302
    assert Submission.objects.get(dataset=stats.alpha_set).row_count == 2


def test_templates_download(client, stats):
    login(client, stats.personas.alan_analyst)
    assert client.get("/statistics/datasets/alp-monthly/template.csv").content.decode().startswith("indicator,period,")
    assert client.get("/statistics/datasets/alp-monthly/template.xlsx").content[:2] == b"PK"


def test_the_quarterly_feedback_pdf(client, stats, published):
    login(client, stats.personas.alice_focal)
    response = client.get("/statistics/feedback/alp/2025-Q1.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_home_shows_submissions_awaiting_the_secretariat(client, stats):
    p = stats.personas
    result = services.import_file(
        actor=p.alan_analyst, dataset=stats.alpha_set, content=csv_bytes(month_rows()), filename="m.csv"
    )
    services.submission_submit(actor=p.alan_analyst, submission=result.submissions[0])
    login(client, stats.secretariat)
    body = client.get("/").content.decode()
    assert "Submissions awaiting me" in body and "Alphaland monthly return, March 2025" in body
    assert "Statistics" in body


def test_the_secretariat_sets_up_a_data_set(client, stats):
    from regionaldata.models import DataSet, IndicatorSet

    p = stats.personas
    form = {
        "participant": p.gamma.pk,
        "agency": p.beta_agency.pk,
        "indicator_set": IndicatorSet.objects.get().pk,
        "code": "gam-extra",
        "name": "Gammaland extra",
        "audience": "reciprocal",
        "first_period": "2025-01-01",
    }
    login(client, p.alice_focal)
    assert client.post("/statistics/datasets/new/", form).status_code == 403
    login(client, stats.secretariat)
    response = client.post("/statistics/datasets/new/", form)
    assert response.status_code == 200 and "Choose an agency of Gammaland." in response.content.decode()
    form["agency"] = p.gamma_agency.pk
    assert client.post("/statistics/datasets/new/", form).status_code == 302
    assert DataSet.objects.get(code="gam-extra").participant == p.gamma
