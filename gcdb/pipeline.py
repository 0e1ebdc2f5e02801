"""The gcdb pipeline: read → validate → normalise → tag → aggregate → ratios → report.

:func:`run_pipeline` runs every stage on one set of inputs and returns a :class:`PipelineResult`; the CLI's
``gcdb demo`` runs it on the embedded synthetic municipality (:func:`demo_inputs`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from gcdb import columns as C
from gcdb import paths
from gcdb.read import ReadResult, read_budget, read_population, read_usage

Progress = Callable[[str], None] | None

#: Steps :func:`run_pipeline` announces through ``progress``: five analysis steps, then two workbooks, the web
#: reports and the tidy tables when it writes outputs (see :func:`pipeline_steps`).
ANALYSIS_STEPS = 5


def pipeline_steps(*, out: bool, tables: bool = True, web: bool = True) -> int:
    """How many progress messages :func:`run_pipeline` sends with these options (for a ``k/n`` display)."""
    return ANALYSIS_STEPS + ((2 + int(bool(web)) + int(bool(tables))) if out else 0)


@dataclass(frozen=True)
class Inputs:
    """Where the pipeline's inputs come from. Rule sets, indicators and plan default to the shipped İBB ones."""

    budget: Path
    usage: Path
    population: Path
    budget_rules: Path = field(default_factory=lambda: paths.rules() / "ibb_yeep_2021_budget.yaml")
    service_rules: Path = field(default_factory=lambda: paths.rules() / "ibb_yeep_2021_services.yaml")
    indicators: Path | None = field(default_factory=lambda: paths.rules() / "indicators_ibb_demo.yaml")
    plan: Path | None = None  # None: the shipped YEEP 2021–2024 catalogue
    services: Path | None = None  # optional service catalogue CSV (service_code, service_name, unit_name …)
    label: str = ""

    def files(self) -> list[tuple[str, Path]]:
        """``(role, path)`` of every input, for the methodology sheets' checksums."""
        out = [
            ("budget", self.budget),
            ("usage", self.usage),
            ("population", self.population),
            ("budget_rules", self.budget_rules),
            ("service_rules", self.service_rules),
        ]
        out += [(role, p) for role, p in (("indicators", self.indicators), ("services", self.services)) if p]
        return out


def demo_inputs() -> Inputs:
    """The embedded synthetic demo municipality (``datasets/demo``) with the shipped İBB rule sets."""
    demo = paths.demo()
    return Inputs(
        budget=demo / "budget.parquet",
        usage=demo / "usage.parquet",
        population=demo / "population.parquet",
        services=demo / "services.csv",
        label="demo (sentetik / synthetic)",
    )


@dataclass
class PipelineResult:
    """Everything one run produced. Tables are DataFrames with fixed, documented columns.

    ``budget``, ``usage``, ``population``: the :class:`~gcdb.read.ReadResult` of each input;
    ``budget_tagging``, ``service_tagging``: :class:`~gcdb.rules.TagResult`; ``budget_analysis``:
    :class:`~gcdb.budget.BudgetAnalysis`; ``services``: :class:`~gcdb.services.ServiceAnalysis`;
    ``catalogue``: the equality plan (:class:`~gcdb.catalogue.Catalogue`); ``outputs``: what was written
    (name → path).
    """

    inputs: Inputs
    budget: ReadResult
    usage: ReadResult
    population: ReadResult
    budget_tagging: Any = None
    service_tagging: Any = None
    budget_analysis: Any = None
    services: Any = None
    catalogue: Any = None
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no input had data errors (warnings allowed) and the budget reconciled."""
        reconciled = self.budget_analysis is None or bool(
            self.budget_analysis.reconciliation["balanced"].all()
        )
        return self.budget.ok and self.usage.ok and self.population.ok and reconciled

    def summary(self, lang: str = "tr") -> str:
        from gcdb.pipeline_summary import summary_text

        return summary_text(self, lang)


def run_pipeline(
    inputs: Inputs,
    *,
    out: Path | None = None,
    lang: str = "tr",
    k: int = 5,
    mode: str | None = None,
    reference: dict[str, str] | None = None,
    tables: bool = True,
    csv_dialect: str = "plain",
    web: bool | Sequence[str] = True,
    created=None,
    progress: Progress = None,
) -> PipelineResult:
    """Run every stage on ``inputs``; with ``out``, write both workbooks, (``web``) the web reports — the council
    report and the citizen budget in every catalogue language, or in the languages given — into ``out/web``, and
    (``tables``) the tidy tables.

    ``csv_dialect``: ``"plain"`` or ``"excel-tr"`` CSV for the tidy tables (see :mod:`gcdb.datapackage`).

    Stages: read and validate the three inputs (bad rows quarantined) → load the plan catalogue → tag budget lines
    and service records with the rule sets → TCDB budget analysis → Hizmette Eşitlik analysis (rates, ratios,
    HEAT, suppression, benefit incidence, plan indicators) → workbooks and tidy tables.
    """
    from gcdb.budget import analyse_budget
    from gcdb.catalogue import Catalogue
    from gcdb.i18n import t
    from gcdb.indicators import load_indicators
    from gcdb.rules import load_ruleset, tag
    from gcdb.services import analyse_services

    say = progress or (lambda _msg: None)
    say(t("progress.read", lang))
    budget = read_budget(inputs.budget)
    usage = read_usage(inputs.usage)
    population = read_population(inputs.population)
    result = PipelineResult(inputs=inputs, budget=budget, usage=usage, population=population)

    catalogue = Catalogue.load(inputs.plan)
    result.catalogue = catalogue
    say(t("progress.tag_budget", lang))
    budget_rules = load_ruleset(inputs.budget_rules, catalogue=catalogue)
    result.budget_tagging = tag(budget.data, budget_rules, mode=mode)
    say(t("progress.budget", lang))
    result.budget_analysis = analyse_budget(
        budget.data, result.budget_tagging, plan_actions=catalogue.budget_actions()
    )

    say(t("progress.tag_services", lang))
    service_rules = load_ruleset(inputs.service_rules, catalogue=catalogue)
    result.service_tagging = tag(usage.data, service_rules, mode=mode)
    services_table = pd.read_csv(inputs.services, dtype=str) if inputs.services else None
    indicator_set = (
        load_indicators(inputs.indicators, catalogue=catalogue, services=usage.data[C.SERVICE_CODE].unique())
        if inputs.indicators
        else None
    )
    say(t("progress.services", lang))
    result.services = analyse_services(
        usage.data,
        population.data,
        services=services_table,
        reference=reference,
        k=k,
        indicators=indicator_set,
        service_tags=result.service_tagging,
        budget_tags=result.budget_tagging,
        budget=budget.data,
    )
    if out is not None:
        _write_outputs(
            result,
            Path(out),
            lang=lang,
            k=k,
            tables=tables,
            csv_dialect=csv_dialect,
            web=web,
            created=created,
            say=say,
        )
    return result


def _write_outputs(result: PipelineResult, out: Path, *, lang, k, tables, csv_dialect, web, created, say) -> None:
    from gcdb.i18n import t
    from gcdb.report.services import write_services_workbook
    from gcdb.report.tcdb import write_tcdb_workbook

    out.mkdir(parents=True, exist_ok=True)
    files = result.inputs.files()
    say(t("progress.tcdb_workbook", lang))
    tcdb_path = out / t("file.tcdb", lang)
    result.outputs[t("output.tcdb", lang)] = write_tcdb_workbook(
        tcdb_path,
        result.budget_analysis,
        tagging=result.budget_tagging,
        read_result=result.budget,
        inputs=files,
        lang=lang,
        k=k,
        created=created,
    )
    say(t("progress.services_workbook", lang))
    services_path = out / t("file.services", lang)
    result.outputs[t("output.services", lang)] = write_services_workbook(
        services_path,
        result.services,
        read_results=(result.budget, result.usage, result.population),
        inputs=files,
        lang=lang,
        created=created,
    )
    if web:
        say(t("progress.web", lang))
        languages = None if web is True else list(web)
        result.outputs[t("summary.web", lang)] = write_web(
            result, out / "web", languages=languages, created=created
        )
    if tables:
        say(t("progress.tables", lang))
        result.budget_analysis.to_tidy(out / "tables" / "tcdb", csv_dialect=csv_dialect, lang=lang)
        result.services.to_tidy(out / "tables" / "hizmette_esitlik", csv_dialect=csv_dialect, lang=lang)
        result.outputs[t("output.tables", lang)] = out / "tables"


def web_inputs(result: PipelineResult, links: Sequence[tuple[str, str]] = ()) -> Any:
    """The :class:`gcdb.report.web.WebInputs` of a run: its analyses, primary scheme, plan area names and label."""
    from gcdb.report.web import WebInputs

    scheme = getattr(getattr(result.budget_tagging, "ruleset", None), "default_scheme", None) or "eu_cpr"
    areas = {}
    if result.catalogue is not None:
        frame = result.catalogue.areas
        areas = dict(zip(frame["area"].astype(int), frame["name"].astype("str"), strict=True))
    place = "" if result.inputs.label.startswith("demo") else result.inputs.label
    return WebInputs(
        result.budget_analysis, result.services, scheme=scheme, areas=areas, links=links, place=place
    )


def write_web(
    result: PipelineResult,
    directory: Path,
    *,
    workbooks: Sequence[tuple[str, Path]] = (),
    languages: Sequence[str] | None = None,
    created=None,
) -> Path:
    """Write the council report and the citizen budget of ``result`` into ``directory``, linked to each other and
    to ``workbooks`` (``(catalogue key of the link text, path)``); return the directory."""
    from gcdb.report.web import CITIZEN, COUNCIL, write_web_reports

    directory = Path(directory)
    links = [(key, Path(os.path.relpath(Path(path), directory)).as_posix()) for key, path in workbooks]
    links += [("web.link.council", f"{COUNCIL}.tr.html"), ("web.link.citizen", f"{CITIZEN}.tr.html")]
    write_web_reports(web_inputs(result, links), directory, languages=languages, created=created)
    return directory


__all__ = [
    "Inputs",
    "PipelineResult",
    "demo_inputs",
    "pipeline_steps",
    "run_pipeline",
    "web_inputs",
    "write_web",
]
