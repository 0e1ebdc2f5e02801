"""Fixtures for the TCDB workbook tests: the demo municipality read, tagged and analysed once per session, its
workbook written once per language, and a small hand-made budget with formula-like descriptions."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from gcdb import paths

DEMO_BUDGET = paths.demo() / "budget.parquet"
DEMO_RULES = paths.rules() / "ibb_yeep_2021_budget.yaml"
PLAN = paths.datasets() / "yeep_ibb_2021_2024"


@dataclass
class Demo:
    read: object
    ruleset: object
    tagging: object
    analysis: object
    inputs: list


@pytest.fixture(scope="session")
def demo() -> Demo:
    from gcdb.budget import analyse_budget
    from gcdb.catalogue import Catalogue
    from gcdb.read import read_budget
    from gcdb.rules import load_ruleset, tag

    catalogue = Catalogue.load()
    read = read_budget(DEMO_BUDGET)
    ruleset = load_ruleset(DEMO_RULES, catalogue=catalogue)
    tagging = tag(read.data, ruleset)
    analysis = analyse_budget(read.data, tagging, plan_actions=catalogue.budget_actions())
    inputs = [("budget", DEMO_BUDGET), ("rules", DEMO_RULES), ("catalogue", PLAN)]
    return Demo(read, ruleset, tagging, analysis, inputs)


#: The date the workbooks of these tests are stamped with (``SOURCE_DATE_EPOCH``: 2000-01-01 00:00 UTC).
EPOCH = "946684800"


def _write(demo: Demo, path: Path, lang: str) -> Path:
    from gcdb.report.tcdb import write_tcdb_workbook

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return write_tcdb_workbook(
            path,
            demo.analysis,
            tagging=demo.tagging,
            read_result=demo.read,
            ruleset=demo.ruleset,
            inputs=demo.inputs,
            lang=lang,
        )


@pytest.fixture(scope="session")
def write_demo(demo):
    """Write the demo workbook (``lang``) to a path; used for the byte-identity test."""
    return lambda path, lang="tr": _write(demo, path, lang)


@pytest.fixture(scope="session")
def demo_xlsx(demo, tmp_path_factory) -> Path:
    return _write(demo, tmp_path_factory.mktemp("tcdb") / "tcdb_tr.xlsx", "tr")


@pytest.fixture(scope="session")
def demo_xlsx_en(demo, tmp_path_factory) -> Path:
    return _write(demo, tmp_path_factory.mktemp("tcdb") / "tcdb_en.xlsx", "en")


@pytest.fixture(scope="session")
def demo_book(demo_xlsx):
    from tcdb_xlsx import Book

    return Book(demo_xlsx)


@pytest.fixture(scope="session")
def demo_book_en(demo_xlsx_en):
    from tcdb_xlsx import Book

    return Book(demo_xlsx_en)


SMALL_RULES = textwrap.dedent(
    """\
    name: küçük test kuralları
    version: "7"
    applies_to: budget
    default_scheme: eu_cpr
    mode: first
    rules:
      - id: kadin-birimi
        description: every line of the women's department
        when: {column: unit_name, contains: kadın}
        then:
          actions: [A2H3E3]
          categories: {eu_cpr: "01", oecd_dac: "2", india_gbs: A}
      - id: kres
        description: crèches, mainstreaming
        when: {column: description, contains: kreş}
        then:
          actions: [A6H1E3]
          categories: {eu_cpr: "02", oecd_dac: "1", india_gbs: B}
          share: 0.5
          allocation: 0.6
      - id: yol-notr
        description: road works, neutral pending an ex-ante check; no plan action
        when: {column: description, contains: yol yapımı}
        then:
          categories: {eu_cpr: "03*", oecd_dac: "0", india_gbs: C}
          share: 0.1
      - id: hic-uymaz
        description: never fires
        when: {column: description, contains: uzay gemisi}
        then:
          categories: {eu_cpr: "03*", oecd_dac: "0", india_gbs: C}
          share: 0.1
    """
)

#: Budget lines (lira): descriptions that look like formulas, a crèche line, an untagged line, and (with
#: ``bad=True``) a line whose amount cannot be read.
SMALL_BUDGET = """\
fiscal_year;line_id;institutional_code;unit_name;functional_code;financing_type;economic_code;description;initial_appropriation;revised_appropriation;expenditure
2024;1;46.34.01.16;Kadın ve Aile Hizmetleri DB;10.4.0.00;5;03.5.1.08;=HYPERLINK("http://x","y");1.000,00;900,50;850,25
2024;2;46.34.01.16;Kadın ve Aile Hizmetleri DB;10.4.0.00;5;03.5.1.08;+90 212 destek hattı;2.000,00;2.000,00;1.999,99
2024;3;46.34.01.16;Kadın ve Aile Hizmetleri DB;10.4.0.00;5;03.5.1.08;-5 yaş kreş;3.000,00;3.100,00;3.000,01
2024;4;46.34.01.17;Sosyal Hizmetler DB;10.9.0.00;5;03.2.1.01;@SUM(A1);4.000,00;4.000,00;3.500,00
2024;5;46.34.01.17;Sosyal Hizmetler DB;10.9.0.00;5;05.3.1.01;Kreş işletme giderleri;5.000,00;5.500,00;5.000,00
2024;6;46.34.01.18;Fen İşleri DB;06.2.0.00;5;06.1.2.01;=1+1 yol yapımı;6.000,00;6.000,00;4.000,00
"""
BAD_LINE = "2024;7;46.34.01.18;Fen İşleri DB;06.2.0.00;5;06.1.2.01;HATALI SATIR;on bin;1.000,00;0,00\n"


@pytest.fixture
def small_inputs(tmp_path) -> tuple[Path, Path]:
    budget = tmp_path / "butce.csv"
    budget.write_text(SMALL_BUDGET, encoding="utf-8")
    rules = tmp_path / "kurallar.yaml"
    rules.write_text(SMALL_RULES, encoding="utf-8")
    return budget, rules


@pytest.fixture
def small_bad_budget(tmp_path) -> Path:
    budget = tmp_path / "butce_hatali.csv"
    budget.write_text(SMALL_BUDGET + BAD_LINE, encoding="utf-8")
    return budget
