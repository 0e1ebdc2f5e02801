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


#: The test files that take longest (seconds of one worker, measured with ``--durations`` on 7 December 2026), run
#: first: pytest-xdist then hands the many short files to whichever worker is free, and the run does not end on one
#: worker with a long file while the other waits (longest first). pyproject's ``--no-loadscope-reorder`` keeps this
#: order (by default xdist sorts files by their number of tests, which put the one-test files of a minute last).
LONGEST_FIRST = (
    "tests/services/test_services_cli.py",  # ≈ 130 s
    "tests/disclosure/test_disclosure_demo.py",  # ≈ 105 s
    "tests/test_benchmarks_smoke.py",  # ≈ 85 s
    "tests/package/test_package_wheel.py",  # ≈ 75 s
    "tests/package/test_package_typing.py",  # ≈ 56 s
    "tests/integrate/test_integrate_demo.py",  # ≈ 50 s with the next (one session fixture: the demo run)
    "tests/integrate/test_integrate_reports.py",
    "tests/package/test_package_datapackage.py",  # ≈ 48 s
    "tests/report/test_demo_cli.py",  # ≈ 45 s
    "tests/i18n/test_i18n_workbooks.py",  # ≈ 45 s
    "tests/i18n/test_i18n_cli.py",  # ≈ 42 s
    "tests/web/test_web_reports.py",  # ≈ 40 s
    "tests/services/test_services_analysis.py",  # ≈ 35 s
    "tests/integrate/test_integrate_chunked.py",  # ≈ 32 s
    "tests/services/test_services_under_served.py",  # ≈ 32 s
    "tests/services/test_services_weighted.py",  # ≈ 27 s
    "tests/services/test_services_planted.py",  # ≈ 25 s
    "tests/scale/test_scale_services.py",  # ≈ 25 s
)


def pytest_collection_modifyitems(session, config, items):
    """The files of :data:`LONGEST_FIRST` first, in that order; every other file after them as collected."""
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
