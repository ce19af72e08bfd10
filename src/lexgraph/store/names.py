"""Find a participant (a state, or an organisation such as the EU) by code or by name.

A state is given by its ISO 3166-1 alpha-3 or alpha-2 code, an organisation by its key, and
either by any of its names: ``skos:prefLabel``, ``skos:altLabel``, ``skos:hiddenLabel`` or
``rdfs:label``, in any language. That takes in the UNTERM short and formal names and the M49
names in the six UN languages and the CLDR English names of ``graph/imported/states.ttl``, the
depositaries' spellings of ``graph/participant-names.ttl`` and the few common English names of
``graph/state-names.ttl``. Names are compared by
:func:`fold_name`, so that "cote d'ivoire", "COTE D\u2019IVOIRE" and "Côte d\u2019Ivoire" are
one name, and "Philippines (the)" and "the Philippines" are "philippines".

One folded name that names two participants is refused as ambiguous, never settled by picking
one; a name that names none is answered with the closest names.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import ID, instance
from lexgraph.core.suggest import close_matches
from lexgraph.core.terms import Lex, Rdfs, Skos
from lexgraph.store.labels import UNTERM_ARTICLE, label, last_segment

#: The properties a participant is found by, the preferred first (its name in suggestions).
NAME_PROPERTIES = (Skos.prefLabel, Skos.altLabel, Skos.hiddenLabel, Rdfs.label)
#: The kinds of participant, by the path of their IRIs.
KINDS = ("state", "organization")
_ARTICLE_AFTER = re.compile(UNTERM_ARTICLE)
#: The articles that open a formal name: "the Russian Federation", "la République de Corée",
#: "l'État plurinational de Bolivie" (its apostrophe already a space), "los Estados Unidos".
_ARTICLE_BEFORE = re.compile(r"^(?:the|le|la|les|l|el|los|las) ")
_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u0060\u00b4]")
_NOT_A_LETTER = re.compile(r"[\W_]+")


def fold_name(name: str) -> str:
    """Fold a name for comparison: accents, case, articles, punctuation and spacing.

    Accents go by Unicode NFKD, dropping the combining marks; case by ``casefold``; the
    articles of UNTERM names (above) are dropped; every run of characters that are not letters
    or digits (apostrophes, hyphens, commas, brackets, footnote asterisks) becomes one space.

    >>> fold_name("COTE D\u2019IVOIRE"), fold_name("Philippines (the)"), fold_name("Pays-Bas (les)")
    ('cote d ivoire', 'philippines', 'pays bas')
    >>> fold_name("the Holy See *"), fold_name("l\u2019État plurinational de Bolivie")
    ('holy see', 'etat plurinational de bolivie')
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _ARTICLE_AFTER.sub(" ", _APOSTROPHES.sub("'", text))
    text = " ".join(_NOT_A_LETTER.sub(" ", text).split())
    return _ARTICLE_BEFORE.sub("", text)


def _named(store: ox.Store) -> Iterator[tuple[str, str]]:
    """(IRI, name) of every name of every participant, the preferred names first."""
    prefixes = tuple(f"{ID}{kind}/" for kind in KINDS)
    for prop in NAME_PROPERTIES:
        found = {
            (q.subject.value, q.object.value)
            for q in store.quads_for_pattern(None, ox.NamedNode(prop), None)
            if isinstance(q.subject, ox.NamedNode)
            and q.subject.value.startswith(prefixes)
            and isinstance(q.object, ox.Literal)
        }
        yield from sorted(found)


def _bylast_segment(store: ox.Store, text: str) -> ox.NamedNode | None:
    """The participant whose alpha-3 code, alpha-2 code or organisation key ``text`` is."""
    code = text.upper()
    if re.fullmatch(r"[A-Z]{3}", code) and any(
        store.quads_for_pattern(ox.NamedNode(instance("state", code)), None, None)
    ):
        return ox.NamedNode(instance("state", code))
    if re.fullmatch(r"[A-Z]{2}", code):
        for q in store.quads_for_pattern(None, ox.NamedNode(Lex.iso3166Alpha2), ox.Literal(code)):
            if isinstance(q.subject, ox.NamedNode):
                return q.subject
    if re.fullmatch(r"[A-Z]{2,6}", code):
        organization = ox.NamedNode(instance("organization", code))
        if any(store.quads_for_pattern(organization, None, None)):
            return organization  # a participant that is not a state, such as the EU
    return None


@dataclass
class _Names:
    """The folded names of one store's participants (the IRIs of each, and one to show)."""

    store: ox.Store
    size: int
    iris: dict[str, set[str]]
    shown: dict[str, str]


#: The name index of the last store asked about: folding every name of every participant
#: takes some 80 ms, and a finder answer resolves two states. Like the subgraph index, it holds
#: that one store (pyoxigraph stores cannot be referenced weakly) and is rebuilt when another
#: store, or a changed one, comes.
_LAST: list[_Names] = []


def _name_index(store: ox.Store) -> tuple[dict[str, set[str]], dict[str, str]]:
    if not _LAST or _LAST[0].store is not store or _LAST[0].size != len(store):
        iris: dict[str, set[str]] = defaultdict(set)
        shown: dict[str, str] = {}  # a name of each folded name, to show in a suggestion
        for iri, name in _named(store):
            folded = fold_name(name)
            if folded:
                iris[folded].add(iri)
                shown.setdefault(folded, f"{name} ({last_segment(iri)})")
        _LAST[:] = [_Names(store, len(store), iris, shown)]
    return _LAST[0].iris, _LAST[0].shown


def resolve_state(store: ox.Store, value: str) -> ox.NamedNode:
    """Resolve a state (or other participant) given by ISO code, key or name to its IRI.

    Raises :class:`InputError` for a name of two participants, naming both, and for a name of
    none, with up to three close names.
    """
    text = value.strip()
    found = _bylast_segment(store, text)
    if found is not None:
        return found
    wanted = fold_name(text)
    iris, shown = _name_index(store)
    matches = sorted(iris.get(wanted, ()))
    if len(matches) == 1:
        return ox.NamedNode(matches[0])
    if matches:
        both = " and ".join(f"{label(store, iri)} ({last_segment(iri)})" for iri in matches)
        raise InputError(f"state {value!r} is ambiguous: it names {both}; give an ISO code")
    choices = {folded: min(found) for folded, found in iris.items()}
    close = [shown[name] for name in close_matches(wanted, choices)] if wanted else []
    hint = (
        f"; did you mean {', '.join(close)}?"
        if close
        else ": give an ISO 3166-1 alpha-2 or alpha-3 code or a name"
    )
    raise InputError(f"unknown state {value!r}{hint}")
