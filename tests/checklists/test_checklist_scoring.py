"""Assessments: validation of the answers, scores hand-computed, HGDG bands, aggregation per service and district."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

import gcdb
from gcdb import columns as C
from gcdb.checklists import hgdg_band, load_checklist, loads_checklist, read_assessments, score_assessments
from gcdb.checklists import names as N

DEMO = gcdb.paths.demo() / "costing"

LIBRARY = """\
id: kutuphane
name_tr: Kütüphane
name_en: Library
subject: facility
reference: test
max_score: 4
scales:
  - id: ypn
    options:
      - {code: "yes", value: 1, label_tr: Evet, label_en: "Yes", aliases: [e]}
      - {code: partly, value: 0.5, label_tr: Kısmen, label_en: Partly}
      - {code: "no", value: 0, label_tr: Hayır, label_en: "No"}
      - {code: na, not_applicable: true, label_tr: Uygulanamaz, label_en: Not applicable}
sections:
  - id: a
    title_tr: A
    title_en: A
    questions:
      - {id: Q1, text_tr: S1, text_en: Q1, max_score: 1, scale: ypn}
      - {id: Q2, text_tr: S2, text_en: Q2, max_score: 2, scale: ypn}
  - id: b
    title_tr: B
    title_en: B
    questions:
      - {id: Q3, text_tr: S3, text_en: Q3, max_score: 1, scale: ypn}
"""


def answers(rows: list[tuple]) -> pd.DataFrame:
    """(assessment, subject, district, date, question, answer)."""
    return pd.DataFrame(
        rows, columns=["assessment_id", "subject_id", "district", "assessed_on", "question_id", "answer"]
    ).assign(service_code="KUT")


@pytest.fixture(scope="module")
def library():
    return loads_checklist(LIBRARY, name="kutuphane.yaml")


@pytest.fixture(scope="module")
def scored(library):
    """A1 (Kadıköy): yes 1 + partly 1 + no 0 = 2 of 4 → score 2, HGDG 10 (50 %).
    A2 (Kadıköy): Q1 Evet 1, Q2 n/a, Q3 e 1 = 2 of 2 applicable → score 4, HGDG 20 (100 %).
    A3 (Fatih, same facility as A1, later): only Q2 yes = 2 of 4 (Q1, Q3 unanswered → 0) → 2, HGDG 10.
    A4 (Fatih): all no → 0, HGDG 0."""
    frame = answers(
        [
            ("A1", "K1", "Kadıköy", "2024-03-01", "Q1", "yes"),
            ("A1", "K1", "Kadıköy", "2024-03-01", "Q2", "Kısmen"),
            ("A1", "K1", "Kadıköy", "2024-03-01", "Q3", "HAYIR"),
            ("A2", "K2", "KADIKÖY", "2024-03-02", "Q1", "Evet"),
            ("A2", "K2", "KADIKÖY", "2024-03-02", "Q2", "uygulanamaz"),
            ("A2", "K2", "KADIKÖY", "2024-03-02", "Q3", "e"),
            ("A3", "K1", "Kadıköy", "2024-06-01", "Q2", "yes"),
            ("A4", "K3", "Fatih", "01.05.2024", "Q1", "no"),
            ("A4", "K3", "Fatih", "01.05.2024", "Q2", "no"),
            ("A4", "K3", "Fatih", "01.05.2024", "Q3", "no"),
        ]
    )
    read = read_assessments(frame, library)
    return read, score_assessments(read, library)


def test_answers_are_read_by_code_label_or_alias(scored):
    read, _ = scored
    assert read.ok
    assert read.data[N.ANSWER].tolist() == [
        "yes",
        "partly",
        "no",
        "yes",
        "na",
        "yes",
        "yes",
        "no",
        "no",
        "no",
    ]
    assert read.data[N.POINTS].tolist() == [1, 1, 0, 1, 0, 1, 2, 0, 0, 0]
    assert set(read.data[C.DISTRICT]) == {"Kadıköy", "Fatih"}
    assert read.data[C.FISCAL_YEAR].tolist() == [2024] * 10  # from the date
    # A3 answers 1 of 3 questions: a warning on its first row
    assert (
        read.warnings[C.ISSUE_ROW].tolist() == [8]
        and "3 sorudan 1 tanesi" in read.warnings[C.ISSUE_MESSAGE].iloc[0]
    )


def test_scores_hand_computed(scored):
    _, scores = scored
    a = scores.assessments.set_index(N.ASSESSMENT_ID)
    assert a[N.SCORE].tolist() == [2, 4, 2, 0]
    assert a[N.HGDG_SCORE].tolist() == [10, 20, 10, 0]
    assert a[N.WEIGHT].tolist() == [0.5, 1.0, 0.5, 0.0]
    assert a[N.APPLICABLE_POINTS].tolist() == [4, 2, 4, 4]
    assert a[N.COMPLETE].tolist() == [True, True, False, True]
    assert a[N.LATEST].tolist() == [False, True, True, True]  # A3 is K1's later assessment
    sections = scores.sections.set_index([N.ASSESSMENT_ID, N.SECTION_ID])
    assert sections.loc[("A1", "a"), N.POINTS] == 2 and sections.loc[("A1", "a"), N.MAX_POINTS] == 3
    assert sections.loc[("A1", "a"), N.SHARE_EARNED] == pytest.approx(2 / 3)


def test_aggregation_uses_each_subjects_latest_assessment(scored):
    _, scores = scored
    agg = scores.by_service_district
    kadikoy = agg[agg[C.DISTRICT] == "Kadıköy"].iloc[0]
    assert kadikoy[N.SUBJECTS] == 2 and kadikoy[N.MEAN_SCORE] == pytest.approx(3)  # A2 4, A3 2
    assert kadikoy[N.MEAN_HGDG_SCORE] == pytest.approx(15) and kadikoy[N.WEIGHT] == 0.75
    overall = agg[agg[C.DISTRICT].isna()].iloc[0]
    assert overall[N.SUBJECTS] == 3 and overall[N.MEAN_SCORE] == pytest.approx(2)
    q2 = scores.by_question.set_index(N.QUESTION_ID).loc["Q2"]
    assert q2[N.NOT_APPLICABLE] == 1 and q2[N.APPLICABLE_POINTS] == 4 and q2[N.POINTS] == 2


@pytest.mark.parametrize(
    ("score", "band", "weight"),
    [(0, 0, 0), (3.99, 0, 0), (4, 4, 0.25), (7.9, 4, 0.25), (8, 8, 0.5), (14.9, 8, 0.5), (15, 15, 0.75), (19.99, 15, 0.75), (20, 20, 1.0)],
)  # fmt: skip
def test_hgdg_bands_of_methods_md(score, band, weight):
    got_band, got_weight = hgdg_band(np.array([score]))
    assert (got_band[0], got_weight[0]) == (band, weight)


def test_a_perfect_hgdg_design_is_exactly_20_and_fully_counted():
    design = load_checklist("hgdg_design")  # elements 6.0 and 10.0 have three items of 2/3
    frame = pd.DataFrame(
        {
            "assessment_id": "H",
            "subject_id": "P",
            "question_id": [q.id for q in design.questions],
            "answer": "yes",
        }
    )
    scores = score_assessments(read_assessments(frame, design), design)
    row = scores.assessments.iloc[0]
    assert row[N.HGDG_SCORE] == 20 and row[N.WEIGHT] == 1.0
    partly = score_assessments(read_assessments(frame.assign(answer="partly"), design), design)
    assert partly.assessments.iloc[0][N.HGDG_SCORE] == pytest.approx(10)


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("answer", "belki", "invalid_value"),
        ("question_id", "Q9", "unknown_code"),
        ("assessed_on", "31.02.2024", "unparseable_date"),
        ("checklist_id", "park", "invalid_value"),
        ("subject_id", "K9", "invalid_value"),  # an assessment has one subject
    ],
)
def test_bad_answers_are_errors_on_their_row(library, column, value, code):
    frame = answers([("A1", "K1", "Kadıköy", "2024-03-01", q, "yes") for q in ("Q1", "Q2", "Q3")])
    frame = frame.assign(checklist_id="kutuphane")
    frame.loc[1, column] = value
    read = read_assessments(frame, library)
    errors = read.errors
    assert (3, code) in set(zip(errors[C.ISSUE_ROW], errors[C.ISSUE_CODE], strict=True))
    assert 3 in read.quarantine[C.SOURCE_ROW].tolist()


def test_demo_assessments_report_the_planted_errors():
    planted = yaml.safe_load((DEMO / "planted_errors.yaml").read_text(encoding="utf-8"))
    for checklist_id, name in (
        ("park", "assessments_park.csv"),
        ("hgdg_design", "assessments_hgdg_design.csv"),
    ):
        read = read_assessments(DEMO / name, load_checklist(checklist_id))
        issues = set(
            zip(read.issues[C.ISSUE_ROW], read.issues[C.ISSUE_COLUMN], read.issues[C.ISSUE_CODE], strict=True)
        )
        expected = {(p["row"], p["column"], p["code"]) for p in planted[name].values()}
        assert issues == expected, name


def test_demo_park_scores():
    park = load_checklist("park")
    scores = score_assessments(read_assessments(DEMO / "assessments_park.csv", park), park)
    latest = scores.assessments[scores.assessments[N.LATEST]]
    assert len(scores.assessments) == 28 and len(latest) == 24
    by_district = scores.by_service_district.dropna(subset=[C.DISTRICT]).set_index(C.DISTRICT)
    # the planted difference: better-equipped parks in Kadıköy, Üsküdar, Beylikdüzü
    well = by_district.loc[["Kadıköy", "Üsküdar", "Beylikdüzü"], N.MEAN_SCORE].min()
    others = by_district.drop(index=["Kadıköy", "Üsküdar", "Beylikdüzü"])[N.MEAN_SCORE].max()
    assert well > others
