"""Blank monitoring returns: one workbook per responsible unit and year, made from the plan catalogue.

:func:`return_rows` gives what a unit's return lists — the actions it leads or cooperates on that are active in
the year (``est_start ≤ year ≤ est_end``), and the indicators it reports (:mod:`gcdb.monitor.links`), minus the
ones computed from the workforce table (:mod:`gcdb.monitor.workforce`) — and :func:`write_templates` writes the
workbooks (:data:`gcdb.monitor.form.MONITORING_FORM`) named ``izleme_<year>_<unit_id>.xlsx``.

Collective entries of a plan's unit list (*Tüm Daire Başkanlıkları*, *İlgili diğer daire başkanlıkları*) are not
units a form can be sent to: :func:`monitoring_units` leaves out units whose name starts with *tüm*, *ilgili* or
*diğer*.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from gcdb.catalogue import schema as S
from gcdb.errors import UsageError
from gcdb.forms import write_form
from gcdb.i18n import Message
from gcdb.monitor import form as F
from gcdb.monitor import names as N
from gcdb.monitor.kinds import classify_indicators
from gcdb.monitor.links import link_indicators
from gcdb.monitor.workforce import workforce_indicators
from gcdb.text import fold_series

COLLECTIVE_RE: Final = r"^(?:tum|ilgili|diger)\b"


def plan_version(catalogue) -> str:
    """A short digest (12 hex digits) of the plan's actions, unit links and indicators: returns made from one
    version of a plan are not read against another."""
    digest = hashlib.sha256()
    for frame, cols in (
        (catalogue.actions, [S.ACTION_CODE, S.AREA, S.TARGET_CODE, S.TITLE, S.EST_START, S.EST_END]),
        (catalogue.action_units, [S.ACTION_CODE, S.ROLE, S.UNIT_ID]),
        (catalogue.indicators, [S.INDICATOR_ID, S.AREA, S.TEXT]),
    ):
        digest.update(frame[cols].astype("str").to_csv(index=False, lineterminator="\n").encode("utf-8"))
    return digest.hexdigest()[:12]


def template_name(unit_id: str, year: int) -> str:
    """File name of a unit's return: ``izleme_2024_saglik.xlsx``."""
    return f"izleme_{int(year)}_{unit_id}.xlsx"


def _period(actions: pd.DataFrame) -> pd.Series:
    start, end = actions[S.EST_START_TEXT].astype("str"), actions[S.EST_END_TEXT].astype("str")
    return start.where(start == end, start + "–" + end)


def unit_actions(catalogue, year: int) -> pd.DataFrame:
    """Every (unit, action) link of actions active in ``year``: ``unit_id``, the action columns of the return's
    actions sheet. A unit both responsible and cooperating on one action keeps the responsible row."""
    actions = catalogue.actions
    active = actions[(actions[S.EST_START] <= year) & (actions[S.EST_END] >= year)]
    links = catalogue.action_units.dropna(subset=[S.UNIT_ID])
    rank = links[S.ROLE].map({N.RESPONSIBLE: 0, N.COOPERATING: 1})
    links = (
        links.assign(_rank=rank)
        .sort_values("_rank", kind="stable")
        .drop_duplicates([S.ACTION_CODE, S.UNIT_ID])
    )
    out = active.merge(links[[S.ACTION_CODE, S.UNIT_ID, S.ROLE]], on=S.ACTION_CODE, how="inner")
    order = pd.Series(np.arange(len(actions)), index=actions[S.ACTION_CODE])
    out = out.assign(_order=out[S.ACTION_CODE].map(order), period=_period(out)).sort_values(
        [S.UNIT_ID, "_order"], kind="stable"
    )
    return pd.DataFrame(
        {
            N.UNIT_ID: out[S.UNIT_ID].astype("str"),
            S.ACTION_CODE: out[S.ACTION_CODE].astype("str"),
            S.AREA: out[S.AREA].astype("int64"),
            S.TARGET_CODE: out[S.TARGET_CODE].astype("str"),
            N.TITLE: out[S.TITLE].astype("str"),
            N.ROLE: out[S.ROLE].astype("str"),
            N.PERIOD: out[N.PERIOD].astype("str"),
        }
    ).reset_index(drop=True)


def indicator_plan(catalogue) -> pd.DataFrame:
    """Every indicator with its kind (:mod:`gcdb.monitor.kinds`), its link (:mod:`gcdb.monitor.links`) and where
    its value comes from (``value_source``: the returns, the workforce table, or not computable)."""
    kinds = classify_indicators(catalogue.indicators)
    links = link_indicators(catalogue)
    out = kinds.merge(links.drop(columns=[S.AREA]), on=N.INDICATOR_ID, how="left")
    from_workforce = out[N.INDICATOR_ID].isin(workforce_indicators(catalogue)[N.INDICATOR_ID])
    source = np.where(
        from_workforce, N.SOURCE_WORKFORCE, np.where(out[N.COMPUTABLE], N.SOURCE_RETURNS, N.SOURCE_NONE)
    )
    return out.assign(**{N.VALUE_SOURCE: pd.Series(source, index=out.index, dtype="str")})


def monitoring_units(catalogue, year: int) -> list[str]:
    """Units with at least one action active in ``year``, in the order of the plan's unit list, without the
    collective entries (see the module docstring)."""
    units = catalogue.units
    collective = fold_series(units[S.NAME]).str.contains(COLLECTIVE_RE, regex=True).to_numpy(dtype=bool)
    with_actions = set(unit_actions(catalogue, year)[N.UNIT_ID])
    return [u for u, c in zip(units[S.UNIT_ID], collective, strict=True) if not c and u in with_actions]


@dataclass(frozen=True)
class ReturnRows:
    """What one unit's return lists for one year: identity and the rows of both sheets."""

    identity: dict[str, str]
    actions: pd.DataFrame
    indicators: pd.DataFrame


def return_rows(
    catalogue, unit_id: str, year: int, *, plan: pd.DataFrame | None = None, links: pd.DataFrame | None = None
) -> ReturnRows:
    """The rows of ``unit_id``'s return for ``year``. ``plan`` (:func:`indicator_plan`) and ``links``
    (:func:`unit_actions`) may be passed to avoid recomputing them for every unit."""
    units = catalogue.units.set_index(S.UNIT_ID)
    if unit_id not in units.index:
        raise UsageError(
            Message("monitor.templates.no_unit", unit=repr(unit_id), units=", ".join(units.index))
        )
    links = unit_actions(catalogue, year) if links is None else links
    plan = indicator_plan(catalogue) if plan is None else plan
    actions = links[links[N.UNIT_ID] == unit_id].drop(columns=[N.UNIT_ID]).reset_index(drop=True)
    mine = plan[(plan[N.UNIT_ID] == unit_id) & (plan[N.VALUE_SOURCE] != N.SOURCE_WORKFORCE)]
    indicators = pd.DataFrame(
        {
            N.INDICATOR_ID: mine[N.INDICATOR_ID],
            S.AREA: mine[S.AREA],
            S.ACTION_CODE: mine[S.ACTION_CODE],
            N.INDICATOR_TEXT: mine[N.INDICATOR_TEXT],
            N.VALUE_KIND: mine[N.VALUE_KIND],
            N.MEASURE_UNIT: mine[N.MEASURE_UNIT],
            N.DIRECTION: mine[N.DIRECTION],
        }
    ).reset_index(drop=True)
    identity = {
        F.UNIT_LABEL: str(units.loc[unit_id, S.NAME]),
        F.UNIT: unit_id,
        F.YEAR: str(int(year)),
        F.PLAN_ID: catalogue.meta.plan_id,
        F.PLAN_VERSION: plan_version(catalogue),
    }
    return ReturnRows(identity=identity, actions=actions, indicators=indicators)


def write_templates(
    catalogue,
    year: int,
    out: str | os.PathLike,
    *,
    units: list[str] | None = None,
    lang: str = "tr",
    created=None,
) -> list[Path]:
    """Write one blank return per unit (default: :func:`monitoring_units`) into ``out``; return the paths."""
    year = int(year)
    if year not in catalogue.years:
        raise UsageError(
            Message(
                "monitor.templates.year",
                year=year,
                first=catalogue.years.start,
                last=catalogue.years.stop - 1,
            )
        )
    chosen = monitoring_units(catalogue, year) if units is None else list(units)
    plan, links = indicator_plan(catalogue), unit_actions(catalogue, year)
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for unit_id in chosen:
        rows = return_rows(catalogue, unit_id, year, plan=plan, links=links)
        path = target / template_name(unit_id, year)
        write_form(
            F.MONITORING_FORM,
            path,
            identity=rows.identity,
            rows={F.ACTIONS_SHEET: rows.actions, F.INDICATORS_SHEET: rows.indicators},
            lang=lang,
            created=created,
        )
        written.append(path)
    return written
