"""The short text summary ``gcdb demo`` prints: reconciliations, the gender budget, the largest gaps, outputs.

Every line comes from the translation catalogue (``summary.*`` keys) with numbers in the language's format. It
reads a run's result by its attributes (:class:`RunResult`), so it does not import :mod:`gcdb.pipeline`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb import i18n
from gcdb.i18n import t

if TYPE_CHECKING:  # pragma: no cover
    from gcdb.read import ReadResult


class RunResult(Protocol):
    """What the summary reads of a run (:class:`gcdb.pipeline.PipelineResult` has it)."""

    inputs: Any
    budget: Any
    usage: Any
    population: Any
    budget_tagging: Any
    budget_analysis: Any
    services: Any
    outputs: dict[str, Path]
    # optional (gcdb.pipeline.PipelineResult has them): MonitoringAnalysis, CostingRun, ChecklistRun


#: Scheme and reading the headline uses (EU CPR is the scheme the shipped budget rules name as default).
HEADLINE_SCHEME = "eu_cpr"
TOP_GAPS = 5


def summary_text(result: RunResult, lang: str = "tr") -> str:
    """The console summary of a run, in ``lang``: labels from the report's i18n, numbers in its format."""
    lines = ["gcdb — " + (result.inputs.label or str(result.inputs.budget.parent)), ""]
    lines.append(t("summary.reading", lang))
    for read in (result.budget, result.usage, result.population):
        lines += ["  " + line for line in _read_lines(read, lang)]
    if result.budget_analysis is not None:
        lines += ["", *_budget_lines(result, lang)]
    if result.services is not None:
        lines += ["", *_gap_lines(result, lang), *_disclosure_lines(result, lang)]
    for extra in (_monitoring_lines, _costing_lines, _checklist_lines):
        more = extra(result, lang)
        if more:
            lines += ["", *more]
    if result.outputs:
        lines += ["", t("summary.outputs", lang)]
        lines += [f"  {name}: {path}" for name, path in result.outputs.items()]
    return "\n".join(lines)


def _number(value: float, decimals: int, lang: str) -> str:
    return i18n.format_number(value, decimals, lang)


def _count(value: int, lang: str) -> str:
    return _number(int(value), 0, lang)


def _percent(share: float, decimals: int, lang: str) -> str:
    return i18n.format_percent(share, decimals, lang)


def _lira(kurus: int, lang: str = "tr") -> str:
    return i18n.format_money(int(kurus), lang)


def _read_lines(read: ReadResult, lang: str) -> list[str]:
    rec = read.reconciliation.set_index("measure")  # one row per measure: .loc[measure] is that row
    rows = cast(pd.Series, rec.loc["rows"])
    out = [
        t(
            "summary.read_line",
            lang,
            source=read.source,
            read=_count(rows["read"], lang),
            valid=_count(rows["valid"], lang),
            quarantined=_count(rows["quarantined"], lang),
            errors=_count(len(read.errors), lang),
            warnings=_count(len(read.warnings), lang),
        )
    ]
    for phase in C.PHASES:
        if phase in rec.index:
            r = cast(pd.Series, rec.loc[phase])
            out.append(
                f"    {C.label(phase, lang)}: {_lira(r['read'], lang)} = {_lira(r['valid'], lang)}"
                f" + {_lira(r['quarantined'], lang)}"
            )
    return out


def _scheme(scheme_id: str, lang: str) -> str:
    from gcdb import i18n

    return i18n.optional(f"tcdb.scheme.{scheme_id}", scheme_id, lang)


def _reading(reading: str, lang: str) -> str:
    from gcdb import i18n

    if reading == "default":
        return ""
    return "[" + i18n.optional(f"tcdb.reading_short.{reading}", reading, lang) + "]"


def _reading_label(reading: str, lang: str) -> str:
    from gcdb.budget import names as BN

    pair = BN.LABELS.get(reading)
    return pair[0 if lang == "tr" else 1] if pair else reading


def _budget_lines(result: RunResult, lang: str) -> list[str]:
    analysis = result.budget_analysis
    summary = analysis.summary
    out = [t("summary.gender_budget", lang)]
    phase = C.REVISED_APPROPRIATION
    records = summary.to_dict("records")
    names = [_scheme(rec["scheme"], lang) for rec in records]
    width = max([len(n) for n in names] + [8])
    for rec, name in zip(records, names, strict=True):
        reading = _reading(rec["reading"], lang)
        out.append(
            f"  {rec[C.FISCAL_YEAR]} {name:{width}} {reading:7} {_lira(rec['counted_' + phase], lang):>24}  = "
            + t(
                "summary.share_of",
                lang,
                share=f"{_percent(rec['share_of_total_' + phase], 2, lang):>7}",
                budget=_lira(rec["budget_" + phase], lang),
            )
        )
    shown = sorted({rec["reading"] for rec in records} - {"default"})
    for reading in shown:
        out.append(f"  {_reading(reading, lang)}: {_reading_label(reading, lang)}")
    coverage = result.budget_tagging.coverage
    rows, money = _percent(coverage.share("rows"), 1, lang), _percent(coverage.share(phase), 1, lang)
    out.append("  " + t("summary.tagged", lang, rows=rows, money=money))
    rec = analysis.reconciliation
    status = t("summary.balanced" if bool(rec["balanced"].all()) else "summary.unbalanced", lang)
    out.append("  " + t("summary.reconciliation", lang, status=status, n=_count(len(rec), lang)))
    by_year = analysis.unfunded_actions.groupby(C.FISCAL_YEAR).size().items()
    years = ", ".join(f"{y}: {_count(n, lang)}" for y, n in by_year)
    out.append(
        "  " + t("summary.plan_checks", lang, years=years, warnings=_count(len(analysis.diversion), lang))
    )
    return out


def _group(value: object, lang: str) -> str:
    from gcdb.equality import names as EN

    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return EN.label(str(value), lang)


def _stratum(rec: dict, lang: str) -> str:
    """``[Cinsiyet: Kadın]`` for a comparison within a stratum, else ``""``."""
    from gcdb.equality import names as EN

    stratum = rec.get("stratum")
    if not isinstance(stratum, str) or not stratum:
        return ""
    dims = rec.get("strata")
    if isinstance(dims, str) and dims:
        parts = [
            f"{C.label(d, lang)}: {EN.label(v, lang)}"
            for d, v in zip(dims.split("|"), stratum.split("|"), strict=False)
        ]
        return " [" + " · ".join(parts) + "]"
    return " [" + " · ".join(EN.label(v, lang) for v in stratum.split("|")) + "]"


def _gap_lines(result: RunResult, lang: str) -> list[str]:
    """The under-served groups of the latest year, most people missing first, and the count every output shares
    (:meth:`gcdb.services.ServiceAnalysis.under_served_count`, the workbook's and the tidy ``gaps`` table's)."""
    analysis = result.services
    gaps: pd.DataFrame = analysis.under_served
    latest = max(analysis.years)
    top = gaps[(gaps[C.FISCAL_YEAR] == latest).to_numpy()].head(TOP_GAPS)
    out = [t("summary.gaps", lang, year=latest)]
    for rec in top.to_dict("records"):
        dimension = (
            C.label(str(rec["dimension"]), lang) if str(rec["dimension"]) in C.LABELS else rec["dimension"]
        )
        missing = _count(round(float(rec["users_missing"])), lang)
        out.append(
            f"  {rec[C.SERVICE_CODE]:4} {dimension}: {_group(rec['group'], lang)} / "
            f"{_group(rec['reference_group'], lang)}{_stratum(rec, lang)}"
            + "  "
            + t("summary.people_missing", lang, n=missing)
            + f", {_number(rec['rate_ratio'], 2, lang)}"
            f" ({_number(rec['ratio_ci_low'], 2, lang)}–{_number(rec['ratio_ci_high'], 2, lang)})"
        )
    total = analysis.under_served_count()
    per_year = ", ".join(f"{y}: {_count(analysis.under_served_count(y), lang)}" for y in analysis.years)
    out.append(
        "  "
        + t(
            "summary.gaps_total",
            lang,
            n=_count(total, lang),
            years=per_year,
            threshold=_number(analysis.rule.threshold, 1, lang),
        )
    )
    return out


def _disclosure_lines(result: RunResult, lang: str) -> list[str]:
    """Hidden cells of every published table, primary and secondary, and what the final attacker recovered."""
    line = disclosure_line(result.services, lang)
    return [] if line is None else ["  " + line]


def disclosure_line(analysis: Any, lang: str) -> str | None:
    """One line on the linked-table protection of a services analysis (``None`` under per-table suppression)."""
    audit = getattr(analysis, "disclosure_audit", None)
    if audit is None:
        return None
    hidden = analysis.suppression
    return t(
        "summary.disclosure",
        lang,
        hidden=_count(int(hidden["hidden"].sum()), lang),
        cells=_count(int(hidden["cells"].sum()), lang),
        primary=_count(int(hidden["primary"].sum()), lang),
        secondary=_count(int(hidden["secondary"].sum()), lang),
        recovered=_count(int(audit.n_recovered), lang),
    )


# -- monitoring, costing, checklists (when the run has them) ---------------------------------------------------
def _errors(issues: pd.DataFrame) -> tuple[int, int]:
    errors = int((issues[C.ISSUE_SEVERITY] == C.ERROR).sum())
    return errors, len(issues) - errors


def _monitoring_lines(result: Any, lang: str) -> list[str]:
    analysis = getattr(result, "monitoring", None)
    if analysis is None:
        return []
    from gcdb.monitor import names as MN

    years = analysis.years
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    units = analysis.units
    out = [t("summary.monitoring", lang, years=span, units=_count(units[MN.UNIT_ID].nunique(), lang))]
    for year in years:
        status = analysis.action_status[analysis.action_status[C.FISCAL_YEAR] == year][
            MN.STATUS
        ].value_counts()
        returned = units[units[C.FISCAL_YEAR] == year][MN.RETURN_STATUS].value_counts()
        out.append(
            "  "
            + t(
                "summary.monitoring_year",
                lang,
                year=year,
                actions=_count(int(status.sum()), lang),
                done=_count(int(status.get(MN.DONE, 0)), lang),
                in_progress=_count(int(status.get(MN.IN_PROGRESS, 0)), lang),
                not_reported=_count(int(status.get(MN.NOT_REPORTED, 0)), lang),
                complete=_count(int(returned.get(MN.RECEIVED, 0)), lang),
                incomplete=_count(int(returned.get(MN.INCOMPLETE, 0)), lang),
                missing=_count(int(returned.get(MN.NOT_RETURNED, 0)), lang),
            )
        )
        if analysis.has_budget:
            money = analysis.money_summary
            money = money[(money[C.FISCAL_YEAR] == year) & (money["phase"] == C.REVISED_APPROPRIATION)]
            counts = dict(zip(money["category"], money["actions"], strict=True))
            parts = " · ".join(
                f"{MN.label(c, lang)} {_count(int(counts.get(c, 0)), lang)}" for c in MN.MONEY_CATEGORIES
            )
            out.append("    " + t("summary.monitoring_money", lang, counts=parts))
    errors, warnings = _errors(analysis.issues)
    out.append(
        "  " + t("summary.extra_issues", lang, errors=_count(errors, lang), warnings=_count(warnings, lang))
    )
    return out


def _costing_lines(result: Any, lang: str) -> list[str]:
    run = getattr(result, "costing", None)
    if run is None:
        return []
    out = [t("summary.costing", lang)]
    comparison = run.comparison
    if comparison is not None:
        numbers = comparison.key_numbers
        for rec in numbers[numbers[C.FISCAL_YEAR].notna()].to_dict("records"):
            out.append(
                "  "
                + t(
                    "summary.costing_year",
                    lang,
                    year=int(rec[C.FISCAL_YEAR]),
                    costed=_lira(rec["costed"], lang),
                    initial=_lira(rec[C.INITIAL_APPROPRIATION], lang),
                    rate=_percent(rec["appropriation_rate"], 1, lang),
                    spent=_lira(rec[C.EXPENDITURE], lang),
                    found=_count(rec["actions_found"], lang),
                    costed_actions=_count(rec["actions_costed"], lang),
                    not_appropriated=_count(rec["not_appropriated"], lang),
                    cut=_count(rec["cut"] + rec["cut_to_zero"], lang),
                    not_spent=_count(rec["not_spent"], lang),
                )
            )
    found = (
        f"{_count(run.lines_found, lang)}/{_count(len(run.tagging.rows), lang)}"
        if run.tagging is not None
        else "–"
    )
    out.append(
        "  "
        + t(
            "summary.costing_proposal",
            lang,
            lines=_count(run.proposal.lines[C.LINE_ID].nunique(), lang),
            rules=_count(len(run.rules.rules), lang),
            found=found,
        )
    )
    errors, warnings = _errors(run.costing.issues)
    out.append(
        "  " + t("summary.extra_issues", lang, errors=_count(errors, lang), warnings=_count(warnings, lang))
    )
    return out


def _checklist_lines(result: Any, lang: str) -> list[str]:
    run = getattr(result, "checklists", None)
    if run is None:
        return []
    from gcdb.checklists import hgdg_band

    out = [t("summary.checklists", lang)]
    for checklist, scores in zip(run.checklists, run.scores, strict=True):
        latest = scores.assessments[scores.assessments["latest"].to_numpy(dtype=bool)]
        mean_hgdg = float(latest["hgdg_score"].mean()) if len(latest) else float("nan")
        weight = float(hgdg_band(np.array([mean_hgdg]))[1][0])
        out.append(
            "  "
            + t(
                "summary.checklist_line",
                lang,
                name=checklist.name(lang),
                subjects=_count(latest["subject_id"].nunique(), lang),
                mean=_number(float(latest["score"].mean()) if len(latest) else float("nan"), 1, lang),
                max=_number(checklist.max_score, 0, lang),
                hgdg=_number(mean_hgdg, 1, lang),
                band=_percent(weight, 0, lang),
            )
        )
    if run.hgdg is not None:
        summary = run.hgdg.summary[run.hgdg.summary["phase"] == C.REVISED_APPROPRIATION]
        years = "; ".join(
            f"{rec[C.FISCAL_YEAR]}: {_percent(rec['share_hand_typed'], 2, lang)} → {_percent(rec['share_assessed'], 2, lang)}"
            for rec in summary.to_dict("records")
        )
        out.append("  " + t("summary.checklists_hgdg", lang, years=years))
    errors, warnings = _errors(run.issues)
    out.append(
        "  " + t("summary.extra_issues", lang, errors=_count(errors, lang), warnings=_count(warnings, lang))
    )
    return out
