"""The :class:`Catalogue`: one equality plan, its tables behind properties and its lookups behind methods.

Every table comes back as a DataFrame with fixed columns (those of :mod:`gcdb.catalogue.schema`), whatever the
query matches, an empty frame included. Lookups of things that do not exist (an unknown action code, area,
target or unit name) raise :class:`gcdb.errors.CatalogueError` with the known values in the message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gcdb.catalogue import schema as S
from gcdb.catalogue.load import PlanData, load_plan, name_key, name_table
from gcdb.errors import CatalogueError
from gcdb.i18n import Message, t
from gcdb.text import map_distinct

#: ``role`` values accepted by :meth:`Catalogue.actions_for_unit`.
UNIT_ROLES = (S.RESPONSIBLE, S.COOPERATING, "any")

#: Columns of :meth:`Catalogue.actions_for_unit`: the action columns, then the matched unit and its role.
ACTIONS_FOR_UNIT_COLUMNS = (*S.ACTIONS_COLUMNS, S.UNIT_ID, S.ROLE)
#: Columns of :meth:`Catalogue.units_for_action`.
UNITS_FOR_ACTION_COLUMNS = (
    S.ACTION_CODE,
    S.ROLE,
    S.POSITION,
    S.UNIT_ID,
    S.NAME,
    S.SHORT_NAME,
    S.KIND,
    S.NAME_IN_PLAN,
)
#: Columns of :meth:`Catalogue.stakeholders_for_action`.
STAKEHOLDERS_FOR_ACTION_COLUMNS = (
    S.ACTION_CODE,
    S.POSITION,
    S.STAKEHOLDER_ID,
    S.NAME,
    S.SHORT_NAME,
    S.KIND,
    S.NAME_IN_PLAN,
)
YEAR_FROM, YEAR_TO, RESPONSIBLE_UNIT, DIMENSION = "year_from", "year_to", "responsible_unit", "dimension"
#: Columns of :meth:`Catalogue.budget_actions` (the budget-analysis contract in docs/contracts.md).
BUDGET_ACTIONS_COLUMNS = (S.ACTION_CODE, S.AREA, S.TARGET_CODE, S.TITLE, YEAR_FROM, YEAR_TO, RESPONSIBLE_UNIT)


@dataclass(frozen=True)
class ActionDetail:
    """One action with its links resolved. Dates: ``est_start``/``est_end`` are years; ``*_kind`` says how the
    plan wrote them (``year``, ``routine``, ``pandemic``) and ``*_text`` how it printed them."""

    action_code: str
    printed_code: str
    area: int
    target_code: str
    title: str
    est_start: int
    est_start_kind: str
    est_start_text: str
    est_end: int
    est_end_kind: str
    est_end_text: str
    responsible_missing: bool
    responsible: str | None  # unit_id
    cooperating: tuple[str, ...]  # unit_ids, plan order
    stakeholders: tuple[str, ...]  # stakeholder_ids, plan order
    source_line: int | None


class Catalogue:
    """An equality action plan (YEEP) loaded from a directory of CSV files and validated.

    >>> cat = Catalogue.load()                     # the shipped İBB plan 2021–2024
    >>> cat.actions_for_unit("Sağlık")             # actions Sağlık Daire Başkanlığı is responsible for
    >>> cat.validate_codes(["A7H1E2", "A9H9E9"])   # → ["A9H9E9"]
    """

    def __init__(self, data: PlanData):
        self._data = data
        f = data.frames
        self._actions = f[S.ACTIONS_FILE]
        self._codes = pd.Index(self._actions[S.ACTION_CODE])
        self._unit_names = name_table(f[S.UNITS_FILE], f[S.UNIT_ALIASES_FILE], S.UNIT_ID)
        self._stakeholder_names = name_table(
            f[S.STAKEHOLDERS_FILE], f[S.STAKEHOLDER_ALIASES_FILE], S.STAKEHOLDER_ID
        )

    # -- construction -------------------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path | None = None, *, lang: str | None = None) -> Catalogue:
        """Load and validate a plan directory or a plan workbook (``.xlsx``, see
        :mod:`gcdb.catalogue.template`); ``None`` loads the shipped İBB plan
        (``gcdb.paths.datasets() / "yeep_ibb_2021_2024"``). Raises :class:`CatalogueError` naming file, row and
        column of every problem, in ``lang`` (default: the current language, :mod:`gcdb.i18n`)."""
        from gcdb.i18n import using

        with using(lang):
            return cls(load_plan(path))

    def __repr__(self) -> str:
        m = self.meta
        return (
            f"Catalogue({m.plan_name!r}, {m.municipality}, {m.first_year}–{m.last_year}: "
            f"{len(self.areas)} areas, {len(self.targets)} targets, {len(self._actions)} actions, "
            f"{len(self.indicators)} indicators)"
        )

    def describe(self, lang: str | None = None) -> str:
        """One line for people, in ``lang`` (default: the current language): name, municipality, years and
        counts."""
        from gcdb.i18n import format_int, t

        m = self.meta
        return t(
            "catalogue.describe",
            lang,
            name=repr(m.plan_name),
            municipality=m.municipality,
            first=m.first_year,
            last=m.last_year,
            areas=format_int(len(self.areas), lang),
            targets=format_int(len(self.targets), lang),
            actions=format_int(len(self._actions), lang),
            indicators=format_int(len(self.indicators), lang),
        )

    # -- tables -------------------------------------------------------------------------------------------------
    def _frame(self, name: str) -> pd.DataFrame:
        return self._data.frames[name].copy(deep=False)

    @property
    def path(self) -> Path:
        return self._data.path

    @property
    def meta(self) -> S.PlanMeta:
        return self._data.meta

    @property
    def years(self) -> range:
        """The plan years, first to last inclusive."""
        return range(self.meta.first_year, self.meta.last_year + 1)

    @property
    def areas(self) -> pd.DataFrame:
        """Columns :data:`schema.AREAS_COLUMNS`."""
        return self._frame(S.AREAS_FILE)

    @property
    def targets(self) -> pd.DataFrame:
        """Columns :data:`schema.TARGETS_COLUMNS`."""
        return self._frame(S.TARGETS_FILE)

    @property
    def actions(self) -> pd.DataFrame:
        """Columns :data:`schema.ACTIONS_COLUMNS`, plan order."""
        return self._frame(S.ACTIONS_FILE)

    @property
    def action_units(self) -> pd.DataFrame:
        """Long table, columns :data:`schema.ACTION_UNITS_COLUMNS`."""
        return self._frame(S.ACTION_UNITS_FILE)

    @property
    def action_stakeholders(self) -> pd.DataFrame:
        """Long table, columns :data:`schema.ACTION_STAKEHOLDERS_COLUMNS`."""
        return self._frame(S.ACTION_STAKEHOLDERS_FILE)

    @property
    def indicators(self) -> pd.DataFrame:
        """Columns :data:`schema.INDICATORS_COLUMNS`."""
        return self._frame(S.INDICATORS_FILE)

    @property
    def corrections(self) -> pd.DataFrame:
        """Columns :data:`schema.CORRECTIONS_COLUMNS` (empty if the plan has none)."""
        return self._frame(S.CORRECTIONS_FILE)

    @property
    def units(self) -> pd.DataFrame:
        """Columns :data:`schema.UNITS_COLUMNS`."""
        return self._frame(S.UNITS_FILE)

    @property
    def unit_aliases(self) -> pd.DataFrame:
        return self._frame(S.UNIT_ALIASES_FILE)

    @property
    def stakeholders(self) -> pd.DataFrame:
        """Columns :data:`schema.STAKEHOLDERS_COLUMNS`."""
        return self._frame(S.STAKEHOLDERS_FILE)

    @property
    def stakeholder_aliases(self) -> pd.DataFrame:
        return self._frame(S.STAKEHOLDER_ALIASES_FILE)

    # -- codes --------------------------------------------------------------------------------------------------
    def has_action(self, code: str) -> bool:
        """Whether ``code`` is an action code of the plan (exact, e.g. ``A7H1E2`` or ``A11H3E1-2``)."""
        return isinstance(code, str) and code in self._codes

    def validate_codes(self, codes: Iterable[str]) -> list[str]:
        """The codes of ``codes`` that are not action codes of the plan, first-seen order, each once."""
        values = pd.unique(pd.Series(list(codes), dtype="object"))
        unknown = values[~pd.Index(values).isin(self._codes)]
        return [str(v) for v in unknown]

    def _require_action(self, code: str) -> int:
        if not self.has_action(code):
            close = [
                c for c in self._codes if isinstance(code, str) and c.startswith(code.split("E")[0] + "E")
            ]
            hint = t("catalogue.target_actions", actions=", ".join(close)) if close else ""
            raise CatalogueError(
                Message("catalogue.no_action", code=repr(code), plan=self.meta.plan_name, hint=hint)
            )
        return int(self._codes.get_loc(code))

    def action(self, code: str) -> ActionDetail:
        """One action with its responsible unit, cooperating units and stakeholders (ids, plan order)."""
        rec = self._actions.iloc[self._require_action(code)].to_dict()
        links = self._data.frames[S.ACTION_UNITS_FILE]
        mine = links[links[S.ACTION_CODE] == code].sort_values(S.POSITION)
        resp = mine.loc[mine[S.ROLE] == S.RESPONSIBLE, S.UNIT_ID]
        coop = mine.loc[mine[S.ROLE] == S.COOPERATING, S.UNIT_ID]
        stakeholders = self._data.frames[S.ACTION_STAKEHOLDERS_FILE]
        st = stakeholders[stakeholders[S.ACTION_CODE] == code].sort_values(S.POSITION)[S.STAKEHOLDER_ID]
        line = rec[S.SOURCE_LINE]
        return ActionDetail(
            action_code=rec[S.ACTION_CODE],
            printed_code=rec[S.PRINTED_CODE],
            area=int(rec[S.AREA]),
            target_code=rec[S.TARGET_CODE],
            title=rec[S.TITLE],
            est_start=int(rec[S.EST_START]),
            est_start_kind=rec[S.EST_START_KIND],
            est_start_text=rec[S.EST_START_TEXT],
            est_end=int(rec[S.EST_END]),
            est_end_kind=rec[S.EST_END_KIND],
            est_end_text=rec[S.EST_END_TEXT],
            responsible_missing=bool(rec[S.RESPONSIBLE_MISSING]),
            responsible=None if resp.empty or pd.isna(resp.iloc[0]) else str(resp.iloc[0]),
            cooperating=tuple(str(u) for u in coop.dropna()),
            stakeholders=tuple(str(s) for s in st.dropna()),
            source_line=None if pd.isna(line) else int(line),
        )

    # -- selections ---------------------------------------------------------------------------------------------
    def actions_for_area(self, area: int) -> pd.DataFrame:
        """Actions of priority area ``area`` (by the table they sit in), plan order."""
        areas = self._data.frames[S.AREAS_FILE][S.AREA]
        if not (areas == area).any():
            raise CatalogueError(
                Message("catalogue.no_area", area=repr(area), areas=", ".join(map(str, areas)))
            )
        return self._actions[self._actions[S.AREA] == area].reset_index(drop=True)

    def actions_for_target(self, target_code: str) -> pd.DataFrame:
        """Actions of one target (``A7H1``), plan order."""
        targets = self._data.frames[S.TARGETS_FILE][S.TARGET_CODE]
        if not (targets == target_code).any():
            raise CatalogueError(
                Message("catalogue.no_target", target=repr(target_code), targets=", ".join(targets))
            )
        return self._actions[self._actions[S.TARGET_CODE] == target_code].reset_index(drop=True)

    def actions_active_in(self, year: int) -> pd.DataFrame:
        """Actions whose estimated period covers ``year`` (``est_start <= year <= est_end``).

        *Rutin* (recurring) cells stand for the plan's first/last year, so a recurring action is active in every
        plan year; *Pandemi Süresince* stands for the window in ``meta.yaml`` (İBB: 2021–2022).
        """
        year = int(year)
        a = self._actions
        return a[(a[S.EST_START] <= year) & (a[S.EST_END] >= year)].reset_index(drop=True)

    def indicators_for_area(self, area: int) -> pd.DataFrame:
        """Indicators of one area, list order."""
        self.actions_for_area(area)  # validates the area
        ind = self._data.frames[S.INDICATORS_FILE]
        return ind[ind[S.AREA] == area].reset_index(drop=True)

    # -- units --------------------------------------------------------------------------------------------------
    def unit_id_for(self, name: str) -> str | None:
        """The unit_id a name stands for (its id, name, short name or an alias, compared folded), else None."""
        if not isinstance(name, str):
            return None
        hit = self._unit_names.loc[self._unit_names["folded"] == name_key(name), "id"].unique()
        return str(hit[0]) if len(hit) == 1 else None

    def unit_ids_for(self, names: pd.Series) -> pd.Series:
        """:meth:`unit_id_for` over a column (e.g. a budget's unit names), computed once per distinct value."""
        lookup = self._unit_names.drop_duplicates("folded").set_index("folded")["id"]
        folded = map_distinct(names, name_key)
        return folded.map(lookup).astype("str").rename(S.UNIT_ID)

    def stakeholder_id_for(self, name: str) -> str | None:
        """The stakeholder_id a name stands for (compared folded), else None."""
        if not isinstance(name, str):
            return None
        hit = self._stakeholder_names.loc[self._stakeholder_names["folded"] == name_key(name), "id"].unique()
        return str(hit[0]) if len(hit) == 1 else None

    def match_units(self, text: str) -> list[str]:
        """unit_ids matching ``text``: the exact (folded) name/alias if there is one, else every unit one of
        whose names contains ``text`` (folded). Empty list if none."""
        exact = self.unit_id_for(text)
        if exact is not None:
            return [exact]
        needle = name_key(text) if isinstance(text, str) else ""
        if not needle:
            return []
        table = self._unit_names
        hits = table.loc[table["folded"].str.contains(needle, regex=False), "id"]
        order = self._data.frames[S.UNITS_FILE][S.UNIT_ID]
        return [u for u in order if u in set(hits)]

    def actions_for_unit(self, text: str, *, role: str = S.RESPONSIBLE) -> pd.DataFrame:
        """Actions linked to the unit(s) ``text`` names (see :meth:`match_units`).

        ``role``: ``"responsible"`` (default), ``"cooperating"`` or ``"any"``. One row per (action, unit);
        columns :data:`ACTIONS_FOR_UNIT_COLUMNS`. Raises :class:`CatalogueError` if no unit matches.
        """
        if role not in UNIT_ROLES:
            raise CatalogueError(Message("catalogue.role", roles=", ".join(UNIT_ROLES), role=repr(role)))
        ids = self.match_units(text)
        if not ids:
            raise CatalogueError(
                Message(
                    "catalogue.no_unit",
                    text=repr(text),
                    units=", ".join(self._data.frames[S.UNITS_FILE][S.SHORT_NAME].dropna()),
                )
            )
        links = self._data.frames[S.ACTION_UNITS_FILE]
        mask = links[S.UNIT_ID].isin(ids)
        if role != "any":
            mask &= links[S.ROLE] == role
        chosen = links.loc[mask, [S.ACTION_CODE, S.UNIT_ID, S.ROLE]]
        order = pd.Series(np.arange(len(self._actions)), index=self._actions[S.ACTION_CODE])
        out = self._actions.merge(chosen, on=S.ACTION_CODE, how="inner")
        out = out.assign(_order=out[S.ACTION_CODE].map(order)).sort_values(
            ["_order", S.UNIT_ID], kind="stable"
        )
        return out.drop(columns="_order")[list(ACTIONS_FOR_UNIT_COLUMNS)].reset_index(drop=True)

    def units_for_action(self, code: str) -> pd.DataFrame:
        """The units of one action (responsible first), with their reference names. Columns
        :data:`UNITS_FOR_ACTION_COLUMNS`."""
        self._require_action(code)
        links = self._data.frames[S.ACTION_UNITS_FILE]
        mine = links[links[S.ACTION_CODE] == code].sort_values(S.POSITION)
        units = self._data.frames[S.UNITS_FILE][[S.UNIT_ID, S.NAME, S.SHORT_NAME, S.KIND]]
        out = mine.merge(units, on=S.UNIT_ID, how="left")
        return out[list(UNITS_FOR_ACTION_COLUMNS)].reset_index(drop=True)

    def stakeholders_for_action(self, code: str) -> pd.DataFrame:
        """The stakeholders of one action, plan order. Columns :data:`STAKEHOLDERS_FOR_ACTION_COLUMNS`."""
        self._require_action(code)
        links = self._data.frames[S.ACTION_STAKEHOLDERS_FILE]
        mine = links[links[S.ACTION_CODE] == code].sort_values(S.POSITION)
        ref = self._data.frames[S.STAKEHOLDERS_FILE][[S.STAKEHOLDER_ID, S.NAME, S.SHORT_NAME, S.KIND]]
        out = mine.merge(ref, on=S.STAKEHOLDER_ID, how="left")
        return out[list(STAKEHOLDERS_FOR_ACTION_COLUMNS)].reset_index(drop=True)

    def responsible_units(self) -> pd.DataFrame:
        """One row per action: ``action_code`` and its responsible ``unit_id`` (missing where the plan leaves the
        cell blank)."""
        links = self._data.frames[S.ACTION_UNITS_FILE]
        resp = links.loc[links[S.ROLE] == S.RESPONSIBLE, [S.ACTION_CODE, S.UNIT_ID]]
        return self._actions[[S.ACTION_CODE]].merge(resp, on=S.ACTION_CODE, how="left")

    def budget_actions(self) -> pd.DataFrame:
        """The plan as budget analysis takes it: columns :data:`BUDGET_ACTIONS_COLUMNS`; ``year_from``/``year_to``
        are ``est_start``/``est_end`` (recurring actions span the plan years); ``responsible_unit`` is the
        canonical unit name, missing where the plan names none."""
        resp = self.responsible_units()
        names = self._data.frames[S.UNITS_FILE].set_index(S.UNIT_ID)[S.NAME]
        a = self._actions
        return pd.DataFrame(
            {
                S.ACTION_CODE: a[S.ACTION_CODE],
                S.AREA: a[S.AREA],
                S.TARGET_CODE: a[S.TARGET_CODE],
                S.TITLE: a[S.TITLE],
                YEAR_FROM: a[S.EST_START],
                YEAR_TO: a[S.EST_END],
                RESPONSIBLE_UNIT: resp[S.UNIT_ID].map(names).astype("str"),
            }
        )

    def indicator_dimensions(self) -> pd.DataFrame:
        """Long table of the indicators' dimensions: ``indicator_id``, ``dimension``."""
        ind = self._data.frames[S.INDICATORS_FILE][[S.INDICATOR_ID, S.DIMENSIONS]].dropna()
        long = ind.assign(**{DIMENSION: ind[S.DIMENSIONS].str.split(S.DIMENSION_SEPARATOR)}).explode(
            DIMENSION
        )
        return long[[S.INDICATOR_ID, DIMENSION]].astype("str").reset_index(drop=True)
