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
