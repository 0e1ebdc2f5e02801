"""The HTML renderer: a :class:`~gcdb.report.model.Report` as one self-contained web page.

The page works offline and makes no network request: styles are inline, figures are inline SVG
(:mod:`gcdb.report.figures`), there is no script, and a Content-Security-Policy forbids any other source. It is
written in the report's language with ``lang`` and ``dir`` set (Arabic right to left: the layout uses logical CSS
properties, so it mirrors), with semantic landmarks and headings, a data table beside every figure, and a print
style for A4 (tables and figures are not cut across pages, table headers repeat).
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb import i18n
from gcdb.money import KURUS_PER_LIRA
from gcdb.report.figures import bar_svg, map_svg
from gcdb.report.model import Figure, Heading, KeyValues, Report, Section, Sentence, Table

#: Text and background colours of the page (WCAG AA contrast is checked in the tests).
PALETTE: Final = {
    "ink": "#1a1a1a",
    "muted": "#4d4d4d",
    "paper": "#ffffff",
    "band": "#f2f5f9",
    "accent": "#1f4e8c",
    "under": "#8c1d18",
    "under_fill": "#fde7e5",
    "over": "#6b4300",
    "over_fill": "#fff1d6",
}
#: Foreground/background pairs a reader sees.
TEXT_PAIRS: Final = (
    ("ink", "paper"),
    ("muted", "paper"),
    ("ink", "band"),
    ("muted", "band"),
    ("accent", "paper"),
    ("accent", "band"),
    ("under", "under_fill"),
    ("over", "over_fill"),
)

_CSS: Final = """
:root{--ink:@ink;--muted:@muted;--paper:@paper;--band:@band;--accent:@accent}
*{box-sizing:border-box}
html{font-family:"Noto Sans","DejaVu Sans","Noto Sans Arabic",Arial,sans-serif;color:var(--ink);background:var(--paper);
line-height:1.5;font-size:16px}
body{margin:0 auto;max-width:60rem;padding:1.5rem 1.25rem 3rem}
header{border-block-end:3px solid var(--accent);margin-block-end:1.5rem}
h1{font-size:1.9rem;line-height:1.2;margin:0 0 .4rem;color:var(--accent)}
h2{font-size:1.4rem;margin:2.2rem 0 .6rem;border-block-end:1px solid #c9d3e0;padding-block-end:.2rem}
h3{font-size:1.1rem;margin:1.4rem 0 .4rem}
p{margin:.4rem 0 .8rem}
.meta,.note,figcaption,.source{color:var(--muted);font-size:.9rem}
.langs a{margin-inline-end:.8rem}
a{color:var(--accent)}
nav ol{padding-inline-start:1.2rem;margin:.4rem 0 1rem}
.key{font-size:1.15rem;background:var(--band);border-inline-start:4px solid var(--accent);padding:.6rem .9rem}
dl.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.8rem;margin:1rem 0}
dl.figures div{background:var(--band);padding:.7rem .9rem;border-radius:4px}
dl.figures dt{font-size:.9rem;color:var(--muted)}
dl.figures dd{margin:0;font-size:1.35rem;font-weight:700}
table{border-collapse:collapse;width:100%;margin:.6rem 0 1.2rem;font-size:.88rem}
caption{caption-side:top;text-align:start;font-weight:700;padding-block-end:.3rem}
th,td{border-block-end:1px solid #d5dbe3;padding:.3rem .45rem;text-align:start;vertical-align:top;
overflow-wrap:break-word;hyphens:auto}
td.c,th.c{white-space:nowrap;font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:.82rem}
thead th{background:var(--band);border-block-end:2px solid #9fb0c6}
td.n{text-align:end;white-space:nowrap;font-variant-numeric:tabular-nums}
td.under{background:@under_fill;color:@under;font-weight:700}
td.over{background:@over_fill;color:@over;font-weight:700}
td.hidden{color:var(--muted)}
figure{margin:1rem 0 1.5rem}
svg.chart{width:100%;height:auto;display:block;max-width:44rem;direction:ltr;unicode-bidi:isolate}
footer{margin-block-start:3rem;border-block-start:1px solid #c9d3e0;padding-block-start:.8rem}
@page{size:A4;margin:14mm 12mm}
@media print{
html{font-size:11pt}
body{max-width:none;padding:0}
nav,.langs{display:none}
a{color:var(--ink);text-decoration:none}
h2,h3{break-after:avoid}
figure,dl.figures,.key,tr{break-inside:avoid}
table.short{break-inside:avoid}
thead{display:table-header-group}
}
"""


def _css() -> str:
    css = _CSS
    for name in sorted(PALETTE, key=len, reverse=True):  # under_fill before under
        css = css.replace(f"@{name}", PALETTE[name])
    return css.strip()


CSS: Final = _css()

_SHORT_TABLE = 25
#: Audiences whose reports round money as a newspaper would (``4,2 milyar TL``).
ROUNDED_AUDIENCES: Final = ("council", "citizen")


def render_html(
    report: Report, path: str | os.PathLike | None = None, *, languages: Sequence[str] = ()
) -> str:
    """The page of ``report`` (written to ``path`` when given). ``languages``: the languages the same report
    exists in, linked from the page as ``<stem>.<lang>.html`` files beside it."""
    page = _Page(report, Path(path).name if path else "", languages).render()
    if path is not None:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    return page


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


class _Page:
    def __init__(self, report: Report, name: str, languages: Sequence[str]):
        self.r = report
        self.lang = report.lang
        self.name = name
        self.languages = list(languages)
        self.tables = {t.key: t for t in report.tables()}

    def t(self, key: str, **values: Any) -> str:
        return i18n.t(key, self.lang, **values)

    def render(self) -> str:
        r = self.r
        out = [
            "<!DOCTYPE html>",
            f'<html lang="{_e(self.lang)}" dir="{i18n.direction(self.lang)}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; img-src data:\">",
            '<meta name="generator" content="gcdb">',
            f"<title>{_e(r.title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            "<header>",
            f"<h1>{_e(r.title)}</h1>",
        ]
        if r.subject:
            out.append(f'<p class="meta">{_e(r.subject)}</p>')
        out.append(
            f'<p class="meta">{_e(self.t("web.date", date=i18n.format_date(r.created, self.lang)))}</p>'
        )
        out += self.language_links()
        out += self.contents()
        out.append("</header>")
        out.append("<main>")
        for section in r.sections:
            out += self.section(section)
        out.append("</main>")
        out += self.footer()
        out += ["</body>", "</html>", ""]
        return "\n".join(out)

    def language_links(self) -> list[str]:
        if len(self.languages) < 2 or not self.name:
            return []
        stem = self.name.split(".")[0]
        links = []
        for lang in self.languages:
            label = _e(i18n.language_name(lang))
            if lang == self.lang:
                links.append(f'<span aria-current="page">{label}</span>')
            else:
                links.append(
                    f'<a href="{_e(stem)}.{_e(lang)}.html" hreflang="{_e(lang)}" lang="{_e(lang)}">{label}</a>'
                )
        return [
            f'<nav class="langs" aria-label="{_e(self.t("web.languages"))}">' + " · ".join(links) + "</nav>"
        ]

    def contents(self) -> list[str]:
        if len(self.r.sections) < 3:
            return []
        items = "".join(
            f'<li><a href="#{_e(s.key)}">{_e(s.title or s.name)}</a></li>' for s in self.r.sections
        )
        return [f'<nav aria-label="{_e(self.t("web.contents"))}"><ol>{items}</ol></nav>']

    def footer(self) -> list[str]:
        out = ["<footer>"]
        for note in self.r.notes:
            out.append(f'<p class="note">{_e(note)}</p>')
        for text, href in self.r.links:
            out.append(f'<p><a href="{_e(href)}">{_e(text)}</a></p>')
        out.append("</footer>")
        return out

    # -- blocks --------------------------------------------------------------------------------------------------
    def section(self, section: Section) -> list[str]:
        out = [f'<section id="{_e(section.key)}" aria-labelledby="{_e(section.key)}-h">']
        out.append(f'<h2 id="{_e(section.key)}-h">{_e(section.title or section.name)}</h2>')
        for block in section.blocks:
            if isinstance(block, Heading):
                if block.title:
                    out.append(f"<h3>{_e(block.title)}</h3>")
                out += [f'<p class="note">{_e(n)}</p>' for n in block.notes]
            elif isinstance(block, Sentence):
                out.append(f'<p class="key">{self.sentence(block)}</p>')
            elif isinstance(block, KeyValues):
                out += self.key_values(block)
            elif isinstance(block, Table):
                out += self.table(block)
            elif isinstance(block, Figure):
                out += self.figure(block)
        out.append("</section>")
        return out

    def sentence(self, block: Sentence) -> str:
        text = _e(block.text)
        if block.emphasis and _e(block.emphasis) in text:
            text = text.replace(_e(block.emphasis), f"<strong>{_e(block.emphasis)}</strong>", 1)
        return text

    def key_values(self, block: KeyValues) -> list[str]:
        out = []
        if block.title:
            out.append(f"<h3>{_e(block.title)}</h3>")
        items = "".join(
            f"<div><dt>{_e(label)}</dt><dd>{_e(self.value(value, kind))}</dd></div>"
            for label, value, kind in block.pairs
        )
        out.append(f'<dl class="figures">{items}</dl>')
        out += [f'<p class="note">{_e(n)}</p>' for n in block.notes]
        return out

    def value(self, value: Any, kind: str) -> str:
        if value is None or (isinstance(value, float) and not math.isfinite(value)) or value is pd.NA:
            return "–"
        lang = self.lang
        if kind == "money":
            rounded = self.r.audience in ROUNDED_AUDIENCES
            return (i18n.format_compact_money if rounded else i18n.format_money)(int(value), lang)
        if kind == "percent":
            return i18n.format_percent(float(value), 1, lang)
        if kind == "count":
            return i18n.format_number(float(value), 0, lang)
        if kind in ("ratio", "rate", "number"):
            return i18n.format_number(float(value), 2, lang)
        if kind == "year":
            return str(int(value))
        if kind == "label":
            return label(str(value), lang)
        return str(value)

    def table(self, block: Table) -> list[str]:
        frame = block.frame.reset_index(drop=True)
        n = len(frame)
        classes = "short" if n <= _SHORT_TABLE else "long"
        out = [f'<table id="t-{_e(block.key)}" class="{classes}">']
        if block.title:
            out.append(f"<caption>{_e(block.title)}</caption>")
        head = "".join(f'<th scope="col">{_e(c.label or c.name)}</th>' for c in block.columns)
        out.append(f"<thead><tr>{head}</tr></thead><tbody>")
        texts = {c.name: self.column_texts(block, frame, c) for c in block.columns}
        flags = {
            name: pd.Series(values).reset_index(drop=True).astype("str").tolist()
            for name, values in (block.flags or {}).items()
        }
        for i in range(n):
            cells = []
            for j, c in enumerate(block.columns):
                cls = (
                    ["n"]
                    if c.kind not in ("text", "code", "label", "flag")
                    else (["c"] if c.kind == "code" else [])
                )
                flag = flags.get(c.name, [None] * n)[i]
                if flag in ("under", "over"):
                    cls.append(flag)
                text = texts[c.name][i]
                if text in ("*",) or text.startswith("<"):
                    cls.append("hidden")
                attr = f' class="{" ".join(cls)}"' if cls else ""
                tag = "th" if j == 0 and c.kind in ("text", "code") else "td"
                scope = ' scope="row"' if tag == "th" else ""
                cells.append(f"<{tag}{scope}{attr}>{_e(text)}</{tag}>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
        out += [f'<p class="note">{_e(note)}</p>' for note in block.notes]
        if not n and block.empty_note:
            out.append(f'<p class="note">{_e(block.empty_note)}</p>')
        return out

    def column_texts(self, block: Table, frame: pd.DataFrame, column: Any) -> list[str]:
        """The shown text of every cell of a column, formatted on its distinct values."""
        series = frame[column.name]
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        shown = [self.value(u.item() if hasattr(u, "item") else u, column.kind) for u in uniques] + ["–"]
        texts = np.asarray(shown, dtype=object)[codes]
        kinds = block.hidden.get(column.name)
        if kinds is not None:
            kinds = np.asarray(kinds, dtype=object)
            texts = np.where(kinds == "primary", f"<{self.r.k}", np.where(kinds == "secondary", "*", texts))
        return [str(t) for t in texts]

    def figure(self, fig: Figure) -> list[str]:
        table = self.tables[fig.table]
        frame = table.frame.reset_index(drop=True)
        kind = next((c.kind for c in table.columns if c.name == fig.values[0]), "number")
        values = pd.to_numeric(frame[fig.values[0]], errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan
        )
        hidden = table.hidden.get(fig.values[0])
        if hidden is not None:
            values = np.where(np.asarray(hidden, dtype=object) == "", values, np.nan)
        if kind == "money":
            values = values / KURUS_PER_LIRA
        labels = frame[fig.category].astype("str").tolist()
        if fig.kind == "map":
            svg = map_svg(
                dict(zip(labels, values, strict=True)),
                lang=self.lang,
                kind=kind,
                centre=fig.reference,
                legend=fig.value_title or "",
                prefix=f"f-{fig.table}",
            )
        else:
            flags = (table.flags or {}).get(fig.values[0])
            highlight = None if flags is None else [str(f) == "under" for f in pd.Series(flags).tolist()]
            svg = bar_svg(
                labels,
                values,
                lang=self.lang,
                kind=kind,
                reference=fig.reference,
                reference_label=fig.reference_label,
                highlight=highlight,
                prefix=f"f-{fig.table}",
            )
        alt = fig.alt or fig.title or ""
        out = [f'<figure aria-labelledby="c-{_e(fig.table)}" aria-describedby="t-{_e(fig.table)}">']
        out.append(f'<div role="img" aria-label="{_e(alt)}">{svg}</div>')
        caption = _e(fig.title or "")
        if fig.source:
            caption += f'<br><span class="source">{_e(fig.source)}</span>'
        out.append(f'<figcaption id="c-{_e(fig.table)}">{caption}</figcaption>')
        out.append("</figure>")
        return out


def label(code: str, lang: str) -> str:
    """A category code's label in any catalogue language (``label.<code>``), else the canonical one."""
    key = f"label.{code}"
    if i18n.known(key):
        return i18n.t(key, lang)
    return C.label(code, lang if lang in ("tr", "en") else "en")
