"""SHACL validation of councils' governance, and the completeness score.

Validation is scoped per council: the data graph is that council's document graphs,
and pySHACL mixes in the ontology and reference data (``ont_graph``) so that targets
reach subclasses and the framework's items are there to compare against. Cost therefore
grows with the number of councils, not with their product, and councils validate in
parallel (``validate_councils``).

The governance shapes are every file in ``shapes/`` except ``vocabulary.ttl``, which
checks the vocabulary itself (``govkg ontology check``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox
import pyshacl
from rdflib import RDF, SKOS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH

from govkg.graph import paths
from govkg.graph.errors import GovkgError, InputError, Location, StoreError
from govkg.graph.namespaces import (
    COUNCIL,
    DERIVED,
    GOVKG,
    REFERENCE_GRAPH,
    VALIDATION_REPORT_GRAPHS,
    bind_prefixes,
)
from govkg.graph.rdfio import parse_graph
from govkg.graph.store import SelectResult, Store
from govkg.graph.store import derived as derivation
from govkg.graph.vocabulary import load_vocabulary


def shacl_engine(name: str | None = None) -> ModuleType:
    """The SHACL engine: pyshacl-turbo (a Rust engine with pySHACL's API, about ten times
    faster here) unless ``GOVKG_SHACL_ENGINE=pyshacl`` or it is not installed. The test
    suite checks that both give the same reports on every shape test case."""
    name = name or os.environ.get("GOVKG_SHACL_ENGINE", "turbo")
    if name == "pyshacl":
        return pyshacl
    if name != "turbo":
        raise InputError(f"unknown SHACL engine {name!r}; use turbo or pyshacl")
    try:
        import pyshacl_turbo
    except ImportError:
        return pyshacl
    return pyshacl_turbo


class ShapesError(GovkgError):
    """A shapes graph pySHACL cannot apply (a bug in shapes/, not in the data)."""


SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


def shape_files(names: Iterable[str] | None = None) -> list[Path]:
    """The governance shapes files (all but vocabulary.ttl), or the ones named."""
    folder = paths.shapes_dir()
    if names is not None:
        return [folder / "prefixes.ttl", *(folder / n for n in names)]
    return [p for p in paths.data_files(folder, ".ttl") if p.name != "vocabulary.ttl"]


@lru_cache(maxsize=4)
def _shapes(names: tuple[str, ...] | None) -> Graph:
    graph = Graph()
    for path in shape_files(names):
        parse_graph(path, graph)
    return graph


def load_shapes(names: Iterable[str] | None = None) -> Graph:
    """The governance shapes as one graph (cached; do not modify)."""
    return _shapes(tuple(names) if names is not None else None)


@lru_cache(maxsize=1)
def _vocabulary() -> Graph:
    return load_vocabulary()


@dataclass(frozen=True)
class Finding:
    """One validation result, in the terms a governance officer reads."""

    severity: str
    message: str
    focus: str
    path: str | None
    value: str | None
    component: str
    shape: str | None

    def as_dict(self) -> dict[str, str | None]:
        return dict(self.__dict__)


@dataclass
class PrincipleCoverage:
    notation: str
    label: str
    items: int
    addressed: int

    @property
    def share(self) -> float:
        return round(self.addressed / self.items, 3) if self.items else 1.0


@dataclass
class CouncilReport:
    """The outcome of validating one council (or one draft document).

    ``results_data`` is the SHACL report graph, or its N-Triples text (a stored report),
    parsed when ``results`` is first read: listing stored reports never parses them.
    """

    council: str
    label: str
    conforms: bool
    findings: list[Finding]
    results_data: Graph | str
    coverage: list[PrincipleCoverage] = field(default_factory=list)

    @property
    def results(self) -> Graph:
        """The SHACL validation report graph."""
        if isinstance(self.results_data, str):
            graph = Graph().parse(data=self.results_data, format="nt")
            bind_prefixes(graph.namespace_manager)
            self.results_data = graph
        return self.results_data

    def to_json(self) -> str:
        """Everything needed to rebuild the report (the form it is stored in)."""
        results = (self.results_data if isinstance(self.results_data, str)
                   else self.results_data.serialize(format="nt"))
        return json.dumps({"council": self.council, "label": self.label,
                           "conforms": self.conforms,
                           "findings": [f.as_dict() for f in self.findings],
                           "results": results,
                           "coverage": [[p.notation, p.label, p.items, p.addressed]
                                        for p in self.coverage]})

    @classmethod
    def from_json(cls, text: str) -> CouncilReport:
        data = json.loads(text)
        return cls(data["council"], data["label"], data["conforms"],
                   [Finding(**f) for f in data["findings"]], data["results"],
                   [PrincipleCoverage(*row) for row in data["coverage"]])

    @property
    def violations(self) -> int:
        return sum(f.severity == "violation" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    @property
    def completeness(self) -> float | None:
        """Share of the lowest-level items of the followed edition that the council's local
        code addresses; None for a council with no local code to measure."""
        items = sum(p.items for p in self.coverage)
        return round(sum(p.addressed for p in self.coverage) / items, 3) if items else None


def _text(node: object) -> str | None:
    return None if node is None else str(node)


def findings_of(results: Graph) -> list[Finding]:
    """The results of a SHACL report graph, worst first, then by message, then by focus
    node, path, value, component and shape (a named one): an order of the findings
    alone, where it was the engine's for the same message (one message for each of 48
    improvement actions), which changes with the order of the engine's input."""
    order = {"violation": 0, "warning": 1, "info": 2}
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = SEVERITIES.get(results.value(result, SH.resultSeverity), "info")  # type: ignore[call-overload]
        component = results.value(result, SH.sourceConstraintComponent)
        found.append(Finding(
            severity=severity,
            message=str(results.value(result, SH.resultMessage) or "constraint not met"),
            focus=str(results.value(result, SH.focusNode)),
            path=_text(results.value(result, SH.resultPath)),
            value=_text(results.value(result, SH.value)),
            component=str(component).rsplit("#", 1)[-1],
            shape=_text(results.value(result, SH.sourceShape)),
        ))
    return sorted(found, key=lambda f: (
        order[f.severity], f.message, f.focus, f.path or "", f.value or "", f.component,
        f.shape if (f.shape or "").startswith("http") else ""))


@lru_cache(maxsize=1)
def _vocabulary_store() -> ox.Store:
    """The vocabulary and its derived closure (queries/derived/vocabulary.ru), derived
    once per process."""
    store = ox.Store()
    store.load(_vocabulary().serialize(format="nt", encoding="utf-8"),
               format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(REFERENCE_GRAPH)))
    store.update(derivation.Derivation(vocabulary=True).update([]))
    return store


#: Predicates a shape reads without naming them: targets and sh:class follow types and
#: the class hierarchy.
_ALWAYS_READ = frozenset({"type", "subClassOf"})


@lru_cache(maxsize=8)
def _vocabulary_parts(words: frozenset[str] | None) -> tuple[bytes, dict[str, bytes]]:
    """The vocabulary with its closure as N-Quads, only the statements whose predicate's
    local name is among ``words`` (what the shapes, the derivation and the coverage query
    name; every statement when ``words`` is None): everything but the council register,
    and apart, each register council's own statements (those with the council as subject).

    Why: a shape reads a statement only through a predicate it names (a property path,
    a SPARQL triple pattern) or through types and the class hierarchy (targets,
    sh:class), so the rest (definitions, alternative labels, crosswalk rationales) only
    cost parsing: half the vocabulary. And a council's data names one or two of the
    register's 402 councils, while the shapes that target ``govkg:Council`` can report
    only on a council the data names (each starts from the council's documents or
    posts): the other 400 were 39% of the quads pyshacl-turbo read per council, and 400
    focus nodes it ran each such shape for.
    """
    store = _vocabulary_store()
    councils = {row["c"] for row in store.query(  # type: ignore[union-attr]
        f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?c a <{GOVKG.Council}> }} }}")}
    read = None if words is None else words | _ALWAYS_READ
    rest: list[ox.Quad] = []
    register: dict[str, list[ox.Quad]] = {}
    for quad in store:
        if read is not None and _local_name(quad.predicate.value) not in read:
            continue
        if quad.subject in councils:
            register.setdefault(quad.subject.value, []).append(quad)
        else:
            rest.append(quad)
    return (_nquads(rest), {council: _nquads(quads) for council, quads in register.items()})


def _local_name(iri: str) -> str:
    return _LOCAL_NAME.split(iri)[-1]


_LOCAL_NAME = re.compile(r"[#/]")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _nquads(quads: Iterable[ox.Quad]) -> bytes:
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def _shapes_graph(names: tuple[str, ...] | None, shapes_id: int) -> Graph:
    return _shapes(names) if shapes_id == 0 else _custom[shapes_id]


@lru_cache(maxsize=8)
def _shape_words(names: tuple[str, ...] | None, shapes_id: int) -> frozenset[str]:
    """Every word of a shapes graph (its IRIs' local names and its SPARQL text): a
    superset of the local names of the predicates the SHACL engine can read."""
    return frozenset(_WORD.findall(_shapes_graph(names, shapes_id).serialize(format="nt")))


@lru_cache(maxsize=1)
def _store_words() -> frozenset[str]:
    """Every word of the council derivation and of the queries :func:`validate_quads`
    runs on its in-memory store: a superset of the local names of the predicates they
    read there."""
    return frozenset(_WORD.findall(derivation.Derivation({"urn:x"}).update([]) + _COVERAGE
                                   + _COUNCILS + _COUNCIL_LABEL + _FIRST_COUNCIL))


@lru_cache(maxsize=8)
def _words(names: tuple[str, ...] | None, shapes_id: int) -> frozenset[str]:
    """The shapes' words and the store's: what the in-memory store must hold for an
    engine that reads the store itself (pySHACL)."""
    return _shape_words(names, shapes_id) | _store_words()


#: a register council's IRI as a whole term of N-Triples or N-Quads text (not a post's or
#: a body's, whose IRIs continue after the council's slug)
_COUNCIL_TERM = re.compile(rb"<(" + re.escape(str(COUNCIL).encode()) + rb"[^/>]+)>")


def _named_councils(data: bytes) -> frozenset[str]:
    """The register councils that ``data`` (N-Triples or N-Quads text) names."""
    return frozenset(iri.decode() for iri in _COUNCIL_TERM.findall(data))


def _register_quads(named: frozenset[str], words: frozenset[str] | None) -> bytes:
    """The council register's statements (with the predicates named in ``words``, all
    when None) about the councils ``named``."""
    register = _vocabulary_parts(words)[1]
    return b"".join(register[c] for c in sorted(named) if c in register)


def _vocabulary_quads(named: frozenset[str], words: frozenset[str], *,
                      whole: bool = False) -> bytes:
    """The vocabulary that validating data which names the register councils ``named``
    reads: the statements with the predicates named in ``words``, and of the council
    register only those councils; with ``whole``, all of it."""
    if whole:
        rest, register = _vocabulary_parts(None)
        return rest + _register_quads(frozenset(register), None)
    return _vocabulary_parts(words)[0] + _register_quads(named, words)


@lru_cache(maxsize=8)
def _compiled(names: tuple[str, ...] | None, shapes_id: int) -> Any:
    """pyshacl-turbo's compiled form of a shapes graph, compiled once per process."""
    import pyshacl_turbo

    return pyshacl_turbo.compile_shapes(_shapes_graph(names, shapes_id), advanced=True)


_custom: dict[int, Graph] = {}

_COUNCILS = (f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?x <{GOVKG.council}> ?c }} "
             "FILTER(isIRI(?c)) }")
_COUNCIL_LABEL = f"SELECT ?l WHERE {{{{ {{}} <{SKOS.prefLabel}> ?l }}}} LIMIT 1"
_FIRST_COUNCIL = f"SELECT ?c WHERE {{ ?x <{GOVKG.council}> ?c }} ORDER BY ?c LIMIT 1"
_FLATTEN = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } ; DROP NAMED"
_COVERAGE = f"""
PREFIX govkg: <{GOVKG}>
PREFIX derived: <{DERIVED}>
PREFIX skos: <{SKOS}>
SELECT ?code ?notation (SAMPLE(?label) AS ?principleLabel) (COUNT(DISTINCT ?leaf) AS ?items)
       (COUNT(DISTINCT ?hit) AS ?addressed)
WHERE {{
  ?code a govkg:LocalCode ; govkg:followsFramework ?edition .
  ?principle skos:topConceptOf ?edition ; skos:notation ?notation ; skos:prefLabel ?label .
  OPTIONAL {{ ?principle derived:leaf ?leaf .
             OPTIONAL {{ ?code derived:codeAddresses ?leaf . BIND(?leaf AS ?hit) }} }}
}}
GROUP BY ?code ?principle ?notation ORDER BY ?code STR(?notation)"""


def _derived_store(quads: bytes, fmt: ox.RdfFormat, vocabulary: bytes, *,
                   flatten: bool = False) -> ox.Store:
    """An in-memory store with ``vocabulary`` (N-Quads of the vocabulary and its
    closure), the data and the data's derived facts: what the derivation, the coverage
    and, when the engine reads this store, the shapes read, as the union of its graphs.
    With ``flatten``, all of it in the default graph instead, for an engine that reads
    only that (pySHACL): moving the 12,000 quads cost a quarter of a council's
    validation."""
    store = ox.Store()
    store.load(vocabulary, format=ox.RdfFormat.N_QUADS)
    _add_data(store, quads, fmt)
    if flatten:
        store.update(_FLATTEN)
    return store


def _add_data(store: ox.Store, quads: bytes, fmt: ox.RdfFormat) -> None:
    """Load the data into ``store`` and derive its facts there."""
    store.load(quads, format=fmt, to_graph=None if fmt == ox.RdfFormat.N_QUADS
               else ox.NamedNode("urn:govkg:validation:data"))
    councils = {s["c"].value for s in store.query(_COUNCILS)}  # type: ignore[union-attr]
    if councils:
        store.update(derivation.Derivation(councils).update([]))


#: Where the council register's statements about the councils the data names go in a
#: reused store (:func:`_reused_store`): a graph of their own, emptied after each use.
_REGISTER_GRAPH = "urn:govkg:validation:register"

#: How many validations one reused store serves before a fresh one replaces it.
#: Oxigraph's in-memory store keeps what is removed from it as older versions, which
#: its reads step over: a council took 68 ms with a new store and 93 ms after 200 uses.
#: A fresh store costs about 7 ms, its slowing about 0.13 ms a use: 10 uses balance them.
REUSES = 10

_reusable = threading.local()


@contextlib.contextmanager
def _reused_store(quads: bytes, fmt: ox.RdfFormat, named: frozenset[str]) -> Iterator[ox.Store]:
    """:func:`_derived_store` for the derivation and the coverage, but the vocabulary is
    loaded once per thread for :data:`REUSES` validations: the store is handed out with
    this data added, and left holding the vocabulary alone again (every other graph
    removed) however its use ends. Loading the 3,400 quads of the vocabulary was a
    quarter of building the store for each council; removing the data's graphs costs a
    fiftieth of that."""
    store: ox.Store | None = getattr(_reusable, "store", None)
    uses = getattr(_reusable, "uses", 0)
    if store is None or uses >= REUSES:
        store = _reusable.store = ox.Store()
        store.load(_vocabulary_parts(_store_words())[0], format=ox.RdfFormat.N_QUADS)
        uses = 0
    _reusable.uses = uses + 1
    try:
        register = ox.NamedNode(_REGISTER_GRAPH)  # the N-Quads name the reference graph
        store.extend(ox.Quad(q.subject, q.predicate, q.object, register) for q in ox.parse(
            _register_quads(named, _store_words()), format=ox.RdfFormat.N_QUADS))
        _add_data(store, quads, fmt)
        yield store
    finally:
        for graph in list(store.named_graphs()):
            if graph.value not in _VOCABULARY_GRAPHS:
                store.remove_graph(graph)
        store.clear_graph(ox.DefaultGraph())


#: The graphs the vocabulary and its closure occupy in the in-memory store
#: (:func:`_vocabulary_store`); the data's graphs are all the others.
_VOCABULARY_GRAPHS = (str(REFERENCE_GRAPH), derivation.VOCABULARY_GRAPH)
_VOCABULARY_GRAPH_TERMS = tuple(f"<{g}>".encode() for g in _VOCABULARY_GRAPHS)


@lru_cache(maxsize=8)
def _reads(words: frozenset[str] | None) -> Callable[[str], bool]:
    """Whether a predicate (an IRI) is one whose local name is among ``words`` or that
    every shape reads (types, the class hierarchy); every predicate when ``words`` is
    None. Remembered per IRI: a council's data has a few dozen predicates."""
    if words is None:
        return lambda iri: True
    read = words | _ALWAYS_READ
    seen: dict[str, bool] = {}

    def reads(iri: str) -> bool:
        known = seen.get(iri)
        if known is None:
            known = seen[iri] = _local_name(iri) in read
        return known

    return reads


def _data_quads(store: ox.Store, words: frozenset[str] | None) -> bytes:
    """The data and its derived facts in ``store`` (every graph but the vocabulary's) as
    N-Quads, only the statements with a predicate :func:`_reads` keeps."""
    reads = _reads(words)
    graphs = [g for g in store.named_graphs()
              if g.value not in _VOCABULARY_GRAPHS and g.value != _REGISTER_GRAPH]
    return _nquads(quad for graph in (*graphs, ox.DefaultGraph())
                   for quad in store.quads_for_pattern(None, None, None, graph)
                   if reads(quad.predicate.value))


def _engine_data(text: bytes) -> Any:
    """N-Quads text as pyshacl-turbo's own input: what its ``validate`` makes of a
    pyoxigraph store (the store's dump, marked as written by Oxigraph), so that the
    engine parses it natively with no rdflib graph in between."""
    from pyshacl_turbo.rdf import Input

    return Input(text.decode("utf-8"), "oxigraph-nquads", None, {}, preserve_ids=True)


def validate_quads(quads: bytes, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS, *,
                   shapes: Graph | None = None, shape_names: tuple[str, ...] | None = None,
                   council: str = "", label: str = "", engine: str | None = None,
                   whole_vocabulary: bool = False) -> CouncilReport:
    """Validate one council's data, given as RDF text (N-Quads by default), against the
    shapes, with the facts the shapes read derived for it as at load time.

    The in-memory store gets only the vocabulary the derivation and the coverage can
    read, and the engine only the vocabulary and the statements of the data the shapes
    can read (see :func:`_vocabulary_parts`): pyshacl-turbo parses what it is given at
    about 3 microseconds a quad, most of a council's time. ``whole_vocabulary`` gives
    both everything, so that the tests can check the narrowing never changes a report.
    """
    chosen = shacl_engine(engine)
    shapes_id = 0 if shapes is None else id(shapes)
    if shapes is not None:
        _custom[shapes_id] = shapes
    names = shape_names if shapes is None else None
    named = _named_councils(quads)
    # Data stated in the vocabulary's graphs could not be told apart from the vocabulary
    # in the store: then the engine reads the whole store, as pySHACL does.
    apart = chosen is not pyshacl and (fmt != ox.RdfFormat.N_QUADS or not any(
        term in quads for term in _VOCABULARY_GRAPH_TERMS))
    if apart and not whole_vocabulary:
        built: contextlib.AbstractContextManager[ox.Store] = _reused_store(quads, fmt, named)
    else:
        words = _store_words() if apart else _words(names, shapes_id)
        built = contextlib.nullcontext(_derived_store(
            quads, fmt, _vocabulary_quads(named, words, whole=whole_vocabulary),
            flatten=chosen is pyshacl))
    with built as store:
        if chosen is pyshacl:
            combined = Graph().parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES,
                                                     from_graph=ox.DefaultGraph()), format="nt")
            conforms, results, _ = pyshacl.validate(
                combined, shacl_graph=load_shapes(shape_names) if shapes is None else shapes,
                advanced=True, allow_warnings=True, inference="none", inplace=True)
        else:
            if apart:
                read = None if whole_vocabulary else _shape_words(names, shapes_id)
                data: Any = _engine_data(
                    _vocabulary_quads(named, read or frozenset(), whole=whole_vocabulary)
                    + _data_quads(store, read))
            else:
                data = store
            outcome = _compiled(names, shapes_id).validate(data, allow_warnings=True)
            if not isinstance(outcome, tuple):
                raise ShapesError(f"the shapes could not be applied: {outcome}")
            conforms, results, _ = outcome
        if not isinstance(results, Graph):  # pySHACL's ValidationFailure: unusable shapes
            raise ShapesError(f"the shapes could not be applied: {results}")
        bind_prefixes(results.namespace_manager)
        council, label = _council_and_label(store, council, label)
        coverage = [PrincipleCoverage(row["notation"].value, row["principleLabel"].value,
                                      int(row["items"].value), int(row["addressed"].value))
                    for row in store.query(_COVERAGE, use_default_graph_as_union=True)]  # type: ignore[union-attr]
    findings = findings_of(results)
    return CouncilReport(council, label, not any(f.severity == "violation" for f in findings),
                         findings, results, coverage)


def _council_and_label(store: ox.Store, council: str, label: str) -> tuple[str, str]:
    """The council validated (the first the data names, unless given) and its label
    (the register's, else the data's, unless given)."""
    if not council:
        found = store.query(_FIRST_COUNCIL, use_default_graph_as_union=True)
        council = next((row["c"].value for row in found), "")  # type: ignore[union-attr]
    if not label and council:
        named = _vocabulary().value(URIRef(council), SKOS.prefLabel)
        if named is None:
            rows = list(store.query(_COUNCIL_LABEL.format(ox.NamedNode(council)),
                                    use_default_graph_as_union=True))  # type: ignore[arg-type]
            named = Literal(rows[0]["l"].value) if rows else None
        label = str(named or council)
    return council, label


def validate_data(data: Graph, *, shapes: Graph | None = None, council: str = "",
                  label: str = "", engine: str | None = None,
                  whole_vocabulary: bool = False) -> CouncilReport:
    """Validate one council's data (its document graphs, merged) against the shapes."""
    return validate_quads(data.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES,
                          shapes=shapes, council=council, label=label, engine=engine,
                          whole_vocabulary=whole_vocabulary)


# --------------------------------------------------------------------------- councils

# Both queries below start from the few statements they look for (the documents' types,
# their checksums) rather than from govkg:council, which every resource of every document
# carries: Oxigraph follows the written order, and at 400 councils the old order read
# 75,000 statements per query (0.77 s and 0.93 s, now 0.03 s and 0.11 s).
_DOCUMENT_GRAPHS = """
PREFIX govkg: <https://w3id.org/govkg/def/>
SELECT DISTINCT ?council ?graph WHERE {
  VALUES ?type { govkg:LocalCode govkg:SelfAssessment govkg:AnnualGovernanceStatement
                 govkg:ExternalGovernanceReview }
  GRAPH ?graph { ?document a ?type ; govkg:council ?council }
}"""
# A graph that describes the council itself (as a bulk load of many councils keeps one
# per council); the reference data's councils are in the vocabulary already.
_COUNCIL_GRAPHS = """
PREFIX govkg: <https://w3id.org/govkg/def/>
SELECT DISTINCT ?council ?graph WHERE {
  GRAPH ?graph { ?council a govkg:Council }
  FILTER(STRSTARTS(STR(?graph), "https://w3id.org/govkg/graph/council/"))
}"""
_GRAPH_CONTENT = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?graph { ?s ?p ?o } }"


def council_graphs(store: Store) -> dict[str, list[str]]:
    """Each council that has documents in the store, with its documents' named graphs."""
    result = store.query(_DOCUMENT_GRAPHS)
    assert isinstance(result, SelectResult)
    found: dict[str, list[str]] = {}
    for row in result.rows:
        found.setdefault(str(row["council"]), []).append(str(row["graph"]))
    described = store.query(_COUNCIL_GRAPHS)
    assert isinstance(described, SelectResult)
    for row in described.rows:
        if str(row["council"]) in found:
            found[str(row["council"])].append(str(row["graph"]))
    return {council: sorted(set(graphs)) for council, graphs in sorted(found.items())}


def council_data(store: Store, graphs: Iterable[str]) -> Graph:
    """The union of the given named graphs, read from the store."""
    data = Graph()
    for graph in graphs:
        content = store.query(_GRAPH_CONTENT, {"graph": URIRef(graph)})
        assert isinstance(content, Graph)
        data += content
    return data


def resolve_council(name: str, known: Iterable[str]) -> str:
    """A council IRI from a slug, a name or an IRI, among the councils with documents."""
    known = list(known)
    vocabulary = _vocabulary()
    for council in known:
        keys = {council, council.rsplit("/", 1)[-1]}
        keys |= {str(label).casefold() for label in vocabulary.objects(URIRef(council),
                                                                        SKOS.prefLabel)}
        if name in keys or name.casefold() in keys:
            return council
    raise InputError(f"no documents of a council {name!r} in the store; councils with "
                     f"documents: {', '.join(c.rsplit('/', 1)[-1] for c in known) or 'none'}")


def council_quads(store: Store, graphs: Iterable[str]) -> bytes:
    """The given named graphs as N-Quads, read with the store's own serialiser (no
    rdflib graph in between)."""
    return b"".join(store.export("nq", graph=graph) for graph in graphs)


@lru_cache(maxsize=1)
def rules_checksum() -> str:
    """A checksum of everything a report depends on besides the documents: the shapes,
    the ontology and reference data, and the derivation of the facts the shapes read."""
    digest = hashlib.sha256()
    files = [*shape_files(), *paths.ontology_files(),
             *paths.data_files(derivation.derivation_dir(), ".ru")]
    for path in sorted(files):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


_CHECKSUMS = f"""SELECT DISTINCT ?graph ?sha WHERE {{ GRAPH ?graph {{
  ?document <{GOVKG.sha256}> ?sha ; <{GOVKG.council}> ?council }} }}"""
_STORED = f"""SELECT ?g ?key ?report WHERE {{ GRAPH ?g {{
  ?g <{DERIVED.validationKey}> ?key ; <{DERIVED.validationReport}> ?report }} }}"""
#: Stored reports live in the store's own (derived) graphs, one per council.
REPORT_GRAPH_PREFIX = VALIDATION_REPORT_GRAPHS


def report_graph(council: str) -> str:
    """The graph that holds a council's stored validation report."""
    return REPORT_GRAPH_PREFIX + derivation.council_graph(council).rsplit("/", 1)[-1]


def version_keys(store: Store, graphs: dict[str, list[str]]) -> dict[str, str]:
    """Per council, the key its report is stored under: the checksums of its documents
    (``govkg:sha256``, one query for all councils) and :func:`rules_checksum`."""
    result = store.query(_CHECKSUMS)
    assert isinstance(result, SelectResult)
    checksums: dict[str, set[str]] = {}
    for row in result.rows:
        checksums.setdefault(str(row["graph"]), set()).add(str(row["sha"]))
    keys = {}
    for council, names in graphs.items():
        parts = [rules_checksum(), council]
        parts += [f"{g} {' '.join(sorted(checksums.get(g, ())))}" for g in sorted(names)]
        keys[council] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return keys


def stored_reports(store: Store) -> dict[str, tuple[str, str]]:
    """Report graph -> (key, report JSON) for every stored report."""
    result = store.query(_STORED)
    assert isinstance(result, SelectResult)
    return {str(row["g"]): (str(row["key"]), str(row["report"])) for row in result.rows}


def _validate_serialised(council: str, quads: bytes) -> str:
    """Worker side of :func:`validate_councils`: text in and out, so that only text
    crosses the process boundary."""
    return validate_quads(quads, council=council).to_json()


def _before_fork() -> None:
    """Compute here, once, what every worker needs and is the same for every council,
    when the pool forks its workers from this process (they inherit it): the vocabulary
    (the rdflib graph, its closure, the parts the store and the engine read) and the
    words of the shapes and the derivation. Each worker computed it for itself, about
    0.7 s of CPU each. The compiled shapes (0.02 s) are left to each worker, so that no
    state of the native engine has to survive a fork."""
    if multiprocessing.get_start_method() != "fork":
        return
    _vocabulary()
    for words in (_store_words(), _shape_words(None, 0)):
        _vocabulary_parts(words)


def _in_pool(workers: int, jobs: list[tuple[str, list[str]]], store: Store) -> list[str]:
    """Validate each (council, graphs) in ``workers`` processes, in order.

    Each council is handed to the pool as soon as its graphs are read, so that reading
    the store (about a sixth of a council's time) overlaps the workers' validation
    instead of preceding all of it; at most a few councils per worker are read ahead,
    so that the main process never holds every council's N-Quads at once (about 1 MB
    each)."""
    ahead = 4 * workers
    futures: list[Future[str]] = []
    _before_fork()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for council, names in jobs:
            while sum(not f.done() for f in futures[-ahead:]) >= ahead:
                wait(futures[-ahead:], return_when=FIRST_COMPLETED)
            futures.append(pool.submit(_validate_serialised, council,
                                       council_quads(store, names)))
        return [f.result() for f in futures]


def validate_councils(store: Store, councils: Iterable[str] | None = None,
                      workers: int | None = None, *, reuse: bool = True,
                      on_validate: Callable[[str], None] | None = None) -> list[CouncilReport]:
    """Validate each council (all with documents by default), in parallel processes.

    A council whose documents and rules are unchanged since its report was stored gets
    the stored report (unless ``reuse`` is false); new reports are stored, when the
    store accepts writes, for the next time. ``on_validate`` hears each council that is
    validated afresh (for progress, and to see what was reused).
    """
    graphs = council_graphs(store)
    chosen = list(graphs) if councils is None else [resolve_council(c, graphs) for c in councils]
    keys = version_keys(store, {c: graphs[c] for c in chosen})
    stored = stored_reports(store) if reuse else {}
    found: dict[str, str] = {}
    for council in chosen:
        key, text = stored.get(report_graph(council), ("", ""))
        if key == keys[council]:
            found[council] = text
    jobs = [council for council in chosen if council not in found]
    for council in jobs:
        if on_validate is not None:
            on_validate(council)
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    if workers <= 1 or len(jobs) <= 1:
        outcomes = [_validate_serialised(c, council_quads(store, graphs[c])) for c in jobs]
    else:
        outcomes = _in_pool(workers, [(c, graphs[c]) for c in jobs], store)
    fresh = dict(zip(jobs, outcomes, strict=True))
    if fresh:
        writes: dict[str, list[tuple[URIRef, URIRef, Literal]]] = {}
        for council, text in fresh.items():
            graph = URIRef(report_graph(council))
            writes[str(graph)] = [(graph, DERIVED.validationKey, Literal(keys[council])),
                                  (graph, DERIVED.validationReport, Literal(text))]
        with contextlib.suppress(StoreError):  # a read-only store: nothing kept, all correct
            store.replace_graphs(writes)
    return [CouncilReport.from_json(found.get(council) or fresh[council]) for council in chosen]


def validate_file(path: Path) -> list[CouncilReport]:
    """Validate a draft (TriG, Turtle or JSON-LD) that is not in the store, per council."""
    parsed = parse_graph(path)
    data = Graph()
    if isinstance(parsed, Dataset):  # TriG / N-Quads: the draft is the union of its graphs
        for graph in parsed.graphs():
            data += graph
    else:
        data += parsed
    councils = sorted({str(c) for c in data.objects(None, GOVKG.council)})
    if not councils:
        raise InputError("the file states no document of any council (no govkg:council)",
                         Location(str(path)))
    if len(councils) == 1:
        return [validate_data(data, council=councils[0])]
    # Resources that name a council go to that council; the rest (spans, selectors,
    # links) go to every council, where only the ones reachable from its resources matter.
    owner = {s: str(c) for s, c in data.subject_objects(GOVKG.council)}
    reports = []
    for council in councils:
        scoped = Graph()
        for triple in data:
            if owner.get(triple[0], council) == council:
                scoped.add(triple)
        reports.append(validate_data(scoped, council=council))
    return reports
