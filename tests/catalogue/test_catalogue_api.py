"""The Catalogue API on the shipped İBB plan and on a tiny second plan in the same format."""

from __future__ import annotations

import pandas as pd
import pytest

from gcdb.catalogue import ActionDetail, Catalogue
from gcdb.catalogue import schema as S
from gcdb.catalogue.api import ACTIONS_FOR_UNIT_COLUMNS, BUDGET_ACTIONS_COLUMNS, UNITS_FOR_ACTION_COLUMNS
from gcdb.errors import CatalogueError

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")


def test_load_default_is_the_ibb_plan(catalogue):
    assert catalogue.meta.plan_id == "yeep_ibb_2021_2024"
    assert list(catalogue.years) == [2021, 2022, 2023, 2024]
    assert (
        len(catalogue.areas),
        len(catalogue.targets),
        len(catalogue.actions),
        len(catalogue.indicators),
    ) == (
        15,
        52,
        352,
        604,
    )
    assert (len(catalogue.units), len(catalogue.stakeholders)) == (33, 37)
    assert "352 actions" in repr(catalogue)


@pytest.mark.parametrize(
    ("prop", "columns"),
    [
        ("areas", S.AREAS_COLUMNS),
        ("targets", S.TARGETS_COLUMNS),
        ("actions", S.ACTIONS_COLUMNS),
        ("action_units", S.ACTION_UNITS_COLUMNS),
        ("action_stakeholders", S.ACTION_STAKEHOLDERS_COLUMNS),
        ("indicators", S.INDICATORS_COLUMNS),
        ("corrections", S.CORRECTIONS_COLUMNS),
        ("units", S.UNITS_COLUMNS),
        ("stakeholders", S.STAKEHOLDERS_COLUMNS),
    ],
)
def test_tables_have_fixed_columns(catalogue, mini, prop, columns):
    for cat in (catalogue, mini):
        assert tuple(getattr(cat, prop).columns) == columns


def test_dtypes(catalogue):
    a = catalogue.actions
    assert a[S.AREA].dtype == "int64" and a[S.EST_START].dtype == "int64" and a[S.EST_END].dtype == "int64"
    assert a[S.RESPONSIBLE_MISSING].dtype == bool
    assert a[S.ACTION_CODE].dtype == "str" and a[S.SOURCE_LINE].dtype == "Int64"
    assert catalogue.indicators[S.NUMBER].dtype == "int64"


def test_tables_are_copies(catalogue):
    frame = catalogue.actions
    frame.loc[0, S.TITLE] = "changed"
    assert catalogue.actions.loc[0, S.TITLE] != "changed"


def test_action_detail(catalogue):
    a = catalogue.action("A7H1E2")
    assert isinstance(a, ActionDetail)
    assert a.title == "Bakım hizmetlerinin duyurulması ve savunulması"
    assert (a.area, a.target_code, a.est_start, a.est_end) == (7, "A7H1", 2021, 2024)
    assert a.responsible == "saglik"
    assert a.cooperating == ("sosyal_hizmetler", "basin_yayin_ve_halkla_iliskiler")
    assert a.stakeholders == ("kadin_orgutleri", "uluslararasi_kuruluslar", "sendikalar")
    assert a.source_line == 10501


def test_action_detail_of_anomalies(catalogue):
    blank = catalogue.action("A4H1E3")
    assert blank.responsible is None and blank.responsible_missing and blank.cooperating == ()
    assert (blank.est_end_kind, blank.est_end) == (S.ROUTINE, 2024)
    second = catalogue.action("A11H3E1-2")
    assert second.printed_code == "A11H3E1" and second.title != catalogue.action("A11H3E1").title
    moved = catalogue.action("A12H3E2")
    assert (moved.area, moved.target_code) == (11, "A11H3")


def test_unknown_action_raises_with_a_hint(catalogue):
    with pytest.raises(CatalogueError, match=r"no action 'A7H1E99'.*A7H1E1"):
        catalogue.action("A7H1E99")


def test_has_action_and_validate_codes(catalogue):
    assert catalogue.has_action("A7H1E2") and catalogue.has_action("A8H2E5-2")
    assert not catalogue.has_action("A2H2E1")  # a numbering gap of the plan
    assert not catalogue.has_action("a7h1e2") and not catalogue.has_action(None)
    assert catalogue.validate_codes(["A7H1E2", "A9H9E9", "A2H2E1", "A9H9E9", "A12H3E2"]) == [
        "A9H9E9",
        "A2H2E1",
    ]
    assert catalogue.validate_codes([]) == []


def test_actions_for_area_and_target(catalogue):
    area7 = catalogue.actions_for_area(7)
    assert len(area7) == 21 and tuple(area7.columns) == S.ACTIONS_COLUMNS
    assert area7[S.ACTION_CODE].iloc[0] == "A7H1E1"
    assert len(catalogue.actions_for_area(11)) == 25  # includes A12H3E2, printed in area 11's table
    assert len(catalogue.actions_for_area(12)) == 5
    assert catalogue.actions_for_target("A7H1")[S.ACTION_CODE].tolist() == [f"A7H1E{i}" for i in range(1, 14)]
    assert catalogue.actions_for_target("A8H1")[S.ACTION_CODE].tolist()[-1] == "A8H2E5-2"
    with pytest.raises(CatalogueError, match="no area 16"):
        catalogue.actions_for_area(16)
    with pytest.raises(CatalogueError, match="no target 'A4H3'"):
        catalogue.actions_for_target("A4H3")


def test_actions_for_unit_responsible(catalogue, saglik_responsible):
    got = catalogue.actions_for_unit("Sağlık")
    assert tuple(got.columns) == ACTIONS_FOR_UNIT_COLUMNS
    assert set(got[S.ACTION_CODE]) == saglik_responsible and len(got) == 38
    assert (got[S.ROLE] == S.RESPONSIBLE).all() and (got[S.UNIT_ID] == "saglik").all()
    for spelling in ("SAĞLIK DAİRE BAŞKANLIĞI", "saglik", "Sağlık DB", "sağlık daire başkanlığı"):
        assert set(catalogue.actions_for_unit(spelling)[S.ACTION_CODE]) == saglik_responsible


def test_actions_for_unit_roles(catalogue):
    resp = catalogue.actions_for_unit("Sağlık")
    coop = catalogue.actions_for_unit("Sağlık", role="cooperating")
    both = catalogue.actions_for_unit("Sağlık", role="any")
    assert len(both) == len(resp) + len(coop) == 57
    assert set(resp[S.ACTION_CODE]).isdisjoint(coop[S.ACTION_CODE])
    with pytest.raises(CatalogueError, match="role"):
        catalogue.actions_for_unit("Sağlık", role="lead")


def test_actions_for_unit_substring_and_unknown(catalogue):
    # "Kültür" is exactly the short name of kultur, so Kültür Varlıkları is not included …
    assert set(catalogue.actions_for_unit("Kültür")[S.UNIT_ID]) == {"kultur"}
    # … while a fragment matches every unit containing it
    assert catalogue.match_units("kültür da") == ["kultur"]
    assert set(catalogue.match_units("varlık")) == {"kultur_varliklari"}
    assert set(catalogue.match_units("yol bakım")) == {
        "yol_bakim_ve_altyapi_koordinasyon",
        "yol_bakim_ve_onarim",
    }
    with pytest.raises(CatalogueError, match="no unit matches 'Uzay'"):
        catalogue.actions_for_unit("Uzay")


def test_actions_active_in(catalogue):
    a2021 = set(catalogue.actions_active_in(2021)[S.ACTION_CODE])
    a2023 = set(catalogue.actions_active_in(2023)[S.ACTION_CODE])
    routine = catalogue.actions.loc[catalogue.actions[S.EST_START_KIND] == S.ROUTINE, S.ACTION_CODE]
    for year in catalogue.years:  # recurring actions are active every plan year
        assert set(routine) <= set(catalogue.actions_active_in(year)[S.ACTION_CODE])
    assert "A15H3E13" in a2021 and "A15H3E13" not in a2023  # pandemic: 2021–2022
    assert "A15H3E13" in set(catalogue.actions_active_in(2022)[S.ACTION_CODE])
    assert "A7H1E8" in a2023 and "A7H1E8" not in a2021  # 2023–2024
    assert "A15H3E16" not in a2023  # 2020–2021
    assert len(catalogue.actions_active_in(2019)) == 14  # started before the plan (2016 and 2019 starts)
    assert catalogue.actions_active_in(2030).empty
    assert tuple(catalogue.actions_active_in(2030).columns) == S.ACTIONS_COLUMNS
    expected = catalogue.actions[
        (catalogue.actions[S.EST_START] <= 2022) & (catalogue.actions[S.EST_END] >= 2022)
    ]
    assert len(catalogue.actions_active_in(2022)) == len(expected)


def test_units_and_stakeholders_for_action(catalogue):
    units = catalogue.units_for_action("A1H1E1")
    assert tuple(units.columns) == UNITS_FOR_ACTION_COLUMNS
    assert units[S.UNIT_ID].tolist() == ["sosyal_hizmetler", "bilgi_islem", "kultur"]
    assert units[S.ROLE].tolist() == [S.RESPONSIBLE, S.COOPERATING, S.COOPERATING]
    assert units[S.NAME].iloc[0] == "Sosyal Hizmetler Daire Başkanlığı"
    st = catalogue.stakeholders_for_action("A1H1E1")
    assert st[S.STAKEHOLDER_ID].tolist() == [
        "istirakler",
        "bagli_kuruluslar",
        "muhtarliklar",
        "ilce_belediyeleri",
    ]
    assert catalogue.units_for_action("A4H1E4").empty
    with pytest.raises(CatalogueError):
        catalogue.units_for_action("A0H0E0")


@pytest.mark.parametrize(
    ("name", "unit_id"),
    [
        ("Sosyal Hizmetler Daire Başkanlığı", "sosyal_hizmetler"),
        ("SOSYAL HİZMETLER DAİRE BAŞKANLIĞI", "sosyal_hizmetler"),
        ("Sosyal Hizmetler DB", "sosyal_hizmetler"),
        ("sosyal hizmetler", "sosyal_hizmetler"),
        ("sosyal_hizmetler", "sosyal_hizmetler"),
        ("Ulaşım Dire Başkanlığı", "ulasim"),
        ("Etüd ve Projeler Daire Başkanlığı", "etut_ve_projeler"),
        ("İstanbul Kent Konseyi", "kent_konseyi"),
        ("Muhtarlıklar ve Gıda Daire Başkanlığı", "muhtarliklar_ve_gida_tarim"),
        ("Mali İşler Daire Başkanlığı", "mali_hizmetler"),
        ("Uzay Daire Başkanlığı", None),
        ("", None),
    ],
)
def test_unit_id_for(catalogue, name, unit_id):
    assert catalogue.unit_id_for(name) == unit_id


def test_unit_ids_for_a_budget_column(catalogue):
    budget_units = pd.Series(
        ["SAĞLIK DAİRE BAŞKANLIĞI", "Bilgi İşlem DB", "Bilinmeyen", None, "SAĞLIK DAİRE BAŞKANLIĞI"]
    )
    got = catalogue.unit_ids_for(budget_units)
    assert got.tolist()[:2] == ["saglik", "bilgi_islem"] and got.iloc[4] == "saglik"
    assert got.iloc[2:4].isna().all()
    assert got.index.equals(budget_units.index)


def test_stakeholder_id_for(catalogue):
    assert catalogue.stakeholder_id_for("STK'lar") == "stk"
    assert catalogue.stakeholder_id_for("STK’lar") == "stk"
    assert catalogue.stakeholder_id_for("İPA") == "ipa"
    assert catalogue.stakeholder_id_for("Muhtarlar") == "muhtarliklar"
    assert catalogue.stakeholder_id_for("Sosyal Hizmetler") is None


def test_budget_actions_contract(catalogue):
    frame = catalogue.budget_actions()
    assert tuple(frame.columns) == BUDGET_ACTIONS_COLUMNS
    assert len(frame) == 352
    assert frame["year_from"].dtype == "int64" and frame["year_to"].dtype == "int64"
    row = frame.set_index(S.ACTION_CODE).loc["A1H1E1"]
    assert (row["year_from"], row["year_to"], row["responsible_unit"]) == (
        2021,
        2024,
        "Sosyal Hizmetler Daire Başkanlığı",
    )
    assert frame.set_index(S.ACTION_CODE)["responsible_unit"].isna().sum() == 2


def test_indicators_for_area_and_dimensions(catalogue):
    assert len(catalogue.indicators_for_area(10)) == 11
    dims = catalogue.indicator_dimensions()
    assert tuple(dims.columns) == (S.INDICATOR_ID, "dimension")
    assert set(dims.loc[dims[S.INDICATOR_ID] == "A15-G24", "dimension"]) == {"sex", "age", "neighbourhood"}
    assert dims["dimension"].value_counts()["sex"] == 145


# -- a second municipality --------------------------------------------------------------------------------------
def test_second_plan_loads_through_the_same_api(mini):
    assert mini.meta.municipality == "Örnekköy Belediyesi"
    assert list(mini.years) == [2023, 2024, 2025]
    assert len(mini.actions) == 5 and len(mini.indicators) == 3
    assert mini.action("A1H1E2").responsible == "kultur"
    assert mini.action("A2H1E3").responsible_missing
    assert mini.unit_id_for("SDM") == "sosyal_destek"
    assert set(mini.actions_for_unit("Sosyal Destek", role="any")[S.ACTION_CODE]) == {
        "A1H1E1",
        "A1H1E2",
        "A2H1E1",
    }
    assert set(mini.actions_active_in(2024)[S.ACTION_CODE]) == {"A1H1E1", "A1H1E2", "A1H2E1", "A2H1E1"}
    assert mini.corrections.empty  # optional file absent
    assert mini.stakeholder_aliases.empty
    assert mini.validate_codes(["A1H1E1", "A7H1E2"]) == ["A7H1E2"]


def test_catalogue_is_exported_from_the_package():
    import gcdb.catalogue as pkg

    assert pkg.Catalogue is Catalogue
    assert set(pkg.__all__) >= {"Catalogue", "ActionDetail", "load_plan", "schema"}
