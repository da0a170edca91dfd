"""The stored-XSS corpus in titles, descriptions, file names and group names: escaped and neutralised."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents import uploads
from documents.tests.helpers import PDF_BYTES, make_document
from participants.models import Group
from portal.testing import add_member
from sharing.models import TLP, Distribution
from tests.leaks.xss_payloads import PAYLOADS, must_not_appear_raw

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile(personas):
    """One document per payload, in a group whose name is a payload too, with a payload file name."""
    group = Group.objects.create(name="<script>alert('group')</script>", slug="hostile", kind=Group.Kind.OTHER)
    add_member(group, agency=personas.alpha_agency)
    add_member(group, agency=personas.beta_agency)
    documents = []
    for index, payload in enumerate(PAYLOADS):
        upload = uploads.validate_upload(
            SimpleUploadedFile(f"{payload[:40].replace('/', '')}x.pdf", PDF_BYTES), prefix="documents"
        )
        documents.append(
            make_document(
                personas.alan_analyst,
                title=f"{payload} #{index}",
                description=payload,
                distribution=Distribution.RECIPIENTS,
                tlp=TLP.GREEN,
                recipients=[f"group:{group.pk}"],
                group=group,
                with_file=False,
                upload=upload,
            )
        )
    return documents


def assert_escaped(body: str) -> None:
    for payload in PAYLOADS:
        if must_not_appear_raw(payload):
            assert payload not in body, payload
    assert "<script>alert" not in body
    assert 'href="javascript:' not in body.lower()


def test_payloads_are_escaped_in_list_and_detail_pages(hostile, personas, login, client):
    login(personas.bea_analyst)
    assert_escaped(client.get(reverse("documents:list")).content.decode())
    for doc in hostile:
        body = client.get(reverse("documents:detail", kwargs={"uuid": doc.uuid})).content.decode()
        assert_escaped(body)
        assert "&lt;script&gt;alert(&#x27;group&#x27;)&lt;/script&gt;" in body


def test_payloads_are_escaped_on_the_home_page_and_forms(hostile, personas, login, client):
    login(personas.alan_analyst)
    assert_escaped(client.get(reverse("home")).content.decode())
    assert_escaped(client.get(reverse("documents:create")).content.decode())
    assert_escaped(client.get(reverse("documents:share", kwargs={"uuid": hostile[0].uuid})).content.decode())


def test_payload_file_names_cannot_break_the_download_header(hostile, personas, login, client):
    login(personas.bea_analyst)
    for doc in hostile:
        response = client.get(reverse("documents:download", kwargs={"uuid": doc.uuid}))
        header = response["Content-Disposition"]
        fallback = header.split('filename="', 1)[1].split('"', 1)[0]
        assert not set(fallback) & set("<>\"'\\;\r\n")
        assert header.startswith("attachment;")


def test_payloads_are_neutralised_in_the_csv_export(hostile, personas, login, client):
    login(personas.bea_analyst)
    body = client.get(reverse("documents:export")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == len(PAYLOADS) + 1
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    titles = {row[1] for row in rows[1:]}
    assert "'=cmd|' /C calc'!A0 #19" in titles


def test_payloads_are_returned_as_data_by_the_api(hostile, personas, login, client):
    login(personas.bea_analyst)
    response = client.get(reverse("api-documents-list"))
    assert response["Content-Type"] == "application/json"
    titles = {row["title"] for row in response.json()["results"]}
    assert "<script>alert(1)</script> #0" in titles
