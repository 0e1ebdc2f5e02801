"""Every service-usage check: a bad file, and the issue code, row (header = row 1) and column."""

import pandas as pd
import pytest
from ingest_helpers import issue, single

from gcdb import columns as C
from gcdb.read import read_usage, usage_from_frame


def test_good_usage_is_normalised(usage_file):
    result = read_usage(
        usage_file({}, {"Cinsiyet": "E", "Yaş": "70", "Engellilik": "%40", "Göçmenlik Durumu": "GKAS"})
    )
    assert result.ok and result.issues.empty
    data = result.data
    assert data[C.SEX].tolist() == [C.FEMALE, C.MALE]
    assert data[C.AGE_BAND].tolist() == ["25-44", "65+"]
    assert data[C.DISABILITY].tolist() == [C.NO, C.YES]
    assert data[C.MIGRANT_STATUS].tolist() == [C.CITIZEN, C.TEMPORARY_PROTECTION]
    assert data[C.FISCAL_YEAR].tolist() == [2023, 2023]  # derived from the date
    assert list(data[C.SEX].cat.categories) == list(C.SEX_CODES)
    assert list(data[C.AGE_BAND].cat.categories) == list(C.DEFAULT_AGE_BANDS.labels)
    assert list(data.columns) == [
        C.RECORD_ID,
        C.SERVICE_CODE,
        C.SERVICE_NAME,
        C.DATE,
        C.FISCAL_YEAR,
        C.PERSON_ID,
        C.SEX,
        C.AGE,
        C.AGE_BAND,
        C.DISABILITY,
        C.MIGRANT_STATUS,
        C.DISTRICT,
        C.NEIGHBOURHOOD,
        C.QUANTITY,
        C.SOURCE_ROW,
    ]


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("Cinsiyet", "Belki", "unknown_sex"),
        ("Engellilik", "Ara sıra", "unknown_disability"),
        ("Engellilik", "%140", "unknown_disability"),
        ("Göçmenlik Durumu", "Suriyeli", "unknown_migrant_status"),  # a nationality is not a status
        ("Yaş", "121", "age_out_of_range"),
        ("Yaş", "-1", "age_out_of_range"),
        ("Yaş", "otuz", "unparseable_number"),
        ("Yaş", "34,5", "unparseable_number"),
        ("Tarih", "31.02.2023", "unparseable_date"),
        ("Tarih", "dün", "unparseable_date"),
        ("İlçe", "Mordor", "unknown_district"),
        ("Miktar", "-2", "negative_amount"),
        ("Miktar", "bir", "unparseable_number"),
        ("Kişi No", "", "missing_value"),
        ("Hizmet Kodu", "", "missing_value"),
    ],
)
def test_bad_value_is_an_error_at_its_row_and_column(usage_file, column, value, code):
    result = read_usage(usage_file({}, {}, {column: value}))
    found = single(result, code)
    assert (found["row"], found["column"], found["severity"]) == (4, column, "error")
    assert found["value"] == value
    assert result.data[C.RECORD_ID].tolist() == ["R1", "R2"]
    assert result.quarantine[column].fillna("").tolist() == [value]
    assert code in result.quarantine["issue_codes"].iloc[0]


def test_birth_year_gives_the_age_at_the_records_year_and_is_reported_under_its_own_header(usage_file):
    path = usage_file({"Yaş": None, "Doğum Yılı": "1990"}, {"Doğum Yılı": "1890"}, {"Doğum Yılı": "2024"})
    result = read_usage(path)
    assert result.data[C.AGE].tolist() == [33]
    assert result.data[C.AGE_BAND].tolist() == ["25-44"]
    bad = issue(result, "age_out_of_range")
    assert bad[["row", "column", "value"]].values.tolist() == [
        [3, "Doğum Yılı", "1890"],
        [4, "Doğum Yılı", "2024"],
    ]


def test_birth_year_without_a_date_or_year_cannot_become_an_age(usage_file):
    found = single(
        read_usage(usage_file({"Yaş": None, "Tarih": None, "Doğum Yılı": "1990"})), "invalid_value"
    )
    assert (found["row"], found["column"]) == (2, "Doğum Yılı")


def test_age_band_given_directly_and_unknown_band(usage_file):
    path = usage_file(
        {"Yaş": None, "Yaş Grubu": "25 - 44"},
        {"Yaş Grubu": "65 ve üzeri"},
        {"Yaş Grubu": "10-19"},
        {"Yaş Grubu": "x"},
    )
    result = read_usage(path)
    bad = issue(result, "unknown_age_band")
    assert bad[["row", "column", "value"]].values.tolist() == [
        [4, "Yaş Grubu", "10-19"],
        [5, "Yaş Grubu", "x"],
    ]
    assert result.data[C.AGE_BAND].tolist() == ["25-44", "65+"]


def test_age_that_contradicts_the_given_band_is_invalid(usage_file):
    result = read_usage(usage_file({"Yaş": "30", "Yaş Grubu": "25-44"}, {"Yaş": "30", "Yaş Grubu": "0-4"}))
    found = single(result, "invalid_value")
    assert (found["row"], found["column"]) == (3, "Yaş Grubu")


def test_blank_sex_is_unknown_without_an_issue_and_blank_district_a_warning(usage_file):
    result = read_usage(usage_file({"Cinsiyet": ""}, {"İlçe": ""}))
    found = single(result, "missing_value")
    assert (found["row"], found["column"], found["severity"]) == (3, "İlçe", "warning")
    assert result.data[C.SEX].tolist() == [C.UNKNOWN, C.FEMALE]
    assert result.data[C.DISTRICT].isna().tolist() == [False, True]


def test_districts_are_canonicalised_by_turkish_folding(usage_file):
    values = ["KADIKÖY", "kadikoy", "Kadıköy İlçesi", "ŞİŞLİ", "sisli", "EYÜP", "İSTANBUL"]
    result = read_usage(usage_file(*({"İlçe": v} for v in values)))
    assert result.data[C.DISTRICT].tolist() == [
        "Kadıköy",
        "Kadıköy",
        "Kadıköy",
        "Şişli",
        "Şişli",
        "Eyüpsultan",
    ]
    found = single(result, "unknown_district")
    assert (found["row"], found["value"]) == (8, "İSTANBUL")  # the province is not a district


def test_custom_district_list_and_skipping_the_check(usage_file, write):
    path = usage_file({"İlçe": "ÇANKAYA"}, {"İlçe": "Kadıköy"})
    custom = read_usage(path, districts=["Çankaya", "Keçiören"])
    assert custom.data[C.DISTRICT].tolist() == ["Çankaya"]
    assert single(custom, "unknown_district")["row"] == 3
    from_csv = read_usage(path, districts=write("d.csv", "district\nÇankaya\nKadıköy\n"))
    assert from_csv.ok and from_csv.data[C.DISTRICT].tolist() == ["Çankaya", "Kadıköy"]
    skipped = read_usage(path, districts=False)
    assert skipped.ok and skipped.data[C.DISTRICT].tolist() == ["ÇANKAYA", "Kadıköy"]


def test_neighbourhoods_lose_their_suffix_and_are_checked_against_a_list(usage_file):
    path = usage_file(
        {"Mahalle": "CAFERAĞA MAH."}, {"Mahalle": "Caferağa Mahallesi"}, {"Mahalle": "Yokyer Mh."}
    )
    assert read_usage(path, districts=False).data[C.NEIGHBOURHOOD].tolist() == [
        "Caferağa",
        "Caferağa",
        "Yokyer",
    ]
    # İstanbul (the default districts): checked against TÜİK's neighbourhoods of the row's district
    default = read_usage(path)
    assert default.data[C.NEIGHBOURHOOD].tolist()[:2] == ["Caferağa", "Caferağa"]
    assert (single(default, "unknown_neighbourhood")["value"]) == "Yokyer Mh."
    checked = read_usage(path, neighbourhoods=["Caferağa", "Moda"])
    found = single(checked, "unknown_neighbourhood")
    assert (found["row"], found["column"], found["value"]) == (4, "Mahalle", "Yokyer Mh.")


def test_duplicate_record_ids(usage_file):
    result = read_usage(usage_file({}, {}, {"Kayıt No": "R1"}))
    dup = issue(result, "duplicate_id")
    assert dup[["row", "column"]].values.tolist() == [[2, "Kayıt No"], [4, "Kayıt No"]]
    assert result.data[C.RECORD_ID].tolist() == ["R2"]


def test_tckn_values_refuse_the_file_and_are_masked(usage_file):
    # 10000000146 is a valid T.C. kimlik number (check digits right); the pseudonymous ids are not
    result = read_usage(usage_file({"Kişi No": "P1"}, {"Kişi No": "10000000146"}))
    found = single(result, "personal_data")
    assert (found["row"], found["column"]) == (3, "Kişi No")
    assert found["value"] == "1000*******"
    assert result.data.empty and result.refused
    # no values leave the reader, not even in the quarantine
    assert list(result.quarantine.columns) == [C.SOURCE_ROW, "issue_codes"]
    assert "10000000146" not in result.issues.to_csv()


def test_eleven_digit_pseudonyms_that_fail_the_checksum_are_not_personal_data(usage_file):
    result = read_usage(usage_file({"Kişi No": "12345678901"}, {"Kişi No": "98765432109"}))
    assert result.ok


@pytest.mark.parametrize(
    "header", ["Ad Soyad", "ADI SOYADI", "TC Kimlik No", "T.C. Kimlik No", "İsim", "Telefon"]
)
def test_personal_headers_refuse_the_file(usage_file, header):
    result = read_usage(usage_file({header: "-"}))
    found = single(result, "personal_data")
    assert (found["row"], found["column"]) == (1, header)
    assert result.data.empty


def test_personal_names_in_an_unnamed_column_refuse_the_file(usage_file):
    names = ["Ayşe Yılmaz", "MEHMET ALİ KAYA", "Zeynep Demir"]
    result = read_usage(usage_file(*({"Not": n} for n in names)))
    found = single(result, "personal_data")
    assert (found["row"], found["column"], found["value"]) == (2, "Not", "A*** Y***")


def test_neighbourhood_named_after_a_person_is_not_personal_data(usage_file):
    result = read_usage(
        usage_file({"Mahalle": "Fatih Sultan Mehmet Mahallesi"}, {"Mahalle": "Mehmet Akif Ersoy Mah"})
    )
    assert result.ok


def test_usage_from_a_dataframe_is_validated_the_same_way(usage_file):
    frame = pd.DataFrame(
        {
            "Kayıt No": ["A", "B"],
            "Hizmet Kodu": ["KRS", "KRS"],
            "Tarih": pd.to_datetime(["2023-03-01", "2023-04-01"]),
            "Kişi No": ["P1", "P2"],
            "Cinsiyet": ["K", "Martian"],
            "Yaş": [34, 12],
            "İlçe": ["Kadıköy", "Fatih"],
        }
    )
    result = usage_from_frame(frame)
    found = single(result, "unknown_sex")
    assert (found["row"], found["column"], found["value"]) == (3, "Cinsiyet", "Martian")
    assert result.data[C.DATE].tolist() == [pd.Timestamp("2023-03-01")]
    assert result.data[C.AGE_BAND].tolist() == ["25-44"]
