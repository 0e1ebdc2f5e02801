"""Where gcdb finds its shipped data: the repository's ``datasets/`` and ``rules/`` folders.

gcdb is installed in editable mode from its repository (see README), so the folders sit next to the package.
``GCDB_HOME`` overrides the root for other layouts.
"""

from __future__ import annotations

import os
from pathlib import Path


def root() -> Path:
    env = os.environ.get("GCDB_HOME")
    return Path(env) if env else Path(__file__).resolve().parent.parent


def datasets() -> Path:
    return root() / "datasets"


def rules() -> Path:
    return root() / "rules"


def demo() -> Path:
    return datasets() / "demo"
