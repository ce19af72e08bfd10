"""The finder's answer: a verdict per candidate instrument, with everything that decides it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lexgraph.finder.coverage import Article
from lexgraph.finder.model import (
    Condition,
    ProvisionKind,
)
from lexgraph.finder.reservations import (
    ReservationRef,
)
from lexgraph.finder.standing import (
    Standing,
)

#: Verdicts of one candidate instrument.
BASIS, CONDITIONAL, FRAMEWORK = "basis", "conditional", "framework-only"
NO_BASIS, UNKNOWN = "no-basis", "unknown"
NO_INSTRUMENT = "no-instrument"
#: Verdicts in the order answers list them.
VERDICTS = (BASIS, CONDITIONAL, UNKNOWN, FRAMEWORK, NO_BASIS)


@dataclass(frozen=True)
class Basis:
    """One candidate instrument, with everything that decides whether it gives a basis."""

    instrument: str
    title: str
    rule: str
    via: str
    protocol: str | None
    name: str
    articles: tuple[Article, ...]
    excluded_articles: tuple[Article, ...]
    kinds: tuple[ProvisionKind, ...]
    standings: tuple[Standing, ...]
    reservations: tuple[ReservationRef, ...]
    conditions: tuple[Condition, ...]
    verdict: str
    reasons: tuple[str, ...]
    why: tuple[str, ...]
    #: The as-at date of the latest complete status list of the instrument the finder saw
    #: (``lex:StatusList``), or None: how current the participation data behind the verdict is.
    status_list_as_at: str | None = None


#: An arrangement's membership reading: both states recorded members on the date, or the
#: organisation's members not recorded for it (the arrangement is named on that condition).
BOTH_MEMBERS, MEMBERSHIP_NOT_RECORDED = "both-members", "not-recorded"


@dataclass(frozen=True)
class Arrangement:
    """A non-treaty arrangement that concerns the modality asked (the Commonwealth's London and
    Harare Schemes): named beside the candidates, never a candidate and never a basis, because
    each state gives effect to it only through its own law."""

    instrument: str
    name: str
    title: str
    #: The modality the arrangement concerns: the one asked or a broader one.
    modality: str
    organisation: str | None
    #: :data:`BOTH_MEMBERS` or :data:`MEMBERSHIP_NOT_RECORDED`.
    membership: str
    #: The line a reader sees, with its condition where membership is not recorded.
    note: str
    source: str | None


@dataclass(frozen=True)
class BasisAnswer:
    """The finder's answer: every candidate instrument, with its verdict."""

    requesting: str
    requested: str
    crime: str
    modality: str
    on: dt.date
    candidates: tuple[Basis, ...] = field(default_factory=tuple)
    #: The names of the two states, the crime type and the modality, by IRI.
    names: dict[str, str] = field(default_factory=dict)
    #: What the graph does not know that could change the answer.
    not_known: tuple[str, ...] = field(default_factory=tuple)
    #: Non-treaty arrangements that concern the modality: never candidates, never a basis.
    arrangements: tuple[Arrangement, ...] = field(default_factory=tuple)

    def name(self, iri: str) -> str:
        """The human name of one of the answer's states, crime type or modality."""
        return self.names.get(iri, iri.rsplit("/", 1)[-1])

    @property
    def bases(self) -> tuple[Basis, ...]:
        return tuple(b for b in self.candidates if b.verdict == BASIS)

    @property
    def conditional(self) -> tuple[Basis, ...]:
        return tuple(b for b in self.candidates if b.verdict == CONDITIONAL)

    @property
    def unknown(self) -> tuple[Basis, ...]:
        return tuple(b for b in self.candidates if b.verdict == UNKNOWN)
