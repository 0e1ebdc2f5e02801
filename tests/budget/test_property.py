"""Property: for any budget and tag table, money is conserved to the kuruş.

Random budgets (int64 kuruş, three phases, one to three fiscal years) and random tag tables (per line a share
≤ 1 split across up to three parts with ``gcdb.money.split_by_shares``; random categories under every scheme,
declared shares consistent with India GBS Parts B/C). For every fiscal year, phase and scheme reading:

    Σ counted + Σ not counted + Σ unattributed = budget total,

where the unattributed remainder is computed here, per line, from the budget and the tag table — independently of
the analysis — and the analysis' own reconciliation table must say the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from budget_builders import SCHEME_IDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcdb import columns as C
from gcdb.budget import analyse_budget, names
from gcdb.money import split_by_shares
from gcdb.schemes import DECLARED_SHARE, category_column

AMOUNT = st.integers(min_value=-(10**6), max_value=10**13)
EU = st.sampled_from(["01", "02", "03", "03*", None])
DAC = st.sampled_from(["0", "1", "2", None])
SCORE = st.one_of(st.none(), st.integers(min_value=0, max_value=200).map(lambda x: f"{x / 10:g}"))


@st.composite
def part_categories(draw) -> dict:
    india = draw(st.sampled_from(["A", "B", "C", None]))
    if india == "B":
        declared = draw(st.floats(min_value=0.30, max_value=0.99))
    elif india == "C":
        declared = draw(st.floats(min_value=0.0, max_value=0.2999))
    else:
        declared = draw(st.one_of(st.just(np.nan), st.floats(min_value=0.0, max_value=1.0)))
    use_declared = draw(st.booleans()) and not np.isnan(declared)
    return {
        "eu_cpr": draw(EU),
        "oecd_dac": draw(DAC),
        "india_gbs": india,
        "ph_hgdg": draw(SCORE),
        "declared": "declared" if use_declared else None,
        DECLARED_SHARE: declared,
    }


@st.composite
def budgets_and_tags(draw):
    first = draw(st.integers(min_value=2019, max_value=2024))
    years = sorted(draw(st.sets(st.integers(min_value=first, max_value=first + 3), min_size=1, max_size=3)))
    n = draw(st.integers(min_value=1, max_value=10))
    budget = pd.DataFrame(
        {
            C.FISCAL_YEAR: np.array([draw(st.sampled_from(years)) for _ in range(n)], dtype=np.int64),
            C.LINE_ID: [f"L{i}" for i in range(n)],
            C.INSTITUTIONAL_CODE: "46.34.01.16",
            C.UNIT_NAME: [
                draw(st.sampled_from(["Kadın ve Aile Hizmetleri DB", "Fen İşleri DB"])) for _ in range(n)
            ],
            C.FUNCTIONAL_CODE: [
                draw(st.sampled_from(["10.4.0.00", "09.1.1.00", "06.2.0.00"])) for _ in range(n)
            ],
            C.FINANCING_TYPE: [draw(st.sampled_from(["5", "7", "8"])) for _ in range(n)],
            C.ECONOMIC_CODE: [
                draw(st.sampled_from(["03.5.1.08", "05.3.1.01", "01.1.1.01"])) for _ in range(n)
            ],
            C.DESCRIPTION: "X",
            **{p: np.array([draw(AMOUNT) for _ in range(n)], dtype=np.int64) for p in C.PHASES},
        }
    )
    rows, shares, cats = [], [], []
    for line in range(n):
        k = draw(st.integers(min_value=0, max_value=3))
        if k == 0:
            continue
        total = draw(st.sampled_from([1.0, draw(st.floats(min_value=0.0, max_value=1.0))]))
        raw = [draw(st.integers(min_value=1, max_value=100)) for _ in range(k)]
        rows += [line] * k
        shares += [total * r / sum(raw) for r in raw]
        cats += [draw(part_categories()) for _ in range(k)]
    tags = pd.DataFrame(
        {
            C.ROW_ID: np.array(rows, dtype=np.int64),
            C.RULE_ID: pd.Series([f"r{i}" for i in range(len(rows))], dtype="str"),
            C.ACTION_CODE: pd.Series(
                [draw(st.sampled_from(["A1H1E1", "A7H2E3", None])) for _ in rows], dtype="str"
            ),
            C.SHARE: np.array(shares, dtype=np.float64),
            **{category_column(s): pd.Series([c[s] for c in cats], dtype="str") for s in SCHEME_IDS},
            DECLARED_SHARE: np.array([c[DECLARED_SHARE] for c in cats], dtype=np.float64),
        }
    )
    for phase in C.PHASES:
        tags[C.attributed(phase)] = split_by_shares(budget[phase], tags[C.ROW_ID], tags[C.SHARE]).to_numpy()
    return budget, tags


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(budgets_and_tags())
def test_money_is_conserved_per_year_phase_and_scheme(case):
    budget, tags = case
    result = analyse_budget(budget, tags)
    parts = result.parts

    # every part: counted + not counted = attributed, and counted within a kuruş of weight × attributed
    for phase in C.PHASES:
        att = parts[names.attributed(phase)].to_numpy()
        cnt = parts[names.counted(phase)].to_numpy()
        assert np.array_equal(cnt + parts[names.not_counted(phase)].to_numpy(), att)
        assert np.all(np.abs(cnt - parts[names.WEIGHT].to_numpy() * att) <= 1 + 1e-15 * np.abs(att))

    # independent of the analysis: per line, the budget minus its tag parts; per year, the budget total
    per_line = (
        tags.groupby(C.ROW_ID)[[C.attributed(p) for p in C.PHASES]]
        .sum()
        .reindex(range(len(budget)), fill_value=0)
    )
    unattributed = pd.DataFrame(
        budget[list(C.PHASES)].to_numpy() - per_line.to_numpy(), columns=list(C.PHASES), index=budget.index
    )
    total = budget.groupby(C.FISCAL_YEAR)[list(C.PHASES)].sum()
    rest = unattributed.groupby(budget[C.FISCAL_YEAR]).sum()
    money = [names.counted(p) for p in C.PHASES] + [names.not_counted(p) for p in C.PHASES]
    sums = parts.groupby([C.FISCAL_YEAR, C.SCHEME, names.READING])[money].sum()
    grid = pd.MultiIndex.from_tuples(
        [(year, scheme, reading) for year in total.index for scheme, reading in result.readings],
        names=[C.FISCAL_YEAR, C.SCHEME, names.READING],
    )
    sums = sums.reindex(grid, fill_value=0)
    years = grid.get_level_values(C.FISCAL_YEAR)
    summary = result.summary.set_index([C.FISCAL_YEAR, C.SCHEME, names.READING]).reindex(grid)
    for phase in C.PHASES:
        conserved = (
            sums[names.counted(phase)].to_numpy()
            + sums[names.not_counted(phase)].to_numpy()
            + rest[phase].reindex(years).to_numpy()
        )
        assert np.array_equal(conserved, total[phase].reindex(years).to_numpy()), phase
        assert np.array_equal(summary[names.counted(phase)].to_numpy(), sums[names.counted(phase)].to_numpy())
        assert np.array_equal(summary[names.budget(phase)].to_numpy(), total[phase].reindex(years).to_numpy())
    rec = result.reconciliation
    assert rec[names.BALANCED].all()
    assert len(rec) == budget[C.FISCAL_YEAR].nunique() * 3 * len(result.readings)
