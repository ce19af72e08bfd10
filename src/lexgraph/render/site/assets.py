"""The site's shared assets: the large inline scripts and styles of the graph pages, moved into
files under ``assets/``.

The interactive pages that the graphs are made of inline vis-network (about 0.7 MB each);
the site moves the large inline scripts and styles of each graph page into shared files under
``assets/`` (named by their SHA-256) and lets the page's Content-Security-Policy load
same-origin files, so that 380 graphs do not weigh 280 MB.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

_HOIST_MIN = 8192
_OPEN_TAG = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)


def hoist(text: str, assets: Path, prefix: str, seen: dict[str, str]) -> str:
    """Move large inline scripts and styles of a page into shared files under ``assets/``.

    An element ends at the first ``</script>`` or ``</style>`` after it, as in a browser (the
    viz pages escape any other occurrence). The page's Content-Security-Policy is widened to
    same-origin files, which is what the moved code now is.
    """
    out: list[str] = []
    position = 0
    while True:
        match = _OPEN_TAG.search(text, position)
        if match is None:
            break
        tag, attrs = match.group(1).lower(), match.group(2)
        close = _close(text, tag, match.end())
        if close < 0:
            break
        body = text[match.end() : close]
        end = close + len(tag) + 3
        if len(body) < _HOIST_MIN or re.search(r"\b(src|type)\s*=", attrs, re.IGNORECASE):
            out.append(text[position:end])
        else:
            name = seen.get(body)
            if name is None:
                name = hashlib.sha256(body.encode("utf-8")).hexdigest()[:20]
                name += ".js" if tag == "script" else ".css"
                (assets / name).write_text(body, encoding="utf-8")
                seen[body] = name
            out.append(text[position : match.start()])
            if tag == "script":
                out.append(f'<script src="{prefix}assets/{name}"></script>')
            else:
                out.append(f'<link rel="stylesheet" href="{prefix}assets/{name}">')
        position = end
    out.append(text[position:])
    page = "".join(out)
    return page.replace("script-src ", "script-src 'self' ", 1).replace(
        "style-src ", "style-src 'self' ", 1
    )


def _close(text: str, tag: str, start: int) -> int:
    """Where the element opened before ``start`` closes: the first end tag in any case."""
    found = [
        i for i in (text.find(f"</{tag}>", start), text.find(f"</{tag.upper()}>", start)) if i >= 0
    ]
    return min(found) if found else -1
