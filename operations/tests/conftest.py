import pytest

from portal.testing import enrol_totp


@pytest.fixture
def signed_in(client, personas):
    """A client signed in as Alan (analyst, Alphaland) with a second factor enrolled."""
    enrol_totp(personas.alan_analyst)
    client.force_login(personas.alan_analyst)
    return client
