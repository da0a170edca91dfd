import pytest

from exchange import services
from exchange.kinds import Kind
from portal.testing import enrol_totp
from sharing.principals import forget_principals


@pytest.fixture
def signed_in(client):
    """Sign a user in (with a second factor enrolled, as the portal requires) and return the client."""

    def sign_in(user):
        enrol_totp(user)
        forget_principals(user)
        client.force_login(user)
        return client

    return sign_in


def make_item(author, *, group=None, recipients=None, publish=True, **fields):
    """An item shared through the services, by default with the personas' RILON."""
    defaults = {
        "kind": Kind.TREND_REPORT,
        "title": "Visa fraud trend at Colombo",
        "summary": "Counterfeit visas for onward travel.",
        "body": "Passengers presented **counterfeit** Schengen visas.",
        "tlp": "amber",
        "distribution": "recipients",
    }
    defaults.update(fields)
    if recipients is None:
        recipients = [f"group:{group.pk}"] if group is not None else []
    if defaults["distribution"] != "recipients":
        recipients = []
    forget_principals(author)
    return services.create_item(actor=author, recipient_keys=recipients, publish=publish, **defaults)
