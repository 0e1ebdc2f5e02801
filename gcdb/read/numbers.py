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

from gcdb.i18n import t

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


@dataclass(frozen=True)
class PreparedNumbers:
    """A text column taken apart once per distinct value (see :func:`prepare_numbers`)."""

    codes: np.ndarray
    parts: tuple[_Body, ...]

    @property
    def evidence(self) -> str | None:
        """The decimal separator this column's unambiguous values show (``","``, ``"."``, ``"mixed"``, ``None``)."""
        return _evidence(p.kind for p in self.parts)


def prepare_numbers(series: pd.Series) -> PreparedNumbers:
    """Take a text column apart (sign, grouping, shape) once per distinct value; parse with :func:`parse_decimal`."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return PreparedNumbers(codes=codes, parts=tuple(_take_apart(str(u)) for u in uniques))


def detect_decimal(*series: pd.Series | PreparedNumbers) -> str | None:
    """The decimal separator the number columns ``series`` use: ``","``, ``"."``, ``"mixed"`` or ``None``.

    ``None`` means no value settles it (only integers and ambiguous ``1.234``-shaped values).
    """
    found = {(s if isinstance(s, PreparedNumbers) else prepare_numbers(s)).evidence for s in series} - {None}
    if MIXED in found or len(found) > 1:
        return MIXED
    return found.pop() if found else None


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
    arithmetic (never a float), and the results are broadcast through the codes of :func:`pandas.factorize`.
    """
    if decimal not in (None, DECIMAL_COMMA, DECIMAL_POINT):
        raise ValueError(t("read.number.decimal_arg", decimal=repr(decimal)))
    prepared = series if isinstance(series, PreparedNumbers) else prepare_numbers(series)
    convention = decimal if decimal is not None else prepared.evidence
    results = [_scaled(p, convention, scale, dash_is_zero, max_integer_digits) for p in prepared.parts]
    results.append((0, BLANK, None))  # code -1: missing
    values = np.fromiter((r[0] for r in results), dtype=np.int64, count=len(results))
    status = np.fromiter((r[1] for r in results), dtype=np.int8, count=len(results))
    reason = np.array([r[2] for r in results], dtype=object)
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
    codes, uniq = pd.factorize(series, use_na_sentinel=True)
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
