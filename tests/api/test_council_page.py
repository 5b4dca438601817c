"""The council page's accountability reads only the council's nodes (issue 17): the same
network, matrix and items as from every council's rows; its quoted sources are read for
the resources it shows, and statements and incoming links are sorted in Python, in the
engine's order. Real embedded Oxigraph store of
the Testshire fixtures (tests/api/data), read through the service's in-process runner,
with and without LATERAL binding. A council whose agents answer for no framework item
(Nullshire, made up) gets a sentence saying so, not an empty matrix (issue 18); the
network's names fit inside the picture, measured in Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from lxml import html
from playwright.sync_api import Page
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from govkg.api import pages, pictures
from govkg.api.app import create_app
from govkg.api.querying import Answer, StoreRunner
from govkg.graph.analytics.accountability import agents
from govkg.graph.analytics.projection import accountability_networks, fetch
from govkg.graph.settings import Settings
from govkg.graph.store import EmbeddedStore, SelectResult
from tests.api.conftest import DATA
from tests.api.servers import OFFICER_FILES, officers_store
from tests.api.test_browser import browser, page

__all__ = ["browser", "page"]  # the browser fixtures, shared with test_browser.py
COUNCIL = "https://w3id.org/govkg/id/council/testshire-county-council"
#: a made-up council whose one responsibility regards a topic, not a framework item
NULLSHIRE = "https://w3id.org/govkg/id/council/nullshire-borough-council"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    folder = tmp_path_factory.mktemp("council-page") / "store"
    with officers_store(folder, (*OFFICER_FILES, DATA / "nullshire.trig")) as opened:
        yield opened


class LateralRunner(StoreRunner):
    """The in-process runner, binding lists as the service's workers do."""

    lateral = True


@pytest.mark.parametrize("runner_class", [StoreRunner, LateralRunner],
                         ids=["values", "lateral"])
def test_the_councils_own_nodes_give_the_whole_network(
        store: EmbeddedStore, runner_class: type[StoreRunner]) -> None:
    runner = runner_class(store, timeout=60, max_bytes=1 << 28)
    narrowed = pictures.council_data(runner, COUNCIL)
    whole = fetch(store, COUNCIL, only=(*pictures.BY_COUNCIL, *pictures.BY_NODE))
    got, expected = (accountability_networks(d)[COUNCIL] for d in (narrowed, whole))
    assert len(expected) > 10 and expected.graph == got.graph
    assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(got.edges(data=True)) == sorted(expected.edges(data=True))
    assert narrowed.items == whole.items
    # fewer rows read than every council's: the point of narrowing
    assert len(narrowed.rows["nodes"]) < len(whole.rows["nodes"])


def test_the_page_draws_the_same_matrix_from_either(store: EmbeddedStore) -> None:
    drawn = [pictures.accountability(cls(store, timeout=60, max_bytes=1 << 28), COUNCIL)
             for cls in (StoreRunner, LateralRunner)]
    assert drawn[0].rows and drawn[0] == drawn[1]



# ------------------------------------------------ the page's own queries, made cheaper


def _engine_sorted(runner: StoreRunner, query: str, bound: dict[str, URIRef]
                   ) -> list[dict[str, Node]]:
    return runner.select(query, bound).rows


#: the spans of everything stated about the council, as the page read them before it read
#: those of the resources it shows: the straightforward query, the reference
EVERY_SOURCE = pages.PREFIXES + """
SELECT DISTINCT ?resource ?span ?exact ?start ?end ?page ?document ?documentTitle ?sha
       ?format WHERE {
  ?resource govkg:council ?council ; govkg:source ?span .
  ?span oa:hasSource ?document ; govkg:startLine ?start ; govkg:endLine ?end ;
      oa:hasSelector/oa:exact ?exact .
  OPTIONAL { ?span govkg:page ?page }
  OPTIONAL { ?document dcterms:title ?documentTitle }
  OPTIONAL { ?document govkg:sha256 ?sha ; dcterms:format ?format }
}"""


@pytest.mark.parametrize("runner_class", [StoreRunner, LateralRunner],
                         ids=["values", "lateral"])
def test_council_sources_are_those_of_the_resources_the_page_shows(
        store: EmbeddedStore, runner_class: type[StoreRunner]) -> None:
    """The page reads the spans of the resources its tables quote, not of every resource
    of the council: each shown resource's spans are all its spans, every value as the
    straightforward query gives it, in line order, and nothing else is read."""
    runner = runner_class(store, timeout=60, max_bytes=1 << 28)
    page = pages.council(runner, URIRef(COUNCIL))
    every = runner.select(EVERY_SOURCE, {"council": URIRef(COUNCIL)}).rows
    by_resource: dict[Node, list[dict[str, Node]]] = {}
    for row in every:
        by_resource.setdefault(row["resource"], []).append(row)
    shown = {row[column] for name, column in pages.SHOWN_SOURCES.items()
             for row in page[name] if row.get(column) is not None}
    expected = {r: by_resource[r] for r in shown if r in by_resource}
    # the documents (read with LATERAL by the lateral runner), as the plain query has them
    documents = runner.select(pages.DOCUMENTS, {"council": URIRef(COUNCIL)}).rows
    assert any("edition" in row for row in page["documents"])
    assert sorted(map(_key, page["documents"])) == sorted(map(_key, documents))
    assert len(expected) > 5 and len(by_resource) > len(expected)
    assert page["sources"].keys() == expected.keys()
    for resource, spans in page["sources"].items():
        assert sorted(map(_key, spans)) == sorted(map(_key, expected[resource]))
        starts = [int(str(span["start"])) for span in spans]
        assert starts == sorted(starts)


def _key(row: dict[str, Node]) -> list[tuple[str, str]]:
    return sorted((name, str(value)) for name, value in row.items())


#: invented: one council, three documents with a checksum and a format, with a checksum
#: only, and with neither; a resource quoted from each
CHECKSUMS = """
@prefix govkg: <https://w3id.org/govkg/def/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix x: <urn:x:> .
x:both govkg:sha256 "aa" ; dcterms:format "application/pdf" ; dcterms:title "Both" .
x:sha govkg:sha256 "bb" ; dcterms:title "Checksum only" .
x:neither dcterms:title "Neither" .
x:r1 govkg:council x:c ; govkg:source x:s1 .
x:r2 govkg:council x:c ; govkg:source x:s2 .
x:r3 govkg:council x:c ; govkg:source x:s3 .
x:s1 oa:hasSource x:both ; govkg:startLine 3 ; govkg:endLine 4 ; oa:hasSelector [ oa:exact "one" ] .
x:s2 oa:hasSource x:sha ; govkg:startLine 1 ; govkg:endLine 1 ; oa:hasSelector [ oa:exact "two" ] .
x:s3 oa:hasSource x:neither ; govkg:startLine 2 ; govkg:endLine 2 ; govkg:page 5 ;
    oa:hasSelector [ oa:exact "three" ] .
"""


#: the spans of one resource, as the generic page read them before: the reference
RESOURCE_SOURCES = pages.PREFIXES + """
SELECT DISTINCT ?resource ?span ?exact ?start ?end ?page ?document ?documentTitle ?sha
       ?format WHERE {
  { ?resource govkg:source ?span }
  UNION { ?resource a oa:SpecificResource BIND(?resource AS ?span) }
  ?span oa:hasSource ?document ; govkg:startLine ?start ; govkg:endLine ?end ;
      oa:hasSelector/oa:exact ?exact .
  OPTIONAL { ?span govkg:page ?page }
  OPTIONAL { ?document dcterms:title ?documentTitle }
  OPTIONAL { ?document govkg:sha256 ?sha ; dcterms:format ?format }
} ORDER BY ?start"""


@pytest.mark.parametrize("runner_class", [StoreRunner, LateralRunner],
                         ids=["values", "lateral"])
def test_a_documents_checksum_and_format_come_together_or_not_at_all(
        tmp_path: Path, runner_class: type[StoreRunner]) -> None:
    """The page's query looks the checksum and the format up one by one (a two-pattern
    OPTIONAL is a hash join over every document), and binds them only together, as
    the straightforward query does."""
    (tmp_path / "x.ttl").write_text(CHECKSUMS, encoding="utf-8")
    with EmbeddedStore(tmp_path / "store") as small:
        small.load_file(tmp_path / "x.ttl", graph=URIRef("urn:x:g"))
        runner = runner_class(small, timeout=60, max_bytes=1 << 28)
        council = URIRef("urn:x:c")
        resources = [URIRef(f"urn:x:r{n}") for n in (1, 2, 3)]
        found = pages.council_sources(runner, council, {
            "officers": [{"post": r} for r in resources], "bodies": [],
            "responsibilities": [], "scores": [], "recommendations": []})
        expected = runner.select(EVERY_SOURCE, {"council": council}).rows
        generic = {r: pages.resource(runner, r)["sources"] for r in resources}
        reference = {r: runner.select(RESOURCE_SOURCES, {"resource": r}).rows
                     for r in resources}
    got = [row for rows in found.values() for row in rows]
    assert sorted(map(_key, got)) == sorted(map(_key, expected)) and len(got) == 3
    assert {r: sorted(map(_key, rows)) for r, rows in generic.items()} == {
        r: sorted(map(_key, rows)) for r, rows in reference.items()}
    assert {str(row["exact"]): ("sha" in row, "format" in row) for row in got} == {
        "one": (True, True), "two": (False, False), "three": (False, False)}


def _resources(store: EmbeddedStore) -> list[URIRef]:
    rows = store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) } "
                       "ORDER BY ?s LIMIT 400")
    assert isinstance(rows, SelectResult)
    return [URIRef(str(row["s"])) for row in rows] + [URIRef(COUNCIL)]


@pytest.mark.parametrize("sorted_here", [pages.SORTED_HERE, 3], ids=["here", "engine"])
def test_statements_and_incoming_links_in_the_engines_order(
        store: EmbeddedStore, sorted_here: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Statements and incoming links are read unsorted and sorted in Python (Oxigraph's
    sort decodes terms from disk at every comparison); the first rows shown are the ones
    the engine's ``ORDER BY ... LIMIT`` gives, in its order, with few rows (sorted here)
    and with many (the engine sorts: ``sorted_here`` 3)."""
    monkeypatch.setattr(pages, "SORTED_HERE", sorted_here)
    monkeypatch.setattr(pages, "INCOMING_ROWS", 4)  # so that councils have more than that
    runner = StoreRunner(store, timeout=60, max_bytes=1 << 28)
    incoming_query = f"{pages._INCOMING} ORDER BY ?p ?s LIMIT 5"
    compared = more = 0
    for iri in _resources(store):
        found = pages.resource(runner, iri)
        bound = {"resource": iri}
        incoming = _engine_sorted(runner, incoming_query, bound)
        properties = _engine_sorted(runner, pages.PROPERTIES, bound)
        assert [(r["p"], r["s"]) for r in found["incoming"]] == \
            [(r["p"], r["s"]) for r in incoming[:4]]
        assert [(r["p"], r["o"]) for r in found["properties"]] == \
            [(r["p"], r["o"]) for r in properties]
        assert (found["more_incoming"] is not None) == (len(incoming) > 4)
        compared += 1
        more += len(incoming) > 4
    assert compared > 100 and more > 3


def test_order_key_orders_as_sparql() -> None:
    """Unbound first, then blank nodes, IRIs, literals; numbers by value."""
    terms = [Literal("b"), Literal(10), URIRef("http://b"), Literal(9), BNode("x"), None,
             URIRef("http://a"), Literal(2.5)]
    assert [pages.order_key(t) for t in sorted(terms, key=pages.order_key)] == [
        pages.order_key(t) for t in [None, BNode("x"), URIRef("http://a"), URIRef("http://b"),
                                     Literal(2.5), Literal(9), Literal(10), Literal("b")]]


class CountingRunner(LateralRunner):
    """The lateral runner, counting the queries it runs."""

    calls = 0

    def run(self, *args: Any, **kwargs: Any) -> Answer:
        self.calls += 1
        return super().run(*args, **kwargs)


def test_the_framework_items_rows_are_kept_until_the_store_is_written(
        store: EmbeddedStore) -> None:
    """Every council's page reads the framework items' rows alike: the runner keeps them
    (fewer queries the second time, the same network), and a write drops them."""
    runner = CountingRunner(store, timeout=60, max_bytes=1 << 28)
    networks, calls = [], []
    for write in (False, False, True):
        if write:
            runner.invalidate()
        before = runner.calls
        networks.append(accountability_networks(pictures.council_data(runner, COUNCIL))[COUNCIL])
        calls.append(runner.calls - before)
    assert calls[1] < calls[0] and calls[2] == calls[0]
    for network in networks[1:]:
        assert dict(network.nodes(data=True)) == dict(networks[0].nodes(data=True))
        assert sorted(network.edges(data=True)) == sorted(networks[0].edges(data=True))
def test_agents_answering_for_no_item_get_a_sentence_not_an_empty_matrix(
        store: EmbeddedStore, docs_cache: Path) -> None:
    runner = StoreRunner(store, timeout=60, max_bytes=1 << 28)
    network = accountability_networks(pictures.council_data(runner, NULLSHIRE))[NULLSHIRE]
    assert [network.nodes[a]["label"] for a in agents(network)] == [
        "Head of Resident Services"]  # an agent, who answers for a topic only
    assert pictures.accountability(runner, NULLSHIRE) == pictures.Accountability()
    app = create_app(Settings(query_workers=2, docs_cache=docs_cache), store=store)
    try:
        client = TestClient(app, base_url="http://testserver")
        answer = client.get("/id/council/nullshire-borough-council",
                            headers={"accept": "text/html"})
    finally:
        app.state.stop()
    section = html.fromstring(answer.text).get_element_by_id("accountability")
    assert section.xpath(".//table") == [] and section.xpath(".//svg") == []
    said = " ".join(section.text_content().split())
    assert "No post, body or role answers for a framework item in what was read" in said
    assert section.xpath(".//a[@href='#responsibilities']")


def network_of(agent_labels: list[str], item_labels: list[str]) -> nx.DiGraph:
    """A council's network as the analytics make it: each agent responsible for every
    item (the picture joins each agent to each item)."""
    network = nx.DiGraph()
    for n, label in enumerate(item_labels):
        network.add_node(f"item{n}", kind="item", label=label, notation=f"A.{n + 1}")
    for n, label in enumerate(agent_labels):
        network.add_node(f"agent{n}", kind="post", label=label, agent=True)
        for item in range(len(item_labels)):
            network.add_edge(f"agent{n}", f"item{item}", kinds=("responsible-for",))
    return network


def test_every_name_in_the_network_is_inside_the_picture(page: Page) -> None:
    # long names, in mixed case and in capitals, as councils write their posts (made up)
    svg = pictures.network_svg(network_of(
        ["Assistant Director of Neighbourhoods, Housing and Community Resilience",
         "HEAD OF DEMOCRATIC SERVICES AND ELECTORAL REGISTRATION", "Leader"],
        ["Developing the entity's capacity, including the capability of its leadership",
         "Managing risks and performance through robust internal control"]))
    page.set_content(f"<!doctype html><html><body>{svg}</body></html>")
    width = page.evaluate("document.querySelector('svg').viewBox.baseVal.width")
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('svg text'), t => {
        const box = t.getBBox(); return [t.lastChild.textContent, box.x, box.x + box.width];
    })""")
    assert len(boxes) == 2 + 3 + 2  # the two headings, every agent, every item
    outside = [(text, left, right) for text, left, right in boxes
               if left < 0 or right > width]
    assert outside == []
