"""Costing on the forms layer: one costing workbook per unit (``gcdb plan cost template``) and the filled copies
read back into a validated costing (``gcdb plan cost`` on ``.xlsx`` returns).

The form (:func:`costing_form`, kind ``costing_sheet``) is built from :func:`gcdb.costing.forms.costing_fields`, the
contract the costing reader checks: one sheet *Maliyet* with, per plan action of the unit, ``lines_per_action``
blank cost lines — the line id, the action code and title, and the unit fixed (grey, locked); what is bought, the
quantity, unit cost, years, budget codes and the scheme categories to fill in (drop-downs for the financing type
and the EU CPR, OECD DAC and India GBS categories). Lines left blank are not costed; a line filled at all must be
complete.

:func:`read_costing_forms` reads any number of returned copies with :func:`gcdb.forms.read_form` (structure, row
keys, cell types, required fields, formulas, personal data — every problem with file, sheet and cell) and hands
the filled lines to :func:`gcdb.costing.read_costing`, which does every costing check; its issues are mapped back to
the form's cells. A year left blank is the template's first year (``year_from``) or the line's start year
(``year_to``). The result is a :class:`~gcdb.costing.read.CostingRead` like the one a CSV gives.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.costing import names as N
from gcdb.costing.forms import Field, costing_fields, costing_template
from gcdb.costing.read import CostingRead, read_costing
from gcdb.costing.tabular import FRAME_SOURCE
from gcdb.errors import UsageError
from gcdb.forms import (
    CELL,
    FORM_ISSUE_COLUMNS,
    SHEET,
    Choice,
    FieldKind,
    FormField,
    FormRead,
    FormSpec,
    IdentityField,
    SheetSpec,
    Text,
    concat_form_issues,
    read_form,
    write_form,
)
from gcdb.forms.sheet import SOURCE_ROW
from gcdb.i18n import Message
from gcdb.read.result import ISSUE_CODES
from gcdb.schemes import load_schemes
from gcdb.text import map_distinct

FORM_KIND: Final = "costing_sheet"
FORM_VERSION: Final = 1
LINES_SHEET: Final = "lines"
UNIT_ID, UNIT_NAME, YEARS, PLAN_ID, PLAN_VERSION = "unit_id", "unit_name", "years", "plan_id", "plan_version"
TITLE: Final = "title"
#: Cost lines per action a template offers (blank ones are not costed).
LINES_PER_ACTION: Final = 3
SOURCE_FILE: Final = "source_file"

_PATTERNS: Final = {
    C.ACTION_CODE: r"A\d+H\d+E\d+(-\d+)?",
    C.INSTITUTIONAL_CODE: r"\d{2}\.\d{2}\.\d{2}\.\d{2}",
    C.FUNCTIONAL_CODE: r"\d{2}\.\d(\.\d(\.\d{2})?)?",
    C.ECONOMIC_CODE: r"\d{2}\.\d(\.\d(\.\d{2})?)?",
}
_HINTS: Final = {
    C.INSTITUTIONAL_CODE: ("46.34.01.16 gibi", "like 46.34.01.16"),
    C.FUNCTIONAL_CODE: ("10.9.0.00 gibi", "like 10.9.0.00"),
    C.ECONOMIC_CODE: ("03.5.9.90 gibi", "like 03.5.9.90"),
}
_WIDTHS: Final = {N.ITEM: 34, C.DESCRIPTION: 34, N.NOTE: 24, N.MEASURE: 11, TITLE: 44}


def choice_code(code: str) -> str:
    """The form's identifier for a category or financing code (``01`` → ``c01``, ``03*`` → ``c03_review``)."""
    text = str(code).lower().replace("*", "_review")
    return "c" + re.sub(r"[^a-z0-9_]", "_", text)


def _choices(column: str) -> tuple[tuple[str, str, str], ...]:
    """(code, Turkish label, English label) of a choice column."""
    if column == C.FINANCING_TYPE:
        from gcdb import classification as K

        table = K.table(K.FINANCING)
        local = table[table["local_government"].to_numpy(dtype=bool)]
        return tuple(
            (str(c), f"{c} – {n}", f"{c} – {n}") for c, n in zip(local["code"], local["name"], strict=True)
        )
    scheme = load_schemes()[column.removeprefix("category_")]
    return tuple((c.code, f"{c.code} – {c.label_tr}", f"{c.code} – {c.label_en}") for c in scheme.categories)


_CHOICE_COLUMNS: Final = (C.FINANCING_TYPE, N.EU_CPR, N.OECD_DAC, N.INDIA_GBS)


def _fill_field(f: Field) -> FormField:
    label = Text(tr=f.label_tr, en=f.label_en)
    help_text = Text(tr=f.help_tr, en=f.help_en) if f.help_tr else None
    width = _WIDTHS.get(f.name, 14)
    if f.name in _CHOICE_COLUMNS:
        choices = tuple(
            Choice(code=choice_code(c), label=Text(tr=tr, en=en)) for c, tr, en in _choices(f.name)
        )
        return FormField(
            name=f.name, label=label, kind=FieldKind.CHOICE, choices=choices, required=f.required, width=18,
            help=help_text, wrap=True,
        )  # fmt: skip
    if f.name in (N.YEAR_FROM, N.YEAR_TO):
        return FormField(
            name=f.name, label=label, kind=FieldKind.INTEGER, minimum=1990, maximum=2100, width=10,
            help=Text(
                tr="Boşsa formun ilk yılı" if f.name == N.YEAR_FROM else "Boşsa başlangıç yılı",
                en="Blank: the form's first year" if f.name == N.YEAR_FROM else "Blank: the start year",
            ),
        )  # fmt: skip
    kind = {
        "integer": FieldKind.INTEGER,
        "decimal": FieldKind.DECIMAL,
        "money": FieldKind.MONEY,
        "share": FieldKind.PERCENT,
        "date": FieldKind.DATE,
    }.get(f.kind, FieldKind.TEXT)
    options: dict[str, Any] = {"kind": kind, "required": f.required, "width": width, "help": help_text}
    if kind in (FieldKind.DECIMAL, FieldKind.MONEY):
        options["minimum"] = 0
    if f.name == N.PH_HGDG:
        options["maximum"] = 20
    if kind == FieldKind.TEXT:
        options["max_length"] = 500
        options["wrap"] = width > 20
        if f.name in _PATTERNS:
            options["pattern"] = _PATTERNS[f.name]
            tr, en = _HINTS.get(f.name, (f.help_tr, f.help_en))
            options["pattern_hint"] = Text(tr=tr, en=en)
    return FormField(name=f.name, label=label, **options)


@cache
def costing_form() -> FormSpec:
    """The costing workbook's spec (see the module docstring)."""
    fields = {f.name: f for f in costing_fields()}
    fixed = (
        FormField(name=N.COST_LINE_ID, label=_text(fields[N.COST_LINE_ID]), fixed=True, key=True, width=11),
        FormField(name=C.ACTION_CODE, label=_text(fields[C.ACTION_CODE]), fixed=True, width=11),
        FormField(name=TITLE, label=Text(tr="Eylem", en="Action"), fixed=True, width=44, wrap=True),
        FormField(name=C.UNIT_NAME, label=_text(fields[C.UNIT_NAME]), fixed=True, width=24, wrap=True),
    )
    fill = tuple(
        _fill_field(f) for f in costing_fields() if f.name not in (N.COST_LINE_ID, C.ACTION_CODE, C.UNIT_NAME)
    )
    sheet = SheetSpec(
        key=LINES_SHEET,
        name=Text(tr="Maliyet", en="Costs"),
        title=Text(tr="Eylemlerin maliyeti", en="What the actions cost"),
        note=Text(
            tr="Her eylem için bir ya da birkaç satırı doldurunuz: ne için harcanacağı, miktar ve birim maliyet, yıllar, "
            "bütçe kodları ve kategori. Maliyetlendirmediğiniz satırları boş bırakınız.",
            en="Fill one or more lines per action: what the money buys, quantity and unit cost, years, budget codes "
            "and category. Leave the lines you do not cost blank.",
        ),
        fields=fixed + fill,
    )
    return FormSpec(
        kind=FORM_KIND,
        version=FORM_VERSION,
        title=Text(tr="Eşitlik Eylem Planı Maliyet Formu", en="Equality Action Plan Costing Form"),
        identity=(
            IdentityField(name=UNIT_NAME, label=Text(tr="Birim", en="Unit")),
            IdentityField(name=UNIT_ID, label=Text(tr="Birim Kodu", en="Unit id")),
            IdentityField(name=YEARS, label=Text(tr="Yıllar", en="Years")),
            IdentityField(name=PLAN_ID, label=Text(tr="Plan", en="Plan")),
            IdentityField(name=PLAN_VERSION, label=Text(tr="Plan Sürümü", en="Plan version")),
        ),
        instructions=(
            Text(
                tr="Bu form, biriminizin sorumlu olduğu eşitlik eylem planı eylemlerinin maliyetini toplamak içindir. "
                "Eşitlik Birimi formları birleştirerek bütçe teklifini (performans programı satırlarını) ve bu satırları "
                "kabul edilen bütçede yeniden bulacak kural setini hazırlar.",
                en="This form collects what the equality action plan's actions your unit is responsible for will cost. "
                "The Equality Unit combines the forms into the budget proposal (the performance programme's lines) and "
                "the rule set that finds those lines again in the adopted budget.",
            ),
            Text(
                tr="Her satır bir gider kalemidir: miktar × birim maliyet, başlangıç ve bitiş yılları arasındaki her yıl "
                "için istenir. Kurumsal, fonksiyonel ve ekonomik kodları analitik bütçe sınıflandırmasına göre, "
                "finansman tipini ve AB kategorisini listeden seçiniz; kategori 'Bölüm B/C' ise beyan edilen payı yazınız.",
                en="Each line is one item: quantity × unit cost is asked for every year from the start to the end year. "
                "Give the institutional, functional and economic codes of the analytic budget classification, pick the "
                "financing type and the EU category from the lists; for India GBS parts B and C give the declared share.",
            ),
        ),
        sheets=(sheet,),
    )


def _text(f: Field) -> Text:
    return Text(tr=f.label_tr, en=f.label_en)


# -- templates --------------------------------------------------------------------------------------------------
def template_name(unit_id: str, years: tuple[int, int]) -> str:
    """``maliyet_2025_2026_saglik.xlsx``."""
    return f"maliyet_{years[0]}_{years[1]}_{unit_id}.xlsx"


def template_rows(
    catalogue: Any, unit_id: str, years: tuple[int, int], lines_per_action: int
) -> pd.DataFrame:
    """The fixed cells of a unit's template: ``lines_per_action`` lines per action the unit is responsible for or
    cooperates on (a cooperating unit costs its own part)."""
    name = _unit_name(catalogue, unit_id)
    rows = costing_template(catalogue, unit=name, years=years, lines_per_action=lines_per_action, role="any")
    return pd.DataFrame(
        {
            N.COST_LINE_ID: rows[N.COST_LINE_ID],
            C.ACTION_CODE: rows[C.ACTION_CODE],
            TITLE: rows[TITLE],
            C.UNIT_NAME: name,
        }
    )


def _unit_name(catalogue: Any, unit_id: str) -> str:
    units = catalogue.units
    hit = units.loc[units["unit_id"] == unit_id, "name"]
    if hit.empty:
        raise UsageError(
            Message("costing.forms.unknown_unit", unit=repr(unit_id), units=", ".join(units["unit_id"]))
        )
    return str(hit.iloc[0])


def costing_units(catalogue: Any, units: Iterable[str] | None = None) -> list[str]:
    """Unit ids to send a costing form to: the named ones (ids, names or aliases), else every unit responsible for
    or cooperating on an action of the plan (the plan's own unit order, collective entries left out)."""
    from gcdb.monitor.templates import COLLECTIVE_RE
    from gcdb.text import fold_series

    table = catalogue.units
    if units:
        out = []
        for text in units:
            ids = catalogue.match_units(text)
            if len(ids) != 1:
                raise UsageError(
                    Message("costing.forms.unit_none", text=repr(text))
                    if not ids
                    else Message("costing.forms.unit_several", text=repr(text), units=", ".join(ids))
                )
            out.append(ids[0])
        return list(dict.fromkeys(out))
    linked = set(catalogue.action_units["unit_id"].dropna())
    collective = fold_series(table["name"]).str.contains(COLLECTIVE_RE, regex=True).to_numpy(dtype=bool)
    keep = table["unit_id"].isin(linked).to_numpy(dtype=bool) & ~collective
    return [str(u) for u in table.loc[keep, "unit_id"]]


def write_costing_templates(
    catalogue: Any,
    directory: str | os.PathLike,
    *,
    years: tuple[int, int],
    units: Iterable[str] | None = None,
    lines_per_action: int = LINES_PER_ACTION,
    lang: str = "tr",
    created: Any = None,
) -> list[Path]:
    """Write one costing workbook per unit (:func:`template_name`) into ``directory``; return the files."""
    from gcdb.monitor.templates import plan_version

    y0, y1 = (int(years[0]), int(years[1]))
    if y1 < y0:
        raise UsageError(Message("costing.forms.years", first=y0, last=y1))
    if not isinstance(lines_per_action, int) or not 1 <= lines_per_action <= 20:
        raise UsageError(f"lines_per_action must be 1–20, got {lines_per_action!r}")
    target = Path(directory)
    written = []
    version = plan_version(catalogue)
    for unit_id in costing_units(catalogue, units):
        rows = template_rows(catalogue, unit_id, (y0, y1), lines_per_action)
        if rows.empty:
            continue
        identity = {
            UNIT_NAME: rows[C.UNIT_NAME].iloc[0],
            UNIT_ID: unit_id,
            YEARS: f"{y0}–{y1}",
            PLAN_ID: catalogue.meta.plan_id,
            PLAN_VERSION: version,
        }
        path = target / template_name(unit_id, (y0, y1))
        write_form(
            costing_form(), path, identity=identity, rows={LINES_SHEET: rows}, lang=lang, created=created
        )
        written.append(path)
    return written


# -- reading returned copies ------------------------------------------------------------------------------------
def _tl(kurus: pd.Series) -> pd.Series:
    """Integer kuruş as exact TL text (``8500000`` → ``85000.00``), missing stays missing."""
    values = kurus.astype("Int64")
    sign = pd.Series(np.where(values.fillna(0).to_numpy() < 0, "-", ""), index=values.index, dtype="str")
    absolute = values.abs()
    text = sign + (absolute // 100).astype("str") + "." + (absolute % 100).astype("str").str.zfill(2)
    return text.where(values.notna())


def _number_text(values: pd.Series) -> pd.Series:
    return map_distinct(values.astype("Float64"), lambda v: f"{float(v):.10g}")


def form_lines(read: FormRead) -> pd.DataFrame:
    """The filled, valid lines of one returned copy as the costing reader's table: canonical columns, codes as
    text, money as TL text, shares as ``%``; ``source_file`` and ``source_row`` (the sheet row) added."""
    data = read.data.get(LINES_SHEET)
    if data is None or data.empty:
        return pd.DataFrame(columns=[*(f.name for f in costing_fields()), SOURCE_FILE, SOURCE_ROW])
    rows = data[data["filled"].to_numpy(dtype=bool)].reset_index(drop=True)
    first = _years_of(read)[0]
    out: dict[str, pd.Series] = {}
    for f in costing_fields():
        column = rows[f.name] if f.name in rows.columns else pd.Series(pd.NA, index=rows.index, dtype="str")
        if f.name in _CHOICE_COLUMNS:
            back = {choice_code(c): c for c, _, _ in _choices(f.name)}
            out[f.name] = column.map(back).astype("str")
        elif f.kind == "money":
            out[f.name] = _tl(column)
        elif f.kind == "share":
            out[f.name] = (_number_text(column) + "%").astype("str")
        elif f.name == N.YEAR_FROM:
            out[f.name] = column.astype("Int64").fillna(first).astype("str")
        elif f.kind in ("integer",):
            out[f.name] = column.astype("Int64").astype("str")
        elif f.kind == "decimal":
            out[f.name] = _number_text(column)
        else:
            out[f.name] = column.astype("str")
    frame = pd.DataFrame(out)
    frame[SOURCE_FILE] = read.source
    frame[SOURCE_ROW] = rows[SOURCE_ROW].to_numpy(dtype=np.int64)
    return frame


def _lang(read: FormRead) -> str:
    return read.key.lang if read.key is not None and read.key.lang in ("tr", "en") else "tr"


def _years_of(read: FormRead) -> tuple[int | None, int | None]:
    found = re.findall(r"\d{4}", read.identity.get(YEARS, ""))
    return (int(found[0]), int(found[-1])) if found else (None, None)


def is_costing_form(path: str | os.PathLike) -> bool:
    """Whether ``path`` is an ``.xlsx`` file with a gcdb form key (a copy of a form, not a plain table)."""
    from gcdb.forms import KEY_SHEET

    path = Path(path)
    if path.suffix.lower() != ".xlsx" or not path.is_file():
        return False
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception:  # an unreadable file is left to the table reader, which names the problem
        return False
    try:
        return KEY_SHEET in book.sheetnames
    finally:
        book.close()


def costing_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """``.xlsx`` files among ``paths`` (folders are searched, not recursively), sorted; Excel's lock files
    (``~$…``) left out."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.glob("*.xlsx") if not f.name.startswith("~$"))
        elif p.exists():
            out.append(p)
        else:
            raise UsageError(Message("monitor.collect.no_path", path=str(p)))
    return out


def read_costing_forms(
    paths: Sequence[str | os.PathLike],
    *,
    catalogue: Any = None,
    lang: str = "tr",
    strict: bool = False,
) -> CostingRead:
    """Read returned costing workbooks (files or folders of them) into one validated costing.

    Every copy is read with :func:`gcdb.forms.read_form` (copies of another form, version or plan version are
    refused); the filled lines go through :func:`gcdb.costing.read_costing` (with ``catalogue``). Issues name the
    file, sheet and cell (:data:`gcdb.forms.FORM_ISSUE_COLUMNS`); rows with errors are quarantined with their text.
    """
    from gcdb.monitor.templates import plan_version

    files = costing_files(paths)
    if not files:
        raise UsageError(Message("costing.forms.none"))
    expect = {PLAN_VERSION: plan_version(catalogue)} if hasattr(catalogue, "actions") else {}
    reads = [read_form(f, costing_form(), expect=expect, lang=lang) for f in files]
    lines = pd.concat([form_lines(r) for r in reads], ignore_index=True)
    table = lines.drop(columns=[SOURCE_FILE, SOURCE_ROW])
    costing = read_costing(table, catalogue=catalogue)
    located = _located_issues(costing.issues, lines, reads)
    source = files[0].name if len(files) == 1 else f"{len(files)} costing workbooks"
    located[C.ISSUE_FILE] = located[C.ISSUE_FILE].replace(FRAME_SOURCE, source)
    issues = concat_form_issues([*(r.issues for r in reads), located])
    data = costing.data.copy()
    position = data[C.SOURCE_ROW].to_numpy(dtype=np.int64) - 2
    data[C.SOURCE_ROW] = lines[SOURCE_ROW].to_numpy(dtype=np.int64)[position]
    quarantine = _quarantine(costing.quarantine, lines, reads)
    recon = costing.reconciliation.copy()
    form_quarantined = sum(len(r.quarantine.get(LINES_SHEET, ())) for r in reads)
    rows = recon["measure"] == "rows"
    recon.loc[rows, "read"] += form_quarantined
    recon.loc[rows, "quarantined"] += form_quarantined
    fields = {f: getattr(costing, f) for f in costing.__dataclass_fields__}
    result = CostingRead(
        **(
            fields
            | {
                "data": data,
                "issues": issues,
                "quarantine": quarantine,
                "reconciliation": recon,
                "source": source,
                "refused": all(r.refused for r in reads),
            }
        )
    )
    if strict and not result.ok:
        from gcdb.errors import DataValidationError

        raise DataValidationError(result.summary(), result.issues)
    return result


def take(values: np.ndarray, at: np.ndarray, ok: np.ndarray, fill: Any) -> np.ndarray:
    """``values[at]`` where ``ok``, ``fill`` elsewhere (also when ``values`` is empty)."""
    if len(values) == 0:
        return np.full(len(at), fill, dtype=object if isinstance(fill, str) else np.int64)
    return np.where(ok, values[np.where(ok, at, 0)], fill)


def _located_issues(issues: pd.DataFrame, lines: pd.DataFrame, reads: list[FormRead]) -> pd.DataFrame:
    """The costing reader's issues on the combined table, moved to the form's file, sheet, row and cell."""
    if issues.empty:
        return concat_form_issues([])
    frame = issues.reset_index(drop=True)
    row = frame[C.ISSUE_ROW].astype("Int64")
    position = (row - 2).fillna(-1).to_numpy(dtype=np.int64)
    ok = position >= 0
    files = take(lines[SOURCE_FILE].to_numpy(dtype=object), position, ok, "")
    sheet_rows = take(lines[SOURCE_ROW].to_numpy(dtype=np.int64), position, ok, 0)
    from xlsxwriter.utility import xl_col_to_name

    spec = costing_form().sheet(LINES_SHEET)
    layout = pd.DataFrame(
        [
            (
                r.source,
                r.sheet_name(LINES_SHEET),
                name,
                xl_col_to_name(col),
                spec.field(name).label.get(_lang(r)),
            )
            for r in reads
            if not r.refused
            for name, col in r.columns.get(LINES_SHEET, {}).items()
        ],
        columns=["_file", "_tab", "_name", "_letter", "_header"],
    )
    where = pd.DataFrame({"_file": files, "_name": frame[C.ISSUE_COLUMN].astype("str").fillna("").to_numpy()})
    where = where.merge(layout, on=["_file", "_name"], how="left")
    tabs = pd.Series(files).map({r.source: r.sheet_name(LINES_SHEET) for r in reads}).fillna("")
    cells = (where["_tab"] + "!" + where["_letter"] + pd.Series(sheet_rows).astype("str")).where(
        pd.Series(ok) & where["_letter"].notna(), ""
    )
    sheet_row_of = lines[SOURCE_ROW].to_numpy(dtype=np.int64)
    messages = (
        frame[C.ISSUE_MESSAGE]
        .astype("str")
        .str.replace(  # "as row 5": the table's row → the sheet's
            r"\brow (\d+)", lambda m: f"row {sheet_row_of[int(m.group(1)) - 2]}", regex=True
        )
    )
    out = frame.assign(
        **{
            C.ISSUE_MESSAGE: messages,
            C.ISSUE_FILE: pd.Series(np.where(ok, files, frame[C.ISSUE_FILE]), dtype="str"),
            C.ISSUE_ROW: pd.Series(np.where(ok, sheet_rows, row.fillna(0)), dtype="Int64").where(
                pd.Series(ok) | row.notna()
            ),
            C.ISSUE_COLUMN: where["_header"].fillna(where["_name"]).astype("str"),
            SHEET: tabs.astype("str"),
            CELL: cells.astype("str"),
        }
    )
    return out[list(FORM_ISSUE_COLUMNS)]


def _quarantine(costing_q: pd.DataFrame, lines: pd.DataFrame, reads: list[FormRead]) -> pd.DataFrame:
    """Rows with errors: the forms' own quarantine (cell texts) and the lines the costing reader refused."""
    parts = []
    for r in reads:
        q = r.quarantine.get(LINES_SHEET)
        if q is not None and len(q):
            parts.append(q.assign(**{SOURCE_FILE: r.source}))
    if len(costing_q):
        position = costing_q[C.SOURCE_ROW].to_numpy(dtype=np.int64) - 2
        parts.append(
            costing_q.assign(
                **{
                    SOURCE_FILE: lines[SOURCE_FILE].to_numpy(dtype=object)[position],
                    C.SOURCE_ROW: lines[SOURCE_ROW].to_numpy(dtype=np.int64)[position],
                }
            )
        )
    if not parts:
        return pd.DataFrame({SOURCE_FILE: pd.Series(dtype="str"), C.SOURCE_ROW: pd.Series(dtype="int64"),
                             ISSUE_CODES: pd.Series(dtype="str")})  # fmt: skip
    out = pd.concat(parts, ignore_index=True)
    first = [SOURCE_FILE, C.SOURCE_ROW]
    return out[first + [c for c in out.columns if c not in first]]


__all__ = [
    "FORM_KIND",
    "FORM_VERSION",
    "LINES_PER_ACTION",
    "LINES_SHEET",
    "choice_code",
    "costing_files",
    "costing_form",
    "costing_units",
    "is_costing_form",
    "form_lines",
    "read_costing_forms",
    "template_name",
    "take",
    "template_rows",
    "write_costing_templates",
]
