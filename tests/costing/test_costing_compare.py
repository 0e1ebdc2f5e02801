"""Costed vs appropriated vs executed: statuses judged phase by phase, levels, years, and the demo round trip."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from costing_builders import frame, line

import gcdb
from gcdb import columns as C
from gcdb.costing import compare_costing, proposal_rules, propose_budget, read_costing
from gcdb.costing import names as N
from gcdb.errors import UsageError

DEMO = gcdb.paths.demo()


def _action(comparison, code: str, year) -> pd.Series:
    t = comparison.table
    hit = t[
        (t[N.LEVEL] == "action")
        & (t[N.KEY] == code)
        & (t[C.FISCAL_YEAR].astype("object") == year).fillna(False)
    ]
    assert len(hit) == 1
    return hit.iloc[0]


# -- hand-built: one action per status ---------------------------------------------------------------------------
#  action   costed  initial  revised  spent   status
#  A1H1E1     1000     1000     1000    800   funded
#  A1H1E2     1000        0        0      0   not_appropriated
#  A1H1E3     1000        0      900    900   added_in_year
#  A1H1E4     1000     1000        0      0   cut_to_zero
#  A1H1E5     1000     1000      800    800   cut (20 % > 10 %)
#  A1H1E6     1000     1000      950    950   funded (5 % is within the threshold)
#  A1H1E7     1000      700      700    700   under_appropriated
#  A1H1E8     1000     1000     1000      0   not_spent
#  A1H1E9        —      500      500    500   not_costed
STATUS = {
    "A1H1E1": (1000, 1000, 800, "funded"),
    "A1H1E2": (0, 0, 0, "not_appropriated"),
    "A1H1E3": (0, 900, 900, "added_in_year"),
    "A1H1E4": (1000, 0, 0, "cut_to_zero"),
    "A1H1E5": (1000, 800, 800, "cut"),
    "A1H1E6": (1000, 950, 950, "funded"),
    "A1H1E7": (700, 700, 700, "under_appropriated"),
    "A1H1E8": (1000, 1000, 0, "not_spent"),
}


@pytest.fixture(scope="module")
def case():
    costing = read_costing(
        frame(
            *(
                line(cost_line_id=a, action_code=a, item=a, quantity="1", unit_cost="10")  # 1000 kuruş
                for a in STATUS
            ),
            line(cost_line_id="next", action_code="A1H1E1", item="next year", quantity="1", unit_cost="10", year_from="2025"),
        )
    )  # fmt: skip
    codes = [*STATUS, "A1H1E9"]
    money = [*STATUS.values(), (500, 500, 500, "")]
    budget = pd.DataFrame(
        {
            C.FISCAL_YEAR: 2024,
            C.LINE_ID: [f"L{i}" for i in range(len(codes))],
            C.INSTITUTIONAL_CODE: "46.34.01.16",
            C.UNIT_NAME: "Sosyal Hizmetler Daire Başkanlığı",
            C.FUNCTIONAL_CODE: "10.9.0.00",
            C.FINANCING_TYPE: "5",
            C.ECONOMIC_CODE: "03.5.9.90",
            C.DESCRIPTION: codes,
            C.INITIAL_APPROPRIATION: np.array([m[0] for m in money], dtype=np.int64),
            C.REVISED_APPROPRIATION: np.array([m[1] for m in money], dtype=np.int64),
            C.EXPENDITURE: np.array([m[2] for m in money], dtype=np.int64),
        }
    )
    tags = pd.DataFrame(
        {
            C.ROW_ID: np.arange(len(codes)),
            C.RULE_ID: "r",
            C.ACTION_CODE: codes,
            C.SHARE: 1.0,
            **{C.attributed(p): budget[p].to_numpy() for p in C.PHASES},
        }
    )
    return costing, budget, tags, compare_costing(costing, budget, tags)


def test_each_status_hand_computed(case):
    *_, comparison = case
    for action, (*_, status) in STATUS.items():
        assert _action(comparison, action, 2024)[N.STATUS] == status, action
    assert _action(comparison, "A1H1E9", 2024)[N.STATUS] == "not_costed"
    assert comparison.years == (2024,) and comparison.skipped_years == (2025,)
    assert "2025" in comparison.notes()[0] and "no budget lines" in comparison.notes("en")[0]
    assert comparison.not_appropriated[N.KEY].tolist() == ["A1H1E2"]
    assert comparison.cut[N.KEY].tolist() == ["A1H1E4", "A1H1E5"]
    assert comparison.not_spent[N.KEY].tolist() == ["A1H1E8"]


def test_rates_gap_and_totals(case):
    costing, budget, _, comparison = case
    e7 = _action(comparison, "A1H1E7", 2024)
    assert e7[N.GAP] == 300 and e7[N.APPROPRIATION_RATE] == pytest.approx(0.7)
    e5 = _action(comparison, "A1H1E5", 2024)
    assert e5[N.REVISION_RATE] == pytest.approx(0.8) and e5[N.EXECUTION_RATE] == pytest.approx(1.0)
    assert np.isnan(_action(comparison, "A1H1E2", 2024)[N.EXECUTION_RATE])
    t = comparison.table
    total = t[(t[N.LEVEL] == "total") & (t[C.FISCAL_YEAR] == 2024)].iloc[0]
    assert total[N.COSTED] == 8000
    assert [total[p] for p in C.PHASES] == [int(budget[p].sum()) for p in C.PHASES]
    unit = t[(t[N.LEVEL] == "unit") & (t[C.FISCAL_YEAR] == 2024)].iloc[0]
    assert unit[C.UNIT_NAME] == "Sosyal Hizmetler Daire Başkanlığı" and unit[N.KEY] == "46.34.01.16"
    key = comparison.key_numbers.set_index(C.FISCAL_YEAR, drop=False).iloc[0]
    assert key["actions_costed"] == 8 and key["actions_found"] == 8
    assert (
        key["not_appropriated"] == 1
        and key["cut"] == 1
        and key["cut_to_zero"] == 1
        and key["not_costed"] == 1
    )


def test_arguments_are_checked(case):
    costing, budget, tags, _ = case
    with pytest.raises(UsageError, match="2026"):
        compare_costing(costing, budget, tags, years=[2026])
    with pytest.raises(UsageError, match="cut_threshold"):
        compare_costing(costing, budget, tags, cut_threshold=1.5)
    with pytest.raises(UsageError, match="both"):
        compare_costing(costing, budget, tags, proposal=propose_budget(costing))
    with pytest.raises(UsageError, match="row_id"):
        compare_costing(costing, budget.iloc[:2], tags)


# -- the demo, end to end ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo():
    catalogue = gcdb.Catalogue.load()
    costing = read_costing(DEMO / "costing" / "costing.csv", catalogue=catalogue)
    proposal = propose_budget(costing)
    last_budget = pd.read_parquet(DEMO / "budget.parquet").astype({C.LINE_ID: "str"})
    rules = proposal_rules(proposal, plan="yeep_ibb_2021_2024", catalogue=catalogue, exclude=last_budget)
    return costing, proposal, rules, last_budget


def test_round_trip_proposal_as_adopted_budget_finds_every_costed_action(demo):
    """costing → proposal → (the proposal adopted as it is) → tagged → comparison: every action found, funded."""
    costing, proposal, rules, _ = demo
    adopted = proposal.lines.assign(**{C.EXPENDITURE: proposal.lines[C.REVISED_APPROPRIATION]})
    tagged = gcdb.tag(adopted, rules.ruleset)
    assert tagged.rows["tagged"].all()
    comparison = compare_costing(costing, adopted, tagged, proposal=proposal, rules=rules)
    actions = comparison.by_action
    costed = costing.data.groupby([C.FISCAL_YEAR, C.ACTION_CODE]).size()
    assert len(actions) == len(costed) == 29  # 15 actions in 2024, 14 in 2025
    assert (actions[N.TAGGED_LINES] > 0).all() and comparison.not_found.empty
    assert (actions[N.STATUS] == "funded").all()
    assert (actions[N.COSTED] == actions[C.INITIAL_APPROPRIATION]).all()
    lines = comparison.by_line
    assert len(lines) == len(proposal.lines) and (lines[N.STATUS] == "funded").all()


def test_round_trip_injected_into_the_demo_budget_has_no_false_hit(demo):
    _, proposal, rules, last_budget = demo
    assert rules.collisions.empty
    budget_2024 = last_budget[last_budget[C.FISCAL_YEAR] == 2024]
    injected = pd.concat(
        [budget_2024, proposal.lines[proposal.lines[C.FISCAL_YEAR] == 2024]], ignore_index=True
    )
    rows = gcdb.tag(injected, rules.ruleset).rows
    proposed = rows[C.LINE_ID].str.startswith("T")
    assert rows.loc[proposed, "tagged"].all()
    assert not rows.loc[~proposed, "tagged"].any()  # no line of the demo budget is taken for a proposal
    wanted = rules.rules.explode(C.LINE_ID).set_index(C.LINE_ID)["rule_id"]
    assert (rows.loc[proposed, "rule_ids"] == rows.loc[proposed, C.LINE_ID].map(wanted)).all()


def test_demo_adopted_budget_compared_with_the_costing(demo):
    """The demo's adopted and executed budget: reworded lines still found; the planted outcomes come back."""
    costing, proposal, rules, _ = demo
    adopted = gcdb.read_budget(DEMO / "costing" / "adopted.csv")
    assert adopted.ok
    tagged = gcdb.tag(adopted.data, rules.ruleset)
    # every line, including "Kadın Danışma Merkezi Personel Hizmet Alımı" reworded without its action code
    assert tagged.rows["tagged"].all()
    comparison = compare_costing(costing, adopted.data, tagged, proposal=proposal, rules=rules)
    assert comparison.not_found.empty
    planted = yaml.safe_load((DEMO / "costing" / "planted_errors.yaml").read_text(encoding="utf-8"))
    outcomes = planted["adopted.csv"]["outcomes"]
    lines = comparison.by_line
    assert (lines[N.STATUS] == "not_appropriated").sum() == outcomes["not_appropriated"] == 2
    assert (lines[N.STATUS] == "cut_to_zero").sum() == outcomes["cut_to_zero"] == 1
    assert (lines[N.STATUS] == "added_in_year").sum() == outcomes["added_in_year"] == 1
    assert (lines[N.STATUS] == "not_spent").sum() == outcomes["not_spent"] == 1
    assert set(lines.loc[lines[N.STATUS] == "cut", N.KEY]) == {"T0019"}
    assert _action(comparison, "A2H3E3", 2024)[N.STATUS] == "cut_to_zero"
    assert _action(comparison, "A10H2E4", 2025)[N.STATUS] == "not_appropriated"
    assert _action(comparison, "A11H5E1", 2025)[N.STATUS] == "not_spent"
    # the budget side adds up to the adopted budget, the costed side to the costing
    t = comparison.table
    everything = t[(t[N.LEVEL] == "total") & t[C.FISCAL_YEAR].isna()].iloc[0]
    assert everything[N.COSTED] == int(costing.data[N.AMOUNT].sum())
    assert [everything[p] for p in C.PHASES] == [int(adopted.data[p].sum()) for p in C.PHASES]
