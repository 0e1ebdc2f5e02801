"""Gender-responsive budgeting (TCDB): how much of a budget serves gender equality, under which plan action, in
which department, planned versus spent — exact to the kuruş.

>>> from gcdb.budget import analyse_budget
>>> result = analyse_budget(budget, tag_result, plan_actions=plan)   # doctest: +SKIP
>>> result.summary, result.by_action, result.unfunded_actions, result.diversion, result.reconciliation
>>> result.to_tidy("out/")                                             # CSV + Parquet, one file per table

Column layouts and reason codes: :mod:`gcdb.budget.names`. Method: ``methods.md`` §1.
"""

from gcdb.budget import names
from gcdb.budget.analysis import analyse_budget, floor_check, truncate_code, year_over_year
from gcdb.budget.attribute import Reading, count_parts, part_weights, readings, split_counted
from gcdb.budget.names import Reason
from gcdb.budget.plan import DiversionThresholds, department_key
from gcdb.budget.reconcile import ReconciliationError
from gcdb.budget.result import TABLES, BudgetAnalysis

__all__ = [
    "analyse_budget",
    "BudgetAnalysis",
    "DiversionThresholds",
    "ReconciliationError",
    "Reason",
    "TABLES",
    "names",
    # building blocks
    "Reading",
    "readings",
    "part_weights",
    "split_counted",
    "count_parts",
    "year_over_year",
    "floor_check",
    "truncate_code",
    "department_key",
]
