"""The TCDB workbook: sheets, headers, live totals that recompute from the sheet cells to the analysis' figures,
balanced reconciliation checks, formula-safe text, byte-identical output, the methodology sheet."""

from __future__ import annotations

import hashlib
from collections import Counter

import numpy as np
import pytest
from tcdb_xlsx import Book

from gcdb import columns as C
from gcdb.budget import analyse_budget
from gcdb.budget import names as N
from gcdb.errors import UsageError
from gcdb.read import read_budget
from gcdb.report.i18n import t
from gcdb.report.tcdb import counted_column, file_checksum, write_tcdb_workbook
from gcdb.rules import load_ruleset, tag

SHEETS_TR = [
    "Özet",
    "Grafikler",
    "Amaçlar",
    "Eylemler",
    "Birimler",
    "Fonksiyonel Sınıflandırma",
    "Ekonomik Sınıflandırma",
    "Ödenek Ayrılmamış Eylemler",
    "Kesinti ve Düşük Harcama",
    "Sorumlu Birim Eksikleri",
    "Kapsam",
    "Bütçe Kalemleri",
    "Etiketlenmeyen",
    "Yöntem",
    "Veri Kalitesi",
]
SHEETS_EN = [
    "Summary",
    "Charts",
    "Priority areas",
    "Actions",
    "Departments",
    "Functional classification",
    "Economic classification",
    "Actions with no appropriation",
    "Cuts and low spending",
    "Responsible unit gaps",
    "Coverage",
    "Budget lines",
    "Untagged",
    "Methodology",
    "Data quality",
]


def lira(kurus) -> float:
    return int(kurus) / 100


# -- sheets and headers ------------------------------------------------------------------------------------------
def test_sheet_names_in_both_languages(demo_book, demo_book_en):
    assert demo_book.sheetnames == SHEETS_TR
    assert demo_book_en.sheetnames == SHEETS_EN


def test_headers_of_the_lines_and_summary_sheets(demo_book, demo_book_en):
    headers, rows, _ = demo_book.table("Bütçe Kalemleri", t("tcdb.title.lines", "tr"))
    assert headers[:9] == [
        "Mali Yıl",
        "Satır No",
        "Kurumsal Kod",
        "Birim",
        "Fonksiyonel Kod",
        "Ekonomik Kod",
        "Açıklama",
        "Amaç",
        "Eylem Kodu",
    ]
    assert "Etiketlenen – Revize Ödenek" in headers
    assert "AB Tüzüğü/EIGE: Harcama" in headers and "AB Tüzüğü/EIGE (üst): Harcama" in headers
    assert "OECD DAC: Kategori" in headers
    headers, _, _ = demo_book_en.table("Summary", t("tcdb.title.reconciliation", "en"))
    assert headers == [
        "Fiscal year",
        "Phase",
        "Scheme",
        "Reading",
        "Budget total",
        "Attributed",
        "Untagged",
        "Counted",
        "Not counted",
        "Check: budget = tagged + untagged",
        "Check: budget = counted + not counted + untagged",
    ]


# -- live totals -------------------------------------------------------------------------------------------------
def test_every_formula_recomputes_from_the_sheet_cells(demo_book):
    evaluated = demo_book.formulas()  # raises on a formula shape the auditor could not follow
    kinds = Counter(e.kind for e in evaluated)
    assert kinds["sum"] > 400 and kinds["check"] > 0 and kinds["ratio"] > 0 and kinds["status"] > 0
    for e in evaluated:
        if e.kind in ("sum", "ratio") and e.recomputed is not None:
            assert isinstance(e.cached, int | float), e
            assert abs(e.cached - e.recomputed) <= 0.005 * max(1.0, abs(e.recomputed) * 1e-12), e
        elif e.kind == "ratio":
            assert e.cached in (None, ""), e
        else:
            assert e.cached == e.recomputed, e


def test_summary_totals_are_sumifs_over_the_lines_and_equal_the_analysis(demo, demo_book):
    headers, rows, numbers = demo_book.table("Özet", t("tcdb.title.by_scheme", "tr"))
    col = {h: i for i, h in enumerate(headers)}
    ws = demo_book.f["Özet"]
    summary = demo.analysis.summary
    phases = {C.label(p, "tr"): p for p in C.PHASES}
    readings = {"Varsayılan": N.DEFAULT_READING, "Ön değerlendirme sonrası (üst)": N.REVIEW_READING}
    schemes = {t(f"tcdb.scheme.{s}", "tr"): s for s in demo.analysis.schemes}
    assert len(rows) == len(summary) * 3
    for row, number in zip(rows, numbers, strict=True):
        year, scheme, reading, phase = (
            row[col["Mali Yıl"]],
            schemes[row[col["Yöntem"]]],
            readings[row[col["Okuma"]]],
            phases[row[col["Aşama"]]],
        )
        rec = summary[
            (summary[C.FISCAL_YEAR] == year) & (summary[C.SCHEME] == scheme) & (summary[N.READING] == reading)
        ].iloc[0]
        assert row[col["TCDB Tutarı"]] == lira(rec[N.counted(phase)])
        assert row[col["Bütçe Toplamı"]] == lira(rec[N.budget(phase)])
        assert row[col["Toplam Bütçedeki Payı"]] == pytest.approx(rec[N.share_of_total(phase)], rel=1e-12)
        formula = ws.cell(number, col["TCDB Tutarı"] + 1).value
        assert formula.startswith("=SUMIFS('Bütçe Kalemleri'!"), formula
        assert formula.count(",") == 2  # one criterion: the fiscal year
        budget_formula = ws.cell(number, col["Bütçe Toplamı"] + 1).value
        assert budget_formula.startswith("=SUMIFS('Birimler'!"), budget_formula


def test_the_counted_columns_of_the_lines_sheet_add_up_to_the_analysis(demo, demo_book):
    """Hand-check one figure along the audit trail: EU CPR default, 2024, revised appropriation."""
    headers, rows, _ = demo_book.table("Bütçe Kalemleri", t("tcdb.title.lines", "tr"))
    year = headers.index("Mali Yıl")
    counted = headers.index("AB Tüzüğü/EIGE: Revize Ödenek")
    total = sum(round(r[counted] * 100) for r in rows if r[year] == 2024)
    s = demo.analysis.summary
    expected = s[(s[C.FISCAL_YEAR] == 2024) & (s[C.SCHEME] == "eu_cpr") & (s[N.READING] == "default")]
    assert total == int(expected[N.counted(C.REVISED_APPROPRIATION)].iloc[0]) == 146_938_885_575


def test_reconciliation_checks_say_balanced(demo, demo_book):
    headers, rows, _ = demo_book.table("Özet", t("tcdb.title.reconciliation", "tr"))
    assert len(rows) == len(demo.analysis.reconciliation)
    checks = [
        headers.index(t("tcdb.col.check_tagged", "tr")),
        headers.index(t("tcdb.col.check_counted", "tr")),
    ]
    assert {row[i] for row in rows for i in checks} == {"Denk"}
    rec = demo.analysis.reconciliation
    untagged = headers.index("Etiketlenmeyen")
    assert sorted(r[untagged] for r in rows) == sorted(lira(v) for v in rec[N.UNTAGGED])
    # the check cells are formulas over the row's cells, and they recompute to "Denk"
    checks_written = [e for e in demo_book.formulas() if e.kind == "check"]
    assert len(checks_written) == 2 * len(rec)
    assert {e.recomputed for e in checks_written} == {"Denk"}


def test_breakdowns_open_filtered_to_the_latest_year_and_primary_scheme(demo, demo_book):
    ws = demo_book.f["Birimler"]
    headers, rows, numbers = demo_book.table("Birimler", t("tcdb.title.departments", "tr"))
    year, scheme = headers.index("Mali Yıl"), headers.index("Yöntem")
    data = [(r, n) for r, n in zip(rows, numbers, strict=True) if isinstance(r[year], int)]
    shown = [r for r, n in data if not ws.row_dimensions[n].hidden]
    assert shown and {(r[year], r[scheme]) for r in shown} == {(2024, "AB Tüzüğü/EIGE")}
    assert len(data) == len(demo.analysis.by_department)
    assert ws.auto_filter.ref is not None and len(ws.auto_filter.filterColumn) == 3
    # the visible total is the primary scheme's 2024 total
    total_row = rows[len(data)]
    counted = headers.index("TCDB Tutarı – Revize Ödenek")
    s = demo.analysis.summary
    expected = s[(s[C.FISCAL_YEAR] == 2024) & (s[C.SCHEME] == "eu_cpr") & (s[N.READING] == "default")]
    assert total_row[counted] == lira(expected[N.counted(C.REVISED_APPROPRIATION)].iloc[0])


def test_charts_are_native(demo_xlsx):
    import zipfile

    with zipfile.ZipFile(demo_xlsx) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        xml = "".join(z.read(n).decode() for n in charts)
    assert len(charts) == 2
    assert "<c:barChart>" in xml and "<c:f>Grafikler!$B$4:" in xml  # data from the Charts sheet


# -- text, determinism, methodology, data quality ----------------------------------------------------------------
def test_formula_like_descriptions_are_written_as_text(small_inputs, tmp_path):
    budget, rules = small_inputs
    read = read_budget(budget)
    ruleset = load_ruleset(rules)
    tagging = tag(read.data, ruleset)
    analysis = analyse_budget(read.data, tagging)
    path = write_tcdb_workbook(
        tmp_path / "small.xlsx", analysis, tagging=tagging, read_result=read, ruleset=ruleset
    )
    book = Book(path)
    texts = {}
    for sheet in ("Bütçe Kalemleri", "Etiketlenmeyen"):
        for row in book.f[sheet].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@" and cell.data_type != "f":
                    texts[cell.value] = (cell.data_type, cell.style)
    for text in (
        '=HYPERLINK("http://x","y")',
        "+90 212 destek hattı",
        "-5 yaş kreş",
        "@SUM(A1)",
        "=1+1 yol yapımı",
    ):
        assert text in texts, text
        assert texts[text][0] == "s"
    # the formulas of this workbook recompute too (partly tagged line: allocation 0.6)
    for e in book.formulas():
        if e.kind in ("sum", "ratio") and e.recomputed is not None:
            assert abs(e.cached - e.recomputed) <= 0.005, e
        elif e.kind != "ratio":
            assert e.cached == e.recomputed, e
    headers, rows, _ = book.table("Etiketlenmeyen", t("tcdb.title.untagged", "tr"))
    line = headers.index("Satır No")
    rest = headers.index("Etiketlenmeyen – Revize Ödenek")
    by_line = {r[line]: r[rest] for r in rows if r[line] is not None}
    assert by_line["5"] == pytest.approx(2_200.00)  # 40 % of 5.500,00 left untagged
    assert by_line["4"] == 4_000.00 and "1" not in by_line and "6" not in by_line
    # money tagged without a plan action is shown as such, and its SUMIFS matches the blank area cells
    headers, rows, _ = book.table(
        "Grafikler", t("tcdb.title.chart_areas", "tr", year=2024, scheme="AB Tüzüğü/EIGE")
    )
    areas = {r[0]: r[headers.index("TCDB Tutarı – Revize Ödenek")] for r in rows}
    # Kadın unit 900,50 + 2.000 + 3.100 at 100 %; crèche 5.500 × allocation 0,6 × 40 %; road 03* at 0 %
    assert areas == {"Amaç 2": 6_000.50, "Amaç 6": 1_320.00, "Eylem belirtilmemiş": 0.0, "Toplam": 7_320.50}


def test_identical_inputs_give_identical_bytes(demo_xlsx, write_demo, tmp_path):
    again = write_demo(tmp_path / "again.xlsx")
    assert again.read_bytes() == demo_xlsx.read_bytes()


def test_methodology_lists_every_scheme_and_the_input_checksums(demo, demo_book):
    ws = demo_book.v["Yöntem"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for scheme in demo.analysis.schemes:
        assert t(f"tcdb.scheme.{scheme}", "tr") in texts
    assert "AB Ortak Hükümler Tüzüğü 2021/1060 Ek I / EIGE Araç 8" in texts
    assert any("Regulation (EU) 2021/1060" in x for x in texts)
    for _, path in demo.inputs:
        size, digest = file_checksum(path)
        assert digest in texts
    budget_digest = hashlib.sha256(demo.inputs[0][1].read_bytes()).hexdigest()
    assert budget_digest in texts
    assert "İBB YEEP 2021–2024 bütçe etiketleri" in texts and "2024.1" in texts
    # the date SOURCE_DATE_EPOCH fixes, explained so that nobody takes it for the day of the run
    assert any(x.startswith("2000-01-01 (SOURCE_DATE_EPOCH ile sabitlenmiş tarih") for x in texts)
    headers, rows, _ = demo_book.table("Yöntem", t("tcdb.title.schemes", "tr"))
    assert [r[0] for r in rows] == [t(f"tcdb.scheme.{s}", "tr") for s in demo.analysis.schemes]
    assert rows[[r[0] for r in rows].index("Filipinler HGDG")][headers.index("Yöntemin Asgari Oranı")] == 0.05
    headers, rows, _ = demo_book.table("Yöntem", t("tcdb.title.categories", "tr"))
    code, weight = headers.index("Kategori"), headers.index("Sayılan Pay")
    weights = {(r[0], r[code]): r[weight] for r in rows}
    assert weights[("AB Tüzüğü/EIGE", "02")] == 0.4 and weights[("Filipinler HGDG", "≥ 8")] == 0.5
    assert rows[[r[code] for r in rows].index("03*")][headers.index("Ön Değerlendirme Sonrası Pay")] == 0.4


def test_data_quality_sheet_lists_the_issues(small_inputs, small_bad_budget, tmp_path):
    _, rules = small_inputs
    read = read_budget(small_bad_budget)
    assert not read.ok
    ruleset = load_ruleset(rules)
    tagging = tag(read.data, ruleset)
    analysis = analyse_budget(read.data, tagging)
    path = write_tcdb_workbook(
        tmp_path / "dq.xlsx", analysis, tagging=tagging, read_result=read, ruleset=ruleset
    )
    book = Book(path)
    headers, rows, _ = book.table("Veri Kalitesi", t("tcdb.title.issues", "tr"))
    assert [r[headers.index("Sorun Kodu")] for r in rows] == ["unparseable_number"]
    assert rows[0][headers.index("Satır")] == 8 and rows[0][headers.index("Önem")] == "Hata"
    headers, rows, _ = book.table("Veri Kalitesi", t("tcdb.title.quarantine", "tr"))
    # the quarantined row's columns carry their Turkish labels, not the canonical (English) names
    assert "description" not in headers
    assert rows[0][headers.index(C.label(C.DESCRIPTION, "tr"))] == "HATALI SATIR"


def test_workbook_without_tagging_or_read_result(demo, tmp_path):
    path = write_tcdb_workbook(tmp_path / "bare.xlsx", demo.analysis, lang="en")
    book = Book(path)
    assert "Untagged" not in book.sheetnames and "Budget lines" in book.sheetnames
    for e in book.formulas():
        if e.kind in ("sum", "ratio") and e.recomputed is not None:
            assert abs(e.cached - e.recomputed) <= 0.005, e
        elif e.kind != "ratio":
            assert e.cached == e.recomputed, e


def test_mismatched_tagging_is_refused(demo, small_inputs, tmp_path):
    budget, rules = small_inputs
    read = read_budget(budget)
    other = tag(read.data, load_ruleset(rules))
    with pytest.raises(UsageError, match="do not belong to this analysis"):
        write_tcdb_workbook(tmp_path / "x.xlsx", demo.analysis, tagging=other)
    assert not (tmp_path / "x.xlsx").exists()
    with pytest.raises(UsageError, match="lang"):
        write_tcdb_workbook(tmp_path / "x.xlsx", demo.analysis, lang="de")


def test_lines_sheet_holds_one_row_per_part(demo, demo_book):
    headers, rows, _ = demo_book.table("Bütçe Kalemleri", t("tcdb.title.lines", "tr"))
    data = [r for r in rows if isinstance(r[0], int)]
    parts = demo.analysis.parts
    n_parts = int(((parts[C.SCHEME] == "eu_cpr") & (parts[N.READING] == "default")).sum())
    assert len(data) == n_parts == 116
    share = headers.index("Pay")
    assert np.isclose(sum(r[share] for r in data), 114.0)  # 114 lines, two of them split in halves
    assert counted_column("eu_cpr", "review", C.EXPENDITURE) == "counted_expenditure@eu_cpr/review"


# -- as a person reads it: Turkish labels, no bare codes, visible sheets ----------------------------------------
def test_no_hidden_sheet_and_every_sheet_name_fits(demo_book, demo_book_en):
    for book in (demo_book, demo_book_en):
        assert [ws.sheet_state for ws in book.f.worksheets] == ["visible"] * len(book.sheetnames)
        assert all(len(name) <= 31 for name in book.sheetnames)
        assert len({name.casefold() for name in book.sheetnames}) == len(book.sheetnames)


def test_methodology_inputs_and_parameters_are_labelled_in_turkish(demo_book):
    headers, rows, _ = demo_book.table("Yöntem", t("tcdb.title.inputs", "tr"))
    assert [r[headers.index("Girdi")] for r in rows] == ["Bütçe", "Kural seti", "Eylem planı kataloğu"]
    headers, rows, _ = demo_book.table("Yöntem", t("tcdb.title.parameters", "tr"))
    params = {r[0]: r[1] for r in rows}
    assert params["Ağırlıklandırma yöntemleri"] == (
        "AB Tüzüğü/EIGE, OECD DAC, Hindistan GBS, Filipinler HGDG, Beyan Edilen Pay"
    )
    assert params["Analiz edilen mali yıllar"] == "2023, 2024"
    assert params["Uyarı eşiği: ödenek kesinti oranı"] == "%20,0"
    assert params["Eylem planı kataloğu kullanıldı"] == "Evet"
    assert params["Birim eşleştirme tablosu kullanıldı"] == "Hayır"
    texts = [c.value for row in demo_book.v["Yöntem"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "Türkçe (tr)" in texts
    for code in ("budget", "rules", "revised_down_threshold", "plan_actions", "eu_cpr,oecd_dac"):
        assert not any(x == code or x.startswith(code + ",") for x in texts), code


def test_methodology_parameters_in_english(demo_book_en):
    headers, rows, _ = demo_book_en.table("Methodology", t("tcdb.title.parameters", "en"))
    params = {r[0]: r[1] for r in rows}
    assert params["Weighting schemes"].startswith("EU CPR/EIGE, OECD DAC")
    assert params["Action-plan catalogue used"] == "Yes"


def test_data_quality_issues_name_the_column_by_its_label(small_inputs, small_bad_budget, tmp_path):
    _, rules = small_inputs
    read = read_budget(small_bad_budget)
    ruleset = load_ruleset(rules)
    tagging = tag(read.data, ruleset)
    analysis = analyse_budget(read.data, tagging)
    books = {
        lang: Book(
            write_tcdb_workbook(
                tmp_path / f"dq_{lang}.xlsx",
                analysis,
                tagging=tagging,
                read_result=read,
                ruleset=ruleset,
                lang=lang,
            )
        )
        for lang in ("tr", "en")
    }
    headers, rows, _ = books["tr"].table("Veri Kalitesi", t("tcdb.title.issues", "tr"))
    column, message = rows[0][headers.index("Sütun")], rows[0][headers.index("Açıklama")]
    canonical = read.issues[C.ISSUE_COLUMN].iloc[0]
    assert canonical in C.LABELS and column == C.label(canonical, "tr") and column != canonical
    assert message.startswith("Sayı okunamadı — ")
    headers, rows, _ = books["en"].table("Data quality", t("tcdb.title.issues", "en"))
    assert rows[0][headers.index("Message")] == read.issues[C.ISSUE_MESSAGE].iloc[0]
