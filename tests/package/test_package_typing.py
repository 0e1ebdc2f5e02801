"""The type check of the package (mypy, configured in pyproject.toml) as a test: every module of ``gcdb`` is
clean, with no per-module allowance (the ratchet that recorded the errors left while the package was being typed
is gone with the last of them)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ERROR = re.compile(r"^(gcdb/\S+?\.py):\d+(?::\d+)?: error:", re.MULTILINE)


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], str]:
    pytest.importorskip("mypy")
    cache = tmp_path_factory.mktemp("mypy_cache")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache), "--no-error-summary", "--no-pretty"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if run.returncode not in (0, 1) or "error: " in run.stderr:  # 2: mypy itself failed (config, crash)
        raise AssertionError(f"mypy did not run: {run.stderr or run.stdout}")
    return ERROR.findall(run.stdout), run.stdout


@pytest.mark.slow
def test_package_type_checks_clean(mypy_errors: tuple[list[str], str]) -> None:
    files, output = mypy_errors
    lines = [line for line in output.splitlines() if ERROR.match(line)]
    assert not files, f"mypy errors in {len(set(files))} module(s):\n" + "\n".join(lines)
