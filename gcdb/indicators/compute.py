"""Compute plan indicators from service-usage records: the vectorised evaluator of the definition format.

:func:`compute_indicators` returns one table with the fixed columns :data:`INDICATOR_COLUMNS`:

========================= ==========================================================================================
column                    meaning
========================= ==========================================================================================
``indicator_id``          the definition's ``id``
``catalogue_indicator``   the plan catalogue's indicator id it is linked to (``A14-G9``)
``title``                 the definition's title (``title_tr``, or ``title_en`` with ``lang="en"``)
``fiscal_year``           the year (int64)
``breakdown``             ``""`` on the overall row, else the ``"|"``-joined dimensions of the row's breakdown
                          (``"sex"``, ``"district|neighbourhood"``)
``sex`` … ``neighbourhood`` the group's value for each dimension of its breakdown; ``<NA>`` where the row does not
                          split by it (every dimension on the overall row). A group of records whose value is
                          missing keeps ``<NA>`` too: ``breakdown`` tells it from the overall row.
``measure``               ``users`` (distinct ``person_id``), ``uses`` (records) or ``quantity`` (summed)
``numerator``             the count (kind ``count``: the indicator's count; kind ``ratio``: the numerator). Never
                          suppressed here: the report layer applies the small-count threshold *k* to it (and hides
                          ``value`` and the change columns with it) — see ``gcdb.equality`` for the method
``denominator``           usage count or residents (kind ``ratio``); ``<NA>`` for kind ``count``, and where the
                          population baseline has no cell for the group (reason ``no_baseline``)
``value``                 kind ``count``: the numerator; ``percent``: 100 × numerator ÷ denominator; ``per_1000``:
                          1000 × numerator ÷ denominator
``unit``                  ``count``, ``percent`` or ``per_1000``
``previous_value``        ``value`` of the same group in the previous fiscal year
``change``                ``value − previous_value`` (absolute; percentage points for ``percent``)
``change_pct``            ``100 × change ÷ previous_value`` (relative change, in %)
``direction``             ``higher_is_better``, ``lower_is_better`` or ``neutral``
``improved``              ``change > 0`` (higher is better) or ``change < 0`` (lower is better); ``False`` for no
                          change; ``<NA>`` for ``neutral`` or when ``change`` is undefined
``reason``                ``";"``-joined codes (:class:`Reason`) explaining every ``<NA>`` in ``value``,
                          ``previous_value``, ``change`` and ``change_pct``; ``""`` when all four are defined
``proxy``                 True when the definition measures a stand-in for the plan's indicator (``proxy: true``)
``proxy_reason``          why (``"Türkçe / English"``), ``""`` for a direct measure
========================= ==========================================================================================

Counting rules. A *user* is a distinct ``person_id`` within a fiscal year and group: a person counts once in the
overall row and once in each group they appear in (a person who moved district counts in both districts, so
group counts may add up to more than the overall count). Records without a ``person_id`` count as uses and
quantity but not as users; missing quantities add nothing. Groups are the union of the groups seen in any
computed year (and, for a ratio to population, the baseline's groups matching ``population.filter``), so a group
absent in one year gets a zero count there, and districts without any user still get a row.

Years. ``years=None`` reports every fiscal year of the usage records; the previous year of year *y* is *y − 1*,
computed from the records when they cover it (any record of that year), else ``previous_value`` is ``<NA>`` with
reason ``no_previous_year``. The fiscal year comes from ``fiscal_year``, or from ``date`` when the column is
absent; records without a year are not counted.

Vectorised: every column is factorised once; conditions are evaluated on the distinct values and broadcast through
the codes; each (definition, breakdown) is one grouped count over integer keys — no per-row Python.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality.breakdown import USES_WEIGHT
from gcdb.errors import DataValidationError, IssueCode, UsageError, issues_frame
from gcdb.i18n import Message, t
from gcdb.indicators import model as M
from gcdb.indicators.conditions import ColumnCodes, columns_of, evaluate, factorise_text, small_type
from gcdb.persons import person_codes
from gcdb.scale import executors
from gcdb.text import fold

INDICATOR_ID: Final = "indicator_id"
CATALOGUE_INDICATOR: Final = "catalogue_indicator"
TITLE: Final = "title"
BREAKDOWN: Final = "breakdown"
MEASURE: Final = "measure"
NUMERATOR: Final = "numerator"
DENOMINATOR: Final = "denominator"
VALUE: Final = "value"
UNIT: Final = "unit"
PREVIOUS_VALUE: Final = "previous_value"
CHANGE: Final = "change"
CHANGE_PCT: Final = "change_pct"
DIRECTION: Final = "direction"
IMPROVED: Final = "improved"
REASON: Final = "reason"
PROXY: Final = "proxy"
PROXY_REASON: Final = "proxy_reason"

#: Columns of :func:`compute_indicators`, in order.
INDICATOR_COLUMNS: Final = (
    INDICATOR_ID,
    CATALOGUE_INDICATOR,
    TITLE,
    C.FISCAL_YEAR,
    BREAKDOWN,
    *M.DIMENSIONS,
    MEASURE,
    NUMERATOR,
    DENOMINATOR,
    VALUE,
    UNIT,
    PREVIOUS_VALUE,
    CHANGE,
    CHANGE_PCT,
    DIRECTION,
    IMPROVED,
    REASON,
    PROXY,
    PROXY_REASON,
)
#: Cells of a count (years × groups of its breakdown) up to which records are counted into a dense table of every
#: cell (one ``bincount``); above it, the cells that occur are numbered by hashing first.
_DENSE_CELLS: Final = 1 << 22
#: Records up to which a condition's records are picked by position (:func:`_picked`), by a mask above.
_POSITIONS_ROWS: Final = 12_000_000
_FLOAT_COLUMNS = (NUMERATOR, DENOMINATOR, VALUE, PREVIOUS_VALUE, CHANGE, CHANGE_PCT)
_TEXT_COLUMNS = (
    INDICATOR_ID,
    CATALOGUE_INDICATOR,
    TITLE,
    BREAKDOWN,
    *M.DIMENSIONS,
    MEASURE,
    UNIT,
    DIRECTION,
    REASON,
    PROXY_REASON,
)


class Reason(StrEnum):
    """Why a value is ``<NA>``. Codes are stable."""

    ZERO_DENOMINATOR = "zero_denominator"  # the ratio's denominator is 0 (no records, or no residents)
    NO_BASELINE = "no_baseline"  # the population baseline has no cell for the group or the year
    NO_PREVIOUS_YEAR = "no_previous_year"  # the usage records do not cover the previous fiscal year
    NO_PREVIOUS_VALUE = "no_previous_value"  # the previous year's value is itself undefined
    ZERO_PREVIOUS_VALUE = "zero_previous_value"  # previous value 0: the relative change is undefined


#: Bit of each reason in the internal bit mask, in the order the reason column lists them.
_REASON_BITS: Final = tuple(Reason)


# ---------------------------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------------------------
def compute_indicators(
    usage: pd.DataFrame,
    definitions: Any,
    *,
    population: pd.DataFrame | None = None,
    years: Iterable[int] | None = None,
    lang: str = "tr",
    age_bands: C.AgeBands = C.DEFAULT_AGE_BANDS,
) -> pd.DataFrame:
    """Compute plan indicators per fiscal year, overall and per breakdown group, with the change over the
    previous year. Returns a DataFrame with the columns :data:`INDICATOR_COLUMNS` (see the module docstring).

    ``usage``: service-usage records with canonical columns (``gcdb.columns``); needs ``person_id`` for ``users``,
    ``quantity`` for ``quantity``, ``fiscal_year`` (or ``date``), and every column the definitions filter or break
    down by. ``definitions``: an :class:`~gcdb.indicators.model.IndicatorSet`, a sequence of definitions, or the
    path of a definition file (loaded with :func:`gcdb.indicators.load_indicators`). ``population``: the
    population baseline (``district, sex, age_band, population`` …, optionally ``fiscal_year``), needed by ratios
    to population. ``years``: the fiscal years to report (default: all years of ``usage``). ``lang``: language of
    ``title``. ``age_bands``: the order of ``age_band`` groups.

    Raises :class:`gcdb.errors.DataValidationError` when a needed column is missing and
    :class:`gcdb.errors.UsageError` for a year the records do not cover or a ratio to population without
    ``population``.
    """
    if lang not in ("tr", "en"):
        raise UsageError(f"lang must be 'tr' or 'en', got {lang!r}")
    defs = _definitions(definitions)
    if not isinstance(usage, pd.DataFrame):
        raise UsageError(f"usage must be a pandas DataFrame, got {type(usage).__name__}")
    needs_population = [d.id for d in defs if d.population is not None]
    if needs_population and population is None:
        raise UsageError(
            f"{len(needs_population)} definition(s) divide by the population baseline "
            f"({', '.join(needs_population[:5])}{' …' if len(needs_population) > 5 else ''}); pass population="
        )
    _require_columns(usage, _usage_columns(defs), "usage")
    if needs_population and population is not None:  # (None with needs_population raised above)
        _require_columns(population, _population_columns(defs), "population")

    year_all = _fiscal_years(usage)
    found = pd.unique(year_all)  # a few distinct years: no sorted copy of millions of rows
    covered = _distinct(found[found >= 0])
    report_years = _report_years(years, covered)
    wanted = set(report_years.tolist()) | {
        y - 1 for y in report_years.tolist() if y - 1 in set(covered.tolist())
    }
    compute_years = np.array(sorted(wanted), dtype=np.int64)
    keep = _among(year_all, compute_years)
    every = bool(keep.all())
    frame = usage if every else usage.loc[keep]  # no copy of millions of rows when every year counts
    year_code = np.searchsorted(compute_years, year_all if every else year_all[keep]).astype(np.int32)
    del year_all, keep

    used_dims = sorted({dim for d in defs for b in d.breakdowns for dim in b}, key=M.DIMENSIONS.index)
    pop_frame = population if needs_population else None
    # the person codes in a thread of their own while the columns are factorised (else the first definition
    # counting users codes them while the others wait) — one step at a time above _POSITIONS_ROWS records, where
    # memory comes first (the transient codes of 50 M records' columns)
    at_once = executors.threaded(len(frame)) and len(frame) <= _POSITIONS_ROWS
    persons = None
    if at_once and any(d.measure == M.USERS for d in defs):
        persons = executors.Background(_persons, frame)
    usage_cols = ColumnCodes(frame)
    # every text column the definitions read or break down by, factorised once
    usage_cols.prepare(
        [*used_dims, *(c for d in defs for _, condition in d.conditions() for c in columns_of(condition))],
        threads=None if at_once else 1,
    )
    dims = _DimensionCodes(usage_cols, pop_frame, used_dims, age_bands)
    # the combinations of the text columns the conditions read most: one code a row
    usage_cols.join(
        [p.column for d in defs for _, condition in d.conditions() for p in M.iter_predicates(condition)]
    )
    usage_ctx = _UsageContext(frame, usage_cols, year_code, len(compute_years), dims)
    if persons is not None:
        usage_ctx.given_persons(persons.result())
    pop_ctx = _PopulationContext(pop_frame, compute_years, dims) if pop_frame is not None else None

    def one(d: M.IndicatorDefinition) -> list[dict[str, Any]]:
        return _compute_definition(d, usage_ctx, pop_ctx, compute_years, report_years, dims, lang)

    if executors.threaded(len(frame)):  # definitions are independent passes of numpy kernels: one per core
        per_definition = executors.thread_map(one, defs)
    else:
        per_definition = [one(d) for d in defs]
    return _assemble([part for parts in per_definition for part in parts])


def _picked(mask: np.ndarray) -> np.ndarray:
    """How :meth:`_UsageContext.count` picks the records where ``mask`` holds: their positions (int32 while they
    fit) up to :data:`_POSITIONS_ROWS` records — picking by a boolean mask costs a branch per row on every array
    picked from (34 ms against 11 ms on 10 M records) — and the mask itself above (a byte a record, not four: the
    indicators of 50 M records run within 4 GB)."""
    if len(mask) > _POSITIONS_ROWS:
        return mask
    return np.flatnonzero(mask).astype(np.int32 if len(mask) < 2**31 else np.int64)


def _persons(frame: pd.DataFrame) -> tuple[np.ndarray, int]:
    """Person codes of the records (int32, 4 bytes a record, while they fit) and their number."""
    codes, n = person_codes(frame[C.PERSON_ID])
    return (codes.astype(np.int32) if n < 2**31 else codes), n


def _among(values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """``np.isin(values, wanted)``; for a few wanted values (years), one comparison a value — ``np.isin`` sorts
    (0.2 s on 10M records for two years)."""
    if len(wanted) > 8:
        return np.isin(values, wanted)
    keep = np.zeros(len(values), dtype=bool)
    for value in wanted.tolist():
        keep |= values == value
    return keep


def empty_indicator_table() -> pd.DataFrame:
    """An empty table with the columns and dtypes of :func:`compute_indicators`."""
    return _assemble([])


# ---------------------------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------------------------
def _definitions(definitions: Any) -> list[M.IndicatorDefinition]:
    if isinstance(definitions, str | Path):
        from gcdb.indicators.load import load_indicators

        definitions = load_indicators(definitions)
    if isinstance(definitions, M.IndicatorDefinition):
        return [definitions]
    if isinstance(definitions, M.IndicatorSet):
        return list(definitions.indicators)
    if isinstance(definitions, Sequence) and all(isinstance(d, M.IndicatorDefinition) for d in definitions):
        ids = [d.id for d in definitions]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise UsageError(f"definition ids repeat: {', '.join(dup)}")
        return list(definitions)
    raise UsageError("definitions must be an IndicatorSet, a sequence of IndicatorDefinition or a file path")


def _usage_columns(defs: list[M.IndicatorDefinition]) -> list[str]:
    needed: list[str] = []
    for d in defs:
        for _, condition in d.conditions():
            needed.extend(p.column for p in M.iter_predicates(condition))
        needed.extend(dim for b in d.breakdowns for dim in b)
        if d.measure == M.USERS:
            needed.append(C.PERSON_ID)
        if d.measure == M.QUANTITY:
            needed.append(C.QUANTITY)
    return list(dict.fromkeys(needed))


def _population_columns(defs: list[M.IndicatorDefinition]) -> list[str]:
    needed: list[str] = []
    for d in defs:
        if d.population is None:
            continue
        needed.append(d.population.column)
        if d.population.filter is not None:
            needed.extend(p.column for p in M.iter_predicates(d.population.filter))
        needed.extend(dim for b in d.breakdowns for dim in b)
    return list(dict.fromkeys(needed))


def _require_columns(frame: pd.DataFrame, needed: list[str], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise UsageError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    if name == "usage" and C.FISCAL_YEAR not in frame.columns and C.DATE not in frame.columns:
        needed = [*needed, C.FISCAL_YEAR]
    missing = [c for c in needed if c not in frame.columns]
    if not missing:
        return
    rows = [
        {
            C.ISSUE_FILE: name,
            C.ISSUE_ROW: None,
            C.ISSUE_COLUMN: col,
            C.ISSUE_CODE: IssueCode.MISSING_COLUMN,
            C.ISSUE_SEVERITY: C.ERROR,
            C.ISSUE_MESSAGE: t("indicators.compute.needs_column", column=repr(col)),
            C.ISSUE_VALUE: "",
        }
        for col in missing
    ]
    raise DataValidationError(
        Message(
            "indicators.compute.lacks",
            what=Message(f"services.analysis.what.{name}"),
            missing=", ".join(missing),
            present=", ".join(map(str, frame.columns)),
        ),
        issues_frame(rows),
    )


def _fiscal_years(usage: pd.DataFrame) -> np.ndarray:
    """Fiscal year of every record as int64, −1 where unknown."""
    if C.FISCAL_YEAR in usage.columns:
        years = pd.to_numeric(usage[C.FISCAL_YEAR], errors="coerce")
    else:
        years = pd.to_datetime(usage[C.DATE], errors="coerce").dt.year
    if pd.api.types.is_integer_dtype(years.dtype) and not pd.api.types.is_bool_dtype(years.dtype):
        return years.to_numpy(dtype=np.int64, na_value=-1)  # whole years already: no float copy
    values = years.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.where(np.isfinite(values), values, -1).astype(np.int64)


def _report_years(years: Iterable[int] | None, covered: np.ndarray) -> np.ndarray:
    if years is None:
        if not len(covered):
            raise UsageError(Message("indicators.compute.no_year"))
        return covered
    if isinstance(years, int | np.integer):
        years = [int(years)]
    asked = sorted({int(y) for y in years})
    missing = [y for y in asked if y not in set(covered.tolist())]
    if missing:
        have = ", ".join(map(str, covered.tolist())) or t("services.analysis.no_years")
        raise UsageError(
            Message("indicators.compute.years_absent", absent=", ".join(map(str, missing)), present=have)
        )
    if not asked:
        raise UsageError("years is empty")
    return np.array(asked, dtype=np.int64)


# ---------------------------------------------------------------------------------------------------------------
# Breakdown groups as integer codes shared by usage and population
# ---------------------------------------------------------------------------------------------------------------
class _DimensionCodes:
    """For every breakdown dimension: the ordered categories (usage ∪ population) and the codes of each frame.
    Code ``len(categories)`` stands for a missing value."""

    def __init__(
        self, usage: ColumnCodes, population: pd.DataFrame | None, dims: list[str], age_bands: C.AgeBands
    ):
        self.categories: dict[str, np.ndarray] = {}
        self.usage_codes: dict[str, np.ndarray] = {}
        self.population_codes: dict[str, np.ndarray] = {}
        for dim in dims:
            factorised = {"usage": usage.raw(dim)}  # the codes the conditions read too: factorised once
            if population is not None and dim in population.columns:
                factorised["population"] = factorise_text(population[dim])
            distinct = set().union(*(set(_present(codes, values)) for codes, values in factorised.values()))
            ordered = _order(dim, sorted(distinct), age_bands)
            self.categories[dim] = np.array(ordered, dtype=object)
            lookup = pd.Index(ordered)
            dtype = small_type(len(ordered) + 1)  # a byte a row for most dimensions
            for name, (codes, values) in factorised.items():
                # position of each coded value among the categories; the trailing entry maps missing values
                at = lookup.get_indexer(pd.Index(values)) if len(values) else np.zeros(0, np.int64)
                to_category = np.append(at, len(ordered)).astype(dtype)
                target = self.usage_codes if name == "usage" else self.population_codes
                target[dim] = to_category[codes]  # code -1 (missing) reads the trailing entry

    def size(self, dim: str) -> int:
        return len(self.categories[dim]) + 1

    def decode(self, dim: str, codes: np.ndarray) -> np.ndarray:
        """Category values of ``codes`` (object array, ``None`` for missing)."""
        return np.append(self.categories[dim], [None])[codes]


def _present(codes: np.ndarray, values: list[str]) -> list[str]:
    """The values some code points at."""
    seen = np.zeros(len(values) + 1, dtype=bool)
    seen[codes] = True  # code -1 marks the trailing entry
    return [v for v, hit in zip(values, seen[:-1], strict=True) if hit]


def _order(dim: str, values: list[str], age_bands: C.AgeBands) -> list[str]:
    canonical = {
        C.SEX: C.SEX_CODES,
        C.DISABILITY: C.DISABILITY_CODES,
        C.MIGRANT_STATUS: C.MIGRANT_CODES,
        C.AGE_BAND: age_bands.labels,
    }.get(dim, ())
    rank = {v: i for i, v in enumerate(canonical)}
    return sorted(values, key=lambda v: (rank.get(v, len(rank)), fold(v), v))


def _flat(codes: list[np.ndarray], sizes: list[int], n: int) -> np.ndarray:
    """Mixed-radix group key of each row (0 for the overall breakdown)."""
    if not codes:
        return np.zeros(n, dtype=np.int64)
    if float(np.prod(np.array(sizes, dtype=np.float64))) > 2.0**52:
        raise UsageError("too many breakdown groups: cross fewer dimensions")
    key = codes[0].astype(np.int64)  # Horner's rule in place: the first dimension most significant
    for code, size in zip(codes[1:], sizes[1:], strict=True):
        key *= size
        key += code
    return key


def _dense(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(sorted distinct values, position of each value among them)`` (hash factorisation, sorted)."""
    inverse, distinct = pd.factorize(values, sort=True)
    return np.asarray(distinct, dtype=np.int64), inverse.astype(np.int64, copy=False)


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an int64 array."""
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered.astype(np.int64)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]].astype(np.int64)


class _UsageContext:
    def __init__(self, frame, cols: ColumnCodes, year_code: np.ndarray, n_years: int, dims: _DimensionCodes):
        self.frame, self.cols, self.year_code, self.n_years, self.dims = frame, cols, year_code, n_years, dims
        self._person: tuple[np.ndarray, int] | None = None
        self._quantity: np.ndarray | None = None
        self._lock = threading.Lock()  # definitions computed in threads: each array made once

    def person(self) -> tuple[np.ndarray, int]:
        with self._lock:
            if self._person is None:
                self._person = _persons(self.frame)
            return self._person

    def given_persons(self, persons: tuple[np.ndarray, int]) -> None:
        """The person codes, computed beforehand (:func:`_persons`)."""
        self._person = persons

    def weight(self) -> np.ndarray | None:
        """Records each row stands for (weighted distinct records, :mod:`gcdb.scale.services`); None: one each."""
        if USES_WEIGHT not in self.frame.columns:
            return None
        return self.frame[USES_WEIGHT].to_numpy(dtype=np.float64)

    def quantity(self) -> np.ndarray:
        with self._lock:
            if self._quantity is None:
                q = pd.to_numeric(self.frame[C.QUANTITY], errors="coerce").to_numpy(
                    dtype=np.float64, na_value=np.nan
                )
                self._quantity = np.where(np.isfinite(q), q, 0.0)
            return self._quantity

    def _year_part(self, rows: np.ndarray, span: int) -> np.ndarray:
        """Year code × ``span`` of the records at ``rows``, int32 (4 bytes a record) when every value fits."""
        part = self.year_code[rows].astype(np.int32 if self.n_years * span < 2**31 else np.int64)
        part *= span
        return part

    def count(
        self, rows: np.ndarray, breakdown: tuple[str, ...], measure: str
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(cells, counts)`` of the records ``rows`` picks (their positions, or a boolean mask: :func:`_picked`);
        cell = year code × S + group key (S = groups of the breakdown)."""
        # (intermediates are dropped as soon as they are used: on millions of records each is tens of MB)
        sizes = [self.dims.size(d) for d in breakdown]
        span = int(np.prod(sizes)) if sizes else 1
        picked = int(np.count_nonzero(rows)) if rows.dtype == bool else len(rows)
        cell = _flat([self.dims.usage_codes[d][rows] for d in breakdown], sizes, picked)
        if self.n_years > 1:  # one year: every year code is 0
            cell += self._year_part(rows, span)
        n_cells = self.n_years * span
        if measure != M.USERS:
            slots, size, seen = _slots(cell, n_cells, n_cells <= _DENSE_CELLS)
            records = np.bincount(slots, minlength=size)
            weight = self.quantity() if measure == M.QUANTITY else self.weight()
            values = records if weight is None else np.bincount(slots, weights=weight[rows], minlength=size)
        else:
            person, n_persons = self.person()
            person = person[rows]
            known = person >= 0
            if not known.all():
                cell, person = cell[known], person[known]
            per = max(n_persons, 1)
            slots, size, seen = _slots(cell, n_cells, n_cells <= _DENSE_CELLS and n_cells * per < 2**62)
            del cell
            key = slots  # (a new array of this call's: made the keys and sorted in place)
            key *= per
            key += person
            del person
            values = records = np.bincount(_distinct_sorted(key) // per, minlength=size)
        present = np.flatnonzero(records)  # the cells with records (every slot of numbered cells has some)
        return (present if seen is None else seen[present]), values[present].astype(np.float64)


def _slots(cell: np.ndarray, n_cells: int, dense: bool) -> tuple[np.ndarray, int, np.ndarray | None]:
    """``(slot of each record, number of slots, cell of each slot)``: the cells themselves in a dense table of all
    ``n_cells`` (cell of each slot ``None``: the slot is the cell), else the cells that occur, numbered by
    hashing (sorted)."""
    if dense:
        return cell, n_cells, None
    seen, slots = _dense(cell)
    return slots, len(seen), seen


def _distinct_sorted(key: np.ndarray) -> np.ndarray:
    """The distinct values of ``key`` (an int64 array of the caller's, sorted in place: numpy's SIMD sort of 8 M
    keys takes 0.08 s, hashing them 1.3 s)."""
    key.sort()
    first = np.ones(len(key), dtype=bool)
    np.not_equal(key[1:], key[:-1], out=first[1:])
    return key[first]


class _PopulationContext:
    def __init__(self, frame: pd.DataFrame, compute_years: np.ndarray, dims: _DimensionCodes):
        self.frame, self.dims = frame, dims
        self.cols = ColumnCodes(frame)
        self.per_year = C.FISCAL_YEAR in frame.columns
        if self.per_year:
            years = pd.to_numeric(frame[C.FISCAL_YEAR], errors="coerce").to_numpy(
                dtype=np.float64, na_value=np.nan
            )
            years = np.where(np.isfinite(years), years, -1).astype(np.int64)
            self.in_years = np.isin(years, compute_years)
            self.year_code = np.searchsorted(compute_years, years)
            self.years_covered = np.isin(compute_years, years)
        else:
            self.in_years = np.ones(len(frame), dtype=bool)
            self.year_code = np.zeros(len(frame), dtype=np.int64)
            self.years_covered = np.ones(len(compute_years), dtype=bool)
        self.n_years = len(compute_years)

    def _age_share(self, ages: M.Between) -> np.ndarray:
        """Per baseline row, the share of its age band inside ``ages`` (computed on the distinct bands)."""
        from gcdb.equality.eligibility import band_fraction

        if C.AGE_BAND not in self.frame.columns:
            raise UsageError("population 'ages' needs the baseline's age_band column")
        codes, bands = pd.factorize(self.frame[C.AGE_BAND].astype("str"))
        low = None if ages.min is None else int(ages.min)
        high = None if ages.max is None else int(ages.max)
        shares = np.asarray([band_fraction(b, low, high) for b in bands] + [0.0], dtype=np.float64)
        return shares[codes]

    def total(self, base: M.PopulationBase, breakdown: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        """``(cells, residents)`` like :meth:`_UsageContext.count`; a baseline without ``fiscal_year`` is
        repeated for every year."""
        mask = self.in_years.copy()
        if base.filter is not None:
            mask &= evaluate(base.filter, self.cols)
        idx = np.flatnonzero(mask)
        sizes = [self.dims.size(d) for d in breakdown]
        span = int(np.prod(sizes)) if sizes else 1
        flat = _flat([self.dims.population_codes[d][idx] for d in breakdown], sizes, len(idx))
        counts = pd.to_numeric(self.frame[base.column], errors="coerce").to_numpy(
            dtype=np.float64, na_value=0.0
        )
        counts = np.where(np.isfinite(counts), counts, 0.0)
        if base.ages is not None:  # an age range: bands partly inside it pro rata by single years
            counts = counts * self._age_share(base.ages)
        counts = counts[idx]
        if self.per_year:
            cell = self.year_code[idx].astype(np.int64) * span + flat
            cells, inverse = _dense(cell)
            return cells, np.bincount(inverse, weights=counts, minlength=len(cells))
        groups, inverse = _dense(flat)
        sums = np.bincount(inverse, weights=counts, minlength=len(groups))
        years = np.arange(self.n_years, dtype=np.int64)
        cells = (years[:, None] * span + groups[None, :]).ravel()
        return cells, np.tile(sums, self.n_years)


# ---------------------------------------------------------------------------------------------------------------
# One definition
# ---------------------------------------------------------------------------------------------------------------
def _compute_definition(
    d: M.IndicatorDefinition,
    usage: _UsageContext,
    population: _PopulationContext | None,
    compute_years: np.ndarray,
    report_years: np.ndarray,
    dims: _DimensionCodes,
    lang: str,
) -> list[dict[str, Any]]:
    numerator_rows = _picked(evaluate(d.filter if d.kind == M.COUNT else d.numerator, usage.cols))
    denominator_rows = _picked(evaluate(d.denominator, usage.cols)) if d.denominator is not None else None
    n_years = len(compute_years)
    consecutive = np.zeros(n_years, dtype=bool)
    consecutive[1:] = compute_years[:-1] == compute_years[1:] - 1
    report = np.isin(compute_years, report_years)
    parts = []
    for breakdown in d.breakdowns:
        sizes = [dims.size(x) for x in breakdown]
        span = int(np.prod(sizes)) if sizes else 1
        num_cells, num_vals = usage.count(numerator_rows, breakdown, d.measure)
        sides = [num_cells]
        if denominator_rows is not None:
            den_cells, den_vals = usage.count(denominator_rows, breakdown, d.measure)
            sides.append(den_cells)
        elif d.population is not None:
            assert population is not None  # given whenever a definition divides by the population
            den_cells, den_vals = population.total(d.population, breakdown)
            sides.append(den_cells)
        # the overall row exists even when nothing matches
        groups = _distinct(np.concatenate([s % span for s in sides])) if breakdown else np.zeros(1, np.int64)
        n_groups = len(groups)

        def grid(cells: np.ndarray, vals: np.ndarray, fill: float, span=span, groups=groups) -> np.ndarray:
            return _grid(cells, vals, fill, span=span, groups=groups, n_years=n_years)

        numerator = grid(num_cells, num_vals, 0.0)
        bits = np.zeros(n_years * n_groups, dtype=np.int64)
        if d.kind == M.COUNT:
            denominator = np.full_like(numerator, np.nan)
            value = numerator.copy()
        else:
            if d.population is not None:
                assert population is not None
                denominator = grid(den_cells, den_vals, np.nan)
                year_of_row = np.repeat(np.arange(n_years), n_groups)
                denominator[~population.years_covered[year_of_row]] = np.nan
            else:
                denominator = grid(den_cells, den_vals, 0.0)
            zero = denominator == 0
            no_base = np.isnan(denominator)
            with np.errstate(divide="ignore", invalid="ignore"):
                value = M.UNIT_SCALE[d.unit] * numerator / denominator
            value[zero | no_base] = np.nan
            bits |= _bit(Reason.ZERO_DENOMINATOR) * zero
            bits |= _bit(Reason.NO_BASELINE) * no_base

        year_index = np.repeat(np.arange(n_years), n_groups)
        has_previous_year = consecutive[year_index]
        previous = np.full_like(value, np.nan)
        rows = np.flatnonzero(has_previous_year)
        previous[rows] = value[rows - n_groups]
        bits |= _bit(Reason.NO_PREVIOUS_YEAR) * ~has_previous_year
        bits |= _bit(Reason.NO_PREVIOUS_VALUE) * (has_previous_year & np.isnan(previous))
        change = value - previous
        zero_previous = previous == 0
        with np.errstate(divide="ignore", invalid="ignore"):
            change_pct = np.where(zero_previous, np.nan, 100.0 * change / previous)
        bits |= _bit(Reason.ZERO_PREVIOUS_VALUE) * (zero_previous & ~np.isnan(value))

        keep = report[year_index]
        n = int(keep.sum())
        group_codes = np.unravel_index(groups, tuple(sizes)) if sizes else ()
        dim_values = {
            dim: np.tile(dims.decode(dim, codes), n_years)[keep]
            for dim, codes in zip(breakdown, group_codes, strict=True)
        }
        parts.append(
            {
                "n": n,
                INDICATOR_ID: d.id,
                CATALOGUE_INDICATOR: d.indicator,
                TITLE: d.title(lang),
                C.FISCAL_YEAR: compute_years[year_index][keep],
                BREAKDOWN: "|".join(breakdown),
                "dims": dim_values,
                MEASURE: d.measure,
                NUMERATOR: numerator[keep],
                DENOMINATOR: denominator[keep],
                VALUE: value[keep],
                UNIT: d.unit,
                PREVIOUS_VALUE: previous[keep],
                CHANGE: change[keep],
                CHANGE_PCT: change_pct[keep],
                DIRECTION: d.direction,
                IMPROVED: _improved(change[keep], d.direction),
                "bits": bits[keep],
                PROXY: bool(d.proxy),
                PROXY_REASON: d.proxy_reason or "",
            }
        )
    return parts


def _grid(
    cells: np.ndarray, vals: np.ndarray, fill: float, *, span: int, groups: np.ndarray, n_years: int
) -> np.ndarray:
    """Values laid out year-major on the full (year × group) grid; cells that have no value get ``fill``."""
    out = np.full(n_years * len(groups), fill, dtype=np.float64)
    out[(cells // span) * len(groups) + np.searchsorted(groups, cells % span)] = vals
    return out


def _bit(reason: Reason) -> int:
    return 1 << _REASON_BITS.index(reason)


def _improved(change: np.ndarray, direction: str) -> np.ndarray:
    """True / False / None per row (object array): whether the change goes the right way."""
    out = np.full(len(change), None, dtype=object)
    if direction == M.NEUTRAL:
        return out
    better = change > 0 if direction == M.HIGHER_IS_BETTER else change < 0
    defined = ~np.isnan(change)
    out[defined] = better[defined]
    return out


def _reason_text(bits: np.ndarray) -> np.ndarray:
    """``";"``-joined reason codes of each bit mask, built once per distinct mask."""
    distinct, inverse = _dense(bits)
    texts = np.array(
        [";".join(r.value for i, r in enumerate(_REASON_BITS) if int(b) >> i & 1) for b in distinct],
        dtype=object,
    )
    return texts[inverse]


def _assemble(parts: list[dict[str, Any]]) -> pd.DataFrame:
    total = sum(p["n"] for p in parts)

    def scalar(name: str) -> np.ndarray:
        return np.repeat(np.array([p[name] for p in parts], dtype=object), [p["n"] for p in parts])

    def stacked(name: str, dtype) -> np.ndarray:
        return np.concatenate([p[name] for p in parts]).astype(dtype) if parts else np.zeros(0, dtype=dtype)

    data: dict[str, Any] = {}
    for name in (INDICATOR_ID, CATALOGUE_INDICATOR, TITLE):
        data[name] = scalar(name) if parts else np.zeros(0, dtype=object)
    data[C.FISCAL_YEAR] = stacked(C.FISCAL_YEAR, np.int64)
    data[BREAKDOWN] = scalar(BREAKDOWN) if parts else np.zeros(0, dtype=object)
    for dim in M.DIMENSIONS:
        pieces = [p["dims"].get(dim, np.full(p["n"], None, dtype=object)) for p in parts]
        data[dim] = np.concatenate(pieces) if pieces else np.zeros(0, dtype=object)
    data[MEASURE] = scalar(MEASURE) if parts else np.zeros(0, dtype=object)
    for name in (NUMERATOR, DENOMINATOR, VALUE):
        data[name] = stacked(name, np.float64)
    data[UNIT] = scalar(UNIT) if parts else np.zeros(0, dtype=object)
    for name in (PREVIOUS_VALUE, CHANGE, CHANGE_PCT):
        data[name] = stacked(name, np.float64)
    data[DIRECTION] = scalar(DIRECTION) if parts else np.zeros(0, dtype=object)
    data[IMPROVED] = (
        pd.array(np.concatenate([np.asarray(p[IMPROVED], dtype=object) for p in parts]), dtype="boolean")
        if parts
        else pd.array([], dtype="boolean")
    )
    data[REASON] = _reason_text(stacked("bits", np.int64)) if parts else np.zeros(0, dtype=object)
    data[PROXY] = scalar(PROXY).astype(bool) if parts else np.zeros(0, dtype=bool)
    data[PROXY_REASON] = scalar(PROXY_REASON) if parts else np.zeros(0, dtype=object)

    frame = pd.DataFrame({name: data[name] for name in INDICATOR_COLUMNS}, index=pd.RangeIndex(total))
    dtypes: dict[str, Any] = {name: "str" for name in _TEXT_COLUMNS}
    dtypes.update({name: "Float64" for name in _FLOAT_COLUMNS})
    dtypes[C.FISCAL_YEAR] = "int64"
    dtypes[IMPROVED] = "boolean"
    dtypes[PROXY] = "bool"
    return frame.astype(dtypes)
