"""write_table / write_kv / write_group_totals / checks, read back with openpyxl."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from report_sample import (
    ACTION_COLUMNS,
    DISTRICT_COLUMNS,
    EXECUTION_RATE,
    RATE,
    RATE_RATIO,
    USERS,
    actions_frame,
    build_sample,
    district_suppression,
    districts_frame,
)

from gcdb import columns as C
from gcdb.errors import UsageError
from gcdb.report import (
    Check,
    ColumnSpec,
    Formula,
    RatioOf,
    StartsWith,
    write_check,
    write_group_totals,
    write_kv,
    write_table,
)

FORMULA_LIKE = ['=HYPERLINK("http://x","y")', "+90 212", "-5", "@SUM(A1)", "\tx", "=1+1", "-", "+"]


def _table(book, frame, columns, **kwargs):
    ws = book.add_sheet("T")
    return write_table(ws, frame, columns, **kwargs)


def _row(ws, row0: int) -> list:
    return [c.value for c in ws[row0 + 1]]


# ------------------------------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "tr",
            [
                "Eylem Kodu",
                "Amaç",
                "Açıklama",
                "Birim",
                "Başlangıç Ödeneği",
                "Revize Ödenek",
                "Harcama",
                "Gerçekleşme Oranı",
            ],
        ),
        (
            "en",
            [
                "Action code",
                "Priority area",
                "Description",
                "Unit",
                "Initial appropriation",
                "Revised appropriation",
                "Expenditure",
                "Execution rate",
            ],
        ),
    ],
)
def test_headers_in_the_report_language(build, lang, expected):
    refs = {}
    out = build(lambda b: refs.update(t=_table(b, actions_frame(), ACTION_COLUMNS, lang=lang)), lang=lang)
    ws = out.formulas["T"]
    assert _row(ws, refs["t"].header_row) == expected


def test_explicit_label_wins(build):
    frame = pd.DataFrame({C.DISTRICT: ["Adalar"]})
    refs = {}
    out = build(lambda b: refs.update(t=_table(b, frame, [ColumnSpec(C.DISTRICT, "text", label="İlçe adı")])))
    assert out.formulas["T"].cell(refs["t"].header_row + 1, 1).value == "İlçe adı"


# ----------------------------------------------------------------------------------------- formats, panes


def test_number_formats_by_kind(build):
    refs = {}
    out = build(lambda b: refs.update(t=_table(b, actions_frame(), ACTION_COLUMNS)))
    ws, ref = out.formulas["T"], refs["t"]
    first = ref.first_row + 1
    fmt = {name: ws.cell(first, ref.columns[name] + 1).number_format for name in ref.columns}
    assert fmt[C.INITIAL_APPROPRIATION] == '#,##0.00 "₺"'
    assert fmt[C.EXPENDITURE] == '#,##0.00 "₺"'
    assert fmt[EXECUTION_RATE] == "%0.0"  # Turkish: the percent sign first (%12,3)
    assert fmt[C.AREA] == "#,##0"
    # money cells hold lira = kuruş / 100
    assert ws.cell(first, ref.columns[C.INITIAL_APPROPRIATION] + 1).value == pytest.approx(50_000.00)
    assert ws.cell(first + 2, ref.columns[C.INITIAL_APPROPRIATION] + 1).value == pytest.approx(3_400_500.25)
    header = ws.cell(ref.header_row + 1, 1)
    assert header.font.b and header.alignment.wrap_text and header.fill.fgColor.rgb.endswith("DDEBF7")


def test_rate_ratio_year_date_formats(build):
    frame = pd.DataFrame(
        {
            RATE: [12.345],
            RATE_RATIO: [0.8123],
            C.FISCAL_YEAR: [2024],
            C.DATE: pd.to_datetime(["2024-03-31"]),
            C.ECONOMIC_CODE: ["03.5.1.08"],
        }
    )
    cols = [
        ColumnSpec(RATE, "rate"),
        ColumnSpec(RATE_RATIO, "ratio"),
        ColumnSpec(C.FISCAL_YEAR, "year"),
        ColumnSpec(C.DATE, "date"),
        ColumnSpec(C.ECONOMIC_CODE, "code"),
    ]
    refs = {}
    out = build(lambda b: refs.update(t=_table(b, frame, cols)))
    ws, row = out.formulas["T"], refs["t"].first_row + 1
    assert [ws.cell(row, j).number_format for j in range(1, 5)] == ["0.00", "0.00", "0", "yyyy-mm-dd"]
    assert ws.cell(row, 4).value == pd.Timestamp("2024-03-31").to_pydatetime()
    code = ws.cell(row, 5)
    assert code.value == "03.5.1.08" and code.data_type == "s"


def test_frozen_header_and_autofilter(build):
    refs = {}
    out = build(
        lambda b: refs.update(t=_table(b, actions_frame(), ACTION_COLUMNS, title="Eylemler", notes=["n"]))
    )
    ws, ref = out.formulas["T"], refs["t"]
    # title, one note, a blank row, then the header on row 4 (1-based); data from row 5
    assert ref.header_row == 3 and ref.first_row == 4
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == f"A4:H{ref.last_row + 1}"
    assert ws["A1"].value == "Eylemler" and ws["A1"].font.b


def test_no_autofilter_no_freeze_when_asked(build):
    out = build(lambda b: _table(b, actions_frame(), ACTION_COLUMNS, autofilter=False, freeze=False))
    ws = out.formulas["T"]
    assert ws.freeze_panes is None and ws.auto_filter.ref is None


def test_column_widths_follow_content_and_are_capped(build):
    frame = pd.DataFrame({C.DESCRIPTION: ["x" * 500, "kısa"], C.LINE_ID: ["1", "2"]})
    out = build(lambda b: _table(b, frame, [ColumnSpec(C.DESCRIPTION), ColumnSpec(C.LINE_ID, "code")]))
    ws = out.formulas["T"]
    assert ws.column_dimensions["A"].width == pytest.approx(60, abs=1)  # capped
    assert 6 <= ws.column_dimensions["B"].width < 20


# ------------------------------------------------------------------------------------------- text safety


def test_formula_like_text_stays_literal_text(build):
    frame = pd.DataFrame({C.DESCRIPTION: FORMULA_LIKE})
    refs = {}
    out = build(lambda b: refs.update(t=_table(b, frame, [ColumnSpec(C.DESCRIPTION, "text")])))
    for data in (out.formulas, out.values):
        ws = data["T"]
        for i, text in enumerate(FORMULA_LIKE):
            cell = ws.cell(refs["t"].first_row + 1 + i, 1)
            assert cell.data_type == "s", text
            assert cell.value == text
            assert cell.quotePrefix
    # and the file holds no formula at all
    assert b"<f>" not in _sheet_xml(out.data, 1)


def test_control_characters_and_literal_escapes(build):
    texts = ["\rcarriage", "a\r\nb", "_x000D_ literal"]
    frame = pd.DataFrame({C.DESCRIPTION: texts})
    out = build(lambda b: _table(b, frame, [ColumnSpec(C.DESCRIPTION, "text")]))
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(out.data)) as z:
        strings = z.read("xl/sharedStrings.xml").decode("utf-8")
    # xlsx escapes CR as _x000D_ (an XML parser would turn a raw CR into LF), and escapes the underscore of
    # text that merely looks like an escape, so Excel shows both literally
    assert "<t>_x000D_carriage</t>" in strings
    assert "a_x000D_\nb" in strings
    assert "_x005F_x000D_ literal" in strings


def _sheet_xml(data: bytes, index: int) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml")


# ------------------------------------------------------------------------------------------ missing values


def test_missing_values_are_blank_never_zero(build):
    frame = pd.DataFrame(
        {
            USERS: pd.array([5, None, 7], dtype="Int64"),
            RATE: [1.5, np.nan, np.inf],
            C.DISTRICT: pd.array(["Adalar", None, "Şile"], dtype="str"),
        }
    )
    cols = [ColumnSpec(C.DISTRICT), ColumnSpec(USERS, "count"), ColumnSpec(RATE, "rate")]
    refs = {}
    out = build(lambda b: refs.update(t=_table(b, frame, cols)))
    ws, r = out.values["T"], refs["t"].first_row + 1
    assert [ws.cell(r + 1, j).value for j in (1, 2, 3)] == [None, None, None]
    assert ws.cell(r + 2, 3).value is None  # inf is undefined too
    assert ws.cell(r, 2).value == 5 and ws.cell(r + 2, 1).value == "Şile"


def test_placeholder_for_missing_values(build):
    frame = pd.DataFrame({RATE: [np.nan, 2.0]})
    refs = {}
    out = build(lambda b: refs.update(t=_table(b, frame, [ColumnSpec(RATE, "rate")], na_rep="–")))
    ws = out.values["T"]
    assert ws.cell(refs["t"].first_row + 1, 1).value == "–"
    assert ws.cell(refs["t"].first_row + 2, 1).value == 2.0


# ------------------------------------------------------------------------------------------------- totals


def test_total_row_formulas_cache_the_exact_sums(build):
    frame = actions_frame()
    total_row = {
        C.INITIAL_APPROPRIATION: "sum",
        C.REVISED_APPROPRIATION: "sum",
        C.EXPENDITURE: "sum",
        EXECUTION_RATE: RatioOf(C.EXPENDITURE, C.REVISED_APPROPRIATION),
    }
    refs = {}
    out = build(lambda b: refs.update(t=_table(b, frame, ACTION_COLUMNS, total_row=total_row)))
    ref = refs["t"]
    wf, wv = out.formulas["T"], out.values["T"]
    total = ref.total_row + 1
    assert wf.cell(total, 1).value == "Toplam"
    for name in (C.INITIAL_APPROPRIATION, C.REVISED_APPROPRIATION, C.EXPENDITURE):
        col = ref.columns[name] + 1
        letter = ref.letter(name)
        assert wf.cell(total, col).value == f"=SUM({letter}{ref.first_row + 1}:{letter}{ref.last_row + 1})"
        detail = [wv.cell(r, col).value for r in range(ref.first_row + 1, ref.last_row + 2)]
        cached = wv.cell(total, col).value
        assert round(math.fsum(detail), 2) == cached  # equals the sum of the detail cells …
        assert cached == frame[name].sum() / 100  # … and the exact kuruş total
    # hand-computed: revised 21,535,251.49 TL, expenditure 18,295,802.45 TL
    assert ref.totals[C.REVISED_APPROPRIATION] == 21_535_251.49
    assert ref.totals[C.EXPENDITURE] == 18_295_802.45
    rate_col = ref.columns[EXECUTION_RATE] + 1
    assert wf.cell(total, rate_col).value.startswith("=IF(SUM(F")
    assert wv.cell(total, rate_col).value == pytest.approx(18_295_802.45 / 21_535_251.49, rel=1e-12)
    assert wf.cell(total, ref.columns[C.AREA] + 1).font.b  # the rule runs under the whole row


def test_total_row_true_sums_only_additive_kinds(build):
    frame = pd.DataFrame({C.DISTRICT: ["a", "b"], USERS: [3, 4], RATE: [1.0, 2.0]})
    cols = [ColumnSpec(C.DISTRICT), ColumnSpec(USERS, "count"), ColumnSpec(RATE, "rate")]
    refs = {}
    out = build(lambda b: refs.update(t=_table(b, frame, cols, total_row=True)))
    ws = out.formulas["T"]
    total = refs["t"].total_row + 1
    assert [ws.cell(total, j).value for j in (1, 2, 3)] == [
        "Toplam",
        f"=SUM(B{total - 2}:B{total - 1})",
        None,
    ]
    assert refs["t"].totals == {USERS: 7.0}


def test_total_row_in_english(build):
    frame = pd.DataFrame({C.DISTRICT: ["a"], USERS: [3]})
    refs = {}
    out = build(
        lambda b: refs.update(
            t=_table(
                b, frame, [ColumnSpec(C.DISTRICT), ColumnSpec(USERS, "count")], total_row=True, lang="en"
            )
        )
    )
    assert out.values["T"].cell(refs["t"].total_row + 1, 1).value == "Total"


def test_ratio_total_with_zero_denominator_is_blank(build):
    frame = pd.DataFrame(
        {C.UNIT_NAME: ["a"], C.REVISED_APPROPRIATION: [0], C.EXPENDITURE: [0], EXECUTION_RATE: [np.nan]}
    )
    cols = [
        ColumnSpec(C.UNIT_NAME),
        ColumnSpec(C.REVISED_APPROPRIATION, "money"),
        ColumnSpec(C.EXPENDITURE, "money"),
        ColumnSpec(EXECUTION_RATE, "percent"),
    ]
    refs = {}
    out = build(
        lambda b: refs.update(
            t=_table(
                b, frame, cols, total_row={EXECUTION_RATE: RatioOf(C.EXPENDITURE, C.REVISED_APPROPRIATION)}
            )
        )
    )
    assert out.values["T"].cell(refs["t"].total_row + 1, 4).value in ("", None)
    assert refs["t"].totals[EXECUTION_RATE] is None


# ----------------------------------------------------------------------------------------- suppression


def test_suppressed_cells_show_marker_and_are_not_numbers(build):
    frame = districts_frame()
    mask = district_suppression(frame)
    refs = {}
    out = build(
        lambda b: refs.update(
            t=_table(
                b,
                frame,
                DISTRICT_COLUMNS,
                suppressed_mask=mask,
                total_row={USERS: "sum", C.POPULATION: "sum"},
            )
        )
    )
    ref, ws = refs["t"], out.values["T"]
    hidden_rows = np.flatnonzero(mask[USERS].to_numpy())
    assert len(hidden_rows) == 2
    for i in hidden_rows:
        for name in (USERS, RATE, RATE_RATIO):
            cell = ws.cell(ref.first_row + 1 + i, ref.columns[name] + 1)
            assert cell.value == "<5" and cell.data_type == "s"
            assert cell.alignment.horizontal == "right"
            assert cell.font.color.rgb.endswith("7F7F7F")
    # the users column has 2 hidden cells: its total is the published margin (static, all users counted)
    assert ref.totals[USERS] == frame[USERS].sum() == 6262  # visible cells alone sum to 6257
    assert ref.hidden == {USERS: 2, RATE: 2, RATE_RATIO: 2, "flag": 2}
    total_cell = out.formulas["T"].cell(ref.total_row + 1, ref.columns[USERS] + 1).value
    assert total_cell == 6262
    # a column without hidden cells keeps its live formula
    pop_cell = out.formulas["T"].cell(ref.total_row + 1, ref.columns[C.POPULATION] + 1).value
    assert str(pop_cell).startswith("=SUM(")


def test_custom_k_and_row_mask(build):
    frame = pd.DataFrame({C.DISTRICT: ["a", "b"], USERS: [7, 100], RATE: [0.1, 2.0]})
    cols = [ColumnSpec(C.DISTRICT), ColumnSpec(USERS, "count"), ColumnSpec(RATE, "rate")]
    refs = {}
    out = build(
        lambda b: refs.update(t=_table(b, frame, cols, suppressed_mask=pd.Series([True, False]), k=10))
    )
    ws, r = out.values["T"], refs["t"].first_row + 1
    assert [ws.cell(r, j).value for j in (1, 2, 3)] == ["a", "<10", "<10"]  # a row mask hides numeric cells
    assert [ws.cell(r + 1, j).value for j in (1, 2, 3)] == ["b", 100, 2.0]


def test_a_single_hidden_cell_under_a_total_is_refused(build):
    frame = pd.DataFrame({C.DISTRICT: ["a", "b"], USERS: [3, 100]})
    cols = [ColumnSpec(C.DISTRICT), ColumnSpec(USERS, "count")]
    with pytest.raises(UsageError, match="exactly one suppressed cell"):
        build(lambda b: _table(b, frame, cols, suppressed_mask={USERS: [True, False]}, total_row=True))


def test_flags_tint_cells(build):
    frame = pd.DataFrame({RATE_RATIO: [0.5, 1.0, 1.5], "flag": ["under", None, "over"]})
    cols = [ColumnSpec(RATE_RATIO, "ratio"), ColumnSpec("flag", "flag")]
    refs = {}
    out = build(lambda b: refs.update(t=_table(b, frame, cols, flags={RATE_RATIO: frame["flag"]})))
    ws, r = out.values["T"], refs["t"].first_row + 1
    fills = [ws.cell(r + i, 1).fill.fgColor.rgb for i in range(3)]
    assert (
        fills[0].endswith("FFC7CE")
        and fills[2].endswith("FFEB9C")
        and not fills[1].endswith(("FFC7CE", "FFEB9C"))
    )
    assert [ws.cell(r + i, 2).value for i in range(3)] == ["Düşük temsil", None, "Yüksek temsil"]
    assert ws.cell(r, 2).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(r + 1, 1).number_format == "0.00"


def test_label_kind_translates_codes(build):
    frame = pd.DataFrame({C.SEX: [C.FEMALE, C.MALE, C.UNKNOWN], C.DISABILITY: [True, False, True]})
    cols = [ColumnSpec(C.SEX, "label"), ColumnSpec(C.DISABILITY, "label")]
    refs = {}
    out = build(lambda b: refs.update(t=_table(b, frame, cols, lang="en")), lang="en")
    ws, r = out.values["T"], refs["t"].first_row + 1
    assert [ws.cell(r + i, 1).value for i in range(3)] == ["Female", "Male", "Unknown"]
    assert [ws.cell(r + i, 2).value for i in range(3)] == ["Yes", "No", "Yes"]


# ------------------------------------------------------------------------------------------------ errors


def test_missing_column_is_named(build):
    with pytest.raises(UsageError, match=r"no column\(s\) 'nope'"):
        build(lambda b: _table(b, actions_frame(), [ColumnSpec("nope", "count")]))


def test_fractional_kurus_is_refused(build):
    frame = pd.DataFrame({C.EXPENDITURE: [1.5]})
    with pytest.raises(UsageError, match="integer kuruş"):
        build(lambda b: _table(b, frame, [ColumnSpec(C.EXPENDITURE, "money")]))


def test_text_in_numeric_column_is_refused(build):
    frame = pd.DataFrame({USERS: ["12"]})
    with pytest.raises(UsageError, match="must be numeric"):
        build(lambda b: _table(b, frame, [ColumnSpec(USERS, "count")]))


def test_unknown_kind():
    with pytest.raises(UsageError, match="unknown kind"):
        ColumnSpec(USERS, "currency")


def test_empty_table(build):
    frame = actions_frame().iloc[0:0]
    refs = {}
    out = build(lambda b: refs.update(t=_table(b, frame, ACTION_COLUMNS, total_row=True)))
    ref = refs["t"]
    assert ref.n_rows == 0 and ref.total_row == ref.first_row
    assert out.values["T"].cell(ref.total_row + 1, ref.columns[C.EXPENDITURE] + 1).value == 0


def test_second_table_on_a_sheet_keeps_the_first_autofilter(build):
    frame = pd.DataFrame({USERS: [1, 2]})

    def fill(book):
        ws = book.add_sheet("T")
        write_table(ws, frame, [ColumnSpec(USERS, "count")])
        write_table(ws, frame, [ColumnSpec(USERS, "count")], top=10)

    ws = build(fill).formulas["T"]
    assert ws.auto_filter.ref == "A1:A3" and ws.freeze_panes == "A2"


def test_sheets_need_styles():
    import io

    import xlsxwriter

    wb = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    with pytest.raises(UsageError, match="no gcdb styles"):
        write_table(wb.add_worksheet(), pd.DataFrame({USERS: [1]}), [ColumnSpec(USERS, "count")])
    wb.close()


# ------------------------------------------------------------------------------- references, SUMIFS, kv


def test_table_ref_addresses(build):
    refs = {}
    build(lambda b: refs.update(t=_table(b, actions_frame(), ACTION_COLUMNS)))
    ref = refs["t"]
    assert ref.letter(C.EXPENDITURE) == "G"
    assert ref.range(C.EXPENDITURE) == "'T'!$G$2:$G$9"
    assert ref.column_range(C.ACTION_CODE) == "'T'!A:A"
    assert ref.cell(C.AREA, 0, sheet=False, absolute=False) == "B2"
    assert ref.chart_range(C.EXPENDITURE) == ["T", 1, 6, 8, 6]
    with pytest.raises(UsageError, match="no column"):
        ref.letter("nope")


def test_sumifs_formula_and_value_on_a_summary_sheet(build):
    frame = actions_frame()
    refs = {}

    def fill(book):
        ws = book.add_sheet("Eylemler")
        refs["t"] = write_table(ws, frame, ACTION_COLUMNS)
        f = refs["t"].sumifs(C.REVISED_APPROPRIATION, {C.UNIT_NAME: "kadın ve aile hizmetleri db"})
        refs["f"] = f
        summary = book.add_sheet("Özet")
        write_kv(summary, [("A7", f, "money")])

    out = build(fill)
    f = refs["f"]
    # hand-computed: 1,300,000.00 + 3,600,000.00 + 900,000.00
    assert f.value == 5_800_000.00
    assert f.text == "SUMIFS('Eylemler'!$F$2:$F$9,'Eylemler'!$D$2:$D$9,\"=kadın ve aile hizmetleri db\")"
    assert out.formulas["Özet"]["B1"].value == "=" + f.text
    assert out.values["Özet"]["B1"].value == 5_800_000.00
    assert out.formulas["Özet"]["B1"].number_format == '#,##0.00 "₺"'


def test_sumifs_escapes_wildcards(build):
    frame = pd.DataFrame({C.UNIT_NAME: ["a*", "ab"], USERS: [1, 2]})
    refs = {}
    build(lambda b: refs.update(t=_table(b, frame, [ColumnSpec(C.UNIT_NAME), ColumnSpec(USERS, "count")])))
    f = refs["t"].sumifs(USERS, {C.UNIT_NAME: "a*"})
    assert f.value == 1 and '"=a~*"' in f.text


def test_sumifs_prefix_criterion(build):
    refs = {}
    build(lambda b: refs.update(t=_table(b, actions_frame(), ACTION_COLUMNS)))
    f = refs["t"].sumifs(C.EXPENDITURE, {C.ACTION_CODE: StartsWith("A7H")})
    # hand-computed: A7H1E2 1,210,000.01 + A7H1E5 3,599,999.99 + A7H2E1 450,000.00
    assert f.value == 5_260_000.00
    assert f.text.endswith("'T'!$A$2:$A$9,\"A7H*\")")
    # area 1 by prefix "A1H" does not pick up A12… or A15…
    assert refs["t"].sumifs(C.EXPENDITURE, {C.ACTION_CODE: StartsWith("A1H")}).value == 12_345.67


def test_group_totals_use_sumifs_and_match_the_source_total(build):
    frame = actions_frame()
    refs = {}

    def fill(book):
        ws = book.add_sheet("Eylemler")
        refs["t"] = write_table(ws, frame, ACTION_COLUMNS, total_row=True)
        summary = book.add_sheet("Özet")
        refs["g"] = write_group_totals(
            summary, refs["t"], C.UNIT_NAME, [C.EXPENDITURE, C.REVISED_APPROPRIATION], sort=True
        )

    out = build(fill)
    g = refs["g"]
    expected = frame.groupby(C.UNIT_NAME)[C.EXPENDITURE].sum()
    wf, wv = out.formulas["Özet"], out.values["Özet"]
    col = g.columns[C.EXPENDITURE] + 1
    for i in range(g.n_rows):
        unit = wv.cell(g.first_row + 1 + i, 1).value
        assert wv.cell(g.first_row + 1 + i, col).value == pytest.approx(expected[unit] / 100, abs=1e-9)
        assert wf.cell(g.first_row + 1 + i, col).value.startswith("=SUMIFS('Eylemler'!$G$2:$G$9")
    units = [wv.cell(g.first_row + 1 + i, 1).value for i in range(g.n_rows)]
    assert units == [
        "Hukuk Müşavirliği",
        "Kadın ve Aile Hizmetleri DB",
        "Sağlık DB",
        "Sosyal Hizmetler DB",
        "Strateji Geliştirme DB",
    ]
    assert g.totals[C.EXPENDITURE] == refs["t"].totals[C.EXPENDITURE] == frame[C.EXPENDITURE].sum() / 100


def test_group_totals_group_like_excel_criteria(build):
    """SUMIFS ignores case, so "Sağlık DB" and "SAĞLIK DB" are one group (else the total would double count)."""
    frame = pd.DataFrame(
        {
            C.UNIT_NAME: ["Sağlık DB", "Hukuk", "SAĞLIK DB", None, "Hukuk"],
            C.AREA: [9, 7, 9, 7, 3],
            C.EXPENDITURE: [100, 250, 5, 1_000, 1],
        }
    )
    cols = [ColumnSpec(C.UNIT_NAME), ColumnSpec(C.AREA, "count"), ColumnSpec(C.EXPENDITURE, "money")]
    refs = {}

    def fill(book):
        ws = book.add_sheet("S")
        refs["t"] = write_table(ws, frame, cols)
        refs["by_unit"] = write_group_totals(ws, refs["t"], C.UNIT_NAME, [C.EXPENDITURE], left=5)
        refs["by_area"] = write_group_totals(ws, refs["t"], C.AREA, [C.EXPENDITURE], left=9)

    out = build(fill)
    by_unit, by_area = refs["by_unit"], refs["by_area"]
    wv = out.values["S"]
    rows = [
        (wv.cell(by_unit.first_row + 1 + i, 6).value, wv.cell(by_unit.first_row + 1 + i, 7).value)
        for i in range(by_unit.n_rows)
    ]
    assert rows == [
        ("Sağlık DB", 1.05),
        ("Hukuk", 2.51),
    ]  # first spelling shown; the blank unit is in no group
    assert by_unit.totals[C.EXPENDITURE] == 3.56
    areas = [
        (wv.cell(by_area.first_row + 1 + i, 10).value, wv.cell(by_area.first_row + 1 + i, 11).value)
        for i in range(by_area.n_rows)
    ]
    assert areas == [(9, 1.05), (7, 12.5), (3, 0.01)]  # order of first appearance
    assert by_area.totals[C.EXPENDITURE] == frame[C.EXPENDITURE].sum() / 100


def test_kv_block_and_check_cells(build):
    refs = {}

    def fill(book):
        ws = book.add_sheet("Özet")
        refs["kv"] = write_kv(
            ws,
            [
                ("Toplam", 123_456, "money"),
                ("Oran", 0.25, "percent"),
                ("Satır", 12),
                ("Yöntem", "=not a formula"),
                ("Boş", None),
                ("Denklik", Check(Formula("B1", 1234.56), Formula("1234.56", 1234.56))),
                ("Fark", Check(Formula("B1", 1234.56), Formula("1000", 1000.0))),
            ],
            title="Özet",
        )

    out = build(fill, lang="tr")
    wf, wv = out.formulas["Özet"], out.values["Özet"]
    kv = refs["kv"]
    r = kv.first_row + 1
    assert [wv.cell(r + i, 1).value for i in range(7)] == [
        "Toplam",
        "Oran",
        "Satır",
        "Yöntem",
        "Boş",
        "Denklik",
        "Fark",
    ]
    assert wv.cell(r, 2).value == 1234.56 and wv.cell(r, 2).number_format == '#,##0.00 "₺"'
    assert wv.cell(r + 1, 2).number_format == "%0.0"
    assert wv.cell(r + 3, 2).value == "=not a formula" and wv.cell(r + 3, 2).data_type == "s"
    assert wv.cell(r + 4, 2).value is None
    assert wv.cell(r + 5, 2).value == "Denk" and wv.cell(r + 5, 2).fill.fgColor.rgb.endswith("C6EFCE")
    assert wv.cell(r + 6, 2).value == "Denk değil" and wv.cell(r + 6, 2).fill.fgColor.rgb.endswith("FFC7CE")
    assert wf.cell(r + 5, 2).value == '=IF(ABS((B1)-(1234.56))<=0.005,"Denk","Denk değil")'
    assert kv.cells["Toplam"] == "'Özet'!$B$3"
    assert kv.ref("Satır").value == 12


def test_check_in_english(build):
    def fill(book):
        ws = book.add_sheet("S")
        assert write_check(ws, 0, 0, Check(Formula("1", 1.0), Formula("1", 1.0)), lang="en")

    assert build(fill, lang="en").values["S"]["A1"].value == "Balanced"


# ---------------------------------------------------------------------------------------- sample workbook


def test_sample_workbook_sheets_and_cross_sheet_links(build, tmp_path):
    path = tmp_path / "sample.xlsx"
    refs = build_sample(path, "tr")
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    # the hidden chart-data sheet comes after every visible sheet
    assert wb.sheetnames == ["Özet", "Eylemler", "İlçeler", "Birimler", "Yöntem", "gcdb_chart_data"]
    assert wb["gcdb_chart_data"].sheet_state == "hidden"
    summary = wb["Özet"]
    assert summary["B4"].value == refs["actions"].totals[C.REVISED_APPROPRIATION]
    # the check cell compares the actions total with the SUMIFS sub-totals by area
    check_row = refs["by_area"].total_row + 3
    assert summary.cell(check_row, 2).value == "Denk"
    en = build_sample(tmp_path / "sample_en.xlsx", "en")
    assert openpyxl.load_workbook(tmp_path / "sample_en.xlsx").sheetnames == [
        "Summary",
        "Actions",
        "Districts",
        "Departments",
        "Methodology",
        "gcdb_chart_data",
    ]
    assert en["actions"].labels[C.REVISED_APPROPRIATION] == "Revised appropriation"


def test_sumifs_blank_criterion_matches_blank_cells_as_excel_does():
    import io

    import xlsxwriter

    from gcdb.report import ColumnSpec, Styles, write_table

    frame = pd.DataFrame({"unit": ["A", None, "B", None], "amount": [100, 250, 7, 3]})
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    ws = book.add_worksheet("t")
    columns = [ColumnSpec("unit", "text"), ColumnSpec("amount", "money")]
    ref = write_table(ws, frame, columns, autofilter=False, styles=Styles(book))
    formula = ref.sumifs("amount", {"unit": ""})
    assert formula.text.endswith('"=")')
    assert formula.value == pytest.approx(2.53)  # 250 + 3 kuruş, shown in lira
    book.close()
