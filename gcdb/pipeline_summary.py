"""The short text summary ``gcdb demo`` prints: reconciliations, the gender budget, the largest gaps, outputs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from gcdb import columns as C
from gcdb.money import KURUS_PER_LIRA

if TYPE_CHECKING:  # pragma: no cover
    from gcdb.pipeline import PipelineResult
    from gcdb.read import ReadResult

#: Scheme and reading the headline uses (EU CPR is the scheme the shipped budget rules name as default).
HEADLINE_SCHEME = "eu_cpr"
TOP_GAPS = 5


def summary_text(result: PipelineResult, lang: str = "tr") -> str:
    tr = lang == "tr"
    lines = ["gcdb — " + (result.inputs.label or str(result.inputs.budget.parent)), ""]
    lines.append(
        "Okuma ve doğrulama (okunan = geçerli + karantina):"
        if tr
        else "Reading and validation (read = valid + quarantined):"
    )
    for read in (result.budget, result.usage, result.population):
        lines += ["  " + line for line in _read_lines(read, tr)]
    if result.budget_analysis is not None:
        lines += ["", *_budget_lines(result, tr)]
    if result.services is not None:
        lines += ["", *_gap_lines(result, tr)]
    if result.outputs:
        lines += ["", "Çıktılar:" if tr else "Outputs:"]
        lines += [f"  {name}: {path}" for name, path in result.outputs.items()]
    return "\n".join(lines)


def _lira(kurus: int) -> str:
    return f"{int(kurus) / KURUS_PER_LIRA:,.2f} TL"


def _read_lines(read: ReadResult, tr: bool) -> list[str]:
    rec = read.reconciliation.set_index("measure")
    rows = rec.loc["rows"]
    out = [
        f"{read.source}: {int(rows['read']):,} = {int(rows['valid']):,} + {int(rows['quarantined']):,} "
        + ("satır" if tr else "rows")
        + f" · {len(read.errors)} {'hata' if tr else 'errors'}, {len(read.warnings)} {'uyarı' if tr else 'warnings'}"
    ]
    for phase in C.PHASES:
        if phase in rec.index:
            r = rec.loc[phase]
            out.append(
                f"    {C.label(phase, 'tr' if tr else 'en')}: {_lira(r['read'])} = {_lira(r['valid'])}"
                f" + {_lira(r['quarantined'])}"
            )
    return out


def _budget_lines(result: PipelineResult, tr: bool) -> list[str]:
    analysis = result.budget_analysis
    summary = analysis.summary
    out = [
        "Toplumsal cinsiyete duyarlı bütçe (revize ödenek):"
        if tr
        else "Gender budget (revised appropriation):"
    ]
    phase = C.REVISED_APPROPRIATION
    for rec in summary.to_dict("records"):
        reading = "" if rec["reading"] == "default" else f" [{rec['reading']}]"
        out.append(
            f"  {rec[C.FISCAL_YEAR]} {rec['scheme']:10}{reading:9} {_lira(rec['counted_' + phase]):>24}"
            f"  = {100 * rec['share_of_total_' + phase]:5.2f} %"
            + (" of " if not tr else " / ")
            + _lira(rec["budget_" + phase])
        )
    coverage = result.budget_tagging.coverage
    out.append(
        ("  Etiketlenen satır payı: " if tr else "  Lines tagged: ")
        + f"{100 * coverage.share('rows'):.1f} %, "
        + ("revize ödeneğin " if tr else "of revised appropriation: ")
        + f"{100 * coverage.share(phase):.1f} %"
    )
    rec = analysis.reconciliation
    balanced = bool(rec["balanced"].all())
    out.append(
        (
            "  Mutabakat (bütçe = sayılan + sayılmayan + etiketsiz, kuruşu kuruşuna): "
            if tr
            else "  Reconciliation (budget = counted + not counted + untagged, to the kuruş): "
        )
        + (("denk" if tr else "balanced") if balanced else ("DENK DEĞİL" if tr else "NOT BALANCED"))
        + f" ({len(rec)} {'kontrol' if tr else 'checks'})"
    )
    out.append(
        ("  Fonlanmayan eylemler: " if tr else "  Unfunded actions: ")
        + ", ".join(f"{y}: {n}" for y, n in analysis.unfunded_actions.groupby(C.FISCAL_YEAR).size().items())
        + ("; saptırma sinyalleri: " if tr else "; diversion signals: ")
        + str(len(analysis.diversion))
    )
    return out


def _gap_lines(result: PipelineResult, tr: bool) -> list[str]:
    gaps: pd.DataFrame = result.services.gaps
    latest = max(result.services.years)
    top = gaps[(gaps[C.FISCAL_YEAR] == latest) & gaps["ci_excludes_one"].eq(True).fillna(False)].head(
        TOP_GAPS
    )
    out = [
        (
            f"En büyük hizmet açıkları ({latest}, oran ve %95 GA):"
            if tr
            else f"Largest service gaps ({latest}, ratio and 95 % CI):"
        )
    ]
    for rec in top.to_dict("records"):
        where = f" [{rec['stratum']}]" if isinstance(rec.get("stratum"), str) and rec["stratum"] else ""
        out.append(
            f"  {rec[C.SERVICE_CODE]:4} {rec['dimension']}: {rec['group']} / {rec['reference_group']}{where}"
            f"  {rec['rate_ratio']:.2f} ({rec['ratio_ci_low']:.2f}–{rec['ratio_ci_high']:.2f})"
        )
    n_under = int((gaps[C.FISCAL_YEAR] == latest).sum())
    out.append(
        f"  toplam {n_under} yetersiz hizmet alan grup (oran < 0,8)"
        if tr
        else f"  {n_under} under-served groups in all (ratio < 0.8)"
    )
    return out
