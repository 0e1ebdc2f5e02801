"""style.py: one consistent set of formats, each created once per workbook."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from report_sample import (
    ACTION_COLUMNS,
    DISTRICT_COLUMNS,
    actions_frame,
    district_suppression,
    districts_frame,
)

from gcdb.errors import UsageError
from gcdb.report import ReportWorkbook, write_table
from gcdb.report.style import KINDS, NUM_FORMATS, NUMERIC_KINDS, TEXT_KINDS, cell_properties


def test_number_formats_are_the_documented_ones():
    assert NUM_FORMATS["money"] == '#,##0.00 "₺"'
    assert NUM_FORMATS["count"] == "#,##0"
    assert NUM_FORMATS["percent"] == "0.0%"
    assert NUM_FORMATS["rate"] == "0.00"  # rare services have rates well under 0.1 per 1,000
    assert NUM_FORMATS["ratio"] == "0.00"
    assert NUM_FORMATS["year"] == "0"
    assert set(NUMERIC_KINDS) == set(NUM_FORMATS) and set(KINDS) == set(TEXT_KINDS) | set(NUMERIC_KINDS)


@pytest.mark.parametrize("kind", TEXT_KINDS)
def test_text_kinds_are_quote_prefixed(kind):
    props = cell_properties(kind)
    assert props["quote_prefix"] is True and "num_format" not in props


def test_variants():
    assert cell_properties("code")["font_name"] == "Consolas"
    sup = cell_properties("count", suppressed=True)
    assert sup["align"] == "right" and sup["font_color"] == "#7F7F7F" and "num_format" not in sup
    assert cell_properties("ratio", flag="under")["bg_color"] == "#FFC7CE"
    assert cell_properties("ratio", flag="over")["bg_color"] == "#FFEB9C"
    total = cell_properties("money", total=True)
    assert total["bold"] and total["top"] == 1 and total["num_format"] == NUM_FORMATS["money"]
    with pytest.raises(UsageError, match="unknown flag"):
        cell_properties("ratio", flag="sideways")
    with pytest.raises(UsageError, match="unknown cell kind"):
        cell_properties("currency")


def test_each_format_is_created_once_per_workbook():
    book = ReportWorkbook(io.BytesIO())
    before = len(book.workbook.formats)
    write_table(book.add_sheet("A"), actions_frame(), ACTION_COLUMNS, total_row=True)
    frame = districts_frame()
    write_table(book.add_sheet("B"), frame, DISTRICT_COLUMNS, suppressed_mask=district_suppression(frame))
    after_first = len(book.workbook.formats)
    assert after_first - before == book.styles.n_formats
    # the same tables again add no format at all
    write_table(book.add_sheet("C"), actions_frame(), ACTION_COLUMNS, total_row=True)
    write_table(book.add_sheet("D"), frame, DISTRICT_COLUMNS, suppressed_mask=district_suppression(frame))
    assert len(book.workbook.formats) == after_first
    assert book.styles.cell("money") is book.styles.cell("money")
    book.close()


def test_roles():
    book = ReportWorkbook(io.BytesIO())
    assert book.styles.role("header") is book.styles.role("header")
    with pytest.raises(UsageError, match="unknown style role"):
        book.styles.role("shiny")
    book.close()


def test_table_text_never_uses_general_formula_path():
    """Strings go through write_string even when the workbook would turn '=…' into formulas via write()."""
    book = ReportWorkbook(io.BytesIO())
    assert book.workbook.strings_to_formulas is False
    write_table(book.add_sheet("A"), pd.DataFrame({"d": ["=1+1"]}), None)
    book.close()


def test_percent_sign_goes_first_in_turkish_reports():
    from gcdb.report.style import num_format

    assert num_format("percent", "tr") == "%0.0" and num_format("percent", "tr", axis=True) == "%0"
    assert num_format("percent", "en") == "0.0%" and num_format("percent") == "0.0%"
    assert num_format("money", "tr") == num_format("money", "en") == '#,##0.00 "₺"'
    assert cell_properties("percent", lang="tr")["num_format"] == "%0.0"
