"""Exact parsing of numbers and dates as municipalities write them.

Money becomes integer **kuruş** through string arithmetic: the digits before and after the decimal separator are
read as integers, never through a float, so ``0,29`` is exactly 29 kuruş and ``1.234.567,89`` exactly 123456789.

Number formats (decided per value, then per file)
-------------------------------------------------
=============================  =====================================================================
text                           reading
=============================  =====================================================================
``1234567``                    plain integer
``1.234.567,89`` ``1.234,5``   Turkish: ``.`` groups thousands, ``,`` is the decimal separator
``1,234,567.89`` ``1,234.5``   plain/English: ``,`` groups thousands, ``.`` is the decimal separator
``1234567,89`` ``0,29``        one separator that cannot be grouping → it is the decimal separator
``1 234 567,89``               spaces (also no-break spaces) group thousands in groups of three
``-5`` ``(5)`` ``5-``          negative; ``+5`` positive; ``TL``/``₺``/``TRY`` before or after is ignored
``-`` (a dash alone)           zero, as Excel's accounting format shows it (money columns only)
=============================  =====================================================================

When both separators occur, **the last one is the decimal separator** and the other must group digits in threes
(``1.23.4`` is unparseable). A separator occurring more than once is grouping.

The one ambiguous shape is a single separator followed by exactly three digits after a 1–3 digit leading group
without a leading zero: ``1.234`` or ``12,500``. It is resolved by the file's convention: if any unambiguous value in
the file's number columns shows decimal comma (``1.234,56``, ``0,5``) the file is Turkish and ``1.234`` is 1234 while
``1,234`` is 1.234; if any shows decimal point the file is plain and the reverse holds. With no evidence the
separator is read as **grouping** (money has at most two decimals, so ``1.000`` is a thousand, not one). A file that
mixes both conventions is resolved column by column; a column that mixes both makes its ambiguous values
``unparseable_number`` rather than guessing. Callers can force the convention with ``decimal=","`` or ``"."``.

More decimals than the column allows (2 for money, 0 for counts and years) is an error unless every extra digit
is ``0`` (``1234,500`` is fine, ``1234,567`` is not).

Speed: the distinct texts in the common shapes (an optional ``+``/``-``, digits, ``.``/``,`` as above) are
recognised and read for all values at once with Arrow string kernels (all digits as one ``int64``, never a float);
only the other texts, and the values that are not read (with their reason), go through Python one by one.

Dates: ``2023-03-01``, ``2023-03-01 00:00:00`` (also with ``T``), ``01.03.2023``, ``1.3.2023``, ``01/03/2023`` and
``01-03-2023`` (always day first, as in Turkey). Excel date cells arrive as ISO text (see :func:`cell_text`).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from gcdb.i18n import t
from gcdb.text import arrow_strings, factorize

#: Status codes in :class:`ParsedNumbers` ``status``.
OK, BLANK, INVALID = 0, 1, 2

#: Decimal-separator conventions.
DECIMAL_COMMA, DECIMAL_POINT, MIXED = ",", ".", "mixed"

#: Most integer digits accepted (10^15 TL = 10^17 kuruş, well inside int64).
MAX_INTEGER_DIGITS = 15

_CURRENCY = re.compile(r"^(?:TL|TRY|₺)\s*|\s*(?:TL|TRY|₺)$", re.IGNORECASE)
_SPACES = re.compile("[\u00a0\u202f\u2009]")
_DASHES = frozenset({"-", "−", "–"})

# shapes of a number body (sign, currency and space grouping removed); the first alternative that matches the
# whole body names its shape (``Match.lastgroup``)
_SHAPE = re.compile(
    r"(?P<int>[0-9]+)"
    r"|(?P<ambig_point>[1-9][0-9]{0,2}\.[0-9]{3})"
    r"|(?P<ambig_comma>[1-9][0-9]{0,2},[0-9]{3})"
    r"|(?P<dec_point>[0-9]*\.[0-9]+)"
    r"|(?P<dec_comma>[0-9]*,[0-9]+)"
    r"|(?P<tr_group>[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?)"
    r"|(?P<en_group>[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?)"
)
_EVIDENCE = {
    "dec_comma": DECIMAL_COMMA,
    "tr_group": DECIMAL_COMMA,
    "dec_point": DECIMAL_POINT,
    "en_group": DECIMAL_POINT,
}
_SPACED = re.compile(r"[1-9][0-9]{0,2}(?: [0-9]{3})+(?:[.,][0-9]+)?")


@dataclass(frozen=True)
class ParsedNumbers:
    """Result of :func:`parse_decimal`: one entry per input value.

    ``values`` are integers scaled by ``10**scale`` (kuruş for ``scale=2``), 0 where not :data:`OK`;
    ``status`` is :data:`OK`, :data:`BLANK` or :data:`INVALID`; ``reason`` says why a value is invalid
    (``None`` elsewhere).
    """

    values: np.ndarray
    status: np.ndarray
    reason: np.ndarray

    @property
    def ok(self) -> np.ndarray:
        return self.status == OK

    @property
    def blank(self) -> np.ndarray:
        return self.status == BLANK

    @property
    def invalid(self) -> np.ndarray:
        return self.status == INVALID


@dataclass(frozen=True)
class _Body:
    """One distinct text, taken apart: ``kind`` is ``"blank"``, ``"dash"``, ``"bad"`` or a shape name."""

    body: str
    negative: bool
    kind: str


def _take_apart(text: str) -> _Body:
    text = text.strip()
    m = _SHAPE.fullmatch(text)
    # the common case: an unsigned number with nothing around it (every shape is a named group)
    if m is not None and m.lastgroup is not None:
        return _Body(text, False, m.lastgroup)
    if not text[:1].isdigit() or not text[-1:].isdigit():
        text = _CURRENCY.sub("", text).strip()
    if "\u00a0" in text or "\u202f" in text or "\u2009" in text:
        text = _SPACES.sub(" ", text).strip()
    if not text:
        return _Body("", False, "blank")
    if text in _DASHES:
        return _Body("", False, "dash")
    signs = 0
    negative = False
    if text.startswith("(") and text.endswith(")"):
        text, negative, signs = text[1:-1].strip(), True, signs + 1
    if text[:1] in ("-", "−", "–", "+"):
        negative = negative or text[0] != "+"
        text, signs = text[1:].strip(), signs + 1
    if text[-1:] in ("-", "−") and text[:-1].rstrip()[-1:].isdigit():
        text, negative, signs = text[:-1].strip(), True, signs + 1
    if " " in text:
        if not _SPACED.fullmatch(text):
            return _Body(text, negative, "bad")
        text = text.replace(" ", "")
    if signs > 1:
        return _Body(text, negative, "bad")
    m = _SHAPE.fullmatch(text)
    return _Body(text, negative, m.lastgroup if m is not None and m.lastgroup is not None else "bad")


def _evidence(kinds) -> str | None:
    found = {_EVIDENCE[k] for k in kinds if k in _EVIDENCE}
    if len(found) > 1:
        return MIXED
    return found.pop() if found else None


def _canonical(part: _Body, convention: str | None) -> str | None:
    """``digits`` or ``digits.fraction`` of a recognised shape; ``None`` if ambiguous under ``convention``."""
    body, kind = part.body, part.kind
    if kind in ("int", "dec_point"):
        return body
    if kind == "dec_comma":
        return body.replace(",", ".")
    if kind == "tr_group":
        return body.replace(".", "").replace(",", ".")
    if kind == "en_group":
        return body.replace(",", "")
    if convention == MIXED:
        return None
    if kind == "ambig_point":  # 1.234: decimal point only in a plain file
        return body if convention == DECIMAL_POINT else body.replace(".", "")
    # ambig_comma, 1,234: decimal comma only in a Turkish file
    return body.replace(",", ".") if convention == DECIMAL_COMMA else body.replace(",", "")


def _scaled(
    part: _Body, convention, scale: int, dash_is_zero: bool, max_digits: int
) -> tuple[int, int, str | None]:
    if part.kind == "blank":
        return 0, BLANK, None
    if part.kind == "dash":
        return (0, OK, None) if dash_is_zero else (0, INVALID, t("read.number.not_a_number"))
    if part.kind == "bad":
        return 0, INVALID, t("read.number.not_a_number")
    canon = _canonical(part, convention)
    if canon is None:
        return 0, INVALID, t("read.number.ambiguous")
    whole, _, fraction = canon.partition(".")
    whole = whole.lstrip("0")
    if len(whole) > max_digits:
        return 0, INVALID, t("read.number.too_large", digits=max_digits)
    if fraction[scale:].strip("0"):
        reason = t("read.number.not_whole") if scale == 0 else t("read.number.decimals", scale=scale)
        return 0, INVALID, reason
    value = int(whole or "0") * 10**scale + int(fraction[:scale].ljust(scale, "0") or "0")
    return (-value if part.negative else value), OK, None


# the fast shapes, recognised for all distinct values at once (one match with Arrow's RE2, no Python per value):
# an optional ASCII sign, then a body in one of :data:`_SHAPE`'s shapes, nothing around it; which shape it is
# comes from its separators (:func:`_fast_kinds`). Every other text (spaces, currency, parentheses, trailing sign,
# Unicode dashes, junk) is taken apart per value by ``_take_apart``.
_KINDS: Final = ("blank", "dash", "bad", *_SHAPE.groupindex)
_KIND: Final = {name: np.int8(i) for i, name in enumerate(_KINDS)}
_FAST: Final = "^[+-]?(?:" + re.sub(r"\(\?P<[a-z_]+>", "(?:", _SHAPE.pattern) + ")$"
#: body digits beyond which the fast path leaves a value to the exact per-value path (int64 holds 18 digits)
_FAST_DIGITS: Final = 18


@dataclass(frozen=True)
class PreparedNumbers:
    """A text column taken apart once per distinct value (see :func:`prepare_numbers`).

    ``codes``: each row's distinct value (-1: missing); per distinct value, ``kinds`` (index in ``_KINDS``: blank,
    dash, bad or a shape of ``_SHAPE``), ``negative`` and ``bodies`` (the number without sign, currency or space
    grouping, as Arrow ``large_string``).
    """

    codes: np.ndarray
    kinds: np.ndarray
    negative: np.ndarray
    bodies: pa.Array

    @property
    def parts(self) -> tuple[_Body, ...]:
        """The distinct values as :class:`_Body` (built on demand; parsing does not need them)."""
        return tuple(
            _Body(b, bool(n), _KINDS[k])
            for b, n, k in zip(
                self.bodies.to_pylist(), self.negative.tolist(), self.kinds.tolist(), strict=True
            )
        )

    @property
    def evidence(self) -> str | None:
        """The decimal separator this column's unambiguous values show (``","``, ``"."``, ``"mixed"``, ``None``)."""
        return _evidence(_KINDS[k] for k in np.unique(self.kinds).tolist())


def _distinct_texts(uniques) -> pa.Array:
    """The distinct values of :func:`pandas.factorize` as Arrow text, each as ``str()`` makes it."""
    if isinstance(getattr(uniques, "dtype", None), pd.StringDtype):
        texts = pa.array(uniques, type=pa.large_string(), from_pandas=True)
        return texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    return pa.array([str(u) for u in uniques], type=pa.large_string())


#: Values looked at to tell a column of mostly distinct numbers (amounts) from one of few (ages, years).
_SAMPLE_ROWS: Final = 2048


def _mostly_distinct(series: pd.Series) -> tuple[np.ndarray, pa.Array] | None:
    """``(codes, texts)`` of an Arrow-backed text column whose first values are mostly distinct (amounts): every
    present value taken as its own "distinct" value — the same parse, without hashing the column to find values
    that rarely repeat. ``None`` for any other column (factorised by the caller)."""
    strings = arrow_strings(series) if len(series) > _SAMPLE_ROWS else None
    if strings is None or pc.count_distinct(strings.slice(0, _SAMPLE_ROWS)).as_py() * 2 <= _SAMPLE_ROWS:
        return None
    present = np.asarray(pc.is_valid(strings), dtype=bool)
    return np.where(present, np.cumsum(present) - 1, -1), strings.drop_null().combine_chunks()


def _fast_kinds(bodies: pa.Array) -> np.ndarray:
    """The shape (``_KIND``) of bodies known to match one of :data:`_SHAPE`'s shapes, from where their separators
    are: a fully matching body is digits with ``.``/``,`` placed as one of the shapes allows, so counting and
    finding the separators tells the shapes apart in the order ``_SHAPE`` tries them."""
    n = len(bodies)
    kinds = np.full(n, _KIND["int"], dtype=np.int8)
    if n == 0:
        return kinds
    dots = np.asarray(pc.count_substring(bodies, "."), dtype=np.int64)
    commas = np.asarray(pc.count_substring(bodies, ","), dtype=np.int64)
    dot = np.asarray(pc.find_substring(bodies, "."), dtype=np.int64)
    comma = np.asarray(pc.find_substring(bodies, ","), dtype=np.int64)
    length = np.asarray(pc.binary_length(bodies), dtype=np.int64)  # ASCII: bytes are characters
    leading_zero = np.asarray(pc.starts_with(bodies, "0"), dtype=bool)
    one_dot = (dots == 1) & (commas == 0)
    one_comma = (commas == 1) & (dots == 0)
    # 1.234 / 12,500: a 1–3 digit group without a leading zero, then exactly three digits
    ambig_point = one_dot & ~leading_zero & (dot >= 1) & (dot <= 3) & (length - dot - 1 == 3)
    ambig_comma = one_comma & ~leading_zero & (comma >= 1) & (comma <= 3) & (length - comma - 1 == 3)
    kinds[one_dot] = _KIND["dec_point"]
    kinds[ambig_point] = _KIND["ambig_point"]
    kinds[one_comma] = _KIND["dec_comma"]
    kinds[ambig_comma] = _KIND["ambig_comma"]
    both = (dots > 0) & (commas > 0)
    kinds[((dots > 1) & (commas == 0)) | (both & (comma > dot))] = _KIND["tr_group"]
    kinds[((commas > 1) & (dots == 0)) | (both & (dot > comma))] = _KIND["en_group"]
    return kinds


def prepare_numbers(series: pd.Series) -> PreparedNumbers:
    """Take a text column apart (sign, grouping, shape) once per distinct value; parse with :func:`parse_decimal`.

    The common shapes (an optional ``+``/``-`` and digits with ``.``/``,`` as in :data:`_SHAPE`) are recognised
    for all distinct values at once; only the other texts go through the per-value ``_take_apart``.
    """
    distinct = _mostly_distinct(series)
    if distinct is not None:
        codes, texts = distinct
    else:
        codes, uniques = factorize(series)
        texts = _distinct_texts(uniques)
    n = len(texts)
    kinds = np.full(n, _KIND["bad"], dtype=np.int8)
    negative = np.zeros(n, dtype=bool)
    if n == 0:
        return PreparedNumbers(codes=codes, kinds=kinds, negative=negative, bodies=texts)
    fast = np.asarray(pc.fill_null(pc.match_substring_regex(texts, _FAST), False), dtype=bool)
    signed = pc.or_(pc.starts_with(texts, "-"), pc.starts_with(texts, "+"))
    bodies = pc.if_else(signed, pc.utf8_slice_codeunits(texts, 1), texts)
    kinds[fast] = _fast_kinds(bodies.filter(pa.array(fast)))
    negative[fast] = np.asarray(pc.starts_with(texts, "-"), dtype=bool)[fast]
    slow = np.flatnonzero(~fast)
    if len(slow):
        slow_parts = [_take_apart(text) for text in texts.take(pa.array(slow)).to_pylist()]
        kinds[slow] = [_KIND[p.kind] for p in slow_parts]
        negative[slow] = [p.negative for p in slow_parts]
        bodies = pc.replace_with_mask(
            bodies, pa.array(~fast), pa.array([p.body for p in slow_parts], type=pa.large_string())
        )
    return PreparedNumbers(codes=codes, kinds=kinds, negative=negative, bodies=bodies)


def detect_decimal(*series: pd.Series | PreparedNumbers) -> str | None:
    """The decimal separator the number columns ``series`` use: ``","``, ``"."``, ``"mixed"`` or ``None``.

    ``None`` means no value settles it (only integers and ambiguous ``1.234``-shaped values).
    """
    found = {(s if isinstance(s, PreparedNumbers) else prepare_numbers(s)).evidence for s in series} - {None}
    if MIXED in found or len(found) > 1:
        return MIXED
    return found.pop() if found else None


def _fast_scaled(
    prepared: PreparedNumbers, convention, scale: int, max_digits: int
) -> tuple[np.ndarray, np.ndarray]:
    """``(values, done)`` per distinct value: the shapes read with Arrow string kernels into int64 (never a float),
    ``done`` where that gives an :data:`OK` value; everything else (ambiguous, too large, too many decimals) is
    left to ``_scaled``, which finds the reason."""
    kinds = prepared.kinds
    n = len(kinds)
    values = np.zeros(n, dtype=np.int64)
    done = np.zeros(n, dtype=bool)
    shaped = kinds >= _KIND["int"]
    ambiguous = (kinds == _KIND["ambig_point"]) | (kinds == _KIND["ambig_comma"])
    if convention == MIXED:
        shaped &= ~ambiguous
    at = np.flatnonzero(shaped)
    if len(at) == 0 or scale > _FAST_DIGITS:
        return values, done
    k = kinds[at]
    bodies = prepared.bodies.take(pa.array(at))
    # decimal comma: "." groups and "," is the decimal point; otherwise "," groups (see _canonical)
    comma = (
        (k == _KIND["dec_comma"])
        | (k == _KIND["tr_group"])
        | ((k == _KIND["ambig_point"]) & (convention != DECIMAL_POINT))
        | ((k == _KIND["ambig_comma"]) & (convention == DECIMAL_COMMA))
    )
    # all digits as one integer, and how many of them are decimals (after the one decimal separator, if any)
    point = np.where(
        comma,
        np.asarray(pc.find_substring(bodies, ","), dtype=np.int64),
        np.asarray(pc.find_substring(bodies, "."), dtype=np.int64),
    )
    length = np.asarray(pc.binary_length(bodies), dtype=np.int64)
    decimals = np.where(point >= 0, length - point - 1, 0)
    digits = pc.replace_substring(pc.replace_substring(bodies, ".", ""), ",", "")
    fits = np.asarray(pc.binary_length(digits), dtype=np.int64) <= _FAST_DIGITS
    if not fits.any():
        return values, done
    at, decimals, digits = at[fits], decimals[fits], digits.filter(pa.array(fits))
    number = np.asarray(pc.cast(digits, pa.int64()), dtype=np.int64)
    power = 10 ** np.arange(_FAST_DIGITS + 1, dtype=np.int64)
    whole = number // power[decimals]
    extra = np.maximum(decimals - scale, 0)
    # not too large (and inside int64 once scaled), no non-zero decimal beyond the scale
    ok = (whole < power[max(0, min(max_digits, _FAST_DIGITS - scale))]) & (number % power[extra] == 0)
    if not ok.any():
        return values, done
    number, decimals, extra = number[ok], decimals[ok], extra[ok]
    number = np.where(
        decimals > scale, number // power[extra], number * power[np.maximum(scale - decimals, 0)]
    )
    rows = at[ok]
    values[rows] = np.where(prepared.negative[rows], -number, number)
    done[rows] = True
    return values, done


def parse_decimal(
    series: pd.Series | PreparedNumbers,
    *,
    scale: int,
    decimal: str | None = None,
    dash_is_zero: bool = False,
    max_integer_digits: int = MAX_INTEGER_DIGITS,
) -> ParsedNumbers:
    """Parse text numbers exactly into integers scaled by ``10**scale``.

    ``decimal`` resolves ambiguous values (``","`` Turkish, ``"."`` plain); ``None`` decides from the column's
    own unambiguous values (see the module docstring). Each distinct text is parsed once, with integer string
    arithmetic (never a float), and the results are broadcast through the codes of :func:`pandas.factorize`:
    the values that read as a number are read with Arrow string kernels all at once; the others (blank, dash,
    not a number, ambiguous, too large, too many decimals) keep the per-value path and its reasons.
    """
    if decimal not in (None, DECIMAL_COMMA, DECIMAL_POINT):
        raise ValueError(t("read.number.decimal_arg", decimal=repr(decimal)))
    prepared = series if isinstance(series, PreparedNumbers) else prepare_numbers(series)
    convention = decimal if decimal is not None else prepared.evidence
    kinds = prepared.kinds
    values, done = _fast_scaled(prepared, convention, scale, max_integer_digits)
    status = np.where(done, OK, INVALID).astype(np.int8)
    reason = np.full(len(kinds) + 1, None, dtype=object)  # the last one: code -1 (missing)
    blank = kinds == _KIND["blank"]
    status[blank] = BLANK
    dash = kinds == _KIND["dash"]
    if dash.any():
        status[dash] = OK if dash_is_zero else INVALID
        if not dash_is_zero:
            reason[:-1][dash] = t("read.number.not_a_number")
    bad = kinds == _KIND["bad"]
    if bad.any():
        reason[:-1][bad] = t("read.number.not_a_number")
    rest = np.flatnonzero(~(done | blank | dash | bad))
    if len(rest):
        bodies = prepared.bodies.take(pa.array(rest)).to_pylist()
        for i, body in zip(rest.tolist(), bodies, strict=True):
            part = _Body(body, bool(prepared.negative[i]), _KINDS[kinds[i]])
            values[i], status[i], reason[i] = _scaled(
                part, convention, scale, dash_is_zero, max_integer_digits
            )
    # code -1: missing
    values = np.concatenate([values, np.zeros(1, dtype=np.int64)])
    status = np.concatenate([status, np.full(1, BLANK, dtype=np.int8)])
    codes = prepared.codes
    return ParsedNumbers(values=values[codes], status=status[codes], reason=reason[codes])


def parse_kurus(series: pd.Series | PreparedNumbers, *, decimal: str | None = None) -> ParsedNumbers:
    """Parse money text into exact ``int64`` kuruş (``scale=2``; a dash alone is zero)."""
    return parse_decimal(series, scale=2, decimal=decimal, dash_is_zero=True)


def parse_integer(series: pd.Series | PreparedNumbers, *, decimal: str | None = None) -> ParsedNumbers:
    """Parse whole numbers (years, counts, ages): ``1.234`` → 1234 in a Turkish file, ``25,0`` → 25."""
    return parse_decimal(series, scale=0, decimal=decimal)


def format_kurus(kurus: int, lang: str | None = None) -> str:
    """Show kuruş as lira with thousands grouping, exactly (integer arithmetic): ``123456789`` → ``1.234.567,89``
    (tr) / ``1,234,567.89`` (en); ``lang`` defaults to the current language (:func:`gcdb.i18n.current_lang`)."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    from gcdb.i18n import resolve_lang

    lang = resolve_lang(lang)
    kurus = int(kurus)
    sign = "-" if kurus < 0 else ""
    lira, rest = divmod(abs(kurus), 100)
    group, decimal = get_group_symbol(lang), get_decimal_symbol(lang)
    return sign + f"{lira:,}".replace(",", group) + decimal + f"{rest:02d}"


# ---------------------------------------------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------------------------------------------
_ISO = r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$"
_DAY_FIRST = (
    r"^(?P<d>[0-9]{1,2})[./-](?P<m>[0-9]{1,2})[./-](?P<y>[0-9]{4})(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?$"
)

#: dtype of parsed dates (nanoseconds, the resolution pandera validates against).
DATE_DTYPE: Final = "datetime64[ns]"


def parse_dates(series: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Parse date text; returns ``(dates, blank, invalid)`` — dates as :data:`DATE_DTYPE`, NaT where not parsed.

    A time of day, if present, is dropped (records are per day). Impossible dates (``31.02.2023``) are invalid.
    """
    codes, uniq = factorize(series)
    u = pd.Series(uniq, dtype="str").str.strip()
    iso = u.str.extract(_ISO)
    dmy = u.str.extract(_DAY_FIRST)
    parts = iso.fillna(dmy)
    ymd = parts["y"] + "-" + parts["m"].str.zfill(2) + "-" + parts["d"].str.zfill(2)
    parsed = pd.to_datetime(ymd, format="%Y-%m-%d", errors="coerce")
    # years outside pandas' nanoseconds (1677–2262, e.g. an ERP's 9999-12-31) are not dates here: invalid, no error
    in_range = parsed.between(pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D"))
    dates_u = parsed.where(in_range).astype(DATE_DTYPE)
    blank_u = (u == "").to_numpy(dtype=bool)
    invalid_u = dates_u.isna().to_numpy() & ~blank_u
    # pandas-stubs do not list pd.NaT among the `other` values of a datetime Series' where()
    dates_u = dates_u.where(~pd.Series(blank_u), pd.NaT)  # type: ignore[call-overload]
    # broadcast; code -1 (missing) → NaT, blank
    taken = np.append(dates_u.to_numpy(), np.datetime64("NaT"))[codes]
    blank = np.append(blank_u, True)[codes]
    invalid = np.append(invalid_u, False)[codes]
    return pd.Series(taken, index=series.index, dtype=DATE_DTYPE), blank, invalid


# ---------------------------------------------------------------------------------------------------------------
# typed cells (Excel, Parquet, DataFrames) → text
# ---------------------------------------------------------------------------------------------------------------
def cell_text(value: object) -> str | None:
    """Text of one typed cell, so that typed sources go through the same parsers as CSV text.

    Integers and whole floats → digits; other floats at Excel's own precision of 15 significant digits (so the
    binary noise of ``=0.1+0.2`` reads as ``0.3``), with a dot as decimal separator and never in exponent form;
    a value with exactly three decimals gets a trailing ``0`` (``1.234`` → ``1.2340``) so it cannot be mistaken for
    Turkish thousands grouping. Dates → ``YYYY-MM-DD`` (plus the time if it is not midnight). Missing → ``None``.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return "True" if value else "False"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        if math.isnan(value) or math.isinf(value):
            return None if math.isnan(value) else str(value)
        if float(value).is_integer() and abs(float(value)) < 1e15:
            return str(int(value))
        return _plain_decimal(Decimal(f"{float(value):.15g}"))
    if isinstance(value, Decimal):
        return _plain_decimal(value) if value.is_finite() else None
    if isinstance(value, pd.Timestamp | _dt.datetime):
        if isinstance(value, pd.Timestamp) and pd.isna(value):  # (pd.NaT itself returned None above)
            return None
        # formatted from the fields, not through pandas: 9999-12-31 (an ERP "no date") is outside nanoseconds
        day = f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return day
        return f"{day} {value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        return (
            cell_text(value.astype("datetime64[us]").item()) if value.dtype != "datetime64[D]" else str(value)
        )
    return str(value)


def _plain_decimal(d: Decimal) -> str:
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if "." in text and len(text.split(".")[1]) == 3:
        text += "0"
    return text
