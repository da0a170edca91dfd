"""A NUL character in a query parameter is a 400 naming the parameter, never a 500 (PostgreSQL refuses NUL)."""

import pytest
from django.test import Client

from portal.testing import enrol_totp

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_query_parameter_answers_400_naming_it(personas):
    client = Client()
    enrol_totp(personas.alan_analyst)
    client.force_login(personas.alan_analyst)  # conftest: as after password and second factor
    response = client.get("/api/v1/agencies/", {"participant": "AUS\x00"})
    assert response.status_code == 400
    assert "'participant'" in response.content.decode()


def test_a_nul_in_a_parameter_name_is_refused_too(personas):
    response = Client().get("/participants/?kind%00=member")
    assert response.status_code == 400


def test_ordinary_query_parameters_pass(personas):
    client = Client()
    enrol_totp(personas.alan_analyst)
    client.force_login(personas.alan_analyst)  # conftest: as after password and second factor
    assert client.get("/api/v1/agencies/", {"participant": "AUS"}).status_code == 200
