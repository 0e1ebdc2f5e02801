"""What a predicate means for one value: the reference semantics of the rule language.

The engine never calls these functions row by row: :mod:`gcdb.rules.compile` evaluates the same semantics on the
distinct values of a column with numpy and pyarrow. The scalar functions here define the meaning, are used by the
tests as an independent oracle, and by ``benchmarks/bench_tagging.py`` as the "plain Python" baseline.

Definitions (also in ``rules/README.md``):

*Missing.* ``None``, NaN, ``pd.NA``, ``NaT`` and text that is empty after trimming are missing. Every predicate is
false on a missing value except ``missing: true``.

*Column kind.* A column of numeric dtype (integers, floats, nullable numbers; not booleans) is *numeric*; every
other column is *text*, its values compared through :func:`value_text` (booleans as ``true``/``false``).

*equals / in.* Numeric column: numeric equality with the rule's values (a quoted number such as ``"5"`` counts as
5; other text never matches). Text column: exact text equality with the rule's values written as text (``5`` →
``"5"``, ``2.0`` → ``"2"``); with ``fold: true`` both sides are folded with :func:`gcdb.text.fold` first.

*prefix.* See :func:`code_parts`. A code matches a prefix when its digits start with the prefix's digits **and**
every level boundary of the prefix (including its end) is a level boundary of the code.

*contains, contains_any, contains_all.* Both the value and the search words are folded (Turkish-aware lower case,
diacritics removed, white space collapsed): ``KADIN``, ``Kadın`` and ``kadin`` are the same word, as are
``İSTANBUL`` and ``istanbul``, ``IŞIK`` and ``ışık``. ``word: true`` requires the word to stand alone (not preceded
or followed by a letter or digit); ``word: start`` requires only that it starts a word, so ``kadın`` finds
``kadınlara`` but not ``yetişkadın``.

*regex.* RE2 syntax (run by :mod:`pyarrow.compute` in linear time; Python :mod:`re` syntax without
backreferences and lookarounds), searched anywhere in the text (anchor with ``^``/``$``); ``fold: true`` searches
the folded text.

*between.* The value as a number (numeric column, or text that parses as a number) within ``min``/``max``,
inclusive.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.rules.model import AllOf, Always, AnyOf, Not, Predicate, Rule
from gcdb.text import fold

#: Digits per level of the hierarchical codes of the Turkish analytic budget classification. Used to find the
#: level boundaries of codes written without separators (``1040`` → 10 | 4 | 0) and to check rule prefixes.
DEFAULT_LEVELS: dict[str, tuple[int, ...]] = {
    C.FUNCTIONAL_CODE: (2, 1, 1, 2),  # 10.4.0.00
    C.ECONOMIC_CODE: (2, 1, 1, 2),  # 03.5.1.08
    C.INSTITUTIONAL_CODE: (2, 2, 2, 2),  # 46.34.01.16
}

_GROUPS = re.compile(r"\d+")
_MAX_DIGITS = 63  # boundaries are kept as bits of a uint64


# ---------------------------------------------------------------------------------------------------------------
# Value helpers shared with the vectorised compiler
# ---------------------------------------------------------------------------------------------------------------
def is_missing(value: Any) -> bool:
    """Whether ``value`` counts as missing (NA, NaN, NaT, None, blank text)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def value_text(value: Any) -> str:
    """Text form of a value for comparisons on text columns: ``True`` → ``"true"``, ``5`` → ``"5"``,
    ``2.0`` → ``"2"``, ``2.5`` → ``"2.5"``; text unchanged."""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        value = float(value)
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def number_of(value: Any) -> float | None:
    """``value`` as a float: numbers as they are, text if it parses as a number, else None."""
    if isinstance(value, bool | np.bool_) or value is None:
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        out = float(value)
        return None if math.isnan(out) else out
    if isinstance(value, str):
        try:
            out = float(value.strip())
        except ValueError:
            return None
        return None if math.isnan(out) else out
    return None


def is_numeric_dtype(dtype: Any) -> bool:
    """Whether a column of this dtype is compared numerically (numbers, not booleans; a categorical column by
    the dtype of its categories)."""
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    return bool(pd.api.types.is_numeric_dtype(dtype)) and not pd.api.types.is_bool_dtype(dtype)


# ---------------------------------------------------------------------------------------------------------------
# Hierarchical codes
# ---------------------------------------------------------------------------------------------------------------
def code_parts(text: str, levels: tuple[int, ...] | None = None) -> tuple[str, int]:
    """Digits and level boundaries of a hierarchical code.

    Returns ``(digits, boundaries)`` where ``boundaries`` is a bit set: bit ``k`` is set when a level ends after
    ``k`` digits. Every run of non-digits (``.``, space, ``-``, ``/``) separates two levels, so ``10.4.0.00`` and
    ``10 4 0 00`` both give ``("104000", {2, 3, 4, 6})``. A code written as one run of digits (``1040``) takes its
    boundaries from ``levels`` when given (``(2, 1, 1, 2)`` → ``{2, 3, 4}``; the end of the code is always a
    boundary); with no ``levels`` every position is a boundary, i.e. plain digit-prefix matching.
    """
    groups = _GROUPS.findall(text)
    digits = "".join(groups)[:_MAX_DIGITS]
    bits = 0
    if not digits:
        return "", 0
    if len(groups) > 1:
        pos = 0
        for group in groups:
            pos += len(group)
            if pos > _MAX_DIGITS:
                break
            bits |= 1 << pos
    elif levels:
        pos = 0
        for width in levels:
            pos += width
            if pos >= len(digits):
                break
            bits |= 1 << pos
        bits |= 1 << len(digits)
    else:
        for pos in range(1, len(digits) + 1):
            bits |= 1 << pos
    return digits, bits


def prefix_parts(prefix: str, levels: tuple[int, ...] | None = None) -> tuple[str, int]:
    """Digits and required boundaries of a rule's prefix.

    A prefix written with separators requires its own boundaries (``10.4`` → after 2 and 3 digits); one written as a
    single run of digits requires the boundaries ``levels`` give it (``104`` with ``(2, 1, 1, 2)`` → 2 and 3) or,
    without levels, only its end.
    """
    digits, bits = code_parts(prefix, levels)
    if len(_GROUPS.findall(prefix)) == 1 and not levels:
        bits = 1 << len(digits)
    return digits, bits


def prefix_level_problem(prefix: str, levels: tuple[int, ...]) -> str | None:
    """Why ``prefix`` does not fit the code's ``levels`` (None when it fits)."""
    digits, bits = prefix_parts(prefix, levels)
    expected = 0
    pos = 0
    for width in levels:
        pos += width
        if pos > len(digits):
            break
        expected |= 1 << pos
    if bits != expected or not expected >> len(digits) & 1:
        shape = ".".join("9" * w for w in levels)
        from gcdb.i18n import t

        return t("rules.prefix_boundary", prefix=repr(prefix), shape=shape)
    return None


def code_matches_prefix(value_text_: str, prefix: str, levels: tuple[int, ...] | None = None) -> bool:
    """Scalar prefix test (see :func:`code_parts`)."""
    digits, bits = code_parts(value_text_, levels)
    p_digits, p_bits = prefix_parts(prefix, levels)
    return digits.startswith(p_digits) and (bits & p_bits) == p_bits


# ---------------------------------------------------------------------------------------------------------------
# Scalar evaluation (reference semantics)
# ---------------------------------------------------------------------------------------------------------------
def _word_hit(text: str, needle: str, word: bool | str) -> bool:
    if not word:
        return needle in text
    start = text.find(needle)
    while start >= 0:
        before_ok = start == 0 or not text[start - 1].isalnum()
        end = start + len(needle)
        after_ok = word == "start" or end == len(text) or not text[end].isalnum()
        if before_ok and after_ok:
            return True
        start = text.find(needle, start + 1)
    return False


def value_matches(pred: Predicate, value: Any, *, numeric: bool) -> bool:
    """Whether one cell ``value`` satisfies ``pred``; ``numeric`` is the column kind (see module docstring)."""
    op = pred.operator
    missing = is_missing(value)
    if op == "missing":
        return missing == pred.missing
    if missing:
        return False
    if op in ("equals", "in"):
        wanted = [pred.equals] if op == "equals" else list(pred.in_ or [])
        if numeric:
            number = number_of(value)
            return number is not None and any(
                number_of(w) == number for w in wanted if number_of(w) is not None
            )
        text = value_text(value)
        if pred.fold:
            return fold(text) in {fold(value_text(w)) for w in wanted}
        return text in {value_text(w) for w in wanted}
    if op == "prefix":
        levels = tuple(pred.levels) if pred.levels else DEFAULT_LEVELS.get(pred.column)
        return any(code_matches_prefix(value_text(value), p, levels) for p in pred.prefixes)
    if op in ("contains", "contains_any", "contains_all"):
        text = fold(value_text(value))
        hits = [_word_hit(text, fold(n), pred.word) for n in pred.needles]
        return all(hits) if op == "contains_all" else any(hits)
    if op == "regex":
        assert pred.regex is not None  # Predicate._one_operator refuses `regex: null`
        text = value_text(value)
        return bool(regex_search([fold(text) if pred.fold else text], pred.regex)[0])
    if op == "between":
        number = number_of(value)
        if number is None:
            return False
        assert pred.between is not None  # Predicate._one_operator refuses `between: null`
        lo, hi = pred.between.min, pred.between.max
        return (lo is None or number >= lo) and (hi is None or number <= hi)
    raise ValueError(f"unknown operator {op!r}")  # pragma: no cover


def condition_matches(condition: Any, row: Mapping[str, Any], numeric: Mapping[str, bool]) -> bool:
    """Whether ``row`` (column → value) satisfies ``condition``; ``numeric`` gives each column's kind."""
    if isinstance(condition, Predicate):
        return value_matches(
            condition, row.get(condition.column), numeric=numeric.get(condition.column, False)
        )
    if isinstance(condition, AllOf):
        return all(condition_matches(c, row, numeric) for c in condition.all_)
    if isinstance(condition, AnyOf):
        return any(condition_matches(c, row, numeric) for c in condition.any_)
    if isinstance(condition, Not):
        return not condition_matches(condition.not_, row, numeric)
    if isinstance(condition, Always):
        return True
    raise TypeError(f"not a condition: {condition!r}")


def year_applies(rule: Rule, year: Any) -> bool:
    """Whether ``rule``'s validity years admit a row of fiscal year ``year`` (rows without a year: only unbounded
    rules)."""
    if not rule.bounded:
        return True
    number = None if is_missing(year) else number_of(year)
    if number is None:
        return False
    return (rule.valid_from is None or number >= rule.valid_from) and (
        rule.valid_to is None or number <= rule.valid_to
    )


def rule_matches(
    rule: Rule, row: Mapping[str, Any], numeric: Mapping[str, bool], *, year_column: str = C.FISCAL_YEAR
) -> bool:
    """Whether ``rule`` applies to ``row``: validity years and condition."""
    return year_applies(rule, row.get(year_column)) and condition_matches(rule.when, row, numeric)


# ---------------------------------------------------------------------------------------------------------------
# regular expressions: RE2 (linear time) through pyarrow
# ---------------------------------------------------------------------------------------------------------------
def regex_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot run (``None`` when it can). Regexes run on RE2 (``pyarrow.compute``): linear time, no
    backreferences (``\\1``) or lookarounds (``(?=``, ``(?!``, ``(?<=``, ``(?<!``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        pc.match_substring_regex(pa.array([""], type=pa.large_string()), pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        from gcdb.i18n import t

        reason = str(exc).replace("Invalid regular expression: ", "")
        return t("rules.regex_re2", regex=repr(pattern), reason=reason)
    return None


def regex_search(texts, pattern: str):
    """Boolean array: ``pattern`` is found in each of ``texts`` (RE2, vectorised, linear time)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = (
        texts
        if isinstance(texts, pa.Array | pa.ChunkedArray)
        else pa.array(list(texts), type=pa.large_string())
    )
    try:
        hit = pc.match_substring_regex(arr, pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        from gcdb.errors import RuleError

        raise RuleError(regex_problem(pattern) or str(exc)) from exc
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)
