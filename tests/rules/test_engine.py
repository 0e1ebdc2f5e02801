"""The engine: composition, resolution modes, priorities, validity years, the TagResult contract, coverage."""

import warnings

import numpy as np
import pandas as pd
import pytest

from gcdb import columns as C
from gcdb.errors import DataValidationError, RuleError, UsageError
from gcdb.rules import parse_ruleset, tag
from gcdb.rules.compile import FrameView, compile_rules, group_ids, plan_groups
from gcdb.schemes import load_schemes

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")


# ---------------------------------------------------------------------------------------------------------------
# composition
# ---------------------------------------------------------------------------------------------------------------
@pytest.fixture
def people():
    return pd.DataFrame(
        {
            "sex": ["female", "male", "female", "male", "female", None],
            "age": [30, 70, 80, 20, 10, 50],
            "district": ["Fatih", "Fatih", "Kadıköy", "Esenyurt", "Esenyurt", "Fatih"],
        }
    )


def test_all_any_not_nested(match, people):
    when = {
        "all": [
            {"any": [{"column": "sex", "equals": "female"}, {"column": "age", "between": {"min": 65}}]},
            {"not": {"column": "district", "equals": "Kadıköy"}},
            {
                "not": {
                    "all": [
                        {"column": "age", "between": {"max": 15}},
                        {"column": "district", "equals": "Esenyurt"},
                    ]
                }
            },
        ]
    }
    # row 0 female Fatih; row 1 old man Fatih; row 2 Kadıköy excluded; row 3 young man; row 4 child in Esenyurt;
    # row 5 missing sex, age 50
    assert match(when, people) == [True, True, False, False, False, False]


def test_any_of_nots_and_double_negation(match, people):
    when = {
        "any": [
            {"not": {"not": {"column": "district", "equals": "Kadıköy"}}},
            {"column": "sex", "missing": True},
        ]
    }
    assert match(when, people) == [False, False, True, False, False, True]


def test_always_matches_every_row(match, people):
    assert match({"always": True}, people) == [True] * 6


# ---------------------------------------------------------------------------------------------------------------
# resolution
# ---------------------------------------------------------------------------------------------------------------
def _rules(*rules, mode="first", applies_to="usage", **extra):
    return parse_ruleset({"name": "t", "applies_to": applies_to, "mode": mode, "rules": list(rules), **extra})


def _rule(rule_id, when, actions=("A1",), **kw):
    then = {"actions": list(actions), **kw.pop("then", {})}
    return {"id": rule_id, "when": when, "then": then, **kw}


FEMALE = {"column": "sex", "equals": "female"}
OLD = {"column": "age", "between": {"min": 65}}


def test_first_mode_highest_priority_wins(people):
    rules = _rules(_rule("women", FEMALE, ["W"]), _rule("old", OLD, ["O"], priority=1))
    result = tag(people, rules)
    assert result.rows["rule_ids"].tolist() == ["women", "old", "old", "", "women", ""]
    assert result.tags["rule_id"].tolist() == ["women", "old", "old", "women"]
    assert result.tags["row_id"].tolist() == [0, 1, 2, 4]


def test_first_mode_ties_go_to_the_earlier_rule(people):
    first = tag(people, _rules(_rule("women", FEMALE, ["W"]), _rule("old", OLD, ["O"])))
    second = tag(people, _rules(_rule("old", OLD, ["O"]), _rule("women", FEMALE, ["W"])))
    assert first.rows["rule_ids"].iloc[2] == "women"
    assert second.rows["rule_ids"].iloc[2] == "old"


def test_negative_priority_loses_to_default(people):
    rules = _rules(_rule("fallback", {"always": True}, ["F"], priority=-1), _rule("women", FEMALE, ["W"]))
    assert tag(people, rules).rows["rule_ids"].tolist() == [
        "women",
        "fallback",
        "women",
        "fallback",
        "women",
        "fallback",
    ]


def test_all_mode_every_matching_rule_contributes(people):
    rules = _rules(
        _rule("women", FEMALE, ["W1", "W2"], then={"allocation": 0.5}),
        _rule("old", OLD, ["O"], then={"allocation": 0.5}),
        mode="all",
    )
    result = tag(people, rules)
    row2 = result.tags[result.tags["row_id"] == 2]
    assert row2["rule_id"].tolist() == ["women", "women", "old"]
    assert row2["action_code"].tolist() == ["W1", "W2", "O"]
    assert row2["share"].tolist() == [0.25, 0.25, 0.5]
    assert result.rows["tagged_share"].tolist() == [0.5, 0.5, 1.0, 0.0, 0.5, 0.0]
    assert result.rows["action_codes"].iloc[2] == "W1|W2|O"
    assert result.rows["rule_ids"].iloc[2] == "women|old"


def test_all_mode_orders_parts_by_priority_then_file_order(people):
    rules = _rules(
        _rule("women", FEMALE, ["W"], then={"allocation": 0.5}),
        _rule("old", OLD, ["O"], then={"allocation": 0.5}, priority=3),
        mode="all",
    )
    assert tag(people, rules).rows["rule_ids"].iloc[2] == "old|women"


def test_mode_argument_overrides_the_rule_set(people):
    rules = _rules(
        _rule("women", FEMALE, ["W"], then={"allocation": 0.5}),
        _rule("old", OLD, ["O"], then={"allocation": 0.5}),
        mode="all",
    )
    assert tag(people, rules, mode="first").rows["rule_ids"].iloc[2] == "women"
    with pytest.raises(UsageError):
        tag(people, rules, mode="some")


def test_all_mode_runtime_check_names_rules_and_row(people):
    rules = _rules(
        _rule("women", FEMALE, ["W"]), _rule("old", OLD, ["O"])
    )  # first mode: allowed at load time
    with pytest.raises(RuleError, match=r"'women', 'old' all match row 2 and claim 2 > 1"):
        tag(people, rules, mode="all")


# ---------------------------------------------------------------------------------------------------------------
# validity years
# ---------------------------------------------------------------------------------------------------------------
def test_validity_years_inclusive_and_rows_without_year():
    frame = pd.DataFrame({"fiscal_year": [2020, 2021, 2022, 2023, 2024, None], "x": ["a"] * 6})
    rules = _rules(
        _rule("old", {"always": True}, ["OLD"], valid_to=2021),
        _rule("mid", {"always": True}, ["MID"], valid_from=2022, valid_to=2023),
        _rule("new", {"always": True}, ["NEW"], valid_from=2024),
        _rule("any", {"always": True}, ["ANY"], priority=-1),
    )
    assert tag(frame, rules).rows["rule_ids"].tolist() == ["old", "old", "mid", "mid", "new", "any"]


def test_validity_years_from_text_years_and_custom_column():
    frame = pd.DataFrame({"yil": ["2021", "2022", ""], "x": ["a"] * 3})
    rules = _rules(_rule("r", {"always": True}, valid_from=2022))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = tag(frame, rules, fiscal_year_column="yil")
    assert result.rows["tagged"].tolist() == [False, True, False]


def test_bounded_rules_do_not_apply_without_a_year_column():
    frame = pd.DataFrame({"x": ["a", "b"]})
    rules = _rules(_rule("r", {"always": True}, valid_from=2022), _rule("s", {"column": "x", "equals": "b"}))
    with pytest.warns(UserWarning, match="no 'fiscal_year' column"):
        result = tag(frame, rules)
    assert result.rows["rule_ids"].tolist() == ["", "s"]


# ---------------------------------------------------------------------------------------------------------------
# the TagResult contract
# ---------------------------------------------------------------------------------------------------------------
@pytest.fixture
def budget():
    return pd.DataFrame(
        {
            C.FISCAL_YEAR: [2023, 2023, 2023, 2023],
            C.FUNCTIONAL_CODE: ["10.4.0.00", "10.4.0.00", "04.5.1.00", "10.9.0.00"],
            C.DESCRIPTION: ["KADIN KONUKEVİ", "KREŞ", "YOL", "YAŞLI BAKIM"],
            C.INITIAL_APPROPRIATION: np.array([1001, 200, 300, 7], dtype=np.int64),
            C.REVISED_APPROPRIATION: np.array([1000, 201, 300, 9], dtype=np.int64),
            C.EXPENDITURE: np.array([3, -5, 0, 10], dtype=np.int64),
        },
        index=[10, 11, 12, 13],
    )


@pytest.fixture
def budget_rules():
    return _rules(
        _rule(
            "kadin",
            {"column": C.DESCRIPTION, "contains": "kadın"},
            ["A7H1E2", "A7H1E3"],
            then={"categories": {"eu_cpr": "01", "oecd_dac": "2", "india_gbs": "A"}},
        ),
        _rule(
            "aile",
            {"column": C.FUNCTIONAL_CODE, "prefix": "10.4"},
            ["A4H2E1"],
            priority=-1,
            then={"categories": {"eu_cpr": "02", "india_gbs": "B"}, "share": 0.4, "allocation": 0.4},
        ),
        _rule(
            "bakim",
            {"column": C.DESCRIPTION, "contains": "bakım"},
            [],
            then={"categories": {"eu_cpr": "02", "ph_hgdg": "12"}, "allocation": 0.3},
        ),
        applies_to="budget",
        default_scheme="eu_cpr",
    )


def test_tags_table_columns_and_dtypes(budget, budget_rules):
    tags = tag(budget, budget_rules).tags
    schemes = load_schemes().ids
    expected = [
        "row_id",
        "rule_id",
        "action_code",
        "share",
        *[f"category_{s}" for s in schemes],
        "declared_share",
        *[f"attributed_{p}" for p in C.PHASES],
    ]
    assert tags.columns.tolist() == expected
    assert tags["row_id"].dtype == "int64" and tags["share"].dtype == "float64"
    assert tags["declared_share"].dtype == "float64"
    for col in ("rule_id", "action_code", *[f"category_{s}" for s in schemes]):
        assert tags[col].dtype == "str", col
    for p in C.PHASES:
        assert tags[f"attributed_{p}"].dtype == "int64"


def test_tags_values_and_exact_money(budget, budget_rules):
    tags = tag(budget, budget_rules).tags
    assert tags["row_id"].tolist() == [0, 0, 1, 3]
    assert tags["rule_id"].tolist() == ["kadin", "kadin", "aile", "bakim"]
    assert tags["action_code"].tolist()[:3] == ["A7H1E2", "A7H1E3", "A4H2E1"]
    assert pd.isna(tags["action_code"].iloc[3])  # categories-only rule
    assert tags["share"].tolist() == [0.5, 0.5, 0.4, 0.3]
    assert tags["category_eu_cpr"].tolist() == ["01", "01", "02", "02"]
    assert tags["category_oecd_dac"].isna().tolist() == [False, False, True, True]
    assert tags["category_ph_hgdg"].iloc[3] == "12"
    assert np.isnan(tags["declared_share"].iloc[0]) and tags["declared_share"].iloc[2] == 0.4
    # 1001 split in halves: 500.5 + 500.5 → the earlier part gets the odd kuruş
    assert tags["attributed_initial_appropriation"].tolist() == [501, 500, 80, 2]
    # 200 × 0.4 = 80; 201 × 0.4 = 80.4 → 80; 9 × 0.3 = 2.7 → 3 (largest remainder vs 6.3 unattributed)
    assert tags["attributed_revised_appropriation"].tolist() == [500, 500, 80, 3]
    # expenditure −5 × 0.4 = −2; 3 → 2 + 1; 10 × 0.3 = 3
    assert tags["attributed_expenditure"].tolist() == [2, 1, -2, 3]


def test_rows_audit_columns_keep_the_input(budget, budget_rules):
    rows = tag(budget, budget_rules).rows
    assert rows.index.tolist() == [10, 11, 12, 13]
    assert rows[C.DESCRIPTION].tolist() == budget[C.DESCRIPTION].tolist()
    assert rows["rule_ids"].tolist() == ["kadin", "aile", "", "bakim"]
    assert rows["action_codes"].tolist() == ["A7H1E2|A7H1E3", "A4H2E1", "", ""]
    assert rows["tagged"].tolist() == [True, True, False, True]
    assert rows["tagged_share"].tolist() == [1.0, 0.4, 0.0, 0.3]
    assert rows["rule_ids"].dtype == "str" and rows["tagged"].dtype == bool
    assert "rule_ids" not in budget.columns  # input untouched


def test_untagged_rows(budget, budget_rules):
    untagged = tag(budget, budget_rules).untagged
    assert untagged.columns[0] == "row_id"
    assert untagged["row_id"].tolist() == [2]
    assert untagged[C.DESCRIPTION].tolist() == ["YOL"]


def test_usage_rows_without_money_have_no_attributed_columns(people):
    result = tag(people, _rules(_rule("women", FEMALE)))
    assert not [c for c in result.tags.columns if c.startswith("attributed_")]


def test_money_must_be_integer_kurus(budget, budget_rules):
    frame = budget.assign(**{C.EXPENDITURE: budget[C.EXPENDITURE].astype(float)})
    with pytest.raises(DataValidationError, match="integer kuruş"):
        tag(frame, budget_rules)


def test_missing_column_is_an_error_when_strict(make_rules):
    rules = make_rules("""
        - id: r1
          when: {column: nope, equals: x}
          then: {actions: [A1]}
    """)
    with pytest.raises(RuleError) as err:
        tag(pd.DataFrame({"x": [1]}), rules, strict_columns=True)
    assert (
        "'nope'" in str(err.value) and ":6 (rule 'r1')" in str(err.value) and rules.source in str(err.value)
    )


def test_missing_column_reads_as_missing_with_a_warning():
    rules = _rules(
        _rule("unit", {"column": "unit_name", "contains": "sosyal"}, ["U"]),
        _rule("no-unit", {"column": "unit_name", "missing": True}, ["N"]),
    )
    with pytest.warns(UserWarning, match=r"lacks columns .*'unit_name' \(rules unit, no-unit\)"):
        result = tag(pd.DataFrame({"x": [1, 2]}), rules)
    assert result.rows["rule_ids"].tolist() == ["no-unit", "no-unit"]


def test_empty_frame(budget, budget_rules):
    result = tag(budget.iloc[:0], budget_rules)
    assert len(result.tags) == 0 and len(result.rows) == 0 and len(result.untagged) == 0
    assert result.coverage.summary["total"].tolist() == [0, 0, 0, 0]


def test_wrong_arguments():
    with pytest.raises(UsageError):
        tag([1, 2], _rules(_rule("r", FEMALE)))
    with pytest.raises(UsageError):
        tag(pd.DataFrame({"sex": []}), {"rules": []})


# ---------------------------------------------------------------------------------------------------------------
# coverage
# ---------------------------------------------------------------------------------------------------------------
def test_coverage_summary_rules_and_overlaps(budget, budget_rules):
    cov = tag(budget, budget_rules).coverage
    summary = cov.summary.set_index("measure")
    assert summary.loc["rows", "total"] == 4 and summary.loc["rows", "tagged"] == 3
    assert summary.loc["rows", "tagged_share"] == 0.75
    assert summary.loc[C.INITIAL_APPROPRIATION, "total"] == 1508
    assert summary.loc[C.INITIAL_APPROPRIATION, "tagged"] == 1208
    assert summary.loc[C.INITIAL_APPROPRIATION, "attributed"] == 1083
    assert cov.share(C.INITIAL_APPROPRIATION) == pytest.approx(1208 / 1508)

    rules = cov.rules.set_index("rule_id")
    assert rules.index.tolist() == ["kadin", "aile", "bakim"]  # file order
    assert rules.loc["aile", "matched_rows"] == 2 and rules.loc["aile", "hits"] == 1
    assert rules.loc["aile", "overlap_rows"] == 1 and rules.loc["kadin", "overlap_rows"] == 1
    assert rules.loc["aile", f"matched_{C.INITIAL_APPROPRIATION}"] == 1201
    assert rules.loc["aile", f"attributed_{C.INITIAL_APPROPRIATION}"] == 80
    assert rules.loc["kadin", f"attributed_{C.EXPENDITURE}"] == 3

    assert cov.overlaps["rule_ids"].tolist() == ["kadin|aile"]
    assert cov.overlaps["winner"].tolist() == ["kadin"]
    assert cov.overlaps["rows"].tolist() == [1]
    assert cov.overlaps[C.REVISED_APPROPRIATION].tolist() == [1000]


def test_coverage_never_fired_with_reason(people):
    rules = _rules(
        _rule("women", FEMALE, ["W"], priority=1),
        _rule("women-again", FEMALE, ["W2"]),
        _rule("nobody", {"column": "district", "equals": "Adalar"}),
    )
    never = tag(people, rules).coverage.never_fired
    assert never["rule_id"].tolist() == ["women-again", "nobody"]
    assert never["reason"].tolist() == ["always won by a higher-priority rule", "no row matches"]


def test_coverage_untagged_ranked_by_amount_and_grouped():
    frame = pd.DataFrame(
        {
            "unit": ["A", "B", "B", "C", "C", "C"],
            C.REVISED_APPROPRIATION: np.array([5, 50, 10, 1, 2, 3], dtype=np.int64),
        }
    )
    cov = tag(frame, _rules(_rule("a", {"column": "unit", "equals": "A"}))).coverage
    assert cov.untagged["row_id"].tolist() == [1, 2, 5, 4, 3]
    assert cov.untagged_groups["unit"].tolist() == ["B", "C"]
    assert cov.untagged_groups["rows"].tolist() == [2, 3]
    assert cov.untagged_groups[C.REVISED_APPROPRIATION].tolist() == [60, 6]


# ---------------------------------------------------------------------------------------------------------------
# evaluation domains
# ---------------------------------------------------------------------------------------------------------------
def test_group_ids_numbers_combinations_in_order_of_appearance():
    ids, first = group_ids([np.array([0, 1, 0, 1, -1]), np.array([2, 2, 2, 3, 2])], 5)
    assert ids.tolist() == [0, 1, 0, 2, 3]
    assert first.tolist() == [0, 1, 3, 4]


def test_rules_are_grouped_by_the_columns_they_read():
    rng = np.random.default_rng(1)
    n = 5000
    frame = pd.DataFrame(
        {
            "service": rng.choice(["S1", "S2", "S3"], n),
            "text": [f"kayıt {i} kadın" if i % 7 == 0 else f"kayıt {i}" for i in range(n)],
            "age": rng.integers(0, 100, n),
            "sex": rng.choice(["female", "male"], n),
        }
    )
    rules = _rules(
        _rule(
            "text",
            {"all": [{"column": "text", "contains": "kadın"}, {"column": "service", "equals": "S1"}]},
            ["T"],
        ),
        _rule("old", {"column": "age", "between": {"min": 65}}, ["O"]),
        _rule("s2", {"column": "service", "equals": "S2"}, ["S"]),
        _rule(
            "s3-women",
            {"all": [{"column": "service", "equals": "S3"}, {"column": "sex", "equals": "female"}]},
            ["W"],
        ),
        _rule("fallback", {"always": True}, ["F"], priority=-1),
    )
    compiled = compile_rules(rules.rules, year_column="fiscal_year", year_present=False)
    view = FrameView(frame)
    # unmerged: one group per set of columns; the always-rule joins the smallest group
    groups = plan_groups(view, compiled, n, dense_limit=1000)
    layout = sorted((g.columns, [r.id for r in g.rules], g.domain.dense) for g in groups)
    assert layout == [
        (("age",), ["old"], True),
        (("service", "text"), ["text"], False),
        (("sex", "service"), ["s2", "s3-women", "fallback"], True),
    ]
    sparse = next(g.domain for g in groups if g.columns == ("service", "text"))
    assert sparse.size == len(frame.drop_duplicates(["service", "text"]))
    # a larger dense limit merges age into sex × service: 3 × 4 × 101 combinations
    groups = plan_groups(view, compiled, n, dense_limit=2000)
    layout = sorted((g.columns, [r.id for r in g.rules], g.domain.dense, g.domain.size) for g in groups)
    assert layout[1] == (("sex", "service", "age"), ["old", "s2", "s3-women", "fallback"], True, 3 * 4 * 101)
    got = tag(frame, rules).rows["rule_ids"].to_numpy()
    is_text = (np.arange(n) % 7 == 0) & (frame["service"] == "S1").to_numpy()
    women_s3 = ((frame["service"] == "S3") & (frame["sex"] == "female")).to_numpy()
    expected = np.select(
        [is_text, frame["age"].to_numpy() >= 65, (frame["service"] == "S2").to_numpy(), women_s3],
        ["text", "old", "s2", "s3-women"],
        "fallback",
    )
    assert (got == expected).all()


def test_without_audit_the_same_tags_with_categorical_text(budget, budget_rules):
    """tag(audit=False): the tag table only — the same values, text as categoricals whose categories sort as the
    texts — no audit rows, no untagged rows, and a coverage that says why it is not there."""
    full = tag(budget, budget_rules)
    lean = tag(budget, budget_rules, audit=False)
    text = [c for c in full.tags.columns if full.tags[c].dtype == "str"]
    assert text and all(isinstance(lean.tags[c].dtype, pd.CategoricalDtype) for c in text)
    for c in text:
        categories = lean.tags[c].cat.categories.tolist()
        assert categories == sorted(categories)
    pd.testing.assert_frame_equal(lean.tags.astype({c: "str" for c in text}), full.tags)
    assert lean.rows.empty and lean.untagged.empty
    with pytest.raises(UsageError, match="audit=True"):
        _ = lean.coverage
