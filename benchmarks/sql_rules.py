"""Translate a gcdb rule set (``first`` mode) into one DuckDB ``CASE WHEN`` chain, for the tagging comparison.

The translation covers the predicates the benchmark rules use, with gcdb's semantics (``rules/README.md``):

* every predicate is false on a missing value (NULL or blank text) except ``missing``; each predicate is wrapped
  in ``COALESCE(…, FALSE)`` so that ``not`` of a predicate on a missing value is true, as in gcdb (SQL's three-
  valued ``NOT NULL`` would be NULL);
* ``equals`` / ``in``: exact text equality on text columns (no trimming, no case folding), numeric equality on
  numeric columns;
* ``prefix``: ``code = '10' OR starts_with(code, '10.')`` — gcdb's rule for codes written with dots between the
  levels (``10.01``, as the benchmark's service codes and the analytic classification are); gcdb also reads other
  separators and undotted codes, which this translation does not (the whole-frame check would catch it). A regular
  expression per prefix (``^\\D*10(\\D|$)``) was 6× slower in DuckDB, so the cheaper exact form is used;
* ``contains`` / ``contains_any`` / ``contains_all``: on a **pre-folded** copy of the column
  (:func:`gcdb.text.fold` computed once per distinct value in pandas and registered with the frame as
  ``<column>__folded``), with the needle folded the same way: ``contains(...)`` for plain substrings and
  ``regexp_matches(…, '(^|[^[:alnum:]])needle')`` for ``word: start`` (``[^[:alnum:]]…([^[:alnum:]]|$)`` for
  ``word: true``). DuckDB's ``lower()`` is not Turkish-aware (``I`` → ``i``, ``İ`` → ``i̇``), so it is not used;
* ``between``: ``col >= min AND col <= max`` (``TRY_CAST(col AS DOUBLE)`` on text columns);
* ``missing``: ``col IS NULL OR trim(col) = ''`` on text, ``col IS NULL OR isnan(col)`` on floats;
* validity years: ``fiscal_year BETWEEN valid_from AND valid_to``.

Rules are ordered as gcdb's ``first`` mode orders them: priority descending, file order for ties. Anything else
(``regex``, ``fold: true``, ``levels``) raises :class:`NotImplementedError`: the benchmark only times rule sets it
can translate exactly, and :func:`benchmarks.bench_tagging` checks the chosen rule of every row against gcdb's.
"""

from __future__ import annotations

import re

import pandas as pd

from gcdb import columns as C
from gcdb.rules import RuleSet
from gcdb.rules.model import AllOf, Always, AnyOf, Not, Predicate
from gcdb.rules.predicates import DEFAULT_LEVELS, is_numeric_dtype, value_text
from gcdb.text import fold, fold_series

FOLDED_SUFFIX = "__folded"


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _regex_lit(text: str) -> str:
    return _lit(re.escape(text))


class Translator:
    """Builds the SQL for one frame's column kinds."""

    def __init__(self, dtypes: pd.Series) -> None:
        self.numeric = {c: is_numeric_dtype(t) for c, t in dtypes.items()}
        self.floats = {c: pd.api.types.is_float_dtype(t) for c, t in dtypes.items()}
        self.folded: set[str] = set()

    # -- predicates ----------------------------------------------------------------------------------------------
    def predicate(self, p: Predicate) -> str:
        col = _quote_ident(p.column)
        numeric = self.numeric.get(p.column, False)
        op = p.operator
        if p.fold or p.levels or op == "regex":
            raise NotImplementedError(f"predicate {op} with fold/levels/regex is not translated")
        if op == "missing":
            if numeric:
                blank = f"({col} IS NULL" + (f" OR isnan({col}))" if self.floats.get(p.column) else ")")
            else:
                blank = f"({col} IS NULL OR trim({col}) = '')"
            return blank if p.missing else f"(NOT {blank})"
        if op in ("equals", "in"):
            wanted = [p.equals] if op == "equals" else list(p.in_ or [])
            if numeric:
                values = ", ".join(repr(float(w)) for w in wanted if _number(w) is not None)
                return f"COALESCE({col} IN ({values}), FALSE)" if values else "FALSE"
            values = ", ".join(_lit(value_text(w)) for w in wanted)
            return f"COALESCE({col} IN ({values}), FALSE)"
        if op == "prefix":
            if numeric or DEFAULT_LEVELS.get(p.column):
                raise NotImplementedError("prefix on numeric or levelled columns is not translated")
            parts = []
            for prefix in p.prefixes:
                dotted = ".".join(re.findall(r"\d+", prefix))
                parts.append(f"({col} = {_lit(dotted)} OR starts_with({col}, {_lit(dotted + '.')}))")
            return "COALESCE(" + " OR ".join(parts) + ", FALSE)"
        if op in ("contains", "contains_any", "contains_all"):
            self.folded.add(p.column)
            fcol = _quote_ident(p.column + FOLDED_SUFFIX)
            hits = []
            for needle in p.needles:
                n = fold(needle)
                if not p.word:
                    hits.append(f"contains({fcol}, {_lit(n)})")
                elif p.word == "start":
                    hits.append(f"regexp_matches({fcol}, '(^|[^[:alnum:]])' || {_regex_lit(n)})")
                else:
                    hits.append(
                        f"regexp_matches({fcol}, '(^|[^[:alnum:]])' || {_regex_lit(n)} || '([^[:alnum:]]|$)')"
                    )
            joiner = " AND " if op == "contains_all" else " OR "
            return "COALESCE(" + joiner.join(hits) + ", FALSE)"
        if op == "between":
            value = col if numeric else f"TRY_CAST({col} AS DOUBLE)"
            lo, hi = p.between.min, p.between.max
            parts = [
                f"{value} >= {lo!r}" if lo is not None else None,
                f"{value} <= {hi!r}" if hi is not None else None,
            ]
            parts = [x for x in parts if x] or [f"{value} IS NOT NULL"]
            return "COALESCE(" + " AND ".join(parts) + ", FALSE)"
        raise NotImplementedError(f"operator {op!r} is not translated")

    def condition(self, c) -> str:
        if isinstance(c, Predicate):
            return self.predicate(c)
        if isinstance(c, AllOf):
            return "(" + " AND ".join(self.condition(x) for x in c.all_) + ")"
        if isinstance(c, AnyOf):
            return "(" + " OR ".join(self.condition(x) for x in c.any_) + ")"
        if isinstance(c, Not):
            return f"(NOT {self.condition(c.not_)})"
        if isinstance(c, Always):
            return "TRUE"
        raise TypeError(f"not a condition: {c!r}")


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def case_sql(ruleset: RuleSet, frame: pd.DataFrame, table: str = "usage") -> tuple[str, list[str]]:
    """``SELECT CASE WHEN … END AS rule_id FROM table`` for ``ruleset`` in ``first`` mode, and the columns that
    need a pre-folded copy (see :func:`with_folded`)."""
    tr = Translator(frame.dtypes)
    year = _quote_ident(C.FISCAL_YEAR)
    whens = []
    for rule in sorted(ruleset.rules, key=lambda r: -r.priority):  # stable: ties keep file order
        cond = tr.condition(rule.when)
        if rule.bounded:
            if C.FISCAL_YEAR not in frame.columns:
                continue
            cond = within_years(rule, cond, year)
        whens.append(f"WHEN {cond} THEN {_lit(rule.id)}")
    sql = "SELECT CASE\n  " + "\n  ".join(whens) + f"\n  ELSE '' END AS rule_id FROM {table}"
    return sql, sorted(tr.folded)


def with_folded(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` with a ``<column>__folded`` copy (:func:`gcdb.text.fold`, once per distinct value) per column."""
    return frame.assign(**{c + FOLDED_SUFFIX: fold_series(frame[c]) for c in columns})


def within_years(rule, cond: str, year: str) -> str:
    """``cond`` of a rule with validity years, restricted to them (a missing year never matches)."""
    bounds = []
    if rule.valid_from is not None:
        bounds.append(f"{year} >= {rule.valid_from}")
    if rule.valid_to is not None:
        bounds.append(f"{year} <= {rule.valid_to}")
    return "(COALESCE(" + " AND ".join(bounds) + f", FALSE) AND {cond})"
