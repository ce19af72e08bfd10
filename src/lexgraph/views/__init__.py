"""The data behind what people look at: matrices, instrument lists, parties, timelines, subgraphs.

Views return plain rows and dataclasses; :mod:`lexgraph.render` turns them into files.
:mod:`~lexgraph.views.context` holds what every view is made of,
:mod:`~lexgraph.views.instruments` the instruments that reach a crime type,
:mod:`~lexgraph.views.parties` the participation records and standings,
:mod:`~lexgraph.views.matrix` the matrices and :mod:`~lexgraph.views.timeline` the timelines.
"""

from lexgraph.views.context import (
    Axis,
    Context,
    Table,
    Used,
    caption_line,
    data_date,
    labels,
    region_states,
    resolve_region,
    short_name,
)
from lexgraph.views.instruments import Coverage, coverage, instruments_table, modalities
from lexgraph.views.matrix import Matrix, matrix_table, modality_matrix, participation_matrix
from lexgraph.views.parties import STATUS_TEXT, parties_table, period_end, records, standings
from lexgraph.views.timeline import Event, Timeline, timeline

__all__ = [
    "STATUS_TEXT",
    "Axis",
    "Context",
    "Coverage",
    "Event",
    "Matrix",
    "Table",
    "Timeline",
    "Used",
    "caption_line",
    "coverage",
    "data_date",
    "instruments_table",
    "labels",
    "matrix_table",
    "modalities",
    "modality_matrix",
    "participation_matrix",
    "parties_table",
    "period_end",
    "records",
    "region_states",
    "resolve_region",
    "short_name",
    "standings",
    "timeline",
]
