"""Interactive pages of the graph: self-contained HTML, and the same view inline in Jupyter."""

from .layout import positions
from .notebook import NotebookView, show
from .page import page, title_for, write_page

__all__ = ["NotebookView", "page", "positions", "show", "title_for", "write_page"]
