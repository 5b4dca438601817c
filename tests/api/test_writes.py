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
