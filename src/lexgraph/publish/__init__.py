"""Sharing the build: release files, remote SPARQL endpoints, the Graph Store upload, ontology docs.

``from lexgraph.publish import publish`` (the 0.1 module of that name) still works.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    name: "lexgraph.publish.graphstore"
    for name in ("publish", "local_graphs", "remote_counts", "default_graph_store", "PublishResult")
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lexgraph.publish' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
