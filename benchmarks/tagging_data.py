"""Synthetic service-usage records and a generated rule set for ``bench_tagging.py``.

Data: ``n`` usage rows over 400 services, 39 districts, sexes, ages 0–99, disability and migrant status, fiscal
years 2021–2024 — text columns in pandas' ``str`` dtype, as the readers produce them. Rules: at least 300, of every
kind the language has (equals, in, prefix, contains with word boundaries, between, missing, all/any/not, validity
years), in ``first`` mode.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from gcdb import columns as C
from gcdb.rules import RuleSet, parse_ruleset

N_SERVICES = 400
DISTRICTS = [
    "Adalar", "Arnavutköy", "Ataşehir", "Avcılar", "Bağcılar", "Bahçelievler", "Bakırköy", "Başakşehir",
    "Bayrampaşa", "Beşiktaş", "Beykoz", "Beylikdüzü", "Beyoğlu", "Büyükçekmece", "Çatalca", "Çekmeköy",
    "Esenler", "Esenyurt", "Eyüpsultan", "Fatih", "Gaziosmanpaşa", "Güngören", "Kadıköy", "Kağıthane", "Kartal",
    "Küçükçekmece", "Maltepe", "Pendik", "Sancaktepe", "Sarıyer", "Silivri", "Sultanbeyli", "Sultangazi", "Şile",
    "Şişli", "Tuzla", "Ümraniye", "Üsküdar", "Zeytinburnu",
]  # fmt: skip
TOPICS = [
    "KADIN DAYANIŞMA EVİ", "KREŞ KAYDI", "ŞİDDET DESTEK HATTI", "SOSYAL YARDIM", "MESLEK KURSU", "EVDE BAKIM",
    "SAĞLIK TARAMASI", "ENGELLİ ULAŞIM", "İSTANBULKART", "SPOR MERKEZİ", "HUKUKİ DANIŞMANLIK", "YAŞLI BAKIM",
    "KADIN KOOPERATİFİ", "GENÇLİK MERKEZİ", "KÜTÜPHANE", "PSİKOLOJİK DESTEK",
]  # fmt: skip


def _str_column(codes: np.ndarray, vocabulary: list[str]) -> pd.Series:
    dictionary = pa.array(vocabulary, type=pa.large_string())
    array = pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), dictionary).cast(
        pa.large_string()
    )
    return pd.Series(pd.array(array, dtype="str"))


def service_vocabulary() -> tuple[list[str], list[str]]:
    codes = [f"{100 + i // 25}.{i % 25:02d}" for i in range(N_SERVICES)]  # hierarchical: 100.00 … 115.24
    names = [f"{TOPICS[i % len(TOPICS)]} {i // len(TOPICS) + 1}" for i in range(N_SERVICES)]
    return codes, names


def make_usage(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes, names = service_vocabulary()
    service = np.minimum(rng.zipf(1.3, n) - 1, N_SERVICES - 1)  # a few big services, a long tail
    return pd.DataFrame(
        {
            C.RECORD_ID: np.arange(n, dtype=np.int64),
            C.SERVICE_CODE: _str_column(service, codes),
            C.SERVICE_NAME: _str_column(service, names),
            C.FISCAL_YEAR: rng.integers(2021, 2025, n),
            C.SEX: _str_column(rng.choice(4, n, p=[0.52, 0.46, 0.01, 0.01]), list(C.SEX_CODES)),
            C.AGE: rng.integers(0, 100, n),
            C.DISABILITY: _str_column(rng.choice(3, n, p=[0.07, 0.92, 0.01]), list(C.DISABILITY_CODES)),
            C.MIGRANT_STATUS: _str_column(
                rng.choice(5, n, p=[0.9, 0.04, 0.03, 0.02, 0.01]), list(C.MIGRANT_CODES)
            ),
            C.DISTRICT: _str_column(rng.integers(0, len(DISTRICTS), n), DISTRICTS),
            C.QUANTITY: rng.integers(1, 10, n),
        }
    )


def make_rules(n_rules: int = 320, seed: int = 11) -> RuleSet:
    """A rule set of ``n_rules`` (≥ 300) rules of every kind."""
    rng = np.random.default_rng(seed)
    codes, _ = service_vocabulary()
    rules = []

    def add(when, **extra):
        i = len(rules)
        rules.append(
            {"id": f"r{i:03d}", "when": when, "then": {"actions": [f"A{i % 15 + 1}H1E{i % 7 + 1}"]}, **extra}
        )

    for i in range(200):  # one service each, some for women or an age group, some dated
        when = {"column": C.SERVICE_CODE, "equals": codes[(i * 7) % N_SERVICES]}
        if i % 4 == 1:
            when = {"all": [when, {"column": C.SEX, "equals": C.FEMALE}]}
        elif i % 4 == 2:
            when = {"all": [when, {"column": C.AGE, "between": {"min": 65}}]}
        add(when, **({"valid_from": 2022} if i % 10 == 3 else {}))
    for i in range(40):  # service families by code prefix, with an exception
        prefix = str(100 + i % 16)
        add(
            {
                "all": [
                    {"column": C.SERVICE_CODE, "prefix": prefix},
                    {"column": C.AGE, "between": {"min": 2 * i, "max": 2 * i + 9}},
                    {"not": {"column": C.DISTRICT, "in": DISTRICTS[i % 5 :: 9]}},
                ]
            },
            priority=-1,
        )
    for i in range(40):  # topics by name, Turkish-folded, at the start of a word
        topic = TOPICS[i % len(TOPICS)].split()[0].lower()
        add(
            {
                "all": [
                    {"column": C.SERVICE_NAME, "contains_any": [topic, "destek"], "word": "start"},
                    {"column": C.DISTRICT, "in": list(rng.choice(DISTRICTS, 6, replace=False))},
                ]
            },
            priority=-2,
        )
    for i in range(n_rules - len(rules)):  # groups: disability, migrants, age bands, missing values
        add(
            {
                "any": [
                    {
                        "all": [
                            {"column": C.DISABILITY, "equals": C.YES},
                            {"column": C.AGE, "between": {"max": 17 + i}},
                        ]
                    },
                    {
                        "all": [
                            {"column": C.MIGRANT_STATUS, "in": [C.REFUGEE, C.TEMPORARY_PROTECTION]},
                            {"column": C.SEX, "equals": C.FEMALE},
                            {"column": C.DISTRICT, "equals": DISTRICTS[i % 39]},
                        ]
                    },
                    {"column": C.SEX, "missing": True},
                ]
            },
            priority=-3,
            valid_to=2023 if i % 2 else 2024,
        )
    return parse_ruleset({"name": "benchmark", "applies_to": "usage", "mode": "first", "rules": rules})
