"""Dask DataFrame backend: tag and aggregate canonical records spread over partitions (and over a cluster).

Input: a ``dask.dataframe.DataFrame`` of **canonical** records — what :func:`gcdb.read_usage` /
:func:`gcdb.read_budget` return in ``data`` (or :func:`gcdb.scale.read_usage_chunks` chunk by chunk), e.g. written
to Parquet once and opened with ``dd.read_parquet``. Results are the pandas tables of the in-memory functions,
**identical** to them:

* :func:`tag` tags each partition with :func:`gcdb.tag` (``map_partitions`` with an explicit ``meta``):
  ``.rows`` (records + audit columns) and ``.tags`` (tag table, ``row_id`` = global position) stay lazy;
  ``.compute()`` joins the partitions' results into one :class:`~gcdb.scale.tagging.ChunkedTagResult` with the
  coverage of the whole frame (see :mod:`gcdb.scale.tagging`).
* :func:`breakdown` and :func:`impact_table` reduce each partition to distinct ``(cell, person)`` pairs, shuffle
  the pairs by ``person_id`` so that every person lives in one partition, reduce again (pairs are then distinct
  across partitions: distinct users become plain sums), and bring only the pairs to the client, where
  :func:`gcdb.breakdown` / :func:`gcdb.impact_table` compute counts, rates, intervals and suppression once.
  Workers hold one partition at a time; the client holds the distinct pairs, never the records.

On a real cluster, connect a client before calling (every computation then runs on it)::

    from dask.distributed import Client
    import dask.dataframe as dd
    from gcdb.scale import dask as gdask

    client = Client("tcp://scheduler:8786")            # or LocalCluster(n_workers=4) for one machine
    usage = dd.read_parquet("s3://bucket/usage/*.parquet")   # canonical usage records
    table = gdask.breakdown(usage, ["sex", "age_band", "district"], service="service_code")
    ratios = gdask.impact_table(usage, population, ["sex", "district"], fiscal_year=2023)

Workers need gcdb installed (same version as the client); the rule set is sent to them with the tasks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.errors import UsageError
from gcdb.i18n import Message
from gcdb.rules.engine import ACTION_CODES, RULE_IDS, TAGGED, TAGGED_SHARE
from gcdb.rules.engine import tag as _tag
from gcdb.rules.model import RuleSet
from gcdb.scale.chunked import breakdown_columns, impact_columns, reduce_pairs
from gcdb.scale.tagging import ChunkedTagResult, combine_tag_results

if TYPE_CHECKING:  # dask is imported lazily (an optional dependency)
    import dask.dataframe

__all__ = ["DaskTagging", "breakdown", "impact_table", "pairs", "tag"]


def _dd():
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - dask is in the dev extra
        raise UsageError(Message("scale.no_dask")) from exc
    return dask, dd


def _check_frame(ddf) -> None:
    _, dd = _dd()
    if not isinstance(ddf, dd.DataFrame):
        raise UsageError(Message("scale.not_dask_frame", type=type(ddf).__name__))


# ---------------------------------------------------------------------------------------------------------------
# tagging
# ---------------------------------------------------------------------------------------------------------------
def _pandas_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as pandas' default ``str`` dtype (Dask turns them into ``string[pyarrow]`` with ``<NA>``)."""
    cast = {
        c: "str" for c, t in frame.dtypes.items() if isinstance(t, pd.StringDtype) and t.na_value is pd.NA
    }
    return frame.astype(cast) if cast else frame


def _tag_partition(frame: pd.DataFrame, ruleset: RuleSet, options: dict):
    return _tag(_pandas_strings(frame).reset_index(drop=True), ruleset, **options)


def _rows_partition(frame: pd.DataFrame, ruleset: RuleSet, options: dict) -> pd.DataFrame:
    rows = _tag_partition(frame, ruleset, options).rows
    return rows.set_axis(frame.index)


def _tags_partition(frame, ruleset, options, offsets, partition_info=None) -> pd.DataFrame:
    tags = _tag_partition(frame, ruleset, options).tags
    number = partition_info["number"] if partition_info is not None else 0
    return tags.assign(**{C.ROW_ID: tags[C.ROW_ID].to_numpy() + int(offsets[number])})


@dataclass
class DaskTagging:
    """The result of :func:`tag`: lazy ``rows`` and ``tags``; :meth:`compute` gives the pandas result."""

    frame: dask.dataframe.DataFrame
    ruleset: RuleSet
    options: dict
    _offsets: np.ndarray | None = field(default=None, repr=False)

    @property
    def rows(self):
        """Records plus the audit columns (``rule_ids``, ``action_codes``, ``tagged``, ``tagged_share``), lazy."""
        meta = _rows_partition(self.frame._meta, self.ruleset, self.options)
        meta = meta.astype({RULE_IDS: "str", ACTION_CODES: "str", TAGGED: "bool", TAGGED_SHARE: "float64"})
        return self.frame.map_partitions(_rows_partition, self.ruleset, self.options, meta=meta)

    def offsets(self) -> np.ndarray:
        """Global position of each partition's first row (computes the partition lengths once)."""
        if self._offsets is None:
            lengths = np.asarray(self.frame.map_partitions(len).compute(), dtype=np.int64)
            self._offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        return self._offsets

    @property
    def tags(self):
        """The tag table with ``row_id`` = global position of the record, lazy (partition lengths computed)."""
        meta = _tag_partition(self.frame._meta, self.ruleset, self.options).tags
        return self.frame.map_partitions(
            _tags_partition, self.ruleset, self.options, self.offsets(), meta=meta, align_dataframes=False
        )

    def compute(self) -> ChunkedTagResult:
        """Tag every partition on the cluster and join them: equal to :func:`gcdb.tag` on the whole frame."""
        dask, _ = _dd()
        parts = self.frame.to_delayed()
        tasks = [dask.delayed(_tag_partition)(p, self.ruleset, self.options) for p in parts]
        results = dask.compute(*tasks)
        return combine_tag_results(results)


def tag(
    ddf,
    ruleset: RuleSet,
    *,
    mode: str | None = None,
    fiscal_year_column: str = C.FISCAL_YEAR,
    strict_columns: bool = False,
) -> DaskTagging:
    """:func:`gcdb.tag` per partition of a Dask DataFrame; see :class:`DaskTagging`."""
    _check_frame(ddf)
    if not isinstance(ruleset, RuleSet):
        raise UsageError(Message("scale.not_ruleset", type=type(ruleset).__name__))
    options = dict(mode=mode, fiscal_year_column=fiscal_year_column, strict_columns=strict_columns)
    return DaskTagging(ddf, ruleset, options)


# ---------------------------------------------------------------------------------------------------------------
# aggregation
# ---------------------------------------------------------------------------------------------------------------
def pairs(ddf, columns: Sequence[str], *, shuffle_method: str | None = None) -> pd.DataFrame:
    """Distinct ``(*columns, person_id)`` pairs of a Dask DataFrame of usage records, as a pandas frame
    (with their uses and quantity; see :func:`gcdb.scale.reduce_pairs`)."""
    _check_frame(ddf)
    columns = list(columns)
    meta = _reduce_partition(ddf._meta, columns)
    partial = ddf.map_partitions(_reduce_partition, columns, meta=meta)
    if C.PERSON_ID in meta.columns and ddf.npartitions > 1:
        partial = partial.shuffle(on=C.PERSON_ID, method=shuffle_method)
        partial = partial.map_partitions(_reduce_partition, columns, meta=meta)
    computed = _pandas_strings(partial.compute())
    return reduce_pairs(computed.reset_index(drop=True), columns)


def _reduce_partition(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return reduce_pairs(_pandas_strings(frame), columns)


def breakdown(
    ddf,
    by: Sequence[str],
    *,
    service: str | None = None,
    measure: str | Sequence[str] | None = None,
    categories: Mapping[str, object] | None = None,
    margins: bool | Sequence[Sequence[str]] = True,
    population: pd.DataFrame | None = None,
    shuffle_method: str | None = None,
) -> pd.DataFrame:
    """:func:`gcdb.breakdown` of a Dask DataFrame of usage records (identical table)."""
    from gcdb.equality.breakdown import breakdown as _breakdown

    reduced = pairs(ddf, breakdown_columns(by, service), shuffle_method=shuffle_method)
    return _breakdown(
        reduced,
        by,
        service=service,
        measure=measure,
        categories=categories,
        margins=margins,
        population=population,
    )


def impact_table(
    ddf,
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
    shuffle_method: str | None = None,
) -> pd.DataFrame:
    """:func:`gcdb.impact_table` of a Dask DataFrame of usage records (identical table)."""
    from gcdb.equality.ratios import impact_table as _impact_table

    reduced = pairs(ddf, impact_columns(dimensions, service, fiscal_year), shuffle_method=shuffle_method)
    return _impact_table(
        reduced,
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
