"""HTTP for every request lexgraph makes: who it says it is, how long it waits, how much it
reads, and how it words what went wrong.

The importers fetch pages and ask SPARQL endpoints through :func:`request` and
:func:`fetch_text`, which raise an :class:`~lexgraph.core.errors.InputError` naming the URL. The
publishing side (``publish/remote.py``, ``publish/graphstore.py``) drives SPARQLWrapper and
urllib itself, for its retries and credentials, but takes its User-Agent, its capped read, the
``Retry-After`` rule and the words for a failure from here.

Only ``http`` and ``https`` URLs are requested: urllib would also open ``file:`` and ``ftp:``.
"""

from __future__ import annotations

import email.utils
import http.client
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Final, Protocol

from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import BASE
from lexgraph.core.version import __version__

#: The project's home, named in the User-Agent so that a depositary or store can reach us.
HOME: Final = BASE
#: Seconds to wait for an answer, unless the caller says otherwise.
TIMEOUT_S: Final = 30.0
#: Largest answer read, in bytes, unless the caller says otherwise; a bigger one is refused.
MAX_RESPONSE_BYTES: Final = 32 * 1024 * 1024
#: How much of an error answer's body a message quotes, in bytes.
DETAIL_BYTES: Final = 300
_HTTP_URL = re.compile(r"^https?://", re.IGNORECASE)


def user_agent(purpose: str) -> str:
    """The User-Agent for a request made for ``purpose`` (e.g. ``participation importer``).

    >>> user_agent("test").startswith("lexgraph/")
    True
    """
    return f"lexgraph/{__version__} ({purpose}; +{HOME})"


class Readable(Protocol):
    """What :func:`read_capped` reads: an HTTP response or any binary stream."""

    def read(self, amt: int, /) -> bytes: ...


def read_capped(stream: Readable, limit: int) -> bytes | None:
    """Return the whole body of ``stream``, or None if it is longer than ``limit`` bytes (it is
    never read past ``limit + 1``)."""
    body = bytes(stream.read(limit + 1))
    return None if len(body) > limit else body


def retry_after(value: str | None) -> float:
    """Return the seconds a ``Retry-After`` header asks to wait (delta or HTTP date).

    >>> retry_after("7")
    7.0
    """
    if not value:
        return 1.0
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 1.0
    return max(0.0, when.timestamp() - time.time())


def _detail(exc: urllib.error.HTTPError) -> str:
    """The start of an error answer's body, on one line; nothing for an HTML error page, which
    says no more than its status."""
    if "html" in str(exc.headers.get("Content-Type", "")).lower():
        return ""
    try:
        body = exc.read(DETAIL_BYTES)
    except (OSError, http.client.HTTPException):
        return ""
    return " ".join(bytes(body[:DETAIL_BYTES]).decode("utf-8", "replace").split())


def failure_kind(exc: BaseException) -> str:
    """Sort what urllib or http.client raised: ``status`` (an error answer), ``timeout`` (also
    where urllib wraps it in a URLError), ``unreachable`` or ``broken`` (a connection cut).

    >>> failure_kind(urllib.error.URLError(TimeoutError()))
    'timeout'
    """
    if isinstance(exc, urllib.error.HTTPError):
        return "status"
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return "timeout"
    return "unreachable" if isinstance(exc, urllib.error.URLError) else "broken"


def describe_failure(exc: BaseException, url: str, timeout_s: float, method: str = "") -> str:
    """Say what went wrong with a request to ``url`` (see :func:`failure_kind`), as the rest of
    a message; an error status comes with the start of the server's words. ``method`` names
    the request (``PUT``) where the message starts with the URL."""
    subject = f"{method} {url}" if method else url
    kind = failure_kind(exc)
    if isinstance(exc, urllib.error.HTTPError):
        detail = _detail(exc)
        return f"{subject} answered HTTP {exc.code} {exc.reason}" + (
            f": {detail}" if detail else ""
        )
    if kind == "timeout":
        return f"{subject} gave no answer within {timeout_s:g} s"
    if isinstance(exc, urllib.error.URLError):
        return f"cannot reach {url}: {exc.reason}"
    return f"the connection to {url} failed: {exc!r}"


@dataclass(frozen=True)
class Response:
    """An answer read whole: its body, its Content-Type header and the charset it names."""

    body: bytes
    content_type: str
    charset: str | None


def request(
    url: str,
    purpose: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout_s: float = TIMEOUT_S,
    max_bytes: int = MAX_RESPONSE_BYTES,
    hint: str = "",
) -> Response:
    """GET ``url`` (POST ``data`` if given) with lexgraph's User-Agent and ``headers``.

    Raises :class:`InputError` naming the URL for a URL that is not http(s), an error status,
    a time limit passed, a server not reached (followed by ``hint``), a connection cut, and an
    answer over ``max_bytes``.
    """
    if not _HTTP_URL.match(url):
        raise InputError(f"{url}: only http:// and https:// addresses can be fetched")
    sent = urllib.request.Request(
        url, data=data, headers={**(headers or {}), "User-Agent": user_agent(purpose)}
    )
    try:
        with urllib.request.urlopen(sent, timeout=timeout_s) as answer:
            body = read_capped(answer, max_bytes)
            content_type = str(answer.headers.get("Content-Type", ""))
            charset = answer.headers.get_content_charset()
    except (OSError, http.client.HTTPException) as exc:  # HTTPError, URLError, timeouts, resets
        message = describe_failure(exc, url, timeout_s)
        if hint and failure_kind(exc) == "unreachable":
            message += f"; {hint}"
        raise InputError(message) from exc
    except ValueError as exc:  # a malformed URL: a bad port, an unbalanced IPv6 bracket
        raise InputError(f"{url}: not a usable URL ({exc})") from exc
    if body is None:
        raise InputError(f"{url}: the answer is over {max_bytes} bytes")
    return Response(body, content_type, charset)


def fetch_text(
    url: str, purpose: str, *, timeout_s: float = TIMEOUT_S, max_bytes: int = MAX_RESPONSE_BYTES
) -> str:
    """Return the text of the page at ``url``, decoded by the charset it declares (UTF-8 if
    none); a page that does not decode is an :class:`InputError`, never guessed at."""
    answer = request(
        url,
        purpose,
        timeout_s=timeout_s,
        max_bytes=max_bytes,
        hint="check the address and the connection, or save the page and give the file",
    )
    charset = answer.charset or "utf-8"
    try:
        return answer.body.decode(charset)
    except (LookupError, UnicodeDecodeError) as exc:
        raise InputError(f"{url}: cannot decode the page as {charset}: {exc}") from exc
