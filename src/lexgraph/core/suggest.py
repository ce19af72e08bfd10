"""The "did you mean" of every lookup: the known names closest to one that matched nothing."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

#: How close a known name must be to be offered (difflib's ratio, from 0 to 1).
CUTOFF = 0.6


def close_matches(text: str, names: Mapping[str, str] | Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` of ``names`` closest to ``text``, closest first.

    ``names`` may map each name to the thing it names (a key, an IRI); then at most one name
    is offered per thing, so that two spellings of one state do not crowd out another state.

    >>> close_matches("extradtion", ["extradition", "mutual-legal-assistance"])
    ['extradition']
    >>> close_matches("rusia", {"russia": "RUS", "russian federation": "RUS", "prussia": "X"})
    ['russia', 'prussia']
    """
    things = dict(names) if isinstance(names, Mapping) else {name: name for name in names}
    ranked = difflib.get_close_matches(text, list(things), n=len(things) or 1, cutoff=CUTOFF)
    offered: dict[str, str] = {}
    for name in ranked:
        offered.setdefault(things[name], name)
    return list(offered.values())[:n]
