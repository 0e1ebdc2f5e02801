"""YAML test cases for rule sets (openfisca style): ``<ruleset>.cases.yaml`` next to ``<ruleset>.yaml``.

A cases file is a list of cases (or a mapping with ``ruleset:`` — a path relative to the cases file — and
``cases:``)::

    - name: kadın konukevi iaşe gideri
      input:
        unit_name: Kadın ve Aile Hizmetleri Daire Başkanlığı
        description: KADIN KONUKEVİ İAŞE GİDERLERİ
        fiscal_year: 2023
      expect:
        actions: [A7H1E2]
        categories: {eu_cpr: "01"}

    - name: two rows at once
      mode: all                      # optional: override the rule set's mode
      input: [{service_code: KRS-01}, {service_code: SPOR-9}]
      expect: [{actions: [A4H3E1]}, {untagged: true}]

``expect`` (one mapping per input row) may give: ``actions`` (the row's action codes, any order), ``rules`` (the
rule ids that contributed), ``categories`` (scheme → the one category the row's parts carry), ``share`` (declared
share of the parts), ``allocation`` (the row's tagged share), ``untagged`` (true: no rule fired; false: some rule
fired). Run them with ``gcdb rules test PATH`` or pytest (``tests/rules``).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gcdb import columns as C
from gcdb import paths
from gcdb.errors import GcdbError, RuleError
from gcdb.i18n import Message, pydantic_message, t
from gcdb.rules.model import RuleSet
from gcdb.yamlio import load_yaml_strict

CASES_SUFFIX = ".cases.yaml"


class Expect(BaseModel):
    """What one input row should get."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    actions: list[str] | None = None
    rules: list[str] | None = None
    categories: dict[str, str] | None = None
    share: float | None = Field(default=None, ge=0, le=1)
    allocation: float | None = Field(default=None, ge=0, le=1)
    untagged: bool | None = None

    @field_validator("categories", mode="before")
    @classmethod
    def _codes_as_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
                for k, v in value.items()
            }
        return value


class _CaseSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    description: str = ""
    mode: Literal["first", "all"] | None = None
    input: dict[str, Any] | list[dict[str, Any]]
    expect: Expect | list[Expect]


@dataclass(frozen=True)
class Case:
    """One test case: input rows and what each should get."""

    name: str
    file: str
    line: int
    rows: tuple[dict[str, Any], ...]
    expect: tuple[Expect, ...]
    mode: str | None
    ruleset_path: Path

    @property
    def id(self) -> str:
        return f"{Path(self.file).name}::{self.name}"


@dataclass(frozen=True)
class CaseResult:
    """Outcome of one case: ``failures`` lists what differed (empty when it passed)."""

    case: Case
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures

    def __str__(self) -> str:
        from gcdb.i18n import t

        status = t("rules.case.pass") if self.passed else t("rules.case.fail")
        head = f"{status} {self.case.file}:{self.case.line} {self.case.name!r}"
        return head + "".join(f"\n    {f}" for f in self.failures)


def ruleset_path_for(cases_path: Path) -> Path:
    """The rule set a cases file tests by name: ``x.cases.yaml`` → ``x.yaml``."""
    return cases_path.with_name(cases_path.name[: -len(CASES_SUFFIX)] + ".yaml")


def load_cases(path: str | Path) -> list[Case]:
    """Read a cases file strictly; problems raise :class:`RuleError` naming file, line and case."""
    path = Path(path)
    data = load_yaml_strict(path)
    ruleset_path = ruleset_path_for(path) if path.name.endswith(CASES_SUFFIX) else None
    items = data
    if isinstance(data, dict):
        extra = set(data) - {"ruleset", "cases"}
        if extra or "cases" not in data:
            unknown = (
                " " + t("rules.case.unknown_keys", keys=", ".join(sorted(map(str, extra)))) if extra else ""
            )
            raise RuleError(
                Message("rules.case.shape", unknown=unknown),
                file=str(path),
                line=getattr(data, "line", None) or 1,
            )
        if "ruleset" in data:
            ruleset_path = path.parent / str(data["ruleset"])
        items = data["cases"]
    if not isinstance(items, list) or not items:
        raise RuleError(Message("rules.case.empty"), file=str(path), line=1)
    if ruleset_path is None:
        raise RuleError(
            Message("rules.case.which_ruleset", suffix=CASES_SUFFIX),
            file=str(path),
            line=1,
        )
    cases = []
    names: dict[str, int] = {}
    for item in items:
        line = getattr(item, "line", 0)
        name = item.get("name") if isinstance(item, dict) else None
        try:
            spec = _CaseSpec.model_validate(item)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            loc = ".".join(str(p) for p in err["loc"] if p != "Expect" and "[" not in str(p))
            label = t("rules.case.label", name=repr(name)) + " " if isinstance(name, str) else ""
            raise RuleError(
                Message("rules.case.invalid", label=label, loc=loc, message=pydantic_message(err)),
                file=str(path),
                line=line or None,
            ) from None
        if spec.name in names:
            raise RuleError(
                Message("rules.case.duplicate", name=repr(spec.name), line=names[spec.name]),
                file=str(path),
                line=line,
            )
        names[spec.name] = line
        rows = [spec.input] if isinstance(spec.input, dict) else list(spec.input)
        expect = [spec.expect] if isinstance(spec.expect, Expect) else list(spec.expect)
        if len(rows) != len(expect):
            raise RuleError(
                Message("rules.case.counts", name=repr(spec.name), rows=len(rows), expect=len(expect)),
                file=str(path),
                line=line,
            )
        if not rows:
            raise RuleError(Message("rules.case.no_rows", name=repr(spec.name)), file=str(path), line=line)
        cases.append(
            Case(
                spec.name,
                str(path),
                line,
                tuple(dict(r) for r in rows),
                tuple(expect),
                spec.mode,
                ruleset_path,
            )
        )
    return cases


def case_frame(case: Case) -> pd.DataFrame:
    """The case's input rows as a DataFrame (money phases as int64 kuruş, missing → 0)."""
    frame = pd.DataFrame([dict(r) for r in case.rows])
    for phase in C.PHASES:
        if phase in frame.columns:
            frame[phase] = pd.to_numeric(frame[phase]).fillna(0).astype("int64")
    return frame


def run_case(case: Case, ruleset: RuleSet) -> CaseResult:
    """Tag the case's rows with ``ruleset`` and compare with the expectations."""
    from gcdb.rules.engine import tag
    from gcdb.schemes import DECLARED_SHARE, category_column

    try:
        with warnings.catch_warnings():  # cases often omit the fiscal year on purpose
            warnings.simplefilter("ignore", UserWarning)
            result = tag(case_frame(case), ruleset, mode=case.mode)  # type: ignore[arg-type]
    except GcdbError as exc:
        return CaseResult(case, (t("rules.case.tagging_failed", error=exc.render()),))
    failures = []
    tags = result.tags
    for i, expect in enumerate(case.expect):
        where = t("rules.case.row", row=i + 1) + " " if len(case.expect) > 1 else ""
        mine = tags[tags[C.ROW_ID] == i]
        tagged = bool(result.rows["tagged"].iloc[i])
        fired = list(dict.fromkeys(mine[C.RULE_ID].tolist()))
        if expect.untagged is True and tagged:
            failures.append(where + t("rules.case.expected_untagged", fired=str(fired)))
            continue
        if expect.untagged is False and not tagged:
            failures.append(where + t("rules.case.expected_tagged"))
        wants_tag = any(
            v is not None for v in (expect.actions, expect.rules, expect.categories, expect.share)
        )
        if wants_tag and not tagged:
            failures.append(where + t("rules.case.none_fired"))
            continue
        if expect.actions is not None:
            got = sorted(set(mine[C.ACTION_CODE].dropna().tolist()))
            if got != sorted(set(expect.actions)):
                failures.append(
                    where
                    + t(
                        "rules.case.actions",
                        expected=str(sorted(expect.actions)),
                        got=str(got),
                        fired=str(fired),
                    )
                )
        if expect.rules is not None and sorted(fired) != sorted(expect.rules):
            failures.append(
                where + t("rules.case.rules", expected=str(sorted(expect.rules)), got=str(sorted(fired)))
            )
        for scheme_id, code in (expect.categories or {}).items():
            column = category_column(scheme_id)
            if column not in tags.columns:
                failures.append(where + t("rules.case.unknown_scheme", scheme=repr(scheme_id)))
                continue
            got_codes = sorted(set(mine[column].dropna().tolist()))
            if got_codes != [str(code)]:
                failures.append(
                    where
                    + t(
                        "rules.case.category",
                        scheme=scheme_id,
                        expected=repr(str(code)),
                        got=str(got_codes),
                        fired=str(fired),
                    )
                )
        if expect.share is not None:
            got_shares = sorted(set(mine[DECLARED_SHARE].tolist()))
            if len(got_shares) != 1 or not math.isclose(got_shares[0], expect.share, abs_tol=1e-9):
                failures.append(
                    where + t("rules.case.share", expected=f"{expect.share:g}", got=str(got_shares))
                )
        if expect.allocation is not None:
            got_alloc = float(result.rows["tagged_share"].iloc[i])
            if not math.isclose(got_alloc, expect.allocation, abs_tol=1e-9):
                failures.append(
                    where
                    + t("rules.case.allocation", expected=f"{expect.allocation:g}", got=f"{got_alloc:g}")
                )
    return CaseResult(case, tuple(failures))


def find_case_files(path: str | Path) -> list[Path]:
    """Cases files under ``path``: a cases file itself, the cases file of a rule set, or every ``*.cases.yaml``
    in a directory."""
    path = Path(path)
    if path.is_dir():
        return sorted(path.glob(f"*{CASES_SUFFIX}"))
    if path.name.endswith(CASES_SUFFIX):
        return [path]
    sibling = path.with_name(path.stem + CASES_SUFFIX)
    if sibling.exists():
        return [sibling]
    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    data = load_yaml_strict(path)
    if isinstance(data, list) or (isinstance(data, dict) and "cases" in data):
        return [path]  # a cases file under another name
    raise RuleError(Message("rules.case.none", name=sibling.name), file=str(path))


def default_catalogue(ruleset: RuleSet) -> Any:
    """The plan catalogue a rule set names (``plan:``), when it ships in ``datasets/<plan>``; else None."""
    if not ruleset.plan:
        return None
    directory = paths.datasets() / ruleset.plan
    if not (directory / "actions.csv").exists():
        return None
    from gcdb.catalogue import Catalogue

    return Catalogue.load(directory)


def run_cases(path: str | Path, *, catalogue: Any = None) -> list[CaseResult]:
    """Run every case found at ``path`` (see :func:`find_case_files`) against its rule set.

    The rule set is loaded strictly, checking action codes against ``catalogue`` — by default the catalogue its
    ``plan:`` names, when shipped.
    """
    from gcdb.rules.load import load_ruleset

    results = []
    for cases_path in find_case_files(path):
        cases = load_cases(cases_path)
        loaded: dict[Path, RuleSet] = {}
        for case in cases:
            if case.ruleset_path not in loaded:
                ruleset = load_ruleset(case.ruleset_path)
                cat = catalogue if catalogue is not None else default_catalogue(ruleset)
                if cat is not None:
                    ruleset = load_ruleset(case.ruleset_path, catalogue=cat)
                loaded[case.ruleset_path] = ruleset
            results.append(run_case(case, loaded[case.ruleset_path]))
    return results
