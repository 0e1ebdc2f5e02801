"""The Hizmette Eşitlik report's account of itself: methodology (run, parameters, reference groups, comparisons,
definitions with their methods.md sections, hidden cells, input checksums) and data quality."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.i18n import format_int, optional, t
from gcdb.report.i18n import column_labels, format_number, input_role, issue_messages, issue_values
from gcdb.report.model import Column, Heading, KeyValues, Place, Print, Section, Table
from gcdb.report.services_common import Context, display, hidden_counts, table
from gcdb.report.workbook import run_date_text, sanitize_sheet_name
from gcdb.services import names as S
from gcdb.services.quality import quality_tables

#: Most rows of one quarantine table in the workbook.
QUARANTINE_ROWS = 5000
#: Most rows of the issues table in the workbook.
ISSUE_ROWS = 20000
#: The measures defined on the methodology sheet (``services.def.<slug>.name/.text``) and their methods.md section.
DEFINITIONS = (
    ("users", "docs/methods.md §2"),
    ("rate", "docs/methods.md §2"),
    ("rate_ratio", "docs/methods.md §2"),
    ("rate_difference", "docs/methods.md §2"),
    ("representation_index", "docs/methods.md §2"),
    ("four_fifths", "docs/methods.md §2"),
    ("eligible", "docs/methods.md §3c"),
    ("under_served", "docs/methods.md §2, §3c"),
    ("standardisation", "docs/methods.md §3b"),
    ("rest", "docs/methods.md §2"),
    ("heat", "docs/methods.md §3"),
    ("disclosure", "docs/methods.md §4"),
    ("incidence", "docs/methods.md §5"),
)
#: HEAT measures defined on the methodology sheet (``services.heat_def.<measure>``), in order.
HEAT_MEASURES = (
    "D", "R", "BGV", "BGSD", "COV", "MDMW", "MDMU", "MDBW", "MDBU", "MDRW", "MDRU", "IDISU", "IDISW",
    "TI", "TI_x1000", "MLD", "MLD_x1000", "PAR", "PAF", "SII", "RII", "D_ref", "R_ref", "SII_HEAT", "RII_HEAT",
    "ACI", "RCI",
)  # fmt: skip


def _normal_cdf(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def _hidden_frame(sections: Sequence[Section]) -> pd.DataFrame:
    """Hidden cells per sheet written so far (sheets with none left out)."""
    rows = []
    for section in sections:
        primary = secondary = 0
        for block in section.blocks:
            if isinstance(block, Table) and block.hidden:
                p, s = hidden_counts(block)
                primary, secondary = primary + p, secondary + s
        if primary + secondary:
            name = sanitize_sheet_name(section.name)
            rows.append(
                {
                    "table": name,
                    "cells": np.nan,
                    "hidden": primary + secondary,
                    "primary": primary,
                    "secondary": secondary,
                }
            )
    return pd.DataFrame(rows, columns=["table", "cells", "hidden", "primary", "secondary"])


def methodology(
    ctx: Context, inputs: pd.DataFrame, created: datetime, sections: Sequence[Section]
) -> Section:
    a, lang = ctx.analysis, ctx.lang
    from gcdb import __version__

    level = 2 * _normal_cdf(a.z) - 1
    pairs: list[tuple] = [
        (
            ctx.t("services.method.run_date"),
            run_date_text(created, created.strftime("%Y-%m-%d %H:%M UTC"), lang),
            "text",
        ),
        (ctx.t("services.method.version"), __version__, "text"),
        (ctx.t("services.kv.years"), ", ".join(map(str, a.years)), "text"),
        (ctx.t("services.method.k"), a.k, "count"),
        (ctx.t("services.method.z", level=format_number(level, 1, lang, percent=True)), a.z, "number"),
    ]
    linked = getattr(a, "disclosure_audit", None)
    if linked is not None:  # every published table protected at once (gcdb.disclosure)
        pairs += [
            (
                ctx.t("services.method.suppression"),
                ctx.t("services.method.suppression_linked", k=a.k),
                "text",
            ),
            (ctx.t("services.method.recovered"), int(linked.n_recovered), "count"),
        ]
    else:
        pairs += [
            (ctx.t("services.method.suppression"), ctx.t("services.method.suppression_rule", k=a.k), "text"),
            (
                ctx.t("services.method.audit"),
                ctx.t("services.method.yes" if a.audit else "services.method.no"),
                "text",
            ),
        ]
    for year, used in a.population_years.items():
        if used is not None:
            pairs.append((ctx.t("services.method.population_year", year=year), int(used), "year"))
    section = Section("methodology", t("sheet.methodology", lang))
    section.add(KeyValues(pairs, title=ctx.t("services.method.title")))
    refs = pd.DataFrame(
        {
            N.DIMENSION: [C.label(d, lang) for d in a.reference],
            N.REFERENCE_GROUP: [
                ctx.t("services.method.rest") if g == N.REST else N.label(g, lang)
                for g in a.reference.values()
            ],
        }
    ).astype("str")
    section.add(
        Table(
            "references",
            refs,
            [
                Column(N.DIMENSION, "text", N.label(N.DIMENSION, lang)),
                Column(N.REFERENCE_GROUP, "text", N.label(N.REFERENCE_GROUP, lang)),
            ],
            title=ctx.t("services.method.references"),
            autofilter=False,
            freeze=False,
        )
    )
    comparisons = pd.DataFrame(
        {
            "comparison": [
                C.label(e[0], lang)
                + (" | " + " × ".join(C.label(d, lang) for d in e[1:]) if len(e) > 1 else "")
                for e in a.entries
            ]
        }
    ).astype("str")
    section.add(
        Table(
            "comparisons",
            comparisons,
            [Column("comparison", "text", ctx.t("services.column.comparison"))],
            title=ctx.t("services.method.comparisons"),
            notes=[ctx.t("services.method.comparisons_note")],
            place=Place(gap=2),
            autofilter=False,
            freeze=False,
        )
    )
    definitions = pd.DataFrame(
        {
            "measure": [t(f"services.def.{slug}.name", lang) for slug, _ in DEFINITIONS],
            "reference": [source for _, source in DEFINITIONS],
            "definition": [t(f"services.def.{slug}.text", lang) for slug, _ in DEFINITIONS],
        }
    ).astype("str")
    heat = pd.DataFrame(
        {
            "measure": list(HEAT_MEASURES),
            "reference": "docs/methods.md §3",
            "definition": [t(f"services.heat_def.{m}", lang) for m in HEAT_MEASURES],
        }
    ).astype("str")
    for frame, kind, key in (
        (definitions, "text", "services.method.definitions"),
        (heat, "code", "services.method.heat"),
    ):
        section.add(  # the definition last, so long texts run on into the empty cells to its right
            Table(
                key,
                frame,
                [
                    Column("measure", kind, ctx.t("services.column.measure")),
                    Column("reference", "text", ctx.t("services.column.reference")),
                    Column("definition", "text", ctx.t("services.column.definition")),
                ],
                title=ctx.t(key),
                place=Place(gap=2),
                autofilter=False,
                freeze=False,
            )
        )
    section.add(_hidden_table(ctx, sections))
    if inputs.empty:
        section.add(
            Heading(ctx.t("services.method.inputs"), [ctx.t("services.method.no_inputs")], place=Place(gap=2))
        )
    else:
        inputs = inputs.assign(role=inputs["role"].map(lambda role: input_role(role, lang)).astype("str"))
        section.add(
            Table(
                "inputs",
                inputs,
                [
                    Column("role", "text", ctx.t("services.column.role")),
                    Column("file", "text", ctx.t("services.column.file")),
                    Column("bytes", "count", ctx.t("services.column.bytes")),
                    Column("sha256", "code", ctx.t("services.column.sha256")),
                ],
                title=ctx.t("services.method.inputs"),
                place=Place(gap=2),
                autofilter=False,
                freeze=False,
            )
        )
    return section


def _hidden_table(ctx: Context, sections: Sequence[Section]) -> Table:
    a, lang = ctx.analysis, ctx.lang
    analysis_counts = a.suppression.rename(columns={S.TABLE: "table"}).copy()
    analysis_counts["table"] = (
        analysis_counts["table"].astype("str").map(lambda name: optional(f"table.{name}", name, lang))
        + " "
        + analysis_counts[S.FISCAL_YEAR].astype("str")
    )
    counts = pd.concat(
        [_hidden_frame(sections), analysis_counts[["table", S.CELLS, S.HIDDEN, S.PRIMARY, S.SECONDARY]]],
        ignore_index=True,
    )
    counts["table"] = counts["table"].astype("str")
    for col in (S.CELLS, S.HIDDEN, S.PRIMARY, S.SECONDARY):
        counts[col] = pd.to_numeric(counts[col]).astype("Float64")
    return Table(
        "hidden_cells",
        counts,
        [
            Column("table", "text", ctx.t("services.column.table")),
            Column(S.CELLS, "count", ctx.t("services.column.cells")),
            Column(S.HIDDEN, "count", ctx.t("services.column.hidden")),
            Column(S.PRIMARY, "count", ctx.t("services.column.primary")),
            Column(S.SECONDARY, "count", ctx.t("services.column.secondary")),
        ],
        title=ctx.t("services.method.hidden"),
        notes=[ctx.t("note.suppressed", k=a.k), ctx.t("services.note.secondary")],
        place=Place(gap=2),
        autofilter=False,
        freeze=False,
    )


def _ineligible_table(ctx: Context) -> Table:
    """Users outside their service's eligible population, per service, criterion and group (in no rate)."""
    a, lang = ctx.analysis, ctx.lang
    outside = a.ineligible.copy()
    codes, uniques = pd.factorize(outside[S.CRITERION].astype("str"), use_na_sentinel=False)
    shown = [optional(f"services.criterion.{u}", C.label(str(u), lang), lang) for u in uniques]
    outside["_criterion"] = pd.Series(np.asarray(shown, dtype=object)[codes], dtype="str")
    outside["_group"] = display(outside[N.GROUP], lang)
    kinds = np.where(outside[N.SUPPRESSED].to_numpy(dtype=bool), S.PRIMARY, "")
    return table(
        ctx,
        "ineligible",
        outside,
        [
            Column(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang)),
            Column(C.SERVICE_CODE, "code", C.label(C.SERVICE_CODE, lang)),
            Column("_criterion", "text", ctx.t("services.column.criterion")),
            Column("_group", "text", N.label(N.GROUP, lang)),
            Column(N.USERS, "count", N.label(N.USERS, lang)),
        ],
        hide={N.USERS: kinds},
        title=ctx.t("services.quality.ineligible"),
        freeze=False,
        gap=2,
    )


def quality(ctx: Context, read_results: Sequence[Any]) -> Section:
    a, lang = ctx.analysis, ctx.lang
    section = Section("quality", ctx.t("services.sheet.quality"), print=Print(freeze=(1, 0)))
    status = a.unknown_status.copy()
    status["_dimension"] = pd.Series(
        [C.label(d, lang) for d in status[N.DIMENSION].astype("str")], dtype="str"
    )
    kinds = np.where(status[N.SUPPRESSED].to_numpy(dtype=bool), S.PRIMARY, "")
    section.add(Heading(ctx.t("services.quality.title")))
    section.add(
        table(
            ctx,
            "unknown_status",
            status,
            [
                Column(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang)),
                Column(C.SERVICE_CODE, "code", C.label(C.SERVICE_CODE, lang)),
                Column("_dimension", "text", N.label(N.DIMENSION, lang)),
                Column(N.USERS, "count", N.label(N.USERS, lang)),
                Column(S.UNKNOWN_USERS, "count", ctx.t("services.column.unknown_users")),
                Column(S.UNKNOWN_SHARE, "percent", ctx.t("services.column.unknown_share")),
            ],
            hide={S.UNKNOWN_USERS: kinds, S.UNKNOWN_SHARE: kinds},
            title=ctx.t("services.quality.unknown"),
            freeze=False,
        )
    )
    if len(a.ineligible):
        section.add(_ineligible_table(ctx))
    issues, quarantine = quality_tables(read_results, limit=ISSUE_ROWS)
    total = int(issues.attrs.get("total", len(issues)))
    if issues.empty:
        section.add(
            Heading(
                ctx.t("services.quality.issues"), [ctx.t("services.quality.no_issues")], place=Place(gap=2)
            )
        )
    else:
        shown = issues.head(ISSUE_ROWS).copy()
        shown[C.ISSUE_SEVERITY] = shown[C.ISSUE_SEVERITY].astype("str")
        shown[S.KIND] = pd.Series(
            [optional(f"read.kind.{kind}", kind, lang) for kind in shown[S.KIND].astype("str")],
            index=shown.index,
            dtype="str",
        )
        shown[C.ISSUE_VALUE] = issue_values(shown[C.ISSUE_COLUMN], shown[C.ISSUE_VALUE], lang)
        shown[C.ISSUE_COLUMN] = column_labels(shown[C.ISSUE_COLUMN], lang)
        shown[C.ISSUE_MESSAGE] = issue_messages(shown[C.ISSUE_CODE], shown[C.ISSUE_MESSAGE], lang)
        notes = (
            [
                ctx.t(
                    "services.quality.truncated",
                    n=format_int(ISSUE_ROWS, lang),
                    total=format_int(total, lang),
                )
            ]
            if total > ISSUE_ROWS
            else []
        )
        section.add(
            Table(
                "issues",
                shown,
                [
                    Column(S.SOURCE, "text", ctx.t("services.column.source")),
                    Column(S.KIND, "text", ctx.t("services.column.kind")),
                    Column(C.ISSUE_ROW, "count", C.label(C.ISSUE_ROW, lang)),
                    Column(C.ISSUE_COLUMN, "text", C.label(C.ISSUE_COLUMN, lang)),
                    Column(C.ISSUE_CODE, "code", C.label(C.ISSUE_CODE, lang)),
                    Column(C.ISSUE_SEVERITY, "label", C.label(C.ISSUE_SEVERITY, lang)),
                    Column(C.ISSUE_MESSAGE, "text", C.label(C.ISSUE_MESSAGE, lang), width=90),
                    Column(C.ISSUE_VALUE, "text", C.label(C.ISSUE_VALUE, lang)),
                ],
                title=ctx.t("services.quality.issues"),
                notes=notes,
                freeze=False,
                place=Place(gap=2),
            )
        )
    for i, (source, frame) in enumerate(quarantine):
        shown = frame.head(QUARANTINE_ROWS)
        specs = []
        for col in shown.columns:
            if col == C.SOURCE_ROW:
                specs.append(Column(col, "count", ctx.t("services.column.source_row")))
            elif col == "issue_codes":
                specs.append(Column(col, "code", ctx.t("services.column.issue_codes")))
            else:
                specs.append(Column(col, "text", str(col)))
        shown = shown.astype({c: "str" for c in shown.columns if c != C.SOURCE_ROW})
        after_heading = isinstance(section.blocks[-1], Heading)
        section.add(
            Table(
                f"quarantine_{i}",
                shown,
                specs,
                title=ctx.t("services.quality.quarantine", source=source),
                notes=[ctx.t("services.quality.quarantine_note", n=QUARANTINE_ROWS)],
                place=Place(gap=1 if after_heading else 2),
                autofilter=False,
                freeze=False,
            )
        )
    return section
