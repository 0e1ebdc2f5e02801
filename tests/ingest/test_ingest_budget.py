"""Every budget check: a bad file, and the issue code, row (header = row 1) and column (header as written)."""

import pandas as pd
import pytest
from ingest_helpers import issue, single

from gcdb import columns as C
from gcdb.errors import DataValidationError
from gcdb.read import read_budget

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")


def test_good_budget_file_has_no_issues_and_exact_kurus(budget_file):
    result = read_budget(
        budget_file({}, {"Başlangıç Ödeneği": "0,29", "Revize Ödenek": "0,29", "Harcama": "0"})
    )
    assert result.ok and result.issues.empty
    assert result.data[C.INITIAL_APPROPRIATION].tolist() == [100000, 29]
    assert result.data[C.REVISED_APPROPRIATION].tolist() == [120050, 29]
    assert result.data[C.EXPENDITURE].tolist() == [90025, 0]
    assert result.data[C.SOURCE_ROW].tolist() == [2, 3]
    assert result.data[C.INITIAL_APPROPRIATION].dtype == "int64"


def test_missing_required_columns_stop_reading_and_name_what_is_missing_and_found(budget_file):
    path = budget_file({"Kurumsal Kod": None, "Harcama": None}, {})
    result = read_budget(path)
    missing = issue(result, "missing_column")
    assert sorted(missing["column"]) == [C.EXPENDITURE, C.INSTITUTIONAL_CODE]
    assert missing["row"].isna().all()
    message = missing["message"].iloc[0]
    assert "'institutional_code' (Institutional code)" in message and "'expenditure' (Expenditure)" in message
    assert "Columns found: 'Yıl', 'Satır No'" in message
    assert result.data.empty and not result.ok and result.refused
    # nothing is lost: every row is held back with its original text
    assert len(result.quarantine) == 2 and result.quarantine["Satır No"].tolist() == ["1", "2"]
    assert result.reconciliation.set_index("measure").loc["rows"].tolist() == [2, 0, 2, 0]


def test_two_headers_meaning_the_same_column_are_a_file_level_error(write):
    path = write(
        "b.csv",
        "Yıl;Satır No;Kurumsal Kod;Fonksiyonel Kod;Finansman Tipi;Ekonomik Kod;Açıklama;"
        "Başlangıç Ödeneği;Revize Ödenek;Yıl Sonu Ödeneği;Harcama\n"
        "2023;1;46.34.01.16;10.4.0.00;5;03.5.1.08;X;1;2;2;1\n",
    )
    found = single(read_budget(path), "duplicate_column")
    assert found["row"] == 1 and found["column"] == "Yıl Sonu Ödeneği"
    assert "'Revize Ödenek', 'Yıl Sonu Ödeneği'" in found["message"]
    # the fix the message suggests works
    fixed = read_budget(path, aliases={"Yıl Sonu Ödeneği": None})
    assert fixed.ok and fixed.ignored_columns == ("Yıl Sonu Ödeneği",)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("abc", "not a number"),
        ("1.234,567", "more than 2 decimal places"),
        ("12,5,0", "not a number"),
        ("1.23.4", "not a number"),
    ],
)
def test_unparseable_amount_is_an_error_at_its_row_and_column(budget_file, text, reason):
    result = read_budget(budget_file({}, {"Revize Ödenek": text}))
    found = single(result, "unparseable_number")
    assert (found["row"], found["column"], found["value"]) == (3, "Revize Ödenek", text)
    assert reason in found["message"]
    assert result.data["line_id"].tolist() == ["1"]
    assert result.quarantine["Revize Ödenek"].tolist() == [text]


def test_extra_decimal_zeros_are_accepted(budget_file):
    result = read_budget(budget_file({"Başlangıç Ödeneği": "1234,500"}))
    assert result.ok and result.data[C.INITIAL_APPROPRIATION].tolist() == [123450]


def test_unparseable_year_is_an_error(budget_file):
    found = single(read_budget(budget_file({}, {}, {"Yıl": "2023a"})), "unparseable_number")
    assert (found["row"], found["column"]) == (4, "Yıl")


def test_negative_appropriation_is_an_error_negative_expenditure_a_warning(budget_file):
    result = read_budget(budget_file({"Başlangıç Ödeneği": "-5,00"}, {"Harcama": "-1,50"}))
    neg = issue(result, "negative_amount")
    assert neg[["row", "column", "severity"]].values.tolist() == [
        [2, "Başlangıç Ödeneği", "error"],
        [3, "Harcama", "warning"],
    ]
    # the warning keeps its row, negative amount exact
    assert result.data["line_id"].tolist() == ["2"] and result.data[C.EXPENDITURE].tolist() == [-150]


@pytest.mark.parametrize("negative", ["-1.234,56", "(1.234,56)", "1.234,56-"])
def test_negative_forms(budget_file, negative):
    result = read_budget(budget_file({"Harcama": negative}))
    assert result.data[C.EXPENDITURE].tolist() == [-123456]


def test_expenditure_above_revised_appropriation_is_a_warning_and_the_row_is_kept(budget_file):
    result = read_budget(budget_file({}, {"Revize Ödenek": "100,00", "Harcama": "100,01"}))
    found = single(result, "expenditure_exceeds_revised")
    assert (found["row"], found["column"], found["severity"], found["value"]) == (
        3,
        "Harcama",
        "warning",
        "100,01",
    )
    assert found["message"] == "expenditure 100.01 TL exceeds the revised appropriation 100.00 TL"
    assert result.ok and len(result.data) == 2 and result.quarantine.empty


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("Kurumsal Kod", "46.34.1.16"),
        ("Kurumsal Kod", "4634011"),
        ("Fonksiyonel Kod", "10.4.0"),
        ("Fonksiyonel Kod", "1040"),
        ("Fonksiyonel Kod", "10400"),  # truncated, not a lost leading zero (second level would be 0)
        ("Ekonomik Kod", "03.05.1.08"),
        ("Ekonomik Kod", "3.5.1.8"),
        ("Finansman Tipi", "05"),
        ("Finansman Tipi", "X"),
    ],
)
def test_malformed_classification_codes(budget_file, column, value):
    found = single(read_budget(budget_file({}, {column: value})), "malformed_code")
    assert (found["row"], found["column"], found["value"]) == (3, column, value)


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("Kurumsal Kod", "46340116", "46.34.01.16"),
        ("Kurumsal Kod", "46 34 01 16", "46.34.01.16"),
        ("Fonksiyonel Kod", "104000", "10.4.0.00"),
        ("Fonksiyonel Kod", "11100", "01.1.1.00"),  # leading zero lost in a spreadsheet
        ("Ekonomik Kod", "35108", "03.5.1.08"),
        ("Ekonomik Kod", "03-5-1-08", "03.5.1.08"),
    ],
)
def test_compact_codes_are_normalised_to_the_dotted_form(budget_file, column, value, expected):
    result = read_budget(budget_file({column: value}))
    name = {
        "Kurumsal Kod": C.INSTITUTIONAL_CODE,
        "Fonksiyonel Kod": C.FUNCTIONAL_CODE,
        "Ekonomik Kod": C.ECONOMIC_CODE,
    }
    assert result.ok and result.data[name[column]].tolist() == [expected]


def test_duplicate_line_id_within_a_fiscal_year_quarantines_every_copy(budget_file):
    result = read_budget(budget_file({}, {"Satır No": "1"}, {"Yıl": "2024", "Satır No": "1"}))
    dup = issue(result, "duplicate_id")
    assert dup[["row", "column", "value"]].values.tolist() == [[2, "Satır No", "1"], [3, "Satır No", "1"]]
    assert "rows 2, 3" in dup["message"].iloc[0]
    # the same id in another year is fine
    assert result.data[C.FISCAL_YEAR].tolist() == [2024]


def test_blank_required_text_is_missing_value_error(budget_file):
    found = single(read_budget(budget_file({}, {"Açıklama": "  "})), "missing_value")
    assert (found["row"], found["column"], found["severity"]) == (3, "Açıklama", "error")


def test_blank_amount_reads_as_zero_with_a_warning_and_a_dash_is_zero(budget_file):
    result = read_budget(budget_file({"Harcama": ""}, {"Harcama": "-"}))
    found = single(result, "missing_value")
    assert (found["row"], found["column"], found["severity"]) == (2, "Harcama", "warning")
    assert result.data[C.EXPENDITURE].tolist() == [0, 0]


def test_quarter_and_implausible_year_are_invalid_values(budget_file):
    path = budget_file({"Çeyrek": "2"}, {"Çeyrek": "5"}, {"Çeyrek": "Q3"}, {"Yıl": "1850", "Çeyrek": "4"})
    result = read_budget(path)
    bad = issue(result, "invalid_value")
    assert bad[["row", "column", "value"]].values.tolist() == [[3, "Çeyrek", "5"], [5, "Yıl", "1850"]]
    assert result.data[C.QUARTER].tolist() == [2, 3]


def test_strict_mode_raises_with_the_same_issues_table(budget_file):
    path = budget_file({}, {"Harcama": "x"})
    with pytest.raises(DataValidationError) as info:
        read_budget(path, strict=True)
    pd.testing.assert_frame_equal(info.value.issues, read_budget(path).issues)
    assert "unparseable_number" in str(info.value)
    # warnings alone do not raise
    assert read_budget(budget_file({"Harcama": "5.000,00"}), strict=True).ok


def test_file_not_found_unsupported_and_unreadable_raise_with_an_issue(tmp_path, write):
    with pytest.raises(DataValidationError) as info:
        read_budget(tmp_path / "nope.csv")
    assert info.value.issues["code"].tolist() == ["file_not_found"]
    with pytest.raises(DataValidationError) as info:
        read_budget(write("b.pdf", "x"))
    assert info.value.issues["code"].tolist() == ["unsupported_format"]
    with pytest.raises(DataValidationError) as info:
        read_budget(write("b.xls", "x"))
    assert "save old .xls workbooks as .xlsx" in str(info.value)
    bad_bytes = tmp_path / "bad.csv"
    bad_bytes.write_bytes(b"Y\xfdl;A\n\x81\x8d;1\n")  # 0x81 is undefined in Windows-1254
    with pytest.raises(DataValidationError) as info:
        read_budget(bad_bytes)
    assert info.value.issues["code"].tolist() == ["file_unreadable"]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataValidationError) as info:
        read_budget(broken)
    assert info.value.issues["code"].tolist() == ["file_unreadable"]


def test_ragged_csv_row_is_unreadable_with_a_hint(write):
    path = write("b.csv", "Yıl;Satır No\n2023;1\n2023;2;extra\n")
    with pytest.raises(DataValidationError, match="more fields than the header"):
        read_budget(path)


def test_empty_file_and_header_only_file(write):
    empty = read_budget(write("e.csv", ""))
    assert single(empty, "empty_file")["severity"] == "error" and empty.data.empty
    header_only = read_budget(
        write(
            "h.csv",
            ";".join(
                [
                    "Yıl",
                    "Satır No",
                    "Kurumsal Kod",
                    "Fonksiyonel Kod",
                    "Finansman Tipi",
                    "Ekonomik Kod",
                    "Açıklama",
                    "Başlangıç Ödeneği",
                    "Revize Ödenek",
                    "Harcama",
                ]
            )
            + "\n",
        )
    )
    found = single(header_only, "empty_file")
    assert found["severity"] == "warning" and header_only.ok and header_only.data.empty
    assert list(header_only.data.columns)[:2] == [C.FISCAL_YEAR, C.LINE_ID]


def test_long_duplicate_groups_list_ten_rows_and_count_them_all(budget_file):
    result = read_budget(budget_file(*({"Satır No": "7"} for _ in range(12))))
    dup = issue(result, "duplicate_id")
    assert len(dup) == 12 and result.data.empty
    message = dup["message"].iloc[0]
    assert message.startswith("line id appears 12 times in its fiscal year (rows 2, 3,")
    assert message.endswith("11, …)")
    assert result.quarantine["issue_codes"].unique().tolist() == ["duplicate_id"]


def test_quarantine_joins_every_code_of_a_row(budget_file):
    result = read_budget(budget_file({}, {"Kurumsal Kod": "4", "Başlangıç Ödeneği": "x", "Harcama": ""}))
    assert result.quarantine["issue_codes"].tolist() == ["missing_value|unparseable_number|malformed_code"]
    assert result.quarantine[["Kurumsal Kod", "Başlangıç Ödeneği"]].values.tolist() == [["4", "x"]]


def test_title_rows_unnamed_columns_and_blank_rows(write):
    text = (
        "T.C. ÖRNEK BELEDİYESİ;;;;;;;;;;;\n"
        "2023 Mali Yılı Bütçesi;;;;;;;;;;;\n"
        "Yıl;Satır No;Kurumsal Kod;Fonksiyonel Kod;Finansman Tipi;Ekonomik Kod;Açıklama;Başlangıç Ödeneği;"
        "Revize Ödenek;Harcama;;\n"
        "2023;1;46.34.01.16;10.4.0.00;5;03.5.1.08;X;1,00;1,00;1,00;not;\n"
        ";;;;;;;;;;;\n"
        "2023;2;46.34.01.16;10.4.0.00;5;03.5.1.08;Y;2,00;2,00;2,00;;\n"
    )
    result = read_budget(write("b.csv", text))
    assert result.ok and result.header_row == 3 and result.blank_rows == 1
    assert result.data[C.SOURCE_ROW].tolist() == [4, 6]
    assert result.ignored_columns == ("column_11",)  # unnamed column with a value; the empty one is dropped
