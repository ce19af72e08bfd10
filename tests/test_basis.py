"""The legal-basis finder on a made-up world (tests/data/basis/world.ttl) and on the real data.

Each test names the case of the finder it holds: both parties, one party only, a signatory,
not yet in force, a denunciation, a reservation, a Protocol offence reaching its Convention,
a crime found through the hierarchy, an unknown state, unknown participation.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from lexgraph.cli import main
from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout
from lexgraph.finder import (
    BASIS,
    NO_BASIS,
    NO_INSTRUMENT,
    UNKNOWN,
    BasisAnswer,
    dyad,
    find_basis,
    gaps,
)
from lexgraph.render.basis import render, schema, to_json
from lexgraph.store.build import BuildResult

ROOT = Path(__file__).resolve().parents[1]
WORLD = Path(__file__).parent / "data" / "basis" / "world.ttl"
GOLDEN = Path(__file__).parent / "golden"
ID = "https://w3id.org/lexgraph/id/"


@pytest.fixture(scope="module")
def world() -> ox.Store:
    """The made-up world, with the act-kind and reservation-effect schemes."""
    store = ox.Store()
    for path in (
        ROOT / "ontology" / "vocab" / "act-kinds.ttl",
        ROOT / "ontology" / "vocab" / "reservation-effects.ttl",
        WORLD,
    ):
        store.load(
            path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"urn:{path.name}")
        )
    return store


def _ask(
    store: ox.Store, a: str, b: str, crime: str, modality: str, on: str = "2020-01-01"
) -> BasisAnswer:
    return find_basis(a, b, crime, modality, on, store=store)


def _only(answer: BasisAnswer, instrument: str) -> object:
    found = [c for c in answer.candidates if c.instrument == ID + f"instrument/{instrument}"]
    assert len(found) == 1, [c.instrument for c in answer.candidates]
    return found[0]


def test_both_parties_give_a_basis(world: ox.Store) -> None:
    """Two parties to a convention in force have a basis under the article providing it."""
    basis = _only(_ask(world, "XAA", "XBB", "c-root", "mutual-legal-assistance"), "conv")
    assert basis.verdict == BASIS
    assert [a.number for a in basis.articles] == ["2"]
    assert basis.articles[0].provides == ID + "modality/m-narrow"


def test_why_chain_names_acts_article_and_rule(world: ox.Store) -> None:
    """The why chain runs state -> act -> instrument -> article -> modality, then the rule, in
    human names."""
    basis = _only(_ask(world, "XAA", "XBB", "c-root", "mutual-legal-assistance"), "conv")
    assert basis.why[0].startswith("Aland -> ratification 2001-01-01")
    assert "https://example.org/conv-status" in basis.why[0]
    assert any(w.startswith("Test Convention art. 2 -> narrow assistance: ") for w in basis.why)
    assert basis.why[-1].startswith("reaches the crime (direct)")


def test_one_party_only_is_no_basis(world: ox.Store) -> None:
    """A state the complete status list does not show as consenting is not a party."""
    basis = _only(_ask(world, "XAA", "XFF", "c-root", "mutual-legal-assistance"), "conv")
    assert basis.verdict == NO_BASIS
    assert any("Feland and Test Convention: not a party" in r for r in basis.reasons)


def test_signatory_only_is_no_basis(world: ox.Store) -> None:
    """A signature without consent gives no basis, and says so."""
    basis = _only(_ask(world, "XAA", "XCC", "c-root", "mutual-legal-assistance"), "conv")
    assert basis.verdict == NO_BASIS
    assert any("signatory only" in r for r in basis.reasons)


def test_not_yet_in_force_for_one_state(world: ox.Store) -> None:
    """A ratification whose entry into force for the state is later than the date is no basis."""
    basis = _only(_ask(world, "XAA", "XDD", "c-root", "mutual-legal-assistance"), "conv")
    assert basis.verdict == NO_BASIS
    assert any("not yet in force" in r and "2020-03-01" in r for r in basis.reasons)
    later = _only(
        _ask(world, "XAA", "XDD", "c-root", "mutual-legal-assistance", "2020-03-01"), "conv"
    )
    assert later.verdict == BASIS


def test_denunciation_ends_the_basis_when_it_takes_effect(world: ox.Store) -> None:
    """Before the denunciation takes effect there is a basis; after it, none."""
    before = _only(
        _ask(world, "XAA", "XEE", "c-root", "mutual-legal-assistance", "2010-06-01"), "conv"
    )
    after = _only(_ask(world, "XAA", "XEE", "c-root", "mutual-legal-assistance"), "conv")
    assert before.verdict == BASIS
    assert after.verdict == NO_BASIS
    assert any("denounced" in r for r in after.reasons)


def test_reservation_excluding_the_article_takes_the_basis_away(world: ox.Store) -> None:
    """The requested state's reservation to the extradition article leaves no basis for it."""
    basis = _only(_ask(world, "XAA", "XBB", "c-root", "extradition"), "conv")
    assert basis.verdict == NO_BASIS
    assert [a.number for a in basis.excluded_articles] == ["1"]
    assert [r.blocks for r in basis.reservations] == [True]


def test_reservation_binds_both_ways(world: ox.Store) -> None:
    """The reservation also applies when the reserving state is the one asking."""
    basis = _only(_ask(world, "XBB", "XAA", "c-root", "extradition"), "conv")
    assert basis.verdict == NO_BASIS


def test_protocol_offence_reaches_the_convention(world: ox.Store) -> None:
    """A crime covered by the Protocol finds the Convention's articles, the Protocol required."""
    basis = _only(_ask(world, "XAA", "XBB", "c-proto", "mutual-legal-assistance"), "conv")
    assert basis.verdict == BASIS
    assert basis.rule == "protocol"
    assert basis.protocol == ID + "instrument/proto"
    assert {s.instrument for s in basis.standings} == {
        ID + "instrument/conv",
        ID + "instrument/proto",
    }


def test_protocol_route_needs_both_states_in_the_protocol(world: ox.Store) -> None:
    """Through the Protocol rule, a state party to the Convention only gets no basis."""
    basis = _only(
        _ask(world, "XAA", "XEE", "c-proto", "mutual-legal-assistance", "2005-01-01"), "conv"
    )
    assert basis.verdict in (NO_BASIS, UNKNOWN)
    assert any("Eland and Test Protocol" in r for r in basis.reasons)


def test_crime_found_through_the_hierarchy(world: ox.Store) -> None:
    """A narrower crime type is covered by an instrument covering its broader type."""
    basis = _only(_ask(world, "XAA", "XBB", "c-child", "mutual-legal-assistance"), "conv")
    assert basis.verdict == BASIS
    assert basis.rule == "broader"
    assert basis.via == ID + "crime/c-root"


def test_instrument_not_in_force_is_no_basis(world: ox.Store) -> None:
    """Two parties to a convention not yet in force have no basis under it."""
    basis = _only(_ask(world, "XAA", "XBB", "c-child", "extradition"), "late")
    assert basis.verdict == NO_BASIS
    assert any("enters into force on 2030-01-01" in r for r in basis.reasons)


def test_unknown_participation_is_never_not_a_party(world: ox.Store) -> None:
    """Past the status list's date, a state absent from it is unknown, with the as-at date."""
    basis = _only(
        _ask(world, "XAA", "XFF", "c-root", "mutual-legal-assistance", "2021-01-01"), "conv"
    )
    assert basis.verdict == UNKNOWN
    assert any("as at 2020-06-01" in r and "later acts are not known" in r for r in basis.reasons)


def test_unknown_state_is_a_clear_error(world: ox.Store) -> None:
    """A state that is not in the graph gets an error naming the value."""
    with pytest.raises(InputError, match="unknown state 'Atlantis'"):
        _ask(world, "XAA", "Atlantis", "c-root", "extradition")


def test_misspelt_crime_gets_a_suggestion(world: ox.Store) -> None:
    """A misspelt crime key is refused with the close keys."""
    with pytest.raises(InputError, match="did you mean c-root"):
        _ask(world, "XAA", "XBB", "c-rot", "extradition")


def test_states_by_alpha2_and_name(world: ox.Store) -> None:
    """States can be given by alpha-2 code or by name."""
    answer = _ask(world, "XA", "Beland", "c-root", "mutual-legal-assistance")
    assert answer.requesting == ID + "state/XAA"
    assert answer.requested == ID + "state/XBB"


def test_same_state_twice_is_refused(world: ox.Store) -> None:
    """Asking a state for cooperation with itself is refused."""
    with pytest.raises(InputError, match="both"):
        _ask(world, "XAA", "XA", "c-root", "extradition")


def test_json_output_follows_the_schema(world: ox.Store) -> None:
    """Every answer's JSON validates against the shipped JSON Schema."""
    for a, b, crime, modality in [
        ("XAA", "XBB", "c-root", "extradition"),
        ("XAA", "XBB", "c-proto", "mutual-legal-assistance"),
        ("XAA", "XFF", "c-root", "mutual-legal-assistance"),
        ("XAA", "XBB", "c-none", "extradition"),
    ]:
        document = json.loads(render(_ask(world, a, b, crime, modality), "json", "cite me"))
        jsonschema.validate(document, schema())


def test_answer_json_schema_is_itself_valid() -> None:
    """The shipped schema is a valid JSON Schema (draft 2020-12)."""
    jsonschema.Draft202012Validator.check_schema(schema())


def test_gaps_name_the_pairs_without_basis(world: ox.Store) -> None:
    """Gaps list extradition for the root crime (reserved) and say when nothing provides it."""
    found = {
        (g.crime[len(ID) :], g.modality[len(ID) :]): g.verdict
        for g in gaps("XAA", "XBB", "2020-01-01", store=world)
    }
    assert found[("crime/c-root", "modality/extradition")] == NO_BASIS
    assert found[("crime/c-none", "modality/extradition")] == NO_INSTRUMENT
    assert ("crime/c-root", "modality/mutual-legal-assistance") not in found


def test_dyad_timeline(world: ox.Store) -> None:
    """The dyad lists the instruments both states are bound by, from the later state's date."""
    shared = dyad("XAA", "XBB", "2020-01-01", store=world)
    assert [(s.instrument[len(ID) :], str(s.since)) for s in shared] == [
        ("instrument/conv", "2005-05-05"),
        ("instrument/proto", "2005-05-05"),
    ]


# ---------------------------------------------------------------------------------------------
# The shipped data


def test_real_pair_matches_golden(built: tuple[Layout, object]) -> None:
    """France asking Japan to extradite for trafficking in persons, on 2020-01-01, as pinned."""
    layout, _ = built
    store = ox.Store.read_only(str(layout.store))
    answer = find_basis(
        "FRA", "JPN", "trafficking-in-persons", "extradition", "2020-01-01", store=store
    )
    text = json.dumps(to_json(answer), indent=2, ensure_ascii=False) + "\n"
    golden = GOLDEN / "basis-FRA-JPN-trafficking-in-persons-extradition-2020-01-01.json"
    if os.environ.get("LEXGRAPH_UPDATE_GOLDEN"):
        golden.write_text(text)
    assert golden.read_text() == text
    assert [b.instrument for b in answer.conditional] == [ID + "instrument/untoc"]


def test_cli_basis_table_and_json(
    built: tuple[Layout, BuildResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lexgraph basis` prints the verdicts in human names and a citation; --format json
    parses and keeps the IRIs."""
    layout, _ = built
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    args = [
        "basis",
        "--from",
        "France",
        "--to",
        "JP",
        "--crime",
        "trafficking in persons",
        "--modality",
        "extradition",
        "--on",
        "2020-01-01",
    ]
    table = CliRunner().invoke(main, args)
    assert table.exit_code == 0, table.output
    line = "CONDITIONAL  UNTOC (through Trafficking in Persons Protocol), art. 16(6), 16(4), 16(3)"
    assert line in table.output
    assert "instrument/untoc" not in table.output
    as_json = CliRunner().invoke(main, [*args, "--format", "json"])
    assert json.loads(as_json.output)["summary"]["conditional"] == [ID + "instrument/untoc"]


def test_cli_bad_date_is_a_clear_error(
    built: tuple[Layout, BuildResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A date that is not YYYY-MM-DD exits 2 with a message."""
    layout, _ = built
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    result = CliRunner().invoke(
        main,
        [
            "basis",
            "--from",
            "FRA",
            "--to",
            "JPN",
            "--crime",
            "corruption",
            "--modality",
            "extradition",
            "--on",
            "2020-13-01",
        ],
    )
    assert result.exit_code == 2
    assert "not YYYY-MM-DD" in result.output


@pytest.mark.parametrize(
    ("crime", "modality"),
    [
        ("trafficking-in-persons", "extradition"),
        ("drug-trafficking", "mutual-legal-assistance"),
        ("cybercrime", "mutual-legal-assistance"),
        ("corruption", "confiscation-cooperation"),
    ],
)
def test_sparql_view_states_the_same_rule(
    built: tuple[Layout, BuildResult], crime: str, modality: str
) -> None:
    """queries/views/basis-candidates.rq finds the finder's candidates and articles."""
    from lexgraph.finder.coverage import candidates as _candidates
    from lexgraph.store.library import read_query
    from lexgraph.store.query import execute, resolve_keyed

    layout, _ = built
    store = ox.Store.read_only(str(layout.store))
    crime_node = resolve_keyed(store, "crime", crime)
    modality_node = resolve_keyed(store, "modality", modality)
    view = read_query(ROOT / "queries" / "views" / "basis-candidates.rq")
    rows = execute(
        store, view.text, {ox.Variable("crime"): crime_node, ox.Variable("modality"): modality_node}
    ).values()
    seen = {(r["instrument"], r["rule"], r["protocol"], r["provision"]) for r in rows}
    scope_view = read_query(ROOT / "queries" / "views" / "scope-candidates.rq")
    wider = {
        (r["instrument"], r["scope"])
        for r in execute(store, scope_view.text, {ox.Variable("modality"): modality_node}).values()
        if r["reach"] == "wider"
    }
    for candidate in _candidates(store, crime_node, modality_node):
        if candidate.rule == "scope":  # reached through a wide scope: scope-candidates.rq
            assert (candidate.instrument, candidate.via) in wider
            continue
        for article in candidate.articles:
            assert (
                candidate.instrument,
                candidate.rule,
                candidate.protocol,
                article.provision,
            ) in seen


def test_sparql_view_and_coverage_rule_agree_everywhere(graph: tuple[Layout, ox.Store]) -> None:
    """basis-candidates.rq and finder.coverage give the same ways and articles, both directions,
    for every crime type and modality of the shipped graph."""
    from lexgraph.core.terms import Lex
    from lexgraph.finder.coverage import articles, reaches
    from lexgraph.store.library import read_query
    from lexgraph.store.query import execute
    from lexgraph.store.walk import instances

    _, store = graph
    crimes = instances(store, Lex.CrimeType)
    modalities = [m.value for m in instances(store, Lex.CooperationModality)]
    provided: dict[tuple[str, str], tuple[str, ...]] = {}
    python = set()
    for crime in crimes:
        for way in reaches(store, crime):
            for modality in modalities:
                key = (way.instrument, modality)
                if key not in provided:
                    found = articles(store, way.instrument, modality)
                    provided[key] = tuple(f"{a.provision} {a.provides}" for a in found)
                python |= {
                    (crime.value, modality, way.instrument, way.rule, way.via, way.protocol, a)
                    for a in provided[key]
                }
    view = read_query(ROOT / "queries" / "views" / "basis-candidates.rq")
    kinds = ({c.value for c in crimes}, set(modalities))
    columns = ("crime", "modality", "instrument", "rule", "via", "protocol")
    sparql = {
        (*(r[c] for c in columns), f"{r['provision']} {r['provided']}")
        for r in execute(store, view.text).values()  # every crime and modality at once
        if r["crime"] in kinds[0] and r["modality"] in kinds[1]
    }
    assert len(python) > 500  # the comparison is not vacuous
    assert python - sparql == set()
    assert sparql - python == set()


_SOURCES = """\
@base <https://w3id.org/lexgraph/id/> .
@prefix lex: <https://w3id.org/lexgraph/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<participation/conv/XAA/signature/s> a lex:Participation ; lex:participant <state/XAA> ;
    lex:instrument <instrument/conv> ; lex:actKind <act-kind/signature> ;
    lex:secondarySource <https://example.org/news> ; dcterms:source <https://example.org/news> .
<participation/conv/XAA/signature/p> a lex:Participation ; lex:participant <state/XAA> ;
    lex:instrument <instrument/conv> ; lex:actKind <act-kind/signature> ;
    lex:secondarySource <https://example.org/news> ;
    dcterms:source <https://example.org/news>, <https://example.org/depositary> .
"""


def test_a_record_seen_only_in_a_secondary_source_is_marked_secondary() -> None:
    """A record whose only source is secondary (dcterms:source inferred from it) is secondary;
    one that also has a primary source cites the primary one."""
    from lexgraph.finder.standing import read_records

    store = ox.Store()
    store.load(_SOURCES.encode(), format=ox.RdfFormat.TURTLE)
    found = {r.act.record.rsplit("/", 1)[1]: r.act for r in read_records(store)}
    assert (found["s"].source, found["s"].secondary) == ("https://example.org/news", True)
    assert (found["p"].source, found["p"].secondary) == ("https://example.org/depositary", False)


def test_records_of_one_state_are_those_of_the_whole_graph(graph: tuple[Layout, ox.Store]) -> None:
    """The reader bound to a state gives exactly that state's records of the unbound reader."""
    from lexgraph.finder.standing import read_records

    _, store = graph
    every = read_records(store)
    for state in (ID + "state/FRA", ID + "state/JPN"):
        assert read_records(store, state=state) == [r for r in every if r.state == state]


def test_the_index_walk_reads_what_the_participation_view_states(
    graph: tuple[Layout, ox.Store],
) -> None:
    """For every participant of the graph, the finder's index walk gives the same records as
    ``queries/views/participation.rq`` bound to that participant."""
    from lexgraph.core.terms import Lex
    from lexgraph.finder.standing import records_from_rows, sparql_rows, state_rows

    _, store = graph
    participants = sorted(
        {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(Lex.participant), None)}
    )
    assert len(participants) > 150
    for state in participants:
        walked = records_from_rows(store, state_rows(store, state))
        stated = records_from_rows(store, sparql_rows(store, state))
        assert walked == stated, state


def test_scope_view_and_coverage_rule_agree_everywhere(graph: tuple[Layout, ox.Store]) -> None:
    """scope-candidates.rq and finder.coverage agree, both directions, for every instrument
    and modality: which reach only their own offences, and which reach beyond them."""
    from lexgraph.core.terms import Lex
    from lexgraph.finder.coverage import own_offences_only
    from lexgraph.finder.model import GENERAL_SCOPES, scopes
    from lexgraph.store.library import read_query
    from lexgraph.store.query import execute
    from lexgraph.store.walk import instances

    _, store = graph
    python = set()
    for instrument in instances(store, Lex.Instrument):
        for modality in instances(store, Lex.CooperationModality):
            if own_offences_only(store, instrument.value, modality.value):
                python.add((instrument.value, modality.value, "own-offences-only", None))
            python |= {
                (instrument.value, modality.value, "wider", s.node)
                for s in scopes(store, instrument.value, modality.value)
                if s.kind in GENERAL_SCOPES
            }
    view = read_query(ROOT / "queries" / "views" / "scope-candidates.rq")
    sparql = {
        (r["instrument"], r["modality"], r["reach"], r["scope"] if r["reach"] == "wider" else None)
        for r in execute(store, view.text).values()
    }
    assert python - sparql == set()
    assert sparql - python == set()
