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

#: Integer ids below this bound (or below twice the number of records) are used as codes as they are.
DENSE_BOUND = 1 << 22


def person_codes(ids: pd.Series) -> tuple[np.ndarray, int]:
    """``(codes, n)``: an int64 code per record (``-1`` for a missing id) and a bound ``n ≥ 1`` above every code.

    Non-negative integer ids of a small range (the codes :func:`gcdb.services.analyse_services` gives) are their
    own codes (no hashing); anything else is factorised (``n`` = the number of distinct ids).
    """
    dtype = ids.dtype
    if len(ids) and pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        missing = ids.isna().to_numpy(dtype=bool)
        codes = ids.to_numpy(dtype=np.int64, na_value=-1) if missing.any() else ids.to_numpy(dtype=np.int64)
        present = codes[~missing] if missing.any() else codes
        if present.size == 0:
            return np.full(len(ids), -1, dtype=np.int64), 1
        low, high = int(present.min()), int(present.max())
        if low >= 0 and high < max(DENSE_BOUND, 2 * len(ids)):
            return codes, high + 1
    found, uniques = pd.factorize(ids, use_na_sentinel=True)
    return np.asarray(found, dtype=np.int64), max(len(uniques), 1)
