"""The published tables of the equality-in-services analysis as one set of linked tables.

:func:`analysis_cells` reads the tables of a :class:`gcdb.services.ServiceAnalysis` (or the tidy files a user
downloads: the same columns) and registers every published count, quantity and amount as a cell, with the
derived numbers (rates, shares, amounts per user) beside them. Only the tables' own key columns are used, plus
public knowledge: the indicator definitions and the service catalogue (which services a department runs).

Keys and universes:

* the comparisons by disability or migrant status count the records where that status is known, so their margin
  is the group ``known`` (``yes`` + ``no``; ``citizen`` + ``migrant``), not the total; refugees and people under
  temporary protection are pooled into ``migrant`` as in the analysis;
* every table of the analysis but the plan indicators counts the records inside their service's eligible
  population (the catalogue's eligibility columns, public): dimension ``eligible``, leaf ``yes``. Records outside
  it are counted by ``ineligible`` under the first criterion they break (leaves ``age``, ``sex``,
  ``disability``, ``migrant_status``, ``district``; the group ``no`` is all of them, the headline's
  ``ineligible_users``); the plan indicators count every record (the dimension's total). Groups outside the
  eligible population are published as zeros of the eligible universe (status ``not_eligible``);
* ``unknown_status`` publishes the users whose category is ``unknown``: total = known + unknown;
* benefit incidence counts the users of a service tagged with an action; with ``actions_cover_services`` (the
  default, true of the shipped rule sets: every record of a service carries its action) a (service, action) pair
  is the service itself, and an action's users are those of its services;
* an indicator's numerator and denominator are the cells their filters describe (a set of services, a sex …);
  a filter the dimensions cannot express (age in years, quantity thresholds, ``any``/``not``) makes the cell a
  universe of its own (dimension ``universe``), related to nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.disclosure import spec as S
from gcdb.equality import names as N
from gcdb.equality.eligibility import CRITERIA, Eligibility, eligible_rows
from gcdb.services import names as SN

UNIVERSE = "universe"
RECORDS = "records"
KNOWN = "known"
#: Dimension of the eligible population: ``yes`` inside it, else the first criterion a record breaks.
ELIGIBLE = "eligible"
INSIDE = C.YES
OUTSIDE = C.NO
#: Migrant codes pooled into ``migrant`` (as :data:`gcdb.equality.baseline.POOLED_MIGRANT_CODES`).
POOLED = (C.MIGRANT, C.REFUGEE, C.TEMPORARY_PROTECTION)

_PLACE = (C.SEX, C.AGE_BAND, C.DISABILITY, C.MIGRANT_STATUS, C.DISTRICT, C.NEIGHBOURHOOD)


def dimensions() -> tuple[S.DimensionSpec, ...]:
    """The dimensions of the equality-in-services tables."""
    return (
        S.DimensionSpec(name=C.FISCAL_YEAR, block=True),
        S.DimensionSpec(name=C.SERVICE_CODE, block=True),
        S.DimensionSpec(name=UNIVERSE, block=True),
        S.DimensionSpec(name=ELIGIBLE, leaves=(INSIDE, *CRITERIA), groups={OUTSIDE: CRITERIA}),
        S.DimensionSpec(name=C.SEX),
        S.DimensionSpec(name=C.AGE_BAND),
        S.DimensionSpec(name=C.DISABILITY, groups={KNOWN: (C.YES, C.NO)}),
        S.DimensionSpec(name=C.MIGRANT_STATUS, groups={KNOWN: (C.CITIZEN, C.MIGRANT)}),
        S.DimensionSpec(name=C.DISTRICT),
        S.DimensionSpec(name=C.NEIGHBOURHOOD, nested_in=C.DISTRICT),
    )


DIMENSION_NAMES = tuple(d.name for d in dimensions())


def eligibility_from(
    tables: Mapping[str, pd.DataFrame], services: pd.DataFrame | None = None
) -> dict[str, Eligibility]:
    """Each service's eligibility, as published: the analysis' ``services`` table (the parsed catalogue), else
    the catalogue ``services`` given (everyone where neither says)."""
    from gcdb.services import eligibility_of, services_from_frame

    published = tables.get("services")
    if published is not None and len(published) and C.SERVICE_CODE in published.columns:
        return eligibility_of(published)
    if services is not None and len(services) and C.SERVICE_CODE in services.columns:
        return eligibility_of(services_from_frame(services))
    return {}


def usage_atoms(usage: pd.DataFrame, eligibility: Mapping[str, Eligibility] | None = None) -> pd.DataFrame:
    """The inner cells of the usage records: distinct combinations of every dimension (migrants pooled)."""
    return usage_atoms_raw(usage, eligibility).drop_duplicates().reset_index(drop=True)


def usage_atoms_raw(
    usage: pd.DataFrame, eligibility: Mapping[str, Eligibility] | None = None
) -> pd.DataFrame:
    """Every record's leaf codes (one row per record, migrants pooled; ``eligible``: ``yes`` inside the
    service's eligible population, else the first criterion the record breaks)."""
    cols: dict[str, pd.Series] = {}
    years = usage[C.FISCAL_YEAR] if C.FISCAL_YEAR in usage else pd.to_datetime(usage[C.DATE]).dt.year
    cols[C.FISCAL_YEAR] = years.astype("int64").astype("str")
    cols[C.SERVICE_CODE] = usage[C.SERVICE_CODE].astype("str")
    cols[UNIVERSE] = pd.Series(RECORDS, index=usage.index, dtype="str")
    for d in _PLACE:
        cols[d] = (
            usage[d].astype("str").fillna(C.UNKNOWN)
            if d in usage
            else pd.Series(N.TOTAL, index=usage.index, dtype="str")
        )
    inside, broken = eligible_rows(usage.reset_index(drop=True), dict(eligibility or {}))
    cols[ELIGIBLE] = pd.Series(np.where(inside, INSIDE, broken), index=usage.index, dtype="str")
    frame = pd.DataFrame(cols)
    frame[C.MIGRANT_STATUS] = frame[C.MIGRANT_STATUS].where(~frame[C.MIGRANT_STATUS].isin(POOLED), C.MIGRANT)
    return frame.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------------------
def _keys(n: int, year, **given) -> dict[str, np.ndarray]:
    """Codes of ``n`` cells: the total everywhere (every record, eligible or not) but ``given``."""
    out = {d: np.full(n, N.TOTAL, dtype=object) for d in DIMENSION_NAMES}
    out[UNIVERSE] = np.full(n, RECORDS, dtype=object)
    out[C.FISCAL_YEAR] = np.asarray(pd.Series(year).astype("int64").astype("str").to_numpy(), dtype=object)
    if out[C.FISCAL_YEAR].shape[0] == 1 and n != 1:
        out[C.FISCAL_YEAR] = np.repeat(out[C.FISCAL_YEAR], n)
    for name, values in given.items():
        out[name] = np.asarray(values, dtype=object)
    return out


def _eligible_keys(n: int, year, **given) -> dict[str, np.ndarray]:
    """Codes of ``n`` cells of the eligible universe (the analysis' tables but the plan indicators)."""
    given.setdefault(ELIGIBLE, np.full(n, INSIDE, dtype=object))
    return _keys(n, year, **given)


def _entries(table: str, rows, column: str, measure: str, values, status, keys) -> pd.DataFrame:
    n = len(rows)
    status = np.broadcast_to(np.asarray(status, dtype=object), (n,))
    frame = pd.DataFrame(
        {
            S.TABLE: table,
            S.ROW: np.asarray(rows, dtype=np.int64),
            S.COLUMN: column,
            S.MEASURE: measure,
            S.VALUE: pd.to_numeric(pd.Series(values)).to_numpy(dtype=np.float64, na_value=np.nan),
            S.STATUS: status,
        }
    )
    for d in DIMENSION_NAMES:
        frame[d] = pd.array(np.asarray(keys[d], dtype=object), dtype="str")
    for col in (S.TABLE, S.COLUMN, S.MEASURE, S.STATUS):
        frame[col] = frame[col].astype("str")
    return frame


def _derived(table: str, rows, column: str, values, numerator: str, denominator: str, population, scale):
    n = len(rows)
    return pd.DataFrame(
        {
            S.TABLE: pd.array([table] * n, dtype="str"),
            S.ROW: np.asarray(rows, dtype=np.int64),
            S.COLUMN: pd.array([column] * n, dtype="str"),
            S.VALUE: pd.to_numeric(pd.Series(values)).to_numpy(dtype=np.float64, na_value=np.nan),
            S.NUMERATOR: pd.array([numerator] * n, dtype="str"),
            S.DENOMINATOR: pd.array([denominator] * n, dtype="str"),
            S.POPULATION: np.broadcast_to(
                pd.to_numeric(pd.Series(population)).to_numpy(dtype=np.float64, na_value=np.nan), (n,)
            ).copy()
            if n
            else np.zeros(0),
            S.SCALE: np.full(n, float(scale)),
        }
    )


def _status(frame: pd.DataFrame, hidden_values: pd.Series | None = None) -> np.ndarray:
    """``primary``/``secondary`` from the ``suppression`` column, else ``hidden`` where the value is hidden."""
    if N.SUPPRESSION in frame.columns:
        return frame[N.SUPPRESSION].astype("str").fillna("").to_numpy(dtype=object)
    if hidden_values is not None:
        return np.where(hidden_values.isna().to_numpy(), "hidden", "").astype(object)
    return np.full(len(frame), "", dtype=object)


def _dims(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    return {
        d: frame[d].astype("str").fillna(N.TOTAL).to_numpy(dtype=object) for d in _PLACE if d in frame.columns
    }


# ---------------------------------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------------------------------
def impact_cells(t: pd.DataFrame, name: str = "impact") -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """Users, uses and quantity of every comparison cell; the rate per 1,000 residents beside them."""
    t = t.reset_index(drop=True)
    rows = np.arange(len(t))
    dims = _dims(t)
    compared = (t[N.DIMENSION].astype("str") + "|" + t[N.STRATA].astype("str")).to_numpy(dtype=object)
    for d in (C.DISABILITY, C.MIGRANT_STATUS):
        in_pass = np.char.find(compared.astype(str), d) >= 0
        dims[d] = np.where(in_pass & (dims[d] == N.TOTAL), KNOWN, dims[d])
    keys = _eligible_keys(
        len(t), t[SN.FISCAL_YEAR], service_code=t[C.SERVICE_CODE].astype("str").to_numpy(), **dims
    )
    status = _status(t)
    cells = [
        _entries(name, rows, col, col, t[col], status, keys)
        for col in (N.USERS, N.USES, N.QUANTITY)
        if col in t.columns
    ]
    derived = [_derived(name, rows, N.RATE, t[N.RATE], N.USERS, "", t[N.POPULATION], 1000.0)]
    return cells, derived


def headline_cells(t: pd.DataFrame, name: str = "headline"):
    t = t.reset_index(drop=True)
    rows = np.arange(len(t))
    svc = t[C.SERVICE_CODE].astype("str").to_numpy()
    keys = _eligible_keys(len(t), t[SN.FISCAL_YEAR], service_code=svc)
    women = _eligible_keys(
        len(t), t[SN.FISCAL_YEAR], service_code=svc, sex=np.full(len(t), C.FEMALE, dtype=object)
    )
    cells = [
        _entries(name, rows, N.USERS, S.USERS, t[N.USERS], _status(t, t[N.USERS]), keys),
        _entries(name, rows, N.USES, S.USES, t[N.USES], _status(t, t[N.USES]), keys),
        _entries(
            name, rows, SN.FEMALE_USERS, S.USERS, t[SN.FEMALE_USERS], _status(t, t[SN.FEMALE_USERS]), women
        ),
    ]
    if SN.INELIGIBLE_USERS in t.columns:
        outside = _keys(
            len(t), t[SN.FISCAL_YEAR], service_code=svc, **{ELIGIBLE: np.full(len(t), OUTSIDE, dtype=object)}
        )
        values = t[SN.INELIGIBLE_USERS]
        cells.append(_entries(name, rows, SN.INELIGIBLE_USERS, S.USERS, values, _status(t, values), outside))
    derived = [
        _derived(name, rows, SN.SHARE_WOMEN, t[SN.SHARE_WOMEN], SN.FEMALE_USERS, N.USERS, np.nan, 1.0),
        _derived(name, rows, N.RATE, t[N.RATE], N.USERS, "", t[N.POPULATION], 1000.0),
    ]
    return cells, derived


def unknown_status_cells(t: pd.DataFrame, name: str = "unknown_status"):
    t = t.reset_index(drop=True)
    rows = np.arange(len(t))
    svc = t[C.SERVICE_CODE].astype("str").to_numpy()
    dim = t[N.DIMENSION].astype("str").to_numpy(dtype=object)
    given = {d: np.where(dim == d, C.UNKNOWN, N.TOTAL).astype(object) for d in _PLACE}
    keys = _eligible_keys(len(t), t[SN.FISCAL_YEAR], service_code=svc)
    unknown = _eligible_keys(len(t), t[SN.FISCAL_YEAR], service_code=svc, **given)
    cells = [
        _entries(name, rows, N.USERS, S.USERS, t[N.USERS], _status(t, t[N.USERS]), keys),
        _entries(
            name,
            rows,
            SN.UNKNOWN_USERS,
            S.USERS,
            t[SN.UNKNOWN_USERS],
            _status(t, t[SN.UNKNOWN_USERS]),
            unknown,
        ),
    ]
    derived = [
        _derived(name, rows, SN.UNKNOWN_SHARE, t[SN.UNKNOWN_SHARE], SN.UNKNOWN_USERS, N.USERS, np.nan, 1.0)
    ]
    return cells, derived


def ineligible_cells(t: pd.DataFrame, name: str = "ineligible"):
    """Users outside their service's eligible population, by the first criterion broken and its group (the age
    band for ``age``). A group the dimensions pool (refugees among migrants) is a universe of its own."""
    t = t.reset_index(drop=True)
    rows = np.arange(len(t))
    svc = t[C.SERVICE_CODE].astype("str").to_numpy(dtype=object)
    criterion = t[SN.CRITERION].astype("str").fillna("").to_numpy(dtype=object)
    group = t[N.GROUP].astype("str").fillna(C.UNKNOWN).to_numpy(dtype=object)
    column = np.where(criterion == C.AGE, C.AGE_BAND, criterion).astype(object)
    given: dict[str, np.ndarray] = {d: np.where(column == d, group, N.TOTAL).astype(object) for d in _PLACE}
    known = np.isin(criterion, np.asarray(CRITERIA, dtype=object)) & ~(
        (criterion == C.MIGRANT_STATUS) & np.isin(group, np.asarray(POOLED, dtype=object))
    )
    given[ELIGIBLE] = np.where(known, criterion, N.TOTAL).astype(object)
    given[UNIVERSE] = np.where(known, RECORDS, "ineligible:" + criterion + ":" + group).astype(object)
    keys = _keys(len(t), t[SN.FISCAL_YEAR], service_code=svc, **given)
    cells = [_entries(name, rows, N.USERS, S.USERS, t[N.USERS], _status(t, t[N.USERS]), keys)]
    return cells, []


def standardised_cells(t: pd.DataFrame, name: str = "standardised"):
    """Users of every place (district, or neighbourhood) of the age-standardised table; the crude rate and the
    indirectly standardised ratio (users over the expected users, published) beside them. The directly
    standardised rate weighs age-specific rates: not an additive relation; the table hides it with any hidden
    age band of the place (``band_suppressed``)."""
    t = t.reset_index(drop=True)
    rows = np.arange(len(t))
    dims = _dims(t)
    keys = _eligible_keys(
        len(t), t[SN.FISCAL_YEAR], service_code=t[C.SERVICE_CODE].astype("str").to_numpy(), **dims
    )
    cells = [_entries(name, rows, N.USERS, S.USERS, t[N.USERS], _status(t, t[N.USERS]), keys)]
    derived = [_derived(name, rows, N.RATE, t[N.RATE], N.USERS, "", t[N.POPULATION], 1000.0)]
    if SN.ISR in t.columns and SN.ISR_EXPECTED in t.columns:
        derived.append(_derived(name, rows, SN.ISR, t[SN.ISR], N.USERS, "", t[SN.ISR_EXPECTED], 1.0))
    return cells, derived


def pair_codes(tables: Mapping[str, pd.DataFrame]) -> dict[tuple[int, str, str], str]:
    """The service code of every (fiscal year, service, action) pair of benefit incidence.

    A pair whose published total of users equals the service's published users (headline) covers the service:
    every user of the service is tagged with the action, so its cells are the service's own cells (code
    ``S``). Any other pair is a subset of the service's users of its own (code ``S@A``), linked to the other
    incidence tables but not to the comparisons.
    """
    by_service = tables.get("incidence_by_service")
    if by_service is None or by_service.empty:
        return {}
    t = by_service
    totals = t[(t[N.GROUP].astype("str") == N.TOTAL).to_numpy()]
    totals = totals.drop_duplicates([SN.FISCAL_YEAR, C.SERVICE_CODE, C.ACTION_CODE])
    head = tables.get("headline")
    service_users = {}
    if head is not None and len(head):
        for y, svc, u in zip(
            head[SN.FISCAL_YEAR], head[C.SERVICE_CODE].astype("str"), head[N.USERS], strict=True
        ):
            if not pd.isna(u):
                service_users[(int(y), svc)] = float(u)
    out = {}
    for y, svc, act, u in zip(
        totals[SN.FISCAL_YEAR],
        totals[C.SERVICE_CODE].astype("str"),
        totals[C.ACTION_CODE].astype("str"),
        totals[N.USERS],
        strict=True,
    ):
        covered = not pd.isna(u) and service_users.get((int(y), svc)) == float(u)
        out[(int(y), svc, act)] = svc if covered else f"{svc}@{act}"
    return out


def _pairs_code(year: int, services: list[str], actions: list[str], pairs: dict) -> str:
    codes = {pairs.get((year, s, a), f"{s}@{a}") for s in services for a in actions}
    return S.set_code(codes)


def incidence_cells(
    tables: Mapping[str, pd.DataFrame], pairs: Mapping[tuple[int, str, str], str] | None = None
):
    """Benefit incidence: users and amounts (kuruş) per service, action and group; spending per user beside.
    ``pairs``: the service code of every (year, service, action) pair (default :func:`pair_codes`)."""
    cells, derived = [], []
    pairs = dict(pair_codes(tables) if pairs is None else pairs)
    actions_of: dict[tuple[int, str], list[str]] = {}
    for y, code, act in pairs:
        actions_of.setdefault((y, code), []).append(act)
    services = tables.get("incidence_services")
    if services is not None and len(services):
        t = services.reset_index(drop=True)
        rows = np.arange(len(t))
        years = t[SN.FISCAL_YEAR].astype("int64").tolist()
        svc: list[str] | np.ndarray = [
            _pairs_code(
                y,
                [s],
                sorted(str(a).split("|")) if isinstance(a, str) and a else actions_of.get((y, s), []),
                pairs,
            )
            if actions_of.get((y, s)) or (isinstance(a, str) and a)
            else s
            for y, s, a in zip(years, t[C.SERVICE_CODE].astype("str"), t[SN.ACTION_CODES], strict=True)
        ]
        keys = _eligible_keys(len(t), t[SN.FISCAL_YEAR], service_code=np.asarray(svc, dtype=object))
        status = _status(t, t[N.USERS])
        cells.append(_entries("incidence_services", rows, N.USERS, S.USERS, t[N.USERS], status, keys))
        cells.append(_entries("incidence_services", rows, SN.SPENDING, S.AMOUNT, t[SN.SPENDING], "", keys))
        derived.append(
            _derived(
                "incidence_services",
                rows,
                SN.SPENDING_PER_USER,
                t[SN.SPENDING_PER_USER],
                SN.SPENDING,
                N.USERS,
                np.nan,
                1.0,
            )
        )
    actions = tables.get("incidence_actions")
    if actions is not None and len(actions):
        t = actions.reset_index(drop=True)
        t = t[(t[SN.SERVICES].astype("str").fillna("") != "").to_numpy()]
        rows = t.index.to_numpy()
        svc = [
            _pairs_code(int(y), str(ss).split("|"), [str(a)], pairs)
            for y, ss, a in zip(t[SN.FISCAL_YEAR], t[SN.SERVICES], t[C.ACTION_CODE], strict=True)
        ]
        keys = _eligible_keys(len(t), t[SN.FISCAL_YEAR], service_code=np.asarray(svc, dtype=object))
        cells.append(
            _entries("incidence_actions", rows, N.USERS, S.USERS, t[N.USERS], _status(t, t[N.USERS]), keys)
        )
    groups = tables.get("incidence_groups")
    if groups is not None and len(groups) and pairs:
        t = groups.reset_index(drop=True)
        rows = np.arange(len(t))
        by = t[SN.BY].astype("str").to_numpy(dtype=object)
        group = t[N.GROUP].astype("str").to_numpy(dtype=object)
        given = {d: np.where(by == d, group, N.TOTAL).astype(object) for d in _PLACE}
        per_year: dict[int, set[str]] = {}
        for (y, _s, _a), code in pairs.items():
            per_year.setdefault(y, set()).add(code)
        svc = np.array([S.set_code(per_year.get(int(y), {""})) for y in t[SN.FISCAL_YEAR]], dtype=object)
        keys = _eligible_keys(len(t), t[SN.FISCAL_YEAR], service_code=svc, **given)
        status = _status(t, t[N.USERS])
        cells.append(_entries("incidence_groups", rows, N.USERS, S.USERS, t[N.USERS], status, keys))
        cells.append(_entries("incidence_groups", rows, N.BENEFIT, S.AMOUNT, t[N.BENEFIT], status, keys))
        derived.append(
            _derived(
                "incidence_groups",
                rows,
                N.BENEFIT_PER_USER,
                t[N.BENEFIT_PER_USER],
                N.BENEFIT,
                N.USERS,
                np.nan,
                1.0,
            )
        )
        derived.append(
            _derived(
                "incidence_groups",
                rows,
                N.BENEFIT_PER_RESIDENT,
                t[N.BENEFIT_PER_RESIDENT],
                N.BENEFIT,
                "",
                t[N.POPULATION],
                1.0,
            )
        )
    by_service = tables.get("incidence_by_service")
    if by_service is not None and len(by_service):
        t = by_service.reset_index(drop=True)
        rows = np.arange(len(t))
        by = t[SN.BY].astype("str").to_numpy(dtype=object)
        group = t[N.GROUP].astype("str").to_numpy(dtype=object)
        given = {d: np.where(by == d, group, N.TOTAL).astype(object) for d in _PLACE}
        svc = np.asarray(
            [
                pairs.get((int(y), s, a), f"{s}@{a}")
                for y, s, a in zip(
                    t[SN.FISCAL_YEAR],
                    t[C.SERVICE_CODE].astype("str"),
                    t[C.ACTION_CODE].astype("str"),
                    strict=True,
                )
            ],
            dtype=object,
        )
        keys = _eligible_keys(len(t), t[SN.FISCAL_YEAR], service_code=svc, **given)
        status = _status(t, t[N.USERS])
        cells.append(_entries("incidence_by_service", rows, N.USERS, S.USERS, t[N.USERS], status, keys))
        cells.append(_entries("incidence_by_service", rows, N.BENEFIT, S.AMOUNT, t[N.BENEFIT], status, keys))
    return cells, derived


def incidence_atoms(
    usage: pd.DataFrame,
    service_tags: Any,
    pairs: Mapping[tuple[int, str, str], str],
    eligibility: Mapping[str, Eligibility] | None = None,
) -> pd.DataFrame:
    """Inner cells of the incidence pairs that are not a whole service: the tagged records, service ``S@A``."""
    from gcdb.services.incidence import tag_frame

    tags = tag_frame(service_tags, "service_tags")
    own = {k: v for k, v in pairs.items() if "@" in v}
    if not own or tags.empty:
        return usage_atoms(usage.iloc[:0], eligibility)
    rows = tags[C.ROW_ID].to_numpy(dtype=np.int64)
    tagged = usage.iloc[rows].reset_index(drop=True)
    atoms = usage_atoms_raw(tagged, eligibility)
    table = pd.DataFrame(
        [(str(y), s, a, code) for (y, s, a), code in own.items()],
        columns=[C.FISCAL_YEAR, C.SERVICE_CODE, C.ACTION_CODE, "pair_code"],
    ).astype("str")
    atoms[C.ACTION_CODE] = tags[C.ACTION_CODE].astype("str").to_numpy()
    joined = atoms.merge(table, on=[C.FISCAL_YEAR, C.SERVICE_CODE, C.ACTION_CODE], how="inner", sort=False)
    joined[C.SERVICE_CODE] = joined.pop("pair_code")
    return joined.drop(columns=[C.ACTION_CODE]).drop_duplicates().reset_index(drop=True)


def analysis_cells(
    tables: Mapping[str, pd.DataFrame],
    *,
    indicators: Any = None,
    services: pd.DataFrame | None = None,
    pairs: Mapping[tuple[int, str, str], str] | None = None,
    whole: tuple[frozenset[str], frozenset[tuple[str, str]]] | None = None,
) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """Cell frames and derived frames of every published table of the analysis (names of
    :data:`gcdb.services.names.TABLES`; the ``breakdowns``, ``gaps`` and ``reached_least`` rows are rows of
    ``impact``). ``pairs`` (:func:`pair_codes`) and ``whole`` (:func:`whole_universes`) default to what these
    tables say; the engine passes those of the unsuppressed tables to the check of the tables it publishes, so
    that both describe the same cells."""
    from gcdb.disclosure.indicators import indicator_cells

    cells: list[pd.DataFrame] = []
    derived: list[pd.DataFrame] = []
    for name, fn in (
        ("impact", impact_cells),
        ("headline", headline_cells),
        ("unknown_status", unknown_status_cells),
        ("ineligible", ineligible_cells),
        ("standardised", standardised_cells),
    ):
        if name in tables and len(tables[name]):
            c, d = fn(tables[name], name)
            cells += c
            derived += d
    c, d = incidence_cells(tables, pairs)
    cells += c
    derived += d
    whole = whole_universes(tables, services) if whole is None else whole
    cells = [_with_whole_universe(frame, whole) for frame in cells]
    if "indicators" in tables and len(tables["indicators"]) and indicators is not None:
        c, d = indicator_cells(tables["indicators"], indicators, services=services)
        cells += c
        derived += d
    return cells, derived


def whole_universes(
    tables: Mapping[str, pd.DataFrame], services: pd.DataFrame | None = None
) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """Where the eligible universe is every record, as the published tables say: services open to everyone
    (the catalogue), and the (fiscal year, service) pairs whose published ``ineligible_users`` is 0."""
    eligibility = eligibility_from(tables, services)
    everyone = frozenset(code for code, e in eligibility.items() if e.everyone)
    head = tables.get("headline")
    pairs: frozenset[tuple[str, str]] = frozenset()
    if head is not None and len(head) and SN.INELIGIBLE_USERS in head.columns:
        values = pd.to_numeric(head[SN.INELIGIBLE_USERS], errors="coerce")
        none = values.to_numpy(dtype=np.float64, na_value=np.nan) == 0
        years = pd.Series(head[SN.FISCAL_YEAR].to_numpy()[none]).astype("int64").astype("str")
        codes = head[C.SERVICE_CODE].astype("str").to_numpy()[none]
        pairs = frozenset(zip(years.tolist(), codes.tolist(), strict=True))
    return everyone, pairs


def _services_of(code: str) -> list[str]:
    """The catalogue services a service code covers (``{A,B}``, ``S@A`` — the pair's service)."""
    inner = code[1:-1].split(S.SET_SEP) if code.startswith(S.SET_OPEN) else [code]
    return [x.split("@", 1)[0] for x in inner if x]


def _with_whole_universe(
    frame: pd.DataFrame, whole: tuple[frozenset[str], frozenset[tuple[str, str]]]
) -> pd.DataFrame:
    """Cells of the eligible universe of services where it is every record are keyed by the dimension's total:
    the same numbers as the plan indicators' (every record), and known to the attacker to be."""
    everyone, pairs = whole
    inside = (frame[ELIGIBLE] == INSIDE).to_numpy()
    if not inside.any() or not (everyone or pairs):
        return frame
    key = frame.loc[inside, [C.FISCAL_YEAR, C.SERVICE_CODE]].astype("str").drop_duplicates()
    ok = [
        all(s in everyone or (y, s) in pairs for s in _services_of(code))
        for y, code in zip(key[C.FISCAL_YEAR], key[C.SERVICE_CODE], strict=True)
    ]
    key = key.assign(_whole=np.asarray(ok, dtype=bool))
    found = (
        frame[[C.FISCAL_YEAR, C.SERVICE_CODE]]
        .astype("str")
        .merge(key, on=[C.FISCAL_YEAR, C.SERVICE_CODE], how="left")["_whole"]
        .fillna(False)
        .to_numpy(dtype=bool)
    )
    if not (found & inside).any():
        return frame
    out = frame.copy()
    out[ELIGIBLE] = pd.array(
        np.where(found & inside, N.TOTAL, out[ELIGIBLE].to_numpy(dtype=object)), dtype="str"
    )
    return out


#: Tables whose cells are published last and hidden first when a choice is left: the plan indicators (proxies
#: over every record, beside the analysis of each service's eligible population).
SECONDARY_TABLES: tuple[str, ...] = ("indicators",)


def priority(cells: Any) -> np.ndarray:
    """Per cell of a registry: 1 when a table of the analysis itself shows it, 0 when only the plan indicators do
    (the engine's candidate order and repairs)."""
    e = cells.entries
    main = ~e[S.TABLE].isin(SECONDARY_TABLES).to_numpy()
    out = np.zeros(cells.n_cells, dtype=np.float64)
    out[e[S.CELL].to_numpy(dtype=np.int64)[main]] = 1.0
    return out


def table_names() -> Sequence[str]:
    """Tables :func:`analysis_cells` registers."""
    return (
        "impact",
        "headline",
        "unknown_status",
        "ineligible",
        "standardised",
        "incidence_services",
        "incidence_actions",
        "incidence_groups",
        "incidence_by_service",
        "indicators",
    )
