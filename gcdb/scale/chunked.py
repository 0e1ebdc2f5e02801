"""Breakdowns and impact tables of usage files larger than memory: chunk by chunk, identical to the in-memory path.

Distinct users are not additive across chunks (a person who uses a service in January and in June is one user),
so chunks are not reduced to counts but to **distinct (cell, person) pairs**: each chunk of records becomes one
row per distinct combination of the columns the table needs plus ``person_id``, carrying how many records it
stands for (:data:`~gcdb.equality.breakdown.USES_WEIGHT`) and their summed ``quantity``. Pairs of every chunk are
combined by the same reduction (a pair seen in two chunks becomes one row, its uses and quantity summed), so
memory is bounded by the number of distinct pairs, not by the number of records. The pairs frame is a valid
usage frame for :func:`gcdb.breakdown` and :func:`gcdb.impact_table`, which count distinct persons on it
exactly as on the records, so ratios, intervals and disclosure control run unchanged on the combined counts.

Quantities are summed per pair; the result is identical to the in-memory sum when the quantities are whole
numbers (visits, sessions) and equal up to floating-point rounding of the order of additions otherwise.

>>> agg = aggregate_usage("kullanim.csv", [C.SEX, C.DISTRICT], chunk_rows=500_000)   # doctest: +SKIP
>>> gcdb.breakdown(agg.pairs, [C.SEX, C.DISTRICT]); agg.read.issues                   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.equality.breakdown import USES_WEIGHT
from gcdb.equality.ratios import _entries, _with_parents
from gcdb.errors import UsageError
from gcdb.i18n import Message
from gcdb.scale.chunks import DEFAULT_CHUNK_ROWS, ChunkedRead, check_chunk_rows, read_usage_chunks

__all__ = [
    "UsageAggregate",
    "aggregate_usage",
    "breakdown_chunked",
    "impact_table_chunked",
    "reduce_pairs",
]

UsageSource = str | Path | pd.DataFrame | Iterable[pd.DataFrame]


#: Key columns kept when present and skipped when absent (impact tables restrict to one year when they can).
_OPTIONAL = (C.FISCAL_YEAR,)


def _pair_columns(frame: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    columns = [c for c in columns if c in frame.columns or c not in _OPTIONAL]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise UsageError(Message("scale.no_column", missing=repr(missing), present=repr(list(frame.columns))))
    return list(dict.fromkeys(columns))


def reduce_pairs(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Reduce usage records (or pairs) to one row per distinct ``(*columns, person_id)``.

    Returns ``columns`` (dtypes kept, missing values kept as missing), ``person_id`` if present,
    :data:`USES_WEIGHT` (int64: records represented) and ``quantity`` (float64 sum) if present. Reducing a
    reduced frame again gives the same pairs (associative and commutative: chunks combine in any order).
    """
    keys = _pair_columns(frame, columns)
    if C.PERSON_ID in frame.columns and C.PERSON_ID not in keys:
        keys.append(C.PERSON_ID)
    weight = (
        frame[USES_WEIGHT].astype("int64")
        if USES_WEIGHT in frame.columns
        else pd.Series(np.ones(len(frame), dtype=np.int64), index=frame.index)
    )
    values = {USES_WEIGHT: weight}
    if C.QUANTITY in frame.columns:
        qty = pd.to_numeric(frame[C.QUANTITY], errors="coerce").astype("float64")
        values[C.QUANTITY] = qty.fillna(0.0)
    body = frame[keys].assign(**values)
    if not keys:
        out = pd.DataFrame({k: [v.sum()] for k, v in values.items()}) if len(frame) else body.iloc[:0]
        return out.reset_index(drop=True)
    grouped = body.groupby(keys, dropna=False, observed=True, sort=False)
    out = grouped[list(values)].sum().reset_index()
    out[USES_WEIGHT] = out[USES_WEIGHT].astype("int64")
    if C.QUANTITY in out.columns:
        out[C.QUANTITY] = out[C.QUANTITY].astype("float64")
    for k in keys:  # keep the records' dtypes (groupby keys may come back as object)
        if out[k].dtype != frame[k].dtype:
            out[k] = out[k].astype(frame[k].dtype)
    return out


class _PairAccumulator:
    """Combine reduced chunks, re-reducing when the pending rows outgrow the last reduced size."""

    def __init__(self, columns: Sequence[str]):
        self.columns = list(columns)
        self.done: pd.DataFrame | None = None
        self.pending: list[pd.DataFrame] = []
        self.pending_rows = 0

    def add(self, frame: pd.DataFrame) -> None:
        part = reduce_pairs(frame, self.columns)
        self.pending.append(part)
        self.pending_rows += len(part)
        if self.pending_rows > max(len(self.done) if self.done is not None else 0, 100_000):
            self._combine()

    def _combine(self) -> None:
        parts = ([self.done] if self.done is not None else []) + self.pending
        if parts:
            self.done = reduce_pairs(pd.concat(parts, ignore_index=True), self.columns)
        self.pending, self.pending_rows = [], 0

    def result(self) -> pd.DataFrame | None:
        self._combine()
        return self.done


@dataclass(frozen=True, eq=False)
class UsageAggregate:
    """Usage reduced to distinct pairs: ``pairs`` (a usage frame for :func:`gcdb.breakdown` /
    :func:`gcdb.impact_table`), ``read`` (issues, quarantine, reconciliation of the file; None for frames),
    ``rows`` (valid records reduced) and ``chunks``."""

    pairs: pd.DataFrame
    read: ChunkedRead | None
    rows: int
    chunks: int
    columns: tuple[str, ...]


def _frames(
    source: UsageSource, chunk_rows: int, read_options: Mapping
) -> tuple[Iterable[pd.DataFrame], ChunkedRead | None]:
    chunk_rows = check_chunk_rows(chunk_rows)
    if isinstance(source, str | Path):
        tracker = ChunkedRead()
        results = tracker.track(read_usage_chunks(source, chunk_rows=chunk_rows, **read_options))
        return (r.data for r in results), tracker
    if read_options:
        raise UsageError(Message("scale.read_options", options=repr(sorted(read_options))))
    if isinstance(source, pd.DataFrame):
        return (source.iloc[i : i + chunk_rows] for i in range(0, max(len(source), 1), chunk_rows)), None
    return iter(source), None


def aggregate_usage(
    source: UsageSource,
    columns: Sequence[str],
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    **read_options,
) -> UsageAggregate:
    """Read usage records chunk by chunk and reduce them to distinct ``(*columns, person_id)`` pairs.

    ``source``: a usage file (.csv/.parquet; every :func:`gcdb.read_usage` option is accepted as keyword:
    ``districts``, ``aliases``, ``encoding``, ``sep``, ``decimal`` …), a DataFrame of canonical records, or an
    iterable of such DataFrames (chunks). ``columns``: every column the tables will cross or split by.
    """
    frames, tracker = _frames(source, chunk_rows, read_options)
    acc = _PairAccumulator(columns)
    rows = chunks = 0
    template = None
    for frame in frames:
        if template is None:
            template = frame.iloc[:0]
        rows += len(frame)
        chunks += 1
        acc.add(frame)
    pairs = acc.result()
    if pairs is None:
        if template is None:
            raise UsageError(Message("scale.no_usage"))
        pairs = reduce_pairs(template, columns)
    read = tracker.finish() if tracker is not None else None
    return UsageAggregate(pairs, read, rows, chunks, tuple(columns))


def breakdown_columns(by: Sequence[str], service: str | None) -> list[str]:
    """The columns :func:`gcdb.breakdown` reads for ``by`` and ``service``."""
    by = [by] if isinstance(by, str) else list(by)
    return list(dict.fromkeys([*by, *([service] if service else [])]))


def impact_columns(
    dimensions: Sequence[str | Sequence[str]], service: str | None, fiscal_year: int | None
) -> list[str]:
    """The columns :func:`gcdb.impact_table` reads for ``dimensions``, ``service`` and ``fiscal_year``."""
    entries = _entries(dimensions)
    names = [d for d in N.DIMENSIONS if d in _with_parents([n for e in entries for n in e])]
    extra = ([service] if service else []) + [C.FISCAL_YEAR]
    return list(dict.fromkeys([*names, *extra]))


def breakdown_chunked(
    source: UsageSource,
    by: Sequence[str],
    *,
    service: str | None = None,
    measure: str | Sequence[str] | None = None,
    categories: Mapping[str, object] | None = None,
    margins: bool | Sequence[Sequence[str]] = True,
    population: pd.DataFrame | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    **read_options,
) -> pd.DataFrame:
    """:func:`gcdb.breakdown` of a usage file (or chunks of records) read ``chunk_rows`` at a time.

    Same parameters and result as :func:`gcdb.breakdown` (identical table); ``read_options`` are those of
    :func:`gcdb.read_usage`. To see the read's issues too, use :func:`aggregate_usage` and call
    :func:`gcdb.breakdown` on its ``pairs``.
    """
    from gcdb.equality.breakdown import breakdown

    agg = aggregate_usage(source, breakdown_columns(by, service), chunk_rows=chunk_rows, **read_options)
    return breakdown(
        agg.pairs,
        by,
        service=service,
        measure=measure,
        categories=categories,
        margins=margins,
        population=population,
    )


def impact_table_chunked(
    source: UsageSource,
    population: pd.DataFrame,
    dimensions: Sequence[str | Sequence[str]] = (C.SEX,),
    *,
    service: str | None = None,
    reference: Mapping[str, str] | None = None,
    k: int = 5,
    z: float = 1.96,
    measure: str = N.USERS,
    scale: float = 1000.0,
    categories: Mapping[str, object] | None = None,
    fiscal_year: int | None = None,
    pool_migrants: bool = True,
    audit: bool = True,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    **read_options,
) -> pd.DataFrame:
    """:func:`gcdb.impact_table` of a usage file (or chunks of records) read ``chunk_rows`` at a time.

    Same parameters and result as :func:`gcdb.impact_table`: rates, intervals, ratios and suppression are
    computed once, on the combined distinct-person counts.
    """
    from gcdb.equality.ratios import impact_table

    columns = impact_columns(dimensions, service, fiscal_year)
    agg = aggregate_usage(source, columns, chunk_rows=chunk_rows, **read_options)
    return impact_table(
        agg.pairs,
        population,
        dimensions,
        service=service,
        reference=reference,
        k=k,
        z=z,
        measure=measure,
        scale=scale,
        categories=categories,
        fiscal_year=fiscal_year,
        pool_migrants=pool_migrants,
        audit=audit,
    )
