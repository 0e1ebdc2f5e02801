"""An administration's own level-IV codes: declared in a file, checked, then known to the budget checks."""

from __future__ import annotations

import pandas as pd
import pytest

import gcdb
from gcdb import classification as K
from gcdb import columns as C
from gcdb import paths
from gcdb.errors import DataValidationError


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_local_codes_are_reported_with_row_and_column(tmp_path, english):
    path = _write(
        tmp_path / "yerel_kodlar.csv",
        "kod;ad;tür\n"
        "06.7.4.51;Doğalgaz Alımları;economic\n"  # fine
        "06.7.4.02;Akaryakıt;economic\n"  # an official code
        "06.7.4;Enerji;economic\n"  # not level IV
        "06.7.4.52;;economic\n"  # no name
        "12.1.1.01;Yok;economic\n"  # its level III is unknown (level I 12 does not exist)
        "10.4.0.01;Konukevi;gelir\n"  # unknown kind
        "06.7.4.51;Yine;economic\n",  # declared twice
    )
    with pytest.raises(DataValidationError) as caught:
        K.read_local_codes(path)
    issues = caught.value.issues
    assert issues[["row", "column", "code"]].values.tolist() == [
        [3, "code", "invalid_value"],
        [4, "code", "malformed_code"],
        [5, "name", "missing_value"],
        [6, "code", "unknown_code"],
        [7, "kind", "invalid_value"],
        [8, "code", "duplicate_id"],
    ]
    assert set(issues["file"]) == {"yerel_kodlar.csv"}
    assert "Akaryakıt ve Yağ Alımları" in issues["message"].iloc[0]
    assert "level I '12'" in issues["message"].iloc[3]


def test_missing_columns_are_named(tmp_path):
    with pytest.raises(DataValidationError) as caught:
        K.read_local_codes(_write(tmp_path / "k.csv", "kod;tutar\n03.5.9.51;1\n"))
    assert caught.value.issues[["column", "code"]].values.tolist() == [["name", "missing_column"]]


def test_declared_codes_are_known_with_their_names_and_years(tmp_path, english):
    path = _write(
        tmp_path / "k.csv",
        "code,name,kind,valid_from\n"
        "06.7.4.51,Doğalgaz Alımları,economic,2024\n"
        "10.4.0.01,Kadın Konukevi Hizmetleri,Fonksiyonel,\n",
    )
    codes = pd.Series(["06.7.4.51", "06.7.4.52"])
    assert K.check_codes(codes, K.ECONOMIC)["level"].tolist() == [4, 4]
    with K.local_codes(path) as declared:
        assert len(declared) == 2
        found = K.check_codes(codes, K.ECONOMIC, 2025)
        assert pd.isna(found["level"].iloc[0]) and found["level"].iloc[1] == 4
        old = K.check_codes(codes[:1], K.ECONOMIC, 2023)
        assert old["level"].iloc[0] == 4 and "not valid in 2023" in old["message"].iloc[0]
        assert K.label_codes(codes, K.ECONOMIC).tolist()[0] == "Doğalgaz Alımları"
        assert K.label_codes(pd.Series(["10.4.0.01"]), K.FUNCTIONAL).tolist() == ["Kadın Konukevi Hizmetleri"]
    assert K.check_codes(codes[:1], K.ECONOMIC)["level"].tolist() == [4]  # off again after the block


def test_environment_variable_reaches_read_budget(tmp_path, monkeypatch):
    local = _write(tmp_path / "yerel.csv", "kod;ad\n06.7.4.51;Doğalgaz Alımları\n")
    lines = pd.read_parquet(paths.datasets() / "demo" / "budget.parquet").head(3).copy()
    lines.loc[1, C.ECONOMIC_CODE] = "06.7.4.51"
    path = tmp_path / "butce.csv"
    lines.to_csv(path, index=False)
    before = gcdb.read_budget(path)
    assert before.errors["code"].tolist() == ["unknown_code"]
    assert "GCDB_LOCAL_CODES" in before.errors["message"].iloc[0]
    monkeypatch.setenv(K.LOCAL_CODES_ENV, str(local))
    after = gcdb.read_budget(path)
    assert after.errors.empty and len(after.data) == 3
    with K.local_codes(None):  # turned off explicitly, the environment file is ignored
        assert K.check_codes(pd.Series(["06.7.4.51"]), K.ECONOMIC)["level"].tolist() == [4]
