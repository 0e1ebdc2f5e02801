"""``gcdb services``: the success path (workbook and tables written, byte-identical across processes) and user
errors (exit 2 for usage, 1 for data, a message and no traceback)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from services_builders import DEMO

from gcdb import columns as C
from gcdb import paths
from gcdb.cli import main as cli_main
from gcdb.scale.executors import usable_cores
from gcdb.services import TABLES

ROOT = Path(__file__).resolve().parents[2]
RUN = "import sys; import gcdb.cli.main as m; sys.exit(m.main(sys.argv[1:]))"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    """A slice of the demo as files: three services in 2024, the 2024 population and budget."""
    folder = tmp_path_factory.mktemp("inputs")
    usage = pd.read_parquet(DEMO / "usage.parquet")
    usage = usage[usage[C.SERVICE_CODE].isin(["KRS", "HUK", "SPR"]) & (usage[C.FISCAL_YEAR] == 2024)]
    usage.to_parquet(folder / "usage.parquet", index=False)
    population = pd.read_parquet(DEMO / "population.parquet")
    population[population[C.FISCAL_YEAR] == 2024].to_parquet(folder / "population.parquet", index=False)
    budget = pd.read_parquet(DEMO / "budget.parquet")
    budget[budget[C.FISCAL_YEAR] == 2024].to_parquet(folder / "budget.parquet", index=False)
    return {
        "usage": folder / "usage.parquet",
        "population": folder / "population.parquet",
        "budget": folder / "budget.parquet",
        "services": DEMO / "services.csv",
        "rules": paths.rules() / "ibb_yeep_2021_services.yaml",
        "budget_rules": paths.rules() / "ibb_yeep_2021_budget.yaml",
        "indicators": paths.rules() / "indicators_ibb_demo.yaml",
    }


def _args(inputs: dict[str, Path], out: Path, *extra: str) -> list[str]:
    return [
        "services",
        "--usage", str(inputs["usage"]),
        "--population", str(inputs["population"]),
        "--services", str(inputs["services"]),
        "--rules", str(inputs["rules"]),
        "--budget", str(inputs["budget"]),
        "--budget-rules", str(inputs["budget_rules"]),
        "--indicators", str(inputs["indicators"]),
        "--reference", "sex=male",
        "--reference", "district=rest",
        "--k", "5",
        "--year", "2024",
        "--out", str(out),
        *extra,
    ]  # fmt: skip


@pytest.fixture(scope="module")
def two_runs(inputs, tmp_path_factory):
    """The same command in two processes with different hash seeds (run side by side)."""
    folder = tmp_path_factory.mktemp("runs")
    procs = []
    for seed in ("1", "2"):
        out = folder / f"run{seed}"
        env = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "PYTHONPATH": str(ROOT),
            "SOURCE_DATE_EPOCH": "1709890200",
        }
        args = _args(inputs, out / "rapor.xlsx", "--tables", str(out / "tablolar"))
        procs.append(
            (
                out,
                subprocess.Popen(
                    [sys.executable, "-c", RUN, *args],
                    env=env,
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
        )
    results = []
    for out, proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        results.append({"out": out, "code": proc.returncode, "stdout": stdout, "stderr": stderr})
    return results


def test_success_writes_the_workbook_and_the_tables(two_runs):
    run = two_runs[0]
    assert run["code"] == 0, run["stderr"]
    assert (run["out"] / "rapor.xlsx").stat().st_size > 10_000
    tables = run["out"] / "tablolar"
    for name in TABLES:
        assert (tables / f"{name}.csv").is_file() and (tables / f"{name}.parquet").is_file()
    incidence = pd.read_parquet(tables / "incidence_services.parquet")
    assert set(incidence[C.SERVICE_CODE]) == {"KRS", "HUK"}  # SPR serves no plan action
    assert "Traceback" not in run["stderr"]
    assert "usage.parquet:" in run["stderr"] and "rapor.xlsx" in run["stdout"]


def test_identical_inputs_give_a_byte_identical_workbook_across_processes(two_runs):
    first, second = ((r["out"] / "rapor.xlsx").read_bytes() for r in two_runs)
    assert first == second
    for name in ("impact.csv", "gaps.parquet", "indicators.csv"):
        assert (two_runs[0]["out"] / "tablolar" / name).read_bytes() == (
            two_runs[1]["out"] / "tablolar" / name
        ).read_bytes()


@pytest.fixture
def gcdb():
    return cli_main.main


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--reference", "sex"], "expected DIMENSION=GROUP"),
        (["--reference", "colour=red"], "unknown dimension(s) 'colour'"),
        (["--reference", "sex=woman"], "'woman' is not a group of 'sex'"),
        (["--k", "0"], "--k must be"),
    ],
)
def test_usage_errors_exit_2_with_a_message(english, gcdb, inputs, tmp_path, capsys, extra, message):
    args = [
        "services",
        "--usage", str(inputs["usage"]),
        "--population", str(inputs["population"]),
        "--out", str(tmp_path / "r.xlsx"),
        *extra,
    ]  # fmt: skip
    assert gcdb(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "r.xlsx").exists()


def test_budget_without_its_rules_is_a_usage_error(gcdb, inputs, tmp_path, capsys):
    args = _args(inputs, tmp_path / "r.xlsx")
    args.remove("--budget-rules")
    args.remove(str(inputs["budget_rules"]))
    assert gcdb(args) == 2
    assert "--budget ve --budget-rules birlikte verilir" in capsys.readouterr().err


def test_missing_file_exits_1_with_a_message(gcdb, inputs, tmp_path, capsys):
    args = [
        "services",
        "--usage", str(tmp_path / "yok.csv"),
        "--population", str(inputs["population"]),
        "--out", str(tmp_path / "r.xlsx"),
    ]  # fmt: skip
    assert gcdb(args) == 1
    err = capsys.readouterr().err
    assert "yok.csv" in err and "dosya bulunamadı" in err and "Traceback" not in err
    assert not (tmp_path / "r.xlsx").exists()


def test_missing_rules_file_exits_1(gcdb, inputs, tmp_path, capsys):
    args = _args(inputs, tmp_path / "r.xlsx")
    args[args.index("--rules") + 1] = str(tmp_path / "kurallar.yaml")
    assert gcdb(args) == 1
    err = capsys.readouterr().err
    assert "kurallar.yaml" in err and "Traceback" not in err


def test_register_adds_the_subcommand():
    import argparse

    from gcdb.cli import services

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    services.register(sub)
    args = parser.parse_args(
        ["services", "--usage", "u", "--population", "p", "--out", "o.xlsx", "--year", "2023"]
    )
    assert args.func is services.run and args.years == [2023] and args.lang == "tr" and args.k == 5


def test_help_exits_0_and_lists_the_options(gcdb, capsys):
    with pytest.raises(SystemExit) as exit_:
        gcdb(["services", "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert (
        "kullanım: gcdb services" in out and "--usage" in out and "--population" in out and "--quiet" in out
    )


def test_progress_lines_are_numbered(two_runs):
    lines = [line for line in two_runs[0]["stderr"].splitlines() if line.startswith("[")]
    assert lines and re.fullmatch(r"\[1/\d · \d+,\d s\] .+", lines[0]), lines
    assert lines[-1].startswith("[bitti · ")


def test_the_linked_tables_are_the_default_policy(two_runs):
    """Without ``--disclosure`` the command publishes under the linked-table engine and says what it hid."""
    stderr = two_runs[0]["stderr"]
    line = next(x for x in stderr.splitlines() if x.startswith("açıklama denetimi (bütün tablolar birlikte)"))
    hidden, primary, secondary = (
        int(n.replace(".", "")) for n in re.findall(r"([\d.]+) (?:tanesinde|birincil|ikincil)", line)
    )
    assert hidden > 0 and primary > 0 and line.endswith("geri bulduğu gizli sayı: 0")
    methodology = pd.read_csv(two_runs[0]["out"] / "tablolar" / "suppression.csv")
    assert int(methodology["primary"].sum()) == primary and int(methodology["secondary"].sum()) == secondary


@pytest.mark.parametrize("extra", [["--disclosure", "tables"], ["--audit"]])
def test_per_table_suppression_on_request(gcdb, inputs, tmp_path, capsys, extra):
    """``--disclosure tables`` (and ``--audit``, the per-table audit) suppress each table on its own: no line on
    linked protection."""
    assert gcdb(_args(inputs, tmp_path / "r.xlsx", *extra)) == 0
    assert "bütün tablolar birlikte" not in capsys.readouterr().err


def test_the_per_table_audit_is_not_the_linked_policy(gcdb, inputs, tmp_path, capsys):
    assert gcdb(_args(inputs, tmp_path / "r.xlsx", "--audit", "--disclosure", "linked")) == 2
    err = capsys.readouterr().err
    assert "--audit" in err and "'tables'" in err and "Traceback" not in err


@pytest.fixture(scope="module")
def dask_address():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


@pytest.mark.parametrize("how", ["--chunk-rows", "auto", "--threads 1", "--threads 3", "--workers", "--dask"])
def test_a_usage_file_read_in_chunks_gives_the_same_workbook_and_tables(
    two_runs, inputs, tmp_path, capsys, monkeypatch, request, how
):
    """The out-of-core path (usage read in chunks, weighted distinct records) writes the byte-identical workbook
    and tables of the in-memory run: by itself once the file holds AUTO_CHUNK_ROWS records, with chunks validated
    and reduced in this process's threads (one per core by default, one, three), in two worker processes, or on a
    Dask cluster."""
    import gcdb.scale.services as scale_services

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1709890200")
    monkeypatch.delenv("GCDB_DASK", raising=False)
    extra: list[str] = []
    if how == "auto":
        monkeypatch.setattr(scale_services, "AUTO_CHUNK_ROWS", 1_000)
    elif how == "--chunk-rows":
        extra = ["--chunk-rows", "2500"]
    elif how.startswith("--threads"):
        extra = [*how.split(), "--chunk-rows", "2500"]
    elif how == "--workers":
        extra = ["--workers", "2", "--chunk-rows", "5000"]
    else:
        extra = ["--dask", request.getfixturevalue("dask_address")]
    out = tmp_path / "rapor.xlsx"
    code = cli_main.main(_args(inputs, out, "--tables", str(tmp_path / "tablolar"), *extra))
    err = capsys.readouterr().err
    assert code == 0, err
    assert "parçalar hâlinde okunuyor" in err and "ağırlıklı satıra indirildi" in err
    threaded = how == "--threads 3" or (how in ("--chunk-rows", "auto") and usable_cores() > 1)
    assert ("3 iş parçacığında" in err) == (how == "--threads 3")
    assert ("iş parçacığında doğrulanıp" in err) == threaded
    reference = two_runs[0]["out"]
    assert out.read_bytes() == (reference / "rapor.xlsx").read_bytes()
    for name in TABLES:
        assert (tmp_path / "tablolar" / f"{name}.csv").read_bytes() == (
            reference / "tablolar" / f"{name}.csv"
        ).read_bytes(), name


def test_in_memory_and_chunk_rows_are_exclusive(gcdb, inputs, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        gcdb(_args(inputs, tmp_path / "r.xlsx", "--in-memory", "--chunk-rows", "10"))
    assert exit_.value.code == 2


def test_workers_and_threads_are_exclusive(gcdb, inputs, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        gcdb(_args(inputs, tmp_path / "r.xlsx", "--workers", "2", "--threads", "2"))
    assert exit_.value.code == 2


def test_no_threads_is_a_usage_error(english, gcdb, inputs, tmp_path, capsys):
    assert gcdb(_args(inputs, tmp_path / "r.xlsx", "--threads", "0")) == 2
    assert "workers must be a whole number of at least 1, got 0" in capsys.readouterr().err


def test_in_memory_with_workers_is_a_usage_error(english, gcdb, inputs, tmp_path, capsys):
    assert gcdb(_args(inputs, tmp_path / "r.xlsx", "--in-memory", "--workers", "2")) == 2
    assert "--in-memory reads the usage file whole" in capsys.readouterr().err


def test_an_unreachable_dask_scheduler_is_a_clear_error(english, gcdb, inputs, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GCDB_DASK", "tcp://127.0.0.1:9")
    code = gcdb(_args(inputs, tmp_path / "r.xlsx"))
    err = capsys.readouterr().err
    assert code == 2 and "tcp://127.0.0.1:9" in err and "Traceback" not in err
