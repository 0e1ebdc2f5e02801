"""Real places: districts and neighbourhoods resolve to TÜİK/HDX codes, with folding, aliases and years."""

from __future__ import annotations

import pandas as pd
import pytest

import gcdb
from gcdb import columns as C
from gcdb import paths, places
from gcdb.normalise import normalise_district, normalise_neighbourhood

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")

DEMO = paths.datasets() / "demo"


def test_reference_copies_are_whole():
    assert len(places.districts()) == 41  # 39 + Eminönü (to 2007) + Eyüp (to 2017)
    current = places.districts()[places.districts()["valid_to"].isna()]
    assert len(current) == 39
    assert set(current[C.DISTRICT]) == set(gcdb.normalise.istanbul_districts())
    hoods = places.neighbourhoods()
    assert len(hoods) == 966 and hoods[places.NEIGHBOURHOOD_ID].is_unique
    assert hoods[C.DISTRICT].notna().all() and hoods[C.DISTRICT].nunique() == 39
    assert not hoods[C.NEIGHBOURHOOD].str.endswith("Mah.").any()


def test_every_demo_district_and_neighbourhood_resolves_to_a_real_code():
    listed = pd.read_csv(DEMO / "neighbourhoods.csv", dtype="str")
    population = pd.read_parquet(DEMO / "population.parquet")
    usage = pd.read_parquet(DEMO / "usage.parquet", columns=[C.DISTRICT, C.NEIGHBOURHOOD, C.FISCAL_YEAR])
    for frame, years in (
        (listed, 2024),
        (population, population[C.FISCAL_YEAR]),
        (usage, usage[C.FISCAL_YEAR]),
    ):
        ids = places.district_ids(frame[C.DISTRICT])
        assert ids.notna().all() and ids.str.match(r"^TR-34-\d{3}$").all()
        found = places.resolve_neighbourhoods(frame[C.DISTRICT], frame[C.NEIGHBOURHOOD], years)
        assert (found[places.STATUS] == places.OK).all()
        assert found[places.NEIGHBOURHOOD_ID].str.match(r"^TR-34-[\dx]+-\d+$").all()
        assert (found[C.NEIGHBOURHOOD] == frame[C.NEIGHBOURHOOD].to_numpy()).all()


@pytest.mark.parametrize(
    ("written", "district"),
    [
        ("Gazi Osmanpaşa", "Gaziosmanpaşa"),
        ("GAZİOSMANPAŞA İLÇESİ", "Gaziosmanpaşa"),
        ("Eyüp", "Eyüpsultan"),
        ("kadikoy", "Kadıköy"),
        ("İstanbul-Kadıköy", "Kadıköy"),
        ("Kadıköy(İstanbul)", "Kadıköy"),
        ("Ankara", None),
    ],
)
def test_district_spellings(written, district):
    got = places.canonical_districts(pd.Series([written])).iloc[0]
    assert (got if isinstance(got, str) else None) == district


def test_normalise_district_knows_tuik_spelling():
    out = normalise_district(pd.Series(["Gazi Osmanpaşa", "Kadıköy", "Uzay"]))
    assert out.tolist()[:2] == ["Gaziosmanpaşa", "Kadıköy"] and pd.isna(out.iloc[2])


def test_neighbourhoods_within_their_district_and_year():
    district = pd.Series(["Kadıköy", "Kadıköy", "Üsküdar", "Kadıköy", "Sarıyer", "Uzay"])
    hood = pd.Series(["CAFERAĞA MAH.", "Caferağa Mahallesi", "Caferağa", "Yok Böyle", "5.Levent", "Merkez"])
    found = places.resolve_neighbourhoods(district, hood, 2024)
    assert found[places.STATUS].tolist() == ["ok", "ok", "unknown", "unknown", "unknown", "no_district"]
    assert found[C.NEIGHBOURHOOD].tolist()[:2] == ["Caferağa", "Caferağa"]
    # a neighbourhood first seen in 2022 is not in use in 2020; the first series year means "or earlier"
    new = places.neighbourhoods().query("first_seen == 2022").iloc[0]
    years = pd.Series([2020, 2022])
    got = places.resolve_neighbourhoods(
        pd.Series([new[C.DISTRICT]] * 2), pd.Series([new["name_tr"]] * 2), years
    )
    assert got[places.STATUS].tolist() == ["not_in_year", "ok"]
    old = places.neighbourhoods().query("first_seen == 2013 and last_seen == 2025").iloc[0]
    got = places.resolve_neighbourhoods(pd.Series([old[C.DISTRICT]]), pd.Series([old[C.NEIGHBOURHOOD]]), 2005)
    assert got[places.STATUS].tolist() == ["ok"]
    normalised = normalise_neighbourhood(hood, district=district, year=2024)
    assert normalised.tolist()[:2] == ["Caferağa", "Caferağa"] and normalised.iloc[2:].isna().all()


def test_unknown_neighbourhood_is_reported_with_row_and_value(tmp_path):
    frame = pd.DataFrame(
        {
            "Kayıt No": ["1", "2", "3"],
            "Hizmet Kodu": ["KRS"] * 3,
            "Kişi No": ["P1", "P2", "P3"],
            "Cinsiyet": ["Kadın"] * 3,
            "İlçe": ["Kadıköy", "Kadıköy", "Gazi Osmanpaşa"],
            "Mahalle": ["Caferağa Mah.", "Atlantis", "Bağlarbaşı Mah."],
            "Tarih": ["2024-03-01"] * 3,
        }
    )
    path = tmp_path / "kullanim.csv"
    frame.to_csv(path, index=False, sep=";")
    result = gcdb.read_usage(path)
    issue = result.issues[result.issues["code"] == "unknown_neighbourhood"]
    assert issue["row"].tolist() == [3] and issue["value"].tolist() == ["Atlantis"]
    assert (
        issue["column"].tolist() == ["Mahalle"]
        and "not a neighbourhood of this district" in issue["message"].iloc[0]
    )
    # usage: a warning, the record is kept (its district counts) without a neighbourhood
    assert len(result.data) == 3
    assert result.data[C.NEIGHBOURHOOD].tolist()[0] == "Caferağa" and pd.isna(
        result.data[C.NEIGHBOURHOOD].iloc[1]
    )
    assert result.data[C.DISTRICT].tolist()[2] == "Gaziosmanpaşa"
    # another district list: no İstanbul neighbourhood check
    other = gcdb.read_usage(path, districts=["Kadıköy", "Gazi Osmanpaşa"])
    assert not (other.issues["code"] == "unknown_neighbourhood").any()
