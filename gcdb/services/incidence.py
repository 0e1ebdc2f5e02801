"""Benefit incidence of the equality plan's spending (methods.md §5): who the executed money reaches.

1. **Spending per plan action**: the tagged budget's ``attributed_expenditure`` summed per fiscal year and action
   (:func:`action_spending`; each budget line's share was split to the kuruş by the rule engine).
2. **Link to services**: the services rule set tags usage records with actions (:func:`service_links`). An action's
   spending is shared among the services whose records carry it, in proportion to their distinct users, to the
   kuruş (:func:`gcdb.money.largest_remainder`) — the same unit cost for every user of the action.
3. **Incidence**: :func:`gcdb.equality.benefit_incidence` shares each (service, action) part among its users'
   groups — by sex and by district — giving benefit shares against population shares, spending per user and per
   resident. Only the tagged records count as users: a rule that tags legal counselling given to women only
   shares that action's money among women.

Caveat (printed with the tables): :data:`gcdb.equality.names.INCIDENCE_CAVEAT`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import benefit_incidence
from gcdb.equality import names as N
from gcdb.equality.breakdown import distinct_inverse
from gcdb.equality.categories import by_values
from gcdb.errors import UsageError
from gcdb.money import largest_remainder
from gcdb.persons import person_codes
from gcdb.services import names as S
from gcdb.services.tables import distinct_count, empty
from gcdb.text import sorted_categorical

#: Position of a record in the usage frame given to the analysis (the ``row_id`` of its service tags).
ROW = "_row"
_KEY_SEP = "\x1f"
INCIDENCE_BY: tuple[str, ...] = (C.SEX, C.DISTRICT)


def tag_frame(tags: Any, what: str) -> pd.DataFrame:
    """The tag table of a :class:`gcdb.rules.TagResult`, or the frame itself."""
    frame = getattr(tags, "tags", tags)
    if not isinstance(frame, pd.DataFrame):
        raise UsageError(f"{what} must be a TagResult or its tags DataFrame, got {type(tags).__name__}")
    return frame


def action_spending(budget_tags: Any, budget: pd.DataFrame | None) -> pd.DataFrame:
    """Executed spending (attributed expenditure, kuruş) per fiscal year and plan action.

    The year of a tag is that of its budget line (``budget[fiscal_year]`` at ``row_id``), or the tag table's own
    ``fiscal_year`` column.
    """
    tags = tag_frame(budget_tags, "budget_tags")
    money = C.attributed(C.EXPENDITURE)
    missing = [c for c in (C.ROW_ID, C.ACTION_CODE, money) if c not in tags.columns]
    if missing:
        raise UsageError(
            f"budget_tags need the columns {', '.join(missing)} (tag the budget with its expenditure column)"
        )
    rows = tags[C.ROW_ID].to_numpy(dtype=np.int64)
    if budget is not None and C.FISCAL_YEAR in budget.columns:
        if len(rows) and (rows.max() >= len(budget) or rows.min() < 0):
            raise UsageError(
                "budget_tags refer to rows that are not in budget: pass the frame that was tagged"
            )
        years = budget[C.FISCAL_YEAR].to_numpy(dtype=np.int64)[rows]
    elif C.FISCAL_YEAR in tags.columns:
        years = tags[C.FISCAL_YEAR].to_numpy(dtype=np.int64)
    else:
        raise UsageError(
            "benefit incidence needs the fiscal year of each budget line: pass budget= (the tagged frame)"
        )
    frame = pd.DataFrame(
        {
            S.FISCAL_YEAR: years,
            C.ACTION_CODE: tags[C.ACTION_CODE].astype("str"),
            S.SPENDING: tags[money].to_numpy(dtype=np.int64),
        }
    )
    frame = frame[frame[C.ACTION_CODE].notna().to_numpy()]
    grouped = frame.groupby([S.FISCAL_YEAR, C.ACTION_CODE], sort=True, as_index=False)
    # as_index=False: the sum is a DataFrame with the keys as columns (pandas-stubs type it as a Series)
    out = cast(pd.DataFrame, grouped[S.SPENDING].sum())
    out[S.SPENDING] = out[S.SPENDING].astype(np.int64)
    return out


def service_links(service_tags: Any, usage: pd.DataFrame) -> pd.DataFrame:
    """``(_row, action_code)`` pairs: the records of ``usage`` (by position) and the actions they serve.

    ``service_tags``: the tag table of the usage records (``row_id`` = position in ``usage``), or a link table
    with ``service_code`` and ``action_code`` (every record of the service serves the action).
    """
    tags = tag_frame(service_tags, "service_tags")
    if C.ACTION_CODE not in tags.columns:
        raise UsageError("service_tags need an action_code column")
    tagged = tags[C.ACTION_CODE].notna().to_numpy()
    if not tagged.all():
        tags = tags[tagged]
    del tagged
    if C.ROW_ID in tags.columns:
        rows = tags[C.ROW_ID].to_numpy(dtype=np.int64)
        if len(rows) and (rows.max() >= len(usage) or rows.min() < 0):
            raise UsageError(
                "service_tags refer to rows that are not in the usage records: tag the same frame you analyse"
            )
        actions = _sorted_codes(tags[C.ACTION_CODE])  # a row per tag: codes, not texts
        # positions of the records: 4 bytes a tag when they fit
        position = np.int32 if len(usage) < 2**31 else np.int64
        links = pd.DataFrame({ROW: rows.astype(position), C.ACTION_CODE: actions})
        del rows
        key = links[ROW].to_numpy(dtype=np.int64) * max(len(actions.categories), 1) + actions.codes
        # tags in record order, none repeated (the rule engine's own order): nothing to sort or drop
        if bool(np.all(key[1:] > key[:-1])):
            return links
        del key
    elif C.SERVICE_CODE in tags.columns:
        table = tags[[C.SERVICE_CODE, C.ACTION_CODE]].astype("str").drop_duplicates()
        records = pd.DataFrame(
            {ROW: np.arange(len(usage), dtype=np.int64), C.SERVICE_CODE: usage[C.SERVICE_CODE].astype("str")}
        )
        links = records.merge(table, on=C.SERVICE_CODE, how="inner", sort=False)[[ROW, C.ACTION_CODE]]
    else:
        raise UsageError("service_tags need row_id (a tag table) or service_code (a link table)")
    # (action codes as categoricals sorted as text sort as the texts)
    return links.drop_duplicates().sort_values([ROW, C.ACTION_CODE], kind="stable").reset_index(drop=True)


def _join(values: pd.Series, keys: pd.Series) -> pd.Series:
    """``"|"``-join the sorted distinct ``values`` per key."""
    frame = pd.DataFrame({"k": keys.to_numpy(), "v": values.astype("str").to_numpy()}).drop_duplicates()
    frame = frame.sort_values(["k", "v"], kind="stable")
    return frame.groupby("k", sort=True)["v"].agg("|".join)


def _sorted_codes(values: pd.Series) -> pd.Categorical:
    """``values`` (no missing value) as a categorical with categories sorted as text: the text work runs on the
    distinct values, not on millions of rows."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if (np.asarray(codes) < 0).any():
        raise UsageError(f"benefit incidence: {values.name!r} is missing on some linked records")
    return sorted_categorical(codes, uniques)


def _ranked(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each row's rank among the sorted distinct texts of ``values`` (or of a categorical's categories, when they
    are sorted as text: the same order), and those texts."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        names = np.asarray([str(c) for c in values.cat.categories], dtype=object)
        codes = values.cat.codes.to_numpy()
        if (len(names) < 2 or bool(np.all(names[:-1] < names[1:]))) and not (codes < 0).any():
            return codes.astype(np.int64), names  # its own codes: no hashing of millions of rows
    sorted_values = _sorted_codes(values)
    return sorted_values.codes.astype(np.int64), np.asarray(sorted_values.categories, dtype=object)


def incidence_year(
    usage: pd.DataFrame,
    population: pd.DataFrame,
    links: pd.DataFrame,
    spending: pd.DataFrame,
    fiscal_year: int,
    k: int,
    by: Sequence[str] = INCIDENCE_BY,
) -> dict[str, pd.DataFrame]:
    """Incidence tables of one year. ``usage`` is the year's records with their :data:`ROW` positions; ``links``
    all ``(_row, action_code)`` pairs; ``spending`` the year's ``action_code, spending``."""
    # each link's record among this year's (ROW: positions in the analysed records, ascending): a lookup table
    # over the positions instead of a hash index over millions of rows
    rows = usage[ROW].to_numpy()
    link_rows = links[ROW].to_numpy()
    size = max(int(rows.max(initial=-1)), int(link_rows.max(initial=-1))) + 1
    position = np.int32 if len(rows) < 2**31 else np.int64  # 4 bytes a record
    lookup = np.full(size, -1, dtype=position)
    lookup[rows] = np.arange(len(rows), dtype=position)
    at = lookup[link_rows]
    del lookup, rows, link_rows
    linked = at >= 0
    action_rank, action_names = _ranked(links[C.ACTION_CODE].iloc[np.flatnonzero(linked)])
    at = at[linked]
    del linked
    needed = [C.SERVICE_CODE, C.PERSON_ID, *(d for d in by if d in usage.columns)]
    records = usage[needed].iloc[at].reset_index(drop=True)  # a row per link: only the columns counted
    del at
    service_rank, service_names = _ranked(records[C.SERVICE_CODE])
    person, _ = person_codes(records[C.PERSON_ID], small=True)  # (4 bytes a row when the codes fit)

    # distinct users per (action, service) pair, pairs in the order of their texts
    n_services = max(len(service_names), 1)
    pair_key, pair_codes = distinct_inverse(action_rank * n_services + service_rank, overwrite=True)
    del action_rank
    n_pairs = len(pair_key)
    pair_users = distinct_count(pair_codes, person, n_pairs).astype(np.int64)
    pair_action = action_names[pair_key // n_services]
    pair_service = service_names[pair_key % n_services]

    # actions: spending and linked users
    spend = spending.set_index(C.ACTION_CODE)[S.SPENDING]
    actions = sorted(set(spend.index.astype("str")) | set(pair_action.tolist()))
    action_index = pd.Index(actions)
    pair_act = action_index.get_indexer(pair_action)
    action_users = np.bincount(pair_act, weights=pair_users, minlength=len(actions)).astype(np.int64)
    action_money = spend.reindex(action_index).fillna(0).to_numpy(dtype=np.int64)

    # split each action's spending among its services by users, exactly
    funded = action_users[pair_act] > 0
    weights = np.where(funded, pair_users / np.maximum(action_users[pair_act], 1), 0.0)
    used, dense = np.unique(pair_act[funded], return_inverse=True)
    pair_money = np.zeros(n_pairs, dtype=np.int64)
    pair_money[funded] = largest_remainder(action_money[used], dense, weights[funded])

    linked = _join(pd.Series(pair_service), pd.Series(pair_action)).reindex(action_index).fillna("")
    hidden_a = (action_users > 0) & (action_users < k)
    allocated = (action_users > 0) & (action_money != 0)
    actions_table = pd.DataFrame(
        {
            S.FISCAL_YEAR: np.full(len(actions), fiscal_year, dtype=np.int64),
            C.ACTION_CODE: pd.array(actions, dtype="str"),
            S.SPENDING: action_money,
            S.SERVICES: pd.array(linked.to_numpy(dtype=object), dtype="str"),
            N.USERS: pd.array(action_users, dtype="Int64"),
            S.ALLOCATED: allocated,
            N.REASON: pd.array(
                np.where((action_users == 0) & (action_money != 0), S.NO_LINKED_USERS, ""), dtype="str"
            ),
        }
    )
    actions_table[N.USERS] = actions_table[N.USERS].mask(hidden_a)

    # services: their share of the actions' money, distinct tagged users
    svc_codes, svc_names = pd.factorize(pd.Series(pair_service, dtype="str"), sort=True)
    svc_money = np.bincount(svc_codes, weights=pair_money, minlength=len(svc_names))
    svc_money = np.rint(svc_money).astype(np.int64)  # sums of integers: exact below 2**53
    row_service = pd.Index(svc_names).get_indexer(pd.Index(service_names))[service_rank]
    del service_rank
    svc_users = distinct_count(row_service, person, len(svc_names)).astype(np.int64)
    svc_actions = _join(pd.Series(pair_action), pd.Series(pair_service)).reindex(svc_names).fillna("")
    hidden_s = (svc_users > 0) & (svc_users < k)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_user = np.where(svc_users > 0, np.rint(svc_money / np.maximum(svc_users, 1)), np.nan)
    services_table = pd.DataFrame(
        {
            S.FISCAL_YEAR: np.full(len(svc_names), fiscal_year, dtype=np.int64),
            C.SERVICE_CODE: pd.array(np.asarray(svc_names, dtype=object), dtype="str"),
            S.ACTION_CODES: pd.array(svc_actions.to_numpy(dtype=object), dtype="str"),
            S.SPENDING: svc_money,
            N.USERS: pd.array(svc_users, dtype="Int64"),
            S.SPENDING_PER_USER: pd.array(np.where(hidden_s, np.nan, per_user), dtype="Float64").astype(
                "Int64"
            ),
            N.SUPPRESSED: hidden_s,
            N.REASON: pd.array(np.where(hidden_s, N.Reason.SUPPRESSED, ""), dtype="str"),
        }
    )
    services_table[N.USERS] = services_table[N.USERS].mask(hidden_s)

    # incidence by group: each (service, action) part shared among its users' groups
    key_of_pair = np.asarray(
        [f"{s}{_KEY_SEP}{a}" for s, a in zip(pair_service, pair_action, strict=True)], object
    )
    part_spending = pd.Series(pair_money, index=pd.Index(key_of_pair, dtype="str"), dtype="int64")
    inc_usage = pd.DataFrame(
        {
            # (service, action) parts as a categorical sorted as text: grouped and ordered as their texts
            C.SERVICE_CODE: pd.Series(sorted_categorical(pair_codes, key_of_pair))
            if n_pairs
            else pd.array(np.zeros(0, object), dtype="str"),
            C.PERSON_ID: records[C.PERSON_ID].to_numpy(),
            **{d: records[d].array for d in by if d in records.columns},
        }
    )
    groups, by_service = [], []
    for dimension in by:
        if dimension not in records.columns or not n_pairs:
            continue
        categories = by_values(inc_usage)
        if dimension == C.SEX:
            present = {str(v) for v in pd.unique(inc_usage[C.SEX].dropna())}
            present |= set(pd.unique(population[C.SEX].dropna().astype("str")).tolist())
            categories[C.SEX] = [c for c in C.SEX_CODES if c in present]
        result = benefit_incidence(
            part_spending, inc_usage, [dimension], population=population, categories=categories, k=k
        )
        g = result.by_group.rename(columns={dimension: N.GROUP})
        g[S.BY] = dimension
        g[S.FISCAL_YEAR] = np.int64(fiscal_year)
        groups.append(g)
        b = result.by_service.rename(columns={dimension: N.GROUP})
        split = b[C.SERVICE_CODE].astype("str").str.split(_KEY_SEP, n=1, expand=True)
        b[C.SERVICE_CODE] = split[0].astype("str")
        b[C.ACTION_CODE] = split[1].astype("str")
        b[S.BY] = dimension
        b[S.FISCAL_YEAR] = np.int64(fiscal_year)
        by_service.append(b)
    groups_table = (
        _typed(pd.concat(groups, ignore_index=True), S.INCIDENCE_GROUPS_COLUMNS)
        if groups
        else empty(S.INCIDENCE_GROUPS_COLUMNS)
    )
    by_service_table = (
        _typed(pd.concat(by_service, ignore_index=True), S.INCIDENCE_BY_SERVICE_COLUMNS)
        if by_service
        else empty(S.INCIDENCE_BY_SERVICE_COLUMNS)
    )
    return {
        "incidence_actions": actions_table[list(S.INCIDENCE_ACTIONS_COLUMNS)],
        "incidence_services": services_table[list(S.INCIDENCE_SERVICES_COLUMNS)],
        "incidence_groups": groups_table,
        "incidence_by_service": by_service_table,
    }


def _typed(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    for col in (S.BY, N.GROUP, C.SERVICE_CODE, C.ACTION_CODE, N.REASON):
        if col in frame.columns:
            frame[col] = frame[col].astype("str")
    return frame[list(columns)].reset_index(drop=True)
