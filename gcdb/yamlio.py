"""Strict YAML loading for rule sets, schemes and indicator definitions.

* duplicate keys are errors (PyYAML silently keeps the last one);
* syntax errors name the file and line;
* every mapping comes back as a :class:`LineDict`, a ``dict`` that remembers the 1-based line of the mapping and
  of each key, so validation errors can point at ``file:line``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from gcdb.errors import RuleError


class LineDict(dict):
    """A dict from YAML that knows where it came from: ``line`` (of the mapping) and ``key_lines``."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that records line numbers and refuses duplicate keys."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise RuleError(
                f"duplicate key {key!r} (first at line {out.key_lines[key]})",
                file=loader.name,
                line=key_node.start_mark.line + 1,
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def loads_yaml_strict(text: str, *, name: str = "<string>") -> Any:
    """Parse YAML text strictly (see module docstring). ``name`` is used in error messages."""
    loader = _StrictLoader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise RuleError(f"YAML syntax error: {exc.problem or exc}", file=name, line=line) from None
    except yaml.YAMLError as exc:
        raise RuleError(f"YAML error: {exc}", file=name) from None
    finally:
        loader.dispose()


def load_yaml_strict(path: str | Path) -> Any:
    """Read and parse a YAML file strictly."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleError("file not found", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise RuleError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=str(path)) from None
    return loads_yaml_strict(text, name=str(path))
