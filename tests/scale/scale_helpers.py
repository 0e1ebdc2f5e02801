"""Helpers of the scale tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gcdb import columns as C

CHUNK = 50_000


def assert_issues_equal(memory: pd.DataFrame, chunked: pd.DataFrame) -> None:
    """The issues of a file read in chunks equal the in-memory reader's, text for text (the chunked read holds
    the repeated texts as categories: ``gcdb.scale.chunks.compact_issues``)."""
    for col in ("file", "column", "code", "severity", "message"):
        assert isinstance(chunked[col].dtype, pd.CategoricalDtype), col
    pd.testing.assert_frame_equal(memory, chunked.astype(memory.dtypes.to_dict()), check_exact=True)


def assert_tag_equal(a, b) -> None:
    """Two tag results are the same: tag table, audit rows, untagged rows and every coverage table."""
    pd.testing.assert_frame_equal(a.tags, b.tags, check_exact=True)
    pd.testing.assert_frame_equal(a.rows, b.rows, check_exact=True)
    pd.testing.assert_frame_equal(a.untagged, b.untagged, check_exact=True)
    left, right = a.coverage.to_frames(), b.coverage.to_frames()
    assert list(left) == list(right)
    for name, table in left.items():
        pd.testing.assert_frame_equal(table, right[name], check_exact=True, obj=f"coverage.{name}")


def small_usage(n: int = 40, seed: int = 0, *, complete: bool = False) -> pd.DataFrame:
    """A small frame of canonical usage records where persons repeat across any chunking.

    ``complete``: no missing person id (a file row without one is an error).
    """
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            C.RECORD_ID: [f"R{i:04d}" for i in range(n)],
            C.SERVICE_CODE: rng.choice(["SPR", "KRS"], n),
            C.PERSON_ID: pd.array(
                rng.choice(["P1", "P2", "P3", "P4"] if complete else ["P1", "P2", "P3", "P4", None], n),
                dtype="str",
            ),
            C.SEX: rng.choice([C.FEMALE, C.MALE], n),
            C.DISTRICT: rng.choice(["Fatih", "Kadıköy", "Şişli"], n),
            C.QUANTITY: rng.integers(1, 5, n).astype("float64"),
        }
    )
