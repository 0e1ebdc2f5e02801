"""Age-standardised rates of districts and neighbourhoods, per service and year (methods.md §3b).

Districts differ in age structure (Esenyurt is young, Kadıköy old), so their crude rates mix real differences in
reach with demography. For each service, place and year this module gives, within the service's eligible
population and over its eligible age bands:

* the **directly standardised rate** per 1,000 (Dobson interval), standard = the municipality's own eligible
  population (default) or the European Standard Population 2013 (``standard="esp2013"``);
* the **indirectly standardised ratio** (observed ÷ users expected at the city's rate of every age band; exact
  or Byar interval).

Computed from distinct users per place × age band (:func:`gcdb.equality.breakdown`) and the eligible population
(:func:`gcdb.equality.eligibility.eligible_population`) by :mod:`gcdb.equality.standardise`.

Disclosure: the band counts behind a DSR are not all published, and a DSR with its crude rate can give a small
band count away (two bands: two equations, two unknowns). A DSR is therefore hidden when any band of the place
has 1 … k − 1 users (reason ``band_suppressed``), and, as UKHSA does, when the place has fewer than 10 users
(``count_below_10``). The ISR adds nothing to the published place total and city band rates; it is hidden with
the place's count.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.equality.breakdown import breakdown
from gcdb.equality.categories import by_values
from gcdb.equality.eligibility import EVERYONE, Eligibility
from gcdb.equality.standardise import dsr_arrays, isr_arrays, standard_weights
from gcdb.services import names as S
from gcdb.services.tables import empty

#: Reason of a DSR hidden because a band count behind it is small.
BAND_SUPPRESSED = "band_suppressed"
SCALE = 1000.0


def _views(records: pd.DataFrame, population: pd.DataFrame) -> list[tuple[str, list[str]]]:
    views = [(C.DISTRICT, [C.DISTRICT])]
    if C.NEIGHBOURHOOD in records.columns and C.NEIGHBOURHOOD in population.columns:
        views.append((C.NEIGHBOURHOOD, [C.DISTRICT, C.NEIGHBOURHOOD]))
    return views


def place_standardised(
    records: pd.DataFrame,
    population: pd.DataFrame,
    eligible: pd.DataFrame,
    eligibility: Mapping[str, Eligibility],
    *,
    fiscal_year: int,
    k: int,
    z: float,
    standard: str = "own",
) -> pd.DataFrame:
    """The :data:`~gcdb.services.names.STANDARDISED_COLUMNS` table of one year.

    ``records`` are the year's records inside eligibility, ``population`` the year's baseline (for the place
    categories) and ``eligible`` its per-service eligible copy. Empty without an age band in both.
    """
    if records.empty or C.AGE_BAND not in records.columns or C.AGE_BAND not in eligible.columns:
        return empty(S.STANDARDISED_COLUMNS)
    bands = [b for b in C.DEFAULT_AGE_BANDS.labels]
    extra = sorted(set(eligible[C.AGE_BAND].astype("str")) - set(bands))
    bands = bands + extra
    parts = []
    for view, places in _views(records, population):
        parts.append(_view(records, population, eligible, eligibility, view, places, bands, k, z, standard))
    out = pd.concat(parts, ignore_index=True)
    out[S.FISCAL_YEAR] = np.int64(fiscal_year)
    return out[list(S.STANDARDISED_COLUMNS)]


def _view(records, population, eligible, eligibility, view, places, bands, k, z, standard) -> pd.DataFrame:
    cells = [*places, C.AGE_BAND]
    counts = breakdown(
        records,
        cells,
        service=C.SERVICE_CODE,
        measure=N.USERS,
        categories=by_values(records, {C.AGE_BAND: bands}),
        margins=[cells, list(places), [C.AGE_BAND]],
        population=population,
    )
    band_total = counts[C.AGE_BAND] != N.TOTAL
    place_total = (counts[places[-1]] != N.TOTAL).to_numpy()
    cell_rows = counts[(band_total & place_total).to_numpy()]
    place_rows = counts[(~band_total & place_total).to_numpy()]
    city_rows = counts[(band_total & ~place_total).to_numpy()]

    pop_cells = eligible.groupby([C.SERVICE_CODE, *cells], sort=False, observed=True)[C.POPULATION].sum()
    pop_city = eligible.groupby([C.SERVICE_CODE, C.AGE_BAND], sort=False, observed=True)[C.POPULATION].sum()
    keys = [C.SERVICE_CODE, *cells]
    cell = cell_rows.merge(
        pop_cells.rename("_n").reset_index().astype({c: "str" for c in keys}), on=keys, how="left"
    )
    city = city_rows[[C.SERVICE_CODE, C.AGE_BAND, N.USERS]].rename(columns={N.USERS: "_city_x"})
    city = city.merge(
        pop_city.rename("_city_n").reset_index().astype({C.SERVICE_CODE: "str", C.AGE_BAND: "str"}),
        on=[C.SERVICE_CODE, C.AGE_BAND],
        how="left",
    )
    cell = cell.merge(city, on=[C.SERVICE_CODE, C.AGE_BAND], how="left")
    cell["_n"] = cell["_n"].fillna(0.0)
    cell["_city_n"] = cell["_city_n"].fillna(0.0)

    # standard weights per service × band
    weights = np.zeros(len(cell))
    for code in pd.unique(cell[C.SERVICE_CODE]):  # a dozen services
        here = (cell[C.SERVICE_CODE] == code).to_numpy()
        rule = eligibility.get(str(code), EVERYONE)
        band_of = cell.loc[here, C.AGE_BAND].astype("str").to_numpy()
        known = [b for b in bands if b != C.UNKNOWN]
        if standard == "own":
            own = (
                city[city[C.SERVICE_CODE] == code].set_index(C.AGE_BAND)["_city_n"].reindex(known).fillna(0.0)
            )
            w = standard_weights(known, rule, "own", own=own.to_numpy())
        else:
            w = standard_weights(known, rule, standard)
        lookup = pd.Series(w, index=pd.Index(known, dtype="str"))
        weights[here] = lookup.reindex(band_of).fillna(0.0).to_numpy()
    cell["_w"] = weights

    set_keys = [C.SERVICE_CODE, *places]
    set_id = cell.groupby(set_keys, sort=False).ngroup().to_numpy(dtype=np.int64)
    sets = cell[set_keys].drop_duplicates().reset_index(drop=True)
    x = cell[N.USERS].to_numpy(dtype=np.float64)
    n = cell["_n"].to_numpy(dtype=np.float64)
    used = cell["_w"].to_numpy() > 0
    dsr = dsr_arrays(set_id, x, n, cell["_w"].to_numpy(), z=z)
    isr = isr_arrays(
        set_id,
        np.where(used, x, 0.0),
        np.where(used, n, 0.0),
        cell["_city_x"].to_numpy(dtype=np.float64),
        cell["_city_n"].to_numpy(dtype=np.float64),
        z=z,
    )
    small_band = np.bincount(set_id, weights=used & (x > 0) & (x < k), minlength=len(sets)) > 0

    totals = place_rows[[*set_keys, N.USERS]]
    sets = sets.merge(totals, on=set_keys, how="left")
    users = sets[N.USERS].to_numpy(dtype=np.float64, na_value=np.nan)
    hidden = (users > 0) & (users < k)
    population_total = np.bincount(set_id, weights=n, minlength=len(sets))
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(population_total > 0, users / population_total * SCALE, np.nan)
    reason = np.where(hidden, N.Reason.SUPPRESSED, np.where(small_band, BAND_SUPPRESSED, dsr["reason"]))
    dsr_hidden = reason != ""
    out = pd.DataFrame(
        {
            S.VIEW: pd.array(np.full(len(sets), view, dtype=object), dtype="str"),
            C.SERVICE_CODE: sets[C.SERVICE_CODE].astype("str"),
            C.DISTRICT: sets[C.DISTRICT].astype("str"),
            C.NEIGHBOURHOOD: sets[C.NEIGHBOURHOOD].astype("str")
            if C.NEIGHBOURHOOD in sets.columns
            else pd.array([N.TOTAL] * len(sets), dtype="str"),
            N.USERS: pd.array(np.where(hidden, np.nan, users), dtype="Float64").astype("Int64"),
            N.POPULATION: population_total,
            N.RATE: np.where(hidden, np.nan, rate),
            S.STANDARD: pd.array(np.full(len(sets), standard, dtype=object), dtype="str"),
            S.DSR: np.where(dsr_hidden, np.nan, dsr["value"] * SCALE),
            S.DSR_CI_LOW: np.where(dsr_hidden, np.nan, dsr["low"] * SCALE),
            S.DSR_CI_HIGH: np.where(dsr_hidden, np.nan, dsr["high"] * SCALE),
            S.ISR_EXPECTED: isr["expected"],
            S.ISR: np.where(hidden, np.nan, isr["ratio"]),
            S.ISR_CI_LOW: np.where(hidden, np.nan, isr["low"]),
            S.ISR_CI_HIGH: np.where(hidden, np.nan, isr["high"]),
            N.SUPPRESSED: hidden,
            N.REASON: pd.array(reason.astype(object), dtype="str"),
        }
    )
    return out


def with_standardised(breakdowns: pd.DataFrame, standardised: pd.DataFrame) -> pd.DataFrame:
    """The breakdown table with the standardised columns on its district and neighbourhood rows (NaN elsewhere
    and where the breakdown row itself is hidden)."""
    keys = [S.FISCAL_YEAR, S.VIEW, C.SERVICE_CODE, C.DISTRICT, C.NEIGHBOURHOOD]
    shown = standardised[[*keys, *S.STANDARDISED_SHOWN]].astype({S.FISCAL_YEAR: "int64"})
    breakdowns = breakdowns.astype({S.FISCAL_YEAR: "int64"}) if len(breakdowns) else breakdowns
    out = breakdowns.merge(shown, on=keys, how="left", validate="many_to_one", sort=False)
    hidden = out[N.SUPPRESSED].to_numpy(dtype=bool)
    for column in S.STANDARDISED_SHOWN:
        out[column] = np.where(hidden, np.nan, out[column].to_numpy(dtype=np.float64, na_value=np.nan))
    return out[list(S.BREAKDOWN_COLUMNS)]
