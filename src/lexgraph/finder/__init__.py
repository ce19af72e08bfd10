"""The legal-basis finder: which instruments let state A ask state B for a modality for a crime.

:mod:`~lexgraph.finder.coverage` holds the coverage rule, :mod:`~lexgraph.finder.standing` the
participation records and a state's standing, :mod:`~lexgraph.finder.basis` the decision and
:mod:`~lexgraph.finder.gaps` the gaps and dyads built on it; :mod:`~lexgraph.finder.model`
reads how articles provide modalities and which offences cooperation reaches, and
:mod:`~lexgraph.finder.reservations` what the states' reservations do;
:mod:`~lexgraph.finder.arrangements` names the non-treaty arrangements (the Commonwealth
Schemes) beside the candidates, never as one.
"""

from lexgraph.core.namespaces import key_of
from lexgraph.finder.answer import Arrangement
from lexgraph.finder.basis import (
    BASIS,
    CONDITIONAL,
    FRAMEWORK,
    NO_BASIS,
    NO_INSTRUMENT,
    UNKNOWN,
    Basis,
    BasisAnswer,
    find_basis,
)
from lexgraph.finder.coverage import RULES, Article, Candidate, Reach, articles, candidates
from lexgraph.finder.gaps import Gap, Shared, dyad, gaps
from lexgraph.finder.model import Condition, ProvisionKind, Scope
from lexgraph.finder.reservations import ReservationRef
from lexgraph.finder.standing import (
    BOUND,
    DENOUNCED,
    NOT_PARTY,
    NOT_YET_IN_FORCE,
    SIGNATORY,
    UNKNOWN_STANDING,
    Act,
    Record,
    Standing,
    consent_kinds,
    read_records,
    standing,
)

__all__ = [
    "BASIS",
    "BOUND",
    "CONDITIONAL",
    "DENOUNCED",
    "FRAMEWORK",
    "NOT_PARTY",
    "NOT_YET_IN_FORCE",
    "NO_BASIS",
    "NO_INSTRUMENT",
    "RULES",
    "SIGNATORY",
    "UNKNOWN",
    "UNKNOWN_STANDING",
    "Act",
    "Arrangement",
    "Article",
    "Basis",
    "BasisAnswer",
    "Candidate",
    "Condition",
    "Gap",
    "ProvisionKind",
    "Reach",
    "Record",
    "ReservationRef",
    "Scope",
    "Shared",
    "Standing",
    "articles",
    "candidates",
    "consent_kinds",
    "dyad",
    "find_basis",
    "gaps",
    "key_of",
    "read_records",
    "standing",
]
