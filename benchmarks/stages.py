"""Run one gcdb stage in this (fresh) process and report its time and peak memory as JSON — for bench_memory.py.

Usage::

    python benchmarks/stages.py STAGE[,STAGE…] DATA_DIR

``DATA_DIR`` holds ``usage.parquet``, ``usage.csv``, ``usage_services.parquet`` (the same records under the demo
catalogue's service codes, for the services analysis), ``population.parquet`` and ``budget.parquet`` (written by
:func:`write_inputs`). The process imports everything, loads the stage's input, then resets the kernel's peak-RSS
mark (``/proc/self/clear_refs`` ← 5) and runs the stage, so ``peak_rss`` is the high-water mark *during the stage*
(the input frame, the interpreter and the libraries included; ``VmHWM`` of ``/proc/self/status``). Where the reset
is refused, ``ru_maxrss`` of the whole process is reported and ``peak_reset`` is false.

Several stages separated by commas run one after the other in the same process (the CI smoke run does that to
save the start-up of eight interpreters; the real measurement runs one stage per process). Printed (one JSON line
per stage): ``stage, seconds, input_bytes`` (``DataFrame.memory_usage(deep=True).sum()`` of the
stage's input columns — for the readers, of the frame they produce), ``rss_base`` (after imports, before the
input), ``rss_loaded`` (input loaded), ``peak_rss``, ``peak_reset``.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parent.parent
for _p in (ROOT, ROOT / "benchmarks"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import gcdb  # noqa: E402
from gcdb import paths  # noqa: E402

STAGES = (
    "read_csv",
    "read_parquet",
    "validate",
    "tag",
    "breakdown",
    "impact_table",
    "analyse_services",
    "disclosure",
    "indicators",
    "incidence",
    "services_workbook",
    "budget",
    "workbook",
    "cli_services",
    "cli_services_in_memory",
    "cli_services_chunked",
    "cli_budget",
)
#: Whole commands: run as a child of this (fresh) process; their peak is the child's ``ru_maxrss``.
#: ``cli_services`` reads the usage file as gcdb chooses (in chunks from 2 M records), the two others force a way.
COMMANDS = ("cli_services", "cli_services_in_memory", "cli_services_chunked", "cli_budget")
_SERVICES_EXTRA = {
    "cli_services": [],
    "cli_services_in_memory": ["--in-memory"],
    "cli_services_chunked": ["--chunk-rows", "250000"],
}
#: Stages whose input is the budget (their size is budget lines).
BUDGET_STAGES = ("budget", "workbook", "cli_budget")
DEMO = ROOT / "datasets" / "demo"
RULES = ROOT / "rules"
YEAR = 2024


def write_inputs(folder: Path, usage: pd.DataFrame, population: pd.DataFrame, budget: pd.DataFrame) -> None:
    """The inputs of every stage, as files in ``folder``."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    folder.mkdir(parents=True, exist_ok=True)
    usage.to_parquet(folder / "usage.parquet", index=False)
    services_usage(usage).to_parquet(folder / "usage_services.parquet", index=False)
    pacsv.write_csv(pa.Table.from_pandas(usage, preserve_index=False), folder / "usage.csv")
    population.to_parquet(folder / "population.parquet", index=False)
    budget.to_parquet(folder / "budget.parquet", index=False)


def services_usage(usage: pd.DataFrame) -> pd.DataFrame:
    """``usage`` with the demo catalogue's service codes (``KRS`` …, matched by service name), so that the demo
    catalogue, the shipped services rule set and the demo indicators apply to it."""
    catalogue = pd.read_csv(DEMO / "services.csv", dtype=str)
    codes = dict(zip(catalogue["service_name"], catalogue["service_code"], strict=True))
    mapped = usage["service_name"].map(codes)
    assert mapped.notna().all(), "a benchmark service is not in the demo catalogue"
    return usage.assign(service_code=mapped.astype("str"))


def services_command(folder: Path, out: Path) -> list[str]:
    """``gcdb services`` with every input: catalogue, services and budget rules, budget (benefit incidence),
    indicators, year 2024; per-table suppression (the analysis; the linked-table engine is the stage
    ``disclosure``)."""
    return [
        "services",
        "--disclosure", "tables",
        "--usage", str(folder / "usage_services.parquet"),
        "--population", str(folder / "population.parquet"),
        "--services", str(DEMO / "services.csv"),
        "--rules", str(RULES / "ibb_yeep_2021_services.yaml"),
        "--budget", str(folder / "budget.parquet"),
        "--budget-rules", str(RULES / "ibb_yeep_2021_budget.yaml"),
        "--indicators", str(RULES / "indicators_ibb_demo.yaml"),
        "--year", str(YEAR),
        "--lang", "en",
        "--quiet",
        "--out", str(out),
    ]  # fmt: skip


def budget_command(folder: Path, out: Path) -> list[str]:
    """``gcdb budget`` with the shipped İBB budget rule set (its plan from the rule set)."""
    return [
        "budget",
        "--budget", str(folder / "budget.parquet"),
        "--rules", str(RULES / "ibb_yeep_2021_budget.yaml"),
        "--lang", "en",
        "--quiet",
        "--out", str(out),
    ]  # fmt: skip


def run_command(stage: str, folder: Path) -> dict:
    """A whole ``gcdb`` command in a fresh child process: wall time (interpreter start-up and imports included)
    and the child's peak RSS — "Maximum resident set size" of ``/usr/bin/time -v`` (a small parent, so the
    fork's copy of a big parent cannot count), else ``ru_maxrss`` of this process's children."""
    import re
    import shutil
    import subprocess
    import tempfile

    timer = shutil.which("time", path="/usr/bin")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.xlsx"
        argv = (
            services_command(folder, out) + _SERVICES_EXTRA[stage]
            if stage in _SERVICES_EXTRA
            else budget_command(folder, out)
        )
        command = [sys.executable, "-m", "gcdb", *argv]
        start = time.perf_counter()
        done = subprocess.run(
            [timer, "-v", *command] if timer else command,
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        seconds = time.perf_counter() - start
        if done.returncode not in (0, 1) or not out.exists():  # 1: data problems reported, workbook written
            raise RuntimeError(f"{stage} failed ({done.returncode}): {done.stderr[-3000:]}")
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr) if timer else None
    if found:
        peak = int(found.group(1)) * 1024
    else:
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    name = "budget.parquet" if stage == "cli_budget" else "usage_services.parquet"
    input_bytes = _size(pd.read_parquet(folder / name))
    return dict(
        stage=stage,
        seconds=seconds,
        input_bytes=input_bytes,
        rss_base=0,
        rss_loaded=0,
        peak_rss=peak,
        peak_reset=True,
        exit_code=done.returncode,
    )


def _rss() -> int:
    return psutil.Process().memory_info().rss


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _size(frame: pd.DataFrame) -> int:
    return int(frame.memory_usage(deep=True).sum())


def run(stage: str, folder: Path) -> dict:
    import data

    from gcdb.catalogue import Catalogue
    from gcdb.report.tcdb import write_tcdb_workbook

    if stage in COMMANDS:
        return run_command(stage, folder)
    warnings.simplefilter("ignore")
    rules = data.make_rules() if stage == "tag" else None
    if stage in ("budget", "workbook"):
        catalogue = Catalogue.load(None)
        budget_rules = gcdb.load_ruleset(paths.rules() / "ibb_yeep_2021_budget.yaml", catalogue=catalogue)
        plan = catalogue.budget_actions()
    gc.collect()
    base = _rss()
    population = pd.read_parquet(folder / "population.parquet")
    input_bytes = None
    if stage in ("read_csv", "read_parquet"):
        path = folder / ("usage.csv" if stage == "read_csv" else "usage.parquet")

        def work():
            return gcdb.read_usage(path)

    elif stage in ("budget", "workbook"):
        budget = pd.read_parquet(folder / "budget.parquet")
        input_bytes = _size(budget)
        if stage == "workbook":
            read = gcdb.budget_from_frame(budget)
            tagged = gcdb.tag(read.data, budget_rules)
            analysis = gcdb.analyse_budget(read.data, tagged, plan_actions=plan)
            out = folder / "tcdb.xlsx"

            def work():
                return write_tcdb_workbook(out, analysis, tagging=tagged, read_result=read)

        else:

            def work():
                tagged = gcdb.tag(budget, budget_rules)
                return gcdb.analyse_budget(budget, tagged, plan_actions=plan)

    elif stage in ("analyse_services", "disclosure", "indicators", "incidence", "services_workbook"):
        from gcdb.indicators import load_indicators
        from gcdb.report.services import write_services_workbook
        from gcdb.services import analyse_services
        from gcdb.services.catalogue import read_services
        from gcdb.services.indicators import indicator_table

        catalogue = Catalogue.load(None)
        services = read_services(DEMO / "services.csv")
        usage = pd.read_parquet(folder / "usage_services.parquet")
        input_bytes = _size(usage)
        if stage == "indicators":
            indicators = load_indicators(RULES / "indicators_ibb_demo.yaml", services=services)

            def work():
                return indicator_table(usage, population, indicators, years=[YEAR], k=5)

        elif stage == "analyse_services":  # the analysis, with per-table suppression

            def work():
                return analyse_services(
                    usage, population, services=services, years=[YEAR], disclosure="tables"
                )

        elif stage == "disclosure":  # the same, published under the default linked-table engine

            def work():
                return analyse_services(usage, population, services=services, years=[YEAR])

        else:  # incidence: the analysis with the tags of usage and budget (tagging done before the timer)
            budget = pd.read_parquet(folder / "budget.parquet")
            service_tags = gcdb.tag(
                usage, gcdb.load_ruleset(RULES / "ibb_yeep_2021_services.yaml", catalogue=catalogue)
            )
            budget_tags = gcdb.tag(
                budget, gcdb.load_ruleset(RULES / "ibb_yeep_2021_budget.yaml", catalogue=catalogue)
            )
            if stage == "incidence":

                def work():
                    return analyse_services(
                        usage,
                        population,
                        services=services,
                        years=[YEAR],
                        service_tags=service_tags,
                        budget_tags=budget_tags,
                        budget=budget,
                        disclosure="tables",
                    )

            else:  # the workbook of the whole analysis (indicators and incidence included)
                indicators = load_indicators(RULES / "indicators_ibb_demo.yaml", services=services)
                analysis = analyse_services(
                    usage,
                    population,
                    services=services,
                    years=[YEAR],
                    indicators=indicators,
                    service_tags=service_tags,
                    budget_tags=budget_tags,
                    budget=budget,
                    disclosure="tables",
                )
                out = folder / "services.xlsx"

                def work():
                    return write_services_workbook(out, analysis, lang="en")

    else:
        usage = pd.read_parquet(folder / "usage.parquet")
        input_bytes = _size(usage)
        dims = list(data.USAGE_DIMENSIONS)
        work = {
            "validate": lambda: gcdb.usage_from_frame(usage),
            "tag": lambda: gcdb.tag(usage, rules),
            "breakdown": lambda: gcdb.breakdown(usage, dims),
            "impact_table": lambda: gcdb.impact_table(usage, population, dims),
        }[stage]
    gc.collect()
    loaded = _rss()
    reset = _reset_peak()
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    peak = _peak() if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    if input_bytes is None:  # the readers: the size of the frame they produce
        input_bytes = _size(result.data)
    return dict(
        stage=stage,
        seconds=seconds,
        input_bytes=input_bytes,
        rss_base=base,
        rss_loaded=loaded,
        peak_rss=peak,
        peak_reset=reset,
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    stages = args[0].split(",") if args else []
    if len(args) != 2 or not stages or any(s not in STAGES for s in stages):
        print(f"usage: stages.py {{{'|'.join(STAGES)}}}[,…] DATA_DIR", file=sys.stderr)
        return 2
    for stage in stages:  # several: one after the other, the peak mark reset before each
        print(json.dumps(run(stage, Path(args[1]))), flush=True)
        gc.collect()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
