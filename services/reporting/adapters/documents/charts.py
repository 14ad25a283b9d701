"""The report's charts as PNG images, drawn by matplotlib. matplotlib shapes Arabic text
itself (joined letters, right-to-left runs): no reshaping library goes on top of it.

Figures are made with the object API (no pyplot), so drawing needs no global state and can
run in a worker thread."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from services.reporting.domain.words import kind_label, word
from shared.catalogue import Catalogue

BLUE, ORANGE, GREY = "#0b5394", "#e69138", "#9ca3af"
DPI = 150


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    # No Software/date metadata: the same figures give the same bytes.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def kinds_chart(figures: Mapping[str, Any], *, language: str, catalogue: Catalogue, font: Path) -> bytes:
    return _png(kinds_figure(figures, language=language, catalogue=catalogue, font=font))


def trend_chart(trend: Sequence[Mapping[str, Any]], *, language: str, font: Path) -> bytes:
    return _png(trend_figure(trend, language=language, font=font))


def kinds_figure(figures: Mapping[str, Any], *, language: str, catalogue: Catalogue, font: Path) -> Figure:
    """Received, decided and pending per kind, as horizontal bars (labels on the reading side)."""
    text = FontProperties(fname=font, size=9)
    rows = [line for line in figures["kinds"] if line["kind"] != "other"]
    labels = [kind_label(catalogue, line["kind"], language) for line in rows]
    series = (("received", BLUE), ("decided", ORANGE), ("pending", GREY))
    figure = Figure(figsize=(7.2, 0.55 * len(rows) + 1.4), layout="constrained")
    axes = figure.add_subplot()
    height = 0.26
    for offset, (column, colour) in enumerate(series):
        positions = [n + (offset - 1) * height for n in range(len(rows))]
        axes.barh(positions, [line[column] for line in rows], height=height, color=colour,
                  label=word(column, language))
    axes.set_yticks(range(len(rows)), labels, fontproperties=text)
    axes.invert_yaxis()  # the catalogue's first kind on top
    axes.set_xlim(_from_zero(max((line[c] for line in rows for c, _ in series), default=0)))
    _reading_side(axes, language)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.legend(prop=text, loc="lower right" if language == "fr" else "lower left", frameon=False)
    axes.set_title(word("kinds", language), fontproperties=FontProperties(fname=font, size=11))
    return figure


def trend_figure(trend: Sequence[Mapping[str, Any]], *, language: str, font: Path) -> Figure:
    """Received vs decided per day over the last 30 days."""
    text = FontProperties(fname=font, size=9)
    dates = [f"{point['date'][8:10]}/{point['date'][5:7]}" for point in trend]
    figure = Figure(figsize=(7.2, 2.8), layout="constrained")
    axes = figure.add_subplot()
    for column, colour in (("received", BLUE), ("decided", ORANGE)):
        axes.plot(range(len(trend)), [point[column] for point in trend], color=colour, marker="o", markersize=2.5,
                  linewidth=1.6, label=word(column, language))
    step = max(1, len(trend) // 10)
    axes.set_xticks(range(0, len(trend), step), dates[::step], fontproperties=text)
    if language == "ar":
        axes.invert_xaxis()  # time runs right to left, as the text does
        axes.yaxis.tick_right()
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_ylim(_from_zero(max((point[c] for point in trend for c in ("received", "decided")), default=0)))
    axes.grid(axis="y", color="#e5e7eb")
    axes.legend(prop=text, frameon=False)
    axes.set_title(word("trend", language), fontproperties=FontProperties(fname=font, size=11))
    return figure


def _from_zero(highest: int) -> tuple[float, float]:
    """Counts start at zero; a day (or month) of none still shows a 0 to 1 axis, not matplotlib's
    −0.04 to 0.04 around an empty range."""
    return (0, highest * 1.05 if highest else 1)


def _reading_side(axes, language: str) -> None:
    if language == "ar":
        axes.invert_xaxis()
        axes.yaxis.tick_right()
