"""Golden cases of the finder on the shipped graph, each decided by reading the articles it
names (the readings are the graph's lex:ModalityProvision and lex:CooperationScope nodes, and
docs/legal-model.md explains the rules). A case pins the verdict of the instruments it names,
not every candidate: participation data that later imports add may settle the others.

Read each row as: state A asks state B, for this modality, in a case of this crime, on this
date; this instrument gives this verdict, because of these articles.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from lexgraph.core.paths import Layout
from lexgraph.finder.basis import find_basis

#: (A, B, crime, modality, date, instrument key, verdict, the articles that decide it)
CASES = [
    # Framework only: the article commits parties to consider agreements.
    (
        "ITA",
        "ALB",
        "participation-in-organized-criminal-group",
        "transfer-of-sentenced-persons",
        "2020-01-01",
        "untoc",
        "framework-only",
        "UNTOC art. 17",
    ),
    (
        "FRA",
        "ITA",
        "corruption",
        "transfer-of-sentenced-persons",
        "2020-01-01",
        "uncac",
        "framework-only",
        "UNCAC art. 45",
    ),
    (
        "FRA",
        "ITA",
        "drug-trafficking",
        "transfer-of-sentenced-persons",
        "2020-01-01",
        "illicit-traffic-1988",
        "framework-only",
        "1988 Convention art. 6(12)",
    ),
    (
        "FRA",
        "DEU",
        "corruption",
        "joint-investigations",
        "2020-01-01",
        "untoc",
        "framework-only",
        "UNTOC art. 19, first sentence",
    ),
    (
        "FRA",
        "DEU",
        "corruption",
        "joint-investigations",
        "2020-01-01",
        "uncac",
        "framework-only",
        "UNCAC art. 49",
    ),
    (
        "FRA",
        "DEU",
        "drug-trafficking",
        "joint-investigations",
        "2020-01-01",
        "illicit-traffic-1988",
        "framework-only",
        "1988 Convention art. 9(1)(c), on agreements",
    ),
    (
        "MEX",
        "USA",
        "drug-trafficking",
        "extradition",
        "2020-01-01",
        "psychotropic-substances-1971",
        "framework-only",
        "1971 Convention art. 22(2)(b), hortatory",
    ),
    # A general convention reaches every crime type (the scope rule).
    (
        "ITA",
        "ALB",
        "participation-in-organized-criminal-group",
        "transfer-of-sentenced-persons",
        "2020-01-01",
        "coe-transfer-sentenced-persons-ets112",
        None,
        "ETS 112 arts 1, 3",
    ),
    (
        "FRA",
        "DEU",
        "money-laundering",
        "extradition",
        "2020-01-01",
        "coe-extradition-ets24",
        None,
        "ETS 24 arts 1-2",
    ),
    (
        "FRA",
        "DEU",
        "drug-trafficking",
        "mutual-legal-assistance",
        "2020-01-01",
        "coe-mutual-assistance-ets30",
        None,
        "ETS 30 art. 1",
    ),
    # UNTOC through serious crime, on its conditions (arts 2(b), 3, 18).
    (
        "KEN",
        "UGA",
        "wildlife-crime",
        "mutual-legal-assistance",
        "2020-01-01",
        "untoc",
        "conditional",
        "UNTOC arts 2(b), 3, 18(1)",
    ),
    (
        "FRA",
        "DEU",
        "cybercrime",
        "mutual-legal-assistance",
        "2020-01-01",
        "untoc",
        "conditional",
        "UNTOC arts 2(b), 3, 18(1)",
    ),
    (
        "FRA",
        "DEU",
        "hostage-taking",
        "extradition",
        "2020-01-01",
        "untoc",
        "conditional",
        "UNTOC arts 2(b), 16(1), 16(3)-(6)",
    ),
    # Legal bases that depend on nothing else.
    (
        "FRA",
        "DEU",
        "drug-trafficking",
        "mutual-legal-assistance",
        "2020-01-01",
        "illicit-traffic-1988",
        "basis",
        "1988 Convention art. 7(1)",
    ),
    (
        "FRA",
        "DEU",
        "financing-of-terrorism",
        "mutual-legal-assistance",
        "2020-01-01",
        "terrorist-financing-1999",
        "basis",
        "ICSFT art. 12(1)",
    ),
    (
        "FRA",
        "DEU",
        "cybercrime",
        "mutual-legal-assistance",
        "2020-01-01",
        "budapest-ets185",
        "basis",
        "Budapest arts 25, 27",
    ),
    (
        "FRA",
        "DEU",
        "corruption",
        "confiscation-cooperation",
        "2020-01-01",
        "uncac",
        "basis",
        "UNCAC art. 55(1)-(2)",
    ),
    (
        "FRA",
        "DEU",
        "money-laundering",
        "confiscation-cooperation",
        "2020-01-01",
        "illicit-traffic-1988",
        "basis",
        "1988 Convention art. 5(4)(a)-(b)",
    ),
    # Conditional: UNTOC's own offences need an organized group and a transnational element.
    (
        "FRA",
        "DEU",
        "corruption",
        "confiscation-cooperation",
        "2020-01-01",
        "untoc",
        "conditional",
        "UNTOC arts 3, 13(1)-(2)",
    ),
    (
        "FRA",
        "DEU",
        "participation-in-organized-criminal-group",
        "law-enforcement-cooperation",
        "2020-01-01",
        "untoc",
        "conditional",
        "UNTOC arts 3, 27(1)-(2)",
    ),
    # Extradition articles: optional basis, offences deemed included, no treaty requirement.
    (
        "FRA",
        "DEU",
        "corruption",
        "extradition",
        "2020-01-01",
        "uncac",
        "conditional",
        "UNCAC art. 44(4), (5), (7)",
    ),
    (
        "FRA",
        "DEU",
        "money-laundering",
        "extradition",
        "2020-01-01",
        "illicit-traffic-1988",
        "conditional",
        "1988 Convention art. 6(2)-(4)",
    ),
    (
        "FRA",
        "DEU",
        "terrorist-bombing",
        "extradition",
        "2020-01-01",
        "terrorist-bombings-1997",
        "conditional",
        "Terrorist Bombings Convention art. 9(1)-(3)",
    ),
    (
        "FRA",
        "DEU",
        "hostage-taking",
        "extradition",
        "2020-01-01",
        "hostages-1979",
        "conditional",
        "Hostages Convention art. 10(1)-(3)",
    ),
    (
        "USA",
        "MEX",
        "drug-trafficking",
        "extradition",
        "2020-01-01",
        "single-convention-1961-as-amended-1972",
        "conditional",
        "Single Convention art. 36(2)(b)",
    ),
    (
        "FRA",
        "JPN",
        "trafficking-in-persons",
        "extradition",
        "2020-01-01",
        "untoc",
        "conditional",
        "UNTOC art. 16, through the TIP Protocol art. 1(2)-(3)",
    ),
    # Reservations and declarations.
    (
        "MEX",
        "USA",
        "drug-trafficking",
        "extradition",
        "2020-01-01",
        "illicit-traffic-1988",
        "conditional",
        "US declaration on art. 6, limited to nationals without a bilateral treaty",
    ),
    (
        "FRA",
        "IRN",
        "drug-trafficking",
        "extradition",
        "2020-01-01",
        "illicit-traffic-1988",
        "conditional",
        "Iran's reservation to art. 6(3) leaves 6(2) and 6(4)",
    ),
    (
        "IRN",
        "FRA",
        "drug-trafficking",
        "extradition",
        "2020-01-01",
        "illicit-traffic-1988",
        "conditional",
        "Iran's reservation to art. 6(3) binds both ways",
    ),
    # Standings and dates.
    (
        "BRA",
        "FRA",
        "corruption",
        "mutual-legal-assistance",
        "2005-09-01",
        "uncac",
        "no-basis",
        "UNCAC in force only from 2005-12-14 (art. 68(1))",
    ),
    # The own-offences scope: CETS 196 reaches only its arts 5-7 and 9 offences.
    (
        "FRA",
        "DEU",
        "recruitment-for-terrorism",
        "extradition",
        "2020-01-01",
        "coe-prevention-of-terrorism-cets196",
        None,
        "CETS 196 arts 6, 19",
    ),
    # Instruments open only to the members of an organisation (legal-model.md section 5).
    (
        "FRA",
        "DEU",
        "money-laundering",
        "mutual-legal-assistance",
        "2020-01-01",
        "eu-eio-2014",
        "basis",
        "EIO art. 1: two EU member states, both bound; the restriction changes nothing",
    ),
    (
        "FRA",
        "BRA",
        "money-laundering",
        "mutual-legal-assistance",
        "2020-01-01",
        "eu-eio-2014",
        "no-basis",
        "EIO art. 1: open to EU member states only; Brazil not on the EU's list as at 2023-09-15",
    ),
    (
        "FRA",
        "BRA",
        "money-laundering",
        "mutual-legal-assistance",
        "2026-06-01",
        "eu-eio-2014",
        "unknown",
        "EIO art. 1: the EU's latest list of members (2023-09-15) is older than the date asked",
    ),
    (
        "FRA",
        "BRA",
        "money-laundering",
        "mutual-legal-assistance",
        "2020-01-01",
        "coe-mutual-assistance-ets30",
        "unknown",
        "ETS 30 is not marked closed: no membership rule applies, the standing stays unknown",
    ),
]

#: Instruments that must not be offered: (A, B, crime, modality, date, instrument, articles).
NOT_OFFERED = [
    (
        "FRA",
        "DEU",
        "hostage-taking",
        "extradition",
        "2020-01-01",
        "coe-prevention-of-terrorism-cets196",
        "CETS 196 art. 19: only its own offences",
    ),
    (
        "FRA",
        "DEU",
        "money-laundering",
        "extradition",
        "2020-01-01",
        "tokyo-offences-on-board-aircraft-1963",
        "Tokyo art. 16: no basis to extradite",
    ),
    (
        "FRA",
        "ITA",
        "corruption",
        "transfer-of-sentenced-persons",
        "2002-01-01",
        "uncac",
        "UNCAC adopted 2003-10-31: no candidate before",
    ),
]


@pytest.fixture(scope="module")
def shipped(built: tuple[Layout, object]) -> ox.Store:
    """The shipped graph, as built for the test session."""
    layout, _ = built
    return ox.Store.read_only(str(layout.store))


@pytest.mark.parametrize(
    ("a", "b", "crime", "modality", "on", "instrument", "verdict", "articles"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[3]}-{c[5]}" for c in CASES],
)
def test_case_from_the_texts(
    shipped: ox.Store,
    a: str,
    b: str,
    crime: str,
    modality: str,
    on: str,
    instrument: str,
    verdict: str | None,
    articles: str,
) -> None:
    """The instrument is offered, with the verdict its articles give (None: offered, verdict
    left to the participation data)."""
    answer = find_basis(a, b, crime, modality, on, store=shipped)
    found = {c.instrument.rsplit("/", 1)[-1]: c for c in answer.candidates}
    assert instrument in found, (articles, sorted(found))
    if verdict is not None:
        assert found[instrument].verdict == verdict, (articles, found[instrument].reasons)


@pytest.mark.parametrize(
    ("a", "b", "crime", "modality", "on", "instrument", "articles"),
    NOT_OFFERED,
    ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[3]}-{c[5]}" for c in NOT_OFFERED],
)
def test_instrument_not_offered(
    shipped: ox.Store,
    a: str,
    b: str,
    crime: str,
    modality: str,
    on: str,
    instrument: str,
    articles: str,
) -> None:
    """The instrument is no candidate, because of the articles named."""
    answer = find_basis(a, b, crime, modality, on, store=shipped)
    assert instrument not in {c.instrument.rsplit("/", 1)[-1] for c in answer.candidates}, articles


def test_us_declaration_is_a_condition_on_the_person_not_a_refusal(shipped: ox.Store) -> None:
    """The US declaration on art. 6 of the 1988 Convention concerns the extradition of US
    citizens to states without a bilateral treaty: it conditions the answer, naming both facts."""
    answer = find_basis(
        "MEX", "USA", "drug-trafficking", "extradition", "2020-01-01", store=shipped
    )
    basis = next(c for c in answer.candidates if c.instrument.endswith("/illicit-traffic-1988"))
    text = next(c.text for c in basis.conditions if c.key == "reservation")
    assert "national of the requested state" in text and "no bilateral treaty" in text


@pytest.mark.parametrize(
    "name",
    [
        "United States",
        "UK",
        "Russia",
        "Russian Federation",
        "South Korea",
        "Iran",
        "Türkiye",
        "Turkey",
        "Czechia",
        "Viet Nam",
        "Vietnam",
        "Côte d'Ivoire",
        "Ivory Coast",
        "Netherlands",
        "Philippines",
    ],
)
def test_states_by_the_names_people_use(shipped: ox.Store, name: str) -> None:
    """The finder accepts the common names of states, in any case and accent."""
    answer = find_basis("FRA", name, "corruption", "extradition", "2020-01-01", store=shipped)
    assert answer.requested.startswith("https://w3id.org/lexgraph/id/state/")


def test_eu_act_takes_the_place_of_the_convention_between_member_states(
    shipped: ox.Store,
) -> None:
    """Between two member states bound by the European arrest warrant, the answer says that it
    takes the place of the corresponding provisions of ETS 24 (art. 31 of the Framework
    Decision), and leaves ETS 24's own verdict alone; between a member state and a state the
    warrant does not bind, ETS 24 is told nothing of the kind."""
    answer = find_basis(
        "FRA", "ITA", "money-laundering", "extradition", "2022-01-01", store=shipped
    )
    found = {c.instrument.rsplit("/", 1)[-1]: c for c in answer.candidates}
    assert found["eu-eaw-2002"].verdict == "conditional", found["eu-eaw-2002"].reasons
    assert any("takes the place" in line for line in found["coe-extradition-ets24"].why)
    outside = find_basis(
        "FRA", "CHE", "money-laundering", "extradition", "2022-01-01", store=shipped
    )
    ets24 = next(c for c in outside.candidates if c.instrument.endswith("/coe-extradition-ets24"))
    assert not any("takes the place" in line for line in ets24.why)


def test_london_scheme_is_named_as_an_arrangement_never_a_candidate(shipped: ox.Store) -> None:
    """The United Kingdom asking Australia for extradition reads the London Scheme as a
    non-treaty arrangement, on the condition that both are Commonwealth members (membership is
    not recorded), and never as a candidate; the Harare Scheme, for mutual legal assistance, is
    not named."""
    answer = find_basis("GBR", "AUS", "corruption", "extradition", "2024-01-01", store=shipped)
    named = {a.instrument.rsplit("/", 1)[-1]: a for a in answer.arrangements}
    assert set(named) == {"commonwealth-london-scheme"}
    london = named["commonwealth-london-scheme"]
    assert london.membership == "not-recorded"
    assert "no legal basis" in london.note and "only if both states" in london.note
    candidates = {c.instrument.rsplit("/", 1)[-1] for c in answer.candidates}
    assert "commonwealth-london-scheme" not in candidates


_COMMONWEALTH_LIST = """
@base <https://w3id.org/lexgraph/id/> .
@prefix lex: <https://w3id.org/lexgraph/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<membership-list/commonwealth/test> a lex:MembershipList ;
    lex:organisation <organisation/commonwealth> ; lex:asAt "2025-01-01"^^xsd:date ;
    dcterms:source <https://example.org/commonwealth-members> .
<membership/commonwealth/GBR> a lex:Membership ; lex:organisation <organisation/commonwealth> ;
    lex:participant <state/GBR> ; dcterms:source <https://example.org/commonwealth-members> .
<membership/commonwealth/AUS> a lex:Membership ; lex:organisation <organisation/commonwealth> ;
    lex:participant <state/AUS> ; dcterms:source <https://example.org/commonwealth-members> .
"""


def test_harare_scheme_is_left_out_where_a_membership_list_shows_the_states_outside(
    shipped: ox.Store,
) -> None:
    """With a complete (test-only) list of Commonwealth members that covers the date, France
    asking Germany for mutual legal assistance is not told of the Harare Scheme, while the
    United Kingdom asking Australia is, as recorded members; without the list, France and
    Germany read it only on the condition of membership."""
    unrecorded = find_basis(
        "FRA", "DEU", "corruption", "mutual-legal-assistance", "2024-01-01", store=shipped
    )
    assert [a.membership for a in unrecorded.arrangements] == ["not-recorded"]
    store = ox.Store()
    store.bulk_extend(shipped.quads_for_pattern(None, None, None, None))
    graph = ox.NamedNode("https://w3id.org/lexgraph/source/test-commonwealth.ttl")
    store.load(_COMMONWEALTH_LIST.encode(), ox.RdfFormat.TURTLE, to_graph=graph)
    outside = find_basis(
        "FRA", "DEU", "corruption", "mutual-legal-assistance", "2024-01-01", store=store
    )
    assert outside.arrangements == ()
    inside = find_basis(
        "GBR", "AUS", "corruption", "mutual-legal-assistance", "2024-01-01", store=store
    )
    assert [(a.instrument.rsplit("/", 1)[-1], a.membership) for a in inside.arrangements] == [
        ("commonwealth-harare-scheme", "both-members")
    ]
