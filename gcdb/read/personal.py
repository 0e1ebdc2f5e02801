"""Detect and mask personal data in every input, so that people's data never passes into gcdb's outputs.

Two levels.

**Columns** (:func:`find_personal_columns`): a file is refused when a column

* has a **header** naming personal data: ``Ad``, ``Soyad``, ``Ad Soyad``, ``Adı Soyadı``, ``İsim``, ``TC Kimlik
  No``, ``TCKN``, ``Kimlik No``, ``YKN``, ``Telefon``, ``E-posta``, ``Adres`` … (issue row = the header row); or
* holds **T.C. kimlik numbers** in at least :data:`TCKN_SHARE` of its non-blank values: 11 digits, first digit not
  0, both check digits right (10th = (7·Σodd₁₋₉ − Σeven₂₋₈) mod 10, 11th = Σ₁₋₁₀ mod 10). A random 11-digit
  pseudonym passes the checksum one time in a hundred, so a pseudonymous id column is not flagged; or
* holds **personal names** in at least :data:`NAME_SHARE` of its non-blank values.

**Values** (:func:`personal_kinds`, :func:`mask_text`): a value holds personal data when it contains

* a checksum-valid T.C. kimlik number (``tckn``),
* a Turkish phone number — ``0532 123 45 67``, ``(0212) 123 45 67``, ``+90 532 1234567``, ``05321234567`` (``phone``),
* an e-mail address (``email``),
* a person's name (``name``): a capitalised **given name** from the shipped list
  (``datasets/reference/given_names_tr.csv``: the civil registry's most used given names and a few more),
  optionally a second given name, then a capitalised **surname** that is not a place, institution or budget word
  (``Ayşe Yılmaz``, ``MEHMET ALİ KAYA``, ``AHMET YILMAZ'A ÖDEME``). A name followed by a place word is a place
  (``Fatih Sultan Mehmet Mahallesi``, ``Kemal Türkler Mah.``, ``MEHMET AKİF ERSOY PARKI``). Given names that are
  also everyday words (``Deniz``, ``Umut``, ``Veli``, ``Sevgi`` — ``common_word`` in the list) start a name in ALL
  CAPS text only when another given name follows (``VELİ TOPLANTISI`` is a meeting, ``DENİZ ULAŞIMI`` a ferry).

Categorical columns (district, neighbourhood, sex, service, unit …) with such a value are errors and the row is
quarantined; free-text columns kept for output (a budget line's ``description``) get the personal part replaced by
a placeholder (``[AD SOYAD]'A ÖDEME``, ``[TELEFON]``, ``[E-POSTA]``, ``[TC KİMLİK NO]``). Issue reports show
:func:`mask_value` (``123********``, ``A*** Y***``), never the raw value.

Vectorised: a column is scanned once per distinct value, and only the values that a linear-time RE2 pre-filter
(:mod:`pyarrow.compute`) marks as candidates (a digit run, an ``@``, a known given name) are taken apart in Python.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from gcdb import paths
from gcdb.read.aliases import header_key
from gcdb.text import arrow_strings, fold, str_series, text_array, tr_upper

TCKN_SHARE: Final = 0.05
NAME_SHARE: Final = 0.3

TCKN, PHONE, EMAIL, NAME = "tckn", "phone", "email", "name"
#: Placeholders written instead of the personal part of a free-text value (Turkish, as the outputs are).
PLACEHOLDERS: Final = {
    TCKN: "[TC KİMLİK NO]",
    PHONE: "[TELEFON]",
    EMAIL: "[E-POSTA]",
    NAME: "[AD SOYAD]",
}
#: What each kind is called in messages: catalogue keys (the text in the current language: :func:`kind_word`).
KIND_WORDS: Final = {
    TCKN: "read.personal.tckn",
    PHONE: "read.personal.phone",
    EMAIL: "read.personal.email",
    NAME: "read.personal.name",
}


def kind_word(kind: str, lang: str | None = None) -> str:
    """What a kind of personal data is called in ``lang`` (default: the current language)."""
    from gcdb.i18n import t

    return t(KIND_WORDS[kind], lang)


#: Folded header keys that name personal data (compared after :func:`gcdb.read.aliases.header_key`).
PERSONAL_HEADERS: Final = frozenset(
    header_key(h)
    for h in (
        "Ad",
        "Adı",
        "Soyad",
        "Soyadı",
        "Ad Soyad",
        "Adı Soyadı",
        "Ad Soyadı",
        "AdSoyad",
        "İsim",
        "İsmi",
        "İsim Soyisim",
        "Soyisim",
        "Ad ve Soyad",
        "Baba Adı",
        "Anne Adı",
        "TC",
        "TC No",
        "TC Kimlik",
        "TC Kimlik No",
        "TC Kimlik Numarası",
        "T.C. Kimlik No",
        "TCKN",
        "TCKNO",
        "Kimlik No",
        "Kimlik Numarası",
        "YKN",
        "Yabancı Kimlik No",
        "Pasaport No",
        "Telefon",
        "Telefon No",
        "Tel",
        "GSM",
        "Cep Telefonu",
        "E-posta",
        "Eposta",
        "E-mail",
        "Email",
        "Adres",
        "Açık Adres",
        "Name",
        "First Name",
        "Last Name",
        "Surname",
        "Full Name",
        "National Id",
        "Phone",
        "Address",
    )
)

#: Words that make a capitalised run a place or an institution named after a person (folded): ``Kemal Türkler
#: Mah.``, ``MEHMET AKİF ERSOY PARKI``, ``Hüseyin Ağa``.
PLACE_WORDS: Final = frozenset(
    fold(w)
    for w in """
    Mahallesi Mahalle Mah Mh Sokak Sokağı Sk Caddesi Cadde Cd Bulvarı Blv Parkı Park Meydanı Köyü Köy Camii Cami
    Okulu Lisesi Ortaokulu İlkokulu Merkezi Merkez Kreşi Kreş Evi Evleri Salonu Kütüphanesi Hastanesi Müdürlüğü
    Başkanlığı Vakfı Derneği İlçesi İli Belediyesi Spor Kulübü Tesisi Tesisleri Köprüsü Yolu Tüneli Stadyumu Stadı
    Kampüsü Koleji Üniversitesi Fakültesi Enstitüsü Konağı Köşkü Sarayı Hamamı Çeşmesi Türbesi Külliyesi Anıtı
    Heykeli Kışlası Korusu Ormanı Bahçesi Limanı İskelesi İstasyonu Durağı Sitesi Blok Apartmanı Hanı Çarşısı
    Pazarı Atölyesi Ödülü Ödülleri Vakfi Paşa Ağa Efendi Hoca Dede Reis
    """.split()
)

#: Words that are never a surname (folded): the place words, and budget and service vocabulary.
NOT_SURNAMES: Final = PLACE_WORDS | frozenset(
    fold(w)
    for w in """
    Hizmet Hizmeti Hizmetleri Alımı Alımları Gideri Giderleri Yapımı Bakımı Onarımı Destek Desteği Ödeme Ödemesi
    Ödemeleri Eğitimi Kursu Kursları Toplantısı Günü Haftası Şenliği Festivali Yarışması Ulaşımı Ulaşım Programı
    Projesi Kültür Sanat Merkezleri Daire Şube İçin Ve İle
    """.split()
)

# --- value shapes -----------------------------------------------------------------------------------------------
_TCKN_SHAPE = r"[ \t]*[1-9][0-9]{10}[ \t]*"
_TCKN_IN_TEXT = re.compile(r"(?<![0-9])[1-9][0-9]{10}(?![0-9])")
# with a trunk prefix (0, +90) the groups may run together; without one they must be separated (212 555 12 34)
_PHONE_IN_TEXT = re.compile(
    r"(?<![0-9+])(?:\(?(?:\+90|0090|0)[ .-]?\(?[2-5][0-9]{2}\)?[ .-]?[0-9]{3}[ .-]?[0-9]{2}[ .-]?[0-9]{2}"
    r"|\(?[2-5][0-9]{2}\)?[ .-][0-9]{3}[ .-][0-9]{2}[ .-][0-9]{2})(?![0-9])"
)
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_LETTERS = "A-Za-zÇĞİIÖŞÜÂÎÛçğıiöşüâîû"
_WORD = re.compile(rf"[{_LETTERS}]+")
# RE2 pre-filter (a superset of what the Python patterns above find): an 11-digit run, a phone-shaped number, an @
_DIGITS_OR_AT = (
    r"(?:^|[^0-9])[1-9][0-9]{10}(?:[^0-9]|$)"
    r"|(?:\+90|0090|(?:^|[^0-9+])0)[ .-]?\(?[2-5][0-9]{2}\)?[ .-]?[0-9]{3}[ .-]?[0-9]{2}[ .-]?[0-9]{2}(?:[^0-9]|$)"
    r"|[2-5][0-9]{2}\)?[ .-][0-9]{3}[ .-][0-9]{2}[ .-][0-9]{2}"
    r"|@"
)
# A cheaper superset of everything :func:`_candidates` lets through (every given name has at least three
# letters): two letters in a row, or the shapes above. Values without it cannot hold personal data.
_MAYBE_PERSONAL = r"\pL\pL|" + _DIGITS_OR_AT
#: Values looked at to choose how a column is scanned (the choice changes the time, never the findings).
_SAMPLE_ROWS: Final = 2048


@cache
def _given_names() -> tuple[frozenset[str], frozenset[str]]:
    """(all given names, those that are also everyday words), folded, from the shipped list."""
    path = paths.datasets() / "reference" / "given_names_tr.csv"
    names: set[str] = set()
    common: set[str] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            for part in rec["given_name"].split():
                names.add(fold(part))
                if rec["common_word"] == "yes":
                    common.add(fold(part))
    return frozenset(names), frozenset(common)


def given_names() -> frozenset[str]:
    """The folded given names gcdb recognises (``datasets/reference/given_names_tr.csv``)."""
    return _given_names()[0]


@cache
def _name_prefilter() -> str:
    """One RE2 alternation of every given name as it is written (Title case, ALL CAPS, ASCII), word-bounded."""
    variants: set[str] = set()
    path = paths.datasets() / "reference" / "given_names_tr.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            for part in rec["given_name"].split():
                upper = tr_upper(part)
                variants.update({part, upper, fold(part).capitalize(), fold(part).upper()})
    body = "|".join(sorted(re.escape(v) for v in variants))
    return rf"(?:^|[^\pL])(?:{body})(?:[^\pL]|$)"


def is_personal_header(header: str) -> bool:
    """True if ``header`` names personal data (names, national id numbers, phone, e-mail, address)."""
    return header_key(header) in PERSONAL_HEADERS


def _tckn_checksum(digits: np.ndarray) -> np.ndarray:
    odd = digits[:, [0, 2, 4, 6, 8]].sum(axis=1)
    even = digits[:, [1, 3, 5, 7]].sum(axis=1)
    d10 = (odd * 7 - even) % 10
    d11 = digits[:, :10].sum(axis=1) % 10
    return (digits[:, 9] == d10) & (digits[:, 10] == d11)


def tckn_valid(values: pd.Series) -> np.ndarray:
    """Boolean mask: the value is an 11-digit T.C. kimlik number with valid check digits (vectorised)."""
    text = values.astype("str")
    shaped = text.str.fullmatch(_TCKN_SHAPE).fillna(False).to_numpy(dtype=bool)
    out = np.zeros(len(text), dtype=bool)
    if not shaped.any():
        return out
    candidates = text[shaped].str.strip().to_numpy(dtype=str).astype("U11")
    digits = candidates.view("<U1").reshape(-1, 11).astype(np.int64)
    out[shaped] = _tckn_checksum(digits)
    return out


def _is_tckn(text: str) -> bool:
    digits = np.frombuffer(text.encode("ascii"), dtype=np.uint8).astype(np.int64) - 48
    return bool(_tckn_checksum(digits.reshape(1, 11))[0])


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _known_places() -> frozenset[str]:
    """Folded names of known places (districts, and neighbourhoods when the reference list is shipped), without
    their ``Mah.`` suffix: a value that is exactly a known place is never a person's name."""
    return _places()


@cache
def _places() -> frozenset[str]:
    out: set[str] = set()
    ref = paths.datasets() / "reference"
    for name, column in (("istanbul_districts.csv", "district"), ("istanbul_neighbourhoods.csv", "name_tr")):
        path = ref / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                value = rec.get(column)
                if value:
                    out.add(_PLACE_SUFFIX.sub("", fold(value)))
    return frozenset(out)


_PLACE_SUFFIX = re.compile(r"\s+(?:mah\.?|mahallesi|mh\.?)$")


def _capitalised_run(text: str, words: list[tuple[int, int, str]], i: int) -> list[int]:
    """Indexes of the capitalised words from ``i`` on that are joined by spaces only (at most 4); a word with a
    suffix after an apostrophe (``YILMAZ'A``) ends the run."""
    run = [i]
    while run[-1] + 1 < len(words) and len(run) < 4:
        j = run[-1]
        gap = text[words[j][1] : words[j + 1][0]]
        if not gap or gap.strip(" \t") or not _is_capitalised(words[j + 1][2]):
            break
        run.append(j + 1)
    return run


def _name_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the personal names in ``text`` (see the module docstring)."""
    names, common = _given_names()
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        word = words[i][2]
        if not (_is_capitalised(word) and fold(word) in names):
            i += 1
            continue
        run = _capitalised_run(text, words, i)
        keys = [fold(words[k][2]) for k in run]
        given = 1
        while given < min(len(run), 3) and keys[given] in names:
            given += 1
        if given < len(run) and keys[given] not in NOT_SURNAMES:
            last = given  # given name(s), then a surname
        elif given >= 2:
            last = given - 1  # given names only: the last one is the surname (AHMET YILMAZ)
        else:
            i += 1
            continue
        place = any(key in PLACE_WORDS for key in keys[last + 1 :])
        all_caps = all(words[k][2].isupper() for k in run[: last + 1])
        ambiguous = keys[0] in common and (last < 1 or keys[1] in common or keys[1] not in names)
        if place or keys[last] in NOT_SURNAMES or (all_caps and ambiguous):
            i = run[last] + 1
            continue
        spans.append((words[i][0], words[run[last]][1]))
        i = run[last] + 1
    return spans


def find_in_text(text: str) -> list[tuple[int, int, str]]:
    """Personal parts of one text: ``(start, end, kind)`` spans, left to right, not overlapping."""
    found: list[tuple[int, int, str]] = []
    if "@" in text:
        found += [(m.start(), m.end(), EMAIL) for m in _EMAIL_IN_TEXT.finditer(text)]
    if any(ch.isdigit() for ch in text):
        found += [(m.start(), m.end(), TCKN) for m in _TCKN_IN_TEXT.finditer(text) if _is_tckn(m.group())]
        found += [(m.start(), m.end(), PHONE) for m in _PHONE_IN_TEXT.finditer(text)]
    found += [(s, e, NAME) for s, e in _name_spans(text)]
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[tuple[int, int, str]] = []
    for span in found:
        if out and span[0] < out[-1][1]:
            continue
        out.append(span)
    return out


def _arrow_texts(values) -> pa.Array:
    """Distinct values as an Arrow string array (no Python strings for Arrow-backed text)."""
    try:
        return pa.array(values, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return pa.array([None if v is None else str(v) for v in values], type=pa.large_string())


def _candidates(values) -> np.ndarray:
    """Which of ``values`` may hold personal data (RE2 pre-filter, vectorised)."""
    arr = values if isinstance(values, pa.Array) else _arrow_texts(values)
    if len(arr) == 0:
        return np.zeros(0, dtype=bool)
    digits = pc.match_substring_regex(arr, _DIGITS_OR_AT)
    names = pc.match_substring_regex(arr, _name_prefilter())
    hit = pc.fill_null(pc.or_(digits, names), False)
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)


def _distinct(values) -> tuple[pa.Array, np.ndarray | None, pa.ChunkedArray | None]:
    """``(distinct non-missing values as Arrow strings, codes or None, the Arrow strings of values or None)``.

    Arrow-backed text is not coded here (one hash of the distinct values, :func:`_codes` only when needed);
    other values are factorised (``codes`` with -1 for missing).
    """
    strings = arrow_strings(values) if isinstance(values, pd.Series) else None
    if strings is not None:
        return pc.unique(strings).drop_null(), None, strings
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return _arrow_texts(uniques), codes, None


def _codes(strings: pa.ChunkedArray, distinct: pa.Array) -> np.ndarray:
    """Position of each value of ``strings`` in ``distinct`` (-1 for missing)."""
    found = pc.index_in(strings, value_set=distinct)
    return np.asarray(pc.fill_null(found, -1).to_numpy(), dtype=np.int64)


def scan_values(values: pd.Series, *, distinct: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
    """Scan a text column once per distinct value.

    Returns ``(kinds, masked)`` aligned with ``values``: ``kinds`` holds ``"|"``-joined kinds found
    (``"tckn|name"``) or ``""``; ``masked`` the text with each personal part replaced by its placeholder (the
    original text where nothing was found, ``None`` for missing values) — or ``None`` when nothing was found.
    ``distinct=True``: the values are already distinct and not missing (no factorizing). Arrow-backed text is
    taken apart into rows only when something was found.
    """
    codes: np.ndarray | None
    strings = None
    if distinct:
        codes, arr = np.arange(len(values)), _arrow_texts(values)
    else:
        arr, codes, strings = _distinct(values)
    kinds = np.full(len(arr) + 1, "", dtype=object)
    places = _known_places()
    found: dict[int, str] = {}
    for k in np.flatnonzero(_candidates(arr)).tolist():
        text = arr[k].as_py()
        if _PLACE_SUFFIX.sub("", fold(text)) in places:
            continue
        spans = find_in_text(text)
        if not spans:
            continue
        kinds[k] = "|".join(dict.fromkeys(kind for _, _, kind in spans))
        found[k] = mask_text(text, spans)
    if not found:
        return np.full(len(values), "", dtype=object), None
    if codes is None:
        assert strings is not None
        codes = _codes(strings, arr)
    masked = np.empty(len(arr) + 1, dtype=object)
    masked[: len(arr)] = np.asarray(arr.to_pylist(), dtype=object)
    masked[-1] = None
    for k, text in found.items():
        masked[k] = text
    return kinds[codes], masked[codes]


def mask_text(text: str, spans: list[tuple[int, int, str]] | None = None) -> str:
    """``text`` with every personal part replaced by its placeholder (``[AD SOYAD]'A ÖDEME``)."""
    spans = find_in_text(text) if spans is None else spans
    out, at = [], 0
    for start, end, kind in spans:
        out += [text[at:start], PLACEHOLDERS[kind]]
        at = end
    out.append(text[at:])
    return "".join(out)


def looks_like_name(values: pd.Series, *, distinct: bool = False) -> np.ndarray:
    """Boolean mask: the value is a person's name and little else (vectorised on distinct values)."""
    kinds, masked = scan_values(values, distinct=distinct)
    if masked is None:
        return np.zeros(len(values), dtype=bool)
    rest = pd.Series(masked, dtype="str").str.replace(PLACEHOLDERS[NAME], "", regex=False).str.strip(" .,;-")
    return (pd.Series(kinds).str.contains(NAME, regex=False) & (rest.str.len() <= 3)).to_numpy(dtype=bool)


def mask_value(text: str) -> str:
    """Mask a value for the issues table: digits keep their first four (``1234*******``), words their first
    letter (``A*** Y***``); a longer text keeps its other words and masks only its personal parts."""
    text = str(text).strip()
    compact = re.sub(r"[ ().+-]", "", text)
    if compact.isdigit():
        keep = 4 if len(compact) > 6 else 1
        return compact[:keep] + "*" * (len(compact) - keep)
    spans = find_in_text(text)
    if spans and (len(spans) > 1 or spans[0][0] > 0 or spans[0][1] < len(text)):
        out, at = [], 0
        for start, end, _ in spans:
            out += [text[at:start], _stars(text[start:end])]
            at = end
        out.append(text[at:])
        return "".join(out)
    return _stars(text)


def _stars(part: str) -> str:
    if "@" in part:
        local, _, domain = part.partition("@")
        return local[:1] + "***@" + domain[:1] + "***"
    if any(ch.isdigit() for ch in part):
        digits = re.sub(r"[^0-9]", "", part)
        return digits[:4] + "*" * max(len(digits) - 4, 0)
    return " ".join(w[:1] + "*" * 3 for w in part.split())


def mask_issue_values(values: pd.Series) -> pd.Series:
    """The issues table's ``value`` column with every value that holds personal data masked (:func:`mask_value`)."""
    arr, codes, strings = _distinct(values)
    changed: dict[int, str] = {}
    for k in np.flatnonzero(_candidates(arr)).tolist():
        text = arr[k].as_py()
        if find_in_text(text) or _bare_tckn(text):
            changed[k] = mask_value(text)
    if not changed:
        return values
    shown = arr.to_pylist()
    for k, text in changed.items():
        shown[k] = text
    table = pa.array(shown, type=pa.large_string())
    if codes is None:
        assert strings is not None
        taken = table.take(pc.index_in(strings, value_set=arr))
    else:
        taken = table.take(pa.array(codes, mask=codes < 0))
    return str_series(taken, index=values.index)


def _bare_tckn(text: str) -> bool:
    return bool(re.fullmatch(_TCKN_SHAPE, text)) and _is_tckn(text.strip())


def find_personal_columns(
    frame: pd.DataFrame, headers: tuple[str, ...], skip: frozenset[int] = frozenset()
) -> list[dict]:
    """Scan every column of a raw text ``frame`` (columns by position, ``headers`` their names).

    Returns one finding per flagged column: ``{"position", "header", "row" (0-based data row, or None for the
    header), "kind" ("header" | "tckn" | "name"), "value" (masked)}``. ``skip``: positions whose values are not
    judged by share (free-text columns, which are masked instead); their headers still are.
    """
    findings: list[dict] = []
    for pos, header in enumerate(headers):
        if is_personal_header(header):
            findings.append(
                {"position": pos, "header": header, "row": None, "kind": "header", "value": header}
            )
            continue
        if pos in skip:
            continue
        distinct, counts, n_present = _maybe_personal_counts(frame.iloc[:, pos])
        # hits are among these values: too few of them and no share can be reached
        if not n_present or int(counts.sum()) < min(TCKN_SHARE, NAME_SHARE) * n_present:
            continue
        values = str_series(distinct)
        hits = {TCKN: tckn_valid(values), NAME: looks_like_name(values, distinct=True)}
        shares = {TCKN: TCKN_SHARE, NAME: NAME_SHARE}
        for kind in (TCKN, NAME):
            n_hit = int(counts[hits[kind]].sum())
            if n_hit and n_hit >= shares[kind] * n_present:
                first_row = _first_row(frame.iloc[:, pos], distinct.filter(pa.array(hits[kind])))
                findings.append(
                    {
                        "position": pos,
                        "header": header,
                        "row": first_row,
                        "kind": kind,
                        "value": mask_value(
                            str(frame.iloc[first_row, pos])
                        ),  # (mask_value takes str() anyway)
                    }
                )
                break
    return findings


def _maybe_personal_counts(col: pd.Series) -> tuple[pa.Array, np.ndarray, int]:
    """The distinct values of a text column that may hold personal data (:data:`_MAYBE_PERSONAL`), how many rows
    hold each, and how many rows hold any value.

    A column of codes or ids (``P01252368``: a new value on most rows, none of them personal-shaped, judged on
    its first rows) is filtered row by row before anything is hashed; other columns are counted first and their
    distinct values filtered.
    """
    strings = arrow_strings(col)
    if strings is not None and len(strings) > _SAMPLE_ROWS:
        sample = strings.slice(0, _SAMPLE_ROWS)
        if (
            pc.count_distinct(sample).as_py() * 2 > _SAMPLE_ROWS
            and int(pc.sum(pc.match_substring_regex(sample, _MAYBE_PERSONAL)).as_py() or 0) * 2 < _SAMPLE_ROWS
        ):
            maybe = pc.match_substring_regex(strings, _MAYBE_PERSONAL)
            found = pc.value_counts(strings.filter(maybe))  # missing values are dropped by the filter
            return (
                found.field("values"),
                np.asarray(found.field("counts"), dtype=np.int64),
                len(strings) - strings.null_count,
            )
    distinct, counts = _value_counts(col)
    keep = pc.fill_null(pc.match_substring_regex(distinct, _MAYBE_PERSONAL), False)
    keep_np = np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool)
    return distinct.filter(keep), counts[keep_np], int(counts.sum())


def _value_counts(col: pd.Series) -> tuple[pa.Array, np.ndarray]:
    """The distinct non-missing values of a text column (Arrow strings) and how many rows hold each: one hash of
    the column, no codes per row."""
    strings = arrow_strings(col)
    if strings is None:
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        return text_array(np.asarray(uniques, dtype=object)), counts
    found = pc.value_counts(strings)
    present = pc.is_valid(found.field("values"))
    return found.field("values").filter(present), np.asarray(
        found.field("counts").filter(present), dtype=np.int64
    )


def _first_row(col: pd.Series, hits: pa.Array) -> int:
    """Position of the first row of ``col`` whose value is one of ``hits``."""
    strings = arrow_strings(col)
    if strings is None:
        strings = pa.chunked_array([text_array(col.to_numpy(dtype=object))])
    return int(pc.index(pc.is_in(strings, value_set=hits), True).as_py())
