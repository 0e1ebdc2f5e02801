"""The personal-data scan on distinct values: Arrow-backed and object text give the same findings and masks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gcdb.read.personal import find_personal_columns, mask_issue_values, scan_values

TCKN = "10000000146"  # checksum-valid


def _frame(storage: str) -> pd.DataFrame:
    dtype = pd.StringDtype(storage=storage, na_value=np.nan)
    return pd.DataFrame(
        {
            0: pd.array(["Kadıköy", None, "Üsküdar", "Kadıköy"] * 5, dtype=dtype),
            1: pd.array(["x", "y", None, TCKN] * 5, dtype=dtype),
            2: pd.array(["Ayşe Yılmaz", None, "Mehmet Kaya", "Ali Demir"] * 5, dtype=dtype),
        }
    )


def test_column_scan_is_the_same_for_arrow_and_python_strings():
    headers = ("İlçe", "Kod", "Kişi")
    arrow = find_personal_columns(_frame("pyarrow"), headers)
    python = find_personal_columns(_frame("python"), headers)
    assert arrow == python
    assert [(f["position"], f["kind"], f["row"]) for f in arrow] == [(1, "tckn", 3), (2, "name", 0)]


def test_value_scan_is_the_same_for_arrow_and_python_strings():
    for j in range(3):
        kinds_a, masked_a = scan_values(_frame("pyarrow")[j])
        kinds_p, masked_p = scan_values(_frame("python")[j])
        assert kinds_a.tolist() == kinds_p.tolist()
        assert (masked_a is None) == (masked_p is None)
        if masked_a is not None and masked_p is not None:
            assert pd.Series(masked_a).equals(pd.Series(masked_p))
    kinds, masked = scan_values(_frame("pyarrow")[0])
    assert masked is None and set(kinds.tolist()) == {""}


def test_issue_values_masked_through_distinct_values():
    values = pd.Series(["Ayşe Yılmaz", None, "Kadıköy", TCKN, "Ayşe Yılmaz"], dtype="str")
    shown = mask_issue_values(values)
    assert shown.isna().tolist() == [False, True, False, False, False]
    assert shown.iloc[2] == "Kadıköy" and shown.iloc[0] == shown.iloc[4] != "Ayşe Yılmaz"
    assert shown.iloc[3] == "1000*******"
    plain = pd.Series(["Kadıköy", None], dtype="str")
    assert mask_issue_values(plain) is plain


def _tckn(n: int) -> str:
    """A checksum-valid T.C. kimlik number from the nine digits of ``n`` (first digit not zero)."""
    d = [int(c) for c in f"{n:09d}"]
    d[0] = d[0] or 1
    d10 = (sum(d[0:9:2]) * 7 - sum(d[1:8:2])) % 10
    d11 = (sum(d) + d10) % 10
    return "".join(map(str, [*d, d10, d11]))


def _id_column(n: int, hit: str, every: int, after: int) -> list[str]:
    """``n`` distinct record ids with ``hit(i)`` on every ``every``-th row from ``after`` on (past the rows the
    scan looks at to choose its route)."""
    return [hit(i) if i >= after and i % every == 0 else f"R{i:09d}" for i in range(n)]


def test_id_columns_are_scanned_row_by_row_with_the_same_findings():
    # 6,000 distinct ids: the scan filters them row by row (the first 2,048 hold nothing personal-shaped)
    n = 6000
    columns = {
        "Kod A": _id_column(n, lambda i: _tckn(100_000_000 + i), 10, 2048),  # 6.6 % of rows: ≥ 5 %
        "Kod B": _id_column(n, lambda i: _tckn(200_000_000 + i), 40, 2048),  # 1.6 %: < 5 %
        "Kod C": _id_column(n, lambda i: f"Ayşe Yılmaz {i}" if i % 2 else "Mehmet Kaya", 1, 2048),
        "Kod D": _id_column(n, str, 1, n),  # nothing personal
    }
    for storage in ("pyarrow", "python"):
        dtype = pd.StringDtype(storage=storage, na_value=np.nan)
        frame = pd.DataFrame({j: pd.array(v, dtype=dtype) for j, v in enumerate(columns.values())})
        found = find_personal_columns(frame, tuple(columns))
        assert [(f["header"], f["kind"], f["row"]) for f in found] == [
            ("Kod A", "tckn", 2050),
            ("Kod C", "name", 2048),
        ], storage
