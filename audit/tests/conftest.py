import time

import pytest

from accounts.models import Role
from portal.testing import UserFactory, enrol_totp


@pytest.fixture(autouse=True)
def checkpoint_file(settings, tmp_path):
    """Each test gets its own external checkpoint file, as a deployment has one per database."""
    path = tmp_path / "audit-checkpoints.log"
    settings.AUDIT_CHECKPOINT_FILE = path
    return path


@pytest.fixture
def auditor(personas):
    """An auditor of the RSO-like participant gamma: reads the whole trail."""
    return UserFactory(username="audrey", agency=personas.gamma_agency, role=Role.AUDITOR)


@pytest.fixture
def sysadmin(personas):
    return UserFactory(username="sid", agency=personas.gamma_agency, role=Role.SYSTEM_ADMIN)


def sign_in(client, user):
    """Sign a test client in past the second factor (what the accounts sign-in flow leaves in the session)."""
    from accounts import mfa
    from accounts.middleware import start_session_policy

    enrol_totp(user)
    client.force_login(user)
    session = client.session
    passed_key = getattr(mfa, "MFA_PASSED_KEY", None)
    if passed_key:
        session[passed_key] = int(time.time())

    class _Request:
        pass

    request = _Request()
    request.session = session
    start_session_policy(request, user)
    session.save()
    return client


@pytest.fixture
def login(client):
    def _login(user):
        return sign_in(client, user)

    return _login


@pytest.fixture
def amy(personas):
    """A focal point of Alphaland outside the agency that wrote the anonymous document."""
    return UserFactory(username="amy", agency=personas.alpha_other_agency, role=Role.FOCAL_POINT)


@pytest.fixture
def documents(personas):
    """An AMBER document only Alphaland sees, a members' document of Betaland, and an anonymous one."""
    from audit.services import diff, record
    from documents.models import Document
    from sharing.models import TLP, Distribution
    from sharing.services import create_shared

    secret = create_shared(
        Document(title="Secret plan", distribution=Distribution.ORIGINATOR, tlp=TLP.AMBER),
        actor=personas.alan_analyst,
        publish=True,
    )
    record(
        "documents.document.changed",
        actor=personas.alan_analyst,
        target=secret,
        changes=diff({"title": "Secret plan Zulu"}, {"title": "Secret plan Yankee"}),
    )
    members = create_shared(
        Document(title="Members paper", distribution=Distribution.MEMBERS, tlp=TLP.GREEN),
        actor=personas.bea_analyst,
        publish=True,
    )
    anonymous = create_shared(
        Document(
            title="Anonymous tip",
            distribution=Distribution.MEMBERS,
            tlp=TLP.GREEN,
            anonymous=True,
            anonymous_group=personas.rilon,
        ),
        actor=personas.alan_analyst,
        publish=True,
    )
    record(
        "documents.document.changed",
        actor=personas.alan_analyst,
        target=anonymous,
        changes=diff({"title": "Anonymous tip"}, {"title": "Anonymous tip Kilo"}),
    )
    return {"secret": secret, "members": members, "anonymous": anonymous}
