"""A loopback depositary for the update tests: it serves the invented fixture documents of
``tests/data/update/`` at the paths of the UN Treaty Collection and the Council of Europe."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

from listener import QuietHandler

DATA = Path(__file__).parent / "data" / "update"
CHART = Path(__file__).parent / "data" / "coe" / "chart-185.html"
UNTOC = "/doc/Publication/MTDSG/Volume II/Chapter XVIII/XVIII-12.en.xml"
BUDAPEST = "/en/web/conventions/full-list?module=signatures-by-treaty&treatynum=185"
ONLY = ("untoc", "budapest-ets185")

#: What the server answers, by unquoted path and query: (status, body, content type).
PAGES: dict[str, tuple[int, bytes, str]] = {}


class Depositary(QuietHandler):
    """Answers from :data:`PAGES`; 404 for anything else."""

    def do_GET(self) -> None:
        status, body, kind = PAGES.get(
            urllib.parse.unquote(self.path), (404, b"not found", "text/plain")
        )
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(untoc: str, chart: Path = CHART, status: int = 200) -> None:
    PAGES.clear()
    kind = "text/html" if untoc.endswith(".html") else "application/xml"
    PAGES[UNTOC] = (status, (DATA / untoc).read_bytes(), kind)
    PAGES[BUDAPEST] = (200, chart.read_bytes(), "text/html; charset=utf-8")
