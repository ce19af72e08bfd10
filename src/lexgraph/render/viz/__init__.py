"""Interactive pages of the graph: self-contained HTML, and the same view inline in Jupyter."""

from lexgraph.render.viz.focus import focus_page
from lexgraph.render.viz.layout import positions
from lexgraph.render.viz.notebook import NotebookView, show
from lexgraph.render.viz.page import page, title_for, write_page

__all__ = ["NotebookView", "focus_page", "page", "positions", "show", "title_for", "write_page"]
