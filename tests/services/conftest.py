"""Fixtures of the equality-in-services tests: the demo municipality analysed once per session, a small
hand-made municipality, and workbooks written from them."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from services_builders import DEMO, SMALL_COUNTS, small_population, small_usage

from gcdb import paths


@pytest.fixture(scope="session")
def demo_frames() -> dict[str, pd.DataFrame]:
    return {
        "usage": pd.read_parquet(DEMO / "usage.parquet"),
        "population": pd.read_parquet(DEMO / "population.parquet"),
        "budget": pd.read_parquet(DEMO / "budget.parquet"),
        "services": pd.read_csv(DEMO / "services.csv", dtype="str"),
    }


@pytest.fixture(scope="session")
def demo_analysis(demo_frames):
    """The demo analysed with every input: service tags, tagged budget, plan indicators (run once)."""
    from gcdb.indicators import load_indicators
    from gcdb.rules import load_ruleset, tag
    from gcdb.services import analyse_services

    f = demo_frames
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        service_tags = tag(f["usage"], load_ruleset(paths.rules() / "ibb_yeep_2021_services.yaml"))
        budget_tags = tag(f["budget"], load_ruleset(paths.rules() / "ibb_yeep_2021_budget.yaml"))
    indicators = load_indicators(paths.rules() / "indicators_ibb_demo.yaml")
    return analyse_services(
        f["usage"],
        f["population"],
        services=f["services"],
        service_tags=service_tags,
        budget_tags=budget_tags,
        budget=f["budget"],
        indicators=indicators,
    )


@pytest.fixture(scope="session")
def small():
    """A small municipality with hand-computable rates, and its analysis."""
    from gcdb.services import analyse_services

    usage = small_usage(SMALL_COUNTS)
    population = small_population()
    analysis = analyse_services(usage, population)
    return {"usage": usage, "population": population, "analysis": analysis}
