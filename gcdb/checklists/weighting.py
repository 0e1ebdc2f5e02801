"""Assessed HGDG scores in the budget: checklist scores replace the hand-typed ``ph_hgdg`` score of a rule where an
assessment exists, and the TCDB figure under the HGDG scheme is reported both ways.

An assessment names the budget it assesses by ``line_id`` (a budget line of its fiscal year), ``action_code`` (every
line tagged to the action) or ``rule_id`` (every line the rule tagged). The score of a link is the mean HGDG score
(out of 20) of the latest assessment of each subject linked to it; an assessment with a fiscal year applies to that
year's lines only, one without a year to every year. A tag part takes the score of its line's assessment first,
then of its action's, then of its rule's (and a year-specific link before an all-years one); parts without any keep
the rule's hand-typed score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.checklists import names as N
from gcdb.errors import UsageError
from gcdb.schemes import category_column

HGDG = "ph_hgdg"
HGDG_COLUMN = category_column(HGDG)
_LINK_COLUMN = {"line": C.LINE_ID, "action": C.ACTION_CODE, "rule": C.RULE_ID}

#: :func:`assessed_scores`: one row per link (kind, key, fiscal year).
LINK_COLUMNS = (N.LINK, N.KEY, C.FISCAL_YEAR, N.SUBJECTS, N.ASSESSED)
#: :attr:`AssessedTags.sources`: one row per tag part.
SOURCE_COLUMNS = (
    C.ROW_ID,
    C.FISCAL_YEAR,
    C.LINE_ID,
    C.RULE_ID,
    C.ACTION_CODE,
    N.HAND_TYPED,
    N.ASSESSED,
    N.USED,
    N.SOURCE,
)


def assessed_scores(*scores) -> pd.DataFrame:
    """The HGDG score of each budget link from one or more :class:`gcdb.checklists.score.Scores` (each subject's
    latest assessment of the fiscal year; several subjects on one link: their mean, rounded to 2 decimals).
    Columns :data:`LINK_COLUMNS`."""
    frames = []
    for item in scores:
        table = getattr(item, "assessments", item)
        if not isinstance(table, pd.DataFrame) or N.HGDG_SCORE not in table.columns:
            raise UsageError("assessed_scores takes the results of gcdb.checklists.score_assessments")
        latest = _latest_per_year(table)
        for kind, column in _LINK_COLUMN.items():
            linked = latest[latest[column].notna() & latest[N.HGDG_SCORE].notna()]
            frames.append(
                pd.DataFrame(
                    {
                        N.LINK: kind,
                        N.KEY: linked[column].astype("str").to_numpy(),
                        C.FISCAL_YEAR: linked[C.FISCAL_YEAR].astype("Int64").to_numpy(),
                        N.SUBJECT_ID: linked[N.SUBJECT_ID].to_numpy(),
                        N.HGDG_SCORE: linked[N.HGDG_SCORE].to_numpy(),
                    }
                )
            )
    if not frames:
        return N.conform(None, LINK_COLUMNS)
    both = pd.concat(frames, ignore_index=True)
    grouped = both.groupby([N.LINK, N.KEY, C.FISCAL_YEAR], sort=True, dropna=False)
    out = grouped.agg(
        **{N.SUBJECTS: (N.SUBJECT_ID, "nunique"), N.ASSESSED: (N.HGDG_SCORE, "mean")}
    ).reset_index()
    out[N.ASSESSED] = out[N.ASSESSED].round(2)
    return N.conform(out, LINK_COLUMNS)


def _latest_per_year(table: pd.DataFrame) -> pd.DataFrame:
    """Each subject's latest assessment within each fiscal year (a 2023 assessment scores the 2023 lines)."""
    order = table.assign(_d=table[N.ASSESSED_ON].fillna(pd.Timestamp.min), _y=table[C.FISCAL_YEAR].fillna(-1))
    order = order.sort_values([N.SUBJECT_ID, "_y", "_d", N.ASSESSMENT_ID], kind="stable")
    return order.drop_duplicates([N.SUBJECT_ID, "_y"], keep="last").drop(columns=["_d", "_y"])


@dataclass(frozen=True, eq=False)
class AssessedTags:
    """``tags``: the tag table with ``category_ph_hgdg`` replaced where an assessment exists; ``sources``: per
    part, the hand-typed, assessed and used score and where the used one comes from (:data:`SOURCE_COLUMNS`)."""

    tags: pd.DataFrame
    sources: pd.DataFrame


def _score_text(values: np.ndarray) -> np.ndarray:
    """Scores as the category text the HGDG scheme reads (``16``, ``12.5``), once per distinct value."""
    codes, uniques = pd.factorize(pd.Series(values, dtype="float64"), use_na_sentinel=True)
    texts = np.array([f"{v:g}" for v in uniques] + [None], dtype=object)
    return texts[codes]


def apply_assessed_scores(tags, budget: pd.DataFrame, links: pd.DataFrame) -> AssessedTags:
    """Replace the HGDG category of tag parts by assessed scores (``links``: :func:`assessed_scores`)."""
    table = getattr(tags, "tags", tags)
    if not isinstance(table, pd.DataFrame) or C.ROW_ID not in table.columns:
        raise UsageError("tags must be a TagResult (gcdb.tag) or its tag table")
    for column in (C.FISCAL_YEAR, C.LINE_ID):
        if column not in budget.columns:
            raise UsageError(f"the budget lacks the column {column!r}")
    parts = table.reset_index(drop=True)
    row = parts[C.ROW_ID].to_numpy(dtype=np.int64)
    lines = budget.reset_index(drop=True)
    keys = pd.DataFrame(
        {
            C.FISCAL_YEAR: pd.array(lines[C.FISCAL_YEAR].to_numpy()[row], dtype="Int64"),
            "line": lines[C.LINE_ID].astype("str").to_numpy()[row],
            "action": parts[C.ACTION_CODE].astype("str").to_numpy() if C.ACTION_CODE in parts else None,
            "rule": parts[C.RULE_ID].astype("str").to_numpy() if C.RULE_ID in parts else None,
        }
    )
    hand = (
        pd.to_numeric(parts[HGDG_COLUMN], errors="coerce")
        if HGDG_COLUMN in parts
        else pd.Series(np.nan, index=parts.index)
    )
    assessed = pd.Series(np.nan, index=parts.index)
    source = pd.Series(np.where(hand.notna(), "rule", "none"), index=parts.index, dtype="object")
    for kind in N.LINK_KINDS:  # precedence: line, action, rule; within each, the year's own link first
        sub = links[links[N.LINK] == kind]
        for year_specific in (True, False):
            pick = sub[sub[C.FISCAL_YEAR].notna() == year_specific]
            if pick.empty or keys[kind].isna().all():
                continue
            on = [kind, C.FISCAL_YEAR] if year_specific else [kind]
            found = keys[on].merge(
                pick.rename(columns={N.KEY: kind})[[*on, N.ASSESSED]].drop_duplicates(on), on=on, how="left"
            )[N.ASSESSED]
            take = assessed.isna().to_numpy() & found.notna().to_numpy()
            assessed[take] = found.to_numpy()[take]
            source[take] = f"assessment_{kind}"
    used = np.where(assessed.notna(), assessed, hand)
    out = parts.copy()
    out[HGDG_COLUMN] = pd.Series(_score_text(used), dtype="str")
    sources = pd.DataFrame(
        {
            C.ROW_ID: row,
            C.FISCAL_YEAR: keys[C.FISCAL_YEAR],
            C.LINE_ID: keys["line"],
            C.RULE_ID: keys["rule"],
            C.ACTION_CODE: parts[C.ACTION_CODE] if C.ACTION_CODE in parts else pd.NA,
            N.HAND_TYPED: hand.to_numpy(dtype=np.float64),
            N.ASSESSED: assessed.to_numpy(dtype=np.float64),
            N.USED: used.astype(np.float64),
            N.SOURCE: source.astype("str"),
        }
    )
    return AssessedTags(tags=out, sources=N.conform(sources, SOURCE_COLUMNS))


# ---------------------------------------------------------------------------------------------------------------
# the TCDB figure under HGDG, hand-typed vs assessed
# ---------------------------------------------------------------------------------------------------------------
HAND = "hand_typed"
ASSESSED_READING = "assessed"
COUNTED_HAND = "counted_hand_typed"
COUNTED_ASSESSED = "counted_assessed"
SHARE_HAND = "share_hand_typed"
SHARE_ASSESSED = "share_assessed"
DIFFERENCE = "difference"
PHASE = "phase"
BUDGET_TOTAL = "budget_total"
SCORES = "scores"  # floor check: which scores (hand_typed | assessed)

#: :attr:`HgdgComparison.summary`: per fiscal year × phase.
SUMMARY_COLUMNS = (
    C.FISCAL_YEAR,
    PHASE,
    BUDGET_TOTAL,
    COUNTED_HAND,
    COUNTED_ASSESSED,
    DIFFERENCE,
    SHARE_HAND,
    SHARE_ASSESSED,
)
#: :attr:`HgdgComparison.by_rule`: per fiscal year × rule × action, revised appropriation.
BY_RULE_COLUMNS = (
    C.FISCAL_YEAR,
    C.RULE_ID,
    C.ACTION_CODE,
    N.SOURCE,
    N.HAND_TYPED,
    N.ASSESSED,
    C.attributed(C.REVISED_APPROPRIATION),
    COUNTED_HAND,
    COUNTED_ASSESSED,
)


@dataclass(frozen=True, eq=False)
class HgdgComparison:
    """The TCDB figure under the HGDG scheme with the rules' hand-typed scores and with assessed scores.

    ``summary``: per fiscal year × phase, the budget total, the counted amounts both ways, the difference
    (assessed − hand-typed) and both shares of the budget (:data:`SUMMARY_COLUMNS`); ``by_rule``: per year, rule
    and action, the scores and the counted revised appropriation (:data:`BY_RULE_COLUMNS`); ``floor``: the 5 %
    floor check both ways (``scores`` = ``hand_typed`` / ``assessed``); ``sources``: per tag part.
    """

    summary: pd.DataFrame
    by_rule: pd.DataFrame
    floor: pd.DataFrame
    sources: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "hgdg_assessed_summary": self.summary,
            "hgdg_assessed_by_rule": self.by_rule,
            "hgdg_assessed_floor": self.floor,
        }


def hgdg_comparison(budget: pd.DataFrame, tags, links: pd.DataFrame, *, years=None) -> HgdgComparison:
    """Analyse the budget under the HGDG scheme twice — hand-typed scores, then assessed ones — and set the
    results side by side. ``links``: :func:`assessed_scores`."""
    from gcdb.budget import analyse_budget
    from gcdb.budget import names as BN

    table = getattr(tags, "tags", tags)
    applied = apply_assessed_scores(table, budget, links)
    hand = analyse_budget(budget, table, schemes=[HGDG], years=years, floor=None)
    new = analyse_budget(budget, applied.tags, schemes=[HGDG], years=years, floor=None)
    frames = []
    for phase in C.PHASES:
        frames.append(
            pd.DataFrame(
                {
                    C.FISCAL_YEAR: hand.summary[C.FISCAL_YEAR].to_numpy(),
                    PHASE: phase,
                    BUDGET_TOTAL: hand.summary[BN.budget(phase)].to_numpy(),
                    COUNTED_HAND: hand.summary[BN.counted(phase)].to_numpy(),
                    COUNTED_ASSESSED: new.summary[BN.counted(phase)].to_numpy(),
                    SHARE_HAND: hand.summary[BN.share_of_total(phase)].to_numpy(),
                    SHARE_ASSESSED: new.summary[BN.share_of_total(phase)].to_numpy(),
                }
            )
        )
    summary = pd.concat(frames, ignore_index=True).sort_values([C.FISCAL_YEAR], kind="stable")
    summary[DIFFERENCE] = summary[COUNTED_ASSESSED] - summary[COUNTED_HAND]
    summary = summary.loc[:, list(SUMMARY_COLUMNS)].reset_index(drop=True)

    revised = BN.counted(C.REVISED_APPROPRIATION)
    parts_hand = hand.parts[
        [C.FISCAL_YEAR, BN.PART_ID, C.RULE_ID, C.ACTION_CODE, C.attributed(C.REVISED_APPROPRIATION), revised]
    ]
    parts_new = new.parts[[BN.PART_ID, revised]].rename(columns={revised: COUNTED_ASSESSED})
    detail = parts_hand.rename(columns={revised: COUNTED_HAND}).merge(parts_new, on=BN.PART_ID, how="left")
    src = applied.sources.reset_index().rename(columns={"index": BN.PART_ID})[
        [BN.PART_ID, N.SOURCE, N.HAND_TYPED, N.ASSESSED]
    ]
    detail = detail.merge(src, on=BN.PART_ID, how="left")
    keys = [C.FISCAL_YEAR, C.RULE_ID, C.ACTION_CODE, N.SOURCE]
    by_rule = (
        detail.groupby(keys, sort=True, dropna=False)
        .agg(
            **{
                N.HAND_TYPED: (N.HAND_TYPED, "first"),
                N.ASSESSED: (N.ASSESSED, "mean"),
                C.attributed(C.REVISED_APPROPRIATION): (C.attributed(C.REVISED_APPROPRIATION), "sum"),
                COUNTED_HAND: (COUNTED_HAND, "sum"),
                COUNTED_ASSESSED: (COUNTED_ASSESSED, "sum"),
            }
        )
        .reset_index()
    )
    from gcdb.budget.analysis import floor_check

    floor = pd.concat(
        [
            floor_check(hand.summary, 0.05).assign(**{SCORES: HAND}),
            floor_check(new.summary, 0.05).assign(**{SCORES: ASSESSED_READING}),
        ],
        ignore_index=True,
    )
    return HgdgComparison(
        summary=summary, by_rule=by_rule.loc[:, list(BY_RULE_COLUMNS)], floor=floor, sources=applied.sources
    )
