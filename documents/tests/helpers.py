"""Helpers for document tests: sign a test client in past the second factor, make documents through services."""

import time

from django.core.files.uploadedfile import SimpleUploadedFile

from documents import services, uploads
from portal.testing import enrol_totp
from sharing.models import TLP, Distribution

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sign_in(client, user):
    from accounts.mfa import MFA_PASSED_KEY
    from accounts.middleware import start_session_policy

    enrol_totp(user)
    client.force_login(user)
    session = client.session
    session[MFA_PASSED_KEY] = int(time.time())
    session.save()

    class _Request:
        pass

    request = _Request()
    request.session = session
    start_session_policy(request, user)
    session.save()
    return client


def pdf_upload(name: str = "paper.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def make_document(
    author,
    *,
    title: str = "Revised RILON guidelines",
    distribution: str = Distribution.ORIGINATOR,
    tlp: str = TLP.AMBER,
    recipients=(),
    publish: bool = True,
    with_file: bool = True,
    upload=None,
    **fields,
):
    if upload is None and with_file:
        upload = uploads.validate_upload(pdf_upload(), prefix="documents")
    return services.create_document(
        actor=author,
        title=title,
        distribution=distribution,
        tlp=tlp,
        recipient_keys=recipients,
        publish=publish,
        upload=upload,
        **fields,
    )
