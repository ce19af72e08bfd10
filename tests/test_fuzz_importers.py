"""Every importer, fuzzed: bad input gives a LexgraphError naming it, and writes nothing.

Each importer gets a good input (a small inline table, a fixture page, the shipped SDG file
read back as a KOS) that hypothesis then garbles: cuts it short, deletes and splices bytes,
inserts tags, quotes and separators, replaces dates by impossible ones (30 February, 31 April,
year 0), drops, renames and adds columns, adds a byte-order mark, turns it into Latin-1 or
UTF-16. For every example one of two things holds:

- the import raises a :class:`~lexgraph.errors.LexgraphError` whose message names the input,
  and every file of ``graph/`` is byte-identical to what it was (the targets were seeded
  with the shipped file, or a good import, first); or
- the import succeeds, changes only its own target files, and each parses in the build's
  Turtle parser.

Any other exception fails the test with hypothesis's smallest example. The examples are
derandomized and few, so the module stays fast and stable in CI. Deterministic tests below
cover the very large inputs and the bugs the fuzzing found.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lexgraph.core.errors import InputError, LexgraphError
from lexgraph.core.paths import Layout
from lexgraph.importers import coe, participation, records, untc, wikidata
from lexgraph.importers.articles import import_articles
from lexgraph.importers.countries import import_countries
from lexgraph.importers.participation import ParticipantNames
from lexgraph.importers.sdg import import_sdg

ROOT = Path(__file__).resolve().parents[1]
UNTC_PAGE = ROOT / "tests" / "data" / "untc" / "xviii-12.html"
COE_CHART = ROOT / "tests" / "data" / "coe" / "chart-185.html"
PAGE = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12"
KEY = "budapest-ets185"
ITEM = "Q999000185"
ENDPOINT = "http://127.0.0.1:9/sparql"  # never contacted: the transport is stubbed

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the project is restored after every example
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

ARTICLES = (
    b"instrument_key,english_title,bwb_id,source_path,division,article,heading\n"
    b"UNTOC,Convention,BWBV0001668,verdrag/untoc/README.md,,1,Statement of purpose\n"
    b'UNTOC,Convention,BWBV0001668,verdrag/untoc/README.md,"Chapter I",2,"Use of terms"\n'
    b"UNTOC,Convention,BWBV0001668,verdrag/untoc/README.md,,18 bis,Mutual legal assistance\n"
)
COUNTRIES = (
    b"ISO3166-1-Alpha-3,ISO3166-1-Alpha-2,ISO3166-1-numeric,M49,UNTERM English Short,"
    b"UNTERM French Short,UNTERM English Formal,Region Code,Region Name,Sub-region Code,"
    b"Sub-region Name,wikidata_id,official_name_fr,official_name_cn,CLDR display name\n"
    b"JPN,JP,392,392,Japan,Japon (le),Japan,142,Asia,30,Eastern Asia,Q17,Japon,"
    b"\xe6\x97\xa5\xe6\x9c\xac,Japan\n"
    b'FRA,FR,250,250,France,France (la),"the French Republic",150,Europe,155,Western Europe,'
    b"https://www.wikidata.org/wiki/Q142,France,\xe6\xb3\x95\xe5\x9b\xbd,France\n"
)
UNTC_CSV = (
    b'Participant,Signature,"Ratification, Acceptance(A), Approval(AA), Accession(a), '
    b'Succession(d), Formal confirmation(c)"\n'
    b"Afghanistan,14 Dec 2000,24 Sep 2003\n"
    b"Bahrain,,7 Jun 2004 a\n"
    b"Netherlands,12 Dec 2000,26 May 2004 A\n"
)
RECORDS = (
    b"instrument_key,state_iso3,action,action_date,entry_into_force_for_state,"
    b"source_url,source_as_at,source_kind,note\n"
    b"UNTOC,JPN,ratification,2017-07-11,2017-08-10,https://example.org/s,2017-09-01,primary,x\n"
    b"UNCAC,FRA,party_status,,,https://example.org/s,2014,secondary,y\n"
    b"UNTOC,FRA,signature,2000-12-12,,https://example.org/t,2014-07,primary,z\n"
)


def _binding(act: str, qid: str, date: str | None, precision: int | None) -> dict[str, Any]:
    cell: dict[str, Any] = {
        "act": {"type": "literal", "value": act},
        "participant": {"type": "uri", "value": f"http://www.wikidata.org/entity/{qid}"},
    }
    if date:
        cell["date"] = {"type": "literal", "value": date}
    if precision is not None:
        cell["precision"] = {"type": "literal", "value": str(precision)}
    return cell


WIKIDATA = json.dumps(
    {
        "head": {"vars": ["act", "participant", "date", "precision"]},
        "results": {
            "bindings": [
                _binding("signature", "Q17", "2001-11-23T00:00:00Z", 11),
                _binding("consent", "Q17", "2012-07-03T00:00:00Z", None),
                _binding("signature", "Q142", "2001-01-01T00:00:00Z", 9),
                _binding("consent", "Q30", None, None),
            ]
        },
    },
    indent=1,
).encode()

#: Bytes spliced in: separators, quotes, tags, entities, marks and stray encodings.
TOKENS = [
    b",",
    b'"',
    b"\n",
    b"\r\n",
    b"\r",
    b"\x00",
    b";",
    b"\t",
    b"<",
    b">",
    b"<table>",
    b"</table>",
    b"<tr>",
    b"</tr>",
    b"<td>",
    b"</td>",
    b'<td colspan="99999999999">',
    b'<td colspan="\xc2\xb2">',
    b"<th>Signature</th><th>Ratification</th>",
    b"<sup>",
    b"<script>",
    b"<!--",
    b"<![CDATA[",
    b"&#0;",
    b"&#xD800;",
    b"&bogus;",
    b"&amp;",
    b"\xef\xbb\xbf",
    b"\xe9",
    b"\xff\xfe",
    b"\xed\xa0\x80",
    b"\\uD800",
    b"{",
    b"}",
    b"[",
    b"]",
    b'{"value": []}',
    b"null",
    b"@prefix x: <http://e/> .",
    b"<http://e/a b>",
    b"Status as at : 31-04-2014",
    b"Status as of 30/02/2022",
    b"Status as at : 01-01-0000",
]
#: Impossible dates, written the way each input writes its dates.
BAD_DATES = {
    re.compile(rb"\d{4}-\d{2}-\d{2}"): [b"2014-02-30", b"2014-04-31", b"0000-01-01", b"2013-02-29"],
    re.compile(rb"\d{1,2} [A-Z][a-z]{2} \d{4}"): [b"30 Feb 2014", b"31 Apr 2014", b"1 Jan 0000"],
    re.compile(rb"\d{2}/\d{2}/\d{4}"): [b"30/02/2014", b"31/04/2014", b"00/00/0000", b"01/13/2001"],
    re.compile(rb"\d{2}-\d{2}-\d{4}"): [b"31-04-2014", b"30-02-2014", b"01-01-0000"],
}
#: Whole cell values put in place of a cell: empty, spaced, bracketed, path-like, broken
#: URLs, huge numbers, impossible dates, and a field over the csv module's 128 KiB limit.
CELLS = [
    b"",
    b" ",
    b"a b",
    b"<x>",
    b"../../x",
    b'"',
    b'""',
    b"http://[::1",
    b"https://example.org/a b",
    b"99999999999999999999",
    b"\xc2\xb2",
    b"0000",
    b"0000-05",
    b"2014-13",
    b"2014-02-30",
    b"31 Apr 2014",
    b"30/02/2014",
    b"x" * 140_000,
]
OPS = (
    "cell",
    "cell",
    "cell",
    "cut",
    "delete",
    "bytes",
    "text",
    "token",
    "token",
    "date",
    "date",
    "drop-column",
    "rename-column",
    "ragged-row",
    "duplicate-line",
    "drop-tag",
    "bom",
    "latin-1",
    "utf-16",
)


def _split_cells(line: bytes) -> list[bytes]:
    return line.split(b",")


@st.composite
def garbled(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed, changed by one to four mutations."""
    data = seed
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(OPS))
        at = draw(st.integers(0, len(data)))
        lines = data.split(b"\n")
        row = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "cut":
            data = data[:at]
        elif op == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 80)) :]
        elif op == "bytes":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif op == "text":
            text = draw(st.text(min_size=1, max_size=8)).encode("utf-8", "surrogatepass")
            data = data[:at] + text + data[at:]
        elif op == "token":
            data = data[:at] + draw(st.sampled_from(TOKENS)) + data[at:]
        elif op == "date":
            found = [(m, bad) for rx, bad in BAD_DATES.items() for m in rx.finditer(data)]
            if found:
                match, bad = draw(st.sampled_from(found))
                data = data[: match.start()] + draw(st.sampled_from(bad)) + data[match.end() :]
        elif op in ("cell", "drop-column", "rename-column", "ragged-row") and lines:
            line = 0 if op in ("drop-column", "rename-column") else row
            cells = _split_cells(lines[line])
            i = draw(st.integers(0, len(cells) - 1))
            if op == "cell":
                cells[i] = draw(st.sampled_from(CELLS))
            elif op == "drop-column":
                del cells[i]
            elif op == "rename-column":
                cells[i] = draw(st.sampled_from([b"", b"X", cells[i].upper(), cells[i] + b" "]))
            elif draw(st.booleans()):
                cells.append(b"extra")
            else:
                del cells[max(i, 1) :]
            lines[line] = b",".join(cells)
            data = b"\n".join(lines)
        elif op == "duplicate-line" and lines:
            lines.insert(row, lines[row])
            data = b"\n".join(lines)
        elif op == "drop-tag":
            tags = list(re.finditer(rb"<[^<>]*>", data))
            if tags:
                tag = draw(st.sampled_from(tags))
                data = data[: tag.start()] + data[tag.end() :]
        elif op == "bom":
            data = b"\xef\xbb\xbf" + data
        elif op == "latin-1":
            data = data.decode("utf-8", "replace").encode("latin-1", "replace")
        elif op == "utf-16":
            data = data.decode("utf-8", "replace").encode("utf-16")
    return data


def _snapshot(directory: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def _restore(before: dict[Path, bytes], after: dict[Path, bytes]) -> None:
    for path in after.keys() - before.keys():
        path.unlink()
    for path, data in before.items():
        if after.get(path) != data:
            path.write_bytes(data)


def holds(
    project: Layout,
    run: Callable[[], object],
    names: tuple[str, ...],
    is_target: Callable[[Path], bool],
) -> None:
    """Run one import and check the property of the module docstring."""
    before = _snapshot(project.graph)
    try:
        run()
    except LexgraphError as exc:
        assert any(name in str(exc) for name in names), f"{exc} names none of {names}"
        assert _snapshot(project.graph) == before, f"a failed import changed graph/: {exc}"
        return
    after = _snapshot(project.graph)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    assert all(is_target(p) for p in changed), sorted(changed)
    for path in changed:
        list(ox.parse(after[path], format=ox.RdfFormat.TURTLE))  # the build can read it
    _restore(before, after)


@pytest.fixture
def fast(project: Layout, monkeypatch: pytest.MonkeyPatch) -> Iterator[Layout]:
    """The scratch project, with the importers' reading of the hand-edited graph cached
    (it does not change between examples, and rdflib takes most of a second over it)."""

    @functools.cache
    def names(root: Path) -> ParticipantNames:
        return load(root)

    load = ParticipantNames.load
    monkeypatch.setattr(
        participation.ParticipantNames, "load", classmethod(lambda cls, root: names(root))
    )
    for module in (records, coe, wikidata):
        monkeypatch.setattr(module, "instrument_graph", functools.cache(records.instrument_graph))
    monkeypatch.setattr(untc, "graph_instruments", functools.cache(untc.graph_instruments))
    monkeypatch.setattr(
        wikidata, "aligned_participants", functools.cache(wikidata.aligned_participants)
    )
    yield project


def _input(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "input" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def _under(directory: Path) -> Callable[[Path], bool]:
    return lambda path: path.parent == directory


# ---------------------------------------------------------------------------------------------
# The fuzzed importers


@FUZZ
@given(data=garbled(ARTICLES))
def test_articles_csv_fuzzed(fast: Layout, tmp_path: Path, data: bytes) -> None:
    """A garbled article-headings CSV imports cleanly or fails naming the file."""
    path = _input(tmp_path, "articles.csv", data)
    out = fast.imported / "articles"
    holds(fast, lambda: import_articles(path, out), (str(path),), _under(out))


@FUZZ
@given(data=garbled(COUNTRIES))
def test_countries_csv_fuzzed(fast: Layout, tmp_path: Path, data: bytes) -> None:
    """A garbled country-codes CSV imports cleanly or fails naming the file."""
    path = _input(tmp_path, "country-codes.csv", data)
    holds(fast, lambda: import_countries(path, fast.imported), (str(path),), _under(fast.imported))


@FUZZ
@given(data=garbled((ROOT / "graph" / "imported" / "sdg.ttl").read_bytes()))
def test_sdg_kos_fuzzed(fast: Layout, tmp_path: Path, data: bytes) -> None:
    """A garbled SDG KOS Turtle file imports cleanly or fails naming the file."""
    path = _input(tmp_path, "kos.ttl", data)
    holds(fast, lambda: import_sdg(path, fast.imported), (str(path),), _under(fast.imported))


@FUZZ
@given(data=garbled(UNTC_CSV))
def test_untc_csv_fuzzed(fast: Layout, tmp_path: Path, data: bytes) -> None:
    """A garbled UNTC status table as CSV imports cleanly or fails naming the file."""
    path = _input(tmp_path, "18-12.csv", data)
    holds(
        fast,
        lambda: untc.import_untc(str(path), fast, "untoc", as_at="2014-01-27", source=PAGE),
        (str(path),),
        _under(fast.participation / "untc"),
    )


@FUZZ
@given(data=garbled(UNTC_PAGE.read_bytes()))
def test_untc_html_fuzzed(fast: Layout, tmp_path: Path, data: bytes) -> None:
    """A garbled, truncated UNTC status page imports cleanly or fails naming the file."""
    path = _input(tmp_path, "xviii-12.html", data)
    holds(
        fast,
        lambda: untc.import_untc(str(path), fast, "untoc", source=PAGE),
        (str(path),),
        _under(fast.participation / "untc"),
    )


@FUZZ
@given(data=garbled(RECORDS))
def test_records_csv_fuzzed(fast: Layout, tmp_path: Path, data: bytes) -> None:
    """A garbled participation CSV (imported under the shipped file's name, so its target is
    the shipped file) imports cleanly or fails naming the file."""
    path = _input(tmp_path, "participation-sample.csv", data)
    holds(
        fast,
        lambda: records.import_records(path, fast, name="source-checked"),
        (str(path),),
        _under(fast.participation / "records"),
    )


@pytest.fixture
def coe_seeded(fast: Layout) -> Layout:
    """The project with the chart's file written by a good import first."""
    coe.import_coe(str(COE_CHART), KEY, fast)
    return fast


@FUZZ
@given(data=garbled(COE_CHART.read_bytes()))
def test_coe_chart_fuzzed(coe_seeded: Layout, tmp_path: Path, data: bytes) -> None:
    """A garbled, truncated Council of Europe chart imports cleanly or fails naming the file."""
    path = _input(tmp_path, "chart.html", data)
    holds(
        coe_seeded,
        lambda: coe.import_coe(str(path), KEY, coe_seeded),
        (str(path),),
        _under(coe_seeded.participation / "coe"),
    )


@pytest.fixture
def wikidata_seeded(fast: Layout, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """The project aligned with the item, its file written by a good import first, and the
    endpoint's transport stubbed: the test puts the answer's body and type in the list."""
    with (fast.graph / "instruments" / "cybercrime.ttl").open("a", encoding="utf-8") as handle:
        handle.write(
            f"\n<https://w3id.org/lexgraph/id/instrument/{KEY}> "
            f"<http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/{ITEM}> .\n"
        )
    answer = [WIKIDATA, b"application/sparql-results+json"]

    def post(query: str, endpoint: str, timeout_s: int) -> tuple[bytes, str]:
        assert f"<http://www.wikidata.org/entity/{ITEM}>" in query
        return answer[0], answer[1].decode()

    monkeypatch.setattr(wikidata, "_post", post)
    wikidata.import_wikidata(KEY, fast, ENDPOINT)
    yield answer


CONTENT_TYPES = [
    b"application/sparql-results+json",
    b"application/json; charset=utf-8",
    b"",
    b"application/ld+json",
    b"application/rdf+xml",
    b"text/html",
]


@FUZZ
@given(data=garbled(WIKIDATA), content_type=st.sampled_from(CONTENT_TYPES))
def test_wikidata_answer_fuzzed(
    fast: Layout, wikidata_seeded: list[bytes], data: bytes, content_type: bytes
) -> None:
    """A garbled Wikidata answer, under any content type, imports cleanly or fails naming
    the endpoint or the item."""
    wikidata_seeded[:] = [data, content_type]
    holds(
        fast,
        lambda: wikidata.import_wikidata(KEY, fast, ENDPOINT),
        (ENDPOINT, wikidata.ITEM_PAGE + ITEM),
        _under(fast.participation / "wikidata"),
    )


@FUZZ
@given(
    answer=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=12),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(["results", "bindings", "act", "participant", "date", "value"]),
                inner,
                max_size=4,
            )
        ),
        max_leaves=20,
    )
)
def test_wikidata_answer_of_any_json_shape(
    fast: Layout, wikidata_seeded: list[bytes], answer: object
) -> None:
    """A JSON answer of any shape (lists for objects, numbers for terms) imports cleanly or
    fails naming the endpoint or the item."""
    wikidata_seeded[:] = [json.dumps(answer).encode(), b"application/sparql-results+json"]
    holds(
        fast,
        lambda: wikidata.import_wikidata(KEY, fast, ENDPOINT),
        (ENDPOINT, wikidata.ITEM_PAGE + ITEM),
        _under(fast.participation / "wikidata"),
    )


# ---------------------------------------------------------------------------------------------
# Very large inputs (a few MB), each failing at its end


def test_large_articles_csv_fails_at_its_last_line(fast: Layout, tmp_path: Path) -> None:
    """A 3 MB article CSV whose last row is bad is refused naming that line; nothing written."""
    head = ARTICLES.decode().splitlines()[0]
    body = "".join(
        f"UNTOC,Convention,B,verdrag/untoc/README.md,,{n},{'heading ' * 16}\n"
        for n in range(1, 20_001)
    )
    path = _input(tmp_path, "articles.csv", f"{head}\n{body}UNTOC,C,B,p,,Art. x,H\n".encode())
    assert path.stat().st_size > 3_000_000
    before = _snapshot(fast.graph)
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}:20002: article number"):
        import_articles(path, fast.imported / "articles")
    assert _snapshot(fast.graph) == before


def test_large_records_csv_fails_at_its_last_line(fast: Layout, tmp_path: Path) -> None:
    """A 1 MB participation CSV whose last row has 30 February is refused naming that line."""
    head = RECORDS.decode().splitlines()[0]
    row = "UNTOC,JPN,signature,2000-12-12,,https://example.org/s{n},2014,primary,note\n"
    body = "".join(row.format(n=n) for n in range(12_000))
    bad = "UNTOC,JPN,signature,2014-02-30,,https://example.org/s,2014,primary,note\n"
    path = _input(tmp_path, "participation-sample.csv", f"{head}\n{body}{bad}".encode())
    before = _snapshot(fast.graph)
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}:12002: action_date"):
        records.import_records(path, fast)
    assert _snapshot(fast.graph) == before


PAGES = {
    "cells": b"<html><table><tr><td>Participant</td></tr>" + (b"<tr><td>" + b"x" * 3000) * 1000,
    "unclosed tag": b"<html><body><table><tr><td " + b"a" * 3_000_000,
    "unclosed comment": b"<html><body><!--" + b"x" * 3_000_000,
}


@pytest.mark.parametrize("importer", ["untc", "coe"])
@pytest.mark.parametrize("shape", sorted(PAGES))
def test_large_garbage_page_is_refused(
    fast: Layout, tmp_path: Path, importer: str, shape: str
) -> None:
    """A 3 MB page (a thousand unclosed rows, a tag or comment that never closes) is refused
    naming the file."""
    path = _input(tmp_path, "page.html", PAGES[shape])
    before = _snapshot(fast.graph)
    with pytest.raises(InputError, match=re.escape(str(path))):
        if importer == "untc":
            untc.import_untc(str(path), fast, "untoc", source=PAGE)
        else:
            coe.import_coe(str(path), KEY, fast)
    assert _snapshot(fast.graph) == before


def test_large_wikidata_answer_of_unknown_items(fast: Layout, wikidata_seeded: list[bytes]) -> None:
    """A 4 MB answer naming only items no state is aligned with writes nothing."""
    bindings = [_binding("signature", f"Q{9_000_000 + n}", None, None) for n in range(30_000)]
    wikidata_seeded[:] = [json.dumps({"results": {"bindings": bindings}}).encode(), b""]
    before = _snapshot(fast.graph)
    with pytest.raises(InputError, match=r"gives no signatory .*\(30000 unmatched\)"):
        wikidata.import_wikidata(KEY, fast, ENDPOINT)
    assert _snapshot(fast.graph) == before


def test_large_kos_with_a_syntax_error_at_the_end(fast: Layout, tmp_path: Path) -> None:
    """A 2 MB KOS file with a syntax error at its end is refused naming the file."""
    seed = (ROOT / "graph" / "imported" / "sdg.ttl").read_bytes()
    path = _input(tmp_path, "kos.ttl", seed + b"# padding\n" * 200_000 + b"sdg:x sdg:y .")
    before = _snapshot(fast.graph)
    with pytest.raises(InputError, match=re.escape(str(path))):
        import_sdg(path, fast.imported)
    assert _snapshot(fast.graph) == before


# ---------------------------------------------------------------------------------------------
# What the fuzzing found, pinned


@pytest.mark.parametrize(
    ("name", "seed"),
    [("articles.csv", ARTICLES), ("country-codes.csv", COUNTRIES), ("records.csv", RECORDS)],
)
def test_field_over_the_csv_limit_names_the_line(tmp_path: Path, name: str, seed: bytes) -> None:
    """A CSV field larger than the csv module's limit (128 KiB) is an InputError naming the
    line, not a csv.Error from inside the importer's loop."""
    from lexgraph.importers import read_csv

    lines = seed.split(b"\n")
    lines[2] = lines[2] + b',"' + b"x" * 200_000 + b'"'
    path = _input(tmp_path, name, b"\n".join(lines))
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}:3: not valid CSV"):
        read_csv(path, ())


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_csv_not_in_utf8_names_the_file(tmp_path: Path, encoding: str) -> None:
    """A UTF-16 or Latin-1 CSV is refused as not UTF-8, naming the file."""
    text = ARTICLES.decode().replace("Statement", "Déclaration")
    path = _input(tmp_path, "articles.csv", text.encode(encoding))
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: cannot read as UTF-8"):
        import_articles(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_csv_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark before the header is allowed."""
    path = _input(tmp_path, "articles.csv", b"\xef\xbb\xbf" + ARTICLES)
    [out] = import_articles(path, tmp_path / "out")
    assert "<instrument/untoc/article/18-bis>" in out.read_text()


@pytest.mark.parametrize("key", ["../../../escaped", "un toc", "a/b", ".hidden"])
def test_instrument_key_cannot_leave_the_articles_folder(tmp_path: Path, key: str) -> None:
    """An instrument key that is not a plain name (a path, a space) is refused, so it can
    neither write outside graph/imported/articles/ nor make an IRI the build cannot read."""
    path = _input(tmp_path, "articles.csv", ARTICLES.replace(b"UNTOC,", key.encode() + b",", 1))
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}:2: instrument_key"):
        import_articles(path, tmp_path / "a" / "b" / "c" / "out")
    assert not any(p.is_file() for p in tmp_path.rglob("*") if p.parent.name != "input")


def test_source_path_must_make_an_iri(tmp_path: Path) -> None:
    """A source_path with a space or a bracket is refused: it would write unreadable Turtle."""
    path = _input(tmp_path, "articles.csv", ARTICLES.replace(b"untoc/README", b"un toc/<R>", 1))
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}:2: source_path"):
        import_articles(path, tmp_path / "out")


def test_short_country_row_names_its_line(tmp_path: Path) -> None:
    """A country row with fewer cells than the header is refused naming its line."""
    path = _input(tmp_path, "c.csv", COUNTRIES.rsplit(b",", 3)[0] + b"\n")
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}:3: has fewer fields"):
        import_countries(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_country_region_code_must_be_a_number(tmp_path: Path) -> None:
    """A region code that is not digits is refused: it becomes part of the region's IRI."""
    path = _input(tmp_path, "c.csv", COUNTRIES.replace(b",142,Asia,", b",1 4,Asia,"))
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}:2: Region Code '1 4'"):
        import_countries(path, tmp_path / "out")


def test_bad_url_host_in_a_record_names_its_line(fast: Layout, tmp_path: Path) -> None:
    """A source_url with a broken IPv6 host is an InputError naming the line, not urllib's
    ValueError."""
    data = RECORDS.replace(b"https://example.org/s,2017", b"http://[::1,2017")
    path = _input(tmp_path, "participation-sample.csv", data)
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}:2: source_url"):
        records.import_records(path, fast)


def test_as_at_year_zero_is_refused(fast: Layout, tmp_path: Path) -> None:
    """A source_as_at of year 0 (which has no xsd:gYear) is refused naming the line."""
    path = _input(tmp_path, "participation-sample.csv", RECORDS.replace(b",2014,", b",0000,"))
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}:3: source_as_at '0000'"):
        records.import_records(path, fast)


@pytest.mark.parametrize("span", ["99999999999", "\u00b2", " 3 "])
def test_chart_colspan_is_bounded(fast: Layout, tmp_path: Path, span: str) -> None:
    """A huge or non-ASCII colspan neither exhausts memory nor raises ValueError."""
    page = COE_CHART.read_text().replace("<td>", f'<td colspan="{span}">', 3)
    path = _input(tmp_path, "chart.html", page.encode())
    try:
        coe.import_coe(str(path), KEY, fast)
    except LexgraphError as exc:
        assert str(path) in str(exc)


@pytest.mark.parametrize(
    ("triple", "what"),
    [
        ("sdg:16.4 skos:exactMatch <http://example.org/a b> .", "http://example.org/a b"),
        ('sdg:16.4 skos:altLabel "\\uD800"@en .', "\\ud800"),
    ],
)
def test_kos_term_the_build_cannot_read_is_refused(
    fast: Layout, tmp_path: Path, triple: str, what: str
) -> None:
    """A KOS value rdflib accepts but Turtle cannot hold (an IRI with a space, a lone
    surrogate) is refused naming the file, and sdg.ttl stays as shipped."""
    seed = (ROOT / "graph" / "imported" / "sdg.ttl").read_text()
    path = _input(tmp_path, "kos.ttl", (seed + triple + "\n").encode())
    before = (fast.imported / "sdg.ttl").read_bytes()
    with pytest.raises(InputError) as info:
        import_sdg(path, fast.imported)
    assert str(info.value).startswith(f"{path}: <http://metadata.un.org/sdg/16.4>: cannot write")
    assert what in str(info.value)
    assert (fast.imported / "sdg.ttl").read_bytes() == before


def test_kos_without_a_target_names_the_file(tmp_path: Path) -> None:
    """A KOS lacking a target lexgraph needs is refused naming the file and the target."""
    path = _input(tmp_path, "kos.ttl", b"<http://metadata.un.org/sdg/16> <urn:p> 1 .\n")
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: SDG KOS has no target 16.4"):
        import_sdg(path, tmp_path / "out")


@pytest.mark.parametrize(
    "answer",
    [
        b'{"results": []}',
        b'{"results": {"bindings": [[]]}}',
        b'{"results": {"bindings": [{"act": "signature"}]}}',
        b'{"results": {"bindings": {}}}',
        b"[" * 100_000,
        b"<html>busy</html>",
    ],
)
def test_malformed_wikidata_answer_names_the_endpoint(answer: bytes) -> None:
    """A JSON answer of the wrong shape, too deep, or not JSON is an InputError naming the
    endpoint (AttributeError and RecursionError before)."""
    with pytest.raises(InputError, match=rf"^{re.escape(ENDPOINT)}: "):
        wikidata.parse_answer(answer, "application/sparql-results+json", ENDPOINT)
