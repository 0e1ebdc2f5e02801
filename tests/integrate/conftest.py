"""The demo run once for the integration tests (helpers: integrate_helpers.py)."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """``run_pipeline(demo_inputs())`` with outputs (Turkish workbooks, the Turkish web pages, tidy tables)."""
    from gcdb.pipeline import demo_inputs, run_pipeline

    out = tmp_path_factory.mktemp("integrate_demo")
    result = run_pipeline(demo_inputs(), out=out, web=["tr"], created=date(2026, 12, 6))
    return result, out


@pytest.fixture(scope="session")
def books(demo):
    """The four workbooks, opened with their cached values (as a person's Excel shows them)."""
    _, out = demo
    names = {
        "tcdb": "tcdb_raporu.xlsx",
        "monitoring": "izleme_raporu.xlsx",
        "costing": "maliyet_raporu.xlsx",
        "checklists": "kontrol_listesi_raporu.xlsx",
    }
    return {key: openpyxl.load_workbook(out / name, data_only=True) for key, name in names.items()}
