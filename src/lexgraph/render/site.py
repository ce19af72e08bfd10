"""A browsable static site of the graph: an index and a page per instrument, crime type,
modality and state.

Each page shows the entity's facts and relations (from :func:`lexgraph.views.subgraph.select` at
depth 1, the selection the embedded graph draws too), then one section per query: the rows of
a library question (``queries/questions/``) or of the participation view
(:data:`lexgraph.views.PARTICIPATION`) that concern the entity, each section linking to the
``.rq`` file, which the site carries under ``queries/``, and giving the command that reruns it.

Every link is relative, so the site works from ``file://`` and from any static host; pages
load nothing from the network; every text from the data is escaped, and only http(s) sources
become links. The output is deterministic and switched in atomically: it is written into a
temporary directory beside the target, which then replaces the previous site in two renames.

Speed: the site runs each query once, with its parameters free, and groups the rows by
entity; it works on an in-memory copy of the store. :func:`select` reads every participation
record whenever a state is in focus, so the state pages select from the graph with only that
state's records: the same subgraph at depth 1, as other states are not drawn.

The interactive pages that the graphs are made of inline vis-network (about 0.7 MB each);
the site moves the large inline scripts and styles of each graph page into shared files under
``assets/`` (named by their SHA-256) and lets the page's Content-Security-Policy load
same-origin files, so that 380 graphs do not weigh 280 MB.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from lexgraph.core.atomic import replace_directory
from lexgraph.core.errors import InputError
from lexgraph.core.escape import html as _h
from lexgraph.core.namespaces import ID, PREFIXES, key_of
from lexgraph.core.paths import Layout
from lexgraph.core.version import __version__
from lexgraph.finder.standing import Record
from lexgraph.store.library import LibraryQuery
from lexgraph.store.query import find_question
from lexgraph.views.context import Context, labels
from lexgraph.views.parties import PARTICIPATION, PARTICIPATION_OF_STATE, records, standings
from lexgraph.views.subgraph import Node, Subgraph, select

MARKER = ".lexgraph-site"
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
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_HOIST_MIN = 8192
_CSS = """\
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 1.5rem}
body{color:#222}
a{color:#0b57a4}nav.crumbs{font-size:.9em;margin-bottom:.5rem}h1{font-size:1.5em;margin:.2em 0}
h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.4em 0;font-size:.92em}
th,td{border:1px solid #ddd;padding:.2em .45em;text-align:left;vertical-align:top}
th{background:#f4f4f4}dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em}
dl.facts dt{font-weight:600}p.query{font-size:.85em;color:#555}code{font-size:.92em}
iframe.graph{width:100%;height:36rem;border:1px solid #ccc}
footer{margin-top:2em;font-size:.85em;color:#555}
ul.columns{columns:16rem}
"""


@dataclass(frozen=True)
class SiteResult:
    """What :func:`write_site` wrote, and how long it took."""

    directory: Path
    pages: int
    graphs: int
    queries: int
    seconds: float


GraphWriter = Callable[[Subgraph, Path, str, str], None]


def write_graph(subgraph: Subgraph, path: Path, title: str, citation: str) -> None:
    """Write the interactive page of a neighbourhood beside the page that embeds it."""
    from lexgraph.render.viz import page

    path.write_text(page(subgraph, title=title, citation=citation, seed=7), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Paths and HTML


def page_path(node_key: str) -> str | None:
    """The site path of an entity's page (``instrument/untoc.html``), or None if it has none.

    A key segment that is not a plain file name is replaced by its hash, so that no key can
    climb out of the site or collide with another.
    """
    parts = node_key.split("/")
    if len(parts) != 2 or not parts[0].isalpha():
        return None
    name = parts[1]
    if not _SAFE.fullmatch(name) or name in (".", ".."):
        name = "k-" + hashlib.sha256(name.encode()).hexdigest()[:16]
    return f"{parts[0]}/{name}.html"


def _rel(target: str, here: str) -> str:
    """A relative URL from the page ``here`` to the site path ``target``."""
    up = "../" * here.count("/")
    return quote(up + target)


def _external(url: str | None) -> str:
    if url and re.match(r"^https?://[^\s<>\"]+$", url, re.IGNORECASE):
        return f'<a href="{_h(url)}" rel="noopener noreferrer">{_h(url)}</a>'
    return _h(url or "")


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """An HTML table of cells that are already HTML (escaped by the caller)."""
    out = ["<table><thead><tr>", *(f"<th>{_h(h)}</th>" for h in headers), "</tr></thead><tbody>"]
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    out.append("</tbody></table>")
    return "".join(out)


def _document(title: str, here: str, body: str, citation: str) -> str:
    up = "../" * here.count("/")
    csp = (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
        "child-src 'self'"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="lexgraph {_h(__version__)}">\n'
        f"<title>{_h(title)} · lexgraph</title>\n"
        f'<link rel="stylesheet" href="{up}assets/site.css">\n</head>\n<body>\n'
        f'<nav class="crumbs"><a href="{up}index.html">lexgraph</a></nav>\n'
        f"{body}\n<footer><p>{_h(citation)}</p></footer>\n</body>\n</html>\n"
    )


# ---------------------------------------------------------------------------------------------
# The data of the pages


@dataclass
class _Data:
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

    def group(self, question: str, column: str, iri: str) -> list[dict[str, object]]:
        return self.by.get((question, column, iri), [])


def _gather(ctx: Context, corpus: Subgraph) -> _Data:
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
    return _Data(nodes, paths, rows, dict(by), dict(records_by), status, as_at, used, regions)


def _link(data: _Data, iri: object, here: str, text: str | None = None) -> str:
    iri = str(iri or "")
    node = data.nodes.get(iri)
    label = text or (node.label if node else key_of(iri))
    target = data.paths.get(iri)
    return f'<a href="{_rel(target, here)}">{_h(label)}</a>' if target else _h(label)


def _query_note(data: _Data, here: str, name: str, params: Mapping[str, str] | None = None) -> str:
    params = params or {}
    args = "".join(f" -p {k}={v}" for k, v in params.items())
    bound = ", ".join(f"{k} = {v}" for k, v in params.items())
    href = _rel(f"queries/{name}.rq", here)
    return (
        f'<p class="query">Query: <a href="{href}">{_h(name)}.rq</a>'
        + (f" with {_h(bound)}" if bound else "")
        + f"; to rerun: <code>{_h(f'lexgraph query {name}{args}')}</code></p>"
    )


def _short(iri: str) -> str:
    return key_of(iri).split("/", 1)[-1]


def _s(value: object) -> str:
    return "" if value is None else _h(value.isoformat() if hasattr(value, "isoformat") else value)


# ---------------------------------------------------------------------------------------------
# Sections


def _facts(data: _Data, node: Node, subgraph: Subgraph, here: str) -> str:
    items = [f"<dt>{_h(name)}</dt><dd>{_h(value)}</dd>" for name, value in node.facts]
    items.append(f"<dt>IRI</dt><dd><code>{_h(node.iri)}</dd>".replace("</dd>", "</code></dd>"))
    if node.source:
        items.append(f"<dt>source</dt><dd>{_external(node.source)}</dd>")
    relations = []
    for edge in subgraph.edges:
        if edge.label == "has article" or node.iri not in (edge.source, edge.target):
            continue
        if edge.source == node.iri:
            relations.append(f"<li>{_h(edge.label)} {_link(data, edge.target, here)}</li>")
        else:
            relations.append(f"<li>{_link(data, edge.source, here)} {_h(edge.label)} this</li>")
    out = f'<dl class="facts">{"".join(items)}</dl>'
    if relations:
        out += "<h2>Relations</h2><ul>" + "".join(sorted(set(relations))) + "</ul>"
    return out + (
        '<p class="query">Facts and relations: the depth-1 selection of '
        "<code>lexgraph.views.subgraph.select</code>, drawn below.</p>"
    )


def _section(title: str, headers: Sequence[str], rows: list[list[str]], note: str) -> str:
    if not rows:
        return f"<h2>{_h(title)}</h2><p>None in the graph.</p>{note}"
    return f"<h2>{_h(title)}</h2>{_table(headers, rows)}{note}"


def _records_section(data: _Data, key: tuple[str, str], here: str) -> str:
    kind, iri = key
    found = data.records_by.get(key, [])
    other = "state" if kind == "instrument" else "instrument"
    rows = [
        [
            _link(data, r.state if other == "state" else r.instrument, here),
            _h(r.act.kind),
            _s(r.act.date),
            _s(r.act.in_force),
            _h(r.act.as_at or ""),
            ("secondary: " if r.act.secondary else "") + _external(r.act.source),
        ]
        for r in sorted(found, key=lambda r: (r.act.date is None, str(r.act.date), r.act.record))
    ]
    question = PARTICIPATION if kind == "instrument" else PARTICIPATION_OF_STATE
    note = _query_note(data, here, question.name, {question.params[0].name: _short(iri)})
    headers = [other, "act", "date", "in force for it", "as at", "source"]
    return _section("Participation records", headers, rows, note)


def _instrument(data: _Data, node: Node, here: str) -> str:
    iri = node.iri
    protocols = [
        [_link(data, r["protocol"], here), _h("yes" if r["modality"] else "")]
        for r in _unique(data.group("protocols-of-convention", "instrument", iri), "protocol")
    ]
    convention = [
        [_link(data, r["instrument"], here)]
        for r in _unique(data.group("protocols-of-convention", "protocol", iri), "instrument")
    ]
    modal = [
        [_link(data, r["modality"], here), _h(r["article"]), _h(r["heading"] or "")]
        for r in data.group("modalities-of-instrument", "instrument", iri)
    ]
    reservations = [
        [_link(data, r["state"], here), _h(r["article"] or ""), _h(r["effect"]),
         _h(r["asAt"] or ""), _external(str(r["source"]))]
        for r in data.group("reservations-of-state", "instrument", iri)
    ]  # fmt: skip
    parts = [
        _section("Protocols supplementing it", ["protocol", "offences established under it"],
                 protocols, _query_note(data, here, "protocols-of-convention",
                                        {"instrument": _short(iri)})),
        _section("Cooperation articles", ["modality", "article", "heading"], modal,
                 _query_note(data, here, "modalities-of-instrument", {"instrument": _short(iri)})),
        _records_section(data, ("instrument", iri), here),
        _section("Reservations and declarations", ["state", "article", "effect", "as at",
                 "source"], reservations, _query_note(data, here, "reservations-of-state")),
    ]  # fmt: skip
    if convention:
        note = _query_note(data, here, "protocols-of-convention")
        parts.insert(0, _section("Convention it supplements", ["instrument"], convention, note))
    return "".join(parts)


def _unique(rows: list[dict[str, object]], column: str) -> list[dict[str, object]]:
    seen: dict[object, dict[str, object]] = {}
    for row in rows:
        if row[column] not in seen or (
            row.get("modality") and not seen[row[column]].get("modality")
        ):
            seen[row[column]] = row
    return list(seen.values())


def _articles(data: _Data, node: Node, subgraph: Subgraph, here: str) -> str:
    provides: dict[str, set[str]] = defaultdict(set)
    for row in data.group("modalities-of-instrument", "instrument", node.iri):
        provides[str(row["article"])].add(str(row["modality"]))
    criminalises: dict[str, set[str]] = defaultdict(set)
    for row in data.group("provisions-criminalising-crime", "instrument", node.iri):
        criminalises[str(row["provision"])].add(str(row["criminalised"]))
    articles = [
        n for n in subgraph.nodes if n.kind == "provision" and n.iri.startswith(node.iri + "/")
    ]
    from lexgraph.core.turtle import natural_key

    rows = []
    for art in sorted(articles, key=lambda n: natural_key(n.iri)):
        facts = dict(art.facts)
        number = facts.get("article", _short(art.iri))
        rows.append([
            _h(number),
            _h(facts.get("heading", "")),
            ", ".join(_link(data, m, here) for m in sorted(provides.get(number, ()))),
            ", ".join(_link(data, c, here) for c in sorted(criminalises.get(art.iri, ()))),
        ])  # fmt: skip
    note = (
        '<p class="query">Articles: the selection above; what they provide for and '
        "criminalise: the two queries below.</p>"
        + _query_note(data, here, "modalities-of-instrument", {"instrument": _short(node.iri)})
        + _query_note(data, here, "provisions-criminalising-crime")
    )
    return _section("Articles", ["article", "heading", "provides for", "criminalises"], rows, note)


def _crime(data: _Data, node: Node, here: str) -> str:
    iri, key = node.iri, _short(node.iri)
    hierarchy = data.rows["crime-type-hierarchy"]
    broader = [r for r in hierarchy if r["crime"] == iri and r["broader"]]
    narrower = [r for r in hierarchy if r["broader"] == iri]
    tree = [[_h("broader"), _link(data, r["broader"], here)] for r in broader]
    tree += [[_h("narrower"), _link(data, r["crime"], here)] for r in narrower]
    covering = [
        [_link(data, r["instrument"], here), _h(r["via"]), _link(data, r["covered"], here)]
        for r in data.group("instruments-covering-crime", "crime", iri)
    ]
    criminal = [
        [_link(data, r["instrument"], here), _h(r["article"]), _h(r["heading"] or ""),
         _link(data, r["criminalised"], here)]
        for r in data.group("provisions-criminalising-crime", "crime", iri)
    ]  # fmt: skip
    iccs = [
        [_h(r["code"]), _h(r["label"]), _h(r["match"]), _external(str(r["source"]))]
        for r in data.group("iccs-codes-for-crime", "crime", iri)
    ]
    soft = [
        [_link(data, r["instrument"], here), _h(_short(str(r["kind"])).rsplit("#", 1)[-1]),
         _link(data, r["refersTo"], here) if r["refersTo"] else ""]
        for r in data.group("soft-law-for-crime", "crime", iri)
    ]  # fmt: skip
    p = {"crime": key}
    return "".join([
        _section("Broader and narrower types", ["", "crime type"], tree,
                 _query_note(data, here, "crime-type-hierarchy")),
        _section("Instruments covering it", ["instrument", "how", "crime type covered"], covering,
                 _query_note(data, here, "instruments-covering-crime", p)),
        _section("Articles criminalising it", ["instrument", "article", "heading", "offence"],
                 criminal, _query_note(data, here, "provisions-criminalising-crime", p)),
        _section("ICCS codes", ["code", "label", "match", "source"], iccs,
                 _query_note(data, here, "iccs-codes-for-crime", p)),
        _section("Soft law", ["instrument", "kind", "refers to"], soft,
                 _query_note(data, here, "soft-law-for-crime", p)),
    ])  # fmt: skip


def _modality(data: _Data, node: Node, here: str) -> str:
    iri = node.iri
    scheme = [r for r in data.rows["modality-scheme"] if r["modality"] == iri]
    narrower = [r for r in data.rows["modality-scheme"] if r["broader"] == iri]
    tree = [[_h("broader"), _link(data, r["broader"], here)] for r in scheme if r["broader"]]
    tree += [[_h("narrower"), _link(data, r["modality"], here)] for r in narrower]
    rows = [
        [_link(data, r["instrument"], here), _h(r["article"]), _h(r["heading"] or ""),
         _link(data, r["provided"], here)]
        for r in data.group("instruments-providing-modality", "modality", iri)
    ]  # fmt: skip
    return "".join([
        _section("Broader and narrower modalities", ["", "modality"], tree,
                 _query_note(data, here, "modality-scheme")),
        _section("Articles providing it", ["instrument", "article", "heading", "as"], rows,
                 _query_note(data, here, "instruments-providing-modality",
                             {"modality": _short(iri)})),
    ])  # fmt: skip


def _state(data: _Data, node: Node, here: str) -> str:
    iri = node.iri
    regions = sorted(
        f"{data.regions.get(ID + 'region/' + str(r['region']), '')} ({r['region']})"
        for r in data.group("states-in-region", "state", iri)
    )
    instruments = sorted({r.instrument for r in data.records_by.get(("state", iri), [])})
    standing_rows = [
        [_link(data, i, here), _h(data.status.get((iri, i), "")), _h(data.as_at.get(i, ""))]
        for i in instruments
    ]
    reservations = [
        [_link(data, r["instrument"], here), _h(r["article"] or ""), _h(r["effect"]),
         _h(r["asAt"] or ""), _external(str(r["source"]))]
        for r in data.group("reservations-of-state", "state", iri)
    ]  # fmt: skip
    code = _short(iri)
    return "".join([
        _section("M49 regions", ["region"], [[_h(r)] for r in regions],
                 _query_note(data, here, "states-in-region")),
        _section("Standing as at each instrument's data", ["instrument", "standing", "as at"],
                 standing_rows,
                 '<p class="query">Decided by <code>lexgraph.finder.basis.standing</code> from the '
                 "records below; 'unknown' is not 'not a party'.</p>"),
        _records_section(data, ("state", iri), here),
        _section("Reservations and declarations", ["instrument", "article", "effect", "as at",
                 "source"], reservations,
                 _query_note(data, here, "reservations-of-state", {"state": code})),
    ])  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Writing


_OPEN_TAG = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)


def _hoist(text: str, assets: Path, prefix: str, seen: dict[str, str]) -> str:
    """Move large inline scripts and styles of a page into shared files under ``assets/``.

    An element ends at the first ``</script>`` or ``</style>`` after it, as in a browser (the
    viz pages escape any other occurrence). The page's Content-Security-Policy is widened to
    same-origin files, which is what the moved code now is.
    """
    out: list[str] = []
    position = 0
    while True:
        match = _OPEN_TAG.search(text, position)
        if match is None:
            break
        tag, attrs = match.group(1).lower(), match.group(2)
        close = _close(text, tag, match.end())
        if close < 0:
            break
        body = text[match.end() : close]
        end = close + len(tag) + 3
        if len(body) < _HOIST_MIN or re.search(r"\b(src|type)\s*=", attrs, re.IGNORECASE):
            out.append(text[position:end])
        else:
            name = seen.get(body)
            if name is None:
                name = hashlib.sha256(body.encode("utf-8")).hexdigest()[:20]
                name += ".js" if tag == "script" else ".css"
                (assets / name).write_text(body, encoding="utf-8")
                seen[body] = name
            out.append(text[position : match.start()])
            if tag == "script":
                out.append(f'<script src="{prefix}assets/{name}"></script>')
            else:
                out.append(f'<link rel="stylesheet" href="{prefix}assets/{name}">')
        position = end
    out.append(text[position:])
    page = "".join(out)
    return page.replace("script-src ", "script-src 'self' ", 1).replace(
        "style-src ", "style-src 'self' ", 1
    )


def _close(text: str, tag: str, start: int) -> int:
    """Where the element opened before ``start`` closes: the first end tag in any case."""
    found = [
        i for i in (text.find(f"</{tag}>", start), text.find(f"</{tag.upper()}>", start)) if i >= 0
    ]
    return min(found) if found else -1


def _state_store(store: ox.Store) -> tuple[dict[str, list[ox.Quad]], int]:
    """Take every participation record out of ``store``; return the quads by participant."""
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    participant = ox.NamedNode(PREFIXES["lex"] + "participant")
    by_state: dict[str, list[ox.Quad]] = defaultdict(list)
    taken = 0
    subjects = [
        q.subject
        for q in store.quads_for_pattern(
            None, rdf_type, ox.NamedNode(PREFIXES["lex"] + "Participation")
        )
    ]
    for subject in subjects:
        quads = list(store.quads_for_pattern(subject, None, None))
        states = [
            q.object.value
            for q in quads
            if q.predicate == participant and isinstance(q.object, ox.NamedNode)
        ]
        for quad in quads:
            store.remove(quad)
            taken += 1
        for state in states:
            by_state[state].extend(quads)
    return dict(by_state), taken


def _selection(store: ox.Store, node: Node) -> Subgraph:
    """The depth-1 neighbourhood of an entity; a participant that is not a State (the EU),
    which no filter of :func:`select` names, is shown alone."""
    if node.kind == "state":
        code = dict(node.facts).get("ISO 3166")
        if not code or not node.iri.startswith(ID + "state/"):
            return Subgraph((node,), (), (node.iri,))
        return select(store, state=code, depth=1)
    if node.kind == "crime":
        return select(store, crime=node.iri, depth=1)
    if node.kind == "modality":
        return select(store, modality=node.iri, depth=1)
    return select(store, instrument=node.iri, depth=1)


def write_site(
    out: Path,
    *,
    store: ox.Store | None = None,
    layout: Layout | None = None,
    graph_writer: GraphWriter | None = None,
) -> SiteResult:
    """Write the site into ``out``, replacing a site written there before.

    ``graph_writer`` writes each neighbourhood graph page (default :func:`write_graph`); a
    directory that exists and is neither empty nor a lexgraph site is left alone.
    """
    started = time.perf_counter()
    source = Context.of(store, layout)
    out = out.resolve()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise InputError(f"{out}: exists and is not a site lexgraph wrote; give another -o")
    out.parent.mkdir(parents=True, exist_ok=True)
    memory = ox.Store()
    memory.bulk_extend(source.store.quads_for_pattern(None, None, None))
    ctx = Context(memory, source.layout)
    citation = ctx.caption()
    corpus = select(memory, with_states=True)
    data = _gather(ctx, corpus)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        counts = _write_all(work, ctx, data, citation, graph_writer or write_graph)
        (work / MARKER).write_text(f"lexgraph {__version__} site\n", encoding="utf-8")
        replace_directory(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return SiteResult(out, counts[0], counts[1], counts[2], time.perf_counter() - started)


def _write_all(
    work: Path, ctx: Context, data: _Data, citation: str, graph_writer: GraphWriter
) -> tuple[int, int, int]:
    (work / "assets").mkdir()
    (work / "assets" / "site.css").write_text(_CSS, encoding="utf-8")
    (work / "queries").mkdir()
    for name, question in sorted(data.used.items()):
        (work / "queries" / f"{name}.rq").write_text(question.text, encoding="utf-8")
    seen: dict[str, str] = {}
    pages = graphs = 0
    by_state, _ = _state_store(ctx.store)
    ordered = sorted(
        data.paths.items(), key=lambda item: (data.nodes[item[0]].kind == "state", item[1])
    )
    for iri, path in ordered:
        node = data.nodes[iri]
        if node.kind == "state":
            quads = by_state.get(iri, [])
            ctx.store.extend(quads)
            subgraph = _selection(ctx.store, node)
            for quad in quads:
                ctx.store.remove(quad)
        else:
            subgraph = _selection(ctx.store, node)
        target = work / path
        target.parent.mkdir(parents=True, exist_ok=True)
        graph = target.with_name(target.stem + ".graph.html")
        graph_writer(subgraph, graph, f"Neighbourhood of {node.label}", citation)
        graph.write_text(_hoist(graph.read_text("utf-8"), work / "assets", "../", seen), "utf-8")
        graphs += 1
        target.write_text(_entity_page(data, node, subgraph, path, citation), encoding="utf-8")
        pages += 1
    (work / "index.html").write_text(_index(data, citation), encoding="utf-8")
    return pages + 1, graphs, len(data.used)


def _entity_page(data: _Data, node: Node, subgraph: Subgraph, here: str, citation: str) -> str:
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
    return _document(node.label, here, "\n".join(body), citation)


def _index(data: _Data, citation: str) -> str:
    here = "index.html"
    sections = []
    for kind, title in PAGE_KINDS.items():
        nodes = sorted(
            (data.nodes[i] for i in data.paths if data.nodes[i].kind == kind),
            key=lambda n: (n.label.casefold(), n.iri),
        )
        items = "".join(f"<li>{_link(data, n.iri, here)}</li>" for n in nodes)
        sections.append(f'<h2>{_h(title)} ({len(nodes)})</h2><ul class="columns">{items}</ul>')
    queries = "".join(
        f'<li><a href="{_rel(f"queries/{name}.rq", here)}">{_h(name)}.rq</a>: {_h(q.summary)}</li>'
        for name, q in sorted(data.used.items())
    )
    body = (
        "<h1>lexgraph</h1><p>The international legal instruments against crime: instruments "
        "and their articles, the crime types they cover, the cooperation modalities they "
        "provide for and the states that take part in them, with a source on every fact. "
        "Participation is shown as at the date of each source; a state without a record is "
        "'unknown', never 'not a party'.</p>"
        + "".join(sections)
        + f"<h2>Queries</h2><ul>{queries}</ul>"
    )
    return _document("lexgraph", here, body, citation)
