"""Entry point of the ``gcdb`` command.

Each subcommand lives in its own module under ``gcdb.cli`` and exposes ``register(subparsers)``, which adds its
parser and sets ``func`` to a callable ``(args) -> int``. Heavy imports (pandas, xlsxwriter) happen inside the
subcommand, so ``gcdb --help`` stays fast.

Exit codes: 0 success, 1 data problems (a :class:`gcdb.errors.GcdbError`), 2 usage errors. User errors never
print a traceback; set ``GCDB_DEBUG=1`` to see one.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

#: Subcommand modules, in the order ``gcdb --help`` lists them.
COMMANDS = (
    "gcdb.cli.demo",
    "gcdb.cli.validate",
    "gcdb.cli.catalogue",
    "gcdb.cli.plan",
    "gcdb.cli.rules",
    "gcdb.cli.tag",
    "gcdb.cli.budget",
    "gcdb.cli.services",
    "gcdb.cli.monitor",
    "gcdb.cli.report",
    "gcdb.cli.checklist",
)

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own usage errors → exit 2, no traceback
        self.print_usage(sys.stderr)
        print(f"gcdb: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def add_read_options(parser: argparse.ArgumentParser, *, sheet: bool = True) -> None:
    """The options every reading command shares: ``--sheet`` and the resource limits (:mod:`gcdb.read.limits`)."""
    if sheet:
        parser.add_argument(
            "--sheet",
            metavar="NAME|N",
            help="Excel sheet to read: its name, or its number counted from 1 (default: the first visible sheet)",
        )
    parser.add_argument(
        "--max-cells",
        type=int,
        metavar="N",
        help="most cells of an Excel sheet (default 5,000,000; also GCDB_MAX_CELLS)",
    )
    parser.add_argument(
        "--max-inflated-mb",
        type=int,
        metavar="MB",
        help="most megabytes an .xlsx may unpack to (default 2048; also GCDB_MAX_INFLATED_MB)",
    )
    parser.add_argument(
        "--max-line-amount",
        type=int,
        metavar="TL",
        help="largest amount of one budget line in lira (default 10^12; also GCDB_MAX_LINE_AMOUNT)",
    )


def read_options(args: argparse.Namespace) -> dict:
    """Keyword arguments for the readers from :func:`add_read_options`: ``sheet`` and ``limits``."""
    from gcdb.errors import UsageError
    from gcdb.read.limits import MB, ReadLimits

    # a name, or a number counted from 1 when no sheet has that name (decided by the reader)
    sheet = getattr(args, "sheet", None)
    if isinstance(sheet, str) and sheet.strip() == "0":
        raise UsageError("--sheet N counts sheets from 1")
    mb = getattr(args, "max_inflated_mb", None)
    limits = ReadLimits.from_env(
        max_cells=getattr(args, "max_cells", None),
        max_inflated_bytes=mb * MB if mb is not None else None,
        max_line_amount=getattr(args, "max_line_amount", None),
    )
    return {"sheet": sheet, "limits": limits}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gcdb",
        description="Gender-responsive budgeting (TCDB) and equality-in-services (Hizmette Eşitlik) for municipalities.",
    )
    from gcdb import __version__

    parser.add_argument("--version", action="version", version=f"gcdb {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from gcdb.errors import GcdbError, UsageError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(f"gcdb: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except GcdbError as exc:
        if os.environ.get("GCDB_DEBUG"):
            raise
        print(f"gcdb: {exc}", file=sys.stderr)
        return EXIT_DATA
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        if os.environ.get("GCDB_DEBUG"):
            raise
        print(f"gcdb: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return EXIT_DATA
    except OSError as exc:  # a full disk, a file in use …: an answer, not a traceback
        if os.environ.get("GCDB_DEBUG"):
            raise
        print(f"gcdb: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_DATA
    except (MemoryError, RecursionError) as exc:
        if os.environ.get("GCDB_DEBUG"):
            raise
        what = "memory" if isinstance(exc, MemoryError) else "nesting depth"
        print(f"gcdb: the input is too large for this machine ({what} exhausted)", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("gcdb: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
