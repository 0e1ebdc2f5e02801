"""Every failure is an answer: a message naming file, row and column, exit code 1, no traceback; the Python API
raises gcdb's own exceptions only (the third-party one kept as ``__cause__``)."""

from __future__ import annotations

import datetime as dt
import os

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from adversarial_helpers import balanced, cli, issues_of, table, write_csv

from gcdb import columns as C
from gcdb import paths
from gcdb.errors import DataValidationError, GcdbError, RuleError
from gcdb.read import read_budget, read_usage
from gcdb.rules import load_ruleset

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")


def _refused(path, reader=read_budget, fragment: str = "") -> GcdbError:
    with pytest.raises(GcdbError) as info:
        reader(path)
    assert path.name in str(info.value) and fragment in str(info.value), str(info.value)
    return info.value


def _usage_parquet(path, **columns):
    base = {c: [v] for c, v in table("usage", [{}]).iloc[0].items()}
    base.update(columns)
    pq.write_table(pa.table(base), path)
    return path


@pytest.mark.parametrize(
    ("kind", "value", "fragment"),
    [
        ("list", pa.array([["a", "b"]]), "hold lists or structures"),
        ("struct", pa.array([{"x": 1, "y": "z"}]), "hold lists or structures"),
    ],
)
def test_nested_parquet_columns_are_refused_naming_the_column(tmp_path, kind, value, fragment):
    path = _usage_parquet(tmp_path / f"{kind}.parquet", Etiketler=value)
    error = _refused(path, read_usage, fragment)
    assert "'Etiketler'" in str(error) and error.issues["code"].tolist() == ["file_unreadable"]
    run = cli("validate", "usage", path)
    assert run.code == 1 and "'Etiketler'" in run.err and path.name in run.err


SENTINELS = ["9999-12-31", "31.12.9999", "1900-01-00", "0000-00-00", "00.00.0000"]


@pytest.mark.parametrize("sentinel", SENTINELS)
def test_erp_sentinel_dates_in_csv_are_errors_naming_row_and_column(tmp_path, sentinel):
    path = write_csv(tmp_path / "u.csv", "usage", [{}, {"Tarih": sentinel}])
    result = read_usage(path)
    hit = issues_of(result, "sentinel_date").iloc[0]
    assert (hit["row"], hit["column"], hit["value"]) == (3, "Tarih", sentinel)
    balanced(result, 2)
    run = cli("validate", "usage", path)
    assert run.code == 1 and "u.csv:3 [Tarih]" in run.out and "placeholder date" in run.out


def test_erp_sentinel_dates_in_parquet_and_excel(tmp_path):
    stamp = pa.array([dt.datetime(9999, 12, 31)], type=pa.timestamp("us"))
    parquet = _usage_parquet(tmp_path / "u.parquet", Tarih=stamp)
    result = read_usage(parquet)
    assert issues_of(result, "sentinel_date")[["row", "column"]].values.tolist() == [[2, "Tarih"]]
    balanced(result, 1)
    assert cli("validate", "usage", parquet).code == 1
    frame = table("usage", [{}])
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(list(frame.columns))
    row = list(frame.iloc[0])
    row[list(frame.columns).index("Tarih")] = dt.datetime(9999, 12, 31)
    ws.append(row)
    xlsx = tmp_path / "u.xlsx"
    book.save(xlsx)
    result = read_usage(xlsx)
    assert issues_of(result, "sentinel_date")[["row", "column"]].values.tolist() == [[2, "Tarih"]]
    balanced(result, 1)
    run = cli("validate", "usage", xlsx)
    assert run.code == 1 and "u.xlsx:2 [Tarih]" in run.out


def _deep_rule(depth: int) -> str:
    when = "{column: description, contains: kadın}"
    for _ in range(depth):
        when = "{all: [" + when + "]}"
    return (
        "name: deep\napplies_to: budget\ndefault_scheme: eu_cpr\nrules:\n"
        f"  - id: deep\n    when: {when}\n    then: {{categories: {{eu_cpr: '01'}}}}\n"
    )


def test_a_rule_nested_500_deep_is_refused_naming_file_and_line(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text(_deep_rule(500), encoding="utf-8")
    with pytest.raises(RuleError, match="nested more than 64 levels") as info:
        load_ruleset(path)
    assert info.value.file == str(path) and info.value.line == 6
    budget = write_csv(tmp_path / "b.csv", "budget", [{}])
    run = cli("tag", "--rules", path, "--in", budget, "--out", tmp_path / "o.csv")
    assert run.code == 1 and "deep.yaml:6" in run.err
    assert cli("rules", "check", path).code == 1
    balanced(read_budget(budget), 1)


def _xlsx_bytes(tmp_path) -> bytes:
    path = tmp_path / "good.xlsx"
    table("budget", [{}, {}]).to_excel(path, index=False)
    return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "damage", "fragment"),
    [
        ("truncated", lambda raw: raw[: len(raw) // 2], "not a readable .xlsx"),
        ("zeroed_middle", lambda raw: raw[:600] + bytes(2000) + raw[2600:], "xlsx"),
        ("not_a_zip", lambda raw: b"PK\x03\x04" + os.urandom(3000), "not a readable .xlsx"),
    ],
)
def test_broken_workbooks_are_answers(tmp_path, name, damage, fragment):
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(damage(_xlsx_bytes(tmp_path)))
    error = _refused(path, read_budget, fragment)
    assert error.issues["code"].tolist() == ["file_unreadable"]
    run = cli("validate", "budget", path)
    assert run.code == 1 and path.name in run.err


def test_truncated_and_corrupt_parquet_are_answers(tmp_path):
    good = _usage_parquet(tmp_path / "good.parquet").read_bytes()
    for name, raw in (
        ("truncated", good[: len(good) // 2]),
        ("garbage", b"PAR1" + os.urandom(500) + b"PAR1"),
    ):
        path = tmp_path / f"{name}.parquet"
        path.write_bytes(raw)
        error = _refused(path, read_usage, "Parquet")
        assert error.__cause__ is not None  # the original error is kept
        run = cli("validate", "usage", path)
        assert run.code == 1 and path.name in run.err


@pytest.mark.parametrize("command", ["validate", "tag", "budget"])
def test_a_folder_given_as_input(tmp_path, command):
    folder = tmp_path / "butce.csv"
    folder.mkdir()
    argv = {
        "validate": ("validate", "budget", folder),
        "tag": (
            "tag",
            "--rules",
            paths.rules() / "ibb_yeep_2021_budget.yaml",
            "--in",
            folder,
            "--out",
            tmp_path / "o.csv",
        ),
        "budget": (
            "budget",
            "--budget",
            folder,
            "--rules",
            paths.rules() / "ibb_yeep_2021_budget.yaml",
            "--out",
            tmp_path / "o.xlsx",
            "--quiet",
        ),
    }[command]
    run = cli(*argv)
    assert run.code == 1 and "butce.csv" in run.err
    _refused(folder, read_budget, "folder")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_an_empty_file_is_an_answer(tmp_path, suffix):
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    result = read_budget(path)
    assert result.refused and issues_of(result, "empty_file")["file"].tolist() == [path.name]
    balanced(result, 0)
    run = cli("validate", "budget", path)
    assert run.code == 1 and "empty" in run.out


def test_binary_garbage_named_csv(tmp_path):
    path = tmp_path / "butce.csv"
    path.write_bytes(bytes(range(256)) * 40)
    error = _refused(path, read_budget, "binary file")
    assert "line 1" in str(error)
    run = cli("validate", "budget", path)
    assert run.code == 1 and "binary file" in run.err


def test_old_xls_workbook_is_an_answer(tmp_path):
    path = tmp_path / "butce.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    _refused(path, read_budget, "save old .xls workbooks as .xlsx")
    assert cli("validate", "budget", path).code == 1


def test_rules_that_are_a_folder_or_binary(tmp_path):
    folder = tmp_path / "rules.yaml"
    folder.mkdir()
    with pytest.raises(RuleError, match="folder"):
        load_ruleset(folder)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(bytes(range(256)))
    with pytest.raises(RuleError, match="not UTF-8"):
        load_ruleset(binary)
    assert cli("rules", "check", folder).code == 1
    assert cli("rules", "check", binary).code == 1


def test_raw_tagging_of_a_broken_file_is_an_answer(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes(b'a,b\n"unclosed,1\n' + bytes([0xFF, 0xFE, 0x00]) * 10)
    run = cli(
        "tag",
        "--rules",
        paths.rules() / "ibb_yeep_2021_budget.yaml",
        "--in",
        path,
        "--out",
        tmp_path / "o.csv",
        "--raw",
    )
    assert run.code == 1 and "b.csv" in run.err


def test_the_api_raises_only_gcdb_errors_with_the_cause_kept(tmp_path):
    path = tmp_path / "b.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataValidationError) as info:
        read_budget(path)
    assert isinstance(info.value, GcdbError) and info.value.__cause__ is not None
    assert info.value.issues[["file", "code"]].values.tolist() == [["b.xlsx", "file_unreadable"]]


def test_a_header_only_file_is_a_warning_with_nothing_lost(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(";".join(table("budget", [{}]).columns) + "\n", encoding="utf-8")
    result = read_budget(path)
    assert (
        result.ok
        and result.data.empty
        and issues_of(result, "empty_file")["severity"].tolist() == ["warning"]
    )
    balanced(result, 0)
    assert cli("validate", "budget", path).code == 0
    assert C.EXPENDITURE in result.data.columns
