"""The equality-plan catalogue format: a directory of CSV files plus ``meta.yaml``.

A *Yerel Eşitlik Eylem Planı* (local equality action plan, YEEP) has priority areas (*Amaç*), targets (*Hedef*)
inside each area and actions (*Eylem*) inside each target, coded ``A{area}H{target}E{action}`` (``A7H1E2``).
Each action names an estimated start and end, one responsible unit (*Sorumlu Birim*), cooperating units
(*İşbirliği Birim*) and external stakeholders (*İşbirliği Paydaş*). Each area lists indicators (*Gösterge*).
Any municipality's plan in this shape is a catalogue; nothing here is specific to İstanbul.

Files (UTF-8, comma separated, header row; an empty cell is a missing value):

==========================  ===========================================================================
``meta.yaml``               plan name, municipality, first and last plan year, source, schema version,
                            the years that non-year date kinds stand for, where the reference lists are
``areas.csv``               one row per priority area
``targets.csv``             one row per target
``actions.csv``             one row per action
``action_units.csv``        long: one row per (action, unit) link, ``role`` responsible / cooperating
``action_stakeholders.csv`` long: one row per (action, stakeholder) link
``indicators.csv``          one row per indicator
``corrections.csv``         one row per decision taken where the source text is anomalous (optional)
``units.csv``               the municipality's organisational units (reference list)
``unit_aliases.csv``        other spellings of unit names (optional)
``stakeholders.csv``        external stakeholders (reference list)
``stakeholder_aliases.csv`` other spellings of stakeholder names (optional)
==========================  ===========================================================================

The four reference files are looked up in the plan directory first, then at the paths ``meta.yaml`` names under
``reference:`` (relative to the plan directory).

Dates. ``est_start`` / ``est_end`` are always integer years, never missing. ``*_kind`` says what the plan wrote:
``year`` (a calendar year, copied), ``routine`` (*Rutin*, recurring: the plan's first year for a start, its last
year for an end) or ``pandemic`` (*Pandemi Süresince*, for the duration of the pandemic: the window
``meta.yaml`` gives under ``date_kinds``). ``*_text`` keeps the words as printed.

Action codes. ``action_code`` is the key. It is the code as printed, except where a plan prints the same code for
two different actions: the second one gets the suffix ``-2`` (``A11H3E1-2``); ``printed_code`` always keeps the
printed code. ``area`` and ``target_code`` say which table the action sits in; they normally agree with the
code's prefix, and where they do not, ``corrections.csv`` says why.

This module holds the column names (constants), the controlled vocabularies, the pandera schemas of every file
and the pydantic model of ``meta.yaml``. :mod:`gcdb.catalogue.load` applies them.
"""

from __future__ import annotations

import re
from typing import Final

import pandera.pandas as pa
from pydantic import BaseModel, ConfigDict, Field, model_validator

from gcdb import columns as C
from gcdb.i18n import t

SCHEMA_VERSION: Final = "1.0"

# ---------------------------------------------------------------------------------------------------------------
# File names
# ---------------------------------------------------------------------------------------------------------------
META_FILE: Final = "meta.yaml"
AREAS_FILE: Final = "areas.csv"
TARGETS_FILE: Final = "targets.csv"
ACTIONS_FILE: Final = "actions.csv"
ACTION_UNITS_FILE: Final = "action_units.csv"
ACTION_STAKEHOLDERS_FILE: Final = "action_stakeholders.csv"
INDICATORS_FILE: Final = "indicators.csv"
CORRECTIONS_FILE: Final = "corrections.csv"
UNITS_FILE: Final = "units.csv"
UNIT_ALIASES_FILE: Final = "unit_aliases.csv"
STAKEHOLDERS_FILE: Final = "stakeholders.csv"
STAKEHOLDER_ALIASES_FILE: Final = "stakeholder_aliases.csv"

PLAN_FILES: Final = (
    AREAS_FILE,
    TARGETS_FILE,
    ACTIONS_FILE,
    ACTION_UNITS_FILE,
    ACTION_STAKEHOLDERS_FILE,
    INDICATORS_FILE,
    CORRECTIONS_FILE,
)
REFERENCE_FILES: Final = (UNITS_FILE, UNIT_ALIASES_FILE, STAKEHOLDERS_FILE, STAKEHOLDER_ALIASES_FILE)
OPTIONAL_FILES: Final = (CORRECTIONS_FILE, UNIT_ALIASES_FILE, STAKEHOLDER_ALIASES_FILE)

# ---------------------------------------------------------------------------------------------------------------
# Column names (those shared with the rest of gcdb come from gcdb.columns)
# ---------------------------------------------------------------------------------------------------------------
ACTION_CODE: Final = C.ACTION_CODE
AREA: Final = C.AREA
TARGET_CODE: Final = C.TARGET_CODE

NAME: Final = "name"
GOAL: Final = "goal"
SOURCE_LINE: Final = "source_line"  # 1-based line of the source text the row was read from
TARGET: Final = "target"  # target number inside the area (the n of AxHn)
TITLE: Final = "title"
PRINTED_CODE: Final = "printed_code"
ACTION: Final = "action"  # action number inside the target (the n of AxHyEn)
EST_START: Final = "est_start"
EST_START_KIND: Final = "est_start_kind"
EST_START_TEXT: Final = "est_start_text"
EST_END: Final = "est_end"
EST_END_KIND: Final = "est_end_kind"
EST_END_TEXT: Final = "est_end_text"
RESPONSIBLE_MISSING: Final = "responsible_missing"
ROLE: Final = "role"
POSITION: Final = "position"
UNIT_ID: Final = "unit_id"
STAKEHOLDER_ID: Final = "stakeholder_id"
NAME_IN_PLAN: Final = "name_in_plan"
INDICATOR_ID: Final = "indicator_id"
NUMBER: Final = "number"
TEXT: Final = "text"
KIND: Final = "kind"
DIMENSIONS: Final = "dimensions"
CORRECTION_ID: Final = "correction_id"
SUBJECT: Final = "subject"
TEXT_SAYS: Final = "text_says"
DATASET_RECORDS: Final = "dataset_records"
REASON: Final = "reason"
SHORT_NAME: Final = "short_name"
PARENT_UNIT_ID: Final = "parent_unit_id"
ALIAS: Final = "alias"
ALIAS_KIND: Final = "alias_kind"
NOTE: Final = "note"

AREAS_COLUMNS: Final = (AREA, NAME, GOAL, SOURCE_LINE)
TARGETS_COLUMNS: Final = (TARGET_CODE, AREA, TARGET, TITLE, SOURCE_LINE)
ACTIONS_COLUMNS: Final = (
    ACTION_CODE,
    PRINTED_CODE,
    AREA,
    TARGET_CODE,
    ACTION,
    TITLE,
    EST_START,
    EST_START_KIND,
    EST_START_TEXT,
    EST_END,
    EST_END_KIND,
    EST_END_TEXT,
    RESPONSIBLE_MISSING,
    SOURCE_LINE,
)
ACTION_UNITS_COLUMNS: Final = (ACTION_CODE, ROLE, POSITION, UNIT_ID, NAME_IN_PLAN)
ACTION_STAKEHOLDERS_COLUMNS: Final = (ACTION_CODE, POSITION, STAKEHOLDER_ID, NAME_IN_PLAN)
INDICATORS_COLUMNS: Final = (INDICATOR_ID, AREA, NUMBER, TEXT, KIND, DIMENSIONS, SOURCE_LINE)
CORRECTIONS_COLUMNS: Final = (CORRECTION_ID, KIND, SOURCE_LINE, SUBJECT, TEXT_SAYS, DATASET_RECORDS, REASON)
UNITS_COLUMNS: Final = (UNIT_ID, NAME, SHORT_NAME, KIND, PARENT_UNIT_ID)
UNIT_ALIASES_COLUMNS: Final = (ALIAS, UNIT_ID, ALIAS_KIND, NOTE)
STAKEHOLDERS_COLUMNS: Final = (STAKEHOLDER_ID, NAME, SHORT_NAME, KIND)
STAKEHOLDER_ALIASES_COLUMNS: Final = (ALIAS, STAKEHOLDER_ID, ALIAS_KIND, NOTE)

COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    AREAS_FILE: AREAS_COLUMNS,
    TARGETS_FILE: TARGETS_COLUMNS,
    ACTIONS_FILE: ACTIONS_COLUMNS,
    ACTION_UNITS_FILE: ACTION_UNITS_COLUMNS,
    ACTION_STAKEHOLDERS_FILE: ACTION_STAKEHOLDERS_COLUMNS,
    INDICATORS_FILE: INDICATORS_COLUMNS,
    CORRECTIONS_FILE: CORRECTIONS_COLUMNS,
    UNITS_FILE: UNITS_COLUMNS,
    UNIT_ALIASES_FILE: UNIT_ALIASES_COLUMNS,
    STAKEHOLDERS_FILE: STAKEHOLDERS_COLUMNS,
    STAKEHOLDER_ALIASES_FILE: STAKEHOLDER_ALIASES_COLUMNS,
}

# ---------------------------------------------------------------------------------------------------------------
# Controlled vocabularies
# ---------------------------------------------------------------------------------------------------------------
YEAR: Final = "year"
ROUTINE: Final = "routine"
PANDEMIC: Final = "pandemic"
#: What an estimated start/end cell says: a calendar year, *Rutin* (recurring), *Pandemi Süresince*.
DATE_KINDS: Final = (YEAR, ROUTINE, PANDEMIC)

RESPONSIBLE: Final = "responsible"
COOPERATING: Final = "cooperating"
ROLES: Final = (RESPONSIBLE, COOPERATING)

#: Indicator kinds (see the classification rules in the dataset README): a number of things or people, a
#: ratio/percentage, the completion rate of a deliverable, a one-off milestone, anything else (lists …).
INDICATOR_KINDS: Final = ("count", "ratio", "completion", "milestone", "other")

#: Disaggregation dimensions an indicator's wording names; ``dimensions`` joins them with ``|`` in this order.
DIMENSION_VALUES: Final = (
    "sex",
    "age",
    "disability",
    "migrant",
    "ethnicity",
    "sexual_orientation",
    "gender_identity",
    "neighbourhood",
    "district",
    "rural",
    "unit",
)
DIMENSION_SEPARATOR: Final = "|"
#: The pandera check error of the indicators' ``dimensions`` (the loader reports it as ``catalogue.dimensions``).
DIMENSIONS_CHECK: Final = f"dimensions must be {DIMENSION_SEPARATOR!r}-separated values of {DIMENSION_VALUES}"

UNIT_KINDS: Final = ("department", "directorate", "subsidiary", "other")
STAKEHOLDER_KINDS: Final = (
    "ngo",
    "women_org",
    "cooperative",
    "social_enterprise",
    "university",
    "professional_body",
    "union",
    "private_sector",
    "media",
    "international",
    "neighbourhood",
    "district_municipality",
    "civic_council",
    "ibb_affiliate",
    "public_agency",
    "other",
)
#: How an alias relates to the canonical name: the name itself spelled otherwise (name), an abbreviation
#: ("DB" for Daire Başkanlığı), a spelling variant, a typo, a former official name, or a judgement call that the
#: dataset README lists.
ALIAS_KINDS: Final = ("name", "abbreviation", "variant", "typo", "former_name", "judgement")

#: Kinds of correction rows. Each row is one decision where the source text is anomalous.
CORRECTION_KINDS: Final = (
    "repeated_table_page",  # a table row printed again on a repeated page: dropped, first copy kept
    "repeated_row",  # a single row printed again elsewhere: dropped, first copy kept
    "code_reused",  # one printed code for two different actions: both kept, the second suffixed
    "code_outside_table",  # the code's prefix names another area/target than the table it sits in
    "numbering_gap",  # an action or target number the plan skips: kept as a gap
    "responsible_missing",  # blank responsible cell: kept blank, responsible_missing = true
    "duplicate_name_in_row",  # a unit or stakeholder named twice in one row: linked once
    "compound_name_split",  # one printed name standing for two reference entries
    "name_resolved_by_judgement",  # a printed name linked to a reference entry by judgement (alias_kind)
    "unresolved_name",  # a printed name that matches no reference entry: kept with an empty id
    "page_number_removed",  # a page number the extraction put inside a cell
    "duplicate_indicator",  # the same indicator text twice in one area's list: both kept
)

ACTION_CODE_PATTERN: Final = r"A(?P<area>[1-9]\d*)H(?P<target>[1-9]\d*)E(?P<action>[1-9]\d*)"
ACTION_KEY_RE: Final = re.compile(rf"^{ACTION_CODE_PATTERN}(?:-(?P<variant>[2-9]))?$")
PRINTED_CODE_RE: Final = re.compile(rf"^{ACTION_CODE_PATTERN}$")
TARGET_CODE_RE: Final = re.compile(r"^A(?P<area>[1-9]\d*)H(?P<target>[1-9]\d*)$")
INDICATOR_ID_RE: Final = re.compile(r"^A(?P<area>[1-9]\d*)-G(?P<number>[1-9]\d*)$")
ID_RE: Final = r"^[a-z0-9]+(?:_[a-z0-9]+)*$"
ID_PATTERN: Final = re.compile(ID_RE)
YEAR_MIN, YEAR_MAX = 1990, 2100


# ---------------------------------------------------------------------------------------------------------------
# pandera schemas
# ---------------------------------------------------------------------------------------------------------------
def _text(nullable: bool = False, pattern: re.Pattern | None = None) -> pa.Column:
    """A text column; the loader turns blank cells into missing values, so ``nullable=False`` means non-blank."""
    checks = [pa.Check.str_matches(pattern.pattern)] if pattern is not None else []
    return pa.Column("str", checks=checks, nullable=nullable)


def _one_of(values, nullable: bool = False) -> pa.Column:
    return pa.Column("str", checks=pa.Check.isin(list(values)), nullable=nullable)


def _positive_int() -> pa.Column:
    return pa.Column("int64", checks=pa.Check.ge(1))


def _year() -> pa.Column:
    return pa.Column("int64", checks=pa.Check.in_range(YEAR_MIN, YEAR_MAX))


def _source_line() -> pa.Column:
    return pa.Column("Int64", checks=pa.Check.ge(1), nullable=True)


def _schema(name: str, columns: dict[str, pa.Column], unique: list[str] | None = None) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(columns, name=name, strict=True, ordered=True, unique=unique, coerce=True)


AREAS_SCHEMA: Final = _schema(
    AREAS_FILE,
    {AREA: _positive_int(), NAME: _text(), GOAL: _text(nullable=True), SOURCE_LINE: _source_line()},
    unique=[AREA],
)
TARGETS_SCHEMA: Final = _schema(
    TARGETS_FILE,
    {
        TARGET_CODE: _text(),
        AREA: _positive_int(),
        TARGET: _positive_int(),
        TITLE: _text(),
        SOURCE_LINE: _source_line(),
    },
    unique=[TARGET_CODE],
)
ACTIONS_SCHEMA: Final = _schema(
    ACTIONS_FILE,
    {
        ACTION_CODE: _text(),
        PRINTED_CODE: _text(),
        AREA: _positive_int(),
        TARGET_CODE: _text(),
        ACTION: _positive_int(),
        TITLE: _text(),
        EST_START: _year(),
        EST_START_KIND: _one_of(DATE_KINDS),
        EST_START_TEXT: _text(),
        EST_END: _year(),
        EST_END_KIND: _one_of(DATE_KINDS),
        EST_END_TEXT: _text(),
        RESPONSIBLE_MISSING: pa.Column("bool"),
        SOURCE_LINE: _source_line(),
    },
    unique=[ACTION_CODE],
)
ACTION_UNITS_SCHEMA: Final = _schema(
    ACTION_UNITS_FILE,
    {
        ACTION_CODE: _text(),
        ROLE: _one_of(ROLES),
        POSITION: _positive_int(),
        UNIT_ID: _text(nullable=True),
        NAME_IN_PLAN: _text(),
    },
    unique=[ACTION_CODE, POSITION],
)
ACTION_STAKEHOLDERS_SCHEMA: Final = _schema(
    ACTION_STAKEHOLDERS_FILE,
    {
        ACTION_CODE: _text(),
        POSITION: _positive_int(),
        STAKEHOLDER_ID: _text(nullable=True),
        NAME_IN_PLAN: _text(),
    },
    unique=[ACTION_CODE, POSITION],
)
INDICATORS_SCHEMA: Final = _schema(
    INDICATORS_FILE,
    {
        INDICATOR_ID: _text(),
        AREA: _positive_int(),
        NUMBER: _positive_int(),
        TEXT: _text(),
        KIND: _one_of(INDICATOR_KINDS),
        DIMENSIONS: pa.Column(
            "str",
            nullable=True,
            checks=pa.Check(
                lambda s: s.str.split(DIMENSION_SEPARATOR).map(
                    lambda parts: set(parts) <= set(DIMENSION_VALUES)
                ),
                element_wise=False,
                error=DIMENSIONS_CHECK,
            ),
        ),
        SOURCE_LINE: _source_line(),
    },
    unique=[INDICATOR_ID],
)
CORRECTIONS_SCHEMA: Final = _schema(
    CORRECTIONS_FILE,
    {
        CORRECTION_ID: _text(),
        KIND: _one_of(CORRECTION_KINDS),
        SOURCE_LINE: _source_line(),
        SUBJECT: _text(),
        TEXT_SAYS: _text(nullable=True),
        DATASET_RECORDS: _text(),
        REASON: _text(),
    },
    unique=[CORRECTION_ID],
)
UNITS_SCHEMA: Final = _schema(
    UNITS_FILE,
    {
        UNIT_ID: _text(pattern=ID_PATTERN),
        NAME: _text(),
        SHORT_NAME: _text(nullable=True),
        KIND: _one_of(UNIT_KINDS),
        PARENT_UNIT_ID: _text(nullable=True),
    },
    unique=[UNIT_ID],
)
UNIT_ALIASES_SCHEMA: Final = _schema(
    UNIT_ALIASES_FILE,
    {ALIAS: _text(), UNIT_ID: _text(), ALIAS_KIND: _one_of(ALIAS_KINDS), NOTE: _text(nullable=True)},
    unique=[ALIAS],
)
STAKEHOLDERS_SCHEMA: Final = _schema(
    STAKEHOLDERS_FILE,
    {
        STAKEHOLDER_ID: _text(pattern=ID_PATTERN),
        NAME: _text(),
        SHORT_NAME: _text(nullable=True),
        KIND: _one_of(STAKEHOLDER_KINDS),
    },
    unique=[STAKEHOLDER_ID],
)
STAKEHOLDER_ALIASES_SCHEMA: Final = _schema(
    STAKEHOLDER_ALIASES_FILE,
    {ALIAS: _text(), STAKEHOLDER_ID: _text(), ALIAS_KIND: _one_of(ALIAS_KINDS), NOTE: _text(nullable=True)},
    unique=[ALIAS],
)

SCHEMAS: Final[dict[str, pa.DataFrameSchema]] = {
    AREAS_FILE: AREAS_SCHEMA,
    TARGETS_FILE: TARGETS_SCHEMA,
    ACTIONS_FILE: ACTIONS_SCHEMA,
    ACTION_UNITS_FILE: ACTION_UNITS_SCHEMA,
    ACTION_STAKEHOLDERS_FILE: ACTION_STAKEHOLDERS_SCHEMA,
    INDICATORS_FILE: INDICATORS_SCHEMA,
    CORRECTIONS_FILE: CORRECTIONS_SCHEMA,
    UNITS_FILE: UNITS_SCHEMA,
    UNIT_ALIASES_FILE: UNIT_ALIASES_SCHEMA,
    STAKEHOLDERS_FILE: STAKEHOLDERS_SCHEMA,
    STAKEHOLDER_ALIASES_FILE: STAKEHOLDER_ALIASES_SCHEMA,
}


# ---------------------------------------------------------------------------------------------------------------
# meta.yaml
# ---------------------------------------------------------------------------------------------------------------
class DateWindow(BaseModel):
    """The years a non-year date kind stands for: ``start`` when it is printed as a start, ``end`` as an end."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    start: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    end: int = Field(ge=YEAR_MIN, le=YEAR_MAX)

    @model_validator(mode="after")
    def _ordered(self) -> DateWindow:
        if self.end < self.start:
            raise ValueError(t("catalogue.window_order", end=self.end, start=self.start))
        return self


class SourceDocument(BaseModel):
    """The document the catalogue was read from."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str
    publisher: str
    file: str | None = None
    note: str | None = None


class ReferencePaths(BaseModel):
    """Paths (relative to the plan directory) of reference files that are not in the plan directory itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    units: str | None = None
    unit_aliases: str | None = None
    stakeholders: str | None = None
    stakeholder_aliases: str | None = None


class CodePatterns(BaseModel):
    """Regular expressions the plan's codes follow (``meta.yaml`` ``codes:``). Without them gcdb infers the
    style: the YEEP style (``A7H1``, ``A7H1E2``, ``A7-G3``) when most codes have it, else any code without
    blanks. A pattern is matched against the whole code."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    target: str | None = None
    action: str | None = None
    indicator: str | None = None

    @model_validator(mode="after")
    def _compiles(self) -> CodePatterns:
        for name in ("target", "action", "indicator"):
            value = getattr(self, name)
            if value is not None:
                try:
                    re.compile(value)
                except re.error as exc:
                    raise ValueError(t("catalogue.codes_regex", name=name, error=str(exc))) from None
        return self


class PlanMeta(BaseModel):
    """Contents of ``meta.yaml``. Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: str
    plan_id: str = Field(pattern=ID_RE)
    plan_name: str
    municipality: str
    first_year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    last_year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    language: str = "tr"
    source: SourceDocument
    date_kinds: dict[str, DateWindow] = Field(default_factory=dict)
    reference: ReferencePaths = Field(default_factory=ReferencePaths)
    codes: CodePatterns | None = None

    @model_validator(mode="after")
    def _check(self) -> PlanMeta:
        if self.schema_version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
            raise ValueError(
                t(
                    "catalogue.schema_version",
                    version=repr(self.schema_version),
                    supported=repr(SCHEMA_VERSION),
                )
            )
        if self.last_year < self.first_year:
            raise ValueError(t("catalogue.years_order", last=self.last_year, first=self.first_year))
        unknown = sorted(set(self.date_kinds) - (set(DATE_KINDS) - {YEAR}))
        if unknown:
            raise ValueError(
                t(
                    "catalogue.date_kinds",
                    unknown=str(unknown),
                    known=str([k for k in DATE_KINDS if k != YEAR]),
                )
            )
        return self

    def window(self, kind: str) -> DateWindow:
        """Years a date kind stands for; ``routine`` defaults to the whole plan period."""
        if kind in self.date_kinds:
            return self.date_kinds[kind]
        if kind == ROUTINE:
            return DateWindow(start=self.first_year, end=self.last_year)
        raise KeyError(kind)
