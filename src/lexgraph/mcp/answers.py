"""The answers of ``lexgraph mcp``'s tools, as JSON-ready dicts, without the SDK.

Each function takes a :class:`Graph` (the built store, opened once, and the layout whose
questions and citation are used) and returns a dict that closes with what an assistant must
pass on: ``sources`` (the documents the facts rest on), ``as_at`` (the dates the data is
known as at) and ``citation`` (the dataset's citation line and the date of its data). A
user's mistake raises :class:`~lexgraph.core.errors.LexgraphError` with a message that says
what was wrong and, where it can, what was meant.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import ID, LEX
from lexgraph.core.paths import Layout
from lexgraph.core.terms import Dcterms, Lex, Rdfs, Skos
from lexgraph.store.frames import short_key
from lexgraph.store.labels import label
from lexgraph.store.library import read_library
from lexgraph.store.names import fold_name
from lexgraph.store.query import Result, find_question, open_store, python_value, substitutions
from lexgraph.views.context import caption_line
from lexgraph.views.describe import text_of

#: Rows an answer carries at most: an assistant reads every one of them.
MAX_ROWS = 500
#: Seconds a free query may run before it is stopped.
TIMEOUT_S = 20.0
_SEARCH_PROPERTIES = (Skos.prefLabel, Skos.altLabel, Rdfs.label, Skos.hiddenLabel, Skos.notation)


@dataclass(frozen=True)
class Graph:
    """The built graph an MCP session answers from."""

    store: ox.Store
    layout: Layout

    @classmethod
    def open(cls, layout: Layout | None = None) -> Graph:
        layout = layout or Layout.default()
        return cls(open_store(layout.store), layout)

    def citation(self) -> str:
        return caption_line(self.layout, self.store)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _cited(
    graph: Graph,
    answer: dict[str, Any],
    iris: set[str],
    extra: set[str],
    dates: set[str] | None = None,
) -> dict[str, Any]:
    """Close ``answer`` with the sources of what it names, the as-at dates and the citation."""
    sources, as_at = set(extra), set(dates or ())
    for iri in sorted(i for i in iris if i.startswith(ID))[:200]:
        node = ox.NamedNode(iri)
        for prop, into in ((Dcterms.source, sources), (Lex.asAt, as_at)):
            for q in graph.store.quads_for_pattern(node, ox.NamedNode(prop), None):
                into.add(text_of(q.object))
    answer["sources"] = sorted(sources)
    answer["as_at"] = sorted(as_at)
    answer["citation"] = graph.citation()
    return answer


def _iris(value: Any) -> set[str]:
    """Every lexgraph IRI in a JSON-ready value."""
    if isinstance(value, str):
        return {value} if value.startswith(ID) else set()
    if isinstance(value, dict):
        return set().union(*(_iris(v) for v in value.values())) if value else set()
    if isinstance(value, list | tuple):
        return set().union(*(_iris(v) for v in value)) if value else set()
    return set()


def _names(graph: Graph, iris: set[str]) -> dict[str, str]:
    return {iri: label(graph.store, iri) for iri in sorted(iris)}


def basis(
    graph: Graph, requesting: str, requested: str, crime: str, modality: str, on: str | None
) -> dict[str, Any]:
    """The legal-basis finder's answer in the JSON of ``schemas/basis.schema.json``."""
    from lexgraph.finder.basis import find_basis
    from lexgraph.render.basis import to_json

    found = find_basis(requesting, requested, crime, modality, on, store=graph.store)
    answer = to_json(found, None)
    answer.pop("citation", None)
    iris = _iris(answer)
    answer["names"] = _names(graph, iris)
    standings = [s for b in found.candidates for s in b.standings]
    acts = {act.source for s in standings for act in s.acts if act.source}
    dates = {s.as_at for s in standings if s.as_at}
    return _cited(graph, answer, iris, acts, dates)


def gaps(graph: Graph, requesting: str, requested: str, on: str | None) -> dict[str, Any]:
    """The crime type x modality pairs without a basis between two states."""
    from lexgraph.finder.gaps import gaps as find_gaps

    found = [
        _plain(dataclasses.asdict(g))
        for g in find_gaps(requesting, requested, on, store=graph.store)
    ]
    answer: dict[str, Any] = {"gaps": found}
    iris = _iris(found)
    answer["names"] = _names(graph, iris)
    return _cited(graph, answer, iris, set())


def dyad(graph: Graph, first: str, second: str, on: str | None) -> dict[str, Any]:
    """The instruments both states are bound by, and since when."""
    from lexgraph.finder.gaps import dyad as find_dyad

    shared = [
        _plain(dataclasses.asdict(s)) for s in find_dyad(first, second, on, store=graph.store)
    ]
    answer: dict[str, Any] = {"shared": shared}
    iris = _iris(shared)
    answer["names"] = _names(graph, iris)
    standings = [st for s in shared for st in s["standings"]]
    extra = {a["source"] for st in standings for a in st["acts"] if a.get("source")}
    return _cited(graph, answer, iris, extra, {st["as_at"] for st in standings if st["as_at"]})


def channels(graph: Graph, first: str, second: str, modality: str | None) -> dict[str, Any]:
    """The networks of competent authorities that connect two states: both recorded members,
    one only, and those whose members the graph does not list."""
    from lexgraph.finder.channels import channels as find_channels

    found = find_channels(first, second, modality, store=graph.store)
    answer: dict[str, Any] = {
        key: [_plain(dataclasses.asdict(c)) for c in value]
        for key, value in (
            ("shared", found.shared),
            ("one_side", found.one_side),
            ("unrecorded", found.unrecorded),
        )
    }
    answer["note"] = (
        "A network whose members the graph does not list may or may not connect the two "
        "states; it is never evidence that they are not members."
    )
    iris = _iris(answer) | {found.first, found.second}
    answer["names"] = _names(graph, iris)
    extra = {c.source for c in (*found.shared, *found.one_side, *found.unrecorded) if c.source}
    return _cited(graph, answer, iris, extra)


def questions(graph: Graph) -> dict[str, Any]:
    """The library's questions: name, summary, parameters (kind, default) and tags."""
    return {
        "questions": [
            {
                "name": q.name,
                "summary": q.summary,
                "params": [
                    {"name": p.name, "kind": p.kind, "default": p.default, "required": p.required}
                    for p in q.params
                ],
                "tags": list(q.tags),
            }
            for q in read_library(graph.layout.questions)
        ],
        "citation": graph.citation(),
    }


def _rows(graph: Graph, result: Result) -> dict[str, Any]:
    """SELECT rows as dicts: IRIs with their key and label, literals as plain values."""
    rows = []
    iris: set[str] = set()
    extra: set[str] = set()
    for row in result.rows:
        out: dict[str, Any] = {}
        for name, term in zip(result.variables, row, strict=True):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
                cell: Any = term.value
                if term.value.startswith(ID) or term.value.startswith(LEX):
                    cell = {
                        "iri": term.value,
                        "key": short_key(term.value),
                        "label": label(graph.store, term.value),
                    }
                elif name.lower().endswith("source"):
                    extra.add(term.value)
                out[name] = cell
            else:
                value = _plain(python_value(term))
                out[name] = value
                if name.lower().endswith("source") and isinstance(value, str):
                    extra.add(value)
        rows.append(out)
    answer: dict[str, Any] = {"variables": list(result.variables), "rows": rows[:MAX_ROWS]}
    if result.boolean is not None:
        answer["boolean"] = result.boolean
    if result.triples:
        answer["triples"] = [str(t) for t in result.triples[:MAX_ROWS]]
    answer["truncated"] = result.truncated or len(rows) > MAX_ROWS
    return _cited(graph, answer, iris, extra)


def run_question(graph: Graph, name: str, params: dict[str, str] | None) -> dict[str, Any]:
    """Run a library question by name with its parameters (keys, codes or labels)."""
    if name.endswith(".rq") or "/" in name:
        raise InputError(f"{name!r}: give a question's name; list_questions lists them")
    from lexgraph.store.query import execute

    found = find_question(graph.layout.questions, name)
    result = execute(graph.store, found.text, substitutions(graph.store, found, params or {}), name)
    answer = _rows(graph, result)
    answer = {"question": name, "params": dict(params or {}), **answer}
    return answer


def sparql(graph: Graph, text: str, location: Path | None = None) -> dict[str, Any]:
    """Run free SPARQL text: checked by the server's gate, row-capped, stopped after TIMEOUT_S."""
    from lexgraph.untrusted.free import free_query

    result = free_query(
        text, location=location or graph.layout.store, timeout_s=TIMEOUT_S, max_rows=MAX_ROWS
    )
    return _rows(graph, result)


def search(graph: Graph, text: str, kind: str | None = None, limit: int = 20) -> dict[str, Any]:
    """Resources whose label contains ``text`` (accents, case and articles ignored), best first."""
    wanted = fold_name(text)
    if not wanted:
        raise InputError("search: give some text to look for")
    prefix = f"{ID}{kind}/" if kind else ID
    scored: dict[str, tuple[int, str]] = {}
    for prop in _SEARCH_PROPERTIES:
        for q in graph.store.quads_for_pattern(None, ox.NamedNode(prop), None):
            subject = q.subject
            if not isinstance(subject, ox.NamedNode) or not isinstance(q.object, ox.Literal):
                continue
            if not (
                subject.value.startswith(prefix) or (kind is None and subject.value.startswith(LEX))
            ):
                continue
            folded = fold_name(q.object.value)
            if wanted not in folded:
                continue
            score = 0 if folded == wanted else 1 if folded.startswith(wanted) else 2
            if subject.value not in scored or score < scored[subject.value][0]:
                scored[subject.value] = (score, q.object.value)
    best = sorted(scored.items(), key=lambda kv: (kv[1][0], len(kv[0]), kv[0]))[
        : max(1, min(limit, 100))
    ]
    found = [
        {
            "iri": iri,
            "key": short_key(iri),
            "kind": iri[len(ID) :].split("/", 1)[0] if iri.startswith(ID) else "term",
            "label": label(graph.store, iri),
            "matched": matched,
        }
        for iri, (_, matched) in best
    ]
    return _cited(graph, {"query": text, "results": found}, {r["iri"] for r in found}, set())


def describe(graph: Graph, resource: str) -> dict[str, Any]:
    """What the graph says about a resource, given by IRI or key (``state/JPN``, ``lex:Treaty``)."""
    from lexgraph.views.describe import describe as describe_iri

    iri = resource.strip()
    if iri.startswith("lex:"):
        iri = LEX + iri[4:]
    elif not iri.startswith(("http://", "https://")):
        iri = ID + iri.lstrip("/")
    found = describe_iri(graph.store, iri)
    facts = [
        {
            "property": f.predicate,
            "property_label": f.predicate_label,
            "value": f.value,
            **({"value_label": f.value_label} if f.is_iri else {}),
            **({"datatype": f.datatype} if f.datatype else {}),
            "files": list(f.files),
        }
        for f in found.facts
    ]
    answer: dict[str, Any] = {
        "iri": found.iri,
        "label": found.label,
        "types": list(found.types),
        "facts": facts[:MAX_ROWS],
    }
    return _cited(graph, answer, {found.iri}, set(found.sources))
