"""lexgraph: a knowledge graph of the international legal instruments against crime."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lexgraph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

from .basis import Basis, BasisAnswer, dyad, find_basis, gaps
from .brief import make_brief, write_brief
from .build import BuildResult, build, load
from .errors import LexgraphError
from .figures import matrix_figure, network_figure, save_figure, timeline_figure
from .paths import Layout
from .query import open_store, query
from .site import write_site
from .subgraph import select
from .tables import (
    instruments_table,
    matrix_table,
    modality_matrix,
    participation_matrix,
    parties_table,
    render_table,
    timeline,
)

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
    "write_brief",
    "write_site",
]
