"""``lexgraph serve``: a small policy layer in front of Oxigraph engines in child processes.

Oxigraph answers SPARQL well but cannot refuse what it should not do for a stranger: it runs
``SERVICE`` (an outbound request from query text), it does not stop an ``ORDER BY`` or a
``COUNT`` over a cartesian product, and it has no memory limit. So each query runs in a child
process (:mod:`lexgraph.serve.workers`) that holds an in-memory copy of the build, has no
network where the system allows it, runs under a memory cap, and is killed at the time limit;
this layer (Starlette on uvicorn) is what clients reach. For each query it:

1. admits the client or answers ``429`` with ``Retry-After``
   (:class:`~lexgraph.serve.policy.RateLimiter`);
2. reads the query (GET ``?query=``, POST form or ``application/sparql-query``) within the
   request and query size limits (``413``) and a time limit on the body;
3. refuses SERVICE, updates, LOAD and FROM outside the build with ``400``: the fast scan here,
   then rdflib's parse in a checker process killed after ``workers.CHECK_TIMEOUT_S``;
4. sends the query to an engine when the client's turn comes (clients take turns; one that
   waits past its deadline gets ``503`` with ``Retry-After``) and passes on the engine's bytes,
   already serialised and row-capped there; past the time limit it answers ``503`` and the
   engine is killed and replaced; an engine that runs out of memory gives ``503`` and is
   replaced. A query is never sent twice;
5. keeps the whole answer for the next identical query (the generation served does not
   change until a reload, which empties the kept answers).

``SIGHUP`` (or a new build, with ``reload_on_build``) makes the layer load the build that
``build/store`` points at now into new engines and switch to them at once; queries running on
the old ones finish there. Until then it serves the generation it copied at start, whatever
``lexgraph build`` does meanwhile.

Every request gets one access-log line; ``GET /health`` says whether the engines are up and
which generation they serve; ``GET /`` is Oxigraph's own query page with its script and style
(fetched once at start from a short-lived, empty Oxigraph server), so the page needs no
network.

The settings and their defaults are in :mod:`lexgraph.serve.settings`; running the layer
(the socket, uvicorn, the signals) is :mod:`lexgraph.serve.run`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import tempfile
import time
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lexgraph.core.errors import InputError
from lexgraph.core.version import __version__
from lexgraph.serve.page import PAGE_FILES, page
from lexgraph.serve.policy import Answer, AnswerCache, RateLimiter
from lexgraph.serve.resources import resource_routes
from lexgraph.serve.settings import GatewaySettings
from lexgraph.serve.workers import Busy, Checkers, Engines, Generation
from lexgraph.untrusted.answers import MAX_ANSWER_BYTES
from lexgraph.untrusted.gate import LOCAL_GRAPHS, QueryRefused, QueryTimeout, QueryTooLarge, scan
from lexgraph.untrusted.sandbox import OutOfMemory, WorkerError

#: Static files of Oxigraph's query page, served as they are.
TRUNCATED = "X-Lexgraph-Truncated"
#: Seconds a client may take to send a request body.
BODY_TIMEOUT_S = 10.0
#: Seconds between two looks at ``build/current`` when reloading on a new build.
WATCH_S = 2.0

access_log = logging.getLogger("lexgraph.access")
__all__ = ["MAX_ANSWER_BYTES", "TRUNCATED", "Gateway"]


class _Refusal(Exception):
    """An answer other than 200, with its status, message and headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


# ---------------------------------------------------------------------------------------------
# The layer


class Gateway:
    """The state the routes share: settings, the engines, the checkers, the limits."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.checkers = Checkers(settings.checkers, settings.max_query_bytes, settings.memory_bytes)
        self.limits = RateLimiter(
            time_per_minute_s=settings.time_per_minute_s,
            errors_per_minute=settings.errors_per_minute,
            max_concurrent=settings.max_concurrent,
        )
        self._page: dict[str, tuple[bytes, str]] = {}
        self.answers = AnswerCache(settings.cache_bytes)
        self.engines: Engines | None = None
        self.reloads = 0
        self._private: Path | None = None
        self._reloading = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self._private = Path(tempfile.mkdtemp(prefix="lexgraph-serve-"))
        watcher: asyncio.Task[None] | None = None
        try:
            self.engines = await self._engines()
            await self.checkers.start()
            self._page = await anyio.to_thread.run_sync(self._query_page)
            if self.settings.reload_on_build:
                watcher = asyncio.create_task(self._watch())
            yield
        finally:
            if watcher is not None:
                watcher.cancel()
            if self.engines is not None:
                await self.engines.close()
            self.checkers.close()
            shutil.rmtree(self._private, ignore_errors=True)

    async def _engines(self) -> Engines:
        assert self._private is not None
        generation = await anyio.to_thread.run_sync(
            Generation.copy, self.settings.store, self._private
        )
        engines = Engines(generation, self.settings.engines, self.settings.memory_bytes)
        try:
            await engines.start()
        except BaseException:
            await engines.close()
            generation.remove()
            raise
        return engines

    async def reload(self) -> bool:
        """Load the build ``build/store`` points at now and switch to it; False if unchanged."""
        async with self._reloading:
            old = self.engines
            if old is not None and old.generation.is_current(self.settings.store):
                return False
            fresh = await self._engines()
            self.engines = fresh  # one assignment: each query sees the old engines or the new
            self.answers.clear()
            self.reloads += 1
            if old is not None:
                await old.close()
                old.generation.remove()
            access_log.info("serving build %s", fresh.generation.id)
            return True

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(WATCH_S)
            with contextlib.suppress(WorkerError, OSError):
                await self.reload()

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
        engines = self.engines
        alive = engines.alive() if engines is not None else 0
        up = alive > 0
        generation = engines.generation if engines is not None else None
        body = {
            "status": "ok" if up else "unavailable",
            "version": __version__,
            "store": str(self.settings.store),
            "generation": None
            if generation is None
            else {
                "id": generation.id,
                "digest": generation.info.get("digest"),
                "quads": generation.info.get("quads"),
                # False once a newer build is switched in and not yet loaded (SIGHUP loads it).
                "current": generation.is_current(self.settings.store),
                "reloads": self.reloads,
            },
            "oxigraph": {
                "up": up,
                "version": ox.__version__,
                "engines": engines.size if engines is not None else 0,
                "alive": alive,
                "restarts": engines.restarts if engines is not None else 0,
                "out_of_memory": engines.out_of_memory if engines is not None else 0,
                "memory_limit_bytes": engines.memory_bytes if engines is not None else 0,
                "network": engines.network if engines is not None else None,
            },
            "limits": {
                "timeout_s": self.settings.timeout_s,
                "max_rows": self.settings.max_rows,
                "max_query_bytes": self.settings.max_query_bytes,
                "query_time_per_minute_s": self.settings.time_per_minute_s,
                "errors_per_minute": self.settings.errors_per_minute,
                "max_concurrent": self.settings.max_concurrent,
                "max_connections": self.settings.max_connections,
                "header_timeout_s": self.settings.header_timeout_s,
            },
        }
        return JSONResponse(body, status_code=200 if up else 503)

    def _query_page(self) -> dict[str, tuple[bytes, str]]:
        """lexgraph's query page, its examples bound on the build being served."""
        from lexgraph.core.paths import Layout
        from lexgraph.store.query import open_store

        try:
            store = open_store(self.settings.store)
        except (InputError, OSError):
            store = None
        return page(Layout.default().questions, store)

    async def page(self, request: Request) -> Response:
        found = self._page.get(request.url.path)
        if found is None:
            return _text(503, "the query page could not be made at start")
        content, kind = found
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
            response = await self._answer(request, client, started)
            status = response.status_code
            return response
        except _Refusal as refusal:
            status = refusal.status
            return _text(refusal.status, refusal.message, refusal.headers)
        finally:
            spent = time.monotonic() - started
            self.limits.done(client, seconds=spent, error=status >= 400)

    # -- a query, step by step -----------------------------------------------------------------

    async def _answer(self, request: Request, client: str, started: float) -> Response:
        settings = self.settings
        text, graphs = await self._read(request)
        deadline = started + settings.timeout_s
        try:
            _check_graphs(graphs)
            if not self.checkers.knows(text):  # a known text passed (or failed) the scan too
                scan(text, max_bytes=settings.max_query_bytes)
            parsed = await self.checkers.check(client, text, deadline - time.monotonic())
        except QueryTooLarge as exc:
            raise _Refusal(413, str(exc)) from None
        except QueryRefused as exc:
            raise _Refusal(400, str(exc)) from None
        except Busy:
            raise _busy("the query checkers are busy with other clients' queries") from None
        engines = self.engines
        if engines is None:
            raise _Refusal(503, "the server is starting")
        accept = request.headers.get("accept", "")
        key = (engines.generation.id, text, tuple(graphs), accept)
        answer = self.answers.get(key)
        if answer is None:
            options: dict[str, object] = {
                "default_graphs": [v for n, v in graphs if n == "default-graph-uri"],
                "named_graphs": [v for n, v in graphs if n == "named-graph-uri"],
                # FROM and FROM NAMED select graphs only when the union does not stand in.
                "union": not (parsed.default_graphs or parsed.named_graphs),
                "accept": accept,
                "max_rows": settings.max_rows,
            }
            try:
                reply = await engines.answer(client, text, options, deadline)
            except Busy:
                raise _busy("every engine is busy with other clients' queries") from None
            except QueryTimeout:
                raise _Refusal(503, self._late()) from None
            except OutOfMemory as exc:
                raise _Refusal(503, f"{exc}; ask for less (LIMIT, fewer joins)") from None
            except WorkerError:
                raise _Refusal(
                    503, "the engine failed on this query; no other query was affected"
                ) from None
            if reply.status != 200:
                return Response(reply.body, status_code=reply.status, media_type=reply.content_type)
            answer = Answer(reply.body, reply.content_type, reply.truncated)
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

    def _late(self) -> str:
        return (
            f"the query ran past the limit of {self.settings.timeout_s:g} s and was stopped; "
            "its engine was restarted for the next query"
        )


def _busy(message: str) -> _Refusal:
    return _Refusal(503, f"{message}; retry after 1 s", {"Retry-After": "1"})


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
    try:
        with anyio.fail_after(BODY_TIMEOUT_S):
            async for chunk in request.stream():
                body += chunk
                if len(body) > cap:
                    raise _Refusal(413, f"the request body is more than the limit of {cap} bytes")
    except TimeoutError:
        raise _Refusal(408, f"the request body took more than {BODY_TIMEOUT_S:g} s") from None
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
