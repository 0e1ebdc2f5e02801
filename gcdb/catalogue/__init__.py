"""Equality-plan catalogue: a Yerel Eşitlik Eylem Planı (areas, targets, actions, units, indicators) as data.

``Catalogue.load()`` gives the shipped İBB plan 2021–2024; ``Catalogue.load(path)`` any plan directory in the
same CSV format (:mod:`gcdb.catalogue.schema` is the specification) or a plan workbook filled in the template
(:mod:`gcdb.catalogue.template`). :class:`PlanSet` holds several plans; :class:`Crosswalk` follows actions from
one plan period to the next.
"""

from gcdb.catalogue import schema
from gcdb.catalogue.api import ActionDetail, Catalogue
from gcdb.catalogue.load import load_plan
from gcdb.catalogue.plans import Crosswalk, PlanSet, read_crosswalk
from gcdb.catalogue.template import check_plan_workbook, read_plan_workbook, write_plan_workbook

__all__ = [
    "Catalogue",
    "ActionDetail",
    "load_plan",
    "schema",
    "PlanSet",
    "Crosswalk",
    "read_crosswalk",
    "write_plan_workbook",
    "read_plan_workbook",
    "check_plan_workbook",
]
