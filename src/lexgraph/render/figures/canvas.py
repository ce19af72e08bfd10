"""What every figure shares: a matplotlib figure without pyplot, its caption, plain-text ticks.

A figure is a :class:`~matplotlib.figure.Figure` built without pyplot (so no GUI backend and
no global figure state), with its caption, the line that cites the dataset, along the bottom.
Texts from the data are drawn with ``parse_math=False``, so a ``$`` in a label is a dollar
sign, not the start of a formula.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def add_caption(fig: Figure, caption: str, notes: Sequence[str] = ()) -> None:
    """Write ``notes`` and then ``caption`` along the bottom of ``fig``, wrapped to its width."""
    width = max(60, int(fig.get_figwidth() * 17))
    text = "\n".join(textwrap.fill(t, width) for t in (*notes, caption) if t)
    fig.text(
        0.01, 0.01, text, fontsize=6.5, va="bottom", ha="left", parse_math=False, gid="caption"
    )


def wrap_words(text: str, width: int) -> str:
    """``text`` on lines of about ``width`` characters, broken between words only: a label is
    never cut mid-word (a word longer than ``width`` keeps a line of its own).

    >>> wrap_words("mutual legal assistance", 12)
    'mutual legal\\nassistance'
    """
    return "\n".join(
        textwrap.wrap(" ".join(text.split()), width, break_long_words=False, break_on_hyphens=False)
        or [""]
    )


def new_figure(width: float, height: float) -> Figure:
    """An empty figure of ``width`` x ``height`` inches on an Agg canvas (no pyplot, no GUI)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def label_ticks(ax: Axes) -> None:
    """Draw the tick labels of ``ax`` as plain text: a ``$`` in a label is not math."""
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_parse_math(False)
