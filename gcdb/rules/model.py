"""The rule language as pydantic models: the specification of a rule set (``extra="forbid"`` everywhere).

A rule set is YAML (see ``rules/README.md``)::

    name: İBB YEEP 2021 bütçe etiketleri
    version: "1"
    plan: yeep_ibb_2021_2024
    applies_to: budget            # budget | usage
    default_scheme: eu_cpr
    mode: first                   # first | all
    rules:
      - id: kadin-siginma-evi
        description: Kadın konukevleri
        reference: YEEP A7H1E2
        valid_from: 2021
        when:
          all:
            - {column: unit_name, contains: kadın ve aile}
            - {column: description, contains_any: [konukevi, sığınma evi], word: start}
        then:
          actions: [A7H1E2]
          categories: {eu_cpr: "01", oecd_dac: "2", india_gbs: "A"}

These models check what one rule can check about itself (one operator per predicate, regexes compile, shares in
[0, 1], no empty ``all``/``any``). Checks that need context — rule ids unique, categories valid under the
weighting schemes, action codes in the plan catalogue, declared columns, allocations in ``all`` mode — live in
:mod:`gcdb.rules.load`, which also turns every error into a :class:`gcdb.errors.RuleError` naming the file, the
line and the rule id. Every model remembers the YAML line it came from (``line``, ``line_of(key)``).

Execution lives elsewhere: :mod:`gcdb.rules.predicates` (scalar semantics), :mod:`gcdb.rules.compile` and
:mod:`gcdb.rules.engine` (vectorised).
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)

from gcdb.i18n import t

#: A YAML scalar a predicate compares with. ``bool`` first so ``true`` stays a bool.
Scalar = bool | int | float | str

#: Predicate operators (exactly one per predicate).
OPERATORS = (
    "equals",
    "in",
    "prefix",
    "contains",
    "contains_any",
    "contains_all",
    "regex",
    "between",
    "missing",
)
#: Modifiers and the operators they apply to.
MODIFIERS = {
    "word": ("contains", "contains_any", "contains_all"),
    "fold": ("equals", "in", "regex"),
    "levels": ("prefix",),
}
#: Characters a rule id may not contain ("|" joins rule ids in the audit columns).
RULE_ID_PATTERN = r"^[^\s|]+$"


class _Located(BaseModel):
    """Base of every rule-language model: strict, immutable, and aware of the YAML line it came from."""

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
# Predicates
# ---------------------------------------------------------------------------------------------------------------
class Between(_Located):
    """Inclusive numeric range; either bound may be omitted, not both."""

    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Between:
        if self.min is None and self.max is None:
            raise ValueError(t("rules.between_bounds"))
        for name in ("min", "max"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(t("rules.between_finite", name=name, value=repr(value)))
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(t("rules.between_order", min=f"{self.min:g}", max=f"{self.max:g}"))
        return self


def _no_number(value: Any, what: str) -> Any:
    """``value`` if it is text; ``what``: the catalogue key naming what it is (``rules.what.*``)."""
    if isinstance(value, bool) or isinstance(value, int | float):
        raise ValueError(t("rules.not_text", what=t(what), value=repr(value)))
    return value


class Predicate(_Located):
    """A test on one column. Exactly one operator; ``word``, ``fold`` and ``levels`` modify some operators.

    Predicates are false on missing values (NA, or text that is empty after trimming), except ``missing: true``.
    """

    column: str = Field(min_length=1, description="column of the input frame")
    equals: Scalar | None = Field(default=None, description="exact value (text, number or boolean)")
    in_: list[Scalar] | None = Field(
        default=None, alias="in", min_length=1, description="one of these values"
    )
    prefix: str | list[str] | None = Field(
        default=None,
        description="hierarchical code prefix(es) compared on digits and level boundaries: "
        "'10.4' matches '10.4.0.00', '1040000' and '10 4 0 00'",
    )
    contains: str | None = Field(default=None, min_length=1, description="folded substring")
    contains_any: list[str] | None = Field(
        default=None, min_length=1, description="any of these folded substrings"
    )
    contains_all: list[str] | None = Field(
        default=None, min_length=1, description="all of these folded substrings"
    )
    regex: str | None = Field(default=None, min_length=1, description="Python regular expression, searched")
    between: Between | None = Field(default=None, description="inclusive numeric range")
    missing: bool | None = Field(default=None, description="true: value is missing; false: value is present")
    word: bool | Literal["start"] = Field(
        default=False,
        description="for contains*: true = whole words only; 'start' = at the start of a word (Turkish suffixes)",
    )
    fold: bool = Field(default=False, description="for equals/in/regex: compare Turkish-folded text")
    levels: list[Annotated[int, Field(ge=1, le=9)]] | None = Field(
        default=None, min_length=1, description="for prefix: digits per level of the code, e.g. [2, 1, 1, 2]"
    )

    @field_validator("prefix", mode="before")
    @classmethod
    def _prefix_is_text(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_no_number(v, "rules.what.prefix") for v in value]
        return _no_number(value, "rules.what.prefix")

    @field_validator("contains", "regex", mode="before")
    @classmethod
    def _text_operand(cls, value: Any) -> Any:
        return _no_number(value, "rules.what.operand")

    @field_validator("contains_any", "contains_all", mode="before")
    @classmethod
    def _text_operands(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_no_number(v, "rules.what.word") for v in value]
        return value

    @field_validator("prefix", mode="after")
    @classmethod
    def _prefix_has_digits(cls, value: str | list[str] | None) -> str | list[str] | None:
        if value is None:
            return value
        items = [value] if isinstance(value, str) else value
        if not items:
            raise ValueError(t("rules.prefix_empty"))
        for item in items:
            if not any(ch.isdigit() for ch in item):
                raise ValueError(t("rules.prefix_digits", prefix=repr(item)))
        return value

    @field_validator("contains", "contains_any", "contains_all", mode="after")
    @classmethod
    def _not_blank(cls, value: str | list[str] | None) -> str | list[str] | None:
        items = [value] if isinstance(value, str) else (value or [])
        for item in items:
            if not item.strip():
                raise ValueError(t("rules.blank_words"))
        return value

    @field_validator("regex", mode="after")
    @classmethod
    def _regex_compiles(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(t("rules.bad_regex", regex=repr(value), error=str(exc))) from None
        return value

    @model_validator(mode="after")
    def _one_operator(self) -> Predicate:
        given = [op for op in OPERATORS if op in self._fields_given()]
        if not given:
            raise ValueError(
                t("rules.no_operator", column=repr(self.column), operators=", ".join(map(repr, OPERATORS)))
            )
        if len(given) > 1:
            raise ValueError(
                t("rules.many_operators", column=repr(self.column), n=len(given), operators=", ".join(given))
            )
        op = given[0]
        if op in ("equals",) and self.equals is None:
            raise ValueError(t("rules.equals_null"))
        if (
            getattr(self, "in_" if op == "in" else op) is None
        ):  # `between: null`, `regex: null` … match nothing
            raise ValueError(t("rules.operator_null", op=op))
        for modifier, ops in MODIFIERS.items():
            if modifier in self._fields_given() and op not in ops:
                raise ValueError(t("rules.modifier", modifier=modifier, ops=", ".join(ops), op=op))
        return self

    def _fields_given(self) -> set[str]:
        names = set()
        for name in self.model_fields_set:
            alias = type(self).model_fields[name].alias
            names.add(alias or name)
        return names

    @property
    def operator(self) -> str:
        """The predicate's operator (one of :data:`OPERATORS`)."""
        return next(op for op in OPERATORS if op in self._fields_given())

    @property
    def operand(self) -> Any:
        return getattr(self, "in_" if self.operator == "in" else self.operator)

    @property
    def prefixes(self) -> list[str]:
        return (
            []
            if self.prefix is None
            else ([self.prefix] if isinstance(self.prefix, str) else list(self.prefix))
        )

    @property
    def needles(self) -> list[str]:
        """Search words of contains / contains_any / contains_all."""
        if self.contains is not None:
            return [self.contains]
        return list(self.contains_any or self.contains_all or [])


# ---------------------------------------------------------------------------------------------------------------
# Conditions
# ---------------------------------------------------------------------------------------------------------------
class AllOf(_Located):
    """True when every sub-condition is true."""

    all_: list[Condition] = Field(alias="all", description="every condition must hold")

    @field_validator("all_")
    @classmethod
    def _not_empty(cls, value: list) -> list:
        if not value:
            raise ValueError(t("rules.empty_all"))
        return value


class AnyOf(_Located):
    """True when at least one sub-condition is true."""

    any_: list[Condition] = Field(alias="any", description="at least one condition must hold")

    @field_validator("any_")
    @classmethod
    def _not_empty(cls, value: list) -> list:
        if not value:
            raise ValueError(t("rules.empty_any"))
        return value


class Not(_Located):
    """True when the sub-condition is false (missing values included: ``not equals X`` holds on a missing value)."""

    not_: Condition = Field(alias="not", description="the condition must not hold")


class Always(_Located):
    """Matches every row: the explicit way to write an unconditional rule."""

    always: Literal[True]


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return {AllOf: "all", AnyOf: "any", Not: "not", Always: "always", Predicate: "predicate"}.get(
            type(value)
        )
    if not isinstance(value, dict):
        return None
    for key in ("all", "any", "not", "always"):
        if key in value:
            return key
    if "column" in value:
        return "predicate"
    return None


Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[Not, Tag("not")]
    | Annotated[Always, Tag("always")]
    | Annotated[Predicate, Tag("predicate")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message="a condition is a mapping with 'column' and one operator, or one of 'all', 'any', "
        "'not', 'always'",
    ),
]


# ---------------------------------------------------------------------------------------------------------------
# Outputs and rules
# ---------------------------------------------------------------------------------------------------------------
class Outputs(_Located):
    """What a rule gives the lines it matches (the ``then:`` mapping)."""

    actions: list[str] = Field(default_factory=list, description="plan action codes, e.g. A7H1E2")
    categories: dict[str, str] = Field(
        default_factory=dict, description='category per weighting scheme, e.g. {eu_cpr: "01", oecd_dac: "2"}'
    )
    share: float | None = Field(default=None, ge=0, le=1, description="declared share of the line, in [0, 1]")
    allocation: float = Field(
        default=1.0,
        ge=0,
        le=1,
        description="portion of the line this rule claims, split equally among its actions",
    )

    @field_validator("actions", mode="after")
    @classmethod
    def _actions(cls, value: list[str]) -> list[str]:
        for code in value:
            if not code.strip() or "|" in code or code != code.strip():
                raise ValueError(t("rules.action_code", code=repr(code)))
        if len(set(value)) != len(value):
            raise ValueError(t("rules.actions_repeat", actions=str(value)))
        return value

    _category_lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @field_validator("categories", mode="before")
    @classmethod
    def _category_text(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            if isinstance(item, bool) or item is None:
                raise ValueError(t("rules.category_code", key=repr(key), value=repr(item)))
            if isinstance(item, float) and item.is_integer():
                item = int(item)
            out[key] = str(item) if isinstance(item, int | float) else item
        return out

    @model_validator(mode="wrap")
    @classmethod
    def _remember_category_lines(cls, data: Any, handler):
        obj = handler(data)
        categories = data.get("categories") if isinstance(data, dict) else None
        if isinstance(categories, dict) and getattr(categories, "line", None):
            obj._category_lines = dict(getattr(categories, "key_lines", {}) or {})
        return obj

    def category_line(self, scheme_id: str) -> int:
        """1-based YAML line of the category given for ``scheme_id``."""
        return self._category_lines.get(scheme_id, self.line_of("categories"))

    @model_validator(mode="after")
    def _gives_something(self) -> Outputs:
        if not self.actions and not self.categories:
            raise ValueError(t("rules.then_empty"))
        return self

    @property
    def parts(self) -> int:
        """Number of tag-table parts a match produces (one per action; one for a categories-only rule)."""
        return max(len(self.actions), 1)


class Rule(_Located):
    """One rule: a condition, outputs, validity years and a priority."""

    id: str = Field(pattern=RULE_ID_PATTERN, description="unique id (no spaces, no '|')")
    description: str = Field(default="", description="what the rule tags, in plain words")
    reference: str | None = Field(default=None, description="why: plan action, circular, council decision")
    valid_from: int | None = Field(
        default=None, ge=1900, le=2200, description="first fiscal year (inclusive)"
    )
    valid_to: int | None = Field(default=None, ge=1900, le=2200, description="last fiscal year (inclusive)")
    priority: int = Field(
        default=0, description="higher wins under mode 'first'; ties go to the earlier rule"
    )
    when: Condition = Field(description="the condition; 'always: true' for every row")
    then: Outputs

    @model_validator(mode="after")
    def _years(self) -> Rule:
        if self.valid_from is not None and self.valid_to is not None and self.valid_from > self.valid_to:
            raise ValueError(t("rules.years", start=self.valid_from, end=self.valid_to))
        return self

    @property
    def bounded(self) -> bool:
        """Whether the rule has validity years (then it never applies to rows without a fiscal year)."""
        return self.valid_from is not None or self.valid_to is not None


class RuleSet(_Located):
    """A rule set: metadata and rules, in file order."""

    name: str = Field(min_length=1)
    version: str = Field(default="1", description="version of this rule set")
    plan: str | None = Field(
        default=None, description="catalogue id of the equality plan, e.g. yeep_ibb_2021_2024"
    )
    applies_to: Literal["budget", "usage"]
    default_scheme: str | None = Field(
        default=None, description="weighting scheme every budget rule must categorise"
    )
    mode: Literal["first", "all"] = "first"
    description: str = ""
    reference: str | None = None
    columns: list[str] | None = Field(default=None, description="if given, the only columns rules may use")
    rules: list[Rule] = Field(min_length=1)

    _source: str = PrivateAttr(default="")

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    @property
    def source(self) -> str:
        """The file the rule set was loaded from ("" when built from Python data)."""
        return self._source

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)


for _model in (AllOf, AnyOf, Not, Rule, RuleSet):
    _model.model_rebuild()


def iter_predicates(condition: Any):
    """Yield every predicate of a condition tree, depth first."""
    if isinstance(condition, Predicate):
        yield condition
    elif isinstance(condition, AllOf):
        for child in condition.all_:
            yield from iter_predicates(child)
    elif isinstance(condition, AnyOf):
        for child in condition.any_:
            yield from iter_predicates(child)
    elif isinstance(condition, Not):
        yield from iter_predicates(condition.not_)


def condition_columns(condition: Any) -> set[str]:
    """Columns a condition reads."""
    return {p.column for p in iter_predicates(condition)}
