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
    parser = subparsers.add_parser(
        "checklist",
        help="show checklists, score assessments, assessed HGDG scores in the budget",
        description=__doc__.split("\n\n")[0],
    )
    sub = parser.add_subparsers(dest="checklist_command", metavar="SUBCOMMAND")

    show = sub.add_parser("show", help="print a checklist (shipped id or YAML file), checked strictly")
    show.add_argument("checklist", help="park, hgdg_design, hgdg_implementation, or a .yaml file")
    show.add_argument("--lang", choices=("tr", "en"), default="tr", help="language (default tr)")
    show.set_defaults(func=run_show)

    tpl = sub.add_parser("template", help="write a blank assessment workbook of a checklist")
    tpl.add_argument("checklist", help="park, hgdg_design, hgdg_implementation, or a .yaml file")
    tpl.add_argument(
        "--out",
        type=Path,
        default=Path("gcdb-out") / "kontrol_formlari",
        help="folder or .xlsx file to write",
    )
    tpl.add_argument("--lang", choices=("tr", "en"), default="tr", help="language (default tr)")
    tpl.set_defaults(func=run_template)

    score = sub.add_parser("score", help="score assessments; with --budget and --rules, the HGDG weighting")
    score.add_argument(
        "pairs", nargs="+", metavar="CHECKLIST ANSWERS", help="checklist and answers file, repeated"
    )
    score.add_argument(
        "--out", type=Path, default=Path("gcdb-out") / "kontrol_listeleri", help="output folder"
    )
    score.add_argument("--budget", type=Path, metavar="BUDGET", help="budget lines the assessments score")
    score.add_argument(
        "--rules", type=Path, metavar="RULES", help="the budget rule set (with ph_hgdg scores)"
    )
    score.add_argument("--lang", choices=("tr", "en"), default="tr", help="language (default tr)")
    score.set_defaults(func=run_score)

    parser.set_defaults(func=lambda args: _help(parser))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def run_show(args: argparse.Namespace) -> int:
    from gcdb.checklists import load_checklist

    checklist = load_checklist(args.checklist)
    tr = args.lang == "tr"
    out = sys.stdout
    print(f"{checklist.name(args.lang)} ({checklist.id}, {checklist.version})", file=out)
    print(f"  {'En yüksek puan' if tr else 'Maximum score'}: {checklist.max_score:g}", file=out)
    print(f"  {'Kaynak' if tr else 'Source'}: {' '.join(checklist.reference.split())}", file=out)
    for section in checklist.sections:
        title = section.title_tr if tr else section.title_en
        print(f"\n{section.id} {title} ({section.points:.4g})", file=out)
        for q in section.questions:
            text = q.text_tr if tr else q.text_en
            options = " / ".join(o.label_tr if tr else o.label_en for o in checklist.scale(q.scale).options)
            print(f"  {q.id:6} [{q.max_score:.3g}] {text}  ({options})", file=out)
    return 0


def run_template(args: argparse.Namespace) -> int:
    from gcdb.checklists import load_checklist
    from gcdb.checklists.workbook import write_checklist_template

    checklist = load_checklist(args.checklist)
    path = write_checklist_template(checklist, args.out, lang=args.lang)
    tr = args.lang == "tr"
    print(("Değerlendirme formu yazıldı: " if tr else "Assessment workbook written: ") + str(path))
    return 0


def run_score(args: argparse.Namespace) -> int:
    import pandas as pd

    from gcdb.checklists.run import score_checklists
    from gcdb.errors import UsageError, format_issues
    from gcdb.i18n import t
    from gcdb.report.checklists import write_checklist_workbook

    if len(args.pairs) % 2:
        raise UsageError("give CHECKLIST ANSWERS pairs: a checklist id or file, then its answers file")
    if (args.budget is None) != (args.rules is None):
        raise UsageError("--budget and --rules go together")
    tr = args.lang == "tr"
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
            print(
                f"  {rec['service_code'] if pd.notna(rec['service_code']) else '-'}: "
                + (
                    f"{rec['subjects']} tesis/program, ortalama {rec['mean_score']:.1f} / {checklist.max_score:g}, "
                    f"HGDG {rec['mean_hgdg_score']:.1f} / 20 (bütçeye yansıyan pay %{rec['weight'] * 100:.0f})"
                    if tr
                    else f"{rec['subjects']} facilities/programmes, mean {rec['mean_score']:.1f} / "
                    f"{checklist.max_score:g}, HGDG {rec['mean_hgdg_score']:.1f} / 20 ({rec['weight']:.0%} counted)"
                ),
                file=stdout,
            )
    for name, table in run.tables().items():
        table.to_csv(out / f"{name}.csv", index=False, encoding="utf-8")
    if run.hgdg is not None:
        revised = run.hgdg.summary[run.hgdg.summary["phase"] == "revised_appropriation"]
        print("HGDG (revize ödenek)" if tr else "HGDG (revised appropriation)", file=stdout)
        for rec in revised.to_dict("records"):
            print(
                f"  {rec['fiscal_year']}: "
                + ("kuraldaki puanlarla " if tr else "hand-typed scores ")
                + f"{rec['share_hand_typed']:.2%}, "
                + ("değerlendirmelerle " if tr else "assessed scores ")
                + f"{rec['share_assessed']:.2%}",
                file=stdout,
            )
    workbook = out / t("file.checklists", args.lang)
    write_checklist_workbook(workbook, run, lang=args.lang)
    print(("Kontrol Listesi Raporu: " if tr else "Checklist Report: ") + str(workbook), file=stdout)
    print(("Yazılan dosyalar: " if tr else "Files written: ") + str(out), file=stdout)
    return 1 if failed else 0
