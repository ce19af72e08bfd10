"""The release's feed of participation changes: Atom 1.0 and JSON, per state and instrument.

``lexgraph release`` writes, beside the dumps, from the change records of the built graph
(:mod:`lexgraph.views.changes`):

- ``changes.atom``: an Atom 1.0 feed (RFC 4287), one entry per change, newest first, each with
  its change IRI as ``id``, the depositary's as-at date as ``updated`` and a link to the
  depositary's list as ``alternate``; so a central authority can subscribe;
- ``changes/all.json``, ``changes/state/<ISO3>.json`` and ``changes/instrument/<key>.json``:
  the same records as JSON, for the whole graph, one state or one instrument.

Nothing reads a clock: the feed's ``updated`` is the newest change's date, else the release
date, so the files are byte-identical for the same build.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from lexgraph.views.changes import COLUMNS, ChangeRow

ATOM = "changes.atom"
#: The JSON files' ``schema`` value: the shape of each record is :data:`COLUMNS`.
SCHEMA = "https://w3id.org/lexgraph/schema/changes/1"
#: What each feed file is, for the release's description (name pattern, media type, what).
KINDS = (
    (ATOM, "application/atom+xml", "the recorded participation changes as an Atom 1.0 feed"),
    ("changes/all.json", "application/json", "every recorded participation change, JSON"),
    ("changes/state/", "application/json", "the recorded changes of one state, JSON"),
    ("changes/instrument/", "application/json", "the recorded changes of one instrument, JSON"),
)


def _stamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def _title(row: ChangeRow) -> str:
    return f"{row.state_name}: {row.change_label}, {row.instrument_name}"


def _summary(row: ChangeRow) -> str:
    text = f"{row.change_label.capitalize()}: {row.state_name} ({row.state}), "
    text += f"{row.instrument_name}, as the depositary's list as at {row.as_at} shows"
    if row.act_date:
        text += f"; the act is dated {row.act_date}"
    if row.previous_as_at:
        text += f"; the previous list held was as at {row.previous_as_at}"
    return text + "."


def atom(rows: Sequence[ChangeRow], dataset: str, issued: str, title: str) -> str:
    """The Atom feed of ``rows`` (newest first) for the dataset IRI ``dataset``."""
    updated = max((r.as_at for r in rows), default=issued)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <id>{escape(dataset)}/changes</id>",
        f"  <title>{escape(title)}: changes in participation</title>",
        f"  <updated>{_stamp(updated)}</updated>",
        "  <author><name>lexgraph contributors</name></author>",
        f'  <link rel="self" href="{ATOM}"/>',
        '  <link rel="alternate" type="application/json" href="changes/all.json"/>',
        "  <generator>lexgraph release</generator>",
    ]
    for row in rows:
        lines += [
            "  <entry>",
            f"    <id>{escape(row.id)}</id>",
            f"    <title>{escape(_title(row))}</title>",
            f"    <updated>{_stamp(row.as_at)}</updated>",
            *([f'    <link rel="alternate" href={quoteattr(row.source)}/>'] if row.source else []),
            f"    <category term={quoteattr(row.change)} label={quoteattr(row.change_label)}/>",
            f"    <summary>{escape(_summary(row))}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _json(rows: Sequence[ChangeRow], about: dict[str, str]) -> bytes:
    body = {"schema": SCHEMA, **about, "changes": [r.values() for r in rows]}
    return (json.dumps(body, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode()


def feed_files(
    rows: Sequence[ChangeRow], dataset: str, issued: str, title: str
) -> dict[str, bytes]:
    """Every feed file of the release, by its name in the release directory."""
    files = {
        ATOM: atom(rows, dataset, issued, title).encode(),
        "changes/all.json": _json(rows, {}),
    }
    for state in sorted({r.state for r in rows}):
        mine = [r for r in rows if r.state == state]
        files[f"changes/state/{state}.json"] = _json(mine, {"state": state})
    for key in sorted({r.instrument for r in rows}):
        mine = [r for r in rows if r.instrument == key]
        files[f"changes/instrument/{key}.json"] = _json(mine, {"instrument": key})
    return files


def describe(name: str) -> tuple[str, str]:
    """The media type and description of a feed file, for the release's VoID."""
    for pattern, media, what in KINDS:
        if name == pattern or (pattern.endswith("/") and name.startswith(pattern)):
            return media, what
    raise KeyError(name)


__all__ = ["ATOM", "COLUMNS", "SCHEMA", "atom", "describe", "feed_files"]
