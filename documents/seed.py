"""Demo documents at every distribution, TLP and status, so that every persona has objects it must not see.

Created through the sharing services (create_shared, publish, approve_publication, withdraw) exactly as
users would; a document whose title already exists is left alone, so reruns change nothing.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from accounts.models import User
from documents.models import Document
from participants.models import Agency, Group
from portal.seeding import register_seeder
from sharing.models import TLP, Distribution
from sharing.services import approve_publication, create_shared, withdraw


@dataclass(frozen=True)
class DemoDocument:
    title: str
    author: str
    distribution: str
    tlp: str
    description: str
    recipients: list[str] = field(default_factory=list)  # "group:<slug>", "participant:<code>", "user:<name>", ...
    publish: bool = True
    approve_by: str = ""  # four-eyes: a focal point releases it
    withdraw: bool = False
    expires_at: datetime | None = None
    handling: str = "H0"


DEMO_DOCUMENTS = [
    DemoDocument(
        "Revised RILON guidelines",
        "lka-contributor",
        Distribution.RECIPIENTS,
        TLP.AMBER,
        "Guidelines revised by Sri Lanka and Australia after the Colombo TEWG of May 2011, for the Colombo RILON.",
        ["group:rilon-colombo"],
    ),
    DemoDocument(
        "Co-Chairs' Statement, 7th Ad Hoc Group Senior Officials' Meeting (Sydney, 5 March 2013)",
        "aus-focal",
        Distribution.PUBLIC,
        TLP.CLEAR,
        "Final statement of the co-chairs.",
    ),
    DemoDocument(
        "Ad Hoc Group Progress Report by the Co-Chairs (March 2013)",
        "aus-focal",
        Distribution.MEMBERS,
        TLP.GREEN,
        "Progress since the Fourth Ministerial Conference; considered at the AHG SOM in Sydney on 5 March 2013.",
    ),
    DemoDocument(
        "RSO foundation projects: work plan 2012-2013",
        "rso-secretariat",
        Distribution.MEMBERS,
        TLP.GREEN,
        "Regional data management, voluntary repatriation, roundtable on irregular movement by sea, pilot study.",
    ),
    DemoDocument(
        "Launch of the Regional Support Office (September 2012)",
        "rso-secretariat",
        Distribution.PUBLIC,
        TLP.CLEAR,
        "The RSO, co-managed by Indonesia and Australia, opened in Bangkok.",
    ),
    DemoDocument(
        "RSO newsletter, first issue (draft)",
        "rso-secretariat",
        Distribution.MEMBERS,
        TLP.GREEN,
        "Draft for the co-managers' review.",
        publish=False,
    ),
    DemoDocument(
        "Airline liaison officer deployment plan 2013",
        "aus-contributor",
        Distribution.ORIGINATOR,
        TLP.AMBER,
        "Internal to Australia.",
        handling="H2",
    ),
    DemoDocument(
        "Concept paper: regional training programme for immigration managers (draft)",
        "aus-contributor",
        Distribution.MEMBERS,
        TLP.GREEN,
        "Australia and the Maldives, for the next TEWG meeting.",
        publish=False,
    ),
    DemoDocument(
        "Immigration intelligence analysis: Indonesian case notes",
        "idn-analyst",
        Distribution.ORIGINATOR,
        TLP.AMBER_STRICT,
        "Internal to Indonesia, after the Auckland workshop of February 2012.",
    ),
    DemoDocument(
        "Biometrics for identity integrity: voluntary minimum standards (discussion draft)",
        "ind-analyst",
        Distribution.RECIPIENTS,
        TLP.AMBER_STRICT,
        "Follow-up of the New Delhi workshop of April 2012, for Australia and New Zealand.",
        ["participant:aus", "participant:nzl"],
    ),
    DemoDocument(
        "Source report: facilitator network on the Colombo route",
        "aus-analyst",
        Distribution.RECIPIENTS,
        TLP.RED,
        "For one named officer only.",
        ["user:lka-analyst"],
        handling="H3",
    ),
    DemoDocument(
        "Document examination referral procedure",
        "lka-analyst",
        Distribution.RECIPIENTS,
        TLP.AMBER,
        "Procedure under the bilateral document-examination arrangement.",
        ["group:aus-lka-document-examination"],
    ),
    DemoDocument(
        "Visa integrity workshop: participants' contact sheet (superseded)",
        "tha-analyst",
        Distribution.MEMBERS,
        TLP.GREEN,
        "Bangkok, 23-26 July 2012.",
        withdraw=True,
    ),
    DemoDocument(
        "Airport refusals at Suvarnabhumi, third quarter 2012",
        "tha-analyst",
        Distribution.RECIPIENTS,
        TLP.GREEN,
        "Shared with IOM and UNHCR regional offices.",
        [
            "agency:iom/IOM Regional Office for Asia and the Pacific",
            "agency:unhcr/UNHCR Regional Bureau for Asia and the Pacific",
        ],
    ),
    DemoDocument(
        "RILON Kuala Lumpur: meeting notice, 15 June 2012",
        "mys-analyst",
        Distribution.RECIPIENTS,
        TLP.GREEN,
        "First Kuala Lumpur RILON meeting.",
        ["group:rilon-kuala-lumpur"],
        approve_by="mys-focal",
        expires_at=datetime(2012, 6, 16, tzinfo=UTC),
    ),
    DemoDocument(
        "Irregular movement by sea: Malaysian maritime observations",
        "mys-analyst",
        Distribution.MEMBERS,
        TLP.AMBER,
        "Waiting for a Malaysian focal point's approval (four-eyes).",
    ),
    DemoDocument(
        "Unaccompanied and separated children: protection needs mapping (project outline)",
        "unhcr-analyst",
        Distribution.RECIPIENTS,
        TLP.GREEN,
        "UNHCR project welcomed at the 6th AHG SOM, for Ad Hoc Group members.",
        ["group:ahg"],
    ),
    DemoDocument(
        "Voluntary repatriation capacity building: project brief",
        "iom-analyst",
        Distribution.ORIGINATOR,
        TLP.GREEN,
        "RSO foundation project; internal to IOM.",
    ),
]


def _principal_key(reference: str) -> str:
    kind, _, name = reference.partition(":")
    if kind == "group":
        return f"group:{Group.objects.get(slug=name).pk}"
    if kind == "participant":
        from participants.models import Participant

        return f"participant:{Participant.objects.get(code=name).pk}"
    if kind == "user":
        return f"user:{User.objects.get(username=name).pk}"
    code, _, agency_name = name.partition("/")
    return f"agency:{Agency.objects.get(participant__code=code, name=agency_name).pk}"


def ensure_document(spec: DemoDocument) -> Document | None:
    """Create one demo document through the services, unless it already exists."""
    author = User.objects.select_related("agency__participant").get(username=spec.author)
    if Document.objects.filter(title=spec.title, originator_agency_id=author.agency_id).exists():
        return None
    document = Document(
        title=spec.title,
        description=spec.description,
        distribution=spec.distribution,
        tlp=spec.tlp,
        handling=spec.handling,
        expires_at=spec.expires_at,
    )
    document = create_shared(
        document, actor=author, recipient_keys=[_principal_key(r) for r in spec.recipients], publish=spec.publish
    )
    if spec.approve_by:
        document = approve_publication(document, actor=User.objects.get(username=spec.approve_by))
    if spec.withdraw:
        document = withdraw(document, actor=author, reason="Superseded by the final attendance list.")
    return document


@register_seeder("documents", order=30)
def seed(say) -> None:
    created = [doc for spec in DEMO_DOCUMENTS if (doc := ensure_document(spec)) is not None]
    say(f"{len(created)} new demo documents ({len(DEMO_DOCUMENTS)} in the demo set)")
