"""From the cells' keys to linear algebra: the model matrix of the engine and the relations of the attacker.

* :func:`blocks` — the model matrix, block by block: each published cell as the sum of inner cells (the finest
  cross-classification present in the records, or every combination of leaves when no records are given). A
  block is one value of every ``block`` dimension (fiscal year × service); a cell with a set of values there
  (all services, a department's services) links blocks and is a *coupling* cell.
* :func:`relations` — every additive relation the keys imply, across all tables at once, without records: along
  each dimension, the cells that agree on every other dimension form a family of sets; each set is the sum of the
  atoms of the family (the finest pieces), and atoms that no table publishes become *virtual* cells (unknowns).
  Margins that no table publishes are added as virtual cells first, so tables that share only an unpublished
  margin are linked through it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from gcdb.disclosure.cells import Cells


# ---------------------------------------------------------------------------------------------------------------
# Model matrix (engine)
# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Block:
    """One block: its cells (ids), model matrix ``x`` (inner cells × cells, bool) and the leaf ids of its inner
    cells (one row per row of ``x``, one column per dimension)."""

    key: tuple[int, ...]
    cells: np.ndarray
    x: np.ndarray
    leaves: np.ndarray


def _atom_leaves(cells: Cells, atoms: pd.DataFrame) -> np.ndarray:
    """Leaf ids of the distinct inner cells in ``atoms`` (one column per dimension, leaf codes)."""
    cols = []
    for dim in cells.dimensions:
        index = {x: i for i, x in enumerate(dim.leaves)}
        values = atoms[dim.name].astype("str")
        if dim.spec.nested_in is not None:
            values = atoms[dim.spec.nested_in].astype("str") + "/" + values
        codes, uniq = pd.factorize(values)
        lookup = np.array([index.get(u, -1) for u in uniq.tolist()], dtype=np.int64)
        ids = lookup[codes]
        if (ids < 0).any():
            bad = values[ids < 0].iloc[0]
            from gcdb.errors import UsageError
            from gcdb.i18n import Message

            raise UsageError(Message("disclosure.not_leaf", dimension=dim.name, value=repr(bad)))
        cols.append(ids)
    return np.unique(np.column_stack(cols), axis=0)


def _cross_product(cells: Cells, fixed: dict[int, int]) -> np.ndarray:
    grids = []
    for d, dim in enumerate(cells.dimensions):
        grids.append(np.array([fixed[d]]) if d in fixed else np.arange(dim.n_leaves))
    mesh = np.stack(np.meshgrid(*grids, indexing="ij"), axis=-1).reshape(-1, len(grids))
    for d, dim in enumerate(cells.dimensions):
        if dim.spec.nested_in is not None:
            p = cells.dim(dim.spec.nested_in)
            mesh = mesh[dim.parent_of_leaf[mesh[:, d]] == mesh[:, p]]
    return mesh


def membership(cells: Cells, cell_ids: np.ndarray, atom_leaves: np.ndarray) -> np.ndarray:
    """Boolean (inner cells × cells): inner cell a lies in cell c."""
    m = np.ones((len(atom_leaves), len(cell_ids)), dtype=bool)
    for d, dim in enumerate(cells.dimensions):
        m &= dim.members[cells.sets[d][cell_ids]][:, atom_leaves[:, d]].T
    return m


def blocks(cells: Cells, atoms: pd.DataFrame | None = None) -> tuple[list[Block], np.ndarray]:
    """The model matrix by block, and the coupling cells (a set of values in a block dimension).

    An inner cell of a block that lies in no cell is dropped; a cell of a block that holds no inner cell but has
    a non-zero value gets an inner cell of its own (its records were not given).
    """
    block_dims = [d for d, dim in enumerate(cells.dimensions) if dim.spec.block]
    single = np.ones(cells.n_cells, dtype=bool)
    leaf_of = np.zeros((cells.n_cells, len(block_dims)), dtype=np.int64)
    for j, d in enumerate(block_dims):
        members = cells.dimensions[d].members[cells.sets[d]]
        single &= members.sum(axis=1) == 1
        leaf_of[:, j] = members.argmax(axis=1)
    coupling = np.flatnonzero(~single)
    inner = _atom_leaves(cells, atoms) if atoms is not None else None
    out: list[Block] = []
    ids = np.flatnonzero(single)
    if not len(ids):
        return out, coupling
    keys, which = np.unique(leaf_of[ids], axis=0, return_inverse=True)
    which = np.asarray(which).reshape(-1)
    for b, key in enumerate(keys):
        mine = ids[which == b]
        fixed = {d: int(key[j]) for j, d in enumerate(block_dims)}
        if inner is not None:
            sel = np.ones(len(inner), dtype=bool)
            for d, leaf in fixed.items():
                sel &= inner[:, d] == leaf
            leaves = inner[sel]
        else:
            leaves = _cross_product(cells, fixed)
        x = membership(cells, mine, leaves)
        used = x.any(axis=1)
        out.append(Block(tuple(int(v) for v in key), mine, x[used], leaves[used]))
    return out, coupling


def coupling_parts(
    cells: Cells, block_list: list[Block], coupling: np.ndarray
) -> list[list[tuple[int, np.ndarray]]]:
    """For every block, the coupling cells that reach into it with their part there: ``(cell, column)``."""
    block_dims = [d for d, dim in enumerate(cells.dimensions) if dim.spec.block]
    parts: list[list[tuple[int, np.ndarray]]] = [[] for _ in block_list]
    if not len(coupling) or not block_list:
        return parts
    keys = np.asarray([b.key for b in block_list], dtype=np.int64).reshape(len(block_list), len(block_dims))
    reach = np.ones((len(coupling), len(block_list)), dtype=bool)
    for j, d in enumerate(block_dims):
        reach &= cells.dimensions[d].members[cells.sets[d][coupling]][:, keys[:, j]]
    for i, b in enumerate(block_list):
        mine = coupling[reach[:, i]]
        if not len(mine):
            continue
        cols = membership(cells, mine, b.leaves)
        for c, col in zip(mine.tolist(), cols.T, strict=True):
            if col.any():
                parts[i].append((int(c), col))
    return parts


def model_matrix(cells: Cells, atoms: pd.DataFrame | None = None) -> sp.csc_matrix:
    """The model matrix of every table at once (inner cells × cells, scipy.sparse): the blocks on the diagonal
    and the coupling cells' columns across them. Inner cells are stacked block by block (:func:`blocks`)."""
    block_list, coupling = blocks(cells, atoms)
    parts = coupling_parts(cells, block_list, coupling)
    rows, cols = [], []
    offset = 0
    for b, extra in zip(block_list, parts, strict=True):
        r, c = np.nonzero(b.x)
        rows.append(r + offset)
        cols.append(b.cells[c])
        for cell, col in extra:
            (r,) = np.nonzero(col)
            rows.append(r + offset)
            cols.append(np.full(len(r), cell, dtype=np.int64))
        offset += b.x.shape[0]
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    return sp.csc_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(offset, cells.n_cells))


# ---------------------------------------------------------------------------------------------------------------
# Relations (attacker)
# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Relations:
    """Additive relations among cells: ``matrix`` (relations × cells, entries +1 for a part, −1 for the whole)
    over the registry's cells followed by ``n_virtual`` virtual cells (unpublished margins and pieces), whose
    leaf sets are ``sets`` (per dimension, for every cell, real then virtual)."""

    matrix: sp.csr_matrix
    n_real: int
    sets: tuple[np.ndarray, ...]
    known_zero: np.ndarray

    @property
    def n_virtual(self) -> int:
        return self.matrix.shape[1] - self.n_real


class _Lattice:
    """Cells as tuples of set ids, growable with virtual cells and new sets."""

    def __init__(self, cells: Cells):
        self.members = [d.members.copy() for d in cells.dimensions]
        self.set_index = [{m.tobytes(): i for i, m in enumerate(d.members)} for d in cells.dimensions]
        self.keys = np.column_stack(cells.sets).astype(np.int64)
        self.index = {tuple(k): i for i, k in enumerate(self.keys.tolist())}
        self.new_keys: list[tuple[int, ...]] = []
        self.totals = [
            self.set_id(d, np.ones(dim.n_leaves, dtype=bool)) for d, dim in enumerate(cells.dimensions)
        ]

    def set_id(self, d: int, row: np.ndarray) -> int:
        key = row.tobytes()
        found = self.set_index[d].get(key)
        if found is None:
            found = len(self.members[d])
            self.members[d] = np.vstack([self.members[d], row[None, :]])
            self.set_index[d][key] = found
        return found

    def cell(self, key: tuple[int, ...]) -> int:
        found = self.index.get(key)
        if found is None:
            found = len(self.index)
            self.index[key] = found
            self.new_keys.append(key)
        return found

    def all_keys(self) -> np.ndarray:
        if not self.new_keys:
            return self.keys
        return np.vstack([self.keys, np.asarray(self.new_keys, dtype=np.int64)])


def _atoms(fam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The finest pieces of a family of sets (rows of ``fam`` over leaves): each piece's membership pattern
    (pieces × sets) and the piece of every leaf."""
    k = fam.shape[0]
    if k <= 62:
        code = (fam.T.astype(np.int64) << np.arange(k, dtype=np.int64)).sum(axis=1)
        uniq, first, inverse = np.unique(code, return_index=True, return_inverse=True)
        del uniq
        return fam.T[first], np.asarray(inverse).reshape(-1)
    patterns, inverse = np.unique(fam.T, axis=0, return_inverse=True)
    return patterns, np.asarray(inverse).reshape(-1)


def _row_groups(m: np.ndarray) -> np.ndarray:
    """A group id per row of an integer matrix: rows equal in every column share it."""
    if not m.shape[1]:
        return np.zeros(m.shape[0], dtype=np.int64)
    code = np.zeros(m.shape[0], dtype=np.int64)
    for col in m.T:
        _, col_codes = np.unique(col, return_inverse=True)
        width = int(col_codes.max()) + 1 if col_codes.size else 1
        code = code * width + col_codes.reshape(-1)
        # keep the codes dense (and below 2^63) before the next column
        _, code = np.unique(code, return_inverse=True)
        code = code.reshape(-1).astype(np.int64)
    # numbered in order of first appearance (as pandas.factorize numbers them)
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse.reshape(-1)]


def _family(lat: _Lattice, d: int, dim, set_ids: np.ndarray, parent: int, parent_set: int) -> tuple | None:
    """The pieces of one family of sets along dimension ``d``: per piece, the member that is exactly that piece
    (or −1) and the set id of its leaves; per member, the pieces it is made of (``None`` when it is a piece
    itself). ``parent``: the parent dimension of a nested one (else −1) and ``parent_set`` the family's set
    there. ``None`` when the family relates nothing (no leaf, or disjoint sets with no whole)."""
    fam = lat.members[d][set_ids]
    if parent >= 0:
        restrict = lat.members[parent][parent_set][dim.parent_of_leaf]
        fam = fam & restrict[None, :]
    covered = fam.any(axis=0)
    if not covered.any():
        return None
    patterns, atom_of_leaf = _atoms(fam[:, covered])
    if len(patterns) == len(set_ids) and (patterns.sum(axis=1) == 1).all():
        return None  # every set is an atom: disjoint pieces with no whole
    leaf_ids = np.flatnonzero(covered)
    single = patterns.sum(axis=0) == 1  # members that are one piece
    n_atoms = len(patterns)
    atom_member = np.full(n_atoms, -1, dtype=np.int64)
    atom_set = np.full(n_atoms, -1, dtype=np.int64)
    for a in range(n_atoms):
        same = np.flatnonzero(single & patterns[a])
        if same.size:
            atom_member[a] = same[0]
            continue
        row = np.zeros(dim.n_leaves, dtype=bool)
        row[leaf_ids[atom_of_leaf == a]] = True
        atom_set[a] = lat.set_id(d, row)
    parts_of: list[np.ndarray | None] = []
    for i in range(len(set_ids)):
        mine = np.flatnonzero(patterns[:, i])
        trivial = len(mine) == 1 and atom_member[mine[0]] == i
        parts_of.append(None if trivial else mine)
    return atom_member, atom_set, parts_of


def _close_upwards(lat: _Lattice, dims) -> None:
    """Add every margin (a dimension set to its total) of every cell as a cell; block dimensions excepted, and a
    parent dimension stays as it is while its nested dimension is split (the nested leaves fix the parent)."""
    children = {
        d: [c for c, other in enumerate(dims) if other.spec.nested_in == dim.name]
        for d, dim in enumerate(dims)
    }
    frontier = lat.all_keys()
    while len(frontier):
        new = []
        for d, dim in enumerate(dims):
            if dim.spec.block:
                continue
            movable = frontier[:, d] != lat.totals[d]
            for c in children[d]:
                movable &= frontier[:, c] == lat.totals[c]
            up = frontier[movable].copy()
            up[:, d] = lat.totals[d]
            for key in map(tuple, np.unique(up, axis=0).tolist()):
                if key not in lat.index:
                    lat.cell(key)
                    new.append(key)
        frontier = np.asarray(new, dtype=np.int64).reshape(-1, frontier.shape[1])


def relations(cells: Cells, *, close: bool = True) -> Relations:
    """Every additive relation among the cells implied by their keys (see the module docstring)."""
    lat = _Lattice(cells)
    if close:
        _close_upwards(lat, cells.dimensions)
    rel_rows: list[int] = []
    rel_cols: list[int] = []
    rel_vals: list[int] = []
    n_rel = 0
    seen: set[tuple] = set()
    dims = cells.dimensions
    for d, dim in enumerate(dims):
        keys = lat.all_keys()
        group = _row_groups(np.delete(keys, d, axis=1))
        pieces: dict[
            tuple, tuple | None
        ] = {}  # the pieces of a family depend on its sets alone: computed once
        order = np.lexsort((keys[:, d], group))
        g_sorted = group[order]
        starts = np.flatnonzero(np.r_[True, g_sorted[1:] != g_sorted[:-1]])
        ends = np.r_[starts[1:], len(order)]
        multi = (ends - starts) >= 2
        parent = cells.dim(dim.spec.nested_in) if dim.spec.nested_in is not None else -1
        for s, e in zip(starts[multi], ends[multi], strict=True):
            members_idx = order[s:e]
            set_ids = keys[members_idx, d]
            memo = (set_ids.tobytes(), int(keys[members_idx[0], parent]) if parent >= 0 else -1)
            if memo not in pieces:
                pieces[memo] = _family(lat, d, dim, set_ids, parent, memo[1])
            found = pieces[memo]
            if found is None:
                continue
            atom_member, atom_set, parts_of = found
            base = keys[members_idx[0]].copy()
            atom_cells = np.empty(len(atom_member), dtype=np.int64)
            for a in range(len(atom_member)):
                if atom_member[a] >= 0:
                    atom_cells[a] = members_idx[atom_member[a]]
                else:
                    base[d] = atom_set[a]
                    atom_cells[a] = lat.cell(tuple(base.tolist()))
            for i, cell in enumerate(members_idx.tolist()):
                if parts_of[i] is None:
                    continue
                parts = atom_cells[parts_of[i]].tolist()
                sig = (cell, tuple(sorted(parts)))
                if sig in seen:
                    continue
                seen.add(sig)
                rel_rows += [n_rel] * (len(parts) + 1)
                rel_cols += [cell, *parts]
                rel_vals += [-1] + [1] * len(parts)
                n_rel += 1
    keys = lat.all_keys()
    zero = _known_zero(cells, lat, keys)
    matrix = sp.csr_matrix(
        (np.asarray(rel_vals, dtype=np.int64), (np.asarray(rel_rows), np.asarray(rel_cols))),
        shape=(n_rel, len(keys)),
    )
    return Relations(matrix, cells.n_cells, tuple(keys[:, d] for d in range(keys.shape[1])), zero)


def _known_zero(cells: Cells, lat: _Lattice, keys: np.ndarray) -> np.ndarray:
    """Cells inside a cell whose published count of persons or records is 0 (no record lies in them)."""
    from gcdb.disclosure import spec as S

    e = cells.entries
    is_zero = e[S.MEASURE].isin([S.USERS, S.USES]).to_numpy() & (e[S.VALUE].to_numpy(dtype=np.float64) == 0)
    zero_cells = np.unique(e[S.CELL].to_numpy(dtype=np.int64)[is_zero])
    out = np.zeros(len(keys), dtype=bool)
    out[zero_cells] = True
    if not len(zero_cells):
        return out
    subset = []
    for d in range(keys.shape[1]):
        m = lat.members[d].astype(np.int64)
        subset.append((m @ m.T) == m.sum(axis=1)[:, None])  # subset[d][a, b]: set a ⊆ set b
    block = [d for d, dim in enumerate(cells.dimensions) if dim.spec.block]
    codes = (
        np.asarray(pd.factorize(pd.MultiIndex.from_arrays([keys[:, d] for d in block]))[0])
        if block
        else np.zeros(len(keys), dtype=np.int64)
    )
    zero_codes = codes[zero_cells]
    candidates = np.flatnonzero(~out)
    for b in np.unique(zero_codes):
        z = zero_cells[zero_codes == b]
        v = candidates[codes[candidates] == b]
        if not len(v):
            continue
        inside = np.ones((len(v), len(z)), dtype=bool)
        for d in range(keys.shape[1]):
            inside &= subset[d][keys[v, d]][:, keys[z, d]]
        out[v[inside.any(axis=1)]] = True
    return out
