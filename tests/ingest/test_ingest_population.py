"""Population baseline checks: a bad file, and the issue code, row and column."""

import pytest
from ingest_helpers import DATA, issue, single

from gcdb import columns as C
from gcdb.columns import AgeBands
from gcdb.read import population_from_frame, read_population

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")


def test_population_sample_reads_with_counts_reconciled():
    result = read_population(DATA / "population.csv")
    assert result.ok
    assert result.data[C.POPULATION].tolist() == [9500, 9900, 52000, 160000]
    assert result.data[C.AGE_BAND].tolist() == ["0-4", "0-4", "65+", "25-44"]
    assert result.data[C.DISABLED_POPULATION].tolist() == [120, 130, 4100, 2500]
    rec = result.reconciliation.set_index("measure")
    assert rec.loc[C.POPULATION].tolist() == [231400, 231400, 0, 0]


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("Nüfus", "-5", "negative_amount"),
        ("Nüfus", "çok", "unparseable_number"),
        ("Nüfus", "", "missing_value"),
        ("Nüfus", "10,5", "unparseable_number"),
        ("Yaş Grubu", "5-9", "unknown_age_band"),  # not a default band
        ("Yaş Grubu", "", "missing_value"),
        ("İlçe", "Atlantis", "unknown_district"),
        ("İlçe", "", "missing_value"),
        ("Cinsiyet", "?!", "unknown_sex"),
        ("Engelli Nüfus", "20000", "invalid_value"),  # more disabled residents than residents
    ],
)
def test_bad_population_value(population_file, column, value, code):
    result = read_population(
        population_file({}, {"Yaş Grubu": "5-14"}, {"Yaş Grubu": "15-24", column: value})
    )
    found = single(result, code)
    assert (found["row"], found["column"], found["severity"]) == (4, column, "error")
    assert len(result.data) == 2


def test_repeated_population_cell_is_a_duplicate(population_file):
    result = read_population(population_file({}, {"Yaş Grubu": "0 - 4"}))
    dup = issue(result, "duplicate_id")
    assert dup["row"].tolist() == [2, 3]
    assert "appears 2 times (rows 2, 3)" in dup["message"].iloc[0]


def test_other_age_bands_when_configured(population_file):
    bands = AgeBands(edges=(0, 5, 10, 15))
    result = read_population(
        population_file({"Yaş Grubu": "5-9"}, {"Yaş Grubu": "15 yaş ve üzeri"}), age_bands=bands
    )
    assert result.ok and result.data[C.AGE_BAND].tolist() == ["5-9", "15+"]
    assert list(result.data[C.AGE_BAND].cat.categories) == ["0-4", "5-9", "10-14", "15+"]


def test_population_from_frame_with_integer_columns():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "district": ["Kadıköy", "Kadıköy"],
            "sex": ["female", "male"],
            "age_band": ["65+", "65+"],
            "population": [1000, 950],
        }
    )
    result = population_from_frame(frame)
    assert result.ok and result.data[C.POPULATION].tolist() == [1000, 950]
    assert list(result.data.columns) == [C.DISTRICT, C.SEX, C.AGE_BAND, C.POPULATION, C.SOURCE_ROW]
