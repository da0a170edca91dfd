"""Fast column-wise storage of validated frames, and the summary rows dashboards read.

Called only from services.py inside its transaction.
"""

import io
from datetime import date

import polars as pl
from django.db import connection

from regionaldata.models import DIMENSIONS, TOTAL, Observation, SummaryCell

OBS_COLUMNS = ("submission_id", "indicator", *DIMENSIONS, "value")
BATCH = 50_000


def insert_observations(frame: pl.DataFrame, *, progress=None) -> int:
    """Insert rows with columns OBS_COLUMNS: COPY on PostgreSQL, batched executemany elsewhere."""
    table = Observation._meta.db_table
    frame = frame.select(OBS_COLUMNS)
    done = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = ", ".join(OBS_COLUMNS)
            for start in range(0, frame.height, BATCH * 4):
                chunk = frame.slice(start, BATCH * 4)
                buffer = io.BytesIO()
                chunk.write_csv(buffer, include_header=False)
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
                    copy.write(buffer.getvalue())
                done += chunk.height
                if progress:
                    progress(done)
        else:
            # Table and column names are constants of this module, never input.
            sql = f"INSERT INTO {table} ({', '.join(OBS_COLUMNS)}) VALUES ({', '.join(['%s'] * len(OBS_COLUMNS))})"  # noqa: S608
            for start in range(0, frame.height, BATCH):
                chunk = frame.slice(start, BATCH)
                cursor.executemany(sql, chunk.rows())
                done += chunk.height
                if progress:
                    progress(done)
    return done


def observations_frame(submission_ids: list[int]) -> pl.DataFrame:
    """Stored observations of some submissions as a frame (for summaries, revisions, exports)."""
    rows = Observation.objects.filter(submission_id__in=submission_ids).values_list(*OBS_COLUMNS)
    return pl.DataFrame(
        list(rows),
        schema={name: (pl.Int64 if name in ("submission_id", "value") else pl.String) for name in OBS_COLUMNS},
        orient="row",
    )


def summary_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Per submission and indicator: the total, and one margin per dimension, without double counting.

    For each dimension the most aggregated pattern of rows that breaks it down is used (the validation
    already checked that every pattern adds up to the same totals).
    """
    n_total = pl.sum_horizontal([(pl.col(name) == TOTAL).cast(pl.Int32) for name in DIMENSIONS])
    pattern = pl.concat_str([(pl.col(name) == TOTAL).cast(pl.Int8).cast(pl.String) for name in DIMENSIONS])
    base = frame.with_columns(n_total.alias("_n"), pattern.alias("_p"))
    keys = ["submission_id", "indicator"]

    def most_aggregated(rows: pl.DataFrame) -> pl.DataFrame:
        rows = rows.filter(pl.col("_n") == pl.col("_n").max().over(keys))
        return rows.filter(pl.col("_p") == pl.col("_p").min().over(keys))

    parts = [
        most_aggregated(base)
        .group_by(keys)
        .agg(pl.col("value").sum())
        .with_columns(pl.lit("total").alias("dimension"), pl.lit(TOTAL).alias("code"))
    ]
    for dimension in DIMENSIONS:
        rows = base.filter(pl.col(dimension) != TOTAL)
        if rows.height == 0:
            continue
        parts.append(
            most_aggregated(rows)
            .group_by([*keys, dimension])
            .agg(pl.col("value").sum())
            .rename({dimension: "code"})
            .with_columns(pl.lit(dimension).alias("dimension"))
        )
    return pl.concat([part.select(*keys, "dimension", "code", "value") for part in parts])


def write_summary(frame: pl.DataFrame, *, periods: dict[int, date], participant_id: int) -> int:
    """Replace the summary rows of the submissions present in `frame` (incremental refresh)."""
    submission_ids = frame["submission_id"].unique().to_list()
    SummaryCell.objects.filter(submission_id__in=submission_ids).delete()
    summary = summary_frame(frame)
    cells = [
        SummaryCell(
            submission_id=submission_id,
            participant_id=participant_id,
            indicator=indicator,
            period=periods[submission_id],
            dimension=dimension,
            code=code,
            value=value,
        )
        for submission_id, indicator, dimension, code, value in summary.iter_rows()
    ]
    SummaryCell.objects.bulk_create(cells, batch_size=5000)
    return len(cells)


def refresh_summary(submission) -> int:
    """Recompute one submission's summary rows from what is stored."""
    frame = observations_frame([submission.pk])
    if frame.height == 0:
        SummaryCell.objects.filter(submission_id=submission.pk).delete()
        return 0
    return write_summary(
        frame, periods={submission.pk: submission.period}, participant_id=submission.originator_participant_id
    )
