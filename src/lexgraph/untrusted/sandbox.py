"""Run untrusted work in a child process that is killed at its deadline.

pyoxigraph has no query timeout, and rdflib's parser cannot be interrupted: the only way to
stop either at a wall-clock limit is to run it in another process and kill that process. A
:class:`Worker` is such a process, answering one request at a time over its standard input and
output (length-prefixed pickles; both ends are this module, so nothing foreign is unpickled).

Every child runs under a memory cap (``RLIMIT_AS``, :func:`default_memory_bytes` unless told
otherwise): a query that needs more is stopped there (Oxigraph aborts when an allocation
fails) and reported as :class:`OutOfMemory`, and the rest of the machine is untouched. Where
the system allows unprivileged user namespaces, the child also moves into a network namespace
of its own before it loads anything, so that the engine has no network at all: even a
``SERVICE`` that got past the check (:mod:`lexgraph.untrusted.gate`) could not connect
anywhere. The child talks to its parent only through its pipes.

The child does not import the ``lexgraph`` package's ``__init__``, which pulls in the whole
library (matplotlib included, more than half a second): it registers a bare package module
and imports only the modules it needs, so a one-shot query pays about a tenth of a second of
start-up (measured in ``bench/RESULTS.md``).
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import time
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from lexgraph.core.errors import LexgraphError
from lexgraph.core.version import __version__
from lexgraph.store.query import QueryDataset, Result
from lexgraph.untrusted.gate import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, QueryTimeout

_HEADER = struct.Struct(">Q")
_BOOTSTRAP = (
    "import sys, types\n"
    "if sys.argv[3] != '0':\n"
    "    import resource\n"
    "    resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]), int(sys.argv[3])))\n"
    "if sys.argv[4] == '1':\n"
    "    import ctypes, os\n"
    "    uid, gid = os.getuid(), os.getgid()\n"
    "    libc = ctypes.CDLL(None, use_errno=True)\n"
    # CLONE_NEWUSER | CLONE_NEWNET; it fails (and nothing changes) where the system forbids it.
    "    if libc.unshare(0x10000000 | 0x40000000) == 0:\n"
    "        for name, line in (('setgroups', 'deny'), ('uid_map', f'{uid} {uid} 1'),\n"
    "                           ('gid_map', f'{gid} {gid} 1')):\n"
    "            try:\n"
    "                with open(f'/proc/self/{name}', 'w') as out:\n"
    "                    out.write(line)\n"
    "            except OSError:\n"
    "                pass\n"
    "package = types.ModuleType('lexgraph')\n"
    "package.__path__ = [sys.argv[1]]\n"
    "package.__version__ = sys.argv[2]\n"
    "sys.modules['lexgraph'] = package\n"
    "from lexgraph.untrusted.sandbox import serve\n"
    "serve()\n"
)


class WorkerError(LexgraphError):
    """The child process failed in a way that is not the query's fault."""


class OutOfMemory(WorkerError):
    """The child needed more memory than its cap and was stopped."""


#: The cap on one child's address space never exceeds this, whatever the machine.
MAX_MEMORY_BYTES = 2 * 1024**3
#: Nor goes below this: a Python with pyoxigraph and the store needs a few hundred MB.
MIN_MEMORY_BYTES = 512 * 1024**2


def default_memory_bytes(processes: int = 1) -> int:
    """A safe cap for each of ``processes`` children: half the RAM between them, at most 2 GiB.

    >>> MIN_MEMORY_BYTES <= default_memory_bytes(4) <= MAX_MEMORY_BYTES
    True
    """
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        total = 8 * 1024**3
    share = total // (2 * max(1, processes))
    return max(MIN_MEMORY_BYTES, min(MAX_MEMORY_BYTES, share))


def _died(code: int | None, memory_bytes: int) -> WorkerError:
    """The error for a child that died with ``code``: out of memory when it looks like it."""
    # Oxigraph aborts (SIGABRT) when an allocation fails under the cap; the system's
    # out-of-memory killer sends SIGKILL.
    if memory_bytes and code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
        return OutOfMemory(
            f"the query needed more memory than the limit of {memory_bytes / 2**20:,.0f} MiB "
            "and was stopped"
        )
    return WorkerError(f"the query process died (exit code {code})")


class _Deadline(Exception):
    pass


def _write(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    missing = size
    while missing:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise _Deadline
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _read(fd: int, deadline: float | None) -> Any:
    (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size, deadline))
    return pickle.loads(_read_exactly(fd, size, deadline))


def _rebuilt(qualified: str, message: str) -> LexgraphError:
    """The child's error as the same LexgraphError subclass, carrying the same message."""
    module_name, _, name = qualified.rpartition(".")
    cls: type[LexgraphError] = LexgraphError
    module = sys.modules.get(module_name)
    found = getattr(module, name, None) if module else None
    if isinstance(found, type) and issubclass(found, LexgraphError):
        cls = found
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    return error


class Worker:
    """A child process that answers requests one at a time and is killed when one overruns."""

    def __init__(
        self,
        *,
        memory_bytes: int | None = None,
        isolate_network: bool = True,
        quiet: bool = False,
    ) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        #: The cap on the child's address space in bytes (0: none).
        self.memory_bytes = default_memory_bytes() if memory_bytes is None else memory_bytes
        self.isolate_network = isolate_network
        self.quiet = quiet
        #: Requests to replay in each new child before the first real one (loading a store).
        self.setup: list[tuple[object, ...]] = []

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def _running(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            package = str(Path(__file__).resolve().parent.parent)
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    _BOOTSTRAP,
                    package,
                    __version__,
                    str(self.memory_bytes),
                    "1" if self.isolate_network else "0",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL if self.quiet else None,
                close_fds=True,
            )
            for request in self.setup:
                self._exchange(self._process, request, None)
        return self._process

    def start(self) -> None:
        """Start the child now (and replay its setup), rather than at the first request."""
        self._running()

    def _exchange(
        self, process: subprocess.Popen[bytes], request: tuple[object, ...], deadline: float | None
    ) -> Any:
        assert process.stdin is not None and process.stdout is not None
        try:
            _write(process.stdin, request)
            kind, *rest = _read(process.stdout.fileno(), deadline)
        except (EOFError, BrokenPipeError, OSError, pickle.UnpicklingError):
            raise _died(self.kill(), self.memory_bytes) from None
        if kind == "ok":
            return rest[0]
        if kind == "refused":
            raise _rebuilt(rest[0], rest[1])
        if "MemoryError" in rest[0]:
            self.kill()
            raise OutOfMemory(
                f"the query needed more memory than the limit of "
                f"{self.memory_bytes / 2**20:,.0f} MiB and was stopped"
            )
        raise WorkerError(f"the query process failed:\n{rest[0]}")

    def call(self, request: tuple[object, ...], timeout_s: float) -> Any:
        """Send ``request`` and return the answer; kill the child if it takes over ``timeout_s``.

        Raises :class:`QueryTimeout` at the deadline, the child's own
        :class:`LexgraphError` (same class, same message) when the request failed there,
        :class:`OutOfMemory` when it died for want of memory and :class:`WorkerError` when it
        died otherwise. The child is never asked again: the caller decides.
        """
        process = self._running()
        try:
            return self._exchange(process, request, time.monotonic() + timeout_s)
        except _Deadline:
            self.kill()
            raise QueryTimeout(
                f"the query ran past its limit of {timeout_s:g} s and was stopped"
            ) from None

    def kill(self) -> int | None:
        """Kill the child at once (it may be busy in native code) and reap it."""
        process, self._process = self._process, None
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
        code = process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()
        return code

    def close(self) -> None:
        """Stop the child: end of input first, so it exits by itself, then kill."""
        process = self._process
        if process is not None and process.poll() is None and process.stdin is not None:
            try:
                process.stdin.close()
                process.wait(2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()


def run_isolated(
    location: Path,
    text: str,
    bindings: Mapping[ox.Variable, Any] | None = None,
    *,
    where: str = "query",
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_rows: int = DEFAULT_MAX_ROWS,
    dataset: QueryDataset | None = None,
    memory_bytes: int | None = None,
) -> Result:
    """Run a query on the store at ``location`` in a child process killed after ``timeout_s``.

    The child has no network where the system allows it, and at most ``memory_bytes`` of
    memory (default :func:`default_memory_bytes`). The caller checks the text first
    (:func:`lexgraph.untrusted.gate.check_query`), which also reads the ``dataset`` the query
    names.
    """
    worker = Worker(memory_bytes=memory_bytes)
    try:
        request = ("run", str(location), text, dict(bindings or {}), where, max_rows, dataset)
        result = worker.call(request, timeout_s)
        if not isinstance(result, Result):
            raise WorkerError(f"the query process answered {type(result).__name__}, not a result")
        return result
    finally:
        worker.close()


# ---------------------------------------------------------------------------------------------
# The child's side


def _handle(request: tuple[Any, ...], stores: dict[str, ox.Store]) -> object:
    kind = request[0]
    if kind == "check":
        from lexgraph.untrusted.gate import check_query

        _, text, max_bytes = request
        return check_query(text, max_bytes=max_bytes)
    if kind == "load":
        _, key, path = request
        store = ox.Store()
        store.bulk_load(path=path, format=ox.RdfFormat.from_extension(Path(path).suffix[1:]))
        stores[key] = store
        return len(store)
    if kind == "answer":
        from lexgraph.untrusted.answers import answer

        _, key, text, options = request
        return answer(stores[key], text, **options)
    if kind == "network":
        return _network_reachable()
    if kind == "run":
        from lexgraph.store.query import execute, open_store

        _, location, text, bindings, where, max_rows, dataset = request
        if location not in stores:
            stores[location] = open_store(Path(location))
        return execute(stores[location], text, bindings, where, max_rows=max_rows, dataset=dataset)
    raise ValueError(f"unknown request {kind!r}")


def _network_reachable() -> bool:
    """True if this process can open a socket to its loopback: it is not confined."""
    import socket

    try:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            sock.listen(1)
            with socket.create_connection(sock.getsockname(), timeout=1):
                return True
    except OSError:
        return False


def serve() -> None:
    """The child's loop: read a request, answer it, until standard input closes."""
    logging.getLogger("rdflib").setLevel(logging.ERROR)  # its URI warnings are not ours
    requests = sys.stdin.buffer.fileno()
    replies = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but replies may reach the reply pipe
    stores: dict[str, ox.Store] = {}
    while True:
        try:
            request = _read(requests, None)
        except EOFError:
            return
        try:
            reply: tuple[object, ...] = ("ok", _handle(request, stores))
        except LexgraphError as exc:
            cls = type(exc)
            reply = ("refused", f"{cls.__module__}.{cls.__qualname__}", str(exc))
        except Exception:
            reply = ("crashed", traceback.format_exc())
        _write(replies, reply)
