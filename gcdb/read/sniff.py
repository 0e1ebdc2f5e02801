"""Detect how a CSV file is written: its text encoding and its field separator.

Encoding: Turkish CSV files come as UTF-8 (with or without a byte-order mark) or as Windows-1254 from Turkish
Excel. The bytes are decoded as UTF-8 **strictly** (``utf-8-sig`` so a BOM is dropped); if that fails anywhere
in the file, as Windows-1254. UTF-8 text with Turkish letters virtually never decodes by accident as the other
way round, and Windows-1254 text with Turkish letters (``ı`` = ``0xFD``, ``ş`` = ``0xFE``) is never valid UTF-8.
A byte that Windows-1254 leaves undefined makes the file unreadable.

Decoding is checked line by line (:func:`decode_checked`): a file whose lines are partly UTF-8 and partly
Windows-1254 (two exports pasted together) is decoded line by line, each line in its own encoding, and reported
(which lines, which encoding) instead of turning into mojibake. Excel's "Unicode text" (UTF-16 with a byte-order
mark, tab separated) is read; a file with NUL bytes that is not UTF-16 is binary and refused. Line ends may be
``\n``, ``\r\n`` or a lone ``\r`` (old Mac exports).

Separator: ``;`` (Turkish Excel, because ``,`` is the decimal separator), ``,`` or tab. Each candidate splits the
first lines (quotes respected); the one that gives every sampled line the same number of fields as the header
line, and more than one, wins; among several, the most fields, and on a tie ``;`` before tab before ``,``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from gcdb.i18n import Message

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


UTF16 = "utf-16"
_SHOWN_LINES = 10


@dataclass(frozen=True)
class Decoded:
    """What :func:`decode_checked` found: the ``text`` (BOM removed), the ``encoding`` (``"mixed"`` when lines
    differ) and ``notes`` (issue fields of file-level warnings)."""

    text: str
    encoding: str
    notes: tuple[dict, ...] = ()
    changed: bool = False  # True when ``text`` is not the plain decoding of the bytes (lines re-decoded)


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def decode_checked(raw: bytes, encoding: str | None = None) -> Decoded:
    """Decode ``raw`` with the checks of the module docstring. Raises :class:`ValueError` (message naming the line
    and byte) when the bytes are not text in any encoding gcdb reads."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) and (
        encoding is None or encoding.lower().startswith("utf-16")
    ):
        try:
            text = raw.decode(UTF16)
        except UnicodeDecodeError as exc:
            raise ValueError(Message("read.utf16_broken", byte=exc.start)) from exc
        return Decoded(text.lstrip("\ufeff"), UTF16)
    if encoding is not None:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ValueError(
                Message(
                    "read.not_in_encoding",
                    line=_line_of(raw, exc.start),
                    encoding=encoding,
                    byte=f"{raw[exc.start]:#04x}",
                    offset=exc.start,
                )
            ) from exc
        return Decoded(text.lstrip("\ufeff"), encoding)
    nul = raw.find(b"\x00")
    if nul >= 0:
        if _looks_utf16(raw):
            order = "utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be"
            try:
                return Decoded(raw.decode(order), order)
            except UnicodeDecodeError:
                pass
        raise ValueError(Message("read.binary", line=_line_of(raw, nul), offset=nul))
    try:
        return Decoded(raw.decode(UTF8).lstrip("\ufeff"), UTF8)
    except UnicodeDecodeError:
        pass
    return _decode_lines(raw)


def _looks_utf16(raw: bytes) -> bool:
    head = raw[:4096]
    if len(head) < 4:
        return False
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return max(even, odd) > 0.3 * (len(head) // 2) and min(even, odd) < 0.05 * (len(head) // 2)


def _decode_lines(raw: bytes) -> Decoded:
    """Not UTF-8 as a whole: Windows-1254, unless some lines are UTF-8 (then each line in its own encoding)."""
    lines = raw.split(b"\n")
    utf8_lines: list[int] = []
    cp_lines: list[int] = []
    parts: list[str] = []
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            parts.append(line.decode("ascii"))
            continue
        try:
            parts.append(line.decode("utf-8"))
            utf8_lines.append(number)
        except UnicodeDecodeError:
            try:
                parts.append(line.decode(CP1254))
            except UnicodeDecodeError as exc:
                raise ValueError(
                    Message("read.not_text_line", line=number, byte=f"{line[exc.start]:#04x}")
                ) from exc
            cp_lines.append(number)
    if not utf8_lines:
        return Decoded("\n".join(parts), CP1254)
    text = "\n".join(parts).lstrip("\ufeff")
    shown = ", ".join(map(str, cp_lines[:_SHOWN_LINES])) + (" …" if len(cp_lines) > _SHOWN_LINES else "")
    note = {
        "code": "mixed_encoding",
        "row": cp_lines[0],
        "message": Message("read.mixed_encoding", n_cp=len(cp_lines), lines=shown, n_utf8=len(utf8_lines)),
    }
    return Decoded(text, "mixed", (note,), changed=True)


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
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=sep) if r]
        except csv.Error:  # a cell beyond the csv module's field limit: split naively
            rows = [line.split(sep) for line in lines]
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
