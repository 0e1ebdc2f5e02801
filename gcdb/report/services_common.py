"""What every section of the Hizmette Eşitlik report shares: the analysis, the language, labels of codes and
markers, suppression kinds, and a table constructor that carries them into the report model."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.errors import UsageError
from gcdb.i18n import known, t
from gcdb.report.model import Column, Place, Table
from gcdb.report.workbook import file_checksum
from gcdb.services import names as S


@dataclass
class Context:
    analysis: Any
    lang: str

    @property
    def k(self) -> int:
        return int(self.analysis.k)

    def t(self, key: str, **values: Any) -> str:
        return t(key, self.lang, **values)

    def label(self, name: str) -> str:
        """Header of a statistics column or a dimension."""
        key = f"services.column.{name}"
        if known(key):
            return self.t(key)
        return N.label(name, self.lang)


def display(values: pd.Series | np.ndarray | Sequence, lang: str) -> pd.Series:
    """Report text of codes and markers (``female`` → ``Kadın``, ``(total)`` → ``Toplam``), per distinct value."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    shown = np.asarray([N.label(str(u), lang) for u in uniques] + [None], dtype=object)
    return pd.Series(shown[codes], index=series.index, dtype="str")


def stratum_text(strata: pd.Series, stratum: pd.Series, lang: str) -> pd.Series:
    """``"sex|age_band"`` + ``"female|65+"`` → ``"Cinsiyet: Kadın · Yaş Grubu: 65+"`` (per distinct pair)."""
    pairs = pd.MultiIndex.from_arrays([strata.astype("str").fillna(""), stratum.astype("str").fillna("")])
    codes, uniques = pd.factorize(pairs)
    texts = []
    for dims, values in uniques:
        if not dims:
            texts.append("")
            continue
        parts = [
            f"{C.label(d, lang)}: {N.label(v, lang)}"
            for d, v in zip(dims.split("|"), values.split("|"), strict=False)
        ]
        texts.append(" · ".join(parts))
    return pd.Series(np.asarray(texts, dtype=object)[codes], index=strata.index, dtype="str")


def reason_text(values: pd.Series, lang: str) -> pd.Series:
    """Reason codes in words where the report has them (``no_linked_users``), else the code."""
    codes, uniques = pd.factorize(values.astype("str").fillna(""), use_na_sentinel=False)
    shown = [t(f"services.reason.{u}", lang) if known(f"services.reason.{u}") else str(u) for u in uniques]
    return pd.Series(np.asarray(shown, dtype=object)[codes], index=values.index, dtype="str")


def kind_array(frame: pd.DataFrame) -> np.ndarray:
    if N.SUPPRESSION in frame.columns:
        return frame[N.SUPPRESSION].astype("str").fillna("").to_numpy(dtype=object)
    if N.SUPPRESSED in frame.columns:
        return np.where(frame[N.SUPPRESSED].to_numpy(dtype=bool), S.PRIMARY, "").astype(object)
    return np.full(len(frame), "", dtype=object)


def table(
    ctx: Context,
    key: str,
    frame: pd.DataFrame,
    specs: Sequence[Column],
    *,
    hide: dict[str, Any] | None = None,
    flag: tuple[str, str] | None = None,
    gap: int = 1,
    **options: Any,
) -> Table:
    """A :class:`~gcdb.report.model.Table` with suppression kinds per column (``primary`` → ``<k``,
    ``secondary`` → ``*``) and the four-fifths flag tinting the ``flag[0]`` column from the ``flag[1]`` column."""
    frame = frame.reset_index(drop=True)
    names = [s.name for s in specs]
    if (
        N.FLAG in names and N.FLAG in frame.columns
    ):  # groups outside a service's eligible population, in words
        flag_text = frame[N.FLAG].astype("str")
        outside = (flag_text == N.NOT_ELIGIBLE).to_numpy(dtype=bool)
        if outside.any():
            frame = frame.copy()
            frame[N.FLAG] = flag_text.where(~outside, N.label(N.NOT_ELIGIBLE, ctx.lang))
    hidden = {c: np.asarray(v, dtype=object) for c, v in (hide or {}).items() if c in names}
    flags = None
    if flag is not None and flag[0] in names:
        values = frame[flag[1]].astype("str")
        flags = {flag[0]: values.where(values.isin([N.UNDER, N.OVER]))}
    return Table(key, frame, specs, hidden=hidden, flags=flags, place=Place(gap=gap), **options)


def shown_values(table: Table, column: str) -> np.ndarray:
    """The numbers a table shows in ``column``: NaN where missing or hidden."""
    values = pd.to_numeric(table.frame[column], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    kinds = table.hidden.get(column)
    if kinds is not None:
        values = np.where(np.asarray(kinds, dtype=object) == "", values, np.nan)
    return values


def hidden_counts(table: Table) -> tuple[int, int]:
    """Cells of ``table`` hidden as primary (``<k``) and as secondary (``*``)."""
    primary = sum(int((np.asarray(v, dtype=object) == S.PRIMARY).sum()) for v in table.hidden.values())
    secondary = sum(int((np.asarray(v, dtype=object) == S.SECONDARY).sum()) for v in table.hidden.values())
    return primary, secondary


def hide_all(frame: pd.DataFrame, columns: Iterable[str]) -> dict[str, np.ndarray]:
    kinds = kind_array(frame)
    return {c: kinds for c in columns}


def legend(ctx: Context) -> list[str]:
    return [ctx.t("note.suppressed", k=ctx.k), ctx.t("services.note.secondary")]


def inputs_frame(inputs: Iterable[Any]) -> pd.DataFrame:
    rows = []
    for item in inputs:
        role, path = item if isinstance(item, tuple) else ("", item)
        path = Path(path)
        if not path.is_file():
            raise UsageError(
                f"input file {path} does not exist (needed for its SHA-256 in the methodology sheet)"
            )
        size, digest = file_checksum(path)
        rows.append(
            {
                "role": str(role),  # labelled in the report language by _methodology
                "file": path.name,
                "bytes": size,
                "sha256": digest,
            }
        )
    return pd.DataFrame(rows, columns=["role", "file", "bytes", "sha256"])


def latest(analysis: Any) -> int:
    return int(max(analysis.years))


def services_in(analysis: Any, year: int) -> list[str]:
    """Service codes with users in ``year``, in catalogue order."""
    head = analysis.headline[analysis.headline[S.FISCAL_YEAR] == year]
    used = set(head.loc[head[N.USERS].fillna(1).to_numpy(dtype=np.float64) > 0, C.SERVICE_CODE].astype("str"))
    return [c for c in analysis.services[C.SERVICE_CODE].astype("str") if c in used]


def name_map(analysis: Any) -> dict[str, str]:
    return dict(
        zip(
            analysis.services[C.SERVICE_CODE].astype("str"),
            analysis.services[C.SERVICE_NAME].astype("str"),
            strict=True,
        )
    )
