"""Plan indicators computed from service-usage records (Hizmette Eşitlik, YEEP monitoring).

A YAML file of definitions (``rules/indicators_ibb_demo.yaml``; format: :mod:`gcdb.indicators.model`, JSON Schema
``rules/indicators.schema.json``) links each indicator to a row of the equality-plan catalogue and says how to
count it from usage records; :func:`load_indicators` reads it strictly and :func:`compute_indicators` evaluates
it per fiscal year, overall and per breakdown group, with the change over the previous year.

>>> from gcdb import paths
>>> import pandas as pd
>>> defs = load_indicators(paths.rules() / "indicators_ibb_demo.yaml")
>>> usage = pd.read_parquet(paths.demo() / "usage.parquet")
>>> table = compute_indicators(usage, defs, population=pd.read_parquet(paths.demo() / "population.parquet"))
"""

from gcdb.indicators.compute import INDICATOR_COLUMNS, Reason, compute_indicators, empty_indicator_table
from gcdb.indicators.load import (
    IndicatorError,
    IndicatorSetError,
    indicators_json_schema,
    load_indicators,
    loads_indicators,
    parse_indicators,
)
from gcdb.indicators.model import IndicatorDefinition, IndicatorSet, PopulationBase

__all__ = [
    "IndicatorSet",
    "IndicatorDefinition",
    "PopulationBase",
    "load_indicators",
    "loads_indicators",
    "parse_indicators",
    "indicators_json_schema",
    "IndicatorError",
    "IndicatorSetError",
    "compute_indicators",
    "empty_indicator_table",
    "INDICATOR_COLUMNS",
    "Reason",
]
