"""workbook.py: deterministic bytes, fixed document dates, sanitised sheet names."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_sample import build_sample

from gcdb.errors import UsageError
from gcdb.report import ReportWorkbook, sanitize_sheet_name
from gcdb.report.workbook import resolve_created


def test_identical_inputs_give_identical_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")  # the reproducible-builds convention: 2000-01-01
    build_sample(tmp_path / "a.xlsx", "tr")
    build_sample(tmp_path / "b.xlsx", "tr")
    a, b = (tmp_path / "a.xlsx").read_bytes(), (tmp_path / "b.xlsx").read_bytes()
    assert a == b
    # the zip entries carry a fixed timestamp, not the clock
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>' in core
    assert '<dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified>' in core
    # a different input gives different bytes (the test can fail)
    build_sample(tmp_path / "c.xlsx", "en")
    assert (tmp_path / "c.xlsx").read_bytes() != a


def test_created_date_from_argument_and_environment(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert resolve_created() == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert resolve_created(date(2024, 3, 31)) == datetime(2024, 3, 31, tzinfo=UTC)  # argument wins
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH"):
        resolve_created()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = datetime.now(UTC).replace(microsecond=0)
    assert before <= resolve_created() <= datetime.now(UTC)  # without it: the real run date


def test_document_properties(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    buffer = io.BytesIO()
    with ReportWorkbook(buffer, title="TCDB 2024", subject="Bütçe", lang="tr") as book:
        book.add_sheet("Özet")
    props = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).properties
    assert props.title == "TCDB 2024" and props.subject == "Bütçe" and props.creator == "gcdb"
    assert props.created == datetime(2023, 11, 14, 22, 13, 20)


def test_nothing_is_written_when_the_block_fails(tmp_path):
    path = tmp_path / "out.xlsx"
    with pytest.raises(RuntimeError):
        with ReportWorkbook(path) as book:
            book.add_sheet("A")
            raise RuntimeError("boom")
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_empty_workbook_gets_one_sheet(tmp_path):
    with ReportWorkbook(tmp_path / "e.xlsx", lang="en"):
        pass
    assert openpyxl.load_workbook(tmp_path / "e.xlsx").sheetnames == ["Sheet"]


@pytest.mark.parametrize(
    ("asked", "taken", "expected"),
    [
        ("Gelir/Gider [2024]: *?", (), "Gelir-Gider -2024-- --"),
        ("'Özet'", (), "Özet"),
        ("", (), "Sayfa"),
        ("History", (), "History (Sayfa)"),
        ("Toplumsal Cinsiyete Duyarlı Bütçe Analizi", (), "Toplumsal Cinsiyete Duyarlı Büt"),
        ("Özet", ("özet",), "Özet (2)"),
        ("Özet", ("Özet", "Özet (2)"), "Özet (3)"),
        (
            "Toplumsal Cinsiyete Duyarlı Bütçe",
            ("Toplumsal Cinsiyete Duyarlı Büt",),
            "Toplumsal Cinsiyete Duyarlı (2)",
        ),
    ],
)
def test_sanitize_sheet_name(asked, taken, expected):
    assert sanitize_sheet_name(asked, taken, fallback="Sayfa") == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=6))
def test_sanitized_names_are_always_valid_and_unique(names):
    taken: list[str] = []
    for name in names:
        clean = sanitize_sheet_name(name, taken)
        assert 1 <= len(clean.encode("utf-16-le")) // 2 <= 31
        assert not set(clean) & set("[]:*?/\\")
        assert not clean.startswith("'") and not clean.endswith("'")
        assert clean.lower() not in {t.lower() for t in taken}
        taken.append(clean)


def test_add_sheet_accepts_any_names(tmp_path):
    with ReportWorkbook(tmp_path / "n.xlsx") as book:
        for name in ["Özet", "özet", "a/b", "a-b", "x" * 40, "x" * 40]:
            book.add_sheet(name)
        names = book.sheet_names
    assert names == ["Özet", "özet (2)", "a-b", "a-b (2)", "x" * 31, "x" * 27 + " (2)"]
    assert openpyxl.load_workbook(tmp_path / "n.xlsx").sheetnames == names


def test_getvalue_needs_close():
    book = ReportWorkbook(io.BytesIO())
    with pytest.raises(UsageError, match="not closed"):
        book.getvalue()
    book.close()
    assert book.getvalue()[:2] == b"PK"
