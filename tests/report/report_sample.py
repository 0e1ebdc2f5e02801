"""Sample frames and a sample workbook for the report-layer tests (and for rendering it to look at).

Run ``python tests/report/report_sample.py out.xlsx [tr|en]`` to write the sample workbook.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

if __name__ == "__main__":  # allow running as a script from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from gcdb import columns as C
from gcdb.report import (
    Check,
    ColumnSpec,
    RatioOf,
    ReportWorkbook,
    execution_chart,
    place_chart,
    ranking_chart,
    rate_chart,
    share_chart,
    t,
    write_group_totals,
    write_kv,
    write_table,
)

EXECUTION_RATE = "execution_rate"
USERS = "users"
RATE = "rate_per_1000"
RATE_RATIO = "rate_ratio"
FLAG = "flag"


def actions_frame() -> pd.DataFrame:
    """Eight plan actions with money in kuruş; descriptions include formula-like text."""
    return pd.DataFrame(
        {
            C.ACTION_CODE: [
                "A1H4E3",
                "A7H1E2",
                "A7H1E5",
                "A7H2E1",
                "A9H1E1",
                "A9H3E2",
                "A12H1E4",
                "A15H3E20",
            ],
            C.AREA: np.array([1, 7, 7, 7, 9, 9, 12, 15], dtype="int64"),
            C.DESCRIPTION: [
                "TCDB raporunun hazırlanması",
                '=HYPERLINK("http://x","y")',
                "Kadın dayanışma evleri iaşe giderleri",
                "+90 212 danışma hattı",
                "-5 yaş altı çocuklar için kreş",
                "@SUM(A1)",
                "\tSekmeyle başlayan açıklama",
                "Şiddete uğrayan kadınlara hukuki destek ve danışmanlık hizmetinin yaygınlaştırılması",
            ],
            C.UNIT_NAME: [
                "Strateji Geliştirme DB",
                "Kadın ve Aile Hizmetleri DB",
                "Kadın ve Aile Hizmetleri DB",
                "Kadın ve Aile Hizmetleri DB",
                "Sosyal Hizmetler DB",
                "Sosyal Hizmetler DB",
                "Sağlık DB",
                "Hukuk Müşavirliği",
            ],
            C.INITIAL_APPROPRIATION: np.array(
                [
                    50_000_00,
                    1_250_000_00,
                    3_400_500_25,
                    880_000_00,
                    12_500_000_00,
                    0,
                    640_250_50,
                    2_000_000_00,
                ],
                dtype="int64",
            ),
            C.REVISED_APPROPRIATION: np.array(
                [
                    45_000_00,
                    1_300_000_00,
                    3_600_000_00,
                    900_000_00,
                    13_100_000_99,
                    150_000_00,
                    640_250_50,
                    1_800_000_00,
                ],
                dtype="int64",
            ),
            C.EXPENDITURE: np.array(
                [
                    12_345_67,
                    1_210_000_01,
                    3_599_999_99,
                    450_000_00,
                    11_000_000_00,
                    0,
                    123_456_78,
                    1_900_000_00,
                ],
                dtype="int64",
            ),
        }
    ).assign(
        **{
            EXECUTION_RATE: lambda f: (
                f[C.EXPENDITURE] / f[C.REVISED_APPROPRIATION].replace(0, np.nan)
            ).astype("float64")
        }
    )


ACTION_COLUMNS = [
    ColumnSpec(C.ACTION_CODE, "code"),
    ColumnSpec(C.AREA, "count"),
    ColumnSpec(C.DESCRIPTION, "text"),
    ColumnSpec(C.UNIT_NAME, "text"),
    ColumnSpec(C.INITIAL_APPROPRIATION, "money"),
    ColumnSpec(C.REVISED_APPROPRIATION, "money"),
    ColumnSpec(C.EXPENDITURE, "money"),
    ColumnSpec(EXECUTION_RATE, "percent"),
]


def districts_frame() -> pd.DataFrame:
    """Women's use of a service by district, sorted by rate; two small counts to suppress."""
    frame = pd.DataFrame(
        {
            C.DISTRICT: [
                "Adalar",
                "Bağcılar",
                "Beylikdüzü",
                "Esenyurt",
                "Kadıköy",
                "Pendik",
                "Sarıyer",
                "Üsküdar",
            ],
            USERS: np.array([3, 812, 640, 1_905, 1_210, 702, 2, 988], dtype="int64"),
            C.POPULATION: np.array(
                [8_200, 370_500, 172_000, 490_100, 251_300, 363_000, 167_400, 270_800], dtype="int64"
            ),
        }
    )
    overall = frame[USERS].sum() / frame[C.POPULATION].sum()
    rate = frame[USERS] / frame[C.POPULATION]
    frame[RATE] = rate * 1000
    frame[RATE_RATIO] = rate / overall
    frame[FLAG] = np.where(frame[RATE_RATIO] < 0.8, "under", np.where(frame[RATE_RATIO] > 1.25, "over", None))
    frame[FLAG] = frame[FLAG].astype("str")
    frame = frame.sort_values(RATE, ascending=False, kind="stable").reset_index(drop=True)
    return frame


DISTRICT_COLUMNS = [
    ColumnSpec(C.DISTRICT, "text"),
    ColumnSpec(USERS, "count"),
    ColumnSpec(C.POPULATION, "count"),
    ColumnSpec(RATE, "rate"),
    ColumnSpec(RATE_RATIO, "ratio"),
    ColumnSpec(FLAG, "flag"),
]


def district_suppression(frame: pd.DataFrame, k: int = 5) -> pd.DataFrame:
    small = (frame[USERS] > 0) & (frame[USERS] < k)
    # the rate and ratio of a hidden count are hidden too
    return pd.DataFrame({USERS: small, RATE: small, RATE_RATIO: small, FLAG: small})


def overall_rate(frame: pd.DataFrame) -> float:
    return float(frame[USERS].sum() / frame[C.POPULATION].sum() * 1000)


def build_sample(path, lang: str = "tr", created=None) -> dict:
    """Write the sample workbook; return the TableRefs by sheet key."""
    actions = actions_frame()
    districts = districts_frame()
    refs = {}
    with ReportWorkbook(
        path, lang=lang, title=t("title.tcdb", lang), subject=t("subject.tcdb", lang), created=created
    ) as book:
        summary = book.add_sheet(t("sheet.summary", lang))
        refs["actions"] = book.add_table_sheet(
            t("sheet.actions", lang),
            actions,
            ACTION_COLUMNS,
            title=t("sheet.actions", lang),
            notes=[t("note.money", lang), t("note.totals", lang)],
            total_row={
                C.INITIAL_APPROPRIATION: "sum",
                C.REVISED_APPROPRIATION: "sum",
                C.EXPENDITURE: "sum",
                EXECUTION_RATE: RatioOf(C.EXPENDITURE, C.REVISED_APPROPRIATION),
            },
            freeze_columns=1,
        )
        acts = refs["actions"]
        # summary: key figures, a check, sub-totals by area and a share chart
        kv = write_kv(
            summary,
            [
                (
                    t("total", lang) + " – " + C.label(C.REVISED_APPROPRIATION, lang),
                    acts.total(C.REVISED_APPROPRIATION),
                    "money",
                ),
                (t("total", lang) + " – " + C.label(C.EXPENDITURE, lang), acts.total(C.EXPENDITURE), "money"),
                (t("column.execution_rate", lang), acts.total(EXECUTION_RATE), "percent"),
                (C.label(C.FISCAL_YEAR, lang), 2024, "year"),
            ],
            title=t("title.tcdb", lang),
            notes=[t("note.money", lang)],
        )
        by_area = write_group_totals(
            summary,
            acts,
            C.AREA,
            [C.INITIAL_APPROPRIATION, C.REVISED_APPROPRIATION, C.EXPENDITURE],
            top=kv.last_row + 2,
            lang=lang,
            title=t("sheet.areas", lang),
            sort=True,
        )
        refs["by_area"] = by_area
        write_kv(
            summary,
            [
                (
                    t("sheet.checks", lang),
                    Check(acts.total(C.REVISED_APPROPRIATION), by_area.total(C.REVISED_APPROPRIATION)),
                )
            ],
            top=by_area.total_row + 2,
            lang=lang,
        )
        place_chart(
            summary,
            share_chart(
                book,
                by_area,
                category=C.AREA,
                values=[C.INITIAL_APPROPRIATION, C.REVISED_APPROPRIATION, C.EXPENDITURE],
                lang=lang,
                category_title=C.label(C.AREA, lang),
                width=620,
                height=300,
            ),
            by_area.total_row + 5,
            0,
        )
        # districts: suppression, flags, a rate chart with the overall rate as reference, a ranking
        ws = book.add_sheet(t("sheet.districts", lang))
        refs["districts"] = write_table(
            ws,
            districts,
            DISTRICT_COLUMNS,
            lang=lang,
            title=t("sheet.districts", lang),
            notes=[t("note.suppressed", lang, k=5), t("note.flags", lang)],
            suppressed_mask=district_suppression(districts),
            flags={RATE_RATIO: districts[FLAG].where(districts[FLAG].isin(["under", "over"]))},
            total_row={USERS: "sum", C.POPULATION: "sum", RATE: RatioOf(USERS, C.POPULATION, 1000)},
        )
        dref = refs["districts"]
        place_chart(
            ws,
            rate_chart(
                book,
                dref,
                category=C.DISTRICT,
                value=RATE_RATIO,
                reference=1.0,
                lang=lang,
                title=C.label(C.DISTRICT, lang) + " – " + t("column.rate_ratio", lang),
                reference_label=t("chart.reference", lang),
                width=560,
            ),
            dref.total_row + 2,
            0,
        )
        place_chart(
            ws,
            ranking_chart(
                book,
                dref,
                category=C.DISTRICT,
                value=C.POPULATION,
                lang=lang,
                value_title=C.label(C.POPULATION, lang),
                width=560,
            ),
            dref.total_row + 2,
            6,
        )
        # departments: execution rate chart
        units = (
            actions.groupby(C.UNIT_NAME, observed=True, sort=True)[[C.REVISED_APPROPRIATION, C.EXPENDITURE]]
            .sum()
            .reset_index()
        )
        units[EXECUTION_RATE] = units[C.EXPENDITURE] / units[C.REVISED_APPROPRIATION]
        units = units.sort_values(EXECUTION_RATE, ascending=False, kind="stable").reset_index(drop=True)
        refs["units"] = book.add_table_sheet(
            t("sheet.departments", lang),
            units,
            [
                ColumnSpec(C.UNIT_NAME, "text"),
                ColumnSpec(C.REVISED_APPROPRIATION, "money"),
                ColumnSpec(C.EXPENDITURE, "money"),
                ColumnSpec(EXECUTION_RATE, "percent"),
            ],
            title=t("chart.execution_by_department", lang),
            total_row={
                C.REVISED_APPROPRIATION: "sum",
                C.EXPENDITURE: "sum",
                EXECUTION_RATE: RatioOf(C.EXPENDITURE, C.REVISED_APPROPRIATION),
            },
        )
        uref = refs["units"]
        units_ws = book.workbook.get_worksheet_by_name(uref.sheet)
        place_chart(
            units_ws,
            execution_chart(book, uref, category=C.UNIT_NAME, value=EXECUTION_RATE, lang=lang),
            uref.total_row + 2,
            0,
        )
        method = book.add_sheet(t("sheet.methodology", lang))
        write_kv(
            method,
            [
                (C.label(C.SCHEME, lang), "EU CPR 2021/1060 Annex I / EIGE"),
                ("k", 5, "count"),
                ("z", 1.96, "ratio"),
                (t("column.rate_ratio", lang), "0,8 / 1,25"),
            ],
            title=t("sheet.methodology", lang),
            lang=lang,
        )
    return refs


if __name__ == "__main__":
    build_sample(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "tr")
