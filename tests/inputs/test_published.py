"""Budgets as published: Ödenek Cetveli, Ayrıntılı Harcama Programı and execution reports made from the demo budget
read back to the same lines and totals as the tidy file, every other row counted as skipped."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from inputs_layouts import write_published

import gcdb
from gcdb import columns as C
from gcdb import paths
from gcdb.errors import DataValidationError, UsageError
from gcdb.read.published import detect_layout, read_published_budget
from gcdb.read.result import SKIP_REASONS

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")

KEY = [C.INSTITUTIONAL_CODE, C.FUNCTIONAL_CODE, C.FINANCING_TYPE, C.ECONOMIC_CODE, C.DESCRIPTION]


@pytest.fixture(scope="module")
def demo_budget() -> pd.DataFrame:
    return pd.read_parquet(paths.datasets() / "demo" / "budget.parquet")


@pytest.fixture(scope="module")
def budget_2024(demo_budget) -> pd.DataFrame:
    return demo_budget[demo_budget[C.FISCAL_YEAR] == 2024].reset_index(drop=True)


def lines(frame: pd.DataFrame, amounts: list[str]) -> pd.DataFrame:
    out = frame[KEY + amounts].astype({c: "str" for c in KEY}).astype({a: "int64" for a in amounts})
    return out.sort_values(KEY + amounts, kind="stable").reset_index(drop=True)


def assert_counts(result, info):
    rec = result.reconciliation.set_index("measure")
    assert list(result.reconciliation.columns) == ["measure", "read", "valid", "quarantined", "skipped"]
    assert (rec["read"] == rec["valid"] + rec["quarantined"] + rec["skipped"]).all()
    counted = result.skipped["reason"].value_counts().to_dict()
    assert counted == {k: v for k, v in info["skipped"].items() if v}
    assert rec.at["rows", "skipped"] == sum(info["skipped"].values())
    assert set(result.skipped["reason"]) <= set(SKIP_REASONS)
    assert result.skipped["row"].dtype == "int64" and result.skipped["row"].is_monotonic_increasing


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_odenek_cetveli_round_trip(tmp_path, budget_2024, suffix):
    path = tmp_path / f"odenek_cetveli{suffix}"
    info = write_published(budget_2024, path, [("2024 YILI BÜTÇE ÖDENEĞİ", [C.INITIAL_APPROPRIATION])])
    result = gcdb.read_budget(path)
    assert result.ok and result.issues.empty, result.issues
    assert len(result.data) == info["lines"] == len(budget_2024)
    pd.testing.assert_frame_equal(
        lines(result.data, [C.INITIAL_APPROPRIATION]), lines(budget_2024, [C.INITIAL_APPROPRIATION])
    )
    assert result.data[C.INITIAL_APPROPRIATION].sum() == budget_2024[C.INITIAL_APPROPRIATION].sum()
    assert (result.data[C.FISCAL_YEAR] == 2024).all()
    # adopted budget: nothing revised or spent yet
    assert (result.data[C.REVISED_APPROPRIATION] == result.data[C.INITIAL_APPROPRIATION]).all()
    assert (result.data[C.EXPENDITURE] == 0).all()
    # the department name comes from the department's heading row
    pairs = result.data[[C.INSTITUTIONAL_CODE, C.UNIT_NAME]].drop_duplicates()
    expected = budget_2024[[C.INSTITUTIONAL_CODE, C.UNIT_NAME]].drop_duplicates()
    assert len(pairs) == len(expected) and set(map(tuple, pairs.values)) == set(map(tuple, expected.values))
    assert_counts(result, info)
    # source rows point at the sheet: the header is on rows 5–6 (three title rows and a blank row above it)
    assert result.header_row == 5 and result.data[C.SOURCE_ROW].min() > 6


def test_ahp_round_trip_with_quarters(tmp_path, budget_2024):
    frame = budget_2024.copy()
    q = frame[C.INITIAL_APPROPRIATION].to_numpy()
    quarters = [q // 4] * 3
    quarters.append(q - 3 * (q // 4))
    for i, part in enumerate(quarters, start=1):
        frame[f"q{i}"] = part
    path = tmp_path / "ahp.xlsx"
    columns = [("YILLIK ÖDENEK", [C.INITIAL_APPROPRIATION])] + [
        (f"{r}. ÇEYREK", [f"q{i}"]) for i, r in enumerate(("I", "II", "III", "IV"), start=1)
    ]
    info = write_published(frame, path, columns, page_rows=80)
    assert detect_layout(path) == "ahp"
    result = gcdb.read_budget(path, layout="ahp", fiscal_year=2024)
    assert result.ok and result.issues.empty, result.issues
    pd.testing.assert_frame_equal(
        lines(result.data, [C.INITIAL_APPROPRIATION]), lines(budget_2024, [C.INITIAL_APPROPRIATION])
    )
    assert_counts(result, info)


def test_execution_report_two_years_side_by_side(tmp_path, demo_budget):
    """Initial / revised / spent for 2023 and 2024 in column groups; a line absent in a year is not a line of
    that year."""
    phases = list(C.PHASES)
    y23 = demo_budget[demo_budget[C.FISCAL_YEAR] == 2023]
    y24 = demo_budget[demo_budget[C.FISCAL_YEAR] == 2024]
    keys = KEY + [C.UNIT_NAME]
    # one line per key and year (the demo repeats a few generic lines under one key: summed for the layout)
    a = y23.groupby(keys, sort=False)[phases].sum()
    b = y24.groupby(keys, sort=False)[phases].sum()
    both = a.add_suffix("_2023").join(b.add_suffix("_2024"), how="outer").reset_index()
    both[C.LINE_ID] = np.arange(len(both))
    cols = [
        (f"{h}", [f"{p}_{y}"])
        for y in (2023, 2024)
        for h, p in zip(("BAŞLANGIÇ ÖDENEĞİ", "YIL SONU ÖDENEĞİ", "HARCAMA"), phases, strict=True)
    ]
    group = ["2023 YILI", None, None, "2024 YILI", None, None]
    path = tmp_path / "uygulama.csv"
    info = write_published(both, path, cols, group_row=group, subtotals=False)
    result = gcdb.read_budget(path)
    assert result.ok, result.errors
    for year, frame in ((2023, a), (2024, b)):
        got = result.data[result.data[C.FISCAL_YEAR] == year]
        want = frame.reset_index()
        pd.testing.assert_frame_equal(lines(got, phases), lines(want, phases))
    rec = result.reconciliation.set_index("measure")
    assert rec.at["rows", "valid"] == len(a) + len(b)
    assert rec.at[C.EXPENDITURE, "valid"] == demo_budget[C.EXPENDITURE].sum()
    assert_counts(result, info)


def test_subtotal_mismatch_is_a_warning_naming_the_row(tmp_path, budget_2024):
    small = budget_2024[budget_2024[C.INSTITUTIONAL_CODE] == "46.34.01.02"]
    path = tmp_path / "oc.csv"
    write_published(small, path, [("2024 YILI ÖDENEĞİ", [C.INITIAL_APPROPRIATION])])
    text = path.read_text(encoding="cp1254").splitlines()
    department = next(i for i, line in enumerate(text) if line.startswith("46;34;01;02;"))
    cells = text[department].split(";")
    cells[-1] = "1,00"
    text[department] = ";".join(cells)
    total = next(i for i, line in enumerate(text) if "GENEL TOPLAM" in line)
    text[total] = text[total].rsplit(";", 1)[0] + ";2,00"
    path.write_text("\n".join(text) + "\n", encoding="cp1254")
    result = gcdb.read_budget(path)
    assert result.ok  # warnings only: the budget lines are read
    mism = result.warnings[result.warnings["code"] == "subtotal_mismatch"]
    assert mism["row"].tolist() == [department + 1, total + 1]
    assert "1.00 TL differs from the sum of the" in mism["message"].iloc[0]
    assert mism["message"].iloc[1].startswith("GENEL TOPLAM 2.00 TL")
    assert mism["column"].tolist() == ["2024 YILI ÖDENEĞİ"] * 2


def test_quarters_that_do_not_add_up_are_reported(tmp_path, budget_2024):
    frame = budget_2024.head(20).copy()
    for i in range(1, 5):
        frame[f"q{i}"] = frame[C.INITIAL_APPROPRIATION] // 4
    path = tmp_path / "ahp.csv"
    columns = [("2024 YILLIK ÖDENEK", [C.INITIAL_APPROPRIATION])] + [
        (f"{i}. ÇEYREK", [f"q{i}"]) for i in range(1, 5)
    ]
    write_published(frame, path, columns, subtotals=False)
    result = read_published_budget(path, layout="ahp")
    odd = (frame[C.INITIAL_APPROPRIATION] % 4 != 0).sum()
    assert (result.warnings["code"] == "subtotal_mismatch").sum() == odd > 0


def test_bad_cells_are_quarantined_with_their_sheet_row(tmp_path, budget_2024):
    small = budget_2024.head(30)
    path = tmp_path / "oc.csv"
    write_published(small, path, [("2024 YILI ÖDENEĞİ", [C.INITIAL_APPROPRIATION])], subtotals=False)
    text = path.read_text(encoding="cp1254").splitlines()
    row = 9
    cells = text[row].split(";")
    cells[-1] = "12,3x"
    text[row] = ";".join(cells)
    path.write_text("\n".join(text) + "\n", encoding="cp1254")
    result = gcdb.read_budget(path)
    bad = result.errors
    assert bad["row"].tolist() == [row + 1] and bad["code"].iloc[0] == "unparseable_number"
    assert bad["column"].iloc[0] == "2024 YILI ÖDENEĞİ" and bad["value"].iloc[0] == "12,3x"
    assert result.quarantine[C.SOURCE_ROW].tolist() == [row + 1]
    rec = result.reconciliation.set_index("measure")
    assert rec.at["rows", "read"] == rec.at["rows", "valid"] + 1 + rec.at["rows", "skipped"]


def test_layout_asked_for_but_not_there(tmp_path, budget_2024):
    path = tmp_path / "oc.xlsx"
    write_published(budget_2024.head(5), path, [("2024 ÖDENEK", [C.INITIAL_APPROPRIATION])])
    with pytest.raises(DataValidationError, match="layout='ahp' needs quarter columns"):
        gcdb.read_budget(path, layout="ahp")
    with pytest.raises(UsageError):
        gcdb.read_budget(path, layout="cetvel")
    tidy = paths.datasets() / "demo" / "messy" / "budget_2024_tr.csv"
    assert detect_layout(tidy) == "tidy"
    with pytest.raises(DataValidationError, match="no published-layout header"):
        gcdb.read_budget(tidy, layout="odenek_cetveli")
    assert gcdb.read_budget(tidy, layout="tidy").ok


def test_economic_level_two_layout_is_padded_with_a_warning(tmp_path):
    text = "\n".join(
        [
            "KURUMSAL;;;;FONKSİYONEL;;;;FİN.;EKONOMİK;;AÇIKLAMA;2024 ÖDENEK",
            "I;II;III;IV;I;II;III;IV;;I;II;;",
            "46;34;01;02;;;;;;;;YAZI İŞLERİ MÜDÜRLÜĞÜ;300,00",
            ";;;;01;3;9;00;5;03;2;TÜKETİME YÖNELİK MAL VE MALZEME ALIMLARI;100,00",
            ";;;;;;;;;03;5;HİZMET ALIMLARI;200,00",
            ";;;;;;;;;;;GENEL TOPLAM;300,00",
        ]
    )
    path = tmp_path / "cetvel.csv"
    path.write_text(text, encoding="utf-8")
    result = gcdb.read_budget(path)
    assert result.data[C.ECONOMIC_CODE].tolist() == ["03.2.0.00", "03.5.0.00"]
    assert result.data[C.INITIAL_APPROPRIATION].tolist() == [10000, 20000]
    assert result.skipped["reason"].tolist() == ["subtotal", "total"]
    warn = result.warnings
    assert "economic codes to level 2 only" in " ".join(warn["message"])
