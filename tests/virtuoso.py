"""A private OpenLink Virtuoso 7 for the tests, never the system's.

Registered for every test by ``pytest_plugins`` in ``tests/conftest.py``. The server is
Debian's ``virtuoso-t`` (package ``virtuoso-opensource-7-bin``, which ``make test`` installs);
tests that use these fixtures are skipped, with the reason, when it is missing. Each instance
has its own ``virtuoso.ini`` and database files in a temporary directory, listens on free
loopback ports (SQL and HTTP), runs under ``prlimit --as`` with a small buffer pool, gets a
fresh random ``dba`` password, and is stopped with its process group at the end. A Virtuoso
started by the Debian service (``/etc/init.d/virtuoso-opensource-7``) is left alone.

- ``virtuoso`` (session): one empty instance for the run.
- :func:`running_virtuoso` starts another for the length of a ``with`` block.

The limits in :data:`SPARQL_LIMITS` are those of the ``virtuoso.ini`` Debian ships, so that
the tests meet what a user of the package meets. Its buffer pool is half of Debian's
(5,000 pages of 8 KB), to keep it small.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lexgraph.serve.oxigraph import free_port

VIRTUOSO = Path("/usr/bin/virtuoso-t")
ISQL = Path("/usr/bin/isql-vt")
#: Address space allowed to the server (its buffers, threads' stacks and malloc arenas).
MEMORY_CAP = 2 * 1024**3
STARTUP_S = 60.0
#: The [SPARQL] limits of Debian's /usr/share/virtuoso-opensource-7/virtuoso.ini: rows per
#: answer, seconds a query may be estimated to take and may take.
SPARQL_LIMITS = {
    "ResultSetMaxRows": 10000,
    "MaxQueryCostEstimationTime": 400,
    "MaxQueryExecutionTime": 60,
}

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
ServerThreads = 10
NumberOfBuffers = 5000
MaxDirtyBuffers = 3500
MaxQueryMem = 200M
CheckpointInterval = 0
DirsAllowed = {dir}{dirs_allowed}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows = {ResultSetMaxRows}
MaxQueryCostEstimationTime = {MaxQueryCostEstimationTime}
MaxQueryExecutionTime = {MaxQueryExecutionTime}
"""


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso: its URLs, its ``dba`` password and its directory."""

    url: str
    sql_port: int
    password: str
    directory: Path

    @property
    def sparql(self) -> str:
        """The SPARQL query endpoint (``lexgraph query --endpoint``)."""
        return self.url + "/sparql"

    @property
    def graph_store(self) -> str:
        """The Graph Store Protocol endpoint that asks for HTTP Digest (``--graph-store``)."""
        return self.url + "/sparql-graph-crud-auth"

    def isql(self, sql: str, timeout_s: float = 60.0) -> str:
        """Run ``sql`` as ``dba`` through ``isql-vt`` and return its output; raise on an error."""
        done = subprocess.run(
            [str(ISQL), f"127.0.0.1:{self.sql_port}", "dba", self.password, "VERBOSE=OFF"],
            input=sql.encode(),
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
        output = (done.stdout + done.stderr).decode(errors="replace")
        if done.returncode != 0 or "*** Error" in output:
            raise AssertionError(f"isql-vt failed ({done.returncode}): {output.strip()}")
        return output

    def environment(self) -> dict[str, str]:
        """The variables that let ``lexgraph publish`` authenticate as ``dba`` (HTTP Digest)."""
        return {
            "LEXGRAPH_ENDPOINT_USER": "dba",
            "LEXGRAPH_ENDPOINT_PASSWORD": self.password,
            "LEXGRAPH_ENDPOINT_AUTH": "digest",
        }


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/sparql?query=ASK%7B%7D", timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server's process group: SIGTERM, then SIGKILL after a grace period."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def running_virtuoso(
    directory: Path, *, dirs_allowed: tuple[Path, ...] = (), limits: dict[str, int] | None = None
) -> Iterator[Virtuoso]:
    """Start an empty Virtuoso with its files in the empty ``directory``; yield it, then stop it.

    ``dirs_allowed`` are the directories its bulk loader may read besides its own.
    """
    directory.mkdir(parents=True, exist_ok=True)
    if (directory / "virtuoso.db").exists():
        raise AssertionError(f"{directory} holds a database already: give an empty directory")
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(
        _INI.format(
            dir=directory,
            sql_port=sql_port,
            http_port=http_port,
            dirs_allowed="".join(f", {d}" for d in dirs_allowed),
            **{**SPARQL_LIMITS, **(limits or {})},
        )
    )
    url = f"http://127.0.0.1:{http_port}"
    command = ["prlimit", f"--as={MEMORY_CAP}", "--", str(VIRTUOSO)]
    command += ["+configfile", str(ini), "+foreground"]
    with (directory / "stdout.log").open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=directory,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "MALLOC_ARENA_MAX": "2"},
        )
    try:
        deadline = time.monotonic() + STARTUP_S
        while not _answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                log_file = directory / "virtuoso.log"
                tail = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
                raise AssertionError(f"Virtuoso did not start on {url}: {tail}")
            time.sleep(0.2)
        server = Virtuoso(url, sql_port, "dba", directory)
        password = secrets.token_urlsafe(12)
        server.isql(f"USER_SET_PASSWORD('dba', '{password}');")
        yield Virtuoso(url, sql_port, password, directory)
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """An empty private Virtuoso for the session (skipped, saying why, if it is not installed)."""
    if not VIRTUOSO.exists() or not ISQL.exists():
        pytest.skip(
            f"{VIRTUOSO} or {ISQL} is missing: apt-get install virtuoso-opensource-7-bin "
            "(make test does)"
        )
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
