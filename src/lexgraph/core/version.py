"""The package's version (the User-Agent that HTTP requests send is in ``core/http.py``)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lexgraph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
