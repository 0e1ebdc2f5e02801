"""The Hizmette Eşitlik workbook read back with openpyxl: sheets, headers, hidden cells, no personal data,
formula-safe text, charts, methodology and data quality."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import datetime

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
    "SIG Kadın Dayanışma Evi",
    "DHT Kadın Destek Hattı",
    "SYD Sosyal Yardım",
    "MEK Meslek Edindirme Kursu",
    "EVB Evde Bakım ve Evde Sağlık",
    "SAG Sağlık Taraması",
    "ENU Engelli Bireyler Ulaşım",
    "IKK Ücretsiz - İndirimli",
    "SPR Spor Merkezi Üyeliği",
    "HUK Hukuki Danışmanlık",
    "YAS Yaşlı Gündüz Bakım Merkezi",
    "KOP Kadın Kooperatiflerine",
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
    # the crèche in Şile (a handful of children a year) is hidden in both years, its rate with it
    sile = [r for r in data if r[1] == "KRS" and r[2] == "Şile"]
    assert len(sile) == 2 and all(r[3] in ("<5", "*") and r[5] == r[3] for r in sile)
    assert sile[0][3] == "<5"


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
