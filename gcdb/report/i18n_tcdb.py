"""Report strings of the TCDB (gender-responsive budgeting) workbook, in Turkish and English.

Importing this module adds :data:`STRINGS` to the report layer's registry (:data:`gcdb.report.i18n.STRINGS`), so
:func:`gcdb.report.i18n.t` finds them like any other report string. Keys are namespaced ``tcdb.*`` (and
``sheet.tcdb_*`` for sheet names); a key that already exists with another text is a programming error and fails at
import.
"""

from __future__ import annotations

from typing import Final

from gcdb.report import i18n

#: key → (Turkish, English). Placeholders in braces are filled by :func:`gcdb.report.i18n.t`.
STRINGS: Final[dict[str, tuple[str, str]]] = {
    # sheet names (≤ 31 characters)
    "sheet.tcdb_lines": ("Satırlar", "Lines"),
    "sheet.tcdb_unfunded": ("Fonlanmayan Eylemler", "Unfunded actions"),
    "sheet.tcdb_diversion": ("Saptırma", "Diversion"),
    "sheet.tcdb_department_gaps": ("Birim Boşlukları", "Department gaps"),
    "sheet.tcdb_coverage": ("Kapsam", "Coverage"),
    "sheet.tcdb_untagged": ("Etiketlenmeyen", "Untagged"),
    "sheet.tcdb_data_quality": ("Veri Kalitesi", "Data quality"),
    # weighting schemes, short names for headers and filters (full names: rules/schemes.yaml)
    "tcdb.scheme.eu_cpr": ("AB Tüzüğü/EIGE", "EU CPR/EIGE"),
    "tcdb.scheme.oecd_dac": ("OECD DAC", "OECD DAC"),
    "tcdb.scheme.india_gbs": ("Hindistan GBS", "India GBS"),
    "tcdb.scheme.ph_hgdg": ("Filipinler HGDG", "Philippines HGDG"),
    "tcdb.scheme.declared": ("Beyan Edilen Pay", "Declared share"),
    "tcdb.scheme_kind.categorical": ("Kategorik", "Categorical"),
    "tcdb.scheme_kind.declared_bands": ("Kategori ve beyan edilen pay", "Category and declared share"),
    "tcdb.scheme_kind.score": ("Kontrol listesi puanı", "Checklist score"),
    "tcdb.scheme_kind.declared": ("Beyan edilen pay", "Declared share"),
    "tcdb.reading_short.review": ("üst", "upper"),
    # column families (one column per budget phase)
    "tcdb.col.budget": ("Bütçe – {phase}", "Budget – {phase}"),
    "tcdb.col.attributed": ("Etiketlenen – {phase}", "Tagged – {phase}"),
    "tcdb.col.counted": ("TCDB Tutarı – {phase}", "Counted – {phase}"),
    "tcdb.col.untagged": ("Etiketlenmeyen – {phase}", "Untagged – {phase}"),
    "tcdb.col.share_own": ("Kendi Bütçesindeki Payı – {phase}", "Share of own budget – {phase}"),
    "tcdb.col.share_total": ("Toplam Bütçedeki Payı – {phase}", "Share of total budget – {phase}"),
    "tcdb.col.scheme_counted": ("{scheme}: {phase}", "{scheme}: {phase}"),
    "tcdb.col.scheme_category": ("{scheme}: Kategori", "{scheme}: category"),
    # other columns
    "tcdb.col.scheme": ("Yöntem", "Scheme"),
    "tcdb.col.scheme_name": ("Yöntemin Tam Adı", "Full name"),
    "tcdb.col.reference": ("Kaynak", "Source"),
    "tcdb.col.kind": ("Türü", "Kind"),
    "tcdb.col.category_label": ("Kategori Adı", "Category name"),
    "tcdb.col.weight": ("Sayılan Pay", "Weight counted"),
    "tcdb.col.review_weight": ("Ön Değerlendirme Sonrası Pay", "Weight after review"),
    "tcdb.col.declared_band": ("Beyan Edilen Pay Aralığı", "Declared share range"),
    "tcdb.col.floor": ("Asgari Oran", "Floor"),
    "tcdb.col.scheme_floor": ("Yöntemin Asgari Oranı", "Floor the scheme sets"),
    "tcdb.col.share_of_total": ("Toplam Bütçedeki Payı", "Share of total budget"),
    "tcdb.col.floor_met": ("Asgari Oran Sağlandı mı", "Floor met"),
    "tcdb.col.check_tagged": (
        "Kontrol: Bütçe = Etiketlenen + Etiketlenmeyen",
        "Check: budget = tagged + untagged",
    ),
    "tcdb.col.check_counted": (
        "Kontrol: Bütçe = TCDB + Sayılmayan + Etiketlenmeyen",
        "Check: budget = counted + not counted + untagged",
    ),
    "tcdb.col.economic_1": ("Ekonomik Kod (1. Düzey)", "Economic code (level 1)"),
    "tcdb.col.declared_share": ("Beyan Edilen Pay", "Declared share"),
    "tcdb.col.tagged_share": ("Etiketlenen Pay", "Share tagged"),
    "tcdb.col.file_line": ("Dosyadaki Satır", "Line in file"),
    "tcdb.col.priority": ("Öncelik", "Priority"),
    "tcdb.col.actions": ("Eylemler", "Actions"),
    "tcdb.col.matched_rows": ("Koşulu Sağlayan Satır", "Rows matched"),
    "tcdb.col.hits": ("Etiketlediği Satır", "Hits"),
    "tcdb.col.overlap_rows": ("Başka Kuralla Çakışan Satır", "Rows also matched by another rule"),
    "tcdb.col.fired": ("Uygulandı", "Fired"),
    "tcdb.col.rule_ids": ("Çakışan Kurallar", "Overlapping rules"),
    "tcdb.col.winner": ("Uygulanan Kural", "Winning rule"),
    "tcdb.col.rows": ("Satır Sayısı", "Rows"),
    "tcdb.col.measure": ("Ölçü", "Measure"),
    "tcdb.col.total": ("Toplam", "Total"),
    "tcdb.col.tagged": ("Etiketli Satırlarda", "On tagged lines"),
    "tcdb.col.attributed_money": ("Etiketlenen", "Tagged"),
    "tcdb.col.attributed_share": ("Etiketlenen Pay", "Share tagged"),
    "tcdb.col.read": ("Okunan", "Read"),
    "tcdb.col.valid": ("Geçerli", "Valid"),
    "tcdb.col.quarantined": ("Karantina", "Quarantined"),
    "tcdb.col.input": ("Girdi", "Input"),
    "tcdb.col.file": ("Dosya", "File"),
    "tcdb.col.path": ("Yol", "Path"),
    "tcdb.col.bytes": ("Boyut (bayt)", "Size (bytes)"),
    "tcdb.col.sha256": ("SHA-256", "SHA-256"),
    "tcdb.col.issue_codes": ("Sorun Kodları", "Issue codes"),
    "tcdb.col.source_row": ("Kaynak Satır", "Source row"),
    # values
    "tcdb.floor.met": ("Sağlandı", "Met"),
    "tcdb.floor.not_met": ("Sağlanmadı", "Not met"),
    "tcdb.no_action": ("Eylemsiz", "No action"),
    "tcdb.no_category": ("(kategori yok)", "(no category)"),
    "tcdb.area_n": ("Amaç {n}", "Area {n}"),
    "tcdb.rows": ("Satır sayısı", "Rows"),
    "tcdb.total_visible": ("Toplam (görünen satırlar)", "Total (visible rows)"),
    "tcdb.declared": ("beyan edilen", "declared"),
    "tcdb.never.no_row": ("Hiçbir satır koşulu sağlamıyor", "No row matches"),
    "tcdb.never.outranked": (
        "Her satırda daha öncelikli bir kural uygulanıyor",
        "Always won by a higher-priority rule",
    ),
    # titles
    "tcdb.title.headline": ("Başlıca göstergeler — {scheme}", "Key figures — {scheme}"),
    "tcdb.title.by_scheme": (
        "Yönteme, okumaya ve aşamaya göre TCDB tutarı; asgari oran kontrolü",
        "Gender budget by scheme, reading and phase; floor check",
    ),
    "tcdb.title.reconciliation": (
        "Mutabakat: bütçe = etiketlenen + etiketlenmeyen = TCDB + sayılmayan + etiketlenmeyen",
        "Reconciliation: budget = tagged + untagged = counted + not counted + untagged",
    ),
    "tcdb.title.by_category": ("Yöntem kategorilerine göre", "By scheme category"),
    "tcdb.title.areas": ("Amaçlara göre TCDB tutarı", "Gender budget by priority area"),
    "tcdb.title.actions": ("Eylemlere göre TCDB tutarı", "Gender budget by action"),
    "tcdb.title.departments": (
        "Birimlere göre bütçe ve TCDB tutarı",
        "Budget and gender budget by department",
    ),
    "tcdb.title.functional": (
        "Fonksiyonel sınıflandırmaya göre bütçe ve TCDB tutarı",
        "Budget and gender budget by functional code",
    ),
    "tcdb.title.economic": (
        "Ekonomik sınıflandırmaya göre bütçe ve TCDB tutarı",
        "Budget and gender budget by economic code",
    ),
    "tcdb.title.unfunded": (
        "Yürürlükteki yılında kaynak ayrılmamış eylemler",
        "Actions active in the year with no money tagged",
    ),
    "tcdb.title.diversion": ("Saptırma uyarıları", "Diversion signals"),
    "tcdb.title.department_gaps": (
        "Sorumlu birimin bütçesinde eylemine etiketli satır yok",
        "Responsible department has no budget line tagged to its action",
    ),
    "tcdb.title.coverage": ("Etiketleme kapsamı", "Tagging coverage"),
    "tcdb.title.rules": ("Kurallara göre etiketlenen satır ve tutar", "Hits and money per rule"),
    "tcdb.title.never_fired": ("Hiç uygulanmayan kurallar", "Rules that never fire"),
    "tcdb.title.overlaps": ("Aynı satırları eşleyen kurallar", "Rules matching the same lines"),
    "tcdb.title.lines": ("Etiketli bütçe satırları (eylem parçaları)", "Tagged budget lines (action parts)"),
    "tcdb.title.untagged": (
        "Etiketlenmeyen tutar, büyükten küçüğe",
        "Untagged money, largest first",
    ),
    "tcdb.title.chart_areas": (
        "Amaçlara göre TCDB tutarı — {year}, {scheme}",
        "Gender budget by priority area — {year}, {scheme}",
    ),
    "tcdb.title.chart_execution": (
        "Birimlere göre gerçekleşme oranı — {year}, {scheme}",
        "Execution rate by department — {year}, {scheme}",
    ),
    "tcdb.title.methodology": ("Yöntem ve kaynaklar", "Method and sources"),
    "tcdb.title.run": ("Çalıştırma", "Run"),
    "tcdb.title.schemes": (
        "Ağırlıklandırma yöntemleri ve kategori ağırlıkları (methods.md §1)",
        "Weighting schemes and category weights (methods.md §1)",
    ),
    "tcdb.title.categories": ("Kategori ağırlıkları", "Category weights"),
    "tcdb.title.inputs": ("Girdi dosyaları ve SHA-256 özetleri", "Input files and SHA-256 checksums"),
    "tcdb.title.parameters": ("Analiz parametreleri", "Analysis parameters"),
    "tcdb.title.read": ("Okuma ve doğrulama", "Reading and validation"),
    "tcdb.title.read_money": (
        "Tutarlar: okunan = geçerli + karantina",
        "Amounts: read = valid + quarantined",
    ),
    "tcdb.title.issues": ("Sorunlar", "Issues"),
    "tcdb.title.quarantine": ("Karantinaya alınan satırlar", "Quarantined rows"),
    # run and methodology keys
    "tcdb.kv.version": ("gcdb sürümü", "gcdb version"),
    "tcdb.kv.run_date": ("Çalıştırma tarihi", "Run date"),
    "tcdb.kv.language": ("Rapor dili", "Report language"),
    "tcdb.kv.ruleset": ("Kural seti", "Rule set"),
    "tcdb.kv.ruleset_version": ("Kural seti sürümü", "Rule set version"),
    "tcdb.kv.ruleset_file": ("Kural dosyası", "Rule file"),
    "tcdb.kv.mode": ("Eşleştirme modu", "Matching mode"),
    "tcdb.kv.plan": ("Eşitlik eylem planı", "Equality action plan"),
    "tcdb.kv.primary": ("Temel yöntem", "Primary scheme"),
    "tcdb.kv.years": ("Mali yıllar", "Fiscal years"),
    "tcdb.kv.floor": ("Asgari oran", "Floor"),
    "tcdb.kv.k": ("Gizleme eşiği (k)", "Disclosure threshold (k)"),
    "tcdb.kv.source": ("Kaynak dosya", "Source file"),
    "tcdb.kv.rows_read": ("Okunan satır", "Rows read"),
    "tcdb.kv.rows_valid": ("Geçerli satır", "Valid rows"),
    "tcdb.kv.rows_quarantined": ("Karantinadaki satır", "Quarantined rows"),
    "tcdb.kv.errors": ("Hata", "Errors"),
    "tcdb.kv.warnings": ("Uyarı", "Warnings"),
    "tcdb.language.tr": ("Türkçe (tr)", "Turkish (tr)"),
    "tcdb.language.en": ("İngilizce (en)", "English (en)"),
    # analysis parameters (methodology sheet)
    "tcdb.param.years": ("Analiz edilen mali yıllar", "Fiscal years analysed"),
    "tcdb.param.schemes": ("Ağırlıklandırma yöntemleri", "Weighting schemes"),
    "tcdb.param.floor": ("Asgari oran", "Floor"),
    "tcdb.param.revised_down_threshold": (
        "Saptırma eşiği: ödenek düşüş oranı",
        "Diversion threshold: share of the appropriation cut",
    ),
    "tcdb.param.execution_threshold": (
        "Saptırma eşiği: asgari gerçekleşme oranı",
        "Diversion threshold: lowest execution rate",
    ),
    "tcdb.param.functional_level": ("Fonksiyonel sınıflandırma düzeyi", "Functional classification level"),
    "tcdb.param.plan_actions": ("Eylem planı kataloğu kullanıldı", "Action-plan catalogue used"),
    "tcdb.param.unit_map": ("Birim eşleştirme tablosu kullanıldı", "Department map used"),
    "tcdb.mode.first": (
        "first — her satıra en öncelikli kural",
        "first — the highest-priority rule takes each line",
    ),
    "tcdb.mode.all": (
        "all — eşleşen her kural kendi payını alır",
        "all — every matching rule takes its share",
    ),
    # notes
    "tcdb.note.source": ("Bütçe: {budget}. Kural seti: {rules}.", "Budget: {budget}. Rule set: {rules}."),
    "tcdb.note.formulas": (
        "TCDB ve etiketlenen tutarlar “{lines}” sayfasındaki satırların ETOPLA (SUMIFS) formülleridir; bütçe "
        "toplamları “{departments}”, etiketlenmeyen tutarlar “{untagged}” sayfasından gelir. Bir satır "
        "değiştirilirse toplamlar yeniden hesaplanır; kontrol hücreleri farkı gösterir.",
        "Counted and tagged amounts are SUMIFS formulas over the rows of the “{lines}” sheet; budget totals come "
        "from “{departments}”, untagged amounts from “{untagged}”. If a row is changed the totals recalculate "
        "and the check cells show the difference.",
    ),
    "tcdb.note.not_counted": (
        "Sayılmayan tutar analizin hesapladığı değerdir (formül değil): kontrol, satırlardaki tutarların "
        "analizle uyuştuğunu gösterir.",
        "Not counted is the value the analysis computed (not a formula): the check shows that the amounts in the "
        "rows still agree with the analysis.",
    ),
    "tcdb.note.floor": (
        "Asgari oran: TCDB tutarı ≥ oran × bütçe (ödenek aşamaları). Asgari tutar kuruşa yukarı yuvarlanır.",
        "Floor: counted ≥ floor × budget (appropriation phases). The required amount is rounded up to the kuruş.",
    ),
    "tcdb.note.review": (
        "“Üst” okuma: AB Tüzüğü 03* satırları ön değerlendirme sonrası %40 sayılır.",
        "“Upper” reading: EU CPR 03* lines counted at 40 % after the ex-ante check.",
    ),
    "tcdb.note.filter": (
        "Tablo {year} yılına ve “{scheme}” yöntemine süzülmüştür; diğer yıllar ve yöntemler için süzgeci "
        "değiştirin. Toplam satırı (ALTTOPLAM) yalnızca görünen satırları toplar.",
        "The table is filtered to {year} and “{scheme}”; change the filter for other years and schemes. The "
        "total row (SUBTOTAL) adds the visible rows only.",
    ),
    "tcdb.note.plan_breakdown": (
        "Yalnızca etiketlenen tutar; “Eylemsiz”: eylem vermeyen kuralların etiketlediği tutar.",
        "Tagged money only; “No action”: money tagged by rules that give no action.",
    ),
    "tcdb.note.line_breakdown": (
        "Bütçedeki her {what}, kendi bütçe toplamıyla.",
        "Every {what} of the budget, with its own budget total.",
    ),
    "tcdb.note.lines": (
        "Her satır bir bütçe satırının bir eyleme ayrılan parçasıdır. TCDB tutarı = yöntemin ağırlığı × "
        "etiketlenen tutar, kuruşa en büyük kalan yöntemiyle yuvarlanır; Özet sayfasındaki toplamlar bu "
        "sütunların ETOPLA formülleridir.",
        "Each row is the part of a budget line given to one action. Counted = the scheme's weight × the tagged "
        "amount, rounded to the kuruş by the largest remainder; the Summary totals are SUMIFS formulas over "
        "these columns.",
    ),
    "tcdb.note.untagged": (
        "Analiz edilen yılların her bütçe satırı için etiketlenmeyen kalan (satır tutarı − etiketlenen "
        "parçalar); sıfır olan satırlar gösterilmez.",
        "For every budget line of the analysed years, the untagged remainder (line amount − tagged parts); "
        "lines with nothing left are not shown.",
    ),
    "tcdb.note.coverage_scope": (
        "Kapsam, kural setinin uygulandığı bütün satırlar içindir (yalnızca analiz edilen yıllar değil).",
        "Coverage is over every row the rule set was applied to (not only the analysed years).",
    ),
    "tcdb.note.no_tagging": (
        "Etiketleme sonucu verilmedi; kapsam tabloları yok.",
        "No tagging result was given; no coverage tables.",
    ),
    "tcdb.note.no_lines": (
        "Bütçe satırları verilmedi; etiketlenmeyen tutarlar analizden gelen sabit değerlerdir.",
        "No budget lines were given; untagged amounts are the analysis' values.",
    ),
    "tcdb.note.no_read": ("Okuma sonucu verilmedi.", "No read result was given."),
    "tcdb.note.no_issues": ("Sorun bulunmadı.", "No issues found."),
    "tcdb.note.no_rows": ("Satır yok.", "No rows."),
    "tcdb.note.personal": (
        "Kişisel veri içerdiği için karantinadaki satırların içeriği gösterilmez.",
        "The quarantined rows' content is not shown because it holds personal data.",
    ),
    "tcdb.note.quarantine": (
        "Hatalı satırlar analize girmez; burada özgün metinleriyle listelenir.",
        "Rows with errors are left out of the analysis; they are listed here with their original text.",
    ),
    "tcdb.note.diversion": (
        "Değer: ödeneğin düşüş oranı ya da gerçekleşme oranı (satırın kendi tutarları üzerinden).",
        "Value: the fall of the appropriation or the execution rate (on the line's own amounts).",
    ),
    "tcdb.note.checksums": (
        "SHA-256: dosyanın içeriğinin özeti; aynı özet aynı dosya demektir. Klasörler için her dosyanın "
        "adı ve özeti sırayla özetlenir.",
        "SHA-256: a digest of the file's content; the same digest means the same file. For a folder, the "
        "names and digests of its files, in order, are digested.",
    ),
    # definitions (methodology sheet)
    "tcdb.def.attributed": (
        "Etiketlenen tutar = kuralın payı × satır tutarı, her aşama için (başlangıç ödeneği, revize ödenek, "
        "harcama); parçalar en büyük kalan yöntemiyle kuruşa yuvarlanır ve satırı aşmaz.",
        "Tagged amount = the rule's share × the line amount, for each phase (initial appropriation, revised "
        "appropriation, expenditure); parts are rounded to the kuruş by the largest remainder and never exceed "
        "the line.",
    ),
    "tcdb.def.counted": (
        "TCDB tutarı = yöntem ağırlığı × etiketlenen tutar (kategori ağırlıkları aşağıda); sayılmayan = "
        "etiketlenen − TCDB tutarı.",
        "Counted = scheme weight × tagged amount (category weights below); not counted = tagged − counted.",
    ),
    "tcdb.def.share": (
        "Toplam bütçedeki pay = TCDB tutarı ÷ yılın bütün bütçesi; gerçekleşme oranı = TCDB harcama ÷ TCDB revize "
        "ödenek.",
        "Share of total budget = counted ÷ the year's whole budget; execution rate = counted expenditure ÷ counted "
        "revised appropriation.",
    ),
    "tcdb.def.floor": (
        "Asgari oran kontrolü: TCDB tutarı ≥ asgari oran × ödenek (Filipinler GAD kuralı: %5).",
        "Floor check: counted ≥ floor × appropriation (Philippine GAD rule: 5 %).",
    ),
    "tcdb.def.reconciliation": (
        "Mutabakat: her yıl, aşama ve yöntem için bütçe = etiketlenen + etiketlenmeyen = TCDB + sayılmayan + "
        "etiketlenmeyen, kuruşu kuruşuna.",
        "Reconciliation: for every year, phase and scheme, budget = tagged + untagged = counted + not counted + "
        "untagged, to the kuruş.",
    ),
    "tcdb.def.oecd": (
        "OECD DAC: 1 veya 2 puanlı satırlar tam tutarıyla “toplumsal cinsiyet odaklı” sayılır.",
        "OECD DAC: lines scored 1 or 2 are “gender-focused” and counted in full.",
    ),
    "tcdb.def.source": (
        "Yöntemler ve kaynakları: gcdb tasarım belgesi methods.md §1.",
        "Methods and their sources: gcdb design document methods.md §1.",
    ),
}


def register(strings: dict[str, tuple[str, str]] = STRINGS) -> None:
    """Add ``strings`` to the report layer's registry; an existing key may only be re-added with the same text."""
    for key, pair in strings.items():
        current = i18n.STRINGS.get(key)
        if current is not None and current != pair:
            raise KeyError(f"report string {key!r} is already registered with another text")
    i18n.STRINGS.update(strings)


register()
