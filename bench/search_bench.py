"""Search benchmark: 100,000 items, 50 fixed queries, median and 95th percentile on the configured database.

    .venv/bin/python bench/search_bench.py                     # SQLite (var/bench-search.sqlite3)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/benchsearch .venv/bin/python bench/search_bench.py

Options: --items N (default 100000), --repeat R (default 3), --reload (rebuild the data set).
The data set is kept between runs (it is rebuilt when the item count differs or with --reload).

Two users: "narrow" (a partner agency in the benchmark RILON: sees the 5% of items shared with that
group) and "wide" (a member agency in the same RILON: also sees the 75% shared with all members, so 80%).
The remaining 20% are originator-only items of a third participant. Each query runs the full search
page work: visible hits counted, one page of 20 loaded, facets computed, excerpts highlighted.
Target: p95 under 150 ms.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-search.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from exchange import search  # noqa: E402
from exchange.kinds import Kind  # noqa: E402
from exchange.models import Item, ItemFacet  # noqa: E402
from participants.models import Agency, Group, GroupMembership, Participant  # noqa: E402
from sharing.models import Recipient  # noqa: E402
from sharing.principals import forget_principals  # noqa: E402

COMMON = [
    "passport",
    "visa",
    "travel",
    "document",
    "airport",
    "passenger",
    "boarding",
    "departure",
    "arrival",
    "transit",
    "route",
    "network",
    "facilitator",
    "smuggling",
    "fraud",
    "counterfeit",
    "forged",
    "impostor",
    "genuine",
    "officer",
    "airline",
    "liaison",
    "immigration",
    "border",
    "check",
    "report",
    "trend",
    "group",
    "family",
    "agent",
    "ticket",
    "flight",
    "carrier",
    "hub",
    "lounge",
    "gate",
    "stamp",
    "permit",
    "labour",
    "student",
    "tourist",
    "overstay",
]
MEDIUM = [
    "laminate",
    "hologram",
    "biodata",
    "ultraviolet",
    "watermark",
    "signature",
    "photograph",
    "substitution",
    "alteration",
    "blank",
    "stolen",
    "courier",
    "cash",
    "hawala",
    "broker",
    "recruiter",
    "vessel",
    "fishing",
    "boat",
    "coast",
    "harbour",
    "jetty",
    "checkpoint",
    "bus",
    "truck",
    "container",
    "hotel",
    "safehouse",
    "embassy",
    "consulate",
    "interview",
    "fingerprint",
    "biometric",
    "watchlist",
    "referral",
    "detection",
    "refusal",
]
RARE = [
    "microprinting",
    "guilloche",
    "intaglio",
    "rainbow-printing",
    "perforation",
    "kinegram",
    "chip-cloning",
    "mrz-tampering",
    "look-alike",
    "data-page",
    "ghost-image",
    "seal-forgery",
    "ink-eradication",
    "page-substitution",
]
NATIONS = ["LKA", "AFG", "MMR", "BGD", "PAK", "IND", "IRN", "IRQ", "VNM", "IDN", "MYS", "THA", "NPL", "CHN", "SOM"]
AIRPORTS = ["CMB", "KUL", "BKK", "DEL", "DPS", "CGK", "SIN", "DXB", "DOH", "PER", "SYD", "MAA", "DAC", "RGN"]
KINDS = list(Kind.values)
TLPS = ["green", "amber", "clear"]

QUERIES = [
    # one word: common, medium, rare
    ("passport", {}),
    ("visa", {}),
    ("facilitator", {}),
    ("hologram", {}),
    ("courier", {}),
    ("guilloche", {}),
    ("kinegram", {}),
    ("overstay", {}),
    # two words
    ("forged passport", {}),
    ("fishing boat", {}),
    ("transit lounge", {}),
    ("ultraviolet watermark", {}),
    ("impostor genuine", {}),
    ("intaglio perforation", {}),
    # phrases
    ('"travel document"', {}),
    ('"page substitution"', {}),
    ('"boarding gate"', {}),
    ('"liaison officer"', {}),
    # with facets
    ("passport", {"kind": [Kind.DOCUMENT_FRAUD_ALERT]}),
    ("smuggling", {"nationality": ["AFG"]}),
    ("visa", {"tlp": ["amber"], "country": ["LKA"]}),
    ("route", {"route": ["CMB-KUL"]}),
    ("", {"kind": [Kind.MODUS_OPERANDI], "nationality": ["LKA"]}),
    ("courier", {"month": ["2025-06"]}),
    ('"travel document"', {"kind": [Kind.TREND_REPORT], "tlp": ["green"]}),
]


def words(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        roll = rng.random()
        pool = COMMON if roll < 0.8 else MEDIUM if roll < 0.98 else RARE
        out.append(rng.choice(pool))
    return " ".join(out)


def build(count: int) -> None:
    rng = random.Random(20130305)
    print(f"building {count:,} items on {connection.vendor} …", flush=True)
    started = time.perf_counter()
    member = Participant.objects.create(name="Bench member", code="bench-m", kind="state", status="member")
    partner = Participant.objects.create(name="Bench partner", code="bench-p", kind="partner", status="member")
    origin = Participant.objects.create(name="Bench origin", code="bench-o", kind="state", status="member")
    member_agency = Agency.objects.create(participant=member, name="Bench member agency")
    partner_agency = Agency.objects.create(participant=partner, name="Bench partner agency")
    origin_agency = Agency.objects.create(participant=origin, name="Bench origin agency")
    group = Group.objects.create(name="Bench RILON", slug="bench-rilon", kind="rilon")
    for agency in (member_agency, partner_agency):
        GroupMembership.objects.create(group=group, agency=agency, since=datetime(2000, 1, 1).date())
    User.objects.create(username="bench-wide", agency=member_agency, role=Role.ANALYST)
    User.objects.create(username="bench-narrow", agency=partner_agency, role=Role.ANALYST)
    author = User.objects.create(username="bench-author", agency=origin_agency, role=Role.ANALYST)
    content_type = ContentType.objects.get_for_model(Item)
    base = datetime(2023, 1, 1, tzinfo=UTC)
    batch = 5000
    for start in range(0, count, batch):
        items = []
        for n in range(start, min(count, start + batch)):
            roll = (n * 7919) % 100  # deterministic spread: 5% group, 75% members, 20% originator only
            distribution = "recipients" if roll < 5 else "members" if roll < 80 else "originator"
            when = base + timedelta(minutes=17 * n)
            route = f"{rng.choice(AIRPORTS)}-{rng.choice(AIRPORTS)}"
            items.append(
                Item(
                    kind=rng.choice(KINDS),
                    title=words(rng, 7).capitalize(),
                    summary=words(rng, 20),
                    body=words(rng, 80),
                    tlp="amber" if distribution == "recipients" else rng.choice(TLPS[:2]),
                    distribution=distribution,
                    status="published",
                    originator_agency=origin_agency,
                    originator_participant=origin,
                    author=author,
                    handling="H0",
                    countries=rng.sample(NATIONS, 1),
                    nationalities=rng.sample(NATIONS, 2),
                    routes=[route] if route[:3] != route[4:] else [],
                    created_at=when,
                    published_at=when,
                )
            )
        for item in items:
            item.search_text = f"{item.summary}\n{item.body}"
        with transaction.atomic():
            Item.objects.bulk_create(items, batch_size=1000)
            if items[0].pk is None:  # SQLite < 3.35 does not return ids
                raise SystemExit("bulk_create did not return primary keys")
            Recipient.objects.bulk_create(
                [
                    Recipient(content_type=content_type, object_id=item.pk, principal_key=f"group:{group.pk}")
                    for item in items
                    if item.distribution == "recipients"
                ],
                batch_size=2000,
            )
            facets = []
            tokens = {}
            for item in items:
                rows = {("kind", item.kind), ("tlp", item.tlp), ("month", item.published_at.strftime("%Y-%m"))}
                rows |= {("country", c) for c in item.countries} | {("nationality", c) for c in item.nationalities}
                rows |= {("route", r) for r in item.routes}
                keys = set()
                if item.distribution == "recipients":
                    rows.add(("group", str(group.pk)))
                    keys.add(f"group:{group.pk}")
                facets += [ItemFacet(item_id=item.pk, facet=f, value=v) for f, v in rows]
                access = search.item_access_tokens(item, keys)
                tokens[item.pk] = " ".join(
                    [*sorted(access), *sorted(search.facet_token(f, v) for f, v in rows), search.CURRENT_TOKEN]
                )
            ItemFacet.objects.bulk_create(facets, batch_size=5000)
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.executemany(
                        "INSERT INTO exchange_item_search (item_id, search_vector) SELECT id, "
                        "setweight(to_tsvector('english', title), 'A') || to_tsvector('english', search_text) || "
                        "to_tsvector('simple', %s) FROM exchange_item WHERE id = %s "
                        "ON CONFLICT (item_id) DO UPDATE SET search_vector = EXCLUDED.search_vector",
                        [(tokens[item.pk], item.pk) for item in items],
                    )
                else:
                    cursor.executemany(
                        "INSERT INTO exchange_item_fts (rowid, title, body, tokens) VALUES (%s, %s, %s, %s)",
                        [(item.pk, item.title, item.search_text, tokens[item.pk]) for item in items],
                    )
        print(f"  {min(count, start + batch):,} items ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO exchange_item_fts(exchange_item_fts) VALUES ('optimize')")
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)


def reset() -> None:
    with transaction.atomic():
        ItemFacet.objects.all().delete()
        Recipient.objects.filter(content_type=ContentType.objects.get_for_model(Item)).delete()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM exchange_item_fts")
        Item.objects.all().delete()
        User.objects.filter(username__startswith="bench-").delete()
        GroupMembership.objects.filter(group__slug="bench-rilon").delete()
        Group.objects.filter(slug="bench-rilon").delete()
        Agency.objects.filter(participant__code__startswith="bench-").delete()
        Participant.objects.filter(code__startswith="bench-").delete()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def run(repeat: int) -> dict:
    users = {name: User.objects.get(username=f"bench-{name}") for name in ("narrow", "wide")}
    plan = [(name, text, filters) for name in users for text, filters in QUERIES]
    assert len(plan) == 50
    for name, text, filters in plan:  # warm-up
        forget_principals(users[name])
        search.search(users[name], text=text, filters=filters)
    timings: dict[str, list[float]] = {"narrow": [], "wide": []}
    totals: dict[tuple, int] = {}
    slowest: list[tuple[float, str]] = []
    for _ in range(repeat):
        for name, text, filters in plan:
            user = users[name]
            forget_principals(user)  # principals are computed per request
            started = time.perf_counter()
            result = search.search(user, text=text, filters=filters)
            elapsed = (time.perf_counter() - started) * 1000
            timings[name].append(elapsed)
            slowest.append((elapsed, f"{name} {text!r} {filters}"))
            totals[(name, text, str(filters))] = result.total
    visible = {name: search.searchable_items(user).count() for name, user in users.items()}
    return {"timings": timings, "totals": totals, "visible": visible, "slowest": sorted(slowest)[-5:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reload", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    have = Item.objects.filter(author__username="bench-author").count()
    if args.reload or have != args.items:
        reset()
        build(args.items)
    outcome = run(args.repeat)
    everything = outcome["timings"]["narrow"] + outcome["timings"]["wide"]
    print(f"\ndatabase: {connection.vendor}; items: {Item.objects.count():,}; queries: 50 × {args.repeat}")
    for name in ("narrow", "wide"):
        values = outcome["timings"][name]
        share = outcome["visible"][name] / max(1, Item.objects.count())
        print(
            f"  {name:<6} (sees {share:.0%}): median {statistics.median(values):6.1f} ms   "
            f"p95 {percentile(values, 95):6.1f} ms   max {max(values):6.1f} ms"
        )
    print(
        f"  all              : median {statistics.median(everything):6.1f} ms   "
        f"p95 {percentile(everything, 95):6.1f} ms   (target p95 < 150 ms)"
    )
    print("  slowest:")
    for elapsed, label in reversed(outcome["slowest"]):
        print(f"    {elapsed:7.1f} ms  {label}")


if __name__ == "__main__":
    main()
