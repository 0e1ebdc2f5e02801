"""The TCDB report's account of itself: tagging coverage, methodology (schemes and weights, rule set, input
checksums, parameters, run date) and data quality (the reader's reconciliation, issues, quarantined rows)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.budget import names as N
from gcdb.i18n import known, optional
from gcdb.report.i18n import column_labels, format_number, input_role, issue_messages, issue_values
from gcdb.report.model import Column, Heading, KeyValues, Place, Print, Section, Table
from gcdb.report.tcdb_context import CATEGORY_LABEL, SCHEME_LABEL, Context, num
from gcdb.report.workbook import display_path, run_date_text


def _section(ctx: Context, key: str, blocks: list, **options: Any) -> Section:
    return Section(key=key, name=ctx.t(key), blocks=blocks, **options)


# -- coverage ----------------------------------------------------------------------------------------------------
def coverage(ctx: Context) -> Section:
    key = "sheet.tcdb_coverage"
    cov = getattr(ctx.tagging, "coverage", None)
    if cov is None:
        return _section(ctx, key, [Heading(ctx.t("tcdb.title.coverage"), [ctx.t("tcdb.note.no_tagging")])])
    blocks: list = [
        Heading(ctx.t("tcdb.title.coverage"), [ctx.t("tcdb.note.coverage_scope"), ctx.t("note.money")]),
        KeyValues(_coverage_pairs(ctx, cov.summary)),
    ]
    rules = cov.rules
    phases = [p for p in C.PHASES if N.attributed(p) in rules.columns]
    rules = rules.assign(fired=rules["fired"].astype(bool))
    blocks.append(
        Table(
            "coverage_rules",
            rules,
            [
                Column(C.RULE_ID, "code"),
                Column("line", "count", label=ctx.t("tcdb.col.file_line")),
                Column("priority", "count", label=ctx.t("tcdb.col.priority")),
                Column("actions", "code", label=ctx.t("tcdb.col.actions")),
                Column("matched_rows", "count", label=ctx.t("tcdb.col.matched_rows")),
                Column("hits", "count", label=ctx.t("tcdb.col.hits")),
                Column("overlap_rows", "count", label=ctx.t("tcdb.col.overlap_rows")),
                Column("fired", "label", label=ctx.t("tcdb.col.fired")),
                *(Column(N.attributed(p), "money", label=ctx.family("attributed", p)) for p in phases),
            ],
            title=ctx.t("tcdb.title.rules"),
            total_row={"hits": "sum", **{N.attributed(p): "sum" for p in phases}},
        )
    )
    never = cov.never_fired
    reasons = {
        "no row matches": ctx.t("tcdb.never.no_row"),
        "always won by a higher-priority rule": ctx.t("tcdb.never.outranked"),
    }
    never = never.assign(reason=never["reason"].map(lambda r: reasons.get(r, r)).astype("str"))
    blocks.append(
        Table(
            "coverage_never",
            never,
            [
                Column(C.RULE_ID, "code"),
                Column("line", "count", label=ctx.t("tcdb.col.file_line")),
                Column("description", "text", label=C.label(C.DESCRIPTION, ctx.lang)),
                Column("reason", "text", label=ctx.label(N.REASON)),
            ],
            title=ctx.t("tcdb.title.never_fired"),
            empty_note=ctx.t("tcdb.note.no_rows"),
        )
    )
    overlaps = cov.overlaps
    ophases = [p for p in C.PHASES if p in overlaps.columns]
    blocks.append(
        Table(
            "coverage_overlaps",
            overlaps,
            [
                Column("rule_ids", "text", label=ctx.t("tcdb.col.rule_ids")),
                Column("winner", "code", label=ctx.t("tcdb.col.winner")),
                Column("rows", "count", label=ctx.t("tcdb.col.rows")),
                *(Column(p, "money", label=ctx.phase(p)) for p in ophases),
            ],
            title=ctx.t("tcdb.title.overlaps"),
            empty_note=ctx.t("tcdb.note.no_rows"),
            place=Place(gap=2 if not len(never) else 1),
        )
    )
    return _section(ctx, key, blocks, print=Print(landscape=True))


def _coverage_pairs(ctx: Context, summary: pd.DataFrame) -> list[tuple]:
    pairs: list[tuple] = []
    for rec in summary.to_dict("records"):
        measure = rec["measure"]
        if measure == "rows":
            name = ctx.t("tcdb.rows")
            pairs += [
                (f"{name} – {ctx.t('tcdb.col.total')}", int(rec["total"]), "count"),
                (f"{name} – {ctx.t('tcdb.col.tagged')}", int(rec["tagged"]), "count"),
                (f"{name} – {ctx.t('tcdb.col.tagged_share')}", num(rec["tagged_share"]), "percent"),
            ]
        elif measure in C.PHASES:
            name = ctx.phase(measure)
            pairs += [
                (f"{name} – {ctx.t('tcdb.col.total')}", int(rec["total"]), "money"),
                (f"{name} – {ctx.t('tcdb.col.tagged')}", int(rec["tagged"]), "money"),
                (f"{name} – {ctx.t('tcdb.col.attributed_money')}", int(rec["attributed"]), "money"),
                (f"{name} – {ctx.t('tcdb.col.attributed_share')}", num(rec["attributed_share"]), "percent"),
            ]
    return pairs


# -- methodology -------------------------------------------------------------------------------------------------
def methodology(ctx: Context) -> Section:
    from gcdb import __version__

    keys = ("source", "attributed", "counted", "share", "floor", "reconciliation", "oecd")
    definitions = [ctx.t(f"tcdb.def.{key}") for key in keys]
    rs = ctx.ruleset
    mode = getattr(ctx.tagging, "mode", None) or getattr(rs, "mode", None)
    run_date = run_date_text(ctx.created, ctx.created.date().isoformat(), ctx.lang)
    pairs: list[tuple] = [
        (ctx.t("tcdb.kv.version"), __version__, "text"),
        (ctx.t("tcdb.kv.run_date"), run_date, "text"),
        (ctx.t("tcdb.kv.language"), ctx.t(f"tcdb.language.{ctx.lang}"), "text"),
    ]
    if rs is not None:
        pairs += [
            (ctx.t("tcdb.kv.ruleset"), rs.name, "text"),
            (ctx.t("tcdb.kv.ruleset_version"), rs.version, "text"),
            (ctx.t("tcdb.kv.ruleset_file"), Path(rs.source).name if rs.source else "–", "text"),
            (ctx.t("tcdb.kv.plan"), rs.plan or "–", "code"),
        ]
    if mode in ("first", "all"):
        pairs.append((ctx.t("tcdb.kv.mode"), ctx.t(f"tcdb.mode.{mode}"), "text"))
    pairs += [
        (ctx.t("tcdb.kv.primary"), f"{ctx.primary_name()} ({ctx.primary.scheme})", "text"),
        (ctx.t("tcdb.kv.years"), ", ".join(map(str, ctx.a.years)), "text"),
        (ctx.t("tcdb.kv.floor"), *_floor_value(ctx.a.parameters.get("floor", "–"))),
        (ctx.t("tcdb.kv.k"), ctx.k, "count"),
    ]
    schemes, categories = scheme_frames(ctx)
    files = pd.DataFrame(
        {
            "input": pd.Series([input_role(c[0], ctx.lang) for c in ctx.checksums], dtype="str"),
            "file": pd.Series([Path(c[1]).name for c in ctx.checksums], dtype="str"),
            "path": pd.Series([display_path(c[1]) for c in ctx.checksums], dtype="str"),
            "bytes": pd.Series([c[2] for c in ctx.checksums], dtype="int64"),
            "sha256": pd.Series([c[3] for c in ctx.checksums], dtype="str"),
        }
    )
    blocks = [
        Heading(ctx.t("tcdb.title.methodology"), definitions),
        KeyValues(pairs, title=ctx.t("tcdb.title.run")),
        Table(
            "schemes",
            schemes,
            [
                Column(SCHEME_LABEL, "text", label=ctx.t("tcdb.col.scheme")),
                Column("name", "text", label=ctx.t("tcdb.col.scheme_name")),
                Column("kind", "text", label=ctx.t("tcdb.col.kind")),
                Column(N.FLOOR, "percent", label=ctx.t("tcdb.col.scheme_floor")),
                Column("reference", "text", label=ctx.t("tcdb.col.reference")),
            ],
            title=ctx.t("tcdb.title.schemes"),
            freeze=False,
        ),
        Table(
            "categories",
            categories,
            [
                Column(SCHEME_LABEL, "text", label=ctx.t("tcdb.col.scheme")),
                Column(CATEGORY_LABEL, "text", label=ctx.t("tcdb.col.category_label")),
                Column(C.CATEGORY, "code"),
                Column(N.WEIGHT, "percent", label=ctx.t("tcdb.col.weight")),
                Column("review_weight", "percent", label=ctx.t("tcdb.col.review_weight")),
                Column("declared", "text", label=ctx.t("tcdb.col.declared_band")),
            ],
            title=ctx.t("tcdb.title.categories"),
            autofilter=False,
            freeze=False,
        ),
        Table(
            "inputs",
            files,
            [
                Column("input", "text", label=ctx.t("tcdb.col.input")),
                Column("sha256", "code", label=ctx.t("tcdb.col.sha256"), width=68),
                Column("bytes", "count", label=ctx.t("tcdb.col.bytes")),
                Column("file", "text", label=ctx.t("tcdb.col.file")),
                Column("path", "text", label=ctx.t("tcdb.col.path")),
            ],
            title=ctx.t("tcdb.title.inputs"),
            notes=[ctx.t("tcdb.note.checksums")],
            autofilter=False,
            freeze=False,
        ),
        Table(
            "parameters",
            parameter_frame(ctx, ctx.a.tables()["parameters"]),
            [
                Column(N.PARAMETER, "text", label=ctx.label(N.PARAMETER)),
                Column(N.VALUE, "text", label=ctx.label(N.VALUE)),
            ],
            title=ctx.t("tcdb.title.parameters"),
            autofilter=False,
            freeze=False,
            place=Place(gap=2 if not len(files) else 1),
        ),
    ]
    return _section(ctx, "sheet.methodology", blocks, print=Print(landscape=True))


def parameter_frame(ctx: Context, params: pd.DataFrame) -> pd.DataFrame:
    """The analysis parameters with labels and values in the report language (codes only as a fallback)."""
    names = params[N.PARAMETER].astype("str").tolist()
    values = params[N.VALUE].astype("str").tolist()
    shown = []
    for name, value in zip(names, values, strict=True):
        if name == "years":
            value = ", ".join(v.strip() for v in value.split(",") if v.strip())
        elif name == "schemes":
            value = ", ".join(ctx.scheme_label(v.strip()) for v in value.split(",") if v.strip())
        elif value in ("yes", "no"):
            value = ctx.t(value)
        elif name in ("floor", "revised_down_threshold", "execution_threshold"):
            try:
                value = format_number(float(value), 1, ctx.lang, percent=True)
            except ValueError:
                pass  # a per-scheme mapping: shown as written
        shown.append(value)
    return pd.DataFrame(
        {
            N.PARAMETER: pd.Series([optional(f"tcdb.param.{n}", n, ctx.lang) for n in names], dtype="str"),
            N.VALUE: pd.Series(shown, dtype="str"),
        }
    )


def scheme_frames(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per scheme (name, kind, floor, source) and one per category or score band (weights)."""
    schemes: list[dict[str, str | float | None]] = []
    rows: list[dict[str, str | float | None]] = []
    for scheme_id in ctx.a.schemes:
        scheme = ctx.scheme_objects.get(scheme_id)
        label = ctx.scheme_label(scheme_id)
        if scheme is None:
            schemes.append({SCHEME_LABEL: label, "name": scheme_id})
            continue
        kind_key = f"tcdb.scheme_kind.{scheme.kind}"
        schemes.append(
            {
                SCHEME_LABEL: label,
                "name": scheme.label(ctx.lang),
                "kind": ctx.t(kind_key) if known(kind_key) else scheme.kind,
                "reference": scheme.reference,
                N.FLOOR: scheme.floor,
            }
        )
        base = {SCHEME_LABEL: label}
        for band in scheme.bands:
            name = band.label_tr if ctx.lang == "tr" else band.label_en
            rows.append({**base, C.CATEGORY: f"≥ {band.min:g}", CATEGORY_LABEL: name, N.WEIGHT: band.weight})
        if scheme.kind == "declared":
            rows.append(
                {**base, C.CATEGORY: "–", CATEGORY_LABEL: ctx.t("tcdb.declared"), "declared": "0–100 %"}
            )
        for cat in scheme.categories:
            declared = None
            if cat.declared_min is not None and cat.declared_max is not None:
                declared = f"{cat.declared_min * 100:g}–{cat.declared_max * 100:g} %"
            rows.append(
                {
                    **base,
                    C.CATEGORY: cat.code,
                    CATEGORY_LABEL: cat.label_tr if ctx.lang == "tr" else cat.label_en,
                    N.WEIGHT: cat.weight,
                    "review_weight": cat.review_weight,
                    "declared": declared,
                }
            )
    return (
        _typed(pd.DataFrame(schemes), (SCHEME_LABEL, "name", "kind", "reference"), (N.FLOOR,)),
        _typed(
            pd.DataFrame(rows),
            (SCHEME_LABEL, C.CATEGORY, CATEGORY_LABEL, "declared"),
            (N.WEIGHT, "review_weight"),
        ),
    )


def _floor_value(text: str) -> tuple[Any, str]:
    """The analysis' ``floor`` parameter for the run block: a percentage, or its text (per-scheme mapping)."""
    try:
        return float(text), "percent"
    except ValueError:
        return text, "text"


def _typed(frame: pd.DataFrame, texts: Sequence[str], numbers: Sequence[str]) -> pd.DataFrame:
    """``frame`` with the given text and float columns (added empty where missing)."""
    out: dict[str, pd.Series] = {}
    for name in texts:
        column = frame[name] if name in frame.columns else pd.Series(None, index=frame.index)
        out[name] = column.astype("str")
    for name in numbers:
        values = frame[name] if name in frame.columns else pd.Series(np.nan, index=frame.index)
        out[name] = pd.to_numeric(values, errors="coerce").astype("float64")
    return pd.DataFrame(out, index=frame.index)


# -- data quality ------------------------------------------------------------------------------------------------
def data_quality(ctx: Context) -> Section:
    key = "sheet.tcdb_data_quality"
    result = ctx.read_result
    if result is None:
        return _section(ctx, key, [Heading(ctx.t("tcdb.title.read"), [ctx.t("tcdb.note.no_read")])])
    rec = result.reconciliation.set_index("measure")
    rows = rec.loc["rows"] if "rows" in rec.index else None
    pairs: list[tuple] = [(ctx.t("tcdb.kv.source"), result.source, "text")]
    if rows is not None:
        pairs += [
            (ctx.t("tcdb.kv.rows_read"), int(rows["read"]), "count"),
            (ctx.t("tcdb.kv.rows_valid"), int(rows["valid"]), "count"),
            (ctx.t("tcdb.kv.rows_quarantined"), int(rows["quarantined"]), "count"),
        ]
    pairs += [
        (ctx.t("tcdb.kv.errors"), len(result.errors), "count"),
        (ctx.t("tcdb.kv.warnings"), len(result.warnings), "count"),
    ]
    reconciliation = result.reconciliation
    money = reconciliation[reconciliation["measure"].isin(list(C.PHASES))].reset_index(drop=True)
    money = money.assign(measure=money["measure"].map({p: ctx.phase(p) for p in C.PHASES}).astype("str"))
    issues = result.issues.reset_index(drop=True)
    issues = issues.assign(
        **{
            C.ISSUE_COLUMN: column_labels(issues[C.ISSUE_COLUMN], ctx.lang),
            C.ISSUE_MESSAGE: issue_messages(issues[C.ISSUE_CODE], issues[C.ISSUE_MESSAGE], ctx.lang),
            C.ISSUE_VALUE: issue_values(issues[C.ISSUE_COLUMN], issues[C.ISSUE_VALUE], ctx.lang),
        }
    )
    blocks: list = [
        KeyValues(pairs, title=ctx.t("tcdb.title.read")),
        Table(
            "read_money",
            money,
            [
                Column("measure", "text", label=ctx.t("tcdb.col.measure")),
                Column("read", "money", label=ctx.t("tcdb.col.read")),
                Column("valid", "money", label=ctx.t("tcdb.col.valid")),
                Column("quarantined", "money", label=ctx.t("tcdb.col.quarantined")),
            ],
            title=ctx.t("tcdb.title.read_money"),
            autofilter=False,
            freeze=False,
        ),
        Table(
            "issues",
            issues,
            [
                Column(C.ISSUE_FILE, "text"),
                Column(C.ISSUE_ROW, "count"),
                Column(C.ISSUE_COLUMN, "text"),
                Column(C.ISSUE_CODE, "code"),
                Column(C.ISSUE_SEVERITY, "label"),
                Column(C.ISSUE_MESSAGE, "text", width=90),
                Column(C.ISSUE_VALUE, "text"),
            ],
            title=ctx.t("tcdb.title.issues"),
            notes=[] if len(issues) else [ctx.t("tcdb.note.no_issues")],
        ),
    ]
    blocks.append(_quarantine(ctx, result))
    return _section(ctx, key, blocks, print=Print(landscape=True))


def _quarantine(ctx: Context, result: Any) -> Table | Heading:
    quarantine = result.quarantine.reset_index(drop=True)
    personal = bool((result.issues[C.ISSUE_CODE] == "personal_data").any())
    keep = [c for c in quarantine.columns if not personal or c in (C.SOURCE_ROW, "issue_codes")]
    quarantine = quarantine[keep]
    notes = [ctx.t("tcdb.note.quarantine")] + ([ctx.t("tcdb.note.personal")] if personal else [])
    if not len(quarantine):
        notes.append(ctx.t("tcdb.note.no_rows"))
    specs = []
    seen = set()
    for name in quarantine.columns:
        text = str(name)
        if text in seen:
            continue
        seen.add(text)
        if name == C.SOURCE_ROW:
            specs.append(Column(name, "count", label=ctx.t("tcdb.col.source_row")))
        elif name == "issue_codes":
            specs.append(Column(name, "code", label=ctx.t("tcdb.col.issue_codes")))
        else:
            kind = "number" if pd.api.types.is_numeric_dtype(quarantine[name]) else "text"
            shown = C.label(text, ctx.lang) if text in C.LABELS else text
            specs.append(Column(name, kind, label=shown))
    if specs and len(quarantine):
        return Table("quarantine", quarantine, specs, title=ctx.t("tcdb.title.quarantine"), notes=notes)
    return Heading(ctx.t("tcdb.title.quarantine"), notes)
