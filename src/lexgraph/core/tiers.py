"""Source tiers: how much weight a cited source can carry, read from its address.

The tiers are the concepts of ``ontology/vocab/source-tiers.ttl``, strongest first:
depositary, official, secondary, tertiary. Which site has which tier is data, the hand-edited
table ``graph/source-domains.ttl`` (``lex:SourceDomain`` nodes with a ``lex:urlPattern`` and a
``lex:sourceTier``). This module holds the one rule that matches an address to the table, used
by the build (which writes each cited source's tier into the inferred graph), by the importers
(which check a CSV's ``source_tier`` column) and by the views and the finder (through the
inferred triples):

- a pattern is a host, without scheme or a leading ``www.``, optionally followed by a path
  prefix (``github.com/zmjones/untreaties``);
- an address matches a pattern when its host is the pattern's host or a subdomain of it, and
  its path starts with the pattern's path, if any;
- the longest matching pattern decides, so ``treaties.un.org`` (depositary) wins over
  ``un.org`` (official).

The two rules of the graph that rest on tiers:

- no fact rests on a tertiary source alone (:func:`rests_on_tertiary_alone`);
- "not a party" is said only on depositary or official evidence (:data:`NEGATIVE_EVIDENCE`).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Mapping

from lexgraph.core.namespaces import instance

#: The tier keys, strongest first.
TIERS: tuple[str, ...] = ("depositary", "official", "secondary", "tertiary")
#: The tiers on whose evidence a state may be called "not a party".
NEGATIVE_EVIDENCE = frozenset({"depositary", "official"})
TERTIARY = "tertiary"


def tier_iri(key: str) -> str:
    """The IRI of a tier concept.

    >>> tier_iri("official")
    'https://w3id.org/lexgraph/id/source-tier/official'
    """
    return instance("source-tier", key)


def tier_key(iri: str) -> str:
    """The key of a tier concept's IRI (its last segment)."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _host_and_path(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url.strip())
    host = (parts.hostname or "").rstrip(".").lower()
    if host.startswith("www."):
        host = host[4:]
    return host, parts.path


def matches(url: str, pattern: str) -> bool:
    """Return True if ``url`` falls under ``pattern`` (a host and optional path prefix).

    >>> matches("https://www.coe.int/en/web/conventions", "coe.int")
    True
    >>> matches("https://press.un.org/en/2024", "un.org")
    True
    >>> matches("https://notun.org/", "un.org")
    False
    >>> matches("https://github.com/zmjones/untreaties/blob/x", "github.com/zmjones/untreaties")
    True
    """
    host, path = _host_and_path(url)
    want_host, _, want_path = pattern.strip().lower().partition("/")
    if host != want_host and not host.endswith("." + want_host):
        return False
    if not want_path:
        return True
    prefix = "/" + want_path.rstrip("/")
    return path.lower() == prefix or path.lower().startswith(prefix + "/")


def tier_of(url: str, table: Mapping[str, str]) -> str | None:
    """The tier key of ``url`` by the longest pattern of ``table`` (pattern -> tier key) it
    matches, or None if it matches none.

    >>> table = {"un.org": "official", "treaties.un.org": "depositary"}
    >>> tier_of("https://treaties.un.org/pages/x", table), tier_of("https://www.un.org/", table)
    ('depositary', 'official')
    >>> tier_of("https://example.org/", table) is None
    True
    """
    found = [(len(p), t) for p, t in table.items() if matches(url, p)]
    return max(found)[1] if found else None


def best_tier(tiers: Iterable[str | None]) -> str | None:
    """The strongest of some tier keys (unknown ones ignored), or None.

    >>> best_tier(["tertiary", "official", None])
    'official'
    """
    known = [t for t in tiers if t in TIERS]
    return min(known, key=TIERS.index) if known else None


def rests_on_tertiary_alone(tiers: Iterable[str | None]) -> bool:
    """True if every source of a fact is tertiary (and there is at least one).

    >>> rests_on_tertiary_alone(["tertiary"]), rests_on_tertiary_alone(["tertiary", "secondary"])
    (True, False)
    """
    found = list(tiers)
    return bool(found) and all(t == TERTIARY for t in found)
