"""The engine: primary suppression, secondary suppression by Gaussian elimination over the linked tables' model
matrix (Statistics Norway's GaussSuppression), and an audit by the attacker with repairs until nothing hidden can
be recovered.

1. **Primary** (:mod:`gcdb.disclosure.primary`): small counts, small quantities, dominated amounts.
2. **Secondary, block by block** (fiscal year × service): the model matrix of the block (each published cell as
   the sum of the inner cells of the records) and GaussSuppression (:func:`gcdb.disclosure.modular.
   gauss_suppression`): candidates from the most wanted for publication to the least — published zeros first
   (unless ``Policy.secondary_zeros``), then the largest cells — each published unless it would put a primary
   cell in the span of the published cells, in which case it is hidden (secondary). Hiding the smallest cells is
   the cost GaussSuppression minimises greedily; a hidden cell is protected iff its column is not in the span.
3. **Audit and repair over every table at once**: the attacker (:func:`gcdb.disclosure.attack.attack`) is run on
   what would be published — relations across blocks (cells over several services, the same group in two
   tables), bounds (hidden counts add up to their minimum), quantities next to counts, derived numbers. Every
   hidden cell it recovers gets the smallest published cell of the relation that gave it away hidden too, and
   the attack runs again, until it recovers nothing (at most ``Policy.max_rounds`` rounds; hiding more never
   reveals more, so every round makes progress).

The model matrix uses the inner cells present in the records: an empty combination is treated as known to be
empty, which is what an attacker with the most knowledge would assume — protection against that attacker is
protection against any weaker one.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from gcdb.disclosure import modular
from gcdb.disclosure import spec as S
from gcdb.disclosure.attack import SUBTRACTION, AttackReport, attack
from gcdb.disclosure.cells import Cells
from gcdb.disclosure.model import Relations, blocks, coupling_parts, relations
from gcdb.disclosure.primary import primary_cells
from gcdb.errors import GcdbError
from gcdb.i18n import Message


@dataclass(frozen=True)
class Protection:
    """The result of :func:`protect`.

    ``hidden``/``primary`` per cell of ``cells``; ``reason``: why a primary cell is primary; ``rounds``: audit
    rounds run; ``repaired``: cells hidden by the audit's repairs (after the Gaussian elimination);
    ``seconds``: time per step; ``audit``: the attacker's last report (nothing recovered).
    """

    cells: Cells
    hidden: np.ndarray
    primary: np.ndarray
    reason: np.ndarray
    rounds: int
    repaired: int
    seconds: dict[str, float]
    prime: int
    audit: AttackReport | None = field(default=None, repr=False)
    relations: Relations | None = field(default=None, repr=False)

    def status(self) -> np.ndarray:
        """Per cell: ``primary``, ``secondary`` or ``""``."""
        return np.where(self.primary, S.PRIMARY, np.where(self.hidden, S.SECONDARY, S.PUBLISHED))

    def entries(self) -> pd.DataFrame:
        """Per published number: ``table, row, column, measure, cell, hidden, status``."""
        e = self.cells.entries
        c = e[S.CELL].to_numpy(dtype=np.int64)
        out = e[[S.TABLE, S.ROW, S.COLUMN, S.MEASURE, S.CELL]].copy()
        out["hidden"] = self.hidden[c]
        out[S.STATUS] = pd.array(self.status()[c], dtype="str")
        return out

    def counts(self, by: str | None = None) -> pd.DataFrame:
        """Per table (and ``(all)`` for the distinct cells of every table): cells, hidden, primary, secondary.

        ``by``: a dimension to split the counts by as well (``fiscal_year`` for the methodology sheet).
        """
        e = self.entries().drop_duplicates([S.TABLE, S.CELL])
        keys = [S.TABLE]
        distinct = pd.DataFrame({S.CELL: np.arange(self.cells.n_cells), S.TABLE: "(all)"})
        if by is not None:
            labels = self.cells.key_frame()[by].to_numpy()
            e[by] = labels[e[S.CELL].to_numpy(dtype=np.int64)]
            distinct[by] = labels
            keys.append(by)
        status = self.status()
        frame = pd.concat([e[[*keys, S.CELL]], distinct[[*keys, S.CELL]]], ignore_index=True)
        c = frame[S.CELL].to_numpy(dtype=np.int64)
        frame["hidden"] = self.hidden[c]
        frame["primary"] = status[c] == S.PRIMARY
        frame["secondary"] = status[c] == S.SECONDARY
        out = frame.groupby(keys, sort=False).agg(
            cells=(S.CELL, "size"),
            hidden=("hidden", "sum"),
            primary=("primary", "sum"),
            secondary=("secondary", "sum"),
        )
        out = out.astype(np.int64).reset_index()
        last = out[S.TABLE] == "(all)"
        return pd.concat([out[~last].sort_values(keys), out[last]], ignore_index=True)

    def published(self) -> Cells:
        """The registry as it would be published: hidden numbers missing, marked primary or secondary."""
        return published_view(self.cells, self.hidden, self.primary)


def published_view(cells: Cells, hidden: np.ndarray, primary: np.ndarray) -> Cells:
    """``cells`` with the numbers of hidden cells removed and their status set; derived numbers made of a
    hidden cell removed too."""
    e = cells.entries.copy()
    c = e[S.CELL].to_numpy(dtype=np.int64)
    e[S.VALUE] = e[S.VALUE].mask(hidden[c])
    e[S.STATUS] = pd.array(
        np.where(primary[c], S.PRIMARY, np.where(hidden[c], S.SECONDARY, S.PUBLISHED)), dtype="str"
    )
    der = cells.derived.copy()
    if len(der):
        nc = der["num_cell"].to_numpy(dtype=np.int64)
        dc = der["den_cell"].to_numpy(dtype=np.int64)
        gone = ((nc >= 0) & hidden[np.maximum(nc, 0)]) | ((dc >= 0) & hidden[np.maximum(dc, 0)])
        der[S.VALUE] = pd.to_numeric(der[S.VALUE]).mask(gone)
    return dataclasses.replace(cells, entries=e, derived=der)


def _weights(cells: Cells) -> np.ndarray:
    """The size of every cell for the candidate order: persons, else records, quantity, amount."""
    w = np.full(cells.n_cells, np.nan)
    for m in (S.USERS, S.USES, S.QUANTITY, S.AMOUNT):
        if m in cells.measures():
            v, _, _ = cells.values(m)
            w = np.where(np.isnan(w), v, w)
    return np.nan_to_num(w)


def _with_private_atoms(x: np.ndarray, nonzero: np.ndarray) -> np.ndarray:
    """A cell with a value but no inner cell (its records were not given) gets an inner cell of its own."""
    lonely = np.flatnonzero(~x.any(axis=0) & nonzero)
    if not lonely.size:
        return x
    extra = np.zeros((lonely.size, x.shape[1]), dtype=bool)
    extra[np.arange(lonely.size), lonely] = True
    return np.vstack([x, extra])


def _candidate_order(
    weight: np.ndarray, x: np.ndarray, secondary_zeros: bool, priority: np.ndarray | None = None
) -> np.ndarray:
    """GaussSuppression's default order (``CandidatesDefault``): published zeros first (never hidden as
    secondary unless allowed), then the largest cells; ties go to the cell whose inner cells lie in the larger
    published cells (``tie = xᵀ x (n + 1)``), so the cell hidden among equals sits in the smaller margins.
    ``priority`` (higher first) comes before size: the cells of the main tables are published before cells
    that only a secondary table shows."""
    xs = sp.csr_matrix(x, dtype=np.float64)  # sparse: two products, no dense float copy of the block
    tie = np.asarray(xs.T @ (xs @ (weight + 1.0))).reshape(-1)
    tie = tie / tie.max() if len(tie) and tie.max() > 0 else tie
    score = weight + 1.0 + 0.99 * tie
    if not secondary_zeros:
        score = np.where(weight == 0, score.max(initial=0.0) + 1.0 + score, score)
    if priority is None:
        return np.argsort(-score, kind="stable")
    zero_first = (weight == 0) if not secondary_zeros else np.zeros(len(weight), dtype=bool)
    return np.lexsort((-score, -np.asarray(priority, dtype=np.float64), ~zero_first))


def protect(
    cells: Cells,
    *,
    atoms: pd.DataFrame | None = None,
    policy: S.Policy | None = None,
    rel: Relations | None = None,
    priority: np.ndarray | None = None,
) -> Protection:
    """Decide which cells to hide (see the module docstring). ``cells`` hold the true numbers; ``atoms``: the
    inner cells (records or their distinct combinations) with one column per dimension; ``priority``: per cell,
    higher to publish first (and to hide last in the audit's repairs)."""
    policy = policy or S.Policy()
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    primary, reason = primary_cells(cells, policy)
    weight = _weights(cells)
    p = modular.choose_prime(policy.seed)
    block_list, coupling = blocks(cells, atoms)
    parts = coupling_parts(cells, block_list, coupling)
    model = _Model(cells, block_list, parts, weight, policy, p)
    model.priority = None if priority is None else np.asarray(priority, dtype=np.float64)
    seconds["model"] = time.perf_counter() - t0
    protected = primary.copy()  # hidden and in need of protection: primary cells, then the audit's repairs
    t1 = time.perf_counter()
    model.eliminate(protected, range(len(block_list)))
    seconds["gauss"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    rel = rel if rel is not None else relations(cells)
    seconds["relations"] = time.perf_counter() - t2
    t3 = time.perf_counter()
    rounds, repaired, report = 0, 0, None
    while True:
        hidden = protected | model.secondary
        report = attack(
            published_view(cells, hidden, primary), k=policy.k, rel=rel, seed=policy.seed + 1, explain=False
        )
        rounds += 1
        if report.n_recovered == 0:
            break
        if rounds >= policy.max_rounds:
            raise GcdbError(Message("disclosure.rounds", rounds=rounds, n=report.n_recovered))
        fix = _repairs(report, rel, hidden, weight, policy, priority)
        if not fix.size:
            raise GcdbError(Message("disclosure.nothing_to_hide"))
        protected[fix] = True
        repaired += int(fix.size)
        model.keep = model.keep or rounds >= policy.max_rounds // 2  # make sure the rounds converge
        model.eliminate(protected, model.blocks_of(fix))
    seconds["audit"] = time.perf_counter() - t3
    seconds["total"] = time.perf_counter() - t0
    return Protection(cells, hidden, primary, reason, rounds, repaired, seconds, p, report, rel)


class _Model:
    """The block-wise model matrices with the coupling cells' parts, and the secondary cells they give.

    A cell over several blocks (all services, a department) is published only when its part in every block is
    published there as a candidate of that block's elimination (publishing the parts one by one tells more than
    their sum, so this is safe); a part a block has to hide makes the cell secondary. A coupling cell that must
    itself be protected is protected through its smallest part (fewest inner cells), as an extra primary vector
    of that block.
    """

    def __init__(self, cells, block_list, parts, weight, policy, p):
        self.cells, self.blocks, self.parts, self.weight, self.policy, self.p = (
            cells,
            block_list,
            parts,
            weight,
            policy,
            p,
        )
        self.block_of = np.full(cells.n_cells, -1, dtype=np.int64)
        self.matrices = []
        self.reach: dict[int, list[int]] = {}
        home: dict[int, tuple[int, int]] = {}
        for i, b in enumerate(block_list):
            self.block_of[b.cells] = i
            x = b.x
            if parts[i]:
                x = np.column_stack([x, np.column_stack([col for _, col in parts[i]])])
            self.matrices.append(
                _with_private_atoms(x, np.r_[weight[b.cells] != 0, np.zeros(len(parts[i]), bool)])
            )
            for c, col in parts[i]:
                self.reach.setdefault(c, []).append(i)
                size = int(col.sum())
                if c not in home or size < home[c][1]:
                    home[c] = (i, size)
        self.home = {c: i for c, (i, _) in home.items()}
        self.secondary = np.zeros(cells.n_cells, dtype=bool)
        self.rejected: dict[int, set[int]] = {}  # coupling cell → blocks that hide its part
        self.keep = False
        self.priority: np.ndarray | None = None

    def blocks_of(self, fix: np.ndarray) -> list[int]:
        out = set()
        for c in fix.tolist():
            if self.block_of[c] >= 0:
                out.add(int(self.block_of[c]))
            out |= set(self.reach.get(c, []))
        return sorted(out)

    def eliminate(self, protected: np.ndarray, which) -> None:
        policy, weight = self.policy, self.weight
        for i in which:
            b, x = self.blocks[i], self.matrices[i]
            ext = np.asarray([c for c, _ in self.parts[i]], dtype=np.int64)
            ids = np.r_[b.cells, ext]
            if not self.keep:
                self.secondary[b.cells] = False
                for c in ext.tolist():
                    self.rejected.get(c, set()).discard(i)
            is_part = np.r_[np.zeros(len(b.cells), bool), np.ones(len(ext), bool)]
            must = protected[ids] & (~is_part | np.asarray([self.home.get(int(c)) == i for c in ids]))
            local = np.flatnonzero(must)
            if local.size:
                prio = None if self.priority is None else self.priority[ids]
                order = _candidate_order(weight[ids], x, policy.secondary_zeros, prio)
                order = order[~protected[ids][order]]
                if not policy.secondary_zeros:
                    order = order[weight[ids][order] != 0]
                found = order[modular.gauss_suppression(x, order, local, self.p)]
                for j in found.tolist():
                    if j < len(b.cells):
                        self.secondary[b.cells[j]] = True
                    else:
                        self.rejected.setdefault(int(ids[j]), set()).add(i)
        for c, where in self.rejected.items():
            self.secondary[c] = bool(where) or (self.keep and self.secondary[c])


def _repairs(
    report: AttackReport,
    rel: Relations,
    hidden: np.ndarray,
    weight: np.ndarray,
    policy: S.Policy,
    priority: np.ndarray | None = None,
):
    """Published cells to hide so that every recovery to repair (:func:`_roots`) loses one cell of the relations
    that gave it away: greedily the cell of the lowest priority in the most of them, the smallest among
    equals."""
    matrix = rel.matrix.tocsr()
    by_cell = rel.matrix.tocsc()
    n_real = rel.n_real
    options: list[np.ndarray] = []
    for (_measure, cell), direct in _roots(report, matrix, n_real, hidden, rel.known_zero).items():
        rows = (
            sorted(direct)
            if direct
            else by_cell.indices[by_cell.indptr[cell] : by_cell.indptr[cell + 1]].tolist()
        )
        members = np.unique(
            np.concatenate([matrix.indices[matrix.indptr[r] : matrix.indptr[r + 1]] for r in rows])
        )
        members = members[(members < n_real) & (members != cell)]
        members = members[~hidden[members] & ~rel.known_zero[members]]
        if not policy.secondary_zeros:
            nonzero = members[weight[members] != 0]
            members = nonzero if nonzero.size else members
        if members.size:
            options.append(members)
    chosen: set[int] = set()
    while options:
        flat = np.concatenate(options)
        cand, count = np.unique(flat, return_counts=True)
        prio = np.zeros(len(cand)) if priority is None else np.asarray(priority, dtype=np.float64)[cand]
        pick = int(cand[np.lexsort((-cand, weight[cand], -count, prio))[0]])
        chosen.add(pick)
        options = [m for m in options if pick not in m]
    return np.asarray(sorted(chosen), dtype=np.int64)


def _roots(report: AttackReport, matrix, n_real: int, hidden: np.ndarray, known_zero: np.ndarray) -> dict:
    """The recoveries to repair in this round: those a relation gives from published cells alone (with the
    cells the same relation fixes at their bounds), and those of the other methods. A subtraction that builds on
    another recovered number goes away with it more often than not, so it is repaired only if it is still there
    in the next round; when every recovery builds on another one, all are repaired."""
    recovered = report.recovered
    method = dict(
        zip(
            zip(recovered[S.MEASURE].astype("str"), recovered[S.CELL].astype("int64"), strict=True),
            recovered["method"].astype("str"),
            strict=True,
        )
    )
    roots = {}
    for key, direct in report.direct.items():
        measure, cell = key
        if method.get(key) != SUBTRACTION or not direct:
            roots[key] = direct
            continue
        for r in direct:
            members = matrix.indices[matrix.indptr[r] : matrix.indptr[r + 1]]
            members = members[members != cell]
            own = np.asarray(
                [m < n_real and r in report.direct.get((measure, int(m)), ()) for m in members.tolist()],
                dtype=bool,
            )
            real = members < n_real
            published = real & ~hidden[np.minimum(members, n_real - 1)]
            if (published | known_zero[members] | own).all():
                roots[key] = direct
                break
    return roots if roots else dict(report.direct)
