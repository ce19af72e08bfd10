"""Render the finder's answers: a terminal table, Markdown, and JSON of a documented shape.

The JSON shape is described by ``schemas/basis.schema.json`` (shipped in the package); its
``schema`` member names the version, which changes only when the shape does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from lexgraph.core.escape import markdown as _md
from lexgraph.core.namespaces import key_of
from lexgraph.finder.basis import BASIS, NO_BASIS, UNKNOWN, Basis, BasisAnswer
from lexgraph.finder.gaps import Gap, Shared

SCHEMA_ID = "https://w3id.org/lexgraph/schema/basis/1"
FORMATS = ("table", "json", "md")
VERDICT_TEXT = {BASIS: "BASIS", UNKNOWN: "UNKNOWN", NO_BASIS: "NO BASIS"}


def schema() -> dict[str, Any]:
    """Return the JSON Schema of :func:`to_json`'s output."""
    from importlib import resources  # loads tempfile and shutil: only for the schema

    text = resources.files("lexgraph").joinpath("schemas/basis.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def to_json(answer: BasisAnswer, citation: str | None = None) -> dict[str, Any]:
    """Return the answer as a JSON-ready dict of the documented shape."""
    return {
        "schema": SCHEMA_ID,
        "query": {
            "requesting": answer.requesting,
            "requested": answer.requested,
            "crime": answer.crime,
            "modality": answer.modality,
            "on": answer.on.isoformat(),
        },
        "summary": {
            "basis": [b.instrument for b in answer.bases],
            "unknown": [b.instrument for b in answer.unknown],
        },
        "candidates": [_plain(dataclasses.asdict(b)) for b in answer.candidates],
        "citation": citation,
    }


def _articles(basis: Basis) -> str:
    numbers = [a.number or key_of(a.provision) for a in basis.articles]
    return ("art. " + ", ".join(numbers)) if numbers else "no article left"


def _head(answer: BasisAnswer) -> str:
    return (
        f"{key_of(answer.requesting)} asks {key_of(answer.requested)}: "
        f"{key_of(answer.modality)} for {key_of(answer.crime)}, on {answer.on.isoformat()}"
    )


def render_table(answer: BasisAnswer, citation: str | None = None) -> str:
    """Plain text for a terminal: one block per candidate, bases first."""
    lines = [_head(answer), ""]
    if not answer.candidates:
        lines.append("no instrument in the graph covers this crime and provides this modality")
    for basis in answer.candidates:
        via = f" with {key_of(basis.protocol)}" if basis.protocol else ""
        lines.append(
            f"{VERDICT_TEXT[basis.verdict]:<9} {key_of(basis.instrument)}{via}, "
            f"{_articles(basis)}  ({basis.title})"
        )
        for reason in basis.reasons:
            lines.append(f"          because {reason}")
        for ref in basis.reservations:
            lines.append(
                f"          reservation of {key_of(ref.state)}: {ref.effect_label}"
                f" ({ref.why}; {ref.source or 'no source'})"
            )
        for step in basis.why:
            lines.append(f"          why: {step}")
        lines.append("")
    if citation:
        lines.append(f"Source: {citation}")
    return "\n".join(lines).rstrip() + "\n"


def render_md(answer: BasisAnswer, citation: str | None = None) -> str:
    """Markdown: a summary table, then the reasons and the why chain of each candidate."""
    lines = [f"**{_md(_head(answer))}**", ""]
    lines += ["| verdict | instrument | articles | coverage |", "|---|---|---|---|"]
    for b in answer.candidates:
        lines.append(
            f"| {VERDICT_TEXT[b.verdict]} | {_md(b.title)} | {_md(_articles(b))} | {b.rule} |"
        )
    for b in answer.candidates:
        lines += ["", f"### {_md(b.title)}: {VERDICT_TEXT[b.verdict]}", ""]
        lines += [f"- because {_md(r)}" for r in b.reasons]
        lines += [
            f"- reservation of {key_of(r.state)}: {_md(r.effect_label)} ({_md(r.why)})"
            for r in b.reservations
        ]
        lines += [f"- {_md(step)}" for step in b.why]
    if citation:
        lines += ["", f"*Source: {_md(citation)}*"]
    return "\n".join(lines) + "\n"


def render(answer: BasisAnswer, fmt: str, citation: str | None = None) -> str:
    """Render an answer in one of :data:`FORMATS`."""
    if fmt == "json":
        return json.dumps(to_json(answer, citation), indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return render_md(answer, citation)
    return render_table(answer, citation)


def render_gaps(found: Sequence[Gap], fmt: str) -> str:
    """Render the gaps of a pair of states, grouped by verdict."""
    if fmt == "json":
        return json.dumps([_plain(dataclasses.asdict(g)) for g in found], indent=2) + "\n"
    lines = []
    for gap in found:
        candidates = ", ".join(key_of(c) for c in gap.candidates) or "-"
        lines.append(
            f"{gap.verdict:<13} {key_of(gap.crime):<45} {key_of(gap.modality):<40} {candidates}"
        )
    return "\n".join(lines) + ("\n" if lines else "no gaps\n")


def render_dyad(shared: Sequence[Shared], fmt: str) -> str:
    """Render the timeline of the instruments two states are both bound by."""
    if fmt == "json":
        return json.dumps([_plain(dataclasses.asdict(s)) for s in shared], indent=2) + "\n"
    lines = []
    for item in shared:
        since = item.since.isoformat() if item.since else "?"
        lines.append(f"{since}  {key_of(item.instrument):<50} {item.title}")
    return "\n".join(lines) + ("\n" if lines else "no instrument binds both\n")
