"""The attacker: what can be recovered from the published tables alone?

Given only what was published — every table with its keys, hidden numbers missing — :func:`attack` rebuilds
every additive relation between cells across all tables (:func:`gcdb.disclosure.model.relations`: a margin is the
sum of its cells, the same group in two tables is the same number, a cell inside a published zero is zero) and
tries to recover every hidden number exactly, measure by measure:

1. **published elsewhere** — the same cell is hidden in one table and shown in another;
2. **subtraction** — a relation with one unknown left gives it (repeated: every recovery is used again);
3. **linear algebra** — the remaining system, per connected group of unknowns, in reduced row echelon form over
   GF(p) (:mod:`gcdb.disclosure.modular`): an unknown whose row is a unit vector is fixed by the published cells;
4. **bounds** — a hidden count is at least 1 (zeros are published) and, when marked primary, at most k − 1; a
   relation whose unknowns must add up to the sum of their lower (or upper) bounds fixes every one of them
   ("two hidden cells, both < 5, add up to 2: both are 1"); a count is at most its records, and records are at
   most the quantity when every record carries at least one unit ("1 night in the shelter: 1 woman");
5. **derived numbers** — a published rate, share or amount per user next to a hidden count with its other part
   known gives the count back (``count = rate × population / 1000``).

An amount recovered as 0 (nothing was spent there, as the totals already say) is not reported.

Steps repeat until nothing new is found. Every recovered number is reported with the method and the published
cells used (``table:row:column``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from gcdb.disclosure import modular
from gcdb.disclosure import spec as S
from gcdb.disclosure.cells import Cells
from gcdb.disclosure.model import Relations, relations

#: Method names in the report.
ELSEWHERE, SUBTRACTION, LINEAR, BOUNDS, DERIVED = (
    "published_elsewhere",
    "subtraction",
    "linear",
    "bounds",
    "derived",
)
#: Components with more unknowns than this are solved without tracking the relations used.
TRACK_LIMIT = 800
REPORT_COLUMNS = (S.TABLE, S.ROW, S.COLUMN, S.MEASURE, S.STATUS, S.CELL, "recovered", "method", "used")


@dataclass(frozen=True)
class AttackReport:
    """What the attacker recovered.

    ``recovered``: one row per hidden published number recovered (columns :data:`REPORT_COLUMNS`);
    ``hidden``: hidden numbers (entries) and cells per measure; ``seconds``: run time.
    """

    recovered: pd.DataFrame
    hidden: pd.DataFrame
    seconds: float
    notes: list[str] = field(default_factory=list)
    #: (measure, cell) → the relations that gave the cell away directly (for the engine's repairs)
    direct: dict[tuple[str, int], set[int]] = field(default_factory=dict, repr=False)

    @property
    def n_recovered(self) -> int:
        return len(self.recovered)

    def cells(self) -> pd.DataFrame:
        """Recovered cells (one row per cell and measure), with the tables they are hidden in."""
        r = self.recovered
        if r.empty:
            return r
        return (
            r.groupby([S.MEASURE, S.CELL], sort=True)
            .agg(
                recovered=("recovered", "first"),
                method=("method", "first"),
                primary=(S.STATUS, lambda s: bool((s == S.PRIMARY).any())),
                tables=(S.TABLE, lambda s: ",".join(sorted(set(s)))),
            )
            .reset_index()
        )

    def summary(self) -> pd.DataFrame:
        """Per measure: hidden cells, recovered cells, recovered primary cells, by method."""
        cells = self.cells()
        out = self.hidden.copy()
        if cells.empty:
            out["recovered_cells"] = 0
            out["recovered_primary"] = 0
            return out
        rec = cells.groupby(S.MEASURE).agg(
            recovered_cells=(S.CELL, "size"), recovered_primary=("primary", "sum")
        )
        out = out.merge(rec, left_on=S.MEASURE, right_index=True, how="left").fillna(0)
        for m in (ELSEWHERE, SUBTRACTION, LINEAR, BOUNDS, DERIVED):
            counts = cells[cells["method"] == m].groupby(S.MEASURE).size()
            out[m] = out[S.MEASURE].map(counts).fillna(0).astype(np.int64)
        out["recovered_cells"] = out["recovered_cells"].astype(np.int64)
        out["recovered_primary"] = out["recovered_primary"].astype(np.int64)
        return out


class _State:
    """Knowledge about one measure: value (NaN unknown), method and provenance of every recovery."""

    def __init__(self, n: int):
        self.value = np.full(n, np.nan)
        self.method = np.full(n, "", dtype=object)
        self.used: dict[int, set[int]] = {}  # cell → every relation behind its recovery
        self.direct: dict[int, set[int]] = {}  # cell → the relations that gave it directly
        # groups of relations and unknowns whose elimination fixed nothing: which unknowns a system fixes
        # depends on its matrix alone, so the same group fixes nothing later either
        self.settled: set[tuple[bytes, bytes]] = set()

    def learn(self, cells, values, method: str, used: list[set[int]] | None = None, direct=None) -> int:
        cells = np.asarray(cells, dtype=np.int64)
        new = np.isnan(self.value[cells])
        idx = np.flatnonzero(new)
        cells, values = cells[new], np.asarray(values)[new]
        self.value[cells] = values
        self.method[cells] = method
        for j, c in zip(idx.tolist(), cells.tolist(), strict=True):
            if used is not None:
                self.used[c] = used[j]
            d = direct[j] if direct is not None else (used[j] if used is not None else set())
            self.direct[c] = d
        return len(cells)


def _bounds(cells: Cells, measure: str, n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of every cell of a count measure from the published status markers."""
    lower = np.zeros(n)
    upper = np.full(n, np.inf)
    if measure not in (S.USERS, S.USES):
        return lower, upper
    e = cells.entries[(cells.entries[S.MEASURE] == measure).to_numpy()]
    hidden = e[S.VALUE].isna().to_numpy()
    c = e[S.CELL].to_numpy(dtype=np.int64)
    primary = hidden & (e[S.STATUS].to_numpy(dtype=object) == S.PRIMARY)
    lower[c[primary]] = 1.0
    if measure == S.USERS:  # the status marks the count of persons; records of a small group can be many
        upper[c[primary]] = float(k - 1)
    return lower, upper


def _substitute(a: sp.csr_matrix, state: _State) -> int:
    """Relations with one unknown left give it; repeat. Returns the number of cells learnt."""
    learnt = 0
    while True:
        unk = np.isnan(state.value)
        unk_cols = unk.astype(np.float64)
        count = a.astype(bool).astype(np.float64) @ unk_cols
        single = np.flatnonzero(count == 1)
        if not single.size:
            return learnt
        sub = a[single]
        known_part = sub.multiply(np.nan_to_num(state.value)[None, :]).sum(axis=1).A1
        target = sub.multiply(unk[None, :]).tocsr()
        target.eliminate_zeros()
        col = target.indices
        coef = target.data
        row = np.repeat(np.arange(len(single)), np.diff(target.indptr))
        values = -known_part[row] / coef
        # one relation per cell (the first), and only cells still unknown
        cells_, first = np.unique(col, return_index=True)
        chosen = single[row[first]]
        used, direct = [], []
        for r in chosen.tolist():
            members = a.indices[a.indptr[r] : a.indptr[r + 1]]
            prior = set().union(*(state.used.get(int(m), set()) for m in members))
            used.append({int(r)} | prior)
            direct.append({int(r)})
        n = state.learn(cells_, values[first], SUBTRACTION, used, direct)
        if n == 0:
            return learnt
        learnt += n


def _peel(a: sp.csr_matrix, unk: np.ndarray) -> np.ndarray:
    """Relations that can still fix an unknown: drop every relation holding an unknown that appears in no other
    relation (that unknown absorbs it), repeatedly. Returns the mask of relations kept."""
    pattern = a.astype(bool).astype(np.int64).tocsc()
    keep = np.asarray(pattern.astype(bool).astype(np.float64) @ unk.astype(np.float64) > 0).reshape(-1)
    while True:
        per_unknown = (pattern.T @ keep.astype(np.int64)) * unk
        lonely = (per_unknown == 1) & unk
        if not lonely.any():
            return keep
        drop = (pattern @ lonely.astype(np.int64)) > 0
        drop &= keep
        if not drop.any():
            return keep
        keep &= ~drop


def _linear(a: sp.csr_matrix, state: _State, p: int, exact_values: bool) -> int:
    """Solve the remaining system per connected group of unknowns; learn every unknown it fixes."""
    unk = np.isnan(state.value)
    keep = _peel(a, unk)
    rows = np.flatnonzero(keep)
    if not rows.size:
        return 0
    sub = a[rows]
    cols = np.flatnonzero(unk & (np.asarray(sub.astype(bool).sum(axis=0)).reshape(-1) > 0))
    if not cols.size:
        return 0
    au = sub[:, cols].tocsr()
    rhs = -(sub.multiply(np.nan_to_num(state.value)[None, :]).sum(axis=1).A1)
    nr = au.shape[0]
    graph = sp.bmat([[None, au], [au.T, None]]).tocsr()
    _, label = connected_components(graph, directed=False)
    learnt = 0
    row_label, col_label = label[:nr], label[nr:]
    order_r = np.argsort(row_label, kind="stable")
    order_c = np.argsort(col_label, kind="stable")
    # every component's rows, columns and entries, cut from sorted arrays (no sparse slicing per component)
    n_comp = int(label.max()) + 1 if label.size else 0
    r_start = np.searchsorted(row_label[order_r], np.arange(n_comp + 1))
    c_start = np.searchsorted(col_label[order_c], np.arange(n_comp + 1))
    local_r = np.empty(nr, dtype=np.int64)
    local_r[order_r] = np.arange(nr) - r_start[row_label[order_r]]
    local_c = np.empty(len(cols), dtype=np.int64)
    local_c[order_c] = np.arange(len(cols)) - c_start[col_label[order_c]]
    coo = au.tocoo()
    e_label = row_label[coo.row]
    e_order = np.argsort(e_label, kind="stable")
    e_start = np.searchsorted(e_label[e_order], np.arange(n_comp + 1))
    e_r, e_c = local_r[coo.row[e_order]], local_c[coo.col[e_order]]
    e_v = np.asarray(coo.data, dtype=np.int64)[e_order]
    for comp in np.unique(col_label):
        rr = order_r[r_start[comp] : r_start[comp + 1]]
        cc = order_c[c_start[comp] : c_start[comp + 1]]
        if len(rr) < 2 and len(cc) > 1:
            continue
        signature = (rows[rr].tobytes(), cols[cc].tobytes())
        if signature in state.settled:
            continue
        lo, hi = e_start[comp], e_start[comp + 1]
        b = rhs[rr]
        # which unknowns the group fixes, by sparse elimination; most groups fix none
        fixed, values = modular.determined(
            len(rr), len(cc), e_r[lo:hi], e_c[lo:hi], e_v[lo:hi], np.rint(b).astype(np.int64), p
        )
        if not fixed.size:
            state.settled.add(signature)
            continue
        used: list[set[int]] = [set() for _ in range(len(fixed))]
        if len(rr) <= TRACK_LIMIT:  # small enough to track the relations behind each value (for the repairs)
            dense = np.zeros((len(rr), len(cc)), dtype=np.int64)
            np.add.at(dense, (e_r[lo:hi], e_c[lo:hi]), e_v[lo:hi])
            ech = modular.echelon(dense, p)
            fixed, at = ech.determined()
            comb = modular.lift(ech.combination[at], p).astype(np.float64)
            values = comb @ b
            used = [set(rows[rr[np.flatnonzero(c)]].tolist()) for c in comb]
        if exact_values:
            values = np.rint(values)
        learnt += state.learn(cols[cc[fixed]], values, LINEAR, used)
    return learnt


def _bound_attack(a: sp.csr_matrix, state: _State, lower: np.ndarray, upper: np.ndarray) -> int:
    """Relations whose unknowns (all with the same sign) must sit at their lower or upper bounds."""
    unk = np.isnan(state.value)
    pattern = a.multiply(unk[None, :]).tocsr()
    pattern.eliminate_zeros()
    n_unknown = np.diff(pattern.indptr)
    rows = np.flatnonzero(n_unknown >= 2)
    if not rows.size:
        return 0
    sub = pattern[rows]
    pos = np.asarray((sub > 0).sum(axis=1)).reshape(-1)
    neg = np.asarray((sub < 0).sum(axis=1)).reshape(-1)
    same = (pos == 0) | (neg == 0)
    rows, sub = rows[same], sub[same]
    sign = np.where(pos[same] > 0, 1.0, -1.0)
    known_part = a[rows].multiply(np.nan_to_num(state.value)[None, :]).sum(axis=1).A1
    total = -known_part * sign  # Σ unknowns
    absub = abs(sub)
    lo = absub @ lower
    hi = absub @ np.where(np.isinf(upper), 1e300, upper)
    at_lo = np.isclose(total, lo)
    at_hi = np.isclose(total, hi) & (hi < 1e299)
    learnt = 0
    for mask, bound in ((at_lo, lower), (at_hi, upper)):
        for i in np.flatnonzero(mask):
            members = sub.indices[sub.indptr[i] : sub.indptr[i + 1]]
            used = [{int(rows[i])}] * len(members)
            learnt += state.learn(members, bound[members], BOUNDS, used)
    return learnt


def _measure_attack(
    cells, rel: Relations, measure: str, k: int, p: int, extra: dict
) -> tuple[_State, np.ndarray]:
    n = rel.matrix.shape[1]
    value, exists, hidden = cells.values(measure)
    state = _State(n)
    state.settled = extra.setdefault(
        "settled", set()
    )  # shared by the measures: it depends on the matrix alone
    pub = np.zeros(n, dtype=bool)
    pub[: rel.n_real] = ~np.isnan(value)
    state.value[: rel.n_real][~np.isnan(value)] = value[~np.isnan(value)]
    state.value[rel.known_zero] = 0.0
    state.method[pub | rel.known_zero] = "published"
    hidden_all = np.zeros(n, dtype=bool)
    hidden_all[: rel.n_real] = hidden
    # 1. the same cell published in another table
    elsewhere = hidden_all & pub
    state.method[elsewhere] = ELSEWHERE
    lower, upper = _bounds(cells, measure, n, k)
    a = rel.matrix
    if measure in (S.USERS, S.USES):
        cap = extra.get("cap")
        if cap is not None:
            upper = np.minimum(upper, cap)
    while True:
        learnt = _substitute(a, state)
        learnt += _linear(a, state, p, measure in (S.USERS, S.USES, S.AMOUNT))
        learnt += _bound_attack(a, state, lower, upper)
        learnt += _single_bounds(state, lower, upper)
        learnt += _derived_attack(cells, state, measure)
        if not learnt:
            break
    return state, hidden_all


def _single_bounds(state: _State, lower: np.ndarray, upper: np.ndarray) -> int:
    fixed = np.flatnonzero(np.isnan(state.value) & (lower == upper) & (upper > 0))
    if not fixed.size:
        return 0
    return state.learn(fixed, lower[fixed], BOUNDS, [set() for _ in fixed])


def _caps(cells: Cells, n: int, assume_unit_quantity: bool) -> tuple[np.ndarray, np.ndarray]:
    """Upper bounds of users (≤ uses, ≤ quantity) and of uses (≤ quantity) from published numbers."""
    uses, _, _ = cells.values(S.USES)
    qty, _, _ = (
        cells.values(S.QUANTITY) if S.QUANTITY in cells.measures() else (np.full(cells.n_cells, np.nan),) * 3
    )
    cap_users = np.full(n, np.inf)
    cap_uses = np.full(n, np.inf)
    u = np.where(np.isnan(uses), np.inf, uses)
    q = np.where(np.isnan(qty) | (not assume_unit_quantity), np.inf, np.floor(qty))
    cap_users[: cells.n_cells] = np.minimum(u, q)
    cap_uses[: cells.n_cells] = q
    return cap_users, cap_uses


def attack(
    cells: Cells,
    *,
    k: int = 5,
    rel: Relations | None = None,
    seed: int = 7,
    assume_unit_quantity: bool = True,
    measures: list[str] | None = None,
    explain: bool = True,
) -> AttackReport:
    """Try to recover every hidden number of ``cells`` from the published ones (see the module docstring).

    ``assume_unit_quantity``: every record carries at least one unit of quantity (nights, sessions), so a
    cell's records are at most its quantity. ``explain``: list the published cells behind every recovery
    (``used``; the engine's audit skips it).
    """
    import time

    start = time.perf_counter()
    rel = rel if rel is not None else relations(cells)
    p = modular.choose_prime(seed)
    n = rel.matrix.shape[1]
    cap_users, cap_uses = _caps(cells, n, assume_unit_quantity)
    parts, hidden_rows = [], []
    direct: dict[tuple[str, int], set[int]] = {}
    entries = cells.entries
    settled: set[tuple[bytes, bytes]] = set()
    for measure in measures or cells.measures():
        extra = {"cap": cap_users if measure == S.USERS else cap_uses, "settled": settled}
        state, hidden = _measure_attack(cells, rel, measure, k, p, extra)
        e = entries[(entries[S.MEASURE] == measure).to_numpy() & entries[S.VALUE].isna().to_numpy()]
        c = e[S.CELL].to_numpy(dtype=np.int64)
        got = ~np.isnan(state.value[c])
        if measure == S.AMOUNT:  # an amount known to be 0 (nothing spent) tells nothing about persons
            got &= state.value[c] != 0
        hit = e[got].copy()
        hit["recovered"] = state.value[c[got]]
        hit["method"] = state.method[c[got]]
        if explain and got.any():
            labels = _labels(cells, measure)
            hit["used"] = [_used_text(labels, rel, state.used.get(int(x), set())) for x in c[got]]
        else:
            hit["used"] = ""
        parts.append(hit[list(REPORT_COLUMNS)])
        hidden_rows.append({S.MEASURE: measure, "hidden_entries": len(e), "hidden_cells": len(np.unique(c))})
        for x in np.unique(c[got]).tolist():
            direct[(measure, int(x))] = state.direct.get(int(x), set())
    recovered = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(REPORT_COLUMNS))
    hidden_frame = pd.DataFrame(hidden_rows, columns=[S.MEASURE, "hidden_entries", "hidden_cells"])
    return AttackReport(
        recovered.reset_index(drop=True), hidden_frame, time.perf_counter() - start, direct=direct
    )


def _derived_attack(cells: Cells, state: _State, measure: str) -> int:
    """Published derived numbers next to a hidden part: numerator = value × denominator / scale, and back."""
    der = cells.derived
    if der.empty:
        return 0
    value = pd.to_numeric(der[S.VALUE]).to_numpy(dtype=np.float64)
    scale = der[S.SCALE].to_numpy(dtype=np.float64)
    pop = pd.to_numeric(der[S.POPULATION]).to_numpy(dtype=np.float64)
    nc, dc = der["num_cell"].to_numpy(dtype=np.int64), der["den_cell"].to_numpy(dtype=np.int64)
    nm, dm = der["num_measure"].to_numpy(dtype=object), der["den_measure"].to_numpy(dtype=object)
    learnt = 0
    num_val = np.where((nc >= 0) & (nm == measure), state.value[np.maximum(nc, 0)], np.nan)
    den_val = np.where(dc >= 0, np.where(dm == measure, state.value[np.maximum(dc, 0)], np.nan), pop)
    ok = ~np.isnan(value) & (value != 0)
    # numerator from value and denominator
    want = ok & (nc >= 0) & (nm == measure) & np.isnan(num_val) & ~np.isnan(den_val)
    if want.any():
        est = np.rint(value[want] * den_val[want] / scale[want])
        learnt += state.learn(nc[want], est, DERIVED, [set() for _ in range(int(want.sum()))])
    want = ok & (dc >= 0) & (dm == measure) & np.isnan(den_val) & ~np.isnan(num_val)
    if want.any():
        est = np.rint(num_val[want] * scale[want] / value[want])
        learnt += state.learn(dc[want], est, DERIVED, [set() for _ in range(int(want.sum()))])
    return learnt


def _labels(cells: Cells, measure: str) -> pd.Series:
    """Cell → ``table:row:column`` of one published entry of the measure."""
    e = cells.entries
    sel = e[e[S.VALUE].notna().to_numpy() & (e[S.MEASURE] == measure).to_numpy()].drop_duplicates(S.CELL)
    text = sel[S.TABLE].astype("str") + ":" + sel[S.ROW].astype("str") + ":" + sel[S.COLUMN].astype("str")
    return pd.Series(text.to_numpy(), index=sel[S.CELL].to_numpy(dtype=np.int64))


def _used_text(labels: pd.Series, rel: Relations, used: set[int], limit: int = 12) -> str:
    """The published entries behind a recovery: ``table:row:column`` of the cells in the relations used."""
    if not used:
        return ""
    rows = sorted(u for u in used if u >= 0)
    members = np.unique(rel.matrix[rows].indices) if rows else np.zeros(0, dtype=np.int64)
    text = labels.reindex(members[members < rel.n_real]).dropna().tolist()
    more = len(text) - limit
    return "; ".join(text[:limit]) + (f"; … (+{more})" if more > 0 else "")
