"""The gcdb pipeline: read → validate → normalise → tag → aggregate → ratios → report.

:func:`run_pipeline` runs every stage on one set of inputs and returns a :class:`PipelineResult`; the CLI's
``gcdb demo`` runs it on the embedded synthetic municipality (:func:`demo_inputs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gcdb import columns as C
from gcdb import paths
from gcdb.money import KURUS_PER_LIRA
from gcdb.read import ReadResult, read_budget, read_population, read_usage

Progress = Callable[[str], None] | None


@dataclass(frozen=True)
class Inputs:
    """Where the pipeline's inputs come from."""

    budget: Path
    usage: Path
    population: Path
    districts: Path | None = None
    label: str = ""


def demo_inputs() -> Inputs:
    """The embedded synthetic demo municipality (``datasets/demo``)."""
    demo = paths.demo()
    return Inputs(
        budget=demo / "budget.parquet",
        usage=demo / "usage.parquet",
        population=demo / "population.parquet",
        label="demo (sentetik / synthetic)",
    )


@dataclass
class PipelineResult:
    """Everything one run produced. Tables are DataFrames with fixed, documented columns."""

    inputs: Inputs
    budget: ReadResult
    usage: ReadResult
    population: ReadResult
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.budget.ok and self.usage.ok and self.population.ok

    def summary(self, lang: str = "tr") -> str:
        tr = lang == "tr"
        lines = [("gcdb — " + (self.inputs.label or str(self.inputs.budget.parent)))]
        lines.append("Okuma ve doğrulama (satır: okunan = geçerli + karantina):" if tr else
                     "Reading and validation (rows: read = valid + quarantined):")
        for result in (self.budget, self.usage, self.population):
            lines.append("  " + _reconciliation_line(result, tr))
        for name, path in self.outputs.items():
            lines.append(f"  {name}: {path}")
        return "\n".join(lines)


def _reconciliation_line(result: ReadResult, tr: bool) -> str:
    rec = result.reconciliation.set_index("measure")
    rows = rec.loc["rows"]
    text = (
        f"{result.source}: {int(rows['read']):,} = {int(rows['valid']):,} + {int(rows['quarantined']):,}"
        f" · {len(result.errors)} {'hata' if tr else 'errors'}, {len(result.warnings)} {'uyarı' if tr else 'warnings'}"
    )
    for phase in C.PHASES:
        if phase in rec.index:
            r = rec.loc[phase]
            text += (
                f"\n      {C.label(phase, 'tr' if tr else 'en')}: {_lira(r['read'])} = {_lira(r['valid'])}"
                f" + {_lira(r['quarantined'])}"
            )
    return text


def _lira(kurus: int) -> str:
    return f"{int(kurus) / KURUS_PER_LIRA:,.2f} TL"


def run_pipeline(
    inputs: Inputs,
    *,
    out: Path | None = None,
    lang: str = "tr",
    k: int = 5,
    progress: Progress = None,
) -> PipelineResult:
    """Run every stage on ``inputs``; write reports under ``out`` when given."""
    say = progress or (lambda _msg: None)
    say("bütçe okunuyor" if lang == "tr" else "reading budget")
    budget = read_budget(inputs.budget)
    say("hizmet kayıtları okunuyor" if lang == "tr" else "reading service records")
    usage = read_usage(inputs.usage)
    say("nüfus okunuyor" if lang == "tr" else "reading population")
    population = read_population(inputs.population)
    return PipelineResult(inputs=inputs, budget=budget, usage=usage, population=population)


__all__ = ["Inputs", "PipelineResult", "demo_inputs", "run_pipeline", "pd"]
