"""Indicator kinds from the wording, the link of each indicator to an action and a unit."""

from __future__ import annotations

import pandas as pd
import pytest

from gcdb.monitor import classify_indicators, indicator_plan, kind_counts, link_indicators
from gcdb.monitor import names as N
from gcdb.monitor.kinds import classify_texts


@pytest.mark.parametrize(
    ("text", "kind", "value_kind", "direction", "breakdown"),
    [
        ("Verilen babalık eğitimi sayısı", N.COUNT, "integer", N.HIGHER_IS_BETTER, False),
        ("İBB KENT KONSEYİNDE YER ALAN KADIN ORANI", N.PERCENTAGE, "percent", N.HIGHER_IS_BETTER, False),
        ("Hava Kalitesi Eylem Planı tamamlanma oranı", N.COMPLETION, "percent", N.HIGHER_IS_BETTER, False),
        ("Çevirimiçi Bilet Satışındaki Artış Oranı", N.CHANGE, "decimal", N.HIGHER_IS_BETTER, False),
        (
            "Hizmet Merkezlerinin kadın kullanıcı sayısı/oranı",
            N.COMPOUND,
            "decimal",
            N.HIGHER_IS_BETTER,
            False,
        ),
        ("Kent konseyinde göç çalışma grubunun oluşturulması", N.YES_NO, "yes_no", N.HIGHER_IS_BETTER, False),
        ("Farkındalık projelerinin listesi", N.LIST, "decimal", N.HIGHER_IS_BETTER, False),
        ("Geri dönüştürülen ürün miktarı", N.AMOUNT, "decimal", N.HIGHER_IS_BETTER, False),
        ("Bakım Onarımı Yapılan Yaya Alanı ( m2)", N.AMOUNT, "decimal", N.HIGHER_IS_BETTER, False),
        ("Ortalama bekleme süresi", N.AVERAGE, "decimal", N.LOWER_IS_BETTER, False),
        ("Trafik kazası sayısı", N.COUNT, "integer", N.LOWER_IS_BETTER, False),
        ("Barınma alanları başına düşen nüfus oranı", N.RATIO, "decimal", N.NEUTRAL, False),
        ("Birimlere göre kadın çalışan sayısı", N.COUNT, "integer", N.HIGHER_IS_BETTER, True),
        ("Mahalle bazlı etkinlik sayısı", N.COUNT, "integer", N.HIGHER_IS_BETTER, True),
        (
            "Kadınların desteklenmesi için iyi uygulamalar",
            N.UNCLASSIFIED,
            "decimal",
            N.HIGHER_IS_BETTER,
            False,
        ),
    ],
)
def test_kind_from_the_wording(text, kind, value_kind, direction, breakdown):
    row = classify_texts(pd.Series([text], dtype="str")).iloc[0]
    assert (row[N.KIND], row[N.VALUE_KIND], row[N.DIRECTION], bool(row[N.NEEDS_BREAKDOWN])) == (
        kind,
        value_kind,
        direction,
        breakdown,
    )
    assert bool(row[N.COMPUTABLE]) == (kind in N.COMPUTABLE_KINDS)


def test_at_least_150_indicators_computable_from_collected_values(catalogue):
    plan = indicator_plan(catalogue)
    counts = kind_counts(plan).set_index(N.KIND)
    assert counts["indicators"].sum() == len(catalogue.indicators) == 604
    computable = int(counts["computable"].sum())
    assert computable >= 150
    assert computable == int(plan[N.COMPUTABLE].sum())
    # the catalogue's own coarse kinds agree: every 'count' indicator of the catalogue is a count here
    joined = classify_indicators(catalogue.indicators).merge(
        catalogue.indicators[["indicator_id", "kind"]].rename(columns={"kind": "catalogue_kind"})
    )
    assert set(joined.loc[joined["catalogue_kind"] == "count", N.KIND]) <= {N.COUNT, N.AMOUNT, N.UNCLASSIFIED}
    assert set(joined.loc[joined["catalogue_kind"] == "milestone", N.KIND]) == {N.YES_NO}
    # where each value comes from: the returns, the workforce table, or nowhere
    by_source = plan[N.VALUE_SOURCE].value_counts()
    assert by_source[N.SOURCE_RETURNS] + by_source[N.SOURCE_WORKFORCE] == computable
    assert by_source[N.SOURCE_NONE] == 604 - computable


def test_every_indicator_reported_by_exactly_one_unit(catalogue):
    links = link_indicators(catalogue)
    assert len(links) == len(catalogue.indicators) and links[N.INDICATOR_ID].is_unique
    assert links[N.UNIT_ID].notna().all()
    assert set(links[N.UNIT_ID]) <= set(catalogue.units["unit_id"])
    text = links[links["link_method"] == "text"]
    actions = catalogue.actions.set_index("action_code")["area"]
    assert (text["action_code"].map(actions) == text["area"]).all()  # linked within its own area
    # an indicator worded almost like an action is linked to it
    by_id = links.set_index(N.INDICATOR_ID)
    assert by_id.loc["A8-G25", "action_code"] == "A8H2E8"
    assert by_id.loc["A4-G38", "action_code"] == "A4H5E4"  # okul gıda programı
    # an indicator sharing no word with its area's actions (or linked to an action naming no responsible unit)
    # goes to the area's lead unit
    lead = by_id[by_id["link_method"] == "area_lead"]
    assert len(lead) > 0 and lead["action_code"].isna().any()
    no_lead = catalogue.actions.set_index("action_code")["responsible_missing"]
    assert lead["action_code"].dropna().map(no_lead).all()
