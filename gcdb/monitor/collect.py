"""Read many returned monitoring forms at once: validated rows, issues, and who has not returned.

:func:`collect_returns` reads every ``.xlsx`` under the given files and folders with
:func:`gcdb.forms.read_form` (file, sheet and cell named in every issue; rows with errors quarantined), refuses
copies of another plan version, another year or an unknown unit, keeps one copy per unit and year (the one with
the most validly filled action rows; ties: the first file name) and quarantines the others' rows, runs the
consistency checks of :mod:`gcdb.monitor.checks`, and builds the table of expected units with their return
status (``complete``, ``incomplete``, ``not_returned``, ``refused``).

The :class:`Collection` is written to a folder as tidy tables (:meth:`Collection.write`) and read back
(:func:`read_collection`), so ``gcdb monitor collect`` and ``gcdb monitor report`` can run apart.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.catalogue import schema as S
from gcdb.errors import UsageError
from gcdb.forms import CELL, FILLED, SHEET, FormRead, concat_form_issues, form_issues_frame, read_form
from gcdb.i18n import Message
from gcdb.monitor import form as F
from gcdb.monitor import names as N
from gcdb.monitor.checks import MonitorIssueCode, check_actions
from gcdb.monitor.completeness import filled_rows, returns_table, units_table
from gcdb.monitor.templates import monitoring_units, plan_version
from gcdb.read.result import ISSUE_CODES
from gcdb.report.tidy import write_tidy

SOURCE_ROW: Final = C.SOURCE_ROW

#: Columns of :attr:`Collection.actions` (one row per accepted action row of a return).
ACTION_COLUMNS: Final = (
    C.FISCAL_YEAR,
    N.UNIT_ID,
    S.ACTION_CODE,
    S.AREA,
    S.TARGET_CODE,
    N.ROLE,
    N.STATUS,
    N.PROGRESS,
    N.DONE_TEXT,
    N.CANCEL_REASON,
    N.SPENT,
    N.BUDGET_ECONOMIC,
    N.BUDGET_FUNCTIONAL,
    N.BUDGET_LINE,
    N.NOTE,
    FILLED,
    N.SOURCE_FILE,
    SOURCE_ROW,
    N.STATUS_CELL,
    N.PROGRESS_CELL,
    N.SPENT_CELL,
)
#: Columns of :attr:`Collection.indicators`.
INDICATOR_COLUMNS: Final = (
    C.FISCAL_YEAR,
    N.UNIT_ID,
    N.INDICATOR_ID,
    S.AREA,
    S.ACTION_CODE,
    N.VALUE_KIND,
    N.BASELINE,
    N.TARGET_VALUE,
    N.ACTUAL,
    N.MEASURE_UNIT,
    N.SOURCE,
    N.DIRECTION,
    N.NOTE,
    FILLED,
    N.SOURCE_FILE,
    SOURCE_ROW,
)


@dataclass(frozen=True)
class Collection:
    """The returns of one or more years, read and checked.

    Attributes
    ----------
    years, plan_id, plan_version
        The years collected and the plan version the returns were checked against.
    actions
        :data:`ACTION_COLUMNS`: every valid action row of the returns used (``filled`` False: left blank);
        ``spent`` in kuruş; ``*_cell`` the cells (``Eylemler!K12``) later checks name.
    indicators
        :data:`INDICATOR_COLUMNS`: every valid indicator row (values typed by the row's value kind; yes = 1).
    returns
        :data:`RETURN_COLUMNS`: every file read, whether its rows were used, refused, counts of rows and issues.
    units
        :data:`UNIT_COLUMNS`: every expected unit × year with its return status and completeness (valid filled
        action rows ÷ action rows of its form); ``rows_reported`` valid filled rows, ``rows_quarantined`` rows
        with errors, ``rows_missing`` the form's rows with nothing reported (left blank, deleted, or edited
        beyond recognition); ``other_files`` names files of the unit that were not used.
    issues
        The form issues table (:data:`gcdb.forms.FORM_ISSUE_COLUMNS`) of every file and of the checks.
    quarantine
        ``actions`` and ``indicators``: rows with errors, as text, with ``source_file``, ``source_row`` and
        ``issue_codes``.
    """

    years: tuple[int, ...]
    plan_id: str
    plan_version: str
    actions: pd.DataFrame = field(repr=False)
    indicators: pd.DataFrame = field(repr=False)
    returns: pd.DataFrame = field(repr=False)
    units: pd.DataFrame = field(repr=False)
    issues: pd.DataFrame = field(repr=False)
    quarantine: dict[str, pd.DataFrame] = field(repr=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name (the tidy files of :meth:`write`)."""
        return {
            "actions": self.actions,
            "indicators": self.indicators,
            "returns": self.returns,
            "units": self.units,
            "issues": self.issues,
            "quarantine_actions": self.quarantine[F.ACTIONS_SHEET],
            "quarantine_indicators": self.quarantine[F.INDICATORS_SHEET],
        }

    def write(self, directory: str | os.PathLike) -> list[Path]:
        """Write the tables as CSV and Parquet (:func:`gcdb.report.write_tidy`) plus ``collection.json``."""
        target = Path(directory)
        written = write_tidy(self.tables(), target)
        meta = target / "collection.json"
        meta.write_text(
            json.dumps(
                {"years": list(self.years), "plan_id": self.plan_id, "plan_version": self.plan_version},
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        return [*written, meta]

    @property
    def ok(self) -> bool:
        return not bool((self.issues[C.ISSUE_SEVERITY] == C.ERROR).any())


def read_collection(directory: str | os.PathLike) -> Collection:
    """A :class:`Collection` written by :meth:`Collection.write`."""
    folder = Path(directory)
    meta_path = folder / "collection.json"
    if not meta_path.is_file():
        raise UsageError(Message("monitor.collect.not_collection", folder=str(folder)))
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    tables = {
        name: pd.read_parquet(folder / f"{name}.parquet")
        for name in (
            "actions",
            "indicators",
            "returns",
            "units",
            "issues",
            "quarantine_actions",
            "quarantine_indicators",
        )
    }
    return Collection(
        years=tuple(meta["years"]),
        plan_id=meta["plan_id"],
        plan_version=meta["plan_version"],
        actions=tables["actions"],
        indicators=tables["indicators"],
        returns=tables["returns"],
        units=tables["units"],
        issues=tables["issues"],
        quarantine={
            F.ACTIONS_SHEET: tables["quarantine_actions"],
            F.INDICATORS_SHEET: tables["quarantine_indicators"],
        },
    )


def combine(collections: Iterable[Collection]) -> Collection:
    """One collection of several (e.g. one folder per year); they must be of the same plan version."""
    items = list(collections)
    if not items:
        raise UsageError(Message("monitor.collect.nothing"))
    versions = {(c.plan_id, c.plan_version) for c in items}
    if len(versions) > 1:
        raise UsageError(Message("monitor.collect.versions", versions=str(sorted(versions))))
    years = tuple(sorted({y for c in items for y in c.years}))
    if sum(len(c.years) for c in items) != len(years):
        raise UsageError(Message("monitor.collect.same_year"))

    def cat(name):
        return pd.concat([getattr(c, name) for c in items], ignore_index=True)

    return Collection(
        years=years,
        plan_id=items[0].plan_id,
        plan_version=items[0].plan_version,
        actions=cat("actions"),
        indicators=cat("indicators"),
        returns=cat("returns"),
        units=cat("units"),
        issues=concat_form_issues([c.issues for c in items]),
        quarantine={
            k: pd.concat([c.quarantine[k] for c in items], ignore_index=True)
            for k in (F.ACTIONS_SHEET, F.INDICATORS_SHEET)
        },
    )


def return_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The ``.xlsx`` files among ``paths`` and inside the folders among them (sorted, Excel lock files
    ``~$…`` skipped). A path that does not exist raises :class:`gcdb.errors.UsageError`."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*.xlsx") if not f.name.startswith("~$"))
        elif p.is_file():
            out.append(p)
        else:
            raise UsageError(Message("monitor.collect.no_path", path=str(p)))
    return out


def _read_all(
    files: list[Path], catalogue, years: tuple[int, ...], units: list[str], lang: str
) -> list[FormRead]:
    expect = {
        F.PLAN_ID: catalogue.meta.plan_id,
        F.PLAN_VERSION: plan_version(catalogue),
        F.YEAR: tuple(str(y) for y in years),
        F.UNIT: tuple(units),
    }
    return [read_form(f, F.MONITORING_FORM, expect=expect, lang=lang) for f in files]


def _choose(reads: list[FormRead], issues: list[pd.DataFrame], lang: str) -> dict[tuple[str, int], FormRead]:
    """One copy per unit × year; the others are reported and their rows quarantined."""
    groups: dict[tuple[str, int], list[FormRead]] = {}
    for r in reads:
        if not r.refused:
            groups.setdefault((r.identity[F.UNIT], int(r.identity[F.YEAR])), []).append(r)
    chosen = {}
    for key, group in groups.items():
        ranked = sorted(group, key=lambda r: (-filled_rows(r, F.ACTIONS_SHEET), r.source))
        chosen[key] = ranked[0]
        for other in ranked[1:]:
            message = (
                f"{key[0]} biriminin {key[1]} formu birden fazla kez gönderilmiş; {ranked[0].source} kullanıldı, "
                "bu dosyanın satırları okunmadı"
                if lang == "tr"
                else f"unit {key[0]} returned its {key[1]} form more than once; {ranked[0].source} was used, the rows "
                "of this file were not read"
            )
            issues.append(
                form_issues_frame(
                    [
                        {
                            C.ISSUE_FILE: other.source,
                            C.ISSUE_ROW: None,
                            C.ISSUE_COLUMN: "",
                            C.ISSUE_CODE: str(MonitorIssueCode.DUPLICATE_RETURN),
                            C.ISSUE_SEVERITY: C.ERROR,
                            C.ISSUE_MESSAGE: message,
                            C.ISSUE_VALUE: other.source,
                            SHEET: "",
                            CELL: "",
                        }
                    ]
                )
            )
    return chosen


def _quarantine(reads: list[FormRead], chosen: set[int]) -> dict[str, pd.DataFrame]:
    out = {}
    for sheet in (F.ACTIONS_SHEET, F.INDICATORS_SHEET):
        frames = []
        for r in reads:
            if sheet not in r.quarantine and sheet not in r.data:
                continue
            q = r.quarantine.get(sheet, pd.DataFrame())
            if id(r) not in chosen and not r.refused and sheet in r.data and len(r.data[sheet]):
                # a duplicate copy: its valid rows are quarantined too
                valid = r.data[sheet].astype("str").drop(columns=[FILLED, "row_index"], errors="ignore")
                valid[ISSUE_CODES] = str(MonitorIssueCode.DUPLICATE_RETURN)
                q = pd.concat([q, valid], ignore_index=True)
            if len(q):
                frames.append(q.assign(**{N.SOURCE_FILE: r.source}))
        frame = (
            pd.concat(frames, ignore_index=True)
            if frames
            else pd.DataFrame(
                {
                    N.SOURCE_FILE: pd.Series(dtype="str"),
                    SOURCE_ROW: pd.Series(dtype="int64"),
                    ISSUE_CODES: pd.Series(dtype="str"),
                }
            )
        )
        first = [N.SOURCE_FILE, SOURCE_ROW, ISSUE_CODES]
        frame = frame[first + [c for c in frame.columns if c not in first]]
        frame = frame.astype({c: "str" for c in frame.columns if c != SOURCE_ROW})
        frame[SOURCE_ROW] = pd.to_numeric(frame[SOURCE_ROW], errors="coerce").astype("Int64")
        out[sheet] = frame
    return out


def _rows(reads: dict[tuple[str, int], FormRead], sheet: str, columns: tuple[str, ...]) -> pd.DataFrame:
    frames = []
    for (unit, year), r in sorted(reads.items()):
        d = r.data[sheet]
        extra: dict[str, np.int64 | str | pd.Series] = {
            C.FISCAL_YEAR: np.int64(year),
            N.UNIT_ID: unit,
            N.SOURCE_FILE: r.source,
        }
        if sheet == F.ACTIONS_SHEET:
            extra |= {
                N.STATUS_CELL: r.cells(sheet, N.STATUS),
                N.PROGRESS_CELL: r.cells(sheet, N.PROGRESS),
                N.SPENT_CELL: r.cells(sheet, N.SPENT),
            }
        frames.append(d.assign(**extra))
    if not frames:
        return _empty(sheet, columns)
    out = pd.concat(frames, ignore_index=True)
    return out[list(columns)].astype({C.FISCAL_YEAR: "int64", N.UNIT_ID: "str", N.SOURCE_FILE: "str"})


def _empty(sheet: str, columns: tuple[str, ...]) -> pd.DataFrame:
    spec = F.MONITORING_FORM.sheet(sheet)
    reference = pd.DataFrame({f.name: pd.Series(dtype="str") for f in spec.fields})
    out = pd.DataFrame({c: reference[c] if c in reference else pd.Series(dtype="str") for c in columns})
    types = {
        C.FISCAL_YEAR: "int64",
        SOURCE_ROW: "int64",
        FILLED: "bool",
        S.AREA: "Int64",
        N.SPENT: "Int64",
        N.PROGRESS: "Float64",
        N.BASELINE: "Float64",
        N.TARGET_VALUE: "Float64",
        N.ACTUAL: "Float64",
    }
    return out.astype({c: t for c, t in types.items() if c in out.columns})


def collect_returns(
    paths: Iterable[str | os.PathLike],
    catalogue,
    *,
    years: Iterable[int],
    units: Iterable[str] | None = None,
    lang: str = "tr",
) -> Collection:
    """Read the returns under ``paths`` for ``years`` (see the module docstring). ``units``: the units expected
    to return (default: every unit with an active action in the year, :func:`monitoring_units`)."""
    years = tuple(sorted({int(y) for y in years}))
    if not years:
        raise UsageError(Message("monitor.collect.no_year"))
    known = set(catalogue.units[S.UNIT_ID])
    expected = {y: (list(units) if units is not None else monitoring_units(catalogue, y)) for y in years}
    unknown = sorted({u for us in expected.values() for u in us} - known)
    if unknown:
        raise UsageError(
            Message("monitor.collect.unknown_units", units=str(unknown), known=", ".join(sorted(known)))
        )
    files = return_files(paths)
    allowed_units = sorted({u for us in expected.values() for u in us})
    reads = _read_all(files, catalogue, years, allowed_units, lang)
    issues = [r.issues for r in reads]
    chosen = _choose(reads, issues, lang)
    chosen_ids = {id(r) for r in chosen.values()}
    actions = _rows(chosen, F.ACTIONS_SHEET, ACTION_COLUMNS)
    indicators = _rows(chosen, F.INDICATORS_SHEET, INDICATOR_COLUMNS)
    issues.append(check_actions(actions, lang))
    issues_frame = concat_form_issues(issues)
    returns = returns_table(reads, chosen_ids, issues_frame)
    unit_table = units_table(catalogue, expected, reads, chosen)
    return Collection(
        years=years,
        plan_id=catalogue.meta.plan_id,
        plan_version=plan_version(catalogue),
        actions=actions,
        indicators=indicators,
        returns=returns,
        units=unit_table,
        issues=issues_frame,
        quarantine=_quarantine(reads, chosen_ids),
    )


__all__ = ["Collection", "collect_returns", "read_collection", "combine", "return_files"]
