"""Writing plain tables that people open in a spreadsheet, without formula injection.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their full-width forms
``＝ ＋ － ＠``) is a formula to Excel and LibreOffice when a CSV is opened, and can run commands or leak data
(CSV injection). Input text reaches gcdb's outputs (budget line descriptions, unit names, issue values), so:

* :func:`write_csv_for_excel` writes UTF-8 with a BOM (Turkish Excel opens it right) and puts an apostrophe before
  such text — the OWASP advice; the apostrophe is visible in a text editor but keeps the cell text in a
  spreadsheet;
* :func:`write_xlsx` writes every text cell as a string (xlsxwriter never turns it into a formula, a number or a
  link) with the "quote prefix" style, so that the text stays text even when someone edits the cell.

Vectorised: the neutralising runs once per text column (Arrow string kernels), never per row in Python.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: Characters that make a spreadsheet read a cell as a formula (half- and full-width).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_FORMULA_START = "^[=+\\-@\t\r＝＋－＠]"
EXCEL_MAX_ROWS = 1_048_575


def _is_text(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series) or pd.api.types.is_object_dtype(series)


def neutralise(series: pd.Series) -> pd.Series:
    """``series`` with an apostrophe before every text that a spreadsheet would read as a formula (numbers, dates
    and flags are returned unchanged)."""
    if not _is_text(series):
        return series
    text = series.astype("str")
    risky = text.str.contains(_FORMULA_START, regex=True).fillna(False).to_numpy(dtype=bool)
    if not risky.any():
        return series
    return text.where(~risky, "'" + text)


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text column of ``frame`` through :func:`neutralise`; numbers, dates and flags unchanged."""
    out = {c: neutralise(frame[c]) for c in frame.columns}
    return pd.DataFrame(out, index=frame.index, copy=False)


def write_csv_for_excel(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as a CSV meant for Excel: UTF-8 with BOM, formulas neutralised."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralised(frame).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _cell_values(series: pd.Series) -> list:
    """Values xlsxwriter can write: missing → None, dates → ISO text, numpy scalars → Python."""
    if pd.api.types.is_datetime64_any_dtype(series):
        text = series.dt.strftime("%Y-%m-%d")
        return text.astype(object).where(text.notna(), None).tolist()
    if _is_text(series) or isinstance(series.dtype, pd.CategoricalDtype):
        text = series.astype("str")
        return text.astype(object).where(text.notna(), None).tolist()
    values = series.astype(object).where(series.notna(), None)
    return values.tolist()


def _width(column, series: pd.Series) -> float:
    """A readable column width: the longest of the header and the first thousand values, within 8–60."""
    sample = series.head(1000).astype("str").str.len()
    longest = max(len(str(column)), int(sample.max()) if sample.notna().any() else 0)
    return float(min(max(longest + 2, 8), 60))


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write frames as sheets of one ``.xlsx``: header row frozen, text cells as strings with a quote prefix."""
    import xlsxwriter

    from gcdb.errors import UsageError
    from gcdb.i18n import Message, format_int

    for name, frame in sheets.items():
        if len(frame) > EXCEL_MAX_ROWS:
            raise UsageError(Message("cli.export.too_many_rows", sheet=repr(name), n=format_int(len(frame))))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    book = xlsxwriter.Workbook(str(path), options)
    try:
        text_fmt = book.add_format({"quote_prefix": True})
        head_fmt = book.add_format({"bold": True, "quote_prefix": True})
        for name, frame in sheets.items():
            ws = book.add_worksheet(name[:31])
            for j, column in enumerate(frame.columns):
                ws.write_string(0, j, str(column), head_fmt)
                series = frame[column]
                values = _cell_values(series)
                text = _is_text(series) or isinstance(series.dtype, pd.CategoricalDtype)
                # with strings_to_formulas off, write() stores "=…" as a string, never a formula
                ws.write_column(1, j, values, text_fmt if text else None)
                ws.set_column(j, j, _width(column, series))
            ws.freeze_panes(1, 0)
    finally:
        book.close()
    return path
