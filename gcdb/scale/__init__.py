"""Out-of-core and distributed processing: usage and budget files larger than memory, and Dask DataFrames.

Every function here returns what its in-memory counterpart returns, **identically**:

chunked files (:mod:`gcdb.scale.chunks`, :mod:`gcdb.scale.chunked`, :mod:`gcdb.scale.tagging`)
    :func:`read_usage_chunks` / :func:`read_budget_chunks` validate a file chunk by chunk (issues carry the file's
    row numbers), in parallel with ``executor=`` (:mod:`gcdb.scale.executors`: :func:`thread_executor` or
    :func:`local_executor` for the cores of this machine, :func:`dask_executor` / :func:`executor_from_env` for a
    Dask cluster);
    :func:`aggregate_usage` reduces usage to distinct (cell, person) pairs;
    :func:`breakdown_chunked`, :func:`impact_table_chunked` (= :func:`gcdb.breakdown`, :func:`gcdb.impact_table`),
    :func:`tag_chunked` (= :func:`gcdb.tag`), :func:`analyse_budget_chunked` (= :func:`gcdb.analyse_budget`).
Dask (:mod:`gcdb.scale.dask`, imported on use; needs ``dask[dataframe]`` and ``distributed``)
    ``gcdb.scale.dask.tag``, ``gcdb.scale.dask.breakdown``, ``gcdb.scale.dask.impact_table``.

>>> from gcdb.scale import breakdown_chunked
>>> table = breakdown_chunked("kullanim.parquet", ["sex", "district"], chunk_rows=500_000)  # doctest: +SKIP
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "DEFAULT_CHUNK_ROWS": "gcdb.scale.chunks",
    "ChunkedRead": "gcdb.scale.chunks",
    "iter_raw_tables": "gcdb.scale.chunks",
    "read_chunks": "gcdb.scale.chunks",
    "read_usage_chunks": "gcdb.scale.chunks",
    "read_budget_chunks": "gcdb.scale.chunks",
    "DaskExecutor": "gcdb.scale.executors",
    "dask_executor": "gcdb.scale.executors",
    "executor_from_env": "gcdb.scale.executors",
    "executor_workers": "gcdb.scale.executors",
    "local_executor": "gcdb.scale.executors",
    "managed": "gcdb.scale.executors",
    "thread_executor": "gcdb.scale.executors",
    "usable_cores": "gcdb.scale.executors",
    "UsageAggregate": "gcdb.scale.chunked",
    "aggregate_usage": "gcdb.scale.chunked",
    "reduce_pairs": "gcdb.scale.chunked",
    "breakdown_chunked": "gcdb.scale.chunked",
    "impact_table_chunked": "gcdb.scale.chunked",
    "ChunkedTagResult": "gcdb.scale.tagging",
    "tag_chunked": "gcdb.scale.tagging",
    "combine_tag_results": "gcdb.scale.tagging",
    "analyse_budget_chunked": "gcdb.scale.tagging",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name == "dask":
        return importlib.import_module("gcdb.scale.dask")
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gcdb.scale' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*__all__, "dask"])
