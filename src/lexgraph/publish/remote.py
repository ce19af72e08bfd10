"""Run library questions on a remote SPARQL 1.1 endpoint through SPARQLWrapper.

SPARQLWrapper has traps that this module closes, one by one:

- it asks for XML unless told otherwise: JSON results (and N-Triples for CONSTRUCT and
  DESCRIBE) are requested explicitly, and the answer is parsed here, so that a truncated or
  non-JSON body is reported as such rather than as a parser's traceback;
- it sends every query by GET, and a long query then overflows the server's header limit
  (Oxigraph caps request headers at 8 KB and SPARQLWrapper reports the 400 as a misleading
  "bad formed" query): queries whose URL would pass :data:`MAX_GET_BYTES` go by POST;
- it waits forever by default: every request has a timeout;
- it sends a generic User-Agent, which public endpoints such as Wikidata's throttle or refuse:
  lexgraph names itself (:func:`lexgraph.core.http.user_agent`);
- it raises a bare ``HTTPError`` for 429 and 503: those are retried after the server's
  ``Retry-After`` (capped), the others become one clear message, worded as every failed request
  of lexgraph is (:func:`lexgraph.core.http.describe_failure`);
- it hands over whatever rows came: an answer that the server says it cut at its row limit
  (Virtuoso's ``X-SPARQL-MaxRows``, ``lexgraph serve``'s ``X-Lexgraph-Truncated``) comes back
  with ``Result.truncated`` set, and ``lexgraph query`` warns.

The SPARQL protocol has no way to send parameter bindings, so the engine binding of the
embedded engine is emulated with a ``VALUES`` block placed at the start of the query's
``WHERE`` group, holding each value serialised as one RDF term (N-Triples escaping): a value
such as ``x" } ; DROP ALL ; #`` stays one literal, exactly as it does locally.
"""

from __future__ import annotations

import ast
import base64
import http.client
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from email.message import Message

import pyoxigraph as ox
from SPARQLWrapper import DIGEST, GET, JSON, N3, POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from lexgraph.core.errors import InputError, LexgraphError
from lexgraph.core.http import (
    DETAIL_BYTES,
    describe_failure,
    read_capped,
    retry_after,
    user_agent,
)
from lexgraph.store.query import Result, Term

USER_AGENT = user_agent("SPARQL client")
#: Longest GET URL sent; longer queries go by POST (Oxigraph allows 8 KB of headers).
MAX_GET_BYTES = 2000
DEFAULT_TIMEOUT_S = 60.0
#: Largest answer read from an endpoint; a bigger one is refused, not read into memory.
MAX_ANSWER_BYTES = 256 * 1024 * 1024
#: Headers by which a server says it cut an answer at its row limit: Virtuoso's (the limit,
#: ``ResultSetMaxRows``, sent when the answer reached it) and ``lexgraph serve``'s.
ROW_LIMIT_HEADER = "X-SPARQL-MaxRows"
TRUNCATED_HEADER = "X-Lexgraph-Truncated"
#: Times a 429 or 503 answer is retried, and the longest wait accepted between tries.
RETRIES = 3
MAX_RETRY_AFTER_S = 60.0
#: Environment variables that hold credentials; never taken from the command line.
ENV_USER = "LEXGRAPH_ENDPOINT_USER"
ENV_PASSWORD = "LEXGRAPH_ENDPOINT_PASSWORD"
ENV_TOKEN = "LEXGRAPH_ENDPOINT_TOKEN"
#: Set to ``digest`` for servers that want HTTP Digest rather than Basic (Virtuoso's
#: authenticated Graph Store, ``/sparql-graph-crud-auth``).
ENV_AUTH = "LEXGRAPH_ENDPOINT_AUTH"


def digest_credentials(env: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """Return (user, password) when the environment asks for HTTP Digest, else None."""
    env = os.environ if env is None else env
    if env.get(ENV_AUTH, "").lower() == "digest" and env.get(ENV_USER):
        return env[ENV_USER], env.get(ENV_PASSWORD, "")
    return None


def probe(url: str, timeout_s: float) -> urllib.error.HTTPError | None:
    """Send a body-less ``HEAD`` to ``url``; return its error answer, or None for a success.

    Failures to reach the server propagate as urllib raises them.
    """
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s):
            return None
    except urllib.error.HTTPError as exc:
        return exc


def digest_authorization(
    method: str, url: str, credentials: tuple[str, str], timeout_s: float
) -> str | None:
    """Return the ``Authorization`` header that answers the server's Digest challenge for
    ``method url``, or None when a :func:`probe` of ``url`` asks for no Digest.

    urllib answers a challenge only after it has sent the whole request, body included, and
    Virtuoso answers 401 and closes the connection before reading a large body, so the upload
    dies with a broken pipe. Asking for the challenge first with ``HEAD`` (Virtuoso's Graph
    Store answers it) lets the body go once, already authenticated.
    """
    refused = probe(url, timeout_s)
    challenge = str(refused.headers.get("WWW-Authenticate", "")) if refused else ""
    if refused is None or refused.code != 401 or not challenge.lower().startswith("digest "):
        return None  # the request itself then fails with the server's own words
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, *credentials)
    handler = urllib.request.HTTPDigestAuthHandler(passwords)
    fields = urllib.request.parse_keqv_list(
        [item for item in urllib.request.parse_http_list(challenge[len("digest ") :]) if item]
    )
    answer = handler.get_authorization(urllib.request.Request(url, method=method), fields)
    return f"Digest {answer}" if answer else None


class RemoteError(LexgraphError):
    """A remote endpoint could not be reached or gave an unusable answer."""


def auth_header(env: Mapping[str, str] | None = None) -> str | None:
    """Return the Authorization header the environment asks for, or None.

    >>> auth_header({"LEXGRAPH_ENDPOINT_TOKEN": "t0k"})
    'Bearer t0k'
    >>> auth_header({"LEXGRAPH_ENDPOINT_USER": "ann", "LEXGRAPH_ENDPOINT_PASSWORD": "pw"})
    'Basic YW5uOnB3'
    """
    env = os.environ if env is None else env
    if digest_credentials(env):
        return None  # Digest needs the server's challenge first; see digest_credentials
    if env.get(ENV_TOKEN):
        return f"Bearer {env[ENV_TOKEN]}"
    if env.get(ENV_USER):
        pair = f"{env[ENV_USER]}:{env.get(ENV_PASSWORD, '')}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")
    return None


# ---------------------------------------------------------------------------------------------
# Bindings as a VALUES block

_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*"
    r"|[{}]"
    r"|[A-Za-z_][A-Za-z0-9_]*"
    r"|\s+"
    r"|.",
    re.DOTALL,
)


def _where_brace(text: str) -> int:
    """Return the offset just after the ``{`` that opens the query's WHERE group."""
    depth = 0
    first_brace = -1
    after_where = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token == "{":
            if depth == 0 and after_where:
                return match.end()
            if depth == 0 and first_brace < 0:
                first_brace = match.end()
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0 and token.upper() == "WHERE":
            after_where = True
    if first_brace >= 0 and not re.search(r"\bCONSTRUCT\b", text, re.IGNORECASE):
        return first_brace  # SELECT/ASK/DESCRIBE without the optional WHERE keyword
    raise InputError("cannot find the WHERE group of the query to bind its parameters")


def with_values(text: str, bindings: Mapping[ox.Variable, Term]) -> str:
    """Return ``text`` with ``bindings`` as a VALUES block opening its WHERE group.

    >>> with_values("SELECT ?x WHERE { ?x ?p ?o }", {ox.Variable("x"): ox.Literal('a"b')})
    'SELECT ?x WHERE { VALUES (?x) { ("a\\\\"b") }\\n ?x ?p ?o }'
    """
    if not bindings:
        return text
    cut = _where_brace(text)
    names = " ".join(str(v) for v in bindings)
    values = " ".join(str(t) for t in bindings.values())
    return f"{text[:cut]} VALUES ({names}) {{ ({values}) }}\n{text[cut:]}"


# ---------------------------------------------------------------------------------------------
# Answers


def _term(binding: Mapping[str, str], where: str) -> Term:
    kind, value = binding.get("type"), binding.get("value")
    if not isinstance(value, str):
        raise RemoteError(f"{where}: a binding has no string value: {binding!r}")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if kind in ("literal", "typed-literal"):
        if binding.get("xml:lang"):
            return ox.Literal(value, language=binding["xml:lang"])
        if binding.get("datatype"):
            return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
        return ox.Literal(value)
    raise RemoteError(f"{where}: a binding has an unknown type {kind!r}")


def parse_json_results(body: bytes, content_type: str, where: str) -> Result:
    """Turn a SPARQL JSON results document into a :class:`Result`; say what is wrong if not."""
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        shape = "truncated" if body.lstrip().startswith((b"{", b"[")) else "not JSON"
        raise RemoteError(
            f"{where}: the endpoint's answer is {shape} ({len(body)} bytes, "
            f"content type {content_type or 'none'}): {exc}"
        ) from None
    if not isinstance(doc, dict) or "head" not in doc:
        raise RemoteError(f"{where}: the answer is JSON but not SPARQL results (no 'head')")
    if "boolean" in doc:
        return Result(boolean=bool(doc["boolean"]))
    try:  # a bad IRI or language tag from a hostile endpoint raises ValueError in pyoxigraph
        variables = tuple(doc["head"].get("vars", []))
        rows = tuple(
            tuple(_term(row[v], where) if v in row else None for v in variables)
            for row in doc["results"]["bindings"]
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise RemoteError(f"{where}: malformed SPARQL JSON results ({exc!r})") from None
    return Result(variables=variables, rows=rows, truncated=doc.get("truncated") is True)


def cut_by_server(headers: Mapping[str, str] | Message, rows: int) -> bool:
    """Tell whether the server says it cut an answer of ``rows`` rows at its row limit.

    Virtuoso returns the first ``ResultSetMaxRows`` rows of a larger answer with a 200 and
    names the limit in ``X-SPARQL-MaxRows``; it sends that header also for an answer of exactly
    the limit, which may be whole, so both count as cut.

    >>> cut_by_server({"X-SPARQL-MaxRows": "10000"}, 10000), cut_by_server({}, 10000)
    (True, False)
    """
    if str(headers.get(TRUNCATED_HEADER, "")).lower() == "true":
        return True
    limit = str(headers.get(ROW_LIMIT_HEADER, "")).strip()
    return limit.isdigit() and rows >= int(limit)


def server_words(exc: SPARQLWrapperException) -> str:
    """Return ``": "`` and the start of the answer SPARQLWrapper quotes in ``exc`` (one line,
    :data:`~lexgraph.core.http.DETAIL_BYTES` at most), or nothing when it quotes none.

    SPARQLWrapper keeps the server's answer only as a ``repr`` inside its message, and that
    answer is where a server says why (Virtuoso: ``SR171: Transaction timed out``).

    >>> from SPARQLWrapper.SPARQLExceptions import EndPointInternalError
    >>> server_words(EndPointInternalError(b"Virtuoso S1T00 Error SR171: Transaction timed out\\n"))
    ': Virtuoso S1T00 Error SR171: Transaction timed out'
    """
    _, found, quoted = str(exc).partition("Response:\n")
    try:
        answer = ast.literal_eval(quoted) if found else b""
    except (ValueError, SyntaxError):
        return ""
    if not isinstance(answer, bytes) or not answer.strip():
        return ""
    return ": " + " ".join(answer[:DETAIL_BYTES].decode("utf-8", "replace").split())


def retry_wait(exc: urllib.error.HTTPError, attempt: int, retries: int, what: str) -> float | None:
    """Return how long to wait before retrying a 429, or a 503 that says when, else None.

    A wait longer than :data:`MAX_RETRY_AFTER_S` is refused with a message, not slept.
    """
    if exc.code not in (429, 503) or attempt >= retries:
        return None
    if exc.code == 503 and not exc.headers.get("Retry-After"):
        return None  # a 503 without Retry-After (a query over its time limit) is final
    wait = retry_after(exc.headers.get("Retry-After"))
    if wait > MAX_RETRY_AFTER_S:
        raise RemoteError(
            f"{what} answered {exc.code} and asks to wait {wait:.0f} s, "
            f"longer than {MAX_RETRY_AFTER_S:.0f} s"
        )
    return wait


_QUERY_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def _form(text: str) -> str:
    stripped = "".join(
        m.group() for m in _TOKEN.finditer(text) if not m.group().startswith(("#", "<", '"', "'"))
    )
    found = _QUERY_FORM.search(stripped)
    return found.group(1).upper() if found else "SELECT"


@dataclass(frozen=True)
class Endpoint:
    """A remote SPARQL 1.1 query endpoint."""

    url: str
    timeout_s: float = DEFAULT_TIMEOUT_S
    retries: int = RETRIES
    max_get_bytes: int = MAX_GET_BYTES
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(f"endpoint {self.url!r} is not an http(s) URL")

    def _wrapper(self, text: str, form: str) -> SPARQLWrapper:
        sparql = SPARQLWrapper(self.url, agent=USER_AGENT)
        sparql.setQuery(text)
        sparql.setTimeout(int(max(1, round(self.timeout_s))))
        if form in ("CONSTRUCT", "DESCRIBE"):
            sparql.setReturnFormat(N3)
            # SPARQLWrapper's N3 asks for several RDF syntaxes; N-Triples is the one parsed here.
            sparql.addCustomHttpHeader("Accept", "application/n-triples, text/plain;q=0.5")
        else:
            sparql.setReturnFormat(JSON)
        sparql.setOnlyConneg(True)
        encoded = len(urllib.parse.urlencode({"query": text}))
        if len(self.url) + encoded + 1 > self.max_get_bytes:
            sparql.setMethod(POST)
            sparql.setRequestMethod(URLENCODED)
        else:
            sparql.setMethod(GET)
        header = auth_header()
        if header:
            sparql.addCustomHttpHeader("Authorization", header)
        digest = digest_credentials()
        if digest:
            sparql.setHTTPAuth(DIGEST)
            sparql.setCredentials(*digest)
        return sparql

    def query(self, text: str, where: str = "query") -> Result:
        """Run SPARQL ``text`` on the endpoint and return its answer."""
        form = _form(text)
        sparql = self._wrapper(text, form)
        for attempt in range(self.retries + 1):
            try:
                response = sparql.query().response
                content_type = response.headers.get("Content-Type", "")
                read = read_capped(response, MAX_ANSWER_BYTES)
                if read is None:
                    raise RemoteError(
                        f"{where}: {self.url} answered more than {MAX_ANSWER_BYTES} bytes; "
                        "add a LIMIT to the query"
                    )
                body = read
                break
            except urllib.error.HTTPError as exc:
                wait = retry_wait(exc, attempt, self.retries, f"{where}: {self.url}")
                if wait is None:
                    failure = describe_failure(exc, self.url, self.timeout_s)
                    raise RemoteError(f"{where}: {failure}") from None
                self.sleep(wait)
            except SPARQLWrapperException as exc:
                # 400, 401, 404, 414 and 500, which SPARQLWrapper renames; keep the server's words.
                refusal = f"{exc.msg}{server_words(exc)}"
                raise RemoteError(f"{where}: {self.url} refused the query: {refusal}") from None
            except (OSError, http.client.HTTPException) as exc:  # time limit, unreachable, reset
                failure = describe_failure(exc, self.url, self.timeout_s)
                raise RemoteError(f"{where}: {failure}") from None
        else:  # pragma: no cover - the loop always breaks or raises
            raise RemoteError(f"{where}: {self.url} kept answering 429/503")
        if form in ("CONSTRUCT", "DESCRIBE"):
            try:
                triples = tuple(t.triple for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
            except SyntaxError as exc:
                raise RemoteError(
                    f"{where}: the endpoint's graph answer is not N-Triples "
                    f"(content type {content_type or 'none'}): {exc}"
                ) from None
            return Result(triples=triples)
        if "json" not in content_type.lower():
            raise RemoteError(
                f"{where}: {self.url} answered {content_type or 'no content type'}, not SPARQL "
                f"JSON results ({len(body)} bytes)"
            )
        result = parse_json_results(body, content_type, where)
        if cut_by_server(response.headers, len(result.rows)):
            return replace(result, truncated=True)
        return result
