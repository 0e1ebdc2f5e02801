"""64-bit hashes of text columns, computed on the Arrow buffers with numpy: no Python string is made.

A file read in chunks needs two hashes of tens of millions of texts: the record ids (to find the ids that repeat
across chunks) and the person ids (to count each person once across chunks without holding the ids). pandas
hashes text by turning the column into Python strings first, which costs more than the hashing itself. Here
each text is read from the Arrow data buffer eight bytes at a time (one strided view of the buffer, so every
byte position is a 64-bit word), and the words are chained through MurmurHash3's 64-bit finaliser, a
bijection: the length first, then each word, with the bytes past the text's end masked off. Texts of up to
eight bytes and the same length never collide. Every step is a numpy operation over all the rows that still
have a word left, so the cost follows the bytes of the column, never its longest text times its rows.

The hashes only decide which texts are equal (the results are numbered by first appearance), so they are not
part of any output; they are the same in every process and on every machine (fixed seeds, little-endian words).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["combine_hashes", "text_hashes"]

_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S33 = np.uint64(33)
_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)


def _fmix(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, in place (a bijection of uint64)."""
    x ^= x >> _S33
    x *= _M1
    x ^= x >> _S33
    x *= _M2
    x ^= x >> _S33
    return x


def _large_strings(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if values.type not in (pa.large_string(), pa.large_binary()):
        values = values.cast(pa.large_binary() if pa.types.is_binary(values.type) else pa.large_string())
    return values


def text_hashes(
    values: pa.Array | pa.ChunkedArray, seeds: Sequence[int]
) -> tuple[list[np.ndarray], np.ndarray]:
    """One 64-bit hash of every text of ``values`` per seed (``uint64`` arrays), and which texts are present
    (a missing text's hashes are those of the empty text: mask them with the second array)."""
    arr = _large_strings(values)
    n = len(arr)
    present = np.ones(n, dtype=bool) if arr.null_count == 0 else np.asarray(pc.is_valid(arr), dtype=bool)
    _, offset_buf, data_buf = arr.buffers()
    offsets = (
        np.frombuffer(offset_buf, dtype=np.int64, count=n + 1, offset=arr.offset * 8)
        if n
        else np.zeros(1, np.int64)
    )
    first, last = int(offsets[0]), int(offsets[-1])
    data = np.zeros(last - first + 8, dtype=np.uint8)  # eight zero bytes after the last text: whole words
    if last > first:
        data[: last - first] = np.frombuffer(data_buf, dtype=np.uint8, count=last - first, offset=first)
    # every byte position as the start of a little-endian 64-bit word (a view: no copy)
    words = np.ndarray(shape=(len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))
    start = offsets[:-1] - first
    length = (offsets[1:] - offsets[:-1]).astype(np.uint64)
    hashes = []
    for seed in seeds:
        h = length * _GOLDEN
        h ^= np.uint64(seed & 0xFFFFFFFFFFFFFFFF)
        hashes.append(_fmix(h))
    n_words = (length + np.uint64(7)) // np.uint64(8)
    rows: np.ndarray | None = None  # None: every row
    for k in range(int(n_words.max()) if n else 0):
        if rows is None and bool((n_words <= k).any()):
            rows = np.flatnonzero(n_words > k)
        elif rows is not None:
            rows = rows[n_words[rows] > k]
        at = start + 8 * k if rows is None else start[rows] + 8 * k
        word = words[at]  # a copy (fancy indexing), masked to the text's own bytes below
        left = np.minimum((length if rows is None else length[rows]) - np.uint64(8 * k), np.uint64(8))
        word &= _ALL >> (np.uint64(8) * (np.uint64(8) - left))  # left ≥ 1: a shift of 0 to 56
        for i, (seed, h) in enumerate(zip(seeds, hashes, strict=True)):
            mixed = _fmix(word ^ np.uint64((seed * (k + 2) + i) & 0xFFFFFFFFFFFFFFFF))
            if rows is None:
                h ^= mixed
                _fmix(h)
            else:
                part = h[rows]
                part ^= mixed
                h[rows] = _fmix(part)
    return hashes, present


def combine_hashes(hashes: Sequence[np.ndarray]) -> np.ndarray:
    """One hash of the tuples whose parts' hashes are ``hashes`` (in order; a new array)."""
    out = np.full(len(hashes[0]) if hashes else 0, _GOLDEN, dtype=np.uint64)
    for h in hashes:
        out ^= h
        _fmix(out)
        out += _GOLDEN
    return out
