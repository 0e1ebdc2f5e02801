"""The analytic budget classification (analitik bütçe sınıflandırması) of local administrations, as reference data.

``datasets/reference/classification/`` holds the functional codes (``functional.csv``, levels I–III), the economic
codes of expenditure (``economic_expenditure.csv``, levels I–III), the financing types (``financing_types.csv``,
with the ones a local administration may use) and the institutional code structure of municipalities and their
affiliates (``institutional.csv``, ``provinces.csv``); its README says where each list comes from and what is
missing. This module answers three questions about a column of codes, each computed once per distinct code:

* :func:`check_codes` — is the code in the classification? The first level that is not (``10.8`` under ``10``)
  is reported with its position; a code whose lower levels are all zeros is a code of the level above
  (``03.5.0.00`` is the level-II code ``03.5``, as published layouts print it). Levels the reference does not
  list (level IV) are checked for shape only.
* :func:`label_codes` — the Turkish name of each code (its deepest listed level, or the level asked for).
* :func:`roll_up` — the code at a higher level (``03.5.1.08`` → ``03.5`` at level 2), for breakdowns.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb import paths
from gcdb.errors import UsageError
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


def folder():
    return paths.datasets() / "reference" / "classification"


@cache
def table(kind: str) -> pd.DataFrame:
    """The reference list of ``kind``: ``code``, ``level``, ``name`` (functional, economic); ``code``, ``name``,
    ``local_government`` (financing); ``code``, ``name`` of level II (institutional: the provinces)."""
    if kind in _FILES:
        frame = pd.read_csv(folder() / _FILES[kind], dtype={"code": "str", "level": "int64", "name": "str"})
    elif kind == FINANCING:
        frame = pd.read_csv(folder() / "financing_types.csv", dtype={"code": "str", "name": "str"})
        frame["local_government"] = (
            frame["local_government"]
            .map({True: True, False: False, "true": True, "false": False})
            .astype("bool")
        )
    elif kind == INSTITUTIONAL:
        frame = pd.read_csv(folder() / "provinces.csv", dtype="str").assign(level=2)
    else:
        raise UsageError(Message("classification.kind", kinds=", ".join(KINDS), kind=repr(kind)))
    return frame


@cache
def _names(kind: str, year: int | None = None) -> dict[str, str]:
    """Code → name, of the codes valid in ``year`` (all codes when ``None``)."""
    frame = table(kind)
    if year is not None and "valid_from" in frame:
        start = pd.to_numeric(frame["valid_from"]).fillna(0)
        end = pd.to_numeric(frame["valid_to"]).fillna(9999)
        frame = frame[(start <= year) & (end >= year)]
    return dict(zip(frame["code"], frame["name"], strict=True))


#: Level I of the institutional code: the kinds of local administration a municipal budget belongs to.
INSTITUTIONAL_LEVEL_ONE: Final = {
    "46": "Belediyeler",
    "47": "Belediyelere bağlı idareler ve mahalli idare birlikleri",
}


def _check_one(kind: str, code: str, year: int | None = None) -> tuple[int, str] | None:
    """``None`` if ``code`` is known (in ``year``), else (failing level, message)."""
    if kind == FINANCING:
        rows = table(FINANCING).set_index("code")
        if code not in _names(FINANCING, year):
            known = ", ".join(
                f"{c} {n}"
                for c, n in zip(rows.index, rows["name"], strict=True)
                if rows.at[c, "local_government"]
            )
            return 1, t("classification.financing_unknown", code=code, known=known)
        if not rows.at[code, "local_government"]:
            return 1, t("classification.financing_not_local", code=code, name=rows.at[code, "name"])
        return None
    parts = code.split(".")
    if kind == INSTITUTIONAL:
        if parts[0] not in INSTITUTIONAL_LEVEL_ONE:
            return 1, t("classification.institutional_one", code=repr(parts[0]))
        if len(parts) > 1 and parts[1] not in _names(INSTITUTIONAL):
            return 2, t("classification.institutional_two", code=repr(parts[1]))
        return None
    names = _names(kind, year)
    deepest = int(table(kind)["level"].max())
    for level in range(1, min(len(parts), deepest) + 1):
        prefix = ".".join(parts[:level])
        if prefix in names:
            continue
        if all(not p.strip("0") for p in parts[level - 1 :]):  # a rolled-up code: 03.5.0.00 is 03.5
            return None
        parent = ".".join(parts[: level - 1])
        under = " " + t("classification.under", parent=parent, name=names[parent]) if parent in names else ""
        key = "classification.unknown_in_year" if year is not None else "classification.unknown"
        return level, t(
            key,
            kind=t(f"classification.kind.{kind}"),
            level=ROMAN[level - 1],
            code=repr(prefix),
            year=year,
            under=under,
        )
    return None


def check_codes(codes: pd.Series, kind: str, years: pd.Series | int | None = None) -> pd.DataFrame:
    """Codes of a column checked against the classification (in their ``years``; once per distinct pair).

    Returns a frame on the index of ``codes``: ``level`` (Int64, the first level that is unknown; missing when the
    code is known or missing) and ``message``. Codes must be in dotted form (see
    :func:`gcdb.normalise.normalise_code`); pass only well-formed ones.
    """
    table(kind)
    year = years if isinstance(years, pd.Series) else pd.Series(years, index=codes.index, dtype="Int64")
    pairs = pd.DataFrame({"code": codes.to_numpy(), "year": year.to_numpy()}).astype({"year": "Int64"})
    ids = pairs.groupby(["code", "year"], dropna=False, sort=False).ngroup().to_numpy()
    order = pairs.groupby(["code", "year"], dropna=False, sort=False).ngroup().drop_duplicates()
    distinct = pairs.loc[order.index].reset_index(drop=True)
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
    """The Turkish name of each code: of its deepest level the reference lists, or of ``level``. Unknown codes
    (and levels the reference does not list) give a missing name. Financing types: the type's name."""
    if kind == FINANCING:
        return codes.map(_names(FINANCING)).astype("str")
    names = _names(kind)
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
