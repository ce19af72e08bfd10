"""What ``lexgraph serve`` serves and the limits it applies, with their defaults.

The defaults are the ones ``SECURITY.md`` lists; each limit's home is the module that applies
it (:mod:`lexgraph.untrusted.gate`, :mod:`lexgraph.serve.policy`, :mod:`lexgraph.serve.workers`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lexgraph.serve.policy import CACHE_BYTES, ERRORS_PER_MINUTE, MAX_CONCURRENT, TIME_PER_MINUTE_S
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
    #: Queries sent to Oxigraph at once; the others wait their turn within their time limit.
    upstream_slots: int = max(4, 2 * (os.cpu_count() or 1))

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"
