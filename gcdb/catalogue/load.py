"""Read a plan directory (see :mod:`gcdb.catalogue.schema`) into validated DataFrames.

Every problem found becomes a row of an issues table (``file, row, column, code, severity, message, value``; row
is the 1-based line of the CSV file, header = row 1) and all of them are raised together as one
:class:`gcdb.errors.CatalogueError`, whose ``issues`` attribute carries the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pydantic import ValidationError

from gcdb import columns as C
from gcdb import paths
from gcdb.catalogue import schema as S
from gcdb.errors import CatalogueError, GcdbError, IssueCode, format_issues, issues_frame
from gcdb.i18n import Message, pydantic_message, t
from gcdb.text import fold
from gcdb.yamlio import loads_yaml_strict

#: The plan shipped with gcdb (İBB YEEP 2021–2024), relative to :func:`gcdb.paths.datasets`.
DEFAULT_PLAN = "yeep_ibb_2021_2024"

_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


@dataclass(frozen=True)
class PlanData:
    """A validated plan: ``meta`` and one DataFrame per file name of :data:`schema.COLUMNS`."""

    path: Path
    meta: S.PlanMeta
    frames: dict[str, pd.DataFrame]


def default_plan_dir() -> Path:
    return paths.datasets() / DEFAULT_PLAN


def _issue(file: str, row, column: str | None, code: str, message: str, value=None) -> dict:
    return {
        C.ISSUE_FILE: file,
        C.ISSUE_ROW: row,
        C.ISSUE_COLUMN: column or "",
        C.ISSUE_CODE: str(code),
        C.ISSUE_SEVERITY: C.ERROR,
        C.ISSUE_MESSAGE: message,
        C.ISSUE_VALUE: None if value is None else str(value),
    }


def _raise(where: Path, issues: list[dict]) -> None:
    table = issues_frame(issues)
    err = CatalogueError(
        Message("catalogue.invalid", where=str(where), n=len(table)) + "\n" + format_issues(table, limit=25)
    )
    err.issues = table
    raise err


# ---------------------------------------------------------------------------------------------------------------
# meta.yaml
# ---------------------------------------------------------------------------------------------------------------
def read_meta(plan_dir: Path) -> S.PlanMeta:
    """Parse and validate ``meta.yaml`` (unknown or duplicate keys are errors)."""
    path = plan_dir / S.META_FILE
    if not path.is_file():
        _raise(
            plan_dir,
            [
                _issue(
                    S.META_FILE,
                    None,
                    None,
                    IssueCode.FILE_NOT_FOUND,
                    t("catalogue.no_meta", file=S.META_FILE, dir=str(plan_dir)),
                )
            ],
        )
    try:
        data = loads_yaml_strict(path.read_text(encoding="utf-8"), name=str(path))
    except GcdbError as exc:  # yamlio raises RuleError; re-raise as a catalogue problem
        raise CatalogueError(exc.render()) from None
    try:
        return S.PlanMeta.model_validate(data)
    except ValidationError as exc:
        issues = [
            _issue(
                S.META_FILE,
                None,
                ".".join(map(str, e["loc"])),
                IssueCode.INVALID_VALUE,
                pydantic_message(e),
                e.get("input"),
            )
            for e in exc.errors()
        ]
        _raise(plan_dir, issues)
        raise  # unreachable


# ---------------------------------------------------------------------------------------------------------------
# One CSV file
# ---------------------------------------------------------------------------------------------------------------
def _dtype(column: pa.Column) -> str:
    """``int64``, ``Int64``, ``bool`` or ``str`` (pandas' default string dtype)."""
    name = str(column.dtype)
    return "str" if name.startswith("str") else name


def _empty(name: str) -> pd.DataFrame:
    schema = S.SCHEMAS[name]
    frame = pd.DataFrame({col: pd.Series([], dtype=_dtype(c)) for col, c in schema.columns.items()})
    return frame


def read_table(path: Path, name: str) -> tuple[pd.DataFrame, list[dict]]:
    """Read one catalogue CSV: exact columns, typed cells, pandera checks. Returns the frame and its issues."""
    schema = S.SCHEMAS[name]
    try:
        raw = pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[""], encoding="utf-8")
    except FileNotFoundError:
        return _empty(name), [
            _issue(name, None, None, IssueCode.FILE_NOT_FOUND, t("catalogue.file_not_found", path=str(path)))
        ]
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        return _empty(name), [
            _issue(
                name,
                None,
                None,
                IssueCode.FILE_UNREADABLE,
                t("catalogue.cannot_read", path=str(path), error=str(exc)),
            )
        ]
    expected = list(schema.columns)
    issues: list[dict] = []
    dupes = sorted({c for c in raw.columns if list(raw.columns).count(c) > 1})
    for col in dupes:
        issues.append(_issue(name, 1, col, IssueCode.DUPLICATE_COLUMN, t("catalogue.column_twice")))
    for col in expected:
        if col not in raw.columns:
            issues.append(
                _issue(
                    name,
                    1,
                    col,
                    IssueCode.MISSING_COLUMN,
                    t("catalogue.missing_column", columns=", ".join(expected)),
                )
            )
    for col in raw.columns:
        if col not in expected:
            issues.append(
                _issue(
                    name,
                    1,
                    col,
                    IssueCode.INVALID_VALUE,
                    t("catalogue.unknown_column", columns=", ".join(expected)),
                )
            )
    if issues:
        return _empty(name), issues
    return typed_table(raw[expected], name)


def _check_message(check: str) -> str:
    if check == S.DIMENSIONS_CHECK:
        return t(
            "catalogue.dimensions",
            separator=repr(S.DIMENSION_SEPARATOR),
            values=", ".join(S.DIMENSION_VALUES),
        )
    return t("catalogue.fails_check", check=check)


def typed_table(
    raw: pd.DataFrame, name: str, rows: np.ndarray | None = None
) -> tuple[pd.DataFrame, list[dict]]:
    """Type and check the text cells of one catalogue table (columns exactly those of the schema).

    ``rows``: the 1-based source row of each row (default: CSV lines, the header being line 1). Returns the
    frame (empty when there are errors) and the issues."""
    schema = S.SCHEMAS[name]
    issues: list[dict] = []
    rows = np.arange(len(raw)) + 2 if rows is None else np.asarray(rows)
    typed = {}
    for col, spec in schema.columns.items():
        series = raw[col]
        kind = _dtype(spec)
        if kind in ("int64", "Int64"):
            numbers = pd.to_numeric(series, errors="coerce")
            bad = series.notna() & (numbers.isna() | (numbers % 1 != 0))
            for i in np.flatnonzero(bad.to_numpy()):
                issues.append(
                    _issue(
                        name,
                        rows[i],
                        col,
                        IssueCode.UNPARSEABLE_NUMBER,
                        t("catalogue.whole_number"),
                        series.iloc[i],
                    )
                )
            if not spec.nullable:
                for i in np.flatnonzero(series.isna().to_numpy()):
                    issues.append(
                        _issue(name, rows[i], col, IssueCode.MISSING_VALUE, t("catalogue.required"))
                    )
            typed[col] = numbers.where(~bad).astype("Int64")
        elif kind == "bool":
            folded = series.str.strip().str.lower()
            bad = ~(folded.isin(_TRUE) | folded.isin(_FALSE))
            for i in np.flatnonzero(bad.to_numpy()):
                issues.append(
                    _issue(
                        name, rows[i], col, IssueCode.INVALID_VALUE, t("catalogue.true_false"), series.iloc[i]
                    )
                )
            typed[col] = folded.isin(_TRUE)
        else:
            stripped = series.str.strip()
            typed[col] = stripped.mask(stripped == "")
    if issues:
        return _empty(name), issues
    frame = pd.DataFrame(typed)
    for col, spec in schema.columns.items():
        if _dtype(spec) == "int64":
            frame[col] = frame[col].astype("int64")
    try:
        frame = schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        for rec in cases.to_dict("records"):
            index = rec.get("index")
            row = int(rows[int(index)]) if index is not None and pd.notna(index) else None
            column = rec.get("column")
            issues.append(
                _issue(
                    name,
                    row,
                    column if isinstance(column, str) else None,
                    IssueCode.INVALID_VALUE,
                    _check_message(str(rec.get("check"))),
                    rec.get("failure_case"),
                )
            )
        return _empty(name), issues
    return frame.reset_index(drop=True), issues


# ---------------------------------------------------------------------------------------------------------------
# The whole plan
# ---------------------------------------------------------------------------------------------------------------
def _reference_path(plan_dir: Path, meta: S.PlanMeta, name: str) -> Path:
    local = plan_dir / name
    if local.is_file():
        return local
    configured = getattr(meta.reference, name.removesuffix(".csv"))
    return (plan_dir / configured).resolve() if configured else local


#: Plans already read in this process, by directory and the size and modification time of every file read.
_CACHE: dict[tuple, PlanData] = {}
_CACHE_SIZE = 8


def _fingerprint(files: list[Path]) -> tuple:
    out: list[tuple[str, int | None, int | None]] = []
    for file in files:
        try:
            st = file.stat()
            out.append((str(file), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(file), None, None))
    return tuple(out)


def load_plan(path: str | Path | None = None) -> PlanData:
    """Read and validate a plan directory; ``None`` means the shipped İBB plan.

    A plan read before in this process whose files have not changed since (same sizes and modification times)
    comes from a small cache; its frames are shared, so treat them as read-only (the :class:`Catalogue`
    properties hand out copies).
    """
    plan_dir = Path(path) if path is not None else default_plan_dir()
    if plan_dir.suffix.lower() in (".xlsx", ".xlsm") and plan_dir.is_file():
        from gcdb.catalogue.template import read_plan_workbook  # a plan filled in the spreadsheet template

        return read_plan_workbook(plan_dir)
    if not plan_dir.is_dir():
        _raise(
            plan_dir,
            [_issue(str(plan_dir), None, None, IssueCode.FILE_NOT_FOUND, t("catalogue.plan_dir_not_found"))],
        )
    meta = read_meta(plan_dir)
    files = {
        name: _reference_path(plan_dir, meta, name) if name in S.REFERENCE_FILES else plan_dir / name
        for name in S.PLAN_FILES + S.REFERENCE_FILES
    }
    key = (str(plan_dir.resolve()), _fingerprint([plan_dir / S.META_FILE, *files.values()]))
    if key in _CACHE:
        return _CACHE[key]
    frames: dict[str, pd.DataFrame] = {}
    issues: list[dict] = []
    for name, file in files.items():
        if name in S.OPTIONAL_FILES and not file.is_file():
            frames[name] = _empty(name)
            continue
        frame, found = read_table(file, name)
        frames[name] = frame
        issues.extend(found)
    if not issues:
        issues.extend(cross_check(meta, frames))
    if issues:
        _raise(plan_dir, issues)
    data = PlanData(plan_dir, meta, frames)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = data
    return data


def cross_check(meta: S.PlanMeta, f: dict[str, pd.DataFrame]) -> list[dict]:
    """Checks between files (keys, codes, dates, roles, references). Returns issues."""
    out: list[dict] = []

    def flag(name: str, frame: pd.DataFrame, mask, column: str, message: str) -> None:
        mask = np.asarray(mask, dtype=bool)
        for i in np.flatnonzero(mask):
            out.append(
                _issue(name, int(i) + 2, column, IssueCode.INVALID_VALUE, message, frame[column].iloc[i])
            )

    areas, targets, actions = f[S.AREAS_FILE], f[S.TARGETS_FILE], f[S.ACTIONS_FILE]
    indicators, corrections = f[S.INDICATORS_FILE], f[S.CORRECTIONS_FILE]

    # the shape of the codes: configured in meta.yaml, else inferred (YEEP style or any code without blanks)
    style = code_style(meta, f)
    for name, frame, column, pattern in (
        (S.TARGETS_FILE, targets, S.TARGET_CODE, style.target),
        (S.ACTIONS_FILE, actions, S.ACTION_CODE, style.action),
        (S.ACTIONS_FILE, actions, S.PRINTED_CODE, style.printed),
        (S.INDICATORS_FILE, indicators, S.INDICATOR_ID, style.indicator),
    ):
        flag(
            name,
            frame,
            ~frame[column].str.fullmatch(pattern).fillna(False),
            column,
            t("catalogue.malformed_code", style=style.describe(column)),
        )
    flag(S.TARGETS_FILE, targets, ~targets[S.AREA].isin(areas[S.AREA]), S.AREA, t("catalogue.area_unknown"))
    if not style.yeep:
        _links_and_references(meta, f, flag, out, yeep=False)
        return out
    expected = "A" + targets[S.AREA].astype("str") + "H" + targets[S.TARGET].astype("str")
    flag(
        S.TARGETS_FILE,
        targets,
        targets[S.TARGET_CODE] != expected,
        S.TARGET_CODE,
        t("catalogue.target_code"),
    )

    # actions: keys, codes, placement
    flag(
        S.ACTIONS_FILE,
        actions,
        ~actions[S.TARGET_CODE].isin(targets[S.TARGET_CODE]),
        S.TARGET_CODE,
        t("catalogue.unknown_target"),
    )
    target_area = actions[S.TARGET_CODE].map(targets.set_index(S.TARGET_CODE)[S.AREA])
    flag(
        S.ACTIONS_FILE,
        actions,
        target_area.notna() & (target_area != actions[S.AREA]),
        S.AREA,
        t("catalogue.area_differs"),
    )
    key_base = actions[S.ACTION_CODE].str.replace(r"-\d+$", "", regex=True)
    flag(
        S.ACTIONS_FILE,
        actions,
        key_base != actions[S.PRINTED_CODE],
        S.ACTION_CODE,
        t("catalogue.action_code"),
    )
    parts = actions[S.PRINTED_CODE].str.extract(S.PRINTED_CODE_RE)
    flag(
        S.ACTIONS_FILE,
        actions,
        parts["action"].astype("Int64") != actions[S.ACTION],
        S.ACTION,
        t("catalogue.action_number"),
    )
    prefix = "A" + parts["area"] + "H" + parts["target"]
    documented = set(corrections.loc[corrections[S.KIND] == "code_outside_table", S.SUBJECT])
    outside = (prefix != actions[S.TARGET_CODE]) & ~actions[S.ACTION_CODE].isin(documented)
    flag(
        S.ACTIONS_FILE,
        actions,
        outside,
        S.PRINTED_CODE,
        t("catalogue.code_outside"),
    )
    suffixed = actions[S.ACTION_CODE] != actions[S.PRINTED_CODE]
    reused = set(corrections.loc[corrections[S.KIND] == "code_reused", S.SUBJECT])
    flag(
        S.ACTIONS_FILE,
        actions,
        suffixed & ~actions[S.ACTION_CODE].isin(reused),
        S.ACTION_CODE,
        t("catalogue.suffixed"),
    )
    flag(
        S.ACTIONS_FILE,
        actions,
        suffixed & ~key_base.isin(actions.loc[~suffixed, S.ACTION_CODE]),
        S.ACTION_CODE,
        t("catalogue.suffixed_plain"),
    )

    _links_and_references(meta, f, flag, out, yeep=True)
    return out


def _links_and_references(
    meta: S.PlanMeta, f: dict[str, pd.DataFrame], flag, out: list, *, yeep: bool
) -> None:
    """The checks every plan gets, whatever its code style: dates, links, indicators, reference lists (issues
    go to ``out``, directly or through ``flag``)."""
    areas, targets, actions = f[S.AREAS_FILE], f[S.TARGETS_FILE], f[S.ACTIONS_FILE]
    links_u, links_s = f[S.ACTION_UNITS_FILE], f[S.ACTION_STAKEHOLDERS_FILE]
    indicators = f[S.INDICATORS_FILE]
    units, stakeholders = f[S.UNITS_FILE], f[S.STAKEHOLDERS_FILE]
    if not yeep:
        flag(
            S.ACTIONS_FILE,
            actions,
            ~actions[S.TARGET_CODE].isin(targets[S.TARGET_CODE]),
            S.TARGET_CODE,
            t("catalogue.unknown_target"),
        )
        target_area = actions[S.TARGET_CODE].map(targets.set_index(S.TARGET_CODE)[S.AREA])
        flag(
            S.ACTIONS_FILE,
            actions,
            target_area.notna() & (target_area != actions[S.AREA]),
            S.AREA,
            t("catalogue.area_differs"),
        )

    # actions: dates
    flag(
        S.ACTIONS_FILE,
        actions,
        actions[S.EST_END] < actions[S.EST_START],
        S.EST_END,
        t("catalogue.ends_before"),
    )
    for year_col, kind_col, text_col, end in (
        (S.EST_START, S.EST_START_KIND, S.EST_START_TEXT, False),
        (S.EST_END, S.EST_END_KIND, S.EST_END_TEXT, True),
    ):
        is_year = actions[kind_col] == S.YEAR
        flag(
            S.ACTIONS_FILE,
            actions,
            is_year & (actions[text_col] != actions[year_col].astype("str")),
            text_col,
            t("catalogue.year_text", column=year_col),
        )
        for kind in (S.ROUTINE, S.PANDEMIC):
            has = actions[kind_col] == kind
            if not has.any():
                continue
            try:
                window = meta.window(kind)
            except KeyError:
                flag(S.ACTIONS_FILE, actions, has, kind_col, t("catalogue.date_kind", kind=repr(kind)))
                continue
            want = window.end if end else window.start
            flag(
                S.ACTIONS_FILE,
                actions,
                has & (actions[year_col] != want),
                year_col,
                t("catalogue.window_end" if end else "catalogue.window_start", kind=kind, year=want),
            )

    # unit and stakeholder links
    flag(
        S.ACTION_UNITS_FILE,
        links_u,
        ~links_u[S.ACTION_CODE].isin(actions[S.ACTION_CODE]),
        S.ACTION_CODE,
        t("catalogue.unknown_action"),
    )
    flag(
        S.ACTION_UNITS_FILE,
        links_u,
        links_u[S.UNIT_ID].notna() & ~links_u[S.UNIT_ID].isin(units[S.UNIT_ID]),
        S.UNIT_ID,
        t("catalogue.unit_unknown"),
    )
    flag(
        S.ACTION_STAKEHOLDERS_FILE,
        links_s,
        ~links_s[S.ACTION_CODE].isin(actions[S.ACTION_CODE]),
        S.ACTION_CODE,
        t("catalogue.unknown_action"),
    )
    flag(
        S.ACTION_STAKEHOLDERS_FILE,
        links_s,
        links_s[S.STAKEHOLDER_ID].notna() & ~links_s[S.STAKEHOLDER_ID].isin(stakeholders[S.STAKEHOLDER_ID]),
        S.STAKEHOLDER_ID,
        t("catalogue.stakeholder_unknown"),
    )
    responsible = links_u[S.ROLE] == S.RESPONSIBLE
    flag(
        S.ACTION_UNITS_FILE,
        links_u,
        responsible != (links_u[S.POSITION] == 1),
        S.ROLE,
        t("catalogue.responsible_position"),
    )
    has_responsible = actions[S.ACTION_CODE].isin(links_u.loc[responsible, S.ACTION_CODE])
    flag(
        S.ACTIONS_FILE,
        actions,
        actions[S.RESPONSIBLE_MISSING] == has_responsible,
        S.RESPONSIBLE_MISSING,
        t("catalogue.responsible_missing"),
    )

    # indicators
    flag(
        S.INDICATORS_FILE,
        indicators,
        ~indicators[S.AREA].isin(areas[S.AREA]),
        S.AREA,
        t("catalogue.area_unknown"),
    )
    if yeep:
        want_id = "A" + indicators[S.AREA].astype("str") + "-G" + indicators[S.NUMBER].astype("str")
        flag(
            S.INDICATORS_FILE,
            indicators,
            indicators[S.INDICATOR_ID] != want_id,
            S.INDICATOR_ID,
            t("catalogue.indicator_id"),
        )

    # reference lists
    flag(
        S.UNITS_FILE,
        units,
        units[S.PARENT_UNIT_ID].notna() & ~units[S.PARENT_UNIT_ID].isin(units[S.UNIT_ID]),
        S.PARENT_UNIT_ID,
        t("catalogue.parent_unknown"),
    )
    for ref, aliases, id_col, ref_name, alias_name in (
        (units, f[S.UNIT_ALIASES_FILE], S.UNIT_ID, S.UNITS_FILE, S.UNIT_ALIASES_FILE),
        (
            stakeholders,
            f[S.STAKEHOLDER_ALIASES_FILE],
            S.STAKEHOLDER_ID,
            S.STAKEHOLDERS_FILE,
            S.STAKEHOLDER_ALIASES_FILE,
        ),
    ):
        flag(
            alias_name,
            aliases,
            ~aliases[id_col].isin(ref[id_col]),
            id_col,
            t("catalogue.id_unknown", column=id_col, file=ref_name),
        )
        out.extend(_ambiguous_names(ref, aliases, id_col, ref_name, alias_name))


@dataclass(frozen=True)
class CodeStyle:
    """The regular expressions a plan's codes are checked against; ``yeep``: the YEEP style, whose codes also
    encode area, target and number (and are checked against them)."""

    yeep: bool
    target: str
    action: str
    printed: str
    indicator: str

    def describe(self, column: str) -> str:
        pattern = {
            S.TARGET_CODE: self.target,
            S.ACTION_CODE: self.action,
            S.PRINTED_CODE: self.printed,
            S.INDICATOR_ID: self.indicator,
        }[column]
        if self.yeep:
            example = {
                S.TARGET_CODE: "A7H1",
                S.ACTION_CODE: "A7H1E2 (A7H1E2-2)",
                S.PRINTED_CODE: "A7H1E2",
                S.INDICATOR_ID: "A7-G3",
            }[column]
            return t("catalogue.style_yeep", example=example)
        return t("catalogue.style_pattern", pattern=repr(pattern))


ANY_CODE = r"[^\s]+"
YEEP_STYLE = CodeStyle(
    True,
    S.TARGET_CODE_RE.pattern.strip("^$"),
    S.ACTION_KEY_RE.pattern.strip("^$"),
    S.PRINTED_CODE_RE.pattern.strip("^$"),
    S.INDICATOR_ID_RE.pattern.strip("^$"),
)
#: Share of action codes in the YEEP style above which a plan is read as a YEEP-style plan (the others are typos).
YEEP_SHARE = 0.8


def code_style(meta: S.PlanMeta, f: dict[str, pd.DataFrame]) -> CodeStyle:
    """The plan's code style: ``meta.yaml`` ``codes:`` patterns when given, else inferred from the action codes."""
    if meta.codes is not None:
        c = meta.codes
        return CodeStyle(
            False, c.target or ANY_CODE, c.action or ANY_CODE, c.action or ANY_CODE, c.indicator or ANY_CODE
        )
    codes = f[S.ACTIONS_FILE][S.ACTION_CODE].dropna()
    if len(codes) and codes.str.fullmatch(YEEP_STYLE.action).mean() >= YEEP_SHARE:
        return YEEP_STYLE
    return CodeStyle(False, ANY_CODE, ANY_CODE, ANY_CODE, ANY_CODE)


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_AROUND_PUNCT = re.compile(r"\s*([^\w\s])\s*")


def name_key(text: str) -> str:
    """The form names are compared in: :func:`gcdb.text.fold`, apostrophes unified, no spaces around punctuation
    ("STK’ lar" = "STK'lar", "DB- İst." = "DB-İst.")."""
    return _AROUND_PUNCT.sub(r"\1", fold(text).translate(_APOSTROPHES))


def name_table(ref: pd.DataFrame, aliases: pd.DataFrame, id_col: str) -> pd.DataFrame:
    """Every name a reference entry goes by (id, name, short name, aliases) with its folded form.

    Columns: ``folded``, ``id``, ``source`` (id / name / short_name / alias), ``text``.
    """
    parts = [
        pd.DataFrame({"text": ref[id_col], "id": ref[id_col], "source": "id"}),
        pd.DataFrame({"text": ref[S.NAME], "id": ref[id_col], "source": "name"}),
        pd.DataFrame({"text": ref[S.SHORT_NAME], "id": ref[id_col], "source": "short_name"}),
        pd.DataFrame({"text": aliases[S.ALIAS], "id": aliases[id_col], "source": "alias"}),
    ]
    table = pd.concat(parts, ignore_index=True).dropna(subset=["text"])
    codes, uniques = pd.factorize(table["text"])
    folded = np.array([name_key(str(u)) for u in uniques], dtype=object)
    table["folded"] = pd.array(folded[codes], dtype="str")
    return table[["folded", "id", "source", "text"]].reset_index(drop=True)


def _ambiguous_names(ref, aliases, id_col, ref_name, alias_name) -> list[dict]:
    table = name_table(ref, aliases, id_col)
    n_ids = table.groupby("folded", observed=True)["id"].nunique()
    clashes = n_ids[n_ids > 1].index
    out = []
    for folded in clashes:
        ids = sorted(table.loc[table["folded"] == folded, "id"].unique())
        out.append(
            _issue(
                alias_name,
                None,
                None,
                IssueCode.DUPLICATE_ID,
                t("catalogue.ambiguous_name", name=repr(folded), file=ref_name, ids=str(ids)),
                folded,
            )
        )
    return out
