"""Checklists as data: the shipped ones load, and every mistake in a checklist file names its file and line."""

from __future__ import annotations

import pytest

from gcdb.checklists import SHIPPED, ChecklistError, load_checklist, loads_checklist
from gcdb.errors import RuleError

MINIMAL = """\
id: kutuphane
name_tr: Kütüphane
name_en: Library
subject: facility
reference: test
max_score: 3
scales:
  - id: yn
    options:
      - {code: "yes", value: 1, label_tr: Evet, label_en: "Yes"}
      - {code: "no", value: 0, label_tr: Hayır, label_en: "No"}
sections:
  - id: s1
    title_tr: Bölüm
    title_en: Section
    questions:
      - {id: Q1, text_tr: Soru 1, text_en: Question 1, max_score: 1, scale: yn}
      - {id: Q2, text_tr: Soru 2, text_en: Question 2, max_score: 2, scale: yn}
"""


@pytest.mark.parametrize(
    ("checklist_id", "questions", "max_score"),
    [("park", 20, 40), ("hgdg_design", 17, 20), ("hgdg_implementation", 21, 20)],
)
def test_shipped_checklists_load_and_add_up(checklist_id, questions, max_score):
    checklist = load_checklist(checklist_id)
    assert checklist.id == checklist_id and len(checklist.questions) == questions
    assert sum(q.max_score for q in checklist.questions) == pytest.approx(max_score)
    assert checklist.max_score == max_score
    assert checklist.reference.strip()
    for q in checklist.questions:  # Turkish and English for everything a person reads
        assert q.text_tr.strip() and q.text_en.strip()


def test_hgdg_element_maxima_are_the_guidelines():
    design = load_checklist("hgdg_design")
    assert [s.id for s in design.sections] == [f"{i}.0" for i in range(1, 11)]
    assert all(s.points == pytest.approx(2) for s in design.sections)
    implementation = load_checklist("hgdg_implementation")
    points = {s.id: s.points for s in implementation.sections}
    assert sum(v for k, v in points.items() if k.startswith("M")) == pytest.approx(8)  # Box 16
    assert sum(v for k, v in points.items() if k.startswith("E")) == pytest.approx(12)  # Box 17
    assert points["E3.0"] == pytest.approx(4)


def test_shipped_ids_are_files():
    assert set(SHIPPED) == {"park", "hgdg_design", "hgdg_implementation"}


def test_minimal_checklist_loads():
    checklist = loads_checklist(MINIMAL, name="kutuphane.yaml")
    assert [q.id for q in checklist.questions] == ["Q1", "Q2"]


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("max_score: 3\n", "max_score: 4\n", None, "questions add up to 3"),
        ("      - {id: Q2, text_tr", "      - {id: Q2, txt: x, text_tr", 18, "unknown key 'txt'"),
        ("scale: yn}\n      - {id: Q2", "scale: yy}\n      - {id: Q2", None, "unknown scale 'yy'"),
        ("{id: Q2,", "{id: Q1,", None, "question ids repeat: Q1"),
        ('{code: "yes"', "{code: yes", 10, "must be quoted"),
        ("subject: facility", "subject: building", 4, "subject"),
        ("value: 0, label_tr", "value: 2, label_tr", 11, "less than or equal to 1"),
    ],
)
def test_mistakes_name_file_and_line(english, old, new, line, message):
    assert old in MINIMAL
    with pytest.raises(ChecklistError, match=message) as err:
        loads_checklist(MINIMAL.replace(old, new, 1), name="kutuphane.yaml")
    assert err.value.file == "kutuphane.yaml"
    if line is not None:
        assert err.value.line == line
    assert isinstance(err.value, RuleError)


def test_duplicate_keys_are_errors_with_the_line():
    text = MINIMAL.replace("reference: test\n", "reference: test\nreference: again\n")
    with pytest.raises(ChecklistError, match="yinelenen anahtar 'reference'") as err:
        loads_checklist(text, name="k.yaml")
    assert err.value.line == 6


def test_missing_file(tmp_path):
    with pytest.raises(ChecklistError, match="dosya bulunamadı"):
        load_checklist(tmp_path / "yok.yaml")
