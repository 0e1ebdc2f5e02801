"""Report strings of the equality-in-services workbook (Hizmette Eşitlik), Turkish first.

Importing this module adds its keys (all prefixed ``services.``) to :data:`gcdb.report.i18n.STRINGS`, so
:func:`gcdb.report.i18n.t` finds them; a key that already exists with another text is an error, never a silent
override. Column headers of the statistics come from :func:`gcdb.equality.names.label`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from gcdb.report import i18n

STRINGS: Final[dict[str, tuple[str, str]]] = {
    # sheets (≤ 31 characters)
    "services.sheet.heat": ("HEAT", "HEAT"),
    "services.sheet.indicators": ("Göstergeler", "Plan indicators"),
    "services.sheet.quality": ("Veri Kalitesi", "Data quality"),
    # summary
    "services.subtitle": ("Mali yıl: {years}", "Fiscal year(s): {years}"),
    "services.kv.years": ("Mali yıllar", "Fiscal years"),
    "services.kv.services": ("Hizmet sayısı", "Services"),
    "services.kv.significant": (
        "Düşük temsil, güven aralığı 1'i dışlayan",
        "Under-served, interval excluding 1",
    ),
    "services.kv.flagged": ("Eksik hizmet alan grup sayısı", "Under-served groups"),
    "services.gaps.title": ("En büyük eşitsizlikler", "Largest gaps"),
    "services.gaps.note": (
        "Eksik hizmet alan gruplar (hizmetin uygun nüfusu içinde, yeterli kişi, oranlar oranının güven aralığı "
        "0,8'in altında), eksik kişi sayısına (beklenen − gözlenen yararlanıcı) göre sıralı. İlk {n} satır; "
        "tamamı gaps.csv tablosunda.",
        "Under-served groups (within the service's eligible population, enough people, the rate ratio's "
        "confidence interval below 0.8), ordered by the people missing (expected − observed users). First {n} "
        "rows; all of them in the gaps.csv table.",
    ),
    "services.column.dsr": ("Yaşa göre standart oran (binde)", "Age-standardised rate (per 1,000)"),
    "services.quality.ineligible": (
        "Hizmetin uygun nüfusu dışındaki yararlanıcılar (oranlara katılmaz)",
        "Users outside the service's eligible population (in no rate)",
    ),
    "services.column.criterion": ("Ölçüt", "Criterion"),
    # analysis tables named on the methodology sheet (hidden-cell counts), beside gcdb.report.i18n's table.*
    "table.standardised": ("Yaşa göre standart oranlar", "Age-standardised rates"),
    "table.ineligible": ("Uygun nüfus dışındaki yararlanıcılar", "Users outside the eligible population"),
    "services.column.proxy": (
        "Vekil gösterge: planın istediği yerine ölçülen",
        "Proxy: what is measured instead of the plan's indicator",
    ),
    "services.headline.title": ("Hizmetler — temel göstergeler", "Services — headline figures"),
    "services.headline.note": (
        "Yararlanıcı: yıl içinde hizmeti kullanan, hizmetin uygun nüfusundaki farklı kişi. Oran: 1.000 uygun "
        "kentli başına yararlanıcı.",
        "Users: distinct persons of the service's eligible population who used it in the year. Rate: users per "
        "1,000 eligible residents.",
    ),
    # column headers added by the report
    "services.column.comparison": ("Karşılaştırma", "Comparison"),
    "services.column.share_women": ("Kadın payı", "Share of women"),
    "services.column.female_users": ("Kadın yararlanıcı", "Female users"),
    "services.column.group_users": ("{group} yararlanıcı", "{group} users"),
    "services.column.group_rate": ("{group} oranı (binde)", "{group} rate (per 1,000)"),
    "services.column.services_analysed": ("Oranı yayımlanan hizmet", "Services with a published rate"),
    "services.column.services_under": (
        "Anlamlı düşük temsil (hizmet)",
        "Significantly under-served (services)",
    ),
    "services.column.median_ri": ("Medyan temsil endeksi", "Median representation index"),
    "services.column.spending": ("Harcama", "Spending"),
    "services.column.services": ("Hizmetler", "Services"),
    "services.column.action_codes": ("Eylemler", "Actions"),
    "services.column.allocated": ("Dağıtıldı", "Allocated"),
    "services.column.spending_per_user": ("Yararlanıcı başına harcama", "Spending per user"),
    "services.column.benefit_per_user": ("Yararlanıcı başına fayda", "Benefit per user"),
    "services.column.benefit_per_resident": ("Kişi başına fayda", "Benefit per resident"),
    "services.column.benefit": ("Fayda", "Benefit"),
    "services.column.indicator": ("Gösterge", "Indicator"),
    "services.column.catalogue_indicator": ("Plan göstergesi", "Plan indicator"),
    "services.column.breakdown": ("Kırılım", "Breakdown"),
    "services.column.numerator": ("Pay", "Numerator"),
    "services.column.denominator": ("Payda", "Denominator"),
    "services.column.value": ("Değer", "Value"),
    "services.column.unit": ("Birim", "Unit"),
    "services.column.previous_value": ("Önceki yıl", "Previous year"),
    "services.column.change": ("Değişim", "Change"),
    "services.column.change_pct": ("Değişim (%)", "Change (%)"),
    "services.column.improved": ("İyileşme", "Improved"),
    "services.column.unknown_users": ("Durumu kayıtsız yararlanıcı", "Users with the status not recorded"),
    "services.column.unknown_share": ("Kayıtsız payı", "Share not recorded"),
    "services.column.source": ("Kaynak", "Source"),
    "services.column.kind": ("Tür", "Kind"),
    "services.column.issue_codes": ("Sorun kodları", "Issue codes"),
    "services.column.source_row": ("Kaynak satır", "Source row"),
    "services.column.table": ("Tablo", "Table"),
    "services.column.cells": ("Hücre", "Cells"),
    "services.column.hidden": ("Gizlenen", "Hidden"),
    "services.column.primary": ("Birincil (<k)", "Primary (<k)"),
    "services.column.secondary": ("İkincil", "Secondary"),
    "services.column.measure": ("Ölçü", "Measure"),
    "services.column.definition": ("Tanım", "Definition"),
    "services.column.reference": ("Kaynak", "Reference"),
    "services.column.role": ("Girdi", "Input"),
    "services.column.file": ("Dosya", "File"),
    "services.column.bytes": ("Boyut (bayt)", "Size (bytes)"),
    "services.column.sha256": ("SHA-256", "SHA-256"),
    # indicator units
    "services.unit.count": ("sayı", "count"),
    "services.unit.percent": ("%", "%"),
    "services.unit.per_1000": ("binde", "per 1,000"),
    # service sheets
    "services.service.title": ("{code} — {name} ({year})", "{code} — {name} ({year})"),
    "services.kv.unit": ("Sorumlu birim", "Responsible unit"),
    "services.kv.users": ("Yararlanıcı (farklı kişi)", "Users (distinct persons)"),
    "services.kv.uses": ("Kullanım (kayıt)", "Uses (records)"),
    "services.kv.share_women": ("Kadın payı", "Share of women"),
    "services.kv.rate": ("1.000 kentli başına yararlanıcı", "Users per 1,000 residents"),
    "services.section.sex_age": ("Cinsiyet ve yaş grubu", "Sex and age band"),
    "services.section.district": ("İlçeler", "Districts"),
    "services.section.disability": ("Engellilik durumu", "Disability"),
    "services.section.migrant": ("Göçmenlik durumu", "Migrant status"),
    "services.note.sex_ratio": (
        "Oranlar oranı: {group} oranı ÷ {reference} oranı, aynı yaş grubunda; “Toplam” satırı tüm yaşlar.",
        "Rate ratio: {group} rate ÷ {reference} rate in the same age band; the “Total” row is all ages.",
    ),
    "services.note.district_ratio": (
        "Oranlar oranı: ilçenin oranı ÷ şehrin geri kalanının oranı. Temsil endeksi: ilçenin oranı ÷ şehir geneli.",
        "Rate ratio: the district's rate ÷ the rate of the rest of the city. Representation index: the district's "
        "rate ÷ the city-wide rate.",
    ),
    "services.note.status_ratio": (
        "Oranlar oranı: grubun oranı ÷ {reference} oranı. Durumu kayıtlı olmayan kayıtlar bu karşılaştırmaya "
        "girmez (Veri Kalitesi sayfası).",
        "Rate ratio: the group's rate ÷ the {reference} rate. Records without a recorded status are left out of "
        "this comparison (Data quality sheet).",
    ),
    "services.note.secondary": (
        "“*”: kendisi küçük olmayan, ama gizlenen bir hücrenin toplamlardan hesaplanmaması için gizlenen değer.",
        "“*”: not small itself, hidden so that a hidden cell cannot be derived from the totals.",
    ),
    "services.note.latest_year": (
        "Bu sayfa son analiz yılını gösterir; önceki yıllar İlçeler, Mahalleler, HEAT ve Göstergeler sayfalarında "
        "ve tablo dosyalarındadır.",
        "This sheet shows the latest year analysed; earlier years are on the Districts, Neighbourhoods, HEAT and "
        "Plan indicators sheets and in the table files.",
    ),
    "services.chart.district_rates": ("İlçelere göre oran (1.000 kişide)", "Rate by district (per 1,000)"),
    "services.chart.group_ratio": (
        "{group} / {reference} oranlar oranı, yaş grubuna göre",
        "{group} / {reference} rate ratio by age band",
    ),
    "services.chart.city_rate": ("Şehir geneli", "City-wide"),
    "services.chart.parity": ("Eşitlik", "Parity"),
    "services.chart.median_ri": ("Medyan temsil endeksi", "Median representation index"),
    # districts and neighbourhoods
    "services.districts.title": ("İlçelere göre hizmet kullanımı", "Service use by district"),
    "services.neighbourhoods.title": ("Mahallelere göre hizmet kullanımı", "Service use by neighbourhood"),
    "services.places.note": (
        "Oranlar oranı: yerin oranı ÷ şehrin geri kalanının oranı (güven aralığıyla). Temsil endeksi: yerin oranı ÷ "
        "şehir geneli. Oranlar tüm yaşlardaki nüfusa göredir.",
        "Rate ratio: the place's rate ÷ the rate of the rest of the city (with its confidence interval). "
        "Representation index: the place's rate ÷ the city-wide rate. Rates are per resident of all ages.",
    ),
    "services.ranking.title": ("İlçe sıralaması ({year})", "District ranking ({year})"),
    "services.ranking.note": (
        "Her ilçenin hizmetlerdeki temsil endekslerinin medyanı (en düşük üstte) ve güven aralığı 1'i dışlayan "
        "düşük temsil sayısı.",
        "Each district's median representation index across services (lowest first) and the number of services "
        "in which it is under-served with a confidence interval excluding 1.",
    ),
    # HEAT
    "services.heat.title": (
        "Eşitsizliğin özet ölçüleri (WHO HEAT)",
        "Summary measures of inequality (WHO HEAT)",
    ),
    "services.heat.note": (
        "İlçeler, mahalleler ve yaş grupları arasında, oranlar 1.000 kişide. Tanımlar Yöntem sayfasında. "
        "Gizlenen gruplar hesaba girmez.",
        "Across districts, neighbourhoods and age bands, rates per 1,000. Definitions on the Methodology sheet. "
        "Hidden groups are left out.",
    ),
    # incidence
    "services.incidence.title": ("Fayda dağılımı (Demery)", "Benefit incidence (Demery)"),
    "services.incidence.none": (
        "Etiketli bütçe ve hizmet etiketleri verilmediği için fayda dağılımı hesaplanmadı.",
        "Benefit incidence was not computed: no tagged budget and service tags were given.",
    ),
    "services.incidence.method": (
        "Eylem harcaması: etiketli bütçe satırlarının eyleme atfedilen gerçekleşen harcaması. Eylemin harcaması, "
        "o eylemle etiketlenen hizmetlere yararlanıcı sayısıyla, kuruşu kuruşuna paylaştırılır.",
        "Spending of an action: the executed expenditure of the tagged budget lines attributed to it. It is shared "
        "among the services tagged with the action by their users, to the kuruş.",
    ),
    "services.incidence.actions": ("Eylemlere göre harcama", "Spending by plan action"),
    "services.incidence.services": ("Hizmetlere göre harcama", "Spending by service"),
    "services.incidence.sex": ("Cinsiyete göre fayda", "Benefit by sex"),
    "services.incidence.district": ("İlçelere göre fayda", "Benefit by district"),
    # indicators
    "services.indicators.title": ("Plan göstergeleri", "Plan indicators"),
    "services.indicators.none": (
        "Gösterge tanımı verilmediği için plan göstergeleri hesaplanmadı.",
        "No indicator definitions were given: plan indicators were not computed.",
    ),
    "services.indicators.note": (
        "Değişim: bir önceki yıla göre (yüzde göstergelerinde yüzde puan).",
        "Change: against the previous year (percentage points for percentages).",
    ),
    # methodology
    "services.method.title": ("Yöntem", "Methodology"),
    "services.method.run": ("Çalıştırma", "Run"),
    "services.method.run_date": ("Rapor tarihi", "Report date"),
    "services.method.version": ("gcdb sürümü", "gcdb version"),
    "services.method.k": ("Gizleme eşiği k", "Suppression threshold k"),
    "services.method.z": ("z (güven düzeyi {level})", "z (confidence level {level})"),
    "services.method.suppression": ("Gizleme kuralı", "Suppression rule"),
    "services.method.suppression_rule": (
        "1 ile k − 1 arasındaki kişi sayıları gizlenir (birincil, “<{k}”). Bir toplamın tek gizli hücresi "
        "çıkarma ile bulunabileceğinden, aynı satır/sütundan en küçük diğer hücre de gizlenir (ikincil, “*”); "
        "gizlenen bir sayıya dayanan oran, güven aralığı ve karşılaştırmalar da gizlenir. methods.md §4.",
        "Counts of 1 to k − 1 persons are hidden (primary, “<{k}”). Because a single hidden cell of a total can "
        "be found by subtraction, the next smallest cell of the same line is hidden too (secondary, “*”); rates, "
        "intervals and comparisons built on a hidden count are hidden with it. methods.md §4.",
    ),
    "services.method.audit": ("Doğrusal cebir denetimi", "Linear-algebra audit"),
    "services.method.yes": ("evet", "yes"),
    "services.method.no": ("hayır (methods.md §4 satır kuralı)", "no (the line rule of methods.md §4)"),
    "services.method.population_year": ("{year} için nüfus yılı", "Population year for {year}"),
    "services.method.references": ("Referans gruplar", "Reference groups"),
    "services.method.comparisons": ("Karşılaştırmalar", "Comparisons"),
    "services.method.comparisons_note": (
        "“A | B” : A grupları B'nin her değeri içinde karşılaştırılır. Engellilik ve göçmenlik karşılaştırmaları "
        "durumu kayıtlı kayıtlarla yapılır; mülteci ve geçici koruma, nüfus verisi gibi “göçmen” sayılır.",
        "“A | B”: the groups of A are compared within each value of B. Comparisons by disability and migrant "
        "status use the records where the status is recorded; refugees and people under temporary protection "
        "count as “migrant”, as in the population baseline.",
    ),
    "services.method.definitions": ("Ölçülerin tanımları", "Definitions of the measures"),
    "services.method.heat": ("HEAT ölçüleri", "HEAT measures"),
    "services.method.hidden": ("Gizlenen hücreler", "Hidden cells"),
    "services.method.inputs": ("Girdi dosyaları", "Input files"),
    "services.method.no_inputs": (
        "Girdiler bellekteki tablolardan geldi (dosya yok).",
        "Inputs came from tables in memory (no files).",
    ),
    "services.method.rest": ("diğer tüm gruplar (birlikte)", "all other groups (pooled)"),
    "services.reason.no_linked_users": ("bağlı yararlanıcı yok", "no linked users"),
    # data quality
    "services.quality.title": ("Veri kalitesi", "Data quality"),
    "services.quality.unknown": (
        "Durumu kayıtlı olmayan yararlanıcılar",
        "Users whose status is not recorded",
    ),
    "services.quality.issues": ("Okuma sırasında bulunan sorunlar", "Issues found while reading"),
    "services.quality.no_issues": (
        "Okuma sonuçları verilmedi ya da sorun yok.",
        "No read results were given, or no issues.",
    ),
    "services.quality.quarantine": ("Karantinadaki satırlar — {source}", "Quarantined rows — {source}"),
    "services.quality.quarantine_note": (
        "Kişisel veri gösterilmez: kişi numarası ve hizmet/yer dışındaki alanlar çıkarılmıştır. İlk {n} satır.",
        "No personal data is shown: person ids and every field other than service and place are removed. "
        "First {n} rows.",
    ),
    "services.quality.truncated": (
        "İlk {n} satır gösterilir; tamamı {total}.",
        "First {n} rows shown of {total}.",
    ),
}

#: Definitions of the measures: (name, definition, methods.md reference), each text a (Turkish, English) pair.
DEFINITIONS: Final[tuple[tuple[tuple[str, str], tuple[str, str], str], ...]] = (
    (
        ("Yararlanıcı", "Users"),
        (
            "Hizmeti yıl içinde kullanan farklı kişi (kişi numarası); bir kişi her hücrede bir kez sayılır.",
            "Distinct persons (person id) who used the service in the year; a person counts once per cell.",
        ),
        "methods.md §2",
    ),
    (
        ("Oran (binde)", "Rate (per 1,000)"),
        (
            "r = yararlanıcı ÷ nüfus × 1.000; Wilson skor güven aralığı.",
            "r = users ÷ population × 1,000; Wilson score confidence interval.",
        ),
        "methods.md §2",
    ),
    (
        ("Oran oranı", "Rate ratio"),
        (
            "RR = r_grup ÷ r_referans (yönlü, 1'e katlanmaz); Katz log güven aralığı, "
            "SE(ln RR) = √(1/u_g − 1/n_g + 1/u_ref − 1/n_ref).",
            "RR = r_group ÷ r_reference (signed, not folded to ≤ 1); Katz log interval, "
            "SE(ln RR) = √(1/u_g − 1/n_g + 1/u_ref − 1/n_ref).",
        ),
        "methods.md §2",
    ),
    (
        ("Oran farkı", "Rate difference"),
        (
            "r_grup − r_referans (binde); Newcombe aralığı.",
            "r_group − r_reference (per 1,000); Newcombe interval.",
        ),
        "methods.md §2",
    ),
    (
        ("Temsil endeksi", "Representation index"),
        (
            "Yararlanıcı payı ÷ nüfus payı = r_grup ÷ r̄ (karşılaştırmadaki grupların birleşik oranı).",
            "Share of users ÷ share of population = r_group ÷ r̄ (the pooled rate of the comparison).",
        ),
        "methods.md §2",
    ),
    (
        ("Beşte dört işareti", "Four-fifths flag"),
        (
            "RR < 0,8 düşük temsil, RR > 1,25 yüksek temsil; güven aralığının 1'i dışlayıp dışlamadığı ayrıca verilir.",
            "RR < 0.8 under-served, RR > 1.25 over-served; whether the interval excludes 1 is given separately.",
        ),
        "methods.md §2",
    ),
    (
        ("Uygun nüfus", "Eligible population"),
        (
            "Her hizmet kimin için olduğunu hizmet kataloğunda bildirir (yaş aralığı, cinsiyet, engellilik, "
            "göçmenlik durumu, ilçe). Oranlar bu nüfus içinde hesaplanır; dışındaki gruplar 'Uygun değil' olarak "
            "gösterilir, eksik hizmet sayılmaz. Yaş aralığıyla kısmen örtüşen yaş grubu, içindeki yaş sayısı "
            "oranında katılır (grup içinde yaşların eşit dağıldığı varsayılır: 3–6 yaş için 0–4 grubunun 2/5'i, "
            "5–14 grubunun 2/10'u); tamamen içeride olma koşulu 3–6 yaş kreşine hiç çocuk bırakmazdı. Uygunluk "
            "dışındaki kayıtlar veri kalitesi sayfasında sayılır.",
            "Each service declares in the service catalogue who it is for (age range, sex, disability, migrant "
            "status, district). Rates are taken within that population; groups outside it are shown as 'Not "
            "eligible', never as under-served. An age band partly inside the age range counts pro rata by single "
            "years (residents assumed evenly spread over the band's years: 2/5 of 0–4 and 2/10 of 5–14 for ages "
            "3–6); counting only bands wholly inside would leave a 3–6 crèche no children at all. Records outside "
            "the eligibility are counted on the data-quality sheet.",
        ),
        "methods.md §3c",
    ),
    (
        ("Eksik hizmet", "Under-served"),
        (
            "Tek tanım: uygun nüfus içinde; en az 1.000 uygun kişi ve referans oranında en az 10 beklenen "
            "yararlanıcı; oranlar oranının güven aralığının tamamı 0,8'in altında (hiç yararlanıcı yoksa üst "
            "sınır, sıfır sayının kesin Poisson üst sınırı ÷ beklenen yararlanıcı). Eksik kişi = beklenen − "
            "gözlenen yararlanıcı; sıralama buna göredir. Beşte dört işareti ayrıca verilir ve sınırda kesin "
            "hesaplanır (80/1.000 ile 100/1.000 tam 0,8'dir).",
            "One definition: within the eligible population; at least 1,000 eligible residents and 10 users "
            "expected at the reference rate; the rate ratio's whole confidence interval below 0.8 (with no user "
            "at all, the upper limit is the exact Poisson upper limit of a zero count ÷ expected users). People "
            "missing = expected − observed users, which orders the ranking. The four-fifths flag is given "
            "besides, decided exactly at the boundary (80/1,000 against 100/1,000 is exactly 0.8).",
        ),
        "methods.md §2, §3c",
    ),
    (
        ("Yaşa göre standartlaştırma", "Age standardisation"),
        (
            "İlçe ve mahalleler için: doğrudan standart oran (DSR, Dobson aralığı; standart: belediyenin uygun "
            "nüfusu ya da Avrupa Standart Nüfusu 2013) ve dolaylı standart oran (gözlenen ÷ şehrin yaş grubu "
            "oranlarıyla beklenen; 10'un altında kesin Poisson, üstünde Byar). 10'dan az yararlanıcıda ya da bir "
            "yaş grubunda 1–(k−1) kişi varken DSR yayımlanmaz.",
            "For districts and neighbourhoods: the directly standardised rate (DSR, Dobson interval; standard: "
            "the municipality's eligible population or the European Standard Population 2013) and the indirectly "
            "standardised ratio (observed ÷ expected at the city's age-band rates; exact Poisson below 10, Byar "
            "above). No DSR for fewer than 10 users or when an age band has 1–(k−1) users.",
        ),
        "methods.md §3b",
    ),
    (
        ("Diğer gruplar (referans)", "All other groups (reference)"),
        (
            "Yerler, şehrin geri kalanıyla karşılaştırılır (örneklemler ayrık; yerin kendisi referansa girmez).",
            "A place is compared with the rest of the city (disjoint samples: the place is not in its reference).",
        ),
        "methods.md §2",
    ),
    (
        ("HEAT özet ölçüleri", "HEAT summary measures"),
        (
            "D, R, BGV, BGSD, COV, MDMW/MDMU, MDBW/MDBU, MDRW/MDRU, IDISU/IDISW, Theil, MLD, PAR/PAF; yaş grupları "
            "için SII/RII (nüfus ağırlıklı binom GLM). Aşağıdaki tabloya bakınız.",
            "D, R, BGV, BGSD, COV, MDMW/MDMU, MDBW/MDBU, MDRW/MDRU, IDISU/IDISW, Theil, MLD, PAR/PAF; SII/RII for "
            "age bands (population-weighted binomial GLM). See the table below.",
        ),
        "methods.md §3",
    ),
    (
        ("Kimlik koruması", "Disclosure control"),
        (
            "1–(k−1) kişilik sayılar ve onları toplamlardan açığa çıkarabilecek hücreler gizlenir.",
            "Counts of 1–(k−1) persons and the cells that would reveal them through totals are hidden.",
        ),
        "methods.md §4",
    ),
    (
        ("Fayda dağılımı", "Benefit incidence"),
        (
            "Demery: grup j'nin hizmet i'den faydası = u_ij × S_i ÷ u_i; fayda payı ÷ nüfus payı.",
            "Demery: benefit of group j from service i = u_ij × S_i ÷ u_i; benefit share ÷ population share.",
        ),
        "methods.md §5",
    ),
)

#: HEAT measure definitions (methods.md §3).
HEAT_DEFINITIONS: Final[dict[str, tuple[str, str]]] = {
    "D": ("En yüksek − en düşük oran", "Highest − lowest rate"),
    "R": ("En yüksek ÷ en düşük oran", "Highest ÷ lowest rate"),
    "BGV": ("Gruplar arası varyans Σ p_j (y_j − μ)²", "Between-group variance Σ p_j (y_j − μ)²"),
    "BGSD": ("Gruplar arası standart sapma √BGV", "Between-group standard deviation √BGV"),
    "COV": ("Değişim katsayısı 100·BGSD/μ", "Coefficient of variation 100·BGSD/μ"),
    "MDMW": (
        "Ortalamadan ağırlıklı ortalama fark Σ p_j |y_j − μ|",
        "Weighted mean difference from the mean Σ p_j |y_j − μ|",
    ),
    "MDMU": ("Ortalamadan ağırlıksız ortalama fark", "Unweighted mean difference from the mean"),
    "MDBW": ("En iyi gruptan ağırlıklı ortalama fark", "Weighted mean difference from the best group"),
    "MDBU": ("En iyi gruptan ağırlıksız ortalama fark", "Unweighted mean difference from the best group"),
    "MDRW": ("Referans gruptan ağırlıklı ortalama fark", "Weighted mean difference from the reference group"),
    "MDRU": (
        "Referans gruptan ağırlıksız ortalama fark",
        "Unweighted mean difference from the reference group",
    ),
    "IDISU": (
        "Ağırlıksız eşitsizlik indeksi 100·(1/n)Σ|y_j − μ|/μ",
        "Index of disparity, unweighted 100·(1/n)Σ|y_j − μ|/μ",
    ),
    "IDISW": (
        "Ağırlıklı eşitsizlik indeksi 100·Σ p_j|y_j − μ|/μ",
        "Index of disparity, weighted 100·Σ p_j|y_j − μ|/μ",
    ),
    "TI": ("Theil indeksi Σ p_j r_j ln r_j", "Theil index Σ p_j r_j ln r_j"),
    "TI_x1000": ("Theil indeksi × 1000", "Theil index × 1000"),
    "MLD": ("Ortalama log sapma Σ p_j (−ln r_j)", "Mean log deviation Σ p_j (−ln r_j)"),
    "MLD_x1000": ("Ortalama log sapma × 1000", "Mean log deviation × 1000"),
    "PAR": ("Nüfusa atfedilebilir risk y_ref − μ", "Population attributable risk y_ref − μ"),
    "PAF": ("Nüfusa atfedilebilir oran 100·PAR/μ", "Population attributable fraction 100·PAR/μ"),
    "SII": ("Eğim eşitsizlik indeksi ŷ(1) − ŷ(0)", "Slope index of inequality ŷ(1) − ŷ(0)"),
    "RII": ("Göreli eşitsizlik indeksi ŷ(1) ÷ ŷ(0)", "Relative index of inequality ŷ(1) ÷ ŷ(0)"),
    "D_ref": ("Referans grup − en düşük diğer grup", "Reference group − lowest other group"),
    "R_ref": ("Referans grup ÷ en düşük diğer grup", "Reference group ÷ lowest other group"),
    "SII_HEAT": (
        "SII, WHO HEAT ağırlığıyla (nüfus²; HEAT Plus ile karşılaştırmak için)",
        "SII with WHO HEAT's weighting (population²; to compare with HEAT Plus)",
    ),
    "RII_HEAT": (
        "RII, WHO HEAT ağırlığıyla (nüfus²; HEAT Plus ile karşılaştırmak için)",
        "RII with WHO HEAT's weighting (population²; to compare with HEAT Plus)",
    ),
    "ACI": (
        "Mutlak yoğunlaşma indeksi Σ p_j (2X_j − 1) y_j",
        "Absolute concentration index Σ p_j (2X_j − 1) y_j",
    ),
    "RCI": ("Göreli yoğunlaşma indeksi ACI ÷ μ", "Relative concentration index ACI ÷ μ"),
}


#: Column headers of the HEAT sheet: a short name and the WHO HEAT abbreviation (defined on the methodology sheet).
HEAT_HEADERS: Final[dict[str, tuple[str, str]]] = {
    "D": ("Fark (D)", "Difference (D)"),
    "R": ("Oran (R)", "Ratio (R)"),
    "BGV": ("Gruplar arası varyans (BGV)", "Between-group variance (BGV)"),
    "BGSD": ("Gruplar arası std. sapma (BGSD)", "Between-group SD (BGSD)"),
    "COV": ("Değişim katsayısı (COV)", "Coefficient of variation (COV)"),
    "MDMW": ("Ortalamadan fark, ağırlıklı (MDMW)", "Mean difference from mean, weighted (MDMW)"),
    "MDMU": ("Ortalamadan fark, ağırlıksız (MDMU)", "Mean difference from mean, unweighted (MDMU)"),
    "MDBW": ("En iyiden fark, ağırlıklı (MDBW)", "Mean difference from best, weighted (MDBW)"),
    "MDBU": ("En iyiden fark, ağırlıksız (MDBU)", "Mean difference from best, unweighted (MDBU)"),
    "MDRW": ("Referanstan fark, ağırlıklı (MDRW)", "Mean difference from reference, weighted (MDRW)"),
    "MDRU": ("Referanstan fark, ağırlıksız (MDRU)", "Mean difference from reference, unweighted (MDRU)"),
    "IDISU": ("Eşitsizlik indeksi, ağırlıksız (IDISU)", "Index of disparity, unweighted (IDISU)"),
    "IDISW": ("Eşitsizlik indeksi, ağırlıklı (IDISW)", "Index of disparity, weighted (IDISW)"),
    "TI": ("Theil indeksi (TI)", "Theil index (TI)"),
    "TI_x1000": ("Theil indeksi × 1000 (TI)", "Theil index × 1000 (TI)"),
    "MLD": ("Ortalama log sapma (MLD)", "Mean log deviation (MLD)"),
    "MLD_x1000": ("Ortalama log sapma × 1000 (MLD)", "Mean log deviation × 1000 (MLD)"),
    "PAR": ("Atfedilebilir risk (PAR)", "Attributable risk (PAR)"),
    "PAF": ("Atfedilebilir oran, % (PAF)", "Attributable fraction, % (PAF)"),
    "SII": ("Eğim eşitsizlik indeksi (SII)", "Slope index of inequality (SII)"),
    "RII": ("Göreli eşitsizlik indeksi (RII)", "Relative index of inequality (RII)"),
    "SII_HEAT": ("SII, HEAT ağırlığı (SII_HEAT)", "SII, HEAT weighting (SII_HEAT)"),
    "RII_HEAT": ("RII, HEAT ağırlığı (RII_HEAT)", "RII, HEAT weighting (RII_HEAT)"),
    "ACI": ("Mutlak yoğunlaşma indeksi (ACI)", "Absolute concentration index (ACI)"),
    "RCI": ("Göreli yoğunlaşma indeksi (RCI)", "Relative concentration index (RCI)"),
    "D_ref": ("Referansa göre fark (D)", "Difference from reference (D)"),
    "R_ref": ("Referansa göre oran (R)", "Ratio to reference (R)"),
}


def register(strings: Mapping[str, tuple[str, str]]) -> None:
    """Add ``strings`` to the report registry; a key already there with a different text is an error."""
    for key, pair in strings.items():
        existing = i18n.STRINGS.get(key)
        if existing is not None and tuple(existing) != tuple(pair):
            raise ValueError(f"report string {key!r} is already defined as {existing!r}")
        i18n.STRINGS[key] = pair


def pick(pair: tuple[str, str], lang: str) -> str:
    """The text of a (Turkish, English) pair in ``lang``."""
    return pair[0] if lang == "tr" else pair[1]


def split_pair(text: str, lang: str) -> str:
    """The ``lang`` half of a ``"Türkçe / English"`` text (the whole text when it has no `` / ``)."""
    turkish, sep, english = str(text).partition(" / ")
    return (turkish if lang == "tr" else english).strip() if sep else str(text)


register(STRINGS)
