"""compute_indicators on small hand-computed cases."""

import math

import numpy as np
import pandas as pd
import pytest

from gcdb import columns as C
from gcdb.errors import DataValidationError, UsageError
from gcdb.indicators import INDICATOR_COLUMNS, IndicatorDefinition, compute_indicators, empty_indicator_table

#: messages asserted in English (gcdb speaks Turkish by default)
pytestmark = pytest.mark.usefixtures("english")

# service A: 2023 p1 (twice), p2, p3; 2024 p1, p4 (twice), p5, p6. Service B: p3 in 2023 only.
USAGE = pd.DataFrame(
    {
        C.RECORD_ID: [f"r{i}" for i in range(1, 11)],
        C.SERVICE_CODE: ["A", "A", "A", "A", "B", "A", "A", "A", "A", "A"],
        C.FISCAL_YEAR: [2023] * 5 + [2024] * 5,
        C.PERSON_ID: ["p1", "p1", "p2", "p3", "p3", "p1", "p4", "p4", "p5", "p6"],
        C.SEX: ["female", "female", "male", "female", "female", "female", "male", "male", "male", "female"],
        C.AGE: [30, 30, 40, 70, 70, 31, 50, 50, 26, 33],
        C.AGE_BAND: ["25-44", "25-44", "25-44", "65+", "65+", "25-44", "45-64", "45-64", "25-44", "25-44"],
        C.DISTRICT: ["X", "X", "Y", "Y", "Y", "X", "X", "X", "Y", "Y"],
        C.NEIGHBOURHOOD: ["n1", "n1", "n1", "n2", "n2", "n1", "n2", "n2", "n1", "n1"],
        C.QUANTITY: [2, 3, 1, 4, 10, 1, 1, 1, 5, 2],
    }
)

# residents aged 25-44; district Z has no users at all
POPULATION = pd.DataFrame(
    {
        C.FISCAL_YEAR: [2023] * 5 + [2024] * 5,
        C.DISTRICT: ["X", "X", "Y", "Y", "Z"] * 2,
        C.SEX: ["female", "male", "female", "male", "female"] * 2,
        C.AGE_BAND: ["25-44"] * 10,
        C.POPULATION: [100, 100, 200, 300, 50, 125, 100, 200, 300, 50],
    }
)

A = {"column": "service_code", "equals": "A"}
FEMALE = {"column": "sex", "equals": "female"}


def definition(**kwargs) -> IndicatorDefinition:
    base = {
        "id": "ind",
        "indicator": "A1-G1",
        "title_tr": "Gösterge",
        "title_en": "Indicator",
        "direction": "higher_is_better",
        "reference": "test",
    }
    if kwargs.get("kind", "count") == "count":
        base.update(kind="count", measure="users", filter=A, unit="count")
    return IndicatorDefinition.model_validate({**base, **kwargs})


def share_of_women(**kwargs) -> IndicatorDefinition:
    return definition(
        kind="ratio", measure="users", numerator={"all": [A, FEMALE]}, denominator=A, unit="percent", **kwargs
    )


def rows(table: pd.DataFrame, breakdown: str = "", **groups) -> pd.DataFrame:
    mask = table["breakdown"] == breakdown
    for column, value in groups.items():
        mask &= table[column] == value
    return table.loc[mask].set_index(C.FISCAL_YEAR)


def test_fixed_columns_and_dtypes():
    out = compute_indicators(USAGE, [definition()])
    assert tuple(out.columns) == INDICATOR_COLUMNS
    assert out.dtypes.astype(str).to_dict() == empty_indicator_table().dtypes.astype(str).to_dict()
    assert str(out["numerator"].dtype) == "Float64" and str(out["improved"].dtype) == "boolean"
    assert str(out[C.FISCAL_YEAR].dtype) == "int64"
    assert list(out["title"]) == ["Gösterge", "Gösterge"]
    assert list(compute_indicators(USAGE, [definition()], lang="en")["title"]) == ["Indicator", "Indicator"]


@pytest.mark.parametrize(
    ("measure", "y2023", "y2024"),
    [("users", 3, 4), ("uses", 4, 5), ("quantity", 10, 10)],
)
def test_count_distinct_users_vs_uses_vs_quantity(measure, y2023, y2024):
    out = compute_indicators(USAGE, [definition(measure=measure)]).set_index(C.FISCAL_YEAR)
    assert out.loc[2023, "numerator"] == y2023 and out.loc[2023, "value"] == y2023
    assert out.loc[2024, "value"] == y2024
    assert pd.isna(out.loc[2023, "denominator"])
    assert pd.isna(out.loc[2023, "previous_value"]) and out.loc[2023, "reason"] == "no_previous_year"
    assert out.loc[2024, "previous_value"] == y2023
    assert out.loc[2024, "change"] == y2024 - y2023
    if y2023 != y2024:
        assert out.loc[2024, "change_pct"] == pytest.approx(100 * (y2024 - y2023) / y2023)
    assert out.loc[2024, "reason"] == ""


def test_count_breakdown_by_sex():
    out = compute_indicators(USAGE, [definition(by=["sex"])])
    assert list(out["breakdown"]) == ["", "", "sex", "sex", "sex", "sex"]
    assert out.loc[out["breakdown"] == "", "sex"].isna().all()
    women, men = rows(out, "sex", sex="female"), rows(out, "sex", sex="male")
    assert women.loc[2023, "value"] == 2 and women.loc[2024, "value"] == 2  # p1, p3 / p1, p6
    assert men.loc[2023, "value"] == 1 and men.loc[2024, "value"] == 2  # p2 / p4, p5
    assert women.loc[2024, "change"] == 0 and not women.loc[2024, "improved"]
    assert men.loc[2024, "change_pct"] == pytest.approx(100.0) and men.loc[2024, "improved"]
    # rows: overall first, then the groups in the canonical order of the codes
    assert list(out["sex"].iloc[2:]) == ["female", "male", "female", "male"]


def test_ratio_share_with_change_over_previous_year():
    out = compute_indicators(USAGE, [share_of_women(by=["district"])])
    overall = rows(out)
    assert overall.loc[2023, "numerator"] == 2 and overall.loc[2023, "denominator"] == 3
    assert overall.loc[2023, "value"] == pytest.approx(200 / 3)
    assert overall.loc[2024, "value"] == pytest.approx(50.0)
    assert overall.loc[2024, "previous_value"] == pytest.approx(200 / 3)
    assert overall.loc[2024, "change"] == pytest.approx(50 - 200 / 3)  # percentage points
    assert overall.loc[2024, "change_pct"] == pytest.approx(-25.0)  # relative change
    assert overall.loc[2024, "improved"] == False  # noqa: E712 - a nullable boolean
    x, y = rows(out, "district", district="X"), rows(out, "district", district="Y")
    assert (x.loc[2023, "value"], x.loc[2024, "value"]) == (100.0, 50.0)  # p1 / p1, p4
    assert (y.loc[2023, "value"], y.loc[2024, "value"]) == (50.0, 50.0)  # p2, p3 / p5, p6


def test_direction_decides_improved():
    table = compute_indicators(
        USAGE,
        [
            share_of_women(id="hi"),
            share_of_women(id="lo", direction="lower_is_better"),
            share_of_women(id="flat", direction="neutral"),
        ],
    )
    improved = table.loc[table[C.FISCAL_YEAR] == 2024].set_index("indicator_id")["improved"]
    assert improved["hi"] == False  # noqa: E712
    assert improved["lo"] == True  # noqa: E712
    assert pd.isna(improved["flat"])
    assert table.loc[table[C.FISCAL_YEAR] == 2023, "improved"].isna().all()  # no previous year


def test_ratio_per_1000_vs_population_with_districts_without_users():
    d = definition(
        kind="ratio",
        measure="users",
        numerator={"all": [A, {"column": "age_band", "equals": "25-44"}]},
        population={"filter": {"column": "age_band", "equals": "25-44"}},
        unit="per_1000",
        by=["district"],
    )
    out = compute_indicators(USAGE, [d], population=POPULATION)
    overall = rows(out)
    # 2023: p1, p2 of 750 residents; 2024: p1, p5, p6 of 775
    assert overall.loc[2023, "denominator"] == 750 and overall.loc[2023, "value"] == pytest.approx(2000 / 750)
    assert overall.loc[2024, "denominator"] == 775 and overall.loc[2024, "value"] == pytest.approx(3000 / 775)
    x, y, z = (rows(out, "district", district=k) for k in "XYZ")
    assert x.loc[2023, "value"] == pytest.approx(5.0) and x.loc[2024, "value"] == pytest.approx(1000 / 225)
    assert y.loc[2023, "value"] == pytest.approx(2.0) and y.loc[2024, "value"] == pytest.approx(4.0)
    # Z has residents and no users: a real zero, and its relative change is undefined
    assert z.loc[2024, "numerator"] == 0 and z.loc[2024, "value"] == 0
    assert pd.isna(z.loc[2024, "change_pct"]) and z.loc[2024, "reason"] == "zero_previous_value"
    assert z.loc[2024, "change"] == 0

    percent = compute_indicators(USAGE, [d.model_copy(update={"unit": "percent"})], population=POPULATION)
    assert rows(percent).loc[2023, "value"] == pytest.approx(overall.loc[2023, "value"] / 10)


def test_population_without_fiscal_year_serves_every_year_and_other_count_columns():
    base = POPULATION.loc[POPULATION[C.FISCAL_YEAR] == 2023].drop(columns=C.FISCAL_YEAR)
    base = base.assign(**{C.DISABLED_POPULATION: [10, 10, 20, 30, 5]})
    d = definition(
        kind="ratio",
        measure="uses",
        numerator=A,
        population={"column": "disabled_population"},
        unit="percent",
    )
    out = compute_indicators(USAGE, [d], population=base).set_index(C.FISCAL_YEAR)
    assert list(out["denominator"]) == [75, 75]
    assert out.loc[2023, "value"] == pytest.approx(100 * 4 / 75)
    assert out.loc[2024, "value"] == pytest.approx(100 * 5 / 75)


def test_group_without_baseline_and_year_without_baseline():
    usage = pd.concat([USAGE, USAGE.iloc[[0]].assign(record_id="r11", person_id="p9", sex="unknown")])
    d = definition(kind="ratio", measure="users", numerator=A, population={}, unit="per_1000", by=["sex"])
    out = compute_indicators(usage, [d], population=POPULATION.loc[POPULATION[C.FISCAL_YEAR] == 2023])
    unknown = rows(out, "sex", sex="unknown")
    assert unknown.loc[2023, "numerator"] == 1
    assert pd.isna(unknown.loc[2023, "denominator"]) and pd.isna(unknown.loc[2023, "value"])
    assert unknown.loc[2023, "reason"] == "no_baseline;no_previous_year"
    overall = rows(out)
    assert pd.isna(overall.loc[2024, "value"])  # the baseline has no 2024
    assert overall.loc[2024, "previous_value"] == pytest.approx(4000 / 750)
    assert overall.loc[2024, "reason"] == "no_baseline"


def test_zero_denominator_has_a_reason():
    b = {"column": "service_code", "equals": "B"}
    d = definition(
        kind="ratio", measure="users", numerator={"all": [b, FEMALE]}, denominator=b, unit="percent"
    )
    out = compute_indicators(USAGE, [d]).set_index(C.FISCAL_YEAR)
    assert out.loc[2023, "value"] == 100.0
    assert out.loc[2024, "numerator"] == 0 and out.loc[2024, "denominator"] == 0
    assert pd.isna(out.loc[2024, "value"]) and pd.isna(out.loc[2024, "change"])
    assert out.loc[2024, "previous_value"] == 100.0
    assert out.loc[2024, "reason"] == "zero_denominator"
    assert pd.isna(out.loc[2024, "improved"])


def test_years_selects_output_but_keeps_the_previous_year():
    out = compute_indicators(USAGE, [definition()], years=[2024])
    assert list(out[C.FISCAL_YEAR]) == [2024]
    assert out["previous_value"].iloc[0] == 3 and out["reason"].iloc[0] == ""
    with pytest.raises(
        UsageError, match=r"no usage records for fiscal year\(s\) 2025 \(the records cover: 2023, 2024\)"
    ):
        compute_indicators(USAGE, [definition()], years=[2025])


def test_a_gap_year_has_no_previous_year():
    usage = USAGE.assign(**{C.FISCAL_YEAR: USAGE[C.FISCAL_YEAR].replace(2023, 2022)})
    out = compute_indicators(usage, [definition()])
    assert list(out[C.FISCAL_YEAR]) == [2022, 2024]
    assert list(out["reason"]) == ["no_previous_year", "no_previous_year"]


def test_fiscal_year_from_date_when_the_column_is_absent():
    dates = pd.to_datetime(["2023-03-01"] * 5 + ["2024-06-30"] * 5)
    usage = USAGE.drop(columns=C.FISCAL_YEAR).assign(**{C.DATE: dates})
    out = compute_indicators(usage, [definition()])
    assert list(out["value"]) == [3, 4]


def test_group_present_in_one_year_only_gets_a_zero_in_the_other():
    out = compute_indicators(USAGE, [definition(by=["age_band"])])
    old = rows(out, "age_band", age_band="65+")
    assert old.loc[2023, "value"] == 1 and old.loc[2024, "value"] == 0
    assert old.loc[2024, "change_pct"] == -100.0
    middle = rows(out, "age_band", age_band="45-64")
    assert middle.loc[2023, "value"] == 0 and middle.loc[2024, "value"] == 1
    assert middle.loc[2024, "reason"] == "zero_previous_value"
    # canonical band order, not alphabetical
    assert list(out.loc[out[C.FISCAL_YEAR] == 2023, "age_band"].iloc[1:]) == ["25-44", "45-64", "65+"]


def test_neighbourhood_breakdown_is_nested_in_district_and_crossed_breakdowns():
    out = compute_indicators(USAGE, [definition(by=["neighbourhood", ["sex", "district"]])])
    nb = out.loc[(out["breakdown"] == "district|neighbourhood") & (out[C.FISCAL_YEAR] == 2023)]
    got = {(r.district, r.neighbourhood): r.value for r in nb.itertuples()}
    assert got == {("X", "n1"): 1, ("X", "n2"): 0, ("Y", "n1"): 1, ("Y", "n2"): 1}
    crossed = out.loc[(out["breakdown"] == "sex|district") & (out[C.FISCAL_YEAR] == 2024)]
    got = {(r.sex, r.district): r.value for r in crossed.itertuples()}
    assert got == {("female", "X"): 1, ("female", "Y"): 1, ("male", "X"): 1, ("male", "Y"): 1}


def test_missing_breakdown_value_is_its_own_group():
    usage = USAGE.assign(**{C.DISTRICT: USAGE[C.DISTRICT].where(USAGE[C.RECORD_ID] != "r3")})
    out = compute_indicators(usage, [definition(by=["district"])])
    unknown = out.loc[(out["breakdown"] == "district") & out["district"].isna()].set_index(C.FISCAL_YEAR)
    assert unknown.loc[2023, "value"] == 1 and unknown.loc[2024, "value"] == 0


def test_condition_vocabulary():
    usage = USAGE.assign(**{C.DISABILITY: ["yes", None, "no", "  ", "no", "yes", "no", "no", None, "no"]})
    cases = {
        # 2023, service A: r1 p1 "yes", r2 p1 missing, r3 p2 "no", r4 p3 blank (counts as missing)
        "missing": ({"column": "disability", "missing": True}, 2),  # p1 (r2), p3 (r4)
        "not equals holds on missing": ({"not": {"column": "disability", "equals": "yes"}}, 3),  # p1, p2, p3
        "in": ({"column": "disability", "in": ["yes", "no"]}, 2),  # p1 (r1), p2 (r3)
        "between": ({"column": "age", "between": {"min": 35, "max": 70}}, 2),  # p2 (40), p3 (70)
        "between open": ({"column": "age", "between": {"max": 35}}, 1),  # p1
        "any": (
            {"any": [{"column": "age", "equals": 40}, {"column": "district", "equals": "X"}]},
            2,
        ),  # p1, p2
        "numeric in": ({"column": "quantity", "in": [1, 4]}, 2),  # p2 (1), p3 (4)
    }
    for name, (condition, expected) in cases.items():
        d = definition(filter={"all": [A, condition]})
        out = compute_indicators(usage, [d], years=[2023])
        assert out["value"].iloc[0] == expected, name


def test_missing_columns_and_population_are_reported():
    with pytest.raises(DataValidationError) as info:
        compute_indicators(USAGE.drop(columns=C.PERSON_ID), [definition(by=["sex"])])
    assert list(info.value.issues["column"]) == [C.PERSON_ID]
    assert list(info.value.issues["code"]) == ["missing_column"]
    with pytest.raises(DataValidationError, match="migrant_status"):
        compute_indicators(USAGE, [definition(by=["migrant_status"])])
    d = definition(kind="ratio", measure="users", numerator=A, population={}, unit="per_1000")
    with pytest.raises(UsageError, match=r"divide by the population baseline \(ind\); pass population="):
        compute_indicators(USAGE, [d])


def test_records_without_person_are_uses_not_users():
    usage = USAGE.assign(**{C.PERSON_ID: USAGE[C.PERSON_ID].where(USAGE[C.RECORD_ID] != "r3")})
    out = compute_indicators(usage, [definition(), definition(id="uses", measure="uses")], years=[2023])
    assert list(out["value"]) == [2, 4]


def test_empty_match_still_gives_the_overall_row():
    d = definition(filter={"column": "service_code", "equals": "none"}, by=["sex"])
    out = compute_indicators(USAGE, [d])
    assert list(out["breakdown"]) == ["", ""]
    assert list(out["value"]) == [0, 0]
    assert out["reason"].iloc[1] == "zero_previous_value"
    assert not math.isnan(out["change"].iloc[1])


def test_independent_of_row_order():
    shuffled = USAGE.sample(frac=1.0, random_state=np.random.default_rng(1).integers(1 << 31))
    defs = [share_of_women(by=["district", "sex"]), definition(id="c", measure="quantity", by=["age_band"])]
    pd.testing.assert_frame_equal(compute_indicators(USAGE, defs), compute_indicators(shuffled, defs))


# ---------------------------------------------------------------------------------------------------------------
# Proxies and age ranges pro rata
# ---------------------------------------------------------------------------------------------------------------
def test_proxy_is_carried_into_every_row():
    d = definition(proxy=True, proxy_reason="Kapasite yerine kullanıcı / Users instead of capacity")
    out = compute_indicators(USAGE, [d, definition(id="direct")])
    assert out.loc[out["indicator_id"] == "ind", "proxy"].all()
    assert (
        out.loc[out["indicator_id"] == "ind", "proxy_reason"]
        == "Kapasite yerine kullanıcı / Users instead of capacity"
    ).all()
    assert not out.loc[out["indicator_id"] == "direct", "proxy"].any()
    assert (out.loc[out["indicator_id"] == "direct", "proxy_reason"] == "").all()


def test_a_proxy_needs_its_reason():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="proxy_reason"):
        definition(proxy=True)
    with pytest.raises(ValidationError, match="proxy is not true"):
        definition(proxy_reason="a reason without the flag")


def test_population_ages_pro_rata_by_single_years():
    """Residents aged 40–44 of the 25-44 band are 5/20 of it: X women 2023 = 100 × 1/4 = 25."""
    d = definition(
        kind="ratio",
        measure="users",
        numerator={"all": [A, FEMALE]},
        population={"filter": {"column": "sex", "equals": "female"}, "ages": {"min": 40, "max": 44}},
        by=["district"],
        unit="per_1000",
    )
    out = compute_indicators(USAGE, [d], population=POPULATION, years=[2023])
    x = out[(out["breakdown"] == "district") & (out[C.DISTRICT] == "X")].iloc[0]
    assert x["denominator"] == pytest.approx(25.0) and x["value"] == pytest.approx(1000 * 1 / 25)
