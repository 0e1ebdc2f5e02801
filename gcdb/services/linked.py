"""The published tables of an analysis under the one disclosure policy: the linked-table engine.

:func:`protect_linked` takes the unsuppressed analysis (``k = 1``) and returns the analysis to publish: every
table passed through :func:`gcdb.disclosure.protect_analysis` (primary suppression of counts 1 … k − 1, of small
quantities and dominant amounts; secondary suppression over all the tables at once, so that no hidden number can be
recovered from any combination of what is published), the rows it hides marked ``suppressed``, and the tables
made from the impact table (under-served groups, breakdowns, whom each service reaches least) rebuilt from the
protected one. The ``suppression`` table counts the hidden cells of every table per year, primary and secondary.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from gcdb.equality import names as N
from gcdb.services import names as S
from gcdb.services.findings import reached_least
from gcdb.services.indicators import hide_indicator_rows
from gcdb.services.result import ServiceAnalysis
from gcdb.services.standardised import with_standardised
from gcdb.services.tables import breakdown_views, rank_gaps, suppression_counts

#: The tables the engine protects (the others are made from them, or hold no count of people).
PROTECTED = (
    "headline",
    "impact",
    "standardised",
    "incidence_actions",
    "incidence_services",
    "incidence_groups",
    "incidence_by_service",
    "indicators",
    "unknown_status",
    "ineligible",
)


def protect_linked(
    truth: ServiceAnalysis,
    *,
    usage: pd.DataFrame,
    k: int,
    service_tags: Any = None,
    indicators: Any = None,
) -> ServiceAnalysis:
    """``truth`` (an analysis with ``k = 1``) as it is published under threshold ``k`` (see the module)."""
    from gcdb.disclosure import protect_analysis
    from gcdb.disclosure.spec import Policy

    tables = {
        name: frame for name, frame in truth.tables().items() if name in PROTECTED or name == "services"
    }
    result = protect_analysis(
        tables,
        usage=usage,
        service_tags=service_tags,
        indicators=indicators,
        services=truth.services,
        policy=Policy(k=k),
    )
    out = dict(result.tables)
    impact = _hidden_rows_marked(out["impact"])
    rows = out["indicators"]
    if len(rows):  # a hidden value hides its change, and the next year's change from it
        out["indicators"] = hide_indicator_rows(
            rows,
            rows[N.SUPPRESSED].to_numpy(dtype=bool),
            rows[N.SUPPRESSION].astype("str").fillna("").to_numpy(dtype=object),
            counts=False,
        )
    standardised = out["standardised"]
    gaps = rank_gaps(impact)
    suppression = pd.concat(
        [suppression_counts(name, out[name]) for name in PROTECTED if N.SUPPRESSED in out[name].columns],
        ignore_index=True,
    )
    parameters = truth.parameters.copy()
    parameters.loc[parameters["name"] == "k", "value"] = str(k)
    extra = pd.DataFrame(
        {
            "name": ["disclosure", "disclosure.recovered"],
            "value": ["linked tables (gcdb.disclosure)", str(result.audit.n_recovered)],
        }
    ).astype("str")
    return dataclasses.replace(
        truth,
        k=k,
        parameters=pd.concat([parameters, extra], ignore_index=True),
        headline=out["headline"],
        impact=impact,
        breakdowns=with_standardised(breakdown_views(impact), standardised),
        gaps=gaps,
        reached_least=reached_least(gaps, truth.services, truth.years, truth.eligibility),
        standardised=standardised,
        incidence_actions=out["incidence_actions"],
        incidence_services=out["incidence_services"],
        incidence_groups=out["incidence_groups"],
        incidence_by_service=out["incidence_by_service"],
        indicators=out["indicators"],
        unknown_status=out["unknown_status"],
        ineligible=out["ineligible"],
        suppression=suppression[list(S.SUPPRESSION_COLUMNS)],
        disclosure_audit=result.audit,
    )


def _hidden_rows_marked(impact: pd.DataFrame) -> pd.DataFrame:
    """Rows the engine hid: status ``suppressed``, no flag, the reason ``suppressed`` first."""
    hidden = impact[N.SUPPRESSED].to_numpy(dtype=bool)
    if not hidden.any():
        return impact
    t = impact.copy()
    t[N.STATUS] = t[N.STATUS].astype("str").where(~hidden, N.Status.SUPPRESSED)
    t[N.FLAG] = t[N.FLAG].where(~hidden)
    t[N.CI_EXCLUDES_ONE] = t[N.CI_EXCLUDES_ONE].mask(hidden)
    reason = t[N.REASON].astype("str").fillna("")
    already = reason.str.startswith("suppressed").to_numpy(dtype=bool)
    joined = np.where(reason.to_numpy(dtype=object) == "", "suppressed", "suppressed;" + reason)
    t[N.REASON] = pd.array(np.where(hidden & ~already, joined, reason.to_numpy(dtype=object)), dtype="str")
    return t
