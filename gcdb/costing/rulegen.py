"""The rule set that will recognise the proposed lines once they are in the adopted budget.

One rule per plan action × analytic codes × categories. A rule matches a budget line of the responsible unit
(its institutional code, or its unit name) with the same functional code, financing type and economic code, whose
description

* names the action code (``… (A2H3E2)``, the marker :func:`gcdb.costing.proposal.propose_budget` appends) — as
  long as the action has only one set of categories under these codes — or
* contains every significant word of a proposed description (Turkish-folded, at the start of words, so
  ``KADIN DANIŞMA MERKEZİ`` also finds ``Kadın Danışma Merkezleri``).

The rules are checked before they are returned: tagging the proposed lines must give every line its own rule,
and tagging ``exclude`` (the rest of the budget, e.g. last year's adopted budget) must give no hit. A rule that
hits a line it should not is narrowed — its word tests become exact (folded) descriptions — and whatever still
collides is listed in :attr:`GeneratedRules.collisions`.

The rule set is YAML in gcdb's rule language (``rules/README.md``), loaded back with
:func:`gcdb.rules.loads_ruleset` so it is exactly what ``gcdb rules check`` accepts, with a cases file
(``*.cases.yaml``) that ``gcdb rules test`` runs: each proposed line → its rule, action and categories, and, for
each rule, a reworded line it must still find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from gcdb import columns as C
from gcdb.budget.plan import department_key
from gcdb.costing import names as N
from gcdb.costing.proposal import Proposal
from gcdb.rules import RuleSet, loads_ruleset, tag
from gcdb.rules.engine import RULE_IDS
from gcdb.schemes import DECLARED_SHARE
from gcdb.text import fold, tr_lower

RULE_COLUMNS = (
    C.FISCAL_YEAR,
    C.INSTITUTIONAL_CODE,
    C.UNIT_NAME,
    C.FUNCTIONAL_CODE,
    C.FINANCING_TYPE,
    C.ECONOMIC_CODE,
    C.DESCRIPTION,
)
#: Words too common to recognise a line by.
STOPWORDS = frozenset(
    "ve ile icin bir veya da de ile olan alimi alimlari gideri giderleri hizmeti hizmetleri hizmet".split()
)
_WORD = re.compile(r"\w+")
_SUFFIX = re.compile(r"\s+(?:(?:dairesi|daire)\s+başkanlığı|(?:şube\s+)?müdürlüğü)$")
_GROUP = (
    C.ACTION_CODE,
    C.INSTITUTIONAL_CODE,
    C.FUNCTIONAL_CODE,
    C.FINANCING_TYPE,
    C.ECONOMIC_CODE,
    *N.CATEGORY_COLUMNS,
    DECLARED_SHARE,
)
_CODES = (C.ACTION_CODE, C.INSTITUTIONAL_CODE, C.FUNCTIONAL_CODE, C.FINANCING_TYPE, C.ECONOMIC_CODE)
RULE_ID = C.RULE_ID
WORDS = "words"
MARKER = "marker"
EXACT = "exact"
MAX_ROUNDS = 4


@dataclass(frozen=True, eq=False)
class GeneratedRules:
    """What :func:`proposal_rules` returns.

    ``ruleset``: the loaded :class:`gcdb.rules.RuleSet`; ``yaml`` / ``cases_yaml``: the texts to save as
    ``<name>.yaml`` and ``<name>.cases.yaml``; ``rules``: one row per rule (``rule_id``, the action, codes,
    years, the proposed ``line_id``\\ s, whether it uses the action-code marker and word tests);
    ``collisions``: lines of ``exclude`` a rule still matches (empty when the rule set is clean).
    """

    ruleset: RuleSet
    yaml: str
    cases_yaml: str
    rules: pd.DataFrame
    collisions: pd.DataFrame

    def write(self, path: str | Path) -> tuple[Path, Path]:
        """Write the rule set to ``path`` (``….yaml``) and its cases next to it; return both paths."""
        path = Path(path)
        if not path.name.endswith(".yaml") or path.name.endswith(".cases.yaml"):
            from gcdb.errors import UsageError

            raise UsageError(f"the rule set file must end with .yaml (not .cases.yaml), got {path.name!r}")
        cases = path.with_name(path.name[: -len(".yaml")] + ".cases.yaml")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.yaml, encoding="utf-8")
        cases.write_text(self.cases_yaml, encoding="utf-8")
        return path, cases


def significant_words(description: str, action_code: str) -> list[str]:
    """The words a description is recognised by (Turkish lower case): no action code, no stop words, at least 3
    letters, each once (compared folded)."""
    words: dict[str, str] = {}
    for word in _WORD.findall(tr_lower(description)):
        key = fold(word)
        if len(key) >= 3 and not key.isdigit() and key not in STOPWORDS and key != fold(action_code):
            words.setdefault(key, word)
    return list(words.values())


def unit_words(unit_name: str) -> str:
    """A unit name without its ``Daire Başkanlığı`` / ``Müdürlüğü`` suffix, in Turkish lower case (the rules
    compare it folded, so ``SOSYAL HİZMETLER DB`` and ``Sosyal Hizmetler Dairesi Başkanlığı`` match too)."""
    text = _SUFFIX.sub("", tr_lower(unit_name).strip()).strip()
    return text if fold(text) == department_key(unit_name) else department_key(unit_name)


def proposal_rules(
    proposal: Proposal,
    *,
    name: str = "Bütçe teklifi kuralları",
    source: str = "teklif_kurallari.yaml",
    plan: str | None = None,
    catalogue: Any = None,
    exclude: pd.DataFrame | None = None,
) -> GeneratedRules:
    """Generate, check and load the rule set recognising ``proposal``'s lines (see the module docstring).

    ``plan``: the catalogue id written in the rule set (e.g. ``yeep_ibb_2021_2024``); ``catalogue``: checks the
    action codes while loading; ``exclude``: budget lines the rules must not match.
    """
    details = proposal.details
    groups = _groups(details)
    for _ in range(MAX_ROUNDS):
        text = _ruleset_yaml(groups, name=name, plan=plan)
        ruleset = loads_ruleset(text, name=source, catalogue=catalogue)
        wrong = _self_hits(proposal.lines, details, groups, ruleset)
        if exclude is not None and len(exclude):
            wrong |= set(_hits(exclude, ruleset)[RULE_ID])
        narrowable = {r for r in wrong if groups.loc[groups[RULE_ID] == r, "mode"].iloc[0] == WORDS}
        if not narrowable:
            break
        groups.loc[groups[RULE_ID].isin(narrowable), "mode"] = EXACT
    collisions = _collisions(exclude, ruleset)
    cases = _cases_yaml(groups, details, source)
    table = groups.drop(columns=["descriptions"]).rename(columns={"lines": C.LINE_ID})
    return GeneratedRules(ruleset=ruleset, yaml=text, cases_yaml=cases, rules=table, collisions=collisions)


# ---------------------------------------------------------------------------------------------------------------
# grouping proposed lines into rules
# ---------------------------------------------------------------------------------------------------------------
def _groups(details: pd.DataFrame) -> pd.DataFrame:
    """One row per rule: its codes, categories, years, proposed lines and descriptions."""
    keyed = details.assign(**{c: details[c].astype("str").fillna("") for c in _GROUP})
    grouped = keyed.groupby(list(_GROUP), sort=False)
    groups = grouped.agg(
        valid_from=(C.FISCAL_YEAR, "min"),
        valid_to=(C.FISCAL_YEAR, "max"),
        unit_name=(C.UNIT_NAME, "first"),
    ).reset_index()
    groups["lines"] = grouped[C.LINE_ID].agg(lambda s: sorted(set(s))).to_numpy()
    groups["descriptions"] = grouped[C.DESCRIPTION].agg(lambda s: sorted(set(s))).to_numpy()
    # the marker (action code) tells a rule's lines apart only when the action has one rule under these codes
    per_codes = groups.groupby(list(_CODES), sort=False)[C.ACTION_CODE].transform("size")
    groups[MARKER] = (per_codes == 1).to_numpy()
    groups["mode"] = WORDS
    order = groups[["lines"]].assign(_first=groups["lines"].str[0]).sort_values("_first").index
    groups = groups.loc[order].reset_index(drop=True)
    groups[RULE_ID] = "teklif-" + groups["lines"].str[0].str.lower() + "-" + groups[C.ACTION_CODE].str.lower()
    return groups


class _Flow(dict):
    """A mapping written in YAML flow style (``{column: …, prefix: …}``)."""


class _Code(str):
    """A code written in double quotes (``"03.5.9.90"``), as ``rules/README.md`` asks."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # write repeated expectations out, no &id001 anchors
        return True


_Dumper.add_representer(
    _Flow, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)
)
_Dumper.add_representer(
    _Code, lambda d, data: d.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')
)


def _description_tests(group: dict) -> list[dict]:
    tests: list[dict] = []
    if group[MARKER]:
        tests.append(_Flow(column=C.DESCRIPTION, contains=group[C.ACTION_CODE], word=True))
    for text in group["descriptions"]:
        words = significant_words(text, group[C.ACTION_CODE])
        if group["mode"] == WORDS and words:
            tests.append(_Flow(column=C.DESCRIPTION, contains_all=words, word="start"))
        else:
            tests.append(_Flow(column=C.DESCRIPTION, equals=text, fold=True))
    return tests


def _rule(group: dict) -> dict:
    unit = [_Flow(column=C.INSTITUTIONAL_CODE, prefix=_Code(group[C.INSTITUTIONAL_CODE]))]
    key = unit_words(group[C.UNIT_NAME]) if isinstance(group[C.UNIT_NAME], str) else ""
    if key:
        unit.append(_Flow(column=C.UNIT_NAME, contains=key))
    tests = _description_tests(group)
    conditions = [
        {"any": unit} if len(unit) > 1 else unit[0],
        _Flow(column=C.FUNCTIONAL_CODE, prefix=_Code(group[C.FUNCTIONAL_CODE])),
        _Flow(column=C.FINANCING_TYPE, equals=_Code(group[C.FINANCING_TYPE])),
        _Flow(column=C.ECONOMIC_CODE, prefix=_Code(group[C.ECONOMIC_CODE])),
        {"any": tests} if len(tests) > 1 else tests[0],
    ]
    categories = {
        column.removeprefix("category_"): group[column]
        for column in N.CATEGORY_COLUMNS
        if group[column] != ""
    }
    then: dict[str, Any] = {"actions": [group[C.ACTION_CODE]], "categories": _Flow(categories)}
    if group[DECLARED_SHARE] != "":
        then["share"] = float(group[DECLARED_SHARE])
    lines = ", ".join(group["lines"])
    return {
        "id": group[RULE_ID],
        "description": f"Proposed budget line(s) {lines} for action {group[C.ACTION_CODE]}",
        "reference": f"Costing of {group[C.ACTION_CODE]}; proposal {lines}",
        "valid_from": int(group["valid_from"]),
        "valid_to": int(group["valid_to"]),
        "when": {"all": conditions},
        "then": then,
    }


def _ruleset_yaml(groups: pd.DataFrame, *, name: str, plan: str | None) -> str:
    data: dict[str, Any] = {"name": name, "version": "1"}
    if plan:
        data["plan"] = plan
    data |= {
        "applies_to": "budget",
        "default_scheme": N.DEFAULT_SCHEME,
        "mode": "first",
        "description": "Generated by gcdb from a costing of the equality plan: recognises the proposed budget "
        "lines once they are in the adopted budget.",
        "reference": "gcdb plan cost (gcdb.costing.proposal_rules)",
        "columns": list(RULE_COLUMNS),
        "rules": [_rule(g) for g in groups.to_dict("records")],  # one per rule (a few hundred at most)
    }
    head = "# Generated by gcdb (gcdb.costing.proposal_rules); test with: gcdb rules test <this file>\n"
    return head + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)


# ---------------------------------------------------------------------------------------------------------------
# checks
# ---------------------------------------------------------------------------------------------------------------
def _hits(frame: pd.DataFrame, ruleset: RuleSet) -> pd.DataFrame:
    """Rows of ``frame`` some rule tags: position, rule id."""
    rows = tag(frame.reset_index(drop=True), ruleset).rows
    hit = rows[rows[RULE_IDS] != ""]
    return pd.DataFrame({"row": hit.index.to_numpy(), RULE_ID: hit[RULE_IDS].to_numpy()})


def _self_hits(
    lines: pd.DataFrame, details: pd.DataFrame, groups: pd.DataFrame, ruleset: RuleSet
) -> set[str]:
    """Rules that tag a proposed line of another rule (and the rules that lose their own line to them)."""
    expected = groups[["lines", RULE_ID]].explode("lines").set_index("lines")[RULE_ID]
    rows = tag(lines.reset_index(drop=True), ruleset).rows
    want = lines[C.LINE_ID].map(expected).to_numpy(dtype=object)
    got = rows[RULE_IDS].to_numpy(dtype=object)
    wrong = got != want
    return set(got[wrong & (got != "")]) | set(want[wrong])


def _collisions(exclude: pd.DataFrame | None, ruleset: RuleSet) -> pd.DataFrame:
    columns = [RULE_ID, C.FISCAL_YEAR, C.LINE_ID, C.UNIT_NAME, C.ECONOMIC_CODE, C.DESCRIPTION]
    if exclude is None or not len(exclude):
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in columns})
    hits = _hits(exclude, ruleset)
    frame = exclude.reset_index(drop=True).iloc[hits["row"].to_numpy()]
    out = pd.DataFrame({RULE_ID: hits[RULE_ID].to_numpy()})
    for column in columns[1:]:
        out[column] = frame[column].to_numpy() if column in frame.columns else pd.NA
    return out.astype({c: "str" for c in columns if c != C.FISCAL_YEAR})


# ---------------------------------------------------------------------------------------------------------------
# cases
# ---------------------------------------------------------------------------------------------------------------
def _case_input(line: pd.Series, description: str) -> dict:
    return {
        C.FISCAL_YEAR: int(line[C.FISCAL_YEAR]),
        C.INSTITUTIONAL_CODE: _Code(line[C.INSTITUTIONAL_CODE]),
        C.UNIT_NAME: line[C.UNIT_NAME],
        C.FUNCTIONAL_CODE: _Code(line[C.FUNCTIONAL_CODE]),
        C.FINANCING_TYPE: _Code(line[C.FINANCING_TYPE]),
        C.ECONOMIC_CODE: _Code(line[C.ECONOMIC_CODE]),
        C.DESCRIPTION: description,
        C.INITIAL_APPROPRIATION: int(line[N.AMOUNT]),
    }


def _cases_yaml(groups: pd.DataFrame, details: pd.DataFrame, source: str) -> str:
    first = details.sort_values([C.LINE_ID, C.FISCAL_YEAR], kind="stable").drop_duplicates(C.LINE_ID)
    first = first.set_index(C.LINE_ID)
    cases = []
    for group in groups.to_dict("records"):  # one per rule (a few hundred at most)
        categories = {
            c.removeprefix("category_"): _Code(group[c]) for c in N.CATEGORY_COLUMNS if group[c] != ""
        }
        expect = {
            "rules": [group[RULE_ID]],
            "actions": [group[C.ACTION_CODE]],
            "categories": _Flow(categories),
        }
        for line_id in group["lines"]:
            line = first.loc[line_id]
            cases.append(
                {
                    "name": f"{line_id}: the proposed line",
                    "input": _case_input(line, line[C.DESCRIPTION]),
                    "expect": expect,
                }
            )
        line = first.loc[group["lines"][0]]
        if group[MARKER]:
            reworded = f"{group[C.ACTION_CODE]} KAPSAMINDA BÜTÇELEŞTİRİLEN KALEM"
            cases.append(
                {
                    "name": f"{group[RULE_ID]}: reworded, action code kept",
                    "input": _case_input(line, reworded),
                    "expect": expect,
                }
            )
        words = significant_words(line[C.DESCRIPTION], group[C.ACTION_CODE])
        if group["mode"] == WORDS and words:
            plain = " ".join(words)
            cases.append(
                {
                    "name": f"{group[RULE_ID]}: lower case, no action code",
                    "input": _case_input(line, plain),
                    "expect": expect,
                }
            )
        other = _case_input(line, line[C.DESCRIPTION])
        other[C.ECONOMIC_CODE] = _Code("09.9.9.99" if group[C.ECONOMIC_CODE] != "09.9.9.99" else "09.8.9.99")
        cases.append(
            {
                "name": f"{group[RULE_ID]}: another economic code is not this line",
                "input": other,
                "expect": {"untagged": True},
            }
        )
    head = f"# Test cases of {Path(source).name}, generated by gcdb with the rule set.\n"
    return head + yaml.dump(cases, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)


def rule_of_lines(generated: GeneratedRules) -> pd.Series:
    """Proposed ``line_id`` → ``rule_id``."""
    exploded = generated.rules[[C.LINE_ID, RULE_ID]].explode(C.LINE_ID)
    return pd.Series(
        exploded[RULE_ID].to_numpy(), index=exploded[C.LINE_ID].to_numpy(dtype=object), dtype="str"
    )
