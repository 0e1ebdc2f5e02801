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
    parser = subparsers.add_parser(
        "report",
        help="web reports: the council report and the citizen budget (HTML, offline, every language)",
        description="Write reports for people who do not open workbooks. Exit code 0: written; 1: data "
        "problems; 2: wrong usage.",
    )
    sub = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    html = sub.add_parser(
        "html",
        help="the council report and the citizen budget as self-contained web pages",
        description=__doc__.split("\n\n")[-1],
    )
    html.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder for the pages")
    html.add_argument("--budget", type=Path, metavar="FILE", help="budget lines (default: the demo's)")
    html.add_argument("--usage", type=Path, metavar="FILE", help="service-usage records")
    html.add_argument("--population", type=Path, metavar="FILE", help="population baseline")
    html.add_argument("--budget-rules", type=Path, metavar="YAML", help="budget rule set")
    html.add_argument("--service-rules", type=Path, metavar="YAML", help="services rule set")
    html.add_argument("--services", type=Path, metavar="CSV", help="service catalogue")
    html.add_argument(
        "--lang", default="", help="languages, comma-separated (default: every catalogue language)"
    )
    html.add_argument("--workbooks", type=Path, metavar="DIR", help="link the pages to the workbooks in DIR")
    html.add_argument("--k", type=int, default=5, help="suppress published counts below k (default: 5)")
    html.add_argument("--quiet", action="store_true", help="no progress messages")
    html.set_defaults(func=run)


def _inputs(args: argparse.Namespace):
    from dataclasses import replace

    from gcdb.errors import UsageError
    from gcdb.pipeline import Inputs, demo_inputs

    given = [args.budget, args.usage, args.population]
    if not any(given):
        inputs = demo_inputs()
    elif not all(given):
        raise UsageError("give --budget, --usage and --population together (or none of them for the demo)")
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
    from gcdb.pipeline import pipeline_steps, run_pipeline, write_web

    langs = [x.strip() for x in args.lang.split(",") if x.strip()] or list(i18n.languages())
    for lang in langs:
        i18n.check_lang(lang)
    if args.k < 1:
        raise UsageError(f"--k must be 1 or more, got {args.k}")
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out}: exists and is not a directory")
    ui = "tr" if "tr" in langs or langs[0] not in ("en",) else "en"
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
