"""gcdb — gender-responsive budgeting (TCDB) and equality-in-services (Hizmette Eşitlik) for municipalities.

The public API reads like the user guide's table of contents, in the order of the data flow:

read → validate → normalise
    :func:`read_budget`, :func:`read_usage`, :func:`read_population` (files) and :func:`budget_from_frame`,
    :func:`usage_from_frame`, :func:`population_from_frame` (DataFrames) return a :class:`ReadResult`: valid rows,
    an issues table with stable :class:`IssueCode` codes, quarantined rows and a reconciliation.
the equality plan
    :class:`Catalogue` — the YEEP 2021–2024 actions, targets, units and indicators (or any plan in that shape);
    :class:`PlanSet` — several plans side by side.
tag
    :func:`load_ruleset` and :func:`tag` apply YAML rule sets to budget lines or service records, vectorised,
    returning a :class:`TagResult` (tag table, audit columns, coverage). :func:`load_schemes` gives the weighting
    schemes.
aggregate → ratios
    :func:`analyse_budget` (the gender budget, plan vs money, diversion, reconciliation);
    :func:`breakdown`, :func:`impact_table`, :func:`heat_measures`, :func:`suppress`, :func:`benefit_incidence`
    (service reach); :func:`analyse_services` (the whole Hizmette Eşitlik analysis); :func:`load_indicators` and :func:`compute_indicators` (plan indicators).
plan: cost → monitor → assess
    :func:`read_costing` (costing lines), :func:`propose_budget` (the draft budget lines) and
    :func:`compare_costing` (costed vs appropriated vs executed); :func:`collect_returns` (the units' monitoring
    returns), :func:`read_workforce` and :func:`analyse_monitoring` (status, indicators, money × implementation);
    :func:`load_checklist` and :func:`score_assessments` (service checklists, HGDG scores).
scale
    :func:`read_usage_chunks`, :func:`breakdown_chunked`, :func:`impact_table_chunked`, :func:`tag_chunked`,
    :func:`analyse_budget_chunked` process files larger than memory with results identical to the in-memory
    functions; :mod:`gcdb.scale.dask` runs tagging and breakdowns on Dask DataFrames.
report
    :func:`run_pipeline` runs every stage and writes the workbooks (TCDB, Hizmette Eşitlik, and with their inputs
    monitoring, costing and checklists); the ``gcdb`` command is a thin layer over it.
shipped data
    :mod:`paths` — where the shipped plan catalogue, rule sets, reference lists and demo are (inside the package).

Names are imported lazily so that ``import gcdb`` stays fast. ``__all__`` is the public API: what it promises, how
versions are numbered and how a name is deprecated is written in ``docs/api.md``.
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING, Any

from gcdb.scale.memory import choose_arrow_pool

choose_arrow_pool()  # Arrow on the C library's allocator unless ARROW_DEFAULT_MEMORY_POOL says otherwise

#: The version of gcdb (semantic versioning; the one place it is written — pyproject.toml reads it from here).
__version__ = "0.1.0.dev0"

_EXPORTS: dict[str, str] = {
    # vocabulary and errors as data
    "columns": "gcdb.columns",
    "paths": "gcdb.paths",
    "GcdbError": "gcdb.errors",
    "DataValidationError": "gcdb.errors",
    "RuleError": "gcdb.errors",
    "CatalogueError": "gcdb.errors",
    "UsageError": "gcdb.errors",
    "IssueCode": "gcdb.errors",
    "fold": "gcdb.text",
    "tr_lower": "gcdb.text",
    "tr_upper": "gcdb.text",
    # read → validate → normalise
    "read_budget": "gcdb.read",
    "read_usage": "gcdb.read",
    "read_population": "gcdb.read",
    "budget_from_frame": "gcdb.read",
    "usage_from_frame": "gcdb.read",
    "population_from_frame": "gcdb.read",
    "ReadResult": "gcdb.read",
    # the equality plan
    "Catalogue": "gcdb.catalogue",
    "PlanSet": "gcdb.catalogue",
    # tag
    "load_schemes": "gcdb.schemes",
    "load_ruleset": "gcdb.rules",
    "tag": "gcdb.rules",
    "TagResult": "gcdb.rules",
    # aggregate → ratios
    "analyse_budget": "gcdb.budget",
    "BudgetAnalysis": "gcdb.budget",
    "breakdown": "gcdb.equality",
    "impact_table": "gcdb.equality",
    "heat_measures": "gcdb.equality",
    "suppress": "gcdb.equality",
    "benefit_incidence": "gcdb.equality",
    "analyse_services": "gcdb.services",
    "ServiceAnalysis": "gcdb.services",
    "load_indicators": "gcdb.indicators",
    "compute_indicators": "gcdb.indicators",
    # the plan, ex ante and ex post: cost → propose → compare; collect → analyse; checklists
    "read_costing": "gcdb.costing",
    "propose_budget": "gcdb.costing",
    "compare_costing": "gcdb.costing",
    "collect_returns": "gcdb.monitor",
    "read_workforce": "gcdb.read.workforce",
    "analyse_monitoring": "gcdb.monitor",
    "MonitoringAnalysis": "gcdb.monitor",
    "load_checklist": "gcdb.checklists",
    "score_assessments": "gcdb.checklists",
    # files larger than memory (gcdb.scale; gcdb.scale.dask for Dask DataFrames)
    "scale": "gcdb.scale",
    "read_usage_chunks": "gcdb.scale",
    "breakdown_chunked": "gcdb.scale",
    "impact_table_chunked": "gcdb.scale",
    "tag_chunked": "gcdb.scale",
    "analyse_budget_chunked": "gcdb.scale",
    # the whole pipeline
    "run_pipeline": "gcdb.pipeline",
    "demo_inputs": "gcdb.pipeline",
    "Inputs": "gcdb.pipeline",
    "PipelineResult": "gcdb.pipeline",
}

#: Deprecated names: old name → (where the replacement lives as "module:name", the version that deprecated it).
#: A deprecated name keeps working, with a DeprecationWarning, for at least one minor release (docs/api.md); it is
#: not in ``__all__``.
_DEPRECATED: dict[str, tuple[str, str]] = {}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _DEPRECATED:
        target, since = _DEPRECATED[name]
        where, _, attr = target.partition(":")
        warnings.warn(
            f"gcdb.{name} is deprecated since gcdb {since} and will be removed in a later minor release; "
            f"use {where}.{attr}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(where), attr)  # not cached: every use warns
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gcdb' has no attribute {name!r}")
    mod = importlib.import_module(module)
    value = mod if module.endswith("." + name) else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from gcdb import (
        columns,  # noqa: F401
        paths,  # noqa: F401
        scale,  # noqa: F401
    )
    from gcdb.budget import BudgetAnalysis, analyse_budget  # noqa: F401
    from gcdb.catalogue import Catalogue, PlanSet  # noqa: F401
    from gcdb.checklists import load_checklist, score_assessments  # noqa: F401
    from gcdb.costing import compare_costing, propose_budget, read_costing  # noqa: F401
    from gcdb.equality import benefit_incidence, heat_measures, impact_table, suppress  # noqa: F401
    from gcdb.equality.breakdown import breakdown  # noqa: F401  (gcdb.equality.breakdown is also a module)
    from gcdb.errors import (  # noqa: F401
        CatalogueError,
        DataValidationError,
        GcdbError,
        IssueCode,
        RuleError,
        UsageError,
    )
    from gcdb.indicators import compute_indicators, load_indicators  # noqa: F401
    from gcdb.monitor import MonitoringAnalysis, analyse_monitoring, collect_returns  # noqa: F401
    from gcdb.pipeline import Inputs, PipelineResult, demo_inputs, run_pipeline  # noqa: F401
    from gcdb.read import (  # noqa: F401
        ReadResult,
        budget_from_frame,
        population_from_frame,
        read_budget,
        read_population,
        read_usage,
        usage_from_frame,
    )
    from gcdb.read.workforce import read_workforce  # noqa: F401
    from gcdb.rules import TagResult, load_ruleset, tag  # noqa: F401
    from gcdb.scale import (  # noqa: F401
        analyse_budget_chunked,
        breakdown_chunked,
        impact_table_chunked,
        read_usage_chunks,
        tag_chunked,
    )
    from gcdb.schemes import load_schemes  # noqa: F401
    from gcdb.services import ServiceAnalysis, analyse_services  # noqa: F401
    from gcdb.text import fold, tr_lower, tr_upper  # noqa: F401
