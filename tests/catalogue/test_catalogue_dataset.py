"""The shipped İBB catalogue: byte-identical rebuild from the seed, and invariants counted independently in the
raw text (plain regular expressions over the seed, not the build script's parser)."""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pytest

from gcdb import paths
from gcdb.catalogue import schema as S

DATASET = paths.datasets() / "yeep_ibb_2021_2024"

CODE_RE = re.compile(r"A(\d+)H(\d+)E(\d+)")
#: Facts read in the plan text and checked by hand (see the dataset README).
REUSED = {"A8H2E5-2": ("A8H2E5", "A8H1"), "A11H3E1-2": ("A11H3E1", "A11H3")}  # key → (printed, table target)
OUTSIDE = {"A8H2E5-2": "A8H1", "A12H3E2": "A11H3"}  # key → table target differing from the code prefix
ACTIONS_PER_AREA = {
    1: 57,
    2: 37,
    3: 22,
    4: 24,
    5: 19,
    6: 36,
    7: 21,
    8: 19,
    9: 16,
    10: 13,
    11: 25,
    12: 5,
    13: 11,
    14: 13,
    15: 34,
}
INDICATORS_PER_AREA = {
    1: 73,
    2: 82,
    3: 43,
    4: 56,
    5: 27,
    6: 39,
    7: 34,
    8: 45,
    9: 40,
    10: 11,
    11: 66,
    12: 11,
    13: 12,
    14: 29,
    15: 36,
}


def committed(name: str) -> pd.DataFrame:
    return pd.read_csv(DATASET / name, keep_default_na=False, na_values=[""])


# -- rebuild ----------------------------------------------------------------------------------------------------
def test_rebuild_is_byte_identical(build_module, rebuilt):
    frames, _ = rebuilt
    assert set(frames) == set(S.PLAN_FILES)
    for name, frame in frames.items():
        expected = (DATASET / name).read_bytes()
        assert build_module.to_csv_text(frame).encode("utf-8") == expected, (
            f"{name} differs from the seed build"
        )


def test_check_and_write_modes(build_module, rebuilt, seed_path, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(build_module, "build", lambda seed: rebuilt)  # the parse itself is tested above
    assert build_module.main(["--seed", str(seed_path), "--check"]) == 0
    assert "match the seed" in capsys.readouterr().out
    assert build_module.main(["--seed", str(seed_path), "--out", str(tmp_path)]) == 0
    for name in S.PLAN_FILES:
        assert (tmp_path / name).read_bytes() == (DATASET / name).read_bytes()
    (tmp_path / S.ACTIONS_FILE).write_text("action_code\n", encoding="utf-8")
    assert build_module.main(["--seed", str(seed_path), "--out", str(tmp_path), "--check"]) == 1
    assert "actions.csv" in capsys.readouterr().err
    assert build_module.differences(rebuilt[0], tmp_path) == [S.ACTIONS_FILE]


# -- counts from the raw text ---------------------------------------------------------------------------------
def test_every_printed_code_is_an_action(seed_lines):
    printed = {m.group() for line in seed_lines for m in CODE_RE.finditer(line)}
    actions = committed(S.ACTIONS_FILE)
    assert len(printed) == 350
    assert set(actions[S.PRINTED_CODE]) == printed
    assert len(actions) == 350 + len(REUSED)


def test_code_occurrences_are_actions_plus_dropped_repeats(seed_lines):
    occurrences = sum(len(CODE_RE.findall(line)) for line in seed_lines)
    corrections = committed(S.CORRECTIONS_FILE)
    dropped = corrections[S.KIND].isin(["repeated_table_page", "repeated_row"]).sum()
    assert occurrences == 431
    assert occurrences == len(committed(S.ACTIONS_FILE)) + dropped


def _expected_per(level: str, seed_lines) -> Counter:
    """Distinct printed codes per area/target, moved and added as the plan's placement anomalies say."""
    printed = {m.group() for line in seed_lines for m in CODE_RE.finditer(line)}
    count: Counter = Counter()
    for code in printed:
        a, t, _ = CODE_RE.fullmatch(code).groups()
        count[int(a) if level == "area" else f"A{a}H{t}"] += 1
    for key, table_target in OUTSIDE.items():
        base = key.removesuffix("-2")
        a, t, _ = CODE_RE.fullmatch(base).groups()
        table_area = int(table_target[1:].split("H")[0])
        if key in REUSED:  # an extra action: only added where it sits
            count[table_area if level == "area" else table_target] += 1
        else:  # the one action moves
            count[int(a) if level == "area" else f"A{a}H{t}"] -= 1
            count[table_area if level == "area" else table_target] += 1
    for key, (_printed, table_target) in REUSED.items():
        if key not in OUTSIDE:
            count[int(table_target[1:].split("H")[0]) if level == "area" else table_target] += 1
    return +count


def test_actions_per_area_match_an_independent_count(seed_lines):
    actions = committed(S.ACTIONS_FILE)
    got = actions.groupby(S.AREA).size().to_dict()
    assert got == dict(_expected_per("area", seed_lines))
    assert got == ACTIONS_PER_AREA


def test_actions_per_target_match_an_independent_count(seed_lines):
    actions = committed(S.ACTIONS_FILE)
    assert actions.groupby(S.TARGET_CODE).size().to_dict() == dict(_expected_per("target", seed_lines))


def test_targets_are_the_printed_target_headings(seed_lines):
    headings = {
        f"A{a}H{t}"
        for line in seed_lines
        for a, t in re.findall(r"^\s*(?:Hedef\.\s*)?A(\d+)H(\d+)\s*-", line)
    }
    targets = committed(S.TARGETS_FILE)
    assert len(headings) == 52
    assert set(targets[S.TARGET_CODE]) == headings
    assert targets.groupby(S.AREA).size().to_dict() == {
        1: 5,
        2: 4,
        3: 3,
        4: 4,
        5: 3,
        6: 5,
        7: 3,
        8: 3,
        9: 4,
        10: 2,
        11: 5,
        12: 2,
        13: 3,
        14: 3,
        15: 3,
    }


def test_numbering_gaps_are_recorded(seed_lines):
    printed = {m.group() for line in seed_lines for m in CODE_RE.finditer(line)}
    numbers: dict[str, set[int]] = {}
    for code in printed:
        a, t, e = CODE_RE.fullmatch(code).groups()
        numbers.setdefault(f"A{a}H{t}", set()).add(int(e))
    headings = {
        f"A{a}H{t}"
        for line in seed_lines
        for a, t in re.findall(r"^\s*(?:Hedef\.\s*)?A(\d+)H(\d+)\s*-", line)
    }
    missing_actions = {
        f"{t}E{e}" for t, es in numbers.items() if t in headings for e in range(1, max(es) + 1) if e not in es
    }
    per_area: dict[int, set[int]] = {}
    for t in headings:
        a, n = map(int, t[1:].split("H"))
        per_area.setdefault(a, set()).add(n)
    missing_targets = {
        f"A{a}H{n}" for a, ns in per_area.items() for n in range(1, max(ns) + 1) if n not in ns
    }
    assert missing_targets == {"A4H3", "A4H4"}
    assert missing_actions == {
        "A2H2E1",
        "A6H1E6",
        "A6H1E7",
        "A6H3E4",
        "A11H2E4",
        "A11H2E5",
        "A15H2E6",
        "A15H2E7",
    }
    corrections = committed(S.CORRECTIONS_FILE)
    recorded = set(corrections.loc[corrections[S.KIND] == "numbering_gap", S.SUBJECT])
    assert recorded == missing_targets | missing_actions
    actions = committed(S.ACTIONS_FILE)
    assert not (set(actions[S.PRINTED_CODE]) & missing_actions)


def test_indicators_per_area_match_an_independent_count(seed_lines):
    """Count items in the raw lists: an item ends at a line without trailing white space or before a blank."""
    stop = re.compile(r"^\s*(Tablo \d+|(Hedef\.\s*)?A\d+H\d+\s*-|AMAÇ \d+:|Öncelikli Alana|A\d+H\d+E\d+)")
    counts: Counter = Counter()
    area, inside = 0, False
    for i, line in enumerate(seed_lines):
        head = re.match(r"^\s*(?:Tablo (\d+)\s*:|(?:Hedef\.\s*)?A(\d+)H\d+\s*-)", line)
        if head:
            area = int(head.group(1) or head.group(2))
        if line.strip() == "Gösterge":
            inside = True
            continue
        if stop.match(line):
            inside = False
        if not inside or not line.strip() or re.fullmatch(r"\s*\d{1,3}\s*", line):
            continue
        nxt = seed_lines[i + 1] if i + 1 < len(seed_lines) else ""
        if line == line.rstrip() or not nxt.strip() or stop.match(nxt):
            counts[area] += 1
    indicators = committed(S.INDICATORS_FILE)
    assert indicators.groupby(S.AREA).size().to_dict() == dict(counts) == INDICATORS_PER_AREA
    assert len(indicators) == 604


def test_blank_responsible_cells_are_flagged_not_filled(seed_lines):
    actions = committed(S.ACTIONS_FILE).set_index(S.ACTION_CODE)
    missing = set(actions.index[actions[S.RESPONSIBLE_MISSING]])
    assert missing == {"A4H1E3", "A4H1E4"}
    for code in missing:  # in the raw text nothing follows the dates before the next code
        start = actions.loc[code, S.SOURCE_LINE] - 1
        block = []
        for line in seed_lines[start + 1 :]:
            if CODE_RE.match(line.strip()):
                break
            block.append(line.strip())
        text = " ".join(b for b in block if b)
        assert re.search(r"(20\d\d|Rutin)\s+(20\d\d|Rutin)$", text), text
    units = committed(S.ACTION_UNITS_FILE)
    assert not units[S.ACTION_CODE].isin(missing).any()


def test_the_pandemic_dates(seed_lines):
    actions = committed(S.ACTIONS_FILE).set_index(S.ACTION_CODE)
    assert sum("Pandemi" in line and "Süresince" in line for line in seed_lines) == 0  # printed on two lines
    assert sum(line.strip() == "Süresince" for line in seed_lines) == 2
    row = actions.loc["A15H3E13"]
    assert (row[S.EST_START], row[S.EST_END]) == (2021, 2022)
    assert row[S.EST_START_KIND] == row[S.EST_END_KIND] == S.PANDEMIC
    assert row[S.EST_START_TEXT] == "Pandemi Süresince"


# -- invariants ---------------------------------------------------------------------------------------------------
def test_codes_are_well_formed_and_agree_with_their_table():
    actions = committed(S.ACTIONS_FILE)
    assert actions[S.ACTION_CODE].str.fullmatch(S.ACTION_KEY_RE.pattern.strip("^$")).all()
    assert actions[S.PRINTED_CODE].str.fullmatch(CODE_RE.pattern).all()
    assert actions[S.ACTION_CODE].is_unique
    parts = actions[S.PRINTED_CODE].str.extract(CODE_RE)
    prefix = "A" + parts[0] + "H" + parts[1]
    off = actions.loc[prefix != actions[S.TARGET_CODE], [S.ACTION_CODE, S.TARGET_CODE]]
    assert dict(zip(off[S.ACTION_CODE], off[S.TARGET_CODE], strict=True)) == OUTSIDE
    assert (actions[S.AREA].astype(str) == actions[S.TARGET_CODE].str.extract(r"A(\d+)H")[0]).all()
    assert (parts[2].astype(int) == actions[S.ACTION]).all()
    corrections = committed(S.CORRECTIONS_FILE)
    assert set(corrections.loc[corrections[S.KIND] == "code_outside_table", S.SUBJECT]) == set(OUTSIDE)
    assert set(corrections.loc[corrections[S.KIND] == "code_reused", S.SUBJECT]) == set(REUSED)
    suffixed = actions[actions[S.ACTION_CODE] != actions[S.PRINTED_CODE]]
    assert dict(zip(suffixed[S.ACTION_CODE], suffixed[S.PRINTED_CODE], strict=True)) == {
        k: v[0] for k, v in REUSED.items()
    }


def test_no_duplicate_code_title_rows():
    actions = committed(S.ACTIONS_FILE)
    assert not actions.duplicated([S.PRINTED_CODE, S.TITLE]).any()
    reused = actions[actions[S.PRINTED_CODE].duplicated(keep=False)]
    assert sorted(reused[S.PRINTED_CODE].unique()) == ["A11H3E1", "A8H2E5"]
    assert reused.groupby(S.PRINTED_CODE)[S.TITLE].nunique().eq(2).all()


def test_every_action_has_start_and_end():
    actions = committed(S.ACTIONS_FILE)
    for col in (S.EST_START, S.EST_END, S.EST_START_KIND, S.EST_END_KIND, S.EST_START_TEXT, S.EST_END_TEXT):
        assert actions[col].notna().all(), col
    assert (actions[S.EST_START] <= actions[S.EST_END]).all()
    routine = actions[S.EST_START_KIND] == S.ROUTINE
    assert (actions.loc[routine, S.EST_START] == 2021).all()
    assert (actions.loc[actions[S.EST_END_KIND] == S.ROUTINE, S.EST_END] == 2024).all()
    assert actions[S.EST_START_KIND].value_counts().to_dict() == {"year": 330, "routine": 21, "pandemic": 1}
    assert actions[S.EST_END_KIND].value_counts().to_dict() == {"year": 271, "routine": 80, "pandemic": 1}
    years = actions[S.EST_START_KIND] == S.YEAR
    assert (actions.loc[years, S.EST_START].astype(str) == actions.loc[years, S.EST_START_TEXT]).all()


def test_every_unit_and_stakeholder_link_resolves():
    units = pd.read_csv(DATASET.parent / "reference" / S.UNITS_FILE)
    stakeholders = pd.read_csv(DATASET.parent / "reference" / S.STAKEHOLDERS_FILE)
    links = committed(S.ACTION_UNITS_FILE)
    st_links = committed(S.ACTION_STAKEHOLDERS_FILE)
    assert links[S.UNIT_ID].notna().all() and links[S.UNIT_ID].isin(units[S.UNIT_ID]).all()
    assert (
        st_links[S.STAKEHOLDER_ID].notna().all()
        and st_links[S.STAKEHOLDER_ID].isin(stakeholders[S.STAKEHOLDER_ID]).all()
    )
    corrections = committed(S.CORRECTIONS_FILE)
    assert not (corrections[S.KIND] == "unresolved_name").any()
    # one responsible unit per action that names units, and it comes first
    resp = links[links[S.ROLE] == S.RESPONSIBLE]
    assert resp[S.ACTION_CODE].is_unique and (resp[S.POSITION] == 1).all()
    assert len(resp) == 350
    assert not links.duplicated([S.ACTION_CODE, S.UNIT_ID]).any()
    assert not st_links.duplicated([S.ACTION_CODE, S.STAKEHOLDER_ID]).any()


def test_responsible_unit_is_the_first_name_after_the_dates(seed_lines):
    """Spot checks against the raw rows (read by eye in the plan text)."""
    links = committed(S.ACTION_UNITS_FILE)
    resp = links[links[S.ROLE] == S.RESPONSIBLE].set_index(S.ACTION_CODE)[S.UNIT_ID]
    assert resp["A1H1E1"] == "sosyal_hizmetler"
    # "Kurumsal Gelişim ve Yönetim Sistemleri DB- İst. Kent Konseyi": the department holding the budget is
    # responsible, the city council cooperates (both kept)
    assert resp["A1H1E12"] == "kurumsal_gelisim_ve_yonetim_sistemleri"
    assert resp["A7H1E2"] == "saglik"
    assert resp["A8H2E1"] == "ulasim"  # printed "Ulaşım Dire Başkanlığı"
    assert resp["A15H3E23"] == "destek_hizmetleri"  # "Destek Hizmetleri DB"
    assert resp["A12H3E2"] == "yazi_isleri_ve_kararlar"
    coop = links[(links[S.ACTION_CODE] == "A15H1E1") & (links[S.ROLE] == S.COOPERATING)][S.UNIT_ID].tolist()
    assert coop == [
        "deprem_risk_yonetimi_ve_kentsel_iyilestirme",
        "sosyal_hizmetler",
        "basin_yayin_ve_halkla_iliskiler",
    ]
    st = committed(S.ACTION_STAKEHOLDERS_FILE)
    got = st[st[S.ACTION_CODE] == "A15H3E3"].sort_values(S.POSITION)[S.STAKEHOLDER_ID].tolist()
    assert got == [
        "stk",
        "kadin_orgutleri",
        "muhtarliklar",
    ]  # "STK’lar, Kadın Örgütleri Muhtarlar," (no comma)


def test_indicators_are_well_formed():
    ind = committed(S.INDICATORS_FILE)
    assert ind[S.INDICATOR_ID].is_unique
    assert (ind[S.INDICATOR_ID] == "A" + ind[S.AREA].astype(str) + "-G" + ind[S.NUMBER].astype(str)).all()
    assert ind[S.KIND].isin(S.INDICATOR_KINDS).all()
    dims = ind[S.DIMENSIONS].dropna().str.split("|").explode()
    assert dims.isin(S.DIMENSION_VALUES).all()
    assert ind[S.TEXT].str.len().gt(5).all()
    assert not ind[S.TEXT].str.match(r"^[a-zçğıöşü]").any()  # no item starts mid-sentence
    corrections = committed(S.CORRECTIONS_FILE)
    dup = corrections[corrections[S.KIND] == "duplicate_indicator"]
    assert set(dup[S.SUBJECT]) == {"A8-G11", "A8-G20", "A8-G21", "A15-G14"}
    texts = ind.set_index(S.INDICATOR_ID)[S.TEXT]
    assert texts["A15-G14"] == texts["A15-G12"] == "Gerçekleşen kentsel dönüşüm projesi sayısı"


@pytest.mark.parametrize(
    ("indicator_id", "kind", "dimensions"),
    [
        ("A1-G15", "ratio", "sex|migrant"),  # göçmen kadın oranı
        ("A1-G34", "completion", None),  # protokol işlemlerinin tamamlanma oranı
        ("A1-G5", "other", None),  # projelerin listesi
        ("A2-G36", "completion", None),  # kadına yönelik şiddet: a topic, not a sex breakdown
        ("A5-G14", "count", "sex|age|ethnicity|sexual_orientation|gender_identity"),
        ("A6-G6", "milestone", "sex"),  # kadın yönetici sayısının %40'a yükseltilmesi
        ("A6-G1", "count", "sex|unit"),  # birimlere göre kadın çalışan sayısı
        ("A15-G24", "count", "sex|age|neighbourhood"),  # (mahalle, yaş, cinsiyet dağılımında)
    ],
)
def test_indicator_classification_examples(indicator_id, kind, dimensions):
    ind = committed(S.INDICATORS_FILE).set_index(S.INDICATOR_ID)
    assert ind.loc[indicator_id, S.KIND] == kind
    got = ind.loc[indicator_id, S.DIMENSIONS]
    assert (None if pd.isna(got) else got) == dimensions


def test_meta_yaml_describes_the_plan():
    from gcdb.catalogue.load import read_meta

    meta = read_meta(DATASET)
    assert (meta.first_year, meta.last_year) == (2021, 2024)
    assert meta.schema_version == S.SCHEMA_VERSION
    assert meta.window(S.ROUTINE).start == 2021 and meta.window(S.PANDEMIC).end == 2022
    assert "İstanbul" in meta.municipality


COUNCIL_ACTIONS = ("A1H1E12", "A1H1E13", "A1H3E2", "A1H3E3", "A1H3E4", "A1H3E5", "A1H3E11", "A2H2E5")


def test_city_council_actions_keep_the_department_that_holds_their_budget():
    """ "Kurumsal Gelişim ve Yönetim Sistemleri DB- İst. Kent Konseyi": both units, the department responsible."""
    links = committed(S.ACTION_UNITS_FILE)
    printed = links[S.NAME_IN_PLAN].str.startswith("Kurumsal Gelişim ve Yönetim Sistemleri DB-")
    assert printed.sum() == 2 * 19
    resp = links[links[S.ROLE] == S.RESPONSIBLE].set_index(S.ACTION_CODE)[S.UNIT_ID]
    assert (resp[list(COUNCIL_ACTIONS)] == "kurumsal_gelisim_ve_yonetim_sistemleri").all()
    assert "kent_konseyi" not in set(resp)
    for code in COUNCIL_ACTIONS:
        mine = links[links[S.ACTION_CODE] == code].sort_values(S.POSITION)
        assert mine[S.UNIT_ID].tolist()[:2] == ["kurumsal_gelisim_ve_yonetim_sistemleri", "kent_konseyi"]
    fixes = committed(S.CORRECTIONS_FILE)
    split = fixes[(fixes[S.KIND] == "compound_name_split") & fixes[S.SUBJECT].isin(COUNCIL_ACTIONS)]
    assert set(split[S.SUBJECT]) == set(COUNCIL_ACTIONS)
