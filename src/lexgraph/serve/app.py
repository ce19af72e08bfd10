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

At most :attr:`GatewaySettings.upstream_slots` queries run in Oxigraph at once; the others
wait their turn within their own time limit, and one that times out while waiting is simply
refused, since there is nothing to stop.

Every request gets one access-log line; ``GET /health`` says whether Oxigraph is up; ``GET /``
is Oxigraph's own query page with its script and style, so the page needs no network.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import signal
import socket
import threading
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lexgraph.core.errors import InputError
from lexgraph.core.version import __version__
from lexgraph.serve.oxigraph import ServerError
from lexgraph.serve.policy import (
    CACHE_BYTES,
    ERRORS_PER_MINUTE,
    MAX_CONCURRENT,
    TIME_PER_MINUTE_S,
    Answer,
    AnswerCache,
    RateLimiter,
    cap_answer,
)
from lexgraph.serve.workers import CHECKERS, Checkers, Upstream
from lexgraph.untrusted.gate import (
    DEFAULT_MAX_QUERY_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT_S,
    LOCAL_GRAPHS,
    QueryRefused,
    QueryTooLarge,
    scan,
)

#: Largest answer read from Oxigraph; past it the query is refused (ask for fewer rows).
MAX_ANSWER_BYTES = 64 * 1024 * 1024
#: Static files of Oxigraph's query page, proxied as they are.
PAGE_FILES = ("/", "/yasgui.min.js", "/yasgui.min.css", "/logo.svg")
TRUNCATED = "X-Lexgraph-Truncated"

access_log = logging.getLogger("lexgraph.access")


@dataclass(frozen=True)
class GatewaySettings:
    """What ``lexgraph serve`` serves and the limits it applies (defaults in ``SECURITY.md``)."""

    store: Path
    host: str = "127.0.0.1"
    port: int = 7878
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_rows: int = DEFAULT_MAX_ROWS
    max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES
    #: A form-encoded query can take three bytes per character.
    max_body_bytes: int = 3 * DEFAULT_MAX_QUERY_BYTES + 1024
    time_per_minute_s: float = TIME_PER_MINUTE_S
    errors_per_minute: float = ERRORS_PER_MINUTE
    max_concurrent: int = MAX_CONCURRENT
    #: Addresses of reverse proxies whose X-Forwarded-For is believed; none by default.
    trust_proxy: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ("*",)
    checkers: int = CHECKERS
    #: Bytes of whole answers kept for repeated queries; 0 keeps none.
    cache_bytes: int = CACHE_BYTES
    #: Queries sent to Oxigraph at once; the others wait their turn within their time limit.
    upstream_slots: int = max(4, 2 * (os.cpu_count() or 1))

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


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


# ---------------------------------------------------------------------------------------------
# Running it


def bind(host: str, port: int) -> socket.socket:
    """Bind the listening socket, or say clearly that the port is taken."""
    if not 0 <= port < 65536:
        raise InputError(f"port {port} is not between 1 and 65535")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
    # without it every answer waits 40 ms for a delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServerError(
                f"port {port} on {host} is already in use; "
                "stop what listens there or choose another with --port"
            ) from None
        raise ServerError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.set_inheritable(False)
    return sock


def _uvicorn(settings: GatewaySettings, on_ready: Callable[[], None]) -> Any:
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                on_ready()

    config = uvicorn.Config(
        Gateway(settings).app(),
        log_level="warning",
        access_log=False,
        lifespan="on",
        http="h11",
        ws="none",
        proxy_headers=bool(settings.trust_proxy),
        forwarded_allow_ips=list(settings.trust_proxy) or None,
        # Let a long GET reach the layer, which answers 413 with a reason.
        h11_max_incomplete_event_size=3 * settings.max_query_bytes + 16 * 1024,
        timeout_graceful_shutdown=5,
    )
    return Server(config)


def serve(settings: GatewaySettings, on_ready: Callable[[str], None]) -> None:
    """Serve until SIGINT or SIGTERM; ``on_ready(url)`` once the layer and Oxigraph answer.


    Raises :class:`~lexgraph.serve.oxigraph.ServerError` if the port is taken or Oxigraph will not
    start.
    """
    sock = bind(settings.host, settings.port)
    port = sock.getsockname()[1]
    url = GatewaySettings(settings.store, host=settings.host, port=port).url
    server = _uvicorn(settings, lambda: on_ready(url))

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # a service manager's stop is treated like Ctrl-C

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        # uvicorn catches the signal, shuts down (Oxigraph with it), then raises it again.
        asyncio.run(server.serve(sockets=[sock]))
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
    if not server.started:
        raise ServerError("the server did not start; see the messages above")


@contextlib.contextmanager
def running(settings: GatewaySettings) -> Iterator[str]:
    """Run the layer in a background thread for a ``with`` block; yield its base URL."""
    sock = bind(settings.host, settings.port)
    url = GatewaySettings(settings.store, host=settings.host, port=sock.getsockname()[1]).url
    ready = threading.Event()
    server = _uvicorn(settings, ready.set)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    while not ready.wait(0.1):
        if not thread.is_alive():
            sock.close()
            raise ServerError("the server did not start")
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def log_to_stderr() -> None:
    """Send the access log to standard error, one timestamped line per request."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    access_log.propagate = False
