"""Dask backend on a local distributed cluster: the same tables as pandas, exactly."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from scale_helpers import assert_tag_equal, small_usage

import gcdb
from gcdb import columns as C
from gcdb.errors import UsageError

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")
gdask = pytest.importorskip("gcdb.scale.dask")

BY = [C.SEX, C.AGE_BAND, C.DISTRICT]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def usage_dask(client, usage_memory):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "sending a large graph": fine on a local cluster
        return dd.from_pandas(usage_memory.data, npartitions=4)


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*large graph.*")
        yield


def test_breakdown_on_dask_equals_pandas(usage_dask, usage_memory):
    expected = gcdb.breakdown(usage_memory.data, BY, service=C.SERVICE_CODE)
    got = gdask.breakdown(usage_dask, BY, service=C.SERVICE_CODE)
    pd.testing.assert_frame_equal(expected, got, check_exact=True)


def test_impact_table_on_dask_equals_pandas(usage_dask, usage_memory, population):
    dims = [C.SEX, C.DISABILITY, (C.SEX, C.DISTRICT)]
    expected = gcdb.impact_table(usage_memory.data, population, dims, fiscal_year=2023)
    got = gdask.impact_table(usage_dask, population, dims, fiscal_year=2023)
    pd.testing.assert_frame_equal(expected, got, check_exact=True)


def test_tagging_on_dask_equals_pandas(usage_dask, usage_memory, service_rules):
    expected = gcdb.tag(usage_memory.data, service_rules)
    tagging = gdask.tag(usage_dask, service_rules)
    assert_tag_equal(expected, tagging.compute())
    pd.testing.assert_frame_equal(expected.rows, tagging.rows.compute(), check_exact=True)
    lazy_tags = tagging.tags.compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(expected.tags, lazy_tags, check_exact=True)


def test_budget_on_dask_equals_pandas(client, budget_parquet, budget_rules, catalogue):
    budget = gcdb.read_budget(budget_parquet).data
    expected = gcdb.tag(budget, budget_rules)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lines = dd.from_pandas(budget, npartitions=3)
    got = gdask.tag(lines, budget_rules).compute()
    assert_tag_equal(expected, got)
    plan = catalogue.budget_actions()
    a = gcdb.analyse_budget(budget, expected, plan_actions=plan)
    b = gcdb.analyse_budget(budget, got, plan_actions=plan)
    pd.testing.assert_frame_equal(a.summary, b.summary, check_exact=True)


def test_a_person_in_several_partitions_is_one_user(client):
    frame = small_usage(200, seed=7)
    ddf = dd.from_pandas(frame, npartitions=5)
    expected = gcdb.breakdown(frame, [C.SEX, C.DISTRICT], service=C.SERVICE_CODE)
    got = gdask.breakdown(ddf, [C.SEX, C.DISTRICT], service=C.SERVICE_CODE)
    pd.testing.assert_frame_equal(expected, got, check_exact=True)
    assert got["users"].max() == 4  # P1–P4, each in every partition


def test_dask_functions_need_a_dask_frame(usage_memory):
    with pytest.raises(UsageError, match="dask"):
        gdask.breakdown(usage_memory.data, BY)
