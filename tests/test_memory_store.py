"""The in-memory copy of the build that long-lived processes share (``lexgraph.store.memory``).

It must hold the very quads of the on-disk store (blank node labels included), be loaded
once per process and build, follow ``build/current`` to a new build, and say clearly when
there is no build. Its speed is measured in ``bench/RESULTS.md``, not here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from lexgraph.core.errors import NotBuilt
from lexgraph.core.paths import Layout
from lexgraph.store.build import BuildResult
from lexgraph.store.memory import SNAPSHOT, memory_store

EX = "http://example.org/"


def _generation(root: Path, name: str, objects: list[str], *, snapshot: bool = True) -> None:
    """A build generation with a store and, unless told not to, its TriG; ``store`` -> it."""
    generation = root / ".gen" / name
    generation.mkdir(parents=True)
    s, p, g = (ox.NamedNode(EX + name) for name in ("s", "p", "g"))
    quads = [ox.Quad(s, p, ox.Literal(o), g) for o in objects]
    disk = ox.Store(str(generation / "store"))
    disk.bulk_extend(quads)
    disk.flush()
    del disk
    if snapshot:
        ox.serialize(quads, str(generation / SNAPSHOT), ox.RdfFormat.TRIG)
    link = root / "store"
    link.unlink(missing_ok=True)
    os.symlink(os.path.relpath(generation / "store", root), link)


def _objects(store: ox.Store) -> set[str]:
    return {q.object.value for q in store}


def test_the_copy_holds_the_quads_of_the_store(built: tuple[Layout, BuildResult]) -> None:
    """The copy has exactly the on-disk store's quads, blank node labels included."""
    layout, _ = built
    copy = memory_store(layout.store)
    disk = ox.Store.read_only(str(layout.store))
    assert set(map(str, copy)) == set(map(str, disk))


def test_the_copy_is_loaded_once_and_follows_a_new_build(tmp_path: Path) -> None:
    """Asked twice, the same copy; after the store link moves to a new generation, a new one."""
    _generation(tmp_path, "one", ["1"])
    first = memory_store(tmp_path / "store")
    assert memory_store(tmp_path / "store") is first
    _generation(tmp_path, "two", ["2", "3"])
    second = memory_store(tmp_path / "store")
    assert (_objects(first), _objects(second)) == ({"1"}, {"2", "3"})


def test_without_the_snapshot_the_store_is_copied(tmp_path: Path) -> None:
    """A store with no TriG beside it is copied quad by quad."""
    _generation(tmp_path, "bare", ["x"], snapshot=False)
    assert _objects(memory_store(tmp_path / "store")) == {"x"}


def test_no_build_is_one_clear_error(tmp_path: Path) -> None:
    """Without a store, NotBuilt says where the store was looked for."""
    with pytest.raises(NotBuilt, match="store"):
        memory_store(tmp_path / "build" / "store")
