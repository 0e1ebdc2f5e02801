"""Fixtures for the rule-engine tests, and a pytest plugin that collects YAML rule test cases.

Every ``*.cases.yaml`` under ``tests/rules/`` is collected (openfisca style): each case is one pytest item that
tags its input rows with the rule set next to it and compares with ``expect``. The shipped rule sets' cases in
``rules/`` are collected by ``test_shipped_rules.py``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from gcdb.rules.cases import CASES_SUFFIX, load_cases, run_case
from gcdb.rules.load import load_ruleset


def pytest_collect_file(parent, file_path: Path):
    if file_path.name.endswith(CASES_SUFFIX):
        return RuleCasesFile.from_parent(parent, path=file_path)
    return None


class RuleCasesFile(pytest.File):
    def collect(self):
        rulesets: dict = {}
        for case in load_cases(self.path):
            yield RuleCaseItem.from_parent(self, name=case.name, case=case, rulesets=rulesets)


class RuleCaseFailed(Exception):
    pass


class RuleCaseItem(pytest.Item):
    def __init__(self, *, case, rulesets, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.rulesets = rulesets

    def runtest(self):
        path = self.case.ruleset_path
        if path not in self.rulesets:
            self.rulesets[path] = load_ruleset(path)
        result = run_case(self.case, self.rulesets[path])
        if not result.passed:
            raise RuleCaseFailed(str(result))

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, RuleCaseFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, self.case.line, f"rule case: {self.case.name}"


# ---------------------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------------------
HEADER = """\
name: test rules
applies_to: {applies_to}
mode: {mode}
{extra}rules:
"""


def ruleset_yaml(rules: str, *, applies_to: str = "usage", mode: str = "first", extra: str = "") -> str:
    """A rule set's YAML text from the indented text of its rules."""
    return HEADER.format(applies_to=applies_to, mode=mode, extra=extra) + textwrap.indent(
        textwrap.dedent(rules).strip("\n") + "\n", "  "
    )


@pytest.fixture
def write_rules(tmp_path):
    """Write a rule set to a file and return its path: ``write_rules(rules_text, **header)``."""

    counter = {"n": 0}

    def _write(rules: str, **header) -> Path:
        counter["n"] += 1
        path = tmp_path / f"rules_{counter['n']}.yaml"
        path.write_text(ruleset_yaml(rules, **header), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def make_rules(write_rules):
    """Load a rule set from rules text: ``make_rules(rules_text, **header)``."""

    def _make(rules: str, **header):
        return load_ruleset(write_rules(rules, **header))

    return _make


def one_rule(when, *, then=None, applies_to: str = "usage", **rule) -> dict:
    """Python data of a rule set with one rule."""
    return {
        "name": "one rule",
        "applies_to": applies_to,
        "rules": [{"id": "r", "when": when, "then": then or {"actions": ["A1"]}, **rule}],
    }


@pytest.fixture
def match():
    """``match(when, frame)``: which rows a condition matches, by the engine — checked against the scalar
    reference semantics (gcdb.rules.predicates) on every row."""
    import warnings

    from gcdb.rules import parse_ruleset, tag
    from gcdb.rules.predicates import is_numeric_dtype, rule_matches

    def _match(when, frame, **rule) -> list[bool]:
        ruleset = parse_ruleset(one_rule(when, **rule))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            got = tag(frame, ruleset).rows["tagged"].tolist()
        numeric = {c: is_numeric_dtype(frame[c].dtype) for c in frame.columns}
        records = frame.to_dict("records")
        expected = [rule_matches(ruleset.rules[0], rec, numeric) for rec in records]
        assert got == expected, f"engine {got} != reference {expected}"
        return got

    return _match
