"""The matrices: instrument x modality for a crime type, state x instrument for a region.

- instrument x modality: the number of articles of each instrument that reaches the crime type
  (:func:`~lexgraph.views.instruments.coverage`) that provide the modality, directly or
  through a narrower one;
- state x instrument: where each state of an M49 region stands on the as-at date of the
  instrument's participation data (:func:`~lexgraph.views.parties.standings`), so that
  "unknown" is never shown as "not a party".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from lexgraph.core.paths import Layout
from lexgraph.store.labels import last_segment, short_name
from lexgraph.views.context import (
    Axis,
    Context,
    Table,
    Used,
    instrument_iri,
    region_states,
)
from lexgraph.views.instruments import coverage, modalities, via_text
from lexgraph.views.parties import OF_INSTRUMENT, standings


@dataclass(frozen=True)
class Matrix:
    """A matrix view: cell texts, and cell counts for a count matrix (else None)."""

    title: str
    corner: str
    rows: tuple[Axis, ...]
    columns: tuple[Axis, ...]
    cells: tuple[tuple[str, ...], ...]
    counts: tuple[tuple[int, ...], ...] | None
    caption: str
    used: tuple[Used, ...]
    notes: tuple[str, ...] = ()


def modality_matrix(
    crime: str, *, store: ox.Store | None = None, layout: Layout | None = None
) -> Matrix:
    """Instrument x modality for a crime type: how many articles provide each modality."""
    ctx = Context.of(store, layout)
    _, label, covering, used = coverage(ctx, crime)
    columns = modalities(ctx)
    rows = tuple(Axis(c.instrument, c.title, c.short, via_text(c)) for c in covering)
    counts = tuple(tuple(len(c.articles.get(m.iri, ())) for m in columns) for c in covering)
    return Matrix(
        title=f"Articles providing each cooperation modality, by instrument covering {label}",
        corner="instrument",
        rows=rows,
        columns=tuple(columns),
        cells=tuple(tuple(str(n) if n else "" for n in row) for row in counts),
        counts=counts,
        caption=ctx.caption(),
        used=(*used, Used("modality-scheme")),
        notes=("A cell counts the articles that provide the modality or a narrower one.",),
    )


def participation_matrix(
    region: str,
    *,
    instruments: Sequence[str] | None = None,
    store: ox.Store | None = None,
    layout: Layout | None = None,
) -> Matrix:
    """State x instrument for an M49 region: bound, signed or unknown as at the data's date.

    Columns are ``instruments`` (IRIs or keys), else every instrument with a record for a
    state of the region.
    """
    ctx = Context.of(store, layout)
    key, label, states = region_states(ctx, region)
    iris = None if instruments is None else [instrument_iri(ctx, i) for i in instruments]
    status, as_at, _ = standings(ctx, [s.iri for s in states], iris)
    columns = tuple(
        Axis(i, ctx.label(i), short_name(ctx.store, i), as_at[i])
        for i in (iris if iris is not None else sorted(as_at))
    )
    cells = tuple(tuple(status[(s.iri, c.iri)] for c in columns) for s in states)
    return Matrix(
        title=f"Participation of the states of {label} ({key}) as at each instrument's data",
        corner="state",
        rows=tuple(states),
        columns=columns,
        cells=cells,
        counts=None,
        caption=ctx.caption(),
        used=(
            Used("states-in-region", (("region", key),)),
            *(Used(OF_INSTRUMENT, (("instrument", last_segment(c.iri)),)) for c in columns),
        ),
        notes=(
            *(f"{c.short}: as at {c.note or 'no dated record'}" for c in columns),
            "'signed': a signature and no consent in the records; 'unknown': no record decides"
            " it, which is not 'not a party'.",
        ),
    )


def matrix_table(matrix: Matrix) -> Table:
    """A matrix as a table: one row per matrix row, its label first."""
    return Table(
        title=matrix.title,
        columns=(matrix.corner, *(c.short or c.label for c in matrix.columns)),
        rows=tuple((r.label, *cells) for r, cells in zip(matrix.rows, matrix.cells, strict=True)),
        caption=matrix.caption,
        used=matrix.used,
        notes=matrix.notes,
    )
