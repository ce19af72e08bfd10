"""The processes behind ``lexgraph serve``: the engines that answer, the checkers that parse.

Both are pools of child processes (:class:`~lexgraph.untrusted.sandbox.Worker`), because
neither piece of work can be stopped any other way: Oxigraph does not stop an ``ORDER BY`` or
a ``COUNT`` over a cartesian product, and rdflib's parser cannot be interrupted. Each child
answers one request at a time, under a memory cap, with no network where the system allows
it. A child that overruns is killed and replaced; one that dies (out of memory) is replaced;
the query that killed it is never sent again.

An engine holds its own in-memory copy of one build :class:`Generation`, loaded from a copy
of the build's TriG that the server made when it started (or reloaded), so that ``lexgraph
build`` can replace or prune ``build/`` meanwhile without touching what is served.

Clients take turns (:class:`FairPool`): a free child goes to the client that has waited
longest for its turn, round robin, never to a client that already holds all but one; a
client that cannot get one before its deadline is told to come back (:class:`Busy`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import tempfile
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import anyio

from lexgraph.core.errors import LexgraphError
from lexgraph.untrusted.answers import Reply
from lexgraph.untrusted.gate import PARSE_STACK_BYTES, ParsedQuery, QueryRefused, QueryTimeout
from lexgraph.untrusted.sandbox import OutOfMemory, Worker, WorkerError, default_memory_bytes

#: Longest rdflib may take to parse a query in a checker before it is refused as too complex.
CHECK_TIMEOUT_S = 5.0
#: Longest a query waits for a checker before it is told to come back.
CHECK_WAIT_S = 5.0
#: Checker processes (each a Python with rdflib loaded, about 60 MB).
CHECKERS = 2
#: Verdicts remembered, by query text: a repeated query is not parsed again.
CACHE_SIZE = 1024

T = TypeVar("T")


class Busy(LexgraphError):
    """No child was free for this client before its deadline: come back later."""


class FairPool(Generic[T]):
    """Items lent to clients in turn: round robin between clients, first come within one.

    A client holds at most ``max(1, size - 1)`` items at once while others wait, so that one
    client can never hold them all.
    """

    def __init__(self, items: list[T]) -> None:
        self.size = len(items)
        self._idle: deque[T] = deque(items)
        self._waiting: OrderedDict[str, deque[asyncio.Future[T]]] = OrderedDict()
        self._held: dict[str, int] = {}
        self.per_client = max(1, self.size - 1)
        self.closed = False

    @property
    def waiting(self) -> int:
        return sum(len(q) for q in self._waiting.values())

    def _may_take(self, client: str) -> bool:
        return self._held.get(client, 0) < self.per_client

    async def acquire(self, client: str, timeout_s: float) -> T:
        """An item for ``client``; :class:`Busy` if none came within ``timeout_s``."""
        if self.closed:
            raise Busy("the server is switching to a new build")
        if self._idle and not self._waiting and self._may_take(client):
            self._held[client] = self._held.get(client, 0) + 1
            return self._idle.popleft()
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(client, deque()).append(future)
        self._dispatch()
        try:
            await asyncio.wait({future}, timeout=max(0.0, timeout_s))
        finally:
            if not future.done():
                future.cancel()
                queue = self._waiting.get(client)
                if queue is not None:
                    with contextlib.suppress(ValueError):
                        queue.remove(future)
                    if not queue:
                        del self._waiting[client]
        if future.cancelled():
            raise Busy(f"no worker was free within {timeout_s:.1f} s")
        return future.result()

    def release(self, client: str, item: T) -> None:
        """Give ``item`` back; it goes to the next client in turn."""
        held = self._held.get(client, 0) - 1
        if held > 0:
            self._held[client] = held
        else:
            self._held.pop(client, None)
        if not self.closed:
            self._idle.append(item)
            self._dispatch()

    def close(self) -> list[T]:
        """Lend nothing more: waiting clients get :class:`Busy`; return the idle items."""
        self.closed = True
        for queue in self._waiting.values():
            for future in queue:
                future.cancel()
        self._waiting.clear()
        idle, self._idle = list(self._idle), deque()
        return idle

    def _dispatch(self) -> None:
        while self._idle and self._waiting:
            for client in list(self._waiting):
                if self._may_take(client):
                    break
            else:
                return
            queue = self._waiting[client]
            future = queue.popleft()
            if queue:
                self._waiting.move_to_end(client)  # its next query waits for the others
            else:
                del self._waiting[client]
            self._held[client] = self._held.get(client, 0) + 1
            future.set_result(self._idle.popleft())


@dataclass(frozen=True)
class Generation:
    """One build, copied aside for the server: its data file, its id and its build info."""

    source: Path
    data: Path
    id: str
    info: dict[str, object]

    @staticmethod
    def copy(store: Path, into: Path) -> Generation:
        """Copy the build that ``store`` (``build/store``) points at now into ``into``.

        The build's TriG sits beside its store in the generation directory. The copy is the
        server's own: the build may prune its generation directory from now on.
        """
        source = store.resolve().parent
        trig = source / "lexgraph.trig"
        if not trig.is_file():
            raise WorkerError(f"no lexgraph.trig beside {store}; run `lexgraph build` first")
        target = Path(tempfile.mkdtemp(prefix="generation-", dir=into))
        shutil.copyfile(trig, target / "lexgraph.trig")
        info: dict[str, object] = {}
        with contextlib.suppress(OSError, ValueError):
            info = json.loads((source / "build-info.json").read_text())
        return Generation(source, target / "lexgraph.trig", source.name, info)

    def is_current(self, store: Path) -> bool:
        """True if ``store`` still points at this generation (no newer build is switched in)."""
        try:
            return store.resolve().parent == self.source
        except OSError:
            return False

    def remove(self) -> None:
        shutil.rmtree(self.data.parent, ignore_errors=True)


class Engines:
    """Children that answer queries from their in-memory copy of one generation."""

    def __init__(self, generation: Generation, size: int, memory_bytes: int | None) -> None:
        self.generation = generation
        self.size = max(1, size)
        self.memory_bytes = memory_bytes or default_memory_bytes(self.size + CHECKERS)
        self.restarts = 0
        self.out_of_memory = 0
        self._workers = [self._new() for _ in range(self.size)]
        self.pool: FairPool[Worker] = FairPool(list(self._workers))
        self._closing = False
        self._tasks: set[asyncio.Task[None]] = set()
        self.network = True

    def _new(self) -> Worker:
        worker = Worker(memory_bytes=self.memory_bytes, quiet=True)
        worker.setup.append(("load", "data", str(self.generation.data)))
        return worker

    async def start(self) -> None:
        await asyncio.gather(*(anyio.to_thread.run_sync(w.start) for w in self._workers))
        #: Whether an engine can open a connection (False: it has no network at all).
        self.network = bool(
            await anyio.to_thread.run_sync(self._workers[0].call, ("network",), 30.0)
        )

    async def answer(
        self, client: str, text: str, options: dict[str, object], deadline: float
    ) -> Reply:
        """The engine's reply; raises :class:`Busy`, :class:`QueryTimeout`, :class:`OutOfMemory`.

        An engine that died on the query (killed at the deadline, or out of memory) is
        replaced in the background, and goes back to the pool only then: the client is told
        at once, and nobody gets a dead engine.
        """
        worker = await self.pool.acquire(client, deadline - time.monotonic())
        dead = False
        try:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Busy("the query's time ran out while it waited for its turn")
            try:
                reply = await anyio.to_thread.run_sync(
                    worker.call, ("answer", "data", text, options), remaining
                )
            except (QueryTimeout, WorkerError) as exc:
                if worker.pid is None:
                    dead = True
                    self.restarts += 1
                    self.out_of_memory += isinstance(exc, OutOfMemory)
                raise
        finally:
            if dead:
                task = asyncio.create_task(self._replace(client, worker))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            else:
                await self._give_back(client, worker)
        if not isinstance(reply, Reply):
            raise WorkerError(f"an engine answered {type(reply).__name__}, not a reply")
        return reply

    async def _replace(self, client: str, worker: Worker) -> None:
        try:
            if not self._closing:
                await anyio.to_thread.run_sync(_restart, worker)
        finally:
            await self._give_back(client, worker)

    async def _give_back(self, client: str, worker: Worker) -> None:
        self.pool.release(client, worker)
        if self._closing:
            await anyio.to_thread.run_sync(worker.close)

    def alive(self) -> int:
        return sum(1 for w in self._workers if w.pid is not None)

    async def close(self) -> None:
        """Stop the children now, or as each finishes its query (a reload's old engines)."""
        self._closing = True
        idle = self.pool.close()
        await asyncio.gather(*(anyio.to_thread.run_sync(w.close) for w in idle))


def _restart(worker: Worker) -> None:
    with contextlib.suppress(WorkerError, OSError):
        worker.start()


def _warm(worker: Worker) -> None:
    """Start a checker and have it load rdflib, so that no client's parse pays for it."""
    with contextlib.suppress(WorkerError, QueryTimeout, OSError):
        worker.call(("check", "ASK {}", 100), 60.0)


class Checkers:
    """rdflib's parse of each new query, in child processes killed when one takes too long."""

    def __init__(self, size: int, max_bytes: int, memory_bytes: int | None = None) -> None:
        self.max_bytes = max_bytes
        # The parse runs in a thread with a large stack (address space, hardly any of it
        # touched): the cap leaves room for it.
        cap = (memory_bytes or default_memory_bytes(size + 4)) + PARSE_STACK_BYTES
        self._workers = [Worker(memory_bytes=cap, quiet=True) for _ in range(max(1, size))]
        self.pool: FairPool[Worker] = FairPool(list(self._workers))
        self._cache: OrderedDict[str, ParsedQuery | QueryRefused] = OrderedDict()

    async def start(self) -> None:
        await asyncio.gather(*(anyio.to_thread.run_sync(_warm, w) for w in self._workers))

    def knows(self, text: str) -> bool:
        """True if ``text`` has a verdict already (so that checking it costs nothing)."""
        return text in self._cache

    async def check(self, client: str, text: str, timeout_s: float) -> ParsedQuery:
        """The verdict on ``text``; raises :class:`QueryRefused` or :class:`Busy`."""
        verdict = self._cache.get(text)
        if verdict is None:
            verdict, lasting = await self._ask(client, text, timeout_s)
            if lasting:  # a parse that ran out of time may pass on a quieter machine
                self._cache[text] = verdict
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(text)
        if isinstance(verdict, QueryRefused):
            raise type(verdict)(*verdict.args)  # a fresh one: the cached one is shared
        return verdict

    async def _ask(
        self, client: str, text: str, timeout_s: float
    ) -> tuple[ParsedQuery | QueryRefused, bool]:
        """The verdict, and whether it lasts (False when the parse ran out of time or memory)."""
        worker = await self.pool.acquire(client, min(timeout_s, CHECK_WAIT_S))
        limit = min(timeout_s, CHECK_TIMEOUT_S)
        try:
            verdict = await anyio.to_thread.run_sync(
                worker.call, ("check", text, self.max_bytes), limit
            )
        except QueryRefused as exc:
            return exc, True
        except (QueryTimeout, WorkerError) as exc:
            await anyio.to_thread.run_sync(_warm, worker)
            if isinstance(exc, OutOfMemory):
                return QueryRefused("the query is too complex for lexgraph's check"), False
            if isinstance(exc, QueryTimeout):
                return QueryRefused(
                    f"the query is too complex for lexgraph's check within {limit:g} s "
                    "(long expressions and IN lists are slow to parse; a VALUES block is not)"
                ), False
            raise
        finally:
            self.pool.release(client, worker)
        if not isinstance(verdict, ParsedQuery):
            raise WorkerError(f"a checker answered {type(verdict).__name__}, not a verdict")
        return verdict, True

    def close(self) -> None:
        for worker in self._workers:
            worker.close()
