"""Write a form spec as an xlsx workbook a person fills in (xlsxwriter).

The workbook has, in order:

1. an instructions sheet (Turkish by default): the form title, the identity of the copy (unit, year …), how to
   fill it in, and a guide to every fill-in column (what it expects, its range, whether it is required);
2. one sheet per :class:`~gcdb.forms.spec.SheetSpec`: a title, the identity line, a legend, the header row and
   one row per record. Fixed cells are grey and locked; fill-in cells are yellow and unlocked, each column with
   Excel data validation (drop-down lists, whole-number/decimal/date ranges, text length) and an input message
   saying what to enter. The sheets are protected (no password: protection guides, the key detects edits),
   with column widths and row heights left adjustable and the header row frozen;
3. a hidden ``Listeler`` sheet holding the drop-down lists;
4. the very hidden key sheet (:mod:`gcdb.forms.key`).

Text is always written as text: the workbook is opened with ``strings_to_formulas=False`` and fill-in text cells
carry the text number format and a quote prefix, so ``=…`` typed or written there stays text. Identical inputs
give byte-identical files (fixed document dates, an in-memory zip).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from gcdb.errors import UsageError
from gcdb.forms.cells import (
    DEFAULT_ROW_HEIGHT,
    Formats,
    cell_value,
    is_blank,
    plain_text,
    row_heights,
    runs,
    shown_texts,
    validation_options,
)
from gcdb.forms.describe import choice_labels, expected_text, range_text
from gcdb.forms.key import CHECKSUM_CELL, FIRST_CHUNK_ROW, KEY_SHEET, FormKey, SheetLayout, checksum, chunks
from gcdb.forms.key import spec_digest as _digest
from gcdb.forms.messages import msg
from gcdb.forms.spec import FieldKind, FormField, FormSpec, SheetSpec

TITLE_ROW, IDENTITY_ROW, LEGEND_ROW, HEADER_ROW = 0, 1, 2, 3  # 0-based rows of a data sheet
FIRST_DATA_ROW: Final = HEADER_ROW + 1

DEFAULT_CREATED: Final = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def spec_digest(spec: FormSpec) -> str:
    """Digest of ``spec`` stored in every copy's key."""
    return _digest(spec.model_dump_json())


def _created(created: dt.datetime | dt.date | None) -> dt.datetime:
    if created is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else DEFAULT_CREATED
    if not isinstance(created, dt.datetime):
        created = dt.datetime(created.year, created.month, created.day, tzinfo=dt.UTC)
    return created


def _check_rows(spec: FormSpec, rows: Mapping[str, pd.DataFrame]) -> None:
    unknown = set(rows) - {s.key for s in spec.sheets}
    if unknown:
        raise UsageError(
            f"rows given for unknown sheets {sorted(unknown)}; sheets: {[s.key for s in spec.sheets]}"
        )
    for sheet in spec.sheets:
        frame = rows.get(sheet.key)
        if frame is None:
            continue
        missing = [f.name for f in sheet.fixed_fields if f.name not in frame.columns]
        if missing:
            raise UsageError(f"sheet {sheet.key}: rows lack the fixed columns {missing}")
        keys = frame[list(sheet.key_fields)].astype("str")
        if keys.isna().any().any() or (keys.apply(lambda s: s.str.strip() == "")).any().any():
            raise UsageError(f"sheet {sheet.key}: key columns {list(sheet.key_fields)} have blank values")
        if keys.duplicated().any():
            dupes = keys[keys.duplicated()].head(3).to_numpy().tolist()
            raise UsageError(f"sheet {sheet.key}: key values repeat, e.g. {dupes}")
        for f in sheet.fixed_fields:
            if f.kind == FieldKind.CHOICE:
                codes = {c.code for c in f.choices}
                bad = set(frame[f.name].dropna().astype("str")) - codes
                if bad:
                    raise UsageError(
                        f"sheet {sheet.key}: {f.name} has values {sorted(bad)} not among {sorted(codes)}"
                    )


class _Writer:
    def __init__(
        self, spec: FormSpec, identity: Mapping[str, Any], rows: Mapping[str, pd.DataFrame], lang: str
    ):
        self.spec, self.lang = spec, lang
        self.identity = {
            i.name: "" if is_blank(identity.get(i.name)) else plain_text(identity[i.name])
            for i in spec.identity
        }
        self.rows = rows
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(
            self.buffer,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.fmt = Formats(self.book)
        self.lists: dict[str, str] = {}  # field name → validation source
        self.identity_cells: dict[str, str] = {}

    # -- sheets ---------------------------------------------------------------------------------------------
    def instructions(self) -> Any:
        lang, spec = self.lang, self.spec
        ws = self.book.add_worksheet(msg("sheet.instructions", lang))
        ws.set_column(0, 0, 24)
        ws.set_column(1, 1, 28)
        ws.set_column(2, 2, 92)
        ws.write_string(0, 0, spec.title.get(lang), self.fmt.get("title"))
        row = 2
        ws.write_string(row, 0, msg("identity.heading", lang), self.fmt.get("subtitle"))
        row += 1
        for ident in spec.identity:
            ws.write_string(row, 0, ident.label.get(lang), self.fmt.get("label"))
            ws.write_string(row, 1, self.identity[ident.name], self.fmt.get("fixed", FieldKind.TEXT))
            self.identity_cells[ident.name] = xl_rowcol_to_cell(row, 1)
            row += 1
        row += 1
        ws.write_string(row, 0, msg("general.heading", lang), self.fmt.get("subtitle"))
        row += 1
        paragraphs = [msg(f"general.{i}", lang) for i in range(1, 5)] + [
            p.get(lang) for p in spec.instructions
        ]
        for text in paragraphs:
            ws.merge_range(row, 0, row, 2, text, self.fmt.get("paragraph"))
            ws.set_row(row, 14 * max(1, math.ceil(len(text) / 135)))
            row += 1
        ws.write_string(row, 0, msg("legend", lang), self.fmt.get("note"))
        row += 2
        ws.write_string(row, 0, msg("guide.heading", lang), self.fmt.get("subtitle"))
        row += 1
        for col, key in enumerate(("guide.sheet", "guide.column", "guide.expected")):
            ws.write_string(row, col, msg(key, lang), self.fmt.get("header_fill"))
        row += 1
        for sheet in spec.sheets:
            for field in sheet.fill_fields:
                text = expected_text(field, sheet, lang)
                ws.write_string(row, 0, sheet.name.get(lang), self.fmt.get("fixed", FieldKind.TEXT, True))
                ws.write_string(row, 1, field.label.get(lang), self.fmt.get("fixed", FieldKind.TEXT, True))
                ws.write_string(row, 2, text, self.fmt.get("fixed", FieldKind.TEXT, True))
                ws.set_row(
                    row, 13.5 * max(1, math.ceil(len(text) / 100), math.ceil(len(field.label.get(lang)) / 30))
                )
                row += 1
        ws.protect("", {"format_columns": True, "format_rows": True})
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        return ws

    def list_sheet(self) -> None:
        ws = None
        col = 0
        for sheet in self.spec.sheets:
            for field in sheet.fill_fields:
                kinds = self._kinds_of(sheet, field)
                for kind in kinds:
                    if kind not in (FieldKind.CHOICE, FieldKind.YES_NO):
                        continue
                    list_key = field.name if kind == FieldKind.CHOICE else "_yes_no"
                    if list_key in self.lists:
                        continue
                    if ws is None:
                        ws = self.book.add_worksheet(msg("sheet.lists", self.lang))
                    labels = (
                        choice_labels(field, self.lang)
                        if kind == FieldKind.CHOICE
                        else [msg("yes", self.lang), msg("no", self.lang)]
                    )
                    ws.write_string(0, col, list_key)
                    ws.write_column(1, col, labels)
                    letter = xl_col_to_name(col)
                    self.lists[list_key] = f"='{ws.get_name()}'!${letter}$2:${letter}${len(labels) + 1}"
                    col += 1
        if ws is not None:
            ws.hide()
            ws.protect("")

    @staticmethod
    def _kinds_of(sheet: SheetSpec, field: FormField) -> list[FieldKind]:
        if field.kind_from is None:
            return [field.kind]
        return [FieldKind(c.code) for c in sheet.field(field.kind_from).choices]

    def data_sheet(self, sheet: SheetSpec) -> SheetLayout:
        lang = self.lang
        frame = self.rows.get(sheet.key)
        if frame is None:
            frame = pd.DataFrame({f.name: pd.Series(dtype="str") for f in sheet.fixed_fields})
        frame = frame.reset_index(drop=True)
        n = len(frame)
        ws = self.book.add_worksheet(sheet.name.get(lang))
        last_col = len(sheet.fields) - 1
        ws.write_string(TITLE_ROW, 0, sheet.title.get(lang), self.fmt.get("title"))
        ident = " · ".join(
            f"{i.label.get(lang)}: {self.identity[i.name]}"
            for i in self.spec.identity
            if self.identity[i.name]
        )
        ws.write_string(IDENTITY_ROW, 0, ident, self.fmt.get("label"))
        note = msg("legend", lang) + (" " + sheet.note.get(lang) if sheet.note else "")
        ws.write_string(LEGEND_ROW, 0, note, self.fmt.get("note"))
        ws.set_row(HEADER_ROW, 42)
        columns, headers, fixed, shown = {}, {}, {}, {}
        kinds_by_row: dict[str, list[FieldKind]] = {}
        for col, field in enumerate(sheet.fields):
            label = field.label.get(lang)
            columns[field.name], headers[field.name] = col, label
            ws.set_column(col, col, field.width)
            role = "header_fixed" if field.fixed else "header_fill"
            ws.write_string(HEADER_ROW, col, label, self.fmt.get(role))
            if field.fixed:
                values = frame[field.name]
                fixed[field.name] = [
                    "" if is_blank(v) else plain_text(v) for v in values.to_numpy(dtype=object)
                ]
                shown[field.name] = shown_texts(field, values, lang)
                fmt = self.fmt.get(
                    "fixed", field.kind if field.kind != FieldKind.CHOICE else None, field.wrap
                )
                if field.kind in (FieldKind.INTEGER, FieldKind.DECIMAL):
                    data = [cell_value(field, field.kind, v, lang) for v in values.to_numpy(dtype=object)]
                else:
                    data = [s if s else None for s in shown[field.name]]
                ws.write_column(FIRST_DATA_ROW, col, data, fmt)
        for col, field in enumerate(sheet.fields):
            if field.fixed:
                continue
            if field.kind_from is not None:
                row_kinds = [FieldKind(k) for k in fixed[field.kind_from]]
            else:
                row_kinds = [field.kind] * n
            kinds_by_row[field.name] = row_kinds
            given = frame[field.name].to_numpy(dtype=object) if field.name in frame.columns else [None] * n
            for start, stop, kind in runs(row_kinds):
                fmt = self.fmt.get("fill", kind, field.wrap)
                cells = [cell_value(field, kind, v, lang) for v in given[start:stop]]
                ws.write_column(FIRST_DATA_ROW + start, col, cells, fmt)
                source = None
                if kind in (FieldKind.CHOICE, FieldKind.YES_NO):
                    source = self.lists[field.name if kind == FieldKind.CHOICE else "_yes_no"]
                ws.data_validation(
                    FIRST_DATA_ROW + start,
                    col,
                    FIRST_DATA_ROW + stop - 1,
                    col,
                    validation_options(field, kind, lang, source),
                )
        for row, height in enumerate(row_heights(sheet, shown, n)):
            if height > DEFAULT_ROW_HEIGHT:
                ws.set_row(FIRST_DATA_ROW + row, height)
        if n:
            ws.autofilter(HEADER_ROW, 0, HEADER_ROW + n, last_col)
        ws.freeze_panes(FIRST_DATA_ROW, 1)
        ws.protect("", {"format_columns": True, "format_rows": True, "autofilter": True, "sort": False})
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(HEADER_ROW)
        return SheetLayout(
            key=sheet.key,
            name=ws.get_name(),
            header_row=HEADER_ROW + 1,
            first_row=FIRST_DATA_ROW + 1,
            columns=columns,
            headers=headers,
            fixed=fixed,
            shown=shown,
            n_rows=n,
        )

    def key_sheet(self, key: FormKey) -> None:
        ws = self.book.add_worksheet(KEY_SHEET)
        text = key.to_json()
        ws.write_string(0, 0, "gcdb form key: do not edit / değiştirmeyiniz")
        ws.write_string(CHECKSUM_CELL[0], 0, "checksum")
        ws.write_string(*CHECKSUM_CELL, checksum(text))
        ws.write_string(FIRST_CHUNK_ROW - 1, 0, "key")
        for i, piece in enumerate(chunks(text)):
            ws.write_string(FIRST_CHUNK_ROW + i, 1, piece)
        ws.protect("")
        ws.very_hidden()

    def build(self, created: dt.datetime) -> bytes:
        spec = self.spec
        self.book.set_properties(
            {
                "title": spec.title.get(self.lang),
                "author": "gcdb",
                "company": "",
                "comments": f"gcdb form {spec.kind} v{spec.version}",
                "created": created,
            }
        )
        first = self.instructions()
        layouts = []
        # the drop-down lists must exist before the data sheets reference them; they are added after the
        # instructions sheet and hidden, so the sheet order a person sees is instructions, data sheets
        self.list_sheet()
        for sheet in spec.sheets:
            layouts.append(self.data_sheet(sheet))
        key = FormKey(
            form=spec.kind,
            version=spec.version,
            lang=self.lang,
            identity=self.identity,
            identity_cells=self.identity_cells,
            instructions_sheet=first.get_name(),
            sheets=tuple(layouts),
            spec_digest=spec_digest(spec),
        )
        self.key_sheet(key)
        first.activate()
        self.book.close()
        return self.buffer.getvalue()


def write_form(
    spec: FormSpec,
    path: str | os.PathLike | io.IOBase,
    *,
    identity: Mapping[str, Any],
    rows: Mapping[str, pd.DataFrame],
    lang: str = "tr",
    created: dt.datetime | dt.date | None = None,
) -> str | os.PathLike | io.IOBase:
    """Write one copy of ``spec`` to ``path`` (a file path or a binary file object) and return ``path``.

    ``identity`` gives a value for every identity field of the spec (unit, year …); ``rows`` gives, per sheet
    key, a DataFrame with one row per record: every fixed field (choice fields as codes), and optionally fill-in
    fields to prefill (choice codes, numbers, money in kuruş, text). Key values must be unique and non-blank.
    ``created`` fixes the document date (default: ``SOURCE_DATE_EPOCH`` or 2000-01-01), so identical inputs give
    identical bytes. Raises :class:`gcdb.errors.UsageError` on rows that do not fit the spec.
    """
    if lang not in ("tr", "en"):
        raise UsageError(f"lang must be 'tr' or 'en', got {lang!r}")
    missing = [i.name for i in spec.identity if is_blank(identity.get(i.name))]
    if missing:
        raise UsageError(f"identity values missing for {missing}")
    _check_rows(spec, rows)
    data = _Writer(spec, identity, rows, lang).build(_created(created))
    if isinstance(path, io.IOBase):
        path.write(data)
        return path
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    return path


__all__ = ["write_form", "spec_digest", "range_text", "HEADER_ROW", "FIRST_DATA_ROW"]
