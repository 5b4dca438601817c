"""The ontology and its reference data as graphs, and the checks that keep them sound.

``load_ontology()`` and ``load_reference()`` are what every other module builds on;
``check()`` is ``govkg ontology check``: it parses every Turtle and SPARQL file, checks
that every govkg IRI used anywhere is declared, and runs the vocabulary shapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyshacl import validate
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SH

from govkg.graph import paths
from govkg.graph.errors import DataFileError
from govkg.graph.namespaces import DEFAULT_BASE, GOVKG, ID, bind_prefixes
from govkg.graph.querylib import load_query
from govkg.graph.rdfio import parse_graph, sparql_syntax_error

_TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
# Predicates whose objects point at source documents, which the importers declare.
_SOURCE_LINKS = (DCTERMS.source, PROV.wasDerivedFrom)


def _merge(files: Iterable[Path]) -> Graph:
    graph = Graph()
    bind_prefixes(graph.namespace_manager)
    for path in files:
        parse_graph(path, graph)
    return graph


@lru_cache(maxsize=1)
def load_ontology() -> Graph:
    """The TBox: ``ontology/*.ttl`` without the reference data."""
    return _merge(sorted(paths.ontology_dir().glob("*.ttl")))


@lru_cache(maxsize=1)
def load_reference() -> Graph:
    """Frameworks, crosswalk, roles, schemes and known councils."""
    return _merge(paths.data_files(paths.reference_dir(), ".ttl"))


def load_vocabulary() -> Graph:
    """Ontology and reference data in one graph (a fresh copy the caller may change)."""
    graph = Graph()
    bind_prefixes(graph.namespace_manager)
    graph += load_ontology()
    graph += load_reference()
    return graph


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True, order=True)
class Problem:
    """One finding of ``govkg ontology check``: where, what, and how serious."""

    file: str
    line: int | None
    message: str
    severity: str = "error"  # "error" fails the check, "warning" does not

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.severity}: {self.message}"


class _SourceIndex:
    """Finds the line where an IRI is first written in a set of text files."""

    _PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w-]*):\s*<([^>]*)>", re.IGNORECASE | re.M)

    def __init__(self, files: Iterable[Path]) -> None:
        self.texts = {path: path.read_text(encoding="utf-8") for path in files}
        self.prefixes = {path: self._PREFIX.findall(text) for path, text in self.texts.items()}

    def locate(self, iri: str, only: Iterable[Path] | None = None) -> Iterator[tuple[Path, int]]:
        for path in only or self.texts:
            text = self.texts[path]
            spellings = [re.escape(f"<{iri}>")]
            for prefix, namespace in self.prefixes[path]:
                if iri.startswith(namespace) and len(iri) > len(namespace):
                    local = re.escape(iri[len(namespace):])
                    spellings.append(rf"(?<![\w:-]){re.escape(prefix)}:{local}(?![\w-]|\.[\w])")
            match = re.search("|".join(spellings), text)
            if match:
                yield path, text.count("\n", 0, match.start()) + 1

    def first(self, iri: str) -> tuple[str, int | None]:
        for path, line in self.locate(iri):
            return str(path), line
        return "(vocabulary)", None


def _govkg_iris(text: str) -> set[str]:
    """govkg IRIs written in a SPARQL or Turtle text, full or prefixed."""
    found = set(re.findall(rf"<({re.escape(DEFAULT_BASE)}[^>\s]*)>", text))
    for prefix, namespace in _SourceIndex._PREFIX.findall(text):
        if namespace.startswith(DEFAULT_BASE):
            pattern = rf"(?<![\w:<-]){re.escape(prefix)}:([\w][\w.-]*[\w]|[\w])"
            found.update(namespace + local for local in re.findall(pattern, text))
    return found


def _declared(vocabulary: Graph) -> tuple[set[str], set[str]]:
    terms = {str(s) for t in _TERM_TYPES for s in vocabulary.subjects(RDF.type, t)}
    resources = {str(s) for s in vocabulary.subjects(RDF.type, None) if isinstance(s, URIRef)}
    return terms, resources


def check(
    ontology_files: list[Path] | None = None,
    shape_files: list[Path] | None = None,
    query_files: list[Path] | None = None,
) -> list[Problem]:
    """Parse and lint the data files; the installed ones unless others are given."""
    if ontology_files is None:
        ontology_files = paths.ontology_files()
    if shape_files is None:
        shape_files = paths.data_files(paths.shapes_dir(), ".ttl")
    if query_files is None:
        query_files = paths.data_files(paths.queries_dir(), ".rq")
    problems: list[Problem] = []

    graphs: dict[Path, Graph] = {}
    for path in [*ontology_files, *shape_files]:
        try:
            graphs[path] = parse_graph(path)
        except DataFileError as exc:
            loc = exc.location
            problems.append(Problem(str(path), loc.line if loc else None, exc.message))
    for path in query_files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), None, f"cannot read: {exc}"))
            continue
        error = sparql_syntax_error(text)
        if error is not None:
            problems.append(Problem(str(path), error[0], f"SPARQL syntax error: {error[1]}"))
            continue
        try:
            load_query(path)  # the metadata header and its parameters
        except DataFileError as exc:
            problems.append(Problem(str(path), exc.location.line if exc.location else None,
                                    exc.message))
    if problems:  # declarations and shapes mean little until everything parses
        return sorted(problems)

    vocabulary = Graph()
    for path in ontology_files:
        vocabulary += graphs[path]
    index = _SourceIndex([*ontology_files, *shape_files, *query_files])
    problems += _undeclared(vocabulary, graphs, ontology_files, index)
    problems += _shape_problems(vocabulary, index)
    return sorted(problems)


def _undeclared(
    vocabulary: Graph, graphs: dict[Path, Graph], ontology_files: list[Path], index: _SourceIndex
) -> list[Problem]:
    terms, resources = _declared(vocabulary)
    ontology_iris = {str(o) for s in vocabulary.subjects(RDF.type, OWL.Ontology)
                     for o in (s, *vocabulary.objects(s, OWL.versionIRI))}
    problems = []
    for path in index.texts:
        if path in graphs:
            used = {str(t) for triple in graphs[path] for t in triple if isinstance(t, URIRef)}
            pointers = {
                str(o) for p in _SOURCE_LINKS for o in graphs[path].objects(None, p)
            } if path in ontology_files else set()
            used = {iri for iri in used if iri.startswith(DEFAULT_BASE)} - pointers
        else:
            used = _govkg_iris(index.texts[path])
        for iri in sorted(used):
            if iri in ontology_iris or iri.startswith(DEFAULT_BASE + "shapes/"):
                continue  # the ontology and its versions; shape names have their own namespace
            if iri.endswith(("/", "#")):
                continue  # a namespace (a PREFIX line), not a term or a resource
            if iri.startswith(str(GOVKG)) and iri not in terms:
                what = "ontology term"
            elif iri.startswith(str(ID)) and iri not in resources:
                what = "resource"
            else:
                continue
            line = next((ln for _, ln in index.locate(iri, only=[path])), None)
            problems.append(Problem(str(path), line, f"{what} <{iri}> is used but not declared"))
    return problems


def _shape_problems(vocabulary: Graph, index: _SourceIndex) -> list[Problem]:
    shapes = parse_graph(paths.shapes_dir() / "prefixes.ttl")
    parse_graph(paths.shapes_dir() / "vocabulary.ttl", shapes)
    _, results, _ = validate(vocabulary, shacl_graph=shapes, advanced=True, allow_warnings=True)
    problems = []
    assert isinstance(results, Graph)
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        message = results.value(result, SH.resultMessage) or Literal("shape not satisfied")
        violation = results.value(result, SH.resultSeverity) == SH.Violation
        severity = "error" if violation else "warning"
        path_ = results.value(result, SH.resultPath)
        where, line = index.first(str(focus))
        detail = f" ({vocabulary.qname(path_)})" if isinstance(path_, URIRef) else ""
        problems.append(Problem(where, line, f"{focus.n3(vocabulary.namespace_manager)}{detail}: "
                                f"{message}", severity))
    return problems
