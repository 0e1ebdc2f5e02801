"""The relations the attacker rebuilds from keys are exactly the linear algebra of the full model matrix:
for random linked tables and random hidden cells, what the attacker recovers is what lies in the span."""

import numpy as np
import pandas as pd
from disclosure_builders import cells_of, table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcdb.disclosure import DimensionSpec, attack, cell_frame, model, modular, register, relations
from gcdb.disclosure import spec as S


def test_relations_of_a_two_by_two_table():
    inner = pd.DataFrame({"r": ["a", "a", "b", "b"], "c": ["x", "y", "x", "y"], "n": [1, 2, 3, 4]})
    cells = cells_of({"t": table(inner, ["r", "c"])}, ["r", "c"])
    rel = relations(cells)
    assert rel.n_virtual == 0
    # along r: 3 lines (c = x, y, total); along c: 3 lines
    assert rel.matrix.shape[0] == 6
    n, _, _ = cells.values(S.USERS)
    assert not (rel.matrix @ n).any()  # every relation holds on the true table


def test_the_model_matrix_of_all_tables_reproduces_every_published_cell():
    inner = pd.DataFrame({"r": ["a", "a", "b", "b"], "c": ["x", "y", "x", "y"], "n": [1, 2, 3, 4]})
    cells = cells_of({"t": table(inner, ["r", "c"])}, ["r", "c"])
    x = model.model_matrix(cells, inner[["r", "c"]])
    assert x.shape == (4, 9)
    order = model.blocks(cells, inner[["r", "c"]])[0][0].leaves
    leaf = (
        {v: i for i, v in enumerate(cells.dimensions[0].leaves)},
        {v: i for i, v in enumerate(cells.dimensions[1].leaves)},
    )
    y = pd.Series(
        inner["n"].to_numpy(),
        index=[(leaf[0][a], leaf[1][b]) for a, b in zip(inner["r"], inner["c"], strict=True)],
    )
    y = y.reindex([tuple(v) for v in order.tolist()]).to_numpy()
    assert np.array_equal(x.T @ y, cells.values(S.USERS)[0])


def test_unpublished_margins_become_virtual_cells_and_link_tables():
    # A: r × c without margins; B: r × d without margins — linked only through the unpublished r margin
    a = pd.DataFrame({"r": ["a", "a", "b", "b"], "c": ["x", "y", "x", "y"], "n": [1, 2, 3, 4]})
    b = pd.DataFrame({"r": ["a", "a", "b", "b"], "d": ["u", "v", "u", "v"], "n": [2, 1, 5, 2]})
    cells = cells_of({"A": a, "B": b}, ["r", "c", "d"])
    rel = relations(cells)
    assert rel.n_virtual > 0
    pub = a.copy()
    pub["n"] = pub["n"].astype(float).mask(pd.Series([True, False, False, False]))
    got = attack(cells_of({"A": pub, "B": b}, ["r", "c", "d"]))
    assert got.recovered["recovered"].tolist() == [1.0]  # a·x = (a·u + a·v) − a·y


def test_nested_dimension_lines_stay_inside_their_parent():
    dims = [DimensionSpec(name="district"), DimensionSpec(name="neighbourhood", nested_in="district")]
    t = pd.DataFrame(
        {
            "district": ["D1", "D1", "D1", "D2", "D2", S.TOTAL],
            "neighbourhood": ["Merkez", "Yalı", S.TOTAL, "Merkez", S.TOTAL, S.TOTAL],
            "n": [3.0, 6.0, 9.0, 4.0, 4.0, 13.0],
        }
    )
    pub = t.copy()
    pub.loc[0, "n"] = np.nan
    cells = register([cell_frame(pub, "nb", {"n": S.USERS}, ["district", "neighbourhood"])], dims)
    rel = relations(cells)
    assert rel.n_virtual == 0  # D1's total is its two neighbourhoods; no "other neighbourhoods" piece
    assert attack(cells).recovered["recovered"].tolist() == [3.0]


@st.composite
def hidden_patterns(draw):
    n_dims = draw(st.integers(2, 3))
    sizes = [draw(st.integers(2, 3)) for _ in range(n_dims)]
    dims = [f"d{i}" for i in range(n_dims)]
    grids = np.meshgrid(*[np.arange(s) for s in sizes], indexing="ij")
    inner = pd.DataFrame({d: [f"{d}_{v}" for v in g.ravel()] for d, g in zip(dims, grids, strict=True)})
    inner["n"] = draw(st.lists(st.integers(1, 30), min_size=len(inner), max_size=len(inner)))
    tables = {}
    if draw(st.booleans()):
        tables["full"] = table(inner, dims)
    for i, d in enumerate(dims):
        if draw(st.booleans()) or not tables:
            others = [x for x in dims if x != d]
            tables[f"t{i}"] = table(inner.groupby(others, as_index=False)["n"].sum(), others)
    frames = {}
    for name, t in tables.items():
        mask = np.asarray(draw(st.lists(st.booleans(), min_size=len(t), max_size=len(t))))
        pub = t.copy()
        pub["n"] = pub["n"].astype(float).mask(mask)
        frames[name] = pub
    return inner, dims, tables, frames


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hidden_patterns())
def test_attacker_recovers_exactly_what_the_model_matrix_determines(case):
    inner, dims, tables, frames = case
    cells = cells_of(frames, dims)
    value, _, hidden = cells.values(S.USERS)
    hidden &= np.isnan(value)
    report = attack(cells, measures=[S.USERS])
    r = report.recovered
    elsewhere = set(r.loc[(r["method"] == "published_elsewhere").to_numpy(), S.CELL].tolist())
    assert elsewhere == set(np.flatnonzero(cells.values(S.USERS)[2] & ~np.isnan(value)).tolist())
    got = set(r[S.CELL].tolist()) - elsewhere
    # the full model matrix: every combination of leaves is an inner cell
    (b,), _ = model.blocks(cells)
    col = {int(c): i for i, c in enumerate(b.cells)}
    pub = np.asarray([col[c] for c in np.flatnonzero(~np.isnan(value))])
    hid = np.flatnonzero(hidden)
    expected = set()
    if hid.size:
        targets = b.x[:, [col[c] for c in hid]]
        inside = (
            modular.in_span(b.x, pub, targets, modular.choose_prime(3)) if pub.size else targets.sum(0) == 0
        )
        expected = set(hid[inside].tolist())
    assert got == expected
    # and every recovered number is the true one
    truth = cells_of(tables, dims)
    kf_t = truth.key_frame().astype(str).agg("|".join, axis=1)
    true_value = dict(zip(kf_t, truth.values(S.USERS)[0], strict=True))
    kf = cells.key_frame().astype(str).agg("|".join, axis=1)
    for c, v in zip(report.recovered[S.CELL], report.recovered["recovered"], strict=True):
        assert true_value[kf[c]] == v
