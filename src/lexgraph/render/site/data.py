"""The data of the site's pages: each query run once, its rows grouped by the entity they
concern, and the links and query notes made from them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from lexgraph.core.escape import html as _h
from lexgraph.core.namespaces import ID, key_of
from lexgraph.finder.standing import Record
from lexgraph.render.site.frame import page_path, rel
from lexgraph.store.library import LibraryQuery
from lexgraph.store.query import find_question
from lexgraph.views.context import Context, labels
from lexgraph.views.currency import Currency, currency
from lexgraph.views.parties import PARTICIPATION, PARTICIPATION_OF_STATE, records, standings
from lexgraph.views.subgraph import Node, Subgraph

PAGE_KINDS = {"instrument": "Instruments", "soft-law": "Soft law", "crime": "Crime types",
              "modality": "Cooperation modalities", "state": "States"}  # fmt: skip
#: Library questions the site runs, each once with its parameters free.
QUESTIONS = (
    "instruments-covering-crime",
    "provisions-criminalising-crime",
    "iccs-codes-for-crime",
    "soft-law-for-crime",
    "crime-type-hierarchy",
    "instruments-providing-modality",
    "modality-scheme",
    "modalities-of-instrument",
    "protocols-of-convention",
    "reservations-of-state",
    "states-in-region",
)


@dataclass
class SiteData:
    """Every query's rows, grouped by the entity they concern."""

    nodes: dict[str, Node]
    paths: dict[str, str]
    rows: dict[str, list[dict[str, object]]]
    by: dict[tuple[str, str, str], list[dict[str, object]]]
    records_by: dict[tuple[str, str], list[Record]]
    status: dict[tuple[str, str], str]
    as_at: dict[str, str]
    used: dict[str, LibraryQuery]
    regions: dict[str, str]
    #: How current each instrument's participation data is (:mod:`lexgraph.views.currency`).
    currency: dict[str, Currency] = field(default_factory=dict)

    def group(self, question: str, column: str, iri: str) -> list[dict[str, object]]:
        return self.by.get((question, column, iri), [])


def gather(ctx: Context, corpus: Subgraph) -> SiteData:
    """Run every query once and group its rows by the entities of ``corpus`` they name."""
    nodes = {n.iri: n for n in corpus.nodes}
    paths = {}
    for node in corpus.nodes:
        path = page_path(node.key) if node.kind in PAGE_KINDS else None
        if path and node.iri.startswith(ID):
            paths[node.iri] = path
    used = {q: find_question(ctx.layout.questions, q) for q in QUESTIONS}
    rows = {name: ctx.rows(question) for name, question in used.items()}
    by: dict[tuple[str, str, str], list[dict[str, object]]] = defaultdict(list)
    for name, found in rows.items():
        for row in found:
            for column, value in row.items():
                if isinstance(value, str) and value.startswith(ID):
                    by[(name, column, value)].append(row)
    every = records(ctx)
    records_by: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for rec in every:
        records_by[("instrument", rec.instrument)].append(rec)
        records_by[("state", rec.state)].append(rec)
    states = sorted(i for i, n in nodes.items() if n.kind == "state")
    status, as_at, _ = standings(ctx, states)
    used[PARTICIPATION.name] = PARTICIPATION
    used[PARTICIPATION_OF_STATE.name] = PARTICIPATION_OF_STATE
    regions = labels(ctx, "region")
    current = {c.instrument: c for c in currency(ctx.store)}
    return SiteData(
        nodes, paths, rows, dict(by), dict(records_by), status, as_at, used, regions, current
    )


def link(data: SiteData, iri: object, here: str, text: str | None = None) -> str:
    """A link to the page of ``iri`` from the page ``here``; its label alone if it has none."""
    iri = str(iri or "")
    node = data.nodes.get(iri)
    label = text or (node.label if node else key_of(iri))
    target = data.paths.get(iri)
    return f'<a href="{rel(target, here)}">{_h(label)}</a>' if target else _h(label)


def query_note(
    data: SiteData, here: str, name: str, params: Mapping[str, str] | None = None
) -> str:
    """The note under a section: the query file it ran and the command that reruns it."""
    params = params or {}
    args = "".join(f" -p {k}={v}" for k, v in params.items())
    bound = ", ".join(f"{k} = {v}" for k, v in params.items())
    href = rel(f"queries/{name}.rq", here)
    return (
        f'<p class="query">Query: <a href="{href}">{_h(name)}.rq</a>'
        + (f" with {_h(bound)}" if bound else "")
        + f"; to rerun: <code>{_h(f'lexgraph query {name}{args}')}</code></p>"
    )


def short(iri: str) -> str:
    """The last segment of an instance's key: ``untoc`` for ``id/instrument/untoc``."""
    return key_of(iri).split("/", 1)[-1]
