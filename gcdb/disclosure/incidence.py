"""The largest contributions to benefit-incidence amounts, for the p % dominance rule.

Benefit incidence shares each (service, action) pair's spending equally among its users (the same unit cost for
every user: ``benefit / users`` of the pair). A person's benefit in a group is the sum of the unit costs of the
pairs they use; a group's two largest contributions are those of its two most expensive persons. For one pair,
every user contributes the same, so only a group of one or two users is dominated — which k already hides; across
services (``incidence_groups``) one user of an expensive service among users of cheap ones can dominate.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.disclosure import spec as S
from gcdb.disclosure.primary import top_contributions
from gcdb.equality import names as N
from gcdb.services import names as SN


def _unit_costs(by_service: pd.DataFrame) -> pd.DataFrame:
    """``fiscal_year, service_code, action_code, unit`` (kuruş per user) from the pairs' total rows."""
    t = by_service[(by_service[N.GROUP].astype("str") == N.TOTAL).to_numpy()]
    t = t.drop_duplicates([SN.FISCAL_YEAR, C.SERVICE_CODE, C.ACTION_CODE])
    users = pd.to_numeric(t[N.USERS]).to_numpy(dtype=np.float64, na_value=np.nan)
    benefit = pd.to_numeric(t[N.BENEFIT]).to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        unit = np.where(users > 0, benefit / users, 0.0)
    return pd.DataFrame(
        {
            SN.FISCAL_YEAR: t[SN.FISCAL_YEAR].to_numpy(dtype=np.int64),
            C.SERVICE_CODE: t[C.SERVICE_CODE].astype("str").to_numpy(),
            C.ACTION_CODE: t[C.ACTION_CODE].astype("str").to_numpy(),
            "unit": unit,
        }
    )


def incidence_tops(tables: dict[str, pd.DataFrame], usage: pd.DataFrame, service_tags: Any) -> pd.DataFrame:
    """``table, row, top1, top2`` for the amount cells of ``incidence_by_service`` and ``incidence_groups``."""
    from gcdb.services.incidence import tag_frame

    by_service = tables.get("incidence_by_service")
    if by_service is None or by_service.empty or service_tags is None:
        return pd.DataFrame(columns=[S.TABLE, S.ROW, S.TOP1, S.TOP2])
    units = _unit_costs(by_service)
    out = []
    # one pair: every user contributes the unit cost
    t = by_service.reset_index(drop=True)
    merged = t[[SN.FISCAL_YEAR, C.SERVICE_CODE, C.ACTION_CODE]].astype(
        {C.SERVICE_CODE: "str", C.ACTION_CODE: "str"}
    )
    merged = merged.merge(units, on=[SN.FISCAL_YEAR, C.SERVICE_CODE, C.ACTION_CODE], how="left")
    users = pd.to_numeric(t[N.USERS]).to_numpy(dtype=np.float64, na_value=0.0)
    unit = merged["unit"].to_numpy(dtype=np.float64, na_value=0.0)
    out.append(
        pd.DataFrame(
            {
                S.TABLE: "incidence_by_service",
                S.ROW: np.arange(len(t)),
                S.TOP1: np.where(users >= 1, unit, 0.0),
                S.TOP2: np.where(users >= 2, unit, 0.0),
            }
        )
    )
    groups = tables.get("incidence_groups")
    if groups is not None and len(groups):
        tags = tag_frame(service_tags, "service_tags")
        rows = tags[C.ROW_ID].to_numpy(dtype=np.int64)
        rec = usage.iloc[rows].reset_index(drop=True)
        years = rec[C.FISCAL_YEAR] if C.FISCAL_YEAR in rec else pd.to_datetime(rec[C.DATE]).dt.year
        frame = pd.DataFrame(
            {
                SN.FISCAL_YEAR: years.to_numpy(dtype=np.int64),
                C.SERVICE_CODE: rec[C.SERVICE_CODE].astype("str").to_numpy(),
                C.ACTION_CODE: tags[C.ACTION_CODE].astype("str").to_numpy(),
                C.PERSON_ID: rec[C.PERSON_ID].astype("str").to_numpy(),
                C.SEX: rec[C.SEX].astype("str").to_numpy(),
                C.DISTRICT: rec[C.DISTRICT].astype("str").to_numpy(),
            }
        )
        frame = frame.drop_duplicates([SN.FISCAL_YEAR, C.SERVICE_CODE, C.ACTION_CODE, C.PERSON_ID])
        frame = frame.merge(units, on=[SN.FISCAL_YEAR, C.SERVICE_CODE, C.ACTION_CODE], how="inner")
        g = groups.reset_index(drop=True)
        for by in pd.unique(g[SN.BY].astype("str")).tolist():
            if by not in frame.columns:
                continue
            per_person = cast(  # as_index=False gives a frame; pandas-stubs say Series
                pd.DataFrame, frame.groupby([SN.FISCAL_YEAR, by, C.PERSON_ID], as_index=False)["unit"].sum()
            )
            tops = top_contributions(per_person, [SN.FISCAL_YEAR, by], "unit")
            every = top_contributions(per_person.assign(**{by: N.TOTAL}), [SN.FISCAL_YEAR, by], "unit")
            tops = pd.concat([tops, every], ignore_index=True).rename(columns={by: N.GROUP})
            sel = g[(g[SN.BY].astype("str") == by).to_numpy()]
            keyed = pd.DataFrame(
                {
                    S.ROW: sel.index.to_numpy(),
                    SN.FISCAL_YEAR: sel[SN.FISCAL_YEAR].to_numpy(dtype=np.int64),
                    N.GROUP: sel[N.GROUP].astype("str").to_numpy(),
                }
            ).merge(tops, on=[SN.FISCAL_YEAR, N.GROUP], how="left")
            out.append(
                pd.DataFrame(
                    {
                        S.TABLE: "incidence_groups",
                        S.ROW: keyed[S.ROW].to_numpy(dtype=np.int64),
                        S.TOP1: keyed[S.TOP1].to_numpy(dtype=np.float64, na_value=0.0),
                        S.TOP2: keyed[S.TOP2].to_numpy(dtype=np.float64, na_value=0.0),
                    }
                )
            )
    return pd.concat(out, ignore_index=True)


def with_tops(frames: list[pd.DataFrame], tops: pd.DataFrame) -> list[pd.DataFrame]:
    """The cell frames with ``top1``/``top2`` on their amount entries."""
    if tops.empty:
        return frames
    out = []
    for f in frames:
        amount = (f[S.MEASURE] == S.AMOUNT).to_numpy()
        if not amount.any():
            out.append(f)
            continue
        g = f.merge(tops, on=[S.TABLE, S.ROW], how="left")
        g.loc[~amount, [S.TOP1, S.TOP2]] = np.nan
        out.append(g)
    return out
