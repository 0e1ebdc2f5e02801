"""``gcdb plan``: any municipality's equality plan as a spreadsheet — write the template, check a filled one.

    gcdb plan template --out plan.xlsx              # the empty template (Turkish headers, instructions, lists)
    gcdb plan template --out ibb.xlsx --from ibb    # a plan (directory, workbook, or "ibb") in the template
    gcdb plan check plan.xlsx                       # every problem by sheet, row and column; exit 1 if any
    gcdb plan check plan_2025.xlsx --crosswalk gecis.csv --previous plan_2021.xlsx

A checked workbook is read by every command that takes a plan (``gcdb catalogue --plan plan.xlsx``,
``gcdb budget --catalogue plan.xlsx``) and by ``Catalogue.load("plan.xlsx")``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers) -> None:
    from gcdb.cli.main import add_lang_option
    from gcdb.i18n import t

    parser = subparsers.add_parser("plan", help=t("cli.plan.help"), description=t("cli.plan.description"))
    sub = parser.add_subparsers(
        dest="plan_command", metavar=t("cli.metavar.action"), title=t("cli.subcommands")
    )
    file = t("cli.metavar.file")
    tpl = sub.add_parser("template", help=t("cli.plan.template"), description=t("cli.plan.template"))
    tpl.add_argument("--out", required=True, type=Path, metavar=file, help=t("cli.plan.out"))
    tpl.add_argument("--from", dest="source", metavar=t("cli.metavar.plan"), help=t("cli.plan.from"))
    add_lang_option(tpl)
    tpl.set_defaults(func=run_template)
    chk = sub.add_parser("check", help=t("cli.plan.check"), description=t("cli.plan.check"))
    chk.add_argument("plan", type=Path, metavar=t("cli.metavar.plan"), help=t("cli.plan.plan"))
    chk.add_argument("--crosswalk", type=Path, metavar=file, help=t("cli.plan.crosswalk"))
    chk.add_argument("--previous", metavar=t("cli.metavar.plan"), help=t("cli.plan.previous"))
    chk.add_argument("--limit", type=int, default=50, metavar="N", help=t("cli.opt.limit"))
    add_lang_option(chk)
    chk.set_defaults(func=run_check)
    from gcdb.cli.costing import register_plan_subcommands

    register_plan_subcommands(sub)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _load(spec: str | Path | None):
    from gcdb.catalogue import Catalogue

    if spec is None or str(spec).lower() == "ibb":
        return Catalogue.load()
    return Catalogue.load(spec)


def run_template(args: argparse.Namespace) -> int:
    from gcdb.catalogue import write_plan_workbook
    from gcdb.errors import UsageError
    from gcdb.i18n import Message, t

    if args.out.suffix.lower() != ".xlsx":
        raise UsageError(Message("cli.plan.out_xlsx", path=str(args.out)))
    catalogue = _load(args.source) if args.source else None
    write_plan_workbook(args.out, catalogue)
    print(t("cli.plan.written", path=str(args.out)))
    return 0


def run_check(args: argparse.Namespace) -> int:
    from gcdb.catalogue import read_crosswalk
    from gcdb.errors import CatalogueError, UsageError, format_issues
    from gcdb.i18n import Message, format_int, t

    if (args.crosswalk is None) != (args.previous is None):
        raise UsageError(Message("cli.plan.together"))
    try:
        plan = _load(args.plan)
    except CatalogueError as exc:
        issues = getattr(exc, "issues", None)
        if issues is None:
            raise
        print(t("cli.plan.invalid", n=format_int(len(issues))), file=sys.stdout)
        print(format_issues(issues, limit=args.limit), file=sys.stdout)
        return 1
    print(t("cli.plan.valid", plan=plan.describe()))
    if args.crosswalk is not None:
        crosswalk = read_crosswalk(args.crosswalk, _load(args.previous), plan)
        print(t("cli.plan.crosswalk_valid", cw=crosswalk.describe()))
        if len(crosswalk.warnings):
            print(t("cli.plan.unmapped", n=format_int(len(crosswalk.warnings))))
            print(format_issues(crosswalk.warnings, limit=args.limit))
    return 0
