"""Nothing lost silently: the sheet read is said, formulas without values and absurd amounts are errors, totals
never wrap, mixed encodings are reported, and every row is valid, quarantined or skipped."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from adversarial_helpers import GOOD_BUDGET, balanced, cli, csv_text, issues_of, table, write_csv

from gcdb import columns as C
from gcdb.errors import DataValidationError
from gcdb.money import INT64_MAX, MoneyOverflowError, checked_sum, exact_sum
from gcdb.read import ReadLimits, read_budget, read_usage
from gcdb.scale.chunks import ChunkedRead, read_budget_chunks


def _workbook(path, sheets: dict[str, pd.DataFrame], hidden: tuple[str, ...] = ()):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        ws = book.create_sheet(name)
        ws.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            ws.append(list(row))
        if name in hidden:
            ws.sheet_state = "hidden"
    book.save(path)
    return path


def test_hidden_first_sheet_is_passed_over_for_the_visible_data(tmp_path):
    stale = table("budget", [{"Açıklama": "ESKİ TASLAK", "Harcama": "1,00"}] * 3)
    data = table("budget", [{}, {}])
    path = _workbook(tmp_path / "b.xlsx", {"Taslak": stale, "Bütçe": data}, hidden=("Taslak",))
    result = read_budget(path)
    assert result.sheet == "Bütçe" and result.data[C.DESCRIPTION].tolist() == ["KADIN DAYANIŞMA EVİ"] * 2
    note = issues_of(result, "sheet_chosen").iloc[0]
    assert "'Taslak' (gizli)" in note["message"] and note["severity"] == "warning"
    balanced(result, 2)
    run = cli("validate", "budget", path)
    assert run.code == 0 and "sayfa 'Bütçe'" in run.out and "'Taslak' (gizli)" in run.out


def test_other_visible_sheets_are_listed_and_sheet_picks_one(tmp_path):
    first = table("budget", [{}])
    second = table("budget", [{}, {}, {}])
    path = _workbook(tmp_path / "b.xlsx", {"2023": first, "2024": second})
    result = read_budget(path)
    assert (
        result.sheet == "2023" and "ayrıca '2024' var" in issues_of(result, "sheet_chosen")["message"].iloc[0]
    )
    balanced(result, 1)
    chosen = read_budget(path, sheet="2024")
    assert chosen.sheet == "2024" and len(chosen.data) == 3 and issues_of(chosen, "sheet_chosen").empty
    balanced(chosen, 3)
    by_name = cli("validate", "budget", path, "--sheet", "2024", "--lang", "en")
    by_number = cli("validate", "budget", path, "--sheet", "2", "--lang", "en")
    assert by_name.code == by_number.code == 0
    assert "sheet '2024'" in by_name.out and "sheet '2024'" in by_number.out


def test_unknown_sheet_is_an_answer_listing_the_sheets(tmp_path):
    path = _workbook(tmp_path / "b.xlsx", {"Bütçe": table("budget", [{}])})
    with pytest.raises(DataValidationError, match="'Gider' adlı sayfa yok; sayfalar: 'Bütçe'"):
        read_budget(path, sheet="Gider")
    run = cli("validate", "budget", path, "--sheet", "Gider")
    assert run.code == 1 and "b.xlsx" in run.err and "'Gider' adlı sayfa yok" in run.err


def test_formula_without_a_cached_value_is_an_error_naming_the_cell(tmp_path):
    frame = table("budget", [{}, {}])
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append(list(row))
    ws["K3"] = "=I3*0.9"  # openpyxl writes the formula without a computed value
    path = tmp_path / "b.xlsx"
    book.save(path)
    result = read_budget(path)
    hit = issues_of(result, "formula_without_value").iloc[0]
    assert (hit["row"], hit["column"], hit["value"]) == (3, "Harcama", "K3")
    assert 3 in set(result.quarantine[C.SOURCE_ROW]) and result.data[C.SOURCE_ROW].tolist() == [2]
    balanced(result, 2)
    run = cli("validate", "budget", path)
    assert run.code == 1 and "b.xlsx:3 [Harcama]" in run.out and "K3 hücresi" in run.out


def test_absurd_amounts_are_errors_and_totals_never_wrap(tmp_path):
    rows = [{"Başlangıç Ödeneği": "999.999.999.999.999,99"}] * 100 + [{}]
    path = write_csv(tmp_path / "b.csv", "budget", rows)
    result = read_budget(path)
    found = issues_of(result, "amount_out_of_range")
    assert len(found) == 100 and set(found["column"]) == {"Başlangıç Ödeneği"} and found["row"].min() == 2
    rec = result.reconciliation.set_index("measure")
    assert (
        rec.loc[C.INITIAL_APPROPRIATION, "read"] == 100_000
    )  # the one sane line; the absurd ones in no column
    assert (rec.loc[list(C.PHASES), "read"] >= 0).all()
    balanced(result, 101)
    run = cli("validate", "budget", path)
    assert run.code == 1 and "b.csv:2 [Başlangıç Ödeneği]" in run.out and "1.000.000.000.000 TL" in run.out


def test_the_line_bound_is_a_parameter(tmp_path):
    path = write_csv(tmp_path / "b.csv", "budget", [{"Revize Ödenek": "2.000.000.000.000,00"}])
    assert not read_budget(path).ok
    assert read_budget(path, limits=ReadLimits(max_line_amount=10**13)).ok
    assert cli("validate", "budget", path).code == 1
    raised = cli("validate", "budget", path, "--max-line-amount", 10**13)
    assert raised.code == 0, raised.text
    balanced(read_budget(path, limits=ReadLimits(max_line_amount=10**13)), 1)


def test_a_total_beyond_64_bits_is_an_error_never_a_negative_total(tmp_path):
    rows = [{"Başlangıç Ödeneği": "999.999.999.999.999,99"}] * 100
    path = write_csv(tmp_path / "b.csv", "budget", rows)
    with pytest.raises(DataValidationError, match="64 bitlik sınırın") as info:
        read_budget(path, limits=ReadLimits(max_line_amount=10**15))
    assert "b.csv" in str(info.value) and info.value.issues["code"].tolist() == ["total_overflow"]
    run = cli("validate", "budget", path, "--max-line-amount", 10**15)
    assert run.code == 1 and "b.csv" in run.err and "64 bitlik" in run.err
    values = pd.Series([99_999_999_999_999_999] * 100)
    assert exact_sum(values) == 9_999_999_999_999_999_900 > INT64_MAX
    with pytest.raises(MoneyOverflowError):
        checked_sum(values)


def test_mixed_windows_1254_and_utf8_lines_are_read_each_in_its_encoding_and_reported(tmp_path):
    frame = table("budget", [{"Açıklama": "ŞİDDET ÖNLEME"}, {"Açıklama": "ÇOCUK GÜNDÜZ BAKIMI"}, {}])
    lines = csv_text(frame).splitlines(keepends=True)
    raw = (
        lines[0].encode("utf-8")
        + lines[1].encode("utf-8")
        + lines[2].encode("cp1254")
        + lines[3].encode("utf-8")
    )
    path = tmp_path / "b.csv"
    path.write_bytes(raw)
    result = read_budget(path)
    assert result.data[C.DESCRIPTION].tolist() == [
        "ŞİDDET ÖNLEME",
        "ÇOCUK GÜNDÜZ BAKIMI",
        "KADIN DAYANIŞMA EVİ",
    ]
    note = issues_of(result, "mixed_encoding").iloc[0]
    assert note["row"] == 3 and "(3. satırlar)" in note["message"] and "Windows-1254" in note["message"]
    balanced(result, 3)
    run = cli("validate", "budget", path)
    assert run.code == 0 and "mixed_encoding" in run.out and "b.csv:3" in run.out


def test_windows_1254_file_still_reads_as_before(tmp_path):
    path = write_csv(tmp_path / "b.csv", "budget", [{"Açıklama": "ŞİDDET ÖNLEME"}], encoding="cp1254")
    result = read_budget(path)
    assert result.ok and result.issues.empty and result.data[C.DESCRIPTION].tolist() == ["ŞİDDET ÖNLEME"]
    balanced(result, 1)
    assert cli("validate", "budget", path).code == 0


def test_title_blank_and_trailing_rows_are_counted_as_skipped(tmp_path):
    body = csv_text(table("budget", [{}, {}]))
    header, *rows = body.splitlines()
    text = "\n".join(["2023 YILI BÜTÇESİ;;;", ";;;", header, rows[0], ";;;;", rows[1], "", ""]) + "\n"
    path = tmp_path / "b.csv"
    path.write_text(text, encoding="utf-8")
    result = read_budget(path)
    assert result.skipped.to_dict("list") == {
        "row": [1, 2, 5, 7, 8],
        "reason": ["title", "blank", "blank", "blank", "blank"],
    }
    assert result.blank_rows == 4 and result.skipped["row"].dtype == "int64"
    assert result.reconciliation.set_index("measure").loc["rows"].tolist() == [7, 2, 0, 5]
    balanced(result, 7)
    run = cli("validate", "budget", path, "--lang", "en")
    assert run.code == 0 and "5 rows skipped (title 1, blank 4)" in run.out


def test_a_refused_file_still_accounts_for_its_skipped_rows(tmp_path):
    text = "BAŞLIK;;\n" + csv_text(table("budget", [{}, {}])).replace("Harcama", "Bilinmeyen")
    path = tmp_path / "b.csv"
    path.write_text(text + "\n", encoding="utf-8")
    result = read_budget(path)
    assert result.refused and issues_of(result, "missing_column")["column"].tolist() == [C.EXPENDITURE]
    balanced(result, 4)
    run = cli("validate", "budget", path)
    assert run.code == 1 and "expenditure" in run.out


def test_chunked_reading_accounts_for_skipped_rows_like_the_reader(tmp_path):
    header, *rows = csv_text(table("budget", [{}, {}, {}])).splitlines()
    path = tmp_path / "b.csv"
    path.write_text("\n".join(["BAŞLIK;;", header, rows[0], "", rows[1], rows[2]]) + "\n", encoding="utf-8")
    memory = read_budget(path)
    tracker = ChunkedRead()
    for _ in tracker.track(read_budget_chunks(path, chunk_rows=2)):
        pass
    tracker.finish()
    pd.testing.assert_frame_equal(memory.reconciliation, tracker.reconciliation)
    pd.testing.assert_frame_equal(memory.skipped, tracker.skipped)
    balanced(memory, 5)


@pytest.mark.parametrize(
    ("name", "newline"),
    [("cr_only", "\r"), ("crlf", "\r\n")],
)
def test_line_ends_of_any_kind_read_every_row(tmp_path, name, newline):
    path = tmp_path / f"{name}.csv"
    path.write_text(csv_text(table("budget", [{}, {}, {}]), newline=newline), encoding="utf-8", newline="")
    result = read_budget(path)
    assert result.ok and len(result.data) == 3 and result.data[C.SOURCE_ROW].tolist() == [2, 3, 4]
    balanced(result, 3)
    assert cli("validate", "budget", path).code == 0


def test_bare_carriage_return_inside_a_quoted_cell(tmp_path):
    frame = table("budget", [{}, {"Açıklama": '"KADIN\rDAYANIŞMA EVİ"'}, {}])
    path = tmp_path / "b.csv"
    path.write_bytes(csv_text(frame).encode("utf-8"))
    result = read_budget(path)
    assert len(result.data) == 3 and result.data[C.DESCRIPTION].iloc[1] == "KADIN\rDAYANIŞMA EVİ"
    balanced(result, 3)
    assert cli("validate", "budget", path).code == 0


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_excel_unicode_text_utf16_with_bom_tab_separated(tmp_path, encoding):
    text = csv_text(table("budget", [{"Açıklama": "ŞİDDET ÖNLEME"}, {}]), sep="\t", newline="\r\n")
    raw = text.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    path = tmp_path / "b.txt"
    path.write_bytes(raw)
    result = read_budget(path)
    assert result.ok, result.issues.to_string()
    assert result.data[C.DESCRIPTION].tolist() == ["ŞİDDET ÖNLEME", "KADIN DAYANIŞMA EVİ"]
    balanced(result, 2)
    assert cli("validate", "budget", path).code == 0


def test_a_cell_longer_than_the_csv_field_limit(tmp_path):
    long = "KADIN DAYANIŞMA EVİ " * 10_000  # 200,000 characters, beyond csv.field_size_limit()
    path = write_csv(tmp_path / "b.csv", "budget", [{"Açıklama": long}, {}])
    result = read_budget(path)
    assert result.ok and len(result.data[C.DESCRIPTION].iloc[0]) == len(long.strip())
    balanced(result, 2)
    assert cli("validate", "budget", path).code == 0


def test_blank_rows_of_a_usage_workbook_are_skipped_and_counted(tmp_path):
    frame = table("usage", [{}, {}])
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Hizmet kullanım kayıtları 2023"])
    ws.append(list(frame.columns))
    ws.append(list(frame.iloc[0]))
    ws.append([None] * len(frame.columns))
    ws.append(list(frame.iloc[1]))
    path = tmp_path / "u.xlsx"
    book.save(path)
    result = read_usage(path)
    assert result.skipped.to_dict("list") == {"row": [1, 4], "reason": ["title", "blank"]}
    assert result.data[C.SOURCE_ROW].tolist() == [3, 5]
    balanced(result, 4)
    assert cli("validate", "usage", path).code == 0


def test_budget_lines_are_never_dropped_between_reading_and_tagging(tmp_path):
    path = write_csv(tmp_path / "b.csv", "budget", [{}, {"Harcama": "abc"}, {}])
    result = read_budget(path)
    assert len(result.data) == 2 and len(result.quarantine) == 1
    balanced(result, 3)
    assert GOOD_BUDGET["Harcama"] == "900,25"
    run = cli("validate", "budget", path)
    assert run.code == 1 and "b.csv:3 [Harcama]" in run.out
