"""The processes behind ``lexgraph serve``: Oxigraph, and the checkers that run rdflib's parse.

Both are child processes because neither piece of work can be stopped any other way: Oxigraph
does not stop an ``ORDER BY`` or a ``COUNT`` over a cartesian product at its ``--timeout-s``,
and rdflib's parser cannot be interrupted. :class:`Upstream` replaces the Oxigraph process
when a query overruns (a new one on the same store first, then the old one killed);
:class:`Checkers` kills a checker whose parse passes :data:`CHECK_TIMEOUT_S`.
"""

from __future__ import annotations

import asyncio
import subprocess
from collections import OrderedDict
from pathlib import Path

import anyio

from lexgraph.serve.oxigraph import ServerConfig, free_port, start
from lexgraph.untrusted.gate import ParsedQuery, QueryRefused, QueryTimeout
from lexgraph.untrusted.sandbox import Worker, WorkerError

#: Longest rdflib may take to parse a query in a checker before it is refused as too complex.
CHECK_TIMEOUT_S = 5.0
#: Checker processes (each a Python with rdflib loaded, about 60 MB).
CHECKERS = 2
#: Verdicts remembered, by query text: a repeated query is not parsed again.
CACHE_SIZE = 1024


class Upstream:
    """The Oxigraph process: started on a loopback port, replaced when a query overruns."""

    def __init__(self, store: Path, timeout_s: float) -> None:
        self.store = store
        self.timeout_s = timeout_s
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.generation = 0
        self.restarts = 0
        self._lock = asyncio.Lock()

    def _config(self) -> ServerConfig:
        # Oxigraph's own timeout is only a backstop, set well past the layer's, so that the
        # layer's deadline always comes first and Oxigraph never sends its truncated 200.
        return ServerConfig(
            self.store,
            host="127.0.0.1",
            port=free_port(),
            timeout_s=int(2 * self.timeout_s + 10),
            cors=False,
        )

    async def start(self) -> None:
        config = self._config()
        self.process = await anyio.to_thread.run_sync(start, config)
        self.url = config.url

    async def replace(self, seen: int) -> None:
        """Replace the process that served generation ``seen`` (once, however many ask)."""
        async with self._lock:
            if self.generation != seen:
                return
            old = self.process
            await self.start()
            self.generation += 1
            self.restarts += 1
        if old is not None:
            await anyio.to_thread.run_sync(_kill, old)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    async def stop(self) -> None:
        if self.process is not None:
            await anyio.to_thread.run_sync(_kill, self.process)
            self.process = None


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()  # SIGKILL: the process may be busy in a query that would not stop
    process.wait()


class Checkers:
    """rdflib's parse of each new query, in child processes killed when one takes too long."""

    def __init__(self, size: int, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._workers = [Worker() for _ in range(max(1, size))]
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._cache: OrderedDict[str, ParsedQuery | QueryRefused] = OrderedDict()

    async def start(self) -> None:
        for worker in self._workers:
            # Start each child now, so that the first client does not wait for rdflib to load.
            await anyio.to_thread.run_sync(worker.call, ("check", "ASK {}", 100), 60.0)
            self._idle.put_nowait(worker)

    async def check(self, text: str, timeout_s: float) -> ParsedQuery:
        verdict = self._cache.get(text)
        if verdict is None:
            verdict = await self._ask(text, min(timeout_s, CHECK_TIMEOUT_S))
            self._cache[text] = verdict
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(text)
        if isinstance(verdict, QueryRefused):
            raise type(verdict)(*verdict.args)  # a fresh one: the cached one is shared
        return verdict

    async def _ask(self, text: str, timeout_s: float) -> ParsedQuery | QueryRefused:
        worker = await self._idle.get()
        try:
            verdict = await anyio.to_thread.run_sync(
                worker.call, ("check", text, self.max_bytes), timeout_s
            )
        except QueryRefused as exc:
            return exc
        except QueryTimeout:
            return QueryRefused(
                f"the query is too complex for lexgraph's check within {timeout_s:g} s "
                "(long expressions and IN lists are slow to parse; a VALUES block is not)"
            )
        finally:
            self._idle.put_nowait(worker)
        if not isinstance(verdict, ParsedQuery):
            raise WorkerError(f"a checker answered {type(verdict).__name__}, not a verdict")
        return verdict

    def close(self) -> None:
        for worker in self._workers:
            worker.close()
