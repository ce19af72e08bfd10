"""The interactive page of a view: one self-contained HTML file, made with pyvis's parts.

pyvis 0.3.2 cannot write an offline page by itself (``in_line`` still loads Bootstrap from a
CDN, ``local`` loads vis-network from a CDN and copies a ``lib/`` folder into the working
directory) and its templates do not escape, so this module uses pyvis only for what it does
well, its :class:`~pyvis.network.Network` node, edge and options structures, and renders them
with a template of its own (``templates/page.html.j2``, autoescaped). The vis-network and
tom-select files that pyvis ships in its package are read at run time and inlined, so the
page makes no network request at all; a Content-Security-Policy with the hashes of the
page's own scripts says so to the browser too.

The data goes in as JSON in a ``<script type="application/json">`` block, with ``<``, ``>``,
``&``, U+2028 and U+2029 escaped, and the page's script builds every text of the DOM with
``textContent``: a label such as ``</script>`` or ``<img src=x onerror=...>`` shows as text.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from pyvis.edge import Edge as PyvisEdge
from pyvis.network import Network
from pyvis.node import Node as PyvisNode

from lexgraph.core.version import __version__
from lexgraph.render.output import write_output
from lexgraph.render.viz.groups import article_groups, edge_legend, label_plan
from lexgraph.render.viz.layout import positions
from lexgraph.views.subgraph import Node, Subgraph, degree

#: How each kind of node is drawn: legend name, colour (Okabe-Ito, safe for colour blindness),
#: vis-network shape and size.
STYLES: dict[str, tuple[str, str, str, int]] = {
    "instrument": ("Instrument", "#0072B2", "square", 14),
    "soft-law": ("Soft-law instrument", "#56B4E9", "triangleDown", 13),
    "provision": ("Article", "#8C8C8C", "dot", 5),
    "crime": ("Crime type", "#D55E00", "diamond", 11),
    "modality": ("Cooperation modality", "#009E73", "star", 16),
    "state": ("State", "#E69F00", "triangle", 8),
    "body": ("Body", "#CC79A7", "hexagon", 11),
    "sdg-target": ("SDG goal or target", "#A6761D", "dot", 10),
    "other": ("Other", "#444444", "dot", 8),
}
EDGE_GREY = "#b8b8b8"
#: Pages with more edges than this draw them without arrowheads.
ARROW_EDGES = 5000
VIS_DIR = "vis-9.1.2"  # the vis-network version pyvis 0.3.2's own template loads


def stabilization_iterations(nodes: int) -> int:
    """How many physics iterations the page runs before it stops the simulation.

    In headless Chromium a vis-network iteration costs about 8 microseconds per node once
    the code is warm, and three or four times that for the first few dozen, while the code is
    still cold (``bench/bench_viz.py`` measures the result), so the count is small and falls
    with the size of the page, to keep the settled layout
    within the benchmark's budgets (0.5 s for 200 nodes, 3 s for 2,000): a large page takes
    its shape from :func:`~lexgraph.render.viz.layout.positions`, and physics only loosens it. It is
    a count, not a time limit, so that the layout is the same on any machine.

    >>> stabilization_iterations(200), stabilization_iterations(2000)
    (25, 10)
    """
    return max(10, min(25, 5_000 // max(nodes, 1)))


@cache
def _pyvis_asset(*parts: str) -> str:
    base = resources.files("pyvis")
    for folder in ("lib", "templates/lib"):
        path = base.joinpath(folder, *parts)
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(f"pyvis ships no {'/'.join(parts)}: is pyvis 0.3.2 installed?")


@cache
def _own_asset(name: str) -> str:
    return resources.files("lexgraph.render.viz").joinpath("templates", name).read_text("utf-8")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("lexgraph.render.viz", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def script_json(value: object) -> str:
    """Serialise ``value`` as JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` can only occur inside JSON strings, where ``\\u003c`` means the same,
    so no ``</script>`` or ``<!--`` can end or change the element; U+2028 and U+2029 are
    escaped for the JavaScript parsers that once took them for line ends.

    >>> script_json({"label": "</script><b>&"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _inline(code: str, tag: str) -> str:
    """Make third-party code safe to place inside a ``<script>`` or ``<style>`` element.

    ``</script`` and ``<!--`` occur in such code only inside strings, regular expressions
    and comments, where ``<\\/`` and ``<\\!--`` mean the same.

    >>> _inline('x = "</SCRIPT>" + "<!--"', "script")
    'x = "<\\\\/SCRIPT>" + "<\\\\!--"'
    """
    return re.sub(rf"</({tag})", r"<\\/\1", code, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _csp_hash(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _http(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("http://", "https://")) else None


def network(subgraph: Subgraph, *, seed: int = 7, physics: bool = False) -> Network:
    """Return the pyvis :class:`~pyvis.network.Network` of ``subgraph``, laid out with ``seed``.

    Node ids are the nodes' indexes in ``subgraph.nodes`` and edge ids their indexes in
    ``subgraph.edges``: vis-network keeps its nodes in objects keyed by id, and its physics
    runs about a quarter faster on small integer keys than on IRIs. Nodes and edges are made with
    pyvis's ``Node`` and ``Edge`` classes but appended directly, because ``Network.add_node``
    and ``add_edge`` search lists, which is what makes pyvis quadratic on large graphs.
    Each node's label is its short name, wrapped between words (:func:`label_plan`), and the
    layout leaves room for every label drawn at first.
    """
    net = Network(directed=True)  # never rendered by pyvis, so its cdn_resources do not matter
    counts = degree(subgraph)
    focus = set(subgraph.focus)
    index = {node.iri: i for i, node in enumerate(subgraph.nodes)}
    sizes = {
        node.iri: round(
            STYLES.get(node.kind, STYLES["other"])[3]
            * (1 + 0.12 * math.log1p(counts.get(node.iri, 0))),
            1,
        )
        for node in subgraph.nodes
    }
    plan = label_plan(subgraph)
    where = positions(
        subgraph,
        seed=seed,
        sizes=sizes,
        labels={iri: (text, font) if major else None for iri, (text, font, major) in plan.items()},
    )
    for i, node in enumerate(subgraph.nodes):
        _, colour, shape, _ = STYLES.get(node.kind, STYLES["other"])
        text, font, major = plan[node.iri]
        opts = PyvisNode(
            i,
            shape,
            label=text,
            color=colour,
            size=sizes[node.iri],
            x=where[node.iri][0],
            y=where[node.iri][1],
        ).options
        opts["font"] = {"size": font}
        if major:
            opts["scaling"] = {"label": {"drawThreshold": 0, "maxVisible": 40}}
        if node.iri in focus:
            opts["borderWidth"] = 3
            opts["font"] = {"size": font, "bold": True}
        net.nodes.append(opts)
        net.node_ids.append(i)
        net.node_map[i] = opts
    colours = {kind: colour for kind, _, colour, _ in edge_legend(subgraph)}
    for i, edge in enumerate(subgraph.edges):
        opts = PyvisEdge(index[edge.source], index[edge.target], id=i).options
        opts["color"] = colours.get(edge.label, EDGE_GREY)
        if edge.label == "signed":
            opts["dashes"] = True
        net.edges.append(opts)
    net.barnes_hut(
        gravity=-800, central_gravity=0.0, spring_length=80, spring_strength=0.0008, damping=0.6
    )
    net.options.edges.smooth.enabled = False
    net.inherit_edge_colors(False)
    net.toggle_physics(physics)
    net.toggle_stabilization(physics)
    stabilization = net.options.physics.stabilization
    stabilization.iterations = stabilization_iterations(len(subgraph.nodes))
    stabilization.updateInterval = 25
    net.toggle_hide_edges_on_drag(len(subgraph.edges) > 2000)
    return net


def _info(subgraph: Subgraph) -> list[dict[str, Any]]:
    """What the page shows of each node besides its drawing, in the order of the node ids."""
    return [
        {
            "iri": node.iri,
            "kind": node.kind if node.kind in STYLES else "other",
            "label": node.label,
            "name": node.name,
            "key": node.key,
            "facts": [list(fact) for fact in node.facts],
            "source": _http(node.source),
        }
        for node in subgraph.nodes
    ]


def _options(net: Network, seed: int) -> dict[str, Any]:
    """pyvis's options, with the parts pyvis has no setter for."""
    options: dict[str, Any] = json.loads(net.get_network_data()[5])
    options["layout"] = {"randomSeed": seed, "improvedLayout": False}
    options["interaction"].update(
        {"hover": True, "tooltipDelay": 150, "hideEdgesOnZoom": len(net.edges) > 2000}
    )
    options["nodes"] = {
        "font": {"size": 12, "color": "#222222", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "borderWidth": 1,
    }
    options["edges"].update(
        {
            # Arrowheads take most of the drawing time of a dense page and cannot be told
            # apart there; the tooltips and the details panel say which way an edge goes.
            "arrows": {"to": {"enabled": len(net.edges) <= ARROW_EDGES, "scaleFactor": 0.35}},
            "color": {"color": EDGE_GREY, "highlight": "#333333", "hover": "#555555"},
            "width": 0.6,
            "selectionWidth": 1.5,
        }
    )
    options["physics"].update({"minVelocity": 1.0, "maxVelocity": 8, "adaptiveTimestep": False})
    options["physics"]["barnesHut"]["theta"] = 0.9  # coarser than the default 0.5, and faster
    return options


def _focus_name(node: Node) -> str:
    """A state by its short name (``Syria``); anything else by its short name and label."""
    if node.kind == "state" or not node.short or node.short == node.label:
        return node.name
    return f"{node.short}: {node.label}"


def title_for(subgraph: Subgraph, *, depth: int, with_states: bool = False) -> str:
    """A page title that says what the view shows: its focus (short name first, where it has
    one) and depth, or the whole corpus.

    >>> from lexgraph.views.subgraph import Node
    >>> focus = Subgraph((Node("c", "crime", "corruption"),), (), ("c",))
    >>> title_for(focus, depth=2)
    'lexgraph: corruption (crime type), 2 steps around'
    >>> title_for(Subgraph((), ()), depth=1, with_states=True)
    'lexgraph: the whole corpus, with states'
    """
    kinds = {n.iri: n for n in subgraph.nodes}
    names = [f"{_focus_name(n)} ({STYLES.get(n.kind, STYLES['other'])[0].lower()})"
             for n in (kinds[iri] for iri in subgraph.focus if iri in kinds)]  # fmt: skip
    if not names:
        return "lexgraph: the whole corpus" + (", with states" if with_states else "")
    steps = "1 step" if depth == 1 else f"{depth} steps"
    return f"lexgraph: {'; '.join(names)}, {steps} around"


def page(
    subgraph: Subgraph, *, title: str, citation: str, seed: int = 7, physics: bool = False
) -> str:
    """Return a complete, self-contained HTML page that draws ``subgraph``.

    The page needs no network and no other file: vis-network and tom-select are inlined from
    the pyvis package. Positions come from :func:`~lexgraph.render.viz.layout.positions` with
    ``seed``; with ``physics`` the page relaxes them for a capped number of iterations and
    then stops the simulation. When it is ready to use it sets ``data-ready`` on ``<body>``;
    ``window.lexgraphViz`` holds ``network``, ``nodes``, ``edges``, ``search(text)`` and
    ``highlight(id)`` for scripts and tests.

    The articles of each instrument are grouped under it (:func:`article_groups`): hidden at
    first, with one edge per kind from the instrument standing for theirs, and drawn round it
    when the reader clicks it. ``subgraph.notes`` are shown above the graph.
    """
    net = network(subgraph, seed=seed, physics=physics)
    plan = label_plan(subgraph)
    nodes, edges, *_ = net.get_network_data()
    info = _info(subgraph)
    counts = Counter(item["kind"] for item in info)
    data = {
        "physics": physics,
        "kinds": [
            {"kind": kind, "name": name, "color": colour, "shape": shape, "count": counts[kind]}
            for kind, (name, colour, shape, _) in STYLES.items()
            if counts[kind]
        ],
        "nodes": nodes,
        "info": info,
        "edges": edges,
        "edgeLabels": [edge.label for edge in subgraph.edges],
        "edgeNotes": [edge.note for edge in subgraph.edges],
        "edgeKinds": [
            {"label": label, "meaning": meaning, "color": colour, "count": count}
            for label, meaning, colour, count in edge_legend(subgraph)
        ],
        "groups": article_groups(subgraph),
        "minor": [
            i
            for i, node in enumerate(subgraph.nodes)
            if not plan[node.iri][2] and node.kind != "provision"
        ],
        "focus": [i for i, node in enumerate(subgraph.nodes) if node.iri in set(subgraph.focus)],
        "options": _options(net, seed),
    }
    scripts = [
        _inline(_pyvis_asset(VIS_DIR, "vis-network.min.js"), "script"),
        _inline(_pyvis_asset("tom-select", "tom-select.complete.min.js"), "script"),
        _inline(_own_asset("page.js"), "script"),
    ]
    styles = [
        _inline(_pyvis_asset(VIS_DIR, "vis-network.css"), "style"),
        _inline(_pyvis_asset("tom-select", "tom-select.css"), "style"),
        _inline(_own_asset("page.css"), "style"),
    ]
    csp = (
        "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
        "script-src " + " ".join(_csp_hash(s) for s in scripts)
    )
    template = _environment().get_template("page.html.j2")
    return template.render(
        title=title,
        citation=citation,
        version=__version__,
        csp=csp,
        node_count=len(nodes),
        edge_count=len(edges),
        notes=list(subgraph.notes),
        data=Markup(script_json(data)),
        scripts=[Markup(s) for s in scripts],
        styles=[Markup(s) for s in styles],
    )


def write_page(
    subgraph: Subgraph,
    path: Path,
    *,
    title: str,
    citation: str,
    seed: int = 7,
    physics: bool = False,
) -> Path:
    """Write :func:`page` of ``subgraph`` to ``path`` (UTF-8, atomically: a failure leaves the
    old file or the new one) and return the path."""
    write_output({path: page(subgraph, title=title, citation=citation, seed=seed, physics=physics)})
    return path
