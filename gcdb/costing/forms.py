"""What a collection workbook must produce: the fields of the costing and assessment tables, and a costing
template per unit generated from the plan catalogue.

The workbook layer (``gcdb.forms``) builds sheets from :func:`costing_fields` / :func:`assessment_fields` (column,
Turkish and English header, type, required, drop-down choices, help) and hands the filled table back to
:func:`gcdb.costing.read_costing` / :func:`gcdb.checklists.read_assessments`, which do all the checking. Headers may be
the canonical names or the Turkish labels given here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.costing import names as N
from gcdb.schemes import DECLARED_SHARE, load_schemes

Kind = Literal["text", "code", "integer", "decimal", "money", "share", "date", "choice"]


@dataclass(frozen=True)
class Field:
    """One column of a collection form."""

    name: str  # canonical column name (what the reader maps the header to)
    label_tr: str
    label_en: str
    kind: Kind
    required: bool
    choices: tuple[str, ...] = ()  # drop-down values (codes); empty = free entry
    help_tr: str = ""
    help_en: str = ""


def _label(name: str) -> tuple[str, str]:
    pair = N.LABELS.get(name) or C.LABELS.get(name) or (name, name)
    return pair[0], pair[1]


def costing_fields() -> tuple[Field, ...]:
    """The costing table's columns, in form order."""
    eu = tuple(c.code for c in load_schemes()["eu_cpr"].categories)
    spec: list[tuple[str, Kind, bool, tuple[str, ...], str, str]] = [
        (N.COST_LINE_ID, "text", True, (), "Her satıra tekil bir numara", "A unique id per line"),
        (C.ACTION_CODE, "code", True, (), "Eylem planındaki kod, ör. A2H3E2", "The plan's action code, e.g. A2H3E2"),
        (C.UNIT_NAME, "text", True, (), "Sorumlu birim", "Responsible unit"),
        (C.INSTITUTIONAL_CODE, "code", True, (), "99.99.99.99, ör. 46.34.01.16", "99.99.99.99, e.g. 46.34.01.16"),
        (N.ITEM, "text", True, (), "Ne için harcanacak", "What the money buys"),
        (N.MEASURE, "text", False, (), "kişi-ay, adet, m² …", "person-months, pieces, m² …"),
        (C.QUANTITY, "decimal", True, (), "0'dan büyük, en çok 4 ondalık", "Greater than 0, up to 4 decimals"),
        (N.UNIT_COST, "money", True, (), "TL, kuruşa kadar", "TL, to the kuruş"),
        (N.YEAR_FROM, "integer", True, (), "Mali yıl", "Fiscal year"),
        (N.YEAR_TO, "integer", False, (), "Boşsa başlangıç yılı", "Blank: the start year"),
        (C.FUNCTIONAL_CODE, "code", True, (), "99.9.9.99, ör. 10.9.0.00", "99.9.9.99, e.g. 10.9.0.00"),
        (C.FINANCING_TYPE, "choice", True, C.FINANCING_CODES, "5 öz kaynak, 7 dış kredi, 8 hibe", "5 own, 7 loans, 8 grants"),
        (C.ECONOMIC_CODE, "code", True, (), "99.9.9.99, ör. 03.5.9.90", "99.9.9.99, e.g. 03.5.9.90"),
        (C.DESCRIPTION, "text", False, (), "Bütçe satırının açıklaması (boşsa gider kalemi)", "Budget-line text (blank: the item)"),
        (C.ACTIVITY_CODE, "code", False, (), "Performans programı faaliyeti", "Performance-programme activity"),
        (N.EU_CPR, "choice", True, eu, "01 hedefli, 02 ana akım, 03 nötr", "01 targeting, 02 mainstreaming, 03 neutral"),
        (N.PH_HGDG, "decimal", False, (), "HGDG kontrol listesi puanı 0–20", "HGDG checklist score 0–20"),
        (N.OECD_DAC, "choice", False, ("2", "1", "0"), "OECD DAC işareti", "OECD DAC marker"),
        (N.INDIA_GBS, "choice", False, ("A", "B", "C"), "B ve C için pay gerekir", "B and C need a declared share"),
        (DECLARED_SHARE, "share", False, (), "0–1 ya da %0–%100", "0–1 or 0 %–100 %"),
        (N.NOTE, "text", False, (), "", ""),
    ]  # fmt: skip
    return tuple(
        Field(n, *_label(n), kind, req, choices, h_tr, h_en) for n, kind, req, choices, h_tr, h_en in spec
    )


def assessment_fields(checklist: Any) -> tuple[Field, ...]:
    """The assessment table's columns for ``checklist`` (one row per assessment × question); the answer's choices
    are the union of the checklist's answer codes (each question's own scale is in the checklist)."""
    from gcdb.checklists import names as CN

    labels = {**CN.LABELS}
    codes = tuple(dict.fromkeys(o.code for s in checklist.scales for o in s.options))
    questions = tuple(q.id for q in checklist.questions)
    spec: list[tuple[str, Kind, bool, tuple[str, ...]]] = [
        (CN.ASSESSMENT_ID, "text", True, ()),
        (CN.CHECKLIST_ID, "choice", False, (checklist.id,)),
        (CN.SUBJECT_ID, "text", True, ()),
        (CN.SUBJECT_NAME, "text", False, ()),
        (C.SERVICE_CODE, "code", False, ()),
        (C.DISTRICT, "text", False, ()),
        (CN.ASSESSED_ON, "date", False, ()),
        (C.FISCAL_YEAR, "integer", False, ()),
        (C.RULE_ID, "code", False, ()),
        (C.ACTION_CODE, "code", False, ()),
        (C.LINE_ID, "code", False, ()),
        (CN.QUESTION_ID, "choice", True, questions),
        (CN.ANSWER, "choice", True, codes),
        (CN.EVIDENCE, "text", False, ()),
        (CN.NOTE, "text", False, ()),
    ]
    out = []
    for name, kind, required, choices in spec:
        tr, en = labels.get(name) or C.LABELS.get(name) or (name, name)
        out.append(Field(name, tr, en, kind, required, choices))
    return tuple(out)


def costing_template(
    catalogue: Any,
    *,
    unit: str | None = None,
    years: tuple[int, int] = (2025, 2025),
    lines_per_action: int = 1,
    role: str = "responsible",
) -> pd.DataFrame:
    """``lines_per_action`` empty costing lines per plan action of ``unit`` (all units when None), with the action
    code, its title, the responsible unit and the years filled in: the rows a unit's costing workbook starts from.

    ``role``: the unit's actions as ``"responsible"`` unit (default), ``"cooperating"`` or ``"any"``.

    Columns: :func:`costing_fields` names plus ``title`` (the action's title, for the reader; not read back).
    """
    from gcdb.budget import names as BN

    plan = catalogue.budget_actions()
    if unit is not None:
        actions = catalogue.actions_for_unit(unit, role=role)
        plan = plan[plan[C.ACTION_CODE].isin(actions[C.ACTION_CODE])]
    active = plan[(plan[BN.YEAR_FROM] <= years[1]) & (plan[BN.YEAR_TO] >= years[0])]
    active = active if len(active) else plan  # a plan that ended: cost its actions for the new years anyway
    active = active.iloc[np.repeat(np.arange(len(active)), lines_per_action)].reset_index(drop=True)
    frame = pd.DataFrame(
        {f.name: pd.Series(pd.NA, index=range(len(active)), dtype="str") for f in costing_fields()}
    )
    frame[N.COST_LINE_ID] = "M" + pd.Series(range(1, len(active) + 1)).astype("str").str.zfill(3)
    frame[C.ACTION_CODE] = active[C.ACTION_CODE].to_numpy()
    frame[C.UNIT_NAME] = active[BN.RESPONSIBLE_UNIT].to_numpy()
    frame[N.YEAR_FROM] = str(years[0])
    frame[N.YEAR_TO] = str(years[1])
    frame.insert(2, BN.TITLE, active[BN.TITLE].to_numpy())
    return frame


def economic_level_1() -> dict[str, str]:
    """Economic classification level I (code → Turkish name), from :mod:`gcdb.classification`."""
    from gcdb import classification as K

    table = K.table(K.ECONOMIC)
    first = table[table["level"] == 1]
    return dict(zip(first["code"], first["name"], strict=True))
