"""A deterministic workbook: identical inputs give byte-identical ``.xlsx`` files.

:class:`ReportWorkbook` wraps ``xlsxwriter.Workbook``:

* document properties carry the run date — the ``created`` argument, else the ``SOURCE_DATE_EPOCH`` environment
  variable (the reproducible-builds convention: set it and identical inputs give identical files), else now;
* the workbook is built in memory, where xlsxwriter stamps every zip entry 1980-01-01 00:00, so the zip bytes
  do not depend on the clock or the time zone; the file is written at :meth:`close` (atomically: a temporary file
  renamed over the target), and not at all if the ``with`` block raises;
* strings are never turned into formulas, URLs or numbers behind the caller's back;
* sheet names are sanitised (≤ 31 characters, none of ``[]:*?/\\``, no leading/trailing apostrophe, unique
  ignoring case).
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

import pandas as pd
import xlsxwriter

from gcdb.errors import UsageError
from gcdb.report import i18n
from gcdb.report.sheet import ColumnSpec, RatioOf, TableRef, register_sheet, write_table
from gcdb.report.style import Styles


def file_checksum(path: str | os.PathLike) -> tuple[int, str]:
    """Size in bytes and SHA-256 (hex) of a file; for a folder, of its files' relative names and digests.

    A folder's digest is the SHA-256 of the lines ``<relative path>\\0<file sha256>\\n`` of its files in sorted
    order, so it changes when any file is added, removed, renamed or edited.
    """
    target = Path(path)
    if target.is_dir():
        files = sorted(p for p in target.rglob("*") if p.is_file())
        outer, size = hashlib.sha256(), 0
        for file in files:
            n, digest = file_checksum(file)
            size += n
            outer.update(f"{file.relative_to(target).as_posix()}\0{digest}\n".encode())
        return size, outer.hexdigest()
    sha = hashlib.sha256()
    with open(target, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return target.stat().st_size, sha.hexdigest()


def display_path(path: str | os.PathLike) -> str:
    """An input's path as a report shows it: relative to the working directory when under it (no server paths in
    a published workbook for the usual run from the data folder), otherwise as given."""
    target = Path(path)
    try:
        return target.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


CHART_DATA_SHEET: Final = "gcdb_chart_data"
SHEET_NAME_MAX: Final = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def source_date_epoch() -> datetime | None:
    """The date ``SOURCE_DATE_EPOCH`` fixes (UTC), or None when it is not set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH must be an integer number of seconds, got {epoch!r}") from None


def resolve_created(created: datetime | date | None = None) -> datetime:
    """The report's run date (UTC): the argument, else ``SOURCE_DATE_EPOCH``, else now (to the second)."""
    if created is None:
        fixed = source_date_epoch()
        return fixed if fixed is not None else datetime.now(UTC).replace(microsecond=0)
    if not isinstance(created, datetime):
        created = datetime(created.year, created.month, created.day, tzinfo=UTC)
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return created.astimezone(UTC)


def run_date_text(created: datetime, text: str, lang: str = "tr") -> str:
    """``text`` (the formatted run date), with a note when it is the date ``SOURCE_DATE_EPOCH`` fixes rather than
    the day of the run."""
    if created == source_date_epoch():
        return i18n.t("note.fixed_date", lang, date=text)
    return text


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _truncate(text: str, limit: int) -> str:
    while _utf16_len(text) > limit:
        text = text[:-1]
    return text


def sanitize_sheet_name(name: str, taken: Iterable[str] = (), *, fallback: str = "Sheet") -> str:
    """A valid, unused Excel sheet name close to ``name``.

    Forbidden characters become ``-``, control characters are dropped, leading/trailing apostrophes and spaces
    are stripped, the name is cut to 31 characters and, if it is already ``taken`` (ignoring case), numbered
    ``name (2)``, ``name (3)`` …
    """
    text = _CONTROL.sub("", str(name))
    text = _FORBIDDEN.sub("-", text).strip().strip("'").strip()
    if not text:
        text = fallback
    elif text.casefold() == "history":  # Excel reserves "History"
        text = f"{text} ({fallback})"
    text = _truncate(text, SHEET_NAME_MAX).rstrip().rstrip("'")
    used = {t.lower() for t in taken} | {t.casefold() for t in taken}
    candidate, number = text, 1
    while candidate.lower() in used or candidate.casefold() in used:
        number += 1
        suffix = f" ({number})"
        candidate = _truncate(text, SHEET_NAME_MAX - len(suffix)).rstrip().rstrip("'") + suffix
    return candidate


class ReportWorkbook:
    """A report workbook written deterministically to ``path`` (a file path or a binary file object).

    Use as a context manager::

        with ReportWorkbook("tcdb.xlsx", lang="tr", title=t("title.tcdb", "tr")) as book:
            ref = book.add_table_sheet(t("sheet.actions", "tr"), frame, [ColumnSpec(...), ...])
    """

    def __init__(
        self,
        path: str | os.PathLike | io.IOBase,
        *,
        lang: str = "tr",
        title: str = "",
        subject: str = "",
        author: str = "gcdb",
        keywords: str = "",
        comments: str = "",
        created: datetime | date | None = None,
    ):
        i18n._check_lang(lang)
        self.path = path
        self.lang = lang
        self.created = resolve_created(created)
        self._buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(
            self._buffer,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        from gcdb import __version__

        self.workbook.set_properties(
            {
                "title": title,
                "subject": subject,
                "author": author,
                "company": "",
                "keywords": keywords,
                "comments": comments or f"gcdb {__version__}",
                "created": self.created,
            }
        )
        self.workbook.set_calc_mode("auto")
        self.styles = Styles(self.workbook, lang)
        self._chart_name: str | None = None  # the hidden chart-data sheet, added last at close()
        self._chart_cells: list[tuple] = []
        self._chart_columns: dict[tuple, list] = {}
        self._closed = False

    # -- context manager ------------------------------------------------------------------------------------
    def __enter__(self) -> ReportWorkbook:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self._closed = True  # discard: never leave a half-written report behind

    # -- sheets ---------------------------------------------------------------------------------------------
    @property
    def sheet_names(self) -> list[str]:
        return [ws.name for ws in self.workbook.worksheets()]

    def sheet_name(self, name: str) -> str:
        """The name :meth:`add_sheet` would give a sheet asked for as ``name``."""
        taken = self.sheet_names + ([self._chart_name] if self._chart_name else [])
        return sanitize_sheet_name(name, taken, fallback=i18n.t("sheet.default", self.lang))

    def add_sheet(self, name: str) -> Any:
        """Add a worksheet (name sanitised, see :func:`sanitize_sheet_name`) wired to this workbook's styles."""
        ws = self.workbook.add_worksheet(self.sheet_name(name))
        register_sheet(ws, self.styles)
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)  # print fitted to the page width
        ws.hide_gridlines(2)
        return ws

    def add_table_sheet(
        self,
        name: str,
        frame: pd.DataFrame,
        columns: Sequence[ColumnSpec] | None = None,
        *,
        title: str | None = None,
        notes: Iterable[str] = (),
        total_row: bool | Mapping[str, str | RatioOf] = False,
        landscape: bool = True,
        **kwargs: Any,
    ) -> TableRef:
        """Add a sheet holding one table (see :func:`gcdb.report.sheet.write_table`); return its reference.

        The sheet prints on A4, fitted to the page width, with the header row repeated on every page.
        """
        ws = self.add_sheet(name)
        ref = write_table(
            ws,
            frame,
            columns,
            lang=kwargs.pop("lang", self.lang),
            title=title,
            notes=notes,
            total_row=total_row,
            styles=self.styles,
            **kwargs,
        )
        if landscape:
            ws.set_landscape()
        ws.repeat_rows(ref.header_row)
        return ref

    def chart_values(self, ref: TableRef, name: str) -> list:
        """A chart-ready copy of column ``name`` of ``ref`` on a hidden sheet; return its chart range.

        Each copied cell is ``=IF(ISNUMBER(cell),cell,NA())``, so suppressed (``<5``) and blank cells become
        ``#N/A``, which charts leave out instead of drawing a zero. The copy follows edits of the table. The
        hidden sheet is added at :meth:`close`, after every visible sheet, so it never sits between them.
        """
        key = (ref.sheet, ref.first_row, ref.columns[name])
        if key in self._chart_columns:
            return self._chart_columns[key]
        if self._chart_name is None:
            self._chart_name = self.sheet_name(CHART_DATA_SHEET)
        col = len(self._chart_columns)
        cells = self._chart_cells
        cells.append((0, col, ref.labels[name], False, None, None))
        fmt = self.styles.cell(ref.kinds[name])
        values = ref.values(name)
        assert not isinstance(values, list), f"chart of the text column {name!r}"  # charts plot numbers
        for i, value in enumerate(values.tolist()):
            cell = ref.cell(name, i)
            cached = value if math.isfinite(value) else "#N/A"
            cells.append((1 + i, col, f"=IF(ISNUMBER({cell}),{cell},NA())", True, fmt, cached))
        chart_range = [self._chart_name, 1, col, ref.n_rows, col]
        self._chart_columns[key] = chart_range
        return chart_range

    def _write_chart_sheet(self) -> None:
        if self._chart_name is None:
            return
        ws = self.workbook.add_worksheet(self._chart_name)
        register_sheet(ws, self.styles)
        ws.hide()
        for row, col, text, formula, fmt, cached in self._chart_cells:
            if formula:
                ws.write_formula(row, col, text, fmt, cached)
            else:
                ws.write_string(row, col, text)
        self._chart_cells = []

    def add_chart(self, options: Mapping[str, Any]) -> Any:
        """``xlsxwriter.Workbook.add_chart`` (charts are built by :mod:`gcdb.report.charts`)."""
        return self.workbook.add_chart(dict(options))

    # -- output ---------------------------------------------------------------------------------------------
    def close(self) -> None:
        """Finish the workbook and write it to ``path``."""
        if self._closed:
            return
        self._closed = True
        if not self.workbook.worksheets():
            self.add_sheet(i18n.t("sheet.default", self.lang))
        self._write_chart_sheet()
        self.workbook.close()
        data = self._buffer.getvalue()
        if isinstance(self.path, str | os.PathLike):
            target = Path(self.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            try:
                with open(tmp, "wb") as handle:  # ordinary permissions (umask), unlike mkstemp's 0600
                    handle.write(data)
                os.replace(tmp, target)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
        else:
            self.path.write(data)

    def getvalue(self) -> bytes:
        """The workbook's bytes (after :meth:`close`)."""
        if not self._closed:
            raise UsageError("the workbook is not closed yet")
        return self._buffer.getvalue()
