"""The published-cell registry: every published number of every table as a cell of one set of linked tables.

:func:`register` reads cell frames (:mod:`gcdb.disclosure.spec`), turns every code into the set of leaf
categories it covers, and gives each distinct key a cell id: the same key in two tables is one cell. Per
dimension, a cell is a set of leaves (a *rectangle* over the dimensions); a margin covers the leaves of the cells
it adds up. Everything else — the model matrix of the engine, the relations of the attacker — follows from
these sets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gcdb.disclosure import spec as S
from gcdb.errors import UsageError


@dataclass(frozen=True)
class Dimension:
    """A dimension resolved against the data: leaf names and the leaf sets cells use.

    ``members[s]`` is the boolean row of set ``s`` over the leaves; ``parent_of_leaf`` maps a nested leaf to its
    parent dimension's leaf id (``-1`` when not nested).
    """

    spec: S.DimensionSpec
    leaves: tuple[str, ...]
    members: np.ndarray  # bool (n_sets × n_leaves)
    parent_of_leaf: np.ndarray

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def n_leaves(self) -> int:
        return len(self.leaves)


@dataclass(frozen=True)
class Cells:
    """The registry. ``entries``: the cell frame with a ``cell`` id per row; ``sets[d][c]``: the leaf set of cell
    ``c`` in dimension ``d``; ``derived``: the derived frame with the cell ids of its rows."""

    dimensions: tuple[Dimension, ...]
    entries: pd.DataFrame
    sets: tuple[np.ndarray, ...]
    derived: pd.DataFrame

    @property
    def n_cells(self) -> int:
        return len(self.sets[0]) if self.sets else 0

    def dim(self, name: str) -> int:
        for i, d in enumerate(self.dimensions):
            if d.name == name:
                return i
        raise UsageError(f"no dimension {name!r} in the registry")

    def key_frame(self) -> pd.DataFrame:
        """One row per cell: its code in every dimension (total, a leaf, or a set literal)."""
        out = {}
        for d, dim in enumerate(self.dimensions):
            labels = np.array([_label(dim, row) for row in dim.members], dtype=object)
            out[dim.name] = pd.array(labels[self.sets[d]], dtype="str")
        return pd.DataFrame(out)

    def values(self, measure: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per cell for one measure: the published value (NaN when never published), whether the measure exists
        for the cell in some table, and whether some table hides it."""
        e = self.entries[(self.entries[S.MEASURE] == measure).to_numpy()]
        cell = e[S.CELL].to_numpy(dtype=np.int64)
        v = e[S.VALUE].to_numpy(dtype=np.float64, na_value=np.nan)
        exists = np.zeros(self.n_cells, dtype=bool)
        exists[cell] = True
        shown = ~np.isnan(v)
        value = np.full(self.n_cells, np.nan)
        value[cell[shown]] = v[shown]
        hidden = np.zeros(self.n_cells, dtype=bool)
        hidden[cell[~shown]] = True
        return value, exists, hidden

    def measures(self) -> list[str]:
        present = set(pd.unique(self.entries[S.MEASURE].astype("str")).tolist())
        return [m for m in S.MEASURES if m in present] + sorted(present - set(S.MEASURES))


def _label(dim: Dimension, row: np.ndarray) -> str:
    idx = np.flatnonzero(row)
    if len(idx) == dim.n_leaves:
        return dim.spec.total
    for code, leaves in dim.spec.groups.items():
        wanted = {dim.leaves.index(x) for x in leaves if x in dim.leaves}
        if wanted == set(idx.tolist()):
            return code
    return S.set_code(dim.leaves[i] for i in idx)


def _leaf_codes(dim: S.DimensionSpec, codes: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for code in codes:
        if code == dim.total or code in dim.groups:
            continue
        if code.startswith(S.SET_OPEN) and code.endswith(S.SET_CLOSE):
            out |= {x for x in code[1:-1].split(S.SET_SEP) if x}
        else:
            out.add(code)
    for members in dim.groups.values():
        out |= set(members)
    if dim.leaves:
        out |= set(dim.leaves)
    return out


def _parse(dim: S.DimensionSpec, code: str) -> list[str] | None:
    """The leaves a code names; ``None`` for the total."""
    if code == dim.total:
        return None
    if code in dim.groups:
        return list(dim.groups[code])
    if code.startswith(S.SET_OPEN) and code.endswith(S.SET_CLOSE):
        return [x for x in code[1:-1].split(S.SET_SEP) if x]
    return [code]


def _text(series: pd.Series, total: str) -> np.ndarray:
    return series.astype("str").fillna(total).to_numpy(dtype=object)


def register(
    frames: Sequence[pd.DataFrame],
    dimensions: Sequence[S.DimensionSpec],
    *,
    derived: Sequence[pd.DataFrame] = (),
    atoms: pd.DataFrame | None = None,
) -> Cells:
    """Register cell frames (and derived frames) of the linked tables.

    ``atoms``: records or inner cells with one column per dimension (leaf codes), whose categories complete the
    leaves of each dimension (a category with no published cell of its own still counts inside the total).
    """
    dims = list(dimensions)
    names = [d.name for d in dims]
    if len(set(names)) != len(names):
        raise UsageError(f"dimension names repeat: {names}")
    parts = [f for f in frames if len(f)]
    if not parts:
        raise UsageError("no published cells to register")
    for f in parts:
        missing = [c for c in (*S.CELL_COLUMNS, *names) if c not in f.columns]
        if missing:
            raise UsageError(f"a cell frame lacks the column(s) {', '.join(missing)}")
    extra = [c for c in (S.TOP1, S.TOP2) if any(c in f.columns for f in parts)]
    entries = pd.concat(
        [f.reindex(columns=[*S.CELL_COLUMNS, *names, *extra]) for f in parts], ignore_index=True
    )
    entries[S.VALUE] = pd.to_numeric(entries[S.VALUE]).astype("float64")
    entries[S.STATUS] = entries[S.STATUS].astype("str").fillna(S.PUBLISHED)
    n = len(entries)
    # the parents of nested dimensions first
    order = sorted(range(len(dims)), key=lambda i: dims[i].nested_in is not None)
    resolved: dict[int, Dimension] = {}
    set_ids: dict[int, np.ndarray] = {}
    for i in order:
        spec = dims[i]
        codes = _text(entries[spec.name], spec.total)
        if spec.nested_in is None:
            seen = set(pd.unique(codes).tolist())
            if atoms is not None and spec.name in atoms.columns:
                seen |= set(pd.unique(_text(atoms[spec.name], spec.total)).tolist())
            leaves = sorted(_leaf_codes(spec, seen)) or [spec.total]  # never split: one leaf, the whole
            index = {x: j for j, x in enumerate(leaves)}
            inv, uniq_index = pd.factorize(codes, sort=True)  # hashing, not sorting every row
            uniq = np.asarray(uniq_index, dtype=object)
            rows = []
            for code in uniq.tolist():
                named = _parse(spec, code)
                row = np.zeros(len(leaves), dtype=bool)
                if named is None:
                    row[:] = True
                else:
                    row[[index[x] for x in named]] = True
                rows.append(row)
            parent_of_leaf = np.full(len(leaves), -1, dtype=np.int64)
        else:
            p = names.index(spec.nested_in) if spec.nested_in in names else -1
            if p < 0:
                raise UsageError(f"dimension {spec.name!r} is nested in {spec.nested_in!r}, which is absent")
            parent = resolved[p]
            parent_codes = _text(entries[spec.nested_in], dims[p].total)
            pairs = pd.MultiIndex.from_arrays([parent_codes, codes])
            if atoms is not None and spec.name in atoms.columns and spec.nested_in in atoms.columns:
                atom_pairs = pd.MultiIndex.from_arrays(
                    [_text(atoms[spec.nested_in], dims[p].total), _text(atoms[spec.name], spec.total)]
                ).unique()
            else:
                atom_pairs = pd.MultiIndex.from_arrays([[], []])
            leaf_pairs = set()
            for pc, c in list(pairs.unique()) + list(atom_pairs):
                named = _parse(spec, c)
                pn = _parse(dims[p], pc)
                if named is not None and pn is not None and len(pn) == 1:
                    leaf_pairs |= {(pn[0], x) for x in named}
            if (
                not leaf_pairs
            ):  # never split (the records have no such column): one leaf per parent, the whole
                leaf_pairs = {(x, spec.total) for x in parent.leaves}
            leaves = sorted(f"{a}/{b}" for a, b in leaf_pairs)
            parent_index = {x: j for j, x in enumerate(parent.leaves)}
            parent_of_leaf = np.array([parent_index[x.split("/", 1)[0]] for x in leaves], dtype=np.int64)
            index = {x: j for j, x in enumerate(leaves)}
            codes_pair, uniq_pairs = pd.factorize(pairs)
            inv = np.asarray(codes_pair, dtype=np.int64)
            rows = []
            parent_member = {}
            for pc in pd.unique(parent_codes).tolist():
                named_p = _parse(dims[p], pc)
                m = np.zeros(parent.n_leaves, dtype=bool)
                if named_p is None:
                    m[:] = True
                else:
                    m[[parent_index[x] for x in named_p]] = True
                parent_member[pc] = m
            for pc, c in uniq_pairs.tolist():
                named = _parse(spec, c)
                row = np.zeros(len(leaves), dtype=bool)
                if named is None:  # the total: every leaf (the parent's set restricts it)
                    row[:] = True
                else:
                    pn = _parse(dims[p], pc)
                    if pn is not None and len(pn) == 1:
                        row[[index[f"{pn[0]}/{x}"] for x in named]] = True
                    else:  # a neighbourhood name without its district: every district's one
                        mine = {x for x in named}
                        row = np.array([x.split("/", 1)[1] in mine for x in leaves], dtype=bool)
                        row &= parent_member[pc][parent_of_leaf]
                rows.append(row)
        members = np.array(rows, dtype=bool).reshape(len(rows), len(leaves))
        # identical sets from different codes get one id
        _, first, set_of_code = np.unique(members, axis=0, return_index=True, return_inverse=True)
        members = members[np.sort(first)] if len(first) else members
        remap = np.empty(len(first), dtype=np.int64)
        remap[np.argsort(first)] = np.arange(len(first))
        set_ids[i] = remap[np.asarray(set_of_code).reshape(-1)][inv]
        resolved[i] = Dimension(spec, tuple(leaves), members, parent_of_leaf)
    key = np.column_stack([set_ids[i] for i in range(len(dims))]) if dims else np.zeros((n, 0), np.int64)
    cell_keys, cell = _unique_rows(key)
    entries[S.CELL] = np.asarray(cell, dtype=np.int64).reshape(-1)
    dup = entries.duplicated([S.TABLE, S.ROW, S.COLUMN])
    if dup.any():
        twice = entries[dup.to_numpy()].iloc[0]
        raise UsageError(
            f"table {twice[S.TABLE]!r} row {twice[S.ROW]} column {twice[S.COLUMN]!r} is registered twice"
        )
    sets = tuple(cell_keys[:, i].astype(np.int64) for i in range(len(dims)))
    der = _derived(derived, entries)
    return Cells(tuple(resolved[i] for i in range(len(dims))), entries, sets, der)


def _unique_rows(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(key, axis=0, return_inverse=True)`` for non-negative int64 keys, by one int64 per row (mixed
    radix, first column most significant: the same lexicographic order) when it fits."""
    if not key.size:
        return np.unique(key, axis=0, return_inverse=True)
    radix = key.max(axis=0).astype(object) + 1
    total = 1
    for r in radix.tolist():
        total *= int(r)
    if total >= 2**62:
        uniq, inv = np.unique(key, axis=0, return_inverse=True)
        return uniq, np.asarray(inv).reshape(-1)
    code = np.zeros(len(key), dtype=np.int64)
    for j, r in enumerate(radix.tolist()):
        code = code * int(r) + key[:, j]
    _, first, inv = np.unique(code, return_index=True, return_inverse=True)
    return key[first], np.asarray(inv, dtype=np.int64).reshape(-1)


def _derived(frames: Sequence[pd.DataFrame], entries: pd.DataFrame) -> pd.DataFrame:
    """The derived frame with the cell and measure of its numerator and denominator (``-1``/``""`` for the
    public constant)."""
    parts = [f for f in frames if len(f)]
    cols = (*S.DERIVED_COLUMNS, "num_cell", "num_measure", "den_cell", "den_measure")
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    der = pd.concat([f[list(S.DERIVED_COLUMNS)] for f in parts], ignore_index=True)
    der[S.NUMERATOR] = der[S.NUMERATOR].astype("str").fillna("")
    der[S.DENOMINATOR] = der[S.DENOMINATOR].astype("str").fillna("")
    look = entries[[S.TABLE, S.ROW, S.COLUMN, S.CELL, S.MEASURE]]
    for side, prefix in ((S.NUMERATOR, "num"), (S.DENOMINATOR, "den")):
        m = look.rename(columns={S.COLUMN: side, S.CELL: f"{prefix}_cell", S.MEASURE: f"{prefix}_measure"})
        der = der.merge(m, on=[S.TABLE, S.ROW, side], how="left", validate="many_to_one")
        missing = der[f"{prefix}_cell"].isna() & (der[side] != "")
        if missing.any():
            bad = der[missing.to_numpy()].iloc[0]
            raise UsageError(
                f"derived column {bad[S.COLUMN]!r} of table {bad[S.TABLE]!r} row {bad[S.ROW]}: its {side} "
                f"{bad[side]!r} is not a registered cell of the row"
            )
        der[f"{prefix}_cell"] = der[f"{prefix}_cell"].fillna(-1).astype(np.int64)
        der[f"{prefix}_measure"] = der[f"{prefix}_measure"].astype("str").fillna("")
    return der[list(cols)]


def table_rows(cells: Cells, hidden_cell: np.ndarray) -> Mapping[str, np.ndarray]:
    """Per table, the rows (positions) whose cell is hidden."""
    e = cells.entries
    hit = hidden_cell[e[S.CELL].to_numpy(dtype=np.int64)]
    out: dict[str, np.ndarray] = {}
    for name, part in e[hit].groupby(S.TABLE, sort=True):
        out[str(name)] = np.unique(part[S.ROW].to_numpy(dtype=np.int64))
    return out
