"""Plan indicators as cells of the linked tables: an indicator's numerator and denominator are the counts of the
records its filters select, broken down by its ``by`` dimensions — cells like any other, when the filters speak
the dimensions' language (services, a department's services, sex, age band, disability, migrant status, place).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.disclosure import spec as S
from gcdb.disclosure.services import (
    DIMENSION_NAMES,
    POOLED,
    UNIVERSE,
    _derived,
    _entries,
    _keys,
)
from gcdb.equality import names as N
from gcdb.indicators import compute as IC
from gcdb.indicators import model as M
from gcdb.services import names as SN

_DIRECT = (C.SEX, C.AGE_BAND, C.DISABILITY, C.DISTRICT, C.NEIGHBOURHOOD, C.SERVICE_CODE)


def _predicate(p: M.Predicate, services: pd.DataFrame | None) -> dict[str, set[str]] | None:
    if p.operator not in ("equals", "in"):
        return None
    values = {str(v) for v in p.values}
    if p.column in _DIRECT:
        return {p.column: values}
    if p.column == C.MIGRANT_STATUS:
        pooled = values & set(POOLED)
        if pooled and pooled != set(POOLED):
            return None
        return {C.MIGRANT_STATUS: (values - set(POOLED)) | ({C.MIGRANT} if pooled else set())}
    if p.column in (C.UNIT_NAME, C.SERVICE_NAME) and services is not None and p.column in services.columns:
        match = services[services[p.column].astype("str").isin(values).to_numpy()]
        return {C.SERVICE_CODE: set(match[C.SERVICE_CODE].astype("str"))}
    return None


def translate(condition: Any, services: pd.DataFrame | None = None) -> dict[str, set[str]] | None:
    """The per-dimension leaf sets a filter selects, or ``None`` when the dimensions cannot express it."""
    if condition is None:
        return {}
    if isinstance(condition, M.Predicate):
        return _predicate(condition, services)
    if isinstance(condition, M.AllOf):
        out: dict[str, set[str]] = {}
        for child in condition.all_:
            part = translate(child, services)
            if part is None:
                return None
            for dim, values in part.items():
                out[dim] = out[dim] & values if dim in out else set(values)
        if any(not v for v in out.values()):
            return None
        return out
    if isinstance(condition, M.AnyOf):
        parts = [translate(child, services) for child in condition.any_]
        found = [p for p in parts if p is not None and len(p) == 1]
        if len(found) != len(parts):
            return None
        dims = {next(iter(p)) for p in found}
        if len(dims) != 1:
            return None
        dim = dims.pop()
        return {dim: set().union(*(p[dim] for p in found))}
    return None


def _definitions(indicators: Any) -> dict[str, M.IndicatorDefinition]:
    if isinstance(indicators, str | Path):
        from gcdb.indicators import load_indicators

        indicators = load_indicators(indicators)
    return {d.id: d for d in getattr(indicators, "indicators", [])}


def indicator_cells(table: pd.DataFrame, indicators: Any, *, services: pd.DataFrame | None = None):
    """Cell frames (numerator, denominator) and derived frames (value) of the indicator table."""
    t = table.reset_index(drop=True)
    defs = _definitions(indicators)
    cells, derived = [], []
    ids = t[IC.INDICATOR_ID].astype("str")
    status = t[N.SUPPRESSION].astype("str").fillna("").to_numpy(dtype=object)
    for ident, part in t.groupby(ids, sort=True):
        d = defs.get(str(ident))
        if d is None:
            continue
        rows = part.index.to_numpy()
        sides = [("numerator", d.filter if d.kind == M.COUNT else d.numerator)]
        if d.denominator is not None:
            sides.append(("denominator", d.denominator))
        for column, condition in sides:
            sets = translate(condition, services)
            given = {}
            for dim in DIMENSION_NAMES:
                if dim in (C.FISCAL_YEAR, UNIVERSE):
                    continue
                fixed = S.set_code(sets[dim]) if sets and dim in sets else N.TOTAL
                if dim in part.columns:
                    row_value = part[dim].astype("str")
                    given[dim] = row_value.fillna(fixed).to_numpy(dtype=object)
                else:
                    given[dim] = np.full(len(part), fixed, dtype=object)
            if sets is None:
                given[UNIVERSE] = np.full(len(part), f"indicator:{ident}:{column}", dtype=object)
            keys = _keys(len(part), part[SN.FISCAL_YEAR], **given)
            # a primary row has a small numerator; its denominator is merely hidden with it
            mark = status[rows] if column == "numerator" else np.where(status[rows] == "", "", "hidden")
            cells.append(_entries("indicators", rows, column, d.measure, part[column], mark, keys))
        scale = M.UNIT_SCALE.get(d.unit, 1.0)
        if d.kind == M.COUNT:
            derived.append(_derived("indicators", rows, IC.VALUE, part[IC.VALUE], "numerator", "", 1.0, 1.0))
        elif d.denominator is not None:
            derived.append(
                _derived(
                    "indicators", rows, IC.VALUE, part[IC.VALUE], "numerator", "denominator", np.nan, scale
                )
            )
        else:
            derived.append(
                _derived(
                    "indicators", rows, IC.VALUE, part[IC.VALUE], "numerator", "", part["denominator"], scale
                )
            )
    return cells, derived
