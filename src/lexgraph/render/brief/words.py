"""The words of a brief in each language: sentence templates, headings, and the names used.

A brief's sentences are made from templates of its language (:data:`WORDS`), filled with names
from the graph. A name is the node's ``skos:prefLabel`` in the brief's language where the graph
has one, else its English short name (:func:`lexgraph.store.labels.short_name`), marked as
English: the renderers set it in italics (with ``lang="en"`` in HTML) and the brief says once
what the italics mean. The mark is a pair of private-use characters around the name
(:data:`FOREIGN_START`, :data:`FOREIGN_END`), which :func:`spans` splits on.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from lexgraph.core.terms import Lex, Skos
from lexgraph.store.labels import label, short_name

LANGUAGES = ("en", "fr")
FOREIGN_START, FOREIGN_END = "\ue000", "\ue001"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "{crime}: international instruments and cooperation",
        "meta": "A brief made by lexgraph {version} from the graph{when}. It states only what the"
        " graph records.",
        "when": " of {date}",
        "key_messages": "Key messages",
        "reach_none": "The graph holds no instrument that reaches {crime}.",
        "reach_one": "One instrument in the graph reaches {crime}: {names}.",
        "reach_many": "{n} instruments in the graph reach {crime}: {names}.",
        "no_articles_gap": "No cooperation article is recorded for {names}: what {they} may"
        " provide is not counted here.",
        "it": "it",
        "they": "they",
        "provide_none": "The graph records no article of {them} that provides for cooperation.",
        "them_one": "it",
        "them_many": "them",
        "provide": "Their articles provide for {list}.",
        "provide_one": "Its articles provide for {list}.",
        "provided_by": "{modality} ({n} instrument{s})",
        "more_forms": "{n} other forms of cooperation",
        "nothing_to_count": "Without an instrument, no article can be cited for cooperation.",
        "not_absence": "This says what the graph records, not that no instrument exists.",
        "in_force_all": "All of them are in force.",
        "in_force_all_one": "It is in force.",
        "in_force_some": "{k} of them are in force; the graph holds no entry-into-force date"
        " for {names}.",
        "in_force_none": "The graph holds no entry-into-force date for {names}.",
        "region": "Of the {n} states of {region}, {bound} are bound by at least one of them,"
        " {signed} have only signed, and for {unknown} no record decides.",
        "region_none": "The participation of the {n} states of {region} cannot be counted"
        " without an instrument.",
        "old_data_gap": "Participation data as at {dates} ({n} instrument{s}): later acts are"
        " not counted.",
        "no_records_gap": "No participation record for {names}: its states are counted as"
        " undecided for {them}.",
        "members_only": "{names}: open only to the member states of the {org} (its list as"
        " at {date}); {k} states that were not members are counted as not parties.",
        "unknown_means": "'Unknown' means that no record decides it, not that a state is not"
        " a party.",
        "as_at": "{name} as at {date}",
        "and": " and ",
        "others": "{n} others",
        "figure": "Articles providing each cooperation modality, by instrument",
        "figure_note": "A cell counts the articles of the instrument that provide the modality"
        " or a narrower one.",
        "modalities_left_out": "No instrument has an article recorded for: {names}.",
        "instruments_left_out": "The {shown} of {n} instruments with the most cooperation articles"
        " are shown. Not shown: {names}.",
        "table": "Instruments and their cooperation articles",
        "col_instrument": "instrument",
        "col_adopted": "adopted",
        "col_in_force": "in force",
        "col_articles": "articles by cooperation modality",
        "opened": "{date}*",
        "opened_note": "*: the day the instrument was opened for signature, where the graph"
        " records no adoption date.",
        "art": "art.",
        "narrower": "narrower type: {names}",
        "broader": "broader type: {names}",
        "protocol": "through {names}",
        "counts": "{bound} · {signed} · {unknown}",
        "col_region_counts": "{region}: bound · signed · unknown (as at)",
        "sources": "Sources",
        "instrument_source": "{name}",
        "participation_source": "Participation in {name}, as at {date}",
        "secondary_sources": "and {n} secondary sources of participation records, which the"
        " parties table of each instrument lists",
        "sources_left_out": "Sources of the instruments not shown are not listed.",
        "cite": "Cite as: {citation}",
        "english_note": "Names in italics are in English: the graph has no {language} name"
        " for them.",
        "language": "English",
    },
    "fr": {
        "title": "{crime} : instruments internationaux et coopération",
        "meta": "Note établie par lexgraph {version} à partir du graphe{when}. Elle ne dit que ce"
        " que le graphe contient.",
        "when": " du {date}",
        "key_messages": "Messages clés",
        "reach_none": "Le graphe ne contient aucun instrument qui vise {crime}.",
        "reach_one": "Un instrument du graphe vise {crime} : {names}.",
        "reach_many": "{n} instruments du graphe visent {crime} : {names}.",
        "no_articles_gap": "Aucun article de coopération n'est enregistré pour {names} : ce"
        " qu'{they} prévoient n'est pas compté ici.",
        "it": "il",
        "they": "ils",
        "provide_none": "Le graphe n'enregistre aucun article {them} qui prévoie une coopération.",
        "them_one": "de cet instrument",
        "them_many": "de ces instruments",
        "provide": "Leurs articles prévoient {list}.",
        "provide_one": "Ses articles prévoient {list}.",
        "provided_by": "{modality} ({n} instrument{s})",
        "more_forms": "{n} autres formes de coopération",
        "nothing_to_count": "Sans instrument, aucun article de coopération ne peut être cité.",
        "not_absence": "Cela dit ce que le graphe contient, non qu'aucun instrument n'existe.",
        "in_force_all": "Tous sont en vigueur.",
        "in_force_all_one": "Il est en vigueur.",
        "in_force_some": "{k} sont en vigueur ; le graphe n'a pas de date d'entrée en vigueur"
        " pour {names}.",
        "in_force_none": "Le graphe n'a pas de date d'entrée en vigueur pour {names}.",
        "region": "Des {n} États de la région {region}, {bound} sont liés par au moins l'un"
        " d'eux, {signed} ont seulement signé, et pour {unknown} aucune donnée ne tranche.",
        "region_none": "La participation des {n} États de la région {region} ne peut être"
        " comptée sans instrument.",
        "old_data_gap": "Données de participation au {dates} ({n} instrument{s}) : les actes"
        " ultérieurs ne sont pas comptés.",
        "no_records_gap": "Aucune donnée de participation pour {names} : ses États sont comptés"
        " comme indéterminés pour {them}.",
        "members_only": "{names} : ouvert aux seuls États membres de l'organisation {org} (sa"
        " liste au {date}) ; {k} États non membres sont comptés comme non parties.",
        "unknown_means": "« Inconnu » signifie qu'aucune donnée ne tranche, non qu'un État"
        " n'est pas partie.",
        "as_at": "{name} au {date}",
        "and": " et ",
        "others": "{n} autres",
        "figure": "Articles prévoyant chaque modalité de coopération, par instrument",
        "figure_note": "Une case compte les articles de l'instrument qui prévoient la modalité"
        " ou une modalité plus étroite.",
        "modalities_left_out": "Aucun instrument n'a d'article enregistré pour : {names}.",
        "instruments_left_out": "Les {shown} instruments sur {n} qui ont le plus d'articles de"
        " coopération sont montrés. Non montrés : {names}.",
        "table": "Les instruments et leurs articles de coopération",
        "col_instrument": "instrument",
        "col_adopted": "adoption",
        "col_in_force": "en vigueur",
        "col_articles": "articles par modalité de coopération",
        "opened": "{date}*",
        "opened_note": "* : jour de l'ouverture à la signature, quand le graphe n'a pas de date"
        " d'adoption.",
        "art": "art.",
        "narrower": "type plus étroit : {names}",
        "broader": "type plus large : {names}",
        "protocol": "par {names}",
        "counts": "{bound} · {signed} · {unknown}",
        "col_region_counts": "{region} : liés · signataires · inconnus (au)",
        "sources": "Sources",
        "instrument_source": "{name}",
        "participation_source": "Participation à {name}, au {date}",
        "secondary_sources": "et {n} sources secondaires de données de participation, que la"
        " table des parties de chaque instrument liste",
        "sources_left_out": "Les sources des instruments non montrés ne sont pas listées.",
        "cite": "Citer ainsi : {citation}",
        "english_note": "Les noms en italique sont en anglais : le graphe n'a pas de nom {language}"
        " pour eux.",
        "language": "français",
    },
}


def words(lang: str) -> dict[str, str]:
    """The templates of ``lang`` (one of :data:`LANGUAGES`)."""
    return WORDS[lang]


def name(store: ox.Store, iri: str, lang: str, *, brief: bool = False) -> str:
    """What a brief in ``lang`` calls a node: its ``skos:prefLabel`` in ``lang``, else in
    English, marked as English unless the brief is in English. An instrument is called by its
    short name (``lex:shortName``) in every language; with ``brief``, any node by its shortest
    English name (``MLA``), for the figure and the table."""
    node = ox.NamedNode(iri)
    if lang != "en":
        for quad in store.quads_for_pattern(node, ox.NamedNode(Skos.prefLabel), None):
            if isinstance(quad.object, ox.Literal) and quad.object.language == lang:
                return quad.object.value
    given = any(True for _ in store.quads_for_pattern(node, ox.NamedNode(Lex.shortName), None))
    found = short_name(store, iri) if brief or given else label(store, iri)
    return found if lang == "en" else f"{FOREIGN_START}{found}{FOREIGN_END}"


def plain(text: str) -> str:
    """``text`` without the marks of English names."""
    return text.replace(FOREIGN_START, "").replace(FOREIGN_END, "")


def spans(text: str) -> Iterable[tuple[str, bool]]:
    """The pieces of ``text``, each with whether it is an English name in another language.

    >>> list(spans("a \\ue000UNTOC\\ue001 b"))
    [('a ', False), ('UNTOC', True), (' b', False)]
    """
    rest = text
    while FOREIGN_START in rest:
        before, _, after = rest.partition(FOREIGN_START)
        inside, _, rest = after.partition(FOREIGN_END)
        if before:
            yield before, False
        yield inside, True
    if rest:
        yield rest, False


def listing(items: list[str], lang: str, most: int = 4) -> str:
    """``items`` as a list in words: "A, B and C"; beyond ``most`` + 1, the first and a count."""
    w = words(lang)
    if len(items) > most + 1:
        items = [*items[:most], w["others"].format(n=len(items) - most)]
    if len(items) <= 2:
        return w["and"].join(items)
    return ", ".join(items[:-1]) + w["and"] + items[-1]


def sentence_start(text: str) -> str:
    """``text`` with its first letter in upper case (after any mark)."""
    for i, char in enumerate(text):
        if char not in (FOREIGN_START, FOREIGN_END):
            return text[:i] + char.upper() + text[i + 1 :]
    return text
