"""A small hand-made municipality with many small cells: three districts of two neighbourhoods, two services
(a women's shelter counted in nights and a day-care centre), about 160 persons."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gcdb import columns as C

DISTRICTS = {"Adalar": ("Burgaz", "Heybeli"), "Şile": ("Ağva", "Merkez"), "Beykoz": ("Paşabahçe", "Çubuklu")}
BANDS = ("15-24", "25-44", "45-64", "65+")


def population() -> pd.DataFrame:
    rows = []
    for d, nbs in DISTRICTS.items():
        for nb in nbs:
            for sex in (C.FEMALE, C.MALE):
                for band in BANDS:
                    rows.append((d, nb, sex, band, 400, 40, 20))
    cols = [
        C.DISTRICT,
        C.NEIGHBOURHOOD,
        C.SEX,
        C.AGE_BAND,
        C.POPULATION,
        C.DISABLED_POPULATION,
        C.MIGRANT_POPULATION,
    ]
    return pd.DataFrame(rows, columns=cols).astype({c: "str" for c in cols[:4]})


def usage(seed: int = 13) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    places = [(d, nb) for d, nbs in DISTRICTS.items() for nb in nbs]
    persons = []
    pid = 0
    for service, n, women in (("SIG", 40, 1.0), ("GBM", 120, 0.6)):
        for _ in range(n):
            d, nb = places[rng.integers(len(places))]
            persons.append(
                {
                    C.SERVICE_CODE: service,
                    C.PERSON_ID: f"K{pid:04d}",
                    C.SEX: C.FEMALE if rng.random() < women else C.MALE,
                    C.AGE_BAND: BANDS[rng.integers(len(BANDS))],
                    C.DISABILITY: rng.choice([C.NO, C.YES, C.UNKNOWN], p=[0.8, 0.15, 0.05]),
                    C.MIGRANT_STATUS: rng.choice([C.CITIZEN, C.REFUGEE, C.UNKNOWN], p=[0.85, 0.1, 0.05]),
                    C.DISTRICT: d,
                    C.NEIGHBOURHOOD: nb,
                    "visits": int(rng.integers(1, 4)),
                }
            )
            pid += 1
    people = pd.DataFrame(persons)
    records = people.loc[people.index.repeat(people["visits"])].drop(columns="visits").reset_index(drop=True)
    records[C.RECORD_ID] = [f"R{i:05d}" for i in range(len(records))]
    records[C.SERVICE_NAME] = records[C.SERVICE_CODE].map({"SIG": "Kadın Sığınağı", "GBM": "Gündüz Bakım"})
    records[C.UNIT_NAME] = "Sosyal Hizmetler"
    records[C.FISCAL_YEAR] = np.int64(2024)
    records[C.QUANTITY] = rng.integers(1, 6, size=len(records)).astype(np.float64)
    text = [c for c in records.columns if c not in (C.FISCAL_YEAR, C.QUANTITY)]
    return records.astype({c: "str" for c in text})


INDICATORS = """\
name: El yapımı belediye göstergeleri
version: "1"
indicators:
  - id: siginak-geceleri
    indicator: A5-G27
    title_tr: "Kadın sığınağında geçirilen geceler"
    title_en: "Nights in the women's shelter"
    kind: count
    measure: quantity
    filter: {column: service_code, equals: SIG}
    by: [district]
    unit: count
    direction: neutral
    reference: "test"
  - id: gunduz-bakim-kadinlar
    indicator: A1-G43
    title_tr: "Gündüz bakım merkezini kullanan kadınlar"
    title_en: "Women using the day-care centre"
    kind: count
    measure: users
    filter:
      all:
        - {column: service_code, equals: GBM}
        - {column: sex, equals: female}
    by: [district, [district, age_band]]
    unit: count
    direction: higher_is_better
    reference: "test"
"""


def indicators(tmp_path):
    path = tmp_path / "gostergeler.yaml"
    path.write_text(INDICATORS, encoding="utf-8")
    return path
