"""The legal model of the finder (issue 12), on a made-up world: how an article provides a
modality, which offences an instrument's cooperation reaches, reservations by paragraph and
limited to facts of a case, and standings that respect the instrument's entry into force.

Each case is the rule it tests, read from the articles it names in ``docs/legal-model.md``.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from lexgraph.core.namespaces import ID
from lexgraph.finder.basis import (
    BASIS,
    CONDITIONAL,
    FRAMEWORK,
    NO_BASIS,
    UNKNOWN,
    Basis,
    BasisAnswer,
    find_basis,
)
from lexgraph.render.basis import render_table

ROOT = Path(__file__).resolve().parents[1]
WORLD = ROOT / "tests" / "data" / "basis" / "legal-model.ttl"
VOCAB = ("act-kinds", "reservation-effects", "provision-kinds", "scope-kinds", "case-conditions")


@pytest.fixture(scope="module")
def world() -> ox.Store:
    """The made-up world, with the project's schemes."""
    return _world()


def _world(extra: str = "") -> ox.Store:
    store = ox.Store()
    for name in VOCAB:
        store.load(
            path=str(ROOT / "ontology" / "vocab" / f"{name}.ttl"),
            format=ox.RdfFormat.TURTLE,
            base_iri=ID,
        )
    store.load(path=str(WORLD), format=ox.RdfFormat.TURTLE, base_iri=ID)
    if extra:
        prefixes = (
            "@base <https://w3id.org/lexgraph/id/> .\n"
            "@prefix lex: <https://w3id.org/lexgraph/ontology#> .\n"
            "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        )
        store.load((prefixes + extra).encode(), format=ox.RdfFormat.TURTLE)
    return store


def _ask(
    store: ox.Store,
    crime: str,
    modality: str,
    a: str = "YAA",
    b: str = "YBB",
    on: str = "2020-01-01",
) -> BasisAnswer:
    return find_basis(a, b, crime, modality, on, store=store)


def _only(answer: BasisAnswer, instrument: str) -> Basis:
    found = [c for c in answer.candidates if c.instrument == ID + f"instrument/{instrument}"]
    assert len(found) == 1, [c.instrument for c in answer.candidates]
    return found[0]


def _keys(basis: Basis) -> list[str]:
    return [c.key for c in basis.conditions]


def test_framework_article_is_no_basis(world: ox.Store) -> None:
    """An article by which parties only consider agreements (UNTOC art. 17) gives no basis,
    and the answer says a separate agreement is needed."""
    basis = _only(_ask(world, "own", "transfer-of-sentenced-persons"), "pal")
    assert basis.verdict == FRAMEWORK
    assert any("a separate agreement is needed" in r for r in basis.reasons)


def test_legal_basis_article_is_a_basis_on_the_scope_conditions(world: ox.Store) -> None:
    """An article that is itself the basis (UNTOC art. 18) gives one, on the conditions of the
    instrument's scope (art. 3: transnational, an organized criminal group)."""
    basis = _only(_ask(world, "own", "mutual-legal-assistance"), "pal")
    assert basis.verdict == CONDITIONAL
    assert _keys(basis) == ["organized-criminal-group", "transnational"]


def test_optional_basis_depends_on_the_requested_state(world: ox.Store) -> None:
    """An optional basis (UNTOC 16(4)) or offences deemed included in a treaty (16(3)) make
    extradition conditional, and both routes are named."""
    basis = _only(_ask(world, "own", "extradition"), "pal")
    assert basis.verdict == CONDITIONAL
    route = next(c.text for c in basis.conditions if c.key == "routes")
    assert "Ybland takes PAL as the legal basis" in route
    assert "an extradition treaty binds Yaland and Ybland" in route


def test_declaration_accepting_the_basis_removes_that_condition(world: ox.Store) -> None:
    """A requested state's declaration that it takes the convention as the legal basis for
    extradition (UNTOC art. 16(5)(a)) makes the optional basis firm."""
    store = _world(
        "<reservation/pal/YBB/article-16-5> a lex:Reservation ; lex:participant <state/YBB> ;\n"
        "  lex:instrument <instrument/pal> ; lex:affectsProvision <instrument/pal/article/16> ;\n"
        "  lex:effect <reservation-effect/treaty-basis-for-extradition> .\n"
    )
    basis = _only(_ask(store, "own", "extradition"), "pal")
    assert "requested-state-requires-treaty" not in _keys(basis)
    assert _keys(basis) == ["organized-criminal-group", "transnational"]


def test_reservation_to_one_paragraph_leaves_the_others(world: ox.Store) -> None:
    """A reservation to art. 16(4) takes away the optional basis only: the offences deemed
    included in an existing treaty (16(3)) remain, so the answer is conditional on a treaty."""
    store = _world(
        "<reservation/pal/YBB/article-16-4> a lex:Reservation ; lex:participant <state/YBB> ;\n"
        "  lex:instrument <instrument/pal> ; lex:affectsProvision <instrument/pal/article/16> ;\n"
        '  lex:affectsParagraph "4" ; lex:effect <reservation-effect/excludes-provision> .\n'
    )
    basis = _only(_ask(store, "own", "extradition"), "pal")
    assert basis.verdict == CONDITIONAL
    assert [k.paragraph for k in basis.kinds] == ["3"]
    route = next(c.text for c in basis.conditions if c.key == "extradition-treaty-in-force")
    assert "takes PAL as the legal basis" not in route


def test_reservation_limited_to_nationals_makes_the_answer_conditional(world: ox.Store) -> None:
    """A declaration limited to the extradition of nationals (the US declaration on the 1988
    Convention art. 6) does not take the basis away: the answer depends on the person."""
    store = _world(
        "<reservation/ext/YBB/nationals> a lex:Reservation ; lex:participant <state/YBB> ;\n"
        "  lex:instrument <instrument/ext> ; lex:affectsProvision <instrument/ext/article/1> ;\n"
        "  lex:effect <reservation-effect/excludes-provision> ;\n"
        "  lex:condition <case-condition/person-is-national> .\n"
    )
    basis = _only(_ask(store, "elsewhere", "extradition"), "ext")
    assert basis.verdict == CONDITIONAL
    reservation = next(c.text for c in basis.conditions if c.key == "reservation")
    assert reservation.startswith(
        "the case is not one where the person sought is a national of the requested state"
    )


def test_firm_reservation_still_takes_the_basis_away(world: ox.Store) -> None:
    """A reservation excluding the whole article, with no condition, leaves no basis."""
    store = _world(
        "<reservation/mla/YAA/article-1> a lex:Reservation ; lex:participant <state/YAA> ;\n"
        "  lex:instrument <instrument/mla> ; lex:affectsProvision <instrument/mla/article/1> ;\n"
        "  lex:effect <reservation-effect/excludes-provision> .\n"
    )
    basis = _only(_ask(store, "elsewhere", "mutual-legal-assistance"), "mla")
    assert basis.verdict == NO_BASIS


def test_an_untyped_record_is_listed_to_be_read_and_takes_nothing_away(world: ox.Store) -> None:
    """A record whose effect `lexgraph update` could not type (``unclassified``) leaves the
    verdict as it was and is listed with the advice to read it at the source."""
    store = _world(
        "<reservation/mla/YAA/mtdsg/declaration/unclassified/article-1> a lex:Reservation ;\n"
        "  lex:participant <state/YAA> ; lex:instrument <instrument/mla> ;\n"
        "  lex:affectsProvision <instrument/mla/article/1> ;\n"
        "  lex:effect <reservation-effect/unclassified> .\n"
    )
    basis = _only(_ask(store, "elsewhere", "mutual-legal-assistance"), "mla")
    assert basis.verdict == BASIS
    (listed,) = basis.reservations
    assert listed.effect == "unclassified" and not listed.blocks
    assert "read it at the source" in listed.why


def test_any_offence_scope_reaches_every_crime_type(world: ox.Store) -> None:
    """A convention for any offence (ETS 30 art. 1) is a candidate for a crime type it does not
    cover, by the scope rule, and a basis when both states are bound."""
    basis = _only(_ask(world, "elsewhere", "mutual-legal-assistance"), "mla")
    assert basis.rule == "scope"
    assert basis.verdict == BASIS


def test_penalty_threshold_scope_is_conditional_on_the_penalty(world: ox.Store) -> None:
    """An extradition convention for offences above a threshold (ETS 24 art. 2) reaches every
    crime type, conditional on the penalty in both states and dual criminality."""
    basis = _only(_ask(world, "sibling", "extradition"), "ext")
    assert basis.verdict == CONDITIONAL
    assert _keys(basis) == ["penalty-threshold", "dual-criminality"]
    assert "punishable by at least 1 year" in basis.conditions[0].text
    assert "art. 2" in basis.conditions[0].text


def test_own_offences_scope_does_not_reach_other_crimes(world: ox.Store) -> None:
    """An instrument whose cooperation reaches only its own offences (CETS 196 art. 19) is no
    candidate for a crime type it covers only as part of a broader one."""
    answer = _ask(world, "sibling", "extradition")
    assert ID + "instrument/ct" not in [c.instrument for c in answer.candidates]
    assert _only(_ask(world, "own", "extradition"), "ct").rule == "direct"


def test_instrument_adopted_after_the_date_is_no_candidate(world: ox.Store) -> None:
    """An instrument adopted after the date asked is not offered at all."""
    answer = _ask(world, "own", "mutual-legal-assistance")
    assert ID + "instrument/new" not in [c.instrument for c in answer.candidates]


def test_bound_only_once_the_instrument_is_in_force(world: ox.Store) -> None:
    """Before the instrument's own entry into force, a state that consented is "consented,
    not yet in force for it", never "bound", and the answer is no basis."""
    basis = _only(_ask(world, "own", "extradition", on="2006-01-01"), "ct")
    assert basis.verdict == NO_BASIS
    assert {s.status for s in basis.standings} == {"consented, not yet in force for it"}
    assert any("is not in force" in r for r in basis.reasons)


def test_recent_consent_without_a_recorded_start_is_unknown(world: ox.Store) -> None:
    """A consent 17 days before the date asked, with no entry into force recorded for the
    state, leaves its standing unknown (the treaty may not yet be in force for it)."""
    basis = _only(_ask(world, "own", "mutual-legal-assistance", "YAA", "YCC"), "pal")
    assert basis.verdict == UNKNOWN
    assert any("may fall after the date asked" in r for r in basis.reasons)


def test_answer_reads_as_advice(world: ox.Store) -> None:
    """The table gives one line per instrument with human names and standings, then the
    reasons, and closes with what the graph does not know."""
    text = render_table(_ask(world, "own", "extradition"))
    lines = text.splitlines()
    assert lines[0] == "Yaland asks Ybland for extradition in a case of own crime, on 2020-01-01"
    assert lines[2].startswith("BASIS        Narrow Convention, art. 19: Yaland bound since 2007")
    assert any(
        line.startswith("CONDITIONAL  PAL, art. 16(4), 16(3): Yaland bound") for line in lines
    )
    assert "instrument/" not in text and "state/" not in text
    assert "Not known to the graph:" in text
    assert "bilateral treaties between Yaland and Ybland are not recorded" in text
