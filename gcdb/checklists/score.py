"""Scoring checklist assessments, vectorised over the answers (one row per assessment × question).

* an answer earns ``value × max_score`` points; unanswered questions earn 0; "not applicable" answers leave the
  maximum;
* an assessment's ``score`` is its points rescaled to the checklist's ``max_score`` over the applicable questions
  (``points × max_score ÷ applicable_points``); its ``hgdg_score`` is the score out of 20
  (``score × 20 ÷ max_score``), read with the HGDG bands of ``rules/schemes.yaml`` (< 4 → 0 %, 4–7.9 → 25 %,
  8–14.9 → 50 %, 15–19.9 → 75 %, 20 → 100 %; ``methods.md`` §1);
* aggregations use each subject's latest assessment (by date, then by id): per service and district, and per
  question (the share of points earned — which features are missing where).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.checklists import names as N
from gcdb.checklists.assessments import question_table
from gcdb.checklists.model import Checklist
from gcdb.errors import UsageError
from gcdb.schemes import Scheme, load_schemes

HGDG_MAX = 20.0
_ROUND = 9  # decimals kept before banding: 3 × 2/3 is 2, not 1.9999999999999998

#: One row per assessment.
ASSESSMENT_COLUMNS = (
    N.ASSESSMENT_ID,
    *N.HEADER_COLUMNS,
    N.ANSWERED,
    N.QUESTIONS,
    N.COMPLETE,
    N.POINTS,
    N.APPLICABLE_POINTS,
    N.MAX_SCORE,
    N.SCORE,
    N.HGDG_SCORE,
    N.BAND,
    N.WEIGHT,
    N.LATEST,
)
#: One row per assessment × section.
SECTION_COLUMNS = (
    N.ASSESSMENT_ID,
    N.SUBJECT_ID,
    N.SECTION_ID,
    N.POINTS,
    N.MAX_POINTS,
    N.APPLICABLE_POINTS,
    N.SHARE_EARNED,
)
#: One row per service × district (latest assessment of each subject), then per service (``district`` NA: all
#: districts; assessments without districts have only this row).
SERVICE_DISTRICT_COLUMNS = (
    C.SERVICE_CODE,
    C.DISTRICT,
    N.SUBJECTS,
    N.MEAN_SCORE,
    N.MIN_SCORE,
    N.MAX_SUBJECT_SCORE,
    N.MEAN_HGDG_SCORE,
    N.BAND,
    N.WEIGHT,
)
#: One row per question (latest assessment of each subject).
QUESTION_COLUMNS = (
    N.SECTION_ID,
    N.QUESTION_ID,
    N.ASSESSMENTS,
    N.NOT_APPLICABLE,
    N.POINTS,
    N.APPLICABLE_POINTS,
    N.SHARE_EARNED,
)


@dataclass(frozen=True, eq=False)
class Scores:
    """What :func:`score_assessments` returns: ``assessments``, ``sections``, ``by_service_district`` and
    ``by_question`` (column layouts in this module), for ``checklist``."""

    checklist: Checklist
    assessments: pd.DataFrame
    sections: pd.DataFrame
    by_service_district: pd.DataFrame
    by_question: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        prefix = f"checklist_{self.checklist.id}"
        return {
            f"{prefix}_assessments": self.assessments,
            f"{prefix}_sections": self.sections,
            f"{prefix}_by_service_district": self.by_service_district,
            f"{prefix}_by_question": self.by_question,
        }


def hgdg_band(
    hgdg_score: pd.Series | np.ndarray, scheme: Scheme | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(band lower bound, weight) of HGDG scores out of 20, by the ``ph_hgdg`` scheme's bands; NaN stays NaN."""
    scheme = scheme or load_schemes()["ph_hgdg"]
    scores = np.round(np.asarray(hgdg_score, dtype=np.float64), _ROUND)
    mins = np.array([b.min for b in scheme.bands])
    weights = np.array([b.weight for b in scheme.bands])
    idx = np.clip(np.searchsorted(mins, scores, side="right") - 1, 0, len(mins) - 1)
    ok = np.isfinite(scores)
    return np.where(ok, mins[idx], np.nan), np.where(ok, weights[idx], np.nan)


def score_assessments(answers, checklist: Checklist) -> Scores:
    """Score the answers of :func:`gcdb.checklists.read_assessments` (its result or its ``data``)."""
    frame = getattr(answers, "data", answers)
    if not isinstance(frame, pd.DataFrame) or N.POINTS not in frame.columns:
        raise UsageError(
            "score_assessments needs the result of gcdb.checklists.read_assessments (or its data)"
        )
    questions = question_table(checklist)
    header = frame.drop_duplicates(N.ASSESSMENT_ID).set_index(N.ASSESSMENT_ID)[list(N.HEADER_COLUMNS)]
    # every assessment × every question: unanswered questions earn 0 of their points
    ids = pd.Index(header.index, name=N.ASSESSMENT_ID)
    grid = pd.MultiIndex.from_product([ids, questions[N.QUESTION_ID]], names=[N.ASSESSMENT_ID, N.QUESTION_ID])
    full = grid.to_frame(index=False).merge(questions, on=N.QUESTION_ID, how="left")
    given = frame[[N.ASSESSMENT_ID, N.QUESTION_ID, N.POINTS, N.NOT_APPLICABLE]]
    full = full.merge(given, on=[N.ASSESSMENT_ID, N.QUESTION_ID], how="left")
    full[N.ANSWERED] = full[N.POINTS].notna()
    full[N.POINTS] = full[N.POINTS].fillna(0.0)
    full[N.NOT_APPLICABLE] = full[N.NOT_APPLICABLE].fillna(False).astype(bool)
    full[N.APPLICABLE_POINTS] = np.where(full[N.NOT_APPLICABLE], 0.0, full[N.MAX_POINTS])

    sections = _sections(full, header)
    per = full.groupby(N.ASSESSMENT_ID, sort=False).agg(
        **{
            N.ANSWERED: (N.ANSWERED, "sum"),
            N.POINTS: (N.POINTS, "sum"),
            N.APPLICABLE_POINTS: (N.APPLICABLE_POINTS, "sum"),
        }
    )
    per = header.join(per)
    per[N.QUESTIONS] = len(questions)
    per[N.COMPLETE] = per[N.ANSWERED] == per[N.QUESTIONS]
    per[N.MAX_SCORE] = checklist.max_score
    applicable = per[N.APPLICABLE_POINTS].to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(applicable > 0, per[N.POINTS] * checklist.max_score / applicable, np.nan)
    per[N.SCORE] = np.round(score, _ROUND)
    per[N.HGDG_SCORE] = np.round(score * HGDG_MAX / checklist.max_score, _ROUND)
    per[N.BAND], per[N.WEIGHT] = hgdg_band(per[N.HGDG_SCORE])
    per[N.LATEST] = _latest(per.reset_index())
    assessments = N.conform(per.reset_index(), ASSESSMENT_COLUMNS)
    latest = assessments[assessments[N.LATEST]]
    return Scores(
        checklist=checklist,
        assessments=assessments,
        sections=sections,
        by_service_district=_by_service_district(latest),
        by_question=_by_question(full[full[N.ASSESSMENT_ID].isin(latest[N.ASSESSMENT_ID])]),
    )


def _sections(full: pd.DataFrame, header: pd.DataFrame) -> pd.DataFrame:
    sums = full.groupby([N.ASSESSMENT_ID, N.SECTION_ID], sort=False)[
        [N.POINTS, N.MAX_POINTS, N.APPLICABLE_POINTS]
    ].sum()
    sums = sums.reset_index()
    sums[N.SUBJECT_ID] = sums[N.ASSESSMENT_ID].map(header[N.SUBJECT_ID])
    applicable = sums[N.APPLICABLE_POINTS].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        sums[N.SHARE_EARNED] = np.where(
            applicable > 0, sums[N.POINTS] / np.where(applicable > 0, applicable, 1), np.nan
        )
    return N.conform(sums, SECTION_COLUMNS)


def _latest(per: pd.DataFrame) -> np.ndarray:
    """True for each subject's latest assessment (latest date, then the largest assessment id)."""
    order = per.assign(_d=per[N.ASSESSED_ON].fillna(pd.Timestamp.min)).sort_values(
        [N.SUBJECT_ID, "_d", N.ASSESSMENT_ID], kind="stable"
    )
    last = order.drop_duplicates(N.SUBJECT_ID, keep="last").index
    return per.index.isin(last)


def _by_service_district(latest: pd.DataFrame) -> pd.DataFrame:
    frames = []
    levels = (
        [[C.SERVICE_CODE, C.DISTRICT], [C.SERVICE_CODE]]
        if latest[C.DISTRICT].notna().any()
        else [[C.SERVICE_CODE]]
    )
    for keys in levels:
        grouped = latest.groupby(keys, sort=True, dropna=False)
        table = grouped.agg(
            **{
                N.SUBJECTS: (N.SUBJECT_ID, "nunique"),
                N.MEAN_SCORE: (N.SCORE, "mean"),
                N.MIN_SCORE: (N.SCORE, "min"),
                N.MAX_SUBJECT_SCORE: (N.SCORE, "max"),
                N.MEAN_HGDG_SCORE: (N.HGDG_SCORE, "mean"),
            }
        ).reset_index()
        if C.DISTRICT not in table.columns:
            table[C.DISTRICT] = pd.NA
        frames.append(table)
    out = pd.concat(frames, ignore_index=True)
    out[N.BAND], out[N.WEIGHT] = hgdg_band(out[N.MEAN_HGDG_SCORE])
    return N.conform(out, SERVICE_DISTRICT_COLUMNS)


def _by_question(full: pd.DataFrame) -> pd.DataFrame:
    grouped = full.groupby([N.SECTION_ID, N.QUESTION_ID], sort=False)
    table = grouped.agg(
        **{
            N.ASSESSMENTS: (N.ASSESSMENT_ID, "nunique"),
            N.NOT_APPLICABLE: (N.NOT_APPLICABLE, "sum"),
            N.POINTS: (N.POINTS, "sum"),
            N.APPLICABLE_POINTS: (N.APPLICABLE_POINTS, "sum"),
        }
    ).reset_index()
    applicable = table[N.APPLICABLE_POINTS].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        table[N.SHARE_EARNED] = np.where(
            applicable > 0, table[N.POINTS] / np.where(applicable > 0, applicable, 1), np.nan
        )
    table[N.NOT_APPLICABLE] = table[N.NOT_APPLICABLE].astype("int64")
    out = table.loc[:, list(QUESTION_COLUMNS)].reset_index(drop=True)
    return out.astype({N.ASSESSMENTS: "int64", N.NOT_APPLICABLE: "int64"})
