"""Render the finder's answers: a terminal table, Markdown, and JSON of a documented shape.

The JSON shape is described by ``schemas/basis.schema.json`` (shipped in the package); its
``schema`` member names the version, which changes only when the shape does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from lexgraph.core.escape import markdown as _md
from lexgraph.finder.basis import (
    BASIS,
    CONDITIONAL,
    FRAMEWORK,
    NO_BASIS,
    UNKNOWN,
    Basis,
    BasisAnswer,
)
from lexgraph.finder.model import cite
from lexgraph.finder.standing import NOT_YET_IN_FORCE, Standing

SCHEMA_ID = "https://w3id.org/lexgraph/schema/basis/2.3"
FORMATS = ("table", "json", "md")
VERDICT_TEXT = {
    BASIS: "BASIS",
    CONDITIONAL: "CONDITIONAL",
    UNKNOWN: "UNKNOWN",
    FRAMEWORK: "FRAMEWORK",
    NO_BASIS: "NO BASIS",
}


def schema() -> dict[str, Any]:
    """Return the JSON Schema of :func:`to_json`'s output."""
    from importlib import resources  # loads tempfile and shutil: only for the schema

    text = resources.files("lexgraph").joinpath("schemas/basis.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def plain(value: Any) -> Any:
    """``value`` made JSON-ready: dates as ISO text, tuples as lists, recursively."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
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
            "conditional": [b.instrument for b in answer.conditional],
            "unknown": [b.instrument for b in answer.unknown],
        },
        "candidates": [plain(dataclasses.asdict(b)) for b in answer.candidates],
        "not_known": list(answer.not_known),
        "arrangements": [plain(dataclasses.asdict(a)) for a in answer.arrangements],
        "citation": citation,
    }


def _articles(basis: Basis) -> str:
    """The articles that provide the modality, with the paragraphs that say how."""
    if basis.kinds:
        cited = [_cite(k.provision, k.paragraph) for k in basis.kinds]
        return "art. " + ", ".join(dict.fromkeys(cited))
    numbers = [a.number or a.provision.rsplit("/", 1)[-1] for a in basis.articles]
    return ("art. " + ", ".join(numbers)) if numbers else "no article left"


def _cite(provision: str, paragraph: str | None) -> str:
    return cite(provision.rsplit("/article/", 1)[-1], paragraph)


def _head(answer: BasisAnswer) -> str:
    return (
        f"{answer.name(answer.requesting)} asks {answer.name(answer.requested)} for "
        f"{answer.name(answer.modality)} in a case of {answer.name(answer.crime)}, "
        f"on {answer.on.isoformat()}"
    )


def _standing(answer: BasisAnswer, standing: Standing) -> str:
    since = f" since {standing.since.isoformat()}" if standing.since else ""
    if standing.status == NOT_YET_IN_FORCE and standing.since:
        since = f" (in force from {standing.since.isoformat()})"
    return f"{answer.name(standing.state)} {standing.status}{since}"


def _standings(answer: BasisAnswer, basis: Basis) -> str:
    """Both states' standing towards the instrument (not its protocol), with their dates."""
    with_protocol = [s for s in basis.standings if s.instrument == basis.instrument]
    return "; ".join(_standing(answer, s) for s in with_protocol or basis.standings)


def _line(answer: BasisAnswer, basis: Basis) -> str:
    """One line: the verdict, the short name, the articles, both states' standing and date."""
    standings = _standings(answer, basis)
    route = f" (through {answer.name(basis.protocol)})" if basis.protocol else ""
    return f"{basis.name}{route}, {_articles(basis)}: {standings}"


def render_table(answer: BasisAnswer, citation: str | None = None) -> str:
    """Plain text for a terminal: one line per instrument, best first, then the reasons."""
    lines = [_head(answer), ""]
    if not answer.candidates:
        lines.append("no instrument in the graph covers this crime and provides this modality")
    for basis in answer.candidates:
        lines.append(f"{VERDICT_TEXT[basis.verdict]:<12} {_line(answer, basis)}")
    for basis in answer.candidates:
        lines += ["", f"{basis.name}: {VERDICT_TEXT[basis.verdict].lower()} ({basis.title})"]
        lines += [f"  if {c.text}" for c in basis.conditions]
        lines += [f"  because {reason}" for reason in basis.reasons]
        lines += [
            f"  reservation of {answer.name(ref.state)}: {ref.effect_label} ({ref.why}; "
            f"{ref.source or 'no source'})"
            for ref in basis.reservations
        ]
        lines += [f"  why: {step}" for step in basis.why]
    for arrangement in answer.arrangements:
        lines += ["", f"Non-treaty arrangement: {arrangement.note}."]
        lines += [f"  source: {arrangement.source}"] if arrangement.source else []
    if answer.not_known:
        lines += ["", "Not known to the graph: " + "; ".join(answer.not_known) + "."]
    if citation:
        lines += ["", f"Source: {citation}"]
    return "\n".join(lines).rstrip() + "\n"


def render_md(answer: BasisAnswer, citation: str | None = None) -> str:
    """Markdown: one table row per instrument, then the conditions, reasons and why chain."""
    lines = [f"**{_md(_head(answer))}**", ""]
    lines += ["| verdict | instrument | articles | standing |", "|---|---|---|---|"]
    for b in answer.candidates:
        standings = _standings(answer, b)
        lines.append(
            f"| {VERDICT_TEXT[b.verdict]} | {_md(b.name)} | {_md(_articles(b))} | "
            f"{_md(standings)} |"
        )
    for b in answer.candidates:
        lines += ["", f"### {_md(b.name)}: {VERDICT_TEXT[b.verdict].lower()}", ""]
        lines += [f"- if {_md(c.text)}" for c in b.conditions]
        lines += [f"- because {_md(r)}" for r in b.reasons]
        lines += [
            f"- reservation of {_md(answer.name(r.state))}: {_md(r.effect_label)} ({_md(r.why)})"
            for r in b.reservations
        ]
        lines += [f"- {_md(step)}" for step in b.why]
    if answer.arrangements:
        lines += ["", "### Non-treaty arrangements (never a basis)", ""]
        lines += [
            f"- {_md(a.note)}." + (f" Source: {_md(a.source)}" if a.source else "")
            for a in answer.arrangements
        ]
    if answer.not_known:
        lines += ["", "*Not known to the graph: " + _md("; ".join(answer.not_known)) + ".*"]
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
