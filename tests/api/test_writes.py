"""Write protection: updates and Graph Store writes need the configured Bearer token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from rdflib import Graph, Literal, URIRef

from govkg.api.app import create_app
from govkg.graph.settings import Settings
from tests.api.conftest import TOKEN, built_store

GRAPH = "https://w3id.org/govkg/graph/test-writes"
ASK = f"ASK {{ GRAPH <{GRAPH}> {{ <http://example.org/a> ?p ?o }} }}"


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = built_store(Path(tmp_path_factory.mktemp("writable")) / "store")
    app: FastAPI = create_app(Settings(write_token=SecretStr(TOKEN), query_workers=1),
                              store=store)
    yield TestClient(app)
    app.state.stop()
    store.close()


def asked(client: TestClient) -> bool:
    return bool(client.get("/sparql", params={"query": ASK}).json()["boolean"])


def test_update_needs_the_token(writable: TestClient) -> None:
    update = (f"INSERT DATA {{ GRAPH <{GRAPH}> "
              '{ <http://example.org/a> <http://example.org/p> "x" } }')
    anonymous = writable.post("/sparql", data={"update": update})
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    wrong = writable.post("/sparql", data={"update": update},
                          headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert not asked(writable)
    right = writable.post("/sparql", content=update.encode(), headers={
        "authorization": f"Bearer {TOKEN}", "content-type": "application/sparql-update"})
    assert right.status_code == 204
    assert asked(writable)  # the query workers see the write at once
    bad = writable.post("/sparql", data={"update": "INSERT DATA {"},
                        headers={"authorization": f"Bearer {TOKEN}"})
    assert bad.status_code == 400
    description = writable.get("/sparql", headers={"accept": "text/turtle"}).text
    assert "SPARQL11Update" in description


def test_graph_store_protocol(writable: TestClient) -> None:
    auth = {"authorization": f"Bearer {TOKEN}"}
    turtle = '<http://example.org/b> <http://example.org/p> "y" .'
    refused = writable.put("/rdf-graph-store", params={"graph": GRAPH}, content=turtle,
                           headers={"content-type": "text/turtle"})
    assert refused.status_code == 401
    put = writable.put("/rdf-graph-store", params={"graph": GRAPH}, content=turtle,
                       headers={"content-type": "text/turtle", **auth})
    assert put.status_code == 204
    read = writable.get("/rdf-graph-store", params={"graph": GRAPH},
                        headers={"accept": "text/turtle"})
    graph = Graph().parse(data=read.text, format="turtle")
    assert set(graph) == {(URIRef("http://example.org/b"), URIRef("http://example.org/p"),
                           Literal("y"))}
    post = writable.post("/rdf-graph-store", params={"graph": GRAPH}, headers={
        "content-type": "application/n-triples", **auth},
        content=b'<http://example.org/c> <http://example.org/p> "z" .\n')
    assert post.status_code == 204
    read = writable.get("/rdf-graph-store", params={"graph": GRAPH},
                        headers={"accept": "text/turtle"})
    assert len(Graph().parse(data=read.text, format="turtle")) == 2
    assert writable.put("/rdf-graph-store", params={"default": ""}, content=turtle,
                        headers={"content-type": "text/turtle", **auth}).status_code == 400
    deleted = writable.delete("/rdf-graph-store", params={"graph": GRAPH}, headers=auth)
    assert deleted.status_code == 204
    assert writable.get("/rdf-graph-store", params={"graph": GRAPH}).status_code == 404


def test_read_only_service_refuses_graph_writes(client: TestClient) -> None:
    response = client.put("/rdf-graph-store", params={"graph": GRAPH},
                          content="<http://x/a> <http://x/b> <http://x/c> .",
                          headers={"content-type": "text/turtle",
                                   "authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 403


#: bodies that broke the parser with a 500; each must be a 400 naming what is wrong
BAD_BODIES = [
    ("application/n-triples", b'<http://example.org/a> <http://example.org/p> "x"\n', "line 2"),
    ("application/n-triples", b"<http://example.org/a> <http://example.org/p> <http://e/c d> .",
     "IRI"),
    ("text/turtle", b"@prefix : <http://example.org/> .\n:a :p " + b"(" * 20_000
     + b")" * 20_000 + b" .", "nested"),
    ("text/turtle", b"@prefix : <http://example.org/> .\n:a :p :b ;;; ]", "line 2"),
    ("application/ld+json", b'{"@context": "http://127.0.0.1:9/context.jsonld", '
     b'"@id": "http://example.org/a", "name": "x"}', "remote contexts"),
    ("application/ld+json", b'{"@context": {"@import": "http://127.0.0.1:9/c"}, '
     b'"@id": "http://example.org/a"}', "remote contexts"),
    ("application/ld+json", b'{"http://example.org/p": ' + b"[" * 70_000 + b"]" * 70_000 + b"}",
     "stack"),
    ("application/rdf+xml", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">'
     b'<!ENTITY b "&a;&a;&a;&a;">]><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
     b'syntax-ns#"/>', "entity"),
    ("text/turtle", b"\xff\xfe<http://a> <http://b> <http://c> .", "UTF-8"),
]


# Short ids: a test's id goes into PYTEST_CURRENT_TEST, which the servers the fixtures
# start inherit, and a 140 KB body as its id is over the kernel's limit for one variable.
@pytest.mark.parametrize(("media", "body", "says"), BAD_BODIES,
                         ids=[f"{media}-{says}" for media, _, says in BAD_BODIES])
def test_graph_store_refuses_bad_bodies_with_400(writable: TestClient, media: str, body: bytes,
                                                 says: str) -> None:
    before = writable.get("/rdf-graph-store", params={"default": ""}).content
    response = writable.put("/rdf-graph-store", params={"graph": GRAPH}, content=body,
                            headers={"content-type": media, "authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400, response.text
    assert says.lower() in response.json()["detail"].lower()
    assert writable.get("/rdf-graph-store", params={"default": ""}).content == before


@pytest.mark.parametrize("graph", [
    "https://w3id.org/govkg/graph/staging/x",
    "https://w3id.org/govkg/graph/staging/commit",
    "https://w3id.org/govkg/graph/derived/testshire",
    "https://w3id.org/govkg/graph/ontology",
    "https://w3id.org/govkg/graph/reference",
])
def test_graph_store_refuses_reserved_graphs(writable: TestClient, graph: str) -> None:
    """A PUT under graph/staging/ answered 204 and the graph vanished when the store
    reopened; govkg's own graphs are not the client's to write."""
    auth = {"authorization": f"Bearer {TOKEN}"}
    turtle = '<http://example.org/b> <http://example.org/p> "y" .'
    for method in ("PUT", "POST"):
        response = writable.request(method, "/rdf-graph-store", params={"graph": graph},
                                    content=turtle,
                                    headers={"content-type": "text/turtle", **auth})
        assert response.status_code == 403, (method, response.text)
        assert "cannot be written" in response.json()["detail"]
    deleted = writable.delete("/rdf-graph-store", params={"graph": graph}, headers=auth)
    assert deleted.status_code == 403
    assert not asked_graph(writable, graph, "http://example.org/b")


@pytest.mark.parametrize("graph", [
    "https://w3id.org/govkg/graph/staging/x",
    "https://w3id.org/govkg/graph/derived/council/testshire-county-council",
    "https://w3id.org/govkg/graph/reference",
])
@pytest.mark.parametrize("template", [
    'INSERT DATA {{ GRAPH <{g}> {{ <http://example.org/c> <http://example.org/p> "z" }} }}',
    'PREFIX g: <{ns}> INSERT DATA {{ GRAPH g:{local} {{ <http://example.org/c> '
    '<http://example.org/p> "z" }} }}',
    "DROP GRAPH <{g}>",
    "WITH <{g}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    "COPY DEFAULT TO <{g}>",
])
def test_updates_refuse_reserved_graphs(writable: TestClient, graph: str, template: str) -> None:
    """SPARQL updates (behind the token) may not write govkg's own graphs either, however
    the graph is named; the graph is left as it was."""
    namespace, local = graph.rsplit("/", 1)
    update = template.format(g=graph, ns=namespace + "/", local=local)
    before = asked_graph(writable, graph, "http://example.org/c")
    response = writable.post("/sparql", data={"update": update},
                             headers={"authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 403, (update, response.text)
    assert "cannot be written" in response.json()["detail"]
    assert asked_graph(writable, graph, "http://example.org/c") == before


def asked_graph(client: TestClient, graph: str, subject: str) -> bool:
    query = f"ASK {{ GRAPH <{graph}> {{ <{subject}> ?p ?o }} }}"
    return bool(client.get("/sparql", params={"query": query}).json()["boolean"])
