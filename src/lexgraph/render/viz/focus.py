"""The page ``lexgraph viz`` writes for a focus, or for the whole corpus, from a store."""

from __future__ import annotations

import pyoxigraph as ox

from lexgraph.render.viz.page import page, title_for
from lexgraph.views.grouped import select


def focus_page(
    store: ox.Store,
    *,
    crime: str | None = None,
    instrument: str | None = None,
    modality: str | None = None,
    state: str | None = None,
    depth: int = 1,
    with_states: bool = False,
    citation: str,
    seed: int = 7,
) -> str:
    """Return the page of the view that the filters name (all of them None: the corpus), as
    ``lexgraph viz`` writes it: :func:`lexgraph.views.grouped.select` drawn by :func:`page`."""
    sub = select(store, crime=crime, instrument=instrument, modality=modality, state=state,
                 depth=depth, with_states=with_states)  # fmt: skip
    title = title_for(sub, depth=depth, with_states=with_states)
    return page(sub, title=title, citation=citation, seed=seed)
