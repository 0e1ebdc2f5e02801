"""Reference lists of the analytic budget classification used to check costing lines.

Source: Analitik Bütçe Sınıflandırmasına İlişkin Rehber (Ministry of Finance, the guide municipalities follow
under the Mahalli İdareler Bütçe ve Muhasebe Yönetmeliği): the expenditure *economic* classification's first two
levels and the *functional* classification's first level (COFOG-based). Levels III and IV are left to the
municipality's own chart; a code is *known* when its first two economic levels (or its first functional level
and a non-zero second level) are.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

#: Economic classification, level I: code → (Turkish, English).
ECONOMIC_LEVEL_1: Final = {
    "01": ("Personel Giderleri", "Personnel"),
    "02": ("Sosyal Güvenlik Kurumlarına Devlet Primi Giderleri", "Social security contributions"),
    "03": ("Mal ve Hizmet Alım Giderleri", "Goods and services"),
    "04": ("Faiz Giderleri", "Interest"),
    "05": ("Cari Transferler", "Current transfers"),
    "06": ("Sermaye Giderleri", "Capital expenditure"),
    "07": ("Sermaye Transferleri", "Capital transfers"),
    "08": ("Borç Verme", "Lending"),
    "09": ("Yedek Ödenekler", "Reserve appropriations"),
}

#: Economic classification, level II: the second-level digits that exist under each first level.
ECONOMIC_LEVEL_2: Final = {
    "01": "12345",
    "02": "12345",
    "03": "123456789",
    "04": "12345",
    "05": "12345678",
    "06": "123456789",
    "07": "12",
    "08": "12",
    "09": "123456789",
}

#: Functional classification, level I: code → (Turkish, English).
FUNCTIONAL_LEVEL_1: Final = {
    "01": ("Genel Kamu Hizmetleri", "General public services"),
    "02": ("Savunma Hizmetleri", "Defence"),
    "03": ("Kamu Düzeni ve Güvenlik Hizmetleri", "Public order and safety"),
    "04": ("Ekonomik İşler ve Hizmetler", "Economic affairs"),
    "05": ("Çevre Koruma Hizmetleri", "Environmental protection"),
    "06": ("İskan ve Toplum Refahı Hizmetleri", "Housing and community amenities"),
    "07": ("Sağlık Hizmetleri", "Health"),
    "08": ("Dinlenme, Kültür ve Din Hizmetleri", "Recreation, culture and religion"),
    "09": ("Eğitim Hizmetleri", "Education"),
    "10": ("Sosyal Güvenlik ve Sosyal Yardım Hizmetleri", "Social protection"),
}


def known_economic(codes: pd.Series) -> np.ndarray:
    """True where a dotted economic code (``03.5.9.90``) has a known first and second level (on distinct values)."""
    index, uniques = pd.factorize(codes, use_na_sentinel=True)
    parts = pd.Series(uniques, dtype="str").str.extract(r"^(\d{2})\.(\d)")
    level_2 = parts[0].map(ECONOMIC_LEVEL_2)
    ok = [
        isinstance(allowed, str) and isinstance(digit, str) and digit in allowed
        for allowed, digit in zip(level_2, parts[1], strict=True)
    ]
    return np.append(np.asarray(ok, dtype=bool), False)[index]


def known_functional(codes: pd.Series) -> np.ndarray:
    """True where a dotted functional code (``10.4.0.00``) has a known first level and a non-zero second level."""
    index, uniques = pd.factorize(codes, use_na_sentinel=True)
    parts = pd.Series(uniques, dtype="str").str.extract(r"^(\d{2})\.([1-9])")
    ok = parts[0].isin(list(FUNCTIONAL_LEVEL_1)) & parts[1].notna()
    return np.append(ok.to_numpy(dtype=bool), False)[index]
