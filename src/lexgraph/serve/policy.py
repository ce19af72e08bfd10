"""The server's limits that are plain bookkeeping: per-client rate limits and result-row caps.

The rate limits follow the Wikidata Query Service's published ones (see ``SECURITY.md``): each
client has a budget of query *time* (60 s per minute, bursting to 120 s) and of *errors* (30 per
minute, bursting to 60), and a cap on the queries it has running at once (5). A client over a
budget gets ``429`` with ``Retry-After``: the seconds until the budget is positive again.

Row caps act on the answer Oxigraph has sent in full, in whatever format it chose: JSON, XML,
CSV and TSV results by their rows, N-Triples and N-Quads by their lines, other RDF syntaxes
by parsing and re-serialising the first triples. Whole answers are kept for repeated
queries (:class:`AnswerCache`).
"""

from __future__ import annotations

import csv
import io
import json
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

#: WDQS: "60 seconds of processing time per minute (peaking at 120 seconds)".
TIME_PER_MINUTE_S = 60.0
#: WDQS: "30 errors per minute (peaking at 60)".
ERRORS_PER_MINUTE = 30.0
#: WDQS allows five queries in parallel per client.
MAX_CONCURRENT = 5
#: Clients remembered before idle ones with full budgets are forgotten.
MAX_CLIENTS = 10_000


@dataclass
class _Budget:
    seconds: float
    errors: float
    updated: float
    running: int = 0


class RateLimiter:
    """Token buckets of query time and errors per client, and a cap on running queries.

    A budget of 0 (``time_per_minute_s=0`` or ``errors_per_minute=0``) switches that bucket off.

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
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.time_rate = time_per_minute_s / 60.0
        self.error_rate = errors_per_minute / 60.0
        self.time_burst = 2 * time_per_minute_s
        self.error_burst = 2 * errors_per_minute
        self.max_concurrent = max_concurrent
        self._clock = clock
        self._clients: dict[str, _Budget] = {}

    def _budget(self, client: str) -> _Budget:
        now = self._clock()
        budget = self._clients.get(client)
        if budget is None:
            if len(self._clients) >= MAX_CLIENTS:
                self._forget_idle()
            budget = self._clients[client] = _Budget(self.time_burst, self.error_burst, now)
        elapsed = max(0.0, now - budget.updated)
        budget.seconds = min(self.time_burst, budget.seconds + elapsed * self.time_rate)
        budget.errors = min(self.error_burst, budget.errors + elapsed * self.error_rate)
        budget.updated = now
        return budget

    def _forget_idle(self) -> None:
        for key, budget in list(self._clients.items()):
            if budget.running == 0 and budget.seconds >= self.time_burst:
                del self._clients[key]

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
# Row caps

_LINE_FORMATS = {"application/n-triples", "application/n-quads", "text/plain"}


def media_type(content_type: str) -> str:
    """The media type of a Content-Type header, without parameters, in lower case."""
    return content_type.split(";", 1)[0].strip().lower()


def _cap_json(body: bytes, max_rows: int) -> tuple[bytes, bool | None]:
    if b'"bindings"' not in body:
        return body, None  # an ASK answer: nothing to count
    if body.count(b"{") <= max_rows:
        return body, False  # each row opens at least one brace: there cannot be too many
    doc = json.loads(body)
    bindings = doc["results"]["bindings"]
    if len(bindings) <= max_rows:
        return body, False
    doc["results"]["bindings"] = bindings[:max_rows]
    doc["truncated"] = True
    doc["maxRows"] = max_rows
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode(), True


def _cap_xml(body: bytes, max_rows: int) -> tuple[bytes, bool | None]:
    if b"<results" not in body:
        return body, None
    if body.count(b"<result>") <= max_rows:
        return body, False
    end = -1
    for _ in range(max_rows):
        end = body.index(b"</result>", end + 1)
    cut = body.index(b"<results>") + len(b"<results>") if end < 0 else end + len(b"</result>")
    return body[:cut] + b"</results></sparql>", True


def _cap_lines(body: bytes, max_rows: int, header: int) -> tuple[bytes, bool]:
    if body.count(b"\n") - header <= max_rows:
        return body, False
    end = -1
    for _ in range(max_rows + header):
        end = body.index(b"\n", end + 1)
    return body[: end + 1], True


def _cap_csv(body: bytes, max_rows: int) -> tuple[bytes, bool]:
    if body.count(b"\n") - 1 <= max_rows:
        return body, False  # every row ends with a line break
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    if len(rows) - 1 <= max_rows:
        return body, False
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows[: max_rows + 1])
    return out.getvalue().encode("utf-8"), True


def _cap_rdf(body: bytes, kind: str, max_rows: int) -> tuple[bytes, bool | None]:
    rdf_format = ox.RdfFormat.from_media_type(kind)
    if rdf_format is None:
        return body, None
    triples = [quad.triple for quad in ox.parse(body, format=rdf_format)]
    if len(triples) <= max_rows:
        return body, False
    return ox.serialize(triples[:max_rows], format=rdf_format) or b"", True


def cap_answer(body: bytes, content_type: str, max_rows: int) -> tuple[bytes, bool | None]:
    """Cut an answer to ``max_rows`` rows or triples; say whether it was cut (None: not counted).

    >>> doc = b'{"head":{"vars":["x"]},"results":{"bindings":[{},{},{}]}}'
    >>> cap_answer(doc, "application/sparql-results+json", 2)
    (b'{"head":{"vars":["x"]},"results":{"bindings":[{},{}]},"truncated":true,"maxRows":2}', True)
    """
    kind = media_type(content_type)
    if kind in ("application/sparql-results+json", "application/json"):
        return _cap_json(body, max_rows)
    if kind in ("application/sparql-results+xml", "application/xml"):
        return _cap_xml(body, max_rows)
    if kind == "text/tab-separated-values":
        return _cap_lines(body, max_rows, header=1)
    if kind == "text/csv":
        return _cap_csv(body, max_rows)
    if kind in _LINE_FORMATS:
        return _cap_lines(body, max_rows, header=0)
    return _cap_rdf(body, kind, max_rows)


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

    The served store is opened read-only and does not change while the server runs, so a kept
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
