"""A small form spec exercising every field kind, shared by the forms tests."""

from __future__ import annotations

import pandas as pd

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


def T(tr: str, en: str | None = None) -> Text:
    return Text(tr=tr, en=en or tr)


STATUS = (
    Choice(code="todo", label=T("Yapılmadı", "Not done")),
    Choice(code="doing", label=T("Sürüyor", "Ongoing")),
    Choice(code="done", label=T("Bitti", "Done")),
)
VALUE_KIND = FormField(
    name="value_kind",
    label=T("Değer Türü", "Value kind"),
    kind=FieldKind.CHOICE,
    fixed=True,
    choices=(
        Choice(code="integer", label=T("Sayı", "Count")),
        Choice(code="percent", label=T("Yüzde", "Percent")),
        Choice(code="yes_no", label=T("Evet/Hayır", "Yes/No")),
    ),
)

TOY = FormSpec(
    kind="toy_return",
    version=1,
    title=T("Deneme Formu", "Toy form"),
    identity=(
        IdentityField(name="unit", label=T("Birim", "Unit")),
        IdentityField(name="year", label=T("Yıl", "Year")),
    ),
    instructions=(T("Bu bir deneme formudur.", "This is a toy form."),),
    sheets=(
        SheetSpec(
            key="items",
            name=T("Kalemler", "Items"),
            title=T("Kalemler", "Items"),
            fields=(
                FormField(name="code", label=T("Kod", "Code"), fixed=True, key=True, width=10),
                FormField(name="title", label=T("Başlık", "Title"), fixed=True, width=30, wrap=True),
                FormField(name="area", label=T("Alan", "Area"), kind=FieldKind.INTEGER, fixed=True, width=6),
                FormField(
                    name="status",
                    label=T("Durum", "Status"),
                    kind=FieldKind.CHOICE,
                    choices=STATUS,
                    required=True,
                ),
                FormField(name="progress", label=T("İlerleme (%)", "Progress (%)"), kind=FieldKind.PERCENT),
                FormField(name="count", label=T("Adet", "Count"), kind=FieldKind.INTEGER, minimum=0),
                FormField(
                    name="ratio", label=T("Oran", "Ratio"), kind=FieldKind.DECIMAL, minimum=0, maximum=5
                ),
                FormField(
                    name="spent", label=T("Harcanan (TL)", "Spent (TL)"), kind=FieldKind.MONEY, minimum=0
                ),
                FormField(name="ok", label=T("Uygun mu", "Fine"), kind=FieldKind.YES_NO),
                FormField(name="when", label=T("Tarih", "Date"), kind=FieldKind.DATE),
                FormField(
                    name="what",
                    label=T("Yapılanlar", "What was done"),
                    max_length=200,
                    required_if=(
                        RequiredIf(
                            when=Condition(field="status", **{"in": ("done",)}),
                            message=T("Durum 'Bitti' ise yapılanları yazınız", "Describe what was done"),
                        ),
                    ),
                ),
                FormField(
                    name="econ",
                    label=T("Ekonomik Kod", "Economic code"),
                    pattern=r"\d{2}(\.\d{1,2}){0,3}",
                    pattern_hint=T("03.5.1.08 gibi", "like 03.5.1.08"),
                ),
            ),
        ),
        SheetSpec(
            key="values",
            name=T("Değerler", "Values"),
            title=T("Değerler", "Values"),
            fields=(
                FormField(name="vid", label=T("No", "Id"), fixed=True, key=True),
                VALUE_KIND,
                FormField(name="actual", label=T("Gerçekleşen", "Actual"), kind_from="value_kind", minimum=0),
                FormField(
                    name="source",
                    label=T("Kaynak", "Source"),
                    required_if=(
                        RequiredIf(
                            when=Condition(field="actual", filled=True),
                            message=T("Kaynağı yazınız", "Give the source"),
                        ),
                    ),
                ),
            ),
        ),
    ),
)


def toy_rows() -> dict[str, pd.DataFrame]:
    return {
        "items": pd.DataFrame(
            {
                "code": ["K1", "K2", "K3", "K4"],
                "title": ["Birinci kalem", '=HYPERLINK("http://x")', "Üçüncü", "Dördüncü"],
                "area": [1, 1, 2, 3],
            }
        ),
        "values": pd.DataFrame({"vid": ["D1", "D2", "D3"], "value_kind": ["integer", "percent", "yes_no"]}),
    }


IDENTITY = {"unit": "saglik", "year": 2024}
