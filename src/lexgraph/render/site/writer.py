"""Writing the site: every page and graph into a temporary directory, then switched in.

The output is deterministic and switched in atomically: it is written into a temporary
directory beside the target, which then replaces the previous site in two renames.

Speed: the site runs each query once, with its parameters free, and groups the rows by
entity; it works on an in-memory copy of the store. :func:`select` reads every participation
record whenever a state is in focus, so the state pages select from the graph with only that
state's records: the same subgraph at depth 1, as other states are not drawn.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.atomic import replace_directory
from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import ID
from lexgraph.core.paths import Layout
from lexgraph.core.terms import Lex, Rdf
from lexgraph.core.version import __version__
from lexgraph.render.site.assets import hoist
from lexgraph.render.site.data import SiteData, gather
from lexgraph.render.site.frame import CSS, SEARCH_JS
from lexgraph.render.site.pages import entity_page, index_page
from lexgraph.views.context import Context
from lexgraph.views.subgraph import Node, Subgraph, select

#: The file that marks a directory as a site lexgraph wrote (and may replace).
MARKER = ".lexgraph-site"


@dataclass(frozen=True)
class SiteResult:
    """What :func:`write_site` wrote, and how long it took."""

    directory: Path
    pages: int
    graphs: int
    queries: int
    seconds: float


GraphWriter = Callable[[Subgraph, Path, str, str], None]


def write_graph(subgraph: Subgraph, path: Path, title: str, citation: str) -> None:
    """Write the interactive page of a neighbourhood beside the page that embeds it."""
    from lexgraph.render.viz import page

    path.write_text(page(subgraph, title=title, citation=citation, seed=7), encoding="utf-8")


def _state_store(store: ox.Store) -> tuple[dict[str, list[ox.Quad]], int]:
    """Take every participation record out of ``store``; return the quads by participant."""
    participant = ox.NamedNode(Lex.participant)
    by_state: dict[str, list[ox.Quad]] = defaultdict(list)
    taken = 0
    subjects = [
        q.subject
        for q in store.quads_for_pattern(
            None, ox.NamedNode(Rdf.type), ox.NamedNode(Lex.Participation)
        )
    ]
    for subject in subjects:
        quads = list(store.quads_for_pattern(subject, None, None))
        states = [
            q.object.value
            for q in quads
            if q.predicate == participant and isinstance(q.object, ox.NamedNode)
        ]
        for quad in quads:
            store.remove(quad)
            taken += 1
        for state in states:
            by_state[state].extend(quads)
    return dict(by_state), taken


def _selection(store: ox.Store, node: Node) -> Subgraph:
    """The depth-1 neighbourhood of an entity; a participant that is not a State (the EU),
    which no filter of :func:`select` names, is shown alone."""
    if node.kind == "state":
        code = dict(node.facts).get("ISO 3166")
        if not code or not node.iri.startswith(ID + "state/"):
            return Subgraph((node,), (), (node.iri,))
        return select(store, state=code, depth=1)
    if node.kind == "crime":
        return select(store, crime=node.iri, depth=1)
    if node.kind == "modality":
        return select(store, modality=node.iri, depth=1)
    return select(store, instrument=node.iri, depth=1)


def write_site(
    out: Path,
    *,
    store: ox.Store | None = None,
    layout: Layout | None = None,
    graph_writer: GraphWriter | None = None,
) -> SiteResult:
    """Write the site into ``out``, replacing a site written there before.

    ``graph_writer`` writes each neighbourhood graph page (default :func:`write_graph`); a
    directory that exists and is neither empty nor a lexgraph site is left alone.
    """
    started = time.perf_counter()
    source = Context.of(store, layout)
    out = out.resolve()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise InputError(f"{out}: exists and is not a site lexgraph wrote; give another -o")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out}: cannot write: {exc.strerror or exc}") from exc
    memory = ox.Store()
    memory.bulk_extend(source.store.quads_for_pattern(None, None, None))
    ctx = Context(memory, source.layout)
    citation = ctx.caption()
    corpus = select(memory, with_states=True)
    data = gather(ctx, corpus)
    work: Path | None = None
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
        work.chmod(0o755)  # mkdtemp makes it private; a site is for publishing
        counts = _write_all(work, ctx, data, citation, graph_writer or write_graph)
        (work / MARKER).write_text(f"lexgraph {__version__} site\n", encoding="utf-8")
        replace_directory(work, out)
    except BaseException as exc:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
        if isinstance(exc, OSError):  # a read-only or full disk: the previous site is untouched
            where = exc.filename or out
            raise InputError(
                f"{out}: cannot write the site ({where}: {exc.strerror or exc}); "
                "the previous site, if any, is untouched"
            ) from None
        raise
    return SiteResult(out, counts[0], counts[1], counts[2], time.perf_counter() - started)


def _write_all(
    work: Path, ctx: Context, data: SiteData, citation: str, graph_writer: GraphWriter
) -> tuple[int, int, int]:
    (work / "assets").mkdir()
    (work / "assets" / "site.css").write_text(CSS, encoding="utf-8")
    (work / "assets" / "search.js").write_text(SEARCH_JS, encoding="utf-8")
    (work / "queries").mkdir()
    for name, question in sorted(data.used.items()):
        (work / "queries" / f"{name}.rq").write_text(question.text, encoding="utf-8")
    seen: dict[str, str] = {}
    pages = graphs = 0
    # every IRI's page and descriptions (id/..., ontology), from the whole graph; imported
    # here, as lexgraph.render.resource uses this package's frame
    from lexgraph.render.resource import write_resources

    write_resources(work, ctx.store, citation)
    by_state, _ = _state_store(ctx.store)
    ordered = sorted(
        data.paths.items(), key=lambda item: (data.nodes[item[0]].kind == "state", item[1])
    )
    for iri, path in ordered:
        node = data.nodes[iri]
        if node.kind == "state":
            quads = by_state.get(iri, [])
            ctx.store.extend(quads)
            subgraph = _selection(ctx.store, node)
            for quad in quads:
                ctx.store.remove(quad)
        else:
            subgraph = _selection(ctx.store, node)
        target = work / path
        target.parent.mkdir(parents=True, exist_ok=True)
        graph = target.with_name(target.stem + ".graph.html")
        graph_writer(subgraph, graph, f"Neighbourhood of {node.label}", citation)
        graph.write_text(hoist(graph.read_text("utf-8"), work / "assets", "../", seen), "utf-8")
        graphs += 1
        target.write_text(entity_page(data, node, subgraph, path, citation), encoding="utf-8")
        pages += 1
    (work / "index.html").write_text(index_page(data, citation), encoding="utf-8")
    return pages + 1, graphs, len(data.used)
