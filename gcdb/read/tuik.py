"""TÜİK population tables (Adrese Dayalı Nüfus Kayıt Sistemi, ADNKS) as TÜİK publishes them.

Two shapes are read:

* **wide** — the tables of TÜİK's bulletins and MEDAS queries: title rows, a header ``İlçe | (Mahalle) | Yaş grubu
  | Toplam | Erkek | Kadın`` (any order, any of them spelled in capitals), one row per age band — five-year bands
  (``0-4`` … ``85-89``, ``90+``) or single years (``0``, ``1`` … ``90+``) —, the district (and neighbourhood)
  written once and left blank below, a ``Toplam`` row per area, the source line (``Kaynak: TÜİK, ADNKS``) at the
  end;
* **long** — the data portal's CSV: ``İkamet edilen yer ; Cinsiyet ; Yaş grubu ; Zaman ; Gözlem`` (``;``, a BOM,
  and ISO-8859-9 text that has often been through a program reading it as Latin-1: ``KadÃ½n``/``Kadýn`` are
  repaired to ``Kadın``). Places may be written ``İstanbul-Kadıköy`` or ``Kadıköy(İstanbul)``.

The counts are **regrouped** into the analysis' age bands (:class:`gcdb.columns.AgeBands`): a source band must lie
inside one target band (``60-64`` inside ``45-64``); one that straddles two (``60-69`` for ``45-64 | 65+``) cannot
be split and is reported (``unknown_age_band`` at its row). The result is validated like
:func:`gcdb.read_population` (districts, neighbourhoods, duplicates) and returned as a :class:`ReadResult` whose
``skipped`` lists the title, total, note, header and blank rows. ``reconciliation``: rows are the regrouped cells
plus the skipped rows; ``population`` is every count read, valid or not.

Disabled and migrant residents come from their own tables (same shapes): ``disabled=`` / ``migrants=`` join them
onto the cells with the same year, district, neighbourhood, sex and age band (:func:`join_counts`).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.errors import DataValidationError, IssueCode, concat_issues, issues_frame
from gcdb.i18n import Message, format_int, speaks, t
from gcdb.normalise import parse_age_band
from gcdb.read.aliases import POPULATION
from gcdb.read.grid import Grid, read_grid
from gcdb.read.numbers import parse_integer, prepare_numbers
from gcdb.read.result import RawTable, ReadResult, skipped_frame
from gcdb.text import fold, map_distinct

HEADER_SEARCH_ROWS = 40
WIDE, LONG = "wide", "long"
_SEX = {"erkek": C.MALE, "kadin": C.FEMALE, "toplam": "total", "e": C.MALE, "k": C.FEMALE}
_TOTAL = re.compile(r"^(?:genel )?toplam\b|^total\b|^istanbul$|^turkiye$")
_NOTE = re.compile(r"^(?:kaynak|not|notlar|source|\*|\(\d+\))\b")
#: Latin-1 readings of ISO-8859-9 letters (ı ş ğ İ Ş Ğ), and the UTF-8 bytes of those read as Latin-1 again.
_LATIN5 = str.maketrans({"ý": "ı", "þ": "ş", "ð": "ğ", "Ý": "İ", "Þ": "Ş", "Ð": "Ğ"})
_MOJIBAKE = re.compile("[ÃÄÅ][\u0080-\u00ff]")


def repair_text(text: str) -> str:
    """Undo the usual ways Turkish text is garbled on its way from TÜİK: UTF-8 bytes read as Latin-1
    (``KadÄ±n``) and ISO-8859-9 read as Latin-1 (``Kadýn``)."""
    if _MOJIBAKE.search(text):
        try:
            text = text.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    if any(ch in text for ch in "ýþðÝÞÐ"):
        text = text.translate(_LATIN5)
    return text


@dataclasses.dataclass(frozen=True)
class _Header:
    top: int
    shape: str  # WIDE or LONG
    district: int | None
    neighbourhood: int | None
    age: int
    year: int | None
    sexes: dict[int, str]  # wide: column → male/female/total
    sex: int | None  # long: the sex column
    value: int | None  # long: the count column


def _find_header(folded: pd.DataFrame) -> _Header | None:
    for top in range(min(len(folded), HEADER_SEARCH_ROWS)):
        # header cells are short ("Yaş grubu", "Erkek"); a title sentence naming them is not a header
        # (the grid's columns are positions 0, 1, …)
        cells = {
            cast(int, j): v for j, v in folded.iloc[top].items() if isinstance(v, str) and len(v.split()) <= 4
        }

        def col(*words: str, cells: dict = cells) -> int | None:
            return next((j for j, v in cells.items() if any(w in v for w in words)), None)

        age = col("yas")
        if age is None:
            continue
        sexes = {j: _SEX[v] for j, v in cells.items() if v in ("erkek", "kadin", "toplam")}
        district = col("ilce", "ikamet edilen yer", "yer", "il-ilce", "il/ilce")
        neighbourhood = col("mahalle", "koy")
        year = col("yil", "zaman", "donem")
        if {C.MALE, C.FEMALE} <= set(sexes.values()):
            return _Header(top, WIDE, district, neighbourhood, age, year, sexes, None, None)
        sex = col("cinsiyet")
        value = col("gozlem", "deger", "nufus", "sayi")
        if sex is not None and value is not None:
            return _Header(top, LONG, district, neighbourhood, age, year, {}, sex, value)
    return None


def _place(text: pd.Series) -> pd.Series:
    """``İstanbul-Kadıköy`` / ``Kadıköy(İstanbul)`` → ``Kadıköy`` (once per distinct value)."""
    pattern = re.compile(
        r"^\s*(?:İstanbul|ISTANBUL|İSTANBUL|Istanbul)\s*[-/,(]\s*|\s*[(/,-]\s*(?:İstanbul|İSTANBUL|Istanbul)\)?\s*$"
    )

    def strip(value: str) -> str:
        out = pattern.sub("", value).strip()
        return out.rstrip(")").strip() or value

    return map_distinct(text, strip)


def _band_bounds(labels: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Canonical label, lower and upper age (upper −1: open band ``90+``; lower −1: not an age band)."""

    def label(text: str) -> str | None:
        t = text.strip()
        if re.fullmatch(r"[0-9]{1,3}", t):
            return f"{int(t)}-{int(t)}"
        return parse_age_band(t)

    canonical = map_distinct(labels, label)
    parts = canonical.str.extract(r"^(\d+)(?:-(\d+)|(\+))$")
    lower = pd.to_numeric(parts[0]).fillna(-1).astype("int64").to_numpy()
    upper = pd.to_numeric(parts[1]).fillna(-1).astype("int64").to_numpy()
    return canonical, lower, upper


def regroup_labels(lower: np.ndarray, upper: np.ndarray, bands: C.AgeBands) -> tuple[np.ndarray, np.ndarray]:
    """Target band label of each source band, and whether it fits inside one target band."""
    edges = np.asarray(bands.edges)
    idx = np.searchsorted(edges, np.maximum(lower, 0), side="right") - 1
    nxt = np.append(edges[1:], 10**6)[idx]  # lower bound of the following band (open last band: none)
    last = idx == len(edges) - 1
    fits = (lower >= 0) & np.where(upper < 0, last, upper < nxt)
    labels = np.asarray(bands.labels, dtype=object)[idx]
    return labels, fits


@speaks
def read_tuik_population(
    path: str | Path,
    *,
    age_bands: C.AgeBands = C.DEFAULT_AGE_BANDS,
    fiscal_year: int | None = None,
    districts=None,
    neighbourhoods=None,
    disabled: str | Path | None = None,
    migrants: str | Path | None = None,
    strict: bool = False,
    sheet: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    lang: str | None = None,
) -> ReadResult:
    """Read a TÜİK ADNKS population table (wide or the portal's long CSV), regrouped into ``age_bands``.

    ``fiscal_year``: the year of a table without a year column (TÜİK's titles name it; gcdb does not guess).
    ``districts``/``neighbourhoods`` as in :func:`gcdb.read_population`. ``disabled``/``migrants``: tables of the
    same shape counting disabled / migrant residents, joined as ``disabled_population`` /
    ``migrant_population``. Raises :class:`~gcdb.errors.DataValidationError` when no TÜİK header is found, or
    (``strict=True``) on any error.
    """
    grid = read_grid(path, sheet=sheet, encoding=encoding, sep=sep)
    cells = pd.DataFrame({j: map_distinct(grid.cells[j], repair_text) for j in grid.cells.columns})
    grid = dataclasses.replace(grid, cells=cells)
    folded = grid.folded()
    header = _find_header(folded)
    if header is None:
        raise _error(grid, Message("read.tuik.no_header", rows=HEADER_SEARCH_ROWS))
    if header.district is None:
        raise _error(grid, Message("read.tuik.no_district"), grid.rows[header.top])
    result = _read(grid, folded, header, age_bands, fiscal_year, districts, neighbourhoods)
    for other, column in ((disabled, C.DISABLED_POPULATION), (migrants, C.MIGRANT_POPULATION)):
        if other is not None:
            counts = read_tuik_population(
                other,
                age_bands=age_bands,
                fiscal_year=fiscal_year,
                districts=districts,
                neighbourhoods=neighbourhoods,
                sheet=sheet,
                encoding=encoding,
                sep=sep,
            )
            result = dataclasses.replace(
                result,
                data=join_counts(result.data, counts.data, column),
                issues=concat_issues([result.issues, counts.issues]),
            )
    if strict and not result.ok:
        raise DataValidationError(result.summary(), result.issues)
    return result


def _error(grid: Grid, message: str, row=None) -> DataValidationError:
    issues = issues_frame(
        [
            {
                C.ISSUE_FILE: grid.source,
                C.ISSUE_ROW: None if row is None else int(row),
                C.ISSUE_COLUMN: "",
                C.ISSUE_CODE: str(IssueCode.MISSING_COLUMN),
                C.ISSUE_SEVERITY: C.ERROR,
                C.ISSUE_MESSAGE: message,
                C.ISSUE_VALUE: "",
            }
        ]
    )
    return DataValidationError(Message("read.file_where", path=grid.source, message=message), issues)


def _read(grid: Grid, folded: pd.DataFrame, header: _Header, bands, fiscal_year, districts, neighbourhoods):
    from gcdb.validate import validate_table

    assert header.district is not None  # a table without a district column was refused by the caller
    n = len(grid.cells)
    cells = grid.cells
    blank = grid.blank
    body = (np.arange(n) > header.top) & ~blank
    head_key = _key(folded, header.top)
    page_header = body & (_keys(folded) == head_key).to_numpy()
    age_text = cells[header.age].str.strip()
    canonical, lower, upper = _band_bounds(age_text.fillna(""))
    is_band = lower >= 0
    district_cell = folded[header.district].fillna("")
    first_cells = _keys(folded).str.replace("\x1f", " ", regex=False).str.strip()
    total = (
        body
        & ~page_header
        & (
            map_distinct(age_text, fold).fillna("").str.match(_TOTAL.pattern).to_numpy(dtype=bool)
            | district_cell.str.match(_TOTAL.pattern).to_numpy(dtype=bool)
        )
    )
    note = body & ~page_header & first_cells.str.match(_NOTE.pattern).to_numpy(dtype=bool)
    if header.shape == LONG:
        sex_code = map_distinct(folded[header.sex], lambda v: _SEX.get(v))
        total |= body & ~page_header & (sex_code == "total").to_numpy()
    data = body & ~page_header & ~total & ~note & is_band
    reason = np.full(n, "", dtype=object)
    reason[blank] = "blank"
    reason[(np.arange(n) < header.top) & ~blank] = "title"
    reason[page_header] = "page_header"
    reason[body & ~page_header & total] = "total"
    reason[body & ~page_header & ~total & note] = "note"
    reason[body & ~page_header & ~total & ~note & ~is_band] = "title"
    counted = np.arange(n) != header.top
    skipped = skipped_frame(grid.rows[~data & counted], reason[~data & counted].astype(str))

    # places carried down: a district (neighbourhood) is written once above its rows
    written = pd.Series(np.where(data | total, True, False))
    district = _place(cells[header.district].where(written)).ffill()
    hood = None
    if header.neighbourhood is not None:
        group = cells[header.district].notna().cumsum()
        hood = cells[header.neighbourhood].where(written).groupby(group).ffill()
    year = None
    if header.year is not None:
        year = cells[header.year].str.strip().str.extract(r"((?:19|20)\d\d)")[0]

    # records: (row, sex, count text)
    if header.shape == WIDE:
        parts = [
            pd.DataFrame({"_row": np.flatnonzero(data), C.SEX: sex, "_count": cells[j].to_numpy()[data]})
            for j, sex in header.sexes.items()
            if sex != "total"
        ]
        records = pd.concat(parts, ignore_index=True)
    else:
        assert header.value is not None  # a long table has its count column
        records = pd.DataFrame(
            {
                "_row": np.flatnonzero(data),
                C.SEX: sex_code.to_numpy()[data],
                "_count": cells[header.value].to_numpy()[data],
            }
        )
    records["_count"] = records["_count"].astype("str")
    parsed = parse_integer(prepare_numbers(records["_count"]))
    records["_ok"] = parsed.ok
    records["_value"] = np.where(parsed.ok, parsed.values, 0)
    rows = records["_row"].to_numpy()
    label, fits = regroup_labels(lower[rows], upper[rows], bands)
    records[C.AGE_BAND] = np.where(fits, label, canonical.to_numpy(dtype=object)[rows])
    records[C.DISTRICT] = district.to_numpy(dtype=object)[rows]
    if hood is not None:
        records[C.NEIGHBOURHOOD] = hood.to_numpy(dtype=object)[rows]
    if year is not None:
        records[C.FISCAL_YEAR] = year.to_numpy(dtype=object)[rows]
    keys = [c for c in (C.FISCAL_YEAR, C.DISTRICT, C.NEIGHBOURHOOD, C.SEX, C.AGE_BAND) if c in records]
    grouped = records.groupby(keys, sort=False, dropna=False)
    cellsum = grouped.agg(
        _sum=("_value", "sum"), _allok=("_ok", "all"), _row=("_row", "min"), _n=("_row", "size")
    ).reset_index()
    # a cell with a count that does not parse carries that count's text and row, so the validator reports it
    bad = records[~records["_ok"]].groupby(keys, sort=False, dropna=False).first()[["_count", "_row"]]
    cellsum = cellsum.merge(
        bad.rename(columns={"_count": "_bad", "_row": "_bad_row"}).reset_index(), on=keys, how="left"
    )
    count_text = np.where(cellsum["_allok"], cellsum["_sum"].astype("str"), cellsum["_bad"].astype("str"))
    source_row = grid.rows[
        np.where(cellsum["_allok"], cellsum["_row"], cellsum["_bad_row"].fillna(0)).astype(np.int64)
    ]
    headers = {
        C.FISCAL_YEAR: "Yıl",
        C.DISTRICT: "İlçe",
        C.NEIGHBOURHOOD: "Mahalle",
        C.SEX: "Cinsiyet",
        C.AGE_BAND: "Yaş grubu",
    }
    table = pd.DataFrame({headers[k]: cellsum[k].astype("str") for k in keys})
    table["Nüfus"] = pd.Series(count_text, dtype="str")
    raw = RawTable(
        frame=table.set_axis(range(table.shape[1]), axis=1),
        headers=tuple(table.columns),
        source_row=source_row,
        source=grid.source,
        header_row=int(grid.rows[header.top]),
        encoding=grid.encoding,
        separator=grid.separator,
        sheet=grid.sheet,
        notes=grid.notes,
        skipped=skipped,
    )
    aliases = {
        "Yıl": C.FISCAL_YEAR,
        "İlçe": C.DISTRICT,
        "Mahalle": C.NEIGHBOURHOOD,
        "Cinsiyet": C.SEX,
        "Yaş grubu": C.AGE_BAND,
        "Nüfus": C.POPULATION,
    }
    result = validate_table(
        raw,
        POPULATION,
        aliases=aliases,
        age_bands=bands,
        fiscal_year=fiscal_year,
        districts=districts,
        neighbourhoods=neighbourhoods,
    )
    extra = _total_column_issues(grid, header, data) if header.shape == WIDE else issues_frame()
    return dataclasses.replace(result, issues=concat_issues([result.issues, extra]))


def _key(folded: pd.DataFrame, i: int) -> str:
    return _keys(folded.iloc[[i]]).iloc[0]


def _keys(folded: pd.DataFrame) -> pd.Series:
    out = pd.Series("", index=folded.index, dtype="str")
    for j in folded.columns:
        out = out + "\x1f" + folded[j].fillna("")
    return out


def _total_column_issues(grid: Grid, header: _Header, data: np.ndarray) -> pd.DataFrame:
    """Wide tables: the Toplam column must be Erkek + Kadın (a difference is a warning naming the row)."""
    total = [j for j, s in header.sexes.items() if s == "total"]
    if not total:
        return issues_frame()
    values = {j: parse_integer(prepare_numbers(grid.cells[j])) for j in header.sexes}
    # a wide table has male and female columns: the sum is an array, never ``sum``'s start value 0
    parts = cast(
        np.ndarray,
        sum(np.where(values[j].ok, values[j].values, 0) for j, s in header.sexes.items() if s != "total"),
    )
    tot = values[total[0]]
    bad = data & tot.ok & (tot.values != parts)
    return issues_frame(
        [
            {
                C.ISSUE_FILE: grid.source,
                C.ISSUE_ROW: int(grid.rows[r]),
                C.ISSUE_COLUMN: str(grid.cells.iat[header.top, total[0]]),
                C.ISSUE_CODE: str(IssueCode.SUBTOTAL_MISMATCH),
                C.ISSUE_SEVERITY: C.WARNING,
                C.ISSUE_MESSAGE: t(
                    "read.tuik.total", total=format_int(int(tot.values[r])), parts=format_int(int(parts[r]))
                ),
                C.ISSUE_VALUE: str(grid.cells.iat[int(r), total[0]]),
            }
            for r in np.flatnonzero(bad)
        ]
    )


def join_counts(population: pd.DataFrame, counts: pd.DataFrame, column: str) -> pd.DataFrame:
    """``population`` with ``column`` (``disabled_population`` / ``migrant_population``) taken from the
    ``population`` counts of ``counts`` (another table read the same way), matched on year, district,
    neighbourhood, sex and age band; cells ``counts`` does not have stay missing."""
    keys = [
        c
        for c in (C.FISCAL_YEAR, C.DISTRICT, C.NEIGHBOURHOOD, C.SEX, C.AGE_BAND)
        if c in population.columns and c in counts.columns
    ]
    right = counts[keys + [C.POPULATION]].rename(columns={C.POPULATION: column})
    base = population.drop(columns=[column], errors="ignore")
    joined = base.merge(right, on=keys, how="left", validate="one_to_one")
    order = [c for c in C.POPULATION_COLUMNS if c in joined.columns] + [C.SOURCE_ROW]
    return joined[order].astype({column: "Int64"})
