"""Importers: commands that convert external files into Turtle under ``graph/imported/``."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import rdflib

from lexgraph.core.errors import InputError

#: Largest input file an importer reads, in bytes.
MAX_INPUT_BYTES = 64 * 1024 * 1024


def read_text(path: Path, encoding: str = "utf-8-sig") -> str:
    """Read an input file as text, refusing one over :data:`MAX_INPUT_BYTES` or not in
    ``encoding``, with an :class:`InputError` naming the file."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{path}: more than {MAX_INPUT_BYTES} bytes")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: cannot read as UTF-8 text: {exc}") from exc


def read_csv(path: Path, required: Sequence[str]) -> csv.DictReader[str]:
    """Open a UTF-8 CSV (a byte-order mark is allowed) and check its header.

    Raises :class:`InputError` naming the file for unreadable text or missing columns, and
    naming the line for text that is not CSV (a field over the csv module's size limit).
    """
    text = read_text(path)
    checked = csv.reader(io.StringIO(text, newline=""))
    try:
        for _ in checked:  # the C reader is fast; errors surface here, not in the caller's loop
            pass
    except csv.Error as exc:
        raise InputError(f"{path}:{checked.line_num}: not valid CSV: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    return reader


def parse_turtle(graph: rdflib.Graph, path: Path) -> None:
    """Add a Turtle file of the project to ``graph``; a file that does not parse (a user's
    ``graph/`` is theirs to break) is an :class:`InputError` naming it, not rdflib's own."""
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
        raise InputError(f"{path}: cannot parse as Turtle: {exc}") from exc
