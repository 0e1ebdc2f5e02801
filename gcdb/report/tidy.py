"""Every report table also as tidy CSV and Parquet files, for other tools (open-data portals, R, BI software).

Conventions (the same for every gcdb output directory):

* one file per table, named after its key (``actions.csv``, ``actions.parquet``); keys are folded to
  ``[a-z0-9_-]`` (``"İlçe Oranları"`` → ``ilce_oranlari``);
* canonical English column names (:mod:`gcdb.columns`), never the Turkish report labels;
* CSV is plain UTF-8 without BOM, ``,`` separated, ``.`` decimals, no thousands separators, ``\\n`` line ends,
  ISO 8601 dates (``2024-03-31``, or ``2024-03-31T08:30:00`` when a column has times), missing values empty,
  floats written with the shortest text that reads back to the same number — a file for programs; people open
  the workbook (a CSV opened in Turkish Excel needs "Data → From Text" with UTF-8 and ``,``);
* money columns stay **integer kuruş** (``int64``), exactly as in gcdb's frames: divide by 100 for lira;
* suppressed values are whatever the frame holds (the equality analysis publishes them as missing plus a flag
  column) — tidy output never writes ``<5`` into a number column;
* Parquet via pyarrow, snappy-compressed, no index unless the frame has a meaningful one (it becomes columns);
* deterministic: the same tables give byte-identical files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

import pandas as pd

from gcdb.errors import UsageError
from gcdb.text import fold

FORMATS: Final = ("csv", "parquet")
_NOT_SAFE = re.compile(r"[^a-z0-9_-]+")


def tidy_name(key: str) -> str:
    """File stem for a table key: Turkish-folded, lower case, ``[a-z0-9_-]`` only."""
    stem = _NOT_SAFE.sub("_", fold(str(key))).strip("_")
    if not stem:
        raise UsageError(f"table name {key!r} gives an empty file name")
    return stem


def _prepared(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise UsageError(f"table {name!r} is a {type(frame).__name__}, not a DataFrame")
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()
    else:
        frame = frame.reset_index(drop=True)
    names = [str(c) for c in frame.columns]
    if len(set(names)) != len(names):
        dupes = sorted({c for c in names if names.count(c) > 1})
        raise UsageError(f"table {name!r} has duplicate column names: {', '.join(dupes)}")
    return frame.set_axis(names, axis=1)


def _csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO 8601 text; everything else as pandas writes it."""
    out = {}
    for col in frame.columns:
        series = frame[col]
        if pd.api.types.is_datetime64_any_dtype(series):
            values = series.dt.tz_convert("UTC").dt.tz_localize(None) if series.dt.tz is not None else series
            has_time = bool((values.dropna() != values.dropna().dt.normalize()).any())
            pattern = "%Y-%m-%dT%H:%M:%S" if has_time else "%Y-%m-%d"
            text = values.dt.strftime(pattern)
            if series.dt.tz is not None and has_time:
                text = text + "Z"
            out[col] = text
        else:
            out[col] = series
    return pd.DataFrame(out, index=frame.index)


def write_tidy(
    tables: Mapping[str, pd.DataFrame],
    directory: str | os.PathLike,
    formats: Sequence[str] = FORMATS,
    *,
    csv_dialect: str = "plain",
    lang: str = "tr",
    datapackage: bool = True,
) -> list[Path]:
    """Write each table as ``<name>.csv`` and/or ``<name>.parquet`` into ``directory``; return the table files
    written, in the order of ``tables`` then ``formats``.

    ``csv_dialect``: ``"plain"`` (the conventions above) or ``"excel-tr"`` (UTF-8 with BOM, ``;``, decimal comma,
    formula-safe text: Turkish Excel opens it on double-click), see :mod:`gcdb.datapackage`. ``datapackage``: also
    write ``datapackage.json`` describing the tables (types, units, keys; titles in ``lang``)."""
    from gcdb.datapackage import csv_dialect as _dialect
    from gcdb.datapackage import write_csv, write_datapackage

    dialect = _dialect(csv_dialect)
    formats = tuple(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(
            f"formats must be among {', '.join(FORMATS)}, got {', '.join(map(repr, formats)) or 'none'}"
        )
    stems: dict[str, str] = {}
    for key in tables:
        stem = tidy_name(key)
        if stem in stems:
            raise UsageError(f"tables {stems[stem]!r} and {key!r} would both be written as {stem!r}")
        stems[stem] = key
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    described: dict[str, pd.DataFrame] = {}
    for stem, key in stems.items():
        frame = described[stem] = _prepared(key, tables[key])
        for fmt in formats:
            path = target / f"{stem}.{fmt}"
            if fmt == "csv":
                write_csv(_csv_frame(frame), path, dialect)
            else:
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pandas(frame, preserve_index=False)
                pq.write_table(table, path, compression="snappy")
            written.append(path)
    if datapackage:
        write_datapackage(target, described, formats=formats, csv_dialect=dialect, lang=lang)
    return written


def render_tidy(report, directory: str | os.PathLike, formats: Sequence[str] = FORMATS) -> list[Path]:
    """The tidy-table renderer of a :class:`~gcdb.report.model.Report`: every table that names a ``tidy`` file,
    its shown columns under their canonical names with the frame's values (money in integer kuruş, no labels,
    no ``<k`` marks: hidden cells are left empty), written by :func:`write_tidy`."""
    import numpy as np

    tables = {}
    for table in report.tables():
        if not table.tidy:
            continue
        frame = table.frame.reset_index(drop=True)[[c.name for c in table.columns]].copy()
        for name, kinds in table.hidden.items():
            if name in frame.columns:
                shown = np.asarray(kinds, dtype=object) == ""
                frame[name] = frame[name].where(shown)
        tables[table.tidy] = frame
    return write_tidy(tables, directory, formats)
