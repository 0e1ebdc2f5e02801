"""The dimensions coded in threads and the person ids coded beside them give the results of one thread."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest
from equality_builders import population, random_usage

from gcdb import columns as C
from gcdb.equality import breakdown, categories, impact_table
from gcdb.equality import names as N
from gcdb.equality.categories import encode
from gcdb.scale import executors

breakdown_module = importlib.import_module("gcdb.equality.breakdown")  # (the package exports the function)
DIMS = [C.SEX, C.AGE_BAND, C.DISABILITY, C.MIGRANT_STATUS, C.DISTRICT]


@pytest.fixture
def usage() -> pd.DataFrame:
    frame = random_usage(np.random.default_rng(11), 6000, 1500, districts=("Ç", "B", "İ", "A"))
    frame.loc[frame.index[::13], C.PERSON_ID] = None
    frame.loc[frame.index[::29], C.SEX] = None
    frame[C.DISABILITY] = frame[C.DISABILITY].astype("category")  # a categorical's own codes, beside text
    return frame


def _both(monkeypatch: pytest.MonkeyPatch, fn):
    """``fn()`` one thread at a time, then with every size threaded."""
    monkeypatch.setattr(executors, "THREADED_ROWS", 10**12)
    alone = fn()
    monkeypatch.setattr(executors, "THREADED_ROWS", 0)
    return alone, fn()


def test_threads_are_used_from_the_threshold(monkeypatch, usage):
    started = []
    real = breakdown_module.Background

    def spy(*args, **kwargs):
        started.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(breakdown_module, "Background", spy)
    _both(monkeypatch, lambda: breakdown(usage, DIMS))
    assert len(started) == 1  # the dimensions coded beside the person ids, only in the threaded run
    coded = usage.assign(**{C.PERSON_ID: pd.array(np.arange(len(usage)), dtype="Int64")})
    started.clear()
    breakdown(coded, DIMS)
    assert started == []  # integer ids are their own codes: nothing to hash in a thread


def test_breakdown_in_threads_equals_one_thread(monkeypatch, usage):
    alone, threaded = _both(monkeypatch, lambda: breakdown(usage, DIMS, service=C.SERVICE_CODE))
    assert alone[N.USERS].sum() > 0
    pd.testing.assert_frame_equal(alone, threaded, check_exact=True)


def test_impact_table_in_threads_equals_one_thread(monkeypatch, usage):
    pop = population(districts=("Ç", "B", "İ", "A"))
    entries = [[C.SEX], [C.AGE_BAND], [C.MIGRANT_STATUS], [C.SEX, C.DISTRICT]]
    alone, threaded = _both(
        monkeypatch, lambda: impact_table(usage, pop, entries, service=C.SERVICE_CODE, k=5, audit=True)
    )
    pd.testing.assert_frame_equal(alone, threaded, check_exact=True)


def test_a_dimension_too_large_for_int16_is_widened_in_threads(monkeypatch, usage):
    big = pd.concat([usage] * 7, ignore_index=True)  # 42,000 rows, each its own street
    big["street"] = pd.array([f"s{i}" for i in range(len(big))], dtype="str")
    (alone, dims_alone), (threaded, dims_threaded) = _both(
        monkeypatch, lambda: encode(big, [C.SEX, "street", C.AGE_BAND], {"street": categories.BY_VALUES})
    )
    assert alone.dtype == threaded.dtype == np.int32  # 42,000 streets do not fit int16
    np.testing.assert_array_equal(alone, threaded)
    assert [d.labels.tolist() for d in dims_alone] == [d.labels.tolist() for d in dims_threaded]


def test_bad_categories_raise_the_same_error_in_threads(monkeypatch, usage):
    bad = usage.assign(**{C.SEX: usage[C.SEX].where(usage.index != 7, "kadın?")})
    messages = []
    for rows in (10**12, 0):
        monkeypatch.setattr(executors, "THREADED_ROWS", rows)
        with pytest.raises(Exception) as caught:
            breakdown(bad, DIMS)
        messages.append((type(caught.value), str(caught.value)))
    assert messages[0] == messages[1] and "kadın?" in messages[0][1]


def test_dimensions_in_threads_with_integer_ids_or_no_users_equal_one_thread(monkeypatch, usage):
    codes, _ = pd.factorize(usage[C.PERSON_ID], use_na_sentinel=True)
    coded = usage.assign(**{C.PERSON_ID: pd.arrays.IntegerArray(np.maximum(codes, 0), codes < 0)})
    for frame, measure in ((coded, None), (usage, [N.USES, N.QUANTITY])):
        alone, threaded = _both(monkeypatch, lambda f=frame, m=measure: breakdown(f, DIMS, measure=m))
        pd.testing.assert_frame_equal(alone, threaded, check_exact=True)
