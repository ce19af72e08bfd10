"""``lexgraph serve``: a small policy layer in front of the read-only Oxigraph server.

Oxigraph answers SPARQL well but cannot refuse what it should not do for a stranger: it runs
``SERVICE`` (an outbound request from query text), its ``--timeout-s`` lets an ``ORDER BY`` or a
``COUNT`` over a cartesian product run on, burning a core after the client has gone, and when it
does cancel, it sends a truncated ``200``. So Oxigraph listens on loopback only, on a port of
its own, and this layer (Starlette on uvicorn) is what clients reach. For each query it:

1. admits the client or answers ``429`` with ``Retry-After``
   (:class:`~lexgraph.serve.policy.RateLimiter`);
2. reads the query (GET ``?query=``, POST form or ``application/sparql-query``) within the
   request and query size limits (``413``);
3. refuses SERVICE, updates, LOAD and FROM outside the build with ``400``: the fast scan here,
   then rdflib's parse in a child process killed after ``workers.CHECK_TIMEOUT_S``;
4. sends the query to Oxigraph and reads the whole answer before sending anything, within the
   wall-clock limit; past it, answers ``503`` and kills the Oxigraph process, which is
   replaced on the same store, so that the next client is served at full speed (queries that
   were running on the old process are sent again to the new one);
5. caps the rows (``X-Lexgraph-Truncated``, and ``"truncated": true`` in JSON results), and
   keeps the whole answer for the next identical query (the store does not change).

At most :attr:`~lexgraph.serve.settings.GatewaySettings.upstream_slots` queries run in Oxigraph
at once; the others wait their turn within their own time limit, and one that times out while
waiting is simply refused, since there is nothing to stop.

Every request gets one access-log line; ``GET /health`` says whether Oxigraph is up; ``GET /``
is Oxigraph's own query page with its script and style, so the page needs no network.

The settings and their defaults are in :mod:`lexgraph.serve.settings`; running the layer
(the socket, uvicorn, the signals) is :mod:`lexgraph.serve.run`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import urllib.parse
from collections.abc import AsyncIterator

import anyio
import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lexgraph.core.version import __version__
from lexgraph.serve.oxigraph import ServerError
from lexgraph.serve.policy import Answer, AnswerCache, RateLimiter, cap_answer
from lexgraph.serve.resources import resource_routes
from lexgraph.serve.settings import GatewaySettings
from lexgraph.serve.workers import Checkers, Upstream
from lexgraph.store.query import QueryDataset
from lexgraph.untrusted.gate import LOCAL_GRAPHS, QueryRefused, QueryTooLarge, scan

#: Largest answer read from Oxigraph; past it the query is refused (ask for fewer rows).
MAX_ANSWER_BYTES = 64 * 1024 * 1024
#: Static files of Oxigraph's query page, proxied as they are.
PAGE_FILES = ("/", "/yasgui.min.js", "/yasgui.min.css", "/logo.svg")
TRUNCATED = "X-Lexgraph-Truncated"

access_log = logging.getLogger("lexgraph.access")


class _Refusal(Exception):
    """An answer other than 200, with its status, message and headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


# ---------------------------------------------------------------------------------------------
# The layer


class Gateway:
    """The state the routes share: settings, Oxigraph, the checkers, the limits."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.upstream = Upstream(settings.store, settings.timeout_s)
        self.checkers = Checkers(settings.checkers, settings.max_query_bytes)
        self.limits = RateLimiter(
            time_per_minute_s=settings.time_per_minute_s,
            errors_per_minute=settings.errors_per_minute,
            max_concurrent=settings.max_concurrent,
        )
        self.client: httpx.AsyncClient | None = None
        self._page: dict[str, tuple[bytes, str]] = {}
        self.answers = AnswerCache(settings.cache_bytes)
        # Oxigraph's tail latency grows badly past a few queries at once per core (p99 1.3 s
        # for a trivial ASK at 32 at once on 2 cores, 35 ms at 4): the rest wait here, in turn.
        self.slots = asyncio.Semaphore(settings.upstream_slots)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self.client = httpx.AsyncClient(
            timeout=None, limits=httpx.Limits(max_connections=64, max_keepalive_connections=64)
        )
        try:
            await self.upstream.start()
            await self.checkers.start()
            yield
        finally:
            await self.client.aclose()
            await self.upstream.stop()
            self.checkers.close()

    def app(self) -> Starlette:
        settings = self.settings
        routes = [
            Route("/query", self.query, methods=["GET", "POST"]),
            Route("/sparql", self.query, methods=["GET", "POST"]),
            Route("/update", self.update, methods=["GET", "POST"]),
            Route("/health", self.health, methods=["GET"]),
            *(Route(path, self.page, methods=["GET"]) for path in PAGE_FILES),
            *resource_routes(settings.store),
        ]
        middleware = [
            Middleware(AccessLog),
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
                expose_headers=[TRUNCATED, "Retry-After"],
            ),
        ]
        return Starlette(routes=routes, middleware=middleware, lifespan=self.lifespan)

    # -- routes --------------------------------------------------------------------------------

    async def update(self, request: Request) -> Response:
        return _text(400, "updates are refused: this endpoint serves the graph read-only")

    async def health(self, request: Request) -> Response:
        up, version = await self._ping()
        body = {
            "status": "ok" if up else "unavailable",
            "version": __version__,
            "store": str(self.settings.store),
            "oxigraph": {"up": up, "version": version, "restarts": self.upstream.restarts},
            "limits": {
                "timeout_s": self.settings.timeout_s,
                "max_rows": self.settings.max_rows,
                "max_query_bytes": self.settings.max_query_bytes,
                "query_time_per_minute_s": self.settings.time_per_minute_s,
                "errors_per_minute": self.settings.errors_per_minute,
                "max_concurrent": self.settings.max_concurrent,
            },
        }
        return JSONResponse(body, status_code=200 if up else 503)

    async def page(self, request: Request) -> Response:
        path = request.url.path
        if path not in self._page:
            assert self.client is not None
            try:
                answer = await self.client.get(self.upstream.url + path, timeout=10)
            except httpx.HTTPError:
                return _text(503, "the Oxigraph server is not answering")
            if answer.status_code != 200:
                return _text(502, f"the Oxigraph server answered {answer.status_code} for {path}")
            self._page[path] = (answer.content, answer.headers.get("content-type", ""))
        content, kind = self._page[path]
        return Response(content, media_type=kind)

    async def query(self, request: Request) -> Response:
        client = request.client.host if request.client else "unknown"
        wait = self.limits.admit(client)
        if wait is not None:
            return _text(
                429,
                f"too many queries, too much query time or too many errors from {client}; "
                f"retry after {wait} s",
                {"Retry-After": str(wait)},
            )
        started = time.monotonic()
        status = 500
        try:
            response = await self._answer(request, started)
            status = response.status_code
            return response
        except _Refusal as refusal:
            status = refusal.status
            return _text(refusal.status, refusal.message, refusal.headers)
        finally:
            spent = time.monotonic() - started
            self.limits.done(client, seconds=spent, error=status >= 400)

    # -- a query, step by step -----------------------------------------------------------------

    async def _answer(self, request: Request, started: float) -> Response:
        settings = self.settings
        text, graphs = await self._read(request)
        try:
            parsed = scan(text, max_bytes=settings.max_query_bytes)
            _check_graphs(graphs)
            remaining = settings.timeout_s - (time.monotonic() - started)
            parsed = await self.checkers.check(text, max(0.1, remaining))
        except QueryTooLarge as exc:
            raise _Refusal(413, str(exc)) from None
        except QueryRefused as exc:
            raise _Refusal(400, str(exc)) from None
        if not graphs:  # Oxigraph's union switch overrides FROM, but not these parameters
            graphs = QueryDataset(parsed.default_graphs, parsed.named_graphs).protocol_params()
        deadline = started + settings.timeout_s
        accept = request.headers.get("accept", "")
        key = (text, tuple(graphs), accept)
        answer = self.answers.get(key)
        if answer is None:
            status, kind, body = await self._forward(text, graphs, accept, deadline)
            if status != 200:
                return Response(body, status_code=status, media_type=kind or "text/plain")
            cut = None
            try:
                if parsed.form != "ASK" and len(body) < 1 << 20:
                    body, cut = cap_answer(body, kind, settings.max_rows)
                elif parsed.form != "ASK":  # parsing a large answer would hold up the others
                    body, cut = await anyio.to_thread.run_sync(
                        cap_answer, body, kind, settings.max_rows
                    )
            except (ValueError, KeyError, TypeError, SyntaxError) as exc:
                raise _Refusal(502, f"the Oxigraph server's answer cannot be read: {exc}") from None
            answer = Answer(body, kind, cut)
            self.answers.put(key, answer)
        headers = {}
        if answer.truncated is not None:
            headers[TRUNCATED] = "true" if answer.truncated else "false"
        return Response(answer.body, media_type=answer.content_type, headers=headers)

    async def _read(self, request: Request) -> tuple[str, list[tuple[str, str]]]:
        """The query text and the graph parameters, from the URL or the body."""
        fields = list(request.query_params.multi_items())
        if request.method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await _body(request, self.settings.max_body_bytes)
            if kind == "application/x-www-form-urlencoded":
                try:
                    fields += urllib.parse.parse_qsl(
                        body.decode("utf-8"), keep_blank_values=True, max_num_fields=200
                    )
                except (UnicodeDecodeError, ValueError) as exc:
                    raise _Refusal(400, f"the form body cannot be read: {exc}") from None
            elif kind == "application/sparql-query":
                try:
                    fields.append(("query", body.decode("utf-8")))
                except UnicodeDecodeError:
                    raise _Refusal(400, "the query is not UTF-8") from None
            elif kind == "application/sparql-update":
                raise _Refusal(400, "updates are refused: this endpoint serves the graph read-only")
            else:
                raise _Refusal(
                    415,
                    "send the query as application/x-www-form-urlencoded or "
                    "application/sparql-query",
                )
        if any(
            name in ("update", "using-graph-uri", "using-named-graph-uri") for name, _ in fields
        ):
            raise _Refusal(400, "updates are refused: this endpoint serves the graph read-only")
        queries = [value for name, value in fields if name == "query"]
        if len(queries) != 1:
            raise _Refusal(400, "give exactly one query (the 'query' parameter or a body)")
        graphs = [(n, v) for n, v in fields if n in ("default-graph-uri", "named-graph-uri")]
        return queries[0], graphs

    async def _forward(
        self, text: str, graphs: list[tuple[str, str]], accept: str, deadline: float
    ) -> tuple[int, str, bytes]:
        """Oxigraph's whole answer: status, content type, body; 503 past the deadline."""
        assert self.client is not None
        upstream = self.upstream
        for attempt in range(3):
            seen = upstream.generation
            remaining = deadline - time.monotonic()
            reached = False
            try:
                if remaining <= 0:
                    raise _Refusal(503, self._late())
                with anyio.fail_after(remaining):
                    async with self.slots:
                        seen, reached = upstream.generation, True
                        return await self._send(upstream.url, text, graphs, accept)
            except TimeoutError:
                if not reached:  # it never got to Oxigraph: nothing to stop
                    raise _Refusal(503, self._late() + " waiting for its turn") from None
                # The query is still running in Oxigraph, which will not stop it: only killing
                # the process does.
                await self._replace(seen)
                raise _Refusal(
                    503, self._late() + "; the server was restarted for the next query"
                ) from None
            except httpx.TransportError as exc:
                # Oxigraph was replaced under this query (another one overran) or died: send
                # the query again to the new process, within what is left of its time.
                if upstream.generation == seen and upstream.alive():
                    raise _Refusal(502, f"the Oxigraph server failed: {exc!r}") from None
                if upstream.generation == seen:
                    await self._replace(seen)
                if attempt == 2:
                    raise _Refusal(503, "the Oxigraph server is restarting; try again") from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(
        self, url: str, text: str, graphs: list[tuple[str, str]], accept: str
    ) -> tuple[int, str, bytes]:
        assert self.client is not None
        # identity: the answer is read and cut here, so it must not come compressed.
        headers = {"Content-Type": "application/sparql-query", "Accept-Encoding": "identity"}
        if accept:
            headers["Accept"] = accept
        request = self.client.build_request(
            "POST",
            url + "/query",
            params=tuple(graphs),
            content=text.encode("utf-8"),
            headers=headers,
        )
        response = await self.client.send(request, stream=True)
        try:
            body = bytearray()
            async for chunk in response.aiter_raw():
                body += chunk
                if len(body) > MAX_ANSWER_BYTES:
                    raise _Refusal(
                        413,
                        f"the answer is larger than {MAX_ANSWER_BYTES // 2**20} MB; "
                        "ask for fewer rows (LIMIT) or fewer columns",
                    )
        finally:
            await response.aclose()
        return response.status_code, response.headers.get("content-type", ""), bytes(body)

    async def _replace(self, seen: int) -> None:
        try:
            await self.upstream.replace(seen)
        except ServerError as exc:
            raise _Refusal(503, f"the Oxigraph server could not be restarted: {exc}") from None

    def _late(self) -> str:
        return f"the query ran past the limit of {self.settings.timeout_s:g} s and was stopped"

    async def _ping(self) -> tuple[bool, str]:
        assert self.client is not None
        try:
            answer = await self.client.get(
                self.upstream.url + "/query", params={"query": "ASK {}"}, timeout=2
            )
        except httpx.HTTPError:
            return False, ""
        server = answer.headers.get("server", "")
        return answer.status_code == 200, server.partition("/")[2]


def _check_graphs(graphs: list[tuple[str, str]]) -> None:
    for name, value in graphs:
        if not value.startswith(LOCAL_GRAPHS):
            raise QueryRefused(
                f"{name} <{value}> is refused: only the build's source graphs "
                f"({LOCAL_GRAPHS}...) can be named"
            )


async def _body(request: Request, cap: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise _Refusal(413, f"the request body is {declared} bytes, more than the limit of {cap}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            raise _Refusal(413, f"the request body is more than the limit of {cap} bytes")
    return bytes(body)


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


class AccessLog:
    """One line per request: client, method, path, status, duration (never the query)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            client = scope.get("client") or ("-", 0)
            access_log.info(
                '%s "%s %s" %d %.1f ms',
                client[0],
                scope["method"],
                scope["path"],
                status,
                1000 * (time.monotonic() - started),
            )
