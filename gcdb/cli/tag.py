"""``gcdb tag``: apply a rule set to budget lines or service-usage records and write the audited rows.

    gcdb tag --rules rules/ibb_yeep_2021_budget.yaml --in butce.xlsx --out etiketli.xlsx
    gcdb tag --rules rules/ibb_yeep_2021_services.yaml --in usage.parquet --out tagged.parquet --mode all

The input is read with gcdb's validating readers (``read_budget`` or ``read_usage``, by the rule set's
``applies_to``; rows with errors are quarantined and counted; ``--sheet`` picks an Excel sheet); ``--raw`` reads
the file as it is (text cells, CSV, Parquet, XLSX), for frames with other columns. Outputs meant for people
(``.csv``, ``.xlsx``) never carry a formula: text that a spreadsheet would run is neutralised. The output (by suffix: ``.csv``, ``.parquet``, ``.xlsx``)
holds the input rows with the audit columns ``rule_ids``, ``action_codes``, ``tagged``, ``tagged_share``; an
``.xlsx`` output also gets the tag table and the coverage report as sheets. ``--tags`` and ``--coverage`` write
those to files of their own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

OUT_SUFFIXES = (".csv", ".parquet", ".xlsx")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "tag",
        help="tag budget lines or service-usage records with a rule set",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--rules", required=True, type=Path, metavar="FILE", help="rule set (YAML)")
    parser.add_argument(
        "--in", dest="input", required=True, type=Path, metavar="FILE", help=".csv/.parquet/.xlsx"
    )
    parser.add_argument("--out", required=True, type=Path, metavar="FILE", help=".csv/.parquet/.xlsx")
    parser.add_argument("--mode", choices=("first", "all"), help="resolution mode (default: the rule set's)")
    parser.add_argument(
        "--tags", type=Path, metavar="FILE", help="also write the tag table (.csv/.parquet/.xlsx)"
    )
    parser.add_argument(
        "--coverage", type=Path, metavar="FILE", help="also write the coverage report (.xlsx)"
    )
    parser.add_argument(
        "--raw", action="store_true", help="read the input with pandas as it is (no validation)"
    )
    parser.add_argument(
        "--strict-columns", action="store_true", help="fail when the input lacks a column the rules read"
    )
    parser.add_argument(
        "--catalogue", type=Path, metavar="PATH", help="plan directory or CSV of action codes"
    )
    from gcdb.cli.main import add_read_options

    add_read_options(parser)
    parser.set_defaults(func=run)


def _read_raw(path: Path, sheet=None, limits=None):
    """Read a CSV/Parquet/XLSX file with pandas, as it is (typed columns, no validation). A workbook is checked
    against the resource limits first; any parser failure is a :class:`~gcdb.errors.GcdbError` naming the file."""
    import pandas as pd

    from gcdb.errors import GcdbError, UsageError
    from gcdb.read.limits import LimitExceeded, check_zip, resolve

    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".xlsx", ".xlsm"):
        raise UsageError(f"cannot read {path}: expected .csv, .parquet or .xlsx")
    try:
        if suffix == ".csv":
            return pd.read_csv(path)
        if suffix == ".parquet":
            return pd.read_parquet(path)
        check_zip(path, resolve(limits)).close()
        return pd.read_excel(path, sheet_name=0 if sheet is None else sheet)
    except LimitExceeded as exc:
        raise GcdbError(f"{path}: {exc}") from exc
    except Exception as exc:  # the reader boundary: pandas, pyarrow and openpyxl raise many types
        raise GcdbError(f"{path}: cannot be read as a table ({type(exc).__name__}: {exc})") from exc


def read_input(path: Path, applies_to: str, *, raw: bool = False, sheet=None, limits=None):
    """The frame to tag and a note on what the reader did (quarantined rows, sheet read)."""
    if raw:
        return _read_raw(path, sheet, limits), ""
    from gcdb.read import read_budget, read_usage

    reader = read_budget if applies_to == "budget" else read_usage
    result = reader(path, sheet=sheet, limits=limits)
    quarantined = len(result.quarantine)
    notes = []
    if result.sheet is not None:
        notes.append(f"read sheet {result.sheet!r} of {result.source}")
    if quarantined:
        notes.append(f"{quarantined} row(s) with errors quarantined by the reader (see gcdb validate)")
    if len(result.skipped):
        notes.append(f"{len(result.skipped)} row(s) skipped (blank, title …)")
    return result.data, "; ".join(notes)


def write_frame(frame, path: Path, sheet: str = "rows") -> None:
    """Write ``frame`` by the suffix of ``path`` (CSV for Excel and XLSX with formulas neutralised)."""
    from gcdb.cli.export import write_csv_for_excel
    from gcdb.errors import UsageError

    suffix = path.suffix.lower()
    if suffix not in OUT_SUFFIXES:
        raise UsageError(f"output {path}: expected one of {', '.join(OUT_SUFFIXES)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":  # opened in Excel by people: formulas neutralised
        write_csv_for_excel(frame, path)
    elif suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        write_workbook({sheet: frame}, path)


def write_workbook(sheets: dict, path: Path) -> None:
    """Write several frames as sheets of one ``.xlsx``: text cells as strings with a quote prefix, never formulas
    (:func:`gcdb.cli.export.write_xlsx`)."""
    from gcdb.cli.export import write_xlsx

    write_xlsx(sheets, path)


def run(args: argparse.Namespace) -> int:
    from gcdb.cli.rules import load_catalogue
    from gcdb.errors import UsageError
    from gcdb.rules.cases import default_catalogue
    from gcdb.rules.engine import tag
    from gcdb.rules.load import load_ruleset

    if args.out.suffix.lower() not in OUT_SUFFIXES:
        raise UsageError(f"--out {args.out}: expected one of {', '.join(OUT_SUFFIXES)}")
    ruleset = load_ruleset(args.rules)
    catalogue = load_catalogue(args.catalogue) if args.catalogue else default_catalogue(ruleset)
    if catalogue is not None:
        ruleset = load_ruleset(args.rules, catalogue=catalogue)
    from gcdb.cli.main import read_options

    frame, note = read_input(args.input, ruleset.applies_to, raw=args.raw, **read_options(args))
    result = tag(frame, ruleset, mode=args.mode, strict_columns=args.strict_columns)
    coverage = result.coverage.to_frames()
    if args.out.suffix.lower() == ".xlsx":
        write_workbook({"rows": result.rows, "tags": result.tags, **coverage}, args.out)
    else:
        write_frame(result.rows, args.out)
    if args.tags:
        write_frame(result.tags, args.tags, sheet="tags")
    if args.coverage:
        if args.coverage.suffix.lower() != ".xlsx":
            raise UsageError(f"--coverage {args.coverage}: the coverage report is a workbook, use .xlsx")
        write_workbook(coverage, args.coverage)
    print(summary_text(result))
    if note:
        print(note, file=sys.stderr)
    print(f"wrote {args.out}")
    return 0


def summary_text(result) -> str:
    """Human-readable summary of a tagging run (rows and money tagged)."""
    from gcdb import columns as C
    from gcdb.money import kurus_to_lira

    lines = [f"rule set {result.ruleset.name!r} (mode {result.mode}):"]
    for rec in result.coverage.summary.to_dict("records"):
        if rec["measure"] == "rows":
            lines.append(f"  rows: {rec['tagged']:,} of {rec['total']:,} tagged ({rec['tagged_share']:.1%})")
        else:
            lines.append(
                f"  {C.label(rec['measure'], 'en').lower()}: {kurus_to_lira(rec['tagged']):,.2f} of "
                f"{kurus_to_lira(rec['total']):,.2f} TL on tagged lines ({rec['tagged_share']:.1%}), "
                f"{kurus_to_lira(rec['attributed']):,.2f} TL attributed ({rec['attributed_share']:.1%})"
            )
    never = result.coverage.never_fired
    if len(never):
        lines.append(f"  {len(never)} rule(s) never fired: {', '.join(never['rule_id'].head(10))}")
    return "\n".join(lines)
