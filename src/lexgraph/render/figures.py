"""Static figures for briefs: a network drawing, a matrix heatmap and a timeline.

Each figure is a matplotlib :class:`~matplotlib.figure.Figure` built without pyplot (so no
GUI backend and no global figure state), with its caption, the line that cites the dataset,
along the bottom. :func:`save_figure` writes SVG, PNG or PDF deterministically: the SVG ids
are salted with a constant and no creation date is written.

Labels are placed by a greedy search: each label tries positions around its node, nearest
first, and takes the first where its rendered box overlaps no other label, no other node and
stays inside the drawing; when some label finds no place, the drawing is enlarged and laid
out again. Texts from the data are drawn with ``parse_math=False``, so a ``$`` in a label is
a dollar sign, not the start of a formula.

matplotlib is imported inside the functions, so that ``import lexgraph`` and the CLI's other
commands do not pay for it.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from lexgraph.core.errors import InputError
from lexgraph.views.context import short_name
from lexgraph.views.matrix import Matrix
from lexgraph.views.subgraph import Node, Subgraph, degree
from lexgraph.views.timeline import Timeline

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox

FIGURE_FORMATS = ("svg", "png", "pdf")
#: Node colours by view kind (colour-blind safe where it matters: the common kinds differ in
#: lightness as well as hue).
KIND_COLOURS = {
    "instrument": "#1f5fa8",
    "soft-law": "#8c6bb1",
    "provision": "#9e9e9e",
    "crime": "#c0392b",
    "modality": "#2e8b57",
    "state": "#e69f00",
    "body": "#8c564b",
    "sdg-target": "#17a2b8",
    "other": "#bcbd22",
}
KIND_NAMES = {
    "instrument": "instrument",
    "soft-law": "soft law",
    "provision": "article",
    "crime": "crime type",
    "modality": "modality",
    "state": "state",
    "body": "body",
    "sdg-target": "SDG goal, target or indicator",
    "other": "other",
}
STATUS_COLOURS = {
    "bound": "#1a9850",
    "consented": "#a6d96a",
    "signed": "#fee08b",
    "not a party": "#d73027",
    "denounced": "#f46d43",
    "unknown": "#e0e0e0",
}
LABEL_SIZE = 7.0


def _wrap(text: str, width: int = 22, lines: int = 2) -> str:
    parts = textwrap.wrap(" ".join(text.split()), width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def node_label(node: Node) -> str:
    """The short label a drawing shows: a long instrument title gives way to its key."""
    if node.kind == "sdg-target":
        return "SDG " + node.iri.rsplit("/", 1)[-1]
    label = node.label
    if node.kind in ("instrument", "soft-law") and len(label) > 32:
        label = dict(node.facts).get("key") or node.key.rsplit("/", 1)[-1]
    return _wrap(label)


def _caption(fig: Figure, caption: str, notes: Sequence[str] = ()) -> None:
    width = max(60, int(fig.get_figwidth() * 17))
    text = "\n".join(textwrap.fill(t, width) for t in (*notes, caption) if t)
    fig.text(
        0.01, 0.01, text, fontsize=6.5, va="bottom", ha="left", parse_math=False, gid="caption"
    )


def _new_figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


# ---------------------------------------------------------------------------------------------
# Network


def _layout(subgraph: Subgraph, seed: int) -> dict[str, tuple[float, float]]:
    import networkx as nx

    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(n.iri for n in subgraph.nodes)
    graph.add_edges_from((e.source, e.target) for e in subgraph.edges)
    if len(graph) == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    k = 1.6 / math.sqrt(max(len(graph), 1))
    pos = nx.spring_layout(graph, seed=seed, k=k, iterations=300)
    return {iri: (float(xy[0]), float(xy[1])) for iri, xy in pos.items()}


HAlign = Literal["left", "center", "right"]
VAlign = Literal["bottom", "center", "top"]


def _candidates(radius: float) -> list[tuple[float, float, HAlign, VAlign]]:
    """Offsets (pixels) and alignments around a node, nearest and most readable first."""
    found: list[tuple[float, float, HAlign, VAlign]] = []
    for step in (1.0, 2.2, 3.6, 5.4, 7.6, 10.0):
        for angle in (0, 180, 90, 270, 45, 135, 315, 225, 22, 158, 338, 202, 68, 112, 292, 248):
            rad = math.radians(angle)
            dx, dy = math.cos(rad) * radius * step, math.sin(rad) * radius * step
            ha: HAlign = (
                "left" if dx > radius * 0.3 else "right" if dx < -radius * 0.3 else "center"
            )
            va: VAlign = (
                "bottom" if dy > radius * 0.3 else "top" if dy < -radius * 0.3 else "center"
            )
            found.append((dx, dy, ha, va))
    return found


def _place_labels(
    fig: Figure, ax: Axes, subgraph: Subgraph, pos: dict[str, tuple[float, float]], size: float
) -> bool:
    """Place every node's label where it overlaps nothing; False if some label could not."""
    from matplotlib.transforms import Bbox

    renderer: RendererBase = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = ax.get_window_extent(renderer)
    radius = math.sqrt(size) / 2 * fig.dpi / 72 + 2
    centres = {iri: ax.transData.transform(xy) for iri, xy in pos.items()}
    markers = {
        iri: Bbox.from_bounds(c[0] - radius, c[1] - radius, 2 * radius, 2 * radius)
        for iri, c in centres.items()
    }
    counts = degree(subgraph)
    focus = set(subgraph.focus)
    order = sorted(subgraph.nodes, key=lambda n: (n.iri not in focus, -counts[n.iri], n.iri))
    placed: list[Bbox] = []
    to_data = ax.transData.inverted()
    complete = True
    for node in order:
        cx, cy = centres[node.iri]
        text = ax.text(
            0,
            0,
            node_label(node),
            fontsize=LABEL_SIZE + (1 if node.iri in focus else 0),
            fontweight="bold" if node.iri in focus else "normal",
            parse_math=False,
            zorder=5,
            gid="node-label",
            linespacing=1.0,
        )
        best = None
        for dx, dy, ha, va in _candidates(radius):
            x, y = to_data.transform((cx + dx, cy + dy))
            text.set_position((float(x), float(y)))
            text.set_horizontalalignment(ha)
            text.set_verticalalignment(va)
            box = text.get_window_extent(renderer).padded(1.5)
            if not (frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)):
                continue
            if any(box.overlaps(other) for other in placed):
                continue
            if any(box.overlaps(m) for iri, m in markers.items() if iri != node.iri):
                continue
            best = (dx, dy, box)
            break
        if best is None:
            complete = False
            text.remove()
            continue
        dx, dy, box = best
        placed.append(box)
        if math.hypot(dx, dy) > radius * 1.5:
            ax.plot(
                [pos[node.iri][0], to_data.transform((cx + dx * 0.8, cy + dy * 0.8))[0]],
                [pos[node.iri][1], to_data.transform((cx + dx * 0.8, cy + dy * 0.8))[1]],
                color="#b0b0b0",
                linewidth=0.4,
                zorder=1,
            )
    return complete


def network_figure(
    subgraph: Subgraph, *, caption: str, title: str | None = None, seed: int = 7
) -> Figure:
    """Draw a focus subgraph: nodes coloured by kind, a label on every node, a legend.

    The layout is networkx's spring layout with a fixed ``seed``; labels never overlap each
    other or other nodes (the figure grows until they fit, up to six times).
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    if not subgraph.nodes:
        raise InputError("nothing to draw: the selection is empty")
    pos = _layout(subgraph, seed)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x, span_y = max(max(xs) - min(xs), 1e-6), max(max(ys) - min(ys), 1e-6)
    base = min(18.0, max(6.5, math.sqrt(len(pos)) * 2.0))
    focus = set(subgraph.focus)
    for attempt in range(6):
        width = base * (1.18**attempt)
        fig = _new_figure(width, width * 0.72 + 0.9)
        ax = fig.add_axes((0.02, 0.16, 0.96, 0.76))
        ax.set_axis_off()
        pad = 0.12
        ax.set_xlim(min(xs) - span_x * pad, max(xs) + span_x * pad)
        ax.set_ylim(min(ys) - span_y * pad, max(ys) + span_y * pad)
        segments = [(pos[e.source], pos[e.target]) for e in subgraph.edges if e.source != e.target]
        ax.add_collection(LineCollection(segments, colors="#c8c8c8", linewidths=0.7, zorder=1))
        size = 55.0
        kinds = sorted({n.kind for n in subgraph.nodes})
        for kind in kinds:
            nodes = [n for n in subgraph.nodes if n.kind == kind]
            ax.scatter(
                [pos[n.iri][0] for n in nodes],
                [pos[n.iri][1] for n in nodes],
                s=[size * (2.2 if n.iri in focus else 1.0) for n in nodes],
                c=KIND_COLOURS.get(kind, KIND_COLOURS["other"]),
                edgecolors=["black" if n.iri in focus else "white" for n in nodes],
                linewidths=0.8,
                zorder=3,
            )
        if _place_labels(fig, ax, subgraph, pos, size * 2.2 if focus else size):
            break
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=6,
            markerfacecolor=KIND_COLOURS.get(k, KIND_COLOURS["other"]),
            markeredgecolor="white",
            label=KIND_NAMES.get(k, k),
        )
        for k in kinds
    ]
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.01, 0.055),
        ncols=min(len(handles), 5),
        fontsize=7,
        frameon=False,
    )
    if title:
        fig.suptitle(title, fontsize=10, parse_math=False, y=0.98)
    _caption(fig, caption)
    return fig


# ---------------------------------------------------------------------------------------------
# Matrix and timeline


def _label_ticks(ax: Axes) -> None:
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_parse_math(False)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def matrix_figure(matrix: Matrix) -> Figure:
    """A heatmap of a matrix view: counts shaded and written, standings by colour.

    The figure is sized in inches from its content (cells, the longest labels, the caption),
    so that neither a 3 x 12 nor a 50 x 15 matrix wastes the page.
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    counts = matrix.counts is not None
    rows, cols = len(matrix.rows), len(matrix.columns)
    if counts:
        col_text = [_cut(c.label, 34) for c in matrix.columns]
        row_text = [r.short for r in matrix.rows]
        notes = matrix.notes
    else:
        col_text = [
            _cut(f"{c.short} ({c.note})" if c.note else c.short, 46) for c in matrix.columns
        ]
        row_text = [_cut(r.label, 32) for r in matrix.rows]
        notes = matrix.notes[-1:]
    char = 0.056  # inches per character at 7 pt, on average
    cell_w, cell_h = 0.42, 0.24
    left = 0.25 + char * max((len(t) for t in row_text), default=10)
    top = 0.45 + char * 0.72 * max((len(t) for t in col_text), default=10)
    grid_w, grid_h = cell_w * max(cols, 1), cell_h * max(rows, 1)
    width = max(7.0, left + grid_w + top * 0.75 + 0.2)
    caption_lines = len(notes) + 1 + len(matrix.caption) // max(60, int(width * 17))
    below = 0.2 + 0.12 * caption_lines + (0.0 if counts else 0.35)
    height = 0.5 + top + grid_h + below
    fig = _new_figure(width, height)
    ax = fig.add_axes((left / width, below / height, grid_w / width, grid_h / height))
    # The title goes above the column labels, wherever they end; saving crops the rest.
    ax.set_title(
        textwrap.fill(matrix.title, int(width * 13)), fontsize=9, loc="left", parse_math=False
    )
    _caption(fig, matrix.caption, notes)
    if not rows or not cols:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "nothing in the graph for this view", ha="center", parse_math=False)
        return fig
    if matrix.counts is not None:
        values = [list(r) for r in matrix.counts]
        peak = max(max(r) for r in values) or 1
        ax.imshow(values, cmap="Blues", vmin=0, vmax=peak * 1.25, aspect="auto")
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                if value:
                    colour = "white" if value > peak * 0.6 else "black"
                    ax.text(j, i, str(value), ha="center", va="center", fontsize=7, color=colour)
    else:
        names = list(STATUS_COLOURS)
        index = [
            [names.index(c) if c in names else len(names) - 1 for c in r] for r in matrix.cells
        ]
        cmap = ListedColormap(list(STATUS_COLOURS.values()))
        ax.imshow(index, cmap=cmap, vmin=-0.5, vmax=len(names) - 0.5, aspect="auto")
        seen = {c for r in matrix.cells for c in r}
        fig.legend(
            handles=[Patch(color=STATUS_COLOURS[n], label=n) for n in names if n in seen],
            loc="lower left",
            bbox_to_anchor=(0.0, (below - 0.38) / height),
            ncols=6,
            fontsize=7,
            frameon=False,
        )
    ax.set_xticks(range(cols))
    ax.set_xticklabels(col_text, rotation=45, ha="left", fontsize=7, rotation_mode="anchor")
    ax.xaxis.tick_top()
    ax.set_yticks(range(rows))
    ax.set_yticklabels(row_text, fontsize=7)
    ax.set_xticks([x - 0.5 for x in range(1, cols)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, rows)], minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    _label_ticks(ax)
    return fig


Fill = Literal["full", "none"]
_MARKERS: dict[str, tuple[str, Fill]] = {
    "signature": ("o", "none"),
    "consent": ("o", "full"),
    "adopted": ("s", "none"),
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
    fig = _new_figure(width, height)
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
    ax.set_yticklabels([short_name(r.label, r.short, 60) for r in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=10, integer=True))
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", color="#eeeeee")
    _label_ticks(ax)
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
    _caption(fig, timeline.caption, timeline.notes)
    return fig


# ---------------------------------------------------------------------------------------------
# Output


@contextmanager
def _deterministic() -> Iterator[None]:
    """Salt the SVG ids with a constant, so that the same figure gives the same bytes."""
    import matplotlib

    with matplotlib.rc_context():
        matplotlib.rcParams["svg.hashsalt"] = "lexgraph"
        matplotlib.rcParams["svg.fonttype"] = "path"
        yield


def figure_format(path: Path) -> str:
    """The output format named by a file's suffix, one of :data:`FIGURE_FORMATS`."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FIGURE_FORMATS:
        raise InputError(f"{path}: give a file ending in .svg, .png or .pdf")
    return fmt


def _metadata(fmt: str) -> dict[str, str | None]:
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None, "ModDate": None}
    return {}


def save_figure(fig: Figure, path: Path) -> Path:
    """Write ``fig`` as SVG, PNG or PDF (by the suffix), byte-identical for the same figure.

    The page is cropped to what is drawn, so the estimates that size a figure from its
    labels leave no empty margins.
    """

    fmt = figure_format(path)
    with _deterministic():
        try:
            fig.savefig(
                path, format=fmt, metadata=_metadata(fmt), bbox_inches="tight", pad_inches=0.1
            )
        except OSError as exc:
            raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    return path


def figure_svg(fig: Figure) -> str:
    """The figure as an ``<svg>`` element to put inline in an HTML page."""

    out = io.StringIO()
    with _deterministic():
        fig.savefig(
            out, format="svg", metadata=_metadata("svg"), bbox_inches="tight", pad_inches=0.1
        )
    text = out.getvalue()
    return text[text.index("<svg") :]


def label_boxes(fig: Figure) -> list[Bbox]:
    """The rendered boxes of the node labels of a network figure, in display pixels."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    return [
        t.get_window_extent(renderer)
        for ax in fig.axes
        for t in ax.texts
        if t.get_gid() == "node-label"
    ]


def network_title(subgraph: Subgraph, depth: int) -> str:
    """The title of a network figure: what is in focus and how far the view reaches."""
    names = [subgraph.node(iri).label for iri in subgraph.focus if iri in _iris(subgraph)]
    what = "; ".join(names) if names else "the whole graph"
    return f"{what}: neighbourhood of depth {depth}" if names else what


def _iris(subgraph: Subgraph) -> set[str]:
    return {n.iri for n in subgraph.nodes}
