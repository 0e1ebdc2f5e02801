"""Library manners: the documented public API, the deprecation mechanism, ``python -m gcdb``, metadata."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import pytest

import gcdb

ROOT = Path(__file__).resolve().parents[2]
API_DOC = ROOT / "docs" / "api.md"


def _documented_names() -> set[str]:
    """The names in the first column of the first table of docs/api.md."""
    text = API_DOC.read_text(encoding="utf-8")
    table = text.split("| name | what |", 1)[1].split("\n\n", 1)[0]
    names: set[str] = set()
    for row in table.splitlines()[2:]:
        names |= set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", row.split("|")[1]))
    return names


def test_docs_api_lists_exactly_the_public_names() -> None:
    assert _documented_names() == set(gcdb.__all__)


def test_every_public_name_resolves_and_is_documented() -> None:
    for name in gcdb.__all__:
        value = getattr(gcdb, name)
        assert value is not None, name
        if name != "__version__":
            assert (getattr(value, "__doc__", None) or "").strip(), f"gcdb.{name} has no docstring"


def test_a_deprecated_name_warns_and_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    from gcdb.rules import tag

    monkeypatch.setitem(gcdb._DEPRECATED, "tag_rows", ("gcdb.rules:tag", "0.2.0"))
    with pytest.warns(
        DeprecationWarning, match=r"gcdb\.tag_rows is deprecated since gcdb 0\.2\.0.*gcdb\.rules\.tag"
    ):
        assert gcdb.tag_rows is tag
    with pytest.warns(DeprecationWarning):  # every use warns, not only the first
        gcdb.tag_rows  # noqa: B018
    assert "tag_rows" not in gcdb.__all__
    assert "tag_rows" not in gcdb.__dict__


def test_public_names_do_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        for name in gcdb.__all__:
            getattr(gcdb, name)


def test_nothing_is_deprecated_without_a_version() -> None:
    for name, (target, since) in gcdb._DEPRECATED.items():
        assert ":" in target and re.fullmatch(r"\d+\.\d+\.\d+", since), name
        assert name not in gcdb.__all__


def test_python_dash_m_gcdb_is_the_gcdb_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "gcdb", "--version"], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"gcdb {gcdb.__version__}"
    usage = subprocess.run([sys.executable, "-m", "gcdb", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert usage.returncode == 0 and usage.stdout.startswith("kullanım: gcdb ")
    assert subprocess.run([sys.executable, "-m", "gcdb"], capture_output=True, cwd=ROOT).returncode == 2


def test_the_package_is_typed() -> None:
    assert (Path(gcdb.__file__).parent / "py.typed").is_file()


def test_project_metadata() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Typing :: Typed" in project["classifiers"]
    assert not [
        c for c in project["classifiers"] if c.startswith("License ::")
    ]  # PEP 639: the expression says it
    assert project["keywords"] and project["authors"]
    assert project["dynamic"] == ["version"]
    assert project["scripts"]["gcdb"] == "gcdb.cli.main:main"


def test_the_version_is_written_once() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+(\.dev\d+|rc\d+)?", gcdb.__version__)
    assert importlib.metadata.version("gcdb") == gcdb.__version__
