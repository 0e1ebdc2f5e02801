"""Gender-budget weighting schemes as data (spec + vectorised weights).

A scheme turns the *category* a rule gives a budget line (e.g. EU CPR ``"02"``) into a *weight*: the share of
the line that counts as gender-equality spending (``methods.md`` §1). Schemes live in ``rules/schemes.yaml`` and
are loaded strictly. Four kinds:

``categorical``
    a fixed weight per category code (EU CPR 01/02/03/03*, OECD DAC 2/1/0);
``declared_bands``
    a category that is either a fixed weight (India GBS Part A) or a band that the declared share must fall in
    (Part B 30–99 %, Part C < 30 %); the weight is the declared share;
``score``
    a checklist score mapped to a weight by bands (Philippines HGDG: score out of 20 → 0/25/50/75/100 %);
``declared``
    the declared share itself, category ``"declared"``.

In the tag table a scheme's category is the string column ``category_<scheme id>`` and the declared share is
``declared_share`` (float, NaN where not declared).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from gcdb import paths
from gcdb.errors import RuleError
from gcdb.i18n import Message, pydantic_message, t

DECLARED_SHARE = "declared_share"
CATEGORY_PREFIX = "category_"


def category_column(scheme_id: str) -> str:
    """Name of the tag-table column holding the category under ``scheme_id``."""
    return CATEGORY_PREFIX + scheme_id


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Category(_Strict):
    code: str
    weight: float | None = Field(default=None, ge=0, le=1)
    review_weight: float | None = Field(default=None, ge=0, le=1)
    declared_min: float | None = Field(default=None, ge=0, le=1)
    declared_max: float | None = Field(default=None, ge=0, le=1)
    label_tr: str
    label_en: str

    @model_validator(mode="after")
    def _weight_or_band(self) -> Category:
        has_band = self.declared_min is not None and self.declared_max is not None
        if (self.weight is not None) != has_band:
            return self
        raise ValueError(t("schemes.weight_or_band", code=repr(self.code)))


class ScoreBand(_Strict):
    min: float
    weight: float = Field(ge=0, le=1)
    label_tr: str
    label_en: str


class Scheme(_Strict):
    id: str
    name_tr: str
    name_en: str
    reference: str
    kind: Literal["categorical", "declared_bands", "score", "declared"]
    categories: tuple[Category, ...] = ()
    bands: tuple[ScoreBand, ...] = ()
    score_max: float | None = None
    full_amount: bool = False
    floor: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _shape(self) -> Scheme:
        if self.kind in ("categorical", "declared_bands") and not self.categories:
            raise ValueError(t("schemes.needs_categories", scheme=repr(self.id), kind=self.kind))
        if self.kind == "score" and (not self.bands or self.score_max is None):
            raise ValueError(t("schemes.needs_bands", scheme=repr(self.id)))
        codes = [c.code for c in self.categories]
        if len(codes) != len(set(codes)):
            raise ValueError(t("schemes.duplicate_categories", scheme=repr(self.id)))
        return self

    # -- validation of one rule's output -------------------------------------------------------------------
    def check(self, category: str | float | int | None, declared_share: float | None) -> str | None:
        """Return an error message if ``category`` (with ``declared_share``) is not valid here, else None."""
        if self.kind == "declared":
            if declared_share is None:
                return t("schemes.needs_share", scheme=repr(self.id))
            return None
        if self.kind == "score":
            try:
                score = float(category)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                return t(
                    "schemes.score", scheme=repr(self.id), max=f"{self.score_max:g}", value=repr(category)
                )
            if not 0 <= score <= float(self.score_max or 0):
                return t(
                    "schemes.score", scheme=repr(self.id), max=f"{self.score_max:g}", value=repr(category)
                )
            return None
        found = {c.code: c for c in self.categories}.get(str(category))
        if found is None:
            allowed = ", ".join(repr(c.code) for c in self.categories)
            return t(
                "schemes.unknown_category", category=repr(category), scheme=repr(self.id), allowed=allowed
            )
        if found.weight is None:
            if declared_share is None:
                return t(
                    "schemes.category_needs_share",
                    code=repr(found.code),
                    scheme=repr(self.id),
                    min=f"{found.declared_min:g}",
                    max=f"{found.declared_max:g}",
                )
            if not found.declared_min - 1e-12 <= declared_share <= found.declared_max + 1e-12:  # type: ignore[operator]
                return t(
                    "schemes.share_outside",
                    share=f"{declared_share:g}",
                    min=f"{found.declared_min:g}",
                    max=f"{found.declared_max:g}",
                    code=repr(found.code),
                    scheme=repr(self.id),
                )
        return None

    # -- vectorised weights --------------------------------------------------------------------------------
    def weights(
        self, category: pd.Series, declared_share: pd.Series | None = None, *, review: bool = False
    ) -> np.ndarray:
        """Weight of each row given its category (missing category → 0) and declared share.

        ``review=True`` applies ``review_weight`` where a category has one (EU CPR ``03*`` moved to 40 % after
        the ex-ante check) — the "upper" reading reports can show beside the default.
        """
        n = len(category)
        declared = (
            np.full(n, np.nan)
            if declared_share is None
            else declared_share.to_numpy(dtype=np.float64, na_value=np.nan)
        )
        if self.kind == "declared":
            return np.where(category.isna().to_numpy(), 0.0, np.nan_to_num(declared, nan=0.0))
        codes, uniques = pd.factorize(category, use_na_sentinel=True)
        if self.kind == "score":
            scores = pd.to_numeric(pd.Series(uniques, dtype="object"), errors="coerce").to_numpy(
                dtype=np.float64
            )
            mins = np.array([b.min for b in self.bands])
            band_w = np.array([b.weight for b in self.bands])
            idx = np.searchsorted(mins, scores, side="right") - 1
            per_unique = np.where((idx >= 0) & np.isfinite(scores), band_w[np.clip(idx, 0, None)], 0.0)
            return np.append(per_unique, 0.0)[codes]
        table = {c.code: c for c in self.categories}
        fixed = np.zeros(len(uniques) + 1)
        uses_declared = np.zeros(len(uniques) + 1, dtype=bool)
        for i, u in enumerate(uniques):  # distinct categories only (a handful)
            cat = table.get(str(u))
            if cat is None:
                continue
            if cat.weight is None:
                uses_declared[i] = True
            else:
                fixed[i] = cat.review_weight if (review and cat.review_weight is not None) else cat.weight
        row_fixed = fixed[codes]
        return np.where(uses_declared[codes], np.nan_to_num(declared, nan=0.0), row_fixed)

    def label(self, lang: str = "tr") -> str:
        return self.name_tr if lang == "tr" else self.name_en

    def category_label(self, code: str, lang: str = "tr") -> str:
        for c in self.categories:
            if c.code == code:
                return c.label_tr if lang == "tr" else c.label_en
        return code


class SchemeSet(_Strict):
    schemes: tuple[Scheme, ...]

    @model_validator(mode="after")
    def _unique(self) -> SchemeSet:
        ids = [s.id for s in self.schemes]
        if len(ids) != len(set(ids)):
            raise ValueError(t("schemes.duplicate_ids"))
        return self

    def __getitem__(self, scheme_id: str) -> Scheme:
        for s in self.schemes:
            if s.id == scheme_id:
                return s
        raise KeyError(scheme_id)

    def __contains__(self, scheme_id: object) -> bool:
        return any(s.id == scheme_id for s in self.schemes)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.schemes)


def load_schemes(path: str | Path | None = None) -> SchemeSet:
    """Load weighting schemes from YAML (default: the shipped ``rules/schemes.yaml``), strictly."""
    if path is None:
        return _default_schemes()
    return _load(Path(path))


@cache
def _default_schemes() -> SchemeSet:
    return _load(paths.rules() / "schemes.yaml")


def _load(path: Path) -> SchemeSet:
    from gcdb.yamlio import load_yaml_strict

    data = load_yaml_strict(path)
    try:
        return SchemeSet.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            ".".join(str(p) for p in err["loc"]) + ": " + pydantic_message(err) for err in exc.errors()
        )
        raise RuleError(Message("schemes.invalid", problems=problems), file=str(path)) from None
