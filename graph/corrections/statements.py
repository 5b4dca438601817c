"""What the importer stated from each quoted span of a document's graph: the statements a
person reviews and corrects (and the posts a span designates to a role)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import ORG, PROV
from rdflib.term import Node

from govkg.graph.errors import DataFileError
from govkg.graph.importers.linking import Gazetteer
from govkg.graph.namespaces import GOVKG, OA, SCHEME


@dataclass
class Statement:
    """One quoted span of a document and what the importer stated from it."""

    span: URIRef
    quote: str
    line: int
    end_line: int
    start: int | None
    page: int | None
    #: (resource, its class's label, its own label)
    resources: list[tuple[URIRef, str, str]] = field(default_factory=list)
    #: (item, notation, label, method, score) of the resources' framework links
    links: list[tuple[URIRef, str, str, str, float]] = field(default_factory=list)
    #: (post, post's label, role, role's label)
    designations: list[tuple[URIRef, str, URIRef, str]] = field(default_factory=list)
    #: the core principles (notations) its links fall under
    principles: list[str] = field(default_factory=list)
    #: what corrections were applied to it (action, officer)
    corrected: list[tuple[str, str]] = field(default_factory=list)

    @property
    def confidence(self) -> float | None:
        """The lowest score of its links (a statement is as sure as its weakest link)."""
        return min((score for *_, score in self.links), default=None)

    def key(self) -> tuple[str, int | None, int]:
        return (self.quote, self.start, self.line)


def label_of(graph: Graph, vocabulary: Graph, node: Node) -> str:
    for source in (graph, vocabulary):
        for prop in (SKOS.prefLabel, RDFS.label, SKOS.notation):
            value = source.value(node, prop)
            if value is not None:
                return str(value)
    return str(node).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def document_of(graph: Graph) -> URIRef:
    for node in graph.subjects(GOVKG.sha256, None):
        if isinstance(node, URIRef):
            return node
    raise DataFileError.at(str(graph.identifier), None, "the graph holds no document")


def role_gazetteer(vocabulary: Graph) -> Gazetteer:
    return Gazetteer(vocabulary, SCHEME["role"])


def designations(graph: Graph, vocabulary: Graph, span: URIRef, quote: str,
                  roles: Gazetteer) -> list[tuple[URIRef, str, URIRef, str]]:
    """The posts the span designates to a role: a post it is a source of holds a role
    that its quote names (and not merely the post's own title, "Chief Executive")."""
    named = set(roles.concepts(quote))
    found = []
    for post in graph.subjects(GOVKG.source, span):
        if (post, RDF.type, ORG.Post) not in graph or not isinstance(post, URIRef):
            continue
        title = label_of(graph, vocabulary, post)
        for role in graph.objects(post, ORG.role):
            if role in named and roles.lookup(title) != role and isinstance(role, URIRef):
                found.append((post, title, role, label_of(graph, vocabulary, role)))
    # in a fixed order (the graph's is not), so a review page reads the same every time
    return sorted(found, key=lambda d: (d[1], d[3], str(d[0]), str(d[2])))


def _top(vocabulary: Graph, item: Node) -> str | None:
    seen = set()
    while (up := vocabulary.value(item, SKOS.broader)) is not None and item not in seen:
        seen.add(item)
        item = up
    notation = vocabulary.value(item, SKOS.notation)
    return str(notation) if notation is not None else None


def statements(graph: Graph, vocabulary: Graph) -> list[Statement]:
    """Every quoted span of a document's graph that some resource (other than the
    document itself and its own links) was read from, in the document's order."""
    doc = document_of(graph)
    roles = role_gazetteer(vocabulary)
    found: dict[URIRef, Statement] = {}
    for span in set(graph.subjects(RDF.type, OA.SpecificResource)):
        if not isinstance(span, URIRef):
            continue
        readers = [n for n in graph.subjects(GOVKG.source, span) if isinstance(n, URIRef)
                   and n != doc and not str(n).startswith(f"{doc}/link/")
                   and (n, RDF.type, GOVKG.ItemLink) not in graph]
        quote = next((str(q) for s in graph.objects(span, OA.hasSelector)
                      for q in graph.objects(s, OA.exact)), "")
        start = next((int(str(v)) for s in graph.objects(span, OA.hasSelector)
                      for v in graph.objects(s, OA.start)), None)
        page = graph.value(span, GOVKG.page)
        statement = Statement(span, quote, int(graph.value(span, GOVKG.startLine) or 0),
                              int(graph.value(span, GOVKG.endLine) or 0), start,
                              int(page) if page is not None else None)
        for activity in graph.subjects(PROV.used, span):
            officer = graph.value(activity, PROV.wasAssociatedWith)
            statement.corrected.append((str(graph.value(activity, GOVKG.correctionAction)),
                                        label_of(graph, vocabulary, officer) if officer else ""))
        if not readers and not statement.corrected:
            continue
        for node in sorted(readers):
            kind = graph.value(node, RDF.type)
            statement.resources.append((node, label_of(graph, vocabulary, kind) if kind else "",
                                        label_of(graph, vocabulary, node)))
            for link in graph.objects(node, GOVKG.qualifiedLink):
                item = graph.value(link, GOVKG.linkedItem)
                method = graph.value(link, GOVKG.linkMethod)
                if isinstance(item, URIRef):
                    notation = vocabulary.value(item, SKOS.notation) or graph.value(
                        item, SKOS.notation)
                    statement.links.append((
                        item, str(notation or ""), label_of(graph, vocabulary, item),
                        label_of(graph, vocabulary, method) if method else "",
                        float(graph.value(link, GOVKG.matchScore) or 0)))
        statement.links = sorted(set(statement.links), key=lambda link: link[1])
        statement.designations = designations(graph, vocabulary, span, quote, roles)
        statement.principles = sorted({top for item, *_ in statement.links
                                       if (top := _top(vocabulary, item))})
        found[span] = statement
    return sorted(found.values(), key=lambda s: (s.line, s.start or 0, s.quote, str(s.span)))


def document_sha(graph: Graph) -> str:
    """The SHA-256 of the document a graph was imported from."""
    return str(graph.value(document_of(graph), GOVKG.sha256))

