"""Coverage report of a tagging run: what the rules caught, what they missed, where they collide.

:class:`Coverage` holds DataFrames with fixed columns:

``summary``
    one row per measure — ``rows`` and each money phase present: ``total``, ``tagged`` (rows / kuruş of the lines
    some rule tagged), ``attributed`` (kuruş attributed to parts; NA for rows), ``tagged_share`` and
    ``attributed_share`` (for rows: mean ``tagged_share`` of the rows).
``rules``
    one row per rule, in file order: ``rule_id``, ``line``, ``priority``, ``actions``, ``matched_rows`` (rows whose
    condition holds), ``hits`` (rows it contributed to: under ``first`` the rows it won), ``overlap_rows`` (rows
    matched together with another rule), ``fired`` (hits > 0), then ``matched_<phase>`` (kuruş of the matched
    lines) and ``attributed_<phase>`` (kuruş attributed by the rule) per money phase.
``never_fired``
    rules with no hits: ``rule_id``, ``line``, ``description``, ``reason`` ("no row matches" or "always won by a
    higher-priority rule").
``overlaps``
    rows matched by several rules, per distinct set of rules: ``rule_ids`` ("|"-joined in precedence order),
    ``winner`` (the rule that takes the rows under ``first``; NA under ``all``), ``rows``, and per money phase the
    kuruş of those lines.
``untagged``
    the untagged rows (``row_id`` first), ranked by amount (revised appropriation, else initial appropriation,
    else expenditure; file order when the input has no money).
``untagged_groups``
    untagged rows grouped by the columns the rules read that have at most 1,000 distinct values (e.g.
    ``service_code``, ``sex``): those columns, ``rows`` and kuruş per phase, largest first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gcdb import columns as C

#: Columns with at most this many distinct values group the untagged rows.
GROUP_MAX_DISTINCT = 1000
#: Phase used to rank untagged rows, in order of preference.
RANK_PHASES = (C.REVISED_APPROPRIATION, C.INITIAL_APPROPRIATION, C.EXPENDITURE)


@dataclass(frozen=True)
class Coverage:
    """Coverage tables of one tagging run (see module docstring)."""

    summary: pd.DataFrame
    rules: pd.DataFrame
    never_fired: pd.DataFrame
    overlaps: pd.DataFrame
    untagged: pd.DataFrame
    untagged_groups: pd.DataFrame

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """The tables by name (for writing a workbook)."""
        return {
            "summary": self.summary,
            "rules": self.rules,
            "never_fired": self.never_fired,
            "overlaps": self.overlaps,
            "untagged": self.untagged,
            "untagged_groups": self.untagged_groups,
        }

    def share(self, measure: str = "rows") -> float:
        """Share of ``measure`` (``"rows"`` or a money phase) on tagged lines."""
        row = self.summary.loc[self.summary["measure"] == measure]
        if row.empty:
            raise KeyError(measure)
        return float(row["tagged_share"].iloc[0])


def _sum_by(ids: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Exact int64 sums of ``values`` per id."""
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, ids, values.astype(np.int64, copy=False))
    return out


def _ratio(part: float, whole: float) -> float:
    return float(part) / float(whole) if whole else float("nan")


def build_coverage(
    *,
    frame: pd.DataFrame,
    ruleset,
    mode: str,
    rules_by_rank: list,
    amounts: dict[str, np.ndarray],
    matches,
    resolution,
    tagged_sig: np.ndarray,
    tags: pd.DataFrame,
    tag_rank: np.ndarray,
    untagged: pd.DataFrame,
    view,
    columns: list[str],
) -> Coverage:
    """Assemble :class:`Coverage` from the engine's per-signature arrays (internal to :func:`gcdb.rules.tag`)."""
    n = len(frame)
    n_rules = len(rules_by_rank)
    phases = list(amounts)
    row_sig, n_sig = matches.row_sig, matches.n_sig
    pair_sig, pair_rank = matches.pair_sig, matches.pair_rank
    contrib_sig, contrib_rank, sig_share = (
        resolution.contrib_sig,
        resolution.contrib_rank,
        resolution.sig_share,
    )
    sig_rows = np.bincount(row_sig, minlength=n_sig).astype(np.int64)
    sig_money = {p: _sum_by(row_sig, amounts[p], n_sig) for p in phases}
    sig_size = np.bincount(pair_sig, minlength=n_sig)
    row_tagged = tagged_sig[row_sig]

    # summary
    records = [
        {
            "measure": "rows",
            "total": n,
            "tagged": int(row_tagged.sum()),
            "attributed": pd.NA,
            "tagged_share": _ratio(row_tagged.sum(), n),
            "attributed_share": float(sig_share[row_sig].mean()) if n else float("nan"),
        }
    ]
    for p in phases:
        total = int(amounts[p].sum())
        tagged = int(amounts[p][row_tagged].sum())
        attributed = int(tags[C.attributed(p)].sum())
        records.append(
            {
                "measure": p,
                "total": total,
                "tagged": tagged,
                "attributed": attributed,
                "tagged_share": _ratio(tagged, total),
                "attributed_share": _ratio(attributed, total),
            }
        )
    summary = pd.DataFrame(records).astype(
        {
            "measure": "str",
            "total": "int64",
            "tagged": "int64",
            "attributed": "Int64",
            "tagged_share": "float64",
            "attributed_share": "float64",
        }
    )

    # per rule (indexed by rank, reported in file order)
    matched_rows = np.bincount(pair_rank, weights=sig_rows[pair_sig], minlength=n_rules).astype(np.int64)
    hits = np.bincount(contrib_rank, weights=sig_rows[contrib_sig], minlength=n_rules).astype(np.int64)
    multi = sig_size[pair_sig] >= 2
    overlap_rows = np.bincount(pair_rank[multi], weights=sig_rows[pair_sig[multi]], minlength=n_rules).astype(
        np.int64
    )
    rule_frame: dict[str, object] = {
        C.RULE_ID: [r.id for r in rules_by_rank],
        "line": [r.line for r in rules_by_rank],
        "priority": [r.priority for r in rules_by_rank],
        "actions": ["|".join(r.then.actions) for r in rules_by_rank],
        "matched_rows": matched_rows,
        "hits": hits,
        "overlap_rows": overlap_rows,
        "fired": hits > 0,
    }
    for p in phases:
        rule_frame[f"matched_{p}"] = _sum_by(pair_rank, sig_money[p][pair_sig], n_rules)
    for p in phases:
        rule_frame[C.attributed(p)] = _sum_by(tag_rank, tags[C.attributed(p)].to_numpy(), n_rules)
    position = {r.id: i for i, r in enumerate(ruleset.rules)}
    rules = pd.DataFrame(rule_frame)
    rules = rules.iloc[np.argsort([position[r.id] for r in rules_by_rank], kind="stable")].reset_index(
        drop=True
    )
    rules = rules.astype({C.RULE_ID: "str", "actions": "str", "line": "int64", "priority": "int64"})

    silent = rules.loc[~rules["fired"], [C.RULE_ID, "line", "matched_rows"]].copy()
    descriptions = {r.id: r.description for r in ruleset.rules}
    silent["description"] = silent[C.RULE_ID].map(descriptions).astype("str")
    silent["reason"] = np.where(
        silent["matched_rows"].to_numpy() > 0, "always won by a higher-priority rule", "no row matches"
    )
    never_fired = (
        silent[[C.RULE_ID, "line", "description", "reason"]].reset_index(drop=True).astype({"reason": "str"})
    )

    # overlaps
    multi_sigs = np.flatnonzero((sig_size >= 2) & (sig_rows > 0))
    ends = np.cumsum(sig_size)
    starts = ends - sig_size
    overlaps = pd.DataFrame(
        {
            "rule_ids": pd.Series(
                ["|".join(rules_by_rank[r].id for r in pair_rank[starts[s] : ends[s]]) for s in multi_sigs],
                dtype="str",
            ),
            "winner": pd.Series(
                [rules_by_rank[resolution.winner[s]].id if mode == "first" else None for s in multi_sigs],
                dtype="str",
            ),
            "rows": pd.Series(sig_rows[multi_sigs], dtype="int64"),
            **{p: pd.Series(sig_money[p][multi_sigs], dtype="int64") for p in phases},
        }
    )
    sort_by = ["rows", *phases[:1]]
    overlaps = overlaps.sort_values(sort_by, ascending=False, kind="stable").reset_index(drop=True)

    # untagged, ranked by amount
    rank_phase = next((p for p in RANK_PHASES if p in phases), None)
    ranked = untagged
    if rank_phase is not None and len(untagged):
        ranked = untagged.sort_values(rank_phase, ascending=False, kind="stable")
    ranked = ranked.reset_index(drop=True)

    # untagged rows grouped by the low-cardinality columns the rules read
    groups = pd.DataFrame({"rows": pd.Series([], dtype="int64")})
    low = [c for c in columns if view.column(c).size <= GROUP_MAX_DISTINCT]
    if low and len(untagged):
        from gcdb.rules.compile import group_ids

        untagged_ids = untagged[C.ROW_ID].to_numpy()
        ids, first = group_ids([view.column(c).codes[untagged_ids] for c in low], len(untagged_ids))
        size = len(first)
        shown = [c for c in low if c in frame.columns]  # a column the input lacks reads as missing
        groups = frame[shown].iloc[untagged_ids[first]].reset_index(drop=True)
        groups["rows"] = np.bincount(ids, minlength=size).astype(np.int64)
        for p in phases:
            groups[p] = _sum_by(ids, amounts[p][untagged_ids], size)
        groups = groups.sort_values([*phases[:1], "rows"], ascending=False, kind="stable").reset_index(
            drop=True
        )

    return Coverage(summary, rules, never_fired, overlaps, ranked, groups)
