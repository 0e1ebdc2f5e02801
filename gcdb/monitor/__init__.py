"""Plan monitoring (YEEP izleme ve değerlendirme): what the units did, what the indicators say, where the money went.

templates
    :func:`write_templates` — one monitoring return per responsible unit and year (:data:`MONITORING_FORM`, made
    with :mod:`gcdb.forms`): the unit's actions and indicators, Turkish instructions, drop-downs, locked structure.
collect
    :func:`collect_returns` — many returned files at once → :class:`Collection` (valid rows, issues naming file,
    sheet and cell, quarantined rows, the units that have not returned or returned incomplete).
workforce
    :func:`gcdb.read.workforce.read_workforce` reads the staff table; :func:`compute_workforce` computes the plan's
    indicators on women's share of staff and managers from it.
analysis
    :func:`analyse_monitoring` → :class:`MonitoringAnalysis`: status of every action, indicator attainment, the
    TCDB money joined with implementation, trends, key numbers and notes.
indicators
    :func:`classify_indicators` (kind, value kind, direction, computability from the wording) and
    :func:`link_indicators` (which action and unit each indicator belongs to).
"""

from gcdb.monitor.analysis import ANALYSIS_TABLES, MonitoringAnalysis, analyse_monitoring
from gcdb.monitor.checks import MONITOR_CODES, MonitorIssueCode
from gcdb.monitor.collect import Collection, collect_returns, combine, read_collection, return_files
from gcdb.monitor.form import MONITORING_FORM
from gcdb.monitor.kinds import classify_indicators, kind_counts
from gcdb.monitor.links import link_indicators
from gcdb.monitor.templates import (
    indicator_plan,
    monitoring_units,
    plan_version,
    return_rows,
    template_name,
    write_templates,
)
from gcdb.monitor.workforce import compute_workforce, workforce_indicators

__all__ = [
    "MONITORING_FORM",
    "write_templates",
    "return_rows",
    "template_name",
    "monitoring_units",
    "plan_version",
    "indicator_plan",
    "collect_returns",
    "Collection",
    "read_collection",
    "combine",
    "return_files",
    "analyse_monitoring",
    "MonitoringAnalysis",
    "ANALYSIS_TABLES",
    "MonitorIssueCode",
    "MONITOR_CODES",
    "classify_indicators",
    "kind_counts",
    "link_indicators",
    "compute_workforce",
    "workforce_indicators",
]
