"""Turn a ``--gcdb-bench-json`` file into the Markdown tables of ``benchmarks/README.md``.

Usage::

    python benchmarks/report.py RESULTS.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

TIMES = [
    ("read_usage_csv", "read_usage, CSV (read + validate + normalise)"),
    ("read_usage_parquet", "read_usage, Parquet (read + validate + normalise)"),
    ("usage_from_frame", "usage_from_frame (validation of a frame)"),
    ("tag", "tag, 320 rules, first mode (gcdb)"),
    ("tag_duckdb_distinct", "… DuckDB, distinct-values plan (peer)"),
    ("tag_polars_distinct", "… polars, distinct-values plan (peer)"),
    ("tag_duckdb", "… DuckDB, one CASE per row (naive reference)"),
    ("breakdown_margins", "breakdown, 5 dims, all 32 margins (gcdb)"),
    ("breakdown_margins_duckdb_preagg", "… DuckDB, pre-aggregated (peer)"),
    ("breakdown_margins_polars", "… polars, pre-aggregated (peer)"),
    ("breakdown_margins_duckdb", "… DuckDB CUBE count(DISTINCT) over every row (naive reference)"),
    ("breakdown_cross", "breakdown, 5 dims, full cross + total (gcdb)"),
    ("breakdown_cross_duckdb_preagg", "… DuckDB, pre-aggregated (peer)"),
    ("breakdown_cross_polars", "… polars, pre-aggregated (peer)"),
    ("breakdown_cross_duckdb", "… DuckDB GROUPING SETS count(DISTINCT) over every row (naive reference)"),
    ("breakdown_cross_fairlearn", "… fairlearn MetricFrame"),
    ("impact_table", "impact_table, 5 dims, population baseline, k = 5 + audit"),
    ("impact_duckdb_preagg", "… its distinct users only, DuckDB pre-aggregated (peer)"),
    ("impact_polars", "… its distinct users only, polars pre-aggregated (peer)"),
    ("budget_tag_analyse", "budget: tag (İBB rules) + analyse_budget"),
    ("tcdb_workbook", "write_tcdb_workbook"),
]


#: Measurements whose size is budget lines, not usage rows: always labelled with their size.
BUDGET_NAMES = {
    "budget_tag_analyse",
    "tcdb_workbook",
    "memory_budget",
    "memory_workbook",
    "memory_cli_budget",
}


def _fmt(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:,.{digits}f}"


def tables(doc: dict) -> str:
    results = doc["results"]
    by = {}
    for r in results:
        by.setdefault(r["name"], {})[r["rows"]] = r
    usage_sizes = sorted({r["rows"] for r in results if r["name"] == "tag"})
    lines = ["| stage | " + " | ".join(f"{n:,} rows" for n in usage_sizes) + " | scaling |", "|---|"]
    lines[1] += "---:|" * (len(usage_sizes) + 1)
    for name, label in TIMES:
        entries = by.get(name, {})
        if not entries:
            continue
        row_sizes = sorted(entries)
        cells = []
        for r in row_sizes:
            lines_label = name in BUDGET_NAMES or r not in usage_sizes
            cells.append(f"{_fmt(entries[r]['seconds'])} s" + (f" ({r:,} lines)" if lines_label else ""))
        cells += [""] * (len(usage_sizes) - len(cells))
        scale = ""
        if len(row_sizes) >= 2 and entries[row_sizes[-1]].get("scales", True):
            a, b = entries[row_sizes[-2]], entries[row_sizes[-1]]
            scale = f"× {b['seconds'] / a['seconds']:.2f}"
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {scale} |")
    out = ["### Times (seconds)", "", *lines, ""]

    ratios = ["| comparison | " + " | ".join(f"{n:,} rows" for n in usage_sizes) + " | target |", "|---|"]
    ratios[1] += "---:|" * (len(usage_sizes) + 1)
    specs = [
        ("tag_row_by_row", "ratio", "gcdb tag vs plain Python row by row (per row, × faster)", "≥ 200", 0),
        ("tag_duckdb_distinct", "ratio_gcdb_over_peer", "gcdb tag / DuckDB distinct-values plan", "≤ 1.0", 2),
        ("tag_polars_distinct", "ratio_gcdb_over_peer", "gcdb tag / polars distinct-values plan", "≤ 1.0", 2),
        (
            "tag_duckdb",
            "ratio_gcdb_over_duckdb",
            "gcdb tag / DuckDB one CASE per row (naive reference)",
            "—",
            2,
        ),
        (
            "breakdown_margins_duckdb_preagg",
            "ratio_gcdb_over_peer",
            "gcdb breakdown (32 margins) / DuckDB pre-aggregated",
            "≤ 1.0",
            2,
        ),
        (
            "breakdown_margins_polars",
            "ratio_gcdb_over_peer",
            "gcdb breakdown (32 margins) / polars pre-aggregated",
            "≤ 1.0",
            2,
        ),
        (
            "breakdown_cross_duckdb_preagg",
            "ratio_gcdb_over_peer",
            "gcdb breakdown (cross + total) / DuckDB pre-aggregated",
            "≤ 1.0",
            2,
        ),
        (
            "breakdown_cross_polars",
            "ratio_gcdb_over_peer",
            "gcdb breakdown (cross + total) / polars pre-aggregated",
            "≤ 1.0",
            2,
        ),
        ("impact_duckdb_preagg", "ratio_gcdb_over_peer", "gcdb impact_table / DuckDB its counts", "≤ 1.0", 2),
        ("impact_polars", "ratio_gcdb_over_peer", "gcdb impact_table / polars its counts", "≤ 1.0", 2),
        (
            "breakdown_cross_fairlearn",
            "ratio_fairlearn_over_gcdb",
            "fairlearn time / gcdb breakdown time",
            "≥ 20",
            1,
        ),
        (
            "breakdown_margins_duckdb",
            "ratio_gcdb_over_duckdb",
            "gcdb breakdown (32 margins) / DuckDB CUBE count(DISTINCT) (naive reference)",
            "—",
            2,
        ),
        (
            "breakdown_cross_duckdb",
            "ratio_gcdb_over_duckdb",
            "gcdb breakdown (cross + total) / DuckDB GROUPING SETS count(DISTINCT) (naive reference)",
            "—",
            2,
        ),
    ]
    for name, key, label, target, digits in specs:
        entries = by.get(name, {})
        peer = next((e["peer"] for e in entries.values() if e.get("peer")), "")
        ratios.append(
            f"| {label}{f' (`{peer}`)' if peer else ''} | "
            + " | ".join(_fmt(entries.get(n, {}).get(key), digits) for n in usage_sizes)
            + f" | {target} |"
        )
    out += ["### Ratios", "", *ratios, ""]

    mem = [
        "| stage (fresh process) | rows | input columns MB | imports MB | peak RSS MB | net ratio | peak/input |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if r["name"].startswith("memory_"):
            mem.append(
                f"| {r['name'][7:]} | {r['rows']:,} | {r['input_bytes'] / 1e6:,.0f} | "
                f"{_fmt(r['rss_base'] / 1e6 if r['rss_base'] else None, 0)} | "
                f"{r['peak_rss'] / 1e6:,.0f} | {r['net_ratio']:.2f} | {r['total_ratio']:.2f} |"
            )
    out += ["### Peak memory (target: net ratio ≤ 3)", "", *mem, ""]

    fresh = [
        "| stage (one run, fresh process) | "
        + " | ".join(f"{n:,} rows" for n in usage_sizes)
        + " | scaling |"
    ]
    fresh.append("|---|" + "---:|" * (len(usage_sizes) + 1))
    for name in sorted({r["name"] for r in results if r["name"].startswith("memory_")}, key=_stage_order):
        entries = by[name]
        sizes = sorted(entries)
        cells = [
            f"{_fmt(entries[r]['seconds'])} s" + (f" ({r:,} lines)" if name in BUDGET_NAMES else "")
            for r in sizes
        ]
        cells += [""] * (len(usage_sizes) - len(cells))
        scale = ""
        if len(sizes) >= 2 and sizes[-1] != sizes[-2]:
            scale = f"× {entries[sizes[-1]]['seconds'] / entries[sizes[-2]]['seconds']:.2f}"
        fresh.append(f"| {name[7:]} | " + " | ".join(cells) + f" | {scale} |")
    out += ["### Times in a fresh process (cold, one run)", "", *fresh, ""]
    return "\n".join(out)


def _stage_order(name: str) -> int:
    from stages import STAGES

    stage = name[7:]
    return STAGES.index(stage) if stage in STAGES else len(STAGES)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    doc = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    print(doc["machine"])
    print(tables(doc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
