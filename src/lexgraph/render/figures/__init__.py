"""Static figures for briefs: a network drawing, a matrix heatmap and a timeline.

Each figure is a matplotlib :class:`~matplotlib.figure.Figure` built without pyplot, with its
caption, the line that cites the dataset, along the bottom. The parts:
:mod:`~lexgraph.render.figures.canvas` holds what every figure shares, one module draws each
kind of figure (:mod:`~lexgraph.render.figures.network`, :mod:`~lexgraph.render.figures.matrix`,
:mod:`~lexgraph.render.figures.timeline`), and :mod:`~lexgraph.render.figures.save` writes SVG,
PNG or PDF deterministically.

matplotlib is imported inside the functions, so that ``import lexgraph`` and the CLI's other
commands do not pay for it.
"""

from lexgraph.render.figures.matrix import STATUS_COLOURS, matrix_figure
from lexgraph.render.figures.network import (
    KIND_COLOURS,
    KIND_NAMES,
    LABEL_SIZE,
    label_boxes,
    network_figure,
    network_title,
    node_label,
)
from lexgraph.render.figures.save import FIGURE_FORMATS, figure_format, figure_svg, save_figure
from lexgraph.render.figures.timeline import timeline_figure

__all__ = [
    "FIGURE_FORMATS",
    "KIND_COLOURS",
    "KIND_NAMES",
    "LABEL_SIZE",
    "STATUS_COLOURS",
    "figure_format",
    "figure_svg",
    "label_boxes",
    "matrix_figure",
    "network_figure",
    "network_title",
    "node_label",
    "save_figure",
    "timeline_figure",
]
