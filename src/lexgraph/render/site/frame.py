"""The frame of every page of the site, and the HTML pieces its pages are made of.

Every link is relative (:func:`rel`), so the site works from ``file://`` and from any static
host; each page loads only the site's own files (its Content-Security-Policy says so); every
text from the data is escaped, and only http(s) sources become links (:func:`external`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from lexgraph.core.escape import html as _h
from lexgraph.core.version import __version__

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
CSS = """\
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 1.5rem}
body{color:#222}
a{color:#0b57a4}nav.crumbs{font-size:.9em;margin-bottom:.5rem}h1{font-size:1.5em;margin:.2em 0}
h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.4em 0;font-size:.92em}
th,td{border:1px solid #ddd;padding:.2em .45em;text-align:left;vertical-align:top}
th{background:#f4f4f4}dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em}
dl.facts dt{font-weight:600}p.query{font-size:.85em;color:#555}code{font-size:.92em}
iframe.graph{width:100%;height:36rem;border:1px solid #ccc}
footer{margin-top:2em;font-size:.85em;color:#555}
ul.columns{columns:16rem;margin-top:.2em}span.date{white-space:nowrap}
h3{font-size:1em;margin:.9em 0 .1em}p.toc{font-size:.95em}input#find{font:inherit;width:22rem}
.hidden{display:none}
"""

#: The index's search: filters the lists as one types, ignoring case and accents; offline.
SEARCH_JS = """\
(function () {
  var input = document.getElementById("find"), found = document.getElementById("found");
  if (!input) { return; }
  function fold(text) {
    return text.normalize("NFD").replace(/[\\u0300-\\u036f]/g, "")
      .replace(/[\\u2018\\u2019\\u02bc]/g, "'").toLowerCase();
  }
  var items = Array.prototype.slice.call(document.querySelectorAll("section.kind li"));
  items.forEach(function (li) {
    var a = li.querySelector("a");
    li.dataset.text = fold(li.textContent + " " + (a && a.title ? a.title : ""));
  });
  input.addEventListener("input", function () {
    var words = fold(input.value).split(/\\s+/).filter(Boolean), shown = 0;
    items.forEach(function (li) {
      var hit = words.every(function (w) { return li.dataset.text.indexOf(w) >= 0; });
      li.classList.toggle("hidden", !hit);
      if (hit) { shown += 1; }
    });
    document.querySelectorAll("div.group, section.kind").forEach(function (box) {
      box.classList.toggle("hidden", !box.querySelector("li:not(.hidden)"));
    });
    found.textContent = words.length ? shown + " found" : "";
  });
})();
"""


def page_path(node_key: str) -> str | None:
    """The site path of an entity's page (``instrument/untoc.html``), or None if it has none.

    A key segment that is not a plain file name is replaced by its hash, so that no key can
    climb out of the site or collide with another.
    """
    parts = node_key.split("/")
    if len(parts) != 2 or not parts[0].isalpha():
        return None
    name = parts[1]
    if not _SAFE.fullmatch(name) or name in (".", ".."):
        name = "k-" + hashlib.sha256(name.encode()).hexdigest()[:16]
    return f"{parts[0]}/{name}.html"


def rel(target: str, here: str) -> str:
    """A relative URL from the page ``here`` to the site path ``target``."""
    up = "../" * here.count("/")
    return quote(up + target)


def external(url: str | None) -> str:
    """A link to an http(s) URL; any other text, escaped, not a link."""
    if url and re.match(r"^https?://[^\s<>\"]+$", url, re.IGNORECASE):
        return f'<a href="{_h(url)}" rel="noopener noreferrer">{_h(url)}</a>'
    return _h(url or "")


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """An HTML table of cells that are already HTML (escaped by the caller)."""
    out = ["<table><thead><tr>", *(f"<th>{_h(h)}</th>" for h in headers), "</tr></thead><tbody>"]
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    out.append("</tbody></table>")
    return "".join(out)


def document(title: str, here: str, body: str, citation: str) -> str:
    """A whole page: the frame (style sheet, link home, citation) around ``body``."""
    up = "../" * here.count("/")
    csp = (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
        "frame-src 'self'; "
        "child-src 'self'"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="lexgraph {_h(__version__)}">\n'
        f"<title>{_h(title)} · lexgraph</title>\n"
        f'<link rel="stylesheet" href="{up}assets/site.css">\n</head>\n<body>\n'
        f'<nav class="crumbs"><a href="{up}index.html">lexgraph</a></nav>\n'
        f"{body}\n<footer><p>{_h(citation)}</p></footer>\n</body>\n</html>\n"
    )


def section(title: str, headers: Sequence[str], rows: list[list[str]], note: str) -> str:
    """A titled table followed by the note on its query; says so when there are no rows."""
    if not rows:
        return f"<h2>{_h(title)}</h2><p>None in the graph.</p>{note}"
    return f"<h2>{_h(title)}</h2>{table(headers, rows)}{note}"
