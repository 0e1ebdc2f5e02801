"""Collecting the demo returns: every planted problem reported with its file and cell; nothing lost."""

from __future__ import annotations

import pandas as pd
import pytest

from gcdb import columns as C
from gcdb import paths
from gcdb.monitor import collect_returns, read_collection
from gcdb.monitor import names as N

DEMO = paths.demo() / "monitoring"


def _planted(manifest, code):
    return [p for p in manifest["planted"] if p["code"] == code]


def test_every_planted_problem_is_found_with_file_and_cell(collected, manifest):
    issues = collected[2024].issues
    found = set(zip(issues[C.ISSUE_FILE], issues["cell"], issues[C.ISSUE_CODE], strict=True))
    by_value = set(zip(issues[C.ISSUE_FILE], issues[C.ISSUE_VALUE], issues[C.ISSUE_CODE], strict=True))
    units = collected[2024].units.set_index(N.UNIT_ID)
    checked = 0
    for p in manifest["planted"]:
        if p["code"] == "not_returned":
            assert units.loc[p["value"], N.RETURN_STATUS] == N.NOT_RETURNED
        elif p["code"] == "incomplete":
            assert units.loc[p["value"], N.RETURN_STATUS] == N.INCOMPLETE
            assert units.loc[p["value"], N.SOURCE_FILE] == p["file"]
        elif p["code"] == "spent_exceeds_appropriation":
            continue  # needs the budget: checked in test_analysis_demo
        elif p["cell"]:
            assert (p["file"], p["cell"], p["code"]) in found, p
        elif "value" in p:
            assert (p["file"], p["value"], p["code"]) in by_value, p
        else:
            assert p["code"] in set(issues.loc[issues[C.ISSUE_FILE] == p["file"], C.ISSUE_CODE]), p
        checked += 1
    assert checked == len(manifest["planted"]) - 1 >= 13


def test_2023_returns_are_clean_and_complete(collected):
    c = collected[2023]
    assert c.issues.empty and c.ok
    assert (c.units[N.RETURN_STATUS] == N.RECEIVED).all() and (c.units[N.COMPLETENESS] == 1).all()
    assert c.returns["used"].all()


def test_units_table_2024(collected, manifest):
    units = collected[2024].units.set_index(N.UNIT_ID)
    assert units[N.RETURN_STATUS].to_dict() == {
        "sosyal_hizmetler": N.INCOMPLETE,  # rows with errors are quarantined
        "saglik": N.INCOMPLETE,  # a row deleted, a code edited
        "insan_kaynaklari_ve_egitim": N.INCOMPLETE,  # partner rows left blank
        "ulasim": N.NOT_RETURNED,  # only its 2023 form, sent again
        "kultur": N.NOT_RETURNED,  # late
    }
    assert units.loc["ulasim", "other_files"] == "izleme_2024_ulasim.xlsx"
    ik = units.loc["insan_kaynaklari_ve_egitim"]
    assert "(taslak)" in ik["other_files"]
    assert (
        ik[N.ROWS_REPORTED] + ik[N.ROWS_QUARANTINED] + ik[N.ROWS_MISSING] == ik[N.ROWS_EXPECTED]
    )  # no unexpected rows
    saglik = units.loc["saglik"]
    assert (saglik[N.ROWS_QUARANTINED], saglik[N.ROWS_MISSING]) == (
        1,
        2,
    )  # the edited code: quarantined, and its row missing
    assert saglik[N.COMPLETENESS] == pytest.approx(
        saglik[N.ROWS_REPORTED] / saglik[N.ROWS_EXPECTED], abs=1e-4
    )


def test_the_draft_copy_of_a_unit_is_not_used_and_its_rows_are_kept(collected):
    c = collected[2024]
    returns = c.returns.set_index(N.SOURCE_FILE)
    draft = "izleme_2024_insan_kaynaklari_ve_egitim (taslak).xlsx"
    assert not returns.loc[draft, "used"] and not returns.loc[draft, "refused"]
    assert returns.loc["izleme_2024_insan_kaynaklari_ve_egitim.xlsx", "used"]
    assert returns.loc["izleme_2024_ulasim.xlsx", "refused"]
    q = c.quarantine["actions"]
    from_draft = q[q[N.SOURCE_FILE] == draft]
    assert len(from_draft) == returns.loc[draft, "action_rows"]  # every row of the draft, as text
    assert set(from_draft["issue_codes"]) == {"duplicate_return"}
    wrong_year = q[q[N.SOURCE_FILE] == "izleme_2024_ulasim.xlsx"]
    assert len(wrong_year) == 14 and set(wrong_year["issue_codes"]) == {"identity_mismatch"}
    assert c.actions[N.SOURCE_FILE].isin([draft, "izleme_2024_ulasim.xlsx"]).sum() == 0


def test_nothing_lost_rows_with_errors_are_quarantined(collected):
    c = collected[2024]
    errors = c.issues[(c.issues[C.ISSUE_SEVERITY] == C.ERROR) & c.issues[C.ISSUE_ROW].notna()]
    q = c.quarantine["actions"]
    quarantined = set(zip(q[N.SOURCE_FILE], q["source_row"], strict=True))
    for rec in errors[errors["sheet"] == "Eylemler"].to_dict("records"):
        assert (rec[C.ISSUE_FILE], rec[C.ISSUE_ROW]) in quarantined, rec
    # per file: valid rows + quarantined rows of the form + rows not found = the form's rows
    valid = c.actions.groupby(N.SOURCE_FILE).size()
    filled = c.actions[c.actions["filled"]].groupby(N.SOURCE_FILE).size()
    of_form = q[~q["issue_codes"].str.contains("unexpected_row")].groupby(N.SOURCE_FILE).size()
    units = c.units.dropna(subset=[N.SOURCE_FILE]).set_index(N.SOURCE_FILE)
    for rec in c.returns[c.returns["used"]].to_dict("records"):
        name = rec[N.SOURCE_FILE]
        missing = len(c.issues[(c.issues[C.ISSUE_FILE] == name) & (c.issues[C.ISSUE_CODE] == "row_missing")])
        assert valid.get(name, 0) + of_form.get(name, 0) + missing == rec["action_rows"], name
        # the units table counts as missing every form row with nothing reported: blank, deleted, or unreadable
        reported = filled.get(name, 0) + of_form.get(name, 0)
        assert units.loc[name, N.ROWS_MISSING] == rec["action_rows"] - reported, name
    # the personal name never leaves the reader
    flat = q.astype("str").to_numpy().ravel().tolist()
    assert not any(isinstance(v, str) and "Ayşe Yılmaz" in v for v in flat)
    assert not c.issues[C.ISSUE_VALUE].str.contains("Ayşe Yılmaz").any()


def test_collecting_both_years_at_once_sees_the_copy_as_a_duplicate(catalogue, manifest):

    files = [DEMO / "2023" / "izleme_2023_ulasim.xlsx", DEMO / "2024" / "izleme_2024_ulasim.xlsx"]
    both = collect_returns(files, catalogue, years=manifest["years"], units=["ulasim"])
    dupes = both.issues[both.issues[C.ISSUE_CODE] == "duplicate_return"]
    assert dupes[C.ISSUE_VALUE].tolist() == ["izleme_2024_ulasim.xlsx"]


def test_collection_written_and_read_back(collected, tmp_path):
    c = collected[2024]
    c.write(tmp_path / "c")
    back = read_collection(tmp_path / "c")
    assert back.years == (2024,) and back.plan_version == c.plan_version
    for name, table in c.tables().items():
        other = back.tables()[name]
        assert list(other.columns) == list(table.columns), name
        assert len(other) == len(table), name
    pd.testing.assert_series_equal(back.actions[N.SPENT], c.actions[N.SPENT], check_dtype=False)
    assert (tmp_path / "c" / "actions.csv").read_text(encoding="utf-8").startswith("fiscal_year,unit_id,")
