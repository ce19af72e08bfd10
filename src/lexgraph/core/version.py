"""The package's version (the User-Agent that HTTP requests send is in ``core/http.py``).

``__version__`` is read from the installed package's metadata on first use (PEP 562), not at
import: ``importlib.metadata`` alone takes longer to load than a library question takes to
answer, and most commands never print the version.
"""

from __future__ import annotations

import functools

__version__: str  # set by __getattr__ on first use


@functools.cache
def _installed() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lexgraph")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _installed()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
