"""The timeline figure: dated events on one line per instrument, a marker per kind of event."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from lexgraph.render.figures.canvas import add_caption, label_ticks, new_figure
from lexgraph.views.timeline import Timeline

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Fill = Literal["full", "none"]
_MARKERS: dict[str, tuple[str, Fill]] = {
    "signature": ("o", "none"),
    "consent": ("o", "full"),
    "adopted": ("s", "none"),
    "opened for signature": ("^", "none"),
    "in force": ("s", "full"),
    "denunciation": ("x", "full"),
    "withdrawal": ("x", "full"),
}
_OTHER_MARKER: tuple[str, Fill] = ("D", "full")


def _year(day: dt.date) -> float:
    """A date as a fractional year, the timeline's x axis."""
    start = dt.date(day.year, 1, 1)
    return day.year + (day - start).days / (dt.date(day.year + 1, 1, 1) - start).days


def timeline_figure(timeline: Timeline) -> Figure:
    """Dated events on one line per row (an instrument), a marker per kind of event."""
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    rows = list(timeline.rows)
    width, left, grid_h = 10.0, 3.7, 0.24 * max(len(rows), 1)
    below = 0.75 + 0.13 * (len(timeline.notes) + 2)
    height = 0.45 + grid_h + below
    fig = new_figure(width, height)
    ax = fig.add_axes((left / width, below / height, (width - left - 0.2) / width, grid_h / height))
    ax.set_title(timeline.title, fontsize=9, loc="left", parse_math=False)
    index = {r.iri: i for i, r in enumerate(rows)}
    kinds = sorted({e.kind for e in timeline.events})
    spans: dict[str, list[float]] = {}
    for e in timeline.events:
        spans.setdefault(e.row, []).append(_year(e.date))
    for row, years in sorted(spans.items()):
        if len(years) > 1:
            ax.plot([min(years), max(years)], [index[row]] * 2, color="#c8c8c8", lw=1, zorder=0)
    handles = []
    for kind in kinds:
        marker, fill = _MARKERS.get(kind, _OTHER_MARKER)
        colour = "#1f5fa8" if kind in ("consent", "in force") else "#444444"
        events = [e for e in timeline.events if e.kind == kind]
        ax.plot(
            [_year(e.date) for e in events],
            [index[e.row] for e in events],
            linestyle="",
            marker=marker,
            fillstyle=fill,
            markersize=5,
            color=colour,
        )
        handles.append(
            Line2D([], [], linestyle="", marker=marker, fillstyle=fill, color=colour, label=kind)
        )
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r.short or r.label for r in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=10, integer=True))
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", color="#eeeeee")
    label_ticks(ax)
    if kinds:
        fig.legend(
            handles=handles,
            fontsize=7,
            loc="upper left",
            bbox_to_anchor=(left / width, (below - 0.3) / height),
            ncols=len(kinds),
            frameon=False,
        )
    else:
        ax.text(0.5, 0.5, "no dated event in the graph", transform=ax.transAxes, ha="center")
    add_caption(fig, timeline.caption, timeline.notes)
    return fig
