"""Who returned what: one row per file read, and one row per expected unit × year with its return status.

A unit's return is ``complete`` when every action row of its form is validly filled in, ``incomplete`` when some
rows are blank, deleted or have errors, ``not_returned`` when no usable copy came (a copy of another year does not
count), ``refused`` when its only copies were refused (another plan version, a damaged key).
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from gcdb import columns as C
from gcdb.catalogue import schema as S
from gcdb.forms import FILLED, SHEET, FormRead
from gcdb.monitor import form as F
from gcdb.monitor import names as N
from gcdb.monitor.templates import unit_actions
from gcdb.read.result import ISSUE_CODES

#: Columns of :attr:`Collection.returns` (one row per file read).
RETURN_COLUMNS: Final = (
    N.SOURCE_FILE,
    N.UNIT_ID,
    C.FISCAL_YEAR,
    "used",
    "refused",
    "action_rows",
    "actions_filled",
    "indicator_rows",
    "indicators_filled",
    "quarantined",
    "errors",
    "warnings",
)
#: Columns of :attr:`Collection.units` (one row per expected unit × year).
UNIT_COLUMNS: Final = (
    C.FISCAL_YEAR,
    N.UNIT_ID,
    C.UNIT_NAME,
    N.RETURN_STATUS,
    N.SOURCE_FILE,
    N.ROWS_EXPECTED,
    N.ROWS_REPORTED,
    N.ROWS_QUARANTINED,
    N.ROWS_MISSING,
    N.COMPLETENESS,
    "indicators_expected",
    "indicators_reported",
    "other_files",
)


def returns_table(reads: list[FormRead], chosen: set[int], issues: pd.DataFrame) -> pd.DataFrame:
    by_file = issues.groupby([C.ISSUE_FILE, C.ISSUE_SEVERITY]).size().unstack(fill_value=0)
    rows = []
    for r in reads:
        recon = r.reconciliation.set_index(SHEET) if len(r.reconciliation) else None

        def count(sheet, col, recon=recon):
            return int(recon[col].loc[sheet]) if recon is not None and sheet in recon.index else 0

        rows.append(
            {
                N.SOURCE_FILE: r.source,
                N.UNIT_ID: r.identity.get(F.UNIT),
                C.FISCAL_YEAR: r.identity.get(F.YEAR),
                "used": id(r) in chosen,
                "refused": r.refused,
                "action_rows": count(F.ACTIONS_SHEET, "form_rows"),
                "actions_filled": count(F.ACTIONS_SHEET, FILLED),
                "indicator_rows": count(F.INDICATORS_SHEET, "form_rows"),
                "indicators_filled": count(F.INDICATORS_SHEET, FILLED),
                "quarantined": count(F.ACTIONS_SHEET, "quarantined")
                + count(F.INDICATORS_SHEET, "quarantined"),
                "errors": int(by_file[C.ERROR].loc[r.source])
                if r.source in by_file.index and C.ERROR in by_file
                else 0,
                "warnings": int(by_file[C.WARNING].loc[r.source])
                if r.source in by_file.index and C.WARNING in by_file
                else 0,
            }
        )
    frame = pd.DataFrame(rows, columns=list(RETURN_COLUMNS))
    frame[C.FISCAL_YEAR] = pd.to_numeric(frame[C.FISCAL_YEAR], errors="coerce").astype("Int64")
    return frame.astype({N.SOURCE_FILE: "str", N.UNIT_ID: "str", "used": "bool", "refused": "bool"})


def units_table(
    catalogue, expected: dict[int, list[str]], reads: list[FormRead], chosen: dict[tuple[str, int], FormRead]
) -> pd.DataFrame:
    names = catalogue.units.set_index(S.UNIT_ID)[S.NAME]
    collected = {str(y) for y in expected}
    rows = []
    for year, units in expected.items():
        links = unit_actions(catalogue, year)
        for unit in units:
            expected_rows = int((links[N.UNIT_ID] == unit).sum())
            r = chosen.get((unit, year))
            others = [  # the unit's other files of this year, or of a year not collected (a wrong year)
                x.source
                for x in reads
                if x.identity.get(F.UNIT) == unit
                and x is not r
                and (x.identity.get(F.YEAR) == str(year) or x.identity.get(F.YEAR) not in collected)
            ]
            refused_same = [
                x
                for x in reads
                if x.refused and x.identity.get(F.UNIT) == unit and x.identity.get(F.YEAR) == str(year)
            ]
            if r is None:
                status = N.REFUSED if refused_same else N.NOT_RETURNED
                rows.append(
                    {
                        C.FISCAL_YEAR: year,
                        N.UNIT_ID: unit,
                        C.UNIT_NAME: names.get(unit),
                        N.RETURN_STATUS: status,
                        N.SOURCE_FILE: None,
                        N.ROWS_EXPECTED: expected_rows,
                        N.ROWS_REPORTED: 0,
                        N.ROWS_QUARANTINED: 0,
                        N.ROWS_MISSING: expected_rows,
                        N.COMPLETENESS: 0.0,
                        "indicators_expected": 0,
                        "indicators_reported": 0,
                        "other_files": "; ".join(others),
                    }
                )
                continue
            recon = r.reconciliation.set_index(SHEET)
            reported = filled_rows(r, F.ACTIONS_SHEET)
            quarantined = int(recon["quarantined"].loc[F.ACTIONS_SHEET])
            codes = r.quarantine[F.ACTIONS_SHEET][ISSUE_CODES]
            of_form = int((~codes.str.contains("unexpected_row|duplicate_row", regex=True)).sum())
            missing = expected_rows - reported - of_form
            rows.append(
                {
                    C.FISCAL_YEAR: year,
                    N.UNIT_ID: unit,
                    C.UNIT_NAME: names.get(unit),
                    N.RETURN_STATUS: N.RECEIVED if reported == expected_rows else N.INCOMPLETE,
                    N.SOURCE_FILE: r.source,
                    N.ROWS_EXPECTED: expected_rows,
                    N.ROWS_REPORTED: reported,
                    N.ROWS_QUARANTINED: quarantined,
                    N.ROWS_MISSING: max(missing, 0),
                    N.COMPLETENESS: round(reported / expected_rows, 4) if expected_rows else 1.0,
                    "indicators_expected": int(recon["form_rows"].loc[F.INDICATORS_SHEET]),
                    "indicators_reported": filled_rows(r, F.INDICATORS_SHEET),
                    "other_files": "; ".join(others),
                }
            )
    frame = pd.DataFrame(rows, columns=list(UNIT_COLUMNS))
    return frame.astype(
        {
            C.FISCAL_YEAR: "int64",
            N.UNIT_ID: "str",
            C.UNIT_NAME: "str",
            N.RETURN_STATUS: "str",
            N.SOURCE_FILE: "str",
            N.ROWS_EXPECTED: "int64",
            N.ROWS_REPORTED: "int64",
            N.ROWS_QUARANTINED: "int64",
            N.ROWS_MISSING: "int64",
            N.COMPLETENESS: "float64",
            "indicators_expected": "int64",
            "indicators_reported": "int64",
            "other_files": "str",
        }
    )


def filled_rows(read: FormRead, sheet: str) -> int:
    """Valid rows of ``sheet`` with something filled in."""
    data = read.data.get(sheet)
    return int(data[FILLED].sum()) if data is not None and len(data) else 0
