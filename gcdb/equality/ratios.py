"""Coverage rates and impact ratios against a reference group — the fixed ratio table (methods.md §2, §4).

:func:`impact_table` answers "who does the service reach, relative to whom?" for one or several dimensions:

* **coverage rate** r_g = users / population per 1,000 with the Wilson interval (persons), or — for
  ``measure="uses"``, events with no natural denominator — a Poisson rate with the exact interval below 10 events
  and Byar's approximation above; ``measure="quantity"`` (hours, aid amounts) gets point values only;
* **rate ratio** RR = r_g / r_ref, signed, with the Katz log interval (SE = √(1/u_g − 1/n_g + 1/u_ref − 1/n_ref));
  Poisson log interval (√(1/x_g + 1/x_ref)) for uses;
* **rate difference** r_g − r_ref with Newcombe's hybrid-score interval (method 10); MOVER with Poisson limits for
  uses (Li, Tang & Wong 2014);
* **representation index** s_g / p_g = r_g / r̄, where r̄ = Σu / Σn over the groups of the comparison that have a
  baseline (the population-weighted mean of their rates, HEAT's μ);
* **four-fifths flag**: ``under`` if RR < 0.8, ``over`` if RR > 1.25 — decided by cross-multiplication, exact at the
  boundary (:func:`gcdb.equality.flags.four_fifths`) — and whether the ratio interval excludes 1;
* **expected users** at the reference rate (population × r_ref) and the **people missing** (expected − users).

With ``eligibility`` (``{service_code: Eligibility}``) every rate is taken within each service's eligible population
(:mod:`gcdb.equality.eligibility`): records outside it are not counted, groups outside it get the flag and reason
``not_eligible``, and a reference group outside it is replaced by the other eligible groups pooled.

Reference groups (override per dimension with ``reference={"sex": "female", "district": "Kadıköy"}``): sex →
``male``, age band → ``25-44``, disability → ``no``, migrant status → ``citizen``, district and neighbourhood →
:data:`~gcdb.equality.names.REST`. **REST** is the city-average comparison done defensibly: each group is compared
with *all other groups pooled* (the rest of the city, within the same stratum), so the two samples are disjoint and
the Katz and Newcombe intervals are valid; comparing a district with an average that contains the district itself
would understate the gap and make the samples dependent. The ratio to the city average itself is the
representation index.

A dimension entry may be a tuple ``("sex", "district")``: the first dimension is compared *within* each value of
the others (women vs men in every district).

Disclosure control runs once over everything the table publishes: primary suppression on distinct persons
(0 < users < k), then secondary suppression and the audit of :mod:`gcdb.equality.suppression` over the margins
implied by the requested dimensions and over each comparison's pooled total (which the representation index and
REST comparisons reveal). A hidden count hides its rate, intervals and comparisons (reason ``suppressed``); a
hidden reference hides the comparisons that use it (``reference_suppressed``); a hidden pooled total hides the
representation index and REST comparisons (``total_suppressed``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import intervals as I
from gcdb.equality import names as N
from gcdb.equality.baseline import POOLED_MIGRANT_CODES, denominators, select_year
from gcdb.equality.breakdown import Cube, build_cube, closure, encode_with_persons
from gcdb.equality.categories import BY_VALUES
from gcdb.equality.eligibility import Eligibility, eligible_cells, eligible_criteria, eligible_population
from gcdb.equality.flags import four_fifths
from gcdb.equality.suppression import Lines, lines_from_codes, secondary_suppress
from gcdb.errors import UsageError

#: Default reference group per dimension.
DEFAULT_REFERENCE: dict[str, str] = {
    C.SEX: C.MALE,
    C.AGE_BAND: "25-44",
    C.DISABILITY: C.NO,
    C.MIGRANT_STATUS: C.CITIZEN,
    C.DISTRICT: N.REST,
    C.NEIGHBOURHOOD: N.REST,
}


def _entries(dimensions: Sequence[str | Sequence[str]]) -> list[tuple[str, ...]]:
    if isinstance(dimensions, str):
        dimensions = [dimensions]
    out = []
    for item in dimensions:
        entry = (item,) if isinstance(item, str) else tuple(item)
        if not entry:
            raise UsageError("an empty dimension entry; give a dimension name or a tuple (compared, *within)")
        for name in entry:
            if name not in N.DIMENSIONS:
                raise UsageError(f"unknown dimension {name!r}; expected one of {N.DIMENSIONS!r}")
        if len(set(entry)) != len(entry):
            raise UsageError(f"dimension entry {entry!r} repeats a dimension")
        compared = entry[0]
        for stratum in entry[1:]:
            if N.NESTED_IN.get(stratum) == compared:
                raise UsageError(
                    f"cannot compare {compared!r} within {stratum!r}: {stratum} is nested in {compared}"
                )
        out.append(entry)
    return out


def _with_parents(names: Sequence[str]) -> list[str]:
    out = list(names)
    for name in names:
        parent = N.NESTED_IN.get(name)
        if parent is not None and parent not in out:
            out.append(parent)
    return out


def _reference_codes(entries, dims, reference: Mapping[str, str] | None) -> dict[str, int | None]:
    """Code of the reference category per compared dimension (None = REST)."""
    reference = dict(reference or {})
    unknown = [k for k in reference if k not in N.DIMENSIONS]
    if unknown:
        raise UsageError(f"reference names unknown dimensions {unknown!r}")
    by_name = {d.name: d for d in dims}
    out: dict[str, int | None] = {}
    for entry in entries:
        name = entry[0]
        labels = list(by_name[name].labels)
        explicit = name in reference
        value = reference.get(name, DEFAULT_REFERENCE[name])
        if value == N.REST:
            out[name] = None
        elif labels.count(value) == 1:
            out[name] = labels.index(value)
        elif explicit:
            found = (
                "appears in several districts" if labels.count(value) > 1 else "is not one of its categories"
            )
            raise UsageError(f"reference group {value!r} for {name!r} {found}; categories: {labels[:12]!r}")
        else:
            out[name] = None
    return out


def _join_reasons(parts: Sequence[tuple[np.ndarray, str | np.ndarray]], n: int) -> np.ndarray:
    """``";"``-join the codes whose mask is set, in order (vectorised over rows)."""
    out = np.full(n, "", dtype=object)
    for mask, code in parts:
        code_arr = np.broadcast_to(np.asarray(code, dtype=object), (n,))
        add = np.asarray(mask, dtype=bool) & (code_arr != "")
        sep = np.where(out == "", "", ";")
        out = np.where(add, out + sep + code_arr, out)
    return out


def _counts_for(measure: str) -> list[str]:
    return [N.USERS] if measure == N.USERS else [N.USERS, measure]


def impact_table(
    usage: pd.DataFrame,
    population: pd.DataFrame,
    dimensions: Sequence[str | Sequence[str]] = (C.SEX,),
    *,
    service: str | None = None,
    reference: Mapping[str, str] | None = None,
    k: int = 5,
    z: float = 1.96,
    measure: str = N.USERS,
    scale: float = 1000.0,
    categories: Mapping[str, object] | None = None,
    fiscal_year: int | None = None,
    pool_migrants: bool = True,
    audit: bool = True,
    eligibility: Mapping[str, Eligibility] | None = None,
) -> pd.DataFrame:
    """The fixed ratio table for one or several dimensions (and services); see the module docstring.

    Parameters
    ----------
    usage, population : canonical usage records and population baseline.
    dimensions : e.g. ``["sex", "age_band", "district", ("sex", "district")]``.
    service : a column to analyse separately per value (``"service_code"``); None pools all services.
    reference : reference group per compared dimension (a category or :data:`~gcdb.equality.names.REST`).
    k : disclosure threshold; counts of 1 … k − 1 persons are hidden. ``k=1`` turns suppression off.
    z : normal quantile of every interval (1.96 → 95 %).
    measure : ``"users"`` (distinct persons), ``"uses"`` (records, Poisson) or ``"quantity"``.
    scale : rates per this many residents (1,000).
    categories : known categories per dimension (see :func:`gcdb.equality.breakdown`).
    fiscal_year : restrict both frames to this year (see :func:`gcdb.equality.baseline.select_year`).
    pool_migrants : count refugee and temporary-protection users as ``migrant`` (the baseline's only split).
    audit : check by linear algebra that no hidden count is determined by the published margins
        (see :mod:`gcdb.equality.suppression`); ``frame.attrs["unaudited_cells"]`` counts cells too many to check.
    eligibility : who each service is for (``{service_code: Eligibility}``, needs ``service``): rates are taken
        within each service's eligible population (:func:`gcdb.equality.eligibility.eligible_population`),
        records outside it are not counted (report them with :func:`~gcdb.equality.eligibility.eligible_rows`),
        groups outside it get flag and reason ``not_eligible``, and a reference group outside it is replaced by
        the other eligible groups pooled (:data:`~gcdb.equality.names.REST`).

    Returns
    -------
    DataFrame with the columns documented in :mod:`gcdb.equality.names`.
    """
    return impact_with_cube(
        usage,
        population,
        dimensions,
        service=service,
        reference=reference,
        k=k,
        z=z,
        measure=measure,
        scale=scale,
        categories=categories,
        fiscal_year=fiscal_year,
        pool_migrants=pool_migrants,
        audit=audit,
        eligibility=eligibility,
    )[0]


def impact_with_cube(
    usage: pd.DataFrame,
    population: pd.DataFrame,
    dimensions: Sequence[str | Sequence[str]] = (C.SEX,),
    *,
    service: str | None = None,
    reference: Mapping[str, str] | None = None,
    k: int = 5,
    z: float = 1.96,
    measure: str = N.USERS,
    scale: float = 1000.0,
    categories: Mapping[str, object] | None = None,
    fiscal_year: int | None = None,
    pool_migrants: bool = True,
    audit: bool = True,
    eligibility: Mapping[str, Eligibility] | None = None,
    also: Sequence[str] = (),
) -> tuple[pd.DataFrame, Cube, int]:
    """:func:`impact_table`, and the cube it was computed from (unsuppressed counts of every cell of the
    comparisons and their margins; with the measures ``also`` besides ``measure``) and the number of records
    counted (fewer than ``usage`` when records outside the eligibility or the year were left out) — so that a
    caller who needs those counts does not build the same cube again."""
    if measure not in N.MEASURES:
        raise UsageError(f"unknown measure {measure!r}; expected one of {N.MEASURES!r}")
    if not (z > 0):
        raise UsageError(f"z must be positive, got {z}")
    entries = _entries(dimensions)
    usage, population = select_year(usage, population, fiscal_year)
    if eligibility is not None:
        if service is None:
            raise UsageError("eligibility applies per service: pass service= (the service code column)")
        inside = eligible_criteria(usage, eligibility, service=service)[0]  # (not the criteria's texts)
        if not inside.all():
            usage = usage[inside]
        present = sorted({str(v) for v in pd.unique(usage[service].dropna())})
        population = eligible_population(population, eligibility, present, service=service)
    counted = _counts_for(measure)
    counted += [m for m in also if m not in counted]
    categories = dict(categories or {})
    names = [d for d in N.DIMENSIONS if d in _with_parents([n for e in entries for n in e])]
    pooled = pool_migrants and C.MIGRANT_STATUS in names
    if pooled and categories.get(C.MIGRANT_STATUS, BY_VALUES) is BY_VALUES:  # pooled: text, canonical order
        categories[C.MIGRANT_STATUS] = [C.CITIZEN, C.MIGRANT, C.UNKNOWN]
    relabel = {C.MIGRANT_STATUS: {code: C.MIGRANT for code in POOLED_MIGRANT_CODES}} if pooled else None
    row_codes, coded = encode_with_persons(usage, names, counted, categories, population, relabel=relabel)
    dims = row_codes[1]
    pos = {d.name: i for i, d in enumerate(dims)}
    entry_sets = [tuple(sorted(pos[n] for n in _with_parents(e))) for e in entries]
    subsets = closure(entry_sets, dims)
    cube = build_cube(
        usage,
        names,
        subsets=subsets,
        fixed=service,
        measures=counted,
        row_codes=row_codes,
        coded_persons=coded,
    )
    del coded
    del row_codes  # the rows' codes (a column per dimension, millions of rows) are counted now
    refs = _reference_codes(entries, dims, reference)
    kept = cube.kept()

    # per entry: its cells, their comparison set (service × strata), denominators
    blocks = []
    n_virtual = 0
    for entry, subset in zip(entries, entry_sets, strict=True):
        mask = 0
        for d in subset:
            mask |= 1 << d
        rows = np.flatnonzero(kept == mask)
        fixed = (service, cube.fixed_labels, cube.fixed[rows]) if service is not None else None
        pop, why = denominators(
            population, dims, subset, cube.codes[rows], migrants_pooled=pool_migrants, fixed=fixed
        )
        eligible = _eligible(cube, rows, eligibility, service)
        compared = pos[entry[0]]
        strata = [pos[s] for s in _with_parents(entry[1:])]
        set_key = np.column_stack([cube.fixed[rows], *(cube.codes[rows, s] for s in strata)])
        set_id = (
            np.unique(set_key, axis=0, return_inverse=True)[1].ravel() if len(rows) else np.zeros(0, np.int64)
        )
        n_sets = int(set_id.max()) + 1 if len(set_id) else 0
        blocks.append(
            dict(
                entry=entry,
                rows=rows,
                pop=pop,
                why=why,
                compared=compared,
                set_id=set_id,
                in_b=np.isfinite(pop) & (pop > 0) & eligible,  # groups with a baseline: the pooled comparison
                eligible=eligible,
                virtual=len(cube) + n_virtual + np.arange(n_sets),  # ids of the pooled-total cells
            )
        )
        n_virtual += n_sets

    values = cube.values[measure]
    hidden, unaudited = _suppress(cube, blocks, values, k, audit)
    frames = [
        _block_frame(cube, b, values, hidden, refs[b["entry"][0]], measure, z, scale, service) for b in blocks
    ]
    out = pd.concat(frames, ignore_index=True)
    out.attrs["unaudited_cells"] = unaudited
    return out, cube, len(usage)


def _eligible(cube: Cube, rows: np.ndarray, eligibility, service: str | None) -> np.ndarray:
    """Per cell of ``rows``: inside its service's eligible population (all True without eligibility)."""
    if eligibility is None or service is None or not len(rows):
        return np.ones(len(rows), dtype=bool)
    frame = pd.DataFrame({service: cube.fixed_labels[cube.fixed[rows]]})
    for d, dim in enumerate(cube.dims):
        frame[dim.name] = cube.labels(d)[rows]
    return eligible_cells(frame, eligibility, service=service)


def _suppress(
    cube: Cube, blocks, values: np.ndarray, k: int, audit: bool
) -> tuple[dict[str, np.ndarray], int]:
    """Hidden mask for cube cells and for each block's pooled totals (virtual cells after the cube's cells).

    Lines: every margin of the cube, plus one line per comparison set whose total is the pooled count of the
    groups with a baseline (revealed by the representation index and REST comparisons). Returns the masks and
    the number of hidden cells too many to audit.
    """
    n = len(cube)
    n_virtual = sum(len(b["virtual"]) for b in blocks)
    if k <= 1:
        return {"cells": np.zeros(n, dtype=bool), "all": np.zeros(n + n_virtual, dtype=bool)}, 0
    users = cube.values[N.USERS]
    primary = (users > 0) & (users < k)
    parts: list[Lines] = [lines_from_codes(cube.codes, [d.size for d in cube.dims], cube.fixed)]
    virtual_values = []
    for b in blocks:
        in_b, n_sets = b["in_b"], len(b["virtual"])
        virtual_values.append(
            np.bincount(b["set_id"][in_b], weights=values[b["rows"]][in_b], minlength=n_sets)
        )
        member_cells = np.concatenate([b["rows"][in_b], b["virtual"]])
        member_lines = np.concatenate([b["set_id"][in_b], np.arange(n_sets)])
        member_total = np.concatenate([np.zeros(int(in_b.sum()), dtype=bool), np.ones(n_sets, dtype=bool)])
        parts.append(Lines(member_cells, member_lines, member_total, n_sets))
    all_values = np.concatenate([values, *virtual_values])
    start = np.concatenate([primary, np.zeros(n_virtual, dtype=bool)])
    hidden, skipped = secondary_suppress(all_values, start, Lines.concat(parts), audit=audit)
    return {"cells": hidden[:n], "all": hidden}, skipped


def _block_frame(cube, b, values, hidden, ref_code, measure, z, scale, service) -> pd.DataFrame:
    rows, pop, set_id, in_b = b["rows"], b["pop"], b["set_id"], b["in_b"]
    m = len(rows)
    x = values[rows].astype(np.float64)
    n_sets = len(b["virtual"])
    own_hidden = hidden["cells"][rows]
    total_hidden = hidden["all"][b["virtual"]][set_id] if m else np.zeros(0, dtype=bool)
    compared_codes = cube.codes[rows, b["compared"]]
    labels = cube.dims[b["compared"]].labels

    # pooled totals of the comparison (groups with a baseline)
    tot_x = np.bincount(set_id[in_b], weights=x[in_b], minlength=n_sets)[set_id]
    tot_n = np.bincount(set_id[in_b], weights=pop[in_b], minlength=n_sets)[set_id]
    has_pop = np.isfinite(pop) & (pop > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(has_pop, x / pop, np.nan)
        pooled = np.where(tot_n > 0, tot_x / tot_n, np.nan)
        representation = np.where(has_pop & (pooled > 0), rate / pooled, np.nan)

    # reference counts: the reference group, or every other group with a baseline pooled (REST) — also when the
    # reference group is outside the service's eligible population
    eligible = b["eligible"]
    rest_x = tot_x - np.where(in_b, x, 0.0)
    rest_n = tot_n - np.where(in_b, pop, 0.0)
    if ref_code is None:
        ref_x, ref_n, ref_hidden = rest_x, rest_n, total_hidden
        is_ref = np.zeros(m, dtype=bool)
        ref_label = np.full(m, N.REST, dtype=object)
    else:
        where_ref = np.full(n_sets, -1)
        at_ref = compared_codes == ref_code
        where_ref[set_id[at_ref]] = np.flatnonzero(at_ref)
        ref_row = where_ref[set_id]
        has_row = ref_row >= 0
        safe = np.where(has_row, ref_row, 0)
        use_rest = has_row & ~eligible[safe] if m else np.zeros(0, dtype=bool)
        ref_x = np.where(use_rest, rest_x, np.where(has_row, x[safe], np.nan))
        ref_n = np.where(use_rest, rest_n, np.where(has_row, pop[safe], np.nan))
        ref_hidden = np.where(use_rest, total_hidden, np.where(has_row, own_hidden[safe], False))
        is_ref = at_ref & ~use_rest
        ref_label = np.where(use_rest, N.REST, labels[ref_code]).astype(object)
    ref_ok = np.isfinite(ref_n) & (ref_n > 0)

    # intervals
    if measure == N.USERS:
        low, high = I.wilson(x, pop, z)
        rr, rr_low, rr_high = I.katz_ratio(x, pop, ref_x, ref_n, z)
        rd, rd_low, rd_high = I.newcombe_difference(x, pop, ref_x, ref_n, z)
        over_one = has_pop & (x > pop)
        ref_over_one = ref_ok & (ref_x > ref_n)
        invalid = over_one | ref_over_one
        rr_low, rr_high, rd_low, rd_high = (
            np.where(invalid, np.nan, a) for a in (rr_low, rr_high, rd_low, rd_high)
        )
    elif measure == N.USES:
        lo_c, hi_c = I.poisson_interval(x, z)
        with np.errstate(divide="ignore", invalid="ignore"):
            low, high = lo_c / pop, hi_c / pop
        rr, rr_low, rr_high = I.poisson_ratio(x, pop, ref_x, ref_n, z)
        rd, rd_low, rd_high = I.poisson_difference(x, pop, ref_x, ref_n, z)
        over_one = ref_over_one = np.zeros(m, dtype=bool)
    else:
        nan = np.full(m, np.nan)
        low = high = rr_low = rr_high = rd_low = rd_high = nan
        with np.errstate(divide="ignore", invalid="ignore"):
            rr = np.where(ref_ok & (ref_x > 0), rate / (ref_x / ref_n), np.nan)
            rd = np.where(ref_ok, rate - ref_x / ref_n, np.nan)
        over_one = ref_over_one = np.zeros(m, dtype=bool)
    rate_ok = has_pop
    low, high = np.where(rate_ok, low, np.nan), np.where(rate_ok, high, np.nan)
    comparable = rate_ok & ref_ok
    rr = np.where(comparable, rr, np.nan)
    rr_low, rr_high = np.where(comparable, rr_low, np.nan), np.where(comparable, rr_high, np.nan)
    rd = np.where(comparable, rd, np.nan)
    rd_low, rd_high = np.where(comparable, rd_low, np.nan), np.where(comparable, rd_high, np.nan)
    # the reference row itself: ratio 1, difference 0, no interval of a group against itself
    self_ref = is_ref & comparable
    rr = np.where(self_ref & (ref_x > 0), 1.0, rr)
    rd = np.where(self_ref, 0.0, rd)
    rr_low, rr_high, rd_low, rd_high = (
        np.where(self_ref, np.nan, a) for a in (rr_low, rr_high, rd_low, rd_high)
    )
    # users the group would have at the reference rate; with no user at all the log interval is undefined, and
    # the ratio's interval runs from 0 to the exact Poisson upper limit of a zero count over the expected users
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.where(comparable & (ref_n > 0), pop * ref_x / ref_n, np.nan)
    zero_count = comparable & ~self_ref & (x == 0) & (ref_x > 0) & (measure != N.QUANTITY)
    if zero_count.any():
        zero_high = I.poisson_exact(np.zeros(1), z)[1][0]
        rr_low = np.where(zero_count, 0.0, rr_low)
        rr_high = np.where(zero_count, zero_high / np.where(zero_count, expected, 1.0), rr_high)

    # disclosure control
    rep_hidden = own_hidden | total_hidden
    cmp_hidden = own_hidden | ref_hidden
    rate, low, high = (np.where(own_hidden, np.nan, a) for a in (rate, low, high))
    representation = np.where(rep_hidden, np.nan, representation)
    rr, rr_low, rr_high, rd, rd_low, rd_high, expected = (
        np.where(cmp_hidden, np.nan, a) for a in (rr, rr_low, rr_high, rd, rd_low, rd_high, expected)
    )
    missing = np.where(own_hidden | cmp_hidden, np.nan, expected - x)

    zero_users_ci = comparable & ~self_ref & ((x == 0) | (ref_x == 0)) & (measure != N.QUANTITY)
    outside = ~eligible
    reasons = _join_reasons(
        [
            (outside, N.Reason.NOT_ELIGIBLE),
            (own_hidden & eligible, N.Reason.SUPPRESSED),
            (eligible & ~own_hidden & ref_hidden, N.Reason.REFERENCE_SUPPRESSED),
            (eligible & ~own_hidden & ~ref_hidden & total_hidden, N.Reason.TOTAL_SUPPRESSED),
            (eligible & np.isnan(pop), b["why"]),
            (eligible & np.isfinite(pop) & (pop <= 0), N.Reason.ZERO_POPULATION),
            # reasons that describe a count are given only where that count is published
            (rate_ok & ~ref_ok & ~cmp_hidden, N.Reason.NO_REFERENCE_RATE),
            (comparable & (ref_x == 0) & ~cmp_hidden, N.Reason.ZERO_REFERENCE_RATE),
            (zero_users_ci & (ref_x > 0) & ~cmp_hidden, N.Reason.ZERO_USERS),
            (
                rate_ok & ((over_one & ~own_hidden) | (comparable & ref_over_one & ~cmp_hidden)),
                N.Reason.USERS_EXCEED_POPULATION,
            ),
            (self_ref & ~own_hidden, N.Reason.IS_REFERENCE),
            (has_pop & ~rep_hidden & ~(pooled > 0), N.Reason.ZERO_MEAN),
            (eligible & np.full(m, measure == N.QUANTITY), N.Reason.NO_INTERVAL),
        ],
        m,
    )

    four_fifths_flag = np.where(np.isnan(rr), np.array(None), four_fifths(x, pop, ref_x, ref_n)).astype(
        object
    )
    flag = pd.array(np.where(outside, N.NOT_ELIGIBLE, four_fifths_flag), dtype="str")
    excl = (rr_low > 1) | (rr_high < 1)
    excludes = pd.array(np.where(np.isnan(rr_low) | np.isnan(rr_high), np.array(None), excl), dtype="boolean")

    data: dict[str, object] = {
        service or N.SERVICE: pd.array(cube.fixed_labels[cube.fixed[rows]], dtype="str"),
        N.DIMENSION: pd.array(np.full(m, b["entry"][0], dtype=object), dtype="str"),
        N.STRATA: pd.array(np.full(m, "|".join(b["entry"][1:]), dtype=object), dtype="str"),
        N.GROUP: pd.array(labels[compared_codes], dtype="str"),
    }
    for d in range(len(cube.dims)):
        data[cube.dims[d].name] = pd.array(cube.labels(d)[rows], dtype="str")
    count_dtype = "Float64" if measure == N.QUANTITY else "Int64"
    data.update(
        {
            N.NUMERATOR: pd.array(np.full(m, measure, dtype=object), dtype="str"),
            N.USERS: pd.array(x, dtype="Float64").astype(count_dtype).copy(),
            N.POPULATION: pop,
            N.RATE: rate * scale,
            N.RATE_CI_LOW: low * scale,
            N.RATE_CI_HIGH: high * scale,
            N.REFERENCE_GROUP: pd.array(ref_label, dtype="str"),
            N.RATE_RATIO: rr,
            N.RATIO_CI_LOW: rr_low,
            N.RATIO_CI_HIGH: rr_high,
            N.CI_EXCLUDES_ONE: excludes,
            N.RATE_DIFFERENCE: rd * scale,
            N.RD_CI_LOW: rd_low * scale,
            N.RD_CI_HIGH: rd_high * scale,
            N.REPRESENTATION_INDEX: representation,
            N.EXPECTED_USERS: expected,
            N.USERS_MISSING: missing,
            N.FLAG: flag,
            N.SUPPRESSED: own_hidden,
            N.REASON: pd.array(reasons, dtype="str"),
        }
    )
    frame = pd.DataFrame(data)
    frame[N.USERS] = frame[N.USERS].mask(own_hidden)
    return frame
