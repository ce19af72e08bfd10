"""The command line: ``lexgraph COMMAND``, each command a few lines over the library."""

from __future__ import annotations

from lexgraph.cli.main import main

__all__ = ["main"]
