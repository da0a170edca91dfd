"""Demo information exchange: items of every kind for the RILONs, across distributions, TLP and handling,
anonymous ones, an expired and a withdrawn one, requests for information with answers, subscriptions.

Everything goes through the exchange services, as users would do it. An item or request whose title
already exists is left alone, so reruns change nothing. Users and groups come from the participants and
accounts seeders (which run first).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from exchange import services
from exchange.kinds import Kind
from exchange.models import Item, RequestForInformation, Subscription
from participants.models import Agency, Group, Participant
from portal.seeding import register_seeder


@dataclass
class DemoItem:
    title: str
    author: str
    kind: str
    tlp: str
    distribution: str
    summary: str
    body: str = ""
    recipients: list[str] = field(default_factory=list)  # "group:<slug>", "participant:<code>", "user:<name>"
    details: dict = field(default_factory=dict)
    handling: str = "H0"
    handling_note: str = ""
    grading: str = "X4"
    countries: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    anonymous_as: str = ""  # group slug
    expired: bool = False
    withdraw: bool = False


DEMO_ITEMS = [
    DemoItem(
        "Colombo RILON: counterfeit Schengen visas on Gulf connections",
        "lka-analyst",
        Kind.TREND_REPORT,
        "amber",
        "recipients",
        "Counterfeit Schengen visas detected on passengers connecting through Gulf hubs rose from 4 to 19 a month.",
        "## Findings\n\n- Visa foils are **counterfeit**, printed by inkjet.\n- Passengers hold genuine passports.\n"
        "- Most connect through DXB and DOH to MXP and FCO.\n\n| Month | Detections |\n|---|---|\n"
        "| October 2012 | 4 |\n| January 2013 | 19 |",
        recipients=["group:rilon-colombo"],
        details={"period_from": "2012-10", "period_to": "2013-01", "airports": ["CMB"], "carriers": ["UL", "EK", "QR"]},
        handling="H1",
        grading="B2",
        countries=["LKA", "ITA"],
        nationalities=["LKA", "IND"],
        routes=["CMB-DXB-MXP", "CMB-DOH-FCO"],
        tags=["visa fraud", "Schengen"],
    ),
    DemoItem(
        "Kuala Lumpur RILON: impostors on genuine passports, onward by boat",
        "mys-analyst",
        Kind.MODUS_OPERANDI,
        "amber",
        "recipients",
        "Facilitators supply genuine passports of look-alikes for the KUL leg; travellers continue by boat.",
        "Travellers arrive at KUL on look-alike passports, return them to a courier in the arrival hall and "
        "travel overland to the coast.",
        recipients=["group:rilon-kuala-lumpur"],
        details={
            "method": "Impostors travel on genuine passports of look-alikes; passports are returned to a courier.",
            "facilitator_profile": "Travel agency staff in Colombo and a courier network in Kuala Lumpur.",
            "fees": "USD 8,000 to 12,000 a person",
            "transport": ["air", "road", "boat"],
            "document_abuse": "Impostor use of genuine passports.",
        },
        handling="H2",
        grading="B3",
        countries=["MYS", "IDN"],
        nationalities=["LKA", "AFG", "MMR"],
        routes=["CMB-KUL"],
        tags=["impostor", "facilitation"],
    ),
    DemoItem(
        "Document fraud alert: forged Sri Lankan passports, N-series data pages",
        "lka-analyst",
        Kind.DOCUMENT_FRAUD_ALERT,
        "green",
        "recipients",
        "Data pages substituted in genuine N-series blanks; the laminate edge is lifted at the hinge.",
        recipients=["group:rilon-colombo", "participant:aus", "participant:mys", "participant:ind"],
        details={
            "document_type": "Passport",
            "issuing_country": "LKA",
            "number_ranges": ["N1200000 to N1299999"],
            "fraud_type": "forged",
            "detection_features": "Laminate lifted at the hinge; photo not ghosted; MRZ check digit wrong.",
        },
        grading="A1",
        countries=["LKA"],
        nationalities=["LKA"],
        tags=["passport", "forgery"],
    ),
    DemoItem(
        "Irregular movement alert: group of 14 expected to transit BKK for KUL",
        "tha-analyst",
        Kind.IRREGULAR_MOVEMENT_ALERT,
        "amber",
        "recipients",
        "A group of 14 travelling on tourist visas is expected to transit BKK towards KUL within ten days.",
        recipients=["group:rilon-bangkok", "group:rilon-kuala-lumpur"],
        details={"transit_points": ["BKK", "KUL"], "expected_timing": "Within ten days of 1 February 2013"},
        grading="C3",
        countries=["THA", "MYS"],
        nationalities=["MMR"],
        routes=["RGN-BKK-KUL"],
        anonymous_as="rilon-bangkok",
    ),
    DemoItem(
        "Vulnerability notice: transit passengers reach CMB departure gates unscreened",
        "aus-analyst",
        Kind.VULNERABILITY_NOTICE,
        "amber_strict",
        "recipients",
        "Transit passengers can reach the departure gates without a second document check.",
        recipients=["participant:lka"],
        details={
            "location": "Bandaranaike International Airport (CMB), transit area",
            "vulnerability": "No document check between the transit lounge and the departure gates.",
            "mitigation": "Add a document check at the transit exit.",
        },
        handling="H3",
        handling_note="Not to be shared with airport operators without the originator's agreement.",
        grading="A2",
        countries=["LKA"],
    ),
    DemoItem(
        "Named facilitator identified in Colombo",
        "aus-analyst",
        Kind.MODUS_OPERANDI,
        "red",
        "recipients",
        "A facilitator arranging impostor travel has been identified; details to focal points only.",
        recipients=["user:lka-focal", "user:mys-focal"],
        details={"method": "Arranges impostor travel through KUL."},
        handling="H2",
        grading="B2",
    ),
    DemoItem(
        "Training: document examination course for airline liaison officers (RSO, Bangkok)",
        "rso-secretariat",
        Kind.TRAINING_OPPORTUNITY,
        "green",
        "members",
        "Five-day course on travel document examination for airline liaison officers and RILON members.",
        details={
            "provider": "Regional Support Office with Australia",
            "starts_on": "2013-05-06",
            "location": "Bangkok",
            "eligibility": "Airline liaison officers and RILON member agencies.",
            "how_to_apply": "Through your focal point to the RSO.",
        },
    ),
    DemoItem(
        "Public: e-learning on trafficking indicators for frontline officers",
        "iom-analyst",
        Kind.TRAINING_OPPORTUNITY,
        "clear",
        "public",
        "Free online course on the indicators of trafficking in persons.",
        details={"provider": "IOM", "location": "Online"},
    ),
    DemoItem(
        "Seasonal trend: overstays after sports-event visas",
        "ind-analyst",
        Kind.TREND_REPORT,
        "green",
        "members",
        "Overstays rose after visas issued for a sports tournament; the season is over.",
        details={"period_from": "2011-02", "period_to": "2011-04", "airports": ["DEL", "BOM"]},
        nationalities=["LKA", "BGD"],
        expired=True,
    ),
    DemoItem(
        "Alert: fraudulent Maldivian work permits (not confirmed)",
        "lka-analyst",
        Kind.DOCUMENT_FRAUD_ALERT,
        "green",
        "recipients",
        "Reported fraudulent work permits; withdrawn after checks found them genuine.",
        recipients=["group:rilon-colombo"],
        details={"document_type": "Work permit", "issuing_country": "MDV", "fraud_type": "counterfeit"},
        withdraw=True,
    ),
]


def _keys(refs: list[str]) -> list[str] | None:
    keys = []
    for ref in refs:
        kind, _sep, name = ref.partition(":")
        model, attr = {
            "group": (Group, "slug"),
            "participant": (Participant, "code"),
            "user": (User, "username"),
            "agency": (Agency, "name"),
        }[kind]
        pk = model.objects.filter(**{attr: name}).values_list("pk", flat=True).first()
        if pk is None:
            return None
        keys.append(f"{kind}:{pk}")
    return keys


def seed_items(say) -> dict[str, Item]:
    created = {}
    for spec in DEMO_ITEMS:
        existing = Item.objects.filter(title=spec.title).first()
        if existing is not None:
            created[spec.title] = existing
            continue
        author = User.objects.filter(username=spec.author).first()
        keys = _keys(spec.recipients)
        if author is None or keys is None:
            say(f"skipped '{spec.title}' (its author or recipients are not seeded)")
            continue
        group = Group.objects.filter(slug=spec.anonymous_as).first() if spec.anonymous_as else None
        item = services.create_item(
            actor=author,
            kind=spec.kind,
            title=spec.title,
            summary=spec.summary,
            body=spec.body,
            tags=spec.tags,
            details=spec.details,
            countries=spec.countries,
            nationalities=spec.nationalities,
            routes=spec.routes,
            source_reliability=spec.grading[0],
            information_accuracy=spec.grading[1],
            handling=spec.handling,
            handling_note=spec.handling_note,
            tlp=spec.tlp,
            distribution=spec.distribution,
            recipient_keys=keys,
            anonymous=group is not None,
            anonymous_group=group,
            expires_at=timezone.now() - timedelta(days=30) if spec.expired else timezone.now() + timedelta(days=365),
            publish=True,
        )
        if item.pending_approval:
            focal = User.objects.filter(agency__participant=item.originator_participant, role="focal_point").exclude(
                pk=author.pk
            )
            if focal.exists():
                item = services.approve_item(item=item, actor=focal.first())
        if spec.withdraw:
            item = services.withdraw_item(item=item, actor=author, reason="Checks found the permits genuine.")
        created[spec.title] = item
    services.archive_expired()
    say(f"{len(created)} exchange items")
    return created


def seed_follow_ups(items: dict[str, Item], say) -> None:
    trend = items.get(DEMO_ITEMS[0].title)
    alert = items.get(DEMO_ITEMS[2].title)
    aus = User.objects.filter(username="aus-analyst").first()
    lka = User.objects.filter(username="lka-analyst").first()
    if trend is None or alert is None or aus is None or lka is None:
        return
    if not trend.comments.exists():
        services.add_comment(
            item=trend,
            actor=aus,
            body="Confirmed: three of the January cases at CMB were booked by the same agency.",
            is_follow_up=True,
        )
    services.link_items(from_item=trend, to_item=alert, actor=lka, note="Same travellers, different documents")
    for username, fields in (
        ("aus-analyst", {"name": "Colombo RILON", "group": Group.objects.filter(slug="rilon-colombo").first()}),
        ("mys-focal", {"name": "Document fraud alerts", "kind": Kind.DOCUMENT_FRAUD_ALERT, "frequency": "daily"}),
        ("idn-analyst", {"name": "Impostors", "query": "impostor"}),
    ):
        user = User.objects.filter(username=username).first()
        if user is not None and not Subscription.objects.filter(user=user, name=fields["name"]).exists():
            Subscription.objects.create(user=user, **fields)


def seed_rfis(say) -> None:
    today = timezone.localdate()
    specs = [
        (
            "aus-analyst",
            "Have you seen N-series data-page substitution at other airports?",
            ["participant:lka", "participant:ind", "participant:mys"],
            today + timedelta(days=14),
            [
                ("lka-analyst", "Yes: two cases at CMB in January, both on UL flights.", "requester"),
                ("ind-analyst", "One case at MAA in December; passenger refused boarding.", "all"),
            ],
        ),
        (
            "mys-analyst",
            "Boat departures from the west coast of Java: any recent reports?",
            ["participant:idn", "participant:tha"],
            today + timedelta(days=1),
            [],
        ),
        (
            "tha-analyst",
            "Indonesian exit checks at DPS: which document series are now verified electronically?",
            ["participant:idn"],
            today + timedelta(days=21),
            [
                (
                    "idn-analyst",
                    "The new series from 2012 are read by the e-gates; older ones are checked by hand.",
                    "requester",
                )
            ],
        ),
    ]
    count = 0
    for author_name, title, refs, due_on, answers in specs:
        if RequestForInformation.objects.filter(title=title).exists():
            continue
        author = User.objects.filter(username=author_name).first()
        keys = _keys(refs)
        if author is None or keys is None:
            continue
        rfi = services.create_rfi(actor=author, title=title, due_on=due_on, recipient_keys=keys, tlp="amber")
        for answerer, body, audience in answers:
            user = User.objects.filter(username=answerer).first()
            if user is not None:
                services.answer_rfi(rfi=rfi, actor=user, body=body, audience=audience)
        if not answers:
            # Overdue: the due date passed without an answer, so focal points get reminded.
            RequestForInformation.objects.filter(pk=rfi.pk).update(due_on=today - timedelta(days=2))
        count += 1
    say(f"{count} requests for information")


@register_seeder("exchange", order=50)
def seed(say) -> None:
    items = seed_items(say)
    seed_follow_ups(items, say)
    seed_rfis(say)
