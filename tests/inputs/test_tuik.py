"""TÜİK population tables: a TÜİK-layout file made from the demo population equals it after regrouping."""

from __future__ import annotations

import pandas as pd
import pytest
from inputs_layouts import FIVE_YEAR, SINGLE_YEAR, split_population, write_tuik_long, write_tuik_wide

from gcdb import columns as C
from gcdb import paths
from gcdb.errors import DataValidationError
from gcdb.read.tuik import read_tuik_population, regroup_labels, repair_text

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")

KEYS = [C.FISCAL_YEAR, C.DISTRICT, C.NEIGHBOURHOOD, C.SEX, C.AGE_BAND]


@pytest.fixture(scope="module")
def population_2024() -> pd.DataFrame:
    pop = pd.read_parquet(paths.datasets() / "demo" / "population.parquet")
    return pop[pop[C.FISCAL_YEAR] == 2024].reset_index(drop=True)


def canonical(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = frame[keys + [C.POPULATION]].astype({k: "str" for k in keys}).astype({C.POPULATION: "int64"})
    return out.sort_values(keys).reset_index(drop=True)


def test_wide_five_year_bands_by_mahalle_round_trip(tmp_path, population_2024):
    path = tmp_path / "adnks_mahalle.xlsx"
    info = write_tuik_wide(population_2024, path, FIVE_YEAR)
    result = read_tuik_population(path, fiscal_year=2024)
    assert result.ok and result.issues.empty, result.issues
    pd.testing.assert_frame_equal(canonical(result.data, KEYS), canonical(population_2024, KEYS))
    counts = result.skipped["reason"].value_counts().to_dict()
    assert counts == {k: v for k, v in info["skipped"].items() if v}
    rec = result.reconciliation.set_index("measure")
    assert (rec["read"] == rec["valid"] + rec["quarantined"] + rec["skipped"]).all()
    assert rec.at[C.POPULATION, "valid"] == population_2024[C.POPULATION].sum()
    # "Gazi Osmanpaşa" and "… Mah." are TÜİK's spellings: gcdb's names come out
    assert "Gaziosmanpaşa" in set(result.data[C.DISTRICT])


def test_portal_long_csv_single_years_garbled_encoding(tmp_path, population_2024):
    path = tmp_path / "nufus.csv"
    info = write_tuik_long(population_2024, path, SINGLE_YEAR, year=2024)
    assert "Kadın" not in path.read_text(encoding="utf-8-sig")  # the file really is garbled
    result = read_tuik_population(path)
    assert result.ok and result.issues.empty, result.issues
    keys = [C.FISCAL_YEAR, C.DISTRICT, C.SEX, C.AGE_BAND]
    by_district = population_2024.groupby(keys, as_index=False)[C.POPULATION].sum()
    pd.testing.assert_frame_equal(canonical(result.data, keys), canonical(by_district, keys))
    assert result.skipped["reason"].value_counts().to_dict() == info["skipped"]


def test_regrouping_into_another_scheme(tmp_path, population_2024):
    """Five-year TÜİK bands into 0-9 / 10-19 / 20-64 / 65+: sums checked against the split file directly."""
    bands = C.AgeBands(edges=(0, 10, 20, 65))
    path = tmp_path / "adnks.xlsx"
    write_tuik_wide(population_2024, path, FIVE_YEAR, neighbourhoods=False)
    result = read_tuik_population(path, fiscal_year=2024, age_bands=bands)
    assert result.ok, result.errors
    fine = split_population(population_2024, FIVE_YEAR)
    lower = fine["tuik_band"].str.extract(r"^(\d+)")[0].astype(int)
    fine["target"] = pd.cut(lower, [0, 10, 20, 65, 200], right=False, labels=bands.labels).astype("str")
    want = fine.groupby([C.DISTRICT, C.SEX, "target"], as_index=False)[C.POPULATION].sum()
    want = want.rename(columns={"target": C.AGE_BAND})
    keys = [C.DISTRICT, C.SEX, C.AGE_BAND]
    pd.testing.assert_frame_equal(canonical(result.data, keys), canonical(want, keys))


def test_a_band_straddling_two_target_bands_is_reported(tmp_path):
    text = "\n".join(
        [
            "İlçe;Yaş grubu;Toplam;Erkek;Kadın",
            "Kadıköy;60-64;30;10;20",
            ";65-69;30;10;20",
            ";60-69;60;20;40",
            ";70+;5;2;3",
            "Kaynak: TÜİK",
        ]
    )
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    result = read_tuik_population(path, fiscal_year=2024)
    bad = result.errors
    assert set(bad["row"]) == {4} and set(bad["code"]) == {"unknown_age_band"}
    assert set(bad["value"]) == {"60-69"}
    assert result.data.groupby(C.AGE_BAND, observed=True)[C.POPULATION].sum().to_dict() == {
        "45-64": 30,
        "65+": 35,
    }
    labels, fits = regroup_labels(
        pd.Series([0, 60, 60, 90]).to_numpy(), pd.Series([4, 64, 69, -1]).to_numpy(), C.DEFAULT_AGE_BANDS
    )
    assert fits.tolist() == [True, True, False, True] and labels[3] == "65+"


def test_total_column_checked_and_bad_counts_quarantined(tmp_path):
    text = "\n".join(
        [
            "ADNKS 2024",
            "İLÇE;YAŞ GRUBU;TOPLAM;ERKEK;KADIN",
            "Kadıköy;0-4;30;10;21",
            ";5-14;3x;1x;20",
            "Toplam;;;;",
        ]
    )
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    result = read_tuik_population(path, fiscal_year=2024)
    warn = result.warnings
    assert warn["code"].tolist() == ["subtotal_mismatch"] and warn["row"].tolist() == [3]
    err = result.errors
    assert (
        err["row"].tolist() == [4] and err["value"].tolist() == ["1x"] and err["column"].tolist() == ["Nüfus"]
    )
    assert result.skipped.to_dict("list") == {"row": [1, 5], "reason": ["title", "total"]}


def test_disabled_counts_join(tmp_path, population_2024):
    small = population_2024[population_2024[C.DISTRICT].isin(["Adalar", "Beşiktaş"])]
    write_tuik_wide(small, tmp_path / "all.xlsx", FIVE_YEAR)
    disabled = small.assign(**{C.POPULATION: small[C.DISABLED_POPULATION]})
    write_tuik_wide(disabled, tmp_path / "engelli.xlsx", FIVE_YEAR)
    result = read_tuik_population(tmp_path / "all.xlsx", fiscal_year=2024, disabled=tmp_path / "engelli.xlsx")
    assert result.ok
    got = result.data.astype({k: "str" for k in KEYS[1:]})
    both = got.merge(small.astype({k: "str" for k in KEYS[1:]}), on=KEYS, suffixes=("", "_demo"))
    assert len(both) == len(small) == len(got)
    assert (both[C.DISABLED_POPULATION] == both[C.DISABLED_POPULATION + "_demo"]).all()


def test_repairs_and_refusals(tmp_path):
    assert repair_text("Kadýn") == "Kadın" and repair_text("ÝSTANBUL-ÞÝÞLÝ") == "İSTANBUL-ŞİŞLİ"
    assert repair_text("KadÄ±n") == "Kadın" and repair_text("Kadın") == "Kadın"
    path = tmp_path / "x.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="no TÜİK population header"):
        read_tuik_population(path)
