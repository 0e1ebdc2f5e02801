"""Names, dtypes and labels of the costing tables — the one place that spells them.

A *costing line* (maliyet satırı) says what one action of the equality plan will cost: what (``item``), how
many (``quantity`` of a ``measure``), at what unit cost, in which years, under which budget codes (institutional,
functional, financing, economic), and which share of it serves gender equality under each weighting scheme
(``category_<scheme>``, ``declared_share``). Money is ``int64`` kuruş throughout.

Shared names (``fiscal_year``, ``action_code``, ``economic_code`` …) come from :mod:`gcdb.columns`; the
plan-year columns from :mod:`gcdb.budget.names`; the scheme columns from :mod:`gcdb.schemes`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import pandas as pd

from gcdb import columns as C
from gcdb.budget import names as BN
from gcdb.i18n import Labels
from gcdb.schemes import DECLARED_SHARE, category_column

# ---------------------------------------------------------------------------------------------------------------
# costing lines (input)
# ---------------------------------------------------------------------------------------------------------------
COST_LINE_ID: Final = "cost_line_id"
ITEM: Final = "item"  # what is bought or paid for
MEASURE: Final = "measure"  # unit of the quantity (kişi-ay, adet, m²)
UNIT_COST: Final = "unit_cost"  # kuruş per measure
YEAR_FROM: Final = BN.YEAR_FROM
YEAR_TO: Final = BN.YEAR_TO
NOTE: Final = "note"
AMOUNT: Final = "amount"  # quantity × unit cost, kuruş, per fiscal year

EU_CPR: Final = category_column("eu_cpr")
PH_HGDG: Final = category_column("ph_hgdg")
OECD_DAC: Final = category_column("oecd_dac")
INDIA_GBS: Final = category_column("india_gbs")
#: Scheme category columns a costing line may carry (EU CPR is required: it is the default scheme).
CATEGORY_COLUMNS: Final = (EU_CPR, PH_HGDG, OECD_DAC, INDIA_GBS)
DEFAULT_SCHEME: Final = "eu_cpr"

#: Columns a costing table must have.
COSTING_REQUIRED: Final = (
    COST_LINE_ID,
    C.ACTION_CODE,
    C.UNIT_NAME,
    C.INSTITUTIONAL_CODE,
    ITEM,
    C.QUANTITY,
    UNIT_COST,
    YEAR_FROM,
    C.FUNCTIONAL_CODE,
    C.FINANCING_TYPE,
    C.ECONOMIC_CODE,
    EU_CPR,
)
#: Columns a costing table may have.
COSTING_OPTIONAL: Final = (
    MEASURE,
    YEAR_TO,
    C.DESCRIPTION,
    C.ACTIVITY_CODE,
    PH_HGDG,
    OECD_DAC,
    INDIA_GBS,
    DECLARED_SHARE,
    NOTE,
)

#: The validated costing: one row per costing line and fiscal year (a line for 2024–2025 gives two rows).
COSTING_COLUMNS: Final = (
    C.FISCAL_YEAR,
    COST_LINE_ID,
    C.ACTION_CODE,
    C.AREA,
    C.TARGET_CODE,
    C.UNIT_NAME,
    C.INSTITUTIONAL_CODE,
    C.FUNCTIONAL_CODE,
    C.FINANCING_TYPE,
    C.ECONOMIC_CODE,
    C.ACTIVITY_CODE,
    C.DESCRIPTION,
    ITEM,
    MEASURE,
    C.QUANTITY,
    UNIT_COST,
    AMOUNT,
    *CATEGORY_COLUMNS,
    DECLARED_SHARE,
    NOTE,
    C.SOURCE_ROW,
)

# ---------------------------------------------------------------------------------------------------------------
# totals, proposals, comparison
# ---------------------------------------------------------------------------------------------------------------
LEVEL: Final = "level"  # line | action | target | area | unit | total
KEY: Final = "key"  # the proposed line id(s) / action / target / area / institutional code, "" for the total
SCHEME: Final = C.SCHEME
COSTED: Final = "costed"
COUNTED: Final = "counted"  # the part of the costed amount the scheme counts (largest remainder per line)
SHARE_COUNTED: Final = "share_counted"
COST_LINES: Final = "cost_lines"
CATEGORISED: Final = "categorised"  # costed amount of the lines that carry a category under the scheme


class Level(StrEnum):
    """Levels of the totals and of the comparison (``line``: a proposed budget line, comparison only)."""

    LINE = "line"
    ACTION = "action"
    TARGET = "target"
    AREA = "area"
    UNIT = "unit"
    TOTAL = "total"


PROPOSAL_ID: Final = "proposal_id"  # id of a proposed budget line, stable for a (key, action, description)
PROPOSAL_PREFIX: Final = "T"  # line ids of proposals: "T2024-0001" (teklif)

APPROPRIATED: Final = "appropriated"  # shorthand in notes; the tables use the three phases
GAP: Final = "gap"  # costed − initial appropriation, kuruş
APPROPRIATION_RATE: Final = "appropriation_rate"  # initial ÷ costed
REVISION_RATE: Final = "revision_rate"  # revised ÷ initial
EXECUTION_RATE: Final = "execution_rate"  # expenditure ÷ revised
STATUS: Final = "status"
TAGGED_LINES: Final = BN.TAGGED_LINES


class Status(StrEnum):
    """What happened to a costed action (or a plan action) in one fiscal year, phase by phase."""

    FUNDED = "funded"  # appropriated, kept and spent
    NOT_APPROPRIATED = "not_appropriated"  # costed, but no initial appropriation and none added in the year
    ADDED_IN_YEAR = "added_in_year"  # no initial appropriation, money added by revision
    CUT = "cut"  # revised appropriation below the initial one by more than the threshold, not to zero
    UNDER_APPROPRIATED = (
        "under_appropriated"  # initial appropriation below the costed amount by more than the threshold
    )
    CUT_TO_ZERO = "cut_to_zero"  # initial appropriation revised to zero
    NOT_SPENT = "not_spent"  # revised appropriation > 0, no expenditure
    NOT_COSTED = "not_costed"  # budget money for an action nobody costed that year


#: Costing totals: one row per level × key × fiscal year × scheme.
TOTALS_COLUMNS: Final = (
    C.FISCAL_YEAR,
    LEVEL,
    KEY,
    C.UNIT_NAME,
    SCHEME,
    COST_LINES,
    COSTED,
    CATEGORISED,
    COUNTED,
    SHARE_COUNTED,
)

#: Costed vs appropriated vs executed: one row per level × key × fiscal year (and ``fiscal_year`` NA = all years).
COMPARISON_COLUMNS: Final = (
    LEVEL,
    KEY,
    C.FISCAL_YEAR,
    C.UNIT_NAME,
    COST_LINES,
    TAGGED_LINES,
    COSTED,
    *C.PHASES,
    GAP,
    APPROPRIATION_RATE,
    REVISION_RATE,
    EXECUTION_RATE,
    STATUS,
)

_MONEY = (AMOUNT, UNIT_COST, COSTED, CATEGORISED, COUNTED, GAP, *C.PHASES)
_FLOAT = (C.QUANTITY, DECLARED_SHARE, SHARE_COUNTED, APPROPRIATION_RATE, REVISION_RATE, EXECUTION_RATE)
_TEXT = (
    COST_LINE_ID,
    C.ACTION_CODE,
    C.TARGET_CODE,
    C.UNIT_NAME,
    C.INSTITUTIONAL_CODE,
    C.FUNCTIONAL_CODE,
    C.FINANCING_TYPE,
    C.ECONOMIC_CODE,
    C.ACTIVITY_CODE,
    C.DESCRIPTION,
    ITEM,
    MEASURE,
    *CATEGORY_COLUMNS,
    NOTE,
    LEVEL,
    KEY,
    SCHEME,
    STATUS,
    PROPOSAL_ID,
    C.LINE_ID,
)
DTYPES: Final[dict[str, str]] = {
    **dict.fromkeys(_MONEY, "int64"),
    **dict.fromkeys(_FLOAT, "float64"),
    **dict.fromkeys(_TEXT, "str"),
    C.FISCAL_YEAR: "Int64",
    C.AREA: "Int64",
    C.SOURCE_ROW: "int64",
    COST_LINES: "int64",
    TAGGED_LINES: "int64",
}

# ---------------------------------------------------------------------------------------------------------------
# Report labels (Turkish, English): in the translation catalogue
# ---------------------------------------------------------------------------------------------------------------
#: Report labels ``name → (Turkish, English)``, read from the translation catalogue (``costing.label.<name>`` keys of
#: ``gcdb/locale/*/LC_MESSAGES/gcdb.po``).
LABELS: Final = Labels("costing.label")


def label(name: str, lang: str = "tr") -> str:
    """Report label of a costing name, status or level (falls back to :func:`gcdb.columns.label`)."""
    pair = LABELS.get(name)
    if pair is None:
        return C.label(name, lang)
    if lang not in ("tr", "en"):
        raise ValueError(f"lang must be 'tr' or 'en', got {lang!r}")
    return pair[0] if lang == "tr" else pair[1]


def conform(frame: pd.DataFrame | None, columns: tuple[str, ...]) -> pd.DataFrame:
    """``frame`` with exactly ``columns`` in order, cast to :data:`DTYPES` (an empty table when None)."""
    if frame is None:
        frame = pd.DataFrame({name: pd.Series([], dtype=DTYPES.get(name, "object")) for name in columns})
    missing = [name for name in columns if name not in frame.columns]
    if missing:  # a programming error inside gcdb.costing
        raise KeyError(f"table is missing columns {missing}")
    out = frame.loc[:, list(columns)].reset_index(drop=True)
    casts = {n: DTYPES[n] for n in columns if n in DTYPES and str(out[n].dtype) != DTYPES[n]}
    return out.astype(casts) if casts else out
