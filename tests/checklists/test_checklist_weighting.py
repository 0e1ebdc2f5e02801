"""Assessed HGDG scores replace the hand-typed ones in the budget's HGDG weighting: precedence, hand-computed
figures, and the demo municipality."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gcdb
from gcdb import columns as C
from gcdb.checklists import (
    apply_assessed_scores,
    assessed_scores,
    hgdg_comparison,
    load_checklist,
    read_assessments,
    score_assessments,
)
from gcdb.checklists import names as N
from gcdb.cli.main import main

DEMO = gcdb.paths.demo()


def _links(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[N.LINK, N.KEY, C.FISCAL_YEAR, N.SUBJECTS, N.ASSESSED]).astype(
        {C.FISCAL_YEAR: "Int64"}
    )


@pytest.fixture(scope="module")
def small():
    """Four 2024 lines of 10,000 kuruş, each tagged by a rule with a hand-typed HGDG score:

    row  line  rule  action  hand  link that applies                        used   weight  counted
    0    L1    r1    A1H1E1  20    line L1 (2024): 8 — beats action and rule   8      50 %    5,000
    1    L2    r1    A1H1E1  20    action A1H1E1 (all years): 15              15      75 %    7,500
    2    L3    r2    A1H1E2  12    rule r2 (2023 only): does not apply        12      50 %    5,000
    3    L4    r3    A1H1E3  —     rule r3 (2024): 4                           4      25 %    2,500
    Hand-typed: 10,000 + 10,000 + 5,000 + 0 = 25,000; assessed: 20,000.
    """
    budget = pd.DataFrame(
        {
            C.FISCAL_YEAR: 2024,
            C.LINE_ID: ["L1", "L2", "L3", "L4"],
            C.INSTITUTIONAL_CODE: "46.34.01.16",
            C.FUNCTIONAL_CODE: "10.9.0.00",
            C.FINANCING_TYPE: "5",
            C.ECONOMIC_CODE: "03.5.9.90",
            C.DESCRIPTION: ["a", "b", "c", "d"],
            **{p: np.full(4, 10_000, dtype=np.int64) for p in C.PHASES},
        }
    )
    tags = pd.DataFrame(
        {
            C.ROW_ID: [0, 1, 2, 3],
            C.RULE_ID: ["r1", "r1", "r2", "r3"],
            C.ACTION_CODE: ["A1H1E1", "A1H1E1", "A1H1E2", "A1H1E3"],
            C.SHARE: 1.0,
            "category_eu_cpr": "01",
            "category_ph_hgdg": ["20", "20", "12", None],
            **{C.attributed(p): np.full(4, 10_000, dtype=np.int64) for p in C.PHASES},
        }
    )
    links = _links(
        [
            ("line", "L1", 2024, 1, 8.0),
            ("action", "A1H1E1", pd.NA, 1, 15.0),
            ("rule", "r1", 2024, 1, 3.0),
            ("rule", "r2", 2023, 1, 20.0),
            ("rule", "r3", 2024, 2, 4.0),
        ]
    )
    return budget, tags, links


def test_precedence_line_then_action_then_rule_and_years(small):
    budget, tags, links = small
    applied = apply_assessed_scores(tags, budget, links)
    assert applied.tags["category_ph_hgdg"].tolist() == ["8", "15", "12", "4"]
    assert applied.sources[N.SOURCE].tolist() == [
        "assessment_line",
        "assessment_action",
        "rule",
        "assessment_rule",
    ]
    assert applied.sources[N.HAND_TYPED].tolist()[:3] == [20, 20, 12] and np.isnan(
        applied.sources[N.HAND_TYPED][3]
    )


def test_comparison_hand_computed(small):
    budget, tags, links = small
    comparison = hgdg_comparison(budget, tags, links)
    revised = comparison.summary[comparison.summary["phase"] == C.REVISED_APPROPRIATION].iloc[0]
    assert revised["budget_total"] == 40_000
    assert revised["counted_hand_typed"] == 25_000 and revised["counted_assessed"] == 20_000
    assert revised["difference"] == -5_000
    assert revised["share_assessed"] == pytest.approx(0.5)
    by_rule = comparison.by_rule.set_index([C.RULE_ID, N.SOURCE])
    assert by_rule.loc[("r1", "assessment_line"), "counted_assessed"] == 5_000
    assert by_rule.loc[("r1", "assessment_action"), "counted_hand_typed"] == 10_000
    assert set(comparison.floor["scores"]) == {"hand_typed", "assessed"}


def test_assessed_scores_average_subjects_and_keep_years():
    park = load_checklist("park")
    scores = score_assessments(read_assessments(DEMO / "costing" / "assessments_park.csv", park), park)
    links = assessed_scores(scores)
    emzirme = links[(links[N.LINK] == "rule") & (links[N.KEY] == "emzirme-odasi")].set_index(C.FISCAL_YEAR)
    assert emzirme.loc[2024, N.SUBJECTS] == 24 and emzirme.loc[2023, N.SUBJECTS] == 4
    latest_2024 = scores.assessments[(scores.assessments[C.FISCAL_YEAR] == 2024)]
    assert emzirme.loc[2024, N.ASSESSED] == pytest.approx(round(latest_2024[N.HGDG_SCORE].mean(), 2))


@pytest.fixture(scope="module")
def demo_comparison():
    park, design = load_checklist("park"), load_checklist("hgdg_design")
    park_scores = score_assessments(read_assessments(DEMO / "costing" / "assessments_park.csv", park), park)
    design_scores = score_assessments(
        read_assessments(DEMO / "costing" / "assessments_hgdg_design.csv", design), design
    )
    links = assessed_scores(park_scores, design_scores)
    budget = pd.read_parquet(DEMO / "budget.parquet")
    tags = gcdb.tag(budget, gcdb.load_ruleset(gcdb.paths.rules() / "ibb_yeep_2021_budget.yaml"))
    return budget, tags, hgdg_comparison(budget, tags, links)


def test_demo_tcdb_under_hgdg_assessed_beside_hand_typed(demo_comparison):
    budget, tags, comparison = demo_comparison
    s = comparison.summary.set_index([C.FISCAL_YEAR, "phase"])
    rev_2024 = s.loc[(2024, C.REVISED_APPROPRIATION)]
    # hand-typed: the shipped rules' scores (4.69 % of 2024 revised appropriations, README)
    assert rev_2024["share_hand_typed"] == pytest.approx(0.0469, abs=5e-5)
    assert rev_2024["counted_assessed"] != rev_2024["counted_hand_typed"]
    assert rev_2024["difference"] == rev_2024["counted_assessed"] - rev_2024["counted_hand_typed"]
    # the analysis without assessments gives the hand-typed figure
    plain = gcdb.analyse_budget(budget, tags, schemes=["ph_hgdg"], floor=None).summary.set_index(
        C.FISCAL_YEAR
    )
    assert rev_2024["counted_hand_typed"] == plain.loc[2024, "counted_revised_appropriation"]
    # the shelter rule: hand-typed 20 (100 %), assessed 18.33 (75 %)
    shelter = comparison.by_rule[
        (comparison.by_rule[C.RULE_ID] == "kadin-dayanisma-evi") & (comparison.by_rule[C.FISCAL_YEAR] == 2024)
    ]
    row = shelter.iloc[0]
    assert row[N.HAND_TYPED] == 20 and row[N.ASSESSED] == pytest.approx(18.33)
    assert row["counted_assessed"] == pytest.approx(0.75 * row["counted_hand_typed"], abs=1)
    # the crèche line assessed on its own (line 1473) beats the crèche rule's assessment
    kres = comparison.by_rule[
        (comparison.by_rule[C.RULE_ID] == "kres-isletme") & (comparison.by_rule[C.FISCAL_YEAR] == 2024)
    ]
    assert set(kres[N.SOURCE]) == {"assessment_line", "assessment_rule"}


def test_checklist_cli_scores_and_weights(tmp_path, capsys):
    code = main(
        [
            "checklist",
            "score",
            "park",
            str(DEMO / "costing" / "assessments_park.csv"),
            "hgdg_design",
            str(DEMO / "costing" / "assessments_hgdg_design.csv"),
            "--budget",
            str(DEMO / "budget.parquet"),
            "--rules",
            str(gcdb.paths.rules() / "ibb_yeep_2021_budget.yaml"),
            "--out",
            str(tmp_path),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1  # planted errors in the answers
    assert "PARK: 24 tesis/program" in out and "değerlendirmelerle" in out
    for name in (
        "checklist_park_assessments",
        "checklist_hgdg_design_by_question",
        "hgdg_links",
        "hgdg_assessed_summary",
    ):
        assert (tmp_path / f"{name}.csv").exists(), name


def test_checklist_cli_show_and_usage_errors(capsys):
    assert main(["checklist", "show", "park", "--lang", "en"]) == 0
    assert "Park checklist" in capsys.readouterr().out
    assert main(["checklist", "score", "park"]) == 2
    assert main(["checklist", "show", "nope.yaml"]) == 1
