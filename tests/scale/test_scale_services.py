"""Weighted distinct records (:mod:`gcdb.scale.services`): the reduction the out-of-core ``gcdb services`` path
analyses. That the analysis of them equals the analysis of the records is tested in
``tests/services/test_services_weighted.py`` and, through the CLI, in ``tests/services/test_services_cli.py``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from scale_helpers import assert_issues_equal

from gcdb import columns as C
from gcdb.equality.breakdown import USES_WEIGHT
from gcdb.errors import UsageError
from gcdb.scale.services import (
    RECORD_LEVEL,
    _partitioned_person_numbers,
    _person_hashes,
    _person_numbers,
    estimated_rows,
    usage_pairs,
    usage_pairs_file,
)


def _records() -> pd.DataFrame:
    # person P1 uses S1 three times (two with the same neighbourhood), P2 once; P3 has no quantity
    return pd.DataFrame(
        {
            C.RECORD_ID: ["r1", "r2", "r3", "r4", "r5", "r6"],
            C.SERVICE_CODE: ["S1", "S1", "S1", "S1", "S2", "S1"],
            C.DATE: pd.to_datetime(
                ["2024-01-05", "2024-03-01", "2024-07-09", "2024-02-02", "2023-12-31", "2024-05-05"]
            ),
            C.PERSON_ID: ["P1", "P1", "P1", "P2", "P1", "P3"],
            C.SEX: ["female", "female", "female", "male", "female", "female"],
            C.DISTRICT: ["Kadıköy"] * 6,
            C.NEIGHBOURHOOD: ["Moda", "Moda", pd.NA, "Moda", "Moda", "Moda"],
            C.QUANTITY: [1.0, 2.0, 4.0, 8.0, 16.0, np.nan],
        }
    ).astype({C.NEIGHBOURHOOD: "str"})


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in frame.columns if c not in (USES_WEIGHT, C.QUANTITY, C.PERSON_ID)]
    return frame.sort_values(keys + [USES_WEIGHT], kind="stable").reset_index(drop=True)


def test_records_of_one_person_in_one_cell_become_one_weighted_row():
    out = usage_pairs(_records())
    pairs = _sorted(out.pairs)
    assert out.records == 6 and len(pairs) == 5
    assert not set(RECORD_LEVEL) & set(pairs.columns)  # ids, dates and file rows do not travel
    assert sorted(pairs[C.FISCAL_YEAR].tolist()) == [2023, 2024, 2024, 2024, 2024]  # from the date
    moda = pairs[
        (pairs[C.SERVICE_CODE] == "S1") & (pairs[C.SEX] == "female") & pairs[C.NEIGHBOURHOOD].notna()
    ]
    assert sorted(moda[USES_WEIGHT].tolist()) == [1, 2] and sorted(moda[C.QUANTITY].tolist()) == [0.0, 3.0]
    assert int(pairs[USES_WEIGHT].sum()) == 6 and pairs[C.QUANTITY].sum() == 31.0
    # one number per person: P1's rows share it, P2 and P3 have their own
    assert (
        pairs[C.PERSON_ID].nunique() == 3 and pairs[C.PERSON_ID].dtype == "Int8"
    )  # the narrowest that holds
    # text as categoricals sorted as text; small integers in small types
    assert pairs[C.SERVICE_CODE].cat.categories.tolist() == sorted(pairs[C.SERVICE_CODE].cat.categories)
    assert pairs[USES_WEIGHT].dtype == "int8" and pairs[C.FISCAL_YEAR].dtype == "Int16"


def test_narrow_integer_types():
    from gcdb.scale.services import _narrow

    assert _narrow(pd.array([2024, None], dtype="Int64")).dtype == "Int16"
    assert _narrow(np.array([0, 70_000])).dtype == np.int32 and _narrow(np.array([-5, 3])).dtype == np.int8
    assert (
        _narrow(np.array([0, 2**40])).dtype == np.int64
        and _narrow(pd.array([None], dtype="Int64")).dtype == "Int8"
    )
    assert _narrow(np.array([0.5])).dtype == np.float64  # not integers: as they are


def test_chunks_of_any_size_and_order_give_the_same_rows():
    records = pd.concat([_records()] * 7, ignore_index=True).assign(
        **{C.RECORD_ID: [f"r{i}" for i in range(42)]}
    )
    whole = _sorted(usage_pairs(records).pairs)
    for size in (1, 5, 13):
        parts = [records.iloc[i : i + size] for i in range(0, len(records), size)]
        got = usage_pairs(parts[::-1])
        assert got.records == 42 and got.chunks == len(parts)
        pd.testing.assert_frame_equal(
            _sorted(got.pairs).drop(columns=C.PERSON_ID), whole.drop(columns=C.PERSON_ID)
        )


def test_partitions_combined_in_threads_give_the_same_rows_in_the_same_order():
    rng = np.random.default_rng(11)
    records = pd.concat([_records()] * 300, ignore_index=True)
    records[C.PERSON_ID] = pd.array([f"P{i}" for i in rng.integers(0, 400, len(records))], dtype="str")
    records[C.RECORD_ID] = [f"r{i}" for i in range(len(records))]
    parts = [records.iloc[i : i + 500] for i in range(0, len(records), 500)]
    one = usage_pairs(parts)
    two = usage_pairs(parts, threads=2)
    assert one.records == two.records == len(records) and len(one.pairs) < len(records)
    pd.testing.assert_frame_equal(one.pairs, two.pairs, check_exact=True)


def test_a_record_level_column_a_rule_reads_is_kept():
    pairs = usage_pairs(_records(), keep=[C.DATE]).pairs
    assert C.DATE in pairs.columns and len(pairs) == 6 and C.RECORD_ID not in pairs.columns


def test_persons_sharing_the_first_hash_are_told_apart_by_the_second():
    a = pd.Series(pd.array([7, 7, 7, 9, None], dtype="UInt64"))
    b = pd.Series(np.array([1, 2, 1, 5, 0], dtype=np.uint64))
    codes = _person_numbers(a, b)
    assert codes[0] == codes[2] and codes[0] != codes[1] and codes[3] not in (codes[0], codes[1])
    assert pd.isna(codes[4])


def test_person_numbers_by_partition_equal_the_numbers_of_the_whole():
    # persons split by hash into partitions, as the reducer splits them: numbered partition after partition,
    # each on its own, they get the numbers of the concatenation (first appearance), missing ids included
    rng = np.random.default_rng(3)
    ids = pd.Series([None if i % 17 == 0 else f"P{i}" for i in rng.integers(0, 400, 3_000)], dtype="str")
    a, b = _person_hashes(ids)
    b[:5] = 1  # a second hash that differs for a repeated first hash: the pair decides in that partition
    order = np.argsort(a.to_numpy(dtype=np.uint64, na_value=0) % np.uint64(4), kind="stable")
    a, b = a.take(order), b[order]
    part = a.to_numpy(dtype=np.uint64, na_value=0) % np.uint64(4)
    parts = [{C.PERSON_ID: a[part == p], "_person_b": b[part == p]} for p in range(4)]
    whole = _person_numbers(a, b)
    got = _partitioned_person_numbers(parts)
    pd.testing.assert_extension_array_equal(got, whole)
    assert got.isna().sum() == ids.isna().sum() and not any(parts[p] for p in range(4))  # columns handed over


def test_compact_issues_row_numbers_in_four_bytes_and_concatenation_frees_the_parts():
    from gcdb.scale.chunks import compact_issues, concat_issues

    issues = pd.DataFrame(
        {
            C.ISSUE_FILE: ["f.csv"] * 3,
            C.ISSUE_ROW: pd.array([2, None, 7], dtype="Int64"),
            C.ISSUE_COLUMN: ["a", "b", "a"],
            C.ISSUE_CODE: ["x", "y", "x"],
            C.ISSUE_SEVERITY: ["warning"] * 3,
            C.ISSUE_MESSAGE: ["m"] * 3,
            C.ISSUE_VALUE: ["1", "2", "1"],
        }
    )
    small = compact_issues(issues)
    assert small[C.ISSUE_ROW].dtype == "Int32"
    assert small[C.ISSUE_ROW].astype("Int64").equals(issues[C.ISSUE_ROW])
    parts = [small, compact_issues(issues.iloc[::-1].reset_index(drop=True))]
    joined = concat_issues(parts)
    assert parts == [] and len(joined) == 6
    assert joined[C.ISSUE_ROW].astype("Int64").fillna(0).tolist() == [2, 0, 7, 7, 0, 2]
    huge = issues.assign(**{C.ISSUE_ROW: pd.array([2**31, None, 1], dtype="Int64")})
    assert compact_issues(huge)[C.ISSUE_ROW].dtype == "Int64"  # beyond 4 bytes: as it is


def test_no_records_is_an_error():
    with pytest.raises(UsageError):
        usage_pairs([])


def test_a_file_is_validated_and_reduced_chunk_by_chunk(usage_csv, usage_csv_memory):
    out = usage_pairs_file(usage_csv, chunk_rows=60_000)
    assert out.read is not None and out.chunks == out.read.chunks > 1
    assert out.records == len(usage_csv_memory.data) == int(out.pairs[USES_WEIGHT].sum())
    assert_issues_equal(usage_csv_memory.issues, out.read.issues)
    expected = usage_pairs(usage_csv_memory.data).pairs
    pd.testing.assert_frame_equal(
        _sorted(out.pairs).drop(columns=C.PERSON_ID), _sorted(expected).drop(columns=C.PERSON_ID)
    )


def test_estimated_rows(usage_parquet, usage_csv, tmp_path):
    assert estimated_rows(usage_parquet) == pq.ParquetFile(usage_parquet).metadata.num_rows
    assert estimated_rows(usage_csv) > 100_000
    assert estimated_rows(tmp_path / "absent.csv") == 0
    assert estimated_rows(tmp_path / "kullanim.xlsx") == 0


def test_record_actions_are_the_same_tagged_slice_by_slice():
    """`gcdb services` tags millions of weighted rows a slice at a time: the same (row, action) links as
    tagging them whole, actions as categoricals sorted as text."""
    import warnings

    from gcdb import paths
    from gcdb.cli.services import _record_actions
    from gcdb.rules import load_ruleset, tag

    usage = pd.read_parquet(paths.demo() / "usage.parquet").iloc[:60_000]
    rules = load_ruleset(paths.rules() / "ibb_yeep_2021_services.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        sliced = _record_actions(usage, rules, rows=7_001)
        whole = tag(usage, rules).tags
    assert len(sliced) == len(whole) > 10_000
    assert sliced[C.ROW_ID].tolist() == whole[C.ROW_ID].tolist()
    assert sliced[C.ACTION_CODE].astype("str").tolist() == whole[C.ACTION_CODE].astype("str").tolist()
    categories = sliced[C.ACTION_CODE].cat.categories.tolist()
    assert categories == sorted(categories)


def test_a_read_that_keeps_the_first_issues_keeps_every_error_and_counts_them_all():
    from gcdb.read.result import ReadResult
    from gcdb.scale.chunks import ChunkedRead
    from gcdb.services.quality import quality_tables

    n = 100
    issues = pd.DataFrame(
        {
            C.ISSUE_FILE: ["u.csv"] * n,
            C.ISSUE_ROW: pd.array(np.arange(2, n + 2), dtype="Int64"),
            C.ISSUE_COLUMN: ["neighbourhood"] * n,
            C.ISSUE_CODE: ["unknown_neighbourhood"] * (n - 1) + ["bad_date"],
            C.ISSUE_SEVERITY: [C.WARNING] * (n - 1) + [C.ERROR],
            C.ISSUE_MESSAGE: ["m"] * n,
            C.ISSUE_VALUE: [f"v{i % 7}" for i in range(n)],
        }
    )

    def chunks():  # four chunks of 25 issues, the error in the last
        for start in range(0, n, 25):
            yield ReadResult(
                data=pd.DataFrame(),
                issues=issues.iloc[start : start + 25].reset_index(drop=True),
                quarantine=pd.DataFrame(),
                reconciliation=pd.DataFrame({"measure": ["rows"], "read": [25], "valid": [25]}),
                kind="usage",
                source="u.csv",
            )

    reads = []
    for keep in (None, 30):
        tracker = ChunkedRead(keep_issues=keep)
        for _ in tracker.track(chunks()):
            pass
        reads.append(tracker.finish())
    whole, kept = reads
    assert len(whole.issues) == n and len(kept.issues) == 31  # the first 30, and the error
    assert (
        whole.issues_found == kept.issues_found == n and kept.warnings_total == whole.warnings_total == n - 1
    )
    assert kept.ok == whole.ok is False and len(kept.errors) == len(whole.errors) == 1
    pd.testing.assert_frame_equal(kept.issues.head(30), whole.issues.head(30))
    assert kept.summary() == whole.summary()
    shown, _ = quality_tables([kept], limit=30)
    full, _ = quality_tables([whole], limit=30)
    assert shown.attrs["total"] == full.attrs["total"] == n
    pd.testing.assert_frame_equal(shown, full)
