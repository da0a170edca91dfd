"""Import benchmark: one million observation rows from a CSV file, validated and stored, against a bare insert.

    .venv/bin/python bench/import_bench.py                    # SQLite (var/bench-import.sqlite3)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/benchimport .venv/bin/python bench/import_bench.py

Options: --rows N (default 1000000). The database is rebuilt on each run.

Measured: the portal's whole import path (parse the CSV, every validation check, store all months in one
transaction, summary rows, one audit entry) in rows per second and peak memory (RSS high-water mark),
then a bare batched insert (executemany of the same rows into the same table, 50,000 per batch, one
transaction) in the same run, and the ratio of the two times. Targets: >= 50,000 rows/s and <= 2x bare.
"""

import argparse
import io
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-import.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from participants.models import Agency, Participant  # noqa: E402
from regionaldata import services, storage  # noqa: E402
from regionaldata.catalogue import SMALL_CODE_LISTS, country_codes, install_defaults  # noqa: E402
from regionaldata.models import DataSet, IndicatorSet, Observation, Submission, SummaryCell  # noqa: E402
from regionaldata.validation import COLUMNS  # noqa: E402


def reset_database() -> None:
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)


def make_file(rows: int) -> bytes:
    """Detections by month x citizenship x border type x route x sex: all distinct, no totals."""
    rng = random.Random(1)
    citizenships = [code for code, _name in country_codes()]
    border_types = [code for code, *_ in SMALL_CODE_LISTS["border_type"]]
    routes = [code for code, *_ in SMALL_CODE_LISTS["route"]]
    months = [f"{year}-{month:02d}" for year in range(2015, 2026) for month in range(1, 13)]
    buffer = io.StringIO()
    buffer.write(",".join(COLUMNS) + "\n")
    empty = {name: "" for name in COLUMNS}
    written = 0
    for month in months:
        for citizenship in citizenships:
            for border in border_types:
                for route in routes:
                    for sex in ("F", "M"):
                        row = dict(
                            empty,
                            indicator="ibc",
                            period=month,
                            citizenship=citizenship,
                            border_type=border,
                            route=route,
                            sex=sex,
                            value=str(rng.randint(0, 500)),
                        )
                        buffer.write(",".join(row[name] for name in COLUMNS) + "\n")
                        written += 1
                        if written == rows:
                            return buffer.getvalue().encode()
    raise SystemExit(f"the generator makes at most {written} rows")


def setup():
    install_defaults()
    participant = Participant.objects.create(name="Benchland", code="bch", kind="state", status="member")
    agency = Agency.objects.create(participant=participant, name="Benchland Immigration", kind="immigration")
    user = User.objects.create(username="bench", agency=agency, role=Role.CONTRIBUTOR)
    dataset = DataSet.objects.create(
        code="bench",
        name="Bench",
        participant=participant,
        agency=agency,
        indicator_set=IndicatorSet.objects.get(code="irregular-migration"),
        audience="members",
    )
    return user, dataset


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    reset_database()
    user, dataset = setup()
    content = make_file(args.rows)
    print(f"database: {connection.vendor}; file: {len(content) / 1e6:.1f} MB, {args.rows:,} rows")

    rss_before = peak_rss_mb()
    started = time.perf_counter()
    result = services.import_file(actor=user, dataset=dataset, content=content, filename="bench.csv", background=False)
    portal_seconds = time.perf_counter() - started
    assert result.report.ok, result.report.errors[:5]
    stored = Observation.objects.count()
    assert stored == args.rows, stored
    print(
        f"portal import: {portal_seconds:.2f} s, {args.rows / portal_seconds:,.0f} rows/s, "
        f"peak RSS {peak_rss_mb():,.0f} MB (was {rss_before:,.0f} MB before the import); "
        f"{Submission.objects.count()} months, {SummaryCell.objects.count():,} summary rows"
    )

    # The same rows, typed and with their submission ids, inserted bare into the same table.
    rows = list(Observation.objects.order_by("pk").values_list(*storage.OBS_COLUMNS))
    Observation.objects.all().delete()
    table = Observation._meta.db_table
    placeholders = ", ".join(["%s"] * len(storage.OBS_COLUMNS))
    sql = f"INSERT INTO {table} ({', '.join(storage.OBS_COLUMNS)}) VALUES ({placeholders})"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 50_000):
            cursor.executemany(sql, rows[start : start + 50_000])
    bare_seconds = time.perf_counter() - started
    print(f"bare executemany insert: {bare_seconds:.2f} s, {len(rows) / bare_seconds:,.0f} rows/s")
    ratio = portal_seconds / bare_seconds
    print(
        f"ratio portal / bare: {ratio:.2f}x (target <= 2x); rows/s target >= 50,000: "
        f"{'met' if args.rows / portal_seconds >= 50_000 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
