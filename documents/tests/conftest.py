import pytest

from documents.tests.helpers import sign_in


@pytest.fixture
def login(client):
    def _login(user):
        return sign_in(client, user)

    return _login
