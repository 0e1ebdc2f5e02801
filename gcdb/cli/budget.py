"""``gcdb budget``: the TCDB (gender-responsive budgeting) analysis of a budget file, as an Excel workbook.

    gcdb budget --budget butce_2024.xlsx --rules rules/ibb_yeep_2021_budget.yaml --out tcdb_2024.xlsx
    gcdb budget --budget butce.csv --rules kurallar.yaml --catalogue plan/ --year 2023 2024 --out tcdb.xlsx \\
        --tables tcdb_tables/ --lang en --floor 0.05

Reads and validates the budget (rows with errors are quarantined, never dropped silently), tags its lines with
the rule set, analyses the gender budget under every weighting scheme and writes the workbook (summary with
live totals and reconciliation checks, breakdowns, plan checks, coverage, detail lines, methodology with input
checksums, data quality). ``--tables`` also writes every analysis table as CSV and Parquet.

Exit codes: 0 success; 1 data problems — the budget has rows with errors (the workbook is still written from the
valid rows, its data-quality sheet lists the errors, and they are printed), or an input cannot be read; 2 wrong
usage. Set ``SOURCE_DATE_EPOCH`` to stamp the workbook with a date of your choice (default 2000-01-01, so that
identical inputs give identical files).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

LANGS = ("tr", "en")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "budget",
        help="gender-budget (TCDB) analysis of a budget file, written as an Excel workbook",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument(
        "--budget", required=True, type=Path, metavar="FILE", help="budget lines (.csv/.xlsx/.parquet)"
    )
    parser.add_argument(
        "--layout",
        choices=("auto", "odenek_cetveli", "ahp", "execution", "tidy"),
        default="auto",
        help="the budget file's layout: published (Ödenek Cetveli, AHP, execution report) or tidy (default: auto)",
    )
    parser.add_argument("--rules", required=True, type=Path, metavar="FILE", help="budget rule set (YAML)")
    parser.add_argument(
        "--catalogue",
        type=Path,
        metavar="DIR",
        help="equality-plan directory (default: the plan the rule set names, when shipped)",
    )
    parser.add_argument(
        "--year", type=int, nargs="+", metavar="Y", help="fiscal year(s) to analyse (default: all)"
    )
    parser.add_argument(
        "--mode", choices=("first", "all"), help="rule resolution mode (default: the rule set's)"
    )
    parser.add_argument(
        "--out", required=True, type=Path, metavar="FILE", help="the workbook to write (.xlsx)"
    )
    parser.add_argument(
        "--tables", type=Path, metavar="DIR", help="also write every table as CSV and Parquet here"
    )
    parser.add_argument(
        "--csv-dialect",
        choices=("plain", "excel-tr"),
        default="plain",
        help="CSV of the tables: plain (for programs; default) or excel-tr (Turkish Excel: ; and decimal comma)",
    )
    parser.add_argument("--lang", choices=LANGS, default="tr", help="report language (default: tr)")
    parser.add_argument(
        "--floor",
        type=float,
        default=0.05,
        metavar="F",
        help="required share of appropriations for the floor check (default: 0.05)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress messages on stderr")
    from gcdb.cli.main import add_read_options

    add_read_options(parser)  # --sheet, --max-cells …
    parser.set_defaults(func=run)


def _check_usage(args: argparse.Namespace) -> None:
    from gcdb.errors import UsageError

    if args.out.suffix.lower() != ".xlsx":
        raise UsageError(f"--out {args.out}: the workbook must be an .xlsx file")
    if not 0.0 <= args.floor <= 1.0:
        raise UsageError(f"--floor must be a fraction between 0 and 1, got {args.floor}")
    if args.tables is not None and args.tables.exists() and not args.tables.is_dir():
        raise UsageError(f"--tables {args.tables}: not a directory")


def _require_file(path: Path, what: str, *, directory: bool = False) -> None:
    from gcdb.errors import GcdbError

    exists = path.is_dir() if directory else path.is_file()
    if not exists:
        kind = "directory" if directory else "file"
        raise GcdbError(f"{what} {kind} not found: {path}")


def _catalogue(args: argparse.Namespace, ruleset):
    """The plan catalogue: ``--catalogue``, else the shipped plan the rule set names (or None)."""
    from gcdb.catalogue import Catalogue
    from gcdb.rules.cases import default_catalogue

    if args.catalogue is not None:
        _require_file(args.catalogue, "catalogue", directory=True)
        return Catalogue.load(args.catalogue)
    return default_catalogue(ruleset)


def run(args: argparse.Namespace) -> int:
    from gcdb import columns as C
    from gcdb.budget import analyse_budget
    from gcdb.budget import names as N
    from gcdb.cli.progress import Steps
    from gcdb.errors import GcdbError, format_issues
    from gcdb.money import KURUS_PER_LIRA
    from gcdb.read import read_budget
    from gcdb.report.tcdb import write_tcdb_workbook
    from gcdb.rules import load_ruleset, tag

    _check_usage(args)
    tr = args.lang == "tr"
    steps = Steps(4 + (args.tables is not None), lang=args.lang, enabled=not getattr(args, "quiet", False))
    _require_file(args.budget, "budget")
    _require_file(args.rules, "rules")
    ruleset = load_ruleset(args.rules)
    if ruleset.applies_to != "budget":
        raise GcdbError(
            f"{args.rules}: rule set {ruleset.name!r} applies to {ruleset.applies_to}, not to budgets"
        )
    catalogue = _catalogue(args, ruleset)
    if catalogue is not None:
        ruleset = load_ruleset(args.rules, catalogue=catalogue)  # action codes checked against the plan

    steps("bütçe okunuyor ve doğrulanıyor" if tr else "reading and validating the budget")
    from gcdb.cli.main import read_options

    read = read_budget(args.budget, layout=args.layout, **read_options(args))
    if read.data.empty:
        print(format_issues(read.issues), file=sys.stderr)
        raise GcdbError(f"{args.budget}: no valid budget lines to analyse ({read.summary()})")
    steps("bütçe satırları etiketleniyor" if tr else "tagging budget lines")
    tagging = tag(read.data, ruleset, mode=args.mode)
    steps("TCDB bütçe analizi" if tr else "TCDB budget analysis")
    plan = catalogue.budget_actions() if hasattr(catalogue, "budget_actions") else None
    analysis = analyse_budget(read.data, tagging, plan_actions=plan, years=args.year, floor=args.floor)

    inputs = [("budget", args.budget), ("rules", args.rules)]
    if catalogue is not None and getattr(catalogue, "path", None) is not None:
        inputs.append(("catalogue", catalogue.path))
    steps("TCDB çalışma kitabı yazılıyor" if tr else "writing the TCDB workbook")
    write_tcdb_workbook(
        args.out,
        analysis,
        tagging=tagging,
        read_result=read,
        ruleset=ruleset,
        inputs=inputs,
        lang=args.lang,
    )
    written = [args.out]
    if args.tables is not None:
        from gcdb.report.tidy import write_tidy

        steps("düzenli tablolar yazılıyor" if tr else "writing tidy tables")
        tables = dict(analysis.tables())
        tables |= {f"coverage_{name}": frame for name, frame in tagging.coverage.to_frames().items()}
        tables["issues"] = read.issues
        written += write_tidy(tables, args.tables, csv_dialect=args.csv_dialect, lang=args.lang)

    steps.done()
    primary = ruleset.default_scheme if ruleset.default_scheme in analysis.schemes else analysis.schemes[0]
    summary = analysis.summary
    summary = summary[(summary[C.SCHEME] == primary) & (summary[N.READING] == N.DEFAULT_READING)]
    print(read.summary())
    print(f"rule set {ruleset.name!r} (mode {tagging.mode}); scheme {primary}:")
    for rec in summary.to_dict("records"):
        rev = C.REVISED_APPROPRIATION
        print(
            f"  {rec[C.FISCAL_YEAR]}: {rec[N.counted(rev)] / KURUS_PER_LIRA:,.2f} of "
            f"{rec[N.budget(rev)] / KURUS_PER_LIRA:,.2f} TL revised appropriation "
            f"({rec[N.share_of_total(rev)]:.1%})"
        )
    print(
        f"wrote {args.out}" + (f" and {len(written) - 1} table files in {args.tables}" if args.tables else "")
    )
    if not read.ok:
        print(
            f"gcdb: {args.budget}: {len(read.errors)} data error(s); the rows with errors were left out:",
            file=sys.stderr,
        )
        print(format_issues(read.errors), file=sys.stderr)
        return 1
    return 0
