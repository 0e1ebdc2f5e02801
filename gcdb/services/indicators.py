"""Plan indicators by year, with the small-count threshold applied (:func:`gcdb.indicators.compute_indicators`
leaves that to the report).

Disclosure control: an indicator's groups add up to its overall row, so the table goes through
:func:`gcdb.equality.suppress` (primary and secondary suppression over the lines group → overall, per indicator
and year) on its counts of persons and records. A hidden count hides its denominator, value and change; a value
whose previous year is hidden loses its previous value and change too; a share whose denominator counts 1 … k − 1
records or persons is hidden as well. Quantities (hours, lira) are not counts of people and are not suppressed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from gcdb.equality import names as N
from gcdb.equality import suppress
from gcdb.errors import UsageError
from gcdb.indicators import INDICATOR_COLUMNS, compute_indicators, load_indicators
from gcdb.indicators import compute as IC
from gcdb.indicators.model import DIMENSIONS as INDICATOR_DIMENSIONS
from gcdb.services import names as S
from gcdb.services.tables import empty

#: Columns of the analysis's indicator table.
INDICATOR_TABLE_COLUMNS: Final = (*INDICATOR_COLUMNS, S.TITLE_EN, N.SUPPRESSED, N.SUPPRESSION)
_MISSING: Final = "(missing)"
_COUNTED: Final = ("users", "uses")


def indicator_table(
    usage: pd.DataFrame,
    population: pd.DataFrame | None,
    indicators: Any,
    *,
    years: Iterable[int],
    k: int,
) -> pd.DataFrame:
    """The indicator table for ``years`` (columns :data:`INDICATOR_TABLE_COLUMNS`).

    ``indicators``: an :class:`gcdb.indicators.IndicatorSet`, the path of a definitions file, or a table already
    computed by :func:`gcdb.indicators.compute_indicators`.
    """
    years = sorted(set(int(y) for y in years))
    if indicators is None:
        return empty(INDICATOR_TABLE_COLUMNS)
    titles_en: dict[str, str] = {}
    if isinstance(indicators, pd.DataFrame):
        missing = [c for c in INDICATOR_COLUMNS if c not in indicators.columns]
        if missing:
            raise UsageError(
                f"the indicator table lacks {', '.join(missing)}; pass definitions or compute_indicators() output"
            )
        table = indicators.copy()
    else:
        if isinstance(indicators, str | Path):
            indicators = load_indicators(indicators)
        definitions = getattr(indicators, "indicators", None)
        if definitions is None:
            raise UsageError(
                f"indicators must be an IndicatorSet, a definitions file or a table, got {type(indicators).__name__}"
            )
        titles_en = {d.id: d.title_en for d in definitions}
        usage_years = sorted(set(pd.unique(usage[S.FISCAL_YEAR]).tolist()))
        table = compute_indicators(usage, indicators, population=population, years=usage_years, lang="tr")
    if S.TITLE_EN not in table.columns:
        table[S.TITLE_EN] = table[IC.INDICATOR_ID].map(titles_en).astype("str")
    table = suppress_indicators(table, k)
    table = table[table[S.FISCAL_YEAR].isin(years).to_numpy()]
    return table[list(INDICATOR_TABLE_COLUMNS)].reset_index(drop=True)


def _margin_frame(table: pd.DataFrame) -> pd.DataFrame:
    """Dimension columns with :data:`~gcdb.equality.names.TOTAL` where the row does not split by the dimension and
    ``(missing)`` where it does but the value is missing."""
    breakdown = table[IC.BREAKDOWN].astype("str").fillna("")
    out = {}
    for dim in INDICATOR_DIMENSIONS:
        codes, uniques = pd.factorize(breakdown, use_na_sentinel=False)
        splits = np.asarray([dim in str(u).split("|") for u in uniques], dtype=bool)[codes]
        values = table[dim].astype("str")
        out[dim] = np.where(splits, values.fillna(_MISSING).to_numpy(dtype=object), N.TOTAL)
    return pd.DataFrame(out, index=table.index)


def suppress_indicators(table: pd.DataFrame, k: int) -> pd.DataFrame:
    """Hide small counts of the indicator table and everything derived from them; add ``suppressed`` and
    ``suppression``."""
    table = table.reset_index(drop=True)
    counted = table[IC.MEASURE].astype("str").isin(_COUNTED).to_numpy()
    hidden = np.zeros(len(table), dtype=bool)
    kind = np.full(len(table), "", dtype=object)
    if counted.any() and k > 1:
        part = table.loc[counted]
        frame = _margin_frame(part)
        frame["_indicator"] = part[IC.INDICATOR_ID].astype("str")
        frame["_year"] = part[S.FISCAL_YEAR].astype("str")
        frame[N.USERS] = pd.to_numeric(part[IC.NUMERATOR]).to_numpy(dtype=np.float64, na_value=0.0)
        result = suppress(
            frame,
            k,
            count_cols=[N.USERS],
            margins=list(INDICATOR_DIMENSIONS),
            keys=["_indicator", "_year"],
            audit=False,
        )
        hidden[counted] = result[N.SUPPRESSED].to_numpy(dtype=bool)
        kind[counted] = result[N.SUPPRESSION].astype("str").to_numpy(dtype=object)
    # a share of 1 … k − 1 counted records or persons tells about each of them
    denominator = pd.to_numeric(table[IC.DENOMINATOR]).to_numpy(dtype=np.float64, na_value=np.nan)
    small_base = (
        counted
        & (table[IC.UNIT].astype("str") == "percent").to_numpy()
        & (denominator > 0)
        & (denominator < k)
    )
    kind = np.where(small_base & ~hidden, S.PRIMARY, kind)
    hidden |= small_base
    return hide_indicator_rows(table, hidden, kind)


def hide_indicator_rows(
    table: pd.DataFrame, hidden: np.ndarray, kind: np.ndarray, *, counts: bool = True
) -> pd.DataFrame:
    """Hide the counts and values of the ``hidden`` rows (``counts=False``: they are hidden already, cell by
    cell), and what is made from them: their change, and the previous value, change and improvement of the next
    year's row; mark ``suppressed``/``suppression`` (``kind``: ``primary``/``secondary`` per row) and the
    reason."""
    table = table.reset_index(drop=True)
    hidden = np.asarray(hidden, dtype=bool)
    # the previous year's value of a hidden row is hidden too
    keys = _margin_frame(table)
    keys.insert(0, "_indicator", table[IC.INDICATOR_ID].astype("str"))
    key_index = pd.MultiIndex.from_frame(keys.astype("str"))
    row_key = pd.MultiIndex.from_arrays(
        [
            *(key_index.get_level_values(i) for i in range(key_index.nlevels)),
            table[S.FISCAL_YEAR].astype(np.int64),
        ]
    )
    prev_key = pd.MultiIndex.from_arrays(
        [
            *(key_index.get_level_values(i) for i in range(key_index.nlevels)),
            table[S.FISCAL_YEAR].astype(np.int64) - 1,
        ]
    )
    at = row_key.get_indexer(prev_key) if row_key.is_unique else np.full(len(table), -1)
    prev_hidden = np.where(at >= 0, hidden[np.maximum(at, 0)], False)

    out = table.copy()
    for col in (IC.NUMERATOR, IC.DENOMINATOR, IC.VALUE) if counts else ():
        out[col] = out[col].mask(hidden)
    for col in (IC.PREVIOUS_VALUE, IC.CHANGE, IC.CHANGE_PCT):
        out[col] = out[col].mask(hidden | prev_hidden)
    out[IC.IMPROVED] = out[IC.IMPROVED].mask(hidden | prev_hidden)
    reason = out[IC.REASON].astype("str").fillna("").to_numpy(dtype=object)
    add = hidden | prev_hidden
    joined = np.where(reason == "", N.Reason.SUPPRESSED, reason + ";" + N.Reason.SUPPRESSED)
    out[IC.REASON] = pd.array(np.where(add, joined, reason), dtype="str")
    out[N.SUPPRESSED] = hidden
    out[N.SUPPRESSION] = pd.array(np.where(hidden, kind, ""), dtype="str")
    return out
