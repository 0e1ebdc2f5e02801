"""Collection workbooks: a form spec, the xlsx a unit fills in, and the typed tables read back from it.

gcdb sends departments workbooks to fill in — monitoring returns today, costing sheets and checklist assessments
next — and reads the returned copies back as validated tables. This package is the layer they share:

spec (:mod:`gcdb.forms.spec`)
    :class:`FormSpec` → :class:`SheetSpec` → :class:`FormField`: fixed identifying columns and fill-in columns
    of a kind (choice list, yes/no, integer, decimal, percent, money in TL, text, date) with ranges, patterns,
    ``required``/``required_if`` rules and help texts, in Turkish and English.
write (:func:`write_form`)
    the workbook: Turkish instructions, drop-downs and numeric ranges, input messages, locked structure with only
    the fill-in cells unlocked, formula-safe text, and a very hidden key tying the copy to its form kind, version
    and identity (unit, year, plan version) with a checksum of everything gcdb wrote.
read (:func:`read_form`)
    a returned copy as typed frames plus an issues table naming file, sheet, cell (``Eylemler!F12``) and column;
    rows with errors quarantined, never dropped.

``docs/forms.md`` is the guide.
"""

from gcdb.forms.issues import (
    CELL,
    FORM_CODES,
    FORM_ISSUE_COLUMNS,
    SHEET,
    FormIssueCode,
    concat_form_issues,
    form_issues_frame,
)
from gcdb.forms.key import KEY_SHEET, FormKey, SheetLayout
from gcdb.forms.read import FILLED, ROW_INDEX, FormRead, read_form
from gcdb.forms.spec import (
    Choice,
    Condition,
    FieldKind,
    FormField,
    FormSpec,
    IdentityField,
    RequiredIf,
    SheetSpec,
    Text,
)
from gcdb.forms.write import spec_digest, write_form

__all__ = [
    "FormSpec",
    "SheetSpec",
    "FormField",
    "FieldKind",
    "Choice",
    "Condition",
    "RequiredIf",
    "IdentityField",
    "Text",
    "write_form",
    "read_form",
    "FormRead",
    "FormKey",
    "SheetLayout",
    "KEY_SHEET",
    "FormIssueCode",
    "FORM_CODES",
    "FORM_ISSUE_COLUMNS",
    "SHEET",
    "CELL",
    "FILLED",
    "ROW_INDEX",
    "form_issues_frame",
    "concat_form_issues",
    "spec_digest",
]
