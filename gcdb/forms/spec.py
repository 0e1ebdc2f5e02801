"""The collection-form specification: what a form asks for, apart from the engine that writes and reads it.

A :class:`FormSpec` describes a workbook gcdb sends to a unit and reads back: its identity fields (which unit,
year, plan version the copy belongs to), its instructions, and its sheets. A :class:`SheetSpec` lists the
columns of one table: *fixed* columns gcdb writes (identifying the row: an action code, an indicator text) and
*fill-in* columns the unit fills (a status from a list, a percentage, an amount in TL, a text, a date …), with
ranges, patterns and rules such as "the description is required when the status is done".

Nothing here touches a workbook: :mod:`gcdb.forms.write` writes a spec with xlsxwriter and
:mod:`gcdb.forms.read` reads a returned copy with openpyxl. Every string a person reads comes in Turkish and
English (``tr``/``en``); names (``name``, ``key``, choice ``code``) are English identifiers and become the
columns and values of the typed frames the reader returns.

Models are strict (unknown fields are errors) and check themselves: a rule that names an unknown field, a choice
field without choices, a ``kind_from`` that does not point at a fixed choice field of value kinds … raise
:class:`pydantic.ValidationError` when the spec is built.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, model_validator

ID_RE: Final = r"^[a-z][a-z0-9_]*$"
ID_PATTERN: Final = re.compile(ID_RE)

#: Longest text Excel shows in a data-validation input message (characters).
INPUT_MESSAGE_MAX: Final = 255
#: Longest input-message title (characters).
INPUT_TITLE_MAX: Final = 32


class FieldKind(StrEnum):
    """What a column holds, and how the reader types it.

    ===========  =====================================  ===============================================
    kind         in the workbook                        in the typed frame
    ===========  =====================================  ===============================================
    ``choice``   a drop-down list of labels             the choice ``code`` (``str``)
    ``yes_no``   a drop-down *Evet / Hayır*             ``boolean``
    ``integer``  a whole number (range checked)         ``Int64``
    ``decimal``  a number (range checked)               ``Float64``
    ``percent``  a number from 0 to 100                 ``Float64`` (percent, not a fraction)
    ``money``    an amount in TL, 2 decimals            ``Int64`` kuruş (exact)
    ``text``     free text (length, pattern checked)    ``str``
    ``date``     a date                                 ``datetime64[ns]``
    ===========  =====================================  ===============================================
    """

    CHOICE = "choice"
    YES_NO = "yes_no"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"
    MONEY = "money"
    TEXT = "text"
    DATE = "date"


#: Kinds a ``kind_from`` column may switch between, row by row (typed as ``Float64``; yes = 1, no = 0).
VALUE_KINDS: Final = (FieldKind.INTEGER, FieldKind.DECIMAL, FieldKind.PERCENT, FieldKind.YES_NO)
NUMERIC_KINDS: Final = (FieldKind.INTEGER, FieldKind.DECIMAL, FieldKind.PERCENT, FieldKind.MONEY)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """A string a person reads, in Turkish and English."""

    tr: str
    en: str

    def get(self, lang: str) -> str:
        if lang not in ("tr", "en"):
            raise ValueError(f"lang must be 'tr' or 'en', got {lang!r}")
        return self.tr if lang == "tr" else self.en


class Choice(_Model):
    """One entry of a drop-down list: the ``code`` the frame holds and the labels the workbook shows."""

    code: str = Field(pattern=ID_RE)
    label: Text


class Condition(_Model):
    """A condition on another field of the same row. Exactly one of ``in_`` (choice codes), ``gt`` (a number)
    or ``filled`` (the cell is non-blank) is given."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    field: str
    in_: tuple[str, ...] | None = Field(default=None, alias="in")
    gt: float | None = None
    filled: bool | None = None

    @model_validator(mode="after")
    def _one(self) -> Condition:
        given = [x for x in (self.in_, self.gt, self.filled) if x is not None]
        if len(given) != 1:
            raise ValueError("a condition needs exactly one of 'in', 'gt', 'filled'")
        return self


class RequiredIf(_Model):
    """This field must be filled when ``when`` holds; ``message`` says what is expected (shown in issues)."""

    when: Condition
    message: Text


class FormField(_Model):
    """One column of a sheet.

    ``fixed`` columns are written by gcdb and locked; ``key`` fixed columns identify the row (their values are
    unique in the sheet). Fill-in columns (``fixed=False``) are unlocked; ``required`` ones must be filled on
    every row the unit fills at all (a row left completely blank is *not filled*, not an error).

    ``kind_from`` names a fixed ``choice`` field whose codes are :data:`VALUE_KINDS`: the field then takes that
    row's kind (an indicator whose value is a count, a percentage or yes/no). ``minimum``/``maximum`` bound
    numbers (``percent`` is always 0–100; ``money`` is in TL); ``max_length``/``pattern`` bound text
    (``pattern`` is a full-match regular expression, ``pattern_hint`` says in words what it expects).
    """

    name: str = Field(pattern=ID_RE)
    label: Text
    kind: FieldKind = FieldKind.TEXT
    fixed: bool = False
    key: bool = False
    required: bool = False
    choices: tuple[Choice, ...] = ()
    kind_from: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = Field(default=None, ge=1, le=32767)
    pattern: str | None = None
    pattern_hint: Text | None = None
    required_if: tuple[RequiredIf, ...] = ()
    help: Text | None = None
    width: float = Field(default=14, gt=0, le=255)
    wrap: bool = False

    @model_validator(mode="after")
    def _check(self) -> FormField:
        if self.key and not self.fixed:
            raise ValueError(f"{self.name}: only fixed fields can be key fields")
        if self.kind == FieldKind.CHOICE and not self.choices:
            raise ValueError(f"{self.name}: a choice field needs choices")
        if self.kind != FieldKind.CHOICE and self.choices:
            raise ValueError(f"{self.name}: only choice fields have choices")
        codes = [c.code for c in self.choices]
        if len(set(codes)) != len(codes):
            raise ValueError(f"{self.name}: choice codes repeat")
        if self.fixed and (self.required or self.required_if or self.kind_from):
            raise ValueError(f"{self.name}: fixed fields cannot be required, required_if or kind_from")
        if self.pattern is not None:
            if self.kind != FieldKind.TEXT:
                raise ValueError(f"{self.name}: only text fields have a pattern")
            re.compile(self.pattern)
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(f"{self.name}: minimum is above maximum")
        return self

    def bounds(self, kind: FieldKind | None = None) -> tuple[float | None, float | None]:
        """The numeric range of the field for ``kind`` (its own kind by default)."""
        kind = kind or self.kind
        if kind == FieldKind.PERCENT:
            lo = 0.0 if self.minimum is None else max(0.0, self.minimum)
            hi = 100.0 if self.maximum is None else min(100.0, self.maximum)
            return lo, hi
        return self.minimum, self.maximum


class SheetSpec(_Model):
    """One data sheet: its ``key`` (identifier), its name and title as shown, and its columns in order."""

    key: str = Field(pattern=ID_RE)
    name: Text  # the sheet tab (≤ 31 characters)
    title: Text
    fields: tuple[FormField, ...]
    note: Text | None = None

    @model_validator(mode="after")
    def _check(self) -> SheetSpec:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"sheet {self.key}: field names repeat")
        for lang in ("tr", "en"):
            if len(self.name.get(lang)) > 31 or re.search(r"[\[\]:*?/\\]", self.name.get(lang)):
                raise ValueError(f"sheet {self.key}: {self.name.get(lang)!r} is not a valid sheet name")
        if not any(f.key for f in self.fields):
            raise ValueError(f"sheet {self.key}: needs at least one key field")
        if not any(not f.fixed for f in self.fields):
            raise ValueError(f"sheet {self.key}: needs at least one fill-in field")
        by_name = {f.name: f for f in self.fields}
        for f in self.fields:
            for rule in f.required_if:
                other = by_name.get(rule.when.field)
                if other is None or other.fixed:
                    raise ValueError(f"{f.name}: required_if names {rule.when.field!r}, not a fill-in field")
                if rule.when.in_ is not None:
                    if other.kind not in (FieldKind.CHOICE, FieldKind.YES_NO):
                        raise ValueError(f"{f.name}: 'in' needs a choice field, {other.name} is {other.kind}")
                    known = {c.code for c in other.choices} | (
                        {"yes", "no"} if other.kind == FieldKind.YES_NO else set()
                    )
                    unknown = set(rule.when.in_) - known
                    if unknown:
                        raise ValueError(
                            f"{f.name}: required_if codes {sorted(unknown)} not among {other.name}"
                        )
                if rule.when.gt is not None and other.kind not in NUMERIC_KINDS:
                    raise ValueError(f"{f.name}: 'gt' needs a numeric field, {other.name} is {other.kind}")
            if f.kind_from is not None:
                src = by_name.get(f.kind_from)
                if src is None or not src.fixed or src.kind != FieldKind.CHOICE:
                    raise ValueError(f"{f.name}: kind_from must name a fixed choice field")
                bad = {c.code for c in src.choices} - {k.value for k in VALUE_KINDS}
                if bad:
                    raise ValueError(f"{f.name}: kind_from codes {sorted(bad)} are not value kinds")
        return self

    def field(self, name: str) -> FormField:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def fixed_fields(self) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if f.fixed)

    @property
    def fill_fields(self) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if not f.fixed)

    @property
    def key_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.key)


class IdentityField(_Model):
    """A field of the form's identity (unit, year, plan version …): written in the hidden key and shown on the
    instructions sheet."""

    name: str = Field(pattern=ID_RE)
    label: Text


class FormSpec(_Model):
    """A collection form: ``kind`` (e.g. ``monitoring_return``) and ``version`` go into every copy's key, so a
    returned copy is read with the spec it was made from.

    ``instructions`` are the paragraphs of the instructions sheet (the column guide is added from the fields).
    """

    kind: str = Field(pattern=ID_RE)
    version: int = Field(ge=1)
    title: Text
    identity: tuple[IdentityField, ...]
    instructions: tuple[Text, ...] = ()
    sheets: tuple[SheetSpec, ...]

    @model_validator(mode="after")
    def _check(self) -> FormSpec:
        keys = [s.key for s in self.sheets]
        if len(set(keys)) != len(keys) or not keys:
            raise ValueError("sheet keys must be unique and at least one sheet is needed")
        for lang in ("tr", "en"):
            names = [s.name.get(lang).casefold() for s in self.sheets]
            if len(set(names)) != len(names):
                raise ValueError(f"sheet names ({lang}) must be unique")
        ids = [i.name for i in self.identity]
        if len(set(ids)) != len(ids):
            raise ValueError("identity fields repeat")
        return self

    def sheet(self, key: str) -> SheetSpec:
        for s in self.sheets:
            if s.key == key:
                return s
        raise KeyError(key)
