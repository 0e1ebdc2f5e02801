"""The analytic budget classification (analitik bütçe sınıflandırması) of local administrations, as reference data.

``datasets/reference/classification/`` holds the functional codes (``functional.csv``), the economic codes of
expenditure to level IV (``economic_expenditure.csv``), the financing types (``financing_types.csv``, with the
ones a local administration may use) and the institutional code structure of municipalities and their affiliates
(``institutional.csv``, ``provinces.csv``). Every code carries its validity years and the ``source`` it was
checked against; every code of levels I–III says whether the list of its children is ``complete``. The README
names the sources and says what is still missing. This module answers three questions about a column of codes,
each computed once per distinct code:

* :func:`check_codes` — is the code in the classification? Levels are checked from I down: a level missing from
  the list is an error (``10.8`` under ``10``, ``06.7.4.07`` under ``06.7.4``) where its parent's list of
  children is complete; under a parent whose children are not all listed yet, the lower levels are checked for
  shape only. A code whose lower levels are all zeros is a code of the level above (``03.5.0.00`` is the level-II
  code ``03.5``, as published layouts print it).
* :func:`label_codes` — the Turkish name of each code (its deepest listed level, or the level asked for).
* :func:`roll_up` — the code at a higher level (``03.5.1.08`` → ``03.5`` at level 2), for breakdowns.

Level-IV details an administration opened with the Ministry's agreement (the guide leaves functional level IV,
and new economic details, to be agreed with the Ministry) are declared with :func:`local_codes` (or the
``GCDB_LOCAL_CODES`` environment variable naming a CSV/XLSX file): they are then known codes with their names.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb import paths
from gcdb.errors import DataValidationError, IssueCode, UsageError, issues_frame
from gcdb.i18n import Message, t

FUNCTIONAL, ECONOMIC, FINANCING, INSTITUTIONAL = "functional", "economic", "financing", "institutional"
KINDS: Final = (FUNCTIONAL, ECONOMIC, FINANCING, INSTITUTIONAL)
#: Canonical budget column of each kind.
COLUMN_OF: Final = {
    FUNCTIONAL: C.FUNCTIONAL_CODE,
    ECONOMIC: C.ECONOMIC_CODE,
    FINANCING: C.FINANCING_TYPE,
    INSTITUTIONAL: C.INSTITUTIONAL_CODE,
}
_FILES = {FUNCTIONAL: "functional.csv", ECONOMIC: "economic_expenditure.csv"}
ROMAN: Final = ("I", "II", "III", "IV")
#: Environment variable naming a file of an administration's own level-IV codes (see :func:`local_codes`).
LOCAL_CODES_ENV: Final = "GCDB_LOCAL_CODES"
_LOCAL_KINDS = (ECONOMIC, FUNCTIONAL)


def folder():
    return paths.datasets() / "reference" / "classification"


def _flag(series: pd.Series) -> pd.Series:
    """``true``/``false`` text (or booleans) as a nullable boolean column; blank stays missing."""
    text = series.astype("str").str.strip().str.lower()
    return text.map({"true": True, "false": False}).astype("boolean")


@cache
def table(kind: str) -> pd.DataFrame:
    """The reference list of ``kind``.

    Functional and economic: ``code``, ``level``, ``name``, ``valid_from``, ``valid_to`` (fiscal years, missing =
    open), ``complete`` (codes of levels I–III: whether every child is listed), ``source`` (the key of the
    source the code was checked against, README; empty = transcribed, not yet checked) and, economic only,
    ``local_only`` (the 51–89 level-IV details that only local administrations use). Financing: ``code``,
    ``name``, ``local_government``. Institutional: ``code``, ``name`` of level II (the provinces)."""
    if kind in _FILES:
        frame = pd.read_csv(
            folder() / _FILES[kind],
            dtype={"code": "str", "level": "int64", "name": "str", "source": "str"},
            keep_default_na=False,
            na_values={"valid_from": [""], "valid_to": [""]},
        )
        frame = frame.astype({"valid_from": "Int64", "valid_to": "Int64"})
        frame["complete"] = _flag(frame["complete"])
        if "local_only" in frame:
            frame["local_only"] = _flag(frame["local_only"]).fillna(False).astype("bool")
    elif kind == FINANCING:
        frame = pd.read_csv(folder() / "financing_types.csv", dtype={"code": "str", "name": "str"})
        frame["local_government"] = _flag(frame["local_government"]).fillna(False).astype("bool")
    elif kind == INSTITUTIONAL:
        frame = pd.read_csv(folder() / "provinces.csv", dtype="str").assign(level=2)
    else:
        raise UsageError(Message("classification.kind", kinds=", ".join(KINDS), kind=repr(kind)))
    return frame


@cache
def _official(kind: str, year: int | None = None) -> dict[str, str]:
    """Code → name, of the codes valid in ``year`` (all codes when ``None``)."""
    frame = table(kind)
    if year is not None and "valid_from" in frame:
        start = frame["valid_from"].fillna(0)
        end = frame["valid_to"].fillna(9999)
        frame = frame[((start <= year) & (end >= year)).to_numpy(dtype=bool)]
    return dict(zip(frame["code"], frame["name"], strict=True))


@cache
def _open_parents(kind: str) -> frozenset[str]:
    """Listed codes whose children are not all listed: below them only the shape of a code is checked."""
    frame = table(kind)
    if "complete" not in frame:
        return frozenset()
    return frozenset(frame.loc[~frame["complete"].fillna(True).to_numpy(dtype=bool), "code"])


# ---------------------------------------------------------------------------------------------------------------
# an administration's own level-IV codes (the escape hatch)
# ---------------------------------------------------------------------------------------------------------------
_declared: pd.DataFrame | None = None  # set by local_codes(); None: fall back to the environment variable
_HEADERS = {
    "kind": ("kind", "tur", "tür", "siniflandirma", "sınıflandırma"),
    "code": ("code", "kod"),
    "name": ("name", "ad", "adi", "adı", "aciklama", "açıklama"),
    "valid_from": ("valid_from", "baslangic_yili", "başlangıç_yılı"),
    "valid_to": ("valid_to", "bitis_yili", "bitiş_yılı"),
}
_LOCAL_COLUMNS = ("kind", "code", "name", "valid_from", "valid_to")
_KIND_WORDS = {
    "economic": ECONOMIC,
    "ekonomik": ECONOMIC,
    "functional": FUNCTIONAL,
    "fonksiyonel": FUNCTIONAL,
}


def read_local_codes(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """An administration's own level-IV codes, checked: a CSV/XLSX file (or a frame) with the columns ``code``
    and ``name`` (Turkish headers ``kod``, ``ad``/``açıklama`` also read) and optionally ``kind`` (``economic``
    — the default — or ``functional``), ``valid_from`` and ``valid_to``.

    Each code must be a level-IV code (``03.5.9.51``, ``10.4.0.01``) whose level III is in the official list and
    which the official list does not already have. Raises :class:`DataValidationError` with an issues table
    naming the file, row and column of every bad row."""
    from gcdb.text import fold

    if isinstance(source, pd.DataFrame):
        raw, rows, name = source.astype("str").reset_index(drop=True), np.arange(2, len(source) + 2), "codes"
    else:
        from gcdb.read.grid import read_grid

        grid = read_grid(source)
        cells = grid.cells.loc[~grid.blank]
        if cells.empty:
            raise DataValidationError(t("classification.local.empty", file=str(source)), issues_frame())
        header = [fold(str(h)).replace(" ", "_") if pd.notna(h) else "" for h in cells.iloc[0]]
        raw = cells.iloc[1:].set_axis(header, axis=1).reset_index(drop=True)
        rows, name = grid.rows[~grid.blank][1:], grid.source
    found = {}
    for canonical, names in _HEADERS.items():
        keys = [fold(n).replace(" ", "_") for n in names]
        hit = next((c for c in raw.columns if fold(str(c)).replace(" ", "_") in keys), None)
        if hit is not None:
            found[canonical] = raw[hit]
    missing = [c for c in ("code", "name") if c not in found]
    if missing:
        raise DataValidationError(
            t("classification.local.columns", file=name, missing=", ".join(missing)),
            issues_frame(
                [
                    {
                        C.ISSUE_FILE: name,
                        C.ISSUE_ROW: None,
                        C.ISSUE_COLUMN: m,
                        C.ISSUE_CODE: str(IssueCode.MISSING_COLUMN),
                        C.ISSUE_SEVERITY: C.ERROR,
                        C.ISSUE_MESSAGE: t("classification.local.column_missing", column=m),
                        C.ISSUE_VALUE: "",
                    }
                    for m in missing
                ]
            ),
        )
    codes = pd.DataFrame(
        {
            "kind": found.get("kind", pd.Series(ECONOMIC, index=raw.index))
            .fillna(ECONOMIC)
            .map(lambda k: _KIND_WORDS.get(fold(str(k)), str(k).strip())),
            "code": found["code"].str.strip(),
            "name": found["name"].str.strip(),
            "valid_from": pd.to_numeric(found["valid_from"], errors="coerce")
            if "valid_from" in found
            else None,
            "valid_to": pd.to_numeric(found["valid_to"], errors="coerce") if "valid_to" in found else None,
        }
    ).astype({"valid_from": "Int64", "valid_to": "Int64"})
    problems = _local_problems(codes)
    if problems:
        issues = issues_frame(
            [
                {
                    C.ISSUE_FILE: name,
                    C.ISSUE_ROW: int(rows[i]),
                    C.ISSUE_COLUMN: column,
                    C.ISSUE_CODE: str(code),
                    C.ISSUE_SEVERITY: C.ERROR,
                    C.ISSUE_MESSAGE: message,
                    # pandas-stubs: DataFrame.at may give np.bool_/Period/Interval, which pd.isna's scalar
                    # overload omits
                    C.ISSUE_VALUE: ""
                    if pd.isna(codes.at[i, column])  # type: ignore[arg-type]
                    else str(codes.at[i, column]),
                }
                for i, column, code, message in problems
            ]
        )
        raise DataValidationError(t("classification.local.bad", file=name, n=len(problems)), issues)
    return codes.loc[:, list(_LOCAL_COLUMNS)]


def _local_problems(codes: pd.DataFrame) -> list[tuple[int, str, IssueCode, str]]:
    """(row position, column, issue code, message) of every bad declared code; one pass over a small table."""
    from gcdb.normalise import ECONOMIC_LEVELS, FUNCTIONAL_LEVELS, code_pattern

    shape = {ECONOMIC: code_pattern(ECONOMIC_LEVELS), FUNCTIONAL: code_pattern(FUNCTIONAL_LEVELS)}
    out: list[tuple[int, str, IssueCode, str]] = []
    bad_kind = ~codes["kind"].isin(_LOCAL_KINDS)
    for i in np.flatnonzero(bad_kind.to_numpy()).tolist():
        out.append((i, "kind", IssueCode.INVALID_VALUE, t("classification.local.kind")))
    dup = codes.duplicated(["kind", "code"], keep="first").to_numpy()
    for i in np.flatnonzero(dup).tolist():
        out.append(
            (i, "code", IssueCode.DUPLICATE_ID, t("classification.local.duplicate", code=codes.at[i, "code"]))
        )
    for i in np.flatnonzero((codes["name"].isna() | (codes["name"] == "")).to_numpy()).tolist():
        out.append((i, "name", IssueCode.MISSING_VALUE, t("classification.local.name")))
    for i, (kind, code) in enumerate(zip(codes["kind"], codes["code"], strict=True)):
        if bad_kind.iat[i] or dup[i]:
            continue
        official = _official(kind)
        if not isinstance(code, str) or not pd.Series([code]).str.match(shape[kind]).iat[0]:
            example = "03.5.9.51" if kind == ECONOMIC else "10.4.0.01"
            out.append(
                (i, "code", IssueCode.MALFORMED_CODE, t("classification.local.shape", example=example))
            )
        elif code in official:
            out.append(
                (
                    i,
                    "code",
                    IssueCode.INVALID_VALUE,
                    t("classification.local.official", code=code, name=official[code]),
                )
            )
        elif (wrong := _check_one(kind, code.rsplit(".", 1)[0], official=True)) is not None:
            out.append(
                (i, "code", IssueCode.UNKNOWN_CODE, t("classification.local.parent", problem=wrong[1]))
            )
    return sorted(out)


def _local(kind: str) -> pd.DataFrame | None:
    if _declared is not None:
        frame = _declared
    else:
        path = os.environ.get(LOCAL_CODES_ENV, "").strip()
        if not path:
            return None
        frame = _read_env_codes(path)
    chosen = frame[frame["kind"] == kind]
    return chosen if len(chosen) else None


@cache
def _read_env_codes(path: str) -> pd.DataFrame:
    return read_local_codes(path)


def _names(kind: str, year: int | None = None) -> dict[str, str]:
    """Code → name of the official codes valid in ``year`` and of the administration's declared codes."""
    names = _official(kind, year)
    local = _local(kind) if kind in _LOCAL_KINDS else None
    if local is None:
        return names
    if year is not None:
        start, end = local["valid_from"].fillna(0), local["valid_to"].fillna(9999)
        local = local[((start <= year) & (end >= year)).to_numpy(dtype=bool)]
    return names | dict(zip(local["code"], local["name"], strict=True))


@contextmanager
def local_codes(codes: str | Path | pd.DataFrame | None) -> Iterator[pd.DataFrame | None]:
    """Within the block, the level-IV codes an administration opened (see :func:`read_local_codes`) are known
    codes with their names — in :func:`check_codes`, :func:`label_codes` and so in ``gcdb.read_budget``.
    ``None`` turns the declared codes (and the ``GCDB_LOCAL_CODES`` file) off. Yields the checked codes."""
    global _declared
    before = _declared
    _declared = read_local_codes(codes) if codes is not None else pd.DataFrame(columns=list(_LOCAL_COLUMNS))
    try:
        yield _declared if codes is not None else None
    finally:
        _declared = before


# ---------------------------------------------------------------------------------------------------------------
# checks, names, roll-up
# ---------------------------------------------------------------------------------------------------------------
#: Level I of the institutional code: the kinds of local administration a municipal budget belongs to.
INSTITUTIONAL_LEVEL_ONE: Final = {
    "46": "Belediyeler",
    "47": "Belediyelere bağlı idareler ve mahalli idare birlikleri",
}


def _check_financing(code: str, year: int | None) -> tuple[int, str] | None:
    rows = table(FINANCING).set_index("code")
    if code not in _official(FINANCING, year):
        known = ", ".join(
            f"{c} {n}"
            for c, n in zip(rows.index, rows["name"], strict=True)
            if rows.at[c, "local_government"]
        )
        return 1, t("classification.financing_unknown", code=code, known=known)
    if not rows.at[code, "local_government"]:
        return 1, t("classification.financing_not_local", code=code, name=rows.at[code, "name"])
    return None


def _check_one(
    kind: str, code: str, year: int | None = None, *, official: bool = False
) -> tuple[int, str] | None:
    """``None`` if ``code`` is known (in ``year``) or cannot be checked deeper, else (failing level, message).
    ``official``: against the official list only, without the declared local codes."""
    if kind == FINANCING:
        return _check_financing(code, year)
    parts = code.split(".")
    if kind == INSTITUTIONAL:
        if parts[0] not in INSTITUTIONAL_LEVEL_ONE:
            return 1, t("classification.institutional_one", code=repr(parts[0]))
        if len(parts) > 1 and parts[1] not in _official(INSTITUTIONAL):
            return 2, t("classification.institutional_two", code=repr(parts[1]))
        return None
    names, open_parents = (_official if official else _names)(kind, year), _open_parents(kind)
    for level in range(1, len(parts) + 1):
        prefix = ".".join(parts[:level])
        if prefix in names:
            continue
        if all(not p.strip("0") for p in parts[level - 1 :]):  # a rolled-up code: 03.5.0.00 is 03.5
            return None
        parent = ".".join(parts[: level - 1])
        if parent in open_parents:  # its children are not all listed: lower levels are checked for shape only
            return None
        return level, _unknown_message(kind, prefix, level, parent, year, official)
    return None


def _unknown_message(
    kind: str, prefix: str, level: int, parent: str, year: int | None, official: bool = False
) -> str:
    everywhen = (_official if official else _names)(kind)
    if year is not None and prefix in everywhen:
        listed = [table(kind)] + ([] if official or kind not in _LOCAL_KINDS else [_local(kind)])
        rows = pd.concat([f for f in listed if f is not None]).set_index("code").loc[[prefix]].iloc[0]
        span = "–".join("" if pd.isna(rows[c]) else str(rows[c]) for c in ("valid_from", "valid_to"))
        return t(
            "classification.not_in_year",
            kind=t(f"classification.kind.{kind}"),
            code=prefix,
            name=everywhen[prefix],
            year=year,
            level=ROMAN[level - 1],
            span=span,
        )
    under = (
        " " + t("classification.under", parent=parent, name=everywhen[parent]) if parent in everywhen else ""
    )
    hint = t("classification.local_hint", env=LOCAL_CODES_ENV) if level == 4 and kind in _LOCAL_KINDS else ""
    key = "classification.unknown_in_year" if year is not None else "classification.unknown"
    return (
        t(
            key,
            kind=t(f"classification.kind.{kind}"),
            level=ROMAN[level - 1],
            code=repr(prefix),
            year=year,
            under=under,
        )
        + hint
    )


def check_codes(codes: pd.Series, kind: str, years: pd.Series | int | None = None) -> pd.DataFrame:
    """Codes of a column checked against the classification (in their ``years``; once per distinct pair).

    Returns a frame on the index of ``codes``: ``level`` (Int64, the first level that is unknown; missing when the
    code is known, cannot be checked deeper, or is missing) and ``message``. Codes must be in dotted form (see
    :func:`gcdb.normalise.normalise_code`); pass only well-formed ones.
    """
    table(kind)
    year = years if isinstance(years, pd.Series) else pd.Series(years, index=codes.index, dtype="Int64")
    pairs = pd.DataFrame({"code": codes.to_numpy(), "year": year.to_numpy()}).astype({"year": "Int64"})
    grouped = pairs.groupby(["code", "year"], dropna=False, sort=False).ngroup()
    ids = grouped.to_numpy()
    distinct = pairs.loc[grouped.drop_duplicates().index].reset_index(drop=True)
    found = [
        None if pd.isna(c) else _check_one(kind, str(c), None if pd.isna(y) else int(y))
        for c, y in zip(distinct["code"], distinct["year"], strict=True)
    ]
    levels = np.array([f[0] if f else 0 for f in found], dtype=np.int64)[ids]
    messages = np.array([f[1] if f else None for f in found], dtype=object)[ids]
    level = pd.Series(levels, index=codes.index, dtype="Int64").where(levels > 0)
    return pd.DataFrame({"level": level, "message": pd.Series(messages, index=codes.index, dtype="str")})


def roll_up(codes: pd.Series, level: int) -> pd.Series:
    """Each dotted code cut to its first ``level`` levels (``03.5.1.08`` → ``03.5`` at level 2); missing stays
    missing. Group a breakdown by the result to roll it up."""
    if not isinstance(level, int) or level < 1:
        raise UsageError(Message("classification.level", level=repr(level)))
    values, uniques = pd.factorize(codes, use_na_sentinel=True)
    cut = np.array([".".join(str(u).split(".")[:level]) for u in uniques] + [None], dtype=object)[values]
    return pd.Series(cut, index=codes.index, dtype="str", name=codes.name)


def label_codes(codes: pd.Series, kind: str, *, level: int | None = None) -> pd.Series:
    """The Turkish name of each code: of its deepest level the reference (or a declared local code) lists, or of
    ``level``. Unknown codes (and levels not listed) give a missing name. Financing types: the type's name."""
    if kind == FINANCING:
        return codes.map(_official(FINANCING)).astype("str")
    names = _official(INSTITUTIONAL) if kind == INSTITUTIONAL else _names(kind)
    values, uniques = pd.factorize(codes, use_na_sentinel=True)

    def name(code: str) -> str | None:
        parts = code.split(".")
        if kind == INSTITUTIONAL:
            province = names.get(parts[1]) if len(parts) > 1 else None
            head = INSTITUTIONAL_LEVEL_ONE.get(parts[0])
            return " – ".join(p for p in (head, province) if p) or None
        depths = [level] if level is not None else range(len(parts), 0, -1)
        for depth in depths:
            found = names.get(".".join(parts[:depth]))
            if found:
                return found
        return None

    labels = np.array([name(str(u)) for u in uniques] + [None], dtype=object)[values]
    return pd.Series(labels, index=codes.index, dtype="str", name=codes.name)


def unknown_budget_codes(columns: dict[str, pd.Series]) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """The budget validator's check: for each code column of parsed budget ``columns`` (canonical names), the
    well-formed codes that the classification does not know, in the line's fiscal year. Returns
    ``(column, mask, messages)`` for each column with any; malformed codes are left to the schema check."""
    from gcdb.normalise import ECONOMIC_LEVELS, FUNCTIONAL_LEVELS, INSTITUTIONAL_LEVELS, code_pattern

    shapes = {
        INSTITUTIONAL: code_pattern(INSTITUTIONAL_LEVELS),
        FUNCTIONAL: code_pattern(FUNCTIONAL_LEVELS),
        FINANCING: r"^[1-9]$",
        ECONOMIC: code_pattern(ECONOMIC_LEVELS),
    }
    years = columns.get(C.FISCAL_YEAR)
    out = []
    for kind, shape in shapes.items():
        name = COLUMN_OF[kind]
        if name not in columns:
            continue
        codes = columns[name]
        formed = codes.str.match(shape).fillna(False).to_numpy(dtype=bool)
        if not formed.any():
            continue
        found = check_codes(codes.where(formed), kind, years)
        bad = found["level"].notna().to_numpy()
        if bad.any():
            out.append((name, bad, found["message"].to_numpy(dtype=object)))
    return out
