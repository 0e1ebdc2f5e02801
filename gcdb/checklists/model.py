"""Service checklists as data: the specification (pydantic models, ``extra="forbid"`` everywhere).

A checklist (kontrol listesi) is YAML::

    id: park
    name_tr: Park Kontrol Listesi
    name_en: Park checklist
    version: "2026.1"
    subject: facility                # facility | programme: what one assessment is about
    reference: …                     # where the questions come from
    max_score: 40                    # must equal the sum of the questions' max_score
    scales:
      - id: yes_partly_no
        options:
          - {code: "yes", value: 1, label_tr: Evet, label_en: "Yes"}
          - {code: partly, value: 0.5, label_tr: Kısmen, label_en: Partly}
          - {code: "no", value: 0, label_tr: Hayır, label_en: "No"}
    sections:
      - id: guvenlik
        title_tr: Güvenlik ve görünürlük
        title_en: Safety and visibility
        questions:
          - id: P1.1
            text_tr: …
            text_en: …
            max_score: 3             # points for a full answer ("2/3" allowed: HGDG items worth 0.67)
            scale: yes_partly_no
            evidence_tr: …           # what the assessor looks at
            evidence_en: …

An answer earns ``value × max_score`` points; an option with ``not_applicable: true`` takes the question out of
the maximum (the score is rescaled to ``max_score``). Scoring lives in :mod:`gcdb.checklists.score`; loading (strict,
errors naming file and line) in :mod:`gcdb.checklists.load`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gcdb.i18n import Message, format_number

#: Tolerance when comparing sums of question maxima (fractions such as 2/3 are floats).
EPS = 1e-6


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _points(value: object) -> float:
    """A number of points: a number or a fraction written as text (``"2/3"``)."""
    if isinstance(value, bool):
        raise ValueError(Message("checklists.model.points", value=repr(value)))
    if isinstance(value, str):
        try:
            return float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            raise ValueError(Message("checklists.model.fraction", value=repr(value))) from None
    return value  # type: ignore[return-value]


class Option(_Strict):
    """One answer on a scale."""

    code: str = Field(min_length=1, description="what the assessment table writes, e.g. yes / partly / no")
    value: float | None = Field(default=None, ge=0, le=1, description="share of the question's points earned")
    not_applicable: bool = Field(default=False, description="the question does not apply: out of the maximum")
    label_tr: str
    label_en: str
    aliases: tuple[str, ...] = Field(
        default=(), description="other spellings accepted in the assessment table"
    )

    @field_validator("code", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        if isinstance(value, bool):  # YAML reads unquoted yes/no as booleans
            raise ValueError(Message("checklists.model.code_text", value=repr(value)))
        return value

    @model_validator(mode="after")
    def _value_or_na(self) -> Option:
        if self.not_applicable == (self.value is not None):
            raise ValueError(Message("checklists.model.value_or_na", code=repr(self.code)))
        return self


class Scale(_Strict):
    """A named answer scale."""

    id: str = Field(min_length=1)
    options: tuple[Option, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique(self) -> Scale:
        codes = [o.code for o in self.options]
        if len(codes) != len(set(codes)):
            raise ValueError(Message("checklists.model.scale_repeats", id=repr(self.id)))
        return self


class Question(_Strict):
    """One question (item) of a checklist."""

    id: str = Field(min_length=1, pattern=r"^[^\s|]+$")
    text_tr: str = Field(min_length=1)
    text_en: str = Field(min_length=1)
    max_score: float = Field(gt=0, description="points for a full answer")
    scale: str = Field(min_length=1)
    evidence_tr: str = ""
    evidence_en: str = ""

    @field_validator("max_score", mode="before")
    @classmethod
    def _max(cls, value: object) -> object:
        return _points(value)


class Section(_Strict):
    """A group of questions (an HGDG element)."""

    id: str = Field(min_length=1, pattern=r"^[^\s|]+$")
    title_tr: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    questions: tuple[Question, ...] = Field(min_length=1)
    max_score: float | None = Field(default=None, gt=0, description="if given, must equal the questions' sum")

    @field_validator("max_score", mode="before")
    @classmethod
    def _max(cls, value: object) -> object:
        return None if value is None else _points(value)

    @property
    def points(self) -> float:
        return sum(q.max_score for q in self.questions)

    @model_validator(mode="after")
    def _sum(self) -> Section:
        if self.max_score is not None and abs(self.max_score - self.points) > EPS:
            raise ValueError(
                Message(
                    "checklists.model.section_sum",
                    id=repr(self.id),
                    max=format_number(self.max_score, 2),
                    total=format_number(self.points, 2),
                )
            )
        return self


class Checklist(_Strict):
    """A checklist: sections of questions, answer scales, and the total it is scored out of."""

    id: str = Field(min_length=1, pattern=r"^[a-z0-9_]+$")
    name_tr: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    version: str = "1"
    subject: Literal["facility", "programme"]
    reference: str = Field(min_length=1, description="where the questions and maxima come from")
    description_tr: str = ""
    description_en: str = ""
    max_score: float = Field(gt=0)
    scales: tuple[Scale, ...] = Field(min_length=1)
    sections: tuple[Section, ...] = Field(min_length=1)

    @field_validator("max_score", mode="before")
    @classmethod
    def _max(cls, value: object) -> object:
        return _points(value)

    @field_validator("version", mode="before")
    @classmethod
    def _version(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    @model_validator(mode="after")
    def _consistent(self) -> Checklist:
        scale_ids = [s.id for s in self.scales]
        if len(scale_ids) != len(set(scale_ids)):
            raise ValueError(Message("checklists.model.scale_ids"))
        ids = [s.id for s in self.sections]
        if len(ids) != len(set(ids)):
            raise ValueError(Message("checklists.model.section_ids"))
        questions = [q for s in self.sections for q in s.questions]
        qids = [q.id for q in questions]
        repeated = sorted({q for q in qids if qids.count(q) > 1})
        if repeated:
            raise ValueError(Message("checklists.model.question_ids", ids=", ".join(repeated)))
        for q in questions:
            if q.scale not in scale_ids:
                raise ValueError(
                    Message(
                        "checklists.model.unknown_scale",
                        id=repr(q.id),
                        scale=repr(q.scale),
                        scales=", ".join(scale_ids),
                    )
                )
        total = sum(q.max_score for q in questions)
        if abs(total - self.max_score) > EPS:
            raise ValueError(
                Message(
                    "checklists.model.total",
                    max=format_number(self.max_score, 2),
                    total=format_number(total, 2),
                )
            )
        return self

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def scale(self, scale_id: str) -> Scale:
        for s in self.scales:
            if s.id == scale_id:
                return s
        raise KeyError(scale_id)

    def name(self, lang: str = "tr") -> str:
        return self.name_tr if lang == "tr" else self.name_en
