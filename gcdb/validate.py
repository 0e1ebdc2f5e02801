"""The validation engine: raw text table → parsed, checked, normalised frame + issues table + quarantine.

The *spec* is elsewhere: canonical names in :mod:`gcdb.columns`, header aliases in :mod:`gcdb.read.aliases`,
value checks as pandera schemas in :mod:`gcdb.schemas`. This module runs them, in this order:

1. **File level** (any of these stops reading; no data is returned): empty file, two headers claiming the same
   canonical column (``duplicate_column``), missing required columns (``missing_column``: the message names the
   missing ones and lists the columns found), personal data in usage files (``personal_data``).
2. **Parsing and normalisation** of every cell, as vectorised masks on distinct values (pandera validates typed
   data; it cannot parse Turkish numbers, fold district names or decide what an unknown code is, so these
   checks are masks here): ``missing_value``, ``unparseable_number``, ``unparseable_date``, ``unknown_sex``,
   ``unknown_disability``, ``unknown_migrant_status``, ``unknown_age_band``, ``unknown_district``,
   ``unknown_neighbourhood``.
3. **Schema checks** with pandera in lazy mode on the parsed frame (:func:`gcdb.schemas.relaxed`): malformed
   codes, negative amounts, ages out of range, duplicate ids, inconsistent values; then the warning schema.
4. Rows with any error go to the **quarantine** with their original text; the rest is ``data``, cast to the
   output dtypes of the schema. The reconciliation proves nothing was lost: ``read == valid + quarantined``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from gcdb import columns as C
from gcdb import schemas
from gcdb.errors import DataValidationError, IssueCode, UsageError, issues_frame
from gcdb.i18n import Message, format_int, label, t, t_array
from gcdb.money import INT64_MAX, KURUS_PER_LIRA, exact_sum
from gcdb.normalise import (
    ECONOMIC_LEVELS,
    FUNCTIONAL_LEVELS,
    INSTITUTIONAL_LEVELS,
    age_band,
    istanbul_districts,
    load_districts,
    normalise_age_band,
    normalise_code,
    normalise_disability,
    normalise_district,
    normalise_migrant_status,
    normalise_neighbourhood,
    normalise_sex,
)
from gcdb.read.aliases import (
    BIRTH_YEAR,
    BUDGET,
    CANONICAL,
    POPULATION,
    REQUIRED,
    USAGE,
    HeaderMap,
    map_headers,
)
from gcdb.read.issue_rows import issue_body
from gcdb.read.limits import ReadLimits, resolve
from gcdb.read.numbers import (
    DECIMAL_COMMA,
    DECIMAL_POINT,
    PreparedNumbers,
    detect_decimal,
    parse_dates,
    parse_decimal,
    parse_integer,
    parse_kurus,
    prepare_numbers,
)
from gcdb.read.personal import find_personal_columns, kind_word, mask_issue_values, scan_values
from gcdb.read.result import ISSUE_CODES, ROWS, RawTable, ReadResult, reconciliation_frame
from gcdb.text import stripped_text

E, W = C.ERROR, C.WARNING
LIRA, KURUS, AUTO = "lira", "kurus", "auto"
QUANTITY_SCALE = 4  # decimals accepted in quantities (hours, visits, amounts)

#: Columns parsed as numbers, per kind (used to detect the file's decimal separator).
_NUMBER_COLUMNS = {
    BUDGET: (C.FISCAL_YEAR, *C.PHASES),
    USAGE: (C.FISCAL_YEAR, C.AGE, BIRTH_YEAR, C.QUANTITY),
    POPULATION: (C.FISCAL_YEAR, C.POPULATION, C.DISABLED_POPULATION, C.MIGRANT_POPULATION),
}
#: Categorical columns: a value holding personal data there is an error (the row is quarantined).
_CATEGORICAL = {
    BUDGET: (C.UNIT_NAME, C.FINANCING_TYPE, C.ACTIVITY_CODE, C.PROJECT_CODE),
    USAGE: (
        C.SERVICE_CODE,
        C.SERVICE_NAME,
        C.UNIT_NAME,
        C.SEX,
        C.AGE_BAND,
        C.DISABILITY,
        C.MIGRANT_STATUS,
        C.DISTRICT,
        C.NEIGHBOURHOOD,
    ),
    POPULATION: (C.DISTRICT, C.NEIGHBOURHOOD, C.SEX, C.AGE_BAND),
}
#: Free-text columns kept for output: personal parts are masked (a warning says what was masked).
_FREE_TEXT = {BUDGET: (C.DESCRIPTION,), USAGE: (), POPULATION: ()}
#: Placeholder dates of other systems (ERP "no date" values): 9999-12-31, 0000-00-00, 1900-01-00, 31.12.9999 …
_SENTINEL_DATE = r"^\s*(?:9999|0000)[-./]|[-./](?:9999|0000)\s*$|^\s*0{1,2}[-./]0{1,2}[-./]|[-./]0{1,2}[-./]0{1,2}\s*$|[-./]00\s*$|^\s*00[-./]"

#: Measures reconciled besides rows.
_RECONCILED = {
    BUDGET: C.PHASES,
    USAGE: (),
    POPULATION: (C.POPULATION, C.DISABLED_POPULATION, C.MIGRANT_POPULATION),
}


# ---------------------------------------------------------------------------------------------------------------
# issues accumulator
# ---------------------------------------------------------------------------------------------------------------
class _Issues:
    """Collects issues as arrays (row positions, header positions) and builds the issues table once."""

    def __init__(self, raw: RawTable):
        self.raw = raw
        self.parts: list[dict] = []
        self.file_rows: list[dict] = []

    def file(self, code: IssueCode, message: str, *, column: str = "", value: str = "", row=None, severity=E):
        self.file_rows.append(
            {
                C.ISSUE_FILE: self.raw.source,
                C.ISSUE_ROW: row,
                C.ISSUE_COLUMN: column,
                C.ISSUE_CODE: str(code),
                C.ISSUE_SEVERITY: severity,
                C.ISSUE_MESSAGE: message,
                C.ISSUE_VALUE: value,
            }
        )

    def add(self, positions, column, code: IssueCode, message, *, severity: str = E, value=None) -> None:
        """Issues at data rows ``positions`` (array) in header position(s) ``column`` (int or array).

        ``message`` is a string or an array aligned with ``positions``; ``value`` defaults to the raw text.
        """
        positions = np.asarray(positions, dtype=np.int64)
        if positions.size == 0:
            return
        cols = np.broadcast_to(np.asarray(column, dtype=np.int64), positions.shape)
        self.parts.append(
            {
                "pos": positions,
                "col": cols,
                "code": str(code),
                "severity": severity,
                "message": message,
                "value": value,
            }
        )

    def error_positions(self) -> np.ndarray:
        found = [p["pos"] for p in self.parts if p["severity"] == E]
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)

    def codes_by_position(self, positions: np.ndarray) -> np.ndarray:
        """``|``-joined issue codes (in :class:`IssueCode` order) of each row in ``positions``.

        Vectorised: one bit per code, OR-ed per row, then one string per distinct combination.
        """
        codes = list(IssueCode)
        bit = {str(c): np.uint64(1) << np.uint64(i) for i, c in enumerate(codes)}
        mask = np.zeros(len(self.raw.frame), dtype=np.uint64)
        for part in self.parts:
            np.bitwise_or.at(mask, part["pos"], bit[part["code"]])
        combos, inverse = np.unique(mask[positions], return_inverse=True)
        names = ["|".join(str(c) for i, c in enumerate(codes) if int(combo) >> i & 1) for combo in combos]
        return np.asarray(names, dtype=object)[inverse.reshape(-1)] if len(positions) else np.zeros(0, object)

    def count(self) -> int:
        """Issues collected."""
        return len(self.file_rows) + sum(len(p["pos"]) for p in self.parts)

    def frame(self, limit: int | None = None) -> pd.DataFrame:
        """The issues table; every value that holds personal data is masked (``1234*******``, ``A*** Y***``).
        ``limit``: only the first ``limit`` issues (in the table's order) and every error."""
        frame = self._frame(limit)
        if len(frame):
            frame[C.ISSUE_VALUE] = mask_issue_values(frame[C.ISSUE_VALUE])
        return frame

    def _first(self, limit: int) -> list[dict]:
        """The parts cut to the issues among the first ``limit`` of the body (file issues come first) and every
        error: the rows of the issues table that a reader listing the first issues needs."""
        room = max(limit - len(self.file_rows), 0)
        n = sum(len(p["pos"]) for p in self.parts)
        if n <= room:
            return self.parts
        pos = np.concatenate([p["pos"] for p in self.parts])
        col = np.concatenate([p["col"] for p in self.parts])
        order = np.lexsort((col, np.asarray(self.raw.source_row, dtype=np.int64)[pos]))  # issue_body's order
        first = np.zeros(n, dtype=bool)
        first[order[:room]] = True
        parts, at = [], 0
        for p in self.parts:
            size = len(p["pos"])
            keep = first[at : at + size] | (p["severity"] == E)
            at += size
            if not keep.any():
                continue
            cut = dict(p, pos=p["pos"][keep], col=p["col"][keep])
            for key in ("message", "value"):  # per-row texts follow their rows
                if isinstance(p[key], np.ndarray | pd.Series) and len(p[key]) == size:
                    cut[key] = np.asarray(p[key], dtype=object)[keep]
            parts.append(cut)
        return parts

    def _frame(self, limit: int | None = None) -> pd.DataFrame:
        file_part = issues_frame(self.file_rows)
        parts = self.parts if limit is None else self._first(limit)
        if not parts:
            return file_part
        body = issue_body(self.raw, parts)
        body = body.astype(issues_frame().dtypes.to_dict())
        if not len(file_part):
            return body
        return pd.concat([file_part, body], ignore_index=True)


# ---------------------------------------------------------------------------------------------------------------
# context: the raw table, its header map, parsed columns
# ---------------------------------------------------------------------------------------------------------------
class _Context:
    def __init__(self, raw: RawTable, hmap: HeaderMap, issues: _Issues, decimal: str | None, opts: dict):
        self.raw = raw
        self.opts = opts
        self.hmap = hmap
        self.issues = issues
        self.found = hmap.found
        self.n = len(raw.frame)
        self.decimal = decimal
        self.positions = np.arange(self.n)
        self._text: dict[str, pd.Series] = {}
        self._numbers: dict[str, PreparedNumbers] = {}
        #: canonical columns computed from another one (fiscal year from date, age band from age): issues on them
        #: are reported under the source column's header
        self.derived: dict[str, str] = {}

    def has(self, name: str) -> bool:
        return name in self.found

    def col(self, name: str) -> int:
        return self.found[name]

    def text(self, name: str) -> pd.Series:
        """Stripped text of a canonical column, missing for blank cells."""
        if name not in self._text:
            self._text[name] = stripped_text(self.raw.frame.iloc[:, self.found[name]])
        return self._text[name]

    def numbers(self, name: str) -> PreparedNumbers:
        """The column taken apart as numbers (once, shared by decimal detection and parsing)."""
        if name not in self._numbers:
            self._numbers[name] = prepare_numbers(self.text(name))
        return self._numbers[name]

    def blank(self, name: str) -> np.ndarray:
        return self.text(name).isna().to_numpy()

    def where(self, mask: np.ndarray) -> np.ndarray:
        return self.positions[mask]

    # --- column parsers ---------------------------------------------------------------------------------------
    def string(self, name: str, *, required: bool = False, blank_severity: str = E) -> pd.Series:
        s = self.text(name)
        if required:
            self._missing(name, self.blank(name), blank_severity)
        return s.reset_index(drop=True)

    def _missing(self, name: str, mask: np.ndarray, severity: str = E, message: str | None = None) -> None:
        self.issues.add(
            self.where(mask),
            self.col(name),
            IssueCode.MISSING_VALUE,
            message or t("validate.empty", label=label(name, running=True)),
            severity=severity,
        )

    def _unparseable(self, name: str, parsed) -> None:
        mask = parsed.invalid
        self.issues.add(self.where(mask), self.col(name), IssueCode.UNPARSEABLE_NUMBER, parsed.reason[mask])

    def integer(self, name: str, *, required: bool = False) -> pd.Series:
        parsed = parse_integer(self.numbers(name), decimal=self.decimal)
        self._unparseable(name, parsed)
        if required:
            self._missing(name, parsed.blank)
        return pd.Series(pd.array(np.where(parsed.ok, parsed.values, 0), dtype="Int64")).where(parsed.ok)

    def money(self, name: str) -> tuple[pd.Series, np.ndarray, np.ndarray]:
        """Kuruş; blank reads as 0 with a ``missing_value`` warning. Returns (values Int64, usable, values).

        Amounts are lira (TL) with up to two decimals, or whole kuruş when ``money_unit="kurus"``.
        """
        unit = self.opts["money_unit"]
        if unit == AUTO:  # gcdb's canonical form: a typed integer column under the canonical name
            col = self.col(name)
            canonical = self.raw.headers[col] == name and col in self.raw.integer_columns
            unit = KURUS if canonical else LIRA
        if unit == KURUS:
            parsed = parse_integer(self.numbers(name), decimal=self.decimal)
        else:
            parsed = parse_kurus(self.numbers(name), decimal=self.decimal)
        self._unparseable(name, parsed)
        self._missing(name, parsed.blank, W, t("validate.amount_empty"))
        bound = self.opts["limits"].max_line_amount
        beyond = parsed.ok & (np.abs(parsed.values) > bound * KURUS_PER_LIRA)
        self.issues.add(
            self.where(beyond),
            self.col(name),
            IssueCode.AMOUNT_OUT_OF_RANGE,
            t("validate.amount_beyond", bound=format_int(bound)),
        )
        usable = (parsed.ok & ~beyond) | parsed.blank
        values = pd.Series(pd.array(parsed.values, dtype="Int64")).where(usable)
        return values, usable, parsed.values

    def count(self, name: str, *, required: bool) -> tuple[pd.Series, np.ndarray]:
        parsed = parse_integer(self.numbers(name), decimal=self.decimal)
        self._unparseable(name, parsed)
        if required:
            self._missing(name, parsed.blank)
        return pd.Series(pd.array(parsed.values, dtype="Int64")).where(parsed.ok), parsed.ok

    def code(self, name: str, levels: tuple[int, ...], *, restore_leading_zero: bool) -> pd.Series:
        self._missing(name, self.blank(name))
        return normalise_code(self.text(name), levels, restore_leading_zero=restore_leading_zero).reset_index(
            drop=True
        )

    def fiscal_year(self, *, required: bool) -> pd.Series | None:
        """The fiscal-year column, or the ``fiscal_year`` given to the reader when the file has none.

        When both exist, a row whose year differs from the given one is an ``invalid_value`` error.
        """
        given = self.opts["fiscal_year"]
        if not self.has(C.FISCAL_YEAR):
            return None if given is None else pd.Series(given, index=range(self.n), dtype="Int64")
        years = self.integer(C.FISCAL_YEAR, required=required)
        if given is not None:
            other = (years.notna() & (years != given)).to_numpy(dtype=bool)
            self.issues.add(
                self.where(other),
                self.col(C.FISCAL_YEAR),
                IssueCode.INVALID_VALUE,
                t("validate.year_differs", year=given),
            )
        return years

    def personal(self, name: str, *, free_text: bool) -> pd.Series | None:
        """Scan a text column for personal data. Categorical: each hit is a ``personal_data`` error (the row is
        quarantined). Free text: returns the text with the personal parts masked, and warns per row."""
        if not self.has(name):
            return None
        kinds, masked = scan_values(self.text(name))
        if masked is None:  # nothing found: no comparison of every row's (empty) kinds
            return None
        hit = kinds != ""
        joiner = f" {t('validate.and')} "
        words = pd.Series(kinds[hit], dtype="str").map(
            lambda k: joiner.join(kind_word(w) for w in k.split("|"))  # once per distinct combination
        )
        shown = label(name, running=True)
        if free_text:
            self.issues.add(
                self.where(hit),
                self.col(name),
                IssueCode.PERSONAL_DATA_MASKED,
                t_array("validate.personal_masked", label=shown, words=words.to_numpy(dtype=object)),
                severity=W,
            )
            return pd.Series(masked, dtype="str")
        self.issues.add(
            self.where(hit),
            self.col(name),
            IssueCode.PERSONAL_DATA,
            t_array("validate.personal_refused", label=shown, words=words.to_numpy(dtype=object)),
        )
        return None

    def category(self, name: str, normalise, code: IssueCode, message: str) -> pd.Series:
        out = normalise(self.text(name)).reset_index(drop=True)
        bad = out.isna().to_numpy() & ~self.blank(name)
        self.issues.add(self.where(bad), self.col(name), code, message)
        return out


# ---------------------------------------------------------------------------------------------------------------
# per-kind parsing
# ---------------------------------------------------------------------------------------------------------------
def _parse_budget(ctx: _Context, opts: dict) -> tuple[dict[str, pd.Series], dict]:
    out: dict[str, pd.Series] = {}
    money_ok: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    years = ctx.fiscal_year(required=True)
    assert years is not None  # a budget with no year column and no fiscal_year was refused (missing_column)
    out[C.FISCAL_YEAR] = years
    out[C.LINE_ID] = ctx.string(C.LINE_ID, required=True)
    out[C.INSTITUTIONAL_CODE] = ctx.code(
        C.INSTITUTIONAL_CODE, INSTITUTIONAL_LEVELS, restore_leading_zero=False
    )
    if ctx.has(C.UNIT_NAME):
        out[C.UNIT_NAME] = ctx.string(C.UNIT_NAME)
    out[C.FUNCTIONAL_CODE] = ctx.code(C.FUNCTIONAL_CODE, FUNCTIONAL_LEVELS, restore_leading_zero=True)
    out[C.FINANCING_TYPE] = ctx.string(C.FINANCING_TYPE, required=True)
    out[C.ECONOMIC_CODE] = ctx.code(C.ECONOMIC_CODE, ECONOMIC_LEVELS, restore_leading_zero=True)
    out[C.DESCRIPTION] = ctx.string(C.DESCRIPTION, required=True)
    masked = ctx.personal(C.DESCRIPTION, free_text=True)
    if masked is not None:
        out[C.DESCRIPTION] = masked
    from gcdb.classification import unknown_budget_codes  # codes the analytic classification does not have

    for name, bad, messages in unknown_budget_codes(out):
        ctx.issues.add(ctx.where(bad), ctx.col(name), IssueCode.UNKNOWN_CODE, messages[bad])
    for phase in C.PHASES:
        values, usable, raw_values = ctx.money(phase)
        out[phase] = values
        money_ok[phase] = (usable, raw_values)
    for name in (C.ACTIVITY_CODE, C.PROJECT_CODE):
        if ctx.has(name):
            out[name] = ctx.string(name)
    if ctx.has(C.QUARTER):
        text = ctx.text(C.QUARTER).reset_index(drop=True)
        number = text.str.extract(r"(?i)^(?:Q\s*)?([1-4])(?:\s*\.?\s*(?:[çc]eyrek|[çc]\.?))?$")[0]
        bad = number.isna().to_numpy() & text.notna().to_numpy()
        ctx.issues.add(ctx.where(bad), ctx.col(C.QUARTER), IssueCode.INVALID_VALUE, t("validate.quarter"))
        out[C.QUARTER] = pd.to_numeric(number).astype("Int64")
    return out, {"money": money_ok}


def _districts(ctx: _Context, name: str, opts: dict, *, blank_severity: str) -> pd.Series:
    districts = opts["districts"]
    text = ctx.text(name)
    if districts is False:
        out = text.reset_index(drop=True)
    else:
        out = normalise_district(text, districts).reset_index(drop=True)
        bad = out.isna().to_numpy() & ~ctx.blank(name)
        shown = ", ".join(districts[:5]) + (" …" if len(districts) > 5 else "")
        ctx.issues.add(
            ctx.where(bad),
            ctx.col(name),
            IssueCode.UNKNOWN_DISTRICT,
            t("validate.unknown_district", n=len(districts), shown=shown),
        )
    ctx._missing(name, ctx.blank(name), blank_severity, t("validate.district_empty"))
    return out


def _neighbourhoods(ctx: _Context, opts: dict, district=None, year=None, severity: str = E) -> pd.Series:
    hoods = opts["neighbourhoods"]
    if hoods is None and district is not None and opts["districts"] == istanbul_districts():
        from gcdb import (
            places,
        )  # İstanbul: the real neighbourhoods of each district (TÜİK), in the row's year

        found = places.resolve_neighbourhoods(
            district, ctx.text(C.NEIGHBOURHOOD).reset_index(drop=True), year
        )
        for status, message in places.status_messages().items():
            bad = found[places.STATUS].eq(status).fillna(False).to_numpy(dtype=bool)
            ctx.issues.add(
                ctx.where(bad),
                ctx.col(C.NEIGHBOURHOOD),
                IssueCode.UNKNOWN_NEIGHBOURHOOD,
                message,
                severity=severity,
            )
        return found[C.NEIGHBOURHOOD].reset_index(drop=True)
    out = normalise_neighbourhood(ctx.text(C.NEIGHBOURHOOD), hoods).reset_index(drop=True)
    if hoods is not None:
        bad = out.isna().to_numpy() & ~ctx.blank(C.NEIGHBOURHOOD)
        ctx.issues.add(
            ctx.where(bad),
            ctx.col(C.NEIGHBOURHOOD),
            IssueCode.UNKNOWN_NEIGHBOURHOOD,
            t("validate.unknown_neighbourhood"),
        )
    return out


def _age_band_column(ctx: _Context, bands: C.AgeBands, *, required: bool) -> pd.Series:
    out = normalise_age_band(ctx.text(C.AGE_BAND), bands).reset_index(drop=True)
    bad = out.isna().to_numpy() & ~ctx.blank(C.AGE_BAND)
    ctx.issues.add(
        ctx.where(bad),
        ctx.col(C.AGE_BAND),
        IssueCode.UNKNOWN_AGE_BAND,
        t("validate.unknown_age_band", bands=", ".join(bands.labels)),
    )
    if required:
        ctx._missing(C.AGE_BAND, ctx.blank(C.AGE_BAND))
    return out


def _parse_usage(ctx: _Context, opts: dict) -> tuple[dict[str, pd.Series], dict]:
    out: dict[str, pd.Series] = {}
    extra: dict = {}
    out[C.RECORD_ID] = ctx.string(C.RECORD_ID, required=True)
    out[C.SERVICE_CODE] = ctx.string(C.SERVICE_CODE, required=True)
    for name in (C.SERVICE_NAME, C.UNIT_NAME):
        if ctx.has(name):
            out[name] = ctx.string(name)
    dates = None
    if ctx.has(C.DATE):
        dates, _, invalid = parse_dates(ctx.text(C.DATE))
        dates = dates.reset_index(drop=True)
        sentinel = np.zeros(ctx.n, dtype=bool)
        outside = np.zeros(ctx.n, dtype=bool)
        if invalid.any():  # why each invalid date is invalid (on those rows only)
            bad = ctx.text(C.DATE).reset_index(drop=True)[invalid]
            is_sentinel = bad.str.contains(_SENTINEL_DATE, regex=True).fillna(False).to_numpy(dtype=bool)
            year = pd.to_numeric(bad.str.extract(r"(?:^|[^0-9])([0-9]{4})(?:[^0-9]|$)")[0], errors="coerce")
            far = ((year < 1900) | (year > 2262)).fillna(False).to_numpy(dtype=bool) & ~is_sentinel
            sentinel[np.flatnonzero(invalid)] = is_sentinel
            outside[np.flatnonzero(invalid)] = far
        ctx.issues.add(
            ctx.where(sentinel),
            ctx.col(C.DATE),
            IssueCode.SENTINEL_DATE,
            t("validate.sentinel_date"),
        )
        ctx.issues.add(
            ctx.where(outside),
            ctx.col(C.DATE),
            IssueCode.UNPARSEABLE_DATE,
            t("validate.date_outside"),
        )
        ctx.issues.add(
            ctx.where(invalid & ~sentinel & ~outside),
            ctx.col(C.DATE),
            IssueCode.UNPARSEABLE_DATE,
            t("validate.not_a_date"),
        )
        out[C.DATE] = dates
    if ctx.has(C.FISCAL_YEAR):
        out[C.FISCAL_YEAR] = ctx.integer(C.FISCAL_YEAR)
    elif dates is not None:
        out[C.FISCAL_YEAR] = pd.Series(dates.dt.year, dtype="Int64")
        ctx.derived[C.FISCAL_YEAR] = C.DATE
    out[C.PERSON_ID] = ctx.string(C.PERSON_ID, required=True)
    out[C.SEX] = ctx.category(C.SEX, normalise_sex, IssueCode.UNKNOWN_SEX, t("validate.unknown_sex"))

    age = ctx.integer(C.AGE) if ctx.has(C.AGE) else None
    if ctx.has(BIRTH_YEAR):
        birth = ctx.integer(BIRTH_YEAR)
        record_year = out.get(C.FISCAL_YEAR, pd.Series(pd.NA, index=range(ctx.n), dtype="Int64"))
        need = (birth.notna() & (age.isna() if age is not None else True)).to_numpy(dtype=bool)
        no_year = need & record_year.isna().to_numpy()
        ctx.issues.add(
            ctx.where(no_year),
            ctx.col(BIRTH_YEAR),
            IssueCode.INVALID_VALUE,
            t("validate.birth_year_no_year"),
        )
        derived = (record_year - birth).where(pd.Series(need))
        age = derived if age is None else age.where(~pd.Series(need), derived)
        extra["age_from_birth_year"] = need
    if age is not None:
        out[C.AGE] = age.astype("Int64")
        if not ctx.has(C.AGE):
            ctx.derived[C.AGE] = BIRTH_YEAR

    if ctx.has(C.AGE_BAND):
        band = _age_band_column(ctx, opts["age_bands"], required=False)
        if age is not None:
            from_age = age_band(age, opts["age_bands"])
            band = band.where(~pd.Series(ctx.blank(C.AGE_BAND)), from_age)
        out[C.AGE_BAND] = band
    elif age is not None:
        out[C.AGE_BAND] = age_band(age, opts["age_bands"]).reset_index(drop=True)
        ctx.derived[C.AGE_BAND] = C.AGE

    if ctx.has(C.DISABILITY):
        out[C.DISABILITY] = ctx.category(
            C.DISABILITY,
            normalise_disability,
            IssueCode.UNKNOWN_DISABILITY,
            t("validate.unknown_disability"),
        )
    if ctx.has(C.MIGRANT_STATUS):
        out[C.MIGRANT_STATUS] = ctx.category(
            C.MIGRANT_STATUS,
            normalise_migrant_status,
            IssueCode.UNKNOWN_MIGRANT_STATUS,
            t("validate.unknown_migrant_status"),
        )
    out[C.DISTRICT] = _districts(ctx, C.DISTRICT, opts, blank_severity=W)
    if ctx.has(C.NEIGHBOURHOOD):
        out[C.NEIGHBOURHOOD] = _neighbourhoods(ctx, opts, out[C.DISTRICT], out.get(C.FISCAL_YEAR), W)
    if ctx.has(C.QUANTITY):
        parsed = parse_decimal(ctx.numbers(C.QUANTITY), scale=QUANTITY_SCALE, decimal=ctx.decimal)
        ctx._unparseable(C.QUANTITY, parsed)
        out[C.QUANTITY] = pd.Series(parsed.values / 10**QUANTITY_SCALE, dtype="float64").where(parsed.ok)
    return out, extra


def _parse_population(ctx: _Context, opts: dict) -> tuple[dict[str, pd.Series], dict]:
    out: dict[str, pd.Series] = {}
    counts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    years = ctx.fiscal_year(required=False)
    if years is not None:
        out[C.FISCAL_YEAR] = years
    out[C.DISTRICT] = _districts(ctx, C.DISTRICT, opts, blank_severity=E)
    if ctx.has(C.NEIGHBOURHOOD):
        out[C.NEIGHBOURHOOD] = _neighbourhoods(ctx, opts, out[C.DISTRICT], out.get(C.FISCAL_YEAR), E)
    out[C.SEX] = ctx.category(C.SEX, normalise_sex, IssueCode.UNKNOWN_SEX, t("validate.unknown_sex"))
    out[C.AGE_BAND] = _age_band_column(ctx, opts["age_bands"], required=True)
    for name in (C.POPULATION, C.DISABLED_POPULATION, C.MIGRANT_POPULATION):
        if ctx.has(name):
            values, ok = ctx.count(name, required=name == C.POPULATION)
            out[name] = values
            counts[name] = (ok, values.fillna(0).to_numpy(dtype=np.int64))
    return out, {"money": counts}


_PARSERS = {BUDGET: _parse_budget, USAGE: _parse_usage, POPULATION: _parse_population}
_SCHEMAS = {
    BUDGET: lambda bands: schemas.budget_schema(),
    USAGE: lambda bands: schemas.usage_schema(bands),
    POPULATION: lambda bands: schemas.population_schema(bands),
}


@cache
def _compiled(
    kind: str, bands: C.AgeBands
) -> tuple[pa.DataFrameSchema, pa.DataFrameSchema, pa.DataFrameSchema | None]:
    """(output schema, relaxed schema, warning schema) of ``kind``, built once per age-band configuration."""
    schema = _SCHEMAS[kind](bands)
    warnings = schemas.budget_warning_schema() if kind == BUDGET else None
    return schema, schemas.relaxed(schema), warnings


_ID_COLUMN = {BUDGET: C.LINE_ID, USAGE: C.RECORD_ID, POPULATION: C.DISTRICT}


# ---------------------------------------------------------------------------------------------------------------
# pandera failure cases → issues
# ---------------------------------------------------------------------------------------------------------------
def _failure_cases(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    try:
        schema.validate(frame, lazy=True, inplace=True)  # nothing is coerced: no copy of the frame
    except pa.errors.SchemaErrors as exc:
        return exc.failure_cases
    return pd.DataFrame(columns=["column", "check", "index"])


def _schema_issues(
    ctx: _Context, kind: str, frame: pd.DataFrame, fc: pd.DataFrame, severity: str, extra: dict
):
    if fc.empty:
        return
    fc = fc[fc["index"].notna()].copy()
    check = fc["check"].astype("str")
    code = check.str.partition(":")[0]
    target = check.str.partition(":")[2]
    uniqueness = check.isin(["field_uniqueness", "multiple_fields_uniqueness"])
    code = code.where(~uniqueness, str(IssueCode.DUPLICATE_ID))
    known = code.isin([str(c) for c in IssueCode])
    code = code.where(known, str(IssueCode.INVALID_VALUE))
    column = fc["column"].astype("str").where(fc["column"].notna())
    column = target.where(target != "", column)
    column = column.where(~uniqueness, _ID_COLUMN[kind])
    fc = pd.DataFrame({"pos": fc["index"].astype("int64"), "code": code, "column": column, "check": check})
    fc = fc.drop_duplicates(["pos", "code", "column"])
    for (code_value, name), group in fc.groupby(["code", "column"], sort=False):
        pos = group["pos"].to_numpy()
        cols = _header_positions(ctx, str(name), pos, extra)
        message: str | np.ndarray = t(
            _MESSAGES.get(str(code_value), "validate.invalid_value"), min=C.AGE_MIN, max=C.AGE_MAX
        )
        if code_value == IssueCode.DUPLICATE_ID:
            message = _duplicate_messages(ctx, kind, frame, pos)
        if code_value == IssueCode.INVALID_VALUE and name in (C.DISABLED_POPULATION, C.MIGRANT_POPULATION):
            message = t("validate.larger_than_population", label=label(name, running=True))
        if code_value == IssueCode.INVALID_VALUE and name == C.AGE_BAND:
            message = t("validate.age_not_in_band")
        if code_value == IssueCode.MALFORMED_CODE and name in _CODE_MESSAGES:
            message = t(_CODE_MESSAGES[name])
        if code_value == IssueCode.EXPENDITURE_EXCEEDS_REVISED:
            message = _overspend_messages(frame, pos)
        ctx.issues.add(pos, cols, IssueCode(str(code_value)), message, severity=severity)


def _header_positions(ctx: _Context, name: str, pos: np.ndarray, extra: dict) -> np.ndarray:
    """Header position of each issue on canonical column ``name``, following derived columns to their source."""
    if name == C.AGE and "age_from_birth_year" in extra:
        base = ctx.col(C.AGE) if ctx.has(C.AGE) else ctx.col(BIRTH_YEAR)
        return np.where(extra["age_from_birth_year"][pos], ctx.col(BIRTH_YEAR), base)
    while name not in ctx.found and name in ctx.derived:
        name = ctx.derived[name]
    return np.full(len(pos), ctx.col(name) if name in ctx.found else -1)


#: Catalogue keys of the schema checks' messages, by issue code (``{min}``/``{max}``: the age range).
_MESSAGES = {
    str(IssueCode.NEGATIVE_AMOUNT): "validate.negative_amount",
    str(IssueCode.AGE_OUT_OF_RANGE): "validate.age_out_of_range",
    str(IssueCode.EXPENDITURE_EXCEEDS_REVISED): "validate.overspend_plain",
    str(IssueCode.INVALID_VALUE): "validate.invalid_value",
}
_CODE_MESSAGES = {
    C.INSTITUTIONAL_CODE: "validate.malformed.institutional",
    C.FUNCTIONAL_CODE: "validate.malformed.functional",
    C.ECONOMIC_CODE: "validate.malformed.economic",
    C.FINANCING_TYPE: "validate.malformed.financing",
}


def _duplicate_messages(ctx: _Context, kind: str, frame: pd.DataFrame, pos: np.ndarray) -> np.ndarray:
    key = {BUDGET: [C.FISCAL_YEAR, C.LINE_ID], USAGE: [C.RECORD_ID]}.get(
        kind, [c for c in schemas.POPULATION_KEY if c in frame.columns]
    )
    sub = frame.iloc[pos][key].astype("str").fillna("").reset_index(drop=True)
    groups = sub.groupby(key, sort=False, dropna=False)
    gid = groups.ngroup().to_numpy()
    size = groups[key[0]].transform("size").to_numpy()
    shown = groups.cumcount().to_numpy() < _ROWS_SHOWN
    rows = pd.Series(ctx.raw.source_row[pos][shown].astype(str)).groupby(gid[shown]).agg(", ".join)
    listed = pd.Series(rows.reindex(gid).to_numpy(), dtype="str") + np.where(size > _ROWS_SHOWN, ", …", "")
    what = {BUDGET: "validate.duplicate.budget", USAGE: "validate.duplicate.usage"}.get(
        kind, "validate.duplicate.population"
    )
    return t_array(what, n=size, rows=listed.to_numpy(dtype=object))


_ROWS_SHOWN = 10  # rows listed in a duplicate_id message


def _lira_text(kurus: pd.Series) -> np.ndarray:
    """Integer kuruş as lira in the current language (``1.723.156,09``), exactly; once per distinct amount."""
    from gcdb.read.numbers import format_kurus

    values = pd.to_numeric(kurus).astype("int64")
    codes, uniques = pd.factorize(values)
    return np.asarray([format_kurus(int(v)) for v in uniques], dtype=object)[codes]


def _overspend_messages(frame: pd.DataFrame, pos: np.ndarray) -> np.ndarray:
    rows = frame.iloc[pos]
    spent, revised = _lira_text(rows[C.EXPENDITURE]), _lira_text(rows[C.REVISED_APPROPRIATION])
    return t_array("validate.overspend", spent=spent, revised=revised)


# ---------------------------------------------------------------------------------------------------------------
# the engine
# ---------------------------------------------------------------------------------------------------------------
def validate_table(
    raw: RawTable,
    kind: str,
    *,
    aliases: Mapping[str, str | None] | None = None,
    districts: Iterable[str] | pd.DataFrame | str | Path | bool | None = None,
    neighbourhoods: Iterable[str] | None = None,
    age_bands: C.AgeBands = C.DEFAULT_AGE_BANDS,
    decimal: str | None = None,
    fiscal_year: int | None = None,
    money_unit: str = AUTO,
    strict: bool = False,
    limits: ReadLimits | None = None,
    issue_rows: int | None = None,
) -> ReadResult:
    """Validate a raw text table of ``kind`` (``"budget"``, ``"usage"``, ``"population"``); see the module doc.

    ``districts``: the canonical district list (names, a CSV path, a DataFrame with a ``district`` column),
    ``None`` for İstanbul's 39, ``False`` to skip the check. ``neighbourhoods``: a list to check against (no check
    by default). ``decimal``: force ``","`` or ``"."`` as decimal separator for ambiguous numbers.
    ``fiscal_year``: the year of a budget or population file that has no year column (if it has one, rows of
    another year are errors). ``money_unit``: ``"auto"`` (default: whole kuruş for a typed integer column under
    the canonical name, gcdb's own form; lira otherwise), ``"lira"`` or ``"kurus"``. ``strict=True`` raises
    :class:`~gcdb.errors.DataValidationError` (carrying the issues table) on any error. ``limits``
    (:class:`~gcdb.read.limits.ReadLimits`): ``max_line_amount`` bounds the amount of one budget line.
    ``issue_rows``: list only the first so many issues and every error in ``issues``, counting them all in
    ``issues_total`` (a chunk of a file whose report lists the first issues: the rows of a warning on every
    record are never built).
    """
    if money_unit not in (AUTO, LIRA, KURUS):
        raise UsageError(Message("validate.money_unit", value=repr(money_unit)))
    if fiscal_year is not None and (
        isinstance(fiscal_year, bool) or not isinstance(fiscal_year, int | np.integer)
    ):
        raise UsageError(Message("validate.fiscal_year_arg", value=repr(fiscal_year)))
    if districts is True:
        districts = None
    if districts is not False and kind != BUDGET:
        districts = load_districts(districts)
    hmap = map_headers(raw.headers, kind, aliases)
    issues = _Issues(raw)
    for note in raw.notes:
        issues.file(
            IssueCode(note["code"]),
            note["message"],
            column=note.get("column", ""),
            value=note.get("value", ""),
            row=note.get("row"),
            severity=note.get("severity", W),
        )
    opts = {
        "limits": resolve(limits),
        "districts": districts,
        "neighbourhoods": neighbourhoods,
        "age_bands": age_bands,
        "fiscal_year": None if fiscal_year is None else int(fiscal_year),
        "money_unit": money_unit,
    }

    if not raw.headers:
        issues.file(IssueCode.EMPTY_FILE, t("validate.empty_file"))
        return _finish(_refused(raw, kind, hmap, issues, keep_values=True, bands=age_bands), strict)
    for name, claimants in hmap.duplicates.items():
        issues.file(
            IssueCode.DUPLICATE_COLUMN,
            t(
                "validate.duplicate_column",
                columns=", ".join(repr(h) for h in claimants),
                name=repr(name),
                label=label(name),
                last=repr(claimants[-1]),
            ),
            column=claimants[-1],
            row=raw.header_row,
        )
    required = [n for n in REQUIRED[kind] if not (n == C.FISCAL_YEAR and fiscal_year is not None)]
    missing = [name for name in required if name not in hmap.found]
    if missing:
        wanted = ", ".join(f"{m!r} ({label(m)})" for m in missing)
        found = ", ".join(repr(h) for h in raw.headers) or t("validate.none")
        for name in missing:
            issues.file(
                IssueCode.MISSING_COLUMN,
                t("validate.missing_column", name=repr(name), label=label(name), wanted=wanted, found=found),
                column=name,
            )
    free_text = frozenset(hmap.found[n] for n in _FREE_TEXT[kind] if n in hmap.found)
    personal = find_personal_columns(raw.frame, raw.headers, skip=free_text)
    for hit in personal:
        row = raw.header_row if hit["row"] is None else int(raw.source_row[hit["row"]])
        issues.file(
            IssueCode.PERSONAL_DATA,
            t(
                "validate.personal_column",
                header=repr(hit["header"]),
                reason=t(f"validate.personal.{hit['kind']}"),
            ),
            column=hit["header"],
            value=hit["value"],
            row=row,
        )
    if any(r[C.ISSUE_SEVERITY] == E for r in issues.file_rows):
        return _finish(_refused(raw, kind, hmap, issues, keep_values=not personal, bands=age_bands), strict)
    if len(raw.frame) == 0:
        issues.file(IssueCode.EMPTY_FILE, t("validate.no_rows"), severity=W, row=raw.header_row)

    ctx = _Context(raw, hmap, issues, decimal, opts)
    if decimal is None:
        detected = detect_decimal(*(ctx.numbers(c) for c in _NUMBER_COLUMNS[kind] if ctx.has(c)))
        # MIXED or None: each column decides from its own values
        ctx.decimal = detected if detected in (DECIMAL_COMMA, DECIMAL_POINT) else None
    parsed, extra = _PARSERS[kind](ctx, opts)
    for name in _CATEGORICAL[kind]:
        ctx.personal(name, free_text=False)
    _cell_errors(ctx)
    frame = pd.DataFrame(parsed, copy=False)

    schema, relaxed, warning_schema = _compiled(kind, age_bands)
    _schema_issues(ctx, kind, frame, _failure_cases(relaxed, frame), E, extra)
    if warning_schema is not None:
        _schema_issues(ctx, kind, frame, _failure_cases(warning_schema, frame), W, extra)

    errors = np.zeros(ctx.n, dtype=bool)
    errors[issues.error_positions()] = True
    data = _output(frame[~errors] if errors.any() else frame, raw.source_row[~errors], schema, kind)
    quarantine = _quarantine(raw, issues, np.flatnonzero(errors))
    reconciliation = _reconcile(raw, kind, errors, extra.get("money", {}))
    result = ReadResult(
        kind=kind,
        data=data,
        issues=issues.frame(issue_rows),
        issues_total=issues.count() if issue_rows is not None else None,
        quarantine=quarantine,
        reconciliation=reconciliation,
        source=raw.source,
        columns_map=_columns_map(hmap),
        ignored_columns=hmap.unmapped,
        header_row=raw.header_row,
        blank_rows=raw.blank_rows,
        skipped=raw.skipped,
        sheet=raw.sheet,
    )
    return _finish(result, strict)


def _finish(result: ReadResult, strict: bool) -> ReadResult:
    if strict and not result.ok:
        raise DataValidationError(result.summary(), result.issues)
    return result


def _columns_map(hmap: HeaderMap) -> dict[str, str]:
    return {h: c for h, c in zip(hmap.headers, hmap.canonical, strict=True) if c is not None}


def _output(
    frame: pd.DataFrame, source_row: np.ndarray, schema: pa.DataFrameSchema, kind: str
) -> pd.DataFrame:
    order = [c for c in CANONICAL[kind] if c in frame.columns]
    out = frame[order].reset_index(drop=True)
    casts = {c: schema.columns[c].dtype.type for c in order if schema.columns[c].dtype is not None}
    out = out.astype(casts)
    out[C.SOURCE_ROW] = np.asarray(source_row, dtype=np.int64)
    return out


def _empty_output(kind: str, hmap: HeaderMap, bands: C.AgeBands) -> pd.DataFrame:
    schema = _compiled(kind, bands)[0]
    names = [c for c in CANONICAL[kind] if c in REQUIRED[kind] or c in hmap.found]
    frame = pd.DataFrame({c: pd.Series([], dtype=schema.columns[c].dtype.type) for c in names})
    frame[C.SOURCE_ROW] = pd.Series([], dtype="int64")
    return frame


def _quarantine(raw: RawTable, issues: _Issues, positions: np.ndarray) -> pd.DataFrame:
    out = raw.frame.iloc[positions].copy()
    out.columns = list(raw.headers)
    out = out.reset_index(drop=True)
    out = _masked(out)
    out[C.SOURCE_ROW] = raw.source_row[positions].astype(np.int64)
    out[ISSUE_CODES] = pd.Series(issues.codes_by_position(positions), dtype="str")
    return out


def _masked(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (raw text) with every personal part of every cell masked: quarantines never carry people's data."""
    columns = {}
    for j in range(frame.shape[1]):
        col = frame.iloc[:, j]
        _, masked = scan_values(col)
        if masked is not None:
            col = pd.Series(masked, index=col.index, dtype="str")
        columns[j] = col
    out = pd.DataFrame(columns, index=frame.index, copy=False)
    out.columns = frame.columns
    return out


def _cell_errors(ctx: _Context) -> None:
    """Errors the reader found in cells (formulas without a cached value), as issues on their rows."""
    for pos, _col, code, message, value, *rest in ctx.raw.cell_errors:
        if pos is None:
            ctx.issues.file(IssueCode(code), message, value=value, row=ctx.raw.header_row)
            continue
        column = _column_position(ctx.raw, rest[0] if rest else None)
        ctx.issues.add(
            np.asarray([pos]), column, IssueCode(code), message, value=np.asarray([value], dtype=object)
        )


def _column_position(raw: RawTable, sheet_column: int | None) -> int:
    """Header position of a 1-based sheet column (``-1`` when it is not one of the table's columns)."""
    if sheet_column is None:
        return -1
    kept = list(raw.source_columns) or list(range(len(raw.headers)))
    return kept.index(sheet_column - 1) if sheet_column - 1 in kept else -1


def _refused(
    raw: RawTable, kind: str, hmap: HeaderMap, issues: _Issues, *, keep_values: bool, bands: C.AgeBands
) -> ReadResult:
    """A file-level error: no data; every row is held back (without its values if it holds personal data)."""
    n = len(raw.frame)
    codes = "|".join(dict.fromkeys(r[C.ISSUE_CODE] for r in issues.file_rows if r[C.ISSUE_SEVERITY] == E))
    if keep_values:
        quarantine = raw.frame.copy()
        quarantine.columns = list(raw.headers)
        quarantine = _masked(quarantine.reset_index(drop=True))
    else:
        quarantine = pd.DataFrame(index=range(n))
    quarantine[C.SOURCE_ROW] = raw.source_row.astype(np.int64)
    quarantine[ISSUE_CODES] = pd.Series([codes] * n, dtype="str")
    skipped = len(raw.skipped)
    reconciliation = reconciliation_frame([(ROWS, n + skipped, 0, n, skipped)])
    return ReadResult(
        kind=kind,
        data=_empty_output(kind, hmap, bands),
        issues=issues.frame(),
        quarantine=quarantine,
        reconciliation=reconciliation,
        source=raw.source,
        columns_map=_columns_map(hmap),
        ignored_columns=hmap.unmapped,
        header_row=raw.header_row,
        blank_rows=raw.blank_rows,
        refused=True,
        skipped=raw.skipped,
        sheet=raw.sheet,
    )


def _reconcile(
    raw: RawTable, kind: str, errors: np.ndarray, amounts: dict[str, tuple[np.ndarray, np.ndarray]]
) -> pd.DataFrame:
    """``read == valid + quarantined + skipped`` for rows, and per money phase / count (exact sums, checked)."""
    n = len(errors)
    skipped = len(raw.skipped)
    rows = [(ROWS, n + skipped, int((~errors).sum()), int(errors.sum()), skipped)]
    for name in _RECONCILED[kind]:
        if name not in amounts:
            continue
        usable, values = amounts[name]
        v = np.where(usable, values, 0).astype(np.int64)
        sums = (exact_sum(v), exact_sum(v[~errors]), exact_sum(v[errors]))
        if any(abs(x) > INT64_MAX for x in sums):
            raise DataValidationError(
                Message(
                    "validate.total_overflow",
                    source=raw.source,
                    name=name,
                    total=format_int(sums[0]),
                    limit=format_int(INT64_MAX),
                ),
                issues_frame(
                    [
                        {
                            C.ISSUE_FILE: raw.source,
                            C.ISSUE_ROW: None,
                            C.ISSUE_COLUMN: name,
                            C.ISSUE_CODE: str(IssueCode.TOTAL_OVERFLOW),
                            C.ISSUE_SEVERITY: E,
                            C.ISSUE_MESSAGE: t("validate.total_overflow_issue", name=name),
                            C.ISSUE_VALUE: "",
                        }
                    ]
                ),
            )
        rows.append((name, *sums, 0))
    return reconciliation_frame(rows)
