"""``gcdb plan cost``: from costed plan actions to budget lines, the rules that find them, and the comparison.

    gcdb plan cost template --years 2025-2026 --out formlar/     # one costing workbook per unit (gcdb.forms)
    gcdb plan cost template --unit saglik --unit ulasim --years 2025-2026 --out formlar/
    gcdb plan cost maliyet.csv --out teklif/                     # validate, totals, proposal, rules
    gcdb plan cost gelen_formlar/ --out teklif/                  # the filled costing workbooks (files or folders)
    gcdb plan cost maliyet.csv --exclude butce_2023.csv          # rules that match no line of last year's budget
    gcdb plan cost maliyet.csv --budget butce_2024.csv           # … and costed vs appropriated vs executed

Writes the costing report workbook (``maliyet_raporu.xlsx``: costed vs appropriated vs executed, the budget
proposal, the generated rules, data quality) and tidy tables (CSV, UTF-8, money in integer kuruş) to ``--out``:
``costing_lines``, ``costing_issues``,
``costing_quarantine``, ``costing_totals``, ``proposal_lines`` (a canonical budget frame), ``proposal_wide`` (one
column per year), ``proposal_links``, the generated rule set ``<name>.yaml`` with its ``<name>.cases.yaml``,
``rule_collisions``, and with ``--budget`` ``comparison`` and ``comparison_key_numbers``. Exit code 1 when the
costing has errors (the valid lines are still used), 2 for a wrong command line.

The ``plan`` command itself lives in :mod:`gcdb.cli.plan`; it calls :func:`register_plan_subcommands`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register_plan_subcommands(plan_subparsers) -> None:
    """Add ``cost`` to the subcommands of ``gcdb plan`` (called by :mod:`gcdb.cli.plan`)."""
    from gcdb.cli.main import add_lang_option
    from gcdb.i18n import t

    parser = plan_subparsers.add_parser(
        "cost", help=t("cli.cost.help"), description=t("cli.cost.description")
    )
    parser.add_argument(
        "costing",
        nargs="+",
        type=Path,
        metavar=t("cli.metavar.costing"),
        help=t("cli.cost.costing"),
    )
    parser.add_argument("--out", type=Path, metavar=t("cli.metavar.dir"), help=t("cli.cost.out"))
    parser.add_argument("--catalogue", type=Path, metavar=t("cli.metavar.dir"), help=t("cli.cost.catalogue"))
    parser.add_argument("--sheet", metavar=t("cli.metavar.sheet"), help=t("cli.cost.sheet"))
    parser.add_argument(
        "--rules-name",
        default="teklif_kurallari",
        metavar=t("cli.metavar.name"),
        help=t("cli.cost.rules_name"),
    )
    parser.add_argument("--exclude", type=Path, metavar=t("cli.metavar.file"), help=t("cli.cost.exclude"))
    parser.add_argument("--budget", type=Path, metavar=t("cli.metavar.file"), help=t("cli.cost.budget"))
    parser.add_argument("--no-marker", action="store_true", help=t("cli.cost.no_marker"))
    add_lang_option(parser)
    template = parser.add_argument_group(t("cli.cost.template_group"))
    template.add_argument(
        "--unit", action="append", metavar=t("cli.metavar.unit_name"), help=t("cli.cost.unit")
    )
    template.add_argument("--years", metavar=t("cli.metavar.years"), help=t("cli.cost.years"))
    template.add_argument(
        "--lines-per-action",
        type=int,
        default=3,
        metavar="N",
        help=t("cli.cost.lines_per_action"),
    )
    parser.set_defaults(func=run_cost)


TEMPLATE = "template"


def _years(text: str | None):
    import re

    from gcdb.errors import UsageError
    from gcdb.i18n import Message

    found = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", text or "")
    if not found:
        raise UsageError(Message("cli.cost.years_form", value=repr(text)))
    first = int(found.group(1))
    last = int(found.group(2) or first)
    if last < first or last - first >= 10:
        raise UsageError(Message("cli.cost.years_range", value=str(text)))
    return first, last


def run_template(args: argparse.Namespace) -> int:
    import gcdb
    from gcdb.costing.workbook import write_costing_templates
    from gcdb.errors import UsageError
    from gcdb.i18n import Message, format_int, t

    if len(args.costing) != 1:
        raise UsageError(Message("cli.cost.template_no_file"))
    out = args.out or Path("gcdb-out") / "maliyet_formlari"
    if out.exists() and not out.is_dir():
        raise UsageError(Message("cli.report.out_dir", path=str(out)))
    catalogue = gcdb.Catalogue.load(args.catalogue)
    written = write_costing_templates(
        catalogue,
        out,
        years=_years(args.years),
        units=args.unit,
        lines_per_action=args.lines_per_action,
        lang=args.lang,
    )
    print(t("cli.cost.templates", args.lang, n=format_int(len(written), args.lang), d=str(out)))
    return 0


def _read(args: argparse.Namespace, catalogue):
    """The costing: filled costing workbooks (folders, or .xlsx copies of the form), else one table file."""
    from gcdb.costing import read_costing
    from gcdb.costing.workbook import is_costing_form, read_costing_forms
    from gcdb.errors import UsageError
    from gcdb.i18n import Message

    paths = list(args.costing)
    forms = [p for p in paths if p.is_dir() or is_costing_form(p)]
    if forms:
        if len(forms) != len(paths):
            raise UsageError(Message("cli.cost.forms_or_table"))
        return read_costing_forms(paths, catalogue=catalogue, lang=args.lang)
    if len(paths) != 1:
        raise UsageError(Message("cli.cost.one_table"))
    return read_costing(paths[0], catalogue=catalogue, sheet=args.sheet)


def run_cost(args: argparse.Namespace) -> int:
    import pandas as pd

    import gcdb
    from gcdb import columns as C
    from gcdb.costing.run import cost_plan
    from gcdb.errors import format_issues
    from gcdb.i18n import Message, format_int, t
    from gcdb.read import format_kurus
    from gcdb.report.costing import write_costing_workbook

    if str(args.costing[0]) == TEMPLATE and not args.costing[0].exists():
        return run_template(args)
    from gcdb.errors import UsageError

    if args.unit or args.years:
        raise UsageError(Message("cli.cost.template_options"))
    lang = args.lang
    out = args.out or Path("gcdb-out") / "maliyet"
    catalogue = gcdb.Catalogue.load(args.catalogue)
    costing = _read(args, catalogue)
    stdout = sys.stdout
    print(t("cli.cost.read", lang, source=str(costing.source)), file=stdout)
    rows = costing.reconciliation.set_index("measure").loc["rows"]
    print(
        "  "
        + t(
            "cli.cost.lines",
            lang,
            n=format_int(int(rows["valid"]), lang),
            q=format_int(int(rows["quarantined"]), lang),
            e=format_int(len(costing.errors), lang),
            w=format_int(len(costing.warnings), lang),
        ),
        file=stdout,
    )
    if len(costing.errors):
        print(format_issues(costing.errors, limit=20), file=stdout)
    out.mkdir(parents=True, exist_ok=True)
    if costing.data.empty:
        _write(
            {
                "costing_lines": costing.data,
                "costing_issues": costing.issues,
                "costing_quarantine": costing.quarantine,
            },
            out,
        )
        return 1
    exclude = gcdb.read_budget(args.exclude).data if args.exclude else None
    budget = gcdb.read_budget(args.budget) if args.budget else None
    if budget is not None and not budget.ok:
        print(format_issues(budget.errors, limit=20), file=stdout)
    run = cost_plan(
        costing,
        catalogue=catalogue,
        exclude=exclude,
        budget=budget,
        marker=not args.no_marker,
        rules_path=out / f"{args.rules_name}.yaml",
    )
    totals = run.totals
    total = totals[(totals["level"] == "total") & (totals["scheme"] == "eu_cpr")]
    for rec in total.to_dict("records"):
        year = rec[C.FISCAL_YEAR] if pd.notna(rec[C.FISCAL_YEAR]) else t("cli.cost.all_years", lang)
        actions = (
            costing.data
            if pd.isna(rec[C.FISCAL_YEAR])
            else costing.data[costing.data[C.FISCAL_YEAR] == rec[C.FISCAL_YEAR]]
        )
        print(
            "  "
            + t(
                "cli.cost.total",
                lang,
                y=year,
                tl=format_kurus(rec["costed"], lang),
                a=format_int(actions[C.ACTION_CODE].nunique(), lang),
            ),
            file=stdout,
        )
    proposal = run.proposal
    print(
        t(
            "cli.cost.proposal",
            lang,
            n=format_int(proposal.lines[C.LINE_ID].nunique(), lang),
            y=format_int(proposal.lines[C.FISCAL_YEAR].nunique(), lang),
        ),
        file=stdout,
    )
    print(
        t("cli.cost.rules", lang, n=format_int(len(run.rules.rules), lang), p=str(run.rules_path)),
        file=stdout,
    )
    if len(run.rules.collisions):
        print(t("cli.cost.collisions", lang, n=format_int(len(run.rules.collisions), lang)), file=stdout)
    tables = {
        "costing_lines": costing.data,
        "costing_issues": costing.issues,
        "costing_quarantine": costing.quarantine,
        "costing_totals": totals,
        "proposal_lines": proposal.lines,
        "proposal_wide": proposal.wide(),
        "proposal_links": proposal.links,
        "rule_collisions": run.rules.collisions,
    }
    if run.comparison is not None:
        print(
            t(
                "cli.cost.found",
                lang,
                n=format_int(run.lines_found, lang),
                total=format_int(len(run.tagging.rows), lang),
            ),
            file=stdout,
        )
        tables |= run.comparison.tables()
        for note in run.comparison.notes(lang):
            print("  " + note, file=stdout)
    _write(tables, out)
    workbook = out / t("file.costing", lang)
    write_costing_workbook(workbook, run, lang=lang)
    print(t("cli.cost.workbook", lang, p=str(workbook)), file=stdout)
    print(t("cli.checklist.written", lang, path=str(out)), file=stdout)
    return 0 if costing.ok else 1


def _write(tables: dict, out: Path) -> None:
    for name, table in tables.items():
        table.to_csv(out / f"{name}.csv", index=False, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``gcdb plan`` with only the ``cost`` subcommand (until :mod:`gcdb.cli.plan` registers it)."""
    from gcdb.cli.main import _Parser
    from gcdb.i18n import t

    parser = _Parser(prog="gcdb plan")
    register_plan_subcommands(
        parser.add_subparsers(dest="plan_command", metavar=t("cli.metavar.subcommand"), parser_class=_Parser)
    )
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return run_guarded(args)


def run_guarded(args: argparse.Namespace) -> int:
    """Run a parsed command the way ``gcdb`` does: usage errors exit 2, data errors 1, no traceback."""
    from gcdb.errors import GcdbError, UsageError
    from gcdb.i18n import t

    try:
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(t("cli.error", message=exc.render()), file=sys.stderr)
        return 2
    except GcdbError as exc:
        print(f"gcdb: {exc.render()}", file=sys.stderr)
        return 1
