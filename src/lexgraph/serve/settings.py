"""What ``lexgraph serve`` serves and the limits it applies, with their defaults.

The defaults are the ones ``SECURITY.md`` lists; each limit's home is the module that applies
it (:mod:`lexgraph.untrusted.gate`, :mod:`lexgraph.serve.policy`, :mod:`lexgraph.serve.workers`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lexgraph.serve.policy import (
    CACHE_BYTES,
    ERRORS_PER_MINUTE,
    HEADER_TIMEOUT_S,
    MAX_CONCURRENT,
    MAX_CONNECTIONS,
    MAX_CONNECTIONS_PER_CLIENT,
    TIME_PER_MINUTE_S,
)
from lexgraph.serve.workers import CHECKERS
from lexgraph.untrusted.gate import DEFAULT_MAX_QUERY_BYTES, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S


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
    #: Engine processes, each answering one query at a time; the others wait their turn.
    engines: int = 4 * (os.cpu_count() or 1)
    #: The cap on each engine's and checker's memory in bytes; None: ``default_memory_bytes``.
    memory_bytes: int | None = None
    #: Load a new build as soon as ``build/store`` points at it (else only on SIGHUP).
    reload_on_build: bool = False
    #: Connections open at once; past it new requests get 503.
    max_connections: int = MAX_CONNECTIONS
    #: Connections open at once from one address (not counted behind a trusted proxy).
    max_connections_per_client: int = MAX_CONNECTIONS_PER_CLIENT
    #: Seconds a client has to send a request's headers (from connecting, or the last answer).
    header_timeout_s: float = HEADER_TIMEOUT_S

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"
