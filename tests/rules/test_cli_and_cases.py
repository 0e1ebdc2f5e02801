"""``gcdb rules check|test|schema``, ``gcdb tag``, and the YAML cases runner."""

import json
import textwrap

import numpy as np
import pandas as pd
import pytest

from gcdb.cli import main as cli_main
from gcdb.errors import RuleError
from gcdb.rules.cases import load_cases, run_cases

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")

RULES = """\
name: cli rules
applies_to: usage
plan: no_such_plan
rules:
  - id: kres
    when: {column: service_code, equals: KRS}
    then: {actions: [A7H1E1], categories: {oecd_dac: "2"}}
  - id: kadin
    when: {column: service_name, contains: kadın}
    then: {actions: [A2H3E3]}
"""

CASES = """\
- name: crèche
  input: {service_code: KRS, service_name: Kreş}
  expect: {actions: [A7H1E1], categories: {oecd_dac: 2}}
- name: shelter
  input: {service_code: SIG, service_name: KADIN DAYANIŞMA EVİ}
  expect: {rules: [kadin], allocation: 1}
- name: sport
  input: {service_code: SPR, service_name: Spor}
  expect: {untagged: true}
"""


@pytest.fixture
def cli(monkeypatch):
    """Run ``gcdb`` with only the rules and tag subcommands registered (main.py is the lead's to edit)."""
    monkeypatch.setattr(cli_main, "COMMANDS", ("gcdb.cli.rules", "gcdb.cli.tag"))

    def _run(*argv):
        return cli_main.main([str(a) for a in argv])

    return _run


@pytest.fixture
def ruleset_dir(tmp_path):
    (tmp_path / "svc.yaml").write_text(RULES, encoding="utf-8")
    (tmp_path / "svc.cases.yaml").write_text(CASES, encoding="utf-8")
    return tmp_path


def test_rules_check_ok_and_failure(cli, ruleset_dir, capsys):
    (ruleset_dir / "indicators.yaml").write_text(
        "indicators: []\n", encoding="utf-8"
    )  # not a rule set: skipped
    assert cli("rules", "check", ruleset_dir) == 0
    out = capsys.readouterr().out
    assert "ok   " in out and "svc.yaml: 2 rules" in out and "actions not checked" in out
    assert "indicators.yaml" not in out
    (ruleset_dir / "bad.yaml").write_text(
        RULES.replace("equals: KRS", "equals: KRS, in: [X]"), encoding="utf-8"
    )
    assert cli("rules", "check", ruleset_dir) == 1
    err = capsys.readouterr().err
    assert (
        f"FAIL {ruleset_dir / 'bad.yaml'}:6 (rule 'kres'): predicate on column 'service_code' has 2 operators"
        in err
    )


def test_rules_check_with_a_catalogue_csv(cli, ruleset_dir, capsys, tmp_path):
    catalogue = tmp_path / "actions.csv"
    catalogue.write_text("action_code,title\nA7H1E1,Kreş\n", encoding="utf-8")
    assert cli("rules", "check", ruleset_dir / "svc.yaml", "--catalogue", catalogue) == 1
    assert "unknown action code 'A2H3E3'" in capsys.readouterr().err
    catalogue.write_text("action_code,title\nA7H1E1,Kreş\nA2H3E3,Sığınak\n", encoding="utf-8")
    assert cli("rules", "check", ruleset_dir / "svc.yaml", "--catalogue", catalogue) == 0
    assert "actions checked against the plan" in capsys.readouterr().out


def test_rules_test_passes_and_fails(cli, ruleset_dir, capsys):
    assert cli("rules", "test", ruleset_dir) == 0
    out = capsys.readouterr().out
    assert out.count("PASS") == 3 and "3 passed, 0 failed" in out
    (ruleset_dir / "svc.cases.yaml").write_text(CASES.replace("[A7H1E1]", "[A7H1E2]"), encoding="utf-8")
    assert cli("rules", "test", ruleset_dir / "svc.yaml") == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "actions: expected ['A7H1E2'], got ['A7H1E1'] (rules ['kres'])" in out
    assert "2 passed, 1 failed" in out


def test_rules_schema_to_stdout_and_file(cli, tmp_path, capsys):
    assert cli("rules", "schema") == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "gcdb rule set"
    out = tmp_path / "s.json"
    assert cli("rules", "schema", "--out", out) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == schema


def test_rules_without_subcommand_is_a_usage_error(cli, capsys):
    assert cli("rules") == 2


@pytest.fixture
def usage_file(tmp_path):
    frame = pd.DataFrame(
        {
            "service_code": ["KRS", "SIG", "SPR", "KRS"],
            "service_name": ["Kreş", "Kadın Dayanışma Evi", "Spor", "Kreş"],
            "revised_appropriation": np.array([100, 50, 25, 1], dtype=np.int64),
        }
    )
    path = tmp_path / "in.parquet"
    frame.to_parquet(path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_tag_writes_audited_rows(cli, ruleset_dir, usage_file, tmp_path, capsys, suffix):
    out = tmp_path / f"out{suffix}"
    tags = tmp_path / "tags.csv"
    code = cli(
        "tag", "--rules", ruleset_dir / "svc.yaml", "--in", usage_file, "--out", out, "--raw", "--tags", tags
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "rows: 3 of 4 tagged (75.0%)" in printed
    rows = {".csv": pd.read_csv, ".parquet": pd.read_parquet, ".xlsx": pd.read_excel}[suffix](out)
    assert rows["rule_ids"].fillna("").tolist() == ["kres", "kadin", "", "kres"]
    assert rows["tagged"].tolist() == [True, True, False, True]
    assert pd.read_csv(tags)["action_code"].tolist() == ["A7H1E1", "A2H3E3", "A7H1E1"]
    if suffix == ".xlsx":
        sheets = pd.read_excel(out, sheet_name=None)
        assert {"rows", "tags", "summary", "rules", "never_fired", "overlaps", "untagged"} <= set(sheets)


def test_tag_all_mode_and_coverage_workbook(cli, ruleset_dir, usage_file, tmp_path):
    coverage = tmp_path / "coverage.xlsx"
    code = cli(
        "tag",
        "--rules",
        ruleset_dir / "svc.yaml",
        "--in",
        usage_file,
        "--out",
        tmp_path / "o.parquet",
        "--raw",
        "--mode",
        "all",
        "--coverage",
        coverage,
    )
    assert code == 0
    sheets = pd.read_excel(coverage, sheet_name=None)
    assert sheets["untagged"]["service_code"].tolist() == ["SPR"]


def test_tag_errors(cli, ruleset_dir, usage_file, tmp_path, capsys):
    assert (
        cli(
            "tag",
            "--rules",
            ruleset_dir / "svc.yaml",
            "--in",
            usage_file,
            "--out",
            tmp_path / "o.json",
            "--raw",
        )
        == 2
    )
    assert (
        cli(
            "tag",
            "--rules",
            ruleset_dir / "svc.yaml",
            "--in",
            tmp_path / "none.csv",
            "--out",
            tmp_path / "o.csv",
            "--raw",
        )
        == 1
    )
    frame = pd.DataFrame({"other": [1]})
    frame.to_csv(tmp_path / "other.csv", index=False)
    args = (
        "tag",
        "--rules",
        ruleset_dir / "svc.yaml",
        "--in",
        tmp_path / "other.csv",
        "--out",
        tmp_path / "o.csv",
        "--raw",
    )
    assert cli(*args, "--strict-columns") == 1
    assert "column 'service_code' used by this rule is not in the input" in capsys.readouterr().err
    assert cli(*args) == 0  # the library's warning reaches the person as a line of its own, not a traceback
    captured = capsys.readouterr()
    assert "gcdb: warning: the input lacks columns" in captured.err and "rows: 0 of 1 tagged" in captured.out


# ---------------------------------------------------------------------------------------------------------------
# cases runner
# ---------------------------------------------------------------------------------------------------------------
def test_cases_mapping_form_with_explicit_ruleset(ruleset_dir):
    (ruleset_dir / "other.yaml").write_text(
        textwrap.dedent("""\
            ruleset: svc.yaml
            cases:
              - name: two rows, the first matching rule wins
                mode: first
                input: [{service_code: KRS, service_name: Kadın kreşi}, {service_code: X}]
                expect: [{rules: [kres]}, {untagged: true}]
              - name: in all mode both rules claim the whole line
                mode: all
                input: {service_code: KRS, service_name: Kadın kreşi}
                expect: {rules: [kres, kadin]}
              - name: wrong allocation
                input: {service_code: KRS, service_name: x}
                expect: {allocation: 0.5, share: 0.3}
        """),
        encoding="utf-8",
    )
    results = run_cases(ruleset_dir / "other.yaml")
    assert [r.passed for r in results] == [True, False, False]
    assert "tagging failed" in results[1].failures[0] and "claim 2 > 1" in results[1].failures[0]
    assert results[2].failures == (
        "declared share: expected 0.3, got [nan]",
        "allocation: expected 0.5, got 1",
    )


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        (
            "- name: a\n  input: {x: 1}\n  expect: {untaged: true}\n",
            "case 'a': expect.untaged: Extra inputs",
            1,
        ),
        (
            "- name: a\n  input: [{x: 1}, {x: 2}]\n  expect: {untagged: true}\n",
            "2 input row(s) but 1 expectation(s)",
            1,
        ),
        (
            "- name: a\n  input: {x: 1}\n  expect: {}\n- name: a\n  input: {x: 1}\n  expect: {}\n",
            "duplicate case name 'a'",
            4,
        ),
        ("[]\n", "non-empty list of cases", 1),
    ],
)
def test_bad_cases_files_name_file_and_line(tmp_path, text, fragment, line):
    path = tmp_path / "x.cases.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_cases(path)
    assert fragment in str(err.value) and err.value.file == str(path) and err.value.line == line


def test_a_rule_set_without_cases_is_an_error(ruleset_dir):
    (ruleset_dir / "svc.cases.yaml").unlink()
    with pytest.raises(RuleError, match="no test cases"):
        run_cases(ruleset_dir / "svc.yaml")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["rules", "--help"], "check"),
        (["rules", "check", "--help"], "usage: gcdb rules check"),
        (["rules", "test", "--help"], "usage: gcdb rules test"),
        (["rules", "schema", "--help"], "usage: gcdb rules schema"),
        (["tag", "--help"], "usage: gcdb tag"),
    ],
)
def test_help_exits_0(cli, argv, expected, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli(*argv)
    assert exit_.value.code == 0
    assert expected in capsys.readouterr().out


def test_rules_check_of_a_missing_file_is_a_message_not_a_traceback(cli, tmp_path, capsys):
    code = cli("rules", "check", tmp_path / "yok.yaml")
    captured = capsys.readouterr()
    assert code in (1, 2)
    assert "yok.yaml" in captured.err and "Traceback" not in captured.err


def test_unknown_rules_subcommand_is_a_usage_error(cli, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli("rules", "lint")
    assert exit_.value.code == 2 and "invalid choice" in capsys.readouterr().err
