"""The matrix figure: a heatmap of a matrix view, counts shaded and written, standings by colour."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from lexgraph.render.figures.canvas import add_caption, label_ticks, new_figure, wrap_words
from lexgraph.views.matrix import Matrix

if TYPE_CHECKING:
    from matplotlib.figure import Figure

STATUS_COLOURS = {
    "bound": "#1a9850",
    "consented": "#a6d96a",
    "signed": "#fee08b",
    "not a party": "#d73027",
    "denounced": "#f46d43",
    "unknown": "#e0e0e0",
}


def matrix_figure(matrix: Matrix, *, font: float = 7.0, caption: bool = True) -> Figure:
    """A heatmap of a matrix view: counts shaded and written, standings by colour.

    The figure is sized in inches from its content (cells, the longest labels, the caption),
    so that neither a 3 x 12 nor a 50 x 15 matrix wastes the page. Labels are wrapped between
    words, never cut. ``font`` is the size of the labels in points (a brief asks for 8, to print
    at its natural size); without ``caption`` the citation and notes are left to the page that
    holds the figure.
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    counts = matrix.counts is not None
    rows, cols = len(matrix.rows), len(matrix.columns)
    if counts:
        col_text = [wrap_words(c.short or c.label, 14) for c in matrix.columns]
        row_text = [wrap_words(r.short or r.label, 34) for r in matrix.rows]
        notes = matrix.notes
    else:
        col_text = [
            wrap_words(f"{c.short} (as at {c.note})" if c.note else c.short, 26)
            for c in matrix.columns
        ]
        row_text = [wrap_words(r.short or r.label, 30) for r in matrix.rows]
        notes = matrix.notes[-1:]
    char = 0.056 * font / 7  # inches per character, on average
    cell_w, cell_h = 0.42 * font / 7, max(0.24, 0.2 * font / 7 + 0.01)
    left = 0.25 + char * max((len(line) for t in row_text for line in t.split("\n")), default=10)
    top = 0.35 + char * max((len(line) for t in col_text for line in t.split("\n")), default=10)
    grid_w, grid_h = cell_w * max(cols, 1), cell_h * max(rows, 1)
    width = max(7.0, left + grid_w + top * 0.75 + 0.2)
    caption_lines = len(notes) + 1 + len(matrix.caption) // max(60, int(width * 17))
    below = 0.2 + 0.12 * caption_lines + (0.0 if counts else 0.35)
    height = 0.5 + top + grid_h + below
    fig = new_figure(width, height)
    ax = fig.add_axes((left / width, below / height, grid_w / width, grid_h / height))
    # The title goes above the column labels, wherever they end; saving crops the rest.
    ax.set_title(
        textwrap.fill(matrix.title, int(width * 13)), fontsize=9, loc="left", parse_math=False
    )
    if caption:
        add_caption(fig, matrix.caption, notes)
    if not rows or not cols:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "nothing in the graph for this view", ha="center", parse_math=False)
        return fig
    if matrix.counts is not None:
        values = [list(r) for r in matrix.counts]
        peak = max(max(r) for r in values) or 1
        ax.imshow(values, cmap="Blues", vmin=0, vmax=peak * 1.25, aspect="auto")
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                if value:
                    colour = "white" if value > peak * 0.6 else "black"
                    ax.text(j, i, str(value), ha="center", va="center", fontsize=font, color=colour)
    else:
        names = list(STATUS_COLOURS)
        index = [
            [names.index(c) if c in names else len(names) - 1 for c in r] for r in matrix.cells
        ]
        cmap = ListedColormap(list(STATUS_COLOURS.values()))
        ax.imshow(index, cmap=cmap, vmin=-0.5, vmax=len(names) - 0.5, aspect="auto")
        seen = {c for r in matrix.cells for c in r}
        fig.legend(
            handles=[Patch(color=STATUS_COLOURS[n], label=n) for n in names if n in seen],
            loc="lower left",
            bbox_to_anchor=(0.0, (below - 0.38) / height),
            ncols=6,
            fontsize=font,
            frameon=False,
        )
    ax.set_xticks(range(cols))
    # Upright, a label of several lines stays within its column; at 45 degrees it would not.
    ax.set_xticklabels(
        col_text, rotation=90, ha="center", va="bottom", fontsize=font, rotation_mode="default"
    )
    ax.xaxis.tick_top()
    ax.set_yticks(range(rows))
    ax.set_yticklabels(row_text, fontsize=font)
    ax.set_xticks([x - 0.5 for x in range(1, cols)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, rows)], minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    label_ticks(ax)
    return fig
