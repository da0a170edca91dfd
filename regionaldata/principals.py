"""Reciprocity as a derived principal: a participant that reported a month sees others' figures for it."""

from regionaldata.models import REPORTED_STATES, Submission


def reported_principals(user) -> list[str]:
    """`reported:<indicator set>:<YYYY-MM>` for every month the user's participant reported (approved or later)."""
    agency = getattr(user, "agency", None)
    if agency is None:
        return []
    rows = (
        Submission.objects.filter(originator_participant_id=agency.participant_id, state__in=REPORTED_STATES)
        .values_list("dataset__indicator_set__code", "period")
        .distinct()
    )
    return [f"reported:{code}:{period:%Y-%m}" for code, period in rows]
