"""lexgraph: a knowledge graph of the international legal instruments against crime."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lexgraph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

from .build import BuildResult, build, load
from .errors import LexgraphError
from .paths import Layout
from .query import query

__all__ = ["BuildResult", "Layout", "LexgraphError", "__version__", "build", "load", "query"]
