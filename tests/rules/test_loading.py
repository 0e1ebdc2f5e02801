"""Strict loading: every error names the file, the line and the rule id."""

import json

import pandas as pd
import pytest

from gcdb import paths
from gcdb.errors import RuleError
from gcdb.rules import load_ruleset, loads_ruleset, parse_ruleset, ruleset_json_schema
from gcdb.rules.load import RuleSetError, check_ruleset

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")

# (rules text, header options, line, rule id, message fragment); the rules start on line 5
ERRORS = {
    "unknown key in rule": (
        """
        - id: r1
          whn: {column: a, equals: x}
          then: {actions: [A1]}
        """,
        {},
        6,
        "r1",
        "unknown key 'whn'; did you mean 'when'?",
    ),
    "unknown key in predicate": (
        """
        - id: r1
          when: {column: a, contain: x}
          then: {actions: [A1]}
        """,
        {},
        6,
        "r1",
        "unknown key 'contain'",
    ),
    "unknown key in then": (
        """
        - id: r1
          when: {always: true}
          then:
            actions: [A1]
            categoris: {eu_cpr: "01"}
        """,
        {},
        9,
        "r1",
        "unknown key 'categoris'",
    ),
    "duplicate key": (
        """
        - id: r1
          when: {always: true}
          then: {actions: [A1]}
          when: {column: a, equals: x}
        """,
        {},
        8,
        "r1",
        "duplicate key 'when' (first at line 6)",
    ),
    "duplicate rule id": (
        """
        - id: r1
          when: {always: true}
          then: {actions: [A1]}
        - id: r1
          when: {always: true}
          then: {actions: [A2]}
        """,
        {},
        8,
        "r1",
        "duplicate rule id 'r1' (first at line 5)",
    ),
    "bad regex": (
        """
        - id: r1
          when:
            any:
              - {column: a, equals: x}
              - {column: b, regex: "[unclosed"}
          then: {actions: [A1]}
        """,
        {},
        9,
        "r1",
        "bad regular expression '[unclosed'",
    ),
    "missing when": (
        """
        - id: r1
          then: {actions: [A1]}
        """,
        {},
        5,
        "r1",
        "write 'when: {always: true}'",
    ),
    "empty all": (
        """
        - id: r1
          when: {all: []}
          then: {actions: [A1]}
        """,
        {},
        6,
        "r1",
        "empty 'all' condition",
    ),
    "empty any nested": (
        """
        - id: r1
          when:
            not:
              any: []
          then: {actions: [A1]}
        """,
        {},
        8,
        "r1",
        "empty 'any' condition",
    ),
    "always false": (
        """
        - id: r1
          when: {always: false}
          then: {actions: [A1]}
        """,
        {},
        6,
        "r1",
        "'always'",
    ),
    "not a condition": (
        """
        - id: r1
          when: {colum: a, equals: x}
          then: {actions: [A1]}
        """,
        {},
        6,
        "r1",
        "a condition is a mapping with 'column' and one operator",
    ),
    "no operator": (
        """
        - id: r1
          when: {column: a, word: true}
          then: {actions: [A1]}
        """,
        {},
        6,
        "r1",
        "has no operator",
    ),
    "two operators": (
        """
        - id: r1
          when: {column: a, equals: x, contains: y}
          then: {actions: [A1]}
        """,
        {},
        6,
        "r1",
        "has 2 operators (equals, contains)",
    ),
    "modifier on wrong operator": (
        """
        - id: r1
          when: {column: a, equals: x, word: true}
          then: {actions: [A1]}
        """,
        {},
        6,
        "r1",
        "'word' applies only to contains",
    ),
    "between without bounds": (
        """
        - id: r1
          when: {column: age, between: {}}
          then: {actions: [A1]}
        """,
        {},
        6,
        "r1",
        "'between' needs 'min', 'max' or both",
    ),
    "between reversed": (
        """
        - id: r1
          when: {column: age, between: {min: 65, max: 18}}
          then: {actions: [A1]}
        """,
        {},
        6,
        "r1",
        "min 65 is greater than max 18",
    ),
    "share above one": (
        """
        - id: r1
          when: {always: true}
          then: {actions: [A1], share: 1.5}
        """,
        {},
        7,
        "r1",
        "'share' must be within [0, 1], got 1.5",
    ),
    "allocation below zero": (
        """
        - id: r1
          when: {always: true}
          then:
            actions: [A1]
            allocation: -0.25
        """,
        {},
        9,
        "r1",
        "'allocation' must be within [0, 1], got -0.25",
    ),
    "then gives nothing": (
        """
        - id: r1
          when: {always: true}
          then: {}
        """,
        {},
        7,
        "r1",
        "'then' must give 'actions', 'categories' or both",
    ),
    "valid_from after valid_to": (
        """
        - id: r1
          valid_from: 2024
          valid_to: 2021
          when: {always: true}
          then: {actions: [A1]}
        """,
        {},
        5,
        "r1",
        "valid_from 2024 is after valid_to 2021",
    ),
    "unquoted leading zero": (
        """
        - id: r1
          when: {column: economic_code, equals: 03}
          then: {actions: [A1]}
        """,
        {},
        6,
        "r1",
        "YAML reads 03 as the number 3",
    ),
    "prefix written as number": (
        """
        - id: r1
          when: {column: functional_code, prefix: 10.4}
          then: {actions: [A1]}
        """,
        {},
        6,
        "r1",
        "a code prefix must be text: write 10.4 in quotes",
    ),
    "prefix off the code levels": (
        """
        - id: r1
          when: {column: functional_code, prefix: "10.40"}
          then: {actions: [A1]}
        """,
        {},
        6,
        "r1",
        "does not end on a level boundary of codes shaped 99.9.9.99",
    ),
    "bad rule id": (
        """
        - id: "two words"
          when: {always: true}
          then: {actions: [A1]}
        """,
        {},
        5,
        "two words",
        "must not be empty or contain spaces or '|'",
    ),
    "unknown scheme": (
        """
        - id: r1
          when: {always: true}
          then:
            actions: [A1]
            categories: {eu: "01"}
        """,
        {},
        9,
        "r1",
        "unknown weighting scheme 'eu'",
    ),
    "unknown category": (
        """
        - id: r1
          when: {always: true}
          then:
            actions: [A1]
            categories:
              oecd_dac: "3"
        """,
        {},
        10,
        "r1",
        "unknown category '3' for scheme 'oecd_dac'",
    ),
    "unquoted category loses zero": (
        """
        - id: r1
          when: {always: true}
          then:
            actions: [A1]
            categories: {eu_cpr: 2}
        """,
        {},
        9,
        "r1",
        'write "02" in quotes',
    ),
    "declared share outside the band": (
        """
        - id: r1
          when: {always: true}
          then:
            actions: [A1]
            categories: {india_gbs: B}
            share: 0.2
        """,
        {},
        9,
        "r1",
        "declared share 0.2 is outside 0.3–0.99",
    ),
    "budget rule without default category": (
        """
        - id: r1
          when: {always: true}
          then:
            actions: [A1]
            categories: {oecd_dac: "2"}
        """,
        {"applies_to": "budget", "extra": "default_scheme: eu_cpr\n"},
        8,
        "r1",
        "budget rules must give a category for the default scheme 'eu_cpr'",
    ),
    "undeclared column": (
        """
        - id: r1
          when:
            all:
              - {column: sex, equals: female}
              - {column: sexx, equals: female}
          then: {actions: [A1]}
        """,
        {"extra": "columns: [sex, age]\n"},
        10,
        "r1",
        "unknown column 'sexx'; the rule set declares columns: age, sex",
    ),
    "all mode allocations could exceed one": (
        """
        - id: r1
          when: {column: sex, equals: female}
          then: {actions: [A1], allocation: 0.7}
        - id: r2
          when: {column: age, between: {min: 65}}
          then: {actions: [A2], allocation: 0.4}
        """,
        {"mode": "all"},
        10,
        "r1",
        "rules 'r1' (line 5, allocation 0.7), 'r2' (line 8, allocation 0.4) may all match",
    ),
}


@pytest.mark.parametrize("op", ["between", "regex", "in", "prefix", "contains", "contains_any", "missing"])
def test_an_operator_without_a_value_is_refused_at_load(op, write_rules):
    """``regex: null`` was accepted and crashed when the rules ran (TypeError); every operator wants a value."""
    path = write_rules(
        f"""
        - id: r1
          when: {{column: description, {op}: null}}
          then: {{actions: [A1]}}
        """
    )
    with pytest.raises(RuleError) as err:
        load_ruleset(path)
    assert f"'{op}: null' is not allowed; give a value" in str(err.value)
    assert err.value.rule_id == "r1"


@pytest.mark.parametrize("name", list(ERRORS))
def test_strict_loading_error_names_file_line_and_rule(name, write_rules):
    rules, header, line, rule_id, fragment = ERRORS[name]
    path = write_rules(rules, **header)
    with pytest.raises(RuleError) as err:
        load_ruleset(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line} (rule {rule_id!r}): "), message
    assert fragment in message, message
    assert (err.value.file, err.value.line, err.value.rule_id) == (str(path), line, rule_id)


def test_unknown_action_code_against_a_catalogue(write_rules):
    path = write_rules(
        """
        - id: r1
          when: {always: true}
          then:
            actions: [A7H1E2, A7H1E9]
    """,
        extra="plan: test_plan\n",
    )

    class Catalogue:
        def has_action(self, code):
            return code in {"A7H1E1", "A7H1E2"}

    with pytest.raises(RuleError) as err:
        load_ruleset(path, catalogue=Catalogue())
    assert str(err.value).startswith(f"{path}:9 (rule 'r1'): unknown action code 'A7H1E9'")
    assert "test_plan" in str(err.value)
    with pytest.raises(RuleError, match="close: A7H1E2"):
        load_ruleset(path, catalogue=["A7H1E1", "A7H1E2"])
    assert (
        load_ruleset(path, catalogue=pd.DataFrame({"action_code": ["A7H1E2", "A7H1E9"]})).rules[0].id == "r1"
    )
    assert load_ruleset(path).rules[0].then.actions == ["A7H1E2", "A7H1E9"]  # no catalogue: not checked


def test_rule_set_level_errors_name_file_and_line(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text(
        "name: b\napplies_to: budget\nrules:\n  - id: r\n    when: {always: true}\n    then: {actions: [A]}\n"
    )
    with pytest.raises(RuleError) as err:
        load_ruleset(path)
    assert str(err.value).startswith(f"{path}:2: a budget rule set needs 'default_scheme'")
    path.write_text("name: b\napplies_to: budgets\nrules: []\n")
    with pytest.raises(RuleError, match=r"b.yaml:2: 'applies_to': Input should be 'budget' or 'usage'"):
        load_ruleset(path)


def test_several_problems_are_all_listed(write_rules):
    path = write_rules("""
        - id: r1
          when: {all: []}
          then: {actions: [A1]}
        - id: r2
          when: {column: a, regex: "("}
          then: {actions: [A1], allocation: 2}
    """)
    with pytest.raises(RuleSetError) as err:
        load_ruleset(path)
    assert len(err.value.problems) == 3
    assert [p.line for p in err.value.problems] == [6, 9, 10]
    assert [p.rule_id for p in err.value.problems] == ["r1", "r2", "r2"]
    assert "2 more problem(s)" in str(err.value)


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nrules:\n  - id: r1\n    when: {always: true\n")
    with pytest.raises(RuleError, match=r"bad.yaml:\d+.*YAML syntax error"):
        load_ruleset(path)


def test_loads_and_parse_give_the_same_rule_set(write_rules):
    text = "name: t\napplies_to: usage\nrules:\n  - id: r\n    when: {column: a, in: [x, 1]}\n    then: {actions: [A]}\n"
    a = loads_ruleset(text, name="mem.yaml")
    b = parse_ruleset(
        {
            "name": "t",
            "applies_to": "usage",
            "rules": [{"id": "r", "when": {"column": "a", "in": ["x", 1]}, "then": {"actions": ["A"]}}],
        }
    )
    assert a.model_dump() == b.model_dump()
    assert a.source == "mem.yaml" and a.rules[0].line == 4 and a.rules[0].when.line == 5
    assert b.rules[0].line == 0  # built from Python data: no lines
    with pytest.raises(RuleError, match="<data>"):
        parse_ruleset(
            {"name": "t", "applies_to": "usage", "rules": [{"id": "r", "then": {"actions": ["A"]}}]}
        )
    assert check_ruleset(a, catalogue={"B"})[0].rule_id == "r"


@pytest.mark.parametrize(
    "rules",
    [
        """
        - id: by-value
          when: {column: service_code, in: ["1", "2"]}
          then: {actions: [A1], allocation: 0.8}
        - id: other-value
          when: {column: service_code, equals: "3"}
          then: {actions: [A2], allocation: 0.8}
        """,
        """
        - id: by-prefix
          when: {column: functional_code, prefix: "10.4"}
          then: {actions: [A3], allocation: 0.6}
        - id: other-prefix
          when: {column: functional_code, prefix: ["09", "10.5"]}
          then: {actions: [A4], allocation: 0.6}
        """,
        """
        - id: early
          valid_to: 2021
          when: {column: description, contains: kadın}
          then: {actions: [A5], allocation: 0.6}
        - id: late
          valid_from: 2022
          when: {column: description, contains: kadın}
          then: {actions: [A6], allocation: 0.6}
        """,
    ],
)
def test_disjoint_rules_may_each_claim_most_of_a_line_in_all_mode(make_rules, rules):
    assert len(make_rules(rules, mode="all").rules) == 2


@pytest.mark.parametrize(
    ("first", "second", "disjoint"),
    [
        ({"column": "a", "in": ["x", "y"]}, {"column": "a", "equals": "z"}, True),
        (
            {"column": "a", "in": ["x", "y"]},
            {"column": "a", "equals": "Y"},
            False,
        ),  # folded alike: conservative
        ({"column": "a", "equals": "x"}, {"not": {"column": "a", "in": ["x", "q"]}}, True),
        ({"column": "a", "equals": "x"}, {"column": "a", "missing": True}, True),
        ({"column": "a", "prefix": "10.4"}, {"column": "a", "prefix": "10.40"}, False),
        ({"column": "a", "prefix": "10.4"}, {"column": "a", "prefix": "10.5"}, True),
        ({"column": "a", "equals": "10.5.1"}, {"column": "a", "prefix": "10.4"}, True),
        ({"column": "n", "between": {"max": 17}}, {"column": "n", "between": {"min": 18}}, True),
        ({"column": "n", "between": {"max": 18}}, {"column": "n", "between": {"min": 18}}, False),
        ({"column": "n", "equals": 20}, {"column": "n", "between": {"max": 18}}, True),
        (
            {"any": [{"column": "a", "equals": "x"}, {"column": "a", "equals": "y"}]},
            {"column": "a", "equals": "z"},
            True,
        ),
        (
            {"any": [{"column": "a", "equals": "x"}, {"column": "b", "equals": "y"}]},
            {"column": "a", "equals": "z"},
            False,
        ),
        (
            {"all": [{"column": "a", "equals": "x"}, {"column": "b", "equals": "y"}]},
            {"column": "b", "equals": "z"},
            True,
        ),
        ({"not": {"any": [{"column": "a", "equals": "x"}]}}, {"column": "a", "equals": "x"}, True),
        ({"column": "c", "contains": "kadın"}, {"column": "c", "contains": "erkek"}, False),  # cannot prove
    ],
)
def test_all_mode_disjointness_proofs(first, second, disjoint):
    data = {
        "name": "t",
        "applies_to": "usage",
        "mode": "all",
        "rules": [
            {"id": "one", "when": first, "then": {"actions": ["A"], "allocation": 0.6}},
            {"id": "two", "when": second, "then": {"actions": ["B"], "allocation": 0.6}},
        ],
    }
    if disjoint:
        parse_ruleset(data)
    else:
        with pytest.raises(RuleError, match="'one' .* 'two' .* may all match one line"):
            parse_ruleset(data)


def test_all_mode_three_rules_exceeding_together(make_rules):
    with pytest.raises(RuleError, match=r"'a' .*'b' .*'c' .*claim 1.2 > 1"):
        make_rules(
            """
            - id: a
              when: {column: x, equals: "1"}
              then: {actions: [A], allocation: 0.4}
            - id: b
              when: {column: y, equals: "1"}
              then: {actions: [B], allocation: 0.4}
            - id: c
              when: {column: z, equals: "1"}
              then: {actions: [C], allocation: 0.4}
        """,
            mode="all",
        )


def test_json_schema_export_matches_the_shipped_file():
    schema = ruleset_json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["additionalProperties"] is False
    assert {"name", "applies_to", "rules"} <= set(schema["required"])
    predicate = schema["$defs"]["Predicate"]
    assert {"in", "prefix", "contains_any", "between", "missing", "word"} <= set(predicate["properties"])
    shipped = paths.rules() / "ruleset.schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == schema, (
        "run: gcdb rules schema --out rules/ruleset.schema.json"
    )
