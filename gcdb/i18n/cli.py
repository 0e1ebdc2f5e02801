"""The language of the command line: which one a command speaks, and argparse's own words in it.

:func:`ui_lang` finds the language before argparse builds the parser (the help texts are built in it): ``--lang X``
or ``--lang=X`` anywhere on the command line, else the ``GCDB_LANG`` environment variable, else Turkish. A comma
list (``gcdb report html --lang ar,tr``) speaks the first of its languages whose catalogue is complete (Turkish or
English), Turkish if none is.

argparse writes its furniture ("usage:", "options", "show this help message and exit", "the following arguments
are required") through :func:`gettext.gettext`, looked up at call time as ``argparse._``. :func:`argparse_speaks`
points those names at gcdb's catalogue for the duration of a block (keys ``argparse.*``) and puts them back after;
nothing else in the process is touched, and a message argparse adds in a later Python version stays English.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Final

from gcdb.i18n import DEFAULT_LANG, FALLBACK_LANG, Message, languages, t

#: The environment variable that sets the language of every command (``--lang`` wins over it).
ENV: Final = "GCDB_LANG"
#: Languages the command line speaks fully (their catalogues hold every key).
COMPLETE: Final = (DEFAULT_LANG, FALLBACK_LANG)

#: argparse's English messages (Python 3.11–3.13) → catalogue keys.
ARGPARSE_KEYS: Final = {
    "usage: ": "argparse.usage",
    "positional arguments": "argparse.positionals",
    "options": "argparse.options",
    "show this help message and exit": "argparse.help",
    "show program's version number and exit": "argparse.version",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "the following arguments are required: %s": "argparse.required",
    "one of the arguments %s is required": "argparse.one_required",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.invalid_choice",
    "invalid %(type)s value: %(value)r": "argparse.invalid_type",
    "not allowed with argument %s": "argparse.not_allowed",
    "ignored explicit argument %r": "argparse.ignored_explicit",
    "expected one argument": "argparse.expected_one",
    "expected at most one argument": "argparse.expected_at_most_one",
    "expected at least one argument": "argparse.expected_at_least_one",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "argparse.unknown_parser",
    "can't open '%(filename)s': %(error)s": "argparse.cannot_open",
    "unexpected option string: %s": "argparse.unexpected_option",
}
_PLURAL_KEYS: Final = {"expected %s argument": "argparse.expected_n"}


def _given_lang(argv: Sequence[str]) -> str | None:
    """The value of the last ``--lang`` on the command line (``--lang X`` or ``--lang=X``), or None."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found


def ui_lang(argv: Sequence[str], environ: dict[str, str] | None = None) -> str:
    """The language a command speaks: ``--lang`` on the command line, else ``GCDB_LANG``, else Turkish.

    An unknown language on the command line is left for argparse to refuse (in Turkish); an unknown one in
    ``GCDB_LANG`` is a :class:`~gcdb.errors.UsageError`.
    """
    from gcdb.errors import UsageError

    given = _given_lang(argv)
    if given is not None:
        return _first_complete(given)
    env = (os.environ if environ is None else environ).get(ENV, "").strip()
    if not env:
        return DEFAULT_LANG
    if any(lang not in languages() for lang in env.split(",")):
        raise UsageError(Message("cli.env_lang", var=ENV, value=repr(env), choices=", ".join(languages())))
    return _first_complete(env)


def env_lang(environ: dict[str, str] | None = None) -> bool:
    """Whether ``GCDB_LANG`` is set (then a command's own ``--lang`` defaults to it)."""
    return bool((os.environ if environ is None else environ).get(ENV, "").strip())


def _first_complete(value: str) -> str:
    for lang in (item.strip() for item in value.split(",")):
        if lang in COMPLETE:
            return lang
    return DEFAULT_LANG


def _gettext(message: str) -> str:
    key = ARGPARSE_KEYS.get(message)
    if key is None:
        return message
    return t(key) + " " if message.endswith(" ") else t(key)  # "usage: " keeps its space


def _ngettext(singular: str, plural: str, n: int) -> str:
    key = _PLURAL_KEYS.get(singular)
    if key is None:
        return singular if n == 1 else plural
    return t(f"{key}.{'one' if n == 1 else 'other'}")


@contextmanager
def argparse_speaks() -> Iterator[None]:
    """Within the block, argparse's own messages come from the catalogue in the current language."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


__all__ = ["ARGPARSE_KEYS", "COMPLETE", "ENV", "argparse_speaks", "env_lang", "ui_lang"]
