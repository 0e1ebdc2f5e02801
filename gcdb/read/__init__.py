"""Validated ingest: read budget, service-usage and population tables into canonical, checked frames.

>>> from gcdb.read import read_budget
>>> result = read_budget("butce_2023.csv")          # doctest: +SKIP
>>> result.data, result.issues, result.quarantine   # doctest: +SKIP

Every reader returns a :class:`ReadResult`: the valid rows (``data``), an issues table with stable codes, the
quarantined rows with their original text, and a reconciliation proving nothing was lost. ``strict=True``
raises :class:`gcdb.errors.DataValidationError` instead.
"""

from gcdb.read.aliases import ALIASES, BIRTH_YEAR, header_key, map_headers
from gcdb.read.limits import ReadLimits
from gcdb.read.numbers import format_kurus, parse_dates, parse_decimal, parse_integer, parse_kurus
from gcdb.read.readers import (
    budget_from_frame,
    population_from_frame,
    read_budget,
    read_population,
    read_table,
    read_usage,
    usage_from_frame,
)
from gcdb.read.result import ISSUE_CODES, SKIP_REASONS, RawTable, ReadResult

__all__ = [
    "read_budget",
    "read_usage",
    "read_population",
    "budget_from_frame",
    "usage_from_frame",
    "population_from_frame",
    "read_table",
    "ReadResult",
    "RawTable",
    "ISSUE_CODES",
    "SKIP_REASONS",
    "ReadLimits",
    "ALIASES",
    "BIRTH_YEAR",
    "header_key",
    "map_headers",
    "parse_kurus",
    "parse_integer",
    "parse_decimal",
    "parse_dates",
    "format_kurus",
]
