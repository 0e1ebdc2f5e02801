"""Fixtures of the ingest tests: write small CSV files built from a known-good row with some cells changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import GOOD_BUDGET, GOOD_POPULATION, GOOD_USAGE, rows_text


@pytest.fixture
def write(tmp_path):
    """``write(name, text, encoding="utf-8")`` → path of a new file in a temporary folder."""

    def _write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return _write


@pytest.fixture
def budget_file(write):
    """``budget_file(change, change, …)`` → a ``;`` CSV of budget lines, line ids 1, 2, …"""

    def _make(*changes: dict, name: str = "budget.csv", encoding: str = "utf-8") -> Path:
        return write(name, rows_text(GOOD_BUDGET, list(changes), id_column="Satır No"), encoding)

    return _make


@pytest.fixture
def usage_file(write):
    def _make(*changes: dict, name: str = "usage.csv") -> Path:
        return write(name, rows_text(GOOD_USAGE, list(changes), id_column="Kayıt No"))

    return _make


@pytest.fixture
def population_file(write):
    def _make(*changes: dict, name: str = "population.csv") -> Path:
        return write(name, rows_text(GOOD_POPULATION, list(changes)))

    return _make
