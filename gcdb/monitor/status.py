"""The status of every action: what its responsible unit reported, with what the other units added.

An action's status in a year is the status its **responsible unit** reported (a cooperating unit reports its own
contribution, not the action's status); an action whose responsible unit sent no usable row is
``not_reported``. Money is what *all* units reported for the action (each its own spending).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.catalogue import schema as S
from gcdb.forms import FILLED
from gcdb.monitor import names as N

RESPONSIBLE_UNIT: Final = "responsible_unit"
SPENT_RESPONSIBLE, SPENT_TOTAL = "spent_responsible", "spent_total"
UNITS_REPORTED, PARTNERS_EXPECTED, PARTNERS_REPORTED = (
    "units_reported",
    "partners_expected",
    "partners_reported",
)
ECONOMIC_CODES = "economic_codes_reported"
DONE_SHARE, REPORTED_SHARE, ACTIONS, LEVEL, KEY = "done_share", "reported_share", "actions", "level", "key"

#: Columns of the action status table.
STATUS_COLUMNS: Final = (
    C.FISCAL_YEAR,
    S.ACTION_CODE,
    S.AREA,
    S.TARGET_CODE,
    N.TITLE,
    RESPONSIBLE_UNIT,
    N.STATUS,
    N.PROGRESS,
    N.DONE_TEXT,
    N.CANCEL_REASON,
    SPENT_RESPONSIBLE,
    SPENT_TOTAL,
    UNITS_REPORTED,
    PARTNERS_EXPECTED,
    PARTNERS_REPORTED,
    ECONOMIC_CODES,
    N.SOURCE_FILE,
    N.STATUS_CELL,
)
#: Columns of the status summary (one row per year × level × key).
SUMMARY_COLUMNS: Final = (C.FISCAL_YEAR, LEVEL, KEY, ACTIONS, *N.STATUS_CODES, DONE_SHARE, REPORTED_SHARE)
LEVELS: Final = ("all", S.AREA, S.TARGET_CODE, RESPONSIBLE_UNIT)


def active_actions(catalogue, years: tuple[int, ...]) -> pd.DataFrame:
    """Every action active in each year, with its responsible unit and the number of cooperating units."""
    actions = catalogue.actions
    links = catalogue.action_units.dropna(subset=[S.UNIT_ID])
    resp = links[links[S.ROLE] == N.RESPONSIBLE].drop_duplicates(S.ACTION_CODE)[[S.ACTION_CODE, S.UNIT_ID]]
    coop = links[links[S.ROLE] == N.COOPERATING].groupby(S.ACTION_CODE).size().rename(PARTNERS_EXPECTED)
    frames = []
    for year in years:
        active = actions[(actions[S.EST_START] <= year) & (actions[S.EST_END] >= year)]
        frames.append(active.assign(**{C.FISCAL_YEAR: np.int64(year)}))
    out = pd.concat(frames, ignore_index=True) if frames else actions.iloc[:0].assign(**{C.FISCAL_YEAR: 0})
    out = out.merge(resp.rename(columns={S.UNIT_ID: RESPONSIBLE_UNIT}), on=S.ACTION_CODE, how="left")
    out[PARTNERS_EXPECTED] = out[S.ACTION_CODE].map(coop).fillna(0).astype("int64")
    return out[
        [C.FISCAL_YEAR, S.ACTION_CODE, S.AREA, S.TARGET_CODE, S.TITLE, RESPONSIBLE_UNIT, PARTNERS_EXPECTED]
    ]


def action_status(catalogue, rows: pd.DataFrame, years: tuple[int, ...]) -> pd.DataFrame:
    """One row per action active in a collected year (:data:`STATUS_COLUMNS`). ``rows``: the collection's
    action rows."""
    base = active_actions(catalogue, years).rename(columns={S.TITLE: N.TITLE})
    key = [C.FISCAL_YEAR, S.ACTION_CODE]
    filled = rows[rows[FILLED]]
    lead = filled[filled[N.ROLE] == N.RESPONSIBLE].rename(columns={N.UNIT_ID: RESPONSIBLE_UNIT})
    lead = lead.drop_duplicates([*key, RESPONSIBLE_UNIT])
    out = base.merge(
        lead[
            [
                *key,
                RESPONSIBLE_UNIT,
                N.STATUS,
                N.PROGRESS,
                N.DONE_TEXT,
                N.CANCEL_REASON,
                N.SPENT,
                N.SOURCE_FILE,
                N.STATUS_CELL,
            ]
        ].rename(columns={N.SPENT: SPENT_RESPONSIBLE}),
        on=[*key, RESPONSIBLE_UNIT],
        how="left",
    )
    out[N.STATUS] = out[N.STATUS].fillna(N.NOT_REPORTED).astype("str")
    grouped = filled.assign(
        _spent=filled[N.SPENT].astype("Int64").fillna(0).astype("int64"),
        _partner=(filled[N.ROLE] == N.COOPERATING).astype("int64"),
    ).groupby(key)
    totals = grouped.agg(
        **{
            SPENT_TOTAL: ("_spent", "sum"),
            UNITS_REPORTED: ("_spent", "size"),
            PARTNERS_REPORTED: ("_partner", "sum"),
        }
    )
    pairs = (
        filled[[*key, N.BUDGET_ECONOMIC]].dropna().drop_duplicates().sort_values([*key, N.BUDGET_ECONOMIC])
    )
    codes = pairs.groupby(key)[N.BUDGET_ECONOMIC].agg("; ".join).rename(ECONOMIC_CODES)
    out = out.merge(totals, left_on=key, right_index=True, how="left").merge(
        codes, left_on=key, right_index=True, how="left"
    )
    for col in (SPENT_TOTAL, UNITS_REPORTED, PARTNERS_REPORTED):
        out[col] = out[col].fillna(0).astype("int64")
    out[SPENT_RESPONSIBLE] = out[SPENT_RESPONSIBLE].astype("Int64")
    out[N.PROGRESS] = out[N.PROGRESS].astype("Float64")
    text = [
        N.TITLE,
        RESPONSIBLE_UNIT,
        N.DONE_TEXT,
        N.CANCEL_REASON,
        ECONOMIC_CODES,
        N.SOURCE_FILE,
        N.STATUS_CELL,
    ]
    out = out.astype({c: "str" for c in text})
    return out[list(STATUS_COLUMNS)].sort_values(key, kind="stable").reset_index(drop=True)


def status_summary(status: pd.DataFrame) -> pd.DataFrame:
    """Counts of actions per status by year, for the whole plan, each area, target and responsible unit
    (:data:`SUMMARY_COLUMNS`); ``done_share`` and ``reported_share`` are fractions of the row's actions."""
    frames = []
    for level in LEVELS:
        keys = (
            status[level].astype("str")
            if level != "all"
            else pd.Series("all", index=status.index, dtype="str")
        )
        counts = pd.crosstab([status[C.FISCAL_YEAR], keys.rename(KEY)], status[N.STATUS])
        counts = counts.reindex(columns=list(N.STATUS_CODES), fill_value=0)
        counts.columns = list(N.STATUS_CODES)
        counts = counts.reset_index()
        counts.insert(1, LEVEL, level)
        frames.append(counts)
    out = pd.concat(frames, ignore_index=True)
    out[ACTIONS] = out[list(N.STATUS_CODES)].sum(axis=1).astype("int64")
    out[DONE_SHARE] = out[N.DONE] / out[ACTIONS]
    out[REPORTED_SHARE] = 1.0 - out[N.NOT_REPORTED] / out[ACTIONS]
    out = out.astype({c: "int64" for c in N.STATUS_CODES} | {KEY: "str", LEVEL: "str"})
    return out[list(SUMMARY_COLUMNS)]


_RANK: Final = {N.NOT_STARTED: 0, N.IN_PROGRESS: 1, N.DONE: 2}
PREVIOUS_STATUS, PREVIOUS_PROGRESS, PROGRESS_CHANGE, ADVANCED = (
    "previous_status",
    "previous_progress",
    "progress_change",
    "advanced",
)
#: Columns of the action trend table.
TREND_COLUMNS: Final = (
    C.FISCAL_YEAR,
    S.ACTION_CODE,
    RESPONSIBLE_UNIT,
    N.STATUS,
    PREVIOUS_STATUS,
    N.PROGRESS,
    PREVIOUS_PROGRESS,
    PROGRESS_CHANGE,
    ADVANCED,
)


def action_trends(status: pd.DataFrame) -> pd.DataFrame:
    """Each action's status and progress against the previous collected year (consecutive years only):
    ``advanced`` is True when the status moved forward (not started → in progress → done) or the progress rose,
    missing when either year was not reported or the action was cancelled."""
    prev = (
        status[[C.FISCAL_YEAR, S.ACTION_CODE, N.STATUS, N.PROGRESS]]
        .assign(**{C.FISCAL_YEAR: status[C.FISCAL_YEAR] + 1})
        .rename(columns={N.STATUS: PREVIOUS_STATUS, N.PROGRESS: PREVIOUS_PROGRESS})
    )
    out = status.merge(prev, on=[C.FISCAL_YEAR, S.ACTION_CODE], how="inner")
    out[PROGRESS_CHANGE] = (out[N.PROGRESS] - out[PREVIOUS_PROGRESS]).astype("Float64")
    now, before = out[N.STATUS].map(_RANK), out[PREVIOUS_STATUS].map(_RANK)
    advanced = (now > before) | ((now == before) & (out[PROGRESS_CHANGE].fillna(0) > 0))
    out[ADVANCED] = advanced.astype("boolean").where(now.notna() & before.notna())
    return out[list(TREND_COLUMNS)].reset_index(drop=True)
