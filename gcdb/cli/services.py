"""``gcdb services``: the equality-in-services (Hizmette Eşitlik) report of service-usage records.

    gcdb services --usage kullanim.xlsx --population nufus.csv --out hizmette_esitlik.xlsx
    gcdb services --usage usage.parquet --population population.parquet --services services.csv \\
        --rules rules/ibb_yeep_2021_services.yaml --budget budget.parquet \\
        --budget-rules rules/ibb_yeep_2021_budget.yaml --indicators rules/indicators_ibb_demo.yaml \\
        --reference sex=male --reference district=rest --year 2024 --out report.xlsx --tables out/ --lang en

Reads the inputs with gcdb's validating readers (rows with errors are quarantined and listed on the workbook's
data-quality sheet, without personal data), runs :func:`gcdb.services.analyse_services` and writes the workbook
(:func:`gcdb.report.services.write_services_workbook`) and, with ``--tables``, every table as CSV and Parquet.
Exit code 0: report written; 1: data problems (missing or unreadable file, refused input; with ``--strict``, any
reader error); 2: wrong usage (bad ``--reference``, unknown dimension or group, missing option).
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def register(subparsers) -> None:
    from gcdb.cli.main import add_lang_option, add_read_options
    from gcdb.i18n import t

    parser = subparsers.add_parser(
        "services", help=t("cli.services.help"), description=t("cli.services.description")
    )
    file, folder = t("cli.metavar.file"), t("cli.metavar.dir")
    parser.add_argument("--usage", required=True, type=Path, metavar=file, help=t("cli.report.usage"))
    parser.add_argument(
        "--population", required=True, type=Path, metavar=file, help=t("cli.report.population")
    )
    parser.add_argument("--services", type=Path, metavar="CSV", help=t("cli.services.services"))
    parser.add_argument("--rules", type=Path, metavar="YAML", help=t("cli.services.rules"))
    parser.add_argument("--budget", type=Path, metavar=file, help=t("cli.services.budget"))
    parser.add_argument("--budget-rules", type=Path, metavar="YAML", help=t("cli.services.budget_rules"))
    parser.add_argument("--indicators", type=Path, metavar="YAML", help=t("cli.services.indicators"))
    parser.add_argument(
        "--reference",
        action="append",
        default=[],
        metavar=t("cli.metavar.dim_group"),
        help=t("cli.services.reference"),
    )
    parser.add_argument("--k", type=int, default=5, help=t("cli.services.k"))
    parser.add_argument("--z", type=float, default=1.96, help=t("cli.services.z"))
    parser.add_argument(
        "--year",
        type=int,
        action="append",
        dest="years",
        metavar=t("cli.metavar.year"),
        help=t("cli.services.year"),
    )
    parser.add_argument("--audit", action="store_true", help=t("cli.services.audit"))
    parser.add_argument(
        "--min-population",
        type=float,
        default=1000.0,
        metavar="N",
        help=t("cli.services.min_population"),
    )
    parser.add_argument(
        "--min-expected",
        type=float,
        default=10.0,
        metavar="N",
        help=t("cli.services.min_expected"),
    )
    parser.add_argument(
        "--standard",
        choices=("own", "esp2013"),
        default="own",
        help=t("cli.services.standard"),
    )
    parser.add_argument(
        "--disclosure",
        choices=("linked", "tables"),
        default=None,
        help=t("cli.services.disclosure"),
    )
    parser.add_argument("--strict", action="store_true", help=t("cli.services.strict"))
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--chunk-rows", type=int, metavar="N", help=t("cli.services.chunk_rows"))
    size.add_argument("--in-memory", action="store_true", help=t("cli.services.in_memory"))
    cores = parser.add_mutually_exclusive_group()
    cores.add_argument("--workers", type=int, default=1, metavar="N", help=t("cli.services.workers"))
    cores.add_argument("--threads", type=int, default=None, metavar="N", help=t("cli.services.threads"))
    parser.add_argument("--dask", metavar=t("cli.metavar.address"), help=t("cli.services.dask"))
    parser.add_argument("--out", required=True, type=Path, metavar="XLSX", help=t("cli.budget.out"))
    parser.add_argument("--tables", type=Path, metavar=folder, help=t("cli.budget.tables"))
    parser.add_argument(
        "--csv-dialect",
        choices=("plain", "excel-tr"),
        default="plain",
        help=t("cli.budget.csv_dialect"),
    )
    add_lang_option(parser, "cli.opt.report_lang")
    parser.add_argument("--quiet", action="store_true", help=t("cli.opt.quiet"))
    add_read_options(parser)  # --sheet, --max-cells …
    parser.set_defaults(func=run)


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def _read_csv(path: Path):
    """The service catalogue, read and checked (:func:`gcdb.services.catalogue.read_services`)."""
    from gcdb.services.catalogue import read_services

    services = read_services(path)
    services.attrs["source"] = str(path)
    return services


def _ruleset(path: Path):
    from gcdb.rules import load_ruleset
    from gcdb.rules.cases import default_catalogue

    if not path.is_file():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    ruleset = load_ruleset(path)
    catalogue = default_catalogue(ruleset)
    return load_ruleset(path, catalogue=catalogue) if catalogue is not None else ruleset


def _checked(result, strict: bool):
    from gcdb.errors import DataValidationError
    from gcdb.i18n import Message

    _say(result.summary())
    if result.refused or result.data.empty:
        raise DataValidationError(Message("cli.services.no_rows", source=str(result.source)), result.issues)
    if strict and not result.ok:
        raise DataValidationError(
            Message("cli.services.strict_errors", source=str(result.source)), result.issues
        )
    return result


def _executor(args: argparse.Namespace):
    """Where chunks are validated and reduced: a Dask cluster (``--dask``, else ``GCDB_DASK``), ``--workers``
    processes on this machine, else ``--threads`` threads of this process (default one per core), or None (this
    thread)."""
    from gcdb.scale.executors import dask_executor, executor_from_env, local_executor, thread_executor

    if args.dask:
        return dask_executor(args.dask)
    from_env = executor_from_env()
    if from_env is not None:
        return from_env
    if args.workers != 1:
        return local_executor(args.workers)
    return thread_executor(args.threads)


def _chunk_rows(args: argparse.Namespace, distributed: bool) -> int | None:
    """Rows per chunk of the usage file, or None to read it whole: ``--chunk-rows``, ``--in-memory``, or by its
    size (:func:`gcdb.scale.services.choose_chunk_rows`); always in chunks with workers or a Dask cluster."""
    from gcdb.errors import UsageError
    from gcdb.i18n import Message
    from gcdb.scale.chunks import DEFAULT_CHUNK_ROWS
    from gcdb.scale.services import choose_chunk_rows

    if args.in_memory:
        if distributed:
            raise UsageError(Message("cli.services.in_memory_workers"))
        return None
    rows = choose_chunk_rows(args.usage, "auto" if args.chunk_rows is None else args.chunk_rows)
    return DEFAULT_CHUNK_ROWS if rows is None and distributed else rows


def _read_in_chunks(args: argparse.Namespace, ruleset, chunk_rows: int, read_opts: dict, executor=None):
    """The usage file read chunk by chunk and reduced to weighted distinct records (:mod:`gcdb.scale.services`):
    its read outcome (issues, quarantine, reconciliation) and the records to analyse."""
    from gcdb.errors import DataValidationError
    from gcdb.i18n import Message, format_int, t
    from gcdb.report.services_method import ISSUE_ROWS
    from gcdb.scale.executors import executor_workers
    from gcdb.scale.services import estimated_rows, record_columns_read, usage_pairs_file

    _say(t("cli.services.chunked", rows=format_int(estimated_rows(args.usage)), chunk=format_int(chunk_rows)))
    if isinstance(executor, ThreadPoolExecutor):
        _say(t("cli.services.threaded", threads=format_int(executor_workers(executor))))
    out = usage_pairs_file(
        args.usage,
        keep=record_columns_read(ruleset),
        chunk_rows=chunk_rows,
        keep_issues=ISSUE_ROWS,  # the workbook lists the first issues and counts them all
        strict=args.strict,
        executor=executor,
        **read_opts,
    )
    result = out.read
    assert result is not None
    _say(result.summary())
    if not out.records:
        raise DataValidationError(Message("cli.services.no_rows", source=str(args.usage)), result.issues)
    _say(
        t(
            "cli.services.chunked_done",
            records=format_int(out.records),
            rows=format_int(len(out.pairs)),
            chunks=format_int(out.chunks),
        )
    )
    return result, out.pairs


def _record_actions(frame, ruleset, rows: int = 1_000_000):
    """The ``row_id, action_code`` of tagging ``frame`` with ``ruleset`` — action codes as categoricals
    (categories sorted as text), about 9 bytes a tag instead of 100. Rules are evaluated row by row, so the
    frame is tagged ``rows`` rows at a time: the same tags, with the working memory of one slice."""
    import pandas as pd

    from gcdb import columns as C
    from gcdb.rules import tag

    parts = []
    for start in range(0, max(len(frame), 1), rows):
        tags = tag(frame.iloc[start : start + rows], ruleset, audit=False).tags[[C.ROW_ID, C.ACTION_CODE]]
        parts.append(tags.assign(**{C.ROW_ID: tags[C.ROW_ID].to_numpy() + start}))
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return out.assign(**{C.ACTION_CODE: out[C.ACTION_CODE].astype("category")})


def run(args: argparse.Namespace) -> int:
    import warnings

    from gcdb.errors import UsageError
    from gcdb.i18n import Message, format_int, t
    from gcdb.services.options import parse_reference, resolve_reference

    # usage errors first, before any file is read
    if args.k < 1:
        raise UsageError(Message("cli.report.k_positive", k=args.k))
    if not args.z > 0:
        raise UsageError(Message("cli.services.z_positive"))
    if (args.budget is None) != (args.budget_rules is None):
        raise UsageError(Message("cli.services.budget_together"))
    if args.budget is not None and args.rules is None:
        raise UsageError(Message("cli.services.budget_needs_rules"))
    if args.out.suffix.lower() != ".xlsx":
        raise UsageError(Message("cli.budget.out_xlsx", path=str(args.out)))
    reference = parse_reference(args.reference)
    resolve_reference(reference)
    from gcdb.equality.flags import UnderServedRule

    rule = UnderServedRule(min_population=args.min_population, min_expected=args.min_expected)

    from gcdb.cli.progress import Steps
    from gcdb.read import read_budget, read_population, read_usage
    from gcdb.report.services import write_services_workbook
    from gcdb.services import analyse_services

    steps = Steps(
        3 + (args.rules is not None or args.budget is not None) + (args.tables is not None),
        lang=args.lang,
        enabled=not getattr(args, "quiet", False),
    )
    from gcdb.cli.main import read_options

    read_opts = read_options(args)  # --sheet applies to every Excel input
    steps(t("cli.services.step.read"))
    ruleset = _ruleset(args.rules) if args.rules is not None else None
    for given in (args.workers, args.threads):
        if given is not None and given < 1:
            raise UsageError(Message("scale.workers", value=repr(given)))
    from gcdb.scale.executors import DASK_ENV, Background
    from gcdb.scale.memory import release_memory

    # the budget is read in a thread of its own while the usage file is: its work fills what the usage read
    # leaves of the cores (the first pass over the ids, the last chunks); its summary is printed in its turn
    budget_read = Background(read_budget, args.budget, **read_opts) if args.budget is not None else None
    distributed = args.workers != 1 or bool(args.dask) or bool(os.environ.get(DASK_ENV, "").strip())
    chunk_rows = _chunk_rows(args, distributed)
    if chunk_rows is None:
        usage = _checked(read_usage(args.usage, **read_opts), args.strict)
        usage_data = usage.data
    else:
        from gcdb.scale.executors import managed

        with managed(_executor(args)) as executor:
            usage, usage_data = _read_in_chunks(args, ruleset, chunk_rows, read_opts, executor)
    release_memory()  # freed memory back to the system before each stage grows (millions of rows at scale)
    population = _checked(read_population(args.population, **read_opts), args.strict)
    results = [usage, population]
    inputs = [("usage", args.usage), ("population", args.population)]
    services = None
    if args.services is not None:
        services = _read_csv(args.services)
        inputs.append(("services", args.services))
    service_tags = budget_tags = budget = None
    if args.rules is not None or args.budget is not None:
        steps(t("cli.services.step.tag"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # optional columns the rules read: reported by coverage
        if ruleset is not None:
            # the analysis reads which actions each record serves, nothing else of the tagging
            service_tags = _record_actions(usage_data, ruleset)
            inputs.append(("rules", args.rules))
            release_memory()
        if args.budget is not None:
            import dataclasses

            import numpy as np

            from gcdb import columns as C
            from gcdb.rules import tag

            assert budget_read is not None  # started with the usage read
            budget_result = _checked(budget_read.result(), args.strict)
            budget_tags = tag(budget_result.data, _ruleset(args.budget_rules), audit=False).tags
            # each tag with its line's fiscal year: the analysis needs nothing else of the budget's lines, and
            # the data-quality sheet only the read's issues, quarantine and reconciliation
            years = budget_result.data[C.FISCAL_YEAR].to_numpy(dtype=np.int64)
            budget_tags[C.FISCAL_YEAR] = years[budget_tags[C.ROW_ID].to_numpy(dtype=np.int64)]
            results.append(dataclasses.replace(budget_result, data=budget_result.data.iloc[:0]))
            del budget_result
            inputs += [("budget", args.budget), ("budget-rules", args.budget_rules)]
    release_memory()
    indicators = None
    if args.indicators is not None:
        from gcdb.indicators import load_indicators

        if not args.indicators.is_file():
            raise FileNotFoundError(2, "No such file or directory", str(args.indicators))
        indicators = load_indicators(args.indicators, services=services)
        inputs.append(("indicators", args.indicators))

    steps(t("cli.services.step.analyse"))
    analysis = analyse_services(
        usage_data,
        population.data,
        services=services,
        reference=reference,
        k=args.k,
        z=args.z,
        years=args.years,
        indicators=indicators,
        service_tags=service_tags,
        budget_tags=budget_tags,
        budget=budget,
        audit=args.audit,
        disclosure=args.disclosure,  # None: linked, or tables with --audit
        under_served=rule,
        standard=args.standard,
    )
    steps(t("cli.services.step.workbook"))
    path = write_services_workbook(args.out, analysis, read_results=results, inputs=inputs, lang=args.lang)
    print(f"{path}")
    if args.tables is not None:
        steps(t("cli.services.step.tables"))
        written = analysis.to_tidy(args.tables, csv_dialect=args.csv_dialect, lang=args.lang)
        print(t("cli.services.tables_written", path=str(args.tables), n=format_int(len(written))))
    steps.done()
    per_year = ", ".join(f"{y}: {format_int(analysis.under_served_count(y))}" for y in analysis.years)
    outside = int(analysis.ineligible["users"].fillna(0).sum()) if len(analysis.ineligible) else 0
    _say(
        t(
            "cli.services.done",
            years=", ".join(map(str, analysis.years)),
            services=format_int(len(analysis.services)),
            under_served=format_int(analysis.under_served_count()),
            per_year=per_year,
            outside=format_int(outside),
        )
    )
    from gcdb.pipeline_summary import disclosure_line

    protected = disclosure_line(analysis, args.lang)
    if protected is not None:
        _say(protected)
    if any(not r.ok for r in results):
        _say(t("cli.services.quarantined"))
    return 0
