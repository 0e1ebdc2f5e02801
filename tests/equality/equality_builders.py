"""Small builders of canonical usage records and population baselines for the equality tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gcdb import columns as C


def usage(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """Usage records from tuples; adds ``record_id`` and a ``service_code`` of ``S1`` when absent."""
    frame = pd.DataFrame(rows, columns=columns)
    if C.RECORD_ID not in frame.columns:
        frame.insert(0, C.RECORD_ID, np.arange(len(frame)))
    if C.SERVICE_CODE not in frame.columns:
        frame[C.SERVICE_CODE] = "S1"
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].astype("str")
    return frame


def expand(counts: dict[tuple, int], columns: list[str], start: int = 0) -> pd.DataFrame:
    """One record per person: ``counts[(sex, district, …)] = n`` gives n distinct persons with those values."""
    rows, pid = [], start
    for key, n in counts.items():
        for _ in range(n):
            rows.append((f"p{pid}", *key))
            pid += 1
    return usage(rows, [C.PERSON_ID, *columns])


def population(
    districts=("A", "B"),
    sexes=(C.FEMALE, C.MALE),
    bands=C.DEFAULT_AGE_BANDS.labels,
    value: int = 1000,
    **extra,
) -> pd.DataFrame:
    """A full baseline: every district × sex × age band with ``value`` residents (extra columns broadcast)."""
    frame = pd.DataFrame(
        [(d, s, a, value) for d in districts for s in sexes for a in bands],
        columns=[C.DISTRICT, C.SEX, C.AGE_BAND, C.POPULATION],
    )
    for col, v in extra.items():
        frame[col] = v
    return frame.astype({C.DISTRICT: "str", C.SEX: "str", C.AGE_BAND: "str"})


def random_usage(rng: np.random.Generator, n: int, n_persons: int, districts=("A", "B", "C")) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            C.RECORD_ID: np.arange(n),
            C.PERSON_ID: pd.array(rng.integers(0, n_persons, n).astype(str), dtype="str"),
            C.SERVICE_CODE: pd.array(rng.choice(["S1", "S2"], n), dtype="str"),
            C.SEX: pd.array(rng.choice([C.FEMALE, C.MALE, C.UNKNOWN], n, p=[0.5, 0.45, 0.05]), dtype="str"),
            C.AGE_BAND: pd.array(rng.choice(list(C.DEFAULT_AGE_BANDS.labels), n), dtype="str"),
            C.DISABILITY: pd.array(rng.choice([C.YES, C.NO, C.UNKNOWN], n, p=[0.2, 0.7, 0.1]), dtype="str"),
            C.MIGRANT_STATUS: pd.array(rng.choice(list(C.MIGRANT_CODES), n), dtype="str"),
            C.DISTRICT: pd.array(rng.choice(list(districts), n), dtype="str"),
            C.QUANTITY: rng.integers(1, 4, n).astype(np.float64),
        }
    )
    return frame
