"""Where gcdb finds the data it ships: the one API for every lookup of shipped files.

gcdb ships the İBB YEEP 2021–2024 plan catalogue, the weighting schemes, the rule sets with their test cases, the
indicator definitions, reference lists (districts, units, stakeholders, …) and the synthetic demo municipality.
Their single source is the repository's top-level ``datasets/`` and ``rules/`` folders. Where they are found:

* **installed from a wheel** (``pip install gcdb``): inside the package, ``gcdb/_data/datasets`` and
  ``gcdb/_data/rules``, copied there when the wheel is built (``setup.py``), found with :mod:`importlib.resources`;
* **editable install or source checkout** (``pip install -e .``): the repository's folders themselves, next to
  the ``gcdb`` package folder.

Every function returns a :class:`pathlib.Path` to a real file or folder (pip installs packages unpacked), so the
result can be given to pandas, ``open`` or any gcdb reader. A municipality's own files (its plan, rules, budget)
are never looked up here: they are passed explicitly (``Catalogue.load(path)``, ``load_ruleset(path)``,
``--plan``, ``--rules``, …). There is no environment variable to move the shipped data: one installed gcdb, one
set of shipped data, the same for every run.

    >>> from gcdb import paths
    >>> paths.demo() / "usage.parquet"                      # the demo municipality's service records
    >>> paths.reference("istanbul_districts.csv")          # a reference list
    >>> paths.ruleset("ibb_yeep_2021_budget")              # a shipped rule set, by name
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from gcdb.errors import GcdbError

__all__ = [
    "DEFAULT_PLAN",
    "datasets",
    "demo",
    "locale",
    "plan",
    "reference",
    "rules",
    "ruleset",
    "schemes",
    "source",
]

#: The plan catalogue shipped with gcdb (İBB YEEP 2021–2024): ``datasets/<DEFAULT_PLAN>``.
DEFAULT_PLAN: Final = "yeep_ibb_2021_2024"
#: The folder inside the installed package that holds the shipped data (filled in when the wheel is built).
_PACKAGED: Final = "_data"
_FOLDERS: Final = ("datasets", "rules")


@cache
def _roots() -> tuple[Literal["package", "checkout"], Path]:
    """Which copy of the shipped data this gcdb uses, and the folder holding ``datasets/`` and ``rules/``."""
    package = resources.files("gcdb")
    packaged = package / _PACKAGED
    if isinstance(packaged, Path) and all((packaged / name).is_dir() for name in _FOLDERS):
        return "package", packaged
    if isinstance(package, Path):
        checkout = package.parent
        if all((checkout / name).is_dir() for name in _FOLDERS):
            return "checkout", checkout
    raise _error(
        f"gcdb's shipped data (datasets/, rules/) was not found in {package / _PACKAGED} nor next to the package; "
        "reinstall gcdb from a wheel (pip install gcdb) or install the repository (pip install -e .)"
    )


def source() -> Literal["package", "checkout"]:
    """``"package"`` when the shipped data comes from inside the installed package (a wheel), ``"checkout"`` when
    from the repository's folders (editable install or source checkout)."""
    return _roots()[0]


def datasets() -> Path:
    """The shipped ``datasets/`` folder: plan catalogues, ``reference/`` lists and the ``demo/`` municipality."""
    return _roots()[1] / "datasets"


def rules() -> Path:
    """The shipped ``rules/`` folder: weighting schemes, rule sets with their ``.cases.yaml``, indicator
    definitions and the JSON Schemas of the rule and indicator formats."""
    return _roots()[1] / "rules"


def demo() -> Path:
    """The synthetic demo municipality (``datasets/demo/``): budget, usage, population, services, messy copies."""
    return datasets() / "demo"


def reference(name: str | None = None) -> Path:
    """A shipped reference list (``datasets/reference/<name>``, e.g. ``"istanbul_districts.csv"``), or the folder
    when ``name`` is None. Raises :class:`gcdb.errors.GcdbError` naming the lists shipped when there is no such
    file."""
    return _child(datasets() / "reference", name, "reference list")


def plan(name: str = DEFAULT_PLAN) -> Path:
    """A shipped plan catalogue's folder (``datasets/<name>/``; default the İBB YEEP 2021–2024)."""
    folder = datasets() / name
    if not (folder / "actions.csv").is_file():
        shipped = sorted(p.parent.name for p in datasets().glob("*/actions.csv"))
        raise _error(f"no shipped plan catalogue named {name!r}; shipped: {', '.join(shipped) or 'none'}")
    return folder


def ruleset(name: str) -> Path:
    """A shipped rule set by name (``"ibb_yeep_2021_budget"`` → ``rules/ibb_yeep_2021_budget.yaml``); the name
    may carry the ``.yaml`` suffix."""
    return _child(rules(), name if name.endswith((".yaml", ".yml")) else f"{name}.yaml", "rule set")


def schemes() -> Path:
    """The shipped weighting schemes (``rules/schemes.yaml``)."""
    return rules() / "schemes.yaml"


def locale() -> Path:
    """The translation catalogues inside the package (``gcdb/locale/<lang>/LC_MESSAGES/*.po``)."""
    package = resources.files("gcdb")
    if not isinstance(package, Path):  # pragma: no cover - gcdb imported from a zip archive
        raise _error("gcdb must be installed unpacked (as pip does) to find its translation catalogues")
    return package / "locale"


def _child(folder: Path, name: str | None, what: str) -> Path:
    if name is None:
        return folder
    path = folder / name
    if not path.is_file():
        shipped = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
        raise _error(f"no shipped {what} named {name!r} in {folder}; shipped: {', '.join(shipped) or 'none'}")
    return path


def _error(message: str) -> GcdbError:
    from gcdb.errors import GcdbError  # imported here: gcdb.errors imports pandas, gcdb.paths stays light

    return GcdbError(message)
