"""Reading returned copies back: typed values, and issues naming file, sheet, cell and column."""

from __future__ import annotations

import datetime as dt
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from toy_form import IDENTITY, TOY, toy_rows

from gcdb import columns as C
from gcdb.forms import FORM_ISSUE_COLUMNS, KEY_SHEET, read_form, write_form
from gcdb.read.result import ISSUE_CODES


def _edit(path, edits: dict[str, dict[str, object]], out=None):
    """Edit cells as a person would (openpyxl), save to ``out`` (default: over the file). Text typed into a
    text-formatted cell stays text in Excel even when it starts with ``=``: ``("text", "=1+1")`` does that."""
    wb = openpyxl.load_workbook(path)
    for sheet, cells in edits.items():
        for ref, value in cells.items():
            if isinstance(value, tuple):
                wb[sheet][ref] = value[1]
                wb[sheet][ref].data_type = "s"
            else:
                wb[sheet][ref] = value
    wb.save(out or path)
    return out or path


def _issue(read, cell: str) -> dict:
    hits = read.issues[read.issues["cell"] == cell]
    assert len(hits) == 1, (cell, read.issues[["cell", "code"]].to_string())
    return hits.iloc[0].to_dict()


def _recon_ok(read):
    r = read.reconciliation
    assert (r["rows_read"] == r["valid"] + r["quarantined"]).all()


def test_blank_copy_reads_clean(blank):
    read = read_form(blank, TOY, expect={"year": 2024, "unit": "saglik"})
    assert read.ok and not read.refused and read.issues.empty
    assert list(read.issues.columns) == list(FORM_ISSUE_COLUMNS)
    items = read.data["items"]
    assert items["code"].tolist() == ["K1", "K2", "K3", "K4"]
    assert items["area"].dtype == "Int64" and items["area"].tolist() == [1, 1, 2, 3]
    assert not items["filled"].any()
    assert items["source_row"].tolist() == [5, 6, 7, 8]
    assert {c: str(items[c].dtype) for c in ("status", "progress", "count", "spent", "ok", "when")} == {
        "status": "str",
        "progress": "Float64",
        "count": "Int64",
        "spent": "Int64",
        "ok": "boolean",
        "when": "datetime64[ns]",
    }
    assert read.reconciliation.set_index("sheet")["form_rows"].to_dict() == {"items": 4, "values": 3}
    _recon_ok(read)


def test_values_typed_as_a_person_writes_them(blank):
    _edit(
        blank,
        {
            "Kalemler": {
                "D5": "Bitti",
                "E5": 100,
                "F5": 12,
                "G5": 2.5,
                "H5": "1.234,56",
                "I5": "evet",
                "J5": dt.datetime(2024, 3, 1),
                "K5": "Eğitimler yapıldı",
                "L5": "03.5.1.08",
                "D6": "sürüyor",
                "E6": "45%",
                "H6": 1500,
                "I6": "Hayır",
                "J6": "15.06.2024",
                "K6": ("text", "=1+1"),
            },
            "Değerler": {"C5": 12, "D5": "kayıt", "C6": "45,5", "D6": "TÜİK", "C7": "Evet", "D7": "rapor"},
        },
    )
    read = read_form(blank, TOY)
    assert read.ok, read.issues.to_string()
    items = read.data["items"].set_index("code")
    assert items.loc["K1", "status"] == "done" and items.loc["K2", "status"] == "doing"
    assert items.loc["K1", "spent"] == 123456  # "1.234,56" TL → kuruş, exactly
    assert items.loc["K2", "spent"] == 150000
    assert items.loc["K2", "progress"] == 45.0
    assert items.loc["K1", "ok"] and not items.loc["K2", "ok"]
    assert items.loc["K2", "when"] == pd.Timestamp("2024-06-15")
    assert items.loc["K2", "what"] == "=1+1"  # text stays text
    assert items["filled"].tolist() == [True, True, False, False]
    values = read.data["values"].set_index("vid")["actual"]
    assert values.to_dict() == {"D1": 12.0, "D2": 45.5, "D3": 1.0}


def test_every_problem_named_by_cell_and_rows_quarantined(blank):
    _edit(
        blank,
        {
            "Kalemler": {
                "D5": "Bitti",
                "E5": 120,
                "F5": "yaklaşık 5",  # done without text, over 100 %, text in a count
                "D6": "Sürüyor",
                "K6": "Ayşe Yılmaz ile görüşüldü",
                "L6": "3.5.1",
                "D7": "başka",
                "B7": "değiştirilmiş başlık",
                "F8": -3,
                "K8": "TC 10000000146 numaralı kişi",
                "A9": "K9",
                "D9": "Bitti",
                "K9": "eklenen satır",
            },
            "Değerler": {"C5": 3.5, "D5": "x", "C6": 130, "D6": "x", "C7": "belki", "D7": "x"},
        },
    )
    read = read_form(blank, TOY)
    expected = {
        "Kalemler!K5": "required_if",
        "Kalemler!E5": "out_of_range",
        "Kalemler!F5": "unparseable_number",
        "Kalemler!L6": "pattern_mismatch",
        "Kalemler!D7": "not_a_choice",
        "Kalemler!B7": "fixed_cell_changed",
        "Kalemler!F8": "out_of_range",
        "Kalemler!K8": "personal_data",
        "Kalemler!A9": "unexpected_row",
        "Değerler!C5": "unparseable_number",
        "Değerler!C6": "out_of_range",
        "Değerler!C7": "not_a_choice",
    }
    for cell, code in expected.items():
        issue = _issue(read, cell)
        assert issue[C.ISSUE_CODE] == code, cell
        assert issue[C.ISSUE_FILE] == "toy.xlsx"
        assert issue["sheet"] == cell.split("!")[0]
        assert issue[C.ISSUE_ROW] == int(cell.split("!")[1][1:])
    assert _issue(read, "Kalemler!F5")[C.ISSUE_COLUMN] == "Adet"
    assert _issue(read, "Kalemler!B7")[C.ISSUE_SEVERITY] == C.WARNING
    # a name in free text is personal data: masked in the issue and in the quarantine
    assert _issue(read, "Kalemler!K8")[C.ISSUE_VALUE] == "TC 1000******* numaralı kişi"
    # K6 holds a name only as part of a sentence: not flagged (the name rule looks at whole cells)
    assert "Kalemler!K6" not in set(read.issues["cell"])
    # nothing lost: every non-blank row is valid or quarantined
    _recon_ok(read)
    quarantined = read.quarantine["items"].set_index("source_row")
    assert sorted(quarantined.index) == [5, 6, 7, 8, 9]
    assert quarantined.loc[5, ISSUE_CODES] == "out_of_range|unparseable_number|required_if"
    assert quarantined.loc[8, "what"] == "TC 1000******* numaralı kişi"
    assert quarantined.loc[5, "count"] == "yaklaşık 5"
    assert read.data["items"].empty  # K4 (row 8) has a negative count
    assert read.data["values"].empty and len(read.quarantine["values"]) == 3
    assert read.missing_rows["items"].empty


def test_integer_row_kind_wants_whole_numbers(blank):
    _edit(blank, {"Değerler": {"C5": 3.5, "D5": "x"}})
    read = read_form(blank, TOY)
    assert _issue(read, "Değerler!C5")[C.ISSUE_MESSAGE] == "tam sayı bekleniyordu"


def test_wrong_identity_refuses_the_copy_and_keeps_its_rows(blank):
    _edit(blank, {"Kalemler": {"D5": "Sürüyor", "K5": "x"}})
    read = read_form(blank, TOY, expect={"year": 2023})
    assert read.refused and not read.ok
    issue = _issue(read, "Açıklamalar!B5")
    assert issue[C.ISSUE_CODE] == "identity_mismatch"
    assert issue[C.ISSUE_MESSAGE] == "Yıl: dosyada 2024, beklenen 2023; dosya okunmadı"
    assert read.data["items"].empty
    assert len(read.quarantine["items"]) == 4 and len(read.quarantine["values"]) == 3
    assert set(read.quarantine["items"][ISSUE_CODES]) == {"identity_mismatch"}
    assert read_form(blank, TOY, expect={"year": (2023, 2024)}).ok


def test_key_edited_by_hand_is_refused(blank):
    wb = openpyxl.load_workbook(blank)
    key = wb[KEY_SHEET]
    key["B4"] = key["B4"].value.replace('"saglik"', '"ulasim"')
    wb.save(blank)
    read = read_form(blank, TOY)
    assert read.refused and read.issues[C.ISSUE_CODE].tolist() == ["form_key_damaged"]


def test_not_a_form_missing_and_broken_files(tmp_path):
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    cases = {plain: "not_a_form", tmp_path / "absent.xlsx": "file_not_found", broken: "file_unreadable"}
    for path, code in cases.items():
        read = read_form(path, TOY)
        assert read.refused and read.issues[C.ISSUE_CODE].tolist() == [code]
        assert read.issues[C.ISSUE_FILE].tolist() == [path.name]


def test_another_form_kind_or_version_is_refused(tmp_path, blank):
    other = TOY.model_copy(update={"kind": "other_form"})
    read = read_form(blank, other)
    assert read.refused and read.issues[C.ISSUE_CODE].tolist() == ["wrong_form"]
    newer = TOY.model_copy(update={"version": 2})
    assert read_form(blank, newer).issues[C.ISSUE_CODE].tolist() == ["form_version"]


def test_inserted_column_is_found_by_header_and_reported_once(blank):
    wb = openpyxl.load_workbook(blank)
    ws = wb["Kalemler"]
    ws.insert_cols(3)
    ws["C4"], ws["C5"] = "Notum", "bir not"
    ws["E5"], ws["F5"] = "Sürüyor", 30  # status and progress moved one column right
    ws["L5"] = "yapılıyor"
    wb.save(blank)
    read = read_form(blank, TOY)
    assert read.ok
    moved = read.issues[read.issues[C.ISSUE_CODE] == "structure_changed"]
    assert moved["cell"].tolist() == ["Kalemler!D4", "Kalemler!C4"]
    assert "'Alan' C→D" in moved[C.ISSUE_MESSAGE].iloc[0]
    assert "1 dolu hücresi okunmadı" in moved[C.ISSUE_MESSAGE].iloc[1]
    k1 = read.data["items"].set_index("code").loc["K1"]
    assert (k1["status"], k1["progress"]) == ("doing", 30.0)
    assert read.cells("items", "status").iloc[0] == "Kalemler!E5"


def test_deleted_column_refuses_the_sheet(blank):
    wb = openpyxl.load_workbook(blank)
    wb["Kalemler"].delete_cols(5)  # İlerleme (%)
    wb["Kalemler"]["D5"] = "Bitti"
    wb.save(blank)
    read = read_form(blank, TOY)
    errors = read.errors
    assert len(errors) == 1
    issue = errors.iloc[0]
    assert (issue["cell"], issue[C.ISSUE_CODE]) == ("Kalemler!E4", "structure_changed")
    assert "'İlerleme (%)' sütunu bulunamadı" in issue[C.ISSUE_MESSAGE]
    assert read.data["items"].empty and len(read.quarantine["items"]) == 4
    assert not read.data["values"].empty  # the other sheet is still read


def test_deleted_renamed_and_duplicated_rows(blank):
    wb = openpyxl.load_workbook(blank)
    ws = wb["Kalemler"]
    ws.delete_rows(6)  # K2 gone
    ws["A6"] = "K1"  # K3 edited into a second K1
    del wb["Değerler"]  # a sheet deleted
    wb.save(blank)
    read = read_form(blank, TOY)
    codes = read.issues[[C.ISSUE_CODE, C.ISSUE_VALUE, "cell"]].to_dict("records")
    assert {"code": "duplicate_row", "value": "K1", "cell": "Kalemler!A6"} in codes
    assert {"code": "row_missing", "value": "K2", "cell": ""} in codes
    assert {"code": "row_missing", "value": "K3", "cell": ""} in codes
    assert read.missing_rows["items"]["code"].tolist() == ["K2", "K3"]
    sheet_missing = read.issues[read.issues[C.ISSUE_CODE] == "sheet_missing"]
    assert sheet_missing[C.ISSUE_MESSAGE].tolist() == [
        "'Değerler' sayfası yok (silinmiş ya da adı değiştirilmiş); 3 satırı okunamadı"
    ]
    recon = read.reconciliation.set_index("sheet")
    assert recon.loc["items", "missing"] == 2 and recon.loc["values", "missing"] == 3
    _recon_ok(read)


def test_formulas_in_fill_cells(blank):
    _edit(blank, {"Kalemler": {"D5": "Sürüyor", "F5": "=2+3", "K5": "x"}})
    read = read_form(blank, TOY)  # saved by openpyxl: the formula has no computed value
    issue = _issue(read, "Kalemler!F5")
    assert (issue[C.ISSUE_CODE], issue[C.ISSUE_SEVERITY]) == ("formula_in_cell", C.ERROR)


def test_formula_with_a_cached_value_is_read_with_a_warning(blank):
    _edit(blank, {"Kalemler": {"D5": "Sürüyor", "F5": "=2+3", "K5": "x"}})
    # put a cached value in the cell, as Excel does when it saves
    with zipfile.ZipFile(blank) as src:
        items = {i.filename: src.read(i.filename) for i in src.infolist()}
    name = next(n for n, d in items.items() if n.startswith("xl/worksheets/") and b"<f>2+3</f>" in d)
    items[name] = items[name].replace(b"<f>2+3</f><v />", b"<f>2+3</f><v>5</v>")
    with zipfile.ZipFile(blank, "w") as dst:
        for n, d in items.items():
            dst.writestr(n, d)
    read = read_form(blank, TOY)
    issue = _issue(read, "Kalemler!F5")
    assert (issue[C.ISSUE_CODE], issue[C.ISSUE_SEVERITY]) == ("formula_in_cell", C.WARNING)
    assert read.data["items"].set_index("code").loc["K1", "count"] == 5


def test_messages_in_english(tmp_path):
    path = tmp_path / "toy.xlsx"
    write_form(TOY, path, identity=IDENTITY, rows=toy_rows(), lang="en")
    _edit(path, {"Items": {"D5": "Done", "E5": 101}})
    read = read_form(path, TOY, lang="en")
    assert _issue(read, "Items!E5")[C.ISSUE_MESSAGE] == "outside the allowed range (0 to 100)"
    assert _issue(read, "Items!K5")[C.ISSUE_MESSAGE] == "Describe what was done"
    assert read.data["items"].empty or (read.data["items"]["code"] != "K1").all()


def test_required_field_of_a_filled_row(blank):
    _edit(blank, {"Kalemler": {"E5": 10}})
    read = read_form(blank, TOY)
    issue = _issue(read, "Kalemler!D5")
    assert issue[C.ISSUE_CODE] == "missing_value"
    assert issue[C.ISSUE_MESSAGE] == "'Durum' boş; satır doldurulduğunda zorunludur"


def test_cells_helper_aligns_with_data(blank):
    read = read_form(blank, TOY)
    assert read.cells("items", "spent").tolist() == [f"Kalemler!H{r}" for r in (5, 6, 7, 8)]
    assert np.array_equal(read.data["items"]["row_index"], [0, 1, 2, 3])


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_round_trip_with_prefilled_values(tmp_path, lang):
    rows = toy_rows()
    rows["items"] = rows["items"].assign(status=["todo", None, "done", None], spent=[12345, None, None, None])
    path = tmp_path / "pre.xlsx"
    write_form(TOY, path, identity=IDENTITY, rows=rows, lang=lang)
    read = read_form(path, TOY, lang=lang)
    items = read.data["items"].set_index("code")
    assert items.loc["K1", "spent"] == 12345 and items.loc["K1", "status"] == "todo"
    assert _issue(read, f"{'Kalemler' if lang == 'tr' else 'Items'}!K7")[C.ISSUE_CODE] == "required_if"
