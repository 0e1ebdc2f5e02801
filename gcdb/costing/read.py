"""Reading and validating costing lines: ``read_costing(path_or_frame)``.

The input is a table with one row per costing line (the columns of :data:`gcdb.costing.names.COSTING_REQUIRED`
and :data:`~gcdb.costing.names.COSTING_OPTIONAL`, under their canonical names, their Turkish labels or the aliases
below). The collection workbook of ``gcdb.forms`` produces exactly these columns; a CSV, an .xlsx sheet or a
DataFrame works the same.

Checks (each an issue naming file, row, column and value; errors quarantine the row, warnings keep it):

* required columns present (else the file is refused), required values present;
* ``quantity`` a number > 0, ``unit_cost`` a TL amount ≥ 0 (exact to the kuruş), years 1990–2100 with
  ``year_to ≥ year_from`` and at most 10 years;
* institutional code ``99.99.99.99``, functional and economic codes ``99.9.9.99`` in the analytic budget
  classification, and a financing type a local administration uses (:func:`gcdb.classification.check_codes`: the
  first unknown level is named);
* action codes shaped ``A{area}H{target}E{action}``, and in the plan when a catalogue is given (outside the
  action's plan years: a warning);
* the EU CPR category (``01``, ``02``, ``03``, ``03*``; ``1`` is read as ``01``) and every other scheme category
  valid under :mod:`gcdb.schemes`; a declared share in [0, 1] (``60 %`` and ``%60`` read as 0.6);
* duplicate ``cost_line_id``: later copies are errors; the same line under another id is a warning;
* one proposed budget line (same codes, action and description) cannot carry two different categories.

Amounts: ``quantity × unit_cost`` per fiscal year, exact (quantities to 4 decimals, rounded half up to the
kuruş only when the quantity has decimals).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gcdb import classification as K
from gcdb import columns as C
from gcdb.budget.inputs import parse_action_codes
from gcdb.costing import names as N
from gcdb.costing.tabular import Table, W, alias_table, finish, first_of_duplicates, raw_table
from gcdb.errors import IssueCode, UsageError
from gcdb.i18n import Message, format_int, t, t_array
from gcdb.normalise import (
    ECONOMIC_LEVELS,
    FUNCTIONAL_LEVELS,
    INSTITUTIONAL_LEVELS,
    code_pattern,
    normalise_code,
)
from gcdb.read import ReadResult
from gcdb.schemes import DECLARED_SHARE, SchemeSet, load_schemes
from gcdb.text import map_distinct, tr_upper

KIND = "costing"
YEAR_MIN, YEAR_MAX, MAX_SPAN = 1990, 2100, 10
QUANTITY_SCALE = 4  # quantities are read exactly to 4 decimals
_SHARE_SCALE = 6
_ACTION = r"^A\d+H\d+E\d+$"

#: Header aliases (Turkish and English) beyond each column's own name and labels.
ALIASES: dict[str, tuple[str, ...]] = {
    N.COST_LINE_ID: ("satır no", "maliyet no", "sıra no", "line id", "id"),
    C.ACTION_CODE: ("eylem", "eylem no", "action"),
    C.UNIT_NAME: ("sorumlu birim", "birim adı", "daire başkanlığı", "unit", "responsible unit"),
    C.INSTITUTIONAL_CODE: ("kurumsal", "kurum kodu", "institutional"),
    N.ITEM: ("kalem", "gider", "ne için", "açıklama (gider)", "what"),
    N.MEASURE: ("birim (ölçü)", "ölçü", "unit of measure"),
    C.QUANTITY: ("adet", "miktar (adet)", "qty"),
    N.UNIT_COST: ("birim fiyat", "birim maliyet (tl)", "birim fiyatı", "unit price"),
    N.YEAR_FROM: ("yıl", "mali yıl", "fiscal year", "fiscal_year", "year", "başlangıç"),
    N.YEAR_TO: ("bitiş", "son yıl", "year to"),
    C.FUNCTIONAL_CODE: ("fonksiyonel", "functional"),
    C.FINANCING_TYPE: ("finansman", "fin tipi", "financing"),
    C.ECONOMIC_CODE: ("ekonomik", "economic"),
    C.DESCRIPTION: ("bütçe kalemi açıklaması", "bütçe açıklaması", "budget description"),
    C.ACTIVITY_CODE: ("faaliyet", "faaliyet no"),
    N.EU_CPR: ("ab kategori", "eu cpr", "eu_cpr", "cpr kategori", "eige kategori"),
    N.PH_HGDG: ("hgdg", "hgdg puan", "ph_hgdg", "hgdg score"),
    N.OECD_DAC: ("oecd", "dac", "oecd_dac", "oecd dac"),
    N.INDIA_GBS: ("gbs", "india_gbs", "india gbs"),
    DECLARED_SHARE: ("pay", "tce payı", "beyan pay", "share", "declared share"),
    N.NOTE: ("not", "açıklama notu", "notes"),
}
_KEYS = alias_table((*N.COSTING_REQUIRED, *N.COSTING_OPTIONAL), ALIASES, N.LABELS)


class CostingRead(ReadResult):
    """:class:`gcdb.read.ReadResult` of a costing table. ``data`` has one row per costing line and fiscal year
    (:data:`gcdb.costing.names.COSTING_COLUMNS`); the reconciliation counts input rows and kuruş."""

    def __repr__(self) -> str:
        return f"CostingRead({self.summary()})"

    def summary(self) -> str:
        rows = self.reconciliation[self.reconciliation["measure"] == "rows"]
        read, valid = (int(rows["read"].iloc[0]), int(rows["valid"].iloc[0])) if len(rows) else (0, 0)
        return Message(
            "costing.read.summary",
            source=str(self.source),
            read=format_int(read),
            valid=format_int(valid),
            line_years=format_int(len(self.data)),
            quarantined=format_int(len(self.quarantine)),
            errors=format_int(len(self.errors)),
            warnings=format_int(len(self.warnings)),
        )


def read_costing(
    source: str | Path | pd.DataFrame,
    *,
    catalogue: Any = None,
    schemes: SchemeSet | None = None,
    strict: bool = False,
    sheet: str | int | None = None,
) -> CostingRead:
    """Read and validate costing lines from a .csv/.xlsx/.parquet file or a DataFrame.

    ``catalogue``: a :class:`gcdb.Catalogue` (or a DataFrame with ``action_code`` and optionally ``year_from``,
    ``year_to``, ``area``, ``target_code``) to check action codes and plan years against. ``strict=True`` raises
    :class:`gcdb.errors.DataValidationError` when there are errors.
    """
    plan = _plan_frame(catalogue)
    table = Table(raw_table(source, sheet=sheet), _KEYS, KIND)
    if table.n == 0:
        table.file_issue(IssueCode.EMPTY_FILE, t("costing.read.no_rows"))
    if not table.require(N.COSTING_REQUIRED) or table.n == 0:
        result = table.result(pd.DataFrame(index=range(table.n)))
        return finish(_as_costing(result, N.conform(None, N.COSTING_COLUMNS)), strict)
    lines, amount = _parse(table, plan, schemes or load_schemes())
    result = table.result(lines, money={N.AMOUNT: amount})
    return finish(_as_costing(result, _by_year(result.data)), strict)


# ---------------------------------------------------------------------------------------------------------------
# parsing
# ---------------------------------------------------------------------------------------------------------------
def _parse(table: Table, plan: pd.DataFrame | None, schemes: SchemeSet) -> tuple[pd.DataFrame, np.ndarray]:
    out: dict[str, Any] = {}
    for name in (N.COST_LINE_ID, C.UNIT_NAME, N.ITEM):
        out[name] = table.required_text(name)
    for name in (N.MEASURE, C.DESCRIPTION, C.ACTIVITY_CODE, N.NOTE):
        out[name] = table.text(name)
    out[C.DESCRIPTION] = map_distinct(out[C.DESCRIPTION], tr_upper)

    out[C.ACTION_CODE] = _action_codes(table, plan)
    out[C.INSTITUTIONAL_CODE] = _code(table, C.INSTITUTIONAL_CODE, INSTITUTIONAL_LEVELS, None)
    out[C.FUNCTIONAL_CODE] = _code(table, C.FUNCTIONAL_CODE, FUNCTIONAL_LEVELS, K.FUNCTIONAL)
    out[C.ECONOMIC_CODE] = _code(table, C.ECONOMIC_CODE, ECONOMIC_LEVELS, K.ECONOMIC)
    financing = table.required_text(C.FINANCING_TYPE)
    shaped = financing.isin(C.FINANCING_CODES).to_numpy()
    table.add(
        financing.notna().to_numpy() & ~shaped,
        C.FINANCING_TYPE,
        IssueCode.MALFORMED_CODE,
        t("costing.read.financing"),
    )
    _known(table, C.FINANCING_TYPE, financing.where(shaped), K.FINANCING)
    out[C.FINANCING_TYPE] = financing

    quantity, q_ok = table.number(C.QUANTITY, scale=QUANTITY_SCALE, required=True)
    table.add(q_ok & (quantity <= 0), C.QUANTITY, IssueCode.INVALID_VALUE, t("costing.read.quantity"))
    unit_cost, u_ok = table.number(N.UNIT_COST, scale=2, required=True, kind="money")
    table.add(
        u_ok & (unit_cost < 0), N.UNIT_COST, IssueCode.NEGATIVE_AMOUNT, t("costing.read.unit_cost_negative")
    )
    per_year = _amount(table, quantity, unit_cost, q_ok & u_ok & (quantity > 0) & (unit_cost >= 0))
    out[C.QUANTITY] = quantity / 10**QUANTITY_SCALE
    out[N.UNIT_COST] = unit_cost
    out[N.AMOUNT] = per_year

    year_from, year_to, span = _years(table)
    out[N.YEAR_FROM], out[N.YEAR_TO] = year_from, year_to
    _plan_years(table, out[C.ACTION_CODE], year_from, year_to, plan)

    for column in N.CATEGORY_COLUMNS:
        out[column] = _category_text(table, column)
    out[DECLARED_SHARE] = _declared_share(table)
    _check_categories(table, out, schemes)

    frame = pd.DataFrame(out)
    _duplicates(table, frame)
    _consistent_lines(table, frame)
    dims = _dims(frame[C.ACTION_CODE], plan)
    frame[C.AREA], frame[C.TARGET_CODE] = dims[C.AREA], dims[C.TARGET_CODE]
    return frame, per_year * span


def _action_codes(table: Table, plan: pd.DataFrame | None) -> pd.Series:
    codes = map_distinct(table.required_text(C.ACTION_CODE), lambda s: s.replace(" ", "").upper())
    shaped = codes.str.fullmatch(_ACTION).fillna(False).to_numpy(dtype=bool)
    present = codes.notna().to_numpy()
    table.add(
        present & ~shaped,
        C.ACTION_CODE,
        IssueCode.MALFORMED_CODE,
        t("costing.read.action_shape"),
    )
    if plan is not None:
        unknown = present & shaped & ~codes.isin(plan[C.ACTION_CODE]).to_numpy()
        table.add(unknown, C.ACTION_CODE, IssueCode.UNKNOWN_CODE, t("costing.read.action_unknown"))
    return codes


def _code(table: Table, name: str, levels: tuple[int, ...], kind: str | None) -> pd.Series:
    text = table.required_text(name)
    restore = name != C.INSTITUTIONAL_CODE
    codes = normalise_code(text, levels, restore_leading_zero=restore).reset_index(drop=True)
    present = codes.notna().to_numpy()
    shaped = codes.str.fullmatch(code_pattern(levels)).fillna(False).to_numpy(dtype=bool)
    shape = ".".join("9" * n for n in levels)
    table.add(present & ~shaped, name, IssueCode.MALFORMED_CODE, t("costing.read.code_shape", shape=shape))
    if kind is not None:
        _known(table, name, codes.where(present & shaped), kind)
    return codes


def _known(table: Table, name: str, codes: pd.Series, kind: str) -> None:
    """``unknown_code`` where a well-formed code is not in the analytic budget classification
    (:mod:`gcdb.classification`, the one reference of codes; checked once per distinct code)."""
    found = K.check_codes(codes.reset_index(drop=True), kind)
    unknown = found["level"].notna().to_numpy()
    table.add(unknown, name, IssueCode.UNKNOWN_CODE, found["message"].to_numpy(dtype=object))


def _amount(table: Table, quantity: np.ndarray, unit_cost: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """quantity (×10⁴) × unit cost (kuruş) ÷ 10⁴, rounded half up; exact, overflow-checked."""
    q = np.where(usable, quantity, 0).astype(np.int64)
    u = np.where(usable, unit_cost, 0).astype(np.int64)
    scale = 10**QUANTITY_SCALE
    safe = np.abs(q).astype(np.float64) * np.abs(u).astype(np.float64) < 2.0**62
    out = np.zeros(len(q), dtype=np.int64)
    out[safe] = (q[safe] * u[safe] + scale // 2) // scale
    if (~safe).any():  # rare: more than ~4.6e14 TL · units — exact integers, then the int64 check
        exact = (q[~safe].astype(object) * u[~safe].astype(object) + scale // 2) // scale
        fits = np.array([v <= np.iinfo(np.int64).max // (MAX_SPAN + 1) for v in exact], dtype=bool)
        big = np.flatnonzero(~safe)
        out[big[fits]] = np.asarray(exact[fits], dtype=np.int64)
        too_big = np.zeros(len(q), dtype=bool)
        too_big[big[~fits]] = True
        table.add(too_big, N.UNIT_COST, IssueCode.INVALID_VALUE, t("costing.read.too_large"))
    return out


def _years(table: Table) -> tuple[pd.Series, pd.Series, np.ndarray]:
    y_from, from_ok = table.number(N.YEAR_FROM, scale=0, required=True, kind="integer")
    y_to, to_ok = table.number(N.YEAR_TO, scale=0, required=False, kind="integer")
    y_to = np.where(to_ok, y_to, y_from)
    to_ok = to_ok | table.blank(N.YEAR_TO)
    for name, values, ok in ((N.YEAR_FROM, y_from, from_ok), (N.YEAR_TO, y_to, to_ok & from_ok)):
        table.add(
            ok & ((values < YEAR_MIN) | (values > YEAR_MAX)),
            name,
            IssueCode.INVALID_VALUE,
            t("costing.read.year_range", first=YEAR_MIN, last=YEAR_MAX),
        )
    both = from_ok & to_ok
    table.add(both & (y_to < y_from), N.YEAR_TO, IssueCode.INVALID_VALUE, t("costing.read.year_order"))
    table.add(
        both & (y_to - y_from + 1 > MAX_SPAN),
        N.YEAR_TO,
        IssueCode.INVALID_VALUE,
        t("costing.read.span", n=MAX_SPAN),
    )
    usable = both & (y_to >= y_from) & (y_to - y_from < MAX_SPAN)
    span = np.where(usable, y_to - y_from + 1, 0).astype(np.int64)
    return _as_year(y_from, usable), _as_year(y_to, usable), span


def _as_year(values: np.ndarray, ok: np.ndarray) -> pd.Series:
    return pd.Series(pd.array(np.where(ok, values, 0), dtype="Int64")).where(ok)


def _plan_years(table: Table, action: pd.Series, y_from: pd.Series, y_to: pd.Series, plan) -> None:
    if plan is None or N.YEAR_FROM not in plan.columns:
        return
    years = plan.drop_duplicates(C.ACTION_CODE).set_index(C.ACTION_CODE)[[N.YEAR_FROM, N.YEAR_TO]]
    start = action.map(years[N.YEAR_FROM]).astype("Int64")
    end = action.map(years[N.YEAR_TO]).astype("Int64")
    outside = ((y_from < start) | (y_to > end)).fillna(False).to_numpy(dtype=bool)
    message = t_array("costing.read.plan_years", first=start.astype("str"), last=end.astype("str"))
    table.add(outside, N.YEAR_FROM, IssueCode.INVALID_VALUE, message, severity=W)


# -- categories -------------------------------------------------------------------------------------------------
_EU_CODES = {"1": "01", "2": "02", "3": "03", "3*": "03*", "1.0": "01", "2.0": "02", "3.0": "03"}


def _category_text(table: Table, column: str) -> pd.Series:
    text = table.text(column)
    if column == N.EU_CPR:
        table.add(
            table.blank(column),
            column,
            IssueCode.MISSING_VALUE,
            t("costing.read.eu_cpr_empty", column=column),
        )
        return map_distinct(text, lambda s: _EU_CODES.get(s.replace(" ", ""), s.replace(" ", "")))
    if column == N.PH_HGDG:
        values, ok = table.number(column, scale=4, required=False)
        return score_text(values / 10**4, ok)
    return map_distinct(text, lambda s: s.strip().upper() if column == N.INDIA_GBS else s.strip())


def score_text(values: np.ndarray, ok: np.ndarray) -> pd.Series:
    """Scores as text (``16``, ``16.5``), missing where not ``ok``; formatted once per distinct value."""
    codes, uniques = pd.factorize(pd.Series(np.where(ok, values, np.nan)), use_na_sentinel=True)
    texts = np.array([f"{v:g}" for v in uniques] + [None], dtype=object)
    return pd.Series(texts[codes], dtype="str")


def _declared_share(table: Table) -> pd.Series:
    text = table.text(DECLARED_SHARE)
    percent = text.str.contains("%", regex=False).fillna(False).to_numpy(dtype=bool)
    cleaned = text.str.replace("%", "", regex=False).str.strip()
    cleaned = cleaned.where(cleaned != "", None)
    from gcdb.read import parse_decimal

    parsed = parse_decimal(cleaned, scale=_SHARE_SCALE)
    table.add(parsed.invalid, DECLARED_SHARE, IssueCode.UNPARSEABLE_NUMBER, parsed.reason)
    share = np.where(percent, parsed.values / 100, parsed.values) / 10**_SHARE_SCALE
    ok = parsed.ok
    table.add(ok & (share > 1), DECLARED_SHARE, IssueCode.INVALID_VALUE, t("costing.read.share_above"))
    table.add(ok & (share < 0), DECLARED_SHARE, IssueCode.INVALID_VALUE, t("costing.read.share_below"))
    return pd.Series(np.where(ok, share, np.nan), dtype="float64")


def _check_categories(table: Table, out: dict[str, Any], schemes: SchemeSet) -> None:
    """Every category valid under its scheme (checked once per distinct category × declared share)."""
    share = out[DECLARED_SHARE].where(out[DECLARED_SHARE].between(0, 1)).fillna(-1.0)
    for column in N.CATEGORY_COLUMNS:
        scheme_id = column.removeprefix("category_")
        if scheme_id not in schemes:
            continue
        scheme = schemes[scheme_id]
        pairs = pd.DataFrame({"c": out[column], "s": share})
        distinct = pairs[pairs["c"].notna()].drop_duplicates()
        distinct["m"] = [
            scheme.check(c, None if s < 0 else float(s))
            for c, s in zip(distinct["c"], distinct["s"], strict=True)
        ]
        message = pairs.merge(distinct, on=["c", "s"], how="left")["m"]
        table.add(message.notna().to_numpy(), column, IssueCode.INVALID_VALUE, message.to_numpy(dtype=object))


# -- duplicates and consistency ---------------------------------------------------------------------------------
_CONTENT = (
    C.ACTION_CODE,
    C.INSTITUTIONAL_CODE,
    C.FUNCTIONAL_CODE,
    C.FINANCING_TYPE,
    C.ECONOMIC_CODE,
    N.ITEM,
    C.DESCRIPTION,
    C.QUANTITY,
    N.UNIT_COST,
    N.YEAR_FROM,
    N.YEAR_TO,
)
_PROPOSAL_KEY = (C.ACTION_CODE, C.INSTITUTIONAL_CODE, C.FUNCTIONAL_CODE, C.FINANCING_TYPE, C.ECONOMIC_CODE)


def _row_of(table: Table, first: np.ndarray) -> pd.Series:
    return pd.Series(table.raw.source_row[first], dtype="int64").astype("str")


def _duplicates(table: Table, frame: pd.DataFrame) -> None:
    later, first = first_of_duplicates(frame[[N.COST_LINE_ID]])
    table.add(
        later,
        N.COST_LINE_ID,
        IssueCode.DUPLICATE_ID,
        t_array("costing.read.duplicate_id", row=_row_of(table, first)),
    )
    same, first = first_of_duplicates(frame[list(_CONTENT)].astype("str").fillna(""))  # blanks compare equal
    table.add(
        same & ~later,
        N.ITEM,
        IssueCode.DUPLICATE_ID,
        t_array("costing.read.duplicate_line", row=_row_of(table, first)),
        severity=W,
    )


def _consistent_lines(table: Table, frame: pd.DataFrame) -> None:
    """One proposed budget line (codes, action, description) carries one set of categories."""
    key = frame[list(_PROPOSAL_KEY)].assign(
        _d=frame[C.DESCRIPTION].fillna(map_distinct(frame[N.ITEM], tr_upper))
    )
    cats = frame[[*N.CATEGORY_COLUMNS, DECLARED_SHARE]].astype("str").fillna("")
    group = key.astype("str").fillna("").groupby(list(key.columns), sort=False).ngroup().to_numpy()
    signature = cats.groupby(list(cats.columns), sort=False).ngroup().to_numpy()
    first_pos = pd.Series(np.arange(len(frame))).groupby(group).transform("min").to_numpy()
    differs = signature != signature[first_pos]
    table.add(
        differs & key.notna().all(axis=1).to_numpy(),
        N.EU_CPR,
        IssueCode.INVALID_VALUE,
        t_array("costing.read.inconsistent", row=_row_of(table, first_pos)),
    )


# ---------------------------------------------------------------------------------------------------------------
# plan, years, output
# ---------------------------------------------------------------------------------------------------------------
def _plan_frame(catalogue: Any) -> pd.DataFrame | None:
    if catalogue is None:
        return None
    if hasattr(catalogue, "budget_actions"):
        return catalogue.budget_actions()
    if isinstance(catalogue, pd.DataFrame):
        if C.ACTION_CODE not in catalogue.columns:
            raise UsageError(Message("costing.read.plan_column"))
        return catalogue
    raise UsageError(
        f"catalogue must be a gcdb.Catalogue or a DataFrame of actions, got {type(catalogue).__name__}"
    )


def _dims(action: pd.Series, plan: pd.DataFrame | None) -> pd.DataFrame:
    from gcdb.budget.plan import action_dims

    if plan is not None and {C.AREA, C.TARGET_CODE} <= set(plan.columns):
        return action_dims(action, plan.drop_duplicates(C.ACTION_CODE))
    return parse_action_codes(action)


def _by_year(lines: pd.DataFrame) -> pd.DataFrame:
    """One row per costing line and fiscal year (vectorised: ``np.repeat`` over the spans)."""
    if lines.empty:
        return N.conform(None, N.COSTING_COLUMNS)
    span = (lines[N.YEAR_TO] - lines[N.YEAR_FROM] + 1).to_numpy(dtype=np.int64)
    rows = np.repeat(np.arange(len(lines)), span)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(span) - span, span)
    out = lines.iloc[rows].reset_index(drop=True)
    out[C.FISCAL_YEAR] = out[N.YEAR_FROM].to_numpy(dtype=np.int64) + offset
    out = out.sort_values([C.FISCAL_YEAR, C.SOURCE_ROW], kind="stable")
    return N.conform(out, N.COSTING_COLUMNS)


def _as_costing(result: ReadResult, data: pd.DataFrame) -> CostingRead:
    fields = {f: getattr(result, f) for f in result.__dataclass_fields__}
    return CostingRead(**(fields | {"data": data}))
