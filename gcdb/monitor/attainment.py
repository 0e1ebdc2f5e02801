"""Indicator attainment: the actual value against the target, in the direction of improvement.

For a numeric indicator with an actual value ``a``, a target ``t`` and, if given, a baseline ``b``:

* higher is better: ``(a − b) ÷ (t − b)`` when the baseline is given and differs from the target, else ``a ÷ t``;
* lower is better: ``(b − a) ÷ (b − t)`` when the baseline is given and differs from the target, else ``t ÷ a``;
* neutral: no attainment (the value is reported as it is).

``attainment_status``: ``achieved`` (attainment ≥ 1), ``partly_achieved`` (between 0 and 1), ``not_progressed``
(≤ 0), ``no_target`` (a value but no target, or a neutral indicator), ``not_measured`` (no value reported),
``not_measurable`` (the wording names no single measure, :mod:`gcdb.monitor.kinds`). A yes/no indicator is
achieved when the answer is yes and not progressed when it is no. The direction is the one the unit declared in
its return, else the one read from the wording.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.catalogue import schema as S
from gcdb.forms import FILLED
from gcdb.monitor import names as N
from gcdb.monitor import workforce as W

ATTAINMENT: Final = "attainment"
ATTAINMENT_STATUS: Final = "attainment_status"
#: Columns of the indicator attainment table.
ATTAINMENT_COLUMNS: Final = (
    C.FISCAL_YEAR,
    N.INDICATOR_ID,
    S.AREA,
    N.INDICATOR_TEXT,
    N.KIND,
    N.VALUE_SOURCE,
    N.UNIT_ID,
    S.ACTION_CODE,
    N.VALUE_KIND,
    N.BASELINE,
    N.TARGET_VALUE,
    N.ACTUAL,
    N.MEASURE_UNIT,
    N.DIRECTION,
    ATTAINMENT,
    ATTAINMENT_STATUS,
    N.SOURCE,
    N.SOURCE_FILE,
)


def _workforce_values(workforce: pd.DataFrame | None, definitions: pd.DataFrame) -> pd.DataFrame:
    """The headline value of each workforce indicator per year: the named unit's, else the total."""
    if workforce is None or workforce.empty:
        return pd.DataFrame(columns=[C.FISCAL_YEAR, N.INDICATOR_ID, N.ACTUAL, N.TARGET_VALUE, N.SOURCE])
    wanted = definitions.set_index(N.INDICATOR_ID)[W.UNIT_FILTER]
    unit = workforce[N.INDICATOR_ID].map(wanted)
    headline = np.where(
        unit.notna(),
        workforce[N.UNIT_ID] == unit,
        workforce[N.UNIT_ID].isna() & workforce[C.UNIT_NAME].isna(),
    )
    rows = workforce[headline]
    return pd.DataFrame(
        {
            C.FISCAL_YEAR: rows[C.FISCAL_YEAR].to_numpy(),
            N.INDICATOR_ID: rows[N.INDICATOR_ID].to_numpy(),
            N.ACTUAL: rows[W.VALUE].to_numpy(),
            N.TARGET_VALUE: rows[N.TARGET_VALUE].to_numpy(),
            N.SOURCE: "personel tablosu",
        }
    )


def attainment(
    plan: pd.DataFrame,
    collected: pd.DataFrame,
    years: tuple[int, ...],
    workforce: pd.DataFrame | None = None,
    definitions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per indicator and collected year (:data:`ATTAINMENT_COLUMNS`).

    ``plan``: :func:`gcdb.monitor.templates.indicator_plan`; ``collected``: the collection's indicator rows;
    ``workforce``: :func:`gcdb.monitor.workforce.compute_workforce` (values of workforce indicators)."""
    base = pd.concat([plan.assign(**{C.FISCAL_YEAR: np.int64(y)}) for y in years], ignore_index=True)
    rows = collected[collected[FILLED]].drop_duplicates([C.FISCAL_YEAR, N.INDICATOR_ID])
    values = rows[
        [
            C.FISCAL_YEAR,
            N.INDICATOR_ID,
            N.BASELINE,
            N.TARGET_VALUE,
            N.ACTUAL,
            N.MEASURE_UNIT,
            N.SOURCE,
            N.DIRECTION,
            N.SOURCE_FILE,
        ]
    ].rename(columns={N.DIRECTION: "_declared", N.MEASURE_UNIT: "_unit"})
    out = base.merge(values, on=[C.FISCAL_YEAR, N.INDICATOR_ID], how="left")
    if definitions is not None:
        wf = _workforce_values(workforce, definitions).rename(
            columns={N.ACTUAL: "_wf_actual", N.TARGET_VALUE: "_wf_target", N.SOURCE: "_wf_source"}
        )
        out = out.merge(wf, on=[C.FISCAL_YEAR, N.INDICATOR_ID], how="left")
        from_wf = (out[N.VALUE_SOURCE] == N.SOURCE_WORKFORCE).to_numpy()
        for col, wcol in ((N.ACTUAL, "_wf_actual"), (N.TARGET_VALUE, "_wf_target"), (N.SOURCE, "_wf_source")):
            out[col] = out[col].where(~from_wf, out[wcol])
        out[N.VALUE_KIND] = out[N.VALUE_KIND].where(~from_wf, "percent")
    out[N.DIRECTION] = out["_declared"].fillna(out[N.DIRECTION]).astype("str")
    out[N.MEASURE_UNIT] = out["_unit"].fillna(out[N.MEASURE_UNIT]).astype("str")
    score, status = _score(out)
    out[ATTAINMENT] = pd.array(score, dtype="Float64")
    out[ATTAINMENT_STATUS] = pd.Series(status, index=out.index, dtype="str")
    for col in (N.BASELINE, N.TARGET_VALUE, N.ACTUAL):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("Float64")
    out = out.astype({N.SOURCE: "str", N.SOURCE_FILE: "str", S.ACTION_CODE: "str", N.UNIT_ID: "str"})
    return (
        out[list(ATTAINMENT_COLUMNS)]
        .sort_values([C.FISCAL_YEAR, S.AREA], kind="stable")
        .reset_index(drop=True)
    )


def _score(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    a = pd.to_numeric(frame[N.ACTUAL], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    t = pd.to_numeric(frame[N.TARGET_VALUE], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    b = pd.to_numeric(frame[N.BASELINE], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    higher = (frame[N.DIRECTION] == N.HIGHER_IS_BETTER).to_numpy()
    lower = (frame[N.DIRECTION] == N.LOWER_IS_BETTER).to_numpy()
    yes_no = (frame[N.VALUE_KIND] == "yes_no").to_numpy()
    with_base = ~np.isnan(b) & (b != t)
    with np.errstate(divide="ignore", invalid="ignore"):
        up = np.where(with_base, (a - b) / (t - b), a / t)
        down = np.where(with_base, (b - a) / (b - t), t / a)
    score = np.where(higher, up, np.where(lower, down, np.nan))
    score = np.where(yes_no, a, score)
    score = np.where(np.isfinite(score), score, np.nan)
    status = np.where(score >= 1, N.ACHIEVED, np.where(score > 0, N.PARTLY, N.NOT_PROGRESSED))
    status = np.where(np.isnan(score), N.NO_TARGET, status)
    status = np.where(np.isnan(a), N.NOT_MEASURED, status)
    status = np.where((frame[N.VALUE_SOURCE] == N.SOURCE_NONE).to_numpy(), N.NOT_MEASURABLE, status)
    return score, status
