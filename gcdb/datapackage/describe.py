"""``datapackage.json`` for a folder of tidy tables: a Frictionless Tabular Data Package whose Table Schemas give
every column's type, title, description and unit, each table's primary key, and — for budget tables — the Fiscal
Data Package classifications and phases (see :mod:`gcdb.datapackage.spec`).

The descriptor is built from the DataFrames that were written (types from their dtypes), so it always matches the
files; it is deterministic (no timestamps): the same tables give the same bytes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import pandas as pd

from gcdb import columns as C
from gcdb.datapackage import spec
from gcdb.datapackage.dialects import PLAIN, CsvDialect, csv_dialect
from gcdb.errors import UsageError
from gcdb.text import fold

DESCRIPTOR: Final = "datapackage.json"
PARQUET_MEDIATYPE: Final = "application/vnd.apache.parquet"
LANGS: Final = ("tr", "en")


def _labels() -> list[Mapping[str, tuple[str, str]]]:
    """Label tables in lookup order: the report labels first, then this package's additions."""
    from gcdb.budget import names as budget_names
    from gcdb.equality import names as equality_names

    found: list[Mapping[str, tuple[str, str]]] = [C.LABELS]
    for module in (budget_names, equality_names):
        found.append(getattr(module, "LABELS", {}))
    found.append(spec.EXTRA_LABELS)
    return found


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "tr" else pair[1]


def _phase_family(name: str) -> tuple[str, str] | None:
    """``(family, phase)`` of a per-phase money or share column, ``("", phase)`` for a bare phase column."""
    for phase in C.PHASES:
        if name == phase:
            return "", phase
        if name.endswith("_" + phase) and name[: -len(phase) - 1] in spec.PHASE_FAMILIES:
            return name[: -len(phase) - 1], phase
    return None


def column_title(name: str, lang: str = "tr") -> str:
    """Human title of a column: its report label, or ``family – phase`` for per-phase columns."""
    family = _phase_family(name)
    if family is not None and family[0]:
        phase = C.label(family[1], lang)
        return f"{_pick(spec.PHASE_FAMILIES[family[0]][1], lang)} – {phase}"
    for labels in _labels():
        if name in labels:
            return _pick(labels[name], lang)
    return name.replace("_", " ").capitalize()


def column_unit(table: str, name: str) -> str | None:
    """Unit of a column (:data:`spec.KURUS`, :data:`spec.FRACTION` …), None when it has none."""
    if name in spec.TABLE_UNITS.get(table, {}):
        return spec.TABLE_UNITS[table][name]
    family = _phase_family(name)
    if family is not None:
        return spec.PHASE_FAMILIES[family[0]][0] if family[0] else spec.KURUS
    return spec.UNITS.get(name)


def _field_type(series: pd.Series) -> tuple[str, str | None]:
    if pd.api.types.is_bool_dtype(series):
        return "boolean", None
    if pd.api.types.is_integer_dtype(series):
        return "integer", None
    if pd.api.types.is_float_dtype(series):
        return "number", None
    if pd.api.types.is_datetime64_any_dtype(series):
        values = series.dropna()
        if series.dt.tz is not None:
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        has_time = bool((values != values.dt.normalize()).any())
        return ("datetime", "any") if has_time else ("date", None)
    return "string", None


def field_descriptor(
    table: str, name: str, series: pd.Series, *, lang: str = "tr", dialect: CsvDialect | None = PLAIN
) -> dict[str, Any]:
    """Table Schema field of column ``name`` of ``table`` (``dialect`` None: a Parquet file)."""
    kind, fmt = _field_type(series)
    title = column_title(name, lang)
    field: dict[str, Any] = {"name": name, "type": kind, "title": title}
    if fmt:
        field["format"] = fmt
    words = [title]
    unit = column_unit(table, name)
    if unit is not None:
        field["unit"] = unit
        words.append(_pick(spec.UNIT_TEXT[unit], lang))
    column_type = spec.TABLE_COLUMN_TYPES.get(table, {}).get(name) or spec.COLUMN_TYPES.get(name)
    if column_type:
        field["columnType"] = column_type
    family = _phase_family(name)
    if family is not None and unit == spec.KURUS:
        fdp = spec.FDP_PHASES[family[1]]
        field["normalize"] = {"phase": fdp, "measure": family[0] or "amount"}
        words.append(("FDP aşaması: " if lang == "tr" else "FDP phase: ") + fdp)
    if name == "phase" and kind == "string":
        field["constraints"] = {"enum": list(C.PHASES)}
        words.append(", ".join(f"{p} = {spec.FDP_PHASES[p]}" for p in C.PHASES))
    if kind == "number" and dialect is not None and dialect.decimal != ".":
        field["decimalChar"] = dialect.decimal
    field["description"] = "; ".join(words)
    return field


def primary_key(table: str, frame: pd.DataFrame) -> list[str] | None:
    """The first candidate key of :data:`spec.PRIMARY_KEYS` that ``frame`` has and satisfies, else None."""
    for key in spec.PRIMARY_KEYS.get(table, []):
        if not all(column in frame.columns for column in key):
            continue
        values = frame[list(key)]
        if values.isna().to_numpy().any():
            continue
        text = [c for c in key if not pd.api.types.is_numeric_dtype(values[c])]
        if text and (values[text].astype("str") == "").to_numpy().any():  # an empty CSV cell reads as missing
            continue
        if values.duplicated().any():
            continue
        return list(key)
    return None


def _extra_fields(fields: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """FDP ``extraFields`` when some money field is normalised by phase."""
    if not any("normalize" in f for f in fields):
        return []
    tr = lang == "tr"
    return [
        {"name": "phase", "type": "string", "columnType": "phase:id", "title": "Aşama" if tr else "Phase"},
        {"name": "measure", "type": "string", "title": "Ölçü" if tr else "Measure"},
        {
            "name": "amount",
            "type": "integer",
            "columnType": "value",
            "normalizationTarget": True,
            "unit": spec.KURUS,
            "title": "Tutar" if tr else "Amount",
        },
        {
            "name": "currency",
            "type": "string",
            "columnType": "value-currency:code",
            "constant": spec.CURRENCY,
        },
    ]


def table_schema(
    table: str, frame: pd.DataFrame, *, lang: str = "tr", dialect: CsvDialect | None = PLAIN
) -> dict[str, Any]:
    """Table Schema of ``frame`` written as table ``table``."""
    fields = [
        field_descriptor(table, str(name), frame[name], lang=lang, dialect=dialect) for name in frame.columns
    ]
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    key = primary_key(table, frame)
    if key:
        schema["primaryKey"] = key
    extra = _extra_fields(fields, lang)
    if extra:
        schema["extraFields"] = extra
    return schema


def resource_descriptor(
    table: str,
    frame: pd.DataFrame,
    *,
    formats: Sequence[str] = ("csv", "parquet"),
    dialect: str | CsvDialect = PLAIN,
    lang: str = "tr",
) -> dict[str, Any]:
    """Data Resource of one table: its CSV file (or its Parquet file when no CSV is written)."""
    d = csv_dialect(dialect)
    csv = "csv" in formats
    titles = spec.TABLE_TITLES.get(table)
    title = _pick(titles, lang) if titles else column_title(table, lang)
    resource: dict[str, Any] = {"name": table, "path": f"{table}.{'csv' if csv else 'parquet'}"}
    resource["profile"] = "tabular-data-resource"
    resource["title"] = title
    if csv:
        resource |= {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "dialect": d.descriptor()}
        if "parquet" in formats:
            resource["parquet"] = f"{table}.parquet"
            also = "Aynı tablo Parquet olarak" if lang == "tr" else "The same table as Parquet"
            resource["description"] = f"{title}. {also}: {table}.parquet"
    else:
        resource |= {"format": "parquet", "mediatype": PARQUET_MEDIATYPE}
    resource["schema"] = table_schema(table, frame, lang=lang, dialect=d if csv else None)
    return resource


def package_descriptor(
    tables: Mapping[str, pd.DataFrame],
    *,
    name: str = "gcdb",
    formats: Sequence[str] = ("csv", "parquet"),
    dialect: str | CsvDialect = PLAIN,
    lang: str = "tr",
) -> dict[str, Any]:
    """The whole ``datapackage.json`` for ``tables`` (file stem → the DataFrame written)."""
    if lang not in LANGS:
        raise UsageError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    from gcdb import __version__

    if lang == "tr":
        title = f"gcdb tabloları: {name}"
        description = (
            "gcdb'nin düzenli tabloları. Para tutarları tamsayı kuruştur (1 TL = 100 kuruş); oranlar 1 = %100 "
            "kesirdir; eksik değerler boş hücredir. Bütçe tabloları Fiscal Data Package kurallarına göre "
            f"sınıflandırma ve aşama bilgisi taşır. gcdb {__version__} ile üretildi."
        )
    else:
        title = f"gcdb tables: {name}"
        description = (
            "gcdb's tidy tables. Money is integer kuruş (1 TL = 100 kuruş); shares are fractions (1 = 100 %); "
            "missing values are empty cells. Budget tables carry classifications and phases following the Fiscal "
            f"Data Package conventions. Made by gcdb {__version__}."
        )
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": description,
        "keywords": ["gcdb", "TCDB", "toplumsal cinsiyete duyarlı bütçeleme", "hizmette eşitlik"],
        "resources": [
            resource_descriptor(table, frame, formats=formats, dialect=dialect, lang=lang)
            for table, frame in tables.items()
        ],
    }


def package_name(directory: str | os.PathLike[str]) -> str:
    """A Data Package name (lower case ``[a-z0-9._-]``) from a folder name."""
    stem = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in fold(Path(directory).resolve().name))
    return stem.strip("._-").lower() or "gcdb"


def write_datapackage(
    directory: str | os.PathLike[str],
    tables: Mapping[str, pd.DataFrame],
    *,
    formats: Sequence[str] = ("csv", "parquet"),
    csv_dialect: str | CsvDialect = PLAIN,
    lang: str = "tr",
    name: str | None = None,
) -> Path:
    """Write ``directory/datapackage.json`` describing ``tables`` (file stem → DataFrame, as written there)."""
    target = Path(directory) / DESCRIPTOR
    descriptor = package_descriptor(
        tables, name=name or package_name(directory), formats=formats, dialect=csv_dialect, lang=lang
    )
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    target.write_text(text, encoding="utf-8", newline="\n")
    return target
