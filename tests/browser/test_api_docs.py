"""The API documentation page works on a closed intranet under the strict CSP."""

import pytest

from portal.testing import Personas
from tests.browser.fixtures import open_signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_from_vendored_files_without_csp_violations(browser, live_server, browser_settings):
    personas = Personas.build()
    page = open_signed_in(browser, live_server, personas.alan_analyst)
    external: list[str] = []
    page.on(
        "request", lambda request: None if request.url.startswith(live_server.url) else external.append(request.url)
    )
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .information-container", timeout=20_000)
    assert page.locator("text=Bali Process Cooperation Portal API").count() >= 1
    assert not external, external
    assert not page.watch.csp_violations, page.watch.csp_violations
    assert not page.watch.page_errors, page.watch.page_errors
    page.context.close()
