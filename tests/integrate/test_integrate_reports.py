"""The three report models on their own: without a budget or a workforce table, in English, deterministic, and
refusing what is not their analysis."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from integrate_helpers import table_after

from gcdb.checklists.run import score_checklists
from gcdb.costing.run import cost_plan
from gcdb.errors import UsageError
from gcdb.monitor import analyse_monitoring
from gcdb.report.checklists import checklist_report, write_checklist_workbook
from gcdb.report.costing import costing_report, write_costing_workbook
from gcdb.report.monitoring import monitoring_report, write_monitoring_workbook

DAY = date(2026, 12, 6)


def _headings(book, sheet: str) -> list[str]:
    return [r[0] for r in book[sheet].iter_rows(values_only=True) if r and isinstance(r[0], str)]


def test_monitoring_without_budget_or_workforce_says_so(demo, tmp_path):
    result, _ = demo
    analysis = analyse_monitoring(result.collection, result.catalogue)
    path = tmp_path / "m.xlsx"
    write_monitoring_workbook(path, analysis, lang="en", created=DAY)
    book = openpyxl.load_workbook(path, data_only=True)
    assert book.sheetnames[:3] == ["Summary", "Money and implementation", "Money by action"]
    assert "No budget was given: the actions were not compared with appropriations." in _headings(
        book, "Summary"
    )
    assert "No workforce table was given: the staff indicators were not computed." in _headings(
        book, "Workforce"
    )
    header, rows, total = table_after(book["Actions"], "Status of the actions", total="Total")
    assert header[:3] == ["Fiscal year", "Priority area", "Target"] and len(rows) == len(
        analysis.action_status
    )


def test_monitoring_workbook_is_byte_identical_for_identical_inputs(demo, tmp_path):
    analysis = demo[0].monitoring
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_monitoring_workbook(a, analysis, created=DAY)
    write_monitoring_workbook(b, analysis, created=DAY)
    assert a.read_bytes() == b.read_bytes()


def test_costing_without_an_adopted_budget(demo, tmp_path):
    result, _ = demo
    run = cost_plan(result.costing.costing, catalogue=result.catalogue)
    assert run.comparison is None and run.tagging is None and run.lines_found == 0
    path = tmp_path / "c.xlsx"
    written = write_costing_workbook(path, run, tables=tmp_path / "t", lang="en", created=DAY)
    assert written[0] == path and (tmp_path / "t" / "proposal_lines.csv").is_file()
    assert not (tmp_path / "t" / "comparison.csv").exists()
    book = openpyxl.load_workbook(path, data_only=True)
    note = "No adopted budget was given: the costing was not compared with appropriations (--budget)."
    assert note in _headings(book, "Summary") and note in _headings(book, "Warnings")
    _, rows, total = table_after(
        book["Budget proposal"], "Budget proposal (performance-programme view)", total="Total"
    )
    assert len(rows) == 20 and total[-2] == pytest.approx(79_834_000.0)


def test_checklists_without_a_budget(demo, tmp_path):
    result, _ = demo
    pairs = [(c, r.data) for c, r in zip(result.checklists.checklists, result.checklists.reads, strict=True)]
    run = score_checklists(pairs)
    assert run.hgdg is None
    report = checklist_report(run, lang="en", created=DAY)
    assert [s.name for s in report.sections][:3] == ["Summary", "HGDG", "park assessments"]
    path = tmp_path / "k.xlsx"
    write_checklist_workbook(path, run, created=DAY)
    assert openpyxl.load_workbook(path).sheetnames[0] == "Özet"


def test_report_models_refuse_other_objects(demo):
    result, _ = demo
    with pytest.raises(UsageError, match="MonitoringAnalysis"):
        monitoring_report(result.budget_analysis)
    with pytest.raises(UsageError, match="CostingRun"):
        costing_report(result.monitoring)
    with pytest.raises(UsageError, match="ChecklistRun"):
        checklist_report(result.costing)
    with pytest.raises(UsageError, match="lang"):
        monitoring_report(result.monitoring, lang="de")
