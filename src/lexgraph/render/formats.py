"""Render query results for people (table, Markdown) and programs (CSV, TSV, JSON, Turtle)."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.escape import markdown
from lexgraph.core.namespaces import ID, PREFIXES
from lexgraph.core.terms import Xsd
from lexgraph.store.query import Result, Term

FORMATS = ("table", "csv", "tsv", "json", "md", "ttl")


def short(term: Term | None) -> str:
    """Return a compact text for a term: a key path for lexgraph IRIs, a prefixed name, or
    the literal's lexical value."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        if term.value.startswith(ID):
            return term.value[len(ID) :]
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns) :]}"
        return term.value
    return str(term)


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != Xsd.string:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def render_result(result: Result, fmt: str) -> str:
    """Render ``result`` in ``fmt``; SPARQL JSON results for ``json``."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; allowed: {', '.join(FORMATS)}")
    if result.boolean is not None:
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if result.triples or fmt == "ttl":
        if fmt not in ("ttl", "json"):
            fmt = "ttl"
        data = ox.serialize(
            result.triples,
            format=ox.RdfFormat.TURTLE if fmt == "ttl" else ox.RdfFormat.JSON_LD,
            prefixes=PREFIXES if fmt == "ttl" else None,
        )
        return (data or b"").decode()
    if fmt == "json":
        bindings = [
            {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]
        return (
            json.dumps(
                {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}},
                ensure_ascii=False,
                indent=1,
            )
            + "\n"
        )
    cells = [[short(t) for t in row] for row in result.rows]
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows(cells)
        return out.getvalue()
    if fmt == "md":
        lines = [
            "| " + " | ".join(markdown(v) for v in result.variables) + " |",
            "|" + "|".join("---" for _ in result.variables) + "|",
        ]
        lines += ["| " + " | ".join(markdown(c) for c in row) + " |" for row in cells]
        return "\n".join(lines) + "\n"
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(result.variables)]
    widths = [min(w, 60) for w in widths]

    def line(values: list[str]) -> str:
        return "  ".join(
            (v if len(v) <= w else v[: w - 1] + "…").ljust(w)
            for v, w in zip(values, widths, strict=True)
        ).rstrip()

    body = [line(list(result.variables)), line(["-" * w for w in widths])]
    body += [line(r) for r in cells]
    body.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(body) + "\n"
