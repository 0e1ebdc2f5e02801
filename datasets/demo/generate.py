#!/usr/bin/env python
"""Generate gcdb's embedded demo municipality — SYNTHETIC data, no real person and no real budget.

Usage::

    python datasets/demo/generate.py [--out DIR] [--seed N]

Writes, into ``DIR`` (default: the folder of this script), the committed demo files: ``population.parquet``,
``budget.parquet``, ``usage.parquet``, ``services.csv``, ``neighbourhoods.csv``, ``planted_gaps.yaml``,
``README.md`` and the messy real-format copies under ``messy/``. The same seed gives byte-identical files with the
same library versions (numpy ``default_rng`` streams spawned from one ``SeedSequence``; parquet written by pyarrow
without pandas metadata; xlsx with a fixed creation date).

The demo is İstanbul-shaped: the 39 districts of ``datasets/reference/istanbul_districts.csv`` at their approximate
sizes, real neighbourhood names (TÜİK), the departments that İBB's YEEP 2021–2024 names as responsible units (canonical
names of ``datasets/reference/units.csv``), budget lines in the analytic budget classification, and service-usage
records drawn from population × service propensities with **planted gaps** (documented in
``planted_gaps.yaml``) and groups **planted as equal**.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gcdb import columns as C  # noqa: E402
from gcdb.text import tr_upper  # noqa: E402

#: Default seed: 8 March 2024, International Women's Day.
SEED = 20240308
YEARS = (2023, 2024)
BANDS = C.DEFAULT_AGE_BANDS.labels  # ('0-4', '5-14', '15-24', '25-44', '45-64', '65+')
BAND_LO = np.array(C.DEFAULT_AGE_BANDS.lower)
BAND_HI = np.array([*(np.array(C.DEFAULT_AGE_BANDS.lower[1:]) - 1), 99])
N_BANDS = len(BANDS)
SEXES = (C.FEMALE, C.MALE)
NON_CITIZEN = (C.MIGRANT, C.REFUGEE, C.TEMPORARY_PROTECTION)
#: Share of each non-citizen status among migrant users (assigned per person).
NON_CITIZEN_P = np.array([0.30, 0.15, 0.55])
#: Probability that a person's disability / migrant status is recorded as unknown.
UNKNOWN_P = 0.01

INSTITUTION = "46.34.01"  # 46 = municipalities, 34 = İstanbul, 01 = metropolitan municipality
XLSX_CREATED = dt.datetime(2024, 3, 8)
USAGE_SAMPLE_ROWS = 2000

# =================================================================================================================
# Population
# =================================================================================================================
#: Youth index of a district: > 0 younger than the city (more children, fewer 65+), < 0 older.
YOUTH = {
    "Esenyurt": 1.0, "Sultanbeyli": 1.0, "Arnavutköy": 0.9, "Esenler": 0.7, "Sultangazi": 0.7, "Bağcılar": 0.6,
    "Başakşehir": 0.6, "Sancaktepe": 0.6, "Gaziosmanpaşa": 0.5, "Çekmeköy": 0.4, "Pendik": 0.3, "Tuzla": 0.3,
    "Küçükçekmece": 0.3, "Beylikdüzü": 0.3, "Ümraniye": 0.3, "Zeytinburnu": 0.2, "Kağıthane": 0.2, "Avcılar": 0.2,
    "Güngören": 0.0, "Bayrampaşa": 0.0, "Büyükçekmece": 0.0, "Beyoğlu": -0.1, "Eyüpsultan": -0.1,
    "Bahçelievler": -0.1, "Ataşehir": -0.2, "Kartal": -0.2, "Beykoz": -0.2, "Silivri": -0.2, "Fatih": -0.3,
    "Çatalca": -0.3, "Maltepe": -0.4, "Şile": -0.4, "Üsküdar": -0.5, "Sarıyer": -0.5, "Şişli": -0.6,
    "Bakırköy": -0.9, "Kadıköy": -1.0, "Beşiktaş": -1.0, "Adalar": -1.1,
}  # fmt: skip
BASE_BAND_SHARE = np.array([0.060, 0.138, 0.148, 0.335, 0.222, 0.097])
YOUTH_SLOPE = np.array([0.55, 0.35, 0.12, -0.02, -0.25, -0.75])
FEMALE_SHARE = np.array([0.487, 0.487, 0.492, 0.497, 0.503, 0.553])
DISABLED_RATE = np.array([0.010, 0.024, 0.030, 0.040, 0.078, 0.195])
#: Share of non-citizens (migrants, refugees, temporary protection) by district; others get DEFAULT_MIGRANT.
MIGRANT_SHARE = {
    "Esenyurt": 0.21, "Fatih": 0.19, "Zeytinburnu": 0.18, "Esenler": 0.17, "Bağcılar": 0.16, "Sultanbeyli": 0.16,
    "Küçükçekmece": 0.14, "Başakşehir": 0.12, "Beyoğlu": 0.11, "Avcılar": 0.10, "Sultangazi": 0.10,
    "Bahçelievler": 0.09, "Güngören": 0.09, "Arnavutköy": 0.08, "Gaziosmanpaşa": 0.08, "Bayrampaşa": 0.07,
    "Şişli": 0.07, "Pendik": 0.06, "Kağıthane": 0.06, "Adalar": 0.02, "Şile": 0.02,
    "Çatalca": 0.03, "Silivri": 0.04,
}  # fmt: skip
DEFAULT_MIGRANT = 0.045
MIGRANT_AGE = np.array([1.25, 1.25, 1.30, 1.20, 0.70, 0.35])

#: Each district draws 4–12 of its real neighbourhoods (TÜİK's list in ``datasets/reference/
#: istanbul_neighbourhoods.csv``, those in use in every demo year), names without " Mah.". The draw has its own
#: generator so that the population numbers do not depend on it; the population stream makes the same calls as
#: when names came from a fixed pool of ``POOL_SIZE``.
POOL_SIZE = 75
NAMES_SEED = 20240308


def real_neighbourhoods() -> dict[str, list[str]]:
    """District (gcdb's canonical name) → its neighbourhoods in use in every demo year, in TÜİK's order."""
    from gcdb import places

    ref = places.neighbourhoods()
    first, last = min(YEARS), max(YEARS)
    in_use = ((ref["first_seen"] <= first) | (ref["first_seen"] == places.SERIES_FIRST)) & (
        (ref["last_seen"] >= last) | (ref["last_seen"] == places.SERIES_LAST)
    )
    ref = ref[in_use]
    return {d: list(g[C.NEIGHBOURHOOD]) for d, g in ref.groupby(C.DISTRICT, sort=False)}


@dataclass
class Population:
    frame: pd.DataFrame  # canonical population table (POPULATION_COLUMNS)
    districts: list[str]
    neighbourhoods: pd.DataFrame  # district, neighbourhood (one row per neighbourhood, stable order)


def read_districts() -> pd.DataFrame:
    path = ROOT / "datasets" / "reference" / "istanbul_districts.csv"
    frame = pd.read_csv(path, dtype={"district_code": "str"})
    return frame.sort_values("district_code", kind="stable").reset_index(drop=True)


def build_population(rng: np.random.Generator, districts: pd.DataFrame) -> Population:
    names = districts[C.DISTRICT].tolist()
    sizes = districts["approx_population"].to_numpy(dtype=float)
    youth = np.array([YOUTH[d] for d in names]) + rng.normal(0.0, 0.03, len(names))
    growth = 0.008 + 0.015 * np.array([YOUTH[d] for d in names]) + rng.normal(0.0, 0.004, len(names))
    mig_share = np.array([MIGRANT_SHARE.get(d, DEFAULT_MIGRANT) for d in names])
    dis_factor = 1.0 + rng.normal(0.0, 0.05, len(names))

    nb_rows: list[tuple[int, str, float, float]] = []  # district index, name, weight, youth offset
    real = real_neighbourhoods()
    for i, name in enumerate(names):
        k = int(np.clip(round(3 + 9 * np.sqrt(sizes[i] / sizes.max())), 4, 12))
        if name == "Adalar":
            k = 4
        else:
            rng.choice(POOL_SIZE, size=k, replace=False)  # keeps the population stream as it was
        pick = np.random.default_rng([NAMES_SEED, i]).choice(len(real[name]), size=k, replace=False)
        chosen = [real[name][j] for j in sorted(pick)]
        weights = rng.dirichlet(np.full(len(chosen), 5.0))
        offsets = rng.normal(0.0, 0.15, len(chosen))
        nb_rows += [(i, nb, w, o) for nb, w, o in zip(chosen, weights, offsets, strict=True)]
    nb_d = np.array([r[0] for r in nb_rows])
    nb_name = np.array([r[1] for r in nb_rows], dtype=object)
    nb_w = np.array([r[2] for r in nb_rows])
    nb_off = np.array([r[3] for r in nb_rows])
    n_nb = len(nb_rows)

    frames = []
    for y_i, year in enumerate(YEARS):
        total = sizes * (1.0 + growth) ** y_i
        y_idx = youth[nb_d] + nb_off - 0.02 * y_i  # the city ages a little
        band_share = BASE_BAND_SHARE * np.exp(np.outer(y_idx, YOUTH_SLOPE))
        band_share /= band_share.sum(axis=1, keepdims=True)  # (n_nb, bands)
        nb_total = total[nb_d] * nb_w
        female = np.clip(FEMALE_SHARE + rng.normal(0.0, 0.004, (n_nb, N_BANDS)), 0.45, 0.6)
        expected = np.stack(
            [nb_total[:, None] * band_share * female, nb_total[:, None] * band_share * (1 - female)]
        )
        pop = np.maximum(np.rint(expected), 1).astype(np.int64)  # (sex, nb, band)
        d_idx = np.broadcast_to(nb_d[None, :, None], pop.shape)
        b_idx = np.broadcast_to(np.arange(N_BANDS)[None, None, :], pop.shape)
        p_dis = np.clip(DISABLED_RATE[b_idx] * dis_factor[d_idx], 0, 0.5)
        disabled = rng.binomial(pop, p_dis)
        p_mig = np.clip(mig_share[d_idx] * (1.0 + 0.02 * y_i) * MIGRANT_AGE[b_idx], 0, 0.6)
        migrants = rng.binomial(pop, p_mig)
        # long format: year, district, neighbourhood, sex, band
        nb_i, s_i, b_i = np.meshgrid(np.arange(n_nb), np.arange(2), np.arange(N_BANDS), indexing="ij")
        nb_i, s_i, b_i = nb_i.ravel(), s_i.ravel(), b_i.ravel()
        frames.append(
            pd.DataFrame(
                {
                    C.FISCAL_YEAR: np.full(nb_i.size, year, dtype=np.int64),
                    "_d": nb_d[nb_i],
                    "_nb": nb_i,
                    "_s": s_i,
                    "_b": b_i,
                    C.POPULATION: pop[s_i, nb_i, b_i],
                    C.DISABLED_POPULATION: disabled[s_i, nb_i, b_i].astype(np.int64),
                    C.MIGRANT_POPULATION: migrants[s_i, nb_i, b_i].astype(np.int64),
                }
            )
        )
    long = pd.concat(frames, ignore_index=True)
    dist_arr = np.array(names, dtype=object)
    long[C.DISTRICT] = pd.Series(dist_arr[long["_d"].to_numpy()], dtype="str")
    long[C.NEIGHBOURHOOD] = pd.Series(nb_name[long["_nb"].to_numpy()], dtype="str")
    long[C.SEX] = pd.Series(np.array(SEXES, dtype=object)[long["_s"].to_numpy()], dtype="str")
    long[C.AGE_BAND] = pd.Series(np.array(BANDS, dtype=object)[long["_b"].to_numpy()], dtype="str")
    nbh = pd.DataFrame(
        {C.DISTRICT: pd.Series(dist_arr[nb_d], dtype="str"), C.NEIGHBOURHOOD: pd.Series(nb_name, dtype="str")}
    )
    return Population(frame=long, districts=names, neighbourhoods=nbh)


# =================================================================================================================
# Services and usage
# =================================================================================================================
SOSYAL = "Sosyal Hizmetler Daire Başkanlığı"
SAGLIK = "Sağlık Daire Başkanlığı"
IKE = "İnsan Kaynakları ve Eğitim Daire Başkanlığı"
ULASIM = "Ulaşım Daire Başkanlığı"
DESTEK = "Destek Hizmetleri Daire Başkanlığı"

#: Planted gap groups.
WOMEN65_DISTRICTS = ("Bağcılar", "Esenler", "Gaziosmanpaşa", "Güngören", "Sultangazi")
MIGRANT_GAP_DISTRICTS = ("Bağcılar", "Esenyurt", "Sultanbeyli", "Zeytinburnu")
CRECHE_GAP_DISTRICTS = ("Arnavutköy", "Çatalca", "Silivri", "Şile")
WOMEN65_MULT = 0.5
DISABLED_SPORT_MULT = 0.4
MIGRANT_MULT = 0.5
CRECHE_MULT = 0.35

FLAT = (1,) * 12


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    unit: str
    group: str
    target: str
    quantity_unit: str
    yeep_action: str
    female: tuple[float, ...]  # distinct users per resident per year, by age band
    male: tuple[float, ...]
    min_age: int = 0
    max_age: int = 99
    # who the service is for (the catalogue's eligibility columns); users outside it are planted on purpose,
    # a few per year, as data-quality findings (a man at the women's shelter, a 50-year-old at the day centre)
    eligible_age_min: int | None = None
    eligible_age_max: int | None = None
    eligible_sex: str = ""
    eligible_disability: str = ""
    stray_age: int | None = None  # an age outside the eligible range, given to a few users of its band
    stray_share: float = 0.0
    disability_mult: tuple[float, float] = (1.0, 1.0)  # (disabled, not disabled)
    records_lambda: float = 0.0  # records per user-year = 1 + Poisson(lambda), capped at 12
    retention: float = 0.0  # share of next-year users who are returning users (same person id)
    months: tuple[float, ...] = FLAT
    office: bool = True  # weekdays only
    quantity: tuple = ("const", 1)
    growth_2024: float = 1.05


SERVICES: tuple[Service, ...] = (
    Service(
        "KRS", "Yuvamız İstanbul Kreş Kaydı", SOSYAL, "Çocuk ve Aile", "3–6 yaş çocuklar", "ay", "A7H1E1",
        # 0.03 per eligible child: 2 of the 5 years of 0-4 and 2 of the 10 years of 5-14 are ages 3-6
        female=(0.012, 0.006, 0, 0, 0, 0), male=(0.012, 0.006, 0, 0, 0, 0), min_age=3, max_age=6,
        eligible_age_min=3, eligible_age_max=6, stray_age=2, stray_share=0.005,
        records_lambda=0.12, retention=0.55, months=(3, 2, 1, 1, 1, 1, 1, 1, 20, 8, 2, 1),
        quantity=("int", 3, 10), growth_2024=1.10,
    ),
    Service(
        "SIG", "Kadın Dayanışma Evi (Sığınak) Konaklama", SOSYAL, "Kadına Yönelik Şiddetle Mücadele",
        "Şiddete uğrayan kadınlar (18 yaş ve üzeri)", "gece", "A2H3E3",
        female=(0, 0, 0.00012, 0.00025, 0.00006, 0.00001), male=(0, 0, 0.000002, 0.000001, 0, 0), min_age=18,
        eligible_age_min=18, eligible_sex=C.FEMALE,
        records_lambda=0.1, retention=0.03, office=False, quantity=("geom", 40, 1, 180),
    ),
    Service(
        "DHT", "Kadın Destek Hattı (Şiddet Önleme)", SOSYAL, "Kadına Yönelik Şiddetle Mücadele",
        "Şiddete uğrayan veya risk altındaki kadınlar (16 yaş ve üzeri)", "dakika", "A2H3E2",
        female=(0, 0, 0.0016, 0.0025, 0.0012, 0.0003), male=(0, 0, 0.000003, 0.000002, 0.000002, 0),
        min_age=16, eligible_age_min=16, eligible_sex=C.FEMALE, records_lambda=0.3, retention=0.12, office=False,
        months=(1, 1, 1.1, 1, 1, 1, 1, 1, 1, 1, 1.4, 1), quantity=("lognormal", 12, 1, 90),
    ),
    Service(
        "SYD", "Sosyal Yardım (Nakdi Destek)", SOSYAL, "Sosyal Yardım",
        "İhtiyaç sahibi haneler (başvuran 18 yaş ve üzeri)", "TL", "",
        female=(0, 0, 0.0005, 0.0024, 0.0027, 0.0022), male=(0, 0, 0.00008, 0.0004, 0.00048, 0.0004),
        min_age=18, eligible_age_min=18, disability_mult=(1.5, 1.0), records_lambda=0.3, retention=0.5,
        months=(2, 1, 1, 1.5, 1, 1, 1, 1, 1.2, 1, 1, 1.5), quantity=("choice", (1000, 1500, 2000, 2500, 3000, 4000, 5000)),
    ),
    Service(
        "MEK", "Meslek Edindirme Kursu (İSMEK / Enstitü İstanbul)", IKE, "Eğitim ve İstihdam",
        "16 yaş ve üzeri kentliler", "saat", "",
        female=(0, 0, 0.0024, 0.0029, 0.0019, 0.0004), male=(0, 0, 0.0014, 0.0007, 0.00056, 0.00013),
        min_age=16, eligible_age_min=16, records_lambda=0.2, retention=0.3, months=(2, 6, 3, 1, 1, 0.5, 0.5, 0.5, 4, 7, 3, 1),
        quantity=("choice", (24, 32, 40, 48, 64, 80, 96, 120, 160)),
    ),
    Service(
        "EVB", "Evde Bakım ve Evde Sağlık Hizmeti", SAGLIK, "Sağlık ve Bakım",
        "Yatağa bağımlı, 65 yaş ve üzeri kentliler", "ziyaret", "A3H1E4",
        female=(0, 0, 0, 0, 0.000002, 0.0042), male=(0, 0, 0, 0, 0.000002, 0.0042), min_age=45,
        eligible_age_min=65, disability_mult=(2.0, 1.0), records_lambda=0.5, retention=0.6, quantity=("poisson1", 2.0, 8),
    ),
    Service(
        "SAG", "Sağlık Taraması (Kronik Hastalık Erken Tanı)", SAGLIK, "Sağlık ve Bakım",
        "45 yaş ve üzeri kentliler", "tarama", "",
        female=(0, 0, 0, 0.000002, 0.0022, 0.0045), male=(0, 0, 0, 0.000002, 0.0022, 0.0045), min_age=35,
        eligible_age_min=45,
        records_lambda=0.08, retention=0.3, months=(1, 1, 1.2, 1.3, 1.2, 1, 0.8, 0.8, 1, 1.3, 1.3, 0.9),
    ),
    Service(
        "ENU", "Engelli Bireyler Ulaşım Hizmeti", SOSYAL, "Engelli Hizmetleri", "Engelli kentliler", "yolculuk",
        "", female=(0.0006, 0.003, 0.0042, 0.0042, 0.0036, 0.003), male=(0.0006, 0.003, 0.0042, 0.0042, 0.0036, 0.003),
        disability_mult=(1.0, 0.0001), eligible_disability=C.YES, records_lambda=1.0, retention=0.7, office=False,
        quantity=("poisson1", 5.0, 30),
    ),
    Service(
        "IKK", "Ücretsiz / İndirimli İstanbulkart Başvurusu", ULASIM, "Ulaşım",
        "65 yaş ve üzeri, öğrenciler ve engelliler (7 yaş ve üzeri)", "kart", "",
        female=(0, 0.0004, 0.0014, 0, 0, 0.0032), male=(0, 0.0004, 0.0014, 0, 0, 0.0032), min_age=7,
        eligible_age_min=7,
        disability_mult=(2.0, 1.0), retention=0.08, months=(1, 1, 1, 1, 1, 1, 1, 1.5, 3, 1.8, 1, 1),
    ),
    Service(
        "SPR", "Spor Merkezi Üyeliği", DESTEK, "Spor", "5 yaş ve üzeri kentliler", "ay",
        "", female=(0, 0.0009, 0.0014, 0.0013, 0.0007, 0.00026), male=(0, 0.0009, 0.0014, 0.0013, 0.0007, 0.00026),
        min_age=6, eligible_age_min=5, records_lambda=0.3, retention=0.4, office=False,
        months=(1.3, 1, 1, 1, 1.2, 1.6, 1.8, 1.6, 1.2, 1, 0.9, 0.8),
        quantity=("choice_p", (1, 3, 6, 12), (0.35, 0.35, 0.2, 0.1)),
    ),
    Service(
        "HUK", "Hukuki Danışmanlık", SOSYAL, "Hukuki Destek", "18 yaş ve üzeri kentliler", "görüşme", "",
        female=(0, 0, 0.0003, 0.00045, 0.00045, 0.0003), male=(0, 0, 0.0003, 0.00045, 0.00045, 0.0003),
        min_age=18, eligible_age_min=18, records_lambda=0.3, retention=0.1, quantity=("poisson1", 0.5, 6),
    ),
    Service(
        "YAS", "Yaşlı Gündüz Bakım Merkezi", SAGLIK, "Yaşlı Hizmetleri", "65 yaş ve üzeri kentliler", "gün",
        "A7H1E6", female=(0, 0, 0, 0, 0.000002, 0.0017), male=(0, 0, 0, 0, 0.000002, 0.0017), records_lambda=0.8,
        eligible_age_min=65, retention=0.6, quantity=("int", 1, 22),
    ),
    Service(
        "KOP", "Kadın Kooperatiflerine Destek", SOSYAL, "Kadının Ekonomik Güçlenmesi",
        "Kadın kooperatiflerinin üyeleri (18 yaş ve üzeri kadınlar)", "TL", "A6H3E1",
        female=(0, 0, 0.00012, 0.0002, 0.0003, 0.00005), male=(0,) * 6, min_age=18, retention=0.4,
        eligible_age_min=18, eligible_sex=C.FEMALE,
        quantity=("choice", (5000, 10000, 15000, 20000, 30000, 50000)),
    ),
)  # fmt: skip
MONEY_QUANTITY = {"SYD", "KOP"}  # quantities in TL: inflate in 2024


def _age_text(age: int | None) -> str:
    return "" if age is None else str(age)


def inside_eligibility(usage: pd.DataFrame) -> np.ndarray:
    """Records inside their service's eligibility (the catalogue's columns): the planted users outside it are
    data-quality findings, left out of every planted rate."""
    keep = np.ones(len(usage), dtype=bool)
    for svc in SERVICES:
        rows = (usage[C.SERVICE_CODE] == svc.code).to_numpy()
        age = usage.loc[rows, C.AGE].to_numpy()
        ok = np.ones(int(rows.sum()), dtype=bool)
        if svc.eligible_age_min is not None:
            ok &= age >= svc.eligible_age_min
        if svc.eligible_age_max is not None:
            ok &= age <= svc.eligible_age_max
        if svc.eligible_sex:
            ok &= (usage.loc[rows, C.SEX] == svc.eligible_sex).to_numpy()
        if svc.eligible_disability:
            status = usage.loc[rows, C.DISABILITY].to_numpy()
            ok &= (status == svc.eligible_disability) | (status == C.UNKNOWN)
        keep[rows] = ok
    return keep


@dataclass
class Usage:
    frame: pd.DataFrame
    expected: pd.DataFrame  # service, year, grid cell, n, expected users (for expected rate ratios)


def _grid(pop: pd.DataFrame) -> pd.DataFrame:
    """Split each population cell into disabled × migrant sub-cells (independence within the cell)."""
    n = pop[C.POPULATION].to_numpy()
    d = pop[C.DISABLED_POPULATION].to_numpy()
    m = pop[C.MIGRANT_POPULATION].to_numpy()
    both = np.minimum(np.rint(d * m / n).astype(np.int64), np.minimum(d, m))
    both = np.maximum(both, d + m - n)  # keep every sub-cell non-negative
    parts = {
        (True, True): both,
        (True, False): d - both,
        (False, True): m - both,
        (False, False): n - d - m + both,
    }
    frames = []
    for (dis, mig), cnt in parts.items():
        if (cnt < 0).any():
            raise RuntimeError("negative sub-cell in the population grid")
        f = pop[[C.FISCAL_YEAR, "_d", "_nb", "_s", "_b"]].copy()
        f["_dis"] = dis
        f["_mig"] = mig
        f["_n"] = cnt
        frames.append(f)
    grid = pd.concat(frames, ignore_index=True)
    # a year-independent cell key (same for 2023 and 2024)
    grid["_cell"] = (
        ((grid["_nb"] * 2 + grid["_s"]) * N_BANDS + grid["_b"]) * 4 + grid["_dis"] * 2 + grid["_mig"]
    )
    return grid


def _planted(svc: Service, grid: pd.DataFrame, districts: list[str]) -> np.ndarray:
    mult = np.ones(len(grid))
    d_name = np.array(districts, dtype=object)[grid["_d"].to_numpy()]
    if svc.code in ("EVB", "SAG"):
        sel = np.isin(d_name, WOMEN65_DISTRICTS) & (grid["_s"].to_numpy() == 0) & (grid["_b"].to_numpy() == 5)
        mult[sel] *= WOMEN65_MULT
    if svc.code == "SPR":
        mult[grid["_dis"].to_numpy()] *= DISABLED_SPORT_MULT
    if svc.code in ("MEK", "SYD"):
        mult[np.isin(d_name, MIGRANT_GAP_DISTRICTS) & grid["_mig"].to_numpy()] *= MIGRANT_MULT
    if svc.code == "KRS":
        mult[np.isin(d_name, CRECHE_GAP_DISTRICTS)] *= CRECHE_MULT
    return mult


def _draw_ages(rng: np.random.Generator, svc: Service, band: np.ndarray) -> np.ndarray:
    lo = np.maximum(BAND_LO[band], svc.min_age)
    hi = np.minimum(BAND_HI[band], svc.max_age)
    uniform = lo + np.floor(rng.random(band.size) * (hi - lo + 1)).astype(np.int64)
    old = 65 + np.minimum(np.floor(rng.exponential(8.0, band.size)), 34).astype(np.int64)
    ages = np.where(band == N_BANDS - 1, np.maximum(old, lo), uniform).astype(np.int64)
    if svc.stray_age is not None and svc.stray_share > 0:  # a few users recorded below the eligible ages
        youngest = band == int(np.searchsorted(BAND_LO, svc.stray_age, side="right") - 1)
        stray = youngest & (rng.random(band.size) < svc.stray_share)
        ages = np.where(stray, svc.stray_age, ages)
    return ages


def _quantity(rng: np.random.Generator, svc: Service, n: int, year: np.ndarray) -> np.ndarray:
    kind, *args = svc.quantity
    if kind == "const":
        q = np.full(n, args[0], dtype=np.int64)
    elif kind == "int":
        q = rng.integers(args[0], args[1] + 1, n)
    elif kind == "geom":
        q = np.clip(rng.geometric(1.0 / args[0], n), args[1], args[2])
    elif kind == "lognormal":
        q = np.clip(np.rint(args[0] * np.exp(rng.normal(0, 0.7, n))), args[1], args[2])
    elif kind == "poisson1":
        q = np.minimum(1 + rng.poisson(args[0], n), args[1])
    elif kind == "choice":
        q = np.asarray(args[0])[rng.integers(0, len(args[0]), n)]
    elif kind == "choice_p":
        q = rng.choice(np.asarray(args[0]), size=n, p=np.asarray(args[1]))
    else:  # pragma: no cover - programming error
        raise ValueError(kind)
    q = q.astype(np.int64)
    if svc.code in MONEY_QUANTITY:  # 2024 amounts inflate by 60 %, rounded to 250 TL
        q = np.where(year == 2024, (np.rint(q * 1.6 / 250) * 250).astype(np.int64), q)
    return q


def _dates(rng: np.random.Generator, svc: Service, year: np.ndarray) -> np.ndarray:
    w = np.asarray(svc.months, dtype=float)
    month = rng.choice(12, size=year.size, p=w / w.sum())  # 0-based
    starts = {y: np.array([f"{y}-{m:02d}-01" for m in range(1, 13)], dtype="datetime64[D]") for y in YEARS}
    lengths = {y: np.array([calendar.monthrange(y, m)[1] for m in range(1, 13)]) for y in YEARS}
    date = np.empty(year.size, dtype="datetime64[D]")
    for y in YEARS:
        sel = year == y
        day = np.floor(rng.random(sel.sum()) * lengths[y][month[sel]]).astype(np.int64)
        date[sel] = starts[y][month[sel]] + day
    if svc.office:  # Saturday/Sunday → previous Friday (next Monday if that leaves the year)
        days = date.astype(np.int64)
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
        back = np.where(weekday == 5, 1, np.where(weekday == 6, 2, 0))
        shifted = date - back
        left_year = shifted.astype("datetime64[Y]").astype(np.int64) + 1970 != year
        date = np.where(left_year, date + (7 - weekday), shifted).astype("datetime64[D]")
    return date


def build_usage(rng: np.random.Generator, population: Population) -> Usage:
    grid = _grid(population.frame)
    districts = population.districts
    g_year = grid[C.FISCAL_YEAR].to_numpy()
    g_band = grid["_b"].to_numpy()
    g_sex = grid["_s"].to_numpy()
    g_dis = grid["_dis"].to_numpy()
    g_n = grid["_n"].to_numpy()

    user_frames = []
    expected_frames = []
    next_person = 0
    for s_i, svc in enumerate(SERVICES):
        base = np.where(g_sex == 0, np.asarray(svc.female)[g_band], np.asarray(svc.male)[g_band])
        p = base * np.where(g_dis, svc.disability_mult[0], svc.disability_mult[1])
        p = p * np.where(g_year == 2024, svc.growth_2024, 1.0) * _planted(svc, grid, districts)
        users = rng.binomial(g_n, p)
        expected_frames.append(
            pd.DataFrame(
                {
                    C.SERVICE_CODE: svc.code,
                    C.FISCAL_YEAR: g_year,
                    "_d": grid["_d"].to_numpy(),
                    "_s": g_sex,
                    "_b": g_band,
                    "_dis": g_dis,
                    "_mig": grid["_mig"].to_numpy(),
                    "_n": g_n,
                    "_expected": g_n * p,
                }
            )
        )
        rows = np.repeat(np.arange(len(grid)), users)
        u = grid.iloc[rows][[C.FISCAL_YEAR, "_d", "_nb", "_s", "_b", "_dis", "_mig", "_cell"]].reset_index(
            drop=True
        )
        u["_svc"] = s_i
        u[C.AGE] = _draw_ages(rng, svc, u["_b"].to_numpy())
        mig_status = np.where(
            u["_mig"].to_numpy(), rng.choice(np.arange(1, 4), size=len(u), p=NON_CITIZEN_P), 0
        )  # 0 citizen, 1 migrant, 2 refugee, 3 temporary protection
        u["_status"] = mig_status
        # returning users: a share of 2024 users are 2023 users of the same cell who stay in their age band
        is23 = (u[C.FISCAL_YEAR] == 2023).to_numpy()
        u23 = u[is23].copy()
        u23["_pos"] = np.flatnonzero(is23)
        elig = (u23[C.AGE] + 1 <= np.minimum(BAND_HI[u23["_b"].to_numpy()], svc.max_age)).to_numpy()
        u23 = u23[elig]
        u23 = u23.iloc[rng.permutation(len(u23))]
        u23["_rank"] = u23.groupby("_cell", sort=False).cumcount()
        u24 = u[~is23].copy()
        u24["_pos"] = np.flatnonzero(~is23)
        u24 = u24[rng.random(len(u24)) < svc.retention]
        u24["_rank"] = u24.groupby("_cell", sort=False).cumcount()
        match = u24[["_cell", "_rank", "_pos"]].merge(
            u23[["_cell", "_rank", "_pos"]], on=["_cell", "_rank"], suffixes=("_24", "_23")
        )
        pos24 = match["_pos_24"].to_numpy()
        pos23 = match["_pos_23"].to_numpy()
        age = u[C.AGE].to_numpy().copy()
        status = u["_status"].to_numpy().copy()
        age[pos24] = age[pos23] + 1
        status[pos24] = status[pos23]
        u[C.AGE] = age
        u["_status"] = status
        person = np.full(len(u), -1, dtype=np.int64)
        new = np.ones(len(u), dtype=bool)
        new[pos24] = False
        person[new] = np.arange(next_person, next_person + new.sum())
        person[pos24] = person[pos23]
        next_person += int(new.sum())
        u["_person"] = person
        user_frames.append(u)

    users = pd.concat(user_frames, ignore_index=True)
    # pseudonymous ids: a random permutation, so that ids carry no order of service or place
    id_of = rng.permutation(next_person) + 1
    users["_pid"] = id_of[users["_person"].to_numpy()]
    unknown_dis = rng.random(next_person) < UNKNOWN_P
    unknown_mig = rng.random(next_person) < UNKNOWN_P

    # records per user-year
    rec_frames = []
    for s_i, svc in enumerate(SERVICES):
        u = users[users["_svc"] == s_i]
        k = (
            1 + np.minimum(rng.poisson(svc.records_lambda, len(u)), 11)
            if svc.records_lambda
            else np.ones(len(u), int)
        )
        r = u.iloc[np.repeat(np.arange(len(u)), k)].reset_index(drop=True)
        year = r[C.FISCAL_YEAR].to_numpy()
        r["_date"] = _dates(rng, svc, year)
        r[C.QUANTITY] = _quantity(rng, svc, len(r), year)
        rec_frames.append(r)
    rec = pd.concat(rec_frames, ignore_index=True)
    tiebreak = rng.random(len(rec))
    order = np.lexsort((tiebreak, rec["_date"].to_numpy()))
    rec = rec.iloc[order].reset_index(drop=True)

    svc_arr = rec["_svc"].to_numpy()
    person = rec["_person"].to_numpy()
    codes = np.array([s.code for s in SERVICES], dtype=object)
    names = np.array([s.name for s in SERVICES], dtype=object)
    units = np.array([s.unit for s in SERVICES], dtype=object)
    dis = np.where(unknown_dis[person], C.UNKNOWN, np.where(rec["_dis"].to_numpy(), C.YES, C.NO))
    status_names = np.array([C.CITIZEN, *NON_CITIZEN], dtype=object)
    mig = np.where(unknown_mig[person], C.UNKNOWN, status_names[rec["_status"].to_numpy()])
    nb_names = population.neighbourhoods[C.NEIGHBOURHOOD].to_numpy(dtype=object)
    date = rec["_date"].to_numpy().astype("datetime64[us]")
    n = len(rec)
    ages = rec[C.AGE].to_numpy()
    band_idx = np.searchsorted(BAND_LO, ages, side="right") - 1
    frame = pd.DataFrame(
        {
            C.RECORD_ID: _ids("R", np.arange(1, n + 1), 8),
            C.SERVICE_CODE: pd.Series(codes[svc_arr], dtype="str"),
            C.SERVICE_NAME: pd.Series(names[svc_arr], dtype="str"),
            C.UNIT_NAME: pd.Series(units[svc_arr], dtype="str"),
            C.DATE: pd.Series(date),
            C.FISCAL_YEAR: rec[C.FISCAL_YEAR].to_numpy().astype(np.int64),
            C.PERSON_ID: _ids("P", rec["_pid"].to_numpy(), 7),
            C.SEX: pd.Series(np.array(SEXES, dtype=object)[rec["_s"].to_numpy()], dtype="str"),
            C.AGE: ages.astype(np.int64),
            C.AGE_BAND: pd.Series(np.array(BANDS, dtype=object)[band_idx], dtype="str"),
            C.DISABILITY: pd.Series(dis, dtype="str"),
            C.MIGRANT_STATUS: pd.Series(mig, dtype="str"),
            C.DISTRICT: pd.Series(np.array(districts, dtype=object)[rec["_d"].to_numpy()], dtype="str"),
            C.NEIGHBOURHOOD: pd.Series(nb_names[rec["_nb"].to_numpy()], dtype="str"),
            C.QUANTITY: rec[C.QUANTITY].to_numpy().astype(np.int64),
        }
    )
    if (frame[C.DATE].dt.year.to_numpy() != frame[C.FISCAL_YEAR].to_numpy()).any():
        raise RuntimeError("a usage date left its fiscal year")
    if (frame[C.AGE_BAND].to_numpy() != np.array(BANDS, dtype=object)[rec["_b"].to_numpy()]).any():
        raise RuntimeError("a user's age left the age band of its population cell")
    expected = pd.concat(expected_frames, ignore_index=True)
    return Usage(frame=frame, expected=expected)


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pd.Series:
    return prefix + pd.Series(numbers, dtype=np.int64).astype("str").str.zfill(width)


# =================================================================================================================
# Budget
# =================================================================================================================
@dataclass(frozen=True)
class Dept:
    nn: str
    name: str
    functional: tuple[str, ...]
    scale: float  # multiplier on the catalogue medians
    activities: int


DEPARTMENTS: tuple[Dept, ...] = (
    Dept("01", "Özel Kalem Müdürlüğü", ("01.1.1.00",), 0.5, 2),
    Dept("02", "Hukuk Müşavirliği", ("01.3.9.00",), 0.5, 2),
    Dept("03", "Mali Hizmetler Daire Başkanlığı", ("01.1.2.00", "01.7.1.00"), 1.2, 5),
    Dept("04", IKE, ("01.3.1.00", "09.5.0.00"), 1.6, 8),
    Dept("05", "Bilgi İşlem Daire Başkanlığı", ("01.3.9.00",), 1.3, 5),
    Dept("06", DESTEK, ("01.3.9.00", "08.1.0.00"), 2.0, 8),
    Dept("07", "Satın Alma Daire Başkanlığı", ("01.3.9.00",), 0.6, 2),
    Dept("08", "Yazı İşleri ve Kararlar Daire Başkanlığı", ("01.3.9.00",), 0.5, 2),
    Dept("09", "Basın Yayın ve Halkla İlişkiler Daire Başkanlığı", ("01.3.9.00", "08.3.0.00"), 1.0, 5),
    Dept("10", "Kurumsal Gelişim ve Yönetim Sistemleri Daire Başkanlığı", ("01.3.9.00", "01.3.2.00"), 0.7, 4),
    Dept("11", "Dış İlişkiler Daire Başkanlığı", ("01.1.3.00",), 0.4, 2),
    Dept("12", "İştirakler Koordinasyon Müdürlüğü", ("01.3.9.00",), 0.8, 3),
    Dept("13", "Emlak Yönetimi Daire Başkanlığı", ("06.1.0.00", "01.3.9.00"), 1.0, 4),
    Dept("14", "İmar ve Şehircilik Daire Başkanlığı", ("06.1.0.00",), 0.9, 4),
    Dept("15", "Etüt ve Projeler Daire Başkanlığı", ("06.2.0.00",), 0.9, 4),
    Dept("16", SOSYAL, ("10.4.0.00", "10.9.0.00", "10.7.0.00", "10.1.2.00", "10.2.0.00"), 2.5, 12),
    Dept("17", SAGLIK, ("07.4.0.00", "07.2.1.00", "10.2.0.00"), 2.0, 9),
    Dept("18", "Kültür Daire Başkanlığı", ("08.2.0.00",), 1.3, 7),
    Dept("19", "Kültür Varlıkları Daire Başkanlığı", ("08.2.0.00",), 0.9, 4),
    Dept("20", "Park Bahçe ve Yeşil Alanlar Daire Başkanlığı", ("06.2.0.00", "08.1.0.00"), 2.0, 8),
    Dept("21", "Fen İşleri Daire Başkanlığı", ("06.2.0.00", "04.4.3.00"), 2.5, 8),
    Dept("22", "Yol Bakım ve Onarım Daire Başkanlığı", ("04.5.1.00",), 2.5, 7),
    Dept("23", "Yol Bakım ve Altyapı Koordinasyon Daire Başkanlığı", ("04.5.1.00",), 1.0, 3),
    Dept("24", ULASIM, ("04.5.1.00",), 2.0, 7),
    Dept("25", "Deprem Risk Yönetimi ve Kentsel İyileştirme Daire Başkanlığı", ("06.1.0.00",), 1.5, 5),
    Dept("26", "İtfaiye Daire Başkanlığı", ("03.2.0.00",), 1.8, 6),
    Dept("27", "Zabıta Daire Başkanlığı", ("03.1.0.00",), 1.2, 4),
    Dept("28", "Çevre Koruma ve Kontrol Daire Başkanlığı", ("05.1.0.00", "05.3.0.00"), 1.5, 6),
    Dept("29", "Muhtarlıklar ve Gıda Tarım Daire Başkanlığı", ("01.3.9.00", "04.2.1.00"), 1.0, 5),
)

#: Personnel lines (per department × functional code): economic code, description, median TL (2023).
PERSONNEL = (
    ("01.1.1.01", "TEMEL MAAŞLAR", 9e6),
    ("01.1.2.01", "ZAMLAR VE TAZMİNATLAR", 5e6),
    ("01.1.4.01", "SOSYAL HAKLAR", 1.1e6),
    ("01.1.5.01", "EK ÇALIŞMA KARŞILIKLARI", 4e5),
    ("01.2.1.01", "SÖZLEŞMELİ PERSONEL ÜCRETLERİ", 2.5e6),
    ("01.3.1.01", "İŞÇİ ÜCRETLERİ", 1.6e7),
    ("01.3.2.01", "İŞÇİLERİN SOSYAL HAKLARI", 3e6),
    ("02.1.1.01", "SOSYAL GÜVENLİK KURUMUNA DEVLET PRİMİ", 2.2e6),
    ("02.3.1.01", "İŞÇİLER İÇİN SOSYAL GÜVENLİK PRİMİ", 4e6),
)
#: Generic goods-and-services lines; each activity carries a random subset.
GENERIC = (
    ("03.2.1.01", "KIRTASİYE ALIMLARI", 6e4),
    ("03.2.1.02", "BÜRO MALZEMESİ ALIMLARI", 5e4),
    ("03.2.1.03", "PERİYODİK YAYIN ALIMLARI", 6e3),
    ("03.2.2.01", "SU ALIMLARI", 3e4),
    ("03.2.2.02", "TEMİZLİK MALZEMESİ ALIMLARI", 9e4),
    ("03.2.3.01", "YAKACAK ALIMLARI", 2e5),
    ("03.2.3.02", "AKARYAKIT VE YAĞ ALIMLARI", 7e5),
    ("03.2.3.03", "ELEKTRİK ALIMLARI", 6e5),
    ("03.2.4.01", "YİYECEK, İÇECEK VE YEM ALIMLARI", 1.5e5),
    ("03.2.5.01", "GİYECEK ALIMLARI", 1e5),
    ("03.2.6.01", "LABORATUVAR MALZEMESİ İLE KİMYEVİ VE TEMİZLİK MALZEMESİ ALIMLARI", 5e4),
    ("03.2.9.90", "DİĞER TÜKETİM MAL VE MALZEMESİ ALIMLARI", 1.5e5),
    ("03.3.1.01", "YURTİÇİ GEÇİCİ GÖREV YOLLUKLARI", 3e4),
    ("03.3.3.01", "YURTDIŞI GEÇİCİ GÖREV YOLLUKLARI", 4e4),
    ("03.4.2.01", "YASAL GİDERLER", 2e4),
    ("03.5.1.01", "MÜŞAVİR FİRMA VE KİŞİLERE ÖDEMELER", 5e5),
    ("03.5.2.01", "POSTA VE TELGRAF GİDERLERİ", 2e4),
    ("03.5.2.02", "TELEFON KULLANIM ÜCRETLERİ", 7e4),
    ("03.5.2.06", "İNTERNET ERİŞİM GİDERLERİ", 9e4),
    ("03.5.3.03", "YÜK TAŞIMA GİDERLERİ", 5e4),
    ("03.5.3.02", "YOLCU TAŞIMA GİDERLERİ", 2.5e5),
    ("03.5.4.01", "İLAN GİDERLERİ", 5e4),
    ("03.5.4.02", "SİGORTA GİDERLERİ", 7e4),
    ("03.5.5.01", "HİZMET BİNASI KİRALAMA GİDERLERİ", 7e5),
    ("03.5.5.02", "TAŞIT KİRALAMASI GİDERLERİ", 1.4e6),
    ("03.5.9.90", "DİĞER HİZMET ALIMLARI", 9e5),
    ("03.6.1.01", "TEMSİL GİDERLERİ", 2.5e4),
    ("03.6.2.01", "TANITMA GİDERLERİ", 1.5e5),
    ("03.7.1.01", "BÜRO VE İŞYERİ MAL VE MALZEME ALIMLARI", 1.5e5),
    ("03.7.1.02", "BÜRO VE İŞYERİ MAKİNE TEÇHİZAT ALIMLARI", 2e5),
    ("03.7.2.01", "GAYRİMADDİ HAK ALIMLARI", 1.5e5),
    ("03.7.3.01", "TEFRİŞAT BAKIM VE ONARIM GİDERLERİ", 2.5e4),
    ("03.7.3.02", "MAKİNE TEÇHİZAT BAKIM VE ONARIM GİDERLERİ", 1.5e5),
    ("03.7.3.03", "TAŞIT BAKIM VE ONARIM GİDERLERİ", 2e5),
    ("03.8.1.01", "HİZMET BİNASI BAKIM VE ONARIM GİDERLERİ", 4e5),
)

#: Department programme lines: department, functional, economic, description, median TL (2023), gender-relevant,
#: financing type. Descriptions are unique within a department.
G, N = True, False
PROGRAMMES = (
    # Sosyal Hizmetler
    (SOSYAL, "10.4.0.00", "03.5.9.90", "YUVAMIZ İSTANBUL KREŞLERİ PERSONEL HİZMET ALIMI", 9.5e7, G, "5"),
    (SOSYAL, "10.4.0.00", "03.2.4.01", "YUVAMIZ İSTANBUL KREŞLERİ İAŞE GİDERLERİ", 2.4e7, G, "5"),
    (SOSYAL, "10.4.0.00", "03.2.9.90", "KREŞ EĞİTİM MATERYALLERİ ALIMI", 3.2e6, G, "5"),
    (SOSYAL, "10.4.0.00", "06.5.7.01", "YUVAMIZ İSTANBUL KREŞ BİNALARI YAPIMI", 8.5e7, G, "5"),
    (SOSYAL, "10.4.0.00", "05.4.8.01", "ANNE KART DESTEK ÖDEMELERİ", 1.6e8, G, "5"),
    (SOSYAL, "10.4.0.00", "03.5.9.90", "TEK EBEVEYNLİ AİLELERE DESTEK PROGRAMI", 6.5e6, G, "5"),
    (SOSYAL, "10.9.0.00", "03.2.4.01", "KADIN DAYANIŞMA EVİ İAŞE GİDERLERİ", 7.8e6, G, "5"),
    (SOSYAL, "10.9.0.00", "03.5.9.90", "KADIN DAYANIŞMA EVİ İŞLETME HİZMET ALIMI", 1.9e7, G, "5"),
    (SOSYAL, "10.9.0.00", "06.5.7.01", "KADIN DAYANIŞMA EVİ YAPIMI", 2.6e7, G, "5"),
    (SOSYAL, "10.9.0.00", "03.5.9.90", "ŞİDDET ÖNLEME DESTEK HATTI HİZMET ALIMI", 1.1e7, G, "5"),
    (SOSYAL, "10.9.0.00", "03.5.1.01", "KADINA YÖNELİK ŞİDDETLE MÜCADELE PSİKOLOJİK DANIŞMANLIK HİZMETİ", 4.2e6, G, "5"),
    (SOSYAL, "10.9.0.00", "03.5.1.01", "HUKUKİ DANIŞMANLIK HİZMETİ", 2.7e6, G, "5"),
    (SOSYAL, "10.9.0.00", "05.3.1.01", "KADIN KOOPERATİFLERİNE DESTEK", 5.5e6, G, "5"),
    (SOSYAL, "10.9.0.00", "03.5.9.90", "KADIN KOOPERATİFLERİ ÜRÜN PAZARI ORGANİZASYONU", 1.8e6, G, "5"),
    (SOSYAL, "10.9.0.00", "03.6.2.01", "25 KASIM KADINA YÖNELİK ŞİDDETLE MÜCADELE GÜNÜ ETKİNLİKLERİ", 9.5e5, G, "5"),
    (SOSYAL, "10.9.0.00", "03.5.9.90", "EŞİTLİK BİRİMİ FAALİYETLERİ", 1.2e6, G, "5"),
    (SOSYAL, "10.9.0.00", "03.5.9.90", "AB HİBE PROJESİ - KADIN İSTİHDAMININ DESTEKLENMESİ", 8.4e6, G, "8"),
    (SOSYAL, "10.9.0.00", "03.5.9.90", "GÖÇMEN KADINLARA YÖNELİK PSİKOSOSYAL DESTEK PROJESİ (HİBE)", 3.6e6, G, "8"),
    (SOSYAL, "10.7.0.00", "05.4.8.02", "SOSYAL YARDIM NAKDİ ÖDEMELER", 4.2e8, G, "5"),
    (SOSYAL, "10.7.0.00", "05.4.8.03", "SOSYAL YARDIM AYNİ YARDIMLAR (GIDA KOLİSİ)", 1.3e8, N, "5"),
    (SOSYAL, "10.7.0.00", "05.4.8.04", "GENÇ ÜNİVERSİTELİ EĞİTİM DESTEĞİ ÖDEMELERİ", 2.2e8, N, "5"),
    (SOSYAL, "10.1.2.00", "03.5.9.90", "ENGELLİ BİREYLER ULAŞIM HİZMETİ", 2.3e7, G, "5"),
    (SOSYAL, "10.1.2.00", "03.2.6.02", "ENGELLİ BİREYLERE TEKERLEKLİ SANDALYE VE MEDİKAL MALZEME YARDIMI", 6.1e6, N, "5"),
    (SOSYAL, "10.1.2.00", "03.5.9.90", "ENGELLİ BİREYLERE YÖNELİK KURS HİZMETLERİ (İSEM)", 5.2e6, N, "5"),
    (SOSYAL, "10.2.0.00", "03.5.9.90", "YAŞLI BAKIM MERKEZLERİ HİZMET ALIMI", 3.1e7, N, "5"),
    # Sağlık
    (SAGLIK, "07.4.0.00", "03.5.9.90", "EVDE BAKIM HİZMETLERİ", 6.8e7, G, "5"),
    (SAGLIK, "07.4.0.00", "03.2.6.02", "EVDE SAĞLIK HİZMETLERİ TIBBİ MALZEME VE İLAÇ ALIMI", 1.4e7, N, "5"),
    (SAGLIK, "07.4.0.00", "03.5.9.90", "KRONİK HASTALIK TARAMA PROGRAMI", 1.2e7, N, "5"),
    (SAGLIK, "07.4.0.00", "03.5.9.90", "MEME KANSERİ ERKEN TANI TARAMALARI", 6.4e6, G, "5"),
    (SAGLIK, "07.4.0.00", "03.6.2.01", "KADIN SAĞLIĞI VE ÜREME SAĞLIĞI BİLGİLENDİRME ETKİNLİKLERİ", 1.1e6, G, "5"),
    (SAGLIK, "07.4.0.00", "03.5.9.90", "İLAÇLAMA (VEKTÖR MÜCADELESİ) HİZMET ALIMI", 4.1e7, N, "5"),
    (SAGLIK, "07.2.1.00", "03.5.9.90", "HASTA NAKİL HİZMETLERİ", 1.7e7, N, "5"),
    (SAGLIK, "07.2.1.00", "06.1.3.01", "AMBULANS ALIMI", 2.2e7, N, "5"),
    (SAGLIK, "07.2.1.00", "03.5.9.90", "PSİKOLOJİK DANIŞMANLIK MERKEZLERİ İŞLETME GİDERLERİ", 5.8e6, N, "5"),
    (SAGLIK, "10.2.0.00", "03.5.9.90", "YAŞLI GÜNDÜZ BAKIM MERKEZLERİ İŞLETME GİDERLERİ", 1.5e7, G, "5"),
    # İnsan Kaynakları ve Eğitim
    (IKE, "09.5.0.00", "03.5.9.90", "MESLEK EDİNDİRME KURSLARI (İSMEK)", 1.45e8, G, "5"),
    (IKE, "09.5.0.00", "03.5.5.01", "İSMEK KURS MERKEZLERİ KİRA GİDERLERİ", 2.1e7, N, "5"),
    (IKE, "09.5.0.00", "03.5.9.90", "ENSTİTÜ İSTANBUL EĞİTMEN HİZMET ALIMI", 6.2e7, N, "5"),
    (IKE, "09.5.0.00", "03.2.9.90", "İSMEK KURS MALZEMELERİ ALIMI", 9.5e6, N, "5"),
    (IKE, "09.5.0.00", "03.5.9.90", "KADINLARA YÖNELİK GİRİŞİMCİLİK VE DİJİTAL BECERİ EĞİTİMLERİ", 4.4e6, G, "5"),
    (IKE, "01.3.1.00", "03.5.9.90", "PERSONELE TOPLUMSAL CİNSİYET EŞİTLİĞİ EĞİTİMLERİ", 1.3e6, G, "5"),
    (IKE, "01.3.1.00", "03.5.9.90", "HİZMET İÇİ EĞİTİM GİDERLERİ", 3.5e6, N, "5"),
    (IKE, "01.3.1.00", "03.5.3.02", "PERSONEL SERVİS HİZMET ALIMI", 4.8e7, N, "5"),
    (IKE, "01.3.1.00", "03.5.9.90", "PERSONEL YEMEK HİZMET ALIMI", 7.3e7, N, "5"),
    (IKE, "01.3.1.00", "03.5.9.90", "İŞYERİ KREŞİ HİZMET ALIMI", 6.5e6, G, "5"),
    # Destek Hizmetleri
    (DESTEK, "08.1.0.00", "03.5.9.90", "SPOR MERKEZLERİ İŞLETME GİDERLERİ", 8.8e7, N, "5"),
    (DESTEK, "08.1.0.00", "06.5.7.01", "KADIN SPOR MERKEZİ YAPIMI", 3.4e7, G, "5"),
    (DESTEK, "08.1.0.00", "03.5.9.90", "YAZ VE KIŞ SPOR OKULLARI HİZMET ALIMI", 1.3e7, N, "5"),
    (DESTEK, "01.3.9.00", "03.5.9.90", "TEMİZLİK HİZMET ALIMI", 1.1e8, N, "5"),
    (DESTEK, "01.3.9.00", "03.5.9.90", "ÖZEL GÜVENLİK HİZMET ALIMI", 1.3e8, N, "5"),
    (DESTEK, "01.3.9.00", "03.5.9.90", "YEMEK HİZMET ALIMI", 5.1e7, N, "5"),
    # Ulaşım
    (ULASIM, "04.5.1.00", "05.1.1.01", "ÜCRETSİZ VE İNDİRİMLİ TOPLU TAŞIMA GÖREV ZARARI ÖDEMELERİ", 9.2e8, G, "5"),
    (ULASIM, "04.5.1.00", "03.7.3.02", "TRAFİK SİNYALİZASYON BAKIM VE ONARIMI", 4.4e7, N, "5"),
    (ULASIM, "04.5.1.00", "06.5.7.02", "DURAK YAPIMI VE YENİLENMESİ", 3.9e7, N, "5"),
    (ULASIM, "04.5.1.00", "06.5.7.02", "KADIN VE ÇOCUK DOSTU DURAK AYDINLATMASI", 7.5e6, G, "5"),
    (ULASIM, "04.5.1.00", "03.5.1.01", "ULAŞIM ANA PLANI GÜNCELLEME DANIŞMANLIK HİZMETİ", 9.8e6, N, "5"),
    (ULASIM, "04.5.1.00", "06.5.7.02", "BİSİKLET YOLU YAPIMI", 5.6e7, N, "7"),
    (ULASIM, "04.5.1.00", "06.5.7.02", "TOPLU TAŞIMA ERİŞİLEBİLİRLİK DÜZENLEMELERİ", 1.9e7, G, "7"),
    # Park Bahçe ve Yeşil Alanlar
    (
        "Park Bahçe ve Yeşil Alanlar Daire Başkanlığı", "06.2.0.00", "03.2.3.03", "PARK AYDINLATMA", 2.9e7, N, "5"
    ),
    ("Park Bahçe ve Yeşil Alanlar Daire Başkanlığı", "06.2.0.00", "03.5.9.90", "PARK BAKIM VE ONARIM HİZMET ALIMI", 1.9e8, N, "5"),
    ("Park Bahçe ve Yeşil Alanlar Daire Başkanlığı", "06.2.0.00", "06.1.2.01", "ÇOCUK OYUN GRUBU ALIMI", 2.1e7, N, "5"),
    ("Park Bahçe ve Yeşil Alanlar Daire Başkanlığı", "06.2.0.00", "03.2.9.01", "AĞAÇLANDIRMA VE FİDAN ALIMI", 3.3e7, N, "5"),
    ("Park Bahçe ve Yeşil Alanlar Daire Başkanlığı", "06.2.0.00", "06.5.7.01", "PARKLARA EMZİRME ODASI VE BEBEK BAKIM ÜNİTESİ YAPIMI", 4.6e6, G, "5"),
    # Others
    ("Mali Hizmetler Daire Başkanlığı", "01.7.1.00", "04.2.1.01", "İÇ BORÇ FAİZ GİDERLERİ", 1.9e9, N, "5"),
    ("Mali Hizmetler Daire Başkanlığı", "01.7.1.00", "04.3.1.01", "DIŞ BORÇ FAİZ GİDERLERİ", 2.6e9, N, "5"),
    ("Mali Hizmetler Daire Başkanlığı", "01.7.1.00", "04.5.1.01", "KUR FARKI GİDERLERİ", 7.4e8, N, "5"),
    ("Mali Hizmetler Daire Başkanlığı", "01.1.2.00", "03.5.9.90", "BANKA KOMİSYON GİDERLERİ", 2.8e7, N, "5"),
    ("Mali Hizmetler Daire Başkanlığı", "01.1.2.00", "09.1.1.01", "YEDEK ÖDENEK", 6.0e8, N, "5"),
    ("Bilgi İşlem Daire Başkanlığı", "01.3.9.00", "03.7.2.01", "YAZILIM LİSANS BEDELLERİ", 8.9e7, N, "5"),
    ("Bilgi İşlem Daire Başkanlığı", "01.3.9.00", "06.1.2.02", "BİLGİSAYAR DONANIM ALIMI", 4.7e7, N, "5"),
    ("Bilgi İşlem Daire Başkanlığı", "01.3.9.00", "03.7.3.02", "VERİ MERKEZİ BAKIM VE ONARIMI", 2.6e7, N, "5"),
    ("Bilgi İşlem Daire Başkanlığı", "01.3.9.00", "03.5.9.90", "SİBER GÜVENLİK HİZMET ALIMI", 1.8e7, N, "5"),
    ("Bilgi İşlem Daire Başkanlığı", "01.3.9.00", "06.3.1.01", "CİNSİYETE GÖRE AYRIŞTIRILMIŞ VERİ SİSTEMİ GELİŞTİRME", 3.2e6, G, "5"),
    ("Basın Yayın ve Halkla İlişkiler Daire Başkanlığı", "08.3.0.00", "03.5.4.01", "İLAN VE REKLAM GİDERLERİ", 3.7e7, N, "5"),
    ("Basın Yayın ve Halkla İlişkiler Daire Başkanlığı", "08.3.0.00", "03.6.2.01", "ÇOK DİLLİ DUYURU MATERYALLERİ", 2.1e6, G, "5"),
    ("Basın Yayın ve Halkla İlişkiler Daire Başkanlığı", "08.3.0.00", "03.6.2.01", "TOPLUMSAL CİNSİYET EŞİTLİĞİ FARKINDALIK KAMPANYASI", 3.3e6, G, "5"),
    ("Basın Yayın ve Halkla İlişkiler Daire Başkanlığı", "08.3.0.00", "03.5.9.90", "BASILI YAYIN GİDERLERİ", 8.1e6, N, "5"),
    ("Kurumsal Gelişim ve Yönetim Sistemleri Daire Başkanlığı", "01.3.2.00", "03.5.1.01", "YEREL EŞİTLİK EYLEM PLANI İZLEME VE DEĞERLENDİRME", 1.4e6, G, "5"),
    ("Kurumsal Gelişim ve Yönetim Sistemleri Daire Başkanlığı", "01.3.2.00", "03.5.1.01", "KALİTE YÖNETİM SİSTEMİ DANIŞMANLIK HİZMETİ", 2.3e6, N, "5"),
    ("Kurumsal Gelişim ve Yönetim Sistemleri Daire Başkanlığı", "01.3.2.00", "03.5.1.01", "STRATEJİK PLAN HAZIRLIK DANIŞMANLIK HİZMETİ", 1.9e6, N, "5"),
    ("Kültür Daire Başkanlığı", "08.2.0.00", "03.5.9.90", "KÜLTÜR MERKEZLERİ İŞLETME GİDERLERİ", 6.1e7, N, "5"),
    ("Kültür Daire Başkanlığı", "08.2.0.00", "03.5.9.90", "KONSER VE ETKİNLİK ORGANİZASYONU", 4.9e7, N, "5"),
    ("Kültür Daire Başkanlığı", "08.2.0.00", "03.5.9.90", "KADIN SANATÇILAR FESTİVALİ", 3.9e6, G, "5"),
    ("Kültür Daire Başkanlığı", "08.2.0.00", "03.2.1.04", "KÜTÜPHANE KİTAP ALIMI", 7.7e6, N, "5"),
    ("Kültür Daire Başkanlığı", "08.2.0.00", "03.5.9.90", "GÖRME VE İŞİTME ENGELLİLER İÇİN BETİMLEMELİ TİYATRO", 1.6e6, N, "5"),
    ("Çevre Koruma ve Kontrol Daire Başkanlığı", "05.3.0.00", "06.1.2.01", "HAVA KALİTESİ ÖLÇÜM İSTASYONLARI", 1.4e7, N, "5"),
    ("Çevre Koruma ve Kontrol Daire Başkanlığı", "05.3.0.00", "03.5.1.01", "İKLİM DEĞİŞİKLİĞİ EYLEM PLANI HAZIRLANMASI", 5.3e6, N, "5"),
    ("Çevre Koruma ve Kontrol Daire Başkanlığı", "05.1.0.00", "03.5.9.90", "ATIK TOPLAMA VE TAŞIMA HİZMET ALIMI", 3.1e8, N, "5"),
    ("Çevre Koruma ve Kontrol Daire Başkanlığı", "05.1.0.00", "03.5.9.90", "DENİZ YÜZEYİ TEMİZLİĞİ HİZMET ALIMI", 3.3e7, N, "5"),
    ("Muhtarlıklar ve Gıda Tarım Daire Başkanlığı", "04.2.1.00", "05.3.1.01", "KADIN ÇİFTÇİLERE TOHUM VE FİDE DESTEĞİ", 2.8e6, G, "5"),
    ("Muhtarlıklar ve Gıda Tarım Daire Başkanlığı", "04.2.1.00", "05.3.1.02", "KIRSAL KALKINMA DESTEKLERİ", 1.9e7, N, "5"),
    ("Muhtarlıklar ve Gıda Tarım Daire Başkanlığı", "01.3.9.00", "03.8.1.01", "MUHTARLIK BİNALARI BAKIM VE ONARIMI", 1.1e7, N, "5"),
    ("İtfaiye Daire Başkanlığı", "03.2.0.00", "06.1.3.01", "İTFAİYE ARAÇ ALIMI", 1.6e8, N, "5"),
    ("İtfaiye Daire Başkanlığı", "03.2.0.00", "03.2.6.01", "YANGIN SÖNDÜRME EKİPMANI ALIMI", 3.1e7, N, "5"),
    ("İtfaiye Daire Başkanlığı", "03.2.0.00", "06.5.7.01", "İTFAİYE İSTASYONLARINDA KADIN PERSONEL YAŞAM ALANLARI DÜZENLEMESİ", 4.4e6, G, "5"),
    ("Zabıta Daire Başkanlığı", "03.1.0.00", "03.2.5.01", "ZABITA ÜNİFORMA ALIMI", 8.3e6, N, "5"),
    ("Zabıta Daire Başkanlığı", "03.1.0.00", "03.5.5.02", "ZABITA ARAÇ KİRALAMA", 2.4e7, N, "5"),
    ("Etüt ve Projeler Daire Başkanlığı", "06.2.0.00", "03.5.1.01", "KAMUSAL ALAN TASARIM REHBERİ (TOPLUMSAL CİNSİYET EŞİTLİĞİ)", 1.7e6, G, "5"),
    ("Etüt ve Projeler Daire Başkanlığı", "06.2.0.00", "06.5.3.01", "PROJE HİZMET ALIMI", 2.7e7, N, "5"),
    ("Etüt ve Projeler Daire Başkanlığı", "06.2.0.00", "06.5.3.02", "ZEMİN ETÜDÜ HİZMET ALIMI", 1.2e7, N, "5"),
    ("Deprem Risk Yönetimi ve Kentsel İyileştirme Daire Başkanlığı", "06.1.0.00", "03.5.1.01", "RİSKLİ YAPI TESPİT HİZMET ALIMI", 4.4e7, N, "5"),
    ("Deprem Risk Yönetimi ve Kentsel İyileştirme Daire Başkanlığı", "06.1.0.00", "05.4.8.05", "KENTSEL DÖNÜŞÜM KİRA YARDIMI", 9.7e7, N, "5"),
    ("Deprem Risk Yönetimi ve Kentsel İyileştirme Daire Başkanlığı", "06.1.0.00", "06.5.7.01", "DEPREM TOPLANMA ALANLARI DÜZENLEMESİ", 3.6e7, N, "7"),
    ("Emlak Yönetimi Daire Başkanlığı", "06.1.0.00", "06.4.1.01", "KAMULAŞTIRMA BEDELLERİ", 4.2e8, N, "5"),
    ("Emlak Yönetimi Daire Başkanlığı", "01.3.9.00", "03.5.4.03", "TAPU HARÇLARI", 9.1e6, N, "5"),
    ("İmar ve Şehircilik Daire Başkanlığı", "06.1.0.00", "03.5.1.01", "İMAR PLANI YAPIMI DANIŞMANLIK HİZMETİ", 2.3e7, N, "5"),
    ("İmar ve Şehircilik Daire Başkanlığı", "06.1.0.00", "06.5.2.01", "HALİHAZIR HARİTA ALIMI", 1.6e7, N, "5"),
    ("İştirakler Koordinasyon Müdürlüğü", "01.3.9.00", "07.1.1.01", "İŞTİRAKLERE SERMAYE TRANSFERİ", 1.1e9, N, "5"),
    ("İştirakler Koordinasyon Müdürlüğü", "01.3.9.00", "03.5.1.01", "ŞİRKET DENETİM DANIŞMANLIK HİZMETİ", 3.9e6, N, "5"),
    ("Dış İlişkiler Daire Başkanlığı", "01.1.3.00", "05.6.2.01", "ULUSLARARASI KURULUŞLARA ÜYELİK AİDATLARI", 2.4e6, N, "5"),
    ("Fen İşleri Daire Başkanlığı", "06.2.0.00", "06.5.7.01", "HİZMET BİNASI YAPIMI", 1.8e8, N, "5"),
    ("Fen İşleri Daire Başkanlığı", "04.4.3.00", "03.7.3.02", "ELEKTRİK TESİSATI BAKIM VE ONARIMI", 2.7e7, N, "5"),
    ("Yol Bakım ve Onarım Daire Başkanlığı", "04.5.1.00", "03.2.9.90", "BİTÜM ALIMI", 3.8e8, N, "5"),
    ("Yol Bakım ve Onarım Daire Başkanlığı", "04.5.1.00", "03.5.9.90", "ASFALT PLENTİ İŞLETME GİDERLERİ", 9.2e7, N, "5"),
    ("Yol Bakım ve Onarım Daire Başkanlığı", "04.5.1.00", "03.5.9.90", "YOL ÇİZGİ BOYAMA HİZMET ALIMI", 2.8e7, N, "5"),
    ("Yol Bakım ve Altyapı Koordinasyon Daire Başkanlığı", "04.5.1.00", "03.5.1.01", "ALTYAPI KOORDİNASYON YAZILIMI HİZMET ALIMI", 4.7e6, N, "5"),
)  # fmt: skip

#: District project lines: department, functional, economic, description template, median TL, districts (None = all).
DISTRICT_PROJECTS = (
    ("Park Bahçe ve Yeşil Alanlar Daire Başkanlığı", "06.2.0.00", "06.5.7.01", "PARK YAPIMI - {d}", 1.4e7, None),
    ("Yol Bakım ve Onarım Daire Başkanlığı", "04.5.1.00", "06.6.1.01", "ASFALT YAMA VE KAPLAMA ÇALIŞMALARI - {d}", 3.3e7, None),
    ("Yol Bakım ve Onarım Daire Başkanlığı", "04.5.1.00", "06.5.7.02", "KALDIRIM DÜZENLEMESİ - {d}", 9.0e6, None),
    ("Fen İşleri Daire Başkanlığı", "06.2.0.00", "06.5.7.01", "SOSYAL TESİS YAPIMI - {d}", 4.1e7, 16),
    ("Kültür Varlıkları Daire Başkanlığı", "08.2.0.00", "06.7.1.01", "TARİHİ YAPI RESTORASYONU - {d}", 1.7e7, 18),
    ("İtfaiye Daire Başkanlığı", "03.2.0.00", "06.5.7.01", "İTFAİYE İSTASYONU YAPIMI - {d}", 2.4e7, 12),
    (SOSYAL, "10.4.0.00", "03.5.9.90", "YUVAMIZ İSTANBUL KREŞİ İŞLETME GİDERLERİ - {d}", 3.9e6, 16),
    ("Deprem Risk Yönetimi ve Kentsel İyileştirme Daire Başkanlığı", "06.1.0.00", "06.6.1.02", "OKUL BİNALARI GÜÇLENDİRME - {d}", 2.2e7, 14),
)  # fmt: skip

#: Lines a rule set could tag ("diversion scope"): every named line (programmes, district projects) and every line
#: under these functional codes. They are only revised gently (−8 % … +30 %) and executed ≥ 78 % — except the
#: planted diversions. Generic lines of the economic classification elsewhere get the full revision regime.
GENDER_SCOPE_FUNCTIONAL = ("10.", "07.", "09.")
#: Descriptions of the generic lines (personnel, goods and services) and of the reserve.
GENERIC_DESCRIPTIONS = tuple(
    sorted({d for _, d, _ in PERSONNEL} | {d for _, d, _ in GENERIC} | {"YEDEK ÖDENEK"})
)

#: Planted diversions: (fiscal year, unit, description, kind, revised ÷ initial, expenditure ÷ revised).
DIVERSIONS = (
    (2023, SOSYAL, "KADIN DAYANIŞMA EVİ YAPIMI", "revised_to_zero", 0.0, 0.0),
    (2023, SOSYAL, "KADIN KOOPERATİFLERİNE DESTEK", "revised_down", 0.30, 0.92),
    (2024, SOSYAL, "YUVAMIZ İSTANBUL KREŞ BİNALARI YAPIMI", "revised_down", 0.15, 0.40),
    (2024, SOSYAL, "ŞİDDET ÖNLEME DESTEK HATTI HİZMET ALIMI", "not_executed", 1.0, 0.06),
    (2024, SOSYAL, "KADIN DAYANIŞMA EVİ İAŞE GİDERLERİ", "revised_down", 0.40, 0.95),
    (2024, SOSYAL, "ENGELLİ BİREYLER ULAŞIM HİZMETİ", "revised_to_zero", 0.0, 0.0),
    (2024, IKE, "PERSONELE TOPLUMSAL CİNSİYET EŞİTLİĞİ EĞİTİMLERİ", "not_executed", 1.0, 0.0),
    (2024, DESTEK, "KADIN SPOR MERKEZİ YAPIMI", "revised_down", 0.25, 0.50),
)
#: Generic lines every department has in its first activity (and keeps in 2024).
ALWAYS = ("AKARYAKIT VE YAĞ ALIMLARI", "ELEKTRİK ALIMLARI")
#: Lines planted with expenditure above the revised appropriation (data-quality cases): year, unit, description.
OVERSPEND = (
    (2023, "Destek Hizmetleri Daire Başkanlığı", "ELEKTRİK ALIMLARI"),
    (2023, "Zabıta Daire Başkanlığı", "AKARYAKIT VE YAĞ ALIMLARI"),
    (2024, "İtfaiye Daire Başkanlığı", "AKARYAKIT VE YAĞ ALIMLARI"),
    (2024, "Kültür Daire Başkanlığı", "ELEKTRİK ALIMLARI"),
)


@dataclass
class Budget:
    frame: pd.DataFrame
    diversions: list[dict] = field(default_factory=list)
    overspend: list[dict] = field(default_factory=list)
    gender_descriptions: list[str] = field(default_factory=list)


def _line_specs(rng: np.random.Generator, districts: list[str]) -> pd.DataFrame:
    """The 2023 line structure: unit, activity, functional, economic, description, median, flags."""
    rows: list[dict] = []

    def add(
        dept: Dept, activity: str, func: str, econ: str, desc: str, median: float, gender: bool, fin: str
    ):
        rows.append(
            dict(unit=dept.name, nn=dept.nn, activity=activity, func=func, econ=econ, desc=desc,
                 median=median * dept.scale, gender=gender, fin=fin)
        )  # fmt: skip

    prog_by_dept: dict[str, list] = {}
    for p in PROGRAMMES:
        prog_by_dept.setdefault(p[0], []).append(p)
    proj_by_dept: dict[str, list] = {}
    for p in DISTRICT_PROJECTS:
        proj_by_dept.setdefault(p[0], []).append(p)

    for dept in DEPARTMENTS:
        funcs = dept.functional
        act_func = [funcs[a % len(funcs)] for a in range(dept.activities)]
        first_act_of = {}
        for a, f in enumerate(act_func):
            first_act_of.setdefault(f, a)
        for a, func in enumerate(act_func):
            activity = f"F{dept.nn}{a + 1:02d}"
            if first_act_of[func] == a:
                for econ, desc, med in PERSONNEL:
                    if rng.random() < 0.92:
                        add(dept, activity, func, econ, desc, med, False, "5")
            k = int(rng.integers(12, 24))
            picked = set(rng.choice(len(GENERIC), size=k, replace=False).tolist())
            if a == 0:  # every department buys fuel and electricity
                picked |= {i for i, g in enumerate(GENERIC) if g[1] in ALWAYS}
            for j in sorted(picked):
                econ, desc, med = GENERIC[j]
                add(dept, activity, func, econ, desc, med, False, "5")
        for _, func, econ, desc, med, gender, fin in prog_by_dept.get(dept.name, []):
            a = first_act_of[func]
            rows.append(
                dict(unit=dept.name, nn=dept.nn, activity=f"F{dept.nn}{a + 1:02d}", func=func, econ=econ, desc=desc,
                     median=med, gender=gender, fin=fin)
            )  # fmt: skip
        for _, func, econ, template, med, count in proj_by_dept.get(dept.name, []):
            a = first_act_of[func]
            chosen = (
                districts if count is None else [districts[i] for i in np.sort(rng.choice(39, count, False))]
            )
            for d in chosen:
                fin = "7" if econ.startswith("06") and rng.random() < 0.12 else "5"
                rows.append(
                    dict(unit=dept.name, nn=dept.nn, activity=f"F{dept.nn}{a + 1:02d}", func=func, econ=econ,
                         desc=template.format(d=tr_upper(d)), median=med, gender=True,
                         fin=fin)
                )  # fmt: skip
    spec = pd.DataFrame(rows)
    spec["base"] = _base_tl(rng, spec["median"].to_numpy())
    # "gentle" lines: every named line (programme, district project) and every line under the gender-scope
    # functional codes; only generic economic-classification lines elsewhere get the full revision regime
    spec["gender"] = ~spec["desc"].isin(GENERIC_DESCRIPTIONS) | spec["func"].str.startswith(
        GENDER_SCOPE_FUNCTIONAL
    )
    spec["is_programme"] = spec["desc"].isin([p[3] for p in PROGRAMMES])
    return spec


def _kuruş(tl: np.ndarray) -> np.ndarray:
    return np.rint(tl * 100).astype(np.int64)


def _base_tl(rng: np.random.Generator, median: np.ndarray) -> np.ndarray:
    """A line's planned size in TL: the catalogue median with log-normal spread, at least a few thousand TL."""
    n = median.size
    return np.maximum(median * np.exp(rng.normal(0.0, 0.55, n)), 2500 + rng.random(n) * 4000)


def _amounts(rng: np.random.Generator, spec: pd.DataFrame, tl: np.ndarray) -> pd.DataFrame:
    n = len(spec)
    econ = spec["econ"].to_numpy(dtype=object)
    kind = np.array([e[:2] for e in econ], dtype=object)
    gender = spec["gender"].to_numpy()
    rounded = rng.random(n) < 0.6
    initial = np.where(rounded, np.maximum(np.rint(tl / 1000), 1).astype(np.int64) * 100_000, _kuruş(tl))

    # revisions
    u = rng.random(n)
    factor = np.clip(np.exp(rng.normal(0.02, 0.12, n)), 0.7, 1.3)
    factor = np.where(gender, np.clip(factor, 0.92, 1.3), factor)
    unchanged = u < 0.35
    to_zero = (u > 0.97) & ~gender & ~np.isin(kind, ["01", "02", "04"])
    new_line = (u > 0.955) & (u <= 0.97) & ~gender & ~np.isin(kind, ["01", "02", "04"])
    revised = np.where(unchanged, initial, _kuruş(initial / 100 * factor + rng.random(n)))
    revised = np.where(to_zero, 0, revised)
    revised = np.where(new_line, initial, revised)
    initial = np.where(new_line, 0, initial)
    reserve = kind == "09"
    revised = np.where(reserve, 0, revised)

    # execution
    lo = np.select(
        [np.isin(kind, ["01", "02"]), kind == "04", kind == "05", kind == "06"], [0.93, 0.97, 0.8, 0.35], 0.6
    )
    rate = lo + rng.random(n) * (1.0 - lo)
    capital_idle = (kind == "06") & (rng.random(n) < 0.08) & ~gender
    rate = np.where(gender, np.maximum(rate, 0.78 + rng.random(n) * 0.22), rate)
    rate = np.where(capital_idle, 0.0, rate)
    expenditure = np.minimum(_kuruş(revised / 100 * rate), revised)
    return pd.DataFrame(
        {C.INITIAL_APPROPRIATION: initial, C.REVISED_APPROPRIATION: revised, C.EXPENDITURE: expenditure}
    )


def build_budget(rng: np.random.Generator, districts: list[str]) -> Budget:
    spec23 = _line_specs(rng, districts)
    # 2024: most lines continue; a few are dropped, a few are new
    keep = rng.random(len(spec23)) > 0.045
    keep |= spec23["is_programme"].to_numpy() | spec23["econ"].str.startswith(("01", "02")).to_numpy()
    keep |= spec23["desc"].isin(ALWAYS).to_numpy()
    spec24 = spec23[keep].copy()
    extra = []
    acts = spec23[["unit", "nn", "activity", "func"]].drop_duplicates().to_dict("records")
    existing: dict[str, set] = {}
    for act, desc in zip(spec24["activity"].tolist(), spec24["desc"].tolist(), strict=True):
        existing.setdefault(act, set()).add(desc)
    for i in rng.choice(len(acts), size=int(0.07 * len(spec23)), replace=True):
        a = acts[int(i)]
        free = [g for g in GENERIC if g[1] not in existing[a["activity"]]]
        if not free:
            continue
        econ, desc, med = free[int(rng.integers(len(free)))]
        existing[a["activity"]].add(desc)
        dept = DEPARTMENTS[int(a["nn"]) - 1]
        extra.append(
            dict(unit=a["unit"], nn=a["nn"], activity=a["activity"], func=a["func"], econ=econ, desc=desc,
                 median=med * dept.scale, gender=str(a["func"]).startswith(GENDER_SCOPE_FUNCTIONAL), fin="5",
                 is_programme=False)
        )  # fmt: skip
    extra = pd.DataFrame(extra)
    extra["base"] = _base_tl(rng, extra["median"].to_numpy())
    spec24 = pd.concat([spec24, extra], ignore_index=True)
    infl = np.where(spec24["econ"].str.startswith(("01", "02")).to_numpy(), 1.75, 1.6)
    spec24["base"] = spec24["base"].to_numpy() * infl * np.exp(rng.normal(0, 0.15, len(spec24)))

    frames = []
    for year, spec in ((2023, spec23), (2024, spec24)):
        spec = spec.drop_duplicates(["activity", "econ", "desc"]).reset_index(drop=True)
        amounts = _amounts(rng, spec, spec["base"].to_numpy())
        f = pd.DataFrame(
            {
                C.FISCAL_YEAR: np.full(len(spec), year, dtype=np.int64),
                C.INSTITUTIONAL_CODE: (INSTITUTION + "." + spec["nn"]).astype("str"),
                C.UNIT_NAME: spec["unit"].astype("str"),
                C.FUNCTIONAL_CODE: spec["func"].astype("str"),
                C.FINANCING_TYPE: spec["fin"].astype("str"),
                C.ECONOMIC_CODE: spec["econ"].astype("str"),
                C.DESCRIPTION: spec["desc"].astype("str"),
                C.ACTIVITY_CODE: spec["activity"].astype("str"),
                "_scope": spec["gender"].to_numpy(),
            }
        )
        f = pd.concat([f, amounts], axis=1)
        f = f.sort_values(
            [C.INSTITUTIONAL_CODE, C.FUNCTIONAL_CODE, C.ACTIVITY_CODE, C.ECONOMIC_CODE, C.DESCRIPTION],
            kind="stable",
        ).reset_index(drop=True)
        f[C.LINE_ID] = np.arange(1, len(f) + 1, dtype=np.int64)
        frames.append(f)
    budget = pd.concat(frames, ignore_index=True)

    # project codes: capital lines, stable across years (same unit + description → same code)
    capital = budget[C.ECONOMIC_CODE].str.startswith("06").to_numpy()
    key = budget[C.INSTITUTIONAL_CODE] + "|" + budget[C.DESCRIPTION]
    codes, uniq = pd.factorize(key[capital], sort=True)
    nn = pd.Series(uniq).str.slice(9, 11).to_numpy()
    seq = pd.Series(uniq).groupby(nn).cumcount().to_numpy() + 1
    proj_of = np.array([f"PRJ-{a}-{b:04d}" for a, b in zip(nn, seq, strict=True)], dtype=object)
    proj = np.full(len(budget), None, dtype=object)
    proj[capital] = proj_of[codes]
    budget[C.PROJECT_CODE] = pd.Series(proj, dtype="str")

    result = Budget(frame=budget)
    # planted diversions
    for year, unit, desc, kind, rev_ratio, exec_ratio in DIVERSIONS:
        sel = (
            (budget[C.FISCAL_YEAR] == year) & (budget[C.UNIT_NAME] == unit) & (budget[C.DESCRIPTION] == desc)
        )
        if sel.sum() != 1:
            raise RuntimeError(f"diversion line not unique: {year} {unit} {desc}")
        i = int(np.flatnonzero(sel.to_numpy())[0])
        initial = int(budget.at[i, C.INITIAL_APPROPRIATION])
        revised = initial if rev_ratio == 1.0 else int(round(initial * rev_ratio / 100) * 100 + 37)
        revised = 0 if rev_ratio == 0 else revised
        expenditure = int(round(revised * exec_ratio)) if exec_ratio else 0
        budget.loc[i, [C.REVISED_APPROPRIATION, C.EXPENDITURE]] = [revised, expenditure]
        result.diversions.append(
            {
                C.FISCAL_YEAR: year,
                C.LINE_ID: int(budget.at[i, C.LINE_ID]),
                C.UNIT_NAME: unit,
                C.DESCRIPTION: desc,
                "kind": kind,
                "revised_ratio": round(revised / initial, 4),
                "execution_rate": round(expenditure / revised, 4) if revised else None,
                C.INITIAL_APPROPRIATION: initial,
                C.REVISED_APPROPRIATION: revised,
                C.EXPENDITURE: expenditure,
            }
        )
    for year, unit, desc in OVERSPEND:
        sel = (
            (budget[C.FISCAL_YEAR] == year) & (budget[C.UNIT_NAME] == unit) & (budget[C.DESCRIPTION] == desc)
        )
        sel &= budget[C.REVISED_APPROPRIATION] > 0
        i = int(np.flatnonzero(sel.to_numpy())[0])
        revised = int(budget.at[i, C.REVISED_APPROPRIATION])
        expenditure = revised + max(int(revised * (0.002 + 0.02 * rng.random())), 1_00)
        budget.loc[i, C.EXPENDITURE] = expenditure
        result.overspend.append(
            {
                C.FISCAL_YEAR: year,
                C.LINE_ID: int(budget.at[i, C.LINE_ID]),
                C.UNIT_NAME: unit,
                C.DESCRIPTION: desc,
                C.REVISED_APPROPRIATION: revised,
                C.EXPENDITURE: expenditure,
            }
        )
    result.gender_descriptions = sorted(
        {p[3] for p in PROGRAMMES if p[5]}
        | {t.format(d="").removesuffix(" - ") for *_, t, _, _ in DISTRICT_PROJECTS if t.startswith("YUVAMIZ")}
    )
    budget = budget.sort_values([C.FISCAL_YEAR, C.LINE_ID], kind="stable").reset_index(drop=True)
    order = [c for c in C.BUDGET_COLUMNS if c in budget.columns]
    result.frame = budget[[*order, "_scope"]]
    return result


# =================================================================================================================
# Planted gaps: comparisons, expected and measured rate ratios
# =================================================================================================================
DENOMINATORS = {
    "population": (C.POPULATION, None),
    "disabled_population": (C.DISABLED_POPULATION, None),
    "non_disabled_population": (C.POPULATION, C.DISABLED_POPULATION),
    "migrant_population": (C.MIGRANT_POPULATION, None),
    "citizen_population": (C.POPULATION, C.MIGRANT_POPULATION),
}


def _mask(frame: pd.DataFrame, flt: dict) -> np.ndarray:
    keep = np.ones(len(frame), dtype=bool)
    for col, val in flt.items():
        if col not in frame.columns:
            continue
        values = frame[col]
        if isinstance(val, dict):
            keep &= ~values.isin(val["not_in"]).to_numpy()
        elif isinstance(val, list):
            keep &= values.isin(val).to_numpy()
        else:
            keep &= (values == val).to_numpy()
    return keep


def measure(
    usage: pd.DataFrame, pop: pd.DataFrame, service: str, flt: dict, denominator: str
) -> tuple[int, int]:
    """Distinct (person, fiscal year) users of ``service`` matching ``flt``, and the matching population.

    ``usage`` may hold one service only or be reduced to one row per (service, person, year): the attributes of
    a person are constant within a year.
    """
    u = usage[(usage[C.SERVICE_CODE] == service).to_numpy()]
    u = u[_mask(u, flt)]
    users = len(u[[C.PERSON_ID, C.FISCAL_YEAR]].drop_duplicates())
    p = pop[_mask(pop, {k: v for k, v in flt.items() if k in C.POPULATION_COLUMNS})]
    num, minus = DENOMINATORS[denominator]
    n = p[num].sum() - (p[minus].sum() if minus else 0)
    return users, int(n)


def _expected(exp: pd.DataFrame, service: str, flt: dict, denominator: str) -> tuple[float, float]:
    e = exp[(exp[C.SERVICE_CODE] == service).to_numpy()]
    e = e[_mask(e, {k: v for k, v in flt.items() if k in e.columns})]
    factor = 1.0
    if C.DISABILITY in flt:
        e = e[e["_dis"].to_numpy() == (flt[C.DISABILITY] == C.YES)]
        factor *= 1 - UNKNOWN_P
    if C.MIGRANT_STATUS in flt:
        val = flt[C.MIGRANT_STATUS]
        statuses = val if isinstance(val, list) else [val]
        if statuses == [C.CITIZEN]:
            e = e[~e["_mig"].to_numpy()]
        else:
            e = e[e["_mig"].to_numpy()]
            factor *= float(sum(NON_CITIZEN_P[NON_CITIZEN.index(s)] for s in statuses))
        factor *= 1 - UNKNOWN_P
    if denominator in ("disabled_population", "non_disabled_population") and C.DISABILITY not in flt:
        raise RuntimeError("a disability denominator needs a disability filter")
    return float(e["_expected"].sum() * factor), float(e["_n"].sum())


def _label_frame(frame: pd.DataFrame, districts: list[str]) -> pd.DataFrame:
    out = frame.copy()
    out[C.DISTRICT] = np.array(districts, dtype=object)[out["_d"].to_numpy()]
    out[C.SEX] = np.array(SEXES, dtype=object)[out["_s"].to_numpy()]
    out[C.AGE_BAND] = np.array(BANDS, dtype=object)[out["_b"].to_numpy()]
    return out


def _compare(usage, pop, exp, service, group, reference) -> dict:
    ug, ng = measure(usage, pop, service, group["filter"], group["denominator"])
    ur, nr = measure(usage, pop, service, reference["filter"], reference["denominator"])
    eg, eng = _expected(exp, service, group["filter"], group["denominator"])
    er, enr = _expected(exp, service, reference["filter"], reference["denominator"])
    if eng != ng or enr != nr:
        raise RuntimeError(f"expected and measured denominators differ for {service}")
    rr = (ug / ng) / (ur / nr)
    se = float(np.sqrt(1 / ug - 1 / ng + 1 / ur - 1 / nr))
    return {
        "users_group": ug,
        "population_group": ng,
        "users_reference": ur,
        "population_reference": nr,
        "expected_rate_ratio": round((eg / eng) / (er / enr), 4),
        "measured_rate_ratio": round(rr, 4),
        "ci95": [round(rr * float(np.exp(-1.96 * se)), 4), round(rr * float(np.exp(1.96 * se)), 4)],
    }


def _side(denominator: str = "population", **flt) -> dict:
    return {
        "filter": {k: (list(v) if isinstance(v, tuple) else v) for k, v in flt.items()},
        "denominator": denominator,
    }


def comparisons(districts: list[str]) -> tuple[list[dict], list[dict]]:
    """The planted gaps and the groups planted as equal, as comparisons between two filtered groups."""
    not_w65 = {"not_in": list(WOMEN65_DISTRICTS)}
    not_mig = {"not_in": list(MIGRANT_GAP_DISTRICTS)}
    non_citizen = list(NON_CITIZEN)
    adult = ["25-44"]
    gaps = []
    for code, what in (("EVB", "home care"), ("SAG", "health screening")):
        gaps.append(
            {
                "id": f"{code.lower()}_women65_five_districts",
                "service_code": code,
                "description": f"Women aged 65+ in five districts are under-reached by {what}: their rate is "
                f"multiplied by {WOMEN65_MULT} in every cell (sex = female, age band 65+, district in the list).",
                "planted_multiplier": WOMEN65_MULT,
                "districts": list(WOMEN65_DISTRICTS),
                "comparisons": [
                    {
                        "name": "women 65+ vs men 65+, same five districts",
                        "group": _side(sex=C.FEMALE, age_band="65+", district=WOMEN65_DISTRICTS),
                        "reference": _side(sex=C.MALE, age_band="65+", district=WOMEN65_DISTRICTS),
                    },
                    {
                        "name": "women 65+ in the five districts vs women 65+ in the other 34 districts",
                        "group": _side(sex=C.FEMALE, age_band="65+", district=WOMEN65_DISTRICTS),
                        "reference": _side(sex=C.FEMALE, age_band="65+", district=not_w65),
                    },
                ],
            }
        )
    gaps.append(
        {
            "id": "spr_disabled",
            "service_code": "SPR",
            "description": f"Disabled residents are under-reached by sports centres: rate × {DISABLED_SPORT_MULT} "
            "in every cell, all districts, both sexes, all ages.",
            "planted_multiplier": DISABLED_SPORT_MULT,
            "comparisons": [
                {
                    "name": "disabled vs non-disabled residents aged 25-44 (same age band: the planted ratio)",
                    "group": _side("disabled_population", disability=C.YES, age_band="25-44"),
                    "reference": _side("non_disabled_population", disability=C.NO, age_band="25-44"),
                },
                {
                    "name": "disabled vs non-disabled residents, all ages (crude: disabled residents are older)",
                    "group": _side("disabled_population", disability=C.YES),
                    "reference": _side("non_disabled_population", disability=C.NO),
                },
            ],
        }
    )
    for code, what in (("MEK", "vocational courses"), ("SYD", "social aid")):
        gaps.append(
            {
                "id": f"{code.lower()}_non_citizens_four_districts",
                "service_code": code,
                "description": f"Migrants, refugees and people under temporary protection are under-reached by "
                f"{what} in four districts: rate × {MIGRANT_MULT} in their cells there; elsewhere equal.",
                "planted_multiplier": MIGRANT_MULT,
                "districts": list(MIGRANT_GAP_DISTRICTS),
                "comparisons": [
                    {
                        "name": "non-citizens vs citizens aged 25-44 in the four districts (the planted ratio)",
                        "group": _side(
                            "migrant_population", migrant_status=non_citizen, age_band=adult,
                            district=MIGRANT_GAP_DISTRICTS,
                        ),
                        "reference": _side(
                            "citizen_population", migrant_status=C.CITIZEN, age_band=adult,
                            district=MIGRANT_GAP_DISTRICTS,
                        ),
                    },
                    {
                        "name": "non-citizens vs citizens in the four districts, all ages (crude)",
                        "group": _side(
                            "migrant_population", migrant_status=non_citizen, district=MIGRANT_GAP_DISTRICTS
                        ),
                        "reference": _side(
                            "citizen_population", migrant_status=C.CITIZEN, district=MIGRANT_GAP_DISTRICTS
                        ),
                    },
                ],
            }
        )  # fmt: skip
    creche = {
        "id": "krs_outer_districts",
        "service_code": "KRS",
        "description": f"The crèche (Yuvamız İstanbul) under-reaches four outer districts: rate among children "
        f"aged 0-4 × {CRECHE_MULT} there; every other district at the city rate.",
        "planted_multiplier": CRECHE_MULT,
        "districts": list(CRECHE_GAP_DISTRICTS),
        "comparisons": [
            {
                "name": "children 0-4 in the four outer districts vs children 0-4 in the other 35 districts",
                "group": _side(age_band="0-4", district=CRECHE_GAP_DISTRICTS),
                "reference": _side(age_band="0-4", district={"not_in": list(CRECHE_GAP_DISTRICTS)}),
            }
        ],
    }
    creche["comparisons"].append(
        {
            "name": "children 0-4 in the four outer districts vs all children 0-4 of the city (city average)",
            "group": _side(age_band="0-4", district=CRECHE_GAP_DISTRICTS),
            "reference": _side(age_band="0-4"),
        }
    )
    for d in CRECHE_GAP_DISTRICTS:
        creche["comparisons"].append(
            {
                "name": f"children 0-4 in {d} vs children 0-4 in the other 35 districts",
                "group": _side(age_band="0-4", district=d),
                "reference": _side(age_band="0-4", district={"not_in": list(CRECHE_GAP_DISTRICTS)}),
            }
        )
    gaps.append(creche)

    equal = [
        {
            "id": "huk_sex",
            "service_code": "HUK",
            "description": "Legal counselling: the same rate for women and men in every age band.",
            "comparisons": [
                {"name": "women vs men aged 25-44", "group": _side(sex=C.FEMALE, age_band="25-44"),
                 "reference": _side(sex=C.MALE, age_band="25-44")},
                {"name": "women vs men, all ages (crude)", "group": _side(sex=C.FEMALE),
                 "reference": _side(sex=C.MALE)},
            ],
        },
        {
            "id": "yas_sex",
            "service_code": "YAS",
            "description": "Elderly day centre: the same rate for women and men aged 65+.",
            "comparisons": [
                {"name": "women 65+ vs men 65+", "group": _side(sex=C.FEMALE, age_band="65+"),
                 "reference": _side(sex=C.MALE, age_band="65+")},
            ],
        },
        {
            "id": "krs_sex",
            "service_code": "KRS",
            "description": "Crèche: girls and boys enrolled at the same rate.",
            "comparisons": [
                {"name": "girls 0-4 vs boys 0-4", "group": _side(sex=C.FEMALE, age_band="0-4"),
                 "reference": _side(sex=C.MALE, age_band="0-4")},
            ],
        },
        {
            "id": "evb_men65_five_districts",
            "service_code": "EVB",
            "description": "Home care: the gap is women-specific — men 65+ in the five districts are reached as "
            "elsewhere.",
            "comparisons": [
                {"name": "men 65+ in the five districts vs men 65+ elsewhere",
                 "group": _side(sex=C.MALE, age_band="65+", district=WOMEN65_DISTRICTS),
                 "reference": _side(sex=C.MALE, age_band="65+", district=not_w65)},
            ],
        },
        {
            "id": "mek_non_citizens_elsewhere",
            "service_code": "MEK",
            "description": "Vocational courses: outside the four districts non-citizens are reached as citizens.",
            "comparisons": [
                {"name": "non-citizens vs citizens aged 25-44 outside the four districts",
                 "group": _side("migrant_population", migrant_status=non_citizen, age_band=adult, district=not_mig),
                 "reference": _side("citizen_population", migrant_status=C.CITIZEN, age_band=adult,
                                    district=not_mig)},
            ],
        },
        {
            "id": "syd_non_citizens_elsewhere",
            "service_code": "SYD",
            "description": "Social aid: outside the four districts non-citizens are reached as citizens.",
            "comparisons": [
                {"name": "non-citizens vs citizens aged 25-44 outside the four districts",
                 "group": _side("migrant_population", migrant_status=non_citizen, age_band=adult, district=not_mig),
                 "reference": _side("citizen_population", migrant_status=C.CITIZEN, age_band=adult,
                                    district=not_mig)},
            ],
        },
        {
            "id": "sag_disability",
            "service_code": "SAG",
            "description": "Health screening: disabled and non-disabled residents reached at the same rate.",
            "comparisons": [
                {"name": "disabled vs non-disabled aged 45-64",
                 "group": _side("disabled_population", disability=C.YES, age_band="45-64"),
                 "reference": _side("non_disabled_population", disability=C.NO, age_band="45-64")},
            ],
        },
    ]  # fmt: skip
    dht = {
        "id": "dht_district",
        "service_code": "DHT",
        "description": "Support line: every district reached at the same rate (women aged 25-44, each district "
        "vs the other 38).",
        "comparisons": [],
    }
    for d in districts:
        dht["comparisons"].append(
            {
                "name": f"women 25-44 in {d} vs women 25-44 in the other 38 districts",
                "group": _side(sex=C.FEMALE, age_band="25-44", district=d),
                "reference": _side(sex=C.FEMALE, age_band="25-44", district={"not_in": [d]}),
            }
        )
    equal.append(dht)
    return gaps, equal


def evaluate(usage: Usage, pop: pd.DataFrame, districts: list[str]) -> tuple[list[dict], list[dict]]:
    exp = _label_frame(usage.expected, districts)
    inside = usage.frame[inside_eligibility(usage.frame)]
    person_years = inside.drop_duplicates([C.SERVICE_CODE, C.PERSON_ID, C.FISCAL_YEAR])
    # categoricals make the many small filters fast; values and results are unchanged
    cat = [C.SERVICE_CODE, C.PERSON_ID, C.SEX, C.AGE_BAND, C.DISABILITY, C.MIGRANT_STATUS, C.DISTRICT]
    person_years = person_years[[*cat, C.FISCAL_YEAR]].astype({c: "category" for c in cat})
    pop = pop.astype({c: "category" for c in (C.DISTRICT, C.NEIGHBOURHOOD, C.SEX, C.AGE_BAND)})
    exp = exp.astype({c: "category" for c in (C.SERVICE_CODE, C.DISTRICT, C.SEX, C.AGE_BAND)})
    by_service = {code: f for code, f in person_years.groupby(C.SERVICE_CODE, sort=False, observed=True)}
    exp_by_service = {code: f for code, f in exp.groupby(C.SERVICE_CODE, sort=False, observed=True)}
    gaps, equal = comparisons(districts)
    for entry in (*gaps, *equal):
        code = entry["service_code"]
        for comp in entry["comparisons"]:
            comp.update(
                _compare(by_service[code], pop, exp_by_service[code], code, comp["group"], comp["reference"])
            )
    return gaps, equal


# =================================================================================================================
# Writing
# =================================================================================================================
def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Deterministic parquet: no pandas metadata, no index, zstd, one row group, fixed row order."""
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    pq.write_table(table, path, compression="zstd", compression_level=9, row_group_size=1 << 20)


def write_csv(frame: pd.DataFrame, path: Path, *, sep=",", encoding="utf-8", newline="\n") -> None:
    text = frame.to_csv(sep=sep, index=False, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    path.write_bytes(text.encode(encoding))


def turkish_amount(kurus: np.ndarray) -> list[str]:
    """Integer kuruş → ``1.234.567,89``."""
    return [f"{k // 100:,}".replace(",", ".") + f",{k % 100:02d}" for k in kurus.tolist()]


def write_messy(
    out: Path, rng: np.random.Generator, budget: pd.DataFrame, usage: pd.DataFrame, pop: pd.DataFrame
):
    messy = out / "messy"
    messy.mkdir(parents=True, exist_ok=True)
    # --- budget 2024: Windows-1254, ';', Turkish headers and number format, CRLF
    b = budget[budget[C.FISCAL_YEAR] == 2024]
    tr = pd.DataFrame(
        {
            "Yıl": b[C.FISCAL_YEAR].to_numpy(),
            "Satır No": b[C.LINE_ID].to_numpy(),
            "Kurumsal Kod": b[C.INSTITUTIONAL_CODE].to_numpy(),
            "Birim": b[C.UNIT_NAME].to_numpy(),
            "Fonksiyonel Kod": b[C.FUNCTIONAL_CODE].to_numpy(),
            "Finansman Tipi": b[C.FINANCING_TYPE].to_numpy(),
            "Ekonomik Kod": b[C.ECONOMIC_CODE].to_numpy(),
            "Açıklama": b[C.DESCRIPTION].to_numpy(),
            "Başlangıç Ödeneği": turkish_amount(b[C.INITIAL_APPROPRIATION].to_numpy()),
            "Revize Ödenek": turkish_amount(b[C.REVISED_APPROPRIATION].to_numpy()),
            "Harcama": turkish_amount(b[C.EXPENDITURE].to_numpy()),
        }
    )
    write_csv(tr, messy / "budget_2024_tr.csv", sep=";", encoding="cp1254", newline="\r\n")

    # --- usage sample: xlsx with Turkish headers and mixed spellings
    idx = np.sort(rng.choice(len(usage), size=USAGE_SAMPLE_ROWS, replace=False))
    s = usage.iloc[idx]
    n = len(s)
    female = (s[C.SEX] == C.FEMALE).to_numpy()
    short = rng.random(n) < 0.4
    sex = np.where(female, np.where(short, "K", "Kadın"), np.where(short, "E", "Erkek"))
    dis_map = {C.YES: "Evet", C.NO: "Hayır", C.UNKNOWN: "Bilinmiyor"}
    mig_map = {C.CITIZEN: "Vatandaş", C.MIGRANT: "Göçmen", C.REFUGEE: "Mülteci",
               C.TEMPORARY_PROTECTION: "Geçici Koruma", C.UNKNOWN: "Bilinmiyor"}  # fmt: skip
    upper = rng.random(n) < 0.45
    district = s[C.DISTRICT].to_numpy(dtype=object)
    district = np.where(upper, np.array([tr_upper(d) for d in district], dtype=object), district)
    headers = ["Kayıt No", "Hizmet Kodu", "Hizmet", "Birim", "Tarih", "Kişi No", "Cinsiyet", "Yaş", "Engellilik",
               "Göçmenlik Durumu", "İlçe", "Mahalle", "Miktar"]  # fmt: skip
    cols = [
        s[C.RECORD_ID].tolist(),
        s[C.SERVICE_CODE].tolist(),
        s[C.SERVICE_NAME].tolist(),
        s[C.UNIT_NAME].tolist(),
        s[C.DATE].dt.strftime("%d.%m.%Y").tolist(),
        s[C.PERSON_ID].tolist(),
        sex.tolist(),
        s[C.AGE].astype(int).tolist(),
        s[C.DISABILITY].map(dis_map).tolist(),
        s[C.MIGRANT_STATUS].map(mig_map).tolist(),
        district.tolist(),
        s[C.NEIGHBOURHOOD].tolist(),
        s[C.QUANTITY].astype(int).tolist(),
    ]
    import xlsxwriter  # deferred: only the generator needs it

    wb = xlsxwriter.Workbook(str(messy / "usage_sample_tr.xlsx"))
    wb.set_properties({"created": XLSX_CREATED, "title": "Hizmet kullanım kayıtları (SENTETİK örnek)"})
    ws = wb.add_worksheet("Kayıtlar")
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, headers, bold)
    for j, col in enumerate(cols):
        for i, value in enumerate(col):
            if isinstance(value, str):
                ws.write_string(i + 1, j, value)
            else:
                ws.write_number(i + 1, j, value)
    ws.freeze_panes(1, 0)
    wb.close()

    # --- population 2024: UTF-8 with BOM, ';', band spelled with hyphen or en dash
    p = pop[pop[C.FISCAL_YEAR] == 2024]
    dash = rng.random(len(p)) < 0.5
    band = p[C.AGE_BAND].to_numpy(dtype=object)
    band = np.where(dash, np.array([b.replace("-", "–") for b in band], dtype=object), band)
    sex_tr = np.where((p[C.SEX] == C.FEMALE).to_numpy(), "Kadın", "Erkek")
    tp = pd.DataFrame(
        {
            "İlçe": p[C.DISTRICT].to_numpy(),
            "Mahalle": p[C.NEIGHBOURHOOD].to_numpy(),
            "Cinsiyet": sex_tr,
            "Yaş Grubu": band,
            "Nüfus": p[C.POPULATION].to_numpy(),
        }
    )
    write_csv(tp, messy / "population_tr.csv", sep=";", encoding="utf-8-sig", newline="\r\n")


def _fmt_int(x: int) -> str:
    return f"{x:,}".replace(",", " ")


def write_readme(
    out: Path, seed: int, info: dict, gaps: list[dict], equal: list[dict], budget: Budget
) -> None:
    lines = [
        "# Demo municipality (SYNTHETIC)",
        "",
        "> **SYNTHETIC DATA.** Every number, person and budget line in this folder is invented by",
        "> `generate.py`. The districts and their approximate sizes come from `datasets/reference/`, the department",
        "> names from İBB's YEEP 2021–2024 (canonical names of `datasets/reference/units.csv`); nothing else is real.",
        "> Neighbourhood (mahalle) names are real (TÜİK's list, `datasets/reference/istanbul_neighbourhoods.csv`), drawn",
        "> at random within each district; their populations and everything about their residents are invented.",
        "",
        f"Generated by `python datasets/demo/generate.py --seed {seed}` (default seed {SEED}, 8 March 2024) with "
        "numpy `default_rng` streams spawned from one `SeedSequence`. Running it again reproduces every file "
        "byte for byte with the same numpy/pyarrow versions (parquet is written without pandas metadata, zstd, one "
        "row group; the xlsx has a fixed creation date).",
        "",
        "## Files",
        "",
        "| file | rows | what |",
        "|---|---:|---|",
        f"| `population.parquet` | {_fmt_int(info['population_rows'])} | fiscal year (2023, 2024) × district × "
        "neighbourhood × sex × age band: `population`, `disabled_population`, `migrant_population` |",
        f"| `budget.parquet` | {_fmt_int(info['budget_rows'])} | analytic budget lines 2023 "
        f"({_fmt_int(info['budget_rows_2023'])}) and 2024 ({_fmt_int(info['budget_rows_2024'])}); money in "
        "integer kuruş (int64) |",
        f"| `usage.parquet` | {_fmt_int(info['usage_rows'])} | service-usage records 2023–2024 of "
        f"{_fmt_int(info['usage_persons'])} pseudonymous persons |",
        f"| `services.csv` | {len(SERVICES)} | service catalogue |",
        f"| `neighbourhoods.csv` | {_fmt_int(info['neighbourhoods'])} | district, neighbourhood, approximate 2024 "
        "population |",
        "| `planted_gaps.yaml` | | the planted gaps, the groups planted as equal, the planted budget diversions |",
        "| `messy/` | | real-format copies for reader tests, see `messy/README.md` |",
        "",
        "Columns are the canonical names of `gcdb/columns.py`. Budget: `fiscal_year, line_id (int64, 1…n within a "
        "year), institutional_code (46.34.01.NN), unit_name, functional_code, financing_type ('5' own, '7' loans, "
        "'8' grants), economic_code, description, initial_appropriation, revised_appropriation, expenditure, "
        "activity_code (F + NN + activity), project_code (capital lines only, stable across years)`; no `quarter` "
        "(annual figures). Usage: `record_id` (R + 8 digits, in date order), `person_id` (P + 7 digits), `date` "
        "(datetime64[us]), `fiscal_year` = year of `date`, `age` in completed years, `age_band` from "
        "`DEFAULT_AGE_BANDS`, codes `female/male`, `yes/no/unknown`, `citizen/migrant/refugee/"
        "temporary_protection/unknown`. About 1 % of persons have an unknown disability and 1 % an unknown "
        "migrant status.",
        "",
        "## How the data are made",
        "",
        "- **Population**: the 39 districts at their `approx_population` (2024 changes by −1 % … +2.5 %), 4–12 neighbourhoods "
        "each, an age pyramid that is younger in Esenyurt, Sultanbeyli, Arnavutköy … and older in Kadıköy, "
        "Beşiktaş, Adalar …; disabled residents ≈ 6 % (1 % of children 0-4 rising to 19.5 % at 65+); "
        "non-citizens concentrated in Esenyurt, Fatih, Zeytinburnu, Esenler, Bağcılar, Sultanbeyli, Küçükçekmece.",
        "- **Usage**: each population cell is split into disabled × non-citizen sub-cells; for every service and "
        "year the number of distinct users of a sub-cell is Binomial(n, p) with p = service propensity by sex and "
        "age band × disability multiplier × planted multiplier. Users get an age inside their band, 1 + "
        "Poisson(λ) records in the year (dates follow the service's seasonality; office services on weekdays), "
        "a quantity; a share of 2024 users are returning 2023 users (same `person_id`, one year older, same band). "
        "Person ids are per service (a resident who uses two services has two ids), as when each department "
        "keeps its own case system.",
        "- **Budget**: 29 departments (`46.34.01.01`–`.29`), activities with personnel lines, generic goods and "
        "services lines of the economic classification, department programmes (many gender-relevant) and district "
        "projects; 2024 ≈ 2023 × 1.6 (personnel × 1.75) with ~4.5 % of lines dropped and ~7 % new. Revisions "
        "are −30 %…+30 % (a few lines revised to 0, a few added in-year with a zero initial appropriation, the "
        "reserve `YEDEK ÖDENEK` revised to 0); expenditure 60–100 % of the revised appropriation (personnel "
        "93–100 %, some capital lines 0).",
        "",
        "## Baseline propensities (by design, not gaps)",
        "",
        "| service | unit | women : men (sum of band rates) | ages | disability multiplier |",
        "|---|---|---|---|---|",
    ]
    for s in SERVICES:
        fm = np.asarray(s.female)
        ml = np.asarray(s.male)
        ratio = "women only" if ml.sum() == 0 else f"{fm.sum() / ml.sum():.2f}"
        ages = ", ".join(b for b, f, m in zip(BANDS, fm, ml, strict=True) if f + m > 0)
        dm = "disabled only" if s.disability_mult[1] == 0 else f"× {s.disability_mult[0]:g}"
        first = int(BAND_LO[np.flatnonzero(fm + ml > 0)[0]])
        lines.append(
            f"| {s.code} {s.name} | {s.unit} | {ratio} | {ages} (from age {max(first, s.min_age)}) | {dm} |"
        )
    lines += [
        "",
        f"Social aid (SYD) goes to women in {info['syd_female_share']:.1%} of recipients (the plan reports "
        "83.83 % for SEDEP).",
        "",
        "## Planted gaps",
        "",
        "Rate = distinct (`person_id`, `fiscal_year`) pairs among the service's records matching the group ÷ the "
        "group's population summed over 2023 and 2024. *Expected* is the ratio of the generator's expected counts "
        "(it differs from the planted multiplier only where the compared groups have different age/sex "
        "structure); *measured* is computed from the committed files.",
        "",
        "| gap | comparison | planted | expected | measured | 95 % CI | users (group / reference) |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for g in gaps:
        for c in g["comparisons"]:
            lines.append(
                f"| `{g['id']}` | {c['name']} | {g['planted_multiplier']} | {c['expected_rate_ratio']:.3f} | "
                f"{c['measured_rate_ratio']:.3f} | {c['ci95'][0]:.3f}–{c['ci95'][1]:.3f} | "
                f"{c['users_group']} / {c['users_reference']} |"
            )
    lines += [
        "",
        "## Groups planted as equal",
        "",
        "| id | comparison | expected | measured | 95 % CI |",
        "|---|---|---:|---:|---|",
    ]
    for e in equal:
        comps = e["comparisons"]
        if e["id"] == "dht_district":
            rr = [c["measured_rate_ratio"] for c in comps]
            big = [c["measured_rate_ratio"] for c in comps if c["users_group"] >= 150]
            lines.append(
                f"| `{e['id']}` | each district vs the other 38 (women 25-44) | 1.000 | {min(rr):.3f}–{max(rr):.3f} "
                f"(districts with ≥ 150 users: {min(big):.3f}–{max(big):.3f}) | see yaml |"
            )
            continue
        for c in comps:
            lines.append(
                f"| `{e['id']}` | {c['name']} | {c['expected_rate_ratio']:.3f} | {c['measured_rate_ratio']:.3f} | "
                f"{c['ci95'][0]:.3f}–{c['ci95'][1]:.3f} |"
            )
    lines += [
        "",
        "## Planted budget diversions",
        "",
        "Lines a rule set could tag (every programme and district-project line, and every line under functional "
        "codes 10.x, 09.x, 07.x) are revised only between −8 % and +30 % and executed at ≥ 78 % — except these "
        "planted lines, so a diversion check with a revised-down threshold between 10 % and 60 % and a "
        "not-executed threshold between 10 % and 75 % finds exactly them:",
        "",
        "| year | line | unit | description | signal | initial TL | revised TL | expenditure TL |",
        "|---|---:|---|---|---|---:|---:|---:|",
    ]
    for d in budget.diversions:
        lines.append(
            f"| {d[C.FISCAL_YEAR]} | {d[C.LINE_ID]} | {d[C.UNIT_NAME]} | {d[C.DESCRIPTION]} | {d['kind']} | "
            f"{turkish_amount(np.array([d[C.INITIAL_APPROPRIATION]]))[0]} | "
            f"{turkish_amount(np.array([d[C.REVISED_APPROPRIATION]]))[0]} | "
            f"{turkish_amount(np.array([d[C.EXPENDITURE]]))[0]} |"
        )
    lines += [
        "",
        "Expenditure exceeds the revised appropriation on exactly these lines (planted data-quality cases, listed "
        "under `budget_overspend` in the yaml): "
        + "; ".join(f"{o[C.FISCAL_YEAR]} line {o[C.LINE_ID]} ({o[C.DESCRIPTION]})" for o in budget.overspend)
        + ".",
        "",
    ]
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")


MESSY_README = """# Messy real-format copies (SYNTHETIC)

Copies of parts of the demo data as municipalities really export them, for reader tests. The clean canonical
equivalents are the parquet files one folder up; a correct reader must reproduce them exactly (money to the kuruş).

## `budget_2024_tr.csv` — the {budget_rows} budget lines of 2024
- Windows-1254 (cp1254) encoding, `;` separator, CRLF line ends, Turkish header row:
  `Yıl;Satır No;Kurumsal Kod;Birim;Fonksiyonel Kod;Finansman Tipi;Ekonomik Kod;Açıklama;Başlangıç Ödeneği;Revize Ödenek;Harcama`.
- Amounts in Turkish number format: `.` thousands separator, `,` decimal comma, always two decimals
  (`1.234.567,89`; zero is `0,00`).
- Upper-case Turkish descriptions with İ/I/Ş/Ğ/Ü/Ö/Ç; some contain commas, parentheses and ` - `.
- Clean equivalent: `budget.parquet` where `fiscal_year == 2024`, columns `fiscal_year, line_id,
  institutional_code, unit_name, functional_code, financing_type, economic_code, description,
  initial_appropriation, revised_appropriation, expenditure` (same row order; `Satır No` = `line_id`).
  The CSV has no activity or project code.

## `usage_sample_tr.xlsx` — {usage_rows} usage records (sheet `Kayıtlar`)
- Turkish headers: `Kayıt No, Hizmet Kodu, Hizmet, Birim, Tarih, Kişi No, Cinsiyet, Yaş, Engellilik,
  Göçmenlik Durumu, İlçe, Mahalle, Miktar`.
- `Tarih` is **text** `dd.mm.yyyy` (e.g. `01.03.2023`), not an Excel date.
- `Cinsiyet` mixes `Kadın`/`Erkek` and `K`/`E`.
- `Engellilik`: `Evet`/`Hayır`/`Bilinmiyor`; `Göçmenlik Durumu`: `Vatandaş`/`Göçmen`/`Mülteci`/`Geçici Koruma`/
  `Bilinmiyor`.
- `İlçe` mixes Turkish upper case (`ŞİŞLİ`, `BAĞCILAR`, `KÜÇÜKÇEKMECE`) and the canonical spelling (`Şişli`).
- `Yaş`, `Miktar` are numbers; `Kayıt No`, `Kişi No` text.
- Clean equivalent: `usage.parquet` rows whose `record_id` is in the sheet's `Kayıt No` (same order: sorted by
  record id), columns `record_id, service_code, service_name, unit_name, date, person_id, sex, age,
  disability, migrant_status, district, neighbourhood, quantity` (`fiscal_year` and `age_band` derive from
  `date` and `age`).

## `population_tr.csv` — the {population_rows} population cells of 2024
- UTF-8 **with BOM**, `;` separator, CRLF line ends, header `İlçe;Mahalle;Cinsiyet;Yaş Grubu;Nüfus`.
- `Cinsiyet` is `Kadın`/`Erkek`.
- `Yaş Grubu` is written with a hyphen (`25-44`) or an en dash (`25–44`) at random row by row; `65+` as is.
- Clean equivalent: `population.parquet` where `fiscal_year == 2024`, columns `district, neighbourhood, sex,
  age_band, population` (same row order). The CSV has no year, disabled or migrant columns.
"""


def write_all(out: Path, seed: int) -> dict:
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    rng_pop, rng_usage, rng_budget, rng_messy = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)
    )
    districts = read_districts()
    population = build_population(rng_pop, districts)
    usage = build_usage(rng_usage, population)
    budget = build_budget(rng_budget, population.districts)
    t_build = time.perf_counter() - t0

    pop = population.frame[list(C.POPULATION_COLUMNS)].reset_index(drop=True)
    write_parquet(pop, out / "population.parquet")
    budget_frame = budget.frame.drop(columns="_scope")
    write_parquet(budget_frame, out / "budget.parquet")
    write_parquet(usage.frame, out / "usage.parquet")

    services = pd.DataFrame(
        {
            C.SERVICE_CODE: [s.code for s in SERVICES],
            C.SERVICE_NAME: [s.name for s in SERVICES],
            C.UNIT_NAME: [s.unit for s in SERVICES],
            "service_group": [s.group for s in SERVICES],
            "target_group": [s.target for s in SERVICES],
            "quantity_unit": [s.quantity_unit for s in SERVICES],
            "yeep_action": [s.yeep_action for s in SERVICES],
            "eligible_age_min": [_age_text(s.eligible_age_min) for s in SERVICES],
            "eligible_age_max": [_age_text(s.eligible_age_max) for s in SERVICES],
            "eligible_sex": [s.eligible_sex for s in SERVICES],
            "eligible_disability": [s.eligible_disability for s in SERVICES],
            "eligible_migrant": ["" for _ in SERVICES],
            "eligible_districts": ["" for _ in SERVICES],
        }
    )
    write_csv(services, out / "services.csv")
    p24 = pop[pop[C.FISCAL_YEAR] == 2024]
    nb_pop = p24.groupby([C.DISTRICT, C.NEIGHBOURHOOD], sort=False)[C.POPULATION].sum()
    nbh = population.neighbourhoods.merge(nb_pop.rename("approx_population").reset_index(), how="left")
    nbh["approx_population"] = (np.rint(nbh["approx_population"] / 100) * 100).astype(np.int64)
    write_csv(nbh, out / "neighbourhoods.csv")

    gaps, equal = evaluate(usage, pop, population.districts)
    u = usage.frame
    syd = u[u[C.SERVICE_CODE] == "SYD"].drop_duplicates([C.PERSON_ID, C.FISCAL_YEAR])
    info = {
        "population_rows": len(pop),
        "budget_rows": len(budget_frame),
        "budget_rows_2023": int((budget_frame[C.FISCAL_YEAR] == 2023).sum()),
        "budget_rows_2024": int((budget_frame[C.FISCAL_YEAR] == 2024).sum()),
        "usage_rows": len(u),
        "usage_persons": int(u[C.PERSON_ID].nunique()),
        "neighbourhoods": len(nbh),
        "syd_female_share": float((syd[C.SEX] == C.FEMALE).mean()),
    }
    doc = {
        "synthetic": True,
        "seed": seed,
        "generator": "datasets/demo/generate.py",
        "rate_definition": (
            "rate = distinct (person_id, fiscal_year) pairs in usage.parquet with service_code = the entry's "
            "service, inside the service's eligibility (services.csv: eligible ages, sex and disability; the few "
            "records planted outside it are data-quality findings) and matching the side's filter, divided by the "
            "side's denominator summed over the "
            "population.parquet rows matching the filter's population keys (fiscal_year, district, neighbourhood, "
            "sex, age_band), both fiscal years pooled. rate_ratio = rate(group) / rate(reference)."
        ),
        "filter_grammar": (
            "filter maps a canonical usage column to a value (equality), a list (membership) or {not_in: list}. "
            "disability and migrant_status filter usage only. denominator: population | disabled_population | "
            "non_disabled_population (population - disabled_population) | migrant_population | citizen_population "
            "(population - migrant_population)."
        ),
        "expected_vs_planted": (
            "planted_multiplier multiplies the propensity in the affected cells. expected_rate_ratio is computed "
            "from the generator's expected user counts; it equals the multiplier when the compared groups share "
            "their age/sex structure. measured_rate_ratio and ci95 (Katz log interval) come from the files."
        ),
        "gaps": gaps,
        "equal": equal,
        "budget_diversions": budget.diversions,
        "diversion_scope": (
            "A line is in the diversion scope when its description is not in generic_descriptions (programme and "
            "district-project lines) or its functional_code starts with 10., 09. or 07. Apart from "
            "budget_diversions, every such line has initial_appropriation > 0, revised_appropriation >= 0.92 * "
            "initial_appropriation and expenditure >= 0.78 * revised_appropriation. gender_relevant_descriptions "
            "lists the lines written as gender-relevant (district crèche lines as their prefix)."
        ),
        "gender_relevant_descriptions": budget.gender_descriptions,
        "generic_descriptions": list(GENERIC_DESCRIPTIONS),
        "budget_overspend": budget.overspend,
    }
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    (out / "planted_gaps.yaml").write_text("# SYNTHETIC demo municipality: planted effects\n" + text, "utf-8")
    write_readme(out, seed, info, gaps, equal, budget)

    write_messy(out, rng_messy, budget_frame, u, pop)
    (out / "messy" / "README.md").write_text(
        MESSY_README.format(
            budget_rows=info["budget_rows_2024"], usage_rows=USAGE_SAMPLE_ROWS, population_rows=len(p24)
        ),
        encoding="utf-8",
    )
    info["seconds"] = round(time.perf_counter() - t0, 2)
    info["build_seconds"] = round(t_build, 2)
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate gcdb's SYNTHETIC demo municipality.")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent, help="output folder")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = parser.parse_args(argv)
    info = write_all(args.out, args.seed)
    print(
        f"demo written to {args.out}: {info['usage_rows']} usage rows ({info['usage_persons']} persons), "
        f"{info['budget_rows']} budget lines, {info['population_rows']} population cells in {info['seconds']} s "
        f"({info['build_seconds']} s building)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
