"""Shared fixtures for the browser tests: Debian's chromium driven by Playwright, against live_server.

Run with `make test-browser` (or `.ci/run`). Sign-in goes through the real pages, with TOTP.
"""

import base64
import hashlib
import hmac
import os
import shutil
import struct
import time

import pytest
from axe_playwright_python.sync_playwright import Axe

DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    raise RuntimeError("Debian's chromium is not installed: `apt-get install chromium` (done by .ci/run).")


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def browser_settings(settings):
    """live_server speaks plain HTTP: cookies cannot be Secure/__Host- there."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_NAME = "portal-session"
    settings.CSRF_COOKIE_NAME = "portal-csrftoken"
    settings.SECURE_HSTS_SECONDS = 0
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    settings.ACCOUNT_RATE_LIMITS = False
    return settings


# Runs before any page script (and outside the page's CSP): every blocked inline script, handler or
# resource is logged to the console, where PageWatch collects it.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error('Content Security Policy violation: ' + event.violatedDirective + ' ' + event.blockedURI
    + ' ' + (event.sample || ''));
});
"""


class PageWatch:
    """Collects dialogs, CSP violations (console and reports) and page errors: stored XSS must cause none."""

    def __init__(self, page):
        self.dialogs: list[str] = []
        self.csp_violations: list[str] = []
        self.page_errors: list[str] = []
        page.add_init_script(_REPORT_CSP_VIOLATIONS)
        page.on("dialog", self._on_dialog)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("request", self._on_request)

    def _on_dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _on_console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_violations.append(message.text)

    def _on_request(self, request):
        if "/csp-report/" in request.url:
            self.csp_violations.append(f"report sent: {request.post_data}")


@pytest.fixture
def page(browser, live_server, browser_settings):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.watch = PageWatch(page)
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _totp_now(secret: str) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s), as allauth checks it; pyotp refuses the 80-bit demo secret."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def totp_code(secret: str = DEMO_TOTP_SECRET, *, avoid: str | None = None) -> str:
    """The current code; waits for the next window when `avoid` (a code already used) is current."""
    code = _totp_now(secret)
    while code == avoid:
        time.sleep(1)
        code = _totp_now(secret)
    return code


_last_code_for: dict[str, str] = {}


def fresh_code(username: str, secret: str = DEMO_TOTP_SECRET) -> str:
    """A code this username has not used yet in this run (waits for the next 30 s window if needed)."""
    code = totp_code(secret, avoid=_last_code_for.get(username))
    _last_code_for[username] = code
    return code


def sign_in(page, username: str, password: str, secret: str = DEMO_TOTP_SECRET) -> None:
    """Sign in through the pages: username and password, then the TOTP code (each code works once)."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    code_input = page.locator("input[name=code]")
    if code_input.count():
        code_input.fill(fresh_code(username, secret))
        page.locator("form button[type=submit]").first.click()
        page.wait_for_load_state()


_AXE = Axe()


def accessibility_violations(page) -> list[str]:
    """The serious and critical axe-core violations on the current page, one line each."""
    results = _AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response.get("violations", [])
        if v.get("impact") in ("serious", "critical")
    ]


def open_signed_in(browser, live_server, user):
    """A new page already signed in as `user` (password and second factor passed), without the sign-in pages.

    For tests about what pages show, not about signing in: a TOTP code works once, so signing the same
    person in through the pages twice costs up to 30 s.
    """
    from django.conf import settings
    from django.test import Client

    from accounts.middleware import start_session_policy
    from portal.testing import force_login_with_second_factor

    client = Client()
    force_login_with_second_factor(client, user)
    session = client.session

    class _Request:
        pass

    request = _Request()
    request.session = session
    start_session_policy(request, user)
    session.save()
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}])
    page = context.new_page()
    page.watch = PageWatch(page)
    page.set_default_timeout(15_000)
    return page


def assert_accessible(page, *, label: str = "") -> None:
    """No serious or critical axe-core violation on the current page."""
    bad = accessibility_violations(page)
    assert not bad, f"{label or page.url}: " + "; ".join(bad)
