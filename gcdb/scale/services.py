"""The services analysis of usage files larger than memory: records reduced, chunk by chunk, to *weighted
distinct records*.

Every table of :func:`gcdb.services.analyse_services` counts distinct persons per cell, records (uses) per cell or
summed quantities; no table shows a record on its own. Records that agree on every column the analysis, the rule
sets and the indicators read — every usage column but ``record_id``, ``date`` (once ``fiscal_year`` is taken from
it) and the file row — and on the person, can therefore be replaced by one row that carries how many records it
stands for (:data:`~gcdb.equality.breakdown.USES_WEIGHT`) and their summed ``quantity``. The analysis counts
uses as the sum of that weight, so its tables are identical to those of the records (a test compares every table).

Memory is bounded by the number of distinct (record columns, person) rows, not by the number of records:

* text columns are held as integer codes into one vocabulary per column, shared by all chunks, and come out as
  categorical columns whose categories sort as the text (the analysis categorises them by their values,
  :data:`gcdb.equality.categories.BY_VALUES`);
* persons are held as a 128-bit hash of their id (two independent 64-bit SipHash keys): the ids themselves never
  leave the chunk they were read in. That some two of 20 M different ids collide has a probability below 2⁻⁸⁰
  (about 6·10⁻²⁵); at the end the hashes are numbered 0, 1, 2 … and only counted.

Columns a rule set or an indicator set reads (``date`` in a rule, say) are kept by passing them in ``keep``.

>>> agg = usage_pairs_file("kullanim.csv", chunk_rows=250_000)            # doctest: +SKIP
>>> analysis = gcdb.analyse_services(agg.pairs, population)               # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.arrays import NumpyExtensionArray

from gcdb import columns as C
from gcdb.equality.breakdown import USES_WEIGHT
from gcdb.errors import UsageError
from gcdb.i18n import Message
from gcdb.read.result import ReadResult
from gcdb.scale.chunks import DEFAULT_CHUNK_ROWS, ChunkedRead, check_chunk_rows, read_usage_chunks
from gcdb.scale.executors import executor_workers, thread_map
from gcdb.scale.hashing import text_hashes
from gcdb.scale.memory import release_memory
from gcdb.text import sorted_categorical, text_array

__all__ = [
    "AUTO_CHUNK_ROWS",
    "RECORD_LEVEL",
    "UsagePairs",
    "choose_chunk_rows",
    "estimated_rows",
    "record_columns_read",
    "reduce_chunk",
    "usage_pairs",
    "usage_pairs_file",
]

#: Usage columns that identify a record, not a group of people: dropped unless a rule or indicator reads them.
RECORD_LEVEL = (C.RECORD_ID, C.SOURCE_ROW, C.DATE)
#: From this many records on, ``gcdb services`` reads the usage file in chunks by itself.
AUTO_CHUNK_ROWS = 2_000_000
_AVERAGE_CSV_ROW_BYTES = 120  # a usage CSV row with every column (the demo's: 112 bytes)
_SEEDS = (0x6763_6462_2D70_6572, 0x736F_6E73_2D62_3032)  # two independent 64-bit hashes of a person id
_HASH_B = "_person_b"
_PARTITIONS = 16  # by person: the rows combined at once are about a sixteenth of all
_COMBINE_ROWS = 250_000  # pending rows of a partition that start a combination


def estimated_rows(path: str | Path) -> int:
    """Records in a usage file, cheaply: a Parquet file's metadata, a CSV's size over an average row; 0 for an
    Excel workbook (read whole: small by construction) or a file that cannot be inspected."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        if suffix in (".csv", ".txt", ".tsv"):
            return path.stat().st_size // _AVERAGE_CSV_ROW_BYTES
    except (OSError, ValueError):
        return 0
    return 0


def choose_chunk_rows(path: str | Path, chunk_rows: int | str | None = "auto") -> int | None:
    """Rows per chunk to read the usage file ``path`` with, or None to read it whole.

    ``chunk_rows``: ``"auto"`` (in chunks of :data:`~gcdb.scale.chunks.DEFAULT_CHUNK_ROWS` from
    :data:`AUTO_CHUNK_ROWS` estimated records on, :func:`estimated_rows`), a number of rows, or None (whole).
    """
    if chunk_rows is None:
        return None
    if isinstance(chunk_rows, str):
        if chunk_rows != "auto":
            raise UsageError(Message("scale.chunk_rows", value=repr(chunk_rows)))
        return DEFAULT_CHUNK_ROWS if estimated_rows(path) >= AUTO_CHUNK_ROWS else None
    return check_chunk_rows(chunk_rows)


class _Vocabulary:
    """The distinct values of one text column over every chunk, in order of first appearance."""

    def __init__(self) -> None:
        self.index = pd.Index([], dtype="str")

    def encode(self, values: pd.Series) -> np.ndarray:
        if isinstance(values.dtype, pd.CategoricalDtype):  # a reduced chunk's column: its codes as they are
            codes = values.cat.codes.to_numpy()
            uniques = pd.Index(values.cat.categories).astype("str")
        else:
            codes, found = pd.factorize(values, use_na_sentinel=True)
            uniques = pd.Index(np.asarray(found, dtype=object)).astype("str")
        at = self.index.get_indexer(uniques)
        if (at < 0).any():
            self.index = self.index.append(uniques[at < 0])
            at = self.index.get_indexer(uniques)
        # the narrowest codes that hold the vocabulary (a byte for sex, two for neighbourhoods)
        lookup = np.append(at, -1).astype(np.min_scalar_type(-len(self.index) - 1))  # -1 (missing): the last
        return lookup[np.asarray(codes, dtype=np.int64)]

    def decode(self, codes: np.ndarray) -> pd.Categorical:
        """The values of ``codes`` (-1: missing) as a categorical column whose categories are sorted as text
        sorts: grouped, sorted and compared as the text itself, in a byte or two per row instead of the text."""
        return sorted_categorical(codes, self.index)


def _person_hashes(ids: pd.Series) -> tuple[pd.arrays.IntegerArray, np.ndarray]:
    """Two independent 64-bit hashes of each person id (the first missing where the id is), computed on the ids'
    Arrow buffers (:func:`gcdb.scale.hashing.text_hashes`): no Python string per id."""
    (a, b), present = text_hashes(text_array(ids), _SEEDS)
    b[~present] = 0
    return pd.arrays.IntegerArray(a, ~present), b


def _own(values: Any) -> Any:
    """A column's values as one array of its own (numpy for numpy dtypes, else the extension array)."""
    return values.to_numpy() if isinstance(values, NumpyExtensionArray) else values


def _concat(pieces: list[Any]) -> Any:
    """Concatenate arrays of one column (numpy or extension; integer widths may differ between chunks)."""
    if len(pieces) == 1:
        return pieces[0]
    if all(isinstance(p, np.ndarray) for p in pieces):
        return np.concatenate(pieces)
    return _own(pd.concat([pd.Series(p, copy=False) for p in pieces], ignore_index=True).array)


def _compact(frame: pd.DataFrame, keep: Iterable[str], vocab: dict[str, _Vocabulary]) -> dict[str, Any]:
    """The columns that are counted, each as an array of its own: text as vocabulary codes, the person as two
    hashes, integers in their narrowest type, weight and quantity."""
    if C.SERVICE_CODE not in frame.columns or C.PERSON_ID not in frame.columns:
        raise UsageError(
            Message(
                "scale.no_column",
                missing=repr([C.SERVICE_CODE, C.PERSON_ID]),
                present=repr(list(frame.columns)),
            )
        )
    keep = set(keep)
    out: dict[str, Any] = {}
    for name in frame.columns:
        if name in (C.QUANTITY, USES_WEIGHT, _HASH_B) or (name in RECORD_LEVEL and name not in keep):
            continue
        col = frame[name]
        if name == C.PERSON_ID:
            if _HASH_B in frame.columns:  # already hashed (a reduced chunk)
                out[name], out[_HASH_B] = col.array, frame[_HASH_B].to_numpy(dtype=np.uint64)
            else:
                out[name], out[_HASH_B] = _person_hashes(col)
        elif pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_datetime64_any_dtype(col.dtype):
            out[name] = _narrow(_own(col.array))
        else:
            out[name] = vocab.setdefault(name, _Vocabulary()).encode(col)
    if C.FISCAL_YEAR not in frame.columns and C.DATE in frame.columns:
        out[C.FISCAL_YEAR] = _narrow(pd.to_datetime(frame[C.DATE]).dt.year.astype("Int64").array)
    out[USES_WEIGHT] = (
        _narrow(frame[USES_WEIGHT].to_numpy(dtype=np.int64))
        if USES_WEIGHT in frame.columns
        else np.ones(len(frame), dtype=np.int8)
    )
    if C.QUANTITY in frame.columns:
        q = pd.to_numeric(frame[C.QUANTITY], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        out[C.QUANTITY] = np.where(np.isfinite(q), q, 0.0)
    return out


def reduce_chunk(frame: pd.DataFrame, keep: Iterable[str] = ()) -> pd.DataFrame:
    """One chunk of validated usage records as weighted distinct rows: text columns as categoricals (categories
    sorted as text), the person as two
    64-bit hashes (``person_id`` and ``_person_b``; the ids themselves are dropped), :data:`USES_WEIGHT` and
    summed ``quantity``. Stateless and picklable: it runs where the chunk was read and validated (a worker
    process, a Dask worker); :func:`usage_pairs` combines the chunks' rows."""
    vocab: dict[str, _Vocabulary] = {}
    reduced = _Reducer._reduce(_compact(frame, keep, vocab), set(vocab))
    for name, words in vocab.items():
        reduced[name] = words.decode(reduced[name])
    return pd.DataFrame(reduced, copy=False)


class _Reducer:
    """Combines the weighted distinct rows of chunks (text columns coded by one vocabulary per column).

    Rows are held as one array per column (``dict``), never as frames: pandas would gather columns of one
    type into shared blocks, which are freed only with their last column; arrays of their own are freed one
    by one while :meth:`result` builds the output, so the rows are never held twice over.
    """

    def __init__(self, keep: Iterable[str] = (), threads: int = 1):
        self.keep = set(keep)
        self.threads = threads  # for the last combination of the partitions (each on its own)
        self.vocab: dict[str, _Vocabulary] = {}
        self.columns: list[str] | None = None
        # rows are split by person into partitions, each combined on its own: a person's rows all meet in one
        # partition, and re-reducing a partition costs a sixteenth of re-reducing everything
        self.done: list[dict[str, Any] | None] = [None] * _PARTITIONS
        self.pending: list[list[dict[str, Any]]] = [[] for _ in range(_PARTITIONS)]
        self.pending_rows = [0] * _PARTITIONS
        self.records = 0
        self.quantity = False

    @staticmethod
    def _reduce_by_columns(cols: dict[str, Any], keys: list[str], values: list[str]) -> dict[str, Any]:
        """:meth:`_reduce` by grouping on every key column (cells too many to fold into one integer)."""
        frame = pd.DataFrame(cols, copy=False)
        out = frame.groupby(keys, dropna=False, observed=True, sort=False)[values].sum().reset_index()
        out = out.astype({k: frame[k].dtype for k in keys})
        return {c: _own(out[c].array).copy() for c in out.columns}

    @staticmethod
    def _reduce(cols: dict[str, Any], coded: set[str]) -> dict[str, Any]:
        """One row per distinct (cell, person): the cell's columns folded into one integer first, so the rows
        are grouped by three integer columns instead of a dozen."""
        values = [c for c in (USES_WEIGHT, C.QUANTITY) if c in cols]
        keys = [c for c in cols if c not in values]
        person = cols[C.PERSON_ID]
        # the cell folded column by column (Horner: what ``np.ravel_multi_index`` gives, with one working
        # array instead of one int64 array per column)
        cell = np.asarray(person.isna(), dtype=np.int64)
        cells = 2.0
        for name in keys:
            if name in (C.PERSON_ID, _HASH_B):
                continue
            col = cols[name]
            if name in coded:  # vocabulary codes, -1 for missing
                codes = np.asarray(col, dtype=np.int64) + 1
                size = int(codes.max()) + 1 if len(codes) else 1
            else:
                found, uniques = pd.factorize(col, use_na_sentinel=True)
                codes, size = np.asarray(found, dtype=np.int64) + 1, len(uniques) + 1
            cells *= size
            if cells >= 2.0**62:  # too many cells to fold: every column
                return _Reducer._reduce_by_columns(cols, keys, values)
            cell *= size
            cell += codes
            del codes
        # groups numbered in order of first appearance (what ``groupby(sort=False).ngroup()`` numbers), from
        # one integer per (person, cell): the person's number times the cells, plus the cell's number
        persons, _ = _person_codes(person, cols[_HASH_B])
        cell_codes, cell_values = pd.factorize(cell)
        del cell
        key = persons * len(cell_values) + cell_codes
        ids, _ = pd.factorize(key)
        del key, persons, cell_codes
        n = int(ids.max()) + 1 if len(ids) else 0
        # groups are numbered as first seen, so the running maximum of the numbers rises exactly at each group's
        # first row: those rows, in group order
        first = np.flatnonzero(np.diff(np.maximum.accumulate(ids), prepend=-1) > 0)
        out = {name: cols[name].take(first) for name in keys}
        weights = np.bincount(ids, weights=np.asarray(cols[USES_WEIGHT], dtype=np.float64), minlength=n)
        out[USES_WEIGHT] = _narrow(weights.astype(np.int64))
        if C.QUANTITY in values:
            out[C.QUANTITY] = np.bincount(
                ids, weights=np.asarray(cols[C.QUANTITY], dtype=np.float64), minlength=n
            )
        return out

    def add(self, frame: pd.DataFrame) -> None:
        """Add a chunk: validated records, or their :func:`reduce_chunk` rows."""
        if not len(frame):
            return
        if _HASH_B not in frame.columns:
            frame = reduce_chunk(frame, self.keep)
        part = _compact(frame, self.keep, self.vocab)
        del frame
        self.records += int(np.asarray(part[USES_WEIGHT]).sum(dtype=np.int64))
        self.quantity = self.quantity or C.QUANTITY in part
        if self.columns is None:
            self.columns = [c for c in part if c not in (_HASH_B, USES_WEIGHT, C.QUANTITY)]
        person = part[C.PERSON_ID].to_numpy(dtype=np.uint64, na_value=0)
        partition = (person % np.uint64(_PARTITIONS)).astype(np.int64)
        order = np.argsort(partition, kind="stable")
        bounds = np.searchsorted(partition[order], np.arange(_PARTITIONS + 1))
        for p in range(_PARTITIONS):
            lo, hi = int(bounds[p]), int(bounds[p + 1])
            if hi > lo:  # each piece its own arrays: freed when its partition is combined, not with the chunk
                rows = order[lo:hi]
                self.pending[p].append({name: values.take(rows) for name, values in part.items()})
                self.pending_rows[p] += hi - lo
                done = self.done[p]
                if self.pending_rows[p] > max(_length(done) // 2, _COMBINE_ROWS):
                    self._combine(p)

    def _combine(self, p: int) -> None:
        if not self.pending[p]:  # nothing new since the last combination: its rows are distinct already
            return
        done = self.done[p]
        pieces = ([done] if done is not None else []) + self.pending[p]
        self.done[p], self.pending[p], self.pending_rows[p] = None, [], 0
        if pieces:
            names = list(pieces[0])
            if any(list(piece) != names for piece in pieces):  # chunks that differ in columns: as frames
                frame = pd.concat([pd.DataFrame(piece, copy=False) for piece in pieces], ignore_index=True)
                cols = {c: _own(frame[c].array).copy() for c in frame.columns}
                del frame
            else:
                cols = {name: _concat([piece.pop(name) for piece in pieces]) for name in names}
            del pieces
            self.done[p] = self._reduce(cols, set(self.vocab))

    def result(self) -> pd.DataFrame | None:
        def last(p: int) -> None:
            self._combine(p)
            release_memory()  # each partition's pending pieces back to the system before the next grows

        # partitions are combined on their own: in threads, the hash tables of pandas' factorize release the GIL
        thread_map(last, range(_PARTITIONS), threads=self.threads)
        parts = [d for d in self.done if d is not None]
        self.done = [None] * _PARTITIONS
        if not parts:
            return None

        release_memory()

        def gather(name: str) -> Any:  # one column of every partition, each partition's array freed
            joined = _concat([d.pop(name) for d in parts])
            release_memory()  # the partitions' arrays of this column back to the system before the next
            return joined

        def column(name: str) -> Any:
            if name == C.PERSON_ID:
                return _partitioned_person_numbers(parts)
            if name in self.vocab:
                return self.vocab[name].decode(gather(name))
            if name == C.QUANTITY:
                return np.asarray(gather(name), dtype=np.float64)
            return _narrow(gather(name))

        names = [n for n in self.columns or [] if n == C.PERSON_ID or n in self.vocab or n in parts[0]]
        names += [USES_WEIGHT, C.QUANTITY] if self.quantity else [USES_WEIGHT]
        # each column gathered on its own (its partitions' arrays freed as it goes): in threads, as many at once
        return pd.DataFrame(
            dict(zip(names, thread_map(column, names, threads=self.threads), strict=True)), copy=False
        )


def _length(columns: dict[str, Any] | None) -> int:
    return len(next(iter(columns.values()))) if columns else 0


def _partitioned_person_numbers(parts: list[dict[str, Any]]) -> pd.arrays.IntegerArray:
    """:func:`_person_numbers` of the partitions' rows in order, one partition at a time: a person's rows all
    lie in one partition, so numbering each on its own after the numbers of the ones before gives the numbers
    of the whole (order of first appearance) with a sixteenth of the working memory."""
    total = sum(_length(d) for d in parts)
    codes = np.zeros(total, dtype=np.int64)
    missing = np.zeros(total, dtype=bool)
    at = offset = 0
    for d in parts:
        part_codes, part_missing = _person_codes(d.pop(C.PERSON_ID), d.pop(_HASH_B))
        n = len(part_codes)
        codes[at : at + n] = np.where(part_missing, 0, part_codes + offset)
        missing[at : at + n] = part_missing
        offset += int(part_codes.max()) + 1 if n else 0
        at += n
    return _narrow(pd.arrays.IntegerArray(codes, missing))


def _person_codes(a: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    """Codes 0, 1, 2 … of the persons by their two hashes, in order of first appearance, and which are missing
    (a missing id takes a code of its own, hidden by the mask)."""
    missing = np.asarray(pd.isna(a), dtype=bool)
    first = a.to_numpy(dtype=np.uint64, na_value=0) if hasattr(a, "to_numpy") else np.asarray(a, np.uint64)
    codes, _ = pd.factorize(first)
    codes = np.asarray(codes, dtype=np.int64)
    second = np.asarray(b, dtype=np.uint64)
    # the first hash alone decides unless two persons share it (a row whose second hash differs from the one
    # another row of its number left): then both hashes together
    seen = np.zeros(int(codes.max()) + 1 if len(codes) else 0, dtype=np.uint64)
    seen[codes] = second
    if len(codes) and bool((seen[codes] != second).any()):
        codes, _ = pd.factorize(pd.MultiIndex.from_arrays([first, second]))
        codes = np.asarray(codes, dtype=np.int64)
    return codes, missing


def _person_numbers(a: Any, b: Any) -> pd.arrays.IntegerArray:
    """Number the persons 0, 1, 2 … by their two hashes (missing stays missing)."""
    codes, missing = _person_codes(a, b)
    return _narrow(pd.arrays.IntegerArray(np.where(missing, 0, codes), missing))


def _narrow(values: Any) -> Any:
    """Integer values (numpy or nullable) in the narrowest signed integer type that holds them — a year in 2
    bytes, an age in 1, a person number in 4 — so that every working copy of millions of weighted rows is
    smaller. Other values as they are."""
    nullable = isinstance(values, pd.arrays.IntegerArray)
    if not (nullable or (isinstance(values, np.ndarray) and values.dtype.kind == "i")) or not len(values):
        return values
    present = values.to_numpy(dtype=np.int64, na_value=0)[~values.isna()] if nullable else values
    low, high = (int(present.min()), int(present.max())) if len(present) else (0, 0)
    kind = next(
        t
        for t in (np.int8, np.int16, np.int32, np.int64)
        if np.iinfo(t).min <= low and high <= np.iinfo(t).max
    )
    if not nullable:
        return values.astype(kind)
    return pd.arrays.IntegerArray(values.to_numpy(dtype=np.int64, na_value=0).astype(kind), values.isna())


@dataclass(frozen=True, eq=False)
class UsagePairs:
    """Usage records as weighted distinct rows: ``pairs`` (a usage frame for
    :func:`gcdb.services.analyse_services`, :func:`gcdb.rules.tag` …), ``read`` (issues, quarantine and
    reconciliation of the file; None for frames), ``records`` (valid records represented) and ``chunks``."""

    pairs: pd.DataFrame
    read: ChunkedRead | None
    records: int
    chunks: int


def usage_pairs(
    frames: pd.DataFrame | Iterable[pd.DataFrame], *, keep: Iterable[str] = (), threads: int = 1
) -> UsagePairs:
    """Reduce canonical usage records (a frame, or an iterable of chunks) to weighted distinct rows.

    ``keep``: record-level columns (:data:`RECORD_LEVEL`) to keep because a rule or an indicator reads them.
    ``threads``: the last combination of the partitions in so many threads (same rows).
    """
    reducer = _Reducer(keep, threads=threads)
    chunks = 0
    template = None
    for frame in [frames] if isinstance(frames, pd.DataFrame) else frames:
        template = frame.iloc[:0] if template is None else template
        reducer.add(frame)
        chunks += 1
    pairs = reducer.result()
    if pairs is None:
        if template is None:
            raise UsageError(Message("scale.no_usage"))
        pairs = template.assign(**{USES_WEIGHT: pd.Series(dtype="int64")})
    return UsagePairs(pairs, None, reducer.records, chunks)


def usage_pairs_file(
    path: str | Path,
    *,
    keep: Iterable[str] = (),
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    executor: Any = None,
    keep_issues: int | None = None,
    **read_options: Any,
) -> UsagePairs:
    """Read a usage file chunk by chunk (validated as :func:`gcdb.read_usage` validates it, same options) and
    reduce it to weighted distinct rows.

    ``executor`` (:mod:`gcdb.scale.executors`: a local process pool, a Dask cluster): each chunk is validated and
    reduced (:func:`reduce_chunk`) by a worker; only its weighted rows come back. Same result without one.
    ``keep_issues``: keep only the first so many issues and every error, counting the others
    (:attr:`ChunkedRead.keep_issues`) — what a report that lists the first issues needs.
    """
    chunk_rows = check_chunk_rows(chunk_rows)
    tracker = ChunkedRead(keep_issues=keep_issues)
    reduce = functools.partial(_reduced_result, keep=tuple(keep))

    def frames() -> Iterator[pd.DataFrame]:
        chunks = read_usage_chunks(
            path,
            chunk_rows=chunk_rows,
            executor=executor,
            transform=reduce,
            keep_issues=keep_issues,
            **read_options,
        )
        for result in tracker.track(chunks):
            yield result.data
            release_memory()  # the chunk's records are gone: what stays resident is what the reducer holds

    threads = executor_workers(executor) if isinstance(executor, ThreadPoolExecutor) else 1
    out = usage_pairs(frames(), keep=keep, threads=threads)
    return UsagePairs(out.pairs, tracker.finish(), out.records, out.chunks)


def _reduced_result(result: ReadResult, keep: tuple[str, ...]) -> ReadResult:
    """A validated chunk with its records replaced by their weighted distinct rows (runs in the worker)."""
    return dataclasses.replace(
        result, data=reduce_chunk(result.data, keep) if len(result.data) else result.data
    )


def record_columns_read(ruleset: Any) -> tuple[str, ...]:
    """The record-level columns (:data:`RECORD_LEVEL`) a rule set's rules read (none for ``None``): what the
    weighted distinct records must keep for the rule set to tag them as it tags the records. Indicators read no
    record-level column (:mod:`gcdb.indicators.model`)."""
    if ruleset is None:
        return ()
    from gcdb.rules.compile import rule_columns

    read = {c for rule in ruleset.rules for c in rule_columns(rule)}
    return tuple(c for c in RECORD_LEVEL if c in read)
