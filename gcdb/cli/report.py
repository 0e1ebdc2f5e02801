"""``gcdb report html``: the council report and the citizen budget as self-contained web pages.

    gcdb report html --out web/                       # the demo municipality, every catalogue language
    gcdb report html --budget butce.csv --usage kullanim.xlsx --population nufus.csv --lang tr,ar --out web/

Runs the pipeline on the inputs (default: the embedded demo municipality) and writes
``meclis_raporu.<lang>.html`` and ``vatandas_butcesi.<lang>.html`` into ``--out``: offline pages (no network, no
script), in every language of the translation catalogue unless ``--lang`` names some. ``--workbooks DIR`` links
the pages to the detailed workbooks in that folder. Exit code 0: written; 1: data problems; 2: wrong usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    from gcdb.i18n import t

    parser = subparsers.add_parser(
        "report", help=t("cli.report.help"), description=t("cli.report.description")
    )
    sub = parser.add_subparsers(
        dest="format", metavar=t("cli.metavar.format"), title=t("cli.subcommands"), required=True
    )
    html = sub.add_parser("html", help=t("cli.report.html"), description=t("cli.report.html_description"))
    file, folder = t("cli.metavar.file"), t("cli.metavar.dir")
    html.add_argument("--out", required=True, type=Path, metavar=folder, help=t("cli.report.out"))
    html.add_argument("--budget", type=Path, metavar=file, help=t("cli.report.budget"))
    html.add_argument("--usage", type=Path, metavar=file, help=t("cli.report.usage"))
    html.add_argument("--population", type=Path, metavar=file, help=t("cli.report.population"))
    html.add_argument("--budget-rules", type=Path, metavar="YAML", help=t("cli.budget.rules"))
    html.add_argument("--service-rules", type=Path, metavar="YAML", help=t("cli.report.service_rules"))
    html.add_argument("--services", type=Path, metavar="CSV", help=t("cli.report.services"))
    html.add_argument("--lang", default="", metavar=t("cli.metavar.langs"), help=t("cli.report.lang"))
    html.add_argument("--workbooks", type=Path, metavar=folder, help=t("cli.report.workbooks"))
    html.add_argument("--k", type=int, default=5, help=t("cli.report.k"))
    html.add_argument("--quiet", action="store_true", help=t("cli.opt.quiet"))
    html.set_defaults(func=run)


def _inputs(args: argparse.Namespace):
    from dataclasses import replace

    from gcdb.errors import UsageError
    from gcdb.i18n import Message
    from gcdb.pipeline import Inputs, demo_inputs

    given = [args.budget, args.usage, args.population]
    if not any(given):
        inputs = demo_inputs()
    elif not all(given):
        raise UsageError(Message("cli.report.together"))
    else:
        inputs = Inputs(
            budget=args.budget, usage=args.usage, population=args.population, services=args.services
        )
    changes = {
        name: value
        for name, value in (("budget_rules", args.budget_rules), ("service_rules", args.service_rules))
        if value is not None
    }
    return replace(inputs, **changes) if changes else inputs


def run(args: argparse.Namespace) -> int:
    from gcdb import i18n
    from gcdb.cli.progress import Steps
    from gcdb.errors import UsageError
    from gcdb.i18n import Message, current_lang
    from gcdb.pipeline import pipeline_steps, run_pipeline, write_web

    langs = [x.strip() for x in args.lang.split(",") if x.strip()] or list(i18n.languages())
    for lang in langs:
        i18n.check_lang(lang)
    if args.k < 1:
        raise UsageError(Message("cli.report.k_positive", k=args.k))
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(Message("cli.report.out_dir", path=str(args.out)))
    ui = current_lang()  # the command line's language (gcdb.i18n.cli.ui_lang: the first of --lang tr/en)
    steps = Steps(pipeline_steps(out=False) + 1, lang=ui, enabled=not args.quiet, stream=sys.stderr)
    result = run_pipeline(_inputs(args), k=args.k, progress=steps)
    steps(i18n.t("progress.web", ui))
    workbooks = []
    if args.workbooks is not None:
        for key, name in (("web.link.tcdb", "file.tcdb"), ("web.link.services", "file.services")):
            path = args.workbooks / i18n.t(name, ui)
            if path.is_file():
                workbooks.append((key, path))
    write_web(result, args.out, workbooks=workbooks, languages=langs)
    steps.done()
    for path in sorted(args.out.glob("*.html")):
        print(path)
    return 0 if result.ok else 1
