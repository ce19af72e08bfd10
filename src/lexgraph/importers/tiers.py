"""The source tiers an importer checks a row against: the table of ``graph/source-domains.ttl``.

:func:`lexgraph.core.tiers.tier_of` matches an address to the table; this module reads the
table from the project's files (importers run before any build) and says what is wrong with a
row's source: a site the table lacks, or a ``source_tier`` that disagrees with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib import URIRef

from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout
from lexgraph.core.terms import Lex
from lexgraph.core.tiers import TIERS, tier_key, tier_of
from lexgraph.importers import parse_turtle


@dataclass(frozen=True)
class TierTable:
    """The tier key of each URL pattern of ``graph/source-domains.ttl``."""

    patterns: dict[str, str]

    @classmethod
    def load(cls, root: Path) -> TierTable:
        """Read the table of the project at ``root``; a missing file is an empty table."""
        path = Layout(root).source_domains
        graph = rdflib.Graph()
        if path.is_file():
            parse_turtle(graph, path)
        patterns = {
            str(pattern): tier_key(str(tier))
            for domain, pattern in graph.subject_objects(URIRef(Lex.urlPattern))
            for tier in graph.objects(domain, URIRef(Lex.sourceTier))
        }
        return cls(patterns)

    def tier(self, url: str, given: str, where: str) -> str | None:
        """The tier of ``url``, or None if the table has no site for it; raise naming ``where``
        if ``given`` (a ``source_tier`` cell, maybe empty) is no tier or says otherwise."""
        if given and given not in TIERS:
            raise InputError(f"{where}: source_tier {given!r} is not one of {', '.join(TIERS)}")
        found = tier_of(url, self.patterns)
        if found is not None and given and given != found:
            raise InputError(
                f"{where}: source_tier {given!r} disagrees with graph/source-domains.ttl, "
                f"which makes {url!r} {found!r}"
            )
        return found


def unlisted(url: str, where: str) -> str:
    """The warning for a source whose site the table lacks: the build's check
    ``source-without-tier`` will refuse it until the site is added."""
    return (
        f"{where}: the site of {url} is not in graph/source-domains.ttl: add it with its tier, "
        "or the build refuses the record (check source-without-tier)"
    )
