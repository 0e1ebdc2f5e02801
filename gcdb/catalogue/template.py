"""Any municipality's equality plan as a spreadsheet: the template gcdb writes, and the reader that checks it.

``gcdb plan template --out plan.xlsx`` writes :func:`write_plan_workbook`: one sheet per table of the catalogue
format (:mod:`gcdb.catalogue.schema`) with Turkish headers, an instructions sheet, a plan-information sheet, and
drop-down lists where a column takes a fixed vocabulary. A planning team fills it in; ``gcdb plan check plan.xlsx``
and ``Catalogue.load("plan.xlsx")`` read it back (:func:`read_plan_workbook`) with every check the CSV format has,
each problem named by sheet, row and column (Turkish header).

Cells a team may leave empty are filled in on reading: the printed code (= the code), the action and target
numbers (their position in the target / area), the date kind (``year``) and its text (the year), whether the
responsible unit is missing (from the links), the indicator number (its position in the area).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pandas as pd
from pydantic import ValidationError

from gcdb import columns as C
from gcdb.catalogue import schema as S
from gcdb.catalogue.load import PlanData, cross_check, typed_table
from gcdb.errors import CatalogueError, IssueCode, format_issues, issues_frame
from gcdb.i18n import Message, pydantic_message, t
from gcdb.read.numbers import cell_text

META_SHEET = "Plan Bilgisi"
HELP_SHEET = "Açıklamalar"

#: Sheet title and Turkish header of every column, per catalogue table.
SHEETS: dict[str, tuple[str, dict[str, str]]] = {
    S.AREAS_FILE: (
        "Amaçlar",
        {S.AREA: "Amaç No", S.NAME: "Öncelikli Alan", S.GOAL: "Amaç", S.SOURCE_LINE: "Kaynak Satır"},
    ),
    S.TARGETS_FILE: (
        "Hedefler",
        {
            S.TARGET_CODE: "Hedef Kodu",
            S.AREA: "Amaç No",
            S.TARGET: "Hedef No",
            S.TITLE: "Hedef",
            S.SOURCE_LINE: "Kaynak Satır",
        },
    ),
    S.ACTIONS_FILE: (
        "Eylemler",
        {
            S.ACTION_CODE: "Eylem Kodu",
            S.PRINTED_CODE: "Planda Yazan Kod",
            S.AREA: "Amaç No",
            S.TARGET_CODE: "Hedef Kodu",
            S.ACTION: "Eylem No",
            S.TITLE: "Eylem",
            S.EST_START: "Tahmini Başlama Yılı",
            S.EST_START_KIND: "Başlama Türü",
            S.EST_START_TEXT: "Başlama (Planda Yazan)",
            S.EST_END: "Tahmini Bitiş Yılı",
            S.EST_END_KIND: "Bitiş Türü",
            S.EST_END_TEXT: "Bitiş (Planda Yazan)",
            S.RESPONSIBLE_MISSING: "Sorumlu Birim Yok",
            S.SOURCE_LINE: "Kaynak Satır",
        },
    ),
    S.ACTION_UNITS_FILE: (
        "Eylem-Birim",
        {
            S.ACTION_CODE: "Eylem Kodu",
            S.ROLE: "Rol",
            S.POSITION: "Sıra",
            S.UNIT_ID: "Birim Kimliği",
            S.NAME_IN_PLAN: "Planda Yazan Ad",
        },
    ),
    S.ACTION_STAKEHOLDERS_FILE: (
        "Eylem-Paydaş",
        {
            S.ACTION_CODE: "Eylem Kodu",
            S.POSITION: "Sıra",
            S.STAKEHOLDER_ID: "Paydaş Kimliği",
            S.NAME_IN_PLAN: "Planda Yazan Ad",
        },
    ),
    S.INDICATORS_FILE: (
        "Göstergeler",
        {
            S.INDICATOR_ID: "Gösterge Kodu",
            S.AREA: "Amaç No",
            S.NUMBER: "Gösterge No",
            S.TEXT: "Gösterge",
            S.KIND: "Tür",
            S.DIMENSIONS: "Kırılımlar",
            S.SOURCE_LINE: "Kaynak Satır",
        },
    ),
    S.UNITS_FILE: (
        "Birimler",
        {
            S.UNIT_ID: "Birim Kimliği",
            S.NAME: "Birim Adı",
            S.SHORT_NAME: "Kısa Ad",
            S.KIND: "Tür",
            S.PARENT_UNIT_ID: "Bağlı Olduğu Birim",
        },
    ),
    S.UNIT_ALIASES_FILE: (
        "Birim Diğer Adları",
        {S.ALIAS: "Diğer Ad", S.UNIT_ID: "Birim Kimliği", S.ALIAS_KIND: "Tür", S.NOTE: "Not"},
    ),
    S.STAKEHOLDERS_FILE: (
        "Paydaşlar",
        {S.STAKEHOLDER_ID: "Paydaş Kimliği", S.NAME: "Paydaş Adı", S.SHORT_NAME: "Kısa Ad", S.KIND: "Tür"},
    ),
    S.STAKEHOLDER_ALIASES_FILE: (
        "Paydaş Diğer Adları",
        {S.ALIAS: "Diğer Ad", S.STAKEHOLDER_ID: "Paydaş Kimliği", S.ALIAS_KIND: "Tür", S.NOTE: "Not"},
    ),
    S.CORRECTIONS_FILE: (
        "Düzeltmeler",
        {
            S.CORRECTION_ID: "Düzeltme No",
            S.KIND: "Tür",
            S.SOURCE_LINE: "Kaynak Satır",
            S.SUBJECT: "Konu",
            S.TEXT_SAYS: "Metinde Yazan",
            S.DATASET_RECORDS: "Veri Setinde",
            S.REASON: "Gerekçe",
        },
    ),
}
#: Sheets that may be left out of a workbook (empty tables).
OPTIONAL = (S.CORRECTIONS_FILE, S.UNIT_ALIASES_FILE, S.STAKEHOLDER_ALIASES_FILE, S.ACTION_STAKEHOLDERS_FILE)

#: Plan information: key, Turkish label, help.
META_FIELDS = (
    ("plan_id", "Plan kimliği", "küçük harf, rakam ve _ (ör. ornekkoy_yeep_2025_2028)"),
    ("plan_name", "Plan adı", ""),
    ("municipality", "Belediye", ""),
    ("first_year", "İlk yıl", "planın ilk yılı"),
    ("last_year", "Son yıl", "planın son yılı"),
    ("language", "Dil", "tr"),
    ("source.title", "Kaynak belge", "planın yayımlandığı belge"),
    ("source.publisher", "Yayımlayan", ""),
    ("source.file", "Kaynak dosya", "isteğe bağlı"),
    ("source.note", "Kaynak notu", "isteğe bağlı"),
    ("date_kinds.routine.start", "Rutin: başlangıç yılı", "boşsa planın ilk yılı"),
    ("date_kinds.routine.end", "Rutin: bitiş yılı", "boşsa planın son yılı"),
    ("date_kinds.pandemic.start", "Pandemi süresince: başlangıç yılı", "yalnız planda kullanılıyorsa"),
    ("date_kinds.pandemic.end", "Pandemi süresince: bitiş yılı", ""),
    ("codes.target", "Hedef kodu kalıbı", "isteğe bağlı düzenli ifade; boşsa planın kodlarından çıkarılır"),
    ("codes.action", "Eylem kodu kalıbı", "isteğe bağlı düzenli ifade"),
    ("codes.indicator", "Gösterge kodu kalıbı", "isteğe bağlı düzenli ifade"),
)
#: Drop-down lists: (table, column) → allowed values.
CHOICES = {
    (S.ACTIONS_FILE, S.EST_START_KIND): S.DATE_KINDS,
    (S.ACTIONS_FILE, S.EST_END_KIND): S.DATE_KINDS,
    (S.ACTIONS_FILE, S.RESPONSIBLE_MISSING): ("true", "false"),
    (S.ACTION_UNITS_FILE, S.ROLE): S.ROLES,
    (S.INDICATORS_FILE, S.KIND): S.INDICATOR_KINDS,
    (S.UNITS_FILE, S.KIND): S.UNIT_KINDS,
    (S.UNIT_ALIASES_FILE, S.ALIAS_KIND): S.ALIAS_KINDS,
    (S.STAKEHOLDERS_FILE, S.KIND): S.STAKEHOLDER_KINDS,
    (S.STAKEHOLDER_ALIASES_FILE, S.ALIAS_KIND): S.ALIAS_KINDS,
    (S.CORRECTIONS_FILE, S.KIND): S.CORRECTION_KINDS,
}
#: Turkish words accepted for the controlled values (folded forms are compared).
SYNONYMS = {
    S.ROLE: {"sorumlu": S.RESPONSIBLE, "isbirligi": S.COOPERATING, "işbirliği": S.COOPERATING},
    S.EST_START_KIND: {"yil": S.YEAR, "yıl": S.YEAR, "rutin": S.ROUTINE, "pandemi": S.PANDEMIC},
    S.EST_END_KIND: {"yil": S.YEAR, "yıl": S.YEAR, "rutin": S.ROUTINE, "pandemi": S.PANDEMIC},
    S.RESPONSIBLE_MISSING: {"evet": "true", "hayir": "false", "hayır": "false"},
}

HELP = (
    "Bu çalışma kitabı bir Yerel Eşitlik Eylem Planını gcdb'nin okuyabileceği biçimde tutar.",
    "Her sayfa bir tablodur; ilk satır başlıktır, başlıkları değiştirmeyin. Boş satır bırakmayın.",
    "Plan Bilgisi: planın kimliği, adı, belediye ve yılları (zorunlu).",
    "Amaçlar → Hedefler → Eylemler: her eylemin hedefi Hedefler sayfasında, her hedefin amacı Amaçlar sayfasında olmalı.",
    "Kodlar planın kendi kodlarıdır (A7H1E2 gibi ya da başka bir biçim); aynı kod iki kez kullanılamaz.",
    "Eylem-Birim: her eylemin bir Sorumlu Birimi (Rol = responsible, Sıra = 1) ve isteğe bağlı İşbirliği Birimleri "
    "(cooperating, Sıra 2, 3 …) olur; Birim Kimliği Birimler sayfasında olmalı.",
    "Eylem-Paydaş: dış paydaşlar (STK'lar, üniversiteler, muhtarlıklar …); Paydaş Kimliği Paydaşlar sayfasında olmalı.",
    "Boş bırakılabilenler: Planda Yazan Kod (= Eylem Kodu), Eylem No ve Hedef No (sırası), Başlama/Bitiş Türü "
    "(year), Planda Yazan (yıl), Sorumlu Birim Yok (bağlantılardan), Gösterge No (sırası), Kaynak Satır.",
    "Tür sütunlarında açılır listedeki değerleri kullanın. Tarih türleri: year (yıl), routine (Rutin: planın "
    "tüm yılları), pandemic (Pandemi Süresince: Plan Bilgisi'ndeki yıllar).",
    "Denetim: gcdb plan check plan.xlsx — her sorun sayfa, satır ve sütun adıyla listelenir.",
)


# ---------------------------------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------------------------------
def _meta_values(meta: S.PlanMeta | None) -> dict[str, Any]:
    if meta is None:
        return {"language": "tr", "first_year": None, "last_year": None}
    flat: dict[str, Any] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
        else:
            flat[prefix] = value

    walk("", meta.model_dump(exclude={"schema_version", "reference"}, exclude_none=True))
    return flat


def write_plan_workbook(path: str | Path, catalogue=None) -> Path:
    """Write the plan template to ``path`` (.xlsx): empty, or filled with ``catalogue`` (a
    :class:`~gcdb.catalogue.Catalogue`, e.g. to move a CSV plan into a spreadsheet). Returns the path."""
    import xlsxwriter

    path = Path(path)
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties(
        {
            "title": "Yerel Eşitlik Eylem Planı (gcdb şablonu)",
            "created": pd.Timestamp(2024, 1, 1).to_pydatetime(),
        }
    )
    head = book.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top", "border": 1}
    )
    text = book.add_format({"quote_prefix": True})  # text can never become a formula
    title = book.add_format({"bold": True, "font_size": 13})

    ws = book.add_worksheet(HELP_SHEET)
    ws.set_column(0, 0, 90)
    wrap = book.add_format({"quote_prefix": True, "text_wrap": True, "valign": "top"})
    ws.write_string(0, 0, "Yerel Eşitlik Eylem Planı — gcdb şablonu", title)
    for i, line in enumerate(HELP, start=2):
        ws.write_string(i, 0, line, wrap)
    ws.fit_to_pages(1, 0)

    ws = book.add_worksheet(META_SHEET)
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 36)
    ws.set_column(2, 2, 60)
    ws.set_column(3, 3, 60)
    for j, h in enumerate(("Alan", "Açıklama", "Değer", "Not")):
        ws.write_string(0, j, h, head)
    values = _meta_values(catalogue.meta if catalogue is not None else None)
    for i, (key, label, note) in enumerate(META_FIELDS, start=1):
        ws.write_string(i, 0, key, text)
        ws.write_string(i, 1, label, text)
        value = values.get(key)
        if isinstance(value, int | np.integer) and not isinstance(value, bool):
            ws.write_number(i, 2, int(value))
        elif value is not None:
            ws.write_string(i, 2, str(value), text)
        if note:
            ws.write_string(i, 3, note, text)
    ws.freeze_panes(1, 0)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)

    for name, (sheet, headers) in SHEETS.items():
        frame = (
            getattr(catalogue, _PROPERTY[name])
            if catalogue is not None
            else pd.DataFrame(columns=list(headers))
        )
        ws = book.add_worksheet(sheet)
        for j, (col, header) in enumerate(headers.items()):
            ws.write_string(0, j, header, head)
            width = 60 if col in _LONG_TEXT else max(12, min(40, len(header) + 2))
            ws.set_column(j, j, width)
            cells = frame[col] if col in frame.columns else pd.Series([], dtype="str")
            numeric = pd.api.types.is_integer_dtype(cells) and not pd.api.types.is_bool_dtype(cells)
            for i, v in enumerate(cells.tolist(), start=1):
                if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                    continue
                if isinstance(v, bool | np.bool_):
                    ws.write_string(i, j, "true" if v else "false", text)
                elif numeric:
                    ws.write_number(i, j, int(v))
                else:
                    ws.write_string(i, j, str(v), text)
            choices = CHOICES.get((name, col))
            if choices:
                ws.data_validation(
                    1, j, 100_000, j, {"validate": "list", "source": list(choices), "error_type": "warning"}
                )
        ws.freeze_panes(1, 0)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.autofilter(0, 0, max(len(frame), 1), len(headers) - 1)
    book.close()
    return path


_LONG_TEXT = {
    S.TITLE,
    S.NAME,
    S.GOAL,
    S.TEXT,
    S.NAME_IN_PLAN,
    S.TEXT_SAYS,
    S.DATASET_RECORDS,
    S.REASON,
    S.NOTE,
}
_PROPERTY = {
    S.AREAS_FILE: "areas",
    S.TARGETS_FILE: "targets",
    S.ACTIONS_FILE: "actions",
    S.ACTION_UNITS_FILE: "action_units",
    S.ACTION_STAKEHOLDERS_FILE: "action_stakeholders",
    S.INDICATORS_FILE: "indicators",
    S.UNITS_FILE: "units",
    S.UNIT_ALIASES_FILE: "unit_aliases",
    S.STAKEHOLDERS_FILE: "stakeholders",
    S.STAKEHOLDER_ALIASES_FILE: "stakeholder_aliases",
    S.CORRECTIONS_FILE: "corrections",
}


# ---------------------------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------------------------
def _issue(where: str, row, column, message: str, value=None, code=IssueCode.INVALID_VALUE) -> dict:
    return {
        C.ISSUE_FILE: where,
        C.ISSUE_ROW: row,
        C.ISSUE_COLUMN: column or "",
        C.ISSUE_CODE: str(code),
        C.ISSUE_SEVERITY: C.ERROR,
        C.ISSUE_MESSAGE: message,
        C.ISSUE_VALUE: None if value is None else str(value),
    }


def _sheet_rows(book, sheet: str) -> list[list[str | None]]:
    ws = book[sheet]
    return [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]


def _read_meta(book, where: str) -> tuple[S.PlanMeta | None, list[dict]]:
    if META_SHEET not in book.sheetnames:
        return None, [
            _issue(
                where,
                None,
                None,
                t("catalogue.no_sheet", sheet=repr(META_SHEET)),
                code=IssueCode.MISSING_COLUMN,
            )
        ]
    data: dict[str, Any] = {"schema_version": S.SCHEMA_VERSION}
    rows: dict[str, int] = {}
    for i, row in enumerate(_sheet_rows(book, META_SHEET)[1:], start=2):
        key = (row[0] or "").strip() if row else ""
        value = row[2].strip() if len(row) > 2 and isinstance(row[2], str) else None
        if not key or not value:
            continue
        rows[key] = i
        node = data
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    try:
        return S.PlanMeta.model_validate(data), []
    except ValidationError as exc:
        issues = []
        labels: dict[str, tuple[int | None, str]] = {
            key: (i + 2, label) for i, (key, label, _) in enumerate(META_FIELDS)
        }
        for e in exc.errors():
            key = ".".join(str(p) for p in e["loc"])
            at, label = labels.get(key, labels.get(f"{key}.title", (rows.get(key), key)))
            missing = e["type"] == "missing"
            message = (
                t("catalogue.meta_required", label=label)
                if missing
                else t("catalogue.meta_invalid", label=label, message=pydantic_message(e))
            )
            value = None if missing else e.get("input")
            issues.append(_issue(f"{where} [{META_SHEET}]", rows.get(key, at), key or None, message, value))
        return None, issues


def _fill_defaults(name: str, frame: pd.DataFrame, links: pd.DataFrame | None) -> pd.DataFrame:
    """The cells a team may leave empty (see the module doc), computed from the others."""
    f = frame.copy()
    for col, words in SYNONYMS.items():
        if col in f.columns:
            lowered = f[col].str.strip().str.lower()
            f[col] = lowered.map(words).fillna(f[col])
    if name == S.ACTIONS_FILE:
        f[S.PRINTED_CODE] = f[S.PRINTED_CODE].fillna(f[S.ACTION_CODE])
        position = f.groupby(f[S.TARGET_CODE].fillna(""), sort=False).cumcount() + 1
        f[S.ACTION] = f[S.ACTION].fillna(position.astype("str"))
        for year, kind, text in (
            (S.EST_START, S.EST_START_KIND, S.EST_START_TEXT),
            (S.EST_END, S.EST_END_KIND, S.EST_END_TEXT),
        ):
            f[kind] = f[kind].fillna(S.YEAR)
            f[text] = f[text].fillna(f[year])
        if links is not None:
            has = f[S.ACTION_CODE].isin(
                links.loc[
                    links[S.ROLE].str.strip().str.lower().isin(["responsible", "sorumlu"]), S.ACTION_CODE
                ]
            )
            f[S.RESPONSIBLE_MISSING] = f[S.RESPONSIBLE_MISSING].fillna(
                pd.Series(np.where(has, "false", "true"), index=f.index)
            )
    elif name == S.TARGETS_FILE:
        position = f.groupby(f[S.AREA].fillna(""), sort=False).cumcount() + 1
        f[S.TARGET] = f[S.TARGET].fillna(position.astype("str"))
    elif name == S.INDICATORS_FILE:
        position = f.groupby(f[S.AREA].fillna(""), sort=False).cumcount() + 1
        f[S.NUMBER] = f[S.NUMBER].fillna(position.astype("str"))
    return f


def read_plan_workbook(path: str | Path) -> PlanData:
    """Read and check a plan workbook (see the module doc). Raises :class:`CatalogueError` whose ``issues``
    table names the sheet, row and column (Turkish header) of every problem."""
    import openpyxl

    path = Path(path)
    where = path.name
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        _raise(
            path,
            [
                _issue(
                    where,
                    None,
                    None,
                    t("read.xlsx_unreadable", error=str(exc)),
                    code=IssueCode.FILE_UNREADABLE,
                )
            ],
        )
    try:
        meta, issues = _read_meta(book, where)
        raws: dict[str, tuple[pd.DataFrame, np.ndarray]] = {}
        for name, (sheet, headers) in SHEETS.items():
            label = f"{where} [{sheet}]"
            if sheet not in book.sheetnames:
                if name not in OPTIONAL:
                    issues.append(
                        _issue(
                            where,
                            None,
                            None,
                            t("catalogue.no_sheet", sheet=repr(sheet)),
                            code=IssueCode.MISSING_COLUMN,
                        )
                    )
                raws[name] = (
                    pd.DataFrame({c: pd.Series([], dtype="str") for c in headers}),
                    np.zeros(0, int),
                )
                continue
            rows = _sheet_rows(book, sheet)
            found = [(h or "").strip() for h in (rows[0] if rows else [])]
            by_header = {h: c for c, h in headers.items()} | {c: c for c in headers}
            missing = [h for c, h in headers.items() if h not in found and c not in found]
            for h in missing:
                issues.append(
                    _issue(
                        label,
                        1,
                        h,
                        t("catalogue.template_header"),
                        code=IssueCode.MISSING_COLUMN,
                    )
                )
            body = [r for r in rows[1:]]
            numbers = np.arange(2, len(body) + 2)
            keep = np.array([any(v is not None and str(v).strip() for v in r) for r in body], dtype=bool)
            columns = {}
            for col in headers:
                j = next((k for k, h in enumerate(found) if by_header.get(h) == col), None)
                values = [r[j] if j is not None and j < len(r) else None for r in body]
                series = pd.Series(values, dtype="str")
                columns[col] = series.where(series.str.strip() != "")
            frame = (
                pd.DataFrame(columns, index=range(len(body)))[keep] if len(body) else pd.DataFrame(columns)
            )
            raws[name] = (frame.reset_index(drop=True), numbers[keep] if len(body) else numbers)
    finally:
        book.close()
    if issues:
        _raise(path, issues)
    frames: dict[str, pd.DataFrame] = {}
    where_of = {}
    for name, (raw, sheet_rows) in raws.items():
        sheet, headers = SHEETS[name]
        filled = _fill_defaults(name, raw, raws[S.ACTION_UNITS_FILE][0])
        frame, table_issues = typed_table(filled, name, sheet_rows)
        frames[name] = frame
        where_of[name] = (f"{where} [{sheet}]", headers, sheet_rows)
        issues.extend(_relabel(table_issues, where_of[name]))
    if not issues:
        assert meta is not None  # no issues: the metadata sheet was read
        cross_issues = cross_check(meta, frames)
        issues.extend(_relabel(r, where_of[r[C.ISSUE_FILE]], cross=True) for r in cross_issues)
        issues = [i for group in issues for i in (group if isinstance(group, list) else [group])]
    if issues:
        _raise(path, issues)
    assert meta is not None
    return PlanData(path, meta, frames)


def _relabel(found, target, *, cross: bool = False):
    """Issues of the CSV machinery (file = table, row = CSV line, column = canonical) → sheet, sheet row, header."""
    label, headers, rows = target
    records = [found] if isinstance(found, dict) else found
    out = []
    for r in records:
        r = dict(r)
        r[C.ISSUE_FILE] = label
        row = r[C.ISSUE_ROW]
        if row is not None and not pd.isna(row) and cross:
            r[C.ISSUE_ROW] = int(rows[int(row) - 2]) if 0 <= int(row) - 2 < len(rows) else row
        r[C.ISSUE_COLUMN] = headers.get(r[C.ISSUE_COLUMN], r[C.ISSUE_COLUMN])
        out.append(r)
    return out


def _raise(path: Path, issues: list[dict]) -> NoReturn:
    table = issues_frame(issues)
    err = CatalogueError(
        Message("catalogue.invalid_workbook", path=str(path), n=len(table))
        + "\n"
        + format_issues(table, limit=25)
    )
    err.issues = table
    raise err


def check_plan_workbook(path: str | Path) -> pd.DataFrame:
    """The issues of a plan workbook (an empty table when it is valid): :func:`read_plan_workbook` without raising."""
    try:
        read_plan_workbook(path)
    except CatalogueError as exc:
        return getattr(exc, "issues", issues_frame([_issue(Path(path).name, None, None, str(exc))]))
    return issues_frame()
