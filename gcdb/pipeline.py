"""The gcdb pipeline: read → validate → normalise → tag → aggregate → ratios → report.

:func:`run_pipeline` runs every stage on one set of inputs and returns a :class:`PipelineResult`; the CLI's
``gcdb demo`` runs it on the embedded synthetic municipality (:func:`demo_inputs`). Besides the budget, the service
records and the population, a run may take the plan's monitoring returns (and the workforce table), a costing with
the adopted budget it is compared with, and checklist assessments: each adds its analysis and its workbook
(:mod:`gcdb.report.monitoring`, :mod:`gcdb.report.costing`, :mod:`gcdb.report.checklists`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gcdb import columns as C
from gcdb import paths
from gcdb.read import ReadResult, read_budget, read_population, read_usage

if TYPE_CHECKING:  # the rules are imported when the pipeline runs
    from gcdb.rules.engine import Mode

Progress = Callable[[str], None] | None

#: Steps :func:`run_pipeline` announces through ``progress``: five analysis steps, then two workbooks, the web
#: reports and the tidy tables when it writes outputs (see :func:`pipeline_steps`).
ANALYSIS_STEPS = 5


def pipeline_steps(*, out: bool, tables: bool = True, web: bool = True, inputs: Inputs | None = None) -> int:
    """How many progress messages :func:`run_pipeline` sends with these options (for a ``k/n`` display);
    ``inputs``: counts the monitoring, costing and checklist steps (an analysis, and a workbook with ``out``)."""
    extras = len(inputs.extras()) if inputs is not None else 0
    return ANALYSIS_STEPS + extras + ((2 + extras + int(bool(web)) + int(bool(tables))) if out else 0)


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
    #: Returned monitoring forms: a folder with one sub-folder per year (``2023/``, ``2024/``).
    monitoring: Path | None = None
    #: Units expected to return a monitoring form (default: every unit with an action active in the year).
    monitoring_units: tuple[str, ...] | None = None
    #: The municipality's workforce table (staff by unit and sex, no names), for the plan's staff indicators.
    workforce: Path | None = None
    #: Costing lines: a table (.csv, .xlsx, .parquet) or a folder of filled costing workbooks.
    costing: Path | None = None
    #: The adopted and executed budget the costing is compared with.
    adopted_budget: Path | None = None
    #: Checklist assessments: ``(checklist, answers)`` pairs — a shipped id or YAML file, and a table or a folder of
    #: filled assessment workbooks.
    assessments: tuple[tuple[str, Path], ...] = ()

    def extras(self) -> list[str]:
        """The analyses beyond TCDB and Hizmette Eşitlik these inputs ask for: ``monitoring``, ``costing``,
        ``checklists``."""
        return [
            name
            for name, given in (
                ("monitoring", self.monitoring),
                ("costing", self.costing),
                ("checklists", self.assessments),
            )
            if given
        ]

    def files(self) -> list[tuple[str, Path]]:
        """``(role, path)`` of the budget, usage, population, rule set, indicator and service catalogue files, for
        the TCDB and Hizmette Eşitlik methodology sheets' checksums."""
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
    """The embedded synthetic demo municipality (``datasets/demo``) with the shipped İBB rule sets: its budget,
    service records and population; the monitoring returns of five units for 2023 and 2024 with the workforce
    table; the costing of 2024–2025 with the adopted budget; park and HGDG design checklist assessments."""
    import yaml

    demo = paths.demo()
    manifest = yaml.safe_load((demo / "monitoring" / "planted.yaml").read_text(encoding="utf-8"))
    return Inputs(
        budget=demo / "budget.parquet",
        usage=demo / "usage.parquet",
        population=demo / "population.parquet",
        services=demo / "services.csv",
        label="demo (sentetik / synthetic)",
        monitoring=demo / "monitoring",
        monitoring_units=tuple(manifest["units"]),
        workforce=demo / "monitoring" / "workforce.csv",
        costing=demo / "costing" / "costing.csv",
        adopted_budget=demo / "costing" / "adopted.csv",
        assessments=(
            ("park", demo / "costing" / "assessments_park.csv"),
            ("hgdg_design", demo / "costing" / "assessments_hgdg_design.csv"),
        ),
    )


@dataclass
class PipelineResult:
    """Everything one run produced. Tables are DataFrames with fixed, documented columns.

    ``budget``, ``usage``, ``population``: the :class:`~gcdb.read.ReadResult` of each input;
    ``budget_tagging``, ``service_tagging``: :class:`~gcdb.rules.TagResult`; ``budget_analysis``:
    :class:`~gcdb.budget.BudgetAnalysis`; ``services``: :class:`~gcdb.services.ServiceAnalysis`;
    ``catalogue``: the equality plan (:class:`~gcdb.catalogue.Catalogue`); ``monitoring``:
    :class:`~gcdb.monitor.MonitoringAnalysis` (with ``collection``, the returns read); ``costing``:
    :class:`~gcdb.costing.run.CostingRun`; ``checklists``: :class:`~gcdb.checklists.run.ChecklistRun` (each None
    when its inputs were not given); ``outputs``: what was written (name → path).
    """

    inputs: Inputs
    budget: ReadResult
    usage: Any  # ReadResult, or ChunkedRead when the usage file was read in chunks
    population: ReadResult
    budget_tagging: Any = None
    service_tagging: Any = None
    budget_analysis: Any = None
    services: Any = None
    catalogue: Any = None
    collection: Any = None
    monitoring: Any = None
    costing: Any = None
    checklists: Any = None
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the budget, the service records and the population had no data errors (warnings allowed) and
        the budget reconciled. Errors in monitoring returns, costing lines and checklist answers are reported in
        their workbooks' data-quality sheets and counted by :meth:`extra_errors`; they do not make a run fail."""
        reconciled = self.budget_analysis is None or bool(
            self.budget_analysis.reconciliation["balanced"].all()
        )
        return self.budget.ok and self.usage.ok and self.population.ok and reconciled

    def extra_errors(self) -> dict[str, int]:
        """Data errors found in the monitoring returns, the costing and the checklist answers (by analysis)."""
        from gcdb import columns as C

        out = {}
        for name, issues in (
            ("monitoring", getattr(self.monitoring, "issues", None)),
            ("costing", getattr(getattr(self.costing, "costing", None), "issues", None)),
            ("checklists", getattr(self.checklists, "issues", None)),
        ):
            if issues is not None:
                out[name] = int((issues[C.ISSUE_SEVERITY] == C.ERROR).sum())
        return out

    def summary(self, lang: str = "tr") -> str:
        from gcdb.pipeline_summary import summary_text

        return summary_text(self, lang)


def run_pipeline(
    inputs: Inputs,
    *,
    out: Path | None = None,
    lang: str = "tr",
    k: int = 5,
    mode: Mode | None = None,
    reference: dict[str, str] | None = None,
    tables: bool = True,
    csv_dialect: str = "plain",
    web: bool | Sequence[str] = True,
    created=None,
    progress: Progress = None,
    disclosure: str = "linked",
    chunk_rows: int | str | None = "auto",
    threads: int | None = None,
) -> PipelineResult:
    """Run every stage on ``inputs``; with ``out``, write both workbooks, (``web``) the web reports — the council
    report and the citizen budget in every catalogue language, or in the languages given — into ``out/web``, and
    (``tables``) the tidy tables.

    ``csv_dialect``: ``"plain"`` or ``"excel-tr"`` CSV for the tidy tables (see :mod:`gcdb.datapackage`).
    ``disclosure``: ``"linked"`` (default: every published table protected at once) or ``"tables"`` (each table
    on its own) — see :func:`gcdb.services.analyse_services`.
    ``chunk_rows``: how the usage file is read — ``"auto"`` (whole, or in chunks reduced to weighted distinct
    records once it holds 2,000,000 records or more, so memory stays bounded: :mod:`gcdb.scale.services`), a
    number of rows per chunk, or None (whole, however large). The tables are identical either way; ``usage`` is
    then a :class:`~gcdb.scale.ChunkedRead` (issues, quarantine, reconciliation; no ``data``).
    ``threads``: threads that validate and reduce the chunks of a usage file read in chunks (default: one per core,
    at most 8: :func:`gcdb.scale.thread_executor`; 1: this thread only). The tables are the same.

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
    from gcdb.services.catalogue import read_services

    say = progress or (lambda _msg: None)
    catalogue = Catalogue.load(inputs.plan)
    service_rules = load_ruleset(
        inputs.service_rules, catalogue=catalogue
    )  # its columns decide what chunks keep
    say(t("progress.read", lang))
    budget = read_budget(inputs.budget)
    usage, usage_data = _read_usage(inputs, chunk_rows, service_rules, say, lang, threads)
    population = read_population(inputs.population)
    result = PipelineResult(inputs=inputs, budget=budget, usage=usage, population=population)
    result.catalogue = catalogue
    say(t("progress.tag_budget", lang))
    budget_rules = load_ruleset(inputs.budget_rules, catalogue=catalogue)
    result.budget_tagging = tag(budget.data, budget_rules, mode=mode)
    say(t("progress.budget", lang))
    result.budget_analysis = analyse_budget(
        budget.data, result.budget_tagging, plan_actions=catalogue.budget_actions()
    )

    say(t("progress.tag_services", lang))
    result.service_tagging = tag(usage_data, service_rules, mode=mode)
    services_table = read_services(inputs.services) if inputs.services else None
    indicator_set = (
        load_indicators(inputs.indicators, catalogue=catalogue, services=usage_data[C.SERVICE_CODE].unique())
        if inputs.indicators
        else None
    )
    say(t("progress.services", lang))
    result.services = analyse_services(
        usage_data,
        population.data,
        services=services_table,
        reference=reference,
        k=k,
        indicators=indicator_set,
        service_tags=result.service_tagging,
        budget_tags=result.budget_tagging,
        budget=budget.data,
        disclosure=disclosure,
    )
    _run_extras(result, lang=lang, k=k, say=say)
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


def _read_usage(
    inputs: Inputs,
    chunk_rows: int | str | None,
    service_rules: Any,
    say: Callable[[str], None],
    lang: str,
    threads: int | None = None,
):
    """The usage file's read outcome and the records to analyse: read whole, or in chunks and reduced to
    weighted distinct records (:mod:`gcdb.scale.services`), as ``chunk_rows`` decides."""
    from gcdb.i18n import format_int, t
    from gcdb.scale.services import choose_chunk_rows, estimated_rows, record_columns_read, usage_pairs_file

    rows = choose_chunk_rows(inputs.usage, chunk_rows)
    if rows is None:
        usage = read_usage(inputs.usage)
        return usage, usage.data
    say(
        t(
            "cli.services.chunked",
            lang,
            rows=format_int(estimated_rows(inputs.usage), lang),
            chunk=format_int(rows, lang),
        )
    )
    from gcdb.scale.executors import executor_workers, managed, thread_executor

    with managed(thread_executor(threads)) as executor:
        if executor is not None:
            say(t("cli.services.threaded", lang, threads=format_int(executor_workers(executor), lang)))
        out = usage_pairs_file(
            inputs.usage, keep=record_columns_read(service_rules), chunk_rows=rows, executor=executor
        )
    assert out.read is not None
    return out.read, out.pairs


def _monitoring_collection(inputs: Inputs, catalogue: Any, lang: str) -> Any:
    """The returns under ``inputs.monitoring``: one sub-folder per year (``2023/``, ``2024/``)."""
    from gcdb.errors import UsageError
    from gcdb.monitor import collect_returns, combine

    folder = Path(inputs.monitoring or ".")
    if not folder.is_dir():
        raise UsageError(f"{folder}: the monitoring returns must be a folder (one sub-folder per year)")
    years = sorted(
        int(p.name) for p in folder.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4
    )
    if not years:
        raise UsageError(
            f"{folder}: put the returned monitoring forms in one folder per year (2023/, 2024/ …)"
        )
    units = list(inputs.monitoring_units) if inputs.monitoring_units is not None else None
    return combine(
        collect_returns([folder / str(y)], catalogue, years=[y], units=units, lang=lang) for y in years
    )


def _run_extras(result: PipelineResult, *, lang: str, k: int, say: Callable[[str], None]) -> None:
    """Monitoring, costing and checklists, when their inputs are given."""
    from gcdb.i18n import t

    inputs, catalogue = result.inputs, result.catalogue
    if inputs.monitoring:
        from gcdb.monitor import analyse_monitoring
        from gcdb.read.workforce import read_workforce

        say(t("progress.monitoring", lang))
        result.collection = _monitoring_collection(inputs, catalogue, lang)
        workforce = read_workforce(inputs.workforce).data if inputs.workforce else None
        result.monitoring = analyse_monitoring(
            result.collection, catalogue, budget=result.budget_analysis, workforce=workforce, k=k, lang=lang
        )
    if inputs.costing:
        from gcdb.costing import read_costing
        from gcdb.costing.run import cost_plan
        from gcdb.costing.workbook import is_costing_form, read_costing_forms

        say(t("progress.costing", lang))
        source = Path(inputs.costing)
        costing = (
            read_costing_forms([source], catalogue=catalogue, lang=lang)
            if source.is_dir() or is_costing_form(source)
            else read_costing(source, catalogue=catalogue)
        )
        adopted = read_budget(inputs.adopted_budget) if inputs.adopted_budget else None
        result.costing = cost_plan(costing, catalogue=catalogue, exclude=result.budget.data, budget=adopted)
    if inputs.assessments:
        from gcdb.checklists.run import score_checklists

        say(t("progress.checklists", lang))
        result.checklists = score_checklists(
            inputs.assessments, budget=result.budget.data, tags=result.budget_tagging, lang=lang
        )


def _areas(result: PipelineResult) -> dict[int, str]:
    if result.catalogue is None:
        return {}
    frame = result.catalogue.areas
    return dict(zip(frame["area"].astype(int), frame["name"].astype("str"), strict=True))


def _write_extras(result: PipelineResult, out: Path, *, lang, tables, csv_dialect, created, say) -> None:
    """The monitoring, costing and checklist workbooks (and their tidy tables under ``out/tables``)."""
    from gcdb.i18n import t

    folder = out / "tables"
    options = {"lang": lang, "created": created, "csv_dialect": csv_dialect}
    if result.monitoring is not None:
        from gcdb.report.monitoring import write_monitoring_workbook

        say(t("progress.monitoring_workbook", lang))
        path = out / t("file.monitoring", lang)
        tidy = folder / "izleme" if tables else None
        write_monitoring_workbook(path, result.monitoring, tables=tidy, areas=_areas(result), **options)
        result.outputs[t("output.monitoring", lang)] = path
    if result.costing is not None:
        from gcdb.report.costing import write_costing_workbook

        say(t("progress.costing_workbook", lang))
        result.costing.rules_path, _ = result.costing.rules.write(out / "teklif_kurallari.yaml")
        path = out / t("file.costing", lang)
        tidy = folder / "maliyet" if tables else None
        write_costing_workbook(path, result.costing, tables=tidy, **options)
        result.outputs[t("output.costing", lang)] = path
    if result.checklists is not None:
        from gcdb.report.checklists import write_checklist_workbook

        say(t("progress.checklists_workbook", lang))
        path = out / t("file.checklists", lang)
        tidy = folder / "kontrol_listeleri" if tables else None
        write_checklist_workbook(path, result.checklists, tables=tidy, **options)
        result.outputs[t("output.checklists", lang)] = path


def _write_outputs(
    result: PipelineResult, out: Path, *, lang, k, tables, csv_dialect, web, created, say
) -> None:
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
    _write_extras(result, out, lang=lang, tables=tables, csv_dialect=csv_dialect, created=created, say=say)
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
        result.budget_analysis,
        result.services,
        scheme=scheme,
        areas=areas,
        links=links,
        place=place,
        monitoring=result.monitoring,
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
