"""What the Virtuoso tests cost (issue 17): start a private Virtuoso, publish, ask every question.

Times each step that ``tests/test_virtuoso.py`` takes, on the built graph of the working tree
(``lexgraph build`` first): starting an empty instance (with the test's ``virtuoso.ini``,
from ``tests/virtuoso.py``), ``lexgraph publish`` over HTTP Digest, every library question
through ``lexgraph query NAME --endpoint`` (each a fresh process, as a user runs it), then
``lexgraph release``, a second instance, the bulk load of ``lexgraph.nq`` and the questions
again. Prints one line per step; the numbers go to ``bench/RESULTS.md`` by hand.

    .venv/bin/python bench/bench_virtuoso.py
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _helpers() -> ModuleType:
    """The tests' Virtuoso helpers (``tests/virtuoso.py``), so that the bench starts the same."""
    sys.path.insert(0, str(ROOT / "tests"))
    return importlib.import_module("virtuoso")


def _lexgraph(*args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "lexgraph", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    return done.stdout


def _timed(step: str, run: Callable[[], object]) -> None:
    start = time.perf_counter()
    run()
    print(f"{step:<48} {time.perf_counter() - start:6.1f} s", flush=True)


def _questions(endpoint: str) -> None:
    names = [line.split()[0] for line in _lexgraph("queries").splitlines() if line[:1].strip()]
    for name in names:
        answer = _lexgraph("query", name, "--format", "csv", "--endpoint", endpoint)
        golden = (ROOT / "tests" / "golden" / f"{name}.csv").read_text()
        assert answer == golden, name


def main() -> None:
    """Run the steps once and print their times."""
    helpers = _helpers()
    with tempfile.TemporaryDirectory() as scratch:
        with helpers.running_virtuoso(Path(scratch) / "a") as server:
            pass  # a first start, so that the binaries are in the page cache
        begin = time.perf_counter()
        started = time.perf_counter()
        with helpers.running_virtuoso(Path(scratch) / "b") as server:
            print(f"{'start an empty Virtuoso':<48} {time.perf_counter() - started:6.1f} s")
            args = ["--endpoint", server.sparql, "--graph-store", server.graph_store]
            env = server.environment()
            _timed("lexgraph publish (Digest)", lambda: _lexgraph("publish", *args, env=env))
            _timed("every question, lexgraph query --endpoint", lambda: _questions(server.sparql))
        print(f"{'published path, in all':<48} {time.perf_counter() - begin:6.1f} s")
        _timed("lexgraph release", lambda: _lexgraph("release"))
        release = (ROOT / "build" / "release").resolve()
        started = time.perf_counter()
        with helpers.running_virtuoso(Path(scratch) / "c", dirs_allowed=(release,)) as server:
            print(f"{'start a second Virtuoso':<48} {time.perf_counter() - started:6.1f} s")
            load = f"ld_dir('{release}', 'lexgraph.nq', 'urn:x');\nrdf_loader_run();\ncheckpoint;\n"
            _timed("bulk load of lexgraph.nq (isql-vt)", lambda: server.isql(load))
            _timed("every question on the bulk-loaded release", lambda: _questions(server.sparql))


if __name__ == "__main__":
    main()
