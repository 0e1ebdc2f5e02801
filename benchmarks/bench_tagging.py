"""Tagging speed: the vectorised engine on generated usage records against plain Python row by row.

``test_tag_vectorised`` tags the whole frame (``--gcdb-bench-size``, default 1M rows) with ≥ 300 generated rules;
``test_tag_row_by_row`` evaluates the same rules on a 20,000-row sample in plain Python with the reference
semantics (:func:`gcdb.rules.predicates.rule_matches`, first match in precedence order), checks that both give the
same rule for every sampled row, and reports the per-row speed ratio.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from tagging_data import make_rules, make_usage

from gcdb.rules import tag
from gcdb.rules.predicates import is_numeric_dtype, rule_matches

SAMPLE_ROWS = 20_000
_PER_ROW: dict[int, float] = {}


@pytest.fixture(scope="module")
def rules():
    ruleset = make_rules()
    assert len(ruleset.rules) >= 300
    return ruleset


@pytest.fixture(scope="module")
def usage(bench_rows):
    return make_usage(bench_rows)


def test_tag_vectorised(benchmark, usage, rules, bench_rows, bench_notes):
    rounds = 3 if bench_rows <= 2_000_000 else 1
    timings: list[float] = []

    def timed():
        start = time.perf_counter()
        out = tag(usage, rules)
        timings.append(time.perf_counter() - start)
        return out

    result = benchmark.pedantic(timed, rounds=rounds, iterations=1)  # also runs with --benchmark-disable
    seconds = min(timings)
    _PER_ROW[bench_rows] = seconds / bench_rows
    tagged = float(result.rows["tagged"].mean())
    benchmark.extra_info.update(rows=bench_rows, rules=len(rules.rules), tagged_share=tagged)
    bench_notes.append(
        f"vectorised: {bench_rows:,} rows × {len(rules.rules)} rules in {seconds:.2f} s "
        f"({seconds / bench_rows * 1e9:.0f} ns/row), {tagged:.1%} of rows tagged"
    )


def _row_by_row(records, ordered, numeric):
    out = []
    for row in records:
        for rule in ordered:
            if rule_matches(rule, row, numeric):
                out.append(rule.id)
                break
        else:
            out.append("")
    return out


def test_tag_row_by_row(benchmark, usage, rules, bench_rows, bench_notes):
    n = min(SAMPLE_ROWS, len(usage))
    sample = usage.sample(n=n, random_state=1).reset_index(drop=True)
    records = sample.to_dict("records")
    numeric = {c: is_numeric_dtype(sample[c].dtype) for c in sample.columns}
    ordered = sorted(rules.rules, key=lambda r: -r.priority)  # stable: ties keep file order

    start = time.perf_counter()
    expected = benchmark.pedantic(_row_by_row, args=(records, ordered, numeric), rounds=1, iterations=1)
    seconds = time.perf_counter() - start
    got = tag(sample, rules).rows["rule_ids"].tolist()
    assert got == expected  # same answer, row by row
    per_row = seconds / n
    benchmark.extra_info.update(rows=n, rules=len(rules.rules))
    line = f"row by row (plain Python): {n:,} rows in {seconds:.2f} s ({per_row * 1e6:.0f} µs/row)"
    if bench_rows in _PER_ROW:
        ratio = per_row / _PER_ROW[bench_rows]
        benchmark.extra_info["per_row_ratio"] = ratio
        line += f"; vectorised at {bench_rows:,} rows is {ratio:,.0f}× faster per row"
    bench_notes.append(line)
    assert np.isfinite(per_row)
