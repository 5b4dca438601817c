"""Linked data: where each IRI lives on this service, and what dereferencing one returns.

The stored data always uses govkg's default base (``https://w3id.org/govkg/``, see
:mod:`govkg.graph.namespaces`). The service answers for the paths below that base,
``/id/...`` and ``/def/...``, so a resource's IRI and its page differ only in the host:
``https://w3id.org/govkg/id/council/x`` is ``/id/council/x`` here. Deployed under
another domain (``GOVKG_BASE``), RDF that the service publishes about a resource is
rewritten to that base, so the IRIs a client receives dereference where it got them.

What an IRI dereferences to (DESCRIBE-like, the same for every resource): the triples
about it, and the labels, titles and notations of the things it points to, so a client
can show the neighbours without another request per neighbour.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from govkg.graph.namespaces import DEFAULT_BASE, PREFIXES, bind_prefixes

LABEL_PROPERTIES = (
    "<http://www.w3.org/2004/02/skos/core#prefLabel>",
    "<http://www.w3.org/2000/01/rdf-schema#label>",
    "<http://purl.org/dc/terms/title>",
    "<http://www.w3.org/2004/02/skos/core#notation>",
)

DESCRIBE = f"""
CONSTRUCT {{ ?resource ?p ?o . ?o ?labelled ?label . }}
WHERE {{
  {{ ?resource ?p ?o }}
  UNION
  {{ ?resource ?p ?o . ?o ?labelled ?label .
     VALUES ?labelled {{ {' '.join(LABEL_PROPERTIES)} }} }}
}}"""

#: one label per node, preferring skos:prefLabel, then rdfs:label, then dcterms:title
LABEL_EXPRESSION = """COALESCE(?prefLabel, ?rdfsLabel, ?title)"""


@dataclass(frozen=True)
class Links:
    """Maps between stored IRIs, the service's paths and the published base."""

    published_base: str = DEFAULT_BASE

    stored_base: str = DEFAULT_BASE

    def path_of(self, iri: Node | str) -> str | None:
        """The service path that answers for ``iri``, or None for an outside IRI."""
        text = str(iri)
        if not text.startswith(self.stored_base):
            return None
        rest = text[len(self.stored_base):]
        if rest.startswith(("id/", "def/")) or rest in ("def", "id"):
            return "/" + rest
        return None

    def iri_of(self, path: str) -> URIRef:
        """The stored IRI of a service path such as ``/id/council/x``."""
        return URIRef(self.stored_base + path.lstrip("/"))

    def publish(self, iri: str) -> str:
        """An IRI as published under the deployment's base."""
        if self.published_base != self.stored_base and iri.startswith(self.stored_base):
            return self.published_base + iri[len(self.stored_base):]
        return iri

    def publish_graph(self, graph: Graph) -> Graph:
        """``graph`` with every stored-base IRI rewritten to the published base."""
        if self.published_base == self.stored_base:
            return graph
        out = Graph()
        bind_prefixes(out.namespace_manager)
        out.namespace_manager.bind("govkg", self.publish(str(PREFIXES["govkg"])),
                                   override=True, replace=True)

        def term(node: Node) -> Node:
            return URIRef(self.publish(str(node))) if isinstance(node, URIRef) else node

        for s, p, o in graph:
            out.add((term(s), term(p), term(o)))
        return out


@functools.lru_cache(maxsize=100_000)
def short(iri: str) -> str:
    """A CURIE for display (``skos:prefLabel``), or the IRI when no prefix fits
    (remembered: pages show the same properties many times)."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(str(namespace)) > len(best):
            best, chosen = str(namespace), prefix
    if best and iri[len(best):] and "/" not in iri[len(best):]:
        return f"{chosen}:{iri[len(best):]}"
    return iri


def text(node: Node | None) -> str:
    """A term's lexical form (empty for an unbound value)."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        return str(node)
    return str(node)
