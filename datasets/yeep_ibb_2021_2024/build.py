#!/usr/bin/env python
"""Build the catalogue of İBB's Yerel Eşitlik Eylem Planı 2021–2024 from the text extracted from its PDF.

    python datasets/yeep_ibb_2021_2024/build.py [--seed PATH] [--out DIR] [--check]

Reads the plan text (``--seed``, default: the shared seeds folder), parses chapter 4 (targets, action tables,
indicator lists), links unit and stakeholder names to ``datasets/reference/`` and writes the CSV files of the
catalogue format (:mod:`gcdb.catalogue.schema`) to ``--out`` (default: this folder). ``--check`` writes nothing
and exits 1 if the committed CSVs differ from what the seed gives.

What the extraction does to the text, and how this script copes (each step is a named function below):

* table cells are cut into several lines, sometimes with blank lines inside one cell: a row is everything from
  its code to the next structural line, flattened; its two dates split title from the unit/stakeholder cells;
* the unit and stakeholder cells run together without separators ("… Daire Başkanlığı Kültür Daire …", "STK'lar,
  Kadın Örgütleri Muhtarlar"): they are segmented by longest match against the reference names and aliases;
* words are hyphenated across line ends ("Koordi-" / "nasyon"): joined again (:func:`join_lines`);
* table pages are printed twice: a repeated row (same code, same folded text) is dropped and recorded;
* the column header comes in several orders ("Tahmini Tahmini … Başlama Bitiş … Tarihi Tarihi"): any line made
  only of header words is skipped;
* page numbers land inside cells: removed and recorded.

The plan's own anomalies (a code used twice, a code in another target's table, numbering gaps, blank responsible
cells, a duplicated indicator) are kept as the plan has them and recorded in ``corrections.csv``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import pandas as pd  # noqa: E402

from gcdb.catalogue import schema as S  # noqa: E402
from gcdb.text import fold  # noqa: E402

SEED_NAME = "000_538cb44ba4f1da58.txt"
REFERENCE_DIR = REPO / "datasets" / "reference"
FIRST_YEAR, LAST_YEAR = 2021, 2024
#: *Pandemi Süresince* is read as 2021–2022: the plan's other pandemic-period actions (A15H3, titles starting
#: "Pandemi sürecinde") are dated with explicit years that end in 2021 or 2022, with one exception (A15H3E3).
PANDEMIC_WINDOW = (2021, 2022)


def default_seed() -> Path | None:
    """The seed text: ``/work/shared/seeds/`` or ``../shared/seeds`` relative to the repository."""
    for folder in (Path("/work/shared/seeds"), REPO.parent / "shared" / "seeds"):
        if (folder / SEED_NAME).is_file():
            return folder / SEED_NAME
    return None


# ---------------------------------------------------------------------------------------------------------------
# Line classification
# ---------------------------------------------------------------------------------------------------------------
RE_CODE = re.compile(r"^\s*(A(\d+)H(\d+)E(\d+))(?![0-9A-Za-z])\s*(.*)$")
RE_TARGET = re.compile(r"^\s*(?:Hedef\.\s*)?A(\d+)H(\d+)\s*-\s*(.*)$")
RE_GOAL = re.compile(r"^\s*AMAÇ\s+(\d+)\s*:\s*(.*)$")
RE_SECTION = re.compile(r"^\s*4\.(\d{1,2})\.\s+(\S.*)$")
RE_TABLE = re.compile(r"^\s*Tablo\s+(\d+)\s*:")
RE_PAGE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
INDICATOR_HEADING = "Öncelikli Alana İlişkin İzlenecek Göstergeler"
INDICATOR_LIST_START = "Gösterge"
HEADER_WORDS = frozenset(
    {
        "Eylem",
        "Kod",
        "EYLEM",
        "Tahmini",
        "Başlama",
        "Bitiş",
        "Tarihi",
        "Sorumlu",
        "Birim",
        "İşbirliği",
        "Paydaş",
    }
)
#: Line-end hyphens that belong to the word ("sosyo-" + "ekonomik" stays "sosyo-ekonomik").
KEEP_HYPHEN_PREFIXES = frozenset({"sosyo"})
_LOWER_START = re.compile(r"^[a-zçğıöşüâîû]")
_WORD_END_HYPHEN = re.compile(r"(\w+)-$")


def is_header_line(stripped: str) -> bool:
    words = stripped.split()
    return bool(words) and all(w in HEADER_WORDS for w in words)


def join_lines(parts: list[str]) -> tuple[str, int]:
    """Join the stripped, non-empty lines of one cell or item, undoing end-of-line hyphenation.

    A line ending in ``letter-`` followed by a line starting with a lower-case letter is a hyphenated word
    ("Koordi-" + "nasyon" → "Koordinasyon"); the hyphen stays for the prefixes in :data:`KEEP_HYPHEN_PREFIXES`.
    Everything else is joined with one space. Returns the text and the number of words re-joined.
    """
    out = ""
    rejoined = 0
    for part in parts:
        if not out:
            out = part
            continue
        m = _WORD_END_HYPHEN.search(out)
        if m and _LOWER_START.match(part):
            rejoined += 1
            if fold(m.group(1)) in KEEP_HYPHEN_PREFIXES:
                out = out + part
            else:
                out = out[:-1] + part
        else:
            out = out + " " + part
    return re.sub(r"\s+", " ", out).strip(), rejoined


# ---------------------------------------------------------------------------------------------------------------
# Scan: lines → headings, targets, raw rows, indicator items
# ---------------------------------------------------------------------------------------------------------------
@dataclass
class RawRow:
    code: str
    line: int
    table_area: int
    table_target: str
    parts: list[str] = field(default_factory=list)


@dataclass
class Scan:
    sections: dict[int, tuple[str, str, int]] = field(
        default_factory=dict
    )  # area -> (title, next line, line)
    captions: dict[int, str] = field(default_factory=dict)  # area -> text of its first "Tablo N:" caption
    goals: list[tuple[int, str, int]] = field(default_factory=list)  # (area, text, line)
    tables: dict[int, int] = field(default_factory=dict)  # area -> first "Tablo N" line
    targets: list[tuple[int, int, str, int]] = field(default_factory=list)  # (area, target, title, line)
    rows: list[RawRow] = field(default_factory=list)
    indicators: list[tuple[int, str, int]] = field(default_factory=list)  # (area, text, line)
    page_numbers: list[tuple[int, str, str]] = field(default_factory=list)  # (line, number, where)
    orphans: list[tuple[int, str]] = field(default_factory=list)
    rejoined_words: int = 0


def scan(lines: list[str]) -> Scan:
    """One pass over the text, a small state machine (modes: goal, target title, row, indicators)."""
    out = Scan()
    mode: str | None = None
    area = 0
    target = ""
    buffer: list[str] = []  # goal / target-title lines
    item: list[str] | None = None  # current indicator item
    item_line = 0
    item_continues = False
    after_header = False

    def close_buffer() -> None:
        nonlocal buffer
        if mode == "goal" and buffer:
            text, n = join_lines(buffer)
            out.goals[-1] = (out.goals[-1][0], text, out.goals[-1][2])
            out.rejoined_words += n
        elif mode == "target" and buffer:
            text, n = join_lines(buffer)
            a, t, _, ln = out.targets[-1]
            out.targets[-1] = (a, t, text, ln)
            out.rejoined_words += n
        buffer = []

    def close_item() -> None:
        nonlocal item
        if item:
            text, n = join_lines(item)
            out.indicators.append((area, text, item_line))
            out.rejoined_words += n
        item = None

    for no, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        section = RE_SECTION.match(raw)
        goal = RE_GOAL.match(raw)
        table = RE_TABLE.match(raw)
        code = RE_CODE.match(raw)
        tgt = None if code else RE_TARGET.match(raw)
        structural = section or goal or table or code or tgt or stripped.startswith(INDICATOR_HEADING)
        if structural or stripped == INDICATOR_LIST_START:
            close_buffer()
            close_item()
            after_header = False
        if section:
            nxt = lines[no].strip() if no < len(lines) else ""
            out.sections[int(section.group(1))] = (section.group(2).strip(), nxt, no)
            mode = None
        elif goal:
            out.goals.append((int(goal.group(1)), "", no))
            buffer = [goal.group(2).strip()]
            mode = "goal"
        elif table:
            area = int(table.group(1))
            out.tables.setdefault(area, no)
            out.captions.setdefault(area, raw[table.end() :].strip())
            mode = None
        elif code:
            mode = "row"
            row = RawRow(code.group(1), no, area, target)
            if code.group(5).strip():
                row.parts.append(code.group(5).strip())
            out.rows.append(row)
        elif tgt:
            area = int(tgt.group(1))
            target = f"A{tgt.group(1)}H{tgt.group(2)}"
            out.targets.append((area, int(tgt.group(2)), "", no))
            buffer = [tgt.group(3).strip()]
            mode = "target"
        elif stripped.startswith(INDICATOR_HEADING):
            mode = None
        elif stripped == INDICATOR_LIST_START:
            mode = "indicators"
            item_continues = False
        elif mode == "goal":
            if not stripped:
                close_buffer()
                mode = None
            else:
                buffer.append(stripped)
        elif mode == "target":
            if is_header_line(stripped):
                close_buffer()
                mode = None
                after_header = True
            elif stripped:
                buffer.append(stripped)
        elif is_header_line(stripped):
            if mode == "row":
                mode = None
            after_header = True
        elif RE_PAGE_NUMBER.match(raw) and mode in ("row", "indicators"):
            where = out.rows[-1].code if mode == "row" else f"indicator list of area {area}"
            out.page_numbers.append((no, stripped, where))
        elif mode == "row":
            if stripped:
                out.rows[-1].parts.append(stripped)
        elif mode == "indicators":
            if not stripped:
                close_item()
                item_continues = False
                continue
            if item is not None and item_continues:
                item.append(stripped)
            else:
                close_item()
                item, item_line = [stripped], no
            # a line the PDF wrapped ends in white space (or a hyphen); the last line of an item does not
            item_continues = raw != raw.rstrip() or raw.rstrip().endswith("-")
        elif stripped and after_header:
            out.orphans.append((no, stripped))
    close_buffer()
    close_item()
    return out


# ---------------------------------------------------------------------------------------------------------------
# Names: reference lists, aliases, segmentation of the unit/stakeholder cells
# ---------------------------------------------------------------------------------------------------------------
_TOKEN = re.compile(r"\w+|[^\w\s]")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
HARD_SEPARATORS = frozenset({",", ";", '"', "“", "”"})
SOFT_SEPARATORS = frozenset({"ve", "-", ".", "/", "(", ")"})
UNIT, STAKEHOLDER = "unit", "stakeholder"
#: Printed names that stand for two reference entries (recorded as ``compound_name_split``): the entries, in the
#: order they are linked, and why.
_COUNCIL_UNDER_DEPARTMENT = (
    ((UNIT, "kurumsal_gelisim_ve_yonetim_sistemleri"), (UNIT, "kent_konseyi")),
    "the department holds the city council's budget and the council carries the action: both are kept, the "
    "department first (it is the budget's institutional unit, so the action is found in the budget)",
)
COMPOUND_NAMES = {
    "İstanbul ve İlçe Kent Konseyleri": (
        ((UNIT, "kent_konseyi"), (STAKEHOLDER, "ilce_kent_konseyleri")),
        "one printed name covers the city council (a unit) and the district councils (stakeholders)",
    ),
    "Kurumsal Gelişim ve Yönetim Sistemleri DB- İst. Kent Konseyi": _COUNCIL_UNDER_DEPARTMENT,
    "Kurumsal Gelişim ve Yönetim Sistemleri DB- Kent Konseyi": _COUNCIL_UNDER_DEPARTMENT,
}
#: Why each compound is split, by its entries.
COMPOUND_REASONS = {tuple(f"{k}:{i}" for k, i in parts): reason for parts, reason in COMPOUND_NAMES.values()}


def tokens(text: str) -> list[tuple[str, int, int]]:
    """``(folded token, start, end)`` for each word or punctuation mark of ``text``."""
    return [(fold(m.group()).translate(_APOSTROPHES), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True)
class Entry:
    kind: str  # UNIT or STAKEHOLDER
    ids: tuple[str, ...]
    alias_kind: str  # "name" for canonical names, short names and alias rows of kind name
    printed: str


@dataclass
class Names:
    """Trie of folded token sequences → reference entries, longest match first."""

    trie: dict = field(default_factory=dict)

    def add(self, text: str, entry: Entry) -> None:
        node = self.trie
        for tok, _, _ in tokens(text):
            node = node.setdefault(tok, {})
        old = node.get(None)
        if old is not None and (old.kind, old.ids) != (entry.kind, entry.ids):
            raise ValueError(f"name {text!r} is ambiguous: {old.kind}:{old.ids} and {entry.kind}:{entry.ids}")
        if old is None or (old.alias_kind != "name" and entry.alias_kind == "name"):
            node[None] = entry

    def longest(self, toks: list[tuple[str, int, int]], i: int) -> tuple[Entry, int] | None:
        node, best = self.trie, None
        j = i
        while j < len(toks) and toks[j][0] in node:
            node = node[toks[j][0]]
            j += 1
            if None in node:
                best = (node[None], j)
        return best


def load_names(reference_dir: Path) -> tuple[Names, dict[str, pd.DataFrame]]:
    """Read the four reference files and index every name, short name and alias."""
    frames = {
        name: pd.read_csv(reference_dir / name, dtype="str", keep_default_na=False)
        for name in S.REFERENCE_FILES
    }
    names = Names()
    for kind, ref, aliases, id_col in (
        (UNIT, frames[S.UNITS_FILE], frames[S.UNIT_ALIASES_FILE], S.UNIT_ID),
        (STAKEHOLDER, frames[S.STAKEHOLDERS_FILE], frames[S.STAKEHOLDER_ALIASES_FILE], S.STAKEHOLDER_ID),
    ):
        known = set(ref[id_col])
        for rec in ref.to_dict("records"):
            for text in (rec[S.NAME], rec[S.SHORT_NAME]):
                if text:
                    names.add(text, Entry(kind, (rec[id_col],), "name", text))
        for rec in aliases.to_dict("records"):
            if rec[id_col] not in known:
                raise ValueError(f"{kind} alias {rec[S.ALIAS]!r} points to unknown id {rec[id_col]!r}")
            names.add(rec[S.ALIAS], Entry(kind, (rec[id_col],), rec[S.ALIAS_KIND], rec[S.ALIAS]))
    for printed, (parts, _) in COMPOUND_NAMES.items():
        names.add(printed, Entry("compound", tuple(f"{k}:{i}" for k, i in parts), "compound", printed))
    return names, frames


@dataclass(frozen=True)
class Found:
    kind: str  # UNIT, STAKEHOLDER, "compound" or "unknown"
    ids: tuple[str, ...]
    alias_kind: str
    printed: str  # the text as it stands in the (flattened) plan text


def segment(text: str, names: Names) -> list[Found]:
    """Split a run of unit and stakeholder cells into names by longest match; unmatched words form unknown names.

    Unknown words are collected until a hard separator (``,`` ``;`` quotes) or the next match; soft separators
    (``ve``, ``-``, ``.``, ``/``, parentheses) are skipped between names and kept inside unknown ones.
    """
    toks = tokens(text)
    found: list[Found] = []
    unknown: list[int] = []

    def flush() -> None:
        while unknown and toks[unknown[-1]][0] in SOFT_SEPARATORS:
            unknown.pop()
        if unknown:
            found.append(Found("unknown", (), "", text[toks[unknown[0]][1] : toks[unknown[-1]][2]]))
        unknown.clear()

    i = 0
    while i < len(toks):
        hit = names.longest(toks, i)
        if hit:
            flush()
            entry, j = hit
            found.append(Found(entry.kind, entry.ids, entry.alias_kind, text[toks[i][1] : toks[j - 1][2]]))
            i = j
            continue
        tok = toks[i][0]
        if tok in HARD_SEPARATORS:
            flush()
        elif tok in SOFT_SEPARATORS and not unknown:
            pass
        else:
            unknown.append(i)
        i += 1
    flush()
    return found


# ---------------------------------------------------------------------------------------------------------------
# Rows → actions
# ---------------------------------------------------------------------------------------------------------------
_DATE = r"20[12]\d|Rutin|RUTİN|RUTIN|Pandemi\s+Süresince"
RE_DATE_PAIR = re.compile(rf"(?<!\S)({_DATE})\s+({_DATE})(?!\S)")


def date_value(text: str, end: bool) -> tuple[int, str]:
    """(year, kind) of one printed date cell."""
    folded = fold(text)
    if folded.isdigit():
        return int(folded), S.YEAR
    if folded == "rutin":
        return (LAST_YEAR if end else FIRST_YEAR), S.ROUTINE
    if folded.startswith("pandemi"):
        return (PANDEMIC_WINDOW[1] if end else PANDEMIC_WINDOW[0]), S.PANDEMIC
    raise ValueError(f"not a date cell: {text!r}")


@dataclass
class Action:
    code: str  # printed code
    line: int
    table_area: int
    table_target: str
    title: str
    dates: tuple[str, str]
    rest: str
    key: str = ""  # folded text, for recognising repeated rows
    action_code: str = ""


def read_action(row: RawRow) -> tuple[Action, int]:
    """The action of one raw row and the number of hyphenated words re-joined in it."""
    text, rejoined = join_lines(row.parts)
    m = RE_DATE_PAIR.search(text)
    if m is None:
        raise ValueError(f"line {row.line}: action {row.code} has no start/end dates: {text!r}")
    title = re.sub(r"\s*,\s*$", "", text[: m.start()].strip())
    if not title:
        raise ValueError(f"line {row.line}: action {row.code} has no title")
    rest = text[m.end() :].strip()
    dates = (re.sub(r"\s+", " ", m.group(1)), re.sub(r"\s+", " ", m.group(2)))
    key = " ".join(tok for tok, _, _ in tokens(f"{row.code} {text}"))
    return Action(row.code, row.line, row.table_area, row.table_target, title, dates, rest, key), rejoined


# ---------------------------------------------------------------------------------------------------------------
# Indicators: kind and dimensions from the wording
# ---------------------------------------------------------------------------------------------------------------
#: Verbal nouns whose "… oranı" measures how far a deliverable is done (completion), not a share of people.
COMPLETION_STEMS = (
    "tamamlanma",
    "hazirlanma",
    "kurulma",
    "olusturulma",
    "cikarilma",
    "raporlanma",
    "entegre edilme",
)
_RATIO = re.compile(r"\b(oran|orani|oranlari|yuzde|yuzdesi)\b")
_COUNT = re.compile(r"\b(sayisi|sayilari|adedi|miktari|m2)\b")
_COMPLETION = re.compile(r"\btamamlanma|\b(" + "|".join(COMPLETION_STEMS) + r") orani\b")
_MILESTONE = re.compile(r"(masi|mesi|mak|mek)\.?$")
#: "kadın" in the name of an organisation, a service or a topic ("kadına yönelik şiddet") does not name the sex of
#: the people counted.
_WOMEN_NOT_PEOPLE = re.compile(
    r"\bkadin (orgut|kooperatif|kurum|kurulus|muhtar|destek hatt|danisma|dayanisma|emegi|spor merkez|"
    r"komisyon|meclis|calismalari|sagligi|sagligina|psikoloji|eserleri|haklari|yoksullugu|istihdami|birim|stk)\w*"
    r"|\bkadina yonelik siddet\w*"
)
DIMENSION_PATTERNS: dict[str, re.Pattern] = {
    "sex": re.compile(
        r"\b(kadin\w*|erkek\w*|kiz|kizlar\w*|baba|anne|lohusa|gebe\w*)\b|(?<!toplumsal )\bcinsiyet\b(?! kimli)"
    ),
    "age": re.compile(
        r"\b(yas|yasli\w*|yaslilik\w*|genc\w*|cocuk\w*|bebek\w*)\b|\byasa gore\b|\d+ ?yas\b|\d+\+"
    ),
    "disability": re.compile(r"\bengel(li|lilik)\w*"),
    "migrant": re.compile(r"\b(gocmen\w*|multeci\w*|siginmaci\w*|gecici koruma)|\byabanci\b(?! dil)"),
    "ethnicity": re.compile(r"\b(etnisite|etnik|roman)\b"),
    "sexual_orientation": re.compile(r"\bcinsel yonelim"),
    "gender_identity": re.compile(r"\bcinsiyet kimli"),
    "neighbourhood": re.compile(r"\bmahalle(?!\s+ev)\w*"),
    "district": re.compile(r"\bilce(?!\s+(belediye|kent konsey))\w*"),
    "rural": re.compile(r"\bkirsal\w*|\bkoy(ler\w*|de|den|un|e|lu\w*)?\b|\bceper\w*"),
    "unit": re.compile(
        r"\b(birim|birimler|daire baskanliklari|istirakler|sirket)\w* (bazinda|bazindan|bazli|gore)\b"
    ),
}


def indicator_kind(text: str) -> str:
    """Classify by wording (folded): completion > ratio > count > milestone > other."""
    f = fold(text)
    if _COMPLETION.search(f):
        return "completion"
    if _RATIO.search(f):
        return "ratio"
    if _COUNT.search(f):
        return "count"
    if _MILESTONE.search(f):
        return "milestone"
    return "other"


def indicator_dimensions(text: str) -> str:
    """The dimensions the wording names, ``|``-joined in the order of :data:`schema.DIMENSION_VALUES`."""
    f = fold(text)
    f_people = _WOMEN_NOT_PEOPLE.sub(" ", f)
    out = []
    for dim in S.DIMENSION_VALUES:
        target = f_people if dim == "sex" else f
        if DIMENSION_PATTERNS[dim].search(target):
            out.append(dim)
    return S.DIMENSION_SEPARATOR.join(out)


# ---------------------------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------------------------
@dataclass
class Corrections:
    rows: list[dict] = field(default_factory=list)

    def add(
        self, kind: str, line: int | None, subject: str, says: str | None, records: str, reason: str
    ) -> None:
        if kind not in S.CORRECTION_KINDS:
            raise ValueError(kind)
        self.rows.append(
            {
                S.KIND: kind,
                S.SOURCE_LINE: line,
                S.SUBJECT: subject,
                S.TEXT_SAYS: says,
                S.DATASET_RECORDS: records,
                S.REASON: reason,
            }
        )

    def frame(self) -> pd.DataFrame:
        order = {k: i for i, k in enumerate(S.CORRECTION_KINDS)}
        rows = sorted(self.rows, key=lambda r: (order[r[S.KIND]], r[S.SOURCE_LINE] or 0, r[S.SUBJECT]))
        frame = pd.DataFrame(rows, columns=[c for c in S.CORRECTIONS_COLUMNS if c != S.CORRECTION_ID])
        frame.insert(0, S.CORRECTION_ID, [f"C{i:03d}" for i in range(1, len(frame) + 1)])
        return frame.astype({S.SOURCE_LINE: "Int64"})


def code_parts(code: str) -> tuple[int, int, int]:
    m = S.PRINTED_CODE_RE.match(code)
    return int(m["area"]), int(m["target"]), int(m["action"])


def build(seed: Path, reference_dir: Path = REFERENCE_DIR) -> tuple[dict[str, pd.DataFrame], dict]:
    """Parse the seed; return the plan frames (file name → DataFrame) and build statistics."""
    lines = seed.read_text(encoding="utf-8").split("\n")
    found = scan(lines)
    if found.orphans:
        shown = "; ".join(f"{n}: {t!r}" for n, t in found.orphans[:10])
        raise ValueError(f"{len(found.orphans)} table lines belong to no row: {shown}")
    names, _ = load_names(reference_dir)
    fixes = Corrections()
    stats: Counter = Counter()
    stats["rejoined_words"] = found.rejoined_words

    # -- areas ----------------------------------------------------------------------------------------------
    areas = []
    for n in sorted(found.tables):
        name, nxt, line = found.sections[n]
        # a section title wrapped onto the next line ("… Kadına Yönelik" / "Şiddet ve Ayrımcılık") is recognised
        # by the area's table caption, which repeats the whole title
        if nxt and fold(found.captions[n]).startswith(fold(f"{name} {nxt}")):
            name = f"{name} {nxt}"
        name = re.sub(r"\s+", " ", name)
        table_line = found.tables[n]
        candidates = [(text, ln) for a, text, ln in found.goals if a == n and ln < table_line]
        goal, _ = candidates[-1]  # the goal heading printed just above the area's table
        if any(fold(t) != fold(goal) for t, _ in candidates):
            raise ValueError(f"area {n}: goal headings differ: {[t for t, _ in candidates]}")
        areas.append({S.AREA: n, S.NAME: name, S.GOAL: goal, S.SOURCE_LINE: line})

    # -- targets (first printing of each; repeats must agree) -------------------------------------------------
    targets: dict[str, dict] = {}
    for a, t, title, line in found.targets:
        code = f"A{a}H{t}"
        if code in targets:
            if fold(targets[code][S.TITLE]) != fold(title):
                raise ValueError(
                    f"target {code} printed with two titles (lines {targets[code][S.SOURCE_LINE]}, {line})"
                )
            continue
        targets[code] = {S.TARGET_CODE: code, S.AREA: a, S.TARGET: t, S.TITLE: title, S.SOURCE_LINE: line}

    # -- actions: repeated rows, reused codes, codes outside their table ----------------------------------------
    kept: list[Action] = []
    first_by_key: dict[str, Action] = {}
    repeats: list[tuple[Action, Action]] = []
    for raw in found.rows:
        act, rejoined = read_action(raw)
        if act.key in first_by_key:
            repeats.append((act, first_by_key[act.key]))
            continue
        first_by_key[act.key] = act
        kept.append(act)
        stats["rejoined_words"] += rejoined
    repeated_lines = {a.line for a, _ in repeats}
    row_lines = [r.line for r in found.rows]
    for act, first in repeats:
        i = row_lines.index(act.line)
        neighbours = [row_lines[j] for j in (i - 1, i + 1) if 0 <= j < len(row_lines)]
        on_page = any(n in repeated_lines for n in neighbours)
        kind = "repeated_table_page" if on_page else "repeated_row"
        where = (
            "" if act.table_target == first.table_target else f", printed in the table of {act.table_target}"
        )
        fixes.add(
            kind,
            act.line,
            act.code,
            f"{act.code} again, same text as line {first.line}{where}",
            f"one action {first.code} (from line {first.line})",
            "the extraction repeats the row verbatim; it is the same action",
        )
    stats["repeated_rows_dropped"] = len(repeats)

    by_code: dict[str, list[Action]] = {}
    for act in kept:
        by_code.setdefault(act.code, []).append(act)
    for code, acts in by_code.items():
        area, target, _ = code_parts(code)
        home = [a for a in acts if a.table_target == f"A{area}H{target}"]
        keeper = home[0] if home else acts[0]
        ordered = [keeper] + [a for a in acts if a is not keeper]
        for n, act in enumerate(ordered, start=1):
            act.action_code = code if n == 1 else f"{code}-{n}"
            if n > 1:
                fixes.add(
                    "code_reused",
                    act.line,
                    act.action_code,
                    f"{code} printed for two different actions (the other: line {keeper.line})",
                    f"action_code {act.action_code}, printed_code {code}",
                    "both actions are kept; the one in its own target's table (else the first) keeps the code",
                )
    for act in kept:
        a, t, _ = code_parts(act.code)
        if f"A{a}H{t}" != act.table_target:
            fixes.add(
                "code_outside_table",
                act.line,
                act.action_code,
                f"{act.code} printed in the table of target {act.table_target}",
                f"area {act.table_area}, target_code {act.table_target}, printed_code {act.code}",
                "area and target follow the table the action sits in; the printed code is kept unchanged",
            )

    # -- numbering gaps -----------------------------------------------------------------------------------
    for n in sorted(found.tables):
        present = sorted(t for a, t, _, _ in found.targets if a == n)
        for t in range(1, max(present) + 1):
            if t not in present:
                following = min(x for x in present if x > t)
                fixes.add(
                    "numbering_gap",
                    targets[f"A{n}H{following}"][S.SOURCE_LINE],
                    f"A{n}H{t}",
                    f"targets of area {n} are numbered {', '.join(f'H{x}' for x in sorted(set(present)))}",
                    f"no target A{n}H{t}",
                    "the plan's numbering is kept; the gap is the plan's",
                )
    numbers: dict[str, set[int]] = {}
    for act in kept:
        a, t, e = code_parts(act.code)
        if f"A{a}H{t}" in targets:
            numbers.setdefault(f"A{a}H{t}", set()).add(e)
    for tcode, present_set in numbers.items():
        present = sorted(present_set)
        for e in range(1, present[-1] + 1):
            if e not in present_set:
                following = min(x for x in present if x > e)
                line = min(a.line for a in kept if a.code == f"{tcode}E{following}")
                before = [x for x in present if x < e]
                says = (
                    f"the table of {tcode} goes from E{before[-1]} to E{following}"
                    if before
                    else (f"the table of {tcode} starts at E{following}")
                )
                fixes.add(
                    "numbering_gap",
                    line,
                    f"{tcode}E{e}",
                    says,
                    f"no action {tcode}E{e}",
                    "the plan's numbering is kept; the gap is the plan's",
                )

    # -- unit and stakeholder links ------------------------------------------------------------------------------
    unit_rows, stakeholder_rows, action_rows = [], [], []
    for act in kept:
        links: list[tuple[str, str | None, str]] = []  # (kind, id or None, printed)
        for item in segment(act.rest, names):
            if item.kind == "compound":
                parts = [tuple(p.split(":", 1)) for p in item.ids]
                fixes.add(
                    "compound_name_split",
                    act.line,
                    act.action_code,
                    item.printed,
                    " + ".join(f"{k} {i}" for k, i in parts),
                    COMPOUND_REASONS[item.ids],
                )
                links.extend((k, i, item.printed) for k, i in parts)
            elif item.kind == "unknown":
                fixes.add(
                    "unresolved_name",
                    act.line,
                    act.action_code,
                    item.printed,
                    "linked with an empty id; name kept in name_in_plan",
                    "the name matches no reference entry or alias",
                )
                links.append(("unknown", None, item.printed))
            else:
                if item.alias_kind == "judgement":
                    fixes.add(
                        "name_resolved_by_judgement",
                        act.line,
                        act.action_code,
                        item.printed,
                        f"{item.kind} {item.ids[0]}",
                        "see the alias note in the reference aliases file",
                    )
                links.append((item.kind, item.ids[0], item.printed))
        seen: set[tuple[str, str]] = set()
        units, stakeholders = [], []
        for kind, ident, printed in links:
            if ident is not None and (kind, ident) in seen:
                fixes.add(
                    "duplicate_name_in_row",
                    act.line,
                    act.action_code,
                    f"{printed} named twice",
                    f"one link to {kind} {ident}",
                    "a name repeated within one row adds nothing",
                )
                continue
            seen.add((kind, ident))
            if kind == UNIT or (kind == "unknown" and not stakeholders):
                units.append((ident, printed))
            else:
                stakeholders.append((ident, printed))
        for pos, (ident, printed) in enumerate(units, start=1):
            unit_rows.append(
                {
                    S.ACTION_CODE: act.action_code,
                    S.ROLE: S.RESPONSIBLE if pos == 1 else S.COOPERATING,
                    S.POSITION: pos,
                    S.UNIT_ID: ident,
                    S.NAME_IN_PLAN: printed,
                }
            )
        for pos, (ident, printed) in enumerate(stakeholders, start=1):
            stakeholder_rows.append(
                {
                    S.ACTION_CODE: act.action_code,
                    S.POSITION: pos,
                    S.STAKEHOLDER_ID: ident,
                    S.NAME_IN_PLAN: printed,
                }
            )
        if not units:
            fixes.add(
                "responsible_missing",
                act.line,
                act.action_code,
                "no responsible unit (and no other unit) after the dates",
                "responsible_missing = true, no unit links",
                "the plan leaves the cell blank; nothing is guessed",
            )
        _, _, e = code_parts(act.code)
        start, start_kind = date_value(act.dates[0], end=False)
        end, end_kind = date_value(act.dates[1], end=True)
        action_rows.append(
            {
                S.ACTION_CODE: act.action_code,
                S.PRINTED_CODE: act.code,
                S.AREA: act.table_area,
                S.TARGET_CODE: act.table_target,
                S.ACTION: e,
                S.TITLE: act.title,
                S.EST_START: start,
                S.EST_START_KIND: start_kind,
                S.EST_START_TEXT: act.dates[0],
                S.EST_END: end,
                S.EST_END_KIND: end_kind,
                S.EST_END_TEXT: act.dates[1],
                S.RESPONSIBLE_MISSING: not units,
                S.SOURCE_LINE: act.line,
            }
        )

    for line, number, where in found.page_numbers:
        fixes.add(
            "page_number_removed",
            line,
            where,
            f"a line holding only {number!r}",
            "nothing",
            "a page number the extraction placed inside the table or list",
        )

    # -- indicators ------------------------------------------------------------------------------------------
    indicator_rows = []
    per_area: Counter = Counter()
    seen_text: dict[tuple[int, str], str] = {}
    for area, text, line in found.indicators:
        per_area[area] += 1
        ident = f"A{area}-G{per_area[area]}"
        key = (area, fold(text))
        if key in seen_text:
            fixes.add(
                "duplicate_indicator",
                line,
                ident,
                f"same text as {seen_text[key]}",
                f"both kept: {seen_text[key]} and {ident}",
                "the list prints the indicator twice; numbering follows the list",
            )
        else:
            seen_text[key] = ident
        indicator_rows.append(
            {
                S.INDICATOR_ID: ident,
                S.AREA: area,
                S.NUMBER: per_area[area],
                S.TEXT: text,
                S.KIND: indicator_kind(text),
                S.DIMENSIONS: indicator_dimensions(text) or None,
                S.SOURCE_LINE: line,
            }
        )

    frames = {
        S.AREAS_FILE: pd.DataFrame(areas, columns=list(S.AREAS_COLUMNS)),
        S.TARGETS_FILE: pd.DataFrame(list(targets.values()), columns=list(S.TARGETS_COLUMNS)),
        S.ACTIONS_FILE: pd.DataFrame(action_rows, columns=list(S.ACTIONS_COLUMNS)),
        S.ACTION_UNITS_FILE: pd.DataFrame(unit_rows, columns=list(S.ACTION_UNITS_COLUMNS)),
        S.ACTION_STAKEHOLDERS_FILE: pd.DataFrame(
            stakeholder_rows, columns=list(S.ACTION_STAKEHOLDERS_COLUMNS)
        ),
        S.INDICATORS_FILE: pd.DataFrame(indicator_rows, columns=list(S.INDICATORS_COLUMNS)),
        S.CORRECTIONS_FILE: fixes.frame(),
    }
    stats["page_numbers_removed"] = len(found.page_numbers)
    return frames, dict(stats)


def to_csv_text(frame: pd.DataFrame) -> str:
    """The exact text written for a frame: ``\\n`` line ends, minimal quoting, no index, booleans as
    ``true``/``false``."""
    flags = {c: frame[c].map({True: "true", False: "false"}) for c in frame.columns if frame[c].dtype == bool}
    return frame.assign(**flags).to_csv(index=False, lineterminator="\n")


def write(frames: dict[str, pd.DataFrame], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        (out / name).write_text(to_csv_text(frame), encoding="utf-8")


def differences(frames: dict[str, pd.DataFrame], out: Path) -> list[str]:
    """Names of the files in ``out`` whose bytes differ from what ``frames`` would write."""
    diff = []
    for name, frame in frames.items():
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != to_csv_text(frame):
            diff.append(name)
    return diff


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=Path, default=None, help="the extracted plan text")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: this dataset folder)")
    parser.add_argument("--check", action="store_true", help="compare with the CSVs in --out, write nothing")
    args = parser.parse_args(argv)
    seed = args.seed or default_seed()
    if seed is None or not seed.is_file():
        print(f"build.py: seed text not found ({seed or SEED_NAME}); pass --seed", file=sys.stderr)
        return 2
    frames, stats = build(seed)
    if args.check:
        diff = differences(frames, args.out)
        if diff:
            print(f"build.py: differs from the seed: {', '.join(diff)}", file=sys.stderr)
            return 1
        print("build.py: committed CSVs match the seed")
        return 0
    write(frames, args.out)
    counts = ", ".join(f"{name} {len(frame)}" for name, frame in frames.items())
    print(f"build.py: wrote {counts}; {stats}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
