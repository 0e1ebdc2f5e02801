"""The peers of the comparisons, written as a competent DuckDB or polars user would write them.

Tagging (``first`` mode) — the **distinct-values plan**, the same algorithm as gcdb's: the rules are grouped by the
columns they read (the fiscal year included for rules with validity years; a group whose columns are a subset of
another group's joins that group); per group, the distinct combinations of its columns are taken (``SELECT
DISTINCT`` / ``unique``), each combination gets the rank of its first matching rule (one ``CASE`` / one ``when``
chain over the distincts, rules in precedence order), and the result is joined back to the rows (NULL-safe on
the keys); a row's rule is the smallest rank over the groups. polars drops the combinations that match no rule
before the join; DuckDB keeps them (its optimiser pushes a ``WHERE r IS NOT NULL`` on the distinct table below the
``DISTINCT`` and evaluates the ``CASE`` on every row: 13× slower at 1M rows).
Text search reads a Turkish-folded copy of the distinct names (:func:`gcdb.text.fold` on the distinct values,
inside the timing); the predicate translation is :mod:`sql_rules` (DuckDB) and :class:`PolarsTranslator` (polars),
both with gcdb's semantics (missing values, ``not``, folding). The rank → rule id step is an Arrow ``take`` over
the rule ids, inside the timing.

* :func:`duckdb_tag` — one SQL statement (CTEs per group, ``LEFT JOIN … IS NOT DISTINCT FROM``, ``least``);
  the rows come back with their row number (a ``__row`` column registered with the frame) and are put back in
  order with one numpy scatter, inside the timing. DuckDB uses its threads (``threads`` = cores).
* :func:`polars_tag` — one lazy query (``unique``, ``when``/``then`` chain, ``join(…, nulls_equal=True,
  maintain_order="left")``, ``min_horizontal``), collected once; polars uses its thread pool.

Distinct users — **pre-aggregated**: the distinct (cell, person) pairs first (with their uses and quantity), then
the counts of every margin over those pairs, never ``count(DISTINCT …)`` over the rows:

* :data:`DUCKDB_MARGINS` (``GROUP BY CUBE`` with ``count(DISTINCT person_id)`` over the pairs) and
  :data:`DUCKDB_MARGINS_TWO_LEVEL` (``GROUPING SETS`` of (margin, person) then ``count(*)``: no distinct
  aggregate at all) — all 32 margins; the faster of the two is the peer;
* :data:`DUCKDB_CROSS` — the full cross (``count(*)`` of the pairs per cell) and the grand total;
* :func:`polars_margins`, :func:`polars_cross` — the same with ``group_by`` / ``n_unique`` over the pairs,
  the 32 margins as one lazy ``concat`` (run in parallel);
* :data:`DUCKDB_IMPACT` / :func:`polars_impact` — the distinct users of each of the 5 one-dimension margins of
  ``impact_table`` (migrant statuses pooled as gcdb pools them). The peers compute only these counts; gcdb's
  ``impact_table`` also computes the rates, intervals, ratios, flags and disclosure control.

Every result is checked equal to gcdb's by the benchmarks before it is timed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import sql_rules

from gcdb import columns as C
from gcdb.equality.baseline import POOLED_MIGRANT_CODES
from gcdb.rules import RuleSet
from gcdb.rules.model import AllOf, Always, AnyOf, Not, Predicate, Rule, iter_predicates
from gcdb.rules.predicates import DEFAULT_LEVELS, is_numeric_dtype, value_text
from gcdb.text import fold

ROW = "__row"
FOLDED_SUFFIX = sql_rules.FOLDED_SUFFIX


# ---------------------------------------------------------------------------------------------------------------
# The plan: rule groups by columns read
# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Group:
    columns: tuple[str, ...]  # the key columns (what DISTINCT / unique is taken over)
    rules: tuple[tuple[int, Rule], ...]  # (rank, rule) in precedence order
    folded: tuple[str, ...]  # columns whose folded copy the group's text search reads


@dataclass(frozen=True)
class Plan:
    ordered: list[Rule]  # precedence order: priority descending, file order for ties
    groups: list[Group]

    @property
    def rule_ids(self) -> list[str]:
        return [r.id for r in self.ordered]


def _columns(rule: Rule) -> set[str]:
    cols = {p.column for p in iter_predicates(rule.when)}
    if rule.bounded:
        cols.add(C.FISCAL_YEAR)
    return cols


def _folded(rule: Rule) -> set[str]:
    return {
        p.column
        for p in iter_predicates(rule.when)
        if p.operator in ("contains", "contains_any", "contains_all")
    }


def make_plan(ruleset: RuleSet) -> Plan:
    """Rules grouped by the set of columns they read; a set contained in a bigger one joins it."""
    ordered = sorted(ruleset.rules, key=lambda r: -r.priority)  # stable: ties keep file order
    by_cols: dict[frozenset[str], list[int]] = {}
    for rank, rule in enumerate(ordered):
        by_cols.setdefault(frozenset(_columns(rule)), []).append(rank)
    kept: list[tuple[frozenset[str], list[int]]] = []
    for cols, ranks in sorted(by_cols.items(), key=lambda kv: (-len(kv[0]), sorted(kv[0]))):
        home = [i for i, (other, _) in enumerate(kept) if cols <= other]
        if home:
            smallest = min(home, key=lambda i: len(kept[i][0]))
            kept[smallest][1].extend(ranks)
        else:
            kept.append((cols, list(ranks)))
    groups = []
    for cols, ranks in kept:
        ranks.sort()
        rules = tuple((r, ordered[r]) for r in ranks)
        folded = sorted(set().union(*(_folded(rule) for _, rule in rules)))
        groups.append(Group(tuple(sorted(cols)), rules, tuple(folded)))
    return Plan(ordered, groups)


def ids_from_ranks(ranks: np.ndarray, rule_ids: list[str]) -> pa.Array:
    """Rule id per row from its rank (``len(rule_ids)``: untagged → ``""``), as an Arrow string array."""
    dictionary = pa.array([*rule_ids, ""], type=pa.large_string())
    return pa.DictionaryArray.from_arrays(pa.array(ranks), dictionary).cast(pa.large_string())


# ---------------------------------------------------------------------------------------------------------------
# DuckDB
# ---------------------------------------------------------------------------------------------------------------
def _q(name: str) -> str:
    return sql_rules._quote_ident(name)


def duckdb_register(con, frame: pd.DataFrame, table: str = "usage") -> None:
    """Register ``frame`` (plus its row number ``__row``) as an Arrow table (not timed by the benchmarks)."""
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    arrow = arrow.append_column(ROW, pa.array(np.arange(len(frame), dtype=np.int64)))
    con.register(table, arrow)


def duckdb_tag_sql(plan: Plan, frame: pd.DataFrame, table: str = "usage") -> str:
    tr = sql_rules.Translator(frame.dtypes)
    ctes, joins, ranks = [], [], []
    year = _q(C.FISCAL_YEAR)
    for i, g in enumerate(plan.groups):
        keys = ", ".join(_q(c) for c in g.columns)
        whens = []
        for rank, rule in g.rules:
            cond = tr.condition(rule.when)
            if rule.bounded:
                cond = sql_rules.within_years(rule, cond, year)
            whens.append(f"WHEN {cond} THEN {rank}")
        source = f"(SELECT DISTINCT {keys} FROM {table}) d"
        for col in g.folded:
            source += f" LEFT JOIN fold_{i}_{col} USING ({_q(col)})"
            ctes.append(
                f"fold_{i}_{col} AS (SELECT {_q(col)}, fold_text({_q(col)}) AS {_q(col + FOLDED_SUFFIX)} "
                f"FROM (SELECT DISTINCT {_q(col)} FROM {table}))"
            )
        ctes.append(
            # no "WHERE r IS NOT NULL" here: DuckDB pushes such a filter below the DISTINCT and evaluates the
            # CASE on every row (measured: 13× slower at 1M rows)
            f"g{i} AS (SELECT {keys}, CASE {' '.join(whens)} END AS r FROM {source})"
        )
        on = " AND ".join(f"u.{_q(c)} IS NOT DISTINCT FROM g{i}.{_q(c)}" for c in g.columns)
        joins.append(f"LEFT JOIN g{i} ON {on}")
        ranks.append(f"g{i}.r")
    return (
        "WITH "
        + ",\n".join(ctes)
        + f"\nSELECT u.{ROW} AS row, least({', '.join(ranks)}) AS r FROM {table} u\n"
        + "\n".join(joins)
    )


def duckdb_tag(con, sql: str, n: int, rule_ids: list[str]) -> pa.Array:
    """Rule id of every row, in row order (run :func:`duckdb_fold_udf` on ``con`` once first)."""
    out = con.sql(sql).to_arrow_table()
    ranks = np.full(n, len(rule_ids), dtype=np.int64)
    r = out.column("r").to_numpy(zero_copy_only=False)
    rows = out.column("row").to_numpy()
    got = ~np.isnan(r) if r.dtype.kind == "f" else np.ones(len(r), bool)
    ranks[rows[got]] = r[got].astype(np.int64)
    return ids_from_ranks(ranks, rule_ids)


def duckdb_fold_udf(con) -> None:
    """``fold_text(x)``: gcdb's Turkish folding as a vectorised Python UDF (it runs on distinct values only)."""

    def fold_text(values: pa.Array) -> pa.Array:
        return pa.array([None if v is None else fold(v) for v in values.to_pylist()], type=pa.string())

    con.create_function("fold_text", fold_text, ["VARCHAR"], "VARCHAR", type="arrow")


# ---------------------------------------------------------------------------------------------------------------
# polars
# ---------------------------------------------------------------------------------------------------------------
_RE_META = re.compile(r"([\\.^$|?*+()\[\]{}\-])")


def _re_escape(text: str) -> str:
    return _RE_META.sub(r"\\\1", text)


class PolarsTranslator:
    """gcdb predicates as polars expressions (gcdb's semantics: false on a missing value except ``missing``)."""

    def __init__(self, dtypes: pd.Series) -> None:
        self.numeric = {c: is_numeric_dtype(t) for c, t in dtypes.items()}
        self.floats = {c: pd.api.types.is_float_dtype(t) for c, t in dtypes.items()}

    def predicate(self, p: Predicate):
        import polars as pl

        col = pl.col(p.column)
        numeric = self.numeric.get(p.column, False)
        op = p.operator
        if p.fold or p.levels or op == "regex":
            raise NotImplementedError(f"predicate {op} with fold/levels/regex is not translated")
        if op == "missing":
            if numeric:
                blank = col.is_null() | (col.is_nan() if self.floats.get(p.column) else pl.lit(False))
            else:
                blank = col.is_null() | (col.str.strip_chars() == "")
            return blank if p.missing else ~blank
        if op in ("equals", "in"):
            wanted = [p.equals] if op == "equals" else list(p.in_ or [])
            if numeric:
                values = [float(w) for w in wanted if sql_rules._number(w) is not None]
                return col.cast(pl.Float64).is_in(values).fill_null(False) if values else pl.lit(False)
            values = [value_text(w) for w in wanted]
            expr = (col == values[0]) if len(values) == 1 else col.is_in(values)
            return expr.fill_null(False)
        if op == "prefix":
            if numeric or DEFAULT_LEVELS.get(p.column):
                raise NotImplementedError("prefix on numeric or levelled columns is not translated")
            parts = None
            for prefix in p.prefixes:
                dotted = ".".join(re.findall(r"\d+", prefix))
                part = (col == dotted) | col.str.starts_with(dotted + ".")
                parts = part if parts is None else parts | part
            return parts.fill_null(False)
        if op in ("contains", "contains_any", "contains_all"):
            fcol = pl.col(p.column + FOLDED_SUFFIX)
            hits = []
            for needle in p.needles:
                n = fold(needle)
                if not p.word:
                    hits.append(fcol.str.contains(n, literal=True))
                elif p.word == "start":
                    hits.append(fcol.str.contains("(^|[^[:alnum:]])" + _re_escape(n)))
                else:
                    hits.append(fcol.str.contains("(^|[^[:alnum:]])" + _re_escape(n) + "([^[:alnum:]]|$)"))
            out = hits[0]
            for h in hits[1:]:
                out = (out & h) if op == "contains_all" else (out | h)
            return out.fill_null(False)
        if op == "between":
            value = col if numeric else col.cast(pl.Float64, strict=False)
            lo, hi = p.between.min, p.between.max
            parts = [
                x for x in (value >= lo if lo is not None else None, value <= hi if hi is not None else None)
            ]
            parts = [x for x in parts if x is not None] or [value.is_not_null()]
            out = parts[0]
            for x in parts[1:]:
                out = out & x
            return out.fill_null(False)
        raise NotImplementedError(f"operator {op!r} is not translated")

    def condition(self, c):
        import polars as pl

        if isinstance(c, Predicate):
            return self.predicate(c)
        if isinstance(c, AllOf):
            out = self.condition(c.all_[0])
            for x in c.all_[1:]:
                out = out & self.condition(x)
            return out
        if isinstance(c, AnyOf):
            out = self.condition(c.any_[0])
            for x in c.any_[1:]:
                out = out | self.condition(x)
            return out
        if isinstance(c, Not):
            return ~self.condition(c.not_)
        if isinstance(c, Always):
            return pl.lit(True)
        raise TypeError(f"not a condition: {c!r}")

    def rule(self, rule: Rule):
        import polars as pl

        cond = self.condition(rule.when)
        if rule.bounded:
            year = pl.col(C.FISCAL_YEAR)
            bound = None
            if rule.valid_from is not None:
                bound = year >= rule.valid_from
            if rule.valid_to is not None:
                b = year <= rule.valid_to
                bound = b if bound is None else bound & b
            cond = bound.fill_null(False) & cond
        return cond


def polars_tag_query(plan: Plan, frame_dtypes: pd.Series, lf):
    """The lazy query: one ``r`` (rank) per row, in row order."""
    import polars as pl

    tr = PolarsTranslator(frame_dtypes)
    out = lf.select(sorted({c for g in plan.groups for c in g.columns}))
    rank_cols = []
    for i, g in enumerate(plan.groups):
        d = lf.select(list(g.columns)).unique()
        for col in g.folded:
            names = lf.select(pl.col(col).unique())
            lookup = names.with_columns(
                pl.col(col).map_elements(fold, return_dtype=pl.String).alias(col + FOLDED_SUFFIX)
            )
            d = d.join(lookup, on=col, how="left", nulls_equal=True)
        chain = None
        for rank, rule in g.rules:
            cond = tr.rule(rule)
            chain = pl.when(cond).then(pl.lit(rank)) if chain is None else chain.when(cond).then(pl.lit(rank))
        name = f"r{i}"
        d = d.select([*g.columns, chain.otherwise(None).cast(pl.Int32).alias(name)]).filter(
            pl.col(name).is_not_null()
        )
        out = out.join(d, on=list(g.columns), how="left", nulls_equal=True, maintain_order="left")
        rank_cols.append(name)
    return out.select(pl.min_horizontal(rank_cols).alias("r"))


def polars_tag(query, rule_ids: list[str]) -> pa.Array:
    r = query.collect().get_column("r").fill_null(len(rule_ids)).to_numpy()
    return ids_from_ranks(r.astype(np.int64, copy=False), rule_ids)


def polars_frame(frame: pd.DataFrame):
    """``frame`` as a polars DataFrame (via Arrow; not timed by the benchmarks)."""
    import polars as pl

    return pl.from_arrow(pa.Table.from_pandas(frame, preserve_index=False), rechunk=True)


# ---------------------------------------------------------------------------------------------------------------
# Distinct users: breakdowns and the impact table's counts
# ---------------------------------------------------------------------------------------------------------------
def _dims_sql(dims: list[str]) -> str:
    return ", ".join(_q(d) for d in dims)


def duckdb_margins_sql(dims: list[str], table: str = "usage") -> str:
    """All 2^k margins: pairs (cell, person) first, then ``count(DISTINCT person_id)`` under ``CUBE``."""
    d = _dims_sql(dims)
    return (
        f"WITH p AS (SELECT {d}, person_id, count(*) AS uses, sum(quantity) AS q FROM {table} "
        f"GROUP BY {d}, person_id)\n"
        f"SELECT {d}, count(DISTINCT person_id) AS users, sum(uses)::BIGINT AS uses, sum(q)::BIGINT AS quantity "
        f"FROM p GROUP BY CUBE({d})"
    )


def duckdb_margins_two_level_sql(dims: list[str], table: str = "usage") -> str:
    """All 2^k margins without a distinct aggregate: (margin cell, person) by ``GROUPING SETS`` over the pairs,
    then ``count(*)`` per margin cell."""
    from itertools import combinations

    d = _dims_sql(dims)
    sets = []
    for k in range(len(dims), -1, -1):
        for subset in combinations(dims, k):
            sets.append("(" + ", ".join([*(_q(x) for x in subset), "person_id"]) + ")")
    return (
        f"WITH p AS (SELECT {d}, person_id, count(*) AS uses, sum(quantity) AS q FROM {table} "
        f"GROUP BY {d}, person_id),\n"
        f"pp AS (SELECT {d}, GROUPING({d}) AS g, sum(uses) AS uses, sum(q) AS q FROM p "
        f"GROUP BY GROUPING SETS ({', '.join(sets)}))\n"
        f"SELECT {d}, count(*) AS users, sum(uses)::BIGINT AS uses, sum(q)::BIGINT AS quantity FROM pp "
        f"GROUP BY g, {d}"
    )


def duckdb_cross_sql(dims: list[str], table: str = "usage") -> str:
    """The full cross and the grand total over the (cell, person) pairs."""
    d = _dims_sql(dims)
    nulls = ", ".join(f"NULL AS {_q(x)}" for x in dims)
    return (
        f"WITH p AS (SELECT {d}, person_id, count(*) AS uses FROM {table} GROUP BY {d}, person_id)\n"
        f"SELECT {d}, count(*) AS users, sum(uses)::BIGINT AS uses FROM p GROUP BY {d}\n"
        f"UNION ALL SELECT {nulls}, count(DISTINCT person_id), sum(uses)::BIGINT FROM p"
    )


def _pooled_sql() -> str:
    codes = ", ".join(sql_rules._lit(c) for c in POOLED_MIGRANT_CODES)
    return f"CASE WHEN migrant_status IN ({codes}) THEN {sql_rules._lit(C.MIGRANT)} ELSE migrant_status END"


def duckdb_impact_sql(dims: list[str], table: str = "usage") -> str:
    """Distinct users of each one-dimension margin (migrant statuses pooled), over the (cell, person) pairs."""
    cols = [(_pooled_sql() + f" AS {_q(x)}") if x == C.MIGRANT_STATUS else _q(x) for x in dims]
    d = _dims_sql(dims)
    sets = ", ".join(f"({_q(x)})" for x in dims)
    return (
        f"WITH p AS (SELECT DISTINCT {', '.join(cols)}, person_id FROM {table})\n"
        f"SELECT {d}, count(DISTINCT person_id) AS users FROM p GROUP BY GROUPING SETS ({sets})"
    )


def polars_margins(lf, dims: list[str]):
    """All 2^k margins over the (cell, person) pairs, as one lazy concat (collected in parallel)."""
    from itertools import combinations

    import polars as pl

    pairs = (
        lf.group_by([*dims, C.PERSON_ID])
        .agg(pl.len().alias("uses"), pl.col(C.QUANTITY).sum().alias("q"))
        .cache()
    )
    parts = []
    for k in range(len(dims), -1, -1):
        for subset in combinations(dims, k):
            aggs = [
                pl.col(C.PERSON_ID).n_unique().alias("users"),
                pl.col("uses").sum().cast(pl.Int64).alias("uses"),
                pl.col("q").sum().cast(pl.Int64).alias("quantity"),
            ]
            part = pairs.group_by(list(subset)).agg(aggs) if subset else pairs.select(aggs)
            rest = [pl.lit(None, dtype=pl.String).alias(x) for x in dims if x not in subset]
            parts.append(part.with_columns(rest).select([*dims, "users", "uses", "quantity"]))
    return pl.concat(parts)


def polars_cross(lf, dims: list[str]):
    import polars as pl

    pairs = lf.group_by([*dims, C.PERSON_ID]).agg(pl.len().alias("uses")).cache()
    cross = pairs.group_by(dims).agg(pl.len().alias("users"), pl.col("uses").sum().alias("uses"))
    total = pairs.select(
        *(pl.lit(None, dtype=pl.String).alias(x) for x in dims),
        pl.col(C.PERSON_ID).n_unique().alias("users"),
        pl.col("uses").sum().alias("uses"),
    )
    return pl.concat(
        [
            cross.with_columns(pl.col("users").cast(pl.Int64), pl.col("uses").cast(pl.Int64)),
            total.with_columns(pl.col("users").cast(pl.Int64), pl.col("uses").cast(pl.Int64)),
        ]
    )


def polars_impact(lf, dims: list[str]):
    import polars as pl

    mig = pl.col(C.MIGRANT_STATUS)
    pooled = pl.when(mig.is_in(list(POOLED_MIGRANT_CODES))).then(pl.lit(C.MIGRANT)).otherwise(mig)
    pairs = lf.select([*dims, C.PERSON_ID]).with_columns(pooled.alias(C.MIGRANT_STATUS)).unique().cache()
    parts = []
    for x in dims:
        part = pairs.group_by(x).agg(pl.col(C.PERSON_ID).n_unique().cast(pl.Int64).alias("users"))
        rest = [pl.lit(None, dtype=pl.String).alias(y) for y in dims if y != x]
        parts.append(part.with_columns(rest).select([*dims, "users"]))
    return pl.concat(parts)
