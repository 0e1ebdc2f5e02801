"""The council report and the citizen budget as web pages: written in every catalogue language (Arabic right to
left), self-contained (no script, no external reference), opened by headless Chromium with no console error and
no network request, accessible (headings, alt text and a data table for every figure, WCAG AA contrast), and
printable to A4 without tables wider than the page or short tables cut across pages."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from gcdb import i18n
from gcdb.report import figures as F
from gcdb.report import html as H
from gcdb.report.web import CITIZEN, COUNCIL, MAP_SOURCE

PAGES = [(stem, lang) for stem in (COUNCIL, CITIZEN) for lang in i18n.languages()]
#: Set GCDB_WEB_SHOTS to a folder to keep a screenshot of every section and the printed PDFs (to look at them).
SHOTS = Path(os.environ["GCDB_WEB_SHOTS"]) if os.environ.get("GCDB_WEB_SHOTS") else None


def _page(web_dir: Path, stem: str, lang: str) -> Path:
    return web_dir / f"{stem}.{lang}.html"


def _luminance(colour: str) -> float:
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_on_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey


def test_palette_meets_wcag_aa():
    for fg, bg in H.TEXT_PAIRS:
        assert contrast(H.PALETTE[fg], H.PALETTE[bg]) >= 4.5, (fg, bg)
    for colour in (F.INK, F.MUTED):  # chart text
        assert contrast(colour, "#ffffff") >= 4.5, colour
    for colour in (F.BAR, F.BAR_UNDER, F.REFERENCE):  # graphics: 3:1 against the page
        assert contrast(colour, "#ffffff") >= 3.0, colour


@pytest.mark.parametrize(("stem", "lang"), PAGES)
def test_page_is_self_contained_in_its_language(web_dir, stem, lang):
    text = _page(web_dir, stem, lang).read_text(encoding="utf-8")
    assert f'<html lang="{lang}" dir="{i18n.direction(lang)}">' in text
    assert "<script" not in text and "@import" not in text and not re.search(r"url\((?!#)", text)
    ids = re.findall(r'\bid="([^"]+)"', text)
    assert len(ids) == len(set(ids))  # several figures on one page never share an element id
    refs = re.findall(r'(?:src|href)="([^"]+)"', text)
    assert refs and all(not re.match(r"[a-z]+://|//", ref) for ref in refs), refs
    assert "Content-Security-Policy" in text
    assert text.count("<h1>") == 1 and text.count("<h2 ") >= 4
    # every figure is described and sits beside its data table; every map credits its source
    figures = re.findall(
        r'<figure aria-labelledby="c-([^"]+)"[^>]*>\s*<div role="img" aria-label="([^"]+)">', text
    )
    assert figures and all(alt.strip() for _, alt in figures)
    for key, _ in figures:
        assert f'<table id="t-{key}"' in text, key
    assert text.count('<span class="source">') == text.count(MAP_SOURCE) >= 1  # under every map
    # no English word leaks into the Turkish pages' headings
    if lang == "tr":
        headings = re.findall(r"<h[123][^>]*>([^<]+)<", text)
        assert not any(w in h for h in headings for w in (" the ", "Budget", "Report", "Service")), headings


def test_arabic_pages_are_right_to_left_and_translated(web_dir):
    text = _page(web_dir, CITIZEN, "ar").read_text(encoding="utf-8")
    assert 'dir="rtl"' in text
    for key in ("web.citizen.how_much", "web.citizen.who", "web.citizen.where"):
        assert i18n.t(key, "ar") in text and i18n.t(key, "ar") != i18n.t(key, "en")


def test_citizen_budget_rounds_money_like_a_newspaper(web_dir):
    tr = _page(web_dir, CITIZEN, "tr").read_text(encoding="utf-8")
    en = _page(web_dir, CITIZEN, "en").read_text(encoding="utf-8")
    assert re.search(r"\d+,\d milyar TL", tr) and re.search(r"\d+\.\d billion TL", en)
    assert not re.search(r"\d{1,3}(\.\d{3}){2,},\d\d TL", tr)  # no kuruş-exact amounts for citizens
    assert 'href="../tcdb_raporu.xlsx"' in tr  # the detailed workbook is one click away


@pytest.mark.parametrize(("stem", "lang"), PAGES)
def test_opens_in_chromium_without_errors_or_requests(browser, web_dir, stem, lang):
    path = _page(web_dir, stem, lang)
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert errors == []
    assert requests == [path.as_uri()]  # the page itself, nothing else
    assert page.evaluate("document.documentElement.dir") == i18n.direction(lang)
    # the figures are drawn: every inline SVG has a size
    sizes = page.evaluate(
        "[...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().height)"
    )
    assert sizes and min(sizes) > 50
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        for i, section in enumerate(page.query_selector_all("section")):
            section.screenshot(path=str(SHOTS / f"{stem}.{lang}.{i}.png"))
    page.close()


@pytest.mark.parametrize("lang", i18n.languages())
def test_prints_to_a4_without_cut_tables(browser, web_dir, lang):
    path = _page(web_dir, COUNCIL, lang)
    page = browser.new_page(viewport={"width": 700, "height": 1000})  # about A4's printable width at 96 dpi
    page.emulate_media(media="print")
    page.goto(path.as_uri())
    overflow = page.evaluate(
        "[...document.querySelectorAll('table')].filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)"
        ".map(t => t.id)"
    )
    assert overflow == []
    avoid = page.evaluate(
        "[...document.querySelectorAll('table.short, figure')].map(e => getComputedStyle(e).breakInside)"
    )
    assert avoid and set(avoid) == {"avoid"}
    repeat = page.evaluate("[...document.querySelectorAll('thead')].map(e => getComputedStyle(e).display)")
    assert set(repeat) == {"table-header-group"}
    pdf = page.pdf(format="A4", print_background=True)
    page.close()
    assert pdf.startswith(b"%PDF") and b"/MediaBox [0 0 595" in pdf
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / f"{COUNCIL}.{lang}.pdf").write_bytes(pdf)
