"""Browser fixtures: headless Chromium driven by Playwright, with the network shut off.

Registered for every test by ``pytest_plugins`` in ``tests/conftest.py``. The browser is
Debian's ``chromium`` (``/usr/bin/chromium``, which ``make test`` installs), never one that
``playwright install`` downloads; tests that use these fixtures are skipped, with the reason,
when it or the ``playwright`` package is missing.

- ``browser`` (session): one Chromium for the whole run.
- ``watched_page`` (function): a fresh :class:`WatchedPage` in a context of its own.
- :func:`watch` makes a :class:`WatchedPage` from ``browser`` for fixtures of a wider scope
  (a module-scoped page that several tests look at, when loading it costs seconds).
- :func:`colours` counts the colours of a PNG screenshot, to tell a drawing from a blank.

Example::

    def test_page_draws(watched_page: WatchedPage, tmp_path: Path) -> None:
        watched_page.open(tmp_path / "page.html", ready="body[data-ready]")
        assert watched_page.blocked == [] and watched_page.errors == []
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
#: Schemes a page may load without the network: the page itself and inline data.
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


@dataclass
class WatchedPage:
    """A Playwright page whose every request off the machine is refused and recorded.

    ``blocked`` lists the URLs of the requests that were not to ``file:``, ``data:``,
    ``about:`` or ``blob:`` (each refused before it left the browser), WebSockets included;
    ``errors`` the console's errors and the page's uncaught exceptions, in order.
    """

    context: BrowserContext
    page: Page
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: Path, *, ready: str | None = None, timeout_ms: float = 30_000) -> None:
        """Load ``path`` from ``file://`` and wait for the selector ``ready``, if given."""
        self.page.goto(path.resolve().as_uri())
        if ready:
            self.page.wait_for_selector(ready, state="attached", timeout=timeout_ms)

    def close(self) -> None:
        self.context.close()


def watch(browser: Browser, **context_options: Any) -> WatchedPage:
    """Open a new context and page on ``browser`` with the network shut off and watched.

    ``context_options`` go to ``Browser.new_context`` (the default viewport is 1280 x 800).
    """
    context_options.setdefault("viewport", {"width": 1280, "height": 800})
    context = browser.new_context(**context_options)
    page = context.new_page()
    watched = WatchedPage(context, page)

    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            watched.blocked.append(url)
            route.abort()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watched.errors.append(message.text)

    context.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda exc: watched.errors.append(f"uncaught: {exc}"))
    page.on("websocket", lambda socket: watched.blocked.append(socket.url))
    return watched


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium, one for the session (started on first use)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (make test does)")
    with sync_api.sync_playwright() as playwright:
        # Root cannot use Chromium's sandbox; the pages are the project's own files.
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def watched_page(browser: Browser) -> Iterator[WatchedPage]:
    """A fresh page, network refused and recorded in ``.blocked``, console errors in ``.errors``."""
    watched = watch(browser)
    yield watched
    watched.close()


def colours(png: bytes, *, enough: int | None = None) -> int:
    """Count the distinct colours of an 8-bit RGB or RGBA PNG, such as a Playwright screenshot.

    With ``enough``, stop counting once that many are found (a drawing is told from a blank
    page in the first few rows that are not background, without decoding the rest).
    """
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    at, idat, header = 8, bytearray(), b""
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise ValueError("only 8-bit, non-interlaced RGB or RGBA PNGs are counted")
    step = 3 if colour_type == 2 else 4
    stride = width * step
    raw = zlib.decompress(bytes(idat))
    seen: set[bytes] = set()
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(kind, row, previous, step)
        seen.update(bytes(row[x : x + step]) for x in range(0, stride, step))
        if enough is not None and len(seen) >= enough:
            return len(seen)
        previous = row
    return len(seen)


def _unfilter(kind: int, row: bytearray, prior: bytearray, step: int) -> None:
    """Undo one PNG scanline filter in place (RFC 2083, section 6)."""
    if kind == 0:
        return
    for i in range(len(row)):
        left = row[i - step] if i >= step else 0
        up = prior[i]
        if kind == 1:
            row[i] = (row[i] + left) & 0xFF
        elif kind == 2:
            row[i] = (row[i] + up) & 0xFF
        elif kind == 3:
            row[i] = (row[i] + ((left + up) >> 1)) & 0xFF
        elif kind == 4:
            corner = prior[i - step] if i >= step else 0
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            row[i] = (row[i] + best) & 0xFF
        else:
            raise ValueError(f"unknown PNG filter {kind}")
