"""Import the signatories and parties of an instrument as Wikidata records them.

Wikidata states participation on the treaty's item with two properties, each value a
statement node qualified by the date (``pq:P585``, *point in time*):

- ``P1891`` *signatory*: a State or organisation that signed the treaty → ``signature``;
- ``P6193`` *ratified by*: a State that ratified it. The property's own aliases also cover
  acceptance, approval and accession (the wikiproject's discussion of it says so), so the
  record is the generic ``consent``, not ``ratification``.

Statements of deprecated rank are left out. A date whose ``wikibase:timePrecision`` is coarser
than a day (Wikidata then stores the first day of the year or month) is dropped rather than
read as a day. Participants are matched to states through the ``owl:sameAs wd:Q...`` of
``graph/imported/states.ttl`` (and of ``graph/participants.ttl``); an item that matches none,
such as an organisation without an alignment, is skipped with a warning.

The instrument's item comes from the graph: ``owl:sameAs`` or ``skos:exactMatch`` to a
``wd:Q...`` on ``<instrument/KEY>`` in ``graph/instruments/``. Wikidata is a secondary source:
every record cites the item's page (``https://www.wikidata.org/wiki/Q...``) as
``lex:secondarySource``, as at the date of the query, with the source tag ``wikidata``.

The query is sent by POST (form-encoded, as the SPARQL protocol allows) through
:mod:`lexgraph.core.http`: it asks for SPARQL JSON results explicitly, has a timeout, and sends
a descriptive User-Agent, as the Wikidata Query Service's policy requires. The answer is read
as JSON here, at most :data:`MAX_ANSWER_BYTES`, and refused unless its Content-Type is JSON: no
RDF parser ever sees it (SPARQLWrapper's ``convert()`` would hand an ``application/rdf+xml``
answer to rdflib's RDF/XML parser, or an ``application/ld+json`` one to rdflib's JSON-LD parser,
which fetches remote contexts).
The SPARQL protocol has no parameter binding, so the item's IRI is written into the query; it
is first checked to be ``wd:Q<digits>``, so it cannot change the query's shape.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse
from pathlib import Path
from typing import Any

import rdflib
from rdflib import URIRef

from lexgraph.core.errors import InputError
from lexgraph.core.http import request
from lexgraph.core.namespaces import PREFIXES
from lexgraph.core.paths import Layout
from lexgraph.core.terms import Owl, Skos
from lexgraph.importers import PURPOSE, generated_header, parse_turtle
from lexgraph.importers.participation import Record, participant_key, write_participation
from lexgraph.importers.records import Imported, instrument_graph, require_instrument

TAG = "wikidata"
ENDPOINT = "https://query.wikidata.org/sparql"
#: The answers asked for: SPARQL JSON results only.
ACCEPT = "application/sparql-results+json, application/json;q=0.9"
#: Seconds the endpoint may take to answer.
TIMEOUT_S = 60.0
#: Largest answer read from the endpoint, in bytes.
MAX_ANSWER_BYTES = 32 * 1024 * 1024
WD = PREFIXES["wd"]
ITEM_PAGE = "https://www.wikidata.org/wiki/"
#: Wikidata's ``timePrecision`` for a date given to the day.
DAY_PRECISION = 11
#: Wikidata properties read, and the act kind each gives.
PROPERTIES = {"P1891": "signature", "P6193": "consent"}

# Wikidata's own namespaces for statement nodes, used only in the query sent to it; they are
# not the project's prefixes, so they are not in lexgraph.core.namespaces.
QUERY = """\
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX pqv: <http://www.wikidata.org/prop/qualifier/value/>
PREFIX wikibase: <http://wikiba.se/ontology#>
SELECT ?act ?participant ?date ?precision WHERE {
  VALUES ?treaty { <ITEM> }
  {
    ?treaty p:P1891 ?statement . ?statement ps:P1891 ?participant .
    BIND("signature" AS ?act)
  } UNION {
    ?treaty p:P6193 ?statement . ?statement ps:P6193 ?participant .
    BIND("consent" AS ?act)
  }
  FILTER(isIRI(?participant))
  FILTER NOT EXISTS { ?statement wikibase:rank wikibase:DeprecatedRank }
  OPTIONAL {
    ?statement pq:P585 ?date .
    OPTIONAL {
      ?statement pqv:P585 ?time .
      ?time wikibase:timeValue ?date ; wikibase:timePrecision ?precision .
    }
  }
}
ORDER BY ?act ?participant ?date
"""


def instrument_item(graph: rdflib.Graph, key: str) -> str:
    """Return the ``Q...`` id of the instrument's Wikidata item, or raise naming what lacks."""
    subject = URIRef(require_instrument(graph, key))
    items = sorted(
        str(o)[len(WD) :]
        for prop in (Owl.sameAs, Skos.exactMatch)
        for o in graph.objects(subject, URIRef(prop))
        if re.fullmatch(re.escape(WD) + r"Q[0-9]+", str(o))
    )
    if not items:
        raise InputError(
            f"instrument {key!r} has no Wikidata item: add owl:sameAs wd:Q... to "
            f"<instrument/{key}> in graph/instruments/"
        )
    if len(items) > 1:
        raise InputError(f"instrument {key!r} has several Wikidata items: {', '.join(items)}")
    return items[0]


def aligned_participants(root: Path) -> dict[str, str]:
    """Return participant IRIs by the Wikidata item (``Q...``) they are ``owl:sameAs``."""
    graph = rdflib.Graph()
    for path in Layout(root).participant_files:
        if path.is_file():
            parse_turtle(graph, path)
    return {
        str(o)[len(WD) :]: str(s)
        for s, o in graph.subject_objects(URIRef(Owl.sameAs))
        if str(o).startswith(WD)
    }


def _post(query: str, endpoint: str, timeout_s: float) -> tuple[bytes, str]:
    """Send ``query`` to ``endpoint``; return the answer's bytes and its Content-Type."""
    answer = request(
        endpoint,
        PURPOSE,
        data=urllib.parse.urlencode({"query": query}).encode("utf-8"),
        headers={"Accept": ACCEPT, "Content-Type": "application/x-www-form-urlencoded"},
        timeout_s=timeout_s,
        max_bytes=MAX_ANSWER_BYTES,
    )
    return answer.body, answer.content_type


def parse_answer(body: bytes, content_type: str, endpoint: str) -> list[dict[str, Any]]:
    """Return the bindings of a SPARQL JSON results answer; raise naming what is wrong.

    >>> parse_answer(b'{"results": {"bindings": [{"act": {"value": "signature"}}]}}', "", "e")
    [{'act': {'value': 'signature'}}]
    """
    media = content_type.partition(";")[0].strip().lower()
    if media not in ("", "application/sparql-results+json", "application/json"):
        raise InputError(
            f"{endpoint}: the answer is {content_type}, not SPARQL JSON results ({len(body)} bytes)"
        )
    try:
        result = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        shape = "truncated" if body.lstrip().startswith((b"{", b"[")) else "not JSON"
        raise InputError(
            f"{endpoint}: the answer is {shape}, not SPARQL JSON results ({len(body)} bytes: "
            f"{type(exc).__name__})"
        ) from None
    results = result.get("results") if isinstance(result, dict) else None
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list):
        raise InputError(f"{endpoint}: the answer is not SPARQL JSON results (no bindings)")
    for number, binding in enumerate(bindings, start=1):
        if not isinstance(binding, dict) or not all(isinstance(c, dict) for c in binding.values()):
            raise InputError(
                f"{endpoint}: binding {number} of the answer is not an object of terms"
            )
    return bindings


def run_query(item: str, endpoint: str, timeout_s: float = TIMEOUT_S) -> list[dict[str, Any]]:
    """Ask ``endpoint`` for the item's signatories and parties; return the result bindings."""
    if not re.fullmatch(r"Q[0-9]+", item):
        raise InputError(f"{item!r} is not a Wikidata item id (Q and digits)")
    body, content_type = _post(QUERY.replace("<ITEM>", f"<{WD}{item}>"), endpoint, timeout_s)
    return parse_answer(body, content_type, endpoint)


def _value(binding: dict[str, Any], name: str) -> str | None:
    cell = binding.get(name)
    return str(cell["value"]) if isinstance(cell, dict) and "value" in cell else None


def _day(binding: dict[str, Any]) -> dt.date | None:
    value = _value(binding, "date")
    precision = _value(binding, "precision")
    if value is None or (precision is not None and int(precision) < DAY_PRECISION):
        return None
    match = re.match(r"\+?(\d{4}-\d{2}-\d{2})", value)
    return dt.date.fromisoformat(match.group(1)) if match else None


def wikidata_records(
    bindings: list[dict[str, Any]],
    instrument: str,
    item: str,
    participants: dict[str, str],
    as_at: dt.date,
) -> tuple[list[Record], list[str]]:
    """Turn result bindings into records, and warnings for items that match no participant."""
    source = ITEM_PAGE + item
    records: set[Record] = set()
    unmatched: set[tuple[str, str]] = set()
    for binding in bindings:
        act = _value(binding, "act")
        who = _value(binding, "participant") or ""
        if act is None or act not in PROPERTIES.values() or not who.startswith(WD):
            continue
        qid = who[len(WD) :]
        if qid not in participants:
            unmatched.add((act, qid))
            continue
        try:
            date = _day(binding)
        except ValueError as exc:
            raise InputError(f"{ITEM_PAGE}{item}: {act} of {qid}: bad date ({exc})") from exc
        records.add(
            Record(instrument, participants[qid], act, source, date, None, as_at.isoformat(), True)
        )
    warnings = [
        f"{ITEM_PAGE}{item}: {act} of {qid} matches no state's owl:sameAs; skipped"
        for act, qid in sorted(unmatched)
    ]
    ordered = sorted(
        records,
        key=lambda r: (participant_key(r.participant), r.act, r.date or dt.date.min),
    )
    return ordered, warnings


def import_wikidata(
    instrument: str,
    layout: Layout,
    endpoint: str = ENDPOINT,
    today: dt.date | None = None,
    timeout_s: float = TIMEOUT_S,
) -> Imported:
    """Query Wikidata for an instrument; write ``graph/imported/participation/wikidata/<key>.ttl``.

    ``today`` is the as-at date of the records (the query date unless a test fixes it).
    """
    item = instrument_item(instrument_graph(layout.root), instrument)
    as_at = today or dt.date.today()
    bindings = run_query(item, endpoint, timeout_s)
    records, warnings = wikidata_records(
        bindings, instrument, item, aligned_participants(layout.root), as_at
    )
    if not records:
        raise InputError(
            f"{endpoint}: Wikidata gives no signatory (P1891) or party (P6193) of {item} that "
            "matches a state" + (f" ({len(warnings)} unmatched)" if warnings else "")
        )
    out = layout.participation / "wikidata" / f"{instrument}.ttl"
    command = ["wikidata", f"--instrument {instrument}"]
    command += [f"--endpoint {endpoint}"] if endpoint != ENDPOINT else []
    header = generated_header(
        f"Participation in {instrument} as Wikidata item {item} states it (signatory P1891, "
        f"ratified by P6193), queried on {as_at.isoformat()}; a secondary source.",
        f"{ITEM_PAGE}{item}, through the SPARQL endpoint {endpoint}",
        command,
    )
    write_participation(out, header, records, TAG)
    return Imported(out, len(records), tuple(warnings))
