"""``gcdb validate {budget|usage|population} FILE``: read and check one input file, print what was found.

Prints the sheet read (Excel), the reconciliation (rows and amounts read, valid, quarantined, skipped) and the
issues table. ``--issues-out`` writes the issues as a CSV for Excel (UTF-8 with BOM; text that a spreadsheet would
run as a formula gets a leading apostrophe). Exit code 0 when
there are no errors (warnings allowed), 1 when there are errors (or, with ``--strict``, any issue at all),
2 for a wrong command line. A missing or unreadable file is a message and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gcdb.read import ReadResult

KINDS = ("budget", "usage", "population")


def register(subparsers) -> None:
    from gcdb.cli.main import add_lang_option, add_read_options
    from gcdb.i18n import t

    parser = subparsers.add_parser(
        "validate", help=t("cli.validate.help"), description=t("cli.validate.description")
    )
    parser.add_argument(
        "kind", choices=KINDS, metavar="{" + ",".join(KINDS) + "}", help=t("cli.validate.kind")
    )
    parser.add_argument("file", metavar=t("cli.metavar.file"), help=t("cli.validate.file"))
    parser.add_argument("--districts", metavar="CSV", help=t("cli.validate.districts"))
    parser.add_argument("--no-district-check", action="store_true", help=t("cli.validate.no_district_check"))
    parser.add_argument("--strict", action="store_true", help=t("cli.validate.strict"))
    add_lang_option(parser)
    add_read_options(parser)
    parser.add_argument(
        "--layout",
        choices=("auto", "odenek_cetveli", "ahp", "execution", "tidy"),
        default="auto",
        help=t("cli.opt.layout"),
    )
    parser.add_argument("--limit", type=int, default=50, metavar="N", help=t("cli.opt.limit"))
    parser.add_argument("--issues-out", metavar="CSV", help=t("cli.validate.issues_out"))
    parser.set_defaults(func=run)


def _table(rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, r in enumerate(rows):
        cells = [
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from gcdb.errors import UsageError
    from gcdb.i18n import Message, using

    if args.kind == "budget" and (args.districts or args.no_district_check):
        raise UsageError(Message("cli.validate.districts_for_people"))
    if args.limit < 0:
        raise UsageError(Message("cli.limit_negative"))
    with using(args.lang):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from gcdb import columns as C
    from gcdb.errors import format_issues
    from gcdb.i18n import format_int, t
    from gcdb.read import format_kurus, read_budget, read_population, read_usage
    from gcdb.read.result import ROWS

    lang = args.lang
    from gcdb.cli.export import write_csv_for_excel
    from gcdb.cli.main import read_options

    options: dict = read_options(args)
    if args.kind != "budget":
        options["districts"] = False if args.no_district_check else args.districts
    elif args.layout != "auto":
        options["layout"] = args.layout
    readers: dict[str, Callable[..., ReadResult]] = {
        "budget": read_budget,
        "usage": read_usage,
        "population": read_population,
    }
    reader = readers[args.kind]
    result = reader(args.file, **options)

    out = sys.stdout
    print(t("cli.validate.file_line", file=result.source, kind=t(f"read.kind.{args.kind}")), file=out)
    notes = [t("cli.validate.header_row", row=result.header_row)]
    if result.sheet is not None:
        notes.insert(0, t("cli.validate.sheet", sheet=repr(result.sheet)))
    if len(result.skipped):
        notes.append(skipped_note(result.skipped))
    print("  " + "; ".join(notes), file=out)
    if result.ignored_columns:
        print("  " + t("cli.validate.ignored", columns=", ".join(result.ignored_columns)), file=out)
    print(file=out)

    rows = [
        [t(f"cli.validate.col.{name}") for name in ("measure", "read", "valid", "quarantined", "skipped")]
    ]
    for rec in result.reconciliation.to_dict("records"):
        measure = rec["measure"]
        fmt: Callable[[int, str | None], str]
        if measure == ROWS:
            name, fmt = t("cli.validate.rows"), format_int
        elif measure in C.PHASES:
            name = t("cli.validate.money_measure", measure=C.label(measure, lang))
            fmt = format_kurus
        else:
            name, fmt = C.label(measure, lang), format_int
        cells = [fmt(rec["read"]), fmt(rec["valid"]), fmt(rec["quarantined"]), fmt(rec.get("skipped", 0))]
        rows.append([name, *cells])
    print(_table(rows, right={1, 2, 3, 4}), file=out)
    print(file=out)

    n_err, n_warn = len(result.errors), len(result.warnings)
    print(t("cli.validate.issues", errors=format_int(n_err), warnings=format_int(n_warn)), file=out)
    if len(result.issues):
        print(format_issues(result.issues, limit=args.limit), file=out)
    if args.issues_out:  # a CSV for Excel: values that look like formulas are neutralised
        write_csv_for_excel(result.issues, args.issues_out)
    if n_err or (args.strict and n_warn):
        return 1
    return 0


def skipped_note(skipped) -> str:
    """``12 atlanan satır (başlık 10, boş 2)``: the skipped rows of a read and their reasons (those of
    :data:`gcdb.read.SKIP_REASONS`, in the order they first occur), in the current language."""
    from gcdb.i18n import format_int, t

    counts = skipped["reason"].value_counts(sort=False)
    detail = ", ".join(f"{_skip_reason(reason)} {format_int(int(n))}" for reason, n in counts.items())
    return t("cli.skipped_rows", n=format_int(len(skipped)), reasons=detail)


def _skip_reason(reason: str) -> str:
    from gcdb.i18n import optional

    return optional(f"skip.{reason}", reason)
