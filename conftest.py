import os

import pytest

from portal.testing import Personas, force_login_with_second_factor

# Browser fixtures (one Playwright instance per run) for tests/browser and every app's test_browser.py.
pytest_plugins = ["tests.browser.fixtures"]

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the tests are still
# synchronous and safe there (browser tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def personas(db) -> Personas:
    return Personas.build()


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """client.force_login(user) signs in as after password and second factor (see portal.testing)."""
    from django.test import Client

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)
