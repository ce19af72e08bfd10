"""What every view is made of: the store and layout it reads, its parts, its caption.

A view runs library questions (``queries/questions/``) or the finder's rules on a
:class:`Context`, and returns plain dataclasses: :class:`Table` rows, :class:`Axis` rows and
columns, and the queries it ran (:class:`Used`), each view carrying the caption that cites the
dataset and the date of its data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import ID
from lexgraph.core.paths import Layout
from lexgraph.core.suggest import close_matches
from lexgraph.core.terms import Lex
from lexgraph.store import labels as graph_labels
from lexgraph.store.labels import last_segment
from lexgraph.store.library import LibraryQuery
from lexgraph.store.manifest import recorded_date
from lexgraph.store.memory import memory_store
from lexgraph.store.query import (
    Result,
    execute,
    find_question,
    resolve_keyed,
    substitutions,
)
from lexgraph.store.walk import instances
from lexgraph.views.citation import citation_line


@dataclass(frozen=True)
class Used:
    """A query a view ran, with the parameter values it stands for (for links and reruns)."""

    name: str
    params: tuple[tuple[str, str], ...] = ()

    def command(self) -> str:
        """The command line that gives the same rows."""
        args = "".join(f" -p {k}={v}" for k, v in self.params)
        return f"lexgraph query {self.name}{args}"


@dataclass(frozen=True)
class Axis:
    """A row or column of a matrix: the IRI, a full label, a short one and a note."""

    iri: str
    label: str
    short: str
    note: str = ""


@dataclass(frozen=True)
class Table:
    """A table view: a header row, text rows, the caption citing the dataset, the queries."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str
    used: tuple[Used, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    """A store, the layout whose questions and citation are used, and the caption."""

    store: ox.Store
    layout: Layout

    @classmethod
    def of(cls, store: ox.Store | None = None, layout: Layout | None = None) -> Context:
        layout = layout or Layout.default()
        return cls(store if store is not None else memory_store(layout.store), layout)

    def run(self, question: str | LibraryQuery, params: Mapping[str, str] | None) -> Result:
        """Run a question bound to ``params``, or with every parameter free when None."""
        found = (
            question
            if isinstance(question, LibraryQuery)
            else find_question(self.layout.questions, question)
        )
        if params is None:
            return execute(self.store, found.text, {}, found.name)
        return execute(self.store, found.text, substitutions(self.store, found, params), found.name)

    def rows(
        self, question: str | LibraryQuery, params: Mapping[str, str] | None = None
    ) -> list[dict[str, object]]:
        return self.run(question, params).values()

    def caption(self) -> str:
        return caption_line(self.layout, self.store)

    def label(self, iri: str) -> str:
        """The label of a node (:mod:`lexgraph.store.labels`)."""
        return graph_labels.label(self.store, iri)


def data_date(layout: Layout, store: ox.Store) -> str | None:
    """The date of the data: the build's recorded date, else the dataset's ``dcterms:modified``.

    The same rule as the release's date (:func:`~lexgraph.store.manifest.recorded_date`),
    without its last resort, the file's modification time: a caption must not change when a
    file is copied.
    """
    return recorded_date(store, layout.store.resolve().parent / "build-info.json")


def caption_line(layout: Layout, store: ox.Store) -> str:
    """The line every figure and table carries: the dataset citation and the data's date."""
    when = data_date(layout, store)
    return f"Source: {citation_line(layout)}" + (f" Data of {when}." if when else "")


def cell(value: object) -> str:
    """The text of a value in a view's cell: empty for None, ISO for a date."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def labels(ctx: Context, kind: str) -> dict[str, str]:
    """The labels of the instances of one kind that have one, by IRI."""
    return graph_labels.labels(ctx.store, f"{ID}{kind}/")


def instrument_iri(ctx: Context, value: str) -> str:
    """The IRI of an instrument given by key, IRI or label."""
    return resolve_keyed(ctx.store, "instrument", value.removeprefix(ID + "instrument/")).value


def resolve_region(ctx: Context, value: str) -> tuple[str, str, str]:
    """Resolve an M49 region given by key (``m49-150``), code (``150``) or name.

    Returns the region's IRI, key and English label.
    """
    regions = {node.value: last_segment(node.value) for node in instances(ctx.store, Lex.Region)}
    names_by_iri = labels(ctx, "region")
    text = value.strip()
    wanted = text.casefold()
    for iri, key in sorted(regions.items()):
        label = names_by_iri.get(iri, key)
        if wanted in (key.casefold(), iri.casefold(), f"m49-{text}".casefold(), label.casefold()):
            return iri, key, label
    names = sorted(names_by_iri.get(i, k) for i, k in regions.items())
    close = close_matches(text, names)
    hint = f"; did you mean {', '.join(close)}?" if close else "; give a key like m49-150 or a name"
    raise InputError(f"unknown region {value!r}{hint}")


def region_states(ctx: Context, region: str) -> tuple[str, str, list[Axis]]:
    """The states of an M49 region: the region's key and label, and one axis per state."""
    _, key, label = resolve_region(ctx, region)
    states = [
        Axis(str(r["state"]), cell(r["name"]), cell(r["alpha3"]))
        for r in ctx.rows("states-in-region", {"region": key})
    ]
    return key, label, sorted(states, key=lambda s: (s.label, s.iri))
