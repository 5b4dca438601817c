"""Real SPARQL clients against ``govkg serve``: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from tests.api.conftest import COUNCIL, Server

LABEL = f"SELECT ?label WHERE {{ <{COUNCIL}> <{SKOS.prefLabel}> ?label }}"


def test_sparqlwrapper_select_json_and_xml(server: Server) -> None:
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(LABEL)
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [row["label"]["value"] for row in rows] == ["Testshire County Council"]
    client.setReturnFormat(XML)
    client.setMethod("POST")
    document = client.queryAndConvert()
    assert "Testshire County Council" in document.toxml()  # type: ignore[union-attr]


def test_sparqlwrapper_construct_turtle(server: Server) -> None:
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(f"CONSTRUCT {{ <{COUNCIL}> ?p ?o }} WHERE {{ <{COUNCIL}> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert (URIRef(COUNCIL), SKOS.prefLabel, Literal("Testshire County Council", lang="en")) \
        in graph


def test_rdflib_sparqlstore(server: Server) -> None:
    graph = Graph(SPARQLStore(f"{server.url}/sparql", returnFormat="xml"))
    labels = {str(row[0]) for row in graph.query(LABEL)}
    assert labels == {"Testshire County Council"}
    assert (URIRef(COUNCIL), SKOS.prefLabel, None) in graph
    assert graph.query(f"ASK {{ <{COUNCIL}> ?p ?o }}").askAnswer is True
