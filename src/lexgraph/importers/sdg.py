"""Import the SDG goals, targets and indicators lexgraph links to, from the UN SDG KOS.

The UN Statistics Division's Knowledge Organization System (``http://metadata.un.org/sdg``)
gives each goal, target and indicator an IRI, notations and labels in several languages. The
import keeps the goals and targets the instruments serve (``TARGETS``), their indicators, and
their English, French and Spanish labels, with the KOS's required citation in the header.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import Literal, URIRef

from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import PREFIXES
from lexgraph.core.terms import Dcterms, Rdf, Sdgo, Skos
from lexgraph.core.turtle import Block, Term, write_turtle
from lexgraph.importers import MAX_INPUT_BYTES, generated_header

SOURCE = (
    "https://github.com/UNStats/LOD4Stats/blob/0ae578bacb/sdg-data/"
    "sdg-kos-goals-targets-indicators.ttl"
)
CITATION = (
    "Amit Joshi, Luis Gonzalez Morales, Szymon Klarman, and Aaron Helton. 2019. A "
    "Knowledge Organization System for the United Nations Sustainable Development "
    "Goals. New York, NY. http://metadata.un.org/sdg"
)
TARGETS = ("16.4", "16.5", "16.2", "16.a", "15.7", "15.c", "5.2", "8.7")
SDG = PREFIXES["sdg"]
LANGS = ("en", "fr", "es")
LINKS = (
    Skos.broader,
    Skos.narrower,
    Sdgo.hasIndicator,
    Sdgo.isIndicatorOf,
    Sdgo.hasTarget,
    Sdgo.isTargetOf,
)
KEPT = (
    Rdf.type,
    Skos.prefLabel,
    Skos.altLabel,
    Skos.notation,
    Skos.inScheme,
    Skos.exactMatch,
    Sdgo.custodianAgency,
    Sdgo.tier,
)


def _selected(graph: rdflib.Graph) -> list[URIRef]:
    chosen: set[URIRef] = set()
    for code in TARGETS:
        target = URIRef(SDG + code)
        if (target, None, None) not in graph:
            raise InputError(f"SDG KOS has no target {code} ({target})")
        chosen.add(target)
        chosen.update(
            o for o in graph.objects(target, URIRef(Sdgo.hasIndicator)) if isinstance(o, URIRef)
        )
        chosen.update(
            o for o in graph.objects(target, URIRef(Skos.broader)) if isinstance(o, URIRef)
        )
    return sorted(chosen)


def _pairs(graph: rdflib.Graph, node: URIRef, chosen: set[URIRef]) -> Iterable[tuple[str, Term]]:
    for p, o in sorted(graph.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))):
        if isinstance(o, Literal) and o.language and o.language not in LANGS:
            continue
        if not isinstance(o, URIRef | Literal):
            continue
        if str(p) in KEPT or (str(p) in LINKS and o in chosen):
            yield str(p), o
    yield Dcterms.source, URIRef(SOURCE)


def _checked(block: Block, where: Path) -> Block:
    """Return ``block`` if it can be written as Turtle; rdflib's parser lets through IRIs with
    spaces and lone surrogates (``"\\uD800"``) that the build's parser would refuse."""
    for term in (URIRef(block.subject), *(o for _, o in block.pairs)):
        try:
            if isinstance(term, URIRef):
                ox.NamedNode(str(term))
            else:
                str(term).encode("utf-8")
        except (ValueError, UnicodeEncodeError) as exc:
            raise InputError(f"{where}: <{block.subject}>: cannot write {term!r}: {exc}") from None
    return block


def import_sdg(kos_path: Path, out_dir: Path) -> list[Path]:
    """Write ``sdg.ttl`` into ``out_dir`` from the KOS Turtle file."""
    graph = rdflib.Graph()
    try:
        if kos_path.stat().st_size > MAX_INPUT_BYTES:
            raise InputError(f"{kos_path}: more than {MAX_INPUT_BYTES} bytes")
        graph.parse(kos_path, format="turtle")
    except InputError:
        raise
    except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
        raise InputError(f"{kos_path}: cannot parse the SDG KOS: {exc}") from exc
    try:
        chosen = _selected(graph)
    except InputError as exc:
        raise InputError(f"{kos_path}: {exc}") from None
    blocks = [
        _checked(Block(str(n), list(_pairs(graph, n, set(chosen)))), kos_path) for n in chosen
    ]
    header = generated_header(
        f"SDG goals, targets {', '.join(TARGETS)} and their indicators (EN, FR, ES).",
        f"the UN SDG KOS, {SOURCE}",
        ["sdg", kos_path.name],
        [f"Required citation: {CITATION}"],
    )
    path = out_dir / "sdg.ttl"
    write_turtle(path, header, blocks, ("skos", "sdg", "sdgo", "dcterms"))
    return [path]
