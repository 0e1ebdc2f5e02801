"""The analysis of weighted distinct records (:mod:`gcdb.scale.services`, the out-of-core path of ``gcdb
services``) equals the analysis of the records themselves, table by table, under the linked-table engine."""

from __future__ import annotations

import warnings

import pandas as pd

from gcdb import paths
from gcdb.equality.breakdown import USES_WEIGHT
from gcdb.indicators import load_indicators
from gcdb.rules import load_ruleset, tag
from gcdb.scale.services import usage_pairs
from gcdb.services import analyse_services


def test_every_table_of_the_demo_is_identical_on_weighted_distinct_records(demo_frames, demo_analysis):
    f = demo_frames
    usage = f["usage"]
    chunks = [usage.iloc[i : i + 70_000] for i in range(0, len(usage), 70_000)]
    reduced = usage_pairs(chunks)
    pairs = reduced.pairs
    assert reduced.records == len(usage) == int(pairs[USES_WEIGHT].sum())
    assert len(pairs) < len(usage)  # repeat uses share a row
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        service_tags = tag(pairs, load_ruleset(paths.rules() / "ibb_yeep_2021_services.yaml"))
        budget_tags = tag(f["budget"], load_ruleset(paths.rules() / "ibb_yeep_2021_budget.yaml"))
    weighted = analyse_services(
        pairs,
        f["population"],
        services=f["services"],
        service_tags=service_tags,
        budget_tags=budget_tags,
        budget=f["budget"],
        indicators=load_indicators(paths.rules() / "indicators_ibb_demo.yaml"),
    )
    expected, got = demo_analysis.tables(), weighted.tables()
    assert set(expected) == set(got)
    for name, table in expected.items():
        pd.testing.assert_frame_equal(got[name], table, obj=name)
    assert weighted.disclosure_audit is not None and weighted.disclosure_audit.n_recovered == 0
