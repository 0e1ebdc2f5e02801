"""Checking and normalising the inputs of the budget analysis: budget lines, tag table, plan actions, unit map.

Each ``prepare_*`` function either returns a frame with canonical columns and dtypes or raises
:class:`gcdb.errors.DataValidationError` carrying an issues table that names the input, column and row, or
:class:`gcdb.errors.UsageError` for a wrong argument. Row-level checks are vectorised; Python only runs over the
distinct categories of a scheme and over at most :data:`MAX_ISSUES` offending rows to write the messages.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.budget import names as N
from gcdb.errors import DataValidationError, IssueCode, UsageError, issues_frame
from gcdb.i18n import Message, t
from gcdb.money import split_by_shares
from gcdb.schemes import DECLARED_SHARE, Scheme, SchemeSet, category_column, load_schemes

MAX_ISSUES = 20
BUDGET = "budget"
TAGS = "tags"
PLAN = "plan_actions"
UNIT_MAP = "unit_map"

#: Budget columns the analysis needs; the rest of :data:`gcdb.columns.BUDGET_COLUMNS` is optional here.
BUDGET_NEEDED = (C.FISCAL_YEAR, C.LINE_ID, C.FUNCTIONAL_CODE, C.FINANCING_TYPE, C.ECONOMIC_CODE, *C.PHASES)
_BUDGET_TEXT = (C.UNIT_NAME, C.DESCRIPTION, C.FUNCTIONAL_CODE, C.ECONOMIC_CODE, C.FINANCING_TYPE)
PLAN_NEEDED = (C.ACTION_CODE, N.YEAR_FROM, N.YEAR_TO)
PLAN_COLUMNS = (C.ACTION_CODE, C.AREA, C.TARGET_CODE, N.TITLE, N.YEAR_FROM, N.YEAR_TO, N.RESPONSIBLE_UNIT)
_ACTION_PATTERN = r"^[Aa](\d+)[Hh](\d+)"


def _issue(file: str, column: str, code: IssueCode, message: str, value: object = "", row=None) -> dict:
    return {
        C.ISSUE_FILE: file,
        C.ISSUE_ROW: row,
        C.ISSUE_COLUMN: column,
        C.ISSUE_CODE: str(code),
        C.ISSUE_SEVERITY: C.ERROR,
        C.ISSUE_MESSAGE: message,
        C.ISSUE_VALUE: "" if value is None else str(value),
    }


def _raise(message: str, issues: list[dict]) -> None:
    if issues:
        raise DataValidationError(message, issues_frame(issues))


def _require(frame: pd.DataFrame, needed: Iterable[str], file: str, what: str) -> None:
    missing = [name for name in needed if name not in frame.columns]
    found = ", ".join(map(str, frame.columns)) or t("validate.none")
    _raise(
        Message(
            "budget.needs_columns",
            file=file,
            what=t(what),
            needed=", ".join(needed),
            missing=", ".join(missing),
            found=found,
        ),
        [
            _issue(file, name, IssueCode.MISSING_COLUMN, t("budget.column_missing", name=repr(name)))
            for name in missing
        ],
    )


def _text(series: pd.Series) -> pd.Series:
    """Cast a column to the ``str`` dtype, missing values kept missing, computed on distinct values."""
    if str(series.dtype) == "str":
        return series
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = np.array([str(u) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=series.index, dtype="str", name=series.name)


def _integer_column(
    frame: pd.DataFrame, name: str, file: str, what: str
) -> tuple[np.ndarray | None, list[dict]]:
    """Return the column as int64, or issues if it is not an integer column without missing values."""
    series = frame[name]
    if series.empty:
        return np.zeros(0, dtype=np.int64), []
    if not pd.api.types.is_integer_dtype(series.dtype):
        return None, [
            _issue(
                file,
                name,
                IssueCode.INVALID_VALUE,
                t("budget.integers", what=what, dtype=str(series.dtype)),
                str(series.dtype),
            )
        ]
    missing = series.isna().to_numpy()
    if missing.any():
        first = np.flatnonzero(missing)[:MAX_ISSUES]
        return None, [
            _issue(file, name, IssueCode.MISSING_VALUE, t("budget.missing_at", what=what, i=i)) for i in first
        ]
    return series.to_numpy(dtype=np.int64), []


# ---------------------------------------------------------------------------------------------------------------
# Schemes
# ---------------------------------------------------------------------------------------------------------------
def resolve_schemes(schemes: SchemeSet | Iterable[str | Scheme] | str | None) -> tuple[Scheme, ...]:
    """Turn the ``schemes`` argument into scheme objects (None: every shipped scheme)."""
    shipped = load_schemes()
    if schemes is None:
        return shipped.schemes
    if isinstance(schemes, SchemeSet):
        return schemes.schemes
    if isinstance(schemes, str | Scheme):
        schemes = [schemes]
    out: list[Scheme] = []
    for item in schemes:
        if isinstance(item, Scheme):
            out.append(item)
        elif isinstance(item, str) and item in shipped:
            out.append(shipped[item])
        else:
            raise UsageError(Message("budget.unknown_scheme", scheme=repr(item), ids=", ".join(shipped.ids)))
    if not out:
        raise UsageError(Message("budget.no_scheme"))
    if len({s.id for s in out}) != len(out):
        raise UsageError(Message("budget.schemes_twice", ids=str([s.id for s in out])))
    return tuple(out)


# ---------------------------------------------------------------------------------------------------------------
# Budget
# ---------------------------------------------------------------------------------------------------------------
def prepare_budget(budget: pd.DataFrame) -> pd.DataFrame:
    """Budget lines with ``row_id`` = position, canonical text columns and int64 money; unit_name/description
    optional (missing → NA)."""
    if not isinstance(budget, pd.DataFrame):
        raise UsageError(Message("budget.not_frame", name="budget", type=type(budget).__name__))
    _require(budget, BUDGET_NEEDED, BUDGET, "budget.what.analysis")
    frame = budget.reset_index(drop=True)
    # None where a column has issues (raised below, before the frame is built)
    out: dict[str, np.ndarray | pd.Series | None] = {C.ROW_ID: np.arange(len(frame), dtype=np.int64)}
    issues: list[dict] = []
    year, found = _integer_column(frame, C.FISCAL_YEAR, BUDGET, "fiscal_year")
    issues += found
    out[C.FISCAL_YEAR] = year
    out[C.LINE_ID] = frame[C.LINE_ID].to_numpy()
    for name in _BUDGET_TEXT:
        out[name] = (
            _text(frame[name]) if name in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="str")
        )
    for phase in C.PHASES:
        values, found = _integer_column(frame, phase, BUDGET, phase)
        issues += found
        out[phase] = values
    _raise(Message("budget.invalid_lines"), issues)
    return pd.DataFrame(out)


# ---------------------------------------------------------------------------------------------------------------
# Tag table
# ---------------------------------------------------------------------------------------------------------------
def tag_frame(tags) -> pd.DataFrame:
    """The tag table of a ``TagResult``-like object (``.tags``) or the DataFrame itself."""
    frame = getattr(tags, "tags", tags)
    if not isinstance(frame, pd.DataFrame):
        raise UsageError(Message("budget.tags_type", type=type(tags).__name__))
    return frame


def _part_issue(
    column: str, code: IssueCode, message: str, frame: pd.DataFrame, positions, value
) -> list[dict]:
    rule = frame[C.RULE_ID] if C.RULE_ID in frame.columns else None
    out = []
    for pos in np.asarray(positions)[:MAX_ISSUES]:
        row_id = frame[C.ROW_ID].iloc[pos]
        if rule is not None:
            where = t("budget.part_rule", pos=pos, row_id=row_id, rule=repr(rule.iloc[pos]))
        else:
            where = t("budget.part", pos=pos, row_id=row_id)
        out.append(_issue(TAGS, column, code, f"{where}: {message}", value[pos] if value is not None else ""))
    return out


def prepare_tags(tags, lines: pd.DataFrame, schemes: tuple[Scheme, ...]) -> pd.DataFrame:
    """Check the tag table against the budget and the schemes; return it with ``part_id`` and canonical dtypes.

    ``attributed_<phase>`` columns absent from the table are computed with :func:`gcdb.money.split_by_shares`;
    present ones must lie less than one kuruş from ``share × line amount`` (what largest-remainder rounding gives), and
    the parts of a line may not add up to more than the line.
    """
    frame = tag_frame(tags).reset_index(drop=True)
    needed = (C.ROW_ID, C.SHARE, *(category_column(s.id) for s in schemes))
    _require(frame, needed, TAGS, "budget.what.schemes")
    n_lines = len(lines)
    issues: list[dict] = []

    row_id, found = _integer_column(frame, C.ROW_ID, TAGS, "row_id")
    _raise(Message("budget.tags.row_ids"), found)
    assert row_id is not None  # (None only with issues, raised above)
    bad = np.flatnonzero((row_id < 0) | (row_id >= n_lines))
    _raise(
        Message("budget.tags.outside"),
        _part_issue(
            C.ROW_ID,
            IssueCode.INVALID_VALUE,
            t("budget.tags.row_position", last=n_lines - 1),
            frame,
            bad,
            row_id,
        ),
    )
    out: dict[str, object] = {N.PART_ID: np.arange(len(frame), dtype=np.int64), C.ROW_ID: row_id}
    for name in (C.RULE_ID, C.ACTION_CODE):
        out[name] = (
            _text(frame[name]) if name in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="str")
        )

    share = pd.to_numeric(frame[C.SHARE], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.flatnonzero(~(np.isfinite(share) & (share >= 0) & (share <= 1)))
    issues += _part_issue(C.SHARE, IssueCode.INVALID_VALUE, t("budget.tags.share"), frame, bad, share)
    _raise(Message("budget.tags.shares"), issues)
    totals = np.bincount(row_id, weights=share, minlength=n_lines)
    over = np.flatnonzero(totals > 1 + 1e-9)
    issues += [
        _issue(
            TAGS,
            C.SHARE,
            IssueCode.INVALID_VALUE,
            t("budget.tags.share_sum", row=r, total=f"{totals[r]:.6g}"),
        )
        for r in over[:MAX_ISSUES]
    ]
    out[C.SHARE] = share

    declared = (
        pd.to_numeric(frame[DECLARED_SHARE], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        if DECLARED_SHARE in frame.columns
        else np.full(len(frame), np.nan)
    )
    bad = np.flatnonzero(~np.isnan(declared) & ((declared < 0) | (declared > 1)))
    issues += _part_issue(
        DECLARED_SHARE, IssueCode.INVALID_VALUE, t("budget.tags.declared"), frame, bad, declared
    )
    out[DECLARED_SHARE] = declared
    for scheme in schemes:
        column = category_column(scheme.id)
        category = _text(frame[column])
        out[column] = category
        issues += _category_issues(scheme, category, declared, frame)
    _raise(Message("budget.tags.invalid"), issues)

    for phase in C.PHASES:
        column = C.attributed(phase)
        amount = lines[phase].to_numpy(dtype=np.int64)
        if column not in frame.columns:
            out[column] = split_by_shares(
                lines[phase], pd.Series(row_id), pd.Series(share, dtype="float64")
            ).to_numpy()
            continue
        values, found = _integer_column(frame, column, TAGS, column)
        _raise(Message("budget.tags.attributed"), found)
        assert values is not None  # (None only with issues, raised above)
        line_amount = amount[row_id]
        exact = share * line_amount
        # largest remainder keeps every part strictly within one kuruş of share × amount; allow float slack
        tolerance = 1.0 - 1e-7 + 1e-15 * np.abs(line_amount)
        bad = np.flatnonzero(np.abs(values - exact) > tolerance)
        issues += _part_issue(
            column,
            IssueCode.INVALID_VALUE,
            t("budget.tags.not_share", phase=phase),
            frame,
            bad,
            values,
        )
        summed = np.zeros(n_lines, dtype=np.int64)
        np.add.at(summed, row_id, values)
        beyond = np.flatnonzero(
            np.where(amount >= 0, (summed < 0) | (summed > amount), (summed > 0) | (summed < amount))
        )
        issues += [
            _issue(
                TAGS,
                column,
                IssueCode.INVALID_VALUE,
                t("budget.tags.beyond", row=r, summed=summed[r], phase=phase, amount=amount[r]),
            )
            for r in beyond[:MAX_ISSUES]
        ]
        out[column] = values
    _raise(Message("budget.tags.reconcile"), issues)
    return pd.DataFrame(out)


def _category_issues(
    scheme: Scheme, category: pd.Series, declared: np.ndarray, frame: pd.DataFrame
) -> list[dict]:
    """Validate each distinct (category, declared share) pair with :meth:`Scheme.check`."""
    column = category_column(scheme.id)
    pairs = pd.DataFrame({"c": category, "d": declared})
    present = pairs["c"].notna().to_numpy()
    if not present.any():
        return []
    distinct = pairs[present].drop_duplicates()
    issues = []
    for cat, dec in zip(distinct["c"].tolist(), distinct["d"].tolist(), strict=True):  # distinct pairs only
        message = scheme.check(cat, None if np.isnan(dec) else float(dec))
        if message is None:
            continue
        hit = np.flatnonzero(
            present & (pairs["c"] == cat).to_numpy() & np.isclose(declared, dec, equal_nan=True)
        )
        issues += _part_issue(column, IssueCode.INVALID_VALUE, message, frame, hit[:3], category.to_numpy())
    return issues


# ---------------------------------------------------------------------------------------------------------------
# Plan actions and unit map
# ---------------------------------------------------------------------------------------------------------------
def parse_action_codes(codes: pd.Series) -> pd.DataFrame:
    """Area (Int64) and target code (``A7H1``) read from action codes shaped ``A{area}H{target}E{action}``.

    Codes of another shape give NA. Computed once per distinct code.
    """
    codes_idx, uniques = pd.factorize(codes, use_na_sentinel=True)
    parts = pd.Series(uniques, dtype="str").str.extract(_ACTION_PATTERN)
    area = pd.to_numeric(parts[0], errors="coerce").astype("Int64")
    target = ("A" + parts[0] + "H" + parts[1]).astype("str")
    area_all = pd.concat([area, pd.Series([pd.NA], dtype="Int64")], ignore_index=True)
    target_all = pd.concat([target, pd.Series([pd.NA], dtype="str")], ignore_index=True)
    return pd.DataFrame(
        {
            C.AREA: area_all.iloc[codes_idx].to_numpy(),
            C.TARGET_CODE: target_all.iloc[codes_idx].to_numpy(),
        },
        index=codes.index,
    ).astype({C.AREA: "Int64", C.TARGET_CODE: "str"})


def prepare_plan(plan_actions: pd.DataFrame) -> pd.DataFrame:
    """Plan actions with the columns of :data:`PLAN_COLUMNS`; area/target read from the code where absent."""
    if not isinstance(plan_actions, pd.DataFrame):
        raise UsageError(Message("budget.not_frame", name="plan_actions", type=type(plan_actions).__name__))
    _require(plan_actions, PLAN_NEEDED, PLAN, "budget.what.plan")
    frame = plan_actions.reset_index(drop=True)
    issues: list[dict] = []
    code = _text(frame[C.ACTION_CODE])
    out = {C.ACTION_CODE: code}
    parsed = parse_action_codes(code)
    out[C.AREA] = (
        pd.to_numeric(frame[C.AREA], errors="coerce").astype("Int64")
        if C.AREA in frame.columns
        else parsed[C.AREA]
    )
    out[C.TARGET_CODE] = (
        _text(frame[C.TARGET_CODE]) if C.TARGET_CODE in frame.columns else parsed[C.TARGET_CODE]
    )
    for name in (N.TITLE, N.RESPONSIBLE_UNIT):
        out[name] = (
            _text(frame[name]) if name in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="str")
        )
    blank = out[N.RESPONSIBLE_UNIT].str.strip().eq("").fillna(False).to_numpy(dtype=bool)
    out[N.RESPONSIBLE_UNIT] = out[N.RESPONSIBLE_UNIT].mask(blank)
    years: dict[str, np.ndarray] = {}
    for name in (N.YEAR_FROM, N.YEAR_TO):
        values, found = _integer_column(frame, name, PLAN, name)
        issues += found
        if values is not None:  # else ``found`` has the issues, raised next
            years[name] = values
    _raise(Message("budget.plan.invalid"), issues)
    missing = np.flatnonzero(code.isna().to_numpy())
    issues += [
        _issue(PLAN, C.ACTION_CODE, IssueCode.MISSING_VALUE, t("budget.plan.code_missing", row=i))
        for i in missing
    ]
    dup = code[code.duplicated() & code.notna()].unique()
    issues += [
        _issue(PLAN, C.ACTION_CODE, IssueCode.DUPLICATE_ID, t("budget.plan.twice"), d)
        for d in dup[:MAX_ISSUES]
    ]
    backwards = np.flatnonzero(years[N.YEAR_FROM] > years[N.YEAR_TO])
    issues += [
        _issue(PLAN, N.YEAR_FROM, IssueCode.INVALID_VALUE, t("budget.plan.years"), code.iloc[i])
        for i in backwards[:MAX_ISSUES]
    ]
    _raise(Message("budget.plan.invalid"), issues)
    return pd.DataFrame({**out, **years}).astype({N.YEAR_FROM: "int64", N.YEAR_TO: "int64"})


def prepare_unit_map(unit_map: pd.DataFrame | None) -> pd.DataFrame | None:
    """Explicit ``plan_unit → budget_unit`` pairs (text), or None."""
    if unit_map is None:
        return None
    if not isinstance(unit_map, pd.DataFrame):
        raise UsageError(Message("budget.not_frame", name="unit_map", type=type(unit_map).__name__))
    _require(unit_map, (N.PLAN_UNIT, N.BUDGET_UNIT), UNIT_MAP, "budget.what.unit_map")
    return pd.DataFrame(
        {N.PLAN_UNIT: _text(unit_map[N.PLAN_UNIT]), N.BUDGET_UNIT: _text(unit_map[N.BUDGET_UNIT])}
    )
