"""``run_pipeline`` with the usage file read in chunks (as it does by itself for large files): the same analysis,
the same console summary, the read outcome of the whole file."""

from __future__ import annotations

import pandas as pd


def test_the_demo_read_in_chunks_gives_the_same_analysis(demo):
    from gcdb.pipeline import demo_inputs, run_pipeline
    from gcdb.scale import ChunkedRead

    whole, _ = demo
    said: list[str] = []
    chunked = run_pipeline(demo_inputs(), chunk_rows=120_000, progress=said.append)
    assert isinstance(chunked.usage, ChunkedRead) and chunked.usage.chunks == 3
    assert any("120.000 satırlık parçalar" in line for line in said)
    pd.testing.assert_frame_equal(chunked.usage.reconciliation, whole.usage.reconciliation)
    expected, got = whole.services.tables(), chunked.services.tables()
    for name, table in expected.items():
        pd.testing.assert_frame_equal(got[name], table, obj=name)
    assert chunked.summary("tr").splitlines()[:20] == whole.summary("tr").splitlines()[:20]
    assert chunked.ok == whole.ok
