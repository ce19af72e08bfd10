"""The server's limits that are plain bookkeeping: per-client rate limits and answers kept.

The rate limits follow the Wikidata Query Service's published ones (see ``SECURITY.md``): each
client has a budget of query *time* (60 s per minute, bursting to 120 s) and of *errors* (30 per
minute, bursting to 60), and a cap on the queries it has running at once (5). A client over a
budget gets ``429`` with ``Retry-After``: the seconds until the budget is positive again.

Row caps are applied by the engine's process, next to the store
(:mod:`lexgraph.untrusted.answers`). Whole answers are kept for repeated queries
(:class:`AnswerCache`).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

#: WDQS: "60 seconds of processing time per minute (peaking at 120 seconds)".
TIME_PER_MINUTE_S = 60.0
#: WDQS: "30 errors per minute (peaking at 60)".
ERRORS_PER_MINUTE = 30.0
#: WDQS allows five queries in parallel per client.
MAX_CONCURRENT = 5
#: Connections open at once (uvicorn's ``limit_concurrency``): past it, 503.
MAX_CONNECTIONS = 512
#: Connections open at once from one address (not counted behind a trusted proxy).
MAX_CONNECTIONS_PER_CLIENT = 32
#: Seconds a client has to send a request's headers (slowloris).
HEADER_TIMEOUT_S = 10.0
#: Clients remembered at most; past it the one idle longest is forgotten.
MAX_CLIENTS = 100_000


@dataclass
class _Budget:
    seconds: float
    errors: float
    updated: float
    running: int = 0


class RateLimiter:
    """Token buckets of query time and errors per client, and a cap on running queries.

    A budget of 0 (``time_per_minute_s=0`` or ``errors_per_minute=0``) switches that bucket off.
    Each call costs O(1): clients are kept in the order they were last seen, and the few
    oldest are looked at on each call and forgotten once idle long enough for their budgets to
    be full again (a forgotten client is exactly a new one), so the table holds only the
    clients of the last few minutes, never rescanned.

    >>> clock = iter([0.0, 0.0, 0.0, 0.0, 1.0]).__next__
    >>> limits = RateLimiter(time_per_minute_s=60, clock=clock)
    >>> limits.admit("a") is None       # admitted
    True
    >>> limits.done("a", seconds=125.0, error=False)   # spent past the 120 s burst
    >>> limits.admit("a")               # 5 s in debt, refilled at 1 s a second
    5
    """

    def __init__(
        self,
        *,
        time_per_minute_s: float = TIME_PER_MINUTE_S,
        errors_per_minute: float = ERRORS_PER_MINUTE,
        max_concurrent: int = MAX_CONCURRENT,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.time_rate = time_per_minute_s / 60.0
        self.error_rate = errors_per_minute / 60.0
        self.time_burst = 2 * time_per_minute_s
        self.error_burst = 2 * errors_per_minute
        self.max_concurrent = max_concurrent
        self.max_clients = max_clients
        #: Seconds after which an idle client's budgets are full again: it can be forgotten.
        self.forget_after_s = max(
            self.time_burst / self.time_rate if self.time_rate > 0 else 0.0,
            self.error_burst / self.error_rate if self.error_rate > 0 else 0.0,
        )
        self._clock = clock
        self._clients: OrderedDict[str, _Budget] = OrderedDict()

    def __len__(self) -> int:
        return len(self._clients)

    def _budget(self, client: str) -> _Budget:
        now = self._clock()
        self._forget(now)
        budget = self._clients.get(client)
        if budget is None:
            budget = self._clients[client] = _Budget(self.time_burst, self.error_burst, now)
        else:
            self._clients.move_to_end(client)
        elapsed = max(0.0, now - budget.updated)
        budget.seconds = min(self.time_burst, budget.seconds + elapsed * self.time_rate)
        budget.errors = min(self.error_burst, budget.errors + elapsed * self.error_rate)
        budget.updated = now
        return budget

    def _forget(self, now: float) -> None:
        """Forget at most two of the clients seen longest ago, if idle long enough (O(1))."""
        for _ in range(2):
            if not self._clients:
                return
            key, oldest = next(iter(self._clients.items()))
            idle = now - oldest.updated
            if len(self._clients) > self.max_clients or (
                oldest.running == 0 and idle >= self.forget_after_s
            ):
                del self._clients[key]
            elif oldest.running and idle >= self.forget_after_s:
                self._clients.move_to_end(key)  # a query still running: look again later
            else:
                return

    def admit(self, client: str) -> int | None:
        """Admit a query from ``client`` (None), or return the seconds it should wait."""
        budget = self._budget(client)
        waits = []
        if self.time_rate > 0 and budget.seconds <= 0:
            waits.append(-budget.seconds / self.time_rate)
        if self.error_rate > 0 and budget.errors < 1:
            waits.append((1 - budget.errors) / self.error_rate)
        if self.max_concurrent > 0 and budget.running >= self.max_concurrent:
            waits.append(1.0)
        if waits:
            return max(1, math.ceil(max(waits)))
        budget.running += 1
        return None

    def done(self, client: str, *, seconds: float, error: bool) -> None:
        """Charge an admitted query's time (and an error, if it failed) to ``client``."""
        budget = self._budget(client)
        budget.running = max(0, budget.running - 1)
        if self.time_rate > 0:
            budget.seconds -= seconds
        if error and self.error_rate > 0:
            budget.errors -= 1


# ---------------------------------------------------------------------------------------------
# Answers kept

#: Answers kept, in bytes, by default; one larger than an eighth of it is not kept.
CACHE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Answer:
    """A whole 200 answer as sent: body, content type, and whether the row cap cut it."""

    body: bytes
    content_type: str
    truncated: bool | None


class AnswerCache:
    """Whole answers by (query, graphs, Accept), least recently used out first.

    The served generation does not change until a reload, which empties the cache, so a kept
    answer never goes stale (the Wikidata Query Service keeps answers five minutes for the
    same reason of load). ``max_bytes=0`` keeps nothing.

    >>> cache = AnswerCache(max_bytes=1000)
    >>> cache.put(("ASK {}", (), ""), Answer(b'{"boolean":true}', "application/json", None))
    >>> cache.get(("ASK {}", (), "")).body
    b'{"boolean":true}'
    """

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._answers: OrderedDict[tuple[object, ...], Answer] = OrderedDict()
        self._size = 0

    def clear(self) -> None:
        """Forget every answer (a new build is served)."""
        self._answers.clear()
        self._size = 0

    def get(self, key: tuple[object, ...]) -> Answer | None:
        found = self._answers.get(key)
        if found is not None:
            self._answers.move_to_end(key)
        return found

    def put(self, key: tuple[object, ...], answer: Answer) -> None:
        if len(answer.body) > self.max_bytes // 8 or key in self._answers:
            return
        self._answers[key] = answer
        self._size += len(answer.body)
        while self._size > self.max_bytes:
            _, dropped = self._answers.popitem(last=False)
            self._size -= len(dropped.body)
