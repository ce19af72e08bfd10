"""The resource paths of ``lexgraph serve``: every IRI of the graph resolves here.

``GET /id/<key>`` and ``GET /ontology`` answer with the resource's page or its description
by content negotiation (``Accept``, q-values honoured; ``Vary: Accept``), or with the format
the suffix names (``.html``, ``.ttl``, ``.jsonld``, ``.nt``); an unknown IRI gets a 404 page
that says so, an ``Accept`` that nothing answers a 406. The answers are those of the static
site, made by :func:`lexgraph.render.resource.represent` from the built store, which this
process opens read-only on first use. ``/assets/site.css`` is the pages' style sheet.

Mounted by :meth:`lexgraph.serve.app.Gateway.app` with ``*resource_routes(settings.store)``.
"""

from __future__ import annotations

from pathlib import Path

import anyio.to_thread
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout
from lexgraph.render.resource import Representation, negotiate, represent, split_path
from lexgraph.render.site.frame import CSS
from lexgraph.views.context import caption_line
from lexgraph.views.describe import ONTOLOGY


class Resources:
    """The built store and the citation the pages carry, opened on the first request."""

    def __init__(self, store: Path, layout: Layout | None = None) -> None:
        self.location = store
        self.layout = layout
        self._opened: tuple[ox.Store, str] | None = None
        self._ontology: dict[str, Representation] = {}

    def opened(self) -> tuple[ox.Store, str]:
        if self._opened is None:
            store = ox.Store.read_only(str(self.location))
            # build/store is a link into build/.gen: the project is above the link, not its target
            layout = self.layout or Layout(self.location.absolute().parent.parent)
            if not (layout.root / "CITATION.cff").is_file():
                layout = Layout.default()
            try:
                citation = caption_line(layout, store)
            except InputError:  # a page without the citation is better than no page
                citation = "lexgraph"
            self._opened = (store, citation)
        return self._opened

    def _answer(self, path: str, accept: str | None) -> Representation:
        store, citation = self.opened()
        found = split_path(path)
        if found is not None and found[0] == ONTOLOGY:
            # the ontology's page reads every term: made once per format, as the build is fixed
            suffix = found[1] or negotiate(accept)
            if suffix is not None:
                if suffix not in self._ontology:
                    self._ontology[suffix] = represent(store, citation, f"ontology.{suffix}", None)
                return self._ontology[suffix]
        return represent(store, citation, path, accept)

    async def resource(self, request: Request) -> Response:
        # a page takes milliseconds (the ontology's a few hundred): off the event loop
        path, accept = request.url.path.lstrip("/"), request.headers.get("accept")
        answer = await anyio.to_thread.run_sync(self._answer, path, accept)
        headers = {"Vary": "Accept"}
        if answer.location:
            headers["Content-Location"] = "/" + answer.location
        return Response(answer.body, answer.status, headers, media_type=answer.media_type)

    async def css(self, request: Request) -> Response:
        return Response(CSS, media_type="text/css; charset=utf-8")

    async def index(self, request: Request) -> Response:
        return RedirectResponse("/", status_code=303)


def resource_routes(store: Path, layout: Layout | None = None) -> list[Route]:
    """The routes of the resource paths over the built store at ``store``."""
    resources = Resources(store, layout)
    return [
        Route("/id/{key:path}", resources.resource, methods=["GET", "HEAD"]),
        Route("/ontology", resources.resource, methods=["GET", "HEAD"]),
        *(
            Route(f"/ontology.{s}", resources.resource, methods=["GET", "HEAD"])
            for s in ("html", "ttl", "jsonld", "nt")
        ),
        Route("/assets/site.css", resources.css, methods=["GET", "HEAD"]),
        Route("/index.html", resources.index, methods=["GET", "HEAD"]),
    ]
