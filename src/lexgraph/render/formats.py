"""Render query results for people (table, Markdown) and programs (CSV, TSV, JSON, Turtle)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.escape import markdown
from lexgraph.core.namespaces import ID, PREFIXES
from lexgraph.core.terms import Xsd
from lexgraph.store.query import Result, Term

FORMATS = ("table", "csv", "tsv", "json", "md", "ttl")
#: The formats that write a graph: they fit CONSTRUCT and DESCRIBE answers only.
GRAPH_FORMATS = ("ttl",)


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


def fit_widths(widths: list[int], room: int | None, gap: int = 2, least: int = 8) -> list[int]:
    """Column widths sized to their content that fit in ``room`` characters (no limit when
    ``room`` is None): the widest column is narrowed first, none below ``least`` or its content.

    >>> fit_widths([5, 70, 30], None)
    [5, 70, 30]
    >>> fit_widths([5, 70, 30], 80)
    [5, 41, 30]
    """
    widths = list(widths)
    if room is None:
        return widths
    while sum(widths) + gap * (len(widths) - 1) > room:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= least:
            break
        widths[widest] -= 1
    return widths


def render_result(result: Result, fmt: str, width: int | None = None) -> str:
    """Render ``result`` in ``fmt``; SPARQL JSON results for ``json``.

    The ``table`` format sizes each column to its content; with ``width`` (a terminal's), the
    widest columns are cut (with an ellipsis) until the table fits.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; allowed: {', '.join(FORMATS)}")
    if fmt in GRAPH_FORMATS and not result.triples and result.variables:
        fitting = ", ".join(f for f in FORMATS if f not in GRAPH_FORMATS)
        raise InputError(
            f"a SELECT answer is a table, not a graph: --format {fmt} does not fit; use one of "
            f"{fitting} (or ask a CONSTRUCT or DESCRIBE query for {fmt})"
        )
    if fmt in GRAPH_FORMATS and result.boolean is not None:
        raise InputError(
            f"an ASK answer is true or false, not a graph: --format {fmt} does not fit; use "
            "table or json"
        )
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
    return text_table(result.variables, cells, width) + (
        f"({len(cells)} row{'s' if len(cells) != 1 else ''})\n"
    )


def text_table(
    columns: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None
) -> str:
    """A plain-text table for a terminal: a header, a rule, the rows; columns sized to their
    content (:func:`fit_widths`), a cut cell ending in an ellipsis.

    >>> print(text_table(["state", "since"], [["France", "2002-10-29"]]), end="")
    state   since
    ------  ----------
    France  2002-10-29
    """
    widths = fit_widths(
        [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)], width
    )

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            (v if len(v) <= w else v[: w - 1] + "…").ljust(w)
            for v, w in zip(values, widths, strict=True)
        ).rstrip()

    body = [line(columns), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    return "\n".join(body) + "\n"
