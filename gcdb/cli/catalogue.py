"""``gcdb catalogue``: browse an equality action plan (YEEP) — areas, targets, actions, units, indicators.

    gcdb catalogue                       # summary: areas with their counts
    gcdb catalogue --area 7              # area 7: its targets and their actions
    gcdb catalogue --unit "Sağlık"       # actions the unit is responsible for (--role any: also cooperating)
    gcdb catalogue --year 2023 --area 3  # filters combine
    gcdb catalogue --action A7H1E2       # one action in full
    gcdb catalogue --indicators --area 7 # the area's indicators
    gcdb catalogue --plan DIR            # another plan in the same CSV format

Filters (``--area``, ``--target``, ``--unit``, ``--year``) combine; the actions are printed grouped by area and
target, in plan order. An unknown area, target, unit or action is a usage error (exit code 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gcdb import columns as C

#: Labels of this command's output in the catalogue (``cli.catalogue.<name>``); shared names are canonical
#: column labels (:func:`gcdb.i18n.label`).
_LABELS = frozenset(
    {
        "name",
        "targets",
        "actions",
        "indicators",
        "total",
        "start",
        "end",
        "responsible",
        "cooperating",
        "stakeholders",
        "no_responsible",
        "routine",
        "pandemic",
        "source_line",
        "printed_code",
        "unit",
        "role_responsible",
        "role_cooperating",
        "role_any",
        "active_in",
        "no_actions",
        "count",
        "ratio",
        "completion",
        "milestone",
        "other",
    }
)


def _t(key: str, lang: str) -> str:
    from gcdb.i18n import label, t

    if key in _LABELS:
        return t(f"cli.catalogue.{key}", lang)
    if key == "none":
        return "—"
    return label(key, lang)


def register(subparsers) -> None:
    from gcdb.cli.main import add_lang_option
    from gcdb.i18n import t

    parser = subparsers.add_parser(
        "catalogue", help=t("cli.catalogue.help"), description=t("cli.catalogue.description")
    )
    parser.add_argument("--area", type=int, metavar="N", help=t("cli.catalogue.area"))
    parser.add_argument("--target", metavar=t("cli.metavar.code"), help=t("cli.catalogue.target"))
    parser.add_argument("--unit", metavar=t("cli.metavar.text"), help=t("cli.catalogue.unit_opt"))
    parser.add_argument(
        "--role",
        choices=("responsible", "cooperating", "any"),
        default="responsible",
        help=t("cli.catalogue.role"),
    )
    parser.add_argument("--year", type=int, metavar=t("cli.metavar.year"), help=t("cli.catalogue.year"))
    parser.add_argument("--action", metavar=t("cli.metavar.code"), help=t("cli.catalogue.action"))
    parser.add_argument("--indicators", action="store_true", help=t("cli.catalogue.indicators_opt"))
    parser.add_argument("--plan", type=Path, metavar=t("cli.metavar.dir"), help=t("cli.catalogue.plan"))
    add_lang_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gcdb.catalogue import Catalogue

    catalogue = Catalogue.load(args.plan)
    sys.stdout.write(render(catalogue, args))
    return 0


def render(catalogue, args: argparse.Namespace) -> str:
    """The text ``gcdb catalogue`` prints for ``args`` (lookup errors become :class:`UsageError`)."""
    from gcdb.errors import CatalogueError, UsageError
    from gcdb.i18n import message_of

    try:
        if args.action:
            return _render_action(catalogue, args.action, args.lang)
        if args.indicators:
            return _render_indicators(catalogue, args.area, args.lang)
        if any(v is not None for v in (args.area, args.target, args.unit, args.year)):
            return _render_selection(catalogue, args)
        return _render_summary(catalogue, args.lang)
    except CatalogueError as exc:
        raise UsageError(message_of(exc)) from None


# ---------------------------------------------------------------------------------------------------------------
def _date(year: int, kind: str, lang: str) -> str:
    return str(year) if kind == "year" else _t(kind, lang)


def _printed_date(year: int, kind: str, text: str, lang: str) -> str:
    """``2021``; ``Rutin → 2024`` (the year a non-year cell stands for, after the printed words)."""
    return str(year) if kind == "year" else f"{text} → {year}"


def _render_summary(cat, lang: str) -> str:
    from gcdb.catalogue import schema as S
    from gcdb.i18n import format_int, t

    areas = cat.areas
    n_targets = cat.targets.groupby(S.AREA).size()
    n_actions = cat.actions.groupby(S.AREA).size()
    n_ind = cat.indicators.groupby(S.AREA).size()
    lines = [f"{cat.meta.plan_name} ({cat.meta.first_year}–{cat.meta.last_year})", ""]
    head = f"{_t(C.AREA, lang):>5}  {_t('name', lang):<62} {_t('targets', lang):>6} {_t('actions', lang):>6} {_t('indicators', lang):>9}"
    lines.append(head)
    for rec in areas.to_dict("records"):
        a = rec[S.AREA]
        lines.append(
            f"{a:>5}  {rec[S.NAME][:62]:<62} {int(n_targets.get(a, 0)):>6} {int(n_actions.get(a, 0)):>6} {int(n_ind.get(a, 0)):>9}"
        )
    lines.append("")
    lines.append(
        t(
            "cli.catalogue.totals",
            lang,
            areas=format_int(len(areas), lang),
            targets=format_int(len(cat.targets), lang),
            actions=format_int(len(cat.actions), lang),
            indicators=format_int(len(cat.indicators), lang),
        )
    )
    return "\n".join(lines) + "\n"


def _render_selection(cat, args) -> str:
    from gcdb.catalogue import schema as S
    from gcdb.i18n import format_int, t

    lang = args.lang
    actions = cat.actions
    header: list[str] = []
    if args.area is not None:
        actions = actions[actions[S.ACTION_CODE].isin(cat.actions_for_area(args.area)[S.ACTION_CODE])]
    if args.target is not None:
        actions = actions[actions[S.ACTION_CODE].isin(cat.actions_for_target(args.target)[S.ACTION_CODE])]
    if args.unit is not None:
        matched = cat.actions_for_unit(args.unit, role=args.role)
        names = cat.units.set_index(S.UNIT_ID)[S.NAME]
        unit_names = ", ".join(names[u] for u in cat.match_units(args.unit))
        header.append(f"{_t('unit', lang)}: {unit_names} ({_t('role_' + args.role, lang)})")
        actions = actions[actions[S.ACTION_CODE].isin(matched[S.ACTION_CODE])]
    if args.year is not None:
        actions = actions[actions[S.ACTION_CODE].isin(cat.actions_active_in(args.year)[S.ACTION_CODE])]
        header.append(f"{_t('active_in', lang)}: {args.year}")
    lines = header + ([""] if header else [])
    if actions.empty:
        return "\n".join([*lines, _t("no_actions", lang)]) + "\n"
    resp = cat.responsible_units().set_index(S.ACTION_CODE)[S.UNIT_ID]
    short = cat.units.set_index(S.UNIT_ID)[S.SHORT_NAME]
    areas = cat.areas.set_index(S.AREA)
    targets = cat.targets.set_index(S.TARGET_CODE)
    for area in sorted(actions[S.AREA].unique()):
        rec = areas.loc[area]
        lines.append(f"{_t(C.AREA, lang)} {area}: {rec[S.NAME]}")
        if isinstance(rec[S.GOAL], str):
            lines.append(f"  {rec[S.GOAL]}")
        in_area = actions[actions[S.AREA] == area]
        for target in in_area[S.TARGET_CODE].unique():
            lines.append(f"  {_t(C.TARGET_CODE, lang)} {target}: {targets.loc[target, S.TITLE]}")
            for a in in_area[in_area[S.TARGET_CODE] == target].to_dict("records"):
                period = f"{_date(a[S.EST_START], a[S.EST_START_KIND], lang)}–{_date(a[S.EST_END], a[S.EST_END_KIND], lang)}"
                unit = resp.get(a[S.ACTION_CODE])
                who = short.get(unit, unit) if isinstance(unit, str) else _t("no_responsible", lang)
                lines.append(f"    {a[S.ACTION_CODE]:<11} {period:<22} {str(who):<40} {a[S.TITLE]}")
        lines.append("")
    lines.append(t("cli.catalogue.total_actions", lang, n=format_int(len(actions), lang)))
    return "\n".join(lines) + "\n"


def _render_action(cat, code: str, lang: str) -> str:
    from gcdb.catalogue import schema as S

    a = cat.action(code)
    unit_names = cat.units.set_index(S.UNIT_ID)[S.NAME]
    st_names = cat.stakeholders.set_index(S.STAKEHOLDER_ID)[S.NAME]
    area_name = cat.areas.set_index(S.AREA).loc[a.area, S.NAME]
    target_title = cat.targets.set_index(S.TARGET_CODE).loc[a.target_code, S.TITLE]
    none = _t("none", lang)
    lines = [
        f"{a.action_code}  {a.title}",
        f"{_t(C.AREA, lang)} {a.area}: {area_name}",
        f"{_t(C.TARGET_CODE, lang)} {a.target_code}: {target_title}",
        f"{_t('start', lang)}: {_printed_date(a.est_start, a.est_start_kind, a.est_start_text, lang)}",
        f"{_t('end', lang)}: {_printed_date(a.est_end, a.est_end_kind, a.est_end_text, lang)}",
        f"{_t('responsible', lang)}: "
        + (unit_names.get(a.responsible, a.responsible) if a.responsible else _t("no_responsible", lang)),
        f"{_t('cooperating', lang)}: " + (", ".join(unit_names.get(u, u) for u in a.cooperating) or none),
        f"{_t('stakeholders', lang)}: " + (", ".join(st_names.get(s, s) for s in a.stakeholders) or none),
    ]
    if a.printed_code != a.action_code:
        lines.append(f"{_t('printed_code', lang)}: {a.printed_code}")
    if a.source_line is not None:
        lines.append(f"{_t('source_line', lang)}: {a.source_line}")
    return "\n".join(lines) + "\n"


def _render_indicators(cat, area: int | None, lang: str) -> str:
    from gcdb.catalogue import schema as S
    from gcdb.i18n import format_int, t

    ind = cat.indicators_for_area(area) if area is not None else cat.indicators
    lines = []
    for rec in ind.to_dict("records"):
        dims = rec[S.DIMENSIONS] if isinstance(rec[S.DIMENSIONS], str) else ""
        tag = _t(rec[S.KIND], lang) + (f"; {dims}" if dims else "")
        lines.append(f"{rec[S.INDICATOR_ID]:<8} [{tag}] {rec[S.TEXT]}")
    lines.append("")
    lines.append(t("cli.catalogue.total_indicators", lang, n=format_int(len(ind), lang)))
    return "\n".join(lines) + "\n"
