"""Every catalogue key the code uses exists in Turkish and in English, with the placeholders the code fills.

The keys are found in the source (:mod:`ast`): the first argument of ``t``, ``t_array``, ``optional`` and
``Message`` when it is a string, and for keys built from a prefix and a value (``t(f"read.kind.{kind}")``) every
value the code can put there.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from gcdb import i18n as I
from gcdb.errors import IssueCode
from gcdb.i18n.cli import ARGPARSE_KEYS

ROOT = Path(__file__).resolve().parents[2]
CALLS = {"t", "t_array", "optional", "Message"}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _uses() -> list[tuple[str, str, int, set[str] | None]]:
    """``(key, file, line, keyword names given or None when the call spreads **values)`` of every literal key."""
    out = []
    for path in sorted((ROOT / "gcdb").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            first = node.args[0]
            if name not in CALLS or not isinstance(first, ast.Constant) or not isinstance(first.value, str):
                continue
            spread = any(k.arg is None for k in node.keywords)
            given = None if spread else {k.arg for k in node.keywords if k.arg}
            out.append((first.value, str(path.relative_to(ROOT)), node.lineno, given))
    return out


USES = _uses()


def test_the_code_uses_many_keys():
    assert len({key for key, *_ in USES}) > 450


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_every_key_used_exists(lang):
    missing = sorted({f"{key} ({file}:{line})" for key, file, line, _ in USES if not I.has(key, lang)})
    assert not missing, missing


def test_the_code_fills_every_placeholder():
    """A call gives a value to every ``{placeholder}`` of its text (in both languages, the same ones)."""
    wrong = []
    for key, file, line, given in USES:
        if given is None or not I.known(key):
            continue
        needed = _fields(I.t.__globals__["_template"](key, "en"))
        if not needed <= given or _fields(I.catalogue("tr")[key]) != needed:
            wrong.append(f"{file}:{line} {key}: needs {sorted(needed)}, given {sorted(given)}")
    assert not wrong, wrong


DYNAMIC = {
    "issue": [str(c) for c in IssueCode],
    "severity": ["error", "warning"],
    "skip": ["blank", "title", "subtotal", "total", "page_header", "note"],
    "read.kind": ["budget", "usage", "population"],
    "read.published.dim": ["institutional", "functional", "financing", "economic", "description"],
    "read.published.needs": ["ahp", "execution", "odenek_cetveli"],
    "validate.personal": ["header", "tckn", "name"],
    "classification.kind": ["functional", "economic", "institutional"],
    "input": ["budget", "rules", "catalogue"],
    "rules.case": ["pass", "fail"],
    "services.analysis.what": ["usage", "population", "services"],
    "indicators.load": ["unknown_column", "unknown_column_hint", "unknown_service", "unknown_service_hint"]
    + ["unknown_code", "unknown_code_hint"],
}


@pytest.mark.parametrize("prefix", sorted(DYNAMIC))
def test_keys_built_from_values_exist(prefix):
    missing = [
        f"{prefix}.{v}"
        for v in DYNAMIC[prefix]
        if not (I.has(f"{prefix}.{v}", "tr") and I.known(f"{prefix}.{v}"))
    ]
    assert not missing, missing


def test_the_catalogue_command_labels_and_argparse_words_exist():
    from gcdb.cli.catalogue import _LABELS
    from gcdb.read.personal import KIND_WORDS

    keys = [f"cli.catalogue.{k}" for k in _LABELS] + list(ARGPARSE_KEYS.values()) + list(KIND_WORDS.values())
    keys += ["argparse.expected_n.one", "argparse.expected_n.other"]
    assert [k for k in keys if not (I.has(k, "tr") and I.has(k, "en"))] == []


def test_argparse_texts_keep_their_percent_placeholders():
    """argparse fills its own ``%s`` and ``%(name)s`` after the lookup: the Turkish text keeps the same ones."""
    import re

    pattern = re.compile(r"%\(\w+\)[sr]|%[sr]")
    for english, key in ARGPARSE_KEYS.items():
        assert sorted(pattern.findall(english)) == sorted(pattern.findall(I.t(key, "tr"))), key
