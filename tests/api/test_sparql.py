"""The SPARQL 1.1 Protocol at /sparql: every way to ask, every format, parsed back."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from tests.api.conftest import COUNCIL

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SELECT = (f"SELECT ?label WHERE {{ <{COUNCIL}> <http://www.w3.org/2004/02/skos/core#prefLabel> "
          "?label }")
CONSTRUCT = (f"CONSTRUCT {{ <{COUNCIL}> ?p ?o }} WHERE {{ <{COUNCIL}> ?p ?o }}")
RESULTS = "{http://www.w3.org/2005/sparql-results#}"


def labels_json(body: bytes) -> set[str]:
    data = json.loads(body)
    return {row["label"]["value"] for row in data["results"]["bindings"]}


def test_get_select_json(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": SELECT},
                          headers={"accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert labels_json(response.content) == {"Testshire County Council"}


def test_post_form_and_direct_body_agree(client: httpx.Client) -> None:
    form = client.post("/sparql", data={"query": SELECT},
                       headers={"accept": "application/sparql-results+json"})
    direct = client.post("/sparql", content=SELECT.encode(),
                         headers={"content-type": "application/sparql-query",
                                  "accept": "application/sparql-results+json"})
    assert form.status_code == direct.status_code == 200
    assert labels_json(form.content) == labels_json(direct.content) == {"Testshire County Council"}


@pytest.mark.parametrize("accept, fmt", [
    ("application/sparql-results+xml", "xml"), ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv")], ids=["xml", "csv", "tsv"])
def test_select_formats(client: httpx.Client, accept: str, fmt: str) -> None:
    by_accept = client.get("/sparql", params={"query": SELECT}, headers={"accept": accept})
    by_param = client.get("/sparql", params={"query": SELECT, "format": fmt})
    assert by_accept.status_code == by_param.status_code == 200
    assert by_accept.headers["content-type"].split(";")[0] == accept
    assert by_accept.content == by_param.content
    text = by_accept.text
    if fmt == "xml":
        root = ET.fromstring(text)
        values = {lit.text for lit in root.iter(f"{RESULTS}literal")}
    elif fmt == "csv":
        values = {row["label"] for row in csv.DictReader(io.StringIO(text))}
    else:
        lines = text.splitlines()
        assert lines[0] == "?label"
        values = {Literal(line.split("@")[0].strip('"')).value for line in lines[1:]}
    assert values == {"Testshire County Council"}


def test_ask(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": f"ASK {{ <{COUNCIL}> ?p ?o }}"})
    assert response.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
    ("application/trig", "trig")], ids=["turtle", "ntriples", "jsonld", "rdfxml", "trig"])
def test_construct_formats_parse_back(client: httpx.Client, accept: str,
                                      rdflib_format: str) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    graph = Dataset() if rdflib_format == "trig" else Graph()
    graph.parse(data=response.text, format=rdflib_format)
    council = URIRef(COUNCIL)
    assert (council, SKOS.prefLabel, Literal("Testshire County Council", lang="en")) in graph
    assert (council, RDF.type, URIRef("https://w3id.org/govkg/def/Council")) in graph


def test_browser_gets_an_html_table(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": SELECT},
                          headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Testshire County Council" in response.text


def test_not_acceptable(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"accept": "image/png"})
    assert response.status_code == 406
    unknown = client.get("/sparql", params={"query": SELECT, "format": "turtle"})
    assert unknown.status_code == 406  # a SELECT result has no Turtle form
    assert "json" in unknown.json()["detail"]


def test_syntax_error_says_where(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "syntax error" in detail and "at 3:" in detail, detail  # line 3 is wrong


def test_default_and_named_graph_parameters(client: httpx.Client) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    review = "https://w3id.org/govkg/graph/document-testshire-review"
    code = "https://w3id.org/govkg/graph/document-testshire-code"
    one = client.get("/sparql", params={"query": count, "default-graph-uri": review})
    both = client.get("/sparql", params={"query": count, "default-graph-uri": [review, code]})
    everything = client.get("/sparql", params={"query": count})
    n = [int(r.json()["results"]["bindings"][0]["n"]["value"]) for r in (one, both, everything)]
    assert 0 < n[0] < n[1] < n[2]
    graphs = client.get("/sparql", params={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": review})
    assert [b["g"]["value"] for b in graphs.json()["results"]["bindings"]] == [review]
    bad = client.get("/sparql", params={"query": count, "default-graph-uri": "not an iri"})
    assert bad.status_code == 400


def test_service_description(client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    service = next(graph.subjects(RDF.type, SD.Service))
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph  # read-only
    browser = client.get("/sparql", headers={"accept": "text/html"})
    assert browser.status_code == 303 and browser.headers["location"] == "/query"


def test_body_limits_and_media_types(client: httpx.Client) -> None:
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 6_000_000
    too_large = client.post("/sparql", content=huge.encode(),
                            headers={"content-type": "application/sparql-query"})
    assert too_large.status_code == 413
    wrong = client.post("/sparql", content=b"{}", headers={"content-type": "application/json"})
    assert wrong.status_code == 415
    empty_form = client.post("/sparql", data={"nothing": "here"})
    assert empty_form.status_code == 400


def test_update_refused_when_read_only(client: httpx.Client) -> None:
    response = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    still_there = client.get("/sparql", params={"query": f"ASK {{ <{COUNCIL}> ?p ?o }}"})
    assert still_there.json()["boolean"] is True
