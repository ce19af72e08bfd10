"""The query library: ``.rq`` files with a ``#+`` header, read into frozen descriptions.

Header lines (grlc style), each optional except ``summary``::

    #+ summary: Instruments that provide for a modality, with the article
    #+ params: modality:modality=extradition, on:date
    #+ tags: modality, instruments
    #+ severity: error            (checks only: error or warning)

``params`` lists ``name:kind[=default]``; the query uses ``?name`` and the engine binds it.
Kinds: crime, modality, instrument, state, target, iri, date, string, integer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lexgraph.core.errors import InputError

KINDS = ("crime", "modality", "instrument", "state", "target", "iri", "date", "string", "integer")
_HEADER = re.compile(r"^#\+\s*([a-z]+)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):([a-z]+)(?:=(.*))?$")


@dataclass(frozen=True)
class Param:
    """A parameter of a library query: bound to the variable of the same name."""

    name: str
    kind: str
    default: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class LibraryQuery:
    """A query file of the library with its header."""

    name: str
    path: Path
    text: str
    summary: str
    params: tuple[Param, ...] = ()
    tags: tuple[str, ...] = ()
    severity: str = "error"

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse_params(spec: str, where: str) -> tuple[Param, ...]:
    """Parse a ``#+ params:`` value.

    >>> [(p.name, p.kind, p.default) for p in parse_params("modality:modality=x, on:date", "q")]
    [('modality', 'modality', 'x'), ('on', 'date', None)]
    """
    params: list[Param] = []
    for item in filter(None, (s.strip() for s in spec.split(","))):
        match = _PARAM.match(item)
        if not match or match.group(2) not in KINDS:
            raise InputError(
                f"{where}: parameter {item!r} is not name:kind[=default] with kind one of "
                + ", ".join(KINDS)
            )
        params.append(Param(match.group(1), match.group(2), match.group(3)))
    return tuple(params)


def read_query(path: Path, *, library: bool = True) -> LibraryQuery:
    """Read one ``.rq`` file and its header.

    A question of the library must have a ``summary`` line; a user's own file (``library``
    false) need not, and is summarised by its file name.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read query: {exc}") from exc
    fields: dict[str, str] = {}
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match:
            fields[match.group(1)] = match.group(2)
    if library and "summary" not in fields:
        raise InputError(f"{path}: no '#+ summary:' line")
    severity = fields.get("severity", "error")
    if severity not in ("error", "warning"):
        raise InputError(f"{path}: severity {severity!r} is not error or warning")
    return LibraryQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=fields.get("summary", path.name),
        params=parse_params(fields.get("params", ""), str(path)),
        tags=tuple(t.strip() for t in fields.get("tags", "").split(",") if t.strip()),
        severity=severity,
    )


def read_library(directory: Path) -> list[LibraryQuery]:
    """Read every ``.rq`` file of a directory, sorted by name."""
    if not directory.is_dir():
        return []
    return [read_query(p) for p in sorted(directory.glob("*.rq"))]
