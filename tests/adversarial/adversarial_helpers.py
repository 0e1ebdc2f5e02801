"""Builders and checks of the adversarial tests: hostile files are generated in each test, never stored.

Every case runs through the CLI (:func:`cli`: exit code, output, no traceback) and through the Python API, and
checks that every source row is accounted for (:func:`balanced`: rows in = valid + quarantined + skipped).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

GOOD_BUDGET = {
    "Yıl": "2023",
    "Satır No": "1",
    "Kurumsal Kod": "46.34.01.16",
    "Birim": "Kadın ve Aile Hizmetleri",
    "Fonksiyonel Kod": "10.4.0.00",
    "Finansman Tipi": "5",
    "Ekonomik Kod": "03.5.1.08",
    "Açıklama": "KADIN DAYANIŞMA EVİ",
    "Başlangıç Ödeneği": "1.000,00",
    "Revize Ödenek": "1.200,50",
    "Harcama": "900,25",
}

GOOD_USAGE = {
    "Kayıt No": "R1",
    "Hizmet Kodu": "KRS",
    "Hizmet": "Kreş",
    "Tarih": "01.03.2023",
    "Kişi No": "P1",
    "Cinsiyet": "Kadın",
    "Yaş": "34",
    "İlçe": "Kadıköy",
    "Mahalle": "Caferağa",
}

GOOD_POPULATION = {
    "Yıl": "2023",
    "İlçe": "Kadıköy",
    "Cinsiyet": "Kadın",
    "Yaş Grubu": "0-4",
    "Nüfus": "9.500",
}

ID_COLUMN = {"budget": "Satır No", "usage": "Kayıt No", "population": None}
GOOD = {"budget": GOOD_BUDGET, "usage": GOOD_USAGE, "population": GOOD_POPULATION}


def table(kind: str, changes: list[dict]) -> pd.DataFrame:
    """Rows of ``kind`` built from the good row with ``changes`` applied; ids numbered 1, 2, …"""
    rows = []
    population_years = iter(range(2000, 2000 + len(changes)))
    for i, change in enumerate(changes, start=1):
        row = dict(GOOD[kind])
        if ID_COLUMN[kind]:
            row[ID_COLUMN[kind]] = ("R" if kind == "usage" else "") + str(i)
        else:
            row["Yıl"] = str(next(population_years))  # population cells must be unique
        row.update(change)
        rows.append(row)
    return pd.DataFrame(rows, dtype="str")


def csv_text(frame: pd.DataFrame, *, sep: str = ";", newline: str = "\n") -> str:
    lines = [sep.join(frame.columns)] + [
        sep.join("" if pd.isna(v) else str(v) for v in r) for r in frame.itertuples(index=False)
    ]
    return newline.join(lines) + newline


def write_csv(path: Path, kind: str, changes: list[dict], *, encoding: str = "utf-8", **kw) -> Path:
    path.write_bytes(csv_text(table(kind, changes), **kw).encode(encoding))
    return path


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def cli(*argv) -> Run:
    """Run ``gcdb`` in-process: exit code, stdout, stderr. An exception escaping ``main`` fails the test."""
    from gcdb.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
    run = Run(code, out.getvalue(), err.getvalue())
    assert "Traceback" not in run.text, run.text
    return run


def balanced(result, rows_in: int) -> None:
    """Every source row is valid, quarantined or skipped, and the reconciliation says so."""
    rec = result.reconciliation.set_index("measure")
    assert list(rec.columns) == ["read", "valid", "quarantined", "skipped"]
    assert (rec["read"] == rec["valid"] + rec["quarantined"] + rec["skipped"]).all(), rec
    rows = rec.loc["rows"]
    assert rows["read"] == rows_in, (rows, rows_in)
    assert rows["valid"] == len(result.data)
    assert rows["quarantined"] == len(result.quarantine)
    assert rows["skipped"] == len(result.skipped)
    assert (rec["read"] >= 0).all() or "rows" in rec.index  # amounts may be negative, never wrapped
    seen = set(result.data["source_row"]) | set(result.quarantine["source_row"]) | set(result.skipped["row"])
    assert len(seen) == rows_in


def issues_of(result, code: str) -> pd.DataFrame:
    return result.issues[result.issues["code"] == code]


def run_isolated(code: str, timeout: float = 60) -> dict:
    """Run Python ``code`` in a fresh interpreter; it prints ``key=value`` lines, returned as a dict. The child
    measures its own time and peak-memory growth (``resource.getrusage``) from after gcdb is imported."""
    prologue = textwrap.dedent(
        """
        import resource, time, sys
        import gcdb.read, gcdb.rules  # imports are not part of what is measured
        _t0 = time.perf_counter()
        _rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        def report(**kw):
            kw["seconds"] = time.perf_counter() - _t0
            kw["rss_growth_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - _rss0) / 1024
            for k, v in kw.items():
                print(f"{k}={v}")
        """
    )
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        [sys.executable, "-c", prologue + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    out = {}
    for line in proc.stdout.splitlines():
        if "=" in line:
            key, _, value = line.partition("=")
            out[key] = value
    return out
