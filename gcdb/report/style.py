"""The one module that owns xlsxwriter formats: a single consistent look for every gcdb workbook.

Cell *kinds* say what a value is; :class:`Styles` turns a kind (plus variants: total row, under/over flag,
suppressed) into an xlsxwriter ``Format``, created once per workbook and cached.

Kinds and what a table cell holds for each:

==========  =====================================================  ===============================
kind        value in the DataFrame                                  shown as (xlsx number format)
==========  =====================================================  ===============================
text        any text (written as a string, quote-prefixed)          text
code        a code such as ``46.34.01.16`` (string, monospace)      text
label       a canonical code (``female``), shown by its label        ``Kadın`` / ``Female``
flag        ``"under"`` / ``"over"`` / missing                       label on a red / amber fill
count       integer count                                           ``#,##0``
money       integer **kuruş**; the cell holds lira (kuruş / 100)    ``#,##0.00 "₺"``
percent     a fraction (0.123 = 12.3 %)                             ``%0.0`` (tr), ``0.0%`` (en)
rate        a rate per 1,000 (two decimals: rare services)          ``0.00``
ratio       a ratio (rate ratio, representation index)              ``0.00``
number      any other number                                        ``#,##0.00``
year        a year                                                  ``0``
date        a date/datetime                                         ``yyyy-mm-dd``
==========  =====================================================  ===============================

xlsx number formats are locale-neutral: ``#,##0.00`` is shown as ``1.234,56`` by a Turkish Excel. Only the place
of the percent sign is the language's: Turkish writes ``%12,3`` (format ``%0.0``), English ``12.3%``.
"""

from __future__ import annotations

from typing import Any, Final

from gcdb.errors import UsageError

TEXT_KINDS: Final = ("text", "code", "label", "flag")
NUMERIC_KINDS: Final = ("count", "money", "percent", "rate", "ratio", "number", "year", "date")
KINDS: Final = TEXT_KINDS + NUMERIC_KINDS
#: Kinds a ``total_row=True`` sums; the others (rates, shares, years …) are not additive.
SUMMABLE_KINDS: Final = ("count", "money", "number")

NUM_FORMATS: Final[dict[str, str]] = {
    "count": "#,##0",
    "money": '#,##0.00 "₺"',
    "percent": "0.0%",
    "rate": "0.00",
    "ratio": "0.00",
    "number": "#,##0.00",
    "year": "0",
    "date": "yyyy-mm-dd",
}
#: Number formats for chart axes (no decimals on money: axes show whole lira).
AXIS_FORMATS: Final[dict[str, str]] = {**NUM_FORMATS, "money": '#,##0 "₺"', "percent": "0%"}
#: Percent formats of Turkish reports: the sign goes before the number (``%12,3``).
TR_PERCENT: Final = {"cell": "%0.0", "axis": "%0"}


def num_format(kind: str, lang: str | None = None, *, axis: bool = False) -> str:
    """The xlsx number format of ``kind`` in a report of ``lang`` (``None``: the language-neutral default)."""
    if kind == "percent" and lang == "tr":
        return TR_PERCENT["axis" if axis else "cell"]
    return (AXIS_FORMATS if axis else NUM_FORMATS)[kind]


FLAGS: Final = ("under", "over")

# palette
INK: Final = "#1F3864"  # titles
GREY: Final = "#7F7F7F"  # notes, suppressed cells
HEADER_FILL: Final = "#DDEBF7"
HEADER_BORDER: Final = "#9BC2E6"
CELL_BORDER: Final = "#D9D9D9"
TOTAL_BORDER: Final = "#404040"
UNDER_FILL, UNDER_FONT = "#FFC7CE", "#9C0006"
OVER_FILL, OVER_FONT = "#FFEB9C", "#9C5700"
OK_FILL, OK_FONT = "#C6EFCE", "#006100"
MONO_FONT: Final = "Consolas"

#: Series colours for charts, in order (colour-blind friendly: blue, orange, grey, gold, teal, red).
CHART_COLOURS: Final = ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#2E9A9A", "#C00000")
REFERENCE_COLOUR: Final = "#C00000"

_ROLES: Final[dict[str, dict[str, Any]]] = {
    "title": {"bold": True, "font_size": 14, "font_color": INK},
    "subtitle": {"italic": True, "font_size": 11, "font_color": INK},
    "note": {"font_size": 9, "font_color": GREY, "quote_prefix": True},
    "header": {
        "bold": True,
        "bg_color": HEADER_FILL,
        "text_wrap": True,
        "border": 1,
        "border_color": HEADER_BORDER,
        "align": "center",
        "valign": "vcenter",
        "quote_prefix": True,
    },
    "kv_label": {"bold": True, "valign": "top", "quote_prefix": True},
    "check_ok": {"bold": True, "align": "center", "bg_color": OK_FILL, "font_color": OK_FONT},
    "check_bad": {"bold": True, "align": "center", "bg_color": UNDER_FILL, "font_color": UNDER_FONT},
}


def cell_properties(
    kind: str,
    *,
    total: bool = False,
    flag: str | None = None,
    suppressed: bool = False,
    boxed: bool = True,
    align: str | None = None,
    lang: str | None = None,
) -> dict[str, Any]:
    """xlsxwriter format properties of a data cell (pure: used by :class:`Styles` and by tests).

    ``suppressed`` cells hold a marker string such as ``<5``: grey and right-aligned whatever the kind.
    ``boxed`` table cells get light grey borders (tables stay readable in print, where gridlines are off);
    key-value blocks use ``boxed=False, align="left"``.
    """
    if kind not in KINDS:
        raise UsageError(f"unknown cell kind {kind!r}; expected one of {', '.join(KINDS)}")
    props: dict[str, Any] = {"valign": "top"}
    if boxed:
        props.update(border=1, border_color=CELL_BORDER)
    if kind in TEXT_KINDS:
        props["quote_prefix"] = True
        if kind == "code":
            props["font_name"] = MONO_FONT
    else:
        props["num_format"] = num_format(kind, lang)
    if suppressed:
        props.update(quote_prefix=True, align="right", font_color=GREY)
        props.pop("num_format", None)
    if flag is not None:
        if flag not in FLAGS:
            raise UsageError(f"unknown flag {flag!r}; expected one of {', '.join(FLAGS)}")
        fill, font = (UNDER_FILL, UNDER_FONT) if flag == "under" else (OVER_FILL, OVER_FONT)
        props.update(bg_color=fill, font_color=font)
    if total:
        props.update(bold=True, top=1, top_color=TOTAL_BORDER)
    if align is not None:
        props["align"] = align
    return props


class Styles:
    """The formats of one workbook. Every distinct format is created once (cached by its properties)."""

    def __init__(self, workbook: Any, lang: str | None = None):
        self.workbook = workbook
        self.lang = lang  # the report language: where the percent sign goes (see :func:`num_format`)
        self._cache: dict[tuple, Any] = {}

    def _format(self, props: dict[str, Any], *, dxf: bool = False) -> Any:
        key = (dxf, *sorted(props.items()))
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self.workbook.add_format(dict(props))
            self._cache[key] = fmt
        return fmt

    def role(self, name: str) -> Any:
        """Format of a non-data role: ``title``, ``subtitle``, ``note``, ``header``, ``kv_label``,
        ``check_ok``, ``check_bad``."""
        try:
            return self._format(_ROLES[name])
        except KeyError:
            raise UsageError(f"unknown style role {name!r}; expected one of {', '.join(_ROLES)}") from None

    def cell(
        self,
        kind: str,
        *,
        total: bool = False,
        flag: str | None = None,
        suppressed: bool = False,
        boxed: bool = True,
        align: str | None = None,
    ) -> Any:
        """Format of a data cell of ``kind`` (see :func:`cell_properties`)."""
        props = cell_properties(
            kind, total=total, flag=flag, suppressed=suppressed, boxed=boxed, align=align, lang=self.lang
        )
        return self._format(props)

    def conditional(self, name: str) -> Any:
        """A differential format for conditional formatting (fill and font colour of a role)."""
        props = {k: v for k, v in _ROLES[name].items() if k in ("bg_color", "font_color", "bold")}
        return self._format(props, dxf=True)

    @property
    def n_formats(self) -> int:
        """How many distinct formats this workbook holds."""
        return len(self._cache)
