"""The browser checks themselves can fail: a blocked inline handler, a dialog and an axe violation are seen."""

import pytest

from portal.testing import Personas
from tests.browser.fixtures import accessibility_violations, open_signed_in
from tests.browser.walker import INJECTED_MARKUP_JS, Walker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_watch_sees_a_blocked_inline_handler_a_dialog_and_injected_markup(browser, live_server, browser_settings):
    personas = Personas.build()
    page = open_signed_in(browser, live_server, personas.alan_analyst)
    page.goto("/")
    page.evaluate(
        """document.querySelector('main').insertAdjacentHTML('beforeend',
             '<img alt="" src="/static/none.png" onerror="window.__xss=1">')"""
    )
    page.wait_for_function("() => document.querySelector('main img').complete")
    page.wait_for_timeout(200)  # the console message crosses the CDP connection after the event
    assert page.watch.csp_violations, "the page's CSP blocked the handler and the watch must notice"
    assert page.evaluate("window.__xss") is None  # blocked: the strict CSP is what keeps it inert
    assert page.evaluate(INJECTED_MARKUP_JS) == ["IMG[onerror]"]

    page.evaluate("setTimeout(() => alert('x'), 0)")
    page.wait_for_timeout(200)
    assert page.watch.dialogs == ["x"]

    walker = Walker(page=page, persona="alan", check_accessibility=False)
    walker.visit("home", "/")
    assert not walker.problems
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=/static/x.png>')")
    assert any(line.startswith("image-alt") for line in accessibility_violations(page))
    page.context.close()
