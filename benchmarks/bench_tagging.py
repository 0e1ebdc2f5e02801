"""Tagging speed: gcdb's vectorised engine against plain Python row by row and against DuckDB SQL.

Data and rules: :mod:`data` — usage records (``--gcdb-bench-size``) and 320 generated ``first``-mode rules.

* ``test_tag_vectorised`` — ``gcdb.tag(usage, rules)``: the whole result (tag table, audit columns, coverage
  inputs), best of 3 rounds (2 above 2 M rows).
* ``test_tag_row_by_row`` — the same rules in plain Python with the reference semantics
  (:func:`gcdb.rules.predicates.rule_matches`, first match in precedence order) on a 2,000-row sample (200 in a 20k run); checks
  that every sampled row gets gcdb's rule; reports the per-row speed ratio.
* ``test_tag_duckdb_distinct`` / ``test_tag_polars_distinct`` — **the peers**: the same rules written as a
  competent DuckDB or polars user would, with the same distinct-values plan as gcdb (:mod:`peers`: per group of
  rules reading the same columns, ``SELECT DISTINCT`` / ``unique`` of those columns, one ``CASE`` / ``when`` chain
  over the distinct combinations, joined back to the rows; rule id per row in row order). Registration of the
  frame (Arrow for DuckDB, ``pl.from_arrow`` for polars) is not included; folding the distinct service names is.
  Before timing, the peer's rule for every row of the whole frame is checked equal to gcdb's. Both use their
  threads (2 here); DuckDB is also timed with one thread up to 2M rows.
* ``test_tag_duckdb`` — **naive reference only**: the same rules as one SQL ``CASE WHEN`` chain evaluated on every
  row (:mod:`sql_rules`), which compares algorithms rather than engines; kept to show what the distinct-values plan
  is worth. Run up to 2M rows (≈ 65 s at 10M). Registration and the pre-folding of ``service_name`` are not
  included. Checked equal on the whole frame.
"""

from __future__ import annotations

import time

import data
import duckdb
import numpy as np
import peers
import pyarrow as pa
import pytest
import sql_rules
from limits import EXTERNAL_FULL_MAX_ROWS

from gcdb.rules import tag
from gcdb.rules.predicates import is_numeric_dtype, rule_matches

SAMPLE_ROWS = 2_000  # the plain-Python baseline takes ~5 ms a row with 320 rules


def sample_rows(rows: int) -> int:
    """Rows of the plain-Python sample: 2,000, or a 100th of a small run (the CI smoke run)."""
    return max(200, min(SAMPLE_ROWS, rows // 100))


_SECONDS: dict[int, float] = {}


@pytest.fixture(scope="module")
def rules():
    ruleset = data.cached("rules")
    assert len(ruleset.rules) >= 300
    return ruleset


@pytest.fixture(scope="module")
def usage(bench_rows):
    return data.cached("usage", bench_rows)


def _best(fn, rounds: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(rounds):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def test_tag_vectorised(benchmark, usage, rules, bench_rows, bench_notes, bench_record):
    rounds = 3 if bench_rows <= 2_000_000 else 2
    seconds, result = benchmark.pedantic(
        lambda: _best(lambda: tag(usage, rules), rounds), rounds=1, iterations=1
    )
    _SECONDS[bench_rows] = seconds
    tagged = float(result.rows["tagged"].mean())
    benchmark.extra_info.update(rows=bench_rows, rules=len(rules.rules), tagged_share=tagged)
    bench_record("tag", bench_rows, seconds, rules=len(rules.rules))
    bench_notes.append(
        f"tag (gcdb, vectorised): {bench_rows:,} rows × {len(rules.rules)} rules in {seconds:.2f} s "
        f"({seconds / bench_rows * 1e9:.0f} ns/row), {tagged:.1%} of rows tagged"
    )


def _row_by_row(records, ordered, numeric):
    out = []
    for row in records:
        for rule in ordered:
            if rule_matches(rule, row, numeric):
                out.append(rule.id)
                break
        else:
            out.append("")
    return out


def test_tag_row_by_row(benchmark, usage, rules, bench_rows, bench_notes, bench_record):
    n = min(sample_rows(bench_rows), len(usage))
    sample = usage.sample(n=n, random_state=1).reset_index(drop=True)
    records = sample.to_dict("records")
    numeric = {c: is_numeric_dtype(sample[c].dtype) for c in sample.columns}
    ordered = sorted(rules.rules, key=lambda r: -r.priority)  # stable: ties keep file order

    start = time.perf_counter()
    expected = benchmark.pedantic(_row_by_row, args=(records, ordered, numeric), rounds=1, iterations=1)
    seconds = time.perf_counter() - start
    got = tag(sample, rules).rows["rule_ids"].tolist()
    assert got == expected  # same answer, row by row
    per_row = seconds / n
    benchmark.extra_info.update(rows=n, rules=len(rules.rules))
    line = f"tag row by row (plain Python): {n:,} rows in {seconds:.2f} s ({per_row * 1e6:.0f} µs/row)"
    ratio = None
    if bench_rows in _SECONDS:
        ratio = per_row / (_SECONDS[bench_rows] / bench_rows)
        benchmark.extra_info["per_row_ratio"] = ratio
        line += f"; RATIO gcdb at {bench_rows:,} rows is {ratio:,.0f}× faster per row (target ≥ 200×)"
    bench_record("tag_row_by_row", bench_rows, seconds, sample_rows=n, ratio=ratio, target=200, scales=False)
    bench_notes.append(line)
    assert np.isfinite(per_row)


def _check_rule_ids(got: pa.Array, usage, rules, what: str) -> None:
    expected = tag(usage, rules).rows["rule_ids"].to_numpy()
    got = got.to_numpy(zero_copy_only=False)
    mismatched = np.flatnonzero(got != expected)
    assert len(mismatched) == 0, f"{what} and gcdb differ on {len(mismatched)} rows, e.g. {mismatched[:5]}"


def _peer_line(what: str, seconds: float, threads: int, seconds_1, ours) -> tuple[str, float | None]:
    ratio = ours / seconds if ours else None
    line = f"{what} (whole frame checked equal): {seconds:.2f} s with {threads} threads" + (
        "" if seconds_1 is None else f", {seconds_1:.2f} s with 1"
    )
    if ratio is not None:
        line += f"; RATIO gcdb/peer time = {ratio:.2f} (target ≤ 1.0)"
        if seconds_1:
            line += f", vs 1 thread {ours / seconds_1:.2f}"
    return line, ratio


def test_tag_duckdb_distinct(benchmark, usage, rules, bench_rows, bench_notes, bench_record):
    plan = peers.make_plan(rules)
    con = duckdb.connect()
    start = time.perf_counter()
    peers.duckdb_register(con, usage)
    load_seconds = time.perf_counter() - start
    peers.duckdb_fold_udf(con)
    sql = peers.duckdb_tag_sql(plan, usage)

    def run():
        return peers.duckdb_tag(con, sql, len(usage), plan.rule_ids)

    _check_rule_ids(run(), usage, rules, "DuckDB (distinct-values plan)")
    threads = int(con.sql("SELECT current_setting('threads')").fetchall()[0][0])
    rounds = 3 if bench_rows <= EXTERNAL_FULL_MAX_ROWS else 2
    seconds = benchmark.pedantic(lambda: _best(run, rounds)[0], rounds=1, iterations=1)
    seconds_1 = None
    if bench_rows <= EXTERNAL_FULL_MAX_ROWS:
        con.execute("SET threads = 1")
        seconds_1 = _best(run, 1)[0]
    con.close()
    line, ratio = _peer_line(
        f"tag DuckDB distinct-values plan ({len(plan.groups)} rule groups)",
        seconds,
        threads,
        seconds_1,
        _SECONDS.get(bench_rows),
    )
    bench_record(
        "tag_duckdb_distinct",
        bench_rows,
        seconds,
        threads=threads,
        seconds_1_thread=seconds_1,
        load_seconds=load_seconds,
        ratio_gcdb_over_peer=ratio,
        target=1.0,
        peer="benchmarks/peers.py: duckdb_tag_sql, duckdb_tag",
    )
    bench_notes.append(line + f" (+ {load_seconds:.2f} s register, not included)")


def test_tag_polars_distinct(benchmark, usage, rules, bench_rows, bench_notes, bench_record):
    pl = pytest.importorskip("polars")
    plan = peers.make_plan(rules)
    start = time.perf_counter()
    frame = peers.polars_frame(usage)
    load_seconds = time.perf_counter() - start
    query = peers.polars_tag_query(plan, usage.dtypes, frame.lazy())

    def run():
        return peers.polars_tag(query, plan.rule_ids)

    _check_rule_ids(run(), usage, rules, "polars (distinct-values plan)")
    rounds = 3 if bench_rows <= EXTERNAL_FULL_MAX_ROWS else 2
    seconds = benchmark.pedantic(lambda: _best(run, rounds)[0], rounds=1, iterations=1)
    threads = pl.thread_pool_size()
    line, ratio = _peer_line(
        f"tag polars distinct-values plan ({len(plan.groups)} rule groups)",
        seconds,
        threads,
        None,
        _SECONDS.get(bench_rows),
    )
    bench_record(
        "tag_polars_distinct",
        bench_rows,
        seconds,
        threads=threads,
        load_seconds=load_seconds,
        ratio_gcdb_over_peer=ratio,
        target=1.0,
        peer="benchmarks/peers.py: polars_tag_query, polars_tag",
    )
    bench_notes.append(line + f" (+ {load_seconds:.2f} s conversion, not included)")


def test_tag_duckdb(benchmark, usage, rules, bench_rows, bench_notes, bench_record):
    if bench_rows > EXTERNAL_FULL_MAX_ROWS:
        note = (
            f"tag DuckDB CASE WHEN (naive reference) not run above {EXTERNAL_FULL_MAX_ROWS:,} rows "
            "(one CASE per row: ≈ 65 s at 10M)"
        )
        bench_notes.append(note)
        pytest.skip(note)
    sql, folded_columns = sql_rules.case_sql(rules, usage)
    start = time.perf_counter()
    frame = sql_rules.with_folded(usage, folded_columns)
    fold_seconds = time.perf_counter() - start
    con = duckdb.connect()
    start = time.perf_counter()
    con.register("usage", pa.Table.from_pandas(frame, preserve_index=False))
    load_seconds = time.perf_counter() - start

    def run():
        return con.sql(sql).to_arrow_table().column("rule_id").to_numpy(zero_copy_only=False)

    start = time.perf_counter()
    got = run()
    first_seconds = time.perf_counter() - start
    expected = tag(usage, rules).rows["rule_ids"].to_numpy()
    mismatched = np.flatnonzero(got != expected)
    assert len(mismatched) == 0, f"DuckDB and gcdb differ on {len(mismatched)} rows, e.g. {mismatched[:5]}"

    threads = int(con.sql("SELECT current_setting('threads')").fetchall()[0][0])
    seconds_1 = None
    if bench_rows <= EXTERNAL_FULL_MAX_ROWS:
        seconds = benchmark.pedantic(lambda: _best(run, 2)[0], rounds=1, iterations=1)
        con.execute("SET threads = 1")
        seconds_1 = _best(run, 1)[0]
    else:  # one run only: the checked run is the timing
        seconds = benchmark.pedantic(lambda: first_seconds, rounds=1, iterations=1)
    con.close()
    ours = _SECONDS.get(bench_rows)
    ratio = ours / seconds if ours else None
    bench_record(
        "tag_duckdb",
        bench_rows,
        seconds,
        threads=threads,
        seconds_1_thread=seconds_1,
        load_seconds=load_seconds,
        fold_seconds=fold_seconds,
        ratio_gcdb_over_duckdb=ratio,
        reference=True,
    )
    line = (
        f"tag DuckDB CASE WHEN, naive reference: one {len(rules.rules)}-branch CASE per row (whole frame checked "
        f"equal): {seconds:.2f} s with "
        f"{threads} threads, {'not run' if seconds_1 is None else f'{seconds_1:.2f} s'} with 1 "
        f"(+ {load_seconds:.2f} s register, {fold_seconds:.2f} s "
        "pre-fold, not included)"
    )
    if ratio is not None:
        line += f"; RATIO gcdb/naive-DuckDB time = {ratio:.2f} (reference, no target)"
        if seconds_1:
            line += f", vs 1 thread {ours / seconds_1:.2f}"
    bench_notes.append(line)
