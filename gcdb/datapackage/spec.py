"""What gcdb's tidy tables mean, as data: table titles, primary keys, units, extra column labels and the Fiscal
Data Package column types. :mod:`gcdb.datapackage.describe` turns this into ``datapackage.json``.

Column titles come first from the report labels (:data:`gcdb.columns.LABELS`, ``gcdb.budget.names.LABELS``,
``gcdb.equality.names.LABELS``); :data:`EXTRA_LABELS` covers the columns those do not name. A table or column
missing here is still described (type from its dtype, its name as title) — add it here to give it meaning.

Fiscal Data Package (FDP 1.0rc1, frictionlessdata specs) conventions used for budget tables:

* classifications as ``columnType`` on fields: administrative (``institutional_code`` code, unit names as label),
  functional (``functional_code``), economic (``economic_code``; level 1/2 in ``by_economic_1``/``_2``);
  ``fiscal_year`` is ``date:fiscal-year``, ``line_id`` is ``budget-line-id``;
* phases: a money column per phase (``counted_revised_appropriation`` …) carries ``normalize`` (``phase`` and
  ``measure``), and the schema's ``extraFields`` declare ``phase`` (``phase:id``), ``measure``, the
  normalisation target ``amount`` (``value``) and the constant currency ``TRY`` — so a reader can unpivot the
  wide table into one amount per row. gcdb's phases map to FDP's as :data:`FDP_PHASES`.
"""

from __future__ import annotations

from typing import Final

from gcdb import columns as C

# ---------------------------------------------------------------------------------------------------------------
# Units (the field property ``unit``) and their explanation in the field description
# ---------------------------------------------------------------------------------------------------------------
KURUS: Final = "kuruş"
PER_1000: Final = "per 1,000"
FRACTION: Final = "fraction"
COUNT: Final = "count"
YEAR: Final = "year"

UNIT_TEXT: Final[dict[str, tuple[str, str]]] = {
    KURUS: ("tamsayı kuruş (1 TL = 100 kuruş)", "integer kuruş (1 TL = 100 kuruş)"),
    PER_1000: ("binde (1.000 kişide)", "per 1,000 residents"),
    FRACTION: ("oran: 1 = %100", "fraction: 1 = 100 %"),
    COUNT: ("sayı", "count"),
    YEAR: ("yıl", "year"),
}

#: gcdb's money phases → Fiscal Data Package budget phases.
FDP_PHASES: Final[dict[str, str]] = {
    C.INITIAL_APPROPRIATION: "approved",
    C.REVISED_APPROPRIATION: "adjusted",
    C.EXPENDITURE: "executed",
}
CURRENCY: Final = "TRY"

#: ``<family>_<phase>`` columns: unit and (Turkish, English) label of the family.
PHASE_FAMILIES: Final[dict[str, tuple[str, tuple[str, str]]]] = {
    "budget": (KURUS, ("Bütçe", "Budget")),
    "attributed": (KURUS, ("Etiketlenen", "Attributed")),
    "counted": (KURUS, ("TCDB Tutarı", "Counted")),
    "not_counted": (KURUS, ("Sayılmayan", "Not counted")),
    "focused": (KURUS, ("Toplumsal cinsiyet odaklı", "Gender-focused")),
    "principal": (KURUS, ("Temel amaçlı", "Principal")),
    "matched": (KURUS, ("Kuralla eşleşen", "Matched by the rule")),
    "share_of_total": (FRACTION, ("Toplam bütçedeki payı", "Share of the whole budget")),
    "share": (FRACTION, ("Satırın bütçesindeki payı", "Share of the row's budget")),
}

#: Unit of a column wherever it appears (phase families and plain phases are handled by name).
UNITS: Final[dict[str, str]] = {
    **dict.fromkeys(
        (
            "budget_total", "attributed", "untagged", "counted", "not_counted", "attributed_difference",
            "counted_difference", "counted_previous", "required", "gap", "spending", "spending_per_user",
            "benefit", "benefit_per_user", "benefit_per_resident",
        ),
        KURUS,
    ),
    **dict.fromkeys(
        (
            C.SHARE, "declared_share", "weight", "floor", "execution_rate", "relative_change", "share_women",
            "unknown_share", "benefit_share", "population_share", "tagged_share", "attributed_share",
        ),
        FRACTION,
    ),
    **dict.fromkeys(("rate", "rate_ci_low", "rate_ci_high", "rate_difference", "rd_ci_low", "rd_ci_high"), PER_1000),
    **dict.fromkeys(
        (
            "uses", "female_users", "unknown_users", C.POPULATION, C.DISABLED_POPULATION, C.MIGRANT_POPULATION,
            "rows", "hits", "matched_rows", "overlap_rows", "tagged_lines", "tagged_lines_elsewhere", "cells",
            "hidden", "primary", "secondary", "n_groups",
        ),
        COUNT,
    ),
    **dict.fromkeys((C.FISCAL_YEAR, "previous_year", "year_from", "year_to"), YEAR),
}  # fmt: skip
#: Units that depend on the table (the same name means something else elsewhere).
TABLE_UNITS: Final[dict[str, dict[str, str]]] = {
    "year_over_year": {"change": KURUS},
}

# ---------------------------------------------------------------------------------------------------------------
# Fiscal Data Package column types
# ---------------------------------------------------------------------------------------------------------------
_ADMIN_LABEL: Final = "administrative-classification:generic:label"
COLUMN_TYPES: Final[dict[str, str]] = {
    C.FISCAL_YEAR: "date:fiscal-year",
    C.LINE_ID: "budget-line-id",
    C.INSTITUTIONAL_CODE: "administrative-classification:generic:code",
    C.UNIT_NAME: _ADMIN_LABEL,
    "responsible_unit": _ADMIN_LABEL,
    "budget_unit": _ADMIN_LABEL,
    C.FUNCTIONAL_CODE: "functional-classification:generic:code",
    C.ECONOMIC_CODE: "economic-classification:generic:code",
    C.PROJECT_CODE: "activity:generic:project:code",
    "phase": "phase:id",
}
TABLE_COLUMN_TYPES: Final[dict[str, dict[str, str]]] = {
    "by_economic_1": {C.ECONOMIC_CODE: "economic-classification:generic:level1:code"},
    "by_economic_2": {C.ECONOMIC_CODE: "economic-classification:generic:level2:code"},
}

# ---------------------------------------------------------------------------------------------------------------
# Tables: titles and primary keys
# ---------------------------------------------------------------------------------------------------------------
_K: Final = (C.FISCAL_YEAR, C.SCHEME, "reading")

#: Candidate primary keys of each table; the first whose columns the table has and whose values are unique and
#: never empty is declared (a table whose data do not satisfy any is described without a primary key).
PRIMARY_KEYS: Final[dict[str, list[tuple[str, ...]]]] = {
    "parameters": [("parameter",), ("name",)],
    # TCDB (gcdb budget, gcdb demo)
    "summary": [_K],
    "gender_focused": [(C.FISCAL_YEAR, C.SCHEME)],
    "by_area": [(*_K, C.AREA)],
    "by_target": [(*_K, C.TARGET_CODE)],
    "by_action": [(*_K, C.ACTION_CODE)],
    "by_department": [(*_K, C.UNIT_NAME)],
    "by_functional": [(*_K, C.FUNCTIONAL_CODE)],
    "by_economic_1": [(*_K, C.ECONOMIC_CODE)],
    "by_economic_2": [(*_K, C.ECONOMIC_CODE)],
    "by_financing": [(*_K, C.FINANCING_TYPE)],
    "year_over_year": [(*_K, "phase")],
    "floor_check": [(*_K, "phase")],
    "plan_money": [(*_K, C.ACTION_CODE)],
    "unfunded_actions": [(C.FISCAL_YEAR, C.ACTION_CODE)],
    "department_gaps": [(C.FISCAL_YEAR, C.ACTION_CODE, "responsible_unit")],
    "diversion": [(C.FISCAL_YEAR, C.ROW_ID, C.ACTION_CODE, "signal")],
    "reconciliation": [(C.FISCAL_YEAR, "phase", C.SCHEME, "reading")],
    "parts": [(C.SCHEME, "reading", "part_id")],
    "coverage_rules": [(C.RULE_ID,)],
    "coverage_never_fired": [(C.RULE_ID,)],
    "coverage_summary": [("measure",)],
    "coverage_untagged": [(C.ROW_ID,)],
    # Hizmette Eşitlik (gcdb services, gcdb demo)
    "services": [(C.SERVICE_CODE,)],
    "headline": [(C.FISCAL_YEAR, C.SERVICE_CODE)],
    "heat": [(C.FISCAL_YEAR, C.SERVICE_CODE, "dimension", "strata", "stratum", "measure")],
    "gaps": [("rank",)],
    "incidence_actions": [(C.FISCAL_YEAR, C.ACTION_CODE)],
    "incidence_services": [(C.FISCAL_YEAR, C.SERVICE_CODE)],
    "incidence_groups": [(C.FISCAL_YEAR, "by", "group")],
    "incidence_by_service": [(C.FISCAL_YEAR, "by", C.SERVICE_CODE, C.ACTION_CODE, "group")],
    "unknown_status": [(C.FISCAL_YEAR, C.SERVICE_CODE, "dimension")],
    "reached_least": [(C.FISCAL_YEAR, C.SERVICE_CODE)],
    "ineligible": [(C.FISCAL_YEAR, C.SERVICE_CODE, "criterion", "group")],
    "suppression": [("table", C.FISCAL_YEAR)],
}

#: (Turkish, English) title of each table.
TABLE_TITLES: Final[dict[str, tuple[str, str]]] = {
    "summary": ("TCDB özeti: yöntem ve aşamaya göre", "Gender budget summary by scheme and phase"),
    "parts": ("Etiket parçaları ve sayılan tutarlar", "Tag parts and counted amounts"),
    "by_category": ("Kategoriye göre", "By category"),
    "gender_focused": ("Toplumsal cinsiyet odaklı tutarlar (OECD DAC)", "Gender-focused amounts (OECD DAC)"),
    "by_area": ("Amaca göre", "By priority area"),
    "by_target": ("Hedefe göre", "By target"),
    "by_action": ("Eyleme göre", "By action"),
    "by_department": ("Birime göre", "By department"),
    "by_functional": ("Fonksiyonel koda göre", "By functional code"),
    "by_economic_1": ("Ekonomik koda göre (I. düzey)", "By economic code (level I)"),
    "by_economic_2": ("Ekonomik koda göre (II. düzey)", "By economic code (level II)"),
    "by_financing": ("Finansman tipine göre", "By financing type"),
    "year_over_year": ("Yıldan yıla değişim", "Change from year to year"),
    "floor_check": ("Asgari oran denetimi", "Floor check"),
    "plan_money": ("Plan eylemleri ve ödenekleri", "Plan actions and their money"),
    "unfunded_actions": ("Ödenek ayrılmamış eylemler", "Actions with no appropriation"),
    "department_gaps": (
        "Sorumlu birim bütçesinde bulunmayan eylemler",
        "Actions missing from their department",
    ),
    "diversion": (
        "Ödenek kesintisi / düşük harcama uyarıları",
        "Appropriation cuts and low spending signals",
    ),
    "reconciliation": ("Mutabakat: bütçe = sayılan + sayılmayan + etiketlenmeyen", "Reconciliation"),
    "parameters": ("Çalıştırma parametreleri", "Parameters of the run"),
    "coverage_summary": ("Kural kapsamı özeti", "Rule coverage summary"),
    "coverage_rules": ("Kurallara göre kapsam", "Coverage by rule"),
    "coverage_never_fired": ("Hiç eşleşmeyen kurallar", "Rules that never fired"),
    "coverage_overlaps": ("Çakışan kurallar", "Overlapping rules"),
    "coverage_untagged": ("Etiketlenmeyen bütçe kalemleri", "Untagged budget lines"),
    "coverage_untagged_groups": (
        "Etiketlenmeyen bütçe kalemleri (gruplar)",
        "Untagged budget lines, grouped",
    ),
    "issues": ("Veri sorunları", "Data issues"),
    "services": ("Hizmetler", "Services"),
    "headline": ("Hizmet başına temel göstergeler", "Headline figures per service"),
    "impact": ("Oran tablosu: her karşılaştırma", "Ratio table: every comparison"),
    "breakdowns": ("Raporun kırılımları", "The report's breakdowns"),
    "gaps": ("Eksik hizmet alan gruplar", "Under-served groups"),
    "heat": ("HEAT eşitsizlik ölçüleri", "HEAT inequality measures"),
    "incidence_actions": ("Eylemlerin harcaması", "Spending per plan action"),
    "incidence_services": ("Hizmetlere düşen harcama", "Spending per service"),
    "incidence_groups": ("Fayda dağılımı (gruplara göre)", "Benefit incidence by group"),
    "incidence_by_service": (
        "Fayda dağılımı (hizmet ve gruba göre)",
        "Benefit incidence by service and group",
    ),
    "indicators": ("Plan göstergeleri", "Plan indicators"),
    "unknown_status": ("Durumu kayıtsız yararlanıcılar", "Users with a status not recorded"),
    "suppression": ("Gizlenen hücreler", "Hidden cells"),
    "reached_least": ("Her hizmetin en az ulaştığı grup", "Whom each service reaches least"),
    "standardised": (
        "Yaşa göre standart oranlar (ilçe, mahalle)",
        "Age-standardised rates (districts, neighbourhoods)",
    ),
    "ineligible": ("Uygun nüfus dışındaki yararlanıcılar", "Users outside the eligible population"),
}

#: Labels of columns that the report label tables do not name.
EXTRA_LABELS: Final[dict[str, tuple[str, str]]] = {
    "action_codes": ("Eylemler", "Actions"),
    "actions": ("Eylemler", "Actions"),
    "allocated": ("Dağıtıldı", "Allocated"),
    "attributed_share": ("Etiketlenen payı", "Share attributed"),
    "breakdown": ("Kırılım", "Breakdown"),
    "by": ("Gruplama", "Grouped by"),
    "catalogue_indicator": ("Plan göstergesi", "Plan indicator"),
    "cells": ("Hücre", "Cells"),
    "change_pct": ("Değişim (%)", "Change (%)"),
    "declared_share": ("Beyan edilen pay", "Declared share"),
    "denominator": ("Payda", "Denominator"),
    "direction": ("Yön", "Direction"),
    "female_users": ("Kadın yararlanıcı", "Female users"),
    "fired": ("Eşleşti", "Fired"),
    "hidden": ("Gizlenen", "Hidden"),
    "hits": ("Etiket sayısı", "Hits"),
    "improved": ("İyileşme", "Improved"),
    "indicator_id": ("Gösterge No", "Indicator id"),
    "line": ("Satır (YAML)", "Line (YAML)"),
    "matched_rows": ("Eşleşen satır", "Matched rows"),
    "name": ("Ad", "Name"),
    "overlap_rows": ("Çakışan satır", "Overlapping rows"),
    "previous_value": ("Önceki yıl", "Previous year"),
    "primary": ("Birincil gizleme", "Primary suppression"),
    "priority": ("Öncelik", "Priority"),
    "quantity_unit": ("Miktar birimi", "Quantity unit"),
    "rank": ("Sıra", "Rank"),
    "row_id": ("Girdi satırı (0'dan)", "Input row (from 0)"),
    "rows": ("Satır", "Rows"),
    "rule_ids": ("Kurallar", "Rules"),
    "secondary": ("İkincil gizleme", "Secondary suppression"),
    "service_group": ("Hizmet grubu", "Service group"),
    "services": ("Hizmetler", "Services"),
    "share_women": ("Kadın payı", "Share of women"),
    "source_row": ("Kaynak dosyadaki satır", "Row in the source file"),
    "spending": ("Harcama", "Spending"),
    "spending_per_user": ("Yararlanıcı başına harcama", "Spending per user"),
    "stratum": ("Katman değeri", "Stratum"),
    "suppression": ("Gizleme türü", "Kind of suppression"),
    "table": ("Tablo", "Table"),
    "tagged": ("Etiketlenen", "Tagged"),
    "tagged_share": ("Etiketlenen payı", "Share tagged"),
    "target_group": ("Hedef grup", "Target group"),
    "title_en": ("Başlık (İngilizce)", "Title (English)"),
    "total": ("Toplam", "Total"),
    "unit": ("Birim", "Unit"),
    "unknown_share": ("Kayıtsız payı", "Share not recorded"),
    "unknown_users": ("Durumu kayıtsız yararlanıcı", "Users with the status not recorded"),
    "view": ("Görünüm", "View"),
    "winner": ("Uygulanan kural", "Rule applied"),
    "yeep_action": ("YEEP eylemi", "YEEP action"),
    "eligible_age_min": ("Uygun yaş, en az", "Eligible age, from"),
    "eligible_age_max": ("Uygun yaş, en çok", "Eligible age, to"),
    "eligible_sex": ("Uygun cinsiyet", "Eligible sex"),
    "eligible_disability": ("Uygun engellilik durumu", "Eligible disability status"),
    "eligible_migrant": ("Uygun göçmenlik durumu", "Eligible migrant status"),
    "eligible_districts": ("Uygun ilçeler", "Eligible districts"),
    "ineligible_users": ("Uygun nüfus dışındaki yararlanıcı", "Users outside the eligible population"),
    "dsr": ("Yaşa göre standart oran (binde)", "Age-standardised rate (per 1,000)"),
    "dsr_ci_low": ("Standart oran GA alt", "Standardised rate CI low"),
    "dsr_ci_high": ("Standart oran GA üst", "Standardised rate CI high"),
    "isr": (
        "Dolaylı standart oran (gözlenen ÷ beklenen)",
        "Indirectly standardised ratio (observed ÷ expected)",
    ),
    "isr_ci_low": ("Dolaylı standart oran GA alt", "Standardised ratio CI low"),
    "isr_ci_high": ("Dolaylı standart oran GA üst", "Standardised ratio CI high"),
    "isr_expected": (
        "Şehrin yaş oranlarıyla beklenen yararlanıcı",
        "Users expected at the city's age-band rates",
    ),
    "standard": ("Standart nüfus", "Standard population"),
    "eligibility": ("Uygun nüfus", "Eligible population"),
    "n_under_served": ("Eksik hizmet alan grup sayısı", "Under-served groups"),
    "proxy": ("Vekil gösterge", "Proxy indicator"),
    "proxy_reason": ("Vekil gösterge gerekçesi", "Why a proxy"),
    "criterion": ("Uygunluk ölçütü", "Eligibility criterion"),
}
