"""``lexgraph update``: refresh participation from the depositaries, all or nothing.

For every instrument of ``graph/`` deposited with the UN Secretary-General (a
``lex:untcReference``, or a UN Treaty Collection table already imported whose source names
its ``mtdsg_no``) the update fetches its MTDSG XML document (:mod:`.mtdsg`); for every Council
of Europe treaty (depositary ``body/coe-secretary-general`` and an ETS/CETS number) its chart
of signatures and ratifications (:mod:`.coe`). It then

1. downloads everything; a failed download is an error naming the instrument and the URL;
2. reads and checks everything: a malformed document, an HTML page served in place of the
   XML (a maintenance notice), a chart cut short, an unknown participant name, or a list of
   participants that shrank by more than :data:`MAX_SHRINK` against the previous snapshot
   (unless ``allow_shrink``) is an error;
3. only when nothing failed, writes every file at once
   (:func:`~lexgraph.core.atomic.write_files_atomically`):

   - ``graph/imported/participation/mtdsg/<key>.ttl`` and ``.../coe/<key>.ttl``: the records
     and a ``lex:StatusList`` as at the date the depositary prints;
   - ``graph/imported/reservations/<key>.ttl``: the typed statements
     (:mod:`.declarations`), with no words of theirs;
   - ``graph/imported/changes/<key>.ttl``: the changes since the previous snapshot
     (:mod:`.changes`), added to the ones recorded before.

Every error of every instrument is listed in one message, and nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef

from lexgraph.core.atomic import write_files_atomically
from lexgraph.core.errors import InputError
from lexgraph.core.http import TIMEOUT_S, request
from lexgraph.core.namespaces import ID
from lexgraph.core.paths import Layout
from lexgraph.core.terms import Lex, Rdf
from lexgraph.core.turtle import render
from lexgraph.importers import PURPOSE, generated_header
from lexgraph.importers.changes import (
    CONSENTS,
    Change,
    compare,
    read_changes,
    read_snapshot,
    snapshot,
)
from lexgraph.importers.coe import chart_records, parse_chart
from lexgraph.importers.declarations import (
    footnote_records,
    read_statements,
    statement_blocks,
)
from lexgraph.importers.mtdsg import UN_BASE, document_url, parse_document
from lexgraph.importers.participation import ParticipantNames, StatusList, record_blocks
from lexgraph.importers.records import instrument_graph
from lexgraph.importers.untc import graph_instruments, participant_name, table_records
from lexgraph.store.sources import parse_file

COE_BASE = "https://www.coe.int"
COE_CHART = "/en/web/conventions/full-list?module=signatures-by-treaty&treatynum={n}"
COE_DEPOSITARY = ID + "body/coe-secretary-general"
#: The largest share of the previous snapshot's participants that may vanish from a list
#: without ``--allow-shrink``: depositaries' lists grow; one that shrinks is more likely cut.
MAX_SHRINK = 0.1
_MTDSG_NO = re.compile(r"mtdsg_no=([IVXLC]+-\d+(?:-[a-z])?)", re.I)


@dataclass(frozen=True)
class Target:
    """One instrument to refresh: its key and label, the depositary, and the URL to read."""

    key: str
    label: str
    depositary: str  # "mtdsg" or "coe"
    url: str


@dataclass
class Prepared:
    """One instrument read and checked: the files to write and what changed."""

    target: Target
    as_at: str
    files: dict[Path, str] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    line: str = ""


@dataclass(frozen=True)
class UpdateResult:
    """What an update did (or, for a dry run, would do)."""

    prepared: tuple[Prepared, ...]
    written: tuple[Path, ...]
    #: What each written file held before (None: it did not exist), for :func:`restore`.
    before: dict[Path, str | None] = field(default_factory=dict)

    @property
    def changes(self) -> list[Change]:
        return [c for p in self.prepared for c in p.changes]


def targets(
    layout: Layout, only: Sequence[str] = (), un_base: str = UN_BASE, coe_base: str = COE_BASE
) -> list[Target]:
    """The instruments an update reads, sorted by key; ``only`` keeps those keys."""
    found: dict[str, Target] = {}
    instruments = graph_instruments(layout)
    references = {k: i.untc_reference for k, i in instruments.items() if i.untc_reference}
    for path in sorted((layout.participation / "untc").glob("*.ttl")):
        head = path.read_text(encoding="utf-8")[:4096]
        match = _MTDSG_NO.search(head)
        if match and path.stem in instruments:
            roman, rest = match.group(1).split("-", 1)
            references.setdefault(path.stem, f"{roman.upper()}-{rest.lower()}")
    for key, reference in sorted(references.items()):
        label = instruments[key].label
        found[key] = Target(key, label, "mtdsg", document_url(reference, un_base))
    graph = instrument_graph(layout.root)
    for subject in graph.subjects(URIRef(Lex.depositary), URIRef(COE_DEPOSITARY)):
        number = graph.value(subject, URIRef(Lex.treatySeriesNumber))
        key = str(subject)[len(ID + "instrument/") :]
        digits = re.sub(r"\D", "", str(number)) if isinstance(number, Literal) else ""
        if digits and key in instruments and key not in found:
            url = coe_base.rstrip("/") + COE_CHART.format(n=digits)
            found[key] = Target(key, instruments[key].label, "coe", url)
    if only:
        unknown = sorted(set(only) - set(found))
        if unknown:
            raise InputError(
                f"--only {', '.join(unknown)}: not an instrument the update reads (it reads "
                f"{', '.join(sorted(found))})"
            )
        return [found[k] for k in sorted(set(only))]
    return [found[k] for k in sorted(found)]


def _articles(layout: Layout) -> frozenset[str]:
    """The IRIs of the article nodes of ``graph/``, for ``lex:affectsProvision``."""
    found: set[str] = set()
    files = [*sorted((layout.imported / "articles").glob("*.ttl"))]
    files += sorted(layout.instruments.glob("*.ttl"))
    for path in files:
        for quad in parse_file(path, layout.relative(path)):
            subject = quad.subject
            if (
                isinstance(subject, ox.NamedNode)
                and quad.predicate.value == Rdf.type
                and "/article/" in subject.value
            ):
                found.add(subject.value)
    return frozenset(found)


def _check_shrink(target: Target, before: int, now: int, allow: bool) -> None:
    if before and not allow and before - now > before * MAX_SHRINK:
        raise InputError(
            f"{target.key}: {target.url} lists {now} participant(s), the previous snapshot "
            f"{before}: a drop this sharp looks like a cut or wrong list; check the page, and "
            "give --allow-shrink if it is right"
        )


def _header(target: Target, as_at: str, what: str, notes: Sequence[str] = ()) -> str:
    return generated_header(
        f"{what} of {target.label} (instrument/{target.key}) as the depositary's list shows it "
        f"as at {as_at}, the date it prints.",
        target.url,
        [f"--only {target.key}"],
        notes,
        verb="update",
    )


def _prepare_mtdsg(
    layout: Layout,
    target: Target,
    data: bytes,
    names: ParticipantNames,
    articles: frozenset[str],
    allow_shrink: bool,
) -> Prepared:
    document = parse_document(data, target.url)
    as_at = document.as_at
    records, skipped, withdrawn = table_records(
        document.table, names, target.key, target.url, as_at
    )
    rows = {
        line: iri
        for line, cells in document.table.rows
        if (iri := names.resolve(participant_name(cells[0])[0]))
    }
    records += footnote_records(document, rows, target.key, target.url)
    acts = {(r.participant, r.act): r.date for r in records if r.date}
    statements = read_statements(document, names, acts)
    blocks = statement_blocks(statements, target.key, target.url, as_at, articles.__contains__)
    out = layout.participation / "mtdsg" / f"{target.key}.ttl"
    said = layout.imported / "reservations" / f"{target.key}.ttl"
    previous = read_snapshot(
        target.key, [out, layout.participation / "untc" / f"{target.key}.ttl"], said
    )
    current = snapshot(target.key, as_at, records, {b.subject: str(b.pairs[1][1]) for b in blocks})
    _check_shrink(target, len(previous.participants), len(current.participants), allow_shrink)
    notes = [
        f"{len(document.footnotes)} footnote(s) read: the withdrawals and denunciations they "
        "report are records here; what else they say (successions, objections, territorial "
        "notes) stays at the source."
    ]
    if skipped:
        notes.append("Skipped, not current States: " + "; ".join(skipped) + ".")
    if withdrawn:
        notes.append("In brackets (withdrawn since): " + "; ".join(withdrawn) + ".")
    prepared = Prepared(target, as_at)
    listed = StatusList(target.key, as_at, target.url)
    prepared.files[out] = render(
        _header(target, as_at, "Participation", notes),
        [*record_blocks(records, "mtdsg"), listed.block("mtdsg")],
        ("lex", "dcterms", "xsd"),
    )
    prepared.files[said] = render(
        _header(
            target,
            as_at,
            "Reservations, declarations, notifications and objections",
            [
                "Typed readings of the statements (lexgraph.importers.declarations); their "
                "words stay at the depositary."
            ],
        ),
        blocks,
        ("lex", "dcterms", "xsd"),
    )
    prepared.changes = compare(previous, current, target.url)
    parties = len({r.participant for r in records if r.act in CONSENTS})
    prepared.line = (
        f"{target.key}: as at {as_at}, {len(current.participants)} participant(s), "
        f"{parties} with a consent to be bound, {len(statements)} statement(s)"
    )
    return prepared


def _prepare_coe(
    layout: Layout, target: Target, data: bytes, names: ParticipantNames, allow_shrink: bool
) -> Prepared:
    try:
        html = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{target.url}: cannot read the chart as UTF-8: {exc}") from exc
    chart = parse_chart(html, target.url)
    expected = re.search(r"treatynum=(\d+)", target.url)
    if chart.treaty and expected and chart.treaty != expected.group(1):
        raise InputError(f"{target.url}: the chart is of Treaty {chart.treaty}, not {target.key}")
    resolved = names.resolve_all((f"{target.url}:{row.line}", row.name) for row in chart.rows)
    records = chart_records(chart, target.key, target.url, resolved)
    as_at = chart.as_at.isoformat()
    out = layout.participation / "coe" / f"{target.key}.ttl"
    previous = read_snapshot(target.key, [out], None)
    current = snapshot(target.key, as_at, records)
    _check_shrink(target, len(previous.participants), len(current.participants), allow_shrink)
    prepared = Prepared(target, as_at)
    listed = StatusList(target.key, as_at, target.url)
    prepared.files[out] = render(
        _header(target, as_at, "Participation"),
        [*record_blocks(records, "coe"), listed.block("coe")],
        ("lex", "dcterms", "xsd"),
    )
    prepared.changes = compare(previous, current, target.url)
    prepared.line = f"{target.key}: as at {as_at}, {len(current.participants)} participant(s)"
    return prepared


def _changes_files(layout: Layout, prepared: Sequence[Prepared]) -> dict[Path, str]:
    from lexgraph.importers.changes import render_changes

    files: dict[Path, str] = {}
    for item in prepared:
        path = layout.imported / "changes" / f"{item.target.key}.ttl"
        kept = read_changes(path) if path.is_file() else []
        if item.changes or kept:
            files[path] = render_changes(item.target.key, item.changes, kept)
    return files


def run_update(
    layout: Layout,
    *,
    only: Sequence[str] = (),
    un_base: str = UN_BASE,
    coe_base: str = COE_BASE,
    allow_shrink: bool = False,
    dry_run: bool = False,
    timeout: float = TIMEOUT_S,
    echo: Callable[[str], None] = lambda line: None,
) -> UpdateResult:
    """Refresh the participation of the instruments of ``layout`` (see the module's text).

    Raises one :class:`InputError` listing every failure; then nothing has been written.
    """
    chosen = targets(layout, only, un_base, coe_base)
    fetched: dict[str, bytes] = {}
    failures: list[str] = []
    for target in chosen:
        try:
            fetched[target.key] = request(target.url, PURPOSE, timeout_s=timeout).body
            echo(f"fetched {target.key}: {target.url}")
        except InputError as exc:
            failures.append(f"{target.key}: {exc}")
            echo(f"failed  {target.key}: {target.url}")
    names = ParticipantNames.load(layout.root)
    articles = _articles(layout)
    prepared: list[Prepared] = []
    for target in chosen:
        if target.key not in fetched:
            continue
        try:
            if target.depositary == "mtdsg":
                item = _prepare_mtdsg(
                    layout, target, fetched[target.key], names, articles, allow_shrink
                )
            else:
                item = _prepare_coe(layout, target, fetched[target.key], names, allow_shrink)
        except InputError as exc:
            text = str(exc)
            failures.append(text if text.startswith(f"{target.key}:") else f"{target.key}: {text}")
            continue
        prepared.append(item)
        echo(item.line + (f"; {len(item.changes)} change(s)" if item.changes else ""))
    if failures:
        raise InputError(
            f"update failed for {len(failures)} of {len(chosen)} instrument(s); nothing was "
            "written:\n  " + "\n  ".join(failures)
        )
    files = {p: text for item in prepared for p, text in item.files.items()}
    files.update(_changes_files(layout, prepared))
    changed = {p: t for p, t in files.items() if not p.is_file() or p.read_text("utf-8") != t}
    before = {p: (p.read_text("utf-8") if p.is_file() else None) for p in changed}
    if dry_run:
        return UpdateResult(tuple(prepared), ())
    if changed:
        write_files_atomically(dict(changed))
    return UpdateResult(tuple(prepared), tuple(sorted(changed)), before)


def restore(result: UpdateResult) -> None:
    """Put the files an update wrote back as they were (after a failed rebuild)."""
    old = {p: text for p, text in result.before.items() if text is not None}
    if old:
        write_files_atomically(dict(old))
    for path, text in result.before.items():
        if text is None:
            path.unlink(missing_ok=True)


def summary(result: UpdateResult) -> list[str]:
    """The lines that say what changed since the previous snapshots."""
    from lexgraph.importers.changes import KINDS, label

    changes = result.changes
    if not changes:
        return ["no change since the previous snapshots"]
    lines = [f"{len(changes)} change(s) since the previous snapshots:"]
    for kind in KINDS:
        these = [c for c in changes if c.kind == kind]
        if these:
            lines.append(f"  {kind}: {len(these)}")
            lines += [f"    {c.instrument}: {label(c)}" for c in these]
    return lines
