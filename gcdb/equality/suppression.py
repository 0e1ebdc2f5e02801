"""Disclosure control for published breakdowns of people (methods.md §4).

1. **Primary suppression**: a count with 0 < n < k is hidden (default k = 5). Zeros are not sensitive.
2. **Secondary suppression**: a published margin is a *line*: its total and the cells it adds up (one dimension
   varying, every other coordinate fixed). A line with exactly one hidden member (cell or total) gives that member
   away by subtraction, so the smallest other non-zero published member of the line is hidden too; this repeats
   until every line has 0 or ≥ 2 hidden members. It works for tables of any number of dimensions with any set of
   published margins: a line exists wherever its total row is in the table.
3. **Audit**: 0-or-≥2 per line is not enough on its own in two or more dimensions (hidden cells can still be
   pinned down by combining lines, e.g. a hidden cell that links two otherwise separate groups of hidden cells).
   The audit solves the linear system of all published lines for each connected group of hidden cells (null
   space of its ±1 constraint matrix, via AᵀA): a hidden cell whose unit vector lies in the row space is uniquely
   determined. Each such cell gets one more cell of its lines hidden (a published zero only when its lines hold
   nothing else: hiding that zero is what frees it), and steps 2–3 repeat to a fixed point.
   Groups of more than ``max_component`` hidden cells (default 1,000; the dense algebra grows with its cube) are
   not audited; their count is in ``frame.attrs["unaudited_cells"]``. This happens for five-way tables with all
   margins and thousands of small cells; publish fewer dimensions at once, or raise ``max_component``.
4. Optional rounding of published counts to a base (5): half up, zeros stay zero.

Hidden cells are NA in the count columns, every other numeric column of the row (rates, intervals …) is NaN,
``suppressed`` is True and ``suppression`` says ``primary`` or ``secondary``. :func:`display` renders primary cells
as ``<k`` (``<5``) and secondary cells as ``*`` — never as 0.

Limits: the guarantee is against *exact* recovery through the published additive margins. Bounds (a hidden count
is ≥ 1 since zeros are published; a primary one is ≤ k − 1) can narrow a hidden value to an interval; with
distinct markers a line whose hidden cells sum to k + 1 reveals that its primary cell is 1. Distinct-user margins
are not exact sums of their cells; they are treated as if they were (the conservative choice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gcdb.equality import names as N
from gcdb.errors import UsageError

#: Default number of hidden cells above which a connected group is not audited.
MAX_AUDIT_COMPONENT = 1000


# ---------------------------------------------------------------------------------------------------------------
# Lines of a table with margins
# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Lines:
    """Membership of cells in published lines, long form: member ``i`` is cell ``cell[i]`` of line ``line[i]``."""

    cell: np.ndarray
    line: np.ndarray
    is_total: np.ndarray
    n_lines: int

    @staticmethod
    def concat(parts: Sequence[Lines]) -> Lines:
        offset, cells, lines, totals = 0, [], [], []
        for p in parts:
            cells.append(p.cell)
            lines.append(p.line + offset)
            totals.append(p.is_total)
            offset += p.n_lines
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return Lines(empty, empty, np.zeros(0, dtype=bool), 0)
        return Lines(np.concatenate(cells), np.concatenate(lines), np.concatenate(totals), offset)


def lines_from_codes(codes: np.ndarray, sizes: Sequence[int], fixed: np.ndarray | None = None) -> Lines:
    """Published lines of a table whose cell ``i`` has category code ``codes[i, d]`` (``sizes[d]`` = total).

    For every dimension d, the cells that share all other coordinates (and ``fixed``) form a line along d if the
    cell with d = total is present. Cells must be unique.
    """
    codes = np.asarray(codes, dtype=np.int64)
    m, n_dims = codes.shape
    fixed = np.zeros(m, dtype=np.int64) if fixed is None else np.asarray(fixed, dtype=np.int64)
    shape = (int(fixed.max(initial=0)) + 1, *(int(s) + 1 for s in sizes))
    if float(np.prod(np.array(shape, dtype=np.float64))) * max(n_dims, 1) > 2**62:
        raise UsageError("table too large to enumerate its margins")
    own_key = np.ravel_multi_index((fixed, *codes.T), shape) if n_dims else fixed
    if len(np.unique(own_key)) != m:
        raise UsageError("the table has duplicate rows for the same cell; one row per cell is required")
    cells, keys, totals = [], [], []
    for d in range(n_dims):
        moved = codes.copy()
        moved[:, d] = sizes[d]
        key = np.ravel_multi_index((fixed, *moved.T), shape) * n_dims + d
        cells.append(np.arange(m))
        keys.append(key)
        totals.append(codes[:, d] == sizes[d])
    if not cells:
        return Lines.concat([])
    cell = np.concatenate(cells)
    key = np.concatenate(keys)
    is_total = np.concatenate(totals)
    line, uniq = pd.factorize(key)
    n = len(uniq)
    has_total = np.bincount(line, weights=is_total, minlength=n) > 0
    has_part = np.bincount(line, weights=~is_total, minlength=n) > 0
    keep_line = has_total & has_part
    keep = keep_line[line]
    new_id = np.cumsum(keep_line) - 1
    return Lines(cell[keep], new_id[line[keep]], is_total[keep], int(keep_line.sum()))


# ---------------------------------------------------------------------------------------------------------------
# Secondary suppression and audit
# ---------------------------------------------------------------------------------------------------------------
def _pick_per_group(group: np.ndarray, cell: np.ndarray, values: np.ndarray, is_total: np.ndarray):
    """For each group, the cell to hide next: non-zero before zero, then the smallest value, components before
    totals, then the lowest cell number."""
    if group.size == 0:
        return group, cell
    v = values[cell]
    order = np.lexsort((cell, is_total, v, v <= 0, group))
    g = group[order]
    first = np.r_[True, g[1:] != g[:-1]]
    return g[first], cell[order][first]


def _line_fixed_point(values, hidden, lines: Lines, hideable) -> np.ndarray:
    mc, ml = lines.cell, lines.line
    while True:
        h = hidden[mc]
        count = np.bincount(ml, weights=h, minlength=lines.n_lines)
        bad = count == 1
        if not bad.any():
            return hidden
        sel = bad[ml] & ~h & hideable[mc]
        _, chosen = _pick_per_group(ml[sel], mc[sel], values, lines.is_total[sel])
        if chosen.size == 0:  # cannot happen with consistent non-negative totals; never loop forever
            return hidden
        hidden[chosen] = True


def _components(hidden: np.ndarray, lines: Lines) -> tuple[np.ndarray, np.ndarray]:
    """Connected groups of hidden cells (linked when they share a line).

    Returns the mask of line members that are hidden and a component label per cell (label propagation).
    """
    sel = hidden[lines.cell]
    mc, ml = lines.cell[sel], lines.line[sel]
    n_cells = len(hidden)
    label = np.arange(n_cells)
    while True:
        line_min = np.full(lines.n_lines, n_cells)
        np.minimum.at(line_min, ml, label[mc])
        new = label.copy()
        np.minimum.at(new, mc, line_min[ml])
        if np.array_equal(new, label):
            return sel, label
        label = new


def _exact_determined(
    row: np.ndarray, col: np.ndarray, sign: np.ndarray, n_rows: int, n_cols: int
) -> np.ndarray:
    """Column j of A is determined iff every null vector of A is zero at j.

    The null space of A is the eigenspace of AᵀA for eigenvalue 0 (``eigh`` is several times faster than an SVD
    here; A has entries ±1, so the gap to the smallest non-zero eigenvalue is wide).
    """
    a = np.zeros((n_rows, n_cols))
    a[row, col] = sign
    gram = a.T @ a
    eigval, eigvec = np.linalg.eigh(gram)
    tol = max(eigval[-1], 1.0) * n_cols * 1e-12
    null = eigvec[:, eigval <= tol]
    if null.size == 0:
        return np.ones(n_cols, dtype=bool)
    return (null * null).sum(axis=1) < 1e-9


def determined_cells(hidden: np.ndarray, lines: Lines, *, max_component: int = MAX_AUDIT_COMPONENT):
    """Hidden cells that the published lines determine uniquely, and the number of cells left unaudited.

    For each connected group of hidden cells, A (lines × hidden cells, +1 for a component, −1 for a total) is
    the system an attacker can solve; cell j is determined iff every null vector of A is zero at j (decided by
    an eigendecomposition of AᵀA). Groups of more than ``max_component`` hidden cells are skipped and counted.
    """
    sel, label = _components(hidden, lines)
    mc, ml = lines.cell[sel], lines.line[sel]
    sign = np.where(lines.is_total[sel], -1.0, 1.0)
    determined: list[np.ndarray] = []
    skipped = 0
    if mc.size == 0:
        return np.zeros(0, dtype=np.int64), 0
    comp = label[mc]
    order = np.argsort(comp, kind="stable")
    comp_sorted = comp[order]
    starts = np.flatnonzero(np.r_[True, comp_sorted[1:] != comp_sorted[:-1]])
    ends = np.r_[starts[1:], len(order)]
    for s, e in zip(starts, ends, strict=True):
        idx = order[s:e]
        cells, col = np.unique(mc[idx], return_inverse=True)
        rows, row = np.unique(ml[idx], return_inverse=True)
        if len(cells) > max_component:
            skipped += len(cells)
            continue
        fixed = _exact_determined(row, col, sign[idx], len(rows), len(cells))
        determined.append(cells[fixed])
    out = np.concatenate(determined) if determined else np.zeros(0, dtype=np.int64)
    return out.astype(np.int64), skipped


def secondary_suppress(
    values: np.ndarray,
    hidden: np.ndarray,
    lines: Lines,
    *,
    hideable: np.ndarray | None = None,
    audit: bool = True,
    max_component: int = MAX_AUDIT_COMPONENT,
) -> tuple[np.ndarray, int]:
    """Extend ``hidden`` until no hidden cell can be recovered from the published lines.

    Returns the new mask and the number of hidden cells in groups too large to audit.
    """
    values = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0)
    hidden = np.asarray(hidden, dtype=bool).copy()
    hideable = np.ones(len(values), dtype=bool) if hideable is None else np.asarray(hideable, dtype=bool)
    skipped = 0
    while True:
        hidden = _line_fixed_point(values, hidden, lines, hideable)
        if not audit:
            return hidden, 0
        found, skipped = determined_cells(hidden, lines, max_component=max_component)
        if found.size == 0:
            return hidden, skipped
        chosen = _audit_choice(values, hidden, lines, hideable, found)
        if chosen.size == 0:
            return hidden, skipped
        hidden[chosen] = True


def _audit_choice(values, hidden, lines: Lines, hideable, found: np.ndarray) -> np.ndarray:
    """One more cell to hide for each determined cell: the best candidate of the lines it belongs to (see
    :func:`_pick_per_group`; a published zero only when its lines hold nothing else); when all its lines are fully
    hidden, the best candidate of any line of its connected group."""
    member_ok = ~hidden[lines.cell] & hideable[lines.cell]
    best_line, best_cell = _pick_per_group(
        lines.line[member_ok], lines.cell[member_ok], values, lines.is_total[member_ok]
    )
    line_best = np.full(lines.n_lines, -1)
    line_best[best_line] = best_cell
    in_found = np.zeros(len(values), dtype=bool)
    in_found[found] = True
    mem = in_found[lines.cell] & (line_best[lines.line] >= 0)
    done, chosen = _pick_per_group(
        lines.cell[mem], line_best[lines.line[mem]], values, lines.is_total[mem] & False
    )
    stuck = np.setdiff1d(found, done)
    if stuck.size:
        sel, label = _components(hidden, lines)
        line_label = np.full(lines.n_lines, -1)
        line_label[lines.line[sel]] = label[lines.cell[sel]]
        cand = member_ok & (line_label[lines.line] >= 0)
        comp, comp_best = _pick_per_group(
            line_label[lines.line[cand]], lines.cell[cand], values, lines.is_total[cand]
        )
        best_of = dict(zip(comp.tolist(), comp_best.tolist(), strict=True))
        extra = [best_of[c] for c in np.unique(label[stuck]).tolist() if c in best_of]
        chosen = np.concatenate([chosen, np.asarray(extra, dtype=np.int64)])
    return np.unique(chosen)


# ---------------------------------------------------------------------------------------------------------------
# Table interface
# ---------------------------------------------------------------------------------------------------------------
def _table_codes(table: pd.DataFrame, margins: Sequence[str], keys: Sequence[str]):
    codes = np.zeros((len(table), len(margins)), dtype=np.int64)
    sizes = []
    for d, col in enumerate(margins):
        values = table[col].astype("str")
        is_total = (values == N.TOTAL).to_numpy()
        c, uniq = pd.factorize(values.where(~is_total), use_na_sentinel=True)
        c = c.astype(np.int64)
        c[is_total] = len(uniq)
        if (c < 0).any():
            raise UsageError(f"column {col!r} has missing values; margins must be marked with {N.TOTAL!r}")
        codes[:, d] = c
        sizes.append(len(uniq))
    if keys:
        fixed, _ = pd.factorize(pd.MultiIndex.from_frame(table[list(keys)].astype("str")))
    else:
        fixed = np.zeros(len(table), dtype=np.int64)
    return codes, sizes, np.asarray(fixed, dtype=np.int64)


def round_to_base(values: np.ndarray, base: int) -> np.ndarray:
    """Round to the nearest multiple of ``base``, halves up; 0 stays 0."""
    return base * np.floor(np.asarray(values, dtype=np.float64) / base + 0.5)


def suppress(
    table: pd.DataFrame,
    k: int = 5,
    *,
    count_cols: Sequence[str] | None = None,
    margins: Sequence[str] | None = None,
    keys: Sequence[str] | None = None,
    primary: str | None = None,
    round_to: int | None = None,
    audit: bool = True,
    max_component: int = MAX_AUDIT_COMPONENT,
) -> pd.DataFrame:
    """Hide small counts and every count that published margins would give away.

    Parameters
    ----------
    table : a table with margins, e.g. from :func:`gcdb.equality.breakdown` (one row per cell; margin rows hold
        :data:`~gcdb.equality.names.TOTAL`). Suppress everything you publish together in **one** call.
    k : counts with 0 < n < k are hidden (primary suppression).
    count_cols : count columns to hide (default: ``users``, ``uses``, ``quantity`` where present).
    margins : dimension columns with totals (default: text columns holding ``TOTAL`` somewhere).
    keys : columns that split the table into independent tables, e.g. ``service_code`` (default: the other
        text columns). Lines never cross them.
    primary : the count that decides primary suppression (default ``users`` when present — persons — else the
        first count column). Secondary suppression picks the smallest cells by the same column.
    round_to : round published counts to this base (e.g. 5) after suppression.
    audit : also solve the linear system of published lines to make sure no hidden cell is determined.

    Returns
    -------
    A copy with hidden counts NA (nullable dtypes), other numeric columns NaN on hidden rows, and the columns
    ``suppressed`` (bool), ``suppression`` (``"primary"``/``"secondary"``/``""``) and ``reason``
    (``"suppressed"`` appended on hidden rows). ``frame.attrs["unaudited_cells"]`` counts hidden cells in groups
    too large for the audit.
    """
    if k < 1:
        raise UsageError(f"k must be at least 1, got {k}")
    if count_cols is None:
        count_cols = [c for c in N.MEASURES if c in table.columns]
    count_cols = list(count_cols)
    if not count_cols:
        raise UsageError(f"no count column to suppress; pass count_cols= (columns: {list(table.columns)!r})")
    missing = [c for c in count_cols if c not in table.columns]
    if missing:
        raise UsageError(f"count columns {missing!r} are not in the table")
    text_cols = [
        c
        for c in table.columns
        if c not in count_cols
        and c not in (N.SUPPRESSED, N.SUPPRESSION, N.REASON)
        and not pd.api.types.is_numeric_dtype(table[c])
        and not pd.api.types.is_bool_dtype(table[c])
    ]
    if margins is None:
        margins = [c for c in text_cols if (table[c].astype("str") == N.TOTAL).any()]
    if keys is None:
        keys = [c for c in text_cols if c not in margins]
    primary = primary or (N.USERS if N.USERS in count_cols else count_cols[0])
    values = pd.to_numeric(table[primary]).to_numpy(dtype=np.float64, na_value=0.0)

    codes, sizes, fixed = _table_codes(table, list(margins), list(keys))
    lines = lines_from_codes(codes, sizes, fixed)
    first = (values > 0) & (values < k)
    hidden, skipped = secondary_suppress(values, first, lines, audit=audit, max_component=max_component)

    out = table.copy()
    for col in count_cols:
        v = pd.to_numeric(out[col])
        if round_to:
            v = pd.Series(
                round_to_base(v.to_numpy(dtype=np.float64, na_value=np.nan), round_to), index=v.index
            )
        v = v.astype("Int64" if pd.api.types.is_integer_dtype(table[col]) else "Float64")
        out[col] = v.mask(hidden)
    others = [
        c
        for c in out.columns
        if c not in count_cols and pd.api.types.is_float_dtype(out[c]) and c not in (N.SUPPRESSED,)
    ]
    for col in others:
        out[col] = out[col].mask(hidden)
    out[N.SUPPRESSED] = hidden
    out[N.SUPPRESSION] = pd.array(np.where(first, N.PRIMARY, np.where(hidden, N.SECONDARY, "")), dtype="str")
    previous = (
        out[N.REASON].astype("str").fillna("") if N.REASON in out.columns else pd.Series("", index=out.index)
    )
    out[N.REASON] = _append_reason(previous.to_numpy(dtype=object), hidden, N.Reason.SUPPRESSED)
    out.attrs["unaudited_cells"] = skipped
    return out


def _append_reason(previous: np.ndarray, mask: np.ndarray, code: str):
    prev = np.asarray(previous, dtype=object)
    joined = np.where(prev == "", code, prev + ";" + code)
    return pd.array(np.where(mask, joined, prev), dtype="str")


def display(
    table: pd.DataFrame,
    k: int = 5,
    *,
    count_cols: Sequence[str] | None = None,
    primary_symbol: str | None = None,
    secondary_symbol: str = "*",
) -> pd.DataFrame:
    """Render a suppressed table for print: hidden primary counts as ``<k``, secondary ones as ``*``, never 0.

    Count columns become text; other columns are unchanged. The legend is
    :data:`gcdb.equality.names.SUPPRESSION_LEGEND` (format it with ``k`` and ``km1 = k − 1``).
    """
    if N.SUPPRESSED not in table.columns:
        raise UsageError("display() needs a table from suppress() (no 'suppressed' column)")
    if count_cols is None:
        count_cols = [c for c in N.MEASURES if c in table.columns]
    primary_symbol = primary_symbol or f"<{k}"
    hidden = table[N.SUPPRESSED].to_numpy(dtype=bool)
    kind = (
        table[N.SUPPRESSION].astype("str").to_numpy(dtype=object) if N.SUPPRESSION in table.columns else None
    )
    out = table.copy()
    for col in count_cols:
        v = table[col]
        text = v.astype("str").to_numpy(dtype=object, na_value="")
        symbol = (
            np.where(kind == N.SECONDARY, secondary_symbol, primary_symbol)
            if kind is not None
            else primary_symbol
        )
        out[col] = pd.array(np.where(hidden, symbol, text), dtype="str")
    return out
