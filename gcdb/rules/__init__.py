"""The rule engine: YAML rules that tag budget lines and service-usage records with equality-plan actions.

Load a rule set strictly, tag a frame, read the audit trail::

    from gcdb.rules import load_ruleset, tag

    rules = load_ruleset("rules/ibb_yeep_2021_budget.yaml", catalogue=action_codes)
    result = tag(budget, rules)            # mode from the rule set: "first" or "all"
    result.tags                            # one row per (line, rule, action) part, money split exactly
    result.rows                            # the input with rule_ids, action_codes, tagged, tagged_share
    result.coverage.summary                # share of rows and money tagged

The language is documented in ``rules/README.md``; its JSON Schema is ``rules/ruleset.schema.json``.
"""

from gcdb.rules.cases import Case, CaseResult, load_cases, run_cases
from gcdb.rules.coverage import Coverage
from gcdb.rules.engine import AUDIT_COLUMNS, TagResult, tag
from gcdb.rules.load import (
    RuleSetError,
    check_ruleset,
    load_ruleset,
    loads_ruleset,
    parse_ruleset,
    ruleset_json_schema,
)
from gcdb.rules.model import Outputs, Predicate, Rule, RuleSet
from gcdb.rules.predicates import rule_matches

__all__ = [
    # loading
    "load_ruleset",
    "loads_ruleset",
    "parse_ruleset",
    "check_ruleset",
    "ruleset_json_schema",
    "RuleSetError",
    # the language
    "RuleSet",
    "Rule",
    "Predicate",
    "Outputs",
    # running
    "tag",
    "TagResult",
    "Coverage",
    "AUDIT_COLUMNS",
    "rule_matches",
    # rule tests
    "Case",
    "CaseResult",
    "load_cases",
    "run_cases",
]
