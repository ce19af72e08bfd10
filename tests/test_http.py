"""lexgraph's one HTTP client: its User-Agent, its limits and its words for a failure."""

from __future__ import annotations

import contextlib
import time
import urllib.error
from collections.abc import Iterator
from typing import ClassVar

import pytest

from lexgraph.core.errors import InputError
from lexgraph.core.http import describe_failure, fetch_text, request
from lexgraph.serve.oxigraph import free_port
from listener import QuietHandler, serving

PAGES: dict[str, tuple[int, str, bytes]] = {
    "/page": (200, "text/html; charset=latin-1", "caf\xe9".encode("latin-1")),
    "/big": (200, "text/plain", b"x" * 1000),
    "/plain-error": (502, "text/plain", b"upstream\n  down"),
    "/html-error": (404, "text/html", b"<html>\n<body>Not here</body></html>"),
}


class _Handler(QuietHandler):
    seen: ClassVar[list[dict[str, str]]] = []

    def do_GET(self) -> None:
        self.seen.append(dict(self.headers.items()))
        if self.path == "/slow":
            time.sleep(2)
        status, content_type, body = PAGES.get(self.path, (200, "text/plain", b"ok"))
        with contextlib.suppress(ConnectionError):  # the slow page's client has gone
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


@pytest.fixture
def site() -> Iterator[str]:
    """A web server on an ephemeral loopback port, stopped after the test."""
    with serving(_Handler) as url:
        yield url


def test_request_names_lexgraph_and_its_purpose(site: str) -> None:
    """Every request carries lexgraph's User-Agent with the purpose the caller gives."""
    request(f"{site}/", "a test")
    assert _Handler.seen[-1]["User-Agent"].startswith("lexgraph/")
    assert "(a test; +https://w3id.org/lexgraph/)" in _Handler.seen[-1]["User-Agent"]


def test_page_is_decoded_by_its_declared_charset(site: str) -> None:
    """A page is read in the charset its Content-Type names."""
    assert fetch_text(f"{site}/page", "a test") == "caf\xe9"


def test_answer_over_the_cap_is_refused(site: str) -> None:
    """An answer longer than the cap is refused, naming the URL and the cap."""
    with pytest.raises(InputError, match=r"/big: the answer is over 100 bytes"):
        request(f"{site}/big", "a test", max_bytes=100)


def test_error_status_quotes_the_server_on_one_line(site: str) -> None:
    """An error status gives its code and the start of the server's words, on one line."""
    with pytest.raises(
        InputError, match=r"/plain-error answered HTTP 502 Bad Gateway: upstream down$"
    ):
        request(f"{site}/plain-error", "a test")


def test_html_error_page_is_not_quoted(site: str) -> None:
    """An HTML error page adds nothing to its status, so it is not quoted."""
    with pytest.raises(InputError, match=r"/html-error answered HTTP 404 Not Found$"):
        request(f"{site}/html-error", "a test")


def test_time_limit_is_named(site: str) -> None:
    """A server that does not answer in time gives the time limit, not a hang."""
    with pytest.raises(InputError, match=r"/slow gave no answer within 0.5 s"):
        request(f"{site}/slow", "a test", timeout_s=0.5)


def test_unreachable_server_gets_the_hint() -> None:
    """A closed port gives 'cannot reach' and the hint that says what to do instead."""
    url = f"http://127.0.0.1:{free_port()}/x"
    with pytest.raises(InputError, match=r"^cannot reach http://127\.0\.0\.1:\d+/x: .*; save it"):
        request(url, "a test", hint="save it")


def test_only_http_is_requested() -> None:
    """A file: or ftp: URL is refused before any request."""
    with pytest.raises(InputError, match="only http:// and https://"):
        request("file:///etc/passwd", "a test")


def test_failure_names_the_method_where_it_leads() -> None:
    """A time limit on a PUT names the method before the URL."""
    failure = urllib.error.URLError(TimeoutError("timed out"))
    assert (
        describe_failure(failure, "http://h/x", 5, "PUT")
        == "PUT http://h/x gave no answer within 5 s"
    )
