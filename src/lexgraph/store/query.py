"""Run SPARQL on the built graph: library questions with bound parameters, or free text.

Parameters are bound by the engine (pyoxigraph ``substitutions``), never pasted into the
query text, so a value is always a value, whatever characters it holds. pyoxigraph binds only
variables of the SELECT projection, so a library question projects each of its parameters
(which also shows, in every answer, what was asked).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from lexgraph.core.errors import InputError, NotBuilt
from lexgraph.core.namespaces import ID, PREFIXES, instance
from lexgraph.core.suggest import close_matches
from lexgraph.core.terms import Lex, Rdfs, Skos, Xsd
from lexgraph.store.library import LibraryQuery, Param, read_library, read_query
from lexgraph.store.memory import memory_store
from lexgraph.store.names import resolve_state

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
XSD = PREFIXES["xsd"]
_KEYED_KINDS = {"crime": "crime", "modality": "modality", "instrument": "instrument"}


@dataclass(frozen=True)
class Result:
    """The answer to a query: SELECT rows, an ASK boolean, or CONSTRUCT/DESCRIBE triples."""

    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()
    #: True when a row cap cut the rows or triples short (see ``execute(max_rows=...)``).
    truncated: bool = False
    #: The store the query ran on, where it is at hand, for the labels of a data frame.
    store: ox.Store | None = field(default=None, compare=False, repr=False)

    def values(self) -> list[dict[str, object]]:
        """Return the rows as dicts of Python values (str, int, float, bool, date)."""
        return [
            {v: python_value(t) for v, t in zip(self.variables, row, strict=True)}
            for row in self.rows
        ]

    def to_pandas(self, store: ox.Store | None = None) -> Any:
        """Return a SELECT result as a pandas DataFrame with typed columns and labels.

        Dates are datetimes, numbers numbers, instance IRIs short keys (``JPN``) each with a
        ``<column>_label`` column (:mod:`lexgraph.store.frames` says how). Needs pandas
        (``pip install 'lexgraph[notebook]'``).
        """
        from lexgraph.store.frames import to_pandas

        return to_pandas(self, store)

    def to_polars(self, store: ox.Store | None = None) -> Any:
        """Return a SELECT result as a polars DataFrame, typed as :meth:`to_pandas` does."""
        from lexgraph.store.frames import to_polars

        return to_polars(self, store)


@dataclass(frozen=True)
class QueryDataset:
    """The dataset a query names: the graphs ``FROM`` merges into its default graph, and the
    graphs ``FROM NAMED`` makes available to ``GRAPH``.

    As SPARQL 1.1 says (section 13.2), a query that names only ``FROM`` graphs has no named
    graphs, and one that names only ``FROM NAMED`` graphs has an empty default graph. Empty,
    it means the query names no dataset: the default graph is then the union of all graphs.

    >>> QueryDataset(("https://w3id.org/lexgraph/source/graph/a.ttl",)).protocol_params()
    [('default-graph-uri', 'https://w3id.org/lexgraph/source/graph/a.ttl')]
    """

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default or self.named)

    def engine_args(self) -> dict[str, object]:
        """The keyword arguments of pyoxigraph's ``Store.query`` that select this dataset."""
        if not self:
            return {"use_default_graph_as_union": True}
        # Each graph once: pyoxigraph counts a triple once per time its graph is named.
        return {
            "default_graph": [ox.NamedNode(g) for g in dict.fromkeys(self.default)],
            "named_graphs": [ox.NamedNode(g) for g in dict.fromkeys(self.named)],
        }

    def protocol_params(self) -> list[tuple[str, str]]:
        """The SPARQL 1.1 Protocol parameters that select this dataset on a server."""
        return [("default-graph-uri", g) for g in dict.fromkeys(self.default)] + [
            ("named-graph-uri", g) for g in dict.fromkeys(self.named)
        ]


def python_value(term: Term | None) -> object:
    """Convert a term to a plain Python value: literals by datatype, IRIs to strings.

    >>> python_value(ox.Literal("2003-09-29", datatype=ox.NamedNode(Xsd.date)))
    datetime.date(2003, 9, 29)
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        kind = term.datatype.value[len(XSD) :] if term.datatype.value.startswith(XSD) else ""
        try:
            if kind in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
                return int(term.value)
            if kind in ("decimal", "double", "float"):
                return float(term.value)
            if kind == "boolean":
                return term.value in ("true", "1")
            if kind == "date":
                return dt.date.fromisoformat(term.value)
        except ValueError:
            return term.value
        return term.value
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return term.value
    return str(term)


def open_store(path: Path) -> ox.Store:
    """Open the built on-disk store read-only."""
    if not path.exists():
        raise NotBuilt(str(path))
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise NotBuilt(f"{path} ({exc})") from exc


def _exists(store: ox.Store, iri: str) -> bool:
    try:
        node = ox.NamedNode(iri)
    except ValueError:  # not an IRI at all, so not the IRI of anything
        return False
    return any(store.quads_for_pattern(node, None, None))


def _keys(store: ox.Store, kind: str) -> list[str]:
    prefix = f"{ID}{kind}/"
    found = {
        q.subject.value[len(prefix) :]
        for q in store.quads_for_pattern(None, ox.NamedNode(Lex.key), None)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(prefix)
    }
    return sorted(found)


def _by_label(store: ox.Store, kind: str, value: str) -> str | None:
    wanted = value.casefold()
    prefix = f"{ID}{kind}/"
    for prop in (Skos.prefLabel, Skos.altLabel, Rdfs.label):
        for q in store.quads_for_pattern(None, ox.NamedNode(prop), None):
            if (
                isinstance(q.subject, ox.NamedNode)
                and q.subject.value.startswith(prefix)
                and isinstance(q.object, ox.Literal)
                and q.object.value.casefold() == wanted
            ):
                return q.subject.value
    return None


def resolve_keyed(store: ox.Store, kind: str, value: str) -> ox.NamedNode:
    """Resolve a crime type, modality or instrument given by key, IRI or label."""
    text = value.strip()
    iri = text if text.startswith(f"{ID}{kind}/") else instance(kind, text.lower())
    if _exists(store, iri):
        return ox.NamedNode(iri)
    found = _by_label(store, kind, text)
    if found:
        return ox.NamedNode(found)
    keys = _keys(store, kind)
    close = close_matches(text.lower(), keys)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(keys[:40])}"
    raise InputError(f"unknown {kind} {value!r}{hint}")


def _unresolved(kind: str, value: str) -> ox.NamedNode:
    """Map a key or ISO alpha-3 code to its IRI without a store to look names up in."""
    text = value.strip()
    if kind == "state":
        if not re.fullmatch(r"[A-Za-z]{3}", text):
            raise InputError(
                f"state {value!r}: without a local build only ISO alpha-3 codes are understood; "
                "run `lexgraph build` to resolve names and alpha-2 codes"
            )
        return ox.NamedNode(instance("state", text.upper()))
    if text.startswith(f"{ID}{kind}/"):
        return ox.NamedNode(text)
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", text.lower()):
        raise InputError(
            f"{kind} {value!r}: without a local build only keys are understood; "
            "run `lexgraph build` to resolve labels"
        )
    return ox.NamedNode(instance(kind, text.lower()))


def bind(store: ox.Store | None, param: Param, value: str) -> Term:
    """Turn a parameter's text value into the RDF term the engine binds.

    Without a store (a remote endpoint and no local build), keys and alpha-3 codes are still
    understood; labels and alpha-2 codes need the store to be looked up.
    """
    kind = param.kind
    if kind in _KEYED_KINDS:
        if store is None:
            return _unresolved(_KEYED_KINDS[kind], value)
        return resolve_keyed(store, _KEYED_KINDS[kind], value)
    if kind == "state":
        if store is None:
            return _unresolved("state", value)
        return resolve_state(store, value)
    if kind == "target":
        return ox.NamedNode(PREFIXES["sdg"] + value.strip())
    if kind == "iri":
        if not re.fullmatch(r"[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+", value):
            raise InputError(f"parameter {param.name}: {value!r} is not an absolute IRI")
        return ox.NamedNode(value)
    if kind == "date":
        try:
            return ox.Literal(
                dt.date.fromisoformat(value).isoformat(), datatype=ox.NamedNode(Xsd.date)
            )
        except ValueError:
            raise InputError(
                f"parameter {param.name}: {value!r} is not a date YYYY-MM-DD"
            ) from None
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]+", value):
            raise InputError(f"parameter {param.name}: {value!r} is not an integer")
        return ox.Literal(value, datatype=ox.NamedNode(Xsd.integer))
    return ox.Literal(value)


def substitutions(
    store: ox.Store | None, question: LibraryQuery, params: Mapping[str, str]
) -> dict[ox.Variable, Term]:
    """Check ``params`` against the question's and return the engine's bindings."""
    allowed = ", ".join(f"{p.name} ({p.kind})" for p in question.params) or "none"
    unknown = sorted(set(params) - {p.name for p in question.params})
    if unknown:
        raise InputError(
            f"{question.name}: unknown parameter(s) {', '.join(unknown)}; allowed: {allowed}"
        )
    bound: dict[ox.Variable, Term] = {}
    for param in question.params:
        value = params.get(param.name, param.default)
        if value is None:
            raise InputError(f"{question.name}: missing parameter {param.name}; allowed: {allowed}")
        bound[ox.Variable(param.name)] = bind(store, param, value)
    return bound


_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_PREFIXED = re.compile(r"(?:^|[\s(){},;/^|!=<>])([A-Za-z][\w.-]*)?:[^\s(){},;]*$")
#: An engine's "expected one of" list longer than this is summarised, not printed.
_MAX_EXPECTED = 12


def syntax_message(text: str, exc: SyntaxError) -> str:
    """The engine's SPARQL syntax error as one line: ``LINE:COL: what``, with the undeclared
    prefix named (and lexgraph's declaration for it, where it is one of the project's), and
    a long list of expected tokens cut to its first few.

    >>> try:
    ...     ox.Store().query("SELECT * WHERE { ?s a lex:Instrument }")
    ... except SyntaxError as exc:
    ...     print(syntax_message("SELECT * WHERE { ?s a lex:Instrument }", exc))
    1:37: SPARQL syntax error: the prefix lex: is not declared; add PREFIX lex: <https://w3id.org/lexgraph/ontology#>
    """
    found = _AT.match(str(exc))
    if not found:
        return " SPARQL syntax error: " + " ".join(str(exc).split())
    line, column, what = int(found.group(1)), int(found.group(2)), found.group(3)
    where = f"{line}:{column}: SPARQL syntax error: "
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    if "Prefix not found" in what:
        name = _PREFIXED.search(source[: column - 1])
        if name is None:
            return where + "a prefix is not declared"
        prefix = name.group(1) or ""
        known = PREFIXES.get(prefix)
        hint = f"; add PREFIX {prefix}: <{known}>" if known else "; declare it with PREFIX"
        return where + f"the prefix {prefix}: is not declared{hint}"
    near = source[: column - 1].split()
    if near:
        where += f"after {near[-1][-30:]!r}: "
    expected = [e.strip() for e in what.removeprefix("expected one of").split(",")]
    if what.startswith("expected one of") and (
        len(expected) > _MAX_EXPECTED or any("\\u{" in e or ".." in e for e in expected)
    ):
        words = [e for e in expected if e.isalpha()][:_MAX_EXPECTED]
        return where + "unexpected text" + (f"; expected e.g. {', '.join(words)}" if words else "")
    return where + " ".join(what.split())


def execute(
    store: ox.Store,
    text: str,
    bindings: Mapping[ox.Variable, Term] | None = None,
    where: str = "query",
    *,
    max_rows: int | None = None,
    dataset: QueryDataset | None = None,
) -> Result:
    """Run SPARQL text on ``store`` with the union of named graphs as the default graph, or on
    the graphs that ``dataset`` names (the query's own ``FROM`` and ``FROM NAMED``, which the
    engine's union switch would otherwise override).

    With ``max_rows``, at most that many rows (or triples) are read from the engine, and the
    result says ``truncated=True`` when there were more.
    """
    graphs = (dataset or QueryDataset()).engine_args()
    try:
        answer = store.query(text, substitutions=dict(bindings or {}), **graphs)  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise InputError(f"{where}:{syntax_message(text, exc)}") from None
    except (RuntimeError, OSError) as exc:
        raise InputError(f"{where}: the query cannot run: {exc}") from None
    if isinstance(answer, ox.QueryBoolean):
        return Result(boolean=bool(answer))
    limit = None if max_rows is None else max_rows + 1
    if isinstance(answer, ox.QueryTriples):
        triples = tuple(itertools.islice(answer, limit))
        cut = max_rows is not None and len(triples) > max_rows
        return Result(triples=triples[:max_rows] if cut else triples, truncated=cut)
    variables = tuple(v.value for v in answer.variables)
    rows = tuple(itertools.islice((tuple(row) for row in answer), limit))
    cut = max_rows is not None and len(rows) > max_rows
    return Result(variables=variables, rows=rows[:max_rows] if cut else rows, truncated=cut)


def find_question(questions_dir: Path, name: str) -> LibraryQuery:
    """Return a library question by name, or read a query file given by path."""
    path = Path(name)
    if path.suffix == ".rq" and path.is_file():
        return read_query(path, library=False)
    library = read_library(questions_dir)
    for question in library:
        if question.name == name:
            return question
    close = close_matches(name, [q.name for q in library])
    hint = f"; did you mean {', '.join(close)}?" if close else "; `lexgraph queries` lists them"
    raise InputError(f"no question named {name!r}{hint}")


def query(
    question: str,
    params: Mapping[str, str] | None = None,
    *,
    store: ox.Store | None = None,
    questions_dir: Path | None = None,
) -> Result:
    """Run a library question (by name or ``.rq`` path) on the built graph: by default this
    process's in-memory copy of it (:func:`~lexgraph.store.memory.memory_store`), loaded once.

    >>> rows = query("instruments-providing-modality", {"modality": "extradition"}).values()
    ... # doctest: +SKIP
    """
    from lexgraph.core.paths import Layout

    layout = Layout.default()
    store = store if store is not None else memory_store(layout.store)
    found = find_question(questions_dir or layout.questions, question)
    result = execute(store, found.text, substitutions(store, found, params or {}), found.name)
    return replace(result, store=store)
