"""CI smoke run of the benchmark suite at a tiny size, so that the benchmarks never rot.

Runs ``python -m pytest benchmarks --gcdb-bench-size 20k --benchmark-disable`` in a subprocess. The benchmarks
check their own answers — the DuckDB and polars peers' rule per row and distinct-user counts, fairlearn's group
counts and the plain-Python rule per sampled row all equal gcdb's — so a passing run is a real test of both the suite and gcdb. No timing is
asserted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytest.importorskip("pytest_benchmark")
pytest.importorskip("duckdb")
pytest.importorskip("fairlearn")
pytest.importorskip("psutil")
pytest.importorskip("polars")


def test_benchmark_suite_runs_at_20k_rows():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "benchmarks",
            "--gcdb-bench-size",
            "20k",
            "--benchmark-disable",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,  # 4–5 min on a slow day of this 2-core machine (7 December 2026)
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-5000:]
    assert "gcdb benchmarks" in output
    for note in (
        "tag row by row (plain Python)",
        "tag DuckDB distinct-values plan",
        "tag polars distinct-values plan",
        "tag DuckDB CASE WHEN, naive reference",
        "fairlearn MetricFrame (equal counts)",
        "all 32 margins (gcdb)",
        "DuckDB pre-aggregated (equal counts",
        "polars pre-aggregated (equal counts)",
        "DuckDB GROUP BY CUBE count(DISTINCT) over every row, naive reference (equal counts)",
        "DuckDB GROUPING SETS count(DISTINCT) over every row, naive reference (equal counts)",
        "impact_table 5 dims",
        "its distinct users by DuckDB pre-aggregated (equal counts",
        "read_usage csv",
        "read_usage parquet",
        "budget tag + analyse_budget",
        "write_tcdb_workbook",
        "memory tag",
        "memory analyse_services",
        "memory cli_services",
        "memory cli_budget",
    ):
        assert note in output, f"missing benchmark note {note!r}"
    assert output.count("RATIO") >= 9 + 14  # the comparisons and one memory ratio per stage
    assert "failed" not in output.splitlines()[-1]
