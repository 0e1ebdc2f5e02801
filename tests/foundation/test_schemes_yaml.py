import pandas as pd
import pytest

from gcdb.errors import RuleError
from gcdb.schemes import load_schemes
from gcdb.yamlio import loads_yaml_strict

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(scope="module")
def schemes():
    return load_schemes()


def test_shipped_schemes(schemes):
    assert schemes.ids == ("eu_cpr", "oecd_dac", "india_gbs", "ph_hgdg", "declared")


def test_eu_cpr_weights_and_review_reading(schemes):
    eu = schemes["eu_cpr"]
    cats = pd.Series(["01", "02", "03", "03*", None])
    assert eu.weights(cats).tolist() == [1.0, 0.4, 0.0, 0.0, 0.0]
    assert eu.weights(cats, review=True).tolist() == [1.0, 0.4, 0.0, 0.4, 0.0]


def test_hgdg_score_bands_at_boundaries(schemes):
    ph = schemes["ph_hgdg"]
    scores = pd.Series(["0", "3.9", "4", "7.9", "8", "14.9", "15", "19.9", "20"])
    assert ph.weights(scores).tolist() == [0, 0, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1.0]
    assert ph.check("21", None) and ph.check("abc", None) and ph.check(20, None) is None


def test_india_parts_use_declared_share_within_band(schemes):
    gbs = schemes["india_gbs"]
    w = gbs.weights(pd.Series(["A", "B", "C"]), pd.Series([float("nan"), 0.45, 0.1]))
    assert w.tolist() == [1.0, 0.45, 0.1]
    assert "outside" in gbs.check("B", 0.2)
    assert "needs a declared share" in gbs.check("B", None)
    assert gbs.check("C", 0.29) is None and gbs.check("Z", None).startswith("unknown category")


def test_oecd_is_reported_in_full(schemes):
    dac = schemes["oecd_dac"]
    assert dac.full_amount and dac.weights(pd.Series(["2", "1", "0"])).tolist() == [1.0, 1.0, 0.0]


def test_strict_yaml_duplicate_key_names_file_and_line():
    with pytest.raises(RuleError) as info:
        loads_yaml_strict("rules:\n  - id: a\n    id: b\n", name="set.yaml")
    assert "set.yaml:3" in str(info.value) and "duplicate key 'id'" in str(info.value)


def test_strict_yaml_syntax_error_names_line():
    with pytest.raises(RuleError, match=r"bad\.yaml:2"):
        loads_yaml_strict("a: 1\nb: c: d\n", name="bad.yaml")


def test_yaml_mappings_know_their_lines():
    data = loads_yaml_strict("name: x\nrules:\n  - id: r1\n    when: {}\n")
    assert data["rules"][0].line == 3 and data["rules"][0].line_of("when") == 4
