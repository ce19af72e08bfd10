"""What the text of an instrument gives: how each article provides a modality, which offences
its cooperation reaches, and on which facts of a case that depends.

The graph states these as ``lex:ModalityProvision`` and ``lex:CooperationScope`` nodes, each
read from the article it cites (``docs/legal-model.md`` explains the rules to a lawyer). This
module reads them; :mod:`lexgraph.finder.coverage` and :mod:`lexgraph.finder.basis` apply them.

A provision's kinds, strongest first:

- ``legal-basis``: the article itself is the basis for requests (UNTOC art. 18, ETS 30 art. 1);
- ``obligation``: the parties must cooperate, without a procedure of requests (UNTOC 27(1));
- ``optional-basis``: the requested state *may* take the instrument as the basis where its law
  requires a treaty (UNTOC 16(4)): a basis only if it does;
- ``deemed-included``: the offences are deemed included in existing extradition treaties
  (UNTOC 16(3)): a basis only through such a treaty;
- ``permission``: a party may cooperate of its own motion (spontaneous information, UNTOC
  art. 18(4)): nothing to ask for, only what the other party chooses to give;
- ``framework-only`` and ``hortatory``: the parties only undertake to consider agreements, or
  say cooperation is desirable (UNTOC art. 17): a separate agreement is needed;
- ``conditions-and-procedure``: the article sets conditions, grounds for refusal or procedure
  for cooperation whose basis lies in another article or treaty (ETS 24 art. 2): it gives no
  basis of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from lexgraph.core.terms import Dcterms, Lex, Skos
from lexgraph.store.labels import label, last_segment
from lexgraph.store.walk import closure, objects, subjects, value

#: Provision kinds, strongest first.
KINDS = (
    "legal-basis",
    "obligation",
    "optional-basis",
    "deemed-included",
    "permission",
    "framework-only",
    "hortatory",
    "conditions-and-procedure",
)
#: Kinds under which an article is itself a basis, given both states are bound.
GIVES_BASIS = frozenset({"legal-basis", "obligation"})
#: Kinds that give no basis until the parties conclude or use another agreement.
FRAMEWORK = frozenset({"framework-only", "hortatory", "conditions-and-procedure"})
#: The condition each conditional kind carries by its nature.
KIND_CONDITION = {
    "optional-basis": "requested-state-requires-treaty",
    "deemed-included": "extradition-treaty-in-force",
    "permission": "own-motion",
}
#: A candidate reached only through a wide scope is offered only where its articles can give
#: something: one whose articles are all framework, hortatory or procedure is left out.
#: Scope kinds that reach offences beyond those the instrument establishes.
GENERAL_SCOPES = frozenset({"penalty-threshold", "any-offence", "electronic-evidence"})


@dataclass(frozen=True)
class Condition:
    """A fact of the case on which an answer depends: its key and its words."""

    key: str
    text: str


@dataclass(frozen=True)
class ProvisionKind:
    """How one article (or one paragraph of it) provides the modality, and where that is read."""

    provision: str
    modality: str
    kind: str
    paragraph: str | None
    conditions: tuple[Condition, ...]
    note: str | None
    source: str | None


@dataclass(frozen=True)
class Scope:
    """Which offences an instrument's cooperation reaches, for one modality or all of them."""

    node: str
    instrument: str
    kind: str
    modalities: tuple[str, ...]
    months: int | None
    conditions: tuple[Condition, ...]
    defined_by: tuple[str, ...]
    note: str | None
    source: str | None


def conditions_of(store: ox.Store, node: ox.NamedNode) -> tuple[Condition, ...]:
    found = {c.value for c in objects(store, node, Lex.condition)}
    return tuple(Condition(last_segment(c), label(store, c)) for c in sorted(found))


def _text(store: ox.Store, iri: str, prop: str) -> str | None:
    found = value(store, iri, prop)
    return None if found is None else str(found)


def _first_source(store: ox.Store, node: ox.NamedNode) -> str | None:
    sources = sorted(n.value for n in objects(store, node, Dcterms.source))
    return sources[0] if sources else None


def provision_kinds(store: ox.Store, provision: str, modality: str) -> tuple[ProvisionKind, ...]:
    """How ``provision`` provides ``modality`` (or a narrower modality it provides), by kind,
    strongest first; empty when the graph does not say."""
    wanted = {modality} | {
        m.value for m in closure(store, ox.NamedNode(modality), Skos.broader, inverse=True)
    }
    found = []
    for node in subjects(store, Lex.provision, ox.NamedNode(provision)):
        provided = [m.value for m in objects(store, node, Lex.modality)]
        kinds = [last_segment(k.value) for k in objects(store, node, Lex.provisionKind)]
        if not kinds or not any(m in wanted for m in provided):
            continue
        paragraph = _text(store, node.value, Lex.paragraph)
        found.append(
            ProvisionKind(
                provision=provision,
                modality=provided[0],
                kind=kinds[0],
                paragraph=paragraph,
                conditions=conditions_of(store, node),
                note=_text(store, node.value, Skos.note),
                source=_first_source(store, node),
            )
        )
    return tuple(sorted(found, key=lambda k: (rank(k.kind), k.paragraph or "")))


def cite(number: str, paragraph: str | None) -> str:
    """An article and paragraph as treaties cite them: ``16`` and ``4`` give ``16(4)``; an
    article node already numbered by paragraph (``36(2)(b)``) and its paragraph counted from the
    article (``2(b)(iii)``) give ``36(2)(b)(iii)``.

    A paragraph written from its first bracket (``(b)-(d)``, sub-paragraphs of an article that
    has no numbered paragraphs) is appended as it is.

    >>> cite("16", "4"), cite("36(2)(b)", "2(b)(iii)"), cite("5(4)", "4(a)-(b)"), cite("17", None)
    ('16(4)', '36(2)(b)(iii)', '5(4)(a)-(b)', '17')
    >>> cite("35", "(b)-(d)")
    '35(b)-(d)'
    """
    if not paragraph:
        return number
    head, _, rest = paragraph.partition("(")
    form = f"({head})" + (f"({rest}" if rest else "") if head else paragraph
    base = number.split("(", 1)[0]
    suffix = number[len(base) :]
    return base + form if form.startswith(suffix) else number + form


def article_ref(store: ox.Store, provision: str, paragraph: str | None = None) -> str:
    """How an answer cites an article, and a paragraph of it: ``art. 16(4)``, by the article's
    number (its IRI's last segment where it has none)."""
    number = value(store, provision, Lex.articleNumber)
    if number is None:
        return last_segment(provision)
    return "art. " + cite(str(number), paragraph)


def rank(kind: str) -> int:
    """A kind's place in :data:`KINDS`, strongest first (an unknown kind last)."""
    return KINDS.index(kind) if kind in KINDS else len(KINDS)


def scopes(store: ox.Store, instrument: str, modality: str | None = None) -> tuple[Scope, ...]:
    """The cooperation scopes of ``instrument`` that hold for ``modality`` (every scope when
    None): those that name no modality, and those that name it or a broader one."""
    holds = None
    if modality is not None:
        node = ox.NamedNode(modality)
        holds = {modality} | {m.value for m in closure(store, node, Skos.broader, inverse=False)}
    found = []
    for node in subjects(store, Lex.scopeOf, ox.NamedNode(instrument)):
        only = tuple(sorted(m.value for m in objects(store, node, Lex.modality)))
        if holds is not None and only and not holds.intersection(only):
            continue
        kinds = [last_segment(k.value) for k in objects(store, node, Lex.scopeKind)]
        months = value(store, node.value, Lex.minimumPenaltyMonths)
        found.append(
            Scope(
                node=node.value,
                instrument=instrument,
                kind=kinds[0] if kinds else "unknown",
                modalities=only,
                months=months if isinstance(months, int) else None,
                conditions=conditions_of(store, node),
                defined_by=tuple(sorted(p.value for p in objects(store, node, Lex.definedBy))),
                note=_text(store, node.value, Skos.note),
                source=_first_source(store, node),
            )
        )
    return tuple(sorted(found, key=lambda s: s.node))


def general_instruments(store: ox.Store) -> list[str]:
    """The instruments with a scope that reaches offences they do not establish themselves."""
    found = set()
    for quad in store.quads_for_pattern(None, ox.NamedNode(Lex.scopeKind), None):
        kind, node = quad.object, quad.subject
        if not isinstance(kind, ox.NamedNode) or not isinstance(node, ox.NamedNode):
            continue
        if last_segment(kind.value) in GENERAL_SCOPES:
            instrument = value(store, node.value, Lex.scopeOf)
            if instrument is not None:
                found.add(str(instrument))
    return sorted(found)
