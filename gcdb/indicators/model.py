"""The plan-indicator definition format as pydantic models: the specification (``extra="forbid"`` everywhere).

A definition file is YAML (``rules/indicators_ibb_demo.yaml`` is the shipped example)::

    name: İBB YEEP 2021–2024 göstergeleri (demo)
    version: "2024.1"
    plan: yeep_ibb_2021_2024
    indicators:
      - id: mek-kadin-payi
        indicator: A14-G9                 # the catalogue row (Catalogue.load().indicators.indicator_id)
        title_tr: Meslek edindirme kurslarına katılanlar içinde kadınların payı
        title_en: Share of women among vocational course participants
        kind: ratio                       # count | ratio
        measure: users                    # users (distinct person_id) | uses (records) | quantity (sum)
        numerator:
          all:
            - {column: service_code, equals: MEK}
            - {column: sex, equals: female}
        denominator: {column: service_code, equals: MEK}
        by: [age_band, district]          # one breakdown per item; a list item crosses dimensions
        unit: percent                     # count | percent | per_1000
        direction: higher_is_better       # higher_is_better | lower_is_better | neutral
        reference: "YEEP 2021–2024, Amaç 14, gösterge 9"

Three shapes:

* ``kind: count`` — ``filter``: the records counted; ``unit: count``.
* ``kind: ratio`` with ``numerator`` and ``denominator`` — two counts of usage records, each with its own
  condition (a share when the numerator's records are a subset of the denominator's); ``unit: percent`` or
  ``per_1000``.
* ``kind: ratio`` with ``numerator`` and ``population`` — the count per resident of the population baseline
  (``population.filter`` selects the residents, ``population.column`` the count column); ``unit: per_1000`` or
  ``percent``.

Conditions use the rule engine's vocabulary, restricted to what indicators need: ``all`` / ``any`` / ``not`` over
predicates ``{column, equals | in | between | missing}``. Predicates are false on missing values except
``missing: true``; ``not`` holds on a missing value.

These models check what one definition can check about itself. Checks that need context — ids unique, the
catalogue indicator exists, columns and category codes are known, service codes exist — live in
:mod:`gcdb.indicators.load`, which turns every problem into a :class:`gcdb.errors.RuleError` naming the file,
the line and the definition id. Every model remembers the YAML line it came from (``line``, ``line_of(key)``).
Execution lives in :mod:`gcdb.indicators.compute`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, PrivateAttr, Tag, model_validator

from gcdb import columns as C
from gcdb.i18n import t

#: A YAML scalar a predicate compares with. ``bool`` first so ``true`` stays a bool.
Scalar = bool | int | float | str

#: Predicate operators (exactly one per predicate).
OPERATORS: Final = ("equals", "in", "between", "missing")

#: Breakdown dimensions (``by``), in the order the output table lists them.
DIMENSIONS: Final = (C.SEX, C.AGE_BAND, C.DISABILITY, C.MIGRANT_STATUS, C.DISTRICT, C.NEIGHBOURHOOD)
#: A dimension that only makes sense inside its parent: neighbourhood names repeat across districts, so a
#: breakdown by neighbourhood is always a breakdown by (district, neighbourhood).
NESTED_IN: Final = {C.NEIGHBOURHOOD: C.DISTRICT}
#: Dimensions the population baseline (ADNKS) has; a ratio to population can only break down by these.
POPULATION_DIMENSIONS: Final = (C.SEX, C.AGE_BAND, C.DISTRICT, C.NEIGHBOURHOOD)
#: Usage columns a filter may test (identifiers and dates are not indicator dimensions).
FILTER_COLUMNS: Final = (
    C.SERVICE_CODE,
    C.SERVICE_NAME,
    C.UNIT_NAME,
    C.FISCAL_YEAR,
    C.SEX,
    C.AGE,
    C.AGE_BAND,
    C.DISABILITY,
    C.MIGRANT_STATUS,
    C.DISTRICT,
    C.NEIGHBOURHOOD,
    C.QUANTITY,
)
#: Numeric columns: ``between`` applies, ``equals``/``in`` take numbers.
NUMERIC_COLUMNS: Final = (C.FISCAL_YEAR, C.AGE, C.QUANTITY)
#: Count columns of the population baseline a ratio can divide by.
POPULATION_COUNTS: Final = (C.POPULATION, C.DISABLED_POPULATION, C.MIGRANT_POPULATION)

USERS: Final = "users"  # distinct person_id per fiscal year and group
USES: Final = "uses"  # records
QUANTITY: Final = C.QUANTITY  # summed quantity
MEASURES: Final = (USERS, USES, QUANTITY)

COUNT: Final = "count"
RATIO: Final = "ratio"
KINDS: Final = (COUNT, RATIO)

PERCENT: Final = "percent"
PER_1000: Final = "per_1000"
UNITS: Final = (COUNT, PERCENT, PER_1000)
#: Multiplier of numerator ÷ denominator for each ratio unit.
UNIT_SCALE: Final = {PERCENT: 100.0, PER_1000: 1000.0}

HIGHER_IS_BETTER: Final = "higher_is_better"
LOWER_IS_BETTER: Final = "lower_is_better"
NEUTRAL: Final = "neutral"
DIRECTIONS: Final = (HIGHER_IS_BETTER, LOWER_IS_BETTER, NEUTRAL)

#: Characters a definition id may contain.
ID_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"

Dimension = Literal["sex", "age_band", "disability", "migrant_status", "district", "neighbourhood"]
Measure = Literal["users", "uses", "quantity"]
Kind = Literal["count", "ratio"]
Unit = Literal["count", "percent", "per_1000"]
Direction = Literal["higher_is_better", "lower_is_better", "neutral"]
PopulationCount = Literal["population", "disabled_population", "migrant_population"]


class _Located(BaseModel):
    """Base of every model here: strict, immutable, and aware of the YAML line it came from."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)

    _line: int = PrivateAttr(default=0)
    _key_lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _remember_line(cls, data: Any, handler):
        obj = handler(data)
        line = getattr(data, "line", 0)
        if isinstance(data, dict) and line:
            obj._line = int(line)
            obj._key_lines = dict(getattr(data, "key_lines", {}) or {})
        return obj

    @property
    def line(self) -> int:
        """1-based YAML line of this mapping (0 when built from Python data)."""
        return self._line

    def line_of(self, key: str) -> int:
        """1-based YAML line of ``key`` in this mapping (the mapping's line if unknown)."""
        return self._key_lines.get(key, self._line)


# ---------------------------------------------------------------------------------------------------------------
# Conditions
# ---------------------------------------------------------------------------------------------------------------
class Between(_Located):
    """Inclusive numeric range; either bound may be omitted, not both."""

    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Between:
        if self.min is None and self.max is None:
            raise ValueError(t("indicators.model.between_bounds"))
        for name in ("min", "max"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(t("indicators.model.between_finite", name=name, value=repr(value)))
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(t("indicators.model.between_order", min=f"{self.min:g}", max=f"{self.max:g}"))
        return self


class Predicate(_Located):
    """A test on one column with exactly one operator. False on missing values, except ``missing: true``."""

    column: str = Field(min_length=1, description="canonical column (gcdb.columns)")
    equals: Scalar | None = Field(default=None, description="exact value (text or number)")
    in_: list[Scalar] | None = Field(
        default=None, alias="in", min_length=1, description="one of these values"
    )
    between: Between | None = Field(default=None, description="inclusive numeric range")
    missing: bool | None = Field(default=None, description="true: value is missing; false: value is present")

    @model_validator(mode="after")
    def _one_operator(self) -> Predicate:
        given = [op for op in OPERATORS if op in self._given()]
        if not given:
            raise ValueError(
                t("indicators.model.no_operator", column=repr(self.column), operators=", ".join(OPERATORS))
            )
        if len(given) > 1:
            raise ValueError(
                t(
                    "indicators.model.operators",
                    column=repr(self.column),
                    n=len(given),
                    operators=", ".join(given),
                )
            )
        if given[0] == "equals" and self.equals is None:
            raise ValueError(t("indicators.model.equals_null"))
        if given[0] == "in" and self.in_ is None:
            raise ValueError(t("indicators.model.in_null"))
        if given[0] == "between" and self.between is None:
            raise ValueError(t("indicators.model.between_null"))
        if given[0] == "missing" and self.missing is None:
            raise ValueError(t("indicators.model.missing_bool"))
        return self

    def _given(self) -> set[str]:
        fields = type(self).model_fields
        return {fields[name].alias or name for name in self.model_fields_set}

    @property
    def operator(self) -> str:
        """The predicate's operator (one of :data:`OPERATORS`)."""
        return next(op for op in OPERATORS if op in self._given())

    @property
    def values(self) -> list[Scalar]:
        """The compared values of ``equals`` / ``in`` (empty for the other operators)."""
        if self.operator == "equals":
            assert self.equals is not None  # (the operator is the field given)
            return [self.equals]
        if self.operator == "in":
            return list(self.in_ or [])
        return []


class AllOf(_Located):
    """True when every sub-condition is true."""

    all_: list[Condition] = Field(alias="all", min_length=1, description="every condition must hold")


class AnyOf(_Located):
    """True when at least one sub-condition is true."""

    any_: list[Condition] = Field(alias="any", min_length=1, description="at least one condition must hold")


class Not(_Located):
    """True when the sub-condition is false (missing values included)."""

    not_: Condition = Field(alias="not", description="the condition must not hold")


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return {AllOf: "all", AnyOf: "any", Not: "not", Predicate: "predicate"}.get(type(value))
    if not isinstance(value, dict):
        return None
    for key in ("all", "any", "not"):
        if key in value:
            return key
    if "column" in value:
        return "predicate"
    return None


Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[Not, Tag("not")]
    | Annotated[Predicate, Tag("predicate")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message="a condition is a mapping with 'column' and one operator "
        "(equals, in, between, missing), or one of 'all', 'any', 'not'",
    ),
]


def iter_predicates(condition: Any):
    """Every predicate of a condition tree, depth first."""
    stack = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, Predicate):
            yield node
        elif isinstance(node, AllOf):
            stack.extend(reversed(node.all_))
        elif isinstance(node, AnyOf):
            stack.extend(reversed(node.any_))
        elif isinstance(node, Not):
            stack.append(node.not_)


# ---------------------------------------------------------------------------------------------------------------
# Definitions
# ---------------------------------------------------------------------------------------------------------------
class PopulationBase(_Located):
    """The residents a ratio divides by: a filter on the population baseline and the count column to sum;
    ``ages`` keeps the residents of an age range, an age band partly inside it pro rata by single years (as the
    eligible populations of :mod:`gcdb.equality.eligibility`: ages 3–6 are 2/5 of 0–4 and 2/10 of 5–14)."""

    column: PopulationCount = Field(default="population", description="count column of the baseline")
    filter: Condition | None = Field(
        default=None,
        description="residents counted (columns district, neighbourhood, sex, age_band); all if absent",
    )
    ages: Between | None = Field(
        default=None,
        description="residents of this age range (whole years, inclusive), bands partly inside pro rata",
    )


class IndicatorDefinition(_Located):
    """One plan indicator computable from service-usage records, linked to a catalogue indicator row."""

    id: str = Field(
        pattern=ID_PATTERN, description="unique id of the definition (letters, digits, '_', '.', '-')"
    )
    indicator: str = Field(min_length=1, description="catalogue indicator id, e.g. A14-G9")
    title_tr: str = Field(min_length=1, description="Turkish title (reports show it first)")
    title_en: str = Field(min_length=1, description="English title")
    kind: Kind = Field(description="count, or ratio of two counts (or of a count to residents)")
    measure: Measure = Field(
        description="users: distinct person_id per fiscal year and group; uses: records; quantity: summed quantity"
    )
    filter: Condition | None = Field(default=None, description="kind count: the records counted")
    numerator: Condition | None = Field(default=None, description="kind ratio: the records of the numerator")
    denominator: Condition | None = Field(
        default=None, description="kind ratio: the records of the denominator (or give 'population')"
    )
    population: PopulationBase | None = Field(
        default=None, description="kind ratio: divide by residents of the population baseline instead"
    )
    by: list[Dimension | list[Dimension]] = Field(
        default_factory=list,
        description="breakdowns: each item a dimension, or a list of dimensions crossed; the overall row is "
        "always included",
    )
    unit: Unit = Field(description="count (kind count), percent or per_1000 (kind ratio)")
    direction: Direction = Field(description="which way is progress")
    reference: str = Field(min_length=1, description="the plan text the indicator comes from")
    note: str | None = Field(
        default=None, description="caveats, e.g. where the data only approximate the indicator"
    )
    proxy: bool = Field(
        default=False,
        description="true when the records measure a stand-in, not what the plan's indicator says (a count of "
        "users for a capacity increase, every year for a pandemic period …); reports show it",
    )
    proxy_reason: str | None = Field(
        default=None,
        description="why the indicator is a proxy, 'Türkçe / English' (required with proxy: true)",
    )

    @model_validator(mode="after")
    def _shape(self) -> IndicatorDefinition:
        given = self.model_fields_set
        if self.proxy and not (self.proxy_reason or "").strip():
            raise ValueError(t("indicators.model.proxy_reason"))
        if not self.proxy and self.proxy_reason is not None:
            raise ValueError(t("indicators.model.proxy_not_true"))
        if self.kind == COUNT:
            wrong = [k for k in ("numerator", "denominator", "population") if k in given]
            if wrong:
                raise ValueError(t("indicators.model.count_filter", keys=", ".join(repr(k) for k in wrong)))
            if self.filter is None:
                raise ValueError(t("indicators.model.count_needs_filter"))
            if self.unit != COUNT:
                raise ValueError(t("indicators.model.count_unit", unit=repr(self.unit)))
        else:
            if "filter" in given:
                raise ValueError(t("indicators.model.ratio_filter"))
            if self.numerator is None:
                raise ValueError(t("indicators.model.ratio_numerator"))
            if (self.denominator is None) == (self.population is None):
                raise ValueError(t("indicators.model.ratio_denominator"))
            if self.unit == COUNT:
                raise ValueError(t("indicators.model.ratio_unit"))
        seen: set[tuple[str, ...]] = set()
        for item in self.by:
            dims = [item] if isinstance(item, str) else list(item)
            if not dims:
                raise ValueError(t("indicators.model.by_empty"))
            if len(set(dims)) != len(dims):
                raise ValueError(t("indicators.model.by_repeats", item=repr(item)))
            key = self._normalise(dims)
            if key in seen:
                raise ValueError(t("indicators.model.by_twice", item=repr(item)))
            seen.add(key)
            if self.population is not None:
                outside = [d for d in key if d not in POPULATION_DIMENSIONS]
                if outside:
                    raise ValueError(
                        t(
                            "indicators.model.by_population",
                            outside=", ".join(outside),
                            dimensions=", ".join(POPULATION_DIMENSIONS),
                        )
                    )
        return self

    @staticmethod
    def _normalise(dims: Sequence[str]) -> tuple[str, ...]:
        wanted = set(dims)
        for child, parent in NESTED_IN.items():
            if child in wanted:
                wanted.add(parent)
        return tuple(d for d in DIMENSIONS if d in wanted)

    @property
    def breakdowns(self) -> list[tuple[str, ...]]:
        """The breakdowns computed, overall ``()`` first; dimensions in :data:`DIMENSIONS` order, a neighbourhood
        breakdown always with its district."""
        out: list[tuple[str, ...]] = [()]
        for item in self.by:
            key = self._normalise([item] if isinstance(item, str) else list(item))
            if key not in out:
                out.append(key)
        return out

    def title(self, lang: str = "tr") -> str:
        """The title in ``lang`` (``tr`` or ``en``)."""
        if lang not in ("tr", "en"):
            raise ValueError(f"lang must be 'tr' or 'en', got {lang!r}")
        return self.title_tr if lang == "tr" else self.title_en

    def conditions(self) -> list[tuple[str, Any]]:
        """``(key, condition)`` for the usage conditions of the definition (filter / numerator / denominator)."""
        return [
            (k, getattr(self, k))
            for k in ("filter", "numerator", "denominator")
            if getattr(self, k) is not None
        ]


class IndicatorSet(_Located):
    """A file of indicator definitions: metadata and definitions, in file order."""

    name: str = Field(min_length=1)
    version: str = Field(default="1", description="version of this definition file")
    plan: str | None = Field(
        default=None, description="catalogue id of the equality plan, e.g. yeep_ibb_2021_2024"
    )
    description: str | None = None
    reference: str | None = None
    indicators: list[IndicatorDefinition] = Field(min_length=1)

    _source: str | None = PrivateAttr(default=None)

    @property
    def source(self) -> str | None:
        """File (or name) the set was loaded from."""
        return self._source

    def __len__(self) -> int:
        return len(self.indicators)

    def __iter__(self) -> Iterator[IndicatorDefinition]:  # type: ignore[override]  # definitions, not pydantic fields
        return iter(self.indicators)

    def __getitem__(self, definition_id: str) -> IndicatorDefinition:
        for item in self.indicators:
            if item.id == definition_id:
                return item
        raise KeyError(definition_id)

    @property
    def ids(self) -> list[str]:
        return [item.id for item in self.indicators]


AllOf.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()
PopulationBase.model_rebuild()
IndicatorDefinition.model_rebuild()
IndicatorSet.model_rebuild()
