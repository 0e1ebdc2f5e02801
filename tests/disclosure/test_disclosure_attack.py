"""The attacker on hand-computed linked tables: every attack it knows, and nothing more than the truth."""

import numpy as np
import pandas as pd
import pytest
from disclosure_builders import cells_of, grid, hide, table

from gcdb.disclosure import DimensionSpec, attack, cell_frame, register
from gcdb.disclosure import spec as S


def _recovered(report) -> dict[tuple[str, int], float]:
    r = report.recovered
    return {(t, int(row)): float(v) for t, row, v in zip(r[S.TABLE], r[S.ROW], r["recovered"], strict=True)}


def _row(t: pd.DataFrame, **where) -> int:
    mask = np.ones(len(t), dtype=bool)
    for k, v in where.items():
        mask &= (t[k] == v).to_numpy()
    (idx,) = np.flatnonzero(mask)
    return int(idx)


def test_one_hidden_cell_in_a_two_by_two_table_is_given_away_by_its_margin():
    t = table(grid([[3, 7], [6, 9]]), ["r", "c"])
    i = _row(t, r="r0", c="c0")
    pub, status = hide(t, np.arange(len(t)) == i)
    report = attack(cells_of({"t": pub}, ["r", "c"], status={"t": status}))
    assert _recovered(report) == {("t", i): 3.0}
    assert report.recovered["method"].tolist() == ["subtraction"]
    # the published cells used: the row total and its other cell (or the column's)
    assert "t:" in report.recovered["used"].iloc[0]


def test_a_hidden_rectangle_with_published_margins_is_safe():
    t = table(grid([[3, 7], [6, 9]]), ["r", "c"])
    inner = (t["r"] != S.TOTAL).to_numpy() & (t["c"] != S.TOTAL).to_numpy()
    pub, status = hide(t, inner, kind=S.SECONDARY)
    status = np.where((t["r"] == "r0").to_numpy() & (t["c"] == "c0").to_numpy(), S.PRIMARY, status)
    report = attack(cells_of({"t": pub}, ["r", "c"], status={"t": status}))
    assert report.n_recovered == 0


def test_two_small_cells_adding_up_to_two_are_both_one():
    t = table(grid([[1, 1, 9], [5, 6, 7]]), ["r", "c"])
    small = (t["n"] == 1).to_numpy()
    pub, status = hide(t, small)
    # protect the columns of the two cells so that only the bound gives them away
    cols = ((t["c"].isin(["c0", "c1"])) & (t["r"] == "r1")).to_numpy()
    pub["n"] = pub["n"].mask(cols)
    status = np.where(cols, S.SECONDARY, status)
    report = attack(cells_of({"t": pub}, ["r", "c"], status={"t": status}))
    got = _recovered(report)
    assert got[("t", _row(t, r="r0", c="c0"))] == 1.0
    assert got[("t", _row(t, r="r0", c="c1"))] == 1.0
    assert set(report.recovered["method"]) >= {"bounds"}
    # and, once the two are known, the secondary cells follow by subtraction: everything matches the truth
    truth = dict(zip(range(len(t)), t["n"].astype(float), strict=True))
    assert all(truth[row] == v for (_, row), v in got.items())


def test_the_same_margin_in_two_tables_links_them():
    # the districts sheet: users of the violence support line by district; the indicators sheet: its women
    dims = ["sex", "district"]
    inner = pd.DataFrame(
        {
            "sex": ["female", "male", "female", "male"],
            "district": ["Şile", "Şile", "Adalar", "Adalar"],
            "n": [34, 2, 40, 12],
        }
    )
    full = table(inner, dims)
    districts = full[(full["sex"] == S.TOTAL).to_numpy()].reset_index(drop=True)[["district", "n"]]
    women = full[(full["sex"] == "female").to_numpy() & (full["district"] != S.TOTAL).to_numpy()]
    women = women.reset_index(drop=True)[["sex", "district", "n"]]
    by_sex = full.copy()
    hidden = (by_sex["district"] != S.TOTAL).to_numpy() & (by_sex["sex"] != S.TOTAL).to_numpy()
    pub, status = hide(by_sex, hidden, kind=S.SECONDARY)
    status = np.where((by_sex["n"] == 2).to_numpy(), S.PRIMARY, status)
    cells = cells_of(
        {"sex_by_district": pub, "districts": districts, "indicators": women},
        dims,
        status={"sex_by_district": status},
    )
    alone = cells_of({"sex_by_district": pub}, dims, status={"sex_by_district": status})
    assert attack(alone).n_recovered == 0
    report = attack(cells)
    got = _recovered(report)
    men = _row(by_sex, sex="male", district="Şile")
    assert got[("sex_by_district", men)] == 2.0
    assert got[("sex_by_district", _row(by_sex, sex="female", district="Şile"))] == 34.0
    assert "indicators" in report.recovered.set_index(S.ROW).loc[men, "used"]


def test_a_quantity_of_one_next_to_a_hidden_count_gives_it_away():
    t = pd.DataFrame({"district": ["Şile", "Adalar", S.TOTAL], "n": [1, 9, 10], "nights": [1, 30, 31]})
    pub = t.copy()
    pub["n"] = pub["n"].astype("float64").mask(t["district"].isin(["Şile", "Adalar"]))
    status = np.where(
        t["district"] == "Şile", S.PRIMARY, np.where(t["district"] == "Adalar", S.SECONDARY, "")
    )
    frame = cell_frame(pub, "shelter", {"n": S.USERS}, ["district"], status=status)
    nights = cell_frame(pub, "shelter", {"nights": S.QUANTITY}, ["district"])
    cells = register([frame, nights], [DimensionSpec(name="district")])
    got = _recovered(attack(cells))
    assert got[("shelter", 0)] == 1.0  # 1 night: 1 woman
    assert got[("shelter", 1)] == 9.0  # and the rest by subtraction
    assert attack(cells, assume_unit_quantity=False).n_recovered == 0


def test_a_published_rate_next_to_a_hidden_count_gives_it_away():
    t = pd.DataFrame(
        {"district": ["Şile", "Adalar", S.TOTAL], "n": [3, 9, 12], "pop": [1500.0, 900.0, 2400.0]}
    )
    t["rate"] = t["n"] / t["pop"] * 1000
    pub, status = hide(t, t["district"].isin(["Şile", "Adalar"]).to_numpy())
    frame = cell_frame(pub, "t", {"n": S.USERS}, ["district"], status=status)
    derived = pd.DataFrame(
        {
            S.TABLE: "t",
            S.ROW: [0, 1, 2],
            S.COLUMN: "rate",
            S.VALUE: [2.0, np.nan, 5.0],
            S.NUMERATOR: "n",
            S.DENOMINATOR: "",
            S.POPULATION: t["pop"],
            S.SCALE: 1000.0,
        }
    )
    cells = register([frame], [DimensionSpec(name="district")], derived=[derived])
    got = _recovered(attack(cells))
    assert got == {("t", 0): 3.0, ("t", 1): 9.0}


def test_a_cell_hidden_in_one_table_and_shown_in_another_is_published():
    t = table(grid([[3, 7], [6, 9]]), ["r", "c"])
    i = _row(t, r="r0", c="c0")
    pub, status = hide(t, np.arange(len(t)) == i)
    other = t[(t["r"] == "r0").to_numpy() & (t["c"] == "c0").to_numpy()]
    report = attack(cells_of({"t": pub, "copy": other}, ["r", "c"], status={"t": status}))
    assert report.recovered["method"].tolist() == ["published_elsewhere"]


@pytest.mark.parametrize("k", [3, 5])
def test_primary_bounds_at_their_maximum(k):
    # two primary cells (each at most k − 1) adding up to 2(k − 1)
    t = table(grid([[k - 1, k - 1, 20]]), ["r", "c"])
    small = (t["c"].isin(["c0", "c1"]) & (t["r"] == "r0")).to_numpy()
    pub, status = hide(t, small)
    cols = (t["c"].isin(["c0", "c1"]) & (t["r"] == S.TOTAL)).to_numpy()
    pub["n"] = pub["n"].mask(cols)
    status = np.where(cols, S.SECONDARY, status)
    got = _recovered(attack(cells_of({"t": pub}, ["r", "c"], status={"t": status}), k=k))
    assert got[("t", _row(t, r="r0", c="c0"))] == k - 1
