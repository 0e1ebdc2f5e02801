"""``gcdb demo`` end to end with monitoring, costing and checklists: the workbooks read back as a person opens them
(sheet names, headers, totals equal to the computed values), the planted problems in their data-quality sheets,
the tidy tables, the console summary and the council page's monitoring section."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from integrate_helpers import demo_file, table_after

from gcdb import columns as C
from gcdb.monitor import names as MN

LIRA = 100


# -- the İzleme ve Değerlendirme Raporu ------------------------------------------------------------------------
def test_monitoring_workbook_sheets(books):
    assert books["monitoring"].sheetnames == [
        "Özet",
        "Ödenek ve Uygulama",
        "Eylem Ödenekleri",
        "Eylemler",
        "Durum Özeti",
        "Göstergeler",
        "Gösterge Değerleri",
        "Eğilimler",
        "Personel",
        "Formlar",
        "Veri Kalitesi",
        "Yöntem",
    ]


@pytest.mark.parametrize("year", [2023, 2024])
def test_the_joined_money_implementation_table_comes_first_and_equals_the_analysis(demo, books, year):
    result, _ = demo
    analysis = result.monitoring
    header, rows, total = table_after(
        books["monitoring"]["Özet"], f"{year}: ödenek ve uygulama (revize ödenek)"
    )
    assert header == [
        "Eylem grubu",
        "Eylem Sayısı",
        "Etiketlenen Revize Ödenek",
        "Birimlerin Bildirdiği Harcama",
    ]
    shown = {label: count for label, count, *_ in rows}
    assert list(shown) == [MN.label(c) for c in MN.MONEY_CATEGORIES]
    # the counts are MonitoringAnalysis' own …
    m = analysis.money_summary
    m = m[(m[C.FISCAL_YEAR] == year) & (m["phase"] == C.REVISED_APPROPRIATION)].set_index("category")
    assert shown == {MN.label(c): int(m.loc[c, "actions"]) for c in MN.MONEY_CATEGORIES}
    # … and recomputed from the per-action table they add up to every action active in the year
    per_action = analysis.money_implementation
    per_action = per_action[
        (per_action[C.FISCAL_YEAR] == year) & (per_action["phase"] == C.REVISED_APPROPRIATION)
    ]
    assert shown == {MN.label(c): int((per_action["category"] == c).sum()) for c in MN.MONEY_CATEGORIES}
    active = analysis.action_status[analysis.action_status[C.FISCAL_YEAR] == year]
    assert total[1] == len(active) == sum(shown.values())
    assert total[2] == pytest.approx(int(m["attributed"].sum()) / LIRA)
    assert total[3] == pytest.approx(int(m["spent_reported"].sum()) / LIRA)


def test_demo_joined_counts(demo):
    """The numbers of the closing note: funded and done, funded not done, done without a budget line, neither."""
    analysis = demo[0].monitoring
    m = analysis.money_summary
    m = m[m["phase"] == C.REVISED_APPROPRIATION].pivot(
        index="category", columns=C.FISCAL_YEAR, values="actions"
    )
    assert m.loc[list(MN.MONEY_CATEGORIES), 2023].tolist() == [14, 12, 24, 120]
    assert m.loc[list(MN.MONEY_CATEGORIES), 2024].tolist() == [16, 9, 44, 98]


def test_every_action_with_its_status_and_the_spending_totals(demo, books):
    analysis = demo[0].monitoring
    header, rows, total = table_after(books["monitoring"]["Eylemler"], "Eylemlerin durumu")
    assert header[:7] == ["Mali Yıl", "Amaç", "Hedef", "Eylem Kodu", "Eylem", "Sorumlu Birim", "Durum"]
    assert len(rows) == len(analysis.action_status)
    spent = header.index("Tüm Birimlerin Harcaması")
    assert total[spent] == pytest.approx(int(analysis.action_status["spent_total"].sum()) / LIRA)
    labels = {MN.label(s) for s in MN.STATUS_CODES}
    assert {r[6] for r in rows} <= labels


def test_every_planted_monitoring_problem_is_in_the_data_quality_sheet(books):
    planted = yaml.safe_load(demo_file("monitoring", "planted.yaml").read_text(encoding="utf-8"))["planted"]
    header, rows, _ = table_after(books["monitoring"]["Veri Kalitesi"], "Formlarda bulunan sorunlar")
    assert header == ["Dosya", "Sayfa", "Hücre", "Satır", "Sütun", "Sorun Kodu", "Önem", "Açıklama", "Değer"]
    found = {(r[0], r[2], r[5]) for r in rows}
    found_values = {(r[0], r[5], r[8]) for r in rows}
    for p in planted:
        if p["code"] in ("incomplete", "not_returned"):
            continue  # return statuses, on the Formlar sheet
        if p["cell"]:
            assert (p["file"], p["cell"], p["code"]) in found, p
        elif "value" in p:
            assert (p["file"], p["code"], p["value"]) in found_values, p
        else:
            assert any(r[0] == p["file"] and r[5] == p["code"] for r in rows), p
    # the Turkish description of each code leads its message
    assert any(r[7].startswith("Aralık dışında — ") for r in rows if r[5] == "out_of_range")


def test_who_has_not_returned(books):
    header, rows, _ = table_after(books["monitoring"]["Formlar"], "Birimlerin formları")
    status = {(r[0], r[1]): r[2] for r in rows}
    assert status[(2024, "Kültür Daire Başkanlığı")] == "Gönderilmedi"
    assert status[(2024, "İnsan Kaynakları ve Eğitim Daire Başkanlığı")] == "Eksik"
    assert status[(2023, "Sağlık Daire Başkanlığı")] == "Tam"
    rows_all = list(books["monitoring"]["Formlar"].iter_rows(values_only=True))
    assert any(
        r[0] and str(r[0]).startswith("Formunu göndermeyen birimler: ") and "Kültür" in r[0] for r in rows_all
    )


# -- the costing report -------------------------------------------------------------------------------------------
def test_costing_workbook_sheets_and_key_numbers(demo, books):
    run = demo[0].costing
    book = books["costing"]
    assert book.sheetnames == [
        "Özet",
        "Eylemler",
        "Hedef-Amaç-Birim",
        "Teklif Satırları",
        "Uyarılar",
        "Maliyet Toplamları",
        "Bütçe Teklifi",
        "Kural Seti",
        "Maliyet Satırları",
        "Veri Kalitesi",
        "Yöntem",
    ]
    header, rows, _ = table_after(book["Özet"], "Maliyet, ödenek ve harcama")
    assert header == ["Ölçü", "2024", "2025", "Tüm yıllar"]
    numbers = run.comparison.key_numbers
    expected = [
        numbers[name].to_numpy()
        for name in ("costed", C.INITIAL_APPROPRIATION, C.REVISED_APPROPRIATION, C.EXPENDITURE)
    ]
    for row, values in zip(rows, expected, strict=True):
        assert row[1:] == pytest.approx([int(v) / LIRA for v in values])
    assert [r[0] for r in rows] == ["Maliyet", "Başlangıç Ödeneği", "Revize Ödenek", "Harcama"]


def test_demo_costing_comparison_numbers(demo):
    """The numbers of the closing note: costed vs appropriated vs executed on the demo."""
    numbers = demo[0].costing.comparison.key_numbers.set_index(C.FISCAL_YEAR)
    assert numbers.loc[2024, "costed"] == 79_834_000_00 and numbers.loc[2025, "costed"] == 34_974_000_00
    assert numbers.loc[2024, C.INITIAL_APPROPRIATION] == 75_999_000_00
    assert numbers.loc[2025, C.INITIAL_APPROPRIATION] == 26_089_000_00
    assert (numbers.loc[2024, "actions_costed"], numbers.loc[2024, "actions_found"]) == (15, 15)
    assert (numbers.loc[2025, "actions_costed"], numbers.loc[2025, "actions_found"]) == (14, 14)
    assert demo[0].costing.lines_found == 32 == len(demo[0].costing.tagging.rows)


def test_costing_warnings_list_the_planted_outcomes(books):
    ws = books["costing"]["Uyarılar"]
    _, never, _ = table_after(ws, "Maliyetlendirilen, hiç ödenek ayrılmayan eylemler")
    _, cut, _ = table_after(ws, "Yıl içinde ödeneği azaltılan eylemler")
    _, not_spent, _ = table_after(ws, "Ödeneği olup harcanmayan eylemler")
    assert {(r[0], r[1]) for r in never} == {("2025", "A10H2E4")}
    assert {(r[0], r[1]) for r in cut} == {("2024", "A2H3E3"), ("2024", "A10H2E4")}
    assert {(r[0], r[1]) for r in not_spent} == {("2025", "A11H5E1")}


def test_proposal_totals_and_the_rule_set_file(demo, books):
    run, out = demo[0].costing, demo[1]
    header, rows, total = table_after(
        books["costing"]["Bütçe Teklifi"], "Bütçe teklifi (performans programı görünümü)"
    )
    assert header[-2:] == ["2024", "2025"] and len(rows) == run.proposal.lines[C.LINE_ID].nunique() == 20
    for year in (2024, 2025):
        lines = run.proposal.lines[run.proposal.lines[C.FISCAL_YEAR] == year]
        assert total[header.index(str(year))] == pytest.approx(
            int(lines[C.INITIAL_APPROPRIATION].sum()) / LIRA
        )
    assert run.rules_path == out / "teklif_kurallari.yaml" and run.rules_path.is_file()
    kv = {r[0]: r[1] for r in books["costing"]["Kural Seti"].iter_rows(values_only=True) if r[0]}
    assert kv["Üretilen kural"] == 20 and kv["Kural seti dosyası"] == str(run.rules_path)


def test_planted_costing_errors_in_the_data_quality_sheet(books):
    planted = yaml.safe_load(demo_file("costing", "planted_errors.yaml").read_text(encoding="utf-8"))
    _, rows, _ = table_after(books["costing"]["Veri Kalitesi"], "Maliyet tablosunda bulunan sorunlar")
    found = {(r[1], r[2], r[3]) for r in rows}  # row, column, code (a CSV: no sheet or cell columns)
    for problem in planted["costing.csv"].values():
        assert (problem["row"], problem["column"], problem["code"]) in found, problem


# -- the checklist report -----------------------------------------------------------------------------------------
def test_checklist_workbook_and_the_tcdb_figure_under_hgdg(demo, books):
    run = demo[0].checklists
    book = books["checklists"]
    assert book.sheetnames == [
        "Özet",
        "HGDG",
        "park Tesisler",
        "park Hizmet-İlçe",
        "park Sorular",
        "hgdg_design Tesisler",
        "hgdg_design Hizmet-İlçe",
        "hgdg_design Sorular",
        "Bağlantılar",
        "Veri Kalitesi",
        "Yöntem",
    ]
    title = "HGDG yöntemine göre TCDB: kuraldaki ve değerlendirmeyle bulunan puanlar (revize ödenek)"
    header, rows, _ = table_after(book["Özet"], title)
    assert header[:4] == [
        "Mali Yıl",
        "Bütçe Toplamı",
        "Sayılan (kuraldaki puanla)",
        "Sayılan (değerlendirmeyle)",
    ]
    summary = run.hgdg.summary[run.hgdg.summary["phase"] == C.REVISED_APPROPRIATION].reset_index(drop=True)
    for row, rec in zip(rows, summary.to_dict("records"), strict=True):
        assert row[0] == rec[C.FISCAL_YEAR]
        assert row[2] == pytest.approx(rec["counted_hand_typed"] / LIRA)
        assert row[3] == pytest.approx(rec["counted_assessed"] / LIRA)
        assert row[5:7] == pytest.approx([rec["share_hand_typed"], rec["share_assessed"]])
    # the assessed scores move the 2024 share up (the crèche line assessed 18.8 against 12 on its rule)
    assert summary.loc[1, "share_assessed"] > summary.loc[1, "share_hand_typed"]
    _, facilities, _ = table_after(book["park Tesisler"], "Park Kontrol Listesi: değerlendirmeler")
    assert len(facilities) == len(run.scores[0].assessments) == 28


def test_planted_checklist_errors_in_the_data_quality_sheet(books):
    planted = yaml.safe_load(demo_file("costing", "planted_errors.yaml").read_text(encoding="utf-8"))
    _, rows, _ = table_after(books["checklists"]["Veri Kalitesi"], "Yanıtlarda bulunan sorunlar")
    found = {(r[0], r[1], r[3]) for r in rows}  # file, row, code
    for file in ("assessments_park.csv", "assessments_hgdg_design.csv"):
        for problem in planted[file].values():
            assert (file, problem["row"], problem["code"]) in found, (file, problem)


# -- tidy tables, summary, web, TCDB ---------------------------------------------------------------------------------
def test_tidy_tables_of_the_three_reports(demo):
    result, out = demo
    tables = out / "tables"
    money = pd.read_csv(tables / "izleme" / "money_summary.csv")
    expected = result.monitoring.money_summary
    assert (
        money[["actions", "attributed"]].to_numpy().tolist()
        == expected[["actions", "attributed"]].to_numpy().tolist()
    )
    comparison = pd.read_parquet(tables / "maliyet" / "comparison.parquet")
    assert comparison["costed"].sum() == result.costing.comparison.table["costed"].sum()
    assert (tables / "kontrol_listeleri" / "hgdg_assessed_summary.csv").is_file()
    for name in ("izleme", "maliyet", "kontrol_listeleri"):
        package = json.loads((tables / name / "datapackage.json").read_text(encoding="utf-8"))
        assert package["resources"], name


def test_console_summary_has_the_three_analyses(demo):
    result, _ = demo
    tr, en = result.summary("tr"), result.summary("en")
    assert "İzleme ve değerlendirme (2023–2024, formu beklenen 5 birim):" in tr
    assert "Ödeneği var, tamamlandı 16 · Ödeneği var, tamamlanmadı 9" in tr
    assert "kurallarla bulunan bütçe satırı: 32/32" in tr
    assert "HGDG ile TCDB payı" in tr and "2024: %4,69 → %4,75" in tr
    assert "Monitoring and evaluation (2023–2024, 5 units asked for a return):" in en
    assert "Funded and done 16" in en and "2024: 4.69% → 4.75%" in en
    assert result.ok and result.extra_errors() == {"monitoring": 9, "costing": 4, "checklists": 4}


def test_council_page_shows_the_monitoring_status(demo):
    _, out = demo
    page = (out / "web" / "meclis_raporu.tr.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="monitoring"') :]
    assert "167 eyleminden" in section and "<strong>60</strong>" in section or "60 tanesi" in section
    assert "Bütçe kalemi olmadan tamamlandı" in section
    assert "henüz" not in section  # not the "no monitoring data yet" sentence


def test_unfunded_actions_sheet_shows_the_funding_status(demo, books):
    sheet = books["tcdb"]["Ödenek Ayrılmamış Eylemler"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] is not None]
    header = next(r for r in rows if "Kaynak Durumu" in r)
    column = header.index("Kaynak Durumu")
    values = {r[column] for r in rows[rows.index(header) + 1 :] if isinstance(r[0], int)}
    assert values and values <= {"Kaynak ayrılmadı", "Ödenek yıl içinde sıfırlandı", "Ödeneksiz harcama"}
    unfunded = demo[0].budget_analysis.unfunded_actions
    assert ("cut_to_zero" in set(unfunded["funding_status"])) == ("Ödenek yıl içinde sıfırlandı" in values)
