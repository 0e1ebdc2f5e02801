"""Figures for the web reports as inline SVG, drawn with matplotlib: bar charts and a choropleth map of districts.

Why matplotlib: it is the best-kept plotting library of the Python ecosystem, renders without a network or a
browser, and writes SVG — static, sharp in print, searchable, no JavaScript. Text is written as SVG ``<text>``
(``svg.fonttype = none``), so the browser shapes it: Arabic labels join and run right to left as they should, and
the page's fonts apply. Output is deterministic (fixed ids, no date), so identical inputs give identical pages.

Numbers on axes are in the report language's format (:mod:`gcdb.i18n`); in a right-to-left language horizontal
bars grow leftwards with their labels on the right, mirroring the page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Final, Protocol

import numpy as np

from gcdb import i18n

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

#: Colours (checked for contrast in the tests): ink, muted ink, bars, highlighted bars, the reference line.
INK: Final = "#1a1a1a"
MUTED: Final = "#4d4d4d"
BAR: Final = "#1f4e8c"
BAR_UNDER: Final = "#b3261e"
REFERENCE: Final = "#b3261e"
MISSING: Final = "#d9d9d9"
#: Diverging palette of the map (colour-blind friendly PuOr: orange below the centre, purple above).
MAP_COLOURS: Final = "PuOr"
FONT: Final = ("DejaVu Sans", "Noto Sans", "Noto Sans Arabic", "Arial", "sans-serif")
_WIDTH_IN: Final = 6.4


def _rc() -> dict[RcKeyType, Any]:
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": "gcdb",
        "font.family": "sans-serif",
        "font.sans-serif": list(FONT),
        "font.size": 11,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "text.color": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def _svg(fig: Any, prefix: str = "") -> str:
    """The figure as an inline ``<svg>`` element that scales with its container; its element ids start with
    ``prefix`` so that several figures on one page never share an id."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(
        r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r'<svg\1 class="chart" focusable="false"', text, count=1
    )
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    if prefix:
        text = re.sub(r'\bid="', f'id="{prefix}-', text)
        text = text.replace("url(#", f"url(#{prefix}-").replace('href="#', f'href="#{prefix}-')
    return text.strip()


class _Format(Protocol):
    """A tick formatter (matplotlib passes the tick position too), also called with the value alone."""

    def __call__(self, value: float, _pos: Any = None) -> str: ...


def _formatter(kind: str, lang: str) -> _Format:
    decimals = {"percent": 0, "ratio": 2, "rate": 0, "money": 0, "count": 0}.get(kind, 1)

    def fmt(value: float, _pos: Any = None) -> str:
        if kind == "percent":
            return i18n.format_percent(value, decimals, lang)
        if kind == "money":
            return i18n.format_compact_money(int(round(value * 100)), lang)
        return i18n.format_number(value, decimals, lang)

    return fmt


def bar_svg(
    labels: Sequence[str],
    values: Sequence[float | None] | np.ndarray,
    *,
    lang: str,
    kind: str = "number",
    reference: float | None = None,
    reference_label: str | None = None,
    highlight: Sequence[bool] | None = None,
    value_labels: bool = True,
    prefix: str = "",
) -> str:
    """Horizontal bars (first item on top), from zero; an optional reference line (e.g. parity 1 or the city-wide
    rate) labelled in the language; ``highlight`` bars drawn in the warning colour. Money values are in lira."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    vals = np.asarray([np.nan if v is None else float(v) for v in values], dtype=np.float64)
    n = len(vals)
    rtl = i18n.direction(lang) == "rtl"
    fmt = _formatter(kind, lang)
    with rc_context(_rc()):
        fig = Figure(figsize=(_WIDTH_IN, 0.9 + 0.34 * max(n, 1)))
        ax = fig.add_subplot()
        y = np.arange(n)
        colours = [BAR_UNDER if (highlight is not None and highlight[i]) else BAR for i in range(n)]
        shown = np.where(np.isfinite(vals), vals, 0.0)
        ax.barh(y, shown, color=colours, height=0.62)
        ax.set_yticks(y, labels=[str(x) for x in labels])
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(FuncFormatter(fmt))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3 if kind == "money" else 5))
        ax.tick_params(axis="y", length=0)
        top = np.nanmax(np.append(vals[np.isfinite(vals)], [reference or 0.0, 0.0]))
        ax.set_xlim(0, top * 1.18 if top > 0 else 1)
        if reference is not None:
            ax.axvline(reference, color=REFERENCE, linewidth=1.6)
            if reference_label:
                ax.text(
                    reference,
                    -0.75,
                    f" {reference_label} ",
                    color=REFERENCE,
                    fontsize=9,
                    ha="right" if rtl else "left",
                    va="bottom",
                )
        if value_labels:
            for i, v in enumerate(vals):
                text = fmt(v) if np.isfinite(v) else "–"
                ax.text(
                    shown[i],
                    i,
                    f" {text} ",
                    va="center",
                    ha="right" if rtl else "left",
                    fontsize=10,
                    color=INK,
                )
        if rtl:
            ax.invert_xaxis()
            ax.yaxis.tick_right()
            ax.spines["left"].set_visible(False)
            ax.spines["right"].set_visible(True)
        ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
        ax.set_axisbelow(True)
        return _svg(fig, prefix)


@cache
def _districts() -> tuple[tuple[str, tuple], ...]:
    """(folded name, polygons) of the shipped district map: every polygon as an array of (lon, lat) rings."""
    import json

    from gcdb import paths

    data = json.loads(
        (paths.datasets() / "reference" / "istanbul_districts.geojson").read_text(encoding="utf-8")
    )
    out = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        rings = tuple(np.asarray(ring, dtype=np.float64) for polygon in polygons for ring in polygon[:1])
        out.append((map_key(feature["properties"]["name_tr"]), rings))
    return tuple(out)


def map_key(name: str) -> str:
    """District names compared as the map and the data write them differently (``Gazi Osmanpaşa``,
    ``Gaziosmanpaşa``): Turkish-folded, spaces and punctuation removed."""
    from gcdb.text import fold

    return re.sub(r"[^a-z0-9]", "", fold(str(name)))


def map_districts() -> list[str]:
    """The folded names of the districts the shipped map draws."""
    return [name for name, _ in _districts()]


def map_svg(
    values: Mapping[str, float],
    *,
    lang: str,
    kind: str = "ratio",
    centre: float | None = 1.0,
    legend: str = "",
    prefix: str = "",
) -> str:
    """A choropleth of İstanbul's districts: ``values`` by district name (any spelling), coloured on a diverging
    scale around ``centre`` (or a sequential one without it); districts without a value in light grey."""
    from matplotlib import colormaps, rc_context
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import Normalize, TwoSlopeNorm
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    by_key = {map_key(k): float(v) for k, v in values.items() if v is not None and np.isfinite(float(v))}
    shapes, colours_of = [], []
    for key, rings in _districts():
        for ring in rings:
            shapes.append(ring)
            colours_of.append(by_key.get(key, np.nan))
    data = np.asarray(colours_of, dtype=np.float64)
    finite = data[np.isfinite(data)]
    low, high = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    norm: Normalize
    if centre is not None:
        span = max(abs(high - centre), abs(centre - low), 1e-9)
        norm = TwoSlopeNorm(vcenter=centre, vmin=centre - span, vmax=centre + span)
        cmap = colormaps[MAP_COLOURS]
    else:
        norm = Normalize(vmin=low, vmax=high if high > low else low + 1)
        cmap = colormaps["Blues"]
    faces = [MISSING if not np.isfinite(v) else cmap(norm(v)) for v in data]
    lat = np.mean([ring[:, 1].mean() for ring in shapes]) if shapes else 41.0
    with rc_context(_rc()):
        fig = Figure(figsize=(_WIDTH_IN, 4.2))
        ax = fig.add_subplot()
        ax.add_collection(PolyCollection(shapes, facecolors=faces, edgecolors="#ffffff", linewidths=0.5))
        ax.autoscale_view()
        ax.set_aspect(1 / np.cos(np.radians(lat)))
        ax.set_axis_off()
        mappable = fig.colorbar(
            ScalarMappable(norm=norm, cmap=cmap),
            ax=ax,
            orientation="horizontal",
            fraction=0.05,
            pad=0.02,
            shrink=0.6,
        )
        mappable.ax.xaxis.set_major_formatter(FuncFormatter(_formatter(kind, lang)))
        if legend:
            mappable.set_label(legend, fontsize=9)
        return _svg(fig, prefix)
