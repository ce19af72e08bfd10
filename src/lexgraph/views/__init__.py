"""The data behind what people look at: matrices, instrument lists, parties, timelines, subgraphs.

Views return plain rows and dataclasses; :mod:`lexgraph.render` turns them into files.
:mod:`~lexgraph.views.context` holds what every view is made of,
:mod:`~lexgraph.views.instruments` the instruments that reach a crime type,
:mod:`~lexgraph.views.parties` the participation records and standings,
:mod:`~lexgraph.views.matrix` the matrices and :mod:`~lexgraph.views.timeline` the timelines.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lexgraph.store.labels import short_name
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
    )
    from lexgraph.views.instruments import Coverage, coverage, instruments_table, modalities
    from lexgraph.views.matrix import Matrix, matrix_table, modality_matrix, participation_matrix
    from lexgraph.views.parties import STATUS_TEXT, parties_table, period_end, records, standings
    from lexgraph.views.timeline import Event, Timeline, timeline

#: Each public name and the module that defines it: loaded on first use, so that a command
#: that needs one view (or only the citation line) does not load them all.
_EXPORTS: dict[str, str] = {
    "Axis": "lexgraph.views.context",
    "Context": "lexgraph.views.context",
    "Coverage": "lexgraph.views.instruments",
    "Event": "lexgraph.views.timeline",
    "Matrix": "lexgraph.views.matrix",
    "STATUS_TEXT": "lexgraph.views.parties",
    "Table": "lexgraph.views.context",
    "Timeline": "lexgraph.views.timeline",
    "Used": "lexgraph.views.context",
    "caption_line": "lexgraph.views.context",
    "coverage": "lexgraph.views.instruments",
    "data_date": "lexgraph.views.context",
    "instruments_table": "lexgraph.views.instruments",
    "labels": "lexgraph.views.context",
    "matrix_table": "lexgraph.views.matrix",
    "modalities": "lexgraph.views.instruments",
    "modality_matrix": "lexgraph.views.matrix",
    "participation_matrix": "lexgraph.views.matrix",
    "parties_table": "lexgraph.views.parties",
    "period_end": "lexgraph.views.parties",
    "records": "lexgraph.views.parties",
    "region_states": "lexgraph.views.context",
    "resolve_region": "lexgraph.views.context",
    "short_name": "lexgraph.store.labels",
    "standings": "lexgraph.views.parties",
    "timeline": "lexgraph.views.timeline",
}


class _Package(types.ModuleType):
    """This package: importing the submodule ``lexgraph.views.timeline`` must not replace the
    function ``timeline`` that the package exports under the same name."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and name in _EXPORTS:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lexgraph.views' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


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
