"""The site's pages: an entity's facts and relations, one section per query for each kind
of entity (instrument, crime type, modality, state), and the index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from lexgraph.core.escape import html as _h
from lexgraph.core.namespaces import ID
from lexgraph.core.turtle import natural_key
from lexgraph.finder.standing import Record
from lexgraph.render.site.data import SiteData, link, query_note, short
from lexgraph.render.site.frame import document, external, rel, section
from lexgraph.views import parties
from lexgraph.views.subgraph import Node, Subgraph


def _s(value: object) -> str:
    return "" if value is None else _h(value.isoformat() if hasattr(value, "isoformat") else value)


def _facts(data: SiteData, node: Node, subgraph: Subgraph, here: str) -> str:
    items = [f"<dt>{_h(name)}</dt><dd>{_h(value)}</dd>" for name, value in node.facts]
    items.append(f"<dt>IRI</dt><dd><code>{_h(node.iri)}</dd>".replace("</dd>", "</code></dd>"))
    if node.source:
        items.append(f"<dt>source</dt><dd>{external(node.source)}</dd>")
    relations = []
    for edge in subgraph.edges:
        if edge.label == "has article" or node.iri not in (edge.source, edge.target):
            continue
        if edge.source == node.iri:
            relations.append(f"<li>{_h(edge.label)} {link(data, edge.target, here)}</li>")
        else:
            relations.append(f"<li>{link(data, edge.source, here)} {_h(edge.label)} this</li>")
    out = f'<dl class="facts">{"".join(items)}</dl>'
    if relations:
        out += "<h2>Relations</h2><ul>" + "".join(sorted(set(relations))) + "</ul>"
    return out + '<p class="query">These facts and relations are drawn in the graph below.</p>'


def _records_section(data: SiteData, key: tuple[str, str], here: str) -> str:
    """The participation records of an instrument (by state) or of a state (by instrument),
    sorted by name; an act that several sources report is one row with all its sources."""
    kind, iri = key
    other = "state" if kind == "instrument" else "instrument"
    merged: dict[tuple[str, str, str, str], list[Record]] = defaultdict(list)
    for r in data.records_by.get(key, []):
        who = r.state if other == "state" else r.instrument
        merged[(who, r.act.kind, _s(r.act.date), _s(r.act.in_force))].append(r)

    def name(who: str) -> str:
        node = data.nodes.get(who)
        return (data.short_names.get(who) or (node.label if node else who)).casefold()

    rows = []
    for (who, act, date, in_force), found in sorted(
        merged.items(), key=lambda item: (name(item[0][0]), item[0][2] or "9", item[0][1])
    ):
        as_at = sorted({r.act.as_at for r in found if r.act.as_at})
        sources = sorted({("secondary: " if r.act.secondary else "") + external(r.act.source)
                          for r in found})  # fmt: skip
        rows.append([
            link(data, who, here), _h(act), _day(date), _day(in_force),
            "<br>".join(_day(a) for a in as_at), "<br>".join(sources),
        ])  # fmt: skip
    question = parties.PARTICIPATION if kind == "instrument" else parties.PARTICIPATION_OF_STATE
    note = query_note(data, here, question.name, {question.params[0].name: short(iri)})
    headers = [other, "act", "date", "in force for it", "as at", "sources"]
    return section("Participation records", headers, rows, note)


def _day(text: str) -> str:
    """A date cell that never wraps."""
    return f'<span class="date">{_h(text)}</span>' if text else ""


def _currency_section(data: SiteData, iri: str) -> str:
    """How current the instrument's participation data is: its latest complete status list."""
    found = data.currency.get(iri)
    if found is None:
        return section(
            "How current the participation data is",
            ["latest complete status list"],
            [[_h("none in the graph: run lexgraph update")]],
            "",
        )
    reported = "" if found.reported is None else str(found.reported)
    return section(
        "How current the participation data is",
        ["latest complete status list, as at", "parties recorded", "parties the list reports"],
        [[_h(found.as_at), _h(str(found.recorded)), _h(reported)]],
        '<p class="query">Parties recorded: participants with a consenting act in any record '
        "of the graph; parties the list reports: counted in the depositary's table itself at "
        "its date. Run <code>lexgraph update</code> for later data.</p>",
    )


def _instrument(data: SiteData, node: Node, here: str) -> str:
    iri = node.iri
    protocols = [
        [link(data, r["protocol"], here), _h("yes" if r["modality"] else "")]
        for r in _unique(data.group("protocols-of-convention", "instrument", iri), "protocol")
    ]
    convention = [
        [link(data, r["instrument"], here)]
        for r in _unique(data.group("protocols-of-convention", "protocol", iri), "instrument")
    ]
    modal = [
        [link(data, r["modality"], here), _h(r["article"]), _h(r["heading"] or "")]
        for r in data.group("modalities-of-instrument", "instrument", iri)
    ]
    reservations = [
        [link(data, r["state"], here), _h(r["article"] or ""), _h(r["effect"]),
         _h(r["asAt"] or ""), external(str(r["source"]))]
        for r in sorted(
            data.group("reservations-of-state", "instrument", iri),
            key=lambda r: (_name(data, str(r["state"])), natural_key(str(r["article"] or ""))),
        )
    ]  # fmt: skip
    parts = [
        section("Protocols supplementing it", ["protocol", "offences established under it"],
                 protocols, query_note(data, here, "protocols-of-convention",
                                        {"instrument": short(iri)})),
        section("Cooperation articles", ["modality", "article", "heading"], modal,
                 query_note(data, here, "modalities-of-instrument", {"instrument": short(iri)})),
        _records_section(data, ("instrument", iri), here),
        _currency_section(data, iri),
        section("Reservations and declarations", ["state", "article", "effect", "as at",
                 "source"], reservations,
                 query_note(data, here, "reservations-of-state", rows_of=_name(data, iri))),
    ]  # fmt: skip
    closed = [
        [link(data, r["organisation"], here, str(r["name"])),
         _h(f"art. {r['number']}" if r["number"] else ""), _day(str(r["asAt"] or ""))]
        for r in data.group("instruments-open-only-to-members", "instrument", iri)
    ]  # fmt: skip
    if closed:
        # Only where a restriction is recorded: a state that was not a member on a date the
        # organisation's list covers is shown as not a party (docs/legal-model.md section 5).
        note = query_note(data, here, "instruments-open-only-to-members", rows_of=_name(data, iri))
        parts.insert(
            0,
            section(
                "Open only to the member states of",
                ["organisation", "article that says so", "list of members as at"],
                closed,
                note,
            ),
        )
    if convention:
        note = query_note(data, here, "protocols-of-convention", rows_of=_name(data, iri))
        parts.insert(0, section("Convention it supplements", ["instrument"], convention, note))
    return "".join(parts)


def _name(data: SiteData, iri: str) -> str:
    """What people call ``iri``: its short name, else its label."""
    node = data.nodes.get(iri)
    return data.short_names.get(iri) or (node.label if node else short(iri))


def _article_links(data: SiteData, instrument: str, articles: list[str], here: str) -> str:
    """``art. 1, 2, 14``: each a link to the article's row on the instrument's page, in
    article order."""
    ordered = sorted(set(articles), key=natural_key)
    links = [link(data, instrument, here, text=a, anchor=f"art-{a}") for a in ordered]
    return "art. " + ", ".join(links) if links else ""


def _unique(rows: list[dict[str, object]], column: str) -> list[dict[str, object]]:
    seen: dict[object, dict[str, object]] = {}
    for row in rows:
        if row[column] not in seen or (
            row.get("modality") and not seen[row[column]].get("modality")
        ):
            seen[row[column]] = row
    return list(seen.values())


def _articles(data: SiteData, node: Node, subgraph: Subgraph, here: str) -> str:
    provides: dict[str, set[str]] = defaultdict(set)
    for row in data.group("modalities-of-instrument", "instrument", node.iri):
        provides[str(row["article"])].add(str(row["modality"]))
    criminalises: dict[str, set[str]] = defaultdict(set)
    for row in data.group("provisions-criminalising-crime", "instrument", node.iri):
        criminalises[str(row["provision"])].add(str(row["criminalised"]))
    articles = [
        n for n in subgraph.nodes if n.kind == "provision" and n.iri.startswith(node.iri + "/")
    ]
    rows = []
    for art in sorted(articles, key=lambda n: natural_key(n.iri)):
        facts = dict(art.facts)
        number = facts.get("article", short(art.iri))
        rows.append([
            f'<span id="art-{_h(number)}">{_h(number)}</span>',
            _h(facts.get("heading", "")),
            ", ".join(link(data, m, here) for m in sorted(provides.get(number, ()))),
            ", ".join(link(data, c, here) for c in sorted(criminalises.get(art.iri, ()))),
        ])  # fmt: skip
    note = query_note(
        data, here, "modalities-of-instrument", {"instrument": short(node.iri)}
    ) + query_note(data, here, "provisions-criminalising-crime", rows_of=_name(data, node.iri))
    return section("Articles", ["article", "heading", "provides for", "criminalises"], rows, note)


def _crime(data: SiteData, node: Node, here: str) -> str:
    iri, key = node.iri, short(node.iri)
    hierarchy = data.rows["crime-type-hierarchy"]
    broader = [r for r in hierarchy if r["crime"] == iri and r["broader"]]
    narrower = [r for r in hierarchy if r["broader"] == iri]
    tree = [[_h("broader"), link(data, r["broader"], here)] for r in broader]
    tree += [[_h("narrower"), link(data, r["crime"], here)] for r in narrower]
    covering = [
        [link(data, r["instrument"], here), _h(r["via"]), link(data, r["covered"], here)]
        for r in data.group("instruments-covering-crime", "crime", iri)
    ]
    criminal = [
        [link(data, r["instrument"], here), _h(r["article"]), _h(r["heading"] or ""),
         link(data, r["criminalised"], here)]
        for r in data.group("provisions-criminalising-crime", "crime", iri)
    ]  # fmt: skip
    iccs = [
        [_h(r["code"]), _h(r["label"]), _h(r["match"]), external(str(r["source"]))]
        for r in data.group("iccs-codes-for-crime", "crime", iri)
    ]
    soft = [
        [link(data, r["instrument"], here), _h(short(str(r["kind"])).rsplit("#", 1)[-1]),
         link(data, r["refersTo"], here) if r["refersTo"] else ""]
        for r in data.group("soft-law-for-crime", "crime", iri)
    ]  # fmt: skip
    p = {"crime": key}
    return "".join([
        section("Broader and narrower types", ["", "crime type"], tree,
                 query_note(data, here, "crime-type-hierarchy")),
        section("Instruments covering it", ["instrument", "how", "crime type covered"], covering,
                 query_note(data, here, "instruments-covering-crime", p)),
        section("Articles criminalising it", ["instrument", "article", "heading", "offence"],
                 criminal, query_note(data, here, "provisions-criminalising-crime", p)),
        section("ICCS codes", ["code", "label", "match", "source"], iccs,
                 query_note(data, here, "iccs-codes-for-crime", p)),
        section("Soft law", ["instrument", "kind", "refers to"], soft,
                 query_note(data, here, "soft-law-for-crime", p)),
    ])  # fmt: skip


def _modality(data: SiteData, node: Node, here: str) -> str:
    iri = node.iri
    scheme = [r for r in data.rows["modality-scheme"] if r["modality"] == iri]
    narrower = [r for r in data.rows["modality-scheme"] if r["broader"] == iri]
    tree = [[_h("broader"), link(data, r["broader"], here)] for r in scheme if r["broader"]]
    tree += [[_h("narrower"), link(data, r["modality"], here)] for r in narrower]
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in data.group("instruments-providing-modality", "modality", iri):
        grouped[(str(r["instrument"]), str(r["provided"]))].append(str(r["article"]))
    rows = [
        [link(data, instrument, here), _article_links(data, instrument, articles, here),
         link(data, provided, here)]
        for (instrument, provided), articles in sorted(
            grouped.items(), key=lambda item: (_name(data, item[0][0]), item[0][1])
        )
    ]  # fmt: skip
    return "".join([
        section("Broader and narrower modalities", ["", "modality"], tree,
                 query_note(data, here, "modality-scheme")),
        section("Articles providing it", ["instrument", "articles", "as"], rows,
                 query_note(data, here, "instruments-providing-modality",
                             {"modality": short(iri)})),
    ])  # fmt: skip


def _state(data: SiteData, node: Node, here: str) -> str:
    iri = node.iri
    regions = sorted(
        f"{data.regions.get(ID + 'region/' + str(r['region']), '')} ({r['region']})"
        for r in data.group("states-in-region", "state", iri)
    )
    instruments = sorted(
        {r.instrument for r in data.records_by.get(("state", iri), [])},
        key=lambda i: _name(data, i),
    )
    standing_rows = [
        [link(data, i, here), _h(data.status.get((iri, i), "")), _h(data.as_at.get(i, ""))]
        for i in instruments
    ]
    reservations = [
        [link(data, r["instrument"], here), _h(r["article"] or ""), _h(r["effect"]),
         _h(r["asAt"] or ""), external(str(r["source"]))]
        for r in sorted(
            data.group("reservations-of-state", "state", iri),
            key=lambda r: (_name(data, str(r["instrument"])), natural_key(str(r["article"] or ""))),
        )
    ]  # fmt: skip
    code = short(iri)
    return "".join([
        section("M49 regions", ["region"], [[_h(r)] for r in regions],
                 query_note(data, here, "states-in-region", rows_of=_name(data, iri))),
        section("Standing as at each instrument's data", ["instrument", "standing", "as at"],
                 standing_rows,
                 '<p class="query">Decided from the records below by the rules of the legal-basis '
                 "finder; 'unknown' is not 'not a party'.</p>"),
        _records_section(data, ("state", iri), here),
        section("Reservations and declarations", ["instrument", "article", "effect", "as at",
                 "source"], reservations,
                 query_note(data, here, "reservations-of-state", {"state": code})),
    ])  # fmt: skip


def entity_page(data: SiteData, node: Node, subgraph: Subgraph, here: str, citation: str) -> str:
    """The page of an entity: its facts, a section per query, its neighbourhood graph."""
    kind_name = {"instrument": "Instrument", "soft-law": "Soft-law instrument",
                 "crime": "Crime type", "modality": "Cooperation modality",
                 "state": "State"}.get(node.kind, node.kind)  # fmt: skip
    body = [f"<p>{_h(kind_name)}</p><h1>{_h(node.label)}</h1>", _facts(data, node, subgraph, here)]
    if node.kind in ("instrument", "soft-law"):
        body += [_articles(data, node, subgraph, here), _instrument(data, node, here)]
    elif node.kind == "crime":
        body.append(_crime(data, node, here))
    elif node.kind == "modality":
        body.append(_modality(data, node, here))
    else:
        body.append(_state(data, node, here))
    graph = quote(Path(here).stem + ".graph.html")
    body.append(
        f'<h2>Neighbourhood</h2><iframe class="graph" src="{graph}" '
        f'title="Neighbourhood of {_h(node.label)}" loading="lazy"></iframe>'
        f'<p class="query"><a href="{graph}">Open the graph on its own page</a>.</p>'
    )
    return document(node.label, here, "\n".join(body), citation)


def _roots(pairs: list[tuple[str, str | None]]) -> dict[str, str]:
    """The root of each node of a hierarchy given as (node, broader) pairs."""
    broader = {node: up for node, up in pairs if up}
    roots: dict[str, str] = {}
    for node, _ in pairs:
        seen, top = {node}, node
        while top in broader and broader[top] not in seen:
            top = broader[top]
            seen.add(top)
        roots[node] = top
    return roots


def _groups(data: SiteData) -> list[tuple[str, str, dict[str, list[str]]]]:
    """The index's sections: (id, title, {group name: [IRIs]}), each group sorted by name."""

    def page_nodes(*kinds: str) -> list[str]:
        return [i for i in data.paths if data.nodes[i].kind in kinds]

    def pairs(question: str, column: str) -> list[tuple[str, str | None]]:
        return [
            (str(r[column]), str(r["broader"]) if r["broader"] else None)
            for r in data.rows[question]
        ]

    crimes = _roots(pairs("crime-type-hierarchy", "crime"))
    modalities = _roots(pairs("modality-scheme", "modality"))
    sections: list[tuple[str, str, list[str], Callable[[str], str]]] = [
        ("crime-types", "Crime types, by family", page_nodes("crime"),
         lambda i: _name(data, crimes.get(i, i))),
        ("modalities", "Cooperation modalities", page_nodes("modality"),
         lambda i: _name(data, modalities.get(i, i))),
        ("instruments", "Instruments, by depositary or kind", page_nodes("instrument", "soft-law"),
         lambda i: data.families.get(i, "Other instruments")),
        ("states", "States, by region", page_nodes("state"),
         lambda i: data.continents.get(i, "Other")),
    ]  # fmt: skip
    out = []
    for anchor, title, iris, group_of in sections:
        groups: dict[str, list[str]] = defaultdict(list)
        for iri in iris:
            groups[group_of(iri)].append(iri)
        ordered = dict(sorted(groups.items(), key=lambda g: g[0].casefold()))
        alone = [m[0] for m in ordered.values() if len(m) == 1]
        if len(alone) > 1:  # a group of one says nothing: the lone ones are listed together
            ordered = {g: m for g, m in ordered.items() if len(m) > 1}
            ordered["Others" if ordered else ""] = alone
        for members in ordered.values():
            members.sort(key=lambda i: (_name(data, i).casefold(), i))
        out.append((anchor, title, ordered))
    return out


def index_page(data: SiteData, citation: str) -> str:
    """The index, organised by what people look for: crime types by family, modalities,
    instruments by depositary or kind, states by region, each with its count; a search box
    (the site's own script, no network) filters them as one types."""
    here = "index.html"
    groups = _groups(data)
    toc = " · ".join(
        f'<a href="#{a}">{_h(t)} ({sum(len(m) for m in g.values())})</a>' for a, t, g in groups
    )
    sections = []
    for anchor, title, grouped in groups:
        total = sum(len(m) for m in grouped.values())
        parts = [f'<section class="kind" id="{anchor}"><h2>{_h(title)} ({total})</h2>']
        for name, members in grouped.items():
            items = "".join(f"<li>{link(data, i, here)}</li>" for i in members)
            head = f"<h3>{_h(name)} ({len(members)})</h3>" if name else ""
            parts.append(f'<div class="group">{head}<ul class="columns">{items}</ul></div>')
        sections.append("".join(parts) + "</section>")
    queries = "".join(
        f'<li><a href="{rel(f"queries/{name}.rq", here)}">{_h(name)}.rq</a>: {_h(q.summary)}</li>'
        for name, q in sorted(data.used.items())
    )
    body = (
        "<h1>lexgraph</h1><p>The international legal instruments against crime: instruments "
        "and their articles, the crime types they cover, the cooperation modalities they "
        "provide for and the states that take part in them, with a source on every fact. "
        "Participation is shown as at the date of each source; a state without a record is "
        "'unknown', never 'not a party'.</p>"
        f'<p class="toc">{toc}</p>'
        '<p class="search"><label for="find">Find </label><input id="find" type="search" '
        'placeholder="a crime type, modality, instrument or state" autocomplete="off">'
        ' <span id="found" aria-live="polite"></span></p>'
        + "".join(sections)
        + f"<h2>Queries the pages ran</h2><ul>{queries}</ul>"
        + f'<script src="{rel("assets/search.js", here)}"></script>'
    )
    return document("lexgraph", here, body, citation)
