"""``gcdb budget``: success path with tidy tables, data errors (exit 1, workbook still written), user errors."""

from __future__ import annotations

import pytest
from tcdb_xlsx import Book

from gcdb.budget.result import TABLES
from gcdb.cli import main as cli_main
from gcdb.report.i18n import t


@pytest.fixture
def gcdb(monkeypatch):
    """``gcdb …`` with the budget command registered (the lead adds it to COMMANDS)."""
    if "gcdb.cli.budget" not in cli_main.COMMANDS:
        monkeypatch.setattr(cli_main, "COMMANDS", (*cli_main.COMMANDS, "gcdb.cli.budget"))
    monkeypatch.delenv("GCDB_DEBUG", raising=False)
    return cli_main.main


def test_demo_budget_with_tables(gcdb, demo, demo_xlsx, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(
        "SOURCE_DATE_EPOCH", "946684800"
    )  # the date conftest stamps the library's workbook with
    (_, budget), (_, rules), _ = demo.inputs
    out, tables = tmp_path / "tcdb.xlsx", tmp_path / "tables"
    code = gcdb(
        [
            "budget",
            "--budget",
            str(budget),
            "--rules",
            str(rules),
            "--out",
            str(out),
            "--tables",
            str(tables),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "yazıldı" in captured.out and "eu_cpr" in captured.out
    # the shipped plan is found from the rule set: the command writes exactly the workbook the library writes
    assert out.read_bytes() == demo_xlsx.read_bytes()
    for name in [*TABLES, "parameters", "coverage_rules", "coverage_never_fired", "issues"]:
        assert (tables / f"{name}.csv").stat().st_size > 0, name
        assert (tables / f"{name}.parquet").stat().st_size > 0, name
    import pandas as pd

    summary = pd.read_parquet(tables / "summary.parquet")
    assert (
        summary["counted_revised_appropriation"].tolist()
        == demo.analysis.summary["counted_revised_appropriation"].tolist()
    )


def test_data_errors_still_write_the_workbook_and_exit_1(
    gcdb, small_inputs, small_bad_budget, tmp_path, capsys
):
    _, rules = small_inputs
    out = tmp_path / "tcdb.xlsx"
    code = gcdb(
        [
            "budget",
            "--budget",
            str(small_bad_budget),
            "--rules",
            str(rules),
            "--out",
            str(out),
            "--lang",
            "en",
            "--year",
            "2024",
        ]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "unparseable_number" in captured.err and "Traceback" not in captured.err
    book = Book(out)
    headers, rows, _ = book.table("Data quality", t("tcdb.title.issues", "en"))
    assert [r[headers.index("Issue code")] for r in rows] == ["unparseable_number"]


def test_missing_rules_file_is_a_message_and_exit_1(gcdb, small_inputs, tmp_path, capsys):
    budget, _ = small_inputs
    missing = tmp_path / "yok.yaml"
    code = gcdb(
        ["budget", "--budget", str(budget), "--rules", str(missing), "--out", str(tmp_path / "x.xlsx")]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert str(missing) in captured.err and "rules" in captured.err
    assert "Traceback" not in captured.err
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize(
    "extra",
    [
        ["--mode", "sometimes"],
        ["--lang", "de"],
        ["--floor", "1.5"],
        ["--year", "twenty"],
    ],
)
def test_bad_options_exit_2(gcdb, small_inputs, tmp_path, capsys, extra):
    budget, rules = small_inputs
    code = None
    try:
        code = gcdb(
            [
                "budget",
                "--budget",
                str(budget),
                "--rules",
                str(rules),
                "--out",
                str(tmp_path / "x.xlsx"),
                *extra,
            ]
        )
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.err and "hata" in captured.err
    assert not (tmp_path / "x.xlsx").exists()


def test_out_must_be_xlsx_and_year_must_exist(gcdb, small_inputs, tmp_path, capsys):
    budget, rules = small_inputs
    assert (
        gcdb(["budget", "--budget", str(budget), "--rules", str(rules), "--out", str(tmp_path / "x.csv")])
        == 2
    )
    assert "xlsx" in capsys.readouterr().err
    code = gcdb(
        [
            "budget",
            "--budget",
            str(budget),
            "--rules",
            str(rules),
            "--out",
            str(tmp_path / "x.xlsx"),
            "--year",
            "1999",
        ]
    )
    assert code == 2 and "1999" in capsys.readouterr().err


def test_help_exits_0_and_lists_the_options(gcdb, capsys):
    with pytest.raises(SystemExit) as exit_:
        gcdb(["budget", "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert "kullanım: gcdb budget" in out and "--rules" in out and "--tables" in out and "--quiet" in out


def test_progress_on_stderr_and_quiet(gcdb, small_inputs, tmp_path, capsys):
    budget, rules = small_inputs
    argv = ["budget", "--budget", str(budget), "--rules", str(rules), "--tables", str(tmp_path / "t")]
    assert gcdb([*argv, "--out", str(tmp_path / "a.xlsx")]) == 0
    err = capsys.readouterr().err
    steps = [line for line in err.splitlines() if line.startswith("[")]
    assert (
        steps[0].startswith("[1/5 · ")
        and steps[-2].startswith("[5/5 · ")
        and steps[-1].startswith("[bitti · ")
    )
    assert gcdb([*argv, "--out", str(tmp_path / "b.xlsx"), "--quiet"]) == 0
    assert not [line for line in capsys.readouterr().err.splitlines() if line.startswith("[")]
