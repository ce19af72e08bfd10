"""The Wikidata importer, against a real local Oxigraph holding Wikidata-shaped statements."""

from __future__ import annotations

import datetime as dt
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from lexgraph.cli import main
from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout
from lexgraph.importers.wikidata import import_wikidata
from lexgraph.serve.oxigraph import ServerConfig, free_port, running

FIXTURE = Path(__file__).parent / "data" / "wikidata" / "treaty.ttl"
ITEM = "Q999000185"
KEY = "budapest-ets185"
TODAY = dt.date(2026, 5, 20)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The query URL of a local read-write Oxigraph loaded with the Wikidata-shaped fixture."""
    config = ServerConfig(
        location=tmp_path_factory.mktemp("wikidata") / "store", read_only=False, port=free_port()
    )
    with running(config) as url:
        request = urllib.request.Request(
            f"{url}/store?default",
            data=FIXTURE.read_bytes(),
            headers={"Content-Type": "text/turtle"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status in (200, 201, 204)
        yield f"{url}/query"


@pytest.fixture
def aligned(project: Layout) -> Layout:
    """The scratch project, with the Budapest Convention aligned to the fixture's item."""
    path = project.graph / "instruments" / "cybercrime.ttl"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(
            "\n<https://w3id.org/lexgraph/id/instrument/budapest-ets185> "
            f"<http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/{ITEM}> .\n"
        )
    return project


def _out(layout: Layout) -> Path:
    return layout.participation / "wikidata" / f"{KEY}.ttl"


def _text(layout: Layout, endpoint: str) -> str:
    return import_wikidata(KEY, layout, endpoint, today=TODAY).path.read_text()


def test_signatory_becomes_a_dated_signature(aligned: Layout, endpoint: str) -> None:
    """A P1891 statement with a day-precise P585 gives a signature dated that day."""
    assert (
        "<participation/budapest-ets185/JPN/signature/wikidata> a lex:Participation ;\n"
        "    lex:participant <state/JPN> ;\n"
        "    lex:instrument <instrument/budapest-ets185> ;\n"
        "    lex:actKind <act-kind/signature> ;\n"
        '    lex:actDate "2001-11-23"^^xsd:date ;\n'
        '    lex:asAt "2026-05-20"^^xsd:date ;\n'
        f"    lex:secondarySource <https://www.wikidata.org/wiki/{ITEM}> ."
    ) in _text(aligned, endpoint)


def test_ratified_by_becomes_a_consent(aligned: Layout, endpoint: str) -> None:
    """A P6193 statement gives a consent record, since the property covers every consent."""
    text = _text(aligned, endpoint)
    assert "<participation/budapest-ets185/JPN/consent/wikidata>" in text
    assert 'lex:actDate "2012-07-03"^^xsd:date' in text


def test_records_cite_wikidata_as_secondary(aligned: Layout, endpoint: str) -> None:
    """Every record cites the item's page as a secondary source, never as dcterms:source."""
    text = _text(aligned, endpoint)
    assert "dcterms:source" not in text
    assert text.count("lex:secondarySource <https://www.wikidata.org/wiki/") == text.count(
        "a lex:Participation"
    )


def test_coarse_date_is_dropped(aligned: Layout, endpoint: str) -> None:
    """A point in time given only to the year does not become a day."""
    text = _text(aligned, endpoint)
    block = text[text.index("<participation/budapest-ets185/FRA/signature/wikidata>") :]
    assert "lex:actDate" not in block.split("\n\n")[0]


def test_undated_statement_keeps_its_as_at(aligned: Layout, endpoint: str) -> None:
    """A statement without P585 gives a record dated only by the query date."""
    text = _text(aligned, endpoint)
    block = text[text.index("<participation/budapest-ets185/USA/consent/wikidata>") :]
    assert 'lex:asAt "2026-05-20"' in block.split("\n\n")[0]


def test_deprecated_statement_is_left_out(aligned: Layout, endpoint: str) -> None:
    """A statement of deprecated rank gives no record."""
    assert "state/DEU" not in _text(aligned, endpoint)


def test_unmatched_item_is_a_warning(aligned: Layout, endpoint: str) -> None:
    """A participant item no state is aligned with is skipped with a warning naming it."""
    result = import_wikidata(KEY, aligned, endpoint, today=TODAY)
    assert result.records == 4
    assert result.warnings == (
        f"https://www.wikidata.org/wiki/{ITEM}: signature of Q999000001 matches no state's "
        "owl:sameAs; skipped",
    )


def test_reimport_is_byte_identical(aligned: Layout, endpoint: str) -> None:
    """Importing twice on the same date gives the same bytes."""
    assert _text(aligned, endpoint) == _text(aligned, endpoint)


def test_instrument_without_item_is_refused(project: Layout, endpoint: str) -> None:
    """An instrument with no Wikidata item in the graph is refused, saying what to add."""
    with pytest.raises(InputError, match=r"'budapest-ets185' has no Wikidata item: add owl:same"):
        import_wikidata(KEY, project, endpoint, today=TODAY)
    assert not _out(project).exists()


def test_item_with_no_participant_is_refused(aligned: Layout, endpoint: str) -> None:
    """An item of which the endpoint knows no signatory or party writes nothing."""
    path = aligned.graph / "instruments" / "cybercrime.ttl"
    path.write_text(path.read_text().replace(ITEM, "Q1"))
    with pytest.raises(InputError, match=r"gives no signatory .* or party .* of Q1"):
        import_wikidata(KEY, aligned, endpoint, today=TODAY)
    assert not _out(aligned).exists()


def test_unreachable_endpoint_is_reported(aligned: Layout) -> None:
    """An endpoint nobody listens at (a closed local port) gives a clear error."""
    with pytest.raises(InputError, match=r"cannot reach http://127\.0\.0\.1"):
        import_wikidata(KEY, aligned, f"http://127.0.0.1:{free_port()}/sparql", today=TODAY)
    assert not _out(aligned).exists()


def test_http_error_is_reported(aligned: Layout, endpoint: str) -> None:
    """An endpoint URL that answers 404 gives an error naming the status."""
    missing = endpoint.replace("/query", "/no-such-service")
    with pytest.raises(InputError, match="no-such-service answered HTTP 404"):
        import_wikidata(KEY, aligned, missing, today=TODAY)


def test_bad_reimport_leaves_the_previous_file(aligned: Layout, endpoint: str) -> None:
    """A failed re-import leaves the file of the last good import as it was."""
    before = _text(aligned, endpoint)
    with pytest.raises(InputError):
        import_wikidata(KEY, aligned, f"http://127.0.0.1:{free_port()}/sparql", today=TODAY)
    assert _out(aligned).read_text() == before


def test_cli_imports_from_an_endpoint(aligned: Layout, endpoint: str) -> None:
    """`lexgraph import wikidata` prints its warnings and the file it wrote."""
    result = CliRunner().invoke(
        main, ["import", "wikidata", "--instrument", KEY, "--endpoint", endpoint]
    )
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "Q999000001" in result.output
    wrote = "wrote 1 file(s): graph/imported/participation/wikidata/budapest-ets185.ttl"
    assert wrote in result.output
