"""Person ids as integer codes, hashed once per run.

Only distinct persons are ever counted, so any one-to-one integer code of the ids gives the same counts.
:func:`gcdb.services.analyse_services` codes the ids once (dense integers ``0 … n − 1``, missing ids kept missing);
every count of users under it (breakdowns, the impact table's cube, headline, unknown status, benefit incidence,
indicators) takes those codes as they are instead of hashing millions of ids again. Ids that are not such codes
(text, or integers far beyond the number of records) are factorised.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gcdb.text import arrow_strings, dictionary_codes

#: Integer ids below this bound (or below twice the number of records) are used as codes as they are.
DENSE_BOUND = 1 << 22


def person_codes(ids: pd.Series, *, small: bool = False) -> tuple[np.ndarray, int]:
    """``(codes, n)``: an int64 code per record (``-1`` for a missing id) and a bound ``n ≥ 1`` above every code.

    Non-negative integer ids of a small range (the codes :func:`gcdb.services.analyse_services` gives) are their
    own codes (no hashing); anything else is factorised (``n`` = the number of distinct ids). ``small``: the codes
    as int32 when every one fits (4 bytes a record instead of 8).
    """
    narrow = (
        small and pd.api.types.is_signed_integer_dtype(ids.dtype) and getattr(ids.dtype, "itemsize", 8) <= 4
    )
    codes, n = _codes(ids, np.int32 if narrow else np.int64)  # (ids of 4 bytes or fewer: no int64 copy)
    if small and n < 2**31:
        return codes.astype(np.int32, copy=False), n
    return codes.astype(np.int64, copy=False), n


def _codes(ids: pd.Series, dtype: type[np.signedinteger]) -> tuple[np.ndarray, int]:
    """:func:`person_codes`, integer ids read as ``dtype`` (wide enough for them)."""
    if len(ids) and pd.api.types.is_integer_dtype(ids.dtype) and not pd.api.types.is_bool_dtype(ids.dtype):
        missing = ids.isna().to_numpy(dtype=bool)
        codes = ids.to_numpy(dtype=dtype, na_value=-1) if missing.any() else ids.to_numpy(dtype=dtype)
        present = codes[~missing] if missing.any() else codes
        if present.size == 0:
            return np.full(len(ids), -1, dtype=np.int64), 1
        low, high = int(present.min()), int(present.max())
        if low >= 0 and high < max(DENSE_BOUND, 2 * len(ids)):
            return codes, high + 1
    strings = arrow_strings(ids)
    if strings is not None:  # Arrow's int32 codes as they are (callers widen)
        found, distinct = dictionary_codes(strings)
        return found, max(len(distinct), 1)
    found, uniques = pd.factorize(ids, use_na_sentinel=True)
    return np.asarray(found, dtype=np.int64), max(len(uniques), 1)
