"""Strict loading of indicator definitions: every error names the file, the line and the definition id."""

import json

import pandas as pd
import pytest

from gcdb import paths
from gcdb.errors import RuleError
from gcdb.indicators import (
    IndicatorError,
    IndicatorSetError,
    indicators_json_schema,
    load_indicators,
    loads_indicators,
    parse_indicators,
)

#: messages asserted in English (gcdb speaks Turkish by default)
pytestmark = pytest.mark.usefixtures("english")

CATALOGUE = pd.DataFrame(
    {
        "indicator_id": ["A14-G9", "A2-G48", "A7-G26", "A1-G5"],
        "kind": ["ratio", "count", "count", "completion"],
    }
)
SERVICES = ["MEK", "HUK", "KRS"]

HEAD = "name: test\nplan: demo_plan\nindicators:\n"  # definitions start on line 4
DEFINITION = """\
  - id: mek-share
    indicator: A14-G9
    title_tr: Kurslarda kadın payı
    title_en: Share of women in courses
    kind: ratio
    measure: users
    numerator:
      all:
        - {column: service_code, equals: MEK}
        - {column: sex, equals: female}
    denominator: {column: service_code, equals: MEK}
    unit: percent
    direction: higher_is_better
    reference: YEEP A14-G9
"""


def load(text: str, **kwargs):
    kwargs.setdefault("catalogue", CATALOGUE)
    kwargs.setdefault("services", SERVICES)
    return loads_indicators(HEAD + text, name="defs.yaml", **kwargs)


def test_the_valid_definition_loads():
    result = load(DEFINITION)
    assert result.ids == ["mek-share"]
    d = result["mek-share"]
    assert d.line == 4 and d.line_of("unit") == 15
    assert d.breakdowns == [()]


# (replace this, with this, line, message fragment)
ERRORS = {
    "unknown key": (
        "    unit: percent\n",
        "    unti: percent\n",
        15,
        "unknown key 'unti'; did you mean 'unit'?",
    ),
    "duplicate key": (
        "    unit: percent\n",
        "    unit: percent\n    kind: count\n",
        16,
        "duplicate key 'kind' (first at line 8)",
    ),
    "unknown catalogue indicator": (
        "indicator: A14-G9",
        "indicator: A14-G99",
        5,
        "unknown catalogue indicator 'A14-G99'; did you mean 'A14-G9'",
    ),
    "catalogue indicator of the wrong kind": (
        "indicator: A14-G9",
        "indicator: A1-G5",
        5,
        "catalogue indicator 'A1-G5' is of kind 'completion'",
    ),
    "unknown column": (
        "{column: sex, equals: female}",
        "{column: gender, equals: female}",
        13,
        "unknown column 'gender' in numerator",
    ),
    "unknown sex code, Turkish label": (
        "{column: sex, equals: female}",
        "{column: sex, equals: Kadın}",
        13,
        "unknown sex code 'Kadın'; did you mean 'female'?",
    ),
    "unquoted yes": (
        "{column: sex, equals: female}",
        "{column: disability, equals: yes}",
        13,
        "write the code in quotes, e.g. 'yes'",
    ),
    "unknown service": (
        "denominator: {column: service_code, equals: MEK}",
        "denominator: {column: service_code, equals: MKE}",
        14,
        "unknown service code 'MKE'; did you mean 'MEK'?",
    ),
    "unknown age band": (
        "{column: sex, equals: female}",
        "{column: age_band, in: [65-]}",
        13,
        "unknown age_band code '65-'; did you mean '65+'?",
    ),
    "between on text": (
        "{column: sex, equals: female}",
        "{column: sex, between: {min: 1}}",
        13,
        "'between' needs a numeric column",
    ),
    "in null": (
        "{column: sex, equals: female}",
        "{column: sex, in: null}",
        13,
        "'in: null' is not allowed",
    ),
    "between null": (
        "{column: sex, equals: female}",
        "{column: age, between: null}",
        13,
        "'between: null' is not allowed",
    ),
    "number compared with text column": (
        "{column: service_code, equals: MEK}\n        - {column: sex",
        "{column: service_code, equals: 12}\n        - {column: sex",
        12,
        "write 12 in quotes",
    ),
    "two operators": (
        "{column: sex, equals: female}",
        "{column: sex, equals: female, missing: true}",
        13,
        "has 2 operators (equals, missing)",
    ),
    "not a condition": (
        "{column: sex, equals: female}",
        "{colum: sex, equals: female}",
        13,
        "a condition is a mapping with 'column'",
    ),
    "count with numerator": ("kind: ratio", "kind: count", 4, "kind 'count' takes 'filter', not 'numerator'"),
    "ratio with unit count": (
        "unit: percent",
        "unit: count",
        4,
        "kind 'ratio' reports unit 'percent' or 'per_1000'",
    ),
    "unknown unit": ("unit: percent", "unit: percentage", 15, "'unit': Input should be"),
    "unknown breakdown": (
        "    unit: percent\n",
        "    by: [gender]\n    unit: percent\n",
        15,
        "'by' takes breakdown",
    ),
    "population ratio broken down by disability": (
        "    denominator: {column: service_code, equals: MEK}\n",
        "    population: {column: population}\n    by: [disability]\n",
        4,
        "breakdown by disability needs a usage 'denominator'",
    ),
    "population filter on a usage column": (
        "    denominator: {column: service_code, equals: MEK}\n",
        "    population:\n      filter: {column: disability, equals: 'yes'}\n",
        15,
        "unknown column 'disability' in population.filter",
    ),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_name_file_line_and_id(case):
    old, new, line, fragment = ERRORS[case]
    assert old in DEFINITION
    with pytest.raises(RuleError) as info:
        load(DEFINITION.replace(old, new, 1))
    err = info.value
    assert isinstance(err, IndicatorError)
    assert err.file == "defs.yaml"
    assert err.line == line, str(err)
    assert err.indicator_id == "mek-share"
    assert fragment in str(err)
    assert str(err).startswith(f"defs.yaml:{line} (indicator 'mek-share'): ")


def test_duplicate_definition_ids():
    second = DEFINITION.replace("A14-G9", "A2-G48", 1)
    with pytest.raises(
        IndicatorError, match=r"defs.yaml:18 \(indicator 'mek-share'\): duplicate definition id"
    ):
        load(DEFINITION + second)


def test_several_problems_are_all_reported_in_line_order():
    text = DEFINITION.replace("A14-G9", "A14-G99").replace("equals: female", "equals: kadin")
    with pytest.raises(IndicatorSetError) as info:
        load(text)
    lines = [p.line for p in info.value.problems]
    assert lines == [5, 13]
    assert "1 more problem(s)" in str(info.value)


def test_plan_must_match_the_catalogue(tmp_path):
    from gcdb.catalogue import Catalogue

    text = HEAD + DEFINITION
    path = tmp_path / "defs.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IndicatorError) as info:
        load_indicators(path, catalogue=Catalogue.load())
    assert info.value.line == 2
    assert "plan 'demo_plan' does not match the catalogue's plan 'yeep_ibb_2021_2024'" in str(info.value)
    assert str(path) in str(info.value)


def test_duplicate_key_from_a_file_names_file_line_and_id(tmp_path):
    path = tmp_path / "defs.yaml"
    path.write_text(
        HEAD + DEFINITION.replace("    reference:", "    title_en: again\n    reference:"), encoding="utf-8"
    )
    with pytest.raises(IndicatorError) as info:
        load_indicators(path, catalogue=CATALOGUE)
    assert (info.value.file, info.value.line, info.value.indicator_id) == (str(path), 17, "mek-share")
    assert "duplicate key 'title_en' (first at line 7)" in str(info.value)


def test_services_check_is_skipped_without_a_list():
    text = DEFINITION.replace("equals: MEK}\n    unit", "equals: XYZ}\n    unit")
    assert load(text, services=None).ids == ["mek-share"]
    with pytest.raises(IndicatorError, match="unknown service code 'XYZ'"):
        load(text)


def test_breakdowns_nest_neighbourhood_in_district_and_keep_order():
    text = DEFINITION.replace(
        "    unit: percent\n",
        "    by: [district, neighbourhood, [district, sex], age_band]\n    unit: percent\n",
    )
    d = load(text)["mek-share"]
    assert d.breakdowns == [
        (),
        ("district",),
        ("district", "neighbourhood"),
        ("sex", "district"),
        ("age_band",),
    ]
    with pytest.raises(IndicatorError, match="lists the breakdown"):
        load(
            DEFINITION.replace(
                "    unit: percent\n",
                "    by: [neighbourhood, [district, neighbourhood]]\n    unit: percent\n",
            )
        )


def test_parse_indicators_from_python_data():
    data = {
        "name": "from code",
        "indicators": [
            {
                "id": "huk",
                "indicator": "A2-G48",
                "title_tr": "Danışmanlık",
                "title_en": "Counselling",
                "kind": "count",
                "measure": "users",
                "filter": {"column": "service_code", "in": ["HUK"]},
                "unit": "count",
                "direction": "higher_is_better",
                "reference": "YEEP A2-G48",
            }
        ],
    }
    result = parse_indicators(data, catalogue=CATALOGUE, services=SERVICES)
    assert result["huk"].filter.values == ["HUK"]
    data["indicators"][0]["indicator"] = "A2-G480"
    with pytest.raises(IndicatorError, match=r"<data> \(indicator 'huk'\): unknown catalogue indicator"):
        parse_indicators(data, catalogue=CATALOGUE)


def test_shipped_json_schema_is_current():
    shipped = json.loads((paths.rules() / "indicators.schema.json").read_text(encoding="utf-8"))
    assert shipped == indicators_json_schema()
    assert shipped["additionalProperties"] is False
    definition = shipped["$defs"]["IndicatorDefinition"]
    assert definition["additionalProperties"] is False
    assert {"id", "indicator", "kind", "measure", "unit", "direction", "reference"} <= set(
        definition["required"]
    )
