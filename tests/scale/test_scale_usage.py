"""Chunked usage path: reading in chunks, breakdown and impact table identical to the in-memory path."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scale_helpers import CHUNK, assert_issues_equal, small_usage

import gcdb
from gcdb import columns as C
from gcdb import paths
from gcdb.equality.breakdown import USES_WEIGHT
from gcdb.equality.names import TOTAL
from gcdb.errors import DataValidationError, IssueCode, UsageError
from gcdb.scale import (
    ChunkedRead,
    aggregate_usage,
    breakdown_chunked,
    impact_table_chunked,
    iter_raw_tables,
    read_usage_chunks,
    reduce_pairs,
)

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")

BY = [C.SEX, C.AGE_BAND, C.DISTRICT]
#: The demo's usage records and their chunks of 50,000 (the demo is regenerated as it grows).
DEMO_ROWS = pq.ParquetFile(paths.demo() / "usage.parquet").metadata.num_rows
DEMO_CHUNKS = -(-DEMO_ROWS // 50_000)


def _assert_read_equal(memory, chunked: ChunkedRead) -> None:
    assert_issues_equal(memory.issues, chunked.issues)
    pd.testing.assert_frame_equal(memory.quarantine, chunked.quarantine, check_exact=True)
    pd.testing.assert_frame_equal(memory.reconciliation, chunked.reconciliation, check_exact=True)
    assert chunked.valid_rows == len(memory.data)
    assert chunked.columns_map == dict(memory.columns_map)
    assert chunked.header_row == memory.header_row


# ---------------------------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["parquet", "csv"])
def test_chunks_concatenate_to_the_in_memory_data(request, kind):
    chunked = request.getfixturevalue(f"chunked_{kind}")
    memory = request.getfixturevalue("usage_memory" if kind == "parquet" else "usage_csv_memory")
    assert len(chunked.parts) == DEMO_CHUNKS  # the demo's rows in chunks of 50,000
    assert chunked.read.chunks == DEMO_CHUNKS
    pd.testing.assert_frame_equal(pd.concat(chunked.parts, ignore_index=True), memory.data, check_exact=True)
    _assert_read_equal(memory, chunked.read)
    assert f"{DEMO_ROWS:,} service usage rows read in {DEMO_CHUNKS} chunks" in chunked.read.summary()


def test_csv_fixture_is_turkish_excel(usage_csv, usage_csv_memory):
    raw = usage_csv.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.startswith("Kayıt No;".encode("cp1254"))
    assert usage_csv_memory.ok and len(usage_csv_memory.data) == DEMO_ROWS


def test_raw_rows_are_numbered_as_in_the_file(usage_csv):
    chunks = list(iter_raw_tables(usage_csv, kind="usage", chunk_rows=CHUNK))
    rows = np.concatenate([c.source_row for c in chunks])
    np.testing.assert_array_equal(rows, np.arange(2, DEMO_ROWS + 2))
    assert all(c.header_row == 1 and c.encoding == "cp1254" and c.separator == ";" for c in chunks)


def _bad_csv(tmp_path, n=1000):
    frame = small_usage(n, complete=True).astype({C.QUANTITY: "int64"})
    frame[C.SEX] = frame[C.SEX].map({C.FEMALE: "Kadın", C.MALE: "Erkek"})
    frame.loc[849, C.SEX] = "Belki"  # file row 851, chunk 9 of 10
    frame.loc[990, C.DISTRICT] = "Atlantis"  # file row 992, last chunk
    frame[C.QUANTITY] = frame[C.QUANTITY].astype("str")
    frame.loc[955, C.QUANTITY] = "çok"  # unparseable
    path = tmp_path / "bad.csv"
    frame.rename(columns={C.SEX: "Cinsiyet", C.DISTRICT: "İlçe"}).to_csv(
        path, sep=";", index=False, encoding="cp1254"
    )
    return path


def test_bad_rows_in_late_chunks_carry_the_file_row(tmp_path):
    path = _bad_csv(tmp_path)
    memory = gcdb.read_usage(path, districts=["Fatih", "Kadıköy", "Şişli"])
    agg = aggregate_usage(path, [C.SEX, C.DISTRICT], chunk_rows=100, districts=["Fatih", "Kadıköy", "Şişli"])
    assert agg.chunks == 10
    _assert_read_equal(memory, agg.read)
    errors = agg.read.errors.set_index(C.ISSUE_ROW)
    assert errors.loc[851, C.ISSUE_CODE] == IssueCode.UNKNOWN_SEX
    assert errors.loc[851, C.ISSUE_VALUE] == "Belki"
    assert errors.loc[992, C.ISSUE_CODE] == IssueCode.UNKNOWN_DISTRICT
    assert errors.loc[957, C.ISSUE_CODE] == IssueCode.UNPARSEABLE_NUMBER
    assert agg.read.quarantine[C.SOURCE_ROW].tolist() == [851, 957, 992]
    assert agg.rows == len(memory.data) == 997
    pd.testing.assert_frame_equal(
        gcdb.breakdown(memory.data, [C.SEX, C.DISTRICT]),
        gcdb.breakdown(agg.pairs, [C.SEX, C.DISTRICT]),
        check_exact=True,
    )


@pytest.mark.parametrize("duplicate", [False, True])
def test_chunks_build_only_the_issues_the_read_keeps(tmp_path, duplicate):
    # a warning on most rows (neighbourhoods no one knows), errors in late chunks, and (second case) an id
    # repeated across chunks: each chunk lists only its first issues and every error, and the read keeps
    # and counts what it keeps and counts when every chunk lists them all
    frame = pd.read_csv(_bad_csv(tmp_path), sep=";", encoding="cp1254", dtype=str)
    frame["Mahalle"] = np.where(np.arange(len(frame)) % 3 == 0, "", "Bilinmeyen")
    frame.loc[np.arange(len(frame)) % 100 == 85, "İlçe"] = ""  # a warning checked before, late in each chunk
    if duplicate:
        frame.loc[620, C.RECORD_ID] = frame.loc[40, C.RECORD_ID]  # rows of chunks 1 and 7
    path = tmp_path / "warned.csv"
    frame.to_csv(path, sep=";", index=False)
    options = dict(chunk_rows=100)  # İstanbul: neighbourhoods checked against TÜİK's names
    reads = []
    for listed in (None, 40):
        tracker = ChunkedRead(keep_issues=40)
        chunks = list(tracker.track(read_usage_chunks(path, keep_issues=listed, **options)))
        reads.append(tracker.finish())
        if listed is not None:
            assert sum(len(c.issues) for c in chunks) < sum(c.issues_found for c in chunks)
    every, first = reads
    assert first.issues_found == every.issues_found > 600 and len(first.errors) == len(every.errors) >= 3
    pd.testing.assert_frame_equal(first.issues, every.issues, check_exact=True)
    pd.testing.assert_frame_equal(first.quarantine, every.quarantine, check_exact=True)
    assert first.summary() == every.summary()


def test_duplicate_id_within_a_chunk_is_quarantined_as_in_memory(tmp_path):
    frame = small_usage(30, complete=True)
    frame.loc[21, C.RECORD_ID] = frame.loc[20, C.RECORD_ID]
    path = tmp_path / "dup.parquet"
    frame.to_parquet(path)
    memory = gcdb.read_usage(path, districts=False)
    agg = aggregate_usage(path, [C.SEX], chunk_rows=10, districts=False)
    _assert_read_equal(memory, agg.read)
    assert memory.quarantine[C.SOURCE_ROW].tolist() == [22, 23]


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_duplicate_ids_across_chunks_are_quarantined_as_in_memory(tmp_path, suffix):
    frame = small_usage(30, complete=True)
    frame.loc[25, C.RECORD_ID] = frame.loc[3, C.RECORD_ID]  # chunks 1 and 3
    frame.loc[[12, 28], C.RECORD_ID] = frame.loc[11, C.RECORD_ID]  # three times, two chunks
    frame.loc[28, C.SEX] = "Belki"  # a duplicate with another error too
    path = tmp_path / f"dup{suffix}"
    frame.to_parquet(path) if suffix == ".parquet" else frame.to_csv(path, sep=";", index=False)
    memory = gcdb.read_usage(path, districts=False)
    agg = aggregate_usage(path, [C.SEX], chunk_rows=10, districts=False)
    _assert_read_equal(memory, agg.read)
    assert agg.read.quarantine[C.SOURCE_ROW].tolist() == [5, 13, 14, 27, 30]
    message = agg.read.errors.set_index(C.ISSUE_ROW).loc[27, C.ISSUE_MESSAGE]
    assert message == "record id appears 2 times (rows 5, 27)"
    pd.testing.assert_frame_equal(
        gcdb.breakdown(memory.data, [C.SEX]), gcdb.breakdown(agg.pairs, [C.SEX]), check_exact=True
    )
    unchecked = aggregate_usage(path, [C.SEX], chunk_rows=10, districts=False, ids_across_chunks=False)
    assert unchecked.rows == len(memory.data) + 2  # rows 5 and 27 (other chunks) pass unseen


def test_personal_data_in_a_late_chunk_refuses_the_file(tmp_path):
    frame = small_usage(30, complete=True)
    frame["Ad Soyad"] = None
    path = tmp_path / "personal.parquet"
    frame.to_parquet(path)
    with pytest.raises(DataValidationError) as info:
        list(read_usage_chunks(path, chunk_rows=10, districts=False))
    assert IssueCode.PERSONAL_DATA in set(info.value.issues[C.ISSUE_CODE])


def test_strict_raises_at_the_first_bad_chunk(tmp_path):
    path = _bad_csv(tmp_path)
    chunks = read_usage_chunks(path, chunk_rows=100, strict=True, districts=["Fatih", "Kadıköy", "Şişli"])
    good = [next(chunks) for _ in range(8)]  # records 1–800 (file lines 2–801)
    assert all(r.ok for r in good)
    with pytest.raises(DataValidationError, match="bad.csv"):
        next(chunks)


def test_mixed_decimal_separators_need_an_explicit_decimal(tmp_path):
    frame = small_usage(20, complete=True)
    frame[C.QUANTITY] = ["1,5"] * 10 + ["2.5"] * 10
    path = tmp_path / "mixed.csv"
    frame.to_csv(path, sep=";", index=False)
    with pytest.raises(UsageError, match="decimal="):
        list(read_usage_chunks(path, chunk_rows=5, districts=False))
    parts = list(read_usage_chunks(path, chunk_rows=5, districts=False, decimal=","))
    memory = gcdb.read_usage(path, districts=False, decimal=",")
    pd.testing.assert_frame_equal(pd.concat([p.data for p in parts], ignore_index=True), memory.data)


def test_decimal_evidence_of_a_late_chunk_applies_to_the_first(tmp_path):
    # "1.234" alone is ambiguous; a later "2,5" settles it: Turkish decimal comma, so 1.234 is one thousand …
    frame = small_usage(20, complete=True)
    frame[C.QUANTITY] = ["1.234"] * 15 + ["2,5"] * 5
    path = tmp_path / "late.csv"
    frame.to_csv(path, sep=";", index=False)
    parts = list(read_usage_chunks(path, chunk_rows=5, districts=False))
    memory = gcdb.read_usage(path, districts=False)
    pd.testing.assert_frame_equal(pd.concat([p.data for p in parts], ignore_index=True), memory.data)
    assert memory.data[C.QUANTITY].iloc[0] == 1234.0


def test_missing_file_and_bad_chunk_rows(tmp_path):
    with pytest.raises(DataValidationError):
        list(read_usage_chunks(tmp_path / "none.csv"))
    with pytest.raises(UsageError, match="chunk_rows"):
        list(read_usage_chunks(tmp_path / "none.csv", chunk_rows=0))


# ---------------------------------------------------------------------------------------------------------------
# breakdown and impact table on the demo data
# ---------------------------------------------------------------------------------------------------------------
def test_breakdown_chunked_equals_in_memory(usage_parquet, usage_memory):
    expected = gcdb.breakdown(usage_memory.data, BY, service=C.SERVICE_CODE)
    got = breakdown_chunked(usage_parquet, BY, service=C.SERVICE_CODE, chunk_rows=CHUNK)
    pd.testing.assert_frame_equal(expected, got, check_exact=True)
    # users are distinct persons: the total of a service is its distinct persons, not a sum over chunks
    persons = usage_memory.data.groupby(C.SERVICE_CODE)[C.PERSON_ID].nunique()
    totals = got[(got[C.SEX] == TOTAL) & (got[C.AGE_BAND] == TOTAL) & (got[C.DISTRICT] == TOTAL)]
    assert totals.set_index(C.SERVICE_CODE)["users"].to_dict() == persons.to_dict()


def test_impact_table_chunked_from_the_csv(usage_csv, usage_csv_memory, population):
    dims = [C.SEX, C.DISABILITY]
    expected = gcdb.impact_table(
        usage_csv_memory.data, population, dims, service=C.SERVICE_CODE, fiscal_year=2024
    )
    got = impact_table_chunked(
        usage_csv, population, dims, service=C.SERVICE_CODE, fiscal_year=2024, chunk_rows=CHUNK
    )
    pd.testing.assert_frame_equal(expected, got, check_exact=True)


@pytest.mark.parametrize("kind", ["parquet", "csv"])
def test_breakdowns_on_the_pairs_equal_in_memory(request, kind, population):
    pairs = request.getfixturevalue(f"chunked_{kind}").agg.pairs
    memory = request.getfixturevalue("usage_memory" if kind == "parquet" else "usage_csv_memory").data
    for by, service, pop in [
        (BY, C.SERVICE_CODE, None),
        ([C.DISTRICT, C.NEIGHBOURHOOD], None, population),
        ([C.DISABILITY, C.MIGRANT_STATUS], C.FISCAL_YEAR, None),
    ]:
        expected = gcdb.breakdown(memory, by, service=service, population=pop)
        got = gcdb.breakdown(pairs, by, service=service, population=pop)
        pd.testing.assert_frame_equal(expected, got, check_exact=True, obj=str(by))


@pytest.mark.parametrize("measure", ["users", "uses", "quantity"])
def test_impact_tables_on_the_pairs_equal_in_memory(chunked_parquet, usage_memory, population, measure):
    dims = [C.SEX, C.AGE_BAND, C.MIGRANT_STATUS, (C.SEX, C.DISTRICT)]
    expected = gcdb.impact_table(usage_memory.data, population, dims, fiscal_year=2023, measure=measure)
    got = gcdb.impact_table(chunked_parquet.agg.pairs, population, dims, fiscal_year=2023, measure=measure)
    pd.testing.assert_frame_equal(expected, got, check_exact=True)
    assert expected.attrs == got.attrs


def test_pairs_are_distinct_and_keep_every_use(chunked_parquet):
    agg = chunked_parquet.agg
    assert agg.rows == DEMO_ROWS and agg.chunks == DEMO_CHUNKS
    assert len(agg.pairs) < agg.rows
    assert int(agg.pairs[USES_WEIGHT].sum()) == agg.rows
    assert not agg.pairs.duplicated([*agg.columns, C.PERSON_ID]).any()


# ---------------------------------------------------------------------------------------------------------------
# small hand-made cases: a person in several chunks
# ---------------------------------------------------------------------------------------------------------------
def test_a_person_in_every_chunk_is_one_user():
    frame = pd.DataFrame(
        {
            C.PERSON_ID: ["P1", "P2", "P1", "P1", "P3", "P1", None],
            C.SEX: [C.FEMALE, C.MALE, C.FEMALE, C.FEMALE, C.FEMALE, C.FEMALE, C.MALE],
            C.DISTRICT: ["Fatih", "Fatih", "Şişli", "Fatih", "Şişli", "Şişli", "Fatih"],
            C.QUANTITY: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
        }
    )
    chunks = [frame.iloc[i : i + 2] for i in range(0, len(frame), 2)]
    got = breakdown_chunked(chunks, [C.SEX, C.DISTRICT])
    pd.testing.assert_frame_equal(gcdb.breakdown(frame, [C.SEX, C.DISTRICT]), got, check_exact=True)
    women = got[(got[C.SEX] == C.FEMALE) & (got[C.DISTRICT] == got[C.DISTRICT].iloc[-1])]
    assert women["users"].item() == 2  # P1 (in chunks 1, 2 and 3) and P3
    assert women["uses"].item() == 5
    grand = got.iloc[-1]
    assert (grand["users"], grand["uses"], grand["quantity"]) == (3, 7, 28.0)


def test_reduce_pairs_is_associative():
    frame = small_usage(60, seed=3)
    cols = [C.SEX, C.DISTRICT]
    once = reduce_pairs(frame, cols)
    twice = reduce_pairs(
        pd.concat([reduce_pairs(frame.iloc[:25], cols), reduce_pairs(frame.iloc[25:], cols)]), cols
    )
    key = [*cols, C.PERSON_ID]
    pd.testing.assert_frame_equal(
        once.sort_values(key).reset_index(drop=True), twice.sort_values(key).reset_index(drop=True)
    )


def test_chunked_read_options_apply_to_files_only():
    with pytest.raises(UsageError, match="files only"):
        breakdown_chunked(small_usage(), [C.SEX], districts=False)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(min_value=1, max_value=40),
    seed=st.integers(min_value=0, max_value=10_000),
    chunk_rows=st.integers(min_value=1, max_value=45),
    margins=st.booleans(),
)
def test_breakdown_is_invariant_to_the_chunk_size(n, seed, chunk_rows, margins):
    frame = small_usage(n, seed)
    by = [C.SEX, C.DISTRICT]
    expected = gcdb.breakdown(frame, by, service=C.SERVICE_CODE, margins=margins)
    got = breakdown_chunked(frame, by, service=C.SERVICE_CODE, margins=margins, chunk_rows=chunk_rows)
    pd.testing.assert_frame_equal(expected, got, check_exact=True)


def test_usage_with_a_bom_in_chunks():
    from pathlib import Path

    path = Path(__file__).parent.parent / "ingest" / "data" / "usage_bom.csv"
    memory = gcdb.read_usage(path)
    tracker = ChunkedRead()
    parts = [r.data for r in tracker.track(read_usage_chunks(path, chunk_rows=1))]
    tracker.finish()
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), memory.data, check_exact=True)
    _assert_read_equal(memory, tracker)


def test_import_gcdb_scale_does_not_import_dask():
    import subprocess
    import sys

    code = "import sys, gcdb.scale; gcdb.scale.breakdown_chunked; print('dask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("chunk_rows", [1, 3, 7, 50])
def test_missing_values_and_categoricals_survive_the_reduction(chunk_rows):
    rng = np.random.default_rng(1)
    n = 50
    frame = pd.DataFrame(
        {
            C.PERSON_ID: pd.array(rng.choice(["a", "b", "c", None], n), dtype="str"),
            C.SEX: pd.Categorical(rng.choice([C.FEMALE, C.MALE, None], n), categories=list(C.SEX_CODES)),
            C.AGE_BAND: pd.Categorical(
                rng.choice(["0-4", "65+", None], n), categories=list(C.DEFAULT_AGE_BANDS.labels)
            ),
            C.DISTRICT: pd.array(rng.choice(["Fatih", "Şişli", None], n), dtype="str"),
            C.QUANTITY: np.where(rng.random(n) < 0.2, np.nan, rng.integers(1, 9, n)).astype("float64"),
        }
    )
    by = [C.SEX, C.AGE_BAND, C.DISTRICT]
    expected = gcdb.breakdown(frame, by)
    pd.testing.assert_frame_equal(
        expected, breakdown_chunked(frame, by, chunk_rows=chunk_rows), check_exact=True
    )
