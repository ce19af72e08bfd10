"""The ontology's documentation page, written from its annotations by pyLODE.

``build/docs/index.html`` is pyLODE's OntPub page of ``ontology/lexgraph.ttl`` with
``ontology/alignments.ttl`` (so superclasses in ELI, SKOS, PROV and FOAF are shown), followed
by a section of our own for the SKOS schemes of ``ontology/vocab/``: pyLODE documents classes
and properties, not the concepts of a scheme.

The page works offline. pyLODE inlines its stylesheet (``include_css=True``), its icons are
``data:`` URIs and its only script is inline JSON-LD, so nothing had to be removed; should a
later pyLODE link a stylesheet or script from another host, :func:`drop_external` removes
it. Links to term IRIs stay: they are links, not resources the page loads.

pyLODE 3.4.1 cannot be imported from a wheel (its ``version.py`` reads a ``pyproject.toml``
that is not installed), hence the dependency excludes it. Importing pyLODE also configures
the root logger at DEBUG level; :func:`_quiet` puts the logger back as it was.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from lexgraph.core.atomic import write_atomically
from lexgraph.core.namespaces import ID, PREFIXES
from lexgraph.core.paths import Layout
from lexgraph.core.terms import Lex
from lexgraph.core.turtle import natural_key
from lexgraph.store.sources import parse_file
from lexgraph.store.validate import to_rdflib

_EXTERNAL = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>"
    r"|@import\s+(?:url\()?[\"']?(?:https?:)?//[^;]*;",
    re.IGNORECASE,
)
_KEY = URIRef(Lex.key)


@contextmanager
def _quiet() -> Iterator[None]:
    """Keep pyLODE's logging setup and its progress messages out of the caller's logs."""
    root = logging.getLogger()
    handlers, level, disabled = list(root.handlers), root.level, root.manager.disable
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(disabled)
        root.handlers[:] = handlers
        root.setLevel(level)


def drop_external(page: str) -> str:
    """Remove stylesheets, scripts and imports that a page would fetch from another host.

    >>> drop_external('<link rel="stylesheet" href="https://cdn.example/x.css"><p>kept</p>')
    '<p>kept</p>'
    >>> drop_external('<link rel="icon" href="data:image/png;base64,AA==">')
    '<link rel="icon" href="data:image/png;base64,AA==">'
    """
    return _EXTERNAL.sub("", page)


def ontology_page(ontology: Graph) -> str:
    """Return pyLODE's OntPub HTML for ``ontology``, with no external resources."""
    with _quiet():
        from pylode import OntPub  # type: ignore[import-untyped]

        page: Any = OntPub(ontology).make_html(include_css=True)
    return drop_external(str(page))


def _text(graph: Graph, subject: URIRef, *predicates: URIRef) -> str:
    """Return the English (else untagged, else first) value of the first predicate present."""
    for predicate in predicates:
        values = sorted(
            (o for o in graph.objects(subject, predicate) if isinstance(o, Literal)),
            key=lambda o: (o.language not in ("en", None), o.language is not None, str(o)),
        )
        if values:
            return str(values[0])
    return ""


def _anchor(iri: URIRef) -> str:
    local = str(iri)[len(ID) :] if str(iri).startswith(ID) else str(iri)
    return "v-" + re.sub(r"[^A-Za-z0-9_-]+", "-", local).strip("-")


def _concepts(graph: Graph, scheme: URIRef) -> list[tuple[URIRef, int]]:
    """Return the scheme's concepts depth first from its top concepts, with their depth."""
    members = {c for c in graph.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)}
    members |= {c for c in graph.subjects(SKOS.topConceptOf, scheme) if isinstance(c, URIRef)}
    children: dict[URIRef, list[URIRef]] = {}
    roots = []
    for concept in sorted(members, key=lambda c: natural_key(str(c))):
        parents = [p for p in graph.objects(concept, SKOS.broader) if p in members]
        if not parents:
            roots.append(concept)
        for parent in parents:
            children.setdefault(parent, []).append(concept)  # type: ignore[arg-type]
    ordered: list[tuple[URIRef, int]] = []
    seen: set[URIRef] = set()

    def visit(concept: URIRef, depth: int) -> None:
        if concept not in seen:
            seen.add(concept)
            ordered.append((concept, depth))
            for child in children.get(concept, []):
                visit(child, depth + 1)

    for root in roots:
        visit(root, 0)
    for concept in sorted(members - seen, key=lambda c: natural_key(str(c))):
        visit(concept, 0)  # concepts on a cycle of skos:broader
    return ordered


def vocabulary_section(vocab: Graph) -> tuple[str, str]:
    """Return the HTML section that documents the SKOS schemes, and its table-of-contents entry.

    Each scheme shows its IRI and definition, then one row per concept (indented under its
    broader concept) with its key or notation and its definition.
    """
    esc = html.escape
    schemes = sorted(
        (s for s in vocab.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)),
        key=lambda s: _text(vocab, s, SKOS.prefLabel, DCTERMS.title).casefold(),
    )
    parts = ['<div class="section" id="vocabularies">', "<h2>Vocabularies</h2>"]
    toc = ['<li><h4><a href="#vocabularies">Vocabularies</a></h4><ul class="second">']
    for scheme in schemes:
        label = _text(vocab, scheme, SKOS.prefLabel, DCTERMS.title) or str(scheme)
        definition = _text(vocab, scheme, SKOS.definition, DCTERMS.description)
        concepts = _concepts(vocab, scheme)
        toc.append(f'<li><a href="#{_anchor(scheme)}">{esc(label)}</a></li>')
        parts += [
            f'<div class="property entity" id="{_anchor(scheme)}">',
            f"<h3>{esc(label)}</h3>",
            "<table>",
            f"<tr><th>IRI</th><td><code>{esc(str(scheme))}</code></td></tr>",
            f"<tr><th>Definition</th><td>{esc(definition)}</td></tr>",
            f"<tr><th>Concepts</th><td>{len(concepts)}</td></tr>",
            "</table>",
            "<table>",
            "<tr><th>concept</th><th>key</th><th>definition</th></tr>",
        ]
        for concept, depth in concepts:
            name = _text(vocab, concept, SKOS.prefLabel) or str(concept)
            key = _text(vocab, concept, _KEY, SKOS.notation)
            parts.append(
                f'<tr id="{_anchor(concept)}">'
                f'<td style="padding-left:{0.3 + 1.2 * depth:.1f}em">'
                f'<a href="{esc(str(concept))}">{esc(name)}</a></td>'
                f"<td><code>{esc(key)}</code></td>"
                f"<td>{esc(_text(vocab, concept, SKOS.definition))}</td></tr>"
            )
        parts += ["</table>", "</div>"]
    parts.append("</div>")
    toc.append("</ul></li>")
    return "\n".join(parts) + "\n", "\n".join(toc) + "\n"


def _insert(page: str, section: str, toc: str) -> str:
    """Put the section before pyLODE's Namespaces section and its entry in the contents."""
    at = page.find('<div id="namespaces">')
    if at < 0:
        at = page.rfind("</body>")
        return page[:at] + section + page[at:]
    page = page[:at] + section + page[at:]
    link = page.find('<a href="#namespaces">')
    item = page.rfind("<li>", 0, link)
    return page[:item] + toc + page[item:] if link >= 0 and item >= 0 else page


def _parse(layout: Layout, paths: list[Path]) -> Graph:
    """Parse source files (the build's parser, so errors name file, line and column) into one
    rdflib graph that knows the package's prefixes."""
    quads = [q for path in paths if path.is_file() for q in parse_file(path, layout.relative(path))]
    graph = to_rdflib(quads)
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, replace=True)
    return graph


def write_docs(layout: Layout) -> Path:
    """Write the ontology's documentation to ``layout.docs / "index.html"`` and return its path.

    Reads the hand-edited sources, not the build, so it needs no ``lexgraph build``. The page
    is the same, byte for byte, for the same sources and pyLODE version.
    """
    ontology = _parse(
        layout, [layout.ontology / "lexgraph.ttl", layout.ontology / "alignments.ttl"]
    )
    vocab = _parse(layout, sorted((layout.ontology / "vocab").glob("*.ttl")))
    page = _insert(ontology_page(ontology), *vocabulary_section(vocab))
    target = layout.docs / "index.html"
    write_atomically(target, page)
    return target
