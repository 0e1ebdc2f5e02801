"""Each expensive thing once: person ids coded once, one cube per impact table and its counts — same results."""

from __future__ import annotations

import numpy as np
import pandas as pd
from equality_builders import population, random_usage

from gcdb import columns as C
from gcdb.equality import breakdown, impact_table
from gcdb.equality import names as N
from gcdb.equality.breakdown import margin_counts
from gcdb.equality.ratios import impact_with_cube
from gcdb.persons import person_codes

DIMS = [C.SEX, C.AGE_BAND, C.DISTRICT]


def test_person_codes_takes_dense_integer_codes_as_they_are():
    codes, n = person_codes(pd.Series(pd.array([3, None, 0, 3], dtype="Int64")))
    assert codes.tolist() == [3, -1, 0, 3] and n == 4
    codes, n = person_codes(pd.Series(np.array([2, 1, 2], dtype=np.int64)))
    assert codes.tolist() == [2, 1, 2] and n == 3


def test_person_codes_factorises_other_ids():
    codes, n = person_codes(pd.Series(["bb", None, "a", "bb"], dtype="str"))  # text of two widths: hashed
    assert codes.tolist() == [0, -1, 1, 0] and n == 2
    wide = pd.Series(np.array([10**15, 7, 10**15], dtype=np.int64))  # national-id-sized integers
    codes, n = person_codes(wide)
    assert codes.tolist() == [0, 1, 0] and n == 2
    negative = pd.Series(pd.array([-1, 5, None], dtype="Int64"))  # -1 is an id here, not a missing one
    codes, n = person_codes(negative)
    assert codes.tolist() == [0, 1, -1] and n == 2
    assert person_codes(pd.Series(pd.array([None, None], dtype="Int64")))[0].tolist() == [-1, -1]


def test_breakdown_counts_the_same_with_text_ids_and_their_codes():
    usage = random_usage(np.random.default_rng(3), 4000, 900)
    usage.loc[usage.index[::17], C.PERSON_ID] = None
    coded = usage.copy()
    codes, _ = pd.factorize(usage[C.PERSON_ID], use_na_sentinel=True)
    coded[C.PERSON_ID] = pd.arrays.IntegerArray(np.maximum(codes, 0), codes < 0)
    pd.testing.assert_frame_equal(breakdown(usage, DIMS), breakdown(coded, DIMS), check_exact=True)


def test_impact_cube_gives_the_breakdown_of_its_margins():
    usage = random_usage(np.random.default_rng(5), 5000, 1200)
    pop = population(districts=("A", "B", "C"))
    entries = [[C.SEX], [C.AGE_BAND], [C.SEX, C.DISTRICT]]
    measures = [N.USERS, N.USES, N.QUANTITY]
    table, cube, counted = impact_with_cube(
        usage, pop, entries, service=C.SERVICE_CODE, k=5, audit=False, also=measures
    )
    assert counted == len(usage)
    pd.testing.assert_frame_equal(
        table, impact_table(usage, pop, entries, service=C.SERVICE_CODE, k=5, audit=False), check_exact=True
    )
    margins = [[C.SEX], [C.AGE_BAND], [C.SEX, C.DISTRICT]]
    names = [d.name for d in cube.dims]
    keys = [C.SERVICE_CODE, *names]
    got = margin_counts(cube, margins, measures).sort_values(keys).reset_index(drop=True)
    want = breakdown(usage, names, service=C.SERVICE_CODE, measure=measures, margins=margins, population=pop)
    want = want.sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
