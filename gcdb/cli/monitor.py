"""``gcdb monitor``: plan monitoring — blank returns, collecting them, and the analysis.

    gcdb monitor templates --year 2024 --out formlar/              # one return per responsible unit
    gcdb monitor collect gelen/ --year 2024 --out toplanan_2024/     # read the returned files
    gcdb monitor report toplanan_2023/ toplanan_2024/ --budget butce.parquet --workforce personel.csv \\
        --out izleme/                                              # the report workbook and tidy tables
    gcdb monitor report --demo --out izleme/                       # the demo municipality's returns
    gcdb monitor indicators                                        # indicator kinds: what is computable

Exit codes: 0 success; 1 data problems (returns with errors: the outputs are still written from the valid rows,
the errors are printed with file and cell); 2 wrong usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

LANGS = ("tr", "en")


def register(subparsers) -> None:
    from gcdb.i18n import t

    parser = subparsers.add_parser(
        "monitor", help=t("cli.monitor.help"), description=t("cli.monitor.description")
    )
    sub = parser.add_subparsers(
        dest="monitor_command",
        metavar=t("cli.metavar.subcommand"),
        title=t("cli.subcommands"),
        parser_class=type(parser),
    )
    file, folder = t("cli.metavar.file"), t("cli.metavar.dir")

    text = t("cli.monitor.templates")
    p = sub.add_parser("templates", help=text, description=text)
    p.add_argument(
        "--year", type=int, required=True, metavar=t("cli.metavar.year"), help=t("cli.monitor.templates_year")
    )
    p.add_argument("--out", type=Path, required=True, metavar=folder, help=t("cli.monitor.templates_out"))
    _plan_options(p)
    p.set_defaults(func=run_templates)

    text = t("cli.monitor.collect")
    p = sub.add_parser("collect", help=text, description=text)
    p.add_argument(
        "paths", nargs="+", type=Path, metavar=t("cli.metavar.path"), help=t("cli.monitor.collect_paths")
    )
    p.add_argument(
        "--year",
        type=int,
        required=True,
        action="append",
        metavar=t("cli.metavar.year"),
        help=t("cli.monitor.collect_year"),
    )
    p.add_argument("--out", type=Path, required=True, metavar=folder, help=t("cli.monitor.collect_out"))
    _plan_options(p)
    p.set_defaults(func=run_collect)

    text = t("cli.monitor.report")
    p = sub.add_parser("report", help=text, description=text)
    p.add_argument("collected", nargs="*", type=Path, metavar=folder, help=t("cli.monitor.report_collected"))
    p.add_argument("--demo", action="store_true", help=t("cli.monitor.report_demo"))
    p.add_argument("--budget", type=Path, metavar=file, help=t("cli.monitor.report_budget"))
    p.add_argument("--rules", type=Path, metavar=file, help=t("cli.monitor.report_rules"))
    p.add_argument("--workforce", type=Path, metavar=file, help=t("cli.monitor.report_workforce"))
    p.add_argument("--k", type=int, default=5, help=t("cli.monitor.report_k"))
    p.add_argument("--out", type=Path, required=True, metavar=folder, help=t("cli.monitor.report_out"))
    _plan_options(p, units=False)
    p.set_defaults(func=run_report)

    text = t("cli.monitor.indicators")
    p = sub.add_parser("indicators", help=text, description=text)
    p.add_argument("--out", type=Path, metavar=file, help=t("cli.monitor.indicators_out"))
    _plan_options(p, units=False)
    p.set_defaults(func=run_indicators)
    parser.set_defaults(func=_help(parser))


def _help(parser):
    def show(args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    return show


def _plan_options(p, *, units: bool = True) -> None:
    from gcdb.cli.main import add_lang_option
    from gcdb.i18n import t

    p.add_argument("--plan", type=Path, metavar=t("cli.metavar.dir"), help=t("cli.monitor.plan"))
    if units:
        p.add_argument("--unit", action="append", metavar=t("cli.metavar.unit"), help=t("cli.monitor.unit"))
    add_lang_option(p, "cli.monitor.lang")


def _catalogue(args):
    from gcdb.catalogue import Catalogue
    from gcdb.errors import UsageError
    from gcdb.i18n import Message

    if args.plan is not None and not args.plan.is_dir():
        raise UsageError(Message("cli.monitor.plan_not_dir", path=str(args.plan)))
    return Catalogue.load(args.plan)


def run_templates(args: argparse.Namespace) -> int:
    from gcdb.i18n import format_int, t
    from gcdb.monitor import write_templates

    if args.out.exists() and not args.out.is_dir():
        from gcdb.errors import UsageError
        from gcdb.i18n import Message

        raise UsageError(Message("cli.report.out_dir", path=str(args.out)))
    written = write_templates(_catalogue(args), args.year, args.out, units=args.unit, lang=args.lang)
    print(t("cli.monitor.written", args.lang, n=format_int(len(written), args.lang), out=str(args.out)))
    return 0


def _print_issues(issues, lang: str, limit: int = 40) -> None:
    from gcdb import columns as C
    from gcdb.errors import severity_label

    shown = issues.head(limit)
    for rec in shown.to_dict("records"):
        where = rec[C.ISSUE_FILE] + (f" {rec['cell']}" if rec.get("cell") else "")
        severity = severity_label(rec[C.ISSUE_SEVERITY], lang)
        print(
            f"  {severity:7} {rec[C.ISSUE_CODE]:28} {where}: {rec[C.ISSUE_MESSAGE]}",
            file=sys.stderr,
        )
    if len(issues) > limit:
        print(f"  … {len(issues) - limit}", file=sys.stderr)


def _summarise(collection, lang: str) -> bool:
    from gcdb import columns as C
    from gcdb.i18n import format_int, t
    from gcdb.monitor import names as N

    r = collection.returns
    n, used, refused = len(r), int(r["used"].sum()), int(r["refused"].sum())
    print(
        t(
            "cli.monitor.files",
            lang,
            n=format_int(n, lang),
            used=format_int(used, lang),
            refused=format_int(refused, lang),
        )
    )
    for year in collection.years:
        u = collection.units[collection.units[C.FISCAL_YEAR] == year]
        counts = u[N.RETURN_STATUS].value_counts()
        print(
            t(
                "cli.monitor.units",
                lang,
                year=year,
                complete=format_int(int(counts.get(N.RECEIVED, 0)), lang),
                incomplete=format_int(int(counts.get(N.INCOMPLETE, 0)), lang),
                missing=format_int(int(counts.get(N.NOT_RETURNED, 0)), lang),
                refused=format_int(int(counts.get(N.REFUSED, 0)), lang),
            )
        )
        missing = u.loc[u[N.RETURN_STATUS] == N.NOT_RETURNED, N.UNIT_ID]
        if len(missing):
            print("  " + t("cli.monitor.missing", lang, units=", ".join(missing)))
    issues = collection.issues
    errors = int((issues[C.ISSUE_SEVERITY] == C.ERROR).sum())
    print(_issue_counts(errors, len(issues) - errors, lang))
    _print_issues(issues, lang)
    return errors == 0


def run_collect(args: argparse.Namespace) -> int:
    from gcdb.monitor import collect_returns

    collection = collect_returns(
        args.paths, _catalogue(args), years=args.year, units=args.unit, lang=args.lang
    )
    collection.write(args.out)
    ok = _summarise(collection, args.lang)
    return 0 if ok else 1


def _demo_collection(catalogue, lang: str):
    from gcdb import paths
    from gcdb.monitor import collect_returns, combine

    folder = paths.demo() / "monitoring"
    import yaml

    manifest = yaml.safe_load((folder / "planted.yaml").read_text(encoding="utf-8"))
    return combine(
        collect_returns([folder / str(y)], catalogue, years=[y], units=manifest["units"], lang=lang)
        for y in manifest["years"]
    ), folder


def _budget_analysis(path: Path, rules: Path | None, catalogue):
    from gcdb import paths
    from gcdb.budget import analyse_budget
    from gcdb.errors import DataValidationError
    from gcdb.i18n import Message
    from gcdb.read import read_budget
    from gcdb.rules import load_ruleset, tag

    result = read_budget(path)
    if not result.ok:
        raise DataValidationError(Message("cli.monitor.budget_errors", path=str(path)), result.issues)
    ruleset = load_ruleset(rules or paths.rules() / "ibb_yeep_2021_budget.yaml", catalogue=catalogue)
    return analyse_budget(result.data, tag(result.data, ruleset), plan_actions=catalogue.budget_actions())


def run_report(args: argparse.Namespace) -> int:
    from gcdb import columns as C
    from gcdb import paths
    from gcdb.errors import DataValidationError, UsageError
    from gcdb.i18n import Message
    from gcdb.monitor import analyse_monitoring, combine, names, read_collection
    from gcdb.read.workforce import read_workforce

    if args.k < 1:
        raise UsageError(Message("cli.report.k_positive", k=args.k))
    catalogue = _catalogue(args)
    if args.demo:
        collection, folder = _demo_collection(catalogue, args.lang)
        budget_path = args.budget or paths.demo() / "budget.parquet"
        workforce_path = args.workforce or folder / "workforce.csv"
    else:
        if not args.collected:
            raise UsageError(Message("cli.monitor.report_needs"))
        collection = combine(read_collection(d) for d in args.collected)
        budget_path, workforce_path = args.budget, args.workforce
    budget = _budget_analysis(budget_path, args.rules, catalogue) if budget_path else None
    workforce = None
    if workforce_path:
        read = read_workforce(workforce_path)
        if read.refused:
            raise DataValidationError(
                Message("cli.monitor.workforce_refused", path=str(workforce_path)), read.issues
            )
        workforce = read.data
    analysis = analyse_monitoring(
        collection, catalogue, budget=budget, workforce=workforce, k=args.k, lang=args.lang
    )
    from gcdb.i18n import format_int, t
    from gcdb.report.monitoring import write_monitoring_workbook

    workbook = args.out / t("file.monitoring", args.lang)
    written = write_monitoring_workbook(
        workbook, analysis, tables=args.out, lang=args.lang, areas=_area_names(catalogue)
    )
    print(t("cli.monitor.workbook", args.lang, path=str(workbook)))
    print(
        t(
            "cli.monitor.tables",
            args.lang,
            n=format_int((len(written) - 1) // 2, args.lang),
            out=str(args.out),
        )
    )
    if budget is not None:
        for year in analysis.years:
            m = analysis.money_summary
            m = m[(m[C.FISCAL_YEAR] == year) & (m["phase"] == C.REVISED_APPROPRIATION)]
            print(t("cli.monitor.money", args.lang, year=year))
            for rec in m.to_dict("records"):
                print(f"  {names.label(rec['category'], args.lang):40} {rec['actions']:5d}")
    errors = int((analysis.issues[C.ISSUE_SEVERITY] == C.ERROR).sum())
    print(_issue_counts(errors, len(analysis.issues) - errors, args.lang))
    return 0


def _issue_counts(errors: int, warnings: int, lang: str) -> str:
    from gcdb.i18n import format_int, t

    return t("cli.monitor.issues", lang, errors=format_int(errors, lang), warnings=format_int(warnings, lang))


def _area_names(catalogue) -> dict[int, str]:
    areas = catalogue.areas
    return dict(zip(areas["area"].astype(int), areas["name"].astype("str"), strict=True))


def run_indicators(args: argparse.Namespace) -> int:
    from gcdb.i18n import format_int, t
    from gcdb.monitor import indicator_plan, kind_counts
    from gcdb.monitor import names as N

    plan = indicator_plan(_catalogue(args))
    counts = kind_counts(plan)
    for rec in counts.to_dict("records"):
        print(f"  {N.label(rec['kind'], args.lang):24} {rec['indicators']:4d} {rec['computable']:4d}")
    computable = int(plan[N.COMPUTABLE].sum())
    print(
        t(
            "cli.monitor.kinds",
            args.lang,
            total=format_int(len(plan), args.lang),
            computable=format_int(computable, args.lang),
        )
    )
    if args.out is not None:
        plan.to_csv(args.out, index=False, encoding="utf-8", lineterminator="\n")
    return 0
