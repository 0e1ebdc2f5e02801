"""read_costing: exact money, years, codes, categories, duplicates — every problem an issue naming row and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from costing_builders import SOSYAL, frame, line

import gcdb
from gcdb import columns as C
from gcdb.costing import names as N
from gcdb.costing import read_costing
from gcdb.errors import DataValidationError

DEMO = Path(__file__).resolve().parents[2] / "datasets" / "demo" / "costing"


@pytest.fixture(scope="module")
def catalogue():
    return gcdb.Catalogue.load()


def issues_at(result, row: int) -> list[tuple[str, str, str]]:
    found = result.issues[result.issues[C.ISSUE_ROW] == row]
    return list(zip(found[C.ISSUE_COLUMN], found[C.ISSUE_CODE], found[C.ISSUE_SEVERITY], strict=True))


def test_amount_is_quantity_times_unit_cost_exact_to_the_kurus():
    result = read_costing(
        frame(
            line(cost_line_id="a", quantity="3", unit_cost="1.234.567,89"),  # Turkish format
            line(cost_line_id="b", quantity="2,5", unit_cost="1000,01", item="x"),  # 2500.025 TL → half up
            # 0.3333 × 3 TL = 0.9999 TL = 99.99 kuruş → 100
            line(cost_line_id="c", quantity="0,3333", unit_cost="3", item="y"),
        )
    )
    assert result.ok
    amounts = result.data.set_index(N.COST_LINE_ID)[N.AMOUNT].to_dict()
    assert amounts == {"a": 370370367, "b": 250003, "c": 100}
    assert result.data[N.UNIT_COST].tolist() == [123456789, 100001, 300]
    assert result.data[N.AMOUNT].dtype == "int64"


def test_a_line_over_several_years_gives_one_row_per_year():
    result = read_costing(frame(line(year_from="2024", year_to="2026", quantity="2", unit_cost="50")))
    assert result.data[C.FISCAL_YEAR].tolist() == [2024, 2025, 2026]
    assert result.data[N.AMOUNT].tolist() == [10000] * 3
    recon = result.reconciliation.set_index("measure")
    assert recon.loc["rows", "read"] == 1 and recon.loc["rows", "valid"] == 1
    assert recon.loc[N.AMOUNT, "valid"] == 30000  # all years


def test_turkish_headers_and_codes_are_normalised():
    raw = frame(
        line(economic_code="035990", functional_code="10 9 0 00", category_eu_cpr="2", declared_share="%60")
    )
    raw = raw.rename(
        columns={
            "cost_line_id": "Maliyet Satırı No",
            "action_code": "Eylem Kodu",
            "unit_name": "Sorumlu Birim",
            "institutional_code": "Kurumsal Kod",
            "item": "Gider Kalemi",
            "quantity": "Miktar",
            "unit_cost": "Birim Maliyet (TL)",
            "year_from": "Yıl",
            "functional_code": "Fonksiyonel Kod",
            "financing_type": "Finansman Tipi",
            "economic_code": "Ekonomik Kod",
            "category_eu_cpr": "AB Kategorisi",
            "declared_share": "Beyan Edilen Pay",
        }
    )
    result = read_costing(raw)
    assert result.ok, result.issues
    row = result.data.iloc[0]
    assert (row[C.ECONOMIC_CODE], row[C.FUNCTIONAL_CODE]) == ("03.5.9.90", "10.9.0.00")
    assert row[N.EU_CPR] == "02"
    assert row["declared_share"] == pytest.approx(0.6)
    assert row[C.AREA] == 2 and row[C.TARGET_CODE] == "A2H3"


def test_compact_economic_code_gets_its_leading_zero_back():
    result = read_costing(frame(line(economic_code="35990")))
    assert result.data[C.ECONOMIC_CODE].iloc[0] == "03.5.9.90"


@pytest.mark.parametrize(
    ("over", "column", "code"),
    [
        ({"quantity": "-2"}, "quantity", "invalid_value"),
        ({"quantity": "0"}, "quantity", "invalid_value"),
        ({"quantity": "iki"}, "quantity", "unparseable_number"),
        ({"unit_cost": "-5"}, "unit_cost", "negative_amount"),
        ({"economic_code": "30.5.9.90"}, "economic_code", "unknown_code"),
        ({"economic_code": "07.5.1.01"}, "economic_code", "unknown_code"),  # 07 has levels 1–2 only
        ({"economic_code": "03.5.9"}, "economic_code", "malformed_code"),
        ({"functional_code": "11.1.0.00"}, "functional_code", "unknown_code"),
        ({"financing_type": "55"}, "financing_type", "malformed_code"),
        ({"institutional_code": "46.34.16"}, "institutional_code", "malformed_code"),
        ({"action_code": "A2-H3"}, "action_code", "malformed_code"),
        ({"category_eu_cpr": "04"}, "category_eu_cpr", "invalid_value"),
        ({"category_eu_cpr": ""}, "category_eu_cpr", "missing_value"),
        ({"category_ph_hgdg": "21"}, "category_ph_hgdg", "invalid_value"),
        ({"declared_share": "1,2"}, "declared_share", "invalid_value"),
        ({"declared_share": "%120"}, "declared_share", "invalid_value"),
        ({"year_from": "2024", "year_to": "2023"}, "year_to", "invalid_value"),
        ({"year_from": "1024"}, "year_from", "invalid_value"),
        ({"item": ""}, "item", "missing_value"),
    ],
)
def test_each_bad_value_is_an_error_on_its_row_and_column(over, column, code):
    result = read_costing(
        frame(line(cost_line_id="ok"), line(**({"cost_line_id": "bad", "item": "z"} | over)))
    )
    assert (column, code, "error") in issues_at(result, 3)
    assert issues_at(result, 2) == []
    assert result.data[N.COST_LINE_ID].tolist() == ["ok"]
    assert result.quarantine["source_row"].tolist() == [3]
    assert code in result.quarantine["issue_codes"].iloc[0]


def test_india_part_b_needs_a_declared_share_in_its_band():
    ok = read_costing(frame(line(category_india_gbs="B", declared_share="0,5")))
    assert ok.ok
    bad = read_costing(frame(line(category_india_gbs="B", declared_share="0,2")))
    assert ("category_india_gbs", "invalid_value", "error") in issues_at(bad, 2)


def test_duplicate_ids_quarantine_the_later_copy_and_identical_content_warns():
    result = read_costing(frame(line(cost_line_id="M1"), line(cost_line_id="M1"), line(cost_line_id="M2")))
    assert ("cost_line_id", "duplicate_id", "error") in issues_at(result, 3)
    message = result.issues[result.issues[C.ISSUE_ROW] == 3][C.ISSUE_MESSAGE].iloc[0]
    assert "2. satırla aynı" in message
    assert ("item", "duplicate_id", "warning") in issues_at(result, 4)  # same line, other id: counted twice?
    assert result.data[N.COST_LINE_ID].tolist() == ["M1", "M2"]


def test_one_budget_line_cannot_carry_two_categories():
    result = read_costing(
        frame(
            line(cost_line_id="a", description="DESTEK HATTI", category_eu_cpr="01"),
            line(cost_line_id="b", description="Destek hattı", category_eu_cpr="02", item="other"),
            line(cost_line_id="c", description="DESTEK HATTI 2", category_eu_cpr="02", item="other"),
        )
    )
    assert ("category_eu_cpr", "invalid_value", "error") in issues_at(result, 3)  # same line as row 2
    assert issues_at(result, 4) == []  # its own description: its own line


def test_catalogue_checks_action_codes_and_plan_years(catalogue):
    result = read_costing(
        frame(line(cost_line_id="a", action_code="A99H1E1"), line(cost_line_id="b", year_to="2025")),
        catalogue=catalogue,
    )
    assert ("action_code", "unknown_code", "error") in issues_at(result, 2)
    assert ("year_from", "invalid_value", "warning") in issues_at(result, 3)  # A2H3E2 runs to 2024
    assert "2020–2024" in result.issues[result.issues[C.ISSUE_ROW] == 3][C.ISSUE_MESSAGE].iloc[0]


def test_missing_columns_refuse_the_file_and_strict_raises():
    raw = frame(line()).drop(columns=["economic_code", "category_eu_cpr"])
    result = read_costing(raw)
    assert result.refused and result.data.empty and len(result.quarantine) == 1
    assert set(result.issues[C.ISSUE_CODE]) == {"missing_column"}
    with pytest.raises(DataValidationError, match="economic_code"):
        read_costing(raw, strict=True)
    assert list(result.data.columns) == list(N.COSTING_COLUMNS)


def test_demo_costing_reports_exactly_the_planted_errors(catalogue):
    planted = yaml.safe_load((DEMO / "planted_errors.yaml").read_text(encoding="utf-8"))["costing.csv"]
    result = read_costing(DEMO / "costing.csv", catalogue=catalogue)
    errors = result.errors
    got = set(zip(errors[C.ISSUE_ROW], errors[C.ISSUE_COLUMN], errors[C.ISSUE_CODE], strict=True))
    assert got == {(p["row"], p["column"], p["code"]) for p in planted.values()}
    assert set(result.quarantine["Maliyet Satırı No"]) == {p["cost_line_id"] for p in planted.values()}
    # every 2025 line is outside the YEEP 2021–2024: a warning, kept
    assert set(result.warnings[C.ISSUE_CODE]) == {"invalid_value"}
    assert len(result.data) == 35 and result.data[C.ACTION_CODE].nunique() == 15
    recon = result.reconciliation.set_index("measure")
    assert recon.loc[N.AMOUNT, "read"] == recon.loc[N.AMOUNT, "valid"] + recon.loc[N.AMOUNT, "quarantined"]
    assert recon.loc[N.AMOUNT, "valid"] == int(result.data[N.AMOUNT].sum()) == 11_480_800_000


def test_units_and_frames_round_trip_through_csv(tmp_path):
    raw = frame(line(unit_name=SOSYAL, quantity="4", unit_cost="250,50"))
    path = tmp_path / "maliyet.csv"
    raw.to_csv(path, index=False, sep=";")
    from_file = read_costing(path)
    from_frame = read_costing(raw)
    pd.testing.assert_frame_equal(from_file.data, from_frame.data)
    assert from_file.issues.empty and from_file.source == "maliyet.csv"
