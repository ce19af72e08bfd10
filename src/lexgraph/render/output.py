"""Writing the files made for people: atomically, with a one-line error that names the file.

Every file a renderer writes for a reader (a figure, a brief, an interactive page) goes through
:func:`lexgraph.core.atomic.write_files_atomically`, so that a failure or a kill leaves the old
file or the new one, never an empty or partial one. The error keeps the renderers' wording,
``<file>: cannot write: <reason>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from lexgraph.core.atomic import write_files_atomically
from lexgraph.core.errors import InputError, WriteError


def write_output(documents: Mapping[Path, str | bytes]) -> None:
    """Write each file of ``documents`` (text as UTF-8, or bytes), all of them or none."""
    try:
        write_files_atomically(documents)
    except WriteError as exc:
        raise InputError(f"{exc.path}: cannot write: {exc.reason}") from None
