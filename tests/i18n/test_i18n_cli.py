"""Every command speaks Turkish by default: help, argparse's own words, console output, data messages and
errors — success, a user error and ``--help`` of each, with no English line (:mod:`i18n_english`).

The first sweep covers ``validate``, ``catalogue``, ``plan``, ``rules``, ``tag``, ``budget`` and ``report``; the
second ``demo``, ``services``, ``monitor``, ``checklist`` and ``plan cost``. Lines that quote data of the shipped
files (the cited sources of a checklist, ``Kaynak: …``) are left out (:data:`DATA_LINES`).
"""

from __future__ import annotations

import re

import pytest
from i18n_english import english_lines
from i18n_helpers import MESSY, ROOT, run_gcdb

from gcdb import paths

#: Lines that quote data of the shipped files, not gcdb's own words: the cited sources of a checklist.
DATA_LINES = re.compile(r"^\s+(Kaynak|Source): ")


def turkish_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if not DATA_LINES.match(line)]


def assert_turkish(run) -> None:
    english = english_lines(turkish_lines(run.lines))
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
    # the second sweep
    ["demo"],
    ["services"],
    ["monitor"],
    ["monitor", "templates"],
    ["monitor", "collect"],
    ["monitor", "report"],
    ["monitor", "indicators"],
    ["checklist"],
    ["checklist", "show"],
    ["checklist", "template"],
    ["checklist", "score"],
    ["plan", "cost"],
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
        *_second_sweep_cases(tmp, bad),
    ]


def _second_sweep_cases(tmp, bad) -> list[tuple[list[object], int]]:
    """``demo``, ``services``, ``monitor``, ``checklist`` and ``plan cost``: the cheap successful runs on the demo
    inputs (the whole ``gcdb demo`` is run by tests/demo), data problems and user errors."""
    demo = ROOT / "datasets" / "demo"
    usage, population = MESSY / "usage_sample_tr.xlsx", MESSY / "population_tr.csv"
    services = ["services", "--usage", usage, "--population", population]
    costing, adopted = demo / "costing" / "costing.csv", demo / "costing" / "adopted.csv"
    park = demo / "costing" / "assessments_park.csv"
    checklist = tmp / "liste.yaml"
    checklist.write_text(
        "id: x\nname_tr: X\nname_en: X\nsubject: facility\nreference: r\nmax_score: 5\nscales:\n"
        "  - id: yn\n    options:\n      - {code: 'e', value: 1, label_tr: E, label_en: Y}\n"
        "      - {code: 'h', value: 0, label_tr: H, label_en: N}\n"
        "sections:\n  - id: s\n    title_tr: S\n    title_en: S\n    questions:\n"
        "      - {id: q1, text_tr: a, text_en: a, max_score: 2, scale: yn}\n",
        encoding="utf-8",
    )
    return [
        # demo: user errors (the run itself is tests/demo's)
        (["demo", "--k", "0", "--out", tmp / "demo"], 2),
        (["demo", "--out", MESSY / "budget_2024_tr.csv"], 2),
        # services
        ([*services, "--out", tmp / "hizmet.xlsx", "--quiet"], 0),
        ([*services, "--out", tmp / "hizmet.xlsx", "--tables", tmp / "hizmet"], 0),
        ([*services, "--out", tmp / "hizmet.csv"], 2),
        ([*services, "--out", tmp / "h.xlsx", "--k", "0"], 2),
        ([*services, "--out", tmp / "h.xlsx", "--z", "-1"], 2),
        ([*services, "--out", tmp / "h.xlsx", "--budget", MESSY / "budget_2024_tr.csv"], 2),
        ([*services, "--out", tmp / "h.xlsx", "--reference", "cinsiyet"], 2),
        ([*services, "--out", tmp / "h.xlsx", "--reference", "boyut=x"], 2),
        ([*services, "--out", tmp / "h.xlsx", "--reference", "sex=uzaylı"], 2),
        ([*services[:2], bad["usage"], *services[3:], "--out", tmp / "h.xlsx", "--strict"], 1),
        (["services", "--usage", tmp / "yok.xlsx", "--population", population, "--out", tmp / "h.xlsx"], 1),
        # monitor
        (["monitor", "templates", "--year", "2024", "--out", tmp / "izleme_formlari", "--unit", "saglik"], 0),
        (
            ["monitor", "collect", demo / "monitoring" / "2024", "--year", "2024", "--out", tmp / "toplanan"],
            1,
        ),
        (["monitor", "report", "--demo", "--out", tmp / "izleme"], 0),
        (["monitor", "indicators"], 0),
        (["monitor", "report", "--out", tmp / "izleme2"], 2),
        (["monitor", "report", "--demo", "--k", "0", "--out", tmp / "izleme2"], 2),
        (["monitor", "templates", "--year", "2024", "--out", MESSY / "budget_2024_tr.csv"], 2),
        (["monitor", "indicators", "--plan", tmp / "yok"], 2),
        (["monitor", "report", "--demo", "--out", tmp / "izleme3", "--workforce", tmp / "yok.csv"], 1),
        # checklist
        (["checklist", "show", "park"], 0),
        (["checklist", "show", "hgdg_design"], 0),
        (["checklist", "template", "park", "--out", tmp / "kontrol"], 0),
        (["checklist", "score", "park", park, "--out", tmp / "puanlar"], 1),
        (["checklist", "score", "park"], 2),
        (["checklist", "score", "park", park, "--budget", MESSY / "budget_2024_tr.csv"], 2),
        (["checklist", "show", tmp / "yok.yaml"], 1),
        (["checklist", "show", bad["rules"]], 1),
        (["checklist", "show", checklist], 1),
        # plan cost
        (["plan", "cost", costing, "--budget", adopted, "--out", tmp / "maliyet"], 1),
        (["plan", "cost", "template", "--years", "2025-2026", "--unit", "saglik", "--out", tmp / "mf"], 0),
        (["plan", "cost", "template", "--years", "yirmi", "--out", tmp / "mf"], 2),
        (["plan", "cost", "template", "--years", "2020-2040", "--out", tmp / "mf"], 2),
        (["plan", "cost", costing, "--years", "2025", "--out", tmp / "m"], 2),
        (["plan", "cost", costing, park, "--out", tmp / "m"], 2),
        (["plan", "cost", MESSY / "budget_2024_tr.csv", "--out", tmp / "m"], 1),
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
        english = english_lines(turkish_lines(run.lines))
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


def test_the_second_sweep_in_english_on_request(tmp_path, monkeypatch):
    """``--lang en`` (and ``GCDB_LANG=en``) give the second sweep's help and output in English."""
    for command in (["services"], ["monitor", "report"], ["checklist", "score"], ["plan", "cost"], ["demo"]):
        run = run_gcdb("--lang", "en", *command, "--help")
        assert run.out.startswith("usage: gcdb") and english_lines(run.lines), command
    help_text = " ".join(run_gcdb("--lang", "en", "services", "--help").out.split())
    assert "write the Hizmette Eşitlik workbook" in help_text
    shown = run_gcdb("checklist", "show", "park", "--lang", "en")
    assert "Maximum score: 40" in shown.out and "En yüksek puan" not in shown.out
    cost = run_gcdb("--lang", "en", "plan", "cost", "template", "--years", "yirmi")
    assert cost.code == 2 and "--years must look like 2025-2026" in cost.err
    monkeypatch.setenv("GCDB_LANG", "en")
    scored = run_gcdb(
        "checklist", "score", "park", ROOT / "datasets/demo/costing/assessments_park.csv", "--out", tmp_path
    )
    assert "answer is not on the question's scale" in scored.out and "24 facilities/programmes" in scored.out
    assert "Checklist Report:" in scored.out
    monkeypatch.delenv("GCDB_LANG")
    park = ROOT / "datasets/demo/costing/assessments_park.csv"
    assert "Kontrol Listesi Raporu:" in run_gcdb("checklist", "score", "park", park, "--out", tmp_path).out
