"""Bounded resources: workbook bombs, YAML bombs and catastrophic regexes are refused (or finish) quickly, within
generous time and memory limits measured in a fresh interpreter."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest
from adversarial_helpers import balanced, cli, run_isolated, table, write_csv

from gcdb import paths
from gcdb.errors import RuleError
from gcdb.read import ReadLimits, read_budget
from gcdb.rules import load_ruleset, loads_ruleset, tag

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")

SECONDS, RSS_MB = 5.0, 300.0  # generous: a refusal takes well under a second and a few MB


def _far_cell_workbook(path, *, lie: bool = False):
    frame = table("budget", [{}])
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(list(frame.columns))
    ws.append(list(frame.iloc[0]))
    ws["XFD1048576"] = 1
    book.save(path)
    if lie:  # a dimension that understates the sheet: the reader must count what it meets
        with zipfile.ZipFile(path) as src:
            parts = {i.filename: src.read(i.filename) for i in src.infolist()}
        sheet = "xl/worksheets/sheet1.xml"
        parts[sheet] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:K2"', parts[sheet])
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for name, data in parts.items():
                dst.writestr(name, data)
    return path


def _measured_refusal(path, extra: str = "") -> dict:
    got = run_isolated(
        f"""
        from gcdb.errors import DataValidationError
        from gcdb.read import read_budget
        try:
            read_budget({str(path)!r}{extra})
            report(outcome="read")
        except DataValidationError as exc:
            report(outcome="refused", code=exc.issues["code"].iloc[0], message=str(exc).splitlines()[0])
        """
    )
    return got


@pytest.mark.parametrize("lie", [False, True], ids=["declared", "lying_dimension"])
def test_a_cell_at_xfd1048576_is_refused_fast_and_small(tmp_path, lie):
    path = _far_cell_workbook(tmp_path / "far.xlsx", lie=lie)
    assert path.stat().st_size < 20_000
    got = _measured_refusal(path)
    assert got["outcome"] == "refused" and got["code"] == "limit_exceeded", got
    assert "5.000.000 hücre" in got["message"] and "--max-cells" in got["message"]
    assert float(got["seconds"]) < SECONDS and float(got["rss_growth_mb"]) < RSS_MB, got
    run = cli("validate", "budget", path)
    assert run.code == 1 and "far.xlsx" in run.err and "GCDB_MAX_CELLS" in run.err


def _zip_bomb(path, inflated_mb: int = 300):
    table("budget", [{}]).to_excel(path, index=False)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        with book.open("xl/media/image1.bin", "w", force_zip64=True) as member:
            block = bytes(1 << 20)
            for _ in range(inflated_mb):
                member.write(block)
    return path


def test_a_300kb_workbook_inflating_to_300mb_is_refused_before_unpacking(tmp_path):
    path = _zip_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 400_000
    got = _measured_refusal(path)
    assert got["outcome"] == "refused" and got["code"] == "limit_exceeded", got
    assert "xl/media/image1.bin" in got["message"] and "GCDB_MAX_RATIO" in got["message"]
    assert float(got["seconds"]) < SECONDS and float(got["rss_growth_mb"]) < RSS_MB, got
    run = cli("validate", "budget", path)
    assert run.code == 1 and "bomb.xlsx" in run.err and "zip bomb" in run.err


def test_the_unpacked_size_limit_names_its_option(tmp_path):
    path = _zip_bomb(tmp_path / "big.xlsx", inflated_mb=12)
    limits = ReadLimits(max_inflated_bytes=10 * 1024 * 1024, max_ratio=10_000)
    with pytest.raises(Exception, match="--max-inflated-mb"):
        read_budget(path, limits=limits)
    run = cli("validate", "budget", path, "--max-inflated-mb", 10)
    assert run.code == 1 and "--max-inflated-mb" in run.err


def test_the_cell_limit_is_an_option(tmp_path, monkeypatch):
    path = tmp_path / "b.xlsx"
    table("budget", [{}] * 10).to_excel(path, index=False)  # 11 rows × 11 columns
    monkeypatch.setenv("GCDB_MAX_CELLS", "50")
    refused = cli("validate", "budget", path)
    assert refused.code == 1 and "limit of 50 cells" in refused.err
    raised = cli("validate", "budget", path, "--max-cells", 1000)
    assert raised.code == 0, raised.text
    balanced(read_budget(path, limits=ReadLimits(max_cells=1000)), 10)


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)


def test_billion_laughs_rule_set_is_refused_fast_and_small(tmp_path):
    path = tmp_path / "lol.yaml"
    path.write_text(BILLION_LAUGHS + "name: x\napplies_to: budget\nrules: []\n", encoding="utf-8")
    got = run_isolated(
        f"""
        from gcdb.errors import RuleError
        from gcdb.rules import load_ruleset
        try:
            load_ruleset({str(path)!r})
            report(outcome="loaded")
        except RuleError as exc:
            report(outcome="refused", message=str(exc))
        """
    )
    assert (
        got["outcome"] == "refused" and "takma ad bombası" in got["message"] and "lol.yaml:" in got["message"]
    )
    assert float(got["seconds"]) < SECONDS and float(got["rss_growth_mb"]) < RSS_MB, got
    run = cli("rules", "check", path)
    assert run.code == 1 and "lol.yaml" in run.text


def test_too_many_aliases_are_refused(tmp_path):
    text = "x: &x 1\nys: [" + ", ".join(["*x"] * 150) + "]\n"
    with pytest.raises(RuleError, match="more than 100 aliases"):
        loads_ruleset(text, name="aliases.yaml")


def _regex_rules(pattern: str) -> str:
    return (
        "name: rx\napplies_to: budget\ndefault_scheme: eu_cpr\nrules:\n"
        f"  - id: rx_rule\n    when: {{column: description, regex: '{pattern}'}}\n"
        "    then: {categories: {eu_cpr: '01'}}\n"
    )


def test_catastrophic_backtracking_pattern_runs_in_linear_time(tmp_path):
    rules = tmp_path / "rx.yaml"
    rules.write_text(_regex_rules("(a+)+$"), encoding="utf-8")
    hostile = "a" * 50 + "!"
    budget = write_csv(tmp_path / "b.csv", "budget", [{"Açıklama": hostile}, {"Açıklama": "a" * 50}])
    got = run_isolated(
        f"""
        from gcdb.read import read_budget
        from gcdb.rules import load_ruleset, tag
        result = tag(read_budget({str(budget)!r}).data, load_ruleset({str(rules)!r}))
        report(tagged=int(result.rows["tagged"].sum()))
        """,
        timeout=120,
    )
    assert got["tagged"] == "1"  # the hostile line does not match; the clean one does
    assert float(got["seconds"]) < SECONDS, got
    run = cli("tag", "--rules", rules, "--in", budget, "--out", tmp_path / "o.csv")
    assert run.code == 0 and "1 of 2 tagged" in run.out
    balanced(read_budget(budget), 2)


@pytest.mark.parametrize(
    ("pattern", "what"),
    [("(a)\\1", "backreferences"), ("kadın(?=evi)", "lookarounds"), ("(?<!x)y", "lookarounds")],
)
def test_backtracking_only_regex_features_are_refused_naming_the_rule(tmp_path, pattern, what):
    path = tmp_path / "rx.yaml"
    path.write_text(_regex_rules(pattern), encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_ruleset(path)
    assert info.value.rule_id == "rx_rule" and info.value.line == 6 and what in str(info.value)
    run = cli("rules", "check", path)
    assert run.code == 1 and "rx_rule" in run.text and "RE2" in run.text


def test_regex_rules_still_match_as_documented(tmp_path):
    rules = loads_ruleset(_regex_rules("^KADIN.*EVİ$"), name="rx.yaml")
    budget = write_csv(tmp_path / "b.csv", "budget", [{}, {"Açıklama": "PARK YAPIMI"}])
    data = read_budget(budget).data
    assert tag(data, rules).rows["tagged"].tolist() == [True, False]
    assert (paths.rules() / "ibb_yeep_2021_budget.yaml").is_file()
