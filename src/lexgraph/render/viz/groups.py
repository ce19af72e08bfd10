"""What an interactive page draws besides positions: each node's label, the grouping of
articles under their instrument, and what each kind of edge means."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from lexgraph.render.viz.layout import FONT_FOCUS, FONT_MAJOR, FONT_MINOR, wrap
from lexgraph.views.subgraph import Subgraph

ARTICLE_EDGE = "has article"
#: What each edge kind says, for the legend and the tooltips, and its colour (Okabe-Ito).
EDGE_MEANINGS: dict[str, tuple[str, str]] = {
    "provides for": ("an article (or its instrument) provides for a cooperation modality",
                     "#009E73"),
    "criminalises": ("an article requires States to criminalise a crime type", "#D55E00"),
    "covers": ("an instrument covers a crime type in its scope", "#E07B39"),
    "party to": ("a State consented to be bound (the act and its date on hover)", "#E69F00"),
    "signed": ("a State signed, and has not consented to be bound (dashed)", "#F0C070"),
    "supplements": ("a protocol supplements its parent convention", "#0072B2"),
    "has article": ("an instrument has an article (click the instrument to open)", "#8C8C8C"),
    "refers to": ("an article or instrument refers to another", "#8C8C8C"),
    "narrower than": ("a crime type is a narrower kind of another", "#CC79A7"),
    "adopted by": ("an instrument was adopted by a body", "#B8B8B8"),
    "endorses": ("a text endorses another", "#B8B8B8"),
    "contributes to": ("an instrument or crime type bears on an SDG target", "#A6761D"),
}  # fmt: skip
#: Node kinds whose labels the whole-corpus page shows at every zoom (with crime-type roots).
CORPUS_MAJOR = ("instrument", "modality")
#: Font of those labels on the whole-corpus page, which opens zoomed far out.
FONT_CORPUS = 34
#: A focus page with more states than this labels them once the reader zooms in.
MANY = 30


def _article_text(name: str) -> str:
    match = re.search(r"\bart\. .*$", name)
    return match.group(0) if match else name


def owners(subgraph: Subgraph) -> dict[str, str]:
    """Article -> its instrument, for the articles whose instrument is in the view."""
    kinds = {n.iri: n.kind for n in subgraph.nodes}
    found: dict[str, str] = {}
    for edge in subgraph.edges:
        if (
            edge.label == ARTICLE_EDGE
            and kinds.get(edge.target) == "provision"
            and kinds.get(edge.source) != "provision"
        ):
            found.setdefault(edge.target, edge.source)
    return found


def label_plan(subgraph: Subgraph) -> dict[str, tuple[str, float, bool]]:
    """Each node's drawn label, font size, and whether it is drawn at the first zoom.

    On a focus page every label but the grouped articles' is drawn (and the states', where
    there are more than :data:`MANY`); on the whole-corpus page
    those of the instruments, modalities and crime types that are no narrower kind of
    another, the others once the reader zooms in.
    """
    focus = set(subgraph.focus)
    grouped = owners(subgraph)
    narrower = {e.source for e in subgraph.edges if e.label == "narrower than"}
    many_states = sum(n.kind == "state" and n.iri not in focus for n in subgraph.nodes) > MANY

    plan: dict[str, tuple[str, float, bool]] = {}
    for node in subgraph.nodes:
        if node.iri in focus:
            plan[node.iri] = (wrap(node.name), FONT_FOCUS, True)
        elif node.iri in grouped:
            plan[node.iri] = (_article_text(node.name), FONT_MINOR, False)
        elif focus and not (many_states and node.kind == "state"):
            plan[node.iri] = (wrap(node.name), FONT_MAJOR, True)
        elif node.kind in CORPUS_MAJOR or (node.kind == "crime" and node.iri not in narrower):
            plan[node.iri] = (wrap(node.name), FONT_CORPUS, True)
        else:
            plan[node.iri] = (wrap(node.name), FONT_MINOR, False)
    return plan


def article_groups(subgraph: Subgraph) -> dict[str, Any]:
    """The grouping of articles under their instruments, for the page's script.

    ``owner[i]`` is the index of node i's instrument, or -1; ``edges`` stand, while an
    instrument is closed, for its articles' edges of one kind to one other node (``members``
    are those edges' ids), labelled with the articles' numbers.
    """
    index = {n.iri: i for i, n in enumerate(subgraph.nodes)}
    grouped = owners(subgraph)
    names = {n.iri: _article_text(n.name) for n in subgraph.nodes if n.iri in grouped}
    merged: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    for k, edge in enumerate(subgraph.edges):
        if edge.label == ARTICLE_EDGE and edge.target in grouped:
            continue
        if edge.source not in grouped and edge.target not in grouped:
            continue
        start = grouped.get(edge.source, edge.source)
        end = grouped.get(edge.target, edge.target)
        if start != end:
            merged[(index[start], index[end], edge.label)].append(k)
    edges = []
    for n, ((a, b, label), members) in enumerate(sorted(merged.items())):
        arts = sorted(
            {names[e] for k in members for e in (subgraph.edges[k].source,
                                                  subgraph.edges[k].target) if e in names}
        )  # fmt: skip
        edges.append(
            {"id": f"g{n}", "from": a, "to": b, "label": label, "articles": arts,
             "members": members}
        )  # fmt: skip
    owner = [index[grouped[n.iri]] if n.iri in grouped else -1 for n in subgraph.nodes]
    return {"owner": owner, "edges": edges}


def edge_legend(subgraph: Subgraph) -> list[tuple[str, str, str, int]]:
    """(label, meaning, colour, count) of every edge kind in the view, in the legend's order."""
    counts = Counter(e.label for e in subgraph.edges)
    known = [
        (label, meaning, colour, counts[label])
        for label, (meaning, colour) in EDGE_MEANINGS.items()
        if counts[label]
    ]
    other = [(label, label, "#B8B8B8", n) for label, n in sorted(counts.items())
             if label not in EDGE_MEANINGS]  # fmt: skip
    return known + other
