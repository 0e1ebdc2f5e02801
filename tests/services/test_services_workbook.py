"""The Hizmette Eşitlik workbook read back with openpyxl: sheets, headers, hidden cells, no personal data,
formula-safe text, charts, methodology and data quality."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import UTC, datetime

import openpyxl
import pandas as pd
import pytest
from services_builders import DEMO, small_population, small_usage

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.read import read_usage
from gcdb.report.services import write_services_workbook
from gcdb.services import analyse_services
from gcdb.services import names as S

CREATED = datetime(2024, 3, 8, 9, 30)
DEMO_PERSON = re.compile(rb"P\d{7}")  # the demo's person ids
SMALL_PERSON = re.compile(rb"P\d{5}(?!\d)")  # the small municipality's
#: Usage records with errors: an invalid sex, a missing person id, an unknown district and age.
MESSY = "Kayıt No;Hizmet Kodu;Kişi No;Cinsiyet;İlçe;Yaş\n" + "\n".join(
    [
        "R1;KRS;P7777001;Kadın;Kadıköy;3",
        "R2;KRS;P7777002;Zürafa;Kadıköy;4",
        "R3;KRS;;Erkek;Kadıköy;2",
        "R5;KRS;P7777005;Erkek;Atlantis;200",
    ]
)
#: A file with names: refused by the reader (personal data).
NAMES = (
    "Kayıt No;Hizmet Kodu;Kişi No;Cinsiyet;İlçe;Ad Soyad\nR1;KRS;P7777101;Kadın;Kadıköy;Hatice Karakoçoğlu\n"
)

SERVICE_SHEETS_TR = [
    "KRS Yuvamız İstanbul Kreş Kaydı",
    "SIG Kadın Dayanışma Evi…",
    "DHT Kadın Destek Hattı",
    "SYD Sosyal Yardım",
    "MEK Meslek Edindirme Kursu",
    "EVB Evde Bakım ve Evde Sağlık…",
    "SAG Sağlık Taraması",
    "ENU Engelli Bireyler Ulaşım…",
    "IKK Ücretsiz-İndirimli…",
    "SPR Spor Merkezi Üyeliği",
    "HUK Hukuki Danışmanlık",
    "YAS Yaşlı Gündüz Bakım Merkezi",
    "KOP Kadın Kooperatiflerine…",
]


@pytest.fixture(scope="module")
def read_results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("messy")
    (folder / "kullanim.csv").write_text(MESSY, encoding="utf-8")
    (folder / "adli.csv").write_text(NAMES, encoding="utf-8")
    return [read_usage(folder / "kullanim.csv"), read_usage(folder / "adli.csv")]


@pytest.fixture(scope="module")
def books(demo_analysis, small, read_results, tmp_path_factory):
    """The demo workbook in Turkish (with read results and inputs), and the small municipality's in English."""
    out = tmp_path_factory.mktemp("books")
    inputs = [("usage", DEMO / "usage.parquet"), ("population", DEMO / "population.parquet")]
    tr = write_services_workbook(
        out / "hizmet_tr.xlsx", demo_analysis, read_results=read_results, inputs=inputs, created=CREATED
    )
    en = write_services_workbook(out / "hizmet_en.xlsx", small["analysis"], lang="en", created=CREATED)
    return {"tr": tr.read_bytes(), "en": en.read_bytes()}


def _load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data), read_only=True)


def _visible(book) -> list[str]:
    return [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]


def _rows(book, sheet: str) -> list[tuple]:
    return list(book[sheet].iter_rows(values_only=True))


def _header_row(rows: list[tuple], first: str) -> int:
    for i, row in enumerate(rows):
        if row and row[0] == first:
            return i
    raise AssertionError(f"no header row starting with {first!r}")


def test_sheet_names_in_turkish_and_english(books):
    tr, en = _load(books["tr"]), _load(books["en"])
    assert _visible(tr) == [
        "Özet",
        *SERVICE_SHEETS_TR,
        "İlçeler",
        "Mahalleler",
        "HEAT",
        "Fayda Dağılımı",
        "Göstergeler",
        "Yöntem",
        "Veri Kalitesi",
    ]
    assert _visible(en) == [
        "Summary",
        "A Hizmet A",
        "B Hizmet B",
        "Districts",
        "Neighbourhoods",
        "HEAT",
        "Benefit incidence",
        "Plan indicators",
        "Methodology",
        "Data quality",
    ]
    assert all(len(name) <= 31 for name in tr.sheetnames)


@pytest.mark.parametrize(
    ("lang", "sheet", "headers"),
    [
        (
            "tr",
            "İlçeler",
            ["Mali Yıl", "Hizmet Kodu", "İlçe", "Yararlanıcı", "Nüfus", "Oran (binde)", "Oran GA alt"],
        ),
        (
            "en",
            "Districts",
            ["Fiscal year", "Service code", "District", "Users", "Population", "Rate (per 1,000)"],
        ),
        ("tr", "Özet", ["Hizmet", "Mali Yıl", "Karşılaştırma", "Katman", "Grup", "Referans grup"]),
        ("en", "Summary", ["Service", "Fiscal year", "Comparison", "Within", "Group", "Reference group"]),
    ],
)
def test_headers(books, lang, sheet, headers):
    rows = _rows(_load(books[lang]), sheet)
    row = rows[_header_row(rows, headers[0])]
    assert list(row[: len(headers)]) == headers


def test_hidden_counts_show_as_markers_never_as_numbers(books, demo_analysis):
    rows = _rows(_load(books["tr"]), "İlçeler")
    start = _header_row(rows, "Mali Yıl") + 1
    data = [r for r in rows[start:] if r and r[0] is not None]
    districts = demo_analysis.view("district")
    order = {c: i for i, c in enumerate(demo_analysis.services[C.SERVICE_CODE])}
    districts = districts.assign(_s=districts[C.SERVICE_CODE].map(order)).sort_values(
        [S.FISCAL_YEAR, "_s"], kind="stable"
    )  # the sheet lists services in catalogue order
    assert len(data) == len(districts)
    users = [r[3] for r in data]
    expected = districts[N.SUPPRESSION].map({S.PRIMARY: "<5", S.SECONDARY: "*"}).tolist()
    for shown, kind, value in zip(users, expected, districts[N.USERS], strict=True):
        if isinstance(kind, str):
            assert shown == kind
        else:
            assert shown == int(value)
    assert "<5" in users and "*" in users
    # a district of a handful of users (1–4) is hidden, its rate with it
    small = [r for r, kind in zip(data, expected, strict=True) if kind == "<5"]
    assert small and all(r[5] == "<5" for r in small)


def test_no_person_id_anywhere_in_the_workbook(books, demo_frames):
    assert demo_frames["usage"][C.PERSON_ID].str.fullmatch(r"P\d{7}").all()
    for data in books.values():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                content = archive.read(name)
                assert not DEMO_PERSON.search(content), name
                assert not SMALL_PERSON.search(content), name
                assert b"P7777" not in content and "Karakoçoğlu".encode() not in content, name


def test_data_quality_sheet_lists_issues_and_quarantine_without_personal_data(books):
    rows = _rows(_load(books["tr"]), "Veri Kalitesi")
    flat = [str(v) for row in rows for v in row if v is not None]
    assert "unknown_sex" in flat and "unknown_district" in flat
    assert "Zürafa" in flat  # an invalid sex code is shown …
    header = _header_row(rows, "Kaynak satır")
    # … the person-id column of the quarantined rows is not, nor sex and age
    assert [v for v in rows[header] if v is not None] == [
        "Kaynak satır",
        "Sorun kodları",
        "Kayıt No",
        "Hizmet Kodu",
        "İlçe",
    ]
    assert [r[0] for r in rows[header + 1 : header + 4]] == [3, 4, 5]
    assert "personal_data" in flat  # the refused file: its issue, never its names


def test_methodology_sheet(books):
    rows = _rows(_load(books["tr"]), "Yöntem")
    values = {row[0]: row[1] for row in rows if row and row[0] is not None and len(row) > 1}
    assert values["Rapor tarihi"] == "2024-03-08 09:30 UTC"
    assert values["Gizleme eşiği k"] == 5
    assert values["z (güven düzeyi %95,0)"] == pytest.approx(1.96)
    flat = [str(v) for row in rows for v in row if v is not None]
    digest = hashlib.sha256((DEMO / "usage.parquet").read_bytes()).hexdigest()
    assert digest in flat and "usage.parquet" in flat
    assert any("methods.md §4" in v for v in flat) and any("methods.md §5" in v for v in flat)
    assert "Birincil (<k)" in flat  # the count of hidden cells
    assert "Diğer tüm gruplar (birlikte)".lower() in [v.lower() for v in flat]


def test_incidence_sheet_prints_the_caveat(books):
    for lang, sheet in (("tr", "Fayda Dağılımı"), ("en", "Benefit incidence")):
        flat = [str(v) for row in _rows(_load(books[lang]), sheet) for v in row if v is not None]
        assert N.INCIDENCE_CAVEAT[lang] in flat


def test_every_service_sheet_has_native_charts(books):
    with zipfile.ZipFile(io.BytesIO(books["tr"])) as archive:
        charts = [n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) >= len(SERVICE_SHEETS_TR) + 1  # district rates on every sheet, and the ranking
        xml = archive.read(charts[0]).decode("utf-8")
        assert "<c:barChart>" in xml


def test_formula_like_service_names_are_written_as_text(tmp_path):
    usage = small_usage({("A", "Adalar", C.FEMALE, "25-44"): 12, ("A", "Beykoz", C.MALE, "45-64"): 30})
    services = pd.DataFrame(
        {C.SERVICE_CODE: ["A"], C.SERVICE_NAME: ['=HYPERLINK("http://x","y")'], C.UNIT_NAME: ["+90 212"]}
    )
    analysis = analyse_services(usage, small_population(), services=services)
    path = write_services_workbook(tmp_path / "f.xlsx", analysis)
    book = openpyxl.load_workbook(path)  # full mode: data types
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    named = [c for c in cells if c.value == '=HYPERLINK("http://x","y")']
    assert named and all(c.data_type == "s" for c in named)
    assert all(c.data_type != "f" or not str(c.value).startswith("=HYPERLINK") for c in cells)
    assert any(c.value == "+90 212" and c.data_type == "s" for c in cells)


def test_same_analysis_written_twice_is_byte_identical(small, tmp_path):
    first = write_services_workbook(tmp_path / "a.xlsx", small["analysis"], created=CREATED).read_bytes()
    second = write_services_workbook(tmp_path / "b.xlsx", small["analysis"], created=CREATED).read_bytes()
    assert first == second
    other_day = write_services_workbook(tmp_path / "c.xlsx", small["analysis"], created=datetime(2025, 1, 1))
    assert other_day.read_bytes() != first


# -- as a person reads it: sheet order and names, labels, formats ------------------------------------------------
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


def test_chart_data_sheet_is_hidden_and_after_every_visible_sheet(books):
    assert "gcdb_chart_data" in _load(books["tr"]).sheetnames
    for data in books.values():
        book = _load(data)
        states = [ws.sheet_state for ws in book.worksheets]
        if "gcdb_chart_data" in book.sheetnames:
            assert book.sheetnames[-1] == "gcdb_chart_data" and states[-1] == "hidden"
            states = states[:-1]
        assert states == ["visible"] * len(states)


def test_service_sheet_names_keep_whole_words_and_mark_the_cut(demo_analysis, books):
    names = dict(
        zip(demo_analysis.services[C.SERVICE_CODE], demo_analysis.services[C.SERVICE_NAME], strict=True)
    )
    sheets = _visible(_load(books["tr"]))[1 : 1 + len(names)]
    assert len(set(sheets)) == len(sheets)
    for sheet, (code, name) in zip(sheets, names.items(), strict=True):
        assert len(sheet) <= 31 and sheet.startswith(f"{code} ")
        words = re.sub(r"\s*\([^()]*\)", "", name).replace(" / ", "-").split()
        shown = sheet.removeprefix(f"{code} ").removesuffix("…").split()
        assert shown == words[: len(shown)], sheet  # whole words only, in order
        assert sheet.endswith("…") == (len(shown) < len(words)), sheet
    assert "IKK Ücretsiz-İndirimli…" in sheets and "KOP Kadın Kooperatiflerine…" in sheets


def test_sheet_title_of_short_long_and_slashed_names():
    from gcdb.report.services import _sheet_title

    assert _sheet_title("A", "Kısa Ad") == "A Kısa Ad"
    assert (
        _sheet_title("MEK", "Meslek Edindirme Kursu (İSMEK / Enstitü İstanbul)")
        == "MEK Meslek Edindirme Kursu"
    )
    assert _sheet_title("X", "Bir / İki") == "X Bir-İki"
    long = _sheet_title("LNG", "Çok Uzun Bir Hizmet Adı Kelime Kelime Devam Ediyor")
    assert long == "LNG Çok Uzun Bir Hizmet Adı…" and len(long) <= 31


@pytest.mark.parametrize(
    ("lang", "sheet", "expected"),
    [
        ("tr", "HEAT", ["Fark (D)", "Oran (R)", "Değişim katsayısı (COV)", "Theil indeksi × 1000 (TI)"]),
        ("en", "HEAT", ["Difference (D)", "Ratio (R)", "Coefficient of variation (COV)"]),
    ],
)
def test_heat_headers_are_labelled_not_bare_codes(books, lang, sheet, expected):
    rows = _rows(_load(books[lang]), sheet)
    first = "Mali Yıl" if lang == "tr" else "Fiscal year"
    header = [v for v in rows[_header_row(rows, first)] if v is not None]
    assert all(label in header for label in expected), header
    assert "TI_x1000" not in header and "D" not in header


def test_methodology_names_inputs_and_tables_in_turkish(books):
    rows = _rows(_load(books["tr"]), "Yöntem")
    flat = [str(v) for row in rows for v in row if v is not None]
    assert "Hizmet kullanımı" in flat and "Nüfus" in flat  # the roles of the input files
    assert "usage" not in flat and "population" not in flat
    assert any(v.startswith("Fayda dağılımı – gruplar ") for v in flat)
    assert not [v for v in flat if SNAKE.match(v)]  # no table id, role or parameter shown as a code


def test_data_quality_issues_read_in_turkish(books):
    rows = _rows(_load(books["tr"]), "Veri Kalitesi")
    header_at = _header_row(rows, "Kaynak")
    header = list(rows[header_at])
    code, column, message = header.index("Sorun Kodu"), header.index("Sütun"), header.index("Açıklama")
    issues = [r for r in rows[header_at + 1 :] if r and r[0] is not None and r[code] is not None]
    sex = [r for r in issues if r[code] == "unknown_sex"]
    assert sex and all(r[column] == "Cinsiyet" for r in sex)
    assert all(r[message].startswith("Tanınmayan cinsiyet değeri — ") for r in sex)
    assert not [r[column] for r in issues if isinstance(r[column], str) and r[column] in C.LABELS]
    kind = header.index("Tür")
    assert {r[kind] for r in sex} == {"hizmet kullanımı"}  # the input's kind in Turkish, not its code


def test_rates_show_two_decimals(books):
    book = openpyxl.load_workbook(io.BytesIO(books["tr"]))
    ws = book["İlçeler"]
    header_row = next(r for r in ws.iter_rows(max_row=20) if r[0].value == "Mali Yıl")
    col = [c.value for c in header_row].index("Oran (binde)")
    cells = [row[col] for row in ws.iter_rows(min_row=header_row[0].row + 1, max_row=header_row[0].row + 40)]
    numbers = [c for c in cells if isinstance(c.value, float)]
    assert numbers and all(c.number_format == "0.00" for c in numbers)


def test_chart_copies_agree_with_the_cells_they_read(books):
    formulas = openpyxl.load_workbook(io.BytesIO(books["tr"]))
    values = openpyxl.load_workbook(io.BytesIO(books["tr"]), data_only=True)
    ref = re.compile(r"^=IF\(ISNUMBER\('(?P<sheet>[^']+)'!\$(?P<col>[A-Z]+)\$(?P<row>\d+)\),")
    checked = 0
    for row in formulas["gcdb_chart_data"].iter_rows(min_row=2):
        for cell in row:
            if cell.data_type != "f":
                continue
            m = ref.match(cell.value)
            assert m, cell.value
            source = values[m["sheet"]][f"{m['col']}{m['row']}"].value
            cached = values["gcdb_chart_data"][cell.coordinate].value
            if isinstance(source, int | float):
                assert cached == pytest.approx(source)
            else:  # "<5", "*" or blank: the chart leaves the bar out
                assert cached == "#N/A"
            checked += 1
    assert checked > 100


def test_text_starting_with_minus_or_at_is_written_as_text(tmp_path):
    usage = small_usage({("A", "Adalar", C.FEMALE, "25-44"): 12, ("A", "Beykoz", C.MALE, "45-64"): 30})
    services = pd.DataFrame(
        {C.SERVICE_CODE: ["A"], C.SERVICE_NAME: ["-5 yaş kreş"], C.UNIT_NAME: ["@SUM(A1)"]}
    )
    analysis = analyse_services(usage, small_population(), services=services)
    path = write_services_workbook(tmp_path / "m.xlsx", analysis)
    book = openpyxl.load_workbook(path)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    for text in ("-5 yaş kreş", "@SUM(A1)"):
        hits = [c for c in cells if c.value == text]
        assert hits and all(c.data_type == "s" for c in hits), text


def test_the_run_date_is_real_unless_source_date_epoch_fixes_it(small, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")
    path = write_services_workbook(tmp_path / "d.xlsx", small["analysis"])
    rows = _rows(openpyxl.load_workbook(path, read_only=True), "Yöntem")
    values = {row[0]: row[1] for row in rows if row and row[0] is not None and len(row) > 1}
    assert values["Rapor tarihi"].startswith("2000-01-01 00:00 UTC (SOURCE_DATE_EPOCH ile sabitlenmiş tarih")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    path = write_services_workbook(tmp_path / "e.xlsx", small["analysis"])
    rows = _rows(openpyxl.load_workbook(path, read_only=True), "Yöntem")
    values = {row[0]: row[1] for row in rows if row and row[0] is not None and len(row) > 1}
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert values["Rapor tarihi"].startswith(today) and "SOURCE_DATE_EPOCH" not in values["Rapor tarihi"]
