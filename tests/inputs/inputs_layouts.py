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


# -- TÜİK ADNKS population tables ---------------------------------------------------------------------------
FIVE_YEAR = [(a, a + 4) for a in range(0, 90, 5)] + [(90, None)]
SINGLE_YEAR = [(a, a) for a in range(90)] + [(90, None)]


def tuik_label(lo: int, hi: int | None) -> str:
    if hi is None:
        return f"{lo}+"
    return str(lo) if lo == hi else f"{lo}-{hi}"


def split_population(population: pd.DataFrame, scheme: list[tuple[int, int | None]]) -> pd.DataFrame:
    """The demo's counts (bands 0-4 … 65+) split over finer TÜİK bands, equal shares, largest remainder."""
    from gcdb.money import largest_remainder

    bands = C.DEFAULT_AGE_BANDS
    out = []
    for i, label in enumerate(bands.labels):
        lo = bands.edges[i]
        hi = bands.edges[i + 1] - 1 if i + 1 < len(bands.edges) else None
        subs = [(a, b) for a, b in scheme if a >= lo and (hi is None or (b is not None and b <= hi))]
        cells = population[population[C.AGE_BAND] == label].reset_index(drop=True)
        group = np.repeat(np.arange(len(cells)), len(subs))
        weights = np.full(len(group), 1 / len(subs))
        parts = largest_remainder(cells[C.POPULATION].to_numpy(dtype=np.int64), group, weights)
        fine = cells.loc[group].reset_index(drop=True)
        fine["tuik_band"] = [tuik_label(a, b) for a, b in subs] * len(cells)
        fine[C.POPULATION] = parts
        out.append(fine)
    return pd.concat(out, ignore_index=True)


def write_tuik_wide(population: pd.DataFrame, path: Path, scheme, *, neighbourhoods: bool = True) -> dict:
    """A TÜİK bulletin table: district (and mahalle) × age band rows, Toplam | Erkek | Kadın columns."""
    fine = split_population(population, scheme)
    order = {tuik_label(a, b): i for i, (a, b) in enumerate(scheme)}
    fine["_o"] = fine["tuik_band"].map(order)
    keys = [C.DISTRICT] + ([C.NEIGHBOURHOOD] if neighbourhoods else [])
    wide = fine.pivot_table(
        index=keys + ["_o", "tuik_band"], columns=C.SEX, values=C.POPULATION, aggfunc="sum"
    )
    wide = wide.reset_index().sort_values(keys + ["_o"], kind="stable")
    rows: list[list] = [
        ["Adrese Dayalı Nüfus Kayıt Sistemi Sonuçları, 2024"],
        ["İlçe, mahalle, cinsiyet ve yaş grubuna göre nüfus"],
        [],
        ["İlçe"] + (["Mahalle"] if neighbourhoods else []) + ["Yaş grubu", "Toplam", "Erkek", "Kadın"],
    ]
    skipped = {"title": 2, "blank": 1, "total": 0, "note": 0}
    for key, block in wide.groupby(keys, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        district = "Gazi Osmanpaşa" if key[0] == "Gaziosmanpaşa" else key[0]
        place = [district] + ([f"{key[1]} Mah."] if neighbourhoods else [])
        first = True
        for rec in block.to_dict("records"):
            m, f = int(rec[C.MALE]), int(rec[C.FEMALE])
            rows.append((place if first else [None] * len(place)) + [rec["tuik_band"], m + f, m, f])
            first = False
        m, f = int(block[C.MALE].sum()), int(block[C.FEMALE].sum())
        rows.append([None] * len(place) + ["Toplam", m + f, m, f])
        skipped["total"] += 1
    rows.append(["Kaynak: TÜİK, Adrese Dayalı Nüfus Kayıt Sistemi"])
    skipped["note"] += 1
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("ADNKS")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return {"skipped": skipped}


def write_tuik_long(population: pd.DataFrame, path: Path, scheme, *, year: int) -> dict:
    """The data portal's long CSV by district: ';', a BOM, ISO-8859-9 text that went through Latin-1."""
    fine = split_population(population, scheme)
    cells = fine.groupby([C.DISTRICT, C.SEX, "tuik_band"], sort=False)[C.POPULATION].sum().reset_index()
    sex = {C.MALE: "Erkek", C.FEMALE: "Kadın"}
    lines = ["İkamet edilen yer;Cinsiyet;Yaş grubu;Zaman;Gözlem"]
    for rec in cells.to_dict("records"):
        lines.append(
            f"İstanbul-{rec[C.DISTRICT]};{sex[rec[C.SEX]]};{rec['tuik_band']};{year};{rec[C.POPULATION]}"
        )
    totals = cells.groupby([C.DISTRICT, "tuik_band"], sort=False)[C.POPULATION].sum().reset_index()
    for rec in totals.head(25).to_dict("records"):
        lines.append(f"İstanbul-{rec[C.DISTRICT]};Toplam;{rec['tuik_band']};{year};{rec[C.POPULATION]}")
    garbled = "\n".join(lines).encode("iso-8859-9").decode("latin-1")
    path.write_bytes(b"\xef\xbb\xbf" + garbled.encode("utf-8"))
    return {"skipped": {"total": 25}}
