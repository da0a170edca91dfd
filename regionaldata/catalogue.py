"""The default indicator catalogue, code lists and validation rules the portal ships with."""

import csv
from pathlib import Path

from django.conf import settings

DATA_DIR = Path(settings.BASE_DIR) / "data"
ISO_CSV = DATA_DIR / "country-codes" / "iso3166-1.csv"

STATELESS = "XXA"  # ICAO 9303 code for a stateless person
UNKNOWN_CITIZENSHIP = "XXX"  # ICAO 9303: nationality unspecified
KOSOVO = "XKX"  # not in ISO 3166; the code used by the EU and Frontex

DEFAULT_INDICATORS = [
    {
        "code": "ibc",
        "name": "Detections of irregular border crossing",
        "definition": "Persons detected crossing or attempting to cross the external border irregularly between "
        "or at border crossing points, counted once per detection.",
        "unit": "detections",
        "dimensions": ["citizenship", "border_type", "route", "sex", "age_group"],
    },
    {
        "code": "refusals",
        "name": "Refusals of entry",
        "definition": "Third-country nationals refused entry at the external border, by the reason given.",
        "unit": "persons",
        "dimensions": ["citizenship", "border_type", "bcp", "reason"],
    },
    {
        "code": "fraud_docs",
        "name": "Persons using fraudulent documents",
        "definition": "Persons detected using a fraudulent travel or identity document on entry or exit.",
        "unit": "persons",
        "dimensions": ["citizenship", "bcp", "document_type", "issuing_country", "fraud_type"],
    },
    {
        "code": "facilitators",
        "name": "Facilitators detected",
        "definition": "Persons detected intentionally assisting irregular entry, transit or stay for gain.",
        "unit": "persons",
        "dimensions": ["citizenship", "border_type"],
    },
    {
        "code": "vot",
        "name": "Victims of trafficking identified",
        "definition": "Persons formally identified as victims of trafficking in persons by a competent authority.",
        "unit": "persons",
        "dimensions": ["citizenship", "sex", "age_group", "exploitation"],
    },
    {
        "code": "sea_rescue",
        "name": "Persons intercepted or rescued at sea",
        "definition": "Persons on board vessels intercepted or rescued at sea in an irregular movement.",
        "unit": "persons",
        "dimensions": ["citizenship", "route", "sex", "age_group"],
    },
    {
        "code": "returns",
        "name": "Returns",
        "definition": "Persons returned to a third country following an order to leave, voluntary or not.",
        "unit": "persons",
        "dimensions": ["citizenship", "return_type"],
    },
    {
        "code": "asylum",
        "name": "Asylum applications",
        "definition": "First-time applications for international protection lodged in the month.",
        "unit": "applications",
        "dimensions": ["citizenship", "sex", "age_group"],
    },
]

DEFAULT_INDICATOR_SET = {
    "code": "irregular-migration",
    "name": "Irregular migration core set",
    "indicator_codes": [item["code"] for item in DEFAULT_INDICATORS],
}

SMALL_CODE_LISTS: dict[str, list[tuple[str, str] | tuple[str, str, str]]] = {
    "border_type": [("LAND", "Land border"), ("SEA", "Sea border"), ("AIR", "Air border")],
    "sex": [("F", "Female"), ("M", "Male"), ("X", "Other or not stated")],
    "age_group": [("Y_LT18", "Under 18"), ("Y18-34", "18 to 34"), ("Y35-64", "35 to 64"), ("Y_GE65", "65 and over")],
    "reason": [
        ("A", "No valid travel document"),
        ("B", "False or counterfeit travel document"),
        ("C", "No valid visa or residence permit"),
        ("D", "False visa or residence permit"),
        ("E", "No documents justifying the purpose of stay"),
        ("F", "Already stayed the maximum time"),
        ("G", "Insufficient means of subsistence"),
        ("H", "Alert for refusal of entry"),
        ("I", "Threat to public policy or security"),
    ],
    "document_type": [
        ("PASSPORT", "Passport"),
        ("ID_CARD", "Identity card"),
        ("VISA", "Visa"),
        ("RES", "Residence permit"),
    ],
    "fraud_type": [
        ("FORGED", "Forged"),
        ("COUNTERFEIT", "Counterfeit"),
        ("IMPOSTOR", "Impostor (genuine document, wrong holder)"),
        ("FRAUD_OBT", "Fraudulently obtained"),
        ("PSEUDO", "Pseudo-document"),
    ],
    "exploitation": [
        ("SEXUAL", "Sexual exploitation"),
        ("LABOUR", "Forced labour"),
        ("CRIMINAL", "Forced criminal activity"),
        ("MARRIAGE", "Forced marriage"),
        ("ORGAN", "Organ removal"),
        ("OTHER", "Other forms"),
    ],
    "return_type": [("VOLUNTARY", "Voluntary return"), ("NON_VOLUNTARY", "Non-voluntary (enforced) return")],
    "route": [
        ("ANDAMAN", "Andaman Sea and Bay of Bengal"),
        ("TIMOR_ARAFURA", "Timor and Arafura Seas to Australia"),
        ("INDIAN_OCEAN", "Indian Ocean (Sri Lanka to Australia)"),
        ("MALACCA", "Strait of Malacca"),
        ("MEKONG_LAND", "Mekong land borders"),
        ("AIR_TRANSIT", "Air transit hubs"),
        ("CENTRAL_MED", "Central Mediterranean (Frontex)"),
        ("EASTERN_MED", "Eastern Mediterranean (Frontex)"),
        ("WESTERN_MED", "Western Mediterranean (Frontex)"),
        ("WESTERN_BALKAN", "Western Balkans (Frontex)"),
        ("WESTERN_AFRICAN", "Western African (Frontex)"),
        ("EASTERN_BORDERS", "Eastern land borders (Frontex)"),
        ("ALBANIA_GREECE", "Circular route Albania-Greece (Frontex)"),
        ("BLACK_SEA", "Black Sea (Frontex)"),
        ("OTHER", "Other route"),
    ],
    "bcp": [
        ("CGK", "Jakarta Soekarno-Hatta airport", "CGK"),
        ("DPS", "Denpasar Ngurah Rai airport", "DPS"),
        ("KUL", "Kuala Lumpur international airport", "KUL"),
        ("BKK", "Bangkok Suvarnabhumi airport", "BKK"),
        ("CMB", "Colombo Bandaranaike airport", "CMB"),
        ("SYD", "Sydney Kingsford Smith airport", "SYD"),
        ("PER", "Perth airport", "PER"),
        ("DEL", "Delhi Indira Gandhi airport", "DEL"),
        ("SEA_BATAM", "Batam Centre ferry terminal", ""),
        ("SEA_JOHOR", "Johor Bahru sea port", ""),
        ("LAND_PADANG_BESAR", "Padang Besar land crossing", ""),
        ("LAND_ARANYAPRATHET", "Aranyaprathet-Poipet land crossing", ""),
    ],
}


# Code lists are versioned: a new version adds codes and never edits an older one. Version 1 is
# SMALL_CODE_LISTS (and the countries); each later version lists only what it adds, and why.
CODE_LIST_ADDITIONS: dict[int, dict[str, list[tuple[str, str]]]] = {
    2: {
        # UNODC GLOTIP counts victims as under 18 / 18 and over, and some of unknown age or sex.
        "age_group": [("Y_GE18", "18 and over"), ("_U", "Unknown")],
        "sex": [("_U", "Unknown")],
        # GLOTIP groups every form other than sexual exploitation and forced labour (criminal activity, begging,
        # forced marriage, organ removal, mixed forms...) into one "other forms": not the same as OTHER above.
        "exploitation": [("OTHER_ALL", "All forms other than sexual exploitation and forced labour")],
    },
}
CODE_LIST_CHANGES = {2: "Codes UNODC GLOTIP uses: 18 and over, unknown age or sex, all other forms of exploitation."}


def country_codes() -> list[tuple[str, str]]:
    """ISO 3166-1 alpha-3 codes with names, plus stateless and unknown (ICAO 9303 codes)."""
    with open(ISO_CSV, encoding="utf-8", newline="") as handle:
        rows = [(row["alpha_3"], row["common_name"] or row["name"]) for row in csv.DictReader(handle)]
    return [*rows, (STATELESS, "Stateless"), (UNKNOWN_CITIZENSHIP, "Unknown or not stated"), (KOSOVO, "Kosovo")]


def default_code_lists() -> dict[str, list[tuple[str, str, str, int]]]:
    """Every shipped code: (code, label, IATA code, the code-list version that added it)."""
    lists: dict[str, list[tuple[str, str, str, int]]] = {}
    for dimension, items in SMALL_CODE_LISTS.items():
        lists[dimension] = [(item[0], item[1], item[2] if len(item) > 2 else "", 1) for item in items]
    countries = [(code, name, "", 1) for code, name in country_codes()]
    lists["citizenship"] = countries
    lists["issuing_country"] = countries
    for version, additions in sorted(CODE_LIST_ADDITIONS.items()):
        for dimension, items in additions.items():
            lists[dimension] += [(code, label, "", version) for code, label in items]
    return lists


DEFAULT_RULES = [
    {
        "name": "Facilitators cannot outnumber detections",
        "instruction": "Check that facilitators are counted once each and detections include their groups.",
        "left_indicator": "facilitators",
        "operator": "<=",
        "right_indicator": "ibc",
        "importance": "medium",
    },
    {
        "name": "Document fraud at most refusals plus detections",
        "instruction": "Persons with fraudulent documents are usually also refused or detected.",
        "left_indicator": "fraud_docs",
        "operator": "<=",
        "right_indicator": "refusals",
        "right_multiplier": 2.0,
        "importance": "low",
    },
]


def install_defaults(*, actor=None) -> None:
    """Create the default catalogue, code lists and rules where missing (idempotent)."""
    from regionaldata.models import CodeListItem, Indicator, IndicatorSet, ValidationRule

    for item in DEFAULT_INDICATORS:
        if not Indicator.objects.filter(code=item["code"]).exists():
            Indicator.objects.create(changed_by=actor, change_note="Default catalogue", **item)
    IndicatorSet.objects.get_or_create(
        code=DEFAULT_INDICATOR_SET["code"],
        defaults={"name": DEFAULT_INDICATOR_SET["name"], "indicator_codes": DEFAULT_INDICATOR_SET["indicator_codes"]},
    )
    existing = set(CodeListItem.objects.values_list("dimension", "code"))
    CodeListItem.objects.bulk_create(
        [
            CodeListItem(dimension=dimension, code=code, label=label, iata=iata, version=version)
            for dimension, items in default_code_lists().items()
            for code, label, iata, version in items
            if (dimension, code) not in existing
        ]
    )
    for rule in DEFAULT_RULES:
        ValidationRule.objects.get_or_create(name=rule["name"], defaults=rule)
