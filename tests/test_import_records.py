"""The participation CSV importer: documented rows become records; bad input writes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from lexgraph.cli import main
from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout
from lexgraph.importers.participation import source_tag
from lexgraph.importers.records import Complete, import_records

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "data" / "participation" / "participation-sample.csv"
HEADER = (
    "instrument_key,state_iso3,action,action_date,entry_into_force_for_state,"
    "source_url,source_as_at,source_kind,note\n"
)
URL = "https://example.org/status"
LEX = rdflib.Namespace("https://w3id.org/lexgraph/ontology#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
GOOD = f"UNTOC,JPN,ratification,2017-07-11,2017-08-10,{URL},2017-09-01,primary,paraphrase\n"


EXAMPLE_SITES = (Path(__file__).parent / "data" / "tiers" / "example-sites.ttl").read_text()


@pytest.fixture
def project(project: Layout) -> Layout:
    """The scratch project, with the invented sites these tests cite given a tier."""
    with project.source_domains.open("a", encoding="utf-8") as table:
        table.write(EXAMPLE_SITES)
    return project


def _csv(tmp_path: Path, rows: str, name: str = "records.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + rows, encoding="utf-8")
    return path


def _out(layout: Layout, name: str = "records") -> Path:
    return layout.participation / "records" / f"{name}.ttl"


def _graph(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def test_row_becomes_a_participation_record(project: Layout, tmp_path: Path) -> None:
    """A row gives one record with instrument, state, act kind, dates, as-at and source."""
    result = import_records(_csv(tmp_path, GOOD), project)
    text = result.path.read_text()
    assert result.path == _out(project) and result.records == 1
    assert f"<participation/untoc/JPN/ratification/{source_tag(URL)}>" in text
    assert "lex:instrument <instrument/untoc>" in text
    assert "lex:participant <state/JPN>" in text
    assert 'lex:actDate "2017-07-11"^^xsd:date' in text
    assert 'lex:entryIntoForceForParticipant "2017-08-10"^^xsd:date' in text
    assert f"dcterms:source <{URL}>" in text


def test_lexgraph_keys_are_accepted_as_instrument_keys(project: Layout, tmp_path: Path) -> None:
    """An instrument_key may be lexgraph's own key as well as the dataset's spelling."""
    result = import_records(_csv(tmp_path, GOOD.replace("UNTOC,", "budapest-ets185,")), project)
    assert "<instrument/budapest-ets185>" in result.path.read_text()


def test_status_actions_map_to_act_kinds(project: Layout, tmp_path: Path) -> None:
    """party_status becomes the consent act kind and not_party the not-party one."""
    rows = (
        f"UNCAC,FRA,party_status,,,{URL},2014,secondary,x\n"
        f"UNCAC,CHN,not_party,,,{URL},2014,secondary,x\n"
    )
    text = import_records(_csv(tmp_path, rows), project).path.read_text()
    assert "<participation/uncac/FRA/consent/" in text and "<act-kind/consent>" in text
    assert "<participation/uncac/CHN/not-party/" in text and "<act-kind/not-party>" in text


def test_secondary_source_is_marked_as_such(project: Layout, tmp_path: Path) -> None:
    """A secondary row cites its URL with lex:secondarySource, a primary one with dcterms."""
    rows = GOOD + GOOD.replace("JPN", "FRA").replace("primary", "secondary")
    graph = _graph(import_records(_csv(tmp_path, rows), project).path)
    jpn, fra = (
        rdflib.URIRef(
            f"https://w3id.org/lexgraph/id/participation/untoc/{s}/ratification/{source_tag(URL)}"
        )
        for s in ("JPN", "FRA")
    )
    assert graph.value(jpn, DCTERMS.source) == rdflib.URIRef(URL)
    assert graph.value(jpn, LEX.secondarySource) is None
    assert graph.value(fra, LEX.secondarySource) == rdflib.URIRef(URL)
    assert graph.value(fra, DCTERMS.source) is None


@pytest.mark.parametrize(
    ("as_at", "literal"),
    [
        ("2007", '"2007"^^xsd:gYear'),
        ("2019-05", '"2019-05"^^xsd:gYearMonth'),
        ("2019-05-31", '"2019-05-31"^^xsd:date'),
    ],
)
def test_reduced_precision_as_at_keeps_its_precision(
    project: Layout, tmp_path: Path, as_at: str, literal: str
) -> None:
    """A year or year-month as-at date is written as xsd:gYear or xsd:gYearMonth."""
    row = f"UNTOC,JPN,signature,2000-12-12,,{URL},{as_at},primary,x\n"
    assert f"lex:asAt {literal}" in import_records(_csv(tmp_path, row), project).path.read_text()


def test_note_is_not_written(project: Layout, tmp_path: Path) -> None:
    """The note column, a paraphrase, does not reach the graph."""
    text = import_records(_csv(tmp_path, GOOD), project).path.read_text()
    assert "paraphrase" not in text


def test_records_of_one_source_share_a_tag(project: Layout, tmp_path: Path) -> None:
    """Every record citing the same URL ends in that URL's source tag."""
    rows = GOOD + GOOD.replace("JPN", "FRA") + GOOD.replace(URL, URL + "/other")
    text = import_records(_csv(tmp_path, rows), project).path.read_text()
    assert len(re.findall(rf"/{source_tag(URL)}> a lex:Participation", text)) == 2
    assert len(re.findall(rf"/{source_tag(URL + '/other')}> a lex:Participation", text)) == 1


def test_identical_rows_are_merged(project: Layout, tmp_path: Path) -> None:
    """Rows giving the same record, notes aside, become one record."""
    rows = GOOD + GOOD + GOOD.replace("paraphrase", "another note")
    result = import_records(_csv(tmp_path, rows), project)
    assert result.records == 1
    assert result.path.read_text().count("a lex:Participation") == 1


def test_two_acts_of_one_source_get_distinct_iris(project: Layout, tmp_path: Path) -> None:
    """Two signatures of one state in one source get two IRIs, the second dated."""
    rows = GOOD.replace("2017-07-11", "2000-12-12") + GOOD
    text = import_records(_csv(tmp_path, rows.replace("ratification", "signature")), project)
    tag = source_tag(URL)
    body = text.path.read_text()
    assert f"<participation/untoc/JPN/signature/{tag}>" in body
    assert f"<participation/untoc/JPN/signature/{tag}-2017-07-11>" in body


def test_reimport_is_byte_identical(project: Layout, tmp_path: Path) -> None:
    """Importing the same CSV twice, or its rows in another order, gives the same bytes."""
    rows = GOOD + GOOD.replace("JPN", "FRA")
    first = import_records(_csv(tmp_path, rows), project).path.read_bytes()
    again = import_records(_csv(tmp_path, rows), project).path.read_bytes()
    reordered = GOOD.replace("JPN", "FRA") + GOOD
    swapped = import_records(_csv(tmp_path, reordered), project).path.read_bytes()
    assert first == again == swapped


def test_byte_order_mark_is_accepted(project: Layout, tmp_path: Path) -> None:
    """A UTF-8 byte-order mark before the header gives the same file as none."""
    plain = import_records(_csv(tmp_path, GOOD), project).path.read_bytes()
    bom = _csv(tmp_path, GOOD)
    bom.write_bytes(b"\xef\xbb\xbf" + bom.read_bytes())
    assert import_records(bom, project).path.read_bytes() == plain


def test_act_after_as_at_is_a_warning(project: Layout, tmp_path: Path) -> None:
    """An action_date after the source's as-at date is kept, with a warning naming the line."""
    row = f"UNTOC,JPN,signature,2002-12-09,,{URL},2002-12-06,primary,announced ahead\n"
    result = import_records(_csv(tmp_path, GOOD + row), project)
    assert result.records == 2
    assert (
        len(result.warnings) == 1
        and "records.csv:3: action_date 2002-12-09 is after" in (result.warnings[0])
    )


def test_act_within_a_coarse_as_at_is_no_warning(project: Layout, tmp_path: Path) -> None:
    """An action_date inside the year of a year-only as-at date is not after it."""
    row = f"UNTOC,JPN,signature,2007-12-31,,{URL},2007,primary,x\n"
    assert import_records(_csv(tmp_path, row), project).warnings == ()


def test_undated_row_is_skipped_with_a_warning(project: Layout, tmp_path: Path) -> None:
    """A row with no date at all is left out, and the warning names its line."""
    row = f"UNTOC,FRA,party_status,,,{URL},,primary,undated list\n"
    result = import_records(_csv(tmp_path, GOOD + row), project)
    assert result.records == 1
    assert result.warnings == (
        f"{tmp_path / 'records.csv'}:3: skipped, no action_date, entry_into_force or source_as_at",
    )


def _row(**cells: str) -> str:
    """Return a good signature row with some of its cells replaced."""
    row = {
        "instrument_key": "UNTOC",
        "state_iso3": "JPN",
        "action": "signature",
        "action_date": "2014-02-03",
        "entry_into_force_for_state": "",
        "source_url": URL,
        "source_as_at": "2014",
        "source_kind": "primary",
        "note": "x",
    }
    return ",".join({**row, **cells}.values()) + "\n"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (_row(action_date="2014-02-30"), r"3: action_date '2014-02-30' is not a real date"),
        (_row(action_date="12/02/2014"), r"3: action_date '12/02/2014' is not a YYYY-MM-DD"),
        (_row(entry_into_force_for_state="2014-13-01"), r"3: entry_into_force_for_state '2014-1"),
        (_row(source_as_at="2014-13"), r"3: source_as_at '2014-13' has no month 13"),
        (_row(action="signed"), r"3: action 'signed' is not one of"),
        (_row(state_iso3="XXX"), r"3: state_iso3 'XXX' is not the ISO 3166-1 alpha-3 code"),
        (_row(state_iso3="jpn"), r"3: state_iso3 'jpn'"),
        (_row(instrument_key="UNTOX"), r"3: instrument_key 'UNTOX': instrument 'UNTOX' is not"),
        (_row(source_kind="tertiary"), r"3: source_kind 'tertiary' is not primary or secondary"),
        (_row(source_url="example.org"), r"3: source_url 'example.org' is not an http\(s\) URL"),
        (_row(note="x,y"), r"3: has more fields than the header's 9"),
        (_row().replace(",x\n", "\n"), r"3: has fewer fields than the header's 9"),
    ],
)
def test_bad_row_is_named_and_nothing_is_written(
    project: Layout, tmp_path: Path, row: str, message: str
) -> None:
    """A bad row is reported with its line and what is wrong, and no file is written."""
    with pytest.raises(InputError, match=r"records.csv:" + message):
        import_records(_csv(tmp_path, GOOD + row), project)
    assert not _out(project).exists()


def test_every_bad_row_is_reported(project: Layout, tmp_path: Path) -> None:
    """All bad rows of a file are listed in one error, not only the first."""
    rows = GOOD.replace("JPN", "XXX") + GOOD + GOOD.replace("2017-07-11", "2017-02-29")
    with pytest.raises(InputError, match=r"records.csv:2: .*; .*records.csv:4: "):
        import_records(_csv(tmp_path, rows), project)


def test_bad_reimport_leaves_the_previous_file(project: Layout, tmp_path: Path) -> None:
    """A failed re-import leaves the file of the last good import as it was."""
    before = import_records(_csv(tmp_path, GOOD), project).path.read_bytes()
    with pytest.raises(InputError):
        import_records(_csv(tmp_path, GOOD.replace("2017-07-11", "2017-07-32")), project)
    assert _out(project).read_bytes() == before


def test_missing_column_is_named(project: Layout, tmp_path: Path) -> None:
    """A CSV without the source_kind column is refused, naming the column."""
    header = HEADER.replace(",source_kind", "")
    path = _csv(tmp_path, GOOD.replace(",primary", ""), header=header)
    with pytest.raises(InputError, match=r"records.csv: missing column\(s\) source_kind"):
        import_records(path, project)
    assert not _out(project).exists()


def test_empty_file_is_refused(project: Layout, tmp_path: Path) -> None:
    """An empty file is refused as having none of the columns, and nothing is written."""
    with pytest.raises(InputError, match=r"records.csv: missing column\(s\) instrument_key"):
        import_records(_csv(tmp_path, "", header=""), project)
    assert not _out(project).exists()


def test_header_without_rows_is_refused(project: Layout, tmp_path: Path) -> None:
    """A file with a header and no rows is refused, and nothing is written."""
    with pytest.raises(InputError, match=r"records.csv: no rows after the header"):
        import_records(_csv(tmp_path, ""), project)
    assert not _out(project).exists()


def test_file_name_must_be_iri_safe(project: Layout, tmp_path: Path) -> None:
    """A CSV whose name has a space is refused, since the name becomes a graph IRI."""
    with pytest.raises(InputError, match="must be letters, digits"):
        import_records(_csv(tmp_path, GOOD, name="my records.csv"), project)


def test_output_can_be_named(project: Layout, tmp_path: Path) -> None:
    """A name given to the import names the output file, and its header's command says so."""
    result = import_records(_csv(tmp_path, GOOD), project, name="checked")
    assert result.path == _out(project, "checked")
    assert "`lexgraph import csv records.csv --name checked`" in result.path.read_text()
    assert not _out(project).exists()


def test_output_name_must_be_iri_safe(project: Layout, tmp_path: Path) -> None:
    """A name with a slash is refused, naming the option, and nothing is written."""
    with pytest.raises(InputError, match=r"--name '\.\./x' must be letters, digits"):
        import_records(_csv(tmp_path, GOOD), project, name="../x")
    assert not (project.participation / "x.ttl").exists()


def test_documented_example_imports(project: Layout, tmp_path: Path) -> None:
    """The example row of docs/participation-csv.md imports as the page shows."""
    doc = (ROOT / "docs" / "participation-csv.md").read_text()
    example = re.search(r"```csv\n(.*?)```", doc, re.S)
    assert example is not None
    path = tmp_path / "example.csv"
    path.write_text(example.group(1))
    text = import_records(path, project).path.read_text()
    shown = re.search(r"```turtle\n(.*?)```", doc, re.S)
    assert shown is not None
    for line in shown.group(1).splitlines()[1:]:
        assert line.strip().rstrip(" ;.") in text


@pytest.mark.skipif(not SAMPLE.is_file(), reason="the shared data set is not beside the project")
def test_shipped_sample_is_a_fresh_import(project: Layout) -> None:
    """graph/imported/participation/records/source-checked.ttl is what importing the sample
    under that name gives.

    This test reads ../shared/data/participation/ (skipped where it is absent).
    """
    shipped = (ROOT / "graph/imported/participation/records/source-checked.ttl").read_bytes()
    result = import_records(SAMPLE, project, name="source-checked", drop_tertiary=True)
    assert result.path.read_bytes() == shipped
    assert result.records == 471
    dropped = [w for w in result.warnings if "dropped" in w and "tertiary" in w]
    assert len(dropped) == 82


def test_cli_imports_and_warns(project: Layout, tmp_path: Path) -> None:
    """`lexgraph import csv` prints its warnings and the file it wrote."""
    row = f"UNTOC,FRA,party_status,,,{URL},,primary,undated\n"
    result = CliRunner().invoke(main, ["import", "csv", str(_csv(tmp_path, GOOD + row))])
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "skipped" in result.output
    assert "wrote 1 file(s): graph/imported/participation/records/records.ttl" in result.output


def test_cli_bad_row_exits_2(project: Layout, tmp_path: Path) -> None:
    """`lexgraph import csv` on a bad row prints one error line and exits with code 2."""
    bad = GOOD.replace("2017-07-11", "2014-02-30")
    result = CliRunner().invoke(main, ["import", "csv", str(_csv(tmp_path, bad))])
    assert result.exit_code == 2
    assert "error: " in result.output and "records.csv:2: action_date '2014-02-30'" in result.output


TIER_HEADER = HEADER.rstrip("\n") + ",source_tier\n"
WIKI = "https://en.wikipedia.org/wiki/UNTOC"


def test_tertiary_row_is_refused_naming_its_line(project: Layout, tmp_path: Path) -> None:
    """A row whose only source is tertiary (a Wikipedia page) is an error naming its line."""
    rows = GOOD + f"UNTOC,FRA,party_status,,,{WIKI},2020,secondary,x\n"
    with pytest.raises(InputError, match=r"records\.csv:3: refused: its only source .* tertiary"):
        import_records(_csv(tmp_path, rows), project)
    assert not _out(project).exists()


def test_tertiary_row_is_dropped_with_a_warning_when_asked(project: Layout, tmp_path: Path) -> None:
    """With drop_tertiary, the tertiary row is left out and a warning names its line."""
    rows = GOOD + f"UNTOC,FRA,party_status,,,{WIKI},2020,secondary,x\n"
    result = import_records(_csv(tmp_path, rows), project, drop_tertiary=True)
    assert result.records == 1
    assert any(
        w.endswith(
            "records.csv:3: dropped, its only source " + WIKI + " is tertiary"
            " (see graph/source-domains.ttl)"
        )
        for w in result.warnings
    )
    assert "FRA" not in result.path.read_text()


def test_source_tier_column_must_agree_with_the_table(project: Layout, tmp_path: Path) -> None:
    """A source_tier that disagrees with graph/source-domains.ttl is an error naming the line."""
    row = GOOD.rstrip("\n").replace(URL, "https://treaties.un.org/pages/x") + ",official\n"
    with pytest.raises(InputError, match=r"records\.csv:2: source_tier 'official' disagrees"):
        import_records(_csv(tmp_path, row, header=TIER_HEADER), project)


def test_source_tier_column_that_agrees_is_accepted(project: Layout, tmp_path: Path) -> None:
    """A source_tier equal to the table's tier of the site passes."""
    row = GOOD.rstrip("\n").replace(URL, "https://treaties.un.org/pages/x") + ",depositary\n"
    assert import_records(_csv(tmp_path, row, header=TIER_HEADER), project).records == 1


def test_source_tier_must_be_a_tier(project: Layout, tmp_path: Path) -> None:
    """A source_tier outside the four tiers is an error naming the line and the allowed values."""
    row = GOOD.rstrip("\n") + ",primary\n"
    with pytest.raises(InputError, match=r"records\.csv:2: source_tier 'primary' is not one of"):
        import_records(_csv(tmp_path, row, header=TIER_HEADER), project)


def test_unlisted_site_is_a_warning(project: Layout, tmp_path: Path) -> None:
    """A source whose site the table lacks is kept, with a warning that the build will refuse
    it until the site is added."""
    row = GOOD.replace(URL, "https://unlisted-site.example/status")
    result = import_records(_csv(tmp_path, row), project)
    assert any("not in graph/source-domains.ttl" in w for w in result.warnings)


# ---------------------------------------------------------------------------------------------
# --complete: a CSV complete for its instruments records their status lists

LIST = "http://127.0.0.1/members"  # a depositary site in the test table
ROWS = (
    f"untoc,JPN,ratification,2017-07-11,2017-08-10,{URL},2017-09-01,primary,invented\n"
    f"untoc,FRA,ratification,2002-10-29,2003-09-29,{URL},2017-09-01,primary,invented\n"
    f"uncac,FRA,ratification,2005-07-11,2005-12-14,{URL},2017-09-01,primary,invented\n"
)


def _members_csv(tmp_path: Path) -> Path:
    path = tmp_path / "members.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def test_complete_writes_one_status_list_per_instrument(project: Layout, tmp_path: Path) -> None:
    """Each instrument named gets a lex:StatusList counting its own consenting participants."""
    complete = Complete(("untoc", "uncac"), "2023-09-15", LIST)
    text = import_records(_members_csv(tmp_path), project, complete=complete).path.read_text()
    tag = source_tag(LIST)
    for key, parties in (("untoc", 2), ("uncac", 1)):
        node = text.split(f"<status-list/{key}/{tag}> a lex:StatusList ;")[1].split(" .\n")[0]
        assert f"lex:instrument <instrument/{key}>" in node
        assert 'lex:asAt "2023-09-15"^^xsd:date' in node
        assert f"dcterms:source <{LIST}>" in node
        assert f'lex:partiesReported "{parties}"^^xsd:integer' in node


def test_without_complete_no_status_list(project: Layout, tmp_path: Path) -> None:
    """A CSV is not taken as complete unless told."""
    assert "StatusList" not in import_records(_members_csv(tmp_path), project).path.read_text()


@pytest.mark.parametrize(
    ("complete", "message"),
    [
        (Complete(("untoc",), "2023-09-15", URL), "depositary or an official source"),
        (Complete(("untoc",), "2023-09-15", "https://unlisted.invalid/x"), "no tier"),
        (Complete(("budapest-ets185",), "2023-09-15", LIST), "no record of that instrument"),
        (Complete(("untoc",), "2023-02-30", LIST), "not a real date"),
    ],
)
def test_complete_claim_that_cannot_stand_is_refused(
    project: Layout, tmp_path: Path, complete: Complete, message: str
) -> None:
    """A list from a secondary or unlisted site, for an instrument the CSV lacks, or with a bad
    date is an error, and nothing is written."""
    with pytest.raises(InputError, match=message):
        import_records(_members_csv(tmp_path), project, complete=complete)
    assert not (project.participation / "records" / "members.ttl").exists()


def test_cli_complete_needs_all_three_options(project: Layout, tmp_path: Path) -> None:
    """`--complete` without its date and source is a usage error (exit 2); with them it writes."""
    args = ["import", "csv", str(_members_csv(tmp_path)), "--complete", "untoc"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "give all three" in result.output
    more = ["--complete-as-at", "2023-09-15", "--complete-source", LIST]
    result = CliRunner().invoke(main, args + more)
    assert result.exit_code == 0, result.output
    text = (project.participation / "records" / "members.ttl").read_text()
    assert "--complete untoc --complete-as-at 2023-09-15" in text and "lex:StatusList" in text
