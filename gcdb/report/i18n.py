"""Report strings in Turkish and English: sheet titles, notes, chart titles, total/check labels.

Column headers come from :func:`gcdb.columns.label`; this module holds everything else a report prints.
:func:`t` looks a key up and fails loudly on an unknown key — keys are program constants, so a missing key is a
bug that the tests of the code path using it catch. :func:`header` gives a column header: the canonical label from
:mod:`gcdb.columns` first, then ``column.<name>`` here, then the name itself.
"""

from __future__ import annotations

import difflib
import math
from typing import Final

from gcdb import columns as C

LANGS: Final = ("tr", "en")

#: key → (Turkish, English). Placeholders in braces are filled by :func:`t`'s keyword arguments.
STRINGS: Final[dict[str, tuple[str, str]]] = {
    # report titles
    "title.tcdb": ("Toplumsal Cinsiyete Duyarlı Bütçe Analizi", "Gender-Responsive Budget Analysis"),
    "title.equality": ("Hizmette Eşitlik Raporu", "Equality in Services Report"),
    "subject.tcdb": (
        "TCDB – bütçe satırlarının eşitlik eylemlerine göre analizi",
        "TCDB – budget lines by equality action",
    ),
    "subject.equality": ("Hizmetlerden yararlanmada eşitlik", "Equality in service use"),
    # sheet names (≤ 31 characters)
    "sheet.summary": ("Özet", "Summary"),
    "sheet.methodology": ("Yöntem", "Methodology"),
    "sheet.lines": ("Bütçe Satırları", "Budget lines"),
    "sheet.actions": ("Eylemler", "Actions"),
    "sheet.targets": ("Hedefler", "Targets"),
    "sheet.areas": ("Amaçlar", "Priority areas"),
    "sheet.departments": ("Birimler", "Departments"),
    "sheet.functional": ("Fonksiyonel Sınıflandırma", "Functional classification"),
    "sheet.economic": ("Ekonomik Sınıflandırma", "Economic classification"),
    "sheet.untagged": ("Eşleşmeyen Satırlar", "Untagged lines"),
    "sheet.rules": ("Kurallar", "Rules"),
    "sheet.issues": ("Veri Sorunları", "Data issues"),
    "sheet.services": ("Hizmetler", "Services"),
    "sheet.coverage": ("Kapsama", "Coverage"),
    "sheet.districts": ("İlçeler", "Districts"),
    "sheet.neighbourhoods": ("Mahalleler", "Neighbourhoods"),
    "sheet.gaps": ("Eşitsizlikler", "Gaps"),
    "sheet.incidence": ("Fayda Dağılımı", "Benefit incidence"),
    "sheet.indicators": ("Göstergeler", "Indicators"),
    "sheet.charts": ("Grafikler", "Charts"),
    "sheet.checks": ("Kontroller", "Checks"),
    "sheet.default": ("Sayfa", "Sheet"),
    # table furniture
    "total": ("Toplam", "Total"),
    "subtotal": ("Ara Toplam", "Subtotal"),
    "check.balanced": ("Denk", "Balanced"),
    "check.unbalanced": ("Denk değil", "Not balanced"),
    "flag.under": ("Düşük temsil", "Under-served"),
    "flag.over": ("Yüksek temsil", "Over-served"),
    "kv.item": ("Kalem", "Item"),
    "kv.value": ("Değer", "Value"),
    # notes
    "note.money": (
        "Tutarlar Türk lirası (₺) olarak, kuruş hassasiyetinde gösterilmiştir.",
        "Amounts in Turkish lira (₺), exact to the kuruş.",
    ),
    "note.suppressed": (
        "“<{k}”: {k} kişiden az; kişisel verilerin korunması için gösterilmemiştir.",
        "“<{k}”: fewer than {k} people; not shown to protect personal data.",
    ),
    "note.blank": (
        "Boş hücre: değer tanımsız (örneğin nüfus sıfır) ya da veri yok.",
        "Blank cell: the value is undefined (e.g. zero population) or there is no data.",
    ),
    "note.totals": (
        "Toplam satırları formüldür; tablo düzenlenirse yeniden hesaplanır.",
        "Total rows are formulas and recalculate if the table is edited.",
    ),
    "note.flags": (
        "Kırmızı: oranlar oranı < 0,8 (düşük temsil); sarı: > 1,25 (yüksek temsil).",
        "Red: rate ratio < 0.8 (under-served); amber: > 1.25 (over-served).",
    ),
    "note.generated": ("gcdb {version} ile üretilmiştir.", "Produced with gcdb {version}."),
    # charts
    "chart.reference": ("Genel", "Overall"),
    "chart.reference_line": ("Kırmızı çizgi: {label} = {value}", "Red line: {label} = {value}"),
    "chart.rate_per_1000": ("1.000 kişide oran", "Rate per 1,000"),
    "chart.district_ranking": ("İlçe sıralaması", "District ranking"),
    "chart.budget_by_area": ("Amaçlara göre bütçe", "Budget by priority area"),
    "chart.budget_share_by_area": ("Amaçlara göre bütçe payı", "Budget share by priority area"),
    "chart.execution_by_department": ("Birimlere göre gerçekleşme oranı", "Execution rate by department"),
    "chart.amount": ("Tutar (₺)", "Amount (₺)"),
    "chart.share": ("Pay", "Share"),
    # headers of measures that are not canonical input columns
    "column.execution_rate": ("Gerçekleşme Oranı", "Execution rate"),
    "column.share_of_budget": ("Bütçe Payı", "Share of budget"),
    "column.users": ("Yararlanıcı", "Users"),
    "column.uses": ("Kullanım", "Uses"),
    "column.rate_per_1000": ("Oran (1.000 kişide)", "Rate per 1,000"),
    "column.ci_low": ("Güven Aralığı Alt", "CI lower"),
    "column.ci_high": ("Güven Aralığı Üst", "CI upper"),
    "column.rate_ratio": ("Oranlar Oranı", "Rate ratio"),
    "column.representation_index": ("Temsil Endeksi", "Representation index"),
    "column.flag": ("Durum", "Flag"),
    "column.lines": ("Satır Sayısı", "Lines"),
    "attributed": ("Atfedilen {phase}", "Attributed {phase}"),
}


class MissingTranslation(KeyError):
    """A report string key that :data:`STRINGS` does not hold (a programming error)."""


def _check_lang(lang: str) -> int:
    if lang not in LANGS:
        raise ValueError(f"lang must be 'tr' or 'en', got {lang!r}")
    return LANGS.index(lang)


def t(key: str, lang: str = "tr", **values: object) -> str:
    """The report string ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    >>> t("total", "en")
    'Total'
    """
    i = _check_lang(lang)
    pair = STRINGS.get(key)
    if pair is None:
        close = difflib.get_close_matches(key, STRINGS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise MissingTranslation(f"no report string {key!r}{hint}")
    text = pair[i]
    return text.format(**values) if values else text


def header(name: str, lang: str = "tr") -> str:
    """Column header of a column name: :mod:`gcdb.columns` label, ``column.<name>``, attributed phase, or the name."""
    _check_lang(lang)
    if name in C.LABELS:
        return C.label(name, lang)
    key = f"column.{name}"
    if key in STRINGS:
        return t(key, lang)
    if name.startswith(C.ATTRIBUTED_PREFIX):
        phase = name[len(C.ATTRIBUTED_PREFIX) :]
        if phase in C.LABELS:
            phase_label = C.label(phase, lang)
            return t("attributed", lang, phase=phase_label if lang == "tr" else phase_label.lower())
    return name


def format_number(value: float, decimals: int = 1, lang: str = "tr", *, percent: bool = False) -> str:
    """A number as text in the report language (``1.234,5`` in Turkish, ``1,234.5`` in English)."""
    _check_lang(lang)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    shown = value * 100 if percent else value
    text = f"{shown:,.{decimals}f}"
    if lang == "tr":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if percent:
        text = f"%{text}" if lang == "tr" else f"{text}%"
    return text
