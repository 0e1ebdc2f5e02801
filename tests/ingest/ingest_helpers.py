"""Shared values and helpers of the ingest tests (a uniquely named module, importable from the test files)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parent / "data"

GOOD_BUDGET = {
    "Yıl": "2023",
    "Satır No": "1",
    "Kurumsal Kod": "46.34.01.16",
    "Birim": "Kadın ve Aile Hizmetleri",
    "Fonksiyonel Kod": "10.4.0.00",
    "Finansman Tipi": "5",
    "Ekonomik Kod": "03.5.1.08",
    "Açıklama": "KADIN DAYANIŞMA EVİ",
    "Başlangıç Ödeneği": "1.000,00",
    "Revize Ödenek": "1.200,50",
    "Harcama": "900,25",
}

GOOD_USAGE = {
    "Kayıt No": "R1",
    "Hizmet Kodu": "KRS",
    "Hizmet": "Kreş",
    "Tarih": "01.03.2023",
    "Kişi No": "P1",
    "Cinsiyet": "Kadın",
    "Yaş": "34",
    "Engellilik": "Hayır",
    "Göçmenlik Durumu": "Vatandaş",
    "İlçe": "Kadıköy",
    "Mahalle": "Caferağa",
    "Miktar": "1",
}

GOOD_POPULATION = {
    "Yıl": "2023",
    "İlçe": "Kadıköy",
    "Cinsiyet": "Kadın",
    "Yaş Grubu": "0-4",
    "Nüfus": "9.500",
    "Engelli Nüfus": "120",
}


def rows_text(good: dict, changes: list[dict], *, sep: str = ";", id_column: str | None = None) -> str:
    """CSV text: one row per entry of ``changes`` (good row with those cells replaced; ``None`` drops a column
    from every row). Ids in ``id_column`` are numbered 1, 2, … unless a change sets them."""
    dropped = {k for ch in changes for k, v in ch.items() if v is None}
    header = [h for h in good if h not in dropped] + [
        k for ch in changes for k in ch if k not in good and ch[k] is not None
    ]
    header = list(dict.fromkeys(header))
    lines = [sep.join(header)]
    for i, ch in enumerate(changes, start=1):
        row = dict(good)
        if id_column:
            row[id_column] = (row[id_column].rstrip("0123456789") or "") + str(i)
        row.update({k: v for k, v in ch.items() if v is not None})
        lines.append(sep.join(str(row.get(h, "")) for h in header))
    return "\n".join(lines) + "\n"


def issue(result, code: str) -> pd.DataFrame:
    """The issues of ``result`` with ``code``."""
    return result.issues[result.issues["code"] == code]


def single(result, code: str) -> dict:
    """The one issue with ``code`` (fails if there are none or several)."""
    found = issue(result, code)
    assert len(found) == 1, f"expected one {code} issue, got:\n{result.issues.to_string()}"
    return found.iloc[0].to_dict()
