"""``gcdb demo`` — the whole pipeline on the embedded synthetic demo municipality."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    from gcdb.cli.main import add_lang_option
    from gcdb.i18n import t

    p = subparsers.add_parser("demo", help=t("cli.demo.help"), description=t("cli.demo.description"))
    p.add_argument(
        "--out", type=Path, default=Path("gcdb-out"), metavar=t("cli.metavar.dir"), help=t("cli.demo.out")
    )
    add_lang_option(p, "cli.opt.report_lang")
    p.add_argument("--k", type=int, default=5, help=t("cli.report.k"))
    p.add_argument(
        "--csv-dialect",
        choices=("plain", "excel-tr"),
        default="plain",
        help=t("cli.budget.csv_dialect"),
    )
    p.add_argument("--quiet", action="store_true", help=t("cli.opt.quiet"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gcdb.cli.progress import Steps
    from gcdb.errors import UsageError
    from gcdb.i18n import Message
    from gcdb.pipeline import demo_inputs, pipeline_steps, run_pipeline

    if args.k < 1:
        raise UsageError(Message("cli.report.k_positive", k=args.k))
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(Message("cli.report.out_dir", path=str(args.out)))
    inputs = demo_inputs()
    steps = Steps(
        pipeline_steps(out=True, inputs=inputs), lang=args.lang, enabled=not args.quiet, stream=sys.stderr
    )
    result = run_pipeline(
        inputs, out=args.out, lang=args.lang, k=args.k, csv_dialect=args.csv_dialect, progress=steps
    )
    steps.done()
    print(result.summary(lang=args.lang))
    return 0 if result.ok else 1
