"""Escaping text for each output language: one escaper per language, used by every renderer.

Labels and notes come from the graph, and the graph takes files from anyone (``--input``,
imports), so every renderer escapes every text it did not write itself.
"""

from __future__ import annotations

import html as _html
import re


def one_line(text: str) -> str:
    r"""Collapse runs of white space, newlines included, to one space.

    >>> one_line("a\n  b")
    'a b'
    """
    return " ".join(text.split())


def html(text: object) -> str:
    """Escape text for HTML content and attribute values (``None`` is the empty string).

    >>> html('<a href="x">')
    '&lt;a href=&quot;x&quot;&gt;'
    """
    return _html.escape("" if text is None else str(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#<>~$])")


def markdown(text: str) -> str:
    r"""Escape text for a Markdown table cell: Markdown punctuation, and HTML as entities.

    >>> markdown("<b>a|b</b>")
    '&lt;b&gt;a\\|b&lt;/b&gt;'
    """
    text = one_line(text)
    escaped = _MD_SPECIAL.sub(
        lambda m: {"<": "&lt;", ">": "&gt;"}.get(m.group(1), "\\" + m.group(1)), text
    )
    return re.sub(r"&(?!lt;|gt;)", "&amp;", escaped)


_LATEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_LATEX_SPECIAL = re.compile("|".join(re.escape(c) for c in _LATEX))


def latex(text: str) -> str:
    r"""Escape the characters that LaTeX treats specially.

    >>> print(latex("50% of $x_1 & {y}"))
    50\% of \$x\_1 \& \{y\}
    """
    return _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group(0)], one_line(text))
