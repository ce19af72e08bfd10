"""How a node's label is chosen: one rule for the finder, the views and the pages.

A node is called by its preferred label (``skos:prefLabel``), else its ``rdfs:label``, else its
``skos:notation``, else its key (the last segment of its IRI). Among the labels of one property
the English one comes first, then one without a language, then the first in text order; of
two English labels (which SKOS forbids for ``prefLabel``), the first the store gives.

>>> store = ox.Store()
>>> node = ox.NamedNode("https://w3id.org/lexgraph/id/crime/fraud")
>>> store.add(ox.Quad(node, ox.NamedNode(Skos.prefLabel), ox.Literal("fraude", language="fr")))
>>> label(store, node.value)
'fraude'
>>> store.add(ox.Quad(node, ox.NamedNode(Skos.prefLabel), ox.Literal("fraud", language="en")))
>>> label(store, node.value), label(store, "https://w3id.org/lexgraph/id/crime/theft")
('fraud', 'theft')
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from lexgraph.core.terms import Lex, Rdfs, Skos

#: The properties a label is taken from, first found first.
LABEL_PROPERTIES = (Skos.prefLabel, Rdfs.label, Skos.notation)


def last_segment(iri: str) -> str:
    """The last segment of an IRI: the key a node without a label is called by.

    >>> last_segment("https://w3id.org/lexgraph/id/instrument/untoc")
    'untoc'
    """
    return iri.rstrip("/").rsplit("/", 1)[-1]


def best(literals: Iterable[ox.Literal]) -> str | None:
    """The label to show among the literals of one property: English, no language, first."""
    by_language: dict[str, str] = {}
    for literal in literals:
        by_language.setdefault(literal.language or "", literal.value)
    if not by_language:
        return None
    return by_language.get("en") or by_language.get("") or sorted(by_language.values())[0]


def _literals(
    store: ox.Store, subject: ox.NamedNode | None, prop: str
) -> Iterable[tuple[str, ox.Literal]]:
    """(subject IRI, literal) for each literal value of ``prop``, on ``subject`` or on any."""
    for quad in store.quads_for_pattern(subject, ox.NamedNode(prop), None):
        if isinstance(quad.object, ox.Literal) and isinstance(quad.subject, ox.NamedNode):
            yield quad.subject.value, quad.object


def label(store: ox.Store, iri: str) -> str:
    """The label of ``iri`` by the rule above (its key when it has none)."""
    node = ox.NamedNode(iri)
    for prop in LABEL_PROPERTIES:
        found = best(literal for _, literal in _literals(store, node, prop))
        if found is not None:
            return found
    return last_segment(iri)


def labels(store: ox.Store, prefix: str) -> dict[str, str]:
    """The label of every node whose IRI starts with ``prefix`` and that has one, by IRI.

    Nodes without a label are left out, so that ``labels(...).get(iri)`` tells them apart; the
    caller falls back to :func:`last_segment` (as :func:`label` does) or says what is missing.
    """
    found: dict[str, str] = {}
    for prop in LABEL_PROPERTIES:
        grouped: dict[str, list[ox.Literal]] = defaultdict(list)
        for iri, literal in _literals(store, None, prop):
            if iri.startswith(prefix) and iri not in found:
                grouped[iri].append(literal)
        for iri, literals in grouped.items():
            chosen = best(literals)
            if chosen is not None:
                found[iri] = chosen
    return found


#: The articles UNTERM writes in brackets after a short name: "Philippines (the)",
#: "Pays-Bas (les)", "Afghanistan (l')", "Países Bajos (los)".
UNTERM_ARTICLE = r"\((?:the|le|la|les|l'|el|los|las)\)"
_ARTICLE = re.compile(r"\s*" + UNTERM_ARTICLE + "$", re.IGNORECASE)


def short_name(store: ox.Store, iri: str) -> str:
    """The name to use in a sentence, a table or a figure: the node's ``lex:shortName``
    (every instrument has one: ``UNTOC``, ``ETS 24 Extradition Convention``), else the
    shortest English alternative label when it is shorter than the label, else the label
    without a UNTERM article in brackets (``Russian Federation``, not ``Russian Federation (the)``).

    >>> store = ox.Store()
    >>> node = ox.NamedNode("https://w3id.org/lexgraph/id/state/PHL")
    >>> name = ox.Literal("Philippines (the)", language="en")
    >>> store.add(ox.Quad(node, ox.NamedNode(Skos.prefLabel), name))
    >>> short_name(store, node.value)
    'Philippines'
    """
    given = best(literal for _, literal in _literals(store, ox.NamedNode(iri), Lex.shortName))
    if given is not None:
        return given
    full = _ARTICLE.sub("", label(store, iri))
    alternatives = [
        literal.value
        for _, literal in _literals(store, ox.NamedNode(iri), Skos.altLabel)
        if literal.language in ("en", None, "")
    ]
    shortest = min(alternatives, key=lambda a: (len(a), a), default=None)
    return shortest if shortest is not None and len(shortest) < len(full) else full
