"""Directly and indirectly standardised rates agree with UKHSA's PHEindicatormethods on its own test values.

The inputs and expected results are PHEindicatormethods' test workbook ``tests/testthat/testdata_DSR_ISR.xlsx``
(sheets ``testdata_multiarea``, ``refdata``, ``testresults_DSR``, ``testresults_ISR``) at commit 093fd28 of
github.com/ukhsa-collaboration/PHEindicatormethods, copied as numbers into ``tests/equality/data/phe_dsr_isr_*.csv``.
Its tests compare ``calculate_dsr(…, stdpop = esp2013)`` and ``calculate_ISRatio(…)`` with these values
(``testDSRs.R``, ``testISRatios.R``, ``testISRates.R``).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from gcdb import columns as C
from gcdb.equality.eligibility import Eligibility
from gcdb.equality.standardise import (
    COUNT_BELOW_10,
    directly_standardised,
    dsr_arrays,
    esp2013,
    indirectly_standardised,
    standard_weights,
)

DATA = Path(__file__).resolve().parent / "data"
INPUTS = pd.read_csv(DATA / "phe_dsr_isr_inputs.csv", comment="#")
RESULTS = pd.read_csv(DATA / "phe_dsr_isr_results.csv", comment="#")
AREAS = ["testdata_big", "testdata_small", "testdata_tiny"]
Z95 = norm.ppf(0.975)
Z998 = norm.ppf(0.999)


def _expected(kind: str, statistic: str) -> pd.DataFrame:
    rows = RESULTS[(RESULTS["kind"] == kind) & RESULTS["area"].isin(AREAS)]
    rows = rows[rows["statistic"].str.endswith(statistic) | rows["statistic"].str.startswith("dsr NA")]
    return rows.drop_duplicates("area").set_index("area").loc[AREAS]


def test_esp2013_is_shipped_with_its_100000_residents():
    esp = esp2013()
    assert len(esp) == 19 and int(esp["population"].sum()) == 100_000
    assert esp["population"].tolist()[:3] == [5000, 5500, 5500] and esp["population"].iloc[-1] == 1000


@pytest.mark.parametrize(
    ("z", "low", "high"), [(Z95, "lower95_0cl", "upper95_0cl"), (Z998, "lower99_8cl", "upper99_8cl")]
)
def test_dsr_agrees_with_phe_indicator_methods(z, low, high):
    frame = INPUTS.assign(esp=np.tile(esp2013()["population"].to_numpy(), 3))
    got = directly_standardised(
        frame, count="count", population="pop", standard="esp", by=["area"], z=z, scale=100_000
    ).set_index("area")
    want = _expected("dsr", "per 100000")
    assert got["total_count"].tolist() == want["total_count"].tolist()
    for area in ("testdata_big", "testdata_small"):
        assert got.loc[area, "value"] == pytest.approx(want.loc[area, "value"], rel=1e-6, abs=0)
        assert got.loc[area, "ci_low"] == pytest.approx(want.loc[area, low], rel=1e-6, abs=0)
        assert got.loc[area, "ci_high"] == pytest.approx(want.loc[area, high], rel=1e-6, abs=0)
    # fewer than 10 users: no DSR, as UKHSA publishes none
    tiny = got.loc["testdata_tiny"]
    assert np.isnan(tiny["value"]) and np.isnan(tiny["ci_low"]) and tiny["reason"] == COUNT_BELOW_10


def test_dsr_per_10000_is_the_same_rate():
    frame = INPUTS.assign(esp=np.tile(esp2013()["population"].to_numpy(), 3))
    got = directly_standardised(
        frame, count="count", population="pop", standard="esp", by=["area"], scale=10_000
    )
    want = _expected("dsr", "per 10000")
    assert got.set_index("area").loc["testdata_big", "value"] == pytest.approx(
        want.loc["testdata_big", "value"], rel=1e-6
    )


@pytest.mark.parametrize(
    ("z", "low", "high"), [(Z95, "lower95_0cl", "upper95_0cl"), (Z998, "lower99_8cl", "upper99_8cl")]
)
def test_isr_agrees_with_phe_indicator_methods(z, low, high):
    # PHE's own-reference test data carry NaN count and population in one band of the tiny area; both count as 0
    frame = INPUTS.copy()
    frame.loc[(frame["area"] == "testdata_tiny") & (frame["ageband"] == "10-14"), "pop"] = np.nan
    got = indirectly_standardised(
        frame,
        count="count",
        population="pop",
        ref_count="refcount",
        ref_population="refpop",
        by=["area"],
        z=z,
    ).set_index("area")
    ratio = _expected("isr", "ratio x 1")
    rate = _expected("isr", "rate per 100000")
    for area in AREAS:
        assert got.loc[area, "observed"] == ratio.loc[area, "observed"]
        assert got.loc[area, "expected"] == pytest.approx(ratio.loc[area, "expected"], rel=1e-6)
        assert got.loc[area, "ratio"] == pytest.approx(ratio.loc[area, "value"], rel=1e-6)
        assert got.loc[area, "ci_low"] == pytest.approx(ratio.loc[area, low], rel=1e-6)
        assert got.loc[area, "ci_high"] == pytest.approx(ratio.loc[area, high], rel=1e-6)
        # the indirectly standardised rate = ratio × the reference's crude rate
        assert got.loc[area, "reference_rate"] * 100_000 == pytest.approx(
            rate.loc[area, "ref_rate"], rel=1e-6
        )
        assert got.loc[area, "ratio"] * got.loc[area, "reference_rate"] * 100_000 == pytest.approx(
            rate.loc[area, "value"], rel=1e-6
        )
    # below 10 observed users the limits are the exact Poisson ones, from 10 on Byar's (PHE's method column)
    assert (ratio["method"] == ["Byars", "Byars", "Exact"]).all()


def test_dsr_by_hand():
    # two bands, standard 1:3; rates 10/100 and 30/1000 → DSR = 0.25·0.1 + 0.75·0.03 = 0.0475
    out = dsr_arrays(np.zeros(2, dtype=np.int64), [10, 30], [100, 1000], [1, 3], z=Z95)
    assert out["value"][0] == pytest.approx(0.0475)
    var = (0.25**2) * 10 / 100**2 + (0.75**2) * 30 / 1000**2
    assert out["variance"][0] == pytest.approx(var)
    o = 40.0
    low_o = o * (1 - 1 / (9 * o) - Z95 / (3 * math.sqrt(o))) ** 3
    assert out["low"][0] == pytest.approx(0.0475 + math.sqrt(var / o) * (low_o - o))
    # a band with standard weight but no resident: undefined, not zero
    out = dsr_arrays(np.zeros(2, dtype=np.int64), [10, 30], [0, 1000], [1, 3])
    assert np.isnan(out["value"][0]) and out["reason"][0] == "zero_population"


def test_standard_weights_restrict_the_esp_to_eligible_ages_pro_rata():
    bands = ["0-4", "5-14", "15-24", "25-44", "45-64", "65+"]
    every = standard_weights(bands, Eligibility(), "esp2013")
    assert every.tolist() == [5000, 11000, 11500, 26500, 26500, 19500]
    # a crèche for ages 3–6: 2 of the 5 years of 0–4 (2,000) and 2 of the 5 years of the ESP group 5–9 (2,200)
    creche = standard_weights(bands, Eligibility(age_min=3, age_max=6), "esp2013")
    assert creche.tolist() == pytest.approx([2000, 2200, 0, 0, 0, 0])
    elderly = standard_weights(bands, Eligibility(age_min=65), "esp2013")
    assert elderly.tolist() == [0, 0, 0, 0, 0, 19500]
    assert standard_weights(bands, Eligibility(), "own", own=[1, 2, 3, 4, 5, 6]).tolist() == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


def test_unknown_standard_is_a_usage_error():
    from gcdb.errors import UsageError

    with pytest.raises(UsageError, match="esp2013"):
        standard_weights(["0-4"], Eligibility(), "who2000")
    assert C.AGE_BAND  # the bands are the canonical age_band labels
