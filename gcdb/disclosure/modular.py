"""Exact linear algebra over a prime field, vectorised with numpy (int64).

Every matrix here has small integer entries (0, ±1: a cell is the sum of its inner cells; a margin minus its
parts). Arithmetic is modulo a prime p with 2^30 < p < 2^31, so products fit in int64 and nothing is rounded.

Error bound. Over GF(p) a set of columns can look dependent although it is independent over the rationals only
when p divides a non-zero minor of the matrix. A minor of order r of a matrix whose columns have at most c
non-zero entries of size 1 is, by Hadamard's inequality, at most c^(r/2) in absolute value, so it has at most
r·log2(c)/60 prime factors above 2^30. The prime is drawn at random (seeded, :func:`choose_prime`) from the
≈ 4.8·10^7 primes between 2^30 and 2^31, so a given minor is divisible by it with probability at most
r·log2(c) / (60 · 4.8·10^7): for the largest demo block (r ≈ 2·10^3, c ≈ 4·10^3) below 10^-5 per minor, and a
wrong answer needs the specific minors of one decision to vanish. The audit repeats the decisive computation with a second,
independent prime; a cell counts as recoverable when either prime recovers it (recovery mod p of a count below p
*is* recovery: the true table satisfies every relation mod p).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

_MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)


def is_prime(n: int) -> bool:
    """Deterministic Miller–Rabin for n < 3.3·10^24."""
    if n < 2:
        return False
    for q in _MR_BASES:
        if n % q == 0:
            return n == q
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in _MR_BASES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def choose_prime(seed: int) -> int:
    """A prime between 2^30 and 2^31 drawn with ``seed``."""
    rng = np.random.default_rng(seed)
    while True:
        n = int(rng.integers(2**30, 2**31 - 1)) | 1
        if is_prime(n):
            return n


def inverse(a: int, p: int) -> int:
    return pow(int(a) % p, p - 2, p)


def lift(x: np.ndarray, p: int) -> np.ndarray:
    """Residues to the symmetric range (−p/2, p/2]."""
    x = np.asarray(x, dtype=np.int64) % p
    return np.where(x > p // 2, x - p, x)


# ---------------------------------------------------------------------------------------------------------------
# GaussSuppression: secondary suppression by Gaussian elimination
# ---------------------------------------------------------------------------------------------------------------
def gauss_suppression(x: np.ndarray, candidates: np.ndarray, primary: np.ndarray, p: int) -> np.ndarray:
    """Secondary cells, as positions into ``candidates``.

    ``x``: model matrix (inner cells × published cells), entries 0/1. Candidates are taken in the order given
    (most wanted for publication first). Each is reduced by the candidates published before it; one that reduces
    to zero is already implied and is published. Otherwise one of its rows becomes a pivot and is eliminated from
    the primary cells: if that makes a primary cell's column zero, the primary cell would lie in the span of the
    published cells (be recoverable) — the candidate is hidden instead (secondary). Which of the candidate's rows
    is the pivot does not change the answer (a primary column reduced by the published span is zero iff it lies
    in it), only the work: the row touching the fewest primary columns is taken.

    Two eliminations give the same answer: dense (numpy rows, only the non-zero entries of the pivot touched) for
    blocks of up to :data:`DENSE_LIMIT` candidate × inner-cell entries, sparse (:func:`_gauss_sparse`) above,
    where the dense arrays cost more than the fill-in of the sparse one.
    """
    x = np.asarray(x)
    if len(candidates) * x.shape[0] <= DENSE_LIMIT:  # the engine's blocks hold no empty inner cell
        return _gauss_dense(x, candidates, primary, p)
    return _gauss_sparse(x, candidates, primary, p)


#: Above this many candidate × inner-cell entries GaussSuppression eliminates sparse (measured: the demo's blocks,
#: ≤ 4.7·10^6, are 1.5× faster dense; 200,000 evenly spread records, ≈ 2·10^7, 2× faster sparse).
DENSE_LIMIT = 8_000_000


def _gauss_dense(x: np.ndarray, candidates: np.ndarray, primary: np.ndarray, p: int) -> np.ndarray:
    """:func:`gauss_suppression` on dense rows; the pivot is the row touching the fewest primary columns."""
    x = np.asarray(x)
    rows = np.flatnonzero(x.any(axis=1))
    at = np.ascontiguousarray((x[np.ix_(rows, candidates)].T % p).astype(np.int64))
    bt = np.ascontiguousarray((x[np.ix_(rows, primary)].T % p).astype(np.int64))
    secondary: list[int] = []
    n = at.shape[0]
    if bt.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    for j in range(n):
        col = at[j]
        nz = np.flatnonzero(col)
        if nz.size == 0:
            continue
        touch = np.count_nonzero(bt[:, nz], axis=0)
        best = int(touch.min())
        r = int(nz[np.argmin(touch)])
        inv = inverse(col[r], p)
        vals = col[nz]
        if best > 0:
            hit = np.flatnonzero(bt[:, r])
            f = (bt[hit, r] * inv) % p
            new = (bt[np.ix_(hit, nz)] - (f[:, None] * vals[None, :]) % p) % p
            rest_nz = bt[hit].copy()
            rest_nz[:, nz] = new
            if not rest_nz.any(axis=1).all():
                secondary.append(j)
                continue
            bt[np.ix_(hit, nz)] = new
        rest = j + 1 + np.flatnonzero(at[j + 1 :, r])
        if rest.size:
            f = (at[rest, r] * inv) % p
            at[np.ix_(rest, nz)] = (at[np.ix_(rest, nz)] - (f[:, None] * vals[None, :]) % p) % p
    return np.asarray(secondary, dtype=np.int64)


def _gauss_sparse(x: np.ndarray, candidates: np.ndarray, primary: np.ndarray, p: int) -> np.ndarray:
    """:func:`gauss_suppression` on sparse columns (``{inner cell: value}``): a published cell covers few inner
    cells but for the margins, and elimination fills in little. Each pivot vector is zero at the pivots made before
    it, so a candidate is reduced by the pivots in the order they were made (a heap of the pivots it touches); the
    primary columns are kept reduced, with an index from each inner cell to the primary columns non-zero there."""
    primary = np.asarray(primary, dtype=np.int64)
    if primary.size == 0:
        return np.zeros(0, dtype=np.int64)
    p = int(p)
    xs = sp.csc_matrix(np.asarray(x), dtype=np.int64)  # one pass over the block, then column slices
    prim = _sparse_columns(xs, primary, p)
    touching: dict[int, set[int]] = {}  # inner cell → primary columns non-zero there
    for i, b in enumerate(prim):
        for r in b:
            touching.setdefault(r, set()).add(i)
    made: dict[int, int] = {}  # inner cell → the pivot made there (its creation number)
    pivots: list[tuple[int, dict[int, int]]] = []  # (inner cell, column scaled to 1 there)
    secondary: list[int] = []
    for pos, c in enumerate(_sparse_columns(xs, np.asarray(candidates, dtype=np.int64), p)):
        heap = [made[r] for r in c if r in made]
        heapq.heapify(heap)
        while heap:  # reduce by the published span, oldest pivot first
            r, v = pivots[heapq.heappop(heap)]
            f = c.get(r)
            if not f:
                continue
            for rr, y in v.items():
                nv = (c.get(rr, 0) - f * y) % p
                if nv:
                    if rr not in c and rr in made:
                        heapq.heappush(heap, made[rr])
                    c[rr] = nv
                else:
                    c.pop(rr, None)
        if not c:
            continue  # implied by the published cells: published
        r = next((rr for rr in c if not touching.get(rr)), -1)  # a pivot no primary column touches: no work
        if r < 0:
            r = min(c, key=lambda rr: len(touching[rr]))
        inv = inverse(c[r], p)
        v = {rr: y * inv % p for rr, y in c.items()}
        reduced = {}
        for i in touching.get(r, ()):
            b = dict(prim[i])
            f = b[r]
            for rr, y in v.items():
                nv = (b.get(rr, 0) - f * y) % p
                if nv:
                    b[rr] = nv
                else:
                    b.pop(rr, None)
            if not b:  # the primary cell would be recoverable: hide the candidate
                break
            reduced[i] = b
        else:
            for i, b in reduced.items():
                for rr in prim[i].keys() - b.keys():
                    touching[rr].discard(i)
                for rr in b.keys() - prim[i].keys():
                    touching.setdefault(rr, set()).add(i)
                prim[i] = b
            made[r] = len(pivots)
            pivots.append((r, v))
            continue
        secondary.append(pos)
    return np.asarray(secondary, dtype=np.int64)


def _sparse_columns(x: sp.csc_matrix, columns: np.ndarray, p: int) -> list[dict[int, int]]:
    """Columns of ``x`` as ``{row: value mod p}``."""
    xs = x[:, columns]
    xs.sort_indices()
    rows = xs.indices.tolist()
    values = (xs.data % p).tolist()
    bounds = xs.indptr.tolist()
    return [
        dict(zip(rows[a:b], values[a:b], strict=True)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    ]


def in_span(x: np.ndarray, published: np.ndarray, targets: np.ndarray, p: int) -> np.ndarray:
    """For each column of ``targets``: does it lie in the span of the ``published`` columns of ``x``?"""
    basis = (np.asarray(x)[:, published] % p).astype(np.int64)
    t = (np.asarray(targets) % p).astype(np.int64)
    rank_b, _ = _rank(basis.copy(), p)
    out = np.zeros(t.shape[1], dtype=bool)
    for i in range(t.shape[1]):
        r, _ = _rank(np.column_stack([basis, t[:, i]]), p)
        out[i] = r == rank_b
    return out


def _rank(m: np.ndarray, p: int) -> tuple[int, np.ndarray]:
    m = m % p
    rank = 0
    pivots = []
    n_rows, n_cols = m.shape
    for c in range(n_cols):
        if rank == n_rows:
            break
        nz = np.flatnonzero(m[rank:, c])
        if nz.size == 0:
            continue
        r = rank + int(nz[0])
        if r != rank:
            m[[rank, r]] = m[[r, rank]]
        m[rank] = (m[rank] * inverse(m[rank, c], p)) % p
        others = np.flatnonzero(m[:, c])
        others = others[others != rank]
        if others.size:
            m[others] = (m[others] - (m[others, c][:, None] * m[rank][None, :]) % p) % p
        pivots.append(c)
        rank += 1
    return rank, np.asarray(pivots, dtype=np.int64)


# ---------------------------------------------------------------------------------------------------------------
# Reduced row echelon form with the combinations that produce each row (for the attacker)
# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Echelon:
    """RREF of a matrix ``a`` (rows × unknowns) mod p: ``rows`` (rank × unknowns), ``pivots`` (the pivot column
    of each row), ``combination`` (rank × original rows: row i of ``rows`` = combination[i] @ a mod p)."""

    rows: np.ndarray
    pivots: np.ndarray
    combination: np.ndarray
    p: int

    def determined(self) -> tuple[np.ndarray, np.ndarray]:
        """Unknowns the system fixes (a row that is a unit vector) and the index of that row."""
        nnz = np.count_nonzero(self.rows, axis=1)
        unit = np.flatnonzero(nnz == 1)
        return self.pivots[unit], unit


def echelon(a: np.ndarray, p: int) -> Echelon:
    """Gauss–Jordan elimination of ``a`` mod p, tracking the combination of original rows behind each row."""
    a = np.asarray(a, dtype=np.int64) % p
    n_rows, n_cols = a.shape
    m = np.concatenate([a, np.eye(n_rows, dtype=np.int64)], axis=1)
    rank = 0
    pivots = []
    for c in range(n_cols):
        if rank == n_rows:
            break
        nz = np.flatnonzero(m[rank:, c])
        if nz.size == 0:
            continue
        r = rank + int(nz[0])
        if r != rank:
            m[[rank, r]] = m[[r, rank]]
        m[rank] = (m[rank] * inverse(m[rank, c], p)) % p
        others = np.flatnonzero(m[:, c])
        others = others[others != rank]
        if others.size:
            m[others] = (m[others] - (m[others, c][:, None] * m[rank][None, :]) % p) % p
        pivots.append(c)
        rank += 1
    return Echelon(m[:rank, :n_cols], np.asarray(pivots, dtype=np.int64), m[:rank, n_cols:], p)


def determined(
    n_rows: int,
    n_cols: int,
    r: np.ndarray,
    c: np.ndarray,
    v: np.ndarray,
    b: np.ndarray,
    p: int,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Unknowns fixed by the sparse system ``a x = b`` (mod p), ``a[r, c] += v``; values in the symmetric range.

    The relations of published tables are very sparse (a few unknowns each) and their elimination fills in little,
    so the system is reduced to row echelon form with rows held as ``{column: value}`` (rows shortest first,
    columns in order of how few relations hold them: little fill-in). Then, instead of the reduced form:

    * a particular solution ``x0`` (free unknowns 0) by back substitution, and
    * two vectors ``z1``, ``z2`` of the null space, free unknowns drawn at random from 1 … p − 1.

    An unknown is fixed iff it is 0 in every null-space vector; then its value is ``x0``'s. For an unknown that
    is not fixed, ``z`` at it is a non-zero linear form of the random free values, zero with probability at most
    1/(p − 1) (Schwartz–Zippel); with two independent vectors at most 1/(p − 1)² < 2^-60. The only possible
    error is to call an unknown fixed that is not — the attacker then claims more than it can, and the engine
    hides more: the safe side.
    """
    p = int(p)
    degree = np.bincount(np.asarray(c, dtype=np.int64), minlength=n_cols)
    order = np.argsort(degree, kind="stable")  # elimination order of columns
    rank_of = np.empty(n_cols, dtype=np.int64)
    rank_of[order] = np.arange(n_cols)
    rows: list[dict[int, int]] = [{} for _ in range(n_rows)]
    entries = zip(
        np.asarray(r).tolist(),
        rank_of[np.asarray(c, dtype=np.int64)].tolist(),
        (np.asarray(v) % p).tolist(),
        strict=True,
    )
    for i, j, x in entries:
        row = rows[i]
        row[j] = (row.get(j, 0) + x) % p
    rhs = (np.asarray(b, dtype=np.int64) % p).tolist()
    pivot: dict[int, tuple[dict[int, int], int]] = {}  # leading column → (row scaled to 1 there, its rhs)
    for i in sorted(range(n_rows), key=lambda i: len(rows[i])):
        row = {j: x for j, x in rows[i].items() if x}
        y = rhs[i]
        heap = list(row)
        heapq.heapify(heap)
        while heap:  # eliminate the leading column while a pivot row has it
            col = heapq.heappop(heap)
            f = row.get(col)
            if f is None:
                continue
            known = pivot.get(col)
            if known is None:
                inv = inverse(f, p)
                pivot[col] = ({j: x * inv % p for j, x in row.items()}, y * inv % p)
                break
            prow, py = known
            for j, x in prow.items():
                nv = (row.get(j, 0) - f * x) % p
                if nv:
                    if j not in row:
                        heapq.heappush(heap, j)
                    row[j] = nv
                else:
                    row.pop(j, None)
            y = (y - f * py) % p
    rng = np.random.default_rng(seed)
    draw1, draw2 = (rng.integers(1, p, n_cols).tolist() for _ in range(2))  # the free unknowns' values
    x0: dict[int, int] = {}
    z1: dict[int, int] = {}
    z2: dict[int, int] = {}
    for col in sorted(pivot, reverse=True):  # back substitution, last pivot first
        prow, py = pivot[col]
        s0, s1, s2 = py, 0, 0
        for j, x in prow.items():
            if j == col:
                continue
            if j not in z1:  # a free unknown, met for the first time
                x0[j] = 0
                z1[j], z2[j] = draw1[j], draw2[j]
            s0 -= x * x0[j]
            s1 -= x * z1[j]
            s2 -= x * z2[j]
        x0[col], z1[col], z2[col] = s0 % p, s1 % p, s2 % p
    fixed = sorted(col for col in pivot if z1[col] == 0 and z2[col] == 0)
    if not fixed:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    unknowns = order[np.asarray(fixed, dtype=np.int64)]
    values = lift(np.asarray([x0[col] for col in fixed], dtype=np.int64), p).astype(np.float64)
    by = np.argsort(unknowns, kind="stable")
    return unknowns[by], values[by]
