"""The instruments that reach a crime type, with their articles by modality.

Which instruments reach a crime type, and which articles provide a modality, is the finder's
coverage rule (:mod:`lexgraph.finder.coverage`), so that a brief, a table and the finder never
disagree; the dates come from the library's ``instrument-timeline`` question.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from lexgraph.core.namespaces import key_of
from lexgraph.core.paths import Layout
from lexgraph.core.terms import Dcterms
from lexgraph.core.turtle import natural_key
from lexgraph.finder.coverage import (
    Reach,
    articles,
    by_own_offences,
    own_offences_only,
    reaching,
    served,
)
from lexgraph.store.labels import short_name
from lexgraph.store.query import resolve_keyed
from lexgraph.store.walk import objects
from lexgraph.views.context import Axis, Context, Table, Used, cell

#: The order of the rows: what covers the crime itself, then a part of it, then all of it as a
#: broader type, then conventions reached through a protocol (the finder ranks its candidates
#: by :data:`~lexgraph.finder.coverage.RULES` instead: what binds for the whole crime first).
ROW_ORDER = {"direct": 0, "narrower": 1, "broader": 2, "protocol": 3}


@dataclass(frozen=True)
class Coverage:
    """An instrument that reaches a crime type, how, and its articles by modality."""

    instrument: str
    title: str
    via: str
    covered: tuple[str, ...]
    """The IRIs of the crime types (or protocols) through which it reaches the crime."""
    adopted: str
    in_force: str
    articles: Mapping[str, tuple[tuple[str, str], ...]]
    source: str
    short: str = ""
    """The instrument's short name (``lex:shortName``), for tables, figures and sentences."""
    covered_names: tuple[str, ...] = ()
    """The short names of :attr:`covered`, in the same order."""


def by_modality(store: ox.Store, instrument: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """The (number, heading) of the instrument's articles by each modality they provide."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for article in articles(store, instrument):
        for modality in served(store, article.provides):
            found[modality].add((article.number or "", article.heading or ""))
    return {
        modality: tuple(sorted(arts, key=lambda a: natural_key(a[0])))
        for modality, arts in sorted(found.items())
    }


def _beyond_own_offences(
    store: ox.Store,
    crime: ox.NamedNode,
    instrument: str,
    ways: list[Reach],
    provided: dict[str, tuple[tuple[str, str], ...]],
) -> bool:
    """Whether the instrument covers the crime only as part of a broader type while each of
    its modalities reaches only the offences it establishes (the finder's rule): CETS 196
    covers terrorism, but is not listed for hostage-taking."""
    if not provided or any(w.rule == "protocol" for w in ways):
        return False
    if by_own_offences(store, crime, instrument):
        return False
    return all(own_offences_only(store, instrument, m) for m in provided)


def _source(store: ox.Store, iri: str) -> str:
    sources = sorted(n.value for n in objects(store, ox.NamedNode(iri), Dcterms.source))
    return sources[0] if sources else ""


def coverage(ctx: Context, crime: str) -> tuple[str, str, list[Coverage], list[Used]]:
    """The instruments that reach ``crime`` (directly, through a broader or a narrower type,
    or as the convention under which a covering protocol's offences are established).

    A convention reached only through protocols is listed for the articles their offences
    inherit: without any cooperation article it has nothing to add, and is left out.
    """
    crime_node = resolve_keyed(ctx.store, "crime", crime)
    crime_key = key_of(crime_node.value).split("/", 1)[1]
    dates = {
        str(r["instrument"]): (first_date(r), cell(r["entryIntoForce"]))
        for r in ctx.rows("instrument-timeline")
    }
    found = []
    for instrument, ways in reaching(ctx.store, crime_node).items():
        provided = by_modality(ctx.store, instrument)
        if ways[0].rule == "protocol" and not provided:
            continue
        if _beyond_own_offences(ctx.store, crime_node, instrument, ways, provided):
            continue
        adopted, in_force = dates.get(instrument, ("", ""))
        covered = tuple(sorted({w.protocol or w.via for w in ways}))
        found.append(
            Coverage(
                instrument,
                ctx.label(instrument),
                ways[0].rule,
                covered,
                adopted,
                in_force,
                provided,
                _source(ctx.store, instrument),
                short_name(ctx.store, instrument),
                tuple(short_name(ctx.store, c) for c in covered),
            )
        )
    found.sort(key=lambda c: (ROW_ORDER[c.via], c.title, c.instrument))
    used = [
        Used("instruments-covering-crime", (("crime", crime_key),)),
        Used("protocols-of-convention"),
        Used("instruments-providing-modality"),
        Used("instrument-timeline"),
    ]
    return crime_node.value, ctx.label(crime_node.value), found, used


#: How a date that is the opening for signature, not the adoption, is written in a cell.
OPENED = "opened {date}"
OPENED_NOTE = (
    "'opened': the date the instrument was opened for signature, where the graph records no"
    " adoption date."
)


def first_date(row: Mapping[str, object]) -> str:
    """The first date of an ``instrument-timeline`` row: its adoption, else its opening for
    signature, written ``opened YYYY-MM-DD`` (:data:`OPENED`)."""
    date = cell(row["date"])
    return date if row["dated"] == "adopted" or not date else OPENED.format(date=date)


def modalities(ctx: Context) -> list[Axis]:
    """Every cooperation modality, in the scheme's order, with its broader one as note."""
    return [
        Axis(str(r["modality"]), cell(r["label"]), cell(r["label"]), key_of(cell(r["broader"])))
        for r in ctx.rows("modality-scheme")
    ]


def via_text(c: Coverage) -> str:
    """How the instrument reaches the crime, in words, with the crime types it covers."""
    covered = ", ".join(c.covered_names)
    return {
        "direct": "covers it",
        "narrower": f"covers a narrower type ({covered})",
        "broader": f"covers a broader type ({covered})",
        "protocol": f"offences of {covered} are established under it",
    }[c.via]


def _articles_text(c: Coverage, names: Mapping[str, str]) -> str:
    parts = []
    for modality, arts in c.articles.items():
        numbers = ", ".join(a for a, _ in arts)
        parts.append(f"{names.get(modality, key_of(modality))}: art. {numbers}")
    return "; ".join(parts)


def instruments_table(
    crime: str | None = None, *, store: ox.Store | None = None, layout: Layout | None = None
) -> Table:
    """The instruments covering a crime type with their articles by modality, else all
    instruments with their adoption and entry into force."""
    ctx = Context.of(store, layout)
    rows: tuple[tuple[str, ...], ...]
    if crime is None:
        rows = tuple(
            (
                short_name(ctx.store, str(r["instrument"])),
                cell(r["title"]),
                key_of(cell(r["instrument"])),
                first_date(r),
                cell(r["entryIntoForce"]),
            )
            for r in ctx.rows("instrument-timeline")
        )
        return Table(
            "Instruments in order of adoption (or opening for signature)",
            ("instrument", "title", "key", "adopted", "in force"),
            rows,
            ctx.caption(),
            (Used("instrument-timeline"),),
            (OPENED_NOTE,),
        )
    _, label, covering, used = coverage(ctx, crime)
    names = {m.iri: m.label for m in modalities(ctx)}
    rows = tuple(
        (c.short, via_text(c), c.adopted, c.in_force, _articles_text(c, names), c.source)
        for c in covering
    )
    return Table(
        f"Instruments covering {label} and their cooperation articles",
        ("instrument", "coverage", "adopted", "in force", "articles by modality", "source"),
        rows,
        ctx.caption(),
        tuple(used),
        (OPENED_NOTE,) if any(c.adopted.startswith("opened") for c in covering) else (),
    )
