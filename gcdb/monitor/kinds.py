"""What each plan indicator measures, read from its wording: kind, value kind, direction, computability.

:func:`classify_indicators` works on the folded texts of the catalogue's indicators with vectorised string
matching (one regular expression per rule over the whole column), first matching rule wins:

* ``list`` — *listesi* (a list of projects, of practices); no value kind;
* ``compound`` — two measures in one text: *sayısı/oranı*, *sayısı ve oranı*, *oranı … sayısı*, two *oranı*;
* ``change`` — *artış oranı*, *azalma oranı*, *artırılma oranı*, *değişim*: a decimal;
* ``completion`` — *tamamlanma / gerçekleşme / oluşturulma / kurulma / hazırlanma / çıkarılma / raporlanma /
  entegre edilme oranı*, *… tamamlanması*: a percentage;
* ``ratio`` — *başına düşen*: a decimal;
* ``percentage`` — *oranı*, *oranları*, *yüzdesi*, *(%)*: a percentage 0–100;
* ``count`` — *sayısı*, *sayısındaki*, *adedi*, *adet*: a whole number;
* ``amount`` — *miktarı*, *tutarı*, *bütçesi*, *TL*, *m2*, *km*: a decimal;
* ``average`` — *ortalama*, *süresi*: a decimal;
* ``yes_no`` — a milestone: the text ends in a verbal noun (*oluşturulması*, *hazırlanması*, *kurulması*,
  *yayınlanması*, *yükseltilmesi* …): yes or no;
* ``unclassified`` — none of the above: the wording names no measure.

An indicator is *computable from collected values* when its kind is one of
:data:`gcdb.monitor.names.COMPUTABLE_KINDS` (one reported value measures it). ``needs_breakdown`` marks wordings
that ask for a breakdown (*… göre*, *bazında*, *bazlı*, *kırılım*): a single reported value gives the total only.
The direction of improvement is *higher is better* unless the wording says otherwise (*azalma*, *bekleme süresi*,
*şikayet sayısı*, *kaza*, *hayatını kaybeden*: lower is better; *başına düşen*, *dağılımı*: neutral).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from gcdb.catalogue import schema as S
from gcdb.monitor import names as N
from gcdb.text import fold_series

#: (kind, regular expression over the folded text), in order: the first match wins.
RULES: Final = (
    (N.LIST, r"\blistesi\b"),
    (
        N.COMPOUND,
        r"(?:sayisi\s*(?:/|ve|veya)\s*oran|oran\w*\s*(?:/|ve|veya)\s*sayisi|oran\w*,.*sayisi|sayisi,.*oran"
        r"|oran\w*\s*/\s*\w+\s+oran|oran\w*\s*/\s*\w+\s*$)",
    ),
    (N.CHANGE, r"(?:artis|azalma|artirilma|dusus)\s+oran|degisim"),
    (
        N.COMPLETION,
        r"(?:tamamlanma|gerceklesme|olusturulma|kurulma|hazirlanma|cikarilma|raporlanma|entegre edilme)\s+oran"
        r"|tamamlanmasi\b",
    ),
    (N.RATIO, r"basina dusen"),
    (N.PERCENTAGE, r"\boran(?:i|lari)\b|\byuzdesi\b|\(%\)"),
    (N.COUNT, r"\bsayi(?:si|sindaki|lari)\b|\badedi\b|\badet\b"),
    (N.AMOUNT, r"\bmiktari\b|\btutari\b|\bbutcesi\b|\btl\b|\bm2\b|\bkm\b"),
    (N.AVERAGE, r"\bortalama\b|\bsuresi\b"),
    (N.YES_NO, r"\w+(?:ilmasi|ilmesi|ulmasi|ulmesi|lmasi|lmesi|nmasi|nmesi)\s*\.?$"),
)

#: Value kind of the form's baseline/target/actual cells for each indicator kind.
VALUE_KIND: Final = {
    N.COUNT: "integer",
    N.PERCENTAGE: "percent",
    N.COMPLETION: "percent",
    N.CHANGE: "decimal",
    N.RATIO: "decimal",
    N.AMOUNT: "decimal",
    N.AVERAGE: "decimal",
    N.YES_NO: "yes_no",
    N.COMPOUND: "decimal",
    N.LIST: "decimal",
    N.UNCLASSIFIED: "decimal",
}
#: Unit of measure prefilled in the form.
MEASURE_UNIT: Final = {
    N.COUNT: "sayı",
    N.PERCENTAGE: "%",
    N.COMPLETION: "%",
    N.CHANGE: "%",
    N.YES_NO: "evet/hayır",
}

BREAKDOWN_RE: Final = r"\bgore\b|\bbazinda\b|\bbazli\b|\bkirilim"
LOWER_RE: Final = r"\bazal|bekleme suresi|sikayet sayisi|\bkaza|hayatini kaybeden|\bolum"
NEUTRAL_RE: Final = r"basina dusen|dagilimi"

#: Columns of :func:`classify_indicators`.
KINDS_COLUMNS: Final = (
    N.INDICATOR_ID,
    S.AREA,
    N.INDICATOR_TEXT,
    N.KIND,
    N.VALUE_KIND,
    N.MEASURE_UNIT,
    N.DIRECTION,
    N.NEEDS_BREAKDOWN,
    N.COMPUTABLE,
)


def classify_texts(texts: pd.Series) -> pd.DataFrame:
    """Kind, value kind, unit of measure, direction and ``needs_breakdown`` of indicator texts (vectorised)."""
    folded = fold_series(texts.astype("str")).fillna("")
    kind = pd.Series(N.UNCLASSIFIED, index=texts.index, dtype="str")
    decided = np.zeros(len(texts), dtype=bool)
    for name, pattern in RULES:
        hit = folded.str.contains(pattern, regex=True).to_numpy(dtype=bool) & ~decided
        kind[hit] = name
        decided |= hit
    direction = np.where(
        folded.str.contains(LOWER_RE, regex=True).to_numpy(dtype=bool),
        N.LOWER_IS_BETTER,
        np.where(
            folded.str.contains(NEUTRAL_RE, regex=True).to_numpy(dtype=bool), N.NEUTRAL, N.HIGHER_IS_BETTER
        ),
    )
    return pd.DataFrame(
        {
            N.KIND: kind,
            N.VALUE_KIND: kind.map(VALUE_KIND).astype("str"),
            N.MEASURE_UNIT: kind.map(MEASURE_UNIT).astype("str"),
            N.DIRECTION: pd.Series(direction, index=texts.index, dtype="str"),
            N.NEEDS_BREAKDOWN: folded.str.contains(BREAKDOWN_RE, regex=True).to_numpy(dtype=bool),
            N.COMPUTABLE: kind.isin(N.COMPUTABLE_KINDS).to_numpy(dtype=bool),
        },
        index=texts.index,
    )


def classify_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    """Classify a catalogue's indicators (``Catalogue.indicators``). Columns :data:`KINDS_COLUMNS`."""
    out = classify_texts(indicators[S.TEXT])
    out.insert(0, N.INDICATOR_TEXT, indicators[S.TEXT].astype("str"))
    out.insert(0, S.AREA, indicators[S.AREA].astype("int64"))
    out.insert(0, N.INDICATOR_ID, indicators[S.INDICATOR_ID].astype("str"))
    return out[list(KINDS_COLUMNS)].reset_index(drop=True)


def kind_counts(classified: pd.DataFrame) -> pd.DataFrame:
    """Indicators per kind: ``kind, indicators, computable, total_only`` (computable but needing a breakdown the
    single reported value cannot give), in the order of :data:`gcdb.monitor.names.INDICATOR_KINDS`."""
    grouped = classified.groupby(N.KIND, observed=True).agg(
        indicators=(N.INDICATOR_ID, "size"),
        computable=(N.COMPUTABLE, "sum"),
        total_only=(N.NEEDS_BREAKDOWN, lambda s: int((s & classified.loc[s.index, N.COMPUTABLE]).sum())),
    )
    grouped = grouped.reindex(list(N.INDICATOR_KINDS), fill_value=0).reset_index()
    grouped = grouped.rename(columns={"index": N.KIND})
    return grouped.astype({"indicators": "int64", "computable": "int64", "total_only": "int64"})
