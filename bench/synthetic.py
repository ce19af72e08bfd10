"""Synthetic lexgraph-shaped datasets of a million triples and more, for the benchmarks.

The generator starts from the shipped build (``build/lexgraph.trig``) and grows it by one
scale factor ``k`` in the proportions the shipped graph has:

- **instruments and provisions** grow by ``k``: cohort ``c`` clones every shipped instrument
  as ``instrument/xCC-<key>`` with all its provisions (article numbers, headings, divisions,
  ``providesFor``, ``criminalises``, ``covers``, ``supplements``...). References between
  instruments stay inside the cohort; dates move back by up to ten years per clone. Crime
  links are cloned as they are (so their ratios are exactly the shipped graph's, and every
  criminalised crime type stays covered); one modality link in ten is redrawn from the
  shipped ``providesFor`` links, so the modality ratios hold in expectation while the clones
  are not all alike. A fractional ``k`` clones a random part of the last cohort.
- **states** grow by ``k``: ``state/X0001``... clone a random shipped state's types and
  regions (``lex:inRegion``), with labels in the same languages and an ISO-like
  ``lex:iso3166Alpha3`` ("X0001"); no alpha-2, numeric, M49 or Wikidata codes, which
  could not be made both unique and plausible. The shape ``lex-sh:State-alpha3`` (three
  capitals) rightly rejects these codes: on a small synthetic graph that is the only
  violation of the project's shapes and checks.
- **participations** (treaties x states) grow by ``k**2``: for every treaty and every state,
  a party (70 %) gets a consenting act (after a signature for three in four of them:
  ratification, acceptance or approval; else accession or succession), a non-party signs
  in one case in eight, a party denounces in one case in a hundred. Records are
  ``lex:Participation`` nodes written by the shared participation writer
  (:func:`lexgraph.importers.participation.record_blocks`, source tag ``syn``), with an
  act date, the participant's entry into force where the treaty has one, ``lex:asAt`` and
  ``dcterms:source``. Below ``k = 1`` only ``249 * k**2`` of the shipped states take part.

The facts are random: they have the shape of the real data, not its truth. Every synthetic
triple lives in a named graph under ``https://w3id.org/lexgraph/source/synthetic/`` (one per
synthetic "source file": the states, each cloned instrument, each treaty's participation
table) and every source IRI is under ``.example``. The output is N-Quads: the shipped source
graphs (without the build's inferred graph) followed by the synthetic ones; the same seed
and size give the same bytes. :func:`load_store` bulk-loads a dataset into an on-disk
Oxigraph store and adds the inferred graph with the build's own :func:`lexgraph.inference.infer`.
SHACL validation, which the real build also runs, is left out: pySHACL on a million triples
would take far longer than the benchmark.

    python bench/synthetic.py --triples 1000000 --seed 4 -o bench/.work/synthetic
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef

from lexgraph.core.namespaces import LEX, PREFIXES, SOURCE_GRAPH, instance
from lexgraph.core.paths import Layout
from lexgraph.importers.participation import Record, record_blocks
from lexgraph.store.inference import INFERRED_GRAPH, infer

Term = ox.NamedNode | ox.BlankNode | ox.Literal

#: Named graphs of the synthetic "source files".
SYNTHETIC_GRAPH = SOURCE_GRAPH + "synthetic/"
#: Where the synthetic sources "are": a reserved domain, so no one mistakes them for real.
SOURCE_BASE = "https://sources.example/lexgraph-synthetic/"
DEPOSITARY_BASE = "https://depositary.example/status/"
DATASET_FILE = "lexgraph-synthetic.nq"
MANIFEST_FILE = "manifest.json"
#: The date of the synthetic status tables.
AS_AT = dt.date(2025, 6, 30)

PARTY_SHARE = 0.70  # states party to a treaty
SIGNED_FIRST = 0.75  # parties that signed before consenting
SIGNED_ONLY = 0.12  # non-parties that signed
DENOUNCED = 0.01  # parties that later denounced
REDRAW = 0.10  # modality links redrawn from the shipped distribution

RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
XSD_DATE = ox.NamedNode(PREFIXES["xsd"] + "date")
_SKOS = PREFIXES["skos"]
_LABELS = frozenset(
    {_SKOS + "prefLabel", _SKOS + "altLabel", _SKOS + "hiddenLabel", PREFIXES["rdfs"] + "label"}
)
_IDENTIFIERS = frozenset(
    LEX + p
    for p in ("untcReference", "untsRegistrationNumber", "documentSymbol", "treatySeriesNumber")
)
_SOURCES = frozenset({PREFIXES["dcterms"] + "source", LEX + "secondarySource"})
# Only modality links: a redrawn crime link could leave an instrument criminalising a crime
# type it does not cover, which the check covers-missing-for-criminalised-crime rejects.
_REDRAWN = frozenset({LEX + "providesFor"})
_STATE_DROPPED = frozenset(
    {LEX + "iso3166Alpha2", LEX + "iso3166Numeric", LEX + "m49Code", PREFIXES["owl"] + "sameAs"}
)
_STATE_NAMES = {
    "en": "Synthetic State {}",
    "fr": "État synthétique {}",
    "es": "Estado sintético {}",
    "ru": "Синтетическое государство {}",
    "zh": "合成国家 {}",
    "ar": "دولة اصطناعية {}",
}
_CONSENT_AFTER_SIGNATURE = (("ratification", 0.86), ("acceptance", 0.07), ("approval", 0.07))
_CONSENT_WITHOUT_SIGNATURE = (("accession", 0.92), ("succession", 0.08))


@dataclass(frozen=True)
class Treaty:
    """What the participation model needs of a treaty: its key and dates."""

    key: str
    start: dt.date  # opened for signature, else adopted
    in_force: dt.date | None


@dataclass(frozen=True)
class Base:
    """The shipped graph as templates: its source quads and what each resource says."""

    quads: tuple[ox.Quad, ...]
    triples: dict[str, tuple[tuple[ox.NamedNode, Term], ...]]
    instruments: tuple[str, ...]
    treaties: frozenset[str]
    provisions: dict[str, tuple[str, ...]]
    states: tuple[str, ...]
    pools: dict[str, tuple[Term, ...]]
    participations: frozenset[tuple[str, str]]  # (instrument, participant) with a record
    digest: str

    def key(self, instrument: str) -> str:
        for p, o in self.triples.get(instrument, ()):
            if p.value == LEX + "key" and isinstance(o, ox.Literal):
                return o.value
        return instrument.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Manifest:
    """What a generation wrote: its parameters and counts, saved beside the dataset."""

    seed: int
    target: int
    scale: float
    quads: int
    base_quads: int
    states: int
    synthetic_states: int
    instruments: int
    synthetic_instruments: int
    provisions: int
    treaties: int
    participations: int
    graphs: int
    base_digest: str
    seconds: float


@dataclass(frozen=True)
class LoadReport:
    """What loading a dataset into an on-disk store took."""

    quads: int
    inferred: int
    bulk_load_seconds: float
    infer_seconds: float
    seconds: float


def _select(store: ox.Store, query: str) -> list[list[str]]:
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    answer = store.query(prologue + query, use_default_graph_as_union=True)
    assert isinstance(answer, ox.QuerySolutions)
    return [[t.value if t is not None else "" for t in row] for row in answer]


def read_base(path: Path) -> Base:
    """Read a built ``lexgraph.trig`` into templates; its inferred graph is left out."""
    data = path.read_bytes()
    everything = list(ox.parse(data, ox.RdfFormat.TRIG))
    quads = tuple(q for q in everything if q.graph_name != INFERRED_GRAPH)
    store = ox.Store()
    store.extend(everything)
    seen: dict[str, set[tuple[ox.NamedNode, Term]]] = defaultdict(set)
    pools: dict[str, list[Term]] = defaultdict(list)
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            assert isinstance(q.object, ox.NamedNode | ox.BlankNode | ox.Literal)
            pair = (q.predicate, q.object)
            if pair not in seen[q.subject.value]:
                seen[q.subject.value].add(pair)
                if q.predicate.value in _REDRAWN:
                    pools[q.predicate.value].append(q.object)
    triples = {
        s: tuple(sorted(pairs, key=lambda po: (po[0].value, str(po[1]))))
        for s, pairs in seen.items()
    }
    instruments = tuple(r[0] for r in _select(store, "SELECT DISTINCT ?i { ?i a lex:Instrument }"))
    treaties = frozenset(r[0] for r in _select(store, "SELECT DISTINCT ?i { ?i a lex:Treaty }"))
    provisions: dict[str, list[str]] = defaultdict(list)
    for i, p in _select(
        store,
        "SELECT DISTINCT ?i ?p { { ?p lex:partOf ?i } UNION { ?i lex:hasProvision ?p } "
        "?i a lex:Instrument }",
    ):
        provisions[i].append(p)
    states = tuple(r[0] for r in _select(store, "SELECT DISTINCT ?s { ?s a lex:State }"))
    recorded = _select(
        store,
        "SELECT DISTINCT ?i ?s { ?p a lex:Participation ; lex:instrument ?i ; lex:participant ?s }",
    )
    return Base(
        quads=quads,
        triples=triples,
        instruments=tuple(sorted(instruments)),
        treaties=treaties,
        provisions={i: tuple(sorted(ps)) for i, ps in provisions.items()},
        states=tuple(sorted(states)),
        pools={p: tuple(sorted(objs, key=str)) for p, objs in pools.items()},
        participations=frozenset((i, s) for i, s in recorded),
        digest=hashlib.sha256(data).hexdigest(),
    )


def _date(term: Term | None) -> dt.date | None:
    if isinstance(term, ox.Literal) and term.datatype == XSD_DATE:
        try:
            return dt.date.fromisoformat(term.value)
        except ValueError:
            return None
    return None


def _treaty(key: str, pairs: Iterable[tuple[ox.NamedNode, Term]]) -> Treaty | None:
    dates = {p.value[len(LEX) :]: _date(o) for p, o in pairs if p.value.startswith(LEX)}
    start = dates.get("openedForSignatureDate") or dates.get("adoptionDate")
    if start is None or start > AS_AT:
        return None
    return Treaty(key, start, dates.get("entryIntoForceDate"))


def _graph(name: str) -> ox.NamedNode:
    return ox.NamedNode(SYNTHETIC_GRAPH + name)


def _source(cohort: int, url: str) -> ox.NamedNode:
    return ox.NamedNode(f"{SOURCE_BASE}x{cohort:02d}/{hashlib.sha1(url.encode()).hexdigest()[:12]}")


@dataclass
class _Clone:
    """Rewrites one template instrument and its provisions into cohort ``cohort``."""

    base: Base
    cohort: int
    mapping: dict[str, str]
    rng: random.Random

    def quads(self, template: str) -> tuple[list[ox.Quad], Treaty | None]:
        key = f"x{self.cohort:02d}-{self.base.key(template)}"
        graph = _graph(f"instruments/{key}")
        shift = dt.timedelta(days=-self.rng.randint(0, 3650))
        out: list[ox.Quad] = []
        new_pairs: list[tuple[ox.NamedNode, Term]] = []
        for subject in (template, *self.base.provisions.get(template, ())):
            node = ox.NamedNode(self.mapping[subject])
            for p, o in self.base.triples.get(subject, ()):
                if isinstance(o, ox.BlankNode):
                    continue
                new = self._object(p, o, key, shift)
                out.append(ox.Quad(node, p, new, graph))
                if subject == template:
                    new_pairs.append((p, new))
        treaty = _treaty(key, new_pairs) if template in self.base.treaties else None
        return out, treaty

    def _object(self, p: ox.NamedNode, o: Term, key: str, shift: dt.timedelta) -> Term:
        if isinstance(o, ox.Literal):
            if p.value == LEX + "key":
                return ox.Literal(key)
            if p.value in _LABELS:
                text = f"{o.value} (synthetic {self.cohort})"
                return ox.Literal(text, language=o.language) if o.language else ox.Literal(text)
            if p.value in _IDENTIFIERS:
                return ox.Literal(f"{o.value}-X{self.cohort:02d}", datatype=o.datatype)
            day = _date(o)
            if day is not None:
                return ox.Literal((day + shift).isoformat(), datatype=XSD_DATE)
            return o
        assert isinstance(o, ox.NamedNode)
        if p.value in _SOURCES:
            return _source(self.cohort, o.value)
        if o.value in self.mapping:
            return ox.NamedNode(self.mapping[o.value])
        if p.value in _REDRAWN and self.rng.random() < REDRAW:
            return self.rng.choice(self.base.pools[p.value])
        return o


def _cohorts(scale: float, count: int, rng: random.Random) -> list[list[int]]:
    """Return, per cohort, the indexes of the templates it clones (the last may be partial)."""
    extra = max(scale - 1.0, 0.0)
    full = int(extra)
    cohorts = [list(range(count)) for _ in range(full)]
    part = round((extra - full) * count)
    if part:
        cohorts.append(sorted(rng.sample(range(count), part)))
    return cohorts


def _instrument_quads(
    base: Base, scale: float, seed: int, counts: dict[str, int]
) -> Iterator[ox.Quad | Treaty]:
    rng = random.Random(f"{seed}:cohorts")
    for c, members in enumerate(_cohorts(scale, len(base.instruments), rng), start=1):
        mapping: dict[str, str] = {}
        for index in members:
            template = base.instruments[index]
            new = instance("instrument", f"x{c:02d}-{base.key(template)}")
            mapping[template] = new
            for p in base.provisions.get(template, ()):
                rest = p[len(template) :] if p.startswith(template + "/") else "/p/" + p
                mapping[p] = new + rest
        clone = _Clone(base, c, mapping, random.Random(f"{seed}:cohort:{c}"))
        for index in members:
            template = base.instruments[index]
            quads, treaty = clone.quads(template)
            counts["synthetic_instruments"] += 1
            counts["provisions"] += len(base.provisions.get(template, ()))
            yield from quads
            if treaty is not None:
                yield treaty


def _state_quads(base: Base, number: int, seed: int) -> Iterator[ox.Quad]:
    rng = random.Random(f"{seed}:states")
    graph = _graph("states")
    source = ox.NamedNode(SOURCE_BASE + "states")
    for n in range(1, number + 1):
        code = f"X{n:04d}"
        node = ox.NamedNode(instance("state", code))
        alternatives = 0
        for p, o in base.triples[rng.choice(base.states)]:
            if p.value in _STATE_DROPPED or isinstance(o, ox.BlankNode):
                continue
            new: Term = o
            if p.value == LEX + "iso3166Alpha3":
                new = ox.Literal(code)
            elif p.value in _SOURCES:
                new = source
            elif p.value in _LABELS and isinstance(o, ox.Literal):
                language = o.language or "en"
                name = _STATE_NAMES.get(language, _STATE_NAMES["en"]).format(code)
                if p.value != _SKOS + "prefLabel":
                    alternatives += 1
                    name = f"{name} ({alternatives})"
                new = ox.Literal(name, language=language)
            yield ox.Quad(node, p, new, graph)


def _pick(rng: random.Random, table: Sequence[tuple[str, float]]) -> str:
    x = rng.random()
    for name, share in table:
        x -= share
        if x < 0:
            return name
    return table[-1][0]


def _days(rng: random.Random, start: dt.date, low: int, high: int) -> dt.date:
    return start + dt.timedelta(days=rng.randint(low, high))


def acts(rng: random.Random, treaty: Treaty, state: str) -> list[Record]:
    """Return the participation records of one state for one treaty (often none)."""
    source = DEPOSITARY_BASE + treaty.key
    as_at = AS_AT.isoformat()

    def record(act: str, date: dt.date, in_force: dt.date | None = None) -> Record:
        return Record(treaty.key, state, act, source, date, in_force, as_at)

    party = rng.random() < PARTY_SHARE
    signed = rng.random() < (SIGNED_FIRST if party else SIGNED_ONLY)
    out: list[Record] = []
    signature = _days(rng, treaty.start, 0, 400)
    if signed and signature <= AS_AT:
        out.append(record("signature", signature))
    else:
        signed = False
    if not party:
        return out
    if signed:
        consent, kind = _days(rng, signature, 60, 3650), _pick(rng, _CONSENT_AFTER_SIGNATURE)
    else:
        consent, kind = _days(rng, treaty.start, 180, 7300), _pick(rng, _CONSENT_WITHOUT_SIGNATURE)
    if consent > AS_AT:
        return out
    in_force = None
    if treaty.in_force is not None:
        in_force = max(treaty.in_force, consent + dt.timedelta(days=30))
        in_force = in_force if in_force <= AS_AT else None
    out.append(record(kind, consent, in_force))
    if rng.random() < DENOUNCED:
        notice = _days(rng, consent, 365, 3650)
        if notice <= AS_AT:
            out.append(record("denunciation", notice, notice + dt.timedelta(days=365)))
    return out


def _ox(term: URIRef | Literal) -> Term:
    if isinstance(term, Literal):
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term))
    return ox.NamedNode(str(term))


def _records(
    treaty: Treaty, states: Sequence[str], rng: random.Random, recorded: frozenset[tuple[str, str]]
) -> list[Record]:
    """Return a treaty's synthetic records; a pair the shipped graph records is left alone."""
    iri = instance("instrument", treaty.key)
    return [r for s in states if (iri, s) not in recorded for r in acts(rng, treaty, s)]


def _participation_quads(
    base: Base,
    treaties: Sequence[Treaty],
    states: Sequence[str],
    seed: int,
    counts: dict[str, int],
) -> Iterator[ox.Quad]:
    for treaty in treaties:
        rng = random.Random(f"{seed}:participation:{treaty.key}")
        records = _records(treaty, states, rng, base.participations)
        if not records:
            continue
        counts["participations"] += len(records)
        counts["graphs"] += 1
        graph = _graph(f"participation/{treaty.key}")
        for block in record_blocks(records, tag="syn"):
            node = ox.NamedNode(block.subject)
            for p, o in block.pairs:
                yield ox.Quad(node, ox.NamedNode(p), _ox(o), graph)


def _participating_states(base: Base, scale: float, seed: int) -> tuple[list[str], int]:
    """Return the states that take part and how many of them are synthetic."""
    if scale >= 1:
        number = round(len(base.states) * (scale - 1))
        synthetic = [instance("state", f"X{n:04d}") for n in range(1, number + 1)]
        return [*base.states, *synthetic], number
    rng = random.Random(f"{seed}:sampled-states")
    size = max(1, round(len(base.states) * scale * scale))
    return sorted(rng.sample(base.states, size)), 0


def _base_treaties(base: Base) -> list[Treaty]:
    found = (_treaty(base.key(i), base.triples.get(i, ())) for i in base.instruments)
    return [t for t in found if t is not None and instance("instrument", t.key) in base.treaties]


def generate(base: Base, scale: float, seed: int, counts: dict[str, int]) -> Iterator[ox.Quad]:
    """Yield the whole dataset: the shipped source quads, then the synthetic graphs.

    ``counts`` is filled in as the quads are produced.
    """
    yield from base.quads
    states, synthetic_states = _participating_states(base, scale, seed)
    counts["synthetic_states"] = synthetic_states
    counts["graphs"] += 1 if synthetic_states else 0
    yield from _state_quads(base, synthetic_states, seed)
    treaties = _base_treaties(base)
    for item in _instrument_quads(base, scale, seed, counts):
        if isinstance(item, Treaty):
            treaties.append(item)
        else:
            yield item
    counts["graphs"] += counts["synthetic_instruments"]
    counts["treaties"] = len(treaties)
    counts["states"] = len(states)
    yield from _participation_quads(base, treaties, states, seed, counts)


@dataclass(frozen=True)
class Costs:
    """Quads per unit of growth, from which :meth:`estimate` predicts a dataset's size."""

    base: int
    cohort: int  # one full clone of every instrument and provision
    state: float  # one synthetic state
    shipped_pair: float  # one shipped (treaty, state) pair's synthetic records
    pair: float  # one other (treaty, state) pair's records
    treaties: int
    states: int

    @classmethod
    def of(cls, base: Base, seed: int) -> Costs:
        """Count the clones and states exactly; simulate the shipped treaties x states.

        The simulation runs twice: as the shipped treaties are (with the pairs the shipped
        graph already records left out) and moved back five years, as a clone's are.
        """
        rng = random.Random(f"{seed}:estimate")
        treaties = _base_treaties(base)
        moved = [
            Treaty(
                t.key,
                t.start - dt.timedelta(days=1825),
                t.in_force and t.in_force - dt.timedelta(days=1825),
            )
            for t in treaties
        ]
        pairs = len(treaties) * len(base.states)

        def simulate(group: Sequence[Treaty], recorded: frozenset[tuple[str, str]]) -> float:
            blocks = (
                record_blocks(_records(t, base.states, rng, recorded), tag="syn") for t in group
            )
            return sum(len(b.pairs) for bs in blocks for b in bs) / pairs

        cohort = sum(
            len(base.triples.get(s, ()))
            for i in base.instruments
            for s in (i, *base.provisions.get(i, ()))
        )
        state = sum(
            1 for s in base.states for p, _ in base.triples[s] if p.value not in _STATE_DROPPED
        )
        return cls(
            base=len(base.quads),
            cohort=cohort,
            state=state / len(base.states),
            shipped_pair=simulate(treaties, base.participations),
            pair=simulate(moved, frozenset()),
            treaties=len(treaties),
            states=len(base.states),
        )

    def estimate(self, scale: float) -> float:
        """Predict the quads of a dataset at ``scale``."""
        extra = max(scale - 1.0, 0.0)
        states = self.states * (scale if scale >= 1 else scale**2)
        shipped = self.states * (1 if scale >= 1 else scale**2)
        return (
            self.base
            + self.cohort * extra
            + self.state * self.states * extra
            + self.shipped_pair * self.treaties * shipped
            + self.pair * self.treaties * (states - shipped)
            + self.pair * self.treaties * extra * states
        )

    def scale_for(self, triples: float) -> float:
        """Return the smallest scale (to 1/10000) whose estimate reaches ``triples``."""
        low, high = 0.01, 1.0
        while self.estimate(high) < triples:
            low, high = high, high * 2
        while high - low > 1e-4:
            mid = (low + high) / 2
            low, high = (mid, high) if self.estimate(mid) < triples else (low, mid)
        return round(high, 4)


def write_dataset(
    base: Base | Path,
    out: Path,
    *,
    triples: int | None = None,
    scale: float | None = None,
    seed: int = 4,
) -> Manifest:
    """Write ``out/lexgraph-synthetic.nq`` and ``out/manifest.json``; return the manifest.

    ``base`` is a built ``lexgraph.trig`` or what :func:`read_base` made of one. Give
    ``triples`` (a lower bound on the quads written) or ``scale`` (the factor itself).
    """
    if (triples is None) == (scale is None):
        raise ValueError("give exactly one of triples and scale")
    started = time.perf_counter()
    base = base if isinstance(base, Base) else read_base(base)
    k = scale if scale is not None else Costs.of(base, seed).scale_for((triples or 0) * 1.003)
    out.mkdir(parents=True, exist_ok=True)
    target = out / DATASET_FILE
    while True:
        counts: dict[str, int] = defaultdict(int)
        written = 0

        def counted(quads: Iterator[ox.Quad]) -> Iterator[ox.Quad]:
            nonlocal written
            for q in quads:
                written += 1
                yield q

        tmp = target.with_suffix(".tmp")
        ox.serialize(counted(generate(base, k, seed, counts)), str(tmp), ox.RdfFormat.N_QUADS)
        if triples is None or written >= triples:
            break
        k = round(k * 1.01, 4)  # the estimate fell short: grow a little and write again
    tmp.replace(target)
    manifest = Manifest(
        seed=seed,
        target=triples or 0,
        scale=k,
        quads=written,
        base_quads=len(base.quads),
        states=counts["states"],
        synthetic_states=counts["synthetic_states"],
        instruments=len(base.instruments) + counts["synthetic_instruments"],
        synthetic_instruments=counts["synthetic_instruments"],
        provisions=sum(len(p) for p in base.provisions.values()) + counts["provisions"],
        treaties=counts["treaties"],
        participations=counts["participations"],
        graphs=counts["graphs"],
        base_digest=base.digest,
        seconds=round(time.perf_counter() - started, 3),
    )
    (out / MANIFEST_FILE).write_text(json.dumps(asdict(manifest), indent=2) + "\n")
    return manifest


def load_store(
    dataset: Path, store_dir: Path, dump: Path | None = None, *, optimize: bool = False
) -> LoadReport:
    """Bulk-load an N-Quads dataset into a new on-disk store and add the inferred graph.

    The inferred graph is the build's (:func:`lexgraph.inference.infer`), so the store answers
    as a built one would; like the build, the store is not compacted unless ``optimize``.
    ``dump`` also writes the loaded store, inferences included, as N-Quads, for engines that
    read files.
    """
    if store_dir.exists() and any(store_dir.iterdir()):
        raise FileExistsError(f"{store_dir} is not empty")
    started = time.perf_counter()
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(dataset), format=ox.RdfFormat.N_QUADS)
    loaded = time.perf_counter()
    inferred = infer(store)
    store.bulk_extend(inferred)
    store.flush()
    if optimize:
        store.optimize()
    done = time.perf_counter()
    quads = len(store)
    if dump is not None:
        store.dump(str(dump), ox.RdfFormat.N_QUADS)
    del store
    return LoadReport(
        quads=quads,
        inferred=len(inferred),
        bulk_load_seconds=round(loaded - started, 3),
        infer_seconds=round(done - loaded, 3),
        seconds=round(done - started, 3),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--triples", type=int, help="at least this many quads (default 1000000)")
    size.add_argument("--scale", type=float, help="the scale factor k itself, instead")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("-o", "--out", type=Path, default=Path("bench/.work/synthetic"))
    parser.add_argument("--base", type=Path, help="the built TriG (default build/lexgraph.trig)")
    parser.add_argument("--store", type=Path, help="also bulk-load the dataset into this store")
    args = parser.parse_args(argv)
    base = args.base or Layout.default().build / "lexgraph.trig"
    if not base.is_file():
        print(f"error: {base} not found; run `lexgraph build` first", file=sys.stderr)
        return 2
    triples = None if args.scale is not None else (args.triples or 1_000_000)
    manifest = write_dataset(base, args.out, triples=triples, scale=args.scale, seed=args.seed)
    print(
        f"wrote {args.out / DATASET_FILE}: {manifest.quads} quads (scale {manifest.scale}, "
        f"{manifest.states} states, {manifest.instruments} instruments, {manifest.provisions} "
        f"provisions, {manifest.participations} participations) in {manifest.seconds} s"
    )
    if args.store:
        report = load_store(args.out / DATASET_FILE, args.store)
        print(
            f"loaded {args.store}: {report.quads} quads ({report.inferred} inferred) "
            f"in {report.seconds} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
