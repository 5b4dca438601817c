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

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyshacl import validate
from rdflib import RDF, SKOS, Graph, URIRef
from rdflib.namespace import PROV, SH

from govkg.graph import paths
from govkg.graph.errors import GovkgError
from govkg.graph.namespaces import GOVKG, bind_prefixes
from govkg.graph.rdfio import parse_graph
from govkg.graph.vocabulary import load_vocabulary

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
    def completeness(self) -> float:
        """Share of the lowest-level items of the followed edition that are addressed."""
        items = sum(p.items for p in self.coverage)
        return round(sum(p.addressed for p in self.coverage) / items, 3) if items else 0.0


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
            below = set(vocabulary.transitive_subjects(SKOS.broader, principle)) - {principle}
            leaves = {i for i in below if (None, SKOS.broader, i) not in vocabulary}
            rows.append(PrincipleCoverage(str(vocabulary.value(principle, SKOS.notation)),
                                          str(vocabulary.value(principle, SKOS.prefLabel)),
                                          len(leaves), len(leaves & addressed)))
    return rows


def validate_data(data: Graph, *, shapes: Graph | None = None, council: str = "",
                  label: str = "") -> CouncilReport:
    """Validate one council's data (its document graphs, merged) against the shapes."""
    vocabulary = _vocabulary()
    # The data graph is our own union of the council's data and the vocabulary, validated
    # in place: pySHACL's ont_graph would mix in only class and property definitions, not
    # the framework items, roles and schemes the shapes compare against.
    combined = Graph()
    combined += vocabulary
    combined += data
    conforms, results, _ = validate(
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

