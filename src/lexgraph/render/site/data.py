"""The data of the site's pages: each query run once, its rows grouped by the entity they
concern, and the links and query notes made from them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from lexgraph.core.escape import html as _h
from lexgraph.core.namespaces import ID, key_of
from lexgraph.finder.standing import Record
from lexgraph.render.site.frame import page_path, rel
from lexgraph.store.labels import short_name
from lexgraph.store.library import LibraryQuery
from lexgraph.store.query import execute, find_question
from lexgraph.views import parties
from lexgraph.views.context import Context, labels
from lexgraph.views.currency import Currency, currency
from lexgraph.views.parties import records, standings
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
    "instruments-open-only-to-members",
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
    #: The short name of each instrument (what links and tables call it).
    short_names: dict[str, str] = field(default_factory=dict)
    #: Each instrument's family on the index: its depositary, or its kind of soft law.
    families: dict[str, str] = field(default_factory=dict)
    #: The continental M49 region (Africa, Americas, Asia, Europe, Oceania) of each state.
    continents: dict[str, str] = field(default_factory=dict)
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
    # The participation views are read from queries/views/ when first asked for, not on import.
    for view in (parties.PARTICIPATION, parties.PARTICIPATION_OF_STATE):
        used[view.name] = view
    regions = labels(ctx, "region")
    short_names = {
        i: short_name(ctx.store, i)
        for i, n in nodes.items()
        if n.kind in ("instrument", "soft-law")
    }
    continents = {}
    for row in rows["states-in-region"]:
        key = str(row.get("region") or "")
        if key in CONTINENTS and isinstance(row.get("state"), str):
            continents[str(row["state"])] = regions.get(ID + "region/" + key, key)
    return SiteData(
        nodes, paths, rows, dict(by), dict(records_by), status, as_at, used, regions,
        short_names, families(ctx), continents, {c.instrument: c for c in currency(ctx.store)},
    )  # fmt: skip


#: The M49 regions the index groups states by.
CONTINENTS = ("m49-002", "m49-019", "m49-142", "m49-150", "m49-009")

_FAMILIES = """
PREFIX lex: <https://w3id.org/lexgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?instrument ?depositary ?kind WHERE {
  ?instrument a lex:Instrument .
  OPTIONAL { ?instrument lex:depositary/skos:prefLabel ?depositary
             FILTER(LANGMATCHES(LANG(?depositary), "en")) }
  OPTIONAL { ?instrument a ?class . VALUES ?class { lex:Resolution lex:Declaration lex:Standard }
             ?class skos:prefLabel|<http://www.w3.org/2000/01/rdf-schema#label> ?kind
             FILTER(LANGMATCHES(LANG(?kind), "en")) }
}
"""


def families(ctx: Context) -> dict[str, str]:
    """Each instrument's family on the index: "Deposited with <depositary>", its kind of soft
    law (resolutions, declarations, standards), or "Other instruments"."""
    depositaries: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, str] = {}
    for row in execute(ctx.store, _FAMILIES, {}, "families").values():
        iri = str(row["instrument"])
        if row["depositary"] is not None:
            depositaries[iri].add(str(row["depositary"]))
        if row["kind"] is not None:
            kinds.setdefault(iri, str(row["kind"]))
        kinds.setdefault(iri, "")
    found: dict[str, str] = {}
    for iri, kind in kinds.items():
        named = sorted(depositaries.get(iri, ()))
        if len(named) == 1:
            found[iri] = f"Deposited with the {named[0]}"
        elif named and all(n.startswith("Government of") for n in named):
            found[iri] = "Deposited with several governments"
        elif named:
            found[iri] = "Deposited with several depositaries"
        else:
            found[iri] = kind[:1].upper() + kind[1:] + "s" if kind else "Other instruments"
    return found


def link(data: SiteData, iri: object, here: str, text: str | None = None, anchor: str = "") -> str:
    """A link to the page of ``iri`` from the page ``here`` (at ``anchor``, if given), named
    by its short name with its full title as a tooltip; its name alone if it has no page."""
    iri = str(iri or "")
    node = data.nodes.get(iri)
    full = node.label if node else key_of(iri)
    label = text or data.short_names.get(iri) or full
    title = f' title="{_h(full)}"' if full != label else ""
    target = data.paths.get(iri)
    if not target:
        return _h(label)
    href = rel(target, here) + (f"#{quote(anchor)}" if anchor else "")
    return f'<a href="{href}"{title}>{_h(label)}</a>'


def query_note(
    data: SiteData,
    here: str,
    name: str,
    params: Mapping[str, str] | None = None,
    *,
    rows_of: str | None = None,
) -> str:
    """The note under a section: the query file it ran and the command that reruns it.

    The command is complete: it binds every parameter the question declares, from ``params``;
    a section that shows the rows of one entity out of the question's whole answer
    (``rows_of`` names that entity) gives the command for the whole answer, ``--all``.
    """
    params = dict(params or {})
    question = data.used[name]
    declared = [p.name for p in question.params]
    if rows_of is None and sorted(params) != sorted(declared):
        raise ValueError(f"{name}: the rerun command must bind {declared}, not {sorted(params)}")
    href = rel(f"queries/{name}.rq", here)
    if rows_of is not None:
        command = f"lexgraph query {name}" + (" --all" if declared else "")
        what = f"; this section shows its rows for {rows_of}"
    else:
        command = f"lexgraph query {name}" + "".join(f" -p {k}={v}" for k, v in params.items())
        what = ""
    return (
        f'<p class="query">Query: <a href="{href}">{_h(name)}.rq</a>{_h(what)}; '
        f"to rerun: <code>{_h(command)}</code></p>"
    )


def short(iri: str) -> str:
    """The last segment of an instance's key: ``untoc`` for ``id/instrument/untoc``."""
    return key_of(iri).split("/", 1)[-1]
