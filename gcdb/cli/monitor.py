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

_TEXT = {
    "written": ("{n} form yazıldı: {out}", "{n} forms written to {out}"),
    "files": (
        "{n} dosya okundu ({used} kullanıldı, {refused} okunmadı)",
        "{n} files read ({used} used, {refused} refused)",
    ),
    "units": (
        "Birimler ({year}): {complete} tam, {incomplete} eksik, {missing} göndermedi, {refused} okunamadı",
        "Units ({year}): {complete} complete, {incomplete} incomplete, {missing} not returned, {refused} refused",
    ),
    "missing": ("  göndermeyen: {units}", "  not returned: {units}"),
    "issues": ("{errors} hata, {warnings} uyarı", "{errors} errors, {warnings} warnings"),
    "tables": ("{n} tablo yazıldı: {out}", "{n} tables written to {out}"),
    "workbook": ("İzleme ve Değerlendirme Raporu: {path}", "Monitoring and Evaluation Report: {path}"),
    "money": (
        "Ödenek ve uygulama ({year}, revize ödenek):",
        "Money and implementation ({year}, revised appropriation):",
    ),
    "kinds": (
        "{total} göstergeden {computable} tanesi toplanan değerlerle hesaplanabilir",
        "{computable} of {total} indicators are computable from collected values",
    ),
}


def _t(key: str, lang: str, **values) -> str:
    return _TEXT[key][0 if lang == "tr" else 1].format(**values)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "monitor",
        help="plan monitoring: blank returns, collecting them, the analysis",
        description=__doc__.split("\n\n")[0],
    )
    sub = parser.add_subparsers(dest="monitor_command", metavar="SUBCOMMAND", parser_class=type(parser))

    p = sub.add_parser("templates", help="write one blank monitoring return per responsible unit")
    p.add_argument("--year", type=int, required=True, help="the fiscal year the returns are for")
    p.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder to write the workbooks into"
    )
    _plan_options(p)
    p.set_defaults(func=run_templates)

    p = sub.add_parser("collect", help="read returned monitoring forms (files or folders)")
    p.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="returned .xlsx files or folders of them"
    )
    p.add_argument("--year", type=int, required=True, action="append", help="year(s) collected (repeat)")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the collected tables")
    _plan_options(p)
    p.set_defaults(func=run_collect)

    p = sub.add_parser(
        "report", help="analyse collected returns; write the İzleme ve Değerlendirme Raporu and tidy tables"
    )
    p.add_argument(
        "collected", nargs="*", type=Path, metavar="DIR", help="folders written by 'monitor collect'"
    )
    p.add_argument("--demo", action="store_true", help="the demo municipality's returns, budget and staff")
    p.add_argument(
        "--budget", type=Path, metavar="FILE", help="budget lines, to join money with implementation"
    )
    p.add_argument(
        "--rules", type=Path, metavar="FILE", help="budget rule set (default: the shipped İBB rules)"
    )
    p.add_argument(
        "--workforce", type=Path, metavar="FILE", help="the workforce table (staff by unit and sex)"
    )
    p.add_argument("--k", type=int, default=5, help="hide staff counts below k (default: 5)")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the tables")
    _plan_options(p, units=False)
    p.set_defaults(func=run_report)

    p = sub.add_parser("indicators", help="the plan's indicators by kind: which are computable")
    p.add_argument("--out", type=Path, metavar="FILE", help="also write the classification as CSV")
    _plan_options(p, units=False)
    p.set_defaults(func=run_indicators)
    parser.set_defaults(func=_help(parser))


def _help(parser):
    def show(args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    return show


def _plan_options(p, *, units: bool = True) -> None:
    p.add_argument(
        "--plan", type=Path, metavar="DIR", help="equality-plan catalogue (default: the shipped İBB plan)"
    )
    if units:
        p.add_argument("--unit", action="append", metavar="UNIT_ID", help="only these units (repeat)")
    p.add_argument("--lang", choices=LANGS, default="tr", help="language of forms and messages (default: tr)")


def _catalogue(args):
    from gcdb.catalogue import Catalogue
    from gcdb.errors import UsageError

    if args.plan is not None and not args.plan.is_dir():
        raise UsageError(f"--plan {args.plan}: not a folder")
    return Catalogue.load(args.plan)


def run_templates(args: argparse.Namespace) -> int:
    from gcdb.monitor import write_templates

    if args.out.exists() and not args.out.is_dir():
        from gcdb.errors import UsageError

        raise UsageError(f"--out {args.out}: exists and is not a folder")
    written = write_templates(_catalogue(args), args.year, args.out, units=args.unit, lang=args.lang)
    print(_t("written", args.lang, n=len(written), out=args.out))
    return 0


def _print_issues(issues, lang: str, limit: int = 40) -> None:
    from gcdb import columns as C

    shown = issues.head(limit)
    for rec in shown.to_dict("records"):
        where = rec[C.ISSUE_FILE] + (f" {rec['cell']}" if rec.get("cell") else "")
        print(
            f"  {rec[C.ISSUE_SEVERITY]:7} {rec[C.ISSUE_CODE]:28} {where}: {rec[C.ISSUE_MESSAGE]}",
            file=sys.stderr,
        )
    if len(issues) > limit:
        print(f"  … {len(issues) - limit}", file=sys.stderr)


def _summarise(collection, lang: str) -> bool:
    from gcdb import columns as C
    from gcdb.monitor import names as N

    r = collection.returns
    print(_t("files", lang, n=len(r), used=int(r["used"].sum()), refused=int(r["refused"].sum())))
    for year in collection.years:
        u = collection.units[collection.units[C.FISCAL_YEAR] == year]
        counts = u[N.RETURN_STATUS].value_counts()
        print(
            _t(
                "units",
                lang,
                year=year,
                complete=int(counts.get(N.RECEIVED, 0)),
                incomplete=int(counts.get(N.INCOMPLETE, 0)),
                missing=int(counts.get(N.NOT_RETURNED, 0)),
                refused=int(counts.get(N.REFUSED, 0)),
            )
        )
        missing = u.loc[u[N.RETURN_STATUS] == N.NOT_RETURNED, N.UNIT_ID]
        if len(missing):
            print(_t("missing", lang, units=", ".join(missing)))
    issues = collection.issues
    errors = int((issues[C.ISSUE_SEVERITY] == C.ERROR).sum())
    print(_t("issues", lang, errors=errors, warnings=len(issues) - errors))
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
    from gcdb.read import read_budget
    from gcdb.rules import load_ruleset, tag

    result = read_budget(path)
    if not result.ok:
        raise DataValidationError(
            f"{path}: the budget has errors; fix them first ('gcdb validate budget')", result.issues
        )
    ruleset = load_ruleset(rules or paths.rules() / "ibb_yeep_2021_budget.yaml", catalogue=catalogue)
    return analyse_budget(result.data, tag(result.data, ruleset), plan_actions=catalogue.budget_actions())


def run_report(args: argparse.Namespace) -> int:
    from gcdb import columns as C
    from gcdb import paths
    from gcdb.errors import DataValidationError, UsageError
    from gcdb.monitor import analyse_monitoring, combine, names, read_collection
    from gcdb.read.workforce import read_workforce

    if args.k < 1:
        raise UsageError(f"--k must be 1 or more, got {args.k}")
    catalogue = _catalogue(args)
    if args.demo:
        collection, folder = _demo_collection(catalogue, args.lang)
        budget_path = args.budget or paths.demo() / "budget.parquet"
        workforce_path = args.workforce or folder / "workforce.csv"
    else:
        if not args.collected:
            raise UsageError("give the folders written by 'gcdb monitor collect', or --demo")
        collection = combine(read_collection(d) for d in args.collected)
        budget_path, workforce_path = args.budget, args.workforce
    budget = _budget_analysis(budget_path, args.rules, catalogue) if budget_path else None
    workforce = None
    if workforce_path:
        read = read_workforce(workforce_path)
        if read.refused:
            raise DataValidationError(f"{workforce_path}: the workforce table was refused", read.issues)
        workforce = read.data
    analysis = analyse_monitoring(
        collection, catalogue, budget=budget, workforce=workforce, k=args.k, lang=args.lang
    )
    from gcdb.i18n import t
    from gcdb.report.monitoring import write_monitoring_workbook

    workbook = args.out / t("file.monitoring", args.lang)
    written = write_monitoring_workbook(
        workbook, analysis, tables=args.out, lang=args.lang, areas=_area_names(catalogue)
    )
    print(_t("workbook", args.lang, path=workbook))
    print(_t("tables", args.lang, n=(len(written) - 1) // 2, out=args.out))
    if budget is not None:
        for year in analysis.years:
            m = analysis.money_summary
            m = m[(m[C.FISCAL_YEAR] == year) & (m["phase"] == C.REVISED_APPROPRIATION)]
            print(_t("money", args.lang, year=year))
            for rec in m.to_dict("records"):
                print(f"  {names.label(rec['category'], args.lang):40} {rec['actions']:5d}")
    errors = int((analysis.issues[C.ISSUE_SEVERITY] == C.ERROR).sum())
    print(_t("issues", args.lang, errors=errors, warnings=len(analysis.issues) - errors))
    return 0


def _area_names(catalogue) -> dict[int, str]:
    areas = catalogue.areas
    return dict(zip(areas["area"].astype(int), areas["name"].astype("str"), strict=True))


def run_indicators(args: argparse.Namespace) -> int:
    from gcdb.monitor import indicator_plan, kind_counts
    from gcdb.monitor import names as N

    plan = indicator_plan(_catalogue(args))
    counts = kind_counts(plan)
    for rec in counts.to_dict("records"):
        print(f"  {N.label(rec['kind'], args.lang):24} {rec['indicators']:4d} {rec['computable']:4d}")
    print(_t("kinds", args.lang, total=len(plan), computable=int(plan[N.COMPUTABLE].sum())))
    if args.out is not None:
        plan.to_csv(args.out, index=False, encoding="utf-8", lineterminator="\n")
    return 0
