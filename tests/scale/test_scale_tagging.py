"""Chunked tagging and chunked budget analysis: identical to tagging and analysing the whole input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from scale_helpers import CHUNK, assert_issues_equal, assert_tag_equal

import gcdb
from gcdb import columns as C
from gcdb.budget import TABLES
from gcdb.errors import UsageError
from gcdb.scale import analyse_budget_chunked, combine_tag_results, tag_chunked


@pytest.fixture(scope="module")
def budget_memory(budget_parquet):
    return gcdb.read_budget(budget_parquet)


def test_usage_tagging_from_chunks_of_the_demo_file(chunked_parquet, usage_memory, service_rules):
    expected = gcdb.tag(usage_memory.data, service_rules)
    got = tag_chunked(chunked_parquet.parts, service_rules)
    assert got.chunks == len(chunked_parquet.parts) == -(-len(usage_memory.data) // 50_000)
    assert_tag_equal(expected, got)
    assert got.coverage.untagged_groups["rows"].sum() == len(expected.untagged)


def test_usage_tagging_of_a_file(tmp_path, usage_memory, service_rules):
    path = tmp_path / "part.parquet"
    usage_memory.data.iloc[:60_000].drop(columns=[C.SOURCE_ROW]).to_parquet(path, row_group_size=7_000)
    expected = gcdb.tag(gcdb.read_usage(path).data, service_rules)
    got = tag_chunked(path, service_rules, kind="usage", chunk_rows=25_000)
    assert got.chunks == 3 and got.read.ok and got.read.valid_rows == 60_000
    assert_tag_equal(expected, got)


@pytest.mark.parametrize("mode", ["first", "all"])
def test_budget_tagging_in_chunks(budget_parquet, budget_memory, budget_rules, mode):
    rules = budget_rules if mode == "first" else _all_mode_safe(budget_rules)
    expected = gcdb.tag(budget_memory.data, rules, mode=mode)
    got = tag_chunked(budget_parquet, rules, kind="budget", mode=mode, chunk_rows=1_000)
    assert got.chunks == 7
    assert_tag_equal(expected, got)
    assert len(expected.coverage.overlaps) > 1  # the overlap table is ordered across chunks too


def _all_mode_safe(ruleset):
    """The budget rules with allocations that never claim more than a whole line under mode 'all'."""
    rules = [
        r.model_copy(update={"then": r.then.model_copy(update={"allocation": 0.1})}) for r in ruleset.rules
    ]
    return ruleset.model_copy(update={"rules": rules})


def test_budget_analysis_in_chunks_equals_in_memory(budget_parquet, budget_memory, budget_rules, catalogue):
    plan = catalogue.budget_actions()
    expected = gcdb.analyse_budget(
        budget_memory.data, gcdb.tag(budget_memory.data, budget_rules), plan_actions=plan
    )
    got, tagging = analyse_budget_chunked(budget_parquet, budget_rules, chunk_rows=1_000, plan_actions=plan)
    assert tagging.chunks == 7
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(expected, name), getattr(got, name), check_exact=True, obj=name)
    pd.testing.assert_frame_equal(budget_memory.reconciliation, tagging.read.reconciliation, check_exact=True)
    assert_issues_equal(budget_memory.issues, tagging.read.issues)


def test_budget_analysis_from_a_turkish_csv(budget_rules):
    # title row, blank row, Turkish headers, cp1254, ';', decimal commas, a trailing empty column
    path = Path(__file__).parent.parent / "ingest" / "data" / "budget_tr_cp1254.csv"
    memory = gcdb.read_budget(path)
    expected = gcdb.analyse_budget(memory.data, gcdb.tag(memory.data, budget_rules))
    got, tagging = analyse_budget_chunked(path, budget_rules, chunk_rows=2)
    assert tagging.chunks >= 2
    pd.testing.assert_frame_equal(expected.summary, got.summary, check_exact=True)
    pd.testing.assert_frame_equal(expected.reconciliation, got.reconciliation, check_exact=True)
    assert_issues_equal(memory.issues, tagging.read.issues)
    pd.testing.assert_frame_equal(memory.quarantine, tagging.read.quarantine, check_exact=True)


def test_combine_needs_results_and_tagging_a_file_needs_a_kind(budget_parquet, budget_rules):
    with pytest.raises(UsageError, match="etiketleme sonucu verilmedi"):
        combine_tag_results([])
    with pytest.raises(UsageError, match="kind="):
        tag_chunked(budget_parquet, budget_rules)


def test_a_frame_is_tagged_in_chunks(budget_memory, budget_rules):
    frame = budget_memory.data
    parts = [
        gcdb.tag(frame.iloc[i : i + 2_000].reset_index(drop=True), budget_rules)
        for i in range(0, len(frame), 2_000)
    ]
    assert_tag_equal(gcdb.tag(frame, budget_rules), combine_tag_results(parts))
    assert_tag_equal(gcdb.tag(frame, budget_rules), tag_chunked(frame, budget_rules, chunk_rows=CHUNK // 20))


@pytest.mark.parametrize("name", ["budget.xlsx", "budget_clean.csv", "budget.parquet"])
def test_small_budget_files_in_chunks_of_two_lines(budget_rules, name):
    path = Path(__file__).parent.parent / "ingest" / "data" / name
    memory = gcdb.read_budget(path)
    got, tagging = analyse_budget_chunked(path, budget_rules, chunk_rows=2)
    expected = gcdb.analyse_budget(memory.data, gcdb.tag(memory.data, budget_rules))
    pd.testing.assert_frame_equal(expected.summary, got.summary, check_exact=True)
    assert_issues_equal(memory.issues, tagging.read.issues)
    pd.testing.assert_frame_equal(memory.reconciliation, tagging.read.reconciliation, check_exact=True)
    assert tagging.chunks == -(-len(memory.data) // 2) or not memory.ok


def test_budget_line_ids_repeated_across_chunks(tmp_path, budget_memory, budget_rules):
    lines = pd.read_parquet(Path(__file__).parent.parent.parent / "datasets" / "demo" / "budget.parquet")
    year = lines[C.FISCAL_YEAR].iloc[10]
    same_year = lines.index[lines[C.FISCAL_YEAR] == year]
    late = same_year[-1]
    lines.loc[late, C.LINE_ID] = lines.loc[10, C.LINE_ID]
    path = tmp_path / "budget_dup.parquet"
    lines.to_parquet(path, row_group_size=500)
    memory = gcdb.read_budget(path)
    assert sorted(memory.quarantine[C.SOURCE_ROW]) == [12, late + 2]
    expected = gcdb.analyse_budget(memory.data, gcdb.tag(memory.data, budget_rules))
    got, tagging = analyse_budget_chunked(path, budget_rules, chunk_rows=1_000)
    assert_issues_equal(memory.issues, tagging.read.issues)
    pd.testing.assert_frame_equal(memory.quarantine, tagging.read.quarantine, check_exact=True)
    pd.testing.assert_frame_equal(memory.reconciliation, tagging.read.reconciliation, check_exact=True)
    pd.testing.assert_frame_equal(expected.summary, got.summary, check_exact=True)
    pd.testing.assert_frame_equal(expected.reconciliation, got.reconciliation, check_exact=True)
