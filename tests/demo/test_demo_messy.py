"""The messy real-format copies are messy in the documented ways and carry exactly the clean data.

These tests parse the files with plain pandas (not gcdb's readers) to check the fixtures themselves.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gcdb import columns as C
from gcdb.text import fold

DEMO = Path(__file__).resolve().parents[2] / "datasets" / "demo"
MESSY = DEMO / "messy"
BUDGET_HEADER = (
    "Yıl;Satır No;Kurumsal Kod;Birim;Fonksiyonel Kod;Finansman Tipi;Ekonomik Kod;Açıklama;"
    "Başlangıç Ödeneği;Revize Ödenek;Harcama"
)


def _kurus(text: pd.Series) -> pd.Series:
    assert text.str.fullmatch(r"\d{1,3}(\.\d{3})*,\d\d").all()
    return text.str.replace(".", "", regex=False).str.replace(",", "", regex=False).astype("int64")


def test_budget_csv_format_and_content():
    raw = (MESSY / "budget_2024_tr.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really Windows-1254, not UTF-8
    text = raw.decode("cp1254")
    assert text.split("\r\n", 1)[0] == BUDGET_HEADER
    assert "\r\n" in text and "İ" in text and "Ş" in text
    messy = pd.read_csv(MESSY / "budget_2024_tr.csv", sep=";", encoding="cp1254", dtype=str)
    clean = pd.read_parquet(DEMO / "budget.parquet")
    clean = clean[clean[C.FISCAL_YEAR] == 2024].reset_index(drop=True)
    assert len(messy) == len(clean)
    assert (messy["Yıl"].astype(int) == 2024).all()
    pairs = {
        "Satır No": C.LINE_ID,
        "Kurumsal Kod": C.INSTITUTIONAL_CODE,
        "Birim": C.UNIT_NAME,
        "Fonksiyonel Kod": C.FUNCTIONAL_CODE,
        "Finansman Tipi": C.FINANCING_TYPE,
        "Ekonomik Kod": C.ECONOMIC_CODE,
        "Açıklama": C.DESCRIPTION,
    }
    for tr, canon in pairs.items():
        assert messy[tr].tolist() == clean[canon].astype(str).tolist(), tr
    for tr, canon in (
        ("Başlangıç Ödeneği", C.INITIAL_APPROPRIATION),
        ("Revize Ödenek", C.REVISED_APPROPRIATION),
        ("Harcama", C.EXPENDITURE),
    ):
        assert _kurus(messy[tr]).tolist() == clean[canon].tolist(), tr
    assert (messy["Başlangıç Ödeneği"] == "0,00").any()
    assert messy["Harcama"].str.contains(r"\d\.\d{3}\.\d{3},").any()  # millions with two thousands separators


def test_population_csv_format_and_content():
    raw = (MESSY / "population_tr.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.split("\r\n", 1)[0] == "İlçe;Mahalle;Cinsiyet;Yaş Grubu;Nüfus"
    messy = pd.read_csv(MESSY / "population_tr.csv", sep=";", encoding="utf-8-sig", dtype=str)
    bands = set(messy["Yaş Grubu"])
    assert {"25-44", "25–44", "65+"} <= bands
    assert set(messy["Cinsiyet"]) == {"Kadın", "Erkek"}
    clean = pd.read_parquet(DEMO / "population.parquet")
    clean = clean[clean[C.FISCAL_YEAR] == 2024].reset_index(drop=True)
    assert messy["İlçe"].tolist() == clean[C.DISTRICT].tolist()
    assert messy["Mahalle"].tolist() == clean[C.NEIGHBOURHOOD].tolist()
    sex = messy["Cinsiyet"].map({"Kadın": C.FEMALE, "Erkek": C.MALE})
    assert sex.tolist() == clean[C.SEX].tolist()
    assert messy["Yaş Grubu"].str.replace("–", "-").tolist() == clean[C.AGE_BAND].tolist()
    assert messy["Nüfus"].astype("int64").tolist() == clean[C.POPULATION].tolist()


def test_usage_xlsx_format_and_content():
    messy = pd.read_excel(MESSY / "usage_sample_tr.xlsx", sheet_name="Kayıtlar", dtype=object)
    assert list(messy.columns) == [
        "Kayıt No", "Hizmet Kodu", "Hizmet", "Birim", "Tarih", "Kişi No", "Cinsiyet", "Yaş", "Engellilik",
        "Göçmenlik Durumu", "İlçe", "Mahalle", "Miktar",
    ]  # fmt: skip
    assert len(messy) == 2000
    assert messy["Tarih"].map(type).eq(str).all()  # text, not Excel dates
    assert messy["Tarih"].str.fullmatch(r"\d\d\.\d\d\.20(23|24)").all()
    assert set(messy["Cinsiyet"]) == {"Kadın", "Erkek", "K", "E"}
    assert set(messy["Engellilik"]) <= {"Evet", "Hayır", "Bilinmiyor"}
    assert set(messy["Göçmenlik Durumu"]) <= {"Vatandaş", "Göçmen", "Mülteci", "Geçici Koruma", "Bilinmiyor"}
    districts = messy["İlçe"].astype(str)
    assert districts.str.isupper().any() and (~districts.str.isupper()).any()
    assert "ŞİŞLİ" in set(districts) or "KÜÇÜKÇEKMECE" in set(districts)

    usage = pd.read_parquet(DEMO / "usage.parquet")
    clean = usage[usage[C.RECORD_ID].isin(messy["Kayıt No"])].reset_index(drop=True)
    assert clean[C.RECORD_ID].tolist() == messy["Kayıt No"].tolist()
    assert messy["Hizmet Kodu"].tolist() == clean[C.SERVICE_CODE].tolist()
    assert messy["Hizmet"].tolist() == clean[C.SERVICE_NAME].tolist()
    assert messy["Birim"].tolist() == clean[C.UNIT_NAME].tolist()
    assert messy["Kişi No"].tolist() == clean[C.PERSON_ID].tolist()
    dates = pd.to_datetime(messy["Tarih"], format="%d.%m.%Y")
    assert (dates.to_numpy() == clean[C.DATE].to_numpy()).all()
    sex = messy["Cinsiyet"].map({"Kadın": C.FEMALE, "K": C.FEMALE, "Erkek": C.MALE, "E": C.MALE})
    assert sex.tolist() == clean[C.SEX].tolist()
    assert messy["Yaş"].astype("int64").tolist() == clean[C.AGE].tolist()
    dis = messy["Engellilik"].map({"Evet": C.YES, "Hayır": C.NO, "Bilinmiyor": C.UNKNOWN})
    assert dis.tolist() == clean[C.DISABILITY].tolist()
    mig = messy["Göçmenlik Durumu"].map(
        {"Vatandaş": C.CITIZEN, "Göçmen": C.MIGRANT, "Mülteci": C.REFUGEE, "Geçici Koruma": C.TEMPORARY_PROTECTION,
         "Bilinmiyor": C.UNKNOWN}
    )  # fmt: skip
    assert mig.tolist() == clean[C.MIGRANT_STATUS].tolist()
    assert districts.map(fold).tolist() == clean[C.DISTRICT].map(fold).tolist()
    assert messy["Mahalle"].tolist() == clean[C.NEIGHBOURHOOD].tolist()
    assert np.array_equal(messy["Miktar"].astype("int64").to_numpy(), clean[C.QUANTITY].to_numpy())
