"""The views that briefs are made of, as data and as tables (CSV, Markdown, HTML, LaTeX).

Three views, each computed from library questions (``queries/questions/``) or from
:data:`PARTICIPATION`, and each carrying the caption that cites the dataset:

- a **matrix**: instrument x modality for a crime type (cells: the number of articles of the
  instrument that provide the modality, directly or through a narrower one, as the library's
  questions count them), or state x instrument for an M49 region (cells: where each state
  stands on the as-at date of the instrument's participation data, decided by
  :func:`lexgraph.finder.basis.standing`, so that "unknown" is never shown as "not a party");
- the **instruments** that cover a crime type, with their articles by modality;
- the **parties**: the participation records of an instrument or of a state, each with its
  source and as-at date.

The figures (:mod:`lexgraph.render.figures`), the brief and the site draw the same data.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.escape import html as _h
from lexgraph.core.escape import latex as latex_escape
from lexgraph.core.escape import markdown as md_escape
from lexgraph.core.escape import one_line as _one_line
from lexgraph.core.namespaces import ID, PREFIXES
from lexgraph.core.paths import Layout
from lexgraph.core.turtle import natural_key
from lexgraph.finder.basis import (
    BOUND,
    DENOUNCED,
    NOT_PARTY,
    NOT_YET_IN_FORCE,
    SIGNATORY,
    UNKNOWN_STANDING,
    Act,
    consent_kinds,
    key_of,
    standing,
)
from lexgraph.store.library import LibraryQuery, parse_params
from lexgraph.store.manifest import recorded_date
from lexgraph.store.query import Result, execute, find_question, open_store, substitutions
from lexgraph.views.citation import citation_line

FORMATS = ("csv", "md", "html", "latex")
#: Short cell texts of the participation matrix, by standing.
STATUS_TEXT = {
    BOUND: "bound",
    SIGNATORY: "signed",
    NOT_YET_IN_FORCE: "consented",
    NOT_PARTY: "not a party",
    DENOUNCED: "denounced",
    UNKNOWN_STANDING: "unknown",
}

_PARTICIPATION_BODY = """\
PREFIX lex: <https://w3id.org/lexgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>

SELECT ?instrument ?state ?record ?name ?act ?date ?inForce ?asAt ?source ?secondary WHERE {
  ?record a lex:Participation ; lex:instrument ?instrument ; lex:participant ?state ;
          lex:actKind ?act .
  OPTIONAL { ?record lex:actDate ?date }
  OPTIONAL { ?record lex:entryIntoForceForParticipant ?inForce }
  OPTIONAL { ?record lex:asAt ?asAt }
  OPTIONAL { ?record dcterms:source ?source }
  OPTIONAL { ?record lex:secondarySource ?secondary }
  OPTIONAL { ?state skos:prefLabel ?name . FILTER(LANG(?name) = "en") }
}
ORDER BY ?instrument ?name ?state ?date ?record ?source ?secondary
"""


_QUERY_DIR = Path("queries")


def _view_query(name: str, summary: str, params: str, body: str) -> LibraryQuery:
    """A query of the views that is not a library question, in the library's own format."""
    text = f"#+ summary: {summary}\n#+ params: {params}\n#+ tags: participation, views\n{body}"
    return LibraryQuery(
        name=name,
        path=_QUERY_DIR / f"{name}.rq",
        text=text,
        summary=summary,
        params=parse_params(params, name),
        tags=("participation", "views"),
    )


#: Every participation record, undated and secondary ones included, with its source and
#: as-at date; the views run it once and group the rows by instrument or by state.
PARTICIPATION = _view_query(
    "participation-of-instrument",
    "Every participation record of an instrument, with its source and the as-at date",
    "instrument:instrument=untoc",
    _PARTICIPATION_BODY,
)
PARTICIPATION_OF_STATE = _view_query(
    "participation-of-state",
    "Every participation record of a state, with its source and the as-at date",
    "state:state=FRA",
    _PARTICIPATION_BODY,
)


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
class Record:
    """One participation record, as :data:`PARTICIPATION` returns it."""

    instrument: str
    state: str
    name: str
    act: Act

    @property
    def source_text(self) -> str:
        kind = "secondary source" if self.act.secondary else "source"
        return f"{kind}: {self.act.source}" if self.act.source else "no source"


@dataclass(frozen=True)
class Event:
    """A dated point of a timeline: a participation act, an adoption, an entry into force."""

    row: str
    row_label: str
    kind: str
    date: dt.date
    note: str = ""


@dataclass(frozen=True)
class Timeline:
    """The events of a timeline, their rows in order, and what could not be placed."""

    title: str
    rows: tuple[Axis, ...]
    events: tuple[Event, ...]
    caption: str
    used: tuple[Used, ...]
    undated: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------------------------------------
# Running the queries


@dataclass(frozen=True)
class Context:
    """A store, the layout whose questions and citation are used, and the caption."""

    store: ox.Store
    layout: Layout

    @classmethod
    def of(cls, store: ox.Store | None = None, layout: Layout | None = None) -> Context:
        layout = layout or Layout.default()
        return cls(store if store is not None else open_store(layout.store), layout)

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


def data_date(layout: Layout, store: ox.Store) -> str | None:
    """The date of the data: the build's recorded date, else the dataset's ``dcterms:modified``.

    The same rule as the release's date (:func:`~lexgraph.store.manifest.recorded_date`), without
    its
    last resort, the file's modification time: a caption must not change when a file is copied.
    """
    return recorded_date(store, layout.store.resolve().parent / "build-info.json")


def caption_line(layout: Layout, store: ox.Store) -> str:
    """The line every figure and table carries: the dataset citation and the data's date."""
    when = data_date(layout, store)
    return f"Source: {citation_line(layout)}" + (f" Data of {when}." if when else "")


def _s(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _last(iri: object) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def short_name(title: str, key: str, width: int = 52) -> str:
    """A title short enough for an axis: itself if it fits, else its start and the key.

    >>> short_name("United Nations Convention against Transnational Organized Crime", "untoc")
    'United Nations Convention against Transnati… (untoc)'
    """
    if len(title) <= width:
        return title
    room = max(20, width - len(key) - 4)
    return f"{title[:room].rstrip()}… ({key})"


def records(ctx: Context) -> list[Record]:
    """Every participation record of the graph, one per record, sources sorted."""
    grouped: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in ctx.rows(PARTICIPATION):
        grouped[str(row["record"])].append(row)
    found = []
    for record, rows in grouped.items():
        first = rows[0]
        secondary = sorted({_s(r["secondary"]) for r in rows if r["secondary"]})
        primary = sorted({_s(r["source"]) for r in rows if r["source"]})
        date = first["date"] if isinstance(first["date"], dt.date) else None
        in_force = first["inForce"] if isinstance(first["inForce"], dt.date) else None
        act = Act(
            record=record,
            kind=_last(first["act"]),
            date=date,
            in_force=in_force,
            as_at=_s(first["asAt"]) or None,
            source=(primary or secondary or [""])[0],
            secondary=not primary and bool(secondary),
        )
        state = str(first["state"])
        name = _s(first["name"]) or key_of(state)
        found.append(Record(str(first["instrument"]), state, name, act))
    return sorted(
        found,
        key=lambda r: (r.instrument, r.name, r.act.date or dt.date.max, r.act.record),
    )


def labels(ctx: Context, kind: str) -> dict[str, str]:
    """English labels (else any) of the instances of one kind, by IRI."""
    prefix = f"{ID}{kind}/"
    found: dict[str, str] = {}
    pref = ox.NamedNode(PREFIXES["skos"] + "prefLabel")
    for quad in ctx.store.quads_for_pattern(None, pref, None):
        subject, obj = quad.subject, quad.object
        if not (isinstance(subject, ox.NamedNode) and isinstance(obj, ox.Literal)):
            continue
        iri = subject.value
        if iri.startswith(prefix) and (obj.language == "en" or iri not in found):
            found[iri] = obj.value
    return found


def resolve_region(ctx: Context, value: str) -> tuple[str, str, str]:
    """Resolve an M49 region given by key (``m49-150``), code (``150``) or name.

    Returns the region's IRI, key and English label.
    """
    regions: dict[str, tuple[str, str]] = {}
    for quad in ctx.store.quads_for_pattern(
        None, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(PREFIXES["lex"] + "Region")
    ):
        if isinstance(quad.subject, ox.NamedNode):
            iri = quad.subject.value
            regions[iri] = (_last(iri), "")
    names_by_iri = labels(ctx, "region")
    text = value.strip()
    wanted = text.casefold()
    for iri, (key, _) in sorted(regions.items()):
        label = names_by_iri.get(iri, key)
        if wanted in (key.casefold(), iri.casefold(), f"m49-{text}".casefold(), label.casefold()):
            return iri, key, label
    names = sorted(names_by_iri.get(i, k) for i, (k, _) in regions.items())
    close = difflib.get_close_matches(text, names, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else "; give a key like m49-150 or a name"
    raise InputError(f"unknown region {value!r}{hint}")


# ---------------------------------------------------------------------------------------------
# The views


@dataclass(frozen=True)
class Coverage:
    """An instrument that reaches a crime type, how, and its articles by modality."""

    instrument: str
    title: str
    via: str
    covered: tuple[str, ...]
    adopted: str
    in_force: str
    articles: Mapping[str, tuple[tuple[str, str], ...]]
    source: str


def coverage(ctx: Context, crime: str) -> tuple[str, str, list[Coverage], list[Used]]:
    """The instruments that cover ``crime`` (directly, through a broader or a narrower type,
    or as the convention under which a covering protocol's offences are established)."""
    from lexgraph.store.query import resolve_keyed

    crime_iri = resolve_keyed(ctx.store, "crime", crime).value
    crime_key = key_of(crime_iri).split("/", 1)[1]
    crime_label = labels(ctx, "crime").get(crime_iri, crime_key)
    titles = labels(ctx, "instrument")
    routes: dict[str, tuple[str, set[str]]] = {}
    order = {"direct": 0, "narrower": 1, "broader": 2, "protocol": 3}
    for row in ctx.rows("instruments-covering-crime", {"crime": crime_key}):
        instrument, via = str(row["instrument"]), str(row["via"])
        best, covered = routes.get(instrument, (via, set()))
        covered.add(key_of(str(row["covered"])))
        routes[instrument] = (min(best, via, key=order.__getitem__), covered)
    for row in ctx.rows("protocols-of-convention"):
        protocol = str(row["protocol"])
        if protocol in routes and row["modality"] is not None:
            convention = str(row["instrument"])
            if convention not in routes or routes[convention][0] == "protocol":
                covered = routes.get(convention, ("protocol", set()))[1]
                covered.add(key_of(protocol))
                routes[convention] = ("protocol", covered)
    articles: dict[str, dict[str, set[tuple[str, str]]]] = defaultdict(lambda: defaultdict(set))
    for row in ctx.rows("instruments-providing-modality"):
        instrument = str(row["instrument"])
        if instrument in routes:
            articles[instrument][str(row["modality"])].add((_s(row["article"]), _s(row["heading"])))
    dates: dict[str, tuple[str, str]] = {
        str(r["instrument"]): (_s(r["adopted"]), _s(r["entryIntoForce"]))
        for r in ctx.rows("instrument-timeline")
    }
    sources = _sources(ctx, set(routes))
    found = []
    for instrument, (via, covered) in routes.items():
        by_modality = {
            modality: tuple(sorted(arts, key=lambda a: natural_key(a[0])))
            for modality, arts in sorted(articles[instrument].items())
        }
        adopted, in_force = dates.get(instrument, ("", ""))
        found.append(
            Coverage(
                instrument,
                titles.get(instrument, key_of(instrument)),
                via,
                tuple(sorted(covered)),
                adopted,
                in_force,
                by_modality,
                sources.get(instrument, ""),
            )
        )
    found.sort(key=lambda c: (order[c.via], c.title, c.instrument))
    used = [
        Used("instruments-covering-crime", (("crime", crime_key),)),
        Used("protocols-of-convention"),
        Used("instruments-providing-modality"),
        Used("instrument-timeline"),
    ]
    return crime_iri, crime_label, found, used


def _sources(ctx: Context, iris: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for iri in sorted(iris):
        values = sorted(
            q.object.value
            for q in ctx.store.quads_for_pattern(
                ox.NamedNode(iri), ox.NamedNode(PREFIXES["dcterms"] + "source"), None
            )
            if isinstance(q.object, ox.NamedNode)
        )
        if values:
            found[iri] = values[0]
    return found


def modalities(ctx: Context) -> list[Axis]:
    """Every cooperation modality, in the scheme's order, with its broader one as note."""
    return [
        Axis(str(r["modality"]), _s(r["label"]), _s(r["label"]), key_of(_s(r["broader"])))
        for r in ctx.rows("modality-scheme")
    ]


def modality_matrix(
    crime: str, *, store: ox.Store | None = None, layout: Layout | None = None
) -> Matrix:
    """Instrument x modality for a crime type: how many articles provide each modality."""
    ctx = Context.of(store, layout)
    _, label, covering, used = coverage(ctx, crime)
    columns = modalities(ctx)
    rows = tuple(
        Axis(c.instrument, c.title, short_name(c.title, _last(c.instrument)), _via_text(c))
        for c in covering
    )
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


def _via_text(c: Coverage) -> str:
    covered = ", ".join(k.split("/", 1)[-1] for k in c.covered)
    return {
        "direct": "covers it",
        "narrower": f"covers a narrower type ({covered})",
        "broader": f"covers a broader type ({covered})",
        "protocol": f"offences of {covered} are established under it",
    }[c.via]


def region_states(ctx: Context, region: str) -> tuple[str, str, list[Axis]]:
    """The states of an M49 region: the region's key and label, and one axis per state."""
    _, key, label = resolve_region(ctx, region)
    states = [
        Axis(str(r["state"]), _s(r["name"]), _s(r["alpha3"]))
        for r in ctx.rows("states-in-region", {"region": key})
    ]
    return key, label, sorted(states, key=lambda s: (s.label, s.iri))


def period_end(text: str) -> dt.date | None:
    """The last day an as-at date covers: ``2015-09`` covers September, ``2015`` the year.

    >>> period_end("2015-09"), period_end("2016"), period_end("2014-01-27")
    (datetime.date(2015, 9, 30), datetime.date(2016, 12, 31), datetime.date(2014, 1, 27))
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    if day:
        return dt.date(int(year), int(month), int(day))
    if month:
        following = dt.date(int(year) + int(month) // 12, int(month) % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(int(year), 12, 31)


def standings(
    ctx: Context, states: Sequence[str], instruments: Sequence[str] | None = None
) -> tuple[dict[tuple[str, str], str], dict[str, str], list[Record]]:
    """Where each state stands towards each instrument as at the instrument's data.

    The date is the latest that any record of the instrument covers (its as-at date, a
    month or a year as at counting to the period's end). The standing is
    :func:`~lexgraph.finder.basis.standing`'s, except that a state whose standing is unknown
    but which signed on or before that date is shown as "signed". Returns the status by (state,
    instrument), the date used per instrument and the records of the states.
    """
    wanted = set(states)
    every = records(ctx)
    by_pair: dict[tuple[str, str], list[Act]] = defaultdict(list)
    latest: dict[str, dt.date] = {}
    for rec in every:
        seen = period_end(rec.act.as_at or "") or rec.act.date
        if seen and (rec.instrument not in latest or seen > latest[rec.instrument]):
            latest[rec.instrument] = seen
        if rec.state in wanted:
            by_pair[(rec.state, rec.instrument)].append(rec.act)
    columns = instruments if instruments is not None else sorted({i for _, i in by_pair})
    consenting = consent_kinds(ctx.store)
    fallback = dt.date.fromisoformat(
        data_date(ctx.layout, ctx.store) or dt.date.today().isoformat()
    )
    status: dict[tuple[str, str], str] = {}
    for instrument in columns:
        on = latest.get(instrument, fallback)
        for state in states:
            acts = by_pair.get((state, instrument), [])
            found = standing(state, instrument, acts, [], consenting, on)
            text = STATUS_TEXT.get(found.status, found.status)
            if found.status == UNKNOWN_STANDING and any(
                a.kind == "signature" and a.date and a.date <= on for a in acts
            ):
                text = STATUS_TEXT[SIGNATORY]
            status[(state, instrument)] = text
    dates = {i: latest[i].isoformat() if i in latest else "" for i in columns}
    return status, dates, [r for r in every if r.state in wanted]


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
    iris = None if instruments is None else [_instrument_iri(ctx, i) for i in instruments]
    status, as_at, _ = standings(ctx, [s.iri for s in states], iris)
    titles = labels(ctx, "instrument")
    columns = tuple(
        Axis(i, titles.get(i, key_of(i)), key_of(i).split("/", 1)[-1], as_at[i])
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
            *(Used(PARTICIPATION.name, (("instrument", c.short),)) for c in columns),
        ),
        notes=(
            *(f"{c.short}: as at {c.note or 'no dated record'}" for c in columns),
            "'signed': a signature and no consent in the records; 'unknown': no record decides"
            " it, which is not 'not a party'.",
        ),
    )


def _instrument_iri(ctx: Context, value: str) -> str:
    from lexgraph.store.query import resolve_keyed

    return resolve_keyed(ctx.store, "instrument", value.removeprefix(ID + "instrument/")).value


def matrix_table(matrix: Matrix) -> Table:
    """A matrix as a table: one row per matrix row, its label first."""
    return Table(
        title=matrix.title,
        columns=(matrix.corner, *(c.label for c in matrix.columns)),
        rows=tuple((r.label, *cells) for r, cells in zip(matrix.rows, matrix.cells, strict=True)),
        caption=matrix.caption,
        used=matrix.used,
        notes=matrix.notes,
    )


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
            (_s(r["title"]), key_of(_s(r["instrument"])), _s(r["adopted"]), _s(r["entryIntoForce"]))
            for r in ctx.rows("instrument-timeline")
        )
        return Table(
            "Instruments in order of adoption",
            ("instrument", "key", "adopted", "in force"),
            rows,
            ctx.caption(),
            (Used("instrument-timeline"),),
        )
    _, label, covering, used = coverage(ctx, crime)
    names = {m.iri: m.label for m in modalities(ctx)}
    rows = tuple(
        (c.title, _via_text(c), c.adopted, c.in_force, _articles_text(c, names), c.source)
        for c in covering
    )
    return Table(
        f"Instruments covering {label} and their cooperation articles",
        ("instrument", "coverage", "adopted", "in force", "articles by modality", "source"),
        rows,
        ctx.caption(),
        tuple(used),
    )


def parties_table(
    instrument: str | None = None,
    state: str | None = None,
    region: str | None = None,
    *,
    store: ox.Store | None = None,
    layout: Layout | None = None,
) -> Table:
    """The participation records of an instrument (optionally of a region's states) or of a
    state, each with its date, the as-at date of its source, and the source."""
    from lexgraph.store.query import resolve_state

    ctx = Context.of(store, layout)
    if (instrument is None) == (state is None):
        raise InputError("parties: give either --instrument or --state")
    if state is not None:
        iri = resolve_state(ctx.store, state).value
        titles = labels(ctx, "instrument")
        chosen = [r for r in records(ctx) if r.state == iri]
        chosen.sort(key=lambda r: (r.act.date or dt.date.max, titles.get(r.instrument, "")))
        name = labels(ctx, "state").get(iri, key_of(iri))
        rows: tuple[tuple[str, ...], ...] = tuple(
            (titles.get(r.instrument, key_of(r.instrument)), *_act_cells(r)) for r in chosen
        )
        return Table(
            f"Participation records of {name}",
            ("instrument", "act", "date", "in force for it", "as at", "source"),
            rows,
            ctx.caption(),
            (Used(PARTICIPATION_OF_STATE.name, (("state", key_of(iri).split("/", 1)[1]),)),),
        )
    assert instrument is not None
    iri = _instrument_iri(ctx, instrument)
    chosen = [r for r in records(ctx) if r.instrument == iri]
    used = [Used(PARTICIPATION.name, (("instrument", key_of(iri).split("/", 1)[1]),))]
    title = f"Participation records of {labels(ctx, 'instrument').get(iri, key_of(iri))}"
    if region is not None:
        key, label, states = region_states(ctx, region)
        members = {s.iri for s in states}
        chosen = [r for r in chosen if r.state in members]
        used.append(Used("states-in-region", (("region", key),)))
        title += f", states of {label}"
    rows = tuple((r.name, key_of(r.state).split("/", 1)[-1], *_act_cells(r)) for r in chosen)
    return Table(
        title,
        ("participant", "code", "act", "date", "in force for it", "as at", "source"),
        rows,
        ctx.caption(),
        tuple(used),
    )


def _act_cells(r: Record) -> tuple[str, str, str, str, str]:
    a = r.act
    return (a.kind, _s(a.date), _s(a.in_force), a.as_at or "", r.source_text)


def timeline(
    state: str | None = None, *, store: ox.Store | None = None, layout: Layout | None = None
) -> Timeline:
    """A state's participation acts over time, or every instrument's adoption and entry into
    force when no state is given."""
    from lexgraph.store.query import resolve_state

    ctx = Context.of(store, layout)
    if state is None:
        events: list[Event] = []
        axes: list[Axis] = []
        for row in ctx.rows("instrument-timeline"):
            iri, title = str(row["instrument"]), _s(row["title"])
            axes.append(Axis(iri, title, key_of(iri).split("/", 1)[-1]))
            if isinstance(row["adopted"], dt.date):
                events.append(Event(iri, title, "adopted", row["adopted"]))
            if isinstance(row["entryIntoForce"], dt.date):
                events.append(Event(iri, title, "in force", row["entryIntoForce"]))
        return Timeline(
            "Adoption and entry into force of the instruments",
            tuple(axes),
            tuple(events),
            ctx.caption(),
            (Used("instrument-timeline"),),
        )
    iri = resolve_state(ctx.store, state).value
    name = labels(ctx, "state").get(iri, key_of(iri))
    titles = labels(ctx, "instrument")
    chosen = [r for r in records(ctx) if r.state == iri]
    consenting = consent_kinds(ctx.store)
    events = []
    undated = 0
    for r in chosen:
        when = r.act.date or r.act.in_force
        if when is None:
            undated += 1
            continue
        kind = "consent" if r.act.kind in consenting else r.act.kind
        title = titles.get(r.instrument, key_of(r.instrument))
        events.append(Event(r.instrument, title, kind, when, r.act.line()))
    firsts: dict[str, dt.date] = {}
    for e in events:
        firsts[e.row] = min(firsts.get(e.row, e.date), e.date)
    rows = [
        Axis(i, titles.get(i, key_of(i)), key_of(i).split("/", 1)[-1])
        for i in sorted(firsts, key=lambda i: (firsts[i], i))
    ]
    return Timeline(
        f"Participation of {name} over time",
        tuple(rows),
        tuple(sorted(events, key=lambda e: (e.date, e.row, e.kind))),
        ctx.caption(),
        (Used(PARTICIPATION_OF_STATE.name, (("state", key_of(iri).split("/", 1)[1]),)),),
        undated,
        (f"{undated} undated record(s) are not drawn.",) if undated else (),
    )


# ---------------------------------------------------------------------------------------------
# Rendering


def render_csv(table: Table) -> str:
    """CSV with a header row; the caption follows as a ``#`` comment line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    for note in table.notes:
        out.write(f"# {_one_line(note)}\n")
    out.write(f"# {_one_line(table.caption)}\n")
    return out.getvalue()


def render_md(table: Table) -> str:
    """A Markdown pipe table under its title, the notes and caption in italics below."""
    lines = [f"**{md_escape(table.title)}**", ""]
    lines.append("| " + " | ".join(md_escape(c) for c in table.columns) + " |")
    lines.append("|" + "---|" * len(table.columns))
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in table.rows]
    lines.append("")
    lines += [f"*{md_escape(n)}*  " for n in table.notes]
    lines.append(f"*{md_escape(table.caption)}*")
    return "\n".join(lines) + "\n"


def render_html(table: Table, *, link: bool = True) -> str:
    """An HTML table fragment: the title as ``<caption>``, the citation in ``<tfoot>``.

    Every text is escaped; a cell that is an http(s) URL becomes a link when ``link``.
    """
    width = len(table.columns)
    out = ['<table class="lexgraph">', f"<caption>{_h(table.title)}</caption>", "<thead><tr>"]
    out += [f'<th scope="col">{_h(c)}</th>' for c in table.columns]
    out.append("</tr></thead>\n<tbody>")
    for row in table.rows:
        cells = "".join(f"<td>{_cell_html(c, link)}</td>" for c in row)
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody>\n<tfoot>")
    for note in (*table.notes, table.caption):
        out.append(f'<tr><td colspan="{width}">{_h(note)}</td></tr>')
    out.append("</tfoot>\n</table>")
    return "\n".join(out) + "\n"


_URL = re.compile(r"^https?://[^\s<>\"']+$")


def _cell_html(text: str, link: bool) -> str:
    if link and _URL.match(text):
        return f'<a href="{_h(text)}">{_h(text)}</a>'
    return _h(text)


def render_latex(table: Table) -> str:
    r"""A LaTeX ``table`` with a ``tabular`` (long columns wrap) and the citation as its last row.

    Needs no package beyond LaTeX's own; text is UTF-8 (``\usepackage[utf8]{inputenc}`` on
    old engines).
    """
    width = len(table.columns)
    longest = [max([len(table.columns[i]), *(len(r[i]) for r in table.rows)]) for i in range(width)]
    wide = [i for i in range(width) if longest[i] > 30]
    share = 0.8 / max(len(wide), 1)
    spec = "".join(f"p{{{share:.2f}\\linewidth}}" if i in wide else "l" for i in range(width))
    lines = [
        "\\begin{table}[ht]",
        "\\centering\\small",
        f"\\caption{{{latex_escape(table.title)}}}",
        f"\\begin{{tabular}}{{{spec}}}",
        "\\hline",
        " & ".join(latex_escape(c) for c in table.columns) + " \\\\",
        "\\hline",
    ]
    lines += [" & ".join(latex_escape(c) for c in row) + " \\\\" for row in table.rows]
    lines.append("\\hline")
    for note in (*table.notes, table.caption):
        lines.append(
            f"\\multicolumn{{{width}}}{{p{{0.95\\linewidth}}}}{{\\footnotesize "
            f"{latex_escape(note)}}} \\\\"
        )
    lines += ["\\end{tabular}", "\\end{table}"]
    return "\n".join(lines) + "\n"


def render_table(table: Table, fmt: str) -> str:
    """Render a table in one of :data:`FORMATS`."""
    renderers = {"csv": render_csv, "md": render_md, "html": render_html, "latex": render_latex}
    if fmt not in renderers:
        raise InputError(f"table format {fmt!r}: give one of {', '.join(FORMATS)}")
    return renderers[fmt](table)
