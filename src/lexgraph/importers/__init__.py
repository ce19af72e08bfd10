"""Importers: commands that convert external files into Turtle under ``graph/imported/``."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError


def read_csv(path: Path, required: Sequence[str]) -> csv.DictReader[str]:
    """Open a UTF-8 CSV (a byte-order mark is allowed) and check its header.

    Raises :class:`InputError` naming the file for unreadable text or missing columns.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read as UTF-8 text: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    return reader
