"""``gcdb plan cost``: from costed plan actions to budget lines, the rules that find them, and the comparison.

    gcdb plan cost maliyet.csv --out teklif/                     # validate, totals, proposal, rules
    gcdb plan cost maliyet.csv --exclude butce_2023.csv          # rules that match no line of last year's budget
    gcdb plan cost maliyet.csv --budget butce_2024.csv           # … and costed vs appropriated vs executed

Writes tidy tables (CSV, UTF-8, money in integer kuruş) to ``--out``: ``costing_lines``, ``costing_issues``,
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
    parser.add_argument("costing", type=Path, help="costing lines (.csv, .xlsx, .parquet)")
    parser.add_argument("--out", type=Path, default=Path("gcdb-out") / "maliyet", help="output folder")
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
    parser.set_defaults(func=run_cost)


def run_cost(args: argparse.Namespace) -> int:
    import pandas as pd

    import gcdb
    from gcdb import columns as C
    from gcdb.costing import compare_costing, costing_totals, proposal_rules, propose_budget, read_costing
    from gcdb.errors import format_issues
    from gcdb.read import format_kurus

    lang, out = args.lang, args.out
    catalogue = gcdb.Catalogue.load(args.catalogue)
    costing = read_costing(args.costing, catalogue=catalogue, sheet=args.sheet)
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
    tables = {
        "costing_lines": costing.data,
        "costing_issues": costing.issues,
        "costing_quarantine": costing.quarantine,
    }
    if costing.data.empty:
        _write(tables, out)
        return 1
    totals = costing_totals(costing)
    tables["costing_totals"] = totals
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

    proposal = propose_budget(costing, marker=not args.no_marker)
    tables |= {
        "proposal_lines": proposal.lines,
        "proposal_wide": proposal.wide(),
        "proposal_links": proposal.links,
    }
    print(
        _t(
            "proposal", lang, n=proposal.lines[C.LINE_ID].nunique(), y=proposal.lines[C.FISCAL_YEAR].nunique()
        ),
        file=stdout,
    )
    exclude = gcdb.read_budget(args.exclude).data if args.exclude else None
    generated = proposal_rules(proposal, plan=catalogue.meta.plan_id, catalogue=catalogue, exclude=exclude)
    rules_path, _ = generated.write(out / f"{args.rules_name}.yaml")
    tables["rule_collisions"] = generated.collisions
    print(_t("rules", lang, n=len(generated.rules), p=rules_path), file=stdout)
    if len(generated.collisions):
        print(_t("collisions", lang, n=len(generated.collisions)), file=stdout)

    if args.budget:
        budget = gcdb.read_budget(args.budget)
        if not budget.ok:
            print(format_issues(budget.errors, limit=20), file=stdout)
        tagged = gcdb.tag(budget.data, generated.ruleset)
        print(_t("found", lang, n=int(tagged.rows["tagged"].sum()), t=len(budget.data)), file=stdout)
        comparison = compare_costing(costing, budget.data, tagged, proposal=proposal, rules=generated)
        tables |= comparison.tables()
        for note in comparison.notes(lang):
            print("  " + note, file=stdout)
    _write(tables, out)
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
