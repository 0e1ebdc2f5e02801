"""Budget proposals and the rule sets generated for them: grouping, descriptions, loadable YAML, passing cases,
narrowing on collisions."""

from __future__ import annotations

import pandas as pd
import pytest
from costing_builders import frame, line

import gcdb
from gcdb import columns as C
from gcdb.costing import names as N
from gcdb.costing import proposal_rules, propose_budget, read_costing
from gcdb.costing.rulegen import significant_words, unit_words
from gcdb.rules import loads_ruleset, run_cases
from gcdb.schemas import budget_schema


@pytest.fixture(scope="module")
def costing():
    return read_costing(
        frame(
            line(cost_line_id="a", item="Psikolog", description="Kadın danışma merkezi personel", quantity="2", unit_cost="100", year_to="2025", category_ph_hgdg="20"),
            line(cost_line_id="b", item="Sosyal çalışmacı", description="Kadın danışma merkezi personel", quantity="1", unit_cost="50", category_ph_hgdg="20"),
            line(cost_line_id="c", item="Çağrı yazılımı", economic_code="03.7.2.01", quantity="1", unit_cost="30"),
            line(cost_line_id="d", action_code="A2H3E3", item="Sığınak yapımı", economic_code="06.5.7.01", quantity="1", unit_cost="900", year_from="2025"),
        )
    )  # fmt: skip


@pytest.fixture(scope="module")
def proposal(costing):
    return propose_budget(costing)


def test_lines_group_costing_by_codes_action_and_description(proposal):
    lines = proposal.lines
    assert lines[[C.FISCAL_YEAR, C.LINE_ID]].values.tolist() == [
        [2024, "T0001"],
        [2024, "T0002"],
        [2025, "T0001"],
        [2025, "T0003"],
    ]
    by = lines.set_index([C.FISCAL_YEAR, C.LINE_ID])
    assert by.loc[(2024, "T0001"), C.DESCRIPTION] == "KADIN DANIŞMA MERKEZİ PERSONEL (A2H3E2)"
    assert by.loc[(2024, "T0001"), C.INITIAL_APPROPRIATION] == 25_000  # 2 × 100 + 1 × 50 TL
    assert by.loc[(2025, "T0001"), C.INITIAL_APPROPRIATION] == 20_000  # only line a runs to 2025
    assert by.loc[(2024, "T0002"), C.DESCRIPTION] == "ÇAĞRI YAZILIMI (A2H3E2)"  # from the item
    assert (lines[C.EXPENDITURE] == 0).all()
    assert (lines[C.REVISED_APPROPRIATION] == lines[C.INITIAL_APPROPRIATION]).all()
    budget_schema().validate(lines.assign(**{C.FISCAL_YEAR: lines[C.FISCAL_YEAR].astype("int64")}))


def test_links_add_up_to_the_lines_and_details_carry_categories(proposal):
    sums = proposal.links.groupby([C.FISCAL_YEAR, C.LINE_ID])[N.AMOUNT].sum()
    lines = proposal.lines.set_index([C.FISCAL_YEAR, C.LINE_ID])[C.INITIAL_APPROPRIATION]
    assert sums.sort_index().tolist() == lines.sort_index().tolist()
    detail = proposal.details.set_index([C.FISCAL_YEAR, C.LINE_ID])
    assert detail.loc[(2024, "T0001"), N.COST_LINES] == 2
    assert detail.loc[(2024, "T0001"), N.PH_HGDG] == "20"


def test_wide_view_has_one_column_per_year(proposal):
    wide = proposal.wide()
    assert list(wide.columns[-2:]) == ["2024", "2025"]
    t1 = wide[wide[C.LINE_ID] == "T0001"].iloc[0]
    assert (t1["2024"], t1["2025"]) == (25_000, 20_000)
    assert wide[wide[C.LINE_ID] == "T0003"].iloc[0]["2024"] == 0


def test_descriptions_that_name_the_action_get_no_second_marker():
    costing = read_costing(frame(line(description="A2H3E2 kapsamında hat hizmeti")))
    assert propose_budget(costing).lines[C.DESCRIPTION].iloc[0] == "A2H3E2 KAPSAMINDA HAT HİZMETİ"
    assert (
        propose_budget(costing, marker=False).lines[C.DESCRIPTION].iloc[0] == "A2H3E2 KAPSAMINDA HAT HİZMETİ"
    )


def test_words_and_unit_names_in_turkish():
    assert significant_words("KADIN DANIŞMA MERKEZİ PERSONEL HİZMET ALIMI (A2H3E2)", "A2H3E2") == [
        "kadın",
        "danışma",
        "merkezi",
        "personel",
    ]
    assert unit_words("SOSYAL HİZMETLER DAİRE BAŞKANLIĞI") == "sosyal hizmetler"


def test_generated_rules_load_tag_their_lines_and_pass_their_cases(proposal, tmp_path):
    generated = proposal_rules(proposal, catalogue=gcdb.Catalogue.load(), plan="yeep_ibb_2021_2024")
    again = loads_ruleset(generated.yaml, name="again.yaml")
    assert again.rule_ids == generated.ruleset.rule_ids
    tagged = gcdb.tag(proposal.lines, generated.ruleset)
    assert tagged.rows["tagged"].all()
    wanted = generated.rules.explode(C.LINE_ID).set_index(C.LINE_ID)["rule_id"]
    assert (tagged.rows["rule_ids"] == proposal.lines[C.LINE_ID].map(wanted)).all()
    assert tagged.tags[C.ACTION_CODE].tolist() == ["A2H3E2", "A2H3E2", "A2H3E2", "A2H3E3"]
    rules_path, cases_path = generated.write(tmp_path / "teklif.yaml")
    results = run_cases(cases_path)
    assert results and all(r.passed for r in results), [str(r) for r in results if not r.passed]
    # per rule: its line, reworded (action code kept), lower case (words only), another economic code
    assert len(results) == 3 * 4


def test_a_rule_that_hits_an_excluded_line_is_narrowed_to_its_exact_description(proposal):
    existing = proposal.lines.iloc[[0]].assign(
        **{C.LINE_ID: "999", C.DESCRIPTION: "Kadın Danışma Merkezi Personel Giderleri"}
    )
    loose = proposal_rules(proposal)
    assert gcdb.tag(existing, loose.ruleset).rows["tagged"].all()  # the words would find it
    strict = proposal_rules(proposal, exclude=existing)
    assert not gcdb.tag(existing, strict.ruleset).rows["tagged"].any()
    assert strict.collisions.empty
    rule = strict.rules.set_index("rule_id").loc["teklif-t0001-a2h3e2"]
    assert rule["mode"] == "exact" and rule["marker"]
    assert gcdb.tag(proposal.lines, strict.ruleset).rows["tagged"].all()


def test_a_collision_that_cannot_be_narrowed_is_reported(proposal):
    existing = proposal.lines.iloc[[0]].assign(**{C.LINE_ID: "999"})  # the very same text and codes
    generated = proposal_rules(proposal, exclude=existing)
    assert generated.collisions["rule_id"].tolist() == ["teklif-t0001-a2h3e2"]
    assert generated.collisions[C.LINE_ID].tolist() == ["999"]


def test_one_action_with_two_category_sets_under_the_same_codes_drops_the_marker():
    costing = read_costing(
        frame(
            line(cost_line_id="a", description="Hat personeli", category_eu_cpr="01"),
            line(cost_line_id="b", description="Hat bakım", category_eu_cpr="02", item="x"),
        )
    )
    proposal = propose_budget(costing)
    generated = proposal_rules(proposal)
    assert not generated.rules["marker"].any()
    tagged = gcdb.tag(proposal.lines, generated.ruleset)
    got = dict(zip(proposal.lines[C.DESCRIPTION], tagged.tags["category_eu_cpr"], strict=True))
    assert got == {"HAT BAKIM (A2H3E2)": "02", "HAT PERSONELİ (A2H3E2)": "01"}


def test_injected_into_a_real_budget_only_the_proposed_lines_are_found(proposal):
    demo = pd.read_parquet(gcdb.paths.demo() / "budget.parquet").astype({C.LINE_ID: "str"})
    generated = proposal_rules(proposal, exclude=demo)
    both = pd.concat([demo, proposal.lines], ignore_index=True)
    rows = gcdb.tag(both, generated.ruleset).rows
    assert rows["tagged"].sum() == len(proposal.lines)
    assert rows.loc[rows["tagged"], C.LINE_ID].str.startswith("T").all()
