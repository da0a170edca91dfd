import pytest

from portal.testing import Personas


@pytest.fixture
def personas(db) -> Personas:
    return Personas.build()
