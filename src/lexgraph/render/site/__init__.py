"""A browsable static site of the graph: an index and a page per instrument, crime type,
modality and state.

Each page shows the entity's facts and relations (from :func:`lexgraph.views.subgraph.select` at
depth 1, the selection the embedded graph draws too), then one section per query: the rows of
a library question (``queries/questions/``) or of the participation view
(:data:`lexgraph.views.parties.PARTICIPATION`) that concern the entity, each section linking to
the ``.rq`` file, which the site carries under ``queries/``, and giving the command that reruns
it.

Every link is relative, so the site works from ``file://`` and from any static host; pages
load nothing from the network; every text from the data is escaped, and only http(s) sources
become links. The output is deterministic and switched in atomically.

The parts: :mod:`~lexgraph.render.site.writer` writes the site,
:mod:`~lexgraph.render.site.data` runs the queries, :mod:`~lexgraph.render.site.pages` makes
the pages, :mod:`~lexgraph.render.site.frame` holds their frame and HTML pieces, and
:mod:`~lexgraph.render.site.assets` moves the graph pages' large scripts into shared files.
"""

from lexgraph.render.site.data import PAGE_KINDS, QUESTIONS
from lexgraph.render.site.frame import page_path
from lexgraph.render.site.writer import (
    MARKER,
    GraphWriter,
    SiteResult,
    write_graph,
    write_site,
)

# Not public API: the tests check which records it takes out of a store.
from lexgraph.render.site.writer import _state_store as _state_store

__all__ = [
    "MARKER",
    "PAGE_KINDS",
    "QUESTIONS",
    "GraphWriter",
    "SiteResult",
    "page_path",
    "write_graph",
    "write_site",
]
