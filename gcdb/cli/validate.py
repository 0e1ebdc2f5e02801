"""``gcdb validate {budget|usage|population} FILE``: read and check one input file, print what was found.

Prints the sheet read (Excel), the reconciliation (rows and amounts read, valid, quarantined, skipped) and the
issues table. ``--issues-out`` writes the issues as a CSV for Excel (UTF-8 with BOM; text that a spreadsheet would
run as a formula gets a leading apostrophe). Exit code 0 when
there are no errors (warnings allowed), 1 when there are errors (or, with ``--strict``, any issue at all),
2 for a wrong command line. A missing or unreadable file is a message and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

KINDS = ("budget", "usage", "population")

_TEXT = {
    "file": ("Dosya", "File"),
    "kind": {
        "budget": ("bütçe", "budget"),
        "usage": ("hizmet kullanımı", "service usage"),
        "population": ("nüfus", "population"),
    },
    "measure": ("Ölçü", "Measure"),
    "read": ("Okunan", "Read"),
    "valid": ("Geçerli", "Valid"),
    "quarantined": ("Karantina", "Quarantined"),
    "skipped": ("Atlanan", "Skipped"),
    "sheet": ("sayfa", "sheet"),
    "skipped_rows": ("satır atlandı", "rows skipped"),
    "rows": ("Satır sayısı", "Rows"),
    "header": ("başlık satırı", "header row"),
    "blank": ("boş satır atlandı", "blank rows skipped"),
    "ignored": ("Kullanılmayan sütunlar", "Columns not used"),
    "issues": ("Sorunlar", "Issues"),
    "summary": ("{e} hata, {w} uyarı", "{e} errors, {w} warnings"),
    "tl": ("TL", "TL"),
}


def register(subparsers) -> None:
    from gcdb.cli.main import add_read_options

    parser = subparsers.add_parser(
        "validate",
        help="check a budget, service-usage or population file and report its issues",
        description="Read a .csv, .xlsx or .parquet file, check it and print the reconciliation and issues. "
        "Exit code 0: no errors; 1: errors; 2: wrong usage.",
    )
    parser.add_argument("kind", choices=KINDS, help="what the file holds")
    parser.add_argument("file", help="the .csv, .xlsx or .parquet file")
    parser.add_argument(
        "--districts",
        metavar="CSV",
        help="canonical district list (CSV with a 'district' column; default: İstanbul's 39)",
    )
    parser.add_argument("--no-district-check", action="store_true", help="do not check district names")
    parser.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    parser.add_argument(
        "--lang", choices=("tr", "en"), default="tr", help="language of the labels (default tr)"
    )
    add_read_options(parser)
    parser.add_argument(
        "--layout",
        choices=("auto", "odenek_cetveli", "ahp", "execution", "tidy"),
        default="auto",
        help="budget files: published layout (Ödenek Cetveli, Ayrıntılı Harcama Programı, execution report) "
        "or tidy table (default: auto)",
    )
    parser.add_argument("--limit", type=int, default=50, help="most issues to print (default 50)")
    parser.add_argument(
        "--issues-out", metavar="CSV", help="also write the full issues table to this CSV file"
    )
    parser.set_defaults(func=run)


def _t(key: str, lang: str) -> str:
    pair = _TEXT[key]
    return pair[0] if lang == "tr" else pair[1]


def _table(rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, r in enumerate(rows):
        cells = [
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from gcdb import columns as C
    from gcdb.errors import UsageError, format_issues
    from gcdb.read import format_kurus, read_budget, read_population, read_usage
    from gcdb.read.result import ROWS

    lang = args.lang
    if args.kind == "budget" and (args.districts or args.no_district_check):
        raise UsageError("--districts and --no-district-check apply to usage and population files only")
    if args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    from gcdb.cli.export import write_csv_for_excel
    from gcdb.cli.main import read_options

    options: dict = read_options(args)
    if args.kind != "budget":
        options["districts"] = False if args.no_district_check else args.districts
    elif args.layout != "auto":
        options["layout"] = args.layout
    reader = {"budget": read_budget, "usage": read_usage, "population": read_population}[args.kind]
    result = reader(args.file, **options)

    out = sys.stdout
    kind_label = _TEXT["kind"][args.kind][0 if lang == "tr" else 1]
    print(f"{_t('file', lang)}: {result.source} ({kind_label})", file=out)
    notes = [f"{_t('header', lang)} {result.header_row}"]
    if result.sheet is not None:
        notes.insert(0, f"{_t('sheet', lang)} {result.sheet!r}")
    if len(result.skipped):
        reasons = result.skipped["reason"].value_counts(sort=False)
        detail = ", ".join(f"{reason} {count}" for reason, count in reasons.items())
        notes.append(f"{len(result.skipped)} {_t('skipped_rows', lang)} ({detail})")
    print("  " + "; ".join(notes), file=out)
    if result.ignored_columns:
        print(f"  {_t('ignored', lang)}: {', '.join(result.ignored_columns)}", file=out)
    print(file=out)

    rows = [
        [
            _t("measure", lang),
            _t("read", lang),
            _t("valid", lang),
            _t("quarantined", lang),
            _t("skipped", lang),
        ]
    ]
    for rec in result.reconciliation.to_dict("records"):
        measure = rec["measure"]
        if measure == ROWS:
            name, fmt = _t("rows", lang), str
        elif measure in C.PHASES:
            name, fmt = f"{C.label(measure, lang)} ({_t('tl', lang)})", lambda v: format_kurus(v, lang)
        else:
            name, fmt = C.label(measure, lang), str
        cells = [fmt(rec["read"]), fmt(rec["valid"]), fmt(rec["quarantined"]), fmt(rec.get("skipped", 0))]
        rows.append([name, *cells])
    print(_table(rows, right={1, 2, 3, 4}), file=out)
    print(file=out)

    n_err, n_warn = len(result.errors), len(result.warnings)
    print(f"{_t('issues', lang)}: " + _t("summary", lang).format(e=n_err, w=n_warn), file=out)
    if len(result.issues):
        print(format_issues(result.issues, limit=args.limit), file=out)
    if args.issues_out:  # a CSV for Excel: values that look like formulas are neutralised
        write_csv_for_excel(result.issues, args.issues_out)
    if n_err or (args.strict and n_warn):
        return 1
    return 0
