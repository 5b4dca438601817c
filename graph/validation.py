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

import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import pyshacl
from rdflib import RDF, SKOS, Dataset, Graph, URIRef
from rdflib.namespace import PROV, SH

from govkg.graph import paths
from govkg.graph.errors import GovkgError, InputError, Location
from govkg.graph.namespaces import GOVKG, bind_prefixes
from govkg.graph.rdfio import parse_graph
from govkg.graph.store import SelectResult, Store
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
    """The outcome of validating one council (or one draft document)."""

    council: str
    label: str
    conforms: bool
    findings: list[Finding]
    results: Graph
    coverage: list[PrincipleCoverage] = field(default_factory=list)

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
    """The results of a SHACL report graph, worst first, then by message."""
    order = {"violation": 0, "warning": 1, "info": 2}
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = SEVERITIES.get(results.value(result, SH.resultSeverity), "info")  # type: ignore[arg-type]
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
    return sorted(found, key=lambda f: (order[f.severity], f.message))


def coverage(data: Graph, vocabulary: Graph | None = None) -> list[PrincipleCoverage]:
    """Per core principle of the edition a local code in ``data`` follows: how many of its
    lowest-level items the code addresses (directly or through an item below)."""
    vocabulary = _vocabulary() if vocabulary is None else vocabulary
    rows: list[PrincipleCoverage] = []
    for code in data.subjects(RDF.type, GOVKG.LocalCode):
        edition = data.value(code, GOVKG.followsFramework)
        if edition is None:
            continue
        addressed: set[URIRef] = set()
        for commitment in data.subjects(PROV.wasDerivedFrom, code):
            if (commitment, RDF.type, GOVKG.Commitment) in data:
                for item in data.objects(commitment, GOVKG.addresses):
                    addressed |= set(vocabulary.transitive_objects(item, SKOS.broader))  # type: ignore[arg-type]
        principles = [p for p in vocabulary.subjects(SKOS.topConceptOf, edition)]
        for principle in sorted(principles, key=lambda p: str(vocabulary.value(p, SKOS.notation))):
            # The lowest items above the 2016 behaviours and actions, which illustrate a
            # sub-principle (as queries/coverage-matrix.rq counts them).
            below = {i for i in vocabulary.transitive_subjects(SKOS.broader, principle)
                     if (i, RDF.type, GOVKG.BehaviourAndAction) not in vocabulary} - {principle}
            leaves = {i for i in below
                      if not any(c in below for c in vocabulary.subjects(SKOS.broader, i))}
            rows.append(PrincipleCoverage(str(vocabulary.value(principle, SKOS.notation)),
                                          str(vocabulary.value(principle, SKOS.prefLabel)),
                                          len(leaves), len(leaves & addressed)))
    return rows


def validate_data(data: Graph, *, shapes: Graph | None = None, council: str = "",
                  label: str = "", engine: str | None = None) -> CouncilReport:
    """Validate one council's data (its document graphs, merged) against the shapes."""
    vocabulary = _vocabulary()
    # The data graph is our own union of the council's data and the vocabulary, validated
    # in place: pySHACL's ont_graph would mix in only class and property definitions, not
    # the framework items, roles and schemes the shapes compare against.
    combined = Graph()
    combined += vocabulary
    combined += data
    conforms, results, _ = shacl_engine(engine).validate(
        combined, shacl_graph=load_shapes() if shapes is None else shapes,
        advanced=True, allow_warnings=True, inference="none", inplace=True)
    if not isinstance(results, Graph):  # pySHACL's ValidationFailure: the shapes are unusable
        raise ShapesError(f"the shapes could not be applied: {results}")
    bind_prefixes(results.namespace_manager)
    if not council:
        found = next(data.objects(None, GOVKG.council), None)
        council = str(found) if found is not None else ""
    if not label and council:
        label = str(vocabulary.value(URIRef(council), SKOS.prefLabel)
                    or data.value(URIRef(council), SKOS.prefLabel) or council)
    findings = findings_of(results)
    return CouncilReport(council, label, not any(f.severity == "violation" for f in findings),
                         findings, results, coverage(data, vocabulary))



# --------------------------------------------------------------------------- councils

_DOCUMENT_GRAPHS = """
PREFIX govkg: <https://w3id.org/govkg/def/>
SELECT DISTINCT ?council ?graph WHERE {
  GRAPH ?graph {
    ?document govkg:council ?council ; a ?type .
    FILTER(?type IN (govkg:LocalCode, govkg:SelfAssessment, govkg:AnnualGovernanceStatement,
                     govkg:ExternalGovernanceReview))
  }
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


def _validate_serialised(council: str, ntriples: str) -> tuple[str, str, bool, str,
                                                               list[tuple[str, str, int, int]]]:
    """Worker side of :func:`validate_councils`: plain strings in and out, so that only
    text crosses the process boundary."""
    data = Graph().parse(data=ntriples, format="nt")
    report = validate_data(data, council=council)
    return (report.council, report.label, report.conforms,
            report.results.serialize(format="nt"),
            [(p.notation, p.label, p.items, p.addressed) for p in report.coverage])


def validate_councils(store: Store, councils: Iterable[str] | None = None,
                      workers: int | None = None) -> list[CouncilReport]:
    """Validate each council (all with documents by default), in parallel processes."""
    graphs = council_graphs(store)
    chosen = list(graphs) if councils is None else [resolve_council(c, graphs) for c in councils]
    jobs = [(council, council_data(store, graphs[council]).serialize(format="nt"))
            for council in chosen]
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    if workers <= 1 or len(jobs) <= 1:
        outcomes = [_validate_serialised(*job) for job in jobs]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(_validate_serialised, *zip(*jobs, strict=True)))
    reports = []
    for council, label, conforms, results_nt, coverage_rows in outcomes:
        results = Graph().parse(data=results_nt, format="nt")
        bind_prefixes(results.namespace_manager)
        reports.append(CouncilReport(council, label, conforms, findings_of(results), results,
                                     [PrincipleCoverage(*row) for row in coverage_rows]))
    return reports


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
