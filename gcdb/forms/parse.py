"""Type the fill-in cells of a returned form and check them against the spec, column by column.

Every function here works on whole columns: values are factorised, each distinct value is interpreted once and
the result is broadcast through the codes. A check yields a :class:`Finding`: a boolean mask over the rows, an
issue code, a severity and a message (one for all rows, or one per row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.errors import IssueCode
from gcdb.forms.describe import choice_labels, kind_text, range_text
from gcdb.forms.issues import FormIssueCode
from gcdb.forms.messages import msg
from gcdb.forms.spec import FieldKind, FormField, SheetSpec
from gcdb.read.numbers import cell_text, parse_dates, parse_decimal
from gcdb.read.personal import looks_like_name, mask_value, tckn_valid
from gcdb.text import fold, map_distinct

#: Decimal places kept for decimal and percent values (typed cells are rounded to it).
DECIMALS: Final = 6
_SCALE: Final = 10**DECIMALS
_YES: Final = frozenset({"evet", "e", "var", "yes", "y", "true", "1", "dogru"})
_NO: Final = frozenset({"hayir", "h", "yok", "no", "n", "false", "0", "yanlis"})
_TCKN_IN_TEXT: Final = re.compile(r"(?<!\d)[1-9]\d{10}(?!\d)")


@dataclass(frozen=True)
class Finding:
    """Rows (``mask``) with one problem in one field."""

    field: str
    mask: np.ndarray
    code: str
    severity: str
    message: str | np.ndarray


def _cell_text(value: object) -> str | None:
    if isinstance(value, float) and not value.is_integer():
        value = round(value, DECIMALS)
    text = cell_text(value)
    return text.strip() if isinstance(text, str) else text


def column_texts(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Text of every cell of a raw column (``str``, missing for blank cells) and whether the cell was typed as
    text in the workbook (True) or as a number, date or boolean (False; blank cells are False)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = [_cell_text(u) for u in uniques]
    typed_text = np.array([isinstance(u, str) for u in uniques] + [False], dtype=bool)
    shown = pd.Series(
        np.array([t if t else None for t in texts] + [None], dtype=object)[codes],
        index=values.index,
        dtype="str",
    )
    return shown, typed_text[codes]


def _numbers(texts: pd.Series, typed_text: np.ndarray, scale: int, percent: bool = False):
    """Parse a numeric column exactly: numbers typed as numbers have a decimal point; numbers typed as text are
    read by the column's own convention (Turkish ``1.234,5`` or plain), ``1.234`` being a thousand."""
    source = texts.str.replace("%", "", regex=False).str.strip() if percent else texts
    typed = parse_decimal(source.where(~typed_text), scale=scale, decimal=".")
    as_text = parse_decimal(source.where(typed_text), scale=scale, decimal=None)
    values = np.where(typed_text, as_text.values, typed.values)
    ok = np.where(typed_text, as_text.ok, typed.ok)
    invalid = np.where(typed_text, as_text.invalid, typed.invalid)
    return values, ok, invalid


def _choice_codes(field: FormField, texts: pd.Series) -> pd.Series:
    lookup: dict[str, str] = {}
    for c in field.choices:
        for name in (c.code, c.label.tr, c.label.en):
            lookup.setdefault(fold(name), c.code)
    return map_distinct(texts, lambda t: lookup.get(fold(t)))


def _yes_no(texts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    folded = map_distinct(texts, fold)
    yes = folded.isin(_YES).to_numpy(dtype=bool)
    no = folded.isin(_NO).to_numpy(dtype=bool)
    return yes, no


def personal_mask(texts: pd.Series) -> np.ndarray:
    """Cells holding a T.C. kimlik number (anywhere in the text, check digits valid) or a personal name."""
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    if not len(uniques):
        return np.zeros(len(texts), dtype=bool)
    distinct = pd.Series(uniques, dtype="str")
    candidates = distinct.str.findall(_TCKN_IN_TEXT).explode().dropna()
    hit = np.zeros(len(distinct), dtype=bool)
    if len(candidates):
        valid = tckn_valid(candidates.astype("str"))
        hit[np.unique(candidates.index.to_numpy()[valid])] = True
    hit |= looks_like_name(distinct)
    return np.append(hit, False)[codes]


@dataclass
class Parsed:
    """The typed values of one field and its findings."""

    values: pd.Series
    blank: np.ndarray
    findings: list[Finding]


def parse_field(
    field: FormField,
    sheet: SheetSpec,
    texts: pd.Series,
    typed_text: np.ndarray,
    kinds: np.ndarray | None,
    lang: str,
) -> Parsed:
    """Type one fill-in column. ``kinds`` holds each row's kind code for ``kind_from`` fields."""
    blank = texts.isna().to_numpy()
    present = ~blank
    findings: list[Finding] = []
    name = field.name

    def add(mask, code, message, severity=C.ERROR):
        if mask.any():
            findings.append(Finding(name, mask, str(code), severity, message))

    kind = field.kind
    if field.kind_from is not None:
        assert kinds is not None  # given for a kind_from field
        values, ok, invalid = _numbers(texts, typed_text, DECIMALS, percent=True)
        yes, no = _yes_no(texts)
        is_yes_no = kinds == FieldKind.YES_NO.value
        number = pd.array(np.where(ok, values / _SCALE, np.nan), dtype="Float64")
        number[~(ok & present & ~is_yes_no)] = pd.NA
        yn = np.where(yes, 1.0, 0.0)
        number[is_yes_no & (yes | no)] = yn[is_yes_no & (yes | no)]
        bad_yn = is_yes_no & present & ~(yes | no)
        add(
            bad_yn,
            FormIssueCode.NOT_A_CHOICE,
            msg("issue.not_a_choice", lang, choices=" / ".join([msg("yes", lang), msg("no", lang)])),
        )
        by_kind = pd.Series(kinds)
        distinct = [FieldKind(k) for k in pd.unique(kinds)]

        def per_row(func) -> np.ndarray:
            return by_kind.map({k.value: func(k) for k in distinct}).to_numpy()

        bad_num = ~is_yes_no & present & invalid
        add(
            bad_num,
            IssueCode.UNPARSEABLE_NUMBER,
            per_row(lambda k: msg("issue.number", lang, expected=kind_text(field, k, lang))),
        )
        whole = ~is_yes_no & ok & present & (kinds == FieldKind.INTEGER.value) & (values % _SCALE != 0)
        add(whole, IssueCode.UNPARSEABLE_NUMBER, msg("issue.not_whole", lang))
        lows = per_row(lambda k: _bound(field, k, 0)).astype(float)
        highs = per_row(lambda k: _bound(field, k, 1)).astype(float)
        v = values / _SCALE
        out = (
            ~is_yes_no
            & ok
            & present
            & ((v < np.nan_to_num(lows, nan=-np.inf)) | (v > np.nan_to_num(highs, nan=np.inf)))
        )
        ranges = per_row(lambda k: msg("issue.out_of_range", lang, range=range_text(field, k, lang)))
        add(out, FormIssueCode.OUT_OF_RANGE, ranges)
        return Parsed(pd.Series(number, index=texts.index), blank, findings)

    if kind == FieldKind.CHOICE:
        codes = _choice_codes(field, texts)
        bad = present & codes.isna().to_numpy()
        add(
            bad,
            FormIssueCode.NOT_A_CHOICE,
            msg("issue.not_a_choice", lang, choices=" / ".join(choice_labels(field, lang))),
        )
        return Parsed(codes.where(~bad), blank, findings)
    if kind == FieldKind.YES_NO:
        yes, no = _yes_no(texts)
        bad = present & ~(yes | no)
        add(
            bad,
            FormIssueCode.NOT_A_CHOICE,
            msg("issue.not_a_choice", lang, choices=" / ".join(choice_labels(field, lang))),
        )
        out = pd.array(np.where(yes, True, False), dtype="boolean")
        out[~(yes | no)] = pd.NA
        return Parsed(pd.Series(out, index=texts.index), blank, findings)
    if kind in (FieldKind.INTEGER, FieldKind.DECIMAL, FieldKind.PERCENT, FieldKind.MONEY):
        scale = 2 if kind == FieldKind.MONEY else DECIMALS
        values, ok, invalid = _numbers(texts, typed_text, scale, percent=kind == FieldKind.PERCENT)
        add(
            present & invalid,
            IssueCode.UNPARSEABLE_NUMBER,
            msg("issue.number", lang, expected=kind_text(field, kind, lang)),
        )
        if kind == FieldKind.INTEGER:
            add(
                present & ok & (values % _SCALE != 0),
                IssueCode.UNPARSEABLE_NUMBER,
                msg("issue.not_whole", lang),
            )
        lo, hi = field.bounds(kind)
        unit = 100 if kind == FieldKind.MONEY else _SCALE
        low = -np.inf if lo is None else lo * unit
        high = np.inf if hi is None else hi * unit
        add(
            present & ok & ((values < low) | (values > high)),
            FormIssueCode.OUT_OF_RANGE,
            msg("issue.out_of_range", lang, range=range_text(field, kind, lang)),
        )
        if kind == FieldKind.MONEY:
            out = pd.array(values, dtype="Int64")
        elif kind == FieldKind.INTEGER:
            out = pd.array(values // _SCALE, dtype="Int64")
        else:
            out = pd.array(values / _SCALE, dtype="Float64")
        out[~(ok & present)] = pd.NA
        return Parsed(pd.Series(out, index=texts.index), blank, findings)
    if kind == FieldKind.DATE:
        dates, _, invalid = parse_dates(texts)
        add(present & invalid, IssueCode.UNPARSEABLE_DATE, msg("issue.date", lang))
        return Parsed(dates.where(~(present & invalid)), blank, findings)
    # text
    if field.max_length:
        too_long = present & (texts.str.len().fillna(0).to_numpy() > field.max_length)
        add(too_long, FormIssueCode.TEXT_TOO_LONG, msg("issue.too_long", lang, n=field.max_length))
    if field.pattern:
        matches = texts.str.fullmatch(field.pattern).fillna(False).to_numpy(dtype=bool)
        hint = field.pattern_hint.get(lang) if field.pattern_hint else field.pattern
        add(present & ~matches, FormIssueCode.PATTERN_MISMATCH, msg("issue.pattern", lang, hint=hint))
    personal = present & personal_mask(texts)
    add(personal, IssueCode.PERSONAL_DATA, msg("issue.personal", lang))
    return Parsed(texts, blank, findings)


def _bound(field: FormField, kind: FieldKind, which: int) -> float:
    value = field.bounds(kind)[which]
    return np.nan if value is None else float(value)


def condition_holds(rule_field: FormField, when, parsed: Parsed) -> np.ndarray:
    """Rows where a :class:`~gcdb.forms.spec.Condition` on an already parsed field holds."""
    values = parsed.values
    if when.filled is not None:
        return ~parsed.blank if when.filled else parsed.blank
    if when.in_ is not None:
        if rule_field.kind == FieldKind.YES_NO:
            codes = values.map({True: "yes", False: "no"})
            return codes.isin(list(when.in_)).to_numpy(dtype=bool)
        return values.isin(list(when.in_)).to_numpy(dtype=bool)
    threshold = when.gt * (100 if rule_field.kind == FieldKind.MONEY else 1)
    return (values > threshold).fillna(False).to_numpy(dtype=bool)


def masked_texts(texts: pd.Series, mask: np.ndarray) -> pd.Series:
    """``texts`` with the cells of ``mask`` masked (personal data never leaves the reader)."""
    if not mask.any():
        return texts
    out = texts.copy()
    out[mask] = map_distinct(texts[mask], mask_value)
    return out
