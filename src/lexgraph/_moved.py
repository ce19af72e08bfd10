"""The module names of lexgraph 0.1's flat layout, still importable after the move to subpackages.

``from lexgraph.basis import find_basis`` keeps working: the old name is an alias of the module
that now holds the code (the same module object, so patching it patches the real one), or, for
a module whose contents were divided, a read-only view over the modules that hold them now.
Each such import warns once with a :class:`DeprecationWarning` naming the new place (for a
divided module, the one that holds its main names, listed first in :data:`MOVED`).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import types
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import importlib.abc

#: Old module (relative to ``lexgraph``) -> the modules that hold its names now, first one first.
MOVED: dict[str, tuple[str, ...]] = {
    "paths": ("core.paths",),
    "namespaces": ("core.namespaces",),
    "errors": ("core.errors",),
    "progress": ("core.progress",),
    "turtle": ("core.turtle", "core.atomic"),
    "sources": ("store.sources",),
    "inference": ("store.inference",),
    "validate": ("store.validate",),
    "build": ("store.build",),
    "library": ("store.library",),
    "query": ("store.query", "untrusted.free"),
    "safety": ("untrusted.gate",),
    "sandbox": ("untrusted.sandbox",),
    "basis": ("finder.basis", "finder.standing", "finder.coverage", "finder.gaps"),
    "tables": (
        "views.context",
        "views.instruments",
        "views.matrix",
        "views.parties",
        "views.timeline",
        "render.table",
    ),
    "subgraph": ("views.subgraph",),
    "stats": ("views.stats",),
    "citation": ("views.citation",),
    "formats": ("render.formats",),
    "basis_format": ("render.basis",),
    "figures": ("render.figures",),
    "brief": ("render.brief",),
    "site": ("render.site",),
    "viz": ("render.viz",),
    "viz.layout": ("render.viz.layout",),
    "viz.notebook": ("render.viz.notebook",),
    "viz.page": ("render.viz.page",),
    "release": ("publish.release",),
    "remote": ("publish.remote",),
    "ontodocs": ("publish.ontodocs",),
    "gateway": ("serve.app", "serve.settings", "serve.run"),
    "policy": ("serve.policy",),
    "server": ("serve.oxigraph",),
    "workers": ("serve.workers",),
}

#: Old names that stay public API (``lexgraph.viz.show`` in a notebook): no warning.
PUBLIC = frozenset({"viz"})

#: The subpackages, loaded on attribute access like ``lexgraph.store``.
SUBPACKAGES = frozenset(
    {
        "core",
        "store",
        "untrusted",
        "finder",
        "views",
        "render",
        "publish",
        "serve",
        "cli",
        "importers",
    }
)


class _View(types.ModuleType):
    """An old module whose names now live in several modules: reads go to the first that has it."""

    def __init__(self, name: str, targets: Sequence[types.ModuleType]) -> None:
        super().__init__(name, f"moved: see {', '.join(t.__name__ for t in targets)}")
        self._targets = tuple(targets)

    def __getattr__(self, attr: str) -> Any:
        for target in self._targets:
            if hasattr(target, attr):
                return getattr(target, attr)
        raise AttributeError(f"module {self.__name__!r} has no attribute {attr!r}")

    def __dir__(self) -> list[str]:
        return sorted({name for t in self._targets for name in dir(t)})


class _Alias:
    """The finder and loader of the old names (not an ``importlib.abc`` subclass: importing
    ``importlib.abc`` loads ``importlib.resources``, a fifth of a one-shot command's start)."""

    def __init__(self) -> None:
        # The import system stamps the alias's spec on the module it is given: the real
        # module's own spec and loader are kept here and put back (importlib.resources and
        # pickle read them).
        self._own: dict[str, tuple[Any, Any]] = {}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.startswith("lexgraph.") and fullname[len("lexgraph.") :] in MOVED:
            return importlib.machinery.ModuleSpec(fullname, cast("importlib.abc.Loader", self))
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        targets = [importlib.import_module(f"lexgraph.{t}") for t in MOVED[spec.name[9:]]]
        if spec.name[9:] not in PUBLIC:
            # A divided module names its main new home; ``help()`` of the view names them all.
            warnings.warn(
                f"{spec.name} has moved to {targets[0].__name__}",
                DeprecationWarning,
                stacklevel=2,
            )
        if len(targets) > 1:
            return _View(spec.name, targets)
        self._own[spec.name] = (targets[0].__spec__, getattr(targets[0], "__loader__", None))
        return targets[0]

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run (the module was loaded under its new name): restore its own spec."""
        own = self._own.pop(getattr(module.__spec__, "name", ""), None)
        if own is not None:
            module.__spec__, module.__loader__ = own


class _Package(types.ModuleType):
    """The ``lexgraph`` package: an old submodule's import never hides a public function.

    Importing ``lexgraph.query`` (the old module) would otherwise set the package's ``query``
    attribute to that module, replacing the public function :func:`lexgraph.query`.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and name in MOVED and "_EXPORTS" in vars(self):
            exports: dict[str, str] = vars(self)["_EXPORTS"]
            if name in exports:
                return
        super().__setattr__(name, value)


def submodule(name: str) -> types.ModuleType:
    """``lexgraph.<name>`` for an old module name or a subpackage; AttributeError otherwise."""
    if name in MOVED or name in SUBPACKAGES:
        return importlib.import_module(f"lexgraph.{name}")
    raise AttributeError(f"module 'lexgraph' has no attribute {name!r}")


def install() -> None:
    """Put the alias finder on ``sys.meta_path`` (once) and guard the package's public names."""
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.append(_Alias())
    package = sys.modules["lexgraph"]
    if not isinstance(package, _Package):
        package.__class__ = _Package
