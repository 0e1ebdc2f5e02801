"""Report text helpers over the translation catalogue (:mod:`gcdb.i18n`): strings, column headers, issue messages.

Every string lives in ``gcdb/locale/<lang>/LC_MESSAGES/gcdb.po``; this module adds what the workbooks need on top:
:func:`header` (a column header: the :mod:`gcdb.columns` label first, then ``column.<name>``, then the name),
:func:`column_labels` and :func:`issue_messages` for the issues table, :func:`input_role` for the methodology
sheets. Workbooks are written in :data:`LANGS` (the languages of the canonical labels); web reports in every
language the catalogue has.
"""

from __future__ import annotations

from typing import Final

from gcdb import columns as C
from gcdb.errors import UsageError
from gcdb.i18n import MissingTranslation, format_number, known, optional, t

#: Languages a workbook can be written in (the canonical column labels exist in these two).
LANGS: Final = ("tr", "en")


def _check_lang(lang: str) -> int:
    if lang not in LANGS:
        raise UsageError(f"lang must be 'tr' or 'en' for a workbook, got {lang!r}")
    return LANGS.index(lang)


def header(name: str, lang: str = "tr") -> str:
    """Column header of a column name: :mod:`gcdb.columns` label, ``column.<name>``, attributed phase, or the name."""
    _check_lang(lang)
    if name in C.LABELS:
        return C.label(name, lang)
    key = f"column.{name}"
    if known(key):
        return t(key, lang)
    if name.startswith(C.ATTRIBUTED_PREFIX):
        phase = name[len(C.ATTRIBUTED_PREFIX) :]
        if phase in C.LABELS:
            phase_label = C.label(phase, lang)
            return t("attributed", lang, phase=phase_label if lang == "tr" else phase_label.lower())
    return name


def column_labels(values, lang: str = "tr"):
    """Canonical column names in ``values`` (an issues table's ``column``) as their report labels; others kept.

    ``values`` is a pandas Series; the result is a ``str`` Series of the same index.
    """
    import pandas as pd

    text = pd.Series(values, dtype="str")
    names = text.fillna("")
    shown = names.map(lambda name: C.label(name, lang) if name in C.LABELS else name)
    return shown.where(text.notna(), None).astype("str")


def issue_messages(codes, messages, lang: str = "tr"):
    """The issues table's messages for a report in ``lang``: in Turkish, ``"<Turkish description> — <message>"``
    (the readers write their messages in English); in English, the messages as they are. Series in, Series out.
    """
    import pandas as pd

    text = pd.Series(messages, dtype="str")
    if lang != "tr":
        return text
    code = pd.Series(codes, dtype="str").fillna("")
    desc = code.map(lambda c: optional(f"issue.{c}", "", lang))
    shown = [
        f"{d} — {m}" if d and isinstance(m, str) and m else (d or m)
        for d, m in zip(desc.tolist(), text.tolist(), strict=True)
    ]
    return pd.Series(shown, index=text.index, dtype="str")


def issue_values(columns, values, lang: str = "tr"):
    """The issues table's ``value`` column for a report: money (an amount column's value, integer kuruş) as lira
    in the report's format (``1.723.156,09 TL``); every other value as it is. Series in, Series out."""
    import pandas as pd

    from gcdb.i18n import format_money

    text = pd.Series(values, dtype="str")
    money = pd.Series(columns, dtype="str").isin(list(C.PHASES)).to_numpy() & text.str.fullmatch(
        r"-?\d+"
    ).fillna(False).to_numpy(dtype=bool)
    if not money.any():
        return text
    distinct = pd.unique(text[money])
    shown = {v: format_money(int(v), lang) for v in distinct}
    return text.where(~money, text.map(shown)).astype("str")


def input_role(role: str, lang: str = "tr") -> str:
    """The label of an input file's role (``budget`` → ``Bütçe``); an unknown role is shown as given."""
    return optional(f"input.{str(role).replace('-', '_')}", str(role), lang)


__all__ = [
    "LANGS",
    "MissingTranslation",
    "column_labels",
    "format_number",
    "header",
    "input_role",
    "issue_messages",
    "issue_values",
    "optional",
    "t",
]
