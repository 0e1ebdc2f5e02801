"""Breakdowns, rates and ratios over 5 dimensions, against fairlearn's ``MetricFrame`` and DuckDB ``GROUP BY``.

Dimensions: sex × age band × disability × migrant status × district (4 × 6 × 3 × 5 × 39 = 14,040 cells).

* ``test_breakdown_margins`` — ``gcdb.breakdown(usage, dims)``: every one of the 32 margins (2⁵ subsets), distinct
  users, uses and quantity per cell, zero cells included; against DuckDB ``GROUP BY CUBE(dims)`` with
  ``count(DISTINCT person_id), count(*), sum(quantity)`` (the observed cells of every margin). Every non-empty
  gcdb cell is checked to equal DuckDB's row and vice versa.
* ``test_breakdown_cross`` — ``gcdb.breakdown(usage, dims, margins=[dims, []])``: the full cross plus the grand
  total; against fairlearn ``MetricFrame`` (``sensitive_features`` = the 5 columns, metrics: rows and distinct
  person ids per group, ``by_group`` + ``overall``) and DuckDB ``GROUP BY GROUPING SETS ((dims), ())``. Counts
  are checked equal.
* ``test_impact_table`` — ``gcdb.impact_table(usage, population, dims)``: coverage rates per 1,000 residents with
  Wilson intervals, rate ratios (Katz), differences (Newcombe), representation indices and four-fifths flags for
  each dimension, with disclosure control (k = 5) and its audit. No external counterpart.

**The peers** (:mod:`peers`) count distinct users the way a competent user would: the distinct (cell, person)
pairs first, then the counts of every margin over those pairs — DuckDB ``CUBE`` with ``count(DISTINCT)`` over the
pairs and a two-level ``GROUPING SETS`` without any distinct aggregate (the faster of the two is the peer), the
full cross as ``count(*)`` of the pairs; polars ``group_by`` / ``n_unique`` over the pairs, the 32 margins as one
lazy ``concat``. For the impact table the peers compute the distinct users of its 5 one-dimension margins
(migrant statuses pooled), checked equal to the table's ``users``; gcdb also computes the rates, intervals,
ratios, flags and disclosure control. The ``count(DISTINCT person_id)`` over every row under ``CUBE`` /
``GROUPING SETS`` is kept as a **naive reference** (``…_duckdb`` measurements; the CUBE one only up to 2M rows:
≈ 80 s at 10M).

DuckDB gets the frame registered as an Arrow table, polars gets it through ``pl.from_arrow`` (neither timed) and
both return Arrow / polars tables; they use every core (2 here). fairlearn gets the person ids already factorised
to integers (not included). gcdb runs on one core.
"""

from __future__ import annotations

import time

import data
import duckdb
import numpy as np
import pandas as pd
import peers
import pyarrow as pa
import pytest
from limits import EXTERNAL_FULL_MAX_ROWS

import gcdb
from gcdb.equality import names as N

DIMS = list(data.USAGE_DIMENSIONS)
_SECONDS: dict[tuple[str, int], float] = {}


@pytest.fixture(scope="module")
def usage(bench_rows):
    return data.cached("usage", bench_rows)


@pytest.fixture(scope="module")
def duck(usage):
    con = duckdb.connect()
    start = time.perf_counter()
    con.register("usage", pa.Table.from_pandas(usage[[*DIMS, "person_id", "quantity"]], preserve_index=False))
    yield con, time.perf_counter() - start
    con.close()


@pytest.fixture(scope="module")
def polars_usage(usage):
    pytest.importorskip("polars")
    start = time.perf_counter()
    frame = peers.polars_frame(usage[[*DIMS, "person_id", "quantity"]])
    return frame.lazy(), time.perf_counter() - start


def _peer_rounds(rows: int) -> int:
    return 3 if rows <= EXTERNAL_FULL_MAX_ROWS else 2


def _record_peer(bench_record, name, rows, seconds, ours, peer, **extra) -> float:
    ratio = ours / seconds
    bench_record(name, rows, seconds, ratio_gcdb_over_peer=ratio, target=1.0, peer=peer, **extra)
    return ratio


def _best(fn, rounds: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(rounds):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def _rounds(rows: int) -> int:
    """Rounds of gcdb's own stages (best of)."""
    return 3 if rows <= 2_000_000 else 2


def _external_rounds(rows: int) -> int:
    """Rounds of DuckDB (best of): one above 2M rows, where a CUBE takes minutes."""
    return 3 if rows <= EXTERNAL_FULL_MAX_ROWS else 1


def _as_keyed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[[*DIMS, N.USERS, N.USES]].copy()
    for d in DIMS:
        out[d] = out[d].astype("str").fillna(N.TOTAL)
    out[N.USERS] = out[N.USERS].astype(np.int64)
    out[N.USES] = out[N.USES].astype(np.int64)
    return out.set_index(DIMS).sort_index()


def _check_equal(ours: pd.DataFrame, theirs: pd.DataFrame, what: str) -> None:
    ours = _as_keyed(ours)
    ours = ours[ours[N.USES] > 0]
    theirs = _as_keyed(theirs)
    assert len(ours) == len(theirs), f"{what}: {len(ours)} non-empty gcdb cells vs {len(theirs)}"
    joined = ours.merge(theirs, left_index=True, right_index=True, how="outer", suffixes=("", "_other"))
    assert joined.notna().all().all(), f"{what}: cells differ"
    for m in (N.USERS, N.USES):
        assert (joined[m] == joined[f"{m}_other"]).all(), f"{what}: {m} differ"


def _duck_sql(grouping: str) -> str:
    cols = ", ".join(DIMS)
    return (
        f"SELECT {cols}, count(DISTINCT person_id) AS users, count(*) AS uses, sum(quantity) AS quantity "
        f"FROM usage GROUP BY {grouping.format(cols=cols)}"
    )


def _time_duck(con, sql: str, rows: int) -> tuple[float, float, pd.DataFrame]:
    run = lambda: con.sql(sql).to_arrow_table()  # noqa: E731
    seconds, table = _best(run, _external_rounds(rows))
    seconds_1 = None
    if rows <= EXTERNAL_FULL_MAX_ROWS:
        con.execute("SET threads = 1")
        seconds_1 = _best(run, 1)[0]
        con.execute("RESET threads")
    return seconds, seconds_1, table.to_pandas()


def _one_thread(seconds: float | None, seconds_1: float | None) -> str:
    return "not run" if seconds_1 is None else f"{seconds_1:.2f}"


def _ratio(ours: float, theirs: float | None) -> str:
    return "—" if theirs is None else f"{ours / theirs:.2f}"


def _time_peer(fn, rows: int) -> tuple[float, object]:
    return _best(fn, _peer_rounds(rows))


def test_breakdown_margins(benchmark, usage, duck, polars_usage, bench_rows, bench_notes, bench_record):
    duck, load_seconds = duck
    seconds, ours = benchmark.pedantic(
        lambda: _best(lambda: gcdb.breakdown(usage, DIMS), _rounds(bench_rows)), rounds=1, iterations=1
    )
    bench_record("breakdown_margins", bench_rows, seconds, cells=len(ours))
    # the peers: pre-aggregated (distinct (cell, person) pairs first), checked equal, then timed
    results = {}
    for name, sql in (
        ("duckdb_preagg_cube", peers.duckdb_margins_sql(DIMS)),
        ("duckdb_preagg_two_level", peers.duckdb_margins_two_level_sql(DIMS)),
    ):
        run = lambda sql=sql: duck.sql(sql).to_arrow_table()  # noqa: E731
        _check_equal(ours, run().to_pandas(), f"breakdown vs DuckDB {name}")
        results[name] = _time_peer(run, bench_rows)[0]
    lf, _ = polars_usage
    query = peers.polars_margins(lf, DIMS)
    _check_equal(ours, query.collect().to_pandas(), "breakdown vs polars margins")
    p_sec = _time_peer(query.collect, bench_rows)[0]
    best = min(results, key=results.get)
    d_ratio = _record_peer(
        bench_record,
        "breakdown_margins_duckdb_preagg",
        bench_rows,
        results[best],
        seconds,
        f"benchmarks/peers.py: {'duckdb_margins_sql' if best.endswith('cube') else 'duckdb_margins_two_level_sql'}",
        variants=results,
    )
    p_ratio = _record_peer(
        bench_record,
        "breakdown_margins_polars",
        bench_rows,
        p_sec,
        seconds,
        "benchmarks/peers.py: polars_margins",
    )
    variants = ", ".join(f"{k} {v:.2f} s" for k, v in results.items())
    bench_notes.append(
        f"breakdown 5 dims, all 32 margins (gcdb): {seconds:.2f} s, {len(ours):,} cells; DuckDB pre-aggregated "
        f"(equal counts; {variants}): RATIO gcdb/DuckDB = {d_ratio:.2f} (target ≤ 1.0); polars pre-aggregated "
        f"(equal counts): {p_sec:.2f} s, RATIO gcdb/polars = {p_ratio:.2f} (target ≤ 1.0)"
    )
    if bench_rows > EXTERNAL_FULL_MAX_ROWS:
        bench_notes.append(
            f"breakdown DuckDB GROUP BY CUBE count(DISTINCT) (naive reference) not run above "
            f"{EXTERNAL_FULL_MAX_ROWS:,} rows (≈ 80 s at 10M)"
        )
        return
    d_sec, d_sec1, theirs = _time_duck(duck, _duck_sql("CUBE({cols})"), bench_rows)
    _check_equal(ours, theirs, "breakdown vs DuckDB CUBE")
    ratio = seconds / d_sec
    bench_record(
        "breakdown_margins_duckdb",
        bench_rows,
        d_sec,
        seconds_1_thread=d_sec1,
        load_seconds=load_seconds,
        ratio_gcdb_over_duckdb=ratio,
        reference=True,
    )
    bench_notes.append(
        f"breakdown 5 dims, all 32 margins: DuckDB GROUP BY CUBE count(DISTINCT) over every row, naive reference "
        f"(equal counts): {d_sec:.2f} s ({_one_thread(d_sec1, d_sec1)} s 1 thread); RATIO gcdb/naive-DuckDB = "
        f"{ratio:.2f}, vs 1 thread {_ratio(seconds, d_sec1)}"
    )


def test_breakdown_cross(benchmark, usage, duck, polars_usage, bench_rows, bench_notes, bench_record):
    duck, load_seconds = duck
    from fairlearn.metrics import MetricFrame

    seconds, ours = benchmark.pedantic(
        lambda: _best(
            lambda: gcdb.breakdown(usage, DIMS, margins=[DIMS, []], measure=[N.USERS, N.USES]),
            _rounds(bench_rows),
        ),
        rounds=1,
        iterations=1,
    )
    d_sec, d_sec1, theirs = _time_duck(duck, _duck_sql("GROUPING SETS (({cols}), ())"), bench_rows)
    _check_equal(ours, theirs, "breakdown vs DuckDB GROUP BY")
    # the peers: pre-aggregated
    cross_sql = peers.duckdb_cross_sql(DIMS)
    run = lambda: duck.sql(cross_sql).to_arrow_table()  # noqa: E731
    _check_equal(ours, run().to_pandas(), "breakdown vs DuckDB pre-aggregated cross")
    dp_sec = _time_peer(run, bench_rows)[0]
    lf, _ = polars_usage
    query = peers.polars_cross(lf, DIMS)
    _check_equal(ours, query.collect().to_pandas(), "breakdown vs polars cross")
    p_sec = _time_peer(query.collect, bench_rows)[0]
    dp_ratio = _record_peer(
        bench_record, "breakdown_cross_duckdb_preagg", bench_rows, dp_sec, seconds,
        "benchmarks/peers.py: duckdb_cross_sql",
    )  # fmt: skip
    p_ratio = _record_peer(
        bench_record,
        "breakdown_cross_polars",
        bench_rows,
        p_sec,
        seconds,
        "benchmarks/peers.py: polars_cross",
    )
    bench_notes.append(
        f"breakdown 5 dims, full cross + total (gcdb): {seconds:.2f} s; DuckDB pre-aggregated (equal counts): "
        f"{dp_sec:.2f} s, RATIO gcdb/DuckDB = {dp_ratio:.2f} (target ≤ 1.0); polars pre-aggregated (equal "
        f"counts): {p_sec:.2f} s, RATIO gcdb/polars = {p_ratio:.2f} (target ≤ 1.0)"
    )

    if bench_rows > EXTERNAL_FULL_MAX_ROWS:
        bench_record("breakdown_cross", bench_rows, seconds, cells=len(ours))
        bench_record(
            "breakdown_cross_duckdb",
            bench_rows,
            d_sec,
            load_seconds=load_seconds,
            ratio_gcdb_over_duckdb=seconds / d_sec,
            reference=True,
        )
        bench_notes.append(
            f"breakdown 5 dims, full cross + total (gcdb): {seconds:.2f} s; fairlearn not run above "
            f"{EXTERNAL_FULL_MAX_ROWS:,} rows (≈ 30 µs a row); DuckDB GROUPING SETS count(DISTINCT) over every row, "
            f"naive reference (equal counts): {d_sec:.2f} s, RATIO gcdb/naive-DuckDB = {seconds / d_sec:.2f}"
        )
        return
    persons = pd.factorize(usage["person_id"])[0]
    sensitive = usage[DIMS]

    def fairlearn_counts():
        return MetricFrame(
            metrics={N.USERS: lambda yt, yp: len(np.unique(yt)), N.USES: lambda yt, yp: len(yt)},
            y_true=persons,
            y_pred=persons,
            sensitive_features=sensitive,
        )

    f_sec, mf = _best(fairlearn_counts, 1)
    by_group = mf.by_group.reset_index().dropna(subset=[N.USES])  # fairlearn lists unobserved groups as NaN
    overall = mf.overall
    fl = pd.concat(
        [by_group, pd.DataFrame([{**{d: None for d in DIMS}, **overall.to_dict()}])], ignore_index=True
    )
    _check_equal(ours, fl, "breakdown vs fairlearn MetricFrame")
    bench_record("breakdown_cross", bench_rows, seconds, cells=len(ours))
    bench_record(
        "breakdown_cross_duckdb",
        bench_rows,
        d_sec,
        seconds_1_thread=d_sec1,
        load_seconds=load_seconds,
        ratio_gcdb_over_duckdb=seconds / d_sec,
        reference=True,
    )
    bench_record(
        "breakdown_cross_fairlearn", bench_rows, f_sec, ratio_fairlearn_over_gcdb=f_sec / seconds, target=20
    )
    bench_notes.append(
        f"breakdown 5 dims, full cross + total (gcdb): {seconds:.2f} s; fairlearn MetricFrame (equal counts): "
        f"{f_sec:.2f} s, RATIO {f_sec / seconds:.1f}× faster (target ≥ 20×); DuckDB GROUPING SETS "
        f"count(DISTINCT) over every row, naive reference (equal counts): {d_sec:.2f} s "
        f"({_one_thread(d_sec1, d_sec1)} s 1 thread), RATIO gcdb/naive-DuckDB = {seconds / d_sec:.2f}"
    )


def test_impact_table(benchmark, usage, duck, polars_usage, bench_rows, bench_notes, bench_record):
    population = data.cached("population")
    seconds, table = benchmark.pedantic(
        lambda: _best(lambda: gcdb.impact_table(usage, population, DIMS), _rounds(bench_rows)),
        rounds=1,
        iterations=1,
    )
    assert len(table) > 0 and table[N.USERS].notna().any() if N.USERS in table else len(table) > 0
    bench_record("impact_table", bench_rows, seconds, rows_out=len(table))
    # the peers: the distinct users of the table's 5 one-dimension margins, pre-aggregated
    con, _ = duck
    sql = peers.duckdb_impact_sql(DIMS)
    run = lambda: con.sql(sql).to_arrow_table()  # noqa: E731
    _check_impact(table, run().to_pandas(), "impact_table vs DuckDB")
    d_sec = _time_peer(run, bench_rows)[0]
    lf, _ = polars_usage
    query = peers.polars_impact(lf, DIMS)
    _check_impact(table, query.collect().to_pandas(), "impact_table vs polars")
    p_sec = _time_peer(query.collect, bench_rows)[0]
    d_ratio = _record_peer(
        bench_record,
        "impact_duckdb_preagg",
        bench_rows,
        d_sec,
        seconds,
        "benchmarks/peers.py: duckdb_impact_sql",
    )
    p_ratio = _record_peer(
        bench_record, "impact_polars", bench_rows, p_sec, seconds, "benchmarks/peers.py: polars_impact"
    )
    bench_notes.append(
        f"impact_table 5 dims with population baseline, k=5 + audit (gcdb): {seconds:.2f} s, {len(table)} rows; "
        f"its distinct users by DuckDB pre-aggregated (equal counts, counts only): {d_sec:.2f} s, RATIO gcdb/DuckDB "
        f"= {d_ratio:.2f} (target ≤ 1.0); by polars: {p_sec:.2f} s, RATIO gcdb/polars = {p_ratio:.2f} "
        "(target ≤ 1.0)"
    )


def _check_impact(table: pd.DataFrame, theirs: pd.DataFrame, what: str) -> None:
    """The table's published users (not suppressed) of every one-dimension group equal the peer's count."""
    shown = table[table[N.USERS].notna() & (table[N.USERS] > 0)]
    assert len(shown) > 0, what
    counts = {}
    for row in theirs.itertuples(index=False):
        values = row._asdict()
        dim = [d for d in DIMS if values[d] is not None and values[d] == values[d]]
        assert len(dim) == 1, (what, values)
        counts[(dim[0], str(values[dim[0]]))] = int(values["users"])
    for dim, group, users in zip(shown["dimension"], shown["group"], shown[N.USERS], strict=True):
        assert counts.get((dim, str(group))) == int(users), (
            f"{what}: {dim}={group}: {users} vs {counts.get((dim, group))}"
        )
