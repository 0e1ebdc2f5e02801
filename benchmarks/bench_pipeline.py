"""Reading, validation, budget analysis and workbook writing.

* ``test_read_usage[csv|parquet]`` — ``gcdb.read_usage`` of the generated usage records written as CSV (pyarrow's
  writer, UTF-8, comma) and as Parquet: reading, header recognition, validation and normalisation.
* ``test_validate_usage`` — ``gcdb.usage_from_frame`` on the canonical frame (validation alone).
* ``test_budget_analysis`` — ``gcdb.tag`` with the shipped İBB budget rule set then ``gcdb.analyse_budget``
  (every shipped scheme, plan vs money with the YEEP catalogue, diversion, reconciliation), as
  ``gcdb.pipeline.run_pipeline`` calls them, on budget lines (a tenth of the usage size unless
  ``--gcdb-budget-size``).
* ``test_tcdb_workbook`` — ``gcdb.report.tcdb.write_tcdb_workbook`` of that analysis with its tagging and read
  result, as the pipeline writes it; at most 100,000 budget lines (:data:`WORKBOOK_MAX_LINES`: a bigger budget
  takes minutes to write and its Lines sheet approaches Excel's 1,048,576-row limit).
"""

from __future__ import annotations

import time
import warnings

import data
import pytest
from limits import EXTERNAL_FULL_MAX_ROWS, memory_guard

import gcdb
from gcdb import paths

WORKBOOK_MAX_LINES = 100_000


def _in_fresh_process_only(stage: str, rows: int) -> str | None:
    """Above 2M rows, reading and validation are timed only once, in a fresh process by bench_memory (their peak
    is 5–9× the input: two copies at once would not fit in memory)."""
    if rows > EXTERNAL_FULL_MAX_ROWS:
        return f"{stage} at {rows:,} rows: timed in a fresh process only (see 'memory {stage}')"
    return memory_guard(stage, rows)


def _best(fn, rounds: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(rounds):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


@pytest.fixture(scope="module")
def plan():
    from gcdb.catalogue import Catalogue

    catalogue = Catalogue.load(None)
    rules = gcdb.load_ruleset(paths.rules() / "ibb_yeep_2021_budget.yaml", catalogue=catalogue)
    return rules, catalogue.budget_actions()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_read_usage(benchmark, fmt, input_files, bench_rows, bench_notes, bench_record):
    skip = _in_fresh_process_only(f"read_{fmt}", bench_rows)
    if skip:
        bench_notes.append(skip)
        pytest.skip(skip)
    path = input_files / f"usage.{fmt}"
    rounds = 2 if bench_rows <= 2_000_000 else 1
    seconds, result = benchmark.pedantic(
        lambda: _best(lambda: gcdb.read_usage(path), rounds), rounds=1, iterations=1
    )
    assert result.ok and len(result.data) == bench_rows
    size = path.stat().st_size
    bench_record(f"read_usage_{fmt}", bench_rows, seconds, file_bytes=size)
    bench_notes.append(f"read_usage {fmt} ({size / 1e6:,.0f} MB): {bench_rows:,} rows in {seconds:.2f} s")


def test_validate_usage(benchmark, bench_rows, bench_notes, bench_record):
    skip = _in_fresh_process_only("validate", bench_rows)
    if skip:
        bench_notes.append(skip)
        pytest.skip(skip)
    usage = data.cached("usage", bench_rows)
    rounds = 2 if bench_rows <= 2_000_000 else 1
    seconds, result = benchmark.pedantic(
        lambda: _best(lambda: gcdb.usage_from_frame(usage), rounds), rounds=1, iterations=1
    )
    assert result.ok and len(result.data) == bench_rows
    bench_record("usage_from_frame", bench_rows, seconds)
    bench_notes.append(f"usage_from_frame (validation): {bench_rows:,} rows in {seconds:.2f} s")


def test_budget_analysis(benchmark, plan, budget_rows, bench_rows, bench_notes, bench_record):
    rules, actions = plan
    budget = data.cached("budget", budget_rows)

    def run():
        tagged = gcdb.tag(budget, rules)
        return tagged, gcdb.analyse_budget(budget, tagged, plan_actions=actions)

    rounds = 2 if budget_rows <= 200_000 else 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seconds, (tagged, analysis) = benchmark.pedantic(lambda: _best(run, rounds), rounds=1, iterations=1)
        t_sec = _best(lambda: gcdb.tag(budget, rules), 1)[0]
    assert bool(analysis.reconciliation["balanced"].all())
    bench_record("budget_tag_analyse", budget_rows, seconds, tag_seconds=t_sec, usage_rows=bench_rows)
    bench_notes.append(
        f"budget tag + analyse_budget: {budget_rows:,} lines in {seconds:.2f} s (tagging {t_sec:.2f} s, "
        f"{float(tagged.rows['tagged'].mean()):.1%} of lines tagged)"
    )


def test_tcdb_workbook(benchmark, plan, budget_rows, bench_rows, bench_notes, bench_record, tmp_path):
    from gcdb.report.tcdb import write_tcdb_workbook

    rules, actions = plan
    lines = min(budget_rows, WORKBOOK_MAX_LINES)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = gcdb.budget_from_frame(data.cached("budget", budget_rows).iloc[:lines])
        tagged = gcdb.tag(read.data, rules)
        analysis = gcdb.analyse_budget(read.data, tagged, plan_actions=actions)
    out = tmp_path / "tcdb.xlsx"
    seconds, path = benchmark.pedantic(
        lambda: _best(lambda: write_tcdb_workbook(out, analysis, tagging=tagged, read_result=read), 1),
        rounds=1,
        iterations=1,
    )
    assert path.exists()
    bench_record("tcdb_workbook", lines, seconds, file_bytes=path.stat().st_size, scales=lines == budget_rows)
    bench_notes.append(
        f"write_tcdb_workbook: {lines:,} budget lines in {seconds:.2f} s ({path.stat().st_size / 1e6:.1f} MB)"
    )
