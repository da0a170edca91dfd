"""Demo data from the AHG progress report by the co-chairs (March 2013): priorities, every meeting,
workshop and RILON meeting it mentions, the actions agreed there, and the contributions it names.

Idempotent: events are found again by (title, start date), actions by their text, priorities by code.
Participants and groups come from the participants seeder (natural keys: participant code = ISO alpha-3
in lower case, group slug); anything missing is created here with the same keys.
"""

from datetime import date

from django.db import transaction

from accounts.models import Role, User
from documents.models import Document
from meetings.models import Action, ActionUpdate, Contribution, Event, EventDocument, Priority
from participants.models import Agency, DatePrecision, Group, GroupMembership, Participant
from portal.seeding import register_seeder
from sharing.models import TLP, Distribution, Status
from sharing.services import create_shared

K = Event.Kind

PARTICIPANTS = {
    "aus": ("Australia", "AUS", Participant.Kind.STATE),
    "idn": ("Indonesia", "IDN", Participant.Kind.STATE),
    "lka": ("Sri Lanka", "LKA", Participant.Kind.STATE),
    "tha": ("Thailand", "THA", Participant.Kind.STATE),
    "mys": ("Malaysia", "MYS", Participant.Kind.STATE),
    "ind": ("India", "IND", Participant.Kind.STATE),
    "nzl": ("New Zealand", "NZL", Participant.Kind.STATE),
    "mdv": ("Maldives", "MDV", Participant.Kind.STATE),
    "pak": ("Pakistan", "PAK", Participant.Kind.STATE),
    "usa": ("United States of America", "USA", Participant.Kind.STATE),
    "jpn": ("Japan", "JPN", Participant.Kind.STATE),
    "iom": ("International Organization for Migration (IOM)", "", Participant.Kind.ORGANISATION),
    "unhcr": (
        "Office of the United Nations High Commissioner for Refugees (UNHCR)",
        "",
        Participant.Kind.ORGANISATION,
    ),
    "rso": ("Regional Support Office (RSO)", "", Participant.Kind.REGIONAL_OFFICE),
}

GROUPS = {
    "ahg": ("Ad Hoc Group", Group.Kind.AD_HOC_GROUP, ""),
    "steering-group": ("Steering Group", Group.Kind.STEERING_GROUP, ""),
    "co-chairs": ("AHG Co-Chairs", Group.Kind.CO_CHAIRS, ""),
    "rilon-bangkok": ("RILON Bangkok", Group.Kind.RILON, "Bangkok"),
    "rilon-colombo": ("RILON Colombo", Group.Kind.RILON, "Colombo"),
    "rilon-kuala-lumpur": ("RILON Kuala Lumpur", Group.Kind.RILON, "Kuala Lumpur"),
    "rilon-new-delhi": ("RILON New Delhi", Group.Kind.RILON, "New Delhi"),
    "rilon-canberra": ("RILON Canberra", Group.Kind.RILON, "Canberra"),
}

MINISTERIAL = "Fourth Bali Process Regional Ministerial Conference"

PRIORITIES = [
    ("a", "Operationalise the regional cooperation framework"),
    (
        "b",
        "Provide a forum for States to share their experiences and knowledge flowing from arrangements "
        "implemented under the regional cooperation framework",
    ),
    ("c", "Focus on ways to harmonise processes for dealing with irregular flows in the region"),
    ("d", "Enhance cooperation on addressing trafficking in persons issues"),
    (
        "e",
        "Expand AHG membership, as determined by the Steering Group, to other interested Bali Process members "
        "and participants",
    ),
]

# (title, kind, ordinal, start, end, city, country, hosts, in-kind host, group, state, priorities, outcome, rilon flag)
EVENTS = [
    (
        MINISTERIAL,
        K.MINISTERIAL,
        4,
        date(2011, 3, 29),
        date(2011, 3, 30),
        "Bali",
        "IDN",
        ["idn", "aus"],
        "idn",
        None,
        "held",
        [],
        "Ministers agreed that the Ad Hoc Group be retained as an effective mechanism to develop and pursue "
        "concrete recommendations to inform future regional cooperation on people smuggling, trafficking in "
        "persons and irregular movements, and directed it to undertake five key priorities.",
        False,
    ),
    (
        "RILON meeting, Bangkok",
        K.RILON,
        None,
        date(2011, 4, 28),
        None,
        "Bangkok",
        "THA",
        ["tha"],
        "tha",
        "rilon-bangkok",
        "held",
        ["c"],
        "",
        False,
    ),
    (
        "AHG Technical Experts Working Group (TEWG) meeting on Irregular Movement by Air (and second Colombo RILON)",
        K.TEWG,
        None,
        date(2011, 5, 10),
        date(2011, 5, 11),
        "Colombo",
        "LKA",
        ["lka"],
        "lka",
        "ahg",
        "held",
        ["c"],
        "Participants acknowledged that sharing information regularly between members and like-minded countries "
        "and agencies was critical to addressing irregular movement of people by air. Participants highlighted "
        "the need to reinvigorate the RILON concept, and Australia and Sri Lanka agreed to develop revised RILON "
        "guidelines which would be made available on the Bali Process website. India indicated its intention to "
        "establish a local RILON; Pakistan was considering establishing a RILON; and Malaysia was seeking approval "
        "through the appropriate authority to establish a RILON (India subsequently hosted its first RILON in "
        "October 2011 and Malaysia hosted its first RILON in June 2012).",
        False,
    ),
    (
        "Second Colombo RILON meeting",
        K.RILON,
        None,
        date(2011, 5, 11),
        None,
        "Colombo",
        "LKA",
        ["lka"],
        "lka",
        "rilon-colombo",
        "held",
        ["c"],
        "Held alongside the TEWG on Irregular Movement by Air.",
        False,
    ),
    (
        "AHG workshop on Mutual Legal Assistance and Law Enforcement Cooperation",
        K.WORKSHOP,
        None,
        date(2011, 5, 30),
        date(2011, 6, 1),
        "Bangkok",
        "THA",
        ["tha"],
        "tha",
        "ahg",
        "held",
        ["b", "d"],
        "The workshop facilitated the exchange of information on relevant legislation criminalising trafficking "
        "in persons and people smuggling activity and identified gaps and obstacles which impede cooperation in "
        "the criminal justice process. Participants noted the value of having opportunities to update each other "
        "on developments regarding domestic frameworks on people smuggling and trafficking in persons as well as "
        "on arrangements for mutual legal assistance, extradition and related issues and called for strengthened "
        "cooperation.",
        False,
    ),
    (
        "RILON meeting, Colombo",
        K.RILON,
        None,
        date(2011, 8, 22),
        None,
        "Colombo",
        "LKA",
        ["lka"],
        "lka",
        "rilon-colombo",
        "held",
        ["c"],
        "",
        False,
    ),
    (
        "5th AHG Senior Officials' Meeting",
        K.SOM,
        5,
        date(2011, 10, 12),
        None,
        "Sydney",
        "AUS",
        ["aus"],
        "aus",
        "ahg",
        "held",
        ["a", "b", "c", "d"],
        "Agreed to operationalise the Regional Cooperation Framework (RCF) through the establishment of a "
        "Regional Support Office (RSO) in Bangkok, and that a working group of interested members would make "
        "recommendations on governance and operational aspects of the RSO. Participants agreed on four RSO "
        "foundation projects: a regional data management initiative; a voluntary repatriation capacity building "
        "and support initiative; a regional roundtable on irregular movements by sea; and a pilot study on "
        "information exchange and data analysis on irregular migration by sea. Participants also agreed to "
        "establish more RILONs and undertake workshops on practical measures to protect and assist trafficking "
        "victims, immigration intelligence analysis best practice, and visa integrity issues for foreign mission "
        "staff.",
        False,
    ),
    (
        "First New Delhi RILON meeting",
        K.RILON,
        None,
        date(2011, 10, 20),
        None,
        "New Delhi",
        "IND",
        ["ind"],
        "ind",
        "rilon-new-delhi",
        "held",
        ["c"],
        "India hosted its first RILON meeting.",
        False,
    ),
    (
        "The Third AHG TEWG on Irregular Movement by Air (and RILON)",
        K.TEWG,
        3,
        date(2011, 11, 14),
        date(2011, 11, 16),
        "Negombo",
        "LKA",
        ["lka"],
        "lka",
        "ahg",
        "held",
        ["c"],
        "Participants discussed the challenges in establishing identity of persons refused entry (or detained) "
        "and possible mitigation strategies, and challenges for facilitating the return of improperly documented "
        "arrivals. Members agreed to undertake a range of activities domestically to ensure visa and other entry "
        "processes are strengthened. Members also agreed that Australia and the Maldives would develop a concept "
        "paper for a possible training program for immigration managers prior to the next TEWG meeting.",
        False,
    ),
    (
        "Informal meeting of AHG members",
        K.INFORMAL,
        None,
        date(2011, 11, 25),
        None,
        "Bangkok",
        "THA",
        ["tha"],
        None,
        "ahg",
        "held",
        ["a"],
        "The meeting provided an opportunity to share ideas on governance and operational aspects of a possible RSO.",
        False,
    ),
    (
        "AHG Immigration Intelligence Analysis Best Practice Workshop",
        K.WORKSHOP,
        None,
        date(2012, 2, 7),
        date(2012, 2, 10),
        "Auckland",
        "NZL",
        ["nzl"],
        "nzl",
        "ahg",
        "held",
        ["c"],
        "Participants recognised the importance of immigration intelligence to border management and operational "
        "processes, and were seeking to improve their capabilities. Participants recommended the AHG continue to "
        "focus activities to improve immigration intelligence capabilities across agencies, with other government "
        "agencies and international partners. Members also recommended for the Steering Committee to consider the "
        "feasibility of establishing a framework to facilitate the sharing of immigration-related information and "
        "intelligence.",
        False,
    ),
    (
        "RILON meeting, Colombo",
        K.RILON,
        None,
        date(2012, 2, 29),
        None,
        "Colombo",
        "LKA",
        ["lka"],
        "lka",
        "rilon-colombo",
        "held",
        ["c"],
        "",
        False,
    ),
    (
        "Bali Process Working Group meeting on the RSO",
        K.WORKING_GROUP,
        None,
        date(2012, 4, 18),
        None,
        "Bangkok",
        "THA",
        ["tha"],
        None,
        "ahg",
        "held",
        ["a"],
        "The purpose of this meeting was to discuss activities and prioritisation of the RSO work program. "
        "Participants agreed to recommend to the 6th AHG SOM in Bali priorities for the first year of operation of "
        "the RSO, which included: the establishment of a list of national contact points; progressing a regional "
        "data sharing initiative; commencing a pilot study on information exchange and data analysis on irregular "
        "migration by sea; supporting the design and implementation of information campaigns to address irregular "
        "migration, human trafficking and smuggling; and organising a regional roundtable on irregular movements "
        "by sea.",
        False,
    ),
    (
        "AHG workshop on Biometrics for Identity Integrity in Immigration",
        K.WORKSHOP,
        None,
        date(2012, 4, 23),
        date(2012, 4, 26),
        "New Delhi",
        "IND",
        ["ind"],
        "ind",
        "ahg",
        "held",
        ["c"],
        "Participants agreed to increase cooperation to optimise the use of biometrics to strengthen authorised "
        "migration and prevent or disrupt irregular migration. Participants also agreed to consider developing a "
        "framework of voluntary minimum standards to facilitate sharing biometrics and to help facilitate faster "
        "implementation of biometric capabilities for countries in the early stages of biometric development. "
        "Participants also agreed to identify opportunities to negotiate bilateral or multilateral arrangements "
        "for the mutual benefit of members.",
        False,
    ),
    (
        "6th AHG Senior Officials' Meeting",
        K.SOM,
        6,
        date(2012, 6, 1),
        None,
        "Bali",
        "IDN",
        ["idn"],
        "idn",
        "ahg",
        "held",
        ["a", "b", "d"],
        "Agreed to recommendations on governance and additional activities for the RSO, proposed by the RSO "
        "Working Group, including on technical training and assistance on protection of victims of trafficking, "
        "law enforcement and international cooperation in combatting trafficking in persons, and refugee "
        "protection and migration management. Participants welcomed a UNHCR project on mapping the protection "
        "needs of unaccompanied and separated children who moved irregularly, and agreed to progress the work of "
        "the AHG through workshops and meetings including a workshop on implementation of the UN Convention "
        "Against Transnational Organized Crime and its protocols on migrant smuggling and trafficking in persons.",
        False,
    ),
    (
        "AHG Technical Experts Working Group meeting on Irregular Movement",
        K.TEWG,
        None,
        date(2012, 6, 11),
        date(2012, 6, 14),
        "Kuala Lumpur",
        "MYS",
        ["mys"],
        "mys",
        "ahg",
        "held",
        ["c"],
        "Participants emphasised the need to develop credible and effective solutions for regional and "
        "international partners to detect criminal networks that underpin people smuggling, human trafficking "
        "and terrorism. Participants considered the proposal for a Regional Training Program and requested further "
        "work be undertaken to develop the proposal. Australia and the Maldives agreed to further explore possible "
        "training modules and curricula to cater to members' training needs and capacities, and identify relevant "
        "expertise that could be drawn upon to facilitate a regional training program.",
        False,
    ),
    (
        "First Kuala Lumpur RILON meeting",
        K.RILON,
        None,
        date(2012, 6, 15),
        None,
        "Kuala Lumpur",
        "MYS",
        ["mys"],
        "mys",
        "rilon-kuala-lumpur",
        "held",
        ["c"],
        "Malaysia hosted its first RILON meeting.",
        False,
    ),
    (
        "AHG Visa Integrity Workshop for Foreign Mission Staff",
        K.WORKSHOP,
        None,
        date(2012, 7, 23),
        date(2012, 7, 26),
        "Bangkok",
        "THA",
        ["tha"],
        "tha",
        "ahg",
        "held",
        ["c"],
        "Participants agreed that all officers involved in visa issuing processes should receive appropriate "
        "training in visa integrity principles and necessary technical skills. Participants noted that "
        "opportunities existed to further develop training modules through other regional training proposals. "
        "These include those under consideration by the Bali Process TEWG; e-Learning courses being developed for "
        "the Bali Process secure website portal; and modules from existing training packages of partner countries "
        "and international organisations.",
        False,
    ),
    (
        "RILON meeting, Colombo",
        K.RILON,
        None,
        date(2012, 11, 7),
        None,
        "Colombo",
        "LKA",
        ["lka"],
        "lka",
        "rilon-colombo",
        "held",
        ["c"],
        "",
        False,
    ),
    (
        "RILON meeting, Kuala Lumpur",
        K.RILON,
        None,
        date(2013, 2, 7),
        None,
        "Kuala Lumpur",
        "MYS",
        ["mys"],
        "mys",
        "rilon-kuala-lumpur",
        "held",
        ["c"],
        "",
        False,
    ),
    (
        "7th AHG Senior Officials' Meeting",
        K.SOM,
        7,
        date(2013, 3, 5),
        None,
        "Sydney",
        "AUS",
        ["aus"],
        "aus",
        "ahg",
        "planned",
        ["a", "b", "c", "d", "e"],
        "The co-chairs' progress report on the AHG was considered at this meeting.",
        False,
    ),
]

TEWG_AIR = EVENTS[2][0]
SOM5 = "5th AHG Senior Officials' Meeting"
SOM6 = "6th AHG Senior Officials' Meeting"
NEGOMBO = "The Third AHG TEWG on Irregular Movement by Air (and RILON)"
AUCKLAND = "AHG Immigration Intelligence Analysis Best Practice Workshop"
WG_RSO = "Bali Process Working Group meeting on the RSO"
DELHI = "AHG workshop on Biometrics for Identity Integrity in Immigration"
KL_TEWG = "AHG Technical Experts Working Group meeting on Irregular Movement"
VISA = "AHG Visa Integrity Workshop for Foreign Mission Staff"

# (text, agreed at, responsible, due, state, priorities, [(date, update, state after, reported at)])
ACTIONS = [
    (
        "Develop revised RILON guidelines and make them available on the Bali Process website.",
        TEWG_AIR,
        ["aus", "lka"],
        date(2011, 11, 14),
        "in_progress",
        ["c"],
        [(date(2011, 11, 16), "Draft revised guidelines discussed with RILON hosts.", "in_progress", NEGOMBO)],
    ),
    (
        "Establish a local RILON in New Delhi.",
        TEWG_AIR,
        ["ind"],
        None,
        "done",
        ["c"],
        [(date(2011, 10, 20), "India hosted its first RILON meeting.", "done", None)],
    ),
    (
        "Seek approval through the appropriate authority to establish a RILON in Kuala Lumpur.",
        TEWG_AIR,
        ["mys"],
        None,
        "done",
        ["c"],
        [(date(2012, 6, 15), "Malaysia hosted its first RILON meeting.", "done", KL_TEWG)],
    ),
    ("Consider establishing a RILON in Pakistan.", TEWG_AIR, ["pak"], None, "agreed", ["c"], []),
    (
        "Develop a concept paper for a possible training program for immigration managers before the next TEWG.",
        NEGOMBO,
        ["aus", "mdv"],
        date(2012, 6, 11),
        "done",
        ["c"],
        [(date(2012, 6, 11), "Proposal for a Regional Training Program considered by the TEWG.", "done", KL_TEWG)],
    ),
    (
        "Establish the Regional Support Office (RSO) in Bangkok to operationalise the Regional Cooperation Framework.",
        SOM5,
        ["idn", "aus"],
        date(2012, 9, 30),
        "done",
        ["a"],
        [
            (date(2012, 6, 1), "Governance and first-year activities of the RSO agreed.", "in_progress", SOM6),
            (date(2012, 9, 30), "The RSO, co-managed by Indonesia and Australia, officially opened.", "done", None),
        ],
    ),
    (
        "Working group of interested members to make recommendations on governance and operational aspects of the RSO.",
        SOM5,
        ["aus", "idn", "tha"],
        date(2012, 6, 1),
        "done",
        ["a"],
        [(date(2012, 6, 1), "Recommendations of the RSO Working Group agreed by the 6th AHG SOM.", "done", SOM6)],
    ),
    (
        "Take forward the four RSO foundation projects: regional data management; voluntary repatriation capacity "
        "building; a regional roundtable on irregular movements by sea; a pilot study on information exchange and "
        "data analysis on irregular migration by sea.",
        SOM5,
        ["idn", "aus", "iom", "unhcr"],
        None,
        "in_progress",
        ["a"],
        [],
    ),
    (
        "Hold a workshop on immigration intelligence analysis best practice.",
        SOM5,
        ["nzl"],
        date(2012, 6, 30),
        "done",
        ["c"],
        [(date(2012, 2, 10), "Workshop held in Auckland, 7-10 February 2012.", "done", None)],
    ),
    (
        "Hold a workshop on visa integrity issues for foreign mission staff.",
        SOM5,
        ["tha"],
        date(2012, 12, 31),
        "done",
        ["c"],
        [(date(2012, 7, 26), "Workshop held in Bangkok, 23-26 July 2012.", "done", None)],
    ),
    (
        "Steering Group to consider the feasibility of a framework to facilitate the sharing of "
        "immigration-related information and intelligence.",
        AUCKLAND,
        ["aus", "idn", "nzl", "tha"],
        date(2012, 12, 31),
        "agreed",
        ["c"],
        [],
    ),
    (
        "Establish a list of national contact points for the RSO.",
        WG_RSO,
        ["idn", "aus"],
        date(2013, 3, 31),
        "in_progress",
        ["a"],
        [],
    ),
    (
        "Consider developing a framework of voluntary minimum standards to facilitate sharing biometrics.",
        DELHI,
        ["ind", "aus"],
        None,
        "agreed",
        ["c"],
        [],
    ),
    (
        "Explore training modules and curricula for a regional training program, and identify expertise to draw on.",
        KL_TEWG,
        ["aus", "mdv"],
        date(2013, 3, 5),
        "in_progress",
        ["c"],
        [],
    ),
    (
        "Hold a workshop on implementation of the UN Convention against Transnational Organized Crime and its "
        "protocols on migrant smuggling and trafficking in persons.",
        SOM6,
        ["idn", "aus"],
        None,
        "agreed",
        ["d"],
        [],
    ),
    (
        "Map the protection needs of unaccompanied and separated children who moved irregularly.",
        SOM6,
        ["unhcr"],
        None,
        "in_progress",
        ["d"],
        [],
    ),
    (
        "Develop training modules in visa integrity principles for officers involved in visa issuing.",
        VISA,
        ["tha", "aus"],
        None,
        "agreed",
        ["c"],
        [],
    ),
]

CASH_DONORS = ["usa", "idn", "nzl", "aus", "jpn"]
IN_KIND = [
    ("lka", TEWG_AIR),
    ("lka", NEGOMBO),
    ("tha", "AHG workshop on Mutual Legal Assistance and Law Enforcement Cooperation"),
    ("tha", VISA),
    ("mys", KL_TEWG),
    ("idn", SOM6),
    ("ind", DELHI),
]


def participant(code: str) -> Participant:
    name, iso3, kind = PARTICIPANTS[code]
    found = Participant.objects.filter(code=code).first() or Participant.objects.filter(name=name).first()
    if found:
        return found
    return Participant.objects.create(code=code, name=name, iso3=iso3, kind=kind, status=Participant.Status.MEMBER)


def group(slug: str) -> Group:
    name, kind, city = GROUPS[slug]
    found = Group.objects.filter(slug=slug).first() or Group.objects.filter(name=name).first()
    if found:
        return found
    return Group.objects.create(slug=slug, name=name, kind=kind, city=city)


def secretariat_author() -> User:
    existing = User.objects.filter(role=Role.SECRETARIAT, is_active=True, agency__isnull=False).first()
    if existing:
        return existing
    rso = participant("rso")
    agency, _ = Agency.objects.get_or_create(
        participant=rso, name="RSO Secretariat", defaults={"kind": Agency.Kind.SECRETARIAT, "city": "Bangkok"}
    )
    user, _ = User.objects.get_or_create(
        username="rso-secretariat",
        defaults={"agency": agency, "role": Role.SECRETARIAT, "email": "secretariat@rso.example.org"},
    )
    if not user.has_usable_password():
        user.set_unusable_password()
        user.save()
    return user


def ensure_co_chairs() -> None:
    co_chairs = group("co-chairs")
    for code in ("aus", "idn"):
        member = participant(code)
        if not co_chairs.memberships.filter(participant=member).exists():
            GroupMembership.objects.create(
                group=co_chairs,
                participant=member,
                role=GroupMembership.Role.CO_CHAIR,
                since=date(2002, 2, 28),
                since_precision=DatePrecision.MONTH,
                note="Permanent co-chairs of the Bali Process.",
            )


def seed_priorities(mandate: Event) -> dict[str, Priority]:
    result = {}
    for letter, title in PRIORITIES:
        result[letter], _ = Priority.objects.update_or_create(
            code=f"ahg-2011-{letter}",
            defaults={
                "letter": letter,
                "title": title,
                "mandate": mandate,
                "period_from": date(2011, 3, 30),
                "period_to": date(2013, 4, 2),
            },
        )
    return result


def seed_event(author: User, row) -> Event:
    (title, kind, ordinal, start, end, city, country, hosts, in_kind, group_slug, state, _prio, outcome, rilon) = row
    existing = Event.objects.filter(title=title, start_date=start).first()
    if existing:
        return existing
    event = Event(
        title=title,
        kind=kind,
        ordinal=ordinal,
        start_date=start,
        end_date=end,
        city=city,
        country=country,
        in_kind_host=participant(in_kind) if in_kind else None,
        organising_group=group(group_slug) if group_slug else None,
        state=state,
        outcome=outcome,
        also_rilon_meeting=rilon,
        distribution=Distribution.MEMBERS,
        tlp=TLP.GREEN,
    )
    create_shared(event, actor=author, publish=True)
    event.hosts.set([participant(code) for code in hosts])
    event.attendees.set([participant(code) for code in hosts])
    return event


def seed_document(author: User, event: Event, *, title: str, role: str, tlp: str, distribution: str, keys=()):
    if EventDocument.objects.filter(event=event, document__title=title).exists():
        return
    document = Document(title=title, description="", distribution=distribution, tlp=tlp)
    create_shared(document, actor=author, recipient_keys=keys, publish=True)
    EventDocument.objects.create(event=event, document=document, role=role)


def seed_restricted_examples(author: User, colombo_meeting: Event) -> None:
    """A draft (RSO only) and a RILON-only event and action, so every persona has meetings it must not see.

    They fall after the report period, so the co-chairs' report of March 2013 is unchanged.
    """
    colombo = [f"group:{group('rilon-colombo').pk}"]
    # The RILON-only examples come from a Sri Lankan analyst, so the RSO's own staff do not see them.
    rilon_author = User.objects.filter(username="lka-analyst").first() or author
    examples = (
        (
            "8th AHG Senior Officials' Meeting: draft programme",
            Event.Kind.SOM,
            date(2014, 8, 6),
            "Canberra",
            "AUS",
            Distribution.MEMBERS,
            TLP.GREEN,
            (),
            False,
        ),
        (
            "Colombo RILON: document examination session",
            Event.Kind.RILON,
            date(2013, 6, 12),
            "Colombo",
            "LKA",
            Distribution.RECIPIENTS,
            TLP.AMBER,
            colombo,
            True,
        ),
    )
    for title, kind, start, city, country, distribution, tlp, keys, publish in examples:
        if Event.objects.filter(title=title).exists():
            continue
        event = Event(
            title=title,
            kind=kind,
            start_date=start,
            end_date=start,
            city=city,
            country=country,
            organising_group=group("rilon-colombo") if keys else None,
            state=Event.State.PLANNED,
            distribution=distribution,
            tlp=tlp,
        )
        create_shared(event, actor=rilon_author if keys else author, recipient_keys=keys, publish=publish)
    restricted_actions = (
        (
            "Circulate the draft programme of the 8th AHG SOM to the Steering Group",
            (),
            Distribution.MEMBERS,
            TLP.GREEN,
            False,
        ),
        (
            "Colombo RILON members to exchange specimen images of the new fraudulent visa labels",
            colombo,
            Distribution.RECIPIENTS,
            TLP.AMBER,
            True,
        ),
    )
    for text, keys, distribution, tlp, publish in restricted_actions:
        if Action.objects.filter(text=text).exists():
            continue
        action = Action(
            text=text,
            event=colombo_meeting,
            due_date=date(2013, 9, 30),
            state=Action.State.AGREED,
            distribution=distribution,
            tlp=tlp,
        )
        create_shared(action, actor=rilon_author if keys else author, recipient_keys=keys, publish=publish)
        action.responsible.set([participant("lka")])


@register_seeder("meetings", order=40)
def seed(say) -> None:
    with transaction.atomic():
        author = secretariat_author()
        for code in PARTICIPANTS:
            participant(code)
        for slug in GROUPS:
            group(slug)
        ensure_co_chairs()
        events = {}
        for row in EVENTS:
            events[(row[0], row[3])] = seed_event(author, row)
        by_title = {}
        for (title, _start), event in events.items():
            by_title.setdefault(title, event)
        prios = seed_priorities(by_title[MINISTERIAL])
        for row in EVENTS:
            events[(row[0], row[3])].priorities.set([prios[letter] for letter in row[11]])

        for title, role in ((SOM5, "statement"), (SOM6, "statement")):
            seed_document(
                author,
                by_title[title],
                title=f"Co-Chairs' Statement: {title}",
                role=role,
                tlp=TLP.CLEAR,
                distribution=Distribution.PUBLIC,
            )
        colombo_nov = events[("RILON meeting, Colombo", date(2012, 11, 7))]
        seed_document(
            author,
            colombo_nov,
            title="Colombo RILON: airport vulnerability briefing (restricted)",
            role="presentation",
            tlp=TLP.AMBER,
            distribution=Distribution.RECIPIENTS,
            keys=[f"group:{group('rilon-colombo').pk}"],
        )

        for text, at, responsible, due, state, prio, updates in ACTIONS:
            action = Action.objects.filter(text=text).first()
            if action is None:
                action = Action(
                    text=text,
                    event=by_title[at],
                    due_date=due,
                    state=state,
                    distribution=Distribution.MEMBERS,
                    tlp=TLP.GREEN,
                )
                create_shared(action, actor=author, publish=True)
                action.responsible.set([participant(code) for code in responsible])
                action.priorities.set([prios[letter] for letter in prio])
                for on, note, after, reported in updates:
                    reported_event = by_title[reported] if reported else None
                    ActionUpdate.objects.create(
                        action=action, on=on, text=note, state_after=after, reported_at=reported_event, author=author
                    )
                    if reported_event:
                        action.reported_at.add(reported_event)
                    if after in ("done", "dropped"):
                        Action.objects.filter(pk=action.pk).update(closed_on=on)

        seed_restricted_examples(author, colombo_nov)

        for code in CASH_DONORS:
            Contribution.objects.get_or_create(
                donor=participant(code),
                kind=Contribution.Kind.CASH,
                purpose="Target contribution to AHG activities and administration",
                received_on=date(2012, 1, 1),
                defaults={"precision": DatePrecision.YEAR},
            )
        for code, title in IN_KIND:
            event = by_title[title]
            Contribution.objects.get_or_create(
                donor=participant(code),
                kind=Contribution.Kind.IN_KIND,
                purpose=f"Hosting: {event.title}",
                received_on=event.start_date,
                defaults={"event": event},
            )
    published = Event.objects.filter(status=Status.PUBLISHED).count()
    say(f"meetings: {published} events, {Priority.objects.count()} priorities, {Action.objects.count()} actions")
