import pytest

from meetings.tests.helpers import seed_demo_meetings, sign_in


@pytest.fixture
def seeded(db):
    return seed_demo_meetings()


@pytest.fixture
def login(client):
    def _login(user):
        return sign_in(client, user)

    return _login
