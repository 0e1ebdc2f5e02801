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

_TEXT = {
    "read": ("Maliyet tablosu", "Costing table"),
    "lines": (
        "{n} maliyet satırı geçerli, {q} karantinada; {e} hata, {w} uyarı",
        "{n} costing lines valid, {q} quarantined; {e} errors, {w} warnings",
    ),
    "total": ("Toplam maliyet {y}: {tl} TL ({a} eylem)", "Total costed {y}: {tl} TL ({a} actions)"),
    "proposal": ("Bütçe teklifi: {n} satır, {y} yıl", "Budget proposal: {n} lines over {y} year(s)"),
    "rules": ("Kural seti: {n} kural → {p}", "Rule set: {n} rules → {p}"),
    "collisions": (
        "Uyarı: {n} bütçe satırı kurallarla çakışıyor (rule_collisions.csv)",
        "Warning: {n} budget lines collide with the rules (rule_collisions.csv)",
    ),
    "found": ("Kurallarla bulunan bütçe satırı: {n} / {t}", "Budget lines found by the rules: {n} of {t}"),
    "written": ("Yazılan dosyalar: {d}", "Files written: {d}"),
    "workbook": ("Maliyet ve Bütçe Teklifi Raporu: {p}", "Costing and Budget Proposal Report: {p}"),
    "templates": ("{n} maliyet formu yazıldı: {d}", "{n} costing workbooks written to {d}"),
}


def _t(key: str, lang: str, **values) -> str:
    pair = _TEXT[key]
    return (pair[0] if lang == "tr" else pair[1]).format(**values)


def register_plan_subcommands(plan_subparsers) -> None:
    """Add ``cost`` to the subcommands of ``gcdb plan`` (called by :mod:`gcdb.cli.plan`)."""
    parser = plan_subparsers.add_parser(
        "cost",
        help="costing → budget proposal, the rules that find it, costed vs appropriated vs executed",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument(
        "costing",
        nargs="+",
        type=Path,
        help="costing lines (.csv, .xlsx, .parquet) or filled costing workbooks (files or folders); "
        "'template' writes the blank workbooks",
    )
    parser.add_argument(
        "--out", type=Path, help="output folder (default: gcdb-out/maliyet, gcdb-out/maliyet_formlari)"
    )
    parser.add_argument(
        "--catalogue", type=Path, metavar="DIR", help="plan catalogue folder (default: İBB YEEP)"
    )
    parser.add_argument("--sheet", help="Excel sheet of the costing (default: the first)")
    parser.add_argument(
        "--rules-name", default="teklif_kurallari", metavar="NAME", help="file name of the generated rule set"
    )
    parser.add_argument(
        "--exclude", type=Path, metavar="BUDGET", help="budget lines the rules must not match"
    )
    parser.add_argument(
        "--budget", type=Path, metavar="BUDGET", help="the adopted and executed budget to compare"
    )
    parser.add_argument(
        "--no-marker", action="store_true", help="do not append the action code to descriptions"
    )
    parser.add_argument(
        "--lang", choices=("tr", "en"), default="tr", help="language of the messages (default tr)"
    )
    template = parser.add_argument_group("template (gcdb plan cost template …)")
    template.add_argument(
        "--unit", action="append", metavar="UNIT", help="only this unit (id, name or alias; repeat)"
    )
    template.add_argument("--years", metavar="FROM-TO", help="the years costed, e.g. 2025-2026")
    template.add_argument(
        "--lines-per-action", type=int, default=3, metavar="N", help="blank cost lines per action (default 3)"
    )
    parser.set_defaults(func=run_cost)


TEMPLATE = "template"


def _years(text: str | None):
    import re

    from gcdb.errors import UsageError

    found = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", text or "")
    if not found:
        raise UsageError(f"--years must look like 2025-2026 (or 2025), got {text!r}")
    first = int(found.group(1))
    last = int(found.group(2) or first)
    if last < first or last - first >= 10:
        raise UsageError(f"--years {text}: give at most ten years, the first year first")
    return first, last


def run_template(args: argparse.Namespace) -> int:
    import gcdb
    from gcdb.costing.workbook import write_costing_templates
    from gcdb.errors import UsageError

    if len(args.costing) != 1:
        raise UsageError("gcdb plan cost template takes no file; give --years, --out and optionally --unit")
    out = args.out or Path("gcdb-out") / "maliyet_formlari"
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    catalogue = gcdb.Catalogue.load(args.catalogue)
    written = write_costing_templates(
        catalogue,
        out,
        years=_years(args.years),
        units=args.unit,
        lines_per_action=args.lines_per_action,
        lang=args.lang,
    )
    print(_t("templates", args.lang, n=len(written), d=out))
    return 0


def _read(args: argparse.Namespace, catalogue):
    """The costing: filled costing workbooks (folders, or .xlsx copies of the form), else one table file."""
    from gcdb.costing import read_costing
    from gcdb.costing.workbook import is_costing_form, read_costing_forms
    from gcdb.errors import UsageError

    paths = list(args.costing)
    forms = [p for p in paths if p.is_dir() or is_costing_form(p)]
    if forms:
        if len(forms) != len(paths):
            raise UsageError("give either filled costing workbooks (files or folders) or one costing table")
        return read_costing_forms(paths, catalogue=catalogue, lang=args.lang)
    if len(paths) != 1:
        raise UsageError("give one costing table (.csv, .xlsx, .parquet), or costing workbooks")
    return read_costing(paths[0], catalogue=catalogue, sheet=args.sheet)


def run_cost(args: argparse.Namespace) -> int:
    import pandas as pd

    import gcdb
    from gcdb import columns as C
    from gcdb.costing.run import cost_plan
    from gcdb.errors import format_issues
    from gcdb.i18n import t
    from gcdb.read import format_kurus
    from gcdb.report.costing import write_costing_workbook

    if str(args.costing[0]) == TEMPLATE and not args.costing[0].exists():
        return run_template(args)
    from gcdb.errors import UsageError

    if args.unit or args.years:
        raise UsageError("--unit and --years go with 'gcdb plan cost template'")
    lang = args.lang
    out = args.out or Path("gcdb-out") / "maliyet"
    catalogue = gcdb.Catalogue.load(args.catalogue)
    costing = _read(args, catalogue)
    stdout = sys.stdout
    print(f"{_t('read', lang)}: {costing.source}", file=stdout)
    rows = costing.reconciliation.set_index("measure").loc["rows"]
    print(
        "  "
        + _t(
            "lines",
            lang,
            n=rows["valid"],
            q=rows["quarantined"],
            e=len(costing.errors),
            w=len(costing.warnings),
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
        year = (
            rec[C.FISCAL_YEAR]
            if pd.notna(rec[C.FISCAL_YEAR])
            else ("tüm yıllar" if lang == "tr" else "all years")
        )
        actions = (
            costing.data
            if pd.isna(rec[C.FISCAL_YEAR])
            else costing.data[costing.data[C.FISCAL_YEAR] == rec[C.FISCAL_YEAR]]
        )
        print(
            "  "
            + _t(
                "total",
                lang,
                y=year,
                tl=format_kurus(rec["costed"], lang),
                a=actions[C.ACTION_CODE].nunique(),
            ),
            file=stdout,
        )
    proposal = run.proposal
    print(
        _t(
            "proposal", lang, n=proposal.lines[C.LINE_ID].nunique(), y=proposal.lines[C.FISCAL_YEAR].nunique()
        ),
        file=stdout,
    )
    print(_t("rules", lang, n=len(run.rules.rules), p=run.rules_path), file=stdout)
    if len(run.rules.collisions):
        print(_t("collisions", lang, n=len(run.rules.collisions)), file=stdout)
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
        print(_t("found", lang, n=run.lines_found, t=len(run.tagging.rows)), file=stdout)
        tables |= run.comparison.tables()
        for note in run.comparison.notes(lang):
            print("  " + note, file=stdout)
    _write(tables, out)
    workbook = out / t("file.costing", lang)
    write_costing_workbook(workbook, run, lang=lang)
    print(_t("workbook", lang, p=workbook), file=stdout)
    print(_t("written", lang, d=out), file=stdout)
    return 0 if costing.ok else 1


def _write(tables: dict, out: Path) -> None:
    for name, table in tables.items():
        table.to_csv(out / f"{name}.csv", index=False, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``gcdb plan`` with only the ``cost`` subcommand (until :mod:`gcdb.cli.plan` registers it)."""
    from gcdb.cli.main import _Parser

    parser = _Parser(prog="gcdb plan")
    register_plan_subcommands(
        parser.add_subparsers(dest="plan_command", metavar="SUBCOMMAND", parser_class=_Parser)
    )
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return run_guarded(args)


def run_guarded(args: argparse.Namespace) -> int:
    """Run a parsed command the way ``gcdb`` does: usage errors exit 2, data errors 1, no traceback."""
    from gcdb.errors import GcdbError, UsageError

    try:
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(f"gcdb: error: {exc}", file=sys.stderr)
        return 2
    except GcdbError as exc:
        print(f"gcdb: {exc}", file=sys.stderr)
        return 1
