"""``gcdb plan cost``: registered under ``plan`` by :func:`gcdb.cli.costing.register_plan_subcommands`."""

from __future__ import annotations

import argparse

import pandas as pd
from costing_builders import frame, line

import gcdb
from gcdb.cli.costing import main, register_plan_subcommands
from gcdb.rules import run_cases

DEMO = gcdb.paths.demo() / "costing"


def test_register_plan_subcommands_adds_cost_to_a_plan_parser():
    parser = argparse.ArgumentParser(prog="gcdb")
    plan = parser.add_subparsers(dest="command").add_parser("plan")
    register_plan_subcommands(plan.add_subparsers(dest="plan_command"))
    args = parser.parse_args(["plan", "cost", "x.csv", "--budget", "b.csv"])
    assert args.func.__name__ == "run_cost" and str(args.budget) == "b.csv"


def test_demo_costing_end_to_end(tmp_path, capsys):
    out = tmp_path / "teklif"
    code = main(
        [
            "cost",
            str(DEMO / "costing.csv"),
            "--out",
            str(out),
            "--exclude",
            str(gcdb.paths.demo() / "budget.parquet"),
            "--budget",
            str(DEMO / "adopted.csv"),
        ]
    )
    text = capsys.readouterr().out
    assert code == 1  # the planted errors; the valid lines were still used
    assert "22 maliyet satırı geçerli, 4 karantinada" in text
    assert "Kurallarla bulunan bütçe satırı: 32 / 32" in text
    for name in (
        "costing_lines",
        "costing_totals",
        "proposal_lines",
        "proposal_wide",
        "comparison",
        "rule_collisions",
    ):
        assert (out / f"{name}.csv").exists(), name
    lines = pd.read_csv(out / "proposal_lines.csv")
    assert lines["line_id"].nunique() == 20 and len(lines) == 32
    assert pd.read_csv(out / "rule_collisions.csv").empty
    results = run_cases(out / "teklif_kurallari.cases.yaml")
    assert all(r.passed for r in results) and len(results) == 80
    comparison = pd.read_csv(out / "comparison.csv")
    assert set(comparison["level"]) == {"line", "action", "target", "area", "unit", "total"}


def test_clean_costing_exits_0_in_english(tmp_path, capsys):
    path = tmp_path / "c.csv"
    frame(line()).to_csv(path, index=False)
    assert main(["cost", str(path), "--out", str(tmp_path / "o"), "--lang", "en"]) == 0
    assert "1 costing lines valid, 0 quarantined" in capsys.readouterr().out


def test_missing_file_is_exit_1_without_traceback(tmp_path, capsys):
    assert main(["cost", str(tmp_path / "nope.csv"), "--out", str(tmp_path)]) == 1
    assert "dosya bulunamadı" in capsys.readouterr().err


def test_demo_generator_reproduces_the_committed_files(tmp_path):
    import importlib.util

    path = gcdb.paths.demo() / "generate_costing.py"
    spec = importlib.util.spec_from_file_location("generate_costing", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--out", str(tmp_path)])
    for name in (
        "costing.csv",
        "adopted.csv",
        "assessments_park.csv",
        "assessments_hgdg_design.csv",
        "planted_errors.yaml",
    ):
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name
