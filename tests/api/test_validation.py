"""Validation over HTTP: a council's latest report, and a draft checked without storing."""

from __future__ import annotations

import json

import httpx
import pytest
from lxml import html as lxml_html
from rdflib import Graph
from rdflib.namespace import RDF, SH

from tests.api.conftest import COUNCIL, FIXTURE

VALIDATION = "/councils/testshire-county-council/validation"
DRAFT_TTL = """
@prefix govkg: <https://w3id.org/govkg/def/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix fw: <https://w3id.org/govkg/id/framework/> .
<http://example.org/draft/council> a govkg:Council ; skos:prefLabel "Draftshire Council"@en .
<http://example.org/draft/code> a govkg:LocalCode ;
    govkg:council <http://example.org/draft/council> ; govkg:followsFramework fw:cipfa-solace-2016 .
"""


def test_council_report_as_json(client: httpx.Client) -> None:
    response = client.get(VALIDATION, headers={"accept": "application/json"})
    assert response.status_code == 200
    (report,) = response.json()["councils"]
    assert report["council"] == COUNCIL
    assert report["conforms"] is False  # no Chief Finance Officer, most items unaddressed
    messages = " ".join(f["message"] for f in report["findings"])
    assert "Chief Finance Officer" in messages
    principles = {row["principle"]: row for row in report["coverage"]}
    assert principles["A"]["addressed"] >= 1


def test_council_report_as_turtle_and_html(client: httpx.Client) -> None:
    turtle = client.get(VALIDATION, headers={"accept": "text/turtle"})
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert any(graph.subjects(RDF.type, SH.ValidationResult))
    html = client.get(VALIDATION, headers={"accept": "text/html"})
    assert html.status_code == 200 and "Testshire County Council" in html.text
    assert "<script>alert(1)</script>" not in html.text


def test_the_report_page_is_a_page_of_the_site(client: httpx.Client) -> None:
    """The council page's "Validation report" link leads to a page with the site's header,
    skip link and search box (issue 18: a search box on every page), and a way back."""
    page = lxml_html.fromstring(client.get(VALIDATION, headers={"accept": "text/html"}).text)
    assert page.xpath("//a[@class='skip-link']/@href") == ["#main-content"]
    assert page.xpath("//form[@role='search']//input[@name='q']")
    main = page.get_element_by_id("main-content")
    assert main.xpath("h1")[0].text_content() == "Governance validation: Testshire County Council"
    assert main.xpath(".//h2[@id='testshire-county-council']")  # the report's findings
    assert main.xpath(".//a/@href")[-1] == "/id/council/testshire-county-council"


def test_unknown_council_is_404(client: httpx.Client) -> None:
    assert client.get("/councils/atlantis/validation").status_code == 404


@pytest.mark.parametrize("media", ["text/turtle", "application/trig", "application/ld+json"])
def test_validate_a_draft(client: httpx.Client, media: str) -> None:
    graph = Graph().parse(data=DRAFT_TTL, format="turtle")
    if media == "application/trig":
        body = "<http://example.org/draft/graph> {\n" + graph.serialize(format="nt") + "}\n"
    elif media == "application/ld+json":
        body = graph.serialize(format="json-ld")
    else:
        body = DRAFT_TTL
    before = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE {?s ?p ?o}"})
    response = client.post("/validate", content=body.encode(), headers={
        "content-type": media, "accept": "application/json"})
    assert response.status_code == 200, response.text
    (report,) = response.json()["councils"]
    assert report["council"] == "http://example.org/draft/council"
    assert report["conforms"] is False
    after = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE {?s ?p ?o}"})
    assert before.json() == after.json()  # nothing stored


def test_validate_the_fixture_as_trig(client: httpx.Client) -> None:
    response = client.post("/validate", content=FIXTURE.read_bytes(),
                           headers={"content-type": "application/trig",
                                    "accept": "application/json"})
    councils = {r["council"] for r in response.json()["councils"]}
    assert councils == {COUNCIL}


def test_bad_drafts(client: httpx.Client) -> None:
    broken = client.post("/validate", content=b"<a> <b> .", headers={"content-type": "text/turtle"})
    assert broken.status_code == 400
    assert "Traceback" not in broken.text
    wrong_type = client.post("/validate", content=b"x", headers={"content-type": "text/plain"})
    assert wrong_type.status_code == 415
    remote = client.post("/validate", content=json.dumps(
        {"@context": "http://example.org/context.jsonld", "@id": "http://x/a"}).encode(),
        headers={"content-type": "application/ld+json"})
    assert remote.status_code == 400 and "remote" in remote.json()["detail"]
