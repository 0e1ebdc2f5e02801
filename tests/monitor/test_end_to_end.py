"""Templates → filled in as a person would (openpyxl) → collected → analysed, on fresh blank returns."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from gcdb import columns as C
from gcdb.forms import KEY_SHEET
from gcdb.monitor import (
    MONITORING_FORM,
    analyse_monitoring,
    collect_returns,
    plan_version,
    return_rows,
    template_name,
    write_templates,
)
from gcdb.monitor import names as N

UNITS = ["saglik", "ulasim"]


@pytest.fixture(scope="module")
def blanks(tmp_path_factory, catalogue):
    out = tmp_path_factory.mktemp("forms")
    return write_templates(catalogue, 2024, out, units=UNITS)


def test_templates_list_the_units_actions_and_indicators(blanks, catalogue):
    assert [p.name for p in blanks] == [template_name(u, 2024) for u in UNITS]
    wb = openpyxl.load_workbook(blanks[0])
    assert wb.sheetnames == ["Açıklamalar", "Listeler", "Eylemler", "Göstergeler", KEY_SHEET]
    ws = wb["Eylemler"]
    codes = [ws.cell(r, 1).value for r in range(5, ws.max_row + 1)]
    # independently: every action Sağlık leads or cooperates on, active in 2024, each once
    links = catalogue.action_units
    mine = set(links.loc[links["unit_id"] == "saglik", "action_code"])
    acts = catalogue.actions
    active = set(acts.loc[(acts["est_start"] <= 2024) & (acts["est_end"] >= 2024), "action_code"])
    assert sorted(codes) == sorted(mine & active)
    assert ws["D4"].value == "Eylem" and ws["G4"].value == "Durum"
    roles = {ws.cell(r, 5).value for r in range(5, ws.max_row + 1)}
    assert roles == {"Sorumlu Birim", "İşbirliği Birimi"}
    rows = return_rows(catalogue, "saglik", 2024)
    assert rows.identity["plan_version"] == plan_version(catalogue)
    assert "A3-G13" not in set(rows.indicators["indicator_id"])  # computed from the workforce table
    assert wb["Açıklamalar"]["B4"].value == "Sağlık Daire Başkanlığı"


def _fill(path, edits):
    wb = openpyxl.load_workbook(path)
    ws = wb["Eylemler"]
    header = {c.value: c.column for c in ws[4]}
    row_of = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
    for code, values in edits.items():
        for column, value in values.items():
            ws.cell(row_of[code], header[column]).value = value
    wb.save(path)
    return {code: row_of[code] for code in edits}


def test_filled_by_hand_collected_and_analysed(blanks, catalogue, budget_analysis):
    saglik, ulasim = blanks
    money = budget_analysis.plan_money.drop_duplicates(["fiscal_year", "action_code"])
    money = money[money["fiscal_year"] == 2024].set_index("action_code")["attributed_revised_appropriation"]
    lead = return_rows(catalogue, "saglik", 2024).actions
    lead = lead[lead[N.ROLE] == N.RESPONSIBLE]["action_code"].tolist()
    funded = [c for c in lead if money.get(c, 0) > 0]
    unfunded = [c for c in lead if money.get(c, 0) == 0]
    assert funded and len(unfunded) >= 3
    rows = _fill(
        saglik,
        {
            funded[0]: {
                "Durum": "Tamamlandı",
                "İlerleme (%)": 100,
                "Yapılanlar": "Merkez açıldı",
                "Harcanan Tutar (TL)": "1.250.000,50",
                "Ekonomik Kod": "03.5.1.08",
            },
            unfunded[0]: {"Durum": "Tamamlandı", "İlerleme (%)": 100, "Yapılanlar": "Eğitim verildi"},
            unfunded[1]: {"Durum": "devam ediyor", "İlerleme (%)": 100, "Yapılanlar": "Sürüyor"},
            unfunded[2]: {"Durum": "İptal edildi"},  # no reason given
        },
    )
    collection = collect_returns([saglik, ulasim], catalogue, years=[2024], units=UNITS)
    issues = collection.issues.set_index("cell")
    reason_cell = f"Eylemler!J{rows[unfunded[2]]}"
    assert issues.loc[reason_cell, C.ISSUE_CODE] == "required_if"
    assert issues.loc[reason_cell, C.ISSUE_MESSAGE] == "Durum 'İptal edildi' ise iptal nedenini yazınız"
    progress_cell = f"Eylemler!H{rows[unfunded[1]]}"
    assert issues.loc[progress_cell, C.ISSUE_CODE] == "inconsistent_progress"
    units = collection.units.set_index(N.UNIT_ID)[N.RETURN_STATUS]
    assert units.to_dict() == {"saglik": N.INCOMPLETE, "ulasim": N.INCOMPLETE}
    spent = collection.actions.set_index("action_code").loc[funded[0], N.SPENT]
    assert spent == 125_000_050  # kuruş, exactly
    analysis = analyse_monitoring(collection, catalogue, budget=budget_analysis)
    status = analysis.action_status.set_index("action_code")[N.STATUS]
    assert status[funded[0]] == N.DONE and status[unfunded[0]] == N.DONE
    assert status[unfunded[1]] == N.IN_PROGRESS and status[unfunded[2]] == N.NOT_REPORTED
    table = analysis.money_implementation
    revised = table[table["phase"] == C.REVISED_APPROPRIATION].set_index("action_code")["category"]
    assert revised[funded[0]] == N.FUNDED_DONE
    assert revised[unfunded[0]] == N.DONE_UNFUNDED
    assert revised[unfunded[1]] == N.UNFUNDED_NOT_DONE


def test_form_spec_version_is_in_every_copy(blanks):
    from gcdb.forms import read_form

    read = read_form(blanks[1], MONITORING_FORM, expect={"fiscal_year": 2024, "unit_id": "ulasim"})
    assert read.ok and read.key.version == MONITORING_FORM.version
    assert read.identity["unit_name"] == "Ulaşım Daire Başkanlığı"
    assert pd.Series(read.data["actions"]["filled"]).eq(False).all()
