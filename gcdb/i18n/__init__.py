"""Strings for people, one gettext catalogue per language, and numbers and dates in each language's format.

Every string gcdb shows a person lives in ``gcdb/locale/<lang>/LC_MESSAGES/gcdb.po``: the *msgid* is a stable
program key (``sheet.summary``, ``web.citizen.title``), the ``#.`` comment above it is the English text for
translators, and the *msgstr* is the text in that language, with ``{placeholders}`` filled by :func:`t`. The
``.po`` files are the single source; they are read at run time with Babel (:mod:`babel.messages.pofile`) and ship
inside the package. **A new language is a new file**: copy ``gcdb/locale/en/LC_MESSAGES/gcdb.po`` to
``gcdb/locale/<lang>/LC_MESSAGES/gcdb.po``, translate the msgstr lines, and ``--lang <lang>`` works.

Fallback. Turkish (``tr``) and English (``en``) are complete — a test checks that both hold every key. Other
catalogues may be partial (the Arabic one covers what the web reports show: keys starting with
:data:`WEB_PREFIXES`); a key missing from a partial catalogue, or left untranslated (empty msgstr, or marked
fuzzy), falls back to **English**. A key missing from English too is a programming error: :class:`MissingTranslation`.

Numbers, money, percentages and dates follow the language's CLDR conventions through Babel: Turkish
``1.234.567,89`` and ``%4,1``, English ``1,234,567.89`` and ``4.1%``.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Final

from gcdb.errors import UsageError

#: The default report language, and the language a partial catalogue falls back to.
DEFAULT_LANG: Final = "tr"
FALLBACK_LANG: Final = "en"
#: Keys every catalogue must hold for the web reports (a partial catalogue covers at least these).
WEB_PREFIXES: Final = ("web.", "label.", "num.", "lang.")
DOMAIN: Final = "gcdb"


class MissingTranslation(KeyError, UsageError):
    """A string key that the English catalogue does not hold (a programming error)."""


def _locale_root():
    return resources.files("gcdb") / "locale"


@cache
def languages() -> tuple[str, ...]:
    """The languages that have a catalogue: Turkish, English, then the others in alphabetical order."""
    root = _locale_root()
    found = sorted(
        entry.name for entry in root.iterdir() if (entry / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
    )
    first = [lang for lang in (DEFAULT_LANG, FALLBACK_LANG) if lang in found]
    return tuple(first + [lang for lang in found if lang not in first])


def check_lang(lang: str) -> str:
    """``lang`` if a catalogue exists for it; otherwise a :class:`~gcdb.errors.UsageError` naming the choices."""
    if lang not in languages():
        raise UsageError(f"lang must be one of {', '.join(languages())}, got {lang!r}")
    return lang


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Key → text of the ``lang`` catalogue, translated entries only (empty and fuzzy msgstr left out)."""
    from babel.messages.pofile import read_po

    check_lang(lang)
    path = _locale_root() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        parsed = read_po(handle, locale=lang, domain=DOMAIN)
    out: dict[str, str] = {}
    for message in parsed:
        if not message.id or not isinstance(message.id, str) or message.fuzzy:
            continue
        if isinstance(message.string, str) and message.string:
            out[message.id] = message.string
    return out


@cache
def english_comments() -> dict[str, str]:
    """Key → the English text written as the translators' comment (``#.``) in the English catalogue."""
    from babel.messages.pofile import read_po

    path = _locale_root() / FALLBACK_LANG / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        parsed = read_po(handle, locale=FALLBACK_LANG, domain=DOMAIN)
    return {m.id: " ".join(m.auto_comments) for m in parsed if m.id and isinstance(m.id, str)}


def has(key: str, lang: str = FALLBACK_LANG) -> bool:
    """Whether the ``lang`` catalogue itself (no fallback) holds ``key``."""
    return key in catalogue(lang)


def known(key: str) -> bool:
    """Whether ``key`` exists at all (in the English catalogue every key is in)."""
    return key in catalogue(FALLBACK_LANG)


def t(key: str, lang: str = DEFAULT_LANG, /, **values: object) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled from ``values``; English if ``lang``'s
    catalogue lacks it.

    >>> t("total", "en")
    'Total'
    """
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue(FALLBACK_LANG).get(key)
        if text is None:
            close = difflib.get_close_matches(key, catalogue(FALLBACK_LANG), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise MissingTranslation(f"no string {key!r} in the catalogue{hint}")
    return text.format(**values) if values else text


def optional(key: str, fallback: str, lang: str = DEFAULT_LANG, /, **values: object) -> str:
    """:func:`t` of ``key`` if the catalogue holds it, else ``fallback`` (labels of open-ended codes)."""
    return t(key, lang, **values) if known(key) else fallback


class Labels(Mapping[str, tuple[str, str]]):
    """The labels of a family of codes, read from the catalogue: ``code → (Turkish, English)`` for every key
    ``<prefix>.<code>``. A drop-in for the ``LABELS`` dicts of gcdb's ``names`` modules, whose text lives in the
    ``.po`` files (``Labels("costing.label")["costed"] == ("Maliyet", "Costed")``)."""

    def __init__(self, prefix: str):
        self.prefix = prefix.rstrip(".") + "."

    def __getitem__(self, code: str) -> tuple[str, str]:
        key = self.prefix + str(code)
        if not known(key):
            raise KeyError(code)
        return t(key, DEFAULT_LANG), t(key, FALLBACK_LANG)

    def __iter__(self) -> Iterator[str]:
        n = len(self.prefix)
        return iter(sorted(k[n:] for k in catalogue(FALLBACK_LANG) if k.startswith(self.prefix)))

    def __len__(self) -> int:
        return sum(1 for k in catalogue(FALLBACK_LANG) if k.startswith(self.prefix))

    def __contains__(self, code: object) -> bool:
        return known(self.prefix + str(code))

    def label(self, code: str, lang: str = DEFAULT_LANG) -> str:
        """The label of ``code`` in any catalogue language (English where it lacks it); the code when unknown."""
        return optional(self.prefix + str(code), str(code), lang)


def direction(lang: str) -> str:
    """``"rtl"`` for a right-to-left language (Arabic), else ``"ltr"`` (from CLDR)."""
    return "rtl" if _locale(lang).character_order == "right-to-left" else "ltr"


def language_name(lang: str, in_lang: str | None = None) -> str:
    """The name of ``lang`` in ``in_lang`` (default: in itself), e.g. ``Türkçe``, ``العربية``."""
    name = _locale(lang).get_display_name(_locale(in_lang or lang))
    return name[:1].upper() + name[1:] if name else lang


@cache
def _locale(lang: str):
    from babel import Locale

    check_lang(lang)
    return Locale.parse(lang)


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def format_number(
    value: float | None, decimals: int = 1, lang: str = DEFAULT_LANG, *, percent: bool = False
) -> str:
    """A number with ``decimals`` digits in ``lang``'s format (``1.234,5`` in Turkish); ``–`` when missing.

    ``percent=True`` multiplies by 100 and places the sign as the language does (``%34,5``, ``34.5%``).
    """
    if percent:
        return format_percent(value, decimals, lang)
    if _missing(value):
        return "–"
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(float(value), format=pattern, locale=_locale(lang))  # type: ignore[arg-type]


def format_percent(share: float | None, decimals: int = 1, lang: str = DEFAULT_LANG) -> str:
    """A fraction as a percentage in ``lang`` (0.041 → ``%4,1`` in Turkish, ``4.1%`` in English)."""
    if _missing(share):
        return "–"
    from babel.numbers import format_percent as babel_percent

    pattern = _locale(lang).percent_formats[None].pattern
    if decimals > 0:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * decimals, 1)
    return babel_percent(float(share), format=pattern, locale=_locale(lang))  # type: ignore[arg-type]


def format_money(kurus: int | None, lang: str = DEFAULT_LANG, *, decimals: int = 2) -> str:
    """Integer kuruş as lira with the currency word of ``lang`` (``1.234,56 TL``)."""
    if _missing(kurus):
        return "–"
    from gcdb.money import KURUS_PER_LIRA

    amount = format_number(int(kurus) / KURUS_PER_LIRA, decimals, lang)  # type: ignore[arg-type]
    return t("num.money", lang, amount=amount)


def format_compact_money(kurus: int | None, lang: str = DEFAULT_LANG) -> str:
    """Money rounded as a newspaper writes it: ``4,2 milyar TL``, ``812 milyon TL``, ``57,3 milyon TL``.

    Three significant digits at most: one decimal below 100 of the unit (thousand, million, billion), none above.
    """
    if _missing(kurus):
        return "–"
    from babel.numbers import format_compact_decimal

    from gcdb.money import KURUS_PER_LIRA

    lira = int(kurus) / KURUS_PER_LIRA  # type: ignore[arg-type]
    if abs(lira) < 1000:
        return format_money(round(lira) * KURUS_PER_LIRA, lang, decimals=0)
    unit = 10 ** (3 * int(math.log10(abs(lira)) // 3))
    digits = 1 if abs(lira) / unit < 100 else 0
    text = format_compact_decimal(lira, format_type="long", locale=_locale(lang), fraction_digits=digits)
    return t("num.money", lang, amount=text)


def format_date(value: date | datetime, lang: str = DEFAULT_LANG) -> str:
    """A date as ``lang`` writes it in running text (``6 Aralık 2026``)."""
    from babel.dates import format_date as babel_date

    return babel_date(value, format="long", locale=_locale(lang))


__all__ = [
    "Labels",
    "DEFAULT_LANG",
    "FALLBACK_LANG",
    "WEB_PREFIXES",
    "MissingTranslation",
    "catalogue",
    "check_lang",
    "direction",
    "english_comments",
    "format_compact_money",
    "format_date",
    "format_money",
    "format_number",
    "format_percent",
    "has",
    "known",
    "language_name",
    "languages",
    "optional",
    "t",
]
