"""Validation on load: every problem is reported with file, row and column, as a CatalogueError."""

from __future__ import annotations

from pathlib import Path

import pytest

from gcdb import columns as C
from gcdb.catalogue import Catalogue
from gcdb.catalogue import schema as S
from gcdb.errors import CatalogueError

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def load_error(plan: Path) -> CatalogueError:
    with pytest.raises(CatalogueError) as info:
        Catalogue.load(plan)
    return info.value


def test_the_fixture_is_valid(mini_copy):
    assert len(Catalogue.load(mini_copy).actions) == 5


def test_missing_directory():
    with pytest.raises(CatalogueError, match="plan directory not found"):
        Catalogue.load("/nonexistent/plan")


def test_unknown_unit_id_names_file_row_and_column(mini_copy):
    edit(mini_copy / S.ACTION_UNITS_FILE, "A1H2E1,responsible,1,mali,", "A1H2E1,responsible,1,maliye,")
    err = load_error(mini_copy)
    issues = err.issues
    assert len(issues) == 1
    rec = issues.iloc[0]
    assert (rec[C.ISSUE_FILE], rec[C.ISSUE_ROW], rec[C.ISSUE_COLUMN], rec[C.ISSUE_VALUE]) == (
        S.ACTION_UNITS_FILE,
        5,
        S.UNIT_ID,
        "maliye",
    )
    assert "action_units.csv:5 [unit_id]" in str(err) and "not in units.csv" in str(err)


def test_unparseable_year(mini_copy):
    edit(mini_copy / S.ACTIONS_FILE, "2024,year,2024,2024,year,2024", "20x4,year,2024,2024,year,2024")
    err = load_error(mini_copy)
    assert "actions.csv:4 [est_start]" in str(err) and "whole number" in str(err)
    assert err.issues.iloc[0][C.ISSUE_CODE] == "unparseable_number"


def test_missing_required_value(mini_copy):
    edit(
        mini_copy / S.ACTIONS_FILE,
        "A2H1E1,A2H1E1,2,A2H1,1,Yeni kreş açılması,2023,",
        "A2H1E1,A2H1E1,2,A2H1,1,Yeni kreş açılması,,",
    )
    err = load_error(mini_copy)
    assert "actions.csv:5 [est_start]" in str(err) and "required" in str(err)


def test_bad_boolean(mini_copy):
    edit(mini_copy / S.ACTIONS_FILE, "2025,year,2025,true,", "2025,year,2025,evet,")
    assert "actions.csv:6 [responsible_missing]" in str(load_error(mini_copy))


def test_missing_and_unknown_columns(mini_copy):
    path = mini_copy / S.INDICATORS_FILE
    text = path.read_text(encoding="utf-8").replace("dimensions", "breakdown")
    path.write_text(text, encoding="utf-8")
    err = load_error(mini_copy)
    assert {(r[C.ISSUE_COLUMN], r[C.ISSUE_CODE]) for r in err.issues.to_dict("records")} == {
        ("dimensions", "missing_column"),
        ("breakdown", "invalid_value"),
    }
    assert "expected columns" in str(err)


def test_missing_required_file(mini_copy):
    (mini_copy / S.TARGETS_FILE).unlink()
    err = load_error(mini_copy)
    assert (
        err.issues.iloc[0][C.ISSUE_CODE] == "file_not_found"
        and err.issues.iloc[0][C.ISSUE_FILE] == S.TARGETS_FILE
    )


def test_vocabulary_checks_report_the_row(mini_copy):
    edit(
        mini_copy / S.INDICATORS_FILE,
        "A1-G1,1,1,Toplantılara katılan kadın sayısı,count,sex,",
        "A1-G1,1,1,Toplantılara katılan kadın sayısı,tally,gender,",
    )
    err = load_error(mini_copy)
    cols = {(r[C.ISSUE_ROW], r[C.ISSUE_COLUMN]) for r in err.issues.to_dict("records")}
    assert (2, S.KIND) in cols and (2, S.DIMENSIONS) in cols


def test_malformed_code(mini_copy):
    edit(mini_copy / S.ACTIONS_FILE, "A1H1E1,A1H1E1,1", "A1H1-E1,A1H1E1,1")
    err = load_error(mini_copy)
    assert any(
        r[C.ISSUE_COLUMN] == S.ACTION_CODE and r[C.ISSUE_ROW] == 2 for r in err.issues.to_dict("records")
    )


def test_code_outside_its_table_needs_a_correction(mini_copy):
    edit(mini_copy / S.ACTIONS_FILE, "A1H2E1,A1H2E1,1,A1H2,1", "A2H2E1,A2H2E1,1,A1H2,1")
    for name in (S.ACTION_UNITS_FILE,):
        edit(mini_copy / name, "A1H2E1,", "A2H2E1,")
    err = load_error(mini_copy)
    assert "code prefix differs from target_code" in str(err)
    (mini_copy / S.CORRECTIONS_FILE).write_text(
        ",".join(S.CORRECTIONS_COLUMNS)
        + "\nC001,code_outside_table,,A2H2E1,A2H2E1 in A1H2's table,area 1 target A1H2,test\n",
        encoding="utf-8",
    )
    assert Catalogue.load(mini_copy).action("A2H2E1").target_code == "A1H2"


def test_routine_years_must_match_meta(mini_copy):
    edit(
        mini_copy / S.ACTIONS_FILE,
        "2023,routine,Rutin,2025,routine,Rutin",
        "2023,routine,Rutin,2024,routine,Rutin",
    )
    assert "routine end must be 2025" in str(load_error(mini_copy))


def test_pandemic_kind_needs_a_window_in_meta(mini_copy):
    edit(mini_copy / S.ACTIONS_FILE, "2024,year,2024,2024,year,2024", "2024,pandemic,Pandemi,2024,year,2024")
    assert "does not define 'pandemic'" in str(load_error(mini_copy))
    edit(mini_copy / S.META_FILE, "source:", "date_kinds:\n  pandemic: {start: 2024, end: 2025}\nsource:")
    assert Catalogue.load(mini_copy).action("A1H2E1").est_start_kind == S.PANDEMIC


def test_responsible_missing_must_agree_with_the_links(mini_copy):
    edit(mini_copy / S.ACTIONS_FILE, "2025,year,2025,true,", "2025,year,2025,false,")
    assert "responsible_missing disagrees" in str(load_error(mini_copy))


def test_two_responsible_units_are_rejected(mini_copy):
    edit(mini_copy / S.ACTION_UNITS_FILE, "A2H1E1,cooperating,2,fen", "A2H1E1,responsible,2,fen")
    assert "only it" in str(load_error(mini_copy))


def test_ambiguous_alias_is_rejected(mini_copy):
    with (mini_copy / S.UNIT_ALIASES_FILE).open("a", encoding="utf-8") as fh:
        fh.write("FEN İŞLERİ MÜDÜRLÜĞÜ,mali,variant,\n")
    err = load_error(mini_copy)
    assert "stands for several entries" in str(err) and "fen" in str(err)


def test_meta_unknown_key_and_bad_years(mini_copy):
    edit(mini_copy / S.META_FILE, "first_year: 2023", "first_year: 2023\nbudget: 12")
    err = load_error(mini_copy)
    assert err.issues.iloc[0][C.ISSUE_COLUMN] == "budget" and err.issues.iloc[0][C.ISSUE_FILE] == S.META_FILE
    edit(mini_copy / S.META_FILE, "budget: 12\n", "")
    edit(mini_copy / S.META_FILE, "last_year: 2025", "last_year: 2020")
    assert "before first_year" in str(load_error(mini_copy))


def test_meta_duplicate_key_is_a_catalogue_error(mini_copy):
    edit(mini_copy / S.META_FILE, "first_year: 2023", "first_year: 2023\nfirst_year: 2024")
    with pytest.raises(CatalogueError, match="duplicate key 'first_year'"):
        Catalogue.load(mini_copy)


def test_reference_files_can_live_elsewhere(mini_copy, tmp_path):
    ref = tmp_path / "reference"
    ref.mkdir()
    for name in (S.UNITS_FILE, S.UNIT_ALIASES_FILE, S.STAKEHOLDERS_FILE):
        (mini_copy / name).rename(ref / name)
    err = load_error(mini_copy)
    assert {r[C.ISSUE_FILE] for r in err.issues.to_dict("records")} == {S.UNITS_FILE, S.STAKEHOLDERS_FILE}
    edit(
        mini_copy / S.META_FILE,
        "source:",
        "reference:\n  units: ../reference/units.csv\n  unit_aliases: ../reference/unit_aliases.csv\n"
        "  stakeholders: ../reference/stakeholders.csv\nsource:",
    )
    assert Catalogue.load(mini_copy).unit_id_for("SDM") == "sosyal_destek"
