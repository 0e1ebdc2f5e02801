"""Compile rule conditions into vectorised evaluators.

Three ideas keep tagging cheap on millions of rows:

1. **Distinct values.** Each column the rules read is factorized once per :func:`gcdb.rules.engine.tag` call
   (:class:`ColumnView`): integer codes per row plus the distinct values. A predicate is evaluated once on the
   distinct values (numpy for numbers, pyarrow compute for text; regexes with RE2 on the distinct values)
   giving a boolean table, which is broadcast to rows through the codes. Identical predicates share one table.
2. **Distinct combinations.** Rules are grouped by the columns they read (:func:`plan_groups`). A group is
   evaluated once per combination of its columns' codes (:class:`Domain`: all combinations in mixed radix when
   they are few, else the combinations that occur) and the result is broadcast back to the rows through one
   integer id per row — a few passes over integer codes per group instead of several per rule.
3. **Bit sets.** The rules that match a row are kept as bits of ``uint64`` words, so the set of matching rules per
   row becomes one integer code (its *signature*) and everything downstream works per distinct signature.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from gcdb.rules.model import AllOf, Always, AnyOf, Not, Predicate, Rule, condition_columns
from gcdb.rules.predicates import (
    DEFAULT_LEVELS,
    code_parts,
    is_numeric_dtype,
    number_of,
    prefix_parts,
    regex_search,
    value_text,
)
from gcdb.scale.executors import thread_map, threaded
from gcdb.text import factorize, fold

_WORD_BEFORE = r"(?:^|[^\pL\pN])"
_WORD_AFTER = r"(?:[^\pL\pN]|$)"
_RE2_SPECIAL = set(r"\.^$*+?()[]{}|-")


def _re2_escape(text: str) -> str:
    return "".join("\\" + ch if ch in _RE2_SPECIAL else ch for ch in text)


def _to_bool(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=bool)


# ---------------------------------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------------------------------
class ColumnView:
    """One column, factorized: ``codes`` (an integer per row, -1 = missing; int32 for Arrow text) and its distinct
    values (in order of first appearance).

    Derived views of the distinct values (text, folded text, numbers, code digits) are computed on first use.
    """

    def __init__(self, name: str, series: pd.Series):
        self.name = name
        dtype = series.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy().astype(np.int64)
            uniques = pd.Index(series.cat.categories)
        else:  # Arrow text: its int32 codes as they are (pandas would copy them to int64)
            codes, uniques = factorize(series, writable=False)
            uniques = pd.Index(uniques)
        self.codes: np.ndarray = codes
        self.uniques: pd.Index = uniques
        self.numeric: bool = is_numeric_dtype(uniques.dtype)
        self.size: int = len(uniques)

    @cached_property
    def text(self) -> pa.Array:
        """Distinct values as text (:func:`gcdb.rules.predicates.value_text`)."""
        if pd.api.types.is_string_dtype(self.uniques.dtype) and not pd.api.types.is_object_dtype(
            self.uniques.dtype
        ):
            values: np.ndarray | list[str | None] = self.uniques.to_numpy(dtype=object)
        else:
            values = [value_text(v) for v in self.uniques]
        return pa.array(values, type=pa.large_string())

    @cached_property
    def folded(self) -> pa.Array:
        """Distinct values, Turkish-folded (:func:`gcdb.text.fold`)."""
        return pa.array([fold(v) for v in self.text.to_pylist()], type=pa.large_string())

    @cached_property
    def missing(self) -> np.ndarray:
        """Distinct values that count as missing (blank text)."""
        if self.numeric or self.size == 0:
            return np.zeros(self.size, dtype=bool)
        return _to_bool(pc.equal(pc.utf8_trim_whitespace(self.text), ""))

    @cached_property
    def numbers(self) -> np.ndarray:
        """Distinct values as float64 (NaN where not a number)."""
        if self.numeric:
            return self.uniques.to_numpy(dtype=np.float64, na_value=np.nan)
        out = [number_of(v) for v in self.text.to_pylist()]
        return np.array([np.nan if v is None else v for v in out], dtype=np.float64)

    def code_parts(self, levels: tuple[int, ...] | None) -> tuple[pa.Array, np.ndarray]:
        """Digits (text) and level-boundary bit sets of the distinct values read as hierarchical codes."""
        cache = self.__dict__.setdefault("_code_parts", {})
        if levels not in cache:
            parts = [code_parts(t, levels) for t in self.text.to_pylist()]
            digits = pa.array([d for d, _ in parts], type=pa.large_string())
            bits = np.array([b for _, b in parts], dtype=np.uint64)
            cache[levels] = (digits, bits)
        return cache[levels]


# ---------------------------------------------------------------------------------------------------------------
# Predicates on distinct values
# ---------------------------------------------------------------------------------------------------------------
def predicate_key(pred: Predicate) -> str:
    """Identity of a predicate for sharing its distinct-value table between rules."""
    return pred.model_dump_json(by_alias=True, exclude_defaults=True)


def evaluate_on_distinct(pred: Predicate, col: ColumnView) -> np.ndarray:
    """Boolean table of ``pred`` over ``col``'s distinct values, plus a last entry for missing values."""
    op = pred.operator
    size = col.size
    out = np.zeros(size + 1, dtype=bool)
    if op == "missing":
        out[:size] = col.missing if pred.missing else ~col.missing
        out[size] = bool(pred.missing)
        return out
    if size == 0:
        return out
    if op in ("equals", "in"):
        wanted = [pred.equals] if op == "equals" else list(pred.in_ or [])
        if col.numeric:
            wanted_numbers = [number_of(w) for w in wanted]
            hit = np.isin(
                col.numbers, np.array([v for v in wanted_numbers if v is not None], dtype=np.float64)
            )
        else:
            texts = {value_text(w) for w in wanted}
            arr = col.folded if pred.fold else col.text
            if pred.fold:
                texts = {fold(t) for t in texts}
            hit = _to_bool(pc.is_in(arr, value_set=pa.array(sorted(texts), type=pa.large_string())))
    elif op == "prefix":
        levels = tuple(pred.levels) if pred.levels else DEFAULT_LEVELS.get(pred.column)
        digits, bits = col.code_parts(levels)
        hit = np.zeros(size, dtype=bool)
        for prefix in pred.prefixes:
            p_digits, p_bits = prefix_parts(prefix, levels)
            required = np.uint64(p_bits)
            hit |= _to_bool(pc.starts_with(digits, p_digits)) & ((bits & required) == required)
    elif op in ("contains", "contains_any", "contains_all"):
        arr = col.folded
        hits = []
        for needle in (fold(n) for n in pred.needles):
            if not pred.word:
                hits.append(_to_bool(pc.match_substring(arr, needle)))
            else:
                pattern = _WORD_BEFORE + _re2_escape(needle) + (_WORD_AFTER if pred.word is True else "")
                hits.append(_to_bool(pc.match_substring_regex(arr, pattern)))
        hit = np.logical_and.reduce(hits) if op == "contains_all" else np.logical_or.reduce(hits)
    elif op == "regex":  # RE2 on the distinct values: linear time, no catastrophic backtracking
        assert pred.regex is not None  # the model requires it for "regex"
        hit = regex_search(col.folded if pred.fold else col.text, pred.regex)
    elif op == "between":
        between = pred.between
        assert between is not None  # the model requires it for "between"
        numbers = col.numbers
        hit = np.isfinite(numbers)
        if between.min is not None:
            hit &= numbers >= between.min
        if between.max is not None:
            hit &= numbers <= between.max
    else:  # pragma: no cover
        raise ValueError(f"unknown operator {op!r}")
    out[:size] = hit & ~col.missing
    return out


# ---------------------------------------------------------------------------------------------------------------
# Condition trees
# ---------------------------------------------------------------------------------------------------------------
class Node:
    """A compiled condition: ``evaluate(domain)`` gives a boolean array over the domain's elements — of the
    domain's ``shape``, or broadcastable to it (a dense domain keeps one axis per column, so a predicate on one
    column stays a vector along its axis until it is combined)."""

    def evaluate(self, domain: Domain) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError

    def columns(self) -> set[str]:
        return set()


@dataclass(frozen=True)
class PredicateNode(Node):
    predicate: Predicate
    key: str

    def evaluate(self, domain: Domain) -> np.ndarray:
        return domain.lift(self)

    def columns(self) -> set[str]:
        return {self.predicate.column}


@dataclass(frozen=True)
class AndNode(Node):
    children: tuple[Node, ...]

    def evaluate(self, domain: Domain) -> np.ndarray:
        out = self.children[0].evaluate(domain)
        for child in self.children[1:]:
            out = np.logical_and(out, child.evaluate(domain))
        return out

    def columns(self) -> set[str]:
        return set().union(*(c.columns() for c in self.children))


@dataclass(frozen=True)
class OrNode(Node):
    children: tuple[Node, ...]

    def evaluate(self, domain: Domain) -> np.ndarray:
        out = self.children[0].evaluate(domain)
        for child in self.children[1:]:
            out = np.logical_or(out, child.evaluate(domain))
        return out

    def columns(self) -> set[str]:
        return set().union(*(c.columns() for c in self.children))


@dataclass(frozen=True)
class NotNode(Node):
    child: Node

    def evaluate(self, domain: Domain) -> np.ndarray:
        return ~self.child.evaluate(domain)

    def columns(self) -> set[str]:
        return self.child.columns()


@dataclass(frozen=True)
class ConstNode(Node):
    value: bool

    def evaluate(self, domain: Domain) -> np.ndarray:
        return np.full(domain.unit_shape, self.value, dtype=bool)


def compile_condition(condition: Any) -> Node:
    """Compile a condition model into a :class:`Node` tree."""
    if isinstance(condition, Predicate):
        return PredicateNode(condition, predicate_key(condition))
    if isinstance(condition, AllOf):
        children = tuple(compile_condition(c) for c in condition.all_)
        return children[0] if len(children) == 1 else AndNode(children)
    if isinstance(condition, AnyOf):
        children = tuple(compile_condition(c) for c in condition.any_)
        return children[0] if len(children) == 1 else OrNode(children)
    if isinstance(condition, Not):
        child = compile_condition(condition.not_)
        return child.child if isinstance(child, NotNode) else NotNode(child)
    if isinstance(condition, Always):
        return ConstNode(True)
    raise TypeError(f"not a condition: {condition!r}")


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to run: its precedence ``rank`` (0 = wins first), condition tree (validity years included) and
    outputs."""

    rank: int
    position: int
    rule: Rule
    node: Node
    columns: frozenset[str]

    @property
    def id(self) -> str:
        return self.rule.id


def year_node(rule: Rule, year_column: str, year_present: bool) -> Node | None:
    """The validity-year condition of ``rule`` (None when unbounded; constant false when the frame has no year)."""
    if not rule.bounded:
        return None
    if not year_present:
        return ConstNode(False)
    bounds = {k: v for k, v in (("min", rule.valid_from), ("max", rule.valid_to)) if v is not None}
    pred = Predicate.model_validate({"column": year_column, "between": bounds})
    return PredicateNode(pred, predicate_key(pred))


def compile_rules(rules: list[Rule], *, year_column: str, year_present: bool) -> list[CompiledRule]:
    """Compile rules in precedence order: higher ``priority`` first, ties by position in the file."""
    order = sorted(range(len(rules)), key=lambda i: (-rules[i].priority, i))
    out = []
    for rank, position in enumerate(order):
        rule = rules[position]
        node = compile_condition(rule.when)
        year = year_node(rule, year_column, year_present)
        if year is not None:
            node = AndNode((year, node))
        out.append(CompiledRule(rank, position, rule, node, frozenset(node.columns())))
    return out


def rule_columns(rule: Rule) -> set[str]:
    """Columns a rule reads (validity years not included)."""
    return condition_columns(rule.when)


# ---------------------------------------------------------------------------------------------------------------
# Domains: rows, or distinct combinations of codes
# ---------------------------------------------------------------------------------------------------------------
def first_positions(ids: np.ndarray) -> np.ndarray:
    """Position of the first occurrence of each id, for ids numbered in order of first appearance."""
    if len(ids) == 0:
        return np.zeros(0, dtype=np.int64)
    running = np.maximum.accumulate(ids)
    new = np.empty(len(ids), dtype=bool)
    new[0] = True
    np.greater(ids[1:], running[:-1], out=new[1:])
    return np.flatnonzero(new)


def group_ids(
    arrays: list[np.ndarray], size: int, *, widths: list[int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Number the distinct tuples of ``arrays`` (integer arrays of length ``size``) in order of first appearance.

    Returns ``(ids, first)``: the id of each position and the first position of each id. Codes are combined in
    mixed radix while the product fits in int64 and compressed with :func:`pandas.factorize` when it would not.
    ``widths``: when the caller knows them, each array's values lie in ``[0, widths[i])`` (no pass for the range).
    """
    key: np.ndarray | None = None
    card = 1
    for index, array in enumerate(arrays):
        array = np.asarray(array)
        low = 0
        if widths is not None:
            width = widths[index]
        elif array.dtype == np.uint64:
            codes, uniques = pd.factorize(array)
            array, width = codes, len(uniques)
        elif len(array):
            low, high = int(array.min()), int(array.max())
            if high - low > size:
                codes, uniques = pd.factorize(array)
                array, width, low = codes, len(uniques), 0
            else:
                width = high - low + 1
        else:
            width = 1
        width = max(width, 1)
        if key is None:
            key, card = array.astype(np.int64), width  # a new array: the inputs are never modified
        else:
            if card * width >= 2**62:
                codes, uniques = pd.factorize(key)
                key, card = codes.astype(np.int64), len(uniques)
            key *= width
            key += array
            card *= width
        if low:
            key -= low
    if key is None:
        ids = np.zeros(size, dtype=np.int64)
    else:
        ids = np.asarray(pd.factorize(key)[0], dtype=np.int64)
    return ids, first_positions(ids)


class Domain:
    """Where a group of rules is evaluated: every combination of the codes of a few columns.

    *Dense* (the product of the columns' cardinalities is small, or there is one column): the elements are all
    combinations, laid out as an array with one axis per column (axis length = distinct values + 1 for missing),
    so a row's element is its codes in mixed radix — integer arithmetic, no hashing — and a predicate on one
    column is a vector along that column's axis. *Sparse*: the combinations that occur, numbered by
    :func:`group_ids`; predicates are gathered through each element's codes.
    """

    def __init__(self, view: FrameView, columns: tuple[str, ...], n: int, *, dense_limit: int):
        self.view = view
        self.columns = columns
        self.n = n
        cards = tuple(view.column(c).size + 1 for c in columns)  # +1: the missing code -1 comes first
        self.dense = len(columns) <= 1 or math.prod(cards) <= dense_limit
        self._lifted: dict[str, np.ndarray] = {}
        if self.dense:
            self.shape = cards
            self.size = math.prod(cards)
            self.unit_shape = (1,) * len(cards)
            self._row_ids: np.ndarray | None = None
        else:
            ids, first = group_ids([view.column(c).codes for c in columns], n)
            self._row_ids, self._first = ids, first
            self.size = len(first)
            self.shape = (self.size,)
            self.unit_shape = (1,)

    def lift(self, node: PredicateNode) -> np.ndarray:
        """A predicate's distinct-value table over this domain (cached)."""
        if node.key not in self._lifted:
            table = self.view.table(node)  # distinct values, then missing
            column = node.predicate.column
            if self.dense:
                axis = self.columns.index(column)
                along = np.concatenate((table[-1:], table[:-1]))  # element digit 0 = missing
                shape = [1] * len(self.columns)
                shape[axis] = len(along)
                self._lifted[node.key] = along.reshape(shape)
            else:
                self._lifted[node.key] = table[self.view.column(column).codes[self._first]]
        return self._lifted[node.key]

    def row_ids(self) -> np.ndarray:
        """The element of every row (dense: the codes in mixed radix, by Horner's rule, in place)."""
        if self._row_ids is None:  # int32 while the elements fit: half the memory traffic of int64
            ids: np.ndarray = np.zeros(self.n, dtype=np.int32 if self.size < 2**31 else np.int64)
            for column, card in zip(self.columns, self.shape, strict=True):
                ids *= card
                ids += self.view.column(column).codes
                ids += 1
            self._row_ids = ids
        return self._row_ids


@dataclass
class FrameView:
    """Per-call cache over the input frame: factorized columns and distinct-value tables of predicates."""

    frame: pd.DataFrame
    _columns: dict[str, ColumnView] = field(default_factory=dict)
    _tables: dict[str, np.ndarray] = field(default_factory=dict)

    def prepare(self, names) -> None:
        """Factorize the columns ``names`` not yet factorized — from :data:`~gcdb.scale.executors.THREADED_ROWS`
        rows in threads, one column a task (Arrow's dictionary encoding releases the GIL)."""
        todo = [n for n in dict.fromkeys(names) if n not in self._columns]
        threads = None if threaded(len(self.frame)) else 1
        for name, view in zip(todo, thread_map(self._factorized, todo, threads=threads), strict=True):
            self._columns[name] = view

    def _factorized(self, name: str) -> ColumnView:
        if name in self.frame.columns:
            series = self.frame[name]
        else:
            series = pd.Series(np.full(len(self.frame), None, dtype=object), dtype="str")
        return ColumnView(name, series)

    def column(self, name: str) -> ColumnView:
        """The factorized column; a column the frame lacks reads as missing on every row."""
        if name not in self._columns:
            self._columns[name] = self._factorized(name)
        return self._columns[name]

    def table(self, node: PredicateNode) -> np.ndarray:
        if node.key not in self._tables:
            pred = node.predicate
            self._tables[node.key] = evaluate_on_distinct(pred, self.column(pred.column))
        return self._tables[node.key]


@dataclass
class RuleGroup:
    """Rules evaluated together on the combinations of their columns' codes."""

    columns: tuple[str, ...]
    rules: list[CompiledRule]  # precedence order
    domain: Domain


def plan_groups(
    view: FrameView, rules: list[CompiledRule], n: int, *, dense_limit: int | None = None, merge: bool = True
) -> list[RuleGroup]:
    """Group rules by the columns they read and choose where each group is evaluated.

    Rules reading the same columns share a group. Groups are then merged — largest first, each into the kept group
    whose union of columns has the fewest combinations — while the union stays dense (at most ``dense_limit``
    combinations, default ``max(65536, n / 4)``). Each group costs a few passes over integer codes, whatever the
    number of its rules.
    """
    limit = max(65_536, n // 4) if dense_limit is None else dense_limit
    view.prepare(c for r in rules for c in r.columns)
    card = {c: view.column(c).size + 1 for r in rules for c in r.columns}
    by_columns: dict[frozenset[str], list[CompiledRule]] = {}
    for rule in rules:
        by_columns.setdefault(rule.columns, []).append(rule)

    def product(columns: frozenset[str]) -> int:
        return math.prod(card[c] for c in columns)

    kept: list[tuple[frozenset[str], list[CompiledRule]]] = []
    for columns, members in sorted(by_columns.items(), key=lambda item: (-product(item[0]), sorted(item[0]))):
        best = None
        if merge:
            for index, (other, _) in enumerate(kept):
                union = columns | other
                size = product(union)
                if (size <= limit or union == other) and (best is None or size < best[1]):
                    best = (index, size)
        if best is None:
            kept.append((columns, list(members)))
        else:
            other, rules_there = kept[best[0]]
            kept[best[0]] = (other | columns, rules_there + list(members))
    out = []
    for columns, members in kept:
        ordered = tuple(sorted(columns, key=lambda c: (card[c], c)))
        members.sort(key=lambda r: r.rank)
        out.append(RuleGroup(ordered, members, Domain(view, ordered, n, dense_limit=limit)))
    return out
