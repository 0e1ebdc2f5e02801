"""Normalisation of codes, age bands, districts and neighbourhoods (vectorised on distinct values)."""

import pandas as pd
import pytest

from gcdb import columns as C
from gcdb.normalise import (
    ECONOMIC_LEVELS,
    FUNCTIONAL_LEVELS,
    INSTITUTIONAL_LEVELS,
    age_band,
    istanbul_districts,
    load_districts,
    normalise_age_band,
    normalise_code,
    normalise_disability,
    normalise_district,
    normalise_migrant_status,
    normalise_neighbourhood,
    normalise_sex,
    parse_age_band,
)


def test_sex_codes():
    raw = [
        "Kadın",
        "KADIN",
        "kadin",
        "K",
        "F",
        "female",
        "2",
        "Erkek",
        "E",
        "M",
        "Male",
        "1",
        "Diğer",
        "Bilinmiyor",
        "",
        None,
        "Belki",
    ]
    out = normalise_sex(pd.Series(raw, dtype="str"))
    assert out.tolist()[:-1] == [C.FEMALE] * 7 + [C.MALE] * 5 + [C.OTHER, C.UNKNOWN, C.UNKNOWN, C.UNKNOWN]
    assert pd.isna(out.iloc[-1])
    assert list(out.cat.categories) == list(C.SEX_CODES)


def test_disability_codes():
    raw = [
        "Evet",
        "Var",
        "E",
        "%40",
        "40",
        "40%",
        "Görme engelli",
        "Hayır",
        "Yok",
        "H",
        "0",
        "%0",
        "Bilinmiyor",
        "",
        "%140",
        "bazen",
    ]
    out = normalise_disability(pd.Series(raw, dtype="str")).tolist()
    assert out[:13] == [C.YES] * 7 + [C.NO] * 5 + [C.UNKNOWN]
    assert out[13] == C.UNKNOWN and pd.isna(out[14]) and pd.isna(out[15])


def test_migrant_status_words_not_nationalities():
    raw = [
        "Vatandaş",
        "T.C.",
        "TC",
        "Göçmen",
        "Yabancı",
        "Mülteci",
        "Uluslararası Koruma",
        "Geçici Koruma",
        "GKAS",
        "Bilinmiyor",
        "Suriyeli",
        "Afgan",
    ]
    out = normalise_migrant_status(pd.Series(raw, dtype="str")).tolist()
    assert out[:10] == [C.CITIZEN] * 3 + [C.MIGRANT] * 2 + [C.REFUGEE] * 2 + [C.TEMPORARY_PROTECTION] * 2 + [
        C.UNKNOWN
    ]
    assert pd.isna(out[10]) and pd.isna(out[11])


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("25-44", "25-44"),
        ("25–44", "25-44"),
        ("25 - 44", "25-44"),
        ("25-44 yaş", "25-44"),
        ("65+", "65+"),
        ("65 ve üzeri", "65+"),
        ("65 yaş ve üstü", "65+"),
        ("65 YAŞ ÜZERİ", "65+"),
        ("5 yaş altı", "0-4"),
        ("44-25", None),
        ("yaşlı", None),
    ],
)
def test_parse_age_band(text, label):
    assert parse_age_band(text) == label


def test_age_band_from_age_is_vectorised_with_open_last_band():
    ages = pd.Series([0, 4, 5, 14, 15, 24, 25, 44, 45, 64, 65, 120, 121, -1, None], dtype="Int64")
    out = age_band(ages)
    assert out.tolist()[:12] == [
        "0-4",
        "0-4",
        "5-14",
        "5-14",
        "15-24",
        "15-24",
        "25-44",
        "25-44",
        "45-64",
        "45-64",
        "65+",
        "65+",
    ]
    assert out.iloc[12:].isna().all()
    assert list(normalise_age_band(pd.Series(["5-9", "0-4"])).isna()) == [True, False]


def test_districts_fold_and_rename():
    assert len(istanbul_districts()) == 39
    s = pd.Series(["İSTANBUL", "istanbul", "Istanbul", "ÜSKÜDAR", "uskudar", "Beyoğlu İlçesi", "Eyüp", None])
    out = normalise_district(s)
    assert out.iloc[:3].isna().all()
    assert out.iloc[3:7].tolist() == ["Üsküdar", "Üsküdar", "Beyoğlu", "Eyüpsultan"]
    # the province folds to one key in every spelling, so a list containing it matches all three
    assert normalise_district(s.iloc[:3], ["İstanbul"]).tolist() == ["İstanbul"] * 3
    assert load_districts(pd.DataFrame({"district": ["Çankaya"]})) == ("Çankaya",)


def test_neighbourhoods():
    s = pd.Series(["ATATÜRK MAH.", "Atatürk Mahallesi", "atatürk mh", "19 MAYIS MAHALLESİ", "", None])
    assert normalise_neighbourhood(s).tolist()[:4] == ["Atatürk", "Atatürk", "Atatürk", "19 Mayıs"]
    checked = normalise_neighbourhood(s, ["Atatürk"])
    assert checked.tolist()[:3] == ["Atatürk"] * 3 and checked.iloc[3:].isna().all()


def test_codes():
    s = pd.Series(["46.34.01.16", "46340116", "46 34 01 16", "4634011", "46.34.1.16", "", None])
    assert normalise_code(s, INSTITUTIONAL_LEVELS).tolist()[:5] == [
        "46.34.01.16",
        "46.34.01.16",
        "46.34.01.16",
        "4634011",
        "46.34.1.16",
    ]
    f = pd.Series(["104000", "11100", "10400", "1040"])
    assert normalise_code(f, FUNCTIONAL_LEVELS, restore_leading_zero=True).tolist() == [
        "10.4.0.00",
        "01.1.1.00",
        "10400",
        "1040",
    ]
    assert normalise_code(pd.Series(["035108"]), ECONOMIC_LEVELS).tolist() == ["03.5.1.08"]
