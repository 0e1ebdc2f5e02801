"""Fixtures of the scale tests: the demo data, written to a multi-row-group Parquet and to a cp1254 CSV."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

import gcdb
from gcdb import columns as C
from gcdb.catalogue import Catalogue

#: Turkish headers of the CSV copy of the demo usage file.
TURKISH = {
    C.RECORD_ID: "Kayıt No",
    C.SERVICE_CODE: "Hizmet Kodu",
    C.SERVICE_NAME: "Hizmet",
    C.UNIT_NAME: "Birim",
    C.DATE: "Tarih",
    C.PERSON_ID: "Kişi No",
    C.SEX: "Cinsiyet",
    C.AGE: "Yaş",
    C.DISABILITY: "Engellilik",
    C.MIGRANT_STATUS: "Göçmenlik Durumu",
    C.DISTRICT: "İlçe",
    C.NEIGHBOURHOOD: "Mahalle",
    C.QUANTITY: "Miktar",
}
_SEX_TR = {C.FEMALE: "Kadın", C.MALE: "Erkek", C.OTHER: "Diğer", C.UNKNOWN: "Bilinmiyor"}
_YES_NO_TR = {C.YES: "Evet", C.NO: "Hayır", C.UNKNOWN: "Bilinmiyor"}


@pytest.fixture(scope="session")
def demo():
    return gcdb.demo_inputs()


@pytest.fixture(scope="session")
def catalogue(demo):
    return Catalogue.load(demo.plan)


@pytest.fixture(scope="session")
def population(demo):
    return gcdb.read_population(demo.population).data


@pytest.fixture(scope="session")
def usage_parquet(tmp_path_factory, demo):
    """The demo usage file as a Parquet of several row groups (smaller than the chunks)."""
    path = tmp_path_factory.mktemp("scale") / "usage.parquet"
    pq.write_table(pq.read_table(demo.usage), path, row_group_size=30_000)
    return path


@pytest.fixture(scope="session")
def usage_csv(tmp_path_factory, demo):
    """The demo usage file as Turkish Excel writes it: cp1254, ';', Turkish headers and values, dd.mm.yyyy."""
    frame = pd.read_parquet(demo.usage)
    out = pd.DataFrame(
        {
            TURKISH[C.RECORD_ID]: frame[C.RECORD_ID],
            TURKISH[C.SERVICE_CODE]: frame[C.SERVICE_CODE],
            TURKISH[C.SERVICE_NAME]: frame[C.SERVICE_NAME],
            TURKISH[C.UNIT_NAME]: frame[C.UNIT_NAME],
            TURKISH[C.DATE]: frame[C.DATE].dt.strftime("%d.%m.%Y"),
            TURKISH[C.PERSON_ID]: frame[C.PERSON_ID],
            TURKISH[C.SEX]: frame[C.SEX].map(_SEX_TR),
            TURKISH[C.AGE]: frame[C.AGE].astype("str"),
            TURKISH[C.DISABILITY]: frame[C.DISABILITY].map(_YES_NO_TR),
            TURKISH[C.MIGRANT_STATUS]: frame[C.MIGRANT_STATUS],
            TURKISH[C.DISTRICT]: frame[C.DISTRICT],
            TURKISH[C.NEIGHBOURHOOD]: frame[C.NEIGHBOURHOOD],
            TURKISH[C.QUANTITY]: frame[C.QUANTITY].astype("str"),
        }
    )
    path = tmp_path_factory.mktemp("scale") / "kullanim.csv"
    out.to_csv(path, sep=";", index=False, encoding="cp1254")
    return path


@pytest.fixture(scope="session")
def usage_memory(usage_parquet):
    return gcdb.read_usage(usage_parquet)


@pytest.fixture(scope="session")
def usage_csv_memory(usage_csv):
    return gcdb.read_usage(usage_csv)


@pytest.fixture(scope="session")
def budget_parquet(tmp_path_factory, demo):
    path = tmp_path_factory.mktemp("scale") / "budget.parquet"
    pq.write_table(pq.read_table(demo.budget), path, row_group_size=700)
    return path


@pytest.fixture(scope="session")
def service_rules(demo, catalogue):
    return gcdb.load_ruleset(demo.service_rules, catalogue=catalogue)


@pytest.fixture(scope="session")
def budget_rules(demo, catalogue):
    return gcdb.load_ruleset(demo.budget_rules, catalogue=catalogue)


#: Every column the demo tables below cross or split by: one chunked pass serves them all.
PAIR_COLUMNS = [
    C.SEX,
    C.AGE_BAND,
    C.DISABILITY,
    C.MIGRANT_STATUS,
    C.DISTRICT,
    C.NEIGHBOURHOOD,
    C.SERVICE_CODE,
    C.FISCAL_YEAR,
]


def _chunked(path):
    from types import SimpleNamespace

    from gcdb.scale import ChunkedRead, aggregate_usage, read_usage_chunks

    tracker = ChunkedRead()
    parts = [r.data for r in tracker.track(read_usage_chunks(path, chunk_rows=50_000))]
    agg = aggregate_usage(parts, PAIR_COLUMNS)
    return SimpleNamespace(parts=parts, read=tracker.finish(), agg=agg)


@pytest.fixture(scope="session")
def chunked_parquet(usage_parquet):
    """The demo Parquet read in chunks of 50,000 rows: data chunks, combined read outcome, distinct pairs."""
    return _chunked(usage_parquet)


@pytest.fixture(scope="session")
def chunked_csv(usage_csv):
    """The demo cp1254 CSV read in chunks of 50,000 rows."""
    return _chunked(usage_csv)
