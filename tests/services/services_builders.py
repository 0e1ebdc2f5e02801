"""Builders shared by the equality-in-services tests (imported by conftest and the test modules)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb import paths

DEMO = paths.demo()


def small_population() -> pd.DataFrame:
    """Two districts × two sexes × two age bands, 1,000 residents per cell; 100 disabled, 50 migrants each."""
    rows = []
    for district in ("Adalar", "Beykoz"):
        for sex in (C.FEMALE, C.MALE):
            for band in ("25-44", "45-64"):
                rows.append((district, sex, band, 1000, 100, 50))
    return pd.DataFrame(
        rows,
        columns=[C.DISTRICT, C.SEX, C.AGE_BAND, C.POPULATION, C.DISABLED_POPULATION, C.MIGRANT_POPULATION],
    ).astype({C.DISTRICT: "str", C.SEX: "str", C.AGE_BAND: "str"})


def small_usage(counts: dict[tuple[str, str, str, str], int], year: int = 2024) -> pd.DataFrame:
    """One record per person: ``counts[(service, district, sex, age_band)] = users``."""
    parts = []
    person = 0
    for (service, district, sex, band), n in counts.items():
        ids = [f"P{person + i:05d}" for i in range(n)]
        person += n
        parts.append(
            pd.DataFrame(
                {
                    C.RECORD_ID: [f"R{i}" for i in ids],
                    C.SERVICE_CODE: service,
                    C.SERVICE_NAME: f"Hizmet {service}",
                    C.UNIT_NAME: "Birim",
                    C.FISCAL_YEAR: np.int64(year),
                    C.PERSON_ID: ids,
                    C.SEX: sex,
                    C.AGE_BAND: band,
                    C.DISABILITY: C.NO,
                    C.MIGRANT_STATUS: C.CITIZEN,
                    C.DISTRICT: district,
                    C.QUANTITY: np.int64(1),
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    text = [c for c in frame.columns if c not in (C.FISCAL_YEAR, C.QUANTITY)]
    return frame.astype({c: "str" for c in text})


#: Service A: women 10 and men 20 per district and band (rates 10 and 20 per 1,000); service B: a district with 3
#: women aged 25-44 (suppressed) and 40 elsewhere.
SMALL_COUNTS = {
    **{("A", d, s, b): (10 if s == C.FEMALE else 20) for d in ("Adalar", "Beykoz") for s in (C.FEMALE, C.MALE)
       for b in ("25-44", "45-64")},
    ("B", "Adalar", C.FEMALE, "25-44"): 3,
    ("B", "Adalar", C.MALE, "25-44"): 40,
    ("B", "Beykoz", C.FEMALE, "25-44"): 40,
    ("B", "Beykoz", C.MALE, "25-44"): 40,
}  # fmt: skip


def analyse_demo(demo_frames):
    """The demo analysed with every input: service tags, tagged budget, plan indicators."""
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
