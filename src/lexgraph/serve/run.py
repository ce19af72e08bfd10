"""Running the policy layer: the listening socket, uvicorn, and the ways to stop.

:func:`serve` runs until SIGINT or SIGTERM (``lexgraph serve``); :func:`running` runs in a
background thread for a ``with`` block (tests, benchmarks). uvicorn loads only here.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

from lexgraph.core.errors import InputError
from lexgraph.serve.app import Gateway, access_log
from lexgraph.serve.oxigraph import ServerError
from lexgraph.serve.settings import GatewaySettings


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


def _protocol(settings: GatewaySettings) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with a deadline on request headers and a cap per address."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    per_client: dict[str, int] = {}
    cap = settings.max_connections_per_client if not settings.trust_proxy else 0

    class Protocol(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None
        _address = ""

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._address = self.client[0] if self.client else ""
            count = per_client.get(self._address, 0) + 1
            per_client[self._address] = count
            if cap and count > cap:
                access_log.info("%s: more than %d connections, closed", self._address, cap)
                self.transport.close()
                return
            self._arm()

        def _arm(self) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(settings.header_timeout_s, self._too_slow)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _too_slow(self) -> None:
            self._deadline = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.close()  # the headers did not come in time

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE:
                self._disarm()  # the headers are in; the body has its own limit

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            count = per_client.get(self._address, 1) - 1
            if count > 0:
                per_client[self._address] = count
            else:
                per_client.pop(self._address, None)
            super().connection_lost(exc)

    return Protocol


def _uvicorn(settings: GatewaySettings, on_ready: Callable[[Gateway], None]) -> Any:
    import uvicorn

    gateway = Gateway(settings)

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                on_ready(gateway)

    config = uvicorn.Config(
        gateway.app(),
        log_level="warning",
        access_log=False,
        lifespan="on",
        http=_protocol(settings),
        ws="none",
        limit_concurrency=settings.max_connections,
        timeout_keep_alive=5,
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

    def ready(gateway: Gateway) -> None:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(_reload(gateway)))
        on_ready(url)

    server = _uvicorn(settings, ready)

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
    server = _uvicorn(settings, lambda gateway: ready.set())
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


async def _reload(gateway: Gateway) -> None:
    try:
        changed = await gateway.reload()
    except Exception as exc:  # the old build stays served; say why the new one is not
        access_log.error("reload failed, still serving the previous build: %s", exc)
        return
    if not changed:
        access_log.info("reload: the build has not changed")


def log_to_stderr() -> None:
    """Send the access log to standard error, one timestamped line per request."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    access_log.propagate = False
