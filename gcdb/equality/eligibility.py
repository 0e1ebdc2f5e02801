"""Eligible populations: who a service is for, and the denominators that follow (methods.md §3c).

A rate is only meaningful over the people a service is for: a crèche over children of its ages, a women's shelter
over women, an elderly day-care centre over residents 65+. An :class:`Eligibility` states, per service, an age range
(whole years, inclusive, either end open), and optionally the sexes, disability status, migrant status and
districts it serves; criteria combine with *and*. The service catalogue declares it (see
:mod:`gcdb.services.catalogue`); this module applies it:

* :func:`eligible_population` — the population baseline restricted to each service's eligible residents, one
  copy of the baseline per service (a ``service_code`` column), to be used as the denominator of every rate;
* :func:`eligible_rows` — which usage records fall inside their service's eligibility, and the first criterion
  a record outside it breaks (a 30-year-old in an elderly centre: ``age``);
* :func:`eligible_cells` — which groups of a ratio table are inside the eligible population at all; the others
  carry the status ``not_eligible`` and are never flagged.

**Age bands and age ranges.** Population baselines count residents by age band (default 0–4, 5–14, 15–24, 25–44,
45–64, 65+), and an eligibility range rarely aligns with them: Yuvamız İstanbul serves children aged 3–6, which is
the upper two years of the 0–4 band and the lower two of the 5–14 band. A band partly inside the range contributes
**pro rata by single years**: the share of its years that lie inside the range, assuming residents are spread
evenly over the years of the band (2/5 of the 0–4 band, 2/10 of the 5–14 band for ages 3–6). Counting a band only
when it lies wholly inside the range would give the crèche no eligible children at all, and counting every band
that touches the range would put the whole 5–14 band (ten years, two of them eligible) in its denominator. The
uniform spread is an approximation — single-year counts (ADNKS publishes them) would remove it; the open top band
(65+) is taken to span :data:`OPEN_BAND_YEARS` years (65–89) when a range starts or ends inside it. Records carry
the exact age, so users are checked against the range itself, not against bands.

**Disability and migrant status.** The baseline gives disabled and non-citizen residents per cell but not their
joint count: a service for disabled residents has disabled residents as its population and no denominator for a
split by migrant status (and vice versa) — never an invented one. Migrant eligibility can name citizens or
non-citizens (``migrant``, ``refugee``, ``temporary_protection`` pooled, as the baseline counts them); a subset of
the non-citizen codes has no baseline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.equality.categories import value_codes
from gcdb.errors import UsageError

#: Years assumed in the open top band (65+ → 65–89) when an age range starts or ends inside it.
OPEN_BAND_YEARS: Final = 25
#: Non-citizen codes of usage records, pooled as the population baseline counts them.
NON_CITIZEN: Final = frozenset({C.MIGRANT, C.REFUGEE, C.TEMPORARY_PROTECTION})
#: Criteria in the order a record outside its eligibility is reported (the first one it breaks).
CRITERIA: Final = (C.AGE, C.SEX, C.DISABILITY, C.MIGRANT_STATUS, C.DISTRICT)

_BAND = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*$")
_OPEN = re.compile(r"^\s*(\d+)\s*\+\s*$")


@dataclass(frozen=True)
class Eligibility:
    """Who one service is for. ``None`` means no restriction on that criterion.

    ``age_min``/``age_max`` are whole years, inclusive. ``sexes``, ``disability``, ``migrant`` and ``districts``
    are sets of codes (:mod:`gcdb.columns`) or district names.
    """

    age_min: int | None = None
    age_max: int | None = None
    sexes: frozenset[str] | None = None
    disability: frozenset[str] | None = None
    migrant: frozenset[str] | None = None
    districts: frozenset[str] | None = None

    def __post_init__(self) -> None:
        for name in ("age_min", "age_max"):
            value = getattr(self, name)
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, int | np.integer)
                or not 0 <= value <= C.AGE_MAX
            ):
                raise UsageError(
                    f"eligibility {name} must be a whole number of years 0–{C.AGE_MAX}, got {value!r}"
                )
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise UsageError(f"eligibility age_min {self.age_min} is above age_max {self.age_max}")
        for name in ("sexes", "disability", "migrant", "districts"):
            value = getattr(self, name)
            if value is not None:
                if isinstance(value, str) or not isinstance(value, Iterable):
                    raise UsageError(f"eligibility {name} must be a set of codes, got {value!r}")
                value = frozenset(str(v) for v in value)
                if not value:
                    raise UsageError(f"eligibility {name} is empty: nobody would be eligible")
                object.__setattr__(self, name, value)

    @property
    def everyone(self) -> bool:
        """True when the service declares no restriction."""
        return all(
            getattr(self, f) is None
            for f in ("age_min", "age_max", "sexes", "disability", "migrant", "districts")
        )

    @property
    def has_age(self) -> bool:
        return self.age_min is not None or self.age_max is not None

    def describe(self) -> str:
        """A short machine-neutral description, e.g. ``age 3-6; sex female``."""
        parts = []
        if self.has_age:
            lo = "" if self.age_min is None else str(self.age_min)
            hi = "" if self.age_max is None else str(self.age_max)
            parts.append(f"age {lo}-{hi}" if hi else f"age {lo}+")
        for name, label in (
            ("sexes", C.SEX),
            ("disability", C.DISABILITY),
            ("migrant", C.MIGRANT_STATUS),
            ("districts", C.DISTRICT),
        ):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{label} {'|'.join(sorted(value))}")
        return "; ".join(parts) if parts else "all"


EVERYONE: Final = Eligibility()


# ---------------------------------------------------------------------------------------------------------------
# Age bands
# ---------------------------------------------------------------------------------------------------------------
def band_bounds(label: str) -> tuple[int, int, bool]:
    """``"5-14"`` → (5, 14, False); ``"65+"`` → (65, 65 + OPEN_BAND_YEARS − 1, True)."""
    text = str(label)
    match = _BAND.match(text)
    if match:
        lo, hi = int(match.group(1)), int(match.group(2))
        if hi < lo:
            raise UsageError(f"age band {text!r} ends before it starts")
        return lo, hi, False
    match = _OPEN.match(text)
    if match:
        lo = int(match.group(1))
        return lo, lo + OPEN_BAND_YEARS - 1, True
    raise UsageError(
        f"age band {text!r} is not of the form 'a-b' or 'a+': an age range cannot be applied to it"
    )


def band_fraction(label: str, age_min: int | None, age_max: int | None) -> float:
    """Share of the band's single years inside ``[age_min, age_max]`` (uniform spread within the band).

    An open top band counts as wholly inside when the range covers it from its first year on.
    """
    lo, hi, open_ = band_bounds(label)
    a = 0 if age_min is None else int(age_min)
    b = C.AGE_MAX if age_max is None else int(age_max)
    if open_ and a <= lo and age_max is None:
        return 1.0
    inside = min(hi, b) - max(lo, a) + 1
    if inside <= 0:
        return 0.0
    return inside / (hi - lo + 1)


def band_fractions(labels: Iterable[str], eligibility: Eligibility) -> np.ndarray:
    """:func:`band_fraction` of each label (1 for every band when the service has no age range)."""
    labels = [str(v) for v in labels]
    if not eligibility.has_age:
        return np.ones(len(labels))
    out = []
    for label in labels:
        if label == C.UNKNOWN or label == N.TOTAL:
            out.append(np.nan)
        else:
            out.append(band_fraction(label, eligibility.age_min, eligibility.age_max))
    return np.asarray(out, dtype=np.float64)


# ---------------------------------------------------------------------------------------------------------------
# Per-value masks (evaluated on distinct values, broadcast to rows)
# ---------------------------------------------------------------------------------------------------------------
def _allowed_migrant(migrant: frozenset[str]) -> frozenset[str]:
    """Usage codes a migrant eligibility admits (non-citizen codes pooled when it names ``migrant``)."""
    return migrant | NON_CITIZEN if C.MIGRANT in migrant else migrant


def _value_ok(eligibility: Eligibility, column: str, values: np.ndarray) -> np.ndarray:
    """Per distinct value of ``column``: inside the eligibility (True), outside (False); unknown → True."""
    values = np.asarray(values, dtype=object)
    text = np.asarray([str(v) for v in values], dtype=object)
    unknown = np.asarray([v is None or v is pd.NA or (isinstance(v, float) and v != v) for v in values]) | (
        text == C.UNKNOWN
    )
    total = text == N.TOTAL
    if column == C.AGE_BAND:
        if not eligibility.has_age:
            return np.ones(len(values), dtype=bool)
        fractions = band_fractions(np.where(unknown | total, C.UNKNOWN, text), eligibility)
        return unknown | total | (fractions > 0)
    allowed = {
        C.SEX: eligibility.sexes,
        C.DISABILITY: eligibility.disability,
        C.MIGRANT_STATUS: None if eligibility.migrant is None else _allowed_migrant(eligibility.migrant),
        C.DISTRICT: eligibility.districts,
    }.get(column)
    if allowed is None:
        return np.ones(len(values), dtype=bool)
    return unknown | total | np.isin(text, list(allowed))


#: The :class:`Eligibility` attribute each criterion reads.
_ATTRIBUTE = {C.AGE: "has_age", C.AGE_BAND: "has_age", C.SEX: "sexes", C.DISABILITY: "disability",
              C.MIGRANT_STATUS: "migrant", C.DISTRICT: "districts"}  # fmt: skip


def _restricts(eligibility: Mapping[str, Eligibility], column: str) -> bool:
    """Whether any service's eligibility restricts ``column`` (else nothing needs checking)."""
    attribute = _ATTRIBUTE.get(column)
    if attribute is None:
        return False
    return any(bool(getattr(rule, attribute)) if attribute == "has_age" else getattr(rule, attribute) is not None
               for rule in eligibility.values())  # fmt: skip


def _per_service(
    svc_codes: np.ndarray,
    services: np.ndarray,
    values: pd.Series,
    column: str,
    eligibility: Mapping[str, Eligibility],
) -> np.ndarray:
    """Row mask: the row's value of ``column`` is inside its service's eligibility.

    The values are coded once; the rule is evaluated on the (service × distinct value) table and read back
    through the integer codes."""
    val_codes, distinct = value_codes(values)
    uniques = np.asarray(distinct, dtype=object)
    table = np.ones((len(services), len(uniques) + 1), dtype=bool)  # last column: missing values (code -1)
    for i, code in enumerate(services):  # a dozen services
        rule = eligibility.get(str(code), EVERYONE)
        if not rule.everyone and len(uniques):
            table[i, :-1] = _value_ok(rule, column, uniques)
    return table[svc_codes, val_codes]


def _service_codes(frame: pd.DataFrame, service: str) -> tuple[np.ndarray, np.ndarray]:
    column = frame[service]
    if isinstance(column.dtype, pd.CategoricalDtype) and not column.isna().any():
        # a categorical's codes as they are (1 byte a row); unused categories only add rows to the tables
        return np.asarray(column.cat.codes), np.asarray([str(s) for s in column.cat.categories], dtype=object)
    codes, services = pd.factorize(column, use_na_sentinel=False)
    return np.asarray(codes), np.asarray([str(s) for s in services], dtype=object)


def eligible_rows(
    usage: pd.DataFrame, eligibility: Mapping[str, Eligibility], *, service: str = C.SERVICE_CODE
) -> tuple[np.ndarray, np.ndarray]:
    """Which records are inside their service's eligibility, and for the others the first criterion broken.

    Age is checked on ``age`` (whole years) when the records have it, else on ``age_band`` (a band that touches
    the range counts as inside). A missing or ``unknown`` value never puts a record outside. Returns a bool mask
    and an object array of criteria (``""`` inside; ``age``, ``sex``, ``disability``, ``migrant_status``,
    ``district`` outside).
    """
    inside, broken = eligible_criteria(usage, eligibility, service=service)
    return inside, criterion_names(broken)


def criterion_names(codes: np.ndarray) -> np.ndarray:
    """The criteria of :func:`eligible_criteria`'s codes as texts (object array, ``""`` inside)."""
    return np.asarray(["", *CRITERIA], dtype=object)[codes]


def eligible_criteria(
    usage: pd.DataFrame, eligibility: Mapping[str, Eligibility], *, service: str = C.SERVICE_CODE
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`eligible_rows` with the criterion broken as a code (int8: 0 inside, else 1 + its position in
    :data:`CRITERIA`) — a byte a record instead of an object pointer."""
    n = len(usage)
    inside = np.ones(n, dtype=bool)
    broken = np.zeros(n, dtype=np.int8)
    if not n or not any(not e.everyone for e in eligibility.values()):
        return inside, broken
    if service not in usage.columns:
        raise UsageError(f"usage records have no column {service!r} to apply eligibility by")
    svc_codes, services = _service_codes(usage, service)
    for position, criterion in enumerate(CRITERIA, start=1):
        if not _restricts(eligibility, criterion):
            continue
        if criterion == C.AGE:
            if C.AGE in usage.columns:
                ok = _age_rows(svc_codes, services, usage[C.AGE], eligibility)
            elif C.AGE_BAND in usage.columns:
                ok = _per_service(svc_codes, services, usage[C.AGE_BAND], C.AGE_BAND, eligibility)
            else:
                continue
        elif criterion in usage.columns:
            ok = _per_service(svc_codes, services, usage[criterion], criterion, eligibility)
        else:
            continue
        broken[inside & ~ok] = position
        inside &= ok
    return inside, broken


def _age_rows(svc_codes, services, ages: pd.Series, eligibility: Mapping[str, Eligibility]) -> np.ndarray:
    """Row mask: the age is inside the service's range (or unknown); decided per (service, distinct age)."""
    rules = [eligibility.get(s, EVERYONE) for s in services]
    low = np.asarray([-1.0 if r.age_min is None else r.age_min for r in rules], dtype=np.float64)
    high = np.asarray([np.inf if r.age_max is None else r.age_max for r in rules], dtype=np.float64)
    codes, uniques = pd.factorize(ages, use_na_sentinel=True)
    age = pd.to_numeric(pd.Series(uniques), errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    age = np.append(age, np.nan)  # code -1: a missing age
    known = np.isfinite(age)[None, :]
    table = ~known | ((age[None, :] >= low[:, None]) & (age[None, :] <= high[:, None]))
    return table[svc_codes, codes]


def eligible_cells(
    table: pd.DataFrame,
    eligibility: Mapping[str, Eligibility],
    *,
    service: str = C.SERVICE_CODE,
    dimensions: Iterable[str] = N.DIMENSIONS,
) -> np.ndarray:
    """Per row of a ratio table: the group lies (at least partly) inside its service's eligible population.

    A dimension column holding :data:`~gcdb.equality.names.TOTAL` or ``unknown`` does not restrict the row.
    """
    ok = np.ones(len(table), dtype=bool)
    if service not in table.columns:
        return ok
    svc_codes, services = _service_codes(table, service)
    for column in dimensions:
        if column in table.columns and column != C.NEIGHBOURHOOD and _restricts(eligibility, column):
            ok &= _per_service(svc_codes, services, table[column], column, eligibility)
    return ok


# ---------------------------------------------------------------------------------------------------------------
# The eligible population
# ---------------------------------------------------------------------------------------------------------------
def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def _restricted(population: pd.DataFrame, rule: Eligibility) -> dict[str, np.ndarray]:
    """Population columns of the eligible residents of one service (before the age, sex, district factors)."""
    total = _numbers(population, C.POPULATION)
    disabled = _numbers(population, C.DISABLED_POPULATION)
    migrant = _numbers(population, C.MIGRANT_POPULATION)
    nan = np.full(len(population), np.nan)
    if rule.disability is not None and rule.migrant is not None:
        return {C.POPULATION: nan, C.DISABLED_POPULATION: nan, C.MIGRANT_POPULATION: nan}
    if rule.disability is not None:
        if rule.disability == frozenset({C.YES}):
            return {C.POPULATION: disabled, C.DISABLED_POPULATION: disabled, C.MIGRANT_POPULATION: nan}
        if rule.disability == frozenset({C.NO}):
            return {
                C.POPULATION: total - disabled,
                C.DISABLED_POPULATION: 0 * total,
                C.MIGRANT_POPULATION: nan,
            }
        return {C.POPULATION: total, C.DISABLED_POPULATION: disabled, C.MIGRANT_POPULATION: migrant}
    if rule.migrant is not None:
        pooled = _allowed_migrant(rule.migrant)
        citizen = C.CITIZEN in rule.migrant
        non_citizen = NON_CITIZEN <= pooled
        if citizen and non_citizen:
            return {C.POPULATION: total, C.DISABLED_POPULATION: disabled, C.MIGRANT_POPULATION: migrant}
        if citizen and not (pooled & NON_CITIZEN):
            return {
                C.POPULATION: total - migrant,
                C.DISABLED_POPULATION: nan,
                C.MIGRANT_POPULATION: 0 * total,
            }
        if non_citizen and not citizen:
            return {C.POPULATION: migrant, C.DISABLED_POPULATION: nan, C.MIGRANT_POPULATION: migrant}
        return {C.POPULATION: nan, C.DISABLED_POPULATION: nan, C.MIGRANT_POPULATION: nan}
    return {C.POPULATION: total, C.DISABLED_POPULATION: disabled, C.MIGRANT_POPULATION: migrant}


def population_factor(population: pd.DataFrame, rule: Eligibility) -> np.ndarray:
    """Per baseline row, the share of its residents inside the age range, sex and districts of ``rule``."""
    factor = np.ones(len(population))
    if rule.has_age:
        if C.AGE_BAND not in population.columns:
            raise UsageError("an age range needs the population baseline's age_band column")
        codes, bands = pd.factorize(population[C.AGE_BAND].astype("str"))
        fractions = band_fractions(bands, rule)
        factor *= np.nan_to_num(fractions, nan=0.0)[codes]
    for column, allowed in ((C.SEX, rule.sexes), (C.DISTRICT, rule.districts)):
        if allowed is not None and column in population.columns:
            factor *= population[column].astype("str").isin(list(allowed)).to_numpy(dtype=np.float64)
    return factor


def eligible_population(
    population: pd.DataFrame,
    eligibility: Mapping[str, Eligibility],
    services: Iterable[str],
    *,
    service: str = C.SERVICE_CODE,
) -> pd.DataFrame:
    """One copy of the baseline per service, its counts restricted to the service's eligible residents.

    ``population``, ``disabled_population`` and ``migrant_population`` are multiplied by the age share
    (:func:`band_fraction`) and zeroed outside the eligible sexes and districts; a disability or migrant
    restriction replaces ``population`` by the matching count (see the module docstring). Rows outside the
    eligibility stay, with 0: their groups exist and are *not eligible*, not missing. Counts are float
    (a pro-rata band gives fractions of residents).
    """
    parts = []
    for code in services:
        rule = eligibility.get(str(code), EVERYONE)
        columns = _restricted(population, rule)
        factor = population_factor(population, rule)
        part = population.copy()
        for column, values in columns.items():
            if column in part.columns or column == C.POPULATION:
                part[column] = values * factor
        part[service] = str(code)
        parts.append(part)
    if not parts:
        return population.assign(**{service: pd.Series(dtype="str")}).iloc[:0]
    out = pd.concat(parts, ignore_index=True)
    out[service] = out[service].astype("str")
    return out


def eligibility_frame(eligibility: Mapping[str, Eligibility]) -> pd.DataFrame:
    """The eligibility of every service as a text table (``service_code``, ``eligibility``) for reports."""
    codes = sorted(eligibility)
    return pd.DataFrame(
        {
            C.SERVICE_CODE: pd.array(codes, dtype="str"),
            "eligibility": pd.array([eligibility[c].describe() for c in codes], dtype="str"),
        }
    )
