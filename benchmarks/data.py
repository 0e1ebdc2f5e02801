"""Scalable, deterministic synthetic inputs for the benchmark suite.

* :func:`make_usage` — ``n`` service-usage records in gcdb's canonical shape: 13 services (the demo's catalogue
  under hierarchical codes ``10.01`` …), ``n // 3`` persons with repeat use (a person keeps sex, age,
  disability, migrant status and home neighbourhood), 39 districts, 897 (district, neighbourhood) pairs, a date and
  fiscal year 2024, quantity. Text columns are pandas' ``str`` dtype, as the readers produce them; 1.5 % of
  neighbourhoods are missing.
* :func:`make_population` — the matching baseline: every (district, neighbourhood) × sex × age band, with
  disabled and migrant residents.
* :func:`make_budget` — ``n`` budget lines resampled from the demo municipality's analytic budget (codes, units,
  descriptions, two fiscal years) with fresh line ids and random amounts in the three phases (int64 kuruş), so
  the shipped İBB rule set tags them as it tags the demo.
* :func:`make_rules` — a ``first``-mode rule set of ≥ 300 rules over the usage vocabulary, using the predicates
  the DuckDB translation (:mod:`sql_rules`) supports: equals, in, prefix, contains/contains_any (Turkish-folded,
  plain and ``word: start``), between, missing, combined with all/any/not and validity years.

Everything is vectorised (a dictionary of distinct strings + integer codes); the same ``seed`` gives the same
frames.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from gcdb import columns as C
from gcdb.rules import RuleSet, parse_ruleset

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "datasets" / "demo"
YEAR = 2024

DISTRICTS = [
    "Adalar", "Arnavutköy", "Ataşehir", "Avcılar", "Bağcılar", "Bahçelievler", "Bakırköy", "Başakşehir",
    "Bayrampaşa", "Beşiktaş", "Beykoz", "Beylikdüzü", "Beyoğlu", "Büyükçekmece", "Çatalca", "Çekmeköy",
    "Esenler", "Esenyurt", "Eyüpsultan", "Fatih", "Gaziosmanpaşa", "Güngören", "Kadıköy", "Kağıthane", "Kartal",
    "Küçükçekmece", "Maltepe", "Pendik", "Sancaktepe", "Sarıyer", "Silivri", "Sultanbeyli", "Sultangazi", "Şile",
    "Şişli", "Tuzla", "Ümraniye", "Üsküdar", "Zeytinburnu",
]  # fmt: skip
NEIGHBOURHOOD_NAMES = [
    "Cumhuriyet", "Atatürk", "Fatih", "Yenimahalle", "Merkez", "Mimar Sinan", "Yavuz Selim", "Barbaros",
    "İstiklal", "Güneşli", "Çamlık", "Esentepe", "Bahçelievler", "Yıldıztepe", "Kocatepe", "Gültepe",
    "Hürriyet", "Zafer", "Mevlana", "Yunus Emre", "Akşemsettin", "Orhangazi", "Kazım Karabekir", "Şirintepe",
    "Sahil", "Gazi Osman Paşa", "Karadeniz", "İnönü", "Çınar", "Selimiye", "Ihlamur", "Yeşilköy", "Ömerli",
    "Dumlupınar", "Namık Kemal", "Adnan Kahveci", "Sakarya", "Pınartepe", "Güzeltepe", "Küçükköy",
]  # fmt: skip
N_NEIGHBOURHOODS_PER_DISTRICT = 23  # 39 × 23 = 897 pairs
#: (code, name, unit, share of records): the demo's 13 services under hierarchical codes (department.service).
SERVICES = [
    ("10.01", "Yuvamız İstanbul Kreş Kaydı", "Sosyal Hizmetler Daire Başkanlığı", 0.07),
    ("10.02", "Kadın Dayanışma Evi (Sığınak) Konaklama", "Sosyal Hizmetler Daire Başkanlığı", 0.01),
    ("10.03", "Kadın Destek Hattı (Şiddet Önleme)", "Sosyal Hizmetler Daire Başkanlığı", 0.03),
    ("10.04", "Sosyal Yardım (Nakdi Destek)", "Sosyal Hizmetler Daire Başkanlığı", 0.15),
    ("10.05", "Engelli Bireyler Ulaşım Hizmeti", "Sosyal Hizmetler Daire Başkanlığı", 0.04),
    ("10.06", "Hukuki Danışmanlık", "Sosyal Hizmetler Daire Başkanlığı", 0.02),
    ("10.07", "Kadın Kooperatiflerine Destek", "Sosyal Hizmetler Daire Başkanlığı", 0.01),
    ("20.01", "Meslek Edindirme Kursu (İSMEK / Enstitü İstanbul)", "İnsan Kaynakları ve Eğitim Daire Başkanlığı", 0.12),
    ("30.01", "Evde Bakım ve Evde Sağlık Hizmeti", "Sağlık Daire Başkanlığı", 0.05),
    ("30.02", "Sağlık Taraması (Kronik Hastalık Erken Tanı)", "Sağlık Daire Başkanlığı", 0.10),
    ("30.03", "Yaşlı Gündüz Bakım Merkezi", "Sağlık Daire Başkanlığı", 0.03),
    ("40.01", "Ücretsiz / İndirimli İstanbulkart Başvurusu", "Ulaşım Daire Başkanlığı", 0.17),
    ("50.01", "Spor Merkezi Üyeliği", "Destek Hizmetleri Daire Başkanlığı", 0.20),
]  # fmt: skip
SEX_P = [0.52, 0.46, 0.01, 0.01]  # female, male, other, unknown
DISABILITY_P = [0.07, 0.92, 0.01]  # yes, no, unknown
MIGRANT_P = [0.90, 0.03, 0.02, 0.04, 0.01]  # citizen, migrant, refugee, temporary protection, unknown
MISSING_NEIGHBOURHOOD = 0.015
USAGE_DIMENSIONS = (C.SEX, C.AGE_BAND, C.DISABILITY, C.MIGRANT_STATUS, C.DISTRICT)  # the 5 benchmark dims


def str_column(codes: np.ndarray, vocabulary: list[str]) -> pd.Series:
    """A pandas ``str`` column from integer ``codes`` into ``vocabulary`` (code −1 → missing)."""
    dictionary = pa.array(vocabulary, type=pa.large_string())
    indices = pa.array(codes.astype(np.int32), mask=codes < 0)
    array = pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.large_string())
    return pd.Series(pd.array(array, dtype="str"))


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pd.Series:
    text = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.large_string()), width, "0")
    joined = pc.binary_join_element_wise(
        pa.scalar(prefix, pa.large_string()), text, pa.scalar("", pa.large_string())
    )
    return pd.Series(pd.array(joined, dtype="str"))


def neighbourhood_pairs(seed: int = 3) -> pd.DataFrame:
    """The 897 (district, neighbourhood) pairs; names repeat across districts."""
    rng = np.random.default_rng(seed)
    rows = []
    for district in DISTRICTS:
        picks = rng.choice(len(NEIGHBOURHOOD_NAMES), N_NEIGHBOURHOODS_PER_DISTRICT, replace=False)
        rows += [(district, NEIGHBOURHOOD_NAMES[i]) for i in sorted(picks)]
    return pd.DataFrame(rows, columns=[C.DISTRICT, C.NEIGHBOURHOOD])


def make_population(seed: int = 5) -> pd.DataFrame:
    """Residents by district × neighbourhood × sex × age band for :data:`YEAR`."""
    rng = np.random.default_rng(seed)
    pairs = neighbourhood_pairs()
    bands = list(C.DEFAULT_AGE_BANDS.labels)
    grid = pairs.merge(pd.DataFrame({C.SEX: [C.FEMALE, C.MALE]}), how="cross").merge(
        pd.DataFrame({C.AGE_BAND: bands}), how="cross"
    )
    size = rng.lognormal(np.log(8000), 0.6, len(pairs)).repeat(2 * len(bands))
    band_share = np.tile(np.array([0.06, 0.14, 0.15, 0.33, 0.22, 0.10]), 2 * len(pairs))
    people = np.maximum(1, np.round(size * band_share / 2)).astype(np.int64)
    disabled_rate = np.tile(np.array([0.01, 0.024, 0.03, 0.04, 0.078, 0.195]), 2 * len(pairs))
    out = grid.assign(
        **{
            C.POPULATION: people,
            C.DISABLED_POPULATION: rng.binomial(people, disabled_rate),
            C.MIGRANT_POPULATION: rng.binomial(people, 0.08),
        }
    )
    out.insert(0, C.FISCAL_YEAR, YEAR)
    for col in (C.DISTRICT, C.NEIGHBOURHOOD, C.SEX, C.AGE_BAND):
        out[col] = out[col].astype("str")
    return out


def make_usage(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` canonical service-usage records (see the module docstring)."""
    rng = np.random.default_rng(seed)
    n_persons = max(n // 3, 1)
    pairs = neighbourhood_pairs()
    pair_weight = rng.lognormal(0, 0.6, len(pairs))
    # persons: fixed attributes
    p_sex = rng.choice(4, n_persons, p=SEX_P)
    p_age = np.minimum(rng.gamma(2.2, 17.0, n_persons), 99).astype(np.int64)
    p_dis = rng.choice(3, n_persons, p=DISABILITY_P)
    p_mig = rng.choice(5, n_persons, p=MIGRANT_P)
    p_pair = rng.choice(len(pairs), n_persons, p=pair_weight / pair_weight.sum())
    # records: a person (repeat users: a skewed draw) and a service
    person = np.minimum((rng.pareto(1.2, n) * n_persons / 8).astype(np.int64), n_persons - 1)
    person = (person * 2_654_435_761 + rng.integers(0, 2, n)) % n_persons  # spread heavy users over ids
    service = rng.choice(len(SERVICES), n, p=np.array([s[3] for s in SERVICES]) / sum(s[3] for s in SERVICES))
    age = p_age[person]
    bands = C.DEFAULT_AGE_BANDS
    band = np.searchsorted(np.array(bands.lower), age, side="right") - 1
    pair = p_pair[person]
    district_codes = pd.Index(DISTRICTS).get_indexer(pairs[C.DISTRICT])[pair]
    neighbourhood_vocab = sorted(set(NEIGHBOURHOOD_NAMES))
    neighbourhood_codes = pd.Index(neighbourhood_vocab).get_indexer(pairs[C.NEIGHBOURHOOD])[pair]
    neighbourhood_codes = np.where(rng.random(n) < MISSING_NEIGHBOURHOOD, -1, neighbourhood_codes)
    day = rng.integers(0, 366, n)
    dates = (np.datetime64(f"{YEAR}-01-01", "D") + day).astype("datetime64[us]")
    return pd.DataFrame(
        {
            C.RECORD_ID: _ids("R", np.arange(1, n + 1), 9),
            C.SERVICE_CODE: str_column(service, [s[0] for s in SERVICES]),
            C.SERVICE_NAME: str_column(service, [s[1] for s in SERVICES]),
            C.UNIT_NAME: str_column(service, [s[2] for s in SERVICES]),
            C.DATE: dates,
            C.FISCAL_YEAR: np.full(n, YEAR, dtype=np.int64),
            C.PERSON_ID: _ids("P", person + 1, 8),
            C.SEX: str_column(p_sex[person], list(C.SEX_CODES)),
            C.AGE: age,
            C.AGE_BAND: str_column(band, list(bands.labels)),
            C.DISABILITY: str_column(p_dis[person], list(C.DISABILITY_CODES)),
            C.MIGRANT_STATUS: str_column(p_mig[person], list(C.MIGRANT_CODES)),
            C.DISTRICT: str_column(district_codes, DISTRICTS),
            C.NEIGHBOURHOOD: str_column(neighbourhood_codes, neighbourhood_vocab),
            C.QUANTITY: rng.integers(1, 20, n),
        }
    )


def make_budget(n: int, seed: int = 13) -> pd.DataFrame:
    """``n`` budget lines resampled from the demo budget, with new line ids and amounts (int64 kuruş)."""
    rng = np.random.default_rng(seed)
    demo = pd.read_parquet(DEMO / "budget.parquet")
    pick = np.sort(rng.integers(0, len(demo), n))
    out = demo.iloc[pick].reset_index(drop=True)
    out[C.LINE_ID] = np.arange(1, n + 1, dtype=np.int64)
    initial = np.round(rng.lognormal(np.log(2_000_000), 1.4, n) * 100).astype(np.int64)  # kuruş
    revised = np.round(initial * rng.uniform(0.8, 1.25, n)).astype(np.int64)
    out[C.INITIAL_APPROPRIATION] = initial
    out[C.REVISED_APPROPRIATION] = revised
    out[C.EXPENDITURE] = np.round(revised * rng.uniform(0.55, 1.0, n)).astype(np.int64)
    return out


def make_rules(n_rules: int = 320, seed: int = 11) -> RuleSet:
    """A ``first``-mode rule set of ``n_rules`` (≥ 300) rules over the usage vocabulary."""
    rng = np.random.default_rng(seed)
    codes = [s[0] for s in SERVICES]
    pairs = neighbourhood_pairs()
    rules: list[dict] = []

    def add(when, **extra):
        i = len(rules)
        action = f"A{i % 15 + 1}H1E{i % 7 + 1}"
        rules.append({"id": f"r{i:03d}", "when": when, "then": {"actions": [action]}, **extra})

    bands = list(zip(C.DEFAULT_AGE_BANDS.lower, [*C.DEFAULT_AGE_BANDS.lower[1:], 200], strict=True))
    for i, code in enumerate(codes):  # service × sex × age band: 13 × 2 × 6 = 156
        for sex in (C.FEMALE, C.MALE):
            for j, (lo, hi) in enumerate(bands):
                add(
                    {
                        "all": [
                            {"column": C.SERVICE_CODE, "equals": code},
                            {"column": C.SEX, "equals": sex},
                            {"column": C.AGE, "between": {"min": lo, "max": hi - 1}},
                        ]
                    },
                    priority=2 if (i + j) % 5 == 0 else 0,
                    **({"valid_from": 2025} if (i + j) % 7 == 3 else {}),
                )
    for i in range(50):  # department by code prefix, in some districts, not others
        add(
            {
                "all": [
                    {"column": C.SERVICE_CODE, "prefix": ["10", "20", "30", "40", "50"][i % 5]},
                    {"column": C.DISTRICT, "in": list(rng.choice(DISTRICTS, 5, replace=False))},
                    {"not": {"column": C.MIGRANT_STATUS, "equals": C.CITIZEN}},
                ]
            },
            priority=3,
        )
    topics = ["kadın", "destek", "sağlık", "engelli", "yaşlı", "kurs", "istanbul", "bakım"]
    for i in range(40):  # topics by name, Turkish-folded, some at the start of a word
        add(
            {
                "all": [
                    {"column": C.SERVICE_NAME, "contains_any": [topics[i % 8], topics[(i + 3) % 8]]}
                    | ({"word": "start"} if i % 2 else {}),
                    {"column": C.DISABILITY, "in": [C.YES] if i % 3 else [C.YES, C.UNKNOWN]},
                ]
            },
            priority=4,
            **({"valid_to": 2023} if i % 9 == 4 else {}),
        )
    for i in range(n_rules - len(rules) - 4):  # neighbourhoods (pairs with their district)
        d, nb = pairs.iloc[(i * 37) % len(pairs)]
        add(
            {
                "all": [
                    {"column": C.DISTRICT, "equals": d},
                    {"column": C.NEIGHBOURHOOD, "equals": nb},
                    {
                        "any": [
                            {"column": C.AGE, "between": {"min": 65}},
                            {"column": C.SEX, "equals": C.FEMALE},
                        ]
                    },
                ]
            },
            priority=1,
        )
    add({"column": C.NEIGHBOURHOOD, "missing": True}, priority=-1)
    add({"column": C.SEX, "in": [C.OTHER, C.UNKNOWN]}, priority=-1)
    add({"column": C.SERVICE_NAME, "contains": "İSTANBUL"}, priority=-2)
    add({"column": C.QUANTITY, "between": {"min": 15}}, priority=-3)
    return parse_ruleset({"name": "benchmark", "applies_to": "usage", "mode": "first", "rules": rules})


_CACHE: dict[str, tuple[int, object]] = {}


def cached(kind: str, n: int = 0):
    """``make_<kind>(n)`` (``usage``, ``budget``, ``population``, ``rules``), keeping the last one of each kind, so
    the benchmark modules share one frame per size without holding every size at once."""
    hit = _CACHE.get(kind)
    if hit is None or hit[0] != n:
        _CACHE.pop(kind, None)
        make = {"usage": make_usage, "budget": make_budget}.get(kind)
        value = make(n) if make else {"population": make_population, "rules": make_rules}[kind]()
        _CACHE[kind] = (n, value)
    return _CACHE[kind][1]


def release() -> None:
    """Drop the cached frames (and collect them)."""
    import gc

    _CACHE.clear()
    gc.collect()
