"""The checklist report (Kontrol Listesi Raporu) as a report model: scores per facility or programme, section,
service and district; HGDG bands; the TCDB figure under the HGDG scheme with the assessed scores beside the rules'
hand-typed ones.

:func:`checklist_report` builds a :class:`~gcdb.report.model.Report` from a :class:`gcdb.checklists.run.ChecklistRun`;
:func:`write_checklist_workbook` renders it and writes the run's tidy tables. Sheets (Turkish by default):

======================  ==========================================================================================
Özet / Summary          each checklist's assessments and mean score with its HGDG band; the TCDB figure under HGDG
                        per year, hand-typed and assessed scores side by side, and the 5 % floor check both ways
HGDG                    the comparison in every phase; per rule and action the hand-typed and assessed scores and
                        the money counted each way
<id> Tesisler           per checklist: every assessment (facility or programme) with its score and band
<id> Hizmet-İlçe        per checklist: the mean score per service and district (latest assessment of each subject)
<id> Sorular            per checklist: the share of points earned per question — what is missing where
Bağlantılar / Links     the assessed HGDG score of each budget line, action and rule
Veri Kalitesi           every problem found in the answers (file, row or cell)
Yöntem / Method         how answers are scored; the HGDG bands
======================  ==========================================================================================
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.errors import UsageError
from gcdb.report.collected import (
    Texts,
    chart_rows,
    issue_counts,
    issues_table,
    labelled,
    notes_section,
    parameters_table,
    under,
    write_outputs,
)
from gcdb.report.model import Column, Figure, Heading, Place, Print, Report, Section, Sentence, Table
from gcdb.report.workbook import resolve_created


class _Ctx(Texts):
    def __init__(self, run: Any, lang: str):
        super().__init__(lang)
        from gcdb.checklists import names as N

        self.run, self.N = run, N

    def label(self, name: str) -> str:
        pair = self.N.LABELS.get(name)
        if pair is None:
            return C.label(name, self.lang)
        return pair[0] if self.lang == "tr" else pair[1]


def _band_text(ctx: _Ctx, weights: pd.Series) -> pd.Series:
    """HGDG band weights as ``%50`` (the share of the budget counted)."""
    from gcdb import i18n

    return labelled(
        weights.astype("Float64").astype("str"), lambda w: i18n.format_percent(float(w), 0, ctx.lang)
    )


# -- summary ----------------------------------------------------------------------------------------------------
def summary(ctx: _Ctx) -> Section:
    run, N = ctx.run, ctx.N
    section = Section(
        "summary", ctx.t("checklists.sheet.summary"), print=Print(landscape=True, fit=(1, 0)), active=True
    )
    section.add(Heading(ctx.t("checklists.title"), [ctx.t("checklists.subtitle"), ctx.t("note.money")]))
    rows = []
    for checklist, scores in zip(run.checklists, run.scores, strict=True):
        latest = scores.assessments[scores.assessments[N.LATEST].to_numpy(dtype=bool)]
        mean = float(latest[N.SCORE].mean()) if len(latest) else np.nan
        hgdg = float(latest[N.HGDG_SCORE].mean()) if len(latest) else np.nan
        rows.append(
            {
                "checklist": checklist.name(ctx.lang),
                "assessments": len(scores.assessments),
                "subjects": int(latest[N.SUBJECT_ID].nunique()),
                "mean_score": mean,
                "max_score": checklist.max_score,
                "mean_hgdg": hgdg,
                "min_score": float(latest[N.SCORE].min()) if len(latest) else np.nan,
                "max_subject": float(latest[N.SCORE].max()) if len(latest) else np.nan,
            }
        )
    frame = pd.DataFrame(rows)
    from gcdb.checklists import hgdg_band

    frame["weight"] = hgdg_band(frame["mean_hgdg"].to_numpy(dtype=np.float64))[1]
    frame["_band"] = _band_text(ctx, frame["weight"])
    section.add(
        Table(
            "checklists",
            frame,
            [
                Column("checklist", "text", ctx.t("checklists.col.checklist"), width=40),
                Column("assessments", "count", ctx.t("checklists.col.assessments")),
                Column("subjects", "count", ctx.label(N.SUBJECTS)),
                Column("mean_score", "number", ctx.label(N.MEAN_SCORE)),
                Column("min_score", "number", ctx.t("checklists.col.min_score")),
                Column("max_subject", "number", ctx.t("checklists.col.max_score")),
                Column("max_score", "number", ctx.t("checklists.col.out_of")),
                Column("mean_hgdg", "number", ctx.label(N.MEAN_HGDG_SCORE)),
                Column("_band", "text", ctx.label(N.WEIGHT)),
            ],
            title=ctx.t("checklists.title.checklists"),
            notes=[ctx.t("checklists.note.checklists")],
            autofilter=False,
            freeze=False,
        )
    )
    hgdg = run.hgdg
    if hgdg is None:
        section.add(
            Heading(ctx.t("checklists.title.hgdg"), [ctx.t("checklists.note.no_budget")], place=Place(gap=2))
        )
        return section
    from gcdb.checklists import weighting as W

    revised = hgdg.summary[(hgdg.summary[W.PHASE] == C.REVISED_APPROPRIATION).to_numpy()].reset_index(
        drop=True
    )
    for rec in revised.to_dict("records"):
        section.add(
            Sentence(
                ctx.t(
                    "checklists.sentence.hgdg",
                    year=rec[C.FISCAL_YEAR],
                    hand=_pct(ctx, rec[W.SHARE_HAND]),
                    assessed=_pct(ctx, rec[W.SHARE_ASSESSED]),
                ),
                emphasis=_pct(ctx, rec[W.SHARE_ASSESSED]),
            )
        )
    section.add(
        Table(
            "hgdg_revised",
            revised,
            _hgdg_columns(ctx, with_phase=False),
            title=ctx.t("checklists.title.hgdg"),
            notes=[ctx.t("checklists.note.hgdg")],
            autofilter=False,
            freeze=False,
            place=Place(gap=2),
        )
    )
    floor = hgdg.floor[(hgdg.floor["phase"] == C.REVISED_APPROPRIATION).to_numpy()].reset_index(drop=True)
    floor = floor.assign(
        _scores=labelled(floor[W.SCORES], lambda s: ctx.t(f"checklists.scores.{s}")),
        _passed=labelled(floor["passed"].astype("str"), lambda v: ctx.t("yes" if v == "True" else "no")),
        _share=floor["counted"] / floor["budget_total"].where(floor["budget_total"] != 0),
    )
    section.add(
        Table(
            "hgdg_floor",
            floor,
            [
                Column(C.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, ctx.lang)),
                Column("_scores", "text", ctx.t("checklists.col.scores"), width=30),
                Column("budget_total", "money", ctx.t("checklists.col.budget_total")),
                Column("counted", "money", ctx.t("checklists.col.counted")),
                Column("_share", "percent", ctx.t("checklists.col.share")),
                Column("floor", "percent", ctx.t("checklists.col.floor")),
                Column("gap", "money", ctx.t("checklists.col.gap")),
                Column("_passed", "text", ctx.t("checklists.col.passed")),
            ],
            title=ctx.t("checklists.title.floor"),
            flags={"_passed": under(~floor["passed"].to_numpy(dtype=bool))},
            autofilter=False,
            freeze=False,
            place=Place(gap=2),
        )
    )
    return section


def _pct(ctx: _Ctx, share: float) -> str:
    from gcdb import i18n

    return i18n.format_percent(float(share), 2, ctx.lang)


def _hgdg_columns(ctx: _Ctx, *, with_phase: bool) -> list[Column]:
    from gcdb.checklists import weighting as W

    columns = [Column(C.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, ctx.lang))]
    if with_phase:
        columns.append(Column("_phase", "text", ctx.t("checklists.col.phase")))
    return columns + [
        Column(W.BUDGET_TOTAL, "money", ctx.t("checklists.col.budget_total")),
        Column(W.COUNTED_HAND, "money", ctx.t("checklists.col.counted_hand")),
        Column(W.COUNTED_ASSESSED, "money", ctx.t("checklists.col.counted_assessed")),
        Column(W.DIFFERENCE, "money", ctx.t("checklists.col.difference")),
        Column(W.SHARE_HAND, "percent", ctx.t("checklists.col.share_hand")),
        Column(W.SHARE_ASSESSED, "percent", ctx.t("checklists.col.share_assessed")),
    ]


def hgdg(ctx: _Ctx) -> Section:
    from gcdb.checklists import weighting as W

    run, N = ctx.run, ctx.N
    section = Section("hgdg", ctx.t("checklists.sheet.hgdg"), print=Print(landscape=True))
    if run.hgdg is None:
        section.add(Heading(ctx.t("checklists.title.hgdg"), [ctx.t("checklists.note.no_budget")]))
        return section
    phases = run.hgdg.summary.assign(_phase=lambda f: labelled(f[W.PHASE], lambda p: C.label(p, ctx.lang)))
    section.add(
        Table(
            "hgdg_summary",
            phases,
            _hgdg_columns(ctx, with_phase=True),
            title=ctx.t("checklists.title.hgdg_phases"),
            autofilter=False,
            freeze=False,
        )
    )
    by_rule = run.hgdg.by_rule.assign(
        _source=lambda f: labelled(f[N.SOURCE].astype("str"), lambda s: ctx.t(f"checklists.source.{s}"))
    )
    by_rule = by_rule[by_rule[N.SOURCE] != "none"].reset_index(drop=True)
    revised = C.attributed(C.REVISED_APPROPRIATION)
    section.add(
        Table(
            "hgdg_by_rule",
            by_rule,
            [
                Column(C.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, ctx.lang)),
                Column(C.RULE_ID, "code", C.label(C.RULE_ID, ctx.lang)),
                Column(C.ACTION_CODE, "code", C.label(C.ACTION_CODE, ctx.lang)),
                Column("_source", "text", ctx.label(N.SOURCE), width=28),
                Column(N.HAND_TYPED, "number", ctx.label(N.HAND_TYPED)),
                Column(N.ASSESSED, "number", ctx.label(N.ASSESSED)),
                Column(revised, "money", ctx.t("checklists.col.revised")),
                Column(W.COUNTED_HAND, "money", ctx.t("checklists.col.counted_hand")),
                Column(W.COUNTED_ASSESSED, "money", ctx.t("checklists.col.counted_assessed")),
            ],
            title=ctx.t("checklists.title.by_rule"),
            notes=[ctx.t("checklists.note.by_rule")],
            total_row={revised: "sum", W.COUNTED_HAND: "sum", W.COUNTED_ASSESSED: "sum"},
            place=Place(gap=2),
        )
    )
    return section


# -- per checklist --------------------------------------------------------------------------------------------------
def _sheet(ctx: _Ctx, checklist: Any, key: str) -> str:
    return ctx.t(f"checklists.sheet.{key}", id=checklist.id)[:31]


def facilities(ctx: _Ctx, checklist: Any, scores: Any) -> Section:
    N = ctx.N
    frame = scores.assessments.assign(
        _band=lambda f: _band_text(ctx, f[N.WEIGHT]),
        _latest=lambda f: labelled(
            f[N.LATEST].astype("str"), lambda v: ctx.t("yes" if v == "True" else "no")
        ),
    )
    frame = frame.sort_values([N.SCORE, N.ASSESSMENT_ID], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
    key = f"{checklist.id}_assessments"
    section = Section(
        f"{checklist.id}_facilities", _sheet(ctx, checklist, "facilities"), print=Print(landscape=True)
    )
    section.add(
        Table(
            key,
            frame,
            [
                Column(N.ASSESSMENT_ID, "code", ctx.label(N.ASSESSMENT_ID)),
                Column(N.SUBJECT_ID, "code", ctx.label(N.SUBJECT_ID)),
                Column(N.SUBJECT_NAME, "text", ctx.label(N.SUBJECT_NAME), width=32),
                Column(C.SERVICE_CODE, "code", C.label(C.SERVICE_CODE, ctx.lang)),
                Column(C.DISTRICT, "text", C.label(C.DISTRICT, ctx.lang)),
                Column(N.ASSESSED_ON, "date", ctx.label(N.ASSESSED_ON)),
                Column(C.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, ctx.lang)),
                Column(C.RULE_ID, "code", C.label(C.RULE_ID, ctx.lang)),
                Column(N.ANSWERED, "count", ctx.label(N.ANSWERED)),
                Column(N.QUESTIONS, "count", ctx.t("checklists.col.questions")),
                Column(N.SCORE, "number", ctx.t("checklists.col.score", max=f"{checklist.max_score:g}")),
                Column(N.HGDG_SCORE, "number", ctx.label(N.HGDG_SCORE)),
                Column("_band", "text", ctx.label(N.WEIGHT)),
                Column("_latest", "text", ctx.t("checklists.col.latest")),
            ],
            title=ctx.t("checklists.title.facilities", name=checklist.name(ctx.lang)),
            notes=[ctx.t("checklists.note.facilities")],
            freeze_columns=3,
        )
    )
    return section


def service_district(ctx: _Ctx, checklist: Any, scores: Any) -> Section:
    N = ctx.N
    table = scores.by_service_district
    frame = table.assign(
        _service=table[C.SERVICE_CODE].astype("str").fillna(ctx.t("checklists.all")),
        _district=table[C.DISTRICT].astype("str").fillna(ctx.t("checklists.all_districts")),
        _band=_band_text(ctx, table[N.WEIGHT]),
    )
    key = f"{checklist.id}_by_service_district"
    section = Section(
        f"{checklist.id}_districts", _sheet(ctx, checklist, "districts"), print=Print(landscape=True)
    )
    districts = frame[frame[C.DISTRICT].notna().to_numpy()].sort_values(N.MEAN_SCORE, kind="stable")
    if len(districts) > 1:
        ranking_key = f"{checklist.id}_district_ranking"
        section.add(
            Figure(
                "ranking",
                ranking_key,
                "_district",
                [N.MEAN_SCORE],
                title=ctx.t("checklists.title.ranking", name=checklist.name(ctx.lang)),
                alt=ctx.t("checklists.title.ranking", name=checklist.name(ctx.lang)),
                from_zero=True,
                place=Place(rows=chart_rows(len(districts))),
            )
        )
        section.add(
            Table(
                ranking_key,
                districts.reset_index(drop=True),
                [
                    Column("_district", "text", C.label(C.DISTRICT, ctx.lang)),
                    Column(N.SUBJECTS, "count", ctx.label(N.SUBJECTS)),
                    Column(N.MEAN_SCORE, "number", ctx.label(N.MEAN_SCORE)),
                ],
                title=ctx.t("checklists.title.ranking", name=checklist.name(ctx.lang)),
                autofilter=False,
                freeze=False,
            )
        )
    section.add(
        Table(
            key,
            frame,
            [
                Column("_service", "code", C.label(C.SERVICE_CODE, ctx.lang)),
                Column("_district", "text", C.label(C.DISTRICT, ctx.lang), width=24),
                Column(N.SUBJECTS, "count", ctx.label(N.SUBJECTS)),
                Column(N.MEAN_SCORE, "number", ctx.label(N.MEAN_SCORE)),
                Column(N.MIN_SCORE, "number", ctx.t("checklists.col.min_score")),
                Column(N.MAX_SUBJECT_SCORE, "number", ctx.t("checklists.col.max_score")),
                Column(N.MEAN_HGDG_SCORE, "number", ctx.label(N.MEAN_HGDG_SCORE)),
                Column("_band", "text", ctx.label(N.WEIGHT)),
            ],
            title=ctx.t("checklists.title.districts", name=checklist.name(ctx.lang)),
            notes=[ctx.t("checklists.note.districts")],
            place=Place(gap=2),
        )
    )
    return section


def questions(ctx: _Ctx, checklist: Any, scores: Any) -> Section:
    N = ctx.N
    texts = {q.id: (q.text_tr if ctx.lang == "tr" else q.text_en) for q in checklist.questions}
    sections = {s.id: (s.title_tr if ctx.lang == "tr" else s.title_en) for s in checklist.sections}
    table = scores.by_question
    frame = table.assign(
        _text=table[N.QUESTION_ID].map(texts).astype("str"),
        _section=table[N.SECTION_ID].map(sections).astype("str"),
    )
    key = f"{checklist.id}_by_question"
    section = Section(
        f"{checklist.id}_questions", _sheet(ctx, checklist, "questions"), print=Print(landscape=True)
    )
    section.add(
        Table(
            key,
            frame,
            [
                Column("_section", "text", ctx.label(N.SECTION_ID), width=30),
                Column(N.QUESTION_ID, "code", ctx.label(N.QUESTION_ID)),
                Column("_text", "text", ctx.t("checklists.col.question"), width=60),
                Column(N.ASSESSMENTS, "count", ctx.t("checklists.col.assessments")),
                Column(N.NOT_APPLICABLE, "count", ctx.t("checklists.col.not_applicable")),
                Column(N.POINTS, "number", ctx.label(N.POINTS)),
                Column(N.APPLICABLE_POINTS, "number", ctx.label(N.APPLICABLE_POINTS)),
                Column(N.SHARE_EARNED, "percent", ctx.label(N.SHARE_EARNED)),
            ],
            title=ctx.t("checklists.title.questions", name=checklist.name(ctx.lang)),
            notes=[ctx.t("checklists.note.questions")],
            flags={N.SHARE_EARNED: under(frame[N.SHARE_EARNED].to_numpy(dtype=np.float64) < 0.5)},
        )
    )
    return section


def links(ctx: _Ctx) -> Section:
    N = ctx.N
    frame = ctx.run.links.assign(_link=lambda f: labelled(f[N.LINK], lambda s: ctx.t(f"checklists.link.{s}")))
    table = Table(
        "links",
        frame,
        [
            Column("_link", "text", ctx.t("checklists.col.link")),
            Column(N.KEY, "code", ctx.t("checklists.col.key"), width=28),
            Column(C.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, ctx.lang)),
            Column(N.SUBJECTS, "count", ctx.label(N.SUBJECTS)),
            Column(N.ASSESSED, "number", ctx.label(N.ASSESSED)),
        ],
        title=ctx.t("checklists.title.links"),
        notes=[ctx.t("checklists.note.links")],
    )
    return Section("links", ctx.t("checklists.sheet.links"), [table])


def quality(ctx: _Ctx) -> Section:
    issues = ctx.run.issues
    errors, warnings = issue_counts(issues)
    section = Section("quality", ctx.t("checklists.sheet.quality"), print=Print(landscape=True))
    section.add(
        issues_table(
            "issues",
            issues,
            ctx,
            title=ctx.t("checklists.title.issues"),
            notes=[ctx.t("checklists.note.issues", errors=errors, warnings=warnings)],
            place=Place(gap=1),
        )
    )
    return section


def method(ctx: _Ctx) -> Section:
    from gcdb.schemes import load_schemes

    bands = load_schemes()["ph_hgdg"].bands
    frame = pd.DataFrame(
        {
            "min": [float(b.min) for b in bands],
            "weight": [float(b.weight) for b in bands],
        }
    )
    table = Table(
        "bands",
        frame,
        [
            Column("min", "number", ctx.t("checklists.col.band_min")),
            Column("weight", "percent", ctx.label(ctx.N.WEIGHT)),
        ],
        title=ctx.t("checklists.title.bands"),
        autofilter=False,
        freeze=False,
        place=Place(gap=2),
    )
    notes = [ctx.t("checklists.note.method")]
    notes += [f"{c.name(ctx.lang)}: {' '.join(c.reference.split())}" for c in ctx.run.checklists]
    return notes_section(
        "method",
        ctx.t("checklists.sheet.method"),
        ctx.t("checklists.title.method"),
        notes,
        table,
        parameters_table("parameters", ctx.run.parameters, ctx, title=ctx.t("collected.title.parameters")),
    )


def checklist_report(run: Any, *, lang: str = "tr", created: datetime | date | None = None) -> Report:
    """The checklist report of ``run`` (:func:`gcdb.checklists.run.score_checklists`) in ``lang``."""
    from gcdb.checklists.run import ChecklistRun

    if not isinstance(run, ChecklistRun):
        raise UsageError(
            f"run must be a ChecklistRun (gcdb.checklists.run.score_checklists), got {type(run).__name__}"
        )
    ctx = _Ctx(run, lang)
    report = Report(
        title=ctx.t("checklists.title"),
        subject=ctx.t("checklists.subject"),
        keywords="HGDG, kontrol listesi",
        lang=lang,
        created=resolve_created(created),
        audience="analyst",
    )
    report.add(summary(ctx))
    report.add(hgdg(ctx))
    for checklist, scores in zip(run.checklists, run.scores, strict=True):
        report.add(facilities(ctx, checklist, scores))
        report.add(service_district(ctx, checklist, scores))
        report.add(questions(ctx, checklist, scores))
    report.add(links(ctx))
    report.add(quality(ctx))
    report.add(method(ctx))
    return report


def write_checklist_workbook(
    path: str | os.PathLike | None,
    run: Any,
    *,
    tables: str | os.PathLike | None = None,
    lang: str = "tr",
    created: datetime | date | None = None,
    csv_dialect: str = "plain",
) -> list[Path]:
    """Write the checklist workbook to ``path`` (None: none) and, with ``tables``, the run's tidy tables into that
    folder; return the files written, the workbook first."""
    report = checklist_report(run, lang=lang, created=created)
    return write_outputs(report, path, run.tables(), tables, csv_dialect=csv_dialect)


__all__ = ["checklist_report", "write_checklist_workbook"]
