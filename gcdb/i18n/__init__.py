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

The current language. Every function here takes ``lang``; left out (``None``), it is the *current language*:
Turkish, unless a caller chose another for a block with :func:`using` (the CLI does so from ``--lang`` and
``GCDB_LANG``; readers and loaders do so from their ``lang=`` argument, see :func:`speaks`). It is a
:mod:`contextvars` variable, so threads and asyncio tasks each have their own. Messages meant to be raised carry
their key and values (:class:`Message`), so an exception can be shown again in another language.
"""

from __future__ import annotations

import difflib
import functools
import math
import string
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Final, ParamSpec, TypeVar

if TYPE_CHECKING:
    import numpy as np

from gcdb.errors import UsageError

#: The default report language, and the language a partial catalogue falls back to.
DEFAULT_LANG: Final = "tr"
FALLBACK_LANG: Final = "en"
#: Keys every catalogue must hold for the web reports (a partial catalogue covers at least these).
WEB_PREFIXES: Final = ("web.", "label.", "num.", "lang.")
DOMAIN: Final = "gcdb"


class MissingTranslation(KeyError, UsageError):
    """A string key that the English catalogue does not hold (a programming error)."""


_CURRENT: ContextVar[str | None] = ContextVar("gcdb_lang", default=None)
_P = ParamSpec("_P")
_R = TypeVar("_R")


def current_lang() -> str:
    """The language of messages when a caller names none: the one :func:`using` set, else Turkish."""
    return _CURRENT.get() or DEFAULT_LANG


def resolve_lang(lang: str | None) -> str:
    """``lang`` checked against the catalogues, or the current language when ``None``."""
    return current_lang() if lang is None else check_lang(lang)


@contextmanager
def using(lang: str | None) -> Iterator[str]:
    """Within the block, ``lang`` is the current language (``None``: keep the current one).

    >>> with using("en"):
    ...     t("total")
    'Total'
    """
    if lang is None:
        yield current_lang()
        return
    token = _CURRENT.set(check_lang(lang))
    try:
        yield lang
    finally:
        _CURRENT.reset(token)


def speaks(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorator of a public function with a keyword argument ``lang: str | None = None``: the function runs with
    that language current (:func:`using`), so every message built inside it, however deep, is in ``lang``."""

    import inspect

    if inspect.isgeneratorfunction(func):  # its body runs after the call returns, outside the block
        raise TypeError(f"speaks cannot decorate the generator function {func.__qualname__}")

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with using(kwargs.get("lang")):  # type: ignore[arg-type]
            return func(*args, **kwargs)

    return wrapper


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
        raise UsageError(Message("error.lang", choices=", ".join(languages()), value=repr(lang)))
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


def t(key: str, lang: str | None = None, /, **values: object) -> str:
    """The string ``key`` in ``lang`` (default: the current language) with ``{placeholders}`` filled from
    ``values``; English if ``lang``'s catalogue lacks it.

    >>> t("total", "en")
    'Total'
    """
    text = _template(key, resolve_lang(lang))
    return text.format(**values) if values or "{" in text else text


def _template(key: str, lang: str) -> str:
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue(FALLBACK_LANG).get(key)
        if text is None:
            close = difflib.get_close_matches(key, catalogue(FALLBACK_LANG), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise MissingTranslation(f"no string {key!r} in the catalogue{hint}")
    return text


def t_array(key: str, lang: str | None = None, /, **values: object) -> np.ndarray:
    """:func:`t` for many rows at once: each value is a scalar or an array-like of one common length ``n``; the
    result is an object array of ``n`` strings (vectorised: one concatenation per placeholder, no Python loop
    over rows). Placeholders take no format spec here; format numbers first (:func:`format_number` …).
    """
    import numpy as np

    template = _template(key, resolve_lang(lang))
    arrays = {
        name: np.asarray(v, dtype=object)
        for name, v in values.items()
        if not isinstance(v, str) and hasattr(v, "__len__")
    }
    sizes = {len(v) for v in arrays.values()}
    if len(sizes) > 1:
        raise ValueError(f"t_array: values of {key!r} differ in length: {sorted(sizes)}")
    size = sizes.pop() if sizes else 1
    out = np.full(size, "", dtype=object)
    for literal, name, spec, conversion in string.Formatter().parse(template):
        out = out + literal
        if name is None:
            continue
        if spec or conversion:
            raise ValueError(f"t_array: placeholder {{{name}}} of {key!r} has a format spec")
        if name in arrays:
            column = arrays[name]
            out = out + np.where(_isna(column), "", column.astype(str)).astype(object)
        else:
            out = out + str(values[name])
    return out


def _isna(column: np.ndarray) -> np.ndarray:
    import numpy as np
    import pandas as pd

    return np.asarray(pd.isna(column), dtype=bool)


class Message(str):
    """A string for a person that remembers how it was made: its catalogue ``key`` and ``values``.

    It *is* the text in the language current when it was built (a ``str``, usable anywhere a string is), and
    :meth:`render` gives it in another language. Exceptions are raised with messages (``raise
    UsageError(Message("error.x", path=p))``) so that :meth:`gcdb.errors.GcdbError.render` can show them in the
    language asked. Values that are messages themselves are rendered in the same language.
    """

    key: str
    values: Mapping[str, object]

    def __new__(cls, key: str, lang: str | None = None, /, **values: object) -> Message:
        shown = {name: str(v) for name, v in values.items()}
        obj = super().__new__(cls, t(key, lang, **shown))
        obj.key = key
        obj.values = dict(values)
        return obj

    def render(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the current language)."""
        shown = {n: v.render(lang) if isinstance(v, Message) else str(v) for n, v in self.values.items()}
        return t(self.key, lang, **shown)

    def __reduce__(self) -> tuple[Any, ...]:  # pickles (dask, multiprocessing) as the message it is
        return (_rebuild, (self.key, str(self), dict(self.values)))


def _rebuild(key: str, text: str, values: dict[str, object]) -> Message:
    obj = str.__new__(Message, text)
    obj.key, obj.values = key, values
    return obj


def label(name: str, lang: str | None = None, *, running: bool = False) -> str:
    """The report label of a canonical column name or category code (:data:`gcdb.columns.LABELS`) in ``lang``
    (English for a language the labels do not have); ``running=True`` gives it as written inside a sentence
    (lower case: ``başlangıç ödeneği``, ``initial appropriation``)."""
    from gcdb import columns as C
    from gcdb.text import tr_lower

    lang = resolve_lang(lang)
    text = C.label(name, lang if lang in ("tr", "en") else FALLBACK_LANG)
    if not running or text == name:
        return text
    return tr_lower(text) if lang == "tr" else text.lower()


#: pydantic error types with a catalogue text (``pydantic.<type>``; placeholders from the error's ``ctx``).
PYDANTIC_TYPES: Final = frozenset(
    {
        "missing",
        "extra_forbidden",
        "string_type",
        "int_type",
        "int_parsing",
        "int_from_float",
        "float_type",
        "float_parsing",
        "bool_type",
        "bool_parsing",
        "list_type",
        "tuple_type",
        "dict_type",
        "model_type",
        "literal_error",
        "enum",
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "string_too_short",
        "string_too_long",
        "too_short",
        "too_long",
        "string_pattern_mismatch",
        "finite_number",
    }
)


def pydantic_message(error: Mapping[str, Any], lang: str | None = None) -> str:
    """One error of a pydantic ``ValidationError.errors()`` as text in ``lang``: the catalogue's text for the
    common types, the validator's own message for ``value_error`` (gcdb's validators write theirs in the current
    language), pydantic's own text in English and for the other types."""
    kind = str(error.get("type", ""))
    msg = str(error.get("msg", ""))
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind in PYDANTIC_TYPES and resolve_lang(lang) != FALLBACK_LANG:  # pydantic's own English otherwise
        ctx = {k: v if isinstance(v, str) else repr(v) for k, v in (error.get("ctx") or {}).items()}
        if "expected" in ctx:  # "'first' or 'all'": pydantic's English "or" as a list
            ctx["expected"] = ctx["expected"].replace(" or ", ", ")
        try:
            return t(f"pydantic.{kind}", lang, **ctx)
        except (KeyError, IndexError):  # a context field the text does not expect
            return msg
    return msg


def message_of(exc: BaseException) -> str:
    """The text of an exception, as the :class:`Message` it was raised with when it was (so that it can still be
    rendered in another language), else ``str(exc)``."""
    if len(exc.args) == 1 and isinstance(exc.args[0], Message):
        return exc.args[0]
    return str(exc)


def render(text: object, lang: str | None = None) -> str:
    """``text`` in ``lang`` if it is a :class:`Message`, else ``str(text)`` as it is."""
    return text.render(lang) if isinstance(text, Message) else str(text)


def optional(key: str, fallback: str, lang: str | None = None, /, **values: object) -> str:
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

    def label(self, code: str, lang: str | None = None) -> str:
        """The label of ``code`` in any catalogue language (English where it lacks it); the code when unknown."""
        return optional(self.prefix + str(code), str(code), lang)


def direction(lang: str | None = None) -> str:
    """``"rtl"`` for a right-to-left language (Arabic), else ``"ltr"`` (from CLDR)."""
    return "rtl" if _locale(resolve_lang(lang)).character_order == "right-to-left" else "ltr"


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
    value: float | None, decimals: int = 1, lang: str | None = None, *, percent: bool = False
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
    return format_decimal(float(value), format=pattern, locale=_locale(resolve_lang(lang)))  # type: ignore[arg-type]


def format_int(value: int | None, lang: str | None = None) -> str:
    """A whole number with the language's grouping (``1.234.567`` in Turkish, ``1,234,567`` in English); exact
    for integers of any size."""
    import numbers

    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        from babel.numbers import get_group_symbol

        return f"{int(value):,}".replace(",", get_group_symbol(_locale(resolve_lang(lang))))
    return format_number(value, 0, lang)


def format_percent(share: float | None, decimals: int = 1, lang: str | None = None) -> str:
    """A fraction as a percentage in ``lang`` (0.041 → ``%4,1`` in Turkish, ``4.1%`` in English)."""
    if _missing(share):
        return "–"
    from babel.numbers import format_percent as babel_percent

    locale = _locale(resolve_lang(lang))
    pattern = locale.percent_formats[None].pattern
    if decimals > 0:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * decimals, 1)
    return babel_percent(float(share), format=pattern, locale=locale)  # type: ignore[arg-type]


def format_money(kurus: int | None, lang: str | None = None, *, decimals: int = 2) -> str:
    """Integer kuruş as lira with the currency word of ``lang`` (``1.234,56 TL``)."""
    if _missing(kurus):
        return "–"
    from gcdb.money import KURUS_PER_LIRA

    amount = format_number(int(kurus) / KURUS_PER_LIRA, decimals, lang)  # type: ignore[arg-type]
    return t("num.money", lang, amount=amount)


def format_compact_money(kurus: int | None, lang: str | None = None) -> str:
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
    text = format_compact_decimal(
        lira, format_type="long", locale=_locale(resolve_lang(lang)), fraction_digits=digits
    )
    return t("num.money", lang, amount=text)


def format_date(value: date | datetime, lang: str | None = None) -> str:
    """A date as ``lang`` writes it in running text (``6 Aralık 2026``)."""
    from babel.dates import format_date as babel_date

    return babel_date(value, format="long", locale=_locale(resolve_lang(lang)))


__all__ = [
    "Labels",
    "DEFAULT_LANG",
    "FALLBACK_LANG",
    "WEB_PREFIXES",
    "Message",
    "MissingTranslation",
    "catalogue",
    "check_lang",
    "current_lang",
    "direction",
    "english_comments",
    "format_compact_money",
    "format_date",
    "format_int",
    "format_money",
    "format_number",
    "format_percent",
    "has",
    "known",
    "label",
    "language_name",
    "languages",
    "message_of",
    "optional",
    "pydantic_message",
    "render",
    "resolve_lang",
    "speaks",
    "t",
    "t_array",
    "using",
]
