"""Seeded, deterministic positions for the nodes of a view, with room for every drawn label.

A focus page is laid out in rings by distance: the focus in the centre, then what lies one
step from it, then two, with each instrument's articles counted as the instrument (they are
grouped under it on the page, and drawn round it when it is opened). The whole corpus, which
has no centre, is laid out in rings by kind (cooperation modalities innermost, then crime
types, SDG targets and bodies, instruments, states outermost). Round each ring the nodes are
grouped by kind and ordered by a few barycentric sweeps (each node moves to the mean angle
of its neighbours on other rings) from an order shuffled with ``seed``; each ring is made
wide enough for the labels on it.

Then a pass in the page's units pushes apart every two nodes whose boxes (the shape and the
label under it, estimated from the label's lines and a font's average glyph width, see
:func:`label_box`) overlap, and spreads the whole picture a little more wherever that is not
enough, so that no two labels drawn at once overlap at any zoom. Labels a page hides until
the reader zooms in (``major`` false) take only their shape's room. Costs well under a
second for the whole corpus.

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
from collections import defaultdict, deque
from collections.abc import Mapping

from lexgraph.views.subgraph import Node, Subgraph

#: Rings of the whole corpus from the centre outwards; kinds not listed go on the "other" ring.
RINGS: tuple[tuple[str, ...], ...] = (
    ("modality",),
    ("crime",),
    ("sdg-target", "body", "other"),
    ("instrument", "soft-law"),
    ("state",),
)
#: Order of the kinds round a focus ring, so that each kind keeps to a sector.
KIND_ORDER = ("modality", "instrument", "soft-law", "crime", "state", "body", "sdg-target")
ARTICLE_EDGE = "has article"
#: Font sizes of the labels, in the page's units: the focus, labels drawn at once, the rest.
FONT_FOCUS, FONT_MAJOR, FONT_MINOR = 20, 14, 12
#: Average glyph width of the page's font (DejaVu Sans, which Chromium on Debian draws
#: "arial" with) as a share of its size, rounded up, and the longest line of a label.
GLYPH = 0.62
LINE_CHARS = 24
MAX_LINES = 3
PAD = 6.0
RING_GAP = 40.0
#: Rings are ellipses this much wider than tall: labels are wide, and so is a screen.
ASPECT = 1.6
DISC_SPACING = 26.0
SWEEPS = 4
#: Rings longer than this are made room on by the separating pass alone.
CROWDED = 40
STAGGER = 0.15


def wrap(text: str, width: int = LINE_CHARS, lines: int = MAX_LINES) -> str:
    """Break ``text`` into at most ``lines`` lines of about ``width`` characters, between words;
    a longer text ends with an ellipsis after a whole word, never in the middle of one.

    >>> wrap("International Convention for the Suppression of the Financing of Terrorism")
    'International Convention\\nfor the Suppression of\\nthe Financing of…'
    >>> wrap("UNTOC")
    'UNTOC'
    """
    out: list[str] = []
    line = ""
    words = text.split()
    for i, word in enumerate(words):
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
            if len(out) == lines:
                out[-1] = out[-1].rstrip(",;:") + "…"
                return "\n".join(out)
        else:
            line = f"{line} {word}" if line else word
        if i == len(words) - 1:
            out.append(line)
    return "\n".join(out)


def _glyphs(line: str) -> float:
    """Width of ``line`` in ems: capitals and digits are wider than the average, spaces and
    punctuation narrower."""
    return sum(
        0.74 if c.isupper() else 0.64 if c.isdigit() else 0.34 if c in " .,;:()/'-" else GLYPH
        for c in line
    )


def label_box(label: str, font: float) -> tuple[float, float]:
    """Estimated width and height of a drawn label, in the page's units (measured in Chromium
    against vis-network's own boxes: the widths are at most 1.0 and on average 0.8 of these)."""
    lines = label.split("\n") or [""]
    width = max(_glyphs(line) for line in lines) * font + PAD
    return width, len(lines) * font + PAD


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


Box = tuple[float, float, float, float]  # half width, top (above centre), bottom, label top


def _box(size: float, label: tuple[float, float] | None) -> Box:
    if label is None:
        return (size + PAD / 2, size + PAD / 2, size + PAD / 2, 0.0)
    w, h = label
    return (max(size, w / 2), size + PAD / 2, size + 4 + h, size + 4)


def _ring_radius(
    ring: list[str], angle: dict[str, float], boxes: dict[str, Box], r: float
) -> float:
    """The smallest radius from ``r`` on at which neighbours round the ring do not overlap."""
    if len(ring) < 2:
        return r
    if len(ring) > CROWDED:
        # Fitting a long ring's widest labels side by side at its top would spread it far
        # wider than it need be: start it smaller and let the separating pass make room.
        return max(r, sum(boxes[n][0] + boxes[n][2] for n in ring) / math.tau / 2)
    while True:
        fits = True
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            if _overlap(_at(r, angle[a]), boxes[a], _at(r, angle[b]), boxes[b]) is not None:
                fits = False
                break
        if fits:
            return r
        r = r * 1.08 + 10


def _at(radius: float, angle: float) -> tuple[float, float]:
    return ASPECT * radius * math.cos(angle), radius * math.sin(angle)


def _overlap(
    p: tuple[float, float], a: Box, q: tuple[float, float], b: Box
) -> tuple[float, float] | None:
    """How far the boxes of ``a`` at ``p`` and ``b`` at ``q`` overlap across and down."""
    dx = min(p[0] + a[0], q[0] + b[0]) - max(p[0] - a[0], q[0] - b[0])
    dy = min(p[1] + a[2], q[1] + b[2]) - max(p[1] - a[1], q[1] - b[1])
    return (dx, dy) if dx > 0 and dy > 0 else None


def _separate(where: dict[str, list[float]], boxes: dict[str, Box], fixed: set[str]) -> bool:
    """Push overlapping boxes apart along their shallower axis; True once none overlap."""
    for _ in range(60):
        moved = False
        order = sorted(where, key=lambda n: where[n][0] - boxes[n][0])
        for i, a in enumerate(order):
            pa, ba = where[a], boxes[a]
            for b in order[i + 1 :]:
                pb, bb = where[b], boxes[b]
                if pb[0] - bb[0] >= pa[0] + ba[0]:
                    break
                hit = _overlap((pa[0], pa[1]), ba, (pb[0], pb[1]), bb)
                if hit is None:
                    continue
                moved = True
                dx, dy = hit
                share_a = 0.0 if a in fixed else (1.0 if b in fixed else 0.5)
                share_b = 1.0 - share_a if (a in fixed or b in fixed) else 0.5
                if dx < dy:
                    sign = 1.0 if pb[0] >= pa[0] else -1.0
                    pa[0] -= sign * (dx + 1) * share_a
                    pb[0] += sign * (dx + 1) * share_b
                else:
                    sign = 1.0 if pb[1] >= pa[1] else -1.0
                    pa[1] -= sign * (dy + 1) * share_a
                    pb[1] += sign * (dy + 1) * share_b
        if not moved:
            return True
    return False


def positions(
    subgraph: Subgraph,
    *,
    seed: int = 7,
    sizes: Mapping[str, float] | None = None,
    labels: Mapping[str, tuple[str, float] | None] | None = None,
) -> dict[str, tuple[float, float]]:
    """Return an ``(x, y)`` position for every node of ``subgraph``, the same for one seed.

    ``sizes`` are the drawn radii of the nodes (12 where not given); ``labels`` the drawn label
    and font size of each node, or None for a label hidden at first (by default every node's
    wrapped :attr:`~lexgraph.views.subgraph.Node.name` at the major size, the focus larger).
    """
    kinds = {n.iri: n.kind for n in subgraph.nodes}
    focus = [iri for iri in subgraph.focus if iri in kinds]
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

    neighbours: dict[str, set[str]] = defaultdict(set)
    for edge in subgraph.edges:
        a, b = anchor(edge.source), anchor(edge.target)
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    anchors = [n for n in subgraph.nodes if n.iri not in parent]
    boxes = {
        n.iri: _box((sizes or {}).get(n.iri, 12.0), _label_of(n, focus, labels)) for n in anchors
    }

    rng = random.Random(seed)
    rings = _rings(anchors, focus, neighbours)
    for ring in rings:
        rng.shuffle(ring)
    ring_index = {iri: i for i, ring in enumerate(rings) for iri in ring}
    angle: dict[str, float] = {}
    for ring in rings:
        angle.update({iri: math.tau * k / len(ring) for k, iri in enumerate(ring)})
    # Kinds keep to sectors; a state's instruments it only signed sit beside those it is bound by.
    signed = {e.target for e in subgraph.edges if e.label == "signed" and e.source in focus}
    group = {n.iri: 2 * _group(n.kind) + (n.iri in signed) for n in anchors}
    for _ in range(SWEEPS):
        for index, ring in enumerate(rings):
            wanted: dict[str, float] = {}
            for iri in ring:
                mean = _circular_mean(
                    [angle[n] for n in sorted(neighbours[iri]) if ring_index.get(n, index) != index]
                )
                wanted[iri] = angle[iri] if mean is None else mean
            # Within a sector, nodes follow their neighbours.
            ring.sort(key=lambda iri: (group[iri], wanted[iri], iri))
            start = min((wanted[i] for i in ring), default=0.0)
            angle.update({iri: start + math.tau * k / len(ring) for k, iri in enumerate(ring)})

    turn = rng.uniform(0, math.tau)  # the seed also turns the picture
    angle = {iri: a + turn for iri, a in angle.items()}
    where: dict[str, list[float]] = {}
    reach = 0.0
    for index, ring in enumerate(rings):
        if not ring:
            continue
        if index == 0 and len(ring) == 1:
            where[ring[0]] = [0.0, 0.0]
            reach = max(boxes[ring[0]][0], boxes[ring[0]][2])
            continue
        depth = max(boxes[n][2] for n in ring)
        radius = _ring_radius(ring, angle, boxes, reach + RING_GAP + depth)
        stagger = len(ring) > CROWDED
        for k, iri in enumerate(ring):
            # Alternate nodes of a crowded ring in and out, so neighbours' labels stack.
            step = radius * (1 + STAGGER * (k % 2)) if stagger else radius
            where[iri] = list(_at(step, angle[iri]))
        reach = radius + depth
    fixed = {focus[0]} if len(focus) == 1 else set()
    while not _separate(where, boxes, fixed):
        for point in where.values():
            point[0] *= 1.15
            point[1] *= 1.15
    result = {iri: (x, y) for iri, (x, y) in where.items()}
    for owner, children in articles.items():
        if owner in result:
            _place_disc(result, children, result[owner])
    return {iri: (round(x, 1), round(y, 1)) for iri, (x, y) in sorted(result.items())}


def _label_of(
    node: Node, focus: list[str], labels: Mapping[str, tuple[str, float] | None] | None
) -> tuple[float, float] | None:
    if labels is not None:
        given = labels.get(node.iri)
        return None if given is None else label_box(*given)
    return label_box(wrap(node.name), FONT_FOCUS if node.iri in focus else FONT_MAJOR)


def _group(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def _rings(
    anchors: list[Node], focus: list[str], neighbours: dict[str, set[str]]
) -> list[list[str]]:
    """Rings of a focus by distance from it, or of the corpus by kind."""
    if not focus:
        rings: list[list[str]] = [[] for _ in RINGS]
        for node in anchors:
            rings[_ring_of(node.kind)].append(node.iri)
        return [ring for ring in rings if ring]
    present = {n.iri for n in anchors}
    distance = {iri: 0 for iri in focus}
    queue = deque(focus)
    while queue:
        iri = queue.popleft()
        for nxt in sorted(neighbours[iri] & present):
            if nxt not in distance:
                distance[nxt] = distance[iri] + 1
                queue.append(nxt)
    far = max(distance.values(), default=0) + 1
    by_distance: dict[int, list[str]] = defaultdict(list)
    for node in anchors:
        by_distance[distance.get(node.iri, far)].append(node.iri)
    return [by_distance[d] for d in sorted(by_distance)]


def _natural(iri: str) -> tuple[tuple[int, str], ...]:
    """Sort key that puts ``article/2`` before ``article/10``."""
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in re.split(r"(\d+)", iri))


def _place_disc(
    result: dict[str, tuple[float, float]], children: list[str], centre: tuple[float, float]
) -> None:
    """Put an instrument's articles round it in a sunflower disc, where the page draws them
    when the reader opens the instrument."""
    golden = math.pi * (3 - math.sqrt(5))
    cx, cy = centre
    for k, child in enumerate(sorted(children, key=_natural)):
        r = DISC_SPACING * math.sqrt(k + 1.5)
        result[child] = (cx + r * math.cos(k * golden), cy + r * math.sin(k * golden))
