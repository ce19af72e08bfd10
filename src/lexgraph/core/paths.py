"""Paths of the repository: the one place that knows where things live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Source directories that the build reads, relative to the project root.
SOURCE_DIRS: tuple[str, ...] = ("ontology", "graph")
#: RDF file suffixes the build accepts as sources.
SOURCE_SUFFIXES: tuple[str, ...] = (".ttl", ".nt", ".nq", ".trig", ".jsonld")
#: The shapes file: loaded as the SHACL shapes graph, not as data.
SHAPES_FILE = "ontology/shapes.ttl"


def _find_root() -> Path:
    env = os.environ.get("LEXGRAPH_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "ontology").is_dir():
            return parent
    return Path.cwd()


@dataclass(frozen=True)
class Layout:
    """Where a project's sources and outputs are.

    The default layout is the repository lexgraph is installed from; tests and users point
    it at another tree with ``Layout(Path(...))`` or the ``LEXGRAPH_ROOT`` variable.
    """

    root: Path

    @classmethod
    def default(cls) -> Layout:
        return cls(_find_root())

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def graph(self) -> Path:
        return self.root / "graph"

    @property
    def imported(self) -> Path:
        """What the ``lexgraph import`` commands write; every other file of ``graph/`` is
        edited by people."""
        return self.graph / "imported"

    @property
    def participation(self) -> Path:
        """The generated participation records, one folder per importer (``untc``, ``coe``,
        ``wikidata``, ``records``)."""
        return self.imported / "participation"

    @property
    def instruments(self) -> Path:
        """The hand-edited instrument files, one per family of instruments."""
        return self.graph / "instruments"

    @property
    def source_domains(self) -> Path:
        """The hand-edited table of source tiers by website (``lex:SourceDomain`` nodes)."""
        return self.graph / "source-domains.ttl"

    @property
    def participant_files(self) -> tuple[Path, ...]:
        """The files that name participants: the imported states, the other participants, the
        depositaries' own spellings (``skos:hiddenLabel``) and the common English names of
        states that no imported label gives."""
        return (
            self.imported / "states.ttl",
            self.graph / "participants.ttl",
            self.graph / "participant-names.ttl",
            self.graph / "state-names.ttl",
        )

    @property
    def release(self) -> Path:
        return self.root / "build" / "release"

    @property
    def docs(self) -> Path:
        return self.root / "build" / "docs"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def checks(self) -> Path:
        return self.root / "queries" / "checks"

    @property
    def questions(self) -> Path:
        return self.root / "queries" / "questions"

    @property
    def views(self) -> Path:
        return self.root / "queries" / "views"

    @property
    def shapes(self) -> Path:
        return self.root / SHAPES_FILE

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def store(self) -> Path:
        return self.build / "store"

    def relative(self, path: Path) -> str:
        """Return ``path`` relative to the root, with forward slashes, for messages and IRIs."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def source_files(self) -> list[Path]:
        """Return every RDF source file of the build, sorted, shapes included."""
        files: list[Path] = []
        for name in SOURCE_DIRS:
            base = self.root / name
            if base.is_dir():
                files.extend(
                    p for p in base.rglob("*") if p.is_file() and p.suffix in SOURCE_SUFFIXES
                )
        return sorted(files, key=lambda p: self.relative(p))
