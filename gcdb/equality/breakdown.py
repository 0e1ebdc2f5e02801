"""Breakdowns (kırılımlar) of service usage: distinct users, uses and quantity by any intersection of dimensions.

:func:`breakdown` returns one row per cell of the **full Cartesian product** of the known categories, zeros
included, plus margin rows where a dimension is aggregated (its column holds :data:`~gcdb.equality.names.TOTAL`)
and the grand total. Distinct users are counted distinct *in every cell and every margin* — a person who used a
service in two districts is one user of the city, not two — so margins of ``users`` are generally not the sums of
their cells; ``uses`` and ``quantity`` are additive.

Known categories, per dimension: an explicit list in ``categories``; else the categories of a categorical column;
else the canonical codes (``columns.SEX_CODES``, ``DISABILITY_CODES``, ``MIGRANT_CODES``,
``DEFAULT_AGE_BANDS.labels``); else (district, neighbourhood, other columns) the sorted distinct values of the usage
frame and of the population frame if one is given, so that a district nobody from used still shows with zero.
Missing values become ``unknown``. A value outside an explicit or canonical list is an error.

Neighbourhood names repeat across districts (every district has a *Cumhuriyet Mahallesi*), so a neighbourhood is
always the pair (district, neighbourhood): ``by`` must contain ``district`` whenever it contains ``neighbourhood``,
the product runs over the pairs that exist (in the data, the population or ``categories[neighbourhood]``, a frame
with both columns), and no margin keeps the neighbourhood while totalling the district.

Vectorised: rows are reduced once to distinct (finest cell, person) pairs with numpy; every margin is a projection
of those pairs: one sort-based distinct + ``np.bincount`` per margin.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb import persons
from gcdb.equality import names as N
from gcdb.equality.categories import Dim, encode
from gcdb.errors import UsageError
from gcdb.scale.executors import Background, threaded, usable_cores
from gcdb.text import arrow_strings

__all__ = [
    "USES_WEIGHT",
    "Cube",
    "Dim",
    "all_subsets",
    "breakdown",
    "build_cube",
    "closure",
    "encode",
    "free_dims",
    "valid_subset",
]


#: Column of a pre-aggregated usage frame (see :mod:`gcdb.scale`) holding how many records each row stands for;
#: without it every row is one use.
USES_WEIGHT = "_uses"


# ---------------------------------------------------------------------------------------------------------------
# Subsets (which margins exist)
# ---------------------------------------------------------------------------------------------------------------
def valid_subset(subset: Iterable[int], dims: Sequence[Dim]) -> bool:
    """A subset may keep a nested dimension only together with its parent."""
    s = set(subset)
    return all(dims[d].parent is None or dims[d].parent in s for d in s)


def all_subsets(dims: Sequence[Dim]) -> list[tuple[int, ...]]:
    """Every valid subset of dimension positions, largest first (the full intersection, …, the grand total)."""
    n = len(dims)
    out: list[tuple[int, ...]] = []
    for size in range(n, -1, -1):
        out.extend(c for c in combinations(range(n), size) if valid_subset(c, dims))
    return out


def closure(sets: Iterable[Iterable[int]], dims: Sequence[Dim]) -> list[tuple[int, ...]]:
    """Downward closure of ``sets`` (every valid subset of each), largest first."""
    found: set[tuple[int, ...]] = set()
    for s in sets:
        s = tuple(sorted(set(s)))
        for size in range(len(s) + 1):
            found.update(c for c in combinations(s, size) if valid_subset(c, dims))
    return sorted(found, key=lambda c: (-len(c), c))


def free_dims(subset: Sequence[int], dims: Sequence[Dim]) -> list[int]:
    """Dimensions that vary independently in ``subset``: a parent whose nested child is present is absorbed."""
    s = set(subset)
    absorbed = {dims[d].parent for d in s if dims[d].parent is not None}
    return [d for d in sorted(s) if d not in absorbed]


# ---------------------------------------------------------------------------------------------------------------
# The cube
# ---------------------------------------------------------------------------------------------------------------
#: Keys spanning at most this many values (or as many as there are keys) are made distinct with a presence table
#: (O(n), a bool per possible value) instead of a sort (O(n log n), and cache-bound on millions of keys).
DENSE_SPAN = 1 << 22


def _dense_offset(values: np.ndarray) -> tuple[int, int] | None:
    """``(low, span)`` of ``values`` when a presence table is cheaper than a sort, else None."""
    if values.size == 0:
        return None
    low, high = int(values.min()), int(values.max())
    span = high - low + 1
    return (low, span) if span <= max(DENSE_SPAN, values.size) else None


def distinct(values: np.ndarray, *, overwrite: bool = False) -> np.ndarray:
    """Sorted distinct values of an int64 array (a presence table for keys of a small span, else sort-based;
    numpy 2.4's hash-based ``np.unique`` is far slower on millions of wide-range keys). ``overwrite``: ``values``
    may be used as working memory (sorted in place: no copy)."""
    if values.size == 0:
        return values
    dense = _dense_offset(values)
    if dense is not None:
        low, span = dense
        present = np.zeros(span, dtype=bool)
        present[values - low if low else values] = True
        return (np.flatnonzero(present) + low).astype(values.dtype, copy=False)
    if overwrite:
        values.sort()
        s = values
    else:
        s = np.sort(values)
    return s[np.r_[True, s[1:] != s[:-1]]]


def distinct_inverse(
    values: np.ndarray, *, overwrite: bool = False, small: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values and, per input, the position of its value among them (``overwrite``: ``values`` may
    be used as working memory; ``small``: positions as int32 when they fit, 4 bytes a row instead of 8)."""
    dense = _dense_offset(values)
    if dense is not None:
        low, span = dense
        if low and overwrite:
            values -= low
            index = values
        else:
            index = values - low if low else values
        present = np.zeros(span, dtype=bool)
        present[index] = True
        position = np.cumsum(present, dtype=_position_type(span, small))
        position -= 1
        return (np.flatnonzero(present) + low).astype(values.dtype, copy=False), position[index]
    order = np.argsort(values)
    s = values[order]
    new = np.r_[True, s[1:] != s[:-1]] if s.size else np.zeros(0, dtype=bool)
    inverse = np.empty(values.size, dtype=_position_type(values.size, small))
    inverse[order] = np.cumsum(new) - 1
    return s[new], inverse


def _position_type(n: int, small: bool) -> type[np.signedinteger]:
    """int32 for positions below ``n`` when ``small`` and they fit, else int64."""
    return np.int32 if small and n < 2**31 else np.int64


def _person_cells(fine: np.ndarray, person: np.ndarray, n_persons: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Distinct (finest cell, person) pairs of the rows, as ``(pair_fine, pair_person, n_single)``.

    The first ``n_single`` pairs belong to persons found in one finest cell only (one pair each — most persons, as
    a person's sex, age band and district rarely change); the rest, to persons found in several cells. Only those
    need a sort; their order is unspecified. Cells and persons are int32 when they fit (millions of pairs).
    """
    small = np.int32 if max(n_persons, int(fine.max(initial=0)) + 1) < 2**31 else np.int64
    cell_of_person: np.ndarray = np.full(n_persons, -1, dtype=small)
    cell_of_person[person] = fine  # any one of the person's cells
    multi_row = fine != cell_of_person[person]
    if not multi_row.any():
        single = np.flatnonzero(cell_of_person >= 0)
        return cell_of_person[single], single.astype(small), len(single)
    multi_person = np.zeros(n_persons, dtype=bool)
    multi_person[person[multi_row]] = True
    del multi_row
    in_multi = multi_person[person]
    key = fine[in_multi].astype(np.int64)  # (cell, person) keys, computed in place
    key *= n_persons
    key += person[in_multi]
    del in_multi
    key = distinct(key, overwrite=True)
    single = np.flatnonzero(~multi_person & (cell_of_person >= 0))
    n_single = len(single)
    pair_fine = np.empty(n_single + len(key), dtype=small)
    pair_person = np.empty(n_single + len(key), dtype=small)
    pair_fine[:n_single] = cell_of_person[single]
    pair_person[:n_single] = single
    del single
    # the multi-cell persons' pairs split back from their keys in place (no 8-byte temporaries)
    np.remainder(key, n_persons, out=pair_person[n_single:], casting="unsafe")
    key //= n_persons
    pair_fine[n_single:] = key
    return pair_fine, pair_person, n_single


def _uses_fine(usage: pd.DataFrame, fine_inverse: np.ndarray, n_fine: int) -> np.ndarray:
    """Uses per finest cell: rows, or their weights (:data:`USES_WEIGHT`)."""
    weight = usage[USES_WEIGHT].to_numpy(dtype=np.float64) if USES_WEIGHT in usage.columns else None
    return np.bincount(fine_inverse, weights=weight, minlength=n_fine).astype(np.float64)


def _users(
    cell_of_fine: np.ndarray,
    n_cells: int,
    pair_fine: np.ndarray,
    pair_person: np.ndarray,
    n_persons: int,
    n_single: int,
) -> np.ndarray:
    """Distinct users per cell (float64) of the (finest cell, person) pairs, the first ``n_single`` of which are
    known to fall in distinct (cell, person) pairs: only the others are deduplicated. Each part is counted on its
    own (no concatenated copy), cells as int32 when they fit."""
    if n_cells < 2**31:
        cell_of_fine = cell_of_fine.astype(np.int32)
    users = np.bincount(cell_of_fine[pair_fine[:n_single]], minlength=n_cells)
    if n_single < len(pair_fine):
        multi = cell_of_fine[pair_fine[n_single:]].astype(np.int64)
        multi *= n_persons
        multi += pair_person[n_single:]
        multi = distinct(multi, overwrite=True)
        multi //= n_persons
        users += np.bincount(multi, minlength=n_cells)
    return users.astype(np.float64)


@dataclass
class Cube:
    """Cells of a breakdown with margins, as arrays.

    ``codes[i, d]`` is the category code of cell ``i`` in dimension ``d``, or ``dims[d].size`` for a margin
    (:data:`TOTAL`). ``fixed`` holds the code of the split-by column (service) — lines never cross it.
    ``values`` maps each measure to its per-cell array.
    """

    dims: list[Dim]
    codes: np.ndarray
    fixed: np.ndarray
    fixed_name: str | None
    fixed_labels: np.ndarray
    values: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.fixed)

    def is_total(self) -> np.ndarray:
        sizes = np.array([d.size for d in self.dims], dtype=np.int64)
        return self.codes == sizes[None, :]

    def kept(self) -> np.ndarray:
        """Per cell, a bit mask of the dimensions it splits by (bit d set = dimension d not totalled)."""
        bits = (~self.is_total()).astype(np.int64) << np.arange(len(self.dims), dtype=np.int64)[None, :]
        return bits.sum(axis=1)

    def labels(self, d: int) -> np.ndarray:
        return np.append(self.dims[d].labels, N.TOTAL).astype(object)[self.codes[:, d]]

    def to_frame(self, measures: Sequence[str] | None = None) -> pd.DataFrame:
        data: dict[str, object] = {}
        if self.fixed_name is not None:
            data[self.fixed_name] = pd.array(self.fixed_labels[self.fixed], dtype="str")
        for d, dim in enumerate(self.dims):
            data[dim.name] = pd.array(self.labels(d), dtype="str")
        for m in measures or list(self.values):
            v = self.values[m]
            data[m] = v.astype(np.int64) if m in (N.USERS, N.USES) else v
        return pd.DataFrame(data)


def encode_with_persons(
    usage: pd.DataFrame,
    dims: Sequence[str],
    measures: Sequence[str],
    categories: Mapping[str, object] | None = None,
    population: pd.DataFrame | None = None,
    *,
    relabel: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[tuple[np.ndarray, list[Dim]], tuple[np.ndarray, int] | None]:
    """:func:`encode` of ``dims`` (``relabel``: values counted as others, as :func:`encode` says), and the
    records' :func:`gcdb.persons.person_codes` (``small``) when users are counted (else
    ``None``: :func:`build_cube` codes them if it needs them).

    On a machine of several cores, from :data:`~gcdb.scale.executors.THREADED_ROWS` records with text ids, the
    ids are coded beside the dimensions. Ids of one width in bytes are read as numbers
    (:func:`gcdb.persons.fixed_width_codes`, a sixth of the dimensions' work at 10 M records) in a thread of their
    own while the dimensions are coded on every core. Other text ids are hashed, the two largest hashings of a
    breakdown at once: the dimensions in a thread of their own, the ids in the calling thread — whose allocator has
    the memory of the earlier steps to reuse (coded in another thread, the ids' hash table took 0.3 GB more at the
    peak of 10 M records). Integer ids are their own codes: nothing to hash, nothing to run beside.
    """
    ids = usage[C.PERSON_ID] if N.USERS in measures and C.PERSON_ID in usage.columns else None
    if (
        ids is None
        or not threaded(len(usage))
        or pd.api.types.is_integer_dtype(ids.dtype)
        or usable_cores() < 2
    ):
        return encode(usage, dims, categories, population, relabel=relabel), None
    strings = arrow_strings(ids)
    fixed = persons.fixed_width(strings) if strings is not None else None
    if fixed is not None:
        reading = Background(persons.text_codes, strings, fixed)
        row_codes = encode(usage, dims, categories, population, relabel=relabel)
        return row_codes, reading.result()
    # beside the ids, one core fewer than the machine has (on two cores the dimensions one after the other: in two
    # threads they slowed the ids' coding, the longer of the two, by half)
    threads = max(usable_cores() - 1, 1)
    coding = Background(encode, usage, dims, categories, population, threads=threads, relabel=relabel)
    coded = persons.person_codes(ids, small=True)
    return coding.result(), coded


def _fixed_codes(
    usage: pd.DataFrame, fixed: str | None, dtype: type[np.signedinteger] = np.int64
) -> tuple[np.ndarray, np.ndarray]:
    """A fresh ``dtype`` array of the rows' codes of ``fixed`` (build_cube computes in it) and the labels."""
    if fixed is None:
        return np.zeros(len(usage), dtype=dtype), np.array([N.TOTAL], dtype=object)
    if fixed not in usage.columns:
        raise UsageError(
            f"usage records have no column {fixed!r} to split by; columns: {list(usage.columns)!r}"
        )
    column = usage[fixed]
    if isinstance(column.dtype, pd.CategoricalDtype) and len(column) and column.cat.codes.min() >= 0:
        return _observed_codes(column, dtype)
    codes, uniques = pd.factorize(column, sort=True, use_na_sentinel=False)
    return codes.astype(dtype, copy=False), np.asarray(uniques.astype("str"), dtype=object)


def _observed_codes(column: pd.Series, dtype: type[np.signedinteger]) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(column, sort=True)`` of a categorical without missing values, from its own codes (no int64
    copy of its rows): codes into the categories that occur, in category order."""
    raw = np.asarray(column.cat.codes)
    used = np.bincount(raw, minlength=len(column.cat.categories)) > 0
    position = (np.cumsum(used) - 1).astype(dtype)
    labels = pd.Index(column.cat.categories[used])
    return position[raw], np.asarray(labels.astype("str"), dtype=object)


def build_cube(
    usage: pd.DataFrame,
    dims: Sequence[str],
    *,
    subsets: Sequence[Sequence[int]] | None = None,
    fixed: str | None = None,
    measures: Sequence[str] = N.MEASURES,
    categories: Mapping[str, object] | None = None,
    population: pd.DataFrame | None = None,
    row_codes: tuple[np.ndarray, list[Dim]] | None = None,
    coded_persons: tuple[np.ndarray, int] | None = None,
) -> Cube:
    """Count ``measures`` for every cell of every subset of ``dims`` (default: all margins). ``row_codes``: the
    rows' :func:`encode` already made; ``coded_persons``: their :func:`gcdb.persons.person_codes` (``small``)."""
    codes, dim_list = row_codes if row_codes is not None else encode(usage, dims, categories, population)
    fixed_codes, fixed_labels = _fixed_codes(usage, fixed, np.int32)  # (widened below if cells need it)
    n_fixed = len(fixed_labels)
    if subsets is None:
        subsets = all_subsets(dim_list)
    for s in subsets:
        if not valid_subset(s, dim_list):
            raise UsageError(
                f"margin {[dim_list[d].name for d in s]!r} keeps a nested dimension without its parent"
            )
    for m in measures:
        if m not in N.MEASURES:
            raise UsageError(f"unknown measure {m!r}; expected one of {N.MEASURES!r}")
    if N.USERS in measures and C.PERSON_ID not in usage.columns:
        raise UsageError(f"counting users needs the {C.PERSON_ID!r} column")
    if N.QUANTITY in measures and C.QUANTITY not in usage.columns:
        raise UsageError(f"measure {N.QUANTITY!r} needs the {C.QUANTITY!r} column")

    # finest cell of each row (all dimensions; a nested dimension absorbs its parent)
    full_units = free_dims(range(len(dim_list)), dim_list)
    sizes = [dim_list[d].size for d in full_units]
    n_finest = n_fixed * float(np.prod(sizes, dtype=np.float64))
    if n_finest > 2**62:
        raise UsageError("too many cells in the requested breakdown; split it by fewer dimensions")
    # the finest cell of each row, accumulated in place in one array — int32 (4 bytes a row) when every finest
    # cell's number fits, else int64 (np.ravel_multi_index would widen a copy of every code column first)
    fine_row = fixed_codes if n_finest < 2**31 else fixed_codes.astype(np.int64)
    del fixed_codes
    for d, size in zip(full_units, sizes, strict=True):
        fine_row *= size
        fine_row += codes[:, d]
    fine, fine_inverse = distinct_inverse(fine_row, overwrite=True, small=True)
    del fine_row  # (each per-row array below is let go as soon as it is counted: millions of rows)
    fine = fine.astype(np.int64, copy=False)
    uses_fine = _uses_fine(usage, fine_inverse, len(fine)) if N.USES in measures else None
    qty_fine = None
    if N.QUANTITY in measures:
        numbers = pd.to_numeric(usage[C.QUANTITY], errors="coerce")
        if numbers.dtype == np.float64:
            qty = numbers.to_numpy()  # a view (NaN is its own missing value)
        else:
            qty = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
        del numbers
        if not np.isfinite(qty).all():  # (finite quantities are counted as they are: no copy)
            qty = np.nan_to_num(qty, nan=0.0)
        qty_fine = np.bincount(fine_inverse, weights=qty, minlength=len(fine))
        del qty
    # distinct (finest cell, person) pairs
    pair_fine: np.ndarray | None = None
    pair_person: np.ndarray | None = None
    if N.USERS in measures:
        if coded_persons is None:
            coded_persons = persons.person_codes(usage[C.PERSON_ID], small=True)
        person_codes, n_persons = coded_persons
        coded_persons = None
        has_person = person_codes >= 0
        if has_person.all():
            pair_fine, pair_person, n_single = _person_cells(fine_inverse, person_codes, n_persons)
        else:
            pair_fine, pair_person, n_single = _person_cells(
                fine_inverse[has_person], person_codes[has_person], n_persons
            )
        del person_codes, has_person
    del fine_inverse

    decoded = np.unravel_index(fine, (n_fixed, *sizes))
    fine_fixed = decoded[0]
    fine_unit = dict(zip(full_units, decoded[1:], strict=True))
    # per finest cell, the code of every dimension (a parent's code comes from its nested child)
    fine_codes = {}
    for d in range(len(dim_list)):
        if d in fine_unit:
            fine_codes[d] = fine_unit[d]
        else:
            child_pos = next(c for c in full_units if dim_list[c].parent == d)
            child = dim_list[child_pos]
            assert child.parent_code is not None  # a nested dimension knows its parent's codes
            fine_codes[d] = child.parent_code[fine_unit[child_pos]]

    out_codes: list[np.ndarray] = []
    out_fixed: list[np.ndarray] = []
    out_values: dict[str, list[np.ndarray]] = {m: [] for m in measures}
    for subset in subsets:
        units = free_dims(subset, dim_list)
        shape = (n_fixed, *(dim_list[d].size for d in units))
        n_cells = int(np.prod(shape))
        cell_of_fine = np.ravel_multi_index((fine_fixed, *(fine_codes[d] for d in units)), shape)
        if uses_fine is not None:
            out_values[N.USES].append(np.bincount(cell_of_fine, weights=uses_fine, minlength=n_cells))
        if N.QUANTITY in measures:
            out_values[N.QUANTITY].append(np.bincount(cell_of_fine, weights=qty_fine, minlength=n_cells))
        if N.USERS in measures:
            assert pair_fine is not None and pair_person is not None  # computed above for this measure
            # the finest level, or one cell per person: every pair is distinct already
            single = len(pair_fine) if len(units) == len(full_units) else n_single
            users = _users(cell_of_fine, n_cells, pair_fine, pair_person, n_persons, single)
            out_values[N.USERS].append(users)
        grid = np.unravel_index(np.arange(n_cells), shape)
        block = np.tile(np.array([d.size for d in dim_list], dtype=np.int64), (n_cells, 1))
        for d, g in zip(units, grid[1:], strict=True):
            block[:, d] = g
            dim = dim_list[d]
            if dim.parent is not None:
                assert dim.parent_code is not None  # a nested dimension knows its parent's codes
                block[:, dim.parent] = dim.parent_code[g]
        out_codes.append(block)
        out_fixed.append(grid[0])
    codes_all = np.concatenate(out_codes) if out_codes else np.zeros((0, len(dim_list)), dtype=np.int64)
    fixed_all = np.concatenate(out_fixed) if out_fixed else np.zeros(0, dtype=np.int64)
    order = np.lexsort(tuple(codes_all[:, d] for d in reversed(range(len(dim_list)))) + (fixed_all,))
    values = {m: np.concatenate(v)[order] for m, v in out_values.items()}
    return Cube(dim_list, codes_all[order], fixed_all[order], fixed, fixed_labels, values)


def margin_counts(cube: Cube, margins: Sequence[Sequence[str]], measures: Sequence[str]) -> pd.DataFrame:
    """The cells of ``margins`` (lists of dimension names) of ``cube`` as :func:`breakdown` gives them — the
    counts of a cube already built (by :func:`gcdb.equality.impact_table`, say) over the same records, categories
    and dimensions, instead of counting them again."""
    position = {d.name: i for i, d in enumerate(cube.dims)}
    wanted = set()
    for names in margins:
        mask = 0
        for name in _with_parent_names(names, cube.dims):
            mask |= 1 << position[name]
        wanted.add(mask)
    rows = np.flatnonzero(np.isin(cube.kept(), sorted(wanted)))
    part = Cube(
        cube.dims,
        cube.codes[rows],
        cube.fixed[rows],
        cube.fixed_name,
        cube.fixed_labels,
        {m: cube.values[m][rows] for m in measures},
    )
    return part.to_frame(measures)


def _with_parent_names(names: Sequence[str], dims: Sequence[Dim]) -> list[str]:
    """``names`` and the dimensions they are nested in (a margin keeping a nested dimension keeps its parent)."""
    out = list(names)
    for name in names:
        parent = next(d.parent for d in dims if d.name == name)
        if parent is not None and dims[parent].name not in out:
            out.append(dims[parent].name)
    return out


def _measure_list(measure: str | Sequence[str] | None, usage: pd.DataFrame) -> list[str]:
    if measure is None:
        out = [N.USERS, N.USES] if C.PERSON_ID in usage.columns else [N.USES]
        return out + ([N.QUANTITY] if C.QUANTITY in usage.columns else [])
    out = [measure] if isinstance(measure, str) else list(measure)
    for m in out:
        if m not in N.MEASURES:
            raise UsageError(f"unknown measure {m!r}; expected one of {N.MEASURES!r}")
    return out


def breakdown(
    usage: pd.DataFrame,
    by: Sequence[str],
    *,
    service: str | None = None,
    measure: str | Sequence[str] | None = None,
    categories: Mapping[str, object] | None = None,
    margins: bool | Sequence[Sequence[str]] = True,
    population: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Distinct users, uses and quantity by every intersection of ``by``, with margins and empty cells as zero.

    Parameters
    ----------
    usage : canonical usage records (``person_id`` for users, ``quantity`` for quantity).
    by : dimensions to cross, e.g. ``["sex", "age_band", "district"]``; any usage column is accepted.
    service : a column to split by without margins (``"service_code"``): one independent table per value.
    measure : ``"users"``, ``"uses"``, ``"quantity"`` or a list; default every one the columns allow.
    categories : known categories per dimension (list), overriding the defaults; for ``neighbourhood`` a frame
        (or list of pairs) with ``district`` and ``neighbourhood``.
    margins : True for every margin and the grand total, False for the full intersection only, or a list of
        dimension lists to aggregate to (e.g. ``[["sex"], []]``).
    population : a population baseline whose districts/neighbourhoods join the categories (zero rows for them).

    Returns
    -------
    DataFrame with ``[service,] *by, users, uses, quantity`` (int64 counts, float quantity); margin rows hold
    :data:`~gcdb.equality.names.TOTAL` in the aggregated dimension columns. Rows are sorted by the dimensions in
    category order, margins after their cells.
    """
    by = [by] if isinstance(by, str) else list(by)
    measures = _measure_list(measure, usage)
    row_codes, coded = encode_with_persons(usage, by, measures, categories, population)
    dims = row_codes[1]
    if margins is True:
        subsets = all_subsets(dims)
    elif margins is False:
        subsets = [tuple(range(len(dims)))]
    else:
        subsets = []
        for names in margins:
            unknown = [n for n in names if n not in by]
            if unknown:
                raise UsageError(f"margin {list(names)!r} names dimensions not in by={by!r}")
            subsets.append(tuple(sorted(by.index(n) for n in names)))
        subsets = sorted(set(subsets), key=lambda c: (-len(c), c))
    cube = build_cube(
        usage,
        by,
        subsets=subsets,
        fixed=service,
        measures=measures,
        population=population,
        row_codes=row_codes,
        coded_persons=coded,
    )
    return cube.to_frame(measures)
