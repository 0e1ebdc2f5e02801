"""Build step that puts gcdb's shipped data inside the package (the rest of the configuration is pyproject.toml).

The repository's top-level ``datasets/`` and ``rules/`` folders are the single source of the data gcdb ships: the
equality-plan catalogue, weighting schemes, rule sets and their test cases, indicator definitions, reference lists
and the demo municipality. Building a wheel copies every file under them (except Python scripts and caches, which
generate the data and are not data) to ``gcdb/_data/datasets`` and ``gcdb/_data/rules`` in the build directory, so
the wheel carries them; :mod:`gcdb.paths` finds them there with :mod:`importlib.resources`. ``MANIFEST.in`` puts
both folders in the sdist, so a wheel built from the sdist is the same. An editable install copies nothing:
:mod:`gcdb.paths` reads the folders in place. New files are picked up without a list to maintain.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: Top-level folders shipped as ``gcdb/_data/<folder>``.
DATA_FOLDERS = ("datasets", "rules")
#: Not data: the scripts that generate the data, byte code, editor and OS droppings.
SKIP = ("*.py", "*.pyc", "__pycache__", ".*", "*~")


def data_files(folder: Path) -> list[Path]:
    """Every shipped file under ``folder``, relative to it, sorted (deterministic wheels)."""
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(fnmatch.fnmatch(part, p) for part in rel.parts for p in SKIP):
            found.append(rel)
    return found


class BuildPyWithData(build_py):
    """``build_py`` that also copies ``datasets/`` and ``rules/`` into ``gcdb/_data/`` of the build directory."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # the editable install reads the folders in place
            return
        self._data_outputs = []
        for name in DATA_FOLDERS:
            source = HERE / name
            if not source.is_dir():
                raise SystemExit(f"gcdb build: the data folder {source} is missing (is this a full sdist?)")
            target = Path(self.build_lib, "gcdb", "_data", name)
            shutil.rmtree(target, ignore_errors=True)  # no stale files from an earlier build
            for rel in data_files(source):
                self.mkpath(str((target / rel).parent))
                out, _ = self.copy_file(str(source / rel), str(target / rel), preserve_mode=False)
                self._data_outputs.append(out)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return [*super().get_outputs(include_bytecode), *getattr(self, "_data_outputs", [])]


if __name__ == "__main__":
    os.chdir(HERE)
    setup(cmdclass={"build_py": BuildPyWithData})
