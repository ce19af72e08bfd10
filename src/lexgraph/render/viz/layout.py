"""Seeded, deterministic positions for the nodes of a view, computed in linear time.

networkx's ``spring_layout`` needs scipy from 500 nodes on, which lexgraph does not install,
a force-directed layout in pure Python takes seconds on the whole corpus, and Kamada-Kawai
takes minutes. This layout is radial and costs a few passes over the edges instead (about
0.05 s for the whole corpus with its states): each kind of node has
a ring (cooperation modalities innermost, then crime types, SDG targets and bodies,
instruments, states outermost), the articles of an instrument sit in a small disc just
outside it, and the order of the nodes round each ring is found by a few barycentric sweeps
(each node moves to the mean angle of its neighbours on the other rings), starting from an
order shuffled with ``seed``. This is the picture a reader sees: the page's physics only
loosens it for a few dozen iterations, and without physics it is drawn as it is.

>>> from lexgraph.views.subgraph import Edge, Node, Subgraph
>>> graph = Subgraph(
...     (Node("i", "instrument", "I"), Node("a", "provision", "I art. 1"),
...      Node("m", "modality", "M")),
...     (Edge("i", "a", "has article"), Edge("a", "m", "provides for")),
... )
>>> positions(graph, seed=7) == positions(graph, seed=7)
True
>>> sorted(positions(graph, seed=7))
['a', 'i', 'm']
"""

from __future__ import annotations

import math
import random
import re
from collections import defaultdict

from lexgraph.views.subgraph import Subgraph

#: Rings from the centre outwards; kinds not listed go on the "other" ring.
RINGS: tuple[tuple[str, ...], ...] = (
    ("modality",),
    ("crime",),
    ("sdg-target", "body", "other"),
    ("instrument", "soft-law"),
    ("state",),
)
ARTICLE_EDGE = "has article"
#: Distance between neighbouring nodes on a ring and between the articles of a disc.
SPACING = 56.0
DISC_SPACING = 14.0
RING_GAP = 160.0
SWEEPS = 6


def _ring_of(kind: str) -> int:
    for index, kinds in enumerate(RINGS):
        if kind in kinds:
            return index
    return 2


def _circular_mean(angles: list[float]) -> float | None:
    if not angles:
        return None
    x = sum(math.cos(a) for a in angles)
    y = sum(math.sin(a) for a in angles)
    if abs(x) < 1e-9 and abs(y) < 1e-9:
        return None
    return math.atan2(y, x) % math.tau


def _spread(order: list[str], widths: dict[str, float]) -> dict[str, float]:
    """Angles of ``order`` round a ring, each node's share of the circle as its width."""
    total = sum(widths[n] for n in order) or 1.0
    angles: dict[str, float] = {}
    used = 0.0
    for node in order:
        angles[node] = math.tau * (used + widths[node] / 2) / total
        used += widths[node]
    return angles


def positions(subgraph: Subgraph, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Return an ``(x, y)`` position for every node of ``subgraph``, the same for one seed.

    Coordinates are in the page's units (neighbours on a ring are 56 apart), centred on 0.
    """
    kinds = {n.iri: n.kind for n in subgraph.nodes}
    parent: dict[str, str] = {}
    for edge in subgraph.edges:
        if (
            edge.label == ARTICLE_EDGE
            and kinds.get(edge.target) == "provision"
            and kinds.get(edge.source) != "provision"
            and edge.target not in parent
        ):
            parent[edge.target] = edge.source
    articles: dict[str, list[str]] = defaultdict(list)
    for child, owner in sorted(parent.items()):
        articles[owner].append(child)

    def anchor(iri: str) -> str:
        return parent.get(iri, iri)

    # Neighbours on the graph with every article merged into its instrument.
    neighbours: dict[str, set[str]] = defaultdict(set)
    for edge in subgraph.edges:
        a, b = anchor(edge.source), anchor(edge.target)
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)

    rng = random.Random(seed)
    rings: list[list[str]] = [[] for _ in RINGS]
    for node in subgraph.nodes:
        if node.iri not in parent:
            rings[_ring_of(node.kind)].append(node.iri)
    for ring in rings:
        rng.shuffle(ring)
    widths = {
        iri: SPACING + 2 * DISC_SPACING * math.sqrt(len(articles.get(iri, ())))
        for ring in rings
        for iri in ring
    }
    angle: dict[str, float] = {}
    for ring in rings:
        angle.update(_spread(ring, widths))
    ring_index = {iri: i for i, ring in enumerate(rings) for iri in ring}

    # States have hundreds of edges to instruments that say little about their order, so the
    # inner rings are ordered without them and the states placed by their instruments last.
    state_ring = len(RINGS) - 1
    for sweep in range(SWEEPS):
        for index, ring in enumerate(rings):
            if index == state_ring and sweep < SWEEPS - 1:
                continue
            wanted: dict[str, float] = {}
            for iri in ring:
                mean = _circular_mean(
                    [
                        angle[n]
                        for n in sorted(neighbours[iri])
                        if ring_index.get(n, index) != index
                        and (index == state_ring or ring_index.get(n) != state_ring)
                    ]
                )
                wanted[iri] = angle[iri] if mean is None else mean
            ring.sort(key=lambda iri: (wanted[iri], iri))
            angle.update(_spread(ring, widths))

    result: dict[str, tuple[float, float]] = {}
    reach = -RING_GAP  # how far from the centre the rings placed so far extend
    for ring in rings:
        if not ring:
            continue
        need = sum(widths[n] for n in ring) / math.tau
        radius = 0.0 if len(ring) == 1 and not result else max(reach + RING_GAP, need)
        for iri in ring:
            result[iri] = (radius * math.cos(angle[iri]), radius * math.sin(angle[iri]))
            reach = max(
                reach, radius + _place_disc(result, articles.get(iri, []), angle[iri], radius)
            )
    return {iri: (round(x, 1), round(y, 1)) for iri, (x, y) in sorted(result.items())}


def _natural(iri: str) -> tuple[tuple[int, str], ...]:
    """Sort key that puts ``article/2`` before ``article/10``."""
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in re.split(r"(\d+)", iri))


def _place_disc(
    result: dict[str, tuple[float, float]], children: list[str], angle: float, radius: float
) -> float:
    """Put an instrument's articles in a sunflower disc just outside it, on its radius.

    Returns how far beyond ``radius`` the disc reaches.
    """
    if not children:
        return 0.0
    size = DISC_SPACING * math.sqrt(len(children))
    centre = radius + size + SPACING / 2
    cx, cy = centre * math.cos(angle), centre * math.sin(angle)
    golden = math.pi * (3 - math.sqrt(5))
    for k, child in enumerate(sorted(children, key=_natural)):
        r = DISC_SPACING * math.sqrt(k + 0.5)
        result[child] = (
            cx + r * math.cos(k * golden + angle),
            cy + r * math.sin(k * golden + angle),
        )
    return 2 * size + SPACING / 2
