"""``gcdb demo`` — the whole pipeline on the embedded synthetic demo municipality."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "demo",
        help="run the whole pipeline on the embedded (synthetic) demo municipality",
        description=(
            "Validate, tag, analyse and report on the synthetic demo municipality shipped in datasets/demo: "
            "the TCDB and Hizmette Eşitlik workbooks, the monitoring (İzleme ve Değerlendirme), costing and "
            "checklist workbooks, the web reports (the council report and the citizen budget in every catalogue "
            "language, in web/) and the tidy tables are written to --out."
        ),
    )
    p.add_argument("--out", type=Path, default=Path("gcdb-out"), help="output directory (default: gcdb-out)")
    p.add_argument("--lang", choices=("tr", "en"), default="tr", help="report language (default: tr)")
    p.add_argument("--k", type=int, default=5, help="suppress published counts below k (default: 5)")
    p.add_argument(
        "--csv-dialect",
        choices=("plain", "excel-tr"),
        default="plain",
        help="CSV of the tables: plain (for programs; default) or excel-tr (Turkish Excel: ; and decimal comma)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gcdb.cli.progress import Steps
    from gcdb.errors import UsageError
    from gcdb.pipeline import demo_inputs, pipeline_steps, run_pipeline

    if args.k < 1:
        raise UsageError(f"--k must be 1 or more, got {args.k}")
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out}: exists and is not a directory")
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
