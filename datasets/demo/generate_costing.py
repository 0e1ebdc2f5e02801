"""Generate the demo municipality's costing and checklist data (SYNTHETIC): ``datasets/demo/costing/``.

    python datasets/demo/generate_costing.py [--seed 20241125] [--out datasets/demo/costing]

Writes, deterministically (numpy ``default_rng`` streams from one seed; same files byte for byte):

``costing.csv``
    costing lines of 15 YEEP actions of the demo departments for 2024–2025, as a unit's spreadsheet exports them
    (Turkish headers, ``;`` separated, ``1.234,56`` amounts), with planted errors (``planted_errors.yaml``);
``adopted.csv``
    the proposed lines as the council adopted them, revised during the year and spent (canonical headers,
    amounts in TL): some appropriated in full, some cut, one cut to zero, one never appropriated, one not spent,
    descriptions partly reworded by the finance department (lines the council did not appropriate stay in the
    file with zero amounts);
``assessments_park.csv``
    the park checklist (``rules/checklists/park.yaml``) answered for 24 parks in 8 districts in 2024 (4 of them
    also in 2023), linked to the budget rule ``emzirme-odasi``;
``assessments_hgdg_design.csv``
    the HGDG design checklist answered for 9 programmes in 2024, linked to budget rules, one action and one line;
``planted_errors.yaml``
    the planted errors and what the readers must report, for the tests.

The generator reads its own costing back with gcdb (``read_costing``, ``propose_budget``) to build the adopted
budget, so the files always agree with the engine.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
SEED = 20241125
OUT = ROOT / "datasets" / "demo" / "costing"
INSTITUTION = "46.34.01"

SOSYAL, SAGLIK, IKE, BILGI = "16", "17", "04", "05"
KURUMSAL, DESTEK, ULASIM, PARK, MUHTARLIK = "10", "06", "24", "20", "29"
UNITS = {
    SOSYAL: "Sosyal Hizmetler Daire Başkanlığı",
    SAGLIK: "Sağlık Daire Başkanlığı",
    IKE: "İnsan Kaynakları ve Eğitim Daire Başkanlığı",
    BILGI: "Bilgi İşlem Daire Başkanlığı",
    KURUMSAL: "Kurumsal Gelişim ve Yönetim Sistemleri Daire Başkanlığı",
    DESTEK: "Destek Hizmetleri Daire Başkanlığı",
    ULASIM: "Ulaşım Daire Başkanlığı",
    PARK: "Park Bahçe ve Yeşil Alanlar Daire Başkanlığı",
    MUHTARLIK: "Muhtarlıklar ve Gıda Tarım Daire Başkanlığı",
}

#: (action, unit, item, measure, quantity, unit cost TL, years, functional, economic, EU CPR, HGDG, share,
#:  description of the budget line)
LINES = (
    ("A2H3E2", SOSYAL, "Psikolog hizmet alımı", "kişi-ay", 24, 85_000, (2024, 2025), "10.9.0.00", "03.5.9.90", "01", 20, None, "KADIN DANIŞMA MERKEZİ PERSONEL HİZMET ALIMI"),
    ("A2H3E2", SOSYAL, "Sosyal çalışmacı hizmet alımı", "kişi-ay", 24, 70_000, (2024, 2025), "10.9.0.00", "03.5.9.90", "01", 20, None, "KADIN DANIŞMA MERKEZİ PERSONEL HİZMET ALIMI"),
    ("A2H3E2", SOSYAL, "Destek hattı çağrı yazılımı lisansı", "adet", 1, 350_000, (2024, 2024), "10.9.0.00", "03.7.2.01", "01", 20, None, None),
    ("A2H3E3", SOSYAL, "Yeni kadın dayanışma evi yapımı (Pendik)", "adet", 1, 42_000_000, (2024, 2024), "10.9.0.00", "06.5.7.01", "01", 20, None, "KADIN DAYANIŞMA EVİ YAPIMI - PENDİK"),
    ("A2H3E3", SOSYAL, "Dayanışma evi donatımı", "takım", 1, 3_500_000, (2025, 2025), "10.9.0.00", "06.1.2.01", "01", 20, None, "KADIN DAYANIŞMA EVİ DONATIMI - PENDİK"),
    ("A6H3E1", SOSYAL, "Kooperatif üyelerine pazarlama eğitimi", "kişi", 40, 4_500, (2024, 2025), "10.9.0.00", "03.5.9.90", "01", 17, None, "KADIN KOOPERATİFLERİ PAZARLAMA EĞİTİMİ"),
    ("A6H3E1", SOSYAL, "Kooperatiflere ekipman desteği", "kooperatif", 10, 150_000, (2025, 2025), "10.9.0.00", "05.3.1.01", "01", 17, None, "KADIN KOOPERATİFLERİNE EKİPMAN DESTEĞİ"),
    ("A7H1E1", SOSYAL, "Kreş eğitmeni hizmet alımı (yeni sınıflar)", "kişi-ay", 120, 42_000, (2024, 2025), "10.4.0.00", "03.5.9.90", "02", 12, 0.5, "YENİ KREŞ SINIFLARI EĞİTMEN HİZMET ALIMI"),
    ("A4H1E5", SOSYAL, "Engelli kadınlar için erişilebilir araç kiralama", "ay", 12, 180_000, (2024, 2025), "10.1.2.00", "03.5.5.02", "02", 8, 0.5, "ENGELLİ KADINLARA ERİŞİLEBİLİR ULAŞIM ARACI KİRALAMA"),
    ("A3H3E2", SAGLIK, "Kadın sağlığı eğitimi eğitmen ücreti", "saat", 200, 1_500, (2024, 2025), "07.4.0.00", "03.5.9.90", "01", 16, None, "KADIN SAĞLIĞI VE İLK YARDIM EĞİTİMLERİ"),
    ("A3H3E2", SAGLIK, "Eğitim kitapçığı basımı", "adet", 20_000, 12.5, (2024, 2024), "07.4.0.00", "03.5.9.90", "01", 16, None, "KADIN SAĞLIĞI VE İLK YARDIM EĞİTİMLERİ"),
    ("A7H1E6", SAGLIK, "Yaşlı gündüz bakım merkezi bakım personeli", "kişi-ay", 96, 55_000, (2024, 2025), "10.2.0.00", "03.5.9.90", "02", 10, 0.6, "YAŞLI GÜNDÜZ BAKIM MERKEZİ BAKIM PERSONELİ HİZMET ALIMI"),
    ("A6H2E1", IKE, "Kadınlara dijital beceri eğitimi", "kursiyer", 600, 3_200, (2024, 2025), "09.5.0.00", "03.5.9.90", "01", 17, None, "KADINLARA DİJİTAL BECERİ EĞİTİMİ"),
    ("A2H1E4", IKE, "Yöneticilere toplumsal cinsiyet eşitliği eğitimi", "gün", 30, 25_000, (2024, 2025), "01.3.1.00", "03.5.9.90", "01", 20, None, "YÖNETİCİLERE TOPLUMSAL CİNSİYET EŞİTLİĞİ EĞİTİMİ"),
    ("A10H2E4", ULASIM, "Durak aydınlatma armatürü ve montajı", "durak", 400, 28_000, (2024, 2024), "04.5.1.00", "06.5.7.02", "02", 15, None, "DURAKLARA GÜVENLİK AYDINLATMASI"),
    ("A10H2E4", ULASIM, "Durak aydınlatmaları bakımı", "ay", 12, 95_000, (2025, 2025), "04.5.1.00", "03.7.3.02", "02", 15, None, "DURAK AYDINLATMALARI BAKIM VE ONARIMI"),
    ("A11H5E1", DESTEK, "Kadın spor merkezi eğitmen hizmeti", "kişi-ay", 48, 48_000, (2024, 2025), "08.1.0.00", "03.5.9.90", "01", 15, None, "KADIN SPOR MERKEZİ EĞİTMEN HİZMET ALIMI"),
    ("A8H1E2", PARK, "Parkların kadınlar açısından analizi (kontrol listesi saha çalışması)", "park", 60, 6_000, (2024, 2025), "06.2.0.00", "03.5.1.01", "01", 16, None, "PARKLARIN TOPLUMSAL CİNSİYET ANALİZİ DANIŞMANLIK HİZMETİ"),
    ("A8H1E2", PARK, "Parklara emzirme odası", "adet", 8, 650_000, (2025, 2025), "06.2.0.00", "06.5.7.01", "02", 15, None, "PARKLARA EMZİRME ODASI YAPIMI (YENİ)"),
    ("A2H2E2", BILGI, "Cinsiyete göre ayrıştırılmış veri modülü", "adet", 1, 2_400_000, (2024, 2024), "01.3.9.00", "06.3.1.01", "01", 20, None, "HİZMET KAYITLARINA CİNSİYET VE YAŞ KIRILIMI MODÜLÜ"),
    ("A1H5E1", KURUMSAL, "YEEP izleme raporu danışmanlığı", "rapor", 2, 450_000, (2024, 2025), "01.3.2.00", "03.5.1.01", "01", 20, None, "EŞİTLİK EYLEM PLANI İZLEME RAPORU DANIŞMANLIĞI"),
    ("A6H3E3", MUHTARLIK, "Kadın emeği pazarı stant kiralama", "ay", 24, 30_000, (2024, 2025), "04.2.1.00", "03.5.5.01", "01", 17, None, "KADIN EMEĞİ PAZARI STANT KİRALAMA"),
)  # fmt: skip

#: Planted errors in costing.csv: (kind, what the reader must report).
COSTING_ERRORS = {
    "negative_quantity": {"code": "invalid_value", "column": "Miktar"},
    "unknown_economic_code": {"code": "unknown_code", "column": "Ekonomik Kod"},
    "share_above_100": {"code": "invalid_value", "column": "Beyan Edilen Pay"},
    "duplicate_line": {"code": "duplicate_id", "column": "Maliyet Satırı No"},
}

HEADERS = {
    "cost_line_id": "Maliyet Satırı No",
    "action_code": "Eylem Kodu",
    "unit_name": "Sorumlu Birim",
    "institutional_code": "Kurumsal Kod",
    "item": "Gider Kalemi",
    "measure": "Ölçü Birimi",
    "quantity": "Miktar",
    "unit_cost": "Birim Maliyet",
    "year_from": "Başlangıç Yılı",
    "year_to": "Bitiş Yılı",
    "functional_code": "Fonksiyonel Kod",
    "financing_type": "Finansman Tipi",
    "economic_code": "Ekonomik Kod",
    "description": "Bütçe Kalemi Açıklaması",
    "category_eu_cpr": "AB Kategorisi",
    "category_ph_hgdg": "HGDG Puanı",
    "declared_share": "Beyan Edilen Pay",
    "note": "Not",
}


def turkish(value: float, decimals: int = 2) -> str:
    """``1234567.5`` → ``1.234.567,50`` (as Turkish Excel writes it)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def costing_frame() -> tuple[pd.DataFrame, dict]:
    rows = []
    for i, (action, unit, item, measure, qty, cost, years, func, econ, eu, hgdg, share, desc) in enumerate(
        LINES
    ):
        rows.append(
            {
                "cost_line_id": f"M{i + 1:03d}",
                "action_code": action,
                "unit_name": UNITS[unit],
                "institutional_code": f"{INSTITUTION}.{unit}",
                "item": item,
                "measure": measure,
                "quantity": turkish(qty, 0) if float(qty).is_integer() else turkish(qty, 2),
                "unit_cost": turkish(cost),
                "year_from": str(years[0]),
                "year_to": str(years[1]),
                "functional_code": func,
                "financing_type": "5",
                "economic_code": econ,
                "description": desc or "",
                "category_eu_cpr": eu,
                "category_ph_hgdg": str(hgdg),
                "declared_share": "" if share is None else f"%{int(share * 100)}",
                "note": "",
            }
        )
    frame = pd.DataFrame(rows)
    planted = {}
    # a negative quantity (a minus typed by mistake)
    bad = frame.iloc[[10]].assign(
        cost_line_id="M901", quantity="-500", item="Eğitim kitapçığı ek baskı", note=""
    )
    # an economic code with its first two digits swapped
    unknown = frame.iloc[[0]].assign(
        cost_line_id="M902", economic_code="30.5.9.90", item="Psikolog süpervizyonu", quantity="12"
    )
    # a declared share above 100 %
    share = frame.iloc[[7]].assign(
        cost_line_id="M903",
        declared_share="%120",
        item="Kreş yardımcı personeli",
        description="YENİ KREŞ SINIFLARI YARDIMCI PERSONEL",
    )
    # the same line pasted twice
    duplicate = frame.iloc[[12]]
    frame = pd.concat([frame, bad, unknown, share, duplicate], ignore_index=True)
    for kind, idx in zip(COSTING_ERRORS, range(len(LINES), len(frame)), strict=True):
        planted[kind] = {
            **COSTING_ERRORS[kind],
            "row": idx + 2,
            "cost_line_id": frame.loc[idx, "cost_line_id"],
        }
    return frame, planted


def adopted_budget(costing_path: Path, rng: np.random.Generator) -> pd.DataFrame:
    """The proposed lines as adopted, revised and spent (canonical columns, TL)."""
    import gcdb
    from gcdb.costing import propose_budget, read_costing

    costing = read_costing(costing_path, catalogue=gcdb.Catalogue.load())
    lines = propose_budget(costing).lines.copy()
    ini = lines["initial_appropriation"].to_numpy(dtype=np.float64)
    n = len(lines)
    council = np.round(ini * rng.uniform(0.92, 1.0, n) / 100_000) * 100_000  # rounded to 1,000 TL
    revision = rng.uniform(0.97, 1.12, n)
    spent = rng.uniform(0.65, 1.0, n)
    outcome = np.array(["funded"] * n, dtype=object)
    by_id = {
        (y, d): i for i, (y, d) in enumerate(zip(lines["fiscal_year"], lines["description"], strict=True))
    }
    planted = {
        (2024, "KADIN DAYANIŞMA EVİ YAPIMI - PENDİK (A2H3E3)"): "cut_to_zero",
        (2025, "PARKLARA EMZİRME ODASI YAPIMI (YENİ) (A8H1E2)"): "not_appropriated",
        (2025, "DURAK AYDINLATMALARI BAKIM VE ONARIMI (A10H2E4)"): "not_appropriated",
        (2024, "DURAKLARA GÜVENLİK AYDINLATMASI (A10H2E4)"): "cut",
        (2025, "KADIN SPOR MERKEZİ EĞİTMEN HİZMET ALIMI (A11H5E1)"): "not_spent",
        (2025, "KADIN KOOPERATİFLERİNE EKİPMAN DESTEĞİ (A6H3E1)"): "added_in_year",
    }
    for key, kind in planted.items():
        outcome[by_id[key]] = kind
    initial = np.where(np.isin(outcome, ["not_appropriated", "added_in_year"]), 0.0, council)
    revised = initial * revision
    revised = np.where(outcome == "cut_to_zero", 0.0, revised)
    revised = np.where(outcome == "cut", initial * 0.55, revised)
    revised = np.where(outcome == "added_in_year", ini * 0.8, revised)
    expenditure = np.where(outcome == "not_spent", 0.0, revised * spent)
    lines["initial_appropriation"] = np.round(initial) / 100
    lines["revised_appropriation"] = np.round(revised) / 100
    lines["expenditure"] = np.round(expenditure) / 100
    # the finance department rewords two lines: one keeps the action code, one keeps the words
    reword = {
        "KADIN DANIŞMA MERKEZİ PERSONEL HİZMET ALIMI (A2H3E2)": "Kadın Danışma Merkezi Personel Hizmet Alımı",
        "KADINLARA DİJİTAL BECERİ EĞİTİMİ (A6H2E1)": "İSMEK - KADIN DİJİTAL BECERİ PROGRAMI (A6H2E1)",
    }
    lines["description"] = lines["description"].replace(reword)
    lines["outcome"] = outcome
    return lines


# ---------------------------------------------------------------------------------------------------------------
# checklist assessments
# ---------------------------------------------------------------------------------------------------------------
PARK_DISTRICTS = ("Kadıköy", "Üsküdar", "Beylikdüzü", "Esenyurt", "Bağcılar", "Fatih", "Pendik", "Sarıyer")
PARK_NAMES = (
    "Çamlık", "Yıldız", "Gül", "Lale", "Menekşe", "Çınar", "Papatya", "Bahar", "Güneş", "Dostluk", "Barış", "Umut",
    "Sevgi", "Kardelen", "Zambak", "Defne", "Akasya", "Meltem", "Ihlamur", "Söğüt", "Nilüfer", "Manolya", "Ardıç", "Fulya",
)  # fmt: skip
#: Parks of these districts are better equipped (planted: the park scores differ by district).
WELL_EQUIPPED = ("Kadıköy", "Beylikdüzü", "Üsküdar")

#: HGDG design assessments: subject, programme name, link kind, link key, quality (chance of a full "yes").
PROGRAMMES = (
    ("PRG-01", "Kadın Dayanışma Evleri", "rule", "kadin-dayanisma-evi", 0.85),
    ("PRG-02", "Kadın Destek Hattı", "rule", "siddet-destek-hatti", 0.75),
    ("PRG-03", "Yuvamız İstanbul Kreşleri", "rule", "kres-isletme", 0.55),
    (
        "PRG-04",
        "Yuvamız İstanbul Kreşleri (iaşe)",
        "line",
        "1473",
        0.9,
    ),  # the 2024 line KREŞLERİ İAŞE GİDERLERİ
    ("PRG-05", "Meslek Edindirme Kursları (İSMEK)", "rule", "meslek-edindirme-kurslari", 0.45),
    ("PRG-06", "Evde Bakım Hizmetleri", "rule", "evde-bakim", 0.35),
    ("PRG-07", "Kadın Spor Merkezi", "rule", "kadin-spor-merkezi", 0.6),
    ("PRG-08", "Durak Aydınlatmaları", "rule", "durak-aydinlatmasi", 0.25),
    ("PRG-09", "Kadın Kooperatiflerine Destek", "action", "A6H3E1", 0.7),
)


def _answers(rng: np.random.Generator, n: int, quality: float, codes=("yes", "partly", "no")) -> np.ndarray:
    p = np.array([quality, (1 - quality) * 0.5, (1 - quality) * 0.5])
    return rng.choice(np.array(codes, dtype=object), size=n, p=p)


def park_assessments(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    from gcdb.checklists import load_checklist

    questions = [q.id for q in load_checklist("park").questions]
    rows = []
    parks = [
        (f"PRK-{i + 1:03d}", f"{name} Parkı", PARK_DISTRICTS[i % len(PARK_DISTRICTS)])
        for i, name in enumerate(PARK_NAMES)
    ]
    visits = [(p, 2024) for p in parks] + [(p, 2023) for p in parks[:4]]
    for k, ((pid, name, district), year) in enumerate(visits):
        quality = 0.7 if district in WELL_EQUIPPED else 0.35
        quality -= 0.15 if year == 2023 else 0.0
        answers = _answers(rng, len(questions), quality)
        answers[questions.index("P2.3")] = "na" if k % 6 == 0 else ("yes" if answers[0] == "yes" else "no")
        for scale_yes_no in ("P1.4", "P2.1", "P3.2", "P3.6", "P5.2"):
            j = questions.index(scale_yes_no)
            answers[j] = "no" if answers[j] == "partly" else answers[j]
        day = pd.Timestamp(f"{year}-04-01") + pd.Timedelta(days=int(rng.integers(0, 75)))
        for q, a in zip(questions, answers, strict=True):
            rows.append(
                {
                    "assessment_id": f"PD-{year}-{k + 1:03d}",
                    "checklist_id": "park",
                    "subject_id": pid,
                    "subject_name": name,
                    "service_code": "PARK",
                    "district": district,
                    "assessed_on": day.strftime("%d.%m.%Y"),
                    "rule_id": "emzirme-odasi",
                    "question_id": q,
                    "answer": {"yes": "Evet", "partly": "Kısmen", "no": "Hayır", "na": "Uygulanamaz"}[a],
                    "evidence": "saha ziyareti",
                }
            )
    frame = pd.DataFrame(rows)
    planted = {}
    i = int(frame.index[(frame["assessment_id"] == "PD-2024-005") & (frame["question_id"] == "P3.1")][0])
    frame.loc[i, "answer"] = "Belki"
    planted["answer_outside_scale"] = {"code": "invalid_value", "column": "answer", "row": i + 2}
    extra = frame.iloc[[i + 1]].assign(question_id="P9.9", answer="Evet")
    copy = frame.iloc[[i + 2]]
    n = len(frame)
    frame = pd.concat([frame, extra, copy], ignore_index=True)
    planted["unknown_question"] = {"code": "unknown_code", "column": "question_id", "row": n + 2}
    planted["duplicate_answer"] = {"code": "duplicate_id", "column": "question_id", "row": n + 3}
    return frame, planted


def hgdg_assessments(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    from gcdb.checklists import load_checklist

    questions = [q.id for q in load_checklist("hgdg_design").questions]
    rows = []
    for k, (pid, name, link, key, quality) in enumerate(PROGRAMMES):
        answers = _answers(rng, len(questions), quality)
        for q, a in zip(questions, answers, strict=True):
            rows.append(
                {
                    "assessment_id": f"HG-2024-{k + 1:02d}",
                    "checklist_id": "hgdg_design",
                    "subject_id": pid,
                    "subject_name": name,
                    "assessed_on": f"2024-02-{10 + k:02d}",
                    "fiscal_year": "2024",
                    "rule_id": key if link == "rule" else "",
                    "action_code": key if link == "action" else "",
                    "line_id": key if link == "line" else "",
                    "question_id": q,
                    "answer": a,
                }
            )
    frame = pd.DataFrame(rows)
    planted = {}
    i = int(frame.index[(frame["assessment_id"] == "HG-2024-06") & (frame["question_id"] == "4.0")][0])
    frame.loc[i, "answer"] = "3"
    planted["answer_outside_scale"] = {"code": "invalid_value", "column": "answer", "row": i + 2}
    drop = frame.index[(frame["assessment_id"] == "HG-2024-08") & frame["question_id"].isin(["9.1", "9.2"])]
    frame = frame.drop(index=drop).reset_index(drop=True)
    first = int(frame.index[frame["assessment_id"] == "HG-2024-08"][0])
    planted["incomplete_assessment"] = {
        "code": "missing_value",
        "column": "question_id",
        "row": first + 2,
        "severity": "warning",
    }
    return frame, planted


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(args.seed).spawn(3)]

    costing, planted_costing = costing_frame()
    costing.rename(columns=HEADERS).to_csv(
        out / "costing.csv", sep=";", index=False, encoding="utf-8", lineterminator="\n"
    )
    adopted = adopted_budget(out / "costing.csv", streams[0])
    adopted.to_csv(
        out / "adopted.csv", index=False, encoding="utf-8", lineterminator="\n", float_format="%.2f"
    )
    park, planted_park = park_assessments(streams[1])
    park.to_csv(out / "assessments_park.csv", index=False, encoding="utf-8", lineterminator="\n")
    hgdg, planted_hgdg = hgdg_assessments(streams[2])
    hgdg.to_csv(out / "assessments_hgdg_design.csv", index=False, encoding="utf-8", lineterminator="\n")
    planted = {
        "seed": args.seed,
        "costing.csv": planted_costing,
        "adopted.csv": {
            "outcomes": {o: int((adopted["outcome"] == o).sum()) for o in sorted(set(adopted["outcome"]))},
        },
        "assessments_park.csv": planted_park,
        "assessments_hgdg_design.csv": planted_hgdg,
    }
    text = "# Planted errors and outcomes of the costing demo (SYNTHETIC); generated by generate_costing.py\n"
    text += yaml.safe_dump(planted, allow_unicode=True, sort_keys=False)
    (out / "planted_errors.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
