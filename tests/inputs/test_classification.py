"""The analytic budget classification: unknown codes rejected with their position and level; names; roll-up."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import gcdb
from gcdb import classification as K
from gcdb import columns as C
from gcdb import paths
from gcdb.errors import UsageError


def test_reference_lists_are_consistent():
    for kind in (K.FUNCTIONAL, K.ECONOMIC):
        t = K.table(kind)
        assert t["code"].is_unique and t["name"].notna().all() and (t["name"].str.strip() != "").all()
        assert (t["code"].str.count(r"\.") + 1 == t["level"]).all()
        parents = t.loc[t["level"] > 1, "code"].str.rsplit(".", n=1).str[0]
        assert parents.isin(t["code"]).all()  # every code's parent is listed
        assert (
            t.loc[t["level"] < 4, "complete"].notna().all()
            and t.loc[t["level"] == 4, "complete"].isna().all()
        )
        with_children = set(parents)
        assert set(t.loc[t["complete"].fillna(False).astype(bool), "code"]) <= with_children
        assert (t["valid_from"] == 2006).all() and t["valid_to"].isna().all()
    assert sorted(K.table(K.FUNCTIONAL).query("level == 1")["code"]) == [f"{i:02d}" for i in range(1, 11)]
    assert sorted(K.table(K.ECONOMIC).query("level == 1")["code"]) == [f"{i:02d}" for i in range(1, 10)]
    economic = K.table(K.ECONOMIC)
    detail = pd.to_numeric(economic["code"].str.extract(r"\.(\d\d)$")[0])  # level IV only
    assert (economic["local_only"] == detail.between(51, 89)).all()
    assert len(economic) == 218 and (economic["level"] == 4).sum() == 94
    fin = K.table(K.FINANCING)
    assert set(fin.loc[fin["local_government"], "code"]) == {"5", "7", "8"} and "9" not in set(fin["code"])
    assert len(K.table(K.INSTITUTIONAL)) == 81


def test_every_source_key_is_described_in_the_readme():
    readme = (K.folder() / "README.md").read_text(encoding="utf-8")
    described = set(re.findall(r"^\| `([a-z0-9-]+)` \| <http", readme, flags=re.M))
    used = set()
    for kind in (K.FUNCTIONAL, K.ECONOMIC):
        used |= {k for s in K.table(kind)["source"] for k in s.split(";") if k}
    assert used and used <= described, used - described


# A sample of codes checked against the source text: (code, name as printed in the source, source key, URL).
SOURCE_SAMPLE = [
    (
        "05.6.1.01",
        "Kuzey Kıbrıs Türk Cumhuriyeti'ne",
        "muhaz-v3-p5",
        "http://muhaz.org/analitik-butce-snflandrmasna-v3.html?page=5",
    ),
    (
        "03.2.6.01",
        "Laboratuar Malzemesi ile Kimyevi ve Temrinlik Malzeme Alımları",
        "muhaz-rehber9-p3",
        "http://muhaz.org/analitik-butce-snflandrmasna-iliskin-rehber/muhaz.org/"
        "analitik-butce-snflandrmasna-iliskin-rehber.html?page=3",
    ),
    (
        "06.7.5.04",
        "Haberleşme Cihazları Ruhsat ve Kullanım Giderleri",
        "muhaz-rehber-p168",
        "http://muhaz.org/analitik-butce-snflandrmasna-iliskin-rehber-v2/muhaz.org/"
        "analitik-butce-snflandrmasna-iliskin-rehber-v2.html?page=168",
    ),
    (
        "06.7.3.01",
        "Taşımaya İlişkin Beslenme, Barındırma Giderleri",
        "muhaz-rehber-p168",
        "http://muhaz.org/analitik-butce-snflandrmasna-iliskin-rehber-v2/muhaz.org/"
        "analitik-butce-snflandrmasna-iliskin-rehber-v2.html?page=168",
    ),
    (
        "03.5.6.02",
        "Tahvil Genel Giderleri",
        "muhaz-ekosin-p86",
        "http://muhaz.org/ekonomik-siniflandirma-v3.html?page=86",
    ),
    (
        "03.3.5.02",
        "Arazi Tazminatları",
        "muhaz-ekosin-p63",
        "http://muhaz.org/muhaz.org/ekonomik-siniflandirma-v3.html?page=63",
    ),
    ("06.2.1.03", "Kontrol Giderleri", "muhaz-mevzuat-p10", "http://muhaz.org/butce-mevzuati.html?page=10"),
    (
        "03.4.4.01",
        "Arkeolojik Kazı Giderleri",
        "muhaz-rehber-p67",
        "http://muhaz.org/analitik-butce-snflandrmasna-iliskin-rehber-v2.html?page=67",
    ),
    (
        "01.5.1.52",
        "Belediye Meclis Üyelerine Yapılan Ödemeler",
        "meram2014",
        "http://readgur.com/doc/43645/2014-b%C3%BCt%C3%A7e-cetveli-1",
    ),
    (
        "03.2.6.04",
        "Canlı Hayvan Alım, Bakım ve Diğer Giderleri",
        "erdogan",
        "http://bapk.idari.erdogan.edu.tr/tr/page/analitik-butce-harcama-kodlari/1281",
    ),
]


@pytest.mark.parametrize(("code", "name", "key", "url"), SOURCE_SAMPLE)
def test_codes_match_their_source(code, name, key, url):
    row = K.table(K.ECONOMIC).set_index("code").loc[code]
    assert row["name"] == name and key in row["source"].split(";")
    assert url in (K.folder() / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("kind", "code", "level"),
    [
        (K.FUNCTIONAL, "10.4.0.00", None),
        (K.FUNCTIONAL, "10.4.0.07", None),  # functional level IV is left open by the guide: shape only
        (K.FUNCTIONAL, "99.9.9.99", 1),
        (K.FUNCTIONAL, "10.4.5.00", 3),
        (K.FUNCTIONAL, "01.9.0.00", 2),
        (K.ECONOMIC, "03.2.1.01", None),
        (K.ECONOMIC, "03.5.0.00", None),  # a published layout's level-II code, padded
        (K.ECONOMIC, "06.7.4.04", 4),  # 06.7.4 Enerji Giderleri has .01–.03 and .90 only
        (K.ECONOMIC, "03.5.6.04", 4),
        (K.ECONOMIC, "05.6.1.02", 4),  # 05.6.1 has .01 (KKTC) and .90 only
        (K.ECONOMIC, "01.1.1.02", 4),  # memurlar: no level-IV split beyond .01
        (K.ECONOMIC, "02.6.1.01", 2),
        (K.ECONOMIC, "12.1.1.01", 1),
        (K.ECONOMIC, "01.5.1.51", None),  # a local-only detail (51–89)
        (K.ECONOMIC, "05.4.8.01", None),  # 05's lower levels are not all listed yet: shape only
        (K.FINANCING, "5", None),
        (K.FINANCING, "9", 1),
        (K.FINANCING, "1", 1),  # a central-government type in a municipal budget
        (K.INSTITUTIONAL, "46.34.01.16", None),
        (K.INSTITUTIONAL, "45.34.01.16", 1),
        (K.INSTITUTIONAL, "46.82.01.16", 2),
    ],
)
def test_check_codes(kind, code, level, english):
    found = K.check_codes(pd.Series([code]), kind)
    got = found["level"].iloc[0]
    assert (None if pd.isna(got) else int(got)) == level
    if level:
        assert isinstance(found["message"].iloc[0], str)
        if kind != K.FINANCING:
            assert f"level {K.ROMAN[level - 1]}" in found["message"].iloc[0]


def test_unknown_codes_are_errors_with_position_in_read_budget(tmp_path):
    lines = pd.read_parquet(paths.datasets() / "demo" / "budget.parquet").head(7).copy()
    lines[C.FUNCTIONAL_CODE] = lines[C.FUNCTIONAL_CODE].astype(object)
    lines.loc[1, C.FUNCTIONAL_CODE] = "99.9.9.99"
    lines.loc[3, C.ECONOMIC_CODE] = "06.7.4.07"
    lines.loc[4, C.FINANCING_TYPE] = "9"
    lines.loc[5, C.ECONOMIC_CODE] = "03.5.3.04"
    path = tmp_path / "butce.csv"
    lines.to_csv(path, index=False)
    result = gcdb.read_budget(path)
    bad = result.errors[result.errors["code"] == "unknown_code"]
    assert bad[["row", "column", "value"]].values.tolist() == [
        [3, C.FUNCTIONAL_CODE, "99.9.9.99"],
        [5, C.ECONOMIC_CODE, "06.7.4.07"],
        [6, C.FINANCING_TYPE, "9"],
        [7, C.ECONOMIC_CODE, "03.5.3.04"],
    ]
    messages = bad["message"].tolist()
    assert "I. düzey '99'" in messages[0]
    assert "IV. düzey '06.7.4.07'" in messages[1] and "Enerji Giderleri" in messages[1]
    assert "finansman tipi 9" in messages[2]
    assert "IV. düzey '03.5.3.04'" in messages[3] and "Taşıma Giderleri" in messages[3]
    assert sorted(result.quarantine[C.SOURCE_ROW]) == [3, 5, 6, 7] and len(result.data) == 3


def test_names_and_roll_up():
    codes = pd.Series(["10.4.0.00", "03.2.1.01", None, "03.2.8.01"])
    assert K.label_codes(codes[:1], K.FUNCTIONAL).tolist() == ["Aile ve Çocuklara Yönelik Yardım Hizmetleri"]
    econ = K.label_codes(codes[1:], K.ECONOMIC)
    assert econ.iloc[0] == "Kırtasiye Alımları" and pd.isna(econ.iloc[1])
    assert econ.iloc[2] == "Tüketime Yönelik Mal ve Malzeme Alımları"  # deepest level listed
    assert K.label_codes(pd.Series(["03.2.1.01"]), K.ECONOMIC, level=3).tolist() == [
        "Kırtasiye ve Büro Malzemesi Alımları"
    ]
    assert K.label_codes(pd.Series(["03.2.1.01"]), K.ECONOMIC, level=1).tolist() == [
        "Mal ve Hizmet Alım Giderleri"
    ]
    assert K.label_codes(pd.Series(["5"]), K.FINANCING).tolist() == ["Mahalli İdareler"]
    assert K.label_codes(pd.Series(["46.34.01.16"]), K.INSTITUTIONAL).tolist() == ["Belediyeler – İstanbul"]
    rolled = K.roll_up(codes, 2)
    assert rolled.tolist()[:2] == ["10.4", "03.2"] and pd.isna(rolled.iloc[2])
    budget = pd.read_parquet(paths.datasets() / "demo" / "budget.parquet")
    by_level = budget.groupby(K.roll_up(budget[C.ECONOMIC_CODE], 1))[C.INITIAL_APPROPRIATION].sum()
    assert by_level.sum() == budget[C.INITIAL_APPROPRIATION].sum()
    assert set(by_level.index) <= set(K.table(K.ECONOMIC)["code"])
    with pytest.raises(UsageError):
        K.roll_up(codes, 0)


def test_every_demo_code_is_known():
    budget = pd.read_parquet(paths.datasets() / "demo" / "budget.parquet")
    for kind in K.KINDS:
        found = K.check_codes(budget[K.COLUMN_OF[kind]], kind, budget[C.FISCAL_YEAR])
        assert found["level"].isna().all(), found["message"].dropna().unique()
