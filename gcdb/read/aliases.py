"""Header aliases: the names municipalities give their columns, mapped to gcdb's canonical names.

A header matches an alias when both have the same :func:`header_key`: Turkish folding (any letter case, ``İ``/``I``
handled, diacritics removed), dots dropped, ``_``/``-``/``/`` read as spaces, a money unit such as ``(TL)`` removed.
So ``BAŞLANGIÇ ÖDENEĞİ``, ``Başlangıç Ödeneği (TL)``, ``baslangic_odenegi`` and the canonical
``initial_appropriation`` all map to :data:`gcdb.columns.INITIAL_APPROPRIATION`. The canonical English names and
the Turkish/English labels of :data:`gcdb.columns.LABELS` are always accepted.

Callers extend the table per call: ``read_budget(path, aliases={"Ödenek 2023": "initial_appropriation"})``; a
value of ``None`` ignores that header (e.g. when a file has both ``Revize Ödenek`` and ``Yıl Sonu Ödeneği``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Final

from gcdb import columns as C
from gcdb.errors import UsageError
from gcdb.i18n import Message
from gcdb.text import fold

BUDGET: Final = "budget"
USAGE: Final = "usage"
POPULATION: Final = "population"
KINDS: Final = (BUDGET, USAGE, POPULATION)

#: Input-only usage field: converted to :data:`gcdb.columns.AGE` at the record's year, never returned.
BIRTH_YEAR: Final = "birth_year"

_BUDGET: dict[str, tuple[str, ...]] = {
    C.FISCAL_YEAR: ("Yıl", "Mali Yıl", "Bütçe Yılı", "Year", "Fiscal Year"),
    C.LINE_ID: ("Satır No", "Satır", "Satır Numarası", "Sıra No", "Sıra", "Line Id", "Line No"),
    C.INSTITUTIONAL_CODE: (
        "Kurumsal Kod",
        "Kurumsal Sınıflandırma",
        "Kurumsal",
        "Kurum Kodu",
        "Institutional Code",
    ),
    C.UNIT_NAME: (
        "Birim",
        "Birim Adı",
        "Harcama Birimi",
        "Müdürlük",
        "Daire Başkanlığı",
        "Unit",
        "Unit Name",
    ),
    C.FUNCTIONAL_CODE: (
        "Fonksiyonel Kod",
        "Fonksiyonel Sınıflandırma",
        "Fonksiyonel",
        "Fonksiyon Kodu",
        "Functional Code",
    ),
    C.FINANCING_TYPE: ("Finansman Tipi", "Finansman Kodu", "Finansman", "Finans Tipi", "Financing Type"),
    C.ECONOMIC_CODE: ("Ekonomik Kod", "Ekonomik Sınıflandırma", "Ekonomik", "Economic Code"),
    C.DESCRIPTION: ("Açıklama", "Tanım", "Harcama Kalemi", "Description"),
    C.INITIAL_APPROPRIATION: (
        "Başlangıç Ödeneği",
        "Başlangıç Ödenek",
        "Bütçe Ödeneği",
        "Initial Appropriation",
    ),
    C.REVISED_APPROPRIATION: (
        "Revize Ödenek",
        "Revize Ödeneği",
        "Yıl Sonu Ödeneği",
        "Yılsonu Ödeneği",
        "Güncel Ödenek",
        "Toplam Ödenek",
        "Revised Appropriation",
    ),
    C.EXPENDITURE: (
        "Harcama",
        "Harcanan",
        "Harcama Tutarı",
        "Gerçekleşme",
        "Gerçekleşen",
        "Fiili Harcama",
        "Expenditure",
    ),
    C.ACTIVITY_CODE: ("Faaliyet Kodu", "Faaliyet No", "Faaliyet", "Activity Code"),
    C.PROJECT_CODE: ("Proje Kodu", "Proje No", "Project Code"),
    C.QUARTER: ("Çeyrek", "Çeyrek Dönem", "Quarter"),
}

_DISTRICT = ("İlçe", "İlçe Adı", "District")
_NEIGHBOURHOOD = ("Mahalle", "Mahalle Adı", "Neighbourhood", "Neighborhood")
_SEX = ("Cinsiyet", "Cinsiyeti", "Sex", "Gender")
_AGE_BAND = ("Yaş Grubu", "Yaş Aralığı", "Age Band", "Age Group")

_USAGE: dict[str, tuple[str, ...]] = {
    C.RECORD_ID: ("Kayıt No", "Kayıt", "Kayıt Numarası", "Başvuru No", "Record Id"),
    C.SERVICE_CODE: ("Hizmet Kodu", "Service Code"),
    C.SERVICE_NAME: ("Hizmet", "Hizmet Adı", "Service", "Service Name"),
    C.UNIT_NAME: ("Birim", "Birim Adı", "Müdürlük", "Unit", "Unit Name"),
    C.DATE: ("Tarih", "Hizmet Tarihi", "İşlem Tarihi", "Başvuru Tarihi", "Date"),
    C.FISCAL_YEAR: ("Yıl", "Mali Yıl", "Year", "Fiscal Year"),
    C.PERSON_ID: ("Kişi No", "Kişi Kodu", "Kişi Id", "Yararlanıcı No", "Person Id"),
    C.SEX: _SEX,
    C.AGE: ("Yaş", "Yaşı", "Age"),
    BIRTH_YEAR: ("Doğum Yılı", "Birth Year"),
    C.AGE_BAND: _AGE_BAND,
    C.DISABILITY: (
        "Engellilik",
        "Engellilik Durumu",
        "Engel Durumu",
        "Engelli",
        "Engel Oranı",
        "Engellilik Oranı",
        "Disability",
    ),
    C.MIGRANT_STATUS: ("Göçmenlik Durumu", "Göçmen Durumu", "Göçmenlik", "Migrant Status"),
    C.DISTRICT: _DISTRICT,
    C.NEIGHBOURHOOD: _NEIGHBOURHOOD,
    C.QUANTITY: ("Miktar", "Adet", "Quantity"),
}

_POPULATION: dict[str, tuple[str, ...]] = {
    C.FISCAL_YEAR: ("Yıl", "Year", "Fiscal Year"),
    C.DISTRICT: _DISTRICT,
    C.NEIGHBOURHOOD: _NEIGHBOURHOOD,
    C.SEX: _SEX,
    C.AGE_BAND: _AGE_BAND,
    C.POPULATION: ("Nüfus", "Toplam Nüfus", "Kişi Sayısı", "Population"),
    C.DISABLED_POPULATION: ("Engelli Nüfus", "Engelli Sayısı", "Disabled Population"),
    C.MIGRANT_POPULATION: ("Göçmen Nüfus", "Göçmen Sayısı", "Migrant Population"),
}

#: The alias table: kind → canonical name → aliases (labels and canonical names are added automatically).
ALIASES: Final[Mapping[str, Mapping[str, tuple[str, ...]]]] = {
    BUDGET: _BUDGET,
    USAGE: _USAGE,
    POPULATION: _POPULATION,
}

#: Canonical columns of each kind, in output order, and which of them are required.
CANONICAL: Final = {BUDGET: C.BUDGET_COLUMNS, USAGE: C.USAGE_COLUMNS, POPULATION: C.POPULATION_COLUMNS}
REQUIRED: Final = {BUDGET: C.BUDGET_REQUIRED, USAGE: C.USAGE_REQUIRED, POPULATION: C.POPULATION_REQUIRED}

_UNIT = re.compile(r"\((?:tl|try|₺|kurus|krs)\)|₺|\s(?:tl|try)$")
_PUNCT = re.compile(r"[_\-/:]+")
_SPACE = re.compile(r"\s+")


def header_key(header: str) -> str:
    """The matching key of a header: folded, dots dropped, ``_-/:`` as spaces, money unit removed."""
    key = fold(str(header)).replace(".", "").replace("'", "")
    key = _PUNCT.sub(" ", key)
    key = _SPACE.sub(" ", key).strip()
    key = _UNIT.sub("", key)
    return _SPACE.sub(" ", key).strip()


@cache
def _shipped_keys(kind: str) -> dict[str, str | None]:
    table: dict[str, str | None] = {}
    for name in CANONICAL[kind]:
        for text in (name, *C.LABELS.get(name, ())):
            table[header_key(text)] = name
    for name, aliases in ALIASES[kind].items():
        table[header_key(name)] = name
        for alias in aliases:
            table[header_key(alias)] = name
    return table


def alias_keys(kind: str, extra: Mapping[str, str | None] | None = None) -> dict[str, str | None]:
    """Header key → canonical name (``None`` = ignore) for ``kind``; ``extra`` (user aliases) win."""
    if kind not in KINDS:
        raise UsageError(Message("read.unknown_kind", kind=repr(kind), kinds=", ".join(KINDS)))
    known = set(CANONICAL[kind]) | ({BIRTH_YEAR} if kind == USAGE else set())
    table = dict(_shipped_keys(kind))
    for header, name in (extra or {}).items():
        if name is not None and name not in known:
            raise UsageError(
                Message(
                    "read.alias_unknown",
                    header=repr(header),
                    name=repr(name),
                    kind=kind,
                    known=", ".join(sorted(known)),
                )
            )
        table[header_key(header)] = name
    return table


@dataclass(frozen=True)
class HeaderMap:
    """How the headers of a file map to canonical names.

    ``canonical[i]`` is the canonical name of the ``i``-th header (``None`` if unmapped or ignored);
    ``duplicates`` maps a canonical name to the headers that all claim it (an error).
    """

    headers: tuple[str, ...]
    canonical: tuple[str | None, ...]
    duplicates: Mapping[str, tuple[str, ...]]

    @property
    def found(self) -> dict[str, int]:
        """Canonical name → position of its header (first one if duplicated)."""
        out: dict[str, int] = {}
        for i, name in enumerate(self.canonical):
            if name is not None and name not in out:
                out[name] = i
        return out

    @property
    def unmapped(self) -> tuple[str, ...]:
        return tuple(h for h, c in zip(self.headers, self.canonical, strict=True) if c is None)


def map_headers(
    headers: Iterable[str], kind: str, extra: Mapping[str, str | None] | None = None
) -> HeaderMap:
    """Map ``headers`` of a ``kind`` table to canonical names through the alias table (plus ``extra``)."""
    table = alias_keys(kind, extra)
    headers = tuple(str(h) for h in headers)
    canonical = tuple(table.get(header_key(h)) for h in headers)
    claims: dict[str, list[str]] = {}
    for header, name in zip(headers, canonical, strict=True):
        if name is not None:
            claims.setdefault(name, []).append(header)
    duplicates = {name: tuple(hs) for name, hs in claims.items() if len(hs) > 1}
    return HeaderMap(headers=headers, canonical=canonical, duplicates=duplicates)
