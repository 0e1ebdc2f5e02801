"""Hizmette Eşitlik — the equality-in-services analysis an equality unit publishes each year.

>>> from gcdb.services import analyse_services
>>> analysis = analyse_services(usage, population, services=catalogue)          # doctest: +SKIP
>>> analysis.under_served.head()    # the under-served groups, most people missing first
>>> analysis.reached_least          # per service: who it reaches least, how many people that is
>>> analysis.view("district", service="KRS", year=2024)
>>> analysis.to_tidy("out/")        # every table as CSV and Parquet

Who uses each service — by sex, age band, disability, migrant status, district and neighbourhood — against the
population; who is not reached; HEAT inequality measures; who receives the equality plan's spending; what the
plan's indicators say. The statistics are :mod:`gcdb.equality` and :mod:`gcdb.indicators`; this package runs them
per fiscal year with one disclosure-control pass per group of comparisons, and returns a
:class:`ServiceAnalysis` of fixed-shape tables (columns in :mod:`gcdb.services.names`). The workbook is written by
:func:`gcdb.report.services.write_services_workbook`.
"""

from gcdb.services import names
from gcdb.services.analysis import analyse_services, population_for, service_table
from gcdb.services.catalogue import eligibility_of, read_services, services_from_frame
from gcdb.services.names import DEFAULT_CROSSES, DEFAULT_DIMENSIONS, TABLES
from gcdb.services.options import parse_reference, resolve_reference
from gcdb.services.quality import quality_tables
from gcdb.services.result import ServiceAnalysis

__all__ = [
    "analyse_services",
    "ServiceAnalysis",
    "DEFAULT_DIMENSIONS",
    "DEFAULT_CROSSES",
    "TABLES",
    "names",
    "parse_reference",
    "resolve_reference",
    "quality_tables",
    "service_table",
    "population_for",
    "read_services",
    "services_from_frame",
    "eligibility_of",
]
