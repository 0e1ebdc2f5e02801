"""Breakdowns: distinct counting in margins, empty intersections with zero, categories, nesting."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from equality_builders import random_usage, usage
from hypothesis import given, settings
from hypothesis import strategies as st

from gcdb import columns as C
from gcdb.equality import TOTAL, breakdown
from gcdb.errors import DataValidationError, UsageError

COLS = [C.PERSON_ID, C.SEX, C.DISTRICT, C.QUANTITY]


@pytest.fixture
def small():
    # p1 is one woman who used the service in two districts; p2 twice in A; p3 a man in A; p4 unknown sex in B
    return usage(
        [
            ("p1", C.FEMALE, "A", 1.0),
            ("p1", C.FEMALE, "B", 2.0),
            ("p2", C.FEMALE, "A", 3.0),
            ("p2", C.FEMALE, "A", 4.0),
            ("p3", C.MALE, "A", 5.0),
            ("p4", None, "B", 6.0),
        ],
        COLS,
    )


def cell(frame, **where):
    mask = np.ones(len(frame), dtype=bool)
    for col, value in where.items():
        mask &= (frame[col] == value).to_numpy()
    assert mask.sum() == 1, where
    return frame.loc[mask].iloc[0]


def test_hand_example_distinct_users_in_margins(small):
    b = breakdown(small, [C.SEX, C.DISTRICT])
    # full product (4 sexes + total) × (2 districts + total)
    assert len(b) == 5 * 3
    assert list(b.columns) == [C.SEX, C.DISTRICT, "users", "uses", C.QUANTITY]
    assert cell(b, sex=C.FEMALE, district="A")[["users", "uses", C.QUANTITY]].tolist() == [2, 3, 8.0]
    assert cell(b, sex=C.FEMALE, district="B")[["users", "uses"]].tolist() == [1, 1]
    # p1 is in both districts: the female margin counts her once (2 users, not 3)
    assert cell(b, sex=C.FEMALE, district=TOTAL)[["users", "uses", C.QUANTITY]].tolist() == [2, 4, 10.0]
    assert cell(b, sex=TOTAL, district="A")["users"] == 3
    assert cell(b, sex=TOTAL, district="B")["users"] == 2
    assert cell(b, sex=TOTAL, district=TOTAL)[["users", "uses", C.QUANTITY]].tolist() == [4, 6, 21.0]
    # empty intersections are present with zero; missing sex became "unknown"
    assert cell(b, sex=C.OTHER, district="A")[["users", "uses", C.QUANTITY]].tolist() == [0, 0, 0.0]
    assert cell(b, sex=C.MALE, district="B")["users"] == 0
    assert cell(b, sex=C.UNKNOWN, district="B")["users"] == 1
    assert b["users"].dtype == np.int64 and b["uses"].dtype == np.int64


def test_rows_are_in_category_order_with_margins_last(small):
    b = breakdown(small, [C.SEX, C.DISTRICT], measure="users")
    assert b[C.SEX].tolist()[::3] == [*C.SEX_CODES, TOTAL]
    assert b[C.DISTRICT].tolist()[:3] == ["A", "B", TOTAL]


def test_margins_false_and_explicit(small):
    assert len(breakdown(small, [C.SEX, C.DISTRICT], margins=False)) == 4 * 2
    b = breakdown(small, [C.SEX, C.DISTRICT], margins=[[C.SEX], []])
    assert len(b) == 4 + 1
    assert (b[C.DISTRICT] == TOTAL).all()
    with pytest.raises(UsageError, match="not in by"):
        breakdown(small, [C.SEX], margins=[[C.DISTRICT]])


def test_categories_add_zero_rows_and_population_districts(small):
    b = breakdown(small, [C.DISTRICT], categories={C.DISTRICT: ["A", "B", "Z"]})
    assert cell(b, district="Z")["users"] == 0
    pop = pd.DataFrame({C.DISTRICT: ["A", "B", "Y"], C.SEX: C.FEMALE, C.AGE_BAND: "0-4", C.POPULATION: 1})
    b = breakdown(small, [C.DISTRICT], population=pop)
    assert b[C.DISTRICT].tolist() == ["A", "B", "Y", TOTAL]


def test_values_outside_canonical_codes_are_errors(small):
    bad = small.assign(**{C.SEX: small[C.SEX].replace({C.MALE: "E"})})
    with pytest.raises(DataValidationError, match="'E'") as err:
        breakdown(bad, [C.SEX])
    assert err.value.issues[C.ISSUE_VALUE].tolist() == ["E"]
    with pytest.raises(UsageError, match="no column"):
        breakdown(small, [C.AGE_BAND])
    with pytest.raises(UsageError, match="unknown measure"):
        breakdown(small, [C.SEX], measure="visits")


def test_service_split_gives_independent_tables(small):
    two = pd.concat([small, small.assign(**{C.SERVICE_CODE: "S2", C.PERSON_ID: "q"})], ignore_index=True)
    b = breakdown(two, [C.SEX], service=C.SERVICE_CODE)
    assert b[C.SERVICE_CODE].tolist() == ["S1"] * 5 + ["S2"] * 5
    assert cell(b, service_code="S1", sex=TOTAL)["users"] == 4
    assert cell(b, service_code="S2", sex=TOTAL)["users"] == 1  # one person id "q" in S2


def test_neighbourhood_is_nested_in_district():
    u = usage(
        [
            ("p1", "A", "Cumhuriyet"),
            ("p2", "B", "Cumhuriyet"),
            ("p3", "B", "Merkez"),
            ("p4", "B", None),
        ],
        [C.PERSON_ID, C.DISTRICT, C.NEIGHBOURHOOD],
    )
    with pytest.raises(UsageError, match="nested"):
        breakdown(u, [C.NEIGHBOURHOOD])
    b = breakdown(u, [C.DISTRICT, C.NEIGHBOURHOOD])
    # pairs that exist, not A×B × names; no (TOTAL, neighbourhood) margin
    pairs = list(zip(b[C.DISTRICT], b[C.NEIGHBOURHOOD], strict=True))
    assert pairs == [
        ("A", "Cumhuriyet"),
        ("A", TOTAL),
        ("B", "Cumhuriyet"),
        ("B", "Merkez"),
        ("B", C.UNKNOWN),
        ("B", TOTAL),
        (TOTAL, TOTAL),
    ]
    assert b["users"].tolist() == [1, 1, 1, 1, 1, 3, 4]


def reference_breakdown(frame: pd.DataFrame, by: list[str], cats: dict[str, list[str]]) -> pd.DataFrame:
    """Independent reference: pandas groupby per margin, reindexed on the category product."""
    parts = []
    for size in range(len(by), -1, -1):
        for keep in combinations(by, size):
            keep = list(keep)
            if keep:
                g = frame.groupby(keep, observed=False)
                users = g[C.PERSON_ID].nunique()
                uses = g.size()
                if len(keep) > 1:
                    index = pd.MultiIndex.from_product([cats[k] for k in keep], names=keep)
                else:
                    index = pd.Index(cats[keep[0]], name=keep[0])
                part = pd.DataFrame({"users": users, "uses": uses}).reindex(index, fill_value=0).reset_index()
            else:
                part = pd.DataFrame({"users": [frame[C.PERSON_ID].nunique()], "uses": [len(frame)]})
            for other in by:
                if other not in keep:
                    part[other] = TOTAL
            parts.append(part[[*by, "users", "uses"]])
    return pd.concat(parts, ignore_index=True)


@given(st.integers(0, 10_000), st.integers(1, 300), st.integers(1, 60))
@settings(max_examples=15, deadline=None)
def test_matches_pandas_groupby_reference(seed, n, n_persons):
    rng = np.random.default_rng(seed)
    frame = random_usage(rng, n, n_persons)
    by = [C.SEX, C.AGE_BAND, C.DISTRICT]
    cats = {
        C.SEX: list(C.SEX_CODES),
        C.AGE_BAND: list(C.DEFAULT_AGE_BANDS.labels),
        C.DISTRICT: sorted(frame[C.DISTRICT].unique()),
    }
    ours = breakdown(frame, by, measure=["users", "uses"])
    ref = reference_breakdown(frame, by, cats)
    merged = ours.merge(ref, on=by, how="outer", suffixes=("", "_ref"), indicator=True)
    assert (merged["_merge"] == "both").all()
    assert len(ours) == np.prod([len(c) + 1 for c in cats.values()])
    assert (merged["users"] == merged["users_ref"]).all()
    assert (merged["uses"] == merged["uses_ref"]).all()


def test_categorical_input_and_missing_person_ids():
    frame = usage([("p1", C.FEMALE), (None, C.MALE), (None, C.MALE)], [C.PERSON_ID, C.SEX])
    frame[C.SEX] = frame[C.SEX].astype(pd.CategoricalDtype([C.FEMALE, C.MALE]))
    b = breakdown(frame, [C.SEX])
    assert b[C.SEX].tolist() == [C.FEMALE, C.MALE, TOTAL]  # the categorical's own categories
    # rows without a person id are uses, not users
    assert cell(b, sex=C.MALE)[["users", "uses"]].tolist() == [0, 2]


def test_by_values_categorises_a_categorical_column_as_its_text():
    """BY_VALUES: a categorical column counts as the same text would (canonical codes, else the sorted values of
    the records and the population), not by its dtype's categories — how the services analysis reads the
    categorical columns of weighted rows."""
    from gcdb.equality.categories import BY_VALUES, by_values

    rows = [
        ("p1", C.MALE, "Şile"),
        ("p2", C.FEMALE, "Adalar"),
        ("p3", C.MALE, "Çatalca"),
        ("p3", None, "Adalar"),
    ]
    text = usage(rows, [C.PERSON_ID, C.SEX, C.DISTRICT])
    coded = text.astype({C.SEX: pd.CategoricalDtype([C.MALE, C.FEMALE, "x"]), C.DISTRICT: "category"})
    population = pd.DataFrame({C.DISTRICT: ["Beykoz"], C.SEX: [C.FEMALE]})
    expected = breakdown(text, [C.SEX, C.DISTRICT], population=population)
    categories = by_values(coded)
    assert categories == {C.SEX: BY_VALUES, C.DISTRICT: BY_VALUES}
    got = breakdown(coded, [C.SEX, C.DISTRICT], population=population, categories=categories)
    pd.testing.assert_frame_equal(got, expected)
    assert got[C.DISTRICT].drop_duplicates().tolist()[:4] == ["Adalar", "Beykoz", "Çatalca", "Şile"]  # folded
    # without it, the dtype's categories decide (its order, an empty "x", no Beykoz)
    assert breakdown(coded, [C.SEX])[C.SEX].tolist()[:3] == [C.MALE, C.FEMALE, "x"]
