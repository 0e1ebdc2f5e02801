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

_TEXT = {
    "written": ("Şablon yazıldı: {path}", "Template written: {path}"),
    "valid": ("Plan geçerli: {plan}", "The plan is valid: {plan}"),
    "invalid": ("Planda {n} sorun var:", "The plan has {n} problem(s):"),
    "crosswalk": ("Geçiş tablosu geçerli: {cw}", "The crosswalk is valid: {cw}"),
    "unmapped": (
        "Geçiş tablosunda olmayan {n} eylem (uyarı)",
        "{n} action(s) not in the crosswalk (warning)",
    ),
}


def _t(key: str, lang: str, **kw) -> str:
    pair = _TEXT[key]
    return (pair[0] if lang == "tr" else pair[1]).format(**kw)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "plan",
        help="equality plan as a spreadsheet: write the template, check a filled workbook",
        description=__doc__.split("\n\n")[0],
    )
    sub = parser.add_subparsers(dest="plan_command", metavar="ACTION")
    tpl = sub.add_parser("template", help="write the plan template (.xlsx)")
    tpl.add_argument("--out", required=True, type=Path, metavar="FILE", help="the workbook to write (.xlsx)")
    tpl.add_argument(
        "--from",
        dest="source",
        metavar="PLAN",
        help="fill it with a plan: a plan directory, a plan workbook, or 'ibb' (the shipped İBB plan)",
    )
    tpl.add_argument("--lang", choices=("tr", "en"), default="tr")
    tpl.set_defaults(func=run_template)
    chk = sub.add_parser("check", help="check a plan workbook (or directory)")
    chk.add_argument("plan", type=Path, help="the plan workbook (.xlsx) or directory")
    chk.add_argument(
        "--crosswalk", type=Path, metavar="FILE", help="a crosswalk from --previous to this plan"
    )
    chk.add_argument("--previous", metavar="PLAN", help="the earlier plan of the crosswalk ('ibb' = shipped)")
    chk.add_argument("--limit", type=int, default=50, help="most issues to print (default 50)")
    chk.add_argument("--lang", choices=("tr", "en"), default="tr")
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

    if args.out.suffix.lower() != ".xlsx":
        raise UsageError(f"--out must be an .xlsx file, got {args.out}")
    catalogue = _load(args.source) if args.source else None
    write_plan_workbook(args.out, catalogue)
    print(_t("written", args.lang, path=args.out))
    return 0


def run_check(args: argparse.Namespace) -> int:
    from gcdb.catalogue import read_crosswalk
    from gcdb.errors import CatalogueError, UsageError, format_issues

    if (args.crosswalk is None) != (args.previous is None):
        raise UsageError("--crosswalk and --previous go together")
    try:
        plan = _load(args.plan)
    except CatalogueError as exc:
        issues = getattr(exc, "issues", None)
        if issues is None:
            raise
        print(_t("invalid", args.lang, n=len(issues)), file=sys.stdout)
        print(format_issues(issues, limit=args.limit), file=sys.stdout)
        return 1
    print(_t("valid", args.lang, plan=repr(plan)))
    if args.crosswalk is not None:
        crosswalk = read_crosswalk(args.crosswalk, _load(args.previous), plan)
        print(_t("crosswalk", args.lang, cw=repr(crosswalk)))
        if len(crosswalk.warnings):
            print(_t("unmapped", args.lang, n=len(crosswalk.warnings)))
            print(format_issues(crosswalk.warnings, limit=args.limit))
    return 0
