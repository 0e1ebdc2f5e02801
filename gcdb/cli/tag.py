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
    from gcdb.cli.main import add_lang_option, add_read_options
    from gcdb.i18n import t

    parser = subparsers.add_parser("tag", help=t("cli.tag.help"), description=t("cli.tag.description"))
    file = t("cli.metavar.file")
    parser.add_argument("--rules", required=True, type=Path, metavar=file, help=t("cli.tag.rules"))
    parser.add_argument("--in", dest="input", required=True, type=Path, metavar=file, help=t("cli.tag.in"))
    parser.add_argument("--out", required=True, type=Path, metavar=file, help=t("cli.tag.out"))
    parser.add_argument("--mode", choices=("first", "all"), help=t("cli.tag.mode"))
    parser.add_argument("--tags", type=Path, metavar=file, help=t("cli.tag.tags"))
    parser.add_argument("--coverage", type=Path, metavar=file, help=t("cli.tag.coverage"))
    parser.add_argument("--raw", action="store_true", help=t("cli.tag.raw"))
    parser.add_argument("--strict-columns", action="store_true", help=t("cli.tag.strict_columns"))
    parser.add_argument(
        "--catalogue", type=Path, metavar=t("cli.metavar.path"), help=t("cli.rules.catalogue")
    )
    add_lang_option(parser)
    add_read_options(parser)
    parser.set_defaults(func=run)


def _read_raw(path: Path, sheet=None, limits=None):
    """Read a CSV/Parquet/XLSX file with pandas, as it is (typed columns, no validation). A workbook is checked
    against the resource limits first; any parser failure is a :class:`~gcdb.errors.GcdbError` naming the file."""
    import pandas as pd

    from gcdb.errors import GcdbError, UsageError
    from gcdb.i18n import Message, message_of
    from gcdb.read.limits import LimitExceeded, check_zip, resolve

    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".xlsx", ".xlsm"):
        raise UsageError(Message("cli.tag.cannot_read", path=str(path)))
    try:
        if suffix == ".csv":
            return pd.read_csv(path)
        if suffix == ".parquet":
            return pd.read_parquet(path)
        check_zip(path, resolve(limits)).close()
        return pd.read_excel(path, sheet_name=0 if sheet is None else sheet)
    except LimitExceeded as exc:
        raise GcdbError(Message("read.file_where", path=str(path), message=message_of(exc))) from exc
    except Exception as exc:  # the reader boundary: pandas, pyarrow and openpyxl raise many types
        error = Message("read.not_a_table", error=f"{type(exc).__name__}: {exc}")
        raise GcdbError(Message("read.file_where", path=str(path), message=error)) from exc


def read_input(path: Path, applies_to: str, *, raw: bool = False, sheet=None, limits=None):
    """The frame to tag and a note on what the reader did (quarantined rows, sheet read)."""
    if raw:
        return _read_raw(path, sheet, limits), ""
    from gcdb.cli.validate import skipped_note
    from gcdb.i18n import format_int, t
    from gcdb.read import read_budget, read_usage

    reader = read_budget if applies_to == "budget" else read_usage
    result = reader(path, sheet=sheet, limits=limits)
    quarantined = len(result.quarantine)
    notes = []
    if result.sheet is not None:
        notes.append(t("cli.tag.sheet_read", sheet=repr(result.sheet), source=result.source))
    if quarantined:
        notes.append(t("cli.tag.quarantined", n=format_int(quarantined)))
    if len(result.skipped):
        notes.append(skipped_note(result.skipped))
    return result.data, "; ".join(notes)


def write_frame(frame, path: Path, sheet: str = "rows") -> None:
    """Write ``frame`` by the suffix of ``path`` (CSV for Excel and XLSX with formulas neutralised)."""
    from gcdb.cli.export import write_csv_for_excel
    from gcdb.errors import UsageError
    from gcdb.i18n import Message

    suffix = path.suffix.lower()
    if suffix not in OUT_SUFFIXES:
        raise UsageError(
            Message("cli.tag.output_suffix", option="", path=str(path), suffixes=", ".join(OUT_SUFFIXES))
        )
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
    from gcdb.i18n import Message, t
    from gcdb.rules.cases import default_catalogue
    from gcdb.rules.engine import tag
    from gcdb.rules.load import load_ruleset

    if args.out.suffix.lower() not in OUT_SUFFIXES:
        raise UsageError(
            Message(
                "cli.tag.output_suffix", option="--out ", path=str(args.out), suffixes=", ".join(OUT_SUFFIXES)
            )
        )
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
            raise UsageError(Message("cli.tag.coverage_xlsx", path=str(args.coverage)))
        write_workbook(coverage, args.coverage)
    print(summary_text(result))
    if note:
        print(note, file=sys.stderr)
    print(t("cli.wrote", path=str(args.out)))
    return 0


def summary_text(result) -> str:
    """Human-readable summary of a tagging run (rows and money tagged), in the current language."""
    from gcdb.i18n import format_int, format_percent, label, t
    from gcdb.read.numbers import format_kurus

    lines = [t("cli.tag.summary", name=repr(result.ruleset.name), mode=result.mode)]
    for rec in result.coverage.summary.to_dict("records"):
        if rec["measure"] == "rows":
            lines.append(
                "  "
                + t(
                    "cli.tag.rows",
                    tagged=format_int(rec["tagged"]),
                    total=format_int(rec["total"]),
                    share=format_percent(rec["tagged_share"]),
                )
            )
        else:
            lines.append(
                "  "
                + t(
                    "cli.tag.money",
                    measure=label(rec["measure"], running=True),
                    tagged=format_kurus(rec["tagged"]),
                    total=format_kurus(rec["total"]),
                    share=format_percent(rec["tagged_share"]),
                    attributed=format_kurus(rec["attributed"]),
                    attributed_share=format_percent(rec["attributed_share"]),
                )
            )
    never = result.coverage.never_fired
    if len(never):
        lines.append(
            "  " + t("cli.tag.never_fired", n=len(never), rules=", ".join(never["rule_id"].head(10)))
        )
    return "\n".join(lines)
