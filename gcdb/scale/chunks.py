"""Read budget and usage files in chunks of rows, validated exactly as the in-memory readers validate them.

:func:`iter_raw_tables` yields the file as :class:`~gcdb.read.result.RawTable` chunks (text cells, row numbers of
the *source file*); :func:`read_chunks` (and :func:`read_usage_chunks`, :func:`read_budget_chunks`) runs each chunk
through :func:`gcdb.validate.validate_table` and yields one :class:`~gcdb.read.result.ReadResult` per chunk, whose
``issues``, ``quarantine`` and ``source_row`` carry the file's own row numbers. :class:`ChunkedRead` combines the
issues, quarantine, skipped rows and reconciliation of every chunk (``read == valid + quarantined + skipped``
over the whole file, summed in exact integers).

* **Parquet** is read by record batches (``pyarrow.parquet.ParquetFile.iter_batches``): memory is one batch.
* **CSV** is read with ``pandas.read_csv(chunksize=…)``. The encoding is decided as :mod:`gcdb.read.sniff`
  decides it — strict UTF-8 over the *whole* file, else Windows-1254 — by a streaming UTF-8 check (bytes in
  blocks, never the whole file in memory); the separator and the header row from the first lines.
* **Excel** workbooks are read whole (openpyxl) and then cut into chunks: they are small by construction.

With ``executor=`` (:mod:`gcdb.scale.executors`: a process pool, a Dask cluster), each chunk is validated in a
worker while this process reads the file on; results come back in file order, identical to a run without one.

What the in-memory reader decides over the whole file is decided over the whole file here too:

* the **decimal separator** of ambiguous numbers (``1.234``): unless ``decimal`` is given, a first streaming pass
  over the number columns collects the evidence of every chunk; a file that mixes ``,`` and ``.`` raises
  :class:`~gcdb.errors.UsageError` (pass ``decimal=``), because the in-memory reader would then let each
  column decide on its own values, which chunks cannot reproduce;
* **duplicate ids** (``record_id``; ``fiscal_year`` + ``line_id`` for budgets): a first streaming pass over the
  id columns (16 bytes per row, then only the repeated ids are kept) finds ids that repeat anywhere in the file;
  each chunk's validator is then shown the occurrences in other chunks as *ghost* rows, so every occurrence is
  quarantined with the in-memory message (``record id appears 2 times (rows 5, 270001)``), and the ghosts are
  removed from the chunk's result (``ids_across_chunks=False`` skips this pass for files known to be unique);
* a **file-level error** (missing or duplicate column, personal data found in any chunk) raises
  :class:`~gcdb.errors.DataValidationError` carrying the issues table, ``strict`` or not.

Known differences: personal data found by *share* (T.C. kimlik numbers or names among a column's values) is
judged per chunk. A column over the threshold in the whole file is over it in some chunk, so every file the
in-memory reader refuses is refused; a file whose few such values crowd into one chunk may be refused too. And an
*unnamed, empty* column is dropped per chunk, so a column with no header that is empty in some chunks and not in
others shows in ``ignored_columns`` and in the quarantine only for the chunks where it holds values.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.errors import DataValidationError, IssueCode, UsageError, issues_frame
from gcdb.i18n import Message, current_lang, format_int, using
from gcdb.money import INT64_MAX
from gcdb.normalise import load_districts
from gcdb.read import readers as R
from gcdb.read.aliases import BUDGET, USAGE, map_headers
from gcdb.read.limits import resolve as resolve_limits
from gcdb.read.numbers import DECIMAL_COMMA, DECIMAL_POINT, MIXED, parse_integer, prepare_numbers
from gcdb.read.result import (
    RECONCILIATION_COLUMNS,
    ROWS,
    IssueViews,
    RawTable,
    ReadResult,
    reconciliation_frame,
    skipped_frame,
)
from gcdb.read.sniff import CP1254, UTF8, detect_separator
from gcdb.scale.executors import executor_workers
from gcdb.scale.hashing import combine_hashes, text_hashes
from gcdb.text import text_array
from gcdb.validate import _NUMBER_COLUMNS, validate_table

#: Default number of rows per chunk.
DEFAULT_CHUNK_ROWS = 250_000
_BLOCK = 1 << 24  # bytes per block of the streaming UTF-8 check
_HEAD_BYTES = 1 << 19  # bytes decoded to find the separator and the header row

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "ChunkedRead",
    "iter_raw_tables",
    "read_budget_chunks",
    "read_chunks",
    "read_usage_chunks",
]


def check_chunk_rows(chunk_rows: int) -> int:
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int | np.integer) or chunk_rows < 1:
        raise UsageError(Message("scale.chunk_rows", value=repr(chunk_rows)))
    return int(chunk_rows)


# ---------------------------------------------------------------------------------------------------------------
# raw chunks
# ---------------------------------------------------------------------------------------------------------------
def _shift(raw: RawTable, offset: int, header_row: int) -> RawTable:
    skipped = (
        raw.skipped.assign(row=raw.skipped["row"] + offset) if offset and len(raw.skipped) else raw.skipped
    )
    return dataclasses.replace(
        raw, source_row=raw.source_row + offset, header_row=header_row, skipped=skipped
    )


@dataclass(frozen=True)
class _ParquetPiece:
    """A chunk of a Parquet file as Arrow rows, made a :class:`RawTable` (text cells) by :meth:`raw` where it is
    validated — a worker thread, process or Dask worker — so that the reading thread only decodes the file."""

    table: Any  # pyarrow.Table
    name: str
    offset: int
    nullable_ints: frozenset[str]

    def raw(self) -> RawTable:
        frame = self.table.to_pandas()
        for name in self.nullable_ints & set(frame.columns):
            dtype = frame[name].dtype
            # numpy integers; nullable extension types keep their missing values
            if isinstance(dtype, np.dtype) and dtype.kind in "iu":
                frame[name] = frame[name].astype("float64")
        return _shift(R._frame_table(frame, self.name), self.offset, 1)


def _parquet_pieces(
    path: Path, chunk_rows: int, columns: list[str] | None
) -> Iterator[_ParquetPiece | RawTable]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for broken files
        raise R._file_error(
            path,
            IssueCode.FILE_UNREADABLE,
            Message("read.parquet_unreadable", error=f"{type(exc).__name__}: {exc}"),
        ) from None
    schema = pf.schema_arrow
    meta = pf.metadata
    # integer columns with a null anywhere become float64 when the whole file is read: do the same per batch
    nullable_ints = set()
    for j, name in enumerate(schema.names):
        if not pa.types.is_integer(schema.field(name).type):
            continue
        for g in range(meta.num_row_groups):
            stats = meta.row_group(g).column(j).statistics
            if stats is None or not stats.has_null_count or stats.null_count > 0:
                nullable_ints.add(name)
                break
    offset = 0
    emitted = False
    for table in _rebatch(pf.iter_batches(batch_size=chunk_rows, columns=columns), chunk_rows):
        yield _ParquetPiece(table, path.name, offset, frozenset(nullable_ints))
        offset += table.num_rows
        emitted = True
    if not emitted:  # no rows: one empty chunk with the header
        names = columns if columns is not None else schema.names
        frame = schema.empty_table().select(names).to_pandas()
        yield R._frame_table(frame, path.name)


def _rebatch(batches, chunk_rows: int):
    """Tables of exactly ``chunk_rows`` rows (the last one shorter) from record batches of any size (a batch
    never crosses a row group)."""
    import pyarrow as pa

    pending: list = []
    count = 0
    for batch in batches:
        pending.append(batch)
        count += batch.num_rows
        while count >= chunk_rows:
            table = pa.Table.from_batches(pending)
            yield table.slice(0, chunk_rows)
            rest = table.slice(chunk_rows)
            pending, count = rest.to_batches(), rest.num_rows
    if count:
        yield pa.Table.from_batches(pending)


def _detect_encoding(path: Path) -> str:
    """``utf-8-sig`` if the whole file is strict UTF-8, else ``cp1254`` (streamed in blocks)."""
    decoder = codecs.getincrementaldecoder(UTF8)(errors="strict")
    try:
        with path.open("rb") as fh:
            while block := fh.read(_BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return CP1254
    return UTF8


def _head_text(path: Path, encoding: str) -> str:
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)
    return text[1:] if text.startswith("\ufeff") else text


def _csv_chunks(
    path: Path, kind, aliases, encoding, sep, chunk_rows: int, columns: list[str] | None
) -> Iterator[RawTable]:
    if encoding is None:
        encoding = _detect_encoding(path)
    else:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise R._file_error(
                path, IssueCode.FILE_UNREADABLE, Message("read.unknown_encoding", encoding=repr(encoding))
            ) from None
    try:
        head = _head_text(path, encoding)
    except UnicodeDecodeError as exc:
        raise R._file_error(
            path,
            IssueCode.FILE_UNREADABLE,
            Message("scale.not_encoding", encoding=encoding, reason=exc.reason, byte=exc.start),
        ) from None
    if not head.strip():
        yield RawTable(frame=pd.DataFrame(), headers=(), source_row=np.zeros(0, np.int64), source=path.name)
        return
    separator = sep if sep is not None else detect_separator(head)
    lines = list(csv.reader(io.StringIO(R._head(head, R.HEADER_SEARCH_ROWS)), delimiter=separator))
    header_at = R._header_index([list(r) for r in lines], kind, aliases)
    usecols = None
    if columns is not None:
        header_line = lines[header_at] if header_at < len(lines) else []
        usecols = [j for j, h in enumerate(header_line) if h.strip() in set(columns)]
        if not usecols:
            return
    try:
        reader = pd.read_csv(
            path,
            sep=separator,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            skiprows=header_at,
            engine="c",
            encoding=encoding,
            encoding_errors="strict",
            chunksize=chunk_rows,
            usecols=usecols,
        )
        header_cells: list[object] | None = None
        consumed = 0
        with reader:
            size = chunk_rows + 1  # the first chunk also holds the header line
            while True:
                try:
                    cells = reader.get_chunk(size)
                except StopIteration:
                    break
                size = chunk_rows
                cells = cells.astype("str")
                cells.columns = pd.RangeIndex(cells.shape[1])
                if header_cells is None:
                    header_cells = cells.iloc[0].tolist()
                    cells = cells.iloc[1:]
                body = cells.reset_index(drop=True)
                body = body.where(body != "")
                raw = R._finish_table(
                    body,
                    header_cells,
                    first_data_row=header_at + 2,
                    source=path.name,
                    encoding=encoding,
                    separator=separator,
                    above=[R._blank_record(r) for r in lines[:header_at]] if consumed == 0 else None,
                )
                yield _shift(raw, consumed, header_at + 1)
                consumed += len(body)
    except pd.errors.ParserError as exc:
        raise R._file_error(
            path,
            IssueCode.FILE_UNREADABLE,
            Message("read.csv_split", separator=repr(separator), error=str(exc)),
        ) from None
    except pd.errors.EmptyDataError:
        yield RawTable(frame=pd.DataFrame(), headers=(), source_row=np.zeros(0, np.int64), source=path.name)
    except UnicodeDecodeError as exc:
        raise R._file_error(
            path,
            IssueCode.FILE_UNREADABLE,
            Message("scale.not_encoding", encoding=encoding, reason=exc.reason, byte=exc.start),
        ) from None


def iter_raw_tables(
    path: str | Path,
    *,
    kind: str | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    aliases: Mapping[str, str | None] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    columns: list[str] | None = None,
) -> Iterator[RawTable]:
    """Yield a .csv/.parquet(/.xlsx) file as :class:`RawTable` chunks of at most ``chunk_rows`` rows.

    Row numbers (``source_row``) are those of the whole file, as :func:`gcdb.read.read_table` numbers them.
    ``columns``: read only the columns with these headers (for a first pass over a few columns).
    """
    chunk_rows = check_chunk_rows(chunk_rows)
    for piece in _raw_pieces(Path(path), kind, chunk_rows, aliases, sheet, encoding, sep, columns):
        yield piece.raw() if isinstance(piece, _ParquetPiece) else piece


def _raw_pieces(
    path: Path,
    kind: str | None,
    chunk_rows: int,
    aliases: Mapping[str, str | None] | None,
    sheet: str | int | None,
    encoding: str | None,
    sep: str | None,
    columns: list[str] | None = None,
) -> Iterator[_ParquetPiece | RawTable]:
    """:func:`iter_raw_tables`, with a Parquet file's chunks left as Arrow rows (:class:`_ParquetPiece`)."""
    if not path.exists():
        raise R._file_error(path, IssueCode.FILE_NOT_FOUND, Message("read.file_not_found"))
    if path.is_dir():
        raise R._file_error(path, IssueCode.FILE_UNREADABLE, Message("read.is_folder"))
    suffix = path.suffix.lower()
    if suffix in R.PARQUET_SUFFIXES:
        yield from _parquet_pieces(path, chunk_rows, columns)
    elif suffix in R.CSV_SUFFIXES:
        yield from _csv_chunks(path, kind, aliases, encoding, sep, chunk_rows, columns)
    else:  # Excel (or an unsupported type, which read_table reports)
        raw = R.read_table(path, kind=kind, aliases=aliases, sheet=sheet, encoding=encoding, sep=sep)
        n = len(raw.frame)
        for start in range(0, max(n, 1), chunk_rows):
            stop = min(start + chunk_rows, n)
            yield dataclasses.replace(
                raw,
                frame=raw.frame.iloc[start:stop].reset_index(drop=True),
                source_row=raw.source_row[start:stop],
                blank_rows=raw.blank_rows if start == 0 else 0,
            )


class _ReadOptions(TypedDict):
    """The options of :func:`iter_raw_tables` that every pass over a file shares."""

    aliases: Mapping[str, str | None] | None
    sheet: str | int | None
    encoding: str | None
    sep: str | None


# ---------------------------------------------------------------------------------------------------------------
# decimal separator over the whole file
# ---------------------------------------------------------------------------------------------------------------
def _file_decimal(path: Path, kind: str, aliases, sheet, encoding, sep, chunk_rows: int) -> str | None:
    """The decimal separator the in-memory reader would detect on the whole file (``None``: no evidence)."""
    first = next(
        iter_raw_tables(
            path, kind=kind, chunk_rows=1, aliases=aliases, sheet=sheet, encoding=encoding, sep=sep
        )
    )
    hmap = map_headers(first.headers, kind, aliases)
    wanted = [c for c in _NUMBER_COLUMNS[kind] if c in hmap.found]
    if not wanted:
        return None
    headers = [first.headers[hmap.found[c]] for c in wanted]
    if path.suffix.lower() in R.PARQUET_SUFFIXES:  # typed integers read as digits: they settle nothing
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pq.read_schema(path)
        headers = [h for h in headers if not pa.types.is_integer(schema.field(h).type)]
        if not headers:
            return None
    evidence: dict[str, set[str]] = {h: set() for h in headers}
    for raw in iter_raw_tables(
        path,
        kind=kind,
        chunk_rows=chunk_rows,
        aliases=aliases,
        sheet=sheet,
        encoding=encoding,
        sep=sep,
        columns=headers if path.suffix.lower() not in (".xlsx", ".xlsm") else None,
    ):
        for j, h in enumerate(raw.headers):
            if h not in evidence:
                continue
            text = raw.frame.iloc[:, j].astype("str").str.strip()
            found = prepare_numbers(text.where(text != "")).evidence
            if found is not None:
                evidence[h].add(found)
    per_column = set()
    for seen in evidence.values():
        if MIXED in seen or len(seen) > 1:
            per_column.add(MIXED)
        elif seen:
            per_column.add(seen.pop())
    if MIXED in per_column or len(per_column) > 1:
        raise UsageError(Message("scale.mixed_decimal", file=path.name, columns=", ".join(headers)))
    return per_column.pop() if per_column else None


# ---------------------------------------------------------------------------------------------------------------
# validated chunks
# ---------------------------------------------------------------------------------------------------------------
_ID_KEY = {USAGE: (C.RECORD_ID,), BUDGET: (C.FISCAL_YEAR, C.LINE_ID)}
_ID_SEED = 0x6763_6462_2D69_6473  # the hash of an id part (:func:`gcdb.scale.hashing.text_hashes`)


def _key_columns(raw: RawTable, kind: str, aliases, fiscal_year: int | None) -> list[tuple[str, int]]:
    """(canonical name, header position) of the id columns of ``raw`` (empty when an id column is missing)."""
    hmap = map_headers(raw.headers, kind, aliases)
    out = []
    for name in _ID_KEY[kind]:
        if name in hmap.found:
            out.append((name, hmap.found[name]))
        elif not (name == C.FISCAL_YEAR and fiscal_year is not None):
            return []
    return out


def _key_hashes(raw: RawTable, keys, decimal: str | None) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Per row of ``raw`` with a complete id: its position, the hash of its *parsed* id, the parsed id as text.

    Parsed as the validator parses: ids are stripped text, the fiscal year a whole number.
    """
    parts = {}
    complete = np.ones(len(raw.frame), dtype=bool)
    for name, position in keys:
        text = raw.frame.iloc[:, position].astype("str").str.strip()
        text = text.where(text != "")
        if name == C.FISCAL_YEAR:
            parsed = parse_integer(prepare_numbers(text), decimal=decimal)
            complete &= parsed.ok
            text = pd.Series(parsed.values.astype("str"), dtype="str").where(parsed.ok)
        complete &= text.notna().to_numpy()
        parts[name] = text.reset_index(drop=True)
    frame = pd.DataFrame(parts)[complete].reset_index(drop=True)
    # one hash of each id part (complete rows only: no missing value), combined
    hashes = combine_hashes(
        [text_hashes(text_array(frame[name]), (_ID_SEED,))[0][0] for name in frame.columns]
    )
    return np.flatnonzero(complete), hashes, frame


class _Duplicates:
    """Ids that repeat across chunks, found by a first pass over the id columns, and the *ghost* rows that let
    each chunk's validator see every other occurrence of its ids.

    A ghost row holds only the id (as parsed) and the file row of an occurrence in another chunk; it is put in
    its place among the chunk's rows, so the validator quarantines every occurrence with the in-memory message
    (``record id appears 3 times (rows 5, 70001, 250003)``); the ghosts and everything said about them are then
    removed from the chunk's result. Memory: 16 bytes per row during the first pass, then only the repeated ids.
    """

    def __init__(self, hashes: np.ndarray, rows: np.ndarray):
        order = np.lexsort((rows, hashes))
        hashes, rows = hashes[order], rows[order]
        repeated = np.zeros(len(hashes), dtype=bool)
        repeated[1:] = hashes[1:] == hashes[:-1]
        repeated[:-1] |= repeated[1:]  # the first occurrence too
        self.hashes, self.rows = hashes[repeated], rows[repeated]

    def __bool__(self) -> bool:
        return bool(len(self.hashes))

    def ghosts(self, raw: RawTable, keys, decimal) -> tuple[RawTable, np.ndarray] | None:
        """``raw`` with ghost rows for the occurrences of its ids in other chunks, and the file rows of those
        ghosts (None: no ghost needed)."""
        positions, hashes, parsed = _key_hashes(raw, keys, decimal)
        at = np.searchsorted(self.hashes, hashes)
        found = self.hashes[np.minimum(at, len(self.hashes) - 1)] == hashes if len(self.hashes) else at < 0
        if not found.any():
            return None
        # every occurrence of those ids, minus the chunk's own rows
        wanted = np.unique(hashes[found])
        take = np.isin(self.hashes, wanted)
        occ_hash, occ_row = self.hashes[take], self.rows[take]
        other = ~np.isin(occ_row, raw.source_row)
        occ_hash, occ_row = occ_hash[other], occ_row[other]
        if not len(occ_row):
            return None
        first_of = pd.Series(np.arange(len(hashes))[found]).groupby(hashes[found]).first()
        source = parsed.iloc[first_of.reindex(occ_hash).to_numpy()].reset_index(drop=True)
        ghost = pd.DataFrame(
            {j: pd.Series([None] * len(occ_row), dtype="str") for j in range(raw.frame.shape[1])}
        )
        for name, position in keys:
            ghost[position] = source[name].to_numpy()
        frame = pd.concat([raw.frame.astype("str"), ghost], ignore_index=True)
        rows = np.concatenate([raw.source_row, occ_row])
        order = np.argsort(rows, kind="stable")
        return dataclasses.replace(
            raw, frame=frame.iloc[order].reset_index(drop=True), source_row=rows[order]
        ), occ_row

    @staticmethod
    def remove(result: ReadResult, ghost_rows: np.ndarray) -> ReadResult:
        """``result`` without the ghost rows: their issues, quarantine rows and count."""
        issues = result.issues[~result.issues[C.ISSUE_ROW].isin(ghost_rows).fillna(False).to_numpy(bool)]
        quarantine = result.quarantine[~result.quarantine[C.SOURCE_ROW].isin(ghost_rows).to_numpy()]
        rec = result.reconciliation.copy()
        at_rows = (rec["measure"] == ROWS).to_numpy()
        rec.loc[at_rows, "read"] -= len(ghost_rows)  # ghosts are quarantined, never skipped
        rec.loc[at_rows, "quarantined"] -= len(ghost_rows)
        return dataclasses.replace(
            result,
            issues=issues.reset_index(drop=True),
            quarantine=quarantine.reset_index(drop=True),
            reconciliation=rec,
        )


def _file_duplicates(
    path: Path, kind, read: _ReadOptions, chunk_rows, decimal, fiscal_year
) -> tuple[_Duplicates, list]:
    first = next(iter_raw_tables(path, kind=kind, chunk_rows=1, **read))
    keys = _key_columns(first, kind, read["aliases"], fiscal_year)
    if not keys:
        return _Duplicates(np.zeros(0, np.uint64), np.zeros(0, np.int64)), []
    headers = [first.headers[p] for _, p in keys]
    projected = path.suffix.lower() in R.PARQUET_SUFFIXES + R.CSV_SUFFIXES
    hashes, rows = [], []
    for raw in iter_raw_tables(
        path, kind=kind, chunk_rows=chunk_rows, columns=headers if projected else None, **read
    ):
        chunk_keys = _key_columns(raw, kind, read["aliases"], fiscal_year) if projected else keys
        if not chunk_keys:
            continue
        positions, h, _ = _key_hashes(raw, chunk_keys, decimal)
        hashes.append(h)
        rows.append(raw.source_row[positions])
    # the hash values that repeat, from one sorted copy (8 bytes a row); then only their occurrences are kept
    every = np.concatenate(hashes) if hashes else np.zeros(0, np.uint64)
    every.sort()
    repeated = np.unique(every[1:][every[1:] == every[:-1]])
    del every
    kept_hashes, kept_rows = [np.zeros(0, np.uint64)], [np.zeros(0, np.int64)]
    for h, r in zip(hashes, rows, strict=True) if len(repeated) else ():
        mine = np.isin(h, repeated)
        kept_hashes.append(h[mine])
        kept_rows.append(r[mine])
    return _Duplicates(np.concatenate(kept_hashes), np.concatenate(kept_rows)), keys


def _validate_chunk(
    piece: RawTable | _ParquetPiece,
    duplicates: _Duplicates | None,
    keys: list,
    kind: str,
    lang: str,
    strict: bool,
    transform: Callable[[ReadResult], ReadResult] | None,
    options: dict[str, Any],
) -> ReadResult:
    """Validate one chunk in ``lang`` — made a raw table first if it is a Parquet piece, with ghost rows for its
    ids repeated in other chunks (``duplicates``, ``keys``) —, remove the ghosts, raise as :func:`read_chunks`
    raises, then apply ``transform``. Module-level, so a process pool or a Dask worker can run it; it needs
    nothing but its arguments."""
    with using(lang):
        raw = piece.raw() if isinstance(piece, _ParquetPiece) else piece
        ghosts = duplicates.ghosts(raw, keys, options["decimal"]) if duplicates else None
        raw, ghost_rows = ghosts if ghosts is not None else (raw, None)
        if ghost_rows is not None and options.get("issue_rows") is not None:
            # the ghosts' issues are removed afterwards: every issue is listed, so the first ones stay the first
            options = dict(options, issue_rows=None)
        result = validate_table(raw, kind, strict=False, **options)
        if ghost_rows is not None:
            result = _Duplicates.remove(result, ghost_rows)
        if result.refused:
            raise DataValidationError(Message("scale.refused", summary=result.summary()), result.issues)
        if strict and not result.ok:
            raise DataValidationError(result.summary(), result.issues)
        return transform(result) if transform is not None else result


def _in_file_order(executor: Executor, jobs: Iterable[tuple[Any, ...]]) -> Iterator[ReadResult]:
    """Submit ``_validate_chunk(*job)`` for each job and yield the results in the order of the jobs (an error is
    raised at its chunk; the chunks after it are cancelled). In flight at a time: a thread pool's workers and one
    more chunk (threads share this process's memory; one waiting chunk keeps them busy), twice the workers of
    any other executor (processes and cluster workers receive their chunks through a queue)."""
    workers = executor_workers(executor)
    limit = workers + 1 if isinstance(executor, ThreadPoolExecutor) else 2 * workers
    pending: deque[Future[ReadResult]] = deque()
    try:
        for job in jobs:
            pending.append(executor.submit(_validate_chunk, *job))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def read_chunks(
    kind: str,
    path: str | Path,
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    strict: bool = False,
    aliases: Mapping[str, str | None] | None = None,
    decimal: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    ids_across_chunks: bool = True,
    executor: Executor | None = None,
    transform: Callable[[ReadResult], ReadResult] | None = None,
    keep_issues: int | None = None,
    **options,
) -> Iterator[ReadResult]:
    """Yield one validated :class:`ReadResult` per chunk of a ``kind`` (``"usage"``/``"budget"``) file.

    ``options`` are those of :func:`gcdb.validate.validate_table` (``districts``, ``age_bands``, ``fiscal_year``,
    ``money_unit`` …). ``strict=True`` raises :class:`DataValidationError` at the first chunk with an error.
    ``ids_across_chunks``: find ids repeated across chunks by a first pass over the id columns and quarantine
    them as the in-memory reader does (``False`` skips the pass, for files known to have unique ids: repeats in
    different chunks then pass unseen). See the module docstring for what is decided over the whole file.

    ``executor`` (:mod:`gcdb.scale.executors`: :func:`~gcdb.scale.executors.thread_executor`,
    :func:`~gcdb.scale.executors.local_executor`, :func:`~gcdb.scale.executors.dask_executor`, or any
    :class:`concurrent.futures.Executor`): validate the chunks in its workers while this process reads the file
    on — a bounded number of chunks at a time (a thread pool's workers and one more, twice the workers of another
    executor) — and yield them in file order. The results, and the errors raised, are those of a run without an executor.
    ``transform``: a function applied to each chunk's :class:`ReadResult` after validation (in the worker, so
    that only what it returns travels back), e.g. one that reduces ``data`` to what the caller needs; it must be
    picklable (a module-level function, or a :func:`functools.partial` of one) when an executor is given.
    :class:`ChunkedRead` counts valid rows from the reconciliation, so a ``transform`` may shrink ``data``.
    ``keep_issues``: each chunk lists only its first so many issues and every error, and counts them all
    (:attr:`ReadResult.issues_total`): what a :class:`ChunkedRead` with the same ``keep_issues`` keeps, without
    building the rows of a warning on every record.
    """
    chunk_rows = check_chunk_rows(chunk_rows)
    if kind not in (USAGE, BUDGET):
        raise UsageError(Message("scale.kind", kind=repr(kind)))
    if decimal not in (None, DECIMAL_COMMA, DECIMAL_POINT):
        raise UsageError(Message("read.number.decimal_arg", decimal=repr(decimal)))
    path = Path(path)
    # what validate_table would look up in every chunk (the environment, a district file) is looked up once,
    # here: a worker process, or a Dask worker on another machine, may not see the same environment or files
    options["limits"] = resolve_limits(options.get("limits"))
    districts = options.get("districts")
    if kind != BUDGET and districts is not None and not isinstance(districts, bool):
        options["districts"] = load_districts(districts)
    if encoding is None and path.suffix.lower() in R.CSV_SUFFIXES and path.is_file():
        encoding = _detect_encoding(path)  # once, not once per pass over the file
    read = _ReadOptions(aliases=aliases, sheet=sheet, encoding=encoding, sep=sep)
    if decimal is None:
        decimal = _file_decimal(path, kind, chunk_rows=chunk_rows, **read)
    duplicates, keys = (
        _file_duplicates(path, kind, read, chunk_rows, decimal, options.get("fiscal_year"))
        if ids_across_chunks
        else (None, [])
    )
    options.update(aliases=aliases, decimal=decimal, issue_rows=keep_issues)

    def jobs() -> Iterator[tuple[Any, ...]]:
        # a Parquet chunk travels as Arrow rows: made text, and checked for repeated ids, by its worker
        for piece in _raw_pieces(path, kind, chunk_rows, **read):
            yield piece, duplicates or None, keys, kind, current_lang(), strict, transform, options

    if executor is None:
        for job in jobs():
            yield _validate_chunk(*job)
    else:
        yield from _in_file_order(executor, jobs())


def read_usage_chunks(
    path: str | Path,
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    executor: Executor | None = None,
    transform: Callable[[ReadResult], ReadResult] | None = None,
    **options,
) -> Iterator[ReadResult]:
    """:func:`gcdb.read_usage` in chunks: one validated :class:`ReadResult` per chunk (same options; ``executor``,
    ``transform`` and ``keep_issues`` as in :func:`read_chunks`)."""
    return read_chunks(USAGE, path, chunk_rows=chunk_rows, executor=executor, transform=transform, **options)


def read_budget_chunks(
    path: str | Path,
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    executor: Executor | None = None,
    transform: Callable[[ReadResult], ReadResult] | None = None,
    **options,
) -> Iterator[ReadResult]:
    """:func:`gcdb.read_budget` in chunks: one validated :class:`ReadResult` per chunk (same options; ``executor``,
    ``transform`` and ``keep_issues`` as in :func:`read_chunks`)."""
    return read_chunks(BUDGET, path, chunk_rows=chunk_rows, executor=executor, transform=transform, **options)


# ---------------------------------------------------------------------------------------------------------------
# combining the chunks' issues, quarantine and reconciliation
# ---------------------------------------------------------------------------------------------------------------
#: Issue columns whose texts repeat from row to row: held as categories in a file read in chunks.
_REPEATED = (C.ISSUE_FILE, C.ISSUE_COLUMN, C.ISSUE_CODE, C.ISSUE_SEVERITY, C.ISSUE_MESSAGE)


def compact_issues(issues: pd.DataFrame) -> pd.DataFrame:
    """``issues`` with the texts that repeat (file, column, code, severity, message) as categories, the values
    too when they repeat (a neighbourhood name warned about on many rows), and row numbers in 4 bytes: a file
    with a warning on every row holds about 11 bytes per issue instead of 224."""
    repeated = [c for c in _REPEATED if c in issues.columns]
    if C.ISSUE_VALUE in issues.columns and len(issues) >= 64:
        if issues[C.ISSUE_VALUE].nunique(dropna=True) * 4 <= len(issues):
            repeated.append(C.ISSUE_VALUE)
    types: dict[str, str] = {c: "category" for c in repeated}
    if C.ISSUE_ROW in issues.columns and len(issues):
        rows = pd.to_numeric(issues[C.ISSUE_ROW], errors="coerce")
        if pd.api.types.is_integer_dtype(rows.dtype) and not (rows.max(skipna=True) >= 2**31):
            types[C.ISSUE_ROW] = "Int32"  # a row number of a file below 2³¹ rows
    return issues.astype(types)


def concat_issues(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate issue tables, keeping categorical columns categorical (their categories united). Column by
    column, and ``parts`` is emptied: each column of the parts goes as soon as it is joined, so tens of millions
    of issues are never held twice over."""
    if len(parts) == 1:
        return parts.pop().reset_index(drop=True)
    from pandas.api.types import union_categoricals

    columns = {col: [p[col] for p in parts] for col in parts[0].columns}
    parts.clear()
    out = {}
    for col in list(columns):
        pieces = columns.pop(col)
        if all(isinstance(x.dtype, pd.CategoricalDtype) for x in pieces):
            out[col] = pd.Series(union_categoricals(pieces, ignore_order=True))
        else:
            out[col] = pd.concat(pieces, ignore_index=True)
        del pieces
    return pd.DataFrame(out, copy=False)


@dataclass(eq=False)
class ChunkedRead(IssueViews):
    """The read outcome of a whole file read in chunks: what :class:`ReadResult` holds, without ``data``.

    ``issues``, ``quarantine`` and ``reconciliation`` equal those of the in-memory reader (issues in file order;
    the texts that repeat — file, column, code, severity, message — as categories, :func:`compact_issues`);
    ``valid_rows`` counts the rows that went on to the analysis; ``chunks`` the chunks read.
    """

    kind: str = ""
    source: str = ""
    issues: pd.DataFrame = field(default_factory=issues_frame)
    quarantine: pd.DataFrame = field(default_factory=pd.DataFrame)
    reconciliation: pd.DataFrame = field(default_factory=pd.DataFrame)
    columns_map: dict[str, str] = field(default_factory=dict)
    ignored_columns: tuple[str, ...] = ()
    header_row: int = 1
    blank_rows: int = 0
    skipped: pd.DataFrame = field(default_factory=skipped_frame)
    chunks: int = 0
    valid_rows: int = 0
    #: keep only the first ``keep_issues`` issues (file order) and every error, counting the others
    #: (:attr:`issues_total`): a report lists a few thousand, a file with a warning on each of 50 M records
    #: would hold half a gigabyte of them. None: every issue.
    keep_issues: int | None = None
    issues_total: int = 0  # issues found in the file, kept or not
    _issues: list[pd.DataFrame] = field(default_factory=list, repr=False)
    _quarantine: list[pd.DataFrame] = field(default_factory=list, repr=False)
    _reconciliation: list[pd.DataFrame] = field(default_factory=list, repr=False)
    _skipped: list[pd.DataFrame] = field(default_factory=list, repr=False)

    def add(self, result: ReadResult) -> ReadResult:
        """Record one chunk's outcome; returns ``result`` (so it can wrap an iterator)."""
        if not self.chunks:
            self.kind, self.source, self.header_row = result.kind, result.source, result.header_row
            self.columns_map = dict(result.columns_map)
        self.chunks += 1
        self.valid_rows += _valid_rows(result.reconciliation)
        self.blank_rows += result.blank_rows
        self.ignored_columns = tuple(dict.fromkeys((*self.ignored_columns, *result.ignored_columns)))
        kept = self._kept(result.issues)
        if len(kept):
            self._issues.append(compact_issues(kept))
        self.issues_total += result.issues_found
        if len(result.quarantine) or not self._quarantine:
            self._quarantine.append(result.quarantine)
        self._reconciliation.append(result.reconciliation)
        if len(result.skipped):
            self._skipped.append(result.skipped)
        return result

    def _kept(self, issues: pd.DataFrame) -> pd.DataFrame:
        """A chunk's issues that :attr:`keep_issues` keeps: those before the limit, and every error."""
        if self.keep_issues is None:
            return issues
        keep = self.issues_total + np.arange(len(issues)) < self.keep_issues
        keep |= (issues[C.ISSUE_SEVERITY] == C.ERROR).to_numpy(dtype=bool)
        return issues if keep.all() else issues[keep].reset_index(drop=True)

    @property
    def issues_found(self) -> int:
        """Issues found in the file, kept or not."""
        return max(self.issues_total, len(self.issues))

    @property
    def warnings_total(self) -> int:
        """Warnings found in the file, kept or not (every error is kept)."""
        return self.issues_found - len(self.errors)

    def track(self, results: Iterable[ReadResult]) -> Iterator[ReadResult]:
        """Pass ``results`` through, recording each; call :meth:`finish` afterwards."""
        for result in results:
            yield self.add(result)

    def finish(self) -> ChunkedRead:
        """Concatenate what was recorded."""
        # concat_issues empties the list: each part's column goes as soon as it is joined
        self.issues = concat_issues(self._issues) if self._issues else compact_issues(issues_frame())
        nonempty = [q for q in self._quarantine if len(q)]
        if nonempty:
            self.quarantine = pd.concat(nonempty, ignore_index=True)
        elif self._quarantine:
            self.quarantine = self._quarantine[0]
        if self._reconciliation:
            self.reconciliation = _sum_reconciliations(self._reconciliation, self.source)
        if self._skipped:
            self.skipped = pd.concat(self._skipped, ignore_index=True).sort_values("row", kind="stable")
            self.skipped = self.skipped.reset_index(drop=True)
        self._issues, self._quarantine, self._reconciliation, self._skipped = [], [], [], []
        return self

    def summary(self) -> str:
        """One line in the current language: rows read, chunks, valid, quarantined, errors, warnings."""
        rows = (
            self.reconciliation[self.reconciliation["measure"] == ROWS] if len(self.reconciliation) else None
        )
        read = int(rows["read"].iloc[0]) if rows is not None and len(rows) else 0
        from gcdb.i18n import optional

        return Message(
            "scale.summary",
            source=self.source,
            read=format_int(read),
            kind=optional(f"read.kind.{self.kind}", self.kind),
            chunks=format_int(self.chunks),
            valid=format_int(self.valid_rows),
            quarantined=format_int(len(self.quarantine)),
            errors=format_int(len(self.errors)),
            warnings=format_int(self.warnings_total),
        )


def _valid_rows(reconciliation: pd.DataFrame) -> int:
    """The valid rows of a chunk, from its reconciliation (``len(data)`` before any ``transform``)."""
    rows = reconciliation.loc[reconciliation["measure"] == ROWS, "valid"]
    return int(rows.iloc[0]) if len(rows) else 0


def _sum_reconciliations(parts: list[pd.DataFrame], source: str) -> pd.DataFrame:
    """The chunks' reconciliations added up per measure in exact integers (``read == valid + quarantined +
    skipped`` holds for the sum because it holds for every part); a total beyond int64 is an error."""
    totals: dict[str, list[int]] = {}
    for part in parts:
        for rec in part.to_dict("records"):
            acc = totals.setdefault(rec["measure"], [0, 0, 0, 0])
            for i, name in enumerate(RECONCILIATION_COLUMNS[1:]):
                acc[i] += int(rec.get(name, 0))
    rows = []
    for measure, values in totals.items():
        if any(abs(v) > INT64_MAX for v in values):
            raise DataValidationError(
                Message(
                    "validate.total_overflow",
                    source=source,
                    name=measure,
                    total=format_int(values[0]),
                    limit=format_int(INT64_MAX),
                )
            )
        rows.append((measure, *values))
    return reconciliation_frame(rows)
