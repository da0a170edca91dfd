"""Scale the demo data up for the load benchmark: 3,000 users and 100,000 documents (bulk inserts).

Run after `manage.py seed_demo`, against the benchmark database only:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/operationsbench \
        .venv/bin/python bench/load/scale_up.py --users 3000 --documents 100000 --tokens 300 --out var/bench

Before every further run, `--reset-writes` deletes what the previous run's API writes created (the
"Load note" drafts), so each run starts from the same library: otherwise hundreds of drafts, invisible to
nearly everyone, sit at the top of the newest-first lists, and each run measures a slower library than the
last.

Load users are `load0001`... with the demo password and one shared TOTP secret (written to
<out>/load-users.json with the API tokens), so the load driver can sign in like a person.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

import django  # noqa: E402

django.setup()

from allauth.mfa.adapter import get_adapter as get_mfa_adapter  # noqa: E402
from allauth.mfa.models import Authenticator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import ApiToken, Role, User, hash_secret  # noqa: E402
from documents.models import Document  # noqa: E402
from operations.crypto import keyed_hash  # noqa: E402
from participants.models import Agency, Group  # noqa: E402
from sharing.models import TLP, Distribution, Recipient, Status  # noqa: E402
from sharing.principals import group_key, participant_key  # noqa: E402

TOTP_SECRET = "JBSWY3DPEHPK3PXP"
TOPICS = [
    "people smuggling",
    "trafficking in persons",
    "irregular migration",
    "document fraud",
    "border management",
    "returns and reintegration",
    "labour migration",
    "victim support",
    "maritime arrivals",
    "visa policy",
    "biometrics",
    "identity management",
    "regional cooperation",
    "disaster displacement",
    "online recruitment",
]
KINDS = ["Report", "Briefing", "Guide", "Assessment", "Minutes", "Study", "Update", "Statement"]


def bulk_users(count: int, rng: random.Random) -> list[User]:
    existing = User.objects.filter(username__startswith="load").count()
    agencies = [a for a in Agency.objects.select_related("participant") if a.participant.is_active_member]
    password = make_password(settings.DEMO_PASSWORD)
    roles = [Role.ANALYST] * 5 + [Role.VIEWER] * 4 + [Role.FOCAL_POINT]
    users = []
    for number in range(existing + 1, count + 1):
        email = f"load{number:04d}@bench.example"
        user = User(
            username=f"load{number:04d}",
            agency=rng.choice(agencies),
            role=rng.choice(roles),
            password=password,
            first_name=f"Load{number}",
            last_name="Tester",
            email=email,
            email_hash=keyed_hash(email),
        )
        users.append(user)
    User.objects.bulk_create(users, batch_size=500)
    created = list(User.objects.filter(username__startswith="load").exclude(authenticator__type="totp"))
    data = {"secret": get_mfa_adapter().encrypt(TOTP_SECRET)}
    Authenticator.objects.bulk_create(
        [Authenticator(user=user, type=Authenticator.Type.TOTP, data=data) for user in created], batch_size=500
    )
    return list(User.objects.filter(username__startswith="load").select_related("agency__participant"))


def bulk_documents(count: int, users: list[User], rng: random.Random) -> None:
    existing = Document.objects.filter(title__startswith="[bench]").count()
    groups = list(Group.objects.all())
    content_type = ContentType.objects.get_for_model(Document)
    now = timezone.now()
    authors = [user for user in users if user.role != Role.VIEWER]
    batch, recipients_for = [], []
    for number in range(existing + 1, count + 1):
        author = rng.choice(authors)
        distribution = rng.choices(
            [Distribution.MEMBERS, Distribution.RECIPIENTS, Distribution.ORIGINATOR, Distribution.PUBLIC],
            weights=[55, 25, 10, 10],
        )[0]
        status = Status.PUBLISHED if rng.random() < 0.9 else Status.DRAFT
        tlp = rng.choices([TLP.CLEAR, TLP.GREEN, TLP.AMBER], weights=[20, 60, 20])[0]
        if distribution == Distribution.PUBLIC:
            tlp = TLP.CLEAR
        created = now - timezone.timedelta(minutes=number)
        topic = rng.choice(TOPICS)
        batch.append(
            Document(
                title=f"[bench] {rng.choice(KINDS)} on {topic} no. {number}",
                description=f"Synthetic document {number} about {topic} for the load benchmark.",
                language="en",
                originator_agency=author.agency,
                originator_participant=author.agency.participant,
                author=author,
                status=status,
                distribution=distribution,
                tlp=tlp,
                created_at=created,
                published_at=created if status == Status.PUBLISHED else None,
                group=rng.choice(groups) if groups and rng.random() < 0.2 else None,
            )
        )
        if distribution == Distribution.RECIPIENTS:
            keys = {participant_key(author.agency.participant_id)}
            other = rng.choice(users).agency.participant_id
            keys.add(participant_key(other))
            if groups and rng.random() < 0.3:
                keys.add(group_key(rng.choice(groups).pk))
            recipients_for.append((len(batch) - 1, keys))
        if len(batch) >= 2000 or number == count:
            with transaction.atomic():
                Document.objects.bulk_create(batch)
                Recipient.objects.bulk_create(
                    [
                        Recipient(content_type=content_type, object_id=batch[index].pk, principal_key=key)
                        for index, keys in recipients_for
                        for key in keys
                    ]
                )
            batch, recipients_for = [], []
            print(f"  documents: {number}/{count}", flush=True)


def issue_tokens(users: list[User], count: int) -> list[dict]:
    tokens = []
    for user in users[:count]:
        raw = ApiToken.generate_raw()
        ApiToken.objects.create(
            user=user,
            name="load benchmark",
            key_prefix=raw[:12],
            key_hash=hash_secret(raw),
            expires_at=ApiToken.default_expiry(30),
            security_stamp=user.security_stamp,
        )
        tokens.append({"username": user.username, "token": raw})
    return tokens


LOAD_NOTE_PREFIX = "Load note "  # the title drive.py gives its uploads


def reset_writes() -> None:
    """Delete the documents the load driver uploaded (with their recipients and files), then ANALYZE."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    uploads = list(Document.objects.filter(title__startswith=LOAD_NOTE_PREFIX).only("id", "file"))
    ids = [document.pk for document in uploads]
    files = [document.file for document in uploads if document.file]
    with transaction.atomic():
        Recipient.objects.filter(content_type=ContentType.objects.get_for_model(Document), object_id__in=ids).delete()
        deleted = Document.objects.filter(pk__in=ids).delete()[1].get(Document._meta.label, 0)
    for stored in files:
        stored.storage.delete(stored.name)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE documents_document")
    print(f"deleted {deleted} uploaded documents and {len(files)} files", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--tokens", type=int, default=300)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--seed", type=int, default=2011)
    parser.add_argument(
        "--reset-writes", action="store_true", help="only delete the documents earlier load runs uploaded, then exit"
    )
    args = parser.parse_args()
    if args.reset_writes:
        reset_writes()
        return
    rng = random.Random(args.seed)
    started = time.monotonic()
    users = bulk_users(args.users, rng)
    print(f"users: {len(users)} load users ({time.monotonic() - started:.0f} s)", flush=True)
    bulk_documents(args.documents, users, rng)
    print(f"documents: {Document.objects.count()} in total ({time.monotonic() - started:.0f} s)", flush=True)
    # Fresh planner statistics: without them PostgreSQL plans the visibility query for an empty table.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tokens = issue_tokens(users, args.tokens)
    (out / "load-users.json").write_text(
        json.dumps(
            {
                "password": settings.DEMO_PASSWORD,
                "totp_secret": TOTP_SECRET,
                "users": [user.username for user in users],
                "tokens": tokens,
                # A sample of every kind of document (visible to some users only) for item pages and the checker.
                "documents": [
                    str(value) for value in Document.objects.order_by("?").values_list("uuid", flat=True)[:3000]
                ],
            }
        )
    )
    print(f"wrote {out / 'load-users.json'} ({len(tokens)} API tokens); {time.monotonic() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
