"""Checklist assessments on the forms layer: a blank assessment workbook per checklist
(``gcdb checklist template CHECKLIST``) and filled copies read back into validated answers.

One workbook is one assessment — one park, one programme — as an assessor fills it on site:

``Değerlendirme`` (assessment)
    one row: the assessment's id, the facility or programme (id and name), service, district, date, fiscal year,
    and the budget it assesses (rule, action or budget line);
``Sorular`` (questions)
    one row per question of the checklist: section, question, the points it is worth and the evidence expected
    (fixed); the answer (a drop-down of the checklist's answers), the evidence seen and a note (to fill in).

:func:`read_assessment_forms` reads any number of filled copies with :func:`gcdb.forms.read_form` and hands the
answers to :func:`gcdb.checklists.read_assessments`, which does every checklist check; its issues are mapped back to
the form's cells. The result is a :class:`gcdb.read.ReadResult` like the one a CSV of answers gives.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.checklists import names as N
from gcdb.checklists.assessments import read_assessments
from gcdb.checklists.model import Checklist
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
from gcdb.forms.spec import ID_PATTERN
from gcdb.i18n import Message
from gcdb.read import ReadResult
from gcdb.read.result import ISSUE_CODES

FORM_KIND: Final = "checklist_assessment"
FORM_VERSION: Final = 1
SUBJECT_SHEET, QUESTIONS_SHEET = "assessment", "questions"
ROW_KEY, SUBJECT_ROW = "row", "assessment"
TEXT, POINTS_SHOWN, EVIDENCE_EXPECTED, SECTION_TITLE = (
    "question_text",
    "points",
    "evidence_expected",
    "section",
)
CHECKLIST_NAME, CHECKLIST_VERSION = "checklist_name", "checklist_version"
SOURCE_FILE: Final = "source_file"

#: Fields of the assessment sheet, in order: (name, kind, required, Turkish, English, help tr, help en).
_SUBJECT_FIELDS: Final = (
    (N.ASSESSMENT_ID, FieldKind.TEXT, True, "Değerlendirme No", "Assessment id", "ör. PD-2024-001", "e.g. PD-2024-001"),
    (N.SUBJECT_ID, FieldKind.TEXT, True, "Tesis / Program No", "Facility / programme id", "ör. PRK-001", "e.g. PRK-001"),
    (N.SUBJECT_NAME, FieldKind.TEXT, False, "Tesis / Program", "Facility / programme", "", ""),
    (C.SERVICE_CODE, FieldKind.TEXT, False, "Hizmet Kodu", "Service code", "ör. PARK", "e.g. PARK"),
    (C.DISTRICT, FieldKind.TEXT, False, "İlçe", "District", "", ""),
    (N.ASSESSED_ON, FieldKind.DATE, False, "Değerlendirme Tarihi", "Assessed on", "", ""),
    (C.FISCAL_YEAR, FieldKind.INTEGER, False, "Mali Yıl", "Fiscal year", "Boşsa tarihin yılı", "Blank: the date's year"),
    (C.RULE_ID, FieldKind.TEXT, False, "Bütçe Kuralı", "Budget rule", "Değerlendirilen bütçe kuralı", "The budget rule assessed"),
    (C.ACTION_CODE, FieldKind.TEXT, False, "Eylem Kodu", "Action code", "ör. A8H1E2", "e.g. A8H1E2"),
    (C.LINE_ID, FieldKind.TEXT, False, "Bütçe Satır No", "Budget line id", "", ""),
)  # fmt: skip


def _answer_choices(checklist: Checklist) -> tuple[Choice, ...]:
    """Every answer of the checklist's scales, once (the first scale's labels); codes must be identifiers."""
    seen: dict[str, Choice] = {}
    for scale in checklist.scales:
        for option in scale.options:
            if not ID_PATTERN.match(option.code):
                raise UsageError(
                    f"checklist {checklist.id!r}: answer code {option.code!r} cannot be a drop-down code "
                    "(lower-case letters, digits and _ only)"
                )
            seen.setdefault(
                option.code, Choice(code=option.code, label=Text(tr=option.label_tr, en=option.label_en))
            )
    return tuple(seen.values())


def checklist_form(checklist: Checklist) -> FormSpec:
    """The assessment workbook's spec for ``checklist`` (see the module docstring)."""
    subject = SheetSpec(
        key=SUBJECT_SHEET,
        name=Text(tr="Değerlendirme", en="Assessment"),
        title=Text(tr="Değerlendirilen tesis ya da program", en="The facility or programme assessed"),
        note=Text(
            tr="Değerlendirme numarasını ve tesisi ya da programı yazınız; bütçe satırıyla ilişkisi biliniyorsa kuralı, "
            "eylemi ya da satır numarasını ekleyiniz.",
            en="Give the assessment id and the facility or programme; if you know the budget it belongs to, add the "
            "rule, the action or the line id.",
        ),
        fields=(
            FormField(name=ROW_KEY, label=Text(tr="Satır", en="Row"), fixed=True, key=True, width=12),
            *(
                FormField(
                    name=name,
                    label=Text(tr=tr, en=en),
                    kind=kind,
                    required=required,
                    width=24 if kind == FieldKind.TEXT else 14,
                    help=Text(tr=h_tr, en=h_en) if h_tr else None,
                    minimum=1990 if kind == FieldKind.INTEGER else None,
                    maximum=2100 if kind == FieldKind.INTEGER else None,
                    max_length=200 if kind == FieldKind.TEXT else None,
                )
                for name, kind, required, tr, en, h_tr, h_en in _SUBJECT_FIELDS
            ),
        ),
    )
    questions = SheetSpec(
        key=QUESTIONS_SHEET,
        name=Text(tr="Sorular", en="Questions"),
        title=Text(tr=checklist.name_tr, en=checklist.name_en),
        note=Text(
            tr="Her soru için yanıtı listeden seçiniz ve gördüğünüz kanıtı yazınız. Yanıtlanmayan soru 0 puan alır.",
            en="Pick the answer of each question from the list and write the evidence you saw. An unanswered "
            "question scores 0.",
        ),
        fields=(
            FormField(name=SECTION_TITLE, label=Text(tr="Bölüm", en="Section"), fixed=True, width=22, wrap=True),
            FormField(name=N.QUESTION_ID, label=Text(tr="Soru No", en="Question"), fixed=True, key=True, width=8),
            FormField(name=TEXT, label=Text(tr="Soru", en="Question text"), fixed=True, width=56, wrap=True),
            FormField(name=POINTS_SHOWN, label=Text(tr="Puan", en="Points"), kind=FieldKind.DECIMAL, fixed=True, width=7),
            FormField(
                name=EVIDENCE_EXPECTED, label=Text(tr="Beklenen Kanıt", en="Evidence expected"), fixed=True, width=30,
                wrap=True,
            ),
            FormField(
                name=N.ANSWER, label=Text(tr="Yanıt", en="Answer"), kind=FieldKind.CHOICE,
                choices=_answer_choices(checklist), required=True, width=14,
            ),
            FormField(name=N.EVIDENCE, label=Text(tr="Görülen Kanıt", en="Evidence seen"), max_length=500, width=30, wrap=True),
            FormField(name=N.NOTE, label=Text(tr="Not", en="Note"), max_length=1000, width=24, wrap=True),
        ),
    )  # fmt: skip
    return FormSpec(
        kind=FORM_KIND,
        version=FORM_VERSION,
        title=Text(tr=f"{checklist.name_tr} — değerlendirme formu", en=f"{checklist.name_en} — assessment form"),
        identity=(
            IdentityField(name=CHECKLIST_NAME, label=Text(tr="Kontrol Listesi", en="Checklist")),
            IdentityField(name=N.CHECKLIST_ID, label=Text(tr="Liste Kodu", en="Checklist id")),
            IdentityField(name=CHECKLIST_VERSION, label=Text(tr="Liste Sürümü", en="Checklist version")),
        ),
        instructions=(
            Text(tr=checklist.description_tr or checklist.name_tr, en=checklist.description_en or checklist.name_en),
            Text(
                tr="Her form bir değerlendirmedir (bir park, bir program). 'Değerlendirme' sayfasını doldurup 'Sorular' "
                "sayfasında her sorunun yanıtını seçiniz. Eşitlik Birimi formları birleştirerek puanları tesis, hizmet "
                "ve ilçeye göre hesaplar ve HGDG puanı olarak bütçe analizine aktarır.",
                en="Each form is one assessment (one park, one programme). Fill in the 'Assessment' sheet, then pick "
                "each question's answer on the 'Questions' sheet. The Equality Unit combines the forms into scores per "
                "facility, service and district and feeds them into the budget analysis as HGDG scores.",
            ),
            Text(tr=f"Kaynak: {' '.join(checklist.reference.split())}", en=f"Source: {' '.join(checklist.reference.split())}"),
        ),
        sheets=(subject, questions),
    )  # fmt: skip


def template_rows(checklist: Checklist, lang: str = "tr") -> dict[str, pd.DataFrame]:
    """The fixed cells of a blank assessment: the assessment row and one row per question."""
    rows = [
        (s.title_tr if lang == "tr" else s.title_en, q.id, q.text_tr if lang == "tr" else q.text_en, q.max_score,
         q.evidence_tr if lang == "tr" else q.evidence_en)
        for s in checklist.sections
        for q in s.questions
    ]  # fmt: skip
    questions = pd.DataFrame(
        rows, columns=[SECTION_TITLE, N.QUESTION_ID, TEXT, POINTS_SHOWN, EVIDENCE_EXPECTED]
    )
    questions[POINTS_SHOWN] = questions[POINTS_SHOWN].round(2)
    return {SUBJECT_SHEET: pd.DataFrame({ROW_KEY: [SUBJECT_ROW]}), QUESTIONS_SHEET: questions}


def template_name(checklist: Checklist) -> str:
    """``degerlendirme_park.xlsx``."""
    return f"degerlendirme_{checklist.id}.xlsx"


def write_checklist_template(
    checklist: Checklist, path: str | os.PathLike, *, lang: str = "tr", created: Any = None
) -> Path:
    """Write a blank assessment workbook of ``checklist`` to ``path`` (a folder: :func:`template_name` in it)."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target / template_name(checklist)
    identity = {
        CHECKLIST_NAME: checklist.name(lang),
        N.CHECKLIST_ID: checklist.id,
        CHECKLIST_VERSION: checklist.version,
    }
    write_form(
        checklist_form(checklist), target, identity=identity, rows=template_rows(checklist, lang), lang=lang,
        created=created,
    )  # fmt: skip
    return target


# -- reading filled copies --------------------------------------------------------------------------------------
def form_answers(read: FormRead) -> pd.DataFrame:
    """The answered questions of one filled copy as the checklist reader's table (canonical columns, text), with
    ``source_file``, the questions sheet's row (``source_row``) and the assessment sheet's row (``subject_row``)."""
    columns = [N.ASSESSMENT_ID, N.CHECKLIST_ID, *(f[0] for f in _SUBJECT_FIELDS[1:]), N.QUESTION_ID, N.ANSWER,
               N.EVIDENCE, N.NOTE, SOURCE_FILE, SOURCE_ROW, "subject_row"]  # fmt: skip
    subject = read.data.get(SUBJECT_SHEET)
    answers = read.data.get(QUESTIONS_SHEET)
    if subject is None or answers is None or subject.empty or answers.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
    answers = answers[answers["filled"].to_numpy(dtype=bool)].reset_index(drop=True)
    head = subject.iloc[0]
    out = pd.DataFrame(index=answers.index)
    for name, kind, *_ in _SUBJECT_FIELDS:
        value = head[name]
        if pd.isna(value):
            text = None
        elif kind == FieldKind.DATE:
            text = pd.Timestamp(value).strftime("%Y-%m-%d")
        elif kind == FieldKind.INTEGER:
            text = str(int(value))
        else:
            text = str(value)
        out[name] = pd.Series(text, index=answers.index, dtype="str")
    out[N.CHECKLIST_ID] = read.identity.get(N.CHECKLIST_ID)
    for name in (N.QUESTION_ID, N.ANSWER, N.EVIDENCE, N.NOTE):
        out[name] = answers[name].astype("str")
    out[SOURCE_FILE] = read.source
    out[SOURCE_ROW] = answers[SOURCE_ROW].to_numpy(dtype=np.int64)
    out["subject_row"] = int(subject[SOURCE_ROW].iloc[0])
    return out[columns]


def read_assessment_forms(
    paths: Sequence[str | os.PathLike], checklist: Checklist, *, lang: str = "tr", districts=None
) -> ReadResult:
    """Read filled assessment workbooks of ``checklist`` (files or folders) into validated answers
    (:func:`gcdb.checklists.read_assessments`); issues name file, sheet and cell."""
    from gcdb.costing.workbook import costing_files

    files = costing_files(paths)
    if not files:
        raise UsageError(Message("checklists.forms.none"))
    spec = checklist_form(checklist)
    reads = [read_form(f, spec, expect={N.CHECKLIST_ID: checklist.id}, lang=lang) for f in files]
    table = pd.concat([form_answers(r) for r in reads], ignore_index=True)
    answers = read_assessments(
        table.drop(columns=[SOURCE_FILE, SOURCE_ROW, "subject_row"]), checklist, districts=districts
    )
    located = _located(answers.issues, table, reads, spec)
    source = files[0].name if len(files) == 1 else f"{len(files)} assessment workbooks"
    located[C.ISSUE_FILE] = located[C.ISSUE_FILE].replace(FRAME_SOURCE, source)
    issues = concat_form_issues([*(r.issues for r in reads), located])
    data = answers.data.copy()
    position = data[C.SOURCE_ROW].to_numpy(dtype=np.int64) - 2
    data[C.SOURCE_ROW] = table[SOURCE_ROW].to_numpy(dtype=np.int64)[position]
    form_q = [
        r.quarantine[k].assign(**{SOURCE_FILE: r.source})
        for r in reads
        for k in r.quarantine
        if len(r.quarantine[k])
    ]
    quarantine = answers.quarantine
    if len(quarantine):
        pos = quarantine[C.SOURCE_ROW].to_numpy(dtype=np.int64) - 2
        quarantine = quarantine.assign(
            **{
                SOURCE_FILE: table[SOURCE_FILE].to_numpy(dtype=object)[pos],
                C.SOURCE_ROW: table[SOURCE_ROW].to_numpy()[pos],
            }
        )
    parts = [q for q in (*form_q, quarantine) if len(q)]
    quarantine = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(
            {
                SOURCE_FILE: pd.Series(dtype="str"),
                C.SOURCE_ROW: pd.Series(dtype="int64"),
                ISSUE_CODES: pd.Series(dtype="str"),
            }
        )
    )
    recon = answers.reconciliation.copy()
    extra = sum(len(r.quarantine.get(QUESTIONS_SHEET, ())) for r in reads)
    rows = recon["measure"] == "rows"
    recon.loc[rows, "read"] += extra
    recon.loc[rows, "quarantined"] += extra
    fields = {f: getattr(answers, f) for f in answers.__dataclass_fields__}
    return ReadResult(
        **(fields | {"data": data, "issues": issues, "quarantine": quarantine, "reconciliation": recon,
                     "source": source, "refused": all(r.refused for r in reads)})
    )  # fmt: skip


def _located(
    issues: pd.DataFrame, table: pd.DataFrame, reads: list[FormRead], spec: FormSpec
) -> pd.DataFrame:
    """The checklist reader's issues moved to the form's file, sheet, row and cell (assessment columns on the
    assessment sheet, the others on the questions sheet)."""
    if issues.empty:
        return concat_form_issues([])
    from xlsxwriter.utility import xl_col_to_name

    frame = issues.reset_index(drop=True)
    row = frame[C.ISSUE_ROW].astype("Int64")
    position = (row - 2).fillna(-1).to_numpy(dtype=np.int64)
    ok = position >= 0
    at = np.where(ok, position, 0)
    names = frame[C.ISSUE_COLUMN].astype("str").fillna("").to_numpy(dtype=object)
    on_subject = np.isin(names, [f[0] for f in _SUBJECT_FIELDS])
    sheet_key = np.where(on_subject, SUBJECT_SHEET, QUESTIONS_SHEET)
    from gcdb.costing.workbook import take

    files = take(table[SOURCE_FILE].to_numpy(dtype=object), at, ok, "")
    sheet_rows = np.where(
        on_subject,
        take(table["subject_row"].to_numpy(dtype=np.int64), at, ok, 0),
        take(table[SOURCE_ROW].to_numpy(dtype=np.int64), at, ok, 0),
    )
    layout = pd.DataFrame(
        [
            (r.source, key, r.sheet_name(key), name, xl_col_to_name(col),
             spec.sheet(key).field(name).label.get(r.key.lang if r.key and r.key.lang in ("tr", "en") else "tr"))
            for r in reads
            if not r.refused
            for key in (SUBJECT_SHEET, QUESTIONS_SHEET)
            for name, col in r.columns.get(key, {}).items()
        ],
        columns=["_file", "_key", "_tab", "_name", "_letter", "_header"],
    )  # fmt: skip
    where = pd.DataFrame({"_file": files, "_key": sheet_key, "_name": names}).merge(
        layout, on=["_file", "_key", "_name"], how="left"
    )
    found = pd.Series(ok) & where["_letter"].notna()
    cells = (where["_tab"] + "!" + where["_letter"] + pd.Series(sheet_rows).astype("str")).where(found, "")
    out = frame.assign(
        **{
            C.ISSUE_FILE: pd.Series(np.where(ok, files, frame[C.ISSUE_FILE]), dtype="str"),
            C.ISSUE_ROW: pd.Series(np.where(ok, sheet_rows, row.fillna(0)), dtype="Int64").where(
                pd.Series(ok) | row.notna()
            ),
            C.ISSUE_COLUMN: where["_header"].fillna(where["_name"]).astype("str"),
            SHEET: where["_tab"].fillna("").astype("str"),
            CELL: cells.astype("str"),
        }
    )
    return out[list(FORM_ISSUE_COLUMNS)]


__all__ = [
    "FORM_KIND",
    "FORM_VERSION",
    "checklist_form",
    "form_answers",
    "read_assessment_forms",
    "template_name",
    "template_rows",
    "write_checklist_template",
]
