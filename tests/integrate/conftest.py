"""The demo run once for the integration tests, and a reader for the tables of gcdb's workbooks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from gcdb import paths


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """``run_pipeline(demo_inputs())`` with outputs (Turkish workbooks, the Turkish web pages, tidy tables)."""
    from gcdb.pipeline import demo_inputs, run_pipeline

    out = tmp_path_factory.mktemp("integrate_demo")
    result = run_pipeline(demo_inputs(), out=out, web=["tr"], created=date(2026, 12, 6))
    return result, out


@pytest.fixture(scope="session")
def books(demo):
    """The five workbooks, opened with their cached values (as a person's Excel shows them)."""
    _, out = demo
    names = {
        "tcdb": "tcdb_raporu.xlsx",
        "monitoring": "izleme_raporu.xlsx",
        "costing": "maliyet_raporu.xlsx",
        "checklists": "kontrol_listesi_raporu.xlsx",
    }
    return {key: openpyxl.load_workbook(out / name, data_only=True) for key, name in names.items()}


def table_after(ws, title: str, *, total: str = "Toplam") -> tuple[list[str], list[list], list | None]:
    """The table under the title cell ``title`` on sheet ``ws``: (header, data rows, total row or None).

    Tables are written as: title, note lines, a blank row, the header, the data rows, an optional total row."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r and r[0] == title)
    at = start + 1
    while any(c is not None for c in rows[at]):  # the note lines under the title
        at += 1
    while rows[at][0] is None:  # the blank row(s) before the header
        at += 1
    header = [c for c in rows[at] if c is not None]
    body, total_row = [], None
    for r in rows[at + 1 :]:
        if r[0] is None:
            break
        if r[0] == total:
            total_row = r[: len(header)]
            break
        body.append(r[: len(header)])
    return header, body, total_row


DEMO = paths.demo()


def demo_file(*parts: str) -> Path:
    return DEMO.joinpath(*parts)
