"""Import states and UN M49 regions from the datahub ``country-codes.csv``.

Every row becomes a ``lex:State`` at ``id/state/<alpha-3>`` with its ISO 3166-1 codes, its
M49 code, its names, its M49 region, sub-region and intermediate region, and its Wikidata item
as ``owl:sameAs``. Regions become ``lex:Region`` concepts of ``scheme/m49``.

The names, in the six UN languages: the UNTERM short name as ``skos:prefLabel``; as
``skos:altLabel`` the UNTERM formal name and the official short name of the UN Statistics
Division's M49 list (``official_name_*``, mostly the UNTERM short name without its article:
"Russian Federation"). In English also the CLDR display name, the customary short name
("Russia", "UK", "South Korea"), as ``skos:altLabel`` rather than ``skos:hiddenLabel``: CLDR
gives it to be shown to readers, and SKOS keeps hidden labels for strings that should not be
shown, such as misspellings. A name equal to one already written for the state in the same
language is written once.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Literal, URIRef

from lexgraph.core.atomic import write_files_atomically
from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import PREFIXES, instance
from lexgraph.core.terms import Dcterms, Lex, Owl, Rdf, Skos
from lexgraph.core.turtle import Block, Term, render
from lexgraph.importers import generated_header, read_csv

#: The snapshot the shared copy was taken from (datasets/country-codes, 15 May 2026).
SOURCE = "https://github.com/datasets/country-codes/blob/caa72d1e0e/data/country-codes.csv"
REQUIRED = (
    "ISO3166-1-Alpha-3",
    "ISO3166-1-Alpha-2",
    "ISO3166-1-numeric",
    "M49",
    "UNTERM English Short",
    "Region Code",
    "Region Name",
    "wikidata_id",
)
LANGUAGES = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ru": "Russian",
    "zh": "Chinese",
    "ar": "Arabic",
}
#: The suffix of the ``official_name_*`` column of each language: the CSV writes ``cn`` for zh.
OFFICIAL = {"en": "en", "fr": "fr", "es": "es", "ru": "ru", "zh": "cn", "ar": "ar"}
M49_SCHEME = instance("scheme", "m49")


def _code(value: str) -> str:
    return value.strip().zfill(3) if value.strip() else ""


def _region(code: str, name: str, broader: str | None) -> Block:
    iri = instance("region", f"m49-{code}")
    pairs: list[tuple[str, Term]] = [
        (Rdf.type, URIRef(Lex.Region)),
        (Rdf.type, URIRef(Skos.Concept)),
        (Lex.key, Literal(f"m49-{code}")),
        (Skos.prefLabel, Literal(name, lang="en")),
        (Skos.notation, Literal(code)),
        (Lex.m49Code, Literal(code)),
        (Skos.inScheme, URIRef(M49_SCHEME)),
    ]
    if broader:
        pairs.append((Skos.broader, URIRef(instance("region", f"m49-{broader}"))))
    else:
        pairs.append((Skos.topConceptOf, URIRef(M49_SCHEME)))
    pairs.append((Dcterms.source, URIRef(SOURCE)))
    return Block(iri, pairs)


def read_states(path: Path) -> tuple[list[Block], list[Block]]:
    """Return the state blocks and the region blocks of the CSV."""
    reader = read_csv(path, REQUIRED)
    states: list[Block] = []
    regions: dict[str, Block] = {}
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        if None in row or None in row.values():
            raise InputError(
                f"{path}:{line}: has {'more' if None in row else 'fewer'} fields than the "
                f"header's {len(reader.fieldnames or [])}"
            )
        alpha3 = (row["ISO3166-1-Alpha-3"] or "").strip()
        if not re.fullmatch(r"[A-Z]{3}", alpha3):
            raise InputError(f"{path}:{line}: ISO3166-1-Alpha-3 {alpha3!r} is not three capitals")
        if alpha3 in seen:
            raise InputError(f"{path}:{line}: {alpha3} appears twice")
        seen.add(alpha3)
        pairs: list[tuple[str, Term]] = [(Rdf.type, URIRef(Lex.State))]
        fallback = (row.get("official_name_en") or row.get("CLDR display name") or alpha3).strip()
        for lang, name in LANGUAGES.items():
            short = (row.get(f"UNTERM {name} Short") or "").strip()
            if lang == "en" and not short:
                short = fallback
            if short:
                pairs.append((Skos.prefLabel, Literal(short, lang=lang)))
            written = {short}
            others = [
                row.get(f"UNTERM {name} Formal"),
                row.get(f"official_name_{OFFICIAL[lang]}"),
                row.get("CLDR display name") if lang == "en" else None,
            ]
            for other in (o.strip() for o in others if o):
                if other and other not in written:
                    written.add(other)
                    pairs.append((Skos.altLabel, Literal(other, lang=lang)))
        alpha2 = (row["ISO3166-1-Alpha-2"] or "").strip()
        pairs.append((Lex.iso3166Alpha3, Literal(alpha3)))
        if re.fullmatch(r"[A-Z]{2}", alpha2):
            pairs.append((Lex.iso3166Alpha2, Literal(alpha2)))
        if _code(row["ISO3166-1-numeric"]):
            pairs.append((Lex.iso3166Numeric, Literal(_code(row["ISO3166-1-numeric"]))))
        if _code(row["M49"]):
            pairs.append((Lex.m49Code, Literal(_code(row["M49"]))))
        chain: list[str] = []
        for level in ("Region", "Sub-region", "Intermediate Region"):
            code, name = (
                _code(row.get(f"{level} Code") or ""),
                (row.get(f"{level} Name") or "").strip(),
            )
            if code and not code.isdecimal():
                raise InputError(f"{path}:{line}: {level} Code {code!r} is not an M49 number")
            if code and name:
                regions.setdefault(code, _region(code, name, chain[-1] if chain else None))
                chain.append(code)
        for code in chain:
            pairs.append((Lex.inRegion, URIRef(instance("region", f"m49-{code}"))))
        wikidata = (row["wikidata_id"] or "").strip().rsplit("/", 1)[-1]
        if re.fullmatch(r"Q[0-9]+", wikidata):
            pairs.append((Owl.sameAs, URIRef(PREFIXES["wd"] + wikidata)))
        pairs.append((Dcterms.source, URIRef(SOURCE)))
        states.append(Block(instance("state", alpha3), pairs))
    if not states:
        raise InputError(f"{path}: no rows")
    scheme = Block(
        M49_SCHEME,
        [
            (Rdf.type, URIRef(Skos.ConceptScheme)),
            (Skos.prefLabel, Literal("UN M49 geographic regions", lang="en")),
            (Dcterms.source, URIRef(SOURCE)),
        ],
    )
    return states, [scheme, *regions.values()]


def import_countries(csv_path: Path, out_dir: Path) -> list[Path]:
    """Write ``states.ttl`` and ``regions.ttl`` into ``out_dir``; nothing if the input is bad."""
    states, regions = read_states(csv_path)
    source = (
        f"{csv_path.name} of datasets/country-codes, commit caa72d1e0e, ODC-PDDL-1.0 ({SOURCE})"
    )
    command = ["countries", csv_path.name]
    documents = {
        out_dir / "states.ttl": render(
            generated_header(
                "States: ISO 3166-1 codes, M49, names (UNTERM, M49, CLDR), Wikidata.",
                source,
                command,
            ),
            states,
            ("lex", "skos", "owl", "wd", "dcterms"),
        ),
        out_dir / "regions.ttl": render(
            generated_header(
                "UN M49 regions, sub-regions and intermediate regions.", source, command
            ),
            regions,
            ("lex", "skos", "dcterms"),
        ),
    }
    write_files_atomically(documents)
    return sorted(documents)
