"""Names, dtypes and labels of the checklist tables — the one place that spells them.

An *assessment* (değerlendirme) is one checklist answered for one subject — a facility (a park) or a programme —
on one date. The assessment table has one row per assessment × question; the columns that describe the
assessment (subject, service, district, date, and the budget it assesses: ``rule_id``, ``action_code``,
``line_id``) repeat on each of its rows.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from gcdb import columns as C
from gcdb.i18n import Labels

ASSESSMENT_ID: Final = "assessment_id"
CHECKLIST_ID: Final = "checklist_id"
SUBJECT_ID: Final = "subject_id"  # the facility or programme (not a person)
SUBJECT_NAME: Final = "subject_name"
ASSESSED_ON: Final = "assessed_on"
QUESTION_ID: Final = "question_id"
SECTION_ID: Final = "section_id"
ANSWER: Final = "answer"  # the answer's code on the question's scale
EVIDENCE: Final = "evidence"
NOTE: Final = "note"

#: What an assessment is about and which budget it assesses: constant within an assessment.
HEADER_COLUMNS: Final = (
    CHECKLIST_ID,
    SUBJECT_ID,
    SUBJECT_NAME,
    C.SERVICE_CODE,
    C.DISTRICT,
    ASSESSED_ON,
    C.FISCAL_YEAR,
    C.RULE_ID,
    C.ACTION_CODE,
    C.LINE_ID,
)
ASSESSMENT_REQUIRED: Final = (ASSESSMENT_ID, SUBJECT_ID, QUESTION_ID, ANSWER)
ASSESSMENT_OPTIONAL: Final = (*(c for c in HEADER_COLUMNS if c != SUBJECT_ID), EVIDENCE, NOTE)

# scoring
POINTS: Final = "points"  # points earned
MAX_POINTS: Final = "max_points"  # the question's (section's, assessment's) maximum
APPLICABLE_POINTS: Final = "applicable_points"  # maximum without the questions answered "not applicable"
NOT_APPLICABLE: Final = "not_applicable"
SCORE: Final = "score"  # out of the checklist's max_score (rescaled when questions do not apply)
MAX_SCORE: Final = "max_score"
HGDG_SCORE: Final = "hgdg_score"  # score rescaled to 20 (HGDG)
BAND: Final = "band"  # the HGDG band's lower bound: 0, 4, 8, 15, 20
WEIGHT: Final = "weight"  # the HGDG band's share of the budget counted: 0, 0.25, 0.5, 0.75, 1
ANSWERED: Final = "answered"
QUESTIONS: Final = "questions"
COMPLETE: Final = "complete"
LATEST: Final = "latest"  # the subject's latest assessment (the one aggregations and the weighting use)
ASSESSMENTS: Final = "assessments"
SUBJECTS: Final = "subjects"
MEAN_SCORE: Final = "mean_score"
MIN_SCORE: Final = "min_score"
MAX_SUBJECT_SCORE: Final = "max_subject_score"
MEAN_HGDG_SCORE: Final = "mean_hgdg_score"
SHARE_EARNED: Final = "share_earned"  # points earned ÷ applicable points

# links to the budget
LINK: Final = "link"  # line | action | rule
KEY: Final = "key"
HAND_TYPED: Final = "hand_typed_score"
ASSESSED: Final = "assessed_score"
USED: Final = "used_score"
SOURCE: Final = "score_source"  # assessment_line | assessment_action | assessment_rule | rule | none

LINK_KINDS: Final = ("line", "action", "rule")  # precedence: a line's own assessment first

DTYPES: Final[dict[str, str]] = {
    **dict.fromkeys(
        (
            ASSESSMENT_ID,
            CHECKLIST_ID,
            SUBJECT_ID,
            SUBJECT_NAME,
            QUESTION_ID,
            SECTION_ID,
            ANSWER,
            EVIDENCE,
            NOTE,
        ),
        "str",
    ),
    **dict.fromkeys(
        (C.SERVICE_CODE, C.DISTRICT, C.RULE_ID, C.ACTION_CODE, C.LINE_ID, LINK, KEY, SOURCE), "str"
    ),
    **dict.fromkeys(
        (
            POINTS,
            MAX_POINTS,
            APPLICABLE_POINTS,
            SCORE,
            MAX_SCORE,
            HGDG_SCORE,
            BAND,
            WEIGHT,
            MEAN_SCORE,
            MIN_SCORE,
            MAX_SUBJECT_SCORE,
            MEAN_HGDG_SCORE,
            SHARE_EARNED,
            HAND_TYPED,
            ASSESSED,
            USED,
        ),
        "float64",
    ),
    **dict.fromkeys((ANSWERED, QUESTIONS, ASSESSMENTS, SUBJECTS, C.SOURCE_ROW), "int64"),
    **dict.fromkeys((NOT_APPLICABLE, COMPLETE, LATEST), "bool"),
    C.FISCAL_YEAR: "Int64",
    ASSESSED_ON: "datetime64[ns]",
}

#: Report labels ``name → (Turkish, English)``, read from the translation catalogue (``checklists.label.<name>`` keys of
#: ``gcdb/locale/*/LC_MESSAGES/gcdb.po``).
LABELS: Final = Labels("checklists.label")


def conform(frame: pd.DataFrame | None, columns: tuple[str, ...]) -> pd.DataFrame:
    """``frame`` with exactly ``columns`` in order, cast to :data:`DTYPES` (an empty table when None)."""
    if frame is None:
        frame = pd.DataFrame({name: pd.Series([], dtype=DTYPES.get(name, "object")) for name in columns})
    missing = [name for name in columns if name not in frame.columns]
    if missing:  # a programming error inside gcdb.checklists
        raise KeyError(f"table is missing columns {missing}")
    out = frame.loc[:, list(columns)].reset_index(drop=True)
    casts = {n: DTYPES[n] for n in columns if n in DTYPES and str(out[n].dtype) != DTYPES[n]}
    return out.astype(casts) if casts else out
