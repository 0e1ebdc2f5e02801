"""The engine: primary rules, GaussSuppression's own example, and — for random linked tables — nothing hidden can
be recovered afterwards (by the attacker, and by the model matrix's span checked independently)."""

import numpy as np
import pandas as pd
import pytest
from disclosure_builders import cells_of, grid, table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcdb.disclosure import (
    DimensionSpec,
    Policy,
    attack,
    cell_frame,
    model,
    modular,
    primary_cells,
    protect,
    register,
)
from gcdb.disclosure import spec as S
from gcdb.disclosure.primary import top_contributions
from gcdb.errors import GcdbError

# SSBtools' data set z1 (regions × kinds of income, counts "ant"), as in GaussSuppression's test suite
Z1 = [
    [11, 11, 55, 36],
    [7, 1, 29, 18],
    [5, 8, 35, 25],
    [13, 2, 17, 13],
    [9, 14, 63, 52],
    [12, 9, 24, 22],
    [6, 4, 22, 8],
    [9, 3, 38, 15],
]


def _hidden_keys(cells, prot):
    kf = cells.key_frame()
    return set(map(tuple, kf[prot.hidden].to_numpy().tolist()))


def test_gauss_suppression_matches_statistics_norways_example():
    # GaussSuppressionFromData(SSBtoolsData("z1"), 1:2, 3): counts ≤ 3 primary; suppressed rows 12, 13, 22, 23,
    # 42, 43 of its output (region-major, margins first) = B, D, H × annet, arbeid.
    regions, kinds = list("ABCDEFGH"), ["annet", "arbeid", "soshjelp", "trygd"]
    inner = pd.DataFrame(
        [(r, h, Z1[i][j]) for i, r in enumerate(regions) for j, h in enumerate(kinds)],
        columns=["region", "kind", "n"],
    )
    cells = cells_of({"z1": table(inner, ["region", "kind"])}, ["region", "kind"])
    prot = protect(cells, atoms=inner, policy=Policy(k=4))
    assert _hidden_keys(cells, prot) == {(r, h) for r in "BDH" for h in ("annet", "arbeid")}
    assert int(prot.primary.sum()) == 3 and int(prot.hidden.sum()) == 6
    assert prot.rounds == 1 and prot.repaired == 0


def test_primary_rules():
    t = pd.DataFrame(
        {
            "g": ["a", "b", "c", "d", S.TOTAL],
            "n": [0, 3, 7, 12, 22],
            "q": [0, 9, 2, 40, 51],
            "m": [0, 5, 9, 10, 24],
        }
    )
    frames = [
        cell_frame(t, "t", {"n": S.USERS}, ["g"]),
        cell_frame(t, "t", {"q": S.QUANTITY}, ["g"]),
        cell_frame(t, "t", {"m": S.AMOUNT}, ["g"]),
    ]
    tops = pd.DataFrame(
        {"g": ["a", "b", "c", "d", S.TOTAL], S.TOP1: [0, 2, 8, 4, 8], S.TOP2: [0, 2, 0.5, 3, 4]}
    )
    frames[2] = frames[2].merge(tops, on="g", how="left")
    cells = register(frames, [DimensionSpec(name="g")])
    mask, reason = primary_cells(cells, Policy(k=5))
    by_key = dict(zip(cells.key_frame()["g"], reason, strict=True))
    assert by_key["a"] == ""  # zeros are published
    assert by_key["b"] == "small_count"  # 3 persons
    assert by_key["c"] == "small_quantity;dominance"  # 2 units; 9 − 8 − 0.5 < 0.1 · 8
    assert by_key["d"] == ""  # 10 − 4 − 3 ≥ 0.4
    assert by_key[S.TOTAL] == ""
    assert mask.sum() == 2
    assert primary_cells(cells, Policy(k=5, quantity_k=None, dominance_p=None))[0].sum() == 1


def test_top_contributions():
    c = pd.DataFrame({"g": ["a", "a", "a", "b"], "x": [5.0, 9.0, 1.0, 4.0]})
    out = top_contributions(c, ["g"], "x").set_index("g")
    assert out.loc["a", S.TOP1] == 9.0 and out.loc["a", S.TOP2] == 5.0
    assert out.loc["b", S.TOP1] == 4.0 and out.loc["b", S.TOP2] == 0.0


def test_zeros_are_never_secondary_by_default():
    t = table(grid([[2, 0, 9], [0, 8, 7], [6, 5, 0]]), ["r", "c"])
    inner = grid([[2, 0, 9], [0, 8, 7], [6, 5, 0]])
    cells = cells_of({"t": t}, ["r", "c"])
    prot = protect(cells, atoms=inner)
    n, _, _ = cells.values(S.USERS)
    assert not (prot.hidden & (n == 0)).any()
    assert attack(prot.published()).n_recovered == 0


def _span_protected(cells, prot) -> bool:
    """Independent check on the full cross-product model: no hidden cell in the span of the published ones."""
    p = modular.choose_prime(99)
    (b,), _ = model.blocks(cells)
    pub = np.flatnonzero(~prot.hidden[b.cells])
    hid = np.flatnonzero(prot.hidden[b.cells])
    if not hid.size:
        return True
    return not modular.in_span(b.x, pub, b.x[:, hid], p).any()


@st.composite
def linked_tables(draw):
    n_dims = draw(st.integers(2, 3))
    sizes = [draw(st.integers(2, 4)) for _ in range(n_dims)]
    dims = [f"d{i}" for i in range(n_dims)]
    grids = np.meshgrid(*[np.arange(s) for s in sizes], indexing="ij")
    inner = pd.DataFrame({d: [f"{d}_{v}" for v in g.ravel()] for d, g in zip(dims, grids, strict=True)})
    counts = draw(st.lists(st.integers(0, 12), min_size=len(inner), max_size=len(inner)))
    inner["n"] = counts
    # published: the full table with all margins, or only some of its marginal tables
    full = draw(st.booleans())
    if full:
        tables = {"full": table(inner, dims)}
    else:
        tables = {}
        for i, d in enumerate(dims):
            others = [x for x in dims if x != d]
            tables[f"t{i}"] = table(inner.groupby(others, as_index=False)["n"].sum(), others)
    return inner, dims, tables


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_tables(), st.sampled_from([3, 5]))
def test_after_protection_nothing_hidden_can_be_recovered(case, k):
    inner, dims, tables = case
    cells = cells_of(tables, dims)
    prot = protect(cells, atoms=inner[dims], policy=Policy(k=k))
    n, _, _ = cells.values(S.USERS)
    assert (prot.primary == ((n > 0) & (n < k))).all()
    assert attack(prot.published(), k=k).n_recovered == 0
    assert _span_protected(cells, prot)


def test_many_small_cells_three_way_table():
    rng = np.random.default_rng(5)
    sizes = (3, 4, 5)
    grids = np.meshgrid(*[np.arange(s) for s in sizes], indexing="ij")
    dims = ["sex", "age", "district"]
    inner = pd.DataFrame({d: [f"{d}{v}" for v in g.ravel()] for d, g in zip(dims, grids, strict=True)})
    inner["n"] = rng.choice([0, 1, 2, 3, 6, 9, 15], size=len(inner))
    cells = cells_of({"t": table(inner, dims)}, dims)
    prot = protect(cells, atoms=inner[dims])
    assert prot.primary.sum() > 10
    assert attack(prot.published()).n_recovered == 0
    assert _span_protected(cells, prot)
    counts = prot.counts().set_index(S.TABLE)
    assert counts.loc["(all)", "hidden"] == counts.loc["(all)", "primary"] + counts.loc["(all)", "secondary"]
    assert counts.loc["(all)", "hidden"] == int(prot.hidden.sum())
    by_sex = prot.counts(by="sex")
    assert by_sex[by_sex[S.TABLE] == "(all)"]["hidden"].sum() == int(prot.hidden.sum())


def test_the_audit_repairs_what_the_elimination_cannot_see():
    # two hidden ones in a row add up to 2: linear algebra alone protects them, the bounds do not
    inner = grid([[1, 1, 20], [9, 8, 7]])
    cells = cells_of({"t": table(inner, ["r", "c"])}, ["r", "c"])
    prot = protect(cells, atoms=inner[["r", "c"]])
    assert prot.rounds >= 2 and prot.repaired >= 1
    assert attack(prot.published()).n_recovered == 0
    with pytest.raises(GcdbError, match="max_rounds"):
        protect(cells, atoms=inner[["r", "c"]], policy=Policy(max_rounds=1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n_inner=st.integers(2, 14),
    n_cells=st.integers(2, 12),
    n_primary=st.integers(1, 3),
)
def test_sparse_gauss_suppression_is_the_greedy_span_rule(seed, n_inner, n_cells, n_primary):
    """The dense and the sparse elimination agree, and against the definition, checked by an independent rank
    computation (``in_span``): no primary cell lies in the span of the published candidates, and each secondary
    cell, published with the candidates published before it, would put a primary cell in their span."""
    rng = np.random.default_rng(seed)
    x = (rng.random((n_inner, n_cells)) < 0.4).astype(np.int64)
    p = modular.choose_prime(seed)
    nonempty = np.flatnonzero(x.any(axis=0))  # a primary cell has records in it
    n_primary = min(n_primary, nonempty.size, n_cells - 1)
    if n_primary == 0:
        return
    primary = rng.choice(nonempty, n_primary, replace=False)
    candidates = rng.permutation(np.setdiff1d(np.arange(n_cells), primary))
    dense = modular._gauss_dense(x, candidates, primary, p)
    sparse = modular._gauss_sparse(x, candidates, primary, p)
    assert dense.tolist() == sparse.tolist() == modular.gauss_suppression(x, candidates, primary, p).tolist()
    secondary = set(sparse.tolist())
    published = [int(c) for k, c in enumerate(candidates) if k not in secondary]
    if published:
        assert not modular.in_span(x, np.array(published), x[:, primary], p).any()
    for k in sorted(secondary):
        before = [int(c) for j, c in enumerate(candidates[:k]) if j not in secondary]
        assert modular.in_span(x, np.array([*before, int(candidates[k])]), x[:, primary], p).any()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n_rows=st.integers(1, 12), n_cols=st.integers(1, 12))
def test_sparse_determined_matches_the_dense_reduced_echelon_form(seed, n_rows, n_cols):
    """The attacker's sparse solver (null-space probes) fixes exactly the unknowns the dense reduced row echelon
    form fixes (a row with one non-zero), with the true values."""
    rng = np.random.default_rng(seed)
    a = rng.choice([-1, 0, 0, 1], size=(n_rows, n_cols)).astype(np.int64)
    truth = rng.integers(0, 50, n_cols)
    b = a @ truth
    p = modular.choose_prime(seed + 1)
    dense_fixed, _ = modular.echelon(a, p).determined()
    r, c = np.nonzero(a)
    fixed, values = modular.determined(n_rows, n_cols, r, c, a[r, c], b, p, seed=seed)
    assert sorted(fixed.tolist()) == sorted(dense_fixed.tolist())
    assert values.tolist() == truth[fixed].astype(float).tolist()
