"""Conditions of indicator definitions on a frame of records, evaluated on the distinct values of its columns.

:class:`ColumnCodes` factorises each column a definition reads once per frame (Arrow text: its dictionary codes,
int32, no int64 copy; a categorical: its own codes), on every core when the frame is large. :func:`evaluate` turns
a condition into a boolean mask of the rows: every part of it that reads one text column is folded into one table
over that column's distinct values (``all``/``any``/``not`` of predicates combine their tables, not row masks), so
a condition costs one gather over the rows per text column it reads, whatever the number of its predicates.
When the text columns the definitions read have few combinations (:data:`JOINT_LIMIT`), :meth:`ColumnCodes.join`
codes every row's combination once (two bytes a row), and every condition on them is one table over the
combinations and one gather, whatever the number of its columns (the tagging engine's dense domain).
Numeric columns (:data:`gcdb.indicators.model.NUMERIC_COLUMNS`) are compared on the rows.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from gcdb.equality.categories import value_codes
from gcdb.errors import UsageError
from gcdb.indicators import model as M
from gcdb.scale.executors import thread_map, threaded

#: Combinations of the text columns' values (each with a missing value) up to which they are coded jointly.
JOINT_LIMIT = 1 << 16


def small_type(bound: int) -> type[np.signedinteger]:
    """The smallest signed integer type that holds ``-1 … bound``."""
    for dtype in (np.int8, np.int16, np.int32):
        if bound < np.iinfo(dtype).max:
            return dtype
    return np.int64


def factorise_text(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """``(codes, distinct values as text)``, in order of first appearance; a missing value has code ``-1``
    (:func:`gcdb.equality.categories.value_codes`: Arrow text's int32 codes, a categorical's own codes)."""
    codes, uniques = value_codes(column)
    return codes, [str(v) for v in uniques]


def _narrowed(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """:func:`factorise_text`, the codes in the smallest integer type at once (the int32 codes of one column at a
    time, not of all)."""
    codes, values = factorise_text(column)
    return codes.astype(small_type(len(values)), copy=False), values


class ColumnCodes:
    """Lazily factorised columns of one frame, shared by the definitions computed in threads (each column is
    factorised once, under a lock)."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self._raw: dict[str, tuple[np.ndarray, list[str]]] = {}
        self._text: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._numeric: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self.joint: tuple[tuple[str, ...], tuple[int, ...], np.ndarray] | None = (
            None  # (columns, shape, codes)
        )

    def join(self, columns: list[str]) -> bool:
        """Code the combination of text columns of every row (mixed radix, the missing value first on each axis):
        of ``columns`` (one entry per predicate reading it), the most read first, each while the combinations stay
        within :data:`JOINT_LIMIT`. Whether at least two were."""
        read = Counter(c for c in columns if c not in M.NUMERIC_COLUMNS)
        names: tuple[str, ...] = ()
        shape: tuple[int, ...] = ()
        for column, _ in sorted(read.items(), key=lambda item: (-item[1], item[0])):
            size = len(self.raw(column)[1]) + 1
            if int(np.prod(shape, dtype=np.int64)) * size <= JOINT_LIMIT:
                names, shape = (*names, column), (*shape, size)
        if len(names) < 2:
            return False
        codes = np.zeros(len(self.frame), dtype=small_type(int(np.prod(shape))))
        for name, size in zip(names, shape, strict=True):
            codes *= size
            codes += self.raw(name)[0]  # (same-kind cast into the small type: every value fits)
            codes += 1
        self.joint = (names, shape, codes)
        return True

    def prepare(self, columns: list[str], *, threads: int | None = None) -> None:
        """Factorise the text columns among ``columns`` not yet factorised — from
        :data:`~gcdb.scale.executors.THREADED_ROWS` rows one column a task on every core (Arrow's dictionary
        encoding releases the GIL), or in ``threads`` threads."""
        todo = [c for c in dict.fromkeys(columns) if c not in M.NUMERIC_COLUMNS and c not in self._raw]
        if threads is None:
            threads = None if threaded(len(self.frame)) else 1
        done = thread_map(lambda column: _narrowed(self.frame[column]), todo, threads=threads)
        with self._lock:
            for column, raw in zip(todo, done, strict=True):
                self._raw.setdefault(column, raw)

    def raw(self, column: str) -> tuple[np.ndarray, list[str]]:
        """:func:`factorise_text` of ``column``, the codes in the smallest integer type (a byte a row for most
        columns: they are kept for the whole computation)."""
        with self._lock:
            if column not in self._raw:
                self._raw[column] = _narrowed(self.frame[column])
            return self._raw[column]

    def text(self, column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(codes, distinct values as str, blank flags)``; the codes in the smallest integer type, code ``-1``
        marks a missing value (it reads the entry appended after the values' flags)."""
        codes, values = self.raw(column)
        with self._lock:
            if column not in self._text:
                distinct = np.array(values, dtype=object)
                blank = np.array([not v.strip() for v in values], dtype=bool)
                small = codes.astype(small_type(len(values)), copy=False)
                self._text[column] = (small, distinct, blank)
            return self._text[column]

    def numeric(self, column: str) -> np.ndarray:
        with self._lock:
            if column not in self._numeric:
                series = pd.to_numeric(self.frame[column], errors="coerce")
                self._numeric[column] = series.to_numpy(dtype=np.float64, na_value=np.nan)
            return self._numeric[column]


def columns_of(condition: Any) -> list[str]:
    """The columns ``condition`` reads, once each."""
    return list(dict.fromkeys(p.column for p in M.iter_predicates(condition)))


def evaluate(condition: Any, cols: ColumnCodes) -> np.ndarray:
    """Boolean mask of the rows of ``cols.frame`` where ``condition`` holds."""
    if cols.joint is not None and _on_joint(condition, cols.joint[0]):
        names, shape, codes = cols.joint
        return np.broadcast_to(_on_domain(condition, cols, names, shape), shape).ravel()[codes]
    single = _table(condition, cols)
    if single is not None:
        column, table = single
        return table[cols.text(column)[0]]
    if isinstance(condition, M.AllOf):
        return _combine(condition.all_, cols, np.logical_and)
    if isinstance(condition, M.AnyOf):
        return _combine(condition.any_, cols, np.logical_or)
    if isinstance(condition, M.Not):
        return ~evaluate(condition.not_, cols)
    return _numeric(condition, cols)


def _on_joint(condition: Any, names: tuple[str, ...]) -> bool:
    """Whether ``condition`` reads only columns coded jointly."""
    return all(p.column in names for p in M.iter_predicates(condition))


def _on_domain(
    condition: Any, cols: ColumnCodes, names: tuple[str, ...], shape: tuple[int, ...]
) -> np.ndarray:
    """``condition`` on every combination of the jointly coded columns: an array that broadcasts to ``shape``."""
    if isinstance(condition, M.AllOf | M.AnyOf):
        children = condition.all_ if isinstance(condition, M.AllOf) else condition.any_
        op = np.logical_and if isinstance(condition, M.AllOf) else np.logical_or
        parts = [_on_domain(child, cols, names, shape) for child in children]
        out = parts[0]
        for part in parts[1:]:
            out = op(out, part)
        return out
    if isinstance(condition, M.Not):
        return ~_on_domain(condition.not_, cols, names, shape)
    column, table = _table(condition, cols)  # type: ignore[misc]  # (a text predicate: always a table)
    axis = names.index(column)
    along = np.concatenate((table[-1:], table[:-1]))  # digit 0 on each axis: the missing value
    return along.reshape([len(along) if i == axis else 1 for i in range(len(names))])


def _combine(children: list[Any], cols: ColumnCodes, op: np.ufunc) -> np.ndarray:
    """``op`` (and / or) of ``children``: the tables of those on one text column combined per column first."""
    masks = []
    if cols.joint is not None:  # the children on jointly coded columns: one table, one gather
        names, shape, codes = cols.joint
        joint = [child for child in children if _on_joint(child, names)]
        if joint:
            domain = [_on_domain(child, cols, names, shape) for child in joint]
            masks.append(np.broadcast_to(op.reduce(np.broadcast_arrays(*domain)), shape).ravel()[codes])
            children = [child for child in children if not _on_joint(child, names)]
    tables: dict[str, np.ndarray] = {}
    rest = []
    for child in children:
        single = _table(child, cols)
        if single is None:
            rest.append(child)
            continue
        column, table = single
        tables[column] = op(tables[column], table) if column in tables else table
    masks.extend(table[cols.text(column)[0]] for column, table in tables.items())
    masks.extend(evaluate(child, cols) for child in rest)
    return op.reduce(masks)


def _table(condition: Any, cols: ColumnCodes) -> tuple[str, np.ndarray] | None:
    """``(column, truth per distinct value then for a missing value)`` when ``condition`` reads one text column
    only, else ``None``."""
    if isinstance(condition, M.AllOf | M.AnyOf):
        children = condition.all_ if isinstance(condition, M.AllOf) else condition.any_
        op = np.logical_and if isinstance(condition, M.AllOf) else np.logical_or
        parts = [_table(child, cols) for child in children]
        if not parts or any(p is None for p in parts) or len({p[0] for p in parts if p is not None}) != 1:
            return None
        column = parts[0][0]  # type: ignore[index]
        return column, op.reduce([p[1] for p in parts if p is not None])
    if isinstance(condition, M.Not):
        inner = _table(condition.not_, cols)
        return None if inner is None else (inner[0], ~inner[1])
    if condition.column in M.NUMERIC_COLUMNS:
        return None
    _, distinct, blank = cols.text(condition.column)
    op = condition.operator
    if op == "missing":
        hit = np.append(blank, True)
        return condition.column, hit if condition.missing else ~hit
    if op == "between":  # refused at load time; a hand-built definition gets the same answer as the loader
        raise UsageError(f"'between' on text column {condition.column!r}")
    wanted = {str(v) for v in condition.values}
    hit = np.array([v in wanted for v in distinct], dtype=bool) & ~blank
    return condition.column, np.append(hit, False)


def _numeric(p: M.Predicate, cols: ColumnCodes) -> np.ndarray:
    values = cols.numeric(p.column)
    present = np.isfinite(values)
    op = p.operator
    if op == "missing":
        return ~present if p.missing else present
    if op == "between":
        between = p.between
        assert between is not None  # the model requires it for "between"
        lo = -np.inf if between.min is None else between.min
        hi = np.inf if between.max is None else between.max
        return present & (values >= lo) & (values <= hi)
    wanted = np.array([float(v) for v in p.values], dtype=np.float64)
    return present & np.isin(values, wanted)
