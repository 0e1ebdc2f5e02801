"""The contract with the collection workbooks: the fields they write are the columns the readers read back."""

from __future__ import annotations

import pandas as pd
import pytest
from costing_builders import frame, line

import gcdb
from gcdb import columns as C
from gcdb.checklists import load_checklist, read_assessments
from gcdb.costing import names as N
from gcdb.costing import read_costing
from gcdb.costing.forms import assessment_fields, costing_fields, costing_template


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_every_costing_field_label_is_read_back(lang):
    fields = costing_fields()
    assert {f.name for f in fields} == set(N.COSTING_REQUIRED) | set(N.COSTING_OPTIONAL)
    assert {f.name for f in fields if f.required} == set(N.COSTING_REQUIRED)
    raw = frame(line(measure="kişi-ay", category_ph_hgdg="16", description="X", note="n", activity_code="F1"))
    headers = {f.name: (f.label_tr if lang == "tr" else f.label_en) for f in fields}
    result = read_costing(raw.rename(columns=headers))
    assert result.ok, result.issues
    assert set(result.columns_map.values()) == set(raw.columns)
    assert result.data[N.PH_HGDG].iloc[0] == "16" and result.data[C.DESCRIPTION].iloc[0] == "X"


def test_every_assessment_field_label_is_read_back():
    park = load_checklist("park")
    fields = assessment_fields(park)
    assert next(f for f in fields if f.name == "answer").choices == ("yes", "partly", "no", "na")
    answers = pd.DataFrame(
        {
            "assessment_id": "A",
            "checklist_id": "park",
            "subject_id": "PRK-1",
            "subject_name": "Gül Parkı",
            "service_code": "PARK",
            "district": "Fatih",
            "assessed_on": "2024-05-01",
            "fiscal_year": "2024",
            "rule_id": "emzirme-odasi",
            "action_code": "A8H1E1",
            "line_id": "12",
            "question_id": [q.id for q in park.questions],
            "answer": "yes",
            "evidence": "saha",
            "note": "",
        }
    )
    result = read_assessments(answers.rename(columns={f.name: f.label_tr for f in fields}), park)
    assert result.ok and len(result.columns_map) == len(fields)


def test_costing_template_lists_the_units_actions():
    catalogue = gcdb.Catalogue.load()
    template = costing_template(
        catalogue, unit="Park Bahçe ve Yeşil Alanlar Daire Başkanlığı", years=(2024, 2025)
    )
    expected = catalogue.actions_for_unit("Park Bahçe ve Yeşil Alanlar Daire Başkanlığı")
    assert set(template[C.ACTION_CODE]) <= set(expected[C.ACTION_CODE])
    assert template["title"].notna().all() and (template[N.YEAR_FROM] == "2024").all()
    assert template[N.COST_LINE_ID].is_unique
