"""The registry, the policy, the modular arithmetic and the masking of published tables."""

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from gcdb.disclosure import (
    DimensionSpec,
    Policy,
    attack,
    cell_frame,
    mask_tables,
    modular,
    protect,
    register,
    with_margins,
)
from gcdb.disclosure import spec as S
from gcdb.errors import UsageError


def _frame(rows, dims, table="t", column="n"):
    t = pd.DataFrame(rows, columns=[*dims, column])
    return cell_frame(t, table, {column: S.USERS}, dims)


def test_codes_become_sets_and_the_same_key_is_one_cell():
    dims = [DimensionSpec(name="disability", groups={"known": ("yes", "no")}), DimensionSpec(name="svc")]
    a = _frame(
        [("yes", "A", 3), ("no", "A", 5), ("known", "A", 8), ("unknown", "A", 1), (S.TOTAL, "A", 9)],
        ["disability", "svc"],
    )
    b = _frame([("{no,yes}", "A", 8), ("known", "{A,B}", 20)], ["disability", "svc"], table="u")
    cells = register([a, b], dims)
    keys = cells.key_frame()
    assert cells.n_cells == 6  # {yes,no} written two ways is one cell
    assert set(keys["disability"]) == {"yes", "no", "known", "unknown", S.TOTAL}
    assert set(keys["svc"]) == {"A", S.TOTAL}  # {A,B} covers every service seen
    value, exists, hidden = cells.values(S.USERS)
    assert exists.all() and not hidden.any()


def test_nested_codes_carry_their_parent():
    dims = [DimensionSpec(name="district"), DimensionSpec(name="neighbourhood", nested_in="district")]
    f = _frame([("D1", "Merkez", 2), ("D2", "Merkez", 3), ("D1", S.TOTAL, 2)], ["district", "neighbourhood"])
    cells = register([f], dims)
    assert cells.dimensions[1].leaves == ("D1/Merkez", "D2/Merkez")
    assert cells.n_cells == 3


def test_register_rejects_bad_input():
    dims = [DimensionSpec(name="g")]
    f = _frame([("a", 1), ("b", 2)], ["g"])
    with pytest.raises(UsageError, match="registered twice"):
        register([f, f], dims)
    with pytest.raises(UsageError, match="lacks"):
        register([f.drop(columns=["g"])], dims)
    with pytest.raises(UsageError, match="no published cells"):
        register([], dims)
    with pytest.raises(UsageError, match="nested"):
        register([f.assign(h="x")], [DimensionSpec(name="g"), DimensionSpec(name="h", nested_in="zz")])


def test_specs_are_strict():
    with pytest.raises(ValidationError):
        DimensionSpec(name="x", groups={"g": ()})
    with pytest.raises(ValidationError):
        DimensionSpec(name="x", unknown=1)
    with pytest.raises(ValidationError):
        Policy(k=0)
    assert Policy().quantity_threshold == 5
    assert Policy(k=3, quantity_k=None).quantity_threshold is None
    assert Policy(k=3, quantity_k=10).quantity_threshold == 10


def test_modular_arithmetic():
    assert [n for n in range(30) if modular.is_prime(n)] == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
    assert modular.is_prime(2**31 - 1) and not modular.is_prime(2**31 + 1)
    p = modular.choose_prime(1)
    assert 2**30 < p < 2**31 and modular.is_prime(p) and p == modular.choose_prime(1)
    assert p != modular.choose_prime(2)
    assert modular.inverse(3, 7) == 5
    assert modular.lift(np.array([1, p - 1]), p).tolist() == [1, -1]
    # x + y = 3, y = 1 fixes x and y; z stays free
    a = np.array([[1, 1, 0], [0, 1, 0], [0, 0, 0]])
    fixed, rows = modular.echelon(a, p).determined()
    assert fixed.tolist() == [0, 1]
    r, c = np.nonzero(a)
    unknowns, values = modular.determined(3, 3, r, c, a[r, c], np.array([3, 1, 0]), p)
    assert dict(zip(unknowns.tolist(), values.tolist(), strict=True)) == {0: 2.0, 1: 1.0}
    x = np.array([[1, 0, 1], [0, 1, 1]])
    assert modular.in_span(x, np.array([0, 1]), x[:, [2]], p).tolist() == [True]
    assert modular.in_span(x, np.array([0]), x[:, [2]], p).tolist() == [False]


def test_mask_tables_hides_numbers_and_their_statistics():
    inner = pd.DataFrame({"g": ["a", "b", "c"], "n": [2, 9, 7]})
    t = with_margins(inner, ["g"], ["n"])
    t["rate"] = t["n"] / 1000.0
    t["population"] = 1000.0
    t["suppressed"] = False
    t["suppression"] = pd.array([""] * len(t), dtype="str")
    cells = register([cell_frame(t, "t", {"n": S.USERS}, ["g"])], [DimensionSpec(name="g")])
    prot = protect(cells, atoms=inner[["g"]])
    masked = mask_tables({"t": t, "other": t}, prot)["t"]
    hidden = masked["suppressed"].to_numpy()
    assert hidden.sum() == 2  # the 2 and the next smallest, 7
    assert masked.loc[hidden, "n"].isna().all() and masked.loc[hidden, "rate"].isna().all()
    assert (masked["population"] == 1000.0).all()  # public numbers stay
    assert sorted(masked.loc[hidden, "suppression"]) == [S.PRIMARY, S.SECONDARY]
    assert attack(prot.published()).n_recovered == 0
