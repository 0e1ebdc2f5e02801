"""Shared fixtures of the monitoring tests: the shipped plan, the demo returns and the demo budget analysis."""

from __future__ import annotations

import pytest
import yaml

import gcdb
from gcdb import paths

DEMO = paths.demo() / "monitoring"


@pytest.fixture(scope="session")
def catalogue():
    return gcdb.Catalogue.load()


@pytest.fixture(scope="session")
def manifest() -> dict:
    return yaml.safe_load((DEMO / "planted.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def collected(catalogue, manifest):
    """The demo returns, collected year by year (as ``gcdb monitor collect DIR --year Y`` does)."""
    from gcdb.monitor import collect_returns

    return {
        year: collect_returns([DEMO / str(year)], catalogue, years=[year], units=manifest["units"])
        for year in manifest["years"]
    }


@pytest.fixture(scope="session")
def budget_analysis(catalogue):
    data = gcdb.read_budget(paths.demo() / "budget.parquet").data
    rules = gcdb.load_ruleset(paths.rules() / "ibb_yeep_2021_budget.yaml", catalogue=catalogue)
    return gcdb.analyse_budget(data, gcdb.tag(data, rules), plan_actions=catalogue.budget_actions())


@pytest.fixture(scope="session")
def workforce():
    from gcdb.read.workforce import read_workforce

    return read_workforce(DEMO / "workforce.csv")


@pytest.fixture(scope="session")
def analysis(collected, catalogue, budget_analysis, workforce):
    from gcdb.monitor import analyse_monitoring, combine

    return analyse_monitoring(
        combine(collected.values()), catalogue, budget=budget_analysis, workforce=workforce.data
    )
