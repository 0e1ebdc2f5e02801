"""The plan's indicators on the municipality's own staff, computed from the workforce table.

:func:`workforce_indicators` finds them in the catalogue by their wording (vectorised regular expressions over the
folded texts): women's share of staff (*kadın çalışan oranı*, *kadın çalışan sayısının toplam personel sayısına
oranı*, *personellerde kadın oranı*), women staff (*kadın çalışan sayısı*), women managers (*kadın yönetici
sayısı*; *kadın yönetici sayısının %40'a yükseltilmesi* becomes the share of women among managers with the target
40 %), disabled staff (*engelli çalışan oranı*), women among technical staff (*kadın teknik personel oranı*) and
the growth of women staff (*kadın personel sayısındaki artış oranı*). Wordings about training, new hires, services
to staff or particular buildings are not staff counts and are left to the units' returns. An indicator naming a
unit (*Sağlık hizmetlerinde …*) is computed for that unit; one asking for a breakdown (*birimlere göre*, *birim
bazında*, *şirket bazından*) for every unit and in total; the others in total.

:func:`compute_workforce` computes them per fiscal year from a workforce table
(:func:`gcdb.read.workforce.read_workforce`). Counts between 1 and ``k − 1`` are published as missing with the
reason ``suppressed`` (and shares whose women or men count is that small), as for every count of people gcdb
publishes.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.catalogue import schema as S
from gcdb.monitor import names as N
from gcdb.read import workforce as W
from gcdb.text import fold, fold_series

WOMEN_SHARE, WOMEN_COUNT, MANAGER_SHARE, MANAGER_COUNT = (
    "women_staff_share",
    "women_staff_count",
    "women_manager_share",
    "women_manager_count",
)
DISABLED_SHARE, TECHNICAL_SHARE, WOMEN_GROWTH = (
    "disabled_staff_share",
    "women_technical_share",
    "women_staff_growth",
)

#: (measure, pattern over the folded text), first match wins.
MEASURES: Final = (
    (MANAGER_SHARE, r"kadin yonetici sayisinin %\s*\d+"),
    (MANAGER_COUNT, r"kadin yonetici sayisi\b"),
    (DISABLED_SHARE, r"engelli calisan orani"),
    (TECHNICAL_SHARE, r"kadin teknik personel orani"),
    (WOMEN_GROWTH, r"kadin personel sayisindaki artis"),
    (WOMEN_SHARE, r"kadin calisan (?:orani|sayisinin toplam personel)|(?:calisan|personellerde) kadin orani"),
    (WOMEN_COUNT, r"kadin calisan sayisi\b"),
)
EXCLUDE: Final = r"egitim|katilan|faydalanan|ise alin|istihdam|\byeni\b|binalar|motivasyon|supervizyon"
BY_UNIT: Final = r"birimlere gore|birim bazinda|sirket bazinda|sirket bazindan|istirakler bazinda"
PERCENT_MEASURES: Final = (WOMEN_SHARE, MANAGER_SHARE, DISABLED_SHARE, TECHNICAL_SHARE, WOMEN_GROWTH)

MEASURE, BY_UNIT_COL, UNIT_FILTER = "measure", "by_unit", "unit_filter"
NUMERATOR, DENOMINATOR, VALUE, VALUE_UNIT, REASON = (
    "numerator",
    "denominator",
    "value",
    "value_unit",
    "reason",
)
SUPPRESSED, ZERO_DENOMINATOR, NO_PREVIOUS_YEAR = "suppressed", "zero_denominator", "no_previous_year"

#: Columns of :func:`workforce_indicators`.
DEFINITION_COLUMNS: Final = (N.INDICATOR_ID, MEASURE, BY_UNIT_COL, UNIT_FILTER, N.TARGET_VALUE)
#: Columns of :func:`compute_workforce`.
WORKFORCE_INDICATOR_COLUMNS: Final = (
    C.FISCAL_YEAR,
    N.INDICATOR_ID,
    MEASURE,
    N.UNIT_ID,
    C.UNIT_NAME,
    NUMERATOR,
    DENOMINATOR,
    VALUE,
    VALUE_UNIT,
    N.TARGET_VALUE,
    REASON,
)


def workforce_indicators(catalogue) -> pd.DataFrame:
    """The catalogue's indicators computed from the workforce table. Columns :data:`DEFINITION_COLUMNS`:
    ``measure``, ``by_unit`` (one value per unit and a total), ``unit_filter`` (the unit the wording names, or
    missing) and ``target_value`` (a target the wording states, e.g. 40 for *%40'a yükseltilmesi*)."""
    ind = catalogue.indicators
    folded = fold_series(ind[S.TEXT]).fillna("")
    measure = pd.Series(pd.NA, index=ind.index, dtype="str")
    for name, pattern in MEASURES:
        hit = folded.str.contains(pattern, regex=True) & measure.isna()
        measure[hit] = name
    keep = measure.notna() & ~folded.str.contains(EXCLUDE, regex=True)
    units = catalogue.units
    short = units[S.SHORT_NAME].fillna(units[S.NAME]).map(fold)
    unit_filter = pd.Series(pd.NA, index=ind.index, dtype="str")
    for unit_id, name in zip(units[S.UNIT_ID], short, strict=True):  # one pass per unit over the few texts
        if len(name) >= 5:
            hit = keep & folded.str.contains(rf"\b{name}\b", regex=True) & unit_filter.isna()
            unit_filter[hit] = unit_id
    target = pd.to_numeric(folded.str.extract(r"%\s*(\d+)")[0], errors="coerce").where(
        measure == MANAGER_SHARE
    )
    out = pd.DataFrame(
        {
            N.INDICATOR_ID: ind[S.INDICATOR_ID].astype("str"),
            MEASURE: measure,
            BY_UNIT_COL: folded.str.contains(BY_UNIT, regex=True).to_numpy(dtype=bool),
            UNIT_FILTER: unit_filter,
            N.TARGET_VALUE: target.astype("Float64"),
        }
    )
    return out[keep.to_numpy()].reset_index(drop=True)


def _sums(data: pd.DataFrame, unit_ids: pd.Series) -> pd.DataFrame:
    """Head counts per year × unit of every quantity a measure needs (one grouped sum)."""
    known_sex = data[C.SEX].isin((C.FEMALE, C.MALE, C.OTHER)).to_numpy()
    women = (data[C.SEX] == C.FEMALE).to_numpy()
    manager = data[W.MANAGER].to_numpy(dtype=bool)
    technical = fold_series(data[W.POSITION_GROUP].fillna("")).str.contains("teknik").to_numpy(dtype=bool)
    disabled_known = data[C.DISABILITY].isin((C.YES, C.NO)).to_numpy()
    count = data[W.HEADCOUNT].to_numpy(dtype=np.int64)
    parts = {
        "staff": count * known_sex,
        "women": count * women,
        "managers": count * (manager & known_sex),
        "women_managers": count * (manager & women),
        "disabled": count * (data[C.DISABILITY] == C.YES).to_numpy(),
        "disability_known": count * disabled_known,
        "technical": count * (technical & known_sex),
        "women_technical": count * (technical & women),
    }
    frame = pd.DataFrame(
        {
            C.FISCAL_YEAR: data[C.FISCAL_YEAR].to_numpy(),
            N.UNIT_ID: unit_ids.to_numpy(),
            C.UNIT_NAME: data[C.UNIT_NAME].to_numpy(),
            **parts,
        }
    )
    by_unit = (
        frame.groupby([C.FISCAL_YEAR, N.UNIT_ID, C.UNIT_NAME], dropna=False, observed=True)
        .sum()
        .reset_index()
    )
    total = frame.drop(columns=[N.UNIT_ID, C.UNIT_NAME]).groupby(C.FISCAL_YEAR).sum().reset_index()
    total[N.UNIT_ID], total[C.UNIT_NAME] = pd.NA, pd.NA
    return pd.concat([by_unit, total[by_unit.columns]], ignore_index=True)


_PARTS: Final = {
    WOMEN_COUNT: ("women", None),
    WOMEN_SHARE: ("women", "staff"),
    MANAGER_COUNT: ("women_managers", None),
    MANAGER_SHARE: ("women_managers", "managers"),
    DISABLED_SHARE: ("disabled", "disability_known"),
    TECHNICAL_SHARE: ("women_technical", "technical"),
    WOMEN_GROWTH: ("women", None),
}


def compute_workforce(workforce: pd.DataFrame, catalogue, *, k: int = 5) -> pd.DataFrame:
    """The workforce indicators of ``catalogue`` computed from ``workforce`` (the ``data`` of
    :func:`gcdb.read.workforce.read_workforce`) per fiscal year. Columns :data:`WORKFORCE_INDICATOR_COLUMNS`;
    ``unit_id``/``unit_name`` missing on total rows; ``value`` a count or a percentage (``value_unit``)."""
    definitions = workforce_indicators(catalogue)
    if workforce.empty or definitions.empty:
        return _empty()
    sums = _sums(workforce, catalogue.unit_ids_for(workforce[C.UNIT_NAME]))
    is_total = sums[N.UNIT_ID].isna() & sums[C.UNIT_NAME].isna()
    frames = []
    for d in definitions.itertuples(index=False):  # one pass per indicator definition (a dozen), not per row
        if isinstance(d.unit_filter, str):
            rows = sums[sums[N.UNIT_ID] == d.unit_filter]
        elif d.by_unit:
            rows = sums
        else:
            rows = sums[is_total]
        num_col, den_col = _PARTS[str(d.measure)]
        frames.append(_measure(rows, sums, d, num_col, den_col, k))
    out = pd.concat(frames, ignore_index=True) if frames else _empty()
    return out[list(WORKFORCE_INDICATOR_COLUMNS)]


def _measure(
    rows: pd.DataFrame, sums: pd.DataFrame, d, num_col: str, den_col: str | None, k: int
) -> pd.DataFrame:
    num = rows[num_col].to_numpy(dtype=np.float64)
    reason = np.full(len(rows), "", dtype=object)
    if d.measure == WOMEN_GROWTH:
        key = rows[N.UNIT_ID].astype("str").fillna("") + "|" + rows[C.UNIT_NAME].astype("str").fillna("")
        all_keys = sums[N.UNIT_ID].astype("str").fillna("") + "|" + sums[C.UNIT_NAME].astype("str").fillna("")
        previous = pd.Series(
            sums[num_col].to_numpy(),
            index=pd.MultiIndex.from_arrays([sums[C.FISCAL_YEAR].to_numpy() + 1, all_keys.to_numpy()]),
        )
        den = previous.reindex(
            pd.MultiIndex.from_arrays([rows[C.FISCAL_YEAR].to_numpy(), key.to_numpy()])
        ).to_numpy(dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = 100.0 * (num - den) / den
        reason = np.where(np.isnan(den), NO_PREVIOUS_YEAR, np.where(den == 0, ZERO_DENOMINATOR, reason))
        small = ((num > 0) & (num < k)) | ((den > 0) & (den < k))
    elif den_col is None:
        den = np.full(len(rows), np.nan)
        value = num.copy()
        small = (num > 0) & (num < k)
    else:
        den = rows[den_col].to_numpy(dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = 100.0 * num / den
        reason = np.where(den == 0, ZERO_DENOMINATOR, reason)
        small = ((num > 0) & (num < k)) | ((den - num > 0) & (den - num < k))
    value = np.where(small | (reason != ""), np.nan, value)
    reason = np.where(small & (reason == ""), SUPPRESSED, reason)
    numerator = np.where(small, np.nan, num)
    return pd.DataFrame(
        {
            C.FISCAL_YEAR: rows[C.FISCAL_YEAR].to_numpy(dtype=np.int64),
            N.INDICATOR_ID: d.indicator_id,
            MEASURE: d.measure,
            N.UNIT_ID: rows[N.UNIT_ID].astype("str").to_numpy(),
            C.UNIT_NAME: rows[C.UNIT_NAME].astype("str").to_numpy(),
            NUMERATOR: pd.array(numerator, dtype="Float64"),
            DENOMINATOR: pd.array(np.where(small, np.nan, den), dtype="Float64"),
            VALUE: pd.array(np.round(value, 4), dtype="Float64"),
            VALUE_UNIT: "percent" if d.measure in PERCENT_MEASURES else "count",
            N.TARGET_VALUE: pd.array([d.target_value] * len(rows), dtype="Float64"),
            REASON: pd.Series(reason, dtype="str"),
        }
    )


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            C.FISCAL_YEAR: pd.Series(dtype="int64"),
            N.INDICATOR_ID: pd.Series(dtype="str"),
            MEASURE: pd.Series(dtype="str"),
            N.UNIT_ID: pd.Series(dtype="str"),
            C.UNIT_NAME: pd.Series(dtype="str"),
            NUMERATOR: pd.Series(dtype="Float64"),
            DENOMINATOR: pd.Series(dtype="Float64"),
            VALUE: pd.Series(dtype="Float64"),
            VALUE_UNIT: pd.Series(dtype="str"),
            N.TARGET_VALUE: pd.Series(dtype="Float64"),
            REASON: pd.Series(dtype="str"),
        }
    )
