"""In a real browser: upload a template with one bad row, see the error on that row, fix it and submit."""

import pytest

from portal.testing import TEST_PASSWORD, enrol_totp
from regionaldata.models import Submission, WorkflowState
from regionaldata.tests.helpers import csv_bytes, month_rows
from tests.browser.fixtures import assert_accessible, sign_in

# 160 bits: pyotp refuses secrets shorter than 112 bits.
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_with_a_bad_row_then_fix_and_submit(page, stats):
    enrol_totp(stats.personas.alan_analyst, SECRET)
    sign_in(page, "alan", TEST_PASSWORD, SECRET)

    page.goto("/statistics/")
    page.get_by_role("link", name="Alphaland monthly return").click()
    assert_accessible(page, label="data set page")
    template = page.request.get("/statistics/datasets/alp-monthly/template.csv").text()
    assert template.startswith("indicator,period,")

    bad = month_rows("2025-03")
    bad[1]["value"] = "eight"  # file row 3
    page.set_input_files(
        "input[name=file]", files=[{"name": "march.csv", "mimeType": "text/csv", "buffer": csv_bytes(bad)}]
    )
    page.get_by_role("button", name="Upload and check").click()
    problem = page.locator('tr[data-row="3"]')
    assert problem.is_visible()
    assert "'eight' is not a whole number." in problem.inner_text()
    assert "value" in problem.inner_text()
    assert_accessible(page, label="upload errors")
    assert not Submission.objects.exists()

    page.set_input_files(
        "input[name=file]",
        files=[{"name": "march.csv", "mimeType": "text/csv", "buffer": csv_bytes(month_rows("2025-03"))}],
    )
    page.get_by_role("button", name="Upload and check").click()
    assert page.get_by_text("4 rows stored for 1 period(s).").is_visible()
    page.get_by_role("link", name="March 2025").click()
    page.get_by_role("button", name="Submit to the secretariat").click()
    assert page.get_by_text("Submitted, awaiting validation").first.is_visible()
    assert Submission.objects.get().state == WorkflowState.SUBMITTED
    assert not page.watch.page_errors and not page.watch.csp_violations
