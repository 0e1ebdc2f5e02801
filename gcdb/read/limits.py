"""Resource limits of the readers: a hostile file is refused before it can exhaust memory or time.

=======================  ===========================  ===============================================================
limit                    default                      raise it with
=======================  ===========================  ===============================================================
``max_cells``            5,000,000 cells of a sheet   ``--max-cells N``, ``GCDB_MAX_CELLS``, ``ReadLimits(max_cells=…)``
``max_inflated_bytes``   2 GB unpacked (.xlsx)        ``--max-inflated-mb N``, ``GCDB_MAX_INFLATED_MB``
``max_ratio``            100 × compression of a       ``GCDB_MAX_RATIO``, ``ReadLimits(max_ratio=…)``
                         member larger than 10 MB
``max_line_amount``      10^12 TL on one budget line  ``--max-line-amount TL``, ``GCDB_MAX_LINE_AMOUNT``
=======================  ===========================  ===============================================================

An .xlsx file is a zip of XML parts: before openpyxl reads it, :func:`check_xlsx` reads the zip's directory
(unpacked sizes, compression ratios) and the declared ``<dimension ref="A1:…"/>`` of the sheet to read, and the
reader counts the cells it meets while reading (a dimension can lie). Each refusal names the limit and how to raise
it. Municipal files are far below these limits: İBB's whole analytic budget is about 100,000 cells.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, fields
from pathlib import Path

from gcdb.errors import UsageError
from gcdb.i18n import Message, format_int

MB = 1024 * 1024
_ENV = {
    "max_cells": ("GCDB_MAX_CELLS", 1),
    "max_inflated_bytes": ("GCDB_MAX_INFLATED_MB", MB),
    "max_ratio": ("GCDB_MAX_RATIO", 1),
    "max_line_amount": ("GCDB_MAX_LINE_AMOUNT", 1),
}
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?([0-9]+)?(?::([A-Z]{1,3})([0-9]+))?\"")


class LimitExceeded(Exception):
    """A file goes beyond a :class:`ReadLimits` limit (the reader turns it into a ``limit_exceeded`` error)."""


@dataclass(frozen=True)
class ReadLimits:
    """Limits the readers enforce (see the module docstring). ``ReadLimits.from_env()`` applies the
    ``GCDB_MAX_*`` environment variables over the defaults."""

    max_cells: int = 5_000_000
    max_inflated_bytes: int = 2 * 1024 * MB
    max_ratio: float = 100.0
    ratio_min_bytes: int = 10 * MB
    #: largest amount of one budget line, in lira (10^12 TL: a thousand times İBB's whole yearly budget)
    max_line_amount: int = 10**12

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise UsageError(Message("read.limit_positive", name=f.name, value=repr(value)))

    @classmethod
    def from_env(cls, **overrides) -> ReadLimits:
        """Defaults, then ``GCDB_MAX_CELLS``, ``GCDB_MAX_INFLATED_MB``, ``GCDB_MAX_RATIO``,
        ``GCDB_MAX_LINE_AMOUNT``, then ``overrides`` (``None`` values ignored)."""
        values: dict = {}
        for name, (var, unit) in _ENV.items():
            text = os.environ.get(var)
            if text:
                try:
                    number = float(text.replace("_", ""))
                except ValueError:
                    raise UsageError(Message("read.env_not_number", var=var, value=repr(text))) from None
                values[name] = int(number * unit) if name != "max_ratio" else number
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def resolve(limits: ReadLimits | None) -> ReadLimits:
    """``limits``, or the defaults with the environment applied."""
    if limits is None:
        return ReadLimits.from_env()
    if not isinstance(limits, ReadLimits):
        raise UsageError(Message("read.limits_type", type=type(limits).__name__))
    return limits


def column_number(letters: str) -> int:
    """``A`` → 1, ``XFD`` → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def check_zip(path: Path, limits: ReadLimits) -> zipfile.ZipFile:
    """Open an .xlsx as a zip and refuse it if it unpacks beyond the limits (sizes from the zip directory)."""
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValueError(Message("read.zip_broken", error=str(exc))) from exc
    infos = book.infolist()
    total = sum(i.file_size for i in infos)
    if total > limits.max_inflated_bytes:
        book.close()
        raise LimitExceeded(
            Message(
                "read.limit_inflated",
                mb=format_int(round(total / MB)),
                limit=format_int(round(limits.max_inflated_bytes / MB)),
            )
        )
    for info in infos:
        if info.file_size < limits.ratio_min_bytes or info.compress_size <= 0:
            continue
        ratio = info.file_size / info.compress_size
        if ratio > limits.max_ratio:
            book.close()
            raise LimitExceeded(
                Message(
                    "read.limit_ratio",
                    part=info.filename,
                    ratio=format_int(round(ratio)),
                    kb=format_int(round(info.compress_size / 1024)),
                    mb=format_int(round(info.file_size / MB)),
                    limit=format_int(round(limits.max_ratio)),
                    over=format_int(round(limits.ratio_min_bytes / MB)),
                )
            )
    return book


def declared_cells(book: zipfile.ZipFile, member: str) -> tuple[int, str] | None:
    """``(cells, ref)`` of a sheet's declared ``<dimension>`` (read from the head of its XML), or ``None``."""
    try:
        with book.open(member) as fh:
            head = fh.read(1 << 16)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
    m = _DIMENSION.search(head)
    if m is None or not m.group(3):
        return None
    first_col, first_row = column_number((m.group(1) or b"A").decode()), int(m.group(2) or 1)
    last_col, last_row = column_number(m.group(3).decode()), int(m.group(4))
    cells = max(last_col - first_col + 1, 1) * max(last_row - first_row + 1, 1)
    return cells, m.group(0).decode().split('"')[1]


def check_dimension(book: zipfile.ZipFile, member: str, sheet: str, limits: ReadLimits) -> None:
    """Refuse a sheet whose declared dimension holds more than ``max_cells`` cells."""
    found = declared_cells(book, member)
    if found is not None and found[0] > limits.max_cells:
        raise LimitExceeded(
            Message(
                "read.limit_dimension",
                sheet=repr(sheet),
                range=found[1],
                cells=format_int(found[0]),
                limit=format_int(limits.max_cells),
            )
        )


def too_many_cells(sheet: str, rows: int, width: int, limits: ReadLimits) -> LimitExceeded:
    return LimitExceeded(
        Message(
            "read.limit_cells",
            sheet=repr(sheet),
            limit=format_int(limits.max_cells),
            rows=format_int(rows),
            columns=format_int(width),
        )
    )
