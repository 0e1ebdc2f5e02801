"""Generate the demo municipality's monitoring returns (2023, 2024) and workforce table — SYNTHETIC.

    python datasets/demo/generate_monitoring.py [--seed 20241206] [--out datasets/demo/monitoring]

Five units return their forms: blank forms are made with ``gcdb.monitor.write_templates`` and filled in with
openpyxl cell by cell, as a clerk would in Excel. Statuses, progress and spending follow the demo budget: actions
with money tagged to them in the TCDB analysis are more often done, and their units report spending from the
tagged lines (economic code included). Problems are planted on purpose and listed in ``planted.yaml`` (file,
cell, issue code) for the tests:

* a late unit (no 2024 return), a wrong-year file (a 2023 form sent as 2024), a unit that returned twice;
* a structure edited by hand (a row deleted, an action code changed, a column inserted);
* inconsistent numbers (progress 100 % while *devam ediyor*, *tamamlandı* with no description, progress over
  100 %, text in a money cell, money spent on an action not started, more money reported than the action's
  revised appropriation) and a personal name in a text cell;
* an incomplete return (partner rows left blank).

Running it again gives byte-identical files (fixed seed; fixed document dates and zip timestamps).
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import gcdb  # noqa: E402
from gcdb import paths  # noqa: E402
from gcdb.monitor import form as F  # noqa: E402
from gcdb.monitor import names as N  # noqa: E402
from gcdb.monitor.templates import template_name, write_templates  # noqa: E402

SEED = 20241206
YEARS = (2023, 2024)
UNITS = ("sosyal_hizmetler", "saglik", "insan_kaynaklari_ve_egitim", "ulasim", "kultur")
LATE_UNIT = "kultur"  # no 2024 return
WRONG_YEAR_UNIT = "ulasim"  # sends its 2023 form as the 2024 one
TWICE_UNIT = "insan_kaynaklari_ve_egitim"  # returns 2024 twice (an earlier draft and the final form)
EDITED_UNIT = "saglik"  # 2024: a row deleted, a code edited, a column inserted
MESSY_UNIT = "sosyal_hizmetler"  # 2024: inconsistent numbers, a name in a text cell
FIXED_DATE = "2025-01-31T09:00:00Z"

DONE_TEXTS = (
    "Planlanan eğitim ve bilgilendirme çalışmaları yapıldı, katılım kayıtları tutuldu.",
    "Hizmet noktalarında uygulama başlatıldı; ilçe belediyeleri ve muhtarlıklarla koordinasyon sağlandı.",
    "Saha çalışması tamamlandı, sonuç raporu hazırlanarak birimlerle paylaşıldı.",
    "Yıl içinde düzenli olarak yürütüldü; aylık faaliyet raporlarına işlendi.",
    "İhtiyaç analizi yapıldı, pilot uygulama iki ilçede başlatıldı.",
    "İlgili STK'larla toplantılar yapıldı, ortak çalışma takvimi oluşturuldu.",
)
CANCEL_TEXTS = (
    "Bütçe kısıtı nedeniyle bu yıl yapılamadı.",
    "Mevzuat değişikliği beklendiği için ertelendi ve iptal edildi.",
    "Başka bir eylemle birleştirildi.",
)
SOURCES = (
    "Birim kayıtları",
    "İBB veri sistemi",
    "Faaliyet raporu",
    "Katılım listeleri",
    "Hizmet kayıt sistemi",
)


# ---------------------------------------------------------------------------------------------------------------
# the demo budget: which actions have money, and the economic codes of their lines
# ---------------------------------------------------------------------------------------------------------------
def budget_money(catalogue) -> tuple[pd.DataFrame, pd.DataFrame]:
    budget = gcdb.read_budget(paths.demo() / "budget.parquet").data
    rules = gcdb.load_ruleset(paths.rules() / "ibb_yeep_2021_budget.yaml", catalogue=catalogue)
    tagged = gcdb.tag(budget, rules)
    analysis = gcdb.analyse_budget(budget, tagged, plan_actions=catalogue.budget_actions())
    money = analysis.plan_money.drop_duplicates(["fiscal_year", "action_code"])
    lines = tagged.tags.merge(
        budget[["fiscal_year", "economic_code", "functional_code", "line_id"]],
        left_on="row_id",
        right_index=True,
    )
    lines = lines.sort_values(
        ["fiscal_year", "action_code", "attributed_revised_appropriation"], ascending=[True, True, False]
    ).drop_duplicates(["fiscal_year", "action_code"])
    return money, lines


# ---------------------------------------------------------------------------------------------------------------
# filling a form as a clerk would
# ---------------------------------------------------------------------------------------------------------------
def _columns(ws, header_row: int = 4) -> dict[str, int]:
    """Header label → 1-based column."""
    return {str(c.value): c.column for c in ws[header_row] if c.value is not None}


def _label(code: str) -> str:
    return N.LABELS[code][0]


def _pick_status(rng, funded: bool, role: str, previous: str | None) -> str:
    if previous == N.DONE and rng.random() < 0.85:
        return N.DONE
    if previous == N.CANCELLED:
        return N.CANCELLED
    if previous == N.IN_PROGRESS:
        return N.DONE if rng.random() < 0.45 else N.IN_PROGRESS
    if role == N.COOPERATING:
        p = (0.25, 0.45, 0.25, 0.05)
    elif funded:
        p = (0.08, 0.42, 0.45, 0.05)
    else:
        p = (0.35, 0.35, 0.20, 0.10)
    return str(rng.choice((N.NOT_STARTED, N.IN_PROGRESS, N.DONE, N.CANCELLED), p=p))


def fill_actions(
    ws,
    rng,
    year: int,
    money: pd.DataFrame,
    lines: pd.DataFrame,
    history: dict,
    unit: str,
    blank_partner_share: float = 0.0,
) -> None:
    cols = _columns(ws)
    col = {
        name: cols[F.ACTIONS.field(name).label.tr]
        for name in (
            "action_code",
            N.ROLE,
            N.STATUS,
            N.PROGRESS,
            N.DONE_TEXT,
            N.CANCEL_REASON,
            N.SPENT,
            N.BUDGET_ECONOMIC,
            N.BUDGET_FUNCTIONAL,
            N.BUDGET_LINE,
        )
    }
    funded = money[money["fiscal_year"] == year].set_index("action_code")
    line = lines[lines["fiscal_year"] == year].set_index("action_code")
    for row in range(5, ws.max_row + 1):
        code = ws.cell(row, col["action_code"]).value
        if not code:
            continue
        role = N.RESPONSIBLE if ws.cell(row, col[N.ROLE]).value == _label(N.RESPONSIBLE) else N.COOPERATING
        if role == N.COOPERATING and rng.random() < blank_partner_share:
            continue  # left blank: the row is not reported
        revised = int(funded["attributed_revised_appropriation"].get(code, 0)) if code in funded.index else 0
        status = _pick_status(rng, revised > 0, role, history.get((unit, code)))
        history[(unit, code)] = status
        progress = {N.NOT_STARTED: 0, N.DONE: 100, N.CANCELLED: None}.get(status)
        if status == N.IN_PROGRESS:
            progress = int(rng.integers(2, 19)) * 5
        ws.cell(row, col[N.STATUS]).value = _label(status)
        if progress is not None:
            ws.cell(row, col[N.PROGRESS]).value = progress
        if status in (N.DONE, N.IN_PROGRESS):
            ws.cell(row, col[N.DONE_TEXT]).value = str(rng.choice(DONE_TEXTS))
        if status == N.CANCELLED:
            ws.cell(row, col[N.CANCEL_REASON]).value = str(rng.choice(CANCEL_TEXTS))
        spent = 0
        if status in (N.DONE, N.IN_PROGRESS) and revised > 0 and role == N.RESPONSIBLE:
            spent = int(revised * rng.uniform(0.35, 0.9))
        elif (
            status in (N.DONE, N.IN_PROGRESS) and role == N.COOPERATING and revised > 0 and rng.random() < 0.3
        ):
            spent = int(revised * rng.uniform(0.02, 0.08))
        ws.cell(row, col[N.SPENT]).value = round(spent / 100, 2)
        if spent and code in line.index:
            ws.cell(row, col[N.BUDGET_ECONOMIC]).value = str(line.loc[code, "economic_code"])
            ws.cell(row, col[N.BUDGET_FUNCTIONAL]).value = str(line.loc[code, "functional_code"])
            ws.cell(row, col[N.BUDGET_LINE]).value = str(int(line.loc[code, "line_id"]))


def _value(rng, kind: str, scale: float):
    if kind == "yes_no":
        return "Evet" if rng.random() < 0.6 else "Hayır"
    if kind == "percent":
        return round(float(np.clip(scale, 0, 100)), 1)
    if kind == "integer":
        return int(max(0, round(scale)))
    return round(float(max(0.0, scale)), 2)


def fill_indicators(ws, rng, year: int, history: dict, unit: str, share: float = 0.7) -> None:
    cols = _columns(ws)
    col = {
        name: cols[F.INDICATORS.field(name).label.tr]
        for name in (N.INDICATOR_ID, N.VALUE_KIND, N.BASELINE, N.TARGET_VALUE, N.ACTUAL, N.SOURCE)
    }
    kinds = {c.label.tr: c.code for c in F.VALUE_KIND_CHOICES}
    for row in range(5, ws.max_row + 1):
        ind = ws.cell(row, col[N.INDICATOR_ID]).value
        if not ind or rng.random() > share:
            continue
        kind = kinds[ws.cell(row, col[N.VALUE_KIND]).value]
        base_level = history.setdefault(
            (unit, ind), float(rng.uniform(20, 60) if kind == "percent" else rng.lognormal(4, 1))
        )
        growth = 1.0 + (year - 2022) * rng.uniform(0.05, 0.2)
        target = base_level * (1.0 + 0.25 * (year - 2020) / 4)
        actual = base_level * growth * rng.uniform(0.85, 1.1)
        ws.cell(row, col[N.BASELINE]).value = _value(rng, kind, base_level)
        ws.cell(row, col[N.TARGET_VALUE]).value = _value(rng, kind, target) if kind != "yes_no" else "Evet"
        ws.cell(row, col[N.ACTUAL]).value = _value(rng, kind, actual)
        if kind == "yes_no":
            ws.cell(row, col[N.BASELINE]).value = "Hayır"
        ws.cell(row, col[N.SOURCE]).value = str(rng.choice(SOURCES))


# ---------------------------------------------------------------------------------------------------------------
# planted problems
# ---------------------------------------------------------------------------------------------------------------
def _find_row(ws, column: int, predicate, start: int = 5) -> int:
    for row in range(start, ws.max_row + 1):
        if predicate(ws.cell(row, column).value, row):
            return row
    raise LookupError("no row matches")


def plant_messy(wb, planted: list, file: str, funded_codes: set[str]) -> None:
    ws = wb["Eylemler"]
    cols = _columns(ws)
    c_code, c_role, c_status = cols["Eylem Kodu"], cols["Rolünüz"], cols["Durum"]
    c_progress, c_text, c_spent = cols["İlerleme (%)"], cols["Yapılanlar"], cols["Harcanan Tutar (TL)"]
    lead = _label(N.RESPONSIBLE)
    used: set[int] = set()

    def take(pred):
        row = _find_row(ws, c_code, lambda v, r: r not in used and v is not None and pred(r))
        used.add(row)
        return row

    def cell(col, row):
        return f"Eylemler!{openpyxl.utils.get_column_letter(col)}{row}"

    def is_lead(r):
        return ws.cell(r, c_role).value == lead

    r = take(lambda r: is_lead(r) and ws.cell(r, c_code).value not in funded_codes)
    ws.cell(r, c_status).value, ws.cell(r, c_progress).value = _label(N.IN_PROGRESS), 100
    ws.cell(r, c_text).value = DONE_TEXTS[0]
    planted.append(
        {
            "problem": "progress 100 % while 'devam ediyor'",
            "file": file,
            "cell": cell(c_progress, r),
            "code": "inconsistent_progress",
        }
    )
    r = take(lambda r: is_lead(r) and ws.cell(r, c_code).value not in funded_codes)
    ws.cell(r, c_status).value, ws.cell(r, c_progress).value, ws.cell(r, c_text).value = (
        _label(N.DONE),
        100,
        None,
    )
    planted.append(
        {
            "problem": "'tamamlandı' with no description",
            "file": file,
            "cell": cell(c_text, r),
            "code": "required_if",
        }
    )
    r = take(lambda r: is_lead(r) and ws.cell(r, c_code).value not in funded_codes)
    ws.cell(r, c_status).value, ws.cell(r, c_progress).value = _label(N.IN_PROGRESS), 120
    ws.cell(r, c_text).value = DONE_TEXTS[1]
    planted.append(
        {"problem": "progress over 100 %", "file": file, "cell": cell(c_progress, r), "code": "out_of_range"}
    )
    r = take(lambda r: is_lead(r) and ws.cell(r, c_code).value not in funded_codes)
    ws.cell(r, c_status).value, ws.cell(r, c_progress).value = _label(N.IN_PROGRESS), 40
    ws.cell(r, c_text).value, ws.cell(r, c_spent).value = DONE_TEXTS[2], "yaklaşık 50 bin"
    planted.append(
        {
            "problem": "text in a money cell",
            "file": file,
            "cell": cell(c_spent, r),
            "code": "unparseable_number",
        }
    )
    r = take(lambda r: is_lead(r) and ws.cell(r, c_code).value not in funded_codes)
    ws.cell(r, c_status).value, ws.cell(r, c_progress).value = _label(N.NOT_STARTED), 0
    ws.cell(r, c_text).value, ws.cell(r, c_spent).value = None, 15000
    ws.cell(r, cols["Ekonomik Kod"]).value = "03.5.1.08"
    planted.append(
        {
            "problem": "money spent on an action not started",
            "file": file,
            "cell": cell(c_spent, r),
            "code": "spent_not_started",
        }
    )
    r = take(lambda r: is_lead(r) and ws.cell(r, c_code).value in funded_codes)
    ws.cell(r, c_status).value, ws.cell(r, c_progress).value = _label(N.DONE), 100
    ws.cell(r, c_text).value = DONE_TEXTS[3]
    ws.cell(r, c_spent).value = 999_999_999.99
    ws.cell(r, cols["Ekonomik Kod"]).value = "03.5.1.08"
    planted.append(
        {
            "problem": "more money reported than the action's revised appropriation",
            "file": file,
            "cell": cell(c_spent, r),
            "code": "spent_exceeds_appropriation",
        }
    )
    r = take(lambda r: is_lead(r) and ws.cell(r, c_code).value not in funded_codes)
    ws.cell(r, c_status).value, ws.cell(r, c_progress).value = _label(N.DONE), 100
    ws.cell(r, c_text).value = "Ayşe Yılmaz"
    planted.append(
        {
            "problem": "a personal name in a text cell",
            "file": file,
            "cell": cell(c_text, r),
            "code": "personal_data",
        }
    )


def plant_edited(wb, planted: list, file: str) -> None:
    ws = wb["Eylemler"]
    ws.protection.sheet = False  # the clerk unprotects the sheet first
    cols = _columns(ws)
    c_code = cols["Eylem Kodu"]
    deleted = ws.cell(7, c_code).value
    ws.delete_rows(7)
    planted.append(
        {
            "problem": "a row deleted by hand",
            "file": file,
            "cell": "",
            "value": deleted,
            "code": "row_missing",
        }
    )
    old = ws.cell(9, c_code).value
    ws.cell(9, c_code).value = old + "0"
    planted.append(
        {
            "problem": "an action code changed by hand",
            "file": file,
            "cell": "Eylemler!A9",
            "value": old + "0",
            "code": "unexpected_row",
        }
    )
    planted.append(
        {
            "problem": "an action code changed by hand (the form's row is then missing)",
            "file": file,
            "cell": "",
            "value": old,
            "code": "row_missing",
        }
    )
    at = cols["Planlanan Süre"] + 1
    ws.insert_cols(at)
    ws.cell(4, at).value = "Birim İçi Not"
    ws.cell(5, at).value = "kontrol edildi"
    planted.append(
        {
            "problem": "a column inserted by hand",
            "file": file,
            "cell": f"Eylemler!{openpyxl.utils.get_column_letter(at)}4",
            "code": "structure_changed",
        }
    )


# ---------------------------------------------------------------------------------------------------------------
# reproducible files
# ---------------------------------------------------------------------------------------------------------------
def reproducible(path: Path) -> None:
    """Fix the document's modified date and the zip entries' timestamps so that runs are byte-identical."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + FIXED_DATE.encode() + rb"\g<2>",
                    data,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, data)
    path.write_bytes(buffer.getvalue())


def save(wb, path: Path) -> None:
    wb.save(path)
    reproducible(path)


# ---------------------------------------------------------------------------------------------------------------
# workforce
# ---------------------------------------------------------------------------------------------------------------
POSITIONS = (  # title, group, manager, contract, (min, max) head count per unit, women share
    ("Daire Başkanı", "Yönetici", "Evet", "Memur", (1, 1), 0.12),
    ("Şube Müdürü", "Yönetici", "Evet", "Memur", (3, 7), 0.14),
    ("Şef", "Yönetici", "Evet", "Memur", (6, 16), 0.18),
    ("Mühendis", "Teknik", "Hayır", "Sözleşmeli", (8, 40), 0.22),
    ("Tekniker", "Teknik", "Hayır", "Kadrolu İşçi", (10, 50), 0.08),
    ("Uzman", "İdari", "Hayır", "Memur", (10, 45), 0.38),
    ("Memur", "İdari", "Hayır", "Memur", (20, 80), 0.30),
    ("Saha Personeli", "Hizmet", "Hayır", "Şirket Personeli", (40, 220), 0.06),
)


def workforce(rng, catalogue) -> pd.DataFrame:
    budget = pd.read_parquet(paths.demo() / "budget.parquet", columns=["unit_name"])
    units = sorted(budget["unit_name"].unique())
    rows = []
    for year in YEARS:
        lift = 1.0 + 0.08 * (year - YEARS[0])  # women's shares rise a little in 2024
        for unit in units:
            u_rng = np.random.default_rng([SEED, year, units.index(unit)])
            size = 2.0 if unit.startswith(("Sosyal", "Sağlık", "İtfaiye", "Zabıta")) else 1.0
            women_bias = 1.6 if unit.startswith(("Sosyal", "Sağlık")) else 1.0
            for title, group, manager, contract, (lo, hi), share in POSITIONS:
                n = int(u_rng.integers(lo, hi + 1) * (size if hi > 1 else 1))
                women = int(u_rng.binomial(n, min(0.95, share * lift * women_bias)))
                for sex, count in (("Kadın", women), ("Erkek", n - women)):
                    if count == 0:
                        continue
                    disabled = int(u_rng.binomial(count, 0.03)) if count >= 10 else 0
                    for dis, c in (("Evet", disabled), ("Hayır", count - disabled)):
                        if c:
                            rows.append((year, unit, title, group, manager, contract, sex, dis, c))
    return pd.DataFrame(
        rows,
        columns=[
            "Yıl",
            "Birim",
            "Unvan",
            "Unvan Grubu",
            "Yönetici",
            "İstihdam Türü",
            "Cinsiyet",
            "Engellilik",
            "Kişi Sayısı",
        ],
    )


README = """# Demo monitoring returns (SYNTHETIC)

> **SYNTHETIC DATA**, made by `datasets/demo/generate_monitoring.py` (seed {seed}); running it again gives the same
> bytes. The actions, indicators and units are those of İBB's YEEP 2021–2024 (`datasets/yeep_ibb_2021_2024`);
> statuses, progress, money, indicator values and staff counts are invented.

Five units return their monitoring forms (`gcdb monitor templates`, filled in cell by cell with openpyxl as a clerk
would in Excel): {units}.

| path | what |
|---|---|
| `2023/` | the 2023 returns: five forms, clean and complete |
| `2024/` | the 2024 returns, with the planted problems below |
| `workforce.csv` | staff of the demo municipality's {n_units} departments by position, manager flag, contract type, sex and disability, 2023–2024 (`;` separated, Turkish headers; {rows} rows, {staff} staff in 2024, women {women} %) |
| `planted.yaml` | every planted problem: file, cell and the issue code `gcdb monitor collect` reports |

Statuses follow the demo budget: actions with money tagged to them (`gcdb.analyse_budget` with the shipped rule set)
are more often done, and their responsible units report spending from the tagged lines with the line's economic and
functional code and line number.

## Planted problems (2024)

{planted}

Collect and analyse them:

```sh
gcdb monitor collect datasets/demo/monitoring/2024 --year 2024 --out c2024 {unit_args}
gcdb monitor report --demo --out izleme/
```
"""


def write_readme(out: Path, manifest: dict, table: pd.DataFrame) -> None:
    last = table[table["Yıl"] == YEARS[-1]]
    women = last.loc[last["Cinsiyet"] == "Kadın", "Kişi Sayısı"].sum() / last["Kişi Sayısı"].sum()
    planted = "\n".join(
        f"- {p['problem']}: `{p['file'] or p.get('value', '')}`"
        + (f" `{p['cell']}`" if p["cell"] else (f" ({p['value']})" if p.get("value") and p["file"] else ""))
        + f" → `{p['code']}`"
        for p in manifest["planted"]
    )
    text = README.format(
        seed=manifest["seed"],
        units=", ".join(f"`{u}`" for u in manifest["units"]),
        n_units=table["Birim"].nunique(),
        rows=len(table),
        staff=int(last["Kişi Sayısı"].sum()),
        women=f"{100 * women:.1f}",
        planted=planted,
        unit_args=" ".join(f"--unit {u}" for u in manifest["units"]),
    )
    (out / "README.md").write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------------
def generate(out: Path, seed: int = SEED) -> dict:
    catalogue = gcdb.Catalogue.load()
    money, lines = budget_money(catalogue)
    rng = np.random.default_rng(seed)
    planted: list[dict] = []
    history: dict = {}
    indicator_history: dict = {}
    if out.exists():
        shutil.rmtree(out)
    with tempfile.TemporaryDirectory() as tmp:
        blanks = Path(tmp)
        for year in YEARS:
            write_templates(catalogue, year, blanks / str(year), units=list(UNITS))
        for year in YEARS:
            folder = out / str(year)
            folder.mkdir(parents=True)
            funded_codes = set(
                money.loc[
                    (money["fiscal_year"] == year) & (money["attributed_revised_appropriation"] > 0),
                    "action_code",
                ]
            )
            for unit in UNITS:
                if year == 2024 and unit == LATE_UNIT:
                    planted.append(
                        {
                            "problem": "a late unit: no 2024 return",
                            "file": "",
                            "cell": "",
                            "value": unit,
                            "code": "not_returned",
                        }
                    )
                    continue
                if year == 2024 and unit == WRONG_YEAR_UNIT:
                    continue
                blank = blanks / str(year) / template_name(unit, year)
                wb = openpyxl.load_workbook(blank)
                partner_blank = 0.35 if (unit == TWICE_UNIT and year == 2024) else 0.0
                fill_actions(wb["Eylemler"], rng, year, money, lines, history, unit, partner_blank)
                fill_indicators(wb["Göstergeler"], rng, year, indicator_history, unit)
                name = template_name(unit, year)
                if year == 2024 and unit == MESSY_UNIT:
                    plant_messy(wb, planted, name, funded_codes)
                if year == 2024 and unit == EDITED_UNIT:
                    plant_edited(wb, planted, name)
                save(wb, folder / name)
                if year == 2024 and unit == TWICE_UNIT:  # an earlier draft sent too: only part filled in
                    draft = openpyxl.load_workbook(blank)
                    fill_actions(
                        draft["Eylemler"],
                        np.random.default_rng(seed + 1),
                        year,
                        money,
                        lines,
                        {},
                        unit,
                        blank_partner_share=0.9,
                    )
                    draft_name = name.replace(".xlsx", " (taslak).xlsx")
                    save(draft, folder / draft_name)
                    planted.append(
                        {
                            "problem": "a unit returned its form twice",
                            "file": draft_name,
                            "cell": "",
                            "code": "duplicate_return",
                        }
                    )
                    planted.append(
                        {
                            "problem": "partner rows left blank: an incomplete return",
                            "file": name,
                            "cell": "",
                            "value": unit,
                            "code": "incomplete",
                        }
                    )
        wrong = out / "2024" / template_name(WRONG_YEAR_UNIT, 2024)
        shutil.copyfile(out / "2023" / template_name(WRONG_YEAR_UNIT, 2023), wrong)
        planted.append(
            {
                "problem": "a wrong-year file: the 2023 form sent as 2024",
                "file": wrong.name,
                "cell": "Açıklamalar!B6",
                "code": "identity_mismatch",
            }
        )
    table = workforce(rng, catalogue)
    table.to_csv(out / "workforce.csv", sep=";", index=False, encoding="utf-8", lineterminator="\n")
    manifest = {"seed": seed, "years": list(YEARS), "units": list(UNITS), "planted": planted}
    (out / "planted.yaml").write_text(
        "# Problems planted in the demo monitoring returns (generated by generate_monitoring.py; do not edit)\n"
        + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False, width=110),
        encoding="utf-8",
    )
    write_readme(out, manifest, table)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=paths.demo() / "monitoring")
    args = parser.parse_args(argv)
    manifest = generate(args.out, args.seed)
    files = sorted(p for p in args.out.rglob("*") if p.is_file())
    total = sum(p.stat().st_size for p in files)
    print(
        f"{len(files)} files, {total / 1024:.0f} KB, {len(manifest['planted'])} planted problems in {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
