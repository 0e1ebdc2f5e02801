"""Exact number and date parsing: Turkish and plain formats, the ambiguous cases, typed cells."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from gcdb.read.numbers import (
    BLANK,
    INVALID,
    OK,
    cell_text,
    detect_decimal,
    format_kurus,
    parse_dates,
    parse_integer,
    parse_kurus,
)


def kurus(values, **kwargs):
    parsed = parse_kurus(pd.Series(values, dtype="str"), **kwargs)
    return parsed.values.tolist(), parsed.status.tolist()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234.567,89", 123456789),
        ("1234567,89", 123456789),
        ("1234567.89", 123456789),
        ("1,234,567.89", 123456789),
        ("1 234 567,89", 123456789),
        ("1\u00a0234\u00a0567,89", 123456789),
        ("0,29", 29),
        ("0.29", 29),
        (",5", 50),
        ("1234,500", 123450),
        ("0,290", 29),
        ("-5", -500),
        ("(5)", -500),
        ("5-", -500),
        ("+5", 500),
        ("−5", -500),
        ("5 TL", 500),
        ("₺5,5", 550),
        ("-", 0),
        ("98.765.432.109,87", 9876543210987),
        ("000123", 12300),
    ],
)
def test_money_text_to_exact_kurus(text, expected):
    assert kurus([text]) == ([expected], [OK])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("abc", "sayı değil"),
        ("1.23.4", "sayı değil"),
        ("1,2,3", "sayı değil"),
        ("12 34", "sayı değil"),
        ("--5", "sayı değil"),
        ("(-5)", "sayı değil"),
        ("5,", "sayı değil"),
        ("1234,567", "2 ondalık basamaktan fazla"),
        ("1.2345", "2 ondalık basamaktan fazla"),
        ("1" * 16, "sayı çok büyük"),
    ],
)
def test_unparseable_money(text, reason):
    parsed = parse_kurus(pd.Series([text], dtype="str"))
    assert parsed.status.tolist() == [INVALID]
    assert reason in parsed.reason[0]


def test_blank_and_missing_are_blank_not_zero():
    assert kurus(["", "  ", None]) == ([0, 0, 0], [BLANK, BLANK, BLANK])


def test_ambiguous_single_separator_with_three_digits_follows_the_column_convention():
    # no evidence: grouping (money has at most 2 decimals, so 1.000 is a thousand)
    assert kurus(["1.000", "1,000"]) == ([100000, 100000], [OK, OK])
    # Turkish evidence (decimal comma): 1.234 is grouping, 1,234 has three decimals
    assert kurus(["1.234", "1,234", "5,5"])[0] == [123400, 0, 550]
    # plain evidence (decimal point): the reverse
    assert kurus(["1.234", "1,234", "5.5"])[0] == [0, 123400, 550]
    # both conventions in one column: ambiguous values are errors, not guesses
    parsed = parse_kurus(pd.Series(["1.234", "1.234,56", "1,234.56"], dtype="str"))
    assert parsed.status.tolist() == [INVALID, OK, OK] and "belirsiz sayı" in parsed.reason[0]
    # the caller can force the convention
    assert kurus(["1.234"], decimal=".") == ([0], [INVALID])
    assert kurus(["1,23"], decimal=".") == ([123], [OK])  # unambiguous values keep their own reading


def test_detect_decimal_across_columns():
    tr = pd.Series(["1.000", "2,50"], dtype="str")
    plain = pd.Series(["2.50"], dtype="str")
    none = pd.Series(["1.000", "7"], dtype="str")
    assert detect_decimal(tr, none) == ","
    assert detect_decimal(plain) == "."
    assert detect_decimal(none) is None
    assert detect_decimal(tr, plain) == "mixed"


def test_integers_accept_grouping_and_zero_decimals_only():
    parsed = parse_integer(pd.Series(["2023", "1.234", "25,0", "25,5", "x"], dtype="str"))
    assert parsed.values.tolist()[:3] == [2023, 1234, 25]
    assert parsed.status.tolist() == [OK, OK, OK, INVALID, INVALID]
    assert parsed.reason[3] == "tam sayı değil"


def test_parsing_is_per_distinct_value_and_broadcast():
    values = pd.Series(["1,5", "2,5", "1,5", None] * 1000, dtype="str")
    parsed = parse_kurus(values)
    assert parsed.values[:4].tolist() == [150, 250, 150, 0]
    assert (parsed.values.reshape(-1, 4) == parsed.values[:4]).all()


def test_dates_iso_and_day_first():
    dates, blank, invalid = parse_dates(
        pd.Series(
            [
                "2023-03-01",
                "01.03.2023",
                "1.3.2023",
                "01/03/2023",
                "2023-03-01 10:30:00",
                "",
                "31.02.2023",
                "03/01/23",
                None,
            ],
            dtype="str",
        )
    )
    assert dates.iloc[:5].tolist() == [pd.Timestamp("2023-03-01")] * 5
    assert blank.tolist() == [False] * 5 + [True, False, False, True]
    assert invalid.tolist() == [False] * 6 + [True, True, False]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2023, "2023"),
        (2023.0, "2023"),
        (np.int64(7), "7"),
        (0.1 + 0.2, "0.3"),
        (1234567.89, "1234567.89"),
        (1.234, "1.2340"),  # never mistaken for Turkish grouping
        (1e-05, "0.00001"),
        (Decimal("12.50"), "12.5"),
        (dt.date(2023, 3, 1), "2023-03-01"),
        (dt.datetime(2023, 3, 1), "2023-03-01"),
        (pd.Timestamp("2023-03-01 10:30"), "2023-03-01 10:30:00"),
        (True, "True"),
        (None, None),
        (float("nan"), None),
        (pd.NaT, None),
        ("  text ", "  text "),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_typed_cells_parse_back_exactly():
    values = [0.29, 1.1, 1234567.89, 98765432109.87, 0.1 + 0.2]
    parsed = parse_kurus(pd.Series([cell_text(v) for v in values], dtype="str"))
    assert parsed.values.tolist() == [29, 110, 123456789, 9876543210987, 30]


def test_format_kurus():
    assert format_kurus(123456789) == "1.234.567,89"
    assert format_kurus(123456789, "en") == "1,234,567.89"
    assert format_kurus(-5) == "-0,05"
    assert format_kurus(0) == "0,00"
