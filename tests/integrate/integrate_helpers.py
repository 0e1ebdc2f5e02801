"""Helpers of the integration tests: read the tables of gcdb's workbooks, find the demo's files."""

from __future__ import annotations

from pathlib import Path

from gcdb import paths


def table_after(ws, title: str, *, total: str = "Toplam") -> tuple[list[str], list[list], list | None]:
    """The table under the title cell ``title`` on sheet ``ws``: (header, data rows, total row or None).

    Tables are written as: title, note lines, a blank row, the header, the data rows, an optional total row."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r and r[0] == title)
    at = start + 1
    while any(c is not None for c in rows[at]):  # the note lines under the title
        at += 1
    while rows[at][0] is None:  # the blank row(s) before the header
        at += 1
    header = [c for c in rows[at] if c is not None]
    body, total_row = [], None
    for r in rows[at + 1 :]:
        if r[0] is None:
            break
        if r[0] == total:
            total_row = r[: len(header)]
            break
        body.append(r[: len(header)])
    return header, body, total_row


DEMO = paths.demo()


def demo_file(*parts: str) -> Path:
    return DEMO.joinpath(*parts)
