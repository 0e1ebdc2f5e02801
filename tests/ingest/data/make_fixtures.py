"""Regenerate the committed ingest fixtures: one small budget in four shapes, plus usage and population samples.

Run from the repository root: ``.venv/bin/python tests/ingest/data/make_fixtures.py``. The expected canonical
values are in ``BUDGET`` below (amounts in kuruş); ``tests/ingest/test_formats.py`` reads every shape back and
compares it with them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import xlsxwriter

HERE = Path(__file__).resolve().parent

CANONICAL = [
    "fiscal_year",
    "line_id",
    "institutional_code",
    "unit_name",
    "functional_code",
    "financing_type",
    "economic_code",
    "description",
    "initial_appropriation",
    "revised_appropriation",
    "expenditure",
]
TURKISH = [
    "Yıl",
    "Satır No",
    "Kurumsal Kod",
    "Birim",
    "Fonksiyonel Kod",
    "Finansman Tipi",
    "Ekonomik Kod",
    "Açıklama",
    "Başlangıç Ödeneği",
    "Revize Ödenek",
    "Harcama",
]
UPPER = [
    "YIL",
    "SATIR NO",
    "KURUMSAL KOD",
    "BİRİM",
    "FONKSİYONEL KOD",
    "FİNANSMAN TİPİ",
    "EKONOMİK KOD",
    "AÇIKLAMA",
    "BAŞLANGIÇ ÖDENEĞİ",
    "REVİZE ÖDENEK",
    "HARCAMA",
]

# fiscal_year, line_id, institutional, unit, functional, financing, economic, description, kuruş × 3
BUDGET = [
    (
        2023,
        "1",
        "46.34.01.16",
        "Kadın ve Aile Hizmetleri Dairesi Başkanlığı",
        "10.4.0.00",
        "5",
        "03.5.1.08",
        "KADIN DAYANIŞMA EVİ İAŞE GİDERLERİ",
        123456789,
        130000000,
        125000029,
    ),
    (
        2023,
        "2",
        "46.34.01.16",
        "Kadın ve Aile Hizmetleri Dairesi Başkanlığı",
        "10.4.0.00",
        "5",
        "03.2.1.01",
        "KREŞ KIRTASİYE ALIMLARI",
        29,
        29,
        0,
    ),
    (
        2023,
        "3",
        "46.34.01.09",
        "Sağlık Dairesi Başkanlığı",
        "07.2.1.00",
        "5",
        "06.1.2.01",
        "SAĞLIK MERKEZİ YAPIMI",
        9876543210987,
        9876543210987,
        1234560,
    ),
    (
        2023,
        "4",
        "46.34.01.22",
        "Gençlik ve Spor Müdürlüğü",
        "08.1.0.00",
        "7",
        "05.3.1.02",
        "AMATÖR SPOR KULÜPLERİNE YARDIM",
        100000,
        150000,
        150000,
    ),
    (
        2023,
        "5",
        "46.34.01.16",
        "Kadın ve Aile Hizmetleri Dairesi Başkanlığı",
        "09.1.1.00",
        "8",
        "03.5.2.01",
        "ÇOCUK ETKİNLİKLERİ HİZMET ALIMI",
        25000000,
        24000000,
        0,
    ),
]


def lira_plain(kurus: int) -> str:
    return f"{kurus // 100}.{kurus % 100:02d}"


def lira_turkish(kurus: int) -> str:
    text = f"{kurus // 100:,}".replace(",", ".")
    return f"{text},{kurus % 100:02d}"


def main() -> None:
    # (a) clean: UTF-8, canonical headers, plain numbers, comma separated
    clean = pd.DataFrame([[*row[:8], *(lira_plain(k) for k in row[8:])] for row in BUDGET], columns=CANONICAL)
    clean.to_csv(HERE / "budget_clean.csv", index=False, encoding="utf-8")

    # (b) messy: Windows-1254, ';', upper-case Turkish headers, Turkish numbers, a title line and a blank line
    # above the header, compact codes on one line, a blank line in the middle and a trailing separator
    lines = ["2023 YILI ANALİTİK BÜTÇE;;;;;;;;;;", ";;;;;;;;;;", ";".join(UPPER) + ";"]
    for i, row in enumerate(BUDGET):
        cells = [str(row[0]), row[1], row[2], row[3], row[4], row[5], row[6], row[7]]
        if i == 1:
            cells[4], cells[6] = cells[4].replace(".", ""), cells[6].replace(".", "")
        cells += [lira_turkish(k) for k in row[8:]]
        lines.append(";".join(cells) + ";")
        if i == 2:
            lines.append(";;;;;;;;;;;")
    (HERE / "budget_tr_cp1254.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1254"))

    # (c) Excel with Turkish headers; amounts as numeric cells, codes as text
    book = xlsxwriter.Workbook(HERE / "budget.xlsx")
    sheet = book.add_worksheet("Bütçe 2023")
    money = book.add_format({"num_format": "#,##0.00"})
    for j, h in enumerate(TURKISH):
        sheet.write_string(0, j, h)
    for i, row in enumerate(BUDGET, start=1):
        sheet.write_number(i, 0, row[0])
        sheet.write_number(i, 1, int(row[1]))
        for j in range(2, 8):
            sheet.write_string(i, j, row[j])
        for j in range(8, 11):
            sheet.write_number(i, j, float(Decimal(row[j]) / 100), money)
    book.close()

    # (d) Parquet: Turkish headers, year as integer, amounts as exact decimals
    frame = pd.DataFrame([list(row) for row in BUDGET], columns=TURKISH)
    frame["Yıl"] = frame["Yıl"].astype("int64")
    for h in TURKISH[8:]:
        frame[h] = [Decimal(k) / 100 for k in frame[h]]
    frame.to_parquet(HERE / "budget.parquet", index=False)

    # usage sample: UTF-8 with BOM, ';', Turkish headers and values
    usage = (
        "Kayıt No;Hizmet Kodu;Hizmet;Birim;Tarih;Kişi No;Cinsiyet;Yaş;Doğum Yılı;Engellilik;Göçmenlik Durumu;"
        "İlçe;Mahalle;Miktar\n"
        "K-0001;KRS;Kreş;Kadın ve Aile Hizmetleri;01.03.2023;P-001;Kadın;34;;Hayır;Vatandaş;KADIKÖY;"
        "Caferağa Mah.;1\n"
        "K-0002;KRS;Kreş;Kadın ve Aile Hizmetleri;2023-03-02;P-002;E;;1990;%40;Geçici Koruma;ŞİŞLİ;"
        "Feriköy Mahallesi;2,5\n"
        "K-0003;SOS;Sosyal Yardım;Sosyal Hizmetler;15.06.2023;P-003;K;71;;Yok;Göçmen;esenyurt;;1\n"
        "K-0004;SOS;Sosyal Yardım;Sosyal Hizmetler;16.06.2023;P-001;Kadın;34;;Hayır;Vatandaş;Kadıköy;"
        "CAFERAĞA;1\n"
    )
    (HERE / "usage_bom.csv").write_bytes(b"\xef\xbb\xbf" + usage.encode("utf-8"))

    # population sample: UTF-8, ','
    population = (
        "Yıl,İlçe,Cinsiyet,Yaş Grubu,Nüfus,Engelli Nüfus\n"
        "2023,Kadıköy,Kadın,0-4,9.500,120\n"
        "2023,Kadıköy,Erkek,0-4,9.900,130\n"
        "2023,Kadıköy,Kadın,65 ve üzeri,52.000,4.100\n"
        "2023,Esenyurt,Kadın,25–44,160.000,2.500\n"
    )
    (HERE / "population.csv").write_text(population, encoding="utf-8")


if __name__ == "__main__":
    main()
