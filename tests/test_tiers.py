"""Source tiers: every cited source has one, "not a party" rests only on depositary or official
evidence in the finder and the views alike, and answers say how current their data is."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest

from lexgraph.core.paths import Layout
from lexgraph.core.tiers import tier_of
from lexgraph.finder import find_basis
from lexgraph.finder.decide import update_hint
from lexgraph.finder.standing import NOT_PARTY, UNKNOWN_STANDING, Act, standing
from lexgraph.importers.tiers import TierTable
from lexgraph.render.basis import to_json
from lexgraph.views.currency import currency
from lexgraph.views.parties import Context, standings
from lexgraph.views.stats import compute_stats, render_stats

ID = "https://w3id.org/lexgraph/id/"
UNTOC = ID + "instrument/untoc"
FIREARMS = "https://w3id.org/lexgraph/id/instrument/untoc-firearms-protocol"
DEU = "https://w3id.org/lexgraph/id/state/DEU"


def _not_party(tier: str) -> Act:
    return Act("r", "not-party", None, None, "2020-05", "https://x.example/", True, tier)


@pytest.mark.parametrize(
    ("url", "tier"),
    [
        ("https://treaties.un.org/pages/ViewDetails.aspx?mtdsg_no=XVIII-12", "depositary"),
        ("https://www.un.org/en/conferences", "official"),
        ("https://www.coe.int/en/web/conventions/full-list", "depositary"),
        ("https://github.com/zmjones/untreaties/blob/x/treaties/18-12.csv", "secondary"),
        ("https://en.wikipedia.org/wiki/UNTOC", "tertiary"),
        ("https://doczz.fr/doc/1", "tertiary"),
    ],
)
def test_shipped_table_gives_each_kind_of_site_its_tier(
    graph: tuple[Layout, ox.Store], url: str, tier: str
) -> None:
    """The shipped table ranks depositaries, UN bodies, scrapes and mirrors as issue 13 does."""
    layout, _ = graph
    assert tier_of(url, TierTable.load(layout.root).patterns) == tier


def test_every_cited_source_of_the_build_has_a_tier(graph: tuple[Layout, ox.Store]) -> None:
    """The build writes a lex:sourceTier for every source the graph cites."""
    _, store = graph
    query = (
        "PREFIX lex: <https://w3id.org/lexgraph/ontology#> "
        "PREFIX dcterms: <http://purl.org/dc/terms/> "
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?x dcterms:source ?s . FILTER(isIRI(?s)) "
        "FILTER NOT EXISTS { ?s lex:sourceTier ?t } }"
    )
    rows = list(store.query(query, use_default_graph_as_union=True))  # type: ignore[arg-type]
    assert rows[0]["n"].value == "0"  # type: ignore[union-attr]


@pytest.mark.parametrize("tier", ["secondary", "tertiary", None])
def test_not_party_on_weak_evidence_is_unknown(tier: str | None) -> None:
    """A not-party record whose source is secondary, tertiary or untiered leaves it unknown."""
    found = standing(DEU, UNTOC, [_not_party(tier)], [], frozenset(), dt.date(2020, 5, 1))  # type: ignore[arg-type]
    assert found.status == UNKNOWN_STANDING


@pytest.mark.parametrize("tier", ["depositary", "official"])
def test_not_party_on_depositary_or_official_evidence_is_not_a_party(tier: str) -> None:
    """A not-party record from a depositary or official source says "not a party"."""
    found = standing(DEU, UNTOC, [_not_party(tier)], [], frozenset(), dt.date(2020, 5, 1))
    assert found.status == NOT_PARTY


def test_views_never_show_germany_outside_the_firearms_protocol(
    graph: tuple[Layout, ox.Store],
) -> None:
    """The figures' and tables' standing of Germany towards the Firearms Protocol is not "not a
    party": the record that said so rested on a Wikipedia mirror (issue 13)."""
    layout, store = graph
    status, _, _ = standings(Context.of(store, layout), [DEU], [FIREARMS])
    assert status[(DEU, FIREARMS)] != "not a party"


def test_unknown_verdict_names_the_status_list_date_and_update(
    graph: tuple[Layout, ox.Store],
) -> None:
    """Every unknown verdict names the as-at date of the instrument's latest complete status
    list and suggests `lexgraph update`, in the answer and its JSON."""
    _, store = graph
    answer = find_basis("USA", "CAN", "firearms-trafficking", "extradition",
                        "2026-06-01", store=store)  # fmt: skip
    unknown = [b for b in answer.candidates if b.verdict == "unknown"]
    assert unknown
    for basis in unknown:
        assert update_hint(basis.status_list_as_at) in basis.reasons
    lists = {c.instrument: c.as_at for c in currency(store)}
    for basis in unknown:
        assert basis.status_list_as_at == lists.get(basis.instrument)
    listed = next(b for b in unknown if b.status_list_as_at)
    row = next(c for c in to_json(answer)["candidates"] if c["instrument"] == listed.instrument)
    assert row["status_list_as_at"] == listed.status_list_as_at
    assert any(
        "lexgraph update" in r and str(listed.status_list_as_at) in r for r in row["reasons"]
    )


def test_stats_show_each_instruments_status_list_and_party_counts(
    graph: tuple[Layout, ox.Store],
) -> None:
    """`lexgraph stats` gives, per instrument with a status list, its as-at date, the parties
    recorded and the parties the depositary's table reports."""
    layout, store = graph
    rows = {c.instrument: c for c in currency(store)}
    assert rows[UNTOC].as_at == "2014-01-27" and rows[UNTOC].reported == 179
    assert rows[UNTOC].recorded >= rows[UNTOC].reported
    text = render_stats(compute_stats(store, layout.checks))
    assert "untoc " in text and "as at 2014-01-27" in text and "179 reported" in text


def test_site_instrument_page_says_how_current_its_data_is(
    graph: tuple[Layout, ox.Store],
) -> None:
    """The site's section on an instrument gives its latest status list's date and both
    party counts, and one without a list says to run `lexgraph update`."""
    from lexgraph.render.site.data import SiteData
    from lexgraph.render.site.pages import _currency_section

    _, store = graph
    data = SiteData(
        {}, {}, {}, {}, {}, {}, {}, {}, {}, currency={c.instrument: c for c in currency(store)}
    )
    html = _currency_section(data, UNTOC)
    assert "2014-01-27" in html and ">179<" in html
    assert "lexgraph update" in _currency_section(data, ID + "instrument/budapest-ets185")
