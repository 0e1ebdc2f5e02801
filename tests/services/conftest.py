"""Fixtures of the equality-in-services tests: the demo municipality analysed once per session, a small
hand-made municipality, and workbooks written from them."""

from __future__ import annotations

import pandas as pd
import pytest
from services_builders import DEMO, SMALL_COUNTS, analyse_demo, small_population, small_usage


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
    return analyse_demo(demo_frames)


@pytest.fixture(scope="session")
def small():
    """A small municipality with hand-computable rates, and its analysis."""
    from gcdb.services import analyse_services

    usage = small_usage(SMALL_COUNTS)
    population = small_population()
    analysis = analyse_services(usage, population)
    return {"usage": usage, "population": population, "analysis": analysis}
