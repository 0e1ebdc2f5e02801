"""Costing the equality plan: from plan actions to budget lines, and back (ex-ante gender budgeting).

>>> from gcdb.costing import read_costing, costing_totals, propose_budget, proposal_rules, compare_costing
>>> costing = read_costing("maliyet.csv", catalogue=catalogue)     # doctest: +SKIP
>>> totals = costing_totals(costing)                               # per action/target/area/unit/year, per scheme
>>> proposal = propose_budget(costing)                             # draft budget lines (a canonical budget frame)
>>> rules = proposal_rules(proposal, exclude=last_year_budget)     # the rule set that will find them again
>>> tagged = gcdb.tag(adopted_budget, rules.ruleset)
>>> comparison = compare_costing(costing, adopted_budget, tagged)  # costed vs appropriated vs executed

Column names and status codes: :mod:`gcdb.costing.names`.
"""

from gcdb.costing import names
from gcdb.costing.compare import CostComparison, compare_costing
from gcdb.costing.proposal import Proposal, propose_budget
from gcdb.costing.read import CostingRead, read_costing
from gcdb.costing.rulegen import GeneratedRules, proposal_rules
from gcdb.costing.totals import check_totals, costing_totals

__all__ = [
    "read_costing",
    "CostingRead",
    "costing_totals",
    "check_totals",
    "propose_budget",
    "Proposal",
    "proposal_rules",
    "GeneratedRules",
    "compare_costing",
    "CostComparison",
    "names",
]
