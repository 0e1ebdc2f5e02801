"""The planted gaps and equal groups of the demo are really in the raw files.

Every comparison of ``planted_gaps.yaml`` is recomputed here, with plain pandas, from the committed
``usage.parquet`` and ``population.parquet``; the counts must match the yaml exactly, the measured ratio must be
within sampling error of the generator's expected ratio, gaps must be statistically clear and flagged by the
four-fifths rule, and groups planted as equal must not be.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from gcdb import columns as C

DEMO = Path(__file__).resolve().parents[2] / "datasets" / "demo"
POPULATION_KEYS = (C.FISCAL_YEAR, C.DISTRICT, C.NEIGHBOURHOOD, C.SEX, C.AGE_BAND)


def _denominator(pop: pd.DataFrame, name: str) -> int:
    table = {
        "population": pop[C.POPULATION],
        "disabled_population": pop[C.DISABLED_POPULATION],
        "non_disabled_population": pop[C.POPULATION] - pop[C.DISABLED_POPULATION],
        "migrant_population": pop[C.MIGRANT_POPULATION],
        "citizen_population": pop[C.POPULATION] - pop[C.MIGRANT_POPULATION],
    }
    return int(table[name].sum())


def _select(frame: pd.DataFrame, flt: dict, keys) -> pd.DataFrame:
    for col, val in flt.items():
        if col not in keys:
            continue
        if isinstance(val, dict):
            frame = frame[~frame[col].isin(val["not_in"])]
        elif isinstance(val, list):
            frame = frame[frame[col].isin(val)]
        else:
            frame = frame[frame[col] == val]
    return frame


def _inside_eligibility(usage: pd.DataFrame) -> pd.Series:
    """Records inside their service's eligibility as ``services.csv`` states it (ages, sex, disability), in plain
    pandas: the planted rates are taken over these; the few records planted outside are data-quality findings."""
    services = pd.read_csv(DEMO / "services.csv", dtype="str", keep_default_na=False).set_index(
        C.SERVICE_CODE
    )
    code = usage[C.SERVICE_CODE]
    low = pd.to_numeric(code.map(services["eligible_age_min"]).replace("", None)).fillna(-1)
    high = pd.to_numeric(code.map(services["eligible_age_max"]).replace("", None)).fillna(999)
    sex = code.map(services["eligible_sex"])
    disability = code.map(services["eligible_disability"])
    ok = usage[C.AGE].between(low, high)
    ok &= (sex == "") | (usage[C.SEX] == sex)
    ok &= (disability == "") | (usage[C.DISABILITY] == disability) | (usage[C.DISABILITY] == C.UNKNOWN)
    return ok


@pytest.fixture(scope="module")
def data():
    usage = pd.read_parquet(DEMO / "usage.parquet")
    inside = _inside_eligibility(usage)
    assert 0 < int((~inside).sum()) < 0.001 * len(usage)  # a few planted records outside eligibility
    person_years = usage[inside].drop_duplicates([C.SERVICE_CODE, C.PERSON_ID, C.FISCAL_YEAR])
    # categoricals only make the many filters fast; the values are unchanged
    cats = (C.SERVICE_CODE, C.SEX, C.AGE_BAND, C.DISABILITY, C.MIGRANT_STATUS, C.DISTRICT)
    person_years = person_years[[*cats, C.FISCAL_YEAR]].astype({c: "category" for c in cats})
    by_service = {code: f for code, f in person_years.groupby(C.SERVICE_CODE, observed=True)}
    pop = pd.read_parquet(DEMO / "population.parquet")
    pop = pop.astype({c: "category" for c in (C.DISTRICT, C.SEX, C.AGE_BAND)})
    planted = yaml.safe_load((DEMO / "planted_gaps.yaml").read_text(encoding="utf-8"))
    return by_service, pop, planted


def _side(by_service, pop, code: str, side: dict) -> tuple[int, int]:
    """Distinct (person, year) users: ``by_service`` holds one row per service × person × year."""
    users = _select(by_service[code], side["filter"], by_service[code].columns)
    n = _denominator(_select(pop, side["filter"], POPULATION_KEYS), side["denominator"])
    return len(users), n


def _rows(planted: dict, section: str):
    for entry in planted[section]:
        for comp in entry["comparisons"]:
            yield entry, comp


def _check_against_yaml(by_service, pop, entry, comp) -> tuple[float, float]:
    code = entry["service_code"]
    ug, ng = _side(by_service, pop, code, comp["group"])
    ur, nr = _side(by_service, pop, code, comp["reference"])
    assert (ug, ng, ur, nr) == (
        comp["users_group"],
        comp["population_group"],
        comp["users_reference"],
        comp["population_reference"],
    ), comp["name"]
    rr = (ug / ng) / (ur / nr)
    assert rr == pytest.approx(comp["measured_rate_ratio"], abs=1e-4)
    se = math.sqrt(1 / ug - 1 / ng + 1 / ur - 1 / nr)  # Katz
    # within sampling error of what the generator intended
    assert abs(math.log(rr / comp["expected_rate_ratio"])) < 4 * se, (
        comp["name"],
        rr,
        comp["expected_rate_ratio"],
    )
    return rr, se


def test_planted_gaps_are_present_and_statistically_clear(data):
    by_service, pop, planted = data
    n = 0
    for entry, comp in _rows(planted, "gaps"):
        rr, se = _check_against_yaml(by_service, pop, entry, comp)
        upper = rr * math.exp(1.96 * se)
        assert upper < 0.8, (entry["id"], comp["name"], rr, upper)  # flagged "under" and clearly so
        n += 1
    assert n >= 12


def test_planted_ratios_match_the_documented_multipliers(data):
    """The first comparison of every gap is the like-for-like one: expected ratio = planted multiplier."""
    _, _, planted = data
    for entry in planted["gaps"]:
        first = entry["comparisons"][0]
        assert first["expected_rate_ratio"] == pytest.approx(entry["planted_multiplier"], abs=0.01), entry[
            "id"
        ]


def test_groups_planted_as_equal_are_not_flagged(data):
    by_service, pop, planted = data
    n = 0
    for entry, comp in _rows(planted, "equal"):
        rr, se = _check_against_yaml(by_service, pop, entry, comp)
        assert comp["expected_rate_ratio"] == pytest.approx(1.0, abs=0.02)
        assert abs(math.log(rr)) < 4 * se + 0.02, (entry["id"], comp["name"], rr)
        if min(comp["users_group"], comp["users_reference"]) >= 100:
            assert 0.8 <= rr <= 1.25, (entry["id"], comp["name"], rr)  # no four-fifths flag
        if min(comp["users_group"], comp["users_reference"]) >= 1000:
            assert 0.9 <= rr <= 1.1, (entry["id"], comp["name"], rr)
        n += 1
    assert n >= 39 + 5


def test_hand_computed_creche_gap(data):
    """One gap recomputed by hand, without the yaml filter grammar."""
    by_service, pop, _ = data
    krs = by_service["KRS"]
    outer = ["Arnavutköy", "Çatalca", "Silivri", "Şile"]
    # the crèche is for children aged 3–6: 2 of the 5 years of the 0–4 band and 2 of the 10 years of 5–14
    share = {"0-4": 2 / 5, "5-14": 2 / 10}
    kids = pop[pop[C.AGE_BAND].isin(list(share))].copy()
    kids[C.POPULATION] = kids[C.POPULATION] * kids[C.AGE_BAND].astype("str").map(share).astype(float)
    in_outer = krs[C.DISTRICT].isin(outer)
    rate_outer = in_outer.sum() / kids.loc[kids[C.DISTRICT].isin(outer), C.POPULATION].sum()
    rate_rest = (~in_outer).sum() / kids.loc[~kids[C.DISTRICT].isin(outer), C.POPULATION].sum()
    assert 0.25 < rate_outer / rate_rest < 0.45
    users = krs.groupby(C.DISTRICT, observed=True).size()
    expected = kids.groupby(C.DISTRICT, observed=True)[C.POPULATION].sum() * rate_rest
    users, expected = users.drop(outer), expected.drop(outer)
    # no other district is planted: every one within Poisson noise of the city rate, big ones within ±20 %
    assert ((users - expected).abs() < 4 * np.sqrt(expected)).all()
    big = expected >= 300
    assert big.sum() >= 20
    assert (users[big] / expected[big]).between(0.8, 1.2).all()


def test_women65_gap_is_women_specific(data):
    by_service, pop, planted = data
    five = next(g for g in planted["gaps"] if g["id"] == "evb_women65_five_districts")["districts"]
    old = pop[pop[C.AGE_BAND] == "65+"]
    for code in ("EVB", "SAG"):
        u = by_service[code]
        u = u[u[C.AGE_BAND] == "65+"]
        rates = {}
        for sex in (C.FEMALE, C.MALE):
            for inside in (True, False):
                users = (u[C.SEX].eq(sex) & u[C.DISTRICT].isin(five).eq(inside)).sum()
                n = old.loc[old[C.SEX].eq(sex) & old[C.DISTRICT].isin(five).eq(inside), C.POPULATION].sum()
                rates[sex, inside] = users / n
        assert rates[C.FEMALE, True] / rates[C.MALE, True] < 0.65
        assert rates[C.FEMALE, True] / rates[C.FEMALE, False] < 0.65
        assert 0.85 < rates[C.MALE, True] / rates[C.MALE, False] < 1.15
        assert 0.9 < rates[C.FEMALE, False] / rates[C.MALE, False] < 1.1
