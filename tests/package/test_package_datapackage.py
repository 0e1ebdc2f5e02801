"""datapackage.json next to the tidy tables, validated with frictionless; the excel-tr CSV dialect."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gcdb import columns as C
from gcdb.datapackage import (
    CSV_DIALECTS,
    FORMULA_START,
    column_title,
    column_unit,
    excel_safe,
    package_descriptor,
    primary_key,
)
from gcdb.errors import UsageError
from gcdb.report.tidy import write_tidy

frictionless = pytest.importorskip("frictionless")


def _summary() -> pd.DataFrame:
    """A budget table in the shape of BudgetAnalysis.summary (hand-made, two years)."""
    return pd.DataFrame(
        {
            C.FISCAL_YEAR: np.array([2023, 2024], dtype="int64"),
            C.SCHEME: pd.array(["eu_cpr", "eu_cpr"], dtype="str"),
            "reading": pd.array(["default", "default"], dtype="str"),
            "budget_initial_appropriation": np.array([123_456_789, 200_000_000], dtype="int64"),
            "counted_revised_appropriation": np.array([1_050, 2_575], dtype="int64"),
            "counted_expenditure": np.array([1_000, 2_500], dtype="int64"),
            "share_of_total_expenditure": [0.25, 1 / 3],
            "execution_rate": [np.nan, 0.5],
            "execution_rate_reason": pd.array(["zero_revised_appropriation", None], dtype="str"),
        }
    )


def _by_functional() -> pd.DataFrame:
    return pd.DataFrame(
        {
            C.FISCAL_YEAR: np.array([2024, 2024], dtype="int64"),
            C.SCHEME: pd.array(["eu_cpr"] * 2, dtype="str"),
            "reading": pd.array(["default"] * 2, dtype="str"),
            C.FUNCTIONAL_CODE: pd.array(["01.3", "10.4"], dtype="str"),
            "counted_expenditure": np.array([10, 20], dtype="int64"),
        }
    )


def _usage() -> pd.DataFrame:
    return pd.DataFrame(
        {
            C.RECORD_ID: pd.array(["R1", "R2", "R3"], dtype="str"),
            C.DATE: pd.to_datetime(["2024-01-05", "2024-02-29", None]),
            C.SEX: pd.array(["female", "male", None], dtype="str"),
            C.AGE: pd.array([34, None, 71], dtype="Int64"),
            "suppressed": [True, False, True],
            C.DESCRIPTION: pd.array(['=HYPERLINK("http://x")', "+90 212", "-"], dtype="str"),
        }
    )


def _validate(folder: Path) -> None:
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])[:10]


def _resources(folder: Path) -> dict[str, dict]:
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "tabular-data-package"
    return {r["name"]: r for r in descriptor["resources"]}


@pytest.mark.parametrize("dialect", list(CSV_DIALECTS))
def test_the_descriptor_is_a_valid_data_package(tmp_path: Path, dialect: str) -> None:
    tables = {"summary": _summary(), "by_functional": _by_functional(), "usage": _usage()}
    files = write_tidy(tables, tmp_path, csv_dialect=dialect)
    assert (tmp_path / "datapackage.json") not in files  # the table files only; the descriptor is beside them
    _validate(tmp_path)


def test_types_units_titles_keys_and_fiscal_data_package(tmp_path: Path) -> None:
    write_tidy({"summary": _summary(), "by_functional": _by_functional(), "usage": _usage()}, tmp_path)
    resources = _resources(tmp_path)
    summary = resources["summary"]
    assert summary["path"] == "summary.csv" and summary["parquet"] == "summary.parquet"
    fields = {f["name"]: f for f in summary["schema"]["fields"]}
    assert [f["name"] for f in summary["schema"]["fields"]] == list(_summary().columns)
    assert fields[C.FISCAL_YEAR] | {} == fields[C.FISCAL_YEAR] and fields[C.FISCAL_YEAR]["type"] == "integer"
    assert fields[C.FISCAL_YEAR]["columnType"] == "date:fiscal-year"
    money = fields["counted_expenditure"]
    assert (money["type"], money["unit"]) == ("integer", "kuruş")
    assert money["normalize"] == {"phase": "executed", "measure": "counted"}
    assert fields["budget_initial_appropriation"]["normalize"]["phase"] == "approved"
    assert fields["counted_revised_appropriation"]["normalize"]["phase"] == "adjusted"
    assert money["title"] == "TCDB Tutarı – Harcama"
    assert "kuruş" in money["description"]
    share = fields["share_of_total_expenditure"]
    assert (share["type"], share["unit"]) == ("number", "fraction") and "normalize" not in share
    assert fields["execution_rate_reason"]["type"] == "string"
    assert summary["schema"]["primaryKey"] == [C.FISCAL_YEAR, C.SCHEME, "reading"]
    extra = {f["name"]: f for f in summary["schema"]["extraFields"]}
    assert extra["amount"]["normalizationTarget"] is True and extra["amount"]["columnType"] == "value"
    assert extra["phase"]["columnType"] == "phase:id" and extra["currency"]["constant"] == "TRY"

    functional = {f["name"]: f for f in resources["by_functional"]["schema"]["fields"]}
    assert functional[C.FUNCTIONAL_CODE]["columnType"] == "functional-classification:generic:code"
    assert resources["by_functional"]["title"] == "Fonksiyonel koda göre"

    usage = {f["name"]: f for f in resources["usage"]["schema"]["fields"]}
    assert [usage[c]["type"] for c in (C.DATE, C.AGE, "suppressed", C.SEX)] == [
        "date",
        "integer",
        "boolean",
        "string",
    ]
    assert usage[C.SEX]["title"] == "Cinsiyet"
    assert "primaryKey" not in resources["usage"]["schema"]  # a table gcdb does not know: described, no key


def test_english_titles_on_request(tmp_path: Path) -> None:
    write_tidy({"summary": _summary()}, tmp_path, lang="en")
    summary = _resources(tmp_path)["summary"]
    fields = {f["name"]: f for f in summary["schema"]["fields"]}
    assert fields["counted_expenditure"]["title"] == "Counted – Expenditure"
    assert fields[C.FISCAL_YEAR]["title"] == "Fiscal year"
    assert summary["title"] == "Gender budget summary by scheme and phase"
    with pytest.raises(UsageError, match="lang"):
        package_descriptor({"summary": _summary()}, lang="de")


def test_economic_levels_and_administrative_classification() -> None:
    frame = pd.DataFrame(
        {C.ECONOMIC_CODE: ["03"], C.UNIT_NAME: ["Sosyal Hizmetler"], C.INSTITUTIONAL_CODE: ["46"]}
    )
    for table, level in (("by_economic_1", "level1"), ("by_economic_2", "level2")):
        resource = package_descriptor({table: frame})["resources"][0]
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        assert fields[C.ECONOMIC_CODE]["columnType"] == f"economic-classification:generic:{level}:code"
        assert fields[C.UNIT_NAME]["columnType"] == "administrative-classification:generic:label"
        assert fields[C.INSTITUTIONAL_CODE]["columnType"] == "administrative-classification:generic:code"


def test_a_primary_key_is_declared_only_when_the_data_satisfy_it() -> None:
    good = _summary()
    assert primary_key("summary", good) == [C.FISCAL_YEAR, C.SCHEME, "reading"]
    assert primary_key("summary", pd.concat([good, good.iloc[:1]])) is None  # duplicate
    blank = good.assign(reading=pd.array(["default", ""], dtype="str"))
    assert primary_key("summary", blank) is None  # "" is an empty CSV cell: a missing key
    assert primary_key("parameters", pd.DataFrame({"name": ["k"], "value": ["5"]})) == ["name"]
    assert primary_key("parameters", pd.DataFrame({"parameter": ["k"], "value": ["5"]})) == ["parameter"]


def test_units_and_titles_by_name() -> None:
    assert column_unit("summary", "budget_total") == "kuruş"
    assert column_unit("coverage_overlaps", C.EXPENDITURE) == "kuruş"
    assert column_unit("impact", "rate") == "per 1,000"
    assert column_unit("year_over_year", "change") == "kuruş"
    assert column_unit("indicators", "change") is None  # an indicator's change is in the indicator's unit
    assert (
        column_title("share_revised_appropriation", "en")
        == "Share of the row's budget – Revised appropriation"
    )
    assert column_title("no_such_column") == "No such column"


def test_broken_data_fails_validation(tmp_path: Path) -> None:
    """The validation in these tests is real: a value of the wrong type, or a duplicate key, is caught."""
    write_tidy({"summary": _summary()}, tmp_path, formats=("csv",))
    path = tmp_path / "summary.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("123456789", "1.234,56"), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert "type-error" in {e["type"] for e in (err.to_descriptor() for err in report.tasks[0].errors)}


def test_the_descriptor_is_deterministic(tmp_path: Path) -> None:
    tables = {"summary": _summary(), "usage": _usage()}
    write_tidy(tables, tmp_path / "a" / "tables")
    write_tidy(tables, tmp_path / "b" / "tables")
    first, second = (tmp_path / run / "tables" / "datapackage.json" for run in ("a", "b"))
    assert first.read_bytes() == second.read_bytes()


def test_parquet_only_tables_are_described_as_parquet(tmp_path: Path) -> None:
    write_tidy({"summary": _summary()}, tmp_path, formats=("parquet",))
    resource = _resources(tmp_path)["summary"]
    assert resource["path"] == "summary.parquet" and resource["format"] == "parquet"
    assert "dialect" not in resource


def test_no_descriptor_when_not_asked(tmp_path: Path) -> None:
    write_tidy({"summary": _summary()}, tmp_path, datapackage=False)
    assert not (tmp_path / "datapackage.json").exists()


# --- the excel-tr dialect ----------------------------------------------------------------------------------------
def test_excel_tr_is_what_turkish_excel_opens(tmp_path: Path) -> None:
    (path,) = write_tidy({"summary": _summary()}, tmp_path, formats=("csv",), csv_dialect="excel-tr")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    lines = raw[3:].decode("utf-8").split("\r\n")
    assert lines[0].split(";") == list(_summary().columns)
    assert lines[1].split(";")[6] == "0,25"  # decimal comma
    assert lines[1].split(";")[3] == "123456789"  # integer kuruş, no thousands separator
    back = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype={"execution_rate_reason": "str"},
                       keep_default_na=False, na_values=[""])  # fmt: skip
    pd.testing.assert_frame_equal(back, _summary(), check_dtype=False)
    field = {f["name"]: f for f in _resources(tmp_path)["summary"]["schema"]["fields"]}
    assert field["share_of_total_expenditure"]["decimalChar"] == ","
    assert _resources(tmp_path)["summary"]["dialect"]["delimiter"] == ";"


@pytest.mark.parametrize("start", list(FORMULA_START))
def test_excel_tr_text_never_becomes_a_formula(tmp_path: Path, start: str) -> None:
    frame = pd.DataFrame({"text": pd.array([f"{start}1+1", "safe", None], dtype="str"), "n": [-1, 2, 3]})
    (path,) = write_tidy({"t": frame}, tmp_path, formats=("csv",), csv_dialect="excel-tr")
    back = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype={"text": "str"}, keep_default_na=False)
    assert back["text"].tolist()[:2] == [f"'{start}1+1", "safe"]
    assert back["n"].tolist() == [-1, 2, 3]  # numbers are numbers, not protected text


def test_plain_csv_keeps_text_exactly(tmp_path: Path) -> None:
    (path,) = write_tidy({"usage": _usage()}, tmp_path, formats=("csv",))
    back = pd.read_csv(path, dtype={C.DESCRIPTION: "str"})
    assert back[C.DESCRIPTION].tolist() == _usage()[C.DESCRIPTION].tolist()


def test_excel_safe_is_vectorised_and_keeps_missing_values() -> None:
    values = pd.Series(["=1", "a", None, "\uff20x", "x=1"], dtype="str")
    assert excel_safe(values).tolist()[:2] == ["'=1", "a"]
    assert excel_safe(values).isna().tolist() == [False, False, True, False, False]
    assert excel_safe(values).tolist()[3:] == ["'\uff20x", "x=1"]


def test_an_unknown_dialect_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="excel-tr"):
        write_tidy({"summary": _summary()}, tmp_path, csv_dialect="excel")


def test_the_commands_offer_the_dialects() -> None:
    from gcdb.cli.main import build_parser

    parser = build_parser()
    for command in (["demo"], ["budget", "--budget", "b.csv", "--rules", "r.yaml", "--out", "o.xlsx"],
                    ["services", "--usage", "u.csv", "--population", "p.csv", "--out", "o.xlsx"]):  # fmt: skip
        args = parser.parse_args([*command, "--csv-dialect", "excel-tr"])
        assert args.csv_dialect == "excel-tr"
        assert parser.parse_args(command).csv_dialect == "plain"
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name in ("demo", "budget", "services"):
        option = next(a for a in subparsers.choices[name]._actions if a.dest == "csv_dialect")
        assert tuple(option.choices) == tuple(CSV_DIALECTS)


# --- the real outputs ----------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_demo_and_budget_outputs_are_valid_typed_data_packages(tmp_path: Path) -> None:
    from gcdb import paths
    from gcdb.cli.main import main
    from gcdb.datapackage import spec
    from gcdb.pipeline import demo_inputs, run_pipeline

    run_pipeline(demo_inputs(), out=tmp_path / "demo", csv_dialect="excel-tr")
    budget_out = tmp_path / "budget_tables"
    code = main(
        ["budget", "--budget", str(paths.demo() / "messy" / "budget_2024_tr.csv"), "--rules",
         str(paths.ruleset("ibb_yeep_2021_budget")), "--out", str(tmp_path / "b.xlsx"), "--tables",
         str(budget_out), "--quiet"]
    )  # fmt: skip
    assert code == 0
    folders = [
        tmp_path / "demo" / "tables" / "tcdb",
        tmp_path / "demo" / "tables" / "hizmette_esitlik",
        budget_out,
    ]
    keyless = set()
    for folder in folders:
        _validate(folder)
        for name, resource in _resources(folder).items():
            assert name in spec.TABLE_TITLES, f"{folder.name}/{name}: no title in gcdb.datapackage.spec"
            assert (folder / resource["path"]).is_file()
            if "primaryKey" not in resource["schema"]:
                keyless.add(name)
            for field in resource["schema"]["fields"]:
                fallback = field["name"].replace("_", " ").capitalize()
                assert field["title"] != fallback, f"{folder.name}/{name}.{field['name']}: no label"
    # tables whose rows are identified by columns that are empty on some rows (city-wide strata, NA category)
    assert keyless <= {"impact", "breakdowns", "heat", "indicators", "by_category", "issues", "coverage_overlaps",
                       "coverage_untagged_groups", "standardised"}, keyless  # fmt: skip
