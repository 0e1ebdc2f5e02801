"""Benefit incidence: who receives the spending (Demery; methods.md §5).

Benefit to group j from service i = users_ij × S_i / users_i, S_i the executed spending attributed to service i
(integer kuruş). The kuruş are split exactly with :func:`gcdb.money.largest_remainder`, so the benefits of a
service add up to S_i to the kuruş. The group's share of all benefit x_j is compared with its population share
p_j (incidence ratio x_j / p_j, the representation ratio of the ratio table); spending per user and per resident
(per woman, per man, per district resident) are rounded to whole kuruş.

Regional variant: when the spending frame also has one of the ``by`` columns (e.g. ``district``), each service's
spending in a district is shared among that district's users only (unit costs per district).

Caveat (print it with the results): :data:`~gcdb.equality.names.INCIDENCE_CAVEAT` — the same unit cost is assumed
for every user of a service.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.equality.baseline import denominators, pooled_migrants, select_year
from gcdb.equality.breakdown import build_cube, encode, free_dims
from gcdb.equality.categories import BY_VALUES
from gcdb.equality.suppression import Lines, secondary_suppress
from gcdb.errors import DataValidationError, UsageError
from gcdb.money import largest_remainder

#: Reason a service's spending could not be allocated.
NO_USERS = "no_users"


@dataclass(frozen=True)
class Incidence:
    """Result of :func:`benefit_incidence`.

    Attributes
    ----------
    by_service : one row per service × group (``service_code, *by, users, spending, benefit``) and one
        :data:`~gcdb.equality.names.TOTAL` row per service; benefits in kuruş (Int64, NA when suppressed).
    by_group : one row per group and a TOTAL row: ``users`` (distinct across services), ``benefit``,
        ``benefit_share``, ``population``, ``population_share``, ``incidence_ratio``, ``benefit_per_user``,
        ``benefit_per_resident`` (kuruş), ``suppressed``, ``reason``.
    unallocated : spending that reached nobody (``service_code`` [+ region], ``spending``, ``reason``).
    caveat : the equal-unit-cost caveat, ``{"tr": …, "en": …}``.
    """

    by_service: pd.DataFrame
    by_group: pd.DataFrame
    unallocated: pd.DataFrame
    caveat: Mapping[str, str] = field(default_factory=lambda: dict(N.INCIDENCE_CAVEAT))


def _spending_frame(spending: pd.Series | pd.DataFrame, by: Sequence[str], column: str | None) -> tuple:
    if isinstance(spending, pd.Series):
        frame = pd.DataFrame({C.SERVICE_CODE: spending.index.astype("str"), N.SPENDING: spending.to_numpy()})
        column, keys = N.SPENDING, []
    else:
        if C.SERVICE_CODE not in spending.columns:
            raise UsageError(
                f"the spending frame needs a {C.SERVICE_CODE!r} column; has {list(spending.columns)!r}"
            )
        if column is None:
            column = next((c for c in (N.SPENDING, C.EXPENDITURE) if c in spending.columns), None)
        if column is None or column not in spending.columns:
            raise UsageError(
                f"the spending frame needs a money column ({N.SPENDING!r} or {C.EXPENDITURE!r}, or pass spending_col=)"
            )
        keys = [c for c in by if c in spending.columns]
        frame = spending[[C.SERVICE_CODE, *keys, column]].rename(columns={column: N.SPENDING})
        frame = frame.astype({C.SERVICE_CODE: "str", **{k: "str" for k in keys}})
    amounts = frame[N.SPENDING]
    if not pd.api.types.is_integer_dtype(amounts):
        values = pd.to_numeric(amounts, errors="coerce")
        if values.isna().any() or not np.all(values == np.floor(values)):
            raise DataValidationError(
                f"spending column {column!r} must hold integer kuruş (1 TL = 100 kuruş); convert before calling"
            )
        frame = frame.assign(**{N.SPENDING: values.astype(np.int64)})
    # as_index=False: a frame (pandas-stubs type the selection as a Series group-by)
    frame = cast(
        pd.DataFrame, frame.groupby([C.SERVICE_CODE, *keys], sort=True, as_index=False)[N.SPENDING].sum()
    )
    return frame, keys


def _rounded_kurus(
    numerator: np.ndarray, denominator: np.ndarray
) -> pd.api.extensions.ExtensionArray | np.ndarray:
    ok = np.isfinite(denominator) & (denominator > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.rint(numerator / denominator)
    return pd.array(np.where(ok, v, np.nan), dtype="Float64").astype("Int64")


def benefit_incidence(
    spending: pd.Series | pd.DataFrame,
    usage: pd.DataFrame,
    by: Sequence[str] = (C.SEX,),
    *,
    population: pd.DataFrame | None = None,
    measure: str = N.USERS,
    spending_col: str | None = None,
    categories: Mapping[str, object] | None = None,
    fiscal_year: int | None = None,
    pool_migrants: bool = True,
    k: int = 5,
) -> Incidence:
    """Share each service's executed spending among its users' groups (Demery benefit incidence).

    Parameters
    ----------
    spending : kuruş per service — a Series indexed by ``service_code``, or a frame with ``service_code`` and
        ``spending``/``expenditure`` (plus optionally a ``by`` column such as ``district`` for regional unit costs).
    usage : canonical usage records.
    by : the groups, e.g. ``["sex"]`` or ``["district"]``.
    population : baseline for population shares and spending per resident (optional).
    measure : share by distinct ``users`` per service (default) or by ``uses`` (records).
    k : groups with 0 < users < k persons are hidden, with secondary suppression against the totals.
    """
    if measure not in (N.USERS, N.USES):
        raise UsageError(f"benefit incidence shares by 'users' or 'uses', got {measure!r}")
    by = [by] if isinstance(by, str) else list(by)
    spend, keys = _spending_frame(spending, by, spending_col)
    if population is not None:
        usage, population = select_year(usage, population, fiscal_year)
    categories = dict(categories or {})
    if pool_migrants and C.MIGRANT_STATUS in by:
        usage = usage.assign(**{C.MIGRANT_STATUS: pooled_migrants(usage[C.MIGRANT_STATUS])})
        if categories.get(C.MIGRANT_STATUS, BY_VALUES) is BY_VALUES:  # pooled: text now, canonical order
            categories[C.MIGRANT_STATUS] = [C.CITIZEN, C.MIGRANT, C.UNKNOWN]
    row_codes = encode(usage, by, categories, population)
    dims = row_codes[1]
    full = tuple(range(len(dims)))
    measures = [N.USERS] if measure == N.USERS else [N.USERS, N.USES]
    per_service = build_cube(
        usage, by, subsets=[full], fixed=C.SERVICE_CODE, measures=measures, row_codes=row_codes
    )
    overall = build_cube(usage, by, subsets=[full, ()], measures=[N.USERS], row_codes=row_codes)

    # allocation groups: (service[, region]) of each service × group cell
    cells = per_service.to_frame([measure])
    counts = per_service.values[measure]
    alloc_key = cells[[C.SERVICE_CODE, *keys]].astype("str")
    spend_index = pd.MultiIndex.from_frame(spend[[C.SERVICE_CODE, *keys]])
    alloc = spend_index.get_indexer(pd.MultiIndex.from_frame(alloc_key))
    has_alloc = alloc >= 0
    users_alloc = np.bincount(alloc[has_alloc], weights=counts[has_alloc], minlength=len(spend))
    amounts = spend[N.SPENDING].to_numpy(dtype=np.int64)
    fundable = users_alloc > 0
    part = has_alloc & fundable[np.maximum(alloc, 0)]
    weights = counts[part] / users_alloc[alloc[part]]
    benefit = np.zeros(len(cells), dtype=np.int64)
    group = alloc[part]
    used_groups = np.unique(group)
    dense = np.searchsorted(used_groups, group)
    benefit[part] = largest_remainder(amounts[used_groups], dense, weights)

    unallocated = spend.loc[~fundable].assign(**{N.REASON: NO_USERS}).reset_index(drop=True)
    unallocated[N.REASON] = unallocated[N.REASON].astype("str")

    # by service: cells plus one total row per service
    service_codes = per_service.fixed
    n_services = len(per_service.fixed_labels)
    svc_users = np.bincount(service_codes, weights=counts, minlength=n_services)
    persons = per_service.values[N.USERS]  # disclosure control counts persons, whatever the measure
    svc_benefit = np.bincount(service_codes, weights=benefit, minlength=n_services).astype(np.int64)
    svc_spending = spend.groupby(C.SERVICE_CODE)[N.SPENDING].sum()
    by_service = pd.concat(
        [
            cells.assign(**{N.BENEFIT: benefit, "_persons": persons}),
            pd.DataFrame(
                {
                    C.SERVICE_CODE: pd.array(per_service.fixed_labels, dtype="str"),
                    **{d.name: N.TOTAL for d in dims},
                    measure: svc_users.astype(np.int64),
                    N.BENEFIT: svc_benefit,
                    "_persons": np.bincount(service_codes, weights=persons, minlength=n_services),
                }
            ),
        ],
        ignore_index=True,
    )
    by_service[N.SPENDING] = by_service[C.SERVICE_CODE].map(svc_spending).fillna(0).astype(np.int64)
    by_service = by_service.sort_values(C.SERVICE_CODE, kind="stable").reset_index(drop=True)
    svc_persons = by_service["_persons"].to_numpy(dtype=np.float64)
    by_service = by_service[[C.SERVICE_CODE, *by, measure, N.SPENDING, N.BENEFIT]]

    # by group
    n_groups = int(np.prod([dims[d].size for d in free_dims(range(len(dims)), dims)]))
    group_benefit = _group_sum(per_service, benefit, n_groups)
    is_cell = ~overall.is_total().all(axis=1) if len(dims) else np.zeros(len(overall), dtype=bool)
    group_users = overall.values[N.USERS][is_cell]
    total_users = overall.values[N.USERS][~is_cell][0] if (~is_cell).any() else overall.values[N.USERS].sum()
    group_codes = overall.codes[is_cell]
    if population is not None:
        pop, why = denominators(population, dims, full, group_codes)
        total_pop, total_why = denominators(population, dims, (), group_codes[:1])
    else:
        pop, why = (
            np.full(len(group_codes), np.nan),
            np.full(len(group_codes), N.no_baseline(C.POPULATION), object),
        )
        total_pop, total_why = np.array([np.nan]), np.array([N.no_baseline(C.POPULATION)], dtype=object)
    total_benefit = int(group_benefit.sum())
    has_pop = np.isfinite(pop) & (pop > 0)
    pop_sum = pop[has_pop].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = group_benefit / total_benefit if total_benefit else np.full(len(pop), np.nan)
        pop_share = np.where(has_pop, pop / pop_sum, np.nan)
        ratio = np.where(has_pop, share / pop_share, np.nan)

    group_frame = pd.DataFrame(
        {d.name: pd.array(overall.labels(i)[is_cell], dtype="str") for i, d in enumerate(dims)}
    )
    total_frame = pd.DataFrame({d.name: [N.TOTAL] for d in dims})
    by_group = pd.concat([group_frame, total_frame], ignore_index=True)
    users_all = np.r_[group_users, total_users]
    benefit_all = np.r_[group_benefit, total_benefit]
    pop_all = np.r_[pop, total_pop]
    by_group[N.USERS] = users_all.astype(np.int64)
    by_group[N.BENEFIT] = benefit_all.astype(np.int64)
    by_group[N.BENEFIT_SHARE] = np.r_[share, 1.0 if total_benefit else np.nan]
    by_group[N.POPULATION] = pop_all
    by_group[N.POPULATION_SHARE] = np.r_[pop_share, 1.0 if pop_sum > 0 else np.nan]
    by_group[N.INCIDENCE_RATIO] = np.r_[ratio, 1.0 if pop_sum > 0 and total_benefit else np.nan]
    by_group[N.BENEFIT_PER_USER] = _rounded_kurus(
        benefit_all.astype(np.float64), users_all.astype(np.float64)
    )
    by_group[N.BENEFIT_PER_RESIDENT] = _rounded_kurus(benefit_all.astype(np.float64), pop_all)

    # disclosure control: each table's cells add up to its total row(s)
    group_hidden = _hide(users_all, k, [np.arange(len(users_all))], len(users_all) - 1)
    by_group = _mask(by_group, group_hidden, np.r_[why, total_why], [N.USERS, N.BENEFIT])
    svc_lines = [
        np.flatnonzero(by_service[C.SERVICE_CODE].to_numpy() == s)
        for s in pd.unique(by_service[C.SERVICE_CODE])
    ]
    is_svc_total = (
        by_service[by[0]].astype("str").to_numpy() == N.TOTAL if by else np.zeros(len(by_service), bool)
    )
    svc_hidden = _hide_lines(svc_persons, k, svc_lines, is_svc_total)
    by_service = _mask(
        by_service, svc_hidden, np.full(len(by_service), "", dtype=object), [measure, N.BENEFIT]
    )
    return Incidence(by_service, by_group, unallocated)


def _group_sum(cube, benefit: np.ndarray, n_groups: int) -> np.ndarray:
    """Σ over services of the benefit of each group cell (cells are service-major, groups in the same order)."""
    n_services = len(cube.fixed_labels)
    return benefit.reshape(n_services, -1).sum(axis=0) if n_services else np.zeros(n_groups, dtype=np.int64)


def _hide(values: np.ndarray, k: int, members: list[np.ndarray], total_row: int) -> np.ndarray:
    is_total = np.zeros(len(values), dtype=bool)
    is_total[total_row] = True
    return _hide_lines(values, k, members, is_total)


def _hide_lines(values: np.ndarray, k: int, members: list[np.ndarray], is_total: np.ndarray) -> np.ndarray:
    primary = (values > 0) & (values < k)
    if k <= 1 or not primary.any():
        return primary & (k > 1)
    cell = np.concatenate(members) if members else np.zeros(0, dtype=np.int64)
    line = np.repeat(np.arange(len(members)), [len(m) for m in members])
    lines = Lines(cell, line, is_total[cell], len(members))
    hidden, _ = secondary_suppress(values, primary, lines)
    return hidden


def _mask(frame: pd.DataFrame, hidden: np.ndarray, reasons: np.ndarray, counts: list[str]) -> pd.DataFrame:
    """Hide the counts and every amount built on them on hidden rows; append the reason."""
    frame = frame.copy()
    for col in counts:
        frame[col] = frame[col].astype("Int64").mask(hidden)
    for col in (N.BENEFIT_SHARE, N.INCIDENCE_RATIO, N.BENEFIT_PER_USER, N.BENEFIT_PER_RESIDENT):
        if col in frame.columns:
            frame[col] = frame[col].mask(hidden)
    frame[N.SUPPRESSED] = hidden
    reasons = np.asarray(reasons, dtype=object)
    reasons = np.where(
        hidden, np.where(reasons == "", N.Reason.SUPPRESSED, reasons + ";" + N.Reason.SUPPRESSED), reasons
    )
    frame[N.REASON] = pd.array(reasons, dtype="str")
    return frame
