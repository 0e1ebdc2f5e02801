"""Scheme weights → counted amounts, exactly.

For each tag part and each *reading* of a weighting scheme, the weight is ``Scheme.weights(category_<scheme>,
declared_share)`` (a part without a category under the scheme weighs 0, as ``docs/contracts.md`` states). The
part's ``attributed_<phase>`` kuruş are split into ``[counted, not counted]`` with
:func:`gcdb.money.largest_remainder` (weights ``w, 1 − w``), so ``counted + not_counted = attributed`` for every
part and phase, to the kuruş.

A scheme with a ``review_weight`` on some category (EU CPR ``03*``) is read twice: ``default`` (``03*`` at 0 %) and
``review`` (the upper reading, ``03*`` at 40 %). The readings come from the scheme data, not from this code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.budget import names as N
from gcdb.money import largest_remainder
from gcdb.schemes import DECLARED_SHARE, Scheme, category_column


@dataclass(frozen=True)
class Reading:
    """One way of reading a scheme: its default weights, or with ``review_weight`` applied (``review=True``)."""

    scheme: Scheme
    review: bool = False

    @property
    def name(self) -> str:
        return N.REVIEW_READING if self.review else N.DEFAULT_READING


def readings(schemes: tuple[Scheme, ...]) -> tuple[Reading, ...]:
    """Default reading of every scheme, followed by its review reading where a category has a review weight."""
    out: list[Reading] = []
    for scheme in schemes:
        out.append(Reading(scheme))
        if any(c.review_weight is not None for c in scheme.categories):
            out.append(Reading(scheme, review=True))
    return tuple(out)


def part_weights(tags: pd.DataFrame, reading: Reading) -> np.ndarray:
    """Weight in [0, 1] of every tag part under ``reading``; parts without a category under the scheme weigh 0."""
    category = tags[category_column(reading.scheme.id)]
    declared = tags[DECLARED_SHARE] if DECLARED_SHARE in tags.columns else None
    weights = reading.scheme.weights(category, declared, review=reading.review)
    return np.clip(np.where(category.isna().to_numpy(), 0.0, weights), 0.0, 1.0)


def split_counted(amounts: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split each integer amount into ``(counted, not_counted)`` by ``weights`` with the largest remainder.

    ``counted + not_counted == amounts`` exactly; ``counted`` is ``amount × w`` rounded to the nearer kuruş. At an
    exact half kuruş the tie goes to ``counted`` when ``w`` is a binary fraction (0.25, 0.5, 0.75); for other weights
    the float rounding of ``w`` and ``1 − w`` decides which side gets it.
    """
    amounts = np.asarray(amounts, dtype=np.int64)
    weights = np.asarray(weights, dtype=np.float64)
    n = len(amounts)
    group = np.repeat(np.arange(n, dtype=np.int64), 2)
    pair = np.column_stack([weights, 1.0 - weights]).ravel()
    parts = largest_remainder(amounts, group, pair).reshape(n, 2)
    return parts[:, 0], parts[:, 1]


def count_parts(tags: pd.DataFrame, lines: pd.DataFrame, all_readings: tuple[Reading, ...]) -> pd.DataFrame:
    """The parts table (:data:`gcdb.budget.names.PARTS_COLUMNS`): every tag part × reading with its counted split.

    ``tags`` is a prepared tag table (:func:`gcdb.budget.inputs.prepare_tags`), ``lines`` the prepared budget.
    Rows are ordered by reading (in ``all_readings`` order), then by part.
    """
    m = len(tags)
    v = len(all_readings)
    part = np.tile(np.arange(m), v)
    if not v:
        raise ValueError("at least one scheme reading is needed")
    weights = np.concatenate([part_weights(tags, r) for r in all_readings])
    row_id = tags[C.ROW_ID].to_numpy(dtype=np.int64)
    frame: dict[str, object] = {
        C.FISCAL_YEAR: lines[C.FISCAL_YEAR].to_numpy()[row_id][part],
        C.SCHEME: np.repeat([r.scheme.id for r in all_readings], m),
        N.READING: np.repeat([r.name for r in all_readings], m),
        N.PART_ID: tags[N.PART_ID].to_numpy()[part],
        C.ROW_ID: row_id[part],
        C.LINE_ID: lines[C.LINE_ID].take(row_id[part]).reset_index(drop=True),
        C.RULE_ID: tags[C.RULE_ID].to_numpy()[part],
        C.ACTION_CODE: tags[C.ACTION_CODE].to_numpy()[part],
        C.CATEGORY: np.concatenate(
            [tags[category_column(r.scheme.id)].to_numpy(dtype=object) for r in all_readings]
        ),
        DECLARED_SHARE: tags[DECLARED_SHARE].to_numpy()[part],
        C.SHARE: tags[C.SHARE].to_numpy()[part],
        N.WEIGHT: weights,
    }
    for phase in C.PHASES:
        amount = tags[C.attributed(phase)].to_numpy(dtype=np.int64)[part]
        counted, not_counted = split_counted(amount, weights)
        frame[N.attributed(phase)] = amount
        frame[N.counted(phase)] = counted
        frame[N.not_counted(phase)] = not_counted
    return N.conform(pd.DataFrame(frame), N.PARTS_COLUMNS)
