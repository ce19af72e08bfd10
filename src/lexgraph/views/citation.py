"""The one-line citation that figures and tables carry, read from ``CITATION.cff``.

The file is parsed by hand rather than with a YAML library (none is installed with
lexgraph): top-level ``key: value`` lines, and the ``name`` or ``family-names`` and
``given-names`` of each entry of ``authors``. Block scalars and lists under other keys are
skipped, which is all the keys the line needs.
"""

from __future__ import annotations

import re
from pathlib import Path

from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout

CITATION_FILE = "CITATION.cff"
_KEY = re.compile(r"^(?P<key>[A-Za-z][\w-]*):(?:\s+(?P<value>.*))?$")
_ITEM = re.compile(r"^\s*(?:-\s+)?(?P<key>[A-Za-z][\w-]*):\s+(?P<value>.*)$")


def _scalar(text: str) -> str:
    """Return a YAML flow scalar's value: unquoted, with a trailing comment removed.

    >>> _scalar('"https://w3id.org/lexgraph/"  # the home page')
    'https://w3id.org/lexgraph/'
    >>> _scalar("it's 0.1.0 # version")
    "it's 0.1.0"
    """
    text = text.strip()
    if text[:1] in ("'", '"'):
        end = text.find(text[0], 1)
        if end > 0:
            return text[1:end]
    return re.sub(r"\s+#.*$", "", text).strip()


def read_citation(path: Path) -> tuple[dict[str, str], list[str]]:
    """Return the top-level scalar keys of a CITATION.cff file and its authors' names.

    An author is its ``name`` (an entity) or ``given-names family-names`` (a person).
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    keys: dict[str, str] = {}
    authors: list[dict[str, str]] = []
    section = ""
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        top = _KEY.match(line)
        if top:
            section = top["key"]
            if top["value"] and top["value"].strip()[:1] not in ("|", ">"):
                keys[section] = _scalar(top["value"])
            continue
        item = _ITEM.match(line)
        if section == "authors" and item:
            if line.lstrip().startswith("-"):
                authors.append({})
            if authors:
                authors[-1][item["key"]] = _scalar(item["value"])
    names = [
        a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names"))))
        for a in authors
    ]
    return keys, [n for n in names if n]


def _licence(spdx: str) -> str:
    """Return a licence's usual name: Creative Commons identifiers lose their hyphens.

    >>> _licence("CC-BY-4.0")
    'CC BY 4.0'
    >>> _licence("MIT")
    'MIT'
    """
    return spdx.replace("-", " ") if spdx.startswith("CC-") else spdx


def citation_line(layout: Layout) -> str:
    """Return the project's citation in one line, from ``CITATION.cff`` at the root.

    The form is ``AUTHORS (YEAR). TITLE VERSION [TYPE]. URL. LICENCE.``; a part whose key
    is missing is left out, except the title, which is required.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "CITATION.cff").write_text(
    ...     "cff-version: 1.2.0\\ntitle: lexgraph\\nversion: 0.1.0\\ntype: dataset\\n"
    ...     "authors:\\n  - name: lexgraph contributors\\ndate-released: 2026-12-01\\n"
    ...     'license: CC-BY-4.0\\nurl: "https://w3id.org/lexgraph/"\\n'
    ... )
    >>> citation_line(Layout(root))
    'lexgraph contributors (2026). lexgraph 0.1.0 [dataset]. https://w3id.org/lexgraph/. CC BY 4.0.'
    """
    path = layout.root / CITATION_FILE
    keys, authors = read_citation(path)
    if not keys.get("title"):
        raise InputError(f"{path}: no title")
    year = keys.get("date-released", "")[:4]
    head = ", ".join(authors) + (f" ({year})" if year else "")
    title = " ".join(filter(None, (keys["title"], keys.get("version"))))
    if keys.get("type"):
        title += f" [{keys['type']}]"
    parts = [head, title, keys.get("url", ""), _licence(keys.get("license", ""))]
    return " ".join(f"{p.rstrip('.')}." for p in parts if p.strip())
