"""Tidy tables that another tool can load typed: Frictionless Data Package descriptors and CSV dialects.

* :func:`write_datapackage` writes ``datapackage.json`` next to the tidy tables (:func:`gcdb.report.write_tidy`
  calls it): a Tabular Data Package whose Table Schemas give every column's type, title, description and unit
  (kuruş, per 1,000, fraction, count, year), each table's primary key, and for budget tables the Fiscal Data
  Package classifications (administrative, functional, economic) and phases (approved, adjusted, executed).
  Load it with ``frictionless`` (Python), ``frictionless`` (R), or any Data Package reader.
* :data:`CSV_DIALECTS`: ``plain`` (UTF-8, ``,``, ``.`` — for programs) and ``excel-tr`` (UTF-8 with BOM, ``;``,
  decimal comma, formula-safe text — Turkish Excel opens it on double-click); :func:`write_csv` writes one.
"""

from __future__ import annotations

from gcdb.datapackage.describe import (
    DESCRIPTOR,
    column_title,
    column_unit,
    field_descriptor,
    package_descriptor,
    primary_key,
    resource_descriptor,
    table_schema,
    write_datapackage,
)
from gcdb.datapackage.dialects import (
    CSV_DIALECTS,
    EXCEL_TR,
    FORMULA_START,
    PLAIN,
    CsvDialect,
    csv_dialect,
    excel_safe,
    write_csv,
)

__all__ = [
    "CSV_DIALECTS",
    "DESCRIPTOR",
    "EXCEL_TR",
    "FORMULA_START",
    "PLAIN",
    "CsvDialect",
    "column_title",
    "column_unit",
    "csv_dialect",
    "excel_safe",
    "field_descriptor",
    "package_descriptor",
    "primary_key",
    "resource_descriptor",
    "table_schema",
    "write_csv",
    "write_datapackage",
]
