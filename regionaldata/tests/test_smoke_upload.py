from regionaldata import services
from regionaldata.models import Observation
from regionaldata.tests.helpers import csv_bytes, month_rows


def test_a_valid_file_is_stored(stats):
    result = services.import_file(
        actor=stats.personas.alan_analyst,
        dataset=stats.alpha_set,
        content=csv_bytes(month_rows()),
        filename="march.csv",
    )
    assert result.report.ok, result.report.errors
    assert Observation.objects.filter(submission__dataset=stats.alpha_set).count() == 4
