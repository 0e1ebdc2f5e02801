"""Strict loading of checklists: YAML → :class:`gcdb.checklists.model.Checklist`.

Duplicate keys and YAML syntax errors are errors naming the file and line (:mod:`gcdb.yamlio`); so are unknown
keys (with a suggestion), missing keys, wrong values, repeated ids, unknown scales and maxima that do not add up.
Every problem is a :class:`ChecklistError` (a :class:`gcdb.errors.RuleError`) naming file and line.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gcdb import paths
from gcdb.checklists.model import Checklist, Option, Question, Scale, Section
from gcdb.errors import RuleError
from gcdb.i18n import Message, format_int, pydantic_message, t
from gcdb.yamlio import load_yaml_strict, loads_yaml_strict

#: The shipped checklists, by id: file names under ``rules/checklists/``.
SHIPPED = {
    "park": "park.yaml",
    "hgdg_design": "hgdg_design.yaml",
    "hgdg_implementation": "hgdg_implementation.yaml",
}


class ChecklistError(RuleError):
    """A checklist file is invalid; the message names the file and line."""


def _known_keys() -> list[str]:
    keys: set[str] = set()
    for cls in (Checklist, Section, Question, Scale, Option):
        keys.update(cls.model_fields)
    return sorted(keys)


def _line(data: Any, loc: tuple) -> int:
    node, line = data, getattr(data, "line", 0)
    for part in loc:
        if isinstance(node, Mapping) and part in node:
            line = node.line_of(part) if hasattr(node, "line_of") else line
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            line = getattr(node, "line", 0) or line
    return line


def _message(err: Mapping[str, Any]) -> str:
    loc = tuple(err["loc"])
    key = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if err["type"] == "extra_forbidden":
        close = difflib.get_close_matches(key, _known_keys(), n=1)
        if close:
            return Message("rules.unknown_key_hint", key=repr(key), close=repr(close[0]))
        return Message("rules.unknown_key", key=repr(key))
    if err["type"] == "missing":
        return Message("rules.missing_key", key=repr(key))
    msg = pydantic_message(err)
    return (
        msg
        if err["type"] == "value_error"
        else t("rules.pydantic_key", key=key, message=msg, value=repr(err.get("input")))
    )


def parse_checklist(data: Any, *, source: str = "<data>") -> Checklist:
    """Validate checklist data (from YAML or Python); raise :class:`ChecklistError` naming file and line."""
    if not isinstance(data, Mapping):
        raise ChecklistError(Message("checklists.load.not_mapping"), file=source, line=1)
    try:
        return Checklist.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        line = _line(data, tuple(first["loc"]))
        more = " " + t("checklists.load.more", n=format_int(len(errors) - 1)) if len(errors) > 1 else ""
        raise ChecklistError(_message(first) + more, file=source, line=line or None) from None


def load_checklist(path_or_id: str | Path) -> Checklist:
    """Load a checklist from a YAML file, or a shipped one by id (``park``, ``hgdg_design``,
    ``hgdg_implementation``)."""
    if isinstance(path_or_id, str) and path_or_id in SHIPPED:
        return _shipped(path_or_id)
    path = Path(path_or_id)
    try:
        data = load_yaml_strict(path)
    except RuleError as exc:
        raise ChecklistError(str(exc).split(": ", 1)[-1], file=exc.file, line=exc.line) from None
    return parse_checklist(data, source=str(path))


def loads_checklist(text: str, *, name: str = "<string>") -> Checklist:
    """Load a checklist from YAML text (``name`` appears in error messages)."""
    try:
        data = loads_yaml_strict(text, name=name)
    except RuleError as exc:
        raise ChecklistError(str(exc).split(": ", 1)[-1], file=exc.file, line=exc.line) from None
    return parse_checklist(data, source=name)


@cache
def _shipped(checklist_id: str) -> Checklist:
    return load_checklist(paths.rules() / "checklists" / SHIPPED[checklist_id])
