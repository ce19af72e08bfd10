"""The package's version and the User-Agent that every HTTP request of lexgraph sends."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lexgraph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

#: The project's home, named in the User-Agent so that a depositary or store can reach us.
HOME = "https://w3id.org/lexgraph/"


def user_agent(purpose: str) -> str:
    """The User-Agent for a request made for ``purpose`` (e.g. ``participation importer``).

    >>> user_agent("test").startswith("lexgraph/")
    True
    """
    return f"lexgraph/{__version__} ({purpose}; +{HOME})"
