"""Person ids as integer codes, hashed once per run.

Only distinct persons are ever counted, so any one-to-one integer code of the ids gives the same counts.
:func:`gcdb.services.analyse_services` codes the ids once (dense integers ``0 … n − 1``, missing ids kept missing);
every count of users under it (breakdowns, the impact table's cube, headline, unknown status, benefit incidence,
indicators) takes those codes as they are instead of hashing millions of ids again. Ids that are not such codes
(text, or integers far beyond the number of records) are factorised.

Text ids of one width in bytes — what record systems generate: ``P00012345``, eleven digits, ``KS-2024-000017`` —
are read as numbers, without hashing a string (:func:`fixed_width_codes`): each byte position that varies is a
digit in a mixed radix of its own range, so ``P00000001 … P03333333`` become ``0 … 3,999,999`` exactly. Such keys in
a small range are the codes as they are; wider keys are hashed as integers, three times faster than the text.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from gcdb.text import arrow_strings, dictionary_codes

#: Integer ids below this bound (or below twice the number of records) are used as codes as they are.
DENSE_BOUND = 1 << 22
#: Text ids read as numbers (:func:`fixed_width_codes`) up to this width in bytes, and keys below this bound.
MAX_WIDTH = 64
KEY_BOUND = 1 << 62
#: The first rows, whose byte ranges already show whether the keys can fit (wider ids are rejected at once).
SAMPLE_ROWS = 1 << 16


def person_codes(ids: pd.Series, *, small: bool = False) -> tuple[np.ndarray, int]:
    """``(codes, n)``: an int64 code per record (``-1`` for a missing id) and a bound ``n ≥ 1`` above every code.

    Non-negative integer ids of a small range (the codes :func:`gcdb.services.analyse_services` gives) are their
    own codes (no hashing); anything else is factorised (``n`` = the number of distinct ids). ``small``: the codes
    as int32 when every one fits (4 bytes a record instead of 8).
    """
    narrow = (
        small and pd.api.types.is_signed_integer_dtype(ids.dtype) and getattr(ids.dtype, "itemsize", 8) <= 4
    )
    codes, n = _codes(ids, np.int32 if narrow else np.int64)  # (ids of 4 bytes or fewer: no int64 copy)
    if small and n < 2**31:
        return codes.astype(np.int32, copy=False), n
    return codes.astype(np.int64, copy=False), n


def _codes(ids: pd.Series, dtype: type[np.signedinteger]) -> tuple[np.ndarray, int]:
    """:func:`person_codes`, integer ids read as ``dtype`` (wide enough for them)."""
    if len(ids) and pd.api.types.is_integer_dtype(ids.dtype) and not pd.api.types.is_bool_dtype(ids.dtype):
        missing = ids.isna().to_numpy(dtype=bool)
        codes = ids.to_numpy(dtype=dtype, na_value=-1) if missing.any() else ids.to_numpy(dtype=dtype)
        present = codes[~missing] if missing.any() else codes
        if present.size == 0:
            return np.full(len(ids), -1, dtype=np.int64), 1
        low, high = int(present.min()), int(present.max())
        if low >= 0 and high < max(DENSE_BOUND, 2 * len(ids)):
            return codes, high + 1
    strings = arrow_strings(ids)
    if strings is not None:
        return text_codes(strings, fixed_width(strings))
    found, uniques = pd.factorize(ids, use_na_sentinel=True)
    return np.asarray(found, dtype=np.int64), max(len(uniques), 1)


def text_codes(strings: pa.ChunkedArray, fixed: FixedWidth | None) -> tuple[np.ndarray, int]:
    """:func:`person_codes` of Arrow text ids, int32 where they fit (callers widen): ``fixed`` (their
    :func:`fixed_width`, ``None`` for other text) read as numbers when the keys fit, else Arrow's dictionary
    encoding."""
    keyed = fixed_width_codes(fixed) if fixed is not None else None
    if keyed is not None:
        return keyed
    found, distinct = dictionary_codes(strings)
    return found, max(len(distinct), 1)


class FixedWidth(NamedTuple):
    """Text values of one width in bytes, as a view of their Arrow bytes: ``rows`` (``width`` bytes a row),
    ``valid`` (which of the ``n_rows`` values are present; ``None`` when all are). ``rows`` has a row for every
    value when missing values have bytes too (then their rows mean nothing), else a row for each present value."""

    rows: np.ndarray
    valid: np.ndarray | None
    n_rows: int


def fixed_width(strings: pa.ChunkedArray) -> FixedWidth | None:
    """The bytes of text whose present values all have one width (missing values: no bytes, or that width), no
    copy of a single chunk; ``None`` for other text, text wider than :data:`MAX_WIDTH` bytes, or text whose first
    rows already show keys too wide for :data:`KEY_BOUND`."""
    whole = strings.chunk(0) if strings.num_chunks == 1 else strings.combine_chunks()
    n_rows = len(whole)
    if n_rows == whole.null_count:
        return None
    offsets = np.frombuffer(whole.buffers()[1], dtype=np.int64, count=n_rows + 1, offset=whole.offset * 8)
    lengths = np.diff(offsets)
    valid = np.asarray(whole.is_valid(), dtype=bool) if whole.null_count else None
    present = lengths if valid is None else lengths[valid]
    width = int(present[0])
    if not 0 < width <= MAX_WIDTH or not (present == width).all():
        return None
    if valid is not None:
        absent = lengths[~valid]
        # missing values of the same width (a row for every value) or without bytes (a row for each present one)
        if not ((absent == width).all() or not absent.any()):
            return None
    size = int(offsets[-1] - offsets[0])
    data = np.frombuffer(whole.buffers()[2], dtype=np.uint8, count=size, offset=int(offsets[0]))
    rows = data.reshape(size // width, width)
    sample = rows[:SAMPLE_ROWS]
    if _bound(sample.min(axis=0), sample.max(axis=0)) >= KEY_BOUND:  # too wide already in the first rows
        return None
    return FixedWidth(rows, valid, n_rows)


def fixed_width_keys(text: FixedWidth) -> tuple[np.ndarray, int] | None:
    """``(keys, bound)``: the present values of ``text`` read as exact integers (equal keys for equal values and
    only for them), every key below ``bound``; ``None`` when the keys would not stay below :data:`KEY_BOUND`.

    Each byte position is a digit of a mixed radix: positions whose byte never changes are dropped, the others
    count from their smallest byte, so the radix of a position is the range of its bytes and ``bound`` their
    product (the keys sort as the text's bytes).
    """
    n = len(text.rows)
    columns = np.ascontiguousarray(text.rows.T)  # a byte position a row: its bytes contiguous
    low, high = columns.min(axis=1), columns.max(axis=1)
    bound = _bound(low, high)
    if bound >= KEY_BOUND:
        return None
    keys: np.ndarray = np.zeros(n, dtype=np.int32 if bound < 2**31 else np.int64)
    digit = np.empty(n, dtype=np.uint8)
    for j in np.flatnonzero(high > low):
        np.multiply(keys, int(high[j]) - int(low[j]) + 1, out=keys)
        np.subtract(columns[j], low[j], out=digit)
        np.add(keys, digit, out=keys, casting="unsafe")
    return keys, bound


def _bound(low: np.ndarray, high: np.ndarray) -> int:
    """The product of the byte positions' ranges (Python integers: no overflow)."""
    bound = 1
    for lo, hi in zip(low.tolist(), high.tolist(), strict=True):
        bound *= hi - lo + 1
    return bound


def fixed_width_codes(text: FixedWidth) -> tuple[np.ndarray, int] | None:
    """:func:`person_codes` of fixed-width text ids: their :func:`fixed_width_keys` as they are when their range
    is small, else hashed as integers; missing ids ``-1``. ``None`` when the keys would be too wide."""
    keyed = fixed_width_keys(text)
    if keyed is None:
        return None
    keys, bound = keyed
    if bound < max(DENSE_BOUND, 2 * text.n_rows):
        codes, n = keys, bound
    else:
        found, uniques = pd.factorize(keys)
        codes, n = found.astype(np.int32 if len(uniques) < 2**31 else np.int64, copy=False), len(uniques)
    if text.valid is None:
        return codes, max(n, 1)
    if len(codes) == text.n_rows:  # (a fresh array: the missing values' rows made -1 in place)
        codes[~text.valid] = -1
        return codes, max(n, 1)
    out = np.full(text.n_rows, -1, dtype=codes.dtype)
    out[text.valid] = codes
    return out, max(n, 1)
