"""Show a view inline in Jupyter, classic Notebook and JupyterLab.

The page goes into an ``<iframe srcdoc="...">``, with nothing to fetch: JupyterLab does not
reliably run the inline scripts of an HTML output, and pyvis's own ``show()`` writes a file
and points an iframe at it, which comes up blank where the notebook's server does not serve
that file (VS Code, Colab; the srcdoc frame should display there too, but the tests only
check the markup and that the frame draws in Chromium). The frame is sandboxed: its scripts
run in an origin of their own, and source links may open in a new tab.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lexgraph.core.errors import LexgraphError
from lexgraph.core.escape import html as _h
from lexgraph.core.paths import Layout
from lexgraph.core.version import __version__
from lexgraph.render.viz.page import page
from lexgraph.views.citation import citation_line
from lexgraph.views.subgraph import Subgraph

SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox"


@dataclass(frozen=True)
class NotebookView:
    """A page that a notebook displays inline through :meth:`_repr_html_`."""

    html: str = field(repr=False)
    title: str
    nodes: int
    edges: int
    height: int = 640

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{_h(self.html)}" '
            f'title="{_h(self.title)}" sandbox="{SANDBOX}" '
            f'style="width: 100%; height: {self.height}px; border: 1px solid #ddd;"></iframe>'
        )


def show(
    subgraph: Subgraph,
    *,
    title: str = "lexgraph",
    citation: str | None = None,
    seed: int = 7,
    physics: bool = False,
    height: int = 640,
) -> NotebookView:
    """Return ``subgraph``'s interactive page as an object that Jupyter displays inline.

    ``citation`` defaults to the project's citation line (from ``CITATION.cff``), or, where
    there is none, the lexgraph version.
    """
    if citation is None:
        try:
            citation = citation_line(Layout.default())
        except LexgraphError:
            citation = f"lexgraph {__version__}"
    text = page(subgraph, title=title, citation=citation, seed=seed, physics=physics)
    return NotebookView(text, title, len(subgraph.nodes), len(subgraph.edges), height)
