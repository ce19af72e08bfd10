"""The package's tree is its architecture: imports run one way, no cycle, no module too long."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "lexgraph"

#: Each part and the parts it may import, lowest first. ``cli`` sits on top of everything.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "store": {"core"},
    "untrusted": {"core", "store"},
    "importers": {"core", "store"},
    "finder": {"core", "store"},
    "views": {"core", "store", "finder"},
    "render": {"core", "store", "finder", "views"},
    "publish": {"core", "store", "views"},
    "serve": {"core", "store", "untrusted", "publish", "views", "render"},
    "mcp": {"core", "store", "untrusted", "finder", "views", "render"},
    "cli": {
        "core",
        "store",
        "untrusted",
        "importers",
        "finder",
        "views",
        "render",
        "publish",
        "serve",
        "mcp",
    },
}
#: The longest a module may be, in lines (house style: a few hundred at most).
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path) -> set[str]:
    """Every ``lexgraph`` module that the module imports, at any depth of its code."""
    is_package = path.name == "__init__.py"
    package = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "lexgraph"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "lexgraph":
                continue
            modules = _modules()
            for alias in node.names:
                child = f"{target}.{alias.name}"
                found.add(child if child in modules else target)
    return found


def _part(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None


def test_parts_import_only_the_parts_below_them() -> None:
    """No module imports a part above its own, or a part it has no business with."""
    wrong = []
    for name, path in _modules().items():
        part = _part(name)
        if part is None:
            continue
        for target in _imports(name, path):
            other = _part(target)
            if other is not None and other != part and other not in ALLOWED[part]:
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_no_import_cycle() -> None:
    """The module import graph (lazy imports inside functions included) has no cycle."""
    modules = _modules()
    graph = {n: {t for t in _imports(n, p) if t in modules and t != n} for n, p in modules.items()}
    graph = {n: {t for t in ts if not n.startswith(t + ".")} for n, ts in graph.items()}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_no_module_reads_the_version_from_the_package() -> None:
    """The version comes from ``lexgraph.core.version``, never from ``lexgraph/__init__.py``."""
    offenders = [
        name
        for name, path in _modules().items()
        if name != "lexgraph" and "lexgraph" in _imports(name, path)
    ]
    assert offenders == []


@pytest.mark.parametrize("name", sorted(_modules()))
def test_module_is_short(name: str) -> None:
    """Every module is at most 500 lines: one concern each."""
    lines = _modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines"


def test_import_lexgraph_loads_nothing_else() -> None:
    """``import lexgraph`` loads the version and the aliases only; the API loads on first use."""
    code = (
        "import sys, lexgraph\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('lexgraph', 'rdflib', 'pyoxigraph', 'matplotlib', 'click')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = out.stdout.strip()
    assert loaded == "['lexgraph', 'lexgraph._moved', 'lexgraph.core', 'lexgraph.core.version']"


def test_old_module_paths_still_import() -> None:
    """A 0.1 import path (``lexgraph.basis``) gives the moved module and warns of the move."""
    code = (
        "import warnings\n"
        "warnings.simplefilter('error')\n"
        "import lexgraph\n"
        "try:\n"
        "    import lexgraph.basis\n"
        "except DeprecationWarning as w:\n"
        "    print('warned', w)\n"
        "warnings.simplefilter('ignore')\n"
        "from lexgraph.basis import find_basis\n"
        "from lexgraph.query import free_query, open_store\n"
        "from lexgraph.publish import publish\n"
        "import lexgraph.query, lexgraph.build\n"
        "print(find_basis.__module__, free_query.__module__, publish.__module__)\n"
        "print(callable(lexgraph.query), callable(lexgraph.build), lexgraph.viz.__name__)\n"
        "from importlib import resources\n"
        "print(resources.files(lexgraph.viz.__spec__.name).joinpath('templates').is_dir())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert lines[0] == "warned lexgraph.basis has moved to lexgraph.finder.basis"
    assert lines[1] == "lexgraph.finder.basis lexgraph.untrusted.free lexgraph.publish.graphstore"
    assert lines[2] == "True True lexgraph.render.viz"
    assert lines[3] == "True"


def test_a_submodule_import_never_hides_an_exported_function() -> None:
    """Importing ``lexgraph.views.timeline`` (the module) leaves ``lexgraph.views.timeline``
    the function the package exports, as the lazy package promises."""
    code = (
        "import lexgraph.views.timeline\n"
        "from lexgraph.views import timeline\n"
        "print(callable(timeline), type(timeline).__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True function"
