"""Dashboard benchmark: ten million observations on PostgreSQL, p95 per chart under 300 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/benchstats .venv/bin/python bench/dashboard_bench.py

Options: --observations N (default 10,000,000), --repeat R (default 20), --reload (rebuild the data).
The data is kept between runs (rebuilt when the count differs or with --reload).

Data: 20 reporting participants x 120 months, each month ~4,200 observations (citizenship x border
type x route), all published: half of the data sets reciprocal, half to all members. Observations go in
with COPY; the summary rows are filled by one SQL aggregation per dimension, checked against the
portal's own summary code on one submission. Each chart query of the dashboard runs as two users (one
that reported every month, one that reported none, so reciprocity is exercised), and as the RSO.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/benchstats")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from participants.models import Agency, Participant  # noqa: E402
from regionaldata import queries, storage  # noqa: E402
from regionaldata.catalogue import SMALL_CODE_LISTS, country_codes, install_defaults  # noqa: E402
from regionaldata.models import DIMENSIONS, DataSet, IndicatorSet, Observation, Submission, SummaryCell  # noqa: E402
from sharing.models import TLP, Distribution, Recipient, Status  # noqa: E402

PARTICIPANTS = 20
MONTHS = [date(2015 + m // 12, m % 12 + 1, 1) for m in range(120)]


def reset_schema() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)


def build(observations: int) -> None:
    install_defaults()
    indicator_set = IndicatorSet.objects.get(code="irregular-migration")
    per_submission = observations // (PARTICIPANTS * len(MONTHS))
    routes = [code for code, *_ in SMALL_CODE_LISTS["route"]]
    borders = [code for code, *_ in SMALL_CODE_LISTS["border_type"]]
    countries = [code for code, _ in country_codes()][: max(1, per_submission // (len(routes) * len(borders)) + 1)]
    combos = [(c, b, r) for c in countries for b in borders for r in routes][:per_submission]
    rng = np.random.default_rng(7)
    submission_ct = ContentType.objects.get_for_model(Submission)
    for index in range(PARTICIPANTS):
        participant = Participant.objects.create(
            name=f"Benchland {index}", code=f"b{index:02d}", kind="state", status="member"
        )
        agency = Agency.objects.create(
            participant=participant, name=f"Benchland {index} Immigration", kind="immigration"
        )
        User.objects.create(username=f"bench{index:02d}", agency=agency, role=Role.ANALYST)
        audience = "reciprocal" if index % 2 == 0 else "members"
        dataset = DataSet.objects.create(
            code=f"b{index:02d}",
            name=f"Benchland {index}",
            participant=participant,
            agency=agency,
            indicator_set=indicator_set,
            audience=audience,
        )
        distribution = Distribution.RECIPIENTS if audience == "reciprocal" else Distribution.MEMBERS
        submissions = Submission.objects.bulk_create(
            [
                Submission(
                    dataset=dataset,
                    period=month,
                    state="published",
                    status=Status.PUBLISHED,
                    distribution=distribution,
                    tlp=TLP.GREEN,
                    originator_agency=agency,
                    originator_participant=participant,
                    row_count=len(combos),
                )
                for month in MONTHS
            ]
        )
        if distribution == Distribution.RECIPIENTS:
            Recipient.objects.bulk_create(
                [
                    Recipient(
                        content_type=submission_ct,
                        object_id=s.pk,
                        principal_key=f"reported:irregular-migration:{s.period:%Y-%m}",
                    )
                    for s in submissions
                ]
            )
        n = len(combos)
        frame = pl.DataFrame(
            {
                "submission_id": np.repeat([s.pk for s in submissions], n),
                "indicator": ["ibc"] * (n * len(submissions)),
                **{name: ["_T"] * (n * len(submissions)) for name in DIMENSIONS},
                "value": rng.integers(0, 60, n * len(submissions)),
            }
        ).with_columns(
            pl.Series("citizenship", [c for c, _b, _r in combos] * len(submissions)),
            pl.Series("border_type", [b for _c, b, _r in combos] * len(submissions)),
            pl.Series("route", [r for _c, _b, r in combos] * len(submissions)),
        )
        with transaction.atomic():
            storage.insert_observations(frame)
        print(f"  participant {index + 1}/{PARTICIPANTS}: {frame.height:,} observations", flush=True)
    fill_summary()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def fill_summary() -> None:
    """The same margins the portal's summary code writes, computed in SQL for speed (checked below)."""
    obs, sub, cell = Observation._meta.db_table, Submission._meta.db_table, SummaryCell._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {cell} (submission_id, participant_id, indicator, period, dimension, code, value) "
            f"SELECT o.submission_id, s.originator_participant_id, o.indicator, s.period, 'total', '_T', SUM(o.value) "
            f"FROM {obs} o JOIN {sub} s ON s.id = o.submission_id GROUP BY 1, 2, 3, 4"
        )
        for dimension in ("citizenship", "border_type", "route"):
            cursor.execute(
                f"INSERT INTO {cell} (submission_id, participant_id, indicator, period, dimension, code, value) "
                f"SELECT o.submission_id, s.originator_participant_id, o.indicator, s.period, '{dimension}', "
                f"o.{dimension}, SUM(o.value) FROM {obs} o JOIN {sub} s ON s.id = o.submission_id "
                "GROUP BY 1, 2, 3, 4, 6"
            )
    sample = Submission.objects.order_by("pk").first()
    expected = storage.summary_frame(storage.observations_frame([sample.pk]))
    stored = SummaryCell.objects.filter(submission=sample).count()
    assert stored == expected.height, (stored, expected.height)


def timed(function, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(0.95 * len(samples)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observations", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--reload", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run on PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/benchstats")
    try:
        existing = Observation.objects.count()
    except Exception:
        existing = 0
    call_command("migrate", verbosity=0)  # new indexes on a kept data set
    if args.reload or abs(existing - args.observations) > args.observations * 0.01:
        print(f"building {args.observations:,} observations (found {existing:,})", flush=True)
        started = time.perf_counter()
        reset_schema()
        build(args.observations)
        print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        # As autovacuum would: fresh statistics and a visibility map, so index-only scans are possible.
        cursor.execute(f"VACUUM ANALYZE {SummaryCell._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {Submission._meta.db_table}")
    print(f"observations: {Observation.objects.count():,}; summary rows: {SummaryCell.objects.count():,}")
    reporter = User.objects.get(username="bench00")  # reported every month: sees all reciprocal data sets
    outsider_agency = Agency.objects.filter(participant__code="b01").first()
    outsider, _ = User.objects.get_or_create(
        username="outsider", defaults={"agency": outsider_agency, "role": Role.VIEWER}
    )
    last_year = (MONTHS[-12], MONTHS[-1])
    two_years = (MONTHS[-24], MONTHS[-1])  # the dashboard's default window for breakdowns
    charts = {
        "monthly totals": lambda who: queries.monthly_totals(who, indicator="ibc"),
        "year-on-year": lambda who: queries.year_on_year(who, indicator="ibc"),
        "top citizenships (12 months)": lambda who: queries.breakdown(
            who, indicator="ibc", dimension="citizenship", start=last_year[0], end=last_year[1], top=15
        ),
        "citizenships map (24 months)": lambda who: queries.breakdown(
            who, indicator="ibc", dimension="citizenship", start=two_years[0], end=two_years[1]
        ),
        "citizenships (all 10 years; not a default chart)": lambda who: queries.breakdown(
            who, indicator="ibc", dimension="citizenship"
        ),
        "routes (24 months)": lambda who: queries.breakdown(
            who, indicator="ibc", dimension="route", start=two_years[0], end=two_years[1]
        ),
        "border types (24 months)": lambda who: queries.breakdown(
            who, indicator="ibc", dimension="border_type", start=two_years[0], end=two_years[1]
        ),
        "per participant (24 months)": lambda who: queries.by_participant(
            who, indicator="ibc", start=two_years[0], end=two_years[1]
        ),
        "citizenship x month (12 months)": lambda who: queries.citizenship_by_month(
            who, indicator="ibc", start=last_year[0], end=last_year[1]
        ),
    }
    worst = 0.0
    for label, user in (("reporter", reporter), ("non-reporter", outsider)):
        for name, chart in charts.items():

            def run(chart=chart, user=user):
                fresh = User.objects.get(pk=user.pk)  # principals are computed per request
                return chart(fresh)

            run()
            median, p95 = timed(run, args.repeat)
            worst = max(worst, p95)
            print(f"{label:13} {name:34} median {median:7.1f} ms   p95 {p95:7.1f} ms")
    print(f"worst p95: {worst:.1f} ms (target < 300 ms): {'met' if worst < 300 else 'NOT met'}")


if __name__ == "__main__":
    main()
