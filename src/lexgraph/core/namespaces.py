"""The one prefix table of the project.

Every Turtle file, query and serialisation uses these prefixes and no others; a test holds
the files to this table.
"""

from __future__ import annotations

from typing import Final

BASE: Final = "https://w3id.org/lexgraph/"
LEX: Final = BASE + "ontology#"
LEX_SH: Final = BASE + "shapes#"
ID: Final = BASE + "id/"
SOURCE_GRAPH: Final = BASE + "source/"

PREFIXES: Final[dict[str, str]] = {
    "lex": LEX,
    "lex-sh": LEX_SH,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "sh": "http://www.w3.org/ns/shacl#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "prov": "http://www.w3.org/ns/prov#",
    "vann": "http://purl.org/vocab/vann/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "sdg": "http://metadata.un.org/sdg/",
    "sdgo": "http://metadata.un.org/sdg/ontology#",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "schema": "https://schema.org/",
}


def sparql_prologue() -> str:
    """Return the PREFIX lines of the whole table, for generated queries.

    >>> sparql_prologue().splitlines()[0]
    'PREFIX lex: <https://w3id.org/lexgraph/ontology#>'
    """
    return "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + "\n"


def instance(kind: str, key: str) -> str:
    """Return the IRI of an instance of a kind (instrument, crime, modality, state...).

    >>> instance("state", "JPN")
    'https://w3id.org/lexgraph/id/state/JPN'
    """
    return f"{ID}{kind}/{key}"


def key_of(iri: str) -> str:
    """Return the key part of an instance IRI, the inverse of :func:`instance`.

    >>> key_of("https://w3id.org/lexgraph/id/instrument/untoc")
    'instrument/untoc'
    """
    return iri[len(ID) :] if iri.startswith(ID) else iri
