"""The network figure: a focus subgraph, its nodes coloured by kind, a label on every node.

Labels are placed by a greedy search: each label tries positions around its node, nearest
first, and takes the first where its rendered box overlaps no other label, no other node and
stays inside the drawing; when some label finds no place, the drawing is enlarged and laid
out again.
"""

from __future__ import annotations

import dataclasses
import math
import textwrap
from collections import Counter
from typing import TYPE_CHECKING, Literal

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.terms import Lex
from lexgraph.core.turtle import natural_key
from lexgraph.render.figures.canvas import add_caption, new_figure
from lexgraph.store.labels import short_name
from lexgraph.views.subgraph import Node, Subgraph, degree

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox

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
LABEL_SIZE = 7.0


def _wrap(text: str, width: int = 22, lines: int = 2) -> str:
    """``text`` on at most ``lines`` lines, broken and, if need be, shortened between words."""
    parts = textwrap.wrap(" ".join(text.split()), width, break_long_words=False) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] += " …"
    return "\n".join(parts)


def node_label(node: Node) -> str:
    """The label a drawing shows, on two lines at most (give nodes short names with
    :func:`named`)."""
    if node.kind == "sdg-target":
        return "SDG " + node.iri.rsplit("/", 1)[-1]
    return _wrap(node.label)


def named(store: ox.Store, subgraph: Subgraph) -> Subgraph:
    """``subgraph`` with each instrument labelled by its short name (``lex:shortName``: UNTOC,
    not the full title), as every figure names instruments."""
    nodes = tuple(
        dataclasses.replace(n, label=short_name(store, n.iri))
        if n.kind in ("instrument", "soft-law")
        else n
        for n in subgraph.nodes
    )
    return dataclasses.replace(subgraph, nodes=nodes)


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
    subgraph: Subgraph,
    *,
    caption: str,
    title: str | None = None,
    seed: int = 7,
    notes: tuple[str, ...] = (),
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
        fig = new_figure(width, width * 0.72 + 0.9)
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
    add_caption(fig, caption, notes)
    return fig


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


def cap(store: ox.Store, subgraph: Subgraph, max_nodes: int) -> tuple[Subgraph, str]:
    """At most ``max_nodes`` nodes of ``subgraph``, and a note on what was left out ("" if
    nothing).

    What is kept first: the focus, then the articles that provide for a cooperation modality
    (so that UNCAC arts 44 and 46 are never dropped for arts 1 and 2), then the other nodes
    nearest the focus, articles last; among equals, articles in number order.
    """
    if len(subgraph.nodes) <= max_nodes:
        return subgraph, ""
    providing = {
        q.subject.value
        for q in store.quads_for_pattern(None, ox.NamedNode(Lex.providesFor), None)
        if isinstance(q.subject, ox.NamedNode)
    }
    near: dict[str, set[str]] = {n.iri: set() for n in subgraph.nodes}
    for e in subgraph.edges:
        near[e.source].add(e.target)
        near[e.target].add(e.source)
    distance = {iri: 0 for iri in subgraph.focus if iri in near}
    todo = list(distance)
    while todo:
        iri = todo.pop(0)
        for nxt in sorted(near[iri]):
            if nxt not in distance:
                distance[nxt] = distance[iri] + 1
                todo.append(nxt)

    def rank(n: Node) -> tuple[int, int, int, tuple[object, ...]]:
        tier = 0 if n.iri in distance and distance[n.iri] == 0 else 1
        if n.kind == "provision":
            tier = 1 if n.iri in providing else 3
        elif tier:
            tier = 2
        return tier, distance.get(n.iri, 99), 0, natural_key(n.label)

    ordered = sorted(subgraph.nodes, key=rank)
    keep = {n.iri for n in ordered[:max_nodes]}
    dropped = ordered[max_nodes:]
    nodes = tuple(n for n in subgraph.nodes if n.iri in keep)
    edges = tuple(e for e in subgraph.edges if e.source in keep and e.target in keep)
    kinds = Counter(KIND_NAMES.get(n.kind, n.kind) for n in dropped)
    what = ", ".join(f"{n} {k}{'s' if n > 1 else ''}" for k, n in sorted(kinds.items()))
    articles = [n.label for n in dropped if n.kind == "provision"]
    shown = ", ".join(articles[:12]) + (
        f" and {len(articles) - 12} more" if len(articles) > 12 else ""
    )
    detail = f" ({shown})" if articles else ""
    if articles and not any(n.iri in providing for n in dropped):
        detail = f" ({shown}; none of them provides a cooperation modality)"
    note = (
        f"{len(nodes)} of {len(subgraph.nodes)} nodes are drawn; left out: {what}{detail}."
        f" --max-nodes {len(subgraph.nodes)} draws them all."
    )
    return Subgraph(nodes, edges, subgraph.focus), note
