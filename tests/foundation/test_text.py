import pandas as pd
import pytest

from gcdb.text import fold, fold_series, tr_lower, tr_upper


@pytest.mark.parametrize("word", ["İSTANBUL", "istanbul", "Istanbul", "İstanbul", "ISTANBUL", "i̇stanbul"])
def test_istanbul_variants_fold_alike(word):
    assert fold(word) == "istanbul"


@pytest.mark.parametrize("word", ["KADIN", "Kadın", "kadin", "kadın", "KADİN"])
def test_kadin_variants_fold_alike(word):
    assert fold(word) == "kadin"


def test_turkish_lower_and_upper_keep_dotted_and_dotless_i():
    assert tr_lower("IŞIK İLÇE") == "ışık ilçe"
    assert tr_upper("ışık ilçe") == "IŞIK İLÇE"
    # Python's own lower() gets both wrong; ours must not
    assert "ı" in tr_lower("I") and tr_lower("İ") == "i"


def test_fold_removes_all_turkish_diacritics_and_collapses_space():
    assert fold("  ÇOCUK   ŞUBE  ĞÜÖ ") == "cocuk sube guo"
    assert fold("Kâğıthane") == fold("KAĞITHANE") == "kagithane"


def test_fold_series_works_on_distinct_values_and_keeps_missing():
    s = pd.Series(["KADIN", None, "Kadın", "ŞİŞLİ", "KADIN"], index=[10, 11, 12, 13, 14])
    out = fold_series(s)
    assert out.index.tolist() == [10, 11, 12, 13, 14]
    assert out.tolist()[0] == "kadin" and out.tolist()[2] == "kadin" and out.tolist()[3] == "sisli"
    assert pd.isna(out.iloc[1])


@pytest.mark.parametrize(
    "chunks",
    [
        [["b", "a", None], [], ["c", "b", "ç"], [None]],
        [["x"]],
        [[], []],
        [],
        [[None, None], ["İ", "ı"]],
    ],
)
def test_dictionary_codes_chunk_by_chunk_are_pandas_factorize(chunks):
    """One code per value across every chunk (first appearance order, -1 missing), as pandas factorises the joined
    column — also for empty chunks, no chunk at all and nulls only."""
    import numpy as np
    import pyarrow as pa

    from gcdb.text import dictionary_codes

    strings = pa.chunked_array([pa.array(c, type=pa.large_string()) for c in chunks], type=pa.large_string())
    codes, distinct = dictionary_codes(strings)
    expected_codes, expected_values = pd.factorize(pd.Series(strings.to_pylist(), dtype=object))
    assert codes.dtype == np.int32
    assert codes.tolist() == expected_codes.tolist()
    assert distinct.to_pylist() == list(expected_values)


@pytest.mark.parametrize("kind", ["arrow", "arrow_chunked", "python", "object"])
def test_factorize_is_pandas_factorize(kind):
    """gcdb.text.factorize: the codes and distinct values pd.factorize gives, whatever holds the text."""
    import numpy as np
    import pyarrow as pa

    from gcdb.text import factorize

    values = ["Şile", None, "Fatih", "", "Şile", " Fatih", "İ", None, "Fatih"]
    if kind == "arrow_chunked":
        chunks = [
            pa.array(values[:3], pa.large_string()),
            pa.array([], pa.large_string()),
            pa.array(values[3:], pa.large_string()),
        ]
        series = pd.Series(pd.array(pa.chunked_array(chunks, type=pa.large_string()), dtype="str"))
    elif kind == "arrow":
        series = pd.Series(values, dtype="str")
    elif kind == "python":
        series = pd.Series(values, dtype=pd.StringDtype("python"))
    else:
        series = pd.Series(values, dtype=object)
    codes, uniques = factorize(series)
    expected_codes, expected_uniques = pd.factorize(series, use_na_sentinel=True)
    assert np.asarray(codes).tolist() == expected_codes.tolist()
    assert list(uniques) == list(expected_uniques)
