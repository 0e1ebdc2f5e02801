"""The workforce table: reading it (never names), and the plan's staff indicators computed from it."""

from __future__ import annotations

import pandas as pd
import pytest

from gcdb import columns as C
from gcdb.errors import DataValidationError
from gcdb.monitor import compute_workforce, workforce_indicators
from gcdb.monitor import workforce as W
from gcdb.read.workforce import HEADCOUNT, MANAGER, read_workforce, workforce_from_frame


def test_demo_workforce_reads_clean(workforce):
    assert workforce.ok and not workforce.refused
    data = workforce.data
    assert len(data) == 1044 and set(data[C.FISCAL_YEAR]) == {2023, 2024}
    recon = workforce.reconciliation.set_index("measure")
    assert recon.loc["rows", "read"] == recon.loc["rows", "valid"] == 1044
    assert recon.loc["headcount", "read"] == data[HEADCOUNT].sum() == recon.loc["headcount", "valid"]
    assert set(data["contract_type"]) == {"memur", "sozlesmeli", "kadrolu_isci", "sirket_personeli"}
    assert set(data[C.SEX]) == {C.FEMALE, C.MALE}
    # women are about a sixth of the staff, as the plan says of İBB (16 %)
    women = data.loc[data[C.SEX] == C.FEMALE, HEADCOUNT].sum() / data[HEADCOUNT].sum()
    assert 0.10 < women < 0.25


def _frame(**columns) -> pd.DataFrame:
    base = {
        "Yıl": [2024, 2024, 2024, 2024],
        "Birim": ["Sağlık Daire Başkanlığı"] * 4,
        "Unvan": ["Şube Müdürü", "Şube Müdürü", "Uzman", "Uzman"],
        "Cinsiyet": ["Kadın", "Erkek", "K", "E"],
        "Kişi Sayısı": [6, 9, 30, 20],
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_manager_flag_from_position_titles_when_no_column():
    data = workforce_from_frame(_frame()).data
    assert data[MANAGER].tolist() == [True, True, False, False]
    assert data["contract_type"].tolist() == ["unknown"] * 4
    assert data[C.DISABILITY].tolist() == ["unknown"] * 4


@pytest.mark.parametrize(
    ("column", "values", "code"),
    [
        ("Cinsiyet", ["Kadın", "KE", "K", "E"], "unknown_sex"),
        ("Kişi Sayısı", [6, "dokuz", 30, 20], "unparseable_number"),
        ("Kişi Sayısı", [6, -9, 30, 20], "negative_amount"),
        ("Yıl", [2024, "geçen yıl", 2024, 2024], "invalid_value"),
    ],
)
def test_bad_values_are_quarantined_with_row_and_column(column, values, code):
    result = workforce_from_frame(_frame(**{column: values}), source="personel.xlsx")
    assert len(result.data) == 3 and len(result.quarantine) == 1
    issue = result.issues.iloc[0]
    assert (issue[C.ISSUE_FILE], issue[C.ISSUE_ROW], issue[C.ISSUE_COLUMN], issue[C.ISSUE_CODE]) == (
        "personel.xlsx",
        3,
        column,
        code,
    )
    assert result.quarantine["source_row"].tolist() == [3]
    recon = result.reconciliation.set_index("measure")
    assert recon.loc["rows", "read"] == recon.loc["rows", "valid"] + recon.loc["rows", "quarantined"] == 4


def test_contract_types_as_files_write_them():
    result = workforce_from_frame(
        _frame(**{"İstihdam Türü": ["Memur", "4/B Sözleşmeli", "Kadrolu İşçi", "TAŞERON"]})
    )
    assert result.issues[C.ISSUE_CODE].tolist() == [
        "invalid_value"
    ]  # "4/B Sözleşmeli" is not a known spelling
    assert result.data["contract_type"].tolist() == ["memur", "kadrolu_isci", "sirket_personeli"]


@pytest.mark.parametrize(
    ("extra", "kind"),
    [
        ({"Ad Soyad": ["A B", "C D", "E F", "G H"]}, "header"),
        ({"Personel": ["10000000146", "10000000146", "10000000146", "10000000146"]}, "tckn"),
        ({"Çalışan": ["Ayşe Yılmaz", "Mehmet Kaya", "Fatma Demir", "Ali Çelik"]}, "name"),
    ],
)
def test_a_table_with_names_or_id_numbers_is_refused(extra, kind, tmp_path):
    path = tmp_path / "personel.csv"
    _frame(**extra).to_csv(path, index=False, sep=";")
    result = read_workforce(path)
    assert result.refused and result.data.empty
    assert result.issues[C.ISSUE_CODE].tolist() == ["personal_data"]
    reason = {"header": "başlığı kişisel", "tckn": "T.C. kimlik", "name": "kişi adlarına"}[kind]
    assert reason in result.issues[C.ISSUE_MESSAGE].iloc[0]
    assert list(result.quarantine.columns) == ["source_row", "issue_codes"]  # no cell of the file kept
    with pytest.raises(DataValidationError):
        read_workforce(path, strict=True)


def test_missing_required_column_is_refused():
    result = workforce_from_frame(_frame().drop(columns=["Cinsiyet"]))
    assert result.refused and result.issues[C.ISSUE_CODE].tolist() == ["missing_column"]


def test_workforce_indicators_found_in_the_plan(catalogue):
    defs = workforce_indicators(catalogue).set_index("indicator_id")
    assert defs.loc["A6-G2", W.MEASURE] == W.WOMEN_SHARE and defs.loc["A6-G2", W.BY_UNIT_COL]
    assert defs.loc["A6-G4", W.MEASURE] == W.MANAGER_COUNT
    assert defs.loc["A6-G6", W.MEASURE] == W.MANAGER_SHARE and defs.loc["A6-G6", "target_value"] == 40
    assert defs.loc["A3-G13", W.UNIT_FILTER] == "saglik"
    assert defs.loc["A2-G27", W.MEASURE] == W.TECHNICAL_SHARE
    # training, new hires and services to staff are not staff counts
    for other in ("A6-G8", "A2-G14", "A6-G5", "A2-G57"):
        assert other not in defs.index


def _staff() -> pd.DataFrame:
    rows = [  # year, unit, position group, manager, sex, disability, count
        (2023, "Sağlık Daire Başkanlığı", "Teknik", True, "female", "no", 4),
        (2023, "Sağlık Daire Başkanlığı", "Teknik", True, "male", "no", 16),
        (2023, "Sağlık Daire Başkanlığı", "İdari", False, "female", "no", 60),
        (2023, "Sağlık Daire Başkanlığı", "İdari", False, "male", "yes", 20),
        (2024, "Sağlık Daire Başkanlığı", "Teknik", True, "female", "no", 8),
        (2024, "Sağlık Daire Başkanlığı", "Teknik", True, "male", "no", 12),
        (2024, "Sağlık Daire Başkanlığı", "İdari", False, "female", "no", 70),
        (2024, "Sağlık Daire Başkanlığı", "İdari", False, "male", "unknown", 10),
        (2024, "Ulaşım Daire Başkanlığı", "Teknik", False, "female", "no", 2),
        (2024, "Ulaşım Daire Başkanlığı", "Teknik", False, "male", "no", 98),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["fiscal_year", "unit_name", "position_group", "manager", "sex", "disability", "headcount"],
    )
    return frame.assign(position=None, contract_type="memur")


def test_staff_indicators_hand_computed(catalogue):
    out = compute_workforce(_staff(), catalogue, k=5)
    get = out.set_index(["fiscal_year", "indicator_id", "unit_id"])["value"]
    reason = out.set_index(["fiscal_year", "indicator_id", "unit_id"])["reason"]
    # A3-G13: women's share of staff of the unit the wording names (Sağlık): 2024 → 78 / 100
    assert get[(2024, "A3-G13", "saglik")] == pytest.approx(78.0)
    assert get[(2023, "A3-G13", "saglik")] == pytest.approx(64 / 100 * 100)
    # A3-G18: growth of women staff in Sağlık, 64 → 78
    assert get[(2024, "A3-G18", "saglik")] == pytest.approx(100 * (78 - 64) / 64, abs=1e-4)
    assert reason[(2023, "A3-G18", "saglik")] == "no_previous_year"
    # A6-G2 by unit: Ulaşım has 2 women of 100 → hidden (a count below 5), Sağlık shown
    assert pd.isna(get[(2024, "A6-G2", "ulasim")]) and reason[(2024, "A6-G2", "ulasim")] == "suppressed"
    # totals (unit missing): 2024 women 80 of 200
    totals = out[out["unit_id"].isna() & (out["fiscal_year"] == 2024)].set_index("indicator_id")["value"]
    assert totals["A6-G15"] == pytest.approx(40.0)
    # women managers: 8 of 20 = 40 % against the target 40
    assert totals["A6-G6"] == pytest.approx(40.0)
    assert out.set_index(["fiscal_year", "indicator_id"]).loc[(2024, "A6-G6"), "target_value"] == 40
    # women among technical staff: 10 of 120
    assert totals["A2-G27"] == pytest.approx(100 * 10 / 120, abs=1e-4)  # values are rounded to 4 decimals
    # disabled staff share: 2023 Sağlık 20 of 100; 2024 the unknowns are left out of the denominator
    assert get[(2023, "A6-G3", "saglik")] == pytest.approx(20.0)
    # with k = 1 nothing is hidden
    open_ = compute_workforce(_staff(), catalogue, k=1).set_index(["fiscal_year", "indicator_id", "unit_id"])
    assert open_.loc[(2024, "A6-G2", "ulasim"), "value"] == pytest.approx(2.0)
