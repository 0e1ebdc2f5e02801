"""Hashes of text columns on the Arrow buffers (gcdb.scale.hashing): the same as the algorithm written out per
text in plain Python, equal exactly for equal texts, independent of how the column is sliced or chunked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from gcdb.scale.hashing import combine_hashes, text_hashes

MASK = (1 << 64) - 1


def _fmix(x: int) -> int:
    x ^= x >> 33
    x = (x * 0xFF51AFD7ED558CCD) & MASK
    x ^= x >> 33
    x = (x * 0xC4CEB9FE1A85EC53) & MASK
    return x ^ (x >> 33)


def _reference(text: str, seed: int, i: int) -> int:
    """The hash of one text written out byte by byte: the length, then each little-endian word of 8 bytes (the
    last one zero-padded), chained through the finaliser."""
    data = text.encode("utf-8")
    h = _fmix(((len(data) * 0x9E3779B97F4A7C15) & MASK) ^ seed)
    for k in range(0, len(data), 8):
        word = int.from_bytes(data[k : k + 8].ljust(8, b"\0"), "little")
        h = _fmix(h ^ _fmix(word ^ ((seed * (k // 8 + 2) + i) & MASK)))
    return h


TEXTS = ["", "a", "P0001", "abcdefgh", "abcdefghi", "İstanbul Şişli Ğ ı", "x" * 70, "12345678901", "a\0b"]


def test_hashes_equal_the_algorithm_written_out_per_text():
    seeds = (3, 0xFFFF_FFFF_FFFF_FFF1)
    (a, b), present = text_hashes(pa.array(TEXTS, type=pa.string()), seeds)
    assert present.all()
    assert a.tolist() == [_reference(t, seeds[0], 0) for t in TEXTS]
    assert b.tolist() == [_reference(t, seeds[1], 1) for t in TEXTS]


def test_equal_texts_and_only_they_share_a_hash():
    rng = np.random.default_rng(5)
    ids = [
        f"P{i:0{w}d}"
        for i, w in zip(rng.integers(0, 5_000, 40_000), rng.integers(4, 20, 40_000), strict=True)
    ]
    (h,), _ = text_hashes(pa.array(ids, type=pa.large_string()), (11,))
    codes, _ = pd.factorize(pd.Series(ids))
    pairs = pd.DataFrame({"code": codes, "hash": h})
    assert pairs.groupby("code")["hash"].nunique().max() == 1
    assert pairs.groupby("hash")["code"].nunique().max() == 1
    # short texts of one length: the hash is a bijection of their bytes
    (short,), _ = text_hashes(pa.array([f"{i:08d}" for i in range(200_000)]), (11,))
    assert len(np.unique(short)) == 200_000


def test_slices_chunks_and_missing_values():
    values = pa.array(["R1", None, "R22", "", "R1", None, "ğüşçö" * 3], type=pa.large_string())
    (whole,), present = text_hashes(values, (7,))
    assert present.tolist() == [True, False, True, True, True, False, True]
    assert whole[0] == whole[4] and whole[0] != whole[2] and whole[3] != whole[0]
    (part,), _ = text_hashes(values.slice(2, 4), (7,))
    assert part.tolist() == whole[2:6].tolist()
    (chunked,), _ = text_hashes(pa.chunked_array([values.slice(0, 3), values.slice(3)]), (7,))
    assert chunked.tolist() == whole.tolist()
    (plain,), _ = text_hashes(values.cast(pa.string()), (7,))
    assert plain.tolist() == whole.tolist()
    (empty,), none = text_hashes(pa.array([], type=pa.large_string()), (7,))
    assert len(empty) == len(none) == 0


@pytest.mark.parametrize("n_parts", [1, 2, 3])
def test_combined_hashes_tell_tuples_apart(n_parts):
    rng = np.random.default_rng(n_parts)
    parts = [[f"{x}" for x in rng.integers(0, 30, 5_000)] for _ in range(n_parts)]
    hashes = [text_hashes(pa.array(p), (9,))[0][0] for p in parts]
    combined = combine_hashes(hashes)
    codes, _ = pd.factorize(pd.MultiIndex.from_arrays(parts))
    pairs = pd.DataFrame({"code": codes, "hash": combined})
    assert pairs.groupby("code")["hash"].nunique().max() == 1
    assert pairs.groupby("hash")["code"].nunique().max() == 1
    if n_parts == 2:  # order matters: (a, b) and (b, a) differ
        assert (combine_hashes(hashes[::-1]) != combined)[np.array(parts[0]) != np.array(parts[1])].all()
