"""The issues table of a validated file, built as Arrow strings from the issues collected per check.

A check reports issues as arrays (row positions, header positions) with one code and severity, and a message and
a value that are one text or one text per row (the value defaults to the raw cell). A file with a warning on
every row (an unknown neighbourhood, say) has as many issues as rows: the table is built without an object array
per column — each text column is one Arrow ``take`` from the distinct texts (the parts' scalars, their arrays and
the raw columns named), in the table's order (data row, then column, then the order reported).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from gcdb import columns as C
from gcdb.read.result import RawTable
from gcdb.text import arrow_strings, str_series, text_array

#: The value of an issue is the raw text of its cell (the default of ``_Issues.add``).
RAW = None


def _texts(x, n: int) -> pa.Array:
    """An issue part's message or value as Arrow strings: one text (length 1) or ``n`` texts (missing → ``""``)."""
    if isinstance(x, str) or x is None:
        return pa.array(["" if x is None else x], type=pa.large_string())
    if isinstance(x, pd.Series):
        x = x.to_numpy(dtype=object)
    arr = np.asarray(x, dtype=object)
    arr = np.where(pd.isna(arr), "", arr)
    return text_array(arr)


def _raw_column(raw: RawTable, col: int) -> pa.Array:
    """The raw text of header position ``col`` (missing → ``""``)."""
    series = raw.frame.iloc[:, col]
    strings = arrow_strings(series)
    if strings is None:
        return pc.fill_null(text_array(series.to_numpy(dtype=object)), "")
    return pc.fill_null(strings, "").combine_chunks()


def _column(parts: Sequence[dict], key: str, raw: RawTable, order: np.ndarray) -> pa.Array:
    """One text column of the issues (``message`` or ``value``) in ``order``: one take from the distinct texts."""
    pieces: list[pa.Array] = []
    index: list[np.ndarray] = []
    base = 0
    raw_base: dict[int, int] = {}
    for p in parts:
        x, n = p[key], len(p["pos"])
        if key == "value" and x is RAW:
            idx = np.full(n, -1, dtype=np.int64)  # header position -1: no cell, ""
            for c in np.unique(p["col"]).tolist():
                if c < 0:
                    continue
                if c not in raw_base:
                    pieces.append(_raw_column(raw, int(c)))
                    raw_base[c] = base
                    base += len(pieces[-1])
                sel = p["col"] == c
                idx[sel] = raw_base[c] + p["pos"][sel]
            index.append(idx)
            continue
        texts = _texts(x, n)
        pieces.append(texts)
        index.append(np.full(n, base, dtype=np.int64) if len(texts) == 1 else base + np.arange(n))
        base += len(texts)
    pieces.append(pa.array([""], type=pa.large_string()))  # the empty text, for -1
    at = np.concatenate(index)
    at = np.where(at < 0, base, at)[order]
    table = pa.concat_arrays(pieces)
    return table.take(pa.array(at))


def issue_body(raw: RawTable, parts: Sequence[dict]) -> pd.DataFrame:
    """The issues of ``parts`` (dicts of ``pos``, ``col``, ``code``, ``severity``, ``message``, ``value``) as an
    issues table (:func:`gcdb.errors.issues_frame` columns and dtypes), sorted by data row then column (stable)."""
    pos = np.concatenate([p["pos"] for p in parts])
    col = np.concatenate([p["col"] for p in parts])
    rows = np.asarray(raw.source_row, dtype=np.int64)[pos]
    order = np.lexsort((col, rows))
    part = np.repeat(np.arange(len(parts)), [len(p["pos"]) for p in parts])[order]
    n = len(order)

    def per_part(key: str) -> pd.Series:
        texts = pa.array([str(p[key]) for p in parts], type=pa.large_string())
        return str_series(texts.take(pa.array(part)))

    headers = raw.headers
    names = _texts(np.asarray([*headers, ""], dtype=object), len(headers) + 1)
    source = pa.array([raw.source], type=pa.large_string())
    return pd.DataFrame(
        {
            C.ISSUE_FILE: str_series(source.take(pa.array(np.zeros(n, dtype=np.int64)))),
            C.ISSUE_ROW: pd.array(rows[order], dtype="Int64"),
            C.ISSUE_COLUMN: str_series(names.take(pa.array(np.where(col >= 0, col, len(headers))[order]))),
            C.ISSUE_CODE: per_part("code"),
            C.ISSUE_SEVERITY: per_part("severity"),
            C.ISSUE_MESSAGE: str_series(_column(parts, "message", raw, order)),
            C.ISSUE_VALUE: str_series(_column(parts, "value", raw, order)),
        },
        copy=False,
    )
