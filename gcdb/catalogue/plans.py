"""Several equality plans in one run, and the crosswalk that follows an action from one plan period to the next.

:class:`PlanSet` holds plans of several municipalities, or several periods of one (2021–2024 and 2025–2028): its
tables are the plans' tables stacked, each row carrying ``plan_id`` and ``period`` first.

A :class:`Crosswalk` says what became of each action of one plan in the next (a CSV file or a spreadsheet sheet):

==============  ====================================================================================
``from_plan``   plan id of the earlier plan
``from_action`` action code in it
``to_plan``     plan id of the later plan
``to_action``   action code in it (empty when the action was dropped)
``relation``    ``continued`` (one to one), ``merged`` (several into one), ``split`` (one into several),
                ``dropped`` (no successor); Turkish: devam, birleşti, bölündü, kaldırıldı
``note``        free text (optional)
==============  ====================================================================================

:func:`read_crosswalk` checks it against both plans (codes exist, relations agree with how often codes repeat, no
duplicates; actions of the earlier plan it does not mention are warnings) and :meth:`Crosswalk.map_actions` maps
codes of one period to the other, so multi-year analyses follow an action across plans.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.catalogue import schema as S
from gcdb.catalogue.api import Catalogue
from gcdb.errors import CatalogueError, IssueCode, format_issues, issues_frame
from gcdb.i18n import Message, t
from gcdb.text import fold, map_distinct

PLAN_ID, PERIOD = "plan_id", "period"
FROM_PLAN, FROM_ACTION, TO_PLAN, TO_ACTION, RELATION, NOTE = (
    "from_plan",
    "from_action",
    "to_plan",
    "to_action",
    "relation",
    "note",
)
CROSSWALK_COLUMNS = (FROM_PLAN, FROM_ACTION, TO_PLAN, TO_ACTION, RELATION, NOTE)
CONTINUED, MERGED, SPLIT, DROPPED = "continued", "merged", "split", "dropped"
RELATIONS = (CONTINUED, MERGED, SPLIT, DROPPED)
#: Turkish headers and relation words accepted in a crosswalk file (compared folded).
HEADERS_TR = {
    "onceki plan": FROM_PLAN,
    "onceki eylem": FROM_ACTION,
    "yeni plan": TO_PLAN,
    "yeni eylem": TO_ACTION,
    "iliski": RELATION,
    "not": NOTE,
}
RELATIONS_TR = {"devam": CONTINUED, "birlesti": MERGED, "bolundu": SPLIT, "kaldirildi": DROPPED}
#: Columns of :meth:`Crosswalk.map_actions`.
MAP_COLUMNS = (FROM_ACTION, TO_ACTION, RELATION, "share")


class PlanSet:
    """Several plans (:class:`Catalogue`); tables stacked with ``plan_id`` and ``period`` on every row."""

    def __init__(self, catalogues: Iterable[Catalogue]):
        self._plans: dict[str, Catalogue] = {}
        for cat in catalogues:
            if cat.meta.plan_id in self._plans:
                raise CatalogueError(Message("catalogue.plan_twice", plan=repr(cat.meta.plan_id)))
            self._plans[cat.meta.plan_id] = cat
        if not self._plans:
            raise CatalogueError(Message("catalogue.no_plans"))

    @classmethod
    def load(cls, paths: Iterable[str | Path | None]) -> PlanSet:
        """Load each plan (directory or workbook; ``None`` = the shipped İBB plan)."""
        return cls(Catalogue.load(p) for p in paths)

    def __len__(self) -> int:
        return len(self._plans)

    def __iter__(self) -> Iterator[Catalogue]:
        return iter(self._plans.values())

    def __repr__(self) -> str:
        return f"PlanSet({', '.join(f'{i} {period(c)}' for i, c in self._plans.items())})"

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._plans)

    def plan(self, plan_id: str) -> Catalogue:
        if plan_id not in self._plans:
            raise CatalogueError(
                Message("catalogue.no_plan", plan=repr(plan_id), plans=", ".join(self._plans))
            )
        return self._plans[plan_id]

    def table(self, name: str) -> pd.DataFrame:
        """A catalogue table of every plan (a :class:`Catalogue` property name: ``actions``, ``targets`` …,
        or ``budget_actions``), with ``plan_id`` and ``period`` first."""
        parts = []
        for plan_id, cat in self._plans.items():
            frame = cat.budget_actions() if name == "budget_actions" else getattr(cat, name)
            parts.append(frame.assign(**{PLAN_ID: plan_id, PERIOD: period(cat)}))
        out = pd.concat(parts, ignore_index=True)
        first = [PLAN_ID, PERIOD]
        return out[first + [c for c in out.columns if c not in first]].astype({PLAN_ID: "str", PERIOD: "str"})

    @property
    def areas(self) -> pd.DataFrame:
        return self.table("areas")

    @property
    def targets(self) -> pd.DataFrame:
        return self.table("targets")

    @property
    def actions(self) -> pd.DataFrame:
        return self.table("actions")

    @property
    def action_units(self) -> pd.DataFrame:
        return self.table("action_units")

    @property
    def indicators(self) -> pd.DataFrame:
        return self.table("indicators")

    def budget_actions(self) -> pd.DataFrame:
        return self.table("budget_actions")


def period(cat: Catalogue) -> str:
    """``2021–2024``."""
    return f"{cat.meta.first_year}–{cat.meta.last_year}"


# ---------------------------------------------------------------------------------------------------------------
# crosswalk
# ---------------------------------------------------------------------------------------------------------------
class Crosswalk:
    """A checked crosswalk between two plans; ``frame`` has :data:`CROSSWALK_COLUMNS`."""

    def __init__(self, frame: pd.DataFrame, warnings: pd.DataFrame):
        self.frame = frame
        self.warnings = warnings

    def __repr__(self) -> str:
        counts = self.frame[RELATION].value_counts()
        return f"Crosswalk({len(self.frame)} rows: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + ")"

    def describe(self, lang: str | None = None) -> str:
        """One line for people, in ``lang`` (default: the current language): rows by relation."""
        from gcdb.i18n import format_int, t

        counts = self.frame[RELATION].value_counts()
        relations = ", ".join(f"{k} {format_int(int(v), lang)}" for k, v in counts.items())
        return t(
            "catalogue.crosswalk_describe", lang, n=format_int(len(self.frame), lang), relations=relations
        )

    def map_actions(self, codes: Iterable[str] | pd.Series, *, backwards: bool = False) -> pd.DataFrame:
        """Where each code of the earlier plan went (``backwards``: where each code of the later plan came from).

        One row per (code, successor): columns :data:`MAP_COLUMNS`; ``share`` is 1, or 1/n for an action split in
        n (to divide an amount), ``to_action`` is missing for a dropped action; codes the crosswalk does not
        mention come back with ``relation`` missing. Vectorised (one merge)."""
        codes = pd.Series(list(codes) if not isinstance(codes, pd.Series) else codes, dtype="str")
        src, dst = (TO_ACTION, FROM_ACTION) if backwards else (FROM_ACTION, TO_ACTION)
        links = self.frame[[src, dst, RELATION]].dropna(subset=[src])
        n = links.groupby(src)[dst].transform("count").where(lambda s: s > 0, 1)
        links = links.assign(share=1.0 / n)
        out = pd.DataFrame({src: codes}).merge(links, on=src, how="left")
        out = out.rename(columns={src: "_src", dst: "_dst"}).rename(
            columns={"_src": FROM_ACTION, "_dst": TO_ACTION}
        )
        return out[list(MAP_COLUMNS)].astype(
            {FROM_ACTION: "str", TO_ACTION: "str", RELATION: "str", "share": "float64"}
        )


def _issue(where: str, row, column, message, value=None, severity=C.ERROR) -> dict:
    return {
        C.ISSUE_FILE: where,
        C.ISSUE_ROW: row,
        C.ISSUE_COLUMN: column or "",
        C.ISSUE_CODE: str(IssueCode.INVALID_VALUE),
        C.ISSUE_SEVERITY: severity,
        C.ISSUE_MESSAGE: message,
        C.ISSUE_VALUE: None if value is None else str(value),
    }


def _read_crosswalk_frame(source: str | Path | pd.DataFrame) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        return source.astype("str").where(source.notna()), "<DataFrame>"
    path = Path(source)
    if not path.is_file():
        raise CatalogueError(Message("catalogue.crosswalk_not_found", path=str(path)))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, sheet_name=0, dtype="str")
    else:
        frame = pd.read_csv(
            path,
            dtype="str",
            keep_default_na=False,
            na_values=[""],
            sep=None,
            engine="python",
            encoding="utf-8-sig",
        )
    return frame, path.name


def read_crosswalk(source: str | Path | pd.DataFrame, earlier: Catalogue, later: Catalogue) -> Crosswalk:
    """Read and check a crosswalk from ``earlier`` to ``later`` (see the module doc). Raises
    :class:`CatalogueError` (its ``issues`` name row, column and value) when it has errors."""
    raw, where = _read_crosswalk_frame(source)
    raw = raw.rename(columns=lambda h: HEADERS_TR.get(fold(str(h)), str(h).strip()))
    issues: list[dict] = []
    missing = [c for c in CROSSWALK_COLUMNS if c not in raw.columns and c != NOTE]
    for col in missing:
        issues.append(
            _issue(where, 1, col, t("catalogue.crosswalk_missing", columns=", ".join(CROSSWALK_COLUMNS)))
        )
    if issues:
        _raise(where, issues)
    frame = raw.reindex(columns=list(CROSSWALK_COLUMNS)).astype("str")
    frame = frame.apply(lambda s: s.str.strip()).where(lambda f: f.notna() & (f != ""))
    frame[RELATION] = map_distinct(frame[RELATION], lambda v: RELATIONS_TR.get(fold(v), fold(v)))
    rows = np.arange(len(frame)) + 2

    def flag(mask, column, message, severity=C.ERROR):
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            issues.append(_issue(where, int(rows[i]), column, message, frame[column].iloc[i], severity))

    e_id, l_id = earlier.meta.plan_id, later.meta.plan_id
    flag(frame[FROM_PLAN].ne(e_id).fillna(True), FROM_PLAN, t("catalogue.crosswalk_earlier", plan=repr(e_id)))
    flag(frame[TO_PLAN].ne(l_id).fillna(True), TO_PLAN, t("catalogue.crosswalk_later", plan=repr(l_id)))
    flag(
        ~frame[RELATION].isin(RELATIONS),
        RELATION,
        t("catalogue.crosswalk_relation", relations=", ".join(RELATIONS)),
    )
    e_codes, l_codes = set(earlier.actions[S.ACTION_CODE]), set(later.actions[S.ACTION_CODE])
    flag(~frame[FROM_ACTION].isin(e_codes), FROM_ACTION, t("catalogue.crosswalk_not_action", plan=e_id))
    dropped = frame[RELATION] == DROPPED
    flag(dropped & frame[TO_ACTION].notna(), TO_ACTION, t("catalogue.crosswalk_dropped_successor"))
    flag(
        ~dropped & ~frame[TO_ACTION].isin(l_codes), TO_ACTION, t("catalogue.crosswalk_not_action", plan=l_id)
    )
    flag(
        frame.duplicated([FROM_ACTION, TO_ACTION], keep="first"),
        FROM_ACTION,
        t("catalogue.crosswalk_pair_twice"),
    )
    n_from = frame.groupby(FROM_ACTION)[FROM_ACTION].transform("size")
    n_to = frame.groupby(TO_ACTION)[TO_ACTION].transform("size").where(frame[TO_ACTION].notna(), 0)
    rel = frame[RELATION]
    flag(
        (rel == CONTINUED) & ((n_from > 1) | (n_to > 1)),
        RELATION,
        t("catalogue.crosswalk_continued"),
    )
    flag((rel == MERGED) & (n_to < 2), RELATION, t("catalogue.crosswalk_merged"))
    flag((rel == SPLIT) & (n_from < 2), RELATION, t("catalogue.crosswalk_split"))
    flag((rel == DROPPED) & (n_from > 1), RELATION, t("catalogue.crosswalk_dropped"))
    errors = [i for i in issues if i[C.ISSUE_SEVERITY] == C.ERROR]
    if errors:
        _raise(where, issues)
    unmapped = sorted(
        e_codes - set(frame[FROM_ACTION].dropna()), key=list(earlier.actions[S.ACTION_CODE]).index
    )
    warnings = issues_frame(
        [
            _issue(
                where,
                None,
                FROM_ACTION,
                t("catalogue.crosswalk_unmapped", plan=e_id),
                c,
                C.WARNING,
            )
            for c in unmapped
        ]
    )
    return Crosswalk(frame.reset_index(drop=True), warnings)


def _raise(where: str, issues: list[dict]) -> None:
    table = issues_frame(issues)
    err = CatalogueError(
        Message("catalogue.crosswalk_invalid", where=where, n=len(table))
        + "\n"
        + format_issues(table, limit=25)
    )
    err.issues = table
    raise err
