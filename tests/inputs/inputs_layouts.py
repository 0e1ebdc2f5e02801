"""Writers of the published layouts, used to make round-trip files from the demo data.

An Ödenek Cetveli / Ayrıntılı Harcama Programı / execution report as a finance department prints it (title rows,
a two-row header with the level numerals, codes written only where they change, heading and subtotal rows for each
code level, the header again on every page, GENEL TOPLAM), and a TÜİK ADNKS population table (wide sex columns,
five-year or single-year age bands, title and source rows). Written independently of the readers: plain loops over
the lines, amounts from integer kuruş.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from gcdb import columns as C

TITLE = ["İSTANBUL BÜYÜKŞEHİR BELEDİYESİ", "2024 MALİ YILI BÜTÇESİ", "(A) CETVELİ"]
CODE_HEADER = (
    ["KURUMSAL SINIFLANDIRMA", None, None, None]
    + ["FONKSİYONEL SINIFLANDIRMA", None, None, None]
    + ["FİN. TİPİ"]
    + ["EKONOMİK SINIFLANDIRMA", None, None, None]
    + ["AÇIKLAMA"]
)
LEVELS = ["I", "II", "III", "IV"] * 2 + [None] + ["I", "II", "III", "IV"] + [None]
NCODE = 13  # code cells per row


def split(code: str) -> list[str]:
    return code.split(".")


def tr_amount(kurus: int) -> str:
    lira, rest = divmod(abs(int(kurus)), 100)
    text = f"{lira:,}".replace(",", ".") + f",{rest:02d}"
    return ("-" if kurus < 0 else "") + text


def _line_codes(rec) -> list[str]:
    return (
        split(rec[C.INSTITUTIONAL_CODE])
        + split(rec[C.FUNCTIONAL_CODE])
        + [rec[C.FINANCING_TYPE]]
        + split(rec[C.ECONOMIC_CODE])
    )


#: Levels that get a heading/subtotal row: (first code cell written, last code cell written).
#: Department (institutional I–IV), function I, II, III–IV, financing type, economic I, II, III.
HEADINGS = ((0, 3), (4, 4), (5, 5), (6, 7), (8, 8), (9, 9), (10, 10), (11, 11))


def published_rows(
    budget: pd.DataFrame, amount_columns: list[tuple[str, list[str]]], *, subtotals: bool = True
):
    """Body rows of a published budget: ``amount_columns`` = [(header, [canonical amount columns summed])].

    Returns (rows, kinds): each row a list (13 code cells, description, amounts in kuruş) and its kind
    (``data``/``subtotal``).
    """
    lines = budget.sort_values(
        [C.INSTITUTIONAL_CODE, C.FUNCTIONAL_CODE, C.FINANCING_TYPE, C.ECONOMIC_CODE, C.LINE_ID], kind="stable"
    ).reset_index(drop=True)
    codes = [_line_codes(r) for r in lines.to_dict("records")]
    values = np.column_stack(
        [
            lines[cols].astype("Int64").sum(axis=1, min_count=1).to_numpy(dtype=object, na_value=None)
            for _, cols in amount_columns
        ]
    )
    rows, kinds = [], []
    prev: list[str] | None = None
    for i, code in enumerate(codes):
        changed = 0 if prev is None else next((k for k in range(NCODE) if code[k] != prev[k]), NCODE)
        if subtotals:
            for first, last in HEADINGS:
                if last < changed:
                    continue
                # the block this heading totals: following lines sharing the code up to ``last``
                j = i
                while j < len(codes) and codes[j][: last + 1] == code[: last + 1]:
                    j += 1
                cells = [None] * NCODE
                cells[first : last + 1] = code[first : last + 1]
                name = lines.at[i, C.UNIT_NAME] if first == 0 else f"DÜZEY {'.'.join(code[: last + 1])}"
                rows.append(
                    cells + [name] + [int(sum(v for v in col if v is not None)) for col in values[i:j].T]
                )
                kinds.append("subtotal")
            cells = [None] * NCODE
            cells[12] = code[12]
        else:
            cells = [c if prev is None or k >= changed else None for k, c in enumerate(code)]
            cells[12] = code[12]
        rows.append(cells + [lines.at[i, C.DESCRIPTION]] + list(values[i]))
        kinds.append("data")
        prev = code
    return rows, kinds, [int(sum(v for v in col if v is not None)) for col in values.T]


def write_published(
    budget: pd.DataFrame,
    path: Path,
    amount_columns: list[tuple[str, list[str]]],
    *,
    group_row: list[str | None] | None = None,
    page_rows: int = 60,
    subtotals: bool = True,
    csv_amounts: bool = True,
) -> dict:
    """Write a published-layout budget to ``path`` (.xlsx or .csv). Returns counts of what was written."""
    body, kinds, grand = published_rows(budget, amount_columns, subtotals=subtotals)
    top = CODE_HEADER + (group_row or [h for h, _ in amount_columns])
    levels = LEVELS + ([h for h, _ in amount_columns] if group_row else [None] * len(amount_columns))
    out: list[list] = [[t] for t in TITLE] + [[]]
    skipped = {"title": len(TITLE), "blank": 1, "page_header": 0, "subtotal": 0, "total": 0, "note": 0}
    out += [top, levels]
    for n, (row, kind) in enumerate(zip(body, kinds, strict=True)):
        if n and n % page_rows == 0:
            out += [[], [TITLE[0]], top, levels]
            skipped["blank"] += 1
            skipped["title"] += 1
            skipped["page_header"] += 2
        out.append(row)
        if kind == "subtotal":
            skipped["subtotal"] += 1
    out.append([None] * NCODE + ["GENEL TOPLAM"] + grand)
    out.append(["Not: tutarlar Türk lirasıdır."])
    skipped["total"] += 1
    skipped["note"] += 1
    width = len(top)

    if path.suffix == ".xlsx":
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("Cetvel")
        for r, row in enumerate(out):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if c > NCODE and isinstance(value, int | np.integer) and r >= len(TITLE) + 3:
                    sheet.write_number(r, c, int(value) / 100)
                else:
                    sheet.write(r, c, value if not isinstance(value, np.integer) else int(value))
        book.close()
    else:
        with path.open("w", encoding="cp1254", newline="") as fh:
            writer = csv.writer(fh, delimiter=";")
            for row in out:
                cells = [
                    tr_amount(v)
                    if c > NCODE and isinstance(v, int | np.integer)
                    else ("" if v is None else v)
                    for c, v in enumerate(row)
                ]
                writer.writerow(cells + [""] * (width - len(cells)))
    return {"lines": kinds.count("data"), "skipped": skipped, "grand": grand}
