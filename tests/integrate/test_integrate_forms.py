"""Costing and checklist assessments on the forms layer: templates → filled with openpyxl cell by cell as a person
does in Excel → read back → the same validated tables as the CSV path; problems named by file, sheet and cell."""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import openpyxl
import pandas as pd
import pytest
from integrate_helpers import demo_file

import gcdb
from gcdb import columns as C
from gcdb.checklists import load_checklist, read_assessments, score_assessments
from gcdb.checklists.workbook import read_assessment_forms, write_checklist_template
from gcdb.cli import main as cli_main
from gcdb.costing import names as N
from gcdb.costing import read_costing
from gcdb.costing.workbook import (
    costing_form,
    is_costing_form,
    read_costing_forms,
    template_name,
    write_costing_templates,
)

COSTING_CSV = demo_file("costing", "costing.csv")
PLANTED = ("M901", "M902", "M903")  # the planted errors (the pasted duplicate M013 is the last row)
#: CSV header → the form's header (the same Turkish labels, but the budget-line text).
HEADERS = {"Bütçe Kalemi Açıklaması": "Açıklama"}
CHOICES = {
    "Finansman Tipi": {"5": "5 – Mahalli İdareler"},
    "AB Kategorisi": {
        "01": "01 – Toplumsal cinsiyet hedefli",
        "02": "02 – Toplumsal cinsiyet ana akımlaştırma",
        "03": "03 – Toplumsal cinsiyet açısından nötr",
    },
}


def _number(text: str) -> float:
    return float(text.replace("%", "").replace(".", "").replace(",", "."))


@pytest.fixture(scope="module")
def catalogue():
    return gcdb.Catalogue.load()


@pytest.fixture(scope="module")
def raw():
    return pd.read_csv(COSTING_CSV, sep=";", dtype=str, keep_default_na=False)


def _fill(folder, raw: pd.DataFrame, catalogue, *, keep=lambda rec: True) -> dict[str, str]:
    """Type the costing CSV's lines into the units' templates, one cell at a time; return cost line id → the
    form's line id (the form numbers its own lines)."""
    units = catalogue.unit_ids_for(raw["Sorumlu Birim"])
    moved = {}
    for path in sorted(folder.glob("*.xlsx")):
        unit = path.stem.split("_", 3)[3]
        book = openpyxl.load_workbook(path)
        ws = book["Maliyet"]
        header = [c.value for c in ws[4]]
        column = {h: i + 1 for i, h in enumerate(header)}
        free: dict[str, list[int]] = {}
        for row in range(5, ws.max_row + 1):
            free.setdefault(ws.cell(row, 2).value, []).append(row)
        for rec in raw[(units == unit).to_numpy()].to_dict("records"):
            if not keep(rec):
                continue
            row = free[rec["Eylem Kodu"]].pop(0)
            moved[rec["Maliyet Satırı No"]] = ws.cell(row, 1).value
            for head, text in rec.items():
                if head in ("Maliyet Satırı No", "Eylem Kodu", "Sorumlu Birim") or text == "":
                    continue
                if head in ("Miktar", "Birim Maliyet", "HGDG Puanı", "Beyan Edilen Pay"):
                    value: object = _number(text)
                elif head in ("Başlangıç Yılı", "Bitiş Yılı"):
                    value = int(text)
                else:
                    value = CHOICES.get(head, {}).get(text, text)
                ws.cell(row, column[HEADERS.get(head, head)]).value = value
        book.save(path)
    return moved


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory, catalogue, raw):
    """The demo costing's valid lines typed into the templates, read back; and the CSV read the usual way."""
    folder = tmp_path_factory.mktemp("costing_forms")
    units = sorted(set(catalogue.unit_ids_for(raw["Sorumlu Birim"])))
    written = write_costing_templates(catalogue, folder, years=(2024, 2025), units=units, lines_per_action=3)
    assert [p.name for p in written] == [template_name(u, (2024, 2025)) for u in units]
    clean = raw[~raw["Maliyet Satırı No"].isin(PLANTED)].iloc[:-1]  # the planted errors, the pasted copy
    moved = _fill(folder, clean, catalogue)
    csv = read_costing(clean.assign(), catalogue=catalogue)
    forms = read_costing_forms([folder], catalogue=catalogue)
    return csv, forms, moved, folder


def test_forms_give_the_same_costing_as_the_csv(round_trip):
    csv, forms, moved, _ = round_trip
    assert csv.ok and forms.ok, forms.issues
    assert len(forms.data) == len(csv.data) == 35  # 22 lines, 13 of them over two years
    left = csv.data.assign(**{N.COST_LINE_ID: csv.data[N.COST_LINE_ID].map(moved)})
    key = [C.FISCAL_YEAR, N.COST_LINE_ID]
    left = left.drop(columns=C.SOURCE_ROW).sort_values(key).reset_index(drop=True)
    right = forms.data.drop(columns=C.SOURCE_ROW).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right)
    assert int(forms.data[N.AMOUNT].sum()) == int(csv.data[N.AMOUNT].sum()) == 11_480_800_000  # kuruş, exact
    # the warnings are the same (lines costed after the plan's last year), now with the form's cell
    assert sorted(forms.warnings[C.ISSUE_CODE]) == sorted(csv.warnings[C.ISSUE_CODE])
    assert forms.warnings["cell"].str.fullmatch(r"Maliyet!J\d+").all()


def test_the_costing_form_keeps_its_structure(round_trip):
    *_, folder = round_trip
    path = sorted(folder.glob("*.xlsx"))[0]
    assert is_costing_form(path) and not is_costing_form(COSTING_CSV)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Açıklamalar", "Listeler", "Maliyet", "_gcdb_form_key"]
    assert book["_gcdb_form_key"].sheet_state == "veryHidden" and book["Maliyet"].protection.sheet
    spec = costing_form()
    assert [c.value for c in book["Maliyet"][4]] == [f.label.tr for f in spec.sheet("lines").fields]


def test_planted_costing_errors_in_a_form_are_named_by_cell(tmp_path, catalogue, raw):
    write_costing_templates(catalogue, tmp_path, years=(2024, 2025), units=["saglik", "sosyal_hizmetler"])
    wrong = raw[raw["Maliyet Satırı No"].isin(("M010", "M901", "M902"))]
    _fill(tmp_path, wrong, catalogue)
    book = openpyxl.load_workbook(tmp_path / "maliyet_2024_2025_saglik.xlsx")
    book["Maliyet"]["I5"] = "=H5*2"  # a formula in a money cell: refused (no cached value)
    book.save(tmp_path / "maliyet_2024_2025_saglik.xlsx")
    read = read_costing_forms([tmp_path], catalogue=catalogue)
    errors = read.errors.set_index(C.ISSUE_CODE)
    assert errors.loc["out_of_range", "column"] == "Miktar"  # the negative quantity: the form's own range
    unknown = errors.loc["unknown_code"]
    assert unknown["column"] == "Ekonomik Kod" and unknown["value"] == "30.5.9.90"
    assert unknown["file"] == "maliyet_2024_2025_sosyal_hizmetler.xlsx" and unknown["cell"].startswith(
        "Maliyet!N"
    )
    assert errors.loc["formula_in_cell", "cell"] == "Maliyet!I5"
    rows = read.reconciliation.set_index("measure").loc["rows"]
    # M010 valid; M901 (quantity), M902 (code) and the row with the formula quarantined: nothing lost
    assert rows["read"] == rows["valid"] + rows["quarantined"] and (rows["valid"], rows["quarantined"]) == (
        1,
        3,
    )
    assert set(read.quarantine["source_file"]) == {
        "maliyet_2024_2025_saglik.xlsx",
        "maliyet_2024_2025_sosyal_hizmetler.xlsx",
    }


def test_cli_plan_cost_template_then_the_filled_forms(round_trip, tmp_path, capsys):
    *_, folder = round_trip
    assert (
        cli_main.main(
            [
                "plan",
                "cost",
                "template",
                "--years",
                "2025-2026",
                "--unit",
                "saglik",
                "--out",
                str(tmp_path / "t"),
            ]
        )
        == 0
    )
    assert (tmp_path / "t" / "maliyet_2025_2026_saglik.xlsx").is_file()
    out = tmp_path / "o"
    code = cli_main.main(
        ["plan", "cost", str(folder), "--out", str(out), "--budget", str(demo_file("costing", "adopted.csv"))]
    )
    text = capsys.readouterr().out
    assert code == 0, text
    assert "Kurallarla bulunan bütçe satırı: 32 / 32" in text
    assert (out / "maliyet_raporu.xlsx").is_file() and (out / "teklif_kurallari.yaml").is_file()
    assert (
        cli_main.main(["plan", "cost", "template", "--years", "2026-2025", "--out", str(tmp_path / "x")]) == 2
    )
    assert (
        cli_main.main(["plan", "cost", str(COSTING_CSV), "--years", "2025", "--out", str(tmp_path / "y")])
        == 2
    )


# -- checklist assessments ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def park_answers():
    return pd.read_csv(demo_file("costing", "assessments_park.csv"), dtype=str, keep_default_na=False)


def test_assessment_form_round_trip(tmp_path, park_answers):
    park = load_checklist("park")
    blank = write_checklist_template(park, tmp_path)
    one = park_answers[park_answers["assessment_id"] == "PD-2024-001"]
    labels = {"Evet": "Evet", "Hayır": "Hayır", "Kısmen": "Kısmen", "Uygulanamaz": "Uygulanamaz"}
    copy = tmp_path / "park_001.xlsx"
    shutil.copy(blank, copy)
    blank.unlink()
    book = openpyxl.load_workbook(copy)
    head = book["Değerlendirme"]
    header = [c.value for c in head[4]]
    first = one.iloc[0]
    values = {
        "Değerlendirme No": first["assessment_id"],
        "Tesis / Program No": first["subject_id"],
        "Tesis / Program": first["subject_name"],
        "Hizmet Kodu": first["service_code"],
        "İlçe": first["district"],
        "Değerlendirme Tarihi": dt.datetime.strptime(first["assessed_on"], "%d.%m.%Y"),
        "Bütçe Kuralı": first["rule_id"],
    }
    for name, value in values.items():
        head.cell(5, header.index(name) + 1).value = value
    questions = book["Sorular"]
    q_header = [c.value for c in questions[4]]
    row_of = {questions.cell(r, 2).value: r for r in range(5, questions.max_row + 1)}
    for rec in one.to_dict("records"):
        row = row_of[rec["question_id"]]
        questions.cell(row, q_header.index("Yanıt") + 1).value = labels[rec["answer"]]
        questions.cell(row, q_header.index("Görülen Kanıt") + 1).value = rec["evidence"]
    book.save(copy)

    forms = read_assessment_forms([copy], park)
    csv = read_assessments(one, park)
    assert forms.ok and csv.ok
    a, b = score_assessments(forms, park).assessments, score_assessments(csv, park).assessments
    assert a[["assessment_id", "subject_id", "district", "score", "hgdg_score", "weight"]].equals(
        b[["assessment_id", "subject_id", "district", "score", "hgdg_score", "weight"]]
    )
    assert np.isclose(a["score"].iloc[0], b["score"].iloc[0])


def test_assessment_form_problems_by_cell(tmp_path):
    park = load_checklist("park")
    path = write_checklist_template(park, tmp_path / "bos.xlsx")
    book = openpyxl.load_workbook(path)
    book["Değerlendirme"]["B5"] = "PD-1"
    book["Değerlendirme"]["C5"] = "PRK-9"
    book["Sorular"]["F5"] = "Belki"  # not in the drop-down
    book["Sorular"]["F6"] = "Evet"
    book.save(path)
    read = read_assessment_forms([path], park)
    issues = read.issues.set_index(C.ISSUE_CODE)
    assert issues.loc["not_a_choice", "cell"] == "Sorular!F5"
    assert issues.loc["missing_value", "severity"] == C.WARNING  # most questions unanswered: they score 0
    assert len(read.data) == 1 and len(read.quarantine) == 1


def test_cli_checklist_template(tmp_path, capsys):
    assert cli_main.main(["checklist", "template", "hgdg_design", "--out", str(tmp_path)]) == 0
    book = openpyxl.load_workbook(tmp_path / "degerlendirme_hgdg_design.xlsx")
    assert book.sheetnames[:4] == ["Açıklamalar", "Listeler", "Değerlendirme", "Sorular"]
    questions = [c.value for c in book["Sorular"]["B"][4:]]
    assert questions == [q.id for q in load_checklist("hgdg_design").questions]
