"""Strict YAML loading for rule sets, schemes and indicator definitions.

* duplicate keys are errors (PyYAML silently keeps the last one);
* syntax errors name the file and line;
* every mapping comes back as a :class:`LineDict`, a ``dict`` that remembers the 1-based line of the mapping and
  of each key, so validation errors can point at ``file:line``;
* **bounded**: before anything is built, the event stream is checked against :data:`MAX_DEPTH` levels of nesting
  (a rule nested 500 deep would exhaust Python's stack), :data:`MAX_ALIASES` alias uses and :data:`MAX_NODES`
  nodes *after* alias expansion (a "billion laughs" file of a few hundred bytes expands to 10^9 nodes); each
  refusal names the file, the line and the limit. The event scan is linear in the text and never expands aliases.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from gcdb.errors import RuleError
from gcdb.i18n import Message, format_int

#: Most levels of nesting (mappings and lists) in any YAML gcdb reads; shipped files use fewer than 15.
MAX_DEPTH = 64
#: Most alias uses (``*name``) in one file.
MAX_ALIASES = 100
#: Most nodes once every alias is expanded.
MAX_NODES = 1_000_000


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
                Message("yaml.duplicate_key", key=repr(key), line=out.key_lines[key]),
                file=loader.name,
                line=key_node.start_mark.line + 1,
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def check_yaml_bounds(
    text: str,
    *,
    name: str = "<string>",
    max_depth: int = MAX_DEPTH,
    max_aliases: int = MAX_ALIASES,
    max_nodes: int = MAX_NODES,
) -> None:
    """Refuse YAML beyond the nesting, alias and expanded-size limits (see the module docstring)."""
    sizes: dict[str | None, int] = {}  # anchor → nodes of its value once expanded
    stack: list[list] = []  # open collections: [anchor, nodes so far]
    depth = aliases = 0
    total = 0

    def add(count: int) -> None:
        nonlocal total
        if stack:
            stack[-1][1] += count
        else:
            total += count

    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    raise RuleError(
                        Message("yaml.too_deep", depth=max_depth),
                        file=name,
                        line=line,
                    )
                stack.append([event.anchor, 1])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                anchor, count = stack.pop()
                if anchor:
                    sizes[anchor] = count
                add(count)
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    sizes[event.anchor] = 1
                add(1)
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > max_aliases:
                    raise RuleError(
                        Message("yaml.too_many_aliases", n=max_aliases),
                        file=name,
                        line=line,
                    )
                add(sizes.get(event.anchor, 1))
            if total + sum(c for _, c in stack) > max_nodes:
                raise RuleError(
                    Message("yaml.too_large", n=format_int(max_nodes)),
                    file=name,
                    line=line,
                )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise RuleError(
            Message("yaml.syntax", problem=exc.problem or str(exc)),
            file=name,
            line=mark.line + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise RuleError(Message("yaml.error", error=str(exc)), file=name) from None


def loads_yaml_strict(text: str, *, name: str = "<string>") -> Any:
    """Parse YAML text strictly and within bounds (see module docstring). ``name`` is used in error messages."""
    check_yaml_bounds(text, name=name)
    loader = _StrictLoader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise RuleError(
            Message("yaml.syntax", problem=exc.problem or str(exc)), file=name, line=line
        ) from None
    except yaml.YAMLError as exc:
        raise RuleError(Message("yaml.error", error=str(exc)), file=name) from None
    finally:
        loader.dispose()


def load_yaml_strict(path: str | Path) -> Any:
    """Read and parse a YAML file strictly."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleError(Message("read.file_not_found"), file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise RuleError(Message("yaml.not_utf8", reason=exc.reason, byte=exc.start), file=str(path)) from None
    except IsADirectoryError:
        raise RuleError(Message("yaml.folder"), file=str(path)) from None
    except OSError as exc:
        raise RuleError(Message("yaml.unreadable", error=str(exc.strerror)), file=str(path)) from None
    return loads_yaml_strict(text, name=str(path))
