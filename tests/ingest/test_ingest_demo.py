"""The demo municipality's messy real-format copies read back to its canonical parquet files, to the kuruş.

``datasets/demo/messy/README.md`` states the contract; skipped if the demo data are not there.
"""

import pandas as pd
import pytest

from gcdb import columns as C
from gcdb import paths
from gcdb.read import read_budget, read_population, read_usage, usage_from_frame

DEMO = paths.demo()
pytestmark = pytest.mark.skipif(not (DEMO / "messy").is_dir(), reason="demo data not generated")


def _same(messy, canonical):
    columns = [c for c in messy.columns if c != C.SOURCE_ROW]
    pd.testing.assert_frame_equal(messy[columns], canonical[columns].reset_index(drop=True))


def test_messy_budget_csv_equals_the_parquet():
    canonical = read_budget(DEMO / "budget.parquet")
    assert canonical.errors.empty
    messy = read_budget(DEMO / "messy" / "budget_2024_tr.csv")
    assert messy.errors.empty and len(messy.data) == 3493
    _same(messy.data, canonical.data[canonical.data[C.FISCAL_YEAR] == 2024])
    # the parquet holds integer kuruş under canonical names: read as kuruş, not lira
    raw = pd.read_parquet(DEMO / "budget.parquet")
    assert canonical.data[C.EXPENDITURE].tolist() == raw[C.EXPENDITURE].tolist()


def test_messy_usage_xlsx_equals_the_parquet():
    messy = read_usage(DEMO / "messy" / "usage_sample_tr.xlsx")
    assert messy.ok and len(messy.data) == 2000
    raw = pd.read_parquet(DEMO / "usage.parquet")
    canonical = usage_from_frame(raw[raw[C.RECORD_ID].isin(messy.data[C.RECORD_ID])])
    assert canonical.ok
    _same(messy.data, canonical.data)


def test_messy_population_csv_equals_the_parquet():
    canonical = read_population(DEMO / "population.parquet")
    messy = read_population(DEMO / "messy" / "population_tr.csv")
    assert canonical.ok and messy.ok and len(messy.data) == 4032
    _same(messy.data, canonical.data[canonical.data[C.FISCAL_YEAR] == 2024])
