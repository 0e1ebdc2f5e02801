"""Peak memory (RSS) of each stage, each in a fresh Python process (:mod:`stages`), against its input columns.

For every stage — ``read_csv``, ``read_parquet``, ``validate``, ``tag``, ``breakdown``, ``impact_table``,
``analyse_services`` (plain: the catalogue, year 2024; per-table suppression, as every analysis stage and
``cli_services``), ``disclosure`` (the same under the default linked-table engine), ``indicators`` (``indicator_table`` of the demo
indicators), ``incidence`` (``analyse_services`` with the services and budget tags: the plain analysis plus benefit
incidence), ``services_workbook`` (``write_services_workbook`` of the whole analysis) (usage size), ``budget``
(tag + analyse_budget) and ``workbook`` (budget size; the workbook at most 100,000 lines) — a subprocess imports
gcdb, loads the input, resets the kernel's peak-RSS mark and runs the stage. The whole commands ``cli_services``
(``gcdb services`` with catalogue, both rule sets, budget, indicators) and ``cli_budget`` (``gcdb budget``) run in
a fresh child process: their time includes the interpreter's start-up, imports, reading and writing, and their
peak is the child's ``Maximum resident set size`` (``/usr/bin/time -v``). Reported:

* ``peak`` — the process's peak RSS during the stage (interpreter, libraries and the input included);
* ``input`` — ``DataFrame.memory_usage(deep=True).sum()`` of the stage's input columns (for the readers: of the
  frame they return);
* ``net ratio`` — (peak − RSS after the imports, before the input was loaded) / input: the memory the data and the
  stage cost per byte of input. The target (≤ 3×) is checked on this ratio; ``peak / input`` is recorded too.

The stage's time in that process is recorded too (``memory_<stage>``): above 2M rows it is the only timing of
reading and validation. A stage whose estimated peak would not fit in the memory available is skipped
(:func:`limits.memory_guard`). The main process drops its cached frames first (:func:`data.release`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import data
import pandas as pd
import pytest
from limits import memory_guard
from stages import BUDGET_STAGES, COMMANDS, STAGES

HERE = Path(__file__).resolve().parent
WORKBOOK_MAX_LINES = 100_000
#: Up to this many usage rows (the CI smoke run) one fresh process runs every stage in turn (the peak mark reset
#: before each), to save seven interpreter start-ups; above, each stage gets its own process.
SHARED_PROCESS_MAX_ROWS = 100_000
_SHARED: dict[str, dict[str, dict]] = {}


def _run_stages(stages: list[str], folder: Path) -> dict[str, dict]:
    done = subprocess.run(
        [sys.executable, str(HERE / "stages.py"), ",".join(stages), str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = [json.loads(line) for line in done.stdout.strip().splitlines() if line.startswith("{")]
    return {r["stage"]: r for r in results}


def _result(stage: str, folder: Path, rows: int) -> dict:
    if rows > SHARED_PROCESS_MAX_ROWS:
        return _run_stages([stage], folder)[stage]
    if str(folder) not in _SHARED:
        _SHARED[str(folder)] = _run_stages(list(STAGES), folder)
    return _SHARED[str(folder)][stage]


@pytest.mark.parametrize("stage", STAGES)
def test_peak_memory(
    benchmark, stage, input_files, bench_rows, budget_rows, bench_notes, bench_record, tmp_path
):
    data.release()  # the frames stay on disk; free this process's copies before a fresh process loads them
    skip = memory_guard(stage, bench_rows)
    if skip:
        bench_notes.append(f"memory {skip}")
        pytest.skip(skip)
    folder = input_files
    if stage == "workbook" and budget_rows > WORKBOOK_MAX_LINES:
        folder = tmp_path
        for name in ("usage.parquet", "population.parquet"):
            (folder / name).symlink_to(input_files / name)
        budget = pd.read_parquet(input_files / "budget.parquet")
        budget.iloc[:WORKBOOK_MAX_LINES].to_parquet(folder / "budget.parquet", index=False)
        del budget

    def run():
        return _result(stage, folder, bench_rows)

    out = benchmark.pedantic(run, rounds=1, iterations=1)
    where = "fresh process" if bench_rows > SHARED_PROCESS_MAX_ROWS else "one process for all stages"
    net = (out["peak_rss"] - out["rss_base"]) / out["input_bytes"]  # commands: rss_base = 0 (peak / input)
    total = out["peak_rss"] / out["input_bytes"]
    rows = (
        bench_rows
        if stage not in BUDGET_STAGES
        else min(budget_rows, WORKBOOK_MAX_LINES if stage == "workbook" else budget_rows)
    )
    if stage in COMMANDS:
        where = "whole command, fresh process"
    bench_record(
        f"memory_{stage}",
        rows,
        out["seconds"],
        peak_rss=out["peak_rss"],
        rss_base=out["rss_base"],
        rss_loaded=out["rss_loaded"],
        input_bytes=out["input_bytes"],
        net_ratio=net,
        total_ratio=total,
        peak_reset=out["peak_reset"],
        target=3.0,
        process=where,
    )
    bench_notes.append(
        f"memory {stage} ({rows:,} rows, {where}): peak {out['peak_rss'] / 1e6:,.0f} MB, input columns "
        f"{out['input_bytes'] / 1e6:,.0f} MB, imports {out['rss_base'] / 1e6:,.0f} MB; RATIO net "
        f"(peak − imports)/input = {net:.2f} (target ≤ 3), peak/input = {total:.2f}; {out['seconds']:.2f} s"
    )
