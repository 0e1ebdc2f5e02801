"""The analytic budget classification: unknown codes rejected with their position and level; names; roll-up."""

from __future__ import annotations

import pandas as pd
import pytest

import gcdb
from gcdb import classification as K
from gcdb import columns as C
from gcdb import paths
from gcdb.errors import UsageError


def test_reference_lists_are_consistent():
    for kind in (K.FUNCTIONAL, K.ECONOMIC):
        t = K.table(kind)
        assert t["code"].is_unique and t["name"].notna().all()
        assert (t["code"].str.count(r"\.") + 1 == t["level"]).all()
        parents = t.loc[t["level"] > 1, "code"].str.rsplit(".", n=1).str[0]
        assert parents.isin(t["code"]).all()  # every code's parent is listed
    assert sorted(K.table(K.FUNCTIONAL).query("level == 1")["code"]) == [f"{i:02d}" for i in range(1, 11)]
    assert sorted(K.table(K.ECONOMIC).query("level == 1")["code"]) == [f"{i:02d}" for i in range(1, 10)]
    fin = K.table(K.FINANCING)
    assert set(fin.loc[fin["local_government"], "code"]) == {"5", "7", "8"} and "9" not in set(fin["code"])
    assert len(K.table(K.INSTITUTIONAL)) == 81


@pytest.mark.parametrize(
    ("kind", "code", "level"),
    [
        (K.FUNCTIONAL, "10.4.0.00", None),
        (K.FUNCTIONAL, "99.9.9.99", 1),
        (K.FUNCTIONAL, "10.4.5.00", 3),
        (K.FUNCTIONAL, "01.9.0.00", 2),
        (K.ECONOMIC, "03.2.1.01", None),
        (K.ECONOMIC, "03.5.0.00", None),  # a published layout's level-II code, padded
        (K.ECONOMIC, "03.2.8.01", 3),
        (K.ECONOMIC, "12.1.1.01", 1),
        (K.FINANCING, "5", None),
        (K.FINANCING, "9", 1),
        (K.FINANCING, "1", 1),  # a central-government type in a municipal budget
        (K.INSTITUTIONAL, "46.34.01.16", None),
        (K.INSTITUTIONAL, "45.34.01.16", 1),
        (K.INSTITUTIONAL, "46.82.01.16", 2),
    ],
)
def test_check_codes(kind, code, level):
    found = K.check_codes(pd.Series([code]), kind)
    got = found["level"].iloc[0]
    assert (None if pd.isna(got) else int(got)) == level
    if level:
        assert isinstance(found["message"].iloc[0], str)


def test_unknown_codes_are_errors_with_position_in_read_budget(tmp_path):
    lines = pd.read_parquet(paths.datasets() / "demo" / "budget.parquet").head(6).copy()
    lines[C.FUNCTIONAL_CODE] = lines[C.FUNCTIONAL_CODE].astype(object)
    lines.loc[1, C.FUNCTIONAL_CODE] = "99.9.9.99"
    lines.loc[3, C.ECONOMIC_CODE] = "03.2.8.01"
    lines.loc[4, C.FINANCING_TYPE] = "9"
    path = tmp_path / "butce.csv"
    lines.to_csv(path, index=False)
    result = gcdb.read_budget(path)
    bad = result.errors[result.errors["code"] == "unknown_code"]
    assert bad[["row", "column", "value"]].values.tolist() == [
        [3, C.FUNCTIONAL_CODE, "99.9.9.99"],
        [5, C.ECONOMIC_CODE, "03.2.8.01"],
        [6, C.FINANCING_TYPE, "9"],
    ]
    messages = bad["message"].tolist()
    assert "I. düzey '99'" in messages[0]
    assert "III. düzey '03.2.8'" in messages[1] and "Tüketime Yönelik" in messages[1]
    assert "finansman tipi 9" in messages[2]
    assert sorted(result.quarantine[C.SOURCE_ROW]) == [3, 5, 6] and len(result.data) == 3


def test_names_and_roll_up():
    codes = pd.Series(["10.4.0.00", "03.2.1.01", None, "03.2.8.01"])
    assert K.label_codes(codes[:1], K.FUNCTIONAL).tolist() == ["Aile ve Çocuklara Yönelik Yardım Hizmetleri"]
    econ = K.label_codes(codes[1:], K.ECONOMIC)
    assert econ.iloc[0] == "Kırtasiye ve Büro Malzemesi Alımları" and pd.isna(econ.iloc[1])
    assert econ.iloc[2] == "Tüketime Yönelik Mal ve Malzeme Alımları"  # deepest level listed
    assert K.label_codes(pd.Series(["03.2.1.01"]), K.ECONOMIC, level=1).tolist() == [
        "Mal ve Hizmet Alım Giderleri"
    ]
    assert K.label_codes(pd.Series(["5"]), K.FINANCING).tolist() == ["Mahalli İdareler (öz kaynak)"]
    assert K.label_codes(pd.Series(["46.34.01.16"]), K.INSTITUTIONAL).tolist() == ["Belediyeler – İstanbul"]
    rolled = K.roll_up(codes, 2)
    assert rolled.tolist()[:2] == ["10.4", "03.2"] and pd.isna(rolled.iloc[2])
    budget = pd.read_parquet(paths.datasets() / "demo" / "budget.parquet")
    by_level = budget.groupby(K.roll_up(budget[C.ECONOMIC_CODE], 1))[C.INITIAL_APPROPRIATION].sum()
    assert by_level.sum() == budget[C.INITIAL_APPROPRIATION].sum()
    assert set(by_level.index) <= set(K.table(K.ECONOMIC)["code"])
    with pytest.raises(UsageError):
        K.roll_up(codes, 0)


def test_every_demo_code_is_known():
    budget = pd.read_parquet(paths.datasets() / "demo" / "budget.parquet")
    for kind in K.KINDS:
        found = K.check_codes(budget[K.COLUMN_OF[kind]], kind, budget[C.FISCAL_YEAR])
        assert found["level"].isna().all(), found["message"].dropna().unique()
