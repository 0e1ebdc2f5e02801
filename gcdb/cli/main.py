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
    except KeyboardInterrupt:
        print("gcdb: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
