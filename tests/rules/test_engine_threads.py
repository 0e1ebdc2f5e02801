"""Columns factorized in threads (gcdb.rules.compile.FrameView.prepare) and untagged rows picked by Arrow's
filter (gcdb.text.filter_rows): the same tag results, audit and coverage as one thread and pandas' own picking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from gcdb.rules import parse_ruleset, tag
from gcdb.scale import executors
from gcdb.text import filter_rows, take_chunked

pytestmark = pytest.mark.usefixtures("english")


def _chunked_text(values: np.ndarray, parts: int = 7) -> pd.Series:
    """Text as an Arrow column of several chunks (as a Parquet file of row groups reads)."""
    pieces = np.array_split(values.astype(object), parts)
    chunked = pa.chunked_array([pa.array(list(p), type=pa.large_string()) for p in pieces])
    return pd.Series(pd.array(chunked, dtype="str"))


@pytest.fixture
def records():
    rng = np.random.default_rng(11)
    n = 30_000
    sex = rng.choice(np.array(["female", "male", None], dtype=object), n, p=[0.5, 0.45, 0.05])
    frame = pd.DataFrame(
        {
            "sex": _chunked_text(sex),
            "district": _chunked_text(rng.choice(np.array(["Fatih", "Kadıköy", "Esenyurt", "Şile"]), n)),
            "service_code": _chunked_text(rng.choice(np.array(["S1", "S2", "S3"]), n)),
            "age": rng.integers(0, 95, n),
            "fiscal_year": rng.choice([2023, 2024], n),
            "kind": pd.Categorical(rng.choice(["a", "b"], n)),
            "count": pd.array(np.where(rng.random(n) < 0.1, None, rng.integers(0, 5, n)), dtype="Int64"),
        }
    )
    frame.index = frame.index * 2 + 5  # an index of its own, kept on the untagged rows
    return frame


def _rules(mode: str):
    rules = [
        {
            "id": "women",
            "when": {"column": "sex", "equals": "female"},
            "then": {"actions": ["W"], "allocation": 0.25},
        },
        {
            "id": "old_fatih",
            "when": {
                "all": [
                    {"column": "age", "between": {"min": 65}},
                    {"column": "district", "equals": "Fatih"},
                ]
            },
            "then": {"actions": ["O"], "allocation": 0.25},
            "priority": 2,
        },
        {
            "id": "s3",
            "when": {"column": "service_code", "in": ["S3"]},
            "then": {"actions": ["S"], "allocation": 0.25},
            "valid_from": 2024,
        },
        {
            "id": "kind_b",
            "when": {"column": "kind", "equals": "b"},
            "then": {"actions": ["K"], "allocation": 0.25},
        },
    ]
    return parse_ruleset({"name": "t", "applies_to": "usage", "mode": mode, "rules": rules})


@pytest.mark.parametrize("mode", ["first", "all"])
def test_threads_give_the_same_tags_audit_and_coverage(records, mode, monkeypatch):
    monkeypatch.setattr(executors, "THREADED_ROWS", 10**12)
    alone = tag(records, _rules(mode))
    monkeypatch.setattr(executors, "THREADED_ROWS", 0)
    threaded = tag(records, _rules(mode))
    pd.testing.assert_frame_equal(alone.tags, threaded.tags, check_exact=True)
    pd.testing.assert_frame_equal(alone.rows, threaded.rows, check_exact=True)
    pd.testing.assert_frame_equal(alone.untagged, threaded.untagged, check_exact=True)
    pd.testing.assert_frame_equal(alone.coverage.summary, threaded.coverage.summary, check_exact=True)
    assert 0 < len(alone.untagged) < len(records)


def test_untagged_rows_are_the_rows_no_rule_matched(records):
    result = tag(records, _rules("first"))
    unmatched = result.rows["rule_ids"] == ""
    expected = records[unmatched.to_numpy()]
    pd.testing.assert_frame_equal(result.untagged.drop(columns=["row_id"]), expected, check_exact=True)
    assert result.untagged["row_id"].tolist() == np.flatnonzero(unmatched.to_numpy()).tolist()


def test_filter_rows_is_boolean_indexing(records):
    mask = np.random.default_rng(2).random(len(records)) < 0.3
    pd.testing.assert_frame_equal(filter_rows(records, mask), records[mask], check_exact=True)
    assert filter_rows(records, np.zeros(len(records), dtype=bool)).shape == (0, records.shape[1])
    twice = pd.concat([records[["sex"]], records[["sex"]]], axis=1)  # repeated column names: pandas' own way
    pd.testing.assert_frame_equal(filter_rows(twice, mask), twice[mask], check_exact=True)


def test_filter_rows_at_chunk_edges(records):
    """Rows of one chunk only, every row, the first and last rows and each chunk's edges: pandas' own picking."""
    n = len(records)
    chunks = records["sex"].array.__arrow_array__().chunks
    edges = np.concatenate(
        [[0, n - 1], np.cumsum([len(c) for c in chunks])[:-1], np.cumsum([len(c) for c in chunks])[:-1] - 1]
    )
    masks = [np.arange(n) < 3000, np.ones(n, dtype=bool), np.isin(np.arange(n), edges), np.arange(n) >= n - 1]
    for mask in masks:
        pd.testing.assert_frame_equal(filter_rows(records, mask), records[mask], check_exact=True)


def test_take_chunked_keeps_chunks_apart():
    array = pa.chunked_array([pa.array(["a", "b", None]), pa.array([], pa.string()), pa.array(["c", "ç"])])
    taken = take_chunked(array, np.array([0, 2, 3, 4]))
    assert taken.to_pylist() == ["a", None, "c", "ç"]
    assert [len(c) for c in taken.chunks] == [2, 2]
    assert take_chunked(array, np.zeros(0, dtype=np.int64)).to_pylist() == []
