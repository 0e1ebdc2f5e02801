"""Detect personal data in service-usage files, so that people's data never passes into gcdb's outputs.

Service-usage records must carry a pseudonymous person id, never a name or the 11-digit T.C. kimlik number.
A column (mapped to a canonical name or not) is flagged when

* its **header** names personal data: ``Ad``, ``Soyad``, ``Ad Soyad``, ``Adı Soyadı``, ``İsim``, ``TC Kimlik No``,
  ``TCKN``, ``Kimlik No``, ``YKN``, ``Telefon``, ``E-posta``, ``Adres`` … (issue row 1, the header row); or
* at least :data:`TCKN_SHARE` of its non-blank values (and at least one) are **T.C. kimlik numbers**: 11 digits,
  first digit not 0, and both check digits right (10th = (7·Σodd₁₋₉ − Σeven₂₋₈) mod 10, 11th = Σ₁₋₁₀ mod 10).
  A random 11-digit pseudonym passes the checksum one time in a hundred, so a pseudonymous id column is not
  flagged; real numbers always pass; or
* at least :data:`NAME_SHARE` of its non-blank values look like **personal names**: two or three capitalised
  words (``Ayşe Yılmaz``, ``MEHMET ALİ KAYA``) whose first word is one of :data:`FIRST_NAMES` and whose last word
  is not a place or institution word (``Fatih Sultan Mehmet Mahallesi`` is a neighbourhood, not a person).

The issue's ``value`` is masked (``123********``, ``A*** Y***``): the issues table must not leak what it reports.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from gcdb.read.aliases import header_key
from gcdb.text import fold

TCKN_SHARE: Final = 0.05
NAME_SHARE: Final = 0.3

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

#: Common Turkish first names (folded), women's and men's. Deliberately small: it only has to recognise a column
#: of names, not every name.
FIRST_NAMES: Final = frozenset(
    fold(n)
    for n in """
    Ayşe Fatma Emine Hatice Zeynep Elif Meryem Şerife Zehra Sultan Hanife Merve Özlem Yasemin Hacer Esra Leyla
    Songül Rabia Büşra Gülsüm Melek Dilek Derya Sevgi Sibel Ebru Özge Tuğba Kübra Aysel Hülya Gül Havva Nur Nuray
    Sevim Gülay Aynur Filiz Esma Seda Cennet Hediye Kader Selma Hanım Gamze Pınar Duygu Ceren Ece İrem Buse Melike
    Yıldız Nurten Nermin Nazlı Ayten Asiye Saadet Semra Serpil Şükran Tülay Zerrin Necla Aslı Gizem Betül Esin
    Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Ömer Ramazan Halil Süleyman Abdullah
    Mahmut Salih Recep Kemal Fatih Kadir Emre Hakan Adem Mehmet Metin Orhan Burak Serkan Yasin Cengiz Erkan Uğur
    Yunus Volkan Sinan Onur Tuncay Gökhan Cem Can Deniz Barış Kaan Kerem Mert Efe Arda Emir Eren Berk Furkan Enes
    Yiğit Tolga Levent Selim Sami Şükrü Bülent Cemal Cevdet Erol Engin Fikret Hamza Harun İlhan Kenan Lütfi Nihat
    Oğuz Rıza Sedat Tarık Turgut Zafer Veli Yavuz Hikmet Muhammed Yakup Tahir Bekir Musa İsa Erdal Ercan Ferhat
    """.split()
)

#: Words that end place and institution names, never a surname in a name column.
PLACE_WORDS: Final = frozenset(
    fold(w)
    for w in """
    Mahallesi Mahalle Mah Mh Sokak Sokağı Sk Caddesi Cadde Cd Bulvarı Parkı Park Meydanı Köyü Camii Cami Okulu
    Lisesi Merkezi Merkez Kreşi Kreş Evi Salonu Kütüphanesi Hastanesi Müdürlüğü Başkanlığı Vakfı Derneği İlçesi
    Belediyesi Spor Kulübü Tesisi
    """.split()
)

# two or three capitalised words of letters (Title case or ALL CAPS), Turkish letters included
_NAME_SHAPE = r"[ \t]*[A-ZÇĞİIÖŞÜÂÎÛ][a-zçğıiöşüâîûA-ZÇĞİIÖŞÜÂÎÛ]+(?:[ \t]+[A-ZÇĞİIÖŞÜÂÎÛ][a-zçğıiöşüâîûA-ZÇĞİIÖŞÜÂÎÛ]+){1,2}[ \t]*"
_TCKN_SHAPE = r"[ \t]*[1-9][0-9]{10}[ \t]*"


def is_personal_header(header: str) -> bool:
    """True if ``header`` names personal data (names, national id numbers, phone, e-mail, address)."""
    return header_key(header) in PERSONAL_HEADERS


def tckn_valid(values: pd.Series) -> np.ndarray:
    """Boolean mask: the value is an 11-digit T.C. kimlik number with valid check digits (vectorised)."""
    text = values.astype("str")
    shaped = text.str.fullmatch(_TCKN_SHAPE).to_numpy(dtype=bool)
    out = np.zeros(len(text), dtype=bool)
    if not shaped.any():
        return out
    candidates = text[shaped].str.strip().to_numpy(dtype=str).astype("U11")
    digits = candidates.view("<U1").reshape(-1, 11).astype(np.int64)
    odd = digits[:, [0, 2, 4, 6, 8]].sum(axis=1)
    even = digits[:, [1, 3, 5, 7]].sum(axis=1)
    d10 = (odd * 7 - even) % 10
    d11 = digits[:, :10].sum(axis=1) % 10
    out[shaped] = (digits[:, 9] == d10) & (digits[:, 10] == d11)
    return out


def looks_like_name(values: pd.Series) -> np.ndarray:
    """Boolean mask: the value looks like a personal name (see the module docstring; vectorised)."""
    text = values.astype("str")
    shaped = text.str.fullmatch(_NAME_SHAPE).to_numpy(dtype=bool)
    out = np.zeros(len(text), dtype=bool)
    if not shaped.any():
        return out
    words = text[shaped].str.split()
    first = words.str[0].map(fold, na_action="ignore")
    last = words.str[-1].map(fold, na_action="ignore")
    out[shaped] = (first.isin(FIRST_NAMES) & ~last.isin(PLACE_WORDS)).to_numpy(dtype=bool)
    return out


def mask_value(text: str) -> str:
    """Mask a personal value for the issues table: keep the first character(s) of each word, star the rest."""
    text = str(text).strip()
    if text.isdigit():
        return text[:3] + "*" * (len(text) - 3)
    return " ".join(w[:1] + "*" * 3 for w in text.split())


def find_personal_columns(frame: pd.DataFrame, headers: tuple[str, ...]) -> list[dict]:
    """Scan every column of a raw text ``frame`` (columns by position, ``headers`` their names).

    Returns one finding per flagged column: ``{"position", "header", "row" (0-based data row, or None for the
    header), "kind" ("header" | "tckn" | "name"), "value" (masked)}``. The distinct values of all columns are
    checked together in one vectorised pass.
    """
    findings: list[dict] = []
    columns: list[
        tuple[int, np.ndarray, int]
    ] = []  # (position, codes, offset into the pooled distinct values)
    pooled: list[np.ndarray] = []
    offset = 0
    for pos, header in enumerate(headers):
        if is_personal_header(header):
            findings.append(
                {"position": pos, "header": header, "row": None, "kind": "header", "value": header}
            )
            continue
        codes, uniques = pd.factorize(frame.iloc[:, pos], use_na_sentinel=True)
        columns.append((pos, codes, offset))
        pooled.append(np.asarray(uniques, dtype=object))
        offset += len(uniques)
    if not offset:
        return findings
    values = pd.Series(np.concatenate(pooled), dtype="str")
    hits = {"tckn": tckn_valid(values), "name": looks_like_name(values)}
    shares = {"tckn": TCKN_SHARE, "name": NAME_SHARE}
    for pos, codes, start in columns:
        present = codes >= 0
        if not present.any():
            continue
        for kind in ("tckn", "name"):
            hit_rows = present & hits[kind][np.where(present, codes + start, 0)]
            n_hit = int(hit_rows.sum())
            if n_hit and n_hit >= shares[kind] * int(present.sum()):
                first_row = int(np.flatnonzero(hit_rows)[0])
                findings.append(
                    {
                        "position": pos,
                        "header": headers[pos],
                        "row": first_row,
                        "kind": kind,
                        "value": mask_value(frame.iloc[first_row, pos]),
                    }
                )
                break
    return findings
