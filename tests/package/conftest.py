"""Fixtures of the packaging tests: the README's stand-in files, the wheel built once per session."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from gcdb import columns as C
from gcdb import paths

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
#: Rows of the demo's 2024 service records standing in for a municipality's usage files (enough for every
#: example, small enough to keep the test quick).
README_USAGE_ROWS = 30_000


def _copy(source: Path) -> Callable[[Path], None]:
    return lambda target: shutil.copyfile(source, target)


def _usage_2024() -> pd.DataFrame:
    usage = pd.read_parquet(paths.demo() / "usage.parquet")
    return usage[usage[C.FISCAL_YEAR] == 2024].head(README_USAGE_ROWS).reset_index(drop=True)


def _usage_csv(target: Path) -> None:
    frame = _usage_2024()
    frame[C.DATE] = frame[C.DATE].dt.strftime("%Y-%m-%d")
    frame.to_csv(target, index=False)


def _usage_parquet(target: Path) -> None:
    _usage_2024().to_parquet(target, index=False)


def _usage_parts(target: Path) -> None:
    target.mkdir()
    frame = _usage_2024()
    half = len(frame) // 2
    frame.iloc[:half].to_parquet(target / "part-0.parquet", index=False)
    frame.iloc[half:].to_parquet(target / "part-1.parquet", index=False)


#: The README's file names → how the test makes them from the shipped demo municipality. The README says the same
#: in its "Examples run in the tests" note; a file name added to the README needs a line here.
README_FILES: dict[str, Callable[[Path], None]] = {
    "butce_2024.csv": _copy(paths.demo() / "messy" / "budget_2024_tr.csv"),
    "hizmet_kayitlari.xlsx": _copy(paths.demo() / "messy" / "usage_sample_tr.xlsx"),
    "nufus.csv": _copy(paths.demo() / "messy" / "population_tr.csv"),
    "kurallar.yaml": _copy(paths.ruleset("ibb_yeep_2021_budget")),
    "kullanim_2024.csv": _usage_csv,
    "kullanim_2024.parquet": _usage_parquet,
    "kullanim": _usage_parts,
}


class SentBack(list):
    """``send_back(issues)`` in the README: the other software's own function; here it keeps what it was sent."""

    def __call__(self, issues: Any) -> None:
        self.append(issues)


def readme_names() -> dict[str, Any]:
    """The README's names for the user's own objects → stand-ins."""
    budget = pd.read_parquet(paths.demo() / "budget.parquet")
    return {
        "my_budget_frame": budget[budget[C.FISCAL_YEAR] == 2024].reset_index(drop=True),
        "send_back": SentBack(),
    }


@pytest.fixture
def readme_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding the README's files, made from the demo municipality."""
    for name, make in README_FILES.items():
        make(tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path
