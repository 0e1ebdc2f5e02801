"""What an equality unit reads first: per service, the group it reaches least; and the records outside a service's
eligible population, as a data-quality finding.

* :func:`reached_least` — per service and year, the first under-served group of the ranking (the most people
  missing) with its ratio and interval: the fields of the one sentence a report writes per service ("Evde Bakım
  reaches women aged 65+ in Esenler least: 63 people missing, 0.48 of the rate of the rest of the city (95 % CI
  0.37–0.62)"). A service without an under-served group gets a row with status ``no_clear_gap``.
* :func:`ineligible_table` — distinct users outside their service's eligible population per year, service,
  criterion broken (``age``, ``sex``, ``disability``, ``migrant_status``, ``district``) and group (the age band
  for age, else the value); counts of 1 … k − 1 users hidden. They are left out of every rate (their population
  is not the denominator) and reported here instead of being dropped silently.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.equality.eligibility import EVERYONE, Eligibility
from gcdb.services import names as S
from gcdb.services.tables import empty


def reached_least(
    gaps: pd.DataFrame,
    services: pd.DataFrame,
    years: tuple[int, ...],
    eligibility: Mapping[str, Eligibility],
) -> pd.DataFrame:
    """One row per year × service (catalogue order): the service's first under-served group, or none."""
    codes = services[C.SERVICE_CODE].astype("str").tolist()
    names = services[C.SERVICE_NAME].astype("str").tolist()
    grid = pd.DataFrame(
        {
            S.FISCAL_YEAR: np.repeat(np.asarray(years, dtype=np.int64), len(codes)),
            C.SERVICE_CODE: pd.array(np.tile(np.asarray(codes, dtype=object), len(years)), dtype="str"),
            C.SERVICE_NAME: pd.array(np.tile(np.asarray(names, dtype=object), len(years)), dtype="str"),
        }
    )
    grid[S.ELIGIBILITY] = pd.array(
        grid[C.SERVICE_CODE].map({c: eligibility.get(c, EVERYONE).describe() for c in codes}).to_numpy(),
        dtype="str",
    )
    keys = [S.FISCAL_YEAR, C.SERVICE_CODE]
    counts = gaps.groupby(keys, sort=False).size().rename(S.N_UNDER_SERVED)
    first = gaps.sort_values(S.RANK, kind="stable").drop_duplicates(
        keys
    )  # gaps are ranked: the first is the top
    shown = [c for c in S.REACHED_LEAST_COLUMNS if c in first.columns and c not in (*keys, N.STATUS)]
    out = grid.merge(first[[*keys, *shown]], on=keys, how="left", validate="one_to_one")
    out = out.merge(counts.reset_index(), on=keys, how="left", validate="one_to_one")
    out[S.N_UNDER_SERVED] = out[S.N_UNDER_SERVED].fillna(0).astype(np.int64)
    out[N.STATUS] = pd.array(
        np.where(out[S.N_UNDER_SERVED] > 0, N.Status.UNDER_SERVED, N.Status.NO_CLEAR_GAP), dtype="str"
    )
    for column in S.REACHED_LEAST_COLUMNS:
        if column not in out.columns:
            out[column] = pd.Series(pd.NA, index=out.index, dtype="str")
    return out[list(S.REACHED_LEAST_COLUMNS)]


def ineligible_table(records: pd.DataFrame, broken: np.ndarray, fiscal_year: int, k: int) -> pd.DataFrame:
    """Distinct users outside their service's eligibility per service, criterion and group (small counts hidden).

    ``records`` are the year's records outside eligibility, ``broken`` the criterion each breaks.
    """
    if records.empty:
        return empty(S.INELIGIBLE_COLUMNS)
    criterion = pd.Series(np.asarray(broken, dtype=object), index=records.index, dtype="str")
    group = pd.Series(pd.NA, index=records.index, dtype="str")
    for name in pd.unique(criterion):
        rows = (criterion == name).to_numpy()
        column = C.AGE_BAND if name == C.AGE and C.AGE_BAND in records.columns else name
        if column in records.columns:
            group[rows] = records.loc[rows, column].astype("str").fillna(C.UNKNOWN)
    frame = pd.DataFrame(
        {
            C.SERVICE_CODE: records[C.SERVICE_CODE].astype("str"),
            S.CRITERION: criterion,
            N.GROUP: group.fillna(C.UNKNOWN),
            C.PERSON_ID: records[C.PERSON_ID],
        }
    )
    keys = [C.SERVICE_CODE, S.CRITERION, N.GROUP]
    users = frame.dropna(subset=[C.PERSON_ID]).drop_duplicates([*keys, C.PERSON_ID]).groupby(keys).size()
    out = users.rename(N.USERS).reset_index()
    # groups in their natural order (age bands 0-4, 5-14, 15-24 …; sexes, statuses as coded), not as text sorts
    natural = [*C.DEFAULT_AGE_BANDS.labels, *C.SEX_CODES, *C.DISABILITY_CODES, *C.MIGRANT_CODES]
    rank = {g: i for i, g in enumerate(dict.fromkeys(natural))}
    order = np.lexsort(
        (
            out[N.GROUP].astype("str").to_numpy(dtype=object),
            out[N.GROUP].map(lambda g: rank.get(str(g), len(rank))).to_numpy(dtype=np.int64),
            out[S.CRITERION].astype("str").to_numpy(dtype=object),
            out[C.SERVICE_CODE].astype("str").to_numpy(dtype=object),
        )
    )
    out = out.iloc[order].reset_index(drop=True)
    hidden = ((out[N.USERS] > 0) & (out[N.USERS] < k)).to_numpy()
    out[N.USERS] = pd.array(out[N.USERS].to_numpy(dtype=np.int64), dtype="Int64").copy()
    out[N.USERS] = out[N.USERS].mask(hidden)
    out[N.SUPPRESSED] = hidden
    out[S.FISCAL_YEAR] = np.int64(fiscal_year)
    for column in keys:
        out[column] = out[column].astype("str")
    return out[list(S.INELIGIBLE_COLUMNS)]
