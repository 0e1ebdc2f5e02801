"""One costing run, start to end: the validated costing → totals → budget proposal → the rule set that recognises
its lines → (given the adopted budget) costed vs appropriated vs executed.

:func:`cost_plan` is what ``gcdb plan cost`` and ``gcdb demo`` call; :class:`CostingRun` holds every result, and
:meth:`CostingRun.tables` the tidy tables (codes, kuruş) the costing report (:mod:`gcdb.report.costing`) is built
beside.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from gcdb.costing.compare import CostComparison, compare_costing
from gcdb.costing.proposal import Proposal, propose_budget
from gcdb.costing.read import CostingRead
from gcdb.costing.rulegen import GeneratedRules, proposal_rules
from gcdb.costing.totals import costing_totals
from gcdb.errors import UsageError
from gcdb.i18n import Message


@dataclass(eq=False)
class CostingRun:
    """Everything one costing run produced.

    ``costing``: the validated costing (:class:`~gcdb.costing.read.CostingRead`); ``totals``: per action, target,
    area, unit and year under each scheme; ``proposal``: the draft budget lines; ``rules``: the generated rule set
    (``rules_path`` where it was written, if it was); ``budget``/``tagging``: the adopted budget's
    :class:`~gcdb.read.ReadResult` and its tagging by the generated rules; ``comparison``: costed vs appropriated vs
    executed (None without a budget); ``action_titles``: action code → the plan's title.
    """

    costing: CostingRead
    totals: pd.DataFrame
    proposal: Proposal
    rules: GeneratedRules
    budget: Any = None
    tagging: Any = None
    comparison: CostComparison | None = None
    rules_path: Path | None = None
    action_titles: pd.Series | None = None
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def lines_found(self) -> int:
        """Adopted budget lines the generated rules recognise (0 without a budget)."""
        if self.tagging is None:
            return 0
        return int(self.tagging.rows["tagged"].sum())

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tidy tables (CSV/Parquet names) of the run."""
        out = {
            "costing_lines": self.costing.data,
            "costing_issues": self.costing.issues,
            "costing_totals": self.totals,
            "proposal_lines": self.proposal.lines,
            "proposal_details": self.proposal.details,
            "proposal_links": self.proposal.links,
            "proposal_rules": self.rules.rules.assign(
                line_id=self.rules.rules["line_id"].map(lambda ids: "|".join(ids))  # one per rule
            ),
            "rule_collisions": self.rules.collisions,
        }
        if self.comparison is not None:
            out |= self.comparison.tables()
        return out


def cost_plan(
    costing: CostingRead,
    *,
    catalogue: Any,
    exclude: pd.DataFrame | None = None,
    budget: Any = None,
    marker: bool = True,
    rules_path: str | Path | None = None,
) -> CostingRun:
    """Totals, proposal, generated rules and — with ``budget`` (a :class:`~gcdb.read.ReadResult` or a budget
    frame of the adopted and executed lines) — the comparison of a validated ``costing``.

    ``exclude``: budget lines the generated rules must not match (e.g. last year's budget); ``marker``: append the
    action code to proposed descriptions; ``rules_path``: also write the rule set (and its cases) there."""
    import gcdb

    if not isinstance(costing, CostingRead):
        raise UsageError(
            f"costing must be a CostingRead (gcdb.costing.read_costing), got {type(costing).__name__}"
        )
    if costing.data.empty:
        raise UsageError(Message("costing.run.empty", source=str(costing.source)))
    totals = costing_totals(costing)
    proposal = propose_budget(costing, marker=marker)
    rules = proposal_rules(proposal, plan=catalogue.meta.plan_id, catalogue=catalogue, exclude=exclude)
    plan = catalogue.budget_actions()
    titles = plan.drop_duplicates("action_code").set_index("action_code")["title"].astype("str")
    run = CostingRun(costing=costing, totals=totals, proposal=proposal, rules=rules, action_titles=titles)
    if rules_path is not None:
        run.rules_path, _ = rules.write(rules_path)
    run.parameters = {
        "plan_id": catalogue.meta.plan_id,
        "costing": costing.source,
        "marker": "yes" if marker else "no",
        "exclude": "yes" if exclude is not None else "no",
    }
    if budget is not None:
        frame = getattr(budget, "data", budget)
        run.budget = budget
        run.tagging = gcdb.tag(frame, rules.ruleset)
        run.comparison = compare_costing(costing, frame, run.tagging, proposal=proposal, rules=rules)
        run.parameters["budget"] = getattr(budget, "source", "<DataFrame>")
    return run


__all__ = ["CostingRun", "cost_plan"]
