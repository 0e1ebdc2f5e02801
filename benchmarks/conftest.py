"""pytest configuration for the benchmarks (pytest-benchmark); not part of the test suite.

Run from the repository root::

    .venv/bin/python -m pytest benchmarks/ --benchmark-only                      # default size 1M rows
    .venv/bin/python -m pytest benchmarks/ --gcdb-bench-size 10M --benchmark-only
    GCDB_BENCH_SIZE=20k .venv/bin/python -m pytest benchmarks/                     # tiny, for CI

Files named ``bench_*.py`` are collected. ``--gcdb-bench-size`` (or the ``GCDB_BENCH_SIZE`` environment
variable) takes one or more sizes separated by commas: ``20k``, ``1M``, ``1M,10M``. Budget benchmarks use one tenth
of each usage size (1M → 100k lines, 10M → 1M lines) unless ``--gcdb-budget-size`` gives the sizes explicitly
(same order). ``--gcdb-bench-json PATH`` writes every measurement of the run to a JSON file (the README's table
is built from one). Every measurement is also printed in the "gcdb benchmarks" section at the end, with the time
ratios between consecutive sizes (the scaling check).
"""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
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
    parser.addoption(
        "--gcdb-budget-size",
        default=os.environ.get("GCDB_BUDGET_SIZE", ""),
        help="budget lines per usage size, e.g. 100k,1M (default: a tenth of each usage size)",
    )
    parser.addoption(
        "--gcdb-bench-json",
        default=os.environ.get("GCDB_BENCH_JSON", ""),
        help="write every measurement of the run to this JSON file",
    )


def pytest_collect_file(parent, file_path: Path):
    explicit = parent.session.isinitpath(file_path)  # a file named on the command line is collected anyway
    if file_path.suffix == ".py" and file_path.name.startswith("bench_") and not explicit:
        return pytest.Module.from_parent(parent, path=file_path)
    return None


def usage_sizes(config) -> list[int]:
    return [parse_size(s) for s in config.getoption("--gcdb-bench-size").split(",") if s.strip()]


def budget_size(config, rows: int) -> int:
    """Budget lines that go with ``rows`` usage records."""
    explicit = [parse_size(s) for s in config.getoption("--gcdb-budget-size").split(",") if s.strip()]
    sizes = usage_sizes(config)
    if explicit:
        return explicit[min(sizes.index(rows), len(explicit) - 1)]
    return max(rows // 10, 1000)


def pytest_generate_tests(metafunc):
    if "bench_rows" in metafunc.fixturenames:
        sizes = usage_sizes(metafunc.config)
        metafunc.parametrize("bench_rows", sizes, ids=[f"{n:,}rows" for n in sizes], scope="module")


@pytest.fixture(scope="module")
def budget_rows(request, bench_rows) -> int:
    return budget_size(request.config, bench_rows)


@pytest.fixture(scope="session")
def bench_record(request):
    """``record(name, rows, seconds, **extra)``: one measurement, kept for the summary and the JSON file."""
    results = request.config._gcdb_results = getattr(request.config, "_gcdb_results", [])

    def record(name: str, rows: int, seconds: float | None = None, **extra) -> dict:
        entry = {"name": name, "rows": int(rows), "seconds": seconds, **extra}
        results.append(entry)
        return entry

    return record


@pytest.fixture(scope="session")
def bench_notes(request) -> list[str]:
    """Lines the benchmarks want printed at the end of the run (ratios, sizes)."""
    if not hasattr(request.config, "_gcdb_bench_notes"):
        request.config._gcdb_bench_notes = []
    return request.config._gcdb_bench_notes


def _scaling(results: list[dict]) -> list[str]:
    """time(bigger) / time(smaller) for every measurement taken at two or more sizes."""
    by_name: dict[str, dict[int, float]] = {}
    for r in results:
        if r.get("seconds") is not None and r.get("scales", True):
            by_name.setdefault(r["name"], {})[r["input_rows"] if "input_rows" in r else r["rows"]] = r[
                "seconds"
            ]
    out = []
    for name, times in by_name.items():
        sizes = sorted(times)
        for small, big in zip(sizes[:-1], sizes[1:], strict=True):
            if times[small] > 0:
                out.append(
                    f"scaling {name}: {big:,}/{small:,} rows → time × {times[big] / times[small]:.2f} "
                    f"(rows × {big / small:g})"
                )
    return out


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    notes = getattr(config, "_gcdb_bench_notes", [])
    results = getattr(config, "_gcdb_results", [])
    scaling = _scaling(results)
    if notes or scaling:
        terminalreporter.section("gcdb benchmarks")
        for line in notes + scaling:
            terminalreporter.write_line(line)
    target = config.getoption("--gcdb-bench-json")
    if target and results:
        machine = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "nproc": os.cpu_count(),
            "python": platform.python_version(),
            "load_average": os.getloadavg(),
        }
        try:
            cpu = [x for x in Path("/proc/cpuinfo").read_text().splitlines() if x.startswith("model name")]
            machine["cpu"] = cpu[0].split(":", 1)[1].strip() if cpu else platform.processor()
        except OSError:
            machine["cpu"] = platform.processor()
        Path(target).write_text(
            json.dumps(
                {"machine": machine, "results": results, "notes": notes, "scaling": scaling}, indent=1
            ),
            encoding="utf-8",
        )


@pytest.fixture(scope="session")
def bench_dir(tmp_path_factory) -> Path:
    """A session folder for the benchmark's input files (one sub-folder per size, see :func:`input_files`)."""
    return tmp_path_factory.mktemp("gcdb_bench")


@pytest.fixture(scope="module")
def input_files(bench_dir, bench_rows, budget_rows) -> Path:
    """``usage.csv``, ``usage.parquet``, ``population.parquet`` and ``budget.parquet`` for this size, written once."""
    import data
    from stages import write_inputs

    folder = bench_dir / f"{bench_rows}_{budget_rows}"
    if not (folder / "budget.parquet").exists():
        write_inputs(
            folder,
            data.cached("usage", bench_rows),
            data.cached("population"),
            data.cached("budget", budget_rows),
        )
    return folder
