"""The Council of Europe chart importer: a chart page becomes records; bad pages write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from lexgraph.cli import main
from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout
from lexgraph.importers.coe import CHART_URL, import_coe
from lexgraph.serve.oxigraph import free_port
from listener import QuietHandler, serving

CHART = Path(__file__).parent / "data" / "coe" / "chart-185.html"
KEY = "budapest-ets185"
HEAD = (
    "<html><body><h3>Chart of signatures and ratifications of Treaty 185</h3>"
    "<p>Status as of 05/12/2022</p><table>"
    "<tr><th>States</th><th>Signature</th><th>Ratification</th><th>Entry into Force</th>"
    "<th>Notes</th><th>Denunciation</th></tr>\n"
)


def _page(tmp_path: Path, rows: str, head: str = HEAD) -> Path:
    path = tmp_path / "chart.html"
    path.write_text(head + rows + "</table></body></html>\n", encoding="utf-8")
    return path


def _out(layout: Layout) -> Path:
    return layout.participation / "coe" / f"{KEY}.ttl"


def _text(project: Layout, location: str | Path = CHART, source: str | None = None) -> str:
    return import_coe(str(location), KEY, project, source).path.read_text()


def test_chart_gives_signature_and_ratification(project: Layout) -> None:
    """A member's row gives a signature and a ratification with its entry into force."""
    text = _text(project)
    assert (
        "<participation/budapest-ets185/ALB/signature/coe> a lex:Participation ;\n"
        "    lex:participant <state/ALB> ;\n"
        "    lex:instrument <instrument/budapest-ets185> ;\n"
        "    lex:actKind <act-kind/signature> ;\n"
        '    lex:actDate "2001-11-23"^^xsd:date ;\n'
        '    lex:asAt "2022-12-05"^^xsd:date ;\n'
    ) in text
    assert (
        "<participation/budapest-ets185/ALB/ratification/coe> a lex:Participation ;\n"
        "    lex:participant <state/ALB> ;\n"
        "    lex:instrument <instrument/budapest-ets185> ;\n"
        "    lex:actKind <act-kind/ratification> ;\n"
        '    lex:actDate "2002-06-20"^^xsd:date ;\n'
        '    lex:entryIntoForceForParticipant "2004-07-01"^^xsd:date ;\n'
    ) in text


def test_file_cites_the_canonical_chart_url(project: Layout) -> None:
    """A chart read from a file cites the coe.int chart URL of its treaty number, as primary."""
    text = _text(project)
    assert f"dcterms:source <{CHART_URL.format(n=185)}>" in text
    assert "lex:secondarySource" not in text


def test_source_option_overrides_the_cited_url(project: Layout) -> None:
    """--source names the URL the records cite."""
    assert "dcterms:source <https://example.org/chart>" in _text(
        project, source="https://example.org/chart"
    )


def test_marked_accession_is_an_accession(project: Layout) -> None:
    """A non-member's row marked 'a' gives an accession, not a ratification."""
    text = _text(project)
    assert "<participation/budapest-ets185/BRA/accession/coe>" in text
    assert "BRA/ratification" not in text and "BRA/signature" not in text


def test_consent_without_signature_is_an_accession(project: Layout, tmp_path: Path) -> None:
    """A consent with no signature before it is an accession even without the 'a' mark."""
    page = _page(tmp_path, "<tr><td>Japan</td><td></td><td>03/07/2012</td><td></td></tr>\n")
    assert "<participation/budapest-ets185/JPN/accession/coe>" in _text(project, page)


def test_non_member_table_with_short_header_is_read(project: Layout) -> None:
    """The non-member table, whose header has no cell above the names, is read in place."""
    text = _text(project)
    assert "<participation/budapest-ets185/CAN/ratification/coe>" in text
    assert '"2006-09-29"^^xsd:date ;\n    lex:entryIntoForceForParticipant "2007-01-01"' in text


def test_row_without_dates_gives_nothing(project: Layout) -> None:
    """A state that neither signed nor ratified gets no record."""
    assert "state/MCO" not in _text(project)


def test_footnote_number_after_a_name_is_ignored(project: Layout) -> None:
    """A footnote number after a state's name does not stop it from being matched."""
    assert "<participation/budapest-ets185/AUT/signature/coe>" in _text(project)


def test_denunciation_column_gives_a_denunciation(project: Layout, tmp_path: Path) -> None:
    """A date in a Denunciation column gives a denunciation record."""
    row = "<tr><td>Japan</td><td>23/11/2001</td><td>03/07/2012</td><td></td><td></td>"
    page = _page(tmp_path, row + "<td>01/02/2030</td></tr>\n")
    text = _text(project, page)
    assert "<participation/budapest-ets185/JPN/denunciation/coe>" in text
    assert 'lex:actDate "2030-02-01"^^xsd:date' in text


def test_signature_without_reservation_is_a_consent(project: Layout, tmp_path: Path) -> None:
    """A signature marked 's' (without reservation as to ratification) is also a consent."""
    row = "<tr><td>Japan</td><td>23/11/2001</td><td></td><td>01/03/2002</td><td>s</td></tr>\n"
    text = _text(project, _page(tmp_path, row))
    assert "<participation/budapest-ets185/JPN/signature/coe>" in text
    assert (
        "<participation/budapest-ets185/JPN/consent/coe> a lex:Participation ;\n"
        "    lex:participant <state/JPN> ;\n"
        "    lex:instrument <instrument/budapest-ets185> ;\n"
        "    lex:actKind <act-kind/consent> ;\n"
        '    lex:actDate "2001-11-23"^^xsd:date ;\n'
        '    lex:entryIntoForceForParticipant "2002-03-01"^^xsd:date ;\n'
    ) in text


def test_reimport_is_byte_identical(project: Layout) -> None:
    """Importing the same chart twice gives the same bytes."""
    first = _text(project)
    assert _text(project) == first


def test_impossible_date_is_named_and_nothing_is_written(project: Layout, tmp_path: Path) -> None:
    """A date that does not exist is reported with its line and state, and nothing is written."""
    page = _page(tmp_path, "<tr><td>Japan</td><td>31/02/2010</td><td></td><td></td></tr>\n")
    with pytest.raises(InputError, match=r"chart.html:2: Japan: signature '31/02/2010' is not a"):
        _text(project, page)
    assert not _out(project).exists()


def test_word_in_a_date_cell_is_refused(project: Layout, tmp_path: Path) -> None:
    """A date cell holding something other than a date and markers is refused."""
    page = _page(tmp_path, "<tr><td>Japan</td><td>signed</td><td></td><td></td></tr>\n")
    with pytest.raises(InputError, match=r"Japan: signature cell 'signed' is not a dd/mm/yyyy"):
        _text(project, page)


def test_unknown_state_name_is_named(project: Layout, tmp_path: Path) -> None:
    """A participant name that matches no state or organisation is named with its line."""
    page = _page(tmp_path, "<tr><td>Atlantis</td><td>23/11/2001</td><td></td><td></td></tr>\n")
    with pytest.raises(
        InputError, match=r"participant name\(s\) not known.*chart.html:2: 'Atlantis'"
    ):
        _text(project, page)
    assert not _out(project).exists()


def test_bad_reimport_leaves_the_previous_file(project: Layout, tmp_path: Path) -> None:
    """A failed re-import leaves the file of the last good import as it was."""
    before = _text(project)
    page = _page(tmp_path, "<tr><td>Japan</td><td>31/02/2010</td><td></td><td></td></tr>\n")
    with pytest.raises(InputError):
        _text(project, page)
    assert _out(project).read_text() == before


def test_page_without_a_chart_table_says_why(project: Layout, tmp_path: Path) -> None:
    """A page with no chart table, like coe.int's script-only shell, is refused with a hint."""
    page = tmp_path / "shell.html"
    page.write_text(
        "<html><body><p>Chart of signatures and ratifications of Treaty 185</p>"
        "<p>Status as of 05/12/2022</p><div id='root'></div>"
        "<script>render('<table><tr><th>Signature</th><th>Ratification</th>')</script>"
        "</body></html>"
    )
    with pytest.raises(InputError, match=r"no chart table .* save the page from a browser"):
        _text(project, page)


def test_page_without_status_date_is_refused(project: Layout, tmp_path: Path) -> None:
    """A chart without its 'Status as of' date is refused, since the records need it."""
    page = _page(tmp_path, "", head=HEAD.replace("Status as of 05/12/2022", ""))
    with pytest.raises(InputError, match="no 'Status as of dd/mm/yyyy' date"):
        _text(project, page)


def test_chart_of_another_treaty_is_refused(project: Layout) -> None:
    """A chart of Treaty 185 is not imported as the chart of CETS 197."""
    with pytest.raises(InputError, match="the chart is of Treaty 185, but coe-trafficking"):
        import_coe(str(CHART), "coe-trafficking-cets197", project)


def test_unknown_instrument_is_refused(project: Layout) -> None:
    """An instrument key the graph does not declare is refused before anything is read."""
    with pytest.raises(InputError, match="instrument 'budapest' is not declared"):
        import_coe(str(CHART), "budapest", project)


class _Handler(QuietHandler):
    def do_GET(self) -> None:
        if self.path == "/chart":
            body = CHART.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404, "Not Found")


@pytest.fixture
def site() -> Iterator[str]:
    """A local web server on an ephemeral port that serves the chart at /chart."""
    with serving(_Handler) as url:
        yield url


def test_url_is_fetched_and_cited(project: Layout, site: str) -> None:
    """A chart given by URL is fetched, and its records cite that URL."""
    text = _text(project, f"{site}/chart")
    assert f"dcterms:source <{site}/chart>" in text
    assert "<participation/budapest-ets185/JPN/ratification/coe>" in text


def test_http_error_is_reported(project: Layout, site: str) -> None:
    """An HTTP error status is reported with its code, and nothing is written."""
    with pytest.raises(InputError, match=r"/missing answered HTTP 404"):
        _text(project, f"{site}/missing")
    assert not _out(project).exists()


def test_unreachable_url_is_reported(project: Layout) -> None:
    """A URL nobody answers at (a closed local port) gives a clear error, not a traceback."""
    with pytest.raises(InputError, match=r"cannot reach .*save the page and give the file"):
        _text(project, f"http://127.0.0.1:{free_port()}/chart")
    assert not _out(project).exists()


def test_cli_imports_a_chart(project: Layout) -> None:
    """`lexgraph import coe FILE --instrument KEY` writes
    graph/imported/participation/coe/KEY.ttl."""
    result = CliRunner().invoke(main, ["import", "coe", str(CHART), "--instrument", KEY])
    assert result.exit_code == 0, result.output
    assert "wrote 1 file(s): graph/imported/participation/coe/budapest-ets185.ttl" in result.output


def test_cli_unreachable_url_exits_2(project: Layout) -> None:
    """`lexgraph import coe URL` with nothing listening prints one error line, exit code 2."""
    url = f"http://127.0.0.1:{free_port()}/chart"
    result = CliRunner().invoke(main, ["import", "coe", url, "--instrument", KEY])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "Traceback" not in result.output
