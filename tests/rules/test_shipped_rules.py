"""The shipped rule sets: strict load against the YEEP catalogue, their YAML cases (one pytest item each), and
what they tag on the synthetic demo municipality."""

from pathlib import Path

import pandas as pd
import pytest
import yaml

from gcdb import paths
from gcdb.rules import load_ruleset, tag
from gcdb.rules.cases import find_case_files, load_cases, run_case

RULES = paths.rules()
SHIPPED = ["ibb_yeep_2021_budget.yaml", "ibb_yeep_2021_services.yaml"]
DEMO = paths.demo()


@pytest.fixture(scope="module")
def catalogue():
    from gcdb.catalogue import Catalogue

    return Catalogue.load()


@pytest.fixture(scope="module")
def rulesets(catalogue):
    return {name: load_ruleset(RULES / name, catalogue=catalogue) for name in SHIPPED}


def _shipped_cases():
    out = []
    for path in find_case_files(RULES):
        for case in load_cases(path):
            out.append(pytest.param(case, id=case.id))
    return out


def test_every_shipped_rule_set_has_cases():
    assert sorted(p.name for p in find_case_files(RULES)) == sorted(
        n.replace(".yaml", ".cases.yaml") for n in SHIPPED
    )


@pytest.mark.parametrize("case", _shipped_cases())
def test_shipped_case(case, rulesets):
    result = run_case(case, rulesets[Path(case.ruleset_path).name])
    assert result.passed, str(result)


def test_shipped_rule_sets_use_real_plan_actions(rulesets, catalogue):
    for ruleset in rulesets.values():
        assert ruleset.plan == "yeep_ibb_2021_2024"
        codes = {a for rule in ruleset.rules for a in rule.then.actions}
        assert codes and all(catalogue.has_action(code) for code in codes)


def test_budget_rules_categorise_under_three_schemes(rulesets):
    budget = rulesets["ibb_yeep_2021_budget.yaml"]
    with_actions = [r for r in budget.rules if r.then.actions]
    assert all({"eu_cpr", "oecd_dac", "india_gbs"} <= set(r.then.categories) for r in with_actions)


@pytest.mark.skipif(not (DEMO / "budget.parquet").exists(), reason="demo municipality not generated")
def test_budget_rules_tag_the_demo_gender_relevant_lines(rulesets):
    budget = pd.read_parquet(DEMO / "budget.parquet")
    planted = yaml.safe_load((DEMO / "planted_gaps.yaml").read_text(encoding="utf-8"))
    relevant_names = planted["gender_relevant_descriptions"]
    description = budget["description"]
    relevant = description.isin(relevant_names) | description.str.startswith(
        tuple(relevant_names)  # district crèche lines are listed by their prefix
    )
    result = tag(budget, rulesets["ibb_yeep_2021_budget.yaml"])
    with_action = (result.rows["action_codes"] != "").to_numpy()
    for phase in ("initial_appropriation", "revised_appropriation", "expenditure"):
        share = budget.loc[relevant & with_action, phase].sum() / budget.loc[relevant, phase].sum()
        assert share >= 0.95, phase
    assert not (with_action & ~relevant.to_numpy()).any()  # nothing else gets a plan action
    summary = result.coverage.summary.set_index("measure")
    assert 0 < summary.loc["rows", "tagged_share"] < 0.1
    assert len(result.coverage.untagged) == len(budget) - int(result.rows["tagged"].sum())


@pytest.mark.skipif(not (DEMO / "usage.parquet").exists(), reason="demo municipality not generated")
def test_service_rules_tag_the_demo_services(rulesets):
    usage = pd.read_parquet(
        DEMO / "usage.parquet", columns=["service_code", "service_name", "sex", "age", "fiscal_year"]
    )
    services = pd.read_csv(DEMO / "services.csv", dtype="str")
    result = tag(usage, rulesets["ibb_yeep_2021_services.yaml"])
    tagged = result.rows.groupby("service_code", observed=True)["tagged"].mean()
    untouched = {"SAG", "SPR"}  # no plan action
    for code in services["service_code"]:
        if code in untouched:
            assert tagged[code] == 0
        elif code == "HUK":  # counselling given to women only
            women = (usage["service_code"] == "HUK") & (usage["sex"] == "female")
            assert tagged[code] == pytest.approx(women.sum() / (usage["service_code"] == "HUK").sum())
        else:
            assert tagged[code] == 1
    # where the demo's own catalogue names an action, the rules agree
    named = services.dropna(subset=["yeep_action"]).set_index("service_code")["yeep_action"]
    first_action = result.rows.groupby("service_code", observed=True)["action_codes"].first()
    for code, action in named.items():
        assert first_action[code] == action
    groups = result.coverage.untagged_groups
    assert set(groups["service_code"]) == {"SAG", "SPR", "HUK"}
