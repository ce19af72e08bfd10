"""lexgraph: a knowledge graph of the international legal instruments against crime.

The public API is re-exported here and loaded on first use (PEP 562), so that ``import
lexgraph`` costs nothing and a one-shot command loads only what it needs. The subpackages are
the architecture, lowest first: ``core`` (paths, names, errors), ``store`` (build and query
engine), ``untrusted`` (the query gate and sandbox), ``finder`` (the legal-basis rules),
``views`` (the data behind tables and figures), ``render`` (formats, figures, brief, site,
pages), ``publish`` (release files, remote stores), ``serve`` (the HTTP server) and ``cli``;
``importers`` turn external files into ``graph/imported/``. Modules moved from the flat layout
of 0.1 are still importable by their old names (:mod:`lexgraph._moved`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from lexgraph import _moved
from lexgraph.core import version as _version

if TYPE_CHECKING:
    from lexgraph.core.errors import LexgraphError
    from lexgraph.core.paths import Layout
    from lexgraph.core.version import __version__
    from lexgraph.finder.basis import Basis, BasisAnswer, find_basis
    from lexgraph.finder.gaps import dyad, gaps
    from lexgraph.render.brief import make_brief, write_brief
    from lexgraph.render.figures import (
        matrix_figure,
        network_figure,
        save_figure,
        timeline_figure,
    )
    from lexgraph.render.site import write_site
    from lexgraph.render.table import render_table
    from lexgraph.store.build import BuildResult, build, load
    from lexgraph.store.frames import to_dataframe
    from lexgraph.store.query import open_store, query
    from lexgraph.untrusted.free import free_query
    from lexgraph.views.instruments import instruments_table
    from lexgraph.views.matrix import matrix_table, modality_matrix, participation_matrix
    from lexgraph.views.parties import parties_table
    from lexgraph.views.subgraph import select
    from lexgraph.views.timeline import timeline

#: Each public name and the module that defines it.
_EXPORTS: dict[str, str] = {
    "Basis": "lexgraph.finder.basis",
    "BasisAnswer": "lexgraph.finder.basis",
    "BuildResult": "lexgraph.store.build",
    "Layout": "lexgraph.core.paths",
    "LexgraphError": "lexgraph.core.errors",
    "build": "lexgraph.store.build",
    "dyad": "lexgraph.finder.gaps",
    "find_basis": "lexgraph.finder.basis",
    "free_query": "lexgraph.untrusted.free",
    "gaps": "lexgraph.finder.gaps",
    "instruments_table": "lexgraph.views.instruments",
    "load": "lexgraph.store.build",
    "make_brief": "lexgraph.render.brief",
    "matrix_figure": "lexgraph.render.figures",
    "matrix_table": "lexgraph.views.matrix",
    "modality_matrix": "lexgraph.views.matrix",
    "network_figure": "lexgraph.render.figures",
    "open_store": "lexgraph.store.query",
    "participation_matrix": "lexgraph.views.matrix",
    "parties_table": "lexgraph.views.parties",
    "query": "lexgraph.store.query",
    "render_table": "lexgraph.render.table",
    "save_figure": "lexgraph.render.figures",
    "select": "lexgraph.views.subgraph",
    "timeline": "lexgraph.views.timeline",
    "timeline_figure": "lexgraph.render.figures",
    "to_dataframe": "lexgraph.store.frames",
    "write_brief": "lexgraph.render.brief",
    "write_site": "lexgraph.render.site",
}

__all__ = [
    "Basis",
    "BasisAnswer",
    "BuildResult",
    "Layout",
    "LexgraphError",
    "__version__",
    "build",
    "dyad",
    "find_basis",
    "free_query",
    "gaps",
    "instruments_table",
    "load",
    "make_brief",
    "matrix_figure",
    "matrix_table",
    "modality_matrix",
    "network_figure",
    "open_store",
    "participation_matrix",
    "parties_table",
    "query",
    "render_table",
    "save_figure",
    "select",
    "timeline",
    "timeline_figure",
    "to_dataframe",
    "write_brief",
    "write_site",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":  # read on first use: see lexgraph.core.version
        return _version.__version__
    module = _EXPORTS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value
    return _moved.submodule(name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


_moved.install()
