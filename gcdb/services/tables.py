"""Report tables derived from the ratio tables and the records: largest gaps, breakdown views, headline figures
per service, users whose status is not recorded, and the count of hidden cells."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.equality.breakdown import USES_WEIGHT, distinct
from gcdb.equality.categories import value_codes
from gcdb.persons import person_codes
from gcdb.services import names as S
from gcdb.services.impact import known_status


def stratum_labels(table: pd.DataFrame) -> pd.Series:
    """Per row, the ``"|"``-joined values of its strata dimensions (``""`` for a city-wide comparison)."""
    out = pd.Series("", index=table.index, dtype="str")
    strata = table[N.STRATA].astype("str")
    for value in pd.unique(strata):
        if not value:
            continue
        rows = (strata == value).to_numpy()
        cols = value.split("|")
        joined = table.loc[rows, cols[0]].astype("str")
        for col in cols[1:]:
            joined = joined + "|" + table.loc[rows, col].astype("str")
        out[rows] = joined
    return out


def rank_gaps(impact: pd.DataFrame) -> pd.DataFrame:
    """Every under-served group (status ``under_served``, :func:`gcdb.equality.flags.classify`), ranked by the
    people missing (expected users at the reference rate − users), most first.

    Ties: smaller rate ratio first, then newest year, service, dimension, strata, stratum and group, so the order
    never depends on the input order.
    """
    status = impact[N.STATUS].astype("str").fillna("")
    rows = impact[(status == N.Status.UNDER_SERVED).to_numpy()].copy()
    rows[S.STRATUM] = stratum_labels(rows)
    rows["_missing"] = -rows[N.USERS_MISSING].to_numpy(dtype=np.float64, na_value=np.nan)
    rows["_year"] = -rows[S.FISCAL_YEAR].to_numpy(dtype=np.int64)
    rows = rows.sort_values(
        ["_missing", N.RATE_RATIO, "_year", C.SERVICE_CODE, N.DIMENSION, N.STRATA, S.STRATUM, N.GROUP],
        kind="stable",
    )
    rows[S.RANK] = np.arange(1, len(rows) + 1, dtype=np.int64)
    return rows[list(S.GAPS_COLUMNS)].reset_index(drop=True)


def breakdown_views(impact: pd.DataFrame) -> pd.DataFrame:
    """The rows of the ratio table that make the report's breakdowns, each with its ``view``
    (:data:`~gcdb.services.names.VIEWS`)."""
    parts = []
    dimension = impact[N.DIMENSION].astype("str")
    strata = impact[N.STRATA].astype("str")
    for view, (compared, within) in S.VIEWS.items():
        rows = impact[((dimension == compared) & (strata == within)).to_numpy()]
        if len(rows):
            parts.append(rows.assign(**{S.VIEW: view}))
    base = [c for c in S.BREAKDOWN_COLUMNS if c not in S.STANDARDISED_SHOWN]
    if not parts:
        return empty(base, impact)
    out = pd.concat(parts, ignore_index=True)
    out[S.VIEW] = out[S.VIEW].astype("str")
    return out[base]


def empty(columns: Sequence[str], like: pd.DataFrame | None = None) -> pd.DataFrame:
    """An empty frame with ``columns`` (dtypes of ``like`` where it has the column)."""
    data = {}
    for col in columns:
        if like is not None and col in like.columns:
            data[col] = pd.Series(dtype=like[col].dtype)
        else:
            data[col] = pd.Series(dtype="str")
    return pd.DataFrame(data)


def record_weights(usage: pd.DataFrame) -> np.ndarray:
    """Records each row stands for: :data:`~gcdb.equality.breakdown.USES_WEIGHT` of weighted distinct records
    (:mod:`gcdb.scale.services`), else 1."""
    if USES_WEIGHT in usage.columns:
        return usage[USES_WEIGHT].to_numpy(dtype=np.float64)
    return np.ones(len(usage), dtype=np.float64)


def distinct_count(group_codes: np.ndarray, person_codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Distinct persons per group (rows without a person are not counted)."""
    ok = person_codes >= 0
    n_persons = int(person_codes.max()) + 1 if ok.any() else 1
    if not ok.all():
        group_codes, person_codes = group_codes[ok], person_codes[ok]
    del ok
    keys = group_codes.astype(np.int64)  # one key array, computed in place
    keys *= n_persons
    keys += person_codes
    keys = distinct(keys)
    return np.bincount(keys // n_persons, minlength=n_groups)


def _rows_of(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values[mask]``, without a copy when every row is kept."""
    return values if mask.all() else values[mask]


def positions_in(index: pd.Index, values: pd.Series) -> np.ndarray:
    """The position of each value (as text) in ``index``, -1 where it is absent or missing — looked up once per
    distinct value, not per row."""
    codes, uniques = value_codes(values)
    at = (
        index.get_indexer(pd.Index([str(u) for u in uniques], dtype="str"))
        if len(uniques)
        else np.zeros(0, int)
    )
    small = np.int32 if len(index) < 2**31 else np.int64
    return np.append(at, -1).astype(small)[codes]  # code -1 reads the last entry


def headline(
    usage: pd.DataFrame,
    population: pd.DataFrame,
    services: pd.DataFrame,
    fiscal_year: int,
    k: int,
    ineligible: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Users, uses, women's share and users per 1,000 eligible residents of each service in one year.

    ``usage`` holds the records inside their service's eligibility and ``population`` the eligible population
    (a ``service_code`` column: one baseline per service, :func:`gcdb.equality.eligibility.eligible_population`;
    without it every resident counts). ``ineligible`` holds the records outside it (counted as
    ``ineligible_users``). Hidden (``suppressed``): users of 1 … k − 1 persons (with the rate); the number and share
    of women when women or the other users are 1 … k − 1 persons; 1 … k − 1 ineligible users.
    """
    codes = services[C.SERVICE_CODE].astype("str")
    index = pd.Index(codes)
    service_of_row = positions_in(index, usage[C.SERVICE_CODE])
    person, _ = person_codes(usage[C.PERSON_ID], small=True)  # (4 bytes a row when the codes fit)
    known = service_of_row >= 0
    n = len(index)
    users = distinct_count(_rows_of(known, service_of_row), _rows_of(known, person), n)
    uses = np.bincount(
        _rows_of(known, service_of_row), weights=_rows_of(known, record_weights(usage)), minlength=n
    )
    uses = np.rint(uses).astype(np.int64)
    female = positions_in(pd.Index([C.FEMALE]), usage[C.SEX]) == 0
    female &= known
    women = distinct_count(service_of_row[female], person[female], n)
    del female, known, service_of_row, person
    values = pd.to_numeric(population[C.POPULATION]).to_numpy(dtype=np.float64, na_value=np.nan)
    if C.SERVICE_CODE in population.columns:
        at = index.get_indexer(pd.Index(population[C.SERVICE_CODE].astype("str")))
        residents = np.bincount(at[at >= 0], weights=values[at >= 0], minlength=n)
        has_nan = np.bincount(at[at >= 0], weights=np.isnan(values[at >= 0]), minlength=n) > 0
        residents = np.where(has_nan, np.nan, residents)
    else:
        residents = np.full(n, float(np.nansum(values)))
    outside = np.zeros(n, dtype=np.int64)
    if ineligible is not None and len(ineligible):
        svc = positions_in(index, ineligible[C.SERVICE_CODE])
        who, _ = person_codes(ineligible[C.PERSON_ID], small=True)
        outside = distinct_count(_rows_of(svc >= 0, svc), _rows_of(svc >= 0, who), n)
        del svc, who
    outside_hidden = (outside > 0) & (outside < k)
    others = users - women
    users_hidden = (users > 0) & (users < k)
    women_hidden = users_hidden | ((women > 0) & (women < k)) | ((others > 0) & (others < k))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(users > 0, women / users, np.nan)
        rate = np.where(residents > 0, users / residents * 1000.0, np.nan)
    out = pd.DataFrame(
        {
            S.FISCAL_YEAR: np.full(n, fiscal_year, dtype=np.int64),
            C.SERVICE_CODE: codes.to_numpy(),
            C.SERVICE_NAME: services[C.SERVICE_NAME].astype("str").to_numpy(),
            C.UNIT_NAME: services[C.UNIT_NAME].astype("str").to_numpy(),
            N.USERS: pd.array(users, dtype="Int64"),
            N.USES: pd.array(uses, dtype="Int64"),
            S.FEMALE_USERS: pd.array(women, dtype="Int64"),
            S.SHARE_WOMEN: np.where(women_hidden, np.nan, share),
            N.POPULATION: residents,
            N.RATE: np.where(users_hidden, np.nan, rate),
            S.INELIGIBLE_USERS: pd.array(outside, dtype="Int64"),
            N.SUPPRESSED: users_hidden | women_hidden | outside_hidden,
        }
    )
    out[S.INELIGIBLE_USERS] = out[S.INELIGIBLE_USERS].mask(outside_hidden)
    out[N.USERS] = out[N.USERS].mask(users_hidden)
    out[N.USES] = out[N.USES].mask(users_hidden)
    out[S.FEMALE_USERS] = out[S.FEMALE_USERS].mask(women_hidden)
    return out[list(S.HEADLINE_COLUMNS)]


def unknown_status(
    usage: pd.DataFrame, services: pd.DataFrame, dimensions: Sequence[str], fiscal_year: int, k: int
) -> pd.DataFrame:
    """Per service and dimension: users, and users whose category is not recorded (missing or ``unknown``)."""
    codes = services[C.SERVICE_CODE].astype("str")
    index = pd.Index(codes)
    service_of_row = positions_in(index, usage[C.SERVICE_CODE])
    person, _ = person_codes(usage[C.PERSON_ID], small=True)  # (4 bytes a row when the codes fit)
    known_service = service_of_row >= 0
    n = len(index)
    users = distinct_count(_rows_of(known_service, service_of_row), _rows_of(known_service, person), n)
    parts = []
    for dimension in dimensions:
        if dimension not in usage.columns:
            continue
        unknown_rows = ~known_status(usage, dimension)
        unknown_rows &= known_service
        unknown = distinct_count(service_of_row[unknown_rows], person[unknown_rows], n)
        hidden = (unknown > 0) & (unknown < k)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(users > 0, unknown / users, np.nan)
        part = pd.DataFrame(
            {
                S.FISCAL_YEAR: np.full(n, fiscal_year, dtype=np.int64),
                C.SERVICE_CODE: codes.to_numpy(),
                N.DIMENSION: dimension,
                N.USERS: pd.array(users, dtype="Int64").copy(),
                S.UNKNOWN_USERS: pd.array(unknown, dtype="Int64"),
                S.UNKNOWN_SHARE: np.where(hidden, np.nan, share),
                N.SUPPRESSED: hidden,
            }
        )
        part[S.UNKNOWN_USERS] = part[S.UNKNOWN_USERS].mask(hidden)
        part[N.USERS] = part[N.USERS].mask((users > 0) & (users < k))
        parts.append(part)
    if not parts:
        return empty(S.STATUS_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out[N.DIMENSION] = out[N.DIMENSION].astype("str")
    return out[list(S.STATUS_COLUMNS)]


def suppression_counts(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """Cells with a count and hidden cells (primary, secondary) of one table, per fiscal year."""
    if table.empty:
        return empty(S.SUPPRESSION_COLUMNS)
    hidden = table[N.SUPPRESSED].to_numpy(dtype=bool)
    if N.SUPPRESSION in table.columns:
        kind = table[N.SUPPRESSION].astype("str").to_numpy(dtype=object)
        primary, secondary = hidden & (kind == S.PRIMARY), hidden & (kind == S.SECONDARY)
    else:
        primary, secondary = hidden, np.zeros(len(table), dtype=bool)
    frame = pd.DataFrame(
        {
            S.FISCAL_YEAR: table[S.FISCAL_YEAR].to_numpy(dtype=np.int64),
            S.CELLS: np.ones(len(table), dtype=np.int64),
            S.HIDDEN: hidden.astype(np.int64),
            S.PRIMARY: primary.astype(np.int64),
            S.SECONDARY: secondary.astype(np.int64),
        }
    )
    out = frame.groupby(S.FISCAL_YEAR, sort=True, as_index=False).sum()
    out.insert(0, S.TABLE, name)
    out[S.TABLE] = out[S.TABLE].astype("str")
    return out[list(S.SUPPRESSION_COLUMNS)]
