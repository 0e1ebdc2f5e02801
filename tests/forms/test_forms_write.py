"""The workbook a form spec becomes: structure, protection, validation, formula-safe text, determinism."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest
from pydantic import ValidationError
from toy_form import IDENTITY, TOY, toy_rows

from gcdb.errors import UsageError
from gcdb.forms import KEY_SHEET, Choice, FieldKind, FormField, SheetSpec, Text, write_form
from gcdb.forms.key import FormKey, checksum


def _bytes(**kwargs) -> bytes:
    buffer = io.BytesIO()
    write_form(TOY, buffer, identity=IDENTITY, rows=toy_rows(), **kwargs)
    return buffer.getvalue()


def test_identical_inputs_give_identical_bytes():
    assert _bytes() == _bytes()
    assert _bytes() != _bytes(lang="en")


def test_sheets_in_order_lists_hidden_key_very_hidden(blank):
    wb = openpyxl.load_workbook(blank)
    states = {ws.title: ws.sheet_state for ws in wb.worksheets}
    assert list(states) == ["Açıklamalar", "Listeler", "Kalemler", "Değerler", KEY_SHEET]
    assert states == {
        "Açıklamalar": "visible",
        "Listeler": "hidden",
        "Kalemler": "visible",
        "Değerler": "visible",
        KEY_SHEET: "veryHidden",
    }
    assert wb.active.title == "Açıklamalar"
    assert all(ws.protection.sheet for ws in wb.worksheets)


def test_fixed_cells_locked_fill_cells_unlocked_and_coloured(blank):
    ws = openpyxl.load_workbook(blank)["Kalemler"]
    assert [c.value for c in ws[4]][:4] == ["Kod", "Başlık", "Alan", "Durum"]
    assert ws["A5"].value == "K1" and ws["C5"].value == 1  # integer fixed field written as a number
    assert ws["A5"].protection.locked and ws["B5"].protection.locked
    for col in "DEFGHIJKL":
        assert not ws[f"{col}5"].protection.locked, col
        assert ws[f"{col}8"].fill.fgColor.rgb.endswith("FFF2CC")
    assert ws["A5"].fill.fgColor.rgb.endswith("EDEDED")
    assert ws["K5"].number_format == "@"  # text cells: typed "=…" stays text
    assert ws.freeze_panes == "B5"


def test_text_never_becomes_a_formula(blank):
    ws = openpyxl.load_workbook(blank)["Kalemler"]
    assert ws["B6"].value == '=HYPERLINK("http://x")'
    assert ws["B6"].data_type == "s"


def test_data_validation_by_kind(blank):
    ws = openpyxl.load_workbook(blank)["Kalemler"]
    by_range = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert by_range["D5:D8"].type == "list" and "Listeler" in by_range["D5:D8"].formula1
    assert by_range["E5:E8"].type == "decimal"
    assert (float(by_range["E5:E8"].formula1), float(by_range["E5:E8"].formula2)) == (0, 100)
    assert by_range["F5:F8"].type == "whole" and by_range["F5:F8"].operator == "greaterThanOrEqual"
    assert by_range["H5:H8"].type == "decimal"
    assert by_range["J5:J8"].type == "date"
    assert by_range["K5:K8"].type == "textLength"
    assert by_range["D5:D8"].promptTitle == "Durum"
    assert "Yapılmadı / Sürüyor / Bitti" in by_range["D5:D8"].prompt
    lists = openpyxl.load_workbook(blank)["Listeler"]
    assert [lists.cell(r, 1).value for r in range(2, 5)] == ["Yapılmadı", "Sürüyor", "Bitti"]


def test_row_kinds_switch_validation_row_by_row(blank):
    ws = openpyxl.load_workbook(blank)["Değerler"]
    by_range = {str(dv.sqref): dv.type for dv in ws.data_validations.dataValidation}
    assert by_range["C5"] == "whole"  # integer row
    assert by_range["C6"] == "decimal"  # percent row
    assert by_range["C7"] == "list"  # yes/no row
    assert [ws.cell(r, 2).value for r in (5, 6, 7)] == ["Sayı", "Yüzde", "Evet/Hayır"]


def test_key_holds_identity_layout_and_checksum(blank):
    ws = openpyxl.load_workbook(blank)[KEY_SHEET]
    text = "".join(ws.cell(r, 2).value for r in range(4, ws.max_row + 1))
    assert ws["B2"].value == checksum(text)
    key = FormKey.from_json(text)
    assert (key.form, key.version, key.lang) == ("toy_return", 1, "tr")
    assert key.identity == {"unit": "saglik", "year": "2024"}
    assert key.identity_cells == {"unit": "B4", "year": "B5"}
    items = key.layout("items")
    assert (items.header_row, items.first_row, items.n_rows) == (4, 5, 4)
    assert items.fixed["code"] == ["K1", "K2", "K3", "K4"]
    assert key.layout("values").fixed["value_kind"] == ["integer", "percent", "yes_no"]
    assert key.layout("values").shown["value_kind"] == ["Sayı", "Yüzde", "Evet/Hayır"]
    assert json.loads(text)["form"] == "toy_return"


def test_instructions_sheet_guides_every_fill_column(blank):
    ws = openpyxl.load_workbook(blank)["Açıklamalar"]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Deneme Formu" in cells and "Bu bir deneme formudur." in cells
    assert "Birim" in cells and "saglik" in cells
    guide = {(r[0].value, r[1].value): r[2].value for r in ws.iter_rows(min_row=1) if r[2].value}
    assert guide[("Kalemler", "İlerleme (%)")].startswith("Yüzde: 0 ile 100 arasında")
    assert "Durum 'Bitti' ise yapılanları yazınız" in guide[("Kalemler", "Yapılanlar")]
    assert "03.5.1.08 gibi" in guide[("Kalemler", "Ekonomik Kod")]
    assert guide[("Kalemler", "Durum")].endswith("Zorunlu.")


def test_english_copy(tmp_path):
    path = tmp_path / "toy_en.xlsx"
    write_form(TOY, path, identity=IDENTITY, rows=toy_rows(), lang="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:4] == ["Instructions", "Lists", "Items", "Values"]
    assert wb["Items"]["D4"].value == "Status"


@pytest.mark.parametrize(
    ("rows", "identity", "message"),
    [
        ({"items": pd.DataFrame({"code": ["K1"], "title": ["x"]})}, IDENTITY, "lack the fixed columns"),
        ({"items": pd.DataFrame({"code": ["K1", "K1"], "title": "x", "area": 1})}, IDENTITY, "repeat"),
        ({"items": pd.DataFrame({"code": ["K1", None], "title": "x", "area": 1})}, IDENTITY, "blank"),
        ({"values": pd.DataFrame({"vid": ["D1"], "value_kind": ["money"]})}, IDENTITY, "not among"),
        ({"nope": pd.DataFrame()}, IDENTITY, "unknown sheets"),
        (toy_rows(), {"unit": "x"}, "identity values missing"),
    ],
)
def test_rows_that_do_not_fit_the_spec_are_usage_errors(tmp_path, rows, identity, message):
    with pytest.raises(UsageError, match=message):
        write_form(TOY, tmp_path / "x.xlsx", identity=identity, rows=rows)


def _sheet(*fields) -> SheetSpec:
    return SheetSpec(key="s", name=Text(tr="S", en="S"), title=Text(tr="S", en="S"), fields=fields)


KEY = FormField(name="k", label=Text(tr="K", en="K"), fixed=True, key=True)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: FormField(name="c", label=Text(tr="c", en="c"), kind=FieldKind.CHOICE), "needs choices"),
        (lambda: FormField(name="c", label=Text(tr="c", en="c"), key=True), "only fixed fields"),
        (
            lambda: FormField(
                name="c", label=Text(tr="c", en="c"), choices=(Choice(code="a", label=Text(tr="a", en="a")),)
            ),
            "only choice fields",
        ),
        (lambda: FormField(name="n", label=Text(tr="n", en="n"), kind="integer", pattern=r"\d"), "pattern"),
        (lambda: FormField(name="n", label=Text(tr="n", en="n"), minimum=5, maximum=1), "minimum is above"),
        (lambda: _sheet(KEY), "fill-in field"),
        (lambda: _sheet(FormField(name="a", label=Text(tr="a", en="a"))), "key field"),
        (
            lambda: _sheet(KEY, FormField(name="a", label=Text(tr="a", en="a"), kind_from="k")),
            "kind_from must name a fixed choice field",
        ),
        (
            lambda: _sheet(
                KEY,
                FormField(
                    name="a",
                    label=Text(tr="a", en="a"),
                    required_if=(
                        {"when": {"field": "zz", "filled": True}, "message": {"tr": "x", "en": "x"}},
                    ),
                ),
            ),
            "not a fill-in field",
        ),
        (lambda: FormField(name="Bad Name", label=Text(tr="a", en="a")), "pattern"),
        (lambda: FormField(name="a", label=Text(tr="a", en="a"), extra=1), "Extra inputs"),
    ],
)
def test_spec_checks_itself(build, message):
    with pytest.raises(ValidationError, match=message):
        build()
