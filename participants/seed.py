"""Demo data for participants, agencies and groups: the real facts of the Bali Process.

Sources: data/bali-process-membership/participants.csv (74 participants, with PROVENANCE.md) and the
AHG co-chairs' progress report of March 2013. Agencies and RILON memberships are plausible examples,
dated at the RILON meetings the report lists. Idempotent: every row is keyed on a natural key.
"""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings

from participants.models import (
    Agency,
    DatePrecision,
    Group,
    GroupMembership,
    Participant,
    ParticipantStatusChange,
)
from portal.seeding import register_seeder

CSV_PATH = Path(settings.BASE_DIR) / "data" / "bali-process-membership" / "participants.csv"

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR
FIRST_MINISTERIAL = date(2002, 2, 1)  # First Ministerial Conference, 26-28 February 2002 (month kept)
SOM_2013 = date(2013, 4, 1)  # 5th Bali Process Senior Officials' Meeting, Bali

# Codes of organisations (acronyms) and short names; states use lower-case ISO alpha-3.
ORGANISATIONS = {
    "International Organization for Migration (IOM)": ("iom", "IOM"),
    "Office of the United Nations High Commissioner for Refugees (UNHCR)": ("unhcr", "UNHCR"),
    "United Nations Office on Drugs and Crime (UNODC)": ("unodc", "UNODC"),
    "International Labour Organization (ILO)": ("ilo", "ILO"),
    "ASEAN Secretariat": ("asean", "ASEAN Secretariat"),
    "Pacific Islands Forum Secretariat": ("pifs", "PIF Secretariat"),
    "European Union": ("eu", "EU"),
    "United Nations Development Programme (UNDP)": ("undp", "UNDP"),
    "World Bank": ("worldbank", "World Bank"),
    "Asian Development Bank (ADB)": ("adb", "ADB"),
    "Intergovernmental Consultations on Migration, Asylum and Refugees (IGC)": ("igc", "IGC"),
    "INTERPOL": ("interpol", "INTERPOL"),
    "International Committee of the Red Cross (ICRC)": ("icrc", "ICRC"),
    "International Federation of Red Cross and Red Crescent Societies (IFRC)": ("ifrc", "IFRC"),
}
SHORT_NAMES = {
    "PRK": "DPR Korea",
    "KOR": "Republic of Korea",
    "HKG": "Hong Kong SAR",
    "MAC": "Macau SAR",
    "NCL": "New Caledonia",
    "USA": "United States",
    "ARE": "UAE",
    "VNM": "Viet Nam",
}
# Members that were not among the 2002 participants and whose joining year is not documented.
JOINED_UNKNOWN = {"HKG", "MAC", "IRQ", "TON", "MDV"}


def _history(code: str, csv_status: str) -> list[tuple[str, date, str, str]]:
    """Dated status history (status, date, precision, note) as far as the sources document it."""
    if code in ("usa", "are"):
        return [
            ("observer", FIRST_MINISTERIAL, MONTH, "Observer from the first Ministerial Conference (2002)."),
            ("member", SOM_2013, DAY, "Admitted as a member at the Senior Officials' Meeting, Bali."),
        ]
    if code == "unodc":
        return [
            ("observer", FIRST_MINISTERIAL, MONTH, "Observer (as UNODCCP) at the first Ministerial Conference."),
            ("member", date(2013, 4, 1), MONTH, "Membership welcomed at the Senior Officials' Meeting, April 2013."),
        ]
    if code == "ilo":
        return [
            ("observer", FIRST_MINISTERIAL, MONTH, "Observer at the first Ministerial Conference."),
            ("member", date(2019, 1, 1), YEAR, "Member by July 2019 at the latest (after March 2016)."),
        ]
    if code == "zaf" or code.upper() in JOINED_UNKNOWN:
        return []
    note = "Participant at the first Ministerial Conference." if csv_status == "member" else "Observer in 2002."
    return [(csv_status, FIRST_MINISTERIAL, MONTH, note)]


def seed_participants(say) -> dict[str, Participant]:
    """The 74 participants of the membership file, plus the Regional Support Office."""
    by_code: dict[str, Participant] = {}
    with open(CSV_PATH, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        iso3 = row["iso3"].strip().upper()
        if row["kind"] == "organisation":
            code, short_name = ORGANISATIONS[row["name"]]
            kind = Participant.Kind.ORGANISATION
        else:
            code, short_name = iso3.lower(), SHORT_NAMES.get(iso3, "")
            kind = Participant.Kind.TERRITORY if row["kind"] == "territory" else Participant.Kind.STATE
        participant, _created = Participant.objects.update_or_create(
            code=code,
            defaults={
                "name": row["name"],
                "short_name": short_name,
                "kind": kind,
                "iso3": iso3,
                "status": row["status"],
                "notes": row["notes"],
                "source_url": row["source_url"],
            },
        )
        _set_history(participant, _history(code, row["status"]))
        by_code[code] = participant
    rso, _created = Participant.objects.update_or_create(
        code="rso",
        defaults={
            "name": "Regional Support Office of the Bali Process",
            "short_name": "RSO",
            "kind": Participant.Kind.REGIONAL_OFFICE,
            "iso3": "",
            "status": Participant.Status.MEMBER,
            "notes": (
                "Set up in Bangkok to operationalise the Regional Cooperation Framework; co-managed by "
                "Indonesia and Australia; UNHCR and IOM second staff to it."
            ),
            "source_url": "https://rso.baliprocess.net/about-the-rso/governance-and-capability",
        },
    )
    _set_history(rso, [("member", date(2012, 9, 1), MONTH, "Officially opened in Bangkok.")])
    by_code["rso"] = rso
    # Malaysia publishes beyond itself only after a focal point approves (demo of four-eyes publishing).
    Participant.objects.filter(code="mys").update(four_eyes=True)
    by_code["mys"].four_eyes = True
    say(f"{len(by_code)} participants")
    return by_code


def _set_history(participant: Participant, entries: list[tuple[str, date, str, str]]) -> None:
    wanted = set()
    for status, on, precision, note in entries:
        change, _created = ParticipantStatusChange.objects.update_or_create(
            participant=participant,
            status=status,
            effective_on=on,
            defaults={"precision": precision, "note": note},
        )
        wanted.add(change.pk)
    ParticipantStatusChange.objects.filter(participant=participant).exclude(pk__in=wanted).delete()


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    kind: str
    located_in: str
    city: str


IMM, POL, MFA, MIS, SEC, OTH = (
    Agency.Kind.IMMIGRATION,
    Agency.Kind.POLICE,
    Agency.Kind.FOREIGN_MINISTRY,
    Agency.Kind.MISSION,
    Agency.Kind.SECRETARIAT,
    Agency.Kind.OTHER,
)

AGENCIES = [
    # Indonesia
    AgencySpec("idn", "Directorate General of Immigration", IMM, "IDN", "Jakarta"),
    AgencySpec("idn", "Ministry of Foreign Affairs", MFA, "IDN", "Jakarta"),
    AgencySpec("idn", "Indonesian National Police", POL, "IDN", "Jakarta"),
    AgencySpec("idn", "Embassy of Indonesia, Bangkok", MIS, "THA", "Bangkok"),
    AgencySpec("idn", "Embassy of Indonesia, Kuala Lumpur", MIS, "MYS", "Kuala Lumpur"),
    AgencySpec("idn", "Embassy of Indonesia, Canberra", MIS, "AUS", "Canberra"),
    # Australia
    AgencySpec("aus", "Department of Immigration and Citizenship", IMM, "AUS", "Canberra"),
    AgencySpec("aus", "Department of Foreign Affairs and Trade", MFA, "AUS", "Canberra"),
    AgencySpec("aus", "Australian Federal Police", POL, "AUS", "Canberra"),
    AgencySpec("aus", "Australian High Commission, Colombo", MIS, "LKA", "Colombo"),
    AgencySpec("aus", "Australian High Commission, Kuala Lumpur", MIS, "MYS", "Kuala Lumpur"),
    AgencySpec("aus", "Australian Embassy, Bangkok", MIS, "THA", "Bangkok"),
    AgencySpec("aus", "Australian High Commission, New Delhi", MIS, "IND", "New Delhi"),
    AgencySpec("aus", "Australian Embassy, Jakarta", MIS, "IDN", "Jakarta"),
    # Sri Lanka
    AgencySpec("lka", "Department of Immigration and Emigration", IMM, "LKA", "Colombo"),
    AgencySpec("lka", "Ministry of External Affairs", MFA, "LKA", "Colombo"),
    AgencySpec("lka", "Criminal Investigation Department, Sri Lanka Police", POL, "LKA", "Colombo"),
    AgencySpec("lka", "High Commission of Sri Lanka, Canberra", MIS, "AUS", "Canberra"),
    AgencySpec("lka", "High Commission of Sri Lanka, New Delhi", MIS, "IND", "New Delhi"),
    # Malaysia
    AgencySpec("mys", "Immigration Department of Malaysia", IMM, "MYS", "Putrajaya"),
    AgencySpec("mys", "Ministry of Foreign Affairs", MFA, "MYS", "Putrajaya"),
    AgencySpec("mys", "Royal Malaysia Police", POL, "MYS", "Kuala Lumpur"),
    AgencySpec("mys", "High Commission of Malaysia, Canberra", MIS, "AUS", "Canberra"),
    AgencySpec("mys", "Embassy of Malaysia, Bangkok", MIS, "THA", "Bangkok"),
    # Thailand
    AgencySpec("tha", "Immigration Bureau, Royal Thai Police", IMM, "THA", "Bangkok"),
    AgencySpec("tha", "Ministry of Foreign Affairs", MFA, "THA", "Bangkok"),
    AgencySpec("tha", "Royal Thai Embassy, Canberra", MIS, "AUS", "Canberra"),
    # India
    AgencySpec("ind", "Bureau of Immigration", IMM, "IND", "New Delhi"),
    AgencySpec("ind", "Ministry of External Affairs", MFA, "IND", "New Delhi"),
    AgencySpec("ind", "High Commission of India, Colombo", MIS, "LKA", "Colombo"),
    AgencySpec("ind", "High Commission of India, Canberra", MIS, "AUS", "Canberra"),
    # New Zealand
    AgencySpec("nzl", "Immigration New Zealand", IMM, "NZL", "Wellington"),
    AgencySpec("nzl", "Ministry of Foreign Affairs and Trade", MFA, "NZL", "Wellington"),
    AgencySpec("nzl", "New Zealand Embassy, Bangkok", MIS, "THA", "Bangkok"),
    AgencySpec("nzl", "New Zealand High Commission, Kuala Lumpur", MIS, "MYS", "Kuala Lumpur"),
    AgencySpec("nzl", "New Zealand High Commission, New Delhi", MIS, "IND", "New Delhi"),
    AgencySpec("nzl", "New Zealand High Commission, Canberra", MIS, "AUS", "Canberra"),
    # Other AHG members' missions in RILON host countries
    AgencySpec("pak", "High Commission of Pakistan, Colombo", MIS, "LKA", "Colombo"),
    AgencySpec("mdv", "High Commission of Maldives, Colombo", MIS, "LKA", "Colombo"),
    AgencySpec("bgd", "High Commission of Bangladesh, Kuala Lumpur", MIS, "MYS", "Kuala Lumpur"),
    AgencySpec("phl", "Embassy of the Philippines, Kuala Lumpur", MIS, "MYS", "Kuala Lumpur"),
    AgencySpec("vnm", "Embassy of Viet Nam, Bangkok", MIS, "THA", "Bangkok"),
    AgencySpec("mmr", "Embassy of Myanmar, Bangkok", MIS, "THA", "Bangkok"),
    AgencySpec("afg", "Embassy of Afghanistan, New Delhi", MIS, "IND", "New Delhi"),
    # United States (observer until April 2013)
    AgencySpec("usa", "Department of State", MFA, "USA", "Washington, DC"),
    AgencySpec("usa", "Department of Homeland Security", IMM, "USA", "Washington, DC"),
    AgencySpec("usa", "Embassy of the United States, Colombo", MIS, "LKA", "Colombo"),
    AgencySpec("usa", "Embassy of the United States, Bangkok", MIS, "THA", "Bangkok"),
    AgencySpec("usa", "Embassy of the United States, Kuala Lumpur", MIS, "MYS", "Kuala Lumpur"),
    AgencySpec("usa", "Embassy of the United States, New Delhi", MIS, "IND", "New Delhi"),
    # Canada (observer)
    AgencySpec("can", "Canada Border Services Agency", IMM, "CAN", "Ottawa"),
    AgencySpec("can", "High Commission of Canada, Colombo", MIS, "LKA", "Colombo"),
    # Organisations
    AgencySpec("iom", "IOM Regional Office for Asia and the Pacific", OTH, "THA", "Bangkok"),
    AgencySpec("iom", "IOM Sri Lanka", OTH, "LKA", "Colombo"),
    AgencySpec("iom", "IOM Indonesia", OTH, "IDN", "Jakarta"),
    AgencySpec("unhcr", "UNHCR Regional Bureau for Asia and the Pacific", OTH, "THA", "Bangkok"),
    AgencySpec("unhcr", "UNHCR Malaysia", OTH, "MYS", "Kuala Lumpur"),
    AgencySpec("unodc", "UNODC Regional Office for Southeast Asia and the Pacific", OTH, "THA", "Bangkok"),
    # The Regional Support Office
    AgencySpec("rso", "Regional Support Office, Bangkok", SEC, "THA", "Bangkok"),
]


def seed_agencies(by_code: dict[str, Participant], say) -> dict[tuple[str, str], Agency]:
    """Named agencies above, plus one foreign ministry or headquarters for every other participant."""
    agencies: dict[tuple[str, str], Agency] = {}
    specs = list(AGENCIES)
    named = {spec.code for spec in specs}
    for code, participant in by_code.items():
        if code in named:
            continue
        if participant.kind == Participant.Kind.ORGANISATION:
            specs.append(AgencySpec(code, f"{participant.display_name} headquarters", OTH, "", ""))
        else:
            specs.append(AgencySpec(code, "Ministry of Foreign Affairs", MFA, participant.iso3, ""))
    for spec in specs:
        agency, _created = Agency.objects.update_or_create(
            participant=by_code[spec.code],
            name=spec.name,
            defaults={"kind": spec.kind, "located_in": spec.located_in, "city": spec.city, "is_active": True},
        )
        agencies[(spec.code, spec.name)] = agency
    say(f"{len(agencies)} agencies")
    return agencies


@dataclass(frozen=True)
class Member:
    code: str
    agency: str = ""  # empty: the whole participant is the member
    since: date = date(2009, 1, 1)
    precision: str = YEAR
    role: str = GroupMembership.Role.MEMBER
    until: date | None = None
    note: str = ""


CO, HOST = GroupMembership.Role.CO_CHAIR, GroupMembership.Role.HOST
AHG_2009 = ["afg", "aus", "bgd", "ind", "idn", "mys", "mdv", "mmr", "nzl", "pak", "lka", "tha", "iom", "unhcr"]
STEERING = ["idn", "aus", "nzl", "tha", "iom", "unhcr"]
IDN_IMM, AUS_IMM = "Directorate General of Immigration", "Department of Immigration and Citizenship"


@dataclass(frozen=True)
class GroupSpec:
    slug: str
    name: str
    kind: str
    purpose: str
    members: list[Member]
    city: str = ""
    established: date | None = None
    established_precision: str = DAY
    hidden: bool = False


def _rilon(slug: str, city: str, host: tuple[str, str], since: date, precision: str, missions, purpose_extra=""):
    members = [Member(host[0], host[1], since, precision, HOST)]
    members += [Member(code, name, *(when or (since, precision))) for code, name, *when in missions]
    return GroupSpec(
        slug=slug,
        name=f"RILON {city}",
        kind=Group.Kind.RILON,
        city=city,
        purpose=(
            f"Regional Immigration Liaison Officer Network in {city}: host-country agencies and foreign missions "
            "share information on irregular movement by air (travel documents, visa issuance, airport "
            f"vulnerabilities).{purpose_extra}"
        ),
        members=members,
        established=since,
        established_precision=precision,
    )


def group_specs() -> list[GroupSpec]:
    ahg = [Member(code, role=CO if code in ("idn", "aus") else GroupMembership.Role.MEMBER) for code in AHG_2009]
    ahg += [
        Member("phl", since=date(2011, 1, 1), note="Joined in 2011 (co-chairs' progress report, March 2013)."),
        Member("vnm", since=date(2011, 1, 1), note="Joined in 2011 (co-chairs' progress report, March 2013)."),
        Member(
            "usa",
            since=date(2011, 1, 1),
            note="Joined in 2011 with concurrent membership of the Bali Process (co-chairs' report); "
            "the expansion was recorded on 1 April 2013.",
        ),
        Member(
            "are",
            since=SOM_2013,
            precision=DAY,
            note="Invited; accepted the invitation to join with concurrent membership of the Bali Process "
            "(co-chairs' report, March 2013); addition recorded on 1 April 2013.",
        ),
    ]
    return [
        GroupSpec(
            slug="ahg",
            name="Ad Hoc Group",
            kind=Group.Kind.AD_HOC_GROUP,
            purpose=(
                "The most-affected countries develop and pursue concrete regional cooperation on people "
                "smuggling, trafficking in persons and irregular movement between Ministerial Conferences."
            ),
            members=ahg,
            established=date(2009, 4, 1),
            established_precision=MONTH,
        ),
        GroupSpec(
            slug="co-chairs",
            name="Co-chairs of the Bali Process",
            kind=Group.Kind.CO_CHAIRS,
            purpose="Indonesia and Australia, permanent co-chairs of the Bali Process and of the Ad Hoc Group.",
            members=[Member(code, since=FIRST_MINISTERIAL, precision=MONTH, role=CO) for code in ("idn", "aus")],
            established=FIRST_MINISTERIAL,
            established_precision=MONTH,
        ),
        GroupSpec(
            slug="steering-group",
            name="Ad Hoc Group Steering Group",
            kind=Group.Kind.STEERING_GROUP,
            purpose="Oversees the work of the Ad Hoc Group and recommends the expansion of its membership.",
            members=[
                Member(
                    code,
                    since=date(2011, 1, 1),
                    role=CO if code in ("idn", "aus") else GroupMembership.Role.MEMBER,
                    note="Earliest source read: 30 March 2011.",
                )
                for code in STEERING
            ],
            established=date(2011, 1, 1),
            established_precision=YEAR,
        ),
        GroupSpec(
            slug="rso-co-management",
            name="RSO co-management",
            kind=Group.Kind.OTHER,
            purpose="Indonesia and Australia co-manage the Regional Support Office, consulting UNHCR and IOM.",
            members=[Member(code, since=date(2012, 9, 1), precision=MONTH, role=CO) for code in ("idn", "aus")],
            city="Bangkok",
            established=date(2012, 9, 1),
            established_precision=MONTH,
        ),
        GroupSpec(
            slug="rso-working-group",
            name="Working Group on the Regional Support Office",
            kind=Group.Kind.WORKING_GROUP,
            purpose=(
                "Interested Ad Hoc Group members recommend the governance, operations and work programme of the "
                "Regional Support Office (agreed at the 5th AHG SOM, Sydney, 12 October 2011)."
            ),
            members=[
                Member(code, since=date(2011, 10, 12), precision=DAY, role=CO if code in ("idn", "aus") else "member")
                for code in ("idn", "aus", "tha", "nzl", "mys", "iom", "unhcr")
            ],
            established=date(2011, 10, 12),
        ),
        GroupSpec(
            slug="aus-lka-document-examination",
            name="Bilateral document-examination arrangement",
            kind=Group.Kind.BILATERAL,
            purpose="Referral of suspect travel documents detected at departure airports for expert examination.",
            members=[
                Member("aus", AUS_IMM, date(2011, 5, 11), DAY),
                Member("lka", "Department of Immigration and Emigration", date(2011, 5, 11), DAY),
            ],
            established=date(2011, 5, 11),
            hidden=True,
        ),
        _rilon(
            "rilon-colombo",
            "Colombo",
            ("lka", "Department of Immigration and Emigration"),
            date(2010, 1, 1),
            YEAR,
            [
                ("aus", "Australian High Commission, Colombo"),
                ("ind", "High Commission of India, Colombo"),
                ("pak", "High Commission of Pakistan, Colombo"),
                ("mdv", "High Commission of Maldives, Colombo", date(2010, 1, 1), YEAR, "member", date(2012, 11, 7)),
                ("iom", "IOM Sri Lanka"),
                ("usa", "Embassy of the United States, Colombo", date(2011, 8, 22), DAY),
                ("can", "High Commission of Canada, Colombo", date(2012, 2, 29), DAY),
            ],
        ),
        _rilon(
            "rilon-kuala-lumpur",
            "Kuala Lumpur",
            ("mys", "Immigration Department of Malaysia"),
            date(2012, 6, 15),
            DAY,
            [
                ("aus", "Australian High Commission, Kuala Lumpur"),
                ("idn", "Embassy of Indonesia, Kuala Lumpur"),
                ("nzl", "New Zealand High Commission, Kuala Lumpur"),
                ("bgd", "High Commission of Bangladesh, Kuala Lumpur"),
                ("phl", "Embassy of the Philippines, Kuala Lumpur", date(2013, 2, 7), DAY),
                ("usa", "Embassy of the United States, Kuala Lumpur"),
                ("unhcr", "UNHCR Malaysia"),
            ],
        ),
        _rilon(
            "rilon-bangkok",
            "Bangkok",
            ("tha", "Immigration Bureau, Royal Thai Police"),
            date(2011, 4, 28),
            DAY,
            [
                ("aus", "Australian Embassy, Bangkok"),
                ("idn", "Embassy of Indonesia, Bangkok"),
                ("nzl", "New Zealand Embassy, Bangkok"),
                ("mys", "Embassy of Malaysia, Bangkok"),
                ("vnm", "Embassy of Viet Nam, Bangkok"),
                ("mmr", "Embassy of Myanmar, Bangkok"),
                ("usa", "Embassy of the United States, Bangkok"),
                ("iom", "IOM Regional Office for Asia and the Pacific"),
                ("rso", "Regional Support Office, Bangkok", date(2012, 9, 1), MONTH),
            ],
        ),
        _rilon(
            "rilon-new-delhi",
            "New Delhi",
            ("ind", "Bureau of Immigration"),
            date(2011, 10, 20),
            DAY,
            [
                ("aus", "Australian High Commission, New Delhi"),
                ("lka", "High Commission of Sri Lanka, New Delhi"),
                ("nzl", "New Zealand High Commission, New Delhi"),
                ("afg", "Embassy of Afghanistan, New Delhi"),
                ("usa", "Embassy of the United States, New Delhi"),
            ],
        ),
        _rilon(
            "rilon-canberra",
            "Canberra",
            ("aus", AUS_IMM),
            date(2009, 1, 1),
            YEAR,
            [
                ("idn", "Embassy of Indonesia, Canberra"),
                ("lka", "High Commission of Sri Lanka, Canberra"),
                ("mys", "High Commission of Malaysia, Canberra"),
                ("ind", "High Commission of India, Canberra"),
                ("tha", "Royal Thai Embassy, Canberra"),
                ("nzl", "New Zealand High Commission, Canberra"),
            ],
        ),
    ]


def seed_groups(by_code: dict[str, Participant], agencies: dict[tuple[str, str], Agency], say) -> None:
    """Groups with their dated memberships; rows not in the specs are removed so reruns converge."""
    specs = group_specs()
    for spec in specs:
        group, _created = Group.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "purpose": spec.purpose,
                "city": spec.city,
                "hidden_membership": spec.hidden,
                "established_on": spec.established,
                "established_precision": spec.established_precision,
            },
        )
        keep = []
        for member in spec.members:
            agency = agencies[(member.code, member.agency)] if member.agency else None
            participant = None if agency else by_code[member.code]
            row, _created = GroupMembership.objects.update_or_create(
                group=group,
                agency=agency,
                participant=participant,
                since=member.since,
                defaults={
                    "since_precision": member.precision,
                    "role": member.role,
                    "until": member.until,
                    "until_precision": DAY,
                    "note": member.note,
                },
            )
            keep.append(row.pk)
        GroupMembership.objects.filter(group=group).exclude(pk__in=keep).delete()
    say(f"{len(specs)} groups")


@register_seeder("participants", order=10)
def seed(say) -> None:
    by_code = seed_participants(say)
    agencies = seed_agencies(by_code, say)
    seed_groups(by_code, agencies, say)
