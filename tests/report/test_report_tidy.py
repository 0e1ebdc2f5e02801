"""tidy.py: CSV and Parquet copies of the report tables that read back equal."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from report_sample import actions_frame, districts_frame

from gcdb import columns as C
from gcdb.errors import UsageError
from gcdb.report import write_tidy
from gcdb.report.tidy import tidy_name


def _usage() -> pd.DataFrame:
    return pd.DataFrame(
        {
            C.RECORD_ID: pd.array(["r1", "r2", "r3"], dtype="str"),
            C.SERVICE_CODE: pd.array(["01", "002", None], dtype="str"),  # codes with leading zeros stay text
            C.DATE: pd.to_datetime(["2024-01-05", "2024-02-29", None]),
            C.AGE: pd.array([34, None, 71], dtype="Int64"),
            "rate": [0.1, 1 / 3, np.nan],
            C.QUANTITY: np.array([1, 2, 3], dtype="int64"),
        }
    )


def test_round_trip_csv_and_parquet(tmp_path):
    tables = {"actions": actions_frame(), "districts": districts_frame(), "usage": _usage()}
    files = write_tidy(tables, tmp_path)
    assert [f.name for f in files] == [
        "actions.csv",
        "actions.parquet",
        "districts.csv",
        "districts.parquet",
        "usage.csv",
        "usage.parquet",
    ]
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / f"{name}.parquet"), frame)
    # CSV: read back with the dtypes a consumer would declare
    actions = pd.read_csv(tmp_path / "actions.csv")
    pd.testing.assert_frame_equal(actions, actions_frame(), check_dtype=False)
    assert actions[C.EXPENDITURE].dtype == "int64"  # money stays integer kuruş
    assert actions[C.EXPENDITURE].tolist() == actions_frame()[C.EXPENDITURE].tolist()
    usage = pd.read_csv(
        tmp_path / "usage.csv",
        dtype={C.RECORD_ID: "str", C.SERVICE_CODE: "str", C.AGE: "Int64"},
        parse_dates=[C.DATE],
    )
    pd.testing.assert_frame_equal(usage, _usage(), check_dtype=False)
    assert usage["rate"].iloc[1] == 1 / 3  # floats read back exactly


def test_csv_conventions(tmp_path):
    (path,) = write_tidy({"usage": _usage()}, tmp_path, formats=("csv",))
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM
    assert b"\r\n" not in raw
    lines = raw.decode("utf-8").splitlines()
    assert lines[0] == "record_id,service_code,date,age,rate,quantity"
    assert lines[1] == "r1,01,2024-01-05,34,0.1,1"
    assert lines[3] == "r3,,,71,,3"  # missing values are empty


def test_datetimes_with_times_are_iso(tmp_path):
    frame = pd.DataFrame({C.DATE: pd.to_datetime(["2024-01-05 08:30:00", "2024-01-06 00:00:00"])})
    (path,) = write_tidy({"t": frame}, tmp_path, formats=("csv",))
    assert path.read_text(encoding="utf-8").splitlines()[1:] == ["2024-01-05T08:30:00", "2024-01-06T00:00:00"]


def test_deterministic_bytes(tmp_path):
    tables = {"actions": actions_frame(), "usage": _usage()}
    first = [p.read_bytes() for p in write_tidy(tables, tmp_path / "a")]
    second = [p.read_bytes() for p in write_tidy(tables, tmp_path / "b")]
    assert first == second


def test_meaningful_index_becomes_columns(tmp_path):
    frame = actions_frame().groupby(C.UNIT_NAME)[[C.EXPENDITURE]].sum()
    write_tidy({"units": frame}, tmp_path, formats=("parquet",))
    back = pd.read_parquet(tmp_path / "units.parquet")
    assert list(back.columns) == [C.UNIT_NAME, C.EXPENDITURE]
    assert back[C.EXPENDITURE].sum() == actions_frame()[C.EXPENDITURE].sum()


def test_names_and_errors(tmp_path):
    assert tidy_name("İlçe Oranları") == "ilce_oranlari"
    with pytest.raises(UsageError, match="both be written"):
        write_tidy({"İlçe": pd.DataFrame(), "ilce": pd.DataFrame()}, tmp_path)
    with pytest.raises(UsageError, match="formats"):
        write_tidy({"a": pd.DataFrame()}, tmp_path, formats=("xlsx",))
    with pytest.raises(UsageError, match="duplicate column"):
        write_tidy({"a": pd.DataFrame([[1, 2]], columns=["x", "x"])}, tmp_path)
    with pytest.raises(UsageError, match="not a DataFrame"):
        write_tidy({"a": [1, 2]}, tmp_path)
