"""The monitoring return (izleme formu) as a form spec: what each responsible unit fills in once a year.

Two data sheets:

``Eylemler`` (actions)
    one row per action of the plan the unit leads or cooperates on, active in the year: the action (code, area,
    target, title, the unit's role, the plan period) and what the unit reports — status (*başlanmadı / devam
    ediyor / tamamlandı / iptal edildi*), progress in %, what was done (required when done or in progress), the
    reason when cancelled, the money the unit spent on it in TL and the budget line it came from (economic code,
    functional code or budget line number), and a note.
``Göstergeler`` (indicators)
    one row per plan indicator the unit reports (see :mod:`gcdb.monitor.links`): the indicator, its related action
    and the kind of value it takes (a count, a percentage 0–100, yes/no, a number), then baseline, target and
    actual value of that kind, the unit of measure, the source (required with an actual value), the direction of
    improvement (prefilled from the wording, may be corrected) and a note.
"""

from __future__ import annotations

from typing import Final

from gcdb.forms import (
    Choice,
    Condition,
    FieldKind,
    FormField,
    FormSpec,
    IdentityField,
    RequiredIf,
    SheetSpec,
    Text,
)
from gcdb.monitor import names as N

FORM_KIND: Final = "monitoring_return"
FORM_VERSION: Final = 1

#: Identity fields of a return (the hidden key ties the copy to them).
UNIT, UNIT_LABEL, YEAR, PLAN_ID, PLAN_VERSION = (
    "unit_id",
    "unit_name",
    "fiscal_year",
    "plan_id",
    "plan_version",
)

ACTIONS_SHEET, INDICATORS_SHEET = "actions", "indicators"


def _t(code: str) -> Text:
    tr, en = N.LABELS[code]
    return Text(tr=tr, en=en)


def _choices(codes) -> tuple[Choice, ...]:
    return tuple(Choice(code=c, label=_t(c)) for c in codes)


#: Value kinds an indicator row takes (fixed per row, switching the kind of baseline, target and actual).
VALUE_KIND_CHOICES: Final = (
    Choice(code="integer", label=Text(tr="Sayı (tam)", en="Count")),
    Choice(code="percent", label=Text(tr="Yüzde (0–100)", en="Percent (0–100)")),
    Choice(code="yes_no", label=Text(tr="Evet / Hayır", en="Yes / No")),
    Choice(code="decimal", label=Text(tr="Sayı (ondalıklı)", en="Number")),
)

# ("in" is a keyword: the condition is validated from its data)
_DONE_OR_GOING = Condition.model_validate({"field": N.STATUS, "in": (N.DONE, N.IN_PROGRESS)})

ACTIONS = SheetSpec(
    key=ACTIONS_SHEET,
    name=Text(tr="Eylemler", en="Actions"),
    title=Text(tr="Eylemlerin durumu", en="Status of the actions"),
    note=Text(
        tr="Her eylem için birim olarak yaptıklarınızı yazınız; işbirliği birimi olduğunuz eylemlerde kendi "
        "katkınızı ve harcamanızı bildiriniz.",
        en="Report what your unit did on each action; where you are a cooperating unit, report your own "
        "contribution and spending.",
    ),
    fields=(
        FormField(
            name="action_code", label=Text(tr="Eylem Kodu", en="Action code"), fixed=True, key=True, width=11
        ),
        FormField(name="area", label=Text(tr="Amaç", en="Area"), kind=FieldKind.INTEGER, fixed=True, width=6),
        FormField(name="target_code", label=Text(tr="Hedef", en="Target"), fixed=True, width=8),
        FormField(name=N.TITLE, label=Text(tr="Eylem", en="Action"), fixed=True, width=48, wrap=True),
        FormField(
            name=N.ROLE,
            label=Text(tr="Rolünüz", en="Your role"),
            kind=FieldKind.CHOICE,
            choices=_choices(N.ROLES),
            fixed=True,
            width=13,
            wrap=True,
        ),
        FormField(name=N.PERIOD, label=Text(tr="Planlanan Süre", en="Planned period"), fixed=True, width=11),
        FormField(
            name=N.STATUS,
            label=Text(tr="Durum", en="Status"),
            kind=FieldKind.CHOICE,
            choices=_choices(N.STATUSES),
            required=True,
            width=14,
            help=Text(
                tr="Yılsonu itibarıyla eylemin durumu.", en="The action's status at the end of the year."
            ),
        ),
        FormField(
            name=N.PROGRESS,
            label=Text(tr="İlerleme (%)", en="Progress (%)"),
            kind=FieldKind.PERCENT,
            width=10,
            required_if=(
                RequiredIf(
                    when=_DONE_OR_GOING,
                    message=Text(
                        tr="Durum 'Devam ediyor' ya da 'Tamamlandı' ise ilerleme yüzdesini yazınız",
                        en="Give the progress when the action is in progress or done",
                    ),
                ),
            ),
        ),
        FormField(
            name=N.DONE_TEXT,
            label=Text(tr="Yapılanlar", en="What was done"),
            max_length=2000,
            width=40,
            wrap=True,
            required_if=(
                RequiredIf(
                    when=_DONE_OR_GOING,
                    message=Text(
                        tr="Durum 'Devam ediyor' ya da 'Tamamlandı' ise yapılanları yazınız",
                        en="Describe what was done when the action is in progress or done",
                    ),
                ),
            ),
        ),
        FormField(
            name=N.CANCEL_REASON,
            label=Text(tr="İptal Nedeni", en="Reason for cancelling"),
            max_length=1000,
            width=24,
            wrap=True,
            required_if=(
                RequiredIf(
                    when=Condition.model_validate({"field": N.STATUS, "in": (N.CANCELLED,)}),
                    message=Text(
                        tr="Durum 'İptal edildi' ise iptal nedenini yazınız",
                        en="Give the reason when the action was cancelled",
                    ),
                ),
            ),
        ),
        FormField(
            name=N.SPENT,
            label=Text(tr="Harcanan Tutar (TL)", en="Money spent (TL)"),
            kind=FieldKind.MONEY,
            minimum=0,
            width=16,
            help=Text(
                tr="Biriminizin bu eylem için yıl içinde yaptığı harcama; harcama yoksa 0.",
                en="What your unit spent on this action in the year; 0 if nothing.",
            ),
        ),
        FormField(
            name=N.BUDGET_ECONOMIC,
            label=Text(tr="Ekonomik Kod", en="Economic code"),
            pattern=r"0[1-9](\.\d{1,2}){0,3}",
            pattern_hint=Text(tr="03.5.1.08 gibi, ekonomik sınıflandırma kodu", en="like 03.5.1.08"),
            width=13,
            required_if=(
                RequiredIf(
                    when=Condition(field=N.SPENT, gt=0),
                    message=Text(
                        tr="Harcama varsa bütçe kaleminin ekonomik kodunu yazınız",
                        en="Give the economic code of the budget line the money came from",
                    ),
                ),
            ),
        ),
        FormField(
            name=N.BUDGET_FUNCTIONAL,
            label=Text(tr="Fonksiyonel Kod", en="Functional code"),
            pattern=r"(0[1-9]|10)(\.\d{1,2}){0,3}",
            pattern_hint=Text(tr="10.4.0.00 gibi, fonksiyonel sınıflandırma kodu", en="like 10.4.0.00"),
            width=13,
        ),
        FormField(
            name=N.BUDGET_LINE, label=Text(tr="Bütçe Satır No", en="Budget line no"), max_length=50, width=13
        ),
        FormField(name=N.NOTE, label=Text(tr="Açıklama", en="Note"), max_length=2000, width=30, wrap=True),
    ),
)

INDICATORS = SheetSpec(
    key=INDICATORS_SHEET,
    name=Text(tr="Göstergeler", en="Indicators"),
    title=Text(tr="Göstergelerin değerleri", en="Indicator values"),
    note=Text(
        tr="Değer Türü 'Yüzde' olan göstergelerde 0–100 arası bir sayı, 'Evet / Hayır' olanlarda Evet ya da Hayır "
        "yazınız.",
        en="Write a number from 0 to 100 where the value kind is 'Percent', Yes or No where it is 'Yes / No'.",
    ),
    fields=(
        FormField(
            name=N.INDICATOR_ID, label=Text(tr="Gösterge No", en="Indicator"), fixed=True, key=True, width=9
        ),
        FormField(name="area", label=Text(tr="Amaç", en="Area"), kind=FieldKind.INTEGER, fixed=True, width=6),
        FormField(
            name="action_code", label=Text(tr="İlgili Eylem", en="Related action"), fixed=True, width=10
        ),
        FormField(
            name=N.INDICATOR_TEXT, label=Text(tr="Gösterge", en="Indicator"), fixed=True, width=48, wrap=True
        ),
        FormField(
            name=N.VALUE_KIND,
            label=Text(tr="Değer Türü", en="Value kind"),
            kind=FieldKind.CHOICE,
            choices=VALUE_KIND_CHOICES,
            fixed=True,
            width=12,
            wrap=True,
        ),
        FormField(
            name=N.BASELINE,
            label=Text(tr="Başlangıç Değeri", en="Baseline"),
            kind_from=N.VALUE_KIND,
            minimum=0,
            width=12,
            help=Text(tr="Planın başındaki değer.", en="The value when the plan started."),
        ),
        FormField(
            name=N.TARGET_VALUE,
            label=Text(tr="Hedef Değer", en="Target"),
            kind_from=N.VALUE_KIND,
            minimum=0,
            width=12,
            help=Text(tr="Bu yıl için hedeflenen değer.", en="The value aimed at for this year."),
        ),
        FormField(
            name=N.ACTUAL,
            label=Text(tr="Gerçekleşen Değer", en="Actual value"),
            kind_from=N.VALUE_KIND,
            minimum=0,
            width=12,
            help=Text(
                tr="Yılsonu itibarıyla gerçekleşen değer; ölçülemediyse boş bırakıp nedenini "
                "Açıklama sütununa yazınız.",
                en="The value at the end of the year; if it could not be measured, leave it blank and "
                "say why in the note.",
            ),
        ),
        FormField(
            name=N.MEASURE_UNIT, label=Text(tr="Ölçü Birimi", en="Unit of measure"), max_length=50, width=11
        ),
        FormField(
            name=N.SOURCE,
            label=Text(tr="Kaynak", en="Source"),
            max_length=500,
            width=20,
            wrap=True,
            required_if=(
                RequiredIf(
                    when=Condition(field=N.ACTUAL, filled=True),
                    message=Text(
                        tr="Gerçekleşen değerin kaynağını yazınız (kayıt sistemi, rapor, sayım …)",
                        en="Give the source of the actual value (a records system, a report, a count …)",
                    ),
                ),
            ),
        ),
        FormField(
            name=N.DIRECTION,
            label=Text(tr="İyileşme Yönü", en="Direction"),
            kind=FieldKind.CHOICE,
            choices=_choices((N.HIGHER_IS_BETTER, N.LOWER_IS_BETTER, N.NEUTRAL)),
            width=12,
            help=Text(
                tr="gcdb gösterge metninden tahmin etti; yanlışsa düzeltiniz.",
                en="Guessed by gcdb from the wording; correct it if wrong.",
            ),
        ),
        FormField(name=N.NOTE, label=Text(tr="Açıklama", en="Note"), max_length=2000, width=30, wrap=True),
    ),
)

MONITORING_FORM: Final = FormSpec(
    kind=FORM_KIND,
    version=FORM_VERSION,
    title=Text(
        tr="Yerel Eşitlik Eylem Planı İzleme Formu", en="Local Equality Action Plan Monitoring Return"
    ),
    identity=(
        IdentityField(name=UNIT_LABEL, label=Text(tr="Birim", en="Unit")),
        IdentityField(name=UNIT, label=Text(tr="Birim Kodu", en="Unit id")),
        IdentityField(name=YEAR, label=Text(tr="Yıl", en="Year")),
        IdentityField(name=PLAN_ID, label=Text(tr="Plan", en="Plan")),
        IdentityField(name=PLAN_VERSION, label=Text(tr="Plan Sürümü", en="Plan version")),
    ),
    instructions=(
        Text(
            tr="Bu form, Yerel Eşitlik Eylem Planı'nda sorumlu ya da işbirliği birimi olduğunuz eylemlerin yıl "
            "içindeki durumunu ve göstergelerin değerlerini toplamak içindir. Eşitlik Birimi formları "
            "birleştirerek İzleme ve Değerlendirme Raporu'nu hazırlar ve eylemleri bütçedeki ödeneklerle "
            "karşılaştırır.",
            en="This form collects the status in the year of the actions of the Local Equality Action Plan your "
            "unit is responsible for or cooperates on, and the values of the indicators. The Equality Unit "
            "combines the returns into the Monitoring and Evaluation Report and compares the actions with the "
            "budget's appropriations.",
        ),
        Text(
            tr="'Eylemler' sayfasında her eylem için durumu seçiniz. 'Devam ediyor' ve 'Tamamlandı' için ilerleme "
            "yüzdesini ve yapılanları, 'İptal edildi' için nedenini yazınız. Harcama yaptıysanız tutarı TL olarak "
            "ve harcamanın yapıldığı bütçe kaleminin ekonomik kodunu (varsa fonksiyonel kodunu ya da satır "
            "numarasını) yazınız.",
            en="On the 'Actions' sheet pick each action's status. For 'In progress' and 'Done' give the progress "
            "and what was done; for 'Cancelled' the reason. If you spent money, give the amount in TL and the "
            "economic code of the budget line (and its functional code or line number if you have them).",
        ),
        Text(
            tr="'Göstergeler' sayfasında biriminizin bildirdiği göstergelerin başlangıç, hedef ve gerçekleşen "
            "değerlerini, ölçü birimini ve kaynağını yazınız.",
            en="On the 'Indicators' sheet give the baseline, target and actual value of the indicators your "
            "unit reports, their unit of measure and their source.",
        ),
    ),
    sheets=(ACTIONS, INDICATORS),
)
