"""CSV dialects of the tidy tables: ``plain`` for programs, ``excel-tr`` for Turkish Excel on double-click.

``plain``
    UTF-8 without BOM, ``,`` separator, ``.`` decimals, ``\\n`` line ends — a file for programs (R, Python, BI
    tools, open-data portals); text is written exactly as it is.
``excel-tr``
    what Excel with Turkish regional settings opens correctly on double-click: UTF-8 **with BOM** (so Ş, Ğ, İ
    are not garbled), ``;`` separator (the Turkish list separator), ``,`` decimals (``0,25``), ``\\r\\n`` line ends.
    Text that Excel would read as a formula — starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return,
    or their full-width forms — gets a leading apostrophe, which Excel shows as text and does not display.

Both write integers without thousands separators, dates as ISO 8601 text and missing values as empty cells; the
``datapackage.json`` next to the files describes the dialect (:meth:`CsvDialect.descriptor`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

from gcdb.errors import UsageError

#: Characters that make a spreadsheet cell a formula (with the full-width forms Excel also accepts).
FORMULA_START: Final = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
_FORMULA_PATTERN: Final = "^[" + FORMULA_START.replace("-", "\\-") + "]"


@dataclass(frozen=True)
class CsvDialect:
    """How a tidy table is written as CSV."""

    name: str
    delimiter: str
    decimal: str
    encoding: str  # Python codec: "utf-8-sig" writes the BOM
    line_terminator: str
    protect_formulas: bool

    def descriptor(self) -> dict[str, Any]:
        """The Frictionless Table Dialect of the files."""
        return {"delimiter": self.delimiter, "lineTerminator": self.line_terminator, "header": True}


PLAIN: Final = CsvDialect("plain", ",", ".", "utf-8", "\n", protect_formulas=False)
EXCEL_TR: Final = CsvDialect("excel-tr", ";", ",", "utf-8-sig", "\r\n", protect_formulas=True)
CSV_DIALECTS: Final[dict[str, CsvDialect]] = {d.name: d for d in (PLAIN, EXCEL_TR)}


def csv_dialect(dialect: str | CsvDialect) -> CsvDialect:
    """The dialect named ``dialect`` (``"plain"`` or ``"excel-tr"``); raises UsageError for another name."""
    if isinstance(dialect, CsvDialect):
        return dialect
    found = CSV_DIALECTS.get(dialect)
    if found is None:
        raise UsageError(f"CSV dialect must be one of {', '.join(CSV_DIALECTS)}, got {dialect!r}")
    return found


def excel_safe(values: pd.Series) -> pd.Series:
    """Text that a spreadsheet would evaluate as a formula, prefixed with an apostrophe; other values unchanged.

    Vectorised over the column; missing values stay missing.
    """
    text = values.astype("str") if not pd.api.types.is_string_dtype(values) else values
    risky = text.str.match(_FORMULA_PATTERN).fillna(False).astype(bool)
    if not risky.any():
        return values
    return text.where(~risky, "'" + text)


def _is_text(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series) or pd.api.types.is_object_dtype(series)


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str], dialect: str | CsvDialect = PLAIN) -> None:
    """Write ``frame`` (dates already as text, see :mod:`gcdb.report.tidy`) as CSV in ``dialect``."""
    d = csv_dialect(dialect)
    if d.protect_formulas:
        text = [c for c in frame.columns if _is_text(frame[c])]
        if text:
            frame = frame.assign(**{c: excel_safe(frame[c]) for c in text})
    frame.to_csv(
        path,
        index=False,
        sep=d.delimiter,
        decimal=d.decimal,
        encoding=d.encoding,
        lineterminator=d.line_terminator,
    )
