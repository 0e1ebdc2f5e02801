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
    # input files (the role an input plays), on the methodology sheets
    "input.budget": ("Bütçe", "Budget"),
    "input.usage": ("Hizmet kullanımı", "Service use"),
    "input.population": ("Nüfus", "Population"),
    "input.rules": ("Kural seti", "Rule set"),
    "input.budget_rules": ("Bütçe kural seti", "Budget rule set"),
    "input.service_rules": ("Hizmet kural seti", "Service rule set"),
    "input.indicators": ("Plan göstergeleri", "Plan indicators"),
    "input.services": ("Hizmet kataloğu", "Service catalogue"),
    "input.catalogue": ("Eylem planı kataloğu", "Action-plan catalogue"),
    "input.plan": ("Eylem planı kataloğu", "Action-plan catalogue"),
    # analysis tables named on the methodology sheets (hidden-cell counts)
    "table.impact": ("Oranlar tablosu (tüm karşılaştırmalar)", "Ratio table (every comparison)"),
    "table.headline": ("Hizmetler — temel göstergeler", "Services — key figures"),
    "table.incidence_groups": ("Fayda dağılımı – gruplar", "Benefit incidence – groups"),
    "table.incidence_by_service": ("Fayda dağılımı – hizmetler", "Benefit incidence – services"),
    "table.indicators": ("Plan göstergeleri", "Plan indicators"),
    # data issues (gcdb.errors.IssueCode): the Turkish reports put this before the reader's (English) message
    "issue.file_not_found": ("Dosya bulunamadı", "File not found"),
    "issue.file_unreadable": ("Dosya okunamadı", "File unreadable"),
    "issue.unsupported_format": ("Desteklenmeyen dosya biçimi", "Unsupported format"),
    "issue.empty_file": ("Dosya boş", "Empty file"),
    "issue.missing_column": ("Zorunlu sütun eksik", "Required column missing"),
    "issue.duplicate_column": ("Sütun iki kez var", "Duplicate column"),
    "issue.personal_data": ("Kişisel veri içeren sütun (dosya okunmadı)", "Column with personal data"),
    "issue.missing_value": ("Zorunlu değer boş", "Required value missing"),
    "issue.unparseable_number": ("Sayı okunamadı", "Unparseable number"),
    "issue.unparseable_date": ("Tarih okunamadı", "Unparseable date"),
    "issue.negative_amount": ("Negatif tutar", "Negative amount"),
    "issue.expenditure_exceeds_revised": ("Harcama revize ödeneği aşıyor", "Expenditure exceeds revised"),
    "issue.malformed_code": ("Kod biçimi hatalı", "Malformed code"),
    "issue.duplicate_id": ("Yinelenen kimlik", "Duplicate id"),
    "issue.unknown_sex": ("Tanınmayan cinsiyet değeri", "Unknown sex"),
    "issue.unknown_disability": ("Tanınmayan engellilik değeri", "Unknown disability"),
    "issue.unknown_migrant_status": ("Tanınmayan göçmenlik değeri", "Unknown migrant status"),
    "issue.age_out_of_range": ("Yaş geçerli aralığın dışında", "Age out of range"),
    "issue.unknown_age_band": ("Tanınmayan yaş grubu", "Unknown age band"),
    "issue.unknown_district": ("Tanınmayan ilçe", "Unknown district"),
    "issue.unknown_neighbourhood": ("Tanınmayan mahalle", "Unknown neighbourhood"),
    "issue.invalid_value": ("Geçersiz değer", "Invalid value"),
    "note.fixed_date": (
        "{date} (sabit tarih: aynı girdiler aynı dosyayı verir; SOURCE_DATE_EPOCH ile değiştirilir)",
        "{date} (fixed date: identical inputs give identical files; set SOURCE_DATE_EPOCH to change it)",
    ),
    # yes / no
    "yes": ("Evet", "Yes"),
    "no": ("Hayır", "No"),
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


def optional(key: str, fallback: str, lang: str = "tr", **values: object) -> str:
    """:func:`t` of ``key`` if the registry holds it, else ``fallback`` (for labels of open-ended codes)."""
    return t(key, lang, **values) if key in STRINGS else fallback


def column_labels(values, lang: str = "tr"):
    """Canonical column names in ``values`` (an issues table's ``column``) as their report labels; others kept.

    ``values`` is a pandas Series; the result is a ``str`` Series of the same index.
    """
    import pandas as pd

    text = pd.Series(values, dtype="str")
    names = text.fillna("")
    shown = names.map(lambda name: C.label(name, lang) if name in C.LABELS else name)
    return shown.where(text.notna(), None).astype("str")


def issue_messages(codes, messages, lang: str = "tr"):
    """The issues table's messages for a report in ``lang``: in Turkish, ``"<Turkish description> — <message>"``
    (the readers write their messages in English); in English, the messages as they are. Series in, Series out.
    """
    import pandas as pd

    text = pd.Series(messages, dtype="str")
    if lang != "tr":
        return text
    code = pd.Series(codes, dtype="str").fillna("")
    desc = code.map(lambda c: optional(f"issue.{c}", "", lang))
    shown = [
        f"{d} — {m}" if d and isinstance(m, str) and m else (d or m)
        for d, m in zip(desc.tolist(), text.tolist(), strict=True)
    ]
    return pd.Series(shown, index=text.index, dtype="str")


def input_role(role: str, lang: str = "tr") -> str:
    """The label of an input file's role (``budget`` → ``Bütçe``); an unknown role is shown as given."""
    return optional(f"input.{str(role).replace('-', '_')}", str(role), lang)


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
