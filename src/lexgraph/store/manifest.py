"""The build's manifest, ``build-info.json``: above all, the date of the data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.namespaces import ID
from lexgraph.core.terms import Dcterms


def recorded_date(store: ox.Store, info: Path, dataset: str | None = None) -> str | None:
    """Return the date of the data (YYYY-MM-DD) as the build records it, or None.

    The build's ``build-info.json`` date first, else the latest ``dcterms:modified`` of
    ``dataset`` (of any ``id/dataset/...`` node when None). The clock is never read, so the
    same build always gives the same date; releases and captions both use this rule.
    """
    try:
        recorded = json.loads(info.read_text(encoding="utf-8")).get("date")
    except (OSError, ValueError, AttributeError):
        recorded = None
    if isinstance(recorded, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", recorded):
        return recorded[:10]
    modified = ox.NamedNode(Dcterms.modified)
    subject = ox.NamedNode(dataset) if dataset else None
    dates = sorted(
        q.object.value[:10]
        for q in store.quads_for_pattern(subject, modified, None)
        if isinstance(q.object, ox.Literal) and isinstance(q.subject, ox.NamedNode)
        if dataset or q.subject.value.startswith(ID + "dataset/")
    )
    return dates[-1] if dates else None
