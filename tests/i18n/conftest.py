"""Fixtures of the Turkish-first tests: the ``gcdb`` command run in-process, and messy input files."""

from __future__ import annotations

from pathlib import Path

import pytest
from i18n_helpers import MESSY


@pytest.fixture(autouse=True)
def _no_language_from_the_environment(monkeypatch):
    monkeypatch.delenv("GCDB_LANG", raising=False)


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> dict[str, Path]:
    """Input files with many kinds of problems, for the error messages."""
    folder = tmp_path_factory.mktemp("bad")
    lines = (MESSY / "budget_2024_tr.csv").read_text(encoding="cp1254").splitlines()
    header, rows = lines[0], lines[1:7]
    sep = ";"
    cells = [r.split(sep) for r in rows]
    cells[0][-1] = "abc"  # expenditure not a number
    cells[1][2] = "4634"  # malformed institutional code
    cells[2][-2] = "-5,00"  # negative revised appropriation
    cells[3][1] = cells[4][1]  # a line id twice
    cells[5][-3] = ""  # empty initial appropriation
    budget = folder / "butce_hatali.csv"
    budget.write_text("\n".join([header, *(sep.join(c) for c in cells)]) + "\n", encoding="utf-8")
    refused = folder / "butce_eksik.csv"
    refused.write_text("Yıl;Açıklama\n2024;KADIN DAYANIŞMA EVİ\n", encoding="utf-8")
    usage = folder / "kullanim_hatali.csv"
    usage.write_text(
        "Kayıt No;Hizmet Kodu;Kişi No;Cinsiyet;Yaş;İlçe;Tarih\n"
        "1;KRS;P1;Kadın;34;Kadıköy;2024-03-01\n"
        "2;KRS;P2;belki;34;Kadıköy;2024-03-01\n"
        "3;KRS;P3;Erkek;150;Atlantis;01.13.2024\n"
        "4;KRS;P4;K;30;Üsküdar;9999-12-31\n"
        "4;KRS;P5;E;;;\n",
        encoding="utf-8",
    )
    personal = folder / "kullanim_kisisel.csv"
    personal.write_text(
        "Kayıt No;Hizmet Kodu;Kişi No;Ad Soyad;Cinsiyet;İlçe\n1;KRS;P1;Ayşe Yılmaz;Kadın;Kadıköy\n",
        encoding="utf-8",
    )
    rules = folder / "kurallar.yaml"
    rules.write_text(
        "name: hatalı\napplies_to: budget\ndefault_scheme: eu_cpr\nrules:\n"
        "  - id: a\n    when: {column: description, contains: KADIN}\n    then: {actions: [A7H1E1], categoriess: {eu_cpr: '01'}}\n"
        "  - id: a\n    when: {column: description}\n    then: {categories: {eu_cpr: '99'}}\n",
        encoding="utf-8",
    )
    cases = folder / "kurallar2.cases.yaml"
    (folder / "kurallar2.yaml").write_text(
        "name: iki\napplies_to: budget\ndefault_scheme: eu_cpr\nrules:\n"
        "  - id: ev\n    when: {column: description, contains: DAYANIŞMA}\n"
        "    then: {actions: [A7H1E1], categories: {eu_cpr: '01'}}\n",
        encoding="utf-8",
    )
    cases.write_text(
        "- name: tutar\n  input: {description: KADIN DAYANIŞMA EVİ}\n  expect: {actions: [A7H1E2]}\n"
        "- name: bos\n  input: {description: YOL YAPIMI}\n  expect: {untagged: false}\n",
        encoding="utf-8",
    )
    return {
        "budget": budget,
        "refused": refused,
        "usage": usage,
        "personal": personal,
        "rules": rules,
        "cases": cases,
        "folder": folder,
    }
