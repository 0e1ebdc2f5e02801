"""Chunks validated through an executor (a process pool, threads, a Dask cluster): the same results as in one
process."""

from __future__ import annotations

import dataclasses
import warnings
from concurrent.futures import Executor, Future, ThreadPoolExecutor

import pandas as pd
import pytest
from scale_helpers import assert_issues_equal, small_usage

import gcdb
from gcdb import columns as C
from gcdb.errors import DataValidationError, IssueCode, UsageError
from gcdb.read.result import ReadResult
from gcdb.scale import (
    ChunkedRead,
    dask_executor,
    executor_from_env,
    executor_workers,
    local_executor,
    managed,
    read_budget_chunks,
    read_usage_chunks,
    thread_executor,
    usable_cores,
)

#: Assertions written against the English messages (gcdb speaks Turkish by default): the workers must speak the
#: caller's language, not their own default.
pytestmark = pytest.mark.usefixtures("english")

DISTRICTS = ["Fatih", "Kadıköy", "Şişli"]
CHUNK_ROWS = 100


def only_sex(result: ReadResult) -> ReadResult:
    """A transform: the chunk's data reduced to its rows per sex (module level, so it pickles)."""
    counts = result.data.groupby(C.SEX, observed=True).size().rename("rows").reset_index()
    return dataclasses.replace(result, data=counts)


@pytest.fixture(scope="module", params=["processes", "threads"])
def pool(request):
    """Two worker processes, or two threads of this process (the default of ``gcdb services``)."""
    with managed(local_executor(2) if request.param == "processes" else thread_executor(2)) as executor:
        yield executor


@pytest.fixture(scope="module")
def messy_csv(tmp_path_factory):
    """1,000 usage records (10 chunks of 100) in a cp1254 CSV: bad cells in late chunks, ids repeated across
    chunks (one of them also with a bad cell)."""
    frame = small_usage(1000, complete=True).astype({C.QUANTITY: "int64"}).astype({C.QUANTITY: "str"})
    frame[C.SEX] = frame[C.SEX].map({C.FEMALE: "Kadın", C.MALE: "Erkek"})
    frame.loc[849, C.SEX] = "Belki"  # file row 851, chunk 9
    frame.loc[990, C.DISTRICT] = "Atlantis"  # file row 992, chunk 10
    frame.loc[955, C.QUANTITY] = "çok"  # file row 957
    frame.loc[650, C.RECORD_ID] = frame.loc[3, C.RECORD_ID]  # chunks 1 and 7
    frame.loc[[120, 980], C.RECORD_ID] = frame.loc[110, C.RECORD_ID]  # three times, chunks 2 and 10
    frame.loc[980, C.SEX] = "Belki"
    path = tmp_path_factory.mktemp("executors") / "kullanim.csv"
    frame.rename(columns={C.SEX: "Cinsiyet", C.DISTRICT: "İlçe"}).to_csv(
        path, sep=";", index=False, encoding="cp1254"
    )
    return path


def _read(path, executor=None, **options):
    tracker = ChunkedRead()
    results = list(
        tracker.track(
            read_usage_chunks(path, chunk_rows=CHUNK_ROWS, executor=executor, districts=DISTRICTS, **options)
        )
    )
    return results, tracker.finish()


def _assert_same(a: ChunkedRead, b: ChunkedRead) -> None:
    pd.testing.assert_frame_equal(a.issues, b.issues, check_exact=True)
    pd.testing.assert_frame_equal(a.quarantine, b.quarantine, check_exact=True)
    pd.testing.assert_frame_equal(a.reconciliation, b.reconciliation, check_exact=True)
    pd.testing.assert_frame_equal(a.skipped, b.skipped, check_exact=True)
    assert (a.chunks, a.valid_rows, a.columns_map, a.ignored_columns, a.header_row, a.blank_rows) == (
        b.chunks,
        b.valid_rows,
        b.columns_map,
        b.ignored_columns,
        b.header_row,
        b.blank_rows,
    )


def _data(results) -> pd.DataFrame:
    return pd.concat([r.data for r in results], ignore_index=True)


@pytest.fixture(scope="module")
def sequential(messy_csv):
    from gcdb.i18n import using

    with using("en"):
        return _read(messy_csv)


# ---------------------------------------------------------------------------------------------------------------
# a local process pool
# ---------------------------------------------------------------------------------------------------------------
def test_pool_gives_the_sequential_results(messy_csv, sequential, pool):
    results, read = _read(messy_csv, pool)
    expected_results, expected = sequential
    assert read.chunks == 10
    _assert_same(expected, read)
    pd.testing.assert_frame_equal(_data(expected_results), _data(results), check_exact=True)
    for a, b in zip(expected_results, results, strict=True):  # chunk by chunk, in file order
        pd.testing.assert_frame_equal(a.issues, b.issues, check_exact=True)
        pd.testing.assert_frame_equal(a.quarantine, b.quarantine, check_exact=True)
    # … and both are the in-memory reader's outcome
    memory = gcdb.read_usage(messy_csv, districts=DISTRICTS)
    assert_issues_equal(memory.issues, read.issues)
    pd.testing.assert_frame_equal(memory.quarantine, read.quarantine, check_exact=True)
    pd.testing.assert_frame_equal(memory.data, _data(results), check_exact=True)
    assert read.quarantine[C.SOURCE_ROW].tolist() == [5, 112, 122, 652, 851, 957, 982, 992]
    message = read.errors.set_index(C.ISSUE_ROW).loc[652, C.ISSUE_MESSAGE]
    assert message == "record id appears 2 times (rows 5, 652)"


def test_transform_runs_in_both_paths(messy_csv, sequential, pool):
    plain, expected = sequential
    reduced, read = _read(messy_csv, transform=only_sex)
    pooled, pooled_read = _read(messy_csv, pool, transform=only_sex)
    for result, original in zip(reduced, plain, strict=True):
        pd.testing.assert_frame_equal(result.data, only_sex(original).data, check_exact=True)
    pd.testing.assert_frame_equal(_data(reduced), _data(pooled), check_exact=True)
    assert list(_data(pooled).columns) == [C.SEX, "rows"]
    # the read outcome does not depend on what the transform kept of the data
    _assert_same(expected, read)
    _assert_same(expected, pooled_read)
    assert pooled_read.valid_rows == len(_data(plain)) == 992


@pytest.mark.parametrize(("across", "good"), [(True, 0), (False, 1)])
def test_strict_raises_at_the_same_chunk(messy_csv, pool, across, good):
    def run(executor):
        seen = []
        with pytest.raises(DataValidationError) as info:
            for result in read_usage_chunks(
                messy_csv,
                chunk_rows=CHUNK_ROWS,
                strict=True,
                executor=executor,
                districts=DISTRICTS,
                ids_across_chunks=across,
            ):
                seen.append(result)
        return seen, info.value

    seen, error = run(None)
    pooled, pooled_error = run(pool)
    # chunk 1 holds row 5, an id repeated in chunk 7; unless ids are compared across chunks, chunk 2 (rows 112
    # and 122 share an id) is the first to fail
    assert len(seen) == len(pooled) == good
    assert str(error) == str(pooled_error) and "kullanim.csv" in str(error)
    pd.testing.assert_frame_equal(error.issues, pooled_error.issues, check_exact=True)


def test_refused_file_is_refused_through_the_pool(tmp_path, pool):
    frame = small_usage(30, complete=True)
    frame["Ad Soyad"] = None
    frame.loc[25, "Ad Soyad"] = "Ayşe Yılmaz"
    path = tmp_path / "personal.parquet"
    frame.to_parquet(path)
    with pytest.raises(DataValidationError) as info:
        list(read_usage_chunks(path, chunk_rows=10, districts=False, executor=pool))
    assert IssueCode.PERSONAL_DATA in set(info.value.issues[C.ISSUE_CODE])


def test_budget_chunks_through_the_pool(demo, pool):
    expected = ChunkedRead()
    parts = [r.data for r in expected.track(read_budget_chunks(demo.budget, chunk_rows=2000))]
    got = ChunkedRead()
    pooled = [r.data for r in got.track(read_budget_chunks(demo.budget, chunk_rows=2000, executor=pool))]
    _assert_same(expected.finish(), got.finish())
    pd.testing.assert_frame_equal(pd.concat(parts), pd.concat(pooled), check_exact=True)


class CountingPool(ThreadPoolExecutor):
    """A thread pool that counts the tasks submitted to it."""

    submitted = 0

    def submit(self, fn, /, *args, **kwargs):
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


class CountingExecutor(Executor):
    """An executor of no known kind (runs each task at once) that counts the tasks submitted to it."""

    submitted = 0
    workers = 2

    def submit(self, fn, /, *args, **kwargs):
        self.submitted += 1
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


@pytest.mark.parametrize(("make", "ahead"), [(lambda: CountingPool(max_workers=2), 3), (CountingExecutor, 4)])
def test_any_executor_with_a_bounded_number_in_flight(messy_csv, sequential, make, ahead):
    """Threads share this process's memory: their workers and one more chunk in flight; other executors (processes,
    a cluster) twice their workers."""
    expected_results, expected = sequential
    with make() as executor:
        tracker = ChunkedRead()
        chunks = read_usage_chunks(messy_csv, chunk_rows=CHUNK_ROWS, executor=executor, districts=DISTRICTS)
        results = []
        for i, result in enumerate(tracker.track(chunks)):
            assert executor.submitted <= i + ahead  # chunk i is out, at most `ahead` read ahead
            results.append(result)
            if i == 3:
                assert executor.submitted == i + ahead  # … and as many as that, to keep the workers busy
    assert executor.submitted == 10
    _assert_same(expected, tracker.finish())
    pd.testing.assert_frame_equal(_data(expected_results), _data(results), check_exact=True)


def test_local_executor_workers():
    assert local_executor(1) is None
    with managed(local_executor(3)) as executor:
        assert executor is not None and executor_workers(executor) == 3
    for bad in (0, -2, 1.5, True):
        with pytest.raises(UsageError, match="workers must be a whole number"):
            local_executor(bad)  # type: ignore[arg-type]
    with managed(None) as nothing:
        assert nothing is None


def test_thread_executor_threads():
    assert thread_executor(1) is None
    with managed(thread_executor(3)) as executor:
        assert isinstance(executor, ThreadPoolExecutor) and executor_workers(executor) == 3
    default = thread_executor()
    with managed(default):
        assert executor_workers(default) == min(usable_cores(), 8) if default else usable_cores() == 1
    for bad in (0, -1, 2.5, False):
        with pytest.raises(UsageError, match="workers must be a whole number"):
            thread_executor(bad)  # type: ignore[arg-type]


def test_thread_map_keeps_order_language_and_errors():
    import threading

    from gcdb.i18n import current_lang, using
    from gcdb.scale.executors import thread_map

    seen: set[str] = set()

    def work(x: int) -> tuple[int, str]:
        seen.add(threading.current_thread().name)
        return x * x, current_lang()

    for lang in ("en", "tr"):
        with using(lang):  # each call runs in a copy of the caller's context
            assert thread_map(work, range(20), threads=3) == [(x * x, lang) for x in range(20)]
            assert thread_map(work, [4], threads=3) == [(16, lang)]  # one item: in the calling thread
            assert thread_map(work, range(3), threads=1) == [(0, lang), (1, lang), (4, lang)]
    assert any(name.startswith("gcdb-chunk") for name in seen)

    def fails(x: int) -> int:
        if x == 2:
            raise ValueError("bad item")
        return x

    with pytest.raises(ValueError, match="bad item"):
        thread_map(fails, range(5), threads=2)


# ---------------------------------------------------------------------------------------------------------------
# a Dask cluster
# ---------------------------------------------------------------------------------------------------------------
def test_dask_cluster_gives_the_sequential_results(messy_csv, sequential):
    distributed = pytest.importorskip("distributed")
    expected_results, expected = sequential
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "sending large graph", ports in use: fine on a local cluster
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            with managed(dask_executor(cluster.scheduler_address)) as executor:
                assert executor is not None and executor_workers(executor) == 2
                results, read = _read(messy_csv, executor, transform=only_sex)
            assert executor.client.status == "closed"  # managed() closed the client it opened
    _assert_same(expected, read)
    pd.testing.assert_frame_equal(
        _data([only_sex(r) for r in expected_results]), _data(results), check_exact=True
    )


def test_unreachable_scheduler_is_a_usage_error():
    pytest.importorskip("distributed")
    with pytest.raises(UsageError) as info:
        dask_executor("tcp://127.0.0.1:9", timeout="1s")
    assert str(info.value).startswith("could not connect to the Dask scheduler: tcp://127.0.0.1:9 (")
    assert info.value.render("tr").startswith("Dask zamanlayıcısına bağlanılamadı: tcp://127.0.0.1:9 (")
    assert info.value.__cause__ is None  # no chained traceback to show


def test_executor_from_env():
    assert executor_from_env({}) is None
    assert executor_from_env({"GCDB_DASK": "  "}) is None
    with pytest.raises(UsageError, match="could not connect to the Dask scheduler: tcp://127.0.0.1:9"):
        executor_from_env({"GCDB_DASK": "tcp://127.0.0.1:9"}, timeout="1s")
    with pytest.raises(UsageError, match="Dask scheduler's address is needed"):
        dask_executor("")
