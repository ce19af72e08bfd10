"""The build: sources -> validated dataset -> outputs in ``build/``, switched in atomically.

Outputs are written into a fresh generation directory ``build/.gen/<id>/``; only when all of
them are complete does the symlink ``build/current`` switch to it, in one rename. The files
``build/lexgraph.{trig,ttl,nt,jsonld}`` and ``build/store`` are fixed symlinks through
``current``, so readers see the old build or the new one, never a mixture, and a failed or
killed build leaves the previous outputs as they were. The next build removes what a killed
one left behind: its generation directory and its temporary symlinks.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.atomic import link_atomically, link_owner
from lexgraph.core.errors import BuildError, ValidationFailed
from lexgraph.core.namespaces import PREFIXES
from lexgraph.core.paths import SOURCE_DIRS, Layout
from lexgraph.core.progress import Progress
from lexgraph.core.version import __version__
from lexgraph.store.inference import INFERRED_GRAPH, infer
from lexgraph.store.sources import check_directories, graph_name, parse_data, read_source
from lexgraph.store.validate import Finding, load_shapes, run_checks, run_shacl, to_rdflib

OUTPUTS = ("lexgraph.trig", "lexgraph.ttl", "lexgraph.nt", "lexgraph.jsonld", "store")


@dataclass(frozen=True)
class Dataset:
    """The loaded sources: an in-memory store with one named graph per file, plus inferences."""

    store: ox.Store
    files: tuple[str, ...]
    shapes_graph: ox.NamedNode
    digest: str


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    directory: Path
    quads: int
    triples: int
    files: tuple[str, ...]
    findings: tuple[Finding, ...] = field(default=())

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity != "error")


def load(layout: Layout, progress: Progress | None = None, extra_steps: int = 0) -> Dataset:
    """Parse every source file of ``layout`` into a store and add the inferred graph.

    ``progress`` counts one step per file plus ``extra_steps`` that the caller takes after.
    The dataset's digest is a SHA-256 over the files' paths and bytes, read once. A file of
    a source directory that looks like RDF but is not read (RDF/XML...) is an error.
    """
    check_directories((layout.root / name for name in SOURCE_DIRS), layout.relative)
    store = ox.Store()
    files = layout.source_files()
    if progress:
        progress.total = len(files) + extra_steps
    relatives = []
    h = hashlib.sha256()
    for path in files:
        relative = layout.relative(path)
        if progress:
            progress.advance(f"parsing {relative}")
        data = read_source(path, relative)
        h.update(relative.encode() + b"\0" + data + b"\0")
        store.extend(parse_data(data, path.suffix, relative))
        relatives.append(relative)
    store.extend(infer(store))
    shapes = graph_name(layout.relative(layout.shapes))
    return Dataset(store, tuple(relatives), shapes, h.hexdigest())


def data_quads(dataset: Dataset) -> list[ox.Quad]:
    """Return every quad except the shapes graph's: the graph that is validated."""
    return [q for q in dataset.store if q.graph_name != dataset.shapes_graph]


def validate_dataset(layout: Layout, dataset: Dataset) -> list[Finding]:
    """Run SHACL and the checks; return every finding, errors and warnings."""
    findings = run_shacl(to_rdflib(data_quads(dataset)), load_shapes(layout.shapes))
    findings += run_checks(dataset.store, layout.checks)
    return findings


def _sorted_quads(store: ox.Store) -> list[ox.Quad]:
    return sorted(
        store, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
    )


def _write_outputs(directory: Path, store: ox.Store) -> tuple[int, int]:
    quads = _sorted_quads(store)
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    (directory / "lexgraph.nt").write_bytes(b"".join(sorted(nt.splitlines(keepends=True))))
    ox.serialize(triples, str(directory / "lexgraph.ttl"), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    ox.serialize(quads, str(directory / "lexgraph.trig"), ox.RdfFormat.TRIG, prefixes=PREFIXES)
    ox.serialize(quads, str(directory / "lexgraph.jsonld"), ox.RdfFormat.JSON_LD)
    disk = ox.Store(str(directory / "store"))
    disk.bulk_extend(quads)
    disk.flush()
    del disk
    return len(quads), len(triples)


def _switch(build: Path, generation: Path) -> None:
    link_atomically(build / "current", os.path.relpath(generation, build))
    for name in OUTPUTS:
        link = build / name
        if not link.is_symlink() or os.readlink(link) != f"current/{name}":
            if link.exists() and not link.is_symlink():
                shutil.rmtree(link) if link.is_dir() else link.unlink()
            link_atomically(link, f"current/{name}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _prune(build: Path, keep: Path) -> None:
    """Remove every generation but ``keep``, and the temporary links of killed builds."""
    generations = build / ".gen"
    for old in generations.iterdir() if generations.is_dir() else ():
        if old.resolve() != keep.resolve():
            shutil.rmtree(old, ignore_errors=True)
    for entry in build.iterdir():
        owner = link_owner(entry)
        if owner is not None and entry.is_symlink() and not _alive(owner):
            entry.unlink(missing_ok=True)


def build(
    layout: Layout,
    *,
    progress: Progress | None = None,
    on_findings: Callable[[list[Finding]], None] | None = None,
) -> BuildResult:
    """Build ``layout`` into ``layout.build``; raise on any error-level finding.

    The previous outputs stay in place whenever this raises.
    """
    progress = progress or Progress(0, enabled=False)
    try:
        dataset = load(layout, progress, extra_steps=3)
        progress.advance("validating (SHACL and checks)")
        findings = validate_dataset(layout, dataset)
        if on_findings:
            on_findings(findings)
        errors = [f for f in findings if f.severity == "error"]
        if errors:
            raise ValidationFailed(
                f"{len(errors)} violation(s); previous outputs in "
                f"{layout.relative(layout.build)}/ are untouched"
            )
        progress.advance("writing outputs")
        where = layout.relative(layout.build)
        try:
            (layout.build / ".gen").mkdir(parents=True, exist_ok=True)
            generation = Path(
                tempfile.mkdtemp(prefix=time.strftime("%Y%m%dT%H%M%S-"), dir=layout.build / ".gen")
            )
        except OSError as exc:
            raise BuildError(
                f"cannot write {where}/: {exc.strerror or exc} (previous outputs are untouched)"
            ) from exc
        try:
            quads, triples = _write_outputs(generation, dataset.store)
            info = {
                "version": __version__,
                "quads": quads,
                "triples": triples,
                "sources": list(dataset.files),
                "digest": dataset.digest,
                "inferred_graph": INFERRED_GRAPH.value,
            }
            (generation / "build-info.json").write_text(json.dumps(info, indent=2) + "\n")
            progress.advance("switching to the new build")
            _switch(layout.build, generation)
        except OSError as exc:
            if (layout.build / "current").resolve() != generation.resolve():
                shutil.rmtree(generation, ignore_errors=True)
            raise BuildError(
                f"cannot write {where}/: {exc.strerror or exc} (previous outputs are untouched)"
            ) from exc
        _prune(layout.build, generation)
    finally:
        progress.done()
    return BuildResult(generation, quads, triples, dataset.files, tuple(findings))
