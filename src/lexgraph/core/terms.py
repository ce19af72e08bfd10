"""The vocabulary's terms as typed names: a misspelt term is a NameError, not a silent miss.

``Lex`` holds every term that ``ontology/lexgraph.ttl`` declares, and nothing else; the other
classes hold the terms of the external vocabularies that the code uses. Each value is the full
IRI as a ``str``, ready for ``pyoxigraph.NamedNode`` or ``rdflib.URIRef``. A test holds ``Lex``
to the ontology in both directions and the others to the vocabularies rdflib ships; regenerate
``Lex`` with ``python -m lexgraph.core.terms`` after adding a term to the ontology.

>>> Lex.participant
'https://w3id.org/lexgraph/ontology#participant'
>>> Skos.prefLabel
'http://www.w3.org/2004/02/skos/core#prefLabel'
"""

from __future__ import annotations

from typing import Final

from lexgraph.core.namespaces import LEX, PREFIXES


class Lex:
    """The terms of ``ontology/lexgraph.ttl`` (``lex:``)."""

    ActKind: Final = LEX + "ActKind"
    AgendaItem: Final = LEX + "AgendaItem"
    BilateralTreaty: Final = LEX + "BilateralTreaty"
    Body: Final = LEX + "Body"
    CaseCondition: Final = LEX + "CaseCondition"
    ChangeKind: Final = LEX + "ChangeKind"
    Congress: Final = LEX + "Congress"
    Convention: Final = LEX + "Convention"
    CooperationModality: Final = LEX + "CooperationModality"
    CooperationScope: Final = LEX + "CooperationScope"
    CrimeType: Final = LEX + "CrimeType"
    Declaration: Final = LEX + "Declaration"
    DiscussionQuestion: Final = LEX + "DiscussionQuestion"
    Instrument: Final = LEX + "Instrument"
    Mapping: Final = LEX + "Mapping"
    Membership: Final = LEX + "Membership"
    MembershipList: Final = LEX + "MembershipList"
    MembershipRestriction: Final = LEX + "MembershipRestriction"
    ModalityProvision: Final = LEX + "ModalityProvision"
    Network: Final = LEX + "Network"
    Organisation: Final = LEX + "Organisation"
    Participant: Final = LEX + "Participant"
    Participation: Final = LEX + "Participation"
    ParticipationChange: Final = LEX + "ParticipationChange"
    Protocol: Final = LEX + "Protocol"
    Provision: Final = LEX + "Provision"
    ProvisionKind: Final = LEX + "ProvisionKind"
    Region: Final = LEX + "Region"
    RegionalEconomicIntegrationOrganization: Final = LEX + "RegionalEconomicIntegrationOrganization"
    Reservation: Final = LEX + "Reservation"
    ReservationEffect: Final = LEX + "ReservationEffect"
    Resolution: Final = LEX + "Resolution"
    ScopeKind: Final = LEX + "ScopeKind"
    SoftLawInstrument: Final = LEX + "SoftLawInstrument"
    SourceDomain: Final = LEX + "SourceDomain"
    SourceTier: Final = LEX + "SourceTier"
    Standard: Final = LEX + "Standard"
    State: Final = LEX + "State"
    StatusList: Final = LEX + "StatusList"
    Treaty: Final = LEX + "Treaty"
    UnverifiedStatement: Final = LEX + "UnverifiedStatement"
    actDate: Final = LEX + "actDate"
    actKind: Final = LEX + "actKind"
    adopted: Final = LEX + "adopted"
    adoptedBy: Final = LEX + "adoptedBy"
    adoptionDate: Final = LEX + "adoptionDate"
    adoptionPlace: Final = LEX + "adoptionPlace"
    affectsParagraph: Final = LEX + "affectsParagraph"
    affectsProvision: Final = LEX + "affectsProvision"
    agendaOf: Final = LEX + "agendaOf"
    amends: Final = LEX + "amends"
    arrangementAmong: Final = LEX + "arrangementAmong"
    arrangementFor: Final = LEX + "arrangementFor"
    articleNumber: Final = LEX + "articleNumber"
    asAt: Final = LEX + "asAt"
    askedUnder: Final = LEX + "askedUnder"
    changeKind: Final = LEX + "changeKind"
    concerns: Final = LEX + "concerns"
    condition: Final = LEX + "condition"
    contributesTo: Final = LEX + "contributesTo"
    covers: Final = LEX + "covers"
    criminalises: Final = LEX + "criminalises"
    definedBy: Final = LEX + "definedBy"
    defines: Final = LEX + "defines"
    depositary: Final = LEX + "depositary"
    division: Final = LEX + "division"
    documentSymbol: Final = LEX + "documentSymbol"
    effect: Final = LEX + "effect"
    endDate: Final = LEX + "endDate"
    endorses: Final = LEX + "endorses"
    entryIntoForceDate: Final = LEX + "entryIntoForceDate"
    entryIntoForceForParticipant: Final = LEX + "entryIntoForceForParticipant"
    establishedBy: Final = LEX + "establishedBy"
    hasProvision: Final = LEX + "hasProvision"
    heading: Final = LEX + "heading"
    inRegion: Final = LEX + "inRegion"
    instrument: Final = LEX + "instrument"
    iso3166Alpha2: Final = LEX + "iso3166Alpha2"
    iso3166Alpha3: Final = LEX + "iso3166Alpha3"
    iso3166Numeric: Final = LEX + "iso3166Numeric"
    itemCode: Final = LEX + "itemCode"
    key: Final = LEX + "key"
    m49Code: Final = LEX + "m49Code"
    mapsFrom: Final = LEX + "mapsFrom"
    mapsTo: Final = LEX + "mapsTo"
    matchKind: Final = LEX + "matchKind"
    member: Final = LEX + "member"
    memberSince: Final = LEX + "memberSince"
    memberUntil: Final = LEX + "memberUntil"
    membersReported: Final = LEX + "membersReported"
    minimumPenaltyMonths: Final = LEX + "minimumPenaltyMonths"
    modality: Final = LEX + "modality"
    offencesEstablishedUnder: Final = LEX + "offencesEstablishedUnder"
    openedForSignatureDate: Final = LEX + "openedForSignatureDate"
    organisation: Final = LEX + "organisation"
    paragraph: Final = LEX + "paragraph"
    partOf: Final = LEX + "partOf"
    participant: Final = LEX + "participant"
    partiesReported: Final = LEX + "partiesReported"
    party: Final = LEX + "party"
    place: Final = LEX + "place"
    previousAsAt: Final = LEX + "previousAsAt"
    providesFor: Final = LEX + "providesFor"
    provision: Final = LEX + "provision"
    provisionKind: Final = LEX + "provisionKind"
    refersTo: Final = LEX + "refersTo"
    replaces: Final = LEX + "replaces"
    replacesBetweenBoundStates: Final = LEX + "replacesBetweenBoundStates"
    reviewedBy: Final = LEX + "reviewedBy"
    scopeKind: Final = LEX + "scopeKind"
    scopeOf: Final = LEX + "scopeOf"
    secondarySource: Final = LEX + "secondarySource"
    serves: Final = LEX + "serves"
    shortName: Final = LEX + "shortName"
    signaturePlace: Final = LEX + "signaturePlace"
    sourceTier: Final = LEX + "sourceTier"
    startDate: Final = LEX + "startDate"
    subdivisionOf: Final = LEX + "subdivisionOf"
    supplements: Final = LEX + "supplements"
    terminationDate: Final = LEX + "terminationDate"
    treatySeriesNumber: Final = LEX + "treatySeriesNumber"
    untcReference: Final = LEX + "untcReference"
    untsRegistrationNumber: Final = LEX + "untsRegistrationNumber"
    urlPattern: Final = LEX + "urlPattern"


class Rdf:
    """The terms of ``rdf:`` that lexgraph uses."""

    type: Final = PREFIXES["rdf"] + "type"


class Rdfs:
    """The terms of ``rdfs:`` that lexgraph uses."""

    label: Final = PREFIXES["rdfs"] + "label"
    comment: Final = PREFIXES["rdfs"] + "comment"
    subClassOf: Final = PREFIXES["rdfs"] + "subClassOf"
    isDefinedBy: Final = PREFIXES["rdfs"] + "isDefinedBy"


class Owl:
    """The terms of ``owl:`` that lexgraph uses."""

    sameAs: Final = PREFIXES["owl"] + "sameAs"
    versionInfo: Final = PREFIXES["owl"] + "versionInfo"


class Xsd:
    """The terms of ``xsd:`` that lexgraph uses."""

    date: Final = PREFIXES["xsd"] + "date"
    gYear: Final = PREFIXES["xsd"] + "gYear"
    gYearMonth: Final = PREFIXES["xsd"] + "gYearMonth"
    integer: Final = PREFIXES["xsd"] + "integer"
    string: Final = PREFIXES["xsd"] + "string"


class Skos:
    """The terms of ``skos:`` that lexgraph uses."""

    Concept: Final = PREFIXES["skos"] + "Concept"
    ConceptScheme: Final = PREFIXES["skos"] + "ConceptScheme"
    altLabel: Final = PREFIXES["skos"] + "altLabel"
    broader: Final = PREFIXES["skos"] + "broader"
    definition: Final = PREFIXES["skos"] + "definition"
    exactMatch: Final = PREFIXES["skos"] + "exactMatch"
    hiddenLabel: Final = PREFIXES["skos"] + "hiddenLabel"
    inScheme: Final = PREFIXES["skos"] + "inScheme"
    narrower: Final = PREFIXES["skos"] + "narrower"
    notation: Final = PREFIXES["skos"] + "notation"
    note: Final = PREFIXES["skos"] + "note"
    prefLabel: Final = PREFIXES["skos"] + "prefLabel"
    topConceptOf: Final = PREFIXES["skos"] + "topConceptOf"


class Dcterms:
    """The terms of ``dcterms:`` that lexgraph uses."""

    description: Final = PREFIXES["dcterms"] + "description"
    issued: Final = PREFIXES["dcterms"] + "issued"
    license: Final = PREFIXES["dcterms"] + "license"
    modified: Final = PREFIXES["dcterms"] + "modified"
    source: Final = PREFIXES["dcterms"] + "source"
    title: Final = PREFIXES["dcterms"] + "title"


class Void:
    """The terms of ``void:`` that lexgraph uses."""

    Dataset: Final = PREFIXES["void"] + "Dataset"
    class_: Final = PREFIXES["void"] + "class"
    classPartition: Final = PREFIXES["void"] + "classPartition"
    classes: Final = PREFIXES["void"] + "classes"
    dataDump: Final = PREFIXES["void"] + "dataDump"
    distinctObjects: Final = PREFIXES["void"] + "distinctObjects"
    distinctSubjects: Final = PREFIXES["void"] + "distinctSubjects"
    entities: Final = PREFIXES["void"] + "entities"
    properties: Final = PREFIXES["void"] + "properties"
    subset: Final = PREFIXES["void"] + "subset"
    triples: Final = PREFIXES["void"] + "triples"


class Dcat:
    """The terms of ``dcat:`` that lexgraph uses."""

    Distribution: Final = PREFIXES["dcat"] + "Distribution"
    byteSize: Final = PREFIXES["dcat"] + "byteSize"
    distribution: Final = PREFIXES["dcat"] + "distribution"
    downloadURL: Final = PREFIXES["dcat"] + "downloadURL"
    mediaType: Final = PREFIXES["dcat"] + "mediaType"
    version: Final = PREFIXES["dcat"] + "version"


class Sdgo:
    """The terms of the UN SDG KOS ontology (``sdgo:``) that the SDG importer keeps."""

    Target: Final = PREFIXES["sdgo"] + "Target"
    custodianAgency: Final = PREFIXES["sdgo"] + "custodianAgency"
    hasIndicator: Final = PREFIXES["sdgo"] + "hasIndicator"
    hasTarget: Final = PREFIXES["sdgo"] + "hasTarget"
    isIndicatorOf: Final = PREFIXES["sdgo"] + "isIndicatorOf"
    isTargetOf: Final = PREFIXES["sdgo"] + "isTargetOf"
    tier: Final = PREFIXES["sdgo"] + "tier"


def _lex_source(terms: list[str]) -> str:
    """The body of class ``Lex`` for ``terms``, as this module writes it."""
    ordered = sorted(terms, key=lambda t: (t[0].islower(), t))
    return "".join(f'    {t}: Final = LEX + "{t}"\n' for t in ordered)


def declared_terms(ontology: str) -> list[str]:
    """The local names of the ``lex:`` terms declared (as subjects) in the Turtle ``ontology``."""
    import pyoxigraph as ox

    names = set()
    for triple in ox.parse(ontology.encode("utf-8"), format=ox.RdfFormat.TURTLE):
        subject = triple.subject
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(LEX):
            local = subject.value[len(LEX) :]
            if local:
                names.add(local)
    return sorted(names)


if __name__ == "__main__":  # print class Lex's body for the current ontology
    from lexgraph.core.paths import Layout

    text = (Layout.default().ontology / "lexgraph.ttl").read_text(encoding="utf-8")
    print(_lex_source(declared_terms(text)), end="")
