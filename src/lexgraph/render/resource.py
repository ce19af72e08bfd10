"""The representations of a resource IRI: its page (HTML) and its description (Turtle, JSON-LD,
N-Triples), chosen by content negotiation or by the path's suffix.

``https://w3id.org/lexgraph/id/<key>`` and ``https://w3id.org/lexgraph/ontology`` resolve
to the same relative paths on any host that carries them: ``id/<key>`` (negotiated) and
``id/<key>.html``, ``.ttl``, ``.jsonld``, ``.nt``; ``ontology`` likewise, its page having an
anchor for each term (``ontology.html#Instrument``). ``lexgraph serve`` answers these paths
(:mod:`lexgraph.serve.resources`) and ``lexgraph site`` writes them as files
(:func:`write_resources`), the same bytes from the same functions. A page sits beside its
extension-less path, never in a folder of its own, so that its relative links mean the same
at ``id/<key>`` and at ``id/<key>.html``. Pages are made in the site's frame
(:mod:`lexgraph.render.site.frame`): escaped, relative links only, nothing from the network.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.escape import html as _h
from lexgraph.core.namespaces import ID, LEX
from lexgraph.render.site.frame import document, external, rel, table
from lexgraph.store.frames import short_key
from lexgraph.views.describe import FORMATS, ONTOLOGY, Description, UnknownResource, describe

#: Each suffix and the media type it is served as.
MEDIA_TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    **{suffix: media for suffix, (media, _) in FORMATS.items()},
}
#: The media types a client may ask for, and the suffix that answers each; first preferred.
_ACCEPTED: dict[str, str] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/n-triples": "nt",
    "text/plain": "nt",
}
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")


def negotiate(accept: str | None) -> str | None:
    """The suffix that best answers an ``Accept`` header (q-values honoured), None if none.

    >>> negotiate("text/turtle;q=0.9, text/html;q=0.2"), negotiate(None), negotiate("*/*")
    ('ttl', 'html', 'html')
    >>> negotiate("application/*"), negotiate("image/png")
    ('ttl', None)
    """
    if not accept or not accept.strip():
        return "html"
    offered = list(_ACCEPTED)
    best: tuple[float, int, str] | None = None
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower()
        for rank, candidate in enumerate(offered):
            kind = candidate.split("/")[0]
            wildcard = media in (f"{kind}/*", "*/*") and candidate != "application/xhtml+xml"
            if quality > 0 and (media == candidate or wildcard):
                key = (quality, -rank - (100 if media.endswith("*") else 0), candidate)
                if best is None or key[:2] > best[:2]:
                    best = key
    return _ACCEPTED[best[2]] if best else None


@functools.lru_cache(maxsize=65536)
def resource_path(iri: str) -> str | None:
    """The extension-less path of a resource IRI on a host (``id/instrument/untoc``).

    None for an IRI that no path names: outside the project, or a key that is not a plain
    path (so that no key can climb out of the site).
    """
    if iri == ONTOLOGY:
        return "ontology"
    if not iri.startswith(ID):
        return None
    segments = iri[len(ID) :].split("/")
    if len(segments) < 2 or not all(_SEGMENT.fullmatch(s) for s in segments):
        return None
    return "id/" + "/".join(segments)


def split_path(path: str) -> tuple[str, str | None] | None:
    """The IRI a path stands for and the suffix asked for (None: negotiate), or None.

    ``id/instrument/untoc.ttl`` → the IRI of ``instrument/untoc`` and ``ttl``; a key with a
    dot in it stays whole when the whole is a resource (:func:`represent` tries both).
    """
    path = path.strip("/")
    base, dot, suffix = path.rpartition(".")
    if dot and suffix in MEDIA_TYPES and (base == "ontology" or base.startswith("id/")):
        return _iri(base), suffix
    if path == "ontology" or path.startswith("id/"):
        return _iri(path), None
    return None


def _iri(path: str) -> str:
    return ONTOLOGY if path == "ontology" else ID + path[3:]


@dataclass(frozen=True)
class Representation:
    """An answer to a GET of a resource path."""

    status: int
    media_type: str
    body: bytes
    #: The path of the file that holds this representation (``id/crime/fraud.ttl``).
    location: str | None = None


def represent(store: ox.Store, citation: str, path: str, accept: str | None) -> Representation:
    """Answer a GET of ``path`` (relative, no leading slash) with ``Accept: accept``."""
    found = split_path(path)
    if found is None:
        return _not_found(path, "no resource lives at this path", citation)
    iri, suffix = found
    whole = ONTOLOGY if path.strip("/") == "ontology" else ID + path.strip("/")[3:]
    if suffix is not None and _known(store, whole):
        iri, suffix = whole, None  # a key with a dot (iccs/03.1) that is a resource itself
    if resource_path(iri) is None:
        return _not_found(path, "no resource lives at this path", citation)
    try:
        described = describe(store, iri)
    except UnknownResource as exc:
        return _not_found(path, str(exc), citation)
    chosen = suffix or negotiate(accept)
    if chosen is None:
        offered = ", ".join(sorted(set(MEDIA_TYPES.values())))
        return Representation(
            406, "text/plain; charset=utf-8", f"406: offered {offered}\n".encode()
        )
    body = render(store, described, chosen, citation)
    return Representation(200, MEDIA_TYPES[chosen], body, f"{resource_path(iri)}.{chosen}")


def _known(store: ox.Store, iri: str) -> bool:
    try:
        if iri == ONTOLOGY:
            return _quads_of_ontology(store)
        return any(store.quads_for_pattern(ox.NamedNode(iri), None, None))
    except ValueError:
        return False


def render(store: ox.Store, described: Description, suffix: str, citation: str) -> bytes:
    """One representation of a described resource: its page or its RDF description."""
    if suffix != "html":
        return described.serialize(suffix)
    if described.iri == ONTOLOGY:
        return ontology_page(store, described, citation).encode()
    return resource_page(store, described, citation).encode()


def _value(store: ox.Store, here: str, value: str, value_label: str | None) -> str:
    """A value: a link to its page where the graph describes it, else its IRI or text."""
    if value_label is None:
        return _h(value)
    target = resource_path(value)
    if target is not None and target != "ontology" and _known(store, value):
        return f'<a href="{rel(target + ".html", here)}">{_h(value_label)}</a>'
    if value.startswith(LEX):
        anchor = value[len(LEX) :]
        return f'<a href="{rel("ontology.html", here)}#{_h(anchor)}">{_h(value_label)}</a>'
    if not re.match(r"^https?://[^\s<>\"]+$", value):
        return _h(value)
    name = short_key(value)
    return f'<a href="{_h(value)}" rel="noopener noreferrer">{_h(name)}</a>'


def _alternates(here: str, base: str) -> str:
    links = [
        f'<a href="{rel(f"{base}.{s}", here)}" type="{_h(MEDIA_TYPES[s])}">{s}</a>' for s in FORMATS
    ]
    return f'<p class="query">This description as {", ".join(links)}.</p>'


def resource_page(store: ox.Store, described: Description, citation: str) -> str:
    """The page of one resource: its IRI, types, every fact with its file, its sources."""
    base = resource_path(described.iri) or "id/unknown"
    here = base + ".html"
    rows = [
        [
            _value(store, here, f.predicate, f.predicate_label),
            _value(store, here, f.value, f.value_label),
            _h(f.datatype.rsplit("#", 1)[-1]),
            _h(", ".join(f.files)),
        ]
        for f in described.facts
    ]
    sources = "".join(f"<li>{external(s)}</li>" for s in described.sources)
    body = (
        f"<h1>{_h(described.label)}</h1>"
        f'<dl class="facts"><dt>IRI</dt><dd><code>{_h(described.iri)}</code></dd>'
        + "".join(
            f"<dt>type</dt><dd>{_value(store, here, t, short_key(t))}</dd>" for t in described.types
        )
        + (f"<dt>as at</dt><dd>{_h(', '.join(described.as_at))}</dd>" if described.as_at else "")
        + "</dl>"
        + (f"<h2>Sources</h2><ul>{sources}</ul>" if sources else "")
        + "<h2>Facts</h2>"
        + table(["property", "value", "datatype or language", "from the file"], rows)
        + _alternates(here, base)
    )
    return document(described.label, here, body, citation)


def ontology_page(store: ox.Store, described: Description, citation: str) -> str:
    """The ontology's page: each term (an anchor named by its local name) and its facts."""
    here = "ontology.html"
    by_term: dict[str, list[ox.Triple]] = defaultdict(list)
    for triple in described.triples:
        if isinstance(triple.subject, ox.NamedNode):
            by_term[triple.subject.value].append(triple)
    parts = []
    for term in sorted(by_term, key=lambda t: (t != ONTOLOGY, t.lower())):
        anchor = term[len(LEX) :] if term.startswith(LEX) else "ontology"
        facts = describe(store, term).facts if term != ONTOLOGY else ()
        items = "".join(
            f"<dt>{_h(f.predicate_label)}</dt>"
            f"<dd>{_value(store, here, f.value, f.value_label)}</dd>"
            for f in facts
        )
        title = _h(anchor if term != ONTOLOGY else "the ontology")
        parts.append(f'<section id="{_h(anchor)}"><h2>{title}</h2><p><code>{_h(term)}</code></p>'
                     f'<dl class="facts">{items}</dl></section>')  # fmt: skip
    body = (
        "<h1>The lexgraph ontology</h1><p>Every term, with what the graph states about it. "
        "<code>lexgraph docs</code> writes the full documentation.</p>"
        + _alternates(here, "ontology")
        + "".join(parts)
    )
    return document("ontology", here, body, citation)


def _not_found(path: str, message: str, citation: str) -> Representation:
    here = path.strip("/")  # the links must work from where the page is answered
    body = (
        f"<h1>Not found</h1><p>{_h(message)}.</p><p>Path: <code>{_h(path)}</code>. lexgraph "
        f"resources live under <code>{_h(ID)}</code>, e.g. "
        f'<a href="{rel("id/instrument/untoc.html", here)}">instrument/untoc</a>; the '
        f'ontology at <a href="{rel("ontology.html", here)}">ontology</a>.</p>'
    )
    return Representation(
        404, MEDIA_TYPES["html"], document("Not found", here, body, citation).encode()
    )


def resources(store: ox.Store) -> list[str]:
    """Every IRI a path resolves: each instance the graph describes, and the ontology."""
    found = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None)
        if isinstance(q.subject, ox.NamedNode) and resource_path(q.subject.value) is not None
    }
    ontology = [ONTOLOGY] if _quads_of_ontology(store) else []
    return [*ontology, *sorted(found - {ONTOLOGY})]


def _quads_of_ontology(store: ox.Store) -> bool:
    return any(
        isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(LEX)
        for q in store.quads_for_pattern(None, None, None)
    )


def write_resources(
    out: Path, store: ox.Store, citation: str, only: Iterable[str] | None = None
) -> int:
    """Write every resource's page and descriptions under ``out`` (or those of ``only``);
    return how many resources."""
    count = 0
    names: dict[str, str] = {}
    for iri in resources(store) if only is None else only:
        base = resource_path(iri)
        assert base is not None
        described = describe(store, iri, names)
        target = out / base
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in MEDIA_TYPES:
            target.with_name(f"{target.name}.{suffix}").write_bytes(
                render(store, described, suffix, citation)
            )
        count += 1
    return count
