"""Tag budget lines or usage records chunk by chunk, and analyse a budget read in chunks — identical results.

Each chunk is tagged by :func:`gcdb.tag` on its own; the chunks' results are then joined into one
:class:`~gcdb.rules.TagResult` equal to tagging the whole frame at once:

* ``row_id`` (tag table, untagged rows) is offset by the rows of the earlier chunks; the tag table, the audit
  columns and the untagged rows are concatenated in order;
* the **coverage** is rebuilt by the engine's own :func:`gcdb.rules.coverage.build_coverage` over *global*
  signatures: a chunk's signature (its distinct set of matching rules) maps to one global signature per set,
  numbered in order of first appearance in the file — as the engine numbers them — so per-rule hits, matched rows
  and money are sums over the chunks, overlaps are per set of rules, and the untagged rows are re-ranked globally.

:func:`analyse_budget_chunked` reads, validates and tags a budget file chunk by chunk and runs
:func:`gcdb.analyse_budget` once on the joined lines and tags (a budget holds thousands to a few hundred thousand
lines, so the joined lines fit in memory; the reading and tagging work is what is chunked).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.errors import UsageError
from gcdb.i18n import Message
from gcdb.read.aliases import BUDGET, USAGE
from gcdb.rules.compile import FrameView
from gcdb.rules.engine import AUDIT_COLUMNS, Matches, Mode, TagResult, resolve, tag
from gcdb.rules.model import Rule, RuleSet
from gcdb.scale.chunks import DEFAULT_CHUNK_ROWS, ChunkedRead, check_chunk_rows, read_chunks

__all__ = ["ChunkedTagResult", "analyse_budget_chunked", "combine_tag_results", "tag_chunked"]


@dataclass(frozen=True)
class ChunkedTagResult(TagResult):
    """A :class:`~gcdb.rules.TagResult` built from chunks, plus ``read`` (the file's issues, quarantine and
    reconciliation; None for DataFrames) and ``chunks``."""

    read: ChunkedRead | None = None
    chunks: int = 0


class _Combiner:
    """Collects the per-chunk results of :func:`gcdb.tag` and joins them (see the module docstring)."""

    def __init__(self, ruleset: RuleSet, mode: str | None):
        self.ruleset = ruleset
        self.mode = mode or ruleset.mode
        self.rules_by_rank: list[Rule] | None = None  # set by the first add()
        self.keys: dict[tuple[int, ...], int] = {}  # set of matching ranks → global signature
        self.sig_pairs: list[tuple[int, ...]] = []
        self.row_sig: list[np.ndarray] = []
        self.tags: list[pd.DataFrame] = []
        self.tag_rank: list[np.ndarray] = []
        self.rows: list[pd.DataFrame] = []
        self.untagged: list[pd.DataFrame] = []
        self.amounts: dict[str, list[np.ndarray]] = {}
        self.columns: set[str] = set()
        self.offset = 0
        self.chunks = 0

    def add(self, result: TagResult) -> None:
        inputs = result._coverage_inputs
        ranks = [r.id for r in inputs["rules_by_rank"]]
        if self.rules_by_rank is None:
            self.rules_by_rank = inputs["rules_by_rank"]
            self.amounts = {p: [] for p in inputs["amounts"]}
        elif ranks != [r.id for r in self.rules_by_rank]:  # pragma: no cover - compile order is fixed
            raise UsageError(Message("scale.rule_orders"))
        if list(inputs["amounts"]) != list(self.amounts):
            raise UsageError(
                Message(
                    "scale.money_columns",
                    chunk=self.chunks + 1,
                    columns=repr(list(inputs["amounts"])),
                    first=repr(list(self.amounts)),
                )
            )
        matches: Matches = inputs["matches"]
        n_sig = matches.n_sig
        bounds = np.cumsum(np.bincount(matches.pair_sig, minlength=n_sig))
        local = np.empty(n_sig, dtype=np.int64)
        for s, ranks_of_sig in enumerate(np.split(matches.pair_rank, bounds[:-1]) if n_sig else []):
            key = tuple(int(r) for r in ranks_of_sig)
            g = self.keys.get(key)
            if g is None:
                g = self.keys[key] = len(self.sig_pairs)
                self.sig_pairs.append(key)
            local[s] = g
        n = len(result.rows)
        self.row_sig.append(local[matches.row_sig] if n else np.zeros(0, dtype=np.int64))
        tags = result.tags
        tags = tags.assign(**{C.ROW_ID: tags[C.ROW_ID].to_numpy() + self.offset})
        self.tags.append(tags)
        self.tag_rank.append(np.asarray(inputs["tag_rank"], dtype=np.int64))
        self.rows.append(result.rows)
        untagged = result.untagged
        ids = untagged[C.ROW_ID].to_numpy() + self.offset
        self.untagged.append(untagged.assign(**{C.ROW_ID: ids}).set_axis(pd.Index(ids)))
        for p, values in inputs["amounts"].items():
            self.amounts[p].append(values)
        self.columns.update(inputs["columns"])
        self.offset += n
        self.chunks += 1

    def finish(self, read: ChunkedRead | None = None) -> ChunkedTagResult:
        if not self.chunks:
            raise UsageError(Message("scale.nothing_to_tag"))
        assert self.rules_by_rank is not None  # the first add() set it, and there was one (chunks > 0)
        rows = pd.concat(self.rows, ignore_index=True)
        tags = pd.concat(self.tags, ignore_index=True)
        untagged = pd.concat(self.untagged)
        row_sig = np.concatenate(self.row_sig)
        n_sig = len(self.sig_pairs)
        first = np.full(n_sig, len(row_sig), dtype=np.int64)
        np.minimum.at(first, row_sig, np.arange(len(row_sig), dtype=np.int64))
        sizes = np.array([len(k) for k in self.sig_pairs], dtype=np.int64)
        pair_sig = np.repeat(np.arange(n_sig, dtype=np.int64), sizes)
        pair_rank = (
            np.concatenate([np.asarray(k, dtype=np.int64) for k in self.sig_pairs if k])
            if sizes.sum()
            else np.zeros(0, dtype=np.int64)
        )
        matches = Matches(row_sig, first, pair_sig, pair_rank)
        resolution = resolve(matches, self.mode, self.rules_by_rank, self.ruleset)
        tagged_sig = np.bincount(resolution.contrib_sig, minlength=n_sig) > 0
        frame = rows.drop(columns=list(AUDIT_COLUMNS))
        coverage_inputs = dict(
            frame=frame,
            ruleset=self.ruleset,
            mode=self.mode,
            rules_by_rank=self.rules_by_rank,
            amounts={p: np.concatenate(v) for p, v in self.amounts.items()},
            matches=matches,
            resolution=resolution,
            tagged_sig=tagged_sig,
            tags=tags,
            tag_rank=np.concatenate(self.tag_rank),
            untagged=untagged,
            view=FrameView(frame),
            columns=sorted(self.columns),
        )
        return ChunkedTagResult(
            tags, untagged, rows, self.mode, self.ruleset, coverage_inputs, read=read, chunks=self.chunks
        )


def combine_tag_results(results: Iterable[TagResult], *, read: ChunkedRead | None = None) -> ChunkedTagResult:
    """Join the :func:`gcdb.tag` results of consecutive chunks (in file order, tagged with one rule set and mode)
    into the result of tagging their concatenation."""
    combiner = None
    for result in results:
        if combiner is None:
            combiner = _Combiner(result.ruleset, result.mode)
        combiner.add(result)
    if combiner is None:
        raise UsageError(Message("scale.nothing_to_combine"))
    return combiner.finish(read)


def _chunks(source, kind, chunk_rows, read_options):
    chunk_rows = check_chunk_rows(chunk_rows)
    if isinstance(source, str | Path):
        if kind not in (USAGE, BUDGET):
            raise UsageError(Message("scale.tag_kind", kind=repr(kind)))
        tracker = ChunkedRead()
        results = tracker.track(read_chunks(kind, source, chunk_rows=chunk_rows, **read_options))
        return (r.data for r in results), tracker
    if read_options:
        raise UsageError(Message("scale.read_options", options=repr(sorted(read_options))))
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index(drop=True)
        return (frame.iloc[i : i + chunk_rows] for i in range(0, max(len(frame), 1), chunk_rows)), None
    return iter(source), None


def tag_chunked(
    source: str | Path | pd.DataFrame | Iterable[pd.DataFrame],
    ruleset: RuleSet,
    *,
    kind: str | None = None,
    mode: Mode | None = None,
    fiscal_year_column: str = C.FISCAL_YEAR,
    strict_columns: bool = False,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    **read_options,
) -> ChunkedTagResult:
    """:func:`gcdb.tag` chunk by chunk; the result equals ``tag`` of the whole (valid) input.

    ``source``: a budget or usage file (``kind="budget"`` / ``"usage"``; the reader's options as keywords), a
    DataFrame (tagged ``chunk_rows`` rows at a time), or an iterable of DataFrame chunks. The chunks' frames are
    concatenated into ``rows``: it is the reading and tagging work that is bounded by the chunk size.
    """
    frames, tracker = _chunks(source, kind, chunk_rows, read_options)
    combiner = _Combiner(ruleset, mode)
    for frame in frames:
        combiner.add(
            tag(
                frame.reset_index(drop=True),
                ruleset,
                mode=mode,
                fiscal_year_column=fiscal_year_column,
                strict_columns=strict_columns,
            )
        )
    return combiner.finish(tracker.finish() if tracker is not None else None)


def analyse_budget_chunked(
    source: str | Path | pd.DataFrame | Iterable[pd.DataFrame],
    ruleset: RuleSet,
    *,
    mode: Mode | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    plan_actions: pd.DataFrame | None = None,
    schemes=None,
    years=None,
    floor=0.05,
    diversion=None,
    unit_map: pd.DataFrame | None = None,
    functional_level: int = 2,
    **read_options,
):
    """Read, validate and tag a budget chunk by chunk, then :func:`gcdb.analyse_budget` (identical result).

    Returns ``(analysis, tagging)``: the :class:`~gcdb.budget.BudgetAnalysis` and the
    :class:`ChunkedTagResult` (its ``read`` holds the file's issues, quarantine and reconciliation).
    """
    from gcdb.budget import DiversionThresholds, analyse_budget

    tagging = tag_chunked(source, ruleset, kind=BUDGET, mode=mode, chunk_rows=chunk_rows, **read_options)
    lines = tagging.rows.drop(columns=list(AUDIT_COLUMNS))
    analysis = analyse_budget(
        lines,
        tagging,
        plan_actions=plan_actions,
        schemes=schemes,
        years=years,
        floor=floor,
        diversion=diversion if diversion is not None else DiversionThresholds(),
        unit_map=unit_map,
        functional_level=functional_level,
    )
    return analysis, tagging
