"""The wheel carries everything gcdb needs (#15): build sdist → wheel, install into a fresh venv, run from outside.

``python -m build`` makes the sdist from a copy of the working tree, then the wheel from the unpacked sdist, so
this proves both builds. The fresh venv has nothing but the wheel; its third-party dependencies are borrowed from
the test's own environment through a ``.pth`` line (no download; ``.ci/run`` does the same with a full install
from the package index). Every command runs in a directory outside the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", ".benchmarks",
    "gcdb-out", "out", "tests", "benchmarks",
)  # fmt: skip


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, (
        f"{' '.join(map(str, args))} → {done.returncode}\n{done.stdout}\n{done.stderr}"
    )
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    pytest.importorskip("build")
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "GCDB_"))}
    dist = base / "dist"
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(source)], base, env)
    (wheel,) = dist.glob("gcdb-*.whl")
    (sdist,) = dist.glob("gcdb-*.tar.gz")

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], base, env)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base, env)
                   .stdout.strip())  # fmt: skip
    # third-party dependencies from this environment; gcdb itself only from the wheel (the editable install's
    # own .pth is not processed through this line)
    (purelib / "_gcdb_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q"]
    _run([*pip, str(wheel)], base, env)
    work = base / "elsewhere"
    work.mkdir()
    return {"wheel": wheel, "sdist": sdist, "bin": bindir, "python": python, "work": work, "env": env}


def _gcdb(installed: dict, *args: str) -> subprocess.CompletedProcess:
    return _run([str(installed["bin"] / "gcdb"), *args], installed["work"], installed["env"])


def test_the_wheel_carries_the_shipped_data(installed: dict) -> None:
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for folder in ("datasets", "rules"):
        expected = {
            f"gcdb/_data/{folder}/{p.relative_to(ROOT / folder).as_posix()}"
            for p in (ROOT / folder).rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and not p.name.startswith(".")
        }
        assert expected <= names, sorted(expected - names)[:10]
    assert {"gcdb/py.typed", "gcdb/__main__.py"} <= names
    inside = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "gcdb").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    }
    assert sorted(inside - names) == []  # every module and every file inside the package (.po catalogues …)
    assert not [n for n in names if n.endswith(".py") and n.startswith("gcdb/_data/")]
    metadata = zipfile.ZipFile(installed["wheel"]).read(
        f"{installed['wheel'].name.split('-py3')[0]}.dist-info/METADATA"
    )
    assert b"License-Expression: MIT" in metadata


def test_the_sdist_carries_the_single_source(installed: dict) -> None:
    import tarfile

    names = tarfile.open(installed["sdist"]).getnames()
    top = names[0].split("/")[0]
    for needed in ("setup.py", "MANIFEST.in", "LICENSE", "datasets/demo/usage.parquet", "rules/schemes.yaml"):
        assert f"{top}/{needed}" in names, needed


def test_python_api_from_the_wheel(installed: dict) -> None:
    snippet = """
import gcdb
from gcdb import paths
assert paths.source() == "package", paths.source()
assert "site-packages" in gcdb.__file__, gcdb.__file__
catalogue = gcdb.Catalogue.load()
schemes = gcdb.load_schemes()
budget_rules = gcdb.load_ruleset(paths.ruleset("ibb_yeep_2021_budget"), catalogue=catalogue)
service_rules = gcdb.load_ruleset(str(paths.ruleset("ibb_yeep_2021_services")), catalogue=catalogue)
usage = gcdb.read_usage(paths.demo() / "usage.parquet")
import pyarrow.parquet as pq
rows = pq.read_metadata(paths.demo() / "usage.parquet").num_rows
assert usage.ok and len(usage.data) == rows > 200_000, usage.summary()
indicators = gcdb.load_indicators(paths.rules() / "indicators_ibb_demo.yaml", catalogue=catalogue)
print(len(schemes.ids), len(budget_rules.rules), len(service_rules.rules), len(usage.data))
"""
    out = _run([str(installed["python"]), "-c", snippet], installed["work"], installed["env"])
    import pyarrow.parquet as pq

    from gcdb import paths

    assert out.stdout.split()[-1] == str(pq.read_metadata(paths.demo() / "usage.parquet").num_rows)


def test_commands_from_the_wheel(installed: dict) -> None:
    work = installed["work"]
    demo = _gcdb(installed, "demo", "--out", "demo_out", "--quiet")
    assert (work / "demo_out" / "tcdb_raporu.xlsx").is_file(), demo.stdout
    assert (work / "demo_out" / "hizmette_esitlik_raporu.xlsx").is_file()
    area = _gcdb(installed, "catalogue", "--area", "7")
    assert "A7H1E1" in area.stdout
    helped = _run([str(installed["python"]), "-m", "gcdb", "--help"], work, installed["env"])
    assert helped.stdout.startswith("kullanım: gcdb ")

    where = _run(
        [str(installed["python"]), "-c", "from gcdb import paths; print(paths.demo()); print(paths.rules())"],
        work,
        installed["env"],
    ).stdout.split("\n")
    demo_dir, rules_dir = Path(where[0]), Path(where[1])
    _gcdb(installed, "validate", "usage", str(demo_dir / "messy" / "usage_sample_tr.xlsx"))
    _gcdb(installed, "rules", "test", str(rules_dir / "ibb_yeep_2021_budget.yaml"))
    _gcdb(
        installed, "budget", "--budget", str(demo_dir / "messy" / "budget_2024_tr.csv"),
        "--rules", str(rules_dir / "ibb_yeep_2021_budget.yaml"), "--out", "tcdb.xlsx", "--quiet",
    )  # fmt: skip
    _gcdb(
        installed, "services", "--usage", str(demo_dir / "messy" / "usage_sample_tr.xlsx"),
        "--population", str(demo_dir / "population.parquet"), "--out", "he.xlsx", "--quiet",
    )  # fmt: skip
    assert (work / "tcdb.xlsx").is_file() and (work / "he.xlsx").is_file()
