"""``gcdb checklist``: service checklists (kontrol listeleri) — show them, score assessments, feed the HGDG weighting.

    gcdb checklist show park                                     # sections, questions, points, scales
    gcdb checklist show kurallar/kutuphane.yaml                  # any checklist file (checked strictly)
    gcdb checklist template park --out formlar/                  # a blank assessment workbook (gcdb.forms)
    gcdb checklist score park park_degerlendirme.csv --out puanlar/
    gcdb checklist score park doldurulan_formlar/ --out puanlar/ # filled assessment workbooks (a folder)
    gcdb checklist score park parklar.csv hgdg_design programlar.csv \\
        --budget butce.parquet --rules rules/ibb_yeep_2021_budget.yaml        # TCDB under HGDG, assessed scores

``score`` takes CHECKLIST ANSWERS pairs (a shipped id — ``park``, ``hgdg_design``, ``hgdg_implementation`` — or a
YAML file, and a .csv/.xlsx/.parquet of answers, a filled assessment workbook or a folder of them) and writes the
checklist report workbook (``kontrol_listesi_raporu.xlsx``) and, per checklist, the tables ``checklist_<id>_*``
(assessments, sections, by_service_district, by_question) and ``checklist_<id>_issues``; with ``--budget`` and
``--rules`` also ``hgdg_links`` and ``hgdg_assessed_*`` (the TCDB figure under the HGDG scheme with the rules'
hand-typed scores and with the assessed ones). Exit code 1 when answers have errors, 2 for a wrong command line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers) -> None:
    from gcdb.cli.main import add_lang_option
    from gcdb.i18n import t

    parser = subparsers.add_parser(
        "checklist", help=t("cli.checklist.help"), description=t("cli.checklist.description")
    )
    sub = parser.add_subparsers(
        dest="checklist_command", metavar=t("cli.metavar.subcommand"), title=t("cli.subcommands")
    )
    name = t("cli.metavar.checklist")

    text = t("cli.checklist.show")
    show = sub.add_parser("show", help=text, description=text)
    show.add_argument("checklist", metavar=name, help=t("cli.checklist.checklist"))
    add_lang_option(show)
    show.set_defaults(func=run_show)

    text = t("cli.checklist.template")
    tpl = sub.add_parser("template", help=text, description=text)
    tpl.add_argument("checklist", metavar=name, help=t("cli.checklist.checklist"))
    tpl.add_argument(
        "--out",
        type=Path,
        default=Path("gcdb-out") / "kontrol_formlari",
        metavar=t("cli.metavar.path"),
        help=t("cli.checklist.template_out"),
    )
    add_lang_option(tpl)
    tpl.set_defaults(func=run_template)

    text = t("cli.checklist.score")
    score = sub.add_parser("score", help=text, description=text)
    score.add_argument(
        "pairs", nargs="+", metavar=t("cli.metavar.checklist_answers"), help=t("cli.checklist.pairs")
    )
    score.add_argument(
        "--out",
        type=Path,
        default=Path("gcdb-out") / "kontrol_listeleri",
        metavar=t("cli.metavar.dir"),
        help=t("cli.checklist.score_out"),
    )
    score.add_argument("--budget", type=Path, metavar=t("cli.metavar.file"), help=t("cli.checklist.budget"))
    score.add_argument("--rules", type=Path, metavar="YAML", help=t("cli.checklist.rules"))
    add_lang_option(score)
    score.set_defaults(func=run_score)

    parser.set_defaults(func=lambda args: _help(parser))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def run_show(args: argparse.Namespace) -> int:
    from gcdb.checklists import load_checklist
    from gcdb.i18n import t

    checklist = load_checklist(args.checklist)
    lang = args.lang
    tr = lang == "tr"
    out = sys.stdout
    print(f"{checklist.name(lang)} ({checklist.id}, {checklist.version})", file=out)
    print("  " + t("cli.checklist.max_score", lang, score=_points(checklist.max_score, lang)), file=out)
    print("  " + t("cli.checklist.source", lang, reference=" ".join(checklist.reference.split())), file=out)
    for section in checklist.sections:
        title = section.title_tr if tr else section.title_en
        print(f"\n{section.id} {title} ({_points(section.points, lang)})", file=out)
        for q in section.questions:
            text = q.text_tr if tr else q.text_en
            options = " / ".join(o.label_tr if tr else o.label_en for o in checklist.scale(q.scale).options)
            print(f"  {q.id:6} [{_points(q.max_score, lang)}] {text}  ({options})", file=out)
    return 0


def _points(value: float, lang: str) -> str:
    """Points as people write them: no trailing zeros (``12``, ``2,5``), in the language's format."""
    from gcdb.i18n import format_number

    decimals = 0 if float(value).is_integer() else 2
    text = format_number(float(value), decimals, lang)
    return text.rstrip("0") if decimals else text


def run_template(args: argparse.Namespace) -> int:
    from gcdb.checklists import load_checklist
    from gcdb.checklists.workbook import write_checklist_template

    checklist = load_checklist(args.checklist)
    from gcdb.i18n import t

    path = write_checklist_template(checklist, args.out, lang=args.lang)
    print(t("cli.checklist.template_written", args.lang, path=str(path)))
    return 0


def run_score(args: argparse.Namespace) -> int:
    import pandas as pd

    from gcdb.checklists.run import score_checklists
    from gcdb.errors import UsageError, format_issues
    from gcdb.i18n import Message, format_int, format_number, format_percent, t
    from gcdb.report.checklists import write_checklist_workbook

    if len(args.pairs) % 2:
        raise UsageError(Message("cli.checklist.pairs_odd"))
    if (args.budget is None) != (args.rules is None):
        raise UsageError(Message("cli.checklist.together"))
    lang = args.lang
    out, stdout = args.out, sys.stdout
    out.mkdir(parents=True, exist_ok=True)
    budget = tags = None
    if args.budget is not None:
        import gcdb

        budget = gcdb.read_budget(args.budget).data
        tags = gcdb.tag(budget, gcdb.load_ruleset(args.rules))
    pairs = [(c, Path(a)) for c, a in zip(args.pairs[::2], args.pairs[1::2], strict=True)]
    run = score_checklists(pairs, budget=budget, tags=tags, lang=args.lang)
    failed = False
    for checklist, read, scores in zip(run.checklists, run.reads, run.scores, strict=True):
        print(f"{checklist.name(args.lang)}: {read.summary()}", file=stdout)
        if len(read.errors):
            failed = True
            print(format_issues(read.errors, limit=20), file=stdout)
        overall = scores.by_service_district[scores.by_service_district["district"].isna()]
        for rec in overall.to_dict("records"):
            line = t(
                "cli.checklist.scored",
                lang,
                subjects=format_int(int(rec["subjects"]), lang),
                mean=format_number(rec["mean_score"], 1, lang),
                max=_points(checklist.max_score, lang),
                hgdg=format_number(rec["mean_hgdg_score"], 1, lang),
                weight=format_percent(rec["weight"], 0, lang),
            )
            print(f"  {rec['service_code'] if pd.notna(rec['service_code']) else '-'}: {line}", file=stdout)
    for name, table in run.tables().items():
        table.to_csv(out / f"{name}.csv", index=False, encoding="utf-8")
    if run.hgdg is not None:
        revised = run.hgdg.summary[run.hgdg.summary["phase"] == "revised_appropriation"]
        print(t("cli.checklist.hgdg", lang), file=stdout)
        for rec in revised.to_dict("records"):
            shares = t(
                "cli.checklist.hgdg_shares",
                lang,
                hand_typed=format_percent(rec["share_hand_typed"], 2, lang),
                assessed=format_percent(rec["share_assessed"], 2, lang),
            )
            print(f"  {rec['fiscal_year']}: {shares}", file=stdout)
    workbook = out / t("file.checklists", lang)
    write_checklist_workbook(workbook, run, lang=lang)
    print(t("cli.checklist.workbook", lang, path=str(workbook)), file=stdout)
    print(t("cli.checklist.written", lang, path=str(out)), file=stdout)
    return 1 if failed else 0
