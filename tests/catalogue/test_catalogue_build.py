"""The build script's parts, on small hand-made inputs (these run without the seed text)."""

from __future__ import annotations

import pandas as pd
import pytest

from gcdb.catalogue import Catalogue
from gcdb.catalogue import schema as S

#: A miniature of the plan text: wrapped cells, a hyphenated word, a scrambled header, a repeated row, a page
#: number, a blank responsible cell, a numbering gap, an indicator list with a wrapped and a repeated item.
SYNTHETIC = """\
 4.1. Katılımcılık
Bir paragraf.
 AMAÇ 1: Katılımı Yaygınlaştırmak␣

Tablo 1: Katılımcılık Alanına İlişkin Eylemler
Hedef. A1H1- Bilgilendirme araçlarını çeşitlendirmek ve␣

yaygınlaştırmak.

Eylem

Kod
EYLEM
Tahmini Tahmini
Sorumlu␣
Birim
Başlama Bitiş
Paydaş
Tarihi Tarihi

A1H1E1
Duyuru hizmetlerinin␣
yapılması

Rutin Rutin

Sosyal␣
Hizmetler␣

Daire␣
Başkanlığı␣

Bilgi İşlem␣
Daire␣

Başkanlığı

STK’lar, Kadın␣
Örgütleri Muhtarlar,

A1H1E3 Koordi-
nasyon toplantısı yapılması 2021 2024 İştirakler Koordi-
nasyon Müdür-
lüğü Uzay Ajansı
38
A1H1E4
Pandemi sürecinde destek
Pandemi␣
Süresince

Pandemi␣
Süresince

Tablo 1: Katılımcılık Alanına İlişkin Eylemler
 Hedef. A1H1- Bilgilendirme araçlarını çeşitlendirmek ve␣
yaygınlaştırmak.

Eylem
Kod
EYLEM
Tahmini
Başlama
Tarihi
Tahmini
Bitiş
Tarihi
Sorumlu␣
Birim
İşbirliği␣
Birim
İşbirliği
Paydaş

A1H1E1
Duyuru hizmetlerinin yapılması
Rutin Rutin
Sosyal Hizmetler Daire Başkanlığı
Bilgi İşlem Daire Başkanlığı
STK’lar, Kadın Örgütleri Muhtarlar,
 Öncelikli Alana İlişkin İzlenecek Göstergeler

Gösterge

Broşür dağıtılan muhtarlık sayısı

Bütçe konusunda eğitim alan yöneticilerin␣
oranı
Merkezlere başvuran kadınlar içinde göçmen kadın oranı␣

 Gösterge

Broşür dağıtılan muhtarlık sayısı
""".replace("␣", " ")  # ␣ marks the trailing spaces the PDF extraction leaves on wrapped lines


@pytest.fixture(scope="module")
def synthetic(build_module, tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    seed = folder / "seed.txt"
    seed.write_text(SYNTHETIC, encoding="utf-8")
    frames, stats = build_module.build(seed)
    return frames, stats


def test_join_lines(build_module):
    join = build_module.join_lines
    assert join(["Koordi-", "nasyon Müdür-", "lüğü"]) == ("Koordinasyon Müdürlüğü", 2)
    assert join(["Kadınların sosyo-", "ekonomik durumu"]) == ("Kadınların sosyo-ekonomik durumu", 1)
    assert join(["AFAD-", "Jandarma"]) == ("AFAD- Jandarma", 0)  # next line starts upper case: a separator
    assert join(["İştirakler Koordinasyon Md-", "İPA"]) == ("İştirakler Koordinasyon Md- İPA", 0)
    assert join(["a  b ", " c"]) == ("a b c", 0)
    assert join([]) == ("", 0)


def test_header_lines(build_module):
    assert build_module.is_header_line("Tahmini Tahmini")
    assert build_module.is_header_line("İşbirliği")
    assert not build_module.is_header_line("Birimi")
    assert not build_module.is_header_line("")


def test_segment_splits_run_together_cells(build_module):
    names, _ = build_module.load_names(build_module.REFERENCE_DIR)
    text = "Sosyal Hizmetler Daire Başkanlığı Bilgi İşlem DB STK’ lar, Kadın Örgütleri Muhtarlar, Uzay Kurumu; İPA"
    found = build_module.segment(text, names)
    assert [(f.kind, f.ids) for f in found] == [
        ("unit", ("sosyal_hizmetler",)),
        ("unit", ("bilgi_islem",)),
        ("stakeholder", ("stk",)),
        ("stakeholder", ("kadin_orgutleri",)),
        ("stakeholder", ("muhtarliklar",)),
        ("unknown", ()),
        ("stakeholder", ("ipa",)),
    ]
    assert found[5].printed == "Uzay Kurumu"
    assert found[2].printed == "STK’ lar"


def test_longest_match_wins(build_module):
    names, _ = build_module.load_names(build_module.REFERENCE_DIR)
    found = build_module.segment("Muhtarlıklar ve Gıda Tarım Daire Başkanlığı Muhtarlıklar", names)
    assert [f.ids for f in found] == [("muhtarliklar_ve_gida_tarim",), ("muhtarliklar",)]
    found = build_module.segment("İştirakler Koordinasyon Müdürlüğü İştirakler, Bağlı Kuruluşlar", names)
    assert [f.ids for f in found] == [("istirakler_koordinasyon",), ("istirakler",), ("bagli_kuruluslar",)]


def test_date_values(build_module):
    dv = build_module.date_value
    assert dv("2019", end=False) == (2019, S.YEAR)
    assert dv("Rutin", end=False) == (2021, S.ROUTINE) and dv("RUTİN", end=True) == (2024, S.ROUTINE)
    assert dv("Pandemi Süresince", end=False) == (2021, S.PANDEMIC)
    assert dv("Pandemi Süresince", end=True) == (2022, S.PANDEMIC)
    with pytest.raises(ValueError):
        dv("Sürekli", end=True)


@pytest.mark.parametrize(
    ("text", "kind", "dims"),
    [
        ("Danışmanlık verilen kadın sayısı", "count", "sex"),
        ("Evde sağlık hizmeti verilenler içinde kadın oranı", "ratio", "sex"),
        ("İşe alınan kadın yüzdesi", "ratio", "sex"),
        ("Ortak veri tabanının tamamlanma oranı", "completion", ""),
        ("Komisyonun kurulma oranı", "completion", ""),
        ("Kent konseyinde göç çalışma grubunun oluşturulması", "milestone", ""),
        ("Uygulamalar listesi", "other", ""),
        ("Kadın örgütleri ile yapılan toplantı sayısı", "count", ""),
        ("Kadına yönelik şiddet kampanyası sayısı", "count", ""),
        ("Toplumsal cinsiyet eşitliği eğitimi sayısı", "count", ""),
        ("Mahalle evlerinden faydalanan çocuk sayısı", "count", "age"),
        ("Mahalle bazlı etkinlik sayısı", "count", "neighbourhood"),
        ("İlçe belediyeleri ile toplantı sayısı", "count", ""),
        ("İlçe bazında engelli göçmen sayısı", "count", "disability|migrant|district"),
        ("Birimlere göre kadın yönetici sayısı", "count", "sex|unit"),
        ("65+ vatandaş sayısı", "count", "age"),
        ("Yabancı dil sayısı", "count", ""),
        ("Köylerde yaşayan Roman kadın sayısı", "count", "sex|ethnicity|rural"),
    ],
)
def test_indicator_rules(build_module, text, kind, dims):
    assert build_module.indicator_kind(text) == kind
    assert build_module.indicator_dimensions(text) == dims


def test_synthetic_plan(synthetic):
    frames, stats = synthetic
    areas, targets, actions = frames[S.AREAS_FILE], frames[S.TARGETS_FILE], frames[S.ACTIONS_FILE]
    assert areas.to_dict("records") == [
        {S.AREA: 1, S.NAME: "Katılımcılık", S.GOAL: "Katılımı Yaygınlaştırmak", S.SOURCE_LINE: 1}
    ]
    assert targets[S.TITLE].tolist() == ["Bilgilendirme araçlarını çeşitlendirmek ve yaygınlaştırmak."]
    assert actions[S.ACTION_CODE].tolist() == ["A1H1E1", "A1H1E3", "A1H1E4"]
    a = actions.set_index(S.ACTION_CODE)
    assert a.loc["A1H1E3", S.TITLE] == "Koordinasyon toplantısı yapılması"
    assert (a.loc["A1H1E1", S.EST_START], a.loc["A1H1E1", S.EST_END_KIND]) == (2021, S.ROUTINE)
    assert (a.loc["A1H1E4", S.EST_START], a.loc["A1H1E4", S.EST_END]) == (2021, 2022)
    assert a.loc["A1H1E4", S.RESPONSIBLE_MISSING] and not a.loc["A1H1E1", S.RESPONSIBLE_MISSING]
    units = frames[S.ACTION_UNITS_FILE]
    assert units[[S.ACTION_CODE, S.ROLE, S.UNIT_ID, S.NAME_IN_PLAN]].fillna("").values.tolist() == [
        ["A1H1E1", S.RESPONSIBLE, "sosyal_hizmetler", "Sosyal Hizmetler Daire Başkanlığı"],
        ["A1H1E1", S.COOPERATING, "bilgi_islem", "Bilgi İşlem Daire Başkanlığı"],
        ["A1H1E3", S.RESPONSIBLE, "istirakler_koordinasyon", "İştirakler Koordinasyon Müdürlüğü"],
        ["A1H1E3", S.COOPERATING, "", "Uzay Ajansı"],  # unresolved: kept, with an empty id
    ]
    st = frames[S.ACTION_STAKEHOLDERS_FILE]
    assert st[S.STAKEHOLDER_ID].tolist() == ["stk", "kadin_orgutleri", "muhtarliklar"]
    ind = frames[S.INDICATORS_FILE]
    assert ind[S.TEXT].tolist() == [
        "Broşür dağıtılan muhtarlık sayısı",
        "Bütçe konusunda eğitim alan yöneticilerin oranı",
        "Merkezlere başvuran kadınlar içinde göçmen kadın oranı",
        "Broşür dağıtılan muhtarlık sayısı",
    ]
    assert ind[S.INDICATOR_ID].tolist() == ["A1-G1", "A1-G2", "A1-G3", "A1-G4"]
    kinds = frames[S.CORRECTIONS_FILE].groupby(S.KIND)[S.SUBJECT].apply(list).to_dict()
    assert kinds == {
        "repeated_row": ["A1H1E1"],
        "numbering_gap": ["A1H1E2"],
        "responsible_missing": ["A1H1E4"],
        "unresolved_name": ["A1H1E3"],
        "page_number_removed": ["A1H1E3"],
        "duplicate_indicator": ["A1-G4"],
    }
    assert stats["repeated_rows_dropped"] == 1 and stats["page_numbers_removed"] == 1
    assert stats["rejoined_words"] >= 3


def test_synthetic_plan_loads(build_module, synthetic, tmp_path):
    frames, _ = synthetic
    build_module.write(frames, tmp_path)
    meta = (build_module.HERE / S.META_FILE).read_text(encoding="utf-8")
    meta = meta.replace("../reference/", str(build_module.REFERENCE_DIR) + "/")
    (tmp_path / S.META_FILE).write_text(meta, encoding="utf-8")
    cat = Catalogue.load(tmp_path)
    assert cat.action("A1H1E4").est_start_kind == S.PANDEMIC
    assert cat.units_for_action("A1H1E3")[S.UNIT_ID].isna().tolist() == [False, True]
    assert build_module.differences(frames, tmp_path) == []


def test_csv_text_is_deterministic(build_module):
    frame = pd.DataFrame({"a": [1, 2], "flag": [True, False], "text": ["x, y", None]})
    assert build_module.to_csv_text(frame) == 'a,flag,text\n1,true,"x, y"\n2,false,\n'


def test_main_without_seed_exits_2(build_module, tmp_path, capsys):
    assert build_module.main(["--seed", str(tmp_path / "absent.txt")]) == 2
    assert "seed text not found" in capsys.readouterr().err
