"""The council page's accountability reads only the council's nodes (issue 17): the same
network, matrix and items as from every council's rows. Real embedded Oxigraph store of
the Testshire fixtures (tests/api/data), read through the service's in-process runner,
with and without LATERAL binding. A council whose agents answer for no framework item
(Nullshire, made up) gets a sentence saying so, not an empty matrix (issue 18); the
network's names fit inside the picture, measured in Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from lxml import html
from playwright.sync_api import Page

from govkg.api import pictures
from govkg.api.app import create_app
from govkg.api.querying import StoreRunner
from govkg.graph.analytics.accountability import agents
from govkg.graph.analytics.projection import accountability_networks, fetch
from govkg.graph.settings import Settings
from govkg.graph.store import EmbeddedStore
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
