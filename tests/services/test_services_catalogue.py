"""The service catalogue: eligibility columns parsed and checked, errors naming file, row, column and value."""

from __future__ import annotations

import pandas as pd
import pytest
from services_builders import DEMO

from gcdb import columns as C
from gcdb.equality.eligibility import Eligibility
from gcdb.errors import DataValidationError
from gcdb.services import catalogue_spec as CS
from gcdb.services.catalogue import check_districts, eligibility_of, read_services, services_from_frame


def _demo_text() -> pd.DataFrame:
    return pd.read_csv(DEMO / "services.csv", dtype="str", keep_default_na=False)


def test_demo_catalogue_declares_who_each_service_is_for():
    services = read_services(DEMO / "services.csv")
    assert services[CS.ELIGIBLE_AGE_MIN].dtype == "Int64"
    rules = eligibility_of(services)
    assert rules["KRS"] == Eligibility(age_min=3, age_max=6)  # Yuvamız İstanbul: children aged 3–6 (seed 002)
    assert rules["SIG"] == Eligibility(age_min=18, sexes={C.FEMALE})
    assert rules["DHT"].sexes == {C.FEMALE}
    assert rules["YAS"] == Eligibility(age_min=65) and rules["SAG"] == Eligibility(age_min=45)
    assert rules["ENU"] == Eligibility(disability={C.YES})
    assert services["target_group"].notna().all()  # the words are kept for people


def test_turkish_spellings_are_read_as_codes():
    frame = _demo_text()
    frame.loc[0, CS.ELIGIBLE_SEX] = "Kadın | Erkek"
    frame.loc[1, CS.ELIGIBLE_DISABILITY] = "Evet"
    frame.loc[2, CS.ELIGIBLE_MIGRANT] = "Vatandaş"
    rules = eligibility_of(services_from_frame(frame))
    assert rules["KRS"].sexes == {C.FEMALE, C.MALE}
    assert rules["SIG"].disability == {C.YES}
    assert rules["DHT"].migrant == {C.CITIZEN}


def test_errors_name_file_row_column_and_value():
    frame = _demo_text()
    frame.loc[1, CS.ELIGIBLE_SEX] = "kadın|kedi"
    frame.loc[2, CS.ELIGIBLE_AGE_MIN] = "on altı"
    frame.loc[3, CS.ELIGIBLE_AGE_MIN] = "70"
    frame.loc[3, CS.ELIGIBLE_AGE_MAX] = "20"
    frame.loc[4, CS.ELIGIBLE_AGE_MIN] = "150"
    frame.loc[5, C.SERVICE_CODE] = "KRS"
    with pytest.raises(DataValidationError) as info:
        services_from_frame(frame, file="hizmetler.csv")
    issues = info.value.issues
    found = {(int(r[C.ISSUE_ROW]), r[C.ISSUE_COLUMN], r[C.ISSUE_CODE]) for r in issues.to_dict("records")}
    assert (3, CS.ELIGIBLE_SEX, "invalid_value") in found  # header is row 1: the second service is row 3
    assert (4, CS.ELIGIBLE_AGE_MIN, "unparseable_number") in found
    assert (5, CS.ELIGIBLE_AGE_MAX, "invalid_value") in found
    assert (6, CS.ELIGIBLE_AGE_MIN, "age_out_of_range") in found
    assert (7, C.SERVICE_CODE, "duplicate_id") in found
    assert set(issues[C.ISSUE_FILE]) == {"hizmetler.csv"}
    assert "kadın|kedi" in set(issues[C.ISSUE_VALUE])
    assert "hizmetler.csv:3 [eligible_sex]" in str(info.value)
    assert len(issues) == len(found)  # one issue per row, column and code


def test_a_catalogue_without_eligibility_columns_means_everyone():
    frame = _demo_text()[[C.SERVICE_CODE, C.SERVICE_NAME, C.UNIT_NAME]]
    rules = eligibility_of(services_from_frame(frame))
    assert all(rule.everyone for rule in rules.values())


def test_districts_must_be_in_the_baseline():
    frame = _demo_text()
    frame.loc[0, CS.ELIGIBLE_DISTRICTS] = "Kadıköy|Atlantis"
    services = services_from_frame(frame)
    with pytest.raises(DataValidationError) as info:
        check_districts(services, {"Kadıköy", "Beşiktaş"}, file="s.csv")
    [issue] = info.value.issues.to_dict("records")
    assert issue[C.ISSUE_ROW] == 2 and issue[C.ISSUE_VALUE] == "Atlantis"


def test_reading_a_file(tmp_path):
    path = tmp_path / "hizmetler.csv"
    frame = _demo_text()
    frame.loc[0, CS.ELIGIBLE_AGE_MAX] = "iki"
    frame.to_csv(path, index=False, sep=";")
    with pytest.raises(DataValidationError, match=str(path)):
        read_services(path)
    with pytest.raises(FileNotFoundError):
        read_services(tmp_path / "yok.csv")
