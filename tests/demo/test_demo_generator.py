"""The demo generator: determinism, sizes and invariants of the committed SYNTHETIC demo municipality."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from gcdb import columns as C
from gcdb.text import tr_upper

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "datasets" / "demo"
GENERATOR = DEMO / "generate.py"
REFERENCE = ROOT / "datasets" / "reference"
PARQUETS = ("population.parquet", "budget.parquet", "usage.parquet")


# ---------------------------------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """Run the generator (as a script, with its default seed) into a fresh folder."""
    out = tmp_path_factory.mktemp("demo_run")
    proc = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(out)], cwd=ROOT, capture_output=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return out


def _created_by(path: Path) -> str:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.created_by


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return pd.read_parquet(DEMO / "population.parquet")


@pytest.fixture(scope="module")
def budget() -> pd.DataFrame:
    return pd.read_parquet(DEMO / "budget.parquet")


@pytest.fixture(scope="module")
def usage() -> pd.DataFrame:
    return pd.read_parquet(DEMO / "usage.parquet")


@pytest.fixture(scope="module")
def planted() -> dict:
    return yaml.safe_load((DEMO / "planted_gaps.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def districts() -> list[str]:
    return pd.read_csv(REFERENCE / "istanbul_districts.csv")["district"].tolist()


@pytest.fixture(scope="module")
def services() -> pd.DataFrame:
    return pd.read_csv(DEMO / "services.csv", dtype=str, keep_default_na=False)


def _files(folder: Path) -> list[str]:
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file()
        and not p.name.startswith("generate")  # generate.py and the other generators (monitoring, costing)
        and "__pycache__" not in p.parts
        and p.relative_to(folder).parts[0] not in ("monitoring", "costing")  # tested with their generators
    )


# ---------------------------------------------------------------------------------------------------------------
# determinism
# ---------------------------------------------------------------------------------------------------------------
def test_regeneration_reproduces_the_committed_files(generated):
    """Text files byte for byte; parquet byte for byte when written by the same pyarrow, else frame-equal."""
    assert _files(generated) == _files(DEMO)
    for name in _files(DEMO):
        new, old = generated / name, DEMO / name
        same_bytes = new.read_bytes() == old.read_bytes()
        if name.endswith(".parquet"):
            if _created_by(new) == _created_by(old):
                assert same_bytes, name
            else:  # pragma: no cover - only after a pyarrow upgrade
                pd.testing.assert_frame_equal(pd.read_parquet(new), pd.read_parquet(old))
        elif name.endswith(".xlsx"):
            if not same_bytes:  # pragma: no cover - only after an xlsxwriter upgrade
                pd.testing.assert_frame_equal(pd.read_excel(new), pd.read_excel(old))
        else:  # csv, yaml, md
            assert same_bytes, name


def test_parquet_files_carry_no_pandas_metadata_and_use_zstd():
    import pyarrow.parquet as pq

    for name in PARQUETS:
        meta = pq.ParquetFile(DEMO / name).metadata
        assert meta.metadata is None or b"pandas" not in meta.metadata
        assert meta.num_row_groups == 1
        assert meta.row_group(0).column(0).compression == "ZSTD"


def test_another_seed_gives_other_data():
    import importlib.util

    spec = importlib.util.spec_from_file_location("gcdb_demo_generate", GENERATOR)
    generate = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generate  # dataclasses look their module up there
    dont_write, sys.dont_write_bytecode = sys.dont_write_bytecode, True  # no __pycache__ in datasets/demo
    try:
        spec.loader.exec_module(generate)
    finally:
        del sys.modules[spec.name]
        sys.dont_write_bytecode = dont_write
    districts = generate.read_districts()
    a = generate.build_population(np.random.default_rng(1), districts).frame
    b = generate.build_population(np.random.default_rng(1), districts).frame
    c = generate.build_population(np.random.default_rng(2), districts).frame
    pd.testing.assert_frame_equal(a, b)
    assert not a[C.POPULATION].equals(c[C.POPULATION])


# ---------------------------------------------------------------------------------------------------------------
# sizes
# ---------------------------------------------------------------------------------------------------------------
def test_sizes(population, budget, usage, services):
    assert len(usage) >= 200_000
    assert usage[C.PERSON_ID].nunique() < len(usage)
    per_year = budget.groupby(C.FISCAL_YEAR).size()
    assert list(per_year.index) == [2023, 2024]
    assert per_year.between(2500, 4000).all()
    assert len(services) >= 12
    n_nb = population[[C.DISTRICT, C.NEIGHBOURHOOD]].drop_duplicates().shape[0]
    assert len(population) == 2 * n_nb * 2 * len(C.DEFAULT_AGE_BANDS.labels)
    total = sum(p.stat().st_size for p in DEMO.rglob("*") if p.is_file())
    assert total < 8_000_000


# ---------------------------------------------------------------------------------------------------------------
# population
# ---------------------------------------------------------------------------------------------------------------
def test_population_shape_and_invariants(population, districts):
    assert tuple(population.columns) == C.POPULATION_COLUMNS
    for col in (C.FISCAL_YEAR, C.POPULATION, C.DISABLED_POPULATION, C.MIGRANT_POPULATION):
        assert population[col].dtype == np.int64
    assert sorted(population[C.DISTRICT].unique()) == sorted(districts)
    assert set(population[C.SEX].unique()) == {C.FEMALE, C.MALE}
    assert set(population[C.AGE_BAND].unique()) == set(C.DEFAULT_AGE_BANDS.labels)
    assert (population[C.POPULATION] > 0).all()
    assert (population[C.DISABLED_POPULATION] >= 0).all()
    assert (population[C.DISABLED_POPULATION] <= population[C.POPULATION]).all()
    assert (population[C.MIGRANT_POPULATION] <= population[C.POPULATION]).all()
    assert not population.duplicated([C.FISCAL_YEAR, C.DISTRICT, C.NEIGHBOURHOOD, C.SEX, C.AGE_BAND]).any()
    per_district = population.groupby(C.DISTRICT)[C.NEIGHBOURHOOD].nunique()
    assert per_district.between(4, 12).all()


def test_population_is_plausible(population):
    p23 = population[population[C.FISCAL_YEAR] == 2023]
    ref = pd.read_csv(REFERENCE / "istanbul_districts.csv").set_index("district")["approx_population"]
    sizes = p23.groupby(C.DISTRICT)[C.POPULATION].sum()
    assert ((sizes / ref.reindex(sizes.index)).sub(1).abs() < 0.01).all()  # the demo uses the full sizes
    share = p23.pivot_table(index=C.DISTRICT, columns=C.AGE_BAND, values=C.POPULATION, aggfunc="sum")
    share = share.div(share.sum(axis=1), axis=0)
    for young in ("Esenyurt", "Sultanbeyli", "Arnavutköy"):
        for old in ("Kadıköy", "Beşiktaş", "Adalar"):
            assert share.at[young, "0-4"] > 1.8 * share.at[old, "0-4"]
            assert share.at[old, "65+"] > 2.5 * share.at[young, "65+"]
    disabled = p23[C.DISABLED_POPULATION].sum() / p23[C.POPULATION].sum()
    assert 0.05 < disabled < 0.07
    by_band = p23.groupby(C.AGE_BAND)[[C.DISABLED_POPULATION, C.POPULATION]].sum()
    rate = by_band[C.DISABLED_POPULATION] / by_band[C.POPULATION]
    assert rate["65+"] > rate["45-64"] > rate["25-44"] > rate["0-4"]
    mig = p23.groupby(C.DISTRICT)[[C.MIGRANT_POPULATION, C.POPULATION]].sum()
    mig_share = mig[C.MIGRANT_POPULATION] / mig[C.POPULATION]
    top = set(mig_share.nlargest(7).index)
    assert top == {"Esenyurt", "Fatih", "Zeytinburnu", "Esenler", "Bağcılar", "Sultanbeyli", "Küçükçekmece"}


def test_neighbourhoods_csv_matches_population(population):
    nb = pd.read_csv(DEMO / "neighbourhoods.csv")
    assert list(nb.columns) == [C.DISTRICT, C.NEIGHBOURHOOD, "approx_population"]
    pairs = population[[C.DISTRICT, C.NEIGHBOURHOOD]].drop_duplicates().reset_index(drop=True)
    pd.testing.assert_frame_equal(nb[[C.DISTRICT, C.NEIGHBOURHOOD]], pairs, check_dtype=False)
    p24 = population[population[C.FISCAL_YEAR] == 2024].groupby([C.DISTRICT, C.NEIGHBOURHOOD], sort=False)
    sums = p24[C.POPULATION].sum().to_numpy()
    assert (np.abs(nb["approx_population"].to_numpy() - sums) <= 50).all()


# ---------------------------------------------------------------------------------------------------------------
# budget
# ---------------------------------------------------------------------------------------------------------------
def test_budget_columns_and_dtypes(budget):
    expected = [c for c in C.BUDGET_COLUMNS if c != C.QUARTER]
    assert list(budget.columns) == expected
    for col in (C.FISCAL_YEAR, C.LINE_ID, *C.PHASES):
        assert budget[col].dtype == np.int64
    for col in C.PHASES:
        assert (budget[col] >= 0).all()
    for year, lines in budget.groupby(C.FISCAL_YEAR):
        assert lines[C.LINE_ID].tolist() == list(range(1, len(lines) + 1)), year


def test_budget_codes_are_real_shaped(budget):
    units = set(pd.read_csv(REFERENCE / "units.csv")["name"])
    assert set(budget[C.UNIT_NAME]) <= units
    assert budget[C.INSTITUTIONAL_CODE].str.fullmatch(r"46\.34\.01\.\d\d").all()
    assert (budget.groupby(C.INSTITUTIONAL_CODE)[C.UNIT_NAME].nunique() == 1).all()
    assert (budget.groupby(C.UNIT_NAME)[C.INSTITUTIONAL_CODE].nunique() == 1).all()
    assert budget[C.FUNCTIONAL_CODE].str.fullmatch(r"\d\d\.\d\.\d\.00").all()
    assert budget[C.ECONOMIC_CODE].str.fullmatch(r"0\d\.\d\.\d\.\d\d").all()
    assert set(budget[C.FINANCING_TYPE]) == {"5", "7", "8"}
    assert (budget[C.FINANCING_TYPE] == "5").mean() > 0.9
    assert budget[C.ACTIVITY_CODE].str.fullmatch(r"F\d{4}").all()
    capital = budget[C.ECONOMIC_CODE].str.startswith("06")
    assert budget.loc[capital, C.PROJECT_CODE].notna().all()
    assert budget.loc[~capital, C.PROJECT_CODE].isna().all()
    desc = budget[C.DESCRIPTION]
    assert (desc.map(tr_upper) == desc).all()  # Turkish upper case, with İ and I
    assert desc.str.contains("İ").any() and desc.str.contains("I").any()
    for text in ("KADIN DAYANIŞMA EVİ İAŞE GİDERLERİ", "YUVAMIZ İSTANBUL KREŞLERİ PERSONEL HİZMET ALIMI",
                 "SOSYAL YARDIM NAKDİ ÖDEMELER", "EVDE BAKIM HİZMETLERİ", "MESLEK EDİNDİRME KURSLARI (İSMEK)",
                 "ENGELLİ BİREYLER ULAŞIM HİZMETİ", "SPOR MERKEZLERİ İŞLETME GİDERLERİ", "PARK AYDINLATMA",
                 "KADIN KOOPERATİFLERİNE DESTEK", "İÇ BORÇ FAİZ GİDERLERİ", "YAZILIM LİSANS BEDELLERİ"):  # fmt: skip
        assert (desc == text).sum() == 2, text  # in both years


def test_budget_amounts_are_realistic(budget):
    initial = budget[C.INITIAL_APPROPRIATION]
    positive = initial[initial > 0]
    assert positive.min() < 10_000 * 100  # a few thousand TL …
    assert positive.max() > 500_000_000 * 100  # … to hundreds of millions of TL
    assert (budget[C.EXPENDITURE] % 100 != 0).mean() > 0.5  # non-zero kuruş parts
    totals = budget.groupby(C.FISCAL_YEAR)[C.INITIAL_APPROPRIATION].sum()
    assert 1.4 < totals[2024] / totals[2023] < 1.8
    revised = budget[C.REVISED_APPROPRIATION]
    ratio = (revised / initial)[initial > 0]
    assert ((ratio == 0).sum()) >= 10  # some lines revised to zero
    assert ((initial == 0) & (revised > 0)).sum() >= 10  # some lines added in-year
    assert ratio[ratio > 0].between(0.14, 1.31).all()  # ±30 %, plus the planted cuts
    execution = (budget[C.EXPENDITURE] / revised)[revised > 0]
    assert execution.between(0.6, 1.0).mean() > 0.85


def test_expenditure_exceeds_revised_only_on_the_documented_lines(budget, planted):
    over = budget[budget[C.EXPENDITURE] > budget[C.REVISED_APPROPRIATION]]
    found = set(zip(over[C.FISCAL_YEAR], over[C.LINE_ID], strict=True))
    documented = {(o[C.FISCAL_YEAR], o[C.LINE_ID]) for o in planted["budget_overspend"]}
    assert found == documented
    assert 2 <= len(documented) <= 6


def test_budget_diversions_are_exactly_the_planted_lines(budget, planted):
    b = budget.set_index([C.FISCAL_YEAR, C.LINE_ID])
    for d in planted["budget_diversions"]:
        row = b.loc[(d[C.FISCAL_YEAR], d[C.LINE_ID])]
        assert row[C.DESCRIPTION] == d[C.DESCRIPTION]
        assert row[C.UNIT_NAME] == d[C.UNIT_NAME]
        for phase in C.PHASES:
            assert row[phase] == d[phase]
        assert d["kind"] in ("revised_to_zero", "revised_down", "not_executed")
        if d["kind"] == "revised_to_zero":
            assert row[C.INITIAL_APPROPRIATION] > 0 and row[C.REVISED_APPROPRIATION] == 0
        elif d["kind"] == "revised_down":
            assert row[C.REVISED_APPROPRIATION] < 0.5 * row[C.INITIAL_APPROPRIATION]
        else:
            assert row[C.EXPENDITURE] < 0.1 * row[C.REVISED_APPROPRIATION]
    generic = set(planted["generic_descriptions"])
    scope = ~budget[C.DESCRIPTION].isin(generic) | budget[C.FUNCTIONAL_CODE].str.startswith(
        ("10.", "09.", "07.")
    )
    s = budget[scope]
    signal = (
        (s[C.INITIAL_APPROPRIATION] <= 0)
        | (s[C.REVISED_APPROPRIATION] < 0.92 * s[C.INITIAL_APPROPRIATION])
        | (s[C.EXPENDITURE] < 0.78 * s[C.REVISED_APPROPRIATION] - 1)
    )
    found = set(zip(s.loc[signal, C.FISCAL_YEAR], s.loc[signal, C.LINE_ID], strict=True))
    assert found == {(d[C.FISCAL_YEAR], d[C.LINE_ID]) for d in planted["budget_diversions"]}
    assert len(found) >= 6
    described = set(budget[C.DESCRIPTION])
    for text in planted["gender_relevant_descriptions"]:
        assert text in described or any(x.startswith(text) for x in described), text


# ---------------------------------------------------------------------------------------------------------------
# usage
# ---------------------------------------------------------------------------------------------------------------
def test_usage_columns_and_codes(usage, districts, services, budget):
    assert tuple(usage.columns) == C.USAGE_COLUMNS
    for col in (C.FISCAL_YEAR, C.AGE, C.QUANTITY):
        assert usage[col].dtype == np.int64
    assert usage[C.DATE].dtype.kind == "M"
    assert usage[C.RECORD_ID].is_unique
    assert usage[C.RECORD_ID].str.fullmatch(r"R\d{8}").all()
    assert usage[C.PERSON_ID].str.fullmatch(r"P\d{7}").all()
    assert usage[C.DATE].is_monotonic_increasing  # records are numbered in date order
    assert (usage[C.DATE].dt.year == usage[C.FISCAL_YEAR]).all()
    assert set(usage[C.FISCAL_YEAR].unique()) == {2023, 2024}
    assert set(usage[C.SEX].unique()) <= set(C.SEX_CODES)
    assert set(usage[C.DISABILITY].unique()) == {C.YES, C.NO, C.UNKNOWN}
    assert set(usage[C.MIGRANT_STATUS].unique()) == set(C.MIGRANT_CODES)
    assert set(usage[C.DISTRICT].unique()) == set(districts)
    assert (usage[C.QUANTITY] >= 1).all()
    bands = C.DEFAULT_AGE_BANDS
    idx = np.searchsorted(np.array(bands.lower), usage[C.AGE].to_numpy(), side="right") - 1
    assert (np.array(bands.labels, dtype=object)[idx] == usage[C.AGE_BAND].to_numpy()).all()
    assert usage[C.AGE].between(0, 99).all()
    # catalogue consistency
    cat = services.set_index(C.SERVICE_CODE)
    assert set(usage[C.SERVICE_CODE].unique()) == set(cat.index)
    pairs = usage[[C.SERVICE_CODE, C.SERVICE_NAME, C.UNIT_NAME]].drop_duplicates().set_index(C.SERVICE_CODE)
    assert (pairs[C.SERVICE_NAME] == cat.loc[pairs.index, C.SERVICE_NAME]).all()
    assert (pairs[C.UNIT_NAME] == cat.loc[pairs.index, C.UNIT_NAME]).all()
    assert set(cat[C.UNIT_NAME]) <= set(budget[C.UNIT_NAME])
    nb = set(pd.read_csv(DEMO / "neighbourhoods.csv").itertuples(index=False, name=None))
    used = set(usage[[C.DISTRICT, C.NEIGHBOURHOOD]].drop_duplicates().itertuples(index=False, name=None))
    assert {(d, n) for d, n, _ in nb} >= used


def test_persons_are_consistent_and_reuse_services(usage):
    attrs = [C.SERVICE_CODE, C.SEX, C.AGE, C.DISABILITY, C.MIGRANT_STATUS, C.DISTRICT, C.NEIGHBOURHOOD]
    profiles = usage.drop_duplicates([C.PERSON_ID, C.FISCAL_YEAR, *attrs])
    assert not profiles.duplicated([C.PERSON_ID, C.FISCAL_YEAR]).any()  # one profile (and service) per year
    both = usage.groupby(C.PERSON_ID)[C.FISCAL_YEAR].nunique()
    returning = both[both == 2].index
    assert len(returning) > 5_000
    r = usage[usage[C.PERSON_ID].isin(returning)].drop_duplicates([C.PERSON_ID, C.FISCAL_YEAR])
    ages = r.pivot(index=C.PERSON_ID, columns=C.FISCAL_YEAR, values=C.AGE)
    assert (ages[2024] == ages[2023] + 1).all()
    assert usage.groupby(C.SERVICE_CODE)[C.PERSON_ID].nunique().lt(usage[C.SERVICE_CODE].value_counts()).any()


def test_usage_follows_the_service_design(usage):
    u = usage.drop_duplicates([C.SERVICE_CODE, C.PERSON_ID, C.FISCAL_YEAR])
    svc = {code: f for code, f in u.groupby(C.SERVICE_CODE)}
    # users inside each service's eligibility, and a few planted outside it (data-quality findings)
    assert (svc["SIG"][C.SEX] == C.MALE).sum() <= 40 and set(svc["KOP"][C.SEX].unique()) == {C.FEMALE}
    assert svc["SIG"][C.AGE].min() >= 18
    krs_age = svc["KRS"][C.AGE]
    assert krs_age.between(2, 6).all() and 0 < (krs_age == 2).sum() < 0.02 * len(krs_age)  # ages 3–6, a few 2
    assert (svc["ENU"][C.DISABILITY] == C.NO).sum() <= 40
    yas = svc["YAS"][C.AGE_BAND]
    assert set(yas.unique()) == {"45-64", "65+"} and (yas == "45-64").sum() <= 40
    assert (svc["DHT"][C.SEX] == C.MALE).sum() <= 100 and (svc["SAG"][C.AGE] < 45).sum() <= 60
    women_share = (svc["SYD"][C.SEX] == C.FEMALE).mean()
    assert 0.80 < women_share < 0.88  # the plan reports 83.83 % women among SEDEP beneficiaries
    office = usage[
        usage[C.SERVICE_CODE].isin(["KRS", "MEK", "SYD", "HUK", "SAG", "IKK", "YAS", "EVB", "KOP"])
    ]
    assert (office[C.DATE].dt.day_of_week < 5).all()
    krs_months = usage.loc[usage[C.SERVICE_CODE] == "KRS", C.DATE].dt.month.value_counts()
    assert krs_months.idxmax() == 9  # crèche enrolments peak in September


def test_services_catalogue(services):
    assert list(services.columns) == [
        C.SERVICE_CODE, C.SERVICE_NAME, C.UNIT_NAME, "service_group", "target_group", "quantity_unit", "yeep_action",
        "eligible_age_min", "eligible_age_max", "eligible_sex", "eligible_disability", "eligible_migrant",
        "eligible_districts",
    ]  # fmt: skip
    assert services.set_index(C.SERVICE_CODE).loc[
        "KRS", ["eligible_age_min", "eligible_age_max"]
    ].tolist() == ["3", "6"]
    assert services[C.SERVICE_CODE].is_unique
    assert services[C.SERVICE_CODE].str.fullmatch(r"[A-Z]{3}").all()
    actions = services["yeep_action"][services["yeep_action"] != ""]
    assert actions.map(lambda a: re.fullmatch(r"A\d+H\d+E\d+", a) is not None).all()
    assert (services["quantity_unit"] != "").all()


def test_readmes_say_synthetic(planted):
    assert "SYNTHETIC" in (DEMO / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in (DEMO / "messy" / "README.md").read_text(encoding="utf-8")
    assert planted["synthetic"] is True
    assert planted["seed"] == 20240308
