"""Arrow on the C library's allocator unless ARROW_DEFAULT_MEMORY_POOL names another (gcdb.scale.memory)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gcdb.scale.memory import ARROW_POOL_VARIABLE

_PROBE = "import pyarrow as pa; print(pa.default_memory_pool().backend_name)"


def _backend(code: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != ARROW_POOL_VARIABLE} | env
    done = subprocess.run(
        [sys.executable, "-c", f"{code}; {_PROBE}"],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    return done.stdout.strip()


def test_gcdb_imported_first_sets_the_default_for_pyarrow_and_its_children():
    assert _backend("import gcdb") == "system"
    assert _backend("import gcdb, os; print(os.environ['ARROW_DEFAULT_MEMORY_POOL'])").splitlines() == [
        "system",
        "system",
    ]


def test_pyarrow_imported_before_gcdb_is_switched():
    assert _backend("import pandas, pyarrow; import gcdb") == "system"


@pytest.mark.parametrize("chosen", ["mimalloc", "jemalloc"])
def test_the_users_choice_is_kept(chosen):
    import pyarrow as pa

    if chosen not in pa.supported_memory_backends():
        pytest.skip(f"this pyarrow has no {chosen}")
    assert _backend("import gcdb", **{ARROW_POOL_VARIABLE: chosen}) == chosen
