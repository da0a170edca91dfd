import os

import pytest

from portal.testing import Personas

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the tests are still
# synchronous and safe there (browser tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def personas(db) -> Personas:
    return Personas.build()
