"""The shipped definitions (rules/indicators_ibb_demo.yaml) against the real catalogue and the demo data."""

import pandas as pd
import pytest

from gcdb import columns as C
from gcdb import paths
from gcdb.catalogue import Catalogue
from gcdb.indicators import INDICATOR_COLUMNS, compute_indicators, load_indicators
from gcdb.indicators import model as M

SHIPPED = paths.rules() / "indicators_ibb_demo.yaml"


@pytest.fixture(scope="module")
def catalogue():
    return Catalogue.load()


@pytest.fixture(scope="module")
def definitions(catalogue):
    services = pd.read_csv(paths.demo() / "services.csv", dtype=str)
    return load_indicators(SHIPPED, catalogue=catalogue, services=services)


@pytest.fixture(scope="module")
def usage():
    return pd.read_parquet(paths.demo() / "usage.parquet")


@pytest.fixture(scope="module")
def table(definitions, usage):
    population = pd.read_parquet(paths.demo() / "population.parquet")
    return compute_indicators(usage, definitions, population=population, years=[2023, 2024])


def test_at_least_40_definitions_linked_to_count_or_ratio_catalogue_rows(definitions, catalogue):
    assert len(definitions) >= 40
    kinds = catalogue.indicators.set_index("indicator_id")["kind"]
    linked = [d.indicator for d in definitions]
    assert set(linked) <= set(kinds.index)
    assert set(kinds[linked]) <= {"count", "ratio"}
    assert len(set(linked)) >= 40  # distinct plan indicators, not variants of a few
    assert definitions.plan == catalogue.meta.plan_id


def test_every_definition_is_documented(definitions):
    for d in definitions:
        assert d.reference.startswith(f"YEEP 2021–2024, {d.indicator}: "), d.id
        assert d.title_tr.strip() and d.title_en.strip()
        if d.note is not None:
            assert " / " in d.note, f"{d.id}: note should be Turkish / English"
    # approximations say so
    approximations = [d for d in definitions if d.note and "Yaklaşık" in d.note]
    assert len(approximations) >= 15
    assert all("Approximation" in d.note for d in approximations)


def test_computes_for_2023_and_2024_without_unexplained_nan(table, definitions):
    assert tuple(table.columns) == INDICATOR_COLUMNS
    assert set(table[C.FISCAL_YEAR]) == {2023, 2024}
    overall = table.loc[table["breakdown"] == ""]
    assert len(overall) == 2 * len(definitions)
    for column in ("value", "previous_value", "change", "change_pct"):
        unexplained = table[column].isna() & (table["reason"] == "")
        assert not unexplained.any(), table.loc[unexplained, ["indicator_id", column]].head()
    assert not table["numerator"].isna().any()
    ratio_ids = {d.id for d in definitions if d.kind == M.RATIO}
    ratios = table["indicator_id"].isin(ratio_ids)
    assert not (table.loc[ratios, "denominator"].isna() & (table.loc[ratios, "reason"] == "")).any()
    assert table.loc[~ratios, "denominator"].isna().all()
    # 2024 overall values all have a previous value: no reason at all
    assert (overall.loc[overall[C.FISCAL_YEAR] == 2024, "reason"] == "").all()
    assert (overall.loc[overall[C.FISCAL_YEAR] == 2023, "reason"] == "no_previous_year").all()
    percent = table["unit"] == "percent"
    assert table.loc[percent, "value"].between(0, 100).all()


def test_share_of_women_in_vocational_courses_matches_pandas(table, usage):
    got = table.loc[(table["indicator_id"] == "kurs-kadin-payi") & (table["breakdown"] == "")].set_index(
        C.FISCAL_YEAR
    )
    mek = usage.loc[usage[C.SERVICE_CODE] == "MEK"]
    users = mek.groupby([C.FISCAL_YEAR, C.SEX])[C.PERSON_ID].nunique().unstack()
    for year in (2023, 2024):
        assert got.loc[year, "numerator"] == users.loc[year, "female"]
        assert got.loc[year, "denominator"] == users.loc[year].sum()
        assert got.loc[year, "value"] == pytest.approx(
            100 * users.loc[year, "female"] / users.loc[year].sum()
        )
    assert got.loc[2024, "change"] == pytest.approx(got.loc[2024, "value"] - got.loc[2023, "value"])


def test_crèche_rate_per_1000_children_by_district_matches_pandas(table, usage):
    population = pd.read_parquet(paths.demo() / "population.parquet")
    # the crèche's eligible children, aged 3–6: 2/5 of the 0-4 band and 2/10 of the 5-14 band
    share = population[C.AGE_BAND].astype("str").map({"0-4": 2 / 5, "5-14": 2 / 10}).fillna(0.0)
    children = (
        (population[C.POPULATION] * share).groupby([population[C.FISCAL_YEAR], population[C.DISTRICT]]).sum()
    )
    krs = (
        usage.loc[usage[C.SERVICE_CODE] == "KRS"].groupby([C.FISCAL_YEAR, C.DISTRICT])[C.PERSON_ID].nunique()
    )
    got = table.loc[(table["indicator_id"] == "kres-cocuk-binde") & (table["breakdown"] == "district")]
    got = got.set_index([C.FISCAL_YEAR, C.DISTRICT])
    assert len(got) == 2 * 39
    expected = (1000 * krs.reindex(children.index, fill_value=0) / children).rename("value")
    pd.testing.assert_series_equal(
        got["value"].astype(float).sort_index(),
        expected.sort_index(),
        check_names=False,
        check_index_type=False,
    )
    # the planted gap: the four outer districts are far below the city rate
    city = table.loc[(table["indicator_id"] == "kres-cocuk-binde") & (table["breakdown"] == "")]
    city_2024 = city.set_index(C.FISCAL_YEAR).loc[2024, "value"]
    for district in ("Arnavutköy", "Çatalca", "Silivri", "Şile"):
        assert got.loc[(2024, district), "value"] < 0.6 * city_2024


def test_distinct_users_vs_records_on_the_support_line(table, usage):
    calls = table.loc[(table["indicator_id"] == "destek-hatti-arama") & (table["breakdown"] == "")]
    women = table.loc[(table["indicator_id"] == "destek-hatti-kadin") & (table["breakdown"] == "")]
    dht = usage.loc[usage[C.SERVICE_CODE] == "DHT"]
    assert list(calls["value"]) == list(dht.groupby(C.FISCAL_YEAR).size())
    female = dht.loc[dht[C.SEX] == "female"].groupby(C.FISCAL_YEAR)[C.PERSON_ID].nunique()
    assert list(women["value"]) == list(female)
    assert (calls["value"].to_numpy() > women["value"].to_numpy()).all()


def test_compute_accepts_the_file_path(usage):
    population = pd.read_parquet(paths.demo() / "population.parquet")
    out = compute_indicators(
        usage.loc[usage[C.SERVICE_CODE] == "SIG"], SHIPPED, population=population, years=[2024]
    )
    sig = out.loc[(out["indicator_id"] == "dayanisma-evi-kadin") & (out["breakdown"] == "")]
    women = (usage[C.SERVICE_CODE] == "SIG") & (usage[C.FISCAL_YEAR] == 2024) & (usage[C.SEX] == C.FEMALE)
    assert sig["value"].iloc[0] == usage.loc[women, C.PERSON_ID].nunique()


def test_definitions_computed_in_threads_equal_one_by_one(table, definitions, usage, monkeypatch):
    # the demo's 325,813 records are computed in threads (from 200,000 records); one by one must be identical
    from gcdb.scale import executors

    assert len(usage) >= executors.THREADED_ROWS
    monkeypatch.setattr(executors, "THREADED_ROWS", len(usage) + 1)
    population = pd.read_parquet(paths.demo() / "population.parquet")
    one_by_one = compute_indicators(usage, definitions, population=population, years=[2023, 2024])
    pd.testing.assert_frame_equal(table, one_by_one)


def test_dense_and_hashed_cells_count_alike(table, definitions, usage, monkeypatch):
    # counts into a dense table of every cell (the default here) and over the cells numbered by hashing: identical
    from gcdb.indicators import compute

    monkeypatch.setattr(compute, "_DENSE_CELLS", 0)
    population = pd.read_parquet(paths.demo() / "population.parquet")
    hashed = compute_indicators(usage, definitions, population=population, years=[2023, 2024])
    pd.testing.assert_frame_equal(table, hashed)


def test_records_picked_by_mask_or_by_position_count_alike(table, definitions, usage, monkeypatch):
    # up to _POSITIONS_ROWS records by their positions (the default here), above by a boolean mask: identical
    from gcdb.indicators import compute

    monkeypatch.setattr(compute, "_POSITIONS_ROWS", 0)
    population = pd.read_parquet(paths.demo() / "population.parquet")
    masked = compute_indicators(usage, definitions, population=population, years=[2023, 2024])
    pd.testing.assert_frame_equal(table, masked)
