"""The vectorised number path (Arrow string kernels for the common shapes) against the per-value path it replaces:
same values, statuses and reasons on many generated texts, and typed columns made the same text as
:func:`cell_text` makes them."""

import itertools
import random

import numpy as np
import pandas as pd
import pytest

from gcdb.read.numbers import (
    BLANK,
    MAX_INTEGER_DIGITS,
    _evidence,
    _scaled,
    _take_apart,
    cell_text,
    detect_decimal,
    parse_decimal,
    prepare_numbers,
)
from gcdb.read.readers import _text_columns


def per_value(values, *, scale, decimal=None, dash_is_zero=False, max_integer_digits=MAX_INTEGER_DIGITS):
    """The per-value reading: every distinct text taken apart and scaled in Python (the reference)."""
    codes, uniques = pd.factorize(pd.Series(values, dtype="str"), use_na_sentinel=True)
    parts = [_take_apart(str(u)) for u in uniques]
    convention = decimal if decimal is not None else _evidence(p.kind for p in parts)
    results = [_scaled(p, convention, scale, dash_is_zero, max_integer_digits) for p in parts]
    results.append((0, BLANK, None))
    return [results[c] for c in codes], parts


def generated(seed: int, n: int) -> list[str | None]:
    """Texts near and far from the shapes numbers are written in."""
    rng = random.Random(seed)

    def digits(lo, hi):
        return "".join(rng.choice("0123456789") for _ in range(rng.randint(lo, hi)))

    def grouped(sep):
        head = rng.choice("123456789") + digits(0, 2)
        return head + "".join(sep + digits(3, 3) for _ in range(rng.randint(1, 6)))

    def one():
        shape = rng.randrange(14)
        if shape == 0:
            body = digits(1, 22)  # up to beyond int64
        elif shape in (1, 2):
            sep, dec = (".", ",") if shape == 1 else (",", ".")
            body = grouped(sep) + (dec + digits(1, 5) if rng.random() < 0.7 else "")
        elif shape in (3, 4):
            body = digits(0, 17) + rng.choice(",.") + digits(1, 6)
        elif shape == 5:  # the ambiguous 1.234 / 12,500
            body = rng.choice("123456789") + digits(0, 2) + rng.choice(",.") + digits(3, 3)
        elif shape == 6:  # separators anywhere
            body = "".join(rng.choice("0123456789.,") for _ in range(rng.randint(1, 12)))
        elif shape == 7:
            body = rng.choice(
                ["", " ", "-", "−", "–", "+", "--", "TL", "₺", "abc", "1e5", "0x1F", "٣", "1_000"]
            )
        elif shape == 8:  # space grouping, also no-break spaces
            sp = rng.choice([" ", "\u00a0", "\u202f"])
            body = rng.choice("123456789") + digits(0, 2) + "".join(sp + digits(3, 3) for _ in range(2))
            body += rng.choice(["", ",5", ".25"])
        elif shape == 9:
            body = (
                "0" * rng.randint(1, 20) + digits(0, 4) + rng.choice(["", ",", "."]) + "0" * rng.randint(0, 8)
            )
        else:
            body = digits(1, 16) + rng.choice(["", "," + digits(1, 4), "." + digits(1, 4)])
        r = rng.random()
        if r < 0.15:
            body = "-" + body
        elif r < 0.2:
            body = "+" + body
        elif r < 0.23:
            body = "(" + body + ")"
        elif r < 0.26:
            body = body + "-"
        elif r < 0.28:
            body = rng.choice(["−", "–", "+-", "- "]) + body
        r = rng.random()
        if r < 0.04:
            body = body + rng.choice([" TL", "₺", " TRY", "tl"])
        elif r < 0.07:
            body = rng.choice([" ", "\t", "\u00a0"]) + body + rng.choice(["", " ", "\n"])
        return body if rng.random() > 0.02 else None

    return [one() for _ in range(n)]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(
    ("scale", "dash_is_zero", "max_integer_digits"),
    [(2, True, 15), (0, False, 15), (4, False, 14), (2, False, 3)],
)
def test_fast_path_equals_per_value_path(seed, scale, dash_is_zero, max_integer_digits):
    values = generated(seed, 1500)
    prepared = prepare_numbers(pd.Series(values, dtype="str"))
    expected, parts = per_value(
        values, scale=scale, dash_is_zero=dash_is_zero, max_integer_digits=max_integer_digits
    )
    assert prepared.parts == tuple(parts)  # the same shapes, signs and bodies
    for decimal in (None, ",", "."):
        _assert_alike(values, prepared, scale, decimal, dash_is_zero, max_integer_digits)


def _assert_alike(values, prepared, scale, decimal, dash_is_zero, max_integer_digits, *, factorised=True):
    """The fast path's values, statuses and reasons are the per-value path's (and, for a factorised column, the
    shapes, signs and bodies of its distinct values)."""
    expected, parts = per_value(
        values, scale=scale, decimal=decimal, dash_is_zero=dash_is_zero, max_integer_digits=max_integer_digits
    )
    if factorised:
        assert prepared.parts == tuple(parts)
    got = parse_decimal(
        prepared,
        scale=scale,
        decimal=decimal,
        dash_is_zero=dash_is_zero,
        max_integer_digits=max_integer_digits,
    )
    assert list(zip(got.values.tolist(), got.status.tolist(), got.reason.tolist(), strict=True)) == expected


def _same_as_per_value(values):
    prepared = prepare_numbers(pd.Series(values, dtype="str"))
    for scale, dash_is_zero, max_integer_digits in [(2, True, 15), (0, False, 15), (4, False, 2)]:
        for decimal in (None, ",", "."):
            _assert_alike(values, prepared, scale, decimal, dash_is_zero, max_integer_digits)


def test_every_short_text_of_digits_separators_and_signs():
    alphabet = "019.,-+"
    _same_as_per_value(["".join(p) for n in range(1, 5) for p in itertools.product(alphabet, repeat=n)])


def test_grouping_grid():
    heads, groups = (
        ["1", "12", "123", "0", "1234", "01"],
        ["", ".000", ".123", ",123", ".123.456", ",123,456", ".12"],
    )
    tails = ["", ",5", ".5", ",55", ".555", ",555", ",5555", ",00000000", "."]
    values = [s + h + g + t for h in heads for g in groups for t in tails for s in ("", "-", "+")]
    _same_as_per_value(values)
    _same_as_per_value([*values[::3], "1.234,5"])  # Turkish evidence
    _same_as_per_value([*values[::3], "1,234.5"])  # plain evidence


@pytest.mark.parametrize(
    "values",
    [
        ["1.234", "7"],  # no evidence
        ["1.234", "1,234", "5,5"],  # Turkish
        ["1.234", "1,234", "5.5"],  # plain
        ["1.234", "1.234,56", "1,234.56", "12,500", "-1.000"],  # mixed: the ambiguous ones are errors
    ],
)
def test_fast_path_follows_the_column_convention(values):
    expected, parts = per_value(values, scale=2, dash_is_zero=True)
    prepared = prepare_numbers(pd.Series(values, dtype="str"))
    assert prepared.evidence == _evidence(p.kind for p in parts)
    assert detect_decimal(prepared) == detect_decimal(pd.Series(values, dtype="str"))
    got = parse_decimal(prepared, scale=2, dash_is_zero=True)
    assert list(zip(got.values.tolist(), got.status.tolist(), got.reason.tolist(), strict=True)) == expected


def test_object_columns_are_read_as_their_str():
    values = pd.Series([5, 2.5, "1,5", None, 7], dtype=object)
    got = parse_decimal(values, scale=2)
    expected, _ = per_value([str(v) if v is not None else None for v in values], scale=2)
    assert got.values.tolist() == [e[0] for e in expected]
    assert got.status.tolist() == [e[1] for e in expected]


def test_empty_column():
    got = parse_decimal(pd.Series([], dtype="str"), scale=2)
    assert len(got.values) == len(got.status) == len(got.reason) == 0
    got = parse_decimal(pd.Series([None, None], dtype="str"), scale=2)
    assert got.status.tolist() == [BLANK, BLANK]


def _typed_frame():
    big = np.iinfo(np.int64)
    return pd.DataFrame(
        {
            "int64": np.array([0, -5, 123456789, big.max, big.min, 7, 7], dtype=np.int64),
            "int32": np.array([1, 2, 3, -4, 5, 6, 7], dtype=np.int32),
            "uint64": np.array([0, 1, 2**64 - 1, 3, 4, 5, 6], dtype=np.uint64),
            "nullable": pd.array([1, None, -3, 4, None, 6, 7], dtype="Int64"),
            "float": [0.29, 1e17, float("inf"), np.nan, -0.0, 0.1 + 0.2, 1.234],
            "whole_float": [2023.0, -5.0, 1e15 - 1, 1e15, np.nan, 98765432109.87, 12.5],
            "float32": np.array([1.5, 2.0, np.nan, -3.25, 0.1, 1e20, 7], dtype=np.float32),
            "nullable_float": pd.array([1.5, None, 2.0, -0.5, None, 3.0, 4.0], dtype="Float64"),
            "bool": [True, False, True, True, False, False, True],
            "object": [1, "x", 2.5, None, True, 3, "7"],
            "text": pd.array(["a", "", None, "1,5", "b", "c", "d"], dtype="str"),
        }
    )


def test_typed_columns_make_the_text_of_cell_text():
    frame = _typed_frame()
    got = _text_columns(frame)
    for j, name in enumerate(frame.columns):
        codes, uniques = pd.factorize(frame[name], use_na_sentinel=True)  # the per-value reading it replaces
        texts = [cell_text(u) for u in uniques] + [None]
        expected = [None if texts[c] in (None, "") else texts[c] for c in codes]
        assert [None if pd.isna(v) else v for v in got[j]] == expected, name


def test_typed_parquet_reads_as_before(tmp_path, monkeypatch):
    """int64 kuruş, float lira and nullable integer Parquet columns read to the same result as through the
    per-value :func:`cell_text` path."""
    from gcdb.read import read_budget, readers

    rng = np.random.default_rng(3)
    n = 300
    kurus = rng.integers(-(10**11), 10**11, n)
    frame = pd.DataFrame(
        {
            "fiscal_year": np.full(n, 2024, dtype=np.int64),
            "line_id": np.arange(1, n + 1, dtype=np.int64),
            "institutional_code": "46.34.01.01",
            "functional_code": "01.1.1.00",
            "financing_type": "5",
            "economic_code": "01.1.1.01",
            "description": "TEMEL MAAŞLAR",
            "initial_appropriation": kurus,
            "revised_appropriation": np.round(kurus / 100, 2),  # float lira
            "expenditure": pd.array(np.where(np.arange(n) % 9, kurus // 3, 0), dtype="Int64"),
        }
    )
    frame.loc[5, "revised_appropriation"] = 1e20
    frame.loc[6, "revised_appropriation"] = 0.1 + 0.2
    frame.loc[7, "expenditure"] = pd.NA
    frame.loc[8, "initial_appropriation"] = np.iinfo(np.int64).max
    frame.to_parquet(tmp_path / "b.parquet", index=False)
    results = {}
    for unit in ("auto", "lira", "kurus"):
        results[unit] = read_budget(tmp_path / "b.parquet", money_unit=unit)
    assert len(results["auto"].data) > n // 2
    monkeypatch.setattr(readers, "_number_texts", lambda col: None)
    for unit, fast in results.items():
        slow = read_budget(tmp_path / "b.parquet", money_unit=unit)
        for name in ("data", "issues", "quarantine", "reconciliation"):
            pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name), check_exact=True)


@pytest.mark.parametrize("seed", range(3))
def test_a_column_of_mostly_distinct_amounts_reads_as_when_factorised(seed):
    # past the first 2,048 values, mostly distinct: every value parsed as its own (no hash of the column) —
    # the values, statuses, reasons and decimal evidence of the per-value reference all the same
    values = generated(seed, 6000)
    values[100:3000:7] = [None] * len(range(100, 3000, 7))
    series = pd.Series(values, dtype="str")
    prepared = prepare_numbers(series)
    assert len(prepared.kinds) == series.notna().sum()  # one entry per present value: not factorised
    assert prepared.evidence == prepare_numbers(series.astype(object)).evidence
    for scale, dash_is_zero, max_integer_digits in [(2, True, 15), (0, False, 15), (4, False, 2)]:
        for decimal in (None, ",", "."):
            _assert_alike(
                values, prepared, scale, decimal, dash_is_zero, max_integer_digits, factorised=False
            )
