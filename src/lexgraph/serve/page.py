"""The query page of ``lexgraph serve``: lexgraph's own, served by the layer, with no request
off the machine.

The page gives the endpoint's address, a query box opened on the project's prefixes, every
question of the library as an example ready to run (its parameters bound to their defaults
with a ``VALUES`` block, as ``lexgraph query --endpoint`` sends them), a link to the
ontology's documentation (``/ontology``), and a table of the answer. It offers no update: the
graph is served read-only. Its script is a file of its own (``/assets/query.js``), so that the
page's Content-Security-Policy allows no inline code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.escape import html as _h
from lexgraph.core.namespaces import PREFIXES
from lexgraph.core.version import __version__
from lexgraph.publish.remote import with_values
from lexgraph.store.library import read_library
from lexgraph.store.query import substitutions

#: The paths the page is made of.
PAGE_FILES = ("/", "/assets/query.js", "/assets/query.css")

CSS = """\
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem}
body{color:#222}
h1{font-size:1.5em;margin:.2em 0}code{font-size:.92em}a{color:#0b57a4}
textarea{width:100%;min-height:16rem;font:13px/1.4 ui-monospace,monospace;box-sizing:border-box}
select{max-width:100%;font:inherit}button{font:inherit;padding:.3em 1.2em}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}
th,td{border:1px solid #ddd;padding:.2em .45em;text-align:left;vertical-align:top}
th{background:#f4f4f4}#status{color:#555}#status.error{color:#a40000;white-space:pre-wrap}
p.note{font-size:.9em;color:#555}
"""

SCRIPT = """\
(function () {
  var examples = JSON.parse(document.getElementById("examples").textContent);
  var box = document.getElementById("query"), pick = document.getElementById("example");
  var status = document.getElementById("status"), out = document.getElementById("answer");
  pick.addEventListener("change", function () {
    var found = examples[pick.value];
    if (found) { box.value = found; }
  });
  function cell(term) {
    var td = document.createElement("td");
    if (term) { td.textContent = term.value; if (term.type === "uri") { td.title = term.value; } }
    return td;
  }
  document.getElementById("form").addEventListener("submit", function (event) {
    event.preventDefault();
    status.className = ""; status.textContent = "running..."; out.textContent = "";
    var started = Date.now();
    fetch("query", {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json, text/turtle;q=0.8"},
      body: "query=" + encodeURIComponent(box.value)
    }).then(function (response) {
      return response.text().then(function (text) { return [response, text]; });
    }).then(function (pair) {
      var response = pair[0], text = pair[1], kind = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        status.className = "error"; status.textContent = response.status + ": " + text; return;
      }
      var seconds = ((Date.now() - started) / 1000).toFixed(2);
      if (kind.indexOf("json") < 0) {
        var pre = document.createElement("pre"); pre.textContent = text; out.appendChild(pre);
        status.textContent = "graph answer in " + seconds + " s"; return;
      }
      var data = JSON.parse(text);
      if (data.boolean !== undefined) { status.textContent = "answer: " + data.boolean; return; }
      var vars = data.head.vars, rows = data.results.bindings;
      var table = document.createElement("table"), head = table.insertRow();
      vars.forEach(function (v) {
        var th = document.createElement("th"); th.textContent = v; head.appendChild(th);
      });
      rows.forEach(function (row) {
        var tr = table.insertRow();
        vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      });
      out.appendChild(table);
      var cut = response.headers.get("X-Lexgraph-Truncated") ? " (cut at the row limit)" : "";
      status.textContent = rows.length + " row(s) in " + seconds + " s" + cut;
    }).catch(function (error) {
      status.className = "error"; status.textContent = String(error);
    });
  });
})();
"""

#: The query the box opens with, under the project's prefixes.
FIRST_QUERY = """\
# The instruments of the graph, with their short names. Pick an example above, or write your own.
SELECT ?instrument ?name WHERE {
  ?instrument a lex:Instrument ; lex:shortName ?name .
}
ORDER BY STR(?name)
LIMIT 50
"""


def prefixes() -> str:
    """The PREFIX lines of the project's prefix table."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))


def examples(questions: Path, store: ox.Store | None) -> dict[str, str]:
    """Each library question's text, its parameters bound to their defaults by a ``VALUES``
    block; a question whose defaults cannot be bound is offered with them free."""
    found = {}
    for question in read_library(questions):
        try:
            bound = substitutions(store, question, {})
        except InputError:
            bound = {}
        found[question.name] = with_values(question.text, bound)
    return found


def page(questions: Path, store: ox.Store | None) -> dict[str, tuple[bytes, str]]:
    """The page and its files, by path: body and content type."""
    found = examples(questions, store)
    summaries = {q.name: q.summary for q in read_library(questions)}
    options = "".join(
        f'<option value="{_h(name)}">{_h(name)}: {_h(summaries[name])}</option>'
        for name in sorted(found)
    )
    data = json.dumps(found, ensure_ascii=True).replace("</", "<\\/")
    csp = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'"
    html = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>lexgraph SPARQL endpoint</title>\n"
        '<link rel="stylesheet" href="assets/query.css">\n</head>\n<body>\n'
        "<h1>lexgraph SPARQL endpoint</h1>\n"
        "<p>The international legal instruments against crime, read-only: the union of the "
        "build's named graphs is the default graph, and <code>FROM</code> selects a source "
        "file's graph. Send SPARQL 1.1 queries to <code>/query</code> (GET or POST); updates "
        'are refused. The terms are documented at <a href="ontology">/ontology</a>, every '
        "resource at its own IRI (<code>/id/…</code>); the questions below are the library "
        f"of <code>lexgraph queries</code> (lexgraph {_h(__version__)}).</p>\n"
        '<form id="form">\n<p><label for="example">Examples </label>'
        f'<select id="example"><option value="">the library\'s questions…</option>{options}'
        "</select></p>\n"
        f'<textarea id="query" name="query" spellcheck="false">{_h(prefixes() + FIRST_QUERY)}'
        '</textarea>\n<p><button type="submit">Run</button> '
        '<span id="status" aria-live="polite"></span></p>\n</form>\n'
        '<div id="answer"></div>\n'
        '<p class="note">From a shell: <code>curl -H "Accept: text/csv" --data-urlencode '
        "query@my.rq http://HOST:PORT/query</code>, or <code>lexgraph query my.rq --endpoint "
        "http://HOST:PORT/query</code>.</p>\n"
        f'<script type="application/json" id="examples">{data}</script>\n'
        '<script src="assets/query.js"></script>\n</body>\n</html>\n'
    )
    return {
        "/": (html.encode(), "text/html; charset=utf-8"),
        "/assets/query.js": (SCRIPT.encode(), "text/javascript; charset=utf-8"),
        "/assets/query.css": (CSS.encode(), "text/css; charset=utf-8"),
    }
