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


def test_a_nul_in_a_multipart_api_field_answers_400(personas):
    from documents.tests.helpers import pdf_upload

    client = Client()
    enrol_totp(personas.alan_analyst)
    client.force_login(personas.alan_analyst)
    response = client.post(
        "/api/v1/documents/",
        {"title": "Paper", "file": pdf_upload(), "distribution": "members", "tlp": "green", "workspace": "rilon\x00"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Form fields must not hold NUL characters."


def test_a_json_body_with_a_nul_anywhere_answers_400(personas):
    from documents.tests.helpers import make_document

    document = make_document(personas.alan_analyst, with_file=False)
    client = Client()
    enrol_totp(personas.alan_analyst)
    client.force_login(personas.alan_analyst)
    response = client.patch(
        f"/api/v1/documents/{document.uuid}/",
        {"distribution": "recipients", "recipients": ["group:1\x00"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "JSON strings must not hold NUL characters."


def test_the_statistics_sdmx_upload_refuses_a_nul_in_the_data_set_code(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    enrol_totp(personas.alan_analyst)
    client.force_login(personas.alan_analyst)
    upload = SimpleUploadedFile("data.csv", b"STRUCTURE,STRUCTURE_ID\n", content_type="text/csv")
    response = client.post("/api/v1/statistics/submissions/sdmx-csv/", {"dataset": "alp\x00", "file": upload})
    assert response.status_code == 400


def test_the_serializers_refuse_nul_even_without_the_parsers():
    from rest_framework import serializers

    from portal.api_base import StrictSerializer

    class Probe(StrictSerializer):
        slug = serializers.CharField()

    probe = Probe(data={"slug": "rilon\x00"})
    assert not probe.is_valid()
    assert probe.errors["slug"] == ["NUL characters are not allowed."]
