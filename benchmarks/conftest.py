"""pytest configuration for the benchmarks (pytest-benchmark); not part of the test suite.

Run from the repository root::

    .venv/bin/python -m pytest benchmarks/ --benchmark-only                      # default size 1M rows
    .venv/bin/python -m pytest benchmarks/ --gcdb-bench-size 10M --benchmark-only
    GCDB_BENCH_SIZE=20k .venv/bin/python -m pytest benchmarks/                     # tiny, for CI

Files named ``bench_*.py`` are collected. ``--gcdb-bench-size`` (or the ``GCDB_BENCH_SIZE`` environment
variable) takes one or more sizes separated by commas: ``20k``, ``1M``, ``1M,10M``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


def parse_size(text: str) -> int:
    """``"20k"`` → 20000, ``"1M"`` → 1000000, ``"1500"`` → 1500."""
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if factor != 1 else text
    return int(float(number) * factor)


def pytest_addoption(parser):
    parser.addoption(
        "--gcdb-bench-size",
        default=os.environ.get("GCDB_BENCH_SIZE", "1M"),
        help="rows for the gcdb benchmarks, e.g. 20k, 1M or 1M,10M (env GCDB_BENCH_SIZE)",
    )


def pytest_collect_file(parent, file_path: Path):
    explicit = parent.session.isinitpath(file_path)  # a file named on the command line is collected anyway
    if file_path.suffix == ".py" and file_path.name.startswith("bench_") and not explicit:
        return pytest.Module.from_parent(parent, path=file_path)
    return None


def pytest_generate_tests(metafunc):
    if "bench_rows" in metafunc.fixturenames:
        sizes = [
            parse_size(s) for s in metafunc.config.getoption("--gcdb-bench-size").split(",") if s.strip()
        ]
        metafunc.parametrize("bench_rows", sizes, ids=[f"{n:,}rows" for n in sizes], scope="module")


@pytest.fixture(scope="session")
def bench_notes(request) -> list[str]:
    """Lines the benchmarks want printed at the end of the run (ratios, sizes)."""
    if not hasattr(request.config, "_gcdb_bench_notes"):
        request.config._gcdb_bench_notes = []
    return request.config._gcdb_bench_notes


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    notes = getattr(config, "_gcdb_bench_notes", [])
    if notes:
        terminalreporter.section("gcdb benchmarks")
        for line in notes:
            terminalreporter.write_line(line)
