"""Entry point of the ``gcdb`` command.

Each subcommand lives in its own module under ``gcdb.cli`` and exposes ``register(subparsers)``, which adds its
parser and sets ``func`` to a callable ``(args) -> int``. Heavy imports (pandas, xlsxwriter) happen inside the
subcommand, so ``gcdb --help`` stays fast.

Exit codes: 0 success, 1 data problems (a :class:`gcdb.errors.GcdbError`), 2 usage errors. User errors never
print a traceback; set ``GCDB_DEBUG=1`` to see one.

Language: every text a command prints — help, argparse's own words, messages, numbers — is Turkish unless
``--lang en`` (anywhere on the command line) or ``GCDB_LANG=en`` asks for English; the language is found before
the parser is built (:func:`gcdb.i18n.cli.ui_lang`) and is the current language (:func:`gcdb.i18n.using`) while
the command runs. Help texts are catalogue keys ``cli.*`` (``gcdb/locale/<lang>/LC_MESSAGES/gcdb.po``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from typing import NoReturn

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
#: Languages of the workbooks and of every command's ``--lang`` (the web reports take every catalogue language).
LANGS = ("tr", "en")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own usage errors → exit 2, no traceback
        from gcdb.i18n import t

        self.print_usage(sys.stderr)
        print(t("cli.error", message=message), file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def add_lang_option(parser: argparse.ArgumentParser, key: str = "cli.opt.lang") -> None:
    """``--lang tr|en``: the language of what the command writes and prints; default the command line's language
    (``GCDB_LANG``, else Turkish)."""
    from gcdb.i18n import current_lang, t

    default = current_lang() if current_lang() in LANGS else "tr"
    parser.add_argument("--lang", choices=LANGS, default=default, help=t(key, default=default))


def add_read_options(parser: argparse.ArgumentParser, *, sheet: bool = True) -> None:
    """The options every reading command shares: ``--sheet`` and the resource limits (:mod:`gcdb.read.limits`)."""
    from gcdb.i18n import t

    if sheet:
        parser.add_argument("--sheet", metavar=t("cli.metavar.sheet"), help=t("cli.opt.sheet"))
    parser.add_argument("--max-cells", type=int, metavar="N", help=t("cli.opt.max_cells"))
    parser.add_argument("--max-inflated-mb", type=int, metavar="MB", help=t("cli.opt.max_inflated_mb"))
    parser.add_argument("--max-line-amount", type=int, metavar="TL", help=t("cli.opt.max_line_amount"))


def read_options(args: argparse.Namespace) -> dict:
    """Keyword arguments for the readers from :func:`add_read_options`: ``sheet`` and ``limits``."""
    from gcdb.errors import UsageError
    from gcdb.i18n import Message
    from gcdb.read.limits import MB, ReadLimits

    # a name, or a number counted from 1 when no sheet has that name (decided by the reader)
    sheet = getattr(args, "sheet", None)
    if isinstance(sheet, str) and sheet.strip() == "0":
        raise UsageError(Message("cli.sheet_from_one"))
    mb = getattr(args, "max_inflated_mb", None)
    limits = ReadLimits.from_env(
        max_cells=getattr(args, "max_cells", None),
        max_inflated_bytes=mb * MB if mb is not None else None,
        max_line_amount=getattr(args, "max_line_amount", None),
    )
    return {"sheet": sheet, "limits": limits}


def build_parser() -> argparse.ArgumentParser:
    """The ``gcdb`` parser, its texts in the current language (:func:`gcdb.i18n.using`)."""
    from gcdb import __version__
    from gcdb.i18n import t

    parser = _Parser(prog="gcdb", description=t("cli.main.description"), epilog=t("cli.main.epilog"))
    parser.add_argument(
        "--version", action="version", version=f"gcdb {__version__}", help=t("argparse.version")
    )
    parser.add_argument("--lang", choices=LANGS, help=t("cli.main.lang"))
    sub = parser.add_subparsers(
        dest="command",
        metavar=t("cli.main.command_metavar"),
        title=t("cli.main.commands"),
        parser_class=_Parser,
    )
    for name in COMMANDS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``gcdb`` with ``argv`` (default: the command line) in the language it asks for."""
    from gcdb.errors import UsageError
    from gcdb.i18n import using
    from gcdb.i18n.cli import argparse_speaks, ui_lang

    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        lang = ui_lang(argv)
    except UsageError as exc:
        print(f"gcdb: {exc}", file=sys.stderr)
        return EXIT_USAGE
    with using(lang), argparse_speaks():
        return _run(argv, lang)


def _run(argv: list[str], lang: str) -> int:
    from gcdb.errors import GcdbError, UsageError
    from gcdb.i18n import t
    from gcdb.i18n.cli import env_lang

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    if env_lang() and "--lang" not in argv and getattr(args, "lang", None) == "tr" and lang in LANGS:
        args.lang = lang  # GCDB_LANG also sets the report language of commands with their own --lang
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            return int(args.func(args) or 0)
    except UsageError as exc:
        print(t("cli.error", message=exc.render()), file=sys.stderr)
        return EXIT_USAGE
    except GcdbError as exc:
        if os.environ.get("GCDB_DEBUG"):
            raise
        print(f"gcdb: {exc.render()}", file=sys.stderr)
        return EXIT_DATA
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        if os.environ.get("GCDB_DEBUG"):
            raise
        print(f"gcdb: {_os_reason(exc)}: {exc.filename}", file=sys.stderr)
        return EXIT_DATA
    except OSError as exc:  # a full disk, a file in use …: an answer, not a traceback
        if os.environ.get("GCDB_DEBUG"):
            raise
        print(f"gcdb: {_os_reason(exc)}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_DATA
    except (MemoryError, RecursionError) as exc:
        if os.environ.get("GCDB_DEBUG"):
            raise
        key = "cli.too_large.memory" if isinstance(exc, MemoryError) else "cli.too_large.depth"
        print(f"gcdb: {t(key)}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print(f"gcdb: {t('cli.interrupted')}", file=sys.stderr)
        return 130


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning of the library as a line for people (``gcdb: uyarı: …``), not Python's file and line."""
    from gcdb.i18n import t

    print(f"gcdb: {t('severity.warning')}: {message}", file=file or sys.stderr)


#: errno → catalogue key of the operating system's reason (its own text is in the system's language).
_ERRNO_KEYS = {
    "ENOENT": "cli.os.not_found",
    "EISDIR": "cli.os.is_directory",
    "ENOTDIR": "cli.os.not_directory",
    "EACCES": "cli.os.permission",
    "EPERM": "cli.os.permission",
    "ENOSPC": "cli.os.no_space",
    "EROFS": "cli.os.read_only",
    "EEXIST": "cli.os.exists",
}


def _os_reason(exc: OSError) -> str:
    """The reason of an operating-system error in the current language (its own text when not known)."""
    import errno

    from gcdb.i18n import t

    key = _ERRNO_KEYS.get(errno.errorcode.get(exc.errno or 0, ""))
    return t(key) if key else str(exc.strerror or exc)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
