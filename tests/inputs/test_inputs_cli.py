"""The CLI reads published budget layouts: ``--layout`` in ``gcdb validate`` and ``gcdb budget``."""

from __future__ import annotations

import pandas as pd
from inputs_layouts import write_published

from gcdb import columns as C
from gcdb import paths
from gcdb.cli.main import main


def test_validate_and_budget_read_an_odenek_cetveli(tmp_path, capsys):
    budget = pd.read_parquet(paths.datasets() / "demo" / "budget.parquet")
    small = budget[
        (budget[C.FISCAL_YEAR] == 2024) & budget[C.INSTITUTIONAL_CODE].isin(["46.34.01.05", "46.34.01.06"])
    ]
    path = tmp_path / "odenek_cetveli.csv"
    write_published(small, path, [("2024 YILI ÖDENEĞİ", [C.INITIAL_APPROPRIATION])])
    assert main(["validate", "budget", str(path)]) == 0
    out = capsys.readouterr().out
    assert "atlanan satır" in out and "ara toplam" in out
    assert main(["validate", "budget", str(path), "--layout", "execution"]) == 1
    assert "layout='execution' için revize ödenek ya da harcama sütunları gerekir" in capsys.readouterr().err
    report = tmp_path / "tcdb.xlsx"
    rules = paths.datasets().parent / "rules" / "ibb_yeep_2021_budget.yaml"
    code = main(
        [
            "budget",
            "--budget",
            str(path),
            "--layout",
            "odenek_cetveli",
            "--rules",
            str(rules),
            "--out",
            str(report),
            "--quiet",
        ]
    )
    assert code == 0 and report.is_file()
