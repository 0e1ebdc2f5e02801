"""Readers for budget, service-usage and population tables: files (.csv, .xlsx, .parquet) and DataFrames.

Everything is read as **text** first (``dtype=str``; typed Excel/Parquet/DataFrame cells are turned into text by
:func:`gcdb.read.numbers.cell_text`), so nothing is coerced silently; then :func:`gcdb.validate.validate_table`
parses, checks and normalises it and returns a :class:`~gcdb.read.result.ReadResult`.

Row numbers in issues are the 1-based row of the source, the header row being row 1 (CSV: the record number,
which equals the line number unless a quoted field spans lines; Excel: the sheet row; Parquet and DataFrames:
the position + 2, as if written to a file with a header). Title rows above the header are tolerated: among
the first 30 rows, the one with the most known headers (at least 2) is the header; row numbers stay those of
the file. Completely empty rows are skipped (counted in ``ReadResult.blank_rows``).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from gcdb import columns as C
from gcdb.errors import DataValidationError, IssueCode, UsageError, issues_frame
from gcdb.i18n import Message, message_of, speaks
from gcdb.read.aliases import BUDGET, POPULATION, USAGE, alias_keys, header_key
from gcdb.read.excel import read_sheet, sheet_notes
from gcdb.read.limits import LimitExceeded, ReadLimits, resolve
from gcdb.read.numbers import cell_text
from gcdb.read.result import RawTable, ReadResult, skipped_frame
from gcdb.read.sniff import decode_checked, detect_separator
from gcdb.text import (
    arrow_strings,
    blank_cells,
    blank_to_missing,
    blank_to_missing_series,
    str_series,
    texts_through_codes,
)
from gcdb.validate import validate_table

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet", ".pq")
HEADER_SEARCH_ROWS = 30

DistrictsArg = Iterable[str] | pd.DataFrame | str | Path | bool | None


class _Unreadable(Exception):
    """The file exists but cannot be read as a table (bad bytes, broken xlsx, ragged CSV)."""


class _TooLarge(Exception):
    """The file goes beyond a resource limit (:mod:`gcdb.read.limits`)."""


# ---------------------------------------------------------------------------------------------------------------
# raw tables
# ---------------------------------------------------------------------------------------------------------------
def _file_error(path: Path, code: IssueCode, message: str) -> DataValidationError:
    """A file-level error as a :class:`DataValidationError` whose message names the file (``message``: a
    :class:`~gcdb.i18n.Message`, or text)."""
    issues = issues_frame(
        [
            {
                C.ISSUE_FILE: path.name,
                C.ISSUE_ROW: None,
                C.ISSUE_COLUMN: "",
                C.ISSUE_CODE: str(code),
                C.ISSUE_SEVERITY: C.ERROR,
                C.ISSUE_MESSAGE: message,
                C.ISSUE_VALUE: "",
            }
        ]
    )
    return DataValidationError(Message("read.file_where", path=str(path), message=message), issues)


def _header_index(rows: Sequence[Sequence[object]], kind: str | None, aliases) -> int:
    """Index of the header among the first rows: the first with the most known headers (≥ 2), else the first
    non-empty row."""
    non_empty = [i for i, r in enumerate(rows) if any(c is not None and str(c).strip() for c in r)]
    if not non_empty:
        return 0
    if kind is None:
        return non_empty[0]
    table = alias_keys(kind, aliases)
    best, best_score = non_empty[0], 1
    for i in non_empty[:HEADER_SEARCH_ROWS]:
        score = sum(1 for c in rows[i] if c is not None and str(c).strip() and table.get(header_key(str(c))))
        if score > best_score:
            best, best_score = i, score
    return best


def _finish_table(
    cells: pd.DataFrame,
    header_cells: Sequence[object],
    first_data_row: int,
    source: str,
    *,
    typed_integers: set[int] | frozenset[int] = frozenset(),
    above: list[bool] | None = None,
    **info,
) -> RawTable:
    """Name the columns, drop empty unnamed columns and empty rows, number the rows.

    ``typed_integers``: positions (in ``cells``) of columns that held typed integers. ``above``: for each source
    row above the header, whether it is blank; those rows are ``skipped`` (``blank`` or ``title``) like the empty
    rows below the header (``blank``).
    """
    headers: list[str] = []
    keep: list[int] = []
    for j in range(cells.shape[1]):
        h = header_cells[j] if j < len(header_cells) else None
        h = cell_text(h) if h is not None else None
        h = h.strip() if isinstance(h, str) else None
        col = cells.iloc[:, j]
        if not h:
            if blank_cells(col).all():
                continue
            h = f"column_{j + 1}"
        headers.append(h)
        keep.append(j)
    frame = cells.iloc[:, keep]
    frame.columns = pd.RangeIndex(len(keep))
    source_row = np.arange(len(frame), dtype=np.int64) + first_data_row
    if len(frame) and len(keep):
        blank = np.ones(len(frame), dtype=bool)
        for j in range(len(keep)):
            if not blank.any():  # a column with no blank cell (an id column) settles it
                break
            blank &= blank_cells(frame.iloc[:, j])
    else:
        blank = np.ones(len(frame), dtype=bool) if not keep else np.zeros(len(frame), dtype=bool)
    frame = frame[~blank].reset_index(drop=True) if blank.any() else frame.reset_index(drop=True)
    above = above or []
    skipped = skipped_frame(
        np.concatenate([np.arange(1, len(above) + 1, dtype=np.int64), source_row[blank]]),
        np.concatenate(
            [
                np.where(np.asarray(above, dtype=bool), "blank", "title").astype(object),
                np.full(int(blank.sum()), "blank", object),
            ]
        ),
    )
    return RawTable(
        frame=frame,
        headers=tuple(headers),
        source_row=source_row[~blank],
        source=source,
        header_row=first_data_row - 1,
        blank_rows=int((skipped["reason"] == "blank").sum()),
        integer_columns=frozenset(i for i, j in enumerate(keep) if j in typed_integers),
        skipped=skipped,
        source_columns=tuple(keep),
        **info,
    )


def _head(text: str, lines: int) -> str:
    """The first ``lines`` lines of ``text`` without splitting all of it."""
    end = 0
    for _ in range(lines):
        end = text.find("\n", end) + 1
        if end == 0:
            return text
    return text[:end]


def _csv_rows(text: str, separator: str) -> list[list[str]]:
    """The first records of CSV ``text`` for header detection (any line ends; a cell beyond the csv module's
    field limit is split naively instead of failing)."""
    head = _head(text, HEADER_SEARCH_ROWS)
    try:
        return [list(r) for r in csv.reader(io.StringIO(head, newline=None), delimiter=separator)]
    except csv.Error:
        return [line.split(separator) for line in head.splitlines()]


def _blank_record(record: list[str]) -> bool:
    return not any(c.strip() for c in record)


def _read_csv(path: Path, kind, aliases, encoding, sep) -> RawTable:
    raw = path.read_bytes()
    try:
        decoded = decode_checked(raw, encoding)
    except LookupError as exc:
        raise _Unreadable(Message("read.unknown_encoding", encoding=repr(encoding))) from exc
    except ValueError as exc:
        raise _Unreadable(message_of(exc)) from exc
    text = decoded.text
    if not text or text.isspace():  # ``not text.strip()`` without a copy of the text
        return RawTable(frame=pd.DataFrame(), headers=(), source_row=np.zeros(0, np.int64), source=path.name)
    cr_only = "\r" in text and "\n" not in text
    if cr_only:  # old Mac line ends: the C parser splits them, the csv module (header search) does not
        text = text.replace("\r", "\n")
    separator = sep if sep is not None else detect_separator(text)
    head = _csv_rows(text, separator)
    header_at = _header_index(head, kind, aliases)
    plain_utf8 = decoded.encoding in ("utf-8", "utf-8-sig", "utf_8") and not cr_only
    if plain_utf8 and not decoded.changed:
        # the bytes are valid UTF-8 (they were decoded strictly): the parser reads them as they are, BOM dropped,
        # instead of a copy of the text in a StringIO (4 bytes a character)
        source: io.BytesIO | io.StringIO = io.BytesIO(
            memoryview(raw)[3:] if raw.startswith(codecs.BOM_UTF8) else raw
        )
        read_encoding = "utf-8"
        del text
    else:
        source, read_encoding = io.StringIO(text), None
    try:
        cells = pd.read_csv(
            source,
            encoding=read_encoding,
            sep=separator,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            skiprows=header_at,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        raise _Unreadable(Message("read.csv_split", separator=repr(separator), error=str(exc))) from exc
    except pd.errors.EmptyDataError:
        return RawTable(frame=pd.DataFrame(), headers=(), source_row=np.zeros(0, np.int64), source=path.name)
    cells = cells.astype("str")
    header_cells = cells.iloc[0].tolist()
    body = cells.iloc[1:].reset_index(drop=True)
    body = pd.DataFrame(
        {j: blank_to_missing_series(body.iloc[:, j]) for j in range(body.shape[1])},
        index=body.index,
        copy=False,
    )
    return _finish_table(
        body,
        header_cells,
        first_data_row=header_at + 2,
        source=path.name,
        encoding=decoded.encoding,
        separator=separator,
        above=[_blank_record(r) for r in head[:header_at]],
        notes=tuple({**n, "file": path.name} for n in decoded.notes),
    )


def _text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as text (``str`` dtype, blank cells missing), typed cells through :func:`cell_text`, once per
    distinct value. Built as Arrow strings: a text column is shared with ``frame`` (copied only if it holds blank
    cells); a typed column's distinct texts are taken through its codes (no object array)."""
    out = {}
    for j in range(frame.shape[1]):
        col = frame.iloc[:, j]
        strings = arrow_strings(col)
        if strings is None:
            strings = _number_texts(col)
        if strings is None:
            codes, uniques = pd.factorize(col, use_na_sentinel=True)
            strings = texts_through_codes([cell_text(u) for u in uniques], codes)
        out[j] = str_series(blank_to_missing(strings))
    return pd.DataFrame(out, index=range(len(frame)), copy=False)


def _number_texts(col: pd.Series) -> pa.ChunkedArray | None:
    """The texts :func:`cell_text` makes of a typed integer or float column, without Python per value: integers
    (also nullable) are Arrow's decimal digits, as ``str(int)``; whole floats below 10^15 the digits of their
    integer; missing stays missing. The other floats (fractions, huge, infinite: rare in money columns read as
    lira) go through :func:`cell_text` once per distinct value. ``None`` for any other dtype."""
    dtype = col.dtype
    if pd.api.types.is_bool_dtype(dtype) or not (
        pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype)
    ):
        return None
    if pd.api.types.is_integer_dtype(dtype):
        numbers = pa.array(col, from_pandas=True)
        return pa.chunked_array([pc.cast(numbers, pa.large_string())], type=pa.large_string())
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    floats = np.asarray(uniques, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(floats) & (np.floor(floats) == floats) & (np.abs(floats) < 1e15)
    texts = pc.cast(pa.array(np.where(whole, floats, 0).astype(np.int64)), pa.large_string())
    if not whole.all():
        other = [cell_text(u) for u in floats[~whole].tolist()]
        texts = pc.replace_with_mask(texts, pa.array(~whole), pa.array(other, type=pa.large_string()))
    table = pa.concat_arrays([texts, pa.nulls(1, pa.large_string())])
    taken = table.take(pa.array(np.where(codes < 0, len(floats), codes).astype(np.int64, copy=False)))
    return pa.chunked_array([taken], type=pa.large_string())


def _read_excel(path: Path, kind, aliases, sheet, limits: ReadLimits) -> RawTable:
    try:
        found = read_sheet(path, sheet, limits)
    except LimitExceeded as exc:
        raise _TooLarge(message_of(exc)) from exc
    except ValueError as exc:
        raise _Unreadable(message_of(exc)) from exc
    rows, choice = found.rows, found.choice
    notes = sheet_notes(path.name, choice)
    if not rows or not any(any(c is not None and str(c).strip() for c in r) for r in rows):
        return RawTable(
            frame=pd.DataFrame(),
            headers=(),
            source_row=np.zeros(0, np.int64),
            source=path.name,
            sheet=choice.name,
            notes=notes,
        )
    width = max(len(r) for r in rows)
    header_at = _header_index(rows[:HEADER_SEARCH_ROWS], kind, aliases)
    body = pd.DataFrame([r + [None] * (width - len(r)) for r in rows[header_at + 1 :]], columns=range(width))
    header_cells = rows[header_at] + [None] * (width - len(rows[header_at]))
    above = [not any(c is not None and str(c).strip() for c in r) for r in rows[:header_at]]
    table = _finish_table(
        _text_columns(body.astype(object)),
        header_cells,
        header_at + 2,
        path.name,
        above=above,
        sheet=choice.name,
        notes=notes,
    )
    return _with_formula_errors(table, found.formulas, header_at + 1)


def _with_formula_errors(table: RawTable, formulas: list[tuple[int, int, str]], header_row: int) -> RawTable:
    """Formula cells without a cached value, as cell errors on the data rows that hold them."""
    if not formulas:
        return table
    import dataclasses

    position = {int(r): i for i, r in enumerate(table.source_row)}
    # (row position or None, column position, code, message, value[, sheet column]): see RawTable.cell_errors
    errors: list[tuple[object, ...]] = []
    for row, _col, ref in formulas:
        if row == header_row:
            errors.append((None, -1, "formula_without_value", Message("read.formula_header", ref=ref), ref))
        elif row in position:
            errors.append(
                (
                    position[row],
                    None,
                    "formula_without_value",
                    Message("read.formula_cell", ref=ref),
                    ref,
                    _col,
                )
            )
    return dataclasses.replace(table, cell_errors=tuple(errors))


def _frame_table(df: pd.DataFrame, source: str) -> RawTable:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(df).__name__}")
    headers = list(df.columns)
    body = _text_columns(df.reset_index(drop=True))
    integers = {
        j
        for j in range(df.shape[1])
        if pd.api.types.is_integer_dtype(df.iloc[:, j]) and not pd.api.types.is_bool_dtype(df.iloc[:, j])
    }
    return _finish_table(body, headers, 2, source, typed_integers=integers)


def _beyond_nanoseconds(col) -> bool:
    """True if a date/timestamp column holds a day outside pandas' nanosecond range (1677–2262)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    days = pc.cast(col, pa.timestamp("s")) if pa.types.is_date(col.type) else col
    bounds = pc.min_max(pc.year(days))
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    return low is not None and (low < 1678 or high > 2261)


def _read_parquet(path: Path) -> RawTable:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except Exception as exc:  # pyarrow raises several types for broken files
        raise _Unreadable(Message("read.parquet_unreadable", error=f"{type(exc).__name__}: {exc}")) from exc
    nested = [f.name for f in schema if pa.types.is_nested(f.type)]
    if nested:
        kinds = ", ".join(f"{f.name!r} ({f.type})" for f in schema if f.name in nested)
        raise _Unreadable(Message("read.parquet_nested", columns=kinds))
    try:
        table = pq.read_table(path)
    except Exception as exc:
        raise _Unreadable(Message("read.parquet_unreadable", error=f"{type(exc).__name__}: {exc}")) from exc
    columns = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        if (pa.types.is_timestamp(col.type) or pa.types.is_date(col.type)) and _beyond_nanoseconds(col):
            # dates as ISO text before pandas: 9999-12-31 (an ERP's "no date") does not fit pandas' nanoseconds
            seconds = col.cast(pa.timestamp("s")) if pa.types.is_date(col.type) else col
            col = pa.compute.replace_substring_regex(
                pa.compute.strftime(seconds, "%Y-%m-%d %H:%M:%S"), " 00:00:00$", ""
            )
        columns[name] = col
    try:
        frame = pa.table(columns).to_pandas()
    except Exception as exc:
        raise _Unreadable(Message("read.parquet_convert", error=f"{type(exc).__name__}: {exc}")) from exc
    return _frame_table(frame, path.name)


@speaks
def read_table(
    path: str | Path,
    *,
    kind: str | None = None,
    aliases: Mapping[str, str | None] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    limits: ReadLimits | None = None,
    lang: str | None = None,
) -> RawTable:
    """Read a .csv/.xlsx/.parquet file as a :class:`RawTable` of text (no interpretation beyond finding the header).

    Raises :class:`~gcdb.errors.DataValidationError` with a ``file_not_found``, ``unsupported_format``,
    ``file_unreadable`` or ``limit_exceeded`` issue; any other failure of a third-party parser is wrapped the same
    way (the original exception is the ``__cause__``).
    """
    path = Path(path)
    limits = resolve(limits)
    if not path.exists():
        raise _file_error(path, IssueCode.FILE_NOT_FOUND, Message("read.file_not_found"))
    if path.is_dir():
        raise _file_error(path, IssueCode.FILE_UNREADABLE, Message("read.is_folder"))
    suffix = path.suffix.lower()
    try:
        if path.stat().st_size == 0 and suffix in CSV_SUFFIXES + EXCEL_SUFFIXES + PARQUET_SUFFIXES:
            return RawTable(
                frame=pd.DataFrame(), headers=(), source_row=np.zeros(0, np.int64), source=path.name
            )
        if suffix in CSV_SUFFIXES:
            return _read_csv(path, kind, aliases, encoding, sep)
        if suffix in EXCEL_SUFFIXES:
            return _read_excel(path, kind, aliases, sheet, limits)
        if suffix in PARQUET_SUFFIXES:
            return _read_parquet(path)
    except _Unreadable as exc:
        raise _file_error(path, IssueCode.FILE_UNREADABLE, message_of(exc)) from exc.__cause__
    except _TooLarge as exc:
        raise _file_error(path, IssueCode.LIMIT_EXCEEDED, message_of(exc)) from exc.__cause__
    except (DataValidationError, UsageError):
        raise
    except MemoryError as exc:
        raise _file_error(path, IssueCode.LIMIT_EXCEEDED, Message("read.no_memory")) from exc
    except Exception as exc:  # the reader boundary: gcdb's own error, the original as __cause__
        raise _file_error(
            path, IssueCode.FILE_UNREADABLE, Message("read.not_a_table", error=f"{type(exc).__name__}: {exc}")
        ) from exc
    key = "read.unsupported_xls" if suffix == ".xls" else "read.unsupported"
    raise _file_error(path, IssueCode.UNSUPPORTED_FORMAT, Message(key, suffix=repr(suffix or "—")))


# ---------------------------------------------------------------------------------------------------------------
# public readers
# ---------------------------------------------------------------------------------------------------------------
def _read(kind: str, path, *, strict, aliases, sheet, encoding, sep, limits=None, **options) -> ReadResult:
    limits = resolve(limits)
    table = read_table(
        path, kind=kind, aliases=aliases, sheet=sheet, encoding=encoding, sep=sep, limits=limits
    )
    return validate_table(table, kind, aliases=aliases, strict=strict, limits=limits, **options)


@speaks
def read_budget(
    path: str | Path,
    *,
    strict: bool = False,
    aliases: Mapping[str, str | None] | None = None,
    fiscal_year: int | None = None,
    money_unit: str = "auto",
    decimal: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    layout: str = "auto",
    limits: ReadLimits | None = None,
    lang: str | None = None,
) -> ReadResult:
    """Read budget lines (analitik bütçe) from a .csv, .xlsx or .parquet file.

    ``layout``: ``"auto"`` (default) reads a published layout — Ödenek Cetveli, Ayrıntılı Harcama Programı,
    execution report (see :mod:`gcdb.read.published`) — when the sheet has one, else the tidy table;
    ``"odenek_cetveli"``, ``"ahp"``, ``"execution"`` or ``"tidy"`` force one.

    Required columns: fiscal year, line id, institutional, functional and economic codes, financing type,
    description, initial and revised appropriation, expenditure (Turkish headers such as ``Yıl``,
    ``Satır No``, ``Kurumsal Kod`` … ``Harcama`` are recognised; extend with ``aliases``). Amounts in lira
    become exact ``int64`` kuruş. ``money_unit``: ``"auto"`` (default) reads a column as whole kuruş only when
    it is gcdb's own canonical form — a typed integer column (Parquet, DataFrame) under the canonical name
    (``initial_appropriation`` …) — and as lira otherwise; ``"lira"`` or ``"kurus"`` force one reading.
    ``fiscal_year`` is the year of a file without a year column. ``strict=True`` raises
    :class:`~gcdb.errors.DataValidationError` on any error. ``decimal`` forces ``","`` or ``"."``; ``sheet``
    picks an Excel sheet (name, or 0-based index; default: the first visible sheet); ``encoding``/``sep`` override
    CSV detection; ``limits`` (:class:`~gcdb.read.limits.ReadLimits`) bounds the cells of a sheet, the unpacked size
    of a workbook and the amount of one line (default 10^12 TL). Missing, unsupported or unreadable files
    raise :class:`~gcdb.errors.DataValidationError` (``file_not_found``, ``unsupported_format``,
    ``file_unreadable``) even when not strict: there is no table to return. ``lang``: the language of the
    issues' messages and of the errors (default: the current language, Turkish unless set; :mod:`gcdb.i18n`).
    """
    from gcdb.read.published import read_budget_any

    published = read_budget_any(
        path,
        layout=layout,
        options={
            "sheet": sheet,
            "encoding": encoding,
            "sep": sep,
            "fiscal_year": fiscal_year,
            "strict": strict,
            "decimal": decimal,
            "limits": limits,
        },
    )
    if published is not None:
        return published
    return _read(
        BUDGET,
        path,
        strict=strict,
        aliases=aliases,
        sheet=sheet,
        encoding=encoding,
        sep=sep,
        decimal=decimal,
        fiscal_year=fiscal_year,
        money_unit=money_unit,
        limits=limits,
    )


@speaks
def read_usage(
    path: str | Path,
    *,
    strict: bool = False,
    aliases: Mapping[str, str | None] | None = None,
    districts: DistrictsArg = None,
    neighbourhoods: Iterable[str] | None = None,
    age_bands: C.AgeBands = C.DEFAULT_AGE_BANDS,
    decimal: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    limits: ReadLimits | None = None,
    lang: str | None = None,
) -> ReadResult:
    """Read service-usage records from a .csv, .xlsx or .parquet file.

    Required: record id, service code, person id (pseudonymous), sex, district. Sex, disability and migrant
    status are normalised to :mod:`gcdb.columns` codes; age or birth year give the age band; a date gives the
    fiscal year. ``districts``: canonical list (default İstanbul's 39; ``False`` skips the check). A file holding
    names or T.C. kimlik numbers is refused (``personal_data``).
    """
    return _read(
        USAGE,
        path,
        strict=strict,
        aliases=aliases,
        sheet=sheet,
        encoding=encoding,
        sep=sep,
        districts=districts,
        neighbourhoods=neighbourhoods,
        age_bands=age_bands,
        decimal=decimal,
        limits=limits,
    )


@speaks
def read_population(
    path: str | Path,
    *,
    strict: bool = False,
    aliases: Mapping[str, str | None] | None = None,
    fiscal_year: int | None = None,
    districts: DistrictsArg = None,
    neighbourhoods: Iterable[str] | None = None,
    age_bands: C.AgeBands = C.DEFAULT_AGE_BANDS,
    decimal: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    limits: ReadLimits | None = None,
    lang: str | None = None,
) -> ReadResult:
    """Read a population baseline (district × sex × age band [× neighbourhood, year]) from a file.

    Age bands must be those of ``age_bands`` (default ``0-4, 5-14, 15-24, 25-44, 45-64, 65+``);
    ``fiscal_year`` fills the year of a file without a year column.
    """
    return _read(
        POPULATION,
        path,
        strict=strict,
        aliases=aliases,
        fiscal_year=fiscal_year,
        sheet=sheet,
        encoding=encoding,
        sep=sep,
        districts=districts,
        neighbourhoods=neighbourhoods,
        age_bands=age_bands,
        decimal=decimal,
        limits=limits,
    )


@speaks
def budget_from_frame(
    df: pd.DataFrame,
    *,
    source: str = "<DataFrame>",
    strict: bool = False,
    aliases: Mapping[str, str | None] | None = None,
    fiscal_year: int | None = None,
    money_unit: str = "auto",
    decimal: str | None = None,
    limits: ReadLimits | None = None,
    lang: str | None = None,
) -> ReadResult:
    """Validate budget lines held in a DataFrame, exactly as :func:`read_budget` validates a file.

    Amounts are lira (numbers or text), except integer columns under the canonical names, which are gcdb's own
    whole kuruş (``money_unit="auto"``); force a reading with ``money_unit="lira"`` or ``"kurus"``.
    """
    return validate_table(
        _frame_table(df, source),
        BUDGET,
        aliases=aliases,
        strict=strict,
        decimal=decimal,
        fiscal_year=fiscal_year,
        money_unit=money_unit,
        limits=limits,
    )


@speaks
def usage_from_frame(
    df: pd.DataFrame,
    *,
    source: str = "<DataFrame>",
    strict: bool = False,
    aliases: Mapping[str, str | None] | None = None,
    districts: DistrictsArg = None,
    neighbourhoods: Iterable[str] | None = None,
    age_bands: C.AgeBands = C.DEFAULT_AGE_BANDS,
    decimal: str | None = None,
    lang: str | None = None,
) -> ReadResult:
    """Validate service-usage records held in a DataFrame, exactly as :func:`read_usage` validates a file."""
    return validate_table(
        _frame_table(df, source),
        USAGE,
        aliases=aliases,
        strict=strict,
        districts=districts,
        neighbourhoods=neighbourhoods,
        age_bands=age_bands,
        decimal=decimal,
    )


@speaks
def population_from_frame(
    df: pd.DataFrame,
    *,
    source: str = "<DataFrame>",
    strict: bool = False,
    aliases: Mapping[str, str | None] | None = None,
    fiscal_year: int | None = None,
    districts: DistrictsArg = None,
    neighbourhoods: Iterable[str] | None = None,
    age_bands: C.AgeBands = C.DEFAULT_AGE_BANDS,
    decimal: str | None = None,
    lang: str | None = None,
) -> ReadResult:
    """Validate a population baseline held in a DataFrame, exactly as :func:`read_population` validates a file."""
    return validate_table(
        _frame_table(df, source),
        POPULATION,
        aliases=aliases,
        fiscal_year=fiscal_year,
        strict=strict,
        districts=districts,
        neighbourhoods=neighbourhoods,
        age_bands=age_bands,
        decimal=decimal,
    )
