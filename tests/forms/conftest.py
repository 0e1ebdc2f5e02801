"""Fixtures of the forms tests: the toy spec (``toy_form.py``) and a blank copy of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from toy_form import IDENTITY, TOY, toy_rows

from gcdb.forms import FormSpec, write_form


@pytest.fixture
def toy() -> FormSpec:
    return TOY


@pytest.fixture
def blank(tmp_path: Path) -> Path:
    """A blank toy form written to a temporary folder."""
    path = tmp_path / "toy.xlsx"
    write_form(TOY, path, identity=IDENTITY, rows=toy_rows())
    return path
