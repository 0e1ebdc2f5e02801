"""Equality-plan catalogue: a Yerel Eşitlik Eylem Planı (areas, targets, actions, units, indicators) as data.

``Catalogue.load()`` gives the shipped İBB plan 2021–2024; ``Catalogue.load(path)`` any plan directory in the
same CSV format (:mod:`gcdb.catalogue.schema` is the specification).
"""

from gcdb.catalogue import schema
from gcdb.catalogue.api import ActionDetail, Catalogue
from gcdb.catalogue.load import load_plan

__all__ = ["Catalogue", "ActionDetail", "load_plan", "schema"]
