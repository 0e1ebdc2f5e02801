"""Strict loading of indicator definitions: YAML → :class:`gcdb.indicators.model.IndicatorSet`, every problem
located.

Loading fails on: YAML syntax errors and duplicate keys (:mod:`gcdb.yamlio`); unknown keys (with a suggestion);
missing keys; wrong types; predicates with no or several operators; a definition of the wrong shape for its kind
(:class:`~gcdb.indicators.model.IndicatorDefinition`); duplicate definition ids; catalogue indicator ids the plan
does not have, or whose catalogue kind is not ``count`` or ``ratio``; a ``plan`` other than the catalogue's;
columns that are not canonical usage columns (or, in ``population.filter``, not population dimensions);
operators that do not fit the column (``between`` on text, text compared with a number column); category codes
outside :mod:`gcdb.columns` (``sex: kadın`` → use ``female``), age bands outside the configured bands, and
service codes outside the given service list.

Each problem is an :class:`IndicatorError` (a :class:`gcdb.errors.RuleError`) naming the file, the line and the
definition id; when there are several, :class:`IndicatorSetError` carries them all in ``problems`` and lists them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import ValidationError

from gcdb import columns as C
from gcdb.errors import RuleError
from gcdb.i18n import format_int, pydantic_message, t
from gcdb.indicators import model as M
from gcdb.text import fold
from gcdb.yamlio import load_yaml_strict, loads_yaml_strict

SCHEMA_ID = "https://json-schema.org/draft/2020-12/schema"

FILTER_COLUMNS = M.FILTER_COLUMNS
POPULATION_FILTER_COLUMNS = M.POPULATION_DIMENSIONS
NUMERIC_COLUMNS = M.NUMERIC_COLUMNS
#: Catalogue indicator kinds a usage-based definition may link to.
LINKABLE_KINDS = (M.COUNT, M.RATIO)


class IndicatorError(RuleError):
    """A problem in an indicator definition file: names the file, the line and the definition id."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        indicator_id: str | None = None,
    ):
        self.file, self.line, self.rule_id, self.indicator_id = file, line, indicator_id, indicator_id
        self.detail = message
        where = _where(file, line, indicator_id)
        Exception.__init__(self, f"{where}: {message}" if where else message)


class IndicatorSetError(IndicatorError):
    """Several problems in one file. ``problems`` lists them (each a located :class:`IndicatorError`)."""

    def __init__(self, problems: list[IndicatorError]):
        self.problems = problems
        first = problems[0]
        rest = "".join(f"\n  {p}" for p in problems[1:])
        more = (
            "\n" + t("rules.more_problems", n=format_int(len(problems) - 1)) + rest
            if len(problems) > 1
            else ""
        )
        super().__init__(
            first.detail + more, file=first.file, line=first.line, indicator_id=first.indicator_id
        )


def _where(file: str | None, line: int | None, indicator_id: str | None) -> str:
    where = f"{file}" + (f":{line}" if line else "") if file else ""
    if indicator_id:
        indicator = t("indicators.load.where", id=repr(indicator_id))
        where += f" ({indicator})" if where else indicator
    return where


# ---------------------------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------------------------
def load_indicators(
    path: str | Path,
    *,
    catalogue: Any = None,
    services: Any = None,
    age_bands: C.AgeBands = C.DEFAULT_AGE_BANDS,
) -> M.IndicatorSet:
    """Load and check indicator definitions from a YAML file.

    ``catalogue``: the equality plan whose indicators the definitions link to — a
    :class:`gcdb.catalogue.Catalogue`, or a DataFrame with ``indicator_id`` (and optionally ``kind``) columns;
    ``None`` loads the shipped İBB plan. ``services``: the known service codes (a collection, or a DataFrame with
    a ``service_code`` column such as ``datasets/demo/services.csv``); ``None`` skips the service-code check.
    ``age_bands``: the bands ``age_band`` values must belong to.
    """
    path = Path(path)
    try:
        data = load_yaml_strict(path)
    except RuleError as exc:
        raise _yaml_error(exc, path) from None
    return _build(data, str(path), catalogue, services, age_bands)


def loads_indicators(
    text: str,
    *,
    name: str = "<string>",
    catalogue: Any = None,
    services: Any = None,
    age_bands: C.AgeBands = C.DEFAULT_AGE_BANDS,
) -> M.IndicatorSet:
    """Load and check indicator definitions from YAML text (``name`` appears in error messages)."""
    try:
        data = loads_yaml_strict(text, name=name)
    except RuleError as exc:
        raise _yaml_error(exc, text) from None
    return _build(data, name, catalogue, services, age_bands)


def parse_indicators(
    data: Mapping[str, Any],
    *,
    source: str = "<data>",
    catalogue: Any = None,
    services: Any = None,
    age_bands: C.AgeBands = C.DEFAULT_AGE_BANDS,
) -> M.IndicatorSet:
    """Check definitions given as Python data; same checks as :func:`load_indicators`."""
    return _build(data, source, catalogue, services, age_bands)


def indicators_json_schema() -> dict[str, Any]:
    """JSON Schema of the definition format (for editors and ``rules/indicators.schema.json``)."""
    schema = M.IndicatorSet.model_json_schema(by_alias=True)
    return {
        "$schema": SCHEMA_ID,
        "title": "gcdb plan indicator definitions",
        "description": "Plan indicators computed from service-usage records, each linked to an indicator of the "
        "equality plan catalogue. See gcdb/indicators/model.py.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


# ---------------------------------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------------------------------
def _build(data: Any, source: str, catalogue: Any, services: Any, age_bands: C.AgeBands) -> M.IndicatorSet:
    if not isinstance(data, Mapping):
        raise IndicatorError(t("indicators.load.not_mapping"), file=source, line=1)
    try:
        result = M.IndicatorSet.model_validate(data)
    except ValidationError as exc:
        raise IndicatorSetError(_sorted(_validation_problems(exc, data, source))) from None
    result._source = source
    problems = _context_problems(result, source, catalogue, services, age_bands)
    if problems:
        raise IndicatorSetError(_sorted(problems))
    return result


def _sorted(problems: list[IndicatorError]) -> list[IndicatorError]:
    return sorted(problems, key=lambda p: p.line or 0)


def _yaml_error(exc: RuleError, source: Path | str) -> IndicatorError:
    """A YAML-level error (duplicate key, syntax) with the id of the definition it sits in, when found."""
    message = str(exc)
    prefix = _where(exc.file, exc.line, None)
    body = message[len(prefix) + 2 :] if prefix and message.startswith(prefix + ": ") else message
    return IndicatorError(body, file=exc.file, line=exc.line, indicator_id=_id_at_line(source, exc.line))


def _id_at_line(source: Path | str, line: int | None) -> str | None:
    if not line:
        return None
    try:
        text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return None
    found = None
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if getattr(key, "value", None) == "indicators" and isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    if item.start_mark.line + 1 <= line and isinstance(item, yaml.MappingNode):
                        ids = [v.value for k, v in item.value if getattr(k, "value", None) == "id"]
                        found = ids[0] if ids and isinstance(ids[0], str) else None
    return found


def _known_keys() -> list[str]:
    keys: set[str] = set()
    for cls in (M.IndicatorSet, M.IndicatorDefinition, M.PopulationBase, M.Predicate, M.Between):
        for name, info in cls.model_fields.items():
            keys.add(info.alias or name)
    keys.update(("all", "any", "not"))
    return sorted(keys)


def _locate(data: Any, loc: tuple) -> tuple[int, str | None]:
    """Line and definition id at a pydantic error location, walking the YAML data."""
    node = data
    line = getattr(data, "line", 0)
    found_id = None
    for i, part in enumerate(loc):
        if isinstance(node, Mapping) and isinstance(part, str) and part in node:
            line = node.line_of(part) if hasattr(node, "line_of") else line
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            line = getattr(node, "line", 0) or line
        else:
            continue
        if (
            i == 1
            and loc[0] == "indicators"
            and isinstance(node, Mapping)
            and isinstance(node.get("id"), str)
        ):
            found_id = node["id"]
    return line, found_id


def _validation_problems(exc: ValidationError, data: Any, source: str) -> list[IndicatorError]:
    out: list[IndicatorError] = []
    seen: set[tuple[int, str]] = set()
    errors = exc.errors(include_url=False)
    misspelt = set()  # missing keys that an unknown key probably stands for
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = tuple(err["loc"])
            for close in difflib.get_close_matches(str(loc[-1]), _known_keys(), n=1):
                misspelt.add((loc[:-1], close))
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "missing" and (loc[:-1], loc[-1]) in misspelt:
            continue
        line, found_id = _locate(data, loc)
        message = _message(err, loc)
        if (line, message) in seen:
            continue
        seen.add((line, message))
        out.append(IndicatorError(message, file=source, line=line or None, indicator_id=found_id))
    return out


def _message(err: Mapping[str, Any], loc: tuple) -> str:
    kind = err["type"]
    key = next(
        (p for p in reversed(loc) if isinstance(p, str) and not p.startswith(("function-", "list["))), ""
    )
    msg = str(err.get("msg", ""))
    if loc[:1] == ("indicators",) and loc[2:3] == ("by",) and kind != "value_error":
        return t("indicators.load.by", dimensions=", ".join(M.DIMENSIONS), value=repr(err.get("input")))
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(key, _known_keys(), n=1)
        if close:
            return t("rules.unknown_key_hint", key=repr(key), close=repr(close[0]))
        return t("rules.unknown_key", key=repr(key))
    if kind == "missing":
        return t("rules.missing_key", key=repr(key))
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind == "condition":
        return msg
    if kind == "string_pattern_mismatch" and key == "id":
        return t("indicators.load.id_pattern", value=repr(err.get("input")))
    text = pydantic_message(err)
    return t(
        "rules.pydantic_key" if key else "rules.pydantic", key=key, message=text, value=repr(err.get("input"))
    )


# ---------------------------------------------------------------------------------------------------------------
# Context checks
# ---------------------------------------------------------------------------------------------------------------
def _catalogue_table(catalogue: Any) -> tuple[pd.DataFrame, str | None]:
    """``(indicators frame with indicator_id [, kind], plan id or None)``."""
    if catalogue is None:
        from gcdb.catalogue import Catalogue

        catalogue = Catalogue.load()
    if isinstance(catalogue, pd.DataFrame):
        if "indicator_id" not in catalogue.columns:
            raise TypeError("a catalogue DataFrame needs an 'indicator_id' column")
        return catalogue, None
    if hasattr(catalogue, "indicators"):
        meta = getattr(catalogue, "meta", None)
        return catalogue.indicators, getattr(meta, "plan_id", None)
    raise TypeError(
        "catalogue must be a gcdb.catalogue.Catalogue or a DataFrame with an 'indicator_id' column"
    )


def _service_codes(services: Any) -> set[str] | None:
    if services is None:
        return None
    if isinstance(services, pd.DataFrame):
        if C.SERVICE_CODE not in services.columns:
            raise TypeError(f"a services DataFrame needs a {C.SERVICE_CODE!r} column")
        services = services[C.SERVICE_CODE].dropna()
    if isinstance(services, str | bytes) or not isinstance(services, Iterable):
        raise TypeError("services must be a collection of service codes or a DataFrame with 'service_code'")
    return {str(s) for s in services}


def _context_problems(
    result: M.IndicatorSet, source: str, catalogue: Any, services: Any, age_bands: C.AgeBands
) -> list[IndicatorError]:
    out: list[IndicatorError] = []
    table, plan_id = _catalogue_table(catalogue)
    known = (
        dict(zip(table["indicator_id"].astype(str), table["kind"].astype(str), strict=True))
        if "kind" in table
        else {str(i): None for i in table["indicator_id"]}
    )
    codes = _service_codes(services)
    allowed_values = {
        C.SEX: C.SEX_CODES,
        C.DISABILITY: C.DISABILITY_CODES,
        C.MIGRANT_STATUS: C.MIGRANT_CODES,
        C.AGE_BAND: age_bands.labels,
    }
    if codes is not None:
        allowed_values[C.SERVICE_CODE] = tuple(sorted(codes))

    def problem(message: str, line: int, definition: M.IndicatorDefinition | None = None) -> None:
        out.append(
            IndicatorError(
                message, file=source, line=line or None, indicator_id=definition.id if definition else None
            )
        )

    if plan_id is not None and result.plan is not None and result.plan != plan_id:
        problem(
            t("indicators.load.plan", plan=repr(result.plan), catalogue=repr(plan_id)), result.line_of("plan")
        )

    first_line: dict[str, int] = {}
    for d in result.indicators:
        if d.id in first_line:
            problem(t("indicators.load.duplicate", id=repr(d.id), line=first_line[d.id]), d.line_of("id"), d)
        else:
            first_line[d.id] = d.line

        if d.indicator not in known:
            close = difflib.get_close_matches(d.indicator, list(known), n=3, cutoff=0.6)
            hint = t("indicators.load.hint", close=", ".join(repr(c) for c in close)) if close else ""
            problem(
                t("indicators.load.unknown_indicator", indicator=repr(d.indicator)) + hint,
                d.line_of("indicator"),
                d,
            )
        elif known[d.indicator] is not None and known[d.indicator] not in LINKABLE_KINDS:
            problem(
                t(
                    "indicators.load.kind",
                    indicator=repr(d.indicator),
                    kind=repr(known[d.indicator]),
                    kinds=", ".join(LINKABLE_KINDS),
                ),
                d.line_of("indicator"),
                d,
            )

        for key, condition in d.conditions():
            for p in M.iter_predicates(condition):
                for message, line in _predicate_problems(p, FILTER_COLUMNS, allowed_values, key):
                    problem(message, line or d.line_of(key), d)
        if d.population is not None and d.population.filter is not None:
            for p in M.iter_predicates(d.population.filter):
                for message, line in _predicate_problems(
                    p, POPULATION_FILTER_COLUMNS, allowed_values, "population.filter"
                ):
                    problem(message, line or d.population.line_of("filter"), d)
    return out


def _predicate_problems(
    p: M.Predicate, columns: tuple[str, ...], allowed_values: dict[str, tuple[str, ...]], where: str
) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    if p.column not in columns:
        close = difflib.get_close_matches(p.column, list(columns), n=1)
        message = t(
            "indicators.load.unknown_column_hint" if close else "indicators.load.unknown_column",
            column=repr(p.column),
            where=where,
            close=repr(close[0]) if close else "",
            columns=", ".join(columns),
        )
        out.append((message, p.line_of("column")))
        return out
    op = p.operator
    numeric = p.column in NUMERIC_COLUMNS
    if op == "between" and not numeric:
        out.append(
            (
                t("indicators.load.between", columns=", ".join(NUMERIC_COLUMNS), column=repr(p.column)),
                p.line_of(op),
            )
        )
    for value in p.values:
        if numeric and (isinstance(value, bool) or not isinstance(value, int | float)):
            out.append(
                (t("indicators.load.numeric", column=repr(p.column), value=repr(value)), p.line_of(op))
            )
        elif isinstance(value, bool):
            out.append(
                (
                    t("indicators.load.boolean", value=repr(value), column=repr(p.column)),
                    p.line_of(op),
                )
            )
        elif not numeric and not isinstance(value, str):
            out.append(
                (
                    t("indicators.load.text", column=repr(p.column), value=repr(value)),
                    p.line_of(op),
                )
            )
        elif p.column in allowed_values and value not in allowed_values[p.column]:
            allowed = allowed_values[p.column]
            close = _label_match(str(value), allowed) or difflib.get_close_matches(
                str(value), list(allowed), n=1
            )
            key = "unknown_service" if p.column == C.SERVICE_CODE else "unknown_code"
            message = t(
                f"indicators.load.{key}_hint" if close else f"indicators.load.{key}",
                column=p.column,
                value=repr(value),
                close=repr(close[0]) if close else "",
                known=", ".join(allowed),
            )
            out.append((message, p.line_of(op)))
    return out


def _label_match(value: str, codes: tuple[str, ...]) -> list[str]:
    """Codes whose Turkish or English report label is ``value`` (``Kadın`` → ``female``), Turkish-folded."""
    key = fold(value)
    return [code for code in codes if key in (fold(C.label(code, "tr")), fold(C.label(code, "en")))]
