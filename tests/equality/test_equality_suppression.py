"""Disclosure control: a proof by test that no hidden count can be recovered from the published margins.

Two independent checks, written here without gcdb's own line machinery:

1. every margin line (a total and the cells it adds up, one dimension varying) has 0 or ≥ 2 hidden members;
2. stronger, the linear system of all published lines is solved: a hidden cell is recoverable iff its unit vector
   lies in the row space of the constraint matrix restricted to hidden cells, i.e. iff adding that unit vector as
   an extra row does not raise the rank (``numpy.linalg.matrix_rank``).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from equality_builders import random_usage
from hypothesis import given, settings
from hypothesis import strategies as st

from gcdb import columns as C
from gcdb.equality import TOTAL, breakdown, display, suppress
from gcdb.equality.suppression import round_to_base


# ---------------------------------------------------------------------------------------------------------------
# independent helpers
# ---------------------------------------------------------------------------------------------------------------
def cube_table(values: np.ndarray, names: list[str]) -> pd.DataFrame:
    """A table with every margin of an n-dimensional array of counts (margins summed exactly)."""
    rows = []
    dims = list(range(values.ndim))
    for size in range(values.ndim, -1, -1):
        for keep in combinations(dims, size):
            summed = values.sum(axis=tuple(d for d in dims if d not in keep))
            for idx in np.ndindex(*summed.shape) if keep else [()]:
                row = {names[d]: TOTAL for d in dims}
                for d, i in zip(keep, idx, strict=True):
                    row[names[d]] = f"{names[d]}{i}"
                row["users"] = int(summed[idx]) if keep else int(summed)
                rows.append(row)
    return pd.DataFrame(rows).astype({n: "str" for n in names})


def lines(table: pd.DataFrame, margins: list[str], keys: list[str] = ()) -> list[tuple[int, list[int]]]:
    """(total row, component rows) for every published line, by plain pandas grouping."""
    out = []
    for d in margins:
        others = [*keys, *[m for m in margins if m != d]]
        groups = table.groupby(others, sort=False).indices if others else {(): np.arange(len(table))}
        for idx in groups.values():
            is_total = table[d].to_numpy()[idx] == TOTAL
            if is_total.sum() == 1 and (~is_total).any():
                out.append((int(idx[is_total][0]), [int(i) for i in idx[~is_total]]))
    return out


def hidden_per_line(table, margins, keys=()):
    hidden = table["suppressed"].to_numpy()
    return [int(hidden[t]) + int(hidden[c].sum()) for t, c in lines(table, margins, keys)]


def recoverable(table: pd.DataFrame, margins: list[str], keys=()) -> list[int]:
    """Rows of hidden cells that the published lines determine uniquely (rank test)."""
    hidden = np.flatnonzero(table["suppressed"].to_numpy())
    if hidden.size == 0:
        return []
    col = {r: j for j, r in enumerate(hidden)}
    equations = []
    for total, parts in lines(table, margins, keys):
        row = np.zeros(len(hidden))
        touched = False
        for r, sign in [(total, -1.0), *[(p, 1.0) for p in parts]]:
            if r in col:
                row[col[r]] += sign
                touched = True
        if touched:
            equations.append(row)
    a = np.array(equations) if equations else np.zeros((0, len(hidden)))
    rank = np.linalg.matrix_rank(a) if len(a) else 0
    out = []
    for j, r in enumerate(hidden):
        e = np.zeros((1, len(hidden)))
        e[0, j] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, e])) == rank:
            out.append(int(r))
    return out


# ---------------------------------------------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------------------------------------------
def test_two_way_hand_example():
    # rows a0..a2 × columns b0..b2; a0b0 = 3 is the only small cell
    values = np.array([[3, 10, 20], [8, 6, 30], [12, 40, 7]])
    t = cube_table(values, ["a", "b"])
    s = suppress(t, k=5)
    hidden = set(zip(s.loc[s.suppressed, "a"], s.loc[s.suppressed, "b"], strict=True))
    # row a0: smallest other is a0b1 (10); column b0: a1b0 (8); then row a1 has a1b0 → a1b1 (6); column b1 closed
    assert hidden == {("a0", "b0"), ("a0", "b1"), ("a1", "b0"), ("a1", "b1")}
    assert s.loc[(s.a == "a0") & (s.b == "b0"), "suppression"].item() == "primary"
    assert s.loc[(s.a == "a1") & (s.b == "b1"), "suppression"].item() == "secondary"
    assert s["users"].dtype == "Int64" and s.loc[s.suppressed, "users"].isna().all()
    assert s.loc[~s.suppressed, "users"].tolist() == t.loc[~s.suppressed.to_numpy(), "users"].tolist()
    assert set(hidden_per_line(s, ["a", "b"])) <= {0, 2}
    assert recoverable(s, ["a", "b"]) == []
    assert (s.loc[s.suppressed, "reason"] == "suppressed").all()


def test_zero_is_published_and_small_margins_are_hidden():
    values = np.array([[0, 2], [0, 9]])
    s = suppress(cube_table(values, ["a", "b"]))
    b0_total = s.loc[(s.a == TOTAL) & (s.b == "b0")]
    assert b0_total["users"].item() == 0 and not b0_total["suppressed"].item()
    # a0 total = 2 is itself primary; every line still has 0 or ≥ 2 hidden members
    assert s.loc[(s.a == "a0") & (s.b == TOTAL), "suppressed"].item()
    assert set(hidden_per_line(s, ["a", "b"])) <= {0, 2, 3}
    assert recoverable(s, ["a", "b"]) == []


def bridge_table() -> pd.DataFrame:
    """Two 2×2 blocks of small cells linked by one small cell (a0, b2): every line has ≥ 2 hidden cells, yet
    (a0, b2) = row a0 − (col b0 + col b1 − row a1) is determined."""
    values = np.full((4, 4), 50)
    for i, j in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)]:
        values[i, j] = 1 + (i + j) % 4
    return cube_table(values, ["a", "b"])


def test_line_rule_alone_leaves_a_bridge_recoverable_and_the_audit_closes_it():
    t = bridge_table()
    plain = suppress(t, audit=False)
    assert plain.suppressed.sum() == 9  # only the primary cells: every line already has ≥ 2
    assert set(hidden_per_line(plain, ["a", "b"])) <= {0, 2, 3}
    bridge = plain.index[(plain.a == "a0") & (plain.b == "b2")].item()
    assert recoverable(plain, ["a", "b"]) == [bridge]
    audited = suppress(t)
    assert audited.suppressed.sum() > 9
    assert set(hidden_per_line(audited, ["a", "b"])) - {0} and 1 not in hidden_per_line(audited, ["a", "b"])
    assert recoverable(audited, ["a", "b"]) == []
    assert audited.attrs["unaudited_cells"] == 0


@st.composite
def count_arrays(draw):
    ndim = draw(st.integers(1, 3))
    shape = tuple(draw(st.integers(2, 4)) for _ in range(ndim))
    size = int(np.prod(shape))
    cells = draw(st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40]), min_size=size, max_size=size))
    return np.array(cells, dtype=np.int64).reshape(shape)


@given(count_arrays(), st.sampled_from([3, 5, 10]))
@settings(max_examples=60, deadline=None)
def test_no_hidden_count_is_recoverable_from_any_margin(values, k):
    names = ["a", "b", "c"][: values.ndim]
    t = cube_table(values, names)
    s = suppress(t, k=k)
    users = t["users"].to_numpy()
    hidden = s["suppressed"].to_numpy()
    # primary: exactly the counts 0 < n < k; zeros are hidden only as a last-resort secondary cell
    primary = (s["suppression"] == "primary").to_numpy()
    assert np.array_equal(primary, (users > 0) & (users < k))
    assert hidden[primary].all()
    # 1. every line has 0 or ≥ 2 hidden members
    assert 1 not in hidden_per_line(s, names)
    # 2. the linear system of published lines determines no hidden cell
    assert recoverable(s, names) == []


@given(st.integers(0, 10_000), st.integers(20, 200))
@settings(max_examples=12, deadline=None)
def test_breakdown_with_service_split_is_protected(seed, n):
    frame = random_usage(np.random.default_rng(seed), n, n_persons=n // 2 + 1, districts=("A", "B"))
    b = breakdown(frame, [C.SEX, C.DISABILITY, C.DISTRICT], service=C.SERVICE_CODE, measure="uses")
    s = suppress(b)
    margins = [C.SEX, C.DISABILITY, C.DISTRICT]
    assert 1 not in hidden_per_line(s, margins, [C.SERVICE_CODE])
    assert recoverable(s, margins, [C.SERVICE_CODE]) == []
    # lines never cross services: each service's table is protected on its own
    for _, part in s.groupby(C.SERVICE_CODE):
        assert 1 not in hidden_per_line(part.reset_index(drop=True), margins)


def test_rates_on_hidden_rows_are_hidden_and_display_never_shows_zero():
    t = cube_table(np.array([[3, 10], [8, 20]]), ["a", "b"])
    t["rate"] = t["users"] / 100.0
    s = suppress(t)
    assert s.loc[s.suppressed, "rate"].isna().all()
    assert s.loc[~s.suppressed, "rate"].notna().all()
    shown = display(s)
    assert shown.loc[s.suppression == "primary", "users"].tolist() == ["<5"]
    assert set(shown.loc[s.suppression == "secondary", "users"]) == {"*"}
    assert not (shown.loc[s.suppressed, "users"] == "0").any()
    assert display(s, k=10, secondary_symbol="<10").loc[s.suppressed, "users"].eq("<10").all()


def test_rounding_to_base_five():
    assert round_to_base(np.array([0, 5, 7, 8, 12, 13]), 5).tolist() == [0, 5, 5, 10, 10, 15]
    t = cube_table(np.array([[3, 12], [8, 21]]), ["a", "b"])
    s = suppress(t, round_to=5)
    published = s.loc[~s.suppressed, "users"].astype(int)
    assert (published % 5 == 0).all()


def test_arguments_are_checked():
    t = cube_table(np.array([[3, 12], [8, 21]]), ["a", "b"])
    from gcdb.errors import UsageError

    with pytest.raises(UsageError, match="k must be"):
        suppress(t, k=0)
    with pytest.raises(UsageError, match="count columns"):
        suppress(t, count_cols=["visits"])
    with pytest.raises(UsageError, match="duplicate rows"):
        suppress(pd.concat([t, t.iloc[:1]], ignore_index=True))
    with pytest.raises(UsageError, match="suppress"):
        display(t)
