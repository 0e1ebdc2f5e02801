"""One vocabulary: the forms' and the monitoring checks' codes are gcdb.errors.IssueCode members with labels in the
catalogue; report labels of the budget, costing and checklist names live in the catalogue; costing codes are
checked against gcdb.classification; the façade lists the new entry points."""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd
import pytest

import gcdb
from gcdb import i18n
from gcdb.budget import names as BN
from gcdb.checklists import names as HN
from gcdb.costing import names as KN
from gcdb.costing import read_costing
from gcdb.errors import IssueCode
from gcdb.forms import FORM_CODES, FormIssueCode
from gcdb.monitor import MONITOR_CODES, MonitorIssueCode

ROOT = Path(__file__).resolve().parents[2]


def line_frame(**over: str) -> pd.DataFrame:
    """One costing line (text cells, canonical headers); keyword arguments override columns."""
    base = {
        "cost_line_id": "M1",
        "action_code": "A2H3E2",
        "unit_name": "Sosyal Hizmetler Daire Başkanlığı",
        "institutional_code": "46.34.01.16",
        "item": "Psikolog hizmet alımı",
        "quantity": "12",
        "unit_cost": "1000",
        "year_from": "2024",
        "functional_code": "10.9.0.00",
        "financing_type": "5",
        "economic_code": "03.5.9.90",
        "category_eu_cpr": "01",
    }
    return pd.DataFrame([base | over])


def test_form_and_monitoring_codes_are_issue_codes():
    assert FormIssueCode is IssueCode and MonitorIssueCode is IssueCode
    values = {c.value for c in IssueCode}
    assert {c.value for c in (*FORM_CODES, *MONITOR_CODES)} <= values
    assert IssueCode("form_key_damaged") is IssueCode.FORM_KEY_DAMAGED
    assert IssueCode("spent_exceeds_appropriation") is IssueCode.SPENT_EXCEEDS_APPROPRIATION


@pytest.mark.parametrize("code", [*FORM_CODES, *MONITOR_CODES, IssueCode.UNKNOWN_CODE])
def test_every_new_code_has_its_label_in_turkish_and_english(code):
    key = f"issue.{code.value}"
    assert i18n.has(key, "tr") and i18n.has(key, "en")


def test_unknown_code_label():
    assert i18n.t("issue.unknown_code", "tr") == "Referans listesinde olmayan kod"
    assert i18n.t("issue.unknown_code", "en") == "Code not in the reference list"


@pytest.mark.parametrize(
    ("labels", "prefix"),
    [(BN.LABELS, "budget.label"), (KN.LABELS, "costing.label"), (HN.LABELS, "checklists.label")],
)
def test_report_labels_come_from_the_catalogue(labels, prefix):
    assert isinstance(labels, i18n.Labels) and len(labels) > 20
    for name in labels:
        tr, en = labels[name]
        assert tr == i18n.t(f"{prefix}.{name}", "tr") and en == i18n.t(f"{prefix}.{name}", "en")
    assert labels.get("no_such_name") is None and "no_such_name" not in labels
    with pytest.raises(KeyError):
        labels["no_such_name"]


def test_labels_people_read():
    assert BN.LABELS[BN.FUNDING_STATUS] == ("Kaynak Durumu", "Funding status")
    assert BN.LABELS[BN.FundingStatus.CUT_TO_ZERO] == (
        "Ödenek yıl içinde sıfırlandı",
        "Appropriation cut to zero",
    )
    assert KN.label(KN.Status.NOT_APPROPRIATED, "en") == "Costed, never appropriated"
    assert KN.label("fiscal_year", "tr") == "Mali Yıl"  # falls back to gcdb.columns
    assert HN.LABELS[HN.HGDG_SCORE][0] == "HGDG Puanı (20 üzerinden)"
    assert KN.LABELS.label("costed", "ar") == "Costed"  # a partial catalogue falls back to English


def test_costing_codes_are_checked_by_the_classification():
    with pytest.raises(ImportError):
        importlib.import_module("gcdb.costing.codes")
    read = read_costing(
        line_frame(economic_code="30.5.9.90", functional_code="11.1.0.00", financing_type="6")
    )
    issues = read.issues.set_index("column")
    assert issues.loc["economic_code", "code"] == "unknown_code"
    assert "I. düzey '30'" in issues.loc["economic_code", "message"]
    assert "I. düzey '11'" in issues.loc["functional_code", "message"]
    assert issues.loc["financing_type", "code"] == "unknown_code"
    assert read_costing(line_frame()).ok


NEW_NAMES = (
    "PlanSet",
    "read_costing",
    "propose_budget",
    "compare_costing",
    "collect_returns",
    "read_workforce",
    "analyse_monitoring",
    "MonitoringAnalysis",
    "load_checklist",
    "score_assessments",
)


def test_the_facade_lists_the_new_entry_points_in_data_flow_order():
    names = list(gcdb.__all__)
    assert all(n in names for n in NEW_NAMES)
    assert names.index("read_costing") < names.index("analyse_monitoring") < names.index("score_assessments")
    assert names.index("compute_indicators") < names.index("read_costing") < names.index("run_pipeline")
    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert all(f"`{n}`" in api for n in NEW_NAMES)
    from gcdb.costing import read_costing as direct

    assert gcdb.read_costing is direct
