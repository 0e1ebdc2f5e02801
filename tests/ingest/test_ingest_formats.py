"""The same budget as clean CSV, messy Windows-1254 CSV, Excel and Parquet reads to identical canonical frames."""

import pandas as pd
import pytest
from ingest_helpers import DATA, single

from gcdb import columns as C
from gcdb.read import (
    budget_from_frame,
    population_from_frame,
    read_budget,
    read_population,
    read_table,
    read_usage,
    usage_from_frame,
)
from gcdb.schemas import budget_schema, usage_schema

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")

# the committed fixtures (tests/ingest/data/make_fixtures.py) hold these lines; amounts in kuruş
EXPECTED = pd.DataFrame(
    {
        C.FISCAL_YEAR: [2023] * 5,
        C.LINE_ID: ["1", "2", "3", "4", "5"],
        C.INSTITUTIONAL_CODE: ["46.34.01.16", "46.34.01.16", "46.34.01.09", "46.34.01.22", "46.34.01.16"],
        C.UNIT_NAME: [
            "Kadın ve Aile Hizmetleri Dairesi Başkanlığı",
            "Kadın ve Aile Hizmetleri Dairesi Başkanlığı",
            "Sağlık Dairesi Başkanlığı",
            "Gençlik ve Spor Müdürlüğü",
            "Kadın ve Aile Hizmetleri Dairesi Başkanlığı",
        ],
        C.FUNCTIONAL_CODE: ["10.4.0.00", "10.4.0.00", "07.2.1.00", "08.1.0.00", "09.1.1.00"],
        C.FINANCING_TYPE: ["5", "5", "5", "7", "8"],
        C.ECONOMIC_CODE: ["03.5.1.08", "03.2.1.01", "06.1.2.01", "05.3.1.02", "03.5.2.01"],
        C.DESCRIPTION: [
            "KADIN DAYANIŞMA EVİ İAŞE GİDERLERİ",
            "KREŞ KIRTASİYE ALIMLARI",
            "SAĞLIK MERKEZİ YAPIMI",
            "AMATÖR SPOR KULÜPLERİNE YARDIM",
            "ÇOCUK ETKİNLİKLERİ HİZMET ALIMI",
        ],
        C.INITIAL_APPROPRIATION: [123456789, 29, 9876543210987, 100000, 25000000],
        C.REVISED_APPROPRIATION: [130000000, 29, 9876543210987, 150000, 24000000],
        C.EXPENDITURE: [125000029, 0, 1234560, 150000, 0],
    }
).astype({C.FISCAL_YEAR: "int64", **{p: "int64" for p in C.PHASES}})

SHAPES = ["budget_clean.csv", "budget_tr_cp1254.csv", "budget.xlsx", "budget.parquet"]


@pytest.mark.parametrize("name", SHAPES)
def test_every_shape_reads_to_the_same_canonical_frame(name):
    result = read_budget(DATA / name)
    assert result.ok and result.issues.empty, result.issues.to_string()
    budget_schema().validate(result.data)
    pd.testing.assert_frame_equal(result.data.drop(columns=C.SOURCE_ROW), EXPECTED)
    assert result.reconciliation.set_index("measure").loc[C.INITIAL_APPROPRIATION].tolist() == [
        EXPECTED[C.INITIAL_APPROPRIATION].sum(),
        EXPECTED[C.INITIAL_APPROPRIATION].sum(),
        0,
        0,
    ]


def test_the_messy_file_really_is_windows_1254_with_title_and_blank_rows():
    raw = (DATA / "budget_tr_cp1254.csv").read_bytes()
    assert b"\xdd" in raw  # İ in Windows-1254
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    table = read_table(DATA / "budget_tr_cp1254.csv", kind="budget")
    assert (table.encoding, table.separator, table.header_row, table.blank_rows) == ("cp1254", ";", 3, 2)
    # every row that is not data or the header is counted as skipped: the title, the blank lines above and below
    assert table.skipped.to_dict("list") == {"row": [1, 2, 7], "reason": ["title", "blank", "blank"]}
    result = read_budget(DATA / "budget_tr_cp1254.csv")
    # rows numbered as in the file: header on line 3, a blank line after the third budget line
    assert result.data[C.SOURCE_ROW].tolist() == [4, 5, 6, 8, 9]
    assert result.columns_map["BAŞLANGIÇ ÖDENEĞİ"] == C.INITIAL_APPROPRIATION


def test_utf8_bom_usage_file_reads_with_turkish_headers():
    table = read_table(DATA / "usage_bom.csv", kind="usage")
    assert table.headers[0] == "Kayıt No"  # BOM stripped
    result = read_usage(DATA / "usage_bom.csv")
    assert result.ok, result.issues.to_string()
    usage_schema().validate(result.data)
    assert result.data[C.DISTRICT].tolist() == ["Kadıköy", "Şişli", "Esenyurt", "Kadıköy"]
    assert result.data[C.NEIGHBOURHOOD].tolist()[:2] == ["Caferağa", "Feriköy"]
    assert result.data[C.QUANTITY].tolist() == [1.0, 2.5, 1.0, 1.0]


def test_budget_from_a_dataframe_equals_reading_the_file():
    frame = pd.read_csv(DATA / "budget_clean.csv", dtype=str)
    from_frame = budget_from_frame(frame)
    from_file = read_budget(DATA / "budget_clean.csv")
    pd.testing.assert_frame_equal(from_frame.data, from_file.data)


def test_typed_dataframe_amounts_in_lira_floats_and_integers():
    frame = EXPECTED.copy()
    for p in C.PHASES:
        frame[p] = frame[p] / 100  # lira as floats, as embedding software might hand them over
    result = budget_from_frame(frame)
    assert result.ok
    pd.testing.assert_frame_equal(result.data.drop(columns=C.SOURCE_ROW), EXPECTED)


def test_headers_in_any_case_and_spelling(write):
    text = (
        "MALİ YIL,satir_no,KURUMSAL KOD,fonksiyonel kod,Finansman Tipi,EKONOMİK KOD,açıklama,"
        "Başlangıç Ödeneği (TL),Yıl Sonu Ödeneği,Gerçekleşme,Faaliyet Kodu,Proje Kodu,Fazladan\n"
        "2023,7,46.34.01.16,10.4.0.00,5,03.5.1.08,X,10.50,11,9,F1,P9,x\n"
    )
    result = read_budget(write("b.csv", text))
    assert result.ok, result.issues.to_string()
    assert result.data[[C.INITIAL_APPROPRIATION, C.REVISED_APPROPRIATION, C.EXPENDITURE]].values.tolist() == [
        [1050, 1100, 900]
    ]
    assert result.data[C.ACTIVITY_CODE].tolist() == ["F1"] and result.ignored_columns == ("Fazladan",)


def test_user_aliases_extend_the_table(write):
    text = (
        "Yıl;No;Kurum;Fonk;Fin;Eko;Ne;Plan;Revize;Fiili\n2023;1;46.34.01.16;10.4.0.00;5;03.5.1.08;X;1;1;1\n"
    )
    path = write("b.csv", text)
    assert not read_budget(path).ok
    aliases = {
        "No": "line_id",
        "Kurum": "institutional_code",
        "Fonk": "functional_code",
        "FIN": "financing_type",
        "eko": "economic_code",
        "Ne": "description",
        "Plan": "initial_appropriation",
        "Revize": "revised_appropriation",
        "Fiili": "expenditure",
    }
    result = read_budget(path, aliases=aliases)
    assert result.ok and result.data[C.EXPENDITURE].tolist() == [100]


def test_tab_separated_and_plain_thousands(write):
    header = "\t".join(
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
    row = "\t".join(
        ["2023", "1", "46.34.01.16", "10.4.0.00", "5", "03.5.1.08", "X", "1,234,567.89", "1,000", "0.5"]
    )
    result = read_budget(write("b.tsv", header + "\n" + row + "\n"))
    assert result.ok
    assert result.data[[C.INITIAL_APPROPRIATION, C.REVISED_APPROPRIATION, C.EXPENDITURE]].values.tolist() == [
        [123456789, 100000, 50]
    ]


def test_excel_sheet_choice_and_missing_sheet(tmp_path):
    import xlsxwriter

    from gcdb.errors import DataValidationError

    path = tmp_path / "b.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Kapak").write_string(0, 0, "Kapak sayfası")
    sheet = book.add_worksheet("Veri")
    for j, h in enumerate(
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
    ):
        sheet.write_string(0, j, h)
    for j, v in enumerate([2023, 1, "46.34.01.16", 104000, 5, "03.5.1.08", "X", 0.29, 1.1, 0.1 + 0.2]):
        sheet.write(1, j, v)
    book.close()
    result = read_budget(path, sheet="Veri")
    assert result.ok
    assert result.data[[C.INITIAL_APPROPRIATION, C.REVISED_APPROPRIATION, C.EXPENDITURE]].values.tolist() == [
        [29, 110, 30]
    ]
    assert result.data[C.FUNCTIONAL_CODE].tolist() == ["10.4.0.00"]
    with pytest.raises(DataValidationError, match="no sheet 'Yok'"):
        read_budget(path, sheet="Yok")


def test_fiscal_year_for_files_without_a_year_column(budget_file):
    no_year = budget_file({"Yıl": None}, {})
    assert single(read_budget(no_year), "missing_column")["column"] == C.FISCAL_YEAR
    result = read_budget(no_year, fiscal_year=2024)
    assert result.ok and result.data[C.FISCAL_YEAR].tolist() == [2024, 2024]
    with_year = budget_file({}, {"Yıl": "2022"})
    found = single(read_budget(with_year, fiscal_year=2023), "invalid_value")
    assert (found["row"], found["column"], found["value"]) == (3, "Yıl", "2022")


@pytest.mark.parametrize(
    ("reader", "path", "options"),
    [
        (budget_from_frame, "budget.xlsx", {}),
        (usage_from_frame, "usage_bom.csv", {}),
        (population_from_frame, "population.csv", {}),
    ],
)
def test_canonical_output_read_back_is_unchanged(reader, path, options):
    first = {"budget.xlsx": read_budget, "usage_bom.csv": read_usage, "population.csv": read_population}[path]
    data = first(DATA / path).data
    again = reader(data.drop(columns=C.SOURCE_ROW), **options)
    assert again.ok, again.issues.to_string()
    pd.testing.assert_frame_equal(again.data, data)


def test_bad_reader_options_are_usage_errors(budget_file):
    from gcdb.errors import UsageError

    with pytest.raises(UsageError, match="money_unit"):
        read_budget(budget_file({}), money_unit="dollars")
    with pytest.raises(UsageError, match="fiscal_year"):
        read_budget(budget_file({}), fiscal_year="2023")
