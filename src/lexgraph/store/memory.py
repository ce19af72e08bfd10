"""An in-memory copy of the built store, for processes that ask more than one question.

On the shipped graph pyoxigraph answers the library's questions 2 to 10 times faster from a
``Store()`` in memory than from the on-disk store (RocksDB reads every index step and every
term; ``ORDER BY`` decodes terms at each comparison), but loading the copy costs a few tenths
of a second (``bench/RESULTS.md``). So a one-shot command opens the on-disk store
(:func:`~lexgraph.store.query.open_store`), and the library API, notebooks, the site and
batches of finder calls share one copy per process, made on first use.

The copy is loaded from the build's TriG (``lexgraph.trig``, beside the store in the same
generation), which is faster than copying quads out of the on-disk store, and is kept by the
generation it came from: after ``lexgraph build`` switches ``build/current`` to a new
generation, the next call loads the new build, and the old copy is dropped. Everyone in the
process shares the copy: treat it as read-only (copy it before changing it, as the site does).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.errors import NotBuilt

#: The build's file that the copy is loaded from, beside the store.
SNAPSHOT = "lexgraph.trig"
_lock = threading.Lock()
_copies: dict[Path, ox.Store] = {}


def memory_store(path: Path) -> ox.Store:
    """Return this process's in-memory copy of the built store at ``path``, loading it once.

    ``path`` is the store as :func:`~lexgraph.store.query.open_store` takes it (``build/store``,
    a symlink through ``build/current``); the copy is keyed by the generation it resolves to.
    Without the TriG beside it, the quads are copied from the on-disk store.
    """
    if not path.exists():
        raise NotBuilt(str(path))
    generation = path.resolve()
    with _lock:
        found = _copies.get(generation)
        if found is None:
            found = _load(generation)
            _copies.clear()  # one build at a time: an older generation's copy is not wanted
            _copies[generation] = found
        return found


def _load(store_path: Path) -> ox.Store:
    store = ox.Store()
    snapshot = store_path.parent / SNAPSHOT
    try:
        # ox.parse keeps blank node labels (Store.bulk_load would draw new ones), so the copy
        # holds the very quads of the store. lenient: the build wrote this file itself.
        store.bulk_extend(ox.parse(path=str(snapshot), format=ox.RdfFormat.TRIG, lenient=True))
    except (OSError, SyntaxError):
        store = ox.Store()
        try:
            disk = ox.Store.read_only(str(store_path))
        except OSError as exc:
            raise NotBuilt(f"{store_path} ({exc})") from exc
        store.bulk_extend(disk.quads_for_pattern(None, None, None))
    return store
