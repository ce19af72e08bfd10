"""Check an untrusted SPARQL query before anything runs it.

A query from outside (the server, ``lexgraph query FILE.rq``,
:func:`~lexgraph.untrusted.free.free_query`)
is refused, with :class:`QueryRefused` and a message naming the place, when it asks for:

- ``SERVICE`` anywhere, nested or not: pyoxigraph, the Oxigraph server and rdflib all make an
  outbound HTTP request for it, and Oxigraph has no switch to turn that off;
- an update (``LOAD``, ``INSERT``, ``DELETE``, ``CLEAR``...): the graph is served read-only, and
  ``LOAD`` fetches a URL;
- ``FROM`` or ``FROM NAMED`` naming a graph that is not one of the build's source graphs
  (``https://w3id.org/lexgraph/source/...``, :data:`LOCAL_GRAPHS`): rdflib fetches such IRIs,
  and on Oxigraph they only name graphs that are not there;
- more than ``max_bytes`` of text (:class:`QueryTooLarge`) or brackets nested deeper than
  :data:`MAX_NESTING` (which rdflib's recursive parser cannot take).

Two independent readings must both agree before a query passes. :func:`scan` lexes the text
the way Oxigraph does, in linear time, and makes every refusal above. Then rdflib's SPARQL 1.1
parser (:func:`check_query`) reads it into a tree that is walked for the same things; parsing
evaluates nothing and fetches nothing. The scan exists, and is the stricter of the two, because
the readings differ where it matters (found by trying them on a loopback listener, see
``tests/test_safety.py``):

- Oxigraph needs no word boundary after a keyword: ``1SERVICE<u>{}``, ``"x"SERVICE<u>{}`` and
  ``SERVICESILENT<u>{}`` all fetch ``u``, and ``SERVICE:x {}`` reads as ``SERVICE :x``. Nor
  does it read a prefixed name as SPARQL 1.1 writes it: its local part takes at most one run
  of dots, so ``ex:a.b.SERVICE:x {}`` is ``ex:a.b``, ``.``, ``SERVICE :x {}`` to Oxigraph
  while rdflib reads one name. So the scan refuses any bare word (any run of name characters,
  colons, escapes and inner dots, prefixed names whole) that *contains* ``SERVICE``, however
  it would be split. Only variables (whose characters are exactly Oxigraph's), strings,
  IRIs, comments and prefixed names with a plain local part (``ex:serviceOf``: ASCII letters,
  digits, ``_`` and ``-``, which no reading can split) may hold it;
- rdflib expands ``\\u`` escapes across the whole text before parsing, as SPARQL 1.1 said;
  Oxigraph, following SPARQL 1.2, expands them only inside strings and IRIs. A string holding
  ``\\u0022`` therefore ends in a different place for each, which can hide a ``SERVICE`` from
  rdflib that Oxigraph runs. The scan lexes as Oxigraph does, and rdflib is given a copy with
  comments blanked and string and IRI escapes decoded, so that both see the same tokens.

rdflib's parser is slow on long expressions (about a millisecond a token) and recursive, so
:func:`check_query` parses in a thread with a large stack; the server runs it in a child
process that is killed at a deadline (:mod:`lexgraph.untrusted.sandbox`).
"""

from __future__ import annotations

import functools
import re
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from lexgraph.core.errors import LexgraphError

#: Largest query accepted, in bytes of UTF-8.
DEFAULT_MAX_QUERY_BYTES = 32 * 1024
#: Seconds an untrusted query may run before it is stopped.
DEFAULT_TIMEOUT_S = 30.0
#: Rows (or triples) an untrusted query returns at most; the answer says when it was cut.
DEFAULT_MAX_ROWS = 10_000
#: Deepest nesting of ``(``, ``[`` and ``{`` accepted.
MAX_NESTING = 64
#: The graphs a FROM or FROM NAMED may name: the build's one graph per source file.
LOCAL_GRAPHS = "https://w3id.org/lexgraph/source/"
#: Keywords that begin an update operation (SPARQL 1.1 Update, section 3).
UPDATE_KEYWORDS = frozenset(
    ("LOAD", "CLEAR", "CREATE", "DROP", "ADD", "MOVE", "COPY", "INSERT", "DELETE", "WITH")
)
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


class QueryRefused(LexgraphError):
    """A query that lexgraph will not run: what it asks for, where, and why not."""


class QueryTooLarge(QueryRefused):
    """A query longer than the size limit."""


class QueryTimeout(LexgraphError):
    """A query that ran past its wall-clock limit and was stopped."""


@dataclass(frozen=True)
class ParsedQuery:
    """What the check learnt of a query it let pass."""

    text: str
    form: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# The scan: Oxigraph's tokens, in linear time

_NAME_CHARS = r"\w\u00B7\u0300-\u036F\u203F\u2040"
#: SPARQL's PN_CHARS_BASE (and ``_``, digits and the combining ranges): what a variable's name
#: is made of, exactly as Oxigraph reads it, so that a variable ends where Oxigraph ends it.
_BASE_CHARS = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
    "\U00010000-\U000effff"
)
_VAR_CHARS = rf"{_BASE_CHARS}_0-9\u00B7\u0300-\u036F\u203F\u2040"
_TOKEN = re.compile(
    rf"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
  | (?P<string>
        \"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
      | '''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
      | "(?:[^"\\\r\n]|\\[^\r\n])*"
      | '(?:[^'\\\r\n]|\\[^\r\n])*'
    )
  | (?P<var>[?$][{_VAR_CHARS}]+)
  | (?P<lang>@[A-Za-z0-9-]+)
  | (?P<word>(?:[{_NAME_CHARS}:%-]|\\[^\s]|\.(?=[{_NAME_CHARS}:%]))+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_PREFIX_PART = re.compile(rf"^(?:[^\W\d_][{_NAME_CHARS}.-]*|_)?:")
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_OPEN, _CLOSE = "([{", ")]}"


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int


def _tokens(text: str) -> Iterator[_Token]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "ws":
            yield _Token(kind, match.group(), match.start())


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _hides_service(token: _Token) -> bool:
    """True if Oxigraph could read a SERVICE keyword in this bare word, however it splits it.

    A prefixed name (or blank node label) is let through only when its local part is plain:
    ASCII letters, digits, ``_`` and ``-``, and no dot, colon, escape or ``%``, which Oxigraph
    cannot end early (it ends a local name where the SPARQL grammar would not: see the
    module's doc), and when its prefix holds no SERVICE.
    """
    upper = token.text.upper()
    if "SERVICE" not in upper:
        return False
    prefix = _PREFIX_PART.match(token.text)
    return (
        prefix is None
        or "SERVICE" in prefix.group().upper()
        or not _PLAIN_LOCAL.fullmatch(token.text, prefix.end())
    )


def _decode_uchars(body: str) -> str:
    def one(match: re.Match[str]) -> str:
        return chr(int(match.group(1) or match.group(2), 16))

    return _UCHAR.sub(one, body)


def _iri_value(token: _Token, text: str) -> str:
    value = _decode_uchars(token.text[1:-1])
    if any(c in value for c in '<>"{}|^`\\') or any(ord(c) <= 0x20 for c in value):
        raise QueryRefused(f"the IRI at {_where(text, token.start)} escapes a forbidden character")
    return value


def _refuse_service(text: str, token: _Token) -> QueryRefused:
    prefix = _PREFIX_PART.match(token.text)
    if prefix is not None and "SERVICE" not in prefix.group().upper():
        return QueryRefused(
            f"the prefixed name {token.text!r} at {_where(text, token.start)} is refused: "
            "Oxigraph may end the name early and read a SERVICE keyword in the rest (it ends a "
            "local name at its second run of dots), and SERVICE makes the server send a request "
            "to another endpoint; write the IRI in full, as <...>"
        )
    if token.text.upper() != "SERVICE":
        return QueryRefused(
            f"{token.text!r} at {_where(text, token.start)} is refused: Oxigraph can read the "
            "SERVICE keyword in it (it needs no space after a keyword), and SERVICE makes the "
            "server send a request to another endpoint; rename it"
        )
    return QueryRefused(
        f"SERVICE at {_where(text, token.start)} is refused: it makes the server send a request "
        "to another endpoint, and this one answers only from its own graph"
    )


def _refuse_graph(text: str, token: _Token, iri: str, clause: str) -> QueryRefused:
    return QueryRefused(
        f"{clause} <{iri}> at {_where(text, token.start)} is refused: only the build's source "
        f"graphs ({LOCAL_GRAPHS}...) can be named; without FROM the default graph is their union"
    )


def _check_size(text: str, max_bytes: int) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise QueryTooLarge(f"the query is {size} bytes, more than the limit of {max_bytes}")


def scan(text: str, *, max_bytes: int = DEFAULT_MAX_QUERY_BYTES) -> ParsedQuery:
    """Lex ``text`` as Oxigraph does and refuse what it must not run; fast, no parser.

    >>> scan("SELECT * WHERE { ?s ?p ?o }").form
    'SELECT'
    >>> scan("SELECT * { ?s ?p 1SERVICE<http://127.0.0.1:9/>{} }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lexgraph.untrusted.gate.QueryRefused: '1SERVICE' at line 1, column 18 is refused: ...
    """
    _check_size(text, max_bytes)
    base = ""
    prefixes: dict[str, str] = {}
    form = ""
    default: list[str] = []
    named: list[str] = []
    depth = 0
    tokens = [t for t in _tokens(text) if t.kind != "comment"]
    for i, token in enumerate(tokens):
        kind, value = token.kind, token.text
        if kind in ("string", "var", "iri"):
            continue
        if kind == "lang":
            if "SERVICE" in value.upper():
                raise _refuse_service(text, token)
            continue
        if kind == "other":
            if value in _OPEN:
                depth += 1
                if depth > MAX_NESTING:
                    raise QueryRefused(
                        f"the query nests brackets more than {MAX_NESTING} deep at "
                        f"{_where(text, token.start)}"
                    )
            elif value in _CLOSE:
                depth -= 1
            continue
        if _hides_service(token):
            raise _refuse_service(text, token)
        keyword = value.upper()
        following = tokens[i + 1 : i + 4]
        if keyword in UPDATE_KEYWORDS and not form:
            raise QueryRefused(
                f"{keyword} at {_where(text, token.start)} is refused: this is an update, and "
                "the graph is served read-only"
                + (" (LOAD fetches a URL)" if keyword == "LOAD" else "")
            )
        if keyword == "LOAD":
            raise QueryRefused(f"LOAD at {_where(text, token.start)} is refused: it fetches a URL")
        if keyword in FORMS and not form:
            form = keyword
        elif keyword == "BASE" and following and following[0].kind == "iri":
            base = urllib.parse.urljoin(base, _iri_value(following[0], text))
        elif keyword == "PREFIX" and len(following) >= 2 and following[1].kind == "iri":
            iri = urllib.parse.urljoin(base, _iri_value(following[1], text))
            prefixes[following[0].text.rstrip(":")] = iri
        elif keyword == "FROM":
            is_named = bool(following) and following[0].text.upper() == "NAMED"
            rest = following[1:] if is_named else following
            graph = _graph_iri(text, token, rest[0] if rest else None, base, prefixes)
            clause = "FROM NAMED" if is_named else "FROM"
            if not graph.startswith(LOCAL_GRAPHS):
                raise _refuse_graph(text, token, graph, clause)
            (named if is_named else default).append(graph)
    if not form:
        raise QueryRefused("the text is not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")
    return ParsedQuery(text, form, tuple(default), tuple(named))


def _graph_iri(
    text: str, at: _Token, token: _Token | None, base: str, prefixes: dict[str, str]
) -> str:
    if token is not None and token.kind == "iri":
        return urllib.parse.urljoin(base, _iri_value(token, text))
    if token is not None and token.kind == "word" and ":" in token.text:
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    raise QueryRefused(f"FROM at {_where(text, at.start)} does not name a graph lexgraph can read")


# ---------------------------------------------------------------------------------------------
# The parse: rdflib's SPARQL 1.1 grammar on the same tokens

#: rdflib's grammar recurses about ten frames per triple pattern and per bracket.
_RECURSION_LIMIT = 100_000
#: The stack of the thread that parses (address space; little of it is ever touched).
PARSE_STACK_BYTES = 512 * 1024 * 1024
_deep_lock = threading.Lock()
T = TypeVar("T")


def _deep(func: Callable[[str], T], text: str) -> T:
    """Run ``func(text)`` in a thread with a large stack and a high recursion limit."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, func(text)))
        except BaseException as exc:  # handed back to the caller's thread
            outcome.append((False, exc))

    with _deep_lock:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
        previous = threading.stack_size(PARSE_STACK_BYTES)
        try:
            worker = threading.Thread(target=run, name="lexgraph-sparql-parse")
            worker.start()
        finally:
            threading.stack_size(previous)
        worker.join()
        sys.setrecursionlimit(limit)
    ok, value = outcome[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def _escape(char: str) -> str:
    return {
        '"': '\\"',
        "'": "\\'",
        "\\": "\\\\",
        "\n": "\\n",
        "\r": "\\r",
        "\t": "\\t",
        "\b": "\\b",
        "\f": "\\f",
    }.get(char, char)


def _for_rdflib(text: str) -> str:
    """The text with comments blanked and string and IRI escapes decoded (see module doc)."""
    parts: list[str] = []
    last = 0
    for token in _tokens(text):
        parts.append(text[last : token.start])
        last = token.start + len(token.text)
        if token.kind == "comment":
            parts.append(" " * len(token.text))
        elif token.kind == "string":
            parts.append(_UCHAR.sub(lambda m: _escape(_decode_uchars(m.group())), token.text))
        elif token.kind == "iri":
            parts.append(_UCHAR.sub(lambda m: _decode_uchars(m.group()), token.text))
        else:
            parts.append(token.text)
    parts.append(text[last:])
    return "".join(parts)


def _walk(node: object) -> Iterator[Any]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, ParseResults | list | tuple):
            stack.extend(item)


def _parse(text: str) -> ParsedQuery:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    normal = _for_rdflib(text)
    try:
        tree = _deep(parseQuery, normal)
    except ParseException as exc:
        try:
            _deep(parseUpdate, normal)
        except (ParseException, RecursionError):
            raise QueryRefused(
                f"SPARQL syntax error at line {exc.lineno}, column {exc.col} "
                f"(lexgraph checks queries with rdflib's SPARQL 1.1 grammar): {exc.msg}"
            ) from None
        raise QueryRefused("the text is an update, and the graph is served read-only") from None
    except RecursionError:
        raise QueryRefused("the query is too deeply nested for lexgraph's check") from None
    for node in _walk(tree):
        if node.name == "ServiceGraphPattern":
            raise QueryRefused(
                "SERVICE is refused: it makes the server send a request to another endpoint"
            )
    try:
        prologue = translatePrologue(tree[0], None)
    except Exception as exc:  # rdflib raises a bare Exception for an unknown prefix
        raise QueryRefused(f"the query's prologue cannot be read: {exc}") from None
    body = tree[1]
    default: list[str] = []
    named: list[str] = []
    # CompValue.get returns the key itself for a missing key: test membership instead.
    for clause in body["datasetClause"] if "datasetClause" in body else ():  # noqa: SIM401
        is_named = "named" in clause
        raw = clause["named"] if is_named else clause["default"]
        try:
            graph = str(prologue.absolutize(raw))
        except Exception as exc:
            raise QueryRefused(f"a FROM clause cannot be read: {exc}") from None
        if not graph.startswith(LOCAL_GRAPHS):
            raise QueryRefused(
                f"{'FROM NAMED' if is_named else 'FROM'} <{graph}> is refused: only the build's "
                f"source graphs ({LOCAL_GRAPHS}...) can be named"
            )
        (named if is_named else default).append(graph)
    form = body.name.removesuffix("Query").upper()
    return ParsedQuery(text, form, tuple(default), tuple(named))


@functools.lru_cache(maxsize=1024)
def _checked(text: str, max_bytes: int) -> ParsedQuery | QueryRefused:
    try:
        first = scan(text, max_bytes=max_bytes)
        second = _parse(text)
    except QueryRefused as exc:
        return exc
    if (first.form, set(first.default_graphs), set(first.named_graphs)) != (
        second.form,
        set(second.default_graphs),
        set(second.named_graphs),
    ):
        return QueryRefused(
            "lexgraph's two readings of the query disagree on its form or its graphs; "
            "it is refused rather than guessed at"
        )
    return first


def check_query(text: str, *, max_bytes: int = DEFAULT_MAX_QUERY_BYTES) -> ParsedQuery:
    """Parse ``text`` without running it and refuse it if it is not safe to run here.

    Raises :class:`QueryRefused` (or :class:`QueryTooLarge`) with a message that says what
    was refused and where. Answers are cached by text, so a repeated query costs nothing.

    >>> check_query("PREFIX lex: <https://w3id.org/lexgraph/ontology#> ASK { ?x a lex:Crime }").form
    'ASK'
    >>> check_query("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lexgraph.untrusted.gate.QueryRefused: FROM <http://example.org/g> at line 1, column 10 ...
    """
    _check_size(text, max_bytes)  # before the cache, so a huge text is not kept
    verdict = _checked(text, max_bytes)
    if isinstance(verdict, QueryRefused):
        raise type(verdict)(*verdict.args)
    return verdict
