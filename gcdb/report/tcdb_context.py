"""The TCDB report's context: labels in the report language, the scheme readings, and the detail frames (one row
per tag part with counted money per reading; the untagged remainder per budget line) that the summary's formulas
add up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.budget import names as N
from gcdb.budget.result import BudgetAnalysis
from gcdb.errors import UsageError
from gcdb.i18n import known, t
from gcdb.money import KURUS_PER_LIRA
from gcdb.report.refs import ColumnSpec
from gcdb.report.workbook import file_checksum
from gcdb.schemes import DECLARED_SHARE, Scheme, category_column, load_schemes

# frame columns that exist only in the workbook (labels are given explicitly)
SCHEME_LABEL: Final = "scheme_label"
READING_LABEL: Final = "reading_label"
PHASE_LABEL: Final = "phase_label"
CATEGORY_LABEL: Final = "category_label"
AREA_LABEL: Final = "area_label"
ECONOMIC_1: Final = "economic_code_1"
TAGGED_SHARE: Final = "tagged_share"
FLOOR_MET: Final = "floor_met"
CHECK_TAGGED: Final = "check_tagged"
CHECK_COUNTED: Final = "check_counted"
SHARE_OF_TOTAL: Final = "share_of_total"

#: Phase whose shares the breakdown sheets show (the year-end appropriation, the base of execution rates).
SHARE_PHASE: Final = C.REVISED_APPROPRIATION
#: Columns of a budget line shown beside its money (when the tagged rows or the read result are given).
LINE_COLUMNS: Final = (
    (C.INSTITUTIONAL_CODE, "code"),
    (C.UNIT_NAME, "text"),
    (C.FUNCTIONAL_CODE, "code"),
    (C.ECONOMIC_CODE, "code"),
    (C.DESCRIPTION, "text"),
)


def untagged_column(phase: str) -> str:
    """``untagged_<phase>``: the part of a budget line no rule tagged (kuruş), on the Untagged sheet."""
    return f"{N.UNTAGGED}_{phase}"


def counted_column(scheme: str, reading: str, phase: str) -> str:
    """Column of the Lines sheet holding ``counted_<phase>`` under one scheme reading."""
    return f"{N.counted(phase)}@{scheme}/{reading}"


def lira(kurus: Any) -> float:
    return int(kurus) / KURUS_PER_LIRA


def num(value: Any) -> float | None:
    """A float for a cached formula value; None (blank) for NaN/NA."""
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return number if np.isfinite(number) else None


@dataclass(frozen=True)
class Reading:
    scheme: str
    reading: str
    scheme_label: str
    reading_label: str
    header: str  # short label for column headers


class Context:
    """What every TCDB section shares: the analysis, its inputs, the language, labels and the detail frames."""

    def __init__(self, analysis, tagging, read_result, ruleset, inputs, lang, k, created):
        self.a: BudgetAnalysis = analysis
        self.tagging = tagging
        self.read_result = read_result
        self.ruleset = ruleset if ruleset is not None else getattr(tagging, "ruleset", None)
        self.lang = lang
        self.k = k
        self.created: datetime = created
        self.li = 0 if lang == "tr" else 1
        self.checksums = [(str(label), str(p), *file_checksum(p)) for label, p in inputs]
        shipped = load_schemes()
        self.scheme_objects: dict[str, Scheme] = {
            s.id: s for s in shipped.schemes if s.id in analysis.schemes
        }
        self.readings = [self._reading(s, r) for s, r in analysis.readings]
        default = getattr(self.ruleset, "default_scheme", None)
        primary_scheme = default if default in analysis.schemes else analysis.schemes[0]
        self.primary = next(
            r for r in self.readings if r.scheme == primary_scheme and r.reading == N.DEFAULT_READING
        )
        self.by_key = {(r.scheme, r.reading): r for r in self.readings}
        self.latest = max(analysis.years)
        self.budget_lines = self._budget_lines()
        self.lines = self._lines_frame()
        self.untagged = self._untagged_frame()

    # -- labels ------------------------------------------------------------------------------------------------
    def t(self, key: str, **values: Any) -> str:
        return t(key, self.lang, **values)

    def label(self, name: str) -> str:
        """Report label of a budget-analysis name or reason code (names.LABELS), else a canonical one."""
        pair = N.LABELS.get(name)
        return pair[self.li] if pair is not None else C.label(name, self.lang)

    def phase(self, phase: str) -> str:
        return C.label(phase, self.lang)

    def family(self, key: str, phase: str) -> str:
        return self.t(f"tcdb.col.{key}", phase=self.phase(phase))

    def scheme_label(self, scheme_id: str) -> str:
        key = f"tcdb.scheme.{scheme_id}"
        return self.t(key) if known(key) else scheme_id

    def primary_name(self) -> str:
        scheme = self.scheme_objects.get(self.primary.scheme)
        return scheme.label(self.lang) if scheme is not None else self.primary.scheme_label

    def _reading(self, scheme: str, reading: str) -> Reading:
        scheme_label = self.scheme_label(scheme)
        header = scheme_label
        if reading != N.DEFAULT_READING:
            key = f"tcdb.reading_short.{reading}"
            header = f"{scheme_label} ({self.t(key) if known(key) else reading})"
        return Reading(scheme, reading, scheme_label, self.label(reading), header)

    def labelled(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with the scheme and reading labels of its ``scheme``/``reading`` columns."""
        schemes = {s: self.scheme_label(s) for s in self.a.schemes}
        readings = {r.reading: r.reading_label for r in self.readings}
        readings = {r.reading: r.reading_label for r in self.readings}
        return frame.assign(
            **{
                SCHEME_LABEL: frame[C.SCHEME].map(schemes).astype("str"),
                READING_LABEL: frame[N.READING].map(readings).astype("str"),
            }
        )

    def code_labels(self, series: pd.Series) -> pd.Series:
        """Reason/signal codes → report labels (on distinct values)."""
        return series.map({code: self.label(code) for code in series.dropna().unique()}).astype("str")

    def key_specs(self) -> list[ColumnSpec]:
        return [
            ColumnSpec(C.FISCAL_YEAR, "year"),
            ColumnSpec(SCHEME_LABEL, "text", label=self.t("tcdb.col.scheme")),
            ColumnSpec(READING_LABEL, "text", label=self.label(N.READING)),
        ]

    def _budget_lines(self) -> pd.DataFrame | None:
        """The budget lines the tag table's ``row_id`` points into (tagged rows, else the reader's data)."""
        source = getattr(self.tagging, "rows", None)
        if source is None and self.read_result is not None:
            source = self.read_result.data
        if source is None:
            return None
        frame = source.reset_index(drop=True)
        parts = self.a.parts
        row_id = parts[C.ROW_ID].to_numpy(dtype=np.int64)
        if len(row_id) and (row_id.max() >= len(frame) or C.LINE_ID not in frame.columns):
            raise UsageError(
                "the tagged rows / read result do not belong to this analysis: its tag parts point past their rows"
            )
        if len(row_id):
            ours = frame[C.LINE_ID].astype("str").to_numpy()[row_id]
            theirs = parts[C.LINE_ID].astype("str").to_numpy()
            if not np.array_equal(ours, theirs):
                first = int(np.flatnonzero(ours != theirs)[0])
                raise UsageError(
                    f"the tagged rows / read result do not belong to this analysis: row {row_id[first]} has line "
                    f"{ours[first]!r}, the analysis says {theirs[first]!r}"
                )
        return frame

    def _lines_frame(self) -> pd.DataFrame:
        """One row per tag part (analysed years): the line's codes, the part, and counted money per reading."""
        parts = self.a.parts
        first = self.readings[0]
        base = parts[(parts[C.SCHEME] == first.scheme) & (parts[N.READING] == first.reading)]
        base = base.sort_values([C.FISCAL_YEAR, C.ROW_ID, N.PART_ID], kind="stable").reset_index(drop=True)
        order = base[N.PART_ID].to_numpy()
        out: dict[str, Any] = {
            C.FISCAL_YEAR: base[C.FISCAL_YEAR].to_numpy(),
            C.LINE_ID: base[C.LINE_ID].astype("str").to_numpy(),
        }
        if self.budget_lines is not None:
            row_id = base[C.ROW_ID].to_numpy(dtype=np.int64)
            for name in (
                C.INSTITUTIONAL_CODE,
                C.UNIT_NAME,
                C.FUNCTIONAL_CODE,
                C.ECONOMIC_CODE,
                C.DESCRIPTION,
            ):
                if name in self.budget_lines.columns:
                    out[name] = self.budget_lines[name].take(row_id).reset_index(drop=True)
        areas = self._action_areas()
        out[C.AREA] = base[C.ACTION_CODE].map(areas).astype("Int64").to_numpy()
        out[C.ACTION_CODE] = base[C.ACTION_CODE].to_numpy()
        out[C.RULE_ID] = base[C.RULE_ID].to_numpy()
        out[C.SHARE] = base[C.SHARE].to_numpy()
        if base[DECLARED_SHARE].notna().any():
            out[DECLARED_SHARE] = base[DECLARED_SHARE].to_numpy()
        for phase in C.PHASES:
            out[N.attributed(phase)] = base[N.attributed(phase)].to_numpy()
        for scheme in self._scheme_order():
            for r in self.readings:
                if r.scheme != scheme:
                    continue
                sub = parts[(parts[C.SCHEME] == r.scheme) & (parts[N.READING] == r.reading)]
                sub = sub.set_index(N.PART_ID).reindex(order)
                if r.reading == N.DEFAULT_READING:
                    out[category_column(scheme)] = sub[C.CATEGORY].astype("str").to_numpy()
                for phase in C.PHASES:
                    out[counted_column(r.scheme, r.reading, phase)] = sub[N.counted(phase)].to_numpy(
                        dtype=np.int64
                    )
        return pd.DataFrame(out)

    def _scheme_order(self) -> list[str]:
        return [self.primary.scheme, *(s for s in self.a.schemes if s != self.primary.scheme)]

    def _action_areas(self) -> dict[str, Any]:
        """Action code → priority area, as the analysis' by-action breakdown has it (plan first, else code)."""
        pairs = self.a.by_action[[C.ACTION_CODE, C.AREA]].dropna().drop_duplicates(C.ACTION_CODE)
        return dict(zip(pairs[C.ACTION_CODE], pairs[C.AREA], strict=True))

    def _untagged_frame(self) -> pd.DataFrame | None:
        """Per budget line of the analysed years: the untagged remainder per phase, largest first."""
        lines = self.budget_lines
        if lines is None:
            return None
        n = len(lines)
        parts = self.a.parts
        first = self.readings[0]
        base = parts[(parts[C.SCHEME] == first.scheme) & (parts[N.READING] == first.reading)]
        row_id = base[C.ROW_ID].to_numpy(dtype=np.int64)
        rest = (
            np.column_stack([lines[p].to_numpy(dtype=np.int64) for p in C.PHASES])
            if n
            else np.zeros((0, 3), np.int64)
        )
        for j, phase in enumerate(C.PHASES):
            column = rest[:, j].copy()
            np.subtract.at(column, row_id, base[N.attributed(phase)].to_numpy(dtype=np.int64))
            rest[:, j] = column
        share = np.bincount(row_id, weights=base[C.SHARE].to_numpy(dtype=np.float64), minlength=n)
        years = lines[C.FISCAL_YEAR].to_numpy(dtype=np.int64)
        keep = np.isin(years, self.a.years) & (rest != 0).any(axis=1)
        # every kuruş must be accounted for: the remainders add up to the analysis' untagged totals
        rec = self.a.reconciliation
        rec = rec[(rec[C.SCHEME] == first.scheme) & (rec[N.READING] == first.reading)]
        for year, phase, expected in zip(rec[C.FISCAL_YEAR], rec[N.PHASE], rec[N.UNTAGGED], strict=True):
            got = int(rest[(years == year) & keep, C.PHASES.index(phase)].sum())
            if got != int(expected):
                raise UsageError(
                    f"the tagged rows / read result do not belong to this analysis: untagged {phase} of {year} is "
                    f"{got} kuruş in the rows, {int(expected)} in the analysis"
                )
        idx = np.flatnonzero(keep)
        rank = np.lexsort((idx, -rest[idx, C.PHASES.index(C.REVISED_APPROPRIATION)]))
        idx = idx[rank]
        out: dict[str, Any] = {
            C.FISCAL_YEAR: years[idx],
            C.LINE_ID: lines[C.LINE_ID].astype("str").to_numpy()[idx],
        }
        for name in (C.INSTITUTIONAL_CODE, C.UNIT_NAME, C.FUNCTIONAL_CODE, C.ECONOMIC_CODE, C.DESCRIPTION):
            if name in lines.columns:
                out[name] = lines[name].take(idx).reset_index(drop=True)
        for j, phase in enumerate(C.PHASES):
            out[untagged_column(phase)] = rest[idx, j]
        out[TAGGED_SHARE] = np.clip(share[idx], 0.0, 1.0)
        return pd.DataFrame(out)
