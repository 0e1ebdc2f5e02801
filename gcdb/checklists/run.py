"""One checklist run: answers of one or more checklists read, scored, and — given the budget and its tagging —
the TCDB figure under the HGDG scheme with the assessed scores beside the rules' hand-typed ones.

:func:`score_checklists` is what ``gcdb checklist score`` and ``gcdb demo`` call; :class:`ChecklistRun` holds the
results and :meth:`ChecklistRun.tables` the tidy tables the checklist report (:mod:`gcdb.report.checklists`) is
built beside.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from gcdb.checklists.assessments import read_assessments
from gcdb.checklists.load import load_checklist
from gcdb.checklists.model import Checklist
from gcdb.checklists.score import Scores, score_assessments
from gcdb.checklists.weighting import HgdgComparison, assessed_scores, hgdg_comparison
from gcdb.read import ReadResult


@dataclass(eq=False)
class ChecklistRun:
    """``checklists``, ``reads`` and ``scores``: per checklist scored (same order); ``links``: the assessed HGDG
    score of each budget line, action and rule (:func:`gcdb.checklists.assessed_scores`); ``hgdg``: the TCDB figure
    under HGDG both ways (None without a budget)."""

    checklists: list[Checklist]
    reads: list[ReadResult]
    scores: list[Scores]
    links: pd.DataFrame
    hgdg: HgdgComparison | None = None
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def issues(self) -> pd.DataFrame:
        """Every reader's issues, with the checklist they belong to (``checklist_id``)."""
        from gcdb.forms import concat_form_issues

        parts = [
            r.issues.assign(checklist_id=c.id)
            for c, r in zip(self.checklists, self.reads, strict=True)
            if len(r.issues)
        ]
        if not parts:
            return concat_form_issues([]).assign(checklist_id=pd.Series(dtype="str"))
        return pd.concat(parts, ignore_index=True)

    def tables(self) -> dict[str, pd.DataFrame]:
        out: dict[str, pd.DataFrame] = {}
        for checklist, read, scores in zip(self.checklists, self.reads, self.scores, strict=True):
            out |= scores.tables()
            out[f"checklist_{checklist.id}_issues"] = read.issues
        out["hgdg_links"] = self.links
        if self.hgdg is not None:
            out |= self.hgdg.tables()
        return out


def _answers(source: Any, checklist: Checklist, lang: str) -> ReadResult:
    """Answers from a table (CSV, .xlsx sheet, Parquet, DataFrame) or from filled assessment workbooks."""
    from gcdb.checklists.workbook import read_assessment_forms
    from gcdb.costing.workbook import is_costing_form

    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.is_dir() or is_costing_form(path):
            return read_assessment_forms([path], checklist, lang=lang)
    if isinstance(source, list | tuple):
        return read_assessment_forms(list(source), checklist, lang=lang)
    return read_assessments(source, checklist)


def score_checklists(
    pairs: Iterable[tuple[Any, Any]],
    *,
    budget: pd.DataFrame | None = None,
    tags: Any = None,
    lang: str = "tr",
) -> ChecklistRun:
    """Read and score each ``(checklist, answers)`` pair — a checklist (shipped id, YAML file or
    :class:`~gcdb.checklists.Checklist`) and its answers (a table, a DataFrame, a folder or list of filled
    assessment workbooks) — and, with ``budget`` and ``tags`` (``gcdb.tag(budget, rules)``), compare the TCDB
    figure under the HGDG scheme with the hand-typed and the assessed scores."""
    from gcdb.errors import UsageError

    if (budget is None) != (tags is None):
        raise UsageError("give the budget and its tagging together, or neither")
    checklists, reads, scores = [], [], []
    for spec, source in pairs:
        checklist = spec if isinstance(spec, Checklist) else load_checklist(spec)
        read = _answers(source, checklist, lang)
        checklists.append(checklist)
        reads.append(read)
        scores.append(score_assessments(read, checklist))
    links = assessed_scores(*scores)
    run = ChecklistRun(checklists=checklists, reads=reads, scores=scores, links=links)
    run.parameters = {c.id: r.source for c, r in zip(checklists, reads, strict=True)}
    if budget is not None:
        run.hgdg = hgdg_comparison(budget, tags, links)
    return run


__all__ = ["ChecklistRun", "score_checklists"]
