"""Native Excel charts drawn from written tables (:class:`~gcdb.report.sheet.TableRef`).

Charts reference the table's cells, so they follow edits in Excel. Every helper returns an xlsxwriter chart;
put it on a sheet with :func:`place_chart`. Titles and axis titles are in the report language.

Reference lines. A horizontal bar chart cannot carry a line series in a way both Excel and LibreOffice draw
(Excel's bar + scatter trick is dropped by LibreOffice), so :func:`rate_chart` draws the reference as the
category axis itself: the axis crosses the value axis at the reference value and is drawn as a red line, and the
bars grow from it — left for groups below the reference, right for groups above. Both programs render this the
same way, and the gap to the reference is what the reader sees first.

Suppressed cells hold text (``<5``), which Excel would plot as zero. When a charted column has suppressed cells,
the chart reads a copy of it on a hidden sheet (:meth:`ReportWorkbook.chart_values`) where each cell is
``=IF(ISNUMBER(cell),cell,NA())``: hidden and blank cells become ``#N/A``, which Excel and LibreOffice leave out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from gcdb.errors import UsageError
from gcdb.report import i18n
from gcdb.report.sheet import Formula, TableRef
from gcdb.report.style import AXIS_FORMATS, CHART_COLOURS, REFERENCE_COLOUR, num_format

DEFAULT_SIZE: Final = (720, 360)  # pixels
BAR_HEIGHT: Final = 22  # pixels per category in horizontal bar charts
_DECIMALS: Final = {"count": 0, "money": 2, "percent": 1, "rate": 2, "ratio": 2, "number": 2, "year": 0}
_GRID: Final = {"visible": True, "line": {"color": "#D9D9D9", "width": 0.75}}
_FONT: Final = {"name": "Calibri", "size": 9}


def _add_chart(book: Any, options: dict) -> Any:
    add = getattr(book, "add_chart", None)
    if add is None:
        raise UsageError("charts need a ReportWorkbook or an xlsxwriter Workbook")
    return add(options)


def _check(ref: TableRef, category: str, values: Sequence[str]) -> None:
    if ref.n_rows <= 0:
        raise UsageError(f"the table on sheet {ref.sheet!r} has no rows to chart")
    ref.letter(category)
    for name in values:
        ref.letter(name)
        if ref.kinds[name] not in AXIS_FORMATS or ref.kinds[name] == "date":
            raise UsageError(f"column {name!r} of kind {ref.kinds[name]!r} cannot be charted as values")


def _title(text: str | None) -> dict:
    if not text:
        return {"none": True}
    return {"name": text, "name_font": {"name": "Calibri", "size": 12, "bold": True}, "overlay": False}


def _axis_title(text: str | None) -> dict:
    return {"name": text, "name_font": {"name": "Calibri", "size": 9, "bold": False}} if text else {}


def _values(book: Any, ref: TableRef, name: str) -> list:
    if not ref.hidden.get(name):
        return ref.chart_range(name)
    chart_values = getattr(book, "chart_values", None)
    if chart_values is None:
        raise UsageError(
            f"column {name!r} on sheet {ref.sheet!r} has suppressed cells, which Excel would plot as zero; "
            "chart it through a ReportWorkbook (it plots them as gaps)"
        )
    return chart_values(ref, name)


def _series(book: Any, ref: TableRef, category: str, value: str, colour: str, **extra: Any) -> dict:
    return {
        "name": ref.header_ref(value),
        "categories": ref.chart_range(category),
        "values": _values(book, ref, value),
        "fill": {"color": colour},
        "border": {"none": True},
        **extra,
    }


def _data_labels(kind: str, lang: str | None = None) -> dict:
    return {"value": True, "num_format": num_format(kind, lang), "font": _FONT}


def _size(chart: Any, width: int, height: int) -> Any:
    chart.set_size({"width": width, "height": height})
    chart.set_chartarea({"border": {"none": True}})
    return chart


def reference_value(reference: float | Formula | None) -> float | None:
    """The number a reference line is drawn at (a :class:`Formula` gives its cached value)."""
    if reference is None:
        return None
    value = reference.value if isinstance(reference, Formula) else reference
    try:
        return float(value)
    except (TypeError, ValueError):
        raise UsageError(f"a reference line needs a number, got {value!r}") from None


def rate_chart(
    book: Any,
    ref: TableRef,
    *,
    category: str,
    value: str,
    reference: float | Formula | None = None,
    lang: str = "tr",
    title: str | None = None,
    value_title: str | None = None,
    category_title: str | None = None,
    reference_label: str | None = None,
    data_labels: bool = True,
    width: int | None = None,
) -> Any:
    """Horizontal bars of ``value`` (a rate, ratio or percentage) by ``category``, first table row on top.

    With a ``reference`` (the overall rate, or 1 for a rate ratio) the category axis is drawn in red at the
    reference value and the bars grow from it; the value axis title says ``Red line: Overall = 34.5``.
    """
    _check(ref, category, [value])
    kind = ref.kinds[value]
    at = reference_value(reference)
    chart = _add_chart(book, {"type": "bar"})
    chart.add_series(
        _series(
            book,
            ref,
            category,
            value,
            CHART_COLOURS[0],
            gap=60,
            **({"data_labels": _data_labels(kind, lang)} if data_labels else {}),
        )
    )
    axis_name = value_title
    if at is not None:
        label = reference_label or i18n.t("chart.reference", lang)
        shown = i18n.format_number(at, _DECIMALS.get(kind, 2), lang, percent=kind == "percent")
        note = i18n.t("chart.reference_line", lang, label=label, value=shown)
        axis_name = f"{value_title} — {note}" if value_title else note
    value_axis: dict[str, Any] = {
        "num_format": num_format(kind, lang, axis=True),
        "major_gridlines": _GRID,
        "num_font": _FONT,
        **_axis_title(axis_name),
    }
    category_axis: dict[str, Any] = {
        "reverse": True,  # first table row at the top …
        "crossing": "max",  # … and the value axis stays at the bottom
        "num_font": _FONT,
        "major_tick_mark": "none",
        "label_position": "low",  # labels stay at the left edge even when the axis crosses mid-chart
        **_axis_title(category_title),
    }
    if at is not None:
        value_axis["crossing"] = at
        category_axis["line"] = {"color": REFERENCE_COLOUR, "width": 2}
    chart.set_x_axis(value_axis)  # bar charts: x is the horizontal value axis
    chart.set_y_axis(category_axis)
    chart.set_title(_title(title))
    chart.set_legend({"none": True})
    height = max(DEFAULT_SIZE[1], 90 + BAR_HEIGHT * ref.n_rows)
    return _size(chart, width or DEFAULT_SIZE[0], height)


def ranking_chart(
    book: Any,
    ref: TableRef,
    *,
    category: str,
    value: str,
    lang: str = "tr",
    title: str | None = None,
    value_title: str | None = None,
    data_labels: bool = True,
    width: int | None = None,
) -> Any:
    """District (or any) ranking: horizontal bars from zero in table order, first row on top.

    Sort the table first; the chart grows with the number of rows so every label stays readable.
    """
    _check(ref, category, [value])
    kind = ref.kinds[value]
    chart = _add_chart(book, {"type": "bar"})
    chart.add_series(
        _series(
            book,
            ref,
            category,
            value,
            CHART_COLOURS[0],
            gap=40,
            **({"data_labels": _data_labels(kind, lang)} if data_labels else {}),
        )
    )
    chart.set_x_axis(
        {
            "num_format": num_format(kind, lang, axis=True),
            "major_gridlines": _GRID,
            "num_font": _FONT,
            **_axis_title(value_title),
        }
    )
    chart.set_y_axis({"reverse": True, "crossing": "max", "num_font": _FONT, "major_tick_mark": "none"})
    chart.set_title(_title(title if title is not None else i18n.t("chart.district_ranking", lang)))
    chart.set_legend({"none": True})
    height = max(DEFAULT_SIZE[1], 90 + BAR_HEIGHT * ref.n_rows)
    return _size(chart, width or DEFAULT_SIZE[0], height)


def share_chart(
    book: Any,
    ref: TableRef,
    *,
    category: str,
    values: Sequence[str],
    lang: str = "tr",
    mode: str = "clustered",
    title: str | None = None,
    value_title: str | None = None,
    category_title: str | None = None,
    width: int | None = None,
    height: int | None = None,
) -> Any:
    """Columns of one or more ``values`` (e.g. the three budget phases, or amounts per scheme category) by
    ``category`` (e.g. priority area): ``mode`` ``"clustered"``, ``"stacked"`` or ``"percent"`` (100 % stacked,
    each column shows the shares of its parts)."""
    if not values:
        raise UsageError("share_chart needs at least one value column")
    subtypes = {"clustered": None, "stacked": "stacked", "percent": "percent_stacked"}
    if mode not in subtypes:
        raise UsageError(f"mode must be one of {', '.join(subtypes)}, got {mode!r}")
    _check(ref, category, values)
    kinds = {ref.kinds[v] for v in values}
    if len(kinds) > 1:
        raise UsageError(f"share_chart values must share one kind, got {sorted(kinds)}")
    kind = kinds.pop()
    options: dict[str, Any] = {"type": "column"}
    if subtypes[mode]:
        options["subtype"] = subtypes[mode]
    chart = _add_chart(book, options)
    for i, name in enumerate(values):
        extra: dict[str, Any] = {"gap": 80}
        if mode != "clustered":
            extra["overlap"] = 100
        chart.add_series(_series(book, ref, category, name, CHART_COLOURS[i % len(CHART_COLOURS)], **extra))
    default_title = i18n.t(
        "chart.budget_share_by_area" if mode == "percent" else "chart.budget_by_area", lang
    )
    axis_format = num_format("percent" if mode == "percent" else kind, lang, axis=True)
    if value_title is None:
        value_title = (
            i18n.t("chart.share" if mode == "percent" else "chart.amount", lang) if kind == "money" else None
        )
    chart.set_y_axis(
        {"num_format": axis_format, "major_gridlines": _GRID, "num_font": _FONT, **_axis_title(value_title)}
    )
    chart.set_x_axis({"num_font": _FONT, "major_tick_mark": "none", **_axis_title(category_title)})
    chart.set_title(_title(title if title is not None else default_title))
    chart.set_legend({"position": "bottom", "font": _FONT} if len(values) > 1 else {"none": True})
    return _size(chart, width or DEFAULT_SIZE[0], height or DEFAULT_SIZE[1])


def execution_chart(
    book: Any,
    ref: TableRef,
    *,
    category: str,
    value: str,
    lang: str = "tr",
    title: str | None = None,
    reference: float | Formula | None = None,
    reference_label: str | None = None,
    width: int | None = None,
) -> Any:
    """Execution rate (expenditure ÷ revised appropriation, a ``percent`` column) by department, as horizontal
    bars; with a ``reference`` (e.g. the municipality's overall rate) drawn like :func:`rate_chart`'s."""
    if ref.kinds.get(value) != "percent":
        raise UsageError(f"execution_chart expects a percent column, {value!r} is {ref.kinds.get(value)!r}")
    if reference is None:
        return ranking_chart(
            book,
            ref,
            category=category,
            value=value,
            lang=lang,
            title=title if title is not None else i18n.t("chart.execution_by_department", lang),
            width=width,
        )
    return rate_chart(
        book,
        ref,
        category=category,
        value=value,
        reference=reference,
        lang=lang,
        title=title if title is not None else i18n.t("chart.execution_by_department", lang),
        reference_label=reference_label,
        width=width,
    )


def place_chart(ws: Any, chart: Any, row: int, col: int) -> None:
    """Insert ``chart`` with its top-left corner at cell (``row``, ``col``), at its own size; it moves with the cells but keeps its size."""
    ws.insert_chart(row, col, chart, {"object_position": 2})
