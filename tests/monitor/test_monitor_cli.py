"""``gcdb monitor``: templates, collect, report, indicators — exit codes, outputs, no tracebacks."""

from __future__ import annotations

import filecmp
import subprocess
import sys

import pandas as pd
import pytest

from gcdb import paths
from gcdb.cli.main import main

DEMO = paths.demo() / "monitoring"

UNITS = [
    "--unit",
    "sosyal_hizmetler",
    "--unit",
    "saglik",
    "--unit",
    "insan_kaynaklari_ve_egitim",
    "--unit",
    "ulasim",
    "--unit",
    "kultur",
]


def test_templates(tmp_path, capsys):
    assert main(["monitor", "templates", "--year", "2024", "--out", str(tmp_path), "--unit", "ulasim"]) == 0
    assert (tmp_path / "izleme_2024_ulasim.xlsx").is_file()
    assert "1 form yazıldı" in capsys.readouterr().out


def test_templates_outside_the_plan_years_is_a_usage_error(tmp_path, capsys):
    assert main(["monitor", "templates", "--year", "2030", "--out", str(tmp_path)]) == 2
    assert "planın yıllarının (2021–2024) dışında" in capsys.readouterr().err


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    """``collect`` for each demo year, then ``report`` of the two folders, and ``report --demo``."""
    import contextlib
    import io

    root = tmp_path_factory.mktemp("cli")
    out: dict = {"root": root}
    for year in (2023, 2024):
        err, std = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(std):
            out[year] = (
                main(
                    [
                        "monitor",
                        "collect",
                        str(DEMO / str(year)),
                        "--year",
                        str(year),
                        "--out",
                        str(root / f"c{year}"),
                        *UNITS,
                    ]
                ),
                std.getvalue(),
                err.getvalue(),
            )
    std = io.StringIO()
    with contextlib.redirect_stdout(std):
        out["report"] = main(
            [
                "monitor",
                "report",
                str(root / "c2023"),
                str(root / "c2024"),
                "--budget",
                str(paths.demo() / "budget.parquet"),
                "--workforce",
                str(DEMO / "workforce.csv"),
                "--out",
                str(root / "a"),
                "--lang",
                "en",
            ]
        )
        out["demo"] = main(["monitor", "report", "--demo", "--out", str(root / "b")])
    out["report_out"] = std.getvalue()
    return out


def test_collect_reports_problems_with_cells_and_exits_1(cli_run):
    code, out, err = cli_run[2024]
    assert code == 1
    assert "göndermeyen: ulasim, kultur" in out
    assert "izleme_2024_sosyal_hizmetler.xlsx Eylemler!H14" in err
    assert "Traceback" not in err
    assert (cli_run["root"] / "c2024" / "collection.json").is_file()
    assert (cli_run["root"] / "c2024" / "units.parquet").is_file()
    assert cli_run[2023][0] == 0 and "5 tam, 0 eksik" in cli_run[2023][1]


def test_report_of_collected_folders(cli_run):
    rep = cli_run["root"] / "a"
    assert cli_run["report"] == 0
    assert "Money and implementation (2024, revised appropriation):" in cli_run["report_out"]
    summary = pd.read_csv(rep / "money_summary.csv")
    assert set(summary["fiscal_year"]) == {2023, 2024}
    assert (rep / "workforce.parquet").is_file() and (rep / "key_numbers.csv").is_file()


def test_report_demo_equals_report_of_collected_folders(cli_run):
    assert cli_run["demo"] == 0
    a, b = cli_run["root"] / "a", cli_run["root"] / "b"
    for name in ("action_status.csv", "money_summary.csv", "indicator_attainment.csv", "workforce.csv"):
        assert filecmp.cmp(a / name, b / name, shallow=False), name


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["monitor", "report", "--out", "x"], 2, "give the folders"),
        (["monitor", "report", "nope", "--out", "x"], 2, "no collection.json"),
        (["monitor", "collect", "nope/", "--year", "2024", "--out", "x"], 2, "no such file or folder"),
        (["monitor", "collect", ".", "--year", "2024", "--out", "x", "--unit", "nobody"], 2, "unknown units"),
        (["monitor", "templates", "--year", "2024", "--out", "x", "--plan", "nowhere"], 2, "not a folder"),
    ],
)
def test_usage_errors_without_traceback(english, tmp_path, monkeypatch, capsys, argv, code, message):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_indicators(tmp_path, capsys):
    assert main(["monitor", "indicators", "--out", str(tmp_path / "k.csv"), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "of 604 indicators are computable from collected values" in out
    table = pd.read_csv(tmp_path / "k.csv")
    assert len(table) == 604 and {"kind", "value_source", "unit_id", "action_code"} <= set(table.columns)


@pytest.mark.slow
def test_generator_reproduces_the_committed_demo(tmp_path):
    """The demo returns are what ``generate_monitoring.py`` makes, byte for byte."""
    out = tmp_path / "monitoring"
    subprocess.run(
        [sys.executable, str(paths.demo() / "generate_monitoring.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    committed = sorted(p.relative_to(DEMO) for p in DEMO.rglob("*") if p.is_file())
    made = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert made == committed
    for rel in committed:
        assert (out / rel).read_bytes() == (DEMO / rel).read_bytes(), rel
