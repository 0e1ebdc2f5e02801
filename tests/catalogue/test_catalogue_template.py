"""Plans as spreadsheets: the İBB catalogue written in the template reads back equal; a filled template with codes
of its own shape; problems named by sheet, row and column; plan sets and crosswalks between plan periods."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from gcdb import columns as C
from gcdb.catalogue import (
    Catalogue,
    PlanSet,
    check_plan_workbook,
    read_crosswalk,
    write_plan_workbook,
)
from gcdb.catalogue import schema as S
from gcdb.catalogue.plans import PERIOD, PLAN_ID
from gcdb.catalogue.template import META_SHEET, SHEETS
from gcdb.cli.main import main
from gcdb.errors import CatalogueError

TABLES = (
    "areas",
    "targets",
    "actions",
    "action_units",
    "action_stakeholders",
    "indicators",
    "units",
    "unit_aliases",
    "stakeholders",
    "stakeholder_aliases",
    "corrections",
)


@pytest.fixture(scope="module")
def ibb() -> Catalogue:
    return Catalogue.load()


@pytest.fixture(scope="module")
def ibb_workbook(ibb, tmp_path_factory):
    return write_plan_workbook(tmp_path_factory.mktemp("plan") / "ibb.xlsx", ibb)


def test_ibb_catalogue_round_trips_through_the_template(ibb, ibb_workbook):
    back = Catalogue.load(ibb_workbook)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(back, name), getattr(ibb, name), obj=name)
    assert back.meta.model_dump(exclude={"reference"}) == ibb.meta.model_dump(exclude={"reference"})
    assert back.budget_actions().equals(ibb.budget_actions())
    assert back.action("A1H1E12").responsible == "kurumsal_gelisim_ve_yonetim_sistemleri"


def test_template_has_turkish_headers_lists_and_safe_text(ibb_workbook, tmp_path):
    book = openpyxl.load_workbook(ibb_workbook)
    assert book.sheetnames[:2] == ["Açıklamalar", META_SHEET]
    ws = book["Eylemler"]
    assert [c.value for c in ws[1]][:3] == ["Eylem Kodu", "Planda Yazan Kod", "Amaç No"]
    lists = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in book["Eylem-Birim"].data_validations.dataValidation
    }
    assert lists["B2"] == '"responsible,cooperating"'
    empty = write_plan_workbook(tmp_path / "bos.xlsx")
    issues = check_plan_workbook(empty)
    assert set(issues[C.ISSUE_COLUMN]) == {
        "plan_id",
        "plan_name",
        "municipality",
        "first_year",
        "last_year",
        "source",
    }
    assert (issues[C.ISSUE_FILE] == f"bos.xlsx [{META_SHEET}]").all() and issues[C.ISSUE_ROW].notna().all()


def fill(path, meta: dict, tables: dict[str, list[list]]):
    """Fill an empty template with rows under its headers (cells None = left empty)."""
    book = openpyxl.load_workbook(path)
    ws = book[META_SHEET]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in meta:
            row[2].value = meta[row[0].value]
    for name, rows in tables.items():
        ws = book[SHEETS[name][0]]
        for r in rows:
            ws.append(r)
    book.save(path)


def small_plan(
    path,
    *,
    action_codes=("EY-1.1.1", "EY-1.1.2", "EY-2.1.1"),
    plan_id="ornek_yeep_2025_2028",
    first=2025,
    last=2028,
):
    write_plan_workbook(path)
    a1, a2, a3 = action_codes
    fill(
        path,
        {
            "plan_id": plan_id,
            "plan_name": "Örnek Belediyesi Eşitlik Planı",
            "municipality": "Örnek Belediyesi",
            "first_year": first,
            "last_year": last,
            "source.title": "Eylem planı",
            "source.publisher": "Örnek Belediyesi",
        },
        {
            S.AREAS_FILE: [[1, "Katılım", None, None], [2, "Şiddet", None, None]],
            S.TARGETS_FILE: [
                ["H-1.1", 1, None, "Katılımı artırmak", None],
                ["H-2.1", 2, None, "Önlemek", None],
            ],
            # code, printed, area, target, number, title, start, kind, text, end, kind, text, missing, line
            S.ACTIONS_FILE: [
                [
                    a1,
                    None,
                    1,
                    "H-1.1",
                    None,
                    "Duyurular",
                    first,
                    None,
                    None,
                    last,
                    "rutin",
                    "Rutin",
                    None,
                    None,
                ],
                [
                    a2,
                    None,
                    1,
                    "H-1.1",
                    None,
                    "Anket",
                    first + 1,
                    None,
                    None,
                    first + 1,
                    None,
                    None,
                    None,
                    None,
                ],
                [a3, None, 2, "H-2.1", None, "Destek hattı", first, None, None, last, None, None, None, None],
            ],
            S.ACTION_UNITS_FILE: [
                [a1, "sorumlu", 1, "basin", "Basın Müdürlüğü"],
                [a2, "responsible", 1, "plan", "Strateji Müdürlüğü"],
                [a2, "işbirliği", 2, "basin", "Basın Müdürlüğü"],
            ],
            S.INDICATORS_FILE: [["G-1", 1, None, "Duyuru sayısı", "count", None, None]],
            S.UNITS_FILE: [
                ["basin", "Basın Yayın Müdürlüğü", "Basın", "directorate", None],
                ["plan", "Strateji Geliştirme Müdürlüğü", "Strateji", "directorate", None],
            ],
            S.STAKEHOLDERS_FILE: [],
        },
    )
    return path


def test_a_plan_with_codes_of_its_own_shape(tmp_path):
    plan = Catalogue.load(small_plan(tmp_path / "ornek.xlsx"))
    assert list(plan.actions[S.ACTION_CODE]) == ["EY-1.1.1", "EY-1.1.2", "EY-2.1.1"]
    a = plan.actions.set_index(S.ACTION_CODE)
    assert a.at["EY-1.1.2", S.ACTION] == 2 and a.at["EY-1.1.1", S.PRINTED_CODE] == "EY-1.1.1"  # filled in
    assert a.at["EY-1.1.1", S.EST_END_KIND] == "routine" and a.at["EY-1.1.2", S.EST_START_TEXT] == "2026"
    assert bool(a.at["EY-2.1.1", S.RESPONSIBLE_MISSING]) and not bool(a.at["EY-1.1.1", S.RESPONSIBLE_MISSING])
    assert plan.action("EY-1.1.2").cooperating == ("basin",)
    assert plan.actions_active_in(2027)[S.ACTION_CODE].tolist() == ["EY-1.1.1", "EY-2.1.1"]


def test_problems_are_named_by_sheet_row_and_column(tmp_path):
    path = small_plan(tmp_path / "hatali.xlsx")
    book = openpyxl.load_workbook(path)
    book["Eylemler"]["D4"] = "H-9.9"  # unknown target, row 4
    book["Eylem-Birim"]["D3"] = "yok_boyle"  # unknown unit, row 3
    book["Eylemler"]["A3"] = "EY-1.1.1"  # duplicate code, row 3
    book.save(path)
    with pytest.raises(CatalogueError) as err:
        Catalogue.load(path)
    issues = err.value.issues
    where = set(zip(issues[C.ISSUE_FILE], issues[C.ISSUE_ROW], issues[C.ISSUE_COLUMN], strict=True))
    assert ("hatali.xlsx [Eylemler]", 3, "Eylem Kodu") in where
    # the typed checks stop at the duplicate; the links are checked once the tables are clean
    book = openpyxl.load_workbook(path)
    book["Eylemler"]["A3"] = "EY-1.1.2"
    book.save(path)
    issues = check_plan_workbook(path)
    where = set(zip(issues[C.ISSUE_FILE], issues[C.ISSUE_ROW], issues[C.ISSUE_COLUMN], strict=True))
    assert ("hatali.xlsx [Eylemler]", 4, "Hedef Kodu") in where
    assert ("hatali.xlsx [Eylem-Birim]", 3, "Birim Kimliği") in where
    assert "bilinmeyen hedef" in " ".join(issues[C.ISSUE_MESSAGE])


def test_configured_code_pattern(tmp_path):
    path = small_plan(tmp_path / "kalip.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book[META_SHEET]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "codes.action":
            row[2].value = r"EY-\d+\.\d+\.\d+"
    book["Eylemler"]["A4"] = "EY-2.1"
    book["Eylem-Birim"].append(["EY-2.1", "sorumlu", 1, "plan", "Strateji"])
    book.save(path)
    issues = check_plan_workbook(path)
    bad = issues[issues[C.ISSUE_COLUMN] == "Eylem Kodu"]
    assert bad[C.ISSUE_ROW].tolist()[0] == 4 and "kod biçimi hatalı" in bad[C.ISSUE_MESSAGE].iloc[0]


def test_plan_set_and_crosswalk(tmp_path):
    old = Catalogue.load(
        small_plan(
            tmp_path / "p1.xlsx",
            plan_id="ornek_2021_2024",
            first=2021,
            last=2024,
            action_codes=("E1", "E2", "E3"),
        )
    )
    new = Catalogue.load(small_plan(tmp_path / "p2.xlsx", action_codes=("Y1", "Y2", "Y3")))
    plans = PlanSet([old, new])
    actions = plans.actions
    assert list(actions.columns[:3]) == [PLAN_ID, PERIOD, S.ACTION_CODE]
    assert actions.groupby(PLAN_ID)[PERIOD].first().to_dict() == {
        "ornek_2021_2024": "2021–2024",
        "ornek_yeep_2025_2028": "2025–2028",
    }
    assert len(plans.budget_actions()) == 6 and plans.budget_actions()[PLAN_ID].notna().all()
    with pytest.raises(CatalogueError, match="iki kez geçiyor"):
        PlanSet([old, old])
    cw = pd.DataFrame(
        {
            "Önceki Plan": ["ornek_2021_2024"] * 4,
            "Önceki Eylem": ["E1", "E2", "E2", "E3"],
            "Yeni Plan": ["ornek_yeep_2025_2028"] * 4,
            "Yeni Eylem": ["Y1", "Y2", "Y3", None],
            "İlişki": ["devam", "bölündü", "bölündü", "kaldırıldı"],
        }
    )
    crosswalk = read_crosswalk(cw, old, new)
    mapped = crosswalk.map_actions(["E1", "E2", "E3", "E9"])
    assert mapped[["from_action", "to_action", "relation"]].fillna("-").values.tolist() == [
        ["E1", "Y1", "continued"],
        ["E2", "Y2", "split"],
        ["E2", "Y3", "split"],
        ["E3", "-", "dropped"],
        ["E9", "-", "-"],
    ]
    assert mapped["share"].tolist()[:3] == [1.0, 0.5, 0.5]
    back = crosswalk.map_actions(["Y3"], backwards=True)
    assert back["to_action"].tolist() == ["E2"]
    bad = cw.copy()
    bad.loc[0, "Yeni Eylem"] = "Y9"
    bad.loc[3, "Yeni Eylem"] = "Y3"
    with pytest.raises(CatalogueError) as err:
        read_crosswalk(bad, old, new)
    rows = set(zip(err.value.issues[C.ISSUE_ROW], err.value.issues[C.ISSUE_COLUMN], strict=True))
    assert (2, "to_action") in rows and (5, "to_action") in rows
    partial = read_crosswalk(cw.iloc[:1], old, new)
    assert partial.warnings[C.ISSUE_VALUE].tolist() == ["E2", "E3"]


def test_plan_cli(tmp_path, capsys):
    out = tmp_path / "sablon.xlsx"
    assert main(["plan", "template", "--out", str(out)]) == 0
    assert main(["plan", "check", str(out)]) == 1
    assert "'Plan kimliği' zorunlu" in capsys.readouterr().out
    small_plan(tmp_path / "p.xlsx")
    assert main(["plan", "check", str(tmp_path / "p.xlsx")]) == 0
    assert "Plan geçerli" in capsys.readouterr().out
    assert main(["catalogue", "--plan", str(tmp_path / "p.xlsx")]) == 0
    assert main(["plan", "template", "--out", str(tmp_path / "x.csv")]) == 2
