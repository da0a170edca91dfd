"""Demo statistics: catalogue, data sets for five participants, months in every workflow state, real data."""

import random
from datetime import date

from django.db import transaction

from portal.seeding import register_seeder

DEMO = [
    # participant code, data set name, audience
    ("idn", "Indonesia: irregular migration monthly return", "reciprocal"),
    ("aus", "Australia: irregular migration monthly return", "reciprocal"),
    ("mys", "Malaysia: irregular migration monthly return", "members"),
    ("tha", "Thailand: irregular migration monthly return", "reciprocal"),
    ("lka", "Sri Lanka: irregular migration monthly return", "public"),
]
CITIZENSHIPS = ("AFG", "MMR", "BGD", "LKA", "IRN", "IRQ", "PAK", "VNM", "CHN", "XXA")
MONTHS = [date(2025, month, 1) for month in range(1, 7)]


def _months_states(index: int) -> list[str]:
    """Each participant's months end in a different state, so every step of the workflow shows."""
    states = ["published"] * 3 + ["approved", "validated", "submitted"]
    if index == 3:
        return ["published"] * 2 + ["draft"] * 4  # Thailand is behind: overdue months
    if index == 4:
        return ["published"] * 6
    return states


def _figures(rng: random.Random, period: date) -> list[dict]:
    rows = []
    total = 0
    for code in CITIZENSHIPS:
        value = rng.choice([0, 2, 3, 7, 12, 25, 40, 80])
        total += value
        rows.append({"indicator": "ibc", "period": f"{period:%Y-%m}", "citizenship": code, "value": str(value)})
    rows.append({"indicator": "ibc", "period": f"{period:%Y-%m}", "value": str(total)})
    facilitators = rng.randint(0, max(1, total // 10))
    rows.append({"indicator": "facilitators", "period": f"{period:%Y-%m}", "value": str(facilitators)})
    female = rng.randint(0, 10)
    male = rng.randint(0, 10)
    rows += [
        {"indicator": "vot", "period": f"{period:%Y-%m}", "sex": "F", "value": str(female)},
        {"indicator": "vot", "period": f"{period:%Y-%m}", "sex": "M", "value": str(male)},
        {"indicator": "vot", "period": f"{period:%Y-%m}", "value": str(female + male)},
    ]
    return rows


def _user(participant, role: str):
    from accounts.models import User

    return User.objects.filter(agency__participant=participant, role=role, is_active=True).order_by("pk").first()


@register_seeder("regionaldata", order=60)
def seed(say) -> None:
    import polars as pl

    from accounts.models import Role
    from participants.models import Agency, Participant
    from regionaldata import services
    from regionaldata.catalogue import install_defaults
    from regionaldata.importers import import_australia, import_frontex, import_glotip, import_unhcr
    from regionaldata.models import DataSet, IndicatorSet, Submission, WorkflowState

    install_defaults()
    indicator_set = IndicatorSet.objects.get(code="irregular-migration")
    secretariat = _user(Participant.objects.filter(code="rso").first(), Role.SECRETARIAT)
    rng = random.Random(60)
    for index, (code, name, audience) in enumerate(DEMO):
        participant = Participant.objects.filter(code=code).first()
        if participant is None:
            say(f"statistics: participant {code} missing; run the participants seeder first")
            continue
        agency = Agency.objects.filter(participant=participant).order_by("pk").first()
        dataset, _ = DataSet.objects.get_or_create(
            code=f"{code}-monthly",
            defaults={
                "name": name,
                "participant": participant,
                "agency": agency,
                "indicator_set": indicator_set,
                "audience": audience,
                "first_period": MONTHS[0],
            },
        )
        contributor = next(
            (u for u in (_user(participant, r) for r in (Role.CONTRIBUTOR, Role.ANALYST, Role.FOCAL_POINT)) if u), None
        )
        focal = _user(participant, Role.FOCAL_POINT)
        if contributor is None or Submission.objects.filter(dataset=dataset).exists():
            continue
        for period, target in zip(MONTHS, _months_states(index), strict=True):
            rows = _figures(rng, period)
            frame = pl.DataFrame(
                {k: [r.get(k) for r in rows] for k in ("indicator", "period", "citizenship", "sex", "value")}
            )
            frame = frame.with_row_index("row", offset=2).with_columns(pl.col("row").cast(pl.Int64))
            with transaction.atomic():
                result = services.store_frame(
                    actor=contributor,
                    dataset=dataset,
                    frame=frame,
                    checksum=f"seed-{code}-{period:%Y%m}",
                    filename="seed",
                    fmt="csv",
                )
                submission = result.submissions[0]
                _advance(submission, target, contributor=contributor, secretariat=secretariat, focal=focal)
        say(f"statistics: {dataset.name}")
    frontex = import_frontex(start=date(2023, 1, 1))
    say(f"statistics: Frontex {'unchanged' if frontex.unchanged else frontex.file.row_count} rows")
    australia = import_australia()
    say(f"statistics: Australia boat arrivals {'unchanged' if australia.unchanged else australia.file.row_count} rows")
    glotip = import_glotip()
    say(f"statistics: UNODC GLOTIP {'unchanged' if glotip.unchanged else glotip.rows} rows")
    unhcr = import_unhcr()
    say(f"statistics: UNHCR asylum applications {'unchanged' if unhcr.unchanged else unhcr.rows} rows")
    _ = WorkflowState


def _advance(submission, target: str, *, contributor, secretariat, focal) -> None:
    from regionaldata import services

    steps = ["submitted", "validated", "approved", "published"]
    if target == "draft":
        return
    for step in steps[: steps.index(target) + 1]:
        if step == "submitted":
            services.submission_submit(actor=contributor, submission=submission)
        elif step == "validated" and secretariat:
            services.submission_validate(actor=secretariat, submission=submission, accept=True)
        elif step == "approved" and focal:
            services.submission_approve(actor=focal, submission=submission)
        elif step == "published" and focal:
            services.submission_publish(actor=focal, submission=submission)
        submission.refresh_from_db()
