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
    """The console summary of a run, in ``lang``: labels from the report's i18n, numbers in its format."""
    tr = lang == "tr"
    lines = ["gcdb — " + (result.inputs.label or str(result.inputs.budget.parent)), ""]
    lines.append(
        "Okuma ve doğrulama (okunan = geçerli + karantina):"
        if tr
        else "Reading and validation (read = valid + quarantined):"
    )
    for read in (result.budget, result.usage, result.population):
        lines += ["  " + line for line in _read_lines(read, lang)]
    if result.budget_analysis is not None:
        lines += ["", *_budget_lines(result, lang)]
    if result.services is not None:
        lines += ["", *_gap_lines(result, lang)]
    if result.outputs:
        lines += ["", "Çıktılar:" if tr else "Outputs:"]
        lines += [f"  {name}: {path}" for name, path in result.outputs.items()]
    return "\n".join(lines)


def _number(value: float, decimals: int, lang: str) -> str:
    from gcdb.report.i18n import format_number

    return format_number(value, decimals, lang)


def _count(value: int, lang: str) -> str:
    return _number(int(value), 0, lang)


def _percent(share: float, decimals: int, lang: str) -> str:
    from gcdb.report.i18n import format_number

    return format_number(share, decimals, lang, percent=True)


def _lira(kurus: int, lang: str = "tr") -> str:
    return f"{_number(int(kurus) / KURUS_PER_LIRA, 2, lang)} TL"


def _read_lines(read: ReadResult, lang: str) -> list[str]:
    tr = lang == "tr"
    rec = read.reconciliation.set_index("measure")
    rows = rec.loc["rows"]
    out = [
        f"{read.source}: {_count(rows['read'], lang)} = {_count(rows['valid'], lang)}"
        f" + {_count(rows['quarantined'], lang)} "
        + ("satır" if tr else "rows")
        + f" · {len(read.errors)} {'hata' if tr else 'errors'}, {len(read.warnings)} {'uyarı' if tr else 'warnings'}"
    ]
    for phase in C.PHASES:
        if phase in rec.index:
            r = rec.loc[phase]
            out.append(
                f"    {C.label(phase, lang)}: {_lira(r['read'], lang)} = {_lira(r['valid'], lang)}"
                f" + {_lira(r['quarantined'], lang)}"
            )
    return out


def _scheme(scheme_id: str, lang: str) -> str:
    from gcdb.report import i18n, i18n_tcdb  # noqa: F401  (i18n_tcdb registers the scheme labels)

    return i18n.optional(f"tcdb.scheme.{scheme_id}", scheme_id, lang)


def _reading(reading: str, lang: str) -> str:
    from gcdb.report import i18n, i18n_tcdb  # noqa: F401

    if reading == "default":
        return ""
    return "[" + i18n.optional(f"tcdb.reading_short.{reading}", reading, lang) + "]"


def _reading_label(reading: str, lang: str) -> str:
    from gcdb.budget import names as BN

    pair = BN.LABELS.get(reading)
    return pair[0 if lang == "tr" else 1] if pair else reading


def _budget_lines(result: PipelineResult, lang: str) -> list[str]:
    tr = lang == "tr"
    analysis = result.budget_analysis
    summary = analysis.summary
    out = [
        "Toplumsal cinsiyete duyarlı bütçe (revize ödenek):"
        if tr
        else "Gender budget (revised appropriation):"
    ]
    phase = C.REVISED_APPROPRIATION
    records = summary.to_dict("records")
    names = [_scheme(rec["scheme"], lang) for rec in records]
    width = max([len(n) for n in names] + [8])
    for rec, name in zip(records, names, strict=True):
        reading = _reading(rec["reading"], lang)
        out.append(
            f"  {rec[C.FISCAL_YEAR]} {name:{width}} {reading:7} {_lira(rec['counted_' + phase], lang):>24}"
            f"  = {_percent(rec['share_of_total_' + phase], 2, lang):>7}"
            + (" / " if tr else " of ")
            + _lira(rec["budget_" + phase], lang)
        )
    shown = sorted({rec["reading"] for rec in records} - {"default"})
    for reading in shown:
        out.append(f"  {_reading(reading, lang)}: {_reading_label(reading, lang)}")
    coverage = result.budget_tagging.coverage
    out.append(
        ("  Etiketlenen satır payı: " if tr else "  Lines tagged: ")
        + f"{_percent(coverage.share('rows'), 1, lang)}, "
        + ("revize ödeneğin " if tr else "of revised appropriation: ")
        + _percent(coverage.share(phase), 1, lang)
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


def _group(value: object, lang: str) -> str:
    from gcdb.equality import names as EN

    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return EN.label(str(value), lang)


def _stratum(rec: dict, lang: str) -> str:
    """``[Cinsiyet: Kadın]`` for a comparison within a stratum, else ``""``."""
    from gcdb.equality import names as EN

    stratum = rec.get("stratum")
    if not isinstance(stratum, str) or not stratum:
        return ""
    dims = rec.get("strata")
    if isinstance(dims, str) and dims:
        parts = [
            f"{C.label(d, lang)}: {EN.label(v, lang)}"
            for d, v in zip(dims.split("|"), stratum.split("|"), strict=False)
        ]
        return " [" + " · ".join(parts) + "]"
    return " [" + " · ".join(EN.label(v, lang) for v in stratum.split("|")) + "]"


def _gap_lines(result: PipelineResult, lang: str) -> list[str]:
    """The under-served groups of the latest year, most people missing first, and the count every output shares
    (:meth:`gcdb.services.ServiceAnalysis.under_served_count`, the workbook's and the tidy ``gaps`` table's)."""
    tr = lang == "tr"
    analysis = result.services
    gaps: pd.DataFrame = analysis.under_served
    latest = max(analysis.years)
    top = gaps[(gaps[C.FISCAL_YEAR] == latest).to_numpy()].head(TOP_GAPS)
    out = [
        (
            f"En çok kişiye ulaşamayan hizmet açıkları ({latest}; eksik kişi, oranlar oranı ve %95 GA):"
            if tr
            else f"Largest service gaps ({latest}; people missing, rate ratio and 95 % CI):"
        )
    ]
    for rec in top.to_dict("records"):
        dimension = (
            C.label(str(rec["dimension"]), lang) if str(rec["dimension"]) in C.LABELS else rec["dimension"]
        )
        missing = _count(round(float(rec["users_missing"])), lang)
        out.append(
            f"  {rec[C.SERVICE_CODE]:4} {dimension}: {_group(rec['group'], lang)} / "
            f"{_group(rec['reference_group'], lang)}{_stratum(rec, lang)}"
            + (f"  {missing} kişi eksik" if tr else f"  {missing} people missing")
            + f", {_number(rec['rate_ratio'], 2, lang)}"
            f" ({_number(rec['ratio_ci_low'], 2, lang)}–{_number(rec['ratio_ci_high'], 2, lang)})"
        )
    total = analysis.under_served_count()
    per_year = ", ".join(f"{y}: {_count(analysis.under_served_count(y), lang)}" for y in analysis.years)
    rule = analysis.rule
    out.append(
        f"  toplam {_count(total, lang)} eksik hizmet alan grup ({per_year}; uygun nüfus içinde, "
        f"oranlar oranının GA'sı {_number(rule.threshold, 1, lang)}'in altında)"
        if tr
        else f"  {_count(total, lang)} under-served groups in all ({per_year}; within the eligible population, "
        f"rate ratio CI below {_number(rule.threshold, 1, lang)})"
    )
    return out
