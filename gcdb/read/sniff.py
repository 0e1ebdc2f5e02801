"""Detect how a CSV file is written: its text encoding and its field separator.

Encoding: Turkish CSV files come as UTF-8 (with or without a byte-order mark) or as Windows-1254 from Turkish
Excel. The bytes are decoded as UTF-8 **strictly** (``utf-8-sig`` so a BOM is dropped); if that fails anywhere
in the file, as Windows-1254. UTF-8 text with Turkish letters virtually never decodes by accident as the other
way round, and Windows-1254 text with Turkish letters (``ı`` = ``0xFD``, ``ş`` = ``0xFE``) is never valid UTF-8.
A byte that Windows-1254 leaves undefined makes the file unreadable.

Separator: ``;`` (Turkish Excel, because ``,`` is the decimal separator), ``,`` or tab. Each candidate splits the
first lines (quotes respected); the one that gives every sampled line the same number of fields as the header
line, and more than one, wins; among several, the most fields, and on a tie ``;`` before tab before ``,``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

UTF8 = "utf-8-sig"
CP1254 = "cp1254"
SEPARATORS = (";", "\t", ",")
SAMPLE_LINES = 50


@dataclass(frozen=True)
class CsvDialect:
    """What :func:`sniff_csv` found: ``encoding`` (``"utf-8-sig"`` or ``"cp1254"``), ``separator``, ``bom``."""

    encoding: str
    separator: str
    bom: bool


def decode(raw: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``raw`` bytes; returns ``(text, encoding used)``. Raises ``UnicodeDecodeError`` if nothing fits."""
    if encoding is not None:
        return raw.decode(encoding), encoding
    try:
        return raw.decode(UTF8), UTF8
    except UnicodeDecodeError:
        return raw.decode(CP1254), CP1254


def detect_separator(text: str, candidates: tuple[str, ...] = SEPARATORS) -> str:
    """The field separator of CSV ``text`` (see the module docstring)."""
    lines = [line for line in text[: 2000 * SAMPLE_LINES].splitlines()[:SAMPLE_LINES] if line.strip()]
    if not lines:
        return candidates[0]
    sample = "\n".join(lines)
    best: tuple[int, int, int, str] | None = None
    for rank, sep in enumerate(candidates):
        rows = [r for r in csv.reader(io.StringIO(sample), delimiter=sep) if r]
        counts = [len(r) for r in rows]
        if not counts:
            continue
        # ignore a short title line above the header: judge by the most common field count
        width = max(set(counts), key=lambda c: (counts.count(c), c))
        consistent = sum(c == width for c in counts)
        if width < 2:
            continue
        score = (consistent, width, -rank, sep)
        if best is None or score[:3] > best[:3]:
            best = score
    return best[3] if best else candidates[0]


def sniff_csv(
    raw: bytes, *, encoding: str | None = None, separator: str | None = None
) -> tuple[str, CsvDialect]:
    """Decode ``raw`` and detect its separator; returns ``(text, dialect)``. A BOM is removed from ``text``."""
    text, used = decode(raw, encoding)
    bom = raw.startswith(b"\xef\xbb\xbf")
    if text.startswith("\ufeff"):
        text = text[1:]
    sep = separator if separator is not None else detect_separator(text)
    return text, CsvDialect(encoding=used, separator=sep, bom=bom)
