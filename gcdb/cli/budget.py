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
    from gcdb.cli.main import add_lang_option, add_read_options
    from gcdb.i18n import t

    parser = subparsers.add_parser(
        "budget", help=t("cli.budget.help"), description=t("cli.budget.description")
    )
    file, folder = t("cli.metavar.file"), t("cli.metavar.dir")
    parser.add_argument("--budget", required=True, type=Path, metavar=file, help=t("cli.budget.budget"))
    parser.add_argument(
        "--layout",
        choices=("auto", "odenek_cetveli", "ahp", "execution", "tidy"),
        default="auto",
        help=t("cli.opt.layout"),
    )
    parser.add_argument("--rules", required=True, type=Path, metavar=file, help=t("cli.budget.rules"))
    parser.add_argument("--catalogue", type=Path, metavar=folder, help=t("cli.budget.catalogue"))
    parser.add_argument(
        "--year", type=int, nargs="+", metavar=t("cli.metavar.year"), help=t("cli.budget.year")
    )
    parser.add_argument("--mode", choices=("first", "all"), help=t("cli.tag.mode"))
    parser.add_argument("--out", required=True, type=Path, metavar=file, help=t("cli.budget.out"))
    parser.add_argument("--tables", type=Path, metavar=folder, help=t("cli.budget.tables"))
    parser.add_argument(
        "--csv-dialect", choices=("plain", "excel-tr"), default="plain", help=t("cli.budget.csv_dialect")
    )
    add_lang_option(parser, "cli.opt.report_lang")
    parser.add_argument("--floor", type=float, default=0.05, metavar="F", help=t("cli.budget.floor"))
    parser.add_argument("--quiet", action="store_true", help=t("cli.opt.quiet"))
    add_read_options(parser)  # --sheet, --max-cells …
    parser.set_defaults(func=run)


def _check_usage(args: argparse.Namespace) -> None:
    from gcdb.errors import UsageError
    from gcdb.i18n import Message

    if args.out.suffix.lower() != ".xlsx":
        raise UsageError(Message("cli.budget.out_xlsx", path=str(args.out)))
    if not 0.0 <= args.floor <= 1.0:
        raise UsageError(Message("cli.budget.floor_range", value=args.floor))
    if args.tables is not None and args.tables.exists() and not args.tables.is_dir():
        raise UsageError(Message("cli.budget.tables_dir", path=str(args.tables)))


def _require_file(path: Path, what: str, *, directory: bool = False) -> None:
    from gcdb.errors import GcdbError
    from gcdb.i18n import Message

    exists = path.is_dir() if directory else path.is_file()
    if not exists:
        key = "cli.budget.dir_not_found" if directory else "cli.budget.file_not_found"
        raise GcdbError(Message(key, what=Message(f"input.{what}"), path=str(path)))


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
    from gcdb.i18n import Message, format_int, format_percent, t
    from gcdb.read import format_kurus, read_budget
    from gcdb.report.tcdb import write_tcdb_workbook
    from gcdb.rules import load_ruleset, tag

    _check_usage(args)
    steps = Steps(4 + (args.tables is not None), lang=args.lang, enabled=not getattr(args, "quiet", False))
    _require_file(args.budget, "budget")
    _require_file(args.rules, "rules")
    ruleset = load_ruleset(args.rules)
    if ruleset.applies_to != "budget":
        raise GcdbError(
            Message(
                "cli.budget.not_budget_rules",
                path=str(args.rules),
                name=repr(ruleset.name),
                applies_to=t(f"read.kind.{ruleset.applies_to}"),
            )
        )
    catalogue = _catalogue(args, ruleset)
    if catalogue is not None:
        ruleset = load_ruleset(args.rules, catalogue=catalogue)  # action codes checked against the plan

    steps(t("progress.read_budget"))
    from gcdb.cli.main import read_options

    read = read_budget(args.budget, layout=args.layout, **read_options(args))
    if read.data.empty:
        print(format_issues(read.issues), file=sys.stderr)
        raise GcdbError(Message("cli.budget.no_valid_lines", path=str(args.budget), summary=read.summary()))
    steps(t("progress.tag_budget"))
    tagging = tag(read.data, ruleset, mode=args.mode)
    steps(t("progress.budget"))
    plan = catalogue.budget_actions() if hasattr(catalogue, "budget_actions") else None
    analysis = analyse_budget(read.data, tagging, plan_actions=plan, years=args.year, floor=args.floor)

    inputs = [("budget", args.budget), ("rules", args.rules)]
    if catalogue is not None and getattr(catalogue, "path", None) is not None:
        inputs.append(("catalogue", catalogue.path))
    steps(t("progress.tcdb_workbook"))
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

        steps(t("progress.tables"))
        tables = dict(analysis.tables())
        tables |= {f"coverage_{name}": frame for name, frame in tagging.coverage.to_frames().items()}
        tables["issues"] = read.issues
        written += write_tidy(tables, args.tables, csv_dialect=args.csv_dialect, lang=args.lang)

    steps.done()
    primary = ruleset.default_scheme if ruleset.default_scheme in analysis.schemes else analysis.schemes[0]
    summary = analysis.summary
    summary = summary[(summary[C.SCHEME] == primary) & (summary[N.READING] == N.DEFAULT_READING)]
    print(read.summary())
    print(t("cli.budget.summary", name=repr(ruleset.name), mode=tagging.mode, scheme=primary))
    for rec in summary.to_dict("records"):
        rev = C.REVISED_APPROPRIATION
        line = t(
            "cli.budget.year_line",
            year=rec[C.FISCAL_YEAR],
            counted=format_kurus(rec[N.counted(rev)]),
            budget=format_kurus(rec[N.budget(rev)]),
            share=format_percent(rec[N.share_of_total(rev)]),
        )
        print(f"  {line}")
    if args.tables:
        print(
            t(
                "cli.budget.wrote_tables",
                path=str(args.out),
                n=format_int(len(written) - 1),
                tables=str(args.tables),
            )
        )
    else:
        print(t("cli.wrote", path=str(args.out)))
    if not read.ok:
        print(
            "gcdb: " + t("cli.budget.data_errors", path=str(args.budget), n=format_int(len(read.errors))),
            file=sys.stderr,
        )
        print(format_issues(read.errors), file=sys.stderr)
        return 1
    return 0
