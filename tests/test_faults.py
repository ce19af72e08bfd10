"""Faults: a killed build or publication, an unwritable output directory, a full disk.

A build killed with SIGKILL at any moment leaves ``build/current`` on a complete generation
(every output there, the store opens and answers) and the next build succeeds and removes
what the killed ones left. An interrupted ``publish`` converges when rerun. An output
directory that cannot be written, or a disk that fills up, gives one ``error:`` line and exit
2, with the previous outputs untouched, for the build and for the importers.

Most killed builds run ``lexgraph build`` with the SHACL validation replaced by one that
finds nothing (:func:`_fast_build`): validation writes nothing, so skipping it changes no
moment at which a kill could leave a mess, and it makes a sweep of many kill times over the
writing phase affordable. One kill and the recovering build run the real command. The tests
that mount a tmpfs or a read-only bind mount need root; without it they are skipped.
"""

from __future__ import annotations

import contextlib
import http.server
import importlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from lexgraph.cli import main
from lexgraph.core.paths import Layout
from lexgraph.publish.graphstore import local_graphs, remote_counts
from lexgraph.publish.remote import Endpoint
from lexgraph.serve.oxigraph import ServerConfig, free_port, running
from lexgraph.store.build import OUTPUTS, BuildResult, build
from lexgraph.store.query import open_store

BIN = Path(sys.executable).parent
BUILD = [str(BIN / "lexgraph"), "build"]
#: `lexgraph build` with a validation that finds nothing (see the module docstring).
FAST_BUILD = [
    sys.executable,
    "-c",
    "import sys, lexgraph.build\n"
    "sys.modules['lexgraph.store.build'].validate_dataset = lambda layout, dataset: []\n"
    "from lexgraph.cli import main\n"
    "main(['build'])\n",
]
#: The module, not the function that ``lexgraph`` re-exports under the same name.
BUILD_MODULE = importlib.import_module("lexgraph.store.build")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
ARTICLES = (
    "instrument_key,english_title,bwb_id,source_path,division,article,heading\n"
    "UNTOC,Convention,B,verdrag/untoc/README.md,,1,Statement of purpose\n"
)
RECORDS = (
    "instrument_key,state_iso3,action,action_date,entry_into_force_for_state,"
    "source_url,source_as_at,source_kind,note\n"
    "UNTOC,JPN,ratification,2017-07-11,2017-08-10,https://example.org/s,2017-09-01,primary,x\n"
)


def _env(layout: Layout) -> dict[str, str]:
    return {**os.environ, "LEXGRAPH_ROOT": str(layout.root)}


@dataclass
class Run:
    """What happened to one build process."""

    killed: bool
    returncode: int | None
    seconds: float
    #: Seconds from the start until a new generation directory appeared (writing began).
    writing_from: float | None = None
    #: Whether an unfinished new generation directory existed when the process was killed.
    in_writing: bool = False


def _generations(layout: Layout) -> set[str]:
    folder = layout.build / ".gen"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def _run(
    layout: Layout,
    command: list[str],
    kill_after: float | None = None,
    *,
    from_writing: bool = False,
) -> Run:
    """Run a build; SIGKILL it ``kill_after`` seconds after it starts, or after it starts
    writing its outputs if ``from_writing``. Without ``kill_after`` it runs to the end."""
    known = _generations(layout)
    start = time.monotonic()
    process = subprocess.Popen(
        command, env=_env(layout), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    writing_from: float | None = None
    if from_writing or kill_after is None:
        while process.poll() is None and not _generations(layout) - known:
            time.sleep(0.005)
        if process.poll() is None:
            writing_from = time.monotonic() - start
    base = start + (writing_from or 0.0) if from_writing else start
    try:
        timeout = None if kill_after is None else max(0.0, base + kill_after - time.monotonic())
        code: int | None = process.wait(timeout)
        killed = False
    except subprocess.TimeoutExpired:
        in_writing = bool(_generations(layout) - known)
        process.send_signal(signal.SIGKILL)
        process.wait()
        return Run(True, None, time.monotonic() - start, writing_from, in_writing)
    return Run(killed, code, time.monotonic() - start, writing_from)


@dataclass(frozen=True)
class Outputs:
    """The outputs of a good build, to compare a later state with."""

    nt: bytes
    quads: int


def _outputs(layout: Layout) -> Outputs:
    """Check that build/current is a complete generation whose store opens and answers."""
    current = layout.build / "current"
    assert current.is_symlink(), "build/current is missing"
    generation = current.resolve()
    for name in (*OUTPUTS, "build-info.json"):
        assert (generation / name).exists(), f"{name} missing from {generation.name}"
    for name in OUTPUTS:
        assert (layout.build / name).resolve() == (generation / name).resolve(), name
    store = ox.Store.read_only(str(layout.build / "store"))
    answer = store.query(COUNT)
    assert isinstance(answer, ox.QuerySolutions)
    [row] = list(answer)
    count = row["n"]
    assert isinstance(count, ox.Literal)
    quads = int(count.value)
    del store
    return Outputs((layout.build / "lexgraph.nt").read_bytes(), quads)


def test_build_killed_at_many_moments_leaves_the_previous_outputs(project: Layout) -> None:
    """Killed with SIGKILL at eleven moments spread over its run and over its writing, a
    build always leaves build/current on a complete generation with the same content; the
    next (real) build succeeds and removes the leftovers."""
    seed = _run(project, FAST_BUILD)
    assert seed.returncode == 0 and seed.writing_from is not None
    good = _outputs(project)
    assert good.quads > 40_000
    total, writing = seed.seconds, seed.seconds - seed.writing_from
    plan = [(total * (i + 0.5) / 3, False) for i in range(3)]
    plan += [(writing * (i + 0.5) / 8, True) for i in range(8)]
    runs = [_run(project, FAST_BUILD, delay, from_writing=w) for delay, w in plan]
    for run in runs:
        assert run.returncode in (None, 0), run
        assert _outputs(project) == good
    assert sum(r.in_writing for r in runs) >= 3, runs  # the sweep did hit the writing phase
    real = _run(project, BUILD, kill_after=total + 2.0)  # during the real validation
    assert _outputs(project) == good, real
    leftovers = _generations(project) - {(project.build / "current").resolve().name}
    done = subprocess.run(BUILD, env=_env(project), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert _outputs(project) == good
    assert _generations(project) == {(project.build / "current").resolve().name}, leftovers
    assert not [p.name for p in project.build.iterdir() if p.name.endswith(".tmp")]


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process builds with a validation that finds nothing (see the module docstring)."""
    monkeypatch.setattr(BUILD_MODULE, "validate_dataset", lambda layout, dataset: [])


def test_next_build_removes_what_killed_builds_left(project: Layout, quick: None) -> None:
    """A half-written generation and a temporary link of a dead build are removed by the
    next build; a temporary link of a live process is left alone."""
    stale = project.build / ".gen" / "20000101T000000-killed"
    (stale / "store").mkdir(parents=True)
    (stale / "lexgraph.nt").write_bytes(b"<urn:a> <urn:b> ")
    dead = project.build / f".current.{2**22 + 1}.tmp"  # above any Linux pid_max
    live = project.build / ".store.1.tmp"  # pid 1 is always running
    for link in (dead, live):
        link.symlink_to(".gen/20000101T000000-killed")
    build(project)
    assert not stale.exists() and not dead.is_symlink()
    assert live.is_symlink()
    assert _generations(project) == {(project.build / "current").resolve().name}


def _cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _one_error_line(result: Result, start: str) -> str:
    """Check a CLI result is exit 2 with one `error:` line and no traceback; return it."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    [line] = [x for x in result.output.splitlines() if x.startswith("error:")]
    assert line.startswith(start), line
    assert "Traceback" not in result.output
    return line


def test_build_directory_that_is_a_file(project: Layout, quick: None) -> None:
    """A `build` that is a regular file gives a clear error, not a traceback."""
    project.build.write_text("not a directory\n")
    line = _one_error_line(_cli("build"), "error: cannot write build/: ")
    assert "previous outputs are untouched" in line
    assert project.build.read_text() == "not a directory\n"


def test_simulated_full_disk_keeps_the_previous_build(project_built: Layout, quick: None) -> None:
    """A write failing with ENOSPC half-way (simulated) gives one error line and exit 2, the
    half-written generation is removed and the previous one stays current."""
    project = project_built
    good = _outputs(project)

    def full(directory: Path, store: ox.Store) -> tuple[int, int]:
        (directory / "lexgraph.nt").write_bytes(b"<urn:a> <urn:b> ")
        raise OSError(28, "No space left on device")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BUILD_MODULE, "_write_outputs", full)
        line = _one_error_line(_cli("build"), "error: cannot write build/: ")
    assert line == (
        "error: cannot write build/: No space left on device (previous outputs are untouched)"
    )
    assert _outputs(project) == good
    assert _generations(project) == {(project.build / "current").resolve().name}


# ---------------------------------------------------------------------------------------------
# Real mounts: a read-only directory and a full disk (root only)


def _mount(*args: str) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a test file system needs root and mount(8)")
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode:
        pytest.skip(f"mount {' '.join(args)} is not permitted here: {done.stderr.strip()}")


@contextlib.contextmanager
def _mounted(target: Path, *, tmpfs_size: str | None = None) -> Iterator[None]:
    """Mount a tmpfs of ``tmpfs_size`` on ``target``, or bind it read-only onto itself."""
    target.mkdir(parents=True, exist_ok=True)
    if tmpfs_size:
        _mount("-t", "tmpfs", "-o", f"size={tmpfs_size},mode=0755", "tmpfs", str(target))
    else:
        _mount("--bind", str(target), str(target))
        done = subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(target)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            subprocess.run(["umount", str(target)], check=False)
            pytest.skip(f"a read-only remount is not permitted here: {done.stderr.strip()}")
    try:
        yield
    finally:
        if subprocess.run(["umount", str(target)], check=False).returncode:
            subprocess.run(["umount", "-l", str(target)], check=False)


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def test_read_only_build_directory(project_built: Layout, quick: None) -> None:
    """A build into a read-only build/ gives one error line and exit 2; the previous outputs
    stay readable and unchanged."""
    project = project_built
    good = _outputs(project)
    with _mounted(project.build):
        line = _one_error_line(_cli("build"), "error: cannot write build/: ")
        assert "Read-only file system" in line
        assert _outputs(project) == good


def test_full_disk_keeps_the_previous_build(
    built: tuple[Layout, BuildResult], project: Layout, quick: None
) -> None:
    """On a disk with room for one build but not two, the second build fails with one error
    line and exit 2, removes its partial generation, and the first stays current."""
    one = _size((built[0].build / "current").resolve())
    with _mounted(project.build, tmpfs_size=f"{one * 3 // 2 // 1024}k"):
        build(project)
        good = _outputs(project)
        line = _one_error_line(_cli("build"), "error: cannot write build/: ")
        assert "No space left on device" in line
        assert _outputs(project) == good
        assert _generations(project) == {(project.build / "current").resolve().name}
        assert shutil.disk_usage(project.build).used < one * 5 // 4


def test_build_onto_a_full_disk_from_nothing(project: Layout, quick: None) -> None:
    """A first build onto a disk too small for it fails cleanly and leaves no generation."""
    with _mounted(project.build, tmpfs_size="512k"):
        line = _one_error_line(_cli("build"), "error: cannot write build/: ")
        assert "No space left on device" in line
        assert not (project.build / "current").exists()
        assert _generations(project) == set()


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_import_into_a_read_only_graph(project: Layout, tmp_path: Path) -> None:
    """`lexgraph import articles` into a read-only graph/imported/ gives one error line naming
    the file it could not write, and exit 2."""
    csv = tmp_path / "articles.csv"
    csv.write_text(ARTICLES)
    before = _snapshot(project.imported)
    with _mounted(project.imported):
        line = _one_error_line(_cli("import", "articles", str(csv)), "error: cannot write ")
        assert "graph/imported/articles/untoc.ttl: Read-only file system" in line
    assert _snapshot(project.imported) == before


def test_import_onto_a_full_disk_leaves_no_temporary_file(project: Layout, tmp_path: Path) -> None:
    """`lexgraph import csv` onto a full disk gives one error line and exit 2, and leaves
    neither the new file nor a temporary one behind."""
    csv = tmp_path / "participation-sample.csv"
    row = RECORDS.splitlines(True)[1]
    csv.write_text(RECORDS + "".join(row.replace("/s,", f"/s{n},") for n in range(2000)))
    target = project.participation / "records"
    shutil.rmtree(target)
    with _mounted(target, tmpfs_size="16k"):
        (target / "filler").write_bytes(b"x" * 8192)
        line = _one_error_line(_cli("import", "csv", str(csv)), "error: cannot write ")
        assert "No space left on device" in line
        assert sorted(p.name for p in target.iterdir()) == ["filler"]


def test_import_where_a_directory_is_a_file(project: Layout, tmp_path: Path) -> None:
    """An import whose output folder is a regular file gives one error line and exit 2."""
    csv = tmp_path / "participation-sample.csv"
    csv.write_text(RECORDS)
    target = project.participation / "records"
    shutil.rmtree(target)
    target.write_text("in the way\n")
    line = _one_error_line(_cli("import", "csv", str(csv)), "error: cannot write ")
    assert "graph/imported/participation/records/participation-sample.ttl" in line
    assert target.read_text() == "in the way\n"


# ---------------------------------------------------------------------------------------------
# An interrupted publication


@dataclass
class Proxy:
    """A loopback HTTP proxy to the Graph Store that holds each PUT for ``delay`` seconds
    and counts the PUTs it has passed on."""

    upstream: str
    delay: float = 0.0
    puts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: http.server.ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"


def _proxy_handler(proxy: Proxy) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if body is not None and len(body) < length:
                return  # the client died mid-body: like a server, drop the request
            if self.command == "PUT":
                time.sleep(proxy.delay)
            headers = {
                k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")
            }
            request = urllib.request.Request(
                proxy.upstream + self.path, data=body, method=self.command, headers=headers
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status, data, kind = response.status, response.read(), response.headers
            except urllib.error.HTTPError as exc:
                status, data, kind = exc.code, exc.read(), exc.headers
            if self.command == "PUT":
                with proxy.lock:
                    proxy.puts += 1
            with contextlib.suppress(OSError):  # the client may be dead by now
                self.send_response(status)
                if kind.get("Content-Type"):
                    self.send_header("Content-Type", kind["Content-Type"])
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _forward

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def graph_store(tmp_path: Path) -> Iterator[tuple[str, Proxy]]:
    """An empty read-write Oxigraph, and a slow proxy in front of it."""
    with running(ServerConfig(tmp_path / "remote", port=free_port(), read_only=False)) as url:
        proxy = Proxy(url)
        proxy.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _proxy_handler(proxy))
        thread = threading.Thread(target=proxy.server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        yield url, proxy
        proxy.server.shutdown()
        proxy.server.server_close()


def test_interrupted_publish_converges_when_rerun(
    built: tuple[Layout, BuildResult], graph_store: tuple[str, Proxy]
) -> None:
    """`lexgraph publish` killed after 1 and after 30 uploaded graphs leaves a partial
    server; run again, it exits 0 and the server's counts equal the build's."""
    layout, _ = built
    url, proxy = graph_store
    expected = {g: len(ts) for g, ts in local_graphs(open_store(layout.store)).items()}
    command = [str(BIN / "lexgraph"), "publish", "--endpoint", proxy.url + "/query"]
    env = _env(layout)
    proxy.delay = 0.05
    for after in (1, 30):
        proxy.puts = 0
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while proxy.puts < after and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        process.send_signal(signal.SIGKILL)
        process.wait()
        partial = remote_counts(Endpoint(url + "/query"))
        assert 0 < len(partial) < len(expected), (after, len(partial))
    proxy.delay = 0.0
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "counts match" in done.stdout
    assert remote_counts(Endpoint(url + "/query")) == expected
