"""Run the Oxigraph SPARQL server (the ``oxigraph`` command of the PyPI package ``oxigraph``).

``lexgraph serve`` answers with Oxigraph engines in child processes of its own
(:mod:`lexgraph.serve.workers`) and a query page of its own (:mod:`lexgraph.serve.page`).
Tests and benchmarks start a
server on an ephemeral loopback port as a stand-in for any SPARQL 1.1 store, or as the
baseline "Oxigraph alone". Every server started here runs under a memory cap.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lexgraph.core.errors import InputError, LexgraphError
from lexgraph.untrusted import gate

#: Seconds a query may run before the server cancels it: the same limit as every untrusted
#: query's (Oxigraph's flag takes whole seconds).
DEFAULT_TIMEOUT_S = int(gate.DEFAULT_TIMEOUT_S)
#: Seconds to wait for a started server to answer.
STARTUP_S = 30.0


class ServerError(LexgraphError):
    """The SPARQL server could not be started or stopped."""


def oxigraph_binary() -> str:
    """Return the path of the ``oxigraph`` command: beside this Python first, then on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServerError(
        "the `oxigraph` server command is not installed; `pip install oxigraph` provides it"
    )


def port_in_use(host: str, port: int) -> bool:
    """Return True if something already listens on ``host:port``."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port(host: str = "127.0.0.1") -> int:
    """Return a port the system has just left free on ``host``."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@dataclass(frozen=True)
class ServerConfig:
    """How to start Oxigraph: where its store is, where it listens, what it allows."""

    #: The store's directory; None: an in-memory store (read-write only).
    location: Path | None
    host: str = "127.0.0.1"
    port: int = 7878
    read_only: bool = True
    timeout_s: int = DEFAULT_TIMEOUT_S
    cors: bool = True
    union_default_graph: bool = True
    #: The cap on the server's address space in bytes (0: none).
    memory_bytes: int = 2 * 1024**3

    @property
    def url(self) -> str:
        return f"http://{_url_host(self.host)}:{self.port}"

    def command(self) -> list[str]:
        args = [
            oxigraph_binary(),
            "serve-read-only" if self.read_only else "serve",
            *(("--location", str(self.location)) if self.location is not None else ()),
            "--bind",
            f"{_url_host(self.host)}:{self.port}",
            "--timeout-s",
            str(self.timeout_s),
        ]
        if self.cors:
            args.append("--cors")
        if self.union_default_graph:
            args.append("--union-default-graph")
        return args


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


def start(config: ServerConfig, *, quiet: bool = True) -> subprocess.Popen[bytes]:
    """Start the server and wait until it answers; raise :class:`ServerError` if it cannot."""
    if not 0 < config.port < 65536:
        raise InputError(f"port {config.port} is not between 1 and 65535")
    if port_in_use(config.host, config.port):
        raise ServerError(
            f"port {config.port} on {config.host} is already in use; "
            "stop what listens there or choose another with --port"
        )
    if config.read_only and (config.location is None or not config.location.is_dir()):
        raise ServerError(f"no store at {config.location}; run `lexgraph build` first")
    output = subprocess.DEVNULL if quiet else None
    # A file, not a pipe, takes the server's log: an unread pipe would fill and stall it.
    # The child keeps its own descriptor when ours is closed.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            config.command(),
            stdout=output,
            stderr=log,
            preexec_fn=_memory_cap(config.memory_bytes),
        )
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log.seek(0)
                message = log.read().decode(errors="replace").strip()
                raise ServerError(f"oxigraph exited with code {process.returncode}: {message}")
            if _answers(config.url):
                return process
            time.sleep(0.1)
    stop(process)
    raise ServerError(f"oxigraph did not answer on {config.url} within {STARTUP_S:.0f} s")


def _memory_cap(limit: int) -> Callable[[], None] | None:
    if not limit:
        return None

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def stop(process: subprocess.Popen[bytes], grace_s: float = 5.0) -> None:
    """Stop the server: SIGTERM, then SIGKILL if it does not exit in ``grace_s`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def running(config: ServerConfig) -> Iterator[str]:
    """Run the server for the duration of a ``with`` block and yield its base URL."""
    process = start(config)
    try:
        yield config.url
    finally:
        stop(process)
