"""Filling a store: the ontology, the reference data, and the bundled corpus or given files.

Each source becomes its own named graph, so rebuilding replaces graphs rather than adding
to them: running a build twice leaves the same graphs with the same triples. Every input
is parsed before anything is written, and all graphs are then replaced in one
``replace_graphs`` call, so bad input leaves the store exactly as it was.

Graph names: ``graph/ontology`` and ``graph/reference``; each named graph of a TriG or
N-Quads file keeps its name; a Turtle, N-Triples or JSON-LD file (and the default graph of
a TriG file) goes to ``graph/file/<hash>``, where the hash is of the file's absolute
``file:`` URI, so the same file always lands in the same graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files as package_files
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from govkg.graph.errors import DataFileError
from govkg.graph.namespaces import GOVKG, GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from govkg.graph.rdfio import parse_graph
from govkg.graph.store.base import VOCABULARY_GRAPHS, SelectResult, Store, reserved_graph

QUAD_SUFFIXES = (".trig", ".nq")
TRIPLE_SUFFIXES = (".ttl", ".nt", ".jsonld")


def bundled_corpus() -> Path:
    """The imported corpus that ships inside the package (it may not exist yet)."""
    return Path(str(package_files("govkg.graph"))) / "data" / "corpus.trig"


def file_graph(path: Path) -> URIRef:
    """The graph that the triples of an RDF file without graph names go to."""
    digest = hashlib.sha256(path.resolve().as_uri().encode("utf-8")).hexdigest()[:16]
    return GRAPH[f"file/{digest}"]


@dataclass(frozen=True)
class Source:
    """One graph to write and where it came from."""

    graph: str
    origin: str
    content: Graph


def read_file(path: Path) -> list[Source]:
    """The graphs one RDF file holds, parsed and checked; nothing is written."""
    if path.suffix.lower() not in (*QUAD_SUFFIXES, *TRIPLE_SUFFIXES):
        raise DataFileError.at(path, None, f"unsupported file type {path.suffix!r}; expected "
                               f"one of {', '.join((*QUAD_SUFFIXES, *TRIPLE_SUFFIXES))}")
    parsed = parse_graph(path)  # says what is wrong: missing, a folder, a device, a pipe
    sources: list[Source] = []
    if isinstance(parsed, Dataset):
        for graph in parsed.graphs():
            if not len(graph):
                continue
            name = graph.identifier
            if name == DATASET_DEFAULT_GRAPH_ID:
                name = file_graph(path)
            elif not isinstance(name, URIRef):
                raise DataFileError.at(path, None, f"graph {name} is not named by an IRI")
            elif (why := reserved_graph(str(name))) is not None and str(name) not in (
                    VOCABULARY_GRAPHS):  # those two collide with the build's own, below
                raise DataFileError.at(path, None, f"graph <{name}> cannot be loaded: {why}")
            content = Graph()
            content += graph
            sources.append(Source(str(name), str(path), content))
    elif len(parsed):
        sources.append(Source(str(file_graph(path)), str(path), parsed))
    if not sources:
        raise DataFileError.at(path, None, "holds no RDF statements")
    return sources


def plan(files: Sequence[Path] | None = None,
         on_read: Callable[[str], None] | None = None) -> list[Source]:
    """Everything a build writes: ontology, reference data, and corpus or ``files``.

    Files are read in the order given; a graph named in two of them is refused, since
    one would silently replace the other.
    """
    from govkg.graph.vocabulary import load_ontology, load_reference

    sources = [Source(str(ONTOLOGY_GRAPH), "ontology", load_ontology()),
               Source(str(REFERENCE_GRAPH), "reference data", load_reference())]
    if on_read:
        on_read("ontology and reference data")
    if files is None:
        corpus = bundled_corpus()
        files = [corpus] if corpus.is_file() else []
    seen = {source.graph: source.origin for source in sources}
    for path in files:
        for source in read_file(path):
            if source.graph in seen:
                raise DataFileError.at(path, None, f"graph <{source.graph}> is also in "
                                       f"{seen[source.graph]}")
            seen[source.graph] = source.origin
            sources.append(source)
        if on_read:
            on_read(str(path))
    return sources


def build(
    store: Store,
    files: Sequence[Path] | None = None,
    *,
    clean: bool = False,
    on_read: Callable[[str], None] | None = None,
) -> list[Source]:
    """Write the ontology, reference data and corpus (or ``files``) into ``store``.

    With ``clean``, graphs the store holds that this build does not write are dropped in
    the same change. Returns what was written.
    """
    return write(store, plan(files, on_read), clean=clean)


def write(store: Store, sources: Sequence[Source], *, clean: bool = False) -> list[Source]:
    """Replace the graphs of already-read ``sources`` in one change (see :func:`build`)."""
    graphs: dict[str, Graph | list[tuple[URIRef, URIRef, URIRef]]] = {
        source.graph: source.content for source in sources}
    if clean:
        for info in store.graphs():
            graphs.setdefault(info.iri, [])
    store.replace_graphs(graphs)
    return list(sources)


#: The documents each graph comes from: a governance document it describes, or what its
#: statements say they were derived from.
_DOCUMENTS = f"""
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?g ?doc (SAMPLE(?title) AS ?label) WHERE {{
  GRAPH ?g {{
    {{ VALUES ?type {{ <{GOVKG.GovernanceDocument}> <{GOVKG.LocalCode}>
                      <{GOVKG.SelfAssessment}> <{GOVKG.AnnualGovernanceStatement}>
                      <{GOVKG.ExternalGovernanceReview}> }}
      ?doc a ?type }}
    UNION {{ ?x prov:wasDerivedFrom ?doc }}
  }}
  OPTIONAL {{ ?doc dcterms:title ?title }}
}} GROUP BY ?g ?doc ORDER BY ?g ?doc
"""


def graph_documents(store: Store) -> dict[str, list[tuple[str, str | None]]]:
    """For each graph, its source documents as (IRI, title or None)."""
    result = store.query(_DOCUMENTS)
    assert isinstance(result, SelectResult)
    documents: dict[str, list[tuple[str, str | None]]] = {}
    for row in result:
        label = row.get("label")
        documents.setdefault(str(row["g"]), []).append(
            (str(row["doc"]), str(label) if label is not None else None))
    return documents
