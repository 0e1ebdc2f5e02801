"""Normalise the values municipalities write into gcdb's canonical codes.

Every function here is vectorised on **distinct values**: it factorises its input, decides once per distinct
text, and broadcasts the answer through the codes. Output categoricals use the code lists of
:mod:`gcdb.columns` (``SEX_CODES``, ``DISABILITY_CODES``, ``MIGRANT_CODES``, the labels of an
:class:`~gcdb.columns.AgeBands`) as categories, in that order.

Contract: a **blank** input becomes ``unknown`` for sex, disability and migrant status (and missing elsewhere);
a non-blank input that is **not recognised** becomes missing (``<NA>``), so callers find unrecognised values
with ``out.isna() & input_is_not_blank`` and report them (the readers raise ``unknown_sex`` etc.).

Matching is by :func:`gcdb.text.fold`: ``KADIN``, ``Kadın`` and ``kadin`` are the same; ``İSTANBUL``,
``istanbul`` and ``Istanbul`` too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from gcdb import columns as C
from gcdb import paths
from gcdb.errors import UsageError
from gcdb.i18n import Message
from gcdb.text import factorize, fold, map_distinct, tr_lower, tr_upper

# ---------------------------------------------------------------------------------------------------------------
# value tables (folded text → code)
# ---------------------------------------------------------------------------------------------------------------
_BLANKS: Final = (
    "",
    "-",
    "?",
    "bilinmiyor",
    "bilinmeyen",
    "belirtilmemis",
    "belirtilmedi",
    "belirsiz",
    "unknown",
)

#: Sex. Numeric codes follow ISO 5218 and TÜİK: 1 male, 2 female, 0 and 9 not known.
SEX_VALUES: Final[Mapping[str, str]] = {
    **dict.fromkeys(("kadin", "k", "f", "female", "woman", "w", "kiz", "bayan", "2"), C.FEMALE),
    **dict.fromkeys(("erkek", "e", "m", "male", "man", "bay", "1"), C.MALE),
    **dict.fromkeys(("diger", "other", "x", "non binary", "nonbinary", "ikili olmayan"), C.OTHER),
    **dict.fromkeys((*_BLANKS, "u", "0", "9", "not stated"), C.UNKNOWN),
}

_DISABILITY_TYPES = (
    "engelli",
    "gorme",
    "gorme engelli",
    "isitme",
    "isitme engelli",
    "ortopedik",
    "ortopedik engelli",
    "zihinsel",
    "zihinsel engelli",
    "dil ve konusma",
    "ruhsal",
    "ruhsal ve duygusal",
    "suregen",
    "suregen hastalik",
    "otizm",
    "birden fazla",
    "coklu engel",
)
#: Disability: words, disability types, or a degree in percent (``%40``, ``40``, ``40%``: > 0 → yes, 0 → no).
DISABILITY_VALUES: Final[Mapping[str, str]] = {
    **dict.fromkeys(
        ("evet", "var", "e", "yes", "y", "true", "engelli raporu var", *_DISABILITY_TYPES), C.YES
    ),
    **dict.fromkeys(
        ("hayir", "yok", "h", "no", "n", "false", "engelsiz", "engelli degil", "engeli yok"), C.NO
    ),
    **dict.fromkeys(_BLANKS, C.UNKNOWN),
}

#: Migrant status: status words only. Nationalities (``Suriyeli``, ``Afgan`` …) are **not** a status and are
#: reported as unknown codes; gcdb never infers a status from a nationality.
MIGRANT_VALUES: Final[Mapping[str, str]] = {
    **dict.fromkeys(
        ("vatandas", "tc vatandasi", "tc", "t c", "turk vatandasi", "citizen", "national"), C.CITIZEN
    ),
    **dict.fromkeys(
        (
            "gocmen",
            "yabanci",
            "yabanci uyruklu",
            "ikamet izinli",
            "ikamet izni",
            "duzensiz gocmen",
            "migrant",
            "foreigner",
            "foreign national",
        ),
        C.MIGRANT,
    ),
    **dict.fromkeys(
        (
            "multeci",
            "sartli multeci",
            "uluslararasi koruma",
            "uluslararasi koruma basvuru sahibi",
            "uluslararasi koruma statusu",
            "siginmaci",
            "refugee",
            "asylum seeker",
            "international protection",
        ),
        C.REFUGEE,
    ),
    **dict.fromkeys(
        (
            "gecici koruma",
            "gecici koruma altinda",
            "gecici koruma kapsaminda",
            "gkas",
            "gk",
            "temporary protection",
        ),
        C.TEMPORARY_PROTECTION,
    ),
    **dict.fromkeys(_BLANKS, C.UNKNOWN),
}

_PUNCT = re.compile(r"[._]+")
_PERCENT = re.compile(r"^%?[ \t]*([0-9]{1,3})(?:[.,][0-9]+)?[ \t]*%?$")


def _key(text: str) -> str:
    return _PUNCT.sub(" ", fold(text)).strip()


def _categorical(series: pd.Series, decide, categories: Sequence[str], blank: str | None) -> pd.Series:
    """Apply ``decide(str) -> code | None`` to each distinct value; blank/missing → ``blank``."""
    codes, uniques = factorize(series)
    decided = [decide(str(u)) if str(u).strip() else blank for u in uniques]
    lookup: dict[str | None, int] = {c: i for i, c in enumerate(categories)}
    cat_codes_u: npt.NDArray[np.int64] = np.array(
        [lookup[d] if d is not None else -1 for d in decided] + [lookup.get(blank, -1)]
    )
    cat_codes = cat_codes_u[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    out = pd.Categorical.from_codes(cat_codes, categories=pd.Index(list(categories)))
    return pd.Series(out, index=series.index, name=series.name)


def normalise_sex(series: pd.Series) -> pd.Series:
    """``Kadın/K/F/Female/2`` → female, ``Erkek/E/M/Male/1`` → male, ``Diğer`` → other, ``Bilinmiyor``/blank → unknown.

    Unrecognised values → ``<NA>``. Categorical with categories :data:`gcdb.columns.SEX_CODES`.
    """
    return _categorical(series, lambda t: SEX_VALUES.get(_key(t)), C.SEX_CODES, C.UNKNOWN)


def _disability(text: str) -> str | None:
    key = _key(text)
    if key in DISABILITY_VALUES:
        return DISABILITY_VALUES[key]
    m = _PERCENT.match(text.strip())
    if m:
        degree = int(m.group(1))
        if degree > 100:
            return None
        return C.YES if degree > 0 else C.NO
    return None


def normalise_disability(series: pd.Series) -> pd.Series:
    """``Evet/Var/E/Yes``, a disability type or a degree > 0 % (``%40``, ``40``) → yes; ``Hayır/Yok/H/No/0`` → no.

    ``Bilinmiyor``/blank → unknown; unrecognised (and degrees above 100) → ``<NA>``. Categories
    :data:`gcdb.columns.DISABILITY_CODES`.
    """
    return _categorical(series, _disability, C.DISABILITY_CODES, C.UNKNOWN)


def normalise_migrant_status(series: pd.Series) -> pd.Series:
    """``Vatandaş/TC`` → citizen, ``Göçmen/Yabancı`` → migrant, ``Mülteci/Uluslararası Koruma`` → refugee,
    ``Geçici Koruma/GKAS`` → temporary_protection, ``Bilinmiyor``/blank → unknown.

    Nationalities are not statuses and stay unrecognised (``<NA>``). Categories :data:`gcdb.columns.MIGRANT_CODES`.
    """
    return _categorical(series, lambda t: MIGRANT_VALUES.get(_key(t)), C.MIGRANT_CODES, C.UNKNOWN)


# ---------------------------------------------------------------------------------------------------------------
# age and age bands
# ---------------------------------------------------------------------------------------------------------------
def age_band(age: pd.Series | np.ndarray, bands: C.AgeBands = C.DEFAULT_AGE_BANDS) -> pd.Series:
    """The band of each age: categorical with categories ``bands.labels``.

    Missing ages and ages outside ``[AGE_MIN, AGE_MAX]`` give ``<NA>``. Vectorised (one ``searchsorted``).
    """
    index = age.index if isinstance(age, pd.Series) else None
    # pandas-stubs type pd.array(..., dtype="Int64") for sequences of numbers only; any array-like converts
    values = pd.array(age, dtype="Int64")  # type: ignore[call-overload]
    present = ~np.asarray(values.isna())
    numbers = np.where(present, values.to_numpy(dtype=np.int64, na_value=-1), -1)
    in_range = present & (numbers >= C.AGE_MIN) & (numbers <= C.AGE_MAX)
    codes = np.searchsorted(np.asarray(bands.edges), numbers, side="right") - 1
    codes = np.where(in_range, codes, -1)
    out = pd.Categorical.from_codes(codes, categories=pd.Index(list(bands.labels)))
    return pd.Series(out, index=index, name=C.AGE_BAND)


_YEARS_WORD = re.compile(r"\b(?:yas|yasinda|yaslari|yasindakiler|years?|yrs|age)\b")
_BAND_RANGE = re.compile(r"^([0-9]{1,3}) ?[-–—] ?([0-9]{1,3})$")
_BAND_OPEN = re.compile(r"^([0-9]{1,3}) ?(?:\+|(?:ve |and |or )?(?:uzeri|ustu|over|older|above|\+))$")
_BAND_UNDER = re.compile(r"^([0-9]{1,3}) ?(?:alti|altindakiler|under)$")


def parse_age_band(text: str) -> str | None:
    """Canonical label of an age-band text, or ``None``.

    ``"25-44"``, ``"25–44"``, ``"25 - 44"``, ``"25-44 yaş"`` → ``"25-44"``; ``"65+"``, ``"65 ve üzeri"``,
    ``"65 yaş ve üstü"`` → ``"65+"``; ``"5 yaş altı"`` → ``"0-4"``.
    """
    key = _YEARS_WORD.sub(" ", fold(str(text)))
    key = re.sub(r"[ \t]+", " ", key).strip()
    m = _BAND_RANGE.match(key)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        return f"{lo}-{hi}" if lo <= hi else None
    m = _BAND_OPEN.match(key)
    if m:
        return f"{int(m.group(1))}+"
    m = _BAND_UNDER.match(key)
    if m and int(m.group(1)) > 0:
        return f"0-{int(m.group(1)) - 1}"
    return None


def normalise_age_band(series: pd.Series, bands: C.AgeBands = C.DEFAULT_AGE_BANDS) -> pd.Series:
    """Parse age-band texts (:func:`parse_age_band`) into the categories ``bands.labels``.

    A band that does not parse or is not one of ``bands.labels`` → ``<NA>`` (for other bands pass
    ``AgeBands(edges=...)``). Blank → ``<NA>`` as well.
    """
    labels = set(bands.labels)

    def decide(text: str) -> str | None:
        label = parse_age_band(text)
        return label if label in labels else None

    return _categorical(series, decide, bands.labels, None)


# ---------------------------------------------------------------------------------------------------------------
# districts and neighbourhoods
# ---------------------------------------------------------------------------------------------------------------
_DISTRICT_SUFFIX = re.compile(r"[ \t]+(?:ilcesi|ilce|belediyesi)$")
#: Former names of districts (folded) → current name (folded); applied only when the current name is in the list.
DISTRICT_RENAMES: Final[Mapping[str, str]] = {"eyup": "eyupsultan"}

_NEIGHBOURHOOD_SUFFIX = re.compile(r"[ \t]*\b(?:mahalles[iİı]|mahalle|mah\.?|mh\.?)[ \t]*$", re.IGNORECASE)


@cache
def istanbul_districts() -> tuple[str, ...]:
    """The 39 districts of İstanbul (``datasets/reference/istanbul_districts.csv``)."""
    return load_districts(paths.datasets() / "reference" / "istanbul_districts.csv")


def load_districts(
    districts: str | Path | pd.DataFrame | pd.Series | Iterable[str] | None = None,
) -> tuple[str, ...]:
    """A list of canonical district names from a CSV path (``district`` column, else the first), a DataFrame, a
    Series or any iterable of names. ``None`` → İstanbul's 39 districts.
    """
    if districts is None:
        return istanbul_districts()
    if isinstance(districts, str | Path):
        path = Path(districts)
        if not path.exists():
            raise UsageError(Message("normalise.districts_not_found", path=repr(str(path))))
        frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        districts = frame
    if isinstance(districts, pd.DataFrame):
        if districts.shape[1] == 0:
            raise UsageError(Message("normalise.districts_no_columns"))
        districts = districts[C.DISTRICT] if C.DISTRICT in districts.columns else districts.iloc[:, 0]
    names = tuple(dict.fromkeys(str(d).strip() for d in districts if d is not None and str(d).strip()))
    if not names:
        raise UsageError(Message("normalise.districts_empty"))
    return names


def _lookup(names: Iterable[str], key) -> dict[str, str]:
    table: dict[str, str] = {}
    for name in names:
        table.setdefault(key(name), name)
    return table


def _district_key(text: str) -> str:
    return _DISTRICT_SUFFIX.sub("", fold(text))


def normalise_district(
    series: pd.Series, districts: Iterable[str] | pd.DataFrame | str | Path | None = None
) -> pd.Series:
    """Canonical district names: ``KADIKÖY``, ``kadikoy``, ``Kadıköy İlçesi`` → ``Kadıköy`` (str dtype).

    ``districts`` is the canonical list (default İstanbul's 39, see :func:`load_districts`). Blank or unknown →
    ``<NA>``.
    """
    names = load_districts(districts)
    table = _lookup(names, _district_key)
    for old, new in DISTRICT_RENAMES.items():
        if new in table and old not in table:
            table[old] = table[new]
    for alias, name in _place_aliases().items():  # TÜİK's spellings ("Gazi Osmanpaşa") of listed districts
        if name in names:
            table.setdefault(_district_key(alias), name)
    return _map_text(series, lambda t: table.get(_district_key(t)))


@cache
def _place_aliases() -> dict[str, str]:
    """Alias → canonical district name, from ``datasets/reference/place_aliases.csv`` (see :mod:`gcdb.places`)."""
    from gcdb import places

    frame = places.aliases()
    names = places.districts().set_index(places.DISTRICT_ID)[C.DISTRICT]
    return {a: names[i] for a, i in zip(frame["alias"], frame["area_id"], strict=True) if i in names.index}


def _neighbourhood_stem(text: str) -> str:
    stem = _NEIGHBOURHOOD_SUFFIX.sub("", re.sub(r"[ \t]+", " ", str(text).strip()))
    return stem.strip()


def _title(text: str) -> str:
    return " ".join(tr_upper(w[:1]) + tr_lower(w[1:]) for w in text.split(" ") if w)


def normalise_neighbourhood(
    series: pd.Series,
    neighbourhoods: Iterable[str] | None = None,
    *,
    district: pd.Series | None = None,
    year: pd.Series | int | None = None,
) -> pd.Series:
    """Canonical neighbourhood names: suffix (``Mahallesi``, ``Mah.``, ``Mh.``) removed, Turkish title case
    (``ATATÜRK MAH.`` → ``Atatürk``). With a ``neighbourhoods`` list, names are matched to it by folding and
    unknown names → ``<NA>``; with ``district`` (the row's İstanbul district) they are matched to the real
    neighbourhoods of that district in ``year`` (:func:`gcdb.places.resolve_neighbourhoods`) and unknown ones →
    ``<NA>``; with neither every non-blank name is kept. Blank → ``<NA>``.
    """
    if neighbourhoods is None and district is not None:
        from gcdb.places import resolve_neighbourhoods

        resolved = resolve_neighbourhoods(district, series, year)[C.NEIGHBOURHOOD]
        # (what ``.rename(name)`` does; pandas-stubs do not take any Hashable there)
        resolved.name = series.name
        return resolved
    if neighbourhoods is None:
        return _map_text(series, lambda t: _title(_neighbourhood_stem(t)) or None)
    table = _lookup((str(n).strip() for n in neighbourhoods), lambda n: fold(_neighbourhood_stem(n)))
    return _map_text(series, lambda t: table.get(fold(_neighbourhood_stem(t))))


def _map_text(series: pd.Series, decide) -> pd.Series:
    return map_distinct(series, lambda text: decide(text) if text.strip() else None)


# ---------------------------------------------------------------------------------------------------------------
# budget classification codes (analitik bütçe sınıflandırması)
# ---------------------------------------------------------------------------------------------------------------
#: Digits per level: institutional ``46.34.01.16``, functional ``10.4.0.00``, economic ``03.5.1.08``.
INSTITUTIONAL_LEVELS: Final = (2, 2, 2, 2)
FUNCTIONAL_LEVELS: Final = (2, 1, 1, 2)
ECONOMIC_LEVELS: Final = (2, 1, 1, 2)


def normalise_code(
    series: pd.Series, levels: tuple[int, ...], *, restore_leading_zero: bool = False
) -> pd.Series:
    """Classification codes in dotted form; what cannot be read is returned stripped, unchanged.

    Accepted: the dotted form (``10.4.0.00``), levels separated by spaces or dashes (``10 4 0 00``) and the
    compact digits (``104000``). With ``restore_leading_zero`` (functional and economic codes, whose first level
    runs 01–10), compact digits one short of full length are read as having lost their leading zero in a
    spreadsheet (``35108`` → ``03.5.1.08``) — but only if the second level is not ``0``, which no functional or
    economic code has, so a truncated ``10400`` is not misread as ``01.0.4.00``. Partial codes (fewer levels) and
    wrong level widths are left as they are, so the budget schema reports them as ``malformed_code``.
    Vectorised with regular expressions on distinct values.
    """
    dotted = re.compile(r"[. \t-]+".join(rf"([0-9]{{{n}}})" for n in levels))
    compact = re.compile("".join(rf"([0-9]{{{n}}})" for n in levels))
    full = sum(levels)

    def decide(text: str) -> str | None:
        text = text.strip()
        if not text:
            return None
        m = dotted.fullmatch(text) or compact.fullmatch(text)
        if m is None and restore_leading_zero and len(text) == full - 1 and text.isdigit():
            m = compact.fullmatch("0" + text)
            if m is not None and not m.group(2).strip("0"):
                m = None  # a second level of 0 does not exist: this is a truncated code, not a lost zero
        return ".".join(m.groups()) if m else text

    return _map_text(series, decide)


def code_pattern(levels: tuple[int, ...]) -> str:
    """Regular expression of a dotted code with ``levels`` digits per level (``^[0-9]{2}\\.[0-9]\\.[0-9]\\.[0-9]{2}$``)."""
    return "^" + r"\.".join(rf"[0-9]{{{n}}}" for n in levels) + "$"
