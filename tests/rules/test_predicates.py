"""Each predicate, on the engine and against the scalar reference semantics (the ``match`` fixture checks both)."""

import numpy as np
import pandas as pd
import pytest

from gcdb import columns as C
from gcdb.rules.predicates import code_matches_prefix, code_parts, prefix_parts


def test_equals_on_text_is_exact():
    frame = pd.DataFrame({"sex": ["female", "male", "Female", None, "female "]})
    assert match_({"column": "sex", "equals": "female"}, frame) == [True, False, False, False, False]


def test_equals_with_fold_ignores_case_and_turkish_letters():
    frame = pd.DataFrame({"unit": ["KADIN VE AİLE", "Kadın ve Aile", "kadin ve aile", "Kadınlar"]})
    got = match_({"column": "unit", "equals": "kadın ve aile", "fold": True}, frame)
    assert got == [True, True, True, False]


def test_equals_number_on_text_and_numeric_columns():
    frame = pd.DataFrame({"code": ["5", "05", "5.0", "6"], "n": [5, 5, 5, 6], "x": [5.0, 5.5, np.nan, 6.0]})
    assert match_({"column": "code", "equals": 5}, frame) == [True, False, False, False]
    assert match_({"column": "n", "equals": "5"}, frame) == [True, True, True, False]
    assert match_({"column": "x", "equals": 5}, frame) == [True, False, False, False]


def test_in_list_of_values():
    frame = pd.DataFrame({"district": ["Kadıköy", "Fatih", "Esenyurt", None]})
    assert match_({"column": "district", "in": ["Fatih", "Esenyurt"]}, frame) == [False, True, True, False]


def test_in_on_boolean_column_uses_true_false():
    frame = pd.DataFrame({"flag": [True, False, True]})
    assert match_({"column": "flag", "equals": True}, frame) == [True, False, True]


def test_in_on_categorical_column():
    frame = pd.DataFrame(
        {"sex": pd.Categorical(["female", "male", None, "female"], categories=["female", "male", "x"])}
    )
    assert match_({"column": "sex", "in": ["female", "x"]}, frame) == [True, False, False, True]


@pytest.mark.parametrize(
    "code",
    ["10.4.0.00", "1040000", "10 4 0 00", "10-4-0-00", "104000", "10.4", "10.4.1.01", " 10.4.0.00 "],
)
def test_prefix_tolerates_code_formats(code):
    frame = pd.DataFrame({C.FUNCTIONAL_CODE: [code]})
    assert match_({"column": C.FUNCTIONAL_CODE, "prefix": "10.4"}, frame) == [True]
    assert match_({"column": C.FUNCTIONAL_CODE, "prefix": "104"}, frame) == [True]
    assert match_({"column": C.FUNCTIONAL_CODE, "prefix": "10 4"}, frame) == [True]


@pytest.mark.parametrize("code", ["10.40.0.00", "1.04.0.00", "10.5.0.00", "01.4.0.00", "10", "09.4.0.00"])
def test_prefix_respects_level_boundaries(code):
    frame = pd.DataFrame({C.FUNCTIONAL_CODE: [code]})
    assert match_({"column": C.FUNCTIONAL_CODE, "prefix": "10.4"}, frame) == [False]


def test_prefix_on_first_level_does_not_match_longer_first_level():
    frame = pd.DataFrame({"code": ["10.4.0.00", "1.0.4.00", "1040", "2.1"]})
    # "1" is not a level of "10.4.0.00"; it is the first level of "1.0.4.00"; "1040" has no visible levels
    assert match_({"column": "code", "prefix": "1"}, frame) == [False, True, True, False]
    # with declared one-digit levels, "1.0" is two levels: the undotted "1040" is read as 1 | 0 | 4 | 0
    assert match_({"column": "code", "prefix": "1.0", "levels": [1, 1, 1, 2]}, frame) == [
        False,
        True,
        True,
        False,
    ]


def test_prefix_without_known_levels_on_undotted_codes_is_a_digit_prefix():
    frame = pd.DataFrame({"code": ["1234", "12.34", "1.234", "2234"]})
    assert match_({"column": "code", "prefix": "12"}, frame) == [True, True, False, False]


def test_prefix_list_and_economic_levels():
    frame = pd.DataFrame({C.ECONOMIC_CODE: ["03.5.1.08", "0351", "03.2.1.01", "05.4.0.00", "05.48.0.00"]})
    got = match_({"column": C.ECONOMIC_CODE, "prefix": ["03.5", "05.4"]}, frame)
    assert got == [True, True, False, True, False]


def test_prefix_on_institutional_codes_with_two_digit_levels():
    frame = pd.DataFrame({C.INSTITUTIONAL_CODE: ["46.34.01.16", "46340116", "46.34.11.16", "46.3.4"]})
    got = match_({"column": C.INSTITUTIONAL_CODE, "prefix": "46.34.01"}, frame)
    assert got == [True, True, False, False]


def test_code_parts_documented_examples():
    assert code_parts("10.4.0.00") == ("104000", (1 << 2) | (1 << 3) | (1 << 4) | (1 << 6))
    assert code_parts("10 4 0 00") == code_parts("10.4.0.00")
    assert code_parts("1040", (2, 1, 1, 2)) == ("1040", (1 << 2) | (1 << 3) | (1 << 4))
    assert prefix_parts("104") == ("104", 1 << 3)
    assert code_matches_prefix("104000", "10.4", (2, 1, 1, 2))
    assert not code_matches_prefix("104000", "1", (2, 1, 1, 2))


@pytest.mark.parametrize(
    "text", ["KADIN DAYANIŞMA EVİ", "Kadın dayanışma evi", "kadin dayanisma evi", "KADİN"]
)
def test_contains_folds_turkish_case_and_diacritics(text):
    frame = pd.DataFrame({"description": [text]})
    assert match_({"column": "description", "contains": "kadın"}, frame) == [True]
    assert match_({"column": "description", "contains": "KADIN"}, frame) == [True]
    assert match_({"column": "description", "contains": "kadin"}, frame) == [True]


def test_contains_dotted_and_dotless_i():
    frame = pd.DataFrame({"d": ["İSTANBUL", "istanbul", "Istanbul", "ISIK", "ışık", "IŞIK SOKAK", "isik"]})
    assert match_({"column": "d", "contains": "istanbul"}, frame) == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert match_({"column": "d", "contains": "İSTANBUL"}, frame) == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert match_({"column": "d", "contains": "ışık"}, frame) == [False, False, False, True, True, True, True]
    assert match_({"column": "d", "contains": "ISIK"}, frame) == [False, False, False, True, True, True, True]


def test_contains_any_and_all():
    frame = pd.DataFrame({"d": ["Kadın sığınma evi", "Şiddet hattı", "Kadın şiddet", "Yol", None]})
    assert match_({"column": "d", "contains_any": ["kadın", "ŞİDDET"]}, frame) == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert match_({"column": "d", "contains_all": ["kadın", "ŞİDDET"]}, frame) == [
        False,
        False,
        True,
        False,
        False,
    ]


def test_contains_word_boundaries():
    frame = pd.DataFrame(
        {"d": ["kadın", "kadınlara destek", "yetişkadın", "(Kadın)", "kadın-erkek", "kadın2"]}
    )
    assert match_({"column": "d", "contains": "kadın", "word": True}, frame) == [
        True,
        False,
        False,
        True,
        True,
        False,
    ]
    assert match_({"column": "d", "contains": "kadın", "word": "start"}, frame) == [
        True,
        True,
        False,
        True,
        True,
        True,
    ]
    assert match_({"column": "d", "contains": "kadın"}, frame) == [True] * 6


def test_contains_with_regex_characters_in_search_word():
    frame = pd.DataFrame({"d": ["a.b (c) x", "axb c x", "a+b"]})
    assert match_({"column": "d", "contains": "a.b (c)", "word": True}, frame) == [True, False, False]
    assert match_({"column": "d", "contains_any": ["a+b", "zz"], "word": "start"}, frame) == [
        False,
        False,
        True,
    ]


def test_regex_searches_raw_text_or_folded_text():
    frame = pd.DataFrame({"code": ["KRS-01", "krs-02", "SPR-01", "XKRS-1"]})
    assert match_({"column": "code", "regex": "^KRS-\\d+$"}, frame) == [True, False, False, False]
    assert match_({"column": "code", "regex": "^krs-", "fold": True}, frame) == [True, True, False, False]


def test_between_inclusive_and_open_ended():
    frame = pd.DataFrame(
        {"age": [0, 17, 18, 64, 65, 120, np.nan], "txt": ["1", "x", "18", "64.5", None, "65", ""]}
    )
    assert match_({"column": "age", "between": {"min": 18, "max": 64}}, frame) == [
        False,
        False,
        True,
        True,
        False,
        False,
        False,
    ]
    assert match_({"column": "age", "between": {"min": 65}}, frame) == [
        False,
        False,
        False,
        False,
        True,
        True,
        False,
    ]
    assert match_({"column": "age", "between": {"max": 17}}, frame) == [
        True,
        True,
        False,
        False,
        False,
        False,
        False,
    ]
    assert match_({"column": "txt", "between": {"min": 18}}, frame) == [
        False,
        False,
        True,
        True,
        False,
        True,
        False,
    ]


def test_missing_true_and_false_blank_text_counts_as_missing():
    frame = pd.DataFrame({"d": ["x", None, "", "  ", "y"], "n": [1.0, np.nan, 2.0, np.nan, 0.0]})
    assert match_({"column": "d", "missing": True}, frame) == [False, True, True, True, False]
    assert match_({"column": "d", "missing": False}, frame) == [True, False, False, False, True]
    assert match_({"column": "n", "missing": True}, frame) == [False, True, False, True, False]


def test_predicates_are_false_on_missing_values_but_not_inverts():
    frame = pd.DataFrame({"d": ["a", None, ""]})
    assert match_({"column": "d", "contains": "a"}, frame) == [True, False, False]
    assert match_({"not": {"column": "d", "equals": "a"}}, frame) == [False, True, True]


def test_numeric_object_column_compares_as_text():
    frame = pd.DataFrame({"v": pd.Series([1, "1", 2.0, "x"], dtype="object")})
    assert match_({"column": "v", "in": [1, 2]}, frame) == [True, True, True, False]


# the fixture is wrapped to a module-level name so the tests read as plain calls
@pytest.fixture(autouse=True)
def _bind(match):
    global match_
    match_ = match
    yield
