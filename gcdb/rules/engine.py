"""Apply a rule set to a frame: :func:`tag` → :class:`TagResult` (see ``docs/contracts.md``).

Steps, all vectorised (see :mod:`gcdb.rules.compile` for the first three):

1. factorize the columns the rules read; group the rules by the columns they read;
2. evaluate each group's rules once per combination of its columns' codes, and broadcast to the rows;
3. keep the matching rules as bit sets and number the distinct sets of matching rules per row (*signatures*);
4. per signature, resolve: ``first`` — the rule with the highest priority (ties: earlier in the file) wins;
   ``all`` — every matching rule contributes its allocation (their sum may not exceed 1);
5. expand each signature's parts (one per rule action) to its rows, split each money phase with
   :func:`gcdb.money.split_by_shares` (largest remainder, exact to the kuruş), and build the audit tables.

Validity years: a rule with ``valid_from``/``valid_to`` applies only to rows whose fiscal year (column
``fiscal_year_column``) lies within the bounds; rows without a year, or a frame without the column, get only the
rules without bounds.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa

from gcdb import columns as C
from gcdb.errors import DataValidationError, RuleError, UsageError
from gcdb.i18n import Message, speaks, t
from gcdb.money import split_by_shares
from gcdb.rules.compile import CompiledRule, Domain, FrameView, compile_rules, group_ids, plan_groups
from gcdb.rules.coverage import Coverage, build_coverage
from gcdb.rules.model import Rule, RuleSet, iter_predicates
from gcdb.scale.executors import thread_map, threaded
from gcdb.schemes import DECLARED_SHARE, category_column, load_schemes
from gcdb.text import filter_rows, sorted_categorical

Mode = Literal["first", "all"]

#: Audit columns added to the input rows.
RULE_IDS = "rule_ids"
ACTION_CODES = "action_codes"
TAGGED = "tagged"
TAGGED_SHARE = "tagged_share"
AUDIT_COLUMNS = (RULE_IDS, ACTION_CODES, TAGGED, TAGGED_SHARE)
_EPS = 1e-9


@dataclass(frozen=True)
class TagResult:
    """What :func:`tag` returns.

    ``tags``
        long table, one row per (input row, rule, action) part: ``row_id``, ``rule_id``, ``action_code`` (NA for a
        categories-only rule), ``share`` (portion of the row; per row Σ ≤ 1), ``category_<scheme>`` for every
        weighting scheme, ``declared_share``, and ``attributed_<phase>`` (int64 kuruş) for each money phase present.
    ``untagged``
        the input rows no rule matched, with their ``row_id`` first.
    ``rows``
        the input frame plus ``rule_ids`` and ``action_codes`` ("|"-joined, "" when untagged), ``tagged`` (bool)
        and ``tagged_share`` (float).
    ``coverage``
        :class:`gcdb.rules.coverage.Coverage`: summary, per-rule hits and money, never-firing rules, overlaps,
        untagged rows ranked by amount.
    """

    tags: pd.DataFrame
    untagged: pd.DataFrame
    rows: pd.DataFrame
    mode: str
    ruleset: RuleSet
    _coverage_inputs: dict = field(repr=False, compare=False)

    @cached_property
    def coverage(self) -> Coverage:
        """The coverage report (built on first access)."""
        if not self._coverage_inputs:
            raise UsageError(Message("rules.no_audit"))
        return build_coverage(**self._coverage_inputs)


# ---------------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------------
def _categorical_from_codes(codes: np.ndarray, vocabulary: list[str]) -> pd.Series:
    """:func:`_str_from_codes` as a categorical Series (categories sorted as text, :func:`gcdb.text.sorted_categorical`)."""
    return pd.Series(sorted_categorical(codes, vocabulary))


def _str_from_codes(codes: np.ndarray, vocabulary: list[str]) -> pd.Series:
    """A ``str`` Series from integer codes into ``vocabulary`` (-1 → missing; an empty vocabulary: every value
    missing, whatever the codes), built in Arrow without Python objects per row."""
    codes = np.asarray(codes)
    mask = codes < 0 if vocabulary else None
    if mask is None or mask.all():  # nothing to look up (e.g. a scheme no rule names): all missing, no gather
        return pd.Series(pd.array(pa.nulls(len(codes), pa.large_string()), dtype="str"))
    if mask.any():
        indices = pa.array(np.where(mask, 0, codes).astype(np.int32), mask=mask)
    else:  # Arrow takes int64 indices as they are (no int32 copy)
        indices = pa.array(codes if codes.dtype in (np.int32, np.int64) else codes.astype(np.int32))
    dictionary = pa.array(vocabulary if vocabulary else [""], type=pa.large_string())
    array = pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.large_string())
    return pd.Series(pd.array(array, dtype="str"))


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ``counts[i]`` items owned by ``i``: the owner and the index within its owner of every item."""
    counts = np.asarray(counts, dtype=np.int64)
    if len(counts) == 0 or counts.max() <= 1:  # at most one item each (first mode, one action): no repeat
        owner = np.flatnonzero(counts).astype(np.int64, copy=False)
        return owner, np.zeros(len(owner), dtype=np.int64)
    owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    starts = np.cumsum(counts) - counts
    within = np.arange(len(owner), dtype=np.int64) - np.repeat(starts, counts)
    return owner, within


def _match_words(rules: list[CompiledRule], domain: Domain) -> np.ndarray:
    """Bit set of matching rules per domain element: shape (ceil(rules / 64), elements), bit j = rules[j]."""
    words = np.zeros(((len(rules) + 63) // 64, domain.size), dtype=np.uint64)
    shaped = words.reshape((len(words), *domain.shape))
    for j, rule in enumerate(rules):
        mask = rule.node.evaluate(domain)  # broadcasts to the domain's shape
        row = shaped[j >> 6, ...]  # a view, also for a domain without columns
        np.bitwise_or(row, np.uint64(1 << (j & 63)), out=row, where=mask)
    return words


def _bit_pairs(words: np.ndarray, local_ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(element, rank) for every set bit of ``words``, bit j standing for ``local_ranks[j]``."""
    if words.shape[1] == 0 or words.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    bits = np.unpackbits(np.ascontiguousarray(words).view(np.uint8), axis=1, bitorder="little")
    element, local = np.nonzero(bits[:, : len(local_ranks)])
    return element.astype(np.int64), local_ranks[local].astype(np.int64)


def money_columns(frame: pd.DataFrame) -> list[str]:
    """The money phases (:data:`gcdb.columns.PHASES`) present in ``frame``, in canonical order."""
    return [p for p in C.PHASES if p in frame.columns]


def _money(frame: pd.DataFrame, phase: str) -> np.ndarray:
    series = frame[phase]
    if not pd.api.types.is_integer_dtype(series.dtype):
        raise DataValidationError(Message("rules.money_dtype", column=repr(phase), dtype=str(series.dtype)))
    return series.to_numpy(dtype=np.int64, na_value=0)


def _check_columns(frame: pd.DataFrame, ruleset: RuleSet, *, strict: bool) -> None:
    """Columns the rules read that the frame lacks: an error when ``strict``, else a warning (they read as
    missing on every row, so only ``missing: true`` and ``not`` can hold on them)."""
    present = set(frame.columns)
    absent: dict[str, list[str]] = {}
    for rule in ruleset.rules:
        for pred in iter_predicates(rule.when):
            if pred.column in present:
                continue
            if strict:
                shown = ", ".join(map(str, list(frame.columns)[:30]))
                raise RuleError(
                    Message("rules.column_absent", column=repr(pred.column), columns=shown),
                    file=ruleset.source or None,
                    line=pred.line_of("column") or None,
                    rule_id=rule.id,
                )
            absent.setdefault(pred.column, [])
            if rule.id not in absent[pred.column]:
                absent[pred.column].append(rule.id)
    if absent:
        listed = "; ".join(
            t(
                "rules.absent_column",
                column=repr(c),
                rules=", ".join(ids[:5]) + (" …" if len(ids) > 5 else ""),
            )
            for c, ids in absent.items()
        )
        warnings.warn(
            t("rules.columns_absent", columns=listed),
            UserWarning,
            stacklevel=3,
        )


# ---------------------------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Matches:
    """Which rules match which rows, per distinct set of matching rules (*signature*)."""

    row_sig: np.ndarray  # signature of each row
    first: np.ndarray  # first row of each signature
    pair_sig: np.ndarray  # every (signature, rule rank) match, sorted by signature then rank
    pair_rank: np.ndarray

    @property
    def n_sig(self) -> int:
        return len(self.first)


def match(view: FrameView, compiled: list[CompiledRule], n: int, *, groups=None) -> Matches:
    """Evaluate every rule and number the distinct sets of matching rules (steps 1–3)."""
    per_group = []  # (signature words, rule ranks, index into row_sigs or None when constant)
    # the groups whose signature varies: (signature of each domain element, domain)
    spread: list[tuple[np.ndarray, Domain]] = []
    widths: list[int] = []  # their numbers of signatures
    for group in groups if groups is not None else plan_groups(view, compiled, n):
        words = _match_words(group.rules, group.domain)  # on the domain: small, one thread
        sig, first = group_ids(list(words), group.domain.size)
        ranks = np.array([r.rank for r in group.rules], dtype=np.int64)
        per_group.append((words[:, first].T, ranks, len(spread) if len(first) > 1 else None))
        if len(first) > 1:
            spread.append((sig.astype(np.int32) if len(first) < 2**31 else sig, group.domain))
            widths.append(len(first))
    # to the rows: each group's elements and signatures — passes over every row, from executors.THREADED_ROWS
    # rows one group a task on every core
    row_sigs = thread_map(lambda item: item[0][item[1].row_ids()], spread, threads=None if threaded(n) else 1)
    if row_sigs:
        row_sig, first = group_ids(row_sigs, n, widths=widths)
    else:  # every row matches the same rules
        row_sig, first = np.zeros(n, dtype=np.int64), np.zeros(min(n, 1), dtype=np.int64)
    pairs = [
        _bit_pairs(
            words[row_sigs[at][first] if at is not None else np.zeros(len(first), dtype=np.int64)], ranks
        )
        for words, ranks, at in per_group
        if len(words)
    ]
    pair_sig = np.concatenate([p[0] for p in pairs]) if pairs else np.zeros(0, dtype=np.int64)
    pair_rank = np.concatenate([p[1] for p in pairs]) if pairs else np.zeros(0, dtype=np.int64)
    order = np.lexsort((pair_rank, pair_sig))
    return Matches(row_sig, first, pair_sig[order], pair_rank[order])


@dataclass(frozen=True)
class Resolution:
    """The rules that contribute to each signature (step 4) and the share of the row they claim."""

    contrib_sig: np.ndarray
    contrib_rank: np.ndarray
    sig_share: np.ndarray  # Σ allocations per signature
    winner: np.ndarray  # under first: the winning rank per signature (-1: none); under all: -1


def resolve(matches: Matches, mode: str, rules_by_rank: list[Rule], ruleset: RuleSet) -> Resolution:
    """``first``: the lowest rank (highest priority, earliest in the file) wins; ``all``: every match contributes,
    and their allocations may not exceed 1 (a :class:`RuleError` naming the rules and a row)."""
    n_sig = matches.n_sig
    sig_size = np.bincount(matches.pair_sig, minlength=n_sig)
    winner = np.full(n_sig, -1, dtype=np.int64)
    has = sig_size > 0
    winner[has] = matches.pair_rank[(np.cumsum(sig_size) - sig_size)[has]]
    if mode == "first":
        contrib_sig = np.flatnonzero(has)
        contrib_rank = winner[has]
    else:
        contrib_sig, contrib_rank = matches.pair_sig, matches.pair_rank
        winner = np.full(n_sig, -1, dtype=np.int64)
    allocation = np.array([r.then.allocation for r in rules_by_rank], dtype=np.float64)
    sig_share = np.bincount(contrib_sig, weights=allocation[contrib_rank], minlength=n_sig)
    if mode == "all" and np.any(sig_share > 1 + _EPS):
        bad = int(np.flatnonzero(sig_share > 1 + _EPS)[0])
        ids = [rules_by_rank[r].id for r in contrib_rank[contrib_sig == bad]]
        raise RuleError(
            Message(
                "rules.over_allocated_row",
                rules=", ".join(map(repr, ids)),
                row=int(matches.first[bad]),
                total=f"{sig_share[bad]:g}",
            ),
            file=ruleset.source or None,
            line=ruleset.rule(ids[0]).line or None,
            rule_id=ids[0],
        )
    return Resolution(contrib_sig, contrib_rank, sig_share, winner)


@dataclass(frozen=True)
class RuleParts:
    """The parts each rule gives a matched row — one per action, or one without an action for a categories-only
    rule — flattened in rank order."""

    count: np.ndarray  # parts per rank
    start: np.ndarray  # first part of each rank
    action: np.ndarray  # index into actions (-1: none)
    share: np.ndarray  # allocation / number of actions
    actions: list[str]


def rule_parts(rules_by_rank: list[Rule]) -> RuleParts:
    actions: list[str] = []
    index: dict[str, int] = {}
    part_action: list[int] = []
    part_share: list[float] = []
    no_action: list[str | None] = [None]  # a categories-only rule: one part without an action
    for rule in rules_by_rank:
        for code in rule.then.actions or no_action:
            if code is not None and code not in index:
                index[code] = len(actions)
                actions.append(code)
            part_action.append(-1 if code is None else index[code])
            part_share.append(rule.then.allocation / rule.then.parts)
    count = np.array([r.then.parts for r in rules_by_rank], dtype=np.int64)
    return RuleParts(
        count,
        np.cumsum(count) - count,
        np.array(part_action, dtype=np.int64),
        np.array(part_share, dtype=np.float64),
        actions,
    )


def _category_codes(
    rules_by_rank: list[Rule], scheme_id: str, kind: str = ""
) -> tuple[np.ndarray, list[str]]:
    """Per rank: index of the rule's category under ``scheme_id`` in the returned vocabulary (-1: none).

    Under a scheme of kind ``declared``, a rule that declares a ``share`` is in category ``"declared"`` unless it
    names another category for that scheme: the declared-share reading counts every declared share.
    """
    vocab: list[str] = []
    per_rank = np.full(len(rules_by_rank), -1, dtype=np.int64)
    for rank, rule in enumerate(rules_by_rank):
        code = rule.then.categories.get(scheme_id)
        if code is None and kind == "declared" and rule.then.share is not None:
            code = "declared"
        if code is not None:
            if code not in vocab:
                vocab.append(code)
            per_rank[rank] = vocab.index(code)
    return per_rank, vocab


def build_tags(
    matches: Matches,
    resolution: Resolution,
    parts: RuleParts,
    rules_by_rank: list[Rule],
    amounts: dict[str, np.ndarray],
    categorical: bool = False,
) -> tuple[pd.DataFrame, np.ndarray]:
    """The tag table (step 5) and the rank of each of its rows; ``categorical``: its text columns as
    categoricals (categories sorted as text) instead of ``str``."""
    text = _categorical_from_codes if categorical else _str_from_codes
    n_sig = matches.n_sig
    # each signature's parts ("template"), in precedence order
    owner, within = _expand(parts.count[resolution.contrib_rank])
    tpl_sig = resolution.contrib_sig[owner]
    tpl_rank = resolution.contrib_rank[owner]
    tpl_part = parts.start[tpl_rank] + within
    tpl_len = np.bincount(tpl_sig, minlength=n_sig)
    tpl_ptr = np.cumsum(tpl_len) - tpl_len
    whole = (tpl_len == 1) & (np.bincount(tpl_sig, weights=parts.share[tpl_part], minlength=n_sig) == 1.0)
    # expanded to the rows
    part_row, part_within = _expand(tpl_len[matches.row_sig])
    part_sig = matches.row_sig[part_row]
    part_tpl = tpl_ptr[part_sig] + part_within
    rank = tpl_rank[part_tpl]
    part = tpl_part[part_tpl]
    share = parts.share[part]
    # the text columns (codes, vocabulary): each an Arrow gather of every part, bound by memory — from
    # executors.THREADED_ROWS parts, on every core
    texts: dict[str, tuple[np.ndarray, list[str]]] = {
        C.RULE_ID: (rank, [r.id for r in rules_by_rank]),
        C.ACTION_CODE: (parts.action[part], parts.actions),
    }
    for scheme in load_schemes().schemes:
        per_rank, vocab = _category_codes(rules_by_rank, scheme.id, scheme.kind)
        # a scheme no rule names: all missing, without gathering per_rank over the rows
        texts[category_column(scheme.id)] = (per_rank[rank] if vocab else rank, vocab)
    built = thread_map(
        lambda job: text(*job), list(texts.values()), threads=None if threaded(len(rank)) else 1
    )
    text_columns = dict(zip(texts, built, strict=True))
    tags = {
        C.ROW_ID: pd.Series(part_row, dtype="int64", copy=False),
        C.RULE_ID: text_columns.pop(C.RULE_ID),
        C.ACTION_CODE: text_columns.pop(C.ACTION_CODE),
        C.SHARE: pd.Series(share, dtype="float64", copy=False),
        **text_columns,
    }
    declared = np.array(
        [np.nan if r.then.share is None else r.then.share for r in rules_by_rank], dtype=np.float64
    )
    tags[DECLARED_SHARE] = pd.Series(declared[rank], dtype="float64", copy=False)
    # money: a row taken whole by one part keeps its amount; the others are split by largest remainder
    split = ~whole[part_sig]
    split_rows = part_row[split]
    change = (
        np.concatenate(([True], split_rows[1:] != split_rows[:-1])) if len(split_rows) else np.zeros(0, bool)
    )
    line_index, line_rows = np.cumsum(change) - 1, split_rows[change]
    for phase, amount in amounts.items():
        attributed = amount[part_row]
        if len(split_rows):
            attributed[split] = split_by_shares(
                pd.Series(amount[line_rows]), pd.Series(line_index), pd.Series(share[split])
            ).to_numpy()
        tags[C.attributed(phase)] = pd.Series(attributed, dtype="int64", copy=False)
    return pd.DataFrame(tags, copy=False), rank  # fresh arrays: no copy into consolidated blocks


def _joined(ranks_per_sig: list[np.ndarray], rules_by_rank: list[Rule]) -> tuple[list[str], list[str]]:
    """Rule ids and action codes ("|"-joined, actions once each) of each signature's contributing rules."""
    rule_ids, actions = [], []
    for ranks in ranks_per_sig:
        rule_ids.append("|".join(rules_by_rank[r].id for r in ranks))
        actions.append("|".join(dict.fromkeys(a for r in ranks for a in rules_by_rank[r].then.actions)))
    return rule_ids, actions


def audit_rows(
    frame: pd.DataFrame, matches: Matches, resolution: Resolution, rules_by_rank: list[Rule], mode: str
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """The input with the audit columns, the untagged rows, and whether each signature is tagged."""
    n_rules = len(rules_by_rank)
    tagged_sig = np.bincount(resolution.contrib_sig, minlength=matches.n_sig) > 0
    if mode == "first":  # one rule per row: strings per rule, no work per signature
        ids, actions = _joined([np.array([r]) for r in range(n_rules)], rules_by_rank)
        codes = np.where(resolution.winner >= 0, resolution.winner, n_rules)[matches.row_sig]
        ids.append("")
        actions.append("")
    else:
        bounds = np.cumsum(np.bincount(resolution.contrib_sig, minlength=matches.n_sig))
        ids, actions = _joined(np.split(resolution.contrib_rank, bounds[:-1]), rules_by_rank)
        codes = matches.row_sig
    untagged_mask = ~tagged_sig[matches.row_sig]
    # the two text columns (an Arrow cast of every row each, bound by memory) and the untagged rows: from
    # executors.THREADED_ROWS rows, on every core
    tasks = [
        lambda: _str_from_codes(codes, ids),
        lambda: _str_from_codes(codes, actions),
        lambda: filter_rows(frame, untagged_mask),
    ]
    threads = None if threaded(len(frame)) else 1
    rule_ids, action_codes, picked = thread_map(lambda task: task(), tasks, threads=threads)
    rows = frame.copy(deep=False)
    rows[RULE_IDS] = rule_ids.set_axis(frame.index)
    rows[ACTION_CODES] = action_codes.set_axis(frame.index)
    rows[TAGGED] = tagged_sig[matches.row_sig]
    rows[TAGGED_SHARE] = resolution.sig_share[matches.row_sig]

    untagged_idx = np.flatnonzero(untagged_mask)
    untagged = pd.concat(
        [
            pd.DataFrame({C.ROW_ID: pd.Series(untagged_idx, dtype="int64", index=picked.index)}),
            picked.drop(columns=[C.ROW_ID], errors="ignore"),
        ],
        axis=1,
    )
    return rows, untagged, tagged_sig


# ---------------------------------------------------------------------------------------------------------------
# tag()
# ---------------------------------------------------------------------------------------------------------------
@speaks
def tag(
    frame: pd.DataFrame,
    ruleset: RuleSet,
    *,
    mode: Mode | None = None,
    fiscal_year_column: str = C.FISCAL_YEAR,
    strict_columns: bool = False,
    lang: str | None = None,
    audit: bool = True,
) -> TagResult:
    """Tag every row of ``frame`` with the rules of ``ruleset``.

    ``mode``: ``"first"`` (one rule per row: highest priority, ties by file order) or ``"all"`` (every matching
    rule contributes its allocation); default: the rule set's own ``mode``. Works on budget lines and
    service-usage records alike; money phases (:data:`gcdb.columns.PHASES`) present in ``frame`` must be integer
    kuruş and are split exactly. A column the rules read but ``frame`` lacks (an optional column such as
    ``unit_name``) reads as missing on every row, with a warning; ``strict_columns=True`` makes it an error.
    ``lang``: the language of errors and warnings (default: the current language, :mod:`gcdb.i18n`).
    ``audit=False``: only the tag table, its text columns as categoricals (categories sorted as text; ``rows``
    and ``untagged`` empty, no coverage): for a caller that reads nothing else, on millions of rows (the per-row
    audit takes about twice the memory of the frame, the text columns 75 bytes a tag).
    """
    if not isinstance(frame, pd.DataFrame):
        raise UsageError(Message("rules.not_frame", type=type(frame).__name__))
    if not isinstance(ruleset, RuleSet):
        raise UsageError(Message("scale.not_ruleset", type=type(ruleset).__name__))
    mode = mode or ruleset.mode
    if mode not in ("first", "all"):
        raise UsageError(Message("rules.mode", mode=repr(mode)))
    _check_columns(frame, ruleset, strict=strict_columns)
    year_present = fiscal_year_column in frame.columns
    if not year_present and any(r.bounded for r in ruleset.rules):
        warnings.warn(
            t("rules.no_year_column", column=repr(fiscal_year_column)),
            UserWarning,
            stacklevel=2,
        )
    amounts = {p: _money(frame, p) for p in money_columns(frame)}
    compiled = compile_rules(ruleset.rules, year_column=fiscal_year_column, year_present=year_present)
    rules_by_rank = [r.rule for r in sorted(compiled, key=lambda r: r.rank)]

    view = FrameView(frame)
    matches = match(view, compiled, len(frame))
    resolution = resolve(matches, mode, rules_by_rank, ruleset)
    tags, tag_rank = build_tags(
        matches, resolution, rule_parts(rules_by_rank), rules_by_rank, amounts, categorical=not audit
    )
    if not audit:
        return TagResult(tags, frame.iloc[:0], frame.iloc[:0], mode, ruleset, {})
    rows, untagged, tagged_sig = audit_rows(frame, matches, resolution, rules_by_rank, mode)
    coverage_inputs = dict(
        frame=frame,
        ruleset=ruleset,
        mode=mode,
        rules_by_rank=rules_by_rank,
        amounts=amounts,
        matches=matches,
        resolution=resolution,
        tagged_sig=tagged_sig,
        tags=tags,
        tag_rank=tag_rank,
        untagged=untagged,
        view=view,
        columns=sorted({c for r in compiled for c in r.columns}),
    )
    return TagResult(tags, untagged, rows, mode, ruleset, coverage_inputs)
