"""charts.py: native charts that reference the written tables."""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
import pytest
import xlsxwriter
from report_sample import (
    DISTRICT_COLUMNS,
    EXECUTION_RATE,
    RATE,
    RATE_RATIO,
    USERS,
    district_suppression,
    districts_frame,
)

from gcdb import columns as C
from gcdb.errors import UsageError
from gcdb.report import (
    ColumnSpec,
    Formula,
    ReportWorkbook,
    Styles,
    execution_chart,
    place_chart,
    ranking_chart,
    rate_chart,
    share_chart,
    write_table,
)
from gcdb.report.sheet import register_sheet


def _charts(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        return [z.read(n).decode("utf-8") for n in names]


def _districts(book, mask=True, lang="tr"):
    frame = districts_frame()
    ws = book.add_sheet("İlçeler")
    ref = write_table(
        ws, frame, DISTRICT_COLUMNS, lang=lang, suppressed_mask=district_suppression(frame) if mask else None
    )
    return ws, ref


def test_rate_chart_with_reference_line(build):
    def fill(book):
        ws, ref = _districts(book, mask=False)
        chart = rate_chart(
            book, ref, category=C.DISTRICT, value=RATE, reference=Formula("x", 3.0), lang="tr", title="Oran"
        )
        place_chart(ws, chart, ref.last_row + 2, 0)

    (xml,) = _charts(build(fill).data)
    assert '<c:barDir val="bar"/>' in xml
    refs = xml.replace("'", "")  # xlsxwriter quotes sheet names only where Excel needs it
    assert "İlçeler!$A$2:$A$9" in refs and "İlçeler!$D$2:$D$9" in refs  # categories and values
    assert '<c:crossesAt val="3.0"/>' in xml  # the category axis crosses at the reference …
    assert "C00000" in xml  # … drawn as a red line
    assert "Kırmızı çizgi: Genel = 3,0" in xml  # the reference is named, in Turkish number style
    assert '<c:orientation val="maxMin"/>' in xml  # first table row on top


def test_rate_chart_in_english(build):
    def fill(book):
        ws, ref = _districts(book, mask=False, lang="en")
        place_chart(
            ws, rate_chart(book, ref, category=C.DISTRICT, value=RATE_RATIO, reference=1.0, lang="en"), 12, 0
        )

    (xml,) = _charts(build(fill, lang="en").data)
    assert "Red line: Overall = 1.00" in xml


def test_hidden_cells_are_charted_as_gaps(build):
    refs = {}

    def fill(book):
        ws, ref = _districts(book, mask=True)
        refs["t"] = ref
        place_chart(ws, rate_chart(book, ref, category=C.DISTRICT, value=RATE, lang="tr"), 12, 0)

    out = build(fill)
    (xml,) = _charts(out.data)
    assert "gcdb_chart_data!$A$2:$A$9" in xml.replace("'", "")  # values come from the hidden copy
    helper = out.values["gcdb_chart_data"]
    assert out.formulas["gcdb_chart_data"].sheet_state == "hidden"
    values = [helper.cell(r, 1).value for r in range(2, 10)]
    assert values[-2:] == ["#N/A", "#N/A"]  # Adalar and Sarıyer are suppressed
    assert values[0] == pytest.approx(districts_frame()[RATE].iloc[0])
    assert out.formulas["gcdb_chart_data"]["A2"].value == "=IF(ISNUMBER('İlçeler'!$D$2),'İlçeler'!$D$2,NA())"


def test_hidden_cells_need_a_report_workbook():
    wb = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    ws = wb.add_worksheet("D")
    register_sheet(ws, Styles(wb))
    frame = districts_frame()
    ref = write_table(ws, frame, DISTRICT_COLUMNS, suppressed_mask=district_suppression(frame))
    with pytest.raises(UsageError, match="suppressed cells"):
        rate_chart(wb, ref, category=C.DISTRICT, value=USERS)
    ranking_chart(wb, ref, category=C.DISTRICT, value=C.POPULATION)  # no hidden cells: fine
    wb.close()


def test_ranking_chart_grows_with_rows(build):
    frame = pd.DataFrame({C.DISTRICT: [f"İlçe {i}" for i in range(39)], C.POPULATION: range(39, 0, -1)})
    sizes = {}

    def fill(book):
        ws = book.add_sheet("R")
        ref = write_table(ws, frame, [ColumnSpec(C.DISTRICT), ColumnSpec(C.POPULATION, "count")])
        chart = ranking_chart(book, ref, category=C.DISTRICT, value=C.POPULATION, lang="tr")
        sizes["h"] = chart.height
        place_chart(ws, chart, 0, 3)

    (xml,) = _charts(build(fill).data)
    assert sizes["h"] >= 39 * 20
    assert "İlçe sıralaması" in xml and "#,##0" in xml


def test_share_chart_modes(build):
    frame = pd.DataFrame(
        {C.AREA: [1, 7, 9], C.REVISED_APPROPRIATION: [100, 200, 300], C.EXPENDITURE: [50, 150, 350]}
    )
    cols = [
        ColumnSpec(C.AREA, "count"),
        ColumnSpec(C.REVISED_APPROPRIATION, "money"),
        ColumnSpec(C.EXPENDITURE, "money"),
    ]

    def fill(book):
        ws = book.add_sheet("A")
        ref = write_table(ws, frame, cols)
        for i, mode in enumerate(("clustered", "stacked", "percent")):
            chart = share_chart(
                book,
                ref,
                category=C.AREA,
                values=[C.REVISED_APPROPRIATION, C.EXPENDITURE],
                mode=mode,
                lang="en",
            )
            place_chart(ws, chart, 6 + 20 * i, 0)

    clustered, stacked, percent = _charts(build(fill, lang="en").data)
    assert '<c:grouping val="clustered"/>' in clustered and "Budget by priority area" in clustered
    assert '<c:grouping val="stacked"/>' in stacked
    assert '<c:grouping val="percentStacked"/>' in percent and "Budget share by priority area" in percent
    assert (
        clustered.count("<c:ser>") == 2 and "<c:f>A!$B$1</c:f>" in clustered
    )  # series named by the header cells
    assert "Amount (₺)" in clustered and "#,##0 &quot;₺&quot;" in clustered


def test_execution_chart(build):
    frame = pd.DataFrame({C.UNIT_NAME: ["A", "B"], EXECUTION_RATE: [0.9, 0.5]})

    def fill(book):
        ws = book.add_sheet("B")
        ref = write_table(ws, frame, [ColumnSpec(C.UNIT_NAME), ColumnSpec(EXECUTION_RATE, "percent")])
        place_chart(ws, execution_chart(book, ref, category=C.UNIT_NAME, value=EXECUTION_RATE), 4, 0)
        place_chart(
            ws, execution_chart(book, ref, category=C.UNIT_NAME, value=EXECUTION_RATE, reference=0.8), 24, 0
        )
        with pytest.raises(UsageError, match="percent column"):
            execution_chart(book, ref, category=C.UNIT_NAME, value=C.UNIT_NAME)

    plain, with_ref = _charts(build(fill).data)
    assert "Birimlere göre gerçekleşme oranı" in plain and "%0" in plain and "crossesAt" not in plain
    assert '<c:crossesAt val="0.8"/>' in with_ref and "Genel = %80,0" in with_ref


def test_empty_table_and_bad_columns(build):
    def fill(book):
        ws = book.add_sheet("E")
        ref = write_table(
            ws, pd.DataFrame({C.DISTRICT: [], RATE: []}), [ColumnSpec(C.DISTRICT), ColumnSpec(RATE, "rate")]
        )
        with pytest.raises(UsageError, match="no rows"):
            rate_chart(book, ref, category=C.DISTRICT, value=RATE)
        ws2, ref2 = _districts(book, mask=False)
        with pytest.raises(UsageError, match="cannot be charted"):
            rate_chart(book, ref2, category=C.DISTRICT, value=C.DISTRICT)
        with pytest.raises(UsageError, match="no column"):
            rate_chart(book, ref2, category="nope", value=RATE)
        with pytest.raises(UsageError, match="mode"):
            share_chart(book, ref2, category=C.DISTRICT, values=[RATE], mode="pie")

    build(fill)


def test_charts_are_deterministic(tmp_path):
    paths = []
    for name in ("a.xlsx", "b.xlsx"):
        with ReportWorkbook(tmp_path / name) as book:
            ws, ref = _districts(book)
            place_chart(ws, rate_chart(book, ref, category=C.DISTRICT, value=RATE, reference=3.0), 12, 0)
            place_chart(ws, ranking_chart(book, ref, category=C.DISTRICT, value=C.POPULATION), 12, 8)
        paths.append(tmp_path / name)
    assert paths[0].read_bytes() == paths[1].read_bytes()
