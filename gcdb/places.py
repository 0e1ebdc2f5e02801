"""Real places: İstanbul's districts and neighbourhoods with their official codes and years of validity.

Reference data (``datasets/reference/``): ``istanbul_districts_crosswalk.csv`` (39 districts and 2 former ones,
HDX COD-AB ids ``TR-34-NNN``, TÜİK MEDAS codes, ``valid_from``/``valid_to``), ``istanbul_neighbourhoods.csv``
(966 neighbourhoods with TÜİK MEDAS codes, their district, first and last year seen 2013–2025) and
``place_aliases.csv`` (other spellings: TÜİK's "Gazi Osmanpaşa", the former "Eyüp").

Names are matched through :func:`gcdb.text.fold` with the suffixes people write removed (``İlçesi``,
``Belediyesi``; ``Mahallesi``, ``Mah.``, ``Mh.``), so ``KADIKÖY``, ``Kadıköy İlçesi`` and ``kadikoy`` are one
district and ``CAFERAĞA MAH.``, ``Caferağa Mahallesi`` and ``caferaga`` one neighbourhood of it. Canonical names
are gcdb's district names (``datasets/reference/istanbul_districts.csv``) and the neighbourhood's TÜİK name
without " Mah.".

Years. A district created in 2008 (Arnavutköy …) is not valid in 2007; a neighbourhood is valid from its first
to its last year seen, where the first year of the series (2013) means "2013 or earlier" and the last (2025)
"still in use". Every lookup works on distinct values and broadcasts (no loop over rows).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb import paths
from gcdb.text import factorize, fold

DISTRICT_ID: Final = "district_id"  # HDX COD-AB id, TR-34-NNN
NEIGHBOURHOOD_ID: Final = "neighbourhood_id"  # TR-34-NNN-MEDAS
MEDAS_CODE: Final = "medas_code"  # TÜİK MEDAS code
STATUS: Final = "status"
#: Status of a neighbourhood lookup: found, unknown in its district, or not in use in the year asked.
OK, UNKNOWN, NOT_IN_YEAR, NO_DISTRICT = "ok", "unknown", "not_in_year", "no_district"
SERIES_FIRST, SERIES_LAST = 2013, 2025
#: Catalogue keys of the issue messages of the lookups that fail (the neighbourhood is then missing).
STATUS_KEYS: Final = {UNKNOWN: "places.unknown", NOT_IN_YEAR: "places.not_in_year"}


def status_messages(lang: str | None = None) -> dict[str, str]:
    """Issue message of each failed lookup status, in ``lang`` (default: the current language)."""
    from gcdb.i18n import t

    return {status: t(key, lang) for status, key in STATUS_KEYS.items()}


def __getattr__(name: str) -> dict[str, str]:  # the former constant, in the current language
    if name == "STATUS_MESSAGES":
        return status_messages()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_DISTRICT_SUFFIX = re.compile(r"[ \t]+(?:ilcesi|ilce|belediyesi|bel\.?)$")
_HOOD_SUFFIX = re.compile(r"[ \t]*\b(?:mahallesi|mahalle|mah\.?|mh\.?)[ \t]*$")
_PROVINCE = re.compile(r"^istanbul[ \t]*[-(/,][ \t]*|[ \t]*[(/,-][ \t]*istanbul\)?$|\)$")


def _reference(name: str) -> pd.DataFrame:
    return pd.read_csv(
        paths.datasets() / "reference" / name, dtype="str", keep_default_na=False, na_values=[""]
    )


def district_key(text: str) -> str:
    """The form district names are compared in: folded, suffix and province removed, no spaces
    (``Gazi Osmanpaşa`` = ``Gaziosmanpaşa``)."""
    key = _PROVINCE.sub("", fold(text))
    return _DISTRICT_SUFFIX.sub("", key).replace(" ", "")


def neighbourhood_key(text: str) -> str:
    """The form neighbourhood names are compared in: folded, the ``Mah.`` suffix removed."""
    return _HOOD_SUFFIX.sub("", fold(text)).strip()


def neighbourhood_stem(name: str) -> str:
    """The name without its suffix, as written (``Caferağa Mah.`` → ``Caferağa``)."""
    return re.sub(
        r"[ \t]*\b(?:Mahallesi|MAHALLESİ|Mahalle|Mah\.?|MAH\.?|Mh\.?|MH\.?)[ \t]*$", "", name.strip()
    )


@cache
def districts() -> pd.DataFrame:
    """The districts: ``district_id``, ``district`` (gcdb's canonical name), ``name_tr`` (as HDX/TÜİK write it),
    ``medas_code``, ``valid_from``, ``valid_to`` (Int64, missing = open)."""
    cross = _reference("istanbul_districts_crosswalk.csv")
    names = _reference("istanbul_districts.csv")[C.DISTRICT]
    canonical = {district_key(n): n for n in names}
    out = pd.DataFrame(
        {
            DISTRICT_ID: cross["area_id"],
            C.DISTRICT: cross["name_tr"].map(lambda n: canonical.get(district_key(n), n)),
            "name_tr": cross["name_tr"],
            MEDAS_CODE: cross[MEDAS_CODE],
            "valid_from": pd.to_numeric(cross["valid_from"]).astype("Int64"),
            "valid_to": pd.to_numeric(cross["valid_to"]).astype("Int64"),
        }
    )
    return out


@cache
def aliases() -> pd.DataFrame:
    """``alias``, ``area_id``, ``alias_kind``, ``note``."""
    return _reference("place_aliases.csv")


@cache
def neighbourhoods() -> pd.DataFrame:
    """The neighbourhoods: ``neighbourhood_id``, ``district_id``, ``district``, ``neighbourhood`` (TÜİK name
    without " Mah."), ``name_tr``, ``medas_code``, ``first_seen``, ``last_seen`` (int64)."""
    raw = _reference("istanbul_neighbourhoods.csv")
    table = districts()
    names = table.set_index(DISTRICT_ID)[C.DISTRICT]
    # TÜİK files Eyüpsultan's neighbourhoods under the former district Eyüp (same MEDAS code): current id
    current = table[table["valid_to"].isna()].set_index(MEDAS_CODE)[DISTRICT_ID]
    parent = raw["parent_id"].map(table.set_index(DISTRICT_ID)[MEDAS_CODE]).map(current)
    parent = parent.where(parent.notna(), raw["parent_id"])
    return pd.DataFrame(
        {
            NEIGHBOURHOOD_ID: raw["area_id"],
            DISTRICT_ID: parent.astype("str"),
            C.DISTRICT: parent.map(names).astype("str"),
            C.NEIGHBOURHOOD: raw["name_tr"].map(neighbourhood_stem).astype("str"),
            "name_tr": raw["name_tr"],
            MEDAS_CODE: raw[MEDAS_CODE],
            "first_seen": raw["first_seen"].astype("int64"),
            "last_seen": raw["last_seen"].astype("int64"),
        }
    )


@cache
def _district_lookup() -> dict[str, str]:
    """Folded key → district_id, for every name and alias (current districts win over former ones)."""
    table = districts()
    out: dict[str, str] = {}
    current = table[table["valid_to"].isna()]
    former = table[table["valid_to"].notna()]
    for frame in (current, former):
        for ident, name, tr in zip(frame[DISTRICT_ID], frame[C.DISTRICT], frame["name_tr"], strict=True):
            out.setdefault(district_key(name), ident)
            out.setdefault(district_key(tr), ident)
    for alias, ident in zip(aliases()["alias"], aliases()["area_id"], strict=True):
        out[district_key(alias)] = ident
    return out


def district_ids(names: pd.Series) -> pd.Series:
    """``district_id`` of each name (any spelling, alias or former name), missing when unknown."""
    lookup = _district_lookup()
    codes, uniques = factorize(names)
    found = np.array([lookup.get(district_key(str(u))) for u in uniques] + [None], dtype=object)
    return pd.Series(found[codes], index=names.index, dtype="str", name=DISTRICT_ID)


def canonical_districts(names: pd.Series) -> pd.Series:
    """gcdb's canonical district name of each name (``Gazi Osmanpaşa`` → ``Gaziosmanpaşa``, ``Eyüp`` →
    ``Eyüpsultan``), missing when unknown."""
    by_id = districts().set_index(DISTRICT_ID)[C.DISTRICT]
    ids = district_ids(names)
    # a former district whose code lives on (Eyüp → Eyüpsultan, same MEDAS code) resolves to the current one
    medas = districts().set_index(DISTRICT_ID)[MEDAS_CODE]
    current = districts()[districts()["valid_to"].isna()].set_index(MEDAS_CODE)[C.DISTRICT]
    out = ids.map(medas).map(current).where(lambda s: s.notna(), ids.map(by_id))
    return out.astype("str").rename(C.DISTRICT)


def district_valid_in(names: pd.Series, years: pd.Series | int | None) -> np.ndarray:
    """Whether each (known) district existed in its year (missing years: valid)."""
    table = districts().set_index(DISTRICT_ID)
    ids = district_ids(names)
    start = ids.map(table["valid_from"]).astype("Int64")
    end = ids.map(table["valid_to"]).astype("Int64")
    year = pd.Series(years, index=names.index, dtype="Int64") if not isinstance(years, pd.Series) else years
    ok = (start.isna() | year.isna() | (year >= start)) & (end.isna() | year.isna() | (year <= end))
    return ok.fillna(True).to_numpy(dtype=bool)


def resolve_neighbourhoods(
    district: pd.Series, neighbourhood: pd.Series, years: pd.Series | int | None = None
) -> pd.DataFrame:
    """Match neighbourhood names within their district.

    Returns a frame on the same index: ``neighbourhood`` (canonical name, missing unless found),
    ``neighbourhood_id`` and ``status`` (``ok``, ``unknown`` — no such neighbourhood in that district —,
    ``not_in_year`` — it exists but not in that year —, ``no_district`` — the district is unknown —; missing for
    blank names). Computed once per distinct (district, name, year).
    """
    index = neighbourhood.index
    n = len(index)
    year = (
        years.reset_index(drop=True).astype("Int64")
        if isinstance(years, pd.Series)
        else pd.Series(years, index=range(n), dtype="Int64")
    )
    ids = district_ids(district.reset_index(drop=True))
    names = neighbourhood.reset_index(drop=True).astype("str")
    # each distinct (district, name, year) once: one integer per row from the three columns' codes
    key = np.zeros(n, dtype=np.int64)
    for part in (ids, names, year):
        part_codes, part_values = factorize(part)
        key = key * (len(part_values) + 1) + (part_codes + 1)
    codes, keys = pd.factorize(key)
    first = np.empty(len(keys), dtype=np.int64)
    first[codes[::-1]] = np.arange(n - 1, -1, -1)  # the first row of each
    distinct = pd.DataFrame(
        {
            DISTRICT_ID: ids.iloc[first].reset_index(drop=True),
            "_name": names.iloc[first].reset_index(drop=True),
            "_year": year.iloc[first].reset_index(drop=True),
        }
    )
    distinct["_key"] = distinct["_name"].map(lambda t: neighbourhood_key(t) if isinstance(t, str) else None)
    merged = distinct.merge(_reference_keys(), on=[DISTRICT_ID, "_key"], how="left")  # one match at most
    y = merged["_year"]
    in_year = y.isna() | ((merged["first_seen"] <= y) | (merged["first_seen"] == SERIES_FIRST)) & (
        (merged["last_seen"] >= y) | (merged["last_seen"] == SERIES_LAST)
    )
    status = np.select(
        [
            merged["_name"].isna(),
            merged[DISTRICT_ID].isna(),
            merged[NEIGHBOURHOOD_ID].isna(),
            ~in_year.fillna(True),
        ],
        [np.array(None), NO_DISTRICT, UNKNOWN, NOT_IN_YEAR],  # (select makes each choice an array)
        default=OK,
    )
    merged[STATUS] = pd.Series(status, dtype="str")
    merged.loc[merged[STATUS] != OK, [C.NEIGHBOURHOOD, NEIGHBOURHOOD_ID]] = None
    out = merged[[C.NEIGHBOURHOOD, NEIGHBOURHOOD_ID, STATUS]].astype("str").iloc[codes]
    out.index = index
    return out


@cache
def _reference_keys() -> pd.DataFrame:
    """The reference neighbourhoods keyed by district and by the TÜİK name and its stem ("Yeni Mahalle Mah." and
    "Yeni Mahalle" both match), one row per key."""
    ref = neighbourhoods()
    keyed = pd.concat(
        [
            ref.assign(_key=ref["name_tr"].map(neighbourhood_key)),
            ref.assign(_key=ref[C.NEIGHBOURHOOD].map(neighbourhood_key)),
        ]
    ).drop_duplicates([DISTRICT_ID, "_key"])
    return keyed[[DISTRICT_ID, "_key", NEIGHBOURHOOD_ID, C.NEIGHBOURHOOD, "first_seen", "last_seen"]]
