"""The type check of the package (mypy, configured in pyproject.toml) as a test.

The public façade — ``gcdb/__init__.py``, every subpackage's ``__init__.py``, ``gcdb/paths.py``,
``gcdb/__main__.py``, ``gcdb/datapackage/`` — must be clean. Every other module is held to its recorded number
of errors in ``mypy_baseline.json`` (a ratchet: a module may lose errors, never gain them; a module not listed must
be clean). After fixing errors, record the new counts with ``GCDB_MYPY_BASELINE=update``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASELINE = Path(__file__).with_name("mypy_baseline.json")
ERROR = re.compile(r"^(gcdb/\S+?\.py):\d+(?::\d+)?: error:", re.MULTILINE)


def facade() -> list[str]:
    inits = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "gcdb").rglob("__init__.py"))
    own = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "gcdb" / "datapackage").glob("*.py"))
    return sorted({"gcdb/__main__.py", "gcdb/paths.py", *own, *inits})


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> tuple[Counter[str], str]:
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
    return Counter(ERROR.findall(run.stdout)), run.stdout


@pytest.mark.slow
def test_public_facade_type_checks_clean(mypy_errors: tuple[Counter[str], str]) -> None:
    counts, output = mypy_errors
    dirty = [f for f in facade() if counts.get(f)]
    lines = [line for line in output.splitlines() if line.split(":", 1)[0] in dirty]
    assert not dirty, "mypy errors in the public façade:\n" + "\n".join(lines)


@pytest.mark.slow
def test_no_module_gains_type_errors(mypy_errors: tuple[Counter[str], str]) -> None:
    counts, output = mypy_errors
    if os.environ.get("GCDB_MYPY_BASELINE") == "update":
        BASELINE.write_text(json.dumps(dict(sorted(counts.items())), indent=1) + "\n", encoding="utf-8")
    baseline: dict[str, int] = json.loads(BASELINE.read_text(encoding="utf-8"))
    worse = {f: (baseline.get(f, 0), n) for f, n in counts.items() if n > baseline.get(f, 0)}
    lines = [line for line in output.splitlines() if line.split(":", 1)[0] in worse]
    assert not worse, (
        "modules with more mypy errors than recorded in tests/package/mypy_baseline.json "
        f"(file: (recorded, now)): {worse}\n" + "\n".join(lines)
    )


def test_baseline_names_existing_modules() -> None:
    baseline: dict[str, int] = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert [f for f in baseline if not (ROOT / f).is_file()] == []
    assert all(isinstance(n, int) and n > 0 for n in baseline.values())
