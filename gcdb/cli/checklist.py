"""``gcdb checklist``: service checklists (kontrol listeleri) — show them, score assessments, feed the HGDG weighting.

    gcdb checklist show park                                     # sections, questions, points, scales
    gcdb checklist show kurallar/kutuphane.yaml                  # any checklist file (checked strictly)
    gcdb checklist score park park_degerlendirme.csv --out puanlar/
    gcdb checklist score park parklar.csv hgdg_design programlar.csv \\
        --budget butce.parquet --rules rules/ibb_yeep_2021_budget.yaml        # TCDB under HGDG, assessed scores

``score`` takes CHECKLIST ANSWERS pairs (a shipped id — ``park``, ``hgdg_design``, ``hgdg_implementation`` — or a
YAML file, and a .csv/.xlsx/.parquet of answers) and writes, per checklist, the tables ``checklist_<id>_*``
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


def run_score(args: argparse.Namespace) -> int:
    import pandas as pd

    from gcdb.checklists import (
        assessed_scores,
        hgdg_comparison,
        load_checklist,
        read_assessments,
        score_assessments,
    )
    from gcdb.errors import UsageError, format_issues

    if len(args.pairs) % 2:
        raise UsageError("give CHECKLIST ANSWERS pairs: a checklist id or file, then its answers file")
    if (args.budget is None) != (args.rules is None):
        raise UsageError("--budget and --rules go together")
    tr = args.lang == "tr"
    out, stdout = args.out, sys.stdout
    out.mkdir(parents=True, exist_ok=True)
    all_scores, failed = [], False
    for checklist_arg, answers in zip(args.pairs[::2], args.pairs[1::2], strict=True):
        checklist = load_checklist(checklist_arg)
        read = read_assessments(answers, checklist)
        print(f"{checklist.name(args.lang)}: {read.summary()}", file=stdout)
        if len(read.errors):
            failed = True
            print(format_issues(read.errors, limit=20), file=stdout)
        read.issues.to_csv(out / f"checklist_{checklist.id}_issues.csv", index=False, encoding="utf-8")
        if read.data.empty:
            continue
        scores = score_assessments(read, checklist)
        all_scores.append(scores)
        for name, table in scores.tables().items():
            table.to_csv(out / f"{name}.csv", index=False, encoding="utf-8")
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
    if args.budget is not None and all_scores:
        import gcdb

        budget = gcdb.read_budget(args.budget)
        rules = gcdb.load_ruleset(args.rules)
        tags = gcdb.tag(budget.data, rules)
        links = assessed_scores(*all_scores)
        links.to_csv(out / "hgdg_links.csv", index=False, encoding="utf-8")
        comparison = hgdg_comparison(budget.data, tags, links)
        for name, table in comparison.tables().items():
            table.to_csv(out / f"{name}.csv", index=False, encoding="utf-8")
        revised = comparison.summary[comparison.summary["phase"] == "revised_appropriation"]
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
    print(("Yazılan dosyalar: " if tr else "Files written: ") + str(out), file=stdout)
    return 1 if failed else 0
