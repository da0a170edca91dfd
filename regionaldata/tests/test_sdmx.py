"""SDMX-CSV exports read back with sdmx1 (using the portal's own SDMX-ML structure) give the same numbers."""

import io

import sdmx

from regionaldata import exports, queries
from regionaldata.tests.helpers import login, month_rows, publish_month


def test_sdmx_csv_read_by_sdmx1_gives_the_same_numbers(client, stats):
    p = stats.personas
    publish_month(
        stats,
        stats.alpha_set,
        contributor=p.alan_analyst,
        focal=p.alice_focal,
        period="2025-03",
        rows=[
            *month_rows("2025-03", afg=12, mmr=8),
            {"indicator": "vot", "period": "2025-03", "sex": "F", "value": 4},
            {"indicator": "vot", "period": "2025-03", "sex": "M", "value": 1},
            {"indicator": "vot", "period": "2025-03", "value": 5},
        ],
    )
    structure = sdmx.read_sdmx(io.BytesIO(client.get("/statistics/sdmx/structure.xml").content))
    flow = structure.dataflow[exports.DATAFLOW_ID]
    login(client, p.alan_analyst)
    response = client.get("/statistics/export/sdmx-csv/")
    assert response.status_code == 200
    message = sdmx.read_sdmx(io.BytesIO(response.content), format="CSV", structure=flow)
    observations = [obs for data_set in message.data for obs in data_set.obs]
    read = {
        (obs.dimension["INDICATOR"].value, obs.dimension["CITIZENSHIP"].value, obs.dimension["SEX"].value): obs.value
        for obs in observations
    }
    stored = {(o.indicator, o.citizenship, o.sex): o.value for o in queries.observations(p.alan_analyst)}
    assert len(read) == len(stored) == 7
    assert {key: float(value) for key, value in stored.items()} == {key: float(value) for key, value in read.items()}
    assert all(str(obs.dimension["TIME_PERIOD"].value) == "2025-03" for obs in observations)


def test_the_sdmx_csv_export_can_be_uploaded_again_unchanged(client, stats):
    p = stats.personas
    publish_month(stats, stats.alpha_set, contributor=p.alan_analyst, focal=p.alice_focal, period="2025-03")
    login(client, p.alan_analyst)
    exported = client.get("/statistics/export/sdmx-csv/").content
    from regionaldata import services

    services.submission_reopen(
        actor=p.alice_focal, submission=stats.alpha_set.submissions.get(), reason="check round trip"
    )
    result = services.import_file(actor=p.alan_analyst, dataset=stats.alpha_set, content=exported, filename="back.csv")
    assert result.report.ok, result.report.errors
    assert result.file.fmt == "sdmx-csv"
    assert result.file.row_count == 4


def test_the_api_takes_sdmx_csv_and_the_observation_query_is_strict(client, stats):
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = stats.personas
    publish_month(stats, stats.alpha_set, contributor=p.alan_analyst, focal=p.alice_focal, period="2025-03")
    login(client, p.alan_analyst)
    exported = client.get("/statistics/export/sdmx-csv/").content.replace(b"2025-03", b"2025-04")
    response = client.post(
        "/api/v1/statistics/submissions/sdmx-csv/",
        {"dataset": "alp-monthly", "file": SimpleUploadedFile("april.csv", exported, "text/csv")},
    )
    assert response.status_code == 201, response.content
    assert response.json()["submissions"][0]["period"] == "2025-04"
    assert response.json()["submissions"][0]["state"] == "draft"
    rows = client.get("/api/v1/statistics/observations/?indicator=ibc&citizenship=AFG").json()["results"]
    expected = {"participant": "alp", "period": "2025-03", "indicator": "ibc", "value": 12}
    assert rows == [{**expected, "dimensions": {"citizenship": "AFG"}}]
    assert client.get("/api/v1/statistics/observations/?colour=blue").status_code == 400
