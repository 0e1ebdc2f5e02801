"""``analyse_services``: the equality-in-services analysis (Hizmette Eşitlik) of one or more fiscal years.

For every fiscal year: ratio tables of every comparison (one disclosure-controlled pass per group of comparisons,
:mod:`gcdb.services.impact`), HEAT measures, headline figures per service, users whose status is unknown; then,
across years, the ranked gaps, plan indicators and — given a tagged budget and service tags — benefit incidence.
Statistics come from :mod:`gcdb.equality` and :mod:`gcdb.indicators`; this module only orchestrates them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.equality.breakdown import USES_WEIGHT
from gcdb.equality.eligibility import CRITERIA, eligible_criteria, eligible_population
from gcdb.equality.flags import DEFAULT_RULE, UnderServedRule
from gcdb.equality.standardise import STANDARDS
from gcdb.errors import UsageError
from gcdb.i18n import Message, format_int, t
from gcdb.persons import person_codes
from gcdb.scale.executors import Background
from gcdb.scale.memory import release_memory
from gcdb.services import names as S
from gcdb.services.catalogue import check_districts, eligibility_of, services_from_frame
from gcdb.services.findings import ineligible_table, reached_least
from gcdb.services.impact import known_status, pass_columns, run_pass
from gcdb.services.incidence import ROW, action_spending, incidence_year, service_links
from gcdb.services.indicators import INDICATOR_TABLE_COLUMNS, indicator_table
from gcdb.services.options import (
    Pass,
    check_reference_groups,
    comparison_entries,
    plan_passes,
    resolve_reference,
)
from gcdb.services.result import ServiceAnalysis
from gcdb.services.standardised import place_standardised, with_standardised
from gcdb.services.tables import (
    breakdown_views,
    empty,
    headline,
    rank_gaps,
    suppression_counts,
    unknown_status,
)

_USAGE_NEEDED = (C.SERVICE_CODE, C.PERSON_ID, C.SEX, C.DISTRICT)
_POPULATION_NEEDED = (C.DISTRICT, C.SEX, C.AGE_BAND, C.POPULATION)
#: Usage rows up to which the indicators are computed beside the impact passes (in a thread of their own).
_BESIDE_ROWS = 12_000_000


def _require(frame: Any, needed: Sequence[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise UsageError(f"{what} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise UsageError(
            Message(
                "services.analysis.lacks_columns",
                what=Message(f"services.analysis.what.{what}"),
                missing=", ".join(missing),
                present=", ".join(map(str, frame.columns)),
            )
        )


def _prepared_usage(usage: pd.DataFrame) -> pd.DataFrame:
    """Usage records with ``fiscal_year`` (from ``date`` when absent) as integers and person ids as integer
    codes; columns already in that form are kept as they are (no copy of millions of rows)."""
    out = usage.copy(deep=False)  # copy-on-write: the columns set below never touch ``usage``
    if C.FISCAL_YEAR not in out.columns:
        if C.DATE not in out.columns:
            raise UsageError(Message("services.analysis.needs_year"))
        out[C.FISCAL_YEAR] = pd.to_datetime(out[C.DATE]).dt.year.astype("Int64")
    if not _is_integer(out[C.FISCAL_YEAR]) or out[C.FISCAL_YEAR].isna().any():
        years = pd.to_numeric(out[C.FISCAL_YEAR], errors="coerce")
        if years.isna().any():
            raise UsageError(Message("services.analysis.no_year", n=format_int(int(years.isna().sum()))))
        out[C.FISCAL_YEAR] = years.to_numpy(dtype=np.int32)  # a year: 4 bytes a row
    # persons are only ever counted: integer codes are counted the same and hash much faster than text
    # (hashed once here: every count of users below takes these codes as they are, gcdb.persons)
    ids = out[C.PERSON_ID]
    codes, n = person_codes(ids)  # weighted rows' person numbers are codes already
    small = np.int32 if n < 2**31 else np.int64  # 4 bytes a row in every working copy
    if not (
        _is_integer(ids)
        and getattr(ids.dtype, "itemsize", 8) <= np.dtype(small).itemsize
        and _same_codes(ids, codes)
    ):
        out[C.PERSON_ID] = pd.arrays.IntegerArray(np.maximum(codes, 0).astype(small), codes < 0)
    return out


def _is_integer(column: pd.Series) -> bool:
    dtype = column.dtype
    return pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _same_codes(ids: pd.Series, codes: np.ndarray) -> bool:
    """Whether integer ``ids`` are their own person codes (then the column is kept as it is)."""
    missing = codes < 0
    if not np.array_equal(missing, ids.isna().to_numpy(dtype=bool)):
        return False
    if missing.any():
        return bool(np.array_equal(codes[~missing], ids[~missing].to_numpy(dtype=np.int64)))
    return bool(np.array_equal(codes, ids.to_numpy(dtype=np.int64)))


#: Columns any step after the indicators reads from the year's records (the rest are left out of its copies).
_ANALYSED = (C.SERVICE_CODE, C.PERSON_ID, USES_WEIGHT, C.QUANTITY, *N.DIMENSIONS, *CRITERIA)
#: Columns the records outside eligibility are counted by (headline, ineligible table).
_OUTSIDE = (C.SERVICE_CODE, C.PERSON_ID, *CRITERIA, C.AGE_BAND)


def _rows(records: pd.DataFrame, mask: np.ndarray, columns: Sequence[str]) -> pd.DataFrame:
    """The ``mask`` rows of the ``columns`` of ``records`` that exist, as a fresh frame (default index)."""
    kept = [c for c in records.columns if c in set(columns)]
    if mask.all():
        return records[kept].reset_index(drop=True)  # copy-on-write: no copy of the rows
    return records.loc[mask, kept].reset_index(drop=True)


def _status_passes(
    records: pd.DataFrame, chosen: np.ndarray, passes: Sequence[Pass], run: Callable[..., Any]
) -> dict[int, tuple[pd.DataFrame, pd.DataFrame]]:
    """The passes on a status dimension (by position in ``passes``), each run on a copy of the ``chosen`` records
    whose status is known, of the columns it reads — before the year's copy of every record exists."""
    done = {}
    for i, p in enumerate(passes):
        if p.known:
            rows = chosen.copy()
            for dimension in p.known:
                rows &= known_status(records, dimension)
            done[i] = run(_rows(records, rows, pass_columns(records, p)), p=p)
            del rows
            release_memory()  # each step's freed memory back to the system before the next grows
    return done


def _records(usage: pd.DataFrame) -> int:
    """Records analysed: rows, or the records weighted distinct rows stand for (:mod:`gcdb.scale.services`)."""
    if USES_WEIGHT in usage.columns:
        return int(usage[USES_WEIGHT].to_numpy(dtype=np.int64).sum())
    return len(usage)


def service_table(usage: pd.DataFrame, services: pd.DataFrame | None) -> pd.DataFrame:
    """The service catalogue: ``services`` (in its order, checked by :mod:`gcdb.services.catalogue`, eligibility
    columns parsed) completed by codes and names found in the records (eligible: everyone)."""
    cols = [c for c in (C.SERVICE_CODE, C.SERVICE_NAME, C.UNIT_NAME) if c in usage.columns]
    seen = usage[cols].drop_duplicates(C.SERVICE_CODE).astype("str")
    seen = seen.sort_values(C.SERVICE_CODE, kind="stable").reset_index(drop=True)
    if services is None:
        table = seen
    else:
        _require(services, (C.SERVICE_CODE,), "services")
        given = services_from_frame(services, file=str(services.attrs.get("source", "services")))
        extra = seen[~seen[C.SERVICE_CODE].isin(given[C.SERVICE_CODE])]
        table = pd.concat([given, extra], ignore_index=True)
        for col in (C.SERVICE_NAME, C.UNIT_NAME):
            if col in seen.columns:
                fill = table[C.SERVICE_CODE].map(seen.set_index(C.SERVICE_CODE)[col])
                table[col] = table[col].where(table[col].notna(), fill) if col in table.columns else fill
    for col in (C.SERVICE_NAME, C.UNIT_NAME):
        if col not in table.columns:
            table[col] = pd.NA
        table[col] = table[col].astype("str")
    table[C.SERVICE_NAME] = table[C.SERVICE_NAME].fillna(table[C.SERVICE_CODE])
    table[C.UNIT_NAME] = table[C.UNIT_NAME].fillna("")
    first = [C.SERVICE_CODE, C.SERVICE_NAME, C.UNIT_NAME]
    return table[first + [c for c in table.columns if c not in first]].reset_index(drop=True)


def population_for(population: pd.DataFrame, year: int) -> tuple[pd.DataFrame, int | None]:
    """The baseline of ``year``; without it, the latest earlier year (else the earliest) — and the year used."""
    if C.FISCAL_YEAR not in population.columns:
        return population, None
    available = sorted(int(y) for y in pd.unique(population[C.FISCAL_YEAR].dropna()))
    if not available:
        raise UsageError(Message("services.analysis.population_years"))
    earlier = [y for y in available if y <= year]
    used = earlier[-1] if earlier else available[0]
    return population[(population[C.FISCAL_YEAR] == used).to_numpy()], used


def _known_groups(usage: pd.DataFrame, population: pd.DataFrame) -> dict[str, list[str]]:
    """The groups a reference may name, per dimension (migrant codes pooled as in the comparisons)."""
    known: dict[str, list[str]] = {
        C.SEX: list(C.SEX_CODES),
        C.DISABILITY: [C.YES, C.NO],
        C.MIGRANT_STATUS: [C.CITIZEN, C.MIGRANT],
    }
    if C.AGE_BAND in usage.columns:
        bands = {str(b) for b in pd.unique(usage[C.AGE_BAND].dropna())}
        known[C.AGE_BAND] = [b for b in C.DEFAULT_AGE_BANDS.labels if b in bands] + sorted(
            bands - set(C.DEFAULT_AGE_BANDS.labels)
        )
    districts = {str(d) for d in pd.unique(usage[C.DISTRICT].dropna())}  # distinct first: millions of rows
    districts |= set(pd.unique(population[C.DISTRICT].dropna().astype("str")).tolist())
    known[C.DISTRICT] = sorted(districts)
    return known


def _entries(
    usage: pd.DataFrame,
    population: pd.DataFrame,
    dimensions: Iterable[str | Sequence[str]],
    crosses: Iterable[Sequence[str]],
    defaults: bool,
) -> tuple[tuple[tuple[str, ...], ...], list[str]]:
    """The comparisons to make, and notes on default comparisons left out for want of a column."""
    has_nb = C.NEIGHBOURHOOD in usage.columns and C.NEIGHBOURHOOD in population.columns
    entries = comparison_entries(dimensions, crosses, neighbourhood=has_nb)
    notes = []
    kept = []
    for entry in entries:
        absent = [d for d in entry if d not in usage.columns]
        if not absent:
            kept.append(entry)
        elif defaults:
            notes.append(t("services.analysis.no_column", entry="×".join(entry), columns=", ".join(absent)))
        else:
            raise UsageError(
                Message(
                    "services.analysis.comparison_needs", entry="×".join(entry), columns=", ".join(absent)
                )
            )
    if not kept:
        raise UsageError(Message("services.analysis.no_comparison"))
    return tuple(kept), notes


def _years(usage: pd.DataFrame, years: Iterable[int] | None) -> tuple[int, ...]:
    present = sorted(int(y) for y in pd.unique(usage[C.FISCAL_YEAR]))
    if years is None:
        if not present:
            raise UsageError(Message("services.analysis.empty"))
        return tuple(present)
    wanted = sorted({int(y) for y in years})
    absent = [y for y in wanted if y not in present]
    if absent:
        raise UsageError(
            Message(
                "services.analysis.years_absent",
                absent=", ".join(map(str, absent)),
                present=", ".join(map(str, present)) or t("services.analysis.no_years"),
            )
        )
    return tuple(wanted)


def _concat(parts: list[pd.DataFrame], columns: Sequence[str]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty(columns)
    return pd.concat(parts, ignore_index=True)[list(columns)]


def analyse_services(
    usage: pd.DataFrame,
    population: pd.DataFrame,
    *,
    services: pd.DataFrame | None = None,
    dimensions: Sequence[str | Sequence[str]] = S.DEFAULT_DIMENSIONS,
    crosses: Sequence[Sequence[str]] = S.DEFAULT_CROSSES,
    reference: Mapping[str, str] | None = None,
    k: int = 5,
    z: float = 1.96,
    years: Iterable[int] | None = None,
    indicators: Any = None,
    service_tags: Any = None,
    budget_tags: Any = None,
    budget: pd.DataFrame | None = None,
    audit: bool = False,
    under_served: UnderServedRule | None = None,
    standard: str = "own",
    disclosure: str | None = None,
) -> ServiceAnalysis:
    """Who uses each service and who does not, per fiscal year — the Hizmette Eşitlik analysis.

    Parameters
    ----------
    usage : canonical service-usage records (``service_code, person_id, sex, district`` and the dimension
        columns compared; ``fiscal_year`` or ``date``), e.g. ``gcdb.read_usage(...).data``.
    population : the population baseline (``district, sex, age_band, population``, optionally ``fiscal_year``,
        ``neighbourhood``, ``disabled_population``, ``migrant_population``). A year the baseline lacks uses the
        latest earlier baseline year (``population_years`` says which).
    services : service catalogue (``service_code, service_name, unit_name`` …); default: from the records.
    dimensions, crosses : comparisons: each dimension against its reference group city-wide, and each cross
        ``(compared, *within)`` inside every group of the others. Neighbourhoods are added when both frames have
        them. Comparisons by disability or migrant status use the records where that status is known.
    reference : reference group per dimension (default :data:`gcdb.equality.DEFAULT_REFERENCE`: men, 25-44,
        not disabled, citizens, and for places all other places pooled).
    k : disclosure threshold: counts of 1 … k − 1 persons are hidden, with secondary suppression.
    disclosure : ``"linked"`` (default; ``"tables"`` when ``audit=True``): every published table protected at
        once by the linked-table engine (:mod:`gcdb.disclosure`): no hidden number can be recovered from any
        combination of the tables, checked by its attacker (``ServiceAnalysis.disclosure_audit``); the one policy
        of the API and the CLI. ``"tables"``: each group of comparisons suppressed on its own (the line rule of
        methods.md §4, or the linear-algebra audit with ``audit=True``) — faster, for a first look, not for
        publication: a number hidden in one table may be recovered from another. The engine's time grows with
        the number of published cells: about 10 s on the demo (325,813 records), see ``docs/disclosure.md`` §5.
    z : normal quantile of the intervals (1.96 → 95 %).
    years : fiscal years to analyse (default: every year of the records).
    indicators : plan indicator definitions (:class:`gcdb.indicators.IndicatorSet` or a file path) or a computed
        indicator table.
    service_tags : tags of ``usage`` by the services rule set (:class:`gcdb.rules.TagResult` or its ``tags``;
        ``row_id`` = position in ``usage``), or a ``service_code, action_code`` link table.
    budget_tags, budget : the tagged budget (``TagResult`` or its tags, with ``attributed_expenditure``) and the
        budget frame that was tagged (for the fiscal year of each line). With ``service_tags`` they give benefit
        incidence.
    audit : with ``disclosure="tables"``: audit each table's hidden cells by linear algebra
        (:mod:`gcdb.equality.suppression`) instead of the line rule of methods.md §4; slower, and it hides many
        more cells on large tables.
    under_served : the one definition of an under-served group (:class:`gcdb.equality.flags.UnderServedRule`:
        threshold 0.8, at least 1,000 eligible residents and 10 expected users by default).
    standard : standard population of the age-standardised place rates: ``"own"`` (the municipality's eligible
        population) or ``"esp2013"`` (European Standard Population 2013).

    Each service's eligible population comes from the catalogue's eligibility columns
    (:mod:`gcdb.services.catalogue_spec`): every rate, ratio, flag, HEAT measure, standardised rate and benefit
    share is taken within it; groups outside it have the status ``not_eligible``; records outside it are counted
    in ``ineligible`` (data quality) and in no rate. Plan indicators count every record.

    Returns
    -------
    :class:`ServiceAnalysis` — tables with fixed columns, see :mod:`gcdb.services.names`.
    """
    _require(usage, _USAGE_NEEDED, "usage")
    _require(population, _POPULATION_NEEDED, "population")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise UsageError(f"k must be a whole number ≥ 1, got {k!r}")
    if not isinstance(z, int | float) or not z > 0:
        raise UsageError(f"z must be a positive number, got {z!r}")
    if budget_tags is not None and service_tags is None:
        raise UsageError(
            "benefit incidence needs service_tags (the services rule set's tags) with budget_tags"
        )
    if standard not in STANDARDS:
        raise UsageError(f"standard must be one of {', '.join(STANDARDS)}, got {standard!r}")
    if disclosure is None:
        disclosure = "tables" if audit else "linked"
    if audit and disclosure == "linked":
        raise UsageError(Message("services.audit_linked"))
    if disclosure not in DISCLOSURE:
        raise UsageError(f"disclosure must be one of {', '.join(DISCLOSURE)}, got {disclosure!r}")
    if disclosure == "linked" and int(k) > 1:
        from gcdb.services.linked import protect_linked

        truth = analyse_services(
            usage,
            population,
            services=services,
            dimensions=dimensions,
            crosses=crosses,
            reference=reference,
            k=1,
            z=z,
            years=years,
            indicators=indicators,
            service_tags=service_tags,
            budget_tags=budget_tags,
            budget=budget,
            under_served=under_served,
            standard=standard,
            disclosure="tables",
        )
        return protect_linked(truth, usage=usage, k=int(k), service_tags=service_tags, indicators=indicators)
    rule = DEFAULT_RULE if under_served is None else under_served
    if not isinstance(rule, UnderServedRule):
        raise UsageError(f"under_served must be an UnderServedRule, got {type(rule).__name__}")
    k = int(k)
    z = float(z)
    defaults = dimensions is S.DEFAULT_DIMENSIONS and crosses is S.DEFAULT_CROSSES
    records = _prepared_usage(usage)
    entries, notes = _entries(records, population, dimensions, crosses, defaults)
    given = dict(reference or {})
    reference = resolve_reference(reference)
    compared = {e[0] for e in entries}
    # a group the caller names must exist; a default reference the records lack (25-44 of a crèche) falls back
    # to the other groups pooled, as one outside a service's eligible population does
    check_reference_groups(
        {d: g for d, g in reference.items() if d in compared and d in given},
        _known_groups(records, population),
    )
    analysed_years = _years(records, years)
    catalogue = service_table(records, services)
    eligibility = eligibility_of(catalogue)
    known = set(pd.unique(population[C.DISTRICT].dropna().astype("str")).tolist())
    check_districts(catalogue, known, file=str(getattr(services, "attrs", {}).get("source", "services")))
    inside, broken = eligible_criteria(records, eligibility)  # a byte a record
    codes = catalogue[C.SERVICE_CODE].astype("str").tolist()
    passes = plan_passes(entries)

    # the indicators in a thread of their own, beside the passes: their numpy kernels (masks, sorts, counts)
    # release the GIL that the passes' pandas steps hold, so the two fill both cores. On more rows than
    # _BESIDE_ROWS, first and alone: their working memory comes and goes before the year's copies of the
    # records exist (both at once took 50 M records past 4 GB)
    indicators_running = None
    indicator_rows = empty(INDICATOR_TABLE_COLUMNS)
    if indicators is not None:
        compute = functools.partial(
            indicator_table, records, population, indicators, years=analysed_years, k=k
        )
        if len(records) <= _BESIDE_ROWS:
            indicators_running = Background(compute)
        else:
            indicator_rows = compute()
            release_memory()
    links = service_links(service_tags, usage) if service_tags is not None else None
    spending = action_spending(budget_tags, budget) if budget_tags is not None else None

    impact_parts, heat_parts, headline_parts, status_parts = [], [], [], []
    ineligible_parts, standardised_parts = [], []
    incidence_parts: dict[str, list[pd.DataFrame]] = {}
    population_years: dict[int, int | None] = {}
    status_dims = [d for d in N.DIMENSIONS if any(d in e for e in entries)]
    for year in analysed_years:
        pop, used = population_for(population, year)
        population_years[year] = used
        in_year = (records[C.FISCAL_YEAR] == year).to_numpy(dtype=bool)
        chosen = in_year & inside
        one_pass = functools.partial(
            run_pass,
            population=pop,
            fiscal_year=year,
            reference=reference,
            k=k,
            z=z,
            audit=audit,
            eligibility=eligibility,
            rule=rule,
        )
        done = _status_passes(records, chosen, passes, one_pass)
        # the records outside eligibility first (counted before the year's copy exists), and let go before the
        # passes (millions of rows at scale)
        away = in_year & ~inside
        outside = _rows(records, away, _OUTSIDE)
        ineligible_parts.append(ineligible_table(outside, broken[away], year, k))
        del away, in_year
        release_memory()
        frame = _rows(records, chosen, _ANALYSED)  # only the columns read below: the year's largest copy
        eligible_pop = eligible_population(pop, eligibility, codes)
        headline_parts.append(headline(frame, eligible_pop, catalogue, year, k, outside))
        del outside
        release_memory()
        for i, p in enumerate(passes):
            if not p.known:
                done[i] = one_pass(frame, p=p)
                release_memory()  # each step's freed memory back to the system before the next grows
        for i in range(len(passes)):  # in the passes' order
            impact_parts.append(done[i][0])
            heat_parts.append(done[i][1])
        del done
        status_parts.append(unknown_status(frame, catalogue, status_dims, year, k))
        release_memory()
        standardised_parts.append(
            place_standardised(
                frame, pop, eligible_pop, eligibility, fiscal_year=year, k=k, z=z, standard=standard
            )
        )
        release_memory()
        if links is not None and spending is not None:
            # the records' positions, for their service tags: only now, not through the passes
            frame[ROW] = np.flatnonzero(chosen).astype(np.int32 if len(records) < 2**31 else np.int64)
            year_spending = spending[(spending[S.FISCAL_YEAR] == year).to_numpy()]
            for name, table in incidence_year(frame, pop, links, year_spending, year, k).items():
                incidence_parts.setdefault(name, []).append(table)

    if indicators_running is not None:
        indicator_rows = indicators_running.result()
        release_memory()
    impact = _concat(impact_parts, S.IMPACT_COLUMNS)
    heat = _concat(heat_parts, S.HEAT_COLUMNS)
    gaps = rank_gaps(impact)
    standardised = _concat(standardised_parts, S.STANDARDISED_COLUMNS)
    ineligible = _concat(ineligible_parts, S.INELIGIBLE_COLUMNS)
    incidence = {
        name: _concat(incidence_parts.get(name, []), columns)
        for name, columns in (
            ("incidence_actions", S.INCIDENCE_ACTIONS_COLUMNS),
            ("incidence_services", S.INCIDENCE_SERVICES_COLUMNS),
            ("incidence_groups", S.INCIDENCE_GROUPS_COLUMNS),
            ("incidence_by_service", S.INCIDENCE_BY_SERVICE_COLUMNS),
        )
    }
    headline_table = _concat(headline_parts, S.HEADLINE_COLUMNS)
    suppression = _concat(
        [
            suppression_counts("impact", impact),
            suppression_counts("headline", headline_table),
            suppression_counts("incidence_groups", incidence["incidence_groups"]),
            suppression_counts("incidence_by_service", incidence["incidence_by_service"]),
            suppression_counts("indicators", indicator_rows),
            suppression_counts("standardised", standardised),
            suppression_counts("ineligible", ineligible),
        ],
        S.SUPPRESSION_COLUMNS,
    )
    parameters = _parameters(
        analysed_years, entries, reference, k, z, audit, population_years, notes, _records(records), passes
    )
    parameters = pd.concat([parameters, _rule_parameters(rule, standard, eligibility)], ignore_index=True)
    return ServiceAnalysis(
        years=analysed_years,
        services=catalogue,
        entries=entries,
        reference={d: reference[d] for d in N.DIMENSIONS if d in reference},
        k=k,
        z=z,
        audit=bool(audit),
        population_years=population_years,
        parameters=parameters,
        headline=headline_table,
        impact=impact,
        breakdowns=with_standardised(breakdown_views(impact), standardised),
        gaps=gaps,
        reached_least=reached_least(gaps, catalogue, analysed_years, eligibility),
        standardised=standardised,
        heat=heat,
        indicators=indicator_rows,
        unknown_status=_concat(status_parts, S.STATUS_COLUMNS),
        ineligible=ineligible,
        suppression=suppression,
        eligibility=eligibility,
        rule=rule,
        standard=standard,
        incidence_actions=incidence["incidence_actions"],
        incidence_services=incidence["incidence_services"],
        incidence_groups=incidence["incidence_groups"],
        incidence_by_service=incidence["incidence_by_service"],
    )


#: The disclosure policies of :func:`analyse_services`.
DISCLOSURE = ("linked", "tables")


def _rule_parameters(rule: UnderServedRule, standard: str, eligibility) -> pd.DataFrame:
    rows = [
        ("under_served.threshold", repr(rule.threshold)),
        ("under_served.min_population", repr(rule.min_population)),
        ("under_served.min_expected", repr(rule.min_expected)),
        ("standard", standard),
    ]
    rows += [(f"eligibility.{code}", eligibility[code].describe()) for code in sorted(eligibility)]
    return pd.DataFrame(rows, columns=list(S.PARAMETERS_COLUMNS)).astype("str")


def _parameters(
    years, entries, reference, k, z, audit, population_years, notes, n_records, passes
) -> pd.DataFrame:
    rows = [
        ("years", ", ".join(map(str, years))),
        ("records", str(n_records)),
        ("k", str(k)),
        ("z", repr(z)),
        ("audit", "yes" if audit else "no"),
        ("comparisons", "; ".join("×".join(e) for e in entries)),
        ("passes", "; ".join(f"{p.name}: {len(p.entries)}" for p in passes)),
    ]
    rows += [(f"reference.{d}", reference[d]) for d in N.DIMENSIONS if d in reference]
    rows += [
        (f"population_year.{y}", "" if used is None else str(used)) for y, used in population_years.items()
    ]
    rows += [("left_out", note) for note in notes]
    return pd.DataFrame(rows, columns=list(S.PARAMETERS_COLUMNS)).astype("str")
