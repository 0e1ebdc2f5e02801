"""The hidden key of a form copy: what the copy is, where everything sits, and what gcdb wrote in it.

Every workbook :func:`gcdb.forms.write_form` makes carries a *very hidden* sheet (:data:`KEY_SHEET`; Excel's user
interface cannot unhide it) holding one JSON document, the :class:`FormKey`:

* the form kind and spec version, the language the copy was written in;
* the identity of the copy (for a monitoring return: unit, fiscal year, plan id and plan version) and the cells of
  the instructions sheet that show it;
* per data sheet: its name, the header row and first data row, the column of each field and the header text it
  shows, and the values of every fixed cell — the codes (``fixed``) and the text shown (``shown``).

The key sheet holds the SHA-256 of the JSON text in ``B2`` and the text itself in ``B4`` downwards, in chunks of at
most :data:`CHUNK` characters (a cell holds at most 32,767). A key whose text does not match its checksum was
edited: the copy cannot be trusted to say what it is.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Final

KEY_SHEET: Final = "_gcdb_form_key"
CHECKSUM_CELL: Final = (1, 1)  # B2, 0-based (row, col)
FIRST_CHUNK_ROW: Final = 3  # B4, 0-based
CHUNK: Final = 30_000
KEY_FORMAT: Final = 1


@dataclass(frozen=True)
class SheetLayout:
    """Where one data sheet's table sits and what gcdb wrote in its fixed cells.

    ``header_row``/``first_row`` are 1-based sheet rows; ``columns`` maps a field name to its 0-based column;
    ``headers`` to the header text shown; ``fixed`` maps each fixed field to its values (codes, as text) row by
    row and ``shown`` to the text written in its cells; ``kinds`` is the row kind of ``kind_from`` fields.
    """

    key: str
    name: str
    header_row: int
    first_row: int
    columns: dict[str, int]
    headers: dict[str, str]
    fixed: dict[str, list[str]]
    shown: dict[str, list[str]]
    n_rows: int


@dataclass(frozen=True)
class FormKey:
    """The parsed key of one copy (see the module docstring)."""

    form: str
    version: int
    lang: str
    identity: dict[str, str]
    identity_cells: dict[str, str]
    instructions_sheet: str
    sheets: tuple[SheetLayout, ...]
    spec_digest: str
    key_format: int = KEY_FORMAT
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """The canonical JSON text (sorted keys, no spaces) the checksum is computed over."""
        data = asdict(self)
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> FormKey:
        data = json.loads(text)
        sheets = tuple(SheetLayout(**s) for s in data.pop("sheets"))
        return cls(sheets=sheets, **data)

    def layout(self, key: str) -> SheetLayout:
        for s in self.sheets:
            if s.key == key:
                return s
        raise KeyError(key)


def checksum(text: str) -> str:
    """SHA-256 (hex) of a key's JSON text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chunks(text: str) -> list[str]:
    """The key text cut into cell-sized pieces."""
    return [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)] or [""]


def spec_digest(spec_json: str) -> str:
    """Short digest of a form spec's JSON (first 16 hex digits of SHA-256): two copies made from the same spec
    have the same digest."""
    return hashlib.sha256(spec_json.encode("utf-8")).hexdigest()[:16]
