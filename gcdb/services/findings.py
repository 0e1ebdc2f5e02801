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
from gcdb.equality.categories import value_codes
from gcdb.equality.eligibility import CRITERIA, EVERYONE, Eligibility
from gcdb.persons import person_codes
from gcdb.services import names as S
from gcdb.services.tables import distinct_count, empty


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

    ``records`` are the year's records outside eligibility, ``broken`` the criterion each breaks (names, or the
    codes of :func:`gcdb.equality.eligibility.eligible_criteria`). Counted on integer codes: text work runs on the
    distinct values only.
    """
    if records.empty:
        return empty(S.INELIGIBLE_COLUMNS)
    broken = np.asarray(broken)
    if broken.dtype.kind in "iu":
        criterion, criteria = broken, np.asarray(["", *CRITERIA], dtype=object)
    else:
        criterion, found = pd.factorize(pd.Series(broken, dtype="str"))
        criteria = np.asarray([str(c) for c in found], dtype=object)
    service, services = _text_codes(records[C.SERVICE_CODE])
    group_names: dict[str, int] = {}
    group = np.full(len(records), -1, dtype=np.int32)
    for code in np.flatnonzero(np.bincount(criterion, minlength=len(criteria))):
        name = str(criteria[code])
        rows = criterion == code
        column = C.AGE_BAND if name == C.AGE and C.AGE_BAND in records.columns else name
        if column in records.columns:
            values, texts = _text_codes(records[column])
        else:
            values, texts = np.full(len(records), -1, dtype=np.int64), np.zeros(0, dtype=object)
        ids = np.asarray([group_names.setdefault(t, len(group_names)) for t in [*texts, C.UNKNOWN]])
        group[rows] = ids[values[rows]]  # code -1 (missing): unknown
    groups = np.asarray(list(group_names), dtype=object)
    person, _ = person_codes(records[C.PERSON_ID], small=True)  # (4 bytes a row when the codes fit)
    counted = service >= 0
    n_criteria, n_groups = len(criteria), max(len(groups), 1)
    key = (service.astype(np.int64) * n_criteria + criterion) * n_groups + group
    users = distinct_count(key[counted], person[counted], len(services) * n_criteria * n_groups)
    cells = np.flatnonzero(users)
    out = pd.DataFrame(
        {
            C.SERVICE_CODE: services[cells // (n_criteria * n_groups)],
            S.CRITERION: criteria[cells // n_groups % n_criteria],
            N.GROUP: groups[cells % n_groups] if len(groups) else np.zeros(0, dtype=object),
            N.USERS: users[cells].astype(np.int64),
        }
    )
    # groups in their natural order (age bands 0-4, 5-14, 15-24 …; sexes, statuses as coded), not as text sorts
    natural = [*C.DEFAULT_AGE_BANDS.labels, *C.SEX_CODES, *C.DISABILITY_CODES, *C.MIGRANT_CODES]
    rank = {g: i for i, g in enumerate(dict.fromkeys(natural))}
    order = np.lexsort(
        (
            out[N.GROUP].to_numpy(dtype=object),
            out[N.GROUP].map(lambda g: rank.get(str(g), len(rank))).to_numpy(dtype=np.int64),
            out[S.CRITERION].to_numpy(dtype=object),
            out[C.SERVICE_CODE].to_numpy(dtype=object),
        )
    )
    out = out.iloc[order].reset_index(drop=True)
    hidden = ((out[N.USERS] > 0) & (out[N.USERS] < k)).to_numpy()
    out[N.USERS] = pd.array(out[N.USERS].to_numpy(dtype=np.int64), dtype="Int64").copy()
    out[N.USERS] = out[N.USERS].mask(hidden)
    out[N.SUPPRESSED] = hidden
    out[S.FISCAL_YEAR] = np.int64(fiscal_year)
    for column in (C.SERVICE_CODE, S.CRITERION, N.GROUP):
        out[column] = out[column].astype("str")
    return out[list(S.INELIGIBLE_COLUMNS)]


def _text_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per row, a code of its value as text (``-1`` missing) and the distinct texts; values with the same text
    share a code."""
    codes, uniques = value_codes(values)
    merged, distinct = pd.factorize(pd.Index(uniques.astype("str")))
    names = np.asarray([str(t) for t in distinct], dtype=object)
    return np.append(merged, -1)[codes], names  # code -1 (missing) reads the last entry
