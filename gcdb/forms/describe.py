"""What a field expects, in words: the instructions sheet's column guide, input messages and issue messages."""

from __future__ import annotations

from gcdb.forms.messages import msg
from gcdb.forms.spec import FieldKind, FormField, SheetSpec


def number_text(value: float, lang: str = "tr") -> str:
    """A bound as a person writes it: ``1.000`` and ``0,5`` in Turkish, ``1,000`` and ``0.5`` in English."""
    if float(value).is_integer():
        text = f"{int(value):,}"
        return text.replace(",", ".") if lang == "tr" else text
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    if lang == "tr":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def range_text(field: FormField, kind: FieldKind, lang: str = "tr") -> str:
    """`` (0 ile 100 arası)``, `` (en az 0)`` … or ``""`` when the field has no bound."""
    lo, hi = field.bounds(kind)
    if lo is not None and hi is not None:
        return msg("range.between", lang, lo=number_text(lo, lang), hi=number_text(hi, lang))
    if lo is not None:
        return msg("range.min", lang, lo=number_text(lo, lang))
    if hi is not None:
        return msg("range.max", lang, hi=number_text(hi, lang))
    return ""


def choice_labels(field: FormField, lang: str = "tr") -> list[str]:
    """The labels a drop-down shows, in order (``Evet``/``Hayır`` for yes/no)."""
    if field.kind == FieldKind.YES_NO:
        return [msg("yes", lang), msg("no", lang)]
    return [c.label.get(lang) for c in field.choices]


def kind_text(field: FormField, kind: FieldKind, lang: str = "tr") -> str:
    """What one kind of value looks like, for ``field`` (its choices, range, length)."""
    if kind == FieldKind.CHOICE:
        return msg("kind.choice", lang, choices=" / ".join(choice_labels(field, lang)))
    if kind == FieldKind.TEXT:
        length = msg("length.max", lang, n=field.max_length) if field.max_length else ""
        return msg("kind.text", lang, length=length)
    if kind in (FieldKind.YES_NO, FieldKind.PERCENT, FieldKind.DATE):
        return msg(f"kind.{kind.value}", lang)
    return msg(f"kind.{kind.value}", lang, range=range_text(field, kind, lang))


def expected_text(field: FormField, sheet: SheetSpec, lang: str = "tr") -> str:
    """Everything a person needs to fill ``field`` in: kind, range, format, whether it is required, its help."""
    if field.kind_from is not None:
        source = sheet.field(field.kind_from)
        kinds = " / ".join(c.label.get(lang) for c in source.choices)
        parts = [msg("kind.from", lang, source=source.label.get(lang), kinds=kinds)]
    else:
        parts = [kind_text(field, field.kind, lang)]
    if field.pattern_hint is not None:
        parts.append(msg("pattern", lang, hint=field.pattern_hint.get(lang)))
    if field.required:
        parts.append(msg("required", lang))
    parts += [rule.message.get(lang) for rule in field.required_if]
    if field.help is not None:
        parts.append(field.help.get(lang))
    text = ". ".join(p.rstrip(".") for p in parts if p)
    return text + "." if text else text
