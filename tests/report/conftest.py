"""Fixtures for the report-layer tests: build a workbook in memory and read it back with openpyxl."""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl
import pytest

from gcdb.report import ReportWorkbook


class Written:
    """A closed workbook's bytes, read back twice: with formulas and with cached values."""

    def __init__(self, data: bytes):
        self.data = data
        self.formulas = openpyxl.load_workbook(io.BytesIO(data))
        self.values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)


@pytest.fixture
def build() -> Callable[..., Written]:
    def _build(fill: Callable[[ReportWorkbook], object], **options) -> Written:
        buffer = io.BytesIO()
        with ReportWorkbook(buffer, **options) as book:
            fill(book)
        return Written(buffer.getvalue())

    return _build
