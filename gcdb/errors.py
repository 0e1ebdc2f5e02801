"""Errors as data: stable issue codes, the issues table, and the exceptions that carry it.

Every problem gcdb finds in input data becomes a row of an *issues table* with the fixed columns
:data:`gcdb.columns.ISSUE_COLUMNS` (``file, row, column, code, severity, message, value``). Callers filter and
count it like any DataFrame; strict mode raises :class:`DataValidationError` carrying the same table.
Codes are stable strings: once published, a code keeps its meaning. Codes stay English in every language; their
descriptions (:func:`issue_label`), the messages and the exceptions' texts are in the current language
(:mod:`gcdb.i18n`): an exception raised with a :class:`gcdb.i18n.Message` can be shown again in another language
with :meth:`GcdbError.render`.
"""

from __future__ import annotations

from enum import StrEnum

import pandas as pd

from gcdb import columns as C


class IssueCode(StrEnum):
    """Stable codes of data issues. The value is what appears in the issues table's ``code`` column."""

    # file level
    FILE_NOT_FOUND = "file_not_found"
    FILE_UNREADABLE = "file_unreadable"
    UNSUPPORTED_FORMAT = "unsupported_format"
    EMPTY_FILE = "empty_file"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    PERSONAL_DATA = "personal_data"  # a column looks like T.C. kimlik numbers or personal names
    # value level
    MISSING_VALUE = "missing_value"
    UNPARSEABLE_NUMBER = "unparseable_number"
    UNPARSEABLE_DATE = "unparseable_date"
    NEGATIVE_AMOUNT = "negative_amount"
    EXPENDITURE_EXCEEDS_REVISED = "expenditure_exceeds_revised"
    MALFORMED_CODE = "malformed_code"
    DUPLICATE_ID = "duplicate_id"
    UNKNOWN_SEX = "unknown_sex"
    UNKNOWN_DISABILITY = "unknown_disability"
    UNKNOWN_MIGRANT_STATUS = "unknown_migrant_status"
    AGE_OUT_OF_RANGE = "age_out_of_range"
    UNKNOWN_AGE_BAND = "unknown_age_band"
    UNKNOWN_DISTRICT = "unknown_district"
    UNKNOWN_NEIGHBOURHOOD = "unknown_neighbourhood"
    INVALID_VALUE = "invalid_value"
    UNKNOWN_CODE = (
        "unknown_code"  # well-formed, but not in the reference list (classification code, action, question)
    )
    SUBTOTAL_MISMATCH = "subtotal_mismatch"  # a published subtotal differs from the lines it totals
    # safety (issue #13): personal data, silent loss, bounded resources
    PERSONAL_DATA_MASKED = (
        "personal_data_masked"  # free text: a name, phone, e-mail or T.C. number was masked
    )
    AMOUNT_OUT_OF_RANGE = "amount_out_of_range"  # an amount beyond the sane bound of one budget line
    TOTAL_OVERFLOW = "total_overflow"  # a total does not fit in 64-bit kuruş
    FORMULA_WITHOUT_VALUE = "formula_without_value"  # an Excel formula cell with no cached value
    MIXED_ENCODING = "mixed_encoding"  # lines in Windows-1254 and lines in UTF-8 in one file
    SHEET_CHOSEN = "sheet_chosen"  # a workbook with other sheets (or a hidden first sheet): which was read
    LIMIT_EXCEEDED = (
        "limit_exceeded"  # a file beyond a resource limit (cells, inflated size, compression ratio)
    )
    SENTINEL_DATE = "sentinel_date"  # a placeholder date such as 9999-12-31 or 0000-00-00
    # collection workbooks (gcdb.forms): a returned copy of a form gcdb wrote (sheet and cell named)
    NOT_A_FORM = "not_a_form"  # no gcdb key sheet: not a copy of a form gcdb made
    FORM_KEY_DAMAGED = "form_key_damaged"  # the hidden key does not match its checksum
    WRONG_FORM = "wrong_form"  # a copy of another kind of form
    FORM_VERSION = "form_version"  # made from another version of the form
    IDENTITY_MISMATCH = "identity_mismatch"  # another unit, year or plan version than expected
    SHEET_MISSING = "sheet_missing"  # a data sheet was deleted or renamed
    STRUCTURE_CHANGED = "structure_changed"  # columns moved, renamed, inserted or deleted
    FIXED_CELL_CHANGED = "fixed_cell_changed"  # a cell gcdb wrote was edited
    UNEXPECTED_ROW = "unexpected_row"  # a row the form did not have (added, or its key edited)
    ROW_MISSING = "row_missing"  # a row of the form is not in the copy (deleted, or its key edited)
    DUPLICATE_ROW = "duplicate_row"  # the same row twice
    NOT_A_CHOICE = "not_a_choice"  # a value that is not in the drop-down list
    OUT_OF_RANGE = "out_of_range"  # a number outside its range (a percentage over 100 …)
    REQUIRED_IF = "required_if"  # a field a rule makes required is blank ("done" with no description)
    TEXT_TOO_LONG = "text_too_long"
    PATTERN_MISMATCH = "pattern_mismatch"  # a code not in the expected shape
    FORMULA_IN_CELL = "formula_in_cell"  # a formula in a fill-in cell
    # plan monitoring (gcdb.monitor): consistency of the returns and with the budget
    DUPLICATE_RETURN = "duplicate_return"  # a unit sent its form for one year more than once
    INCONSISTENT_PROGRESS = "inconsistent_progress"  # the progress does not fit the status
    SPENT_NOT_STARTED = "spent_not_started"  # money spent on an action reported as not started
    SPENT_EXCEEDS_APPROPRIATION = (
        "spent_exceeds_appropriation"  # more than the action's revised appropriation
    )
    SPENT_WITHOUT_TAGGED_LINE = (
        "spent_without_tagged_line"  # money reported, no budget line tagged to the action
    )


def issues_frame(rows: list[dict] | None = None) -> pd.DataFrame:
    """Build an issues table with the canonical columns and dtypes from a list of dicts (may be empty)."""
    frame = pd.DataFrame(rows or [], columns=list(C.ISSUE_COLUMNS))
    return frame.astype(
        {
            C.ISSUE_FILE: "str",
            C.ISSUE_ROW: "Int64",
            C.ISSUE_COLUMN: "str",
            C.ISSUE_CODE: "str",
            C.ISSUE_SEVERITY: "str",
            C.ISSUE_MESSAGE: "str",
            C.ISSUE_VALUE: "str",
        }
    )


def concat_issues(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate issues tables, keeping the canonical columns even when all are empty."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return issues_frame()
    return (
        issues_frame()
        .pipe(lambda empty: pd.concat([empty, *frames], ignore_index=True))
        .astype(issues_frame().dtypes.to_dict())
    )


def issue_label(code: str, lang: str | None = None) -> str:
    """The short description of an issue code in ``lang`` (``unknown_district`` → ``Tanınmayan ilçe``); the code
    itself when the catalogue has none."""
    from gcdb.i18n import optional

    return optional(f"issue.{code}", code, lang)


def severity_label(severity: str, lang: str | None = None) -> str:
    """``error`` / ``warning`` in ``lang`` (``hata`` / ``uyarı``)."""
    from gcdb.i18n import optional

    return optional(f"severity.{severity}", severity, lang)


def format_issues(issues: pd.DataFrame, limit: int = 50, *, lang: str | None = None) -> str:
    """Human-readable rendering of an issues table (for the CLI and exception messages), its furniture in
    ``lang`` (default: the current language); codes stay as they are, messages as the reader wrote them."""
    from gcdb.i18n import format_int, t

    if issues.empty:
        return t("issues.none", lang)
    lines = []
    for rec in issues.head(limit).to_dict("records"):
        row = rec[C.ISSUE_ROW]
        where = rec[C.ISSUE_FILE] + (f":{row}" if pd.notna(row) else "")
        col = rec[C.ISSUE_COLUMN]
        if isinstance(col, str) and col:
            where += f" [{col}]"
        value = rec[C.ISSUE_VALUE]
        shown = (
            " " + t("issues.value", lang, value=repr(value)) if isinstance(value, str) and value != "" else ""
        )
        severity = severity_label(rec[C.ISSUE_SEVERITY], lang)
        lines.append(f"{severity:7} {rec[C.ISSUE_CODE]:28} {where}: {rec[C.ISSUE_MESSAGE]}{shown}")
    if len(issues) > limit:
        lines.append(t("issues.more", lang, n=format_int(len(issues) - limit, lang)))
    return "\n".join(lines)


class GcdbError(Exception):
    """Base class of every error gcdb raises on purpose. The CLI turns these into exit code 1, no traceback.

    Raised with a :class:`gcdb.i18n.Message`, the error's text is in the language current when it was raised,
    and :meth:`render` shows it in another.
    """

    def render(self, lang: str | None = None) -> str:
        """The error's text in ``lang`` (default: the current language); as raised when it was not built from
        the catalogue."""
        from gcdb.i18n import render

        if len(self.args) == 1:
            return render(self.args[0], lang)
        return str(self)


class UsageError(GcdbError):
    """A caller asked for something impossible (bad option, unknown scheme …). CLI exit code 2."""


class DataValidationError(GcdbError):
    """Input data has errors. ``issues`` is the issues table (see :func:`issues_frame`)."""

    def __init__(self, message: str, issues: pd.DataFrame | None = None):
        self.message = message
        self.issues = issues if issues is not None else issues_frame()
        super().__init__(self._text(None))

    def _text(self, lang: str | None) -> str:
        from gcdb.i18n import render

        if not hasattr(self, "message"):  # a subclass that set its text itself
            return str(self)
        detail = format_issues(self.issues, limit=20, lang=lang) if len(self.issues) else ""
        message = render(self.message, lang)
        return f"{message}\n{detail}" if detail else message

    def render(self, lang: str | None = None) -> str:
        """The message and the first issues, in ``lang``."""
        return self._text(lang)


class RuleError(GcdbError):
    """A rule set or rule test is invalid. The message names the file, line and rule id."""

    def __init__(
        self, message: str, *, file: str | None = None, line: int | None = None, rule_id: str | None = None
    ):
        self.file, self.line, self.rule_id = file, line, rule_id
        self.message = message
        super().__init__(self._text(None))

    def _text(self, lang: str | None) -> str:
        from gcdb.i18n import render, t

        if not hasattr(self, "message"):  # a subclass that set its text itself
            return str(self)
        where = ""
        if self.file:
            where = f"{self.file}" + (f":{self.line}" if self.line else "")
        if self.rule_id:
            rule = t("error.rule", lang, rule_id=repr(self.rule_id))
            where += f" ({rule})" if where else rule
        message = render(self.message, lang)
        return f"{where}: {message}" if where else message

    def render(self, lang: str | None = None) -> str:
        """Where (file, line, rule) and what, in ``lang``."""
        return self._text(lang)


class CatalogueError(GcdbError):
    """An equality-plan catalogue is invalid or a lookup failed."""

    issues: pd.DataFrame  # set (to the issues table) where the error comes from checking a catalogue
