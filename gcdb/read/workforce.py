"""The municipality's own workforce: staff by unit, position, manager flag, contract type and sex — never names.

A workforce table is what a human-resources department can export without personal data: either one row per
group (unit × position × contract type × sex …) with a head count, or one row per person **without** any name or
T.C. kimlik number (each row then counts one person). Columns (Turkish headers recognised, see :data:`ALIASES`):

================  ========================================================================  ========
column            meaning                                                                   required
================  ========================================================================  ========
``fiscal_year``   the year the counts are for (or ``fiscal_year=`` for a file without it)   yes
``unit_name``     the unit (daire başkanlığı, müdürlük, iştirak) as the file writes it      yes
``sex``           ``Kadın/Erkek/K/E`` … (:func:`gcdb.normalise.normalise_sex`)              yes
``position``      unvan / kadro (``Mühendis``, ``Şube Müdürü``)                             no
``position_group`` unvan grubu / hizmet sınıfı (``Teknik``, ``İdari``, ``Sağlık``)           no
``manager``       yönetici mi: ``Evet/Hayır``; without the column, positions whose title    no
                  names a manager (*müdür*, *başkan*, *şef*, *koordinatör*, *genel sekreter*)
                  are managers
``contract_type`` istihdam türü: ``memur``, ``sozlesmeli``, ``kadrolu_isci``,                no
                  ``gecici_isci``, ``sirket_personeli`` (see :data:`CONTRACT_VALUES`), blank
                  → ``unknown``
``disability``    engellilik: ``Evet/Hayır`` or a degree (:func:`normalise_disability`)      no
``headcount``     kişi sayısı (a whole number ≥ 0); without the column each row is 1        no
================  ========================================================================  ========

:func:`read_workforce` reads a file (.csv, .xlsx, .parquet) and :func:`workforce_from_frame` a DataFrame into a
:class:`~gcdb.read.ReadResult` (``kind="workforce"``): valid rows, issues naming file, row and column, the rows
with errors quarantined, and a reconciliation of rows and head count. A table with a column of names or T.C.
kimlik numbers (by header or by content, :mod:`gcdb.read.personal`) is refused whole, and its cells never leave the
reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
import pandera.pandas as pa

from gcdb import columns as C
from gcdb.errors import IssueCode, concat_issues, issues_frame
from gcdb.i18n import label, speaks, t
from gcdb.normalise import normalise_disability, normalise_sex
from gcdb.read.aliases import header_key
from gcdb.read.numbers import parse_integer
from gcdb.read.personal import find_personal_columns
from gcdb.read.readers import _frame_table, read_table
from gcdb.read.result import ISSUE_CODES, ROWS, RawTable, ReadResult
from gcdb.text import fold, map_distinct

KIND: Final = "workforce"
POSITION: Final = "position"
POSITION_GROUP: Final = "position_group"
MANAGER: Final = "manager"
CONTRACT_TYPE: Final = "contract_type"
HEADCOUNT: Final = "headcount"

#: Columns of the valid rows, in order (then ``source_row``).
WORKFORCE_COLUMNS: Final = (
    C.FISCAL_YEAR,
    C.UNIT_NAME,
    POSITION,
    POSITION_GROUP,
    MANAGER,
    CONTRACT_TYPE,
    C.SEX,
    C.DISABILITY,
    HEADCOUNT,
)
REQUIRED: Final = (C.FISCAL_YEAR, C.UNIT_NAME, C.SEX)

MEMUR, SOZLESMELI, KADROLU_ISCI, GECICI_ISCI, SIRKET = (
    "memur",
    "sozlesmeli",
    "kadrolu_isci",
    "gecici_isci",
    "sirket_personeli",
)
CONTRACT_CODES: Final = (MEMUR, SOZLESMELI, KADROLU_ISCI, GECICI_ISCI, SIRKET, C.OTHER, C.UNKNOWN)
#: Contract types as files write them (folded) → code.
CONTRACT_VALUES: Final[Mapping[str, str]] = {
    **dict.fromkeys(("memur", "devlet memuru", "kadrolu memur", "657 4a", "4a", "civil servant"), MEMUR),
    **dict.fromkeys(
        ("sozlesmeli", "sozlesmeli personel", "4b", "657 4b", "tam zamanli sozlesmeli", "contract"),
        SOZLESMELI,
    ),
    **dict.fromkeys(("kadrolu isci", "daimi isci", "isci", "surekli isci", "permanent worker"), KADROLU_ISCI),
    **dict.fromkeys(("gecici isci", "mevsimlik isci", "4c", "temporary worker"), GECICI_ISCI),
    **dict.fromkeys(
        (
            "sirket personeli",
            "sirket",
            "tasere",
            "taseron",
            "hizmet alimi",
            "istirak personeli",
            "company staff",
        ),
        SIRKET,
    ),
    **dict.fromkeys(("diger", "other"), C.OTHER),
    **dict.fromkeys(("bilinmiyor", "belirtilmemis", "unknown"), C.UNKNOWN),
}
_YES: Final = frozenset({"evet", "e", "var", "yes", "y", "true", "1", "yonetici"})
_NO: Final = frozenset({"hayir", "h", "yok", "no", "n", "false", "0"})
#: Position titles that name a manager (folded words), used when the file has no manager column.
MANAGER_WORDS: Final = r"\b(?:mudur\w*|baskan\w*|sef|sefi|koordinator\w*|genel sekreter\w*|daire baskani)\b"

#: Header aliases (compared with :func:`gcdb.read.aliases.header_key`).
ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    C.FISCAL_YEAR: ("fiscal_year", "Yıl", "Mali Yıl", "Dönem", "Year"),
    C.UNIT_NAME: (
        "unit_name",
        "Birim",
        "Birim Adı",
        "Daire Başkanlığı",
        "Müdürlük",
        "Kurum",
        "Şirket",
        "Unit",
    ),
    POSITION: ("position", "Unvan", "Ünvan", "Kadro Unvanı", "Görev", "Görevi", "Pozisyon", "Position"),
    POSITION_GROUP: (
        "position_group",
        "Unvan Grubu",
        "Hizmet Sınıfı",
        "Personel Grubu",
        "Kadro Grubu",
        "Position Group",
    ),
    MANAGER: ("manager", "Yönetici", "Yönetici mi", "Yöneticilik", "Manager"),
    CONTRACT_TYPE: (
        "contract_type",
        "İstihdam Türü",
        "İstihdam Şekli",
        "Kadro Türü",
        "Statü",
        "Sözleşme Türü",
        "Contract Type",
    ),
    C.SEX: ("sex", "Cinsiyet", "Cinsiyeti", "Sex", "Gender"),
    C.DISABILITY: ("disability", "Engellilik", "Engellilik Durumu", "Engelli", "Engel Durumu", "Disability"),
    HEADCOUNT: (
        "headcount",
        "Kişi Sayısı",
        "Personel Sayısı",
        "Çalışan Sayısı",
        "Sayı",
        "Adet",
        "Count",
        "Headcount",
    ),
}

#: The frame :func:`read_workforce` returns (the specification; the engine below makes it).
WORKFORCE_SCHEMA: Final = pa.DataFrameSchema(
    {
        C.FISCAL_YEAR: pa.Column("int64", pa.Check.in_range(1990, 2100)),
        C.UNIT_NAME: pa.Column("str"),
        POSITION: pa.Column("str", nullable=True),
        POSITION_GROUP: pa.Column("str", nullable=True),
        MANAGER: pa.Column("bool"),
        CONTRACT_TYPE: pa.Column("str", pa.Check.isin(list(CONTRACT_CODES))),
        C.SEX: pa.Column("str", pa.Check.isin(list(C.SEX_CODES))),
        C.DISABILITY: pa.Column("str", pa.Check.isin(list(C.DISABILITY_CODES))),
        HEADCOUNT: pa.Column("int64", pa.Check.ge(0)),
        C.SOURCE_ROW: pa.Column("int64", pa.Check.ge(1)),
    },
    strict=True,
    ordered=True,
    name="workforce",
)


def _contract_key(text: str) -> str:
    return " ".join(fold(text).replace(".", " ").replace("/", " ").replace("-", " ").split())


def _map_headers(headers: tuple[str, ...], aliases: Mapping[str, str | None] | None) -> dict[str, int]:
    table: dict[str, str | None] = {header_key(a): name for name, names in ALIASES.items() for a in names}
    table.update({header_key(k): v for k, v in (aliases or {}).items()})
    out: dict[str, int] = {}
    for pos, header in enumerate(headers):
        name = table.get(header_key(header))
        if name and name not in out:
            out[name] = pos
    return out


class _Issues:
    def __init__(self, source: str):
        self.source = source
        self.parts: list[pd.DataFrame] = []

    def add(
        self, mask: np.ndarray, rows: np.ndarray, column: str, code, message: str, values, severity=C.ERROR
    ):
        if not mask.any():
            return
        n = int(mask.sum())
        self.parts.append(
            issues_frame().pipe(
                lambda e: pd.concat(
                    [
                        e,
                        pd.DataFrame(
                            {
                                C.ISSUE_FILE: [self.source] * n,
                                C.ISSUE_ROW: rows[mask],
                                C.ISSUE_COLUMN: [column] * n,
                                C.ISSUE_CODE: [str(code)] * n,
                                C.ISSUE_SEVERITY: [severity] * n,
                                C.ISSUE_MESSAGE: [message] * n,
                                C.ISSUE_VALUE: pd.Series(values, dtype="str")
                                .fillna("")
                                .to_numpy(dtype=object)[mask],
                            }
                        ),
                    ],
                    ignore_index=True,
                )
            )
        )

    def one(self, code, message: str, column: str = "", row=None, value: str = ""):
        self.parts.append(
            issues_frame(
                [
                    {
                        C.ISSUE_FILE: self.source,
                        C.ISSUE_ROW: row,
                        C.ISSUE_COLUMN: column,
                        C.ISSUE_CODE: str(code),
                        C.ISSUE_SEVERITY: C.ERROR,
                        C.ISSUE_MESSAGE: message,
                        C.ISSUE_VALUE: value,
                    }
                ]
            )
        )

    def frame(self) -> pd.DataFrame:
        return concat_issues(self.parts)


def _codes(categorical: pd.Series) -> pd.Series:
    """A categorical of codes as ``str`` (unrecognised values stay missing)."""
    return pd.Series(categorical.astype(object).where(categorical.notna()), dtype="str")


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in WORKFORCE_COLUMNS})
    return frame.astype({C.FISCAL_YEAR: "int64", MANAGER: "bool", HEADCOUNT: "int64"}).assign(
        **{C.SOURCE_ROW: pd.Series(dtype="int64")}
    )


def _reconciliation(read_rows: int, valid_rows: int, read_count: int, valid_count: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "measure": [ROWS, HEADCOUNT],
            "read": [read_rows, read_count],
            "valid": [valid_rows, valid_count],
            "quarantined": [read_rows - valid_rows, read_count - valid_count],
        }
    ).astype({"measure": "str", "read": "int64", "valid": "int64", "quarantined": "int64"})


def _refused(table: RawTable, issues: _Issues, strict: bool) -> ReadResult:
    codes = issues.frame()[C.ISSUE_CODE].iloc[0] if len(issues.parts) else ""
    quarantine = pd.DataFrame(
        {
            C.SOURCE_ROW: table.source_row.astype(np.int64),
            ISSUE_CODES: pd.Series([codes] * len(table.frame), dtype="str"),
        }
    )
    result = ReadResult(
        kind=KIND,
        data=_empty(),
        issues=issues.frame(),
        quarantine=quarantine,
        reconciliation=_reconciliation(len(table.frame), 0, 0, 0),
        source=table.source,
        refused=True,
    )
    return result.raise_for_errors() if strict else result


def validate_workforce(
    table: RawTable,
    *,
    fiscal_year: int | None = None,
    aliases: Mapping[str, str | None] | None = None,
    strict: bool = False,
) -> ReadResult:
    """Validate a raw workforce table (see the module docstring)."""
    issues = _Issues(table.source)
    personal = find_personal_columns(table.frame, table.headers)
    if personal:
        for hit in personal:
            row = 1 if hit["row"] is None else int(table.source_row[hit["row"]])
            issues.one(
                IssueCode.PERSONAL_DATA,
                t(
                    "read.workforce.personal",
                    header=repr(hit["header"]),
                    reason=t(f"validate.personal.{hit['kind']}"),
                ),
                column=hit["header"],
                row=row,
                value=hit["value"],
            )
        return _refused(table, issues, strict)
    cols = _map_headers(table.headers, aliases)
    missing = [c for c in REQUIRED if c not in cols and not (c == C.FISCAL_YEAR and fiscal_year is not None)]
    if missing:
        issues.one(
            IssueCode.MISSING_COLUMN,
            t("read.workforce.missing", missing=", ".join(missing), found=", ".join(table.headers)),
        )
        return _refused(table, issues, strict)
    n = len(table.frame)
    rows = table.source_row.astype(np.int64)
    error = np.zeros(n, dtype=bool)
    codes = np.full(n, "", dtype=object)

    def text(name: str) -> pd.Series:
        if name not in cols:
            return pd.Series([None] * n, dtype="str")
        values = table.frame.iloc[:, cols[name]].astype("str").str.strip()
        return values.where(values != "")

    def header(name: str) -> str:
        return table.headers[cols[name]] if name in cols else name

    def flag(mask, name, code, message, values, severity=C.ERROR):
        nonlocal error, codes
        issues.add(mask, rows, header(name), code, message, values, severity)
        if severity == C.ERROR:
            error |= mask
            codes = np.where(mask, np.where(codes == "", str(code), codes + "|" + str(code)), codes)

    # year
    if C.FISCAL_YEAR in cols:
        raw_year = text(C.FISCAL_YEAR)
        parsed = parse_integer(raw_year)
        bad = ~parsed.ok | (parsed.values < 1990) | (parsed.values > 2100)
        flag(bad & ~parsed.blank, C.FISCAL_YEAR, IssueCode.INVALID_VALUE, t("read.workforce.year"), raw_year)
        if fiscal_year is None:
            flag(
                parsed.blank,
                C.FISCAL_YEAR,
                IssueCode.MISSING_VALUE,
                t("validate.empty", label=label(C.FISCAL_YEAR, running=True)),
                raw_year,
            )
        year = np.where(parsed.ok, parsed.values, fiscal_year if fiscal_year is not None else 0)
    else:
        assert fiscal_year is not None  # no year column and no fiscal_year was refused above (missing)
        year = np.full(n, int(fiscal_year), dtype=np.int64)
    unit = text(C.UNIT_NAME)
    flag(unit.isna().to_numpy(), C.UNIT_NAME, IssueCode.MISSING_VALUE, t("read.workforce.unit_empty"), unit)
    raw_sex = text(C.SEX)
    sex = _codes(normalise_sex(raw_sex))
    flag(sex.isna().to_numpy(), C.SEX, IssueCode.UNKNOWN_SEX, t("read.workforce.sex"), raw_sex)
    raw_dis = text(C.DISABILITY)
    disability = _codes(normalise_disability(raw_dis))
    flag(
        disability.isna().to_numpy(),
        C.DISABILITY,
        IssueCode.UNKNOWN_DISABILITY,
        t("read.workforce.disability"),
        raw_dis,
    )
    raw_contract = text(CONTRACT_TYPE)
    contract = map_distinct(raw_contract, lambda v: CONTRACT_VALUES.get(_contract_key(v)))
    bad_contract = raw_contract.notna().to_numpy() & contract.isna().to_numpy()
    flag(
        bad_contract,
        CONTRACT_TYPE,
        IssueCode.INVALID_VALUE,
        t("read.workforce.contract"),
        raw_contract,
    )
    contract = contract.fillna(C.UNKNOWN)
    position = text(POSITION)
    if MANAGER in cols:
        raw_manager = text(MANAGER)
        folded = map_distinct(raw_manager, fold)
        yes, no = folded.isin(_YES).to_numpy(dtype=bool), folded.isin(_NO).to_numpy(dtype=bool)
        flag(
            raw_manager.notna().to_numpy() & ~(yes | no),
            MANAGER,
            IssueCode.INVALID_VALUE,
            t("read.workforce.yes_no"),
            raw_manager,
        )
        manager = yes
    else:
        manager = (
            map_distinct(position, fold).str.contains(MANAGER_WORDS, regex=True).fillna(False).to_numpy(bool)
        )
    if HEADCOUNT in cols:
        raw_count = text(HEADCOUNT)
        parsed = parse_integer(raw_count)
        flag(
            ~parsed.ok & ~parsed.blank,
            HEADCOUNT,
            IssueCode.UNPARSEABLE_NUMBER,
            t("read.number.not_whole"),
            raw_count,
        )
        flag(parsed.blank, HEADCOUNT, IssueCode.MISSING_VALUE, t("read.workforce.count_empty"), raw_count)
        flag(
            parsed.ok & (parsed.values < 0),
            HEADCOUNT,
            IssueCode.NEGATIVE_AMOUNT,
            t("read.workforce.count_negative"),
            raw_count,
        )
        count = np.where(parsed.ok, parsed.values, 0)
    else:
        count = np.ones(n, dtype=np.int64)
    frame = pd.DataFrame(
        {
            C.FISCAL_YEAR: year.astype(np.int64),
            C.UNIT_NAME: unit,
            POSITION: position,
            POSITION_GROUP: text(POSITION_GROUP),
            MANAGER: manager.astype(bool),
            CONTRACT_TYPE: contract.astype("str"),
            C.SEX: sex,
            C.DISABILITY: disability,
            HEADCOUNT: count.astype(np.int64),
            C.SOURCE_ROW: rows,
        }
    )
    valid = ~error
    data = WORKFORCE_SCHEMA.validate(frame[valid].reset_index(drop=True))
    quarantine = table.frame[error].copy()
    quarantine.columns = list(table.headers)
    added: dict[str, np.ndarray | pd.Series] = {
        C.SOURCE_ROW: rows[error],
        ISSUE_CODES: pd.Series(codes[error], dtype="str"),
    }
    quarantine = quarantine.reset_index(drop=True).assign(**added)
    result = ReadResult(
        kind=KIND,
        data=data,
        issues=issues.frame(),
        quarantine=quarantine,
        reconciliation=_reconciliation(n, int(valid.sum()), int(count.sum()), int(count[valid].sum())),
        source=table.source,
        columns_map={table.headers[p]: name for name, p in cols.items()},
        ignored_columns=tuple(h for i, h in enumerate(table.headers) if i not in set(cols.values())),
    )
    return result.raise_for_errors() if strict else result


@speaks
def read_workforce(
    path: str | Path,
    *,
    fiscal_year: int | None = None,
    aliases: Mapping[str, str | None] | None = None,
    sheet: str | int | None = None,
    strict: bool = False,
    lang: str | None = None,
) -> ReadResult:
    """Read a workforce table from a .csv, .xlsx or .parquet file (see the module docstring)."""
    return validate_workforce(
        read_table(path, sheet=sheet), fiscal_year=fiscal_year, aliases=aliases, strict=strict
    )


@speaks
def workforce_from_frame(
    df: pd.DataFrame,
    *,
    source: str = "<DataFrame>",
    fiscal_year: int | None = None,
    aliases: Mapping[str, str | None] | None = None,
    strict: bool = False,
    lang: str | None = None,
) -> ReadResult:
    """Validate a workforce table held in a DataFrame, exactly as :func:`read_workforce` validates a file."""
    return validate_workforce(
        _frame_table(df, source), fiscal_year=fiscal_year, aliases=aliases, strict=strict
    )
