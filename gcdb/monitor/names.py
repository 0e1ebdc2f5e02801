"""Names, codes and labels of plan monitoring — the one place that spells them.

Column names shared with the rest of gcdb (``fiscal_year``, ``action_code``, ``area``, ``target_code`` …) come
from :mod:`gcdb.columns`; monitoring-specific ones are defined here. Every table of :mod:`gcdb.monitor` has the
fixed columns of its ``*_COLUMNS`` constant, whether it has rows or not. Money is ``int64`` kuruş.
"""

from __future__ import annotations

from typing import Final

from gcdb import columns as C

# ---------------------------------------------------------------------------------------------------------------
# codes
# ---------------------------------------------------------------------------------------------------------------
NOT_STARTED: Final = "not_started"
IN_PROGRESS: Final = "in_progress"
DONE: Final = "done"
CANCELLED: Final = "cancelled"
#: What a unit may report about an action.
STATUSES: Final = (NOT_STARTED, IN_PROGRESS, DONE, CANCELLED)
#: An action nobody reported on (no return, a blank row, or a row quarantined for errors).
NOT_REPORTED: Final = "not_reported"
STATUS_CODES: Final = (*STATUSES, NOT_REPORTED)

RESPONSIBLE: Final = "responsible"
COOPERATING: Final = "cooperating"
ROLES: Final = (RESPONSIBLE, COOPERATING)

HIGHER_IS_BETTER: Final = "higher_is_better"
LOWER_IS_BETTER: Final = "lower_is_better"
NEUTRAL: Final = "neutral"
DIRECTIONS: Final = (HIGHER_IS_BETTER, LOWER_IS_BETTER, NEUTRAL)

#: Indicator kinds, from the wording of the indicator (see :mod:`gcdb.monitor.kinds`).
COUNT, PERCENTAGE, COMPLETION, CHANGE, RATIO, AMOUNT, AVERAGE, YES_NO = (
    "count",
    "percentage",
    "completion",
    "change",
    "ratio",
    "amount",
    "average",
    "yes_no",
)
COMPOUND, LIST, UNCLASSIFIED = "compound", "list", "unclassified"
INDICATOR_KINDS: Final = (
    COUNT,
    PERCENTAGE,
    COMPLETION,
    CHANGE,
    RATIO,
    AMOUNT,
    AVERAGE,
    YES_NO,
    COMPOUND,
    LIST,
    UNCLASSIFIED,
)
#: Kinds one reported value measures; the others (two measures in one text, a list, no measure) are not
#: computable from collected values.
COMPUTABLE_KINDS: Final = (COUNT, PERCENTAGE, COMPLETION, CHANGE, RATIO, AMOUNT, AVERAGE, YES_NO)

#: Where an indicator's value comes from.
SOURCE_RETURNS: Final = "returns"  # the units' monitoring returns
SOURCE_WORKFORCE: Final = "workforce"  # computed from the municipality's workforce table
SOURCE_NONE: Final = "not_computable"

#: Attainment of an indicator's target.
ACHIEVED, PARTLY, NOT_PROGRESSED, NO_TARGET, NOT_MEASURED, NOT_MEASURABLE = (
    "achieved",
    "partly_achieved",
    "not_progressed",
    "no_target",
    "not_measured",
    "not_measurable",
)
ATTAINMENTS: Final = (ACHIEVED, PARTLY, NOT_PROGRESSED, NO_TARGET, NOT_MEASURED, NOT_MEASURABLE)

#: Money × implementation categories (per budget phase).
FUNDED_DONE, FUNDED_NOT_DONE, DONE_UNFUNDED, UNFUNDED_NOT_DONE = (
    "funded_done",
    "funded_not_done",
    "done_without_budget_line",
    "unfunded_not_done",
)
MONEY_CATEGORIES: Final = (FUNDED_DONE, FUNDED_NOT_DONE, DONE_UNFUNDED, UNFUNDED_NOT_DONE)

# ---------------------------------------------------------------------------------------------------------------
# column names
# ---------------------------------------------------------------------------------------------------------------
UNIT_ID: Final = "unit_id"
ROLE: Final = "role"
TITLE: Final = "title"
PERIOD: Final = "period"
STATUS: Final = "status"
PROGRESS: Final = "progress"  # percent 0–100
DONE_TEXT: Final = "what_was_done"
CANCEL_REASON: Final = "cancel_reason"
SPENT: Final = "spent"  # kuruş
BUDGET_ECONOMIC: Final = "budget_economic_code"
BUDGET_FUNCTIONAL: Final = "budget_functional_code"
BUDGET_LINE: Final = "budget_line_id"
NOTE: Final = "note"
INDICATOR_ID: Final = "indicator_id"
INDICATOR_TEXT: Final = "indicator_text"
VALUE_KIND: Final = "value_kind"
BASELINE: Final = "baseline"
TARGET_VALUE: Final = "target_value"
ACTUAL: Final = "actual"
MEASURE_UNIT: Final = "measure_unit"
SOURCE: Final = "source"
DIRECTION: Final = "direction"
KIND: Final = "kind"
NEEDS_BREAKDOWN: Final = "needs_breakdown"
COMPUTABLE: Final = "computable"
VALUE_SOURCE: Final = "value_source"
LINK_METHOD: Final = "link_method"
LINK_SCORE: Final = "link_score"

SOURCE_FILE: Final = "source_file"
SOURCE_SHEET: Final = "source_sheet"
SPENT_CELL: Final = "spent_cell"
PROGRESS_CELL: Final = "progress_cell"
STATUS_CELL: Final = "status_cell"

UNIT_NAME: Final = C.UNIT_NAME
RETURN_STATUS: Final = "return_status"
ROWS_EXPECTED: Final = "rows_expected"
ROWS_REPORTED: Final = "rows_reported"
ROWS_QUARANTINED: Final = "rows_quarantined"
ROWS_MISSING: Final = "rows_missing"
COMPLETENESS: Final = "completeness"  # fraction of the form's rows reported validly

# return status of a unit
RECEIVED, INCOMPLETE, NOT_RETURNED, REFUSED = "complete", "incomplete", "not_returned", "refused"

# ---------------------------------------------------------------------------------------------------------------
# Turkish / English labels of codes
# ---------------------------------------------------------------------------------------------------------------
LABELS: Final[dict[str, tuple[str, str]]] = {
    NOT_STARTED: ("Başlanmadı", "Not started"),
    IN_PROGRESS: ("Devam ediyor", "In progress"),
    DONE: ("Tamamlandı", "Done"),
    CANCELLED: ("İptal edildi", "Cancelled"),
    NOT_REPORTED: ("Bildirilmedi", "Not reported"),
    RESPONSIBLE: ("Sorumlu Birim", "Responsible unit"),
    COOPERATING: ("İşbirliği Birimi", "Cooperating unit"),
    HIGHER_IS_BETTER: ("Artması iyi", "Higher is better"),
    LOWER_IS_BETTER: ("Azalması iyi", "Lower is better"),
    NEUTRAL: ("Yönsüz", "Neutral"),
    COUNT: ("Sayı", "Count"),
    PERCENTAGE: ("Yüzde / oran", "Percentage"),
    COMPLETION: ("Tamamlanma oranı", "Completion rate"),
    CHANGE: ("Değişim oranı", "Rate of change"),
    RATIO: ("Oran (bölüm)", "Ratio"),
    AMOUNT: ("Miktar / tutar", "Amount"),
    AVERAGE: ("Ortalama / süre", "Average or duration"),
    YES_NO: ("Evet / Hayır", "Yes / no"),
    COMPOUND: ("Birden çok ölçü", "Several measures"),
    LIST: ("Liste", "List"),
    UNCLASSIFIED: ("Ölçü belirsiz", "No clear measure"),
    ACHIEVED: ("Hedefe ulaşıldı", "Target achieved"),
    PARTLY: ("Kısmen ulaşıldı", "Partly achieved"),
    NOT_PROGRESSED: ("İlerleme yok", "No progress"),
    NO_TARGET: ("Hedef yok", "No target"),
    NOT_MEASURED: ("Değer bildirilmedi", "Not measured"),
    NOT_MEASURABLE: ("Ölçülemez", "Not measurable"),
    FUNDED_DONE: ("Ödeneği var, tamamlandı", "Funded and done"),
    FUNDED_NOT_DONE: ("Ödeneği var, tamamlanmadı", "Funded, not done"),
    DONE_UNFUNDED: ("Bütçe kalemi olmadan tamamlandı", "Done without a budget line"),
    UNFUNDED_NOT_DONE: ("Ödeneği yok, tamamlanmadı", "Not funded, not done"),
    RECEIVED: ("Tam", "Complete"),
    INCOMPLETE: ("Eksik", "Incomplete"),
    NOT_RETURNED: ("Gönderilmedi", "Not returned"),
    REFUSED: ("Okunamadı", "Refused"),
    SOURCE_RETURNS: ("Birim raporları", "Unit returns"),
    SOURCE_WORKFORCE: ("Personel tablosu", "Workforce table"),
    SOURCE_NONE: ("Hesaplanamaz", "Not computable"),
}


def label(code: str, lang: str = "tr") -> str:
    """Turkish (or English) label of a monitoring code; the code itself when it has none."""
    if lang not in ("tr", "en"):
        raise ValueError(f"lang must be 'tr' or 'en', got {lang!r}")
    pair = LABELS.get(code)
    return code if pair is None else pair[0 if lang == "tr" else 1]
