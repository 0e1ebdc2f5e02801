"""Hand-built inputs for the budget-analysis tests, shaped exactly as docs/contracts.md describes.

The rule engine is written in parallel, so tests build its tag table by hand: ``row_id, rule_id, action_code,
share, category_<scheme> (every shipped scheme), declared_share, attributed_<phase>``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.schemes import DECLARED_SHARE, category_column, load_schemes

SCHEME_IDS = load_schemes().ids
PHASES = C.PHASES


def make_budget(lines: list[dict]) -> pd.DataFrame:
    """Budget lines; each dict gives at least ``ini, rev, exp`` (kuruş) and may override any column."""
    rows = []
    for i, line in enumerate(lines):
        rows.append(
            {
                C.FISCAL_YEAR: line.get("year", 2024),
                C.LINE_ID: line.get("line_id", f"L{i}"),
                C.INSTITUTIONAL_CODE: line.get("institutional_code", "46.34.01.16"),
                C.UNIT_NAME: line.get("unit", "Kadın ve Aile Hizmetleri Dairesi Başkanlığı"),
                C.FUNCTIONAL_CODE: line.get("functional", "10.4.0.00"),
                C.FINANCING_TYPE: line.get("financing", "5"),
                C.ECONOMIC_CODE: line.get("economic", "03.5.1.08"),
                C.DESCRIPTION: line.get("description", f"LINE {i}"),
                C.INITIAL_APPROPRIATION: line["ini"],
                C.REVISED_APPROPRIATION: line["rev"],
                C.EXPENDITURE: line["exp"],
            }
        )
    frame = pd.DataFrame(rows)
    return frame.astype(
        {
            C.FISCAL_YEAR: "int64",
            C.INITIAL_APPROPRIATION: "int64",
            C.REVISED_APPROPRIATION: "int64",
            C.EXPENDITURE: "int64",
            C.LINE_ID: "str",
            C.UNIT_NAME: "str",
            C.FUNCTIONAL_CODE: "str",
            C.FINANCING_TYPE: "str",
            C.ECONOMIC_CODE: "str",
            C.DESCRIPTION: "str",
        }
    )


def make_tags(parts: list[dict]) -> pd.DataFrame:
    """Tag table. Each dict: ``row, share`` and optionally ``action, rule``, ``dshare`` (declared share),
    ``<scheme id>`` (category under that scheme) and ``attributed`` = (initial, revised, expenditure) kuruş written
    by hand."""
    data: dict[str, list] = {C.ROW_ID: [], C.RULE_ID: [], C.ACTION_CODE: [], C.SHARE: [], DECLARED_SHARE: []}
    for scheme in SCHEME_IDS:
        data[category_column(scheme)] = []
    for phase in PHASES:
        data[C.attributed(phase)] = []
    for i, part in enumerate(parts):
        data[C.ROW_ID].append(part["row"])
        data[C.RULE_ID].append(part.get("rule", f"r{i}"))
        data[C.ACTION_CODE].append(part.get("action"))
        data[C.SHARE].append(part["share"])
        data[DECLARED_SHARE].append(part.get("dshare", np.nan))
        for scheme in SCHEME_IDS:
            data[category_column(scheme)].append(part.get(scheme))
        for phase, amount in zip(PHASES, part["attributed"], strict=True):
            data[C.attributed(phase)].append(amount)
    frame = pd.DataFrame(data)
    dtypes = {
        C.ROW_ID: "int64",
        C.RULE_ID: "str",
        C.ACTION_CODE: "str",
        C.SHARE: "float64",
        DECLARED_SHARE: "float64",
    }
    dtypes |= {category_column(s): "str" for s in SCHEME_IDS}
    dtypes |= {C.attributed(p): "int64" for p in PHASES}
    return frame.astype(dtypes)


def make_plan(actions: list[dict]) -> pd.DataFrame:
    """Plan actions frame (docs/contracts.md). Each dict: ``code, from, to`` and optionally ``unit, title``."""
    frame = pd.DataFrame(
        {
            C.ACTION_CODE: [a["code"] for a in actions],
            C.AREA: [int(a["code"][1 : a["code"].index("H")]) for a in actions],
            C.TARGET_CODE: [a["code"][: a["code"].index("E")] for a in actions],
            "title": [a.get("title", f"action {a['code']}") for a in actions],
            "year_from": [a["from"] for a in actions],
            "year_to": [a["to"] for a in actions],
            "responsible_unit": [a.get("unit", "") for a in actions],
        }
    )
    return frame.astype(
        {"title": "str", "responsible_unit": "str", C.ACTION_CODE: "str", C.TARGET_CODE: "str"}
    )


def row(table: pd.DataFrame, **where) -> pd.Series:
    """The single row of ``table`` matching ``column=value`` pairs (fails the test otherwise)."""
    mask = np.ones(len(table), dtype=bool)
    for column, value in where.items():
        mask &= (table[column] == value).to_numpy()
    hits = table[mask]
    assert len(hits) == 1, f"expected one row for {where}, found {len(hits)}"
    return hits.iloc[0]


def money(table: pd.DataFrame, prefix: str, **where) -> list[int]:
    """``[initial, revised, expenditure]`` of the ``<prefix>_<phase>`` columns of the matching row."""
    found = row(table, **where)
    return [int(found[f"{prefix}_{p}"]) for p in PHASES]
