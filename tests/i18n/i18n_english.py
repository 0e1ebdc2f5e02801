"""A small detector of English in text that should be Turkish: common English words that are not Turkish.

A line is English when, once the parts that are data or code are taken out, it still holds one of
:data:`ENGLISH_WORDS`. Taken out: quoted values (``'Bütçe'``, ``"x"``), argparse choices (``{tr,en}``), paths and
file names (anything with ``/`` or a ``.`` between letters), identifiers and codes (anything with ``_``, ``=`` or a
digit: ``issue_codes``, ``applies_to=budget``, ``A7H1E2``), options (``--lang``), Turkish suffixes after an
apostrophe (``Excel'in``), the command and option names at the start of argparse's help lines, and commands quoted as ``gcdb budget``. What is left is
split into words; :data:`ALLOWED` names (proper names, formats, the stable command names) never count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Common English words that are not Turkish words (nor Turkish abbreviations such as "No").
ENGLISH_WORDS = frozenset(
    """
    the of and or is are was were be been being not cannot can't must should would will could has have had
    this that these those which what when where why how than then there here into onto from with without
    about above below before after between under over again also only more most less each every other another
    some any such same both either neither yet still already very just like
    file files folder directory row rows column columns line lines cell cells sheet sheets value values number
    numbers error errors warning warnings issue issues problem problems missing unknown invalid expected found
    empty total totals amount amounts read reading written wrote write writes print prints show shows default
    given got instead please need needs needed required optional allowed used use uses using
    budget appropriation appropriations expenditure revised initial spent tagged tagging untagged rule rules
    scheme schemes action actions target targets indicator indicators area areas unit units responsible
    cooperating stakeholders report reports workbook workbooks table tables summary method
    methodology quality data service services usage population district districts neighbourhood
    neighbourhoods people person women men share shares rate ratio gap gaps count counts year years
    language help message exit usage options arguments positional
    """.split()
)

#: Words that look English but are names gcdb or Turkish readers use as they are.
ALLOWED = frozenset(
    """
    gcdb tcdb yeep ibb İbb excel libreoffice csv xlsx parquet utf json yaml schema pandas dataframe babel
    python pip dask distributed pyarrow openpyxl re2 heat who eige oecd dac gbs hgdg tüik adnks tl kuruş
    """.split()
)

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|‘[^’]*’")
_BRACES = re.compile(r"\{[^}]*\}|\[[^\]]*\]")
_CODEISH = re.compile(r"\S*(?:[/_=\\@]|--|\d|\w\.\w)\S*")
_SUFFIX = re.compile(r"(?<=\w)['’][a-zçğıöşü]+", re.IGNORECASE)
_HELP_LEAD = re.compile(r"^\s{2,}\S+(?: \S+)?(?:\s{2,}|$)")
_COMMAND = re.compile(r"\bgcdb(?: [a-z]+){0,2}")
_WORD = re.compile(r"[A-Za-zÇĞİÖŞÜçğıöşüÂâÎîÛû]+")


def english_words(line: str) -> list[str]:
    """The English words of one line (empty when the line reads as Turkish)."""
    text = _HELP_LEAD.sub(" ", line)
    text = _COMMAND.sub(" ", text)
    text = _QUOTED.sub(" ", text)
    text = _BRACES.sub(" ", text)
    text = _SUFFIX.sub("", text)
    text = _CODEISH.sub(" ", text)
    words = (w.lower() for w in _WORD.findall(text))
    return [w for w in words if w in ENGLISH_WORDS and w not in ALLOWED]


def english_lines(lines: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Each line that holds English words, with those words (argparse's usage block is skipped: it holds only
    the program, options and choices, checked by its ``kullanım:`` prefix)."""
    out = []
    in_usage = False
    for line in lines:
        if line.startswith(("kullanım:", "usage:")):
            in_usage = True
            continue
        if in_usage and line.startswith(" ") and line.strip():
            continue
        in_usage = False
        found = english_words(line)
        if found:
            out.append((line, found))
    return out
