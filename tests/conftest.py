"""Shared pytest configuration: make the repository importable without installation."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402


@pytest.fixture
def english(monkeypatch):
    """The test's messages in English (gcdb speaks Turkish by default): for tests whose assertions were written
    against the English texts — the same as passing ``lang="en"`` to every call (:func:`gcdb.i18n.using`) and
    ``--lang en`` to every command (``GCDB_LANG=en``)."""
    from gcdb.i18n import using

    monkeypatch.setenv("GCDB_LANG", "en")
    with using("en"):
        yield
