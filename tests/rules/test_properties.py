"""Property tests: money conservation in ``all`` mode, and the vectorised engine against the scalar reference."""

import functools
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcdb import columns as C
from gcdb.rules import engine, parse_ruleset, tag
from gcdb.rules.compile import plan_groups
from gcdb.rules.predicates import is_numeric_dtype, rule_matches

TEXTS = [
    "KADIN",
    "Kadın",
    "kadin evi",
    "ŞİDDET hattı",
    "İSTANBUL",
    "Istanbul",
    "ISIK",
    "ışık",
    "kadınlara",
    "yol",
    "",
    None,
]
CODES = ["10.4.0.00", "1040000", "10 4 0 00", "10.5.1.00", "09.1", "1", "10", None]
NUMBERS = [0.0, 17.0, 18.0, 64.5, 65.0, 90.0, np.nan]
YEARS = [2020.0, 2021.0, 2022.0, 2023.0, np.nan]
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def frames(draw, min_rows=0, max_rows=25):
    n = draw(st.integers(min_rows, max_rows))
    pick = lambda pool: draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))  # noqa: E731
    frame = pd.DataFrame(
        {
            "t": pd.Series(pick(TEXTS), dtype="str"),
            "c": pd.Series(pick(CODES), dtype="str"),
            "n": pd.Series(pick(NUMBERS), dtype="float64"),
            C.FISCAL_YEAR: pd.Series(pick(YEARS), dtype="float64"),
            "k": pd.Categorical(pick(["a", "b", "c"]), categories=["a", "b", "c", "d"]),
        }
    )
    return frame


def predicates():
    words = st.sampled_from(["kadın", "KADIN", "istanbul", "ışık", "şiddet", "evi", "yol", "lara"])
    return st.one_of(
        st.builds(lambda v: {"column": "t", "equals": v}, st.sampled_from([t for t in TEXTS if t])),
        st.builds(
            lambda v, f: {"column": "t", "in": v, "fold": f},
            st.lists(st.sampled_from([t for t in TEXTS if t]), min_size=1, max_size=3),
            st.booleans(),
        ),
        st.builds(
            lambda w, mode: {"column": "t", "contains": w, "word": mode},
            words,
            st.sampled_from([False, True, "start"]),
        ),
        st.builds(lambda ws: {"column": "t", "contains_any": ws}, st.lists(words, min_size=1, max_size=3)),
        st.builds(lambda ws: {"column": "t", "contains_all": ws}, st.lists(words, min_size=1, max_size=2)),
        st.builds(
            lambda r, f: {"column": "t", "regex": r, "fold": f},
            st.sampled_from(["^kad", "ı", "[ST]", "evi$"]),
            st.booleans(),
        ),
        st.builds(
            lambda p: {"column": "c", "prefix": p},
            st.sampled_from(["10", "10.4", "104", "10 5", "09", "1", "10.4.0.00"]),
        ),
        st.builds(
            lambda b: {"column": "n", "between": b},
            st.sampled_from(
                [
                    {"min": 18},
                    {"max": 17},
                    {"min": 0, "max": 64.5},
                    {"min": 65, "max": 100},
                    {"min": 18, "max": 18},
                ]
            ),
        ),
        st.builds(
            lambda v: {"column": "n", "in": v},
            st.lists(st.sampled_from([0, 17, "18", 65.0, "x"]), min_size=1, max_size=3),
        ),
        st.builds(lambda c, m: {"column": c, "missing": m}, st.sampled_from(["t", "c", "n"]), st.booleans()),
        st.builds(
            lambda v: {"column": "k", "in": v},
            st.lists(st.sampled_from(["a", "b", "d"]), min_size=1, max_size=2),
        ),
    )


conditions = st.recursive(
    predicates(),
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=6,
)


@st.composite
def rule_sets(draw, mode="first", max_rules=6):
    k = draw(st.integers(1, max_rules))
    allocations = draw(st.lists(st.floats(0, 1), min_size=k, max_size=k))
    if mode == "all":  # any rules may co-fire: keep the total at most 1
        total = sum(allocations)
        allocations = [a / total if total > 1 else a for a in allocations]
        allocations = [min(a, 1.0) * (1 - 1e-12) for a in allocations]
    rules = []
    for i in range(k):
        actions = draw(
            st.lists(st.sampled_from(["A1", "A2", "A3", "A4"]), min_size=0, max_size=3, unique=True)
        )
        years = draw(
            st.sampled_from(
                [{}, {"valid_from": 2021}, {"valid_to": 2021}, {"valid_from": 2022, "valid_to": 2022}]
            )
        )
        rules.append(
            {
                "id": f"r{i}",
                "priority": draw(st.integers(-1, 1)),
                "when": draw(conditions) if draw(st.integers(0, 9)) else {"always": True},
                "then": {
                    "actions": actions,
                    "categories": {} if actions else {"oecd_dac": "1"},
                    "allocation": allocations[i],
                },
                **years,
            }
        )
    return parse_ruleset({"name": "random", "applies_to": "usage", "mode": mode, "rules": rules})


@pytest.fixture(params=["default", "sparse", "one-group"])
def domain(request, monkeypatch):
    """Run each property with the default grouping of rules, with every multi-column group sparse and unmerged,
    and with all rules in one dense group."""
    if request.param == "sparse":
        monkeypatch.setattr(engine, "plan_groups", functools.partial(plan_groups, dense_limit=0, merge=False))
    elif request.param == "one-group":
        monkeypatch.setattr(engine, "plan_groups", functools.partial(plan_groups, dense_limit=10**12))
    return request.param


def _reference(frame: pd.DataFrame, ruleset) -> list[list[str]]:
    """Matching rules per row, in precedence order, by the scalar reference semantics (plain Python)."""
    numeric = {c: is_numeric_dtype(frame[c].dtype) for c in frame.columns}
    order = sorted(range(len(ruleset.rules)), key=lambda i: (-ruleset.rules[i].priority, i))
    out = []
    for rec in frame.to_dict("records"):
        out.append([ruleset.rules[i].id for i in order if rule_matches(ruleset.rules[i], rec, numeric)])
    return out


@SETTINGS
@given(frame=frames(), ruleset=rule_sets(mode="first"))
def test_first_mode_matches_reference_semantics(domain, frame, ruleset):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = tag(frame, ruleset)
    expected = _reference(frame, ruleset)
    assert result.rows["rule_ids"].tolist() == [m[0] if m else "" for m in expected]
    overlaps = result.coverage.overlaps
    assert overlaps["rows"].sum() == sum(len(m) >= 2 for m in expected)
    matched = result.coverage.rules.set_index("rule_id")["matched_rows"]
    for rule in ruleset.rules:
        assert matched[rule.id] == sum(rule.id in m for m in expected)


@SETTINGS
@given(frame=frames(), ruleset=rule_sets(mode="all"))
def test_all_mode_matches_reference_semantics(domain, frame, ruleset):
    result = tag(frame, ruleset)
    expected = _reference(frame, ruleset)
    assert result.rows["rule_ids"].tolist() == ["|".join(m) for m in expected]
    allocation = {r.id: r.then.allocation for r in ruleset.rules}
    np.testing.assert_allclose(result.rows["tagged_share"], [sum(allocation[r] for r in m) for m in expected])


#: float64 products in gcdb.money are exact up to 2**53 kuruş (≈ 90 trillion TL per line); beyond, see
#: test_money_beyond_2_53_kurus
EXACT = 2**53 - 1
amounts = st.integers(-EXACT, EXACT) | st.integers(-(10**15), 10**15) | st.integers(-1000, 1000)


@SETTINGS
@given(data=st.data(), ruleset=rule_sets(mode="all", max_rules=8))
def test_money_is_conserved_in_all_mode(domain, data, ruleset):
    frame = data.draw(frames(min_rows=1))
    n = len(frame)
    for phase in C.PHASES:
        frame[phase] = np.array(data.draw(st.lists(amounts, min_size=n, max_size=n)), dtype=np.int64)
    result = tag(frame, ruleset)
    tags = result.tags
    share_total = np.bincount(tags["row_id"], weights=tags["share"], minlength=n)
    assert (share_total <= 1 + 1e-9).all()
    for phase in C.PHASES:
        line = frame[phase].to_numpy()
        parts = tags[f"attributed_{phase}"].to_numpy()
        attributed = np.zeros(n, dtype=np.int64)
        np.add.at(attributed, tags["row_id"].to_numpy(), parts)
        remainder = line - attributed
        # per row: parts + untagged remainder = the line, exactly (integer arithmetic, no overflow)
        assert (attributed + remainder == line).all()
        # each part is its share of the line, rounded by less than one kuruş (relative float tolerance for huge lines)
        exact = line[tags["row_id"]].astype(np.float64) * tags["share"].to_numpy()
        assert (np.abs(parts - exact) <= 1 + 1e-12 * np.abs(exact)).all()
        # the remainder is (1 − Σ shares) of the line, same sign as the line, never more than it
        expected_rest = line.astype(np.float64) * (1 - share_total)
        assert (np.abs(remainder - expected_rest) <= 1 + 1e-9 * np.abs(line)).all()
        assert ((np.sign(remainder) == np.sign(line)) | (remainder == 0)).all()
        untagged = ~result.rows["tagged"].to_numpy()
        assert (remainder[untagged] == line[untagged]).all()
        # the coverage report adds up
        summary = result.coverage.summary.set_index("measure")
        assert summary.loc[phase, "attributed"] == int(parts.sum()) if n else True


def test_money_beyond_2_53_kurus():
    rules = parse_ruleset(
        {
            "name": "huge",
            "applies_to": "usage",
            "mode": "all",
            "rules": [
                {
                    "id": "zero",
                    "when": {"always": True},
                    "then": {"categories": {"oecd_dac": "1"}, "allocation": 0},
                },
                {
                    "id": "big",
                    "when": {"always": True},
                    "then": {"categories": {"oecd_dac": "1"}, "allocation": 0.3125},
                },
                {
                    "id": "tiny",
                    "when": {"always": True},
                    "then": {"categories": {"oecd_dac": "1"}, "allocation": 1e-12},
                },
            ],
        }
    )
    line = 49_370_126_820_449_637
    frame = pd.DataFrame({C.EXPENDITURE: np.array([line], dtype=np.int64)})
    parts = tag(frame, rules).tags.set_index("rule_id")[f"attributed_{C.EXPENDITURE}"]
    assert parts["zero"] == 0
    assert parts["tiny"] == 49_370  # 49,370.13
    assert abs(parts["big"] - line * 5 // 16) <= 1
