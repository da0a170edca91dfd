"""Reciprocity: a participant sees others' figures for a month only if it reported that month itself.

Expressed as the derived principal `reported:<indicator set>:<month>` in the sharing module; no separate check.
"""

import pytest

from regionaldata import queries
from regionaldata.tests.helpers import login, month_rows, publish_month
from sharing.principals import principals_of


@pytest.fixture
def months(stats):
    p = stats.personas
    alpha_jan = publish_month(stats, stats.alpha_set, contributor=p.alan_analyst, focal=p.alice_focal, period="2025-01")
    beta_jan = publish_month(
        stats,
        stats.beta_set,
        contributor=p.bea_analyst,
        focal=p.bob_focal,
        period="2025-01",
        rows=month_rows("2025-01", afg=30, mmr=10),
    )
    beta_feb = publish_month(stats, stats.beta_set, contributor=p.bea_analyst, focal=p.bob_focal, period="2025-02")
    return alpha_jan, beta_jan, beta_feb


def fresh(user):
    """A new user object, as in a new request: principals are computed once per request."""
    return type(user).objects.get(pk=user.pk)


def test_reporting_a_month_grants_the_derived_principal(stats, months):
    assert "reported:irregular-migration:2025-01" in principals_of(fresh(stats.personas.avery_viewer)).keys
    assert "reported:irregular-migration:2025-02" not in principals_of(fresh(stats.personas.avery_viewer)).keys
    assert not any(key.startswith("reported:") for key in principals_of(fresh(stats.personas.gus_outsider)).keys)


def test_a_participant_sees_others_only_for_months_it_reported(stats, months):
    alpha_jan, beta_jan, beta_feb = months
    alan = fresh(stats.personas.alan_analyst)
    assert set(queries.visible_submissions(alan)) == {alpha_jan, beta_jan}
    assert beta_feb not in queries.visible_submissions(alan)


def test_a_participant_that_reported_nothing_sees_no_other_figures(stats, months):
    assert list(queries.visible_submissions(fresh(stats.personas.gus_outsider))) == []
    assert queries.monthly_totals(fresh(stats.personas.gus_outsider), indicator="ibc") == []


def test_charts_and_exports_follow_reciprocity(client, stats, months):
    from datetime import date

    alan = fresh(stats.personas.alan_analyst)
    assert queries.monthly_totals(alan, indicator="ibc") == [(date(2025, 1, 1), 20 + 40)]
    login(client, alan)
    body = client.get("/statistics/export/csv/").content.decode()
    assert "2025-01" in body and "2025-02" not in body


def test_pages_and_api_answer_404_for_an_unreported_month(client, stats, months):
    _alpha_jan, beta_jan, beta_feb = months
    login(client, stats.personas.alan_analyst)
    assert client.get(f"/statistics/submissions/{beta_jan.pk}/").status_code == 200
    assert client.get(f"/statistics/submissions/{beta_feb.pk}/").status_code == 404
    assert client.get(f"/api/v1/statistics/submissions/{beta_feb.pk}/").status_code == 404
    rows = client.get("/api/v1/statistics/observations/?indicator=ibc").json()["results"]
    assert {row["period"] for row in rows} == {"2025-01"}


def test_reopening_a_month_takes_back_the_principal(stats, months):
    from regionaldata import services

    alpha_jan, beta_jan, _ = months
    services.submission_reopen(actor=stats.personas.alice_focal, submission=alpha_jan, reason="typo")
    viewer = fresh(stats.personas.avery_viewer)
    assert beta_jan not in queries.visible_submissions(viewer)


def test_members_audience_reaches_every_member_without_reporting(stats):
    from regionaldata import services

    p = stats.personas
    services.dataset_set_audience(actor=p.bob_focal, dataset=stats.beta_set, audience="members")
    beta_feb = publish_month(stats, stats.beta_set, contributor=p.bea_analyst, focal=p.bob_focal, period="2025-02")
    assert beta_feb in queries.visible_submissions(fresh(p.gus_outsider))
