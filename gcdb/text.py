"""Turkish-aware text folding.

Python's ``str.lower()`` maps ``İ`` to ``i̇`` (i + combining dot) and ``I`` to ``i``; Turkish needs ``İ → i`` and
``I → ı``. :func:`tr_lower` does that; :func:`fold` goes further for matching: Turkish lower case, then every
diacritic removed (``ı → i``, ``ş → s``, ``ğ → g``, ``ü → u``, ``ö → o``, ``ç → c``, ``â → a``), punctuation kept,
runs of white space collapsed. ``İSTANBUL``, ``istanbul`` and ``Istanbul`` all fold to ``istanbul``; ``KADIN``,
``Kadın`` and ``kadin`` to ``kadin``.

The ``*_series`` variants work on the distinct values of a column and broadcast through its codes, so a column of
ten million rows with a few thousand distinct values costs a few thousand string operations.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

_TR_UPPER = str.maketrans({"I": "ı", "İ": "i"})
_ASCII = str.maketrans(
    {"ı": "i", "ş": "s", "ğ": "g", "ü": "u", "ö": "o", "ç": "c", "â": "a", "î": "i", "û": "u"}
)
_SPACE = re.compile(r"\s+")


def tr_lower(text: str) -> str:
    """Lower-case ``text`` by Turkish rules (``I → ı``, ``İ → i``)."""
    return unicodedata.normalize("NFC", text).translate(_TR_UPPER).lower()


def tr_upper(text: str) -> str:
    """Upper-case ``text`` by Turkish rules (``i → İ``, ``ı → I``)."""
    return unicodedata.normalize("NFC", text).replace("i", "İ").replace("ı", "I").upper()


def fold(text: str) -> str:
    """Fold ``text`` for case- and diacritic-insensitive Turkish matching."""
    lowered = tr_lower(text).translate(_ASCII)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACE.sub(" ", stripped).strip()


def map_distinct(series: pd.Series, func) -> pd.Series:
    """Apply a scalar ``func`` to each distinct non-missing value of ``series`` and broadcast the results.

    Missing values stay missing. The result has the same index as ``series`` and object-free string dtype.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = np.array([func(str(u)) for u in uniques] + [None], dtype=object)
    out = mapped[codes]  # code -1 picks the trailing None
    return pd.Series(out, index=series.index, dtype="str", name=series.name)


def fold_series(series: pd.Series) -> pd.Series:
    """:func:`fold` every value of ``series``, computed once per distinct value."""
    return map_distinct(series, fold)


def tr_lower_series(series: pd.Series) -> pd.Series:
    """:func:`tr_lower` every value of ``series``, computed once per distinct value."""
    return map_distinct(series, tr_lower)
