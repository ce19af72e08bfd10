"""Saving figures as SVG, PNG or PDF, deterministically: the same figure gives the same bytes.

The SVG ids are salted with a constant and no creation date is written.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from lexgraph.core.errors import InputError
from lexgraph.render.output import write_output

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FIGURE_FORMATS = ("svg", "png", "pdf")


@contextmanager
def _deterministic() -> Iterator[None]:
    """Salt the SVG ids with a constant, so that the same figure gives the same bytes, and
    write text as text (``svg.fonttype = 'none'``): it can be searched, selected and edited,
    and a reader's font draws it."""
    import matplotlib

    with matplotlib.rc_context():
        matplotlib.rcParams["svg.hashsalt"] = "lexgraph"
        matplotlib.rcParams["svg.fonttype"] = "none"
        yield


def figure_format(path: Path) -> str:
    """The output format named by a file's suffix, one of :data:`FIGURE_FORMATS`."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FIGURE_FORMATS:
        raise InputError(f"{path}: give a file ending in .svg, .png or .pdf")
    return fmt


def _metadata(fmt: str) -> dict[str, str | None]:
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None, "ModDate": None}
    return {}


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """``fig`` as a file of the format ``fmt`` (one of :data:`FIGURE_FORMATS`), the same bytes
    for the same figure.

    The page is cropped to what is drawn, so the estimates that size a figure from its
    labels leave no empty margins.
    """
    out = io.BytesIO()
    with _deterministic():
        fig.savefig(out, format=fmt, metadata=_metadata(fmt), bbox_inches="tight", pad_inches=0.1)
    return out.getvalue()


def save_figure(fig: Figure, path: Path) -> Path:
    """Write ``fig`` as SVG, PNG or PDF (by the suffix), byte-identical for the same figure,
    atomically: a failure leaves the old file or the new one, never a part."""
    write_output({path: figure_bytes(fig, figure_format(path))})
    return path


def figure_svg(fig: Figure) -> str:
    """The figure as an ``<svg>`` element to put inline in an HTML page."""
    text = figure_bytes(fig, "svg").decode("utf-8")
    return text[text.index("<svg") :]
