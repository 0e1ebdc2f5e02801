"""Fixtures for the web reports: the demo run once per session, its two web reports written in every language,
and a headless Chromium (Debian's ``chromium``) driven by Playwright."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GCDB_CHROMIUM", "/usr/bin/chromium")
#: Flags for a quiet, offline headless browser (no updates, no sync, no background requests).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def demo_run():
    from gcdb.pipeline import demo_inputs, run_pipeline

    return run_pipeline(demo_inputs())


@pytest.fixture(scope="session")
def web_dir(demo_run, tmp_path_factory) -> Path:
    from gcdb.pipeline import write_web

    out = tmp_path_factory.mktemp("web")
    workbooks = [
        ("web.link.tcdb", out / "tcdb_raporu.xlsx"),
        ("web.link.services", out / "hizmette_esitlik_raporu.xlsx"),
    ]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1733443200")  # 2024-12-06
        return write_web(demo_run, out / "web", workbooks=workbooks)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"headless Chromium not found at {CHROMIUM}: .ci/run installs Debian's chromium")
        pytest.skip(f"headless Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
