"""The TCDB (toplumsal cinsiyete duyarlı bütçe, gender-responsive budgeting) workbook.

:func:`write_tcdb_workbook` turns a :class:`gcdb.budget.BudgetAnalysis` (with, optionally, the rule engine's
:class:`~gcdb.rules.TagResult` and the reader's :class:`~gcdb.read.ReadResult`) into the workbook finance staff
open, audit and publish. Sheets, in order (Turkish names by default, English with ``lang="en"``):

==========================  =====================================================================================
Özet / Summary              key figures; counted money by scheme × reading × phase per fiscal year with its share
                            of the budget and the floor check; the reconciliation with check cells; by category
Grafikler / Charts          gender budget by priority area (columns); execution rate by department (bars)
Amaçlar … Ekonomik          breakdowns by priority area, action, department, functional and economic code
Fonlanmayan Eylemler        plan actions active in the year with no money tagged
Saptırma                    diversion signals on tagged lines
Birim Boşlukları            responsible departments without a line tagged to their action
Kapsam / Coverage           what the rules caught: hits and money per rule, rules that never fire, overlaps
Satırlar / Lines            the detail: one row per tagged part, counted money under every scheme reading
Etiketlenmeyen / Untagged   untagged money per budget line, largest first
Yöntem / Methodology        schemes with sources and weights, rule set, input checksums, parameters, run date
Veri Kalitesi               the reader's reconciliation, issues table and quarantined rows
==========================  =====================================================================================

Audit trail. The totals of the summary are live formulas with cached values equal to the analysis' figures:
counted and tagged amounts are ``SUMIFS`` over the **Lines** sheet, budget totals ``SUMIFS`` over the department
breakdown (which lists every department of the budget), untagged amounts ``SUMIFS`` over the **Untagged** sheet;
*not counted* is the analysis' own value, so the two check cells of each reconciliation row (budget = tagged +
untagged; budget = counted + not counted + untagged) compare the detail with the analysis. Breakdown sheets list
every year × scheme reading, filtered on opening to the latest year and the primary scheme (the rule set's
``default_scheme``), with ``SUBTOTAL(109, …)`` totals that follow the filter. Money is shown in lira from integer
kuruş; all formats, formula-safe text, widths, frozen headers and filters come from :mod:`gcdb.report`.

Identical inputs give a byte-identical file (the run date is the fixed ``created`` date, see
:func:`gcdb.report.workbook.resolve_created`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.budget import names as N
from gcdb.budget.result import BudgetAnalysis
from gcdb.errors import UsageError
from gcdb.money import KURUS_PER_LIRA
from gcdb.report import i18n
from gcdb.report.charts import execution_chart, place_chart, share_chart
from gcdb.report.i18n import (
    MissingTranslation,
    column_labels,
    format_number,
    input_role,
    issue_messages,
    optional,
    t,
)
from gcdb.report.sheet import (
    Check,
    ColumnSpec,
    Formula,
    RatioOf,
    TableRef,
    write_check,
    write_formula,
    write_kv,
    write_table,
    write_title,
)
from gcdb.report.workbook import ReportWorkbook, display_path, file_checksum, resolve_created, run_date_text
from gcdb.schemes import DECLARED_SHARE, Scheme, category_column, load_schemes
from gcdb.text import tr_lower

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
_SUBTOTAL: Final = "SUBTOTAL(109,{range})"
_CHART_ROW_PIXELS: Final = 20


def untagged_column(phase: str) -> str:
    """``untagged_<phase>``: the part of a budget line no rule tagged (kuruş), on the Untagged sheet."""
    return f"{N.UNTAGGED}_{phase}"


def counted_column(scheme: str, reading: str, phase: str) -> str:
    """Column of the Lines sheet holding ``counted_<phase>`` under one scheme reading."""
    return f"{N.counted(phase)}@{scheme}/{reading}"


def _kurus(values: np.ndarray) -> int:
    """Exact kuruş total of lira cell values (NaN = blank)."""
    finite = values[np.isfinite(values)]
    return int(np.round(finite * KURUS_PER_LIRA).astype(np.int64).sum())


def _lira(kurus: Any) -> float:
    return int(kurus) / KURUS_PER_LIRA


@dataclass(frozen=True)
class _Reading:
    scheme: str
    reading: str
    scheme_label: str
    reading_label: str
    header: str  # short label for column headers


def write_tcdb_workbook(
    path: str | os.PathLike,
    analysis: BudgetAnalysis,
    *,
    tagging: Any = None,
    read_result: Any = None,
    ruleset: Any = None,
    inputs: Iterable[tuple[str, str | os.PathLike]] = (),
    lang: str = "tr",
    k: int = 5,
    created: datetime | date | None = None,
) -> Path:
    """Write the TCDB workbook of ``analysis`` to ``path`` (``.xlsx``) and return the path.

    Parameters
    ----------
    analysis
        The result of :func:`gcdb.budget.analyse_budget`.
    tagging
        The :class:`~gcdb.rules.TagResult` the analysis was computed from: its rows give the Lines sheet the
        budget lines' units, codes and descriptions, the Untagged sheet its lines, and the Coverage sheet its
        tables. Without it (and without ``read_result``) those columns and sheets are left out.
    read_result
        The :class:`~gcdb.read.ReadResult` of the budget: the data-quality sheet shows its reconciliation, issues
        and quarantined rows; its ``data`` stands in for the tagged rows when ``tagging`` is None.
    ruleset
        The :class:`~gcdb.rules.RuleSet` used (default: ``tagging.ruleset``): name, version, file and default
        scheme for the methodology sheet; the default scheme is the primary one of the report.
    inputs
        ``(label, path)`` of every input file or folder, listed with its SHA-256 on the methodology sheet.
    lang
        ``"tr"`` (default) or ``"en"``.
    k
        Disclosure threshold passed to the report layer (``<k`` marker) and recorded; budget tables hold no
        counts of people, so nothing is suppressed.
    created
        The fixed document and run date (default: ``SOURCE_DATE_EPOCH``, else 2000-01-01).

    Raises
    ------
    UsageError
        ``analysis`` is not a :class:`BudgetAnalysis`, ``lang`` is unknown, or ``tagging``/``read_result`` do not
        belong to the analysis (their lines or amounts disagree with it).
    FileNotFoundError
        An ``inputs`` path does not exist.
    """
    if not isinstance(analysis, BudgetAnalysis):
        raise UsageError(
            f"analysis must be a BudgetAnalysis (gcdb.budget.analyse_budget), got {type(analysis).__name__}"
        )
    if lang not in i18n.LANGS:
        raise UsageError(f"lang must be one of {', '.join(i18n.LANGS)}, got {lang!r}")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise UsageError(f"k must be a positive integer, got {k!r}")
    stamp = resolve_created(created)
    builder = _Builder(analysis, tagging, read_result, ruleset, list(inputs), lang, k, stamp)
    with ReportWorkbook(
        path,
        lang=lang,
        title=t("title.tcdb", lang),
        subject=t("subject.tcdb", lang),
        keywords="TCDB",
        created=stamp,
    ) as book:
        builder.build(book)
    return Path(path)


class _Builder:
    """Builds the sheets of one workbook; holds the frames and table references they share."""

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
        try:
            return self.t(f"tcdb.scheme.{scheme_id}")
        except MissingTranslation:
            return scheme_id

    def _reading(self, scheme: str, reading: str) -> _Reading:
        scheme_label = self.scheme_label(scheme)
        header = scheme_label
        if reading != N.DEFAULT_READING:
            try:
                header = f"{scheme_label} ({self.t(f'tcdb.reading_short.{reading}')})"
            except MissingTranslation:
                header = f"{scheme_label} ({reading})"
        return _Reading(scheme, reading, scheme_label, self.label(reading), header)

    def _labelled(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with the scheme and reading labels of its ``scheme``/``reading`` columns."""
        schemes = {s: self.scheme_label(s) for s in self.a.schemes}
        readings = {r.reading: r.reading_label for r in self.readings}
        return frame.assign(
            **{
                SCHEME_LABEL: frame[C.SCHEME].map(schemes).astype("str"),
                READING_LABEL: frame[N.READING].map(readings).astype("str"),
            }
        )

    def _code_labels(self, series: pd.Series) -> pd.Series:
        """Reason/signal codes → report labels (on distinct values)."""
        return series.map({code: self.label(code) for code in series.dropna().unique()}).astype("str")

    def key_specs(self) -> list[ColumnSpec]:
        return [
            ColumnSpec(C.FISCAL_YEAR, "year"),
            ColumnSpec(SCHEME_LABEL, "text", label=self.t("tcdb.col.scheme")),
            ColumnSpec(READING_LABEL, "text", label=self.label(N.READING)),
        ]

    # -- detail frames -----------------------------------------------------------------------------------------
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

    # -- writing helpers ---------------------------------------------------------------------------------------
    def table(self, ws: Any, frame: pd.DataFrame, specs: Sequence[ColumnSpec], **options: Any) -> TableRef:
        options.setdefault("lang", self.lang)
        options.setdefault("k", self.k)
        return write_table(ws, frame, specs, **options)

    @staticmethod
    def put(ws: Any, ref: TableRef, name: str, index: int, formula: Formula) -> None:
        """Replace the cell of ``name`` in data row ``index`` by a live formula with the same cached value."""
        write_formula(ws, ref.first_row + index, ref.columns[name], formula, ref.kinds[name])

    def sumifs(self, ref: TableRef, name: str, criteria: Mapping[str, Any], expected_kurus: Any) -> Formula:
        """``SUMIFS`` over a written table whose cached value is the analysis' figure (checked against the cells).

        A ``None`` criterion matches blank cells (``"="``).
        """
        expected = _lira(expected_kurus)
        text = ref.sumifs_text(name, {k: ("" if v is None else v) for k, v in criteria.items()})
        if all(v is not None for v in criteria.values()):
            found = ref.sumifs(name, criteria).value
            if round(found * KURUS_PER_LIRA) != int(expected_kurus):
                raise UsageError(
                    f"sheet {ref.sheet!r}: {name} for {dict(criteria)} adds up to {found:,.2f} but the analysis "
                    f"says {expected:,.2f}; were the tagged rows and the analysis computed from the same budget?"
                )
        return Formula(text, expected)

    def subtotals(
        self, ws: Any, ref: TableRef, totals: Mapping[str, str | RatioOf], visible: np.ndarray | None = None
    ) -> dict[str, Formula]:
        """A total row under ``ref`` of ``SUBTOTAL(109, …)`` formulas (they add the rows a filter shows), cached
        with the sum of the ``visible`` rows (default: all)."""
        styles = self.book.styles
        row = ref.last_row + 1
        names = sorted(ref.columns, key=ref.columns.get)
        mask = np.ones(ref.n_rows, dtype=bool) if visible is None else np.asarray(visible, dtype=bool)
        for name in names[1:]:
            if name not in totals:
                ws.write_blank(row, ref.columns[name], None, styles.cell(ref.kinds[name], total=True))
        ws.write_string(
            row, ref.columns[names[0]], self.t("tcdb.total_visible"), styles.cell("text", total=True)
        )
        sums: dict[str, tuple[str, float]] = {}

        def column_sum(name: str) -> tuple[str, float]:
            if name not in sums:
                values = np.asarray(ref.values(name), dtype=np.float64)[mask]
                value = _lira(_kurus(values)) if ref.kinds[name] == "money" else float(np.nansum(values))
                sums[name] = (_SUBTOTAL.format(range=ref.range(name, sheet=False)), value)
            return sums[name]

        out = {}
        for name, how in totals.items():
            if how == "sum":
                text, value = column_sum(name)
            else:
                num_text, num = column_sum(how.numerator)
                den_text, den = column_sum(how.denominator)
                text = f'IF({den_text}=0,"",{num_text}/{den_text})'
                value = num / den if den else None
            formula = Formula(text, value)
            write_formula(ws, row, ref.columns[name], formula, ref.kinds[name], total=True)
            out[name] = formula
        return out

    def status(
        self, ws: Any, row: int, col: int, condition: str, ok: bool, ok_key: str, bad_key: str
    ) -> None:
        """``=IF(condition, ok, not ok)`` styled green/red like a check cell (colour follows recalculation)."""
        styles = self.book.styles
        ok_text, bad_text = self.t(ok_key), self.t(bad_key)
        formula = f"=IF({condition},{_quote(ok_text)},{_quote(bad_text)})"
        ws.write_formula(
            row, col, formula, styles.role("check_ok" if ok else "check_bad"), ok_text if ok else bad_text
        )
        for shown, role in ((ok_text, "check_ok"), (bad_text, "check_bad")):
            ws.conditional_format(
                row,
                col,
                row,
                col,
                {
                    "type": "cell",
                    "criteria": "==",
                    "value": _quote(shown),
                    "format": styles.conditional(role),
                },
            )

    def next_top(self, ref: TableRef) -> int:
        return (ref.total_row if ref.total_row is not None else max(ref.last_row, ref.header_row)) + 2

    def filter_to_primary(self, ws: Any, ref: TableRef, frame: pd.DataFrame) -> np.ndarray:
        """Filter the sheet's table to the latest year and the primary reading; hide the other rows."""
        visible = (
            (frame[C.FISCAL_YEAR].to_numpy() == self.latest)
            & (frame[C.SCHEME].to_numpy() == self.primary.scheme)
            & (frame[N.READING].to_numpy() == self.primary.reading)
        )
        if ws.autofilter_area:
            ws.filter_column_list(ref.columns[C.FISCAL_YEAR], [str(self.latest)])
            ws.filter_column_list(ref.columns[SCHEME_LABEL], [self.primary.scheme_label])
            ws.filter_column_list(ref.columns[READING_LABEL], [self.primary.reading_label])
            for i in np.flatnonzero(~visible).tolist():
                ws.set_row(ref.first_row + i, None, None, {"hidden": True})
        return visible

    # -- the workbook ------------------------------------------------------------------------------------------
    def build(self, book: ReportWorkbook) -> None:
        self.book = book
        keys = [
            "sheet.summary",
            "sheet.charts",
            "sheet.areas",
            "sheet.actions",
            "sheet.departments",
            "sheet.functional",
            "sheet.economic",
            "sheet.tcdb_unfunded",
            "sheet.tcdb_diversion",
            "sheet.tcdb_department_gaps",
            "sheet.tcdb_coverage",
            "sheet.tcdb_lines",
            *(["sheet.tcdb_untagged"] if self.untagged is not None else []),
            "sheet.methodology",
            "sheet.tcdb_data_quality",
        ]
        self.ws = {key: book.add_sheet(self.t(key)) for key in keys}
        self.refs: dict[str, TableRef] = {}
        self.lines_sheet()
        self.untagged_sheet()
        self.departments_sheet()
        self.line_breakdown(
            "sheet.functional",
            self.a.by_functional,
            [ColumnSpec(C.FUNCTIONAL_CODE, "code")],
            "tcdb.title.functional",
            C.FUNCTIONAL_CODE,
        )
        economic = self.a.by_economic_2.assign(
            **{ECONOMIC_1: self.a.by_economic_2[C.ECONOMIC_CODE].str.split(".").str[0].astype("str")}
        )
        self.line_breakdown(
            "sheet.economic",
            economic,
            [
                ColumnSpec(ECONOMIC_1, "code", label=self.t("tcdb.col.economic_1")),
                ColumnSpec(C.ECONOMIC_CODE, "code"),
            ],
            "tcdb.title.economic",
            C.ECONOMIC_CODE,
        )
        self.areas_sheet()
        self.actions_sheet()
        self.unfunded_sheet()
        self.diversion_sheet()
        self.gaps_sheet()
        self.coverage_sheet()
        self.summary_sheet()
        self.charts_sheet()
        self.methodology_sheet()
        self.data_quality_sheet()
        self.ws["sheet.summary"].activate()

    # -- detail sheets -----------------------------------------------------------------------------------------
    def lines_sheet(self) -> None:
        ws = self.ws["sheet.tcdb_lines"]
        frame = self.lines
        specs = [ColumnSpec(C.FISCAL_YEAR, "year"), ColumnSpec(C.LINE_ID, "code")]
        kinds = {
            C.INSTITUTIONAL_CODE: "code",
            C.UNIT_NAME: "text",
            C.FUNCTIONAL_CODE: "code",
            C.ECONOMIC_CODE: "code",
            C.DESCRIPTION: "text",
        }
        specs += [ColumnSpec(name, kind) for name, kind in kinds.items() if name in frame.columns]
        specs += [
            ColumnSpec(C.AREA, "count"),
            ColumnSpec(C.ACTION_CODE, "code"),
            ColumnSpec(C.RULE_ID, "code"),
            ColumnSpec(C.SHARE, "percent"),
        ]
        if DECLARED_SHARE in frame.columns:
            specs.append(ColumnSpec(DECLARED_SHARE, "percent", label=self.t("tcdb.col.declared_share")))
        specs += [ColumnSpec(N.attributed(p), "money", label=self.family("attributed", p)) for p in C.PHASES]
        money = [N.attributed(p) for p in C.PHASES]
        for scheme in self._scheme_order():
            label = self.scheme_label(scheme)
            specs.append(
                ColumnSpec(
                    category_column(scheme), "code", label=self.t("tcdb.col.scheme_category", scheme=label)
                )
            )
            for r in self.readings:
                if r.scheme != scheme:
                    continue
                for p in C.PHASES:
                    name = counted_column(r.scheme, r.reading, p)
                    specs.append(
                        ColumnSpec(
                            name,
                            "money",
                            label=self.t("tcdb.col.scheme_counted", scheme=r.header, phase=self.phase(p)),
                        )
                    )
                    money.append(name)
        ref = self.table(
            ws,
            frame,
            specs,
            title=self.t("tcdb.title.lines"),
            notes=[self.t("tcdb.note.lines"), self.t("note.money")],
            freeze_columns=2,
        )
        self.subtotals(ws, ref, dict.fromkeys(money, "sum"))
        self._sheet_setup(ws, ref, paper=8)
        ws.fit_to_pages(3, 0)  # a wide detail table: three A3 pages across, the line columns repeated
        ws.repeat_columns(0, 1)
        self.refs["lines"] = ref

    def untagged_sheet(self) -> None:
        if self.untagged is None:
            return
        ws = self.ws["sheet.tcdb_untagged"]
        frame = self.untagged
        specs = [ColumnSpec(C.FISCAL_YEAR, "year"), ColumnSpec(C.LINE_ID, "code")]
        for name, kind in (
            (C.INSTITUTIONAL_CODE, "code"),
            (C.UNIT_NAME, "text"),
            (C.FUNCTIONAL_CODE, "code"),
            (C.ECONOMIC_CODE, "code"),
            (C.DESCRIPTION, "text"),
        ):
            if name in frame.columns:
                specs.append(ColumnSpec(name, kind))
        specs += [ColumnSpec(untagged_column(p), "money", label=self.family("untagged", p)) for p in C.PHASES]
        specs.append(ColumnSpec(TAGGED_SHARE, "percent", label=self.t("tcdb.col.tagged_share")))
        ref = self.table(
            ws,
            frame,
            specs,
            title=self.t("tcdb.title.untagged"),
            notes=[self.t("tcdb.note.untagged"), self.t("note.money")],
            freeze_columns=2,
        )
        self.subtotals(ws, ref, {untagged_column(p): "sum" for p in C.PHASES})
        self._sheet_setup(ws, ref)
        self.refs["untagged"] = ref

    def _sheet_setup(self, ws: Any, ref: TableRef, *, paper: int | None = None) -> None:
        ws.set_landscape()
        ws.repeat_rows(ref.header_row)
        if paper is not None:
            ws.set_paper(paper)

    # -- breakdowns --------------------------------------------------------------------------------------------
    def breakdown(
        self,
        key: str,
        table: pd.DataFrame,
        key_specs: list[ColumnSpec],
        title_key: str,
        *,
        line_dims: bool,
        notes: Sequence[str] = (),
    ) -> TableRef:
        """A long breakdown (every year × scheme reading × key), filtered to the latest year and primary scheme."""
        ws = self.ws[key]
        frame = self._labelled(table).reset_index(drop=True)
        specs = [*self.key_specs(), *key_specs]
        totals: dict[str, str | RatioOf] = {}
        if line_dims:
            specs += [ColumnSpec(N.budget(p), "money", label=self.family("budget", p)) for p in C.PHASES]
            totals |= {N.budget(p): "sum" for p in C.PHASES}
        specs += [ColumnSpec(N.attributed(p), "money", label=self.family("attributed", p)) for p in C.PHASES]
        specs += [ColumnSpec(N.counted(p), "money", label=self.family("counted", p)) for p in C.PHASES]
        totals |= {N.attributed(p): "sum" for p in C.PHASES} | {N.counted(p): "sum" for p in C.PHASES}
        if line_dims:
            specs.append(
                ColumnSpec(N.share(SHARE_PHASE), "percent", label=self.family("share_own", SHARE_PHASE))
            )
            totals[N.share(SHARE_PHASE)] = RatioOf(N.counted(SHARE_PHASE), N.budget(SHARE_PHASE))
        specs.append(
            ColumnSpec(
                N.share_of_total(SHARE_PHASE), "percent", label=self.family("share_total", SHARE_PHASE)
            )
        )
        specs.append(ColumnSpec(N.EXECUTION_RATE, "percent", label=self.label(N.EXECUTION_RATE)))
        totals[N.share_of_total(SHARE_PHASE)] = "sum"
        totals[N.EXECUTION_RATE] = RatioOf(N.counted(C.EXPENDITURE), N.counted(C.REVISED_APPROPRIATION))
        filter_note = self.t("tcdb.note.filter", year=self.latest, scheme=self.primary.header)
        ref = self.table(
            ws,
            frame,
            specs,
            title=self.t(title_key),
            notes=[*notes, filter_note, self.t("note.money"), self.t("note.blank")],
            freeze_columns=len(self.key_specs()) + len(key_specs),
        )
        visible = self.filter_to_primary(ws, ref, frame)
        self.subtotals(ws, ref, totals, visible)
        self._sheet_setup(ws, ref)
        self.refs[key] = ref
        return ref

    def line_breakdown(self, key, table, key_specs, title_key, key_name) -> TableRef:
        note = self.t(
            "tcdb.note.line_breakdown",
            what=tr_lower(C.label(key_name, self.lang)),
        )
        return self.breakdown(key, table, key_specs, title_key, line_dims=True, notes=[note])

    def departments_sheet(self) -> None:
        self.line_breakdown(
            "sheet.departments",
            self.a.by_department,
            [ColumnSpec(C.UNIT_NAME, "text")],
            "tcdb.title.departments",
            C.UNIT_NAME,
        )

    def areas_sheet(self) -> None:
        self.breakdown(
            "sheet.areas",
            self.a.by_area,
            [ColumnSpec(C.AREA, "count")],
            "tcdb.title.areas",
            line_dims=False,
            notes=[self.t("tcdb.note.plan_breakdown")],
        )

    def _titles(self) -> dict[str, str]:
        """Action code → title, from the plan tables of the analysis."""
        frames = [self.a.plan_money, self.a.unfunded_actions, self.a.department_gaps]
        pairs = pd.concat([f[[C.ACTION_CODE, N.TITLE]] for f in frames], ignore_index=True).dropna()
        pairs = pairs.drop_duplicates(C.ACTION_CODE)
        return dict(zip(pairs[C.ACTION_CODE], pairs[N.TITLE], strict=True))

    def actions_sheet(self) -> None:
        table = self.a.by_action
        table = table.assign(**{N.TITLE: table[C.ACTION_CODE].map(self._titles()).astype("str")})
        self.breakdown(
            "sheet.actions",
            table,
            [
                ColumnSpec(C.AREA, "count"),
                ColumnSpec(C.TARGET_CODE, "code"),
                ColumnSpec(C.ACTION_CODE, "code"),
                ColumnSpec(N.TITLE, "text", label=self.label(N.TITLE)),
            ],
            "tcdb.title.actions",
            line_dims=False,
            notes=[self.t("tcdb.note.plan_breakdown")],
        )

    # -- plan checks -------------------------------------------------------------------------------------------
    def simple_sheet(
        self, key: str, frame: pd.DataFrame, specs: list[ColumnSpec], title_key: str, notes=()
    ) -> TableRef:
        ws = self.ws[key]
        ref = self.table(ws, frame.reset_index(drop=True), specs, title=self.t(title_key), notes=list(notes))
        self._sheet_setup(ws, ref)
        self.refs[key] = ref
        return ref

    def _plan_specs(self) -> list[ColumnSpec]:
        return [
            ColumnSpec(C.ACTION_CODE, "code"),
            ColumnSpec(C.AREA, "count"),
            ColumnSpec(C.TARGET_CODE, "code"),
            ColumnSpec(N.TITLE, "text", label=self.label(N.TITLE)),
        ]

    def unfunded_sheet(self) -> None:
        frame = self.a.unfunded_actions
        specs = [
            ColumnSpec(C.FISCAL_YEAR, "year"),
            *self._plan_specs(),
            ColumnSpec(N.RESPONSIBLE_UNIT, "text", label=self.label(N.RESPONSIBLE_UNIT)),
            ColumnSpec(N.YEAR_FROM, "year", label=self.label(N.YEAR_FROM)),
            ColumnSpec(N.YEAR_TO, "year", label=self.label(N.YEAR_TO)),
            ColumnSpec(N.TAGGED_LINES, "count", label=self.label(N.TAGGED_LINES)),
        ]
        self.simple_sheet("sheet.tcdb_unfunded", frame, specs, "tcdb.title.unfunded")

    def diversion_sheet(self) -> None:
        frame = self.a.diversion
        frame = frame.assign(**{N.SIGNAL: self._code_labels(frame[N.SIGNAL])})
        specs = [
            ColumnSpec(C.FISCAL_YEAR, "year"),
            ColumnSpec(C.LINE_ID, "code"),
            ColumnSpec(C.UNIT_NAME, "text"),
            ColumnSpec(C.DESCRIPTION, "text"),
            ColumnSpec(C.ACTION_CODE, "code"),
            ColumnSpec(N.SIGNAL, "text", label=self.label(N.SIGNAL)),
            *(ColumnSpec(N.attributed(p), "money", label=self.family("attributed", p)) for p in C.PHASES),
            ColumnSpec(N.VALUE, "percent", label=self.label(N.VALUE)),
            ColumnSpec(N.THRESHOLD, "percent", label=self.label(N.THRESHOLD)),
            ColumnSpec(N.YEAR_FROM, "year", label=self.label(N.YEAR_FROM)),
            ColumnSpec(N.YEAR_TO, "year", label=self.label(N.YEAR_TO)),
        ]
        self.simple_sheet(
            "sheet.tcdb_diversion",
            frame,
            specs,
            "tcdb.title.diversion",
            notes=[self.t("tcdb.note.diversion"), self.t("note.money")],
        )

    def gaps_sheet(self) -> None:
        frame = self.a.department_gaps
        frame = frame.assign(**{N.REASON: self._code_labels(frame[N.REASON])})
        specs = [
            ColumnSpec(C.FISCAL_YEAR, "year"),
            ColumnSpec(N.RESPONSIBLE_UNIT, "text", label=self.label(N.RESPONSIBLE_UNIT)),
            ColumnSpec(N.BUDGET_UNIT, "text", label=self.label(N.BUDGET_UNIT)),
            *self._plan_specs(),
            ColumnSpec(N.REASON, "text", label=self.label(N.REASON)),
            ColumnSpec(N.TAGGED_LINES_ELSEWHERE, "count", label=self.label(N.TAGGED_LINES_ELSEWHERE)),
        ]
        self.simple_sheet("sheet.tcdb_department_gaps", frame, specs, "tcdb.title.department_gaps")

    # -- coverage ----------------------------------------------------------------------------------------------
    def coverage_sheet(self) -> None:
        ws = self.ws["sheet.tcdb_coverage"]
        coverage = getattr(self.tagging, "coverage", None)
        if coverage is None:
            write_title(ws, 0, 0, self.t("tcdb.title.coverage"), [self.t("tcdb.note.no_tagging")])
            return
        top = write_title(
            ws,
            0,
            0,
            self.t("tcdb.title.coverage"),
            [self.t("tcdb.note.coverage_scope"), self.t("note.money")],
        )
        pairs: list[tuple] = []
        for rec in coverage.summary.to_dict("records"):
            measure = rec["measure"]
            if measure == "rows":
                pairs += [
                    (f"{self.t('tcdb.rows')} – {self.t('tcdb.col.total')}", int(rec["total"]), "count"),
                    (f"{self.t('tcdb.rows')} – {self.t('tcdb.col.tagged')}", int(rec["tagged"]), "count"),
                    (
                        f"{self.t('tcdb.rows')} – {self.t('tcdb.col.tagged_share')}",
                        _num(rec["tagged_share"]),
                        "percent",
                    ),
                ]
            elif measure in C.PHASES:
                name = self.phase(measure)
                pairs += [
                    (f"{name} – {self.t('tcdb.col.total')}", int(rec["total"]), "money"),
                    (f"{name} – {self.t('tcdb.col.tagged')}", int(rec["tagged"]), "money"),
                    (f"{name} – {self.t('tcdb.col.attributed_money')}", int(rec["attributed"]), "money"),
                    (
                        f"{name} – {self.t('tcdb.col.attributed_share')}",
                        _num(rec["attributed_share"]),
                        "percent",
                    ),
                ]
        kv = write_kv(ws, pairs, top=top, lang=self.lang)
        top = kv.last_row + 2
        rules = coverage.rules
        phases = [p for p in C.PHASES if N.attributed(p) in rules.columns]
        rules = rules.assign(fired=rules["fired"].astype(bool))
        ref = self.table(
            ws,
            rules,
            [
                ColumnSpec(C.RULE_ID, "code"),
                ColumnSpec("line", "count", label=self.t("tcdb.col.file_line")),
                ColumnSpec("priority", "count", label=self.t("tcdb.col.priority")),
                ColumnSpec("actions", "code", label=self.t("tcdb.col.actions")),
                ColumnSpec("matched_rows", "count", label=self.t("tcdb.col.matched_rows")),
                ColumnSpec("hits", "count", label=self.t("tcdb.col.hits")),
                ColumnSpec("overlap_rows", "count", label=self.t("tcdb.col.overlap_rows")),
                ColumnSpec("fired", "label", label=self.t("tcdb.col.fired")),
                *(ColumnSpec(N.attributed(p), "money", label=self.family("attributed", p)) for p in phases),
            ],
            top=top,
            title=self.t("tcdb.title.rules"),
            total_row={"hits": "sum", **{N.attributed(p): "sum" for p in phases}},
        )
        top = self.next_top(ref)
        never = coverage.never_fired
        reasons = {
            "no row matches": self.t("tcdb.never.no_row"),
            "always won by a higher-priority rule": self.t("tcdb.never.outranked"),
        }
        never = never.assign(reason=never["reason"].map(lambda r: reasons.get(r, r)).astype("str"))
        ref = self.table(
            ws,
            never,
            [
                ColumnSpec(C.RULE_ID, "code"),
                ColumnSpec("line", "count", label=self.t("tcdb.col.file_line")),
                ColumnSpec("description", "text", label=C.label(C.DESCRIPTION, self.lang)),
                ColumnSpec("reason", "text", label=self.label(N.REASON)),
            ],
            top=top,
            title=self.t("tcdb.title.never_fired"),
            na_rep=None,
        )
        if not len(never):
            ws.write_string(ref.first_row, 0, self.t("tcdb.note.no_rows"), self.book.styles.role("note"))
        top = self.next_top(ref) + (1 if not len(never) else 0)
        overlaps = coverage.overlaps
        ophases = [p for p in C.PHASES if p in overlaps.columns]
        ref = self.table(
            ws,
            overlaps,
            [
                ColumnSpec("rule_ids", "text", label=self.t("tcdb.col.rule_ids")),
                ColumnSpec("winner", "code", label=self.t("tcdb.col.winner")),
                ColumnSpec("rows", "count", label=self.t("tcdb.col.rows")),
                *(ColumnSpec(p, "money", label=self.phase(p)) for p in ophases),
            ],
            top=top,
            title=self.t("tcdb.title.overlaps"),
        )
        if not len(overlaps):
            ws.write_string(ref.first_row, 0, self.t("tcdb.note.no_rows"), self.book.styles.role("note"))
        ws.set_landscape()

    # -- summary -----------------------------------------------------------------------------------------------
    def summary_sheet(self) -> None:
        ws = self.ws["sheet.summary"]
        lines, depts = self.refs["lines"], self.refs["sheet.departments"]
        untagged = self.refs.get("untagged")
        budget_file = next((path for label, path, *_ in self.checksums if label == "budget"), None)
        if budget_file is None and self.read_result is not None:
            budget_file = self.read_result.source
        rules = getattr(self.ruleset, "name", None)
        notes = []
        if budget_file or rules:
            notes.append(
                self.t(
                    "tcdb.note.source",
                    budget=Path(budget_file).name if budget_file else "–",
                    rules=rules or "–",
                )
            )
        notes += [
            self.t(
                "tcdb.note.formulas",
                lines=lines.sheet,
                departments=depts.sheet,
                untagged=untagged.sheet if untagged is not None else "–",
            ),
            self.t("note.money"),
        ]
        top = write_title(ws, 0, 0, self.t("title.tcdb"), notes)
        top = self.next_top(self.headline(ws, top))
        top = self.next_top(self.by_scheme(ws, top))
        top = self.next_top(self.reconciliation(ws, top))
        self.by_category(ws, top)
        ws.set_landscape()

    def _budget_formula(self, year: int, r: _Reading, phase: str, expected: int) -> Formula:
        criteria = {C.FISCAL_YEAR: year, SCHEME_LABEL: r.scheme_label, READING_LABEL: r.reading_label}
        return self.sumifs(self.refs["sheet.departments"], N.budget(phase), criteria, expected)

    def _counted_formula(self, year: int, r: _Reading, phase: str, expected: int, extra=None) -> Formula:
        criteria = {C.FISCAL_YEAR: year, **(extra or {})}
        return self.sumifs(self.refs["lines"], counted_column(r.scheme, r.reading, phase), criteria, expected)

    def _attributed_formula(self, year: int, phase: str, expected: int, extra=None) -> Formula:
        criteria = {C.FISCAL_YEAR: year, **(extra or {})}
        return self.sumifs(self.refs["lines"], N.attributed(phase), criteria, expected)

    def _untagged_formula(self, year: int, phase: str, expected: int) -> Formula | None:
        """SUMIFS over the Untagged sheet; None when no budget lines were given (the cell keeps the value)."""
        ref = self.refs.get("untagged")
        if ref is None:
            return None
        return self.sumifs(ref, untagged_column(phase), {C.FISCAL_YEAR: year}, expected)

    def headline(self, ws: Any, top: int) -> TableRef:
        r = self.primary
        s = self.a.summary
        s = s[(s[C.SCHEME] == r.scheme) & (s[N.READING] == r.reading)].reset_index(drop=True)
        rev, exp = C.REVISED_APPROPRIATION, C.EXPENDITURE
        frame = s[
            [
                C.FISCAL_YEAR,
                N.budget(rev),
                N.counted(rev),
                N.share_of_total(rev),
                N.counted(exp),
                N.EXECUTION_RATE,
            ]
        ]
        ref = self.table(
            ws,
            frame,
            [
                ColumnSpec(C.FISCAL_YEAR, "year"),
                ColumnSpec(N.budget(rev), "money", label=self.family("budget", rev)),
                ColumnSpec(N.counted(rev), "money", label=self.family("counted", rev)),
                ColumnSpec(N.share_of_total(rev), "percent", label=self.family("share_total", rev)),
                ColumnSpec(N.counted(exp), "money", label=self.family("counted", exp)),
                ColumnSpec(N.EXECUTION_RATE, "percent", label=self.label(N.EXECUTION_RATE)),
            ],
            top=top,
            title=self.t("tcdb.title.headline", scheme=self.primary_name()),
            autofilter=False,
            freeze=False,
        )
        for i, rec in enumerate(frame.to_dict("records")):
            year = int(rec[C.FISCAL_YEAR])
            b = self._budget_formula(year, r, rev, rec[N.budget(rev)])
            c = self._counted_formula(year, r, rev, rec[N.counted(rev)])
            e = self._counted_formula(year, r, exp, rec[N.counted(exp)])
            self.put(ws, ref, N.budget(rev), i, b)
            self.put(ws, ref, N.counted(rev), i, c)
            self.put(ws, ref, N.counted(exp), i, e)
            bc, cc, ec = (
                ref.cell(n, i, sheet=False) for n in (N.budget(rev), N.counted(rev), N.counted(exp))
            )
            share = rec[N.share_of_total(rev)]
            self.put(ws, ref, N.share_of_total(rev), i, Formula(f'IF({bc}=0,"",{cc}/{bc})', _num(share)))
            rate = rec[N.EXECUTION_RATE]
            self.put(ws, ref, N.EXECUTION_RATE, i, Formula(f'IF({cc}=0,"",{ec}/{cc})', _num(rate)))
        return ref

    def primary_name(self) -> str:
        scheme = self.scheme_objects.get(self.primary.scheme)
        return scheme.label(self.lang) if scheme is not None else self.primary.scheme_label

    def by_scheme(self, ws: Any, top: int) -> TableRef:
        s = self.a.summary
        floors = self.a.floor_check.set_index([C.FISCAL_YEAR, C.SCHEME, N.READING, N.PHASE])
        rows = []
        for rec in s.to_dict("records"):
            for phase in C.PHASES:
                key = (rec[C.FISCAL_YEAR], rec[C.SCHEME], rec[N.READING], phase)
                floor = floors.loc[key] if key in floors.index else None
                rows.append(
                    {
                        C.FISCAL_YEAR: rec[C.FISCAL_YEAR],
                        C.SCHEME: rec[C.SCHEME],
                        N.READING: rec[N.READING],
                        N.PHASE: phase,
                        PHASE_LABEL: self.phase(phase),
                        N.BUDGET_TOTAL: rec[N.budget(phase)],
                        N.COUNTED: rec[N.counted(phase)],
                        SHARE_OF_TOTAL: rec[N.share_of_total(phase)],
                        N.FLOOR: np.nan if floor is None else float(floor[N.FLOOR]),
                        N.REQUIRED: pd.NA if floor is None else int(floor[N.REQUIRED]),
                        FLOOR_MET: ""
                        if floor is None
                        else (self.t("tcdb.floor.met") if floor[N.PASSED] else self.t("tcdb.floor.not_met")),
                        "_passed": None if floor is None else bool(floor[N.PASSED]),
                    }
                )
        frame = self._labelled(pd.DataFrame(rows).astype({N.REQUIRED: "Int64", N.FLOOR: "float64"}))
        share = SHARE_OF_TOTAL
        ref = self.table(
            ws,
            frame,
            [
                *self.key_specs(),
                ColumnSpec(PHASE_LABEL, "text", label=self.label(N.PHASE)),
                ColumnSpec(N.BUDGET_TOTAL, "money", label=self.label(N.BUDGET_TOTAL)),
                ColumnSpec(N.COUNTED, "money", label=self.label(N.COUNTED)),
                ColumnSpec(share, "percent", label=self.t("tcdb.col.share_of_total")),
                ColumnSpec(N.FLOOR, "percent", label=self.t("tcdb.col.floor")),
                ColumnSpec(N.REQUIRED, "money", label=self.label(N.REQUIRED)),
                ColumnSpec(FLOOR_MET, "text", label=self.t("tcdb.col.floor_met")),
            ],
            top=top,
            title=self.t("tcdb.title.by_scheme"),
            notes=[self.t("tcdb.note.floor"), self.t("tcdb.note.review")],
            freeze=False,
        )
        readings = {(r.scheme, r.reading): r for r in self.readings}
        for i, rec in enumerate(frame.to_dict("records")):
            r = readings[(rec[C.SCHEME], rec[N.READING])]
            year, phase = int(rec[C.FISCAL_YEAR]), rec[N.PHASE]
            self.put(ws, ref, N.BUDGET_TOTAL, i, self._budget_formula(year, r, phase, rec[N.BUDGET_TOTAL]))
            self.put(ws, ref, N.COUNTED, i, self._counted_formula(year, r, phase, rec[N.COUNTED]))
            bc, cc = ref.cell(N.BUDGET_TOTAL, i, sheet=False), ref.cell(N.COUNTED, i, sheet=False)
            self.put(ws, ref, share, i, Formula(f'IF({bc}=0,"",{cc}/{bc})', _num(rec[share])))
            if rec["_passed"] is not None:
                rq = ref.cell(N.REQUIRED, i, sheet=False)
                self.status(
                    ws,
                    ref.first_row + i,
                    ref.columns[FLOOR_MET],
                    f"{cc}>={rq}",
                    rec["_passed"],
                    "tcdb.floor.met",
                    "tcdb.floor.not_met",
                )
        return ref

    def reconciliation(self, ws: Any, top: int) -> TableRef:
        rec_table = self._labelled(self.a.reconciliation).reset_index(drop=True)
        rec_table = rec_table.assign(
            **{
                PHASE_LABEL: rec_table[N.PHASE].map({p: self.phase(p) for p in C.PHASES}).astype("str"),
                CHECK_TAGGED: self.t("check.balanced"),
                CHECK_COUNTED: self.t("check.balanced"),
            }
        )
        ref = self.table(
            ws,
            rec_table,
            [
                ColumnSpec(C.FISCAL_YEAR, "year"),
                ColumnSpec(PHASE_LABEL, "text", label=self.label(N.PHASE)),
                ColumnSpec(SCHEME_LABEL, "text", label=self.t("tcdb.col.scheme")),
                ColumnSpec(READING_LABEL, "text", label=self.label(N.READING)),
                ColumnSpec(N.BUDGET_TOTAL, "money", label=self.label(N.BUDGET_TOTAL)),
                ColumnSpec(N.ATTRIBUTED, "money", label=self.label(N.ATTRIBUTED)),
                ColumnSpec(N.UNTAGGED, "money", label=self.label(N.UNTAGGED)),
                ColumnSpec(N.COUNTED, "money", label=self.label(N.COUNTED)),
                ColumnSpec(N.NOT_COUNTED, "money", label=self.label(N.NOT_COUNTED)),
                ColumnSpec(CHECK_TAGGED, "text", label=self.t("tcdb.col.check_tagged")),
                ColumnSpec(CHECK_COUNTED, "text", label=self.t("tcdb.col.check_counted")),
            ],
            top=top,
            title=self.t("tcdb.title.reconciliation"),
            notes=[self.t("tcdb.note.not_counted")]
            + ([] if "untagged" in self.refs else [self.t("tcdb.note.no_lines")]),
            autofilter=False,
            freeze=False,
        )
        readings = {(r.scheme, r.reading): r for r in self.readings}
        for i, rec in enumerate(rec_table.to_dict("records")):
            r = readings[(rec[C.SCHEME], rec[N.READING])]
            year, phase = int(rec[C.FISCAL_YEAR]), rec[N.PHASE]
            b = self._budget_formula(year, r, phase, rec[N.BUDGET_TOTAL])
            a = self._attributed_formula(year, phase, rec[N.ATTRIBUTED])
            u = self._untagged_formula(year, phase, rec[N.UNTAGGED])
            c = self._counted_formula(year, r, phase, rec[N.COUNTED])
            for name, formula in ((N.BUDGET_TOTAL, b), (N.ATTRIBUTED, a), (N.UNTAGGED, u), (N.COUNTED, c)):
                if formula is not None:
                    self.put(ws, ref, name, i, formula)
            u_value = u.value if u is not None else _lira(rec[N.UNTAGGED])
            cell = {
                n: ref.cell(n, i, sheet=False)
                for n in (N.BUDGET_TOTAL, N.ATTRIBUTED, N.UNTAGGED, N.COUNTED, N.NOT_COUNTED)
            }
            row = ref.first_row + i
            nc = _lira(rec[N.NOT_COUNTED])
            write_check(
                ws,
                row,
                ref.columns[CHECK_TAGGED],
                Check(
                    Formula(cell[N.BUDGET_TOTAL], b.value),
                    Formula(f"{cell[N.ATTRIBUTED]}+{cell[N.UNTAGGED]}", a.value + u_value),
                ),
                lang=self.lang,
            )
            write_check(
                ws,
                row,
                ref.columns[CHECK_COUNTED],
                Check(
                    Formula(cell[N.BUDGET_TOTAL], b.value),
                    Formula(
                        f"{cell[N.COUNTED]}+{cell[N.NOT_COUNTED]}+{cell[N.UNTAGGED]}", c.value + nc + u_value
                    ),
                ),
                lang=self.lang,
            )
        return ref

    def category_label(self, scheme_id: str, code: Any) -> str:
        if code is None or (isinstance(code, float) and np.isnan(code)) or code is pd.NA:
            return self.t("tcdb.no_category")
        scheme = self.scheme_objects.get(scheme_id)
        if scheme is None:
            return str(code)
        if scheme.kind == "score":
            try:
                score = float(code)
            except ValueError:
                return str(code)
            band = [b for b in scheme.bands if b.min <= score]
            return (band[-1].label_tr if self.lang == "tr" else band[-1].label_en) if band else str(code)
        return scheme.category_label(str(code), self.lang)

    def by_category(self, ws: Any, top: int) -> TableRef:
        table = self._labelled(self.a.by_category).reset_index(drop=True)
        table = table.assign(
            **{
                CATEGORY_LABEL: pd.Series(
                    [
                        self.category_label(s, c)
                        for s, c in zip(table[C.SCHEME], table[C.CATEGORY], strict=True)
                    ],
                    dtype="str",
                )
            }
        )
        ref = self.table(
            ws,
            table,
            [
                *self.key_specs(),
                ColumnSpec(C.CATEGORY, "code"),
                ColumnSpec(CATEGORY_LABEL, "text", label=self.t("tcdb.col.category_label")),
                *(ColumnSpec(N.attributed(p), "money", label=self.family("attributed", p)) for p in C.PHASES),
                *(ColumnSpec(N.counted(p), "money", label=self.family("counted", p)) for p in C.PHASES),
            ],
            top=top,
            title=self.t("tcdb.title.by_category"),
            autofilter=False,
            freeze=False,
        )
        readings = {(r.scheme, r.reading): r for r in self.readings}
        for i, rec in enumerate(table.to_dict("records")):
            r = readings[(rec[C.SCHEME], rec[N.READING])]
            code = rec[C.CATEGORY]
            code = None if not isinstance(code, str) else code
            extra = {category_column(r.scheme): code}
            year = int(rec[C.FISCAL_YEAR])
            for p in C.PHASES:
                self.put(
                    ws,
                    ref,
                    N.attributed(p),
                    i,
                    self._attributed_formula(year, p, rec[N.attributed(p)], extra),
                )
                self.put(
                    ws, ref, N.counted(p), i, self._counted_formula(year, r, p, rec[N.counted(p)], extra)
                )
        return ref

    # -- charts ------------------------------------------------------------------------------------------------
    def charts_sheet(self) -> None:
        ws = self.ws["sheet.charts"]
        r, year = self.primary, self.latest
        areas = self.a.by_area
        areas = areas[
            (areas[C.FISCAL_YEAR] == year) & (areas[C.SCHEME] == r.scheme) & (areas[N.READING] == r.reading)
        ]
        areas = areas.sort_values(C.AREA, kind="stable", na_position="last").reset_index(drop=True)
        area_labels = [
            self.t("tcdb.no_action") if pd.isna(a) else self.t("tcdb.area_n", n=int(a))
            for a in areas[C.AREA].tolist()
        ]
        frame = areas[[N.counted(p) for p in C.PHASES]].assign(
            **{AREA_LABEL: pd.Series(area_labels, dtype="str")}
        )
        title = self.t("tcdb.title.chart_areas", year=year, scheme=r.header)
        ref = self.table(
            ws,
            frame,
            [
                ColumnSpec(AREA_LABEL, "text", label=C.label(C.AREA, self.lang)),
                *(ColumnSpec(N.counted(p), "money", label=self.family("counted", p)) for p in C.PHASES),
            ],
            title=title,
            total_row=True,
            autofilter=False,
            freeze=False,
        )
        source = self.refs["sheet.areas"]
        for i, area in enumerate(areas[C.AREA].tolist()):
            criteria = {
                C.FISCAL_YEAR: year,
                SCHEME_LABEL: r.scheme_label,
                READING_LABEL: r.reading_label,
                C.AREA: None if pd.isna(area) else int(area),
            }
            for p in C.PHASES:
                self.put(
                    ws,
                    ref,
                    N.counted(p),
                    i,
                    self.sumifs(source, N.counted(p), criteria, areas[N.counted(p)].iloc[i]),
                )
        top = self.next_top(ref)
        if ref.n_rows:
            chart = share_chart(
                self.book,
                ref,
                category=AREA_LABEL,
                values=[N.counted(p) for p in C.PHASES],
                lang=self.lang,
                title=title,
                width=760,
                height=360,
            )
            place_chart(ws, chart, top, 0)
            top += 360 // _CHART_ROW_PIXELS + 2
        depts = self.a.by_department
        depts = depts[
            (depts[C.FISCAL_YEAR] == year)
            & (depts[C.SCHEME] == r.scheme)
            & (depts[N.READING] == r.reading)
            & (depts[N.counted(C.REVISED_APPROPRIATION)] > 0)
        ]
        depts = depts.sort_values(
            [N.EXECUTION_RATE, C.UNIT_NAME], ascending=[False, True], kind="stable", na_position="last"
        )
        depts = depts.reset_index(drop=True)
        rev, exp = C.REVISED_APPROPRIATION, C.EXPENDITURE
        title = self.t("tcdb.title.chart_execution", year=year, scheme=r.header)
        dref = self.table(
            ws,
            depts[[C.UNIT_NAME, N.counted(rev), N.counted(exp), N.EXECUTION_RATE]],
            [
                ColumnSpec(C.UNIT_NAME, "text"),
                ColumnSpec(N.counted(rev), "money", label=self.family("counted", rev)),
                ColumnSpec(N.counted(exp), "money", label=self.family("counted", exp)),
                ColumnSpec(N.EXECUTION_RATE, "percent", label=self.label(N.EXECUTION_RATE)),
            ],
            top=top,
            title=title,
            total_row={
                N.counted(rev): "sum",
                N.counted(exp): "sum",
                N.EXECUTION_RATE: RatioOf(N.counted(exp), N.counted(rev)),
            },
            autofilter=False,
            freeze=False,
        )
        source = self.refs["sheet.departments"]
        for i, rec in enumerate(depts.to_dict("records")):
            criteria = {
                C.FISCAL_YEAR: year,
                SCHEME_LABEL: r.scheme_label,
                READING_LABEL: r.reading_label,
                C.UNIT_NAME: rec[C.UNIT_NAME] if isinstance(rec[C.UNIT_NAME], str) else None,
            }
            for p in (rev, exp):
                self.put(
                    ws, dref, N.counted(p), i, self.sumifs(source, N.counted(p), criteria, rec[N.counted(p)])
                )
            rc, ec = dref.cell(N.counted(rev), i, sheet=False), dref.cell(N.counted(exp), i, sheet=False)
            self.put(
                ws,
                dref,
                N.EXECUTION_RATE,
                i,
                Formula(f'IF({rc}=0,"",{ec}/{rc})', _num(rec[N.EXECUTION_RATE])),
            )
        if dref.n_rows:
            overall = self.a.summary
            overall = overall[
                (overall[C.FISCAL_YEAR] == year)
                & (overall[C.SCHEME] == r.scheme)
                & (overall[N.READING] == r.reading)
            ][N.EXECUTION_RATE]
            reference = _num(overall.iloc[0]) if len(overall) else None
            chart = execution_chart(
                self.book,
                dref,
                category=C.UNIT_NAME,
                value=N.EXECUTION_RATE,
                lang=self.lang,
                title=title,
                reference=reference,
                width=760,
            )
            place_chart(ws, chart, self.next_top(dref), 0)

    # -- methodology -------------------------------------------------------------------------------------------
    def methodology_sheet(self) -> None:
        ws = self.ws["sheet.methodology"]
        from gcdb import __version__

        definitions = [
            self.t(f"tcdb.def.{key}")
            for key in ("source", "attributed", "counted", "share", "floor", "reconciliation", "oecd")
        ]
        top = write_title(ws, 0, 0, self.t("tcdb.title.methodology"), definitions)
        rs = self.ruleset
        mode = getattr(self.tagging, "mode", None) or getattr(rs, "mode", None)
        pairs: list[tuple] = [
            (self.t("tcdb.kv.version"), __version__, "text"),
            (
                self.t("tcdb.kv.run_date"),
                run_date_text(self.created, self.created.date().isoformat(), self.lang),
                "text",
            ),
            (self.t("tcdb.kv.language"), self.t(f"tcdb.language.{self.lang}"), "text"),
        ]
        if rs is not None:
            pairs += [
                (self.t("tcdb.kv.ruleset"), rs.name, "text"),
                (self.t("tcdb.kv.ruleset_version"), rs.version, "text"),
                (self.t("tcdb.kv.ruleset_file"), Path(rs.source).name if rs.source else "–", "text"),
                (self.t("tcdb.kv.plan"), rs.plan or "–", "code"),
            ]
        if mode in ("first", "all"):
            pairs.append((self.t("tcdb.kv.mode"), self.t(f"tcdb.mode.{mode}"), "text"))
        pairs += [
            (self.t("tcdb.kv.primary"), f"{self.primary_name()} ({self.primary.scheme})", "text"),
            (self.t("tcdb.kv.years"), ", ".join(map(str, self.a.years)), "text"),
            (self.t("tcdb.kv.floor"), *_floor_value(self.a.parameters.get("floor", "–"))),
            (self.t("tcdb.kv.k"), self.k, "count"),
        ]
        kv = write_kv(ws, pairs, top=top, lang=self.lang, title=self.t("tcdb.title.run"))
        top = kv.last_row + 2
        schemes, categories = self._scheme_frames()
        ref = self.table(
            ws,
            schemes,
            [
                ColumnSpec(SCHEME_LABEL, "text", label=self.t("tcdb.col.scheme")),
                ColumnSpec("name", "text", label=self.t("tcdb.col.scheme_name")),
                ColumnSpec("kind", "text", label=self.t("tcdb.col.kind")),
                ColumnSpec(N.FLOOR, "percent", label=self.t("tcdb.col.scheme_floor")),
                ColumnSpec("reference", "text", label=self.t("tcdb.col.reference")),
            ],
            top=top,
            title=self.t("tcdb.title.schemes"),
            freeze=False,
        )
        top = self.next_top(ref)
        ref = self.table(
            ws,
            categories,
            [
                ColumnSpec(SCHEME_LABEL, "text", label=self.t("tcdb.col.scheme")),
                ColumnSpec(CATEGORY_LABEL, "text", label=self.t("tcdb.col.category_label")),
                ColumnSpec(C.CATEGORY, "code"),
                ColumnSpec(N.WEIGHT, "percent", label=self.t("tcdb.col.weight")),
                ColumnSpec("review_weight", "percent", label=self.t("tcdb.col.review_weight")),
                ColumnSpec("declared", "text", label=self.t("tcdb.col.declared_band")),
            ],
            top=top,
            title=self.t("tcdb.title.categories"),
            autofilter=False,
            freeze=False,
        )
        top = self.next_top(ref)
        files = pd.DataFrame(
            {
                "input": pd.Series([input_role(c[0], self.lang) for c in self.checksums], dtype="str"),
                "file": pd.Series([Path(c[1]).name for c in self.checksums], dtype="str"),
                "path": pd.Series([display_path(c[1]) for c in self.checksums], dtype="str"),
                "bytes": pd.Series([c[2] for c in self.checksums], dtype="int64"),
                "sha256": pd.Series([c[3] for c in self.checksums], dtype="str"),
            }
        )
        ref = self.table(
            ws,
            files,
            [
                ColumnSpec("input", "text", label=self.t("tcdb.col.input")),
                ColumnSpec("sha256", "code", label=self.t("tcdb.col.sha256"), width=68),
                ColumnSpec("bytes", "count", label=self.t("tcdb.col.bytes")),
                ColumnSpec("file", "text", label=self.t("tcdb.col.file")),
                ColumnSpec("path", "text", label=self.t("tcdb.col.path")),
            ],
            top=top,
            title=self.t("tcdb.title.inputs"),
            notes=[self.t("tcdb.note.checksums")],
            autofilter=False,
            freeze=False,
        )
        top = self.next_top(ref) + (1 if not len(files) else 0)
        params = self._parameter_frame(self.a.tables()["parameters"])
        self.table(
            ws,
            params,
            [
                ColumnSpec(N.PARAMETER, "text", label=self.label(N.PARAMETER)),
                ColumnSpec(N.VALUE, "text", label=self.label(N.VALUE)),
            ],
            top=top,
            title=self.t("tcdb.title.parameters"),
            autofilter=False,
            freeze=False,
        )
        ws.set_landscape()

    def _parameter_frame(self, params: pd.DataFrame) -> pd.DataFrame:
        """The analysis parameters with labels and values in the report language (codes only as a fallback)."""
        names = params[N.PARAMETER].astype("str").tolist()
        values = params[N.VALUE].astype("str").tolist()
        shown = []
        for name, value in zip(names, values, strict=True):
            if name == "years":
                value = ", ".join(v.strip() for v in value.split(",") if v.strip())
            elif name == "schemes":
                value = ", ".join(self.scheme_label(v.strip()) for v in value.split(",") if v.strip())
            elif value in ("yes", "no"):
                value = self.t(value)
            elif name in ("floor", "revised_down_threshold", "execution_threshold"):
                try:
                    value = format_number(float(value), 1, self.lang, percent=True)
                except ValueError:
                    pass  # a per-scheme mapping: shown as written
            shown.append(value)
        return pd.DataFrame(
            {
                N.PARAMETER: pd.Series(
                    [optional(f"tcdb.param.{n}", n, self.lang) for n in names], dtype="str"
                ),
                N.VALUE: pd.Series(shown, dtype="str"),
            }
        )

    def _scheme_frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """One row per scheme (name, kind, floor, source) and one per category or score band (weights)."""
        schemes, rows = [], []
        for scheme_id in self.a.schemes:
            scheme = self.scheme_objects.get(scheme_id)
            label = self.scheme_label(scheme_id)
            if scheme is None:
                schemes.append({SCHEME_LABEL: label, "name": scheme_id})
                continue
            try:
                kind = self.t(f"tcdb.scheme_kind.{scheme.kind}")
            except MissingTranslation:
                kind = scheme.kind
            schemes.append(
                {
                    SCHEME_LABEL: label,
                    "name": scheme.label(self.lang),
                    "kind": kind,
                    "reference": scheme.reference,
                    N.FLOOR: scheme.floor,
                }
            )
            base = {SCHEME_LABEL: label}
            for band in scheme.bands:
                rows.append(
                    {
                        **base,
                        C.CATEGORY: f"≥ {band.min:g}",
                        CATEGORY_LABEL: band.label_tr if self.lang == "tr" else band.label_en,
                        N.WEIGHT: band.weight,
                    }
                )
            if scheme.kind == "declared":
                rows.append(
                    {**base, C.CATEGORY: "–", CATEGORY_LABEL: self.t("tcdb.declared"), "declared": "0–100 %"}
                )
            for cat in scheme.categories:
                band = None
                if cat.declared_min is not None and cat.declared_max is not None:
                    band = f"{cat.declared_min * 100:g}–{cat.declared_max * 100:g} %"
                rows.append(
                    {
                        **base,
                        C.CATEGORY: cat.code,
                        CATEGORY_LABEL: cat.label_tr if self.lang == "tr" else cat.label_en,
                        N.WEIGHT: cat.weight,
                        "review_weight": cat.review_weight,
                        "declared": band,
                    }
                )
        return (
            _typed(pd.DataFrame(schemes), (SCHEME_LABEL, "name", "kind", "reference"), (N.FLOOR,)),
            _typed(
                pd.DataFrame(rows),
                (SCHEME_LABEL, C.CATEGORY, CATEGORY_LABEL, "declared"),
                (N.WEIGHT, "review_weight"),
            ),
        )

    # -- data quality ------------------------------------------------------------------------------------------
    def data_quality_sheet(self) -> None:
        ws = self.ws["sheet.tcdb_data_quality"]
        result = self.read_result
        if result is None:
            write_title(ws, 0, 0, self.t("tcdb.title.read"), [self.t("tcdb.note.no_read")])
            return
        rec = result.reconciliation.set_index("measure")
        rows = rec.loc["rows"] if "rows" in rec.index else None
        pairs: list[tuple] = [(self.t("tcdb.kv.source"), result.source, "text")]
        if rows is not None:
            pairs += [
                (self.t("tcdb.kv.rows_read"), int(rows["read"]), "count"),
                (self.t("tcdb.kv.rows_valid"), int(rows["valid"]), "count"),
                (self.t("tcdb.kv.rows_quarantined"), int(rows["quarantined"]), "count"),
            ]
        pairs += [
            (self.t("tcdb.kv.errors"), len(result.errors), "count"),
            (self.t("tcdb.kv.warnings"), len(result.warnings), "count"),
        ]
        kv = write_kv(ws, pairs, lang=self.lang, title=self.t("tcdb.title.read"))
        top = kv.last_row + 2
        money = result.reconciliation[result.reconciliation["measure"].isin(list(C.PHASES))].reset_index(
            drop=True
        )
        money = money.assign(measure=money["measure"].map({p: self.phase(p) for p in C.PHASES}).astype("str"))
        ref = self.table(
            ws,
            money,
            [
                ColumnSpec("measure", "text", label=self.t("tcdb.col.measure")),
                ColumnSpec("read", "money", label=self.t("tcdb.col.read")),
                ColumnSpec("valid", "money", label=self.t("tcdb.col.valid")),
                ColumnSpec("quarantined", "money", label=self.t("tcdb.col.quarantined")),
            ],
            top=top,
            title=self.t("tcdb.title.read_money"),
            autofilter=False,
            freeze=False,
        )
        top = self.next_top(ref)
        issues = result.issues.reset_index(drop=True)
        issues = issues.assign(
            **{
                C.ISSUE_COLUMN: column_labels(issues[C.ISSUE_COLUMN], self.lang),
                C.ISSUE_MESSAGE: issue_messages(issues[C.ISSUE_CODE], issues[C.ISSUE_MESSAGE], self.lang),
            }
        )
        specs = [
            ColumnSpec(C.ISSUE_FILE, "text"),
            ColumnSpec(C.ISSUE_ROW, "count"),
            ColumnSpec(C.ISSUE_COLUMN, "text"),
            ColumnSpec(C.ISSUE_CODE, "code"),
            ColumnSpec(C.ISSUE_SEVERITY, "label"),
            ColumnSpec(C.ISSUE_MESSAGE, "text", width=90),
            ColumnSpec(C.ISSUE_VALUE, "text"),
        ]
        notes = [] if len(issues) else [self.t("tcdb.note.no_issues")]
        ref = self.table(ws, issues, specs, top=top, title=self.t("tcdb.title.issues"), notes=notes)
        top = self.next_top(ref)
        quarantine = result.quarantine.reset_index(drop=True)
        personal = bool((result.issues[C.ISSUE_CODE] == "personal_data").any())
        keep = [c for c in quarantine.columns if not personal or c in (C.SOURCE_ROW, "issue_codes")]
        quarantine = quarantine[keep]
        notes = [self.t("tcdb.note.quarantine")] + ([self.t("tcdb.note.personal")] if personal else [])
        if not len(quarantine):
            notes.append(self.t("tcdb.note.no_rows"))
        specs = []
        seen = set()
        for name in quarantine.columns:
            text = str(name)
            if text in seen:
                continue
            seen.add(text)
            if name == C.SOURCE_ROW:
                specs.append(ColumnSpec(name, "count", label=self.t("tcdb.col.source_row")))
            elif name == "issue_codes":
                specs.append(ColumnSpec(name, "code", label=self.t("tcdb.col.issue_codes")))
            else:
                kind = "number" if pd.api.types.is_numeric_dtype(quarantine[name]) else "text"
                shown = C.label(text, self.lang) if text in C.LABELS else text
                specs.append(ColumnSpec(name, kind, label=shown))
        if specs and len(quarantine):
            self.table(ws, quarantine, specs, top=top, title=self.t("tcdb.title.quarantine"), notes=notes)
        else:
            write_title(ws, top, 0, self.t("tcdb.title.quarantine"), notes)
        ws.set_landscape()


def _floor_value(text: str) -> tuple[Any, str]:
    """The analysis' ``floor`` parameter for the run block: a percentage, or its text (per-scheme mapping)."""
    try:
        return float(text), "percent"
    except ValueError:
        return text, "text"


def _typed(frame: pd.DataFrame, texts: Sequence[str], numbers: Sequence[str]) -> pd.DataFrame:
    """``frame`` with the given text and float columns (added empty where missing)."""
    out = {}
    for name in texts:
        out[name] = (frame[name] if name in frame.columns else pd.Series(None, index=frame.index)).astype(
            "str"
        )
    for name in numbers:
        values = frame[name] if name in frame.columns else pd.Series(np.nan, index=frame.index)
        out[name] = pd.to_numeric(values, errors="coerce").astype("float64")
    return pd.DataFrame(out, index=frame.index)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _num(value: Any) -> float | None:
    """A float for a cached formula value; None (blank) for NaN/NA."""
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return number if np.isfinite(number) else None
