"""Which unit reports each indicator: indicators linked to the action whose wording they share most.

A plan lists its indicators per priority area, not per action, and names no unit for them. To put each indicator
in exactly one unit's monitoring return, :func:`link_indicators` links it to the action of the same area whose
title shares the most (weighted) word stems with the indicator's text — a TF-IDF cosine over the folded texts,
computed for all indicators and actions at once as one matrix product — and gives it to that action's
responsible unit. An indicator sharing nothing with any action of its area (or linked to an action without a
responsible unit) goes to the area's *lead unit*: the unit responsible for most of the area's actions.

Stems: words of the folded text (Turkish letters folded, lower case) of three letters or more, minus a short list
of function words, cut to their first :data:`STEM` letters (Turkish adds suffixes: *eğitim, eğitimi, eğitimlerin*
share the stem *egiti*).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from gcdb.catalogue import schema as S
from gcdb.monitor import names as N
from gcdb.text import fold_series

STEM: Final = 5
#: Minimum cosine for a text link; below it the area's lead unit reports the indicator.
MIN_SCORE: Final = 0.08
STOPWORDS: Final = frozenset(
    """ve ile icin ilgili yonelik olan olarak yapilan verilen sayisi orani oranlari sayi bir her vb gibi tum
    uzere dahil icinde icerisinde ait gore bazinda bazli olusturulan gerceklestirilen yapilmasi saglanmasi
    alan alanlar olan ibb istanbul belediye belediyesi""".split()
)
TEXT_LINK, AREA_LEAD = "text", "area_lead"

#: Columns of :func:`link_indicators`.
LINK_COLUMNS: Final = (N.INDICATOR_ID, S.AREA, S.ACTION_CODE, N.UNIT_ID, N.LINK_METHOD, N.LINK_SCORE)


def _stems(texts: pd.Series) -> pd.DataFrame:
    """Long table ``doc, stem`` of the distinct stems of each text."""
    words = fold_series(texts.astype("str")).fillna("").str.findall(r"[a-z0-9]+").explode().dropna()
    words = words[(words.str.len() >= 3) & ~words.isin(STOPWORDS)]
    out = pd.DataFrame({"doc": words.index.to_numpy(), "stem": words.str.slice(0, STEM).to_numpy()})
    return out.drop_duplicates(ignore_index=True)


def _matrix(stems: pd.DataFrame, n_docs: int, vocab: pd.Index, idf: np.ndarray) -> np.ndarray:
    """Row-normalised TF-IDF matrix (binary term frequency) of ``n_docs`` documents over ``vocab``."""
    m = np.zeros((n_docs, len(vocab)), dtype=np.float64)
    m[stems["doc"].to_numpy(), vocab.get_indexer(pd.Index(stems["stem"]))] = 1.0
    m *= idf
    norm = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norm, out=np.zeros_like(m), where=norm > 0)


def area_leads(actions: pd.DataFrame, responsible: pd.DataFrame) -> pd.Series:
    """The unit responsible for most actions of each area (ties: the unit first in plan order), by area."""
    resp = actions[[S.ACTION_CODE, S.AREA]].merge(responsible, on=S.ACTION_CODE, how="left").dropna()
    resp = resp.assign(_order=np.arange(len(resp)))
    counts = resp.groupby([S.AREA, S.UNIT_ID], observed=True).agg(
        n=("_order", "size"), first=("_order", "min")
    )
    counts = counts.reset_index().sort_values([S.AREA, "n", "first"], ascending=[True, False, True])
    return counts.drop_duplicates(S.AREA).set_index(S.AREA)[S.UNIT_ID]


def link_indicators(catalogue) -> pd.DataFrame:
    """One row per indicator of ``catalogue``: the action it is linked to (``<NA>`` if none), the unit that
    reports it, how (``text`` or ``area_lead``) and the cosine of the text link. Columns :data:`LINK_COLUMNS`."""
    indicators = catalogue.indicators.reset_index(drop=True)
    actions = catalogue.actions.reset_index(drop=True)
    responsible = catalogue.responsible_units()
    ind_stems, act_stems = _stems(indicators[S.TEXT]), _stems(actions[S.TITLE])
    vocab = pd.Index(pd.unique(pd.concat([ind_stems["stem"], act_stems["stem"]], ignore_index=True)))
    df = np.zeros(len(vocab))
    for stems in (ind_stems, act_stems):
        np.add.at(df, vocab.get_indexer(pd.Index(stems["stem"])), 1.0)
    idf = np.log(1.0 + (len(indicators) + len(actions)) / np.maximum(df, 1.0))
    scores = _matrix(ind_stems, len(indicators), vocab, idf) @ _matrix(act_stems, len(actions), vocab, idf).T
    same_area = indicators[S.AREA].to_numpy()[:, None] == actions[S.AREA].to_numpy()[None, :]
    scores = np.where(same_area, scores, -1.0)
    best = scores.argmax(axis=1) if len(actions) else np.zeros(len(indicators), dtype=int)
    best_score = scores[np.arange(len(indicators)), best] if len(actions) else np.zeros(len(indicators))
    linked = best_score >= MIN_SCORE
    action = pd.Series(actions[S.ACTION_CODE].to_numpy()[best], dtype="str").where(linked)
    resp = responsible.drop_duplicates(S.ACTION_CODE).set_index(S.ACTION_CODE)[S.UNIT_ID]
    unit = action.map(resp)
    leads = indicators[S.AREA].map(area_leads(actions, responsible))
    by_text = unit.notna().to_numpy()
    return pd.DataFrame(
        {
            N.INDICATOR_ID: indicators[S.INDICATOR_ID].astype("str"),
            S.AREA: indicators[S.AREA].astype("int64"),
            S.ACTION_CODE: action,
            N.UNIT_ID: pd.Series(np.where(by_text, unit, leads), dtype="str"),
            N.LINK_METHOD: pd.Series(np.where(by_text, TEXT_LINK, AREA_LEAD), dtype="str"),
            N.LINK_SCORE: np.round(np.clip(best_score, 0.0, 1.0), 4),
        }
    )[list(LINK_COLUMNS)]
