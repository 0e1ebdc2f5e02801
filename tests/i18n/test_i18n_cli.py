"""Every command of this sweep speaks Turkish by default: help, argparse's own words, console output, data
messages and errors — success, a user error and ``--help`` of each, with no English line (:mod:`i18n_english`).

The commands of the second sweep (``demo``, ``services``, ``monitor``, ``checklist`` and ``plan cost``) still
describe themselves in English in the listings of ``gcdb --help`` and ``gcdb plan --help``: those entries are
left out here, by name (:data:`SECOND_SWEEP`).
"""

from __future__ import annotations

import re

import pytest
from i18n_english import english_lines
from i18n_helpers import MESSY, ROOT, run_gcdb

from gcdb import paths

#: Subcommands whose help texts belong to the second sweep (services, monitoring, costing, checklists).
SECOND_SWEEP = frozenset({"demo", "services", "monitor", "checklist", "cost"})
_ENTRY = re.compile(r"^(\s+)(\S+)")


def without_entries(lines: list[str], names: frozenset[str]) -> list[str]:
    """``lines`` without the argparse help entries (and their wrapped lines) of the subcommands ``names``."""
    out, skip_indent = [], None
    for line in lines:
        m = _ENTRY.match(line)
        indent = len(m.group(1)) if m else 0
        if skip_indent is not None and line.strip() and indent > skip_indent:
            continue
        skip_indent = None
        if m and m.group(2) in names:
            skip_indent = indent
            continue
        out.append(line)
    return out


def assert_turkish(run) -> None:
    english = english_lines(without_entries(run.lines, SECOND_SWEEP))
    assert not english, "English lines:\n" + "\n".join(f"{words}: {line}" for line, words in english)


HELP = [
    [],
    ["validate"],
    ["catalogue"],
    ["plan"],
    ["plan", "template"],
    ["plan", "check"],
    ["rules"],
    ["rules", "check"],
    ["rules", "test"],
    ["rules", "schema"],
    ["tag"],
    ["budget"],
    ["report"],
    ["report", "html"],
]


@pytest.mark.parametrize("command", HELP, ids=lambda c: " ".join(c) or "gcdb")
def test_help_is_turkish(command):
    run = run_gcdb(*command, "--help")
    assert run.code == 0 and run.out.startswith("kullanım: gcdb")
    assert "seçenekler:" in run.out and "bu yardım iletisini gösterir ve çıkar" in run.out
    assert_turkish(run)


def test_gcdb_alone_prints_the_turkish_help_and_exits_2():
    run = run_gcdb()
    assert run.code == 2 and "komutlar:" in run.out
    assert_turkish(run)


def _cases(tmp, bad) -> list[tuple[list[object], int]]:
    budget, usage, population = (
        MESSY / "budget_2024_tr.csv",
        MESSY / "usage_sample_tr.xlsx",
        MESSY / "population_tr.csv",
    )
    rules = ROOT / "rules" / "ibb_yeep_2021_budget.yaml"
    return [
        # argparse's own errors
        (["nonsense"], 2),
        (["validate"], 2),
        (["validate", "budget", budget, "--bogus"], 2),
        (["budget", "--budget", budget, "--rules", rules, "--out", tmp / "t.xlsx", "--year", "yirmi"], 2),
        # validate
        (["validate", "budget", budget], 0),
        (["validate", "usage", usage], 0),
        (["validate", "population", population], 0),
        (["validate", "budget", bad["budget"]], 1),
        (["validate", "budget", bad["refused"]], 1),
        (["validate", "usage", bad["usage"]], 1),
        (["validate", "usage", bad["personal"]], 1),
        (["validate", "budget", tmp / "yok.csv"], 1),
        (["validate", "budget", budget, "--districts", "x.csv"], 2),
        (["validate", "usage", usage, "--districts", tmp / "yok.csv"], 2),
        (["validate", "budget", budget, "--sheet", "0"], 2),
        # catalogue and plan
        (["catalogue"], 0),
        (["catalogue", "--area", "7"], 0),
        (["catalogue", "--action", "A7H1E2"], 0),
        (["catalogue", "--indicators", "--area", "7"], 0),
        (["catalogue", "--unit", "Sağlık", "--role", "any", "--year", "2023"], 0),
        (["catalogue", "--area", "99"], 2),
        (["catalogue", "--action", "X1"], 2),
        (["plan", "template", "--out", tmp / "sablon.xlsx"], 0),
        (["plan", "check", tmp / "sablon.xlsx"], 1),
        (["plan", "check", paths.plan()], 0),
        (["plan", "check", tmp / "yok"], 1),
        (["plan", "template", "--out", tmp / "sablon.csv"], 2),
        (["plan", "check", paths.plan(), "--previous", "ibb"], 2),
        # rules and tag
        (["rules", "check", ROOT / "rules"], 0),
        (["rules", "test", ROOT / "rules"], 0),
        (["rules", "schema", "--out", tmp / "schema.json"], 0),
        (["rules", "check", bad["rules"]], 1),
        (["rules", "test", bad["cases"]], 1),
        (["rules", "check", tmp / "yok.yaml"], 1),
        (["tag", "--rules", rules, "--in", budget, "--out", tmp / "etiketli.csv"], 0),
        (["tag", "--rules", rules, "--in", budget, "--out", tmp / "etiketli.json"], 2),
        (["tag", "--rules", rules, "--in", tmp / "yok.csv", "--out", tmp / "e.csv", "--raw"], 1),
        (["tag", "--rules", rules, "--in", bad["budget"], "--out", tmp / "e.csv", "--strict-columns"], 0),
        # budget
        (["budget", "--budget", budget, "--rules", rules, "--out", tmp / "tcdb.xlsx"], 0),
        (["budget", "--budget", bad["budget"], "--rules", rules, "--out", tmp / "tcdb2.xlsx", "--quiet"], 1),
        (["budget", "--budget", budget, "--rules", rules, "--out", tmp / "t.xlsx", "--floor", "2"], 2),
        (["budget", "--budget", tmp / "yok.csv", "--rules", rules, "--out", tmp / "t.xlsx"], 1),
        (
            [
                "budget",
                "--budget",
                budget,
                "--rules",
                ROOT / "rules" / "ibb_yeep_2021_services.yaml",
                "--out",
                tmp / "t.xlsx",
            ],
            1,
        ),
        # report
        (["report", "html", "--out", tmp / "web", "--budget", budget], 2),
        (["report", "html", "--out", tmp / "web", "--k", "0"], 2),
    ]


def test_commands_speak_turkish(tmp_path, bad_files):
    """Each command, run as a person would, with the exit code it should have: no English line in its output."""
    failures = []
    for argv, code in _cases(tmp_path, bad_files):
        run = run_gcdb(*argv)
        label = " ".join(str(a).replace(str(tmp_path), "…").replace(str(ROOT), "") for a in argv)
        if run.code != code:
            failures.append(f"gcdb {label}: exit {run.code}, expected {code}\n{run.out}{run.err}")
            continue
        english = english_lines(run.lines)
        if english:
            failures.append(f"gcdb {label}:\n" + "\n".join(f"  {w}: {line}" for line, w in english))
    assert not failures, "\n\n".join(failures)


def test_numbers_are_turkish(tmp_path):
    run = run_gcdb("validate", "budget", MESSY / "budget_2024_tr.csv")
    assert "35.270.099.230,85" in run.out and "Satır sayısı" in run.out and "3.493" in run.out
    tagged = run_gcdb(
        "tag",
        "--rules",
        ROOT / "rules" / "ibb_yeep_2021_budget.yaml",
        "--in",
        MESSY / "budget_2024_tr.csv",
        "--out",
        tmp_path / "e.csv",
    )
    assert "%15,2" in tagged.out and "35.270.099.230,85" in tagged.out


def test_english_on_request_and_the_detector_sees_it(monkeypatch):
    """``--lang en`` and ``GCDB_LANG=en`` give English — which the detector reports (it can fail)."""
    english = run_gcdb("--lang", "en", "validate", "--help")
    assert english.out.startswith("usage: gcdb validate") and "show this help message and exit" in english.out
    assert english_lines(english.lines)
    monkeypatch.setenv("GCDB_LANG", "en")
    env = run_gcdb("validate", "budget", MESSY / "budget_2024_tr.csv")
    assert "Rows" in env.out and "35,270,099,230.85" in env.out and "0 errors, 2 warnings" in env.out
    monkeypatch.setenv("GCDB_LANG", "tr")
    assert "Satır sayısı" in run_gcdb("validate", "budget", MESSY / "budget_2024_tr.csv").out


def test_an_unknown_language_is_a_usage_error_in_turkish(monkeypatch):
    run = run_gcdb("validate", "budget", MESSY / "budget_2024_tr.csv", "--lang", "de")
    assert run.code == 2 and "geçersiz seçim: 'de'" in run.err
    monkeypatch.setenv("GCDB_LANG", "de")
    run = run_gcdb("--help")
    assert run.code == 2 and "GCDB_LANG='de'" in run.err and "dil değil" in run.err
