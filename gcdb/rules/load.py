"""Strict loading of rule sets: YAML → :class:`gcdb.rules.model.RuleSet`, every problem a located error.

Loading fails on: YAML syntax errors and duplicate keys (:mod:`gcdb.yamlio`); numbers written with a leading zero
(``01``, ``03.5`` — YAML reads them as 1 and 3.5; codes must be quoted); unknown keys; missing keys; wrong types;
predicates with no or several operators; bad regular expressions (regexes run on RE2, a linear-time engine:
backreferences and lookarounds are refused, so no pattern can backtrack catastrophically); empty conditions (``all: []``, a rule without
``when`` — write ``when: {always: true}``); shares and allocations outside [0, 1]; duplicate rule ids; unknown
weighting schemes or categories (:meth:`gcdb.schemes.Scheme.check`); budget rules without a category for the rule
set's ``default_scheme``; action codes missing from the plan catalogue (when one is given); columns outside the
rule set's declared ``columns``; code prefixes that do not fit the code's levels; and, in ``all`` mode, rules that
could fire on the same line with allocations summing to more than 1.

Each problem is a :class:`gcdb.errors.RuleError` naming the file, the line and the rule id; when there are several,
:class:`RuleSetError` (a ``RuleError``) carries them all in ``problems`` and lists them in its message.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from gcdb import columns as C
from gcdb.errors import RuleError
from gcdb.i18n import Message, pydantic_message, speaks, t
from gcdb.rules.model import (
    AllOf,
    Always,
    Not,
    Predicate,
    Rule,
    RuleSet,
    iter_predicates,
)
from gcdb.rules.predicates import (
    DEFAULT_LEVELS,
    number_of,
    prefix_level_problem,
    prefix_parts,
    regex_problem,
    value_text,
)
from gcdb.schemes import SchemeSet, load_schemes
from gcdb.text import fold
from gcdb.yamlio import load_yaml_strict, loads_yaml_strict

SCHEMA_ID = "https://json-schema.org/draft/2020-12/schema"
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+(\.[0-9_]*)?([eE][-+]?[0-9]+)?$")
_EPS = 1e-9


class RuleSetError(RuleError):
    """Several problems in one rule set. ``problems`` lists them (each a located :class:`RuleError`)."""

    def __init__(self, problems: list[RuleError]):
        self.problems = problems
        first = problems[0]
        body = getattr(first, "message", None)
        if body is None:  # a RuleError subclass that set its text itself
            message = str(first)
            prefix = _where(first.file, first.line, first.rule_id)
            body = message[len(prefix) + 2 :] if prefix and message.startswith(prefix + ": ") else message
        super().__init__(body, file=first.file, line=first.line, rule_id=first.rule_id)

    def _text(self, lang: str | None) -> str:
        from gcdb.i18n import format_int

        text = super()._text(lang)
        if len(self.problems) < 2:
            return text
        rest = "".join(f"\n  {p.render(lang)}" for p in self.problems[1:])
        more = Message("rules.more_problems", lang, n=format_int(len(self.problems) - 1, lang))
        return f"{text}\n{more}{rest}"


def _where(file: str | None, line: int | None, rule_id: str | None) -> str:
    where = f"{file}" + (f":{line}" if line else "") if file else ""
    if rule_id:
        rule = t("error.rule", rule_id=repr(rule_id))
        where += f" ({rule})" if where else rule
    return where


# ---------------------------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------------------------
@speaks
def load_ruleset(
    path: str | Path, *, catalogue: Any = None, schemes: SchemeSet | None = None, lang: str | None = None
) -> RuleSet:
    """Load and check a rule set from a YAML file. ``lang``: the language of the errors (default: the current
    language, :mod:`gcdb.i18n`).

    ``catalogue``: the plan's actions, to check action codes against — any object with ``has_action(code)``, or a
    collection of codes (set, list, Series; a DataFrame with an ``action_code`` column). ``schemes``: weighting
    schemes (default: the shipped ``rules/schemes.yaml``).
    """
    path = Path(path)
    try:
        data = load_yaml_strict(path)
    except RuleError as exc:
        raise _with_rule_id(exc, path) from None
    text = path.read_text(encoding="utf-8")
    return _build(data, text, str(path), catalogue, schemes)


@speaks
def loads_ruleset(
    text: str,
    *,
    name: str = "<string>",
    catalogue: Any = None,
    schemes: SchemeSet | None = None,
    lang: str | None = None,
) -> RuleSet:
    """Load and check a rule set from YAML text (``name`` appears in error messages)."""
    try:
        data = loads_yaml_strict(text, name=name)
    except RuleError as exc:
        raise _with_rule_id(exc, text) from None
    return _build(data, text, name, catalogue, schemes)


@speaks
def parse_ruleset(
    data: Mapping[str, Any],
    *,
    lang: str | None = None,
    source: str = "<data>",
    catalogue: Any = None,
    schemes: SchemeSet | None = None,
) -> RuleSet:
    """Check a rule set given as Python data (e.g. built by another program); same checks as :func:`load_ruleset`."""
    return _build(data, None, source, catalogue, schemes)


def check_ruleset(
    ruleset: RuleSet, *, catalogue: Any = None, schemes: SchemeSet | None = None
) -> list[RuleError]:
    """The context checks of :func:`load_ruleset` on an already built rule set; returns the problems found."""
    return _semantic_problems(ruleset, ruleset.source or "<data>", catalogue, schemes or load_schemes())


def ruleset_json_schema() -> dict[str, Any]:
    """JSON Schema of the rule-set format (for editors and ``rules/ruleset.schema.json``)."""
    schema = RuleSet.model_json_schema(by_alias=True)
    return {
        "$schema": SCHEMA_ID,
        "title": "gcdb rule set",
        "description": "Rules that tag budget lines or service-usage records with equality-plan actions and "
        "gender-budget categories. See rules/README.md.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


# ---------------------------------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------------------------------
def _build(data: Any, text: str | None, source: str, catalogue: Any, schemes: SchemeSet | None) -> RuleSet:
    if not isinstance(data, Mapping):
        raise RuleError(Message("rules.not_mapping"), file=source, line=1)
    problems: list[RuleError] = []
    if text is not None:
        problems.extend(_leading_zero_numbers(text, source, data))
    try:
        ruleset = RuleSet.model_validate(data)
    except ValidationError as exc:
        problems.extend(_validation_problems(exc, data, source))
        raise RuleSetError(_sorted(problems)) from None
    ruleset._source = source
    problems.extend(_semantic_problems(ruleset, source, catalogue, schemes or load_schemes()))
    if problems:
        raise RuleSetError(_sorted(problems))
    return ruleset


def _sorted(problems: list[RuleError]) -> list[RuleError]:
    return sorted(problems, key=lambda p: p.line or 0)


def _with_rule_id(exc: RuleError, source: Path | str) -> RuleError:
    """Add the rule id to a YAML-level error (duplicate key, syntax) when the rule can still be found."""
    if exc.rule_id or not exc.line:
        return exc
    try:
        text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return exc
    rule_id = None
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if getattr(key, "value", None) == "rules" and isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    if item.start_mark.line + 1 <= exc.line and isinstance(item, yaml.MappingNode):
                        ids = [v.value for k, v in item.value if getattr(k, "value", None) == "id"]
                        rule_id = ids[0] if ids and isinstance(ids[0], str) else None
    if rule_id is None:
        return exc
    body = getattr(exc, "message", None)
    if body is None:
        message = str(exc)
        prefix = _where(exc.file, exc.line, None)
        body = message[len(prefix) + 2 :] if prefix and message.startswith(prefix + ": ") else message
    return RuleError(body, file=exc.file, line=exc.line, rule_id=rule_id)


def _rule_id_at_line(data: Mapping, line: int) -> str | None:
    rules = data.get("rules") if isinstance(data, Mapping) else None
    if not isinstance(rules, list):
        return None
    found = None
    for item in rules:
        start = getattr(item, "line", 0)
        if start and start <= line:
            found = item.get("id") if isinstance(item, Mapping) else None
    return found if isinstance(found, str) else None


def _leading_zero_numbers(text: str, source: str, data: Mapping) -> list[RuleError]:
    """Plain scalars such as ``01`` or ``03.5``: YAML reads them as numbers, losing the leading zero."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # pragma: no cover - the strict loader reported it already
        return []
    out = []
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.ScalarNode) and node.style is None and _LEADING_ZERO.match(node.value):
            line = node.start_mark.line + 1
            value = yaml.safe_load(node.value)
            out.append(
                RuleError(
                    Message("rules.leading_zero", text=node.value, value=repr(value)),
                    file=source,
                    line=line,
                    rule_id=_rule_id_at_line(data, line),
                )
            )
    return out


def _known_keys() -> list[str]:
    from gcdb.rules import model

    keys: set[str] = set()
    for cls in (
        model.RuleSet,
        model.Rule,
        model.Outputs,
        model.Predicate,
        model.Between,
        model.AllOf,
        model.AnyOf,
    ):
        for name, info in cls.model_fields.items():
            keys.add(info.alias or name)
    keys.update(("not", "always"))
    return sorted(keys)


def _locate(data: Any, loc: tuple) -> tuple[int, str | None, Any]:
    """Line, rule id and the raw value at a pydantic error location, walking the YAML data."""
    node = data
    line = getattr(data, "line", 0)
    rule_id = None
    for i, part in enumerate(loc):
        if isinstance(node, Mapping) and isinstance(part, str) and part in node:
            line = node.line_of(part) if hasattr(node, "line_of") else line
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            line = getattr(node, "line", 0) or line
        else:
            continue
        if i == 1 and loc[0] == "rules" and isinstance(node, Mapping) and isinstance(node.get("id"), str):
            rule_id = node["id"]
    return line, rule_id, node


def _validation_problems(exc: ValidationError, data: Any, source: str) -> list[RuleError]:
    out = []
    seen = set()
    errors = exc.errors(include_url=False)
    misspelt = set()  # (parent loc, key) of missing keys an unknown key probably stands for
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = tuple(err["loc"])
            for close in difflib.get_close_matches(str(loc[-1]), _known_keys(), n=1):
                misspelt.add((loc[:-1], close))
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "missing" and (loc[:-1], loc[-1]) in misspelt:
            continue
        line, rule_id, _ = _locate(data, loc)
        message = _message(err, loc)
        if (line, message) in seen:
            continue
        seen.add((line, message))
        out.append(RuleError(message, file=source, line=line or None, rule_id=rule_id))
    return out


def _message(err: Mapping[str, Any], loc: tuple) -> str:
    kind = err["type"]
    key = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(key, _known_keys(), n=1)
        if close:
            return Message("rules.unknown_key_hint", key=repr(key), close=repr(close[0]))
        return Message("rules.unknown_key", key=repr(key))
    if kind == "missing":
        if key == "when":
            return Message("rules.missing_when")
        return Message("rules.missing_key", key=repr(key))
    if kind == "value_error":
        return pydantic_message(err)
    if kind == "condition":
        return Message("rules.condition")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bounds = {"share": "[0, 1]", "allocation": "[0, 1]"}
        if key in bounds:
            return Message("rules.within", key=key, bounds=bounds[key], value=repr(err.get("input")))
    if kind == "string_pattern_mismatch" and key == "id":
        return Message("rules.rule_id", value=repr(err.get("input")))
    text = pydantic_message(err)
    return t(
        "rules.pydantic_key" if key else "rules.pydantic", key=key, message=text, value=repr(err.get("input"))
    )


# ---------------------------------------------------------------------------------------------------------------
# Context checks
# ---------------------------------------------------------------------------------------------------------------
def _action_checker(catalogue: Any) -> Callable[[str], bool] | None:
    if catalogue is None:
        return None
    if hasattr(catalogue, "has_action"):
        return catalogue.has_action
    if isinstance(catalogue, str | bytes):
        raise TypeError("catalogue must be an object with has_action(code) or a collection of action codes")
    if hasattr(catalogue, "columns") and C.ACTION_CODE in getattr(catalogue, "columns", ()):
        catalogue = catalogue[C.ACTION_CODE]
    codes = {str(c) for c in catalogue}
    return codes.__contains__


def _catalogue_codes(catalogue: Any) -> list[str]:
    try:
        if hasattr(catalogue, "columns") and C.ACTION_CODE in catalogue.columns:
            return [str(c) for c in catalogue[C.ACTION_CODE]]
        if hasattr(catalogue, "action_codes"):
            return [str(c) for c in catalogue.action_codes]
        if isinstance(catalogue, Iterable) and not isinstance(catalogue, str | bytes):
            return [str(c) for c in catalogue]
    except Exception:  # noqa: BLE001 - suggestions only
        return []
    return []


def _semantic_problems(ruleset: RuleSet, source: str, catalogue: Any, schemes: SchemeSet) -> list[RuleError]:
    out: list[RuleError] = []

    def problem(message: str, line: int, rule: Rule | None = None) -> None:
        out.append(RuleError(message, file=source, line=line or None, rule_id=rule.id if rule else None))

    # rule set level
    if ruleset.default_scheme is not None and ruleset.default_scheme not in schemes:
        problem(
            t(
                "rules.unknown_default_scheme",
                scheme=repr(ruleset.default_scheme),
                ids=", ".join(schemes.ids),
            ),
            ruleset.line_of("default_scheme"),
        )
    if ruleset.applies_to == "budget" and ruleset.default_scheme is None:
        problem(
            Message("rules.needs_default_scheme", ids=", ".join(schemes.ids)), ruleset.line_of("applies_to")
        )
    declared = set(ruleset.columns) if ruleset.columns is not None else None
    has_action = _action_checker(catalogue)
    codes_for_hints = _catalogue_codes(catalogue) if has_action else []

    seen: dict[str, Rule] = {}
    for rule in ruleset.rules:
        if rule.id in seen:
            problem(
                Message("rules.duplicate_id", rule_id=repr(rule.id), line=seen[rule.id].line),
                rule.line_of("id"),
                rule,
            )
        else:
            seen[rule.id] = rule
        then = rule.then
        for scheme_id, category in then.categories.items():
            if scheme_id not in schemes:
                problem(
                    Message("rules.unknown_scheme", scheme=repr(scheme_id), ids=", ".join(schemes.ids)),
                    then.category_line(scheme_id),
                    rule,
                )
                continue
            error = schemes[scheme_id].check(category, then.share)
            if error:
                hint = ""
                if re.fullmatch(r"\d+", category) and any(
                    c.code == "0" + category for c in schemes[scheme_id].categories
                ):
                    hint = " " + Message("rules.quote_hint", code="0" + category)
                problem(error + hint, then.category_line(scheme_id), rule)
        if (
            ruleset.applies_to == "budget"
            and ruleset.default_scheme in schemes
            and ruleset.default_scheme not in then.categories
        ):
            problem(
                Message(
                    "rules.needs_category", scheme=repr(ruleset.default_scheme), id=ruleset.default_scheme
                ),
                rule.line_of("then"),
                rule,
            )
        if has_action is not None:
            for code in then.actions:
                if not has_action(code):
                    close = difflib.get_close_matches(code, codes_for_hints, n=3)
                    hint = Message("rules.close", codes=", ".join(close)) if close else ""
                    plan = f" {ruleset.plan}" if ruleset.plan else ""
                    problem(
                        Message("rules.unknown_action", code=repr(code), plan=plan, hint=hint),
                        then.line_of("actions"),
                        rule,
                    )
        for pred in iter_predicates(rule.when):
            if declared is not None and pred.column not in declared:
                problem(
                    Message(
                        "rules.unknown_column", column=repr(pred.column), columns=", ".join(sorted(declared))
                    ),
                    pred.line_of("column"),
                    rule,
                )
            if pred.operator == "regex":
                issue = regex_problem(pred.regex)
                if issue:
                    problem(issue, pred.line_of("regex"), rule)
            if pred.operator == "prefix":
                levels = tuple(pred.levels) if pred.levels else DEFAULT_LEVELS.get(pred.column)
                if levels:
                    for prefix in pred.prefixes:
                        issue = prefix_level_problem(prefix, levels)
                        if issue:
                            column = " " + Message("rules.column_note", column=repr(pred.column))
                            problem(issue + column, pred.line_of("prefix"), rule)
    if ruleset.mode == "all" and not out:
        out.extend(allocation_problems(ruleset, source))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Which rules can fire together (all mode)
# ---------------------------------------------------------------------------------------------------------------
@dataclass
class _Con:
    """Necessary facts about one column implied by a condition (conservative: may say less than is true)."""

    values: dict[Any, frozenset[str]] | None = None  # value key → digit strings of its spellings
    excluded: frozenset = frozenset()
    prefix_sets: tuple[frozenset[str], ...] = ()  # each: digits of prefixes, one of which must match
    lo: float = -math.inf
    hi: float = math.inf
    missing: bool | None = None
    impossible: bool = False
    numeric_only: bool = False  # implied by 'between': the value parses as a number


def _value_key(value: Any) -> Any:
    number = number_of(value)
    return ("n", number) if number is not None else ("t", fold(value_text(value)))


def _digits(value: Any) -> str:
    return "".join(ch for ch in value_text(value) if ch.isdigit())


def _merge(a: _Con, b: _Con) -> _Con:
    if a.values is None:
        values = b.values
    elif b.values is None:
        values = a.values
    else:
        values = {k: a.values[k] | b.values[k] for k in a.values.keys() & b.values.keys()}
    missing = a.missing if b.missing is None else b.missing
    impossible = a.impossible or b.impossible
    if a.missing is not None and b.missing is not None and a.missing != b.missing:
        impossible = True
    return _Con(
        values,
        a.excluded | b.excluded,
        a.prefix_sets + b.prefix_sets,
        max(a.lo, b.lo),
        min(a.hi, b.hi),
        missing,
        impossible,
        a.numeric_only or b.numeric_only,
    )


def _prefix_overlap(p: str, q: str) -> bool:
    return p.startswith(q) or q.startswith(p)


def _satisfiable(con: _Con) -> bool:
    if con.impossible or con.lo > con.hi:
        return False
    if con.missing is True and (con.values is not None or con.prefix_sets or con.numeric_only):
        return False
    for i, first in enumerate(con.prefix_sets):
        for second in con.prefix_sets[i + 1 :]:
            if not any(_prefix_overlap(p, q) for p in first for q in second):
                return False
    if con.values is not None:
        remaining = []
        for key, digit_forms in con.values.items():
            if key in con.excluded:
                continue
            if key[0] == "n" and not (con.lo <= key[1] <= con.hi):
                continue
            if key[0] == "t" and con.numeric_only:
                continue
            if any(not any(d.startswith(p) for d in digit_forms for p in pset) for pset in con.prefix_sets):
                continue
            remaining.append(key)
        if not remaining:
            return False
    return True


def _predicate_facts(pred: Predicate, negate: bool) -> dict[str, _Con] | None:
    op = pred.operator
    if op == "missing":
        return {pred.column: _Con(missing=(not pred.missing) if negate else bool(pred.missing))}
    if negate:
        if op in ("equals", "in"):
            wanted = [pred.equals] if op == "equals" else list(pred.in_ or [])
            return {pred.column: _Con(excluded=frozenset(_value_key(w) for w in wanted))}
        return {}
    con = _Con(missing=False)
    if op in ("equals", "in"):
        wanted = [pred.equals] if op == "equals" else list(pred.in_ or [])
        values: dict[Any, frozenset[str]] = {}
        for w in wanted:
            key = _value_key(w)
            values[key] = values.get(key, frozenset()) | {_digits(w)}
        con.values = values
    elif op == "prefix":
        con.prefix_sets = (frozenset(prefix_parts(p)[0] for p in pred.prefixes),)
    elif op == "between":
        between = pred.between
        assert between is not None  # the model requires it for "between"
        con.lo = between.min if between.min is not None else -math.inf
        con.hi = between.max if between.max is not None else math.inf
        con.numeric_only = True
    return {pred.column: con}


def _join(options: list[dict[str, _Con]]) -> dict[str, _Con]:
    """Facts implied by 'any' of several alternatives (columns constrained by every alternative)."""
    if not options:
        return {}
    out: dict[str, _Con] = {}
    for column in set.intersection(*(set(o) for o in options)):
        cons = [o[column] for o in options]
        values: dict[Any, frozenset[str]] | None = None
        if all(c.values is not None for c in cons):
            values = {}
            for c in cons:
                assert c.values is not None
                for key, forms in c.values.items():
                    values[key] = values.get(key, frozenset()) | forms
        prefix_sets: tuple[frozenset[str], ...] = ()
        if all(c.prefix_sets for c in cons):
            prefix_sets = (frozenset().union(*(c.prefix_sets[0] for c in cons)),)
        missing = cons[0].missing if all(c.missing == cons[0].missing for c in cons) else None
        out[column] = _Con(
            values,
            frozenset.intersection(*(c.excluded for c in cons)),
            prefix_sets,
            min(c.lo for c in cons),
            max(c.hi for c in cons),
            missing,
            False,
            all(c.numeric_only for c in cons),
        )
    return out


def _conjoin(parts: list[dict[str, _Con] | None]) -> dict[str, _Con] | None:
    out: dict[str, _Con] = {}
    for part in parts:
        if part is None:
            return None
        for column, con in part.items():
            out[column] = _merge(out[column], con) if column in out else con
    if any(not _satisfiable(c) for c in out.values()):
        return None
    return out


def condition_facts(condition: Any, negate: bool = False) -> dict[str, _Con] | None:
    """Necessary per-column facts of a condition (None: it can never hold)."""
    if isinstance(condition, Predicate):
        return _conjoin([_predicate_facts(condition, negate)])
    if isinstance(condition, Not):
        return condition_facts(condition.not_, not negate)
    if isinstance(condition, Always):
        return None if negate else {}
    conjunctive = isinstance(condition, AllOf) != negate  # all, or not-any
    children = condition.all_ if isinstance(condition, AllOf) else condition.any_
    facts = [condition_facts(c, negate) for c in children]
    if conjunctive:
        return _conjoin(facts)
    alive = [f for f in facts if f is not None]
    return _join(alive) if alive else None


def rule_facts(rule: Rule, year_column: str = C.FISCAL_YEAR) -> dict[str, _Con] | None:
    """Necessary facts of a rule: its condition and its validity years."""
    facts = condition_facts(rule.when)
    if rule.bounded and facts is not None:
        years = _Con(
            lo=rule.valid_from if rule.valid_from is not None else -math.inf,
            hi=rule.valid_to if rule.valid_to is not None else math.inf,
            missing=False,
            numeric_only=True,
        )
        facts = _conjoin([facts, {year_column: years}])
    return facts


def rules_disjoint(a: dict[str, _Con] | None, b: dict[str, _Con] | None) -> bool:
    """Whether two rules' facts prove that no row can match both."""
    if a is None or b is None:
        return True
    for column in a.keys() & b.keys():
        if not _satisfiable(_merge(a[column], b[column])):
            return True
    return False


@dataclass
class _CliqueSearch:
    weights: list[float]
    adjacent: list[set[int]]
    budget: int = 200_000
    calls: int = field(default=0)

    def find(self) -> list[int] | None:
        order = sorted(range(len(self.weights)), key=lambda i: -self.weights[i])
        return self._extend([], 0.0, order)

    def _extend(self, clique: list[int], weight: float, candidates: list[int]) -> list[int] | None:
        self.calls += 1
        if weight > 1 + _EPS:
            return clique
        if self.calls > self.budget:
            return clique + candidates  # give up: report conservatively
        if weight + sum(self.weights[c] for c in candidates) <= 1 + _EPS:
            return None
        for index, c in enumerate(candidates):
            rest = [d for d in candidates[index + 1 :] if d in self.adjacent[c]]
            found = self._extend(clique + [c], weight + self.weights[c], rest)
            if found:
                return found
        return None


def allocation_problems(
    ruleset: RuleSet, source: str, *, year_column: str = C.FISCAL_YEAR
) -> list[RuleError]:
    """Rules that may fire on one line together with allocations summing to more than 1 (``all`` mode).

    Two rules may co-fire unless their conditions are provably disjoint: ``equals``/``in`` on one column with
    disjoint values, non-nested ``prefix``es, disjoint ``between`` ranges, ``missing`` against a value, ``not in``
    against ``in``, or disjoint validity years (see :func:`rules_disjoint`).
    """
    rules = [r for r in ruleset.rules if r.then.allocation > 0]
    facts = [rule_facts(r, year_column) for r in rules]
    adjacent: list[set[int]] = [set() for _ in rules]
    for i in range(len(rules)):
        for j in range(i + 1, len(rules)):
            if not rules_disjoint(facts[i], facts[j]):
                adjacent[i].add(j)
                adjacent[j].add(i)
    search = _CliqueSearch([r.then.allocation for r in rules], adjacent)
    clique = search.find()
    if not clique:
        return []
    members = sorted(clique, key=lambda i: rules[i].line)
    names = ", ".join(
        t(
            "rules.clique_member",
            rule_id=repr(rules[i].id),
            line=rules[i].line,
            share=f"{rules[i].then.allocation:g}",
        )
        for i in members
    )
    total = sum(rules[i].then.allocation for i in members)
    last = rules[members[-1]]
    return [
        RuleError(
            Message("rules.over_allocated", names=names, total=f"{total:g}"),
            file=source,
            line=last.line_of("then") or last.line or None,
            rule_id=rules[members[0]].id,
        )
    ]
