"""``gcdb rules``: check rule sets, run their YAML test cases, export the rule-set JSON Schema.

    gcdb rules check rules/ibb_yeep_2021_budget.yaml    # strict load; action codes checked against the plan
    gcdb rules check rules/                              # every rule set in a folder
    gcdb rules test rules/                               # run every *.cases.yaml; exit 1 on a failure
    gcdb rules schema --out rules/ruleset.schema.json    # JSON Schema of the format (stdout without --out)

Action codes are checked against the catalogue the rule set's ``plan:`` names when it ships in ``datasets/``;
``--catalogue`` gives another (a plan directory, or a CSV with an ``action_code`` column), ``--no-catalogue``
skips the check.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gcdb.rules.cases import CaseResult


def register(subparsers) -> None:
    from gcdb.i18n import t

    parser = subparsers.add_parser("rules", help=t("cli.rules.help"), description=t("cli.rules.description"))
    sub = parser.add_subparsers(
        dest="rules_command", metavar=t("cli.metavar.subcommand"), title=t("cli.subcommands")
    )

    check = sub.add_parser("check", help=t("cli.rules.check"), description=t("cli.rules.check"))
    check.add_argument(
        "paths", nargs="+", type=Path, metavar=t("cli.metavar.path"), help=t("cli.rules.check_paths")
    )
    _catalogue_options(check)
    check.set_defaults(func=run_check)

    test = sub.add_parser("test", help=t("cli.rules.test"), description=t("cli.rules.test"))
    test.add_argument(
        "paths", nargs="+", type=Path, metavar=t("cli.metavar.path"), help=t("cli.rules.test_paths")
    )
    _catalogue_options(test)
    test.add_argument("--quiet", "-q", action="store_true", help=t("cli.rules.quiet"))
    test.set_defaults(func=run_test)

    schema = sub.add_parser("schema", help=t("cli.rules.schema"), description=t("cli.rules.schema"))
    schema.add_argument("--out", type=Path, metavar=t("cli.metavar.file"), help=t("cli.rules.schema_out"))
    schema.set_defaults(func=run_schema)

    parser.set_defaults(func=lambda args: _help(parser))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _catalogue_options(parser: argparse.ArgumentParser) -> None:
    from gcdb.i18n import t

    group = parser.add_mutually_exclusive_group()
    group.add_argument("--catalogue", type=Path, metavar=t("cli.metavar.path"), help=t("cli.rules.catalogue"))
    group.add_argument("--no-catalogue", action="store_true", help=t("cli.rules.no_catalogue"))


def load_catalogue(path: Path | None):
    """A plan catalogue from a directory (:class:`gcdb.catalogue.Catalogue`) or a CSV of action codes."""
    if path is None:
        return None
    from gcdb.errors import UsageError
    from gcdb.i18n import Message

    if path.is_dir():
        from gcdb.catalogue import Catalogue

        return Catalogue.load(path)
    if path.suffix.lower() == ".csv":
        import pandas as pd

        frame = pd.read_csv(path, dtype="str")
        if "action_code" not in frame.columns:
            raise UsageError(Message("cli.rules.catalogue_csv", path=str(path)))
        return set(frame["action_code"].dropna())
    raise UsageError(Message("cli.rules.catalogue_kind", path=str(path)))


def _looks_like_ruleset(path: Path) -> bool:
    """Whether a YAML file in a folder is a rule set (a mapping with ``rules``); unreadable files count, so that
    their errors are reported."""
    from gcdb.errors import RuleError
    from gcdb.yamlio import load_yaml_strict

    try:
        data = load_yaml_strict(path)
    except RuleError:
        return True
    return isinstance(data, dict) and "rules" in data


def ruleset_files(paths: list[Path]) -> list[Path]:
    """Rule set files named by ``paths`` (in folders: the ``*.yaml`` files with ``rules:``, not cases files; other
    YAML such as ``schemes.yaml`` or indicator definitions is skipped)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                p
                for p in sorted(path.glob("*.yaml"))
                if not p.name.endswith(".cases.yaml") and p.name != "schemes.yaml" and _looks_like_ruleset(p)
            )
        else:
            out.append(path)
    return out


def run_check(args: argparse.Namespace) -> int:
    from gcdb.errors import GcdbError
    from gcdb.i18n import format_int, t
    from gcdb.rules.cases import default_catalogue
    from gcdb.rules.load import load_ruleset

    files = ruleset_files(args.paths)
    if not files:
        print(f"gcdb: {t('cli.rules.none_found')}", file=sys.stderr)
        return 1
    explicit = None if args.no_catalogue else load_catalogue(args.catalogue)
    failed = 0
    for path in files:
        try:
            ruleset = load_ruleset(path)
            catalogue = explicit
            if catalogue is None and not args.no_catalogue:
                catalogue = default_catalogue(ruleset)
            if catalogue is not None:
                ruleset = load_ruleset(path, catalogue=catalogue)
        except GcdbError as exc:
            failed += 1
            print(f"{t('rules.case.fail')} {exc.render()}", file=sys.stderr)
            continue
        except FileNotFoundError as exc:
            failed += 1
            print(f"{t('rules.case.fail')} {exc.filename}: {t('read.file_not_found')}", file=sys.stderr)
            continue
        checked = t("cli.rules.checked") if catalogue is not None else t("cli.rules.not_checked")
        print(
            t(
                "cli.rules.ok",
                path=str(path),
                n=format_int(len(ruleset.rules)),
                applies_to=ruleset.applies_to,
                mode=ruleset.mode,
                checked=checked,
            )
        )
    return 1 if failed else 0


def run_test(args: argparse.Namespace) -> int:
    from gcdb.errors import GcdbError
    from gcdb.i18n import t
    from gcdb.rules.cases import run_cases

    catalogue = None if args.no_catalogue else load_catalogue(args.catalogue)
    results: list[CaseResult] = []
    broken = 0
    for path in args.paths:
        try:
            found = run_cases(path, catalogue=catalogue) if not args.no_catalogue else _run_unchecked(path)
        except GcdbError as exc:
            broken += 1
            print(f"{t('cli.rules.error')} {exc.render()}", file=sys.stderr)
            continue
        results.extend(found)
    for result in results:
        if not (args.quiet and result.passed):
            print(result)
    passed = sum(r.passed for r in results)
    failed = len(results) - passed
    broken_note = t("cli.rules.broken", n=broken) if broken else ""
    print(t("cli.rules.totals", passed=passed, failed=failed, broken=broken_note))
    if not results and not broken:
        print(f"gcdb: {t('cli.rules.no_cases')}", file=sys.stderr)
        return 1
    return 1 if failed or broken else 0


def _run_unchecked(path: Path):
    from gcdb.rules.cases import find_case_files, load_cases, run_case
    from gcdb.rules.load import load_ruleset

    out = []
    for cases_path in find_case_files(path):
        cases = load_cases(cases_path)
        rulesets = {}
        for case in cases:
            if case.ruleset_path not in rulesets:
                rulesets[case.ruleset_path] = load_ruleset(case.ruleset_path)
            out.append(run_case(case, rulesets[case.ruleset_path]))
    return out


def run_schema(args: argparse.Namespace) -> int:
    from gcdb.rules.load import ruleset_json_schema

    text = json.dumps(ruleset_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        from gcdb.i18n import t

        print(t("cli.wrote", path=str(args.out)))
    return 0
