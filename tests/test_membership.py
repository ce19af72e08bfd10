"""Instruments open only to the members of an organisation: a state that was not a member on
the date asked, by a complete membership list that covers that date, cannot be a party.

The rule is :mod:`lexgraph.finder.membership`; ``queries/views/closed-to-state.rq`` states it in
SPARQL, and the last tests hold the two together on a small fixture and on the shipped graph.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from lexgraph.core.paths import Layout
from lexgraph.core.terms import Lex, Rdf
from lexgraph.finder.basis import find_basis
from lexgraph.finder.membership import Memberships, read_memberships
from lexgraph.finder.standing import BOUND, NOT_PARTY, UNKNOWN_STANDING, Act, standing
from lexgraph.store.library import read_query
from lexgraph.store.query import execute

ROOT = Path(__file__).resolve().parents[1]
VIEW = read_query(ROOT / "queries" / "views" / "closed-to-state.rq")
ID = "https://w3id.org/lexgraph/id/"
CLOSED = ID + "instrument/closed"
OPEN = ID + "instrument/open"

#: An organisation with a list as at 2020-12-31: AAA a founding member, BBB joined in 2015,
#: CCC left at the end of 2017, DDD never a member, EEE a member since a date not recorded.
FIXTURE = """
@base <https://w3id.org/lexgraph/id/> .
@prefix lex: <https://w3id.org/lexgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<organisation/o> a lex:Organisation ; skos:prefLabel "Test Community"@en .
<instrument/closed> a lex:Convention ; skos:prefLabel "Closed Protocol"@en .
<instrument/open> a lex:Convention ; skos:prefLabel "Open Convention"@en .
<instrument/closed/article/26> a lex:Provision ; lex:partOf <instrument/closed> ;
    lex:articleNumber "26" .
<restriction/closed> a lex:MembershipRestriction ; lex:instrument <instrument/closed> ;
    lex:organisation <organisation/o> ; lex:definedBy <instrument/closed/article/26> ;
    dcterms:source <https://example.org/protocol> .
<membership-list/o/2020> a lex:MembershipList ; lex:organisation <organisation/o> ;
    lex:asAt "2020-12-31"^^xsd:date ; dcterms:source <https://example.org/members> .
<state/AAA> a lex:State . <state/BBB> a lex:State . <state/CCC> a lex:State .
<state/DDD> a lex:State . <state/EEE> a lex:State .
<membership/o/AAA> a lex:Membership ; lex:organisation <organisation/o> ;
    lex:participant <state/AAA> ; lex:memberSince "1992-08-17"^^xsd:date .
<membership/o/BBB> a lex:Membership ; lex:organisation <organisation/o> ;
    lex:participant <state/BBB> ; lex:memberSince "2015-03-01"^^xsd:date .
<membership/o/CCC> a lex:Membership ; lex:organisation <organisation/o> ;
    lex:participant <state/CCC> ; lex:memberSince "1992-08-17"^^xsd:date ;
    lex:memberUntil "2018-01-01"^^xsd:date .
<membership/o/EEE> a lex:Membership ; lex:organisation <organisation/o> ;
    lex:participant <state/EEE> .
"""


@pytest.fixture(scope="module")
def fixture() -> ox.Store:
    store = ox.Store()
    store.load(FIXTURE.encode(), ox.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def members(fixture: ox.Store) -> Memberships:
    return read_memberships(fixture)


def _outside(members: Memberships, state: str, on: str, instrument: str = CLOSED) -> str | None:
    found = members.outside(ID + f"state/{state}", instrument, dt.date.fromisoformat(on))
    return found.note if found else None


def test_a_member_on_the_date_is_not_outside(members: Memberships) -> None:
    """A member on the date asked may be bound: the rule says nothing of it."""
    assert _outside(members, "AAA", "2010-01-01") is None


def test_a_state_never_a_member_is_outside_with_the_clause_and_the_list(
    members: Memberships,
) -> None:
    """A state that no record shows as a member is outside, and the reason names the article
    that closes the instrument and the membership list with its date and source."""
    note = _outside(members, "DDD", "2010-01-01")
    assert note is not None
    assert "open only to the member states of the Test Community" in note
    assert "art. 26" in note and "as at 2020-12-31" in note
    assert "https://example.org/members" in note


def test_a_state_that_joined_later_is_outside_before_and_not_after(members: Memberships) -> None:
    """A state is outside before the date it joined, and not from that date."""
    before = _outside(members, "BBB", "2015-02-28")
    assert before is not None and "became a member only on 2015-03-01" in before
    assert _outside(members, "BBB", "2015-03-01") is None


def test_a_state_that_left_is_outside_after_its_withdrawal_and_not_before(
    members: Memberships,
) -> None:
    """A state is not outside while a member, and is once its withdrawal took effect."""
    assert _outside(members, "CCC", "2017-12-31") is None
    after = _outside(members, "CCC", "2018-01-01")
    assert after is not None and "withdrawal took effect 2018-01-01" in after


def test_a_list_older_than_the_date_decides_nothing(members: Memberships) -> None:
    """Asked after the latest membership list, a non-member is not said to be outside."""
    assert _outside(members, "DDD", "2021-01-01") is None


def test_a_member_since_an_unrecorded_date_is_never_outside(members: Memberships) -> None:
    """A membership record without a start date may cover any date: nothing is decided."""
    assert _outside(members, "EEE", "1990-01-01") is None


def test_an_instrument_not_marked_closed_is_unchanged(members: Memberships) -> None:
    """Without a membership restriction an instrument is open: no state is outside it."""
    assert _outside(members, "DDD", "2010-01-01", OPEN) is None


def test_standing_of_an_outsider_is_not_a_party_for_that_reason(members: Memberships) -> None:
    """With no consent recorded, an outsider is not a party, and the standing carries why."""
    on = dt.date(2010, 1, 1)
    outside = members.outside(ID + "state/DDD", CLOSED, on)
    found = standing(
        ID + "state/DDD", CLOSED, [], [], frozenset({"ratification"}), on, None, outside
    )
    assert found.status == NOT_PARTY and found.membership == outside
    assert found.note.startswith("cannot be a party")
    unknown = standing(ID + "state/DDD", CLOSED, [], [], frozenset({"ratification"}), on)
    assert unknown.status == UNKNOWN_STANDING and unknown.membership is None


def test_a_recorded_consent_comes_before_the_membership_rule(members: Memberships) -> None:
    """A state recorded as bound stays bound: the graph's acts decide first."""
    on = dt.date(2010, 1, 1)
    outside = members.outside(ID + "state/DDD", CLOSED, on)
    act = Act("r", "ratification", dt.date(2005, 1, 1), dt.date(2005, 3, 1), None, "s", False)
    found = standing(
        ID + "state/DDD", CLOSED, [act], [], frozenset({"ratification"}), on, None, outside
    )
    assert found.status == BOUND


def _view_rows(store: ox.Store, on: dt.date) -> set[tuple[str, str]]:
    bindings = {
        ox.Variable("on"): ox.Literal(
            on.isoformat(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
        )
    }
    rows = execute(store, VIEW.text, bindings, VIEW.name).values()
    return {(str(r["instrument"]), str(r["state"])) for r in rows}


def _python_rows(store: ox.Store, on: dt.date) -> set[tuple[str, str]]:
    members = read_memberships(store)
    states = [
        q.subject.value
        for q in store.quads_for_pattern(
            None, ox.NamedNode(Rdf.type), ox.NamedNode(Lex.State), None
        )
        if isinstance(q.subject, ox.NamedNode)
    ]
    return {
        (instrument, state)
        for instrument in members.restrictions
        for state in set(states)
        if members.outside(state, instrument, on) is not None
    }


@pytest.mark.parametrize(
    "on",
    [
        "1990-01-01",
        "2015-02-28",
        "2015-03-01",
        "2017-12-31",
        "2018-01-01",
        "2020-12-31",
        "2021-01-01",
    ],
)
def test_the_view_states_the_rule_on_the_fixture(fixture: ox.Store, on: str) -> None:
    """closed-to-state.rq finds exactly the (instrument, state) pairs that outside() finds."""
    day = dt.date.fromisoformat(on)
    assert _view_rows(fixture, day) == _python_rows(fixture, day)


@pytest.fixture(scope="module")
def shipped(built: tuple[Layout, object]) -> ox.Store:
    layout, _ = built
    return ox.Store.read_only(str(layout.store))


@pytest.mark.parametrize(
    "on", ["2003-01-01", "2019-06-30", "2020-06-30", "2023-09-15", "2024-01-01"]
)
def test_the_view_states_the_rule_on_the_shipped_graph(shipped: ox.Store, on: str) -> None:
    """On the shipped graph, for every state and closed instrument, view and finder agree."""
    day = dt.date.fromisoformat(on)
    assert _view_rows(shipped, day) == _python_rows(shipped, day)


def test_the_finder_names_the_clause_and_the_list(shipped: ox.Store) -> None:
    """Between an EU member and an outsider, the EIO is no basis, and the reason says why:
    the article that opens it to member states only and the EU's list of members."""
    answer = find_basis(
        "FRA", "BRA", "money-laundering", "mutual-legal-assistance", "2020-01-01", store=shipped
    )
    eio = next(c for c in answer.candidates if c.instrument.endswith("/eu-eio-2014"))
    assert eio.verdict == "no-basis"
    brazil = next(s for s in eio.standings if s.state.endswith("/BRA"))
    assert brazil.membership is not None
    assert brazil.membership.clause == (ID + "instrument/eu-eio-2014/article/1",)
    assert any("open only to the member states of the European Union" in r for r in eio.reasons)


def test_the_json_answer_carries_the_membership_reason_in_schema_2_2(shipped: ox.Store) -> None:
    """The JSON answer gives the outsider's membership reason and is valid under its schema."""
    import jsonschema

    from lexgraph.render.basis import schema, to_json

    answer = find_basis(
        "FRA", "BRA", "money-laundering", "mutual-legal-assistance", "2020-01-01", store=shipped
    )
    found = to_json(answer)
    jsonschema.validate(found, schema())
    reasons = [
        s["membership"] for c in found["candidates"] for s in c["standings"] if s["membership"]
    ]
    assert [r["list_as_at"] for r in reasons] == ["2023-09-15"]


def test_views_and_the_brief_count_outsiders_as_not_parties_and_say_why(
    built: tuple[Layout, object], shipped: ox.Store
) -> None:
    """The participation views show a non-member as not a party to a closed instrument, and a
    brief that shows the instrument says why, with the organisation and its list's date."""
    from lexgraph.render.brief.make import _members_only
    from lexgraph.views.context import Context, region_states
    from lexgraph.views.instruments import coverage
    from lexgraph.views.parties import STATUS_TEXT, standings

    layout, _ = built
    ctx = Context.of(shipped, layout)
    eio = ID + "instrument/eu-eio-2014"
    _, _, states = region_states(ctx, "m49-019")  # the Americas: no EU member
    status, as_at, _ = standings(ctx, [s.iri for s in states], [eio])
    assert {status[(s.iri, eio)] for s in states} == {STATUS_TEXT[NOT_PARTY]}
    # The EU acts reach crime types through their scope, which a brief's coverage does not
    # list: the sentence is asked of a coverage row standing for the EIO.
    shown = [replace(coverage(ctx, "money-laundering")[2][0], instrument=eio)]
    (sentence,) = _members_only(ctx, "en", states, shown, as_at)
    assert "open only to the member states of the EU" in sentence and "2023-09-15" in sentence
    assert f"{len(states)} states that were not members" in sentence
