"""Disclosure control over the linked set of published tables (methods.md §4, docs/disclosure.md).

Every published count, quantity and amount is a cell of one set of linked tables (:func:`register`); the engine
(:func:`protect`) hides small counts and what reveals them (primary), chooses secondary cells by Gaussian
elimination over the model matrix in the manner of Statistics Norway's GaussSuppression, and audits the result
with the attacker (:func:`attack`), which rebuilds every additive relation from the published tables alone and
tries to recover every hidden number exactly.
"""

from gcdb.disclosure.apply import ProtectedTables, mask_tables, protect_analysis
from gcdb.disclosure.attack import AttackReport, attack
from gcdb.disclosure.cells import Cells, register
from gcdb.disclosure.engine import Protection, protect, published_view
from gcdb.disclosure.model import blocks, model_matrix, relations
from gcdb.disclosure.primary import primary_cells, top_contributions
from gcdb.disclosure.spec import DimensionSpec, Policy
from gcdb.disclosure.tables import cell_frame, with_margins

__all__ = [
    "AttackReport",
    "Cells",
    "DimensionSpec",
    "Policy",
    "ProtectedTables",
    "Protection",
    "attack",
    "blocks",
    "cell_frame",
    "mask_tables",
    "model_matrix",
    "primary_cells",
    "protect",
    "protect_analysis",
    "published_view",
    "register",
    "relations",
    "top_contributions",
    "with_margins",
]
