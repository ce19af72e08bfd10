"""The UNTC importer: status tables (CSV, saved page, URL) become participation records.

The tests marked ``needs_shared`` read the 2014 tables in ``../shared/data/untc-2014/`` (or
``$SHARED``) to check the shipped files against them; they are skipped where it is absent.
Nothing else here, and nothing in the package, reads ``../shared``.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import http.server
import os
import re
import shlex
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lexgraph.cli import main
from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout
from lexgraph.importers.participation import ParticipantNames
from lexgraph.importers.untc import column_acts, import_untc, table_records
from lexgraph.importers.untc_tables import read_csv_table, read_html_table, read_table
from listener import QuietHandler, serving

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "untc" / "xviii-12.html"
SHARED = Path(os.environ.get("SHARED", ROOT.parent / "shared")) / "data" / "untc-2014"
HEADER = (
    'Participant,Signature,"Ratification, Acceptance(A), Approval(AA), Accession(a), '
    'Succession(d), Formal confirmation(c)"\n'
)
PAGE = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12"


@functools.cache
def _names() -> ParticipantNames:
    return ParticipantNames.load(ROOT)


def _acts(rows: str, header: str = HEADER, as_at: str = "2014-01-27") -> dict[str, list[str]]:
    table = read_csv_table(header + rows, "t.csv")
    records, _, _ = table_records(table, _names(), "untoc", PAGE, as_at)
    acts: dict[str, list[str]] = {}
    for rec in records:
        acts.setdefault(rec.participant.rsplit("/", 1)[-1], []).append(
            f"{rec.act} {rec.date.isoformat() if rec.date else ''}"
        )
    return acts


def _write(tmp_path: Path, rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "t.csv"
    path.write_text(header + rows, encoding="utf-8")
    return path


def _snapshot(layout: Layout) -> dict[str, bytes]:
    """The generated UNTC files of a project, by name (the shipped ones included)."""
    folder = layout.participation / "untc"
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


def _import(
    path: Path, layout: Layout, as_at: str | None = "2014-01-27", source: str | None = PAGE
) -> Path:
    return import_untc(str(path), layout, "untoc", as_at=as_at, source=source).path


def test_suffixes_give_the_kind_of_act() -> None:
    """No suffix is ratification; A, AA, a, d and c are acceptance, approval, accession,
    succession and formal confirmation; the signature column gives signatures."""
    acts = _acts(
        "Afghanistan,14 Dec 2000,24 Sep 2003\nNetherlands,12 Dec 2000,26 May 2004 A\n"
        "European Union,12 Dec 2000,21 May 2004 AA\nBahrain,,7 Jun 2004 a\n"
        "Montenegro,,23 Oct 2006 d\nHoly See,,25 Jan 2012 c\n"
    )
    assert acts == {
        "AFG": ["signature 2000-12-14", "ratification 2003-09-24"],
        "NLD": ["signature 2000-12-12", "acceptance 2004-05-26"],
        "EU": ["signature 2000-12-12", "approval 2004-05-21"],
        "BHR": ["accession 2004-06-07"],
        "MNE": ["succession 2006-10-23"],
        "VAT": ["formal-confirmation 2012-01-25"],
    }


def test_footnote_numbers_are_dropped_from_names_and_dates() -> None:
    """Trailing footnote numbers after a name or a date do not change what is read."""
    acts = _acts(
        "Czech Republic 2,12 Dec 2000 3,24 Sep 2013\n"
        '"United Kingdom of Great Britain and Northern Ireland 6 , 18 ,",14 Dec 2000,9 Feb 2006 4\n'
    )
    assert acts == {
        "CZE": ["signature 2000-12-12", "ratification 2013-09-24"],
        "GBR": ["signature 2000-12-14", "ratification 2006-02-09"],
    }


def test_definitive_signature_and_succession_to_signature_are_read() -> None:
    """A definitive signature (s) is a consent; a succession to signature (d) is a signature."""
    header = 'Participant,"Signature, Succession to signature(d)","Definitive signature(s)"\n'
    acts = _acts("Montenegro,23 Oct 2006 d,\nAustralia,,22 Nov 1972 s\n", header)
    assert acts == {"MNE": ["signature 2006-10-23"], "AUS": ["consent 1972-11-22"]}


def test_html_page_gives_rows_as_at_and_drops_superscripts() -> None:
    """The saved status page gives its grid's rows, its "Status as at" date and clean names."""
    table, is_html = read_table(str(FIXTURE))
    assert is_html
    assert table.as_at == "2014-01-27"
    assert table.header[0] == "Participant"
    assert len(table.rows) == 12
    line, cells = next(r for r in table.rows if r[1][0].startswith("C"))
    assert cells == ("Côte d'Ivoire", "15 Dec 2000", "25 Oct 2012")
    assert FIXTURE.read_text().splitlines()[line - 1].strip() == "<tr>"


def test_html_page_import_cites_the_page_date(project: Layout) -> None:
    """The page's records are dated as at the page's date; the EU's approval is among them."""
    out = _import(FIXTURE, project, as_at=None)
    text = out.read_text()
    assert out == project.participation / "untc" / "untoc.ttl"
    assert text.count("a lex:Participation") == 19
    assert "<participation/untoc/EU/approval/untc>" in text
    assert 'lex:asAt "2014-01-27"^^xsd:date' in text


def test_unknown_names_are_listed_in_one_error_and_nothing_is_written(
    tmp_path: Path, project: Layout
) -> None:
    """Every unknown participant is named, with its line, in a single error; no file is written."""
    path = _write(tmp_path, "Ruritania,1 Jan 2001,\nJapan,12 Dec 2000,\nFreedonia,,2 Feb 2002 a\n")
    before = _snapshot(project)
    with pytest.raises(InputError) as info:
        _import(path, project)
    message = str(info.value)
    assert "2 participant name(s) not known" in message
    assert "t.csv:2: 'Ruritania'" in message and "t.csv:4: 'Freedonia'" in message
    assert _snapshot(project) == before


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "Japan,31 Feb 2001,\n",
            r"t\.csv:3: Japan, column 'Signature': '31 Feb 2001' is not a cal",
        ),
        ("Japan,12/12/2000,\n", r"t\.csv:3: Japan, column 'Signature': '12/12/2000' is not a date"),
        ("Japan,,12 Dec 2000 x\n", r"t\.csv:3: Japan, .*unknown suffix 'x'"),
        ("Japan,12 Dec 2000 a,\n", r"t\.csv:3: Japan, column 'Signature': unknown suffix 'a'"),
        ("Japan,12 Dec 2000\n", r"t\.csv:3: row has 2 cell\(s\), the header has 3"),
        ("Japan,12 Dec 2020,\n", r"t\.csv:3: Japan, .*2020-12-12 is after the as-at date"),
        ("Czechia,1 Jan 2001,\nCzech Republic,,\n", r"t\.csv:4: Czech Republic is the .* line 3"),
        (",1 Jan 2001,\n", r"t\.csv:3: empty participant name"),
    ],
)
def test_bad_row_names_file_and_line(
    tmp_path: Path, project: Layout, rows: str, message: str
) -> None:
    """A bad date, suffix, row width or repeated participant is reported with its line."""
    before = _snapshot(project)
    with pytest.raises(InputError, match=message):
        _import(_write(tmp_path, "Afghanistan,14 Dec 2000,24 Sep 2003\n" + rows), project)
    assert _snapshot(project) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"t\.csv: empty table: no header row"),
        (HEADER, r"t\.csv: empty table: no participant rows"),
        (HEADER + "Japan,,\n", r"t\.csv: empty table: no dated signature"),
        ("Name,Signature\nJapan,12 Dec 2000\n", r"t\.csv:1: missing column"),
        ("Participant\nJapan\n", r"t\.csv:1: missing column"),
        (
            'Participant,"Definitive signature or participation, Participation(P)"\nJapan,\n',
            r"t\.csv:1: column .*'Definitive signature or participation' is not a kind of act",
        ),
    ],
)
def test_bad_table_is_refused(tmp_path: Path, project: Layout, text: str, message: str) -> None:
    """An empty table, a missing Participant column or an unknown column header is refused."""
    with pytest.raises(InputError, match=message):
        _import(_write(tmp_path, text, header=""), project)


def test_csv_needs_an_as_at_date(tmp_path: Path, project: Layout) -> None:
    """A CSV has no "Status as at" line, so the import asks for --as-at."""
    with pytest.raises(InputError, match="give --as-at"):
        _import(_write(tmp_path, "Japan,12 Dec 2000,\n"), project, as_at=None)


@pytest.mark.parametrize(("key", "hint"), [("untocc", "untoc"), ("palermo", "untoc")])
def test_unknown_instrument_suggests_keys(
    tmp_path: Path, project: Layout, key: str, hint: str
) -> None:
    """An --instrument not in graph/ is refused, suggesting close keys or keys whose names match."""
    with pytest.raises(InputError, match=rf"no instrument/{key} in graph/; did you mean {hint}"):
        import_untc(str(_write(tmp_path, "Japan,12 Dec 2000,\n")), project, key)


def test_source_defaults_to_the_instruments_untc_reference(tmp_path: Path, project: Layout) -> None:
    """Without --source, the cited page is the status page of the instrument's UNTC reference."""
    path = _write(tmp_path, "Japan,9 Dec 2003,11 Jul 2017\n")
    out = import_untc(str(path), project, "uncac", as_at="2017-12-31").path
    assert (
        "<https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-14&chapter=18"
        "&lang=en>" in out.read_text()
    )


def test_former_state_is_skipped_and_reported(tmp_path: Path, project: Layout) -> None:
    """A row naming a State that no longer exists is skipped, never mapped to a successor."""
    path = _write(tmp_path, "Japan,12 Dec 2000,\nYugoslavia 3,12 Dec 2000,\n")
    result = import_untc(str(path), project, "untoc", as_at="2014-01-27", source=PAGE)
    assert result.skipped == ("Yugoslavia (line 3)",)
    assert result.signatures == 1
    assert "Skipped, not current States: Yugoslavia (line 3)." in result.path.read_text()


def test_name_in_brackets_is_kept_and_reported(tmp_path: Path, project: Layout) -> None:
    """A participant in brackets (withdrawn since) keeps its records and is reported."""
    path = _write(tmp_path, "[Japan 1],12 Dec 2000,\n")
    result = import_untc(str(path), project, "untoc", as_at="2014-01-27", source=PAGE)
    assert result.withdrawn == ("Japan",)
    assert "<participation/untoc/JPN/signature/untc>" in result.path.read_text()


def test_reimport_is_byte_identical(tmp_path: Path, project: Layout) -> None:
    """Importing the same table twice gives the same bytes."""
    path = _write(tmp_path, "Japan,12 Dec 2000,\nBahrain,,7 Jun 2004 a\n")
    first = _import(path, project).read_bytes()
    assert _import(path, project).read_bytes() == first


def test_reimport_replaces_the_file(tmp_path: Path, project: Layout) -> None:
    """A re-import writes the new table's records only: a row that went is gone from the file."""
    out = _import(_write(tmp_path, "Japan,12 Dec 2000,\nBahrain,,7 Jun 2004 a\n"), project)
    _import(_write(tmp_path, "Japan,12 Dec 2000,\n"), project)
    assert "BHR" not in out.read_text()
    assert "JPN" in out.read_text()


def test_failed_import_leaves_the_previous_file(tmp_path: Path, project: Layout) -> None:
    """A bad table leaves the file of the last good import as it was, and no temporary file."""
    _import(_write(tmp_path, "Japan,12 Dec 2000,\n"), project)
    before = _snapshot(project)
    with pytest.raises(InputError):
        _import(_write(tmp_path, "Japan,12 Dex 2000,\n"), project)
    assert _snapshot(project) == before


class _QuietFiles(QuietHandler, http.server.SimpleHTTPRequestHandler):
    """Serves the files of a folder, without access logs."""


@pytest.fixture
def server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 serving tests/data/untc/, stopped after the test."""
    with serving(functools.partial(_QuietFiles, directory=str(FIXTURE.parent))) as url:
        yield url


def test_url_is_fetched_and_cited(server: str, project: Layout) -> None:
    """A URL argument is fetched; without --source the URL read is the source cited."""
    url = f"{server}/{FIXTURE.name}"
    result = import_untc(url, project, "untoc")
    text = result.path.read_text()
    assert (result.signatures, result.consents) == (9, 10)
    assert f"dcterms:source <{url}>" in text
    assert 'lex:asAt "2014-01-27"^^xsd:date' in text


def test_http_error_is_a_clear_error(server: str, project: Layout) -> None:
    """A page the server does not have gives one error with the HTTP status."""
    with pytest.raises(InputError, match=r"/missing\.html answered HTTP 404"):
        import_untc(f"{server}/missing.html", project, "untoc")


def test_unreachable_url_is_a_clear_error(project: Layout) -> None:
    """A URL nobody answers (a closed local port) gives one error that says so, quickly."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(InputError, match=r"cannot reach .*save the page and give the file"):
        import_untc(f"http://127.0.0.1:{port}/x", project, "untoc", timeout=5)


def test_cli_prints_what_it_wrote(tmp_path: Path, project: Layout) -> None:
    """`lexgraph import untc` says which file it wrote and how many records of each kind."""
    path = _write(tmp_path, "Japan,12 Dec 2000,\nBahrain,,7 Jun 2004 a\nYugoslavia,1 Jan 1990,\n")
    result = CliRunner().invoke(
        main, ["import", "untc", str(path), "--instrument", "untoc", "--as-at", "2014-01-27"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "wrote 1 file(s): graph/imported/participation/untc/untoc.ttl",
        "1 signature(s), 1 consent(s)",
    ]
    assert "warning: skipped Yugoslavia (line 4): not a current State" in result.stderr


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path: Path, project: Layout) -> None:
    """A bad table gives `error: FILE:LINE: ...` on one line and exit code 2."""
    path = _write(tmp_path, "Japan,12 Dec 2000 zz,\n")
    result = CliRunner().invoke(
        main, ["import", "untc", str(path), "--instrument", "untoc", "--as-at", "2014-01-27"]
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {path}:2: Japan")


# ---------------------------------------------------------------------------------------------
# The shipped files


def _makefile() -> tuple[dict[str, str], list[list[str]]]:
    """The UNTC variables of the Makefile and its `$(UNTC_2014) ...` lines as argument lists."""
    text = (ROOT / "Makefile").read_text()
    variables = dict(re.findall(r"^(UNTC_\w+) :?= (.*)$", text, re.M))
    lines = re.findall(r"^\t\$\(UNTC_2014\) (.*)$", text, re.M)

    def expand(value: str) -> str:
        return re.sub(r"\$\((\w+)\)", lambda m: variables.get(m[1], m[0]), value)

    return variables, [shlex.split(expand(line)) for line in lines]


def _option(args: list[str], name: str) -> str:
    return args[args.index(name) + 1]


needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"no shared data at {SHARED}")


@needs_shared
@pytest.mark.parametrize("args", _makefile()[1], ids=lambda a: Path(a[0]).stem)
def test_shipped_file_agrees_with_its_2014_table(args: list[str]) -> None:
    """Each shipped file has one signature per signature date and one consent per consent date
    of its 2014 table, skips nobody, carries the table's as-at date, page and title, and says
    (as a lex:StatusList) that the table is complete at that date."""
    key, as_at, source = (_option(args, o) for o in ("--instrument", "--as-at", "--source"))
    with (SHARED / "treaties" / Path(args[0]).name).open(encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    signature_columns = [
        i for i, h in enumerate(header) if i and set(column_acts(h, "").values()) == {"signature"}
    ]
    dated = [(i in signature_columns) for r in rows for i, cell in enumerate(r) if i and cell]
    text = (ROOT / "graph" / "imported" / "participation" / "untc" / f"{key}.ttl").read_text()
    records = text.count("a lex:Participation")
    assert text.count("lex:actKind <act-kind/signature>") == sum(dated)
    assert records == len(dated)
    assert text.count("a lex:StatusList") == 1  # the table lists every participant
    assert text.count(f'lex:asAt "{as_at}"^^xsd:date') == records + 1
    assert text.count(f"dcterms:source <{source}>") == records + 1
    assert "Skipped" not in text
    with (SHARED / "index.csv").open(encoding="utf-8") as handle:
        title = {r["url"]: r["treaty_name"] for r in csv.DictReader(handle)}[source]
    label = re.match(r"# Participation in (.*?) \(instrument/", text.replace("\n# ", " "))
    assert label and title.casefold().startswith(label[1].casefold())


@needs_shared
def test_shipped_untoc_file_is_what_make_imports_writes(project: Layout) -> None:
    """Re-running the Makefile's UNTOC line reproduces the shipped file byte for byte."""
    variables, lines = _makefile()
    args = next(a for a in lines if _option(a, "--instrument") == "untoc")
    out = import_untc(
        str(SHARED / "treaties" / Path(args[0]).name),
        project,
        "untoc",
        as_at=_option(args, "--as-at"),
        source=_option(args, "--source"),
        note=variables["UNTC_2014_NOTE"],
    ).path
    assert out.read_bytes() == (ROOT / "graph/imported/participation/untc/untoc.ttl").read_bytes()


# ---------------------------------------------------------------------------------------------
# Garbled input


GOOD_CSV = HEADER + "Afghanistan,14 Dec 2000,24 Sep 2003\nBahrain,,7 Jun 2004 a\n"
GOOD_HTML = FIXTURE.read_text(encoding="utf-8")


def _read_all(text: str, html: bool) -> None:
    table = read_html_table(text, "t.html") if html else read_csv_table(text, "t.csv")
    table_records(table, _names(), "untoc", PAGE, table.as_at or "2014-12-31")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from([*GOOD_CSV, "\x00", '"', "\r"]), max_size=200))
def test_garbled_csv_raises_only_input_errors(text: str) -> None:
    """Any text made of a table's characters either reads or gives an InputError."""
    with contextlib.suppress(InputError):
        _read_all(text, html=False)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(GOOD_HTML)), st.integers(0, len(GOOD_HTML)), st.text(max_size=20))
def test_truncated_or_spliced_page_raises_only_input_errors(cut: int, at: int, junk: str) -> None:
    """A page cut short, or with junk spliced in, either reads or gives an InputError."""
    text = GOOD_HTML[:cut]
    text = text[:at] + junk + text[at:]
    with contextlib.suppress(InputError):
        _read_all(text, html=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(GOOD_CSV)), st.integers(0, len(GOOD_CSV)), st.text(max_size=12))
def test_truncated_or_spliced_csv_raises_only_input_errors(cut: int, at: int, junk: str) -> None:
    """A CSV cut short, or with junk spliced in, either reads or gives an InputError."""
    text = GOOD_CSV[:cut]
    with contextlib.suppress(InputError):
        _read_all(text[:at] + junk + text[at:], html=False)
