"""Dereferencing IRIs and the pages a governance officer reads."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, SKOS

from govkg.api.app import create_app
from govkg.graph.settings import Settings
from govkg.graph.store import EmbeddedStore
from tests.api.conftest import COUNCIL

PATH = "/id/council/testshire-county-council"
MO_POST = URIRef(COUNCIL + "/post/director-of-law")
GOVKG = "https://w3id.org/govkg/def/"


@pytest.mark.parametrize("how", ["accept", "format", "suffix"])
def test_council_as_turtle(client: httpx.Client, how: str) -> None:
    if how == "accept":
        response = client.get(PATH, headers={"accept": "text/turtle"})
    elif how == "format":
        response = client.get(PATH, params={"format": "turtle"})
    else:
        response = client.get(PATH + ".ttl")
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef(COUNCIL), RDF.type, URIRef(GOVKG + "Council")) in graph
    # neighbours come with their labels: the council type
    county = URIRef("https://w3id.org/govkg/id/council-type/county")
    assert (URIRef(COUNCIL), URIRef(GOVKG + "councilType"), county) in graph
    assert graph.value(county, SKOS.prefLabel) is not None


@pytest.mark.parametrize("suffix, fmt", [(".jsonld", "json-ld"), (".nt", "nt"),
                                         (".rdf", "xml")], ids=["jsonld", "nt", "rdfxml"])
def test_post_as_rdf(client: httpx.Client, suffix: str, fmt: str) -> None:
    response = client.get("/id/council/testshire-county-council/post/director-of-law" + suffix)
    graph = Graph().parse(data=response.text, format=fmt)
    assert (MO_POST, ORG.role, URIRef("https://w3id.org/govkg/id/role/monitoring-officer")) in graph
    assert (MO_POST, SKOS.prefLabel,
            Literal("Director of Law <script>alert(1)</script>", lang="en")) in graph


def test_ontology_term_and_ontology(client: httpx.Client) -> None:
    term = client.get("/def/Council", headers={"accept": "text/turtle"})
    graph = Graph().parse(data=term.text, format="turtle")
    assert (URIRef(GOVKG + "Council"), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) \
        in graph
    page = client.get("/def/", headers={"accept": "text/html"})
    assert page.status_code == 303 and page.headers["location"] == "/docs/ontology.html"


def test_unknown_iri_is_404(client: httpx.Client) -> None:
    assert client.get("/id/council/atlantis", headers={"accept": "text/turtle"}).status_code == 404
    assert client.get("/id/council/atlantis", headers={"accept": "text/html"}).status_code == 404


def test_home_page(client: httpx.Client) -> None:
    page = client.get("/", headers={"accept": "text/html"}).text
    assert f'href="{PATH}"' in page and "Testshire County Council" in page
    assert 'href="/id/framework/cipfa-solace-2016"' in page
    assert 'href="/id/framework/cipfa-solace-2007"' in page


def section(html: str, name: str) -> str:
    match = re.search(rf'<section id="{name}">(.*?)</section>', html, re.S)
    assert match, f"no section {name}"
    return match.group(1)


def test_council_page(client: httpx.Client) -> None:
    html = client.get(PATH, headers={"accept": "text/html"}).text
    assert "Testshire Local Code of Corporate Governance" in section(html, "documents")
    officers = section(html, "statutory-officers")
    assert "Chief Executive" in officers and "not assigned in the documents" in officers
    # the quote and the line numbers of the source of each statement
    assert "The Chief Executive is the Head of Paid Service." in officers
    assert "line 12" in officers
    assert "Audit and Governance Committee" in section(html, "bodies")
    coverage = section(html, "coverage")
    row_a = re.search(r"<tr><td>A\. .*?</tr>", coverage, re.S)
    assert row_a, coverage
    assert re.findall(r"<td>(\d+)</td>", row_a.group(0)) == ["3", "1"]  # items, addressed
    assert "built-in method" not in html
    assert "F.1" in section(html, "gaps") and "A.1 " not in section(html, "gaps")
    scores = section(html, "self-assessment")
    assert "3.0 of 5.0" in scores or "3 of 5" in scores
    assert "A.1 Integrity: score 3 of 5" in scores
    recommendations = section(html, "recommendations")
    assert "Strengthen the audit committee" in recommendations and "lines 40-41" in recommendations


def test_values_from_documents_are_escaped(client: httpx.Client) -> None:
    for path in (PATH, "/id/council/testshire-county-council/post/director-of-law",
                 "/queries/statutory-officers?council=testshire-county-council"):
        html = client.get(path, headers={"accept": "text/html"}).text
        assert "<script>alert(1)</script>" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
    quote = client.get("/id/document/testshire-code/span/14-15",
                       headers={"accept": "text/html"}).text
    assert "<b>bold</b>" not in quote and "&lt;b&gt;bold&lt;/b&gt;" in quote


def test_framework_page(client: httpx.Client) -> None:
    html = client.get("/id/framework/cipfa-solace-2016", headers={"accept": "text/html"}).text
    principles = section(html, "principles")
    assert 'href="/id/framework/cipfa-solace-2016/A"' in principles
    assert 'href="/id/framework/cipfa-solace-2016/A.1"' in principles
    assert "Testshire County Council" in section(html, "councils")
    assert 'href="/id/framework/cipfa-solace-2007/' in section(html, "crosswalk")


def test_item_page_lists_what_councils_do(client: httpx.Client) -> None:
    html = client.get("/id/framework/cipfa-solace-2016/A.1", headers={"accept": "text/html"}).text
    practice = section(html, "practice")
    assert "Members and officers behave with integrity" in practice
    assert "Integrity is supported by our Whistleblowing Policy." in practice  # the quote
    assert "Self-assessment score 3" in practice
    assert "Whistleblowing Policy" in section(html, "evidence")
    principle = client.get("/id/framework/cipfa-solace-2016/A", headers={"accept": "text/html"})
    assert "Members and officers behave with integrity" in section(principle.text, "practice")


@pytest.fixture(scope="module")
def rebased(store: EmbeddedStore) -> Iterator[FastAPI]:
    app = create_app(Settings(base="https://governance.example.org/kg/", query_workers=1),
                     store=store)
    yield app
    app.state.stop()


def test_published_base_rewrites_iris(rebased: FastAPI) -> None:
    client = TestClient(rebased)
    response = client.get(PATH, headers={"accept": "application/n-triples"})
    graph = Graph().parse(data=response.text, format="nt")
    council = URIRef("https://governance.example.org/kg/id/council/testshire-county-council")
    assert (council, RDF.type, URIRef("https://governance.example.org/kg/def/Council")) in graph
    assert not any(str(s).startswith("https://w3id.org/govkg/") for s in graph.subjects())


def test_published_base_rewrites_the_dumps(rebased: FastAPI) -> None:
    """The full dumps name every resource, term and graph as the resources' RDF does."""
    client = TestClient(rebased)
    for name, syntax in (("govkg.nq", "nquads"), ("govkg.trig", "trig")):
        dump = Dataset()
        dump.parse(data=client.get(f"/dumps/{name}").content, format=syntax)
        named = {str(term) for quad in dump.quads((None, None, None, None)) for term in quad
                 if isinstance(term, URIRef)}
        assert "https://governance.example.org/kg/id/council/testshire-county-council" in named
        assert not {iri for iri in named if iri.startswith("https://w3id.org/govkg/")}, name
