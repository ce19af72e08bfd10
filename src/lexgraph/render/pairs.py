"""Render the finder's answers about a pair of states: its gaps and its dyad.

Each format opens with a summary line, then a table with a header row: ``table`` for a
terminal, ``md``, ``csv`` (keys and names side by side, the summary as a ``#`` comment last) and
``json``. People read names (short names of instruments, labels of crime types and modalities);
keys appear only in CSV and JSON.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lexgraph.core.escape import markdown as _md
from lexgraph.core.namespaces import key_of
from lexgraph.finder.answer import CONDITIONAL, NO_BASIS, NO_INSTRUMENT, UNKNOWN
from lexgraph.finder.channels import ChannelAnswer
from lexgraph.finder.gaps import Gap, Shared
from lexgraph.finder.standing import Standing
from lexgraph.render.basis import plain
from lexgraph.render.formats import text_table

FORMATS = ("table", "md", "csv", "json")

#: The verdicts of a gap, in the order they are listed, and how a sentence calls them.
GAP_VERDICTS = {
    CONDITIONAL: "conditional (a basis if facts of the case meet its conditions)",
    UNKNOWN: "unknown (participation data missing or too old)",
    NO_BASIS: "no basis",
    NO_INSTRUMENT: "no instrument in the corpus provides it",
}


@dataclass(frozen=True)
class Pair:
    """The two states asked about (IRIs), the date, and how to name a node for people."""

    first: str
    second: str
    on: dt.date
    name: Callable[[str], str]


def _render(
    fmt: str,
    summary: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    csv_columns: Sequence[str],
    csv_rows: Sequence[Sequence[str]],
    width: int | None,
) -> str:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(csv_columns)
        writer.writerows(csv_rows)
        out.write(f"# {summary}\n")
        return out.getvalue()
    if fmt == "md":
        lines = [_md(summary), ""]
        if rows:
            lines.append("| " + " | ".join(_md(c) for c in columns) + " |")
            lines.append("|" + "---|" * len(columns))
            lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    return summary + "\n" + ("\n" + text_table(columns, rows, width) if rows else "")


# ---------------------------------------------------------------------------------------------
# Gaps


def gaps_summary(found: Sequence[Gap], pair: Pair) -> str:
    """One sentence: how many pairs lack a basis, by verdict."""
    counts = Counter(g.verdict for g in found)
    head = f"{pair.name(pair.first)} asking {pair.name(pair.second)}, on {pair.on.isoformat()}: "
    if not found:
        return head + "every crime type and modality has a basis in the graph."
    parts = "; ".join(f"{counts[v]} {text}" for v, text in GAP_VERDICTS.items() if counts[v])
    plural = "s" if len(found) != 1 else ""
    return head + f"{len(found)} (crime type, modality) pair{plural} without a basis: {parts}."


def render_gaps(found: Sequence[Gap], fmt: str, pair: Pair, width: int | None = None) -> str:
    """The gaps of a pair of states in ``fmt``, grouped by verdict then by crime type."""
    if fmt == "json":
        return json.dumps([plain(dataclasses.asdict(g)) for g in found], indent=2) + "\n"
    order = list(GAP_VERDICTS)
    ordered = sorted(
        found,
        key=lambda g: (order.index(g.verdict), pair.name(g.crime), pair.name(g.modality)),
    )
    rows = [
        (
            g.verdict,
            pair.name(g.crime),
            pair.name(g.modality),
            ", ".join(pair.name(c) for c in g.candidates) or "-",
        )
        for g in ordered
    ]
    csv_rows = [
        (
            g.verdict,
            key_of(g.crime),
            pair.name(g.crime),
            key_of(g.modality),
            pair.name(g.modality),
            " ".join(key_of(c) for c in g.candidates),
        )
        for g in ordered
    ]
    return _render(
        fmt,
        gaps_summary(found, pair),
        ("verdict", "crime type", "modality", "candidate instruments"),
        rows,
        ("verdict", "crime", "crime_label", "modality", "modality_label", "candidates"),
        csv_rows,
        width,
    )


# ---------------------------------------------------------------------------------------------
# Dyads


def since_kind(standing: Standing) -> str:
    """What a bound state's ``since`` date is: its entry into force for the state, its
    consent (where that entry into force is not recorded), or the instrument's own entry into
    force (a consent given before the instrument was in force)."""
    if standing.since is None:
        return "date not known"
    if any(a.in_force == standing.since for a in standing.acts):
        return "in force for it"
    if any(a.date == standing.since and a.kind != "signature" for a in standing.acts):
        return "consent; entry into force for it not recorded"
    return "the instrument's entry into force"


def _given_by(item: Shared, pair: Pair) -> str:
    first, second = item.standings
    if item.since is None:
        return "not known"
    if first.since != item.since and second.since != item.since:
        return "the instrument's entry into force"
    if first.since == second.since:
        return "both"
    return pair.name(first.state if first.since == item.since else second.state)


def dyad_summary(shared: Sequence[Shared], pair: Pair) -> str:
    """One sentence: how many instruments bind both states, and what is left out."""
    head = f"{pair.name(pair.first)} and {pair.name(pair.second)}, on {pair.on.isoformat()}: "
    left_out = " Instruments where either state's standing is unknown are not listed."
    if not shared:
        return head + "no instrument in the graph is known to bind both." + left_out
    plural = "s bind" if len(shared) != 1 else " binds"
    return (
        head + f'{len(shared)} instrument{plural} both. "Both since" is the later of the dates '
        "from which each is bound (its entry into force for the state, else its consent), or the "
        "instrument's own entry into force where that is later." + left_out
    )


def render_dyad(shared: Sequence[Shared], fmt: str, pair: Pair, width: int | None = None) -> str:
    """The instruments binding both states in ``fmt``, the earliest first; each row says which
    date it gives (:func:`since_kind`)."""
    if fmt == "json":
        return json.dumps([plain(dataclasses.asdict(s)) for s in shared], indent=2) + "\n"

    def day(value: dt.date | None) -> str:
        return value.isoformat() if value else "?"

    a, b = pair.name(pair.first), pair.name(pair.second)
    rows = [
        (
            day(s.since),
            pair.name(s.instrument),
            _given_by(s, pair),
            f"{day(s.standings[0].since)} ({since_kind(s.standings[0])})",
            f"{day(s.standings[1].since)} ({since_kind(s.standings[1])})",
        )
        for s in shared
    ]
    csv_rows = [
        (
            key_of(s.instrument),
            pair.name(s.instrument),
            day(s.since),
            _given_by(s, pair),
            day(s.standings[0].since),
            since_kind(s.standings[0]),
            day(s.standings[1].since),
            since_kind(s.standings[1]),
        )
        for s in shared
    ]
    return _render(
        fmt,
        dyad_summary(shared, pair),
        ("both since", "instrument", "date given by", f"{a} bound since", f"{b} bound since"),
        rows,
        (
            "instrument",
            "instrument_name",
            "both_since",
            "date_given_by",
            "first_since",
            "first_since_is",
            "second_since",
            "second_since_is",
        ),
        csv_rows,
        width,
    )


# ---------------------------------------------------------------------------------------------
# Channels


def channels_summary(answer: ChannelAnswer, pair: Pair) -> str:
    """One sentence: which networks connect the two states, for which modality."""
    a, b = pair.name(answer.first), pair.name(answer.second)
    what = f" for {pair.name(answer.modality)}" if answer.modality else ""
    head = f"Networks connecting {a} and {b}{what}: "
    if answer.shared:
        head += f"{len(answer.shared)} with both as members"
    else:
        head += "none recorded with both as members"
    if answer.unrecorded:
        head += f"; {len(answer.unrecorded)} whose members the graph does not list"
    return head + "."


def render_channels(answer: ChannelAnswer, fmt: str, pair: Pair, width: int | None = None) -> str:
    """The networks of :func:`lexgraph.finder.channels.channels` in ``fmt``: both members
    first, then one side only, then members not recorded."""
    groups = (
        ("both members", answer.shared),
        ("only one is a recorded member", answer.one_side),
        ("members not recorded", answer.unrecorded),
    )
    if fmt == "json":
        out = {
            "first": answer.first,
            "second": answer.second,
            "modality": answer.modality,
            **{key: [plain(dataclasses.asdict(c)) for c in found] for key, found in (
                ("shared", answer.shared), ("one_side", answer.one_side),
                ("unrecorded", answer.unrecorded))},
        }  # fmt: skip
        return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
    rows, csv_rows = [], []
    for status, found in groups:
        for c in found:
            serves = ", ".join(pair.name(m) for m in c.modalities)
            if c.members is None:
                members = "not recorded"
            elif c.as_at:
                members = f"{len(c.members)} as at {c.as_at}"
            else:
                members = f"{len(c.members)} (undated list)"
            rows.append((status, c.name, serves, members, c.source or ""))
            csv_rows.append(
                (status, key_of(c.network), c.name, " ".join(key_of(m) for m in c.modalities),
                 "" if c.members is None else str(len(c.members)), c.as_at or "", c.source or "")
            )  # fmt: skip
    return _render(
        fmt,
        channels_summary(answer, pair),
        ("connects", "network", "serves", "members", "source"),
        rows,
        ("connects", "network", "name", "serves", "members", "as_at", "source"),
        csv_rows,
        width,
    )
