"""Reading checklist answers: ``read_assessments(path_or_frame, checklist)``.

The table has one row per assessment × question (:data:`gcdb.checklists.names.ASSESSMENT_REQUIRED` and
:data:`~gcdb.checklists.names.ASSESSMENT_OPTIONAL` columns, canonical names or their Turkish labels). The
collection workbook of ``gcdb.forms`` produces exactly these columns.

Checks (each an issue naming file, row, column and value; errors quarantine the row):

* required columns and values; ``checklist_id`` (when given) is the checklist being scored;
* ``question_id`` is a question of the checklist (``unknown_code``); the answer is on the question's scale — its
  code, its Turkish or English label or an alias, compared Turkish-folded (``invalid_value`` otherwise);
* one answer per assessment and question (later copies: ``duplicate_id``);
* the assessment's own columns (subject, district, date, the budget it assesses …) are the same on all its rows;
* ``assessed_on`` a date; ``fiscal_year`` taken from it when absent; districts normalised (unknown: a warning);
* an assessment that leaves questions unanswered: a warning (they score 0).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.checklists import names as N
from gcdb.checklists.model import Checklist
from gcdb.costing.tabular import Table, W, alias_table, finish, first_of_duplicates, raw_table
from gcdb.errors import IssueCode, UsageError
from gcdb.i18n import current_lang, label, t, t_array
from gcdb.normalise import normalise_district
from gcdb.read import ReadResult, parse_integer
from gcdb.read.numbers import parse_dates
from gcdb.text import fold, map_distinct

KIND = "assessments"

#: The validated answers: one row per assessment × question.
ANSWER_COLUMNS = (
    N.ASSESSMENT_ID,
    *N.HEADER_COLUMNS,
    N.SECTION_ID,
    N.QUESTION_ID,
    N.ANSWER,
    N.POINTS,
    N.MAX_POINTS,
    N.NOT_APPLICABLE,
    N.EVIDENCE,
    N.NOTE,
    C.SOURCE_ROW,
)

ALIASES: dict[str, tuple[str, ...]] = {
    N.ASSESSMENT_ID: ("değerlendirme", "form no", "assessment"),
    N.CHECKLIST_ID: ("liste", "kontrol listesi no", "checklist"),
    N.SUBJECT_ID: ("tesis no", "park no", "program no", "facility id", "programme id"),
    N.SUBJECT_NAME: ("tesis", "park", "program", "tesis adı", "park adı", "facility", "programme"),
    C.SERVICE_CODE: ("hizmet", "service"),
    N.ASSESSED_ON: ("tarih", "değerlendirme tarihi", "date"),
    C.RULE_ID: ("kural", "kural no", "rule"),
    C.ACTION_CODE: ("eylem", "eylem no", "action"),
    C.LINE_ID: ("bütçe satırı", "satır no", "budget line"),
    N.QUESTION_ID: ("soru", "soru no", "madde", "question", "item"),
    N.ANSWER: ("cevap", "yanıt", "response"),
    N.EVIDENCE: ("kanıt", "belge", "kaynak"),
    N.NOTE: ("not", "açıklama", "comment"),
}
_KEYS = alias_table((*N.ASSESSMENT_REQUIRED, *N.ASSESSMENT_OPTIONAL), ALIASES, N.LABELS)


def question_table(checklist: Checklist) -> pd.DataFrame:
    """One row per question: ``question_id, section_id, max_points, scale``."""
    rows = [(q.id, s.id, q.max_score, q.scale) for s in checklist.sections for q in s.questions]
    return pd.DataFrame(rows, columns=[N.QUESTION_ID, N.SECTION_ID, N.MAX_POINTS, "scale"]).astype(
        {N.QUESTION_ID: "str", N.SECTION_ID: "str", N.MAX_POINTS: "float64", "scale": "str"}
    )


def answer_table(checklist: Checklist) -> pd.DataFrame:
    """Every accepted spelling of every answer: ``scale, key`` (folded text) → ``answer, value, not_applicable``."""
    rows = []
    for scale in checklist.scales:
        for o in scale.options:
            for text in (o.code, o.label_tr, o.label_en, *o.aliases):
                rows.append((scale.id, fold(text), o.code, o.value, o.not_applicable))
    table = pd.DataFrame(rows, columns=["scale", "key", N.ANSWER, "value", N.NOT_APPLICABLE])
    return table.drop_duplicates(["scale", "key"], keep="first")


def read_assessments(
    source: str | Path | pd.DataFrame,
    checklist: Checklist,
    *,
    districts=None,
    strict: bool = False,
    sheet: str | int | None = None,
) -> ReadResult:
    """Read and validate answers to ``checklist`` from a .csv/.xlsx/.parquet file or a DataFrame.

    ``districts``: the canonical district list (default İstanbul's 39). Returns a :class:`gcdb.read.ReadResult`
    whose ``data`` has :data:`ANSWER_COLUMNS` with each answer's points.
    """
    if not isinstance(checklist, Checklist):
        raise UsageError(f"checklist must be a gcdb.checklists.Checklist, got {type(checklist).__name__}")
    table = Table(raw_table(source, sheet=sheet), _KEYS, KIND)
    if table.n == 0:
        table.file_issue(IssueCode.EMPTY_FILE, t("checklists.read.no_rows"))
    if not table.require(N.ASSESSMENT_REQUIRED) or table.n == 0:
        return finish(_empty(table), strict)
    frame = _parse(table, checklist, districts)
    result = table.result(frame)
    data = N.conform(result.data.assign(**{C.SOURCE_ROW: result.data[C.SOURCE_ROW]}), ANSWER_COLUMNS)
    return finish(_with_data(result, data), strict)


def _empty(table: Table) -> ReadResult:
    result = table.result(pd.DataFrame(index=range(table.n)))
    return _with_data(result, N.conform(None, ANSWER_COLUMNS))


def _with_data(result: ReadResult, data: pd.DataFrame) -> ReadResult:
    fields = {f: getattr(result, f) for f in result.__dataclass_fields__}
    return ReadResult(**(fields | {"data": data}))


def _parse(table: Table, checklist: Checklist, districts) -> pd.DataFrame:
    out: dict[str, pd.Series] = {}
    for name in N.ASSESSMENT_REQUIRED:
        out[name] = table.required_text(name)
    for name in (
        N.CHECKLIST_ID,
        N.SUBJECT_NAME,
        C.SERVICE_CODE,
        C.RULE_ID,
        C.ACTION_CODE,
        C.LINE_ID,
        N.EVIDENCE,
        N.NOTE,
    ):
        out[name] = table.text(name)
    out[C.ACTION_CODE] = map_distinct(out[C.ACTION_CODE], lambda s: s.replace(" ", "").upper())

    other = (
        out[N.CHECKLIST_ID].notna().to_numpy()
        & (out[N.CHECKLIST_ID] != checklist.id).fillna(False).to_numpy()
    )
    table.add(
        other,
        N.CHECKLIST_ID,
        IssueCode.INVALID_VALUE,
        t("checklists.read.other_checklist", id=repr(checklist.id)),
    )

    dates, blank, invalid = parse_dates(table.text(N.ASSESSED_ON))
    table.add(invalid, N.ASSESSED_ON, IssueCode.UNPARSEABLE_DATE, t("checklists.read.not_date"))
    out[N.ASSESSED_ON] = dates.reset_index(drop=True)
    years = parse_integer(table.text(C.FISCAL_YEAR))
    table.add(years.invalid, C.FISCAL_YEAR, IssueCode.UNPARSEABLE_NUMBER, years.reason)
    from_date = pd.Series(dates.dt.year.to_numpy(), dtype="Int64")
    given = pd.Series(pd.array(np.where(years.ok, years.values, 0), dtype="Int64")).where(years.ok)
    out[C.FISCAL_YEAR] = given.fillna(from_date)

    district_text = table.text(C.DISTRICT)
    district = normalise_district(district_text, districts).reset_index(drop=True)
    table.add(
        district.isna().to_numpy() & district_text.notna().to_numpy(),
        C.DISTRICT,
        IssueCode.UNKNOWN_DISTRICT,
        t("checklists.read.unknown_district"),
        severity=W,
    )
    out[C.DISTRICT] = district.where(district.notna(), district_text)

    frame = pd.DataFrame(out)
    frame = _answers(table, frame, checklist)
    _duplicates(table, frame)
    _consistent(table, frame)
    _unanswered(table, frame, checklist)
    return frame


def _answers(table: Table, frame: pd.DataFrame, checklist: Checklist) -> pd.DataFrame:
    questions = question_table(checklist)
    merged = frame[[N.QUESTION_ID]].merge(questions, on=N.QUESTION_ID, how="left")
    known = merged[N.SECTION_ID].notna().to_numpy()
    table.add(
        frame[N.QUESTION_ID].notna().to_numpy() & ~known,
        N.QUESTION_ID,
        IssueCode.UNKNOWN_CODE,
        t("checklists.read.unknown_question", id=repr(checklist.id)),
    )
    keys = map_distinct(frame[N.ANSWER], fold)
    answers = pd.DataFrame({"scale": merged["scale"], "key": keys}).merge(
        answer_table(checklist), on=["scale", "key"], how="left"
    )
    on_scale = answers[N.ANSWER].notna().to_numpy()
    tr = current_lang() == "tr"
    allowed = merged["scale"].map(
        {
            s.id: " / ".join(f"{o.code} ({o.label_tr if tr else o.label_en})" for o in s.options)
            for s in checklist.scales
        }
    )
    table.add(
        known & frame[N.ANSWER].notna().to_numpy() & ~on_scale,
        N.ANSWER,
        IssueCode.INVALID_VALUE,
        t_array("checklists.read.off_scale", allowed=allowed.astype("str")),
    )
    value = answers["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    na = answers[N.NOT_APPLICABLE].fillna(False).to_numpy(dtype=bool)
    max_points = merged[N.MAX_POINTS].to_numpy(dtype=np.float64, na_value=np.nan)
    return frame.assign(
        **{
            N.SECTION_ID: merged[N.SECTION_ID].to_numpy(),
            N.ANSWER: answers[N.ANSWER].astype("str").to_numpy(),
            N.POINTS: np.where(na, 0.0, np.nan_to_num(value * max_points)),
            N.MAX_POINTS: max_points,
            N.NOT_APPLICABLE: na,
        }
    )


def _rows_of(table: Table, first: np.ndarray) -> pd.Series:
    return pd.Series(table.raw.source_row[first], dtype="int64").astype("str")


def _duplicates(table: Table, frame: pd.DataFrame) -> None:
    later, first = first_of_duplicates(frame[[N.ASSESSMENT_ID, N.QUESTION_ID]])
    table.add(
        later,
        N.QUESTION_ID,
        IssueCode.DUPLICATE_ID,
        t_array("checklists.read.answered_twice", row=_rows_of(table, first)),
    )


def _consistent(table: Table, frame: pd.DataFrame) -> None:
    """The assessment's own columns must be the same on every row of it (checked per column, vectorised)."""
    group = frame[N.ASSESSMENT_ID].astype("str").fillna("")
    first = pd.Series(np.arange(len(frame))).groupby(group.to_numpy()).transform("min").to_numpy()
    for column in N.HEADER_COLUMNS:
        if not table.has(column) and column != C.FISCAL_YEAR:
            continue
        values = frame[column].astype("str").fillna("").to_numpy(dtype=object)
        differs = values != values[first]
        table.add(
            differs,
            column,
            IssueCode.INVALID_VALUE,
            t_array("checklists.read.differs", row=_rows_of(table, first), column=label(column)),
        )


def _unanswered(table: Table, frame: pd.DataFrame, checklist: Checklist) -> None:
    """A warning on the first row of each assessment that leaves questions unanswered (they score 0)."""
    total = len(checklist.questions)
    known = frame[frame[N.SECTION_ID].notna()]
    answered = known.groupby(N.ASSESSMENT_ID, sort=False)[N.QUESTION_ID].nunique()
    short = answered[answered < total]
    if short.empty:
        return
    first_rows = frame.reset_index().drop_duplicates(N.ASSESSMENT_ID).set_index(N.ASSESSMENT_ID)["index"]
    mask = np.zeros(len(frame), dtype=bool)
    mask[first_rows.loc[short.index].to_numpy()] = True
    message = pd.Series("", index=range(len(frame)), dtype="object")
    # pandas-stubs do not take an array of values (one per position) on the right of .iloc[positions] =
    message.iloc[first_rows.loc[short.index].to_numpy()] = t_array(  # type: ignore[call-overload]
        "checklists.read.unanswered", n=short.astype("str"), total=str(total)
    )
    table.add(mask, N.QUESTION_ID, IssueCode.MISSING_VALUE, message.to_numpy(dtype=object), severity=W)
