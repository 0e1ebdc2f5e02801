"""Fixtures of the catalogue tests: the build script as a module, the seed text, the loaded plans."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATASET = ROOT / "datasets" / "yeep_ibb_2021_2024"
MINI_PLAN = Path(__file__).resolve().parent / "fixtures" / "mini_plan"
SEED_NAME = "000_538cb44ba4f1da58.txt"


def _seed() -> Path | None:
    for folder in (Path("/work/shared/seeds"), ROOT.parent / "shared" / "seeds"):
        if (folder / SEED_NAME).is_file():
            return folder / SEED_NAME
    return None


@pytest.fixture(scope="session")
def build_module():
    """``datasets/yeep_ibb_2021_2024/build.py`` imported as a module."""
    name = "gcdb_yeep_ibb_build"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, DATASET / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def seed_path() -> Path:
    seed = _seed()
    if seed is None:
        pytest.skip("seed text not available (/work/shared/seeds or ../shared/seeds)")
    return seed


@pytest.fixture(scope="session")
def seed_lines(seed_path) -> list[str]:
    return seed_path.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="session")
def rebuilt(build_module, seed_path):
    """(frames, stats) of a fresh build from the seed."""
    return build_module.build(seed_path)


@pytest.fixture(scope="session")
def catalogue():
    from gcdb.catalogue import Catalogue

    return Catalogue.load()


@pytest.fixture(scope="session")
def mini():
    from gcdb.catalogue import Catalogue

    return Catalogue.load(MINI_PLAN)


@pytest.fixture
def mini_copy(tmp_path) -> Path:
    """A writable copy of the mini plan, for tests that break it."""
    import shutil

    target = tmp_path / "plan"
    shutil.copytree(MINI_PLAN, target)
    return target


@pytest.fixture(scope="session")
def saglik_responsible() -> set[str]:
    """The 38 actions whose responsible unit is Sağlık Daire Başkanlığı: the rows of the plan text whose first
    words after the two date cells are "Sağlık Daire Başkanlığı" (counted with a regular expression over the raw
    rows, repeated pages counted once)."""
    return {
        "A2H3E7", "A3H1E1", "A3H1E2", "A3H1E3", "A3H1E4", "A3H1E5", "A3H1E6", "A3H1E7", "A3H1E8", "A3H2E1",
        "A3H2E2", "A3H2E3", "A3H2E4", "A3H2E5", "A3H2E6", "A3H2E7", "A3H3E1", "A3H3E2", "A3H3E3", "A3H3E4",
        "A3H3E7", "A5H1E10", "A6H2E8", "A7H1E2", "A7H1E5", "A7H1E6", "A7H1E7", "A7H1E8", "A7H1E13", "A9H2E1",
        "A9H2E3", "A15H3E7", "A15H3E10", "A15H3E11", "A15H3E12", "A15H3E13", "A15H3E18", "A15H3E24",
    }  # fmt: skip
