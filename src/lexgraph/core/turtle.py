"""Deterministic Turtle for generated files: sorted subject blocks under a header comment.

This is lexgraph's one Turtle writer: every file in ``graph/imported/`` is rendered by
:func:`render` and written atomically (:func:`write_turtle`, or
:func:`lexgraph.core.atomic.write_files_atomically` for several files at once), so that a
re-import of unchanged input gives a byte-identical file and diffs stay readable. rdflib loads
only when a file is rendered, and tempfile when one is written: :func:`natural_key`, which the
finder sorts with, needs neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from lexgraph.core.atomic import write_atomically
from lexgraph.core.namespaces import ID, PREFIXES
from lexgraph.core.terms import Rdf

if TYPE_CHECKING:
    from rdflib import Literal, URIRef

Term: TypeAlias = "URIRef | Literal"


def natural_key(text: str) -> tuple[tuple[int, str], ...]:
    """Sort key that orders digit runs by number: ``article/2`` before ``article/10``.

    >>> sorted(["a/10", "a/2", "a/b"], key=natural_key)
    ['a/2', 'a/10', 'a/b']
    """
    return tuple(
        (int(part), "") if part.isdigit() else (-1 if not part else 1 << 30, part)
        for part in re.split(r"(\d+)", text)
    )


@dataclass(frozen=True)
class Block:
    """One subject with its predicate-object pairs, in the order they should be written."""

    subject: str
    pairs: Sequence[tuple[str, Term]]


def render_term(term: Term, prefixes: Mapping[str, str]) -> str:
    """Render an IRI or literal, relative to ``@base`` or a prefix where possible.

    >>> from rdflib import Literal, URIRef
    >>> render_term(URIRef("https://w3id.org/lexgraph/id/state/JPN"), {})
    '<state/JPN>'
    >>> render_term(Literal('say "hi"'), {})
    '"say \\\\"hi\\\\""'
    """
    from rdflib import Literal, URIRef

    if isinstance(term, Literal):
        if term.datatype is not None:
            return f"{Literal(str(term)).n3()}^^{render_term(URIRef(term.datatype), prefixes)}"
        return term.n3()
    iri = str(term)
    for prefix, ns in prefixes.items():
        local = iri[len(ns) :]
        if iri.startswith(ns) and local and all(c.isalnum() or c in "_-" for c in local):
            return f"{prefix}:{local}"
    if iri.startswith(ID):
        return f"<{iri[len(ID) :]}>"
    return f"<{iri}>"


def render(header: str, blocks: Iterable[Block], prefixes: Sequence[str]) -> str:
    """Return a Turtle document: the header as comments, prefixes, then sorted blocks."""
    from rdflib import URIRef

    table = {p: PREFIXES[p] for p in prefixes}
    lines = [f"# {line}".rstrip() for line in header.strip().splitlines()]
    lines.append(f"@base <{ID}> .")
    lines.extend(f"@prefix {p}: <{iri}> ." for p, iri in table.items())
    for block in sorted(blocks, key=lambda b: natural_key(b.subject)):
        lines.append("")
        subject = render_term(URIRef(block.subject), table)
        body = [
            f"{'a' if p == Rdf.type else render_term(URIRef(p), table)} {render_term(o, table)}"
            for p, o in block.pairs
        ]
        lines.append(f"{subject} " + " ;\n    ".join(body) + " .")
    return "\n".join(lines) + "\n"


def write_turtle(path: Path, header: str, blocks: Iterable[Block], prefixes: Sequence[str]) -> None:
    """Render and write a generated Turtle file atomically; raises
    :class:`~lexgraph.core.errors.InputError` naming the file if it cannot be written."""
    write_atomically(path, render(header, blocks, prefixes))
