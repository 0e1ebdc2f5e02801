"""Categories of the equality dimensions and the integer codes of usage rows.

Known categories, per dimension: an explicit list in ``categories``; else the categories of a categorical column
(unless ``categories`` names the dimension :data:`BY_VALUES`); else the canonical codes (``columns.SEX_CODES``, ``DISABILITY_CODES``, ``MIGRANT_CODES``,
``DEFAULT_AGE_BANDS.labels``); else (district, neighbourhood, other columns) the sorted distinct values of the
usage frame and of the population frame if one is given. Missing values become ``unknown``. A value outside an
explicit or canonical list is a :class:`~gcdb.errors.DataValidationError` whose issues table lists the values.

A nested dimension (neighbourhood within district) is coded by (district, name) pairs. Rows are factorized once;
string work runs on distinct values only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.errors import DataValidationError, UsageError, issues_frame
from gcdb.scale.executors import thread_map, threaded
from gcdb.text import factorize, fold


class _ByValues:
    def __repr__(self) -> str:
        return "BY_VALUES"


#: In ``categories``: this dimension's categories are those of a text column — the canonical codes, else the
#: sorted distinct values of the usage and population frames — even when the column is categorical. The services
#: analysis depends on the values of its records, never on how they are stored (:func:`by_values`).
BY_VALUES = _ByValues()

_CANONICAL = {
    C.SEX: C.SEX_CODES,
    C.DISABILITY: C.DISABILITY_CODES,
    C.MIGRANT_STATUS: C.MIGRANT_CODES,
    C.AGE_BAND: C.DEFAULT_AGE_BANDS.labels,
}


@dataclass(frozen=True)
class Dim:
    """One dimension of a cube: its column name and category labels (codes are positions in ``labels``).

    For a nested dimension (neighbourhood) the categories are (parent, name) pairs: ``labels`` holds the names
    and ``parent_code`` the parent's code for each pair.
    """

    name: str
    labels: np.ndarray
    parent: int | None = None
    parent_code: np.ndarray | None = None

    @property
    def size(self) -> int:
        return len(self.labels)


# ---------------------------------------------------------------------------------------------------------------
# Categories and row codes
# ---------------------------------------------------------------------------------------------------------------
def _sorted_labels(values: Iterable[str]) -> list[str]:
    return sorted({str(v) for v in values}, key=lambda s: (fold(s), s))


def _distinct(frame: pd.DataFrame | None, column: str) -> list[str]:
    if frame is None or column not in frame.columns:
        return []
    return [str(v) for v in pd.unique(frame[column].dropna())]


def _bad_values(column: str, values: Sequence[str], allowed: Sequence[str]) -> DataValidationError:
    shown = ", ".join(repr(v) for v in list(values)[:10])
    rows = [
        {
            C.ISSUE_FILE: "usage",
            C.ISSUE_ROW: None,
            C.ISSUE_COLUMN: column,
            C.ISSUE_CODE: "invalid_value",
            C.ISSUE_SEVERITY: C.ERROR,
            C.ISSUE_MESSAGE: f"value is not a known category of {column!r}",
            C.ISSUE_VALUE: str(v),
        }
        for v in values
    ]
    return DataValidationError(
        f"column {column!r} has values outside its categories: {shown}; expected one of "
        f"{list(allowed)[:12]!r} (normalise the data first, or pass categories={{{column!r}: [...]}})",
        issues_frame(rows),
    )


def _encode_flat(
    series: pd.Series,
    column: str,
    categories: Mapping[str, object],
    extra: pd.DataFrame | None,
    relabel: Mapping[str, str] | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Codes of a non-nested dimension and its category labels; NaN → ``unknown`` (appended if needed).
    ``relabel``: values counted as other values (``refugee`` as ``migrant``), applied to the distinct values."""
    # code once (a categorical's own codes, else factorize), then map the few distinct values onto the categories
    raw, uniques, present = _row_codes(series)
    given = categories.get(column)
    if column in categories and given is not BY_VALUES:
        cats, strict = [str(v) for v in cast(Iterable[object], given)], True
    elif given is None and isinstance(series.dtype, pd.CategoricalDtype):
        cats, strict = [str(v) for v in series.cat.categories], True
    elif column in _CANONICAL:
        cats, strict = list(_CANONICAL[column]), True
    else:
        # the values that occur (no second pass over the rows)
        seen = list(_labels(uniques[present[:-1]], relabel))
        cats, strict = _sorted_labels(seen + _distinct(extra, column)), False
    if len(set(cats)) != len(cats):
        raise UsageError(f"categories of {column!r} repeat a value: {cats!r}")
    mapping = pd.Index(cats).get_indexer(_labels(uniques, relabel)).astype(np.int64)
    if (mapping[present[:-1]] < 0).any():
        _, found = pd.factorize(series, use_na_sentinel=True)  # the values in order of appearance
        found = pd.Index(found)
        bad = [str(v) for v in found[pd.Index(cats).get_indexer(_labels(found, relabel)) < 0]]
        if strict:
            raise _bad_values(column, bad, cats)
        raise AssertionError(f"unreachable: data-derived categories miss {bad!r}")  # pragma: no cover
    fill = -1
    if present[-1]:  # missing values
        if C.UNKNOWN not in cats:
            cats = [*cats, C.UNKNOWN]
        fill = cats.index(C.UNKNOWN)
    lookup = np.append(np.where(present[:-1], mapping, -1), fill).astype(np.int32)
    return lookup[raw], cats  # code -1 (missing) reads the last entry


def _labels(values, relabel: Mapping[str, str] | None) -> pd.Index:
    """Distinct ``values`` as text, each relabelled where ``relabel`` says."""
    text = pd.Index(values).astype("str")
    return text if not relabel else pd.Index([relabel.get(v, v) for v in text], dtype="str")


def value_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Per row, a code into the distinct values (``-1`` missing) and those values: a categorical's own codes (no
    copy of its rows; unused categories included), else factorised (:func:`gcdb.text.factorize`: Arrow text's
    int32 codes, read-only). The codes are only read."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return np.asarray(values.cat.codes), pd.Index(values.cat.categories)
    codes, uniques = factorize(values, writable=False)
    return np.asarray(codes), pd.Index(uniques)


def _row_codes(series: pd.Series) -> tuple[np.ndarray, pd.Index, np.ndarray]:
    """:func:`value_codes`, and which of the values occur (last entry: a missing value)."""
    raw, uniques = value_codes(series)
    if isinstance(series.dtype, pd.CategoricalDtype):
        present = np.zeros(len(uniques) + 1, dtype=bool)
        present[raw] = True  # code -1 marks the last entry
    else:
        present = np.ones(len(uniques) + 1, dtype=bool)
        present[-1] = bool((raw < 0).any())
    return raw, uniques, present


def _pairs_from(frame: pd.DataFrame | None, parent: str, child: str) -> pd.DataFrame:
    if frame is None or parent not in frame.columns or child not in frame.columns:
        return pd.DataFrame({parent: pd.Series(dtype="str"), child: pd.Series(dtype="str")})
    pairs = frame[[parent, child]].dropna().drop_duplicates()
    return pairs.astype("str")


def _encode_nested(
    usage: pd.DataFrame,
    column: str,
    parent_dim: Dim,
    parent_codes: np.ndarray,
    categories: Mapping[str, object],
    extra: pd.DataFrame | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes of a nested dimension (neighbourhood within district) as indices into the known pairs.

    Returns the row codes, the pair names and each pair's parent code, pairs sorted by parent then name.
    """
    parent = parent_dim.name
    explicit = categories.get(column)
    if explicit is not None and explicit is not BY_VALUES:
        known = (
            # (district, neighbourhood) pairs
            pd.DataFrame(cast(Iterable[tuple[object, object]], explicit), columns=[parent, column])
            if not isinstance(explicit, pd.DataFrame)
            else explicit
        )
        known = known[[parent, column]].astype("str").drop_duplicates()
    else:
        known = pd.concat(
            [_pairs_from(usage, parent, column), _pairs_from(extra, parent, column)]
        ).drop_duplicates()
    parent_index = {label: i for i, label in enumerate(parent_dim.labels)}
    known_parent = known[parent].map(parent_index)
    if known_parent.isna().any():
        bad = known.loc[known_parent.isna(), parent].unique().tolist()
        raise UsageError(
            f"neighbourhood categories name districts that are not district categories: {bad[:10]!r}"
        )
    # code the rows once (a categorical's own codes); every string operation below runs on distinct names only
    raw, raw_uniques = value_codes(usage[column])
    uniques = np.asarray(pd.Index(raw_uniques).astype("str"), dtype=object)
    missing = raw < 0  # a missing neighbourhood goes to (district, unknown)
    if missing.any():
        extra_pairs = pd.DataFrame(
            {parent: parent_dim.labels[np.unique(parent_codes[missing])], column: C.UNKNOWN}
        )
        known = pd.concat([known, extra_pairs.astype("str")]).drop_duplicates()
        known_parent = known[parent].map(parent_index)
    names_known = known[column].tolist()
    order = np.lexsort(
        (
            np.asarray([fold(s) for s in names_known]),
            np.asarray([s == C.UNKNOWN for s in names_known]),
            known_parent.to_numpy(dtype=np.int64),
        )
    )
    pair_parent = known_parent.to_numpy(dtype=np.int64)[order]
    pair_name = known[column].to_numpy(dtype=object)[order]
    if len(pair_name) == 0:
        _, found = pd.factorize(usage[column], use_na_sentinel=True)  # the values in order of appearance
        raise _bad_values(column, [str(u) for u in pd.Index(found).astype("str")[:10]], [])
    names = pd.Index(pd.unique(np.concatenate([pair_name, uniques, np.array([C.UNKNOWN], dtype=object)])))
    n_names = len(names)
    pair_key = pair_parent * n_names + names.get_indexer(pair_name)
    key_order = np.argsort(pair_key, kind="stable")
    value_name = np.append(names.get_indexer(uniques), names.get_loc(C.UNKNOWN))  # code -1: unknown
    if parent_dim.size * len(value_name) <= max(len(raw), 1 << 20):
        # the pair of every (parent, value) once, -1 for an unknown pair; read back through the rows' codes
        table_key = np.arange(parent_dim.size, dtype=np.int64)[:, None] * n_names + value_name[None, :]
        pos = np.clip(np.searchsorted(pair_key[key_order], table_key), 0, len(pair_key) - 1)
        table = np.where(pair_key[key_order[pos]] == table_key, key_order[pos], -1).astype(np.int32)
        codes = table[parent_codes, raw]
        bad_rows = codes < 0
    else:  # too many (parent, value) combinations for a table: per row
        row_key = parent_codes.astype(np.int64) * n_names + value_name[raw]
        pos = np.clip(np.searchsorted(pair_key[key_order], row_key), 0, len(pair_key) - 1)
        codes = key_order[pos]
        bad_rows = pair_key[codes] != row_key
    if bad_rows.any():
        row_name = value_name[raw]
        bad = [
            f"{parent_dim.labels[p]}/{names[n]}"
            for p, n in {
                (int(a), int(b))
                for a, b in zip(parent_codes[bad_rows][:50], row_name[bad_rows][:50], strict=True)
            }
        ]
        raise _bad_values(
            column,
            sorted(bad),
            [f"{parent_dim.labels[p]}/{n}" for p, n in zip(pair_parent, pair_name, strict=True)],
        )
    return codes, np.asarray(pair_name, dtype=object), pair_parent


def _fits(codes: np.ndarray, n_categories: int) -> np.ndarray:
    """``codes``, widened to int32 when ``n_categories`` codes do not fit its type."""
    if n_categories >= np.iinfo(codes.dtype).max:
        return codes.astype(np.int32, order="F")
    return codes


def by_values(usage: pd.DataFrame, categories: Mapping[str, object] | None = None) -> dict[str, object]:
    """``categories`` with :data:`BY_VALUES` for every categorical column of ``usage`` it does not name."""
    out = dict(categories or {})
    for name in usage.columns:
        if isinstance(usage[name].dtype, pd.CategoricalDtype):
            out.setdefault(str(name), BY_VALUES)
    return out


def encode(
    usage: pd.DataFrame,
    dims: Sequence[str],
    categories: Mapping[str, object] | None = None,
    population: pd.DataFrame | None = None,
    *,
    threads: int | None = None,
    relabel: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[np.ndarray, list[Dim]]:
    """Row codes (n_rows × len(dims), int16 — int32 when a dimension has 32,767 categories or more) and the
    :class:`Dim` of each dimension, in ``dims`` order. ``threads``: at most this many dimensions coded at once
    (default: one per core from :data:`~gcdb.scale.executors.THREADED_ROWS` records, else one). ``relabel``: per flat dimension, values
    counted as other values (``{"migrant_status": {"refugee": "migrant"}}``) — as if the column had been rewritten,
    at the cost of its few distinct values instead of its rows."""
    categories = dict(categories or {})
    missing_cols = [d for d in dims if d not in usage.columns]
    if missing_cols:
        raise UsageError(
            f"usage records have no column {missing_cols!r}; columns present: {list(usage.columns)!r}"
        )
    if len(set(dims)) != len(dims):
        raise UsageError(f"a dimension is repeated in {list(dims)!r}")
    # a contiguous column per dimension; int16 (int32 when a dimension has more categories)
    codes = np.zeros((len(usage), len(dims)), dtype=np.int16, order="F")
    out: list[Dim | None] = [None] * len(dims)
    nested_later = []
    flat_dims = []
    for i, dim in enumerate(dims):
        parent = N.NESTED_IN.get(dim)
        if parent is not None:
            if parent not in dims:
                raise UsageError(
                    f"{dim!r} is nested in {parent!r} (names repeat across {parent}s): add {parent!r} to the dimensions"
                )
            nested_later.append(i)
        else:
            flat_dims.append(i)
    # the categories of a flat dimension are a list of labels; each flat dimension is coded on its own (in threads
    # from THREADED_ROWS records: Arrow's dictionary encoding and numpy's gathers release the GIL)
    flat = {k: cast(Iterable[object], v) for k, v in categories.items() if N.NESTED_IN.get(k) is None}

    def one(i: int) -> tuple[np.ndarray | None, list[str]]:
        column, cats = _encode_flat(usage[dims[i]], dims[i], flat, population, (relabel or {}).get(dims[i]))
        if len(cats) < np.iinfo(codes.dtype).max:
            codes[:, i] = column  # written in place (its own column): one column per thread alive
            return None, cats
        return column, cats  # (a dimension of 32,767 categories or more: written once the codes are widened)

    if not threaded(len(usage)):
        threads = 1
    for i, (column, cats) in zip(flat_dims, thread_map(one, flat_dims, threads=threads), strict=True):
        if column is not None:
            codes = _fits(codes, len(cats))
            codes[:, i] = column
        out[i] = Dim(dims[i], np.asarray(cats, dtype=object))
    for i in nested_later:
        dim = dims[i]
        p = dims.index(N.NESTED_IN[dim])
        parent_dim = out[p]
        assert parent_dim is not None  # flat dimensions were encoded first
        column, pair_names, pair_parent = _encode_nested(
            usage, dim, parent_dim, codes[:, p], categories, population
        )
        codes = _fits(codes, len(pair_names))
        codes[:, i] = column
        del column
        out[i] = Dim(dim, pair_names, p, pair_parent)
    return codes, out  # type: ignore[return-value]
