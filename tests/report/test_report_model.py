"""The report model and its three renderers on a small hand-made report (the example of docs/report-model.md):
the workbook's live totals and cross-sheet SUMIFS (refused when the cells disagree with the analysis), the web
page, the tidy files; and the data-quality values shown in lira."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from gcdb.errors import UsageError
from gcdb.report import (
    Column,
    Report,
    Section,
    SumIfs,
    Table,
    render_html,
    render_tidy,
    render_xlsx,
)
from gcdb.report.i18n import issue_values
from gcdb.report.model import CellRule
from gcdb.report.workbook import resolve_created

DOC = Path(__file__).resolve().parents[2] / "docs" / "report-model.md"


@pytest.fixture(scope="module")
def example():
    """The example of docs/report-model.md, executed as written."""
    code = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    namespace: dict = {}
    exec(compile(code, str(DOC), "exec"), namespace)
    return namespace["report"], namespace["status"]


def test_the_documented_example_renders_as_a_workbook(example, tmp_path, monkeypatch):
    report, status = example
    path = render_xlsx(report, tmp_path / "izleme.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book["Özet"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "A7H1E2" in values and 830_000.0 in values  # money in lira, from integer kuruş
    assert any(isinstance(v, str) and v.startswith("=SUM(") for v in values)  # the live total
    with pytest.MonkeyPatch.context() as mp:  # identical models give identical bytes once the date is fixed
        mp.setenv("SOURCE_DATE_EPOCH", "946684800")
        report.created = resolve_created(None)
        a = render_xlsx(report, tmp_path / "a.xlsx").read_bytes()
        b = render_xlsx(report, tmp_path / "b.xlsx").read_bytes()
    assert a == b


def test_the_documented_example_renders_as_a_page_and_tidy_files(example, tmp_path):
    report, status = example
    page = render_html(report, tmp_path / "izleme.tr.html")
    assert '<html lang="tr" dir="ltr">' in page and "<svg" in page and 'id="t-actions"' in page
    assert "830.000,00 TL" in page  # an analyst report: money to the kuruş, Turkish format
    files = render_tidy(report, tmp_path / "tables", formats=("csv",))
    assert [f.name for f in files] == ["monitoring_actions.csv"]
    frame = pd.read_csv(files[0])
    assert frame.columns.tolist() == ["action_code", "done", "spent"]
    assert frame["spent"].tolist() == [1_250_000, 83_000_000]  # integer kuruş, canonical names


def _two_sheets(expected: int) -> Report:
    lines = pd.DataFrame({"year": [2024, 2024, 2023], "money": [100, 250, 999]})
    total = pd.DataFrame({"year": [2024], "money": [0]})
    report = Report(title="t", lang="tr", created=resolve_created(None))
    report.add(
        Section(
            "lines", "Satırlar", [Table("lines", lines, [Column("year", "year"), Column("money", "money")])]
        )
    )
    rule = CellRule(0, "money", SumIfs("lines", "money", {"year": 2024}, expected))
    table = Table("total", total, [Column("year", "year"), Column("money", "money")], cells=[rule])
    report.add(Section("summary", "Özet", [table]))
    return report


def test_a_sumifs_is_written_live_and_checked_against_the_cells(tmp_path):
    path = render_xlsx(_two_sheets(350), tmp_path / "ok.xlsx")
    ws = openpyxl.load_workbook(path)["Özet"]
    formula = next(
        c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "SUMIFS" in c.value
    )
    assert formula == "=SUMIFS('Satırlar'!$B$2:$B$4,'Satırlar'!$A$2:$A$4,2024)"
    cached = openpyxl.load_workbook(path, data_only=True)["Özet"]
    assert 3.5 in [c.value for row in cached.iter_rows() for c in row]  # 350 kuruş as lira
    with pytest.raises(UsageError, match="adds up to 3.50 but the analysis says 3.51"):
        render_xlsx(_two_sheets(351), tmp_path / "bad.xlsx")
    assert not (tmp_path / "bad.xlsx").exists()


def test_data_quality_money_is_shown_in_lira_not_kurus():
    shown = issue_values(
        pd.Series(["expenditure", "revised_appropriation", "sex", None]),
        pd.Series(["172315609", "-500", "Zürafa", None]),
        "tr",
    )
    assert shown.tolist()[:3] == ["1.723.156,09 TL", "-5,00 TL", "Zürafa"]
    assert issue_values(pd.Series(["expenditure"]), pd.Series(["172315609"]), "en").tolist() == [
        "1,723,156.09 TL"
    ]


def test_a_subtotal_ratio_applies_its_scale(tmp_path):
    """``RatioOf(…, scale=…)`` in a filtered table's subtotal row: formula and cached value are scaled, as in a
    table's live total row."""
    from gcdb.report import RatioOf
    from gcdb.report.model import Subtotal

    frame = pd.DataFrame(
        {"unit": ["a", "b"], "spent": [100, 300], "budget": [200, 600], "rate": [50.0, 50.0]}
    )
    columns = [
        Column("unit", "text"),
        Column("spent", "money"),
        Column("budget", "money"),
        Column("rate", "rate"),
    ]
    totals = {"spent": "sum", "budget": "sum", "rate": RatioOf("spent", "budget", scale=100.0)}
    table = Table("rates", frame, columns, subtotal=Subtotal("Toplam", totals))
    report = Report(title="t", lang="tr", created=resolve_created(None))
    report.add(Section("rates", "Oranlar", [table]))
    path = render_xlsx(report, tmp_path / "rates.xlsx")
    formulas = [c.value for row in openpyxl.load_workbook(path)["Oranlar"].iter_rows() for c in row]
    assert any(isinstance(f, str) and f.startswith("=IF(") and f.endswith("*100.0)") for f in formulas)
    cached = [
        c.value for row in openpyxl.load_workbook(path, data_only=True)["Oranlar"].iter_rows() for c in row
    ]
    assert 50.0 in cached[-4:]
