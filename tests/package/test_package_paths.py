"""gcdb.paths: the one API for the shipped data, from a checkout and (simulated here, built for real in
test_package_wheel.py) from inside an installed wheel."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gcdb import paths
from gcdb.errors import GcdbError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_roots():
    paths._roots.cache_clear()
    yield
    paths._roots.cache_clear()


def test_shipped_folders_and_files_exist() -> None:
    assert paths.source() in ("package", "checkout")
    assert (paths.datasets() / "reference").is_dir()
    assert (paths.rules() / "schemes.yaml") == paths.schemes()
    assert paths.schemes().is_file()
    assert (paths.demo() / "usage.parquet").is_file()
    assert (paths.plan() / "actions.csv").is_file()
    assert paths.plan().name == paths.DEFAULT_PLAN
    assert paths.reference("istanbul_districts.csv").is_file()
    assert paths.reference() == paths.datasets() / "reference"


def test_a_ruleset_by_name_with_or_without_suffix() -> None:
    assert paths.ruleset("ibb_yeep_2021_budget") == paths.rules() / "ibb_yeep_2021_budget.yaml"
    assert paths.ruleset("ibb_yeep_2021_services.yaml") == paths.rules() / "ibb_yeep_2021_services.yaml"


@pytest.mark.parametrize(
    ("call", "shipped"),
    [
        (lambda: paths.reference("no_such_list.csv"), "istanbul_districts.csv"),
        (lambda: paths.ruleset("no_such_rules"), "ibb_yeep_2021_budget.yaml"),
        (lambda: paths.plan("no_such_plan"), paths.DEFAULT_PLAN),
    ],
)
def test_a_missing_shipped_file_names_what_is_shipped(call, shipped: str) -> None:
    with pytest.raises(GcdbError, match=r"no shipped .*'no_such_") as err:
        call()
    assert shipped in str(err.value)


def test_in_a_checkout_the_repository_folders_are_the_single_source() -> None:
    if paths.source() != "checkout":
        pytest.skip("gcdb is installed from a wheel here")
    assert paths.datasets() == ROOT / "datasets"
    assert paths.rules() == ROOT / "rules"
    assert not (ROOT / "gcdb" / "_data").exists(), "gcdb/_data is made by the wheel build, never committed"


def test_inside_a_wheel_the_packaged_copy_is_used(tmp_path: Path, monkeypatch, fresh_roots) -> None:
    package = tmp_path / "site-packages" / "gcdb"
    for name in ("datasets", "rules"):
        (package / "_data" / name).mkdir(parents=True)
    monkeypatch.setattr(paths.resources, "files", lambda name: package)
    assert paths.source() == "package"
    assert paths.datasets() == package / "_data" / "datasets"
    assert paths.rules() == package / "_data" / "rules"
    assert paths.locale() == package / "locale"


def test_no_shipped_data_is_a_clear_error(tmp_path: Path, monkeypatch, fresh_roots) -> None:
    package = tmp_path / "gcdb"
    package.mkdir()
    monkeypatch.setattr(paths.resources, "files", lambda name: package)
    with pytest.raises(GcdbError, match=r"shipped data .* was not found.*reinstall"):
        paths.datasets()


def test_gcdb_paths_stays_light() -> None:
    code = "import sys, gcdb.paths as p; p.datasets(); print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_no_module_finds_files_next_to_itself() -> None:
    """Shipped data is found through gcdb.paths only: ``__file__``-relative paths break inside a wheel."""
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "gcdb").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\b__file__\b", line.split("#", 1)[0])
    ]
    assert offenders == []


def _setup_module():
    spec = importlib.util.spec_from_file_location("gcdb_setup", ROOT / "setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # defines the build step; setup() runs only as __main__
    return module


def test_the_wheel_build_ships_every_data_file_but_scripts() -> None:
    setup = _setup_module()
    for name in setup.DATA_FOLDERS:
        folder = ROOT / name
        every = {
            p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
        }
        shipped = set(setup.data_files(folder))
        assert shipped, name
        assert {p for p in every - shipped if p.suffix != ".py" and not p.name.startswith(".")} == set()
        assert [p for p in shipped if p.suffix == ".py"] == []
    assert Path("demo/usage.parquet") in setup.data_files(ROOT / "datasets")
    assert Path("ibb_yeep_2021_budget.cases.yaml") in setup.data_files(ROOT / "rules")
