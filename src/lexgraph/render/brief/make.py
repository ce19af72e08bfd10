"""What a brief says, gathered from the views: three key messages, a figure, a table, sources.

Every sentence is made from the rows of :mod:`lexgraph.views` (the finder's coverage rule and
the parties' standings), in the words of the brief's language
(:mod:`~lexgraph.render.brief.words`). Where the graph lacks data that would change a
statement (participation as at an old date or not recorded at all, an instrument with no
cooperation article recorded), the statement carries a note that says so.

To keep the brief to one A4 page, the figure and the table show the :data:`MAX_SHOWN`
instruments with the most cooperation articles; the others are named in a note, never dropped
silently.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox

from lexgraph.core.paths import Layout
from lexgraph.core.version import __version__
from lexgraph.finder.membership import read_memberships
from lexgraph.finder.standing import BOUND, NOT_YET_IN_FORCE, SIGNATORY, UNKNOWN_STANDING
from lexgraph.render.brief.words import (
    FOREIGN_START,
    LANGUAGES,
    listing,
    name,
    plain,
    sentence_start,
    words,
)
from lexgraph.views.context import Axis, Context, data_date, region_states, resolve_region
from lexgraph.views.instruments import Coverage, coverage, modalities
from lexgraph.views.matrix import Matrix
from lexgraph.views.parties import STATUS_TEXT, standings

#: How many instruments the figure and the table show; the rest are named in a note.
MAX_SHOWN = 5
#: With a region, the table has a column more and the sources list its participation data.
MAX_SHOWN_REGION = 3
#: The most columns the figure has (each a label on end): more and it turns the other way.
MAX_COLUMNS = 10
#: Participation data older than this many years before the data's date is said to be old.
OLD_YEARS = 2


@dataclass(frozen=True)
class Statement:
    """A sentence of the brief, and what the graph lacks that would change it ("" if nothing)."""

    text: str
    gap: str = ""


@dataclass(frozen=True)
class Source:
    """A document the brief rests on: what it is, and its address."""

    text: str
    url: str


@dataclass(frozen=True)
class Brief:
    """What a brief says, in its language: texts may mark English names (see ``words``)."""

    crime: str
    lang: str
    title: str
    meta: str
    messages: tuple[Statement, ...]
    figure_title: str
    matrix: Matrix
    figure_notes: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    table_title: str
    table_notes: tuple[str, ...]
    sources: tuple[Source, ...]
    citation: str
    notes: tuple[str, ...]
    date: str | None

    def text(self) -> str:
        """Every text of the brief, unmarked, in reading order (for tests and searches)."""
        parts = [self.title, self.meta]
        parts += [t for m in self.messages for t in (m.text, m.gap) if t]
        parts += [self.figure_title, *self.figure_notes, self.table_title, *self.columns]
        parts += [c for row in self.rows for c in row]
        parts += [*self.table_notes, *(f"{s.text} {s.url}" for s in self.sources)]
        parts += [*self.notes, self.citation]
        return plain("\n".join(parts))


def _shown(found: list[Coverage], most: int) -> list[Coverage]:
    """The ``most`` instruments with the most cooperation articles, in the order of ``found``."""
    if len(found) <= most:
        return found
    ranked = sorted(
        range(len(found)), key=lambda i: (-sum(len(a) for a in found[i].articles.values()), i)
    )
    keep = set(ranked[:most])
    return [c for i, c in enumerate(found) if i in keep]


def _messages(
    ctx: Context, lang: str, crime: str, found: list[Coverage], modality_names: dict[str, str]
) -> list[Statement]:
    w = words(lang)
    names = [name(ctx.store, c.instrument, lang) for c in found]
    if not found:
        return [
            Statement(w["reach_none"].format(crime=crime)),
            Statement(w["nothing_to_count"]),
            Statement(w["not_absence"]),
        ]
    key = "reach_one" if len(found) == 1 else "reach_many"
    empty = [n for n, c in zip(names, found, strict=True) if not c.articles]
    gap = ""
    if empty:
        gap = w["no_articles_gap"].format(
            names=listing(empty, lang, 3), they=w["it"] if len(empty) == 1 else w["they"]
        )
    first = Statement(w[key].format(n=len(found), crime=crime, names=listing(names, lang)), gap)
    providers = Counter(m for c in found for m in c.articles)
    if not providers:
        them = w["them_one"] if len(found) == 1 else w["them_many"]
        return [first, Statement(w["provide_none"].format(them=them))]
    ranked = sorted(providers, key=lambda m: (-providers[m], modality_names.get(m, m)))
    parts = [
        w["provided_by"].format(
            modality=modality_names.get(m, m), n=providers[m], s="s" if providers[m] > 1 else ""
        )
        for m in ranked[:3]
    ]
    if len(ranked) > 3:
        parts.append(w["more_forms"].format(n=len(ranked) - 3))
    second = Statement(
        w["provide_one" if len(found) == 1 else "provide"].format(list=listing(parts, lang))
    )
    return [first, second]


def _in_force_message(ctx: Context, lang: str, found: list[Coverage]) -> Statement:
    w = words(lang)
    without = [name(ctx.store, c.instrument, lang) for c in found if not c.in_force]
    if not without:
        return Statement(w["in_force_all_one" if len(found) == 1 else "in_force_all"])
    if len(without) == len(found):
        return Statement(w["in_force_none"].format(names=listing(without, lang)))
    return Statement(
        w["in_force_some"].format(k=len(found) - len(without), names=listing(without, lang))
    )


def _region(
    ctx: Context, lang: str, region: str, found: list[Coverage], shown: list[Coverage]
) -> tuple[Statement, dict[str, str], list[Source]]:
    """The region's key message, the counts per shown instrument, and the participation
    sources of the shown instruments."""
    w = words(lang)
    _, _, states = region_states(ctx, region)
    region_name = name(ctx.store, resolve_region(ctx, region)[0], lang)
    if not found:
        return Statement(w["region_none"].format(n=len(states), region=region_name)), {}, []
    instruments = [c.instrument for c in found]
    status, as_at, seen = standings(ctx, [s.iri for s in states], instruments)
    bound = signed = unknown = 0
    for s in states:
        mine = {status[(s.iri, i)] for i in instruments}
        bound += STATUS_TEXT[BOUND] in mine
        signed += STATUS_TEXT[BOUND] not in mine and bool(
            {STATUS_TEXT[SIGNATORY], STATUS_TEXT[NOT_YET_IN_FORCE]} & mine
        )
        unknown += mine == {STATUS_TEXT[UNKNOWN_STANDING]}
    counts = {}
    for c in shown:
        tally = Counter(status[(s.iri, c.instrument)] for s in states)
        counts[c.instrument] = w["counts"].format(
            bound=tally["bound"], signed=tally["signed"], unknown=tally["unknown"]
        ) + (f" ({as_at[c.instrument]})" if as_at.get(c.instrument) else "")
        counts[c.instrument] = counts[c.instrument].replace(" · ", "\u00a0·\u00a0")
    gaps = []
    limit = (dt.date.fromisoformat(data_date(ctx.layout, ctx.store) or "9999-12-31")).year
    old = [
        when
        for c in found
        if (when := as_at.get(c.instrument, "")) and int(when[:4]) < limit - OLD_YEARS
    ]
    if old:
        dates = sorted(set(old))
        shown_dates = dates if len(dates) <= 3 else [dates[0], "…", dates[-1]]
        gaps.append(
            w["old_data_gap"].format(
                dates=", ".join(shown_dates), n=len(old), s="s" if len(old) > 1 else ""
            )
        )
    missing = [name(ctx.store, c.instrument, lang) for c in found if not as_at.get(c.instrument)]
    if missing:
        them = w["them_one"] if len(missing) == 1 else w["them_many"]
        gaps.append(w["no_records_gap"].format(names=listing(missing, lang, 3), them=them))
    gaps += _members_only(ctx, lang, states, shown, as_at)
    gaps.append(w["unknown_means"])
    message = Statement(
        w["region"].format(
            n=len(states), region=region_name, bound=bound, signed=signed, unknown=unknown
        ),
        " ".join(gaps),
    )
    wanted = {c.instrument for c in shown}
    cited = [r for r in seen if r.instrument in wanted and r.act.source]
    sources = sorted(
        {
            Source(
                w["participation_source"].format(
                    name=name(ctx.store, r.instrument, lang), date=r.act.as_at or "?"
                ),
                r.act.source,
            )
            for r in cited
            if not r.act.secondary
        },
        key=lambda s: (plain(s.text), s.url),
    )
    secondary = {r.act.source for r in cited if r.act.secondary}
    if secondary:
        sources.append(Source(w["secondary_sources"].format(n=len(secondary)), ""))
    return message, counts, sources


def _members_only(
    ctx: Context, lang: str, states: list[Axis], shown: list[Coverage], as_at: dict[str, str]
) -> list[str]:
    """Why states of the region count as not parties to a shown instrument that is open only
    to the members of an organisation (docs/legal-model.md section 5), one sentence each."""
    memberships = read_memberships(ctx.store, ctx.layout.views)
    w = words(lang)
    found = []
    for c in shown:
        when = as_at.get(c.instrument)
        if not when or c.instrument not in memberships.restrictions:
            continue
        day = dt.date.fromisoformat(when)
        outside = [o for s in states if (o := memberships.outside(s.iri, c.instrument, day))]
        if outside:
            found.append(
                w["members_only"].format(
                    names=name(ctx.store, c.instrument, lang),
                    org=name(ctx.store, outside[0].organisation, lang),
                    date=outside[0].list_as_at,
                    k=len(outside),
                )
            )
    return found


def _figure(ctx: Context, lang: str, shown: list[Coverage], names: dict[str, str]) -> Matrix:
    """Instrument x modality for the shown instruments, only the modalities they provide; the
    other way round when there are more instruments than modalities (the shorter figure)."""
    provided = [m for m in modalities(ctx) if any(m.iri in c.articles for c in shown)]
    instruments = [
        Axis(c.instrument, c.title, plain(name(ctx.store, c.instrument, lang))) for c in shown
    ]
    kinds = [Axis(m.iri, names[m.iri], plain(names[m.iri])) for m in provided]
    by_instrument = len(shown) <= len(provided) <= MAX_COLUMNS
    rows, columns = (instruments, kinds) if by_instrument else (kinds, instruments)
    articles = {c.instrument: c.articles for c in shown}

    def count(row: Axis, column: Axis) -> int:
        instrument, modality = (row, column) if by_instrument else (column, row)
        return len(articles[instrument.iri].get(modality.iri, ()))

    counts = tuple(tuple(count(r, c) for c in columns) for r in rows)
    return Matrix(
        title="",
        corner="",
        rows=tuple(rows),
        columns=tuple(columns),
        cells=tuple(tuple(str(n) if n else "" for n in row) for row in counts),
        counts=counts,
        caption="",
        used=(),
    )


def _date(text: str, lang: str) -> str:
    if text.startswith("opened "):
        return words(lang)["opened"].format(date=text.removeprefix("opened "))
    return text


def _table_row(
    ctx: Context, lang: str, c: Coverage, names: dict[str, str], counts: dict[str, str] | None
) -> tuple[str, ...]:
    """The instrument (and how it reaches the crime, unless it covers it), its dates, its
    article numbers by modality, and the region's counts when there is a region."""
    w = words(lang)
    covered = ", ".join(name(ctx.store, iri, lang) for iri in c.covered)
    label = name(ctx.store, c.instrument, lang)
    if c.via != "direct":
        label += f" ({w[c.via].format(names=covered)})"
    articles = "; ".join(
        f"{names[m]} " + ", ".join(a for a, _ in arts) for m, arts in c.articles.items()
    )
    row = (label, _date(c.adopted, lang), c.in_force, articles)
    return (*row, counts.get(c.instrument, "")) if counts is not None else row


def make_brief(
    crime: str,
    region: str | None = None,
    *,
    lang: str = "en",
    store: ox.Store | None = None,
    layout: Layout | None = None,
) -> Brief:
    """Gather what a brief on ``crime`` (and the states of ``region``) says, in ``lang``."""
    from lexgraph.core.errors import InputError

    if lang not in LANGUAGES:
        raise InputError(f"brief language {lang!r}: give one of {', '.join(LANGUAGES)}")
    w = words(lang)
    ctx = Context.of(store, layout)
    crime_iri, _, found, _ = coverage(ctx, crime)
    crime_name = name(ctx.store, crime_iri, lang)
    names = {m.iri: name(ctx.store, m.iri, lang) for m in modalities(ctx)}
    short = {m.iri: name(ctx.store, m.iri, lang, brief=True) for m in modalities(ctx)}
    shown = _shown(found, MAX_SHOWN if region is None else MAX_SHOWN_REGION)
    messages = _messages(ctx, lang, crime_name, found, names)
    counts: dict[str, str] | None = None
    participation: list[Source] = []
    columns = [
        w["col_instrument"],
        w["col_adopted"],
        w["col_in_force"],
        w["col_articles"],
    ]
    if region is not None:
        message, counts, participation = _region(ctx, lang, region, found, shown)
        region_iri = resolve_region(ctx, region)[0]
        columns.append(w["col_region_counts"].format(region=name(ctx.store, region_iri, lang)))
        messages.append(message)
    elif found:
        messages.append(_in_force_message(ctx, lang, found))
    messages = messages[:3]
    figure_notes = [w["figure_note"]]
    missing = [short[m.iri] for m in modalities(ctx) if not any(m.iri in c.articles for c in found)]
    if found and missing:
        figure_notes.append(w["modalities_left_out"].format(names=listing(missing, lang, 12)))
    table_notes = []
    if len(shown) < len(found):
        rest = [name(ctx.store, c.instrument, lang) for c in found if c not in shown]
        table_notes.append(
            w["instruments_left_out"].format(
                shown=len(shown), n=len(found), names=listing(rest, lang, len(rest))
            )
        )
    if any(c.adopted.startswith("opened") for c in shown):
        table_notes.append(w["opened_note"])
    sources = [Source(name(ctx.store, c.instrument, lang), c.source) for c in shown if c.source]
    sources += participation
    date = data_date(ctx.layout, ctx.store)
    rows = [_table_row(ctx, lang, c, short, counts) for c in shown]
    everything = "".join([*(m.text + m.gap for m in messages), *(c for r in rows for c in r)])
    notes: tuple[str, ...] = ()
    if lang != "en" and FOREIGN_START in everything:
        notes = (w["english_note"].format(language=w["language"]),)
    return Brief(
        crime=crime_iri,
        lang=lang,
        title=sentence_start(w["title"].format(crime=crime_name)),
        meta=w["meta"].format(
            version=__version__, when=w["when"].format(date=date) if date else ""
        ),
        messages=tuple(messages),
        figure_title=w["figure"],
        matrix=_figure(ctx, lang, shown, short),
        figure_notes=tuple(figure_notes),
        columns=tuple(columns),
        rows=tuple(rows),
        table_title=w["table"],
        table_notes=tuple(table_notes),
        sources=tuple(sources),
        citation=w["cite"].format(citation=ctx.caption().removeprefix("Source: ")),
        notes=notes,
        date=date,
    )
